//! The range every number of the data files must lie in, declared beside each schema struct,
//! and the one check that applies them for `check` and for every load.
//!
//! Each struct lists its numeric fields with their ranges ([`Ranged`]); the checker walks
//! the loaded value, and a figure out of range becomes a diagnostic at the figure itself,
//! found by its path in the text ([`SourceText::locate`]). So a share is between 0 and 1,
//! a speed or a capacity is more than zero and finite, wherever it is written.

use super::diag::{Diagnostic, Severity, SourceText, figure};

/// Largest figure any count, stock or distance may have: far above anything real, low
/// enough that sums and products of figures stay finite and exact to the ton.
pub const MAX_FIGURE: f64 = 1e9;

/// Where a figure must lie: from `lo` (excluded when `lo_open`) to `hi`, finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub lo_open: bool,
    pub hi: f64,
    /// What the range means, for the message ("a share", "a speed").
    pub what: &'static str,
}

/// A share or chance: 0 to 1.
pub const SHARE: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 1.0,
    what: "a share",
};
/// A share that must be something: more than 0, at most 1 (a divisor).
pub const OPEN_SHARE: Range = Range {
    lo: 0.0,
    lo_open: true,
    hi: 1.0,
    what: "a share",
};
/// A speed, capacity, distance or rate that must be there: more than zero.
pub const POSITIVE: Range = Range {
    lo: 0.0,
    lo_open: true,
    hi: MAX_FIGURE,
    what: "",
};
/// A stock, count or distance that may be nothing: zero or more.
pub const NON_NEGATIVE: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: MAX_FIGURE,
    what: "",
};
/// A multiple of some other figure (a cost, a defence bonus): more than zero, at most 100.
pub const MULTIPLE: Range = Range {
    lo: 0.0,
    lo_open: true,
    hi: 100.0,
    what: "a multiple",
};
/// A multiple that may be zero (0 = none at all, as flying in a downpour).
pub const FACTOR: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 100.0,
    what: "a multiple",
};

/// Any other range.
pub const fn between(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: false,
        hi,
        what: "",
    }
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite()
            && (if self.lo_open {
                v > self.lo
            } else {
                v >= self.lo
            })
            && v <= self.hi
    }

    /// The range in words: "0 to 1", "more than 0".
    pub fn describe(&self) -> String {
        let (lo, hi) = (figure(self.lo), figure(self.hi));
        let core = match (self.lo_open, self.hi >= MAX_FIGURE) {
            (true, true) => format!("more than {lo}"),
            (false, true) => format!("{lo} or more"),
            (true, false) => format!("more than {lo} and at most {hi}"),
            (false, false) => format!("{lo} to {hi}"),
        };
        if self.what.is_empty() {
            core
        } else {
            format!("{core} ({})", self.what)
        }
    }
}

/// A number field as the checker reads it; `None` is a figure left out (an `Option`).
pub trait Figure {
    fn value(&self) -> Option<f64>;
}

macro_rules! figure_as_f64 {
    ($($t:ty),*) => { $(impl Figure for $t { fn value(&self) -> Option<f64> { Some(*self as f64) } })* };
}
figure_as_f64!(f64, f32, u8, u32, u64, i32, i64);

impl<T: Figure> Figure for Option<T> {
    fn value(&self) -> Option<f64> {
        self.as_ref().and_then(Figure::value)
    }
}

/// A schema struct whose numbers have ranges.
pub trait Ranged {
    fn ranges(&self, c: &mut Checker);
}

/// Lists fields with their ranges: `fields!(c, self; men: NON_NEGATIVE, readiness: SHARE)`.
#[macro_export]
macro_rules! range_fields {
    ($c:ident, $s:ident; $($f:ident: $r:expr),* $(,)?) => {
        $( $c.num(stringify!($f), &$s.$f, $r); )*
    };
}
pub use range_fields as fields;

/// A figure out of its range: where (the path in the file) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfRange {
    pub path: String,
    pub message: String,
}

/// Walks a value, collecting figures out of range.
#[derive(Debug, Default)]
pub struct Checker {
    prefix: String,
    pub problems: Vec<OutOfRange>,
}

impl Checker {
    fn path(&self, field: &str) -> String {
        if self.prefix.is_empty() {
            field.to_string()
        } else if field.starts_with('[') {
            format!("{}{field}", self.prefix)
        } else {
            format!("{}.{field}", self.prefix)
        }
    }

    /// A figure and its range.
    pub fn num(&mut self, field: &str, v: &dyn Figure, r: Range) {
        if let Some(x) = v.value()
            && !r.contains(x)
        {
            self.problem(
                field,
                format!("is {}, expected {}", figure(x), r.describe()),
            );
        }
    }

    /// A problem with a field that is not a plain range (a sum, an order of two figures).
    pub fn problem(&mut self, field: &str, message: String) {
        let path = self.path(field);
        self.problems.push(OutOfRange {
            message: format!("{path} {message}"),
            path,
        });
    }

    /// A nested struct.
    pub fn sub(&mut self, field: &str, v: &dyn Ranged) {
        let outer = std::mem::take(&mut self.prefix);
        self.prefix = if outer.is_empty() {
            field.to_string()
        } else if field.starts_with('[') {
            format!("{outer}{field}")
        } else {
            format!("{outer}.{field}")
        };
        v.ranges(self);
        self.prefix = outer;
    }

    /// A list of structs.
    pub fn list<T: Ranged>(&mut self, field: &str, v: &[T]) {
        for (i, x) in v.iter().enumerate() {
            self.sub(&format!("{field}[{i}]"), x);
        }
    }

    /// A map of figures keyed by kind, every one in the same range.
    pub fn map<K: std::fmt::Debug, V: Figure>(
        &mut self,
        field: &str,
        m: &std::collections::BTreeMap<K, V>,
        r: Range,
    ) {
        for (k, v) in m {
            self.num(&format!("{field}.{k:?}"), v, r);
        }
    }

    /// A map of structs keyed by kind.
    pub fn map_of<K: std::fmt::Debug, V: Ranged>(
        &mut self,
        field: &str,
        m: &std::collections::BTreeMap<K, V>,
    ) {
        for (k, v) in m {
            self.sub(&format!("{field}.{k:?}"), v);
        }
    }
}

/// Most figures out of range reported one by one; each is found by a walk over the text,
/// so a hostile file with a million bad figures is summed up rather than walked a million
/// times.
pub const MAX_REPORTED: usize = 50;

/// Every figure of `v` out of its range, as diagnostics at the figure in `src`.
pub fn check_ranges(src: &SourceText, v: &dyn Ranged) -> Vec<Diagnostic> {
    let mut c = Checker::default();
    v.ranges(&mut c);
    let more = c.problems.len().saturating_sub(MAX_REPORTED);
    let mut d: Vec<Diagnostic> = c
        .problems
        .into_iter()
        .take(MAX_REPORTED)
        .map(|p| src.at_path(Severity::Error, &p.path, p.message))
        .collect();
    if more > 0 {
        d.push(src.at_offset(
            Severity::Error,
            None,
            format!("and {more} more figures out of range"),
        ));
    }
    d
}

// The ranges of each schema struct, beside the machinery above (the `fields!` macro is
// defined before them).
mod files;
mod rules;

pub use files::Point;
pub use rules::MAX_SIGHT_HEXES;
