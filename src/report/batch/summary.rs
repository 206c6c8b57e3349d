//! Quantiles with their intervals, and the summary of a batch against the calibration facts.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::model::time::{iso_local, parse_local};

use super::*;

/// The nearest-rank quantile: the smallest value with at least a share `p` of the values at
/// or below it (`sorted[ceil(p·n) − 1]`). It is always one of the observed values, so a
/// median capture time is a time some run really had, and it needs no interpolation rule.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// Median, p10 and p90, each with its exact 95 % interval (the pair of order statistics that
/// covers the true quantile at least 95 times in 100, whatever the distribution); an interval
/// is null where the batch is too small to give one (under six runs for the median, under
/// 29 for p10 and p90).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread<T> {
    pub median: T,
    pub p10: T,
    pub p90: T,
    #[serde(default)]
    pub median_95: Option<[T; 2]>,
    #[serde(default)]
    pub p10_95: Option<[T; 2]>,
    #[serde(default)]
    pub p90_95: Option<[T; 2]>,
}

/// The exact 95 % interval of the `q` quantile of `sorted`, as its two order statistics.
pub fn quantile_95<T: Copy>(sorted: &[T], q: f64) -> Option<[T; 2]> {
    let (l, u) = crate::report::stats::quantile_interval_ranks(sorted.len(), q)?;
    Some([sorted[l - 1], sorted[u - 1]])
}

/// Median, p10 and p90 of numbers (any order), with their intervals.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread<f64>> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    Some(Spread {
        median: nearest_rank(&v, 0.5)?,
        p10: nearest_rank(&v, 0.1)?,
        p90: nearest_rank(&v, 0.9)?,
        median_95: quantile_95(&v, 0.5),
        p10_95: quantile_95(&v, 0.1),
        p90_95: quantile_95(&v, 0.9),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceSummary {
    /// Share of runs in which the place was taken from the side that held it at the start.
    pub captured_fraction: f64,
    /// Its Wilson 95 % interval.
    #[serde(default)]
    pub captured_fraction_95: Option<[f64; 2]>,
    /// Quantiles of the capture time over the runs that captured it; null when none did.
    pub median: Option<String>,
    pub p10: Option<String>,
    pub p90: Option<String>,
    /// Exact 95 % intervals of those quantiles (null where too few runs took the place).
    #[serde(default)]
    pub median_95: Option<[String; 2]>,
    #[serde(default)]
    pub p10_95: Option<[String; 2]>,
    #[serde(default)]
    pub p90_95: Option<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub runs: usize,
    pub what_ifs: Vec<String>,
    pub places: BTreeMap<String, PlaceSummary>,
    /// When the works of each place of the manifest's `works` fell (as `places`: the share
    /// of runs in which they did, and the quantiles over those runs). Absent where the batch
    /// followed no place in permanent works.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub works: BTreeMap<String, PlaceSummary>,
    pub losses: LossSummary,
    pub logistics: LogisticsSummary,
    pub calibration: Vec<CalibrationResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LossSummary {
    pub soviet: BTreeMap<String, Spread<f64>>,
    pub japanese: BTreeMap<String, Spread<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticsSummary {
    pub fuel_airlifted_t: Spread<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationResult {
    pub event: String,
    pub historical: String,
    /// A local time for dated events, a number for quantities, null when the runs give none.
    pub simulated_median: serde_json::Value,
    pub within_tolerance: bool,
}

/// Capture times of one key place (manifest index) over the runs that captured it, sorted.
pub fn capture_times(rows: &[RunRow], place: usize) -> Vec<NaiveDateTime> {
    times_of(rows, |r| r.captured[place])
}

/// One time of each run, where the run has it, sorted.
fn times_of(
    rows: &[RunRow],
    time: impl Fn(&RunRow) -> Option<NaiveDateTime>,
) -> Vec<NaiveDateTime> {
    let mut t: Vec<NaiveDateTime> = rows.iter().filter_map(time).collect();
    t.sort();
    t
}

fn place_summary(rows: &[RunRow], place: usize) -> PlaceSummary {
    times_summary(rows, capture_times(rows, place))
}

/// The share of the runs that have a time, and its quantiles over them.
fn times_summary(rows: &[RunRow], t: Vec<NaiveDateTime>) -> PlaceSummary {
    let q = |p| nearest_rank(&t, p).map(iso_local);
    let q95 = |p| quantile_95(&t, p).map(|[a, b]| [iso_local(a), iso_local(b)]);
    PlaceSummary {
        captured_fraction: if rows.is_empty() {
            0.0
        } else {
            t.len() as f64 / rows.len() as f64
        },
        captured_fraction_95: crate::report::stats::wilson(t.len() as u64, rows.len() as u64)
            .map(|i| [i.low, i.high]),
        median: q(0.5),
        p10: q(0.1),
        p90: q(0.9),
        median_95: q95(0.5),
        p10_95: q95(0.1),
        p90_95: q95(0.9),
    }
}

/// The summary of a batch's rows (numbers over all runs, times over the runs that captured).
pub fn summarise(m: &Manifest, rows: &[RunRow]) -> Summary {
    let col = |c: &str| {
        spread(rows.iter().map(|r| r.number(c).expect("a known column"))).unwrap_or(Spread {
            median: 0.0,
            p10: 0.0,
            p90: 0.0,
            median_95: None,
            p10_95: None,
            p90_95: None,
        })
    };
    let group = |cols: &[(&str, &str)]| {
        cols.iter()
            .map(|(name, c)| (name.to_string(), col(c)))
            .collect()
    };
    let places: BTreeMap<String, PlaceSummary> = m
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), place_summary(rows, i)))
        .collect();
    let works: BTreeMap<String, PlaceSummary> = m
        .works
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let t = times_of(rows, |r| r.works_taken.get(i).copied().flatten());
            (p.clone(), times_summary(rows, t))
        })
        .collect();
    let calibration = m
        .calibration
        .iter()
        .map(|f| check_fact(f, m, rows, &places, &works))
        .collect();
    Summary {
        scenario: m.scenario.clone(),
        runs: rows.len(),
        what_ifs: m.what_ifs.clone(),
        places,
        works,
        losses: LossSummary {
            soviet: group(&[
                ("killed", "soviet_killed"),
                ("wounded", "soviet_wounded"),
                ("tanks", "soviet_tanks"),
            ]),
            japanese: group(&[
                ("killed", "japanese_killed"),
                ("wounded", "japanese_wounded"),
                ("prisoners", "japanese_prisoners"),
                ("army_prisoners", "japanese_army_prisoners"),
                ("surrendered_unreached", "japanese_unreached"),
                ("deserted", "japanese_deserted"),
                ("holding_out", "japanese_holding_out"),
            ]),
        },
        logistics: LogisticsSummary {
            fuel_airlifted_t: col("fuel_airlifted_t"),
        },
        calibration,
    }
}

