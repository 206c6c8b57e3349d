//! The title screen: scenario, what-ifs and side, saves to continue or watch again, and a
//! game by e-mail.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::gui::state::{Launch, Mode, Screen, Ui};
use crate::gui::widgets::{note, root};
use crate::model::*;

pub fn skip_title(launch: Res<Launch>, mut next: ResMut<NextState<Screen>>) {
    if launch.skip_title {
        next.set(Screen::Playing);
    }
}

pub fn title(
    mut contexts: EguiContexts,
    mut launch: ResMut<Launch>,
    mut next: ResMut<NextState<Screen>>,
    mut state: ResMut<Ui>,
    mut catalogue: Local<Option<Vec<crate::scenario::catalogue::ScenarioEntry>>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    // The scenarios beside the one the window was started with, read once.
    let catalogue = catalogue.get_or_insert_with(|| {
        let dir = launch
            .scenario
            .parent()
            .unwrap_or(std::path::Path::new("."));
        crate::scenario::catalogue::scenarios_in(dir)
    });
    let mut controls = Vec::new();
    let mut leaving = false;
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        // Scrolls on a small screen, so that nothing below the fold is out of reach.
        egui::ScrollArea::vertical().show(ui, |ui| {
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
                choices(ui, &mut launch, catalogue);
                ui.add_space(24.0);
                start_or_load(ui, &mut launch, &mut next, &mut leaving, &mut controls);
                watch_saves(
                    ui,
                    &mut launch,
                    &mut next,
                    &state,
                    &mut leaving,
                    &mut controls,
                );
                ui.add_space(12.0);
                pbem_section(
                    ui,
                    &mut launch,
                    &mut state,
                    &mut next,
                    &mut leaving,
                    &mut controls,
                );
                ui.add_space(12.0);
                ui.label(
                    "Batch analysis of what-ifs, reports and explanations: `august-storm --help`.",
                );
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

/// The scenario (those of the folder the window was started from, by the names their files
/// give them), the what-ifs applied to it, and who commands which side.
fn choices(
    ui: &mut egui::Ui,
    launch: &mut Launch,
    catalogue: &[crate::scenario::catalogue::ScenarioEntry],
) {
    ui.label(egui::RichText::new("Scenario").strong());
    if catalogue.is_empty() {
        ui.label(launch.scenario.display().to_string());
    }
    for s in catalogue {
        let on = launch.scenario == s.path
            || crate::report::outputs::same_file(&launch.scenario, &s.path);
        if ui
            .selectable_label(on, &s.name)
            .on_hover_text(&s.description)
            .clicked()
        {
            launch.scenario = s.path.clone();
        }
    }
    ui.add_space(8.0);
    ui.label(egui::RichText::new("What-ifs").strong())
        .on_hover_text("Changes to the historical situation; several may be combined");
    let available: Vec<(String, String)> = crate::scenario::whatif::list_what_ifs(&launch.scenario)
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
}

/// Start, or load the quick save or the autosave.
fn start_or_load(
    ui: &mut egui::Ui,
    launch: &mut Launch,
    next: &mut NextState<Screen>,
    leaving: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    let start = ui
        .button(egui::RichText::new("  Start  ").size(22.0))
        .on_hover_text("Open the map");
    note(controls, "start", &start);
    if start.clicked() {
        next.set(Screen::Playing);
        *leaving = true;
    }
    let quick = std::path::Path::new(crate::gui::actions::SAVE_DIR).join("quicksave.ron");
    let auto = std::path::Path::new(crate::gui::actions::SAVE_DIR).join("autosave.ron");
    for (p, label) in [
        (&quick, "Load the quick save"),
        (&auto, "Load the autosave"),
    ] {
        let r = ui
            .add_enabled(p.exists(), egui::Button::new(label))
            .on_hover_text(p.display().to_string());
        note(controls, label, &r);
        if r.clicked() {
            launch.load = Some(p.clone());
            next.set(Screen::Playing);
            *leaving = true;
        }
    }
}

/// Watch a saved game again: the saves in saves/, newest first, and why the last one chosen
/// could not be watched.
fn watch_saves(
    ui: &mut egui::Ui,
    launch: &mut Launch,
    next: &mut NextState<Screen>,
    state: &Ui,
    leaving: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    // Watch a saved game again: the saves in saves/, newest first.
    let mut saves: Vec<(std::path::PathBuf, std::time::SystemTime)> =
        std::fs::read_dir(crate::gui::actions::SAVE_DIR)
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
    egui::ScrollArea::vertical()
        .max_height(100.0)
        .show(ui, |ui| {
            for (p, _) in saves.iter().take(20) {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let label = format!("Watch {name}");
                let r = ui.button(&label).on_hover_text(p.display().to_string());
                note(controls, &label, &r);
                if r.clicked() {
                    launch.replay = Some(p.clone());
                    launch.mode = Mode::Replay;
                    next.set(Screen::Playing);
                    *leaving = true;
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
}

/// Play by e-mail, folded away until asked for.
fn pbem_section(
    ui: &mut egui::Ui,
    launch: &mut Launch,
    state: &mut Ui,
    next: &mut NextState<Screen>,
    leaving: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    let mut form_controls = Vec::new();
    let header = ui
        .selectable_label(
            state.pbem_form.open,
            egui::RichText::new("Play by e-mail…").strong(),
        )
        .on_hover_text("Two players, each on their own machine, sending each other signed turns");
    note(controls, "pbem", &header);
    if header.clicked() {
        state.pbem_form.open = !state.pbem_form.open;
    }
    if state.pbem_form.open {
        ui.group(|ui| {
            ui.set_max_width(620.0);
            pbem_form(ui, launch, state, next, leaving, &mut form_controls)
        });
    }
    controls.extend(form_controls);
}

/// The title's game by e-mail: a new game from the scenario and side chosen above, or your
/// copy of a game opened (after the other player's turn, where one is named) to play your
/// phase. The other player accepts a new game with `august-storm pbem join`.
pub fn pbem_form(
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
