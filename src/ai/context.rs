//! What the AI reads of the world in a phase ([`Ctx`]): the world's resources borrowed, its
//! side's knowledge of the units, and the questions every commander asks of them (odds,
//! routes, whether the enemy bars the way).

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::model::logistics::*;
use crate::model::*;
use crate::rules::combat::{Odds, base_value, in_surprise, odds};
use crate::rules::movement::{Occupancy, UnitView, snapshot};
use crate::scenario::schema::SidePlan;
use crate::scenario::spawn::Rules;

/// What the AI reads of the world in one phase: the world's resources borrowed, and the
/// side's knowledge of the units (its own as they are, the enemy as its intel knows him).
pub(super) struct Ctx<'w> {
    pub(super) map: &'w Map,
    pub(super) rules: &'w crate::scenario::schema::RulesFile,
    pub(super) oob: &'w OrderOfBattle,
    pub(super) control: &'w Control,
    pub(super) weather: &'w CurrentWeather,
    /// The length of a turn, which a route search weighs its steps by, as the order's check
    /// does.
    pub(super) turn_hours: u32,
    pub(super) units: Vec<UnitView>,
    pub(super) parents: BTreeMap<UnitId, FormationId>,
    pub(super) ammo: BTreeMap<UnitId, f64>,
    /// Tons of fuel each of the side's units has room for.
    pub(super) fuel_room: BTreeMap<UnitId, f64>,
    pub(super) occ: Occupancy,
    /// The side's own units only: the ground as if the enemy were not there. Built the first
    /// time a detour is weighed.
    pub(super) occ_unopposed: std::cell::OnceCell<Occupancy>,
    pub(super) going: crate::rules::movement::Going,
    pub(super) flotillas: Option<&'w crate::model::logistics::RiverFlotillas>,
    pub(super) surprise: bool,
    /// Enemy forces the side believes in without having seen them.
    pub(super) believed: Vec<Hex>,
    /// Units that have heard the order to cease fire: they fight no more.
    pub(super) ceased: std::collections::BTreeSet<UnitId>,
}

/// What the AI learns of its units that takes queries of the world (and so `&mut World`),
/// gathered before the rest of the world is borrowed for the phase.
pub(super) struct Known {
    pub(super) units: Vec<UnitView>,
    pub(super) believed: Vec<Hex>,
    pub(super) parents: BTreeMap<UnitId, FormationId>,
    pub(super) ammo: BTreeMap<UnitId, f64>,
    pub(super) fuel_room: BTreeMap<UnitId, f64>,
}

/// The side's own units as they are, and the enemy as its intelligence knows it: units in
/// sight where they stand, others where they were last seen, with the estimated strength.
pub(super) fn known_units(world: &mut World, side: Side) -> (Vec<UnitView>, Vec<Hex>) {
    let mut units = snapshot(world);
    if !crate::rules::fog::fog_on(world) {
        return (units, Vec::new());
    }
    let known = crate::rules::fog::last_known(world, side);
    units.retain(|u| u.side == side || known.iter().any(|k| k.unit == u.id));
    for u in units.iter_mut().filter(|u| u.side != side) {
        if let Some(k) = known.iter().find(|k| k.unit == u.id && !k.visible) {
            u.hex = k.hex;
            u.strength.men = k.men;
            u.strength.tanks = k.tanks;
        }
    }
    let believed = crate::rules::fog::beliefs(world, side)
        .into_iter()
        .map(|(h, _)| h)
        .collect();
    (units, believed)
}

pub(super) fn known(world: &mut World) -> Known {
    let side = world.resource::<Calendar>().active;
    let (units, believed) = known_units(world, side);
    let mut q = world.query::<(&UnitId, &Parent, &Stocks, &Capacity)>();
    let mut parents = BTreeMap::new();
    let mut ammo = BTreeMap::new();
    let mut fuel_room = BTreeMap::new();
    for (id, p, s, c) in q.iter(world) {
        parents.insert(*id, p.0);
        fuel_room.insert(*id, s.fuel_room(c));
        ammo.insert(
            *id,
            if c.ammo_t > 0.0 {
                s.ammo_t / c.ammo_t
            } else {
                1.0
            },
        );
    }
    Known {
        units,
        believed,
        parents,
        ammo,
        fuel_room,
    }
}

pub(super) fn context(world: &World, known: Known) -> Ctx<'_> {
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let flotillas = world.get_resource::<crate::model::logistics::RiverFlotillas>();
    let going = crate::rules::movement::Going::of(world);
    let occ = Occupancy::sharing(&going, map, rules, &known.units).with_ferries(flotillas);
    Ctx {
        surprise: in_surprise(world),
        map,
        rules,
        oob: world.resource::<OrderOfBattle>(),
        control: world.resource::<Control>(),
        weather: world.resource::<CurrentWeather>(),
        turn_hours: world.resource::<Calendar>().turn_hours,
        units: known.units,
        parents: known.parents,
        ammo: known.ammo,
        fuel_room: known.fuel_room,
        occ,
        occ_unopposed: std::cell::OnceCell::new(),
        going,
        flotillas,
        believed: known.believed,
        ceased: crate::rules::ceasefire::ceased(world),
    }
}

