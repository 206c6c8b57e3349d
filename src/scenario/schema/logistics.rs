//! The logistics format: depots, lorry pools, transport aviation, sea lift, river
//! flotillas and the weather schedule.

use serde::{Deserialize, Serialize};

use super::LatLonTuple;
use super::scenario::Location;
use crate::model::logistics::{DepotKind, Weather};
use crate::model::units::Side;

/// `scenarios/*_logistics.ron`: where supplies come from and what carries them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticsFile {
    pub depots: Vec<DepotDef>,
    pub truck_pools: Vec<TruckPoolDef>,
    pub air_transport: Vec<AirTransportDef>,
    pub weather: Vec<WeatherDef>,
    /// Fleets that carry troops by sea and land them on a coast.
    #[serde(default)]
    pub sea_lift: Vec<SeaLiftDef>,
    /// River flotillas that ferry their side's troops across named rivers.
    #[serde(default)]
    pub river_flotillas: Vec<RiverFlotillaDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepotDef {
    pub name: String,
    pub side: Side,
    pub kind: DepotKind,
    pub at: Location,
    /// Fuel on hand at the start, t.
    pub fuel_t: f64,
    /// Ammunition on hand at the start, t.
    pub ammo_t: f64,
    /// Food and fodder on hand at the start, t.
    pub food_t: f64,
    /// Tons a day arriving by rail from the rear (railheads), split between fuel, ammunition
    /// and food by the rules' shares.
    pub rail_t_per_day: f64,
    pub source: String,
}

/// Motor transport of a formation: the lorries that carry supplies from railhead to troops.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruckPoolDef {
    /// The formation whose units it serves (units use the nearest pool up their chain).
    pub formation: String,
    pub trucks: u32,
    pub source: String,
}

/// Transport aviation of an air army.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirTransportDef {
    /// The air army; its `transport_aircraft` are the pool.
    pub formation: String,
    /// Airfields the transports fly from: places with an airfield and a depot.
    pub bases: Vec<String>,
    /// Tons one sortie carries.
    pub payload_t: f64,
    /// Sorties one aircraft flies a day.
    pub sorties_per_day: f64,
    /// Greatest distance from base to landing ground, km.
    pub range_km: f64,
    pub source: String,
}

/// A fleet's sea lift: the troops it embarks at its ports and lands on a coast.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeaLiftDef {
    /// The fleet (a formation of kind `Fleet`).
    pub formation: String,
    /// Ports it embarks troops at: places on the coast.
    pub ports: Vec<String>,
    /// Men it can embark in one turn.
    pub men_per_turn: u32,
    /// Greatest distance from port to landing beach, km.
    pub range_km: f64,
    /// Naval guns that support a landing against a defended beach.
    pub gunfire_guns: u32,
    pub source: String,
}

/// A river flotilla: its boats ferry its side's troops across the rivers it sails.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiverFlotillaDef {
    /// The flotilla (a formation of kind `Flotilla`).
    pub formation: String,
    /// Rivers of the map it sails.
    pub rivers: Vec<String>,
    /// Men it can ferry across in one turn.
    pub men_per_turn: u32,
    /// Extra movement cost of a ferried crossing, km (in place of the river's own).
    pub crossing_km: f64,
    /// Multiple of the river's defence bonus when the flotilla supports an attack across it
    /// (its guns on the far bank).
    pub river_defence_factor: f64,
    pub source: String,
}

/// Weather over a region for a span of time. Later entries override earlier ones.
///
/// A span is a climatology, not only a schedule: `from` and `to` are its most likely onset
/// and end, and each game draws its own from the seed. The onset falls within
/// `onset_spread_hours` of `from` either way, the length within `length_spread_hours` of
/// `to - from` (both triangular: most often near the figure written, seldom at the edge),
/// and the span comes at all with `chance`. All three left out: the span comes as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherDef {
    pub name: String,
    pub region: Vec<LatLonTuple>,
    /// Local time it most likely begins.
    pub from: String,
    /// Local time it most likely ends.
    pub to: String,
    pub weather: Weather,
    /// How far, in hours, a game's onset may fall from `from`, earlier or later.
    #[serde(default)]
    pub onset_spread_hours: f64,
    /// How far, in hours, a game's span may be shorter or longer than written.
    #[serde(default)]
    pub length_spread_hours: f64,
    /// The chance that the span comes at all in a game.
    #[serde(default = "certain")]
    pub chance: f64,
    /// An earlier span (by name) that this one belongs to: its onset moves with that span's
    /// drawn onset (its own spread added), and it does not come if that span does not, as
    /// the storms of a rainy season come with its rains.
    #[serde(default)]
    pub follows: Option<String>,
    pub source: String,
}

fn certain() -> f64 {
    1.0
}
