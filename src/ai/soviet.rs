//! The Soviet commander: fuel to the forward detachments, each formation along its axis,
//! attacks, massing, fighting through an enemy who bars the way, and the air and sea lift.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;

use super::attack::*;
use super::context::*;
use super::lift::*;
use crate::model::*;
use crate::rules::movement::{UnitView, effective_mobility};
use crate::scenario::load::refill_t;
use crate::scenario::schema::SidePlan;
use crate::scenario::spawn::Plans;

/// Forward detachments: where the lead unit of a formation (the strongest in armour of those
/// nearest the formation's next objective) is short of fuel, the formation's units beside it
/// hand it theirs, so that it at least goes on while the main body waits for the lorries and
/// the transports.
pub(super) fn forward_detachments(ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    let Some(rule) = &plan.forward_detachments else {
        return Vec::new();
    };
    let refill = |u: &UnitView| refill_t(ctx.rules, u.strength.tanks, u.strength.vehicles);
    let mut by_parent: BTreeMap<FormationId, Vec<&UnitView>> = BTreeMap::new();
    for u in ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u) && refill(u) > 0.0)
    {
        if let Some(p) = ctx.parents.get(&u.id) {
            by_parent.entry(*p).or_default().push(u);
        }
    }
    let mut orders = Vec::new();
    for units in by_parent.values() {
        let Some(goal) = units
            .first()
            .and_then(|u| ctx.axis(plan, u))
            .and_then(|axis| next_objective(ctx, axis, side))
        else {
            continue;
        };
        // The lead: the strongest in armour of the units at the head of the formation.
        let Some(head) = units.iter().map(|u| u.hex.distance(goal)).min() else {
            continue;
        };
        let Some(lead) = units
            .iter()
            .filter(|u| u.hex.distance(goal) <= head + 1)
            .min_by_key(|u| (std::cmp::Reverse(u.strength.tanks), u.id))
        else {
            continue;
        };
        if lead.fuel_t >= rule.below_refills * refill(lead) {
            continue;
        }
        let room = ctx.fuel_room.get(&lead.id).copied().unwrap_or(0.0);
        let want = (rule.fill_refills * refill(lead) - lead.fuel_t).min(room);
        let donors = units
            .iter()
            .filter(|u| u.id != lead.id && u.hex.distance(lead.hex) <= 1 && u.fuel_t > 0.0)
            .copied()
            .collect();
        orders.extend(crate::rules::fuel_transfer::fill_from(
            donors, lead.id, want,
        ));
    }
    orders
}

/// Whether a unit marches on its formation's axis at all: front rear services and
/// fortified-region garrisons stay at their posts, and air-landing detachments wait at their
/// airfields for the transports.
fn marches_on_axis(ctx: &Ctx, u: &UnitView) -> bool {
    let Some(&parent) = ctx.parents.get(&u.id) else {
        return false;
    };
    let front_level = matches!(ctx.oob.get(parent).kind, FormationKind::Front);
    let flown = ctx
        .rules
        .air_landing
        .as_ref()
        .is_some_and(|r| r.kinds.contains(&u.kind));
    !(u.kind == UnitKind::FortifiedRegionGarrison
        || (u.kind == UnitKind::SupportGroup && front_level)
        || flown)
}

