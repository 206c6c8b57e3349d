//! The replay viewer: a saved game watched again phase by phase. The timeline and its
//! buttons and keys, playing at a chosen speed, stops at chosen kinds of moment, each side's
//! view under the fog it had then, the phase's marches and battles on the map, the log of
//! the phase and of the game's moments (each a click from its phase), and teachers' notes
//! pinned to turns, shown when the replay reaches them.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::egui;

use super::map::{Geom, OverlayData};
use super::{Screen, Ui};
use crate::model::*;
use crate::rules::phases::{MomentKind, Phases};
use crate::scenario::Diagnostic;
use crate::scenario::notes::{Note, NotesFile, load_notes_of, notes_path, save_notes};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (replay_keys, advance_replay, draw_phase)
            .chain()
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<Replay>)),
    );
}

/// Speeds of play, in phases a second.
pub const SPEEDS: [f32; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// A saved game being watched again.
#[derive(Resource)]
pub struct Replay {
    pub path: PathBuf,
    pub phases: Phases,
    /// The phase in the world now.
    pub shown: usize,
    /// The phase asked for (by the timeline, a button, a key or a click in the log).
    pub want: usize,
    pub playing: bool,
    /// Phases a second while playing.
    pub speed: f32,
    /// When the last phase was played (seconds since start).
    pub last_step: f64,
    /// The kinds of moment playing stops at, and that Previous and Next jump between.
    pub stops: Vec<MomentKind>,
    /// Whose eyes the map shows: `None` for everything.
    pub view: Option<Side>,
    pub notes: NotesFile,
    /// The note being written at the phase shown: its title and text (the note pinned
    /// there, when the phase is reached).
    pub draft_title: String,
    pub draft_text: String,
    /// What the last pin or removal did, for the panel.
    pub message: Option<String>,
    /// The phase the list of the game's moments was last scrolled to.
    pub scrolled_to: Option<usize>,
}

impl Replay {
    pub fn last(&self) -> usize {
        self.phases.len().saturating_sub(1)
    }

    /// The notes phase `k` shows.
    pub fn notes_at(&self, k: usize) -> Vec<&Note> {
        let Some(p) = self.phases.phases.get(k) else {
            return Vec::new();
        };
        let Some(side) = p.side else {
            return Vec::new();
        };
        let first = self.phases.phase_of(p.turn, None) == Some(k);
        self.notes.shown_at(p.turn, side, first)
    }

    /// Whether playing stops at phase `k`: a note, or a moment of a kind chosen.
    fn stops_at(&self, k: usize) -> bool {
        !self.notes_at(k).is_empty()
            || self.phases.phases[k]
                .moments
                .iter()
                .any(|m| self.stops.contains(&m.kind))
    }

    /// Puts the note being written into the draft: the one pinned here, if any.
    fn load_draft(&mut self, k: usize) {
        let (turn, side) = match self.phases.phases.get(k) {
            Some(p) => (p.turn, p.side),
            None => return,
        };
        let pinned = self.notes.at(turn, side).cloned();
        (self.draft_title, self.draft_text) = match pinned {
            Some(n) => (n.title, n.text),
            None => (String::new(), String::new()),
        };
    }

    /// Pins the draft to the phase shown and writes the notes beside the save.
    pub fn pin(&mut self) {
        let Some(p) = self.phases.phases.get(self.shown) else {
            return;
        };
        if p.side.is_none() {
            self.message = Some("Step to a phase to pin a note to it".into());
            return;
        }
        let note = Note {
            turn: p.turn,
            side: p.side,
            title: self.draft_title.trim().to_string(),
            text: self.draft_text.trim_end().to_string(),
        };
        if note.title.is_empty() && !note.text.trim().is_empty() {
            self.message = Some("Give the note a title".into());
            return;
        }
        let removing = note.title.is_empty();
        let mut notes = self.notes.clone();
        notes.pin(note);
        match save_notes(&self.path, &notes) {
            Ok(written) => {
                self.notes = notes;
                self.message = Some(format!(
                    "{} {}",
                    if removing {
                        "Note removed; saved to"
                    } else {
                        "Note pinned; saved to"
                    },
                    written.display()
                ));
            }
            Err(e) => self.message = Some(format!("The note was not saved: {e}")),
        }
    }
}

/// Opens a save in the viewer: replays it phase by phase, spawns its scenario into the
/// window's world and shows the start.
pub fn open(world: &mut World, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let (game, phases) = Phases::load(path)?;
    let turns = game.calendar().turn;
    let notes = load_notes_of(path, Some(turns))?;
    crate::rules::save::spawn_like(world, &game, path)?;
    let whole = |m: String| {
        vec![Diagnostic {
            severity: crate::scenario::diag::Severity::Error,
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            message: m,
            hint: None,
            snippet: None,
        }]
    };
    phases.show(world, 0).map_err(whole)?;
    let mut r = Replay {
        path: path.to_path_buf(),
        phases,
        shown: 0,
        want: 0,
        playing: false,
        speed: 1.0,
        last_step: 0.0,
        stops: vec![MomentKind::Capture],
        view: None,
        notes,
        draft_title: String::new(),
        draft_text: String::new(),
        message: None,
        scrolled_to: None,
    };
    r.load_draft(0);
    world.insert_resource(r);
    Ok(())
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
    cam: Query<&Projection, With<super::input::MainCamera>>,
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
        super::map::draw_trail(&mut gizmos, &points, k, colour);
    }
    for (at, _) in r.phases.battles(r.shown) {
        super::map::draw_burst(
            &mut gizmos,
            geom.center(at),
            k,
            super::map::ink::rgb(super::map::ink::BATTLE),
        );
    }
}

