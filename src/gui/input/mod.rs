//! Input: the camera (pan and zoom), clicks and keys turned into UI actions, and the actions
//! turned into orders through the rules' own validation. Test scripts feed the same actions.

pub mod apply;
pub mod keys;
pub mod pointer;
pub mod turns;

use bevy::prelude::*;

use crate::gui::actions::UiAction;
use crate::gui::camera::{MainCamera, fit_scale};
use crate::gui::geom::Geom;
use crate::gui::input::apply::apply_actions;
use crate::gui::input::keys::key_actions;
use crate::gui::input::pointer::{camera_controls, mouse_actions, pointer_gate};
use crate::gui::input::turns::{ai_phase, update_view};
use crate::gui::state::{Screen, Ui};

pub fn plugin(app: &mut App) {
    app.add_message::<UiAction>()
        .add_systems(OnEnter(Screen::Playing), spawn_camera)
        .add_systems(
            Update,
            (
                fit_viewport,
                keep_theatre_fitted,
                pointer_gate,
                camera_controls,
                mouse_actions,
                key_actions,
                apply_actions,
                update_view,
                ai_phase,
            )
                .chain()
                .run_if(in_state(Screen::Playing)),
        );
}

/// The camera that draws egui over everything, on its own so that the map's camera can be
/// confined to the space between the panels.
pub fn spawn_ui_camera(
    mut commands: Commands,
    mut settings: ResMut<bevy_egui::EguiGlobalSettings>,
) {
    settings.auto_create_primary_context = false;
    commands.spawn((
        bevy_egui::PrimaryEguiContext,
        Camera2d,
        bevy::camera::visibility::RenderLayers::none(),
        Camera {
            order: 1,
            clear_color: ClearColorConfig::None,
            ..default()
        },
    ));
}

fn spawn_camera(
    mut commands: Commands,
    existing: Query<(), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    windows: Query<&Window>,
    ui: Res<Ui>,
) {
    if !existing.is_empty() {
        return;
    }
    // The whole theatre on screen at the start.
    let scale = match (geom, windows.single()) {
        (Some(g), Ok(w)) => fit_scale(&g, w, ui.margins),
        _ => 4.0,
    };
    commands.spawn((
        Camera2d,
        MainCamera,
        Camera {
            order: 0,
            ..default()
        },
        Projection::Orthographic(OrthographicProjection {
            scale,
            ..OrthographicProjection::default_2d()
        }),
        Transform::from_xyz(0.0, 0.0, 0.0),
    ));
}

/// Until the player zooms, the whole theatre fills the map's space as the window takes its
/// size (it opens small and then fills the screen) and as the panels open and close.
fn keep_theatre_fitted(
    ui: Res<Ui>,
    geom: Option<Res<Geom>>,
    windows: Query<&Window>,
    mut cam: Query<&mut Projection, With<MainCamera>>,
    mut fitted: Local<Option<f32>>,
) {
    let (Some(g), Ok(w), Ok(mut p)) = (geom, windows.single(), cam.single_mut()) else {
        return;
    };
    let Projection::Orthographic(o) = &*p else {
        return;
    };
    // Fitted until the zoom differs from the last fit: the player (or a script) zoomed.
    if fitted.is_none_or(|last| o.scale == last) {
        let fit = fit_scale(&g, w, ui.margins);
        if o.scale != fit
            && let Projection::Orthographic(o) = p.as_mut()
        {
            o.scale = fit;
        }
        *fitted = Some(fit);
    }
}

/// Confines the map's camera to the space the panels leave.
fn fit_viewport(
    ui: Res<Ui>,
    windows: Query<&Window>,
    mut cam: Query<&mut Camera, With<MainCamera>>,
) {
    let (Ok(w), Ok(mut c)) = (windows.single(), cam.single_mut()) else {
        return;
    };
    let sf = w.scale_factor();
    let [l, r, t] = ui.margins.map(|m| (m * sf).round().max(0.0) as u32);
    let (pw, ph) = (w.physical_width(), w.physical_height());
    if pw <= l + r + 16 || ph <= t + 16 {
        return;
    }
    let vp = bevy::camera::Viewport {
        physical_position: UVec2::new(l, t),
        physical_size: UVec2::new(pw - l - r, ph - t),
        ..default()
    };
    let now = c
        .viewport
        .as_ref()
        .map(|v| (v.physical_position, v.physical_size));
    if now != Some((vp.physical_position, vp.physical_size)) {
        c.viewport = Some(vp);
    }
}
