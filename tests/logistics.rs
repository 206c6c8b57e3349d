//! Logistics on the fixture map: lorry lift against distance and mud, railways captured and
//! repaired, the airlift's limits, conservation of fuel, and `explain`.

use crate::common;

use august_storm::cli::simulate::{TurnOrder, UnitOrder, play_orders};
use august_storm::model::logistics::*;
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::rules::supply::{fuel_held, rail_works_for, truck_fuel_t};
use august_storm::scenario::schema::Location;
use august_storm::scenario::spawn::Rules;
use common::*;

/// Fuel the lorries delivered to a unit in the last supply phase of its side.
fn delivered(game: &Game, unit: UnitId) -> (f64, f64, SupplyLimit) {
    game.events()
        .iter()
        .rev()
        .find_map(|e| match &e.event {
            GameEvent::SupplyDelivered {
                unit: u,
                fuel_t,
                haul_km,
                limited_by,
                ..
            } if *u == unit => Some((*fuel_t, *haul_km, *limited_by)),
            _ => None,
        })
        .expect("a supply event")
}

/// The tank corps, dry, `cols` hexes east of Westtown on the road, with a lorry pool of 3.
fn dry_corps_at(col: i32) -> (Game, UnitId) {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    place_unit(&mut g, tanks, hex(col, 3));
    set_fuel(&mut g, tanks, 0.0);
    g.world_mut().resource_mut::<TruckPools>().pools[0].trucks = 3;
    g.submit(Order::EndTurn).unwrap();
    (g, tanks)
}

#[test]
fn lorry_lift_falls_with_the_length_of_the_haul() {
    let (near, a) = dry_corps_at(1);
    let (far, b) = dry_corps_at(3);
    let (fuel_near, haul_near, lim) = delivered(&near, a);
    let (fuel_far, haul_far, _) = delivered(&far, b);
    assert_eq!(lim, SupplyLimit::TruckLift);
    assert!(haul_far > haul_near * 1.5, "{haul_near} vs {haul_far}");
    // Tons delivered × haul is the pool's lift, shared with the food the corps also needs.
    let ratio = fuel_near / fuel_far;
    assert!(
        (ratio - haul_far / haul_near).abs() < 0.05 * ratio,
        "{fuel_near} t at {haul_near} km, {fuel_far} t at {haul_far} km"
    );
}

#[test]
fn mud_cuts_the_lorries_lift() {
    let (dry, a) = dry_corps_at(3);
    let (fuel_dry, haul_dry, _) = delivered(&dry, a);
    // The same haul on 10 August, under rain east of the ridge.
    let mut wet = tiny_game();
    let tanks = id(&mut wet, "Test Tank Corps");
    wet.run_until_turn(3);
    place_unit(&mut wet, tanks, hex(3, 3));
    set_fuel(&mut wet, tanks, 0.0);
    wet.world_mut().resource_mut::<TruckPools>().pools[0].trucks = 3;
    assert_eq!(
        wet.world()
            .resource::<CurrentWeather>()
            .at(wet.world().resource::<Map>(), hex(3, 3)),
        Weather::Rain
    );
    wet.submit(Order::EndTurn).unwrap();
    let (fuel_wet, haul_wet, _) = delivered(&wet, tanks);
    assert!(
        haul_wet > haul_dry,
        "mud lengthens the haul: {haul_dry} → {haul_wet}"
    );
    // Rain halves lorry speed and lengthens the route: far less than half gets through.
    assert!(fuel_wet < fuel_dry * 0.5, "{fuel_dry} dry, {fuel_wet} wet");
}

#[test]
fn lorries_burn_their_own_fuel_on_the_haul() {
    let r = &tiny_game().world().resource::<Rules>().0.clone();
    // 100 t over 100 km: 40 lorry loads, 8,000 lorry-km, 0.07 t × 0.75 / 100 km each.
    assert!((truck_fuel_t(r, 100.0, 100.0) - 8000.0 * 0.07 * 0.75 / 100.0).abs() < 1e-9);
}

