//! Movement: the cost of every step by terrain, road, river and mobility; zones of control,
//! stacking and fuel; route finding for standing orders; and the march itself.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use bevy::prelude::*;

use super::TurnPhase;
use crate::model::logistics::{CurrentWeather, Weather};
use crate::model::map::{Map, RiverClass, TerrainKind};
use crate::model::*;
use crate::scenario::schema::{Crossing, KindDef, Mobility, RulesFile};
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Going>();
    app.add_systems(
        super::ResolveTurn,
        execute_moves.in_set(TurnPhase::Movement),
    );
}

/// What the movement rules need to know about one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    pub id: UnitId,
    pub name: String,
    pub side: Side,
    pub kind: UnitKind,
    pub hex: Hex,
    pub strength: Strength,
    pub fuel_t: f64,
    pub readiness: f64,
    pub destination: Option<Hex>,
}

/// Every unit, sorted by id: a stable order, whatever the ECS's iteration order is.
pub fn snapshot(world: &mut World) -> Vec<UnitView> {
    let mut q = world.query::<(
        &UnitId,
        &UnitName,
        &Allegiance,
        &Kind,
        &Position,
        &Strength,
        &Stocks,
        &Readiness,
        Option<&Destination>,
    )>();
    let mut v: Vec<UnitView> = q
        .iter(world)
        .filter(|(.., s, _, _, _)| s.men > 0)
        .map(|(id, n, a, k, p, s, st, r, d)| UnitView {
            id: *id,
            name: n.0.clone(),
            side: a.side,
            kind: k.0,
            hex: p.0,
            strength: *s,
            fuel_t: st.fuel_t,
            readiness: r.0,
            destination: d.map(|d| d.0),
        })
        .collect();
    v.sort_by_key(|u| u.id);
    v
}

/// Where the units of both sides stand, for zones of control and stacking.
#[derive(Clone)]
pub struct Occupancy {
    /// Per map cell: stacking points of each side's units.
    points: Vec<[u32; 2]>,
    /// Per map cell: the number of units of each side exerting a zone of control next to it.
    zoc: Vec<[u16; 2]>,
    /// River edges a flotilla sails, (lower hex, higher hex): its side and the movement km a
    /// ferried crossing costs.
    ferries: BTreeMap<(Hex, Hex), (Side, f64)>,
    /// Regions a side's units of one mobility could march within, worked out when a route
    /// search first needs them and kept until the enemy's positions change.
    regions: RegionCache,
    /// The going of the ground for each mobility, shared by every occupancy of a game.
    going: Going,
}

/// The going of the map's ground under the game's rules, for each mobility: the step costs,
/// which neighbours a unit can step between, and the regions those steps join around a
/// given set of enemy-held hexes. It depends on the map and the rules only, which do not
/// change in a game, so it is worked out once (each part on first use) and shared by every
/// occupancy the rules, the AI and the window build: a resource of the world.
#[derive(Resource, Clone, Default)]
pub struct Going(std::sync::Arc<GoingTables>);

#[derive(Default)]
struct GoingTables {
    /// By `Mobility as usize`.
    steps: [std::sync::OnceLock<StepTable>; 4],
    /// By `Mobility as usize`: per map cell, bit `d` set where a step joins the cell and its
    /// neighbour in direction `d`, one way or the other, in dry weather (see [`joined`]).
    joined: [std::sync::OnceLock<Vec<u8>>; 4],
    /// Per map cell and direction, what a step there is whatever the mobility: see
    /// [`EdgeGoing`].
    edges: std::sync::OnceLock<Vec<[EdgeGoing; 6]>>,
    /// Region labels already flooded, by the mobility and the exact set of hexes the enemy
    /// holds (cell indices, ascending): the ground between two phases or two occupancies of
    /// the same enemy positions is flooded once. The latest few are kept.
    regions: std::sync::Mutex<Vec<((Mobility, Vec<u32>), std::sync::Arc<Vec<u32>>)>>,
}

/// A step from a cell to its neighbour in one direction, as far as the ground decides it:
/// the [`StepTable`] slot of the ground entered in dry weather (each weather further on is
/// [`WEATHER_STRIDE`] slots on), and what crossing the edge's river adds.
#[derive(Clone, Copy)]
struct EdgeGoing {
    /// The neighbour's cell index; `None` where it is off the map.
    to: Option<u32>,
    /// `None` where the neighbour is off the map.
    slot: Option<u16>,
    /// The edge crosses a river (a flotilla may ferry it).
    river: bool,
    /// The km a river crossing adds (0 where the edge crosses none).
    crossing_km: f64,
    whole_turn: Option<RiverClass>,
}

