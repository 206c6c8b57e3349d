//! What a batch measures of each run, as the calibration and sweep formats name it: the
//! runs.csv totals, the tank army it follows, the key places, the fronts and the end of each
//! turn. The formats are checked against these before any run; the batch reports them.

use bevy::prelude::World;

use crate::model::time::{iso_local, parse_local};
use crate::model::*;

/// The key places: cities (value 5) and great cities (value 10). `batch --places key`
/// follows only those, and the map draws them large.
pub const KEY_PLACE_VALUE: u32 = 5;

/// The most runs one batch (or one merge) may hold. The summary reads every row into
/// memory, a few kilobytes each; a larger study is several batches with different
/// `--seed-start`s, compared with each other.
pub const MAX_RUNS: u64 = 100_000;

/// The numeric columns of `runs.csv`, in order, with how to read each from a row.
pub const NUMBERS: [&str; 13] = [
    "soviet_killed",
    "soviet_wounded",
    "soviet_tanks",
    "japanese_killed",
    "japanese_wounded",
    "japanese_prisoners",
    "japanese_army_prisoners",
    "japanese_unreached",
    "japanese_deserted",
    "japanese_holding_out",
    "fuel_consumed_t",
    "fuel_airlifted_t",
    "airlift_sorties",
];

/// Of the turns ending at `turn_ends` (local times), the index of the last one that ended
/// by the given local time.
pub fn turn_ended_by(turn_ends: &[String], at: &str) -> Option<usize> {
    parse_local(at).and_then(|at| {
        turn_ends
            .iter()
            .rposition(|t| parse_local(t).is_some_and(|t| t <= at))
    })
}

/// The fronts of the order of battle, of either side, in its order: the advance is measured
/// per front.
pub fn fronts(oob: &OrderOfBattle) -> Vec<&Formation> {
    oob.formations
        .iter()
        .filter(|f| matches!(f.kind, FormationKind::Front))
        .collect()
}

/// The places, fronts and turn ends of a freshly spawned game: every place of the map
/// (towns and fortresses as well as cities, either side's), in map order, the fronts, and
/// the end of each turn.
pub fn axes(world: &World) -> (Vec<String>, Vec<String>, Vec<String>) {
    let map = world.resource::<Map>();
    let places = map.places.iter().map(|p| p.name.clone()).collect();
    let fronts = fronts(world.resource::<OrderOfBattle>())
        .iter()
        .map(|f| f.name.clone())
        .collect();
    let cal = world.resource::<Calendar>();
    let turn_ends = (1..=cal.turns())
        .map(|t| iso_local(cal.time_of_turn(t + 1).min(cal.end)))
        .collect();
    (places, fronts, turn_ends)
}

/// Of the places `followed`, those in permanent works (whose works can hold out after their
/// town has fallen), in the same order.
pub fn in_works(scenario: &super::load::Scenario, followed: &[String]) -> Vec<String> {
    let map = &scenario.map;
    followed
        .iter()
        .filter(|name| {
            map.place_named(name).is_some_and(|p| {
                map.cell(p.hex)
                    .is_some_and(|c| scenario.rules.combat.permanent_works(c.fort_level))
            })
        })
        .cloned()
        .collect()
}

/// The places a batch follows, as `--places` chooses them from `all` (those `axes` gives):
/// `None` keeps them all; `key` keeps the key places; otherwise a comma-separated list of
/// names (or aliases). Places a calibration fact needs (`needed`) are always kept. The
/// result is in map order; an unknown name is refused with the reason.
pub fn select_places(
    map: &Map,
    all: &[String],
    choice: Option<&str>,
    needed: &[&str],
) -> Result<Vec<String>, String> {
    let Some(choice) = choice.map(str::trim) else {
        return Ok(all.to_vec());
    };
    let mut chosen: Vec<&str> = Vec::new();
    if choice == "key" {
        chosen.extend(
            map.places
                .iter()
                .filter(|p| p.value >= KEY_PLACE_VALUE)
                .map(|p| p.name.as_str()),
        );
    } else {
        for name in choice.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let Some(p) = map.place_named(name) else {
                let (what, hint) = crate::scenario::diag::unknown_place(map, name);
                return Err(match hint {
                    Some(h) => format!("--places: {what}; {h}"),
                    None => format!("--places: {what}"),
                });
            };
            chosen.push(p.name.as_str());
        }
        if chosen.is_empty() {
            return Err("--places: name at least one place, or `key`".into());
        }
    }
    // The calibration may name a place by an alias, or in other letters.
    chosen.extend(
        needed
            .iter()
            .map(|n| map.place_named(n).map_or(*n, |p| p.name.as_str())),
    );
    Ok(all
        .iter()
        .filter(|p| chosen.contains(&p.as_str()))
        .cloned()
        .collect())
}