#[test]
fn a_captured_railway_works_only_after_its_repair() {
    let g = tiny_game();
    let map = g.world().resource::<Map>().clone();
    let rules = g.world().resource::<Rules>().0.clone();
    let rail_hex = map
        .hexes()
        .find(|h| {
            map.initial_owner(*h) == Some(Side::Japanese)
                && map.cell(*h).unwrap().edges.iter().any(|e| e.rail.is_some())
        })
        .expect("the fixture has a Japanese railway");
    let repair = august_storm::rules::supply::repair_turns(&rules, 12);
    assert_eq!(repair, 8, "4 days of 12-hour turns");
    let mut caps = RailCaptures::default();
    assert!(!rail_works_for(
        &map,
        &caps,
        Side::Soviet,
        rail_hex,
        1,
        repair
    ));
    assert!(rail_works_for(
        &map,
        &caps,
        Side::Japanese,
        rail_hex,
        1,
        repair
    ));
    caps.taken.insert(rail_hex, (Side::Soviet, 3));
    assert!(!rail_works_for(
        &map,
        &caps,
        Side::Soviet,
        rail_hex,
        10,
        repair
    ));
    assert!(rail_works_for(
        &map,
        &caps,
        Side::Soviet,
        rail_hex,
        11,
        repair
    ));
    assert!(
        !rail_works_for(&map, &caps, Side::Japanese, rail_hex, 11, repair),
        "lost to the Japanese"
    );
}

#[test]
fn marching_along_an_enemy_railway_takes_it() {
    let mut g = tiny_game();
    let rifles = id(&mut g, "Test Rifle Division");
    let map = g.world().resource::<Map>().clone();
    let start = g.position(rifles).unwrap();
    let target = map
        .hexes()
        .filter(|h| {
            map.initial_owner(*h) == Some(Side::Japanese)
                && map.cell(*h).unwrap().edges.iter().any(|e| e.rail.is_some())
        })
        .min_by_key(|h| (h.distance(start), *h))
        .unwrap();
    g.submit(Order::MoveTo {
        unit: rifles,
        to: target,
    })
    .unwrap();
    g.run_until_turn(12);
    assert_eq!(g.position(rifles), Some(target));
    let caps = g.world().resource::<RailCaptures>();
    assert_eq!(caps.taken.get(&target).map(|x| x.0), Some(Side::Soviet));
}

fn airlift(g: &mut Game, to: UnitId, tons: f64) -> Result<(), OrderRejected> {
    let air_army = g.world().resource::<AirTransport>().fleets[0].formation;
    let base = g
        .world()
        .resource::<Map>()
        .place_named("Westtown")
        .unwrap()
        .id;
    g.submit(Order::Airlift {
        air_army,
        base,
        to,
        cargo: Cargo::Fuel,
        tons,
    })
}

#[test]
fn the_airlift_is_limited_by_the_aircraft_and_delivers_what_it_flies() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    // 10 transports × 1 sortie a day × half a day = 5 sorties of 1.29 t.
    let r = airlift(&mut g, tanks, 7.0);
    assert!(
        matches!(r, Err(OrderRejected::AirliftCapacity { sorties: 5, .. })),
        "{r:?}"
    );
    airlift(&mut g, tanks, 6.0).unwrap();
    assert!(matches!(
        airlift(&mut g, tanks, 1.0),
        Err(OrderRejected::AirliftCapacity { .. })
    ));
    let before = fuel(&mut g, tanks);
    g.submit(Order::EndTurn).unwrap();
    let flown = g
        .events()
        .iter()
        .find_map(|e| match &e.event {
            GameEvent::AirliftDelivered {
                tons,
                sorties,
                unit,
                ..
            } if *unit == tanks => Some((*tons, *sorties)),
            _ => None,
        })
        .unwrap();
    assert_eq!(flown, (6.0, 5));
    assert_eq!(g.world().resource::<FuelLedger>().soviet.airlifted_t, 6.0);
    assert!(
        fuel(&mut g, tanks) >= before,
        "the unit kept what was flown in"
    );
}

