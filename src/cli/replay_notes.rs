//! `replay SAVE --notes OUT`: the save played again phase by phase and its commented
//! timeline, with the teacher's notes kept beside the save, written for a class.

use std::path::Path;
use std::process::ExitCode;

use crate::report::class_notes::{Format, timeline};
use crate::report::outputs::Inputs;
use crate::rules::phases::Phases;
use crate::scenario::notes::{load_notes_of, notes_path};

pub fn run(save: &Path, out: &Path) -> ExitCode {
    match write(save, out) {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(Failure::Message(m)) => {
            eprintln!("error: {m}");
            ExitCode::FAILURE
        }
        Err(Failure::Diagnostics(d)) => {
            super::print_diagnostics(&d);
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Message(String),
    Diagnostics(Vec<crate::scenario::Diagnostic>),
}

/// Writes the timeline; says what was written.
fn write(save: &Path, out: &Path) -> Result<String, Failure> {
    let format = Format::of(out).map_err(Failure::Message)?;
    // Refused before the replay, so that a mistaken OUT costs nothing: the save, its notes
    // and its scenario's files are never written over.
    let mut inputs = Inputs::default();
    inputs.add(save, "the save");
    inputs.add(&notes_path(save), "the save's notes");
    inputs.check("--notes", out).map_err(Failure::Message)?;
    let (game, phases) = Phases::load(save).map_err(Failure::Diagnostics)?;
    let setup = game
        .world()
        .resource::<crate::scenario::spawn::GameSetup>()
        .clone();
    inputs.add_scenario(Path::new(&setup.scenario), &setup.what_ifs);
    inputs.check("--notes", out).map_err(Failure::Message)?;
    let notes = load_notes_of(save, Some(game.calendar().turn)).map_err(Failure::Diagnostics)?;
    let mut title = setup.scenario_name.clone();
    if !setup.what_ifs.is_empty() {
        title.push_str(&format!(" (what-ifs: {})", setup.what_ifs.join(", ")));
    }
    let text = timeline(&phases, &notes, &title, &save.display().to_string(), format);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Message(format!("{}: {e}", dir.display())))?;
    }
    crate::scenario::save::write_atomically(out, text.as_bytes())
        .map_err(|e| Failure::Message(format!("--notes {}: {e}", out.display())))?;
    let turns = phases
        .phases
        .iter()
        .filter_map(|p| p.side.map(|_| p.turn))
        .max()
        .unwrap_or(0);
    Ok(format!(
        "wrote {}: {turns} turns, {} teacher's note{}",
        out.display(),
        notes.notes.len(),
        if notes.notes.len() == 1 { "" } else { "s" }
    ))
}
