//! Landings from the sea and river flotillas on the coast fixture map.

use crate::common;

use august_storm::model::logistics::SeaTransport;
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::scenario::load::coastal;
use common::*;

fn coast_game() -> Game {
    game_of(&fixture("tiny_coast.ron"), None)
}

fn formation(g: &Game, name: &str) -> FormationId {
    g.world()
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .find(|f| f.name == name)
        .unwrap()
        .id
}

fn landing(g: &mut Game, target: Hex) -> (UnitId, Order) {
    let marines = id(g, "Test Marines");
    let port = g
        .world()
        .resource::<Map>()
        .place_named("Westport")
        .unwrap()
        .id;
    let order = Order::SeaLanding {
        fleet: formation(g, "Red Fleet"),
        port,
        unit: marines,
        target,
    };
    (marines, order)
}

/// The empty beach nearest Westport, other than its own hex.
fn empty_beach(g: &mut Game) -> Hex {
    let port = place_hex(g, "Westport");
    let taken: Vec<Hex> = g
        .unit_names()
        .into_iter()
        .map(|(u, _)| g.position(u).unwrap())
        .collect();
    let map = g.world().resource::<Map>();
    map.hexes()
        .filter(|h| coastal(map, *h) && *h != port && !taken.contains(h))
        .min_by_key(|h| (h.distance(port), *h))
        .unwrap()
}

fn sea_events(g: &Game) -> Vec<GameEvent> {
    g.events()
        .iter()
        .map(|e| e.event.clone())
        .filter(|e| {
            matches!(
                e,
                GameEvent::SeaLandingSailed { .. }
                    | GameEvent::SeaLandingMade { .. }
                    | GameEvent::SeaLandingRepulsed { .. }
            )
        })
        .collect()
}

fn end_turns(g: &mut Game, n: usize) {
    for _ in 0..n {
        g.submit(Order::EndTurn).unwrap();
    }
}

#[test]
fn a_landing_on_an_empty_beach_puts_the_troops_ashore_at_the_next_phase() {
    let mut g = coast_game();
    let beach = empty_beach(&mut g);
    let (marines, order) = landing(&mut g, beach);
    let port = g
        .world()
        .resource::<Map>()
        .place_named("Westport")
        .unwrap()
        .id;
    g.submit(order).unwrap();
    end_turns(&mut g, 1);
    assert_eq!(g.position(marines), Some(place_hex(&g, "Westport")));
    end_turns(&mut g, 1);
    let refused = g.submit(Order::MoveTo {
        unit: marines,
        to: place_hex(&g, "Westtown"),
    });
    assert_eq!(
        refused,
        Err(OrderRejected::AtSea {
            unit: "Test Marines".into()
        })
    );
    end_turns(&mut g, 1);
    assert_eq!(g.position(marines), Some(beach));
    assert_eq!(
        sea_events(&g),
        vec![
            GameEvent::SeaLandingSailed {
                unit: marines,
                port,
                target: beach
            },
            GameEvent::SeaLandingMade {
                unit: marines,
                at: beach
            },
        ]
    );
}

#[test]
fn a_landing_inland_or_beyond_the_fleets_range_is_refused_with_a_reason() {
    let mut g = coast_game();
    let inland = place_hex(&g, "Westtown");
    let (_, order) = landing(&mut g, inland);
    assert_eq!(
        g.submit(order),
        Err(OrderRejected::NotCoastal { at: inland })
    );
    let far = place_hex(&g, "Southtown");
    let (_, order) = landing(&mut g, far);
    let err = g.submit(order).unwrap_err();
    assert!(
        matches!(err, OrderRejected::SeaOutOfRange { range, distance, .. } if range == 60.0 && distance > 60.0),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("Red Fleet sails 60 km at most"),
        "{err}"
    );
}

#[test]
fn a_landing_beyond_the_fleets_lift_is_refused() {
    let mut g = coast_game();
    g.world_mut().resource_mut::<SeaTransport>().fleets[0].men_per_turn = 1500;
    let beach = empty_beach(&mut g);
    let (_, order) = landing(&mut g, beach);
    assert_eq!(
        g.submit(order),
        Err(OrderRejected::SeaLiftCapacity {
            fleet: "Red Fleet".into(),
            unit: "Test Marines".into(),
            requested: 2000,
            available: 1500
        })
    );
}

