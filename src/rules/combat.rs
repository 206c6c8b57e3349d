//! Combat: attacks resolved from men, tanks, guns and air support, with terrain, rivers,
//! fortification, ammunition, readiness, surprise and weather; losses, retreat, rout and
//! surrender of the surrounded.

use std::collections::BTreeSet;

use bevy::prelude::*;
use rand::RngExt;

use super::movement::{Occupancy, UnitView, round_to, snapshot};
use super::{ResolveTurn, TurnPhase};
use crate::model::logistics::{CurrentWeather, Weather};
use crate::model::*;
use crate::scenario::load::opposite;
use crate::scenario::schema::{CombatRules, RulesFile};
use crate::scenario::spawn::Rules;
use crate::scenario::whatif::Switches;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (resolve_attacks, strike_armour)
            .chain()
            .in_set(TurnPhase::Combat),
    );
}

/// A unit's combat value before terrain and circumstance.
pub fn base_value(c: &CombatRules, s: &Strength, readiness: f64) -> f64 {
    let raw = s.men as f64 / 1000.0 * c.value_per_1000_men
        + s.tanks as f64 * c.value_per_tank
        + s.guns as f64 * c.value_per_gun
        + s.mrl as f64 * c.value_per_mrl;
    let mut v = raw * (c.readiness_floor + (1.0 - c.readiness_floor) * readiness.clamp(0.0, 1.0));
    if readiness < c.low_readiness {
        v *= c.low_readiness_factor;
    }
    v
}

/// How much the ground multiplies a defence: its terrain, a town, its fortification.
pub fn ground_defence(c: &CombatRules, cell: &crate::model::map::Cell) -> f64 {
    let mut d = c.terrain_defence.get(&cell.terrain).copied().unwrap_or(1.0);
    if cell.place.is_some() {
        d *= c.place_defence;
    }
    d * (1.0 + c.fort_defence_per_level * cell.fort_level as f64)
}

/// Whether the surprised side's commanders are still away.
pub fn in_surprise(world: &World) -> bool {
    let cal = world.resource::<Calendar>();
    let rules = &world.resource::<Rules>().0;
    world
        .resource::<Switches>()
        .on(crate::scenario::whatif::Switch::Surprise)
        && ((cal.now() - cal.start).num_minutes() as f64) < rules.combat.surprise_hours * 60.0
}

/// Whether a side has air superiority (by the combat aircraft of its air armies).
pub fn air_superiority(oob: &OrderOfBattle, rules: &RulesFile, side: Side) -> bool {
    let planes = |s: Side| -> f64 {
        oob.formations
            .iter()
            .filter(|f| f.side == s)
            .map(|f| (f.aircraft.saturating_sub(f.transport_aircraft)) as f64)
            .sum()
    };
    planes(side) > rules.combat.air_superiority_ratio * planes(opposite(side)).max(1.0)
}

/// The odds of an attack, with what went into them, for the attack order, the AI and the
/// GUI's preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Odds {
    pub attack: f64,
    pub defence: f64,
    pub ratio: f64,
}

#[allow(clippy::too_many_arguments)]
pub fn odds(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
) -> Odds {
    odds_noting(
        rules,
        map,
        weather,
        oob,
        attackers,
        defenders,
        target,
        surprise,
        |_| {},
    )
}

/// One thing that multiplied the attack or the defence, in words, for the odds' breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct OddsFactor {
    /// On the attack's side (else the defence's).
    pub attack: bool,
    pub what: String,
    pub times: f64,
}

/// The odds with every factor that went into them, for the attack preview.
#[allow(clippy::too_many_arguments)]
pub fn odds_explained(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
) -> (Odds, Vec<OddsFactor>) {
    let mut factors = Vec::new();
    let o = odds_noting(
        rules,
        map,
        weather,
        oob,
        attackers,
        defenders,
        target,
        surprise,
        |f| factors.push(f),
    );
    (o, factors)
}

