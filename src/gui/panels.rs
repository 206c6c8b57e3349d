//! Panels in egui: the title and side choice, the top bar (date, weather, cease-fire), the
//! selected unit with its logistics explained, the turn log, attack odds and path preview,
//! airlift, help, the hand-over screen between hotseat players and the debrief.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::input::{MainCamera, UiAction};
use super::map::{Geom, Started};
use super::{Launch, Mode, Overlay, Screen, Ui};
use crate::model::logistics::*;
use crate::model::*;
use crate::report::batch::{CalibrationFact, Check};
use crate::report::words;
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
        debrief.run_if(in_state(Screen::Debrief)),
    )
    .add_systems(
        EguiPrimaryContextPass,
        game_panels.run_if(in_state(Screen::Playing)),
    )
    .add_systems(Startup, (super::input::spawn_ui_camera, skip_title));
}

fn skip_title(launch: Res<Launch>, mut next: ResMut<NextState<Screen>>) {
    if launch.skip_title {
        next.set(Screen::Playing);
    }
}

/// Each front's depth turn by turn, rebuilt from the event log (so a loaded game has its
/// whole history): how far its deepest unit stands beyond the ground the side held at the
/// start, as the batch measures it ([`crate::report::depth`]). Returns the fronts, the time of
/// each turn's end and one series per front.
pub fn advance_from_log(world: &World) -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let (fronts, front_of) = crate::report::depth::front_units(world);
    let field = crate::report::depth::DepthField::new(map, Side::Soviet);
    let mut now: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let last = cal.turn.min(cal.turns());
    let mut series = vec![Vec::new(); fronts.len()];
    let mut times = Vec::new();
    let events = &world.resource::<EventLog>().events;
    let mut k = 0;
    for turn in 1..=last {
        while k < events.len() && events[k].turn <= turn {
            if let GameEvent::UnitMoved { unit, to, .. } = &events[k].event
                && front_of.contains_key(unit)
            {
                now.insert(*unit, *to);
            }
            k += 1;
        }
        let mut deepest = vec![0.0f64; fronts.len()];
        for (u, h) in &now {
            let f = front_of[u];
            deepest[f] = deepest[f].max(field.km(map, *h));
        }
        for (s, d) in series.iter_mut().zip(deepest) {
            s.push(d);
        }
        times.push(time::iso_local(cal.time_of_turn(turn + 1).min(cal.end)));
    }
    (fronts, times, series)
}

/// Odds of an attack by these units on a hex, for the preview, with the factors that made
/// them.
pub fn preview_odds(
    world: &mut World,
    group: &[UnitView],
    target: Hex,
) -> (
    crate::rules::combat::Odds,
    Vec<crate::rules::combat::OddsFactor>,
) {
    let units = crate::rules::movement::snapshot(world);
    let defenders: Vec<UnitView> = units
        .iter()
        .filter(|u| u.hex == target && u.side != group[0].side)
        .cloned()
        .collect();
    let surprise = crate::rules::combat::in_surprise(world);
    let with: Vec<(UnitView, f64)> = group.iter().map(|u| (u.clone(), 1.0)).collect();
    crate::rules::combat::odds_explained(
        &world.resource::<crate::scenario::spawn::Rules>().0,
        world.resource::<Map>(),
        world.resource::<CurrentWeather>(),
        world.resource::<OrderOfBattle>(),
        &with,
        &defenders,
        target,
        surprise,
    )
}

/// A transport base from which the rules would fly fuel to a unit now: the fleet, its base,
/// the distance and what it can still carry this turn.
#[derive(Debug, Clone, PartialEq)]
pub struct LiftOption {
    pub fleet: FormationId,
    pub fleet_name: String,
    pub base: PlaceId,
    pub base_name: String,
    pub km: f64,
    pub range_km: f64,
    /// Tons the fleet can still fly this turn in today's weather, and the base holds.
    pub most_t: f64,
}

/// The air landings a unit could make now: one per place it may be flown into, each an order
/// that passes the rules' validation. Computed once per unit and turn.
pub fn landing_options(world: &mut World, unit: UnitId) -> Vec<(String, Order)> {
    let turn = world.resource::<Calendar>().turn;
    if let Some(c) = world.get_resource::<LandingCache>()
        && c.key == (unit, turn)
    {
        return c.options.clone();
    }
    let units = crate::rules::movement::snapshot(world);
    let mut options = Vec::new();
    if let Some(u) = units.iter().find(|u| u.id == unit) {
        let map = world.resource::<Map>().clone();
        // Landings from the sea: from a fleet's port the unit stands in, to the places on the
        // coast in reach.
        let ships = world
            .get_resource::<SeaTransport>()
            .map(|s| s.fleets.clone())
            .unwrap_or_default();
        for f in ships.iter().filter(|f| f.side == u.side) {
            for b in f.ports.iter().filter(|b| map.place(**b).hex == u.hex) {
                for p in map.places.iter().filter(|p| p.hex != u.hex) {
                    let o = Order::SeaLanding {
                        fleet: f.formation,
                        port: *b,
                        unit,
                        target: p.hex,
                    };
                    if crate::rules::orders::validate(world, &o).is_ok() {
                        options.push((format!("{} by sea", p.name), o));
                    }
                }
            }
        }
        let fleets = world.resource::<AirTransport>().fleets.clone();
        for f in fleets.iter().filter(|f| f.side == u.side) {
            for b in f.bases.iter().filter(|b| map.place(**b).hex == u.hex) {
                for p in map.places.iter().filter(|p| p.hex != u.hex) {
                    let o = Order::AirLanding {
                        air_army: f.formation,
                        base: *b,
                        unit,
                        place: p.id,
                    };
                    if crate::rules::orders::validate(world, &o).is_ok() {
                        options.push((p.name.clone(), o));
                    }
                }
            }
        }
    }
    world.insert_resource(LandingCache {
        key: (unit, turn),
        options: options.clone(),
    });
    options
}

#[derive(Resource)]
pub struct LandingCache {
    key: (UnitId, u32),
    options: Vec<(String, Order)>,
}

