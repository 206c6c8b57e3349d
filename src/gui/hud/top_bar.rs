//! The top bar: the date, the turn and the side to move, the cease-fire, the player's
//! objectives, the turn's buttons, the overlay chosen and the hex under the mouse.

use bevy::prelude::*;
use bevy_egui::egui;

use super::view::{Changes, View};
use crate::gui::actions::UiAction;
use crate::gui::lines::date;
use crate::gui::replay::viewer::Replay;
use crate::gui::state::{Mode, Overlay};
use crate::gui::widgets::note;
use crate::model::logistics::*;
use crate::model::*;

pub fn top_bar(
    ui: &mut egui::Ui,
    world: &World,
    view: &View,
    ch: &mut Changes,
    replay: Option<&Replay>,
) {
    ui.horizontal(|ui| {
        when_and_who(ui, world, view, replay);
        objectives(ui, view, replay);
        buttons(ui, view, ch, replay);
        overlay_menu(ui, view, ch);
        hovered_hex(ui, world, view);
    });
}

/// The date, the turn, who moves (or the phase shown, watching a game again), the cease-fire.
fn when_and_who(ui: &mut egui::Ui, world: &World, view: &View, replay: Option<&Replay>) {
    let (cal, launch) = (&view.cal, &view.launch);
    ui.strong(date(&time::iso_local(cal.now())))
        .on_hover_text("Local time in Manchuria (UTC+9)");
    ui.separator();
    ui.label(format!("Turn {} of {}", cal.turn, cal.turns()));
    ui.separator();
    let human = launch.mode.human(cal.active);
    match &replay {
        Some(r) => {
            let p = &r.phases.phases[r.shown];
            ui.label(match p.side {
                Some(s) => format!("After the {s} phase"),
                None => "Before the first move".into(),
            })
            .on_hover_text("Watching a saved game again: the map shows the game as it stood at the end of this phase");
        }
        None => {
            ui.label(format!(
                "{} to move{}",
                cal.active,
                if human { "" } else { " (AI)" }
            ));
        }
    }
    ui.separator();
    let cf = if crate::rules::ceasefire::broadcast_made(world) {
        let reached = world.resource::<CeasefireState>().formations.len();
        format!("Cease-fire broadcast; reached {reached} HQs")
    } else {
        "No cease-fire".to_string()
    };
    ui.label(cf).on_hover_text(
        "The Emperor's broadcast, then the order spreading down the Japanese chain of command",
    );
    ui.separator();
}

/// The player's standing against the scenario's victory conditions (in watch mode, the side
/// to move's).
fn objectives(ui: &mut egui::Ui, view: &View, replay: Option<&Replay>) {
    let (cal, launch, standing) = (&view.cal, &view.launch, &view.standing);
    // The player's standing against the scenario's victory conditions (in watch mode,
    // the side to move's).
    let viewer = match launch.mode {
        Mode::Play(side) => side,
        Mode::Hotseat | Mode::Watch => cal.active,
        Mode::Replay => replay.as_ref().and_then(|r| r.view).unwrap_or(Side::Soviet),
    };
    if let Some(v) = &standing
        && let Some(sv) = v.sides.iter().find(|s| s.side == viewer)
    {
        let lines: Vec<String> = sv
            .objectives
            .iter()
            .map(|j| format!("[{}] {} — {}", j.status.word(), j.text, j.outcome))
            .collect();
        let open = sv
            .objectives
            .iter()
            .filter(|j| j.status == crate::report::victory::Status::Open)
            .count();
        ui.label(if sv.decided {
            format!("{viewer}: {}", sv.level)
        } else {
            let met = sv
                .objectives
                .iter()
                .filter(|j| j.status == crate::report::victory::Status::Met)
                .count();
            format!(
                "{viewer} objectives: {met} of {} met, {open} open",
                sv.objectives.len()
            )
        })
        .on_hover_text(format!(
            "The {} side's objectives, by weight met so far:\n{}",
            viewer.name(),
            lines.join("\n")
        ));
        ui.separator();
    }
}

