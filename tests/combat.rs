//! Combat on the fixture map: combat values and each modifier, fortified regions against
//! storming and blockade, readiness, surrender and the cease-fire's spread.

use crate::common;

use august_storm::model::*;
use august_storm::rules::Game;
use august_storm::rules::combat::base_value;
use august_storm::scenario::spawn::Rules;
use common::*;

fn strength(g: &mut Game, u: UnitId) -> Strength {
    let e = g.entity(u).unwrap();
    *g.world().get::<Strength>(e).unwrap()
}

fn battles(g: &Game) -> Vec<(f64, BattleResult, Losses, Losses)> {
    g.events()
        .iter()
        .filter_map(|e| match &e.event {
            GameEvent::Battle {
                odds,
                result,
                attacker_losses,
                defender_losses,
                ..
            } => Some((*odds, *result, *attacker_losses, *defender_losses)),
            _ => None,
        })
        .collect()
}

#[test]
fn combat_value_counts_men_tanks_guns_and_readiness_and_halves_below_fifteen_percent() {
    let g = tiny_game();
    let c = &g.world().resource::<Rules>().0.combat;
    let s = Strength {
        men: 3000,
        tanks: 0,
        guns: 10,
        mrl: 0,
        vehicles: 20,
    };
    // (3 + 10 × 0.02) × (0.3 + 0.7 × readiness)
    assert!((base_value(c, &s, 0.5) - 3.2 * 0.65).abs() < 1e-9);
    assert!((base_value(c, &s, 0.15) - 3.2 * (0.3 + 0.7 * 0.15)).abs() < 1e-9);
    // Below 15% ready: half of that again.
    assert!((base_value(c, &s, 0.1) - 3.2 * 0.37 * 0.5).abs() < 1e-9);
    let corps = Strength {
        men: 10000,
        tanks: 200,
        guns: 100,
        mrl: 8,
        vehicles: 1000,
    };
    assert!((base_value(c, &corps, 1.0) - (10.0 + 30.0 + 2.0 + 0.4)).abs() < 1e-9);
}

#[test]
fn a_fortified_city_multiplies_its_defence_by_place_and_works() {
    use august_storm::rules::combat::odds;
    use august_storm::rules::movement::snapshot;
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    place_unit(&mut g, tanks, hex(4, 3));
    let units = snapshot(g.world_mut());
    let w = g.world();
    let rules = &w.resource::<Rules>().0;
    let map = w.resource::<Map>();
    let att = units.iter().find(|u| u.id == tanks).unwrap().clone();
    let def: Vec<_> = units
        .iter()
        .filter(|u| u.hex == hex(5, 3))
        .cloned()
        .collect();
    let weather = w.resource::<logistics::CurrentWeather>();
    let oob = w.resource::<OrderOfBattle>();
    let o = odds(
        rules,
        map,
        weather,
        oob,
        &[(att.clone(), 1.0)],
        &def,
        hex(5, 3),
        false,
    );
    let c = &rules.combat;
    let d = &def[0];
    let cell = map.cell(hex(5, 3)).unwrap();
    assert_eq!(cell.fort_level, 4);
    let expected_def = base_value(c, &d.strength, d.readiness)
        * c.terrain_defence[&cell.terrain]
        * c.place_defence
        * (1.0 + 4.0 * c.fort_defence_per_level);
    assert!(
        (o.defence - expected_def).abs() < 1e-9,
        "{} vs {expected_def}",
        o.defence
    );
    // Red Front's 100 combat aircraft against none: air superiority in dry weather; and
    // against permanent works (level 4) the corps' tanks count a share of their worth only.
    assert!(cell.fort_level >= c.fort_holds_level);
    let no_tanks = Strength {
        tanks: 0,
        ..att.strength
    };
    let ready = c.readiness_floor + (1.0 - c.readiness_floor) * att.readiness;
    let expected_att = (base_value(c, &no_tanks, att.readiness)
        + att.strength.tanks as f64 * c.value_per_tank * c.works_tank_share * ready)
        * (1.0 + c.air_superiority_bonus);
    assert!(
        (o.attack - expected_att).abs() < 1e-9,
        "{} vs {expected_att}",
        o.attack
    );
    assert!(c.works_tank_share < 1.0 && att.strength.tanks > 0);
    // Surprise cuts the Japanese defence.
    let s = odds(
        rules,
        map,
        weather,
        oob,
        &[(att, 1.0)],
        &def,
        hex(5, 3),
        true,
    );
    assert!((s.defence - expected_def * c.surprise_defence).abs() < 1e-9);
    // The preview's breakdown gives the same odds and names every factor in them.
    let (e, factors) = august_storm::rules::combat::odds_explained(
        rules,
        map,
        weather,
        oob,
        &[(units.iter().find(|u| u.id == tanks).unwrap().clone(), 1.0)],
        &def,
        hex(5, 3),
        true,
    );
    assert_eq!(e, s);
    let named: Vec<(bool, &str)> = factors
        .iter()
        .map(|f| (f.attack, f.what.as_str()))
        .collect();
    assert!(named.contains(&(true, "air superiority")), "{named:?}");
    assert!(
        named.contains(&(true, "tanks against permanent works")),
        "{named:?}"
    );
    assert!(named.contains(&(false, "a town")), "{named:?}");
    assert!(
        named.contains(&(false, "fortification (level 4)")),
        "{named:?}"
    );
    assert!(named.contains(&(false, "surprise")), "{named:?}");
    let product = |attack: bool| -> f64 {
        factors
            .iter()
            .filter(|f| f.attack == attack)
            .map(|f| f.times)
            .product()
    };
    let a = units.iter().find(|u| u.id == tanks).unwrap();
    assert!((e.attack / base_value(c, &a.strength, a.readiness) - product(true)).abs() < 1e-9);
    assert!((e.defence / base_value(c, &d.strength, d.readiness) - product(false)).abs() < 1e-9);
}

