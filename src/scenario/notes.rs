//! Teachers' notes on a saved game: a RON file beside the save (`game.ron` →
//! `game.notes.ron`) holding notes pinned to a turn and, where it matters, a side's phase;
//! read strictly, checked with located errors, written atomically, never over the save.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::diag::{Diagnostic, Severity, SourceText, parse_ron};
use super::load::read_source;
use crate::model::Side;

/// A note's title is a heading: this long at most.
pub const MAX_TITLE_CHARS: usize = 120;
/// A note is read aloud in class, not a chapter: this long at most.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Notes in one file, at most.
pub const MAX_NOTES: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotesFile {
    pub notes: Vec<Note>,
}

/// A note pinned to a turn: to one side's phase of it, or to the turn as a whole (shown at
/// its first phase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub turn: u32,
    #[serde(default)]
    pub side: Option<Side>,
    pub title: String,
    pub text: String,
}

impl NotesFile {
    /// The note pinned to exactly this turn and side, if any.
    pub fn at(&self, turn: u32, side: Option<Side>) -> Option<&Note> {
        self.notes.iter().find(|n| n.turn == turn && n.side == side)
    }

    /// The notes a phase shows: those pinned to it, and those pinned to its turn as a whole
    /// when it is the turn's first phase.
    pub fn shown_at(&self, turn: u32, side: Side, first_of_turn: bool) -> Vec<&Note> {
        self.notes
            .iter()
            .filter(|n| {
                n.turn == turn && (n.side == Some(side) || (n.side.is_none() && first_of_turn))
            })
            .collect()
    }

    /// Pins a note to a turn and side: replaces the one there, or adds it, keeping the notes
    /// in the order of the game. An empty title and text remove the note.
    pub fn pin(&mut self, note: Note) {
        self.notes
            .retain(|n| !(n.turn == note.turn && n.side == note.side));
        if note.title.trim().is_empty() && note.text.trim().is_empty() {
            return;
        }
        let key = |n: &Note| (n.turn, n.side.map_or(0, |s| 1 + s as u8));
        let at = self
            .notes
            .iter()
            .position(|n| key(n) > key(&note))
            .unwrap_or(self.notes.len());
        self.notes.insert(at, note);
    }
}

/// Where a save's notes are kept: beside it, `NAME.notes.ron` for `NAME.ron`.
pub fn notes_path(save: &Path) -> PathBuf {
    let stem = save
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    save.with_file_name(format!("{stem}.notes.ron"))
}

/// The save a notes file belongs to: `NAME.ron` for `NAME.notes.ron`.
pub fn save_of(notes: &Path) -> Option<PathBuf> {
    let name = notes.file_name()?.to_string_lossy();
    let stem = name.strip_suffix(".notes.ron")?;
    Some(notes.with_file_name(format!("{stem}.ron")))
}

/// Whether a path names a notes file (`*.notes.ron`).
pub fn is_notes_path(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".notes.ron"))
}

/// Reads a notes file strictly: every problem with its line and column. `turns`, where
/// known, is the last turn the save reached: a note pinned beyond it would never show.
pub fn load_notes(path: &Path, turns: Option<u32>) -> Result<NotesFile, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    parse_notes(&src, turns)
}

/// Reads the notes of a save: none yet when the file is missing.
pub fn load_notes_of(save: &Path, turns: Option<u32>) -> Result<NotesFile, Vec<Diagnostic>> {
    let path = notes_path(save);
    if !path.exists() {
        return Ok(NotesFile::default());
    }
    load_notes(&path, turns)
}

pub fn parse_notes(src: &SourceText, turns: Option<u32>) -> Result<NotesFile, Vec<Diagnostic>> {
    let file: NotesFile = parse_ron(src).map_err(|d| vec![d])?;
    let problems = check_notes(src, &file, turns);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(file)
}

/// The problems of a parsed notes file, each at the value concerned.
pub fn check_notes(src: &SourceText, file: &NotesFile, turns: Option<u32>) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut err = |path: String, msg: String, hint: Option<&str>| {
        let mut x = src.at_path(Severity::Error, &path, msg);
        x.hint = hint.map(str::to_string);
        d.push(x);
    };
    if file.notes.len() > MAX_NOTES {
        err(
            format!("notes[{MAX_NOTES}]"),
            format!(
                "the file has {} notes; a notes file holds at most {MAX_NOTES}",
                file.notes.len()
            ),
            None,
        );
    }
    for (i, n) in file.notes.iter().enumerate() {
        let name = format!("note {} (\"{}\")", i + 1, short(&n.title));
        if n.turn == 0 {
            err(
                format!("notes[{i}].turn"),
                format!("{name} is pinned to turn 0; turns are counted from 1"),
                Some("pin a note to the turn whose phase it comments, e.g. `turn: 5`"),
            );
        }
        if let Some(t) = turns
            && n.turn > t
        {
            err(
                format!("notes[{i}].turn"),
                format!(
                    "{name} is pinned to turn {}, but the save reaches only turn {t}: the note would never show",
                    n.turn
                ),
                None,
            );
        }
        if n.title.trim().is_empty() {
            err(
                format!("notes[{i}].title"),
                format!("note {} has no title", i + 1),
                Some("a few words that say what the note is about, e.g. `title: \"Out of fuel\"`"),
            );
        }
        if n.title.chars().count() > MAX_TITLE_CHARS {
            err(
                format!("notes[{i}].title"),
                format!(
                    "{name} has a title of {} characters; at most {MAX_TITLE_CHARS}",
                    n.title.chars().count()
                ),
                Some("put the rest in its text"),
            );
        }
        if n.text.chars().count() > MAX_TEXT_CHARS {
            err(
                format!("notes[{i}].text"),
                format!(
                    "{name} has {} characters of text; at most {MAX_TEXT_CHARS}",
                    n.text.chars().count()
                ),
                Some("split it into notes on several turns"),
            );
        }
        if let Some(j) = file.notes[..i]
            .iter()
            .position(|m| m.turn == n.turn && m.side == n.side)
        {
            err(
                format!("notes[{i}].turn"),
                format!(
                    "{name} is pinned to the same {} as note {}: one note a phase",
                    match n.side {
                        Some(s) => format!("turn and side (turn {}, {})", n.turn, s.name()),
                        None => format!("turn ({})", n.turn),
                    },
                    j + 1
                ),
                Some("put both texts in one note"),
            );
        }
    }
    d
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Writes a save's notes beside it, atomically; never over the save itself or any file that
/// is not a notes file.
pub fn save_notes(save: &Path, notes: &NotesFile) -> std::io::Result<PathBuf> {
    let path = notes_path(save);
    write_notes(&path, save, notes)?;
    Ok(path)
}

/// Writes notes to `path`, refusing the save they belong to.
pub fn write_notes(path: &Path, save: &Path, notes: &NotesFile) -> std::io::Result<()> {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    if same(path, save) || !is_notes_path(path) {
        return Err(std::io::Error::other(format!(
            "notes are written only to a file named NAME.notes.ron beside the save, not to {}",
            path.display()
        )));
    }
    let text = ron::ser::to_string_pretty(
        notes,
        ron::ser::PrettyConfig::default()
            .struct_names(true)
            .indentor("    ".to_string()),
    )
    .map_err(std::io::Error::other)?;
    let head = "// Teachers' notes on a saved game: each note is pinned to a turn (and a side's\n\
                // phase, or None for the turn's first phase) and shows when the replay reaches it.\n";
    super::save::write_atomically(path, format!("{head}{text}\n").as_bytes())
}
