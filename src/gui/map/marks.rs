//! Marks drawn over the map each frame: the march previewed and the marches ordered, the
//! objectives ringed, and what happened since the player's last turn (trails and bursts,
//! also drawn by the replay viewer).

use bevy::prelude::*;

use crate::gui::camera::camera_scale;
use crate::gui::geom::Geom;
use crate::gui::ink;
use crate::gui::state::{Launch, Ui};
use crate::model::*;

/// The selected unit's march to the hex under the mouse: its route, where each turn ends,
/// and the enemy zones of control it crosses; and every march ordered this turn, in gold,
/// with the same rings, until the turn ends.
pub fn draw_preview(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
) {
    let Some(geom) = geom else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    let gold = [Color::srgb(1.0, 0.85, 0.2), Color::srgb(1.0, 0.6, 0.1)];
    for (u, _, p) in &ui.planned {
        // The one being re-planned under the mouse is drawn by its preview.
        if ui.preview.as_ref().is_some_and(|(x, _, _)| x == u) {
            continue;
        }
        draw_march(&mut gizmos, &geom, p, k, gold);
    }
    let Some((_, _, p)) = ui.preview.as_ref() else {
        return;
    };
    draw_march(
        &mut gizmos,
        &geom,
        p,
        k,
        [Color::srgb(1.0, 1.0, 1.0), Color::srgb(0.3, 0.9, 1.0)],
    );
}

/// One march: its legs in alternating colours, a ring per turn where each turn ends, crosses
/// on the zones of control it enters, and a red ring where it would stall.
fn draw_march(
    gizmos: &mut Gizmos,
    geom: &Geom,
    p: &crate::rules::preview::MarchPreview,
    k: f32,
    colours: [Color; 2],
) {
    let mut last: Option<Vec2> = None;
    for (i, leg) in p.legs.iter().enumerate() {
        let c = colours[i % 2];
        for h in leg {
            let here = geom.center(*h);
            if let Some(a) = last {
                gizmos.line_2d(a, here, c);
                gizmos.line_2d(a + Vec2::Y * k * 0.7, here + Vec2::Y * k * 0.7, c);
            }
            last = Some(here);
        }
        // Where the turn ends: a ring, one more per turn.
        if let Some(end) = leg.last() {
            let at = geom.center(*end);
            for r in 0..=(i.min(3)) {
                gizmos.circle_2d(
                    Isometry2d::from_translation(at),
                    (5.0 + 2.5 * r as f32) * k,
                    c,
                );
            }
        }
    }
    if p.legs.is_empty() {
        return;
    }
    for h in &p.zoc {
        let c = geom.center(*h);
        let d = 5.0 * k;
        let red = Color::srgb(1.0, 0.15, 0.1);
        gizmos.line_2d(c + Vec2::new(-d, -d), c + Vec2::new(d, d), red);
        gizmos.line_2d(c + Vec2::new(-d, d), c + Vec2::new(d, -d), red);
    }
    if !p.arrives
        && let Some(end) = p.legs.last().and_then(|l| l.last())
    {
        gizmos.circle_2d(
            Isometry2d::from_translation(geom.center(*end)),
            14.0 * k,
            Color::srgb(1.0, 0.3, 0.1),
        );
    }
}

/// The places each side's objectives name (to take or to hold), for the map's marks.
#[derive(Resource, Debug, Clone, Default)]
pub struct ObjectivePlaces(pub [Vec<Hex>; 2]);

pub fn objective_places(world: &World) -> ObjectivePlaces {
    use crate::scenario::schema::Goal;
    let map = world.resource::<Map>();
    let mut out = ObjectivePlaces::default();
    for o in crate::report::victory::objectives(world) {
        let places = match &o.goal {
            Goal::Capture { places, .. } | Goal::Hold { places, .. } => places,
            _ => continue,
        };
        let list = &mut out.0[crate::model::intel::side_index(o.side)];
        for h in places
            .iter()
            .filter_map(|n| map.place_named(n))
            .map(|p| p.hex)
        {
            if !list.contains(&h) {
                list.push(h);
            }
        }
    }
    out
}

