//! Screenshots and input scripts for tests and the README: replay clicks and keys through the
//! same path the mouse takes, render some frames, save what the window shows, and exit.

mod frame_times;
mod report;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

pub use frame_times::FrameTimes;
use report::write_report;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tour_is_a_number_of_frames() {
        assert_eq!(parse_script("tour:300"), Ok(vec![Step::Tour(300)]));
        for bad in ["tour", "tour:0", "tour:-5", "tour:many", "tour:100001"] {
            let e = parse_script(bad).unwrap_err();
            assert!(e.contains("expected a number of frames"), "{bad}: {e}");
        }
    }
}
