//! The panels over the map while a game is played: the top bar, the unit panel, the log,
//! the replay viewer's bar, help, the briefing and the windows over the map.

pub mod briefing;
pub mod hover;
pub mod legend;
pub mod log;
pub mod top_bar;
pub mod unit_panel;
pub mod view;
pub mod windows;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use self::briefing::briefing_window;
use self::legend::legend;
use self::unit_panel::unit_panel;
use self::view::{Changes, View};
use crate::gui::camera::MainCamera;
use crate::gui::geom::Geom;
use crate::gui::lines::{capitalised, describe};
use crate::gui::state::{Started, Ui};
use crate::gui::widgets::{note, root};
use crate::model::*;

/// The panels over the map, drawn each frame while a game is played: what they read is
/// gathered first, what the player changed in them is written back last.
pub fn game_panels(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let mut state = bevy::ecs::system::SystemState::<EguiContexts>::new(world);
    let ctx = {
        let Ok(mut contexts) = state.get_mut(world) else {
            return;
        };
        match contexts.ctx_mut() {
            Ok(c) => c.clone(),
            Err(_) => return,
        }
    };
    let view = View::gather(world);
    let ui_state = &view.ui_state;
    if ui_state.ui_scale > 0.0 && (ctx.zoom_factor() - ui_state.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(ui_state.ui_scale);
    }
    let mut ch = Changes {
        ui: ui_state.clone(),
        actions: Vec::new(),
        centre: None,
    };
    ch.ui.controls.clear();
    // Watching a game again: the viewer, out of the world while its panels are drawn.
    let mut replay = world.remove_resource::<crate::gui::replay::viewer::Replay>();
    let phase_lines = phase_lines(world, &view.names, replay.as_ref());
    let mut screen = root(&ctx);

    // Top bar: date, side to move, weather, cease-fire.
    let top = egui::Panel::top("top").show(&mut screen, |ui| {
        top_bar::top_bar(ui, world, &view, &mut ch, replay.as_ref());
    });

    // Watching a game again: the timeline and its controls under the top bar.
    let bar = replay.as_mut().map(|r| {
        egui::Panel::top("replay").show(&mut screen, |ui| {
            crate::gui::replay::timeline::bar(ui, r, &mut ch.ui.controls, note);
        })
    });

    // Left: the selected unit (folded away with the top bar's button or Tab).
    let left = unit_panel_left(&mut screen, world, &view, &mut ch);

    // Right: the turn log, newest first; click a line to centre the map on it. Watching a
    // game again: the phase's events, the game's moments and the teacher's note.
    let right = log_right(
        &mut screen,
        world,
        &view,
        &mut ch,
        replay.as_mut(),
        &phase_lines,
    );
    // The teacher's note of the phase shown, over the top left of the map.
    if let Some(r) = &replay {
        let left_w = left.as_ref().map_or(0.0, |l| l.response.rect.width());
        let top_h =
            top.response.rect.height() + bar.as_ref().map_or(0.0, |b| b.response.rect.height());
        if let Some(w) = crate::gui::replay::log::note_window(&ctx, r, left_w, top_h) {
            note(&mut ch.ui.controls, "teacher's note", &w);
        }
    }

    windows::explain_window(&ctx, &view, &mut ch);
    if ui_state.briefing {
        briefing_window(
            &ctx,
            world,
            &view.launch,
            &mut ch.ui.briefing,
            &mut ch.ui.controls,
        );
    }
    if ui_state.help {
        windows::help_window(&ctx, &view.launch, &mut ch.ui.help);
    }
    legend(&ctx, ui_state, replay.is_some());
    let since_lines = windows::since_lines(world, &view);
    windows::since_window(&ctx, &since_lines, &mut ch.ui.show_since, &mut ch.centre);
    let here = hover::hover_units(world, &view);
    hover::hover_box(&ctx, &view, &here);
    hover::toast_box(&ctx, world, &view);
    // In window pixels: egui's points are scaled by the text size chosen (Ctrl +/-).
    let z = ctx.zoom_factor();
    let margins = [
        left.map_or(0.0, |l| l.response.rect.width() * z),
        right.map_or(0.0, |r| r.response.rect.width() * z),
        (top.response.rect.height() + bar.map_or(0.0, |b| b.response.rect.height())) * z,
    ];
    let Changes {
        ui: mut ui_mut,
        actions,
        centre,
    } = ch;
    write_back(world, &view, &mut ui_mut, since_lines, here, margins);
    if let Some(r) = replay {
        world.insert_resource(r);
    }
    for a in actions {
        world.write_message(a);
    }
    if let Some(h) = centre
        && let Some(geom) = world.get_resource::<Geom>().copied()
    {
        let mut q = world.query_filtered::<&mut Transform, With<MainCamera>>();
        if let Ok(mut t) = q.single_mut(world) {
            let c = geom.center(h);
            t.translation.x = c.x;
            t.translation.y = c.y;
        }
    }
    state.apply(world);
}

