//! Resolving the logistics file: depots, lorry pools, transport aviation, sea lift, river
//! flotillas and the weather, by place and formation names, with their dates and figures.

use std::collections::BTreeSet;

use crate::model::logistics::*;
use crate::model::time::parse_local;
use crate::scenario::diag::{
    Diagnostic, Severity, SourceText, did_you_mean, unknown_formation, unknown_place,
};
use crate::scenario::schema::{FormationKind, Location, LogisticsFile};

use super::{Logistics, Scenario, coastal};

/// Resolves the logistics file: places and formations by name, dates, and sanity of figures.
pub(super) fn resolve_logistics(
    s: &Scenario,
    f: &LogisticsFile,
    src: &SourceText,
) -> Result<Logistics, Vec<Diagnostic>> {
    let mut r = Resolver {
        s,
        src,
        d: Vec::new(),
    };
    let mut out = Logistics::default();
    r.depots(f, &mut out);
    r.truck_pools(f, &mut out);
    r.air_transport(f, &mut out);
    r.sea_lift(f, &mut out);
    r.river_flotillas(f, &mut out);
    r.weather(f, &mut out);
    if r.d.is_empty() { Ok(out) } else { Err(r.d) }
}

/// The logistics file being resolved against its scenario, with the problems found so far.
struct Resolver<'a> {
    s: &'a Scenario,
    src: &'a SourceText,
    d: Vec<Diagnostic>,
}

impl<'a> Resolver<'a> {
    fn err(&self, off: Option<usize>, msg: String, hint: Option<String>) -> Diagnostic {
        let mut x = self.src.at_offset(Severity::Error, off, msg);
        x.hint = hint;
        x
    }