#[test]
fn the_airlift_is_limited_by_range_landing_ground_and_weather() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    // Landing ground: the pass is a mountain hex two hexes from the only airfield.
    place_unit(&mut g, tanks, hex(2, 3));
    assert!(matches!(
        airlift(&mut g, tanks, 1.0),
        Err(OrderRejected::NoLandingGround {
            terrain: august_storm::model::map::TerrainKind::Mountains,
            ..
        })
    ));
    // Range.
    place_unit(&mut g, tanks, hex(4, 4));
    g.world_mut().resource_mut::<AirTransport>().fleets[0].range_km = 30.0;
    assert!(matches!(
        airlift(&mut g, tanks, 1.0),
        Err(OrderRejected::OutOfRange { .. })
    ));
    g.world_mut().resource_mut::<AirTransport>().fleets[0].range_km = 150.0;
    airlift(&mut g, tanks, 1.0).unwrap();
    // Weather: a downpour over the landing ground grounds the transports.
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    place_unit(&mut g, tanks, hex(4, 4));
    let t0 = g.calendar().now();
    g.world_mut()
        .resource_mut::<WeatherSchedule>()
        .spans
        .push(WeatherSpan {
            name: "storm".into(),
            region: vec![(44.0, 120.8), (47.0, 120.8), (47.0, 122.5), (44.0, 122.5)],
            from: t0,
            to: t0 + chrono::Duration::hours(24),
            weather: Weather::Downpour,
        });
    august_storm::rules::weather::refresh_weather(g.world_mut());
    assert!(matches!(
        airlift(&mut g, tanks, 1.0),
        Err(OrderRejected::Grounded { .. })
    ));
}

/// A column in the mountains beside an airfield of its own is fed through the airfield: the
/// rules take the order, the AI gives it and `explain` says where the transports land.
#[test]
fn a_unit_in_the_mountains_beside_its_own_airfield_is_airlifted_there_by_rules_ai_and_explain() {
    use august_storm::model::map::TerrainKind;
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    // The steppe hex east of Westtown's airfield made a mountain valley.
    let beside = hex(1, 3);
    {
        let mut map = g.world_mut().resource_mut::<Map>();
        let i = map.index(beside).unwrap();
        map.cells[i].terrain = TerrainKind::Mountains;
    }
    place_unit(&mut g, tanks, beside);
    let west = place_hex(&g, "Westtown");
    assert_eq!(landing(&g, beside), Some(west));
    // Two hexes away in the mountains (the pass), no airfield in reach: nowhere to land.
    assert_eq!(landing(&g, hex(2, 3)), None);
    // The AI flies fuel to it when it runs short, as the rules allow.
    set_fuel(&mut g, tanks, 1.0);
    // The fixture's dry brigade, the neediest otherwise, filled up so that the corps is.
    let dry = id(&mut g, "Dry Tank Brigade");
    set_fuel(&mut g, dry, 1000.0);
    airlift_for_red_front(&mut g);
    let orders = august_storm::ai::plan_orders(g.world_mut());
    let lift = orders
        .iter()
        .find(|o| matches!(o, Order::Airlift { to, .. } if *to == tanks))
        .cloned()
        .unwrap_or_else(|| panic!("no airlift to the corps: {orders:?}"));
    g.submit(lift).expect("the rules take what the AI gives");
    let text = august_storm::report::explain::explain(&mut g, tanks);
    assert!(
        text.contains("so they land at the airfield 20 km away"),
        "{text}"
    );
}

fn held(g: &mut Game, side: Side) -> f64 {
    fuel_held(g.world_mut(), side)
}

fn balance(g: &Game, side: Side) -> f64 {
    let l = *g.world().resource::<FuelLedger>().get(side);
    l.arrived_t + l.captured_in_t - l.captured_out_t - l.burned_moving_t - l.burned_trucks_t
}

