//! The replay viewer: a saved game watched again phase by phase. The timeline and its
//! buttons and keys, playing at a chosen speed, stops at chosen kinds of moment, each side's
//! view under the fog it had then, the phase's marches and battles on the map, the log of
//! the phase and of the game's moments (each a click from its phase), and teachers' notes
//! pinned to turns, shown when the replay reaches them.

pub mod log;
pub mod timeline;
pub mod viewer;

use bevy::prelude::*;

use crate::gui::geom::Geom;
use crate::gui::overlay::OverlayData;
use crate::gui::replay::viewer::Replay;
use crate::gui::state::{Screen, Ui};
use crate::model::*;

pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (replay_keys, advance_replay, draw_phase)
            .chain()
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<Replay>)),
    );
}

/// Arrows step, Space plays and pauses, Page Up and Page Down jump to the previous and next
/// moment chosen, Home and End (with Ctrl) to the start and the end.
fn replay_keys(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Res<bevy_egui::input::EguiWantsInput>,
    mut r: ResMut<Replay>,
) {
    if egui.wants_keyboard_input() {
        return;
    }
    let last = r.last();
    if keys.just_pressed(KeyCode::ArrowRight) {
        r.want = (r.shown + 1).min(last);
        r.playing = false;
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        r.want = r.shown.saturating_sub(1);
        r.playing = false;
    }
    if keys.just_pressed(KeyCode::Space) {
        r.playing = !r.playing && r.shown < last;
    }
    let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
    if ctrl && keys.just_pressed(KeyCode::Home) {
        r.want = 0;
    }
    if ctrl && keys.just_pressed(KeyCode::End) {
        r.want = last;
    }
    for (key, forward) in [(KeyCode::PageDown, true), (KeyCode::PageUp, false)] {
        if keys.just_pressed(key)
            && let Some(k) = r.phases.next_moment(r.shown, forward, &r.stops)
        {
            r.want = k;
            r.playing = false;
        }
    }
}

/// Plays on at the speed chosen, and puts the phase asked for into the world.
fn advance_replay(world: &mut World) {
    let now = world.resource::<Time>().elapsed_secs_f64();
    let mut r = world.resource_mut::<Replay>();
    if r.playing && r.want == r.shown {
        if r.shown >= r.last() {
            r.playing = false;
        } else if now - r.last_step >= 1.0 / f64::from(r.speed) {
            r.want = r.shown + 1;
        }
    }
    if r.want == r.shown {
        return;
    }
    let k = r.want.min(r.last());
    r.last_step = now;
    // A note or a chosen moment holds the play, so that it can be read.
    if r.playing && r.stops_at(k) {
        r.playing = false;
    }
    let r = world
        .remove_resource::<Replay>()
        .expect("the replay is open");
    let shown = r.phases.show(world, k);
    let mut r = r;
    match shown {
        Ok(()) => {
            r.shown = k;
            r.want = k;
            r.load_draft(k);
            r.message = None;
        }
        Err(e) => {
            r.want = r.shown;
            r.playing = false;
            r.message = Some(format!("That phase could not be shown: {e}"));
        }
    }
    world.insert_resource(r);
    // What the overlays and the fog show is worked out again for the new phase.
    world.insert_resource(OverlayData::default());
    let mut ui = world.resource_mut::<Ui>();
    ui.preview = None;
    ui.planned.clear();
    ui.planned_key = None;
    ui.attack = None;
}

/// The phase's marches as trails ending in a dot, and its battles as bursts.
fn draw_phase(
    mut gizmos: Gizmos,
    r: Res<Replay>,
    ui: Res<Ui>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
) {
    let Some(geom) = geom else { return };
    let k = match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale.max(1.0),
        _ => 1.0,
    };
    let seen = |u: &UnitId| {
        let side = r.phases.sides.get(u).copied();
        ui.viewer.is_none()
            || side == ui.viewer
            || ui.visible.as_ref().is_none_or(|v| v.contains(u))
    };
    for (u, path) in r.phases.trails(r.shown) {
        if !seen(&u) {
            continue;
        }
        let colour = match r.phases.sides.get(&u) {
            Some(Side::Soviet) => Color::srgb(0.95, 0.95, 0.95),
            _ => Color::srgb(1.0, 0.55, 0.0),
        };
        let points: Vec<Vec2> = path.iter().map(|h| geom.center(*h)).collect();
        crate::gui::map::marks::draw_trail(&mut gizmos, &points, k, colour);
    }
    for (at, _) in r.phases.battles(r.shown) {
        crate::gui::map::marks::draw_burst(
            &mut gizmos,
            geom.center(at),
            k,
            crate::gui::ink::rgb(crate::gui::ink::BATTLE),
        );
    }
}
