//! Batch statistics: one compact row per seeded run, the runs table (`runs.csv`), the
//! manifest that says what was run, and the summary against the calibration facts.

mod runs;
mod summary;
mod table;

pub use runs::*;
pub use summary::*;
pub use table::*;

use serde::{Deserialize, Serialize};

pub use crate::scenario::calibration::{
    CalibrationFact, CalibrationFile, Check, load_calibration, load_calibration_for,
};
pub use crate::scenario::measures::{KEY_PLACE_VALUE, MAX_RUNS, NUMBERS, turn_ended_by};

/// What a batch ran, written beside its rows so that `merge` can tell shards of the same
/// batch from strangers, and so that the summary and plots can be redrawn from the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    pub what_ifs: Vec<String>,
    /// The places followed, in map order: the capture columns of `runs.csv`.
    pub places: Vec<String>,
    /// Of them, those that stand in permanent works, whose works may hold out after the
    /// town has fallen: the `works_taken` columns of `runs.csv`. Absent where there are none,
    /// and in manifests of earlier versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub works: Vec<String>,
    /// The spans of the scenario's climate, in its order (a name written twice gets its
    /// place in the list after it): the `weather_from` and `weather_to` columns of
    /// `runs.csv`, when each span came in the run as drawn by its seed. Absent where the
    /// climate has none, and in manifests of earlier versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weather: Vec<String>,
    /// The Soviet fronts, in order-of-battle order: the advance columns of `runs.csv`.
    pub fronts: Vec<String>,
    /// Local time at the end of each turn: the time axis of the per-turn series.
    pub turn_ends: Vec<String>,
    /// The formation whose advance and fuel the batch follows (the scenario's
    /// `followed_formation`); absent where it follows none, and in manifests of earlier
    /// versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed: Option<String>,
    /// The formations and units whose march (and, for army-level formations, fuel) the batch
    /// follows by name because a calibration fact does (`March`, `Fuel`): the `march_km` and
    /// `refills` columns of `runs.csv`. Absent where none is, and in manifests of earlier
    /// versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marches: Vec<String>,
    pub calibration: Vec<CalibrationFact>,
    /// A digest of the contents of the files the batch read (scenario, map, rules,
    /// logistics, plan, what-ifs, calibration), of the version and of the engine's source;
    /// absent in manifests of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs_digest: Option<String>,
    /// The seeds this directory holds, ascending.
    pub seeds: Seeds,
}

/// A set of seeds, ascending, kept as arithmetic runs (a batch is one run, a shard one
/// run with a step, a merge of shards one run again): a batch of many seeds takes a line
/// of `batch.json`, not a line a seed. `batch.json` files that list every seed, as earlier
/// versions wrote them, are read too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<SeedEntry>", into = "Vec<SeedEntry>")]
pub struct Seeds {
    runs: Vec<SeedRun>,
}

/// `count` seeds: `first`, `first + step`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRun {
    pub first: u64,
    pub count: u64,
    pub step: u64,
}