#[test]
fn attacking_across_a_river_favours_the_defender() {
    use august_storm::rules::combat::odds;
    use august_storm::rules::movement::snapshot;
    let mut g = tiny_game();
    let w = g.world().resource::<Map>().clone();
    let (a, b) = w
        .hexes()
        .flat_map(|h| h.neighbors().map(move |n| (h, n)))
        .find(|&(h, n)| {
            w.edge(h, n)
                .is_some_and(|e| e.river == Some(map::RiverClass::Major) && e.road.is_none())
                && w.cell(h).unwrap().terrain == map::TerrainKind::Steppe
                && w.cell(n).unwrap().terrain == map::TerrainKind::Steppe
                && w.cell(n).unwrap().place.is_none()
                && w.cell(n).unwrap().fort_level == 0
        })
        .unwrap();
    let tanks = id(&mut g, "Test Tank Corps");
    let jap = id(&mut g, "Test Infantry Division");
    place_unit(&mut g, tanks, a);
    place_unit(&mut g, jap, b);
    let units = snapshot(g.world_mut());
    let wd = g.world();
    let rules = &wd.resource::<Rules>().0;
    let att = units.iter().find(|u| u.id == tanks).unwrap().clone();
    let def: Vec<_> = units.iter().filter(|u| u.id == jap).cloned().collect();
    let o = odds(
        rules,
        wd.resource::<Map>(),
        wd.resource::<logistics::CurrentWeather>(),
        wd.resource::<OrderOfBattle>(),
        &[(att, 1.0)],
        &def,
        b,
        false,
    );
    let plain = base_value(&rules.combat, &def[0].strength, def[0].readiness);
    assert!(
        (o.defence - plain * 1.5).abs() < 1e-9,
        "a major river: × 1.5"
    );
}

#[test]
fn an_attack_is_refused_without_an_enemy_or_from_too_far() {
    let mut g = tiny_game();
    let tanks = id(&mut g, "Test Tank Corps");
    assert_eq!(
        g.submit(Order::Attack {
            units: vec![tanks],
            target: hex(3, 3)
        }),
        Err(OrderRejected::NoEnemyThere { at: hex(3, 3) })
    );
    assert_eq!(
        g.submit(Order::Attack {
            units: vec![tanks],
            target: hex(5, 3)
        }),
        Err(OrderRejected::NotBeside {
            unit: "Test Tank Corps".into(),
            at: hex(5, 3)
        })
    );
    // A unit ordered to move beside the target may attack it at the end of its move.
    place_unit(&mut g, tanks, hex(3, 3));
    g.submit(Order::Move {
        unit: tanks,
        path: vec![hex(4, 3)],
    })
    .unwrap();
    g.submit(Order::Attack {
        units: vec![tanks],
        target: hex(5, 3),
    })
    .unwrap();
}

