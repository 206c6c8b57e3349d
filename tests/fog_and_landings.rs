//! Fog of war, air landings and desertion on the fixture map.

use crate::common;

use std::collections::BTreeSet;

use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::rules::fog::{last_known, visible_enemies};
use common::*;

fn landing_events(g: &Game) -> Vec<GameEvent> {
    g.events()
        .iter()
        .map(|e| e.event.clone())
        .filter(|e| {
            matches!(
                e,
                GameEvent::AirLandingFlown { .. }
                    | GameEvent::AirLandingMade { .. }
                    | GameEvent::AirLandingFailed { .. }
                    | GameEvent::UnitSurrendered { .. }
                    | GameEvent::PlaceCaptured { .. }
            )
        })
        .collect()
}

/// Makes the dry tank brigade a small air-landing detachment waiting at Westtown's airfield.
fn detachment(g: &mut Game) -> UnitId {
    let u = id(g, "Dry Tank Brigade");
    let e = g.entity(u).unwrap();
    let w = place_hex(g, "Westtown");
    let mut ent = g.world_mut().entity_mut(e);
    ent.insert(Kind(UnitKind::AirborneDetachment));
    *ent.get_mut::<Strength>().unwrap() = Strength {
        men: 60,
        ..Default::default()
    };
    ent.get_mut::<Position>().unwrap().0 = w;
    u
}

fn landing_order(g: &mut Game, unit: UnitId, place: &str) -> Order {
    let map = g.world().resource::<Map>();
    let base = map.place_named("Westtown").unwrap().id;
    let place = map.place_named(place).unwrap().id;
    let front = g
        .world()
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .find(|f| f.name == "Red Front")
        .unwrap()
        .id;
    Order::AirLanding {
        air_army: front,
        base,
        unit,
        place,
    }
}

#[test]
fn a_side_sees_only_what_its_units_observe_and_remembers_it_with_its_age() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    // Five hexes from the Japanese: out of their sight.
    assert_eq!(visible_enemies(g.world(), Side::Japanese), vec![]);
    assert!(last_known(g.world(), Side::Japanese).is_empty());
    // Beside Easttown, the garrison sees it.
    let east = place_hex(&g, "Easttown");
    let beside = east.neighbors()[0];
    place_unit(&mut g, tanks, beside);
    assert_eq!(
        visible_enemies(g.world(), Side::Japanese),
        vec![(tanks, beside)]
    );
    g.submit(Order::EndTurn).unwrap();
    // The garrison marches off north and the tanks go back: the Japanese remember where
    // they saw them, 12 hours on.
    let infantry = id(&mut g, "Test Infantry Division");
    let north = place_hex(&g, "Northtown");
    place_unit(&mut g, infantry, north);
    let west = place_hex(&g, "Westtown");
    place_unit(&mut g, tanks, west);
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(visible_enemies(g.world(), Side::Japanese), vec![]);
    let known = last_known(g.world(), Side::Japanese);
    assert_eq!(known.len(), 1);
    assert_eq!((known[0].unit, known[0].hex), (tanks, beside));
    assert!(!known[0].visible);
    assert_eq!(known[0].age_hours, 12.0);
    assert_eq!(known[0].men, 10000);
}

#[test]
fn a_sides_view_never_holds_an_enemy_unit_it_has_not_observed() {
    let mut g = tiny_game();
    let mut seen: [BTreeSet<UnitId>; 2] = Default::default();
    while !g.calendar().finished {
        for (i, side) in [Side::Soviet, Side::Japanese].into_iter().enumerate() {
            seen[i].extend(visible_enemies(g.world(), side).into_iter().map(|(u, _)| u));
            for k in last_known(g.world(), side) {
                assert!(
                    seen[i].contains(&k.unit),
                    "{side:?} knows of unit {} without having seen it",
                    k.unit.0
                );
            }
        }
        august_storm::ai::play_phase(&mut g);
    }
    // The garrisons' own sight is short: the Japanese never see the whole Soviet force.
    assert!(seen[1].len() < 3, "{:?}", seen[1]);
}

