//! Loading a saved game: its format version and checksum, its scenario and data files as
//! they were, every figure in bounds, then the game played again from its seed and orders.

use std::path::Path;

use bevy::prelude::World;

use crate::rules::Game;
use crate::scenario::diag::{Diagnostic, Severity, parse_ron};
use crate::scenario::load::{load_scenario, read_source};
use crate::scenario::save::{SaveFile, other_version, scenario_of};
use crate::scenario::whatif::{Switches, apply, find_what_if};

use super::restore::restore;

/// Loads a saved game into a world that has the rules but no game yet (the window's).
pub fn load_into(world: &mut World, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let mut game = load_game(path)?;
    super::restore::game_into(world, &mut game, path)
}

/// Loads a saved game: the scenario it names, with its what-ifs, then the saved state.
pub fn load_game(path: &Path) -> Result<Game, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_game_source(src)
}

/// Loads a saved game from text already in memory, as if read from `path`; the fuzz harness
/// feeds it without touching the disk.
pub fn load_game_text(path: &Path, text: String) -> Result<Game, Vec<Diagnostic>> {
    if text.len() as u64 > crate::scenario::load::MAX_FILE_BYTES {
        return Err(vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            message: format!(
                "the file is {} bytes; data files are limited to {} bytes",
                text.len(),
                crate::scenario::load::MAX_FILE_BYTES
            ),
            hint: None,
            snippet: None,
        }]);
    }
    load_game_source(crate::scenario::diag::SourceText::new(path, text))
}

fn load_game_source(src: crate::scenario::diag::SourceText) -> Result<Game, Vec<Diagnostic>> {
    load_game_observed(src, &mut |_| {})
}

/// Loads a saved game as [`load_game`] does, showing the replayed game to `at_boundary` at
/// the start and after every phase (see [`crate::rules::replay::replay_observed`]).
pub fn load_game_phases(
    path: &Path,
    at_boundary: &mut dyn FnMut(&mut Game),
) -> Result<Game, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_game_observed(src, at_boundary)
}

fn load_game_observed(
    src: crate::scenario::diag::SourceText,
    at_boundary: &mut dyn FnMut(&mut Game),
) -> Result<Game, Vec<Diagnostic>> {
    let path = src.path.clone();
    let path = path.as_path();
    let whole = |msg: String, hint: Option<String>| Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        message: msg,
        hint,
        snippet: None,
    };
    // The version first, so an old or new format is named rather than misparsed.
    if let Some((message, hint)) = other_version(&src) {
        return Err(vec![whole(message, Some(hint))]);
    }
    let save: SaveFile = parse_ron(&src).map_err(|d| vec![d])?;
    let digest = save.digest();
    if save.checksum != digest {
        return Err(vec![whole(
            format!(
                "this save was changed after the game wrote it: its contents no longer match its checksum (written {}, now {digest})",
                save.checksum
            ),
            Some("a save is checked whole, so that a damaged or hand-edited file is not played: use the file exactly as the game wrote it, or start a new game".into()),
        )]);
    }
    let scenario_path = scenario_of(path, &save.setup.scenario);
    let mut scenario = load_scenario(&scenario_path).map_err(|mut d| {
        d.insert(
            0,
            whole(
                format!(
                    "the save's scenario {} does not load",
                    scenario_path.display()
                ),
                None,
            ),
        );
        d
    })?;
    if scenario.file.name != save.setup.scenario_name {
        return Err(vec![whole(
            format!(
                "this is a save of \"{}\", but its scenario file {} now holds \"{}\"",
                save.setup.scenario_name,
                scenario_path.display(),
                scenario.file.name
            ),
            Some("put the save beside the scenario it was made from".into()),
        )]);
    }
    let now = crate::scenario::digest::input_digests(&scenario_path, &save.setup.what_ifs)
        .map_err(|m| vec![whole(m, None)])?;
    if let Some(changed) = crate::scenario::digest::changed_input(&save.inputs, &now) {
        return Err(vec![whole(
            format!("{changed}: this save would no longer give the game it records"),
            Some("load it with the files it was played with (the save lists each with its hash), or start a new game".into()),
        )]);
    }
    let mut switches = Switches::default();
    for w in &save.setup.what_ifs {
        let wf = find_what_if(&scenario_path, w)?;
        apply(&mut scenario, &wf, &mut switches).map_err(|m| vec![whole(m, None)])?;
    }
    // The game holds the scenario's path as found from here, so that it can be reloaded.
    let mut setup = save.setup.clone();
    setup.scenario = scenario_path.display().to_string();
    let mut save = save;
    save.setup.scenario = setup.scenario.clone();
    save.control.read_legacy(&scenario.map);
    let mut game = Game::new(&scenario, setup.clone(), switches.clone());
    let mut fresh = Game::new(&scenario, setup, switches);
    // The dice fixed for each phase are an input of the game, as its orders are.
    fresh.world_mut().insert_resource(save.dice.clone());
    // Every index, count, turn and time is checked before anything is restored: a save
    // edited by hand must be refused with its line, never panic the game later.
    let bounds = crate::scenario::save::check::Bounds::of(game.world_mut());
    let problems = crate::scenario::save::check::check(&save, &bounds, &src);
    if !problems.is_empty() {
        return Err(problems);
    }
    let saved = save.clone();
    restore(game.world_mut(), save).map_err(|m| {
        vec![whole(
            m,
            Some("the save does not match its scenario: was the scenario edited since?".into()),
        )]
    })?;
    // The game is played again from its seed and orders: a save whose state is not what its
    // own orders give (a unit's fuel, a place's owner or the dice edited by hand) is refused
    // with the first difference, so an edited save can no longer change a game.
    if let Err(d) = crate::rules::replay::replay_observed(fresh, &saved, at_boundary) {
        return Err(vec![whole(
            format!("this save is not what its own orders give: {d}"),
            Some("the game is played again from the save's scenario, seed and orders when it is loaded; a save edited by hand, or one whose scenario or rules files were edited since, is refused. Ask for the file exactly as the game wrote it, or start a new game".into()),
        )]);
    }
    Ok(game)
}
