//! The going of the map's ground under the game's rules, worked out once a game and shared:
//! [`Going`].

use bevy::prelude::*;

use super::cost::*;
use crate::model::logistics::Weather;
use crate::model::map::Map;
use crate::model::*;
use crate::scenario::schema::{Mobility, RulesFile};

/// The going of the map's ground under the game's rules, for each mobility: the step costs,
/// which neighbours a unit can step between, and the regions those steps join around a
/// given set of enemy-held hexes. It depends on the map and the rules only, which do not
/// change in a game, so it is worked out once (each part on first use) and shared by every
/// occupancy the rules, the AI and the window build: a resource of the world. It also keeps
/// the game's route searches (`routes`), each by everything it read.
#[derive(Resource, Clone, Default)]
pub struct Going(pub(super) std::sync::Arc<GoingTables>);

#[derive(Default)]
pub(super) struct GoingTables {
    /// By `Mobility as usize`.
    pub(super) steps: [std::sync::OnceLock<StepTable>; 4],
    /// By `Mobility as usize`: per map cell, bit `d` set where a step joins the cell and its
    /// neighbour in direction `d`, one way or the other, in dry weather (see [`joined`]).
    pub(super) joined: [std::sync::OnceLock<Vec<u8>>; 4],
    /// Per map cell and direction, what a step there is whatever the mobility: see
    /// [`EdgeGoing`].
    pub(super) edges: std::sync::OnceLock<Vec<[EdgeGoing; 6]>>,
    /// Region labels already flooded, by the mobility and the exact set of hexes the enemy
    /// holds (cell indices, ascending): the ground between two phases or two occupancies of
    /// the same enemy positions is flooded once. The latest few are kept.
    pub(super) regions: std::sync::Mutex<Vec<((Mobility, Vec<u32>), std::sync::Arc<Vec<u32>>)>>,
    /// Route searches already made in this game, by everything a search reads: see
    /// [`super::route::find_route`].
    pub(super) routes: std::sync::Mutex<RouteMemory>,
    /// The ferried crossings of the flotillas last asked for, and their digests per side
    /// (see [`Occupancy::with_ferries`](super::Occupancy::with_ferries)).
    pub(super) ferries: std::sync::Mutex<Option<KeptFerries>>,
}

/// River edges a flotilla sails, (lower hex, higher hex): its side and the movement km a
/// ferried crossing costs.
pub(super) type Ferries = std::collections::BTreeMap<(Hex, Hex), (Side, f64)>;

/// Flotillas, the crossings they ferry and the digest of those for each side.
pub(super) type KeptFerries = (
    crate::model::logistics::RiverFlotillas,
    std::sync::Arc<Ferries>,
    [u128; 2],
);

/// Flooded regions kept in [`GoingTables::regions`].
pub(super) const REGIONS_KEPT: usize = 8;

impl Going {
    /// The world's going (a fresh one for a world without the rules' plugin).
    pub fn of(world: &World) -> Going {
        world.get_resource::<Going>().cloned().unwrap_or_default()
    }

    /// The ferried crossings worked out for these flotillas, if they are the last asked for.
    pub(super) fn ferries_for(
        &self,
        flotillas: &crate::model::logistics::RiverFlotillas,
    ) -> Option<(std::sync::Arc<Ferries>, [u128; 2])> {
        let kept = self.0.ferries.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(f, _, _)| f == flotillas)
            .map(|(_, ferries, marks)| (ferries.clone(), *marks))
    }

    /// Keeps the ferried crossings worked out for these flotillas.
    pub(super) fn keep_ferries(
        &self,
        flotillas: &crate::model::logistics::RiverFlotillas,
        ferries: std::sync::Arc<Ferries>,
        marks: [u128; 2],
    ) {
        *self.0.ferries.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((flotillas.clone(), ferries, marks));
    }

    pub(super) fn steps(&self, rules: &RulesFile, mobility: Mobility) -> &StepTable {
        self.0.steps[mobility as usize].get_or_init(|| StepTable::new(rules, mobility))
    }

    pub(super) fn edges(&self, map: &Map, rules: &RulesFile) -> &[[EdgeGoing; 6]] {
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

    pub(super) fn joined(&self, map: &Map, rules: &RulesFile, mobility: Mobility) -> &[u8] {
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

/// The map's ground as the rules see it, cell by cell, for a search that floods much of the
/// map (the supply field): each cell's neighbours by index and what a step to one costs, from
/// the edges the game's [`Going`] worked out once, rather than from the map's cells and the
/// rules at every step. River crossings are as the ground has them (no flotilla ferries).
pub struct Ground<'a> {
    edges: &'a [[EdgeGoing; 6]],
    hex_km: f64,
}

impl Ground<'_> {
    /// The index of cell `ix`'s neighbour in direction `dir`; `None` off the map.
    pub fn neighbour(&self, ix: usize, dir: usize) -> Option<usize> {
        self.edges[ix][dir].to.map(|i| i as usize)
    }

    /// The step from cell `ix` to its neighbour in direction `dir` for the mobility of
    /// `steps`, in the `weather` of the cell entered: the same as [`StepTable::step`].
    pub fn step(&self, steps: &StepTable, ix: usize, dir: usize, weather: Weather) -> Option<Step> {
        steps.step_on(&self.edges[ix][dir], self.hex_km, weather)
    }
}

impl Going {
    /// The map's ground for searches over its cells (see [`Ground`]).
    pub fn ground<'a>(&'a self, map: &Map, rules: &RulesFile) -> Ground<'a> {
        Ground {
            edges: self.edges(map, rules),
            hex_km: map.hex_km(),
        }
    }
}

/// Whether a unit of `mobility` can step between the neighbouring `a` and `b` in one direction
/// or the other. Weather changes what a step costs, never whether it can be taken.
pub(super) fn joined(map: &Map, rules: &RulesFile, steps: &StepTable, a: Hex, b: Hex) -> bool {
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

/// What a route search is remembered by (see [`super::route::find_route`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct RouteKey {
    pub(super) from: Hex,
    pub(super) to: Hex,
    pub(super) side: Side,
    pub(super) mobility: crate::scenario::schema::Mobility,
    pub(super) turn_hours: u32,
    /// Index of the weather in [`RouteMemory::weathers`].
    pub(super) weather: usize,
    pub(super) obstacles: u128,
    pub(super) ferries: u128,
}

/// The route searches of a game (kept with its [`Going`]), and the weathers they were
/// made in, by their digests.
#[derive(Default)]
pub(super) struct RouteMemory {
    weathers: Vec<u64>,
    pub(super) routes: std::collections::HashMap<RouteKey, Option<Vec<Hex>>>,
}

impl RouteMemory {
    /// The index of this weather among those remembered, added if new; the memory starts
    /// afresh when it holds too many. Weathers are told apart by their 64-bit digests (two
    /// different weathers of one game sharing one is as likely as two random numbers of 64
    /// bits being equal).
    pub(super) fn weather_index(
        &mut self,
        weather: &crate::model::logistics::CurrentWeather,
    ) -> usize {
        if let Some(i) = self.weathers.iter().position(|w| *w == weather.digest()) {
            return i;
        }
        if self.weathers.len() >= WEATHERS_KEPT {
            self.weathers.clear();
            self.routes.clear();
        }
        self.weathers.push(weather.digest());
        self.weathers.len() - 1
    }
}

/// Route searches remembered before the memory starts afresh.
pub(super) const ROUTES_KEPT: usize = 50_000;

/// Weathers remembered (the day's and the dry map of planning, and a few before them).
const WEATHERS_KEPT: usize = 6;
