//! What-if overlays: small RON files in `scenarios/what_ifs/` that change a base scenario,
//! composable, each carrying its historical rationale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::diag::{Diagnostic, Severity, SourceText, closest, figure, parse_ron};
use super::load::{Scenario, read_source};
use super::ranges::{Checker, FACTOR, NON_NEGATIVE, Range, Ranged, SHARE, check_ranges};
use super::schema::{Location, Nation, Side};
use crate::model::geo::LatLon;
use crate::model::time::parse_local;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    pub name: String,
    /// One line for `what-ifs`.
    pub summary: String,
    /// Why the question is worth asking, historically.
    pub rationale: String,
    pub source: String,
    pub changes: Vec<Change>,
    /// The text it was read from, so that a change the scenario cannot take is shown at
    /// its line.
    #[serde(skip)]
    pub origin: Option<SourceText>,
}

// `deny_unknown_fields` reaches the fields of each variant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Change {
    /// Raise the readiness of a side's units (of one nation, or all) to at least this.
    Readiness {
        side: Side,
        nation: Option<Nation>,
        at_least: f64,
    },
    /// Multiply the fuel on hand of a side's units.
    Fuel { side: Side, factor: f64 },
    /// Start the campaign at another local time.
    Start(String),
    /// Turn a rule switch on or off (by the name of a [`Switch`]).
    Switch { name: String, on: bool },
    /// Put a unit somewhere else at the start.
    MoveUnit { unit: String, to: Location },
    /// Add to a side's picture of the enemy before contact (the fog of war's starting
    /// beliefs): it expects `men` of the enemy at `at`.
    Believe {
        side: Side,
        at: Location,
        men: u32,
        source: String,
    },
}

/// Rule switches set by what-ifs; a switch not named is on.
#[derive(bevy::prelude::Resource, Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Switches(pub BTreeMap<String, bool>);

impl Switches {
    pub fn on(&self, switch: Switch) -> bool {
        self.0.get(switch.name()).copied().unwrap_or(true)
    }
}

/// The folder of what-ifs beside a scenario.
pub fn what_if_dir(scenario_path: &Path) -> PathBuf {
    scenario_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("what_ifs")
}

/// Every what-if available beside a scenario, sorted by name.
pub fn list_what_ifs(scenario_path: &Path) -> Vec<(PathBuf, Result<WhatIf, Vec<Diagnostic>>)> {
    let mut out: Vec<_> = std::fs::read_dir(what_if_dir(scenario_path))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let w = load_what_if_file(&p);
            (p, w)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub fn load_what_if_file(path: &Path) -> Result<WhatIf, Vec<Diagnostic>> {
    let src: SourceText = read_source(path).map_err(|d| vec![d])?;
    let mut w: WhatIf = parse_ron(&src).map_err(|d| vec![d])?;
    let mut unknown: Vec<Diagnostic> = w
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Switch { name, .. } if Switch::named(name).is_none() => {
                let at = src.text.find(&format!("\"{name}\""));
                let mut d = src.at_offset(
                    Severity::Error,
                    at,
                    format!("there is no rule switch named \"{name}\""),
                );
                let known = Switch::ALL.map(Switch::name);
                d.hint = Some(match closest(name, known) {
                    Some(c) => format!("did you mean \"{c}\"?"),
                    None => format!(
                        "the switches are: {}",
                        Switch::ALL.map(Switch::name).join(", ")
                    ),
                });
                Some(d)
            }
            _ => None,
        })
        .collect();
    unknown.extend(check_ranges(&src, &w));
    for (i, c) in w.changes.iter().enumerate() {
        if let Change::Start(s) = c
            && parse_local(s).is_none()
        {
            let mut d = src.at_path(
                Severity::Error,
                &format!("changes[{i}].0"),
                format!("start \"{s}\" is not a date and time"),
            );
            d.hint = Some("write local time as \"1945-08-09T00:01\"".into());
            unknown.push(d);
        }
    }
    if unknown.is_empty() {
        w.origin = Some(src);
        Ok(w)
    } else {
        Err(unknown)
    }
}

