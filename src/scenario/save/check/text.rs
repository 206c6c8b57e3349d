//! Finding a value of a save in its text by the steps to it, without a second parse: a
//! problem is reported at the line and column of the value it concerns.

use super::Step;

/// A part of a save, in the words of the game.
pub(super) fn section(field: &str) -> &str {
    match field {
        "events" => "event log",
        "orders" => "order log",
        "pending" => "orders waiting for the end of the turn",
        "control" => "control of places",
        "rail" => "captured railways",
        "ledger" => "fuel ledger",
        "airlift_booked" => "airlift bookings",
        "ceasefire" => "cease-fire",
        "intel" => "intelligence",
        "landings" => "landings under way",
        "air_strikes_spent" => "air strikes",
        "rng" => "random number generator",
        other => other,
    }
}

/// Where `path` leads in a RON text: the byte offset of the value, found by walking the
/// brackets (fields at the right depth, entries by their commas), or `None`.
pub(super) fn locate(text: &str, path: &[Step]) -> Option<usize> {
    let b = text.as_bytes();
    // The opening bracket of the value at `from` (skipping `Some`, a variant name, spaces).
    let open_at = |from: usize| -> Option<usize> {
        let mut i = from;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => return Some(i),
                // A name before the bracket (`Some`, a variant) or an entry's key.
                c if c.is_ascii_alphanumeric()
                    || matches!(c, b'_' | b':' | b'-')
                    || c.is_ascii_whitespace() =>
                {
                    i += 1
                }
                _ => return None,
            }
        }
        None
    };
    let mut at = 0usize;
    let mut value = open_at(skip_space(b, 0))?;
    for s in path {
        let open = open_at(value)?;
        at = match s {
            Step::Field(f) => field_in(b, open, f)?,
            Step::Entry(n) => entry_in(b, open, *n)?,
        };
        value = at;
        if let Step::Field(_) = s {
            // Past the name and its colon, to the value.
            let mut i = at;
            while i < b.len() && b[i] != b':' {
                i += 1;
            }
            value = skip_space(b, i + 1);
        }
    }
    Some(at)
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Walks the bracketed value opening at `open`, calling `visit(offset, depth)` for every
/// byte outside strings and comments; stops when the value closes or `visit` says so.
fn walk(b: &[u8], open: usize, mut visit: impl FnMut(usize, usize) -> bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return None;
                }
            }
            _ => {}
        }
        if visit(i, depth) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The offset of the field `name:` directly inside the value opening at `open`.
fn field_in(b: &[u8], open: usize, name: &str) -> Option<usize> {
    let n = name.as_bytes();
    walk(b, open, |i, depth| {
        depth == 1
            && b[i..].starts_with(n)
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b.get(skip_space(b, i + n.len())) == Some(&b':')
    })
}

/// The offset of the `n`-th (0-based) entry directly inside the list or map opening at `open`.
fn entry_in(b: &[u8], open: usize, n: usize) -> Option<usize> {
    let mut commas = 0usize;
    let mut started = false;
    walk(b, open, |i, depth| {
        if i == open {
            return false;
        }
        if depth == 1 && b[i] == b',' {
            commas += 1;
            started = false;
            return false;
        }
        if !started && !b[i].is_ascii_whitespace() {
            started = true;
            return commas == n;
        }
        false
    })
}
