//! Resolving a scenario file against its map and rules: dates, the order of battle, each
//! unit's place and stocks, the documented totals and the cease-fire, every problem at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDateTime;

use crate::model::hex::Hex;
use crate::model::ids::FormationId;
use crate::model::map::Map;
use crate::model::time::parse_local;
use crate::model::units::Formation;
use crate::scenario::diag::{Diagnostic, Severity, SourceText};
use crate::scenario::ranges::check_ranges;
use crate::scenario::schema::{
    Location, Mobility, Quantity, RulesFile, ScenarioFile, Side, UnitDef,
};

use super::{
    Logistics, MAX_CAMPAIGN_DAYS, Scenario, ScenarioUnit, ammo_load_t, refill_t, value_after_key,
};

pub(super) fn resolve(
    path: &Path,
    src: &SourceText,
    file: ScenarioFile,
    rules: RulesFile,
    map: Map,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut r = Resolver {
        src,
        file: &file,
        rules: &rules,
        map: &map,
        by_name: BTreeMap::new(),
        d: Vec::new(),
    };
    let (start, end) = r.dates();
    r.d.extend(check_ranges(src, &file));
    let formations = r.formations();
    let units = r.units();
    r.stacking(&units);
    let ceasefire = r.ceasefire();
    r.followed_formation();
    let d = r.d;
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

/// A scenario file being resolved against its map and rules, with the problems found so far
/// (in the order the checks run, which is the order they are reported in).
struct Resolver<'a> {
    src: &'a SourceText,
    file: &'a ScenarioFile,
    rules: &'a RulesFile,
    map: &'a Map,
    /// Each formation's index by its name.
    by_name: BTreeMap<&'a str, usize>,
    d: Vec<Diagnostic>,
}

impl<'a> Resolver<'a> {
    fn err(&self, off: Option<usize>, msg: String, hint: Option<String>) -> Diagnostic {
        let mut x = self.src.at_offset(Severity::Error, off, msg);
        x.hint = hint;
        x
    }

    fn unknown_formation(&self, name: &str) -> (String, Option<String>) {
        crate::scenario::diag::unknown_formation(
            name,
            self.file.formations.iter().map(|f| f.name.as_str()),
        )
    }

