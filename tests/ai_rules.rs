//! The AI commanders' rules on the fixture map, one situation each: the Japanese hold the
//! passes and give ground by bounds, stay put once their redeployment is done; the Soviets
//! mass for an attack the troops in contact are too weak to make; a march planned on what a
//! side knows stops when it runs into an enemy it did not know of.

use crate::common;

use august_storm::ai::plan_orders;
use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::rules::fog::{last_known, update_intel};
use august_storm::scenario::schema::{Axis, PlanFile, SidePlan};
use august_storm::scenario::spawn::{Plans, Rules};
use august_storm::scenario::whatif::Switches;
use common::*;

/// Both sides' plans: the Japanese fall back on Easttown; neither side has axes.
fn plans(g: &mut Game) {
    plans_with(g, "Easttown", vec![]);
}

/// Both sides' plans: the Japanese fall back on `redoubt`, the Soviets follow `axes`.
fn plans_with(g: &mut Game, redoubt: &str, axes: Vec<Axis>) {
    let side = |redoubt: Vec<String>, fall_back_odds: f64| SidePlan {
        redoubt,
        attack_odds: 1.5,
        fall_back_odds,
        storm_fort_odds: 4.0,
        ..SidePlan::default()
    };
    g.world_mut().insert_resource(Plans(PlanFile {
        soviet: SidePlan {
            axes,
            ..side(vec![], 100.0)
        },
        japanese: side(vec![redoubt.into()], 4.0),
    }));
}

fn switch(g: &mut Game, name: &str, on: bool) {
    g.world_mut()
        .resource_mut::<Switches>()
        .0
        .insert(name.into(), on);
}

fn set_men(g: &mut Game, unit: UnitId, men: u32) {
    let e = g.entity(unit).unwrap();
    g.world_mut().get_mut::<Strength>(e).unwrap().men = men;
}

/// Sets the scene: units placed, both sides' pictures brought up to date, the surprise over.
fn scene(g: &mut Game, at: &[(&str, Hex)]) {
    plans(g);
    switch(g, "surprise", false);
    for (name, h) in at {
        let u = id(g, name);
        place_unit(g, u, *h);
    }
    update_intel(g.world_mut());
}

fn japanese_phase(g: &mut Game) {
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(g.world().resource::<Calendar>().active, Side::Japanese);
    update_intel(g.world_mut());
}

fn move_of(orders: &[Order], unit: UnitId) -> Option<Hex> {
    orders.iter().find_map(|o| match o {
        Order::MoveTo { unit: u, to } if *u == unit => Some(*to),
        _ => None,
    })
}

#[test]
fn a_division_driven_back_gives_up_open_ground_by_a_bound_but_holds_a_pass() {
    let mut g = tiny_game();
    let inf = id(&mut g, "Test Infantry Division");
    let easttown = place_hex(&g, "Easttown");
    let pass = hex(2, 3);
    let open = hex(3, 3);
    assert_eq!(pass.distance(open), 1);

    // Off the pass, outmatched by the tank corps and the rifle division beside it.
    scene(
        &mut g,
        &[
            ("Test Infantry Division", open),
            ("Test Tank Corps", pass),
            ("Test Rifle Division", pass),
        ],
    );
    set_men(&mut g, inf, 2000);
    japanese_phase(&mut g);
    let orders = plan_orders(g.world_mut());
    let to = move_of(&orders, inf).expect("the beaten division falls back");
    assert!(
        to.distance(easttown) < open.distance(easttown) && to.distance(open) <= 3,
        "it gives ground by a bound toward the redoubt, not {to:?}"
    );
    assert!(to.distance(pass) > 1, "and breaks contact");

    // On the pass, the same odds: it holds.
    let mut g = tiny_game();
    let inf = id(&mut g, "Test Infantry Division");
    scene(
        &mut g,
        &[
            ("Test Infantry Division", pass),
            ("Test Tank Corps", hex(1, 3)),
            ("Test Rifle Division", hex(1, 3)),
        ],
    );
    set_men(&mut g, inf, 2000);
    japanese_phase(&mut g);
    let orders = plan_orders(g.world_mut());
    assert_eq!(move_of(&orders, inf), None, "{orders:?}");
}

