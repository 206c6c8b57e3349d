//! Route finding for standing orders: the cheapest route over several turns, round the
//! enemy ([`find_route`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use bevy::prelude::*;

use super::going::{ROUTES_KEPT, RouteKey};
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
    // A search reads the ground (the same all game), the weather, the hexes the enemy holds
    // and covers, and the crossings ferried for the side: the same search made again finds
    // the same route, so it is answered from memory.
    let mut memory = occ.going.0.routes.lock().unwrap_or_else(|e| e.into_inner());
    let key = RouteKey {
        from,
        to,
        side: u.side,
        mobility,
        turn_hours,
        weather: memory.weather_index(weather),
        obstacles: occ.obstacles[side_ix(u.side.enemy())],
        ferries: occ.ferries_digest(u.side),
    };
    if let Some(r) = memory.routes.get(&key) {
        return r.clone();
    }
    let route = search(
        map, rules, weather, occ, u, mobility, to, allowance, min_mult,
    );
    if memory.routes.len() >= ROUTES_KEPT {
        memory.routes.clear();
    }
    memory.routes.insert(key, route.clone());
    route
}

/// The search behind [`find_route`]: A* over the map's hexes.
#[allow(clippy::too_many_arguments)]
fn search(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    u: &UnitView,
    mobility: crate::scenario::schema::Mobility,
    to: Hex,
    allowance: f64,
    min_mult: f64,
) -> Option<Vec<Hex>> {
    let from = u.hex;
    let h = |x: Hex| x.distance(to) as f64 * map.hex_km() * min_mult;
    let steps = occ.steps(rules, mobility);
    let edges = occ.going.edges(map, rules);
    let hex_km = map.hex_km();
    let start = map.index(from)?;
    let goal = map.index(to)?;
    let enemy = side_ix(u.side.enemy());
    SEARCH.with_borrow_mut(|search| {
        search.begin(map.cells.len());
        search.settle(start, 0.0, u32::MAX);
        // Costs are kept in metres as integers so the heap order is total and deterministic.
        search
            .heap
            .push(Reverse(((h(from) * 1000.0) as u64, start as u32)));
        let mut expanded = 0usize;
        while let Some(Reverse((f, ix))) = search.heap.pop() {
            let ix = ix as usize;
            if ix == goal {
                break;
            }
            let here = map.hex_of_index(ix);
            let best_here = search.best(ix);
            // A hex is queued again each time a cheaper way to it is found; the older entries
            // have nothing left to offer.
            if f > ((best_here + h(here)) * 1000.0) as u64 {
                continue;
            }
            expanded += 1;
            // A long search may be one that cannot succeed: the goal cut off by the enemy or by
            // ground the unit cannot cross. Ask the occupancy's regions once, rather than
            // explore everything reachable.
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
                let w = weather.cells().get(nx).copied().unwrap_or(Weather::Dry);
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
                let nb = best_here + c;
                if nb < search.best(nx) - 1e-9 {
                    search.settle(nx, nb, ix as u32);
                    search
                        .heap
                        .push(Reverse((((nb + h(next)) * 1000.0) as u64, nx as u32)));
                }
            }
        }
        if !search.best(goal).is_finite() {
            return None;
        }
        let mut path = vec![to];
        let mut cur = goal;
        while search.prev(cur) != u32::MAX && search.prev(cur) as usize != start {
            cur = search.prev(cur) as usize;
            path.push(map.hex_of_index(cur));
        }
        path.reverse();
        Some(path)
    })
}

/// The working memory of a route search, kept between searches on the same thread: a
/// campaign makes thousands of searches over a map of thousands of hexes, and most of them
/// touch a few dozen, so clearing the whole map for each one cost more than the search.
/// A hex's cost and predecessor count only where its stamp is the current search's;
/// everywhere else the hex is unreached. What a search finds does not depend on what earlier
/// searches left behind.
#[derive(Default)]
struct RouteSearch {
    search: u32,
    stamp: Vec<u32>,
    cost: Vec<f64>,
    prev: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl RouteSearch {
    /// Starts a new search over a map of `cells` hexes, every one unreached.
    fn begin(&mut self, cells: usize) {
        self.heap.clear();
        if self.stamp.len() != cells || self.search == u32::MAX {
            self.stamp = vec![0; cells];
            self.cost = vec![f64::INFINITY; cells];
            self.prev = vec![u32::MAX; cells];
            self.search = 0;
        }
        self.search += 1;
    }

    /// The cheapest cost found so far to hex `ix`; infinite where unreached.
    fn best(&self, ix: usize) -> f64 {
        if self.stamp[ix] == self.search {
            self.cost[ix]
        } else {
            f64::INFINITY
        }
    }

    /// The hex the cheapest way to `ix` comes from (`u32::MAX` for the start or unreached).
    fn prev(&self, ix: usize) -> u32 {
        if self.stamp[ix] == self.search {
            self.prev[ix]
        } else {
            u32::MAX
        }
    }

    fn settle(&mut self, ix: usize, cost: f64, from: u32) {
        self.stamp[ix] = self.search;
        self.cost[ix] = cost;
        self.prev[ix] = from;
    }
}

thread_local! {
    static SEARCH: std::cell::RefCell<RouteSearch> = std::cell::RefCell::default();
}

/// Hexes a route search expands before it checks whether the goal can be reached at all.
/// Most routes are found well before; see [`Occupancy::may_reach`].
const ROUTE_SEARCH_BEFORE_REGIONS: usize = 400;
