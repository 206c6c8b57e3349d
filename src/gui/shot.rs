//! Screenshots and input scripts for tests and the README: replay clicks and keys through the
//! same path the mouse takes, render some frames, save what the window shows, and exit.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use crate::gui::actions::UiAction;
use crate::gui::camera::MainCamera;
use crate::gui::geom::Geom;
use crate::gui::state::{Launch, Overlay, Screen, Started, Ui};
use crate::model::{Hex, Map};

pub fn plugin(app: &mut App) {
    app.init_resource::<ScriptDone>()
        .add_systems(Update, drive.run_if(not(in_state(Screen::Title))))
        .add_systems(Update, title_shot.run_if(in_state(Screen::Title)))
        .add_systems(Last, write_report.run_if(resource_exists::<ReportTo>));
}

/// One step of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// What a click or key does (orders go this way).
    Act(UiAction),
    /// Point the mouse at a hex.
    Hover(Target),
    /// Click (left) on a hex.
    Click(Target),
    /// Right-click on a hex: march there, or prepare an attack.
    OrderTo(Target),
    /// Zoom the map (1 = one tile pixel per screen pixel; larger is farther out).
    Zoom(f32),
    /// Centre the map on a place.
    Centre(String),
    Overlay(Overlay),
    Help,
    Briefing,
    Explain,
    /// Press the hand-over screen's button.
    Ready,
    /// Stay on the title screen for the screenshot (first step only).
    Title,
    /// Keep a file up to date with what the window shows (read at launch, see [`ReportTo`]).
    Report(std::path::PathBuf),
    /// Watching a game again: go to a phase (0 is the start).
    Phase(usize),
    /// Watching a game again: whose view the map shows (`None`: everything).
    View(Option<crate::model::Side>),
    /// Watching a game again: the kinds of moment to stop at.
    Stops(Vec<crate::rules::phases::MomentKind>),
    /// Pan and zoom over the map for this many frames, as a player looking round the theatre
    /// does: from the whole theatre in to a front and out again, across the map and back
    /// (the path is fixed, so that frame times compare between builds).
    Tour(u32),
}

/// `--script report:FILE`: the window keeps FILE up to date with what it shows (the screen,
/// the selected unit, where the panels' controls are, the zoom), so that a test driving the
/// real mouse can find a button and check what its click did.
#[derive(Resource, Debug, Clone)]
pub struct ReportTo(pub std::path::PathBuf);

/// Whether every step of the script has run.
#[derive(Resource, Debug, Clone, Default)]
pub struct ScriptDone(pub bool);

/// The file a script asks to keep up to date, if any (a bad script is reported later).
pub fn report_path(script: &str) -> Option<std::path::PathBuf> {
    parse_script(script)
        .ok()?
        .into_iter()
        .find_map(|s| match s {
            Step::Report(p) => Some(p),
            _ => None,
        })
}

/// A hex by its column and row, or the hex of a named place.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Hex(Hex),
    Place(String),
}

impl Target {
    fn hex(&self, map: Option<&Map>) -> Option<Hex> {
        match self {
            Target::Hex(h) => Some(*h),
            Target::Place(n) => map?.place_named(n).map(|p| p.hex),
        }
    }
}

