//! Invariants under random play: random seeds and random orders on the fixture scenario
//! never make a stock or a strength negative (nor wrap a count round), lose fuel, lift a unit
//! off the map or put it in two places, change control without a PlaceCaptured event, or lead
//! the AI to give an order the rules refuse.

use crate::common;

use std::collections::BTreeMap;

use august_storm::model::logistics::{Depots, FuelLedger};
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::rules::supply::fuel_held;
use common::*;
use proptest::prelude::*;

/// One random order, resolved against the side to move when it is given.
#[derive(Debug, Clone)]
enum Pick {
    Move { unit: usize, steps: Vec<usize> },
    MoveTo { unit: usize, col: i32, row: i32 },
    Attack { unit: usize, dir: usize },
    Hold { unit: usize },
    GiveFuel { from: usize, to: usize, tons: f64 },
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        (any::<usize>(), prop::collection::vec(0..6usize, 1..4))
            .prop_map(|(unit, steps)| Pick::Move { unit, steps }),
        (any::<usize>(), -2..40i32, -2..40i32).prop_map(|(unit, col, row)| Pick::MoveTo {
            unit,
            col,
            row
        }),
        (any::<usize>(), 0..6usize).prop_map(|(unit, dir)| Pick::Attack { unit, dir }),
        any::<usize>().prop_map(|unit| Pick::Hold { unit }),
        (any::<usize>(), any::<usize>(), -10.0..400.0f64)
            .prop_map(|(from, to, tons)| Pick::GiveFuel { from, to, tons }),
    ]
}

/// The side to move's units, in id order, with where they stand.
fn own_units(game: &mut Game) -> Vec<(UnitId, Hex)> {
    let side = game.calendar().active;
    let world = game.world_mut();
    let mut q = world.query::<(&UnitId, &Allegiance, &Position)>();
    let mut v: Vec<(UnitId, Hex)> = q
        .iter(world)
        .filter(|(_, a, _)| a.side == side)
        .map(|(i, _, p)| (*i, p.0))
        .collect();
    v.sort_by_key(|(i, _)| *i);
    v
}

fn to_order(game: &mut Game, p: &Pick) -> Option<Order> {
    let units = own_units(game);
    if units.is_empty() {
        return None;
    }
    let at = |i: usize| units[i % units.len()];
    Some(match p {
        Pick::Move { unit, steps } => {
            let (id, mut h) = at(*unit);
            let path = steps
                .iter()
                .map(|d| {
                    h = h.neighbors()[*d];
                    h
                })
                .collect();
            Order::Move { unit: id, path }
        }
        Pick::MoveTo { unit, col, row } => Order::MoveTo {
            unit: at(*unit).0,
            to: Hex::from_offset(*col, *row),
        },
        Pick::Attack { unit, dir } => {
            let (id, h) = at(*unit);
            Order::Attack {
                units: vec![id],
                target: h.neighbors()[*dir],
            }
        }
        Pick::Hold { unit } => Order::Hold { unit: at(*unit).0 },
        Pick::GiveFuel { from, to, tons } => Order::TransferFuel {
            from: at(*from).0,
            to: at(*to).0,
            tons: *tons,
        },
    })
}

fn ledger_balance(game: &Game, side: Side) -> f64 {
    let l = *game.world().resource::<FuelLedger>().get(side);
    l.arrived_t + l.captured_in_t - l.captured_out_t - l.burned_moving_t - l.burned_trucks_t
}

/// Men, tanks, guns, rocket launchers and vehicles of every unit.
fn strengths(game: &mut Game) -> BTreeMap<UnitId, [u32; 5]> {
    let world = game.world_mut();
    let mut q = world.query::<(&UnitId, &Strength)>();
    q.iter(world)
        .map(|(id, s)| (*id, [s.men, s.tanks, s.guns, s.mrl, s.vehicles]))
        .collect()
}

