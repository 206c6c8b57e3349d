//! The theatre as the rules see it: a rectangle of hexes, each with terrain, country, and
//! per-edge rivers, roads and railways; named places and fortified regions.

use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};

use super::geo::{LatLon, Projection};
use super::hex::{Hex, Layout};
use super::ids::PlaceId;
pub use super::units::Side;

/// What runs along one edge between two neighbouring hexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edge {
    /// The largest river the edge crosses.
    pub river: Option<RiverClass>,
    /// The best road joining the two hexes.
    pub road: Option<RoadClass>,
    /// The railway joining the two hexes.
    pub rail: Option<Gauge>,
}

/// One hex of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub terrain: TerrainKind,
    /// Index into [`Map::countries`]; `None` for water or unclaimed ground.
    pub country: Option<u8>,
    /// A mountain pass lies in this hex.
    pub pass: bool,
    /// Strength of permanent fortifications, 0 (none) to 5.
    pub fort_level: u8,
    /// Index into [`Map::forts`] of the fortified region that covers the hex.
    pub fort: Option<u16>,
    pub place: Option<PlaceId>,
    pub edges: [Edge; 6],
}

/// A named place on the map.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    pub name: String,
    pub aliases: Vec<String>,
    /// True coordinate.
    pub at: LatLon,
    /// The hex the place is in (the containing hex, or its nearest free neighbour on the
    /// same side of the border where two places share one hex).
    pub hex: Hex,
    pub kind: PlaceKind,
    pub airfield: bool,
    pub value: u32,
    /// The side that held it when the scenario starts.
    pub initial_owner: Option<Side>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub name: String,
    pub owner: Option<Side>,
}

#[derive(Debug, Clone)]
pub struct FortifiedRegion {
    pub name: String,
    pub at: LatLon,
    pub radius_km: f64,
    pub level: u8,
    pub firing_points: Option<u32>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct NamedLine {
    pub name: String,
    /// For a river: the hex edges it crosses, each as (lower hex, higher hex).
    pub crossings: std::collections::BTreeSet<(Hex, Hex)>,
}

/// The map resource.
#[derive(Resource, Debug, Clone)]
pub struct Map {
    pub name: String,
    pub projection: Projection,
    pub layout: Layout,
    pub cols: i32,
    pub rows: i32,
    pub cells: Vec<Cell>,
    pub countries: Vec<Country>,
    pub places: Vec<Place>,
    pub forts: Vec<FortifiedRegion>,
    pub rivers: Vec<NamedLine>,
    pub railways: Vec<NamedLine>,
    pub roads: Vec<NamedLine>,
    /// Every cell's centre, worked out on first use: the inverse projection is trigonometry,
    /// and route finding, supply, weather and reconnaissance ask for centres all the time.
    pub centers: CenterCache,
}

/// The cells' centres for the map's size when they were worked out (a map resized since is
/// answered afresh; see [`Map::center`]).
#[derive(Debug, Clone, Default)]
pub struct CenterCache(std::sync::OnceLock<CellCentres>);

#[derive(Debug, Clone)]
struct CellCentres {
    cols: i32,
    rows: i32,
    at: Vec<LatLon>,
    /// Each centre as a point on the unit sphere, for distance tests by dot product.
    unit: Vec<[f64; 3]>,
}

impl Map {
    pub fn hex_km(&self) -> f64 {
        self.layout.spacing_km
    }

    pub fn index(&self, h: Hex) -> Option<usize> {
        let (c, r) = h.to_offset();
        (c >= 0 && r >= 0 && c < self.cols && r < self.rows).then(|| (r * self.cols + c) as usize)
    }

    pub fn contains(&self, h: Hex) -> bool {
        self.index(h).is_some()
    }

    pub fn cell(&self, h: Hex) -> Option<&Cell> {
        self.index(h).map(|i| &self.cells[i])
    }

    pub fn hex_of_index(&self, i: usize) -> Hex {
        Hex::from_offset(i as i32 % self.cols, i as i32 / self.cols)
    }

    /// Every hex of the map, row by row from the south-west corner.
    pub fn hexes(&self) -> impl Iterator<Item = Hex> + '_ {
        (0..self.cells.len()).map(|i| self.hex_of_index(i))
    }

    /// Forgets the cached centres, for code that reshapes a map after it was built.
    pub fn forget_centers(&mut self) {
        self.centers = CenterCache::default();
    }

    /// The cached centres, if the map is finished (while it is being built its cells are
    /// still coming) and has not been reshaped since they were worked out.
    fn centres(&self) -> Option<&CellCentres> {
        if self.cells.len() != (self.cols * self.rows) as usize {
            return None;
        }
        let c = self.centers.0.get_or_init(|| {
            let at: Vec<LatLon> = (0..self.cells.len())
                .map(|i| {
                    self.projection
                        .inverse(self.layout.center(self.hex_of_index(i)))
                })
                .collect();
            CellCentres {
                cols: self.cols,
                rows: self.rows,
                unit: at.iter().map(|p| unit(*p)).collect(),
                at,
            }
        });
        ((c.cols, c.rows) == (self.cols, self.rows)).then_some(c)
    }

