//! The replay viewer's timeline: the phase shown, its buttons, speed and stops.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::gui::replay::viewer::{Replay, SPEEDS};
use crate::model::*;
use crate::rules::phases::MomentKind;

/// The replay's bar under the top bar: the timeline, stepping, playing, the stops and the
/// view. Returns the phase a click asked for, if any.
pub fn bar(
    ui: &mut egui::Ui,
    r: &mut Replay,
    controls: &mut Vec<(String, [f32; 4])>,
    note: impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) {
    let label = r.phases.phases[r.shown].label();
    ui.horizontal(|ui| {
        steps(ui, r, controls, &note);
        timeline(ui, r, &label, controls, &note);
    });
    ui.horizontal(|ui| stops_and_view(ui, r, &label, controls, &note));
}

/// Back to the start, a phase back, play or hold, a phase on, and to where the save stands.
fn steps(
    ui: &mut egui::Ui,
    r: &mut Replay,
    controls: &mut Vec<(String, [f32; 4])>,
    note: &impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) {
    let last = r.last();
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
}

/// The timeline: one stop a phase, the notes marked in gold above it.
fn timeline(
    ui: &mut egui::Ui,
    r: &mut Replay,
    label: &str,
    controls: &mut Vec<(String, [f32; 4])>,
    note: &impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) {
    let last = r.last();
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
}

/// The phase shown, the kinds of moment playing stops at, and whose view the map shows.
fn stops_and_view(
    ui: &mut egui::Ui,
    r: &mut Replay,
    label: &str,
    controls: &mut Vec<(String, [f32; 4])>,
    note: &impl Fn(&mut Vec<(String, [f32; 4])>, &str, &egui::Response),
) {
    ui.strong(label);
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
        (
            None,
            "Everything",
            "Every unit of both sides, whatever either side knew",
        ),
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
}

fn speed_words(s: f32) -> String {
    if s >= 1.0 {
        format!("{s} phase{} a second", if s == 1.0 { "" } else { "s" })
    } else {
        format!("a phase every {} s", 1.0 / s)
    }
}
