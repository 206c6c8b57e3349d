//! What the panels and the input ask of the rules about the game on screen: attack odds,
//! airlift and landing options, fuel room, the victory standing, the advance and the
//! calibration facts of the debrief.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::gui::state::Launch;
use crate::model::logistics::*;
use crate::model::*;
use crate::report::batch::CalibrationFact;
use crate::rules::movement::UnitView;

/// Each front's depth turn by turn, rebuilt from the event log (so a loaded game has its
/// whole history): how far its deepest unit stands beyond the ground the side held at the
/// start, as the batch measures it ([`crate::report::depth`]). Returns the fronts, the time of
/// each turn's end and one series per front.
pub fn advance_from_log(world: &World) -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let crate::report::depth::Fronts {
        names: fronts,
        sides,
        of_unit: front_of,
    } = crate::report::depth::front_units(world);
    let field = crate::report::depth::DepthFields::new(map);
    let mut now: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let last = cal.turn.min(cal.turns());
    let mut series = vec![Vec::new(); fronts.len()];
    let mut times = Vec::new();
    let events = &world.resource::<EventLog>().events;
    let mut k = 0;
    for turn in 1..=last {
        while k < events.len() && events[k].turn <= turn {
            if let GameEvent::UnitMoved { unit, to, .. } = &events[k].event
                && front_of.contains_key(unit)
            {
                now.insert(*unit, *to);
            }
            k += 1;
        }
        let mut deepest = vec![0.0f64; fronts.len()];
        for (u, h) in &now {
            let f = front_of[u];
            deepest[f] = deepest[f].max(field.km(map, sides[f], *h));
        }
        for (s, d) in series.iter_mut().zip(deepest) {
            s.push(d);
        }
        times.push(time::iso_local(cal.time_of_turn(turn + 1).min(cal.end)));
    }
    (fronts, times, series)
}

/// Odds of an attack by these units on a hex, for the preview, with the factors that made
/// them.
pub fn preview_odds(
    world: &mut World,
    group: &[UnitView],
    target: Hex,
) -> (
    crate::rules::combat::Odds,
    Vec<crate::rules::combat::OddsFactor>,
) {
    let units = crate::rules::movement::snapshot(world);
    let defenders: Vec<UnitView> = units
        .iter()
        .filter(|u| u.hex == target && u.side != group[0].side)
        .cloned()
        .collect();
    let surprise = crate::rules::combat::in_surprise(world);
    let with: Vec<(UnitView, f64)> = group.iter().map(|u| (u.clone(), 1.0)).collect();
    crate::rules::combat::odds_explained(
        &world.resource::<crate::scenario::spawn::Rules>().0,
        world.resource::<Map>(),
        world.resource::<CurrentWeather>(),
        world.resource::<OrderOfBattle>(),
        &with,
        &defenders,
        target,
        surprise,
    )
}

/// A transport base from which the rules would fly fuel to a unit now: the fleet, its base,
/// the distance and what it can still carry this turn.
#[derive(Debug, Clone, PartialEq)]
pub struct LiftOption {
    pub fleet: FormationId,
    pub fleet_name: String,
    pub base: PlaceId,
    pub base_name: String,
    pub km: f64,
    pub range_km: f64,
    /// Tons the fleet can still fly this turn in today's weather, and the base holds.
    pub most_t: f64,
}

/// The air landings a unit could make now: one per place it may be flown into, each an order
/// that passes the rules' validation. Computed once per unit and turn.
pub fn landing_options(world: &mut World, unit: UnitId) -> Vec<(String, Order)> {
    let turn = world.resource::<Calendar>().turn;
    if let Some(c) = world.get_resource::<LandingCache>()
        && c.key == (unit, turn)
    {
        return c.options.clone();
    }
    let units = crate::rules::movement::snapshot(world);
    let mut options = Vec::new();
    if let Some(u) = units.iter().find(|u| u.id == unit) {
        let map = world.resource::<Map>().clone();
        // Landings from the sea: from a fleet's port the unit stands in, to the places on the
        // coast in reach.
        let ships = world
            .get_resource::<SeaTransport>()
            .map(|s| s.fleets.clone())
            .unwrap_or_default();
        for f in ships.iter().filter(|f| f.side == u.side) {
            for b in f.ports.iter().filter(|b| map.place(**b).hex == u.hex) {
                for p in map.places.iter().filter(|p| p.hex != u.hex) {
                    let o = Order::SeaLanding {
                        fleet: f.formation,
                        port: *b,
                        unit,
                        target: p.hex,
                    };
                    if crate::rules::orders::validate(world, &o).is_ok() {
                        options.push((format!("{} by sea", p.name), o));
                    }
                }
            }
        }
        let fleets = world.resource::<AirTransport>().fleets.clone();
        for f in fleets.iter().filter(|f| f.side == u.side) {
            for b in f.bases.iter().filter(|b| map.place(**b).hex == u.hex) {
                for p in map.places.iter().filter(|p| p.hex != u.hex) {
                    let o = Order::AirLanding {
                        air_army: f.formation,
                        base: *b,
                        unit,
                        place: p.id,
                    };
                    if crate::rules::orders::validate(world, &o).is_ok() {
                        options.push((p.name.clone(), o));
                    }
                }
            }
        }
    }
    world.insert_resource(LandingCache {
        key: (unit, turn),
        options: options.clone(),
    });
    options
}

#[derive(Resource)]
pub struct LandingCache {
    key: (UnitId, u32),
    options: Vec<(String, Order)>,
}