#[test]
fn a_fortified_region_resists_storming_but_falls_to_a_long_blockade() {
    let mut g = tiny_game();
    g.world_mut().resource_mut::<Calendar>().end = parse("1945-08-25T00:00");
    // No stores inside: the garrison lives on what it carries.
    g.world_mut()
        .resource_mut::<logistics::Depots>()
        .depots
        .retain(|d| d.name != "Easttown stores");
    let tanks = id(&mut g, "Test Tank Corps");
    let rifles = id(&mut g, "Test Rifle Division");
    let dry = id(&mut g, "Dry Tank Brigade");
    let jap = id(&mut g, "Test Infantry Division");
    let fort = hex(5, 3);
    // Ring the fortress: its lorries cannot get through ground the Soviets cover.
    let ring: Vec<Hex> = fort
        .neighbors()
        .into_iter()
        .filter(|h| g.world().resource::<Map>().contains(*h))
        .collect();
    for (u, h) in [tanks, rifles, dry]
        .into_iter()
        .zip([ring[0], ring[2], ring[4]])
    {
        place_unit(&mut g, u, h);
    }
    // Storming: the works hold.
    g.submit(Order::Attack {
        units: vec![tanks, rifles],
        target: fort,
    })
    .unwrap();
    g.submit(Order::EndTurn).unwrap();
    let b = battles(&g);
    assert_eq!(b.len(), 1);
    assert!(
        matches!(b[0].1, BattleResult::Repulsed | BattleResult::Held),
        "{b:?}"
    );
    assert!(b[0].2.killed > 0 && b[0].3.killed > 0);
    assert_eq!(g.position(jap), Some(fort));
    // It was a fight for the town, which fell: the garrison keeps to the works.
    let town = g
        .world()
        .resource::<Map>()
        .place_named("Easttown")
        .unwrap()
        .id;
    assert_eq!(
        g.world().resource::<Control>().besieged,
        vec![town],
        "{b:?}"
    );
    // Blockade: no more attacks; the garrison eats its food and starves.
    let mut turns = 0;
    while strength(&mut g, jap).men > 0 && !g.calendar().finished {
        g.submit(Order::EndTurn).unwrap();
        turns += 1;
    }
    let surrendered = g.events().iter().find_map(|e| match &e.event {
        GameEvent::UnitSurrendered { unit, reason, .. } if *unit == jap => Some(*reason),
        _ => None,
    });
    // The fixture's cease-fire (10 Aug) cannot reach it: it is cut off, and only hears by chance.
    assert!(
        matches!(
            surrendered,
            Some(SurrenderReason::CutOff) | Some(SurrenderReason::Ceasefire)
        ),
        "{surrendered:?} after {turns} turns"
    );
    assert!(
        turns >= 6,
        "a blockade takes days, not hours: {turns} turns"
    );
}

fn parse(s: &str) -> chrono::NaiveDateTime {
    august_storm::model::time::parse_local(s).unwrap()
}

fn ceasefire_game(cut_off_chance: f64) -> (Game, UnitId, UnitId) {
    let mut g = tiny_game();
    g.world_mut().resource_mut::<Calendar>().end = parse("1945-08-13T12:00");
    g.world_mut()
        .resource_mut::<Rules>()
        .0
        .combat
        .ceasefire_cut_off_daily_chance = cut_off_chance;
    // The brigade's desertion is another rule's business (tests/fog_and_landings.rs).
    g.world_mut().resource_mut::<Rules>().0.desertion = None;
    // Every relay and delay as the rules give it: their spread has a test of its own.
    g.world_mut()
        .resource_mut::<Rules>()
        .0
        .combat
        .ceasefire_delay_sigma = 0.0;
    let jap = id(&mut g, "Test Infantry Division");
    let paper = id(&mut g, "Paper Brigade");
    (g, jap, paper)
}

/// Three Soviet units on alternate sides of Northtown: their zones of control cover every
/// hex around it, so no lorry gets through.
fn ring_northtown(g: &mut Game) {
    let north = place_hex(g, "Northtown");
    let units = [
        id(g, "Test Rifle Division"),
        id(g, "Test Tank Corps"),
        id(g, "Dry Tank Brigade"),
    ];
    for (u, dir) in units.into_iter().zip([0, 2, 4]) {
        place_unit(g, u, north.neighbor(dir));
    }
}

fn heard(g: &Game, u: UnitId) -> Option<u32> {
    g.events().iter().find_map(|e| match &e.event {
        GameEvent::CeasefireHeard { unit } if *unit == u => Some(e.turn),
        _ => None,
    })
}

fn surrendered(g: &Game, u: UnitId) -> Option<u32> {
    g.events().iter().find_map(|e| match &e.event {
        GameEvent::UnitSurrendered {
            unit,
            reason: SurrenderReason::Ceasefire,
            ..
        } if *unit == u => Some(e.turn),
        _ => None,
    })
}