    /// The hex of a place by its name (or alias), or of a coordinate on the map.
    fn location(&self, loc: &Location) -> Result<Hex, (String, Option<String>)> {
        let map = self.map;
        match loc {
            Location::Place(p) => map
                .place_named(p)
                .map(|p| p.hex)
                .ok_or_else(|| crate::scenario::diag::unknown_place(map, p)),
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
    }

    /// The campaign's start and end: local times, the end after the start, within the
    /// longest campaign a scenario may run.
    fn dates(&mut self) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        let date_hint = Some("write local time as \"1945-08-09T00:01\"".to_string());
        let start = parse_local(&self.file.start);
        let end = parse_local(&self.file.end);
        if start.is_none() {
            self.d.push(self.err(
                self.src.key(0, "start"),
                format!("start \"{}\" is not a date and time", self.file.start),
                date_hint.clone(),
            ));
        }
        if end.is_none() {
            self.d.push(self.err(
                self.src.key(0, "end"),
                format!("end \"{}\" is not a date and time", self.file.end),
                date_hint,
            ));
        }
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            self.d.push(self.err(
                self.src.key(0, "end"),
                "the end must come after the start".into(),
                None,
            ));
        }
        if let (Some(s), Some(e)) = (start, end)
            && e - s > chrono::Duration::days(MAX_CAMPAIGN_DAYS)
        {
            let at = self
                .src
                .key(0, "end")
                .map(|o| value_after_key(&self.src.text, o));
            let days = (e - s).num_days();
            self.d.push(self.err(
                at,
                format!("the campaign runs {days} days; a scenario is limited to {MAX_CAMPAIGN_DAYS} days"),
                None,
            ));
        }
        (start, end)
    }

    /// The formations: unique names, known parents on the same side, headquarters on the
    /// map, no chain of command that loops.
    fn formations(&mut self) -> Vec<Formation> {
        let file = self.file;
        for (i, f) in file.formations.iter().enumerate() {
            if self.by_name.insert(f.name.as_str(), i).is_some() {
                self.d.push(self.err(
                    self.src.entry("formations", i),
                    format!("the formation name \"{}\" is used twice", f.name),
                    Some("formation names must be unique; units refer to them by name".into()),
                ));
            }
        }
        let mut formations = Vec::new();
        for (i, f) in file.formations.iter().enumerate() {
            let parent = match &f.parent {
                None => None,
                Some(p) => match self.by_name.get(p.as_str()) {
                    Some(&j) => {
                        if file.formations[j].side != f.side {
                            self.d.push(self.err(
                                self.src.field("formations", i, "parent"),
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
                        let (m, h) = self.unknown_formation(p);
                        self.d
                            .push(self.err(self.src.field("formations", i, "parent"), m, h));
                        None
                    }
                },
            };
            let hq = self.location(&f.hq).unwrap_or_else(|(m, h)| {
                self.d
                    .push(self.err(self.src.field("formations", i, "hq"), m, h));
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
                    self.d.push(self.err(
                        self.src.field("formations", i, "parent"),
                        format!("{}'s chain of command loops back on itself", f.name),
                        None,
                    ));
                    break;
                }
                cur = formations[c.0 as usize].parent;
            }
        }
        formations
    }

    /// The units: unique names, known parents on the same side, strengths and readiness in
    /// range, stocks in tons, and a start on ground they can stand on.
    fn units(&mut self) -> Vec<ScenarioUnit> {
        let file = self.file;
        let mut unit_names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut units = Vec::new();
        for (i, u) in file.units.iter().enumerate() {
            if unit_names.insert(u.name.as_str(), i).is_some() {
                self.d.push(
                    self.err(
                        self.src.entry("units", i),
                        format!("the unit name \"{}\" is used twice", u.name),
                        Some(
                            "unit names must be unique: orders and reports refer to units by name"
                                .into(),
                        ),
                    ),
                );
            }
            let parent = match self.by_name.get(u.parent.as_str()) {
                Some(&j) => {
                    if file.formations[j].side != u.side {
                        self.d.push(self.err(
                            self.src.field("units", i, "parent"),
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
                    let (m, h) = self.unknown_formation(&u.parent);
                    self.d
                        .push(self.err(self.src.field("units", i, "parent"), m, h));
                    FormationId(0)
                }
            };
            self.check_strength(i, u);
            let clamp = |v: i64| v.clamp(0, 2_000_000) as u32;
            let (men, tanks, guns, mrl, vehicles) = (
                clamp(u.men),
                clamp(u.tanks),
                clamp(u.guns),
                clamp(u.mrl),
                clamp(u.vehicles),
            );
            let one_refill = refill_t(self.rules, tanks, vehicles);
            let one_load = ammo_load_t(self.rules, men, guns, mrl, tanks);
            let fuel_t = self.stock(i, &u.name, "fuel", u.fuel, one_refill);
            let ammo_t = self.stock(i, &u.name, "ammo", u.ammo, one_load);
            let food_t = men as f64 / 1000.0
                * self.rules.supply.food_t_per_1000_men_day
                * self.rules.supply.food_days_carried;
            let hex = self.start_hex(i, u);
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
        units
    }

    /// A unit's men, tanks, guns, rocket launchers and lorries, and its readiness, in range.
    fn check_strength(&mut self, i: usize, u: &UnitDef) {
        for (field, v) in [
            ("men", u.men),
            ("tanks", u.tanks),
            ("guns", u.guns),
            ("mrl", u.mrl),
            ("vehicles", u.vehicles),
        ] {
            if v < 0 {
                self.d.push(self.err(
                    self.src.field("units", i, field),
                    format!("{} has {field}: {v}; a strength cannot be negative", u.name),
                    Some("use 0 for none".into()),
                ));
            } else if v > 2_000_000 {
                self.d.push(self.err(
                    self.src.field("units", i, field),
                    format!("{} has {field}: {v}, more than any unit could hold", u.name),
                    None,
                ));
            }
        }
        if !(0.0..=1.0).contains(&u.readiness) {
            self.d.push(self.err(
                self.src.field("units", i, "readiness"),
                format!(
                    "{} has readiness {}, expected 0.0 to 1.0",
                    u.name, u.readiness
                ),
                None,
            ));
        }
    }

    /// The hex a unit starts in: its place or coordinate, on ground it can stand on.
    fn start_hex(&mut self, i: usize, u: &UnitDef) -> Hex {
        match self.location(&u.at) {
            Ok(h) => {
                let cell = self.map.cell(h).expect("resolved hexes are on the map");
                let kind = self.rules.unit_kinds.get(&u.kind);
                let mobility = kind.map_or(Mobility::Foot, |k| k.mobility);
                let passable = self
                    .rules
                    .terrain_cost
                    .get(&cell.terrain)
                    .is_some_and(|c| c.get(mobility).is_some() || c.foot.is_some());
                if !passable {
                    self.d.push(self.err(
                        self.src.field("units", i, "at"),
                        format!("{} stands in {h}, which is {:?}", u.name, cell.terrain),
                        Some("units must start on ground they can stand on".into()),
                    ));
                }
                h
            }
            Err((m, h)) => {
                self.d
                    .push(self.err(self.src.field("units", i, "at"), m, h));
                Hex::default()
            }
        }
    }

    /// A unit's fuel or ammunition in tons, given in tons or in refills (loads) of `per` tons.
    fn stock(&mut self, i: usize, name: &str, field: &str, q: Quantity, per: f64) -> f64 {
        match q {
            Quantity::Tons(t) | Quantity::Refills(t) if !(t >= 0.0 && t.is_finite() && t < 1e7) => {
                self.d.push(self.err(
                    self.src.field("units", i, field),
                    format!(
                        "{} has {field} {t}; expected a number of zero or more",
                        name
                    ),
                    None,
                ));
                0.0
            }
            Quantity::Tons(t) => t,
            Quantity::Refills(r) => r * per,
        }
    }

    /// No hex over the stacking limit at the start, and no hex held by both sides.
    fn stacking(&mut self, units: &[ScenarioUnit]) {
        let mut stacks: BTreeMap<(Hex, Side), (u32, Vec<usize>)> = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            let pts = self
                .rules
                .unit_kinds
                .get(&u.def.kind)
                .map_or(1, |k| k.stacking);
            let e = stacks.entry((u.hex, u.def.side)).or_default();
            e.0 += pts;
            e.1.push(i);
        }
        for ((h, side), (pts, members)) in &stacks {
            if *pts > self.rules.stacking_limit {
                let last = *members.last().expect("a stack has members");
                let names: Vec<&str> = members
                    .iter()
                    .map(|&i| units[i].def.name.as_str())
                    .collect();
                let limit = self.rules.stacking_limit;
                let names = names.join(", ");
                self.d.push(self.err(
                    self.src.field("units", last, "at"),
                    format!(
                        "{side:?} units in {h} make {pts} stacking points, over the limit of {limit}: {names}"
                    ),
                    Some("spread them over neighbouring hexes (a hex is about 20 km across)".into()),
                ));
            }
        }
        for (h, side) in stacks.keys() {
            // Each such hex once, named from the first side's point of view.
            let other = side.enemy();
            if *side < other && stacks.contains_key(&(*h, other)) {
                self.d.push(self.err(
                    None,
                    format!(
                        "{} and {} units start in the same hex, {h}",
                        side.name(),
                        other.name()
                    ),
                    None,
                ));
            }
        }
    }

    /// The formation the batch and the debrief follow must be one of the scenario's.
    fn followed_formation(&mut self) {
        if let Some(name) = &self.file.followed_formation
            && !self.by_name.contains_key(name.as_str())
        {
            let (m, h) = self.unknown_formation(name);
            self.d
                .push(self.err(self.src.key(0, "followed_formation"), m, h));
        }
    }

    /// The documented cease-fire: its times, and the formation it reaches first.
    fn ceasefire(&mut self) -> Option<crate::model::CeasefireSchedule> {
        let c = self.file.ceasefire.as_ref()?;
        let broadcast = parse_local(&c.broadcast);
        let order_at_hq = parse_local(&c.order_at_hq);
        let hq = self
            .by_name
            .get(c.hq.as_str())
            .map(|&i| FormationId(i as u32));
        if broadcast.is_none() || order_at_hq.is_none() {
            self.d.push(self.err(
                self.src.key(0, "ceasefire"),
                "the cease-fire's broadcast and order_at_hq must be dates and times".into(),
                Some("write local time as \"1945-08-16T16:30\"".into()),
            ));
        }
        if hq.is_none() {
            let (m, h) = self.unknown_formation(&c.hq);
            self.d.push(self.err(self.src.key(0, "ceasefire"), m, h));
        }
        Some(crate::model::CeasefireSchedule {
            broadcast: broadcast?,
            order_at_hq: order_at_hq?,
            hq: hq?,
        })
    }
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