impl Ranged for WhatIf {
    fn ranges(&self, c: &mut Checker) {
        for (i, ch) in self.changes.iter().enumerate() {
            let at = format!("changes[{i}]");
            match ch {
                Change::Readiness { at_least, .. } => {
                    c.num(&format!("{at}.at_least"), at_least, SHARE)
                }
                // A hundred times the fuel is already more than any unit can carry.
                Change::Fuel { factor, .. } => c.num(&format!("{at}.factor"), factor, FACTOR),
                Change::MoveUnit { to, .. } => c.sub(&format!("{at}.to"), to),
                Change::Believe { at: loc, men, .. } => {
                    c.sub(&format!("{at}.at"), loc);
                    c.num(
                        &format!("{at}.men"),
                        men,
                        Range {
                            what: "men",
                            ..NON_NEGATIVE
                        },
                    );
                }
                Change::Start(_) | Change::Switch { .. } => {}
            }
        }
    }
}

/// Every change of a what-if that the scenario cannot take, at its line: a unit or place
/// it does not have, a unit moved off the map or onto ground it cannot stand on, a start
/// outside the campaign.
pub fn check_against(w: &WhatIf, s: &Scenario) -> Vec<Diagnostic> {
    let fallback;
    let src = match &w.origin {
        Some(src) => src,
        None => {
            fallback = SourceText::new(
                &what_if_dir(&s.path).join(format!("{}.ron", w.name)),
                String::new(),
            );
            &fallback
        }
    };
    let mut d = Vec::new();
    let mut push = |path: String, message: String, hint: Option<String>| {
        let mut x = src.at_path(Severity::Error, &path, message);
        x.hint = hint;
        d.push(x);
    };
    for (i, c) in w.changes.iter().enumerate() {
        let at = format!("changes[{i}]");
        match c {
            Change::Start(t) => {
                if let Some(m) = start_problem(s, t) {
                    push(format!("{at}.0"), m, None);
                }
            }
            Change::MoveUnit { unit, to } => {
                let Some(u) = s.units.iter().find(|u| u.def.name == *unit) else {
                    push(
                        format!("{at}.unit"),
                        format!("the scenario has no unit named \"{unit}\""),
                        crate::scenario::diag::did_you_mean(
                            unit,
                            s.units.iter().map(|u| u.def.name.as_str()),
                        ),
                    );
                    continue;
                };
                match hex_of(s, to) {
                    Err((m, h)) => push(format!("{at}.to"), m, h),
                    Ok(h) => {
                        let mobility = s
                            .rules
                            .unit_kinds
                            .get(&u.def.kind)
                            .map_or(super::schema::Mobility::Foot, |k| k.mobility);
                        let terrain = s.map.cell(h).map(|c| c.terrain);
                        let passable = terrain
                            .and_then(|t| s.rules.terrain_cost.get(&t))
                            .is_some_and(|c| c.get(mobility).is_some() || c.foot.is_some());
                        if !passable {
                            push(
                                format!("{at}.to"),
                                format!(
                                    "{unit} would stand in {h}, which is {}",
                                    terrain.map_or("off the map".to_string(), |t| format!("{t:?}"))
                                ),
                                Some("units must start on ground they can stand on".into()),
                            );
                        }
                    }
                }
            }
            Change::Believe { at: loc, .. } => {
                if let Err((m, h)) = hex_of(s, loc) {
                    push(format!("{at}.at"), m, h);
                }
            }
            Change::Readiness { .. } | Change::Fuel { .. } | Change::Switch { .. } => {}
        }
    }
    d
}

/// Where a location lies, or why it cannot be used.
fn hex_of(
    s: &Scenario,
    loc: &Location,
) -> Result<crate::model::hex::Hex, (String, Option<String>)> {
    match loc {
        Location::Place(p) => s
            .map
            .place_named(p)
            .map(|p| p.hex)
            .ok_or_else(|| crate::scenario::diag::unknown_place(&s.map, p)),
        Location::Coord(lat, lon) => {
            let h = s.map.hex_at(LatLon::new(*lat, *lon));
            if lat.is_finite() && lon.is_finite() && s.map.contains(h) {
                Ok(h)
            } else {
                Err((
                    format!(
                        "the coordinate ({}, {}) is off the map",
                        figure(*lat),
                        figure(*lon)
                    ),
                    Some("coordinates are Coord(lat, lon) in decimal degrees".into()),
                ))
            }
        }
    }
}

