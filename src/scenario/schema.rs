//! The RON file formats: map, rules, scenario, what-if overlays and orders, as strict serde structs.
//!
//! Every struct denies unknown fields, so a typo in a hand-edited file is an error with its
//! line and column, not a silently ignored value. Coordinates are `(lat, lon)` in decimal
//! degrees north and east.

use serde::{Deserialize, Serialize};

pub use crate::model::logistics::{DepotKind, Weather};
pub use crate::model::map::{Gauge, PlaceKind, RiverClass, RoadClass, TerrainKind};
pub use crate::model::units::{FormationKind, Mobility, Nation, Side, UnitKind};

/// A point on the ground: `(lat, lon)` in decimal degrees (north, east).
pub type LatLonTuple = (f64, f64);

// ---------------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Scenario
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// A figure for each mobility class; `None` where that class cannot go at all.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerMobility {
    pub foot: Option<f64>,
    pub horse: Option<f64>,
    pub motorised: Option<f64>,
    pub tracked: Option<f64>,
}

impl PerMobility {
    pub fn get(&self, m: Mobility) -> Option<f64> {
        match m {
            Mobility::Foot => self.foot,
            Mobility::Horse => self.horse,
            Mobility::Motorised => self.motorised,
            Mobility::Tracked => self.tracked,
        }
    }
}

/// `scenarios/rules.ron`: every number the rules use, with its source.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Distance a unit covers in one 12-hour turn on open, dry, good going, km.
    pub march_km_per_12h: PerMobility,
    /// Off-road cost of entering a hex, as a multiple of its width; `None` = impassable.
    pub terrain_cost: std::collections::BTreeMap<TerrainKind, PerMobility>,
    /// Cost of entering a hex along a road, as a multiple of its width.
    pub road_cost: std::collections::BTreeMap<RoadClass, PerMobility>,
    /// Cost of entering a hex along a railway embankment where no road runs, as a multiple of
    /// its width: sleepers and ballast, but dry above the mud.
    pub rail_bed_cost: PerMobility,
    /// Roads through rough ground are slower than on the steppe: the road cost is multiplied
    /// by this factor for the terrain of the hex entered (1.0 where absent).
    pub road_terrain_factor: std::collections::BTreeMap<TerrainKind, f64>,
    /// The road factor of a mountain hex that holds a pass: the climb over the crest, in
    /// place of the terrain's `road_terrain_factor` (absent: the terrain's).
    #[serde(default)]
    pub pass_road_factor: Option<f64>,
    /// Off-road cost of a mountain hex that holds a pass.
    pub pass_cost: PerMobility,
    /// Extra cost of crossing a river without a bridge.
    pub river_crossing: std::collections::BTreeMap<RiverClass, Crossing>,
    /// Extra cost of crossing a river where a road or railway bridges it, km.
    pub bridged_crossing_km: f64,
    /// Terrain a transport aircraft can land on without an airfield.
    pub landing_terrain: Vec<TerrainKind>,
    /// The most stacking points of one side in one hex.
    pub stacking_limit: u32,
    /// Units below this readiness exert no zone of control.
    pub zoc_min_readiness: f64,
    pub unit_kinds: std::collections::BTreeMap<UnitKind, KindDef>,
    pub vehicles: VehicleDef,
    pub supply: SupplyRules,
    pub combat: CombatRules,
    /// Effects of rain and downpour (dry weather has none).
    pub weather: std::collections::BTreeMap<Weather, WeatherEffect>,
    /// What each side can see; absent = both sides see everything.
    #[serde(default)]
    pub fog: Option<FogRules>,
    /// Detachments flown into airfields and cities; absent = no air landings.
    #[serde(default)]
    pub air_landing: Option<AirLandingRules>,
    /// Desertion and mutiny of doubtful allies; absent = none.
    #[serde(default)]
    pub desertion: Option<DesertionRules>,
    /// Suicide air attacks on armour; absent = none.
    #[serde(default)]
    pub air_strikes: Option<AirStrikeRules>,
    /// Landings from the sea; none if absent.
    #[serde(default)]
    pub sea_landing: Option<SeaLandingRules>,
}

