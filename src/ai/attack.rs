//! Attacks: where the odds are good enough to attack, and massing for the attacks the troops
//! in contact are too weak to make.

use std::collections::{BTreeMap, BTreeSet};

use bevy::prelude::*;

use super::context::*;
use crate::model::map::TerrainKind;
use crate::model::*;
use crate::rules::movement::{UnitView, effective_mobility};
use crate::scenario::schema::SidePlan;

/// Attacks: every enemy hex beside our units, strongest odds first; each unit attacks once.
pub(super) fn attacks(
    ctx: &Ctx,
    plan: &SidePlan,
    side: Side,
    barred: &BTreeSet<UnitId>,
) -> Attacks {
    let mine: Vec<&UnitView> = ctx
        .units
        .iter()
        .filter(|u| u.side == side && ctx.fights(u))
        .collect();
    let mut targets: BTreeSet<Hex> = BTreeSet::new();
    for u in &mine {
        for n in u.hex.neighbors() {
            if ctx.occ.enemy_in(ctx.map, n, side) {
                targets.insert(n);
            }
        }
    }
    let mut scored: Vec<(f64, Hex, Vec<UnitView>)> = targets
        .into_iter()
        .map(|t| {
            let group: Vec<UnitView> = mine
                .iter()
                .filter(|u| u.hex.distance(t) == 1)
                .map(|u| (*u).clone())
                .collect();
            (ctx.odds_against(&group, t), t, group)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut used = BTreeSet::new();
    let mut orders = Vec::new();
    let mut short = Vec::new();
    for (_, t, group) in scored {
        let group: Vec<UnitView> = group
            .into_iter()
            .filter(|u| !used.contains(&u.id))
            .collect();
        if group.is_empty() {
            continue;
        }
        let o = ctx.odds_of(&group, t);
        let r = o.ratio;
        let fort = ctx.map.cell(t).map_or(0, |c| c.fort_level);
        let works = ctx.rules.combat.permanent_works(fort);
        // The town in the works' hex can be taken though the works hold, at odds that would
        // drive its defenders out in the open (the battle's rule): the odds needed against
        // the works are those, less what the works add.
        let town_to_take = works
            && ctx
                .map
                .cell(t)
                .and_then(|c| c.place)
                .is_some_and(|p| ctx.control.owner[p.0 as usize] != Some(side));
        let need = if town_to_take {
            (ctx.rules.combat.retreat_odds / o.without_works).min(plan.storm_fort_odds)
        } else if works {
            plan.storm_fort_odds
        } else if group.iter().any(|u| barred.contains(&u.id)) {
            plan.barred_attack_odds.unwrap_or(plan.attack_odds)
        } else {
            plan.attack_odds
        };
        if r >= need {
            used.extend(group.iter().map(|u| u.id));
            orders.push(Order::Attack {
                units: group.iter().map(|u| u.id).collect(),
                target: t,
            });
        } else if !works || town_to_take {
            short.push(ShortAttack {
                target: t,
                group,
                need,
            });
        }
    }
    Attacks {
        orders,
        attacking: used,
        short,
    }
}

/// The attacks a side orders this phase, and those it would make with more troops.
pub(super) struct Attacks {
    pub(super) orders: Vec<Order>,
    pub(super) attacking: BTreeSet<UnitId>,
    /// Enemy hexes beside the side's units that the units there are too weak to attack.
    pub(super) short: Vec<ShortAttack>,
}

pub(super) struct ShortAttack {
    pub(super) target: Hex,
    pub(super) group: Vec<UnitView>,
    pub(super) need: f64,
}

/// How far, in hexes, a commander draws troops from to mass for an attack the troops in
/// contact are too weak to make.
pub(super) const MASSING_RADIUS: u32 = 3;

/// Troops massed for the attacks the units in contact are too weak to make: for each such
/// enemy hex, the nearest free fighting units within reach move up beside it, as many as
/// the odds need; a hex that all of them together could not attack is left alone.
pub(super) fn mass_for_attacks(
    ctx: &Ctx,
    side: Side,
    short: &[ShortAttack],
    busy: &BTreeSet<UnitId>,
) -> BTreeMap<UnitId, Hex> {
    let mut sent: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let in_contact = |u: &UnitView| {
        u.hex
            .neighbors()
            .iter()
            .any(|n| ctx.occ.enemy_in(ctx.map, *n, side))
    };
    for s in short {
        let mut free: Vec<&UnitView> = ctx
            .units
            .iter()
            .filter(|u| {
                u.side == side
                    && ctx.fights(u)
                    && !busy.contains(&u.id)
                    && !sent.contains_key(&u.id)
                    && u.hex.distance(s.target) <= MASSING_RADIUS
                    && !in_contact(u)
                    && effective_mobility(ctx.rules, u).is_some()
            })
            .collect();
        free.sort_by_key(|u| (u.hex.distance(s.target), u.id));
        let mut group = s.group.clone();
        let mut moves = Vec::new();
        for u in free {
            if ctx.odds_against(&group, s.target) >= s.need {
                break;
            }
            let mut around: Vec<Hex> =
                s.target
                    .neighbors()
                    .into_iter()
                    .filter(|h| {
                        ctx.map.cell(*h).is_some_and(|c| {
                            !matches!(c.terrain, TerrainKind::Sea | TerrainKind::Lake)
                        }) && !ctx.occ.enemy_in(ctx.map, *h, side)
                    })
                    .collect();
            around.sort_by_key(|h| (h.distance(u.hex), *h));
            let Some(beside) = around.into_iter().find(|h| ctx.reachable(u, *h)) else {
                continue;
            };
            group.push(u.clone());
            moves.push((u.id, beside));
        }
        if ctx.odds_against(&group, s.target) >= s.need {
            sent.extend(moves);
        }
    }
    sent
}
