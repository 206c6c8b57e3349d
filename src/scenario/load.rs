//! Loading a scenario with its map and rules: parse, check every cross-reference, report all
//! problems at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::diag::{Diagnostic, Severity, SourceText, closest, parse_ron};
use super::map_build::build_map;
use super::ranges::check_ranges;
use super::schema::*;
use crate::model::hex::Hex;
use crate::model::ids::FormationId;
use crate::model::map::Map;
use crate::model::time::parse_local;
use crate::model::units::Formation;

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
    pub weather: Vec<crate::model::logistics::WeatherSpan>,
    pub sea_lift: Vec<crate::model::logistics::SeaLift>,
    pub flotillas: Vec<crate::model::logistics::RiverFlotilla>,
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
    let map = match load_map(&map_path) {
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
    };
    let rules = match overlay
        .read(&rules_path)
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
    };
    let (Some(map), Some(rules)) = (map, rules) else {
        return Err(diags);
    };
    let logistics_path = dir.join(&file.logistics);
    let logistics_file = match overlay.read(&logistics_path) {
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
    };
    let Some((logistics_file, lsrc)) = logistics_file else {
        return Err(diags);
    };
    let plan = match &file.plan {
        None => None,
        Some(p) => {
            let ppath = dir.join(p);
            match overlay
                .read(&ppath)
                .and_then(|ps| parse_ron::<PlanFile>(&ps).map(|f| (f, ps)))
            {
                Ok((f, ps)) => {
                    diags.extend(check_plan(&ps, &f, &map, None));
                    Some(f)
                }
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        }
    };
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
                    closest(name, all),
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
                    closest(name, known.formations.iter().map(String::as_str)),
                )
            };
            let mut d = ps.at_path(Severity::Error, &path, message);
            d.hint = hint.map(|c| format!("did you mean \"{c}\"?"));
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

pub fn load_map(path: &Path) -> Result<(Map, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    let mut file: MapFile = parse_ron(&src).map_err(|d| vec![d])?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut diags = Vec::new();
    for (i, layer) in file.layers.clone().iter().enumerate() {
        let lpath = dir.join(layer);
        if !lpath.exists() {
            let off = src.key(0, "layers").map(|o| {
                src.text[o..]
                    .find(&format!("\"{layer}\""))
                    .map_or(o, |k| o + k)
            });
            let mut x = src.at_offset(
                Severity::Error,
                off,
                format!(
                    "the map layer {} (layer {}) does not exist",
                    lpath.display(),
                    i + 1
                ),
            );
            x.hint = Some("layer paths are relative to the map file".into());
            diags.push(x);
            continue;
        }
        let lsrc = match read_source(&lpath) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match parse_ron::<MapLayer>(&lsrc) {
            Ok(l) => {
                super::map_build::check_layer(&mut diags, &lsrc, Some(&file.bounds), &l);
                file.areas.extend(l.areas);
                file.countries.extend(l.countries);
                file.rivers.extend(l.rivers);
                file.railways.extend(l.railways);
                file.roads.extend(l.roads);
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    build_map(&file, &src).map(|(m, mut w)| {
        w.splice(0..0, diags);
        (m, w)
    })
}

pub fn load_rules(path: &Path) -> Result<RulesFile, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_rules_source(&src)
}

/// [`load_rules`] from text already read.
pub fn load_rules_source(src: &SourceText) -> Result<RulesFile, Vec<Diagnostic>> {
    let rules: RulesFile = parse_ron(src).map_err(|d| vec![d])?;
    let mut d = Vec::new();
    for kind in ALL_UNIT_KINDS {
        if !rules.unit_kinds.contains_key(kind) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "unit_kinds"),
                format!("unit_kinds has no entry for {kind:?}"),
            ));
        }
    }
    for t in &TerrainKind::ALL {
        if !rules.terrain_cost.contains_key(t) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "terrain_cost"),
                format!("terrain_cost has no entry for {t:?}"),
            ));
        }
    }
    d.extend(check_ranges(src, &rules));
    for w in ALL_WEATHER {
        if !rules.weather.contains_key(w) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "weather"),
                format!("weather has no entry for {w:?}"),
            ));
        }
    }
    let sp = &rules.supply;
    let share = sp.rail_share_fuel + sp.rail_share_ammo + sp.rail_share_food;
    if (share - 1.0).abs() > 1e-6 {
        d.push(src.at_path(
            Severity::Error,
            "supply.rail_share_fuel",
            format!(
                "the rail shares of fuel, ammunition and food add up to {}, not 1.0",
                super::diag::figure(share)
            ),
        ));
    }
    if d.is_empty() { Ok(rules) } else { Err(d) }
}

