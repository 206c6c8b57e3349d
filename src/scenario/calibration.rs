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
    /// The median distance a formation of the order of battle (or a single unit, by its
    /// name) has come at a local time lies in [min_km, max_km]: the furthest any of its
    /// units stands from where that unit started (runs.csv `march_km:<of>`).
    March {
        of: String,
        at: String,
        min_km: f64,
        max_km: f64,
    },
    /// The median of an army-level formation's fuel on hand at a local time, in refills
    /// (runs.csv `refills:<of>`), lies in [min, max].
    Fuel {
        of: String,
        at: String,
        min: f64,
        max: f64,
    },
}

impl Check {
    /// The formation or unit whose march or fuel the check follows, if it follows one by name.
    pub fn follows(&self) -> Option<&str> {
        match self {
            Check::March { of, .. } | Check::Fuel { of, .. } => Some(of),
            _ => None,
        }
    }
}

/// The formations and units of `scenario` that `facts` follow by name ([`Check::follows`]),
/// each once, in the order the facts first name them: the `march_km` and `refills` columns
/// of a batch.
pub fn followed_by(facts: &[CalibrationFact], scenario: &super::load::Scenario) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for f in facts {
        let Some(name) = f.check.follows() else {
            continue;
        };
        if unknown_follower(scenario, &f.check).is_none() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
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
                | Check::TankArmyAdvance { min_km, max_km, .. }
                | Check::March { min_km, max_km, .. } => {
                    (("min_km", *min_km), ("max_km", Some(*max_km)), NON_NEGATIVE)
                }
                Check::TankArmyFuel { min, max, .. } | Check::Fuel { min, max, .. } => {
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
    load_calibration_for(path, None, false)
}

/// Reads a calibration file, checking each fact's figures and, given the scenario it is
/// for, each place it names and, with `followers`, each formation and unit: before a batch
/// runs, not after. (A batch of another scenario that finds the file beside its own, as the
/// teaching scenario finds the historical one's, leaves the formations it lacks unfollowed
/// and their facts unmet.)
pub fn load_calibration_for(
    path: &Path,
    scenario: Option<&super::load::Scenario>,
    followers: bool,
) -> Result<Vec<CalibrationFact>, Vec<super::diag::Diagnostic>> {
    use super::diag::Severity;
    let src = super::load::read_source(path).map_err(|d| vec![d])?;
    let file: CalibrationFile = super::diag::parse_ron(&src).map_err(|d| vec![d])?;
    let mut problems = super::ranges::check_ranges(&src, &file);
    if let Some(scenario) = scenario.filter(|_| followers) {
        for (i, f) in file.facts.iter().enumerate() {
            if let Some(message) = unknown_follower(scenario, &f.check) {
                problems.push(src.at_path(
                    Severity::Error,
                    &format!("facts[{i}].check.of"),
                    format!("{}: {message}", f.event),
                ));
            }
        }
    }
    if let Some(map) = scenario.map(|s| &s.map) {
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
            | Check::TankArmyFuel { at, .. }
            | Check::March { at, .. }
            | Check::Fuel { at, .. } => bad_time(at),
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

/// Why a fact's `of` names nothing the scenario can follow, if it does not: a march needs a
/// formation or a unit of that name, a fuel check an army-level formation (the timeline
/// records fuel for those only).
fn unknown_follower(scenario: &super::load::Scenario, check: &Check) -> Option<String> {
    let of = check.follows()?;
    let formation = scenario.formations.iter().find(|f| f.name == of);
    match (check, formation) {
        (Check::Fuel { .. }, Some(f)) if !f.kind.is_army_level() => Some(format!(
            "\"{of}\" is a {:?}; fuel is followed for fronts, area armies, armies and groups",
            f.kind
        )),
        (_, Some(_)) => None,
        (Check::March { .. }, None) if scenario.units.iter().any(|u| u.def.name == of) => None,
        (Check::Fuel { .. }, None) if scenario.units.iter().any(|u| u.def.name == of) => {
            Some(format!(
                "\"{of}\" is a unit; fuel is followed for fronts, area armies, armies and groups"
            ))
        }
        _ => {
            let names = scenario
                .formations
                .iter()
                .map(|f| f.name.as_str())
                .chain(scenario.units.iter().map(|u| u.def.name.as_str()));
            let hint = super::diag::did_you_mean(of, names)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            Some(format!(
                "the order of battle has no formation or unit named \"{of}\"{hint}"
            ))
        }
    }
}