#[test]
fn fuel_is_conserved_every_phase_of_a_campaign() {
    for (path, orders) in [
        (
            fixture("tiny.ron"),
            vec![
                TurnOrder {
                    turn: 1,
                    unit: "Test Tank Corps".into(),
                    order: UnitOrder::MoveTo(Location::Place("Passtown".into())),
                },
                TurnOrder {
                    turn: 2,
                    unit: "Test Tank Corps".into(),
                    order: UnitOrder::Airlift {
                        air_army: "Red Front".into(),
                        base: "Westtown".into(),
                        cargo: Cargo::Fuel,
                        tons: 5.0,
                    },
                },
                TurnOrder {
                    turn: 1,
                    unit: "Test Rifle Division".into(),
                    order: UnitOrder::MoveTo(Location::Coord(45.97, 120.1)),
                },
                TurnOrder {
                    turn: 1,
                    unit: "Test Infantry Division".into(),
                    order: UnitOrder::MoveTo(Location::Coord(45.3, 121.1)),
                },
            ],
        ),
        (
            historical(),
            august_storm::cli::simulate::load_orders(
                &root().join("scenarios/orders/western_pincer.ron"),
            )
            .unwrap()
            .orders,
        ),
    ] {
        let mut g = game_of(&path, None);
        let start = [held(&mut g, Side::Soviet), held(&mut g, Side::Japanese)];
        let mut phases = 0;
        while !g.calendar().finished {
            let turn = g.calendar().turn;
            play_orders(&mut g, &orders, turn + 1);
            for (i, side) in [Side::Soviet, Side::Japanese].into_iter().enumerate() {
                let change = held(&mut g, side) - start[i];
                let bal = balance(&g, side);
                assert!(
                    (change - bal).abs() < 1e-6 * (1.0 + start[i]),
                    "{}: turn {turn}, {side:?}: stock changed by {change}, flows say {bal}",
                    path.display()
                );
            }
            phases += 1;
        }
        assert!(phases > 5);
        let l = g.world().resource::<FuelLedger>().soviet;
        assert!(
            l.burned_moving_t > 0.0 && l.arrived_t > 0.0 && l.burned_trucks_t > 0.0,
            "{l:?}"
        );
    }
}

/// The transports go first to the spearhead that has outrun its supply furthest, not to the
/// unit nearest its depot that happens to hold the least: the fuel flown in carried the
/// forward detachments on while the main bodies waited for their lorries [NEB-68].
#[test]
fn the_ai_flies_fuel_first_to_the_spearhead_furthest_from_its_depots() {
    let mut g = tiny_game();
    let corps = id(&mut g, "Test Tank Corps");
    let brigade = id(&mut g, "Dry Tank Brigade");
    let west = place_hex(&g, "Westtown");
    let mut landable: Vec<Hex> = {
        let map = g.world().resource::<Map>();
        map.hexes()
            .filter(|h| map.cell(*h).is_some_and(|c| c.place.is_none()))
            .collect()
    };
    landable.retain(|h| landing(&g, *h).is_some());
    landable.sort_by_key(|h| (h.distance(west), *h));
    let (near, far) = (landable[0], *landable.last().unwrap());
    assert!(
        far.distance(west) > near.distance(west) + 1,
        "{near:?} {far:?}"
    );
    // The brigade beside the depot holds nothing at all, the corps far ahead a ton.
    place_unit(&mut g, brigade, near);
    place_unit(&mut g, corps, far);
    set_fuel(&mut g, brigade, 0.0);
    set_fuel(&mut g, corps, 1.0);
    airlift_for_red_front(&mut g);
    let orders = august_storm::ai::plan_orders(g.world_mut());
    let first = orders.iter().find_map(|o| match o {
        Order::Airlift { to, .. } => Some(*to),
        _ => None,
    });
    assert_eq!(first, Some(corps), "{orders:?}");
}