/// Every base from which the rules would fly fuel to the unit now, nearest first: each is
/// checked by the rules' own airlift validation, so the panel offers nothing that the end of
/// the turn would refuse (a base out of range, no landing ground, grounded by rain, no fuel
/// at the base, the fleet's sorties booked).
pub fn airlift_options(world: &mut World, unit: UnitId) -> Vec<LiftOption> {
    use crate::rules::airlift::{capacity_left, flying, validate_airlift};
    let units = crate::rules::movement::snapshot(world);
    let Some(u) = units.iter().find(|u| u.id == unit) else {
        return Vec::new();
    };
    let map = world.resource::<Map>();
    let rules = &world.resource::<crate::scenario::spawn::Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let booked = world.resource::<AirliftBooked>();
    let depots = world.resource::<Depots>();
    let turn_hours = world.resource::<Calendar>().turn_hours;
    let oob = world.resource::<OrderOfBattle>();
    let here = map.center(u.hex);
    let fleets = &world.resource::<AirTransport>().fleets;
    let mut v = Vec::new();
    for (fi, f) in fleets.iter().enumerate().filter(|(_, f)| f.side == u.side) {
        for &b in &f.bases {
            let p = map.place(b);
            let probe = Order::Airlift {
                air_army: f.formation,
                base: b,
                to: unit,
                cargo: Cargo::Fuel,
                tons: 1.0,
            };
            if validate_airlift(world, u, &probe).is_err() {
                continue;
            }
            let w =
                flying(rules, weather.at(map, p.hex)).min(flying(rules, weather.at(map, u.hex)));
            let left = capacity_left(rules, f, fi, booked, turn_hours, w);
            let stock: f64 = depots
                .depots
                .iter()
                .filter(|d| d.hex == p.hex && d.side == u.side)
                .map(|d| d.fuel_t)
                .sum();
            v.push(LiftOption {
                fleet: f.formation,
                fleet_name: oob
                    .formations
                    .get(f.formation.0 as usize)
                    .map_or_else(|| f.name.clone(), |x| x.name.clone()),
                base: b,
                base_name: p.name.clone(),
                km: p.at.distance_km(here),
                range_km: f.range_km,
                most_t: left.min(stock).floor(),
            });
        }
    }
    v.sort_by(|a, b| a.km.total_cmp(&b.km));
    v
}

/// Fuel the unit can still take this turn: the room in its tanks less what is already on its
/// way to it (fuel flown in or handed over by orders of this turn).
pub fn fuel_room(world: &mut World, unit: UnitId) -> f64 {
    let room = crate::rules::fuel_transfer::fuel_and_room(world, unit).map_or(0.0, |(_, r)| r);
    let pending = world.resource::<PendingOrders>();
    let flown: f64 = pending
        .orders
        .iter()
        .map(|o| match o {
            Order::Airlift {
                to,
                tons,
                cargo: Cargo::Fuel,
                ..
            } if *to == unit => *tons,
            _ => 0.0,
        })
        .sum();
    let handed = crate::rules::fuel_transfer::pending_change(pending, unit);
    (room - flown - handed).max(0.0).floor()
}

fn title(
    mut contexts: EguiContexts,
    mut launch: ResMut<Launch>,
    mut next: ResMut<NextState<Screen>>,
    mut state: ResMut<Ui>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut controls = Vec::new();
    let mut leaving = false;
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        // Scrolls on a small screen, so that nothing below the fold is out of reach.
        egui::ScrollArea::vertical().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(30.0);
            ui.heading(egui::RichText::new("AUGUST STORM").size(40.0).strong());
            ui.label(
                egui::RichText::new("The Soviet invasion of Manchuria, 9 August – 2 September 1945")
                    .size(18.0),
            );
            ui.add_space(20.0);
            ui.label(egui::RichText::new("Scenario").strong());
            for (path, name, tip) in [
                (
                    "scenarios/august_storm_1945.ron",
                    "The historical campaign (three fronts, 9 Aug – 2 Sep)",
                    "All three Soviet fronts against the Kwantung Army, as in 1945",
                ),
                (
                    "scenarios/across_the_khingan.ron",
                    "Teaching: Across the Khingan (6th Guards Tank Army, 9–16 Aug)",
                    "Fuel, lorries and the airlift: why a tank army that crossed the mountains in two days then stood still",
                ),
            ] {
                let on = launch.scenario == std::path::Path::new(path);
                if ui.selectable_label(on, name).on_hover_text(tip).clicked() {
                    launch.scenario = path.into();
                }
            }
            ui.add_space(8.0);
            ui.label(egui::RichText::new("What-ifs").strong())
                .on_hover_text("Changes to the historical situation; several may be combined");
            let available: Vec<(String, String)> =
                crate::scenario::whatif::list_what_ifs(&launch.scenario)
                    .into_iter()
                    .filter_map(|(_, w)| w.ok().map(|w| (w.name, w.summary)))
                    .collect();
            for (name, summary) in available {
                let mut on = launch.what_ifs.contains(&name);
                if ui.checkbox(&mut on, &name).on_hover_text(summary).changed() {
                    if on {
                        launch.what_ifs.push(name.clone());
                    } else {
                        launch.what_ifs.retain(|w| *w != name);
                    }
                }
            }
            ui.add_space(16.0);
            ui.label(egui::RichText::new("Side").strong());
            for (m, name, tip) in [
                (Mode::Play(Side::Soviet), "Soviet against the AI", "Command the three fronts"),
                (Mode::Play(Side::Japanese), "Japanese against the AI", "Command the Kwantung Army"),
                (Mode::Hotseat, "Two players, hotseat", "Hand the screen over between sides"),
                (Mode::Watch, "Watch: AI against AI", "Both sides played by the AI"),
            ] {
                if ui.selectable_label(launch.mode == m, name).on_hover_text(tip).clicked() {
                    launch.mode = m;
                }
            }
            ui.add_space(24.0);
            let start = ui
                .button(egui::RichText::new("  Start  ").size(22.0))
                .on_hover_text("Open the map");
            note(&mut controls, "start", &start);
            if start.clicked() {
                next.set(Screen::Playing);
                    leaving = true;
            }
            let quick = std::path::Path::new(super::input::SAVE_DIR).join("quicksave.ron");
            let auto = std::path::Path::new(super::input::SAVE_DIR).join("autosave.ron");
            for (p, label) in [(&quick, "Load the quick save"), (&auto, "Load the autosave")] {
                let r = ui
                    .add_enabled(p.exists(), egui::Button::new(label))
                    .on_hover_text(p.display().to_string());
                note(&mut controls, label, &r);
                if r.clicked() {
                    launch.load = Some(p.clone());
                    next.set(Screen::Playing);
                    leaving = true;
                }
            }
            // Watch a saved game again: the saves in saves/, newest first.
            let mut saves: Vec<(std::path::PathBuf, std::time::SystemTime)> =
                std::fs::read_dir(super::input::SAVE_DIR)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.extension().is_some_and(|x| x == "ron")
                            && !crate::scenario::notes::is_notes_path(p)
                    })
                    .map(|p| {
                        let t = std::fs::metadata(&p)
                            .and_then(|m| m.modified())
                            .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
                        (p, t)
                    })
                    .collect();
            saves.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ui.add_space(12.0);
            ui.label(egui::RichText::new("Watch a saved game").strong()).on_hover_text(
                "Step or play through every phase of a save, as either side saw it, with teacher's notes (also: august-storm replay SAVE --window)",
            );
            if saves.is_empty() {
                ui.weak("No saves yet in saves/: the game saves itself every turn.");
            }
            egui::ScrollArea::vertical().max_height(100.0).show(ui, |ui| {
            for (p, _) in saves.iter().take(20) {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let label = format!("Watch {name}");
                let r = ui.button(&label).on_hover_text(p.display().to_string());
                note(&mut controls, &label, &r);
                if r.clicked() {
                    launch.replay = Some(p.clone());
                    launch.mode = Mode::Replay;
                    next.set(Screen::Playing);
                    leaving = true;
                }
            }
            });
            if let Some((msg, _)) = &state.toast {
                ui.add_space(6.0);
                ui.colored_label(
                    egui::Color32::from_rgb(255, 120, 100),
                    "That save could not be watched:",
                );
                // The diagnostic as `check` prints it: monospace, so its caret points home.
                ui.label(
                    egui::RichText::new(msg.trim_end())
                        .monospace()
                        .color(egui::Color32::from_rgb(255, 170, 150)),
                );
            }
            ui.add_space(12.0);
            let mut form_controls = Vec::new();
            let header = ui
                .selectable_label(
                    state.pbem_form.open,
                    egui::RichText::new("Play by e-mail…").strong(),
                )
                .on_hover_text("Two players, each on their own machine, sending each other signed turns");
            note(&mut controls, "pbem", &header);
            if header.clicked() {
                state.pbem_form.open = !state.pbem_form.open;
            }
            if state.pbem_form.open {
                ui.group(|ui| {
                    ui.set_max_width(620.0);
                    pbem_form(ui, &mut launch, &mut state, &mut next, &mut leaving, &mut form_controls)
                });
            }
            controls.extend(form_controls);
            ui.add_space(12.0);
            ui.label("Batch analysis of what-ifs, reports and explanations: `august-storm --help`.");
        });
        });
    });
    if leaving {
        state.toast = None;
    }
    if state.controls != controls {
        state.controls = controls;
    }
    Ok(())
}