/// Parses a script: steps separated by `;`, e.g.
/// `select:5th Guards Tank Corps;hover:44,60;move:44,60;end;zoom:1.5;centre:Hailar;overlay:supply`.
pub fn parse_script(s: &str) -> Result<Vec<Step>, String> {
    s.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|step| {
            let (verb, arg) = step.split_once(':').unwrap_or((step, ""));
            let arg = arg.trim();
            // COLUMN,ROW or a place's name.
            let hex = || -> Result<Target, String> {
                if arg.is_empty() {
                    return Err(format!("`{step}`: expected COLUMN,ROW or a place"));
                }
                let Some((c, r)) = arg.split_once(',') else {
                    return Ok(Target::Place(arg.to_string()));
                };
                let n = |x: &str| x.trim().parse::<i32>().map_err(|_| format!("`{step}`: `{x}` is not a number"));
                Ok(Target::Hex(Hex::from_offset(n(c)?, n(r)?)))
            };
            Ok(match verb {
                "select" => Step::Act(UiAction::SelectNamed(arg.to_string())),
                "click" => Step::Click(hex()?),
                "move" | "attack" => Step::OrderTo(hex()?),
                "confirm" => Step::Act(UiAction::ConfirmAttack),
                "undo" => Step::Act(UiAction::Undo),
                "fuel" => Step::Act(UiAction::ForwardDetachment),
                "end" => Step::Act(UiAction::EndTurn),
                "save" => Step::Act(UiAction::Save),
                "load" => Step::Act(UiAction::Load),
                "hover" => Step::Hover(hex()?),
                "zoom" => Step::Zoom(
                    arg.parse()
                        .ok()
                        .filter(|z: &f32| *z > 0.0)
                        .ok_or_else(|| format!("`{step}`: expected a zoom above 0"))?,
                ),
                "centre" | "center" => Step::Centre(arg.to_string()),
                "overlay" => Step::Overlay(match arg {
                    "none" => Overlay::None,
                    "supply" => Overlay::Supply,
                    "fuel" => Overlay::Fuel,
                    "readiness" => Overlay::Readiness,
                    "airlift" => Overlay::Airlift,
                    "zoc" => Overlay::Zoc,
                    "places" | "control" => Overlay::Control,
                    "fog" => Overlay::Fog,
                    _ => return Err(format!("`{step}`: no such overlay (supply, fuel, readiness, airlift, zoc, places, none)")),
                }),
                "help" => Step::Help,
                "briefing" => Step::Briefing,
                "explain" => Step::Explain,
                "ready" => Step::Ready,
                // Stay on the title screen (handled before the game starts).
                "title" => Step::Title,
                "report" if !arg.is_empty() => Step::Report(arg.into()),
                "phase" => Step::Phase(
                    arg.parse()
                        .map_err(|_| format!("`{step}`: expected a phase number, 0 for the start"))?,
                ),
                "stops" => Step::Stops(
                    arg.split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(|k| {
                            crate::rules::phases::MomentKind::ALL
                                .into_iter()
                                .find(|m| m.plural() == k || m.plural().starts_with(k))
                                .ok_or_else(|| format!("`{step}`: `{k}` is none of battles, captures, fuel crises, airlifts, surrenders"))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                "tour" => Step::Tour(
                    arg.parse()
                        .ok()
                        .filter(|n: &u32| (1..=100_000).contains(n))
                        .ok_or_else(|| format!("`{step}`: expected a number of frames, 1 to 100000"))?,
                ),
                "view" => Step::View(match arg {
                    "all" | "everything" => None,
                    "soviet" => Some(crate::model::Side::Soviet),
                    "japanese" => Some(crate::model::Side::Japanese),
                    _ => return Err(format!("`{step}`: expected all, soviet or japanese")),
                }),
                _ => return Err(format!("`{step}`: unknown step")),
            })
        })
        .collect()
}

/// `--script title --screenshot FILE`: the title screen's picture.
fn title_shot(
    mut frames: Local<u32>,
    launch: Res<Launch>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(path) = &launch.screenshot else {
        return;
    };
    *frames += 1;
    if *frames == launch.frames.max(3) {
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path.clone()));
    }
    if *frames > launch.frames.max(3) + 5 {
        exit.write(AppExit::Success);
    }
}

#[derive(Default)]
struct Progress {
    frames: u32,
    next_step: usize,
    shot_at: Option<u32>,
    /// Frames the running `tour` step has shown.
    toured: u32,
    /// Each frame's time while the script ran, in seconds (with `--frame-times`).
    times: Vec<f64>,
    times_written: bool,
}

/// The tour's frames that warm up (tiles and labels built, caches filled) and are not timed.
const TOUR_WARM_UP: u32 = 30;

/// Where the tour puts the camera at a fraction `t` of its way: the scale goes from the whole
/// theatre in to a close zoom at the middle and out again, while the centre sweeps the map
/// left to right and back, and up and down twice.
fn tour_camera(geom: &Geom, far: f32, t: f32) -> (Vec2, f32) {
    use std::f32::consts::TAU;
    let a = geom.center(Hex::from_offset(0, 0));
    let b = geom.center(Hex::from_offset(
        geom.size.x as i32 - 1,
        geom.size.y as i32 - 1,
    ));
    let (mid, half) = ((a + b) / 2.0, (b - a).abs() / 2.0);
    let near = 0.8_f32.min(far);
    let scale = near + (far - near) * (0.5 + 0.5 * (TAU * t).cos());
    let at = mid
        + Vec2::new(
            0.7 * half.x * (TAU * t).sin(),
            0.6 * half.y * (2.0 * TAU * t).sin(),
        );
    (at, scale)
}

