//! The teaching scenario teaches its lesson: a student who marches the tank army flat out over
//! the Khingan, as the briefing invites, runs its corps short of fuel by 12–13 August, and the
//! airlift is what keeps them moving. Played by the orders a student would give, not by the
//! AI; the Japanese side by the AI.

use crate::common;

use august_storm::cli::simulate::{TurnOrder, UnitOrder, play};
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::scenario::schema::Location;
use common::*;

/// The tank army's three corps, where the briefing sends them first, and then on to the
/// central plain from the afternoon of 12 August.
const CORPS: [(&str, &str, &str); 3] = [
    ("5th Guards Tank Corps", "Lubei", "Tongliao"),
    ("9th Guards Mechanized Corps", "Lubei", "Tongliao"),
    ("7th Mechanized Corps", "Tuquan", "Taonan"),
];

/// The army's motor rifle divisions, which follow.
const DIVISIONS: [(&str, &str); 2] = [
    ("36th Motor Rifle Division", "Tuquan"),
    ("57th Motor Rifle Division", "Lubei"),
];

/// 13 August, 00:01: the start of turn 9.
const THIRTEENTH: u32 = 9;

/// A student's orders: every corps and division marched flat out on the first turn and the
/// order repeated each turn (a march that meets the enemy stops in contact, and the student
/// sends it on); the corps sent on to Tongliao and Taonan from turn 8. With `airlift`, from
/// the second day each corps asks 12th Air Army for 40 t of fuel every turn, as a student who
/// has read the briefing's last line would (the rules refuse it where transports cannot
/// land).
fn student_orders(airlift: bool) -> Vec<TurnOrder> {
    let mut orders = Vec::new();
    for turn in 1..=16 {
        for (unit, first, then) in CORPS {
            let to = if turn >= 8 { then } else { first };
            orders.push(TurnOrder {
                turn,
                unit: unit.into(),
                order: UnitOrder::MoveTo(Location::Place(to.into())),
            });
        }
        for (unit, to) in DIVISIONS {
            orders.push(TurnOrder {
                turn,
                unit: unit.into(),
                order: UnitOrder::MoveTo(Location::Place(to.into())),
            });
        }
        if airlift && (3..=15).contains(&turn) {
            for (unit, _, _) in CORPS {
                orders.push(TurnOrder {
                    turn,
                    unit: unit.into(),
                    order: UnitOrder::Airlift {
                        air_army: "12th Air Army".into(),
                        base: "Tamsag-Bulag".into(),
                        cargo: Cargo::Fuel,
                        tons: 40.0,
                    },
                });
            }
        }
    }
    orders
}

/// Each corps' fuel on hand in refills, and how far it stands from Tamsag-Bulag, km.
type Corps = Vec<(f64, f64)>;

/// The corps as they stand now.
fn corps(g: &mut Game) -> Corps {
    let base = place_hex(g, "Tamsag-Bulag");
    let rules = g
        .world()
        .resource::<august_storm::scenario::spawn::Rules>()
        .0
        .clone();
    CORPS
        .iter()
        .map(|(name, _, _)| {
            let id = id(g, name);
            let at = g.position(id).expect("on the map");
            let (s, st) = {
                let e = g.entity(id).expect("in the world");
                let w = g.world();
                (
                    *w.get::<Strength>(e).expect("a strength"),
                    *w.get::<Stocks>(e).expect("stocks"),
                )
            };
            let refill = august_storm::scenario::load::refill_t(&rules, s.tanks, s.vehicles);
            let map = g.world().resource::<Map>();
            (
                st.fuel_t / refill,
                map.center(at).distance_km(map.center(base)),
            )
        })
        .collect()
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

fn airlifted_t(g: &Game) -> f64 {
    g.events()
        .iter()
        .filter_map(|e| match &e.event {
            GameEvent::AirliftDelivered { tons, .. } => Some(*tons),
            _ => None,
        })
        .sum()
}

/// The scenario played by the student's orders: the corps on 13 August, and at the end.
fn played(airlift: bool) -> (Game, Corps, Corps) {
    let mut g = game_of(&root().join("scenarios/across_the_khingan.ron"), None);
    let orders = student_orders(airlift);
    play(&mut g, &orders, &[Side::Japanese], THIRTEENTH);
    let thirteenth = corps(&mut g);
    play(&mut g, &orders, &[Side::Japanese], u32::MAX);
    assert!(g.calendar().finished);
    let end = corps(&mut g);
    (g, thirteenth, end)
}

#[test]
fn marching_flat_out_runs_the_corps_short_of_fuel_and_the_airlift_keeps_them_moving() {
    let (dry, dry_13, dry_end) = played(false);
    let (flown, flown_13, flown_end) = played(true);
    eprintln!("13 Aug, refills and km: without {dry_13:.2?}, with {flown_13:.2?}");
    eprintln!("at the end: without {dry_end:.2?}, with {flown_end:.2?}");

    // Without the airlift the corps are short of fuel by 13 August, as the sources have them
    // (0.25–0.5 of a refill, one corps dry [7MC], [NEB-106]): on average under 0.4, and one
    // under a quarter.
    let dry_fuel = mean(dry_13.iter().map(|c| c.0));
    assert!(
        dry_fuel < 0.4,
        "without the airlift the corps still hold {dry_fuel:.2} of a refill on 13 August"
    );
    assert!(dry_13.iter().any(|c| c.0 < 0.25), "{dry_13:?}");
    assert_eq!(airlifted_t(&dry), 0.0);
    // ... and, dry, most of them stall there: the lorries' trickle moves one corps on at most
    // ("main bodies move only as fuel arrives" [NEB-68]).
    let stalled = dry_13
        .iter()
        .zip(&dry_end)
        .filter(|(a, b)| b.1 < a.1 + 10.0)
        .count();
    assert!(stalled >= 2, "13 Aug {dry_13:.0?}, the end {dry_end:.0?}");

    // The student's airlift is flown, and it is what keeps the army moving: more fuel on hand
    // on 13 August, and the corps deeper at the end.
    let tons = airlifted_t(&flown);
    assert!(tons >= 300.0, "only {tons:.0} t flown");
    let flown_fuel = mean(flown_13.iter().map(|c| c.0));
    assert!(
        flown_fuel > dry_fuel + 0.15,
        "the airlift left the corps {flown_fuel:.2} of a refill on 13 August, against {dry_fuel:.2}"
    );
    assert!(
        flown_13
            .iter()
            .zip(&flown_end)
            .any(|(a, b)| b.1 > a.1 + 50.0),
        "with the airlift no corps went on after 13 August: {flown_13:.0?}, {flown_end:.0?}"
    );
    let dry_depth_end = mean(dry_end.iter().map(|c| c.1));
    let flown_depth_end = mean(flown_end.iter().map(|c| c.1));
    assert!(
        flown_depth_end > dry_depth_end + 20.0,
        "with the airlift the corps ended {flown_depth_end:.0} km from Tamsag-Bulag, without it {dry_depth_end:.0} km"
    );
}
