//! Saving and restoring a game: its state taken from the world into the save format
//! (`scenario::save`), written with the hashes of its data files; and a save loaded,
//! checked, restored and played again from its seed and orders to prove it.

mod load;
mod restore;

use std::path::Path;

use bevy::prelude::*;

use crate::model::*;
use crate::rules::Game;
use crate::scenario::save::{
    SAVE_FORMAT_VERSION, SaveFile, UnitState, scenario_relative_to, write_atomically,
};
use crate::scenario::spawn::GameSetup;
use crate::scenario::whatif::Switches;

pub use load::load_into;
pub use load::{load_game, load_game_phases, load_game_text};
pub use restore::{game_into, restore, spawn_like};

/// The state of a game as a save.
pub fn to_save(game: &mut Game) -> SaveFile {
    let mut save = world_state(game.world_mut());
    // The files as they are now; a game whose files cannot be read has none listed, and
    // its save is refused on load, naming the file.
    save.inputs = crate::scenario::digest::input_digests(
        Path::new(&save.setup.scenario),
        &save.setup.what_ifs,
    )
    .unwrap_or_default();
    save.checksum = save.digest();
    save
}

/// The state of the game in a world as a save, its checksum made.
pub fn world_to_save(world: &mut World) -> SaveFile {
    let mut save = world_state(world);
    save.checksum = save.digest();
    save
}

/// The state of the game in a world, without the checksum: for comparing states and for
/// callers that change the save before making its checksum (hashing a whole save costs a
/// serialisation of it).
pub fn world_state(world: &mut World) -> SaveFile {
    let mut q = world.query::<(
        &UnitId,
        &UnitName,
        &Position,
        &Strength,
        (&Stocks, &Capacity, &SupplyState),
        &Readiness,
        Option<&Destination>,
    )>();
    let mut units: Vec<UnitState> = q
        .iter(world)
        .map(|(id, n, p, s, (st, cap, sup), r, d)| UnitState {
            id: *id,
            name: n.0.clone(),
            at: p.0,
            strength: *s,
            stocks: *st,
            capacity: *cap,
            supply: sup.clone(),
            readiness: r.0,
            destination: d.map(|d| d.0),
        })
        .collect();
    units.sort_by_key(|u| u.id);
    SaveFile {
        format_version: SAVE_FORMAT_VERSION,
        checksum: String::new(),
        setup: world.resource::<GameSetup>().clone(),
        inputs: Vec::new(),
        dice: world
            .get_resource::<PhaseDice>()
            .cloned()
            .unwrap_or_default(),
        calendar: world.resource::<Calendar>().clone(),
        rng: world.resource::<GameRng>().clone(),
        switches: world.resource::<Switches>().clone(),
        control: world.resource::<Control>().clone(),
        units,
        pending: world.resource::<PendingOrders>().clone(),
        orders: world.resource::<OrderLog>().clone(),
        events: world.resource::<EventLog>().clone(),
        depots: world.resource::<crate::model::logistics::Depots>().clone(),
        rail: world
            .resource::<crate::model::logistics::RailCaptures>()
            .clone(),
        ledger: world
            .resource::<crate::model::logistics::FuelLedger>()
            .clone(),
        airlift_booked: world
            .resource::<crate::model::logistics::AirliftBooked>()
            .clone(),
        timeline: world.resource::<Timeline>().clone(),
        ceasefire: world.resource::<CeasefireState>().clone(),
        intel: world.get_resource::<Intel>().cloned().unwrap_or_default(),
        landings: world
            .get_resource::<Landings>()
            .cloned()
            .unwrap_or_default(),
        air_strikes_spent: world
            .get_resource::<AirStrikesSpent>()
            .cloned()
            .unwrap_or_default(),
        awaiting_captors: world
            .get_resource::<AwaitingCaptors>()
            .cloned()
            .unwrap_or_default(),
    }
}

/// Writes the game to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the old save.
pub fn save_game(game: &mut Game, path: &Path) -> std::io::Result<()> {
    save_world(game.world_mut(), path)
}

/// Writes the game held in a world (a `Game`'s, or the window's) to `path` as `save_game`
/// does: with the hashes of its data files, the scenario named relative to the save, and
/// the checksum made last.
pub fn save_world(world: &mut World, path: &Path) -> std::io::Result<()> {
    let mut save = world_state(world);
    save.inputs = crate::scenario::digest::input_digests(
        Path::new(&save.setup.scenario),
        &save.setup.what_ifs,
    )
    .map_err(std::io::Error::other)?;
    save.setup.scenario = scenario_relative_to(path, Path::new(&save.setup.scenario));
    save.checksum = save.digest();
    let text = ron::ser::to_string_pretty(
        &save,
        ron::ser::PrettyConfig::default().indentor(" ".to_string()),
    )
    .map_err(std::io::Error::other)?;
    write_atomically(path, text.as_bytes())
}

/// Checks that `given`, the scenario named beside `--load`, is the one the loaded game was
/// saved from: continuing a save under another scenario's name would mislead its reader.
pub fn check_scenario_given(game: &Game, save: &Path, given: &Path) -> Result<(), String> {
    let own = Path::new(&game.world().resource::<GameSetup>().scenario).to_path_buf();
    let Ok(g) = std::fs::canonicalize(given) else {
        return Err(format!(
            "there is no scenario {}: with --load, name the save's own scenario, {}",
            given.display(),
            own.display()
        ));
    };
    if std::fs::canonicalize(&own).is_ok_and(|o| o == g) {
        Ok(())
    } else {
        Err(format!(
            "{} was saved from the scenario {}, not {}: name that scenario with --load, or leave --load out to start {} afresh",
            save.display(),
            own.display(),
            given.display(),
            given.display()
        ))
    }
}

/// Checks one data file of any kind, as `scenario::check::check_file_with` does; a saved
/// game is checked by loading it, which plays it again from its seed and orders.
pub fn check_file(path: &Path) -> Vec<crate::scenario::Diagnostic> {
    crate::scenario::check::check_file_with(path, &|p| load_game(p).err().unwrap_or_default())
}
