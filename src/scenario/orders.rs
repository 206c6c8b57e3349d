//! Orders files: what each side's units are told to do, turn by turn; read, and checked
//! against the scenario they are given in, before any of them reaches a game.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::diag::{Diagnostic, Severity, SourceText, figure, parse_ron};
use super::load::{Scenario, read_source};
use super::ranges::{Checker, POSITIVE, Point, Range, Ranged, between, check_ranges};
use super::schema::Location;
use crate::model::geo::LatLon;
use crate::model::map::Map;

/// An orders file: what each side's units are told to do, turn by turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdersFile {
    pub orders: Vec<TurnOrder>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnOrder {
    /// The turn (1 = the first 12 hours) the order is given in.
    pub turn: u32,
    pub unit: String,
    pub order: UnitOrder,
}

// `deny_unknown_fields` reaches the fields of each variant: a misspelt field inside
// `Airlift(...)` is an error, not a default.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum UnitOrder {
    /// March toward a place or coordinate, over as many turns as it takes.
    MoveTo(Location),
    /// Stop and stay.
    Hold,
    /// Fly fuel or ammunition to the unit from an air army's base.
    Airlift {
        air_army: String,
        base: String,
        cargo: crate::model::Cargo,
        tons: f64,
    },
    /// Hand tons of the unit's fuel to another unit in the same hex or beside it.
    GiveFuel { to: String, tons: f64 },
}

impl Ranged for OrdersFile {
    fn ranges(&self, c: &mut Checker) {
        let tons = Range {
            what: "tons",
            ..POSITIVE
        };
        for (i, o) in self.orders.iter().enumerate() {
            let at = format!("orders[{i}]");
            // Turns are counted from 1; the end of the campaign is checked with its scenario.
            c.num(
                &format!("{at}.turn"),
                &o.turn,
                between(1.0, f64::from(u32::MAX)),
            );
            match &o.order {
                UnitOrder::MoveTo(Location::Coord(lat, lon)) => {
                    c.sub(&format!("{at}.order.0"), &Point(*lat, *lon))
                }
                UnitOrder::Airlift { tons: t, .. } | UnitOrder::GiveFuel { tons: t, .. } => {
                    c.num(&format!("{at}.order.tons"), t, tons)
                }
                UnitOrder::MoveTo(Location::Place(_)) | UnitOrder::Hold => {}
            }
        }
    }
}

/// Reads an orders file and checks what can be checked without its scenario: the syntax,
/// and every figure (turns from 1, coordinates on the globe, tons more than zero).
pub fn read_orders(path: &Path) -> Result<(OrdersFile, SourceText), Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    let file: OrdersFile = parse_ron(&src).map_err(|d| vec![d])?;
    let d = check_ranges(&src, &file);
    if d.is_empty() {
        Ok((file, src))
    } else {
        Err(d)
    }
}

/// What orders are checked against: the game's map, its units and formations, its length.
pub struct OrdersContext<'a> {
    pub map: &'a Map,
    pub units: BTreeSet<String>,
    pub formations: BTreeSet<String>,
    /// Turns the campaign has; an order for a later turn would never be given.
    pub turns: u32,
    /// Whether to check the units, places and air armies orders name. `simulate` leaves
    /// them to the game, which refuses such an order alone, with its reason, when it is
    /// given, and carries out the rest; `check` reports them all at once.
    pub names: bool,
}

impl<'a> OrdersContext<'a> {
    pub fn of_scenario(s: &'a Scenario) -> Self {
        let cal = crate::model::Calendar::new(s.start, s.end, s.file.turn_hours, s.moves_first());
        Self {
            map: &s.map,
            units: s.units.iter().map(|u| u.def.name.clone()).collect(),
            formations: s.formations.iter().map(|f| f.name.clone()).collect(),
            turns: cal.turns(),
            names: true,
        }
    }

    pub fn of_world(world: &'a bevy::prelude::World) -> Self {
        let units = world
            .iter_entities()
            .filter_map(|e| e.get::<crate::model::UnitName>().map(|n| n.0.clone()))
            .collect();
        let formations = world
            .resource::<crate::model::OrderOfBattle>()
            .formations
            .iter()
            .map(|f| f.name.clone())
            .collect();
        Self {
            map: world.resource::<Map>(),
            units,
            formations,
            turns: world.resource::<crate::model::Calendar>().turns(),
            names: false,
        }
    }
}

/// Every order that could not be given in this game, at its line, with the reason.
pub fn check_orders(src: &SourceText, f: &OrdersFile, ctx: &OrdersContext) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut push = |path: String, message: String, hint: Option<String>| {
        let mut x = src.at_path(Severity::Error, &path, message);
        x.hint = hint;
        d.push(x);
    };
    let known = |name: &str, all: &BTreeSet<String>| !ctx.names || all.contains(name);
    let did_you_mean = |name: &str, all: &BTreeSet<String>| {
        super::diag::did_you_mean(name, all.iter().map(String::as_str))
    };
    let place = |name: &str| !ctx.names || ctx.map.place_named(name).is_some();
    let places_hint = |name: &str| super::diag::unknown_place(ctx.map, name).1;
    for (i, o) in f.orders.iter().enumerate() {
        let at = format!("orders[{i}]");
        if o.turn > ctx.turns {
            push(
                format!("{at}.turn"),
                format!(
                    "an order for turn {}, but the campaign has {} turns",
                    o.turn, ctx.turns
                ),
                Some("the order would never be given: turns are counted from 1".into()),
            );
        }
        if !known(&o.unit, &ctx.units) {
            push(
                format!("{at}.unit"),
                format!("there is no unit named \"{}\"", o.unit),
                did_you_mean(&o.unit, &ctx.units),
            );
        }
        match &o.order {
            UnitOrder::MoveTo(Location::Place(p)) if !place(p) => push(
                format!("{at}.order.0.0"),
                format!("there is no place named \"{p}\" on the map"),
                places_hint(p),
            ),
            UnitOrder::MoveTo(Location::Coord(lat, lon)) => {
                let h = ctx.map.hex_at(LatLon::new(*lat, *lon));
                if lat.is_finite() && lon.is_finite() && !ctx.map.contains(h) {
                    push(
                        format!("{at}.order.0"),
                        format!(
                            "the coordinate ({}, {}) is off the map",
                            figure(*lat),
                            figure(*lon)
                        ),
                        Some("coordinates are Coord(lat, lon) in decimal degrees".into()),
                    );
                }
            }
            UnitOrder::Airlift { air_army, base, .. } => {
                if !known(air_army, &ctx.formations) {
                    push(
                        format!("{at}.order.air_army"),
                        format!("there is no air army named \"{air_army}\""),
                        did_you_mean(air_army, &ctx.formations),
                    );
                }
                if !place(base) {
                    push(
                        format!("{at}.order.base"),
                        format!("there is no place named \"{base}\" on the map"),
                        places_hint(base),
                    );
                }
            }
            UnitOrder::GiveFuel { to, .. } if !known(to, &ctx.units) => push(
                format!("{at}.order.to"),
                format!("there is no unit named \"{to}\""),
                did_you_mean(to, &ctx.units),
            ),
            _ => {}
        }
    }
    d
}