#[test]
fn the_ceasefire_passes_down_the_chain_and_a_unit_cut_off_fights_on() {
    let (mut g, jap, paper) = ceasefire_game(0.0);
    // Paper Brigade at Northtown lies across the great river from the Easttown depot; ring
    // it so that no lorry reaches it.
    ring_northtown(&mut g);
    g.run_to_end();
    // The order reaches Blue Command at 10 Aug 12:00, within turn 3 (00:01–12:01); Blue Army
    // a relay (one turn) later, and the division a relay after that.
    let jap_heard = heard(&g, jap).expect("the division heard it");
    assert_eq!(jap_heard, 5);
    // It lays down its arms 36 hours (three turns) later.
    assert_eq!(surrendered(&g, jap), Some(8));
    assert_eq!(heard(&g, paper), None, "cut off, it never hears");
    assert_eq!(surrendered(&g, paper), None);
    assert!(strength(&mut g, paper).men > 0, "and fights on");
    // The report counts it among the pockets holding out, with its men.
    let men = strength(&mut g, paper).men as u64;
    let j = august_storm::report::campaign_report(&mut g)
        .losses
        .japanese;
    assert_eq!((j.holding_out, j.holding_out_men), (1, men));
    // With certain news even when cut off, the ringed brigade played to the end with the
    // given chance of lying beyond any envoy's reach.
    let ringed = |never_reached: f64| {
        let (mut g, _, paper) = ceasefire_game(1.0);
        g.world_mut()
            .resource_mut::<Rules>()
            .0
            .combat
            .ceasefire_never_reached = never_reached;
        ring_northtown(&mut g);
        g.run_to_end();
        (g, paper)
    };
    // Within reach, it hears with the division...
    let (g, paper) = ringed(0.0);
    assert_eq!(heard(&g, paper), Some(5));
    // ...beyond it, it never hears while cut off, and the draw is kept in the game's state.
    let (g, paper) = ringed(1.0);
    assert_eq!(heard(&g, paper), None);
    assert_eq!(
        g.world()
            .resource::<CeasefireState>()
            .envoy_reaches
            .get(&paper),
        Some(&false)
    );
}

#[test]
fn a_unit_cut_off_with_its_formations_headquarters_hears_the_ceasefire_with_them() {
    // As above, with news never reaching a unit cut off by chance; but Blue Army's
    // headquarters stand with the ringed brigade at Northtown.
    let (mut g, jap, paper) = ceasefire_game(0.0);
    let north = place_hex(&g, "Northtown");
    g.world_mut()
        .resource_mut::<OrderOfBattle>()
        .formations
        .iter_mut()
        .find(|f| f.name == "Blue Army")
        .unwrap()
        .hq = north;
    ring_northtown(&mut g);
    g.run_to_end();
    assert_eq!(heard(&g, jap), Some(5));
    assert_eq!(heard(&g, paper), Some(5), "it hears with its army");
}

/// A unit cut off and starving gives itself up only where an enemy still fighting is in
/// reach; alone, it goes on starving where it stands.
#[test]
fn a_starving_pocket_surrenders_only_to_an_enemy_in_reach() {
    let (mut g, jap, _) = ceasefire_game(0.0);
    g.world_mut().resource_mut::<Calendar>().end = parse("1945-08-16T00:00");
    // Nothing reaches it: no depot of its side, its food gone, its spirit low.
    g.world_mut()
        .resource_mut::<logistics::Depots>()
        .depots
        .retain(|d| d.side != Side::Japanese);
    let e = g.entity(jap).unwrap();
    g.world_mut().get_mut::<Stocks>(e).unwrap().food_t = 0.0;
    g.world_mut().get_mut::<Readiness>(e).unwrap().0 = 0.2;
    // Every Soviet unit far off at Westtown.
    let west = place_hex(&g, "Westtown");
    for name in ["Test Tank Corps", "Test Rifle Division", "Dry Tank Brigade"] {
        let u = id(&mut g, name);
        place_unit(&mut g, u, west);
    }
    let cut_off = |g: &Game| {
        g.events().iter().any(|e| {
            matches!(&e.event, GameEvent::UnitSurrendered { unit, reason: SurrenderReason::CutOff, .. } if *unit == jap)
        })
    };
    for _ in 0..12 {
        g.submit(Order::EndTurn).unwrap();
    }
    let turns_cut = g.world().get::<SupplyState>(e).unwrap().turns_cut;
    assert!(turns_cut >= 4, "cut off for {turns_cut} turns");
    assert!(!cut_off(&g), "it gave itself up to nobody");
    assert!(strength(&mut g, jap).men > 0);
    // A Soviet division comes beside it: it gives itself up.
    let rifles = id(&mut g, "Test Rifle Division");
    let at = g.position(jap).unwrap();
    place_unit(&mut g, rifles, at.neighbor(3));
    for _ in 0..2 {
        g.submit(Order::EndTurn).unwrap();
    }
    assert!(cut_off(&g), "it surrendered to the division beside it");
}