/// Fog of war (`fog:` in the rules file): what a side's units, aircraft and agents observe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FogRules {
    /// Hexes a unit sees around itself, by kind (kinds not listed: `default_sight_hexes`).
    pub sight_hexes: std::collections::BTreeMap<UnitKind, u32>,
    pub default_sight_hexes: u32,
    /// Added to (or taken from) the sight of a unit standing in this terrain.
    pub terrain_sight: std::collections::BTreeMap<TerrainKind, i32>,
    /// Air reconnaissance: an air army with at least `recon_min_aircraft` combat aircraft
    /// sees every hex within `recon_km` of its headquarters, times the weather's flying
    /// factor over the hex.
    pub recon_km: f64,
    pub recon_min_aircraft: u32,
    /// Agents: sides whose agents report units standing in enemy-held places of at least
    /// this value.
    pub agents: std::collections::BTreeMap<Side, u32>,
    /// Strength estimates are rounded to this many men.
    pub estimate_men_round: u32,
    pub source: String,
}

/// Air landings (`air_landing:` in the rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirLandingRules {
    /// Unit kinds that may be flown in.
    pub kinds: Vec<UnitKind>,
    /// The most men one landing may carry.
    pub max_men: u32,
    /// Transport tonnage per man with his arms and kit, t.
    pub t_per_man: f64,
    /// Share of its men a detachment loses landing among a garrison still fighting.
    pub failed_loss: f64,
    pub source: String,
}

/// Desertion and mutiny (`desertion:` in the rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesertionRules {
    /// Nations whose troops may desert or mutiny.
    pub nations: Vec<Nation>,
    /// Chance a day that a unit far from the enemy and fully ready suffers desertion.
    pub daily_chance: f64,
    /// Multiple of the chance with an enemy unit within `near_hexes`.
    pub near_hexes: u32,
    pub near_factor: f64,
    /// Multiple of the chance added per unit of readiness missing (1 + this × (1 − readiness)).
    pub low_readiness_factor: f64,
    /// Share of its men a unit loses to desertion.
    pub desert_share: f64,
    /// Chance that trouble is a mutiny: the unit dissolves.
    pub mutiny_share: f64,
    pub source: String,
}

/// Suicide air attacks on armour (`air_strikes:` in the rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirStrikeRules {
    /// The side that flies them.
    pub side: Side,
    /// Combat aircraft the side has for such attacks in the theatre; each is spent.
    pub aircraft: u32,
    /// Aircraft sent a day, at most.
    pub sorties_per_day: u32,
    /// Aircraft in one attack on one unit.
    pub aircraft_per_attack: u32,
    /// Greatest distance from an air army's headquarters to the target, km.
    pub range_km: f64,
    /// Chance one aircraft destroys a tank.
    pub hit_chance: f64,
    pub source: String,
}

/// Landings from the sea (`sea_landing:` in the rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeaLandingRules {
    /// Multiple of the landing force's combat value as it comes ashore under fire (the
    /// landing penalty).
    pub landing_attack: f64,
    /// Combat value of one supporting naval gun, as a multiple of a field gun's.
    pub gunfire_per_gun: f64,
    pub source: String,
}

