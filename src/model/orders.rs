//! Orders: the only way into the model, from the GUI, the AI and orders files alike; and the
//! reasons an order is refused.

use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::{FormationId, PlaceId, UnitId};
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
    /// Fly `tons` of cargo from an air army's base to a unit this turn.
    Airlift {
        air_army: FormationId,
        base: PlaceId,
        to: UnitId,
        cargo: super::events::Cargo,
        tons: f64,
    },
    /// Fly a detachment standing at an air army's base into an airfield or city: it lands at
    /// its side's next phase.
    AirLanding {
        air_army: FormationId,
        base: PlaceId,
        unit: UnitId,
        place: PlaceId,
    },
    /// Embark a unit standing at a fleet's port and land it on the coastal hex `target` at its
    /// side's next phase; a defended beach is stormed with the fleet's gunfire.
    SeaLanding {
        fleet: FormationId,
        port: PlaceId,
        unit: UnitId,
        target: Hex,
    },
    /// Attack the enemy in `target` with these units, each beside it once its move is done.
    Attack { units: Vec<UnitId>, target: Hex },
    /// Hand `tons` of fuel from one unit to another in the same hex or beside it, before
    /// anyone marches this turn: main bodies fuelling a forward detachment.
    TransferFuel { from: UnitId, to: UnitId, tons: f64 },
    /// The side to move is done: resolve its part of the turn.
    EndTurn,
}

impl Order {
    pub fn unit(&self) -> Option<UnitId> {
        match self {
            Order::Move { unit, .. } | Order::MoveTo { unit, .. } | Order::Hold { unit } => {
                Some(*unit)
            }
            Order::Airlift { to, .. } => Some(*to),
            Order::AirLanding { unit, .. } | Order::SeaLanding { unit, .. } => Some(*unit),
            Order::Attack { units, .. } => units.first().copied(),
            Order::TransferFuel { from, .. } => Some(*from),
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
    #[error("there is no enemy in {at} to attack")]
    NoEnemyThere { at: Hex },
    #[error("{unit} will not be beside {at} to attack it")]
    NotBeside { unit: String, at: Hex },
    #[error("an attack needs at least one unit")]
    NoAttackers,
    #[error("{unit} has already been given an attack this turn")]
    AlreadyAttacking { unit: String },
    #[error("{unit} has laid down its arms")]
    Surrendered { unit: String },
    #[error(
        "{unit} has received the order to cease fire: it holds where it stands and lays down its arms {when}"
    )]
    CeasedFire { unit: String, when: String },
    #[error("{unit} is out of contact: its commanders are away and it acts on standing orders")]
    OutOfContact { unit: String },
    #[error("the campaign is over: no more orders are taken")]
    GameOver,
    #[error("there is no airlift in this game (the no_airlift what-if is in force)")]
    AirliftDisabled,
    #[error("{name} is not a transport air army of your side")]
    NotAnAirArmy { name: String },
    #[error("{air_army} does not fly from {base}; its bases are {bases}")]
    NotABase {
        air_army: String,
        base: String,
        bases: String,
    },
    #[error("{base} is not in your hands")]
    BaseLost { base: String },
    #[error("{unit} is {distance:.0} km from {base}; {air_army}'s transports reach {range:.0} km")]
    OutOfRange {
        unit: String,
        air_army: String,
        base: String,
        distance: f64,
        range: f64,
    },
    #[error(
        "{unit} stands in {terrain:?} with no airfield of yours within a hex: transports cannot land there"
    )]
    NoLandingGround { unit: String, terrain: TerrainKind },
    #[error("{air_army}'s transports are grounded by the weather at {place}")]
    Grounded { air_army: String, place: String },
    #[error(
        "{air_army} can fly {available:.0} t more this turn ({sorties} sorties left); {requested:.0} t were asked"
    )]
    AirliftCapacity {
        air_army: String,
        requested: f64,
        available: f64,
        sorties: u32,
    },
    #[error("the depot at {base} has {available:.0} t of {cargo}; {requested:.0} t were asked")]
    BaseStock {
        base: String,
        cargo: String,
        requested: f64,
        available: f64,
    },
    #[error("there are no air landings in this game")]
    AirLandingsDisabled,
    #[error(
        "{unit} ({men} men) cannot be flown in: only detachments of up to {max_men} men of the kinds the rules allow"
    )]
    NotAirLandable {
        unit: String,
        men: u32,
        max_men: u32,
    },
    #[error("{unit} must stand at {base} to fly from there")]
    NotAtBase { unit: String, base: String },
    #[error("{place} has no airfield and is not a city: transports cannot land there")]
    NoAirfield { place: String },
    #[error("{unit} is in the air")]
    InFlight { unit: String },
    #[error("there are no landings from the sea in this game")]
    SeaLandingsDisabled,
    #[error("{name} is not a fleet of your side with sea lift")]
    NotAFleet { name: String },
    #[error("{fleet} does not sail from {port}; its ports are {ports}")]
    NotAPort {
        fleet: String,
        port: String,
        ports: String,
    },
    #[error("{at} is not a beach: troops land only on land beside the sea")]
    NotCoastal { at: Hex },
    #[error("{at} is {distance:.0} km from {port}; {fleet} sails {range:.0} km at most")]
    SeaOutOfRange {
        at: Hex,
        fleet: String,
        port: String,
        distance: f64,
        range: f64,
    },
    #[error("{fleet} can embark {available} more men this turn; {unit} has {requested}")]
    SeaLiftCapacity {
        fleet: String,
        unit: String,
        requested: u32,
        available: u32,
    },
    #[error("{unit} is at sea")]
    AtSea { unit: String },
    #[error("the airlift must carry a positive number of tons (asked: {tons})")]
    BadTonnage { tons: f64 },
    #[error("a unit can hand over only a positive number of tons of fuel (asked: {tons})")]
    BadFuelTonnage { tons: f64 },
    #[error("{unit} cannot give fuel to itself")]
    FuelToItself { unit: String },
    #[error("{from} and {to} must stand in the same hex or side by side to hand over fuel")]
    TooFarToHandOver { from: String, to: String },
    #[error("{unit} has {has:.1} t of fuel to give; {asked:.1} t were asked")]
    NotEnoughFuelToGive { unit: String, has: f64, asked: f64 },
    #[error("{unit} has room for {room:.1} t more fuel; {asked:.1} t were asked")]
    NoRoomForFuel { unit: String, room: f64, asked: f64 },
}
