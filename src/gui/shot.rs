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
    mut last: Local<String>,
) {
    // What the map shows of the units: how many counters, and a digest of which stand where,
    // so that a test can tell that a step or a change of view changed the map.
    let mut shown: Vec<(u32, i32, i32)> = counters
        .iter()
        .filter(|(_, _, v)| **v != Visibility::Hidden)
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
        "script_done": done.0,
        "clicks": ui.map_clicks,
        "unit_on_screen": on_screen,
        "controls": controls,
        "counters_shown": shown.len(),
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