/// Lands the marines on defended Southtown, with the fleet's guns as given; returns the
/// battle's odds and the landing's outcome.
fn storm_southtown(guns: u32) -> (f64, GameEvent) {
    let mut g = coast_game();
    {
        let mut sea = g.world_mut().resource_mut::<SeaTransport>();
        sea.fleets[0].range_km = 200.0;
        sea.fleets[0].gunfire_guns = guns;
    }
    let target = place_hex(&g, "Southtown");
    let (marines, order) = landing(&mut g, target);
    g.submit(order).unwrap();
    end_turns(&mut g, 3);
    let odds = g
        .events()
        .iter()
        .find_map(|e| match &e.event {
            GameEvent::Battle {
                target: t,
                attackers,
                odds,
                ..
            } if *t == target && attackers == &vec![marines] => Some(*odds),
            _ => None,
        })
        .expect("the landing is fought");
    let outcome = sea_events(&g).last().cloned().unwrap();
    (odds, outcome)
}

#[test]
fn a_landing_on_a_defended_beach_is_fought_with_the_fleets_gunfire() {
    let (without, _) = storm_southtown(0);
    let (with, outcome) = storm_southtown(60);
    assert!(
        with > without,
        "gunfire raises the odds: {with} with, {without} without"
    );
    assert!(matches!(
        outcome,
        GameEvent::SeaLandingMade { .. } | GameEvent::SeaLandingRepulsed { .. }
    ));
}

/// A river edge the first flotilla sails where no road or railway bridges it.
fn unbridged_crossing(
    map: &Map,
    flotillas: &august_storm::model::logistics::RiverFlotillas,
) -> (Hex, Hex) {
    *flotillas.flotillas[0]
        .crossings
        .iter()
        .find(|(a, b)| {
            map.edge(*a, *b)
                .is_some_and(|e| e.road.is_none() && e.rail.is_none())
        })
        .expect("the flotilla sails an unbridged edge")
}

#[test]
fn a_river_crossing_where_the_flotilla_sails_costs_less_than_without_it() {
    use august_storm::model::logistics::{RiverFlotillas, Weather};
    use august_storm::rules::movement::{Occupancy, snapshot, step_cost};
    use august_storm::scenario::spawn::Rules;
    let mut g = coast_game();
    let units = snapshot(g.world_mut());
    let world = g.world();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let flotillas = world.resource::<RiverFlotillas>();
    let (a, b) = unbridged_crossing(map, flotillas);
    let plain = Occupancy::new(map, rules, &units);
    let boats = Occupancy::new(map, rules, &units).with_ferries(Some(flotillas));
    for mobility in [Mobility::Foot, Mobility::Tracked, Mobility::Motorised] {
        let Some(step) = step_cost(map, rules, mobility, a, b, Weather::Dry) else {
            continue;
        };
        let without = plain.ferried(map, rules, a, b, Side::Soviet, step);
        let with = boats.ferried(map, rules, a, b, Side::Soviet, step);
        let cost = |s: august_storm::rules::movement::Step| {
            if s.whole_turn.is_some() {
                f64::INFINITY
            } else {
                s.km
            }
        };
        assert!(
            cost(with) < cost(without),
            "{mobility:?}: {with:?} is not cheaper than {without:?}"
        );
        // The enemy's boats carry nobody of ours.
        let theirs = boats.ferried(map, rules, a, b, Side::Japanese, step);
        assert_eq!(
            theirs, without,
            "{mobility:?}: the flotilla ferried the enemy"
        );
    }
}

/// Occupancies of one game share the flotillas' crossings their game worked out once: one
/// built after another ferries the same, and closing a crossing in one (a flotilla full for
/// the turn) closes it in that one only, the others and those built later keeping it open.
#[test]
fn occupancies_sharing_the_ferried_crossings_close_them_each_for_itself() {
    use august_storm::model::logistics::{RiverFlotillas, Weather};
    use august_storm::rules::movement::{Going, Occupancy, snapshot, step_cost};
    use august_storm::scenario::spawn::Rules;
    let mut g = coast_game();
    let units = snapshot(g.world_mut());
    let world = g.world();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let going = Going::of(world);
    let flotillas = world.resource::<RiverFlotillas>();
    let (a, b) = unbridged_crossing(map, flotillas);
    let step = step_cost(map, rules, Mobility::Foot, a, b, Weather::Dry).expect("a step");
    let fresh = || Occupancy::sharing(&going, map, rules, &units).with_ferries(Some(flotillas));
    let ferried = |o: &Occupancy| o.ferried(map, rules, a, b, Side::Soviet, step);
    let plain = Occupancy::sharing(&going, map, rules, &units);
    let first = fresh();
    let mut second = fresh();
    assert_eq!(ferried(&first), ferried(&second));
    assert_ne!(ferried(&first), ferried(&plain), "not ferried at all");
    let closed = second.close_ferries(&[(a.min(b), a.max(b))].into_iter().collect());
    assert_eq!(closed.len(), 1);
    assert_eq!(ferried(&second), ferried(&plain), "closed, yet ferried");
    assert_ne!(
        ferried(&first),
        ferried(&plain),
        "closed in the other occupancy too"
    );
    assert_ne!(
        ferried(&fresh()),
        ferried(&plain),
        "closed in those built later"
    );
    second.reopen_ferries(closed);
    assert_eq!(ferried(&second), ferried(&first));
}