/// The median over the runs of a per-turn series at the turn that ended by `at`, and whether
/// it lies in [min, max].
fn series_check(
    m: &Manifest,
    rows: &[RunRow],
    at: &str,
    min: f64,
    max: f64,
    series: impl Fn(&RunRow) -> &[f64],
) -> (serde_json::Value, bool) {
    let Some(turn) = turn_ended_by(&m.turn_ends, at) else {
        return (serde_json::Value::Null, false);
    };
    match spread(rows.iter().filter_map(|r| series(r).get(turn).copied())) {
        Some(s) => (s.median.into(), s.median >= min && s.median <= max),
        None => (serde_json::Value::Null, false),
    }
}

fn check_fact(
    f: &CalibrationFact,
    m: &Manifest,
    rows: &[RunRow],
    places: &BTreeMap<String, PlaceSummary>,
    works: &BTreeMap<String, PlaceSummary>,
) -> CalibrationResult {
    let (simulated_median, within_tolerance) = match &f.check {
        Check::Captured {
            place,
            not_before,
            not_after,
        }
        | Check::WorksTaken {
            place,
            not_before,
            not_after,
        } => match if matches!(f.check, Check::WorksTaken { .. }) {
            works.get(place)
        } else {
            places.get(place)
        } {
            Some(p) => {
                let median = p.median.as_deref().and_then(parse_local);
                let after = not_before.as_deref().and_then(parse_local);
                let before = parse_local(not_after);
                let ok = p.captured_fraction >= 0.5
                    && median.is_some_and(|t| {
                        after.is_none_or(|a| t >= a) && before.is_some_and(|b| t <= b)
                    });
                (p.median.clone().into(), ok)
            }
            None => (serde_json::Value::Null, false),
        },
        Check::WorksHeld { place, until } => {
            // The share of runs whose works still held at `until`: not taken, or taken later.
            match (m.works.iter().position(|w| w == place), parse_local(until)) {
                (Some(k), Some(until)) if !rows.is_empty() => {
                    let held = rows
                        .iter()
                        .filter(|r| {
                            r.works_taken
                                .get(k)
                                .copied()
                                .flatten()
                                .is_none_or(|t| t > until)
                        })
                        .count() as f64
                        / rows.len() as f64;
                    (held.into(), held >= 0.5)
                }
                _ => (serde_json::Value::Null, false),
            }
        }
        Check::Quantity { column, min, max } => {
            match spread(rows.iter().filter_map(|r| r.number(column))) {
                Some(s) => (
                    s.median.into(),
                    s.median >= *min && max.is_none_or(|x| s.median <= x),
                ),
                None => (serde_json::Value::Null, false),
            }
        }
        Check::TankArmyAdvance { at, min_km, max_km } => {
            series_check(m, rows, at, *min_km, *max_km, |r| &r.tank_army_km)
        }
        Check::TankArmyFuel { at, min, max } => {
            series_check(m, rows, at, *min, *max, |r| &r.tank_army_refills)
        }
        Check::March {
            of,
            at,
            min_km,
            max_km,
        } => match m.marches.iter().position(|f| f == of) {
            Some(k) => series_check(m, rows, at, *min_km, *max_km, |r| &r.marches[k].km),
            None => (serde_json::Value::Null, false),
        },
        Check::Fuel { of, at, min, max } => match m.marches.iter().position(|f| f == of) {
            Some(k) => series_check(m, rows, at, *min, *max, |r| &r.marches[k].refills),
            None => (serde_json::Value::Null, false),
        },
        Check::Advance {
            front,
            at,
            min_km,
            max_km,
        } => {
            let front = m.fronts.iter().position(|f| f == front);
            let turn = turn_ended_by(&m.turn_ends, at);
            match (front, turn) {
                (Some(fr), Some(turn)) => {
                    match spread(
                        rows.iter()
                            .filter_map(|r| r.advance_km[fr].get(turn).copied()),
                    ) {
                        Some(s) => (s.median.into(), s.median >= *min_km && s.median <= *max_km),
                        None => (serde_json::Value::Null, false),
                    }
                }
                _ => (serde_json::Value::Null, false),
            }
        }
    };
    CalibrationResult {
        event: f.event.clone(),
        historical: f.historical.clone(),
        simulated_median,
        within_tolerance,
    }
}
