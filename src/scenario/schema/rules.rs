//! The rules format (`rules.ron`): movement costs, unit kinds, supply, combat, weather
//! effects and the optional rules (fog, air landings, desertion, air strikes, sea landings).

use serde::{Deserialize, Serialize};

use crate::model::logistics::Weather;
use crate::model::map::{RiverClass, RoadClass, TerrainKind};
use crate::model::units::{Mobility, Nation, Side, UnitKind};

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
    /// The side taken by surprise at the start: for `surprise_hours` its commanders are away
    /// (its units keep to the orders they had, and it attacks nowhere) and its defence is
    /// multiplied by `surprise_defence`.
    pub surprised: Side,
    /// Hours from the start in which the surprised side's commanders are away.
    pub surprise_hours: f64,
    /// The surprised side's defence multiple in those hours.
    pub surprise_defence: f64,
    /// In those hours, the chance each turn that a unit of the surprised side is in touch
    /// with its command and takes orders (drawn per unit and turn); the others keep to
    /// their standing orders.
    pub surprise_contact: f64,
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
    /// Fortification level of permanent works (concrete, cupolas, tunnels), from which
    /// defenders hold rather than retreat.
    pub fort_holds_level: u8,
    /// Share of a tank's value that counts against permanent works: armour cannot storm
    /// concrete, it can only blockade it.
    pub works_tank_share: f64,
    /// Odds from which permanent works are stormed (the garrison driven out or overrun);
    /// below them the works hold, whatever the ordinary ladder of retreat and rout says.
    pub works_storm_odds: f64,
    /// Multiple of a garrison's losses in a battle for its permanent works (their shelter).
    pub works_loss_share: f64,
    /// Share of the strength of a works' garrison that defends the town of their hex: the
    /// rest keeps to the works, so the town can be lost while they hold.
    pub works_town_share: f64,
    /// A surrounded unit below this readiness surrenders when beaten.
    pub surrender_readiness: f64,
    /// Units with fewer men than this share of their full strength are broken up.
    pub destroyed_below: f64,
    /// Hours for the cease-fire order to pass down one echelon of command, from one
    /// headquarters to the next (a unit hears it from its own headquarters the turn after
    /// they did).
    pub ceasefire_relay_hours: f64,
    /// Chance a day that a unit cut off from its command hears of the cease-fire.
    pub ceasefire_cut_off_daily_chance: f64,
    /// Chance that a unit cut off when its formation hears the order lies beyond the reach
    /// of any envoy: drawn once, it never hears while it stays cut off.
    pub ceasefire_never_reached: f64,
    /// Hours from hearing the order to laying down arms.
    pub ceasefire_surrender_hours: f64,
    /// The spread of each relay of the order and of each unit's delay in laying down its
    /// arms: each is drawn log-normal with this σ, averaging the hours above (0: as given).
    pub ceasefire_delay_sigma: f64,
    /// Men who laid down their arms become prisoners when an enemy unit stands within this
    /// many hexes of them (0: in their hex); until then they wait, unreached.
    pub prisoners_accept_hexes: u32,
}

impl CombatRules {
    /// Whether fortification of this level is permanent works (`fort_holds_level` and up):
    /// they hold below the storming odds, shelter their garrison and blunt armour.
    pub fn permanent_works(&self, fort_level: u8) -> bool {
        fort_level >= self.fort_holds_level
    }
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