pub const ALL_UNIT_KINDS: &[UnitKind] = &[
    UnitKind::RifleDivision,
    UnitKind::MotorRifleDivision,
    UnitKind::TankDivision,
    UnitKind::TankCorps,
    UnitKind::MechanizedCorps,
    UnitKind::TankBrigade,
    UnitKind::MotorRifleBrigade,
    UnitKind::RifleBrigade,
    UnitKind::CavalryDivision,
    UnitKind::ArtilleryDivision,
    UnitKind::ArtilleryBrigade,
    UnitKind::AntiTankBrigade,
    UnitKind::FortifiedRegionGarrison,
    UnitKind::NavalInfantryBrigade,
    UnitKind::SupportGroup,
    UnitKind::InfantryDivision,
    UnitKind::IndependentMixedBrigade,
    UnitKind::IndependentTankBrigade,
    UnitKind::BorderGarrison,
    UnitKind::CavalryBrigade,
    UnitKind::AirborneDetachment,
];

pub const ALL_WEATHER: &[Weather] = &[Weather::Rain, Weather::Downpour];

/// Tons of one refill of fuel for a unit's tanks and vehicles.
pub fn refill_t(rules: &RulesFile, tanks: u32, vehicles: u32) -> f64 {
    tanks as f64 * rules.vehicles.tank_refill_t + vehicles as f64 * rules.vehicles.vehicle_refill_t
}

/// Tons of one combat load of ammunition.
pub fn ammo_load_t(rules: &RulesFile, men: u32, guns: u32, mrl: u32, tanks: u32) -> f64 {
    let v = &rules.vehicles;
    guns as f64 * v.ammo_t_per_gun
        + mrl as f64 * v.ammo_t_per_mrl
        + tanks as f64 * v.ammo_t_per_tank
        + men as f64 / 1000.0 * v.ammo_t_per_1000_men
}

