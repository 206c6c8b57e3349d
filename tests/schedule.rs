//! The turn schedule: every rule system sits in a phase, and no two systems touch the same
//! data in an undefined order.

use august_storm::model::Order;
use august_storm::rules::ResolveTurn;
use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings};
use bevy::prelude::*;

use crate::common;

#[test]
fn the_turn_schedule_has_no_ambiguous_system_order() {
    let mut game = common::tiny_game();
    game.app.edit_schedule(ResolveTurn, |s| {
        s.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..default()
        });
    });
    // Building the schedule fails (and this panics) if any two systems are ambiguous.
    game.submit(Order::EndTurn).unwrap();
    game.submit(Order::EndTurn).unwrap();
    assert_eq!(game.calendar().turn, 2);
}

#[test]
fn orders_written_as_messages_reach_the_model_on_update() {
    let mut game = common::tiny_game();
    let tanks = common::id(&mut game, "Test Tank Corps");
    game.app.world_mut().write_message(Order::Move {
        unit: tanks,
        path: vec![common::hex(1, 3)],
    });
    game.app.world_mut().write_message(Order::EndTurn);
    game.app.update();
    assert_eq!(game.position(tanks), Some(common::hex(1, 3)));
    assert_eq!(game.calendar().active, august_storm::model::Side::Japanese);
}