/// Every base from which the rules would fly fuel to the unit now, nearest first: each is
/// checked by the rules' own airlift validation, so the panel offers nothing that the end of
/// the turn would refuse (a base out of range, no landing ground, grounded by rain, no fuel
/// at the base, the fleet's sorties booked).
pub fn airlift_options(world: &mut World, unit: UnitId) -> Vec<LiftOption> {
    use crate::rules::airlift::{capacity_left, flying, validate_airlift};
    let units = crate::rules::movement::snapshot(world);
    let Some(u) = units.iter().find(|u| u.id == unit) else {
        return Vec::new();
    };
    let map = world.resource::<Map>();
    let rules = &world.resource::<crate::scenario::spawn::Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let booked = world.resource::<AirliftBooked>();
    let depots = world.resource::<Depots>();
    let turn_hours = world.resource::<Calendar>().turn_hours;
    let oob = world.resource::<OrderOfBattle>();
    let here = map.center(u.hex);
    let fleets = &world.resource::<AirTransport>().fleets;
    let mut v = Vec::new();
    for (fi, f) in fleets.iter().enumerate().filter(|(_, f)| f.side == u.side) {
        for &b in &f.bases {
            let p = map.place(b);
            let probe = Order::Airlift {
                air_army: f.formation,
                base: b,
                to: unit,
                cargo: Cargo::Fuel,
                tons: 1.0,
            };
            if validate_airlift(world, u, &probe).is_err() {
                continue;
            }
            let w =
                flying(rules, weather.at(map, p.hex)).min(flying(rules, weather.at(map, u.hex)));
            let left = capacity_left(rules, f, fi, booked, turn_hours, w);
            let stock: f64 = depots
                .depots
                .iter()
                .filter(|d| d.hex == p.hex && d.side == u.side)
                .map(|d| d.fuel_t)
                .sum();
            v.push(LiftOption {
                fleet: f.formation,
                fleet_name: oob
                    .formations
                    .get(f.formation.0 as usize)
                    .map_or_else(|| f.name.clone(), |x| x.name.clone()),
                base: b,
                base_name: p.name.clone(),
                km: p.at.distance_km(here),
                range_km: f.range_km,
                most_t: left.min(stock).floor(),
            });
        }
    }
    v.sort_by(|a, b| a.km.total_cmp(&b.km));
    v
}

/// Fuel the unit can still take this turn: the room in its tanks less what is already on its
/// way to it (fuel flown in or handed over by orders of this turn).
pub fn fuel_room(world: &mut World, unit: UnitId) -> f64 {
    let room = crate::rules::fuel_transfer::fuel_and_room(world, unit).map_or(0.0, |(_, r)| r);
    let pending = world.resource::<PendingOrders>();
    let flown: f64 = pending
        .orders
        .iter()
        .map(|o| match o {
            Order::Airlift {
                to,
                tons,
                cargo: Cargo::Fuel,
                ..
            } if *to == unit => *tons,
            _ => 0.0,
        })
        .sum();
    let handed = crate::rules::fuel_transfer::pending_change(pending, unit);
    (room - flown - handed).max(0.0).floor()
}

/// Both sides' standing, judged again only when the game has moved on (a new event, order or
/// phase, or another game loaded), not on every frame.
#[derive(Resource, Default)]
pub struct VictoryShown {
    key: Option<(usize, usize, u32, Side, bool)>,
    standing: Option<crate::report::victory::Victory>,
}

pub fn victory_standing(world: &mut World) -> Option<crate::report::victory::Victory> {
    let cal = world.resource::<Calendar>();
    let key = (
        world.resource::<EventLog>().events.len(),
        world.resource::<OrderLog>().entries.len(),
        cal.turn,
        cal.active,
        cal.finished,
    );
    if world
        .get_resource::<VictoryShown>()
        .is_none_or(|v| v.key != Some(key))
    {
        let standing = crate::report::victory::victory_in(world);
        world.insert_resource(VictoryShown {
            key: Some(key),
            standing,
        });
    }
    world.resource::<VictoryShown>().standing.clone()
}

/// Historical dates of the key places, from the calibration facts beside the scenario.
pub fn calibration_facts(world: &World) -> Vec<CalibrationFact> {
    let Some(launch) = world.get_resource::<Launch>() else {
        return Vec::new();
    };
    let path = launch
        .scenario
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("calibration.ron");
    crate::report::batch::load_calibration(&path).unwrap_or_default()
}

/// The hex beside an enemy-held `target` that the unit reaches soonest (fewest turns, then
/// fewest km), with the march there; `None` if no hex beside it can be reached.
pub fn approach(
    world: &mut World,
    unit: UnitId,
    target: Hex,
) -> Option<(Hex, crate::rules::preview::MarchPreview)> {
    let units = crate::rules::movement::snapshot(world);
    let side = units.iter().find(|u| u.id == unit)?.side;
    let mut best: Option<(Hex, crate::rules::preview::MarchPreview)> = None;
    for n in target.neighbors() {
        if world.resource::<Map>().cell(n).is_none()
            || units.iter().any(|e| e.hex == n && e.side != side)
        {
            continue;
        }
        let Some(p) = crate::rules::preview::preview_march(world, unit, n) else {
            continue;
        };
        let key = |p: &crate::rules::preview::MarchPreview| (!p.arrives, p.legs.len(), p.km);
        if best
            .as_ref()
            .is_none_or(|(_, b)| key(&p).partial_cmp(&key(b)) == Some(std::cmp::Ordering::Less))
        {
            best = Some((n, p));
        }
    }
    best
}