impl SeedRun {
    fn last(&self) -> u64 {
        self.first + (self.count - 1) * self.step
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum SeedEntry {
    Seed(u64),
    Run(SeedRun),
}

impl TryFrom<Vec<SeedEntry>> for Seeds {
    type Error = String;
    fn try_from(entries: Vec<SeedEntry>) -> Result<Self, String> {
        let mut seeds = Seeds::default();
        let mut total: u64 = 0;
        for e in entries {
            let run = match e {
                SeedEntry::Seed(s) => SeedRun {
                    first: s,
                    count: 1,
                    step: 1,
                },
                SeedEntry::Run(r) => r,
            };
            if run.count == 0 || run.step == 0 {
                return Err("a run of seeds has a count or step of 0".into());
            }
            let last = (run.count - 1)
                .checked_mul(run.step)
                .and_then(|d| run.first.checked_add(d))
                .ok_or("a run of seeds goes beyond the largest seed")?;
            if seeds.last().is_some_and(|l| run.first <= l) {
                return Err(format!(
                    "the seeds are not in ascending order (seed {} after seed {})",
                    run.first,
                    seeds.last().unwrap_or_default()
                ));
            }
            total = total.saturating_add(run.count);
            if total > MAX_RUNS {
                return Err(format!(
                    "more than {MAX_RUNS} seeds are listed; a batch holds at most {MAX_RUNS} runs"
                ));
            }
            if run.count == 1 {
                seeds.push(run.first);
            } else {
                debug_assert!(last > run.first);
                seeds.runs.push(run);
            }
        }
        Ok(seeds)
    }
}

impl From<Seeds> for Vec<SeedEntry> {
    fn from(s: Seeds) -> Self {
        s.runs.into_iter().map(SeedEntry::Run).collect()
    }
}

impl Seeds {
    /// `count` seeds from `first` in steps of `step`, or None when there are none or the
    /// last would be beyond the largest seed.
    pub fn stride(first: u64, count: u64, step: u64) -> Option<Self> {
        if count == 0 || step == 0 {
            return None;
        }
        first.checked_add((count - 1).checked_mul(step)?)?;
        let step = if count == 1 { 1 } else { step };
        Some(Self {
            runs: vec![SeedRun { first, count, step }],
        })
    }

    /// Seeds given in ascending order.
    pub fn from_ascending(seeds: impl IntoIterator<Item = u64>) -> Self {
        let mut s = Self::default();
        for seed in seeds {
            s.push(seed);
        }
        s
    }

    /// Adds a seed larger than every seed so far.
    fn push(&mut self, seed: u64) {
        if let Some(r) = self.runs.last_mut() {
            if r.count == 1 && seed > r.first {
                r.step = seed - r.first;
                r.count = 2;
                return;
            }
            if r.last().checked_add(r.step) == Some(seed) {
                r.count += 1;
                return;
            }
        }
        self.runs.push(SeedRun {
            first: seed,
            count: 1,
            step: 1,
        });
    }

    pub fn len(&self) -> u64 {
        self.runs.iter().map(|r| r.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn first(&self) -> Option<u64> {
        self.runs.first().map(|r| r.first)
    }

    pub fn last(&self) -> Option<u64> {
        self.runs.last().map(SeedRun::last)
    }

    /// The i-th seed (0-based), ascending.
    pub fn nth(&self, mut i: u64) -> Option<u64> {
        for r in &self.runs {
            if i < r.count {
                return Some(r.first + i * r.step);
            }
            i -= r.count;
        }
        None
    }

    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.runs
            .iter()
            .flat_map(|r| (0..r.count).map(move |i| r.first + i * r.step))
    }

    /// Whether both hold the same seeds, however their runs were written down.
    pub fn same_as(&self, other: &Seeds) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }

    /// The seeds in words, for messages: "seeds 11 to 15", "3 seeds from 11 to 15".
    pub fn describe(&self) -> String {
        match (self.runs.as_slice(), self.first(), self.last()) {
            (_, None, _) | (_, _, None) => "no seeds".into(),
            ([r], Some(a), _) if r.count == 1 => format!("seed {a}"),
            ([r], Some(a), Some(b)) if r.step == 1 => format!("seeds {a} to {b}"),
            ([r], Some(a), Some(b)) => {
                format!("{} seeds from {a} to {b} in steps of {}", r.count, r.step)
            }
            (_, Some(a), Some(b)) => format!("{} seeds from {a} to {b}", self.len()),
        }
    }
}

impl Manifest {
    /// Whether two manifests describe the same batch (whatever seeds each holds).
    pub fn same_batch(&self, other: &Manifest) -> Result<(), String> {
        let differs = |what: &str, a: String, b: String| {
            Err(format!("they ran different {what}: {a} and {b}"))
        };
        if self.scenario != other.scenario {
            return differs("scenarios", self.scenario.clone(), other.scenario.clone());
        }
        if self.what_ifs != other.what_ifs {
            return differs(
                "what-ifs",
                format!("[{}]", self.what_ifs.join(", ")),
                format!("[{}]", other.what_ifs.join(", ")),
            );
        }
        if self.places != other.places || self.works != other.works || self.fronts != other.fronts {
            return Err(
                "their places or fronts differ (a different map, scenario or --places)".into(),
            );
        }
        if self.weather != other.weather {
            return Err(
                "their climates' spans of weather differ (a different logistics file)".into(),
            );
        }
        if self.turn_ends != other.turn_ends {
            return Err("their calendars differ".into());
        }
        if self.calibration != other.calibration {
            return Err("they were checked against different calibration files".into());
        }
        if let (Some(a), Some(b)) = (&self.inputs_digest, &other.inputs_digest)
            && a != b
        {
            return Err(
                "they were run from different versions of the scenario's files or of the game"
                    .into(),
            );
        }
        Ok(())
    }
}
