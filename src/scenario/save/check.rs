//! Checking a save before it is restored: every unit, place and formation it names exists,
//! every hex lies on the map, every count, amount, turn and time is within what its scenario
//! allows, and its calendar and rule switches are the scenario's own. A problem is reported
//! at the line and column of the offending value, as the scenario loader reports its own.

use std::collections::BTreeSet;

use bevy::prelude::*;
use serde::Serialize;
use serde::ser::{self, Impossible};

use super::SaveFile;
use crate::model::*;
use crate::scenario::diag::{Diagnostic, Severity, SourceText};

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

    /// The checks that concern the save as a whole rather than one value.
    fn specific(&mut self, save: &SaveFile) {
        let b = self.b;
        let cal = &save.calendar;
        let want = &b.calendar;
        let c = |f: &'static str| [Step::Field("calendar"), Step::Field(f)];
        if cal.turn_hours != want.turn_hours {
            self.problem(
                &c("turn_hours"),
                format!(
                    "the save's turns are {} hours long; its scenario's are {} hours",
                    cal.turn_hours, want.turn_hours
                ),
            );
        }
        if cal.start != want.start || cal.end != want.end {
            self.problem(
                &c("start"),
                format!(
                    "the save's campaign runs from {} to {}; its scenario's from {} to {}",
                    time::iso_local(cal.start),
                    time::iso_local(cal.end),
                    time::iso_local(want.start),
                    time::iso_local(want.end)
                ),
            );
        }
        if cal.turn == 0 || cal.turn > b.max_turn() {
            self.problem(
                &c("turn"),
                format!(
                    "the save is at turn {}; its campaign has turns 1 to {}",
                    cal.turn,
                    b.max_turn()
                ),
            );
        }
        let places = b.places;
        if save.control.owner.len() != places {
            self.problem(
                &[Step::Field("control"), Step::Field("owner")],
                format!(
                    "the save says who holds {} places; its map has {places}",
                    save.control.owner.len()
                ),
            );
        }
        if save.control.first_soviet.len() != places {
            self.problem(
                &[Step::Field("control"), Step::Field("first_soviet")],
                format!(
                    "the save gives capture dates for {} places; its map has {places}",
                    save.control.first_soviet.len()
                ),
            );
        }
        if save.units.len() != b.units.len() {
            self.problem(
                &[Step::Field("units")],
                format!(
                    "the save has {} units; its scenario has {}",
                    save.units.len(),
                    b.units.len()
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, u) in save.units.iter().enumerate() {
            let at = |f: &'static str| [Step::Field("units"), Step::Entry(i), Step::Field(f)];
            if !seen.insert(u.id.0) {
                self.problem(
                    &at("id"),
                    format!("the save lists unit #{} twice ({})", u.id.0, u.name),
                );
            }
            if let Some(f) = b.full.get(&u.id.0) {
                let s = u.strength;
                for (what, have, most) in [
                    ("men", s.men, f.men),
                    ("tanks", s.tanks, f.tanks),
                    ("guns", s.guns, f.guns),
                    ("rocket launchers", s.mrl, f.mrl),
                    ("lorries", s.vehicles, f.vehicles),
                ] {
                    if have > most {
                        self.problem(
                            &at("strength"),
                            format!(
                                "{} has {have} {what} in the save; it began the campaign with {most}, and units are never reinforced",
                                u.name
                            ),
                        );
                    }
                }
            }
            if !(0.0..=1.0).contains(&u.readiness) {
                self.problem(
                    &at("readiness"),
                    format!(
                        "{}'s readiness is {}; readiness runs from 0 to 1",
                        u.name, u.readiness
                    ),
                );
            }
        }
        if save.switches != b.switches {
            self.problem(
                &[Step::Field("switches")],
                "the save's rule switches are not the ones its what-ifs set".into(),
            );
        }
        for (i, k) in save.airlift_booked.tons.keys().enumerate() {
            if *k >= b.fleets {
                self.problem(
                    &[Step::Field("airlift_booked"), Step::Field("tons"), Step::Entry(i)],
                    format!(
                        "the save books an airlift on transport fleet #{k}; its scenario has {} fleets",
                        b.fleets
                    ),
                );
            }
        }
        let max_turn = b.max_turn();
        let ceasefire = save
            .ceasefire
            .formations
            .values()
            .enumerate()
            .map(|(i, t)| ("formations", i, *t))
            .chain(
                save.ceasefire
                    .units
                    .values()
                    .enumerate()
                    .map(|(i, t)| ("units", i, *t)),
            );
        let mut late = Vec::new();
        for (f, i, t) in ceasefire.chain(
            save.rail
                .taken
                .values()
                .enumerate()
                .map(|(i, (_, t))| ("taken", i, *t)),
        ) {
            if t > max_turn {
                late.push((f, i, t));
            }
        }
        for (f, i, t) in late {
            let top = if f == "taken" { "rail" } else { "ceasefire" };
            self.problem(
                &[Step::Field(top), Step::Field(f), Step::Entry(i)],
                format!("the save names turn {t}; its campaign has turns 1 to {max_turn}"),
            );
        }
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
            Some("turn" | "lands_turn" | "turns_cut") => {
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
        let is_time = matches!(self.last_field(), Some("time" | "first_soviet"));
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

/// A part of a save, in the words of the game.
fn section(field: &str) -> &str {
    match field {
        "events" => "event log",
        "orders" => "order log",
        "pending" => "orders waiting for the end of the turn",
        "control" => "control of places",
        "rail" => "captured railways",
        "ledger" => "fuel ledger",
        "airlift_booked" => "airlift bookings",
        "ceasefire" => "cease-fire",
        "intel" => "intelligence",
        "landings" => "landings under way",
        "air_strikes_spent" => "air strikes",
        "rng" => "random number generator",
        other => other,
    }
}

/// Where `path` leads in a RON text: the byte offset of the value, found by walking the
/// brackets (fields at the right depth, entries by their commas), or `None`.
fn locate(text: &str, path: &[Step]) -> Option<usize> {
    let b = text.as_bytes();
    // The opening bracket of the value at `from` (skipping `Some`, a variant name, spaces).
    let open_at = |from: usize| -> Option<usize> {
        let mut i = from;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => return Some(i),
                // A name before the bracket (`Some`, a variant) or an entry's key.
                c if c.is_ascii_alphanumeric()
                    || matches!(c, b'_' | b':' | b'-')
                    || c.is_ascii_whitespace() =>
                {
                    i += 1
                }
                _ => return None,
            }
        }
        None
    };
    let mut at = 0usize;
    let mut value = open_at(skip_space(b, 0))?;
    for s in path {
        let open = open_at(value)?;
        at = match s {
            Step::Field(f) => field_in(b, open, f)?,
            Step::Entry(n) => entry_in(b, open, *n)?,
        };
        value = at;
        if let Step::Field(_) = s {
            // Past the name and its colon, to the value.
            let mut i = at;
            while i < b.len() && b[i] != b':' {
                i += 1;
            }
            value = skip_space(b, i + 1);
        }
    }
    Some(at)
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Walks the bracketed value opening at `open`, calling `visit(offset, depth)` for every
/// byte outside strings and comments; stops when the value closes or `visit` says so.
fn walk(b: &[u8], open: usize, mut visit: impl FnMut(usize, usize) -> bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return None;
                }
            }
            _ => {}
        }
        if visit(i, depth) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The offset of the field `name:` directly inside the value opening at `open`.
fn field_in(b: &[u8], open: usize, name: &str) -> Option<usize> {
    let n = name.as_bytes();
    walk(b, open, |i, depth| {
        depth == 1
            && b[i..].starts_with(n)
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b.get(skip_space(b, i + n.len())) == Some(&b':')
    })
}

/// The offset of the `n`-th (0-based) entry directly inside the list or map opening at `open`.
fn entry_in(b: &[u8], open: usize, n: usize) -> Option<usize> {
    let mut commas = 0usize;
    let mut started = false;
    walk(b, open, |i, depth| {
        if i == open {
            return false;
        }
        if depth == 1 && b[i] == b',' {
            commas += 1;
            started = false;
            return false;
        }
        if !started && !b[i].is_ascii_whitespace() {
            started = true;
            return commas == n;
        }
        false
    })
}

/// The error of the checking walk; it never fails, so this is never built.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("checking a save failed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Collects a hex's two coordinates as the walk passes them.
pub struct HexCheck<'c, 'a> {
    c: &'c mut Checker<'a>,
    q: Option<i64>,
    r: Option<i64>,
}

/// A list, map, tuple or struct being walked.
pub struct Compound<'c, 'a> {
    c: &'c mut Checker<'a>,
    entry: usize,
}

impl<'c, 'a> Compound<'c, 'a> {
    fn value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.c.path.push(Step::Entry(self.entry));
        self.entry += 1;
        let r = v.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), Never> {
        self.c.path.push(Step::Field(key));
        let r = v.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }
}

