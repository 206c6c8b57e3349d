//! What a click or key means before it becomes an order, and where the window's saves go.

use bevy::prelude::*;

use crate::model::*;

/// What a click or key means, before it becomes an order.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum UiAction {
    /// Select the top unit of the side to move in a hex.
    Select(Hex),
    /// Select a unit by name.
    SelectNamed(String),
    /// Order the selected unit to the hex: a march, or an attack if the enemy holds it.
    OrderTo(Hex),
    /// Commit the attack being prepared.
    ConfirmAttack,
    /// Cancel the selected unit's orders this turn (undo).
    Undo,
    /// Fly fuel to the selected unit.
    Airlift {
        fleet: FormationId,
        base: PlaceId,
        tons: f64,
    },
    /// The units beside the selected one hand it their fuel.
    ForwardDetachment,
    /// An order built by a panel (an air landing), submitted as it is.
    Order(Order),
    EndTurn,
    Save,
    Load,
}

pub const SAVE_DIR: &str = "saves";
