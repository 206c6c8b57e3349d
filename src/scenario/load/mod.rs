//! Loading a scenario with its map and rules: parse, check every cross-reference, report all
//! problems at once.

mod logistics;
mod map;
mod objectives;
mod plan;
mod resolve;
mod rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::diag::{Diagnostic, Severity, SourceText, parse_ron};
use super::ranges::check_ranges;
use super::schema::*;
use crate::model::hex::Hex;
use crate::model::ids::FormationId;
use crate::model::map::Map;
use crate::model::units::Formation;

use logistics::resolve_logistics;
pub use map::load_map;
use objectives::check_objectives;
pub use plan::{PlanNames, check_plan};
pub use resolve::coastal;
use resolve::resolve;
pub use rules::{
    ALL_UNIT_KINDS, ALL_WEATHER, ammo_load_t, load_rules, load_rules_source, refill_t,
};

/// Longest campaign a scenario may run, days: a year, far beyond any campaign, and a bound
/// on the turns a run plays.
pub const MAX_CAMPAIGN_DAYS: i64 = 366;

/// Offset of the value after a key found by [`SourceText::key`].
fn value_after_key(text: &str, key: usize) -> usize {
    let rest = &text[key..];
    rest.find(':').map_or(key, |c| {
        let after = &rest[c + 1..];
        key + c + 1 + (after.len() - after.trim_start().len())
    })
}

/// Largest data file the loader reads; anything bigger is refused before parsing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A scenario, loaded, checked and resolved against its map.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    pub file: ScenarioFile,
    pub rules: RulesFile,
    pub map: Map,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub formations: Vec<Formation>,
    pub units: Vec<ScenarioUnit>,
    pub logistics: Logistics,
    pub ceasefire: Option<crate::model::CeasefireSchedule>,
    /// The AI's plan, if the scenario has one.
    pub plan: Option<PlanFile>,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
}

/// The logistics file, resolved against the map and the order of battle.
#[derive(Debug, Clone, Default)]
pub struct Logistics {
    pub depots: Vec<crate::model::logistics::Depot>,
    pub pools: Vec<crate::model::logistics::TruckPool>,
    pub fleets: Vec<crate::model::logistics::AirFleet>,
    pub weather: Vec<crate::model::logistics::ClimateSpan>,
    pub sea_lift: Vec<crate::model::logistics::SeaLift>,
    pub flotillas: Vec<crate::model::logistics::RiverFlotilla>,
}

impl Scenario {
    /// The side that gives its orders first in every turn.
    pub fn moves_first(&self) -> crate::model::Side {
        self.file.moves_first.unwrap_or(crate::model::Side::Soviet)
    }

    /// The formation the batch and the debrief follow, if the scenario names one.
    pub fn followed_formation(&self) -> Option<crate::model::FormationId> {
        let name = self.file.followed_formation.as_deref()?;
        self.formations
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.id)
    }
}

/// A unit as the scenario places it.
#[derive(Debug, Clone)]
pub struct ScenarioUnit {
    pub def: UnitDef,
    pub hex: Hex,
    pub parent: FormationId,
    pub fuel_t: f64,
    pub ammo_t: f64,
    pub food_t: f64,
    /// What it carries when full.
    pub capacity: crate::model::Capacity,
}

pub fn read_source(path: &Path) -> Result<SourceText, Diagnostic> {
    let whole = |msg: String| Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        message: msg,
        hint: None,
        snippet: None,
    };
    let meta = std::fs::metadata(path).map_err(|e| whole(format!("cannot read the file: {e}")))?;
    // Only ordinary files: a device, a pipe or a directory named as a data file (say a save
    // whose scenario is `/dev/zero`) could otherwise block or fill the memory.
    if !meta.is_file() {
        return Err(whole(
            "cannot read the file: it is not an ordinary file".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(path, meta.len()));
    }
    // Read no more than the limit even if the file grows while it is read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(|e| whole(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(path, bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        whole(format!(
            "the file is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // A byte-order mark, as some Windows editors write, is not part of the data.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(SourceText::new(path, text))
}

/// Loads a scenario and everything it refers to. On failure, returns every problem found.
pub fn load_scenario(path: &Path) -> Result<Scenario, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_scenario_source(src, &Overlay::default())
}

/// Texts read in place of files on disk, by the path the scenario gives them (joined to the
/// scenario's folder): a sweep's design point changes figures of the scenario, its rules,
/// logistics or plan without writing a file. The map is always read from disk.
#[derive(Debug, Clone, Default)]
pub struct Overlay(pub BTreeMap<PathBuf, String>);

impl Overlay {
    fn read(&self, path: &Path) -> Result<SourceText, Diagnostic> {
        match self.0.get(path) {
            Some(text) => Ok(SourceText::new(path, text.clone())),
            None => read_source(path),
        }
    }
}

/// [`load_scenario`] with some of its files replaced by texts in memory, the scenario's
/// own among them where the overlay holds its path; every check of the loader runs on them.
pub fn load_scenario_overlaid(path: &Path, overlay: &Overlay) -> Result<Scenario, Vec<Diagnostic>> {
    let src = overlay.read(path).map_err(|d| vec![d])?;
    load_scenario_source(src, overlay)
}

