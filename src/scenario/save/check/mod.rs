//! Checking a save before it is restored: every unit, place and formation it names exists,
//! every hex lies on the map, every count, amount, turn and time is within what its scenario
//! allows, and its calendar and rule switches are the scenario's own. A problem is reported
//! at the line and column of the offending value, as the scenario loader reports its own.

use std::collections::BTreeSet;

use bevy::prelude::*;
use serde::Serialize;

mod text;
mod walk;
mod whole;

use super::SaveFile;
use crate::model::*;
use crate::scenario::diag::{Diagnostic, Severity, SourceText};
use text::{locate, section};

/// The largest amount, in tons or km, any value of a save may hold: far above any campaign's
/// totals, low enough that sums of them stay ordinary numbers.
const MAX_AMOUNT: f64 = 1e9;

/// What a save of one scenario may contain, read from a freshly spawned game of it.
pub struct Bounds {
    units: BTreeSet<u32>,
    /// Each unit's strength at the start: units are never reinforced.
    full: std::collections::BTreeMap<u32, Strength>,
    switches: crate::scenario::whatif::Switches,
    places: usize,
    formations: usize,
    fleets: usize,
    map_cols: i32,
    map_rows: i32,
    map: Map,
    calendar: Calendar,
    /// No count (men, tanks, aircraft) in a save can exceed everything the scenario fields.
    max_count: u64,
}

impl Bounds {
    /// The bounds of the game spawned in `world`, before anything is restored into it.
    pub fn of(world: &mut World) -> Self {
        let mut q = world.query::<(&UnitId, &FullStrength)>();
        let mut units = BTreeSet::new();
        let mut full_strength = std::collections::BTreeMap::new();
        let mut max_count = 0u64;
        for (id, full) in q.iter(world) {
            units.insert(id.0);
            full_strength.insert(id.0, full.0);
            let s = full.0;
            max_count += u64::from(s.men)
                + u64::from(s.tanks)
                + u64::from(s.guns)
                + u64::from(s.mrl)
                + u64::from(s.vehicles);
        }
        let oob = world.resource::<OrderOfBattle>();
        max_count += oob
            .formations
            .iter()
            .map(|f| u64::from(f.aircraft) + u64::from(f.transport_aircraft) + u64::from(f.ships))
            .sum::<u64>();
        let map = world.resource::<Map>().clone();
        Self {
            units,
            full: full_strength,
            switches: world
                .resource::<crate::scenario::whatif::Switches>()
                .clone(),
            places: map.places.len(),
            formations: oob.formations.len(),
            fleets: world
                .get_resource::<crate::model::logistics::AirTransport>()
                .map_or(0, |a| a.fleets.len()),
            map_cols: map.cols,
            map_rows: map.rows,
            calendar: world.resource::<Calendar>().clone(),
            map,
            max_count,
        }
    }

    fn max_turn(&self) -> u32 {
        self.calendar.turns()
    }
}

/// One step from the save's top to a value: a field by name, or an entry of a list or map.
#[derive(Debug, Clone)]
enum Step {
    Field(&'static str),
    Entry(usize),
}

/// A problem found, with the steps to the value it concerns.
struct Problem {
    path: Vec<Step>,
    message: String,
}

/// Checks `save` against `bounds`; every problem found is returned, each at its place in
/// `src` (the save's text).
pub fn check(save: &SaveFile, bounds: &Bounds, src: &SourceText) -> Vec<Diagnostic> {
    let mut c = Checker {
        b: bounds,
        units: save.units.iter().map(|u| u.name.clone()).collect(),
        depots: save.depots.depots.iter().map(|d| d.name.clone()).collect(),
        path: Vec::new(),
        problems: Vec::new(),
        newtype: None,
    };
    c.specific(save);
    // The walk below checks every id, hex, amount, turn and time wherever it sits.
    let _ = save.serialize(&mut c);
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut at = BTreeSet::new();
    for p in c.problems {
        let offset = locate(&src.text, &p.path);
        // One problem a value: the checks of the whole come first and say it best.
        if !at.insert(offset) && offset.is_some() {
            continue;
        }
        if out.len() == 20 {
            break;
        }
        let mut d = src.at_offset(Severity::Error, offset, p.message);
        d.hint = Some(
            "a save is written by the game; this one was edited, damaged or written for another version of its scenario"
                .into(),
        );
        out.push(d);
    }
    out
}

struct Checker<'a> {
    b: &'a Bounds,
    /// The save's own names of its units and depots, to say which one a problem is in.
    units: Vec<String>,
    depots: Vec<String>,
    path: Vec<Step>,
    problems: Vec<Problem>,
    /// The id type whose number is serialised next.
    newtype: Option<&'static str>,
}