#[test]
fn out_of_contact_a_division_marches_to_the_redoubt_only_while_the_redeployment_lasts() {
    for redeploying in [true, false] {
        let mut g = tiny_game();
        let inf = id(&mut g, "Test Infantry Division");
        scene(&mut g, &[("Test Infantry Division", hex(4, 6))]);
        switch(&mut g, "redeployment", redeploying);
        japanese_phase(&mut g);
        let known = last_known(g.world(), Side::Japanese);
        assert!(known.is_empty(), "no enemy in sight: {known:?}");
        let orders = plan_orders(g.world_mut());
        let expected = redeploying.then(|| place_hex(&g, "Easttown"));
        assert_eq!(
            move_of(&orders, inf),
            expected,
            "redeployment {redeploying}"
        );
    }
}

#[test]
fn troops_too_weak_to_attack_are_joined_by_those_nearby_unless_all_together_are_too_weak() {
    for (defenders, massed) in [(14000, true), (200000, false)] {
        let mut g = tiny_game();
        let inf = id(&mut g, "Test Infantry Division");
        let tank = id(&mut g, "Test Tank Corps");
        let rifles = id(&mut g, "Test Rifle Division");
        let target = hex(3, 3);
        scene(
            &mut g,
            &[
                ("Test Infantry Division", target),
                ("Test Rifle Division", hex(2, 3)),
                ("Test Tank Corps", hex(0, 3)),
            ],
        );
        set_men(&mut g, inf, defenders);
        update_intel(g.world_mut());
        let orders = plan_orders(g.world_mut());
        assert!(
            !orders.iter().any(|o| matches!(o, Order::Attack { .. })),
            "the rifle division alone is too weak: {orders:?}"
        );
        assert_eq!(move_of(&orders, rifles), None, "it stays in contact");
        let to = move_of(&orders, tank);
        if massed {
            let to = to.expect("the tank corps comes up");
            assert_eq!(to.distance(target), 1, "beside the enemy, not {to:?}");
        } else {
            assert_eq!(to, None, "nobody is sent to a hopeless attack: {orders:?}");
        }
    }
}

/// The tank corps marching from Westtown to Easttown, its sight cut to the hexes beside it,
/// with the Japanese division at `hidden` (or out of the way); the hexes it passed, where it
/// ended, what stopped it and whether the Soviets know of the division at the end.
struct March {
    path: Vec<Hex>,
    at: Hex,
    halts: Vec<HaltReason>,
    seen: bool,
}

fn march(hidden: Hex, fog: bool) -> March {
    let mut g = tiny_game();
    let inf = id(&mut g, "Test Infantry Division");
    let tank = id(&mut g, "Test Tank Corps");
    {
        let mut rules = g.world_mut().resource_mut::<Rules>();
        let sight = rules.0.fog.as_mut().expect("the rules have fog of war");
        sight.sight_hexes.clear();
        sight.default_sight_hexes = 1;
        sight.terrain_sight.clear();
        sight.agents.clear();
    }
    scene(
        &mut g,
        &[
            ("Test Infantry Division", hidden),
            ("Test Rifle Division", hex(0, 7)),
            ("Dry Tank Brigade", hex(0, 7)),
            ("Paper Brigade", hex(6, 7)),
        ],
    );
    switch(&mut g, "fog", fog);
    update_intel(g.world_mut());
    let to = place_hex(&g, "Easttown");
    g.submit(Order::MoveTo { unit: tank, to }).unwrap();
    g.submit(Order::EndTurn).unwrap();
    let mut path = Vec::new();
    let mut halts = Vec::new();
    for e in g.events() {
        match &e.event {
            GameEvent::UnitMoved { unit, path: p, .. } if *unit == tank => path.extend(p),
            GameEvent::UnitHalted { unit, reason, .. } if *unit == tank => halts.push(*reason),
            _ => {}
        }
    }
    let e = g.entity(tank).unwrap();
    let at = g.world().get::<Position>(e).unwrap().0;
    let seen = last_known(g.world(), Side::Soviet)
        .iter()
        .any(|k| k.unit == inf);
    March {
        path,
        at,
        halts,
        seen,
    }
}