/// Extra movement cost of a river crossing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Crossing {
    /// So many km of movement allowance.
    Km(f64),
    /// The crossing is the unit's whole move for the turn: it must start the turn on the bank.
    WholeTurn,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub mobility: Mobility,
    /// Stacking points.
    pub stacking: u32,
    /// Whether the unit's men can march on foot when its vehicles are out of fuel.
    pub marches_without_fuel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleDef {
    /// Fuel for one refill of one tank or SPG, t.
    pub tank_refill_t: f64,
    /// Fuel for one refill of one motor vehicle, t.
    pub vehicle_refill_t: f64,
    /// Refills a tank burns per 100 km of movement cost.
    pub tank_refills_per_100km: f64,
    /// Refills a motor vehicle burns per 100 km of movement cost.
    pub vehicle_refills_per_100km: f64,
    /// One combat load of ammunition: tons per gun or mortar.
    pub ammo_t_per_gun: f64,
    /// Tons per multiple rocket launcher.
    pub ammo_t_per_mrl: f64,
    /// Tons per tank.
    pub ammo_t_per_tank: f64,
    /// Tons per 1,000 men (small arms).
    pub ammo_t_per_1000_men: f64,
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

// ---------------------------------------------------------------------------------------------
// AI plans
// ---------------------------------------------------------------------------------------------

/// `scenarios/*_plan.ron`: the documented operational plans the AI commanders follow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub soviet: SidePlan,
    pub japanese: SidePlan,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidePlan {
    /// Axes of advance: formations and the places they make for, in order.
    pub axes: Vec<Axis>,
    /// Places the side falls back on when beaten (the redoubt).
    pub redoubt: Vec<String>,
    /// Formations the transport aviation serves first.
    pub airlift_priority: Vec<String>,
    /// Attack when the odds are at least this.
    pub attack_odds: f64,
    /// Attack at these odds or better where the enemy bars a unit's only way to its
    /// objective: a commander held to a timetable accepts a costlier fight rather than wait
    /// (absent: `attack_odds`, as anywhere else).
    #[serde(default)]
    pub barred_attack_odds: Option<f64>,
    /// The enemy also bars the way where the way round it is more than this many times as
    /// long as the way through it (absent: only where there is no way round at all).
    #[serde(default)]
    pub barred_detour: Option<f64>,
    /// When the lead unit of a formation runs short of fuel, the formation's units beside it
    /// hand it theirs (absent: never).
    #[serde(default)]
    pub forward_detachments: Option<ForwardDetachments>,
    /// Fall back when the enemy beside a unit is this many times stronger.
    pub fall_back_odds: f64,
    /// Leave a fortified place to a blockade rather than storm it below these odds.
    pub storm_fort_odds: f64,
    /// Where the side believes the enemy stands at the start (its picture before contact).
    #[serde(default)]
    pub believed_enemy: Vec<BelievedEnemy>,
    /// Cities to fly detachments into once their garrisons have heard the cease-fire, in
    /// order of priority.
    #[serde(default)]
    pub air_landing_targets: Vec<String>,
    /// Ports to land troops in from the sea, in order of priority.
    #[serde(default)]
    pub sea_landing_targets: Vec<String>,
    pub source: String,
}

/// An enemy force a side believes is there, before it has seen anything.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BelievedEnemy {
    pub at: Location,
    pub men: u32,
    pub source: String,
}

/// Fuelling a forward detachment from the main body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardDetachments {
    /// The lead unit draws fuel when it holds less than this many refills.
    pub below_refills: f64,
    /// It draws until it holds this many refills, or its neighbours have none left.
    pub fill_refills: f64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub formations: Vec<String>,
    pub objectives: Vec<String>,
    pub source: String,
}

// ---------------------------------------------------------------------------------------------
// Logistics
// ---------------------------------------------------------------------------------------------

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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherDef {
    pub name: String,
    pub region: Vec<LatLonTuple>,
    /// Local time it begins.
    pub from: String,
    /// Local time it ends.
    pub to: String,
    pub weather: Weather,
    pub source: String,
}

/// The supply rules (`supply:` in the rules file).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyRules {
    /// Food and fodder per 1,000 men a day, t.
    pub food_t_per_1000_men_day: f64,
    /// Days of food a unit carries.
    pub food_days_carried: f64,
    /// Share of rail arrivals that is fuel, ammunition, food (summing to 1).
    pub rail_share_fuel: f64,
    pub rail_share_ammo: f64,
    pub rail_share_food: f64,
    /// Tons one lorry carries.
    pub truck_capacity_t: f64,
    /// Lorry speed on the haul, km/h (dry).
    pub truck_speed_km_h: f64,
    /// Hours a lorry drives a day.
    pub truck_hours_per_day: f64,
    /// Greatest haul from a railhead or depot by lorry, km of route.
    pub max_haul_km: f64,
    /// Haul counted for a unit at a depot or on a working railway, km.
    pub local_haul_km: f64,
    /// Days a captured railway needs before its trains run for the captor (repair, and for
    /// the Soviets, gauge work).
    pub rail_repair_days: f64,
    /// Readiness lost a day by a unit with no food.
    pub hunger_readiness_per_day: f64,
    /// Share of men lost a day by a unit with no food (sickness, desertion, stragglers).
    pub hunger_men_per_day: f64,
}