/// End turn, save, load, help, pause and step, and the side panels folded or shown.
fn buttons(ui: &mut egui::Ui, view: &View, ch: &mut Changes, replay: Option<&Replay>) {
    let (cal, launch) = (&view.cal, &view.launch);
    let human = launch.mode.human(cal.active);
    let (ui_mut, actions) = (&mut ch.ui, &mut ch.actions);
    if replay.is_none() {
        let end = ui
            .add_enabled(human, egui::Button::new("End turn (Enter)"))
            .on_hover_text("Resolve your moves and attacks (Enter)");
        note(&mut ui_mut.controls, "end turn", &end);
        if end.clicked() {
            actions.push(UiAction::EndTurn);
        }
        if ui
            .button("Save")
            .on_hover_text("Save to saves/quicksave.ron (F5)")
            .clicked()
        {
            actions.push(UiAction::Save);
        }
        if ui
            .button("Load")
            .on_hover_text("Load saves/quicksave.ron (F9)")
            .clicked()
        {
            actions.push(UiAction::Load);
        }
    }
    if ui
        .button("Help")
        .on_hover_text("Keys and mouse (H)")
        .clicked()
    {
        ui_mut.help = !ui_mut.help;
    }
    if launch.mode == Mode::Watch {
        let label = if ui_mut.paused { "Resume" } else { "Pause" };
        if ui
            .button(label)
            .on_hover_text("Hold or resume the AI's phases (Space)")
            .clicked()
        {
            ui_mut.paused = !ui_mut.paused;
        }
        if ui
            .add_enabled(ui_mut.paused, egui::Button::new("Step"))
            .on_hover_text("Play one phase (N)")
            .clicked()
        {
            ui_mut.step = true;
        }
    }
    let mut unit_shown = !ui_mut.hide_unit_panel;
    if ui
        .toggle_value(&mut unit_shown, "Unit panel")
        .on_hover_text("Show or fold away the unit panel on the left (Tab)")
        .changed()
    {
        ui_mut.hide_unit_panel = !unit_shown;
    }
    let mut log_shown = !ui_mut.hide_log;
    if ui
        .toggle_value(&mut log_shown, "Log")
        .on_hover_text("Show or fold away the log on the right (L)")
        .changed()
    {
        ui_mut.hide_log = !log_shown;
    }
}

/// The overlay shown.
fn overlay_menu(ui: &mut egui::Ui, view: &View, ch: &mut Changes) {
    let (ui_state, ui_mut) = (&view.ui_state, &mut ch.ui);
    let ov = [
        (Overlay::None, "No overlay"),
        (Overlay::Supply, "Supply (F2)"),
        (Overlay::Fuel, "Fuel (F3)"),
        (Overlay::Readiness, "Readiness (F4)"),
        (Overlay::Airlift, "Airlift reach (F6)"),
        (Overlay::Zoc, "Zones of control (F7)"),
        (Overlay::Control, "Places (F8)"),
        (Overlay::Fog, "Fog of war (F10)"),
    ];
    egui::ComboBox::from_id_salt("overlay")
        .selected_text(ov.iter().find(|o| o.0 == ui_state.overlay).map_or("", |o| o.1))
        .show_ui(ui, |ui| {
            for (o, l) in ov {
                ui.selectable_value(&mut ui_mut.overlay, o, l);
            }
        })
        .response
        .on_hover_text("Overlays: lorry haul per hex, fuel and readiness of units, airlift reach, enemy zones of control, who holds each place");
}

/// The hex under the mouse: terrain and today's weather there.
fn hovered_hex(ui: &mut egui::Ui, world: &World, view: &View) {
    let ui_state = &view.ui_state;
    // The hex under the mouse last, so that its changing width never moves the
    // buttons under a pointer on its way to them.
    if let Some(h) = ui_state.hovered {
        let map = world.resource::<Map>();
        if let Some(c) = map.cell(h) {
            let w = world.resource::<CurrentWeather>().at(map, h);
            ui.separator();
            ui.label(format!(
                "{} · {} · {w}",
                crate::rules::orders::describe_hex(map, h),
                c.terrain
            ))
            .on_hover_text("The hex under the mouse: terrain and today's weather there");
        }
    }
}
