//! Air and sea landings and the airlift of fuel to the spearheads that have outrun their
//! supply.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;

use super::context::*;
use crate::model::logistics::*;
use crate::model::*;
use crate::rules::combat::odds;
use crate::rules::movement::UnitView;
use crate::scenario::load::refill_t;
use crate::scenario::schema::{Mobility, SidePlan};

/// A spearhead is given airlifted fuel once it holds less than one refill (what its tanks
/// and vehicles carry when full)...
pub(super) const LIFT_BELOW_REFILLS: f64 = 1.0;

/// ...and is flown enough to hold one and a half: the next bound and a margin, so that the
/// aircraft are not sent back to the same unit at the next turn (a choice of this AI, not a
/// documented figure).
pub(super) const LIFT_UP_TO_REFILLS: f64 = 1.5;

/// The fleet's landing troops put ashore at the plan's ports, in order: where the beach is
/// empty as far as the side knows, or the odds with the fleet's guns are good enough.
pub(super) fn sea_landings(world: &World, ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    if ctx.rules.sea_landing.is_none() || plan.sea_landing_targets.is_empty() || ctx.surprise {
        return Vec::new();
    }
    let fleets = world.resource::<SeaTransport>().fleets.clone();
    let afloat = world.resource::<Landings>().at_sea.clone();
    let mut taken: BTreeSet<Hex> = afloat.iter().map(|f| f.target).collect();
    let mut orders = Vec::new();
    for fleet in fleets.iter().filter(|f| f.side == side) {
        let support = crate::rules::sea_landings::landing_support(world, fleet.formation);
        let mut embarked = 0;
        // The fleet's own landing troops, waiting at one of its ports.
        for u in ctx.units.iter().filter(|u| {
            u.side == side
                && !afloat.iter().any(|f| f.unit == u.id)
                && ctx
                    .parents
                    .get(&u.id)
                    .is_some_and(|p| ctx.oob.chain(*p).any(|f| f.id == fleet.formation))
        }) {
            let Some(port) = fleet.ports.iter().copied().find(|b| {
                ctx.control.owner[b.0 as usize] == Some(side)
                    && ctx.map.place(*b).hex.distance(u.hex) <= 1
            }) else {
                continue;
            };
            let from = ctx.map.place(port).at;
            let target = plan.sea_landing_targets.iter().find_map(|name| {
                let p = ctx.map.place_named(name)?;
                if taken.contains(&p.hex)
                    || ctx.control.owner[p.id.0 as usize] == Some(side)
                    || from.distance_km(p.at) > fleet.range_km
                {
                    return None;
                }
                let defenders = ctx.enemies_in(p.hex, side);
                if defenders.is_empty() {
                    return Some(p.hex);
                }
                let o = odds(
                    ctx.rules,
                    ctx.map,
                    ctx.weather,
                    ctx.oob,
                    &[(u.clone(), ctx.ammo.get(&u.id).copied().unwrap_or(1.0))],
                    &defenders,
                    p.hex,
                    ctx.surprise,
                );
                let r = (o.attack * support.attack_factor + support.gunfire) / o.defence;
                (r >= plan.attack_odds).then_some(p.hex)
            });
            let Some(target) = target else { continue };
            let order = Order::SeaLanding {
                fleet: fleet.formation,
                port,
                unit: u.id,
                target,
            };
            if crate::rules::sea_landings::validate_sea_landing(world, u, &order, embarked).is_err()
            {
                continue;
            }
            embarked += u.strength.men;
            taken.insert(target);
            orders.push(order);
        }
    }
    orders
}

