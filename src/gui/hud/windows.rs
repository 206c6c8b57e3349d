//! The windows over the map while a game is played: the selected unit's logistics
//! explained, help and the map key, and what happened since the player's last turn.

use bevy::prelude::*;
use bevy_egui::egui;

use super::view::{Changes, View};
use crate::gui::lines::since_your_turn;
use crate::gui::state::Mode;
use crate::gui::widgets::note;
use crate::model::*;

/// The selected unit's logistics explained (E), as `explain` gives them.
pub fn explain_window(ctx: &egui::Context, view: &View, ch: &mut Changes) {
    let ui_mut = &mut ch.ui;
    let (Some(u), Some(text)) = (&view.selected, &view.explain) else {
        return;
    };
    let text = text.as_str();
    let mut open = ui_mut.explain;
    let shown = egui::Window::new(format!("Logistics of {}", u.name))
        .default_pos([320.0, 80.0])
        .default_size([520.0, 420.0])
        .open(&mut open)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.label(text);
            });
        });
    ui_mut.explain = open;
    if let Some(w) = shown {
        note(&mut ui_mut.controls, "explain window", &w.response);
    }
}

/// Keys and mouse (H), and the map key.
pub fn help_window(ctx: &egui::Context, launch: &crate::gui::state::Launch, open: &mut bool) {
    egui::Window::new("Help").default_pos([400.0, 120.0]).open(open).show(ctx, |ui| {
        egui::Grid::new("keys").striped(true).show(ui, |ui| {
            if launch.mode == Mode::Replay {
                for (k, what) in [
                    ("Left / Right arrow", "watching a game again: one phase back / on"),
                    ("Space", "play the phases one after another, or hold"),
                    ("Page Up / Page Down", "the previous / next phase with a moment ticked under Stop at"),
                    ("Ctrl+Home / Ctrl+End", "the start / where the save stands"),
                    ("Timeline", "drag or click to go to any phase; gold marks are teacher's notes"),
                    ("Log on the right", "click a moment to go to its phase, a line to centre the map"),
                ] {
                    ui.strong(k);
                    ui.label(what);
                    ui.end_row();
                }
            }
            for (k, what) in [
                ("Left click", "select a unit (click again to cycle through a stack)"),
                ("Right click", "march the selected unit there, or prepare an attack on an enemy hex"),
                ("Hover", "with a unit selected: its route, turns, fuel and zones of control"),
                ("T", "commit the prepared attack"),
                ("U / Backspace", "cancel the selected unit's orders this turn (undo)"),
                ("Enter", "end your turn"),
                ("Arrows / WASD, middle drag", "pan the map"),
                ("Wheel, + / -", "zoom (the wheel about the pointer); Home shows the whole theatre"),
                ("F2 F3 F4 F6 F7 F8", "overlays: supply, fuel, readiness, airlift reach, zones of control, places, fog of war (F10)"),
                ("E", "the selected unit's logistics explained"),
                ("F5 / F9", "save / load the quick save"),
                ("Ctrl + / Ctrl -", "larger / smaller text and panels"),
                ("Esc", "clear the selection"),
                ("Tab / L", "fold away or show the unit panel / the log"),
                ("Space / N", "watching the AI: pause or resume / one phase"),
                ("H or F1", "this help"),
                ("B", "the scenario's briefing: the situation, what to watch, your objectives"),
            ] {
                ui.strong(k);
                ui.label(what);
                ui.end_row();
            }
        });
        ui.separator();
        ui.strong("On the map");
        egui::Grid::new("map key").num_columns(2).show(ui, |ui| {
            for (c, what) in crate::gui::ink::KEY {
                let col = egui::Color32::from_rgb(
                    (c[0] * 255.0) as u8,
                    (c[1] * 255.0) as u8,
                    (c[2] * 255.0) as u8,
                );
                // A stroke of the line on the map's light ground, as it is seen there.
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(44.0, 14.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, egui::Color32::from_rgb(215, 205, 165));
                ui.painter().line_segment(
                    [rect.left_center() + egui::vec2(4.0, 0.0), rect.right_center() - egui::vec2(4.0, 0.0)],
                    egui::Stroke::new(3.0, col),
                );
                ui.label(what);
                ui.end_row();
            }
            ui.label("Larger names");
            ui.label("the places that matter most, named at every zoom; towns are named close up");
            ui.end_row();
            ui.label("Counters");
            ui.label("zoomed in, a division or brigade: its NATO symbol, size mark (XXX corps, XX division, X brigade), green strength bar and amber fuel bar");
            ui.end_row();
            ui.label("Large counters");
            ui.label("zoomed out, an army (XXXX) where its units stand together, with its men in thousands, the amber bar its fuel and a black corner where any of its units is out of supply; hover it for the army, zoom in for its divisions");
            ui.end_row();
        });
    });
}

/// Since your last turn: the battles, captures and surrenders of the other side's phase and
/// of the end of the player's own, each a click away from its place.
pub fn since_lines(world: &World, view: &View) -> Vec<(String, Option<Hex>)> {
    let (cal, launch, ui_state, names) = (&view.cal, &view.launch, &view.ui_state, &view.names);
    match (ui_state.viewer, launch.mode.human(cal.active)) {
        (Some(v), true) if v == cal.active => {
            let from = ui_state.since[crate::model::intel::side_index(v)];
            let map = world.resource::<Map>();
            from.map(|i| since_your_turn(map, names, &world.resource::<EventLog>().events, i))
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// The since-your-last-turn window, while it is open and has lines.
pub fn since_window(
    ctx: &egui::Context,
    since_lines: &[(String, Option<Hex>)],
    show: &mut bool,
    centre: &mut Option<Hex>,
) {
    if !*show || since_lines.is_empty() {
        return;
    }
    let mut open = true;
    egui::Window::new("Since your last turn")
        .default_pos([320.0, 60.0])
        .default_size([460.0, 300.0])
        .open(&mut open)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for (text, at) in since_lines {
                        let r = ui.add(egui::Label::new(text).sense(egui::Sense::click()));
                        if r.clicked() && at.is_some() {
                            *centre = *at;
                        }
                    }
                });
        });
    if !open {
        *show = false;
    }
}