/// The odds, telling `note` each factor (a no-op for the rules and the AI).
#[allow(clippy::too_many_arguments)]
fn odds_noting(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
    mut note: impl FnMut(OddsFactor),
) -> Odds {
    let c = &rules.combat;
    let Some(side) = attackers.first().map(|(u, _)| u.side) else {
        return Odds {
            attack: 0.0,
            defence: 1.0,
            ratio: 0.0,
        };
    };
    let w = weather.at(map, target);
    let flying = rules.weather.get(&w).map_or(1.0, |e| e.flying);
    let mut attack: f64 = attackers
        .iter()
        .map(|(u, ammo_frac)| {
            base_value(c, &u.strength, u.readiness)
                * (c.ammo_floor + (1.0 - c.ammo_floor) * ammo_frac.clamp(0.0, 1.0))
        })
        .sum();
    let mut factor = |attack: bool, what: String, times: f64| {
        if (times - 1.0).abs() > 1e-9 {
            note(OddsFactor {
                attack,
                what,
                times,
            });
        }
        times
    };
    if air_superiority(oob, rules, side) {
        attack *= factor(
            true,
            "air superiority".into(),
            1.0 + c.air_superiority_bonus * flying,
        );
    }
    if w != Weather::Dry {
        attack *= factor(true, format!("{w}"), c.rain_attack);
    }
    let cell = map.cell(target).expect("targets are on the map");
    let mut defence: f64 = defenders
        .iter()
        .map(|u| base_value(c, &u.strength, u.readiness))
        .sum();
    // The ground's factor is applied whole, as the rules always have (the same rounding);
    // its parts are told one by one.
    factor(
        false,
        format!("{} ground", cell.terrain),
        c.terrain_defence.get(&cell.terrain).copied().unwrap_or(1.0),
    );
    if cell.place.is_some() {
        factor(false, "a town".into(), c.place_defence);
    }
    factor(
        false,
        format!("fortification (level {})", cell.fort_level),
        1.0 + c.fort_defence_per_level * cell.fort_level as f64,
    );
    defence *= ground_defence(c, cell);
    // A river protects only if every attacker must cross it.
    let rivers: Vec<_> = attackers
        .iter()
        .map(|(u, _)| map.edge(u.hex, target).and_then(|e| e.river))
        .collect();
    if !rivers.is_empty() && rivers.iter().all(Option::is_some) {
        let least = rivers
            .iter()
            .flatten()
            .min()
            .copied()
            .expect("all are rivers");
        defence *= factor(
            false,
            "a river every attacker must cross".into(),
            c.river_defence.get(&least).copied().unwrap_or(1.0),
        );
    }
    if surprise && defenders.first().is_some_and(|d| d.side == c.surprised) {
        defence *= factor(false, "surprise".into(), c.surprise_defence);
    }
    let defence = defence.max(1e-3);
    Odds {
        attack,
        defence,
        ratio: attack / defence,
    }
}

/// A standard normal draw (Box–Muller) from the game's RNG.
fn normal(rng: &mut GameRng) -> f64 {
    let u1: f64 = rng.0.random::<f64>().max(1e-12);
    let u2: f64 = rng.0.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

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
            flotilla: super::flotilla::supporting_attack(world, &attacker_ids, target),
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
    world.resource_scope(|world, map: Mut<Map>| {
        world.resource_scope(|world, rules: Mut<Rules>| {
            world.resource_scope(|world, oob: Mut<OrderOfBattle>| {
                let ground = (&*map, &rules.0, &*oob);
                fight_on(world, ground, attacker_ids, target, support, surprise)
            })
        })
    })
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
    let now = time::iso_local(cal.now());
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
            (c.odds_sigma * normal(&mut rng)).exp()
        };
        let r = o.ratio * luck;
        let att_share = (c.attacker_loss_at_even / r.sqrt()).min(c.max_loss);
        let def_share = (c.defender_loss_at_even * r.sqrt()).min(c.max_loss);
        let fort = map.cell(target).map_or(0, |cl| cl.fort_level);
        let occ = Occupancy::sharing(&super::movement::Going::of(world), map, rules, &units);
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
        } else if r < c.retreat_odds || fort >= c.fort_holds_level && r < c.rout_odds * 1.2 {
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
        for (id, mut s, mut st, cap, mut rd, mut pos, full) in q.iter_mut(world) {
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
            odds: round_to(o.ratio, 2),
            result,
            attacker_losses: att_losses,
            defender_losses: def_losses,
        }];
        all.extend(events);
        for e in all {
            log.events.push(LoggedEvent {
                turn: cal.turn,
                time: now.clone(),
                event: e,
            });
        }
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

