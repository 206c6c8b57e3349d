//! The sweep format (`SweepFile`): which figures of a scenario and its rules, logistics and
//! plan files vary over which ranges, how many design points and seeds, which outcomes are
//! measured and which questions scenario discovery answers. Loading checks every input
//! against the files it changes, both ends of its range through the loader's own checks, so
//! that a design no run could take is refused at the sweep file's line before any run.

mod design;
mod load;

use serde::{Deserialize, Serialize};

use chrono::NaiveDateTime;

use super::diag::figure;
use super::fieldpath::{Change, FigureKind};
use crate::model::time::{display_local, parse_local};

pub use design::Sweep;
use design::{Base, typed_value};
pub use load::load_sweep;

/// Most inputs one sweep varies: PRCC needs more runs than inputs, and a tornado plot of
/// more than this is unreadable.
pub const MAX_INPUTS: usize = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// The scenario, relative to the sweep file.
    pub scenario: String,
    /// What-ifs applied to every run before the inputs.
    #[serde(default)]
    pub what_ifs: Vec<String>,
    /// Design points of the Latin hypercube.
    pub points: u64,
    /// Seeds run at each point: seed_start, seed_start + 1, ...
    pub seeds: u64,
    #[serde(default = "first_seed")]
    pub seed_start: u64,
    /// Seed of the design: the same seed gives the same points.
    pub design_seed: u64,
    pub inputs: Vec<InputDef>,
    pub outcomes: Vec<Outcome>,
    /// Scenario discovery: for each, which ranges of the inputs make it likely.
    #[serde(default)]
    pub questions: Vec<Question>,
}

fn first_seed() -> u64 {
    1
}

fn set() -> Change {
    Change::Set
}

/// One continuous input (written `Input(...)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Input")]
pub struct InputDef {
    /// A short name, for the table, the plots and the summary.
    pub name: String,
    /// Which of the scenario's files holds the figures.
    pub file: DataFile,
    /// Paths of the figures it sets (see the README's "Sensitivity analysis"); several
    /// paths move together.
    pub fields: Vec<String>,
    #[serde(default = "set")]
    pub change: Change,
    pub low: f64,
    pub high: f64,
}

/// The files of a scenario an input may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DataFile {
    Scenario,
    Rules,
    Logistics,
    Plan,
}

impl DataFile {
    pub fn describe(self) -> &'static str {
        match self {
            DataFile::Scenario => "the scenario file",
            DataFile::Rules => "the rules file",
            DataFile::Logistics => "the logistics file",
            DataFile::Plan => "the plan file",
        }
    }
}

/// What a run is measured by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// When the Soviets first took a key place (never: after every date).
    Captured(String),
    /// How far the tank army had come by a local time, km.
    TankArmyKm(String),
    /// The tank army's fuel on hand by a local time, in refills.
    TankArmyRefills(String),
    /// How deep a front stood by a local time, km.
    FrontKm { front: String, at: String },
    /// A total of the run, by its `runs.csv` column in a batch: `soviet_killed`,
    /// `fuel_airlifted_t`, ...
    Total(String),
}

/// A question for scenario discovery: which inputs make this likely?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub outcome: Outcome,
    pub when: Condition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// A capture later than this local time, or none.
    After(String),
    /// A capture by this local time.
    Before(String),
    Above(f64),
    Below(f64),
}

/// An outcome resolved against the scenario: where in a run's row it is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// The place's column.
    Captured(usize),
    /// The turn's position.
    TankArmyKm(usize),
    TankArmyRefills(usize),
    FrontKm(usize, usize),
    Total(&'static str),
}

impl Outcome {
    /// The column of `runs.csv`.
    pub fn label(&self) -> String {
        match self {
            Outcome::Captured(p) => format!("captured:{p}"),
            Outcome::TankArmyKm(at) => format!("tank_army_km:{at}"),
            Outcome::TankArmyRefills(at) => format!("tank_army_refills:{at}"),
            Outcome::FrontKm { front, at } => format!("advance_km:{front}:{at}"),
            Outcome::Total(n) => n.clone(),
        }
    }

