//! Where the units of both sides stand: stacking points, zones of control, ferried river
//! crossings and the regions a side's units can march within ([`Occupancy`]).

use bevy::prelude::*;

use super::cost::*;
use super::going::*;
use super::units::*;
use crate::model::map::Map;
use crate::model::*;
use crate::scenario::schema::{Crossing, Mobility, RulesFile};

/// Where the units of both sides stand, for zones of control and stacking.
#[derive(Clone)]
pub struct Occupancy {
    /// Per map cell: stacking points of each side's units.
    pub(super) points: Vec<[u32; 2]>,
    /// Per map cell: the number of units of each side exerting a zone of control next to it.
    pub(super) zoc: Vec<[u16; 2]>,
    /// River edges a flotilla sails, (lower hex, higher hex): its side and the movement km a
    /// ferried crossing costs.
    ferries: std::sync::Arc<Ferries>,
    /// Regions a side's units of one mobility could march within, worked out when a route
    /// search first needs them and kept until the enemy's positions change.
    regions: RegionCache,
    /// The going of the ground for each mobility, shared by every occupancy of a game.
    pub(super) going: Going,
    /// Per side: a digest of the hexes its units hold and of those their zones of control
    /// cover (whether, not how many), kept as units are added and removed. Two occupancies
    /// with the same digest for a side present the same obstacles to that side's enemy, so a
    /// route search can be remembered by it ([`super::route::find_route`]).
    pub(super) obstacles: [u128; 2],
    /// Per side: a digest of the ferried crossings it may use, kept as they are opened and
    /// closed.
    ferry_marks: [u128; 2],
}

/// The digest's mark for one fact (`what`: 0 a unit holds cell `value`, 1 a zone of control
/// covers it, 2 a ferried crossing of key `value` is open): a 128-bit value mixed from the
/// two, so that the exclusive-or of the marks of a set of facts tells one set from another
/// (a collision is as unlikely as two random 128-bit numbers being equal).
fn mark(value: u64, what: u64) -> u128 {
    let x = (value << 3) | what;
    ((mix(x) as u128) << 64) | mix(x ^ 0xD6E8_FEB8_6659_FD93) as u128
}

/// SplitMix64's finaliser: every bit of the input stirs every bit of the output.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Per (side, mobility): a region label for every map cell, [`NO_REGION`] where the enemy
/// stands or nothing of that mobility can enter. Hexes joined by a step either way share a
/// label, so two hexes with different labels are never joined by any march: a route search
/// between them can fail at once instead of exploring all the ground it can reach.
#[derive(Default)]
struct RegionCache(std::sync::Mutex<Vec<((Side, Mobility), std::sync::Arc<Vec<u32>>)>>);

const NO_REGION: u32 = u32::MAX;

impl Clone for RegionCache {
    fn clone(&self) -> Self {
        RegionCache(std::sync::Mutex::new(self.lock().clone()))
    }
}

impl RegionCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<((Side, Mobility), std::sync::Arc<Vec<u32>>)>> {
        // The cache holds nothing that a panic elsewhere could leave half-written.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(super) fn side_ix(s: Side) -> usize {
    match s {
        Side::Soviet => 0,
        Side::Japanese => 1,
    }
}

impl Occupancy {
    pub fn new(map: &Map, rules: &RulesFile, units: &[UnitView]) -> Self {
        Self::sharing(&Going::default(), map, rules, units)
    }

    /// As [`Occupancy::new`], sharing the game's [`Going`] (a resource of the world), so that
    /// what one occupancy works out about the ground serves the next.
    pub fn sharing(going: &Going, map: &Map, rules: &RulesFile, units: &[UnitView]) -> Self {
        let mut o = Occupancy {
            points: vec![[0; 2]; map.cells.len()],
            zoc: vec![[0; 2]; map.cells.len()],
            ferries: Default::default(),
            regions: RegionCache::default(),
            going: going.clone(),
            obstacles: [0; 2],
            ferry_marks: [0; 2],
        };
        for u in units {
            o.add(map, rules, u, u.hex);
        }
        o
    }

    /// Adds the river edges the flotillas sail: their side crosses there by boat. The
    /// flotillas' crossings are the same in every occupancy of a game, so a fresh occupancy
    /// shares those the game's [`Going`] worked out for the same flotillas.
    pub fn with_ferries(
        mut self,
        flotillas: Option<&crate::model::logistics::RiverFlotillas>,
    ) -> Self {
        let Some(flotillas) = flotillas.filter(|f| !f.flotillas.is_empty()) else {
            return self;
        };
        let fresh = self.ferries.is_empty() && self.ferry_marks == [0; 2];
        if fresh && let Some((ferries, marks)) = self.going.ferries_for(flotillas) {
            self.ferries = ferries;
            self.ferry_marks = marks;
            return self;
        }
        for f in &flotillas.flotillas {
            for k in &f.crossings {
                let map = std::sync::Arc::make_mut(&mut self.ferries);
                if let Some(was) = map.insert(*k, (f.side, f.crossing_km)) {
                    self.toggle_ferry(*k, was);
                }
                self.toggle_ferry(*k, (f.side, f.crossing_km));
            }
        }
        if fresh {
            self.going
                .keep_ferries(flotillas, self.ferries.clone(), self.ferry_marks);
        }
        self
    }

