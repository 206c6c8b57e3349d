//! Shared helpers for the integration tests: fixture games and unit lookups.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use august_storm::cli::simulate::new_game;
use august_storm::model::*;
use august_storm::rules::Game;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub fn historical() -> PathBuf {
    root().join("scenarios/august_storm_1945.ron")
}

/// A fresh game of the fixture scenario `tests/fixtures/tiny.ron`.
pub fn tiny_game() -> Game {
    game_of(&fixture("tiny.ron"), None)
}

pub fn game_of(path: &Path, seed: Option<u64>) -> Game {
    new_game(path, seed, &[]).unwrap_or_else(|d| {
        panic!(
            "{} does not load: {}",
            path.display(),
            d.iter().map(|x| x.to_string()).collect::<String>()
        )
    })
}

pub fn id(game: &mut Game, name: &str) -> UnitId {
    game.unit_id(name)
        .unwrap_or_else(|| panic!("no unit {name}"))
}

/// Puts a unit somewhere, for setting up a situation.
pub fn place_unit(game: &mut Game, unit: UnitId, at: Hex) {
    let e = game.entity(unit).expect("unit exists");
    game.world_mut()
        .get_mut::<Position>(e)
        .expect("has a position")
        .0 = at;
}

/// Sets the fuel a unit holds, tons.
pub fn set_fuel(game: &mut Game, unit: UnitId, tons: f64) {
    let e = game.entity(unit).expect("unit exists");
    game.world_mut()
        .get_mut::<Stocks>(e)
        .expect("has stocks")
        .fuel_t = tons;
}

pub fn place_hex(game: &Game, name: &str) -> Hex {
    game.world()
        .resource::<Map>()
        .place_named(name)
        .expect("place exists")
        .hex
}

pub fn fuel(game: &mut Game, unit: UnitId) -> f64 {
    let e = game.entity(unit).expect("unit exists");
    game.world().get::<Stocks>(e).expect("has stocks").fuel_t
}

pub fn hex(col: i32, row: i32) -> Hex {
    Hex::from_offset(col, row)
}

/// A save's text with its checksum made to match its (edited) contents, as a forger who
/// knows the hash would do, the layout kept so that lines still point where they did. Text
/// that no longer reads as a save is returned as it is.
#[allow(dead_code)]
pub fn restamp(text: &str) -> String {
    match ron::from_str::<august_storm::scenario::save::SaveFile>(text) {
        Ok(s) => text.replacen(&s.checksum, &s.digest(), 1),
        Err(_) => text.to_string(),
    }
}
