//! The model: ids, the hex grid on real geography, components and resources. No rules here.

pub mod events;
pub mod geo;
pub mod hex;
pub mod ids;
pub mod intel;
pub mod logistics;
pub mod map;
pub mod orders;
pub mod time;
pub mod units;
pub mod words;

use bevy::prelude::Resource;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use events::{
    BattleResult, Cargo, EventLog, GameEvent, HaltReason, LoggedEvent, Losses, SupplyLimit,
    SurrenderReason,
};
pub use geo::LatLon;
pub use hex::Hex;
pub use ids::{FormationId, PlaceId, UnitId};
pub use intel::{AirStrikesSpent, Intel, KnownUnit, Landings};
pub use map::Map;
pub use orders::{Order, OrderRejected};
pub use time::Calendar;
pub use units::*;

/// The game's one source of randomness, seeded from the scenario or `--seed` and saved with
/// the game, so a seed and the orders reproduce a game exactly.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct GameRng(pub ChaCha8Rng);

/// The RNG's state as plain numbers (RON has no 128-bit integers): the key as hex, the
/// stream, and the position in the stream split in two halves.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RngState {
    key: String,
    stream: u64,
    word_pos_high: u64,
    word_pos_low: u64,
}

impl Serialize for GameRng {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pos = self.0.get_word_pos();
        RngState {
            key: self
                .0
                .get_seed()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            stream: self.0.get_stream(),
            word_pos_high: (pos >> 64) as u64,
            word_pos_low: pos as u64,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for GameRng {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use rand::SeedableRng;
        use serde::de::Error;
        let st = RngState::deserialize(d)?;
        if st.key.len() != 64 || !st.key.is_ascii() {
            return Err(D::Error::custom(
                "the RNG key must be 64 hexadecimal digits",
            ));
        }
        let mut key = [0u8; 32];
        for (i, b) in key.iter_mut().enumerate() {
            *b = u8::from_str_radix(&st.key[2 * i..2 * i + 2], 16)
                .map_err(|_| D::Error::custom("the RNG key must be 64 hexadecimal digits"))?;
        }
        // The generator's position is a 68-bit number, so its high half holds 4 bits: a
        // larger one was not written by a game, and would be silently cut short.
        if st.word_pos_high >= 16 {
            return Err(D::Error::custom(
                "the RNG position is beyond the end of its stream: word_pos_high must be less than 16",
            ));
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(st.stream);
        rng.set_word_pos(((st.word_pos_high as u128) << 64) | st.word_pos_low as u128);
        Ok(GameRng(rng))
    }
}

/// Who holds each named place, indexed by [`PlaceId`].
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Control {
    pub owner: Vec<Option<Side>>,
    /// When each place was first taken from the side that held it at the start (a place no
    /// side held: first taken by either), ISO 8601 local; `None` while it never changed
    /// hands.
    /// (Empty only in a save of the older kind, and then left out, so that such a save's
    /// checksum, made over its fields, still holds.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_taken: Vec<Option<String>>,
    /// What saves written before `first_taken` kept instead: when each place first came
    /// under Soviet control, the Soviet side's own places at the start time. Read, never
    /// written: loading a save turns it into `first_taken` ([`Control::read_legacy`]).
    #[serde(
        default,
        rename = "first_soviet",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present",
        serialize_with = "bare"
    )]
    pub legacy_first_soviet: Option<Vec<Option<String>>>,
    /// Towns taken by storm while the other side's garrison still holds the permanent works
    /// of their hex (`rules::control`): the town's holder keeps it while he stands beside the
    /// works, and the works fall when the last of the garrison has gone. In place order;
    /// empty in most games, and then left out of saves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub besieged: Vec<PlaceId>,
}

/// A field that, where a file has it, is written bare (not as `Some(…)`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Writes a field [`present`] reads (only ever called where it is there).
fn bare<S: serde::Serializer, T: Serialize>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => v.serialize(s),
        None => s.serialize_none(),
    }
}

impl Control {
    /// Turns what a save of the older kind kept, the first Soviet hold of each place, into
    /// `first_taken`: the same for the places the Soviet side did not hold at the start; its
    /// own places were given the start time, and their being taken from it was not recorded.
    /// Saves of the present kind are left as they are.
    pub fn read_legacy(&mut self, map: &Map) {
        let Some(legacy) = self.legacy_first_soviet.take() else {
            return;
        };
        self.first_taken = legacy
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let own = map
                    .places
                    .get(i)
                    .is_some_and(|p| p.initial_owner == Some(Side::Soviet));
                t.filter(|_| !own)
            })
            .collect();
    }

    /// Puts `place` in `side`'s hands at `now` (ISO 8601 local), noting when it was first
    /// taken from the side that held it at the start; returns who held it before.
    pub fn change_hands(&mut self, place: &map::Place, side: Side, now: &str) -> Option<Side> {
        let i = place.id.0 as usize;
        let from = self.owner[i].replace(side);
        if place.initial_owner != Some(side) && self.first_taken[i].is_none() {
            self.first_taken[i] = Some(now.to_string());
        }
        from
    }
}