    /// Takes these river edges out of the ferried crossings (a flotilla with no room left
    /// this turn); returns what was taken, for [`Occupancy::reopen_ferries`].
    pub fn close_ferries(
        &mut self,
        edges: &std::collections::BTreeSet<(Hex, Hex)>,
    ) -> Vec<((Hex, Hex), (Side, f64))> {
        let closed: Vec<_> = edges
            .iter()
            .filter_map(|k| {
                if !self.ferries.contains_key(k) {
                    return None;
                }
                std::sync::Arc::make_mut(&mut self.ferries)
                    .remove(k)
                    .map(|v| (*k, v))
            })
            .collect();
        for (k, v) in &closed {
            self.toggle_ferry(*k, *v);
        }
        closed
    }

    /// Puts back crossings taken out by [`Occupancy::close_ferries`].
    pub fn reopen_ferries(&mut self, closed: Vec<((Hex, Hex), (Side, f64))>) {
        for (k, v) in closed {
            if let Some(was) = std::sync::Arc::make_mut(&mut self.ferries).insert(k, v) {
                self.toggle_ferry(k, was);
            }
            self.toggle_ferry(k, v);
        }
    }

    /// A digest of the ferried crossings `side` may use, for remembering route searches.
    pub(super) fn ferries_digest(&self, side: Side) -> u128 {
        self.ferry_marks[side_ix(side)]
    }

    /// Marks a ferried crossing in (or out of) the digest of its side's.
    fn toggle_ferry(&mut self, (a, b): (Hex, Hex), (side, km): (Side, f64)) {
        let hex = |h: Hex| mix(((h.q as u32 as u64) << 32) | h.r as u32 as u64);
        let key = hex(a) ^ hex(b).rotate_left(21) ^ mix(km.to_bits()).rotate_left(42);
        self.ferry_marks[side_ix(side)] ^= mark(key, 2);
    }

    /// A step across a river a flotilla of `side` sails costs the ferried crossing instead
    /// of the unaided one, when that is cheaper.
    pub fn ferried(
        &self,
        map: &Map,
        rules: &RulesFile,
        a: Hex,
        b: Hex,
        side: Side,
        step: Step,
    ) -> Step {
        // Most steps cross no river: ask the edge (an array) before the ferries (a tree).
        if self.ferries.is_empty() {
            return step;
        }
        let Some(edge) = map.edge(a, b) else {
            return step;
        };
        let Some(river) = edge.river else {
            return step;
        };
        let Some(&(s, ferry_km)) = self.ferries.get(&(a.min(b), a.max(b))) else {
            return step;
        };
        if s != side || edge.road.is_some() || edge.rail.is_some() {
            return step;
        }
        match (step.whole_turn, rules.river_crossing.get(&river)) {
            (Some(_), _) => Step {
                km: step.km + ferry_km,
                whole_turn: None,
            },
            (None, Some(Crossing::Km(k))) if *k > ferry_km => Step {
                km: step.km - k + ferry_km,
                whole_turn: None,
            },
            _ => step,
        }
    }

    /// Whether a unit covers the hexes around it: ready enough, and with men (the AI's picture
    /// of the enemy can hold a unit it last saw broken to nothing).
    fn exerts_zoc(rules: &RulesFile, u: &UnitView) -> bool {
        u.readiness >= rules.zoc_min_readiness && u.strength.men > 0
    }

    pub fn add(&mut self, map: &Map, rules: &RulesFile, u: &UnitView, at: Hex) {
        self.change(map, rules, u, at, true);
    }

    pub fn remove(&mut self, map: &Map, rules: &RulesFile, u: &UnitView, at: Hex) {
        self.change(map, rules, u, at, false);
    }

    fn change(&mut self, map: &Map, rules: &RulesFile, u: &UnitView, at: Hex, add: bool) {
        // The unit is an obstacle to its enemy's marches only.
        let enemy = u.side.enemy();
        self.regions.lock().retain(|((side, _), _)| *side != enemy);
        let s = side_ix(u.side);
        let pts = stacking_points(rules, u.kind);
        if let Some(i) = map.index(at) {
            let p = &mut self.points[i][s];
            let was = *p > 0;
            *p = if add { *p + pts } else { p.saturating_sub(pts) };
            if was != (*p > 0) {
                self.obstacles[s] ^= mark(i as u64, 0);
            }
        }
        if Self::exerts_zoc(rules, u) {
            for h in at.neighbors().into_iter().chain([at]) {
                if let Some(i) = map.index(h) {
                    let z = &mut self.zoc[i][s];
                    let was = *z > 0;
                    *z = if add { *z + 1 } else { z.saturating_sub(1) };
                    if was != (*z > 0) {
                        self.obstacles[s] ^= mark(i as u64, 1);
                    }
                }
            }
        }
    }

    pub fn points(&self, map: &Map, h: Hex, side: Side) -> u32 {
        map.index(h).map_or(0, |i| self.points_at(i, side))
    }