fn resolve(
    path: &Path,
    src: &SourceText,
    file: ScenarioFile,
    rules: RulesFile,
    map: Map,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut d: Vec<Diagnostic> = Vec::new();
    let err = |off: Option<usize>, msg: String, hint: Option<String>| {
        let mut x = src.at_offset(Severity::Error, off, msg);
        x.hint = hint;
        x
    };
    let date_hint = Some("write local time as \"1945-08-09T00:01\"".to_string());
    let start = parse_local(&file.start);
    let end = parse_local(&file.end);
    if start.is_none() {
        d.push(err(
            src.key(0, "start"),
            format!("start \"{}\" is not a date and time", file.start),
            date_hint.clone(),
        ));
    }
    if end.is_none() {
        d.push(err(
            src.key(0, "end"),
            format!("end \"{}\" is not a date and time", file.end),
            date_hint,
        ));
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        d.push(err(
            src.key(0, "end"),
            "the end must come after the start".into(),
            None,
        ));
    }
    if let (Some(s), Some(e)) = (start, end)
        && e - s > chrono::Duration::days(MAX_CAMPAIGN_DAYS)
    {
        d.push(err(
            src.key(0, "end").map(|o| value_after_key(&src.text, o)),
            format!(
                "the campaign runs {} days; a scenario is limited to {MAX_CAMPAIGN_DAYS} days",
                (e - s).num_days()
            ),
            None,
        ));
    }
    d.extend(check_ranges(src, &file));

    // Formations: unique names, known parents, no cycles, same side as the parent.
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in file.formations.iter().enumerate() {
        if by_name.insert(f.name.as_str(), i).is_some() {
            d.push(err(
                src.entry("formations", i),
                format!("the formation name \"{}\" is used twice", f.name),
                Some("formation names must be unique; units refer to them by name".into()),
            ));
        }
    }
    let names: Vec<&str> = file.formations.iter().map(|f| f.name.as_str()).collect();
    let unknown_formation = |name: &str| {
        let hint = closest(name, names.iter().copied()).map(|c| format!("did you mean \"{c}\"?"));
        (format!("there is no formation named \"{name}\""), hint)
    };
    let resolve_location = |loc: &Location| -> Result<Hex, (String, Option<String>)> {
        match loc {
            Location::Place(p) => map.place_named(p).map(|p| p.hex).ok_or_else(|| {
                let all = map
                    .places
                    .iter()
                    .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases));
                (
                    format!("there is no place named \"{p}\" on the map"),
                    closest(p, all.map(String::as_str)).map(|c| format!("did you mean \"{c}\"?")),
                )
            }),
            Location::Coord(lat, lon) => {
                let h = map.hex_at(crate::model::geo::LatLon::new(*lat, *lon));
                if lat.is_finite() && lon.is_finite() && map.contains(h) {
                    Ok(h)
                } else {
                    Err((
                        format!("the coordinate ({lat}, {lon}) is off the map"),
                        Some("coordinates are Coord(lat, lon) in decimal degrees".into()),
                    ))
                }
            }
        }
    };
    let mut formations = Vec::new();
    for (i, f) in file.formations.iter().enumerate() {
        let parent = match &f.parent {
            None => None,
            Some(p) => match by_name.get(p.as_str()) {
                Some(&j) => {
                    if file.formations[j].side != f.side {
                        d.push(err(
                            src.field("formations", i, "parent"),
                            format!(
                                "{} ({:?}) cannot serve under {} ({:?})",
                                f.name, f.side, p, file.formations[j].side
                            ),
                            None,
                        ));
                    }
                    Some(FormationId(j as u32))
                }
                None => {
                    let (m, h) = unknown_formation(p);
                    d.push(err(src.field("formations", i, "parent"), m, h));
                    None
                }
            },
        };
        let hq = resolve_location(&f.hq).unwrap_or_else(|(m, h)| {
            d.push(err(src.field("formations", i, "hq"), m, h));
            Hex::default()
        });
        formations.push(Formation {
            id: FormationId(i as u32),
            name: f.name.clone(),
            side: f.side,
            nation: f.nation,
            kind: f.kind,
            parent,
            commander: f.commander.clone(),
            hq,
            aircraft: f.aircraft,
            transport_aircraft: f.transport_aircraft,
            ships: f.ships,
            source: f.source.clone(),
        });
    }
    for (i, f) in formations.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let mut cur = Some(f.id);
        while let Some(c) = cur {
            if !seen.insert(c) {
                d.push(err(
                    src.field("formations", i, "parent"),
                    format!("{}'s chain of command loops back on itself", f.name),
                    None,
                ));
                break;
            }
            cur = formations[c.0 as usize].parent;
        }
    }

    // Units.
    let mut unit_names: BTreeMap<&str, usize> = BTreeMap::new();
    let mut units = Vec::new();
    for (i, u) in file.units.iter().enumerate() {
        if unit_names.insert(u.name.as_str(), i).is_some() {
            d.push(err(
                src.entry("units", i),
                format!("the unit name \"{}\" is used twice", u.name),
                Some("unit names must be unique: orders and reports refer to units by name".into()),
            ));
        }
        let parent = match by_name.get(u.parent.as_str()) {
            Some(&j) => {
                if file.formations[j].side != u.side {
                    d.push(err(
                        src.field("units", i, "parent"),
                        format!(
                            "{} ({:?}) cannot serve under {} ({:?})",
                            u.name, u.side, u.parent, file.formations[j].side
                        ),
                        None,
                    ));
                }
                FormationId(j as u32)
            }
            None => {
                let (m, h) = unknown_formation(&u.parent);
                d.push(err(src.field("units", i, "parent"), m, h));
                FormationId(0)
            }
        };
        for (field, v) in [
            ("men", u.men),
            ("tanks", u.tanks),
            ("guns", u.guns),
            ("mrl", u.mrl),
            ("vehicles", u.vehicles),
        ] {
            if v < 0 {
                d.push(err(
                    src.field("units", i, field),
                    format!("{} has {field}: {v}; a strength cannot be negative", u.name),
                    Some("use 0 for none".into()),
                ));
            } else if v > 2_000_000 {
                d.push(err(
                    src.field("units", i, field),
                    format!("{} has {field}: {v}, more than any unit could hold", u.name),
                    None,
                ));
            }
        }
        if !(0.0..=1.0).contains(&u.readiness) {
            d.push(err(
                src.field("units", i, "readiness"),
                format!(
                    "{} has readiness {}, expected 0.0 to 1.0",
                    u.name, u.readiness
                ),
                None,
            ));
        }
        let clamp = |v: i64| v.clamp(0, 2_000_000) as u32;
        let (men, tanks, guns, mrl, vehicles) = (
            clamp(u.men),
            clamp(u.tanks),
            clamp(u.guns),
            clamp(u.mrl),
            clamp(u.vehicles),
        );
        let mut stock = |field: &str, q: Quantity, per: f64| match q {
            Quantity::Tons(t) | Quantity::Refills(t) if !(t >= 0.0 && t.is_finite() && t < 1e7) => {
                d.push(err(
                    src.field("units", i, field),
                    format!(
                        "{} has {field} {t}; expected a number of zero or more",
                        u.name
                    ),
                    None,
                ));
                0.0
            }
            Quantity::Tons(t) => t,
            Quantity::Refills(r) => r * per,
        };
        let one_refill = refill_t(&rules, tanks, vehicles);
        let one_load = ammo_load_t(&rules, men, guns, mrl, tanks);
        let fuel_t = stock("fuel", u.fuel, one_refill);
        let ammo_t = stock("ammo", u.ammo, one_load);
        let food_t = men as f64 / 1000.0
            * rules.supply.food_t_per_1000_men_day
            * rules.supply.food_days_carried;
        let hex = match resolve_location(&u.at) {
            Ok(h) => {
                let cell = map.cell(h).expect("resolved hexes are on the map");
                let kind = rules.unit_kinds.get(&u.kind);
                let mobility = kind.map_or(Mobility::Foot, |k| k.mobility);
                let passable = rules
                    .terrain_cost
                    .get(&cell.terrain)
                    .is_some_and(|c| c.get(mobility).is_some() || c.foot.is_some());
                if !passable {
                    d.push(err(
                        src.field("units", i, "at"),
                        format!("{} stands in {h}, which is {:?}", u.name, cell.terrain),
                        Some("units must start on ground they can stand on".into()),
                    ));
                }
                h
            }
            Err((m, h)) => {
                d.push(err(src.field("units", i, "at"), m, h));
                Hex::default()
            }
        };
        units.push(ScenarioUnit {
            def: u.clone(),
            hex,
            parent,
            fuel_t,
            ammo_t,
            food_t,
            capacity: crate::model::Capacity {
                fuel_t: fuel_t.max(one_refill),
                ammo_t: ammo_t.max(one_load),
                food_t,
            },
        });
    }

    // Stacking at the start.
    let mut stacks: BTreeMap<(Hex, Side), (u32, Vec<usize>)> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        let pts = rules.unit_kinds.get(&u.def.kind).map_or(1, |k| k.stacking);
        let e = stacks.entry((u.hex, u.def.side)).or_default();
        e.0 += pts;
        e.1.push(i);
    }
    for ((h, side), (pts, members)) in &stacks {
        if *pts > rules.stacking_limit {
            let last = *members.last().expect("a stack has members");
            let names: Vec<&str> = members
                .iter()
                .map(|&i| units[i].def.name.as_str())
                .collect();
            d.push(err(
                src.field("units", last, "at"),
                format!(
                    "{side:?} units in {h} make {pts} stacking points, over the limit of {}: {}",
                    rules.stacking_limit,
                    names.join(", ")
                ),
                Some("spread them over neighbouring hexes (a hex is about 20 km across)".into()),
            ));
        }
    }
    for (h, side) in stacks.keys() {
        if stacks.contains_key(&(*h, opposite(*side))) && *side == Side::Soviet {
            d.push(err(
                None,
                format!("Soviet and Japanese units start in the same hex, {h}"),
                None,
            ));
        }
    }

    let ceasefire = file.ceasefire.as_ref().and_then(|c| {
        let broadcast = parse_local(&c.broadcast);
        let order_at_hq = parse_local(&c.order_at_hq);
        let hq = by_name.get(c.hq.as_str()).map(|&i| FormationId(i as u32));
        if broadcast.is_none() || order_at_hq.is_none() {
            d.push(err(
                src.key(0, "ceasefire"),
                "the cease-fire's broadcast and order_at_hq must be dates and times".into(),
                Some("write local time as \"1945-08-16T16:30\"".into()),
            ));
        }
        if hq.is_none() {
            let (m, h) = unknown_formation(&c.hq);
            d.push(err(src.key(0, "ceasefire"), m, h));
        }
        Some(crate::model::CeasefireSchedule {
            broadcast: broadcast?,
            order_at_hq: order_at_hq?,
            hq: hq?,
        })
    });
    if d.iter().any(Diagnostic::is_error) {
        return Err(d);
    }
    Ok(Scenario {
        path: path.to_path_buf(),
        file,
        rules,
        map,
        start: start.expect("checked above"),
        end: end.expect("checked above"),
        formations,
        units,
        logistics: Logistics::default(),
        ceasefire,
        plan: None,
        warnings: d,
    })
}