/// The title's game by e-mail: a new game from the scenario and side chosen above, or your
/// copy of a game opened (after the other player's turn, where one is named) to play your
/// phase. The other player accepts a new game with `august-storm pbem join`.
fn pbem_form(
    ui: &mut egui::Ui,
    launch: &mut Launch,
    state: &mut Ui,
    next: &mut NextState<Screen>,
    leaving: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    let form = &mut state.pbem_form;
    if form.game.is_empty() && form.key.is_empty() {
        form.game = "pbem/game.ron".into();
        form.key = "pbem/key.ron".into();
    }
    egui::Grid::new("pbem files").num_columns(2).show(ui, |ui| {
        for (name, label, field, tip) in [
            (
                "pbem game",
                "Your copy of the game",
                &mut form.game,
                "The game file: written by a new game, replaced by each turn opened and sent",
            ),
            (
                "pbem key",
                "Your key",
                &mut form.key,
                "Made with the game: keep it, never send it",
            ),
            (
                "pbem received",
                "Turn received (optional)",
                &mut form.received,
                "The file the other player sent: checked and played again before your phase",
            ),
        ] {
            ui.label(label).on_hover_text(tip);
            let r = ui.add(egui::TextEdit::singleline(field).desired_width(320.0));
            note(controls, name, &r);
            ui.end_row();
        }
    });
    ui.horizontal(|ui| {
        let new = ui
            .button("New game by e-mail")
            .on_hover_text("The scenario, what-ifs and side chosen above; writes your key and the game file to send");
        note(controls, "pbem new", &new);
        if new.clicked() {
            form.message = Some(match launch.mode {
                Mode::Play(side) => {
                    let (key, game) = (std::path::PathBuf::from(&form.key), std::path::PathBuf::from(&form.game));
                    if let Some(d) = game.parent().filter(|d| !d.as_os_str().is_empty()) {
                        let _ = std::fs::create_dir_all(d);
                    }
                    match crate::pbem::setup::new_game_files(&launch.scenario, &launch.what_ifs, side, &key, &game) {
                        Ok(m) => (true, m),
                        Err(e) => (false, e),
                    }
                }
                _ => (false, "choose the side you play above: Soviet or Japanese".into()),
            });
        }
        let open = ui
            .button("Open and play your phase")
            .on_hover_text("End turn then signs your orders and writes the turn to send, turn.ron beside your copy");
        note(controls, "pbem open", &open);
        if open.clicked() {
            let game = std::path::PathBuf::from(&form.game);
            let send = game.parent().unwrap_or(std::path::Path::new("")).join("turn.ron");
            let received = (!form.received.trim().is_empty()).then(|| std::path::PathBuf::from(form.received.trim()));
            match crate::pbem::setup::window_game(game, std::path::PathBuf::from(&form.key), received, send) {
                Ok(w) => {
                    launch.mode = Mode::Play(w.key.side);
                    launch.pbem = Some(w);
                    launch.load = None;
                    form.message = None;
                    next.set(Screen::Playing);
                    *leaving = true;
                }
                Err(e) => form.message = Some((false, e)),
            }
        }
    });
    if let Some((ok, m)) = &form.message {
        let col = if *ok {
            egui::Color32::from_rgb(170, 220, 170)
        } else {
            egui::Color32::from_rgb(255, 170, 150)
        };
        ui.label(egui::RichText::new(m.trim_end()).monospace().color(col));
    }
}

/// The scenario's briefing: the situation, what to watch, and the player's objectives.
fn briefing_window(
    ctx: &egui::Context,
    world: &World,
    launch: &Launch,
    open: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    let Some(b) = world
        .get_resource::<crate::scenario::spawn::BriefingRes>()
        .and_then(|b| b.0.clone())
    else {
        egui::Window::new("Briefing").open(open).show(ctx, |ui| {
            ui.label("This scenario has no briefing. Your objectives are in the top bar.");
        });
        return;
    };
    let viewer = match launch.mode {
        Mode::Play(s) => s,
        _ => world.resource::<Calendar>().active,
    };
    let name = world
        .resource::<crate::scenario::spawn::GameSetup>()
        .scenario_name
        .clone();
    let mut begin = false;
    egui::Window::new(format!("Briefing: {name}"))
        .default_pos([360.0, 90.0])
        .default_width(620.0)
        .open(open)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(520.0).show(ui, |ui| {
                ui.label(&b.text);
                if !b.watch.is_empty() {
                    ui.add_space(6.0);
                    ui.strong("What to watch");
                    for w in &b.watch {
                        ui.label(format!("• {w}"));
                    }
                }
                let mine: Vec<String> = crate::report::victory::objectives(world)
                    .into_iter()
                    .filter(|o| o.side == viewer)
                    .map(|o| o.text)
                    .collect();
                if !mine.is_empty() {
                    ui.add_space(6.0);
                    ui.strong(format!("Your objectives ({} side)", viewer.name()));
                    for o in mine {
                        ui.label(format!("• {o}"));
                    }
                    ui.weak("Their places are ringed in gold on the map; the top bar keeps the score.");
                }
            });
            ui.add_space(6.0);
            let b = ui.button("Begin").on_hover_text("B shows the briefing again");
            note(controls, "briefing begin", &b);
            begin = b.clicked();
        });
    if begin {
        *open = false;
    }
}

