//! The report a script asks for: what the window shows, in words a test can read, written
//! whenever it changes.

use bevy::prelude::*;

use super::{ReportTo, ScriptDone, Step, parse_script};
use crate::gui::actions::UiAction;
use crate::gui::camera::MainCamera;
use crate::gui::state::{Launch, Screen, Ui};

/// Writes the report a script asked for, when what it says has changed.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_report(
    to: Res<ReportTo>,
    launch: Res<Launch>,
    state: Res<State<Screen>>,
    ui: Res<Ui>,
    done: Res<ScriptDone>,
    windows: Query<&Window>,
    buttons: Res<ButtonInput<MouseButton>>,
    cam: Query<(&Camera, &GlobalTransform, &Projection), With<MainCamera>>,
    units: Query<(
        &crate::model::UnitId,
        &crate::model::UnitName,
        &GlobalTransform,
    )>,
    calendar: Option<Res<crate::model::Calendar>>,
    replay: Option<Res<crate::gui::replay::viewer::Replay>>,
    counters: Query<
        (&crate::model::UnitId, &crate::model::Position, &Visibility),
        With<crate::gui::units::Counter>,
    >,
    theatre: Option<Res<crate::gui::formations::TheatreCounters>>,
    mut last: Local<String>,
) {
    // What the map shows of the units: how many, by their own counters or counted into a
    // formation's at the theatre zoom, and a digest of which stand where, so that a test can
    // tell that a step or a change of view changed the map.
    let in_formations: std::collections::BTreeSet<crate::model::UnitId> = theatre
        .as_deref()
        .filter(|t| t.on)
        .map(|t| {
            t.clusters
                .iter()
                .flat_map(|c| c.units.iter().copied())
                .collect()
        })
        .unwrap_or_default();
    let mut shown: Vec<(u32, i32, i32)> = counters
        .iter()
        .filter(|(u, _, v)| **v != Visibility::Hidden || in_formations.contains(u))
        .map(|(u, p, _)| {
            let (c, r) = p.0.to_offset();
            (u.0, c, r)
        })
        .collect();
    shown.sort_unstable();
    let digest = shown
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, (u, c, r)| {
            [*u as i64, *c as i64, *r as i64].iter().fold(h, |h, x| {
                (h ^ (*x as u64)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        });
    let phase = calendar
        .as_ref()
        .map(|c| format!("turn {} {}", c.turn, c.active));
    let selected = ui
        .selected
        .and_then(|id| units.iter().find(|(u, _, _)| **u == id))
        .map(|(_, n, _)| n.0.clone());
    // The unit the script selects first, and where its counter is on screen: a test clicks it.
    let first = launch.script.as_deref().and_then(|s| {
        parse_script(s).ok()?.into_iter().find_map(|s| match s {
            Step::Act(UiAction::SelectNamed(n)) => Some(n),
            _ => None,
        })
    });
    let (zoom, on_screen) = match cam.single() {
        Ok((c, g, p)) => {
            let zoom = match p {
                Projection::Orthographic(o) => o.scale,
                _ => 1.0,
            };
            let at = first.as_ref().and_then(|n| {
                let (_, _, t) = units.iter().find(|(_, u, _)| &u.0 == n)?;
                c.world_to_viewport(g, t.translation()).ok()
            });
            (zoom, at.map(|a| [a.x, a.y]))
        }
        Err(_) => (0.0, None),
    };
    // The formation counters and where each is on screen: a test points at one.
    let formations: Vec<serde_json::Value> = match (theatre.as_deref(), cam.single()) {
        (Some(t), Ok((c, g, _))) if t.on => t
            .clusters
            .iter()
            .map(|f| {
                let at = c.world_to_viewport(g, f.at.extend(0.0)).ok();
                serde_json::json!({
                    "name": f.name,
                    "units": f.units.len(),
                    "at": at.map(|a| [a.x, a.y]),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let window = windows.single().map(|w| [w.width(), w.height()]).ok();
    let pointer = windows
        .single()
        .ok()
        .and_then(|w| w.cursor_position())
        .map(|p| [p.x, p.y]);
    // The map's part of the window: left, top, right, bottom.
    let map = window.map(|[w, h]| {
        let [l, r, t] = ui.margins;
        [l, t, w - r, h]
    });
    let controls: serde_json::Map<String, serde_json::Value> = ui
        .controls
        .iter()
        .map(|(n, r)| (n.clone(), serde_json::json!(r)))
        .collect();
    let text = serde_json::json!({
        "screen": format!("{:?}", state.get()),
        "window": window,
        "map": map,
        "selected": selected,
        "hovered": ui.hovered.is_some(),
        "preview": ui.preview.is_some(),
        "pointer": pointer,
        "left_down": buttons.pressed(MouseButton::Left),
        "pointer_on_map": ui.pointer_on_map,
        "hover_text": ui.hover_text,
        "phase": phase,
        "paused": ui.paused,
        "since_your_turn": ui.since_lines,
        "planned": ui.planned.iter().map(|(u, _, p)| serde_json::json!({
            "unit": u.0,
            "turns": p.legs.len(),
        })).collect::<Vec<_>>(),
        "explain": ui.explain,
        "briefing": ui.briefing,
        "airlift_tons": ui.airlift_tons,
        "zoom": zoom,
        "toast": ui.toast.as_ref().map(|t| t.0.clone()),
        "pbem_form": serde_json::json!({
            "game": ui.pbem_form.game,
            "key": ui.pbem_form.key,
            "received": ui.pbem_form.received,
            "message": ui.pbem_form.message.as_ref().map(|(_, m)| m.clone()),
            "message_ok": ui.pbem_form.message.as_ref().map(|(ok, _)| *ok),
        }),
        "script_done": done.0,
        "clicks": ui.map_clicks,
        "unit_on_screen": on_screen,
        "controls": controls,
        "counters_shown": shown.len(),
        "formation_counters": formations.len(),
        "formations": formations,
        "counters_digest": format!("{digest:016x}"),
        "replay": replay.as_ref().map(|r| serde_json::json!({
            "phase": r.shown,
            "phases": r.phases.len(),
            "label": r.phases.phases[r.shown].label(),
            "playing": r.playing,
            "view": r.view.map(|s| s.name()),
            "notes_shown": r.notes_at(r.shown).iter().map(|n| n.title.clone()).collect::<Vec<_>>(),
            "notes": r.notes.notes.len(),
            "draft_title": r.draft_title,
            "message": r.message,
        })),
    })
    .to_string();
    if *last != text {
        if crate::scenario::save::write_atomically(&to.0, text.as_bytes()).is_err() {
            return;
        }
        *last = text;
    }
}
