//! Events: past-tense facts, the only way out of the model. Reports, the GUI's log and
//! `explain` are all derived from them.

use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};

use super::hex::Hex;
use super::ids::{PlaceId, UnitId};
use super::units::Side;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GameEvent {
    /// An order was refused; nothing else in the turn was affected.
    OrderRejected {
        side: Side,
        order: String,
        reason: String,
    },
    /// A unit marched from one hex to another along `path` (not including `from`).
    UnitMoved {
        unit: UnitId,
        from: Hex,
        to: Hex,
        path: Vec<Hex>,
        /// Ground distance along the path, km.
        km: f64,
        /// Fuel its vehicles burned on the way, t.
        fuel_used_t: f64,
    },
    /// A unit stopped short of where it was going.
    UnitHalted {
        unit: UnitId,
        at: Hex,
        reason: HaltReason,
    },
    /// A unit's fuel ran out.
    FuelExhausted { unit: UnitId, at: Hex },
    /// Fuel handed from one unit to another.
    FuelHandedOver { from: UnitId, to: UnitId, tons: f64 },
    /// A unit arrived where its standing order sent it.
    DestinationReached { unit: UnitId, at: Hex },
    /// Control of a named place changed.
    PlaceCaptured {
        place: PlaceId,
        name: String,
        by: UnitId,
        from: Option<Side>,
        to: Side,
        /// Taken by storm while the garrison still holds the permanent works of its hex.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        works_hold: bool,
    },
    /// The last of a garrison has gone from permanent works whose town the enemy took
    /// before: the works are his.
    WorksFallen {
        place: PlaceId,
        name: String,
        to: Side,
    },
    /// Lorries brought supplies to a unit.
    SupplyDelivered {
        unit: UnitId,
        depot: String,
        haul_km: f64,
        fuel_t: f64,
        ammo_t: f64,
        food_t: f64,
        /// What kept it from getting all it needed.
        limited_by: SupplyLimit,
    },
    /// No lorry could reach the unit from any depot.
    SupplyCut { unit: UnitId, at: Hex },
    /// A unit without food lost men and readiness.
    UnitHungry {
        unit: UnitId,
        men_lost: u32,
        readiness: f64,
    },
    /// Transport aircraft landed supplies with a unit.
    AirliftDelivered {
        air_army: String,
        base: String,
        unit: UnitId,
        cargo: Cargo,
        tons: f64,
        sorties: u32,
    },
    /// A depot's stores changed hands with its place.
    DepotCaptured {
        depot: String,
        by: Side,
        fuel_t: f64,
        ammo_t: f64,
        food_t: f64,
    },
    /// A captured railway section began carrying the captor's trains.
    RailRepaired { at: Hex, side: Side },
    /// An attack was fought.
    Battle {
        target: Hex,
        attackers: Vec<UnitId>,
        defenders: Vec<UnitId>,
        /// Attack against defence after every modifier, before luck.
        odds: f64,
        result: BattleResult,
        attacker_losses: Losses,
        defender_losses: Losses,
    },
    /// A beaten unit fell back.
    UnitRetreated { unit: UnitId, from: Hex, to: Hex },
    /// A unit laid down its arms. Its men become prisoners when enemy troops accept the
    /// surrender (`PrisonersTaken`): at once where it was beaten or a landing took it, later
    /// where no enemy stood near.
    UnitSurrendered {
        unit: UnitId,
        at: Hex,
        men: u32,
        reason: SurrenderReason,
    },
    /// Enemy troops reached men who had laid down their arms and took them prisoner.
    PrisonersTaken {
        unit: UnitId,
        at: Hex,
        men: u32,
        by: UnitId,
    },
    /// Transports took off with a detachment for a place; it lands at its side's next phase.
    AirLandingFlown {
        unit: UnitId,
        place: PlaceId,
        name: String,
    },
    /// A detachment landed and the place is its.
    AirLandingMade {
        unit: UnitId,
        place: PlaceId,
        name: String,
    },
    /// A detachment landed among a garrison still fighting and was cut up.
    AirLandingFailed {
        unit: UnitId,
        place: PlaceId,
        name: String,
        losses: Losses,
    },
    /// A fleet embarked a unit at a port; it lands at its side's next phase.
    SeaLandingSailed {
        unit: UnitId,
        port: PlaceId,
        target: Hex,
    },
    /// Troops came ashore from the sea and hold the beach.
    SeaLandingMade { unit: UnitId, at: Hex },
    /// Troops storming a beach from the sea were thrown back and re-embarked.
    SeaLandingRepulsed { unit: UnitId, at: Hex },
    /// Men of a doubtful ally deserted.
    UnitDeserted { unit: UnitId, at: Hex, men: u32 },
    /// A unit mutinied and dissolved.
    UnitMutinied { unit: UnitId, at: Hex, men: u32 },
    /// Aircraft dived on an armoured unit.
    SuicideAttack {
        unit: UnitId,
        at: Hex,
        aircraft: u32,
        tanks_lost: u32,
    },
    /// A unit was broken up: too few men were left.
    UnitDestroyed { unit: UnitId, at: Hex },
    /// The cease-fire order reached a formation's headquarters.
    CeasefireReached { formation: String },
    /// A unit heard the cease-fire order.
    CeasefireHeard { unit: UnitId },
    /// A side's part of a turn was resolved.
    PhaseEnded { turn: u32, side: Side },
    /// The campaign reached its last turn.
    CampaignEnded,
}

/// Men and equipment lost in one battle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Losses {
    pub killed: u32,
    pub wounded: u32,
    pub tanks: u32,
    pub guns: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BattleResult {
    /// The attack failed; the defenders hold.
    Repulsed,
    /// The defenders held, bloodied.
    Held,
    /// The defenders fell back a hex.
    Retreated,
    /// The defenders broke and fled.
    Routed,
    /// The defenders, surrounded, surrendered or were destroyed; the attackers took the hex.
    Overrun,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurrenderReason {
    /// Beaten while surrounded.
    Surrounded,
    /// Cut off and starving.
    CutOff,
    /// Obeying the cease-fire.
    Ceasefire,
}

/// What limited a unit's supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupplyLimit {
    /// It got all it asked for.
    Nothing,
    /// The lorries could not carry more over that distance.
    TruckLift,
    /// The depot ran short.
    DepotStock,
}

/// What an aircraft or lorry carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cargo {
    Fuel,
    Ammunition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HaltReason {
    /// It entered a hex adjacent to the enemy.
    ZoneOfControl,
    /// Its movement for the turn is spent.
    MovementSpent,
    /// Its fuel ran out.
    OutOfFuel,
    /// No route leads on (enemy, impassable ground or stacking).
    Blocked,
    /// Its path ran into a hex it may not enter.
    PathBlocked,
}

/// An event with the turn and local time it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub turn: u32,
    /// ISO 8601 local time.
    pub time: String,
    pub event: GameEvent,
}

/// Every event of the game so far, in order.
#[derive(Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventLog {
    pub events: Vec<LoggedEvent>,
}