#[test]
fn a_march_planned_on_what_the_side_knows_stops_where_it_runs_into_an_unseen_enemy() {
    // The way the tank corps takes with nobody in it.
    let free = march(hex(6, 7), true);
    assert!(free.path.len() >= 3, "{:?}", free.path);
    let hidden = free.path[2];

    // Under fog it takes the same way, runs into the division and stops beside it, and now
    // the Soviets know of it.
    let fog = march(hidden, true);
    assert_eq!(
        fog.path,
        free.path[..2],
        "it marched as planned up to the division"
    );
    assert_eq!(fog.halts, vec![HaltReason::ZoneOfControl]);
    assert_eq!(fog.at.distance(hidden), 1);
    assert!(fog.seen);

    // Seeing everything, it plans round the division from the start (by the railway's
    // crossing of the ridge) and never comes near it.
    let open = march(hidden, false);
    assert!(
        open.path.iter().all(|h| h.distance(hidden) > 1),
        "{:?}",
        open.path
    );
    assert!(open.halts.is_empty(), "{:?}", open.halts);
}

#[test]
fn in_a_whole_historical_campaign_the_rules_refuse_no_order_of_either_ai() {
    let mut g = game_of(&historical(), Some(3));
    august_storm::cli::simulate::play(&mut g, &[], &[Side::Soviet, Side::Japanese], u32::MAX);
    assert!(g.calendar().finished);
    let refused: Vec<&GameEvent> = g
        .events()
        .iter()
        .map(|e| &e.event)
        .filter(|e| matches!(e, GameEvent::OrderRejected { .. }))
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    let handed = g
        .events()
        .iter()
        .any(|e| matches!(e.event, GameEvent::FuelHandedOver { .. }));
    assert!(
        handed,
        "some forward detachment was fuelled by its neighbours"
    );
}

#[test]
fn after_the_broadcast_japanese_units_fight_on_until_they_hear_the_order() {
    let mut g = tiny_game();
    g.world_mut().resource_mut::<Rules>().0.desertion = None;
    let inf = id(&mut g, "Test Infantry Division");
    let rifles = id(&mut g, "Test Rifle Division");
    // Turn 4, the Japanese phase: the broadcast was made at 10 Aug 12:00, the order is on
    // its way down the chain and has not reached the division.
    while !(g.calendar().turn == 4 && g.calendar().active == Side::Japanese) {
        g.submit(Order::EndTurn).unwrap();
    }
    assert!(august_storm::rules::ceasefire::broadcast_made(g.world()));
    assert!(!august_storm::rules::ceasefire::ceased(g.world()).contains(&inf));
    let target = hex(2, 3);
    scene(
        &mut g,
        &[
            ("Test Infantry Division", hex(3, 3)),
            ("Test Rifle Division", target),
        ],
    );
    set_men(&mut g, inf, 200_000);
    set_men(&mut g, rifles, 500);
    update_intel(g.world_mut());
    let attacks = |g: &mut Game| {
        plan_orders(g.world_mut())
            .into_iter()
            .filter(|o| matches!(o, Order::Attack { units, .. } if units.contains(&inf)))
            .count()
    };
    assert_eq!(attacks(&mut g), 1, "it has not heard: it attacks");
    // Once it has heard, it neither attacks nor moves.
    g.world_mut()
        .resource_mut::<CeasefireState>()
        .units
        .insert(inf, 4);
    assert_eq!(attacks(&mut g), 0);
    assert_eq!(move_of(&plan_orders(g.world_mut()), inf), None);
}

