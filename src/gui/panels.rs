//! Panels in egui: the title and side choice, the top bar (date, weather, cease-fire), the
//! selected unit with its logistics explained, the turn log, attack odds, help, the hand-over
//! screen between hotseat players and the debrief.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::input::{MainCamera, UiAction};
use super::map::{Geom, Started};
use super::{Launch, Mode, Overlay, Screen, Ui};
use crate::model::logistics::*;
use crate::model::*;
use crate::rules::movement::UnitView;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        title.run_if(in_state(Screen::Title)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        handover.run_if(in_state(Screen::Handover)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        (debrief,).run_if(in_state(Screen::Debrief)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        game_panels.run_if(in_state(Screen::Playing)),
    )
    .add_systems(Startup, skip_title);
}

fn skip_title(launch: Res<Launch>, mut next: ResMut<NextState<Screen>>, mut commands: Commands) {
    if launch.skip_title {
        next.set(Screen::Playing);
    } else {
        commands.spawn(Camera2d);
    }
}

/// Odds of an attack by these units on a hex, for the preview.
pub fn preview_odds(world: &mut World, group: &[UnitView], target: Hex) -> f64 {
    let units = crate::rules::movement::snapshot(world);
    let defenders: Vec<UnitView> = units
        .iter()
        .filter(|u| u.hex == target && u.side != group[0].side)
        .cloned()
        .collect();
    let surprise = crate::rules::combat::in_surprise(world);
    let with: Vec<(UnitView, f64)> = group.iter().map(|u| (u.clone(), 1.0)).collect();
    crate::rules::combat::odds(
        &world.resource::<crate::scenario::spawn::Rules>().0,
        world.resource::<Map>(),
        world.resource::<CurrentWeather>(),
        world.resource::<OrderOfBattle>(),
        &with,
        &defenders,
        target,
        surprise,
    )
    .ratio
}

/// An airlift order for a unit from the nearest base of a fleet of its side in reach.
pub fn airlift_order(world: &mut World, unit: UnitId, tons: f64) -> Option<Order> {
    let units = crate::rules::movement::snapshot(world);
    let u = units.iter().find(|u| u.id == unit)?;
    let map = world.resource::<Map>();
    let control = world.resource::<Control>();
    let here = map.center(u.hex);
    world
        .resource::<AirTransport>()
        .fleets
        .iter()
        .filter(|f| f.side == u.side && f.aircraft > 0)
        .flat_map(|f| f.bases.iter().map(move |b| (f, *b)))
        .filter(|(_, b)| control.owner[b.0 as usize] == Some(u.side))
        .map(|(f, b)| (f, b, map.place(b).at.distance_km(here)))
        .filter(|(f, _, d)| *d <= f.range_km)
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(f, b, _)| Order::Airlift {
            air_army: f.formation,
            base: b,
            to: unit,
            cargo: Cargo::Fuel,
            tons,
        })
}

/// A Ui covering the whole window, for panels to be laid out in.
fn root(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

fn title(
    mut contexts: EguiContexts,
    mut launch: ResMut<Launch>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(30.0);
            ui.heading(egui::RichText::new("AUGUST STORM").size(40.0).strong());
            ui.label(
                egui::RichText::new(
                    "The Soviet invasion of Manchuria, 9 August – 2 September 1945",
                )
                .size(18.0),
            );
            ui.add_space(20.0);
            ui.label("Scenario");
            for (path, name) in [
                (
                    "scenarios/august_storm_1945.ron",
                    "The historical campaign (three fronts, 9 Aug – 2 Sep)",
                ),
                (
                    "scenarios/across_the_khingan.ron",
                    "Teaching: Across the Khingan (6th Guards Tank Army, 9–16 Aug)",
                ),
            ] {
                let on = launch.scenario == std::path::Path::new(path);
                if ui.selectable_label(on, name).on_hover_text(path).clicked() {
                    launch.scenario = path.into();
                }
            }
            ui.add_space(16.0);
            ui.label("Side");
            for (m, name, tip) in [
                (
                    Mode::Play(Side::Soviet),
                    "Soviet against the AI",
                    "Command the three fronts",
                ),
                (
                    Mode::Play(Side::Japanese),
                    "Japanese against the AI",
                    "Command the Kwantung Army",
                ),
                (
                    Mode::Hotseat,
                    "Two players, hotseat",
                    "Hand the screen over between sides",
                ),
                (
                    Mode::Watch,
                    "Watch: AI against AI",
                    "Both sides played by the AI",
                ),
            ] {
                if ui
                    .selectable_label(launch.mode == m, name)
                    .on_hover_text(tip)
                    .clicked()
                {
                    launch.mode = m;
                }
            }
            ui.add_space(24.0);
            if ui
                .button(egui::RichText::new("  Start  ").size(22.0))
                .on_hover_text("Open the map")
                .clicked()
            {
                next.set(Screen::Playing);
            }
            ui.add_space(12.0);
            ui.label("What-ifs, batch analysis and reports: see `august-storm --help`.");
        });
    });
    Ok(())
}

