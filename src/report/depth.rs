//! How deep a front stands in the enemy's country: the measure the sources give ("250–400 km
//! deep by 14 August"). Depth is counted from the ground the side held when the campaign began,
//! not from where each unit started, so a division that marched along its own side of the
//! border has gone nowhere, and a tank army that began 100 km behind the frontier has to cover
//! those 100 km before it is any depth at all.

use std::collections::{BTreeMap, VecDeque};

use bevy::prelude::World;

use crate::model::map::Map;
use crate::model::*;
use crate::scenario::spawn::Rules;

/// Per map cell, the distance in km to the nearest cell that `side`'s countries held at the
/// start (0 on that ground), measured across hexes.
#[derive(Debug, Clone)]
pub struct DepthField {
    km: Vec<f64>,
}

impl DepthField {
    pub fn new(map: &Map, side: Side) -> Self {
        let n = map.cells.len();
        let mut steps = vec![u32::MAX; n];
        let mut queue = VecDeque::new();
        for (i, c) in map.cells.iter().enumerate() {
            let owner = c.country.and_then(|k| map.countries[k as usize].owner);
            if owner == Some(side) {
                steps[i] = 0;
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            for nb in map.hex_of_index(i).neighbors() {
                if let Some(j) = map.index(nb)
                    && steps[j] == u32::MAX
                {
                    steps[j] = steps[i] + 1;
                    queue.push_back(j);
                }
            }
        }
        let w = map.hex_km();
        DepthField {
            km: steps
                .into_iter()
                .map(|s| if s == u32::MAX { 0.0 } else { s as f64 * w })
                .collect(),
        }
    }

    /// How far beyond the side's own starting ground the hex lies, in km.
    pub fn km(&self, map: &Map, h: Hex) -> f64 {
        map.index(h).map_or(0.0, |i| self.km[i])
    }
}

/// [`DepthField`] of each side: a front's depth is measured from its own side's ground.
#[derive(Debug, Clone)]
pub struct DepthFields([DepthField; 2]);

impl DepthFields {
    pub fn new(map: &Map) -> Self {
        DepthFields(Side::BOTH.map(|s| DepthField::new(map, s)))
    }

    /// How far beyond `side`'s own starting ground the hex lies, in km.
    pub fn km(&self, map: &Map, side: Side, h: Hex) -> f64 {
        self.0[side as usize].km(map, h)
    }
}

/// The fronts of the order of battle, of either side, in its order, and the front each of
/// their units belongs to.
pub struct Fronts {
    pub names: Vec<String>,
    /// The side of each front.
    pub sides: Vec<Side>,
    /// Each unit's front, as an index into `names`.
    pub of_unit: BTreeMap<UnitId, usize>,
}

/// The fronts in order of battle order, and the front each of their units belongs to.
/// Air-landing detachments are left out: where they land shows how far the aircraft flew, not
/// how far the front advanced.
pub fn front_units(world: &World) -> Fronts {
    let oob = world.resource::<OrderOfBattle>();
    let flown: Vec<UnitKind> = world
        .resource::<Rules>()
        .0
        .air_landing
        .as_ref()
        .map(|r| r.kinds.clone())
        .unwrap_or_default();
    let fronts = crate::scenario::measures::fronts(oob);
    let of_unit = world
        .iter_entities()
        .filter_map(|e| {
            Some((
                *e.get::<UnitId>()?,
                e.get::<Parent>()?.0,
                e.get::<Kind>()?.0,
            ))
        })
        .filter(|(_, _, k)| !flown.contains(k))
        .filter_map(|(u, p, _)| {
            let f = oob.front_of(p).id;
            fronts.iter().position(|x| x.id == f).map(|i| (u, i))
        })
        .collect();
    Fronts {
        names: fronts.iter().map(|f| f.name.clone()).collect(),
        sides: fronts.iter().map(|f| f.side).collect(),
        of_unit,
    }
}
