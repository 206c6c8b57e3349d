//! A sweep's files and findings: the manifest (`sweep.json`: the design and what was run),
//! the runs table (`runs.csv`: each run's inputs beside its outcomes), the analysis (each
//! input's PRCC with each outcome, and for each question the PRIM box that makes it likely),
//! the summary in words, and the tornado and discovery plots.

mod analysis;
mod plots;

pub use analysis::*;
pub use plots::*;

use std::io::{Read, Write};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::batch::Seeds;
use crate::model::time::{iso_local, parse_local};
use crate::scenario::fieldpath::FigureKind;
use crate::scenario::sweep::{InputDef, Measure, Outcome, Question, show_value};

/// The value of a measure in a run: hours from `start` for a capture (infinite when
/// never), else the figure.
pub fn measure(m: &Measure, row: &super::batch::RunRow, start: NaiveDateTime) -> f64 {
    match m {
        Measure::Captured(i) => {
            row.captured[*i].map_or(f64::INFINITY, |t| (t - start).num_minutes() as f64 / 60.0)
        }
        Measure::TankArmyKm(t) => row.tank_army_km.get(*t).copied().unwrap_or(f64::NAN),
        Measure::TankArmyRefills(t) => row.tank_army_refills.get(*t).copied().unwrap_or(f64::NAN),
        Measure::FrontKm(f, t) => row.advance_km[*f].get(*t).copied().unwrap_or(f64::NAN),
        Measure::Total(n) => row.number(n).unwrap_or(f64::NAN),
    }
}

/// An input as the manifest keeps it: what the file said, and the kind of figure it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    pub def: InputDef,
    pub kind: FigureKind,
}

/// What a sweep ran, so that shards can be told apart and merged, and the analysis redone
/// from the directory alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    /// The sweep file as given on the command line.
    pub sweep_file: String,
    /// The scenario's name.
    pub scenario: String,
    pub what_ifs: Vec<String>,
    /// A digest of the sweep file, the scenario's files and the version.
    pub inputs_digest: String,
    /// Local time of the campaign's start: capture times are counted from it.
    pub start: String,
    pub design_seed: u64,
    pub seed_start: u64,
    pub seeds_per_point: u64,
    pub inputs: Vec<InputInfo>,
    /// Every outcome measured, questions' own included: the outcome columns of runs.csv.
    pub outcomes: Vec<Outcome>,
    pub questions: Vec<Question>,
    /// Each design point's input values, in input order.
    pub design: Vec<Vec<f64>>,
    /// The runs this directory holds, by number: run r is point r / seeds_per_point with
    /// seed seed_start + r % seeds_per_point.
    pub runs: Seeds,
    /// The findings, from the runs this directory holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

impl SweepManifest {
    pub fn total_runs(&self) -> u64 {
        self.design.len() as u64 * self.seeds_per_point
    }

    pub fn point_of(&self, run: u64) -> usize {
        (run / self.seeds_per_point) as usize
    }

    pub fn seed_of(&self, run: u64) -> u64 {
        self.seed_start + run % self.seeds_per_point
    }

    fn start_time(&self) -> NaiveDateTime {
        parse_local(&self.start).unwrap_or_default()
    }

    /// Whether `other` is a shard of the same sweep (the runs aside), or why not.
    pub fn same_sweep(&self, other: &SweepManifest) -> Result<(), String> {
        if self.inputs_digest != other.inputs_digest {
            return Err("they ran different sweep files or scenario files (the digests of their inputs differ)".into());
        }
        let strip = |m: &SweepManifest| SweepManifest {
            sweep_file: String::new(),
            runs: Seeds::default(),
            analysis: None,
            ..m.clone()
        };
        if strip(self) != strip(other) {
            return Err("their designs differ".into());
        }
        Ok(())
    }

    fn show(&self, input: usize, v: f64) -> String {
        let i = &self.inputs[input];
        show_value(&i.def, i.kind, v)
    }
}

/// One run: its number and each outcome's value (a capture in hours from the start,
/// infinite when never).
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    pub run: u64,
    pub outcomes: Vec<f64>,
}

/// The header of a sweep's runs.csv.
pub fn csv_header(m: &SweepManifest) -> Vec<String> {
    let mut h = vec!["run".to_string(), "point".into(), "seed".into()];
    h.extend(m.inputs.iter().map(|i| i.def.name.clone()));
    h.extend(m.outcomes.iter().map(Outcome::label));
    h
}

fn outcome_text(m: &SweepManifest, k: usize, v: f64) -> String {
    if matches!(m.outcomes[k], Outcome::Captured(_)) {
        if v.is_infinite() {
            "never".into()
        } else {
            iso_local(m.start_time() + chrono::Duration::minutes((v * 60.0).round() as i64))
        }
    } else {
        v.to_string()
    }
}

/// Writes rows to a runs.csv (the header first when `header`).
pub fn write_rows(
    out: impl Write,
    m: &SweepManifest,
    rows: &[SweepRow],
    header: bool,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if header {
        w.write_record(csv_header(m))?;
    }
    for r in rows {
        let point = m.point_of(r.run);
        let mut rec = vec![
            r.run.to_string(),
            point.to_string(),
            m.seed_of(r.run).to_string(),
        ];
        rec.extend(m.design[point].iter().map(f64::to_string));
        rec.extend(
            r.outcomes
                .iter()
                .enumerate()
                .map(|(k, v)| outcome_text(m, k, *v)),
        );
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}

/// Reads a runs.csv written for `m`, checking its header and every row's run and inputs.
pub fn read_rows(input: impl Read, m: &SweepManifest) -> Result<Vec<SweepRow>, String> {
    let mut r = csv::Reader::from_reader(input);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    if header != csv_header(m) {
        return Err("its columns are not those of this sweep".into());
    }
    let start = m.start_time();
    let mut rows = Vec::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        let bad = |what: &str| format!("row {}: {what}", line + 1);
        let run: u64 = rec[0].parse().map_err(|_| bad("the run is not a number"))?;
        if run >= m.total_runs() {
            return Err(bad("the run is not one of the design's"));
        }
        let first = 3 + m.inputs.len();
        let mut outcomes = Vec::new();
        for (k, o) in m.outcomes.iter().enumerate() {
            let t = &rec[first + k];
            let v = match o {
                Outcome::Captured(_) if t == "never" => f64::INFINITY,
                Outcome::Captured(_) => parse_local(t)
                    .map(|x| (x - start).num_minutes() as f64 / 60.0)
                    .ok_or_else(|| bad("a capture time is not a date"))?,
                _ => t.parse().map_err(|_| bad("an outcome is not a number"))?,
            };
            outcomes.push(v);
        }
        rows.push(SweepRow { run, outcomes });
    }
    Ok(rows)
}
