//! Battles: the attacks of the side to move resolved with the seeded generator, the losses,
//! retreats, routs and surrenders they cause, and the check of an attack order.

use std::collections::BTreeSet;

use bevy::prelude::*;

use super::odds::*;
use crate::model::logistics::CurrentWeather;
use crate::model::*;
use crate::rules::movement::{Occupancy, UnitView, round_to, snapshot};
use crate::scenario::schema::{CombatRules, RulesFile};
use crate::scenario::spawn::Rules;

/// Takes a share of a unit's men and equipment; returns the losses.
fn inflict(c: &CombatRules, s: &mut Strength, share: f64, side: Side) -> Losses {
    let share = share.clamp(0.0, 1.0);
    let men = (s.men as f64 * share).round() as u32;
    let killed_share = c.killed_share.get(&side).copied().unwrap_or(0.5);
    let killed = (men as f64 * killed_share).round() as u32;
    let tanks = ((s.tanks as f64 * share * c.tank_loss_factor).round() as u32).min(s.tanks);
    let guns = ((s.guns as f64 * share).round() as u32).min(s.guns);
    s.men -= men.min(s.men);
    s.tanks -= tanks;
    s.guns -= guns;
    Losses {
        killed,
        wounded: men - killed,
        tanks,
        guns,
    }
}

fn add(a: &mut Losses, b: Losses) {
    a.killed += b.killed;
    a.wounded += b.wounded;
    a.tanks += b.tanks;
    a.guns += b.guns;
}

/// Fights the attacks ordered this phase, in the order given.
pub fn resolve_attacks(world: &mut World) {
    let attacks: Vec<(Vec<UnitId>, Hex)> = world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter_map(|o| match o {
            Order::Attack { units, target } => Some((units.clone(), *target)),
            _ => None,
        })
        .collect();
    if attacks.is_empty() {
        return;
    }
    for (attacker_ids, target) in attacks {
        let support = Support {
            flotilla: crate::rules::flotilla::supporting_attack(world, &attacker_ids, target),
            ..Support::default()
        };
        fight(world, &attacker_ids, target, support);
    }
}

/// What helps an attack besides the attackers: a fleet's guns and the hazard of a landing
/// from the sea, or a river flotilla's boats on an attack across its river.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Support {
    /// The attackers come from the sea: they need not stand beside the target.
    pub from_sea: bool,
    /// Multiple of the attackers' value (the landing penalty).
    pub attack_factor: f64,
    /// Combat value added to the attack (naval gunfire).
    pub gunfire: f64,
    /// Multiple of the river's defence bonus where a flotilla supports the crossing.
    pub flotilla: Option<f64>,
}

impl Default for Support {
    fn default() -> Self {
        Support {
            from_sea: false,
            attack_factor: 1.0,
            gunfire: 0.0,
            flotilla: None,
        }
    }
}

/// Fights one attack on `target` by those of `attacker_ids` able to make it; returns the
/// result, or `None` if no attack was possible (no attackers left or no enemy there).
pub fn fight(
    world: &mut World,
    attacker_ids: &[UnitId],
    target: Hex,
    support: Support,
) -> Option<BattleResult> {
    let surprise = in_surprise(world);
    // The map, the rules and the order of battle are read throughout while the units are
    // written: they are lent out of the world for the fight rather than copied.
    let result = world.resource_scope(|world, map: Mut<Map>| {
        world.resource_scope(|world, rules: Mut<Rules>| {
            world.resource_scope(|world, oob: Mut<OrderOfBattle>| {
                let ground = (&*map, &rules.0, &*oob);
                fight_on(world, ground, attacker_ids, target, support, surprise)
            })
        })
    });
    // Those the fight destroyed or took prisoner leave the field before the next one.
    crate::rules::retire_fallen(world);
    result
}

