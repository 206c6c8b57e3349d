//! Orders: the only way into the model, from the GUI, the AI and orders files alike; and the
//! reasons an order is refused.

use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::UnitId;
use super::map::TerrainKind;
use super::units::Side;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Order {
    /// March along `path` (adjacent hexes, not including the start) this turn.
    Move { unit: UnitId, path: Vec<Hex> },
    /// March toward `to` by the best route, this turn and the next ones, until there.
    MoveTo { unit: UnitId, to: Hex },
    /// Cancel the unit's move and standing orders; it stays where it is.
    Hold { unit: UnitId },
    /// The side to move is done: resolve its part of the turn.
    EndTurn,
}

impl Order {
    pub fn unit(&self) -> Option<UnitId> {
        match self {
            Order::Move { unit, .. } | Order::MoveTo { unit, .. } | Order::Hold { unit } => {
                Some(*unit)
            }
            Order::EndTurn => None,
        }
    }
}

/// Why an order was refused, in words a player understands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum OrderRejected {
    #[error("there is no unit number {0}")]
    UnknownUnit(u32),
    #[error("{unit} belongs to the {owner:?} side; it is the {active:?} side's turn")]
    NotYourUnit {
        unit: String,
        owner: Side,
        active: Side,
    },
    #[error("{unit} already has orders this turn; give it a Hold order first to change them")]
    AlreadyOrdered { unit: String },
    #[error("the move for {unit} has an empty path")]
    EmptyPath { unit: String },
    #[error("{at} is off the map")]
    OffMap { at: Hex },
    #[error("the path for {unit} jumps from {from} to {to}, which are not neighbours")]
    NotAdjacent { unit: String, from: Hex, to: Hex },
    #[error("{unit} cannot enter {at}: {terrain:?} is impassable to its {mobility}")]
    Impassable {
        unit: String,
        at: Hex,
        terrain: TerrainKind,
        mobility: String,
    },
    #[error("{unit} cannot enter {at}: the enemy holds it (attack it instead)")]
    EnemyOccupied { unit: String, at: Hex },
    #[error(
        "{unit} must stop at {at}: it is in an enemy zone of control and cannot move on to another hex the enemy covers"
    )]
    ZoneOfControl { unit: String, at: Hex },
    #[error(
        "{unit} needs {needed:.0} km of its movement for this path and has {available:.0} km this turn"
    )]
    TooFar {
        unit: String,
        needed: f64,
        available: f64,
    },
    #[error(
        "{unit} can cross the {river} only as the first step of its move, and the crossing takes its whole turn"
    )]
    RiverNeedsWholeTurn { unit: String, river: String },
    #[error("{unit} needs {needed:.1} t of fuel for this move and has {available:.1} t")]
    NotEnoughFuel {
        unit: String,
        needed: f64,
        available: f64,
    },
    #[error("{unit} has no fuel: its tanks and vehicles cannot move")]
    OutOfFuel { unit: String },
    #[error(
        "{at} would hold {points} stacking points of your units with {unit}; the limit is {limit}"
    )]
    Overstacked {
        unit: String,
        at: Hex,
        points: u32,
        limit: u32,
    },
    #[error("{unit} has no route to {place}")]
    NoRoute {
        unit: String,
        to: Hex,
        place: String,
    },
    #[error("{unit} is already at {at}")]
    AlreadyThere { unit: String, at: Hex },
    #[error("the campaign is over: no more orders are taken")]
    GameOver,
}
