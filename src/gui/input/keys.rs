//! Keys turned into actions.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use crate::gui::actions::UiAction;
use crate::gui::state::{Overlay, Ui};

pub fn key_actions(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Res<EguiWantsInput>,
    mut ui: ResMut<Ui>,
    mut out: MessageWriter<UiAction>,
) {
    if egui.wants_keyboard_input() {
        return;
    }
    if keys.just_pressed(KeyCode::Enter) {
        out.write(UiAction::EndTurn);
    }
    if keys.just_pressed(KeyCode::Escape) {
        ui.selected = None;
        ui.attack = None;
        ui.preview = None;
    }
    // Ctrl with + or -: larger or smaller text and panels (for projectors and 4K screens).
    if keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]) {
        let s = if ui.ui_scale > 0.0 { ui.ui_scale } else { 1.0 };
        if keys.just_pressed(KeyCode::Equal) || keys.just_pressed(KeyCode::NumpadAdd) {
            ui.ui_scale = (s * 1.15).min(3.0);
        }
        if keys.just_pressed(KeyCode::Minus) || keys.just_pressed(KeyCode::NumpadSubtract) {
            ui.ui_scale = (s / 1.15).max(0.6);
        }
        return;
    }
    if keys.just_pressed(KeyCode::KeyU) || keys.just_pressed(KeyCode::Backspace) {
        out.write(UiAction::Undo);
    }
    if keys.just_pressed(KeyCode::KeyH) || keys.just_pressed(KeyCode::F1) {
        ui.help = !ui.help;
    }
    if keys.just_pressed(KeyCode::KeyB) {
        ui.briefing = !ui.briefing;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        ui.explain = !ui.explain;
    }
    if keys.just_pressed(KeyCode::Space) {
        ui.paused = !ui.paused;
    }
    if keys.just_pressed(KeyCode::KeyN) {
        ui.step = true;
    }
    if keys.just_pressed(KeyCode::Tab) {
        ui.hide_unit_panel = !ui.hide_unit_panel;
    }
    if keys.just_pressed(KeyCode::KeyL) {
        ui.hide_log = !ui.hide_log;
    }
    let overlays = [
        (KeyCode::F2, Overlay::Supply),
        (KeyCode::F3, Overlay::Fuel),
        (KeyCode::F4, Overlay::Readiness),
        (KeyCode::F7, Overlay::Zoc),
        (KeyCode::F6, Overlay::Airlift),
        (KeyCode::F8, Overlay::Control),
        (KeyCode::F10, Overlay::Fog),
    ];
    for (k, o) in overlays {
        if keys.just_pressed(k) {
            ui.overlay = if ui.overlay == o { Overlay::None } else { o };
        }
    }
    if keys.just_pressed(KeyCode::F5) {
        out.write(UiAction::Save);
    }
    if keys.just_pressed(KeyCode::F9) {
        out.write(UiAction::Load);
    }
    if keys.just_pressed(KeyCode::KeyT) {
        out.write(UiAction::ConfirmAttack);
    }
}
