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

    /// Offset of the `index`-th (0-based) entry of the top-level list `list:`: its name
    /// where it has one, else the entry itself. Entries are counted by position, so two
    /// entries sharing a name, or entries without names, are found all the same.
    pub fn entry(&self, list: &str, index: usize) -> Option<usize> {
        self.locate(&format!("{list}[{index}].name"))
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

    /// Offset of the value of `field:` in the `index`-th entry of the top-level list
    /// `list:` (the entry itself when the field is not written).
    pub fn field(&self, list: &str, index: usize, field: &str) -> Option<usize> {
        self.locate(&format!("{list}[{index}].{field}"))
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

/// One step of a path into a RON value: a struct field or map key by name, or a list or
/// tuple element by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Splits a path written `truck_pools[3].formation` or `combat.killed_share.Soviet` into
/// steps.
pub fn path_steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            out.push(match name.parse::<usize>() {
                Ok(n) => Step::Index(n),
                Err(_) => Step::Key(name.to_string()),
            });
        }
        for idx in rest.split('[') {
            if let Ok(n) = idx.trim_end_matches(']').parse::<usize>() {
                out.push(Step::Index(n));
            }
        }
    }
    out
}

impl SourceText {
    /// Offset of the value at `path` (see [`path_steps`]), found by walking the structure
    /// of the text: the place a problem found after parsing belongs, whatever the names in
    /// the entries. Where the path goes further than the text (a field left to its
    /// default), the deepest part of it that is written.
    pub fn locate(&self, path: &str) -> Option<usize> {
        let steps = path_steps(path);
        let mut w = Walker {
            b: self.text.as_bytes(),
            i: 0,
        };
        w.ws();
        let mut best = None;
        w.descend(&steps, &mut best);
        best
    }

    /// A diagnostic at the value a path names.
    pub fn at_path(
        &self,
        severity: Severity,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.at_offset(severity, self.locate(path), message)
    }
}

/// A cursor over RON text that skips whole values, used to find where a value sits. It is
/// run only on text that has parsed, so it may be lenient; it never panics on any text.
struct Walker<'a> {
    b: &'a [u8],
    i: usize,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips whitespace and comments.
    fn ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.i += 1,
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'*') => {
                    let mut open = 0usize;
                    while self.i < self.b.len() {
                        if self.b[self.i] == b'/' && self.b.get(self.i + 1) == Some(&b'*') {
                            open += 1;
                            self.i += 2;
                        } else if self.b[self.i] == b'*' && self.b.get(self.i + 1) == Some(&b'/') {
                            open -= 1;
                            self.i += 2;
                            if open == 0 {
                                break;
                            }
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips a bare word (identifier or number); returns it.
    fn atom(&mut self) -> &str {
        let s = self.i;
        while self
            .peek()
            .is_some_and(|c| !(c.is_ascii_whitespace() || b",:()[]{}\"'".contains(&c) || c == b'/'))
        {
            self.i += 1;
        }
        std::str::from_utf8(&self.b[s..self.i]).unwrap_or("")
    }

    /// Skips a string (plain or raw) at the cursor; returns its contents, unescaped only
    /// as far as quotes go.
    fn string(&mut self) -> String {
        if self.peek() == Some(b'r') {
            self.i += 1;
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.i += 1;
            }
            self.i += 1;
            let s = self.i;
            while self.i < self.b.len() {
                if self.b[self.i] == b'"'
                    && self.b[self.i + 1..]
                        .iter()
                        .take_while(|&&c| c == b'#')
                        .count()
                        >= hashes
                {
                    let out = String::from_utf8_lossy(&self.b[s..self.i]).into_owned();
                    self.i += 1 + hashes;
                    return out;
                }
                self.i += 1;
            }
            return String::new();
        }
        let quote = self.b[self.i];
        self.i += 1;
        let s = self.i;
        while self.i < self.b.len() && self.b[self.i] != quote {
            self.i += if self.b[self.i] == b'\\' { 2 } else { 1 };
        }
        let out = String::from_utf8_lossy(&self.b[s..self.i.min(self.b.len())]).into_owned();
        self.i += 1;
        out
    }

    fn is_raw_string(&self) -> bool {
        self.peek() == Some(b'r') && matches!(self.b.get(self.i + 1), Some(b'"') | Some(b'#'))
    }

    /// Skips one value.
    fn skip(&mut self) {
        self.ws();
        match self.peek() {
            Some(b'"') | Some(b'\'') => {
                self.string();
            }
            _ if self.is_raw_string() => {
                self.string();
            }
            Some(b'(') | Some(b'[') | Some(b'{') => self.group(),
            Some(_) => {
                let before = self.i;
                self.atom();
                self.ws();
                if self.peek() == Some(b'(') {
                    self.group();
                } else if self.i == before {
                    // A stray character: step over it so the walk always ends.
                    self.i += 1;
                }
            }
            None => {}
        }
    }

    /// Skips a bracketed group at the cursor.
    fn group(&mut self) {
        self.i += 1;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b')') | Some(b']') | Some(b'}') => {
                    self.i += 1;
                    return;
                }
                Some(b',') | Some(b':') => self.i += 1,
                _ => self.skip(),
            }
        }
    }

    /// From the start of a value, follows `steps`; records in `best` the deepest value
    /// reached.
    fn descend(&mut self, steps: &[Step], best: &mut Option<usize>) {
        self.ws();
        // `Some(x)` and a named struct `Name(...)` stand for what they wrap.
        let start = self.i;
        let mut named = None;
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && !self.is_raw_string()
        {
            named = Some(self.atom().to_string());
            self.ws();
            if self.peek() != Some(b'(') {
                *best = Some(start);
                return;
            }
        }
        if named.as_deref() == Some("Some") {
            self.i += 1;
            return self.descend(steps, best);
        }
        *best = Some(start);
        let Some(first) = steps.first() else {
            return;
        };
        let open = match self.peek() {
            Some(c @ (b'(' | b'[' | b'{')) => c,
            _ => return,
        };
        self.i += 1;
        let mut index = 0;
        loop {
            self.ws();
            match self.peek() {
                None | Some(b')') | Some(b']') | Some(b'}') => return,
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            // A field or map key, when a `:` follows it.
            let item = self.i;
            let key = if open == b'[' {
                None
            } else if matches!(self.peek(), Some(b'"') | Some(b'\'')) || self.is_raw_string() {
                Some(self.string())
            } else if self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            {
                Some(self.atom().to_string())
            } else {
                None
            };
            self.ws();
            let keyed = key.is_some() && self.peek() == Some(b':');
            if keyed {
                self.i += 1;
                let hit = matches!(first, Step::Key(k) if Some(k) == key.as_ref());
                if hit {
                    return self.descend(&steps[1..], best);
                }
                self.skip();
            } else {
                self.i = item;
                if *first == Step::Index(index) {
                    return self.descend(&steps[1..], best);
                }
                self.skip();
                index += 1;
            }
        }
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