/// Slots of the [`StepTable`] between one weather and the next.
const WEATHER_STRIDE: usize = 6;

/// Flooded regions kept in [`GoingTables::regions`].
const REGIONS_KEPT: usize = 8;

impl Going {
    /// The world's going (a fresh one for a world without the rules' plugin).
    pub fn of(world: &World) -> Going {
        world.get_resource::<Going>().cloned().unwrap_or_default()
    }

    fn steps(&self, rules: &RulesFile, mobility: Mobility) -> &StepTable {
        self.0.steps[mobility as usize].get_or_init(|| StepTable::new(rules, mobility))
    }

    fn edges(&self, map: &Map, rules: &RulesFile) -> &[[EdgeGoing; 6]] {
        self.0.edges.get_or_init(|| {
            (0..map.cells.len())
                .map(|ix| {
                    let here = map.hex_of_index(ix);
                    std::array::from_fn(|dir| {
                        let edge = map.cells[ix].edges[dir];
                        let crossing = with_crossing(rules, edge, 0.0);
                        EdgeGoing {
                            to: map.index(here.neighbor(dir)).map(|i| i as u32),
                            river: edge.river.is_some(),
                            slot: map.cell(here.neighbor(dir)).map(|c| {
                                StepTable::slot(
                                    c.terrain,
                                    c.pass,
                                    Weather::Dry,
                                    edge.road,
                                    edge.rail.is_some(),
                                ) as u16
                            }),
                            crossing_km: crossing.km,
                            whole_turn: crossing.whole_turn,
                        }
                    })
                })
                .collect()
        })
    }

    fn joined(&self, map: &Map, rules: &RulesFile, mobility: Mobility) -> &[u8] {
        self.0.joined[mobility as usize].get_or_init(|| {
            let steps = self.steps(rules, mobility);
            (0..map.cells.len())
                .map(|ix| {
                    let here = map.hex_of_index(ix);
                    let mut bits = 0u8;
                    for (dir, nb) in here.neighbors().into_iter().enumerate() {
                        if let Some(nx) = map.index(nb)
                            && joined_towards(map, rules, steps, (ix, here), dir, (nx, nb))
                        {
                            bits |= 1 << dir;
                        }
                    }
                    bits
                })
                .collect()
        })
    }
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

fn side_ix(s: Side) -> usize {
    match s {
        Side::Soviet => 0,
        Side::Japanese => 1,
    }
}

impl Occupancy {
    pub fn new(map: &Map, rules: &RulesFile, units: &[UnitView]) -> Self {
        let mut o = Occupancy {
            points: vec![[0; 2]; map.cells.len()],
            zoc: vec![[0; 2]; map.cells.len()],
            ferries: BTreeMap::new(),
            regions: RegionCache::default(),
            going: Going::default(),
        };
        for u in units {
            o.add(map, rules, u, u.hex);
        }
        o
    }

    /// As [`Occupancy::new`], sharing the game's [`Going`] (a resource of the world), so that
    /// what one occupancy works out about the ground serves the next.
    pub fn sharing(going: &Going, map: &Map, rules: &RulesFile, units: &[UnitView]) -> Self {
        let mut o = Occupancy::new(map, rules, &[]);
        o.going = going.clone();
        for u in units {
            o.add(map, rules, u, u.hex);
        }
        o
    }

    /// Adds the river edges the flotillas sail: their side crosses there by boat.
    pub fn with_ferries(
        mut self,
        flotillas: Option<&crate::model::logistics::RiverFlotillas>,
    ) -> Self {
        for f in flotillas
            .map(|f| f.flotillas.as_slice())
            .unwrap_or_default()
        {
            for k in &f.crossings {
                self.ferries.insert(*k, (f.side, f.crossing_km));
            }
        }
        self
    }

    /// Takes these river edges out of the ferried crossings (a flotilla with no room left
    /// this turn); returns what was taken, for [`Occupancy::reopen_ferries`].
    pub fn close_ferries(
        &mut self,
        edges: &std::collections::BTreeSet<(Hex, Hex)>,
    ) -> Vec<((Hex, Hex), (Side, f64))> {
        edges
            .iter()
            .filter_map(|k| self.ferries.remove(k).map(|v| (*k, v)))
            .collect()
    }