/// The text with its first letter in capitals.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Notes where a control was drawn, in window pixels, for `--script report:FILE`.
fn note(controls: &mut Vec<(String, [f32; 4])>, name: &str, r: &egui::Response) {
    let z = r.ctx.zoom_factor();
    let rect = r.rect;
    controls.push((
        name.to_string(),
        [
            rect.min.x * z,
            rect.min.y * z,
            rect.max.x * z,
            rect.max.y * z,
        ],
    ));
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

fn handover(
    mut contexts: EguiContexts,
    cal: Option<Res<Calendar>>,
    mut next: ResMut<NextState<Screen>>,
    ui_state: Res<Ui>,
    log: Option<Res<EventLog>>,
    map: Option<Res<Map>>,
    units: Query<(&UnitId, &UnitName)>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let side = cal.as_ref().map(|c| c.active).unwrap_or(Side::Soviet);
    // The same report the player reads on the map, before the map is shown.
    let since = match (
        &log,
        &map,
        ui_state.since[crate::model::intel::side_index(side)],
    ) {
        (Some(log), Some(map), Some(from)) => {
            let names: BTreeMap<UnitId, String> =
                units.iter().map(|(i, n)| (*i, n.0.clone())).collect();
            since_your_turn(map, &names, &log.events, from)
        }
        _ => Vec::new(),
    };
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(200.0);
            ui.heading(format!("Hand over to the {side} player"));
            ui.label("The map is hidden so that neither side sees the other's orders.");
            if let Some(c) = &cal {
                ui.label(date(&time::iso_local(c.now())));
            }
            if ui
                .button(format!("I am the {side} player: show the map"))
                .clicked()
            {
                next.set(Screen::Playing);
            }
            if !since.is_empty() {
                ui.add_space(16.0);
                ui.strong("Since your last turn");
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (text, _) in &since {
                            ui.label(text);
                        }
                    });
            }
        });
    });
    Ok(())
}

/// "1945-08-13T00:01+09:00" -> "13 Aug 1945, 00:01".
pub fn date(iso: &str) -> String {
    time::parse_local(iso).map_or_else(
        || iso.to_string(),
        |t| t.format("%-d %b %Y, %H:%M").to_string(),
    )
}

/// An event in plain words, and where it happened; `None` for events the log leaves out.
fn describe(
    map: &Map,
    names: &BTreeMap<UnitId, String>,
    e: &LoggedEvent,
) -> Option<(String, Option<Hex>)> {
    let n = |u: &UnitId| {
        names
            .get(u)
            .cloned()
            .unwrap_or_else(|| "a unit".to_string())
    };
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
            format!("{name} taken by {} ({to})", n(by)),
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
                "Battle at {}: {result} at {odds:.1} : 1; attackers lost {} killed, defenders {}",
                crate::rules::orders::describe_hex(map, *target),
                words::thousands(attacker_losses.killed),
                words::thousands(defender_losses.killed)
            ),
            Some(*target),
        ),
        GameEvent::UnitSurrendered {
            unit,
            men,
            at,
            reason,
        } => (
            format!(
                "{} surrendered ({} men, {reason})",
                n(unit),
                words::thousands(*men)
            ),
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
        GameEvent::FuelHandedOver { from, to, tons } => (
            format!("{} handed {tons:.0} t of fuel to {}", n(from), n(to)),
            None,
        ),
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
            format!(
                "{depot} captured by the {by} side ({} t of fuel)",
                words::amount(*fuel_t)
            ),
            None,
        ),
        GameEvent::UnitRetreated { unit, to, .. } => (format!("{} fell back", n(unit)), Some(*to)),
        GameEvent::CampaignEnded => ("The campaign is over".into(), None),
        _ => return None,
    })
}

/// The report of what happened since a side last ended its phase (from event `from` on):
/// battles, places and depots that changed hands, surrenders, one line each, with its place.
pub fn since_your_turn(
    map: &Map,
    names: &BTreeMap<UnitId, String>,
    events: &[LoggedEvent],
    from: usize,
) -> Vec<(String, Option<Hex>)> {
    events
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                GameEvent::Battle { .. }
                    | GameEvent::PlaceCaptured { .. }
                    | GameEvent::DepotCaptured { .. }
                    | GameEvent::UnitSurrendered { .. }
                    | GameEvent::CeasefireReached { .. }
            )
        })
        .filter_map(|e| {
            describe(map, names, e)
                .map(|(t, at)| (format!("{} · {t}", words::short_date(&e.time)), at))
        })
        .collect()
}

fn bar(ui: &mut egui::Ui, label: &str, frac: f64, text: String, colour: egui::Color32, tip: &str) {
    ui.horizontal(|ui| {
        ui.add_sized([70.0, 16.0], egui::Label::new(label));
        ui.add(
            egui::ProgressBar::new(frac.clamp(0.0, 1.0) as f32)
                .desired_width(190.0)
                .fill(colour)
                .text(text),
        )
        .on_hover_text(tip);
    });
}

/// Both sides' standing, judged again only when the game has moved on (a new event, order or
/// phase, or another game loaded), not on every frame.
#[derive(Resource, Default)]
struct VictoryShown {
    key: Option<(usize, usize, u32, Side, bool)>,
    standing: Option<crate::report::victory::Victory>,
}

