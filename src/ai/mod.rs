//! The AI commanders: they read the world, follow their side's documented plan, and issue the
//! same orders a player does, through the same validation.
//!
//! The Soviet commander drives each formation along its axis, attacks where the odds are
//! good, masses for attacks the troops in contact are too weak to make, fights through an
//! enemy who bars the way or would cost a long detour, leaves strong fortified regions to a
//! blockade and bypasses them, and gives the transport aviation to the spearheads shortest
//! of fuel. The Japanese commander holds the fortified regions and the mountain passes,
//! carries on the redeployment to the south-eastern redoubt out of contact, delays in
//! contact and gives ground by bounds when outmatched, counter-attacks when the odds are
//! good, and stops fighting once the Emperor has spoken.

mod attack;
mod context;
mod japanese;
mod lift;
mod soviet;

use bevy::prelude::*;

use crate::model::*;
use crate::rules::Game;
use japanese::japanese;
use soviet::soviet;

/// What the AI did in one phase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AiTurn {
    pub orders: usize,
    pub rejected: usize,
}

/// Gives the side to move its AI orders and ends its phase.
pub fn play_phase(game: &mut Game) -> AiTurn {
    let orders = plan_orders(game.world_mut());
    let mut out = AiTurn::default();
    for o in orders {
        out.orders += 1;
        if game.submit(o).is_err() {
            out.rejected += 1;
        }
    }
    game.submit(Order::EndTurn)
        .expect("ending a turn is always allowed");
    out
}

/// The orders the AI gives the side to move, without giving them.
pub fn plan_orders(world: &mut World) -> Vec<Order> {
    let side = world.resource::<Calendar>().active;
    let orders = match side {
        Side::Soviet => soviet(world),
        Side::Japanese => japanese(world),
    };
    // The surprised side's commanders are away in the first hours: only the units in touch
    // with them take their orders (an attack only if all its units are).
    if !crate::rules::combat::in_surprise(world) {
        return orders;
    }
    let contact = |u: UnitId| crate::rules::combat::in_contact(world, u, side);
    orders
        .into_iter()
        .filter(|o| match o {
            Order::Attack { units, .. } => units.iter().all(|u| contact(*u)),
            o => o.unit().is_none_or(contact),
        })
        .collect()
}