    /// Latitude and longitude of a hex's centre.
    pub fn center(&self, h: Hex) -> LatLon {
        if let (Some(i), Some(c)) = (self.index(h), self.centres())
            && let Some(p) = c.at.get(i)
        {
            return *p;
        }
        self.projection.inverse(self.layout.center(h))
    }

    /// Whether a hex's centre lies in the disc: within its radius of its centre along the
    /// great circle ([`LatLon::distance_km`] `<= km`). A dot product of points on the unit
    /// sphere decides where it can; the haversine only near the rim.
    pub fn in_disc(&self, d: &Disc, h: Hex) -> bool {
        // The hex's centre is projected back to the globe only on the rim, where the cached
        // unit vectors cannot tell.
        let u = match (self.index(h), self.centres()) {
            (Some(i), Some(c)) => c.unit[i],
            _ => unit(self.center(h)),
        };
        let dot = d.unit.iter().zip(u).map(|(x, y)| x * y).sum::<f64>();
        if dot > d.rim + 1e-9 {
            true
        } else if dot < d.rim - 1e-9 {
            false
        } else {
            d.at.distance_km(self.center(h)) <= d.km
        }
    }

    /// The hex containing a point on the ground (it may lie off the map).
    pub fn hex_at(&self, p: LatLon) -> Hex {
        self.layout.hex_at(self.projection.forward(p))
    }

    pub fn edge(&self, from: Hex, to: Hex) -> Option<Edge> {
        let dir = from.direction_to(to)?;
        self.cell(from).map(|c| c.edges[dir])
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// A place by canonical name or alias, ignoring case.
    pub fn place_named(&self, name: &str) -> Option<&Place> {
        let eq = |s: &str| s.eq_ignore_ascii_case(name);
        self.places
            .iter()
            .find(|p| eq(&p.name))
            .or_else(|| self.places.iter().find(|p| p.aliases.iter().any(|a| eq(a))))
    }

    /// The side whose country holds the hex on the first day.
    pub fn initial_owner(&self, h: Hex) -> Option<Side> {
        self.cell(h)
            .and_then(|c| c.country)
            .and_then(|i| self.countries[i as usize].owner)
    }
}

/// The point on the unit sphere.
fn unit(p: LatLon) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// A disc on the ground: its centre and radius, ready to test many hexes against.
#[derive(Debug, Clone, Copy)]
pub struct Disc {
    at: LatLon,
    km: f64,
    unit: [f64; 3],
    /// The cosine of the radius's angle at the earth's centre.
    rim: f64,
}

impl Disc {
    pub fn new(at: LatLon, km: f64) -> Self {
        Disc {
            at,
            km,
            unit: unit(at),
            rim: (km / crate::model::geo::EARTH_RADIUS_KM)
                .min(std::f64::consts::PI)
                .cos(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TerrainKind {
    /// Open grass steppe: good going when dry.
    Steppe,
    /// Sand and alkali desert of the Gobi and Chahar plateau.
    SandDesert,
    /// Cultivated plain (kaoliang, soy): the central Manchurian plain.
    Farmland,
    /// Rolling open hills.
    Hills,
    /// Forested hills: Lesser Khingan, east Manchurian highlands, northern Korea.
    ForestedHills,
    /// High mountain ridges: the Greater Khingan crest, Changbai.
    Mountains,
    /// Dense coniferous forest, usually on permafrost.
    Taiga,
    /// Marsh and wet river bottoms.
    Marsh,
    /// Lakes (Khanka, Hulun, Buir).
    Lake,
    /// Sea.
    Sea,
}

impl TerrainKind {
    /// Every kind of ground, in declaration order.
    pub const ALL: [TerrainKind; 10] = [
        TerrainKind::Steppe,
        TerrainKind::SandDesert,
        TerrainKind::Farmland,
        TerrainKind::Hills,
        TerrainKind::ForestedHills,
        TerrainKind::Mountains,
        TerrainKind::Taiga,
        TerrainKind::Marsh,
        TerrainKind::Lake,
        TerrainKind::Sea,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RiverClass {
    /// A stream a column fords or bridges in an hour or two.
    Minor,
    /// A river that needs bridging or ferries (Nen, Mulin, Liao, Tumen, Yalu, Argun, Khalkhin).
    Major,
    /// A great river, a kilometre or more wide (Amur, Ussuri, Sungari).
    Great,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Gauge {
    /// Russian broad gauge, 1,524 mm.
    Broad,
    /// Standard gauge, 1,435 mm (Manchurian and Korean lines).
    Standard,
    /// Narrow-gauge field and forest lines.
    Narrow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RoadClass {
    /// An all-weather or improved main road.
    Main,
    /// A dirt track: fast when dry, mud after rain.
    Track,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PlaceKind {
    /// A city of operational importance (provincial seat, HQ, rail junction).
    City,
    /// A town or rail station.
    Town,
    /// A port.
    Port,
    /// A border crossing, jump-off area or supply station.
    Station,
}