fn handover(
    mut contexts: EguiContexts,
    cal: Option<Res<Calendar>>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let side = cal.map(|c| c.active);
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(200.0);
            ui.heading(format!(
                "Hand over to the {:?} player",
                side.unwrap_or(Side::Soviet)
            ));
            ui.label("The map is hidden so that neither side sees the other's orders.");
            if ui.button("I am ready").clicked() {
                next.set(Screen::Playing);
            }
        });
    });
    Ok(())
}

fn date(iso: &str) -> String {
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = iso.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    let d: u32 = iso.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(1);
    format!(
        "{d} {} 1945, {}",
        months[m.saturating_sub(1).min(11)],
        iso.get(11..16).unwrap_or("")
    )
}

/// An event in plain words, and where it happened.
fn describe(
    world: &World,
    names: &std::collections::BTreeMap<UnitId, String>,
    e: &LoggedEvent,
) -> Option<(String, Option<Hex>)> {
    let n = |u: &UnitId| names.get(u).cloned().unwrap_or_default();
    let map = world.resource::<Map>();
    Some(match &e.event {
        GameEvent::UnitMoved {
            unit,
            to,
            km,
            fuel_used_t,
            ..
        } => (
            format!(
                "{} marched {km:.0} km ({fuel_used_t:.0} t of fuel)",
                n(unit)
            ),
            Some(*to),
        ),
        GameEvent::PlaceCaptured { name, by, to, .. } => (
            format!("{name} taken by {} ({to:?})", n(by)),
            map.place_named(name).map(|p| p.hex),
        ),
        GameEvent::Battle {
            target,
            result,
            odds,
            attacker_losses,
            defender_losses,
            ..
        } => (
            format!(
                "Battle at {}: {result:?} at odds {odds:.1}; attackers lost {} killed, defenders {}",
                crate::rules::orders::describe_hex(map, *target),
                attacker_losses.killed,
                defender_losses.killed
            ),
            Some(*target),
        ),
        GameEvent::UnitSurrendered {
            unit,
            men,
            at,
            reason,
        } => (
            format!("{} surrendered ({men} men, {reason:?})", n(unit)),
            Some(*at),
        ),
        GameEvent::AirliftDelivered {
            unit, tons, base, ..
        } => (
            format!("{tons:.0} t flown from {base} to {}", n(unit)),
            None,
        ),
        GameEvent::FuelExhausted { unit, at } => {
            (format!("{} ran out of fuel", n(unit)), Some(*at))
        }
        GameEvent::SupplyCut { unit, at } => {
            (format!("{} is cut off from supply", n(unit)), Some(*at))
        }
        GameEvent::OrderRejected { order, reason, .. } => {
            (format!("Refused: {order}: {reason}"), None)
        }
        GameEvent::CeasefireReached { formation } => {
            (format!("The cease-fire order reached {formation}"), None)
        }
        GameEvent::DepotCaptured {
            depot, by, fuel_t, ..
        } => (
            format!("{depot} captured by the {by:?} side ({fuel_t:.0} t of fuel)"),
            None,
        ),
        GameEvent::UnitRetreated { unit, to, .. } => (format!("{} fell back", n(unit)), Some(*to)),
        GameEvent::CampaignEnded => ("The campaign is over".into(), None),
        _ => return None,
    })
}