fn set_readiness(g: &mut Game, unit: UnitId, r: f64) {
    let e = g.entity(unit).unwrap();
    g.world_mut().get_mut::<Readiness>(e).unwrap().0 = r;
}

#[test]
fn a_division_sharing_permanent_works_with_their_garrison_leaves_them_to_it() {
    // Easttown's level-4 works, the enemy beside them but far from outmatching the division:
    // alone there, the division holds them; with a brigade of fortress troops beside it, it
    // leaves them to the brigade and falls back on the redoubt by a bound.
    for with_garrison in [false, true] {
        let mut g = tiny_game();
        let inf = id(&mut g, "Test Infantry Division");
        let paper = id(&mut g, "Paper Brigade");
        let easttown = place_hex(&g, "Easttown");
        let northtown = place_hex(&g, "Northtown");
        let mut at = vec![
            ("Test Infantry Division", easttown),
            ("Test Rifle Division", easttown.neighbor(3)),
        ];
        if with_garrison {
            at.push(("Paper Brigade", easttown));
        }
        scene(&mut g, &at);
        plans_with(&mut g, "Northtown", vec![]);
        // Strong enough that the division does not attack it, not so strong that it
        // outmatches the division.
        let rifles = id(&mut g, "Test Rifle Division");
        set_men(&mut g, rifles, 25_000);
        set_readiness(&mut g, paper, 0.8);
        switch(&mut g, "redeployment", false);
        japanese_phase(&mut g);
        let orders = plan_orders(g.world_mut());
        let to = move_of(&orders, inf);
        if with_garrison {
            let to = to.expect("the division falls back");
            assert!(
                to.distance(northtown) < easttown.distance(northtown) && to.distance(easttown) <= 3,
                "by a bound toward the redoubt, not {to:?}"
            );
            assert_eq!(move_of(&orders, paper), None, "the brigade keeps the works");
        } else {
            assert_eq!(to, None, "alone, it holds the works: {orders:?}");
        }
    }
}

#[test]
fn a_unit_marching_back_through_a_pass_with_the_enemy_following_stands_there() {
    // On its way to the redoubt it is ordered to stand; a unit already standing on the pass
    // needs no order to hold it.
    for marching in [true, false] {
        let mut g = tiny_game();
        let inf = id(&mut g, "Test Infantry Division");
        let pass = hex(2, 3);
        scene(
            &mut g,
            &[
                ("Test Infantry Division", pass),
                ("Test Rifle Division", hex(0, 3)),
            ],
        );
        if marching {
            let easttown = place_hex(&g, "Easttown");
            let e = g.entity(inf).unwrap();
            g.world_mut().entity_mut(e).insert(Destination(easttown));
        }
        japanese_phase(&mut g);
        let orders = plan_orders(g.world_mut());
        let mine: Vec<&Order> = orders
            .iter()
            .filter(|o| match o {
                Order::Hold { unit } | Order::MoveTo { unit, .. } => *unit == inf,
                _ => false,
            })
            .collect();
        if marching {
            assert_eq!(mine, vec![&Order::Hold { unit: inf }]);
        } else {
            assert!(mine.is_empty(), "{mine:?}");
        }
    }
}