#[test]
fn a_unit_that_heard_the_ceasefire_takes_no_march_or_attack_from_a_player() {
    let (mut g, jap, _) = ceasefire_game(0.0);
    while heard(&g, jap).is_none() || g.calendar().active != Side::Japanese {
        assert!(!g.calendar().finished, "the division never heard the order");
        g.submit(Order::EndTurn).unwrap();
    }
    let at = {
        let e = g.entity(jap).unwrap();
        g.world().get::<Position>(e).unwrap().0
    };
    let refused = g
        .submit(Order::Move {
            unit: jap,
            path: vec![at.neighbor(0)],
        })
        .unwrap_err();
    assert!(
        matches!(&refused, OrderRejected::CeasedFire { when, .. } if when.starts_with("on ")),
        "{refused:?}"
    );
    // The reason a player reads: what happened, and when the arms are laid down.
    let text = refused.to_string();
    assert!(
        text.contains("order to cease fire") && text.contains("lays down its arms on "),
        "{text}"
    );
    // Nor an attack on a Soviet division beside it.
    let soviet = id(&mut g, "Test Rifle Division");
    place_unit(&mut g, soviet, at.neighbor(1));
    let refused = g
        .submit(Order::Attack {
            units: vec![jap],
            target: at.neighbor(1),
        })
        .unwrap_err();
    assert!(
        matches!(refused, OrderRejected::CeasedFire { .. }),
        "{refused:?}"
    );
    // Holding where it stands is what the order asks.
    g.submit(Order::Hold { unit: jap }).unwrap();
}

#[test]
fn men_who_lay_down_their_arms_become_prisoners_only_where_the_enemy_reaches_them() {
    let (mut g, jap, _) = ceasefire_game(0.0);
    // No Soviet unit within reach of the division at Easttown: it must be in its hex.
    g.world_mut()
        .resource_mut::<Rules>()
        .0
        .combat
        .prisoners_accept_hexes = 0;
    let men = strength(&mut g, jap).men;
    while surrendered(&g, jap).is_none() && !g.calendar().finished {
        g.submit(Order::EndTurn).unwrap();
    }
    assert_eq!(surrendered(&g, jap), Some(8), "it laid down its arms");
    let taken = |g: &Game| {
        g.events().iter().find_map(|e| match &e.event {
            GameEvent::PrisonersTaken { unit, men, by, .. } if *unit == jap => Some((*men, *by)),
            _ => None,
        })
    };
    assert_eq!(taken(&g), None, "nobody came to take it");
    // The division's nation: Paper Brigade beside it, a Manchukuo brigade, hears the order
    // with it and waits too.
    let japanese = |r: &august_storm::report::CampaignReport| {
        r.losses
            .japanese
            .by_nation
            .iter()
            .find(|n| n.nation == Nation::Japanese)
            .map(|n| (n.prisoners, n.surrendered_unreached))
    };
    let r = august_storm::report::campaign_report(&mut g);
    assert_eq!(r.losses.japanese.army_prisoners, 0);
    assert_eq!(japanese(&r), Some((0, men as u64)));
    // A division comes into its hex: the men are its prisoners, and no longer unreached.
    let captor = id(&mut g, "Test Rifle Division");
    let at = place_hex(&g, "Easttown");
    place_unit(&mut g, captor, at);
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(taken(&g), Some((men, captor)));
    let r = august_storm::report::campaign_report(&mut g);
    assert_eq!(r.losses.japanese.army_prisoners, men as u64);
    assert_eq!(japanese(&r), Some((men as u64, 0)));
}

#[test]
fn the_ceasefire_reaches_each_formation_and_unit_after_delays_drawn_per_game() {
    // The fixture's chain, Blue Command -> Blue Army -> the division, with the rules'
    // spread: over 80 seeds the division hears the order and lays down its arms at
    // different turns, never before the chain allows, three turns (36 hours) after hearing
    // it on average, as without the spread.
    let mut heard_at = Vec::new();
    let mut laid_down_after = Vec::new();
    for seed in 1..=80 {
        let mut g = game_of(&fixture("tiny.ron"), Some(seed));
        g.world_mut().resource_mut::<Calendar>().end = parse("1945-08-16T12:00");
        g.world_mut().resource_mut::<Rules>().0.desertion = None;
        assert!(
            g.world().resource::<Rules>().0.combat.ceasefire_delay_sigma > 0.0,
            "the rules spread the delays"
        );
        let jap = id(&mut g, "Test Infantry Division");
        g.run_to_end();
        let h = heard(&g, jap).expect("it heard the order");
        let s = surrendered(&g, jap).expect("and laid down its arms");
        assert!(
            h >= 5,
            "seed {seed}: heard at turn {h}, before its army could pass it on"
        );
        assert!(s >= h, "seed {seed}");
        heard_at.push(h);
        laid_down_after.push(s - h);
    }
    let distinct = |v: &[u32]| v.iter().collect::<std::collections::BTreeSet<_>>().len();
    assert!(distinct(&heard_at) >= 2, "{heard_at:?}");
    assert!(distinct(&laid_down_after) >= 3, "{laid_down_after:?}");
    let mean = laid_down_after.iter().sum::<u32>() as f64 / 80.0;
    assert!(
        (2.55..=3.45).contains(&mean),
        "{mean} turns from hearing to surrender"
    );
}