/// Loads a scenario from text already in memory, as if read from `path` (which places its
/// map, rules and logistics files); the fuzz harness feeds it without touching the disk.
pub fn load_scenario_text(path: &Path, text: String) -> Result<Scenario, Vec<Diagnostic>> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![too_big(path, text.len() as u64)]);
    }
    load_scenario_source(SourceText::new(path, text), &Overlay::default())
}

fn too_big(path: &Path, len: u64) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        message: format!(
            "the file is {len} bytes; data files are limited to {MAX_FILE_BYTES} bytes"
        ),
        hint: None,
        snippet: None,
    }
}

fn load_scenario_source(src: SourceText, overlay: &Overlay) -> Result<Scenario, Vec<Diagnostic>> {
    let path = src.path.clone();
    let path = path.as_path();
    let file: ScenarioFile = parse_ron(&src).map_err(|d| vec![d])?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut diags = Vec::new();

    let map_path = dir.join(&file.map);
    let rules_path = dir.join(&file.rules);
    let map = scenario_map(&src, &map_path, &mut diags);
    let rules = scenario_rules(&src, overlay, &rules_path, &mut diags);
    let (Some(map), Some(rules)) = (map, rules) else {
        return Err(diags);
    };
    let logistics_path = dir.join(&file.logistics);
    let logistics_file = scenario_logistics(&src, overlay, &logistics_path, &mut diags);
    let Some((logistics_file, lsrc)) = logistics_file else {
        return Err(diags);
    };
    let plan = scenario_plan(&file, dir, overlay, &map, &mut diags);
    diags.extend(check_objectives(&src, &file, &map));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    match resolve(path, &src, file, rules, map).and_then(|mut s| {
        s.logistics = resolve_logistics(&s, &logistics_file, &lsrc)?;
        s.plan = plan;
        Ok(s)
    }) {
        Ok(mut s) => {
            s.warnings.splice(0..0, diags);
            Ok(s)
        }
        Err(d) => {
            diags.extend(d);
            Err(diags)
        }
    }
}

/// The scenario's map, its warnings kept; a map file that is not there is named at the
/// scenario's `map` line.
fn scenario_map(src: &SourceText, map_path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Map> {
    match load_map(map_path) {
        Ok((m, w)) => {
            diags.extend(w);
            Some(m)
        }
        Err(mut d) => {
            if d.iter().all(|x| x.line == 0) && !map_path.exists() {
                let mut x = src.at_offset(
                    Severity::Error,
                    src.key(0, "map").map(|o| o + 5),
                    format!("the map file {} does not exist", map_path.display()),
                );
                x.hint = Some("the path is relative to the scenario file".into());
                d = vec![x];
            }
            diags.extend(d);
            None
        }
    }
}

/// The scenario's rules (from the overlay where a sweep changes them); a rules file that is
/// not there is named at the scenario's `rules` line.
fn scenario_rules(
    src: &SourceText,
    overlay: &Overlay,
    rules_path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<RulesFile> {
    match overlay
        .read(rules_path)
        .map_err(|d| vec![d])
        .and_then(|r| load_rules_source(&r))
    {
        Ok(r) => Some(r),
        Err(mut d) => {
            if !rules_path.exists() {
                let mut x = src.at_offset(
                    Severity::Error,
                    src.key(0, "rules").map(|o| o + 7),
                    format!("the rules file {} does not exist", rules_path.display()),
                );
                x.hint = Some("the path is relative to the scenario file".into());
                d = vec![x];
            }
            diags.extend(d);
            None
        }
    }
}

/// The scenario's logistics file, parsed and its figures checked, with its text for the
/// cross-references resolved later.
fn scenario_logistics(
    src: &SourceText,
    overlay: &Overlay,
    logistics_path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<(LogisticsFile, SourceText)> {
    match overlay.read(logistics_path) {
        Ok(lsrc) => match parse_ron::<LogisticsFile>(&lsrc) {
            Ok(l) => {
                diags.extend(check_ranges(&lsrc, &l));
                Some((l, lsrc))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        },
        Err(mut d) => {
            if !logistics_path.exists() {
                d = src.at_offset(
                    Severity::Error,
                    src.key(0, "logistics").map(|o| o + 11),
                    format!(
                        "the logistics file {} does not exist",
                        logistics_path.display()
                    ),
                );
                d.hint = Some("the path is relative to the scenario file".into());
            }
            diags.push(d);
            None
        }
    }
}

/// The scenario's plan, where it has one, checked against its map.
fn scenario_plan(
    file: &ScenarioFile,
    dir: &Path,
    overlay: &Overlay,
    map: &Map,
    diags: &mut Vec<Diagnostic>,
) -> Option<PlanFile> {
    match &file.plan {
        None => None,
        Some(p) => {
            let ppath = dir.join(p);
            match overlay
                .read(&ppath)
                .and_then(|ps| parse_ron::<PlanFile>(&ps).map(|f| (f, ps)))
            {
                Ok((f, ps)) => {
                    diags.extend(check_plan(&ps, &f, map, None));
                    Some(f)
                }
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        }
    }
}