    /// Puts back crossings taken out by [`Occupancy::close_ferries`].
    pub fn reopen_ferries(&mut self, closed: Vec<((Hex, Hex), (Side, f64))>) {
        self.ferries.extend(closed);
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
        let enemy = crate::scenario::load::opposite(u.side);
        self.regions.lock().retain(|((side, _), _)| *side != enemy);
        let s = side_ix(u.side);
        let pts = stacking_points(rules, u.kind);
        if let Some(i) = map.index(at) {
            let p = &mut self.points[i][s];
            *p = if add { *p + pts } else { p.saturating_sub(pts) };
        }
        if Self::exerts_zoc(rules, u) {
            for h in at.neighbors().into_iter().chain([at]) {
                if let Some(i) = map.index(h) {
                    let z = &mut self.zoc[i][s];
                    *z = if add { *z + 1 } else { z.saturating_sub(1) };
                }
            }
        }
    }

    pub fn points(&self, map: &Map, h: Hex, side: Side) -> u32 {
        map.index(h).map_or(0, |i| self.points[i][side_ix(side)])
    }

    pub fn enemy_in(&self, map: &Map, h: Hex, side: Side) -> bool {
        self.points(map, h, crate::scenario::load::opposite(side)) > 0
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
        let enemy = side_ix(crate::scenario::load::opposite(side));
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

    /// Whether the hex lies in a zone of control of `side`'s enemy.
    pub fn enemy_zoc(&self, map: &Map, h: Hex, side: Side) -> bool {
        map.index(h)
            .is_some_and(|i| self.zoc[i][side_ix(crate::scenario::load::opposite(side))] > 0)
    }
}

/// Whether a unit of `mobility` can step between the neighbouring `a` and `b` in one direction
/// or the other. Weather changes what a step costs, never whether it can be taken.
fn joined(map: &Map, rules: &RulesFile, steps: &StepTable, a: Hex, b: Hex) -> bool {
    steps.step(map, rules, a, b, Weather::Dry).is_some()
        || steps.step(map, rules, b, a, Weather::Dry).is_some()
}

/// [`joined`] for the cells `a` and `b` (index and hex), `b` lying in direction `dir` of `a`.
fn joined_towards(
    map: &Map,
    rules: &RulesFile,
    steps: &StepTable,
    a: (usize, Hex),
    dir: usize,
    b: (usize, Hex),
) -> bool {
    steps
        .step_towards(map, rules, &map.cells[a.0], dir, b.1, Weather::Dry)
        .is_some()
        || steps
            .step_towards(
                map,
                rules,
                &map.cells[b.0],
                (dir + 3) % 6,
                a.1,
                Weather::Dry,
            )
            .is_some()
}

pub fn kind_def(rules: &RulesFile, kind: UnitKind) -> KindDef {
    rules.unit_kinds.get(&kind).copied().unwrap_or(KindDef {
        mobility: Mobility::Foot,
        stacking: 1,
        marches_without_fuel: true,
    })
}

pub fn stacking_points(rules: &RulesFile, kind: UnitKind) -> u32 {
    kind_def(rules, kind).stacking
}

/// How the unit moves now: its own means, or on foot when its vehicles have no fuel; `None`
/// when it cannot move at all.
pub fn effective_mobility(rules: &RulesFile, u: &UnitView) -> Option<Mobility> {
    let k = kind_def(rules, u.kind);
    let needs_fuel = matches!(k.mobility, Mobility::Motorised | Mobility::Tracked);
    if needs_fuel && u.fuel_t <= 1e-6 && burn_t_per_km(rules, &u.strength) > 0.0 {
        k.marches_without_fuel.then_some(Mobility::Foot)
    } else {
        Some(k.mobility)
    }
}

/// Movement allowance for one turn, km of movement cost.
pub fn allowance_km(rules: &RulesFile, mobility: Mobility, turn_hours: u32) -> f64 {
    rules.march_km_per_12h.get(mobility).unwrap_or(0.0) * turn_hours as f64 / 12.0
}

/// Fuel a unit's tanks and vehicles burn per km of movement cost, t.
pub fn burn_t_per_km(rules: &RulesFile, s: &Strength) -> f64 {
    let v = &rules.vehicles;
    (s.tanks as f64 * v.tank_refill_t * v.tank_refills_per_100km
        + s.vehicles as f64 * v.vehicle_refill_t * v.vehicle_refills_per_100km)
        / 100.0
}

/// The cost of one step between neighbouring hexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Movement cost, km.
    pub km: f64,
    /// An unbridged river crossing that takes the whole turn.
    pub whole_turn: Option<RiverClass>,
}

/// Cost for `mobility` to step from `from` into the neighbouring `to` in the given weather
/// (of the hex entered); `None` if it cannot.
pub fn step_cost(
    map: &Map,
    rules: &RulesFile,
    mobility: Mobility,
    from: Hex,
    to: Hex,
    weather: Weather,
) -> Option<Step> {
    let edge = map.edge(from, to)?;
    let cell = map.cell(to)?;
    let mult = ground_multiple(
        rules,
        mobility,
        cell.terrain,
        cell.pass,
        weather,
        edge.road,
        edge.rail.is_some(),
    )?;
    Some(with_crossing(rules, edge, map.hex_km() * mult))
}

/// The multiple of the hex width it costs `mobility` to enter a hex of `terrain` (holding a
/// pass or not) in `weather`, by the cheapest way the edge offers (off the road, along a road
/// of `road`'s class, along the railway embankment); `None` where it cannot.
fn ground_multiple(
    rules: &RulesFile,
    mobility: Mobility,
    terrain: TerrainKind,
    pass: bool,
    weather: Weather,
    road: Option<crate::model::map::RoadClass>,
    rail: bool,
) -> Option<f64> {
    use crate::model::map::RoadClass;
    let effect = rules.weather.get(&weather);
    // Rain turns open ground and dirt tracks to mud; main roads suffer less.
    let mud = effect
        .and_then(|e| e.ground_cost.get(mobility))
        .unwrap_or(1.0);
    let main_mud = effect.map_or(1.0, |e| e.main_road_cost);
    let mountain_pass = pass && terrain == TerrainKind::Mountains;
    let rough = if mountain_pass {
        rules.pass_road_factor
    } else {
        None
    }
    .or_else(|| rules.road_terrain_factor.get(&terrain).copied())
    .unwrap_or(1.0);
    let off_road = if mountain_pass {
        rules.pass_cost.get(mobility)
    } else {
        rules.terrain_cost.get(&terrain)?.get(mobility)
    }
    .map(|c| c * mud);
    let on_road = road.and_then(|r| {
        let m = if r == RoadClass::Main { main_mud } else { mud };
        rules
            .road_cost
            .get(&r)?
            .get(mobility)
            .map(|c| c * rough * m)
    });
    // The raised railway embankment stays passable in any weather: after the rains it was
    // "the only passable route" [DAINES-209].
    let on_rail = rail
        .then(|| rules.rail_bed_cost.get(mobility).map(|c| c * rough))
        .flatten();
    if matches!(terrain, TerrainKind::Sea | TerrainKind::Lake) {
        return None;
    }
    [off_road, on_road, on_rail]
        .into_iter()
        .flatten()
        .min_by(f64::total_cmp)
}

/// A step of `km` across the edge, with what crossing its river adds.
fn with_crossing(rules: &RulesFile, edge: crate::model::map::Edge, mut km: f64) -> Step {
    let mut whole_turn = None;
    if let Some(river) = edge.river {
        let bridged = edge.road.is_some() || edge.rail.is_some();
        if bridged {
            km += rules.bridged_crossing_km;
        } else {
            match rules.river_crossing.get(&river) {
                Some(Crossing::Km(k)) => km += k,
                Some(Crossing::WholeTurn) => whole_turn = Some(river),
                None => {}
            }
        }
    }
    Step { km, whole_turn }
}

/// Every kind of ground, in declaration order (their index in [`StepTable`]).
const TERRAINS: [TerrainKind; 10] = TerrainKind::ALL;
const WEATHERS: [Weather; 3] = [Weather::Dry, Weather::Rain, Weather::Downpour];
const ROADS: [Option<crate::model::map::RoadClass>; 3] = [
    None,
    Some(crate::model::map::RoadClass::Main),
    Some(crate::model::map::RoadClass::Track),
];

/// [`step_cost`] for one mobility with the rules looked up once for every kind of ground,
/// weather and way: a route search takes thousands of steps, and reading the rules' maps at
/// each one was most of its cost.
#[derive(Debug, Clone)]
pub struct StepTable {
    /// [`ground_multiple`] by (terrain, pass, weather, road, rail), see [`StepTable::slot`].
    multiple: Vec<Option<f64>>,
}

impl StepTable {
    pub fn new(rules: &RulesFile, mobility: Mobility) -> Self {
        let mut multiple = vec![None; TERRAINS.len() * 2 * WEATHERS.len() * ROADS.len() * 2];
        for &t in &TERRAINS {
            for pass in [false, true] {
                for &w in &WEATHERS {
                    for &road in &ROADS {
                        for rail in [false, true] {
                            multiple[Self::slot(t, pass, w, road, rail)] =
                                ground_multiple(rules, mobility, t, pass, w, road, rail);
                        }
                    }
                }
            }
        }
        StepTable { multiple }
    }

