//! The panels over the map while a game is played: the top bar, the unit panel, the log,
//! the replay viewer's bar, help, the briefing and the windows over the map.

pub mod briefing;
pub mod legend;
pub mod unit_panel;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::gui::actions::UiAction;
use crate::gui::camera::MainCamera;
use crate::gui::geom::Geom;
use crate::gui::hud::briefing::briefing_window;
use crate::gui::hud::legend::legend;
use crate::gui::hud::unit_panel::unit_panel;
use crate::gui::lines::{capitalised, date, describe, since_your_turn};
use crate::gui::queries::{airlift_options, fuel_room, landing_options, victory_standing};
use crate::gui::state::{Launch, Mode, Overlay, Started, Ui};
use crate::gui::widgets::{note, root};
use crate::model::logistics::*;
use crate::model::*;
use crate::report::words;

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
    let cal = world.resource::<Calendar>().clone();
    let launch = world.resource::<Launch>().clone();
    let standing = victory_standing(world);
    let ui_state = world.resource::<Ui>().clone();
    if ui_state.ui_scale > 0.0 && (ctx.zoom_factor() - ui_state.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(ui_state.ui_scale);
    }
    let units = crate::rules::movement::snapshot(world);
    // Every unit's name, the surrendered and destroyed too: the log names them.
    let names: BTreeMap<UnitId, String> = world
        .query::<(&UnitId, &UnitName)>()
        .iter(world)
        .map(|(i, n)| (*i, n.0.clone()))
        .collect();
    let mut actions: Vec<UiAction> = Vec::new();
    let mut centre: Option<Hex> = None;
    let mut ui_mut = ui_state.clone();
    ui_mut.controls.clear();
    let selected = ui_state
        .selected
        .and_then(|s| units.iter().find(|u| u.id == s))
        .cloned();
    let lift = match &selected {
        Some(u) if Some(u.side) == ui_state.viewer || ui_state.viewer.is_none() => {
            airlift_options(world, u.id)
        }
        _ => Vec::new(),
    };
    let room = selected.as_ref().map_or(0.0, |u| fuel_room(world, u.id));
    let landings = match &selected {
        Some(u) if Some(u.side) == ui_state.viewer || ui_state.viewer.is_none() => {
            landing_options(world, u.id)
        }
        _ => Vec::new(),
    };
    let explain = match (&selected, ui_state.explain) {
        (Some(u), true) => crate::report::explain::explain_in(world, u.id),
        _ => None,
    };
    // The selected unit's orders this turn, in words: the panel confirms each one.
    let orders: Vec<String> = match &selected {
        Some(u) => {
            let mine: Vec<Order> = world
                .resource::<PendingOrders>()
                .orders
                .iter()
                .filter(|o| match o {
                    Order::Attack { units, .. } => units.contains(&u.id),
                    o => o.unit() == Some(u.id) && !matches!(o, Order::Hold { .. }),
                })
                .cloned()
                .collect();
            mine.iter()
                .map(|o| crate::rules::orders::describe(world, o))
                .collect()
        }
        None => Vec::new(),
    };
    // Watching a game again: the viewer, out of the world while its panels are drawn.
    let mut replay = world.remove_resource::<crate::gui::replay::viewer::Replay>();
    // The lines of the phase shown, as the side viewing would read them.
    let phase_lines: Vec<(bool, (String, Option<Hex>))> = match &replay {
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
                    describe(map, &names, e).map(|d| (moved, d))
                })
                .collect::<Vec<_>>()
        }
        None => Vec::new(),
    };
    // Battles, captures and crises first; the marches after them.
    let phase_lines: Vec<(String, Option<Hex>)> = {
        let mut v = phase_lines;
        v.sort_by_key(|(moved, _)| *moved);
        v.into_iter().map(|(_, d)| d).collect()
    };
    let mut screen = root(&ctx);

    // Top bar: date, side to move, weather, cease-fire.
    let top = egui::Panel::top("top").show(&mut screen, |ui| {
        ui.horizontal(|ui| {
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
            ui.label(cf)
                .on_hover_text("The Emperor's broadcast, then the order spreading down the Japanese chain of command");
            ui.separator();
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
            if replay.is_none() {
                let end = ui
                    .add_enabled(human, egui::Button::new("End turn (Enter)"))
                    .on_hover_text("Resolve your moves and attacks (Enter)");
                note(&mut ui_mut.controls, "end turn", &end);
                if end.clicked() {
                    actions.push(UiAction::EndTurn);
                }
                if ui.button("Save").on_hover_text("Save to saves/quicksave.ron (F5)").clicked() {
                    actions.push(UiAction::Save);
                }
                if ui.button("Load").on_hover_text("Load saves/quicksave.ron (F9)").clicked() {
                    actions.push(UiAction::Load);
                }
            }
            if ui.button("Help").on_hover_text("Keys and mouse (H)").clicked() {
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
        });
    });

    // Watching a game again: the timeline and its controls under the top bar.
    let bar = replay.as_mut().map(|r| {
        egui::Panel::top("replay").show(&mut screen, |ui| {
            crate::gui::replay::timeline::bar(ui, r, &mut ui_mut.controls, note);
        })
    });

    // Left: the selected unit (folded away with the top bar's button or Tab).
    let left = (!ui_state.hide_unit_panel).then(|| {
        egui::Panel::left("unit")
        .resizable(true)
        .default_size(290.0)
        .size_range(220.0..=520.0)
        .show(&mut screen, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                unit_panel(
                    ui,
                    world,
                    &ui_state,
                    &mut ui_mut,
                    selected.as_ref(),
                    &units,
                    &lift,
                    room,
                    &landings,
                    &mut actions,
                );
                if !orders.is_empty() {
                    ui.separator();
                    ui.strong("Orders this turn").on_hover_text(
                        "Carried out when you end the turn; right-click elsewhere to change the march, U to cancel",
                    );
                    for o in &orders {
                        ui.label(format!("• {}", capitalised(o)));
                    }
                }
            });
        })
    });

    // Right: the turn log, newest first; click a line to centre the map on it. Watching a
    // game again: the phase's events, the game's moments and the teacher's note.
    let right = match replay.as_mut() {
        Some(r) if !ui_state.hide_log => Some(
            egui::Panel::right("log")
                .resizable(true)
                .default_size(340.0)
                .size_range(240.0..=620.0)
                .show(&mut screen, |ui| {
                    if let Some(h) = crate::gui::replay::log::log_panel(
                        ui,
                        r,
                        &phase_lines,
                        &mut ui_mut.controls,
                        note,
                    ) {
                        centre = Some(h);
                    }
                }),
        ),
        Some(_) => None,
        None => (!ui_state.hide_log).then(|| {
            egui::Panel::right("log")
                .resizable(true)
                .default_size(280.0)
                .size_range(200.0..=560.0)
                .show(&mut screen, |ui| {
                    ui.heading("Log")
                        .on_hover_text("Newest first; click a line to centre the map on it");
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let map = world.resource::<Map>();
                        let events = &world.resource::<EventLog>().events;
                        let viewer = ui_state.viewer;
                        let side_of: BTreeMap<UnitId, Side> =
                            units.iter().map(|u| (u.id, u.side)).collect();
                        let own = |u: &UnitId| viewer.is_none_or(|v| side_of.get(u) == Some(&v));
                        // A player reads of his own units' marches, supply and fuel, not the enemy's.
                        // Watching both sides, the marches would flood the log: it keeps to
                        // battles, captures and crises.
                        let watching = launch.mode == Mode::Watch;
                        let shown = events.iter().rev().filter(|e| match &e.event {
                            GameEvent::UnitMoved { .. } if watching => false,
                            GameEvent::UnitMoved { unit, .. }
                            | GameEvent::SupplyCut { unit, .. }
                            | GameEvent::FuelExhausted { unit, .. }
                            | GameEvent::AirliftDelivered { unit, .. }
                            | GameEvent::FuelHandedOver { to: unit, .. } => own(unit),
                            GameEvent::OrderRejected { side, .. } => {
                                viewer.is_none_or(|v| v == *side)
                            }
                            _ => true,
                        });
                        for e in shown
                            .filter_map(|e| describe(map, &names, e).map(|d| (e.time.clone(), d)))
                            .take(300)
                        {
                            let (t, (text, at)) = e;
                            let r = ui.add(
                                egui::Label::new(format!("{} · {text}", date(&t)))
                                    .sense(egui::Sense::click()),
                            );
                            if r.clicked() {
                                centre = at;
                            }
                        }
                    });
                })
        }),
    };
    // The teacher's note of the phase shown, over the top left of the map.
    if let Some(r) = &replay {
        let left_w = left.as_ref().map_or(0.0, |l| l.response.rect.width());
        let top_h =
            top.response.rect.height() + bar.as_ref().map_or(0.0, |b| b.response.rect.height());
        if let Some(w) = crate::gui::replay::log::note_window(&ctx, r, left_w, top_h) {
            note(&mut ui_mut.controls, "teacher's note", &w);
        }
    }

    if let (Some(u), Some(text)) = (&selected, explain) {
        let mut open = ui_mut.explain;
        let shown = egui::Window::new(format!("Logistics of {}", u.name))
            .default_pos([320.0, 80.0])
            .default_size([520.0, 420.0])
            .open(&mut open)
            .show(&ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.label(text);
                });
            });
        ui_mut.explain = open;
        if let Some(w) = shown {
            note(&mut ui_mut.controls, "explain window", &w.response);
        }
    }

    if ui_state.briefing {
        briefing_window(
            &ctx,
            world,
            &launch,
            &mut ui_mut.briefing,
            &mut ui_mut.controls,
        );
    }
    if ui_state.help {
        egui::Window::new("Help").default_pos([400.0, 120.0]).open(&mut ui_mut.help).show(&ctx, |ui| {
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
            });
        });
    }
    legend(&ctx, &ui_state, replay.is_some());
    // Since your last turn: the battles, captures and surrenders of the other side's phase
    // and of the end of the player's own, each a click away from its place.
    let since_lines: Vec<(String, Option<Hex>)> =
        match (ui_state.viewer, launch.mode.human(cal.active)) {
            (Some(v), true) if v == cal.active => {
                let from = ui_state.since[crate::model::intel::side_index(v)];
                let map = world.resource::<Map>();
                from.map(|i| since_your_turn(map, &names, &world.resource::<EventLog>().events, i))
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
    if ui_state.show_since && !since_lines.is_empty() {
        let mut open = true;
        egui::Window::new("Since your last turn")
            .default_pos([320.0, 60.0])
            .default_size([460.0, 300.0])
            .open(&mut open)
            .show(&ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (text, at) in &since_lines {
                            let r = ui.add(egui::Label::new(text).sense(egui::Sense::click()));
                            if r.clicked() && at.is_some() {
                                centre = *at;
                            }
                        }
                    });
            });
        if !open {
            ui_mut.show_since = false;
        }
    }
    // Names of the units under the pointer, beside it.
    let estimates = world
        .get_resource::<crate::gui::overlay::OverlayData>()
        .map(|d| d.estimates.clone())
        .unwrap_or_default();
    let here: Vec<String> = match ui_state.hovered {
        None => Vec::new(),
        Some(h) => units
            .iter()
            .filter(|u| u.hex == h)
            .filter(|u| {
                Some(u.side) == ui_state.viewer
                    || ui_state.visible.as_ref().is_none_or(|v| v.contains(&u.id))
            })
            .map(|u| {
                let enemy =
                    ui_state.viewer.is_some_and(|v| v != u.side) && ui_state.visible.is_some();
                if !enemy {
                    return format!(
                        "{} ({}, {} men)",
                        u.name,
                        u.side,
                        words::thousands(u.strength.men)
                    );
                }
                // Under fog, only what the viewer's intelligence estimates.
                match estimates.get(&u.id) {
                    Some((men, _)) => format!(
                        "{} ({}, about {} men by our estimate)",
                        u.name,
                        u.side,
                        words::thousands(*men)
                    ),
                    None => format!("{} ({}, strength unknown)", u.name, u.side),
                }
            })
            .collect(),
    };
    if let Some(pos) = ctx.pointer_hover_pos()
        && ui_state.pointer_on_map
        && !here.is_empty()
    {
        egui::Area::new(egui::Id::new("hover-units"))
            .fixed_pos(pos + egui::vec2(18.0, 18.0))
            .interactable(false)
            .show(&ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    for n in &here {
                        ui.label(n);
                    }
                });
            });
    }
    let now = world.resource::<Time>().elapsed_secs_f64();
    if let Some((msg, until)) = &ui_state.toast
        && now < *until
    {
        egui::Area::new(egui::Id::new("toast"))
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -30.0])
            .show(&ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new(msg).size(15.0));
                });
            });
    }
    {
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
        // In window pixels: egui's points are scaled by the text size chosen (Ctrl +/-).
        let z = ctx.zoom_factor();
        ui_res.margins = [
            left.map_or(0.0, |l| l.response.rect.width() * z),
            right.map_or(0.0, |r| r.response.rect.width() * z),
            (top.response.rect.height() + bar.map_or(0.0, |b| b.response.rect.height())) * z,
        ];
        ui_res.hide_unit_panel = ui_mut.hide_unit_panel;
        ui_res.hide_log = ui_mut.hide_log;
        if ui_mut.selected != ui_state.selected {
            ui_res.selected = ui_mut.selected;
        }
    }
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