/// Detachments flown into the plan's cities once their garrisons have heard the cease-fire
/// (or the city stands empty after the broadcast).
pub(super) fn air_landings(world: &World, ctx: &Ctx, plan: &SidePlan, side: Side) -> Vec<Order> {
    let Some(lr) = ctx.rules.air_landing.clone() else {
        return Vec::new();
    };
    // The order to cease fire must have reached the enemy's command, and every unit of a
    // garrison must have heard it.
    let ceasefire = world.resource::<CeasefireState>();
    if plan.air_landing_targets.is_empty()
        || !crate::rules::ceasefire::broadcast_made(world)
        || ceasefire.formations.is_empty()
    {
        return Vec::new();
    }
    let heard = &ceasefire.units;
    let mut lift: BTreeMap<usize, f64> = BTreeMap::new();
    let flying = world.resource::<Landings>().clone();
    let fleets = world.resource::<AirTransport>().fleets.clone();
    let mut taken: BTreeSet<PlaceId> = flying.in_flight.iter().map(|f| f.place).collect();
    let snapshot_all = {
        let Some(mut q) = world.try_query_filtered::<(&UnitId, &Allegiance, &Position), InField>()
        else {
            return Vec::new();
        };
        let mut v: Vec<(UnitId, Side, Hex)> =
            q.iter(world).map(|(id, a, p)| (*id, a.side, p.0)).collect();
        v.sort();
        v
    };
    let mut orders = Vec::new();
    for u in ctx.units.iter().filter(|u| {
        u.side == side
            && lr.kinds.contains(&u.kind)
            && u.strength.men <= lr.max_men
            && !flying.in_flight.iter().any(|f| f.unit == u.id)
    }) {
        // A fleet with a base of ours where the detachment stands.
        let Some((fleet, base)) = fleets.iter().filter(|f| f.side == side).find_map(|f| {
            f.bases
                .iter()
                .find(|b| {
                    ctx.control.owner[b.0 as usize] == Some(side)
                        && ctx.map.place(**b).hex.distance(u.hex) <= 1
                })
                .map(|b| (f, *b))
        }) else {
            continue;
        };
        let from = ctx.map.place(base).at;
        let target = plan.air_landing_targets.iter().find_map(|name| {
            let p = ctx.map.place_named(name)?;
            if taken.contains(&p.id)
                || ctx.control.owner[p.id.0 as usize] == Some(side)
                || from.distance_km(p.at) > fleet.range_km
            {
                return None;
            }
            let garrison_heard = snapshot_all
                .iter()
                .filter(|(_, s, h)| *s != side && *h == p.hex)
                .all(|(id, _, _)| heard.contains_key(id));
            garrison_heard.then_some(p.id)
        });
        let Some(place) = target else { continue };
        let order = Order::AirLanding {
            air_army: fleet.formation,
            base,
            unit: u.id,
            place,
        };
        let Ok((fi, tons)) = crate::rules::landings::validate_air_landing(world, u, &order, &lift)
        else {
            continue;
        };
        *lift.entry(fi).or_default() += tons;
        taken.insert(place);
        orders.push(order);
    }
    orders
}