/// Where the Tank Corps stands at the end of its phase after ordering it over the flotilla's
/// river and one hex beyond, the flotilla able to carry `capacity` men a turn and, when
/// `brigade` is set, the Dry Tank Brigade (fuelled for the test) making the same crossing.
fn cross_with_capacity(capacity: u32, brigade: bool) -> (Hex, Hex, Vec<Hex>) {
    use august_storm::model::logistics::RiverFlotillas;
    let mut g = coast_game();
    let tanks = id(&mut g, "Test Tank Corps");
    let small = id(&mut g, "Dry Tank Brigade");
    let (a, b, c) = {
        let world = g.world();
        let map = world.resource::<Map>();
        let flotillas = world.resource::<RiverFlotillas>();
        flotillas.flotillas[0]
            .crossings
            .iter()
            .flat_map(|&(x, y)| [(x, y), (y, x)])
            .filter(|&(a, b)| {
                map.edge(a, b)
                    .is_some_and(|e| e.road.is_none() && e.rail.is_none())
            })
            .find_map(|(a, b)| {
                let c = b.neighbors().into_iter().find(|c| {
                    c.distance(a) == 2
                        && map.edge(b, *c).is_some_and(|e| {
                            e.river.is_none() && e.road.is_none() && e.rail.is_none()
                        })
                        && map.cell(*c).is_some_and(|cl| {
                            cl.terrain == august_storm::model::map::TerrainKind::Steppe
                        })
                        && map.cell(b).is_some_and(|cl| {
                            cl.terrain == august_storm::model::map::TerrainKind::Steppe
                        })
                })?;
                Some((a, b, c))
            })
            .expect("an unbridged crossing of the flotilla's river onto open steppe")
    };
    g.world_mut().resource_mut::<RiverFlotillas>().flotillas[0].men_per_turn = capacity;
    place_unit(&mut g, tanks, a);
    if brigade {
        place_unit(&mut g, small, a);
        let e = g.entity(small).unwrap();
        g.world_mut().get_mut::<Stocks>(e).unwrap().fuel_t = 100.0;
        g.submit(Order::Move {
            unit: small,
            path: vec![b, c],
        })
        .unwrap();
    }
    g.submit(Order::Move {
        unit: tanks,
        path: vec![b, c],
    })
    .unwrap();
    g.submit(Order::EndTurn).unwrap();
    let ends = [tanks, small]
        .iter()
        .map(|u| g.position(*u).unwrap())
        .collect();
    (b, c, ends)
}

#[test]
fn a_flotilla_carries_no_more_men_a_turn_than_it_has_room_for() {
    // Room for the corps (10,000 men): ferried over, it goes on beyond the river.
    let (_, c, ends) = cross_with_capacity(12_000, false);
    assert_eq!(ends[0], c, "ferried, the corps marches on past the river");
    // No room: it crosses unaided, which takes the whole turn.
    let (b, _, ends) = cross_with_capacity(5_000, false);
    assert_eq!(
        ends[0], b,
        "unaided, the crossing takes the corps's whole turn"
    );
    // Room for one of the two: the corps goes first (units march in id order) and fills the
    // boats, so the brigade (1,200 men, 1,000 places left) crosses unaided.
    let (b, c, ends) = cross_with_capacity(11_000, true);
    assert_eq!(
        ends,
        vec![c, b],
        "corps ferried, brigade left to cross alone"
    );
    // Room for both.
    let (_, c, ends) = cross_with_capacity(11_200, true);
    assert_eq!(ends, vec![c, c]);
}