impl<'c, 'a> ser::Serializer for &'c mut Checker<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'c, 'a>;
    type SerializeTuple = Compound<'c, 'a>;
    type SerializeTupleStruct = Compound<'c, 'a>;
    type SerializeTupleVariant = Compound<'c, 'a>;
    type SerializeMap = Compound<'c, 'a>;
    type SerializeStruct = StructWalk<'c, 'a>;
    type SerializeStructVariant = Compound<'c, 'a>;

    fn serialize_bool(self, _: bool) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        // The minute a sighting was made, counted from the campaign's start.
        if self.last_field() == Some("minute") {
            let cal = &self.b.calendar;
            let last = i64::from(cal.turns()) * i64::from(cal.turn_hours) * 60;
            if !(0..=last).contains(&v) {
                let m = format!(
                    "{} is {v}: expected a minute of the campaign, 0 to {last}",
                    self.place()
                );
                self.problem(&[], m);
            }
        } else if v < 0 {
            let m = format!("{} is {v}; it cannot be negative", self.place());
            self.problem(&[], m);
        } else {
            self.check_u64(v as u64);
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.check_u64(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.check_f64(v);
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.check_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.newtype = matches!(name, "UnitId" | "PlaceId" | "FormationId").then_some(name);
        let r = v.serialize(&mut *self);
        self.newtype = None;
        r
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<StructWalk<'c, 'a>, Never> {
        Ok(if name == "Hex" {
            StructWalk::Hex(HexCheck {
                c: self,
                q: None,
                r: None,
            })
        } else {
            StructWalk::Plain(Compound { c: self, entry: 0 })
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'c, 'a>, Never> {
        Ok(Compound { c: self, entry: 0 })
    }
}

/// A struct being walked: a hex, checked as a whole, or any other, field by field.
pub enum StructWalk<'c, 'a> {
    Hex(HexCheck<'c, 'a>),
    Plain(Compound<'c, 'a>),
}

impl ser::SerializeStruct for StructWalk<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        match self {
            StructWalk::Plain(c) => c.field(key, v),
            StructWalk::Hex(h) => {
                let n = v.serialize(NumberOf).ok();
                match key {
                    "q" => h.q = n,
                    _ => h.r = n,
                }
                Ok(())
            }
        }
    }
    fn end(self) -> Result<(), Never> {
        if let StructWalk::Hex(h) = self {
            h.c.check_hex(h.q.unwrap_or(i64::MAX), h.r.unwrap_or(i64::MAX));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.value(v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        // A tuple's parts are one value, not entries of a list.
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut *self.c)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Never> {
        // The key and its value are one entry; the entry count moves on at the value.
        self.c.path.push(Step::Entry(self.entry));
        let r = k.serialize(&mut *self.c);
        self.c.path.pop();
        r
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Never> {
        self.value(v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// Reads one integer out of a value (a hex's coordinate); anything else is no number.
struct NumberOf;

impl ser::Serializer for NumberOf {
    type Ok = i64;
    type Error = Never;
    type SerializeSeq = Impossible<i64, Never>;
    type SerializeTuple = Impossible<i64, Never>;
    type SerializeTupleStruct = Impossible<i64, Never>;
    type SerializeTupleVariant = Impossible<i64, Never>;
    type SerializeMap = Impossible<i64, Never>;
    type SerializeStruct = Impossible<i64, Never>;
    type SerializeStructVariant = Impossible<i64, Never>;

    fn serialize_i32(self, v: i32) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<i64, Never> {
        Ok(v)
    }
    fn serialize_bool(self, _: bool) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_i8(self, v: i8) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<i64, Never> {
        Ok(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<i64, Never> {
        i64::try_from(v).map_err(|_| Never)
    }
    fn serialize_f32(self, _: f32) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_f64(self, _: f64) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_char(self, _: char) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_str(self, _: &str) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_none(self) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit(self) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<i64, Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<i64, Never> {
        Err(Never)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Never> {
        Err(Never)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Never> {
        Err(Never)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}