#[test]
fn the_unit_left_to_blockade_works_stops_marching_and_the_rest_do_not_close_with_them() {
    let mut g = tiny_game();
    let rifles = id(&mut g, "Test Rifle Division");
    let tanks = id(&mut g, "Test Tank Corps");
    let easttown = place_hex(&g, "Easttown");
    let beyond = place_hex(&g, "Northtown");
    scene(
        &mut g,
        &[
            ("Test Infantry Division", easttown),
            ("Test Rifle Division", easttown.neighbor(3)),
            ("Test Tank Corps", easttown.neighbor(2)),
        ],
    );
    // The division strong enough that nobody attacks it.
    let inf = id(&mut g, "Test Infantry Division");
    set_men(&mut g, inf, 200_000);
    plans_with(
        &mut g,
        "Easttown",
        vec![Axis {
            formations: vec!["Red Front".into()],
            objectives: vec!["Easttown".into(), "Northtown".into()],
            abreast: 1,
            source: "test".into(),
        }],
    );
    for u in [rifles, tanks] {
        let e = g.entity(u).unwrap();
        g.world_mut().entity_mut(e).insert(Destination(easttown));
    }
    update_intel(g.world_mut());
    let orders = plan_orders(g.world_mut());
    let held: Vec<UnitId> = orders
        .iter()
        .filter_map(|o| match o {
            Order::Hold { unit } => Some(*unit),
            _ => None,
        })
        .collect();
    assert_eq!(
        held,
        vec![tanks.min(rifles)],
        "the first beside the works blockades: {orders:?}"
    );
    let other = tanks.max(rifles);
    let to = move_of(&orders, other);
    assert_ne!(
        to,
        Some(easttown),
        "nobody closes with the works: {orders:?}"
    );
    assert_eq!(
        to,
        Some(beyond),
        "the other goes on to the next objective: {orders:?}"
    );
}

/// Orders of the Soviet AI for a formation that goes for Passtown and Northtown abreast, with
/// the tank corps and the rifle division where `at` puts them.
fn abreast_orders(tanks_at: Hex, rifles_at: Hex) -> (Vec<Order>, UnitId, UnitId) {
    let mut g = tiny_game();
    let rifles = id(&mut g, "Test Rifle Division");
    let tanks = id(&mut g, "Test Tank Corps");
    let far = place_hex(&g, "Easttown").neighbor(0);
    scene(
        &mut g,
        &[
            ("Test Tank Corps", tanks_at),
            ("Test Rifle Division", rifles_at),
            ("Test Infantry Division", far),
            ("Paper Brigade", far),
        ],
    );
    plans_with(
        &mut g,
        "Easttown",
        vec![Axis {
            formations: vec!["Red Front".into()],
            objectives: vec!["Passtown".into(), "Northtown".into()],
            abreast: 2,
            source: "test".into(),
        }],
    );
    update_intel(g.world_mut());
    (plan_orders(g.world_mut()), tanks, rifles)
}

#[test]
fn a_formation_closes_on_its_next_objective_in_one_body_and_fans_out_to_those_abreast_near_it() {
    let g = tiny_game();
    let (west, pass, north) = (
        place_hex(&g, "Westtown"),
        place_hex(&g, "Passtown"),
        place_hex(&g, "Northtown"),
    );
    // Far off (further from the first than the two are apart), both make for the first.
    let far: Vec<Hex> = (0..6)
        .map(|k| west.neighbor(k))
        .filter(|h| {
            h.distance(pass) > pass.distance(north) && g.world().resource::<Map>().contains(*h)
        })
        .collect();
    assert!(
        far.len() >= 2,
        "the fixture's geometry: {west:?} {pass:?} {north:?}"
    );
    let (orders, tanks, rifles) = abreast_orders(far[0], far[1]);
    assert_eq!(move_of(&orders, tanks), Some(pass), "{orders:?}");
    assert_eq!(move_of(&orders, rifles), Some(pass), "{orders:?}");
    // Near it, the objectives are shared: each to the unit nearer it than to the other.
    let by_pass = pass.neighbors()[3];
    let by_north = (0..6)
        .map(|k| north.neighbor(k))
        .find(|h| h.distance(pass) >= pass.distance(north))
        .unwrap();
    let (orders, tanks, rifles) = abreast_orders(by_pass, by_north);
    assert_eq!(move_of(&orders, tanks), Some(pass), "{orders:?}");
    assert_eq!(move_of(&orders, rifles), Some(north), "{orders:?}");
}
