//! The window's screens, one for each state: the title, the game (its panels in `hud`),
//! the hand-over between hotseat players and the debrief.

pub mod debrief;
pub mod handover;
pub mod title;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;

use crate::gui::hud::game_panels;
use crate::gui::screens::debrief::debrief;
use crate::gui::screens::handover::handover;
use crate::gui::screens::title::{skip_title, title};
use crate::gui::state::Screen;

pub fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title.run_if(in_state(Screen::Title)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        handover.run_if(in_state(Screen::Handover)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        debrief.run_if(in_state(Screen::Debrief)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        game_panels.run_if(in_state(Screen::Playing)),
    )
    .add_systems(Startup, (crate::gui::input::spawn_ui_camera, skip_title));
}