/// Checks every invariant; `before` is control and the event count at the phase's start.
fn assert_invariants(
    game: &mut Game,
    fuel_at_start: [f64; 2],
    strength_at_start: &BTreeMap<UnitId, [u32; 5]>,
    before: (&Control, usize),
) {
    // Nothing in the rules adds men or equipment, so a count above the start is one that went
    // below zero and wrapped round.
    let now = strengths(game);
    assert_eq!(
        now.len(),
        strength_at_start.len(),
        "units appeared or vanished"
    );
    for (id, s) in &now {
        let start = strength_at_start[id];
        assert!(
            s.iter().zip(start).all(|(a, b)| *a <= b),
            "unit #{}: strength {s:?} above its start {start:?}",
            id.0
        );
    }
    let world = game.world_mut();
    let map = world.resource::<Map>().clone();
    for d in &world.resource::<Depots>().depots {
        for (what, x) in [("fuel", d.fuel_t), ("ammo", d.ammo_t), ("food", d.food_t)] {
            assert!(
                x >= 0.0 && x.is_finite(),
                "depot {} has {x} t of {what}",
                d.name
            );
        }
    }
    let mut seen_ids = std::collections::BTreeSet::new();
    let mut q = world.query::<(&UnitId, Option<&Position>, &Stocks, &SupplyState)>();
    for (id, pos, st, sup) in q.iter(world) {
        assert!(seen_ids.insert(*id), "two units are #{}", id.0);
        let pos = pos.unwrap_or_else(|| panic!("unit #{} has no position", id.0));
        assert!(map.contains(pos.0), "unit #{} is off the map", id.0);
        for (what, x) in [
            ("fuel", st.fuel_t),
            ("ammo", st.ammo_t),
            ("food", st.food_t),
        ] {
            assert!(
                x >= 0.0 && x.is_finite(),
                "unit #{} has {x} t of {what}",
                id.0
            );
        }
        if let Some(k) = sup.haul_km {
            assert!(k >= 0.0, "unit #{} hauls {k} km", id.0);
        }
    }
    for (i, side) in [Side::Soviet, Side::Japanese].into_iter().enumerate() {
        let change = fuel_held(game.world_mut(), side) - fuel_at_start[i];
        let flows = ledger_balance(game, side);
        assert!(
            (change - flows).abs() < 1e-6 * (1.0 + fuel_at_start[i]),
            "{side:?}: fuel changed by {change} t, the ledger says {flows} t"
        );
    }
    let (control, seen) = before;
    let now = game.world().resource::<Control>().clone();
    for (p, (was, is)) in control.owner.iter().zip(&now.owner).enumerate() {
        if was == is {
            continue;
        }
        let last = game.events()[seen..]
            .iter()
            .filter_map(|e| match &e.event {
                GameEvent::PlaceCaptured { place, to, .. } if place.0 as usize == p => Some(*to),
                _ => None,
            })
            .next_back();
        assert_eq!(
            last, *is,
            "place {p} went from {was:?} to {is:?} without a PlaceCaptured event"
        );
    }
}

fn play_checked(seed: u64, picks: &[Pick], ai: bool) {
    let mut game = game_of(&fixture("tiny.ron"), Some(seed));
    let world = game.world_mut();
    let fuel_at_start = [
        fuel_held(world, Side::Soviet),
        fuel_held(world, Side::Japanese),
    ];
    let strength_at_start = strengths(&mut game);
    let mut next = picks.iter().cycle();
    let mut phase = 0;
    while !game.calendar().finished {
        let control = game.world().resource::<Control>().clone();
        let seen = game.events().len();
        if ai {
            let orders = august_storm::ai::plan_orders(game.world_mut());
            for o in orders {
                let shown = format!("{o:?}");
                assert_eq!(game.submit(o), Ok(()), "the AI's order {shown}");
            }
        } else {
            // A few random orders a phase; refusals are fine, they must change nothing.
            for p in next.by_ref().take(if picks.is_empty() { 0 } else { 3 }) {
                if let Some(o) = to_order(&mut game, p) {
                    let _ = game.submit(o);
                }
            }
        }
        game.submit(Order::EndTurn)
            .expect("ending a turn is allowed");
        assert_invariants(
            &mut game,
            fuel_at_start,
            &strength_at_start,
            (&control, seen),
        );
        phase += 1;
    }
    assert!(phase >= 12, "the fixture has six turns of two phases");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_orders_keep_every_invariant(seed: u64, picks in prop::collection::vec(pick(), 0..40)) {
        play_checked(seed, &picks, false);
    }

    #[test]
    fn every_order_the_ai_gives_passes_validation_and_keeps_every_invariant(seed: u64) {
        play_checked(seed, &[], true);
    }
}