/// Whether a hex is land beside the sea: a coast where ships can put troops ashore.
pub fn coastal(map: &Map, h: Hex) -> bool {
    use crate::model::map::TerrainKind;
    map.cell(h)
        .is_some_and(|c| !matches!(c.terrain, TerrainKind::Sea | TerrainKind::Lake))
        && h.neighbors()
            .into_iter()
            .any(|n| map.cell(n).is_some_and(|c| c.terrain == TerrainKind::Sea))
}

/// Resolves the logistics file: places and formations by name, dates, and sanity of figures.
fn resolve_logistics(
    s: &Scenario,
    f: &LogisticsFile,
    src: &SourceText,
) -> Result<Logistics, Vec<Diagnostic>> {
    use crate::model::logistics::*;
    let mut d = Vec::new();
    let err = |off: Option<usize>, msg: String, hint: Option<String>| {
        let mut x = src.at_offset(Severity::Error, off, msg);
        x.hint = hint;
        x
    };
    let formation = |name: &str| s.formations.iter().find(|f| f.name == name);
    let formation_hint = |name: &str| {
        closest(name, s.formations.iter().map(|f| f.name.as_str()))
            .map(|c| format!("did you mean \"{c}\"?"))
    };
    let mut out = Logistics::default();
    for (i, x) in f.depots.iter().enumerate() {
        let (hex, place) = match &x.at {
            Location::Place(p) => match s.map.place_named(p) {
                Some(pl) => (pl.hex, Some(pl.id)),
                None => {
                    let all = s.map.places.iter().map(|p| p.name.as_str());
                    d.push(err(
                        src.field("depots", i, "at"),
                        format!("there is no place named \"{p}\" on the map"),
                        closest(p, all).map(|c| format!("did you mean \"{c}\"?")),
                    ));
                    continue;
                }
            },
            Location::Coord(lat, lon) => {
                let h = s.map.hex_at(crate::model::LatLon::new(*lat, *lon));
                if !s.map.contains(h) {
                    d.push(err(
                        src.field("depots", i, "at"),
                        format!("the depot {} is off the map", x.name),
                        None,
                    ));
                    continue;
                }
                (h, s.map.cell(h).and_then(|c| c.place))
            }
        };
        out.depots.push(Depot {
            name: x.name.clone(),
            side: x.side,
            kind: x.kind,
            hex,
            place,
            fuel_t: x.fuel_t,
            ammo_t: x.ammo_t,
            food_t: x.food_t,
            rail_t_per_day: x.rail_t_per_day,
            source: x.source.clone(),
        });
    }
    for (i, p) in f.truck_pools.iter().enumerate() {
        match formation(&p.formation) {
            Some(fm) => out.pools.push(TruckPool {
                formation: fm.id,
                trucks: p.trucks,
                source: p.source.clone(),
            }),
            None => d.push(err(
                src.field("truck_pools", i, "formation"),
                format!("there is no formation named \"{}\"", p.formation),
                formation_hint(&p.formation),
            )),
        }
    }
    for (i, a) in f.air_transport.iter().enumerate() {
        let Some(fm) = formation(&a.formation) else {
            d.push(err(
                src.field("air_transport", i, "formation"),
                format!("there is no formation named \"{}\"", a.formation),
                formation_hint(&a.formation),
            ));
            continue;
        };
        let mut bases = Vec::new();
        for (j, b) in a.bases.iter().enumerate() {
            let at = src.locate(&format!("air_transport[{i}].bases[{j}]"));
            match s.map.place_named(b) {
                Some(p) if p.airfield => bases.push(p.id),
                Some(p) => d.push(err(
                    at,
                    format!(
                        "{} has no airfield on the map, so it cannot be a transport base",
                        p.name
                    ),
                    None,
                )),
                None => d.push(err(
                    at,
                    format!("there is no place named \"{b}\" on the map"),
                    None,
                )),
            }
        }
        out.fleets.push(AirFleet {
            formation: fm.id,
            name: fm.name.clone(),
            side: fm.side,
            aircraft: fm.transport_aircraft,
            bases,
            payload_t: a.payload_t,
            sorties_per_day: a.sorties_per_day,
            range_km: a.range_km,
            source: a.source.clone(),
        });
    }
    for (i, x) in f.sea_lift.iter().enumerate() {
        let Some(fm) = formation(&x.formation) else {
            d.push(err(
                src.field("sea_lift", i, "formation"),
                format!("there is no formation named \"{}\"", x.formation),
                formation_hint(&x.formation),
            ));
            continue;
        };
        if fm.kind != FormationKind::Fleet {
            d.push(err(
                src.field("sea_lift", i, "formation"),
                format!("{} is a {:?}, not a fleet", fm.name, fm.kind),
                None,
            ));
        }
        let mut ports = Vec::new();
        for (j, p) in x.ports.iter().enumerate() {
            let at = src.locate(&format!("sea_lift[{i}].ports[{j}]"));
            match s.map.place_named(p) {
                Some(pl) if coastal(&s.map, pl.hex) => ports.push(pl.id),
                Some(pl) => d.push(err(
                    at,
                    format!("{} is not on the coast, so it cannot be a port", pl.name),
                    None,
                )),
                None => d.push(err(
                    at,
                    format!("there is no place named \"{p}\" on the map"),
                    None,
                )),
            }
        }
        out.sea_lift.push(SeaLift {
            formation: fm.id,
            name: fm.name.clone(),
            side: fm.side,
            ports,
            men_per_turn: x.men_per_turn,
            range_km: x.range_km,
            gunfire_guns: x.gunfire_guns,
            source: x.source.clone(),
        });
    }
    for (i, x) in f.river_flotillas.iter().enumerate() {
        let Some(fm) = formation(&x.formation) else {
            d.push(err(
                src.field("river_flotillas", i, "formation"),
                format!("there is no formation named \"{}\"", x.formation),
                formation_hint(&x.formation),
            ));
            continue;
        };
        if fm.kind != FormationKind::Flotilla {
            d.push(err(
                src.field("river_flotillas", i, "formation"),
                format!("{} is a {:?}, not a flotilla", fm.name, fm.kind),
                None,
            ));
        }
        let mut crossings = BTreeSet::new();
        for (j, r) in x.rivers.iter().enumerate() {
            match s.map.rivers.iter().find(|l| l.name == *r) {
                Some(l) => crossings.extend(l.crossings.iter().copied()),
                None => d.push(err(
                    src.locate(&format!("river_flotillas[{i}].rivers[{j}]")),
                    format!("there is no river named \"{r}\" on the map"),
                    closest(r, s.map.rivers.iter().map(|l| l.name.as_str()))
                        .map(|c| format!("did you mean \"{c}\"?")),
                )),
            }
        }
        out.flotillas.push(RiverFlotilla {
            formation: fm.id,
            name: fm.name.clone(),
            side: fm.side,
            crossings,
            men_per_turn: x.men_per_turn,
            crossing_km: x.crossing_km,
            river_defence_factor: x.river_defence_factor,
            source: x.source.clone(),
        });
    }
    for (i, w) in f.weather.iter().enumerate() {
        let (from, to) = (parse_local(&w.from), parse_local(&w.to));
        match (from, to) {
            (Some(from), Some(to)) if from < to => out.weather.push(WeatherSpan {
                name: w.name.clone(),
                region: w.region.clone(),
                from,
                to,
                weather: w.weather,
            }),
            _ => d.push(err(
                src.field("weather", i, "from"),
                format!(
                    "{}: from \"{}\" and to \"{}\" must be dates, the first before the second",
                    w.name, w.from, w.to
                ),
                Some("write local time as \"1945-08-11T00:00\"".into()),
            )),
        }
        if w.region.len() < 3 {
            d.push(err(
                src.entry("weather", i),
                format!("{}: a region needs at least 3 points", w.name),
                None,
            ));
        }
    }
    if d.is_empty() { Ok(out) } else { Err(d) }
}