#[test]
fn without_the_ceasefire_nobody_hears_it() {
    let mut g = august_storm::cli::simulate::new_game(
        &fixture("tiny.ron"),
        None,
        &[fixture("../../scenarios/what_ifs/no_ceasefire.ron")
            .display()
            .to_string()],
    )
    .unwrap();
    g.run_to_end();
    assert!(!g.events().iter().any(|e| matches!(
        e.event,
        GameEvent::CeasefireHeard { .. } | GameEvent::CeasefireReached { .. }
    )));
}

#[test]
fn japanese_units_keep_to_standing_orders_in_the_first_eighteen_hours() {
    let mut g = tiny_game();
    g.submit(Order::EndTurn).unwrap();
    let jap = id(&mut g, "Test Infantry Division");
    // Command degraded, not absent: each turn of the surprise a unit is in touch with its
    // command with the rules' chance, the same answer for whoever asks.
    let share = g.world().resource::<Rules>().0.combat.surprise_contact;
    assert!(share > 0.0 && share < 1.0);
    let mut in_touch = 0;
    for seed in 0..400 {
        g.world_mut()
            .resource_mut::<august_storm::scenario::spawn::GameSetup>()
            .seed = seed;
        let c = august_storm::rules::combat::in_contact(g.world(), jap, Side::Japanese);
        assert_eq!(
            c,
            august_storm::rules::combat::in_contact(g.world(), jap, Side::Japanese)
        );
        in_touch += c as u32;
        // The Soviet side is never out of touch.
        let rifles = id(&mut g, "Test Rifle Division");
        assert!(august_storm::rules::combat::in_contact(
            g.world(),
            rifles,
            Side::Soviet
        ));
    }
    let seen = in_touch as f64 / 400.0;
    assert!(
        (seen - share).abs() < 0.08,
        "{seen} in touch against {share}"
    );
    // A unit out of touch takes no orders; one in touch does.
    let touch = |g: &Game| august_storm::rules::combat::in_contact(g.world(), jap, Side::Japanese);
    let out = (0..).find(|s| {
        g.world_mut()
            .resource_mut::<august_storm::scenario::spawn::GameSetup>()
            .seed = *s;
        !touch(&g)
    });
    assert!(out.is_some());
    assert_eq!(
        g.submit(Order::Hold { unit: jap }),
        Err(OrderRejected::OutOfContact {
            unit: "Test Infantry Division".into()
        })
    );
    (0..)
        .find(|s| {
            g.world_mut()
                .resource_mut::<august_storm::scenario::spawn::GameSetup>()
                .seed = *s;
            touch(&g)
        })
        .unwrap();
    g.submit(Order::Hold { unit: jap }).unwrap();
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    // Turn 2 starts at 12:01: still within 18 hours. Turn 3 (00:01 next day) is past them:
    // every unit takes orders.
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(g.calendar().turn, 3);
    for seed in 0..20 {
        g.world_mut()
            .resource_mut::<august_storm::scenario::spawn::GameSetup>()
            .seed = seed;
        assert!(touch(&g));
    }
    g.submit(Order::Hold { unit: jap }).unwrap();
}

/// The fixture's works (level 4) against the tank corps and the rifle division, with the luck
/// of battle taken out and the ordinary ladder set so low that in the open the defender
/// would rout: below the storming odds the works hold and shelter their garrison from part
/// of its losses; from them, they are stormed.
#[test]
fn permanent_works_hold_below_the_storming_odds_and_shelter_their_garrison() {
    let fight = |storm_odds: f64, loss_share: f64| {
        let (mut g, _, _, jap) = storm_easttown_with(|c| {
            c.works_storm_odds = storm_odds;
            c.works_loss_share = loss_share;
            // The works' shelter without their defence multiple: odds above even, so that
            // the battle is not simply repulsed.
            c.fort_defence_per_level = 0.0;
        });
        let b = battles(&g);
        assert_eq!(b.len(), 1, "{b:?}");
        (b[0], g.position(jap))
    };
    let ((odds, held, _, sheltered), stays) = fight(100.0, 0.5);
    assert!(odds > 1.0, "odds {odds}");
    assert_eq!(held, BattleResult::Held);
    assert_eq!(stays, Some(hex(5, 3)));
    let ((_, _, _, open), _) = fight(100.0, 1.0);
    let ratio = (sheltered.killed + sheltered.wounded) as f64 / (open.killed + open.wounded) as f64;
    assert!(
        (ratio - 0.5).abs() < 0.02,
        "sheltered losses {ratio} of the open's"
    );
    let ((_, stormed, _, _), _) = fight(0.25, 0.5);
    assert!(
        matches!(
            stormed,
            BattleResult::Routed | BattleResult::Overrun | BattleResult::Retreated
        ),
        "{stormed:?}"
    );
}

