//! The Japanese commander: hold the fortified regions and passes, redeploy to the redoubt out
//! of contact, delay in contact and give ground by bounds, counter-attack when the odds are
//! good, and stop once the Emperor has spoken.

use std::collections::BTreeSet;

use bevy::prelude::*;

use super::attack::*;
use super::context::*;
use crate::model::map::TerrainKind;
use crate::model::*;
use crate::rules::combat::base_value;
use crate::rules::movement::UnitView;
use crate::scenario::spawn::Plans;

pub(super) fn japanese(world: &mut World) -> Vec<Order> {
    let plans = world.get_resource::<Plans>().cloned().unwrap_or_default();
    let plan = plans.0.japanese;
    let redeployment = world
        .resource::<crate::scenario::whatif::Switches>()
        .on(crate::scenario::whatif::Switch::Redeployment);
    let known = known(world);
    let world: &World = world;
    let ctx = context(world, known);
    let side = Side::Japanese;
    let enemy = side.enemy();
    // Units that have heard the order to cease fire neither attack (`ctx.fights`) nor move;
    // the rest fight on, as Kwantung HQ chose to until the order reached it.
    let a = attacks(&ctx, &plan, side, &BTreeSet::new());
    let (mut orders, attacking) = (a.orders, a.attacking);
    let redoubt: Vec<Hex> = plan
        .redoubt
        .iter()
        .filter_map(|n| ctx.map.place_named(n))
        .filter(|p| ctx.control.owner[p.id.0 as usize] == Some(side))
        .map(|p| p.hex)
        .collect();
    let enemy_units: Vec<&UnitView> = ctx.units.iter().filter(|u| u.side == enemy).collect();
    for u in ctx.units.iter().filter(|u| u.side == side) {
        if attacking.contains(&u.id) || ctx.ceased.contains(&u.id) {
            continue;
        }
        // The nearest enemy: the enemy it knows of, and the enemy it believes in.
        let near = enemy_units
            .iter()
            .map(|e| e.hex)
            .chain(ctx.believed.iter().copied())
            .map(|h| h.distance(u.hex))
            .min()
            .unwrap_or(u32::MAX);
        // Fortified regions and mountain passes are held, not given up for a bound. Permanent
        // works need one garrison: a field division that shares them with fortress troops
        // leaves them to those troops and manoeuvres with the field army.
        let (fort, pass) = ctx
            .map
            .cell(u.hex)
            .map_or((0, false), |c| (c.fort_level, c.pass));
        let relieved = u.kind == UnitKind::InfantryDivision
            && ctx.rules.combat.permanent_works(fort)
            && ctx.units.iter().any(|g| {
                g.side == side
                    && g.hex == u.hex
                    && g.id != u.id
                    && is_fortress_troops(g.kind)
                    && ctx.fights(g)
            });
        // A unit marching back through a pass with the enemy following stands there.
        if pass && u.destination.is_some() && near <= CONTACT_HEXES {
            orders.push(Order::Hold { unit: u.id });
            continue;
        }
        if fort > 0 && !relieved
            || pass
            || matches!(u.kind, UnitKind::BorderGarrison)
            || u.readiness < ctx.rules.zoc_min_readiness
        {
            continue;
        }
        // Outmatched beside the enemy, or with the enemy closing in: fall back on the redoubt.
        let threat: f64 = enemy_units
            .iter()
            .filter(|e| e.hex.distance(u.hex) == 1)
            .map(|e| base_value(&ctx.rules.combat, &e.strength, e.readiness))
            .sum();
        // A unit of no value left is outmatched by any threat, not divided by zero.
        let own = base_value(&ctx.rules.combat, &u.strength, u.readiness).max(0.1);
        // Beside the enemy a unit delays where it stands until outmatched; out of contact, the
        // main force carries on its redeployment to the redoubt.
        // A division relieved of works by their garrison falls back as if outmatched.
        let beaten = threat / own >= plan.fall_back_odds || relieved;
        let redeploying = redeployment && near > CONTACT_HEXES;
        if !(beaten || redeploying) {
            continue;
        }
        let Some(&redoubt_hex) = redoubt.iter().min_by_key(|h| (h.distance(u.hex), **h)) else {
            continue;
        };
        // Driven back, a unit gives ground by a bound and delays again on the best ground
        // behind it; only out of contact does it march on to the redoubt.
        let to = if beaten {
            fall_back_bound(&ctx, u, redoubt_hex, &enemy_units).unwrap_or(redoubt_hex)
        } else {
            redoubt_hex
        };
        if to == u.hex || u.destination == Some(to) {
            continue;
        }
        orders.push(Order::MoveTo { unit: u.id, to });
    }
    orders
}

/// Within this many hexes of the enemy a unit is in contact: it delays rather than march on
/// to the redoubt, and holds a pass it is marching through.
pub(super) const CONTACT_HEXES: u32 = 6;

/// Troops raised to hold works: border garrisons and the independent mixed brigades that
/// garrison the fortified regions.
fn is_fortress_troops(kind: UnitKind) -> bool {
    matches!(
        kind,
        UnitKind::BorderGarrison | UnitKind::IndependentMixedBrigade
    )
}

/// How far, in hexes, a unit driven back gives ground before it stands again.
pub(super) const FALL_BACK_BOUND: u32 = 3;

/// Where a unit driven back stands next: within a bound, nearer its redoubt, out of the
/// known enemy's reach, on the ground that most helps the defence (a fortified region, a town,
/// mountains or forest), the nearest to the redoubt among equals.
pub(super) fn fall_back_bound(
    ctx: &Ctx,
    u: &UnitView,
    redoubt: Hex,
    enemy: &[&UnitView],
) -> Option<Hex> {
    let c = &ctx.rules.combat;
    let now = u.hex.distance(redoubt);
    let defence = |h: Hex| -> f64 {
        ctx.map
            .cell(h)
            .map_or(0.0, |cell| crate::rules::combat::ground_defence(c, cell))
    };
    let mut best: Option<(f64, u32, Hex)> = None;
    for h in u.hex.within(FALL_BACK_BOUND) {
        let to_redoubt = h.distance(redoubt);
        if to_redoubt >= now
            || ctx
                .map
                .cell(h)
                .is_none_or(|cell| matches!(cell.terrain, TerrainKind::Sea | TerrainKind::Lake))
            || enemy.iter().any(|e| e.hex.distance(h) <= 1)
        {
            continue;
        }
        let d = defence(h);
        let better = best.is_none_or(|(bd, br, bh)| {
            d > bd + 1e-9 || (d > bd - 1e-9 && (to_redoubt, h) < (br, bh))
        });
        if better && ctx.reachable(u, h) {
            best = Some((d, to_redoubt, h));
        }
    }
    best.map(|(_, _, h)| h)
}