pub fn opposite(s: Side) -> Side {
    match s {
        Side::Soviet => Side::Japanese,
        Side::Japanese => Side::Soviet,
    }
}

/// The objectives of the briefing and the victory conditions: every place on the map, every
/// formation in the order of battle, every time a time, weights and shares in range.
fn check_objectives(src: &SourceText, file: &ScenarioFile, map: &Map) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut err = |needle: &str, msg: String, hint: Option<&str>| {
        let mut x = src.at_offset(Severity::Error, src.text.find(needle), msg);
        x.hint = hint.map(str::to_string);
        d.push(x);
    };
    let objectives = file
        .briefing
        .iter()
        .flat_map(|b| &b.objectives)
        .chain(file.victory.iter().flat_map(|v| &v.objectives));
    for o in objectives {
        let text = format!("{:?}", o.text);
        let mut time = |t: &str| {
            if parse_local(t).is_none() {
                err(
                    &format!("\"{t}\""),
                    format!("the objective {text} has a time \"{t}\" that is not a date and time"),
                    Some("write local time as \"1945-08-13T00:00\""),
                );
            }
        };
        let places: &[String] = match &o.goal {
            Goal::Capture { places, by } => {
                time(by);
                places
            }
            Goal::Hold { places, until } => {
                time(until);
                places
            }
            Goal::KeepFuel { on, .. } => {
                time(on);
                &[]
            }
            Goal::Airlift { by, .. } => {
                time(by);
                &[]
            }
            _ => &[],
        };
        for p in places {
            if map.place_named(p).is_none() {
                err(
                    &format!("\"{p}\""),
                    format!("the objective {text} names a place \"{p}\" that is not on the map"),
                    None,
                );
            }
        }
        match &o.goal {
            Goal::Capture { places, .. } | Goal::Hold { places, .. } if places.is_empty() => {
                err(&text, format!("the objective {text} names no place"), None)
            }
            Goal::KeepFuel { formation, .. }
                if !file.formations.iter().any(|f| &f.name == formation) =>
            {
                err(
                    &format!("\"{formation}\""),
                    format!(
                        "the objective {text} names a formation \"{formation}\" that is not in the order of battle"
                    ),
                    None,
                );
            }
            _ => {}
        }
    }
    if let Some(v) = &file.victory {
        let mut last = f64::INFINITY;
        for l in &v.levels {
            let name = format!("{:?}", l.name);
            // The share's range is checked with every other figure's (ranges.rs).
            if l.share > last {
                err(
                    &name,
                    format!("the victory level {name} is out of order"),
                    Some("list the levels from the highest share to the lowest"),
                );
            }
            last = l.share;
        }
        if v.levels.is_empty() {
            err(
                "victory",
                "the victory conditions list no levels".into(),
                None,
            );
        }
    }
    d
}