impl Checker<'_> {
    fn problem(&mut self, extra: &[Step], message: String) {
        let mut path = self.path.clone();
        path.extend_from_slice(extra);
        self.problems.push(Problem { path, message });
    }

    /// Where the value being checked sits, in words: "units, entry 4, stocks, fuel t".
    fn place(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut previous: Option<&str> = None;
        for (k, s) in self.path.iter().enumerate() {
            match s {
                // `events: (events: [...])` is one list to a reader.
                Step::Field(f) if previous == Some(*f) => {}
                Step::Field(f) if k == 0 => words.push(section(f).to_string()),
                Step::Field(f) => words.push(f.replace('_', " ")),
                Step::Entry(i) => {
                    let top = match self.path.first() {
                        Some(Step::Field("units")) if k == 1 => self.units.get(*i),
                        Some(Step::Field("depots")) if k == 2 => self.depots.get(*i),
                        _ => None,
                    };
                    words.push(match top {
                        Some(n) => format!("entry {} ({n})", i + 1),
                        None => format!("entry {}", i + 1),
                    });
                }
            }
            previous = match s {
                Step::Field(f) => Some(f),
                Step::Entry(_) => None,
            };
        }
        if words.is_empty() {
            "the save".into()
        } else {
            format!("the save's {}", words.join(", "))
        }
    }

    fn last_field(&self) -> Option<&'static str> {
        self.path.iter().rev().find_map(|s| match s {
            Step::Field(f) => Some(*f),
            Step::Entry(_) => None,
        })
    }

    fn check_u64(&mut self, v: u64) {
        if let Some(kind) = self.newtype.take() {
            let (n, what) = match kind {
                "UnitId" => {
                    if v <= u64::from(u32::MAX) && self.b.units.contains(&(v as u32)) {
                        return;
                    }
                    (self.b.units.len(), "units")
                }
                "PlaceId" => {
                    if v < self.b.places as u64 {
                        return;
                    }
                    (self.b.places, "places")
                }
                "FormationId" => {
                    if v < self.b.formations as u64 {
                        return;
                    }
                    (self.b.formations, "formations")
                }
                _ => return,
            };
            let one = &what[..what.len() - 1];
            let m = format!(
                "{} names {one} #{v}, but its scenario has only {n} {what} (#0 to #{})",
                self.place(),
                n.saturating_sub(1)
            );
            self.problem(&[], m);
            return;
        }
        match self.last_field() {
            Some("turn" | "lands_turn" | "turns_cut" | "turns_besieged") => {
                let max = self.b.max_turn();
                if v > u64::from(max) {
                    let m = format!(
                        "{} is turn {v}; its campaign has turns 1 to {max}",
                        self.place()
                    );
                    self.problem(&[], m);
                }
            }
            // Numbers that are no counts of men or machines.
            Some(
                "seed" | "stream" | "word_pos_high" | "word_pos_low" | "format_version"
                | "turn_hours",
            ) => {}
            _ => {
                if v > self.b.max_count {
                    let m = format!(
                        "{} is {v}: more than all the men, guns and vehicles of its scenario together ({})",
                        self.place(),
                        self.b.max_count
                    );
                    self.problem(&[], m);
                }
            }
        }
    }

    fn check_f64(&mut self, v: f64) {
        // Sums of tons may round a hair below zero in a game's own saves.
        if !(v.is_finite() && v > -1e-6 && v < MAX_AMOUNT) {
            let m = format!(
                "{} is {v}; it must be a number from 0 up to a billion",
                self.place()
            );
            self.problem(&[], m);
        }
    }

    fn check_str(&mut self, v: &str) {
        let is_time = matches!(
            self.last_field(),
            Some("time" | "first_taken" | "first_soviet")
        );
        if is_time {
            let ok = time::parse_local(v).is_some_and(|t| {
                t >= self.b.calendar.start
                    && t <= self.b.calendar.end
                        + chrono::Duration::hours(i64::from(self.b.calendar.turn_hours))
            });
            if !ok {
                let m = format!(
                    "{} is \"{v}\": expected a local time within the campaign, like 1945-08-09T00:01+09:00",
                    self.place()
                );
                self.problem(&[], m);
            }
        }
    }

    fn check_hex(&mut self, q: i64, r: i64) {
        let (Ok(q), Ok(r)) = (i32::try_from(q), i32::try_from(r)) else {
            let m = format!("{} is a hex far off the map", self.place());
            self.problem(&[], m);
            return;
        };
        let h = Hex::new(q, r);
        if !self.b.map.contains(h) {
            let m = format!(
                "{} is {h}, which lies off the map ({} columns by {} rows)",
                self.place(),
                self.b.map_cols,
                self.b.map_rows
            );
            self.problem(&[], m);
        }
    }
}