/// The replay's bar under the top bar: the timeline, stepping, playing, the stops and the
/// view. Returns the phase a click asked for, if any.
pub fn bar(
    ui: &mut egui::Ui,
    r: &mut Replay,
    controls: &mut Vec<(String, [f32; 4])>,
    note: impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) {
    let last = r.last();
    let label = r.phases.phases[r.shown].label();
    ui.horizontal(|ui| {
        let b = ui
            .add_enabled(r.shown > 0, egui::Button::new("⏮"))
            .on_hover_text("The start (Ctrl+Home)");
        note(controls, "replay start", &b);
        if b.clicked() {
            r.want = 0;
            r.playing = false;
        }
        let b = ui
            .add_enabled(r.shown > 0, egui::Button::new("◀ Back"))
            .on_hover_text("One phase back (Left arrow)");
        note(controls, "replay back", &b);
        if b.clicked() {
            r.want = r.shown.saturating_sub(1);
            r.playing = false;
        }
        let b = ui
            .add_enabled(
                r.shown < last,
                egui::Button::new(if r.playing { "⏸ Pause" } else { "▶ Play" }),
            )
            .on_hover_text("Play the phases one after another, or hold (Space)");
        note(controls, "replay play", &b);
        if b.clicked() {
            r.playing = !r.playing;
            r.last_step = 0.0;
        }
        let b = ui
            .add_enabled(r.shown < last, egui::Button::new("Step ▶"))
            .on_hover_text("One phase on (Right arrow)");
        note(controls, "replay step", &b);
        if b.clicked() {
            r.want = (r.shown + 1).min(last);
            r.playing = false;
        }
        let b = ui
            .add_enabled(r.shown < last, egui::Button::new("⏭"))
            .on_hover_text("Where the save stands (Ctrl+End)");
        if b.clicked() {
            r.want = last;
            r.playing = false;
        }
        egui::ComboBox::from_id_salt("replay speed")
            .width(118.0)
            .selected_text(speed_words(r.speed))
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut r.speed, s, speed_words(s));
                }
            })
            .response
            .on_hover_text("How fast the phases follow one another while playing");
        ui.separator();
        // The timeline: one stop a phase, the notes marked in gold above it.
        let mut k = r.shown;
        let width = (ui.available_width() - 360.0).max(160.0);
        ui.spacing_mut().slider_width = width;
        let s = ui
            .add(
                egui::Slider::new(&mut k, 0..=last)
                    .show_value(false)
                    .trailing_fill(true),
            )
            .on_hover_text(format!(
                "Drag or click to go to any phase; now {label}. Gold marks: teacher's notes; red: the moments chosen to stop at"
            ));
        note(controls, "replay timeline", &s);
        if s.changed() {
            r.want = k;
            r.playing = false;
        }
        let rail = s.rect.shrink2(egui::vec2(s.rect.height() / 2.0, 0.0));
        let x = |i: usize| rail.left() + rail.width() * i as f32 / last.max(1) as f32;
        let painter = ui.painter();
        for i in 0..=last {
            if !r.notes_at(i).is_empty() {
                let p = egui::pos2(x(i), s.rect.top());
                painter.add(egui::Shape::convex_polygon(
                    vec![p, p + egui::vec2(-4.0, -6.0), p + egui::vec2(4.0, -6.0)],
                    egui::Color32::from_rgb(240, 190, 40),
                    egui::Stroke::NONE,
                ));
            } else if r.phases.phases[i]
                .moments
                .iter()
                .any(|m| r.stops.contains(&m.kind))
            {
                painter.line_segment(
                    [
                        egui::pos2(x(i), s.rect.bottom()),
                        egui::pos2(x(i), s.rect.bottom() + 3.0),
                    ],
                    egui::Stroke::new(2.0, egui::Color32::from_rgb(220, 70, 60)),
                );
            }
        }
        ui.label(format!("Phase {} of {last}", r.shown));
    });
    ui.horizontal(|ui| {
        ui.strong(&label);
        ui.separator();
        ui.label("Stop at:").on_hover_text(
            "Playing stops at a phase with one of these (and at every teacher's note); Previous and Next jump between them (Page Up, Page Down)",
        );
        for kind in MomentKind::ALL {
            let mut on = r.stops.contains(&kind);
            if ui.checkbox(&mut on, kind.plural()).changed() {
                if on {
                    r.stops.push(kind);
                } else {
                    r.stops.retain(|x| *x != kind);
                }
            }
        }
        let prev = r.phases.next_moment(r.shown, false, &r.stops);
        let next = r.phases.next_moment(r.shown, true, &r.stops);
        let b = ui
            .add_enabled(prev.is_some(), egui::Button::new("◀ Previous"))
            .on_hover_text("The previous phase with one of the moments ticked (Page Up)");
        note(controls, "replay previous moment", &b);
        if b.clicked()
            && let Some(k) = prev
        {
            r.want = k;
            r.playing = false;
        }
        let b = ui
            .add_enabled(next.is_some(), egui::Button::new("Next ▶"))
            .on_hover_text("The next phase with one of the moments ticked (Page Down)");
        note(controls, "replay next moment", &b);
        if b.clicked()
            && let Some(k) = next
        {
            r.want = k;
            r.playing = false;
        }
        ui.separator();
        ui.label("View:");
        for (v, name, tip) in [
            (None, "Everything", "Every unit of both sides, whatever either side knew"),
            (
                Some(Side::Soviet),
                "Soviet view",
                "Only what the Soviet side saw at this phase (fog of war)",
            ),
            (
                Some(Side::Japanese),
                "Japanese view",
                "Only what the Japanese side saw at this phase (fog of war)",
            ),
        ] {
            let b = ui.selectable_label(r.view == v, name).on_hover_text(tip);
            note(controls, &format!("view {name}"), &b);
            if b.clicked() {
                r.view = v;
            }
        }
    });
}

