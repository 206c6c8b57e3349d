//! Logistics state: depots and railheads, lorry pools, transport aviation, the weather, the
//! railways captured and repaired, and the fuel ledger that proves fuel is conserved.

use std::collections::BTreeMap;

use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::{FormationId, PlaceId};
use super::units::Side;

/// A store of supplies: a railhead, a field depot, or a city's stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Depot {
    pub name: String,
    pub side: Side,
    pub kind: DepotKind,
    pub hex: Hex,
    /// The place it stands in; the depot changes hands with it.
    pub place: Option<PlaceId>,
    pub fuel_t: f64,
    pub ammo_t: f64,
    pub food_t: f64,
    pub rail_t_per_day: f64,
    pub source: String,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Depots {
    pub depots: Vec<Depot>,
}

/// A formation's lorries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruckPool {
    pub formation: FormationId,
    pub trucks: u32,
    pub source: String,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TruckPools {
    pub pools: Vec<TruckPool>,
}

/// An air army's transport aircraft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AirFleet {
    pub formation: FormationId,
    pub name: String,
    pub side: Side,
    pub aircraft: u32,
    pub bases: Vec<PlaceId>,
    pub payload_t: f64,
    pub sorties_per_day: f64,
    pub range_km: f64,
    pub source: String,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AirTransport {
    pub fleets: Vec<AirFleet>,
}

/// A fleet's sea lift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeaLift {
    pub formation: FormationId,
    pub name: String,
    pub side: Side,
    pub ports: Vec<PlaceId>,
    /// Men it can embark in one turn.
    pub men_per_turn: u32,
    pub range_km: f64,
    /// Naval guns supporting a landing.
    pub gunfire_guns: u32,
    pub source: String,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeaTransport {
    pub fleets: Vec<SeaLift>,
}

/// A river flotilla and the river edges it sails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiverFlotilla {
    pub formation: FormationId,
    pub name: String,
    pub side: Side,
    /// The river edges it sails, each as (lower hex, higher hex).
    pub crossings: std::collections::BTreeSet<(Hex, Hex)>,
    pub men_per_turn: u32,
    pub crossing_km: f64,
    pub river_defence_factor: f64,
    pub source: String,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RiverFlotillas {
    pub flotillas: Vec<RiverFlotilla>,
}

/// Weather over a region for a span of local time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeatherSpan {
    pub name: String,
    pub region: Vec<(f64, f64)>,
    pub from: chrono::NaiveDateTime,
    pub to: chrono::NaiveDateTime,
    pub weather: Weather,
}

/// A span of weather as the climate gives it: most likely as `span` says, and in each game
/// drawn afresh within its spreads (see the logistics format's `WeatherDef`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClimateSpan {
    /// The span at its most likely onset and length.
    pub span: WeatherSpan,
    pub onset_spread_hours: f64,
    pub length_spread_hours: f64,
    pub chance: f64,
    /// The earlier span (an index into the same list) whose onset and coming this one follows.
    pub follows: Option<usize>,
}

/// The scenario's climate: the spans of weather a game draws its own from.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeatherClimate {
    pub spans: Vec<ClimateSpan>,
}

/// This game's weather: the spans drawn from the climate at its start, in the climate's
/// order (later spans override earlier ones where they overlap).
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeatherSchedule {
    pub spans: Vec<WeatherSpan>,
}

/// The weather in every hex this turn, indexed like the map's cells.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct CurrentWeather {
    cells: Vec<Weather>,
    /// A digest of `cells`, made with them: a route search is remembered by the weather it
    /// was made in without comparing every hex's.
    digest: u64,
}

impl CurrentWeather {
    pub fn new(cells: Vec<Weather>) -> Self {
        // FNV-1a over the cells' weather, one byte each: quick over a map of thousands.
        let digest = cells.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, w| {
            (h ^ (*w as u64 + 1)).wrapping_mul(0x0000_0100_0000_01B3)
        });
        CurrentWeather { cells, digest }
    }

    /// Dry weather over a map of `cells` hexes: the going staffs plan routes on.
    pub fn dry(cells: usize) -> Self {
        Self::new(vec![Weather::Dry; cells])
    }

    /// The weather in each hex, indexed like the map's cells.
    pub fn cells(&self) -> &[Weather] {
        &self.cells
    }

    /// The digest of [`CurrentWeather::cells`].
    pub fn digest(&self) -> u64 {
        self.digest
    }

    pub fn at(&self, map: &super::Map, h: Hex) -> Weather {
        map.index(h)
            .and_then(|i| self.cells.get(i).copied())
            .unwrap_or(Weather::Dry)
    }
}

/// Railway hexes taken from the side that owned them at the start: who took them, and when.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RailCaptures {
    /// Hex → (side holding it now, turn it was taken).
    pub taken: BTreeMap<Hex, (Side, u32)>,
}

/// Fuel flows of one side, t. Conservation: the fuel a side holds (units and depots) changes
/// by exactly `arrived + captured_in − burned_moving − burned_trucks − captured_out`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SideLedger {
    /// Fuel arrived by rail from the rear into railheads.
    pub arrived_t: f64,
    /// Burned by units moving.
    pub burned_moving_t: f64,
    /// Burned by lorries hauling supplies.
    pub burned_trucks_t: f64,
    /// Taken from the enemy's depots.
    pub captured_in_t: f64,
    /// Lost with depots the enemy took.
    pub captured_out_t: f64,
    /// Moved from depots to units by lorry (an internal transfer).
    pub trucked_t: f64,
    /// Moved from depots to units by air (an internal transfer).
    pub airlifted_t: f64,
    /// Transport sorties flown.
    pub sorties: u64,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuelLedger {
    pub soviet: SideLedger,
    pub japanese: SideLedger,
}

impl FuelLedger {
    pub fn side(&mut self, s: Side) -> &mut SideLedger {
        match s {
            Side::Soviet => &mut self.soviet,
            Side::Japanese => &mut self.japanese,
        }
    }

    pub fn get(&self, s: Side) -> &SideLedger {
        match s {
            Side::Soviet => &self.soviet,
            Side::Japanese => &self.japanese,
        }
    }
}

/// Transport tonnage already ordered this turn, per air fleet (index into the fleets).
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AirliftBooked {
    pub tons: BTreeMap<usize, f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DepotKind {
    /// A railhead fed from the rear by rail: stocks grow by its daily rail capacity.
    Railhead,
    /// A field depot: stocks laid down before the offensive, not replenished by rail.
    FieldDepot,
    /// Stores in a city (the Kwantung Army's depots); they change hands with the city.
    CityDepot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Weather {
    Dry,
    /// Rain: dirt tracks and open ground turn to mud; lorries crawl; flying is cut.
    Rain,
    /// Downpour: as rain, worse, and transport aircraft are grounded.
    Downpour,
}
