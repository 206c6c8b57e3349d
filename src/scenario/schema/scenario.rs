//! The scenario format: the campaign's dates and files, the order of battle, the
//! documented totals, the cease-fire, the briefing and the victory conditions.

use serde::{Deserialize, Serialize};

use crate::model::units::{FormationKind, Nation, Side, UnitKind};

/// `scenarios/*.ron`: a campaign or a smaller scenario on a map.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    pub description: String,
    /// Path of the map file, relative to this file.
    pub map: String,
    /// Path of the rules file, relative to this file.
    pub rules: String,
    /// Path of the logistics file (depots, trucks, transport aviation, weather), relative to
    /// this file.
    pub logistics: String,
    /// Local time (UTC+9) of the first turn, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Local time the campaign ends.
    pub end: String,
    /// Length of one turn, hours (12 or less).
    pub turn_hours: u32,
    /// Default seed of the random number generator.
    pub seed: u64,
    /// The side that gives its orders first in every turn; the other answers in the same
    /// turn, then the clock moves. Absent: Soviet.
    #[serde(default)]
    pub moves_first: Option<Side>,
    /// The formation the batch, its plots, the debrief and the class notes follow turn by
    /// turn: how far it has come from where its units started, and its fuel in refills
    /// (runs.csv's `tank_army_km` and `tank_army_refills`, the sweep's `TankArmyKm` and
    /// `TankArmyRefills`, calibration's `TankArmyAdvance` and `TankArmyFuel`).
    #[serde(default)]
    pub followed_formation: Option<String>,
    /// A briefing for teaching scenarios: what happened, what to watch, objectives, and
    /// the historical figures the debrief compares with.
    #[serde(default)]
    pub briefing: Option<Briefing>,
    /// Victory conditions for both sides.
    #[serde(default)]
    pub victory: Option<VictoryDef>,
    /// Path of the AI's plan (the documented plans of both sides), relative to this file.
    #[serde(default)]
    pub plan: Option<String>,
    /// The cease-fire: when the Emperor spoke and when the order reached the high command.
    #[serde(default)]
    pub ceasefire: Option<CeasefireDef>,
    /// Documented totals, for `info` to set the scenario's sums against.
    pub documented_totals: Vec<DocumentedTotal>,
    /// The documented share of a side's men in combat units (the rest in combat support,
    /// services and rear groups), for `info` to set the order of battle's share against.
    #[serde(default)]
    pub combat_shares: Vec<DocumentedShare>,
    /// Command echelons: fronts, armies, corps headquarters, air armies, flotillas.
    pub formations: Vec<FormationDef>,
    /// Units of manoeuvre: divisions, brigades, tank and mechanised corps.
    pub units: Vec<UnitDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentedTotal {
    /// A formation name from `formations` (a front), or a side-wide label.
    pub name: String,
    pub side: Side,
    /// The formations whose units (and aircraft) are summed for the comparison.
    pub formations: Vec<String>,
    pub men: u64,
    pub guns: u64,
    pub mrl: u64,
    pub tanks: u64,
    pub aircraft: u64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentedShare {
    pub side: Side,
    /// Share of the side's men, 0 to 1.
    pub share: f64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormationDef {
    pub name: String,
    pub side: Side,
    pub nation: Nation,
    pub kind: FormationKind,
    /// Name of the parent formation; `None` for the top of a side.
    pub parent: Option<String>,
    pub commander: Option<String>,
    /// Where the headquarters sits.
    pub hq: Location,
    /// Aircraft held by this formation (air armies).
    pub aircraft: u32,
    /// Transport aircraft among them, for the airlift.
    pub transport_aircraft: u32,
    /// Ships and boats (flotillas and fleets).
    pub ships: u32,
    pub source: String,
}

/// Where something stands: a named place, or a coordinate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Location {
    /// A place from the map, by canonical name or alias.
    Place(String),
    /// `(lat, lon)` in degrees.
    Coord(f64, f64),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub name: String,
    pub side: Side,
    pub nation: Nation,
    /// Name of the parent formation.
    pub parent: String,
    pub kind: UnitKind,
    pub at: Location,
    pub men: i64,
    /// Tanks and self-propelled guns.
    pub tanks: i64,
    /// Guns and mortars.
    pub guns: i64,
    /// Multiple rocket launchers.
    pub mrl: i64,
    /// Motor vehicles (trucks, tractors, cars).
    pub vehicles: i64,
    /// Fuel on hand.
    pub fuel: Quantity,
    /// Ammunition on hand.
    pub ammo: Quantity,
    /// Readiness 0.0 (a paper unit) to 1.0 (fully trained, equipped and alert).
    pub readiness: f64,
    /// True when strength figures are an estimate (composition undocumented, filled to match
    /// the documented totals).
    pub estimated: bool,
    pub source: String,
}

/// A stock of fuel or ammunition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    /// Tons.
    Tons(f64),
    /// Refills (fuel) or loads (ammunition) of the unit's own vehicles and weapons, the way
    /// Soviet staffs counted them; the tonnage of one follows from the rules file.
    Refills(f64),
}

/// The cease-fire as documented: the rules spread it from the high command to the units.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeasefireDef {
    /// Local time of the broadcast (from then the side that lost stops attacking).
    pub broadcast: String,
    /// Local time the order to cease fire reached the high command.
    pub order_at_hq: String,
    /// The formation that receives it first.
    pub hq: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Briefing {
    pub text: String,
    /// Things to watch, one line each.
    pub watch: Vec<String>,
    pub objectives: Vec<Objective>,
    /// Documented figures the debrief sets the player's game against.
    pub history: Vec<HistoricalFigure>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub text: String,
    pub goal: Goal,
    /// The side the objective is set for; a briefing's objectives are the Soviet player's
    /// unless they say otherwise.
    #[serde(default = "soviet_side")]
    pub side: Side,
    /// Its weight in the side's victory score (1 unless given).
    #[serde(default = "one_weight")]
    pub weight: u32,
}

fn soviet_side() -> Side {
    Side::Soviet
}

fn one_weight() -> u32 {
    1
}

/// What an objective asks of its side.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Goal {
    /// Take all these places (in the side's hands at some time up to a local time).
    Capture { places: Vec<String>, by: String },
    /// All these places still in the side's hands at a local time.
    Hold { places: Vec<String>, until: String },
    /// A formation's fuel on hand at a local time, in refills, at least this.
    KeepFuel {
        formation: String,
        refills: f64,
        on: String,
    },
    /// Fuel flown in to the side's units by a local time, t, at least this.
    Airlift { tons: f64, by: String },
    /// The side's own killed, at the end of the game, at most this many.
    LimitLosses { killed: u64 },
    /// The enemy's killed, at the end of the game, at least this many.
    InflictLosses { killed: u64 },
    /// Men of the side still under arms at the end of the game (neither killed nor taken
    /// prisoner), at least this many.
    SaveForces { men: u64 },
}

/// How a scenario is won: each side's objectives (the briefing's and these) scored by
/// weight, and the share of the weight met gives the side's level of victory.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictoryDef {
    /// Objectives besides the briefing's, for either side.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Levels from the highest: a side gets the first whose `share` its met weight reaches.
    pub levels: Vec<VictoryLevelDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VictoryLevelDef {
    /// The least share (0–1) of the side's objective weight met for this level.
    pub share: f64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoricalFigure {
    /// Local time the figure refers to.
    pub time: String,
    pub formation: String,
    /// Fuel on hand, refills.
    pub refills: f64,
    pub note: String,
}