fn game_panels(world: &mut World) {
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
    let ui_state = world.resource::<Ui>().clone();
    let units = crate::rules::movement::snapshot(world);
    let names: std::collections::BTreeMap<UnitId, String> =
        units.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut actions: Vec<UiAction> = Vec::new();
    let mut centre: Option<Hex> = None;
    let mut ui_mut = ui_state.clone();

    // Top bar: date, side to move, weather, cease-fire.
    let mut screen = root(&ctx);
    egui::Panel::top("top").show(&mut screen, |ui| {
        ui.horizontal(|ui| {
            ui.strong(date(&time::iso_local(cal.now())));
            ui.separator();
            ui.label(format!("Turn {} of {}", cal.turn, cal.turns()));
            ui.separator();
            let human = launch.mode.human(cal.active);
            ui.label(format!("{:?} to move{}", cal.active, if human { "" } else { " (AI)" }));
            ui.separator();
            if let Some(h) = ui_state.hovered {
                let map = world.resource::<Map>();
                if let Some(c) = map.cell(h) {
                    let w = world.resource::<CurrentWeather>().at(map, h);
                    ui.label(format!("{} · {:?} · {w:?}", crate::rules::orders::describe_hex(map, h), c.terrain))
                        .on_hover_text("The hex under the mouse: terrain and weather");
                }
            }
            ui.separator();
            let cf = if crate::rules::ceasefire::broadcast_made(world) { "Emperor's broadcast made" } else { "no cease-fire" };
            ui.label(cf).on_hover_text("The cease-fire spreads down the Japanese chain of command");
            ui.separator();
            if ui.button("End turn ⏎").on_hover_text("Resolve your moves and attacks (Enter)").clicked() {
                actions.push(UiAction::EndTurn);
            }
            if ui.button("Save").on_hover_text("Save to saves/quicksave.ron (F5)").clicked() {
                actions.push(UiAction::Save);
            }
            if ui.button("Help").on_hover_text("Keys and mouse (H)").clicked() {
                ui_mut.help = !ui_mut.help;
            }
            let ov = [
                (Overlay::None, "No overlay"),
                (Overlay::Supply, "Supply (F2)"),
                (Overlay::Fuel, "Fuel (F3)"),
                (Overlay::Readiness, "Readiness (F4)"),
                (Overlay::Zoc, "Zones of control (F7)"),
                (Overlay::Control, "Places (F8)"),
            ];
            egui::ComboBox::from_id_salt("overlay")
                .selected_text(ov.iter().find(|o| o.0 == ui_state.overlay).map_or("", |o| o.1))
                .show_ui(ui, |ui| {
                    for (o, l) in ov {
                        ui.selectable_value(&mut ui_mut.overlay, o, l);
                    }
                })
                .response
                .on_hover_text("Overlays: lorry haul per hex, fuel and readiness of units, enemy zones of control");
        });
    });

    // Left: the selected unit.
    egui::Panel::left("unit").default_size(300.0).show(&mut screen, |ui| {
        ui.heading("Unit");
        match ui_state.selected.and_then(|s| units.iter().find(|u| u.id == s)) {
            None => {
                ui.label("Left-click a counter to select it. Right-click a hex to march there, or an enemy to prepare an attack.");
            }
            Some(u) => {
                ui.strong(&u.name);
                ui.label(format!("{:?} · {:?} side", u.kind, u.side));
                ui.label(format!("{} men, {} tanks, {} guns", u.strength.men, u.strength.tanks, u.strength.guns));
                ui.label(format!("Fuel {:.0} t · readiness {:.0}%", u.fuel_t, u.readiness * 100.0));
                if let Some(d) = u.destination {
                    ui.label(format!("Marching to {}", crate::rules::orders::describe_hex(world.resource::<Map>(), d)));
                }
                ui.horizontal(|ui| {
                    if ui.button("Hold / undo").on_hover_text("Cancel this turn's orders (U)").clicked() {
                        actions.push(UiAction::Undo);
                    }
                    if ui.button("Airlift 50 t").on_hover_text("Fly fuel to this unit from the nearest transport base").clicked() {
                        actions.push(UiAction::Airlift(50.0));
                    }
                    if ui.button("Explain").on_hover_text("Where its fuel comes from (E)").clicked() {
                        ui_mut.explain = !ui_mut.explain;
                    }
                });
            }
        }
        if let Some((t, group, odds)) = &ui_state.attack {
            ui.separator();
            ui.heading("Attack");
            ui.label(format!("Target: {}", crate::rules::orders::describe_hex(world.resource::<Map>(), *t)));
            ui.label(format!("{} units attack at odds {odds:.1} : 1", group.len()));
            let expect = if *odds < 1.0 {
                "likely repulsed"
            } else if *odds < 2.5 {
                "the defenders likely hold"
            } else if *odds < 5.0 {
                "the defenders likely fall back"
            } else {
                "the defenders likely break"
            };
            ui.label(format!("Expected: {expect}"));
            if ui.button("Attack (T)").clicked() {
                actions.push(UiAction::ConfirmAttack);
            }
        }
    });

    // Right: the turn log, newest first; click a line to centre the map on it.
    egui::Panel::right("log")
        .default_size(300.0)
        .show(&mut screen, |ui| {
            ui.heading("Log");
            egui::ScrollArea::vertical().show(ui, |ui| {
                let events = &world.resource::<EventLog>().events;
                for e in events
                    .iter()
                    .rev()
                    .filter_map(|e| describe(world, &names, e).map(|d| (e.time.clone(), d)))
                    .take(200)
                {
                    let (t, (text, at)) = e;
                    let r = ui.add(
                        egui::Label::new(format!("{} · {text}", &t[5..16]))
                            .sense(egui::Sense::click()),
                    );
                    if r.clicked() {
                        centre = at;
                    }
                }
            });
        });

    if ui_state.explain
        && let Some(sel) = ui_state.selected
    {
        let mut game_text = String::new();
        // Explain needs the whole world; a text snapshot is enough for the panel.
        if let Some(u) = units.iter().find(|u| u.id == sel) {
            game_text = format!(
                "{} — see `august-storm explain` for the full account.\n",
                u.name
            );
            if let Some(s) = world
                .iter_entities()
                .find(|e| e.get::<UnitId>() == Some(&sel))
                .and_then(|e| e.get::<SupplyState>().cloned())
            {
                game_text += &format!(
                    "Draws on: {}\nLorry haul: {}\nTurns without supply: {}",
                    s.depot.unwrap_or_else(|| "nothing: cut off".into()),
                    s.haul_km
                        .map_or("—".into(), |h| format!("{h:.0} km of route")),
                    s.turns_cut
                );
            }
        }
        egui::Window::new("Logistics")
            .default_pos([320.0, 80.0])
            .show(&ctx, |ui| {
                ui.label(game_text);
            });
    }

    if ui_state.help {
        egui::Window::new("Help")
            .default_pos([400.0, 120.0])
            .show(&ctx, |ui| {
                for (k, what) in [
                    ("Left click", "select a unit"),
                    (
                        "Right click",
                        "march the selected unit there, or prepare an attack on an enemy hex",
                    ),
                    ("T", "commit the prepared attack"),
                    (
                        "U / Backspace",
                        "cancel the selected unit's orders this turn",
                    ),
                    ("Enter", "end your turn"),
                    ("Arrows / WASD, middle drag", "pan the map"),
                    ("Wheel, + / -", "zoom"),
                    (
                        "F2 / F3 / F4 / F7 / F8",
                        "overlays: supply, fuel, readiness, zones of control, places",
                    ),
                    ("E", "the selected unit's logistics"),
                    ("F5", "save the game"),
                    ("H or F1", "this help"),
                ] {
                    ui.horizontal(|ui| {
                        ui.strong(k);
                        ui.label(what);
                    });
                }
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
                    ui.label(msg);
                });
            });
    }
    {
        let mut ui_res = world.resource_mut::<Ui>();
        ui_res.help = ui_mut.help;
        ui_res.overlay = ui_mut.overlay;
        ui_res.explain = ui_mut.explain;
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

fn debrief(world: &mut World) {
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
    let control = world.resource::<Control>().clone();
    let map = world.resource::<Map>().clone();
    let timeline = world.resource::<Timeline>().rows.clone();
    egui::CentralPanel::default().show(&mut root(&ctx), |ui| {
        ui.heading("Debrief");
        ui.label("Capture dates of the key places (1945: Mukden, Changchun and Qiqihar were in Soviet hands by 20 August; Hailar's garrison surrendered on 18 August).");
        egui::Grid::new("caps").striped(true).show(ui, |ui| {
            ui.strong("Place");
            ui.strong("Taken");
            ui.end_row();
            for name in ["Hailar", "Lubei", "Tongliao", "Qiqihar", "Harbin", "Changchun", "Jilin", "Mukden", "Mudanjiang", "Port Arthur", "Pyongyang"] {
                let t = map.place_named(name).and_then(|p| control.first_soviet[p.id.0 as usize].clone());
                ui.label(name);
                ui.label(t.map_or("not taken".into(), |t| date(&t)));
                ui.end_row();
            }
        });
        ui.add_space(12.0);
        ui.label("Fuel on hand, in refills (6th Guards Tank Army):");
        let rows: Vec<f64> = timeline.iter().filter(|r| r.formation == "6th Guards Tank Army").map(|r| r.refills).collect();
        let (rect, _) = ui.allocate_exact_size(egui::vec2(500.0, 150.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_stroke(rect, 0.0, egui::Stroke::new(1.0, egui::Color32::GRAY), egui::StrokeKind::Inside);
        let max = rows.iter().copied().fold(1.0, f64::max);
        let pts: Vec<egui::Pos2> = rows
            .iter()
            .enumerate()
            .map(|(i, v)| {
                egui::pos2(
                    rect.left() + rect.width() * i as f32 / rows.len().max(2) as f32,
                    rect.bottom() - rect.height() * (*v / max) as f32,
                )
            })
            .collect();
        painter.add(egui::Shape::line(pts, egui::Stroke::new(2.0, egui::Color32::from_rgb(230, 150, 0))));
    });
    state.apply(world);
}
