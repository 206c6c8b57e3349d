//! The map format (`scenarios/maps/*.ron` and its layers): the theatre as geographic
//! features, rasterised to hexes at load.

use serde::{Deserialize, Serialize};

use super::LatLonTuple;
use crate::model::map::{Gauge, PlaceKind, RiverClass, RoadClass, TerrainKind};
use crate::model::units::Side;

/// `scenarios/maps/*.ron`: the theatre as geographic features, rasterised to hexes at load.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    pub name: String,
    /// Lambert conformal conic projection used to lay the hex grid on the ground.
    pub projection: ProjectionDef,
    /// The geographic box the grid must cover, degrees.
    pub bounds: BoundsDef,
    /// Distance between the centres of two neighbouring hexes (flat-to-flat width), km.
    pub hex_km: f64,
    /// Terrain of every hex that no area polygon covers.
    pub base_terrain: TerrainKind,
    /// Terrain areas, painted in order: a later area overwrites an earlier one.
    pub areas: Vec<AreaDef>,
    /// Countries, for borders and the initial owner of places.
    pub countries: Vec<CountryDef>,
    pub rivers: Vec<RiverDef>,
    pub railways: Vec<RailwayDef>,
    pub roads: Vec<RoadDef>,
    /// Mountain passes: the hex that holds one is passable at the pass cost.
    pub passes: Vec<PassDef>,
    pub places: Vec<PlaceDef>,
    pub fortified_regions: Vec<FortifiedRegionDef>,
    /// Further files of features (`MapLayer`), relative to this file, appended in order:
    /// their areas paint over this file's areas.
    pub layers: Vec<String>,
}

/// A map layer file: more features for a map, split out by theme so that each file stays
/// readable (terrain in one, rivers in another ...).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapLayer {
    #[serde(default)]
    pub areas: Vec<AreaDef>,
    #[serde(default)]
    pub countries: Vec<CountryDef>,
    #[serde(default)]
    pub rivers: Vec<RiverDef>,
    #[serde(default)]
    pub railways: Vec<RailwayDef>,
    #[serde(default)]
    pub roads: Vec<RoadDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionDef {
    /// The two standard parallels, degrees north.
    pub standard_parallels: (f64, f64),
    /// Latitude and longitude of the projection's origin (centre of the map), degrees.
    pub origin: LatLonTuple,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundsDef {
    pub south: f64,
    pub north: f64,
    pub west: f64,
    pub east: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaDef {
    pub name: String,
    pub terrain: TerrainKind,
    /// Closed outline, `(lat, lon)` points; the last point joins the first.
    pub polygon: Vec<LatLonTuple>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryDef {
    pub name: String,
    /// The side that holds the country on 9 August 1945; `None` for neutral ground.
    pub owner: Option<Side>,
    pub polygon: Vec<LatLonTuple>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiverDef {
    pub name: String,
    pub class: RiverClass,
    /// The river's course, `(lat, lon)` points from source toward mouth.
    pub line: Vec<LatLonTuple>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailwayDef {
    pub name: String,
    pub gauge: Gauge,
    /// Daily capacity in tons on the line in 1945, where known.
    pub capacity_t_per_day: Option<f64>,
    pub line: Vec<LatLonTuple>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadDef {
    pub name: String,
    pub class: RoadClass,
    pub line: Vec<LatLonTuple>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassDef {
    pub name: String,
    pub at: LatLonTuple,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceDef {
    /// Canonical name, as the game shows it.
    pub name: String,
    /// Other names used in the sources (period romanisations, Japanese, Russian).
    pub aliases: Vec<String>,
    pub at: LatLonTuple,
    pub kind: PlaceKind,
    /// Whether the place has an airfield transport aircraft can use.
    pub airfield: bool,
    /// Victory points for holding it at the end.
    pub value: u32,
    /// Where the coordinate comes from, and how it was checked.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FortifiedRegionDef {
    pub name: String,
    /// Centre of the fortified region.
    pub at: LatLonTuple,
    /// Radius of the works around the centre, km: hexes whose centre lies within it are fortified.
    pub radius_km: f64,
    /// Strength of the works, 1 (field fortifications) to 5 (Hailar, Hutou: concrete, tunnels).
    pub level: u8,
    /// Permanent firing points (pillboxes, cupolas, gun positions), where documented.
    pub firing_points: Option<u32>,
    pub source: String,
}