    /// The table's index of a kind of ground, weather and way: plain arithmetic on the kinds'
    /// declaration order, which [`TERRAINS`], [`WEATHERS`] and [`ROADS`] follow (a unit test
    /// holds them to it), since a route search asks it at every step.
    fn slot(
        t: TerrainKind,
        pass: bool,
        w: Weather,
        road: Option<crate::model::map::RoadClass>,
        rail: bool,
    ) -> usize {
        use crate::model::map::RoadClass;
        let r = match road {
            None => 0,
            Some(RoadClass::Main) => 1,
            Some(RoadClass::Track) => 2,
        };
        ((((t as usize) * 2 + pass as usize) * WEATHERS.len() + w as usize) * ROADS.len() + r) * 2
            + rail as usize
    }

    /// The same as [`step_cost`] for this table's mobility.
    pub fn step(
        &self,
        map: &Map,
        rules: &RulesFile,
        from: Hex,
        to: Hex,
        weather: Weather,
    ) -> Option<Step> {
        let dir = from.direction_to(to)?;
        self.step_towards(map, rules, map.cell(from)?, dir, to, weather)
    }

    /// [`StepTable::step`] across an edge whose going is known: the same sums in the same
    /// order ([`with_crossing`] adds its km to the ground's), from two array reads.
    fn step_on(&self, e: &EdgeGoing, hex_km: f64, weather: Weather) -> Option<Step> {
        let mult = self.multiple[e.slot? as usize + WEATHER_STRIDE * weather as usize]?;
        Some(Step {
            km: hex_km * mult + e.crossing_km,
            whole_turn: e.whole_turn,
        })
    }

