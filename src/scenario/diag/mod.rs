//! Diagnostics: every problem in a data file with its file, line, column, what was expected
//! and a hint, printed the way a compiler prints them.

mod locate;
mod parse;
mod source;

use std::fmt;
use std::path::PathBuf;

pub use locate::{Step, path_steps};
pub use parse::{MAX_NESTING, parse_ron};
pub use source::SourceText;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, for display.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{sev}: {}", self.message)?;
        if self.line > 0 {
            writeln!(
                f,
                "  --> {}:{}:{}",
                self.file.display(),
                self.line,
                self.col
            )?;
        } else {
            writeln!(f, "  --> {}", self.file.display())?;
        }
        if let Some(s) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let (s, col) = snippet_window(s, self.col);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {s}")?;
            let caret_at = s
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
            writeln!(f, "{pad} | {caret_at}^")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  = hint: {h}")?;
        }
        Ok(())
    }
}

/// Longest source line a diagnostic echoes whole; a longer one (a file written on one line)
/// is cut to this many characters around the column.
pub const SNIPPET_CHARS: usize = 120;

/// The part of a line to echo, and the column of the caret in it.
fn snippet_window(line: &str, col: usize) -> (String, usize) {
    let len = line.chars().count();
    if len <= SNIPPET_CHARS {
        return (line.to_string(), col);
    }
    let from = col
        .saturating_sub(1)
        .saturating_sub(SNIPPET_CHARS / 2)
        .min(len - SNIPPET_CHARS);
    let mut out: String = line.chars().skip(from).take(SNIPPET_CHARS).collect();
    let mut caret = col - from;
    if from > 0 {
        out.insert_str(0, "...");
        caret += 3;
    }
    if from + SNIPPET_CHARS < len {
        out.push_str("...");
    }
    (out, caret)
}

/// The closest of `candidates` to `word`, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A "did you mean" hint: the candidate nearest `word`, where one is near enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

/// What every file says of a place the map does not have: the message, and the nearest of
/// the map's place names and aliases as a hint.
pub fn unknown_place(map: &crate::model::Map, name: &str) -> (String, Option<String>) {
    let all = map
        .places
        .iter()
        .flat_map(|p| std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str)));
    (
        format!("there is no place named \"{name}\" on the map"),
        did_you_mean(name, all),
    )
}

/// What every file says of a formation the order of battle does not have, with the nearest
/// formation's name as a hint.
pub fn unknown_formation<'a>(
    name: &str,
    formations: impl IntoIterator<Item = &'a str>,
) -> (String, Option<String>) {
    (
        format!("there is no formation named \"{name}\""),
        did_you_mean(name, formations),
    )
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A figure as a message shows it: plain for everyday sizes, in powers of ten when huge or
/// tiny (a hostile `1e308` is not echoed as 309 digits), and in words when not a number.
pub fn figure(v: f64) -> String {
    if v.is_nan() {
        "not a number".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "infinity"
        } else {
            "minus infinity"
        }
        .into()
    } else if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:.3e}")
    } else {
        // Shortest form that reads back as the same number, without a trailing ".0".
        let s = format!("{v}");
        s.strip_suffix(".0").map_or(s.clone(), str::to_string)
    }
}

/// Diagnostics as text, one to a line, as the command line prints them.
pub fn to_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