/// [`fight`] with the map, the rules and the order of battle lent out of the world.
fn fight_on(
    world: &mut World,
    (map, rules, oob): (&Map, &RulesFile, &OrderOfBattle),
    attacker_ids: &[UnitId],
    target: Hex,
    support: Support,
    surprise: bool,
) -> Option<BattleResult> {
    let c = &rules.combat;
    let cal = world.resource::<Calendar>().clone();
    {
        let units = snapshot(world);
        let weather = world.resource::<CurrentWeather>().clone();
        let side = cal.active;
        let attackers: Vec<UnitView> = units
            .iter()
            .filter(|u| {
                attacker_ids.contains(&u.id)
                    && u.side == side
                    && (support.from_sea || u.hex.distance(target) == 1)
            })
            .cloned()
            .collect();
        let defenders: Vec<UnitView> = units
            .iter()
            .filter(|u| u.hex == target && u.side != side)
            .cloned()
            .collect();
        if attackers.is_empty() || defenders.is_empty() {
            return None;
        }
        let ammo_frac = |world: &mut World, id: UnitId| {
            let mut q = world.query::<(&UnitId, &Stocks, &Capacity)>();
            q.iter(world)
                .find(|(i, ..)| **i == id)
                .map_or(1.0, |(_, s, c)| {
                    if c.ammo_t > 0.0 {
                        s.ammo_t / c.ammo_t
                    } else {
                        1.0
                    }
                })
        };
        let with_ammo: Vec<(UnitView, f64)> = attackers
            .iter()
            .map(|u| (u.clone(), ammo_frac(world, u.id)))
            .collect();
        let mut o = odds(
            rules, map, &weather, oob, &with_ammo, &defenders, target, surprise,
        );
        o.attack = o.attack * support.attack_factor + support.gunfire;
        if let Some(f) = support.flotilla
            && let Some(m) = river_multiple(c, map, &attackers, target)
        {
            o.defence = o.defence / m * (1.0 + (m - 1.0) * f);
        }
        o.ratio = o.attack / o.defence.max(1e-3);
        let luck = {
            let mut rng = world.resource_mut::<GameRng>();
            (c.odds_sigma * crate::rules::dice::standard_normal(&mut rng)).exp()
        };
        let works = c.permanent_works(map.cell(target).map_or(0, |cl| cl.fort_level));
        let place = map.cell(target).and_then(|cl| cl.place);
        let town_held =
            place.is_some_and(|p| world.resource::<Control>().owner[p.0 as usize] != Some(side));
        // Below the odds that storm works, an attack on a works' hex whose town the attacker
        // does not hold is a fight for the town: it is fought, and its losses counted, at the
        // odds against the town's defenders without the works, while the garrison keeps to
        // them (and is sheltered by them from part of its losses).
        let for_town = works && town_held && o.ratio * luck < c.works_storm_odds;
        let r = o.ratio * luck * if for_town { o.without_works } else { 1.0 };
        let att_share = (c.attacker_loss_at_even / r.sqrt()).min(c.max_loss);
        let def_share = (c.defender_loss_at_even * r.sqrt()).min(c.max_loss)
            * if works { c.works_loss_share } else { 1.0 };
        let occ = Occupancy::sharing(
            &crate::rules::movement::Going::of(world),
            map,
            rules,
            &units,
        );
        // Where the defenders could go: a free hex not beside an attacker.
        let escape = |d: &UnitView| -> Option<Hex> {
            target
                .neighbors()
                .into_iter()
                .filter(|h| {
                    map.cell(*h).is_some_and(|cl| {
                        !matches!(
                            cl.terrain,
                            crate::model::map::TerrainKind::Sea
                                | crate::model::map::TerrainKind::Lake
                        )
                    }) && !occ.enemy_in(map, *h, d.side)
                        && !occ.enemy_zoc(map, *h, d.side)
                })
                .min_by_key(|h| {
                    let away: u32 = attackers.iter().map(|a| a.hex.distance(*h)).sum();
                    (std::cmp::Reverse(away), *h)
                })
        };
        let mut result = if r < 1.0 {
            BattleResult::Repulsed
        } else if for_town || r < c.retreat_odds || works && r < c.works_storm_odds {
            BattleResult::Held
        } else if r < c.rout_odds {
            BattleResult::Retreated
        } else {
            BattleResult::Routed
        };
        let mut att_losses = Losses::default();
        let mut def_losses = Losses::default();
        let mut events = Vec::new();
        let mut surrendered_men = 0u32;
        let mut q = world.query::<(
            &UnitId,
            &mut Strength,
            &mut Stocks,
            &Capacity,
            &mut Readiness,
            &mut Position,
            &FullStrength,
        )>();
        let mut emptied = true;
        // In id order, so that the events come in the same order whatever the ECS's order is
        // (it changes as units leave the field).
        let mut rows: Vec<_> = q.iter_mut(world).collect();
        rows.sort_by_key(|r| *r.0);
        for (id, mut s, mut st, cap, mut rd, mut pos, full) in rows {
            if attackers.iter().any(|a| a.id == *id) {
                add(&mut att_losses, inflict(c, &mut s, att_share, side));
                st.ammo_t = (st.ammo_t - cap.ammo_t * c.ammo_loads_attacker).max(0.0);
                rd.0 = (rd.0 - c.attack_readiness).max(0.0);
            } else if let Some(d) = defenders.iter().find(|d| d.id == *id) {
                add(&mut def_losses, inflict(c, &mut s, def_share, d.side));
                st.ammo_t = (st.ammo_t - cap.ammo_t * c.ammo_loads_defender).max(0.0);
                let broken = (s.men as f64) < full.0.men as f64 * c.destroyed_below;
                match result {
                    BattleResult::Retreated | BattleResult::Routed => match escape(d) {
                        Some(to) if !broken => {
                            if result == BattleResult::Routed {
                                rd.0 = (rd.0 - c.rout_readiness).max(0.0);
                            }
                            events.push(GameEvent::UnitRetreated {
                                unit: *id,
                                from: target,
                                to,
                            });
                            pos.0 = to;
                        }
                        _ => {
                            // Nowhere to go: the surrounded give up if they are beaten enough.
                            if rd.0 < c.surrender_readiness
                                || broken
                                || result == BattleResult::Routed
                            {
                                surrendered_men += s.men;
                                events.push(GameEvent::UnitSurrendered {
                                    unit: *id,
                                    at: target,
                                    men: s.men,
                                    reason: SurrenderReason::Surrounded,
                                });
                                // Beaten where it stood: its victors take it.
                                events.push(GameEvent::PrisonersTaken {
                                    unit: *id,
                                    at: target,
                                    men: s.men,
                                    by: attackers[0].id,
                                });
                                s.men = 0;
                            } else {
                                emptied = false;
                            }
                        }
                    },
                    _ => {
                        if broken {
                            events.push(GameEvent::UnitDestroyed {
                                unit: *id,
                                at: target,
                            });
                            s.men = 0;
                        } else {
                            emptied = false;
                        }
                    }
                }
            }
        }
        if emptied
            && matches!(result, BattleResult::Retreated | BattleResult::Routed)
            && surrendered_men > 0
        {
            result = BattleResult::Overrun;
        }
        // Works that hold need not hold the town of their hex: where the odds without the
        // works would have driven the defenders out in the open, the garrison keeps to its
        // works and the town is the attacker's (`rules::control` says for how long).
        if for_town
            && result == BattleResult::Held
            && !emptied
            && r >= c.retreat_odds
            && let Some(place) = place
        {
            let mut control = world.resource_mut::<Control>();
            if control.owner[place.0 as usize] != Some(side) {
                let from = control.change_hands(
                    map.place(place),
                    side,
                    &crate::model::time::iso_local(cal.now()),
                );
                if let Err(at) = control.besieged.binary_search(&place) {
                    control.besieged.insert(at, place);
                }
                events.push(GameEvent::PlaceCaptured {
                    place,
                    name: map.place(place).name.clone(),
                    by: attackers[0].id,
                    from,
                    to: side,
                    works_hold: true,
                });
            }
        }
        // The strongest attacker follows into an emptied hex.
        if emptied && result != BattleResult::Repulsed && result != BattleResult::Held {
            let lead = attackers
                .iter()
                .max_by(|a, b| {
                    base_value(c, &a.strength, a.readiness)
                        .total_cmp(&base_value(c, &b.strength, b.readiness))
                        .then(b.id.cmp(&a.id))
                })
                .map(|u| u.id);
            let mut q = world.query::<(&UnitId, &mut Position)>();
            for (id, mut p) in q.iter_mut(world) {
                if Some(*id) == lead {
                    p.0 = target;
                }
            }
        }
        let mut log = world.resource_mut::<EventLog>();
        let mut all = vec![GameEvent::Battle {
            target,
            attackers: attackers.iter().map(|u| u.id).collect(),
            defenders: defenders.iter().map(|u| u.id).collect(),
            // The odds it was fought at: against the town's defenders in a fight for the town.
            odds: round_to(o.ratio * if for_town { o.without_works } else { 1.0 }, 2),
            result,
            attacker_losses: att_losses,
            defender_losses: def_losses,
        }];
        all.extend(events);
        crate::rules::log_at(&mut log, &cal, all);
        Some(result)
    }
}