/// Why a new start cannot be the campaign's: not before its end, or too long before it.
fn start_problem(s: &Scenario, t: &str) -> Option<String> {
    let t = parse_local(t)?;
    if t >= s.end {
        Some(format!(
            "the new start {} is not before the campaign's end, {}",
            crate::model::time::iso_local(t),
            crate::model::time::iso_local(s.end)
        ))
    } else if s.end - t > chrono::Duration::days(super::load::MAX_CAMPAIGN_DAYS) {
        Some(format!(
            "starting then, the campaign would run over {} days",
            super::load::MAX_CAMPAIGN_DAYS
        ))
    } else {
        None
    }
}

/// Applies a what-if to a loaded scenario after checking it against the scenario; every
/// change the scenario cannot take is refused at its line, and nothing is applied.
pub fn apply_checked(
    scenario: &mut Scenario,
    w: &WhatIf,
    switches: &mut Switches,
) -> Result<(), Vec<Diagnostic>> {
    let d = check_against(w, scenario);
    if !d.is_empty() {
        return Err(d);
    }
    apply(scenario, w, switches).map_err(|m| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: w
                .origin
                .as_ref()
                .map_or_else(|| scenario.path.clone(), |s| s.path.clone()),
            line: 0,
            col: 0,
            message: m,
            hint: None,
            snippet: None,
        }]
    })
}

/// A rule switch a what-if may turn off (each is on unless a what-if says otherwise). The
/// rules ask for them by this name, so that a misspelt switch is a compile error, not a rule
/// that silently never turns off; what-if files name them in words ([`Switch::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Switch {
    /// Off: no transport aviation, no fuel flown in, no air landings.
    Airlift,
    /// Off: nobody stops fighting after the Emperor's broadcast.
    Ceasefire,
    /// Off: every side sees everything.
    Fog,
    /// Off: no unit is still on its way to the redoubt; each holds where it stands.
    Redeployment,
    /// Off: no scheduled rains; the weather stays dry.
    ScheduledWeather,
    /// Off: the defender is not surprised in the first hours.
    Surprise,
}

impl Switch {
    /// Every switch, in the order `what-ifs` lists them.
    pub const ALL: [Switch; 6] = [
        Switch::Airlift,
        Switch::Ceasefire,
        Switch::Fog,
        Switch::Redeployment,
        Switch::ScheduledWeather,
        Switch::Surprise,
    ];

    /// The switch of a name in a what-if file or a save.
    pub fn named(name: &str) -> Option<Switch> {
        Switch::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The switch's name in what-if files and saves.
    pub fn name(self) -> &'static str {
        match self {
            Switch::Airlift => "airlift",
            Switch::Ceasefire => "ceasefire",
            Switch::Fog => "fog",
            Switch::Redeployment => "redeployment",
            Switch::ScheduledWeather => "scheduled_weather",
            Switch::Surprise => "surprise",
        }
    }
}

/// The file a what-if is read from: a path if the name ends in `.ron`, else the file of
/// that name in the what-ifs folder beside the scenario.
pub fn what_if_path(scenario_path: &Path, name: &str) -> PathBuf {
    let as_path = Path::new(name);
    if as_path.extension().is_some_and(|x| x == "ron") {
        as_path.to_path_buf()
    } else {
        what_if_dir(scenario_path).join(format!("{name}.ron"))
    }
}

