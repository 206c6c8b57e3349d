//! The pointer: whether it is over the map, panning and zooming, the hex under it, and
//! clicks turned into actions.

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;
use bevy_egui::egui;
use bevy_egui::input::EguiWantsInput;

use crate::gui::actions::UiAction;
use crate::gui::camera::{MainCamera, fit_scale};
use crate::gui::geom::Geom;
use crate::gui::state::{Launch, Mode, Ui};
use crate::model::*;

/// Decides, before any map input is read, whether the pointer is over the map. The panels
/// are laid out in a background layer, which egui's own "pointer over egui" test does not
/// count (bevy_egui's root area is the whole window), so that test alone let clicks, the wheel
/// and hovering over a panel through to the map under it. Here the pointer is on the map only
/// inside the space the panels leave, outside every egui window and menu, and while no egui
/// control holds the pointer (a slider dragged off its panel). The test uses the pointer's
/// position now, not egui's from the last frame, so the first click over a panel is caught too.
pub fn pointer_gate(
    windows: Query<&Window>,
    mut contexts: bevy_egui::EguiContexts,
    egui: Res<EguiWantsInput>,
    mut ui: ResMut<Ui>,
) {
    let on_map = (|| {
        let w = windows.single().ok()?;
        let p = w.cursor_position()?;
        let [l, r, t] = ui.margins;
        if p.x < l || p.x >= w.width() - r || p.y < t {
            return Some(false);
        }
        if egui.is_using_pointer() || egui.is_popup_open() {
            return Some(false);
        }
        let ctx = contexts.ctx_mut().ok()?;
        let at = egui::pos2(p.x, p.y) / ctx.zoom_factor();
        let over_window = ctx
            .layer_id_at(at)
            .is_some_and(|layer| layer.order != egui::Order::Background);
        Some(!over_window)
    })()
    .unwrap_or(false);
    if ui.pointer_on_map != on_map {
        ui.pointer_on_map = on_map;
    }
}

#[allow(clippy::too_many_arguments)]
pub fn camera_controls(
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    scroll: Res<AccumulatedMouseScroll>,
    motion: Res<AccumulatedMouseMotion>,
    egui: Res<EguiWantsInput>,
    time: Res<Time>,
    mut cam: Query<(&Camera, &GlobalTransform, &mut Transform, &mut Projection), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    windows: Query<&Window>,
    ui: Res<Ui>,
    launch: Res<Launch>,
) {
    let Ok((camera, global, mut t, mut proj)) = cam.single_mut() else {
        return;
    };
    let Projection::Orthographic(o) = proj.as_mut() else {
        return;
    };
    if !egui.wants_keyboard_input() {
        let mut d = Vec2::ZERO;
        // Watching a game again, the left and right arrows step through its phases.
        let (left, right) = if launch.mode == Mode::Replay {
            (vec![KeyCode::KeyA], vec![KeyCode::KeyD])
        } else {
            (
                vec![KeyCode::ArrowLeft, KeyCode::KeyA],
                vec![KeyCode::ArrowRight, KeyCode::KeyD],
            )
        };
        if keys.any_pressed(left) {
            d.x -= 1.0;
        }
        if keys.any_pressed(right) {
            d.x += 1.0;
        }
        if keys.any_pressed([KeyCode::ArrowUp, KeyCode::KeyW]) {
            d.y += 1.0;
        }
        if keys.any_pressed([KeyCode::ArrowDown, KeyCode::KeyS]) {
            d.y -= 1.0;
        }
        t.translation += (d * 600.0 * o.scale * time.delta_secs()).extend(0.0);
        let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
        if !ctrl && (keys.just_pressed(KeyCode::Equal) || keys.just_pressed(KeyCode::NumpadAdd)) {
            o.scale = (o.scale / 1.25).max(0.3);
        }
        if !ctrl
            && (keys.just_pressed(KeyCode::Minus) || keys.just_pressed(KeyCode::NumpadSubtract))
        {
            o.scale = (o.scale * 1.25).min(8.0);
        }
        // Home: the whole theatre.
        // Ctrl+Home is the replay viewer's start, not the whole theatre.
        if keys.just_pressed(KeyCode::Home)
            && !ctrl
            && let (Some(g), Ok(w)) = (geom.as_ref(), windows.single())
        {
            o.scale = fit_scale(g, w, ui.margins);
            t.translation = Vec3::ZERO;
        }
    }
    if ui.pointer_on_map {
        if scroll.delta.y != 0.0 {
            let before = o.scale;
            o.scale = (o.scale * (1.0 - scroll.delta.y.signum() * 0.12)).clamp(0.3, 8.0);
            // About the cursor: the point under it stays under it.
            if let Some(at) = windows
                .single()
                .ok()
                .and_then(|w| w.cursor_position())
                .and_then(|p| camera.viewport_to_world_2d(global, p).ok())
            {
                let k = o.scale / before;
                let c = t.translation.truncate();
                let moved = at + (c - at) * k;
                t.translation.x = moved.x;
                t.translation.y = moved.y;
            }
        }
        if buttons.pressed(MouseButton::Middle) {
            t.translation += Vec3::new(-motion.delta.x, motion.delta.y, 0.0) * o.scale;
        }
    }
}

/// The hex under the mouse, if any.
pub fn cursor_hex(
    windows: &Query<&Window>,
    cam: &Query<(&Camera, &GlobalTransform), With<MainCamera>>,
    geom: &Geom,
) -> Option<Hex> {
    let w = windows.single().ok()?;
    let p = w.cursor_position()?;
    let (c, gt) = cam.single().ok()?;
    let world = c.viewport_to_world_2d(gt, p).ok()?;
    geom.hex_at(world)
}

pub fn mouse_actions(
    buttons: Res<ButtonInput<MouseButton>>,
    windows: Query<&Window>,
    cam: Query<(&Camera, &GlobalTransform), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    mut ui: ResMut<Ui>,
    mut out: MessageWriter<UiAction>,
) {
    let Some(geom) = geom else { return };
    let hex = cursor_hex(&windows, &cam, &geom);
    // With no pointer in the window (a test's script), the hovered hex is left as set.
    let pointer = windows
        .single()
        .ok()
        .and_then(|w| w.cursor_position())
        .is_some();
    // Over a panel or window the map under it is not hovered: no march preview behind it.
    let hex = hex.filter(|_| ui.pointer_on_map);
    if pointer && !ui.hover_pinned && ui.hovered != hex {
        ui.hovered = hex;
    }
    if !ui.pointer_on_map {
        return;
    }
    let Some(h) = hex else { return };
    if buttons.just_pressed(MouseButton::Left) {
        ui.map_clicks += 1;
        out.write(UiAction::Select(h));
    }
    if buttons.just_pressed(MouseButton::Right) {
        out.write(UiAction::OrderTo(h));
    }
}