/// The river's multiple of the defence when every attacker crosses one, as in [`odds`].
fn river_multiple(c: &CombatRules, map: &Map, attackers: &[UnitView], target: Hex) -> Option<f64> {
    let rivers: Vec<_> = attackers
        .iter()
        .map(|u| map.edge(u.hex, target).and_then(|e| e.river))
        .collect();
    if rivers.is_empty() || !rivers.iter().all(Option::is_some) {
        return None;
    }
    let least = rivers.iter().flatten().min().copied()?;
    c.river_defence.get(&least).copied()
}

/// Checks an attack order.
pub fn validate_attack(
    world: &mut World,
    units: &[UnitId],
    target: Hex,
) -> Result<(), OrderRejected> {
    if units.is_empty() {
        return Err(OrderRejected::NoAttackers);
    }
    let cal = world.resource::<Calendar>().clone();
    let all = snapshot(world);
    if !all.iter().any(|u| u.hex == target && u.side != cal.active) {
        return Err(OrderRejected::NoEnemyThere { at: target });
    }
    let pending = world.resource::<PendingOrders>().clone();
    let mut seen = BTreeSet::new();
    for id in units {
        let Some(u) = all.iter().find(|u| u.id == *id) else {
            return Err(OrderRejected::UnknownUnit(id.0));
        };
        if u.side != cal.active {
            return Err(OrderRejected::NotYourUnit {
                unit: u.name.clone(),
                owner: u.side,
                active: cal.active,
            });
        }
        if !super::in_contact(world, *id, u.side) {
            return Err(OrderRejected::OutOfContact {
                unit: u.name.clone(),
            });
        }
        crate::rules::ceasefire::refuse_if_ceased(world, *id, &u.name)?;
        let attacking = pending
            .orders
            .iter()
            .any(|o| matches!(o, Order::Attack { units, .. } if units.contains(id)));
        if attacking || !seen.insert(*id) {
            return Err(OrderRejected::AlreadyAttacking {
                unit: u.name.clone(),
            });
        }
        // Beside the target now, or at the end of the move it has been given.
        let end = pending
            .orders
            .iter()
            .find_map(|o| match o {
                Order::Move { unit, path } if unit == id => path.last().copied(),
                _ => None,
            })
            .unwrap_or(u.hex);
        if end.distance(target) != 1 {
            return Err(OrderRejected::NotBeside {
                unit: u.name.clone(),
                at: target,
            });
        }
    }
    Ok(())
}
