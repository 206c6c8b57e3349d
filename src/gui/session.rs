//! The game in the window's world: started from the scenario, a save, a game by e-mail
//! or a save to watch again, and replaced by a saved one.

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use crate::gui::geom::Geom;
use crate::gui::map::labels::PlaceLabel;
use crate::gui::map::marks::objective_places;
use crate::gui::map::spawn_map;
use crate::gui::overlay::OverlayData;
use crate::gui::state::{Launch, Screen, Started, Ui};
use crate::model::*;

/// The game is started (or loaded, or opened for the replay viewer) before its map is
/// spawned, on entering the game screen.
pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Playing), (start_game, spawn_map).chain());
}

/// Spawns the scenario (or the saved game) into this world, once.
pub fn start_game(world: &mut World) {
    if world.get_resource::<Started>().is_some() {
        return;
    }
    let launch = world.resource::<Launch>().clone();
    let result = match (&launch.replay, &launch.pbem, &launch.load) {
        (Some(p), _, _) => crate::gui::replay::viewer::open(world, p),
        (None, Some(w), _) => match w.play() {
            Ok(mut played) => {
                // Whose move it is, said once the map is up.
                let now = world.resource::<Time>().elapsed_secs_f64();
                world.resource_mut::<crate::gui::state::Ui>().toast = Some((
                    format!(
                        "A game by e-mail. {}",
                        crate::pbem::whose_move(&played, &w.key)
                    ),
                    now + 12.0,
                ));
                crate::rules::save::game_into(world, &mut played.game, &w.game)
            }
            Err(m) => {
                eprintln!("error: {m}");
                world.write_message(AppExit::error());
                return;
            }
        },
        (None, None, Some(p)) => crate::rules::save::load_into(world, p),
        (None, None, None) => {
            crate::scenario::prepare_game(&launch.scenario, None, &launch.what_ifs).map(
                |(s, setup, sw)| {
                    crate::rules::game::start(world, &s, setup, sw);
                },
            )
        }
    };
    if let Err(d) = result {
        for x in &d {
            eprintln!("{x}");
        }
        // A save chosen on the title screen to watch that does not open (edited by hand,
        // its notes file in error) sends the player back there with the reason.
        if launch.replay.is_some() && !launch.skip_title {
            let reason = d
                .iter()
                .find(|x| x.is_error())
                .map(|x| x.to_string())
                .unwrap_or_default();
            let now = world.resource::<Time>().elapsed_secs_f64();
            world.resource_mut::<Ui>().toast = Some((reason, now + 60.0));
            let mut l = world.resource_mut::<Launch>();
            l.replay = None;
            l.mode = crate::gui::state::Mode::Play(Side::Soviet);
            world.resource_mut::<NextState<Screen>>().set(Screen::Title);
            return;
        }
        world.write_message(AppExit::error());
        return;
    }
    world.insert_resource(objective_places(world));
    world.insert_resource(Started);
    // A new game of a scenario with a briefing opens on it (not a game resumed, watched
    // again or driven by a script).
    let fresh = world.resource::<Calendar>().turn == 1
        && world.resource::<EventLog>().events.is_empty()
        && launch.script.is_none()
        && launch.screenshot.is_none()
        && launch.replay.is_none();
    if fresh
        && world
            .get_resource::<crate::scenario::spawn::BriefingRes>()
            .is_some_and(|b| b.0.is_some())
    {
        world.resource_mut::<Ui>().briefing = true;
    }
    // A finished game opens on its debrief (watched again, on its first phase).
    if world.resource::<Calendar>().finished && launch.replay.is_none() {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Debrief);
    }
}

/// Replaces the game on screen with a saved one (already checked to load).
pub fn reload(world: &mut World, path: std::path::PathBuf) {
    clear_game(world);
    world.resource_mut::<Launch>().load = Some(path);
    start_game(world);
    let _ = world.run_system_cached(spawn_map);
}

/// From the debrief, the same scenario again from its start, with the same what-ifs and
/// the same sides (a game that was loaded from a save starts its own scenario afresh).
pub fn play_again(world: &mut World) {
    let setup = world
        .get_resource::<crate::scenario::spawn::GameSetup>()
        .cloned();
    clear_game(world);
    {
        let mut l = world.resource_mut::<Launch>();
        if let Some(s) = setup {
            l.scenario = std::path::PathBuf::from(s.scenario);
            l.what_ifs = s.what_ifs;
        }
        l.load = None;
        l.replay = None;
    }
    world
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Playing);
}

/// From the debrief, back to the title screen to choose another game.
pub fn to_title(world: &mut World) {
    clear_game(world);
    {
        let mut l = world.resource_mut::<Launch>();
        l.load = None;
        l.replay = None;
        l.skip_title = false;
    }
    world.resource_mut::<NextState<Screen>>().set(Screen::Title);
}

/// Takes the game on screen out of the world: its units, map and labels, and what the
/// window kept of it; the next start spawns another.
fn clear_game(world: &mut World) {
    let mut doomed: Vec<Entity> = Vec::new();
    doomed.extend(world.query_filtered::<Entity, With<UnitId>>().iter(world));
    doomed.extend(
        world
            .query_filtered::<Entity, With<PlaceLabel>>()
            .iter(world),
    );
    doomed.extend(
        world
            .query_filtered::<Entity, With<TileStorage>>()
            .iter(world),
    );
    doomed.extend(world.query_filtered::<Entity, With<TilePos>>().iter(world));
    for e in doomed {
        if let Ok(e) = world.get_entity_mut(e) {
            e.despawn();
        }
    }
    world.remove_resource::<Started>();
    world.remove_resource::<Geom>();
    world.insert_resource(OverlayData::default());
    {
        let mut ui = world.resource_mut::<Ui>();
        ui.selected = None;
        ui.attack = None;
        ui.preview = None;
        ui.planned.clear();
        ui.planned_key = None;
    }
}

/// Writes the game in this world to a save file (atomically).
pub fn save_world(world: &mut World, path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::rules::save::save_world(world, path)
}
