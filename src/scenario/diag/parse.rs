//! Parsing RON into the formats: nesting refused past a depth before the parser runs, and a
//! syntax or schema error turned into a diagnostic with its line, column and a hint.

use super::{Diagnostic, Severity, SourceText};

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

/// Parses RON into `T`, turning a syntax or schema error into a diagnostic with line and
/// column. Depth is limited by the RON parser (128 levels) so hostile nesting is an error.
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