    /// [`StepTable::step`] from a cell already looked up, towards its neighbour in direction
    /// `dir` (which is `to`): the route search's inner loop.
    pub fn step_towards(
        &self,
        map: &Map,
        rules: &RulesFile,
        from: &crate::model::map::Cell,
        dir: usize,
        to: Hex,
        weather: Weather,
    ) -> Option<Step> {
        let edge = from.edges[dir];
        let cell = map.cell(to)?;
        let mult = self.multiple[Self::slot(
            cell.terrain,
            cell.pass,
            weather,
            edge.road,
            edge.rail.is_some(),
        )]?;
        Some(with_crossing(rules, edge, map.hex_km() * mult))
    }
}

/// What a march along a path achieves under the rules of one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct MarchPlan {
    /// Hexes actually entered.
    pub entered: Vec<Hex>,
    pub cost_km: f64,
    pub ground_km: f64,
    pub fuel_t: f64,
    /// Why it stopped before the end of the path, if it did.
    pub stop: Option<(HaltReason, Option<OrderRejected>)>,
}

/// Walks `path` from the unit's hex under this turn's rules, stopping where the rules stop
/// it. `strict` is for player orders, which are refused rather than cut short.
#[allow(clippy::too_many_arguments)]
pub fn plan_march(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    u: &UnitView,
    path: &[Hex],
    turn_hours: u32,
) -> MarchPlan {
    let mut plan = MarchPlan {
        entered: Vec::new(),
        cost_km: 0.0,
        ground_km: 0.0,
        fuel_t: 0.0,
        stop: None,
    };
    let Some(mobility) = effective_mobility(rules, u) else {
        plan.stop = Some((
            HaltReason::OutOfFuel,
            Some(OrderRejected::OutOfFuel {
                unit: u.name.clone(),
            }),
        ));
        return plan;
    };
    let uses_fuel =
        mobility != Mobility::Foot || kind_def(rules, u.kind).mobility == Mobility::Foot;
    let fuel_bound = matches!(mobility, Mobility::Motorised | Mobility::Tracked);
    let allowance = allowance_km(rules, mobility, turn_hours);
    let burn = if uses_fuel {
        burn_t_per_km(rules, &u.strength)
    } else {
        0.0
    };
    let mut at = u.hex;
    let start_in_zoc = occ.enemy_zoc(map, at, u.side);
    for (i, &next) in path.iter().enumerate() {
        let reject = |r: OrderRejected, why: HaltReason| Some((why, Some(r)));
        if !map.contains(next) {
            plan.stop = reject(OrderRejected::OffMap { at: next }, HaltReason::PathBlocked);
            break;
        }
        if at.distance(next) != 1 {
            plan.stop = reject(
                OrderRejected::NotAdjacent {
                    unit: u.name.clone(),
                    from: at,
                    to: next,
                },
                HaltReason::PathBlocked,
            );
            break;
        }
        let Some(step) = occ
            .steps(rules, mobility)
            .step(map, rules, at, next, weather.at(map, next))
            .map(|s| occ.ferried(map, rules, at, next, u.side, s))
        else {
            plan.stop = reject(
                OrderRejected::Impassable {
                    unit: u.name.clone(),
                    at: next,
                    terrain: map.cell(next).map_or(TerrainKind::Sea, |c| c.terrain),
                    mobility: format!("{mobility:?}").to_lowercase(),
                },
                HaltReason::PathBlocked,
            );
            break;
        };
        if occ.enemy_in(map, next, u.side) {
            plan.stop = reject(
                OrderRejected::EnemyOccupied {
                    unit: u.name.clone(),
                    at: next,
                },
                HaltReason::PathBlocked,
            );
            break;
        }
        let here_zoc = if i == 0 {
            start_in_zoc
        } else {
            occ.enemy_zoc(map, at, u.side)
        };
        if here_zoc && occ.enemy_zoc(map, next, u.side) && i > 0 {
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        if i == 0 && start_in_zoc && occ.enemy_zoc(map, next, u.side) {
            // Sliding along the enemy's front from one covered hex to the next is not allowed.
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        let first = i == 0;
        let cost = match step.whole_turn {
            Some(river) if !first => {
                plan.stop = reject(
                    OrderRejected::RiverNeedsWholeTurn {
                        unit: u.name.clone(),
                        river: format!("{river:?} river").to_lowercase(),
                    },
                    HaltReason::MovementSpent,
                );
                break;
            }
            Some(_) => allowance,
            None => step.km,
        };
        // A unit with its full allowance may always make one step, however costly.
        if plan.cost_km + cost > allowance + 1e-9 && !first {
            plan.stop = reject(
                OrderRejected::TooFar {
                    unit: u.name.clone(),
                    needed: plan.cost_km
                        + path[i..].windows(2).fold(cost, |acc, w| {
                            acc + step_cost(map, rules, mobility, w[0], w[1], weather.at(map, w[1]))
                                .map_or(0.0, |s| s.km)
                        }),
                    available: allowance,
                },
                HaltReason::MovementSpent,
            );
            break;
        }
        let fuel = cost.min(allowance) * burn;
        if fuel_bound && plan.fuel_t + fuel > u.fuel_t + 1e-9 {
            plan.stop = reject(
                OrderRejected::NotEnoughFuel {
                    unit: u.name.clone(),
                    needed: plan.fuel_t + path[i..].len() as f64 * map.hex_km() * burn.max(0.0),
                    available: u.fuel_t,
                },
                HaltReason::OutOfFuel,
            );
            break;
        }
        plan.fuel_t += fuel.min((u.fuel_t - plan.fuel_t).max(0.0));
        plan.cost_km += cost;
        plan.ground_km += map.center(at).distance_km(map.center(next));
        plan.entered.push(next);
        at = next;
        let last = i + 1 == path.len();
        if step.whole_turn.is_some() && !last {
            plan.stop = reject(
                OrderRejected::RiverNeedsWholeTurn {
                    unit: u.name.clone(),
                    river: "river".into(),
                },
                HaltReason::MovementSpent,
            );
            break;
        }
        if occ.enemy_zoc(map, next, u.side) && !last {
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at: next,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        if first && plan.cost_km >= allowance && !last {
            plan.stop = reject(
                OrderRejected::TooFar {
                    unit: u.name.clone(),
                    needed: plan.cost_km,
                    available: allowance,
                },
                HaltReason::MovementSpent,
            );
            break;
        }
    }
    plan
}

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

/// A march decided this phase: a path from an order, or a route from a standing order.
pub(super) enum March {
    Path(Vec<Hex>),
    Toward(Hex),
}

/// Carries out the marches of the side to move, unit by unit in id order.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn execute_moves(
    map: Res<Map>,
    rules: Res<Rules>,
    weather: Res<CurrentWeather>,
    mut ledger: ResMut<crate::model::logistics::FuelLedger>,
    mut rail: ResMut<crate::model::logistics::RailCaptures>,
    cal: Res<Calendar>,
    pending: Res<PendingOrders>,
    flotillas: Option<Res<crate::model::logistics::RiverFlotillas>>,
    intel: Option<Res<crate::model::intel::Intel>>,
    switches: Res<crate::scenario::whatif::Switches>,
    mut log: ResMut<EventLog>,
    mut units: Query<(
        &UnitId,
        &UnitName,
        &Allegiance,
        &Kind,
        &mut Position,
        &Strength,
        &mut Stocks,
        &Readiness,
        Option<&Destination>,
    )>,
    mut commands: Commands,
    index: Res<super::index::UnitIndex>,
    going: Res<Going>,
) {
    let rules = &rules.0;
    let mut views: Vec<UnitView> = units
        .iter()
        .filter(|(.., s, _, _, _)| s.men > 0)
        .map(|(id, n, a, k, p, s, st, r, d)| UnitView {
            id: *id,
            name: n.0.clone(),
            side: a.side,
            kind: k.0,
            hex: p.0,
            strength: *s,
            fuel_t: st.fuel_t,
            readiness: r.0,
            destination: d.map(|d| d.0),
        })
        .collect();
    views.sort_by_key(|u| u.id);
    let mut occ =
        Occupancy::sharing(&going, &map, rules, &views).with_ferries(flotillas.as_deref());
    // Standing orders are routed round the enemy the side knows of, where it last saw him; a
    // march that runs into an enemy it did not know of stops there, in contact.
    // (Without fog the side knows everything, and the true occupancy serves.)
    let mut known_occ: Option<Occupancy> = match intel.as_deref() {
        Some(intel) if rules.fog.is_some() && switches.on("fog") => {
            let known: Vec<UnitView> = views
                .iter()
                .filter_map(|v| {
                    if v.side == cal.active {
                        return Some(v.clone());
                    }
                    let seen = intel.side(cal.active).known.get(&v.id)?;
                    Some(UnitView {
                        hex: seen.hex,
                        ..v.clone()
                    })
                })
                .collect();
            Some(Occupancy::sharing(&going, &map, rules, &known).with_ferries(flotillas.as_deref()))
        }
        _ => None,
    };
    let flotillas: Vec<crate::model::logistics::RiverFlotilla> =
        flotillas.map(|f| f.flotillas.clone()).unwrap_or_default();
    // Men each flotilla can still carry across this turn; units march in id order, and one
    // too big for the room left crosses unaided.
    let mut lift_left: Vec<u32> = flotillas.iter().map(|f| f.men_per_turn).collect();
    let entity_of = |id: &UnitId| index.get(*id).expect("every unit id has an entity");
    let dry = CurrentWeather {
        cells: vec![Weather::Dry; map.cells.len()],
    };
    let mut marches: BTreeMap<UnitId, March> = BTreeMap::new();
    for o in &pending.orders {
        match o {
            Order::Move { unit, path } => {
                marches.insert(*unit, March::Path(path.clone()));
            }
            Order::MoveTo { unit, to } => {
                marches.insert(*unit, March::Toward(*to));
            }
            // A detachment taking off or embarking leaves its standing orders behind.
            Order::Hold { unit }
            | Order::AirLanding { unit, .. }
            | Order::SeaLanding { unit, .. } => {
                marches.remove(unit);
                if let Some(e) = index.get(*unit) {
                    commands.entity(e).remove::<Destination>();
                }
            }
            Order::Airlift { .. }
            | Order::Attack { .. }
            | Order::TransferFuel { .. }
            | Order::EndTurn => {}
        }
    }
    for u in views.iter().filter(|u| u.side == cal.active) {
        if marches.contains_key(&u.id) {
            continue;
        }
        if let Some(d) = u.destination
            && !pending.orders.contains(&Order::Hold { unit: u.id })
        {
            marches.insert(u.id, March::Toward(d));
        }
    }
    let now = time::iso_local(cal.now());
    let turn = cal.turn;
    let mut push = |e: GameEvent| {
        log.events.push(LoggedEvent {
            turn,
            time: now.clone(),
            event: e,
        })
    };
    for (id, march) in marches {
        let Some(u) = views.iter().find(|v| v.id == id).cloned() else {
            continue;
        };
        if u.side != cal.active {
            continue;
        }
        let (path, standing) = match march {
            March::Path(p) => (p, None),
            March::Toward(to) => {
                if u.hex == to {
                    continue;
                }
                let plan_occ = known_occ.as_mut().unwrap_or(&mut occ);
                plan_occ.remove(&map, rules, &u, u.hex);
                // Routes are planned on the map's ordinary going, as staffs planned them; the
                // weather of the day then decides how far along it the unit gets.
                let route = find_route(&map, rules, &dry, plan_occ, &u, to, cal.turn_hours);
                plan_occ.add(&map, rules, &u, u.hex);
                match route {
                    Some(r) => (r, Some(to)),
                    None => {
                        push(GameEvent::UnitHalted {
                            unit: id,
                            at: u.hex,
                            reason: HaltReason::Blocked,
                        });
                        continue;
                    }
                }
            }
        };
        occ.remove(&map, rules, &u, u.hex);
        let full: Vec<usize> = (0..flotillas.len())
            .filter(|&i| flotillas[i].side == u.side && lift_left[i] < u.strength.men)
            .collect();
        let closed: Vec<_> = full
            .iter()
            .flat_map(|&i| occ.close_ferries(&flotillas[i].crossings))
            .collect();
        let mut plan = plan_march(&map, rules, &weather, &occ, &u, &path, cal.turn_hours);
        // Do not end the march in an overstacked hex: stop at the last hex with room.
        let room = |h: Hex| {
            occ.points(&map, h, u.side) + stacking_points(rules, u.kind) <= rules.stacking_limit
        };
        if plan.entered.last().is_some_and(|&h| !room(h)) {
            let mut keep = plan.entered.clone();
            while keep.last().is_some_and(|&h| !room(h)) {
                keep.pop();
            }
            plan = plan_march(&map, rules, &weather, &occ, &u, &keep, cal.turn_hours);
            plan.stop = Some((HaltReason::Blocked, None));
        }
        occ.reopen_ferries(closed);
        // The boats that carried the unit over have that much less room this turn.
        let mut at = u.hex;
        for &next in &plan.entered {
            let key = (at.min(next), at.max(next));
            let by_boat = map
                .edge(at, next)
                .is_some_and(|e| e.river.is_some() && e.road.is_none() && e.rail.is_none());
            if by_boat
                && let Some(i) = (0..flotillas.len()).find(|&i| {
                    flotillas[i].side == u.side
                        && !full.contains(&i)
                        && flotillas[i].crossings.contains(&key)
                })
            {
                lift_left[i] = lift_left[i].saturating_sub(u.strength.men);
            }
            at = next;
        }
        let end = plan.entered.last().copied().unwrap_or(u.hex);
        occ.add(&map, rules, &u, end);
        if let Some(known) = known_occ.as_mut() {
            known.remove(&map, rules, &u, u.hex);
            known.add(&map, rules, &u, end);
        }
        let (_, _, _, _, mut pos, _, mut stocks, _, _) = units
            .get_mut(entity_of(&id))
            .expect("every unit id has an entity");
        if end != u.hex {
            let burned = plan.fuel_t.min(stocks.fuel_t);
            stocks.fuel_t -= burned;
            ledger.side(u.side).burned_moving_t += burned;
            // Railway hexes the unit passes are taken from the side that owned them.
            for h in &plan.entered {
                let on_rail = map
                    .cell(*h)
                    .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()));
                if !on_rail {
                    continue;
                }
                let holder = rail.taken.get(h).map(|(s, _)| *s).or(map.initial_owner(*h));
                if holder != Some(u.side) {
                    rail.taken.insert(*h, (u.side, cal.turn));
                }
            }
            pos.0 = end;
            push(GameEvent::UnitMoved {
                unit: id,
                from: u.hex,
                to: end,
                path: plan.entered.clone(),
                km: round_to(plan.ground_km, 1),
                fuel_used_t: round_to(plan.fuel_t, 2),
            });
            if stocks.fuel_t <= 1e-6 && plan.fuel_t > 0.0 {
                push(GameEvent::FuelExhausted { unit: id, at: end });
            }
        }
        match standing {
            Some(to) if end == to => {
                push(GameEvent::DestinationReached { unit: id, at: end });
                commands.entity(entity_of(&id)).remove::<Destination>();
            }
            Some(to) => {
                commands.entity(entity_of(&id)).insert(Destination(to));
                if let Some((reason, _)) = plan.stop
                    && reason != HaltReason::MovementSpent
                {
                    push(GameEvent::UnitHalted {
                        unit: id,
                        at: end,
                        reason,
                    });
                }
            }
            None => {
                if let Some((reason, _)) = plan.stop {
                    push(GameEvent::UnitHalted {
                        unit: id,
                        at: end,
                        reason,
                    });
                }
            }
        }
    }
}

/// Rounds to `digits` decimals, so reports and logs carry no floating-point noise.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_table_indexes_every_kind_of_ground_weather_and_way_apart() {
        for (i, t) in TERRAINS.iter().enumerate() {
            assert_eq!(*t as usize, i, "{t:?} out of declaration order");
        }
        for (i, w) in WEATHERS.iter().enumerate() {
            assert_eq!(*w as usize, i, "{w:?} out of declaration order");
        }
        let mut seen = std::collections::BTreeSet::new();
        for &t in &TERRAINS {
            for pass in [false, true] {
                for &w in &WEATHERS {
                    for &road in &ROADS {
                        for rail in [false, true] {
                            let i = StepTable::slot(t, pass, w, road, rail);
                            let dry = StepTable::slot(t, pass, Weather::Dry, road, rail);
                            assert_eq!(i, dry + WEATHER_STRIDE * w as usize, "{w:?}'s stride");
                            assert!(i < TERRAINS.len() * 2 * WEATHERS.len() * ROADS.len() * 2);
                            assert!(seen.insert(i), "two kinds share slot {i}");
                        }
                    }
                }
            }
        }
    }
}