/// Finds a what-if by name (or path) for a scenario.
pub fn find_what_if(scenario_path: &Path, name: &str) -> Result<WhatIf, Vec<Diagnostic>> {
    let path = what_if_path(scenario_path, name);
    if !path.exists() {
        let names: Vec<String> = list_what_ifs(scenario_path)
            .into_iter()
            .filter_map(|(p, _)| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        let hint = match closest(name, names.iter().map(String::as_str)) {
            Some(c) => format!("did you mean \"{c}\"? `august-storm what-ifs` lists them all"),
            None if names.is_empty() => "this scenario has no what-ifs beside it".to_string(),
            None => format!("available: {}", names.join(", ")),
        };
        return Err(vec![Diagnostic {
            severity: Severity::Error,
            file: path,
            line: 0,
            col: 0,
            message: format!("there is no what-if named \"{name}\""),
            hint: Some(hint),
            snippet: None,
        }]);
    }
    load_what_if_file(&path)
}

/// The hex at a coordinate of a what-if, which must lie on the scenario's map: a unit put
/// off the map would stand nowhere the rules can reach.
fn on_map(
    scenario: &Scenario,
    what_if: &str,
    lat: f64,
    lon: f64,
) -> Result<crate::model::Hex, String> {
    let hex = scenario.map.hex_at(LatLon::new(lat, lon));
    if lat.is_finite() && lon.is_finite() && scenario.map.contains(hex) {
        Ok(hex)
    } else {
        Err(format!(
            "{what_if}: the point {lat} °N {lon} °E lies off the scenario's map"
        ))
    }
}

/// Applies a what-if to a loaded scenario; returns the switches it sets.
pub fn apply(scenario: &mut Scenario, w: &WhatIf, switches: &mut Switches) -> Result<(), String> {
    if let Some(d) = check_against(w, scenario).first() {
        return Err(format!(
            "{}: {} ({}:{}:{})",
            w.name,
            d.message,
            d.file.display(),
            d.line,
            d.col
        ));
    }
    for c in &w.changes {
        match c {
            Change::Readiness {
                side,
                nation,
                at_least,
            } => {
                for u in &mut scenario.units {
                    if u.def.side == *side && nation.is_none_or(|n| n == u.def.nation) {
                        u.def.readiness = u.def.readiness.max(*at_least).min(1.0);
                    }
                }
            }
            Change::Fuel { side, factor } => {
                if !FACTOR.contains(*factor) {
                    return Err(format!(
                        "{}: fuel factor {} must be {}",
                        w.name,
                        figure(*factor),
                        FACTOR.describe()
                    ));
                }
                for u in &mut scenario.units {
                    if u.def.side == *side {
                        u.fuel_t *= factor;
                    }
                }
            }
            Change::Start(s) => {
                let start = parse_local(s)
                    .ok_or_else(|| format!("{}: start \"{s}\" is not a date and time", w.name))?;
                if start >= scenario.end {
                    return Err(format!(
                        "{}: start \"{s}\" is not before the campaign's end, {}",
                        w.name,
                        crate::model::time::iso_local(scenario.end)
                    ));
                }
                scenario.start = start;
            }
            Change::Switch { name, on } => {
                switches.0.insert(name.clone(), *on);
            }
            Change::MoveUnit { unit, to } => {
                let hex = match to {
                    Location::Place(p) => scenario
                        .map
                        .place_named(p)
                        .map(|p| p.hex)
                        .ok_or_else(|| format!("{}: no place named \"{p}\"", w.name))?,
                    Location::Coord(lat, lon) => on_map(scenario, &w.name, *lat, *lon)?,
                };
                let u = scenario
                    .units
                    .iter_mut()
                    .find(|u| u.def.name == *unit)
                    .ok_or_else(|| format!("{}: no unit named \"{unit}\"", w.name))?;
                u.hex = hex;
            }
            Change::Believe {
                side,
                at,
                men,
                source,
            } => {
                match at {
                    Location::Place(p) if scenario.map.place_named(p).is_none() => {
                        return Err(format!("{}: no place named \"{p}\"", w.name));
                    }
                    Location::Coord(lat, lon) => {
                        on_map(scenario, &w.name, *lat, *lon)?;
                    }
                    Location::Place(_) => {}
                }
                let plan = scenario.plan.get_or_insert_with(Default::default);
                let side_plan = match side {
                    Side::Soviet => &mut plan.soviet,
                    Side::Japanese => &mut plan.japanese,
                };
                side_plan.believed_enemy.push(super::schema::BelievedEnemy {
                    at: at.clone(),
                    men: *men,
                    source: source.clone(),
                });
            }
        }
    }
    Ok(())
}