/// Hutou, the "Maginot Line of the East", stands in its own works on the historical map,
/// as strong as Hailar's.
#[test]
fn hutou_and_hailar_stand_in_works_of_the_strongest_level() {
    let g = game_of(&historical(), Some(1));
    let map = g.world().resource::<Map>();
    for name in ["Hutou", "Hailar"] {
        let h = map.place_named(name).unwrap().hex;
        assert_eq!(map.cell(h).unwrap().fort_level, 5, "{name}");
    }
}

/// A garrison fed from the stores of its own hex with the enemy beside it is invested: it
/// keeps eating, but it is cut off from its command, so the cease-fire reaches it only by
/// chance (and perhaps never), as the border fortresses that fought on past 2 September.
#[test]
fn a_garrison_on_its_own_stores_with_the_enemy_beside_it_is_invested_and_cut_off_from_command() {
    let state = |g: &mut Game, u: UnitId| {
        let e = g.entity(u).unwrap();
        g.world().get::<SupplyState>(e).cloned().unwrap()
    };
    let mut g = tiny_game();
    let jap = id(&mut g, "Test Infantry Division");
    let rifles = id(&mut g, "Test Rifle Division");
    assert_eq!(g.position(jap), Some(hex(5, 3)));
    // Alone, it draws on its stores and is in touch.
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    let s = state(&mut g, jap);
    assert_eq!(s.depot.as_deref(), Some("Easttown stores"));
    assert_eq!((s.turns_besieged, s.turns_isolated()), (0, 0), "{s:?}");
    // With the enemy beside it: fed all the same, but invested.
    place_unit(&mut g, rifles, hex(4, 3));
    g.submit(Order::EndTurn).unwrap();
    g.submit(Order::EndTurn).unwrap();
    let s = state(&mut g, jap);
    assert_eq!(s.depot.as_deref(), Some("Easttown stores"));
    assert_eq!(s.turns_cut, 0, "{s:?}");
    assert!(s.turns_besieged >= 1 && s.turns_isolated() >= 1, "{s:?}");
    let food = {
        let e = g.entity(jap).unwrap();
        g.world().get::<Stocks>(e).unwrap().food_t
    };
    assert!(food > 0.0, "an invested garrison eats from its stores");
}

/// The fixture's Easttown (level-4 works) attacked at odds its works hold against, but that
/// would have driven its garrison out of the town in the open: the town falls and the
/// garrison keeps to its works with its magazine.
fn storm_easttown() -> (Game, UnitId, UnitId, UnitId) {
    storm_easttown_with(|_| {})
}

/// [`storm_easttown`] with the combat rules changed by `tweak` after its own settings.
fn storm_easttown_with(
    tweak: impl Fn(&mut august_storm::scenario::schema::CombatRules),
) -> (Game, UnitId, UnitId, UnitId) {
    let mut g = tiny_game();
    {
        let mut rules = g.world_mut().resource_mut::<Rules>();
        let c = &mut rules.0.combat;
        c.odds_sigma = 0.0;
        c.retreat_odds = 0.2;
        c.rout_odds = 0.3;
        c.works_storm_odds = 100.0;
        tweak(c);
    }
    let tanks = id(&mut g, "Test Tank Corps");
    let rifles = id(&mut g, "Test Rifle Division");
    let jap = id(&mut g, "Test Infantry Division");
    place_unit(&mut g, tanks, hex(4, 3));
    place_unit(&mut g, rifles, hex(6, 3));
    g.submit(Order::Attack {
        units: vec![tanks, rifles],
        target: hex(5, 3),
    })
    .unwrap();
    g.submit(Order::EndTurn).unwrap();
    (g, tanks, rifles, jap)
}

fn easttown(g: &Game) -> (PlaceId, Option<Side>, Vec<PlaceId>) {
    let p = g
        .world()
        .resource::<Map>()
        .place_named("Easttown")
        .unwrap()
        .id;
    let control = g.world().resource::<Control>();
    (p, control.owner[p.0 as usize], control.besieged.clone())
}

fn stores_side(g: &Game) -> Side {
    g.world()
        .resource::<logistics::Depots>()
        .depots
        .iter()
        .find(|d| d.name == "Easttown stores")
        .unwrap()
        .side
}