/// Where an axis goes for several objectives abreast ([`Axis::abreast`]), the units marching
/// on it shared out among the first of its objectives not yet taken, once the head of the
/// formation is near enough: evenly, each objective to the units relatively nearest it. The
/// index of each unit's objective in the axis's list; units of axes that go for one at a
/// time are not in it.
///
/// [`Axis::abreast`]: crate::scenario::schema::Axis::abreast
fn share_objectives(
    ctx: &Ctx,
    plan: &SidePlan,
    side: Side,
    marchers: &[&UnitView],
) -> BTreeMap<UnitId, usize> {
    let mut shares = BTreeMap::new();
    for axis in plan.axes.iter().filter(|a| a.abreast > 1) {
        let units: Vec<&UnitView> = marchers
            .iter()
            .copied()
            .filter(|u| ctx.axis(plan, u).is_some_and(|a| std::ptr::eq(a, axis)))
            .collect();
        // The axis's next objectives: not yet in the side's hands, or taken while their
        // works hold out.
        let open: Vec<(usize, Hex)> = axis
            .objectives
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((i, ctx.map.place_named(n)?)))
            .filter(|(_, p)| {
                ctx.control.owner[p.id.0 as usize] != Some(side)
                    || ctx.control.besieged.contains(&p.id)
            })
            .map(|(i, p)| (i, p.hex))
            .take(axis.abreast)
            .collect();
        let Some(&(_, first)) = open.first() else {
            continue;
        };
        let Some(head) = units.iter().map(|u| u.hex.distance(first)).min() else {
            continue;
        };
        // The formation closes on its next objective in one body, and fans out to the ones
        // beside it once its head is as near the first as they are to each other.
        let open: Vec<(usize, Hex)> = open
            .into_iter()
            .enumerate()
            .filter(|(j, (_, h))| *j == 0 || first.distance(*h) >= head)
            .map(|(_, o)| o)
            .collect();
        // Each objective but the last takes its share of the units that are nearer to it, by
        // the most, than to any objective after it; the last takes the rest. (With two
        // objectives, the split that marches least in all.)
        let room = units.len().div_ceil(open.len());
        let d = |u: &UnitView, k: usize| u.hex.distance(open[k].1) as i64;
        let mut left: Vec<&UnitView> = units;
        for k in 0..open.len() {
            if k + 1 < open.len() {
                let ahead = |u: &UnitView| (k + 1..open.len()).map(|j| d(u, j)).min().unwrap_or(0);
                left.sort_by_key(|u| (d(u, k) - ahead(u), d(u, k), u.id));
            }
            let n = if k + 1 < open.len() {
                room.min(left.len())
            } else {
                left.len()
            };
            for u in left.drain(..n) {
                shares.insert(u.id, open[k].0);
            }
        }
    }
    shares
}