/// Transport aviation to the spearheads that have outrun their supply furthest, priority
/// formations first.
pub(super) fn airlifts(
    world: &World,
    ctx: &Ctx,
    plan: &SidePlan,
    side: Side,
    booked: &BTreeMap<FormationId, f64>,
) -> Vec<Order> {
    let fleets = world.resource::<AirTransport>().fleets.clone();
    let depots = world.resource::<Depots>().clone();
    let cal = world.resource::<Calendar>();
    let mut orders = Vec::new();
    let priority = |u: &UnitView| -> Option<usize> {
        let parent = ctx.parents.get(&u.id)?;
        ctx.oob
            .chain(*parent)
            .find_map(|f| plan.airlift_priority.iter().position(|n| *n == f.name))
    };
    // The spearheads first: within a formation of the plan's priority, the units that have
    // outrun their supply furthest (from the side's nearest depot), then those shortest of
    // fuel. The transports flew fuel to the forward detachments that carried the advance on
    // while the main bodies waited for their lorries ([NEB-68], calibration.md).
    let outrun = |u: &UnitView| {
        let here = ctx.map.center(u.hex);
        depots
            .depots
            .iter()
            .filter(|d| d.side == side)
            .map(|d| ctx.map.center(d.hex).distance_km(here))
            .fold(f64::INFINITY, f64::min)
    };
    // (priority, km outrun, refills on hand, the unit, its refill in tons)
    let mut needy: Vec<(usize, f64, f64, &UnitView, f64)> = ctx
        .units
        .iter()
        .filter(|u| u.side == side)
        .filter(|u| {
            matches!(
                crate::rules::movement::kind_def(ctx.rules, u.kind).mobility,
                Mobility::Motorised | Mobility::Tracked
            )
        })
        .filter_map(|u| {
            let p = priority(u)?;
            let refill = refill_t(ctx.rules, u.strength.tanks, u.strength.vehicles);
            (refill > 0.0 && u.fuel_t < LIFT_BELOW_REFILLS * refill).then_some((
                p,
                u.fuel_t / refill,
                u,
                refill,
            ))
        })
        // Only where transports can land near it, whichever fleet flies.
        .filter(|(_, _, u, _)| {
            crate::rules::airlift::landing_near(ctx.map, ctx.rules, ctx.control, side, u.hex)
                .is_some()
        })
        .map(|(p, refills, u, refill)| (p, outrun(u), refills, u, refill))
        .collect();
    needy.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.total_cmp(&b.2))
            .then(a.3.id.cmp(&b.3.id))
    });
    // Fuel at each base depot, less what this phase's orders take from it.
    let mut stock: BTreeMap<Hex, f64> = BTreeMap::new();
    for d in depots.depots.iter().filter(|d| d.side == side) {
        *stock.entry(d.hex).or_default() += d.fuel_t;
    }
    let flying = |h: Hex| crate::rules::airlift::flying(ctx.rules, ctx.weather.at(ctx.map, h));
    for (fi, f) in fleets
        .iter()
        .enumerate()
        .filter(|(_, f)| f.side == side && f.aircraft > 0)
    {
        // Tons already booked on the fleet this phase: the air landings, then these airlifts.
        let mut used = booked.get(&f.formation).copied().unwrap_or(0.0);
        // An air army's transports serve the front it belongs to.
        let front = ctx.oob.front_of(f.formation).id;
        for (_, _, _, u, refill) in &needy {
            if ctx
                .parents
                .get(&u.id)
                .is_none_or(|p| ctx.oob.front_of(*p).id != front)
            {
                continue;
            }
            let here = ctx.map.center(u.hex);
            let base = f
                .bases
                .iter()
                .filter(|b| ctx.control.owner[b.0 as usize] == Some(side))
                .map(|b| ctx.map.place(*b))
                .filter(|b| stock.get(&b.hex).is_some_and(|t| *t >= f.payload_t))
                .map(|b| (b, b.at.distance_km(here)))
                .filter(|(_, d)| *d <= f.range_km)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((base, _)) = base else { continue };
            // The rules' own reckoning of what the fleet can still fly in this weather.
            let left = crate::rules::airlift::capacity_left(
                ctx.rules,
                f,
                fi,
                &AirliftBooked {
                    tons: [(fi, used)].into(),
                },
                cal.turn_hours,
                flying(base.hex).min(flying(u.hex)),
            )
            .min(stock[&base.hex]);
            let want =
                ((LIFT_UP_TO_REFILLS * refill - u.fuel_t) / f.payload_t).floor() * f.payload_t;
            let tons = want.min((left / f.payload_t).floor() * f.payload_t);
            if tons < f.payload_t {
                continue;
            }
            used += tons;
            *stock.get_mut(&base.hex).expect("the base has a depot") -= tons;
            orders.push(Order::Airlift {
                air_army: f.formation,
                base: base.id,
                to: u.id,
                cargo: Cargo::Fuel,
                tons,
            });
        }
    }
    orders
}