/// Where transports would land for a Soviet unit at `at` (an airfield within a hex, or the
/// open ground it stands on).
fn landing(g: &Game, at: Hex) -> Option<Hex> {
    let w = g.world();
    august_storm::rules::airlift::landing_near(
        w.resource::<Map>(),
        &w.resource::<Rules>().0,
        w.resource::<Control>(),
        Side::Soviet,
        at,
    )
}

/// A Soviet plan whose only order is to fly fuel to the Red Front's units.
fn airlift_for_red_front(g: &mut Game) {
    let plan = august_storm::scenario::schema::SidePlan {
        airlift_priority: vec!["Red Front".into()],
        ..Default::default()
    };
    g.world_mut()
        .insert_resource(august_storm::scenario::spawn::Plans(
            august_storm::scenario::schema::PlanFile {
                soviet: plan,
                japanese: Default::default(),
            },
        ));
}

/// Resupply works out the lorries' hauls only as far as its units need them
/// (`haul_field_to`): at the cells wanted, the haul and the depot are those of the whole
/// field, on the historical campaign in its fifth day, for both sides, whichever cells are
/// wanted; a search for cells near the depots stops short of the whole field.
#[test]
fn the_hauls_worked_out_for_the_units_are_those_of_the_whole_field() {
    use august_storm::rules::movement::{Going, Occupancy, snapshot};
    use august_storm::rules::supply::{haul_field, haul_field_to, repair_turns, supply_points};
    let mut game = game_of(&historical(), Some(3));
    while game.calendar().turn < 9 {
        august_storm::ai::play_phase(&mut game);
    }
    let units = snapshot(game.world_mut());
    let world = game.world();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let depots = world.resource::<Depots>();
    let captures = world.resource::<RailCaptures>();
    let occ = Occupancy::sharing(&Going::of(world), map, rules, &units);
    let turn = game.calendar().turn;
    let repair = repair_turns(rules, game.calendar().turn_hours);
    let mut stopped_short = 0;
    for side in [Side::Soviet, Side::Japanese] {
        let points = supply_points(map, depots, captures, &occ, side, turn, repair);
        let whole = haul_field(map, rules, weather, &occ, side, &points);
        let reached = whole.iter().filter(|c| c.is_some()).count();
        let own: Vec<usize> = units
            .iter()
            .filter(|u| u.side == side && u.strength.men > 0)
            .filter_map(|u| map.index(u.hex))
            .collect();
        // By distance from the depots: the nearest cells reached, the farthest, every tenth.
        let mut by_haul: Vec<usize> = (0..whole.len()).filter(|&i| whole[i].is_some()).collect();
        by_haul.sort_by(|&a, &b| whole[a].unwrap().0.total_cmp(&whole[b].unwrap().0));
        let near: Vec<usize> = by_haul.iter().copied().take(30).collect();
        let far: Vec<usize> = by_haul.iter().rev().copied().take(3).collect();
        let every_tenth: Vec<usize> = by_haul.iter().copied().step_by(10).collect();
        let unreached: Vec<usize> = (0..whole.len())
            .filter(|&i| whole[i].is_none())
            .take(2)
            .chain(near.iter().copied().take(2))
            .collect();
        // And cells one at a time, where the first haul found to a cell is often not its
        // shortest (the way round a river found after the way across).
        let singles: Vec<Vec<usize>> = by_haul.iter().step_by(23).map(|&c| vec![c]).collect();
        for wanted in [&own, &near, &far, &every_tenth, &unreached]
            .into_iter()
            .chain(singles.iter())
        {
            let part = haul_field_to(map, rules, weather, &occ, side, &points, wanted);
            for &w in wanted.iter() {
                assert_eq!(part[w], whole[w], "{side:?}: cell {w}'s haul");
            }
            if part.iter().filter(|c| c.is_some()).count() < reached {
                stopped_short += 1;
            }
        }
        assert!(
            !own.is_empty() && reached > 100,
            "{side:?}: {reached} cells reached"
        );
    }
    assert!(
        stopped_short >= 2,
        "the search never stopped short of the whole field"
    );
}