#[test]
fn an_air_landing_on_a_defended_airfield_fails_with_losses() {
    let mut g = tiny_game();
    let det = detachment(&mut g);
    let order = landing_order(&mut g, det, "Easttown");
    g.submit(order).unwrap();
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    let map = g.world().resource::<Map>();
    let east = map.place_named("Easttown").unwrap().id;
    assert_eq!(
        landing_events(&g),
        vec![
            GameEvent::AirLandingFlown {
                unit: det,
                place: east,
                name: "Easttown".into()
            },
            GameEvent::AirLandingFailed {
                unit: det,
                place: east,
                name: "Easttown".into(),
                losses: Losses {
                    killed: 10,
                    wounded: 20,
                    tanks: 0,
                    guns: 0
                }
            },
        ]
    );
    assert_eq!(g.position(det), Some(place_hex(&g, "Westtown")));
}

#[test]
fn an_air_landing_on_a_city_whose_garrison_heard_the_ceasefire_takes_it() {
    let mut g = tiny_game();
    let det = detachment(&mut g);
    let garrison = id(&mut g, "Test Infantry Division");
    g.world_mut()
        .resource_mut::<CeasefireState>()
        .units
        .insert(garrison, 1);
    let order = landing_order(&mut g, det, "Easttown");
    g.submit(order).unwrap();
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    // In the air, it takes no other order.
    let passtown = place_hex(&g, "Passtown");
    assert!(matches!(
        g.submit(Order::MoveTo {
            unit: det,
            to: passtown
        }),
        Err(OrderRejected::InFlight { .. })
    ));
    g.submit(Order::EndTurn).unwrap();
    let map = g.world().resource::<Map>();
    let east = map.place_named("Easttown").unwrap().id;
    assert_eq!(
        landing_events(&g),
        vec![
            GameEvent::AirLandingFlown {
                unit: det,
                place: east,
                name: "Easttown".into()
            },
            GameEvent::UnitSurrendered {
                unit: garrison,
                at: place_hex(&g, "Easttown"),
                men: 14000,
                reason: SurrenderReason::Ceasefire
            },
            GameEvent::AirLandingMade {
                unit: det,
                place: east,
                name: "Easttown".into()
            },
            GameEvent::PlaceCaptured {
                place: east,
                name: "Easttown".into(),
                by: det,
                from: Some(Side::Japanese),
                to: Side::Soviet,
                works_hold: false
            },
        ]
    );
    assert_eq!(g.position(det), Some(place_hex(&g, "Easttown")));
}

#[test]
fn only_small_detachments_at_a_base_can_be_flown_in() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    let order = landing_order(&mut g, tanks, "Easttown");
    assert!(matches!(
        g.submit(order),
        Err(OrderRejected::NotAirLandable { .. })
    ));
    let det = detachment(&mut g);
    let pass = place_hex(&g, "Passtown");
    place_unit(&mut g, det, pass);
    let order = landing_order(&mut g, det, "Easttown");
    assert!(matches!(
        g.submit(order),
        Err(OrderRejected::NotAtBase { .. })
    ));
}

#[test]
fn manchukuo_troops_desert_as_the_enemy_nears_and_japanese_troops_do_not() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    let north = place_hex(&g, "Northtown");
    place_unit(&mut g, tanks, north.neighbors()[3]);
    let paper = id(&mut g, "Paper Brigade");
    for _ in 0..6 {
        g.submit(Order::EndTurn).unwrap();
    }
    let trouble: Vec<UnitId> = g
        .events()
        .iter()
        .filter_map(|e| match e.event {
            GameEvent::UnitDeserted { unit, .. } | GameEvent::UnitMutinied { unit, .. } => {
                Some(unit)
            }
            _ => None,
        })
        .collect();
    assert!(!trouble.is_empty());
    assert!(trouble.iter().all(|u| *u == paper));
}
