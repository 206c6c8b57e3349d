//! Movement on the fixture map: terrain and mobility, roads and the pass, rivers, zones of
//! control, stacking, fuel, standing orders and the capture of places.

use crate::common;

use august_storm::model::logistics::Weather;
use august_storm::model::map::{RiverClass, TerrainKind};
use august_storm::model::*;
use august_storm::rules::movement::{burn_t_per_km, step_cost};
use august_storm::scenario::schema::Mobility;
use august_storm::scenario::spawn::Rules;
use common::*;

#[test]
fn the_fixture_map_has_the_ridge_the_pass_and_the_road_where_the_tests_expect_them() {
    let game = tiny_game();
    let map = game.world().resource::<Map>();
    assert_eq!(place_hex(&game, "Westtown"), hex(0, 3));
    assert_eq!(place_hex(&game, "Passtown"), hex(3, 3));
    assert_eq!(place_hex(&game, "Easttown"), hex(5, 3));
    let pass = map.cell(hex(2, 3)).unwrap();
    assert!(pass.pass);
    assert_eq!(pass.terrain, TerrainKind::Mountains);
    assert_eq!(map.cell(hex(2, 4)).unwrap().terrain, TerrainKind::Mountains);
    assert!(map.edge(hex(1, 3), hex(2, 3)).unwrap().road.is_some());
}

#[test]
fn tank_corps_without_fuel_cannot_leave_its_hex() {
    let mut game = tiny_game();
    let dry = id(&mut game, "Dry Tank Brigade");
    let at = game.position(dry).unwrap();
    let next = at.neighbor(0);
    assert_eq!(
        game.submit(Order::Move {
            unit: dry,
            path: vec![next]
        }),
        Err(OrderRejected::OutOfFuel {
            unit: "Dry Tank Brigade".into()
        })
    );
    assert_eq!(game.position(dry), Some(at));
}

#[test]
fn rifle_division_marches_on_foot_whatever_its_fuel() {
    let mut game = tiny_game();
    let rifles = id(&mut game, "Test Rifle Division");
    let e = game.entity(rifles).unwrap();
    game.world_mut().get_mut::<Stocks>(e).unwrap().fuel_t = 0.0;
    let from = game.position(rifles).unwrap();
    let to = from.neighbor(0);
    game.submit(Order::Move {
        unit: rifles,
        path: vec![to],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.position(rifles), Some(to));
}

#[test]
fn tracked_units_cross_the_ridge_by_the_pass_road_but_not_off_it() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    // Off the road, the mountain hex north of the pass is impassable to tanks.
    let blocked = game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3), hex(2, 4)],
    });
    assert!(
        matches!(
            blocked,
            Err(OrderRejected::Impassable {
                terrain: TerrainKind::Mountains,
                ..
            })
        ),
        "{blocked:?}"
    );
    // Along the track through the pass, they reach Passtown in one turn.
    game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3), hex(2, 3), hex(3, 3)],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.position(tanks), Some(hex(3, 3)));
}

#[test]
fn the_pass_road_costs_twice_the_steppe_road() {
    let game = tiny_game();
    let map = game.world().resource::<Map>();
    let rules = &game.world().resource::<Rules>().0;
    let steppe = step_cost(
        map,
        rules,
        Mobility::Tracked,
        hex(0, 3),
        hex(1, 3),
        Weather::Dry,
    )
    .unwrap();
    let pass = step_cost(
        map,
        rules,
        Mobility::Tracked,
        hex(1, 3),
        hex(2, 3),
        Weather::Dry,
    )
    .unwrap();
    assert_eq!(steppe.km, 20.0 * 0.85);
    assert_eq!(pass.km, 20.0 * 0.85 * 2.0);
}

#[test]
fn an_unbridged_major_river_adds_twenty_km_and_a_bridge_two() {
    let game = tiny_game();
    let map = game.world().resource::<Map>();
    let rules = &game.world().resource::<Rules>().0;
    let mut bridged = None;
    let mut unbridged = None;
    for h in map.hexes() {
        for n in h.neighbors() {
            let Some(e) = map.edge(h, n) else { continue };
            if e.river == Some(RiverClass::Major)
                && map.cell(n).unwrap().terrain == TerrainKind::Steppe
            {
                if e.road.is_some() {
                    bridged = Some((h, n));
                } else if map.cell(h).unwrap().terrain == TerrainKind::Steppe {
                    unbridged = Some((h, n));
                }
            }
        }
    }
    let (a, b) = unbridged.expect("the river cuts some steppe edges");
    assert_eq!(
        step_cost(map, rules, Mobility::Foot, a, b, Weather::Dry)
            .unwrap()
            .km,
        20.0 + 20.0
    );
    let (a, b) = bridged.expect("the road bridges the river");
    assert_eq!(
        step_cost(map, rules, Mobility::Foot, a, b, Weather::Dry)
            .unwrap()
            .km,
        20.0 * 1.0 + 2.0
    );
}