/// The frame times a run recorded, as `--frame-times` writes them: milliseconds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct FrameTimes {
    /// The window's size in pixels.
    pub window: [u32; 2],
    pub frames: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub mean_ms: f64,
    pub frame_ms: Vec<f64>,
}

impl FrameTimes {
    pub fn of(window: [u32; 2], seconds: &[f64]) -> FrameTimes {
        let ms: Vec<f64> = seconds.iter().map(|s| s * 1000.0).collect();
        let mut sorted = ms.clone();
        sorted.sort_by(f64::total_cmp);
        // Nearest rank: the smallest time at least this share of the frames do not exceed.
        let rank = |q: f64| {
            if sorted.is_empty() {
                return 0.0;
            }
            let k = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            sorted[k - 1]
        };
        let mean = if ms.is_empty() {
            0.0
        } else {
            ms.iter().sum::<f64>() / ms.len() as f64
        };
        FrameTimes {
            window,
            frames: ms.len(),
            median_ms: rank(0.5),
            p95_ms: rank(0.95),
            mean_ms: mean,
            frame_ms: ms,
        }
    }
}

/// Steps run one per frame (an order's effects show before the next step), starting a few
/// frames in; the screenshot is taken `--frames` frames after the last step.
#[allow(clippy::too_many_arguments)]
fn drive(
    mut p: Local<Progress>,
    launch: Res<Launch>,
    started: Option<Res<Started>>,
    geom: Option<Res<Geom>>,
    map: Option<Res<Map>>,
    state: Res<State<Screen>>,
    mut next_state: ResMut<NextState<Screen>>,
    mut actions: MessageWriter<UiAction>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
    mut ui: ResMut<Ui>,
    mut cam: Query<(&mut Transform, &mut Projection), With<MainCamera>>,
    mut done: ResMut<ScriptDone>,
    mut replay: Option<ResMut<crate::gui::replay::viewer::Replay>>,
    time: Res<Time<Real>>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
) {
    if started.is_none() {
        return;
    }
    p.frames += 1;
    let steps = match launch.script.as_deref().map(parse_script) {
        None => Vec::new(),
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            eprintln!("error: --script: {e}");
            exit.write(AppExit::error());
            return;
        }
    };
    if p.next_step >= steps.len() {
        done.0 = true;
        if let Some(path) = &launch.frame_times
            && !p.times_written
        {
            p.times_written = true;
            let size = windows
                .single()
                .map_or([0, 0], |w| [w.physical_width(), w.physical_height()]);
            let times = FrameTimes::of(size, &p.times);
            let text = serde_json::to_string_pretty(&times).expect("frame times serialise");
            match crate::scenario::save::write_atomically(path, text.as_bytes()) {
                Ok(()) => {
                    println!(
                        "{} frames at {}x{}: median {:.1} ms, 95th percentile {:.1} ms; written to {}",
                        times.frames,
                        size[0],
                        size[1],
                        times.median_ms,
                        times.p95_ms,
                        path.display()
                    );
                    exit.write(AppExit::Success);
                }
                Err(e) => {
                    eprintln!("error: --frame-times {}: {e}", path.display());
                    exit.write(AppExit::error());
                }
            }
            return;
        }
    }
    let timing = p.frames > 3
        && p.next_step < steps.len()
        && !(matches!(steps[p.next_step], Step::Tour(_)) && p.toured < TOUR_WARM_UP);
    if launch.frame_times.is_some() && timing {
        p.times.push(time.delta_secs_f64());
    }
    if p.frames > 3 && p.next_step < steps.len() {
        match &steps[p.next_step] {
            Step::Act(a) => {
                ui.toast = None;
                actions.write(a.clone());
            }
            Step::Hover(t) => {
                ui.hovered = t.hex(map.as_deref());
                ui.hover_pinned = true;
            }
            Step::Click(t) | Step::OrderTo(t) => match t.hex(map.as_deref()) {
                Some(h) => {
                    ui.toast = None;
                    actions.write(if matches!(steps[p.next_step], Step::Click(_)) {
                        UiAction::Select(h)
                    } else {
                        UiAction::OrderTo(h)
                    });
                }
                None => {
                    eprintln!("error: --script: no place named {t:?}");
                    exit.write(AppExit::error());
                    return;
                }
            },
            Step::Zoom(z) => {
                if let Ok((_, mut proj)) = cam.single_mut()
                    && let Projection::Orthographic(o) = proj.as_mut()
                {
                    o.scale = *z;
                }
            }
            Step::Centre(name) => {
                if let (Some(g), Some(m)) = (&geom, &map)
                    && let Some(pl) = m.place_named(name)
                    && let Ok((mut t, _)) = cam.single_mut()
                {
                    let c = g.center(pl.hex);
                    t.translation.x = c.x;
                    t.translation.y = c.y;
                }
            }
            Step::Overlay(o) => ui.overlay = *o,
            Step::Help => ui.help = true,
            Step::Briefing => ui.briefing = true,
            Step::Explain => ui.explain = true,
            Step::Title | Step::Report(_) => {}
            Step::Phase(k) => match replay.as_mut() {
                Some(r) if *k < r.phases.len() => r.want = *k,
                Some(r) => {
                    eprintln!(
                        "error: --script: phase {k}: the save has phases 0 to {}",
                        r.last()
                    );
                    exit.write(AppExit::error());
                    return;
                }
                None => {
                    eprintln!("error: --script: `phase` is for watching a game again (--replay)");
                    exit.write(AppExit::error());
                    return;
                }
            },
            Step::View(v) => {
                if let Some(r) = replay.as_mut() {
                    r.view = *v;
                }
            }
            Step::Stops(kinds) => {
                if let Some(r) = replay.as_mut() {
                    r.stops = kinds.clone();
                }
            }
            Step::Ready => {
                if *state.get() == Screen::Handover {
                    next_state.set(Screen::Playing);
                }
            }
            Step::Tour(n) => {
                if let (Some(g), Ok(w)) = (&geom, windows.single())
                    && let Ok((mut t, mut proj)) = cam.single_mut()
                {
                    let far = crate::gui::camera::fit_scale(g, w, [0.0; 3]);
                    let (at, scale) = tour_camera(g, far, p.toured as f32 / *n as f32);
                    t.translation.x = at.x;
                    t.translation.y = at.y;
                    if let Projection::Orthographic(o) = proj.as_mut() {
                        o.scale = scale;
                    }
                }
                p.toured += 1;
                if p.toured < *n {
                    return;
                }
                p.toured = 0;
            }
        }
        p.next_step += 1;
        return;
    }
    let Some(path) = &launch.screenshot else {
        return;
    };
    let after = 3 + steps.len() as u32;
    if p.shot_at.is_none() && p.frames >= after + launch.frames {
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path.clone()));
        p.shot_at = Some(p.frames);
    }
    if p.shot_at.is_some_and(|f| p.frames > f + 5) {
        exit.write(AppExit::Success);
    }
}

/// Writes the report a script asked for, when what it says has changed.
#[allow(clippy::too_many_arguments)]
fn write_report(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_times_take_the_nearest_rank() {
        // 1 to 20 ms: the median is the 10th, the 95th percentile the 19th.
        let s: Vec<f64> = (1..=20).rev().map(|k| f64::from(k) / 1000.0).collect();
        let t = FrameTimes::of([1920, 1080], &s);
        assert_eq!(t.frames, 20);
        assert!((t.median_ms - 10.0).abs() < 1e-9, "{t:?}");
        assert!((t.p95_ms - 19.0).abs() < 1e-9, "{t:?}");
        assert!((t.mean_ms - 10.5).abs() < 1e-9, "{t:?}");
        assert_eq!(FrameTimes::of([1, 1], &[]).median_ms, 0.0);
    }

    #[test]
    fn a_tour_is_a_number_of_frames() {
        assert_eq!(parse_script("tour:300"), Ok(vec![Step::Tour(300)]));
        for bad in ["tour", "tour:0", "tour:-5", "tour:many", "tour:100001"] {
            let e = parse_script(bad).unwrap_err();
            assert!(e.contains("expected a number of frames"), "{bad}: {e}");
        }
    }
}
