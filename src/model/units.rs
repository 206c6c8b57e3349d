//! Components of a unit of manoeuvre, and the order of battle's command echelons.

use bevy::prelude::{Component, Resource, Without};
use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::FormationId;

/// What the game shows for a unit.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitName(pub String);

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Allegiance {
    pub side: Side,
    pub nation: Nation,
}

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kind(pub UnitKind);

/// The formation the unit belongs to.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent(pub FormationId);

/// The hex the unit stands in.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position(pub Hex);

/// A unit that has left the field: destroyed, or laid down its arms. Its entity stays, with
/// its record, for the reports and the replay; the rules, the AI and the window pass over it
/// (their queries filter [`InField`]). A rule that takes a unit's last men marks it
/// (`rules::retire_fallen`) before the next rule runs.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfAction;

/// The units still in the field, as a query filter.
pub type InField = Without<OutOfAction>;

/// Men and equipment on hand.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Strength {
    pub men: u32,
    /// Tanks and self-propelled guns.
    pub tanks: u32,
    /// Guns and mortars.
    pub guns: u32,
    /// Multiple rocket launchers.
    pub mrl: u32,
    /// Motor vehicles.
    pub vehicles: u32,
}

/// Fuel, ammunition and food on hand.
#[derive(Component, Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Stocks {
    /// Fuel, t.
    pub fuel_t: f64,
    /// Ammunition, t.
    pub ammo_t: f64,
    /// Food and fodder, t.
    pub food_t: f64,
}

impl Stocks {
    /// Tons of fuel the unit has room for, up to what it can carry.
    pub fn fuel_room(&self, cap: &Capacity) -> f64 {
        (cap.fuel_t - self.fuel_t).max(0.0)
    }
}

/// What a unit can carry: its supply services top it up to this.
#[derive(Component, Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Capacity {
    pub fuel_t: f64,
    pub ammo_t: f64,
    pub food_t: f64,
}

/// How the unit's supply stood at the last supply phase.
#[derive(Component, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SupplyState {
    /// The depot it draws on, if any can reach it.
    pub depot: Option<String>,
    /// Lorry haul from the railhead or depot, km of route.
    pub haul_km: Option<f64>,
    /// Turns in a row it got nothing.
    pub turns_cut: u32,
    /// Turns in a row it has lived on the stores of its own hex with the enemy beside it
    /// (its hex in an enemy's zone of control): invested, fed but cut off from its command.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub turns_besieged: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl SupplyState {
    /// Turns in a row it has been cut off from its command: without supply, or besieged on
    /// its own stores.
    pub fn turns_isolated(&self) -> u32 {
        self.turns_cut.max(self.turns_besieged)
    }
}

/// Readiness, 0.0 to 1.0: training, equipment, cohesion and alertness in one figure.
#[derive(Component, Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Readiness(pub f64);

/// Where the data for the unit come from.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: String,
    /// Strength figures are an estimate.
    pub estimated: bool,
}

/// A standing order to march to a hex, followed turn after turn until it is reached.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination(pub Hex);

/// A command echelon of the order of battle.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Formation {
    pub id: FormationId,
    pub name: String,
    pub side: Side,
    pub nation: Nation,
    pub kind: FormationKind,
    pub parent: Option<FormationId>,
    pub commander: Option<String>,
    pub hq: Hex,
    pub aircraft: u32,
    pub transport_aircraft: u32,
    pub ships: u32,
    pub source: String,
}

/// Every formation of both sides, indexed by [`FormationId`].
#[derive(Resource, Debug, Clone, Default)]
pub struct OrderOfBattle {
    pub formations: Vec<Formation>,
}

impl OrderOfBattle {
    pub fn get(&self, id: FormationId) -> &Formation {
        &self.formations[id.0 as usize]
    }

    /// The chain of command from `id` up to the top, `id` first.
    pub fn chain(&self, id: FormationId) -> impl Iterator<Item = &Formation> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let f = self.get(next?);
            next = f.parent;
            Some(f)
        })
    }

    /// The front (or area army, or top command) a formation belongs to.
    pub fn front_of(&self, id: FormationId) -> &Formation {
        let chain: Vec<&Formation> = self.chain(id).collect();
        chain
            .iter()
            .find(|f| matches!(f.kind, FormationKind::Front))
            .copied()
            .unwrap_or_else(|| {
                // Below the top command: the highest echelon under it.
                if chain.len() >= 2 {
                    chain[chain.len() - 2]
                } else {
                    chain[0]
                }
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Side {
    Soviet,
    Japanese,
}

impl Side {
    /// Both sides, in declaration order (`side as usize` is a side's place in it).
    pub const BOTH: [Side; 2] = [Side::Soviet, Side::Japanese];

    /// The other side.
    pub fn enemy(self) -> Side {
        match self {
            Side::Soviet => Side::Japanese,
            Side::Japanese => Side::Soviet,
        }
    }

    /// The side's name as players read it.
    pub fn name(self) -> &'static str {
        match self {
            Side::Soviet => "Soviet",
            Side::Japanese => "Japanese",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Nation {
    Soviet,
    Mongolian,
    Japanese,
    Manchukuo,
    Mengjiang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FormationKind {
    /// Theatre command (Far East Command, Kwantung Army).
    HighCommand,
    Front,
    AreaArmy,
    Army,
    TankArmy,
    /// Cavalry-mechanised group (Pliev).
    Group,
    /// A corps headquarters whose divisions are separate units.
    Corps,
    AirArmy,
    Flotilla,
    Fleet,
}

impl FormationKind {
    /// Fronts, area armies, armies and groups: the formations whose fuel and strength the
    /// timeline records turn by turn.
    pub fn is_army_level(self) -> bool {
        matches!(
            self,
            Self::Front | Self::Army | Self::TankArmy | Self::Group | Self::AreaArmy
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    // Soviet and Mongolian
    RifleDivision,
    MotorRifleDivision,
    TankDivision,
    TankCorps,
    MechanizedCorps,
    TankBrigade,
    MotorRifleBrigade,
    RifleBrigade,
    CavalryDivision,
    ArtilleryDivision,
    ArtilleryBrigade,
    AntiTankBrigade,
    /// Soviet fortified region (static machine-gun-artillery units on the border).
    FortifiedRegionGarrison,
    NavalInfantryBrigade,
    /// Army- and front-level troops not otherwise listed (artillery, engineers, rear services).
    SupportGroup,
    // Japanese, Manchukuo and Mengjiang
    InfantryDivision,
    IndependentMixedBrigade,
    IndependentTankBrigade,
    /// Border garrison unit, fortress garrison.
    BorderGarrison,
    CavalryBrigade,
    /// A small detachment flown into a city or airfield (any side).
    AirborneDetachment,
}

/// How a unit moves: the slowest of its means sets the pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mobility {
    Foot,
    Horse,
    /// Wheeled: trucks, lorried infantry.
    Motorised,
    /// Tanks and tractors.
    Tracked,
}