impl Ctx<'_> {
    pub(super) fn enemies_in(&self, h: Hex, side: Side) -> Vec<UnitView> {
        self.units
            .iter()
            .filter(|u| u.hex == h && u.side != side)
            .cloned()
            .collect()
    }

    pub(super) fn odds_against(&self, attackers: &[UnitView], target: Hex) -> f64 {
        self.odds_of(attackers, target).ratio
    }

    /// The odds of an attack, with what the works of the hex add to them.
    pub(super) fn odds_of(&self, attackers: &[UnitView], target: Hex) -> Odds {
        let Some(side) = attackers.first().map(|u| u.side) else {
            return Odds {
                attack: 0.0,
                defence: 1.0,
                ratio: 0.0,
                without_works: 1.0,
            };
        };
        let with: Vec<(UnitView, f64)> = attackers
            .iter()
            .map(|u| (u.clone(), self.ammo.get(&u.id).copied().unwrap_or(1.0)))
            .collect();
        odds(
            self.rules,
            self.map,
            self.weather,
            self.oob,
            &with,
            &self.enemies_in(target, side),
            target,
            self.surprise,
        )
    }

    /// Whether the rules would find the unit a route (so the order passes validation).
    ///
    /// A route search looks only at the enemy's counters and their zones of control, so the
    /// phase's occupancy serves every unit as it is (and keeps what one search learns about
    /// the ground for the next).
    pub(super) fn reachable(&self, u: &UnitView, to: Hex) -> bool {
        self.route(u, to, &self.occ).is_some()
    }

    pub(super) fn route(&self, u: &UnitView, to: Hex, occ: &Occupancy) -> Option<Vec<Hex>> {
        crate::rules::movement::find_route(
            self.map,
            self.rules,
            self.weather,
            occ,
            u,
            to,
            self.turn_hours,
        )
    }

    /// Whether the enemy bars the unit's way to `to`: there is no way round it, or (with
    /// `detour`) the way round is more than `detour` times as long as the way through.
    pub(super) fn barred(&self, u: &UnitView, to: Hex, detour: Option<f64>) -> bool {
        let Some(around) = self.route(u, to, &self.occ) else {
            return true;
        };
        let Some(detour) = detour else {
            return false;
        };
        // No way through is shorter than the straight line: a route within `detour` of that
        // is no detour, and needs no second search.
        let around = around.len() as f64;
        if around <= detour * u.hex.distance(to) as f64 {
            return false;
        }
        let unopposed = self.occ_unopposed.get_or_init(|| {
            let own: Vec<UnitView> = self
                .units
                .iter()
                .filter(|x| x.side == u.side)
                .cloned()
                .collect();
            Occupancy::sharing(&self.going, self.map, self.rules, &own).with_ferries(self.flotillas)
        });
        self.route(u, to, unopposed)
            .is_some_and(|through| around > detour * through.len() as f64)
    }

    pub(super) fn fights(&self, u: &UnitView) -> bool {
        !self.ceased.contains(&u.id)
            && !matches!(
                u.kind,
                UnitKind::SupportGroup | UnitKind::FortifiedRegionGarrison
            )
            && base_value(&self.rules.combat, &u.strength, u.readiness) > MIN_FIGHTING_VALUE
    }

    /// The axis a unit follows: the first axis naming a formation in its chain, nearest first.
    pub(super) fn axis<'a>(
        &self,
        plan: &'a SidePlan,
        u: &UnitView,
    ) -> Option<&'a crate::scenario::schema::Axis> {
        let parent = self.parents.get(&u.id)?;
        self.oob
            .chain(*parent)
            .find_map(|f| plan.axes.iter().find(|a| a.formations.contains(&f.name)))
    }
}

/// The first place of an axis not yet in the side's hands.
pub(super) fn next_objective(
    ctx: &Ctx,
    axis: &crate::scenario::schema::Axis,
    side: Side,
) -> Option<Hex> {
    axis.objectives
        .iter()
        .filter_map(|n| ctx.map.place_named(n))
        .find(|p| ctx.control.owner[p.id.0 as usize] != Some(side))
        .map(|p| p.hex)
}

/// Below this combat value (500 men at full readiness, with the historical rules' one point
/// for 1,000 men) a unit is a remnant the commander no longer counts as fighting.
pub(super) const MIN_FIGHTING_VALUE: f64 = 0.5;

/// How far, in hexes, a unit looks for the enemy that bars its way (a few days' march).
pub(super) const BARRING_HORIZON: u32 = 12;

/// How near, in hexes, the enemy must be before a unit already marching asks again whether
/// its way round him is a detour not worth making (about a day's march).
pub(super) const DETOUR_HORIZON: u32 = 4;

/// Among the enemy the side knows of within a few days' march, the hex that lies most nearly
/// on the way from the unit to `to` and that the unit can march up to. A garrison in
/// permanent works is not closed with: works are blockaded and bypassed, not attacked on the
/// march.
pub(super) fn barring_enemy(ctx: &Ctx, u: &UnitView, to: Hex) -> Option<Hex> {
    let in_works = |h: Hex| {
        ctx.rules
            .combat
            .permanent_works(ctx.map.cell(h).map_or(0, |c| c.fort_level))
    };
    let mut near: Vec<Hex> = ctx
        .units
        .iter()
        .filter(|e| {
            e.side != u.side && e.hex.distance(u.hex) <= BARRING_HORIZON && !in_works(e.hex)
        })
        .map(|e| e.hex)
        .collect();
    near.sort_by_key(|h| (h.distance(u.hex) + h.distance(to), *h));
    near.dedup();
    near.into_iter().take(3).find(|h| ctx.reachable(u, *h))
}