    pub fn enemy_in(&self, map: &Map, h: Hex, side: Side) -> bool {
        map.index(h).is_some_and(|i| self.enemy_in_at(i, side))
    }

    /// The region labels for `side`'s units of `mobility` (see [`RegionCache`]).
    fn regions(
        &self,
        map: &Map,
        rules: &RulesFile,
        side: Side,
        mobility: Mobility,
    ) -> std::sync::Arc<Vec<u32>> {
        if let Some((_, r)) = self
            .regions
            .lock()
            .iter()
            .find(|(k, _)| *k == (side, mobility))
        {
            return r.clone();
        }
        let enemy = side_ix(side.enemy());
        let held: Vec<u32> = (0..self.points.len() as u32)
            .filter(|&i| self.points[i as usize][enemy] > 0)
            .collect();
        let key = (mobility, held);
        let shared = self
            .going
            .0
            .regions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| r.clone());
        let r = match shared {
            Some(r) => r,
            None => {
                let r = std::sync::Arc::new(self.flood(map, rules, mobility, enemy));
                let mut kept = self
                    .going
                    .0
                    .regions
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if kept.len() >= REGIONS_KEPT {
                    kept.remove(0);
                }
                kept.push((key, r.clone()));
                r
            }
        };
        self.regions.lock().push(((side, mobility), r.clone()));
        r
    }

    /// Labels the regions of the ground open to units of `mobility` whose enemy (by side
    /// index) stands where this occupancy has him.
    fn flood(&self, map: &Map, rules: &RulesFile, mobility: Mobility, enemy: usize) -> Vec<u32> {
        let n = map.cells.len();
        let joined = self.going.joined(map, rules, mobility);
        let mut label = vec![NO_REGION; n];
        let open = |i: usize| self.points[i][enemy] == 0;
        let mut stack = Vec::new();
        let mut next_label = 0;
        for start in 0..n {
            if label[start] != NO_REGION || !open(start) {
                continue;
            }
            label[start] = next_label;
            stack.push(start);
            while let Some(ix) = stack.pop() {
                let here = map.hex_of_index(ix);
                for (dir, nb) in here.neighbors().into_iter().enumerate() {
                    if joined[ix] & (1 << dir) == 0 {
                        continue;
                    }
                    let Some(nx) = map.index(nb) else { continue };
                    if label[nx] != NO_REGION || !open(nx) {
                        continue;
                    }
                    label[nx] = next_label;
                    stack.push(nx);
                }
            }
            next_label += 1;
        }
        label
    }

    /// False when no march of `side`'s units of `mobility` can lead from `from` to `to` (the
    /// goal may be held by the enemy: the march then ends beside it). True means only that
    /// the two are not cut apart; the route search decides the rest.
    pub fn may_reach(
        &self,
        map: &Map,
        rules: &RulesFile,
        side: Side,
        mobility: Mobility,
        from: Hex,
        to: Hex,
    ) -> bool {
        let regions = self.regions(map, rules, side, mobility);
        let steps = self.steps(rules, mobility);
        let label = |h: Hex| map.index(h).map_or(NO_REGION, |i| regions[i]);
        // The regions a march can enter from where the unit stands, and those from which it
        // can step onto the goal.
        let around = |h: Hex, of: &mut Vec<u32>| {
            of.push(label(h));
            for nb in h.neighbors() {
                if joined(map, rules, steps, h, nb) {
                    of.push(label(nb));
                }
            }
            of.retain(|l| *l != NO_REGION);
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        around(from, &mut a);
        around(to, &mut b);
        a.iter().any(|l| b.contains(l))
    }

    /// The step costs for `mobility` under `rules` (the rules the occupancy is used with).
    pub fn steps(&self, rules: &RulesFile, mobility: Mobility) -> &StepTable {
        self.going.steps(rules, mobility)
    }

    /// Whether the two hold the same stacking points and zones of control everywhere.
    pub fn same_ground(&self, other: &Occupancy) -> bool {
        self.points == other.points && self.zoc == other.zoc
    }

    /// The map's ground for searches over its cells (see [`super::Ground`]).
    pub fn ground(&self, map: &Map, rules: &RulesFile) -> super::Ground<'_> {
        self.going.ground(map, rules)
    }

    /// [`Occupancy::points`] of the cell of index `ix`.
    pub fn points_at(&self, ix: usize, side: Side) -> u32 {
        self.points[ix][side_ix(side)]
    }

    /// [`Occupancy::enemy_in`] the cell of index `ix`.
    pub fn enemy_in_at(&self, ix: usize, side: Side) -> bool {
        self.points_at(ix, side.enemy()) > 0
    }

    /// [`Occupancy::enemy_zoc`] over the cell of index `ix`.
    pub fn enemy_zoc_at(&self, ix: usize, side: Side) -> bool {
        self.zoc[ix][side_ix(side.enemy())] > 0
    }

    /// Whether the hex lies in a zone of control of `side`'s enemy.
    pub fn enemy_zoc(&self, map: &Map, h: Hex, side: Side) -> bool {
        map.index(h).is_some_and(|i| self.enemy_zoc_at(i, side))
    }
}