#[test]
fn crossing_a_great_river_takes_the_whole_turn() {
    let mut game = tiny_game();
    let rifles = id(&mut game, "Test Rifle Division");
    let (south, north) = {
        let map = game.world().resource::<Map>();
        map.hexes()
            .flat_map(|h| h.neighbors().map(move |n| (h, n)))
            .find(|&(h, n)| {
                map.edge(h, n)
                    .is_some_and(|e| e.river == Some(RiverClass::Great))
                    && map.center(h).lat < map.center(n).lat
                    && map.cell(h).unwrap().terrain == TerrainKind::Steppe
                    && map.cell(n).unwrap().terrain == TerrainKind::Steppe
                    && h.to_offset().0 <= 1
            })
            .expect("the great river cuts a steppe edge in the west")
    };
    place_unit(&mut game, rifles, south);
    let beyond = north.neighbor(2); // further north-west, still steppe or off the map
    let two_steps = game.submit(Order::Move {
        unit: rifles,
        path: vec![north, beyond],
    });
    assert!(
        matches!(two_steps, Err(OrderRejected::RiverNeedsWholeTurn { .. })),
        "{two_steps:?}"
    );
    // As the first and only step of the turn, the crossing is allowed.
    game.submit(Order::Move {
        unit: rifles,
        path: vec![north],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.position(rifles), Some(north));
}

#[test]
fn a_unit_entering_an_enemy_zone_of_control_must_stop() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    // Passtown (3,3) is two hexes from the Japanese division in Easttown (5,3): (4,3) and the
    // hexes beside both lie in its zone of control.
    place_unit(&mut game, tanks, hex(3, 3));
    let zoc_hex = hex(4, 3);
    assert_eq!(zoc_hex.distance(hex(5, 3)), 1);
    let further = zoc_hex
        .neighbors()
        .into_iter()
        .find(|n| n.distance(hex(5, 3)) == 1 && *n != hex(5, 3))
        .expect("a second hex beside both");
    let r = game.submit(Order::Move {
        unit: tanks,
        path: vec![zoc_hex, further],
    });
    assert_eq!(
        r,
        Err(OrderRejected::ZoneOfControl {
            unit: "Test Tank Corps".into(),
            at: zoc_hex
        })
    );
    game.submit(Order::Move {
        unit: tanks,
        path: vec![zoc_hex],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.position(tanks), Some(zoc_hex));
}

#[test]
fn a_unit_cannot_enter_a_hex_the_enemy_holds() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    place_unit(&mut game, tanks, hex(4, 3));
    let r = game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(5, 3)],
    });
    assert_eq!(
        r,
        Err(OrderRejected::EnemyOccupied {
            unit: "Test Tank Corps".into(),
            at: hex(5, 3)
        })
    );
}

#[test]
fn units_below_twenty_percent_readiness_exert_no_zone_of_control() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    // The Paper Brigade (readiness 0.1) holds Northtown; march along its flank.
    let paper = place_hex(&game, "Northtown");
    let map = game.world().resource::<Map>().clone();
    let (a, b) = map
        .hexes()
        .flat_map(|h| h.neighbors().map(move |n| (h, n)))
        .find(|&(h, n)| {
            h.distance(paper) == 1
                && n.distance(paper) == 1
                && map.edge(h, n).is_some_and(|e| e.river.is_none())
                && map.cell(h).unwrap().terrain == TerrainKind::Steppe
                && map.cell(n).unwrap().terrain == TerrainKind::Steppe
        })
        .expect("two steppe hexes beside Northtown");
    place_unit(&mut game, tanks, a);
    game.submit(Order::Move {
        unit: tanks,
        path: vec![b],
    })
    .unwrap();
}

