//! Intelligence: what each side knows of the enemy (fog of war), kept turn by turn.

use std::collections::BTreeMap;

use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::UnitId;
use super::units::Side;

/// One sighting of an enemy unit: where it was and how strong it looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub hex: Hex,
    /// Estimated men, rounded.
    pub men: u32,
    /// Estimated tanks and SPGs.
    pub tanks: u32,
    /// Turn it was seen.
    pub turn: u32,
    /// Minutes from the start of the campaign when it was seen.
    pub minute: i64,
}

/// An enemy force a side believes is there without having seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Belief {
    pub hex: Hex,
    pub men: u32,
}

/// What one side knows of the enemy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SideIntel {
    /// The last sighting of each enemy unit it has seen and not since lost track of.
    pub known: BTreeMap<UnitId, Sighting>,
    /// Its picture of the enemy before contact; a belief goes when its hex is observed.
    pub believed: Vec<Belief>,
}

/// Each side's knowledge of the enemy, indexed Soviet then Japanese.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intel {
    pub sides: [SideIntel; 2],
}

impl Intel {
    pub fn side(&self, s: Side) -> &SideIntel {
        &self.sides[side_index(s)]
    }

    pub fn side_mut(&mut self, s: Side) -> &mut SideIntel {
        &mut self.sides[side_index(s)]
    }
}

pub fn side_index(s: Side) -> usize {
    match s {
        Side::Soviet => 0,
        Side::Japanese => 1,
    }
}

/// An enemy unit as a side knows it, for the GUI and reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownUnit {
    pub unit: UnitId,
    /// Where it was last seen.
    pub hex: Hex,
    pub men: u32,
    pub tanks: u32,
    /// Hours since it was seen (0 when in sight now).
    pub age_hours: f64,
    /// Whether it is in sight now.
    pub visible: bool,
}

/// Air landings under way: detachments in the air, landing at the next phase of their side.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Landings {
    pub in_flight: Vec<InFlight>,
    /// Troops embarked and at sea, landing at the next phase of their side.
    #[serde(default)]
    pub at_sea: Vec<AtSea>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AtSea {
    pub unit: UnitId,
    pub fleet: super::ids::FormationId,
    /// The beach: a land hex beside the sea.
    pub target: Hex,
    pub side: Side,
    /// The turn at which it lands.
    pub lands_turn: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InFlight {
    pub unit: UnitId,
    pub place: super::ids::PlaceId,
    pub side: Side,
    /// The turn at which it lands.
    pub lands_turn: u32,
}

/// Aircraft a side has spent on suicide attacks so far.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AirStrikesSpent {
    pub aircraft: u32,
}
