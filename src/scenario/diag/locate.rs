//! Finding where a value sits in RON text by its path (`truck_pools[3].formation`): a
//! problem found after parsing is reported at the figure itself.

use super::{Diagnostic, Severity, SourceText};

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