/// Suicide air attacks: the side that has them sends its remaining combat aircraft, a few a
/// phase, against the enemy's armour within reach of its air armies, in flying weather. Each
/// aircraft is spent; each may destroy a tank.
pub fn strike_armour(world: &mut World) {
    let Some(r) = world.resource::<Rules>().0.air_strikes.clone() else {
        return;
    };
    let cal = world.resource::<Calendar>().clone();
    if cal.active != r.side
        || (in_surprise(world) && r.side == world.resource::<Rules>().0.combat.surprised)
        || super::ceasefire::broadcast_made(world)
        || r.aircraft_per_attack == 0
    {
        return;
    }
    let spent = world
        .get_resource::<AirStrikesSpent>()
        .map_or(0, |s| s.aircraft);
    let days = cal.turn_hours as f64 / 24.0;
    let mut left = r
        .aircraft
        .saturating_sub(spent)
        .min((r.sorties_per_day as f64 * days).round() as u32);
    if left == 0 {
        return;
    }
    let map = world.resource::<Map>().clone();
    let rules = world.resource::<Rules>().0.clone();
    let weather = world.resource::<CurrentWeather>().clone();
    let oob = world.resource::<OrderOfBattle>();
    let bases: Vec<LatLon> = oob
        .formations
        .iter()
        .filter(|f| f.side == r.side && f.kind == FormationKind::AirArmy)
        .map(|f| map.center(f.hq))
        .collect();
    let mut targets: Vec<(u32, UnitId, Hex)> = snapshot(world)
        .into_iter()
        .filter(|u| u.side != r.side && u.strength.tanks > 0)
        .filter(|u| {
            let at = map.center(u.hex);
            let flying = rules
                .weather
                .get(&weather.at(&map, u.hex))
                .map_or(1.0, |e| e.flying);
            flying > 0.0 && bases.iter().any(|b| b.distance_km(at) <= r.range_km)
        })
        .map(|u| (u.strength.tanks, u.id, u.hex))
        .collect();
    // The strongest armour first.
    targets.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut events = Vec::new();
    let mut used = 0;
    for (tanks, unit, at) in targets {
        if left == 0 {
            break;
        }
        let aircraft = left.min(r.aircraft_per_attack);
        left -= aircraft;
        used += aircraft;
        let mut hits = 0;
        {
            let mut rng = world.resource_mut::<GameRng>();
            for _ in 0..aircraft {
                if rng.0.random::<f64>() < r.hit_chance {
                    hits += 1;
                }
            }
        }
        let lost = hits.min(tanks);
        let mut q = world.query::<(&UnitId, &mut Strength)>();
        for (id, mut s) in q.iter_mut(world) {
            if *id == unit {
                s.tanks -= lost.min(s.tanks);
            }
        }
        events.push(GameEvent::SuicideAttack {
            unit,
            at,
            aircraft,
            tanks_lost: lost,
        });
    }
    world.insert_resource(AirStrikesSpent {
        aircraft: spent + used,
    });
    let now = time::iso_local(cal.now());
    let mut log = world.resource_mut::<EventLog>();
    for e in events {
        log.events.push(LoggedEvent {
            turn: cal.turn,
            time: now.clone(),
            event: e,
        });
    }
}