#[test]
fn stacking_beyond_the_limit_is_refused() {
    let mut game = tiny_game();
    game.world_mut().resource_mut::<Rules>().0.stacking_limit = 4;
    let tanks = id(&mut game, "Test Tank Corps");
    let rifles = id(&mut game, "Test Rifle Division");
    let tank_hex = game.position(tanks).unwrap();
    let rifle_hex = game.position(rifles).unwrap();
    assert_eq!(tank_hex.distance(rifle_hex), 1);
    let r = game.submit(Order::Move {
        unit: rifles,
        path: vec![tank_hex],
    });
    assert_eq!(
        r,
        Err(OrderRejected::Overstacked {
            unit: "Test Rifle Division".into(),
            at: tank_hex,
            points: 5,
            limit: 4
        })
    );
}

#[test]
fn only_the_side_to_move_may_give_orders() {
    let mut game = tiny_game();
    let jap = id(&mut game, "Test Infantry Division");
    let r = game.submit(Order::Hold { unit: jap });
    assert_eq!(
        r,
        Err(OrderRejected::NotYourUnit {
            unit: "Test Infantry Division".into(),
            owner: Side::Japanese,
            active: Side::Soviet
        })
    );
    assert_eq!(
        game.submit(Order::Hold { unit: UnitId(999) }),
        Err(OrderRejected::UnknownUnit(999))
    );
}

#[test]
fn a_second_move_in_one_turn_is_refused_until_the_first_is_cancelled() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3)],
    })
    .unwrap();
    assert_eq!(
        game.submit(Order::Move {
            unit: tanks,
            path: vec![hex(1, 3), hex(2, 3)]
        }),
        Err(OrderRejected::AlreadyOrdered {
            unit: "Test Tank Corps".into()
        })
    );
    game.submit(Order::Hold { unit: tanks }).unwrap();
    game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3), hex(2, 3)],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.position(tanks), Some(hex(2, 3)));
}

#[test]
fn a_march_burns_fuel_in_proportion_to_its_movement_cost() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    let rate = {
        let e = game.entity(tanks).unwrap();
        let s = *game.world().get::<Strength>(e).unwrap();
        burn_t_per_km(&game.world().resource::<Rules>().0, &s)
    };
    // 200 tanks × 0.45 t × 0.6 /100 km + 1,000 vehicles × 0.07 t × 0.75 /100 km.
    assert!((rate - (0.54 + 0.525)).abs() < 1e-9, "{rate}");
    game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3), hex(2, 3)],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    // The lorries refill it in the same phase: the ledger keeps what the march burned.
    let used = game
        .world()
        .resource::<august_storm::model::logistics::FuelLedger>()
        .soviet
        .burned_moving_t;
    assert!((used - (17.0 + 34.0) * rate).abs() < 1e-6, "{used}");
    let moved = game
        .events()
        .iter()
        .find_map(|e| match &e.event {
            GameEvent::UnitMoved {
                unit,
                fuel_used_t,
                km,
                ..
            } if *unit == tanks => Some((*fuel_used_t, *km)),
            _ => None,
        })
        .expect("a UnitMoved event");
    assert_eq!(moved.0, ((17.0 + 34.0) * rate * 100.0f64).round() / 100.0);
    assert!(
        (moved.1 - 40.0).abs() < 1.0,
        "two hexes are about 40 km: {}",
        moved.1
    );
}

#[test]
fn a_move_beyond_the_fuel_on_hand_is_refused_with_the_figures() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    let e = game.entity(tanks).unwrap();
    game.world_mut().get_mut::<Stocks>(e).unwrap().fuel_t = 10.0;
    let r = game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3)],
    });
    assert!(
        matches!(r, Err(OrderRejected::NotEnoughFuel { available, .. }) if available == 10.0),
        "{r:?}"
    );
    assert!(r.unwrap_err().to_string().contains("has 10.0 t"));
}