/// The lines of the phase shown, as the side viewing would read them: battles, captures and
/// crises first, the marches after them.
fn phase_lines(
    world: &World,
    names: &BTreeMap<UnitId, String>,
    replay: Option<&crate::gui::replay::viewer::Replay>,
) -> Vec<(String, Option<Hex>)> {
    let phase_lines: Vec<(bool, (String, Option<Hex>))> = match replay {
        Some(r) => {
            let map = world.resource::<Map>();
            let own = |u: &UnitId| r.view.is_none_or(|v| r.phases.sides.get(u) == Some(&v));
            r.phases
                .events_of(r.shown)
                .iter()
                .filter(|e| match &e.event {
                    GameEvent::UnitMoved { unit, .. }
                    | GameEvent::SupplyCut { unit, .. }
                    | GameEvent::FuelExhausted { unit, .. }
                    | GameEvent::AirliftDelivered { unit, .. }
                    | GameEvent::FuelHandedOver { to: unit, .. } => own(unit),
                    GameEvent::OrderRejected { side, .. } => r.view.is_none_or(|v| v == *side),
                    _ => true,
                })
                .filter_map(|e| {
                    let moved = matches!(e.event, GameEvent::UnitMoved { .. });
                    describe(map, names, e).map(|d| (moved, d))
                })
                .collect::<Vec<_>>()
        }
        None => Vec::new(),
    };
    // Battles, captures and crises first; the marches after them.
    let mut v = phase_lines;
    v.sort_by_key(|(moved, _)| *moved);
    v.into_iter().map(|(_, d)| d).collect()
}

/// The unit panel on the left, and the selected unit's orders this turn.
fn unit_side(ui: &mut egui::Ui, world: &World, view: &View, ch: &mut Changes) {
    unit_panel(ui, world, view, ch);
    let orders = &view.orders;
    if !orders.is_empty() {
        ui.separator();
        ui.strong("Orders this turn").on_hover_text(
            "Carried out when you end the turn; right-click elsewhere to change the march, U to cancel",
        );
        for o in orders {
            ui.label(format!("• {}", capitalised(o)));
        }
    }
}

/// The player's choices made in the panels, written back to the window's state (each field
/// only when it changed, so that nothing watching the state is woken for nothing).
fn write_back(
    world: &mut World,
    view: &View,
    ui_mut: &mut Ui,
    since_lines: Vec<(String, Option<Hex>)>,
    here: Vec<String>,
    margins: [f32; 3],
) {
    let ui_state = &view.ui_state;
    let mut ui_res = world.resource_mut::<Ui>();
    ui_res.help = ui_mut.help;
    ui_res.briefing = ui_mut.briefing;
    ui_res.overlay = ui_mut.overlay;
    ui_res.explain = ui_mut.explain;
    ui_res.airlift_tons = ui_mut.airlift_tons;
    ui_res.show_since = ui_mut.show_since;
    ui_res.paused = ui_mut.paused;
    if ui_mut.step {
        ui_res.step = true;
    }
    let lines: Vec<String> = since_lines.into_iter().map(|(t, _)| t).collect();
    if ui_res.since_lines != lines {
        ui_res.since_lines = lines;
    }
    if ui_res.hover_text != here {
        ui_res.hover_text = here;
    }
    if ui_res.controls != ui_mut.controls {
        ui_res.controls = std::mem::take(&mut ui_mut.controls);
    }
    ui_res.margins = margins;
    ui_res.hide_unit_panel = ui_mut.hide_unit_panel;
    ui_res.hide_log = ui_mut.hide_log;
    if ui_mut.selected != ui_state.selected {
        ui_res.selected = ui_mut.selected;
    }
}

/// The unit panel on the left, unless folded away (the top bar's button or Tab).
fn unit_panel_left(
    screen: &mut egui::Ui,
    world: &World,
    view: &View,
    ch: &mut Changes,
) -> Option<egui::InnerResponse<()>> {
    (!view.ui_state.hide_unit_panel).then(|| {
        egui::Panel::left("unit")
            .resizable(true)
            .default_size(290.0)
            .size_range(220.0..=520.0)
            .show(screen, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    unit_side(ui, world, view, ch);
                });
            })
    })
}

/// The log on the right, unless folded away (L): the turn's events, or watching a game
/// again, the phase's events, the game's moments and the teacher's note.
fn log_right(
    screen: &mut egui::Ui,
    world: &World,
    view: &View,
    ch: &mut Changes,
    replay: Option<&mut crate::gui::replay::viewer::Replay>,
    phase_lines: &[(String, Option<Hex>)],
) -> Option<egui::InnerResponse<()>> {
    match replay {
        Some(r) if !view.ui_state.hide_log => Some(
            egui::Panel::right("log")
                .resizable(true)
                .default_size(340.0)
                .size_range(240.0..=620.0)
                .show(screen, |ui| {
                    if let Some(h) = crate::gui::replay::log::log_panel(
                        ui,
                        r,
                        phase_lines,
                        &mut ch.ui.controls,
                        note,
                    ) {
                        ch.centre = Some(h);
                    }
                }),
        ),
        Some(_) => None,
        None => (!view.ui_state.hide_log).then(|| {
            egui::Panel::right("log")
                .resizable(true)
                .default_size(280.0)
                .size_range(200.0..=560.0)
                .show(screen, |ui| {
                    log::game_log(ui, world, view, &mut ch.centre);
                })
        }),
    }
}
