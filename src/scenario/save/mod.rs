//! The save file's format: the scenario it was played from, the seed and RNG state, the
//! calendar, every unit's state and the logs, as RON, with its format version and checksum.
//! Taking a game to a save and back, which needs the rules, is `rules::save`'s.

pub mod atomic;
pub mod check;
pub mod paths;

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::scenario::diag::SourceText;
use crate::scenario::spawn::GameSetup;
use crate::scenario::whatif::Switches;

pub use atomic::write_atomically;
pub use paths::{scenario_of, scenario_relative_to};

/// The save format this build writes. Older formats are refused with their version.
/// Version 2 added a checksum; version 3 made it a BLAKE3 hash of the whole save, added the
/// hashes of the data files the game is played from and the dice fixed for its phases.
pub const SAVE_FORMAT_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFile {
    pub format_version: u32,
    /// BLAKE3 of the whole save (see [`SaveFile::digest`]).
    pub checksum: String,
    pub setup: GameSetup,
    /// The files the game is played from, with their hashes: a save whose scenario, map,
    /// rules, logistics, plan or what-if file has changed since is refused, naming the file.
    pub inputs: Vec<crate::scenario::digest::InputDigest>,
    /// The dice fixed for each phase (a game by e-mail); empty in a game of one seed.
    #[serde(default)]
    pub dice: PhaseDice,
    pub calendar: Calendar,
    pub rng: GameRng,
    pub switches: Switches,
    pub control: Control,
    pub units: Vec<UnitState>,
    pub pending: PendingOrders,
    pub orders: OrderLog,
    pub events: EventLog,
    pub depots: crate::model::logistics::Depots,
    pub rail: crate::model::logistics::RailCaptures,
    pub ledger: crate::model::logistics::FuelLedger,
    pub airlift_booked: crate::model::logistics::AirliftBooked,
    pub timeline: Timeline,
    pub ceasefire: CeasefireState,
    /// Each side's picture of the enemy (fog of war).
    #[serde(default)]
    pub intel: Intel,
    /// Detachments in the air.
    #[serde(default)]
    pub landings: Landings,
    /// Aircraft spent on suicide attacks.
    #[serde(default)]
    pub air_strikes_spent: AirStrikesSpent,
    /// Men who laid down their arms and wait to be taken prisoner (left out while there are
    /// none, so that saves from before any surrender read and hash as they did).
    #[serde(default, skip_serializing_if = "AwaitingCaptors::is_empty")]
    pub awaiting_captors: AwaitingCaptors,
}

/// The changing part of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitState {
    pub id: UnitId,
    pub name: String,
    pub at: Hex,
    pub strength: Strength,
    pub stocks: Stocks,
    pub capacity: Capacity,
    pub supply: SupplyState,
    pub readiness: f64,
    pub destination: Option<Hex>,
}

impl SaveFile {
    /// BLAKE3 of the whole save but its checksum, in its compact RON form (so that the
    /// layout of the file does not matter, every value does). It catches a save damaged or
    /// edited by hand. A hash anyone can recompute is no signature: what stops a forger is
    /// that a save is played again from its seed and orders when it is loaded, and, between
    /// two players, the signed turns of a game by e-mail.
    pub fn digest(&self) -> String {
        let mut canonical = self.clone();
        canonical.checksum.clear();
        let text = ron::to_string(&canonical).unwrap_or_default();
        format!(
            "blake3:{}",
            crate::scenario::digest::blake3_hex(text.as_bytes())
        )
    }
}

/// A save of another format version than this build reads, found before the save is parsed
/// (so that an old or new format is named rather than misparsed): what to say, and the hint.
pub fn other_version(src: &SourceText) -> Option<(String, String)> {
    let v = src.key(0, "format_version")?;
    let num: String = src.text[v..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let n = num
        .parse::<u32>()
        .ok()
        .filter(|n| *n != SAVE_FORMAT_VERSION)?;
    Some((
        format!(
            "this save is format version {n}; this build of August Storm reads version {SAVE_FORMAT_VERSION}"
        ),
        if n > SAVE_FORMAT_VERSION {
            "it was written by a newer version: update the game".into()
        } else {
            "it was written by an older version, which this build cannot migrate".into()
        },
    ))
}
