//! Route finding for standing orders: the cheapest route over several turns, round the
//! enemy ([`find_route`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use bevy::prelude::*;

use super::occupancy::*;
use super::units::*;
use crate::model::logistics::{CurrentWeather, Weather};
use crate::model::map::Map;
use crate::model::*;
use crate::scenario::schema::RulesFile;

/// The cheapest route from the unit's hex to `to` over several turns, avoiding enemy-held
/// hexes; zones of control are allowed but cost extra, so routes skirt the enemy where they
/// can. `None` if no route exists.
pub fn find_route(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    u: &UnitView,
    to: Hex,
    turn_hours: u32,
) -> Option<Vec<Hex>> {
    let mobility = effective_mobility(rules, u)?;
    let from = u.hex;
    if from == to || !map.contains(to) {
        return None;
    }
    let allowance = allowance_km(rules, mobility, turn_hours).max(1.0);
    let min_mult = rules
        .road_cost
        .values()
        .filter_map(|c| c.get(mobility))
        .chain(rules.terrain_cost.values().filter_map(|c| c.get(mobility)))
        .fold(f64::MAX, f64::min)
        .min(1.0);
    let h = |x: Hex| x.distance(to) as f64 * map.hex_km() * min_mult;
    let steps = occ.steps(rules, mobility);
    let edges = occ.going.edges(map, rules);
    let hex_km = map.hex_km();
    let n = map.cells.len();
    let mut best = vec![f64::INFINITY; n];
    let mut prev: Vec<u32> = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    let start = map.index(from)?;
    best[start] = 0.0;
    // Costs are kept in metres as integers so the heap order is total and deterministic.
    heap.push(Reverse(((h(from) * 1000.0) as u64, start as u32)));
    let goal = map.index(to)?;
    let enemy = side_ix(crate::scenario::load::opposite(u.side));
    let mut expanded = 0usize;
    while let Some(Reverse((f, ix))) = heap.pop() {
        let ix = ix as usize;
        if ix == goal {
            break;
        }
        let here = map.hex_of_index(ix);
        // A hex is queued again each time a cheaper way to it is found; the older entries
        // have nothing left to offer.
        if f > ((best[ix] + h(here)) * 1000.0) as u64 {
            continue;
        }
        expanded += 1;
        // A long search may be one that cannot succeed: the goal cut off by the enemy or by
        // ground the unit cannot cross. Ask the occupancy's regions once, rather than explore
        // everything reachable.
        if expanded == ROUTE_SEARCH_BEFORE_REGIONS
            && !occ.may_reach(map, rules, u.side, mobility, from, to)
        {
            return None;
        }
        for (dir, e) in edges[ix].iter().enumerate() {
            let Some(nx) = e.to else { continue };
            let nx = nx as usize;
            // The goal may be held by the enemy: the march then ends beside it.
            if nx != goal && occ.points[nx][enemy] > 0 {
                continue;
            }
            let w = weather.cells.get(nx).copied().unwrap_or(Weather::Dry);
            let Some(mut step) = steps.step_on(e, hex_km, w) else {
                continue;
            };
            let next = here.neighbor(dir);
            if e.river {
                step = occ.ferried(map, rules, here, next, u.side, step);
            }
            let mut c = if step.whole_turn.is_some() {
                allowance
            } else {
                step.km
            };
            if nx != goal && occ.zoc[nx][enemy] > 0 {
                c += allowance / 2.0;
            }
            let nb = best[ix] + c;
            if nb < best[nx] - 1e-9 {
                best[nx] = nb;
                prev[nx] = ix as u32;
                heap.push(Reverse((((nb + h(next)) * 1000.0) as u64, nx as u32)));
            }
        }
    }
    if !best[goal].is_finite() {
        return None;
    }
    let mut path = vec![to];
    let mut cur = goal;
    while prev[cur] != u32::MAX && prev[cur] as usize != start {
        cur = prev[cur] as usize;
        path.push(map.hex_of_index(cur));
    }
    path.reverse();
    Some(path)
}

/// Hexes a route search expands before it checks whether the goal can be reached at all.
/// Most routes are found well before; see [`Occupancy::may_reach`].
const ROUTE_SEARCH_BEFORE_REGIONS: usize = 400;