fn victory_standing(world: &mut World) -> Option<crate::report::victory::Victory> {
    let cal = world.resource::<Calendar>();
    let key = (
        world.resource::<EventLog>().events.len(),
        world.resource::<OrderLog>().entries.len(),
        cal.turn,
        cal.active,
        cal.finished,
    );
    if world
        .get_resource::<VictoryShown>()
        .is_none_or(|v| v.key != Some(key))
    {
        let standing = crate::report::victory::victory_in(world);
        world.insert_resource(VictoryShown {
            key: Some(key),
            standing,
        });
    }
    world.resource::<VictoryShown>().standing.clone()
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
    let mut replay = world.remove_resource::<super::replay::Replay>();
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
            super::replay::bar(ui, r, &mut ui_mut.controls, note);
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
                    if let Some(h) =
                        super::replay::log_panel(ui, r, &phase_lines, &mut ui_mut.controls, note)
                    {
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
        if let Some(w) = super::replay::note_window(&ctx, r, left_w, top_h) {
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
                for (c, what) in super::map::ink::KEY {
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
        .get_resource::<super::map::OverlayData>()
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

/// What the colours of the overlay shown mean, in the map's lower left corner.
fn legend(ctx: &egui::Context, ui_state: &Ui, replay: bool) {
    let c = |r: f32, g: f32, b: f32| {
        egui::Color32::from_rgb((r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
    };
    let mut rows: Vec<(egui::Color32, &str)> = match ui_state.overlay {
        Overlay::None => Vec::new(),
        Overlay::Supply => {
            // The overlay's own colours, opaque, so the key cannot drift from the map.
            let haul = |km: Option<f64>| {
                let col = super::map::haul_colour(km, true)
                    .map(|c| c.to_srgba())
                    .unwrap_or(bevy::color::Srgba::BLACK);
                c(col.red, col.green, col.blue)
            };
            vec![
                (
                    haul(Some(50.0)),
                    "under 100 km of lorry haul from a railhead or depot",
                ),
                (haul(Some(150.0)), "100–250 km: lorries deliver less"),
                (haul(Some(300.0)), "250–400 km: little arrives"),
                (haul(Some(500.0)), "beyond 400 km"),
                (haul(None), "your ground no lorry reaches"),
                (
                    c(0.0, 0.0, 0.0),
                    "black corner on a counter: the unit is out of supply",
                ),
            ]
        }
        Overlay::Fuel => vec![
            (c(0.0, 1.0, 0.0), "ring: full tanks (two refills)"),
            (c(1.0, 0.0, 0.0), "ring: empty; the amber bar is fuel"),
        ],
        Overlay::Readiness => vec![
            (c(0.0, 1.0, 0.1), "ring: fully ready"),
            (c(1.0, 0.0, 0.1), "ring: barely trained or shaken"),
        ],
        Overlay::Airlift => vec![(
            c(0.2, 0.4, 1.0),
            "circles: reach of transport aircraft from each base you hold",
        )],
        Overlay::Zoc => vec![(
            c(0.9, 0.1, 0.1),
            "enemy zone of control: a march halts on entering",
        )],
        Overlay::Fog => vec![
            (
                c(0.3, 0.3, 0.4),
                "shaded: ground none of your units, aircraft or agents sees",
            ),
            (
                c(1.0, 0.85, 0.2),
                "outlines: enemy last seen there (fainter the older)",
            ),
        ],
        Overlay::Control => vec![
            (c(0.9, 0.1, 0.1), "held by the Soviets"),
            (c(1.0, 0.85, 0.1), "held by the Japanese"),
        ],
    };
    if replay {
        rows.push((c(0.95, 0.95, 0.95), "trail: a Soviet march in this phase"));
        rows.push((c(1.0, 0.55, 0.0), "trail: a Japanese march in this phase"));
        rows.push((c(1.0, 0.15, 0.1), "rings: a battle fought in this phase"));
    }
    if rows.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::new("legend"))
        .anchor(
            egui::Align2::LEFT_BOTTOM,
            [ui_state.margins[0] / ctx.zoom_factor() + 8.0, -8.0],
        )
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                for (col, text) in rows {
                    ui.horizontal(|ui| {
                        ui.colored_label(col, "■");
                        ui.label(text);
                    });
                }
            });
        });
}

#[allow(clippy::too_many_arguments)]
fn unit_panel(
    ui: &mut egui::Ui,
    world: &World,
    ui_state: &Ui,
    ui_mut: &mut Ui,
    selected: Option<&UnitView>,
    units: &[UnitView],
    lift: &[LiftOption],
    room: f64,
    landings: &[(String, Order)],
    actions: &mut Vec<UiAction>,
) {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let Some(u) = selected else {
        ui.heading("No unit selected");
        if world.resource::<Launch>().mode == Mode::Replay {
            ui.label("Click a counter to see the unit as it stood at the end of this phase. Left and right arrows step through the phases, Space plays; H lists every key.");
        } else {
            ui.label("Left-click a counter to select it. Right-click a hex to march there, or an enemy hex to prepare an attack. H lists every key.");
        }
        return;
    };
    let own = ui_state.viewer.is_none_or(|v| v == u.side);
    let e = world
        .iter_entities()
        .find(|e| e.get::<UnitId>() == Some(&u.id));
    let full = e
        .as_ref()
        .and_then(|e| e.get::<FullStrength>())
        .map(|f| f.0);
    let parent = e.as_ref().and_then(|e| e.get::<Parent>()).map(|p| p.0);
    let supply = e.as_ref().and_then(|e| e.get::<SupplyState>()).cloned();
    let stocks = e.as_ref().and_then(|e| e.get::<Stocks>()).copied();
    let cap = e.as_ref().and_then(|e| e.get::<Capacity>()).copied();
    ui.heading(&u.name);
    ui.label(format!(
        "{} {} · {} side",
        super::units::size_mark(u.kind),
        u.kind,
        u.side
    ));
    if let Some(p) = parent {
        let oob = world.resource::<OrderOfBattle>();
        let chain: Vec<&str> = oob.chain(p).map(|f| f.name.as_str()).collect();
        ui.label(chain.join(" › "))
            .on_hover_text("Chain of command, from its formation up");
    }
    ui.label(format!(
        "At {}",
        crate::rules::orders::describe_hex(map, u.hex)
    ));
    // Under fog an enemy unit shows what the viewer's intelligence estimates of it, and
    // nothing of its guns or readiness.
    let fogged = !own && ui_state.visible.is_some();
    let mut shown = u.strength;
    if fogged {
        let est = world
            .get_resource::<super::map::OverlayData>()
            .and_then(|d| d.estimates.get(&u.id).copied());
        ui.label(egui::RichText::new("Enemy unit: figures are what your staff believes").italics());
        match est {
            Some((men, tanks)) => {
                shown.men = men;
                shown.tanks = tanks;
            }
            None => {
                ui.label("Its strength is not known.");
                return;
            }
        }
    }
    ui.separator();
    let f = full.unwrap_or(u.strength);
    let ratio = |a: u32, b: u32| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    bar(
        ui,
        "Men",
        ratio(shown.men, f.men),
        format!(
            "{} of {}",
            words::thousands(shown.men),
            words::thousands(f.men)
        ),
        egui::Color32::from_rgb(40, 140, 40),
        "Men on hand against the unit's strength at the start",
    );
    if f.tanks > 0 {
        bar(
            ui,
            "Tanks",
            ratio(shown.tanks, f.tanks),
            format!(
                "{} of {}",
                words::thousands(shown.tanks),
                words::thousands(f.tanks)
            ),
            egui::Color32::from_rgb(90, 110, 60),
            "Tanks and self-propelled guns in running order",
        );
    }
    if f.guns > 0 && !fogged {
        bar(
            ui,
            "Guns",
            ratio(u.strength.guns, f.guns),
            format!(
                "{} of {}",
                words::thousands(u.strength.guns),
                words::thousands(f.guns)
            ),
            egui::Color32::from_rgb(100, 100, 100),
            "Guns and mortars",
        );
    }
    if !fogged {
        bar(
            ui,
            "Readiness",
            u.readiness,
            format!("{:.0}%", u.readiness * 100.0),
            egui::Color32::from_rgb(60, 100, 160),
            "Training, equipment, cohesion and alertness: it scales combat value and movement",
        );
    }
    if own && let (Some(s), Some(c)) = (stocks, cap) {
        for (label, have, room, colour, tip) in [
            (
                "Fuel",
                s.fuel_t,
                c.fuel_t,
                egui::Color32::from_rgb(210, 130, 0),
                "Fuel on hand against what the unit's own transport can carry",
            ),
            (
                "Ammunition",
                s.ammo_t,
                c.ammo_t,
                egui::Color32::from_rgb(160, 60, 60),
                "Ammunition on hand: attacks short of it lose strength",
            ),
            (
                "Food",
                s.food_t,
                c.food_t,
                egui::Color32::from_rgb(120, 120, 60),
                "Food: without it men weaken day by day",
            ),
        ] {
            if room > 0.0 {
                bar(
                    ui,
                    label,
                    have / room,
                    format!("{have:.0} of {room:.0} t"),
                    colour,
                    tip,
                );
            }
        }
    }
    if own && let Some(s) = &supply {
        ui.label(match (&s.depot, s.haul_km) {
            (Some(d), Some(h)) => format!("Supplied from {d}, {h:.0} km of lorry haul"),
            (Some(d), None) => format!("Supplied from {d}"),
            _ if cal.turn <= 1 && s.turns_cut == 0 => "Supply is traced at the first supply phase".into(),
            _ => format!("Cut off from supply for {} turns", s.turns_cut),
        })
        .on_hover_text("Lorries carry from the railhead or depot; the longer the haul, the less arrives (E explains)");
    }
    if let Some(d) = u.destination {
        ui.label(format!(
            "Marching to {}",
            crate::rules::orders::describe_hex(map, d)
        ));
    }
    // Other units in the same hex: a click selects one.
    let stack: Vec<&UnitView> = units
        .iter()
        .filter(|o| o.hex == u.hex && o.id != u.id && (o.side == u.side || !own))
        .collect();
    if !stack.is_empty() {
        ui.separator();
        ui.label(format!("Also in this hex ({}):", stack.len()));
        for o in stack {
            if ui.link(&o.name).on_hover_text("Select this unit").clicked() {
                ui_mut.selected = Some(o.id);
            }
        }
    }
    if !own {
        return;
    }
    // Watching a game again, a unit's logistics can be explained, but nothing ordered.
    let watching = world.resource::<Launch>().mode == Mode::Replay;
    ui.separator();
    ui.horizontal(|ui| {
        if !watching {
            let undo = ui
                .button("Hold / undo")
                .on_hover_text("Cancel this turn's orders for the unit (U)");
            note(&mut ui_mut.controls, "undo", &undo);
            if undo.clicked() {
                actions.push(UiAction::Undo);
            }
        }
        let explain = ui
            .button("Explain")
            .on_hover_text("Where its fuel and ammunition come from, and what limits them (E)");
        note(&mut ui_mut.controls, "explain", &explain);
        if explain.clicked() {
            ui_mut.explain = !ui_mut.explain;
        }
    });
    if watching {
        return;
    }
    // Airlift: choose a base in reach and the tons.
    ui.separator();
    ui.strong("Airlift fuel").on_hover_text(
        "Transport aircraft fly fuel from a base you hold to this unit; rain grounds them",
    );
    let most = lift.iter().map(|o| o.most_t).fold(0.0, f64::max).min(room);
    if lift.is_empty() {
        ui.label("No base of yours can fly fuel to this unit now (F6 shows the transports' reach; rain grounds them, and they land only on open ground or at an airfield).");
    } else if most < 1.0 {
        ui.label(if room < 1.0 {
            "Its tanks are full (with what is already on its way): nothing to fly in."
        } else {
            "The transports' sorties this turn are all booked."
        });
    } else {
        // The slider goes no further than can be flown and the unit can take.
        ui_mut.airlift_tons = if ui_mut.airlift_tons <= 0.0 {
            most.min(50.0)
        } else {
            ui_mut.airlift_tons.clamp(1.0, most)
        };
        let slider = ui
            .add(
                egui::Slider::new(&mut ui_mut.airlift_tons, 1.0..=most)
                    .step_by(1.0)
                    .suffix(" t")
                    .text("tons"),
            )
            .on_hover_text(format!(
                "How much fuel to fly in this turn: up to {most:.0} t (what the fleets can still fly and the unit can take)"
            ));
        note(&mut ui_mut.controls, "airlift slider", &slider);
        for (i, o) in lift.iter().take(4).enumerate() {
            let tons = ui_mut.airlift_tons.min(o.most_t).min(room);
            let label = format!("Fly {tons:.0} t from {} ({:.0} km)", o.base_name, o.km);
            let b = ui
                .add_enabled(tons >= 1.0, egui::Button::new(label))
                .on_hover_text(format!(
                    "{}: up to {:.0} t more this turn from {}; range {:.0} km",
                    o.fleet_name, o.most_t, o.base_name, o.range_km
                ));
            note(&mut ui_mut.controls, &format!("airlift {}", i + 1), &b);
            if b.clicked() {
                actions.push(UiAction::Airlift {
                    fleet: o.fleet,
                    base: o.base,
                    tons,
                });
            }
        }
    }
    // A forward detachment: the units beside it hand it their fuel before anyone marches.
    if let (true, Some(st), Some(c)) = (own, stocks, cap) {
        let room = (c.fuel_t - st.fuel_t).max(0.0);
        let orders = crate::rules::fuel_transfer::fill_from_beside(units, u, room);
        if room >= 1.0 && !orders.is_empty() {
            let total: f64 = orders
                .iter()
                .map(|o| match o {
                    Order::TransferFuel { tons, .. } => *tons,
                    _ => 0.0,
                })
                .sum();
            ui.separator();
            ui.strong("Forward detachment").on_hover_text(
                "The units in its hex and beside it hand it their fuel before anyone marches this turn: it goes on while they wait for the lorries",
            );
            let from = match orders.len() {
                1 => "the unit".to_string(),
                n => format!("{n} units"),
            };
            if ui
                .button(format!("Take {total:.0} t of fuel from {from} beside it"))
                .clicked()
            {
                actions.push(UiAction::ForwardDetachment);
            }
        }
    }
    if !landings.is_empty() {
        ui.separator();
        ui.strong("Landings").on_hover_text(
            "Fly this detachment into a city or airfield in reach (a garrison that has not heard the cease-fire destroys it), or ship it from its port to a place on the coast in reach (a defended beach is fought for, with the fleet's guns)",
        );
        ui.horizontal_wrapped(|ui| {
            for (name, o) in landings {
                if ui.button(format!("Land at {name}")).clicked() {
                    actions.push(UiAction::Order(o.clone()));
                }
            }
        });
    }
    if let Some((t, group, odds)) = &ui_state.attack {
        ui.separator();
        ui.heading("Attack");
        ui.label(format!(
            "Target: {}",
            crate::rules::orders::describe_hex(map, *t)
        ));
        let attackers: Vec<&str> = group
            .iter()
            .filter_map(|g| units.iter().find(|x| x.id == *g))
            .map(|x| x.name.as_str())
            .collect();
        ui.label(format!("With: {}", attackers.join(", ")));
        ui.label(egui::RichText::new(format!("Odds {odds:.1} : 1")).strong());
        // What made them: each side's strength (readiness and ammunition counted in it) and
        // every factor of ground, weather, air and river.
        if let Some((attack, defence, factors)) = &ui_state.attack_breakdown {
            let line = |ui: &mut egui::Ui, attack_side: bool, total: f64| {
                let mut parts = vec![format!(
                    "{} {} = strength",
                    if attack_side { "Attack" } else { "Defence" },
                    words::amount(total)
                )];
                parts.extend(
                    factors
                        .iter()
                        .filter(|f| f.attack == attack_side)
                        .map(|f| format!("{} {:.2}", f.what, f.times)),
                );
                ui.label(parts.join(" × "));
            };
            line(ui, true, *attack);
            line(ui, false, *defence);
        }
        let expect = if *odds < 1.0 {
            "likely repulsed with heavy losses"
        } else if *odds < 2.5 {
            "the defenders likely hold"
        } else if *odds < 5.0 {
            "the defenders likely fall back"
        } else {
            "the defenders likely break"
        };
        ui.label(format!("Expected: {expect}"));
        if ui
            .button("Attack (T)")
            .on_hover_text("Commit: it is fought when you end the turn")
            .clicked()
        {
            actions.push(UiAction::ConfirmAttack);
        }
    }
    // The march the mouse points at, last: it comes and goes with the pointer, and nothing
    // below it may move when it does.
    ui.separator();
    if let Some((pid, to, p)) = &ui_state.preview
        && *pid == u.id
    {
        ui.strong(format!(
            "March to {}",
            crate::rules::orders::describe_hex(map, *to)
        ));
        let turns = p.legs.len();
        let mut text = if p.arrives {
            format!(
                "arrives in {turns} turn{}",
                if turns == 1 { "" } else { "s" }
            )
        } else {
            match p.stall {
                Some(crate::model::events::HaltReason::OutOfFuel) => {
                    format!("runs dry after {turns} turns, short of the goal")
                }
                Some(r) => format!("stalls after {turns} turns ({r})"),
                None => format!("not there within {turns} turns"),
            }
        };
        text += &format!(
            ", {:.0} km, burns {:.0} t of fuel (holds {:.0} t)",
            p.km, p.fuel_t, p.fuel_on_hand_t
        );
        ui.label(text);
        if !p.zoc.is_empty() {
            ui.colored_label(
                egui::Color32::from_rgb(220, 80, 60),
                format!(
                    "Passes {} hex(es) of enemy zones of control: the march halts on entering one",
                    p.zoc.len()
                ),
            );
        }
        ui.separator();
    }
}

/// Historical dates of the key places, from the calibration facts beside the scenario.
fn calibration_facts(world: &World) -> Vec<CalibrationFact> {
    let Some(launch) = world.get_resource::<Launch>() else {
        return Vec::new();
    };
    let path = launch
        .scenario
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("calibration.ron");
    crate::report::batch::load_calibration(&path).unwrap_or_default()
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
    let report = crate::report::campaign_report_in(world);
    let facts = calibration_facts(world);
    let (fronts, adv_times, adv_series) = advance_from_log(world);
    let soviet_armies: Vec<String> = world
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .filter(|f| f.side == Side::Soviet && matches!(f.kind, FormationKind::TankArmy))
        .map(|f| f.name.clone())
        .collect();
    let mut quit = false;
    egui::CentralPanel::default().show(&mut root(&ctx), |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(format!("Debrief — {}", report.scenario));
            ui.label(format!(
                "From {} to {}",
                date(&report.start),
                date(&report.end)
            ));
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                ui.strong("Key places: taken in this game, and in 1945");
                egui::Grid::new("caps").striped(true).show(ui, |ui| {
                    ui.strong("Place");
                    ui.strong("This game");
                    ui.strong("1945");
                    ui.end_row();
                    for f in &facts {
                        let Check::Captured {
                            place, not_after, ..
                        } = &f.check
                        else {
                            continue;
                        };
                        let taken = report
                            .places
                            .iter()
                            .find(|p| p.name == *place)
                            .and_then(|p| p.captured.clone());
                        let on_time = taken.as_deref().is_some_and(|t| t <= not_after.as_str());
                        ui.label(place);
                        let txt = taken.as_deref().map_or("not taken".into(), date);
                        ui.colored_label(
                            if on_time {
                                egui::Color32::LIGHT_GREEN
                            } else {
                                egui::Color32::from_rgb(230, 150, 60)
                            },
                            txt,
                        );
                        ui.label(&f.historical).on_hover_text(&f.source);
                        ui.end_row();
                    }
                });
                ui.add_space(10.0);
                ui.strong("Losses");
                let l = &report.losses;
                egui::Grid::new("losses").striped(true).show(ui, |ui| {
                    ui.label("");
                    ui.strong("Killed");
                    ui.strong("Wounded");
                    ui.strong("Tanks");
                    ui.strong("Prisoners");
                    ui.end_row();
                    ui.label("Soviet");
                    ui.label(words::thousands(l.soviet.killed));
                    ui.label(words::thousands(l.soviet.wounded));
                    ui.label(words::thousands(l.soviet.tanks));
                    ui.label("—");
                    ui.end_row();
                    ui.label("Japanese");
                    ui.label(words::thousands(l.japanese.killed));
                    ui.label(words::thousands(l.japanese.wounded));
                    ui.label(words::thousands(l.japanese.tanks));
                    ui.label(words::thousands(l.japanese.prisoners));
                    ui.end_row();
                });
                ui.add_space(6.0);
                ui.label(format!(
                    "Soviet fuel burned {} t; {} t airlifted in {} sorties.",
                    words::amount(report.logistics.fuel_consumed_t),
                    words::amount(report.logistics.fuel_airlifted_t),
                    words::thousands(report.logistics.airlift_sorties)
                ));
                ui.add_space(6.0);
                ui.strong("The tank army against 1945");
                let army_km = crate::report::batch::tank_army_from_log(world);
                let army_refills: Vec<f64> = report
                    .timeline
                    .iter()
                    .filter(|r| r.formation == crate::report::batch::TANK_ARMY)
                    .map(|r| r.refills)
                    .collect();
                for f in &facts {
                    let (at, min, max, series, unit) = match &f.check {
                        Check::TankArmyAdvance { at, min_km, max_km } => {
                            (at, *min_km, *max_km, &army_km, "km")
                        }
                        Check::TankArmyFuel { at, min, max } => {
                            (at, *min, *max, &army_refills, "refills")
                        }
                        _ => continue,
                    };
                    let value = crate::report::batch::turn_ended_by(&adv_times, at)
                        .and_then(|t| series.get(t).copied());
                    let text = match value {
                        Some(v) => format!(
                            "{} {}: {} — this game {v:.1} {unit}",
                            if (min..=max).contains(&v) {
                                "✔"
                            } else {
                                "✘"
                            },
                            f.event,
                            f.historical
                        ),
                        None => format!("· {}: {} — not reached yet", f.event, f.historical),
                    };
                    ui.label(text).on_hover_text(&f.source);
                }
                ui.add_space(6.0);
                ui.strong("Documented in 1945");
                for f in facts
                    .iter()
                    .filter(|f| matches!(f.check, Check::Quantity { .. }))
                {
                    ui.label(format!("{}: {}", f.event, f.historical))
                        .on_hover_text(&f.source);
                }
                if let Some(v) = &report.victory {
                    ui.add_space(10.0);
                    ui.strong("Victory");
                    for sv in &v.sides {
                        ui.label(format!(
                            "{}: {} — {} of {} objective weight met",
                            sv.side, sv.level, sv.met_weight, sv.total_weight
                        ));
                        for j in &sv.objectives {
                            ui.label(format!(
                                "   {} {} — {}",
                                match j.status {
                                    crate::report::victory::Status::Met => "✔",
                                    crate::report::victory::Status::Failed => "✘",
                                    crate::report::victory::Status::Open => "·",
                                },
                                j.text,
                                j.outcome
                            ));
                        }
                    }
                }

                let ui = &mut cols[1];
                ui.strong("Depth of each front's advance, km (dots: documented depths)");
                let advance_facts: Vec<(String, String, f64, f64)> = facts
                    .iter()
                    .filter_map(|f| match &f.check {
                        Check::Advance {
                            front,
                            at,
                            min_km,
                            max_km,
                        } => Some((front.clone(), at.clone(), *min_km, *max_km)),
                        _ => None,
                    })
                    .collect();
                chart(ui, &adv_times, &fronts, &adv_series, &advance_facts);
                ui.add_space(10.0);
                ui.strong("Fuel on hand of the tank armies, in refills");
                let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
                let mut times: Vec<String> = Vec::new();
                for r in report
                    .timeline
                    .iter()
                    .filter(|r| soviet_armies.contains(&r.formation))
                {
                    if !times.contains(&r.time) {
                        times.push(r.time.clone());
                    }
                    by.entry(r.formation.clone()).or_default().push(r.refills);
                }
                let names: Vec<String> = by.keys().cloned().collect();
                let vals: Vec<Vec<f64>> = by.into_values().collect();
                chart(ui, &times, &names, &vals, &[]);
            });
            ui.add_space(16.0);
            if ui.button("Quit").clicked() {
                quit = true;
            }
        });
    });
    if quit {
        world.write_message(AppExit::Success);
    }
    state.apply(world);
}