/// The places the player's objectives name: a gold ring with four spokes round each, so the
/// goals of the campaign are seen where they are (their state is in the top bar).
pub fn mark_objectives(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    places: Option<Res<ObjectivePlaces>>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
    theatre: Option<Res<crate::gui::formations::TheatreCounters>>,
) {
    let (Some(places), Some(geom), Some(viewer)) = (places, geom, ui.viewer) else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    // Round a formation counter, not across it, at the theatre zoom.
    let r = if theatre.is_some_and(|t| t.on) {
        27.0
    } else {
        11.0
    };
    let gold = ink::rgb(ink::OBJECTIVE);
    for h in &places.0[crate::model::intel::side_index(viewer)] {
        let c = geom.center(*h);
        gizmos.circle_2d(Isometry2d::from_translation(c), r * k, gold);
        gizmos.circle_2d(Isometry2d::from_translation(c), (r + 1.0) * k, gold);
        for d in [Vec2::X, Vec2::Y, -Vec2::X, -Vec2::Y] {
            gizmos.line_2d(c + d * (r + 1.0) * k, c + d * (r + 6.0) * k, gold);
        }
    }
}

/// What happened since the player's last turn, on the map until they end the next one: the
/// enemy's marches the player sees now, as orange trails ending in a dot, and every battle
/// as a red burst.
pub fn draw_since_your_turn(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    launch: Res<Launch>,
    events: Option<Res<EventLog>>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
    sides: Query<(&UnitId, &Allegiance)>,
) {
    let (Some(events), Some(geom), Some(viewer)) = (events, geom, ui.viewer) else {
        return;
    };
    if launch.replay.is_some() {
        return;
    }
    let Some(from) = ui.since[crate::model::intel::side_index(viewer)] else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    let enemy_seen = |u: &UnitId| {
        sides
            .iter()
            .find(|(i, _)| *i == u)
            .is_some_and(|(_, a)| a.side != viewer)
            && ui.visible.as_ref().is_none_or(|v| v.contains(u))
    };
    let mut trails: std::collections::BTreeMap<UnitId, Vec<Hex>> = Default::default();
    let orange = ink::rgb(ink::ENEMY_TRAIL);
    let red = ink::rgb(ink::BATTLE);
    for e in events.events.get(from..).unwrap_or_default() {
        match &e.event {
            GameEvent::UnitMoved {
                unit, from, path, ..
            } if enemy_seen(unit) => {
                let t = trails.entry(*unit).or_insert_with(|| vec![*from]);
                if t.last() != Some(from) {
                    t.push(*from);
                }
                t.extend(path.iter().copied());
            }
            GameEvent::Battle { target, .. } => {
                draw_burst(&mut gizmos, geom.center(*target), k, red);
            }
            _ => {}
        }
    }
    for path in trails.values().filter(|p| p.len() > 1) {
        let points: Vec<Vec2> = path.iter().map(|h| geom.center(*h)).collect();
        draw_trail(&mut gizmos, &points, k, orange);
    }
}

/// A march drawn as a trail of three strands (so that it reads at the widest zoom too)
/// ending in a dot; `k` is the camera's scale.
pub fn draw_trail(gizmos: &mut Gizmos, points: &[Vec2], k: f32, colour: Color) {
    for w in points.windows(2) {
        for o in [-0.9, 0.0, 0.9] {
            let d = Vec2::new(o, o) * k;
            gizmos.line_2d(w[0] + d, w[1] + d, colour);
        }
    }
    if let Some(end) = points.last() {
        gizmos.circle_2d(Isometry2d::from_translation(*end), 3.0 * k, colour);
        gizmos.circle_2d(Isometry2d::from_translation(*end), 2.0 * k, colour);
    }
}

/// A battle drawn as a burst: two rings and eight rays round the hex's centre.
pub fn draw_burst(gizmos: &mut Gizmos, c: Vec2, k: f32, colour: Color) {
    for radius in [9.0, 13.0] {
        gizmos.circle_2d(Isometry2d::from_translation(c), radius * k, colour);
    }
    for i in 0..8 {
        let a = i as f32 * std::f32::consts::FRAC_PI_4;
        let d = Vec2::new(a.cos(), a.sin());
        gizmos.line_2d(c + d * 14.0 * k, c + d * 19.0 * k, colour);
    }
}
