//! Checking an AI plan against the scenarios that use it: every formation, unit and place it
//! names, and its figures in range.

use std::collections::BTreeSet;

use crate::model::map::Map;
use crate::scenario::diag::{Diagnostic, Severity, SourceText, did_you_mean};
use crate::scenario::ranges::check_ranges;
use crate::scenario::schema::{Location, PlanFile, ScenarioFile};

/// The names a plan may refer to: the formations, and (to say what is wrong with them) the
/// units of the scenarios that use it. One plan serves several scenarios (a campaign and
/// its smaller parts), so a formation need only be in one of them.
#[derive(Debug, Clone, Default)]
pub struct PlanNames {
    pub formations: BTreeSet<String>,
    pub units: BTreeSet<String>,
}

impl PlanNames {
    pub fn add(&mut self, s: &ScenarioFile) {
        self.formations
            .extend(s.formations.iter().map(|f| f.name.clone()));
        self.units.extend(s.units.iter().map(|u| u.name.clone()));
    }
}

/// Checks an AI plan: its figures, every place it names against the map, and, given the
/// names of the scenarios that use it, every formation it names.
pub fn check_plan(
    ps: &SourceText,
    f: &PlanFile,
    map: &Map,
    known: Option<&PlanNames>,
) -> Vec<Diagnostic> {
    let mut diags = check_ranges(ps, f);
    for (side, plan) in [("soviet", &f.soviet), ("japanese", &f.japanese)] {
        let mut names: Vec<(String, &String, bool)> = Vec::new();
        for (i, a) in plan.axes.iter().enumerate() {
            for (j, o) in a.objectives.iter().enumerate() {
                names.push((format!("{side}.axes[{i}].objectives[{j}]"), o, true));
            }
            for (j, o) in a.formations.iter().enumerate() {
                names.push((format!("{side}.axes[{i}].formations[{j}]"), o, false));
            }
        }
        for (list, place) in [
            ("redoubt", true),
            ("air_landing_targets", true),
            ("sea_landing_targets", true),
            ("airlift_priority", false),
        ] {
            let v = match list {
                "redoubt" => &plan.redoubt,
                "air_landing_targets" => &plan.air_landing_targets,
                "sea_landing_targets" => &plan.sea_landing_targets,
                _ => &plan.airlift_priority,
            };
            for (j, o) in v.iter().enumerate() {
                names.push((format!("{side}.{list}[{j}]"), o, place));
            }
        }
        for (path, name, place) in names {
            let (message, hint) = if place {
                if map.place_named(name).is_some() {
                    continue;
                }
                let all = map.places.iter().map(|p| p.name.as_str());
                (
                    format!("the plan names a place \"{name}\" that is not on the map"),
                    did_you_mean(name, all),
                )
            } else {
                let Some(known) = known else { continue };
                if known.formations.contains(name) {
                    continue;
                }
                if known.units.contains(name) {
                    let mut d = ps.at_path(
                        Severity::Warning,
                        &path,
                        format!(
                            "\"{name}\" is a unit, not a formation, so the plan has no effect on it"
                        ),
                    );
                    d.hint = Some(
                        "plans follow the chain of command: name the formation the unit serves under"
                            .into(),
                    );
                    diags.push(d);
                    continue;
                }
                (
                    format!("the plan names a formation \"{name}\" that no scenario using it has"),
                    did_you_mean(name, known.formations.iter().map(String::as_str)),
                )
            };
            let mut d = ps.at_path(Severity::Error, &path, message);
            d.hint = hint;
            diags.push(d);
        }
        for (i, b) in plan.believed_enemy.iter().enumerate() {
            if let Location::Place(p) = &b.at
                && map.place_named(p).is_none()
            {
                diags.push(ps.at_path(
                    Severity::Error,
                    &format!("{side}.believed_enemy[{i}].at"),
                    format!("there is no place named \"{p}\" on the map"),
                ));
            }
        }
    }
    diags
}