fn speed_words(s: f32) -> String {
    if s >= 1.0 {
        format!("{s} phase{} a second", if s == 1.0 { "" } else { "s" })
    } else {
        format!("a phase every {} s", 1.0 / s)
    }
}

/// The right panel while watching: the phase's moments and events, the game's moments
/// (each a click from its phase), and the teacher's note being written. Returns a hex to
/// centre the map on.
pub fn log_panel(
    ui: &mut egui::Ui,
    r: &mut Replay,
    lines: &[(String, Option<Hex>)],
    controls: &mut Vec<(String, [f32; 4])>,
    note: impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) -> Option<Hex> {
    let mut centre = None;
    let (turn, side, label) = {
        let p = &r.phases.phases[r.shown];
        (p.turn, p.side, p.label())
    };
    ui.heading("This phase")
        .on_hover_text("What happened in the phase shown: click a line to centre the map on it");
    ui.label(egui::RichText::new(label).strong());
    egui::ScrollArea::vertical()
        .id_salt("phase events")
        .max_height(ui.available_height() * 0.35)
        .show(ui, |ui| {
            if lines.is_empty() {
                ui.weak("No battles, captures, crises or marches in this phase.");
            }
            for (text, at) in lines {
                let l = ui.add(egui::Label::new(text.as_str()).sense(egui::Sense::click()));
                if l.clicked() {
                    centre = *at;
                }
            }
        });
    ui.separator();
    ui.heading("The game's moments").on_hover_text(
        "The moments of the kinds ticked above, the whole game: click one to go to its phase",
    );
    let mut go = None;
    let mut scrolled = false;
    egui::ScrollArea::vertical()
        .id_salt("game moments")
        .max_height(ui.available_height() * 0.45)
        .show(ui, |ui| {
            let mut any = false;
            for (k, phase) in r.phases.phases.iter().enumerate() {
                // In a side's view, the enemy's fuel and airlifts are what that side did
                // not know: they are left out, as its map leaves out the units it did not see.
                let known = |m: &&crate::rules::phases::Moment| {
                    r.view.is_none_or(|v| {
                        !matches!(m.kind, MomentKind::FuelCrisis | MomentKind::Airlift)
                            || m.side == Some(v)
                    })
                };
                for m in phase
                    .moments
                    .iter()
                    .filter(|m| r.stops.contains(&m.kind))
                    .filter(known)
                {
                    any = true;
                    let text = format!(
                        "T{} {} · {}",
                        phase.turn,
                        phase.side.map_or("", |s| s.name()),
                        m.text
                    );
                    let rich = if k == r.shown {
                        egui::RichText::new(text).strong()
                    } else {
                        egui::RichText::new(text)
                    };
                    let l = ui.add(egui::Label::new(rich).sense(egui::Sense::click()));
                    if l.clicked() {
                        go = Some((k, m.at));
                    }
                    // The list follows the replay: the phase shown is brought into sight
                    // once each time it changes, and may then be scrolled freely.
                    if k == r.shown && r.scrolled_to != Some(k) {
                        l.scroll_to_me(Some(egui::Align::Center));
                        scrolled = true;
                    }
                }
            }
            if !any {
                ui.weak("Tick a kind of moment above to list them here.");
            }
        });
    if scrolled {
        r.scrolled_to = Some(r.shown);
    }
    if let Some((k, at)) = go {
        r.want = k;
        r.playing = false;
        centre = at;
    }
    ui.separator();
    ui.heading("Teacher's note").on_hover_text(format!(
        "Pinned to the phase shown and kept beside the save in {}; shown when the replay reaches it",
        notes_path(&r.path).display()
    ));
    if side.is_none() {
        ui.weak("Step to a phase to pin a note to it.");
        return centre;
    }
    let pinned = r.notes.at(turn, side).is_some();
    let t = ui.add(
        egui::TextEdit::singleline(&mut r.draft_title)
            .hint_text("Title, e.g. Out of fuel at Lubei")
            .desired_width(f32::INFINITY),
    );
    note(controls, "note title", &t);
    let x = ui.add(
        egui::TextEdit::multiline(&mut r.draft_text)
            .hint_text("What the class should see here")
            .desired_rows(4)
            .desired_width(f32::INFINITY),
    );
    note(controls, "note text", &x);
    ui.horizontal(|ui| {
        let b = ui
            .button(if pinned { "Save note" } else { "Pin note" })
            .on_hover_text(format!(
                "Pin the note to turn {}, {} phase",
                turn,
                side.map_or("", |s| s.name())
            ));
        note(controls, "pin note", &b);
        if b.clicked() {
            r.pin();
        }
        if pinned
            && ui
                .button("Remove")
                .on_hover_text("Take the note off this phase")
                .clicked()
        {
            r.draft_title.clear();
            r.draft_text.clear();
            r.pin();
        }
    });
    if let Some(m) = &r.message {
        ui.label(egui::RichText::new(m).italics());
    }
    centre
}

