//! The RON file formats: map, rules, scenario, AI plans and logistics, as strict serde
//! structs, one file each. The kinds they name (of unit, ground, weather...) are the
//! model's.
//!
//! Every struct denies unknown fields, so a typo in a hand-edited file is an error with its
//! line and column, not a silently ignored value. Coordinates are `(lat, lon)` in decimal
//! degrees north and east.

pub mod logistics;
pub mod map;
pub mod plan;
pub mod rules;
pub mod scenario;

pub use crate::model::logistics::{DepotKind, Weather};
pub use crate::model::map::{Gauge, PlaceKind, RiverClass, RoadClass, TerrainKind};
pub use crate::model::units::{FormationKind, Mobility, Nation, Side, UnitKind};
pub use logistics::*;
pub use map::*;
pub use plan::*;
pub use rules::*;
pub use scenario::*;

/// A point on the ground: `(lat, lon)` in decimal degrees (north, east).
pub type LatLonTuple = (f64, f64);
