//! The rules keep what they work out about a game's ground (step costs, regions, air
//! reconnaissance's cover) in the world, shared by every rule, the AI and the window. A world
//! that held one game and is given another (the window's, when a save is loaded) must work it
//! out afresh: the second game plays exactly as it does in a world of its own.

use crate::common;

use august_storm::cli::simulate::play;
use august_storm::model::*;
use august_storm::rules::save::{load_game, load_into, save_game};
use common::*;

const BOTH: [Side; 2] = [Side::Soviet, Side::Japanese];

#[test]
fn a_world_that_held_another_scenario_plays_a_loaded_game_as_a_world_of_its_own_does() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let save = dir.path().join("campaign.ron");
    let mut campaign = game_of(&historical(), Some(1));
    save_game(&mut campaign, &save).expect("the campaign is saved");

    // The fixture with a march ordered, so that its small map's ground is worked out, then
    // cleared as the window clears a game before it loads another.
    let mut reused = tiny_game();
    let tank = id(&mut reused, "Test Tank Corps");
    let to = place_hex(&reused, "Easttown");
    reused
        .submit(Order::MoveTo { unit: tank, to })
        .expect("the march is ordered");
    play(&mut reused, &[], &BOTH, 2);
    let world = reused.world_mut();
    let units: Vec<_> = world
        .query_filtered::<bevy::prelude::Entity, bevy::prelude::With<UnitId>>()
        .iter(world)
        .collect();
    for e in units {
        world.despawn(e);
    }
    load_into(world, &save).expect("the save loads into the used world");

    let mut own = load_game(&save).expect("the save loads");
    play(&mut reused, &[], &BOTH, 3);
    play(&mut own, &[], &BOTH, 3);
    let marches = own
        .events()
        .iter()
        .filter(|e| matches!(e.event, GameEvent::UnitMoved { .. }))
        .count();
    assert!(marches > 0, "the campaign's units march after the save");
    assert_eq!(
        reused.events(),
        own.events(),
        "the loaded game played differently in the world that had held the fixture"
    );
}

/// Every unit with no men left is marked out of the field, and no other is: after every phase
/// of a played game, and in the same game saved and loaded again.
fn fallen_are_marked(game: &mut august_storm::rules::Game, when: &str) -> usize {
    let world = game.world_mut();
    let mut q = world.query::<(&UnitName, &Strength, bevy::prelude::Has<OutOfAction>)>();
    let mut fallen = 0;
    for (name, s, gone) in q.iter(world) {
        assert_eq!(
            s.men == 0,
            gone,
            "{when}: {} has {} men but is {} the field",
            name.0,
            s.men,
            if gone { "out of" } else { "in" }
        );
        fallen += usize::from(gone);
    }
    let snapshot = august_storm::rules::movement::snapshot(world);
    assert!(
        snapshot.iter().all(|u| u.strength.men > 0),
        "{when}: the rules' picture of the units holds a unit without men"
    );
    fallen
}

#[test]
fn units_that_lose_their_last_men_leave_the_field_and_a_loaded_save_keeps_them_out() {
    let mut game = game_of(&historical(), Some(1));
    let mut fallen = 0;
    while game.calendar().turn < 9 {
        august_storm::ai::play_phase(&mut game);
        let cal = game.calendar().clone();
        fallen = fallen_are_marked(
            &mut game,
            &format!("turn {} {}", cal.turn, cal.active.name()),
        );
    }
    assert!(
        fallen > 0,
        "no unit was destroyed or surrendered in four days of the campaign"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let save = dir.path().join("game.ron");
    save_game(&mut game, &save).expect("the game is saved");
    let mut loaded = load_game(&save).expect("the save loads");
    assert_eq!(fallen_are_marked(&mut loaded, "after loading"), fallen);
    play(&mut loaded, &[], &BOTH, 10);
    play(&mut game, &[], &BOTH, 10);
    assert_eq!(
        loaded.events(),
        game.events(),
        "the loaded game played on differently"
    );
}

/// The fixture scenario rewritten with `moves_first` set, its files named by absolute path.
fn fixture_moving_first(dir: &std::path::Path, side: &str) -> std::path::PathBuf {
    let fixtures = fixture("tiny.ron");
    let fixtures = fixtures.parent().expect("the fixtures folder");
    let text = std::fs::read_to_string(fixture("tiny.ron")).expect("the fixture reads");
    let abs = |f: &str| fixtures.join(f).display().to_string();
    let text = text
        .replace("\"tiny_map.ron\"", &format!("{:?}", abs("tiny_map.ron")))
        .replace(
            "\"tiny_logistics.ron\"",
            &format!("{:?}", abs("tiny_logistics.ron")),
        )
        .replace(
            "\"../../scenarios/rules.ron\"",
            &format!("{:?}", abs("../../scenarios/rules.ron")),
        )
        .replace(
            "    seed: 7,\n",
            &format!("    seed: 7,\n    moves_first: Some({side}),\n"),
        );
    assert!(
        text.contains("moves_first"),
        "the fixture's seed line was not found"
    );
    let path = dir.join("first.ron");
    std::fs::write(&path, text).expect("the variant is written");
    path
}

#[test]
fn the_side_the_scenario_names_gives_its_orders_first_in_every_turn() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = fixture_moving_first(dir.path(), "Japanese");
    let mut game = game_of(&path, None);
    assert_eq!(game.calendar().active, Side::Japanese);
    play(&mut game, &[], &BOTH, 3);
    let phases: Vec<(u32, Side)> = game
        .events()
        .iter()
        .filter_map(|e| match e.event {
            GameEvent::PhaseEnded { turn, side } => Some((turn, side)),
            _ => None,
        })
        .collect();
    assert_eq!(
        phases,
        [
            (1, Side::Japanese),
            (1, Side::Soviet),
            (2, Side::Japanese),
            (2, Side::Soviet)
        ],
        "the phases ran in the wrong order"
    );
    // Saved between the two phases of a turn, it plays on as the game played straight through.
    let mut half = game_of(&path, None);
    august_storm::ai::play_phase(&mut half);
    assert_eq!(half.calendar().active, Side::Soviet);
    assert_eq!(half.calendar().turn, 1);
    let save = dir.path().join("half.ron");
    save_game(&mut half, &save).expect("the game is saved");
    let mut resumed = load_game(&save).expect("the save loads");
    play(&mut resumed, &[], &BOTH, 3);
    assert_eq!(resumed.events(), game.events());
    let text = std::fs::read_to_string(&save).expect("the save reads");
    assert!(
        text.contains("first: Japanese"),
        "the save records who moves first"
    );
}

#[test]
fn a_followed_formation_the_scenario_lacks_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = fixture_moving_first(dir.path(), "Soviet");
    let text = std::fs::read_to_string(&path)
        .expect("the variant reads")
        .replace(
            "    moves_first: Some(Soviet),\n",
            "    moves_first: Some(Soviet),\n    followed_formation: Some(\"Red Frnt\"),\n",
        );
    std::fs::write(&path, text).expect("the variant is written");
    let err = august_storm::cli::simulate::new_game(&path, None, &[])
        .err()
        .expect("an unknown formation is refused");
    let text: String = err.iter().map(|d| d.to_string()).collect();
    assert!(
        text.contains("Red Frnt") && text.contains("Red Front"),
        "{text}"
    );
    assert!(text.contains("first.ron:13:"), "{text}");
}