/// The notes of the phase shown, prominently over the top of the map.
pub fn note_window(ctx: &egui::Context, r: &Replay, left: f32, top: f32) -> Option<egui::Response> {
    let notes = r.notes_at(r.shown);
    if notes.is_empty() {
        return None;
    }
    let p = &r.phases.phases[r.shown];
    let shown = egui::Window::new(format!("Teacher's note · turn {}", p.turn))
        .id(egui::Id::new("teacher's note"))
        .collapsible(true)
        .resizable(false)
        .default_width(440.0)
        .fixed_pos([left + 16.0, top + 12.0])
        .frame(
            egui::Frame::window(&ctx.global_style())
                .fill(egui::Color32::from_rgb(255, 246, 213))
                .stroke(egui::Stroke::new(3.0, egui::Color32::from_rgb(217, 164, 0))),
        )
        .show(ctx, |ui| {
            ui.set_max_width(440.0);
            for n in notes {
                ui.label(
                    egui::RichText::new(&n.title)
                        .size(20.0)
                        .strong()
                        .color(egui::Color32::from_rgb(60, 40, 0)),
                );
                ui.label(
                    egui::RichText::new(&n.text)
                        .size(15.0)
                        .color(egui::Color32::from_rgb(40, 30, 10)),
                );
            }
        });
    shown.map(|s| s.response)
}
