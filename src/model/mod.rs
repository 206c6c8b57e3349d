//! The model: ids, the hex grid on real geography, components and resources. No rules here.

pub mod events;
pub mod geo;
pub mod hex;
pub mod ids;
pub mod map;
pub mod orders;
pub mod time;
pub mod units;

use bevy::prelude::Resource;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use events::{EventLog, GameEvent, HaltReason, LoggedEvent};
pub use geo::LatLon;
pub use hex::Hex;
pub use ids::{FormationId, PlaceId, UnitId};
pub use map::Map;
pub use orders::{Order, OrderRejected};
pub use time::Calendar;
pub use units::*;

/// The game's one source of randomness, seeded from the scenario or `--seed` and saved with
/// the game, so a seed and the orders reproduce a game exactly.
#[derive(Resource, Debug, Clone, Serialize, Deserialize)]
pub struct GameRng(pub ChaCha8Rng);

/// Who holds each named place, indexed by [`PlaceId`].
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Control {
    pub owner: Vec<Option<Side>>,
    /// First time each place came under Soviet control (ISO 8601 local).
    pub first_soviet: Vec<Option<String>>,
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