    /// In words, for plots and the summary.
    pub fn words(&self) -> String {
        let when = |at: &str| parse_local(at).map_or(at.to_string(), display_local);
        match self {
            Outcome::Captured(p) => format!("{p}'s capture"),
            Outcome::TankArmyKm(at) => format!("the tank army's advance by {} (km)", when(at)),
            Outcome::TankArmyRefills(at) => {
                format!("the tank army's fuel on hand at {} (refills)", when(at))
            }
            Outcome::FrontKm { front, at } => format!("{front}'s depth by {} (km)", when(at)),
            Outcome::Total(n) => n.replace('_', " ").replace(" t", " (t)"),
        }
    }

    fn is_time(&self) -> bool {
        matches!(self, Outcome::Captured(_))
    }
}

impl Question {
    /// The question in words: "Mukden taken after 25 Aug, 00:00 or never".
    pub fn words(&self) -> String {
        let when = |at: &str| parse_local(at).map_or(at.to_string(), display_local);
        let what = match &self.outcome {
            Outcome::Captured(p) => p.clone(),
            o => o.words(),
        };
        match &self.when {
            Condition::After(t) => format!("{what} is taken after {} or never", when(t)),
            Condition::Before(t) => format!("{what} is taken by {}", when(t)),
            Condition::Above(v) => format!("{what} is above {}", figure(*v)),
            Condition::Below(v) => format!("{what} is below {}", figure(*v)),
        }
    }

    /// Whether a measured value (hours from the start for a capture, infinite for never)
    /// answers yes.
    pub fn holds(&self, value: f64, start: NaiveDateTime) -> bool {
        let hours =
            |t: &str| parse_local(t).map_or(f64::NAN, |t| (t - start).num_minutes() as f64 / 60.0);
        match &self.when {
            Condition::After(t) => value > hours(t),
            Condition::Before(t) => value <= hours(t),
            Condition::Above(v) => value > *v,
            Condition::Below(v) => value < *v,
        }
    }
}

impl Measure {
    /// The turns a run must play for this measure; None: the whole campaign.
    pub fn turns_needed(&self) -> Option<u32> {
        match self {
            Measure::TankArmyKm(t) | Measure::TankArmyRefills(t) | Measure::FrontKm(_, t) => {
                Some(*t as u32 + 1)
            }
            _ => None,
        }
    }
}

/// An input, its paths found in the file it changes.
#[derive(Debug, Clone)]
pub struct Input {
    pub def: InputDef,
    pub kind: FigureKind,
    pointers: Vec<String>,
}

impl Input {
    /// A value of the input as the summary writes it.
    pub fn show(&self, v: f64) -> String {
        show_value(&self.def, self.kind, v)
    }

    /// The value a design coordinate u in [0, 1) stands for: a count set directly is
    /// rounded, so that runs.csv shows what the run was given.
    pub fn value_at(&self, u: f64) -> f64 {
        let v = self.def.low + u * (self.def.high - self.def.low);
        if self.kind == FigureKind::Whole && self.def.change == Change::Set {
            v.round()
        } else {
            v
        }
    }
}

/// A value of an input as the summary and the plots write it: `118`, `0.62`, `×0.8`, `+12 h`.
pub fn show_value(def: &InputDef, kind: FigureKind, v: f64) -> String {
    let v = if kind == FigureKind::Whole && def.change == Change::Set {
        v.round()
    } else {
        v
    };
    let s = if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    match (def.change, kind) {
        (Change::Shift, FigureKind::Date) => {
            format!("{}{s} h", if v > 0.0 { "+" } else { "" })
        }
        (Change::Scale, _) => format!("×{s}"),
        _ => s,
    }
}
