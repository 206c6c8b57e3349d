//! The rules: one plugin per concern, each adding its systems to its phase of the
//! `ResolveTurn` schedule; order validation; and [`Game`], the headless driver that the CLI,
//! the AI, the tests and the GUI share.

pub mod airlift;
pub mod ceasefire;
pub mod combat;
pub mod control;
pub mod desertion;
pub mod dice;
pub mod flotilla;
pub mod fog;
pub mod fuel_transfer;
pub mod game;
pub mod index;
pub mod landings;
pub mod movement;
pub mod orders;
pub mod phases;
pub mod preview;
pub mod replay;
pub mod save;
pub mod sea_landings;
pub mod supply;
pub mod weather;

use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;

pub use game::Game;
pub use save::check_file;

use crate::model::{
    Calendar, EventLog, GameEvent, InField, LoggedEvent, OutOfAction, Strength, time,
};

/// Units left without men leave the field ([`OutOfAction`]). Every rule that takes men away
/// through the whole world calls this when it has done so, so that the next rule, the AI and
/// the window find them gone (a rule with typed parameters marks them through its commands;
/// spawning and restoring a game mark each unit by its men).
pub fn retire_fallen(world: &mut World) {
    let mut q = world.query_filtered::<(Entity, &Strength), InField>();
    let fallen: Vec<Entity> = q
        .iter(world)
        .filter(|(_, s)| s.men == 0)
        .map(|(e, _)| e)
        .collect();
    for e in fallen {
        world.entity_mut(e).insert(OutOfAction);
    }
}

/// Logs events at the current turn and local time, for rules that collect their events before
/// writing them.
pub fn log_events(world: &mut World, events: impl IntoIterator<Item = GameEvent>) {
    world.resource_scope(|world, mut log: Mut<EventLog>| {
        log_at(&mut log, world.resource::<Calendar>(), events)
    });
}

/// [`log_events`] for a system that holds the log and the calendar as parameters.
pub fn log_at(log: &mut EventLog, cal: &Calendar, events: impl IntoIterator<Item = GameEvent>) {
    let (turn, now) = (cal.turn, time::iso_local(cal.now()));
    log.events
        .extend(events.into_iter().map(|event| LoggedEvent {
            turn,
            time: now.clone(),
            event,
        }));
}

/// Resolves the part of a turn of the side that just ended it.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolveTurn;

/// The phases of a turn, run in this order. Every rule system belongs to exactly one.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnPhase {
    /// The phase's dice, where a key was fixed for them.
    Dice,
    Orders,
    Movement,
    Supply,
    Airlift,
    Combat,
    Readiness,
    Surrender,
    Victory,
    Intel,
    Report,
}

/// Adds the `ResolveTurn` schedule with every rule.
pub fn plugin(app: &mut App) {
    app.init_schedule(ResolveTurn);
    app.configure_sets(
        ResolveTurn,
        (
            TurnPhase::Dice,
            TurnPhase::Orders,
            TurnPhase::Movement,
            TurnPhase::Supply,
            TurnPhase::Airlift,
            TurnPhase::Combat,
            TurnPhase::Readiness,
            TurnPhase::Surrender,
            TurnPhase::Victory,
            TurnPhase::Intel,
            TurnPhase::Report,
        )
            .chain(),
    );
    app.add_message::<crate::model::Order>();
    app.add_message::<orders::OrderRefused>();
    index::plugin(app);
    dice::plugin(app);
    fuel_transfer::plugin(app);
    movement::plugin(app);
    supply::plugin(app);
    airlift::plugin(app);
    landings::plugin(app);
    sea_landings::plugin(app);
    combat::plugin(app);
    ceasefire::plugin(app);
    control::plugin(app);
    desertion::plugin(app);
    fog::plugin(app);
    orders::plugin(app);
}