/// A small line chart: one line per series over the sample times, with documented points.
fn chart(
    ui: &mut egui::Ui,
    times: &[String],
    names: &[String],
    series: &[Vec<f64>],
    marks: &[(String, String, f64, f64)],
) {
    let colours = [
        egui::Color32::from_rgb(230, 90, 70),
        egui::Color32::from_rgb(90, 170, 230),
        egui::Color32::from_rgb(120, 210, 110),
        egui::Color32::from_rgb(230, 190, 60),
        egui::Color32::from_rgb(200, 120, 220),
    ];
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width().min(560.0), 190.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, egui::Color32::GRAY),
        egui::StrokeKind::Inside,
    );
    let n = times.len().max(2);
    let max = series
        .iter()
        .flatten()
        .copied()
        .chain(marks.iter().map(|m| m.3))
        .fold(1.0f64, f64::max)
        * 1.05;
    let x_of = |i: f64| rect.left() + rect.width() * (i / (n - 1) as f64) as f32;
    let y_of = |v: f64| rect.bottom() - rect.height() * (v / max) as f32;
    for (k, s) in series.iter().enumerate() {
        let pts: Vec<egui::Pos2> = s
            .iter()
            .enumerate()
            .map(|(i, v)| egui::pos2(x_of(i as f64), y_of(*v)))
            .collect();
        painter.add(egui::Shape::line(
            pts,
            egui::Stroke::new(2.0, colours[k % colours.len()]),
        ));
    }
    for (front, at, lo, hi) in marks {
        let Some(k) = names.iter().position(|n| n == front) else {
            continue;
        };
        let Some(i) = times.iter().position(|t| t.as_str() >= at.as_str()) else {
            continue;
        };
        let x = x_of(i as f64);
        let c = colours[k % colours.len()];
        painter.line_segment(
            [egui::pos2(x, y_of(*lo)), egui::pos2(x, y_of(*hi))],
            egui::Stroke::new(3.0, c),
        );
        painter.circle_filled(egui::pos2(x, y_of((lo + hi) / 2.0)), 4.0, c);
    }
    painter.text(
        rect.left_top() + egui::vec2(4.0, 2.0),
        egui::Align2::LEFT_TOP,
        format!("{max:.0}"),
        egui::FontId::proportional(11.0),
        egui::Color32::GRAY,
    );
    if let (Some(a), Some(b)) = (times.first(), times.last()) {
        painter.text(
            rect.left_bottom() + egui::vec2(4.0, -2.0),
            egui::Align2::LEFT_BOTTOM,
            date(a),
            egui::FontId::proportional(11.0),
            egui::Color32::GRAY,
        );
        painter.text(
            rect.right_bottom() + egui::vec2(-4.0, -2.0),
            egui::Align2::RIGHT_BOTTOM,
            date(b),
            egui::FontId::proportional(11.0),
            egui::Color32::GRAY,
        );
    }
    ui.horizontal_wrapped(|ui| {
        for (k, name) in names.iter().enumerate() {
            ui.colored_label(colours[k % colours.len()], format!("■ {name}"));
        }
    });
}
