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
