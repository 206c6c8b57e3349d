//! The replay viewer's state: the save's phases, the phase shown and how it is played, the
//! stops, each side's view and the teacher's notes; opened from a save.

use std::path::{Path, PathBuf};

use bevy::prelude::*;

use crate::model::*;
use crate::rules::phases::{MomentKind, Phases};
use crate::scenario::Diagnostic;
use crate::scenario::notes::{Note, NotesFile, load_notes_of, save_notes};

/// Speeds of play, in phases a second.
pub const SPEEDS: [f32; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// A saved game being watched again.
#[derive(Resource)]
pub struct Replay {
    pub path: PathBuf,
    pub phases: Phases,
    /// The phase in the world now.
    pub shown: usize,
    /// The phase asked for (by the timeline, a button, a key or a click in the log).
    pub want: usize,
    pub playing: bool,
    /// Phases a second while playing.
    pub speed: f32,
    /// When the last phase was played (seconds since start).
    pub last_step: f64,
    /// The kinds of moment playing stops at, and that Previous and Next jump between.
    pub stops: Vec<MomentKind>,
    /// Whose eyes the map shows: `None` for everything.
    pub view: Option<Side>,
    pub notes: NotesFile,
    /// The note being written at the phase shown: its title and text (the note pinned
    /// there, when the phase is reached).
    pub draft_title: String,
    pub draft_text: String,
    /// What the last pin or removal did, for the panel.
    pub message: Option<String>,
    /// The phase the list of the game's moments was last scrolled to.
    pub scrolled_to: Option<usize>,
}

impl Replay {
    pub fn last(&self) -> usize {
        self.phases.len().saturating_sub(1)
    }

    /// The notes phase `k` shows.
    pub fn notes_at(&self, k: usize) -> Vec<&Note> {
        let Some(p) = self.phases.phases.get(k) else {
            return Vec::new();
        };
        let Some(side) = p.side else {
            return Vec::new();
        };
        let first = self.phases.phase_of(p.turn, None) == Some(k);
        self.notes.shown_at(p.turn, side, first)
    }

    /// Whether playing stops at phase `k`: a note, or a moment of a kind chosen.
    pub fn stops_at(&self, k: usize) -> bool {
        !self.notes_at(k).is_empty()
            || self.phases.phases[k]
                .moments
                .iter()
                .any(|m| self.stops.contains(&m.kind))
    }

    /// Puts the note being written into the draft: the one pinned here, if any.
    pub fn load_draft(&mut self, k: usize) {
        let (turn, side) = match self.phases.phases.get(k) {
            Some(p) => (p.turn, p.side),
            None => return,
        };
        let pinned = self.notes.at(turn, side).cloned();
        (self.draft_title, self.draft_text) = match pinned {
            Some(n) => (n.title, n.text),
            None => (String::new(), String::new()),
        };
    }

    /// Pins the draft to the phase shown and writes the notes beside the save.
    pub fn pin(&mut self) {
        let Some(p) = self.phases.phases.get(self.shown) else {
            return;
        };
        if p.side.is_none() {
            self.message = Some("Step to a phase to pin a note to it".into());
            return;
        }
        let note = Note {
            turn: p.turn,
            side: p.side,
            title: self.draft_title.trim().to_string(),
            text: self.draft_text.trim_end().to_string(),
        };
        if note.title.is_empty() && !note.text.trim().is_empty() {
            self.message = Some("Give the note a title".into());
            return;
        }
        let removing = note.title.is_empty();
        let mut notes = self.notes.clone();
        notes.pin(note);
        match save_notes(&self.path, &notes) {
            Ok(written) => {
                self.notes = notes;
                self.message = Some(format!(
                    "{} {}",
                    if removing {
                        "Note removed; saved to"
                    } else {
                        "Note pinned; saved to"
                    },
                    written.display()
                ));
            }
            Err(e) => self.message = Some(format!("The note was not saved: {e}")),
        }
    }
}

/// Opens a save in the viewer: replays it phase by phase, spawns its scenario into the
/// window's world and shows the start.
pub fn open(world: &mut World, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let (game, phases) = Phases::load(path)?;
    let turns = game.calendar().turn;
    let notes = load_notes_of(path, Some(turns))?;
    crate::rules::save::spawn_like(world, &game, path)?;
    let whole = |m: String| {
        vec![Diagnostic {
            severity: crate::scenario::diag::Severity::Error,
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            message: m,
            hint: None,
            snippet: None,
        }]
    };
    phases.show(world, 0).map_err(whole)?;
    let mut r = Replay {
        path: path.to_path_buf(),
        phases,
        shown: 0,
        want: 0,
        playing: false,
        speed: 1.0,
        last_step: 0.0,
        stops: vec![MomentKind::Capture],
        view: None,
        notes,
        draft_title: String::new(),
        draft_text: String::new(),
        message: None,
        scrolled_to: None,
    };
    r.load_draft(0);
    world.insert_resource(r);
    Ok(())
}
