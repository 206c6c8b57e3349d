//! The replay viewer's log of the phase shown and of the game's moments, and the teacher's
//! note over the map.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::gui::replay::viewer::Replay;
use crate::model::*;
use crate::rules::phases::MomentKind;
use crate::scenario::notes::notes_path;

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
