//! Fuel handed from unit to unit: the order's checks and reasons, its effect before the
//! marches, and the Soviet AI fuelling a forward detachment from the units beside it.

use crate::common;

use august_storm::ai::plan_orders;
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::scenario::schema::{Axis, ForwardDetachments, PlanFile, SidePlan};
use august_storm::scenario::spawn::Plans;
use common::*;

fn room(g: &mut Game, unit: UnitId) -> f64 {
    let e = g.entity(unit).unwrap();
    let cap = g.world().get::<Capacity>(e).unwrap().fuel_t;
    cap - fuel(g, unit)
}

/// The tank corps at Westtown with the rifle division beside it.
fn side_by_side() -> (Game, UnitId, UnitId) {
    let mut g = tiny_game();
    let tank = id(&mut g, "Test Tank Corps");
    let rifles = id(&mut g, "Test Rifle Division");
    place_unit(&mut g, tank, hex(0, 3));
    place_unit(&mut g, rifles, hex(1, 3));
    (g, tank, rifles)
}

#[test]
fn fuel_handed_over_changes_hands_and_none_is_lost() {
    let (mut g, tank, rifles) = side_by_side();
    set_fuel(&mut g, tank, 10.0);
    let (before_tank, before_rifles) = (fuel(&mut g, tank), fuel(&mut g, rifles));
    let tons = 40.0_f64.min(before_rifles);
    g.submit(Order::TransferFuel {
        from: rifles,
        to: tank,
        tons,
    })
    .unwrap();
    // The rule that makes the phase's hand-overs, run on its own (the turn's supply would
    // change the stocks too).
    g.world_mut()
        .run_system_cached(august_storm::rules::fuel_transfer::hand_over_fuel)
        .expect("the rule runs");
    assert!((fuel(&mut g, tank) - (before_tank + tons)).abs() < 1e-9);
    assert!((fuel(&mut g, rifles) - (before_rifles - tons)).abs() < 1e-9);
    let handed = g.events().iter().any(|e| {
        matches!(e.event, GameEvent::FuelHandedOver { from, to, tons: t }
            if from == rifles && to == tank && (t - tons).abs() < 0.01)
    });
    assert!(handed, "the hand-over is in the log");
}

#[test]
fn a_unit_without_fuel_may_march_on_fuel_handed_to_it_in_the_same_turn() {
    let (mut g, tank, rifles) = side_by_side();
    set_fuel(&mut g, tank, 0.0);
    let to = place_hex(&g, "Passtown");
    let refused = g.submit(Order::MoveTo { unit: tank, to }).unwrap_err();
    assert!(
        matches!(refused, OrderRejected::OutOfFuel { .. }),
        "{refused}"
    );
    let tons = fuel(&mut g, rifles).min(room(&mut g, tank));
    g.submit(Order::TransferFuel {
        from: rifles,
        to: tank,
        tons,
    })
    .unwrap();
    g.submit(Order::MoveTo { unit: tank, to })
        .expect("with the fuel handed over it can march");
    // The giver may still be given its own march.
    g.submit(Order::MoveTo {
        unit: rifles,
        to: place_hex(&g, "Westtown"),
    })
    .expect("handing over fuel is not a unit's order for the turn");
    g.submit(Order::EndTurn).unwrap();
    let moved = g
        .events()
        .iter()
        .any(|e| matches!(e.event, GameEvent::UnitMoved { unit, .. } if unit == tank));
    assert!(moved, "the tank corps marched on the fuel it was given");
}

#[test]
fn a_hand_over_that_cannot_be_made_is_refused_with_its_reason() {
    let (mut g, tank, rifles) = side_by_side();
    let enemy = id(&mut g, "Test Infantry Division");
    set_fuel(&mut g, tank, 10.0);
    let has = fuel(&mut g, rifles);
    let refusal = |g: &mut Game, from: UnitId, to: UnitId, tons: f64| {
        g.submit(Order::TransferFuel { from, to, tons })
            .expect_err("refused")
            .to_string()
    };
    let r = refusal(&mut g, rifles, rifles, 5.0);
    assert!(r.contains("cannot give fuel to itself"), "{r}");
    let r = refusal(&mut g, rifles, tank, -5.0);
    assert!(r.contains("positive number of tons"), "{r}");
    let r = refusal(&mut g, rifles, tank, f64::NAN);
    assert!(r.contains("positive number of tons"), "{r}");
    let r = refusal(&mut g, rifles, tank, has + 1.0);
    assert!(
        r.contains(&format!("has {has:.1} t of fuel to give")),
        "{r}"
    );
    let r = refusal(&mut g, rifles, enemy, 1.0);
    assert!(r.contains("belongs to the Japanese side"), "{r}");
    place_unit(&mut g, rifles, hex(3, 5));
    let r = refusal(&mut g, rifles, tank, 1.0);
    assert!(r.contains("same hex or side by side"), "{r}");
    // A full tank takes no more.
    place_unit(&mut g, rifles, hex(1, 3));
    let full = fuel(&mut g, tank) + room(&mut g, tank);
    set_fuel(&mut g, tank, full);
    let r = refusal(&mut g, rifles, tank, 1.0);
    assert!(r.contains("has room for 0.0 t more fuel"), "{r}");
}

#[test]
fn the_soviet_ai_fuels_its_lead_unit_from_the_units_beside_it_when_it_runs_short() {
    for lead_fuel_refills in [0.1, 0.9] {
        let (mut g, tank, rifles) = side_by_side();
        let rule = ForwardDetachments {
            below_refills: 0.5,
            fill_refills: 1.0,
            source: "test".into(),
        };
        let soviet = SidePlan {
            axes: vec![Axis {
                formations: vec!["Red Front".into()],
                objectives: vec!["Easttown".into()],
                abreast: 1,
                source: "test".into(),
            }],
            attack_odds: 1.5,
            fall_back_odds: 100.0,
            storm_fort_odds: 4.0,
            forward_detachments: Some(rule),
            ..SidePlan::default()
        };
        g.world_mut().insert_resource(Plans(PlanFile {
            soviet,
            japanese: SidePlan::default(),
        }));
        let rules = g
            .world()
            .resource::<august_storm::scenario::spawn::Rules>()
            .0
            .clone();
        let e = g.entity(tank).unwrap();
        let s = *g.world().get::<Strength>(e).unwrap();
        let refill = august_storm::scenario::load::refill_t(&rules, s.tanks, s.vehicles);
        set_fuel(&mut g, tank, lead_fuel_refills * refill);
        let orders = plan_orders(g.world_mut());
        let given: Vec<(UnitId, UnitId, f64)> = orders
            .iter()
            .filter_map(|o| match o {
                Order::TransferFuel { from, to, tons } => Some((*from, *to, *tons)),
                _ => None,
            })
            .collect();
        if lead_fuel_refills < 0.5 {
            assert!(!given.is_empty(), "the lead draws fuel: {orders:?}");
            assert!(given.iter().all(|(f, t, _)| *t == tank && *f != tank));
            assert!(given.iter().any(|(f, ..)| *f == rifles));
            let total: f64 = given.iter().map(|g| g.2).sum();
            assert!(
                total <= (1.0 - lead_fuel_refills) * refill + 1e-6,
                "{total}"
            );
            for o in orders {
                g.submit(o).expect("every AI order passes validation");
            }
        } else {
            assert!(given.is_empty(), "a lead with fuel draws none: {given:?}");
        }
    }
}
