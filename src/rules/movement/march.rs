//! A march along a path under the rules of one turn: how far it gets, what it costs and why it
//! stops ([`plan_march`]).

use bevy::prelude::*;

use super::cost::*;
use super::occupancy::*;
use super::units::*;
use crate::model::logistics::CurrentWeather;
use crate::model::map::{Map, TerrainKind};
use crate::model::*;
use crate::scenario::schema::{Mobility, RulesFile};

/// What a march along a path achieves under the rules of one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct MarchPlan {
    /// Hexes actually entered.
    pub entered: Vec<Hex>,
    pub cost_km: f64,
    pub ground_km: f64,
    pub fuel_t: f64,
    /// Why it stopped before the end of the path, if it did.
    pub stop: Option<(HaltReason, Option<OrderRejected>)>,
}

/// Walks `path` from the unit's hex under this turn's rules, stopping where the rules stop
/// it. `strict` is for player orders, which are refused rather than cut short.
#[allow(clippy::too_many_arguments)]
pub fn plan_march(
    map: &Map,
    rules: &RulesFile,
    weather: &CurrentWeather,
    occ: &Occupancy,
    u: &UnitView,
    path: &[Hex],
    turn_hours: u32,
) -> MarchPlan {
    let mut plan = MarchPlan {
        entered: Vec::new(),
        cost_km: 0.0,
        ground_km: 0.0,
        fuel_t: 0.0,
        stop: None,
    };
    let Some(mobility) = effective_mobility(rules, u) else {
        plan.stop = Some((
            HaltReason::OutOfFuel,
            Some(OrderRejected::OutOfFuel {
                unit: u.name.clone(),
            }),
        ));
        return plan;
    };
    let uses_fuel =
        mobility != Mobility::Foot || kind_def(rules, u.kind).mobility == Mobility::Foot;
    let fuel_bound = matches!(mobility, Mobility::Motorised | Mobility::Tracked);
    let allowance = allowance_km(rules, mobility, turn_hours);
    let burn = if uses_fuel {
        burn_t_per_km(rules, &u.strength)
    } else {
        0.0
    };
    let mut at = u.hex;
    let start_in_zoc = occ.enemy_zoc(map, at, u.side);
    for (i, &next) in path.iter().enumerate() {
        let reject = |r: OrderRejected, why: HaltReason| Some((why, Some(r)));
        if !map.contains(next) {
            plan.stop = reject(OrderRejected::OffMap { at: next }, HaltReason::PathBlocked);
            break;
        }
        if at.distance(next) != 1 {
            plan.stop = reject(
                OrderRejected::NotAdjacent {
                    unit: u.name.clone(),
                    from: at,
                    to: next,
                },
                HaltReason::PathBlocked,
            );
            break;
        }
        let Some(step) = occ
            .steps(rules, mobility)
            .step(map, rules, at, next, weather.at(map, next))
            .map(|s| occ.ferried(map, rules, at, next, u.side, s))
        else {
            plan.stop = reject(
                OrderRejected::Impassable {
                    unit: u.name.clone(),
                    at: next,
                    terrain: map.cell(next).map_or(TerrainKind::Sea, |c| c.terrain),
                    mobility: format!("{mobility:?}").to_lowercase(),
                },
                HaltReason::PathBlocked,
            );
            break;
        };
        if occ.enemy_in(map, next, u.side) {
            plan.stop = reject(
                OrderRejected::EnemyOccupied {
                    unit: u.name.clone(),
                    at: next,
                },
                HaltReason::PathBlocked,
            );
            break;
        }
        let here_zoc = if i == 0 {
            start_in_zoc
        } else {
            occ.enemy_zoc(map, at, u.side)
        };
        if here_zoc && occ.enemy_zoc(map, next, u.side) && i > 0 {
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        if i == 0 && start_in_zoc && occ.enemy_zoc(map, next, u.side) {
            // Sliding along the enemy's front from one covered hex to the next is not allowed.
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        let first = i == 0;
        let cost = match step.whole_turn {
            Some(river) if !first => {
                plan.stop = reject(
                    OrderRejected::RiverNeedsWholeTurn {
                        unit: u.name.clone(),
                        river: format!("{river:?} river").to_lowercase(),
                    },
                    HaltReason::MovementSpent,
                );
                break;
            }
            Some(_) => allowance,
            None => step.km,
        };
        // A unit with its full allowance may always make one step, however costly.
        if plan.cost_km + cost > allowance + 1e-9 && !first {
            plan.stop = reject(
                OrderRejected::TooFar {
                    unit: u.name.clone(),
                    needed: plan.cost_km
                        + path[i..].windows(2).fold(cost, |acc, w| {
                            acc + step_cost(map, rules, mobility, w[0], w[1], weather.at(map, w[1]))
                                .map_or(0.0, |s| s.km)
                        }),
                    available: allowance,
                },
                HaltReason::MovementSpent,
            );
            break;
        }
        let fuel = cost.min(allowance) * burn;
        if fuel_bound && plan.fuel_t + fuel > u.fuel_t + 1e-9 {
            plan.stop = reject(
                OrderRejected::NotEnoughFuel {
                    unit: u.name.clone(),
                    needed: plan.fuel_t + path[i..].len() as f64 * map.hex_km() * burn.max(0.0),
                    available: u.fuel_t,
                },
                HaltReason::OutOfFuel,
            );
            break;
        }
        plan.fuel_t += fuel.min((u.fuel_t - plan.fuel_t).max(0.0));
        plan.cost_km += cost;
        plan.ground_km += map.center(at).distance_km(map.center(next));
        plan.entered.push(next);
        at = next;
        let last = i + 1 == path.len();
        if step.whole_turn.is_some() && !last {
            plan.stop = reject(
                OrderRejected::RiverNeedsWholeTurn {
                    unit: u.name.clone(),
                    river: "river".into(),
                },
                HaltReason::MovementSpent,
            );
            break;
        }
        if occ.enemy_zoc(map, next, u.side) && !last {
            plan.stop = reject(
                OrderRejected::ZoneOfControl {
                    unit: u.name.clone(),
                    at: next,
                },
                HaltReason::ZoneOfControl,
            );
            break;
        }
        if first && plan.cost_km >= allowance && !last {
            plan.stop = reject(
                OrderRejected::TooFar {
                    unit: u.name.clone(),
                    needed: plan.cost_km,
                    available: allowance,
                },
                HaltReason::MovementSpent,
            );
            break;
        }
    }
    plan
}