#[test]
fn taking_an_empty_enemy_place_changes_its_control_with_time_and_unit() {
    let mut game = tiny_game();
    let tanks = id(&mut game, "Test Tank Corps");
    game.submit(Order::Move {
        unit: tanks,
        path: vec![hex(1, 3), hex(2, 3), hex(3, 3)],
    })
    .unwrap();
    game.submit(Order::EndTurn).unwrap();
    let passtown = game
        .world()
        .resource::<Map>()
        .place_named("Passtown")
        .unwrap()
        .id;
    let captured: Vec<_> = game
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            GameEvent::PlaceCaptured {
                place,
                by,
                from,
                to,
                ..
            } => Some((e.time.clone(), *place, *by, *from, *to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        captured,
        vec![(
            "1945-08-09T00:01+09:00".to_string(),
            passtown,
            tanks,
            Some(Side::Japanese),
            Side::Soviet
        )]
    );
    assert_eq!(
        game.world().resource::<Control>().owner[passtown.0 as usize],
        Some(Side::Soviet)
    );
}

#[test]
fn a_standing_order_marches_turn_after_turn_to_its_destination() {
    let mut game = tiny_game();
    let rifles = id(&mut game, "Test Rifle Division");
    let westtown = place_hex(&game, "Westtown");
    let target = hex(1, 0);
    game.submit(Order::MoveTo {
        unit: rifles,
        to: target,
    })
    .unwrap();
    for _ in 0..6 {
        game.submit(Order::EndTurn).unwrap();
    }
    assert_eq!(game.position(rifles), Some(target));
    assert!(game.events().iter().any(|e| e.event
        == GameEvent::DestinationReached {
            unit: rifles,
            at: target
        }));
    assert_ne!(westtown, target);
}

#[test]
fn the_calendar_alternates_sides_and_advances_twelve_hours_a_turn() {
    let mut game = tiny_game();
    assert_eq!(
        (game.calendar().turn, game.calendar().active),
        (1, Side::Soviet)
    );
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(
        (game.calendar().turn, game.calendar().active),
        (1, Side::Japanese)
    );
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(
        (game.calendar().turn, game.calendar().active),
        (2, Side::Soviet)
    );
    assert_eq!(
        time::iso_local(game.calendar().now()),
        "1945-08-09T12:01+09:00"
    );
    game.run_to_end();
    // 9 Aug 00:01 to 12 Aug 00:00 is six turns of 12 hours.
    assert_eq!(game.calendar().turn, 6);
    assert!(game.calendar().finished);
    assert_eq!(game.submit(Order::EndTurn), Err(OrderRejected::GameOver));
}

/// Route searches are remembered for the rest of the game by everything a search reads (the
/// weather, the hexes the enemy holds and covers, the ferried crossings): a search answered
/// from memory finds what a fresh search finds, an enemy standing in the way is never
/// marched through on a remembered route, and once he has gone the first route comes back.
#[test]
fn a_remembered_route_is_the_route_a_fresh_search_finds() {
    use august_storm::model::logistics::CurrentWeather;
    use august_storm::rules::movement::{Going, Occupancy, find_route, snapshot};
    let mut game = game_of(&historical(), Some(1));
    let units = snapshot(game.world_mut());
    let world = game.world();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let going = Going::of(world);
    let u = units
        .iter()
        .find(|u| u.name == "5th Guards Tank Corps")
        .expect("the tank corps")
        .clone();
    let to = place_hex(&game, "Lubei");
    let dry = CurrentWeather::dry(map.cells.len());
    let route = |occ: &Occupancy, w: &CurrentWeather| find_route(map, rules, w, occ, &u, to, 12);
    let mut shared = Occupancy::sharing(&going, map, rules, &units);
    let first = route(&shared, &dry).expect("a route to Lubei");
    assert_eq!(route(&shared, &dry), Some(first.clone()), "asked again");
    // An enemy brigade on the route's middle hex.
    let mut blocker = units
        .iter()
        .find(|v| v.side == Side::Japanese && v.strength.men > 0)
        .expect("a Japanese unit")
        .clone();
    let mid = first[first.len() / 2];
    blocker.hex = mid;
    shared.add(map, rules, &blocker, mid);
    let mut with_blocker = units.clone();
    with_blocker.push(blocker.clone());
    let fresh = Occupancy::new(map, rules, &with_blocker);
    let around = route(&shared, &dry);
    assert_eq!(around, route(&fresh, &dry), "remembered and fresh differ");
    assert!(
        around.as_ref().is_none_or(|r| !r.contains(&mid)),
        "the remembered route marches through the enemy at {mid:?}"
    );
    // Downpour on the dry route's hexes makes another route cheaper: a search in that
    // weather is its own, not the dry one remembered.
    let mut cells = vec![Weather::Dry; map.cells.len()];
    for h in &first[..first.len() - 1] {
        cells[map.index(*h).expect("on the map")] = Weather::Downpour;
    }
    let storm = CurrentWeather::new(cells);
    let unblocked = Occupancy::sharing(&going, map, rules, &units);
    let wet = route(&unblocked, &storm);
    assert_ne!(wet, Some(first.clone()), "the storm's route is the dry one");
    assert_eq!(wet, route(&Occupancy::new(map, rules, &units), &storm));
    assert_eq!(route(&shared, &storm), route(&fresh, &storm));
    // The enemy gone, the first route again.
    shared.remove(map, rules, &blocker, mid);
    assert_eq!(route(&shared, &dry), Some(first));
}
