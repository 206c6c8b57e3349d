//! What a march order would do, before it is given: the route the staff would plan, how far
//! along it the unit gets each turn, the fuel it would burn and where it would meet enemy
//! zones of control. A plain query on the world, for the window's path preview and for
//! anyone asking "how long to Tongliao?".

use bevy::prelude::*;

use super::movement::{Occupancy, find_route, plan_march, snapshot};
use crate::model::events::HaltReason;
use crate::model::logistics::CurrentWeather;
use crate::model::*;
use crate::scenario::spawn::Rules;

/// How far ahead a preview looks.
pub const PREVIEW_TURNS: usize = 12;

/// A march as it would unfold if nothing else changed.
#[derive(Debug, Clone, PartialEq)]
pub struct MarchPreview {
    /// The hexes entered in each turn, first turn first; the last hex of each is where the
    /// unit would stand at the end of that turn.
    pub legs: Vec<Vec<Hex>>,
    /// Fuel burned over the legs shown, tons.
    pub fuel_t: f64,
    /// Fuel the unit holds now, tons.
    pub fuel_on_hand_t: f64,
    /// Road distance over the legs shown, km.
    pub km: f64,
    /// Hexes of the route inside an enemy zone of control, where the march stops.
    pub zoc: Vec<Hex>,
    /// Whether the legs shown reach the destination.
    pub arrives: bool,
    /// Why the march would stall before arriving, if it would.
    pub stall: Option<HaltReason>,
}

/// The march of `unit` to `to` as it would unfold turn by turn, under today's weather for the
/// first turn and ordinary going after it, with every other unit standing still. `None` if
/// the unit cannot move there at all (no route, or not a unit on the map).
pub fn preview_march(world: &mut World, unit: UnitId, to: Hex) -> Option<MarchPreview> {
    let units = snapshot(world);
    let mut u = units.iter().find(|u| u.id == unit)?.clone();
    if u.hex == to {
        return None;
    }
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let turn_hours = world.resource::<Calendar>().turn_hours;
    let mut occ = Occupancy::sharing(&super::movement::Going::of(world), map, rules, &units)
        .with_ferries(world.get_resource::<crate::model::logistics::RiverFlotillas>());
    occ.remove(map, rules, &u, u.hex);
    let dry = CurrentWeather::dry(map.cells.len());
    let route = find_route(map, rules, &dry, &occ, &u, to, turn_hours)?;
    let zoc: Vec<Hex> = route
        .iter()
        .copied()
        .filter(|h| occ.enemy_zoc(map, *h, u.side))
        .collect();
    let fuel_on_hand_t = u.fuel_t;
    let mut preview = MarchPreview {
        legs: Vec::new(),
        fuel_t: 0.0,
        fuel_on_hand_t,
        km: 0.0,
        zoc,
        arrives: false,
        stall: None,
    };
    let mut rest: &[Hex] = &route;
    for turn in 0..PREVIEW_TURNS {
        let w = if turn == 0 { weather } else { &dry };
        let plan = plan_march(map, rules, w, &occ, &u, rest, turn_hours);
        if plan.entered.is_empty() {
            preview.stall = plan.stop.map(|(r, _)| r).or(Some(HaltReason::Blocked));
            break;
        }
        preview.fuel_t += plan.fuel_t;
        preview.km += plan.ground_km;
        u.fuel_t = (u.fuel_t - plan.fuel_t).max(0.0);
        u.hex = *plan.entered.last().expect("not empty");
        rest = &rest[plan.entered.len().min(rest.len())..];
        let stop = plan.stop.map(|(r, _)| r);
        preview.legs.push(plan.entered);
        if rest.is_empty() {
            preview.arrives = true;
            break;
        }
        // Empty tanks end the march: the unit does not go on by itself.
        if stop == Some(HaltReason::OutOfFuel) {
            preview.stall = stop;
            break;
        }
    }
    Some(preview)
}
