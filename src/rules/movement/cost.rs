//! The cost of a step between neighbouring hexes by terrain, pass, road, railway, river and
//! weather, for each mobility: [`step_cost`] and its table, [`StepTable`].

use bevy::prelude::*;

use crate::model::logistics::Weather;
use crate::model::map::{Map, RiverClass, TerrainKind};
use crate::model::*;
use crate::scenario::schema::{Crossing, Mobility, RulesFile};

/// A step from a cell to its neighbour in one direction, as far as the ground decides it:
/// the [`StepTable`] slot of the ground entered in dry weather (each weather further on is
/// [`WEATHER_STRIDE`] slots on), and what crossing the edge's river adds.
#[derive(Clone, Copy)]
pub(super) struct EdgeGoing {
    /// The neighbour's cell index; `None` where it is off the map.
    pub(super) to: Option<u32>,
    /// `None` where the neighbour is off the map.
    pub(super) slot: Option<u16>,
    /// The edge crosses a river (a flotilla may ferry it).
    pub(super) river: bool,
    /// The km a river crossing adds (0 where the edge crosses none).
    pub(super) crossing_km: f64,
    pub(super) whole_turn: Option<RiverClass>,
}

/// Slots of the [`StepTable`] between one weather and the next.
const WEATHER_STRIDE: usize = 6;

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
pub(super) fn with_crossing(rules: &RulesFile, edge: crate::model::map::Edge, mut km: f64) -> Step {
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
    pub(super) fn slot(
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
    pub(super) fn step_on(&self, e: &EdgeGoing, hex_km: f64, weather: Weather) -> Option<Step> {
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
