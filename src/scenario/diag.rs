//! Diagnostics: every problem in a data file with its file, line, column, what was expected
//! and a hint, printed the way a compiler prints them.

use std::fmt;
use std::path::{Path, PathBuf};

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
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {s}")?;
            let caret_at = s
                .char_indices()
                .take(self.col.saturating_sub(1))
                .map(|(_, c)| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
            writeln!(f, "{pad} | {caret_at}^")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  = hint: {h}")?;
        }
        Ok(())
    }
}

/// A loaded text file, able to turn byte offsets into lines and columns and to find where an
/// item sits, so that problems found after parsing still point at the right line.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

impl SourceText {
    pub fn new(path: &Path, text: String) -> Self {
        Self {
            path: path.to_path_buf(),
            text,
        }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        // An offset computed past a key may land inside a multi-byte character of a hostile
        // file; point at the character's start rather than panic on the slice.
        let mut end = offset.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &self.text[..end];
        let line = before.matches('\n').count() + 1;
        let col = before
            .rfind('\n')
            .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
            + 1;
        (line, col)
    }

    pub fn line_text(&self, line: usize) -> Option<String> {
        self.text
            .lines()
            .nth(line.checked_sub(1)?)
            .map(|s| s.to_string())
    }

    /// A diagnostic at a 1-based line and column.
    pub fn at(
        &self,
        severity: Severity,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.path.clone(),
            line,
            col,
            message: message.into(),
            hint: None,
            snippet: self.line_text(line),
        }
    }

    /// A diagnostic at a byte offset (or the file as a whole when `None`).
    pub fn at_offset(
        &self,
        severity: Severity,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        match offset {
            Some(o) => {
                let (l, c) = self.line_col(o);
                self.at(severity, l, c, message)
            }
            None => Diagnostic {
                severity,
                file: self.path.clone(),
                line: 0,
                col: 0,
                message: message.into(),
                hint: None,
                snippet: None,
            },
        }
    }

    /// Offset of the `n`-th (0-based) entry `name: "<name>"` of the list `list:`.
    ///
    /// Lists are written one entry after another; counting `name:` keys from the list's key
    /// finds the entry even when two entries share a name.
    pub fn entry(&self, list: &str, index: usize) -> Option<usize> {
        let start = self.key(0, list)?;
        let mut at = start;
        for _ in 0..=index {
            at = self.key(at + 1, "name")?;
        }
        Some(at)
    }

    /// Offset of `key:` at or after `from`, skipping comments and strings.
    pub fn key(&self, from: usize, key: &str) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                c if (c.is_ascii_alphabetic() || c == b'_')
                    && (i == 0
                        || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
                {
                    let s = i;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_')
                    {
                        i += 1;
                    }
                    if &self.text[s..i] == key {
                        let mut j = i;
                        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        if bytes.get(j) == Some(&b':') {
                            return Some(s);
                        }
                    }
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Offset of a field `field:` inside the `index`-th entry of `list:` (the entry's own
    /// `name:` when the field is not found before the next entry).
    pub fn field(&self, list: &str, index: usize, field: &str) -> Option<usize> {
        let entry = self.entry(list, index)?;
        let next = self.entry(list, index + 1).unwrap_or(self.text.len());
        // Fields may precede `name:` only in hand-reordered files; search from a little before.
        let open = self.text[..entry].rfind('(').unwrap_or(entry);
        match self.key(open, field) {
            Some(o) if o < next => Some(value_start(&self.text, o)),
            _ => Some(entry),
        }
    }
}

/// The offset of the value after `key:` at `key_offset`.
fn value_start(text: &str, key_offset: usize) -> usize {
    let rest = &text[key_offset..];
    match rest.find(':') {
        Some(c) => {
            let after = &rest[c + 1..];
            key_offset + c + 1 + (after.len() - after.trim_start().len())
        }
        None => key_offset,
    }
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

/// Parses RON into `T`, turning a syntax or schema error into a diagnostic with line and
/// column. Depth is limited by the RON parser (128 levels) so hostile nesting is an error.
/// Deepest nesting of brackets a data file may have. The game's own files nest fewer than ten
/// levels; anything deeper is refused before parsing, so a hostile file cannot exhaust the
/// stack.
pub const MAX_NESTING: usize = 64;

/// Byte offset and depth of the first bracket that nests deeper than `MAX_NESTING`, outside
/// strings, character literals and comments.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((i, depth));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                // A string: skip to its closing quote, over escapes.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if b.get(i + 1) == Some(&b'\\') => i += 3,
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in RON.
                let mut open = 1;
                i += 2;
                while i < b.len() && open > 0 {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        open += 1;
                        i += 1;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        open -= 1;
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

pub fn parse_ron<T: serde::de::DeserializeOwned>(src: &SourceText) -> Result<T, Diagnostic> {
    if let Some((offset, depth)) = too_deep(&src.text) {
        let mut d = src.at_offset(
            Severity::Error,
            Some(offset),
            format!(
                "brackets nested {depth} levels deep; data files are limited to {MAX_NESTING} levels"
            ),
        );
        d.hint = Some("a bracket may be left unclosed above this line".into());
        return Err(d);
    }
    ron::Options::default()
        .with_recursion_limit(MAX_NESTING * 2)
        .from_str::<T>(&src.text)
        .map_err(|e| {
            let (line, col) = (e.span.start.line, e.span.start.col);
            let message = match e.code {
                ron::Error::ExceededRecursionLimit => {
                    format!(
                        "the data is nested too deeply (over {} levels)",
                        MAX_NESTING * 2
                    )
                }
                code => code.to_string(),
            };
            let hint = ron_hint(&message);
            let mut d = src.at(Severity::Error, line, col, message);
            d.hint = hint;
            d
        })
}

fn ron_hint(message: &str) -> Option<String> {
    let m = message.to_lowercase();
    if m.contains("unexpected field") || m.contains("unknown field") {
        Some("check the spelling; every field the format allows is listed above".into())
    } else if m.contains("missing field") {
        Some("every field must be given; see the README's scenario format".into())
    } else if m.contains("variant") {
        Some("kinds are written bare, without quotes, e.g. `kind: RifleDivision`".into())
    } else if m.contains("expected") && m.contains("float") {
        Some("write numbers with a decimal point where a fraction is allowed, e.g. `20.0`".into())
    } else if m.contains("integer") {
        Some("counts are whole numbers, e.g. `men: 12000`".into())
    } else {
        None
    }
}