/// The state of each army-level formation at the end of every turn, for charts and the
/// debrief: fuel on hand, men and tanks.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub rows: Vec<TimelineRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// Local time at the end of the turn.
    pub time: String,
    pub formation: String,
    /// Fuel on hand across its fighting units (its support groups, the rear services at
    /// their bases, left out), t.
    pub fuel_t: f64,
    /// The same as a share of one refill for all their tanks and vehicles.
    pub refills: f64,
    pub men: u64,
    pub tanks: u64,
}

/// The strength a unit started with, to tell when it is broken.
#[derive(bevy::prelude::Component, Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FullStrength(pub Strength);

/// The formation the batch, its plots, the debrief and the class notes follow turn by turn
/// (the scenario's `followed_formation`): its advance and its fuel.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq)]
pub struct Followed(pub Option<FormationId>);

impl Followed {
    /// Whether a unit whose parent is `parent` belongs to the followed formation.
    pub fn has(&self, oob: &OrderOfBattle, parent: FormationId) -> bool {
        self.0.is_some_and(|f| oob.chain(parent).any(|x| x.id == f))
    }

    /// The followed formation's name.
    pub fn name<'a>(&self, oob: &'a OrderOfBattle) -> Option<&'a str> {
        self.0.map(|f| oob.get(f).name.as_str())
    }
}

/// The documented cease-fire, resolved: when the broadcast was made, when the order reached
/// the high command, and which formation that is (the rules pass it down from there).
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct CeasefireSchedule {
    pub broadcast: chrono::NaiveDateTime,
    pub order_at_hq: chrono::NaiveDateTime,
    pub hq: FormationId,
}

/// Who has heard the cease-fire, and when (turn).
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CeasefireState {
    pub formations: std::collections::BTreeMap<FormationId, u32>,
    pub units: std::collections::BTreeMap<UnitId, u32>,
    /// The turn each formation will hear it, drawn when its parent heard it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub relays: std::collections::BTreeMap<FormationId, u32>,
    /// The turn each unit that heard it will lay down its arms, drawn when it heard.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub surrender_at: std::collections::BTreeMap<UnitId, u32>,
    /// Units cut off when the order reached their formation, and whether an envoy can reach
    /// them at all (drawn once): those that cannot hear it only if they are relieved.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub envoy_reaches: std::collections::BTreeMap<UnitId, bool>,
}

/// Men who laid down their arms where no enemy stood to accept the surrender: they wait
/// where they gave up until enemy troops come near enough to take them prisoner. What is
/// left here at the end surrendered unreached.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AwaitingCaptors {
    pub units: std::collections::BTreeMap<UnitId, Disarmed>,
}

impl AwaitingCaptors {
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// A unit that laid down its arms: where, how many men, and whose they are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Disarmed {
    pub at: Hex,
    pub men: u32,
    pub side: Side,
}

/// Orders accepted this phase, waiting for the side to end its turn.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PendingOrders {
    pub orders: Vec<Order>,
}

/// Every accepted order of the game, with the turn and side it was given in: with the seed,
/// enough to replay the game.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLog {
    pub entries: Vec<OrderLogEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLogEntry {
    pub turn: u32,
    pub side: Side,
    pub order: Order,
}

/// Dice fixed for a phase from outside the game: in a game by e-mail each phase's random
/// stream is derived from secrets both players committed to before the first turn, so that
/// neither can foresee or choose it. A phase with a key here starts its stream afresh from
/// it; a phase without one goes on with the game's seeded stream. Saved with the game, so a
/// replay rolls the same dice.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseDice {
    pub keys: Vec<PhaseKey>,
}

/// The key of one phase's dice: the turn, the side whose phase it is, and 32 bytes as hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseKey {
    pub turn: u32,
    pub side: Side,
    pub key: String,
}

impl PhaseDice {
    /// The key of a phase, if one was fixed for it and is well formed.
    pub fn key(&self, turn: u32, side: Side) -> Option<[u8; 32]> {
        let k = self
            .keys
            .iter()
            .find(|k| k.turn == turn && k.side == side)?;
        parse_hex32(&k.key)
    }
}

/// 32 bytes from 64 hexadecimal digits.
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Bytes as lower-case hexadecimal digits.
pub fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