    fn formation(&self, name: &str) -> Option<&'a crate::model::units::Formation> {
        let s = self.s;
        s.formations.iter().find(|f| f.name == name)
    }

    fn no_formation(&self, name: &str) -> (String, Option<String>) {
        unknown_formation(name, self.s.formations.iter().map(|f| f.name.as_str()))
    }

    /// A diagnostic at `off` of a message and its hint.
    fn err_with(&self, off: Option<usize>, (msg, hint): (String, Option<String>)) -> Diagnostic {
        self.err(off, msg, hint)
    }

    /// The depots: each at a place or on the map.
    fn depots(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, x) in f.depots.iter().enumerate() {
            let (hex, place) = match &x.at {
                Location::Place(p) => match self.s.map.place_named(p) {
                    Some(pl) => (pl.hex, Some(pl.id)),
                    None => {
                        let (m, hint) = unknown_place(&self.s.map, p);
                        self.d
                            .push(self.err(self.src.field("depots", i, "at"), m, hint));
                        continue;
                    }
                },
                Location::Coord(lat, lon) => {
                    let h = self.s.map.hex_at(crate::model::LatLon::new(*lat, *lon));
                    if !self.s.map.contains(h) {
                        self.d.push(self.err(
                            self.src.field("depots", i, "at"),
                            format!("the depot {} is off the map", x.name),
                            None,
                        ));
                        continue;
                    }
                    (h, self.s.map.cell(h).and_then(|c| c.place))
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
    }

    /// The lorry pools, each of a formation.
    fn truck_pools(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, p) in f.truck_pools.iter().enumerate() {
            match self.formation(&p.formation) {
                Some(fm) => out.pools.push(TruckPool {
                    formation: fm.id,
                    trucks: p.trucks,
                    source: p.source.clone(),
                }),
                None => self.d.push(self.err_with(
                    self.src.field("truck_pools", i, "formation"),
                    self.no_formation(&p.formation),
                )),
            }
        }
    }

    /// The transport aviation: each fleet of an air army, its bases and figures.
    fn air_transport(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, a) in f.air_transport.iter().enumerate() {
            let Some(fm) = self.formation(&a.formation) else {
                self.d.push(self.err_with(
                    self.src.field("air_transport", i, "formation"),
                    self.no_formation(&a.formation),
                ));
                continue;
            };
            let mut bases = Vec::new();
            for (j, b) in a.bases.iter().enumerate() {
                let at = self.src.locate(&format!("air_transport[{i}].bases[{j}]"));
                match self.s.map.place_named(b) {
                    Some(p) if p.airfield => bases.push(p.id),
                    Some(p) => self.d.push(self.err(
                        at,
                        format!(
                            "{} has no airfield on the map, so it cannot be a transport base",
                            p.name
                        ),
                        None,
                    )),
                    None => self
                        .d
                        .push(self.err_with(at, unknown_place(&self.s.map, b))),
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
    }

    /// The sea lift: each flotilla of a fleet, its ports and the coast it may land on.
    fn sea_lift(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, x) in f.sea_lift.iter().enumerate() {
            let Some(fm) = self.formation(&x.formation) else {
                self.d.push(self.err_with(
                    self.src.field("sea_lift", i, "formation"),
                    self.no_formation(&x.formation),
                ));
                continue;
            };
            if fm.kind != FormationKind::Fleet {
                self.d.push(self.err(
                    self.src.field("sea_lift", i, "formation"),
                    format!("{} is a {:?}, not a fleet", fm.name, fm.kind),
                    None,
                ));
            }
            let mut ports = Vec::new();
            for (j, p) in x.ports.iter().enumerate() {
                let at = self.src.locate(&format!("sea_lift[{i}].ports[{j}]"));
                match self.s.map.place_named(p) {
                    Some(pl) if coastal(&self.s.map, pl.hex) => ports.push(pl.id),
                    Some(pl) => self.d.push(self.err(
                        at,
                        format!("{} is not on the coast, so it cannot be a port", pl.name),
                        None,
                    )),
                    None => self
                        .d
                        .push(self.err_with(at, unknown_place(&self.s.map, p))),
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
    }

    /// The river flotillas, each of a formation, and the rivers they sail.
    fn river_flotillas(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, x) in f.river_flotillas.iter().enumerate() {
            let Some(fm) = self.formation(&x.formation) else {
                self.d.push(self.err_with(
                    self.src.field("river_flotillas", i, "formation"),
                    self.no_formation(&x.formation),
                ));
                continue;
            };
            if fm.kind != FormationKind::Flotilla {
                self.d.push(self.err(
                    self.src.field("river_flotillas", i, "formation"),
                    format!("{} is a {:?}, not a flotilla", fm.name, fm.kind),
                    None,
                ));
            }
            let mut crossings = BTreeSet::new();
            for (j, r) in x.rivers.iter().enumerate() {
                match self.s.map.rivers.iter().find(|l| l.name == *r) {
                    Some(l) => crossings.extend(l.crossings.iter().copied()),
                    None => self.d.push(
                        self.err(
                            self.src
                                .locate(&format!("river_flotillas[{i}].rivers[{j}]")),
                            format!("there is no river named \"{r}\" on the map"),
                            did_you_mean(r, self.s.map.rivers.iter().map(|l| l.name.as_str())),
                        ),
                    ),
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
    }

    /// The weather spans: their times, and a region for each.
    fn weather(&mut self, f: &LogisticsFile, out: &mut Logistics) {
        for (i, w) in f.weather.iter().enumerate() {
            let (from, to) = (parse_local(&w.from), parse_local(&w.to));
            let follows = w.follows.as_ref().and_then(|name| {
                let earlier = || f.weather[..i].iter().map(|e| e.name.as_str());
                let found = earlier().position(|e| e == name);
                if found.is_none() {
                    self.d.push(self.err(
                        self.src.field("weather", i, "follows"),
                        format!(
                            "{}: follows \"{name}\", which is not a span written before it",
                            w.name
                        ),
                        did_you_mean(name, earlier()).or_else(|| {
                            Some("a span follows one written above it in the list".into())
                        }),
                    ));
                }
                found
            });
            match (from, to) {
                (Some(from), Some(to)) if from < to => {
                    let hours = (to - from).num_minutes() as f64 / 60.0;
                    if w.length_spread_hours >= hours {
                        self.d.push(self.err(
                            self.src.field("weather", i, "length_spread_hours"),
                            format!(
                                "{}: length_spread_hours {} would let a span of {} hours vanish",
                                w.name, w.length_spread_hours, hours
                            ),
                            Some(format!("keep it below the span's length, {hours} hours")),
                        ));
                    }
                    out.weather.push(ClimateSpan {
                        span: WeatherSpan {
                            name: w.name.clone(),
                            region: w.region.clone(),
                            from,
                            to,
                            weather: w.weather,
                        },
                        onset_spread_hours: w.onset_spread_hours,
                        length_spread_hours: w.length_spread_hours,
                        chance: w.chance,
                        follows,
                    })
                }
                _ => self.d.push(self.err(
                    self.src.field("weather", i, "from"),
                    format!(
                        "{}: from \"{}\" and to \"{}\" must be dates, the first before the second",
                        w.name, w.from, w.to
                    ),
                    Some("write local time as \"1945-08-11T00:00\"".into()),
                )),
            }
            if w.region.len() < 3 {
                self.d.push(self.err(
                    self.src.entry("weather", i),
                    format!("{}: a region needs at least 3 points", w.name),
                    None,
                ));
            }
        }
    }
}