/// The combat rules (`combat:` in the rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombatRules {
    /// Combat value of 1,000 men, one tank or SPG, one gun or mortar, one rocket launcher.
    pub value_per_1000_men: f64,
    pub value_per_tank: f64,
    pub value_per_gun: f64,
    pub value_per_mrl: f64,
    /// Combat value = base × (floor + (1 − floor) × readiness).
    pub readiness_floor: f64,
    /// Units below this readiness fight at `low_readiness_factor` of that value besides.
    pub low_readiness: f64,
    pub low_readiness_factor: f64,
    /// Multiple of a defender's value by the terrain of its hex.
    pub terrain_defence: std::collections::BTreeMap<TerrainKind, f64>,
    /// Extra multiple for a defender in a place (city, town).
    pub place_defence: f64,
    /// Multiple per level of fortification (1 + this × level).
    pub fort_defence_per_level: f64,
    /// Multiple of the defender when every attacker attacks across a river of that class.
    pub river_defence: std::collections::BTreeMap<RiverClass, f64>,
    /// The attacker's value scales from `ammo_floor` (no ammunition) to 1 (a full load).
    pub ammo_floor: f64,
    /// Combat loads an attack uses up, for attacker and defender.
    pub ammo_loads_attacker: f64,
    pub ammo_loads_defender: f64,
    /// Bonus to a side's attacks from air superiority, in flying weather.
    pub air_superiority_bonus: f64,
    /// The ratio of combat aircraft above which a side has air superiority.
    pub air_superiority_ratio: f64,
    /// Multiple of the attacker's value in rain.
    pub rain_attack: f64,
    /// Hours from the start in which the surprised side's commanders are away.
    pub surprise_hours: f64,
    /// The surprised side's defence multiple in those hours.
    pub surprise_defence: f64,
    /// Spread of luck: the odds are multiplied by e^(σ·N(0,1)).
    pub odds_sigma: f64,
    /// Share of its men a side loses per attack at even odds (attacker, defender).
    pub attacker_loss_at_even: f64,
    pub defender_loss_at_even: f64,
    /// Greatest share of men lost in one attack.
    pub max_loss: f64,
    /// Share of men lost that are killed (the rest wounded), per side.
    pub killed_share: std::collections::BTreeMap<Side, f64>,
    /// Tanks lost, as a multiple of the share of men lost.
    pub tank_loss_factor: f64,
    /// Odds at which the defender retreats, and at which it routs.
    pub retreat_odds: f64,
    pub rout_odds: f64,
    /// Readiness lost in a rout, and by an attacker for each attack.
    pub rout_readiness: f64,
    pub attack_readiness: f64,
    /// Fortification level from which defenders hold rather than retreat.
    pub fort_holds_level: u8,
    /// A surrounded unit below this readiness surrenders when beaten.
    pub surrender_readiness: f64,
    /// Units with fewer men than this share of their full strength are broken up.
    pub destroyed_below: f64,
    /// Hours for the cease-fire order to pass down one echelon of command.
    pub ceasefire_relay_hours: f64,
    /// Chance a day that a unit cut off from its command hears of the cease-fire.
    pub ceasefire_cut_off_daily_chance: f64,
    /// Hours from hearing the order to laying down arms.
    pub ceasefire_surrender_hours: f64,
}

/// What the weather does (`weather:` in the rules file).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherEffect {
    /// Multiple of the off-road and track movement cost.
    pub ground_cost: PerMobility,
    /// Multiple of the cost along a main road.
    pub main_road_cost: f64,
    /// Multiple of lorry speed.
    pub truck_speed: f64,
    /// Multiple of transport sorties flown (0 = grounded).
    pub flying: f64,
}