#[test]
fn a_town_falls_while_the_garrison_holds_its_works_and_the_works_fall_when_it_is_gone() {
    let (mut g, _, _, jap) = storm_easttown();
    let b = battles(&g);
    assert!(
        matches!(b[0].1, BattleResult::Held | BattleResult::Repulsed),
        "{b:?}"
    );
    let (p, owner, besieged) = easttown(&g);
    assert_eq!((owner, besieged), (Some(Side::Soviet), vec![p]));
    assert!(g.events().iter().any(|e| matches!(
        &e.event,
        GameEvent::PlaceCaptured { place, to: Side::Soviet, works_hold: true, .. } if *place == p
    )));
    assert_eq!(
        g.position(jap),
        Some(hex(5, 3)),
        "the garrison keeps its works"
    );
    assert_eq!(stores_side(&g), Side::Japanese, "and its magazine");
    // The garrison's phase: alone in its hex, but the enemy stands beside the works.
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(easttown(&g).1, Some(Side::Soviet));
    let report = august_storm::report::campaign_report(&mut g);
    let town = report.places.iter().find(|r| r.name == "Easttown").unwrap();
    assert!(
        town.captured.is_some() && town.works_taken.is_none(),
        "{town:?}"
    );
    // The last of the garrison gone: the works and their stores are the Soviets'.
    {
        let e = g.entity(jap).unwrap();
        let w = g.world_mut();
        w.get_mut::<Strength>(e).unwrap().men = 0;
        august_storm::rules::retire_fallen(w);
    }
    g.submit(Order::EndTurn).unwrap();
    assert_eq!(easttown(&g).2, Vec::<PlaceId>::new());
    assert!(g.events().iter().any(|e| matches!(
        &e.event,
        GameEvent::WorksFallen { place, to: Side::Soviet, .. } if *place == p
    )));
    assert_eq!(stores_side(&g), Side::Soviet);
    let report = august_storm::report::campaign_report(&mut g);
    let town = report.places.iter().find(|r| r.name == "Easttown").unwrap();
    assert!(town.works_taken.is_some(), "{town:?}");
    assert!(town.works_taken > town.captured, "{town:?}");
}

#[test]
fn a_garrison_walks_back_into_its_town_when_no_enemy_stands_beside_its_works() {
    let (mut g, tanks, rifles, _) = storm_easttown();
    assert_eq!(easttown(&g).1, Some(Side::Soviet));
    place_unit(&mut g, tanks, hex(1, 1));
    place_unit(&mut g, rifles, hex(1, 2));
    g.submit(Order::EndTurn).unwrap();
    let (_, owner, besieged) = easttown(&g);
    assert_eq!((owner, besieged), (Some(Side::Japanese), vec![]));
}

#[test]
fn a_fight_for_a_town_is_fought_at_the_odds_against_the_share_of_the_garrison_defending_it() {
    // The same attack, once with the whole garrison defending the town and once a quarter
    // of it: the odds fought at are four times as good, and the garrison loses more.
    // (Losses small enough that neither side's reaches the cap.)
    let tweak = |share: f64| {
        move |c: &mut august_storm::scenario::schema::CombatRules| {
            c.works_town_share = share;
            c.attacker_loss_at_even = 0.05;
            c.defender_loss_at_even = 0.01;
        }
    };
    let (whole, ..) = storm_easttown_with(tweak(1.0));
    let (quarter, ..) = storm_easttown_with(tweak(0.25));
    let (w, q) = (battles(&whole)[0], battles(&quarter)[0]);
    assert!((q.0 / w.0 - 4.0).abs() < 0.01, "odds {} and {}", w.0, q.0);
    assert!(q.3.killed > w.3.killed, "{:?} {:?}", w.3, q.3);
    assert!(q.2.killed < w.2.killed, "{:?} {:?}", w.2, q.2);
    // Both below the odds that storm the works: the garrison holds them either way.
    assert!(matches!(w.1, BattleResult::Held | BattleResult::Repulsed));
    assert!(matches!(q.1, BattleResult::Held | BattleResult::Repulsed));
}

#[test]
fn a_town_whose_defenders_are_not_driven_out_stays_with_its_garrison() {
    // The odds against the town's defenders short of those that drive a defender back.
    let (g, ..) = storm_easttown_with(|c| c.retreat_odds = 1000.0);
    let (_, owner, besieged) = easttown(&g);
    assert_eq!((owner, besieged), (Some(Side::Japanese), vec![]));
    assert!(
        !g.events()
            .iter()
            .any(|e| matches!(e.event, GameEvent::PlaceCaptured { .. })),
        "no capture"
    );
    assert_eq!(battles(&g).len(), 1, "the fight was fought");
}
