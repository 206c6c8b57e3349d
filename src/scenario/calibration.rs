//! The calibration format (`scenarios/calibration.ron`): documented facts a batch of the
//! historical scenario is checked against, and its loader, which checks each fact's figures,
//! times, places and the runs.csv column it names before a batch runs.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::measures::NUMBERS;
use crate::model::time::parse_local;

/// `scenarios/calibration.ron`: documented facts a batch of the historical scenario is
/// checked against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFile {
    pub facts: Vec<CalibrationFact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFact {
    /// What happened, as the summary names it.
    pub event: String,
    /// The documented value or range, as written in the summary.
    pub historical: String,
    pub check: Check,
    /// Tags from calibration.md / data.md §7.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Check {
    /// The median capture time of a place lies in [not_before, not_after] (local times;
    /// `not_before` may be left out), and at least half the runs captured it.
    Captured {
        place: String,
        not_before: Option<String>,
        not_after: String,
    },
    /// The median time the works of a place in permanent works fell to the Soviets (with
    /// its town, or after it where the garrison held out in them; runs.csv `works_taken`)
    /// lies in [not_before, not_after], and they fell in at least half the runs.
    WorksTaken {
        place: String,
        not_before: Option<String>,
        not_after: String,
    },
    /// The works of a place in permanent works still held against the Soviets at `until`
    /// (not taken by then, or never) in at least half the runs: a fortified region that
    /// ties its attackers down (runs.csv `works_taken`).
    WorksHeld { place: String, until: String },
    /// The median of a `runs.csv` number lies in [min, max] (`max` may be left out).
    Quantity {
        column: String,
        min: f64,
        max: Option<f64>,
    },
    /// The median depth of a front at a local time lies in [min_km, max_km].
    Advance {
        front: String,
        at: String,
        min_km: f64,
        max_km: f64,
    },
    /// The median distance the tank army has come at a local time (`tank_army_km`) lies in
    /// [min_km, max_km].
    TankArmyAdvance {
        at: String,
        min_km: f64,
        max_km: f64,
    },
    /// The median of the tank army's fuel on hand at a local time, in refills
    /// (`tank_army_refills`), lies in [min, max].
    TankArmyFuel { at: String, min: f64, max: f64 },
}

impl super::ranges::Ranged for CalibrationFile {
    fn ranges(&self, c: &mut super::ranges::Checker) {
        use super::ranges::{MAX_FIGURE, NON_NEGATIVE, between};
        for (i, f) in self.facts.iter().enumerate() {
            let at = format!("facts[{i}].check");
            let (lo, hi, range) = match &f.check {
                Check::Captured { .. } | Check::WorksTaken { .. } | Check::WorksHeld { .. } => {
                    continue;
                }
                Check::Quantity { min, max, .. } => (
                    ("min", *min),
                    ("max", *max),
                    between(-MAX_FIGURE, MAX_FIGURE),
                ),
                Check::Advance { min_km, max_km, .. }
                | Check::TankArmyAdvance { min_km, max_km, .. } => {
                    (("min_km", *min_km), ("max_km", Some(*max_km)), NON_NEGATIVE)
                }
                Check::TankArmyFuel { min, max, .. } => {
                    (("min", *min), ("max", Some(*max)), between(0.0, 100.0))
                }
            };
            c.num(&format!("{at}.{}", lo.0), &lo.1, range);
            c.num(&format!("{at}.{}", hi.0), &hi.1, range);
            if let Some(h) = hi.1
                && h < lo.1
            {
                c.problem(&format!("{at}.{}", hi.0), format!("is less than {}", lo.0));
            }
        }
    }
}

/// Reads a calibration file, checking that each fact names something a batch measures.
pub fn load_calibration(path: &Path) -> Result<Vec<CalibrationFact>, Vec<super::diag::Diagnostic>> {
    load_calibration_for(path, None)
}

/// Reads a calibration file, checking each fact's figures and, given the map of the
/// scenario it is for, each place it names: before a batch runs, not after.
pub fn load_calibration_for(
    path: &Path,
    map: Option<&crate::model::map::Map>,
) -> Result<Vec<CalibrationFact>, Vec<super::diag::Diagnostic>> {
    use super::diag::Severity;
    let src = super::load::read_source(path).map_err(|d| vec![d])?;
    let file: CalibrationFile = super::diag::parse_ron(&src).map_err(|d| vec![d])?;
    let mut problems = super::ranges::check_ranges(&src, &file);
    if let Some(map) = map {
        for (i, f) in file.facts.iter().enumerate() {
            if let Check::Captured { place, .. }
            | Check::WorksTaken { place, .. }
            | Check::WorksHeld { place, .. } = &f.check
                && map.place_named(place).is_none()
            {
                let mut d = src.at_path(
                    Severity::Error,
                    &format!("facts[{i}].check.place"),
                    format!(
                        "{}: there is no place named \"{place}\" on the map",
                        f.event
                    ),
                );
                d.hint = super::diag::unknown_place(map, place).1;
                problems.push(d);
            }
            if let Check::WorksTaken { place, .. } | Check::WorksHeld { place, .. } = &f.check
                && let Some(p) = map.place_named(place)
                && map.cell(p.hex).is_none_or(|c| c.fort_level == 0)
            {
                problems.push(src.at_path(
                    Severity::Error,
                    &format!("facts[{i}].check.place"),
                    format!(
                        "{}: {place} stands in no fortified region, so it has no works to take",
                        f.event
                    ),
                ));
            }
        }
    }
    for (i, f) in file.facts.iter().enumerate() {
        let bad_time = |t: &str| {
            parse_local(t)
                .is_none()
                .then(|| format!("\"{t}\" is not a local time"))
        };
        let problem = match &f.check {
            Check::Captured {
                not_before,
                not_after,
                ..
            }
            | Check::WorksTaken {
                not_before,
                not_after,
                ..
            } => not_before
                .as_deref()
                .and_then(bad_time)
                .or_else(|| bad_time(not_after)),
            Check::Quantity { column, .. } => (!NUMBERS.contains(&column.as_str())).then(|| {
                format!(
                    "no runs.csv column is named \"{column}\"; there are {}",
                    NUMBERS.join(", ")
                )
            }),
            Check::Advance { at, .. }
            | Check::TankArmyAdvance { at, .. }
            | Check::TankArmyFuel { at, .. } => bad_time(at),
            Check::WorksHeld { until, .. } => bad_time(until),
        };
        if let Some(message) = problem {
            problems.push(src.at_path(
                Severity::Error,
                &format!("facts[{i}].check"),
                format!("{}: {message}", f.event),
            ));
        }
    }
    if problems.is_empty() {
        Ok(file.facts)
    } else {
        Err(problems)
    }
}
