//! The rules: one plugin per concern, each adding its systems to its phase of the
//! `ResolveTurn` schedule; order validation; and [`Game`], the headless driver that the CLI,
//! the AI, the tests and the GUI share.

pub mod airlift;
pub mod ceasefire;
pub mod combat;
pub mod control;
pub mod desertion;
pub mod flotilla;
pub mod fog;
pub mod game;
pub mod landings;
pub mod movement;
pub mod orders;
pub mod preview;
pub mod sea_landings;
pub mod supply;
pub mod weather;

use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;

pub use game::Game;

/// Resolves the part of a turn of the side that just ended it.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolveTurn;

/// The phases of a turn, run in this order. Every rule system belongs to exactly one.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnPhase {
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