pub(super) fn soviet(world: &mut World) -> Vec<Order> {
    let plans = world.get_resource::<Plans>().cloned().unwrap_or_default();
    let plan = plans.0.soviet;
    let known = known(world);
    let world: &World = world;
    let mut ctx = context(world, known);
    let side = Side::Soviet;
    // Fuel changes hands first, so the forward detachments march on what they are given.
    let transfers = forward_detachments(&ctx, &plan, side);
    for o in &transfers {
        if let Order::TransferFuel { from, to, tons } = o {
            for u in ctx.units.iter_mut() {
                if u.id == *from {
                    u.fuel_t -= tons;
                } else if u.id == *to {
                    u.fuel_t += tons;
                }
            }
        }
    }
    let ctx = ctx;
    // Units in contact whose way to their axis's next objective the enemy bars.
    let barred: BTreeSet<UnitId> = ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u))
        .filter(|u| {
            u.hex
                .neighbors()
                .iter()
                .any(|n| ctx.occ.enemy_in(ctx.map, *n, side))
        })
        .filter(|u| {
            ctx.axis(&plan, u)
                .and_then(|axis| next_objective(&ctx, axis, side))
                .is_some_and(|to| {
                    to != u.hex
                        && effective_mobility(ctx.rules, u).is_some()
                        && ctx.barred(u, to, plan.barred_detour)
                })
        })
        .map(|u| u.id)
        .collect();
    let Attacks {
        orders: attack_orders,
        attacking,
        short,
    } = attacks(&ctx, &plan, side, &barred);
    let mut orders = transfers;
    orders.extend(attack_orders);
    let massing = mass_for_attacks(&ctx, side, &short, &attacking);
    let blockaders: BTreeSet<Hex> = BTreeSet::new();
    let mut blockaded = blockaders;
    let marchers: Vec<&UnitView> = ctx
        .units
        .iter()
        .filter(|u| u.side == side && !attacking.contains(&u.id) && !massing.contains_key(&u.id))
        .filter(|u| marches_on_axis(&ctx, u))
        .collect();
    let shares = share_objectives(&ctx, &plan, side, &marchers);
    for u in ctx.units.iter().filter(|u| u.side == side) {
        if attacking.contains(&u.id) {
            continue;
        }
        if let Some(&h) = massing.get(&u.id) {
            if h != u.hex && u.destination != Some(h) {
                orders.push(Order::MoveTo { unit: u.id, to: h });
            }
            continue;
        }
        if !marches_on_axis(&ctx, u) {
            continue;
        }
        let Some(axis) = ctx.axis(&plan, u) else {
            continue;
        };
        // The objective the unit's share of the axis gives it first, then the rest in order.
        let mine = shares.get(&u.id).copied();
        let objectives = mine.iter().map(|&i| &axis.objectives[i]).chain(
            axis.objectives
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != mine)
                .map(|(_, n)| n),
        );
        // The first objective not yet in Soviet hands, skipping fortresses left to a blockade.
        let mut target = None;
        for name in objectives {
            let Some(p) = ctx.map.place_named(name) else {
                continue;
            };
            // A town taken while its works hold out is still to be watched.
            if ctx.control.owner[p.id.0 as usize] == Some(side)
                && !ctx.control.besieged.contains(&p.id)
            {
                continue;
            }
            let fort = ctx.map.cell(p.hex).map_or(0, |c| c.fort_level);
            let held = ctx.occ.enemy_in(ctx.map, p.hex, side);
            if held && ctx.rules.combat.permanent_works(fort) {
                // One unit blockades it; the rest bypass it.
                if u.hex.distance(p.hex) == 1 && !blockaded.contains(&p.hex) {
                    blockaded.insert(p.hex);
                    target = Some(u.hex);
                    break;
                }
                if u.hex.distance(p.hex) > 1 && !blockaded.contains(&p.hex) {
                    target = Some(p.hex);
                    break;
                }
                continue;
            }
            target = Some(p.hex);
            break;
        }
        let Some(to) = target else { continue };
        if to == u.hex {
            // Where it stands is where it is wanted (a blockade): it stops marching.
            if u.destination.is_some() {
                orders.push(Order::Hold { unit: u.id });
            }
            continue;
        }
        // A unit already on its way carries on, unless it has come close to the enemy: then
        // its way round him may be a detour not worth making.
        let marching = u.destination == Some(to);
        let enemy_near = || {
            ctx.units
                .iter()
                .any(|e| e.side != side && e.hex.distance(u.hex) <= DETOUR_HORIZON)
        };
        if marching && (plan.barred_detour.is_none() || !enemy_near()) {
            continue;
        }
        if effective_mobility(ctx.rules, u).is_none() {
            continue;
        }
        if ctx.barred(u, to, plan.barred_detour) {
            // The enemy bars the way: close with the nearest of the enemy between the unit
            // and its objective, to attack it next turn.
            if plan.barred_attack_odds.is_some()
                && let Some(h) = barring_enemy(&ctx, u, to)
            {
                if u.destination != Some(h) {
                    orders.push(Order::MoveTo { unit: u.id, to: h });
                }
                continue;
            }
            // Nobody to close with: the way round, if there is one.
            if !ctx.reachable(u, to) {
                continue;
            }
        }
        if !marching {
            orders.push(Order::MoveTo { unit: u.id, to });
        }
    }
    let landings = air_landings(world, &ctx, &plan, side);
    let mut booked: BTreeMap<FormationId, f64> = BTreeMap::new();
    for o in &landings {
        if let Order::AirLanding { air_army, unit, .. } = o
            && let Some(u) = ctx.units.iter().find(|u| u.id == *unit)
        {
            *booked.entry(*air_army).or_default() +=
                crate::rules::landings::lift_tons(world, u.strength.men);
        }
    }
    orders.extend(landings);
    orders.extend(sea_landings(world, &ctx, &plan, side));
    orders.extend(airlifts(world, &ctx, &plan, side, &booked));
    orders
}
