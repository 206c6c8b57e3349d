//! A data file's text in memory: byte offsets turned into lines and columns, and the entries
//! and keys of its RON found by name, so that a problem points at its line.

use std::path::{Path, PathBuf};

use super::{Diagnostic, Severity};

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
