//! The movement phase: the marches of the side to move carried out unit by unit in id
//! order ([`execute_moves`]).

use std::collections::BTreeMap;

use bevy::prelude::*;

use super::going::*;
use super::march::*;
use super::occupancy::*;
use super::route::*;
use super::units::*;
use crate::model::logistics::CurrentWeather;
use crate::model::map::Map;
use crate::model::*;
use crate::scenario::spawn::Rules;

/// A march decided this phase: a path from an order, or a route from a standing order.
pub(super) enum March {
    Path(Vec<Hex>),
    Toward(Hex),
}

/// Carries out the marches of the side to move, unit by unit in id order.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn execute_moves(
    map: Res<Map>,
    rules: Res<Rules>,
    weather: Res<CurrentWeather>,
    mut ledger: ResMut<crate::model::logistics::FuelLedger>,
    mut rail: ResMut<crate::model::logistics::RailCaptures>,
    cal: Res<Calendar>,
    pending: Res<PendingOrders>,
    flotillas: Option<Res<crate::model::logistics::RiverFlotillas>>,
    intel: Option<Res<crate::model::intel::Intel>>,
    switches: Res<crate::scenario::whatif::Switches>,
    mut log: ResMut<EventLog>,
    mut units: Query<
        (
            &UnitId,
            &UnitName,
            &Allegiance,
            &Kind,
            &mut Position,
            &Strength,
            &mut Stocks,
            &Readiness,
            Option<&Destination>,
        ),
        InField,
    >,
    mut commands: Commands,
    index: Res<crate::rules::index::UnitIndex>,
    going: Res<Going>,
) {
    let rules = &rules.0;
    let views = super::units::views(units.iter());
    let mut occ =
        Occupancy::sharing(&going, &map, rules, &views).with_ferries(flotillas.as_deref());
    // Standing orders are routed round the enemy the side knows of, where it last saw him; a
    // march that runs into an enemy it did not know of stops there, in contact.
    // (Without fog the side knows everything, and the true occupancy serves.)
    let mut known_occ: Option<Occupancy> = match intel.as_deref() {
        Some(intel) if rules.fog.is_some() && switches.on(crate::scenario::whatif::Switch::Fog) => {
            let known: Vec<UnitView> = views
                .iter()
                .filter_map(|v| {
                    if v.side == cal.active {
                        return Some(v.clone());
                    }
                    let seen = intel.side(cal.active).known.get(&v.id)?;
                    Some(UnitView {
                        hex: seen.hex,
                        ..v.clone()
                    })
                })
                .collect();
            Some(Occupancy::sharing(&going, &map, rules, &known).with_ferries(flotillas.as_deref()))
        }
        _ => None,
    };
    let flotillas: Vec<crate::model::logistics::RiverFlotilla> =
        flotillas.map(|f| f.flotillas.clone()).unwrap_or_default();
    // Men each flotilla can still carry across this turn; units march in id order, and one
    // too big for the room left crosses unaided.
    let mut lift_left: Vec<u32> = flotillas.iter().map(|f| f.men_per_turn).collect();
    let entity_of = |id: &UnitId| index.get(*id).expect("every unit id has an entity");
    let dry = CurrentWeather::dry(map.cells.len());
    let mut marches: BTreeMap<UnitId, March> = BTreeMap::new();
    for o in &pending.orders {
        match o {
            Order::Move { unit, path } => {
                marches.insert(*unit, March::Path(path.clone()));
            }
            Order::MoveTo { unit, to } => {
                marches.insert(*unit, March::Toward(*to));
            }
            // A detachment taking off or embarking leaves its standing orders behind.
            Order::Hold { unit }
            | Order::AirLanding { unit, .. }
            | Order::SeaLanding { unit, .. } => {
                marches.remove(unit);
                if let Some(e) = index.get(*unit) {
                    commands.entity(e).remove::<Destination>();
                }
            }
            Order::Airlift { .. }
            | Order::Attack { .. }
            | Order::TransferFuel { .. }
            | Order::EndTurn => {}
        }
    }
    for u in views.iter().filter(|u| u.side == cal.active) {
        if marches.contains_key(&u.id) {
            continue;
        }
        if let Some(d) = u.destination
            && !pending.orders.contains(&Order::Hold { unit: u.id })
        {
            marches.insert(u.id, March::Toward(d));
        }
    }
    let mut push = |e: GameEvent| crate::rules::log_at(&mut log, &cal, [e]);
    for (id, march) in marches {
        let Some(u) = views.iter().find(|v| v.id == id).cloned() else {
            continue;
        };
        if u.side != cal.active {
            continue;
        }
        let (path, standing) = match march {
            March::Path(p) => (p, None),
            March::Toward(to) => {
                if u.hex == to {
                    continue;
                }
                let plan_occ = known_occ.as_mut().unwrap_or(&mut occ);
                plan_occ.remove(&map, rules, &u, u.hex);
                // Routes are planned on the map's ordinary going, as staffs planned them; the
                // weather of the day then decides how far along it the unit gets.
                let route = find_route(&map, rules, &dry, plan_occ, &u, to, cal.turn_hours);
                plan_occ.add(&map, rules, &u, u.hex);
                match route {
                    Some(r) => (r, Some(to)),
                    None => {
                        push(GameEvent::UnitHalted {
                            unit: id,
                            at: u.hex,
                            reason: HaltReason::Blocked,
                        });
                        continue;
                    }
                }
            }
        };
        occ.remove(&map, rules, &u, u.hex);
        let full: Vec<usize> = (0..flotillas.len())
            .filter(|&i| flotillas[i].side == u.side && lift_left[i] < u.strength.men)
            .collect();
        let closed: Vec<_> = full
            .iter()
            .flat_map(|&i| occ.close_ferries(&flotillas[i].crossings))
            .collect();
        let mut plan = plan_march(&map, rules, &weather, &occ, &u, &path, cal.turn_hours);
        // Do not end the march in an overstacked hex: stop at the last hex with room.
        let room = |h: Hex| {
            occ.points(&map, h, u.side) + stacking_points(rules, u.kind) <= rules.stacking_limit
        };
        if plan.entered.last().is_some_and(|&h| !room(h)) {
            let mut keep = plan.entered.clone();
            while keep.last().is_some_and(|&h| !room(h)) {
                keep.pop();
            }
            plan = plan_march(&map, rules, &weather, &occ, &u, &keep, cal.turn_hours);
            plan.stop = Some((HaltReason::Blocked, None));
        }
        occ.reopen_ferries(closed);
        // The boats that carried the unit over have that much less room this turn.
        let mut at = u.hex;
        for &next in &plan.entered {
            let key = (at.min(next), at.max(next));
            let by_boat = map
                .edge(at, next)
                .is_some_and(|e| e.river.is_some() && e.road.is_none() && e.rail.is_none());
            if by_boat
                && let Some(i) = (0..flotillas.len()).find(|&i| {
                    flotillas[i].side == u.side
                        && !full.contains(&i)
                        && flotillas[i].crossings.contains(&key)
                })
            {
                lift_left[i] = lift_left[i].saturating_sub(u.strength.men);
            }
            at = next;
        }
        let end = plan.entered.last().copied().unwrap_or(u.hex);
        occ.add(&map, rules, &u, end);
        if let Some(known) = known_occ.as_mut() {
            known.remove(&map, rules, &u, u.hex);
            known.add(&map, rules, &u, end);
        }
        let (_, _, _, _, mut pos, _, mut stocks, _, _) = units
            .get_mut(entity_of(&id))
            .expect("every unit id has an entity");
        if end != u.hex {
            let burned = plan.fuel_t.min(stocks.fuel_t);
            stocks.fuel_t -= burned;
            ledger.side(u.side).burned_moving_t += burned;
            // Railway hexes the unit passes are taken from the side that owned them.
            for h in &plan.entered {
                let on_rail = map
                    .cell(*h)
                    .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()));
                if !on_rail {
                    continue;
                }
                let holder = rail.taken.get(h).map(|(s, _)| *s).or(map.initial_owner(*h));
                if holder != Some(u.side) {
                    rail.taken.insert(*h, (u.side, cal.turn));
                }
            }
            pos.0 = end;
            push(GameEvent::UnitMoved {
                unit: id,
                from: u.hex,
                to: end,
                path: plan.entered.clone(),
                km: round_to(plan.ground_km, 1),
                fuel_used_t: round_to(plan.fuel_t, 2),
            });
            if stocks.fuel_t <= 1e-6 && plan.fuel_t > 0.0 {
                push(GameEvent::FuelExhausted { unit: id, at: end });
            }
        }
        match standing {
            Some(to) if end == to => {
                push(GameEvent::DestinationReached { unit: id, at: end });
                commands.entity(entity_of(&id)).remove::<Destination>();
            }
            Some(to) => {
                commands.entity(entity_of(&id)).insert(Destination(to));
                if let Some((reason, _)) = plan.stop
                    && reason != HaltReason::MovementSpent
                {
                    push(GameEvent::UnitHalted {
                        unit: id,
                        at: end,
                        reason,
                    });
                }
            }
            None => {
                if let Some((reason, _)) = plan.stop {
                    push(GameEvent::UnitHalted {
                        unit: id,
                        at: end,
                        reason,
                    });
                }
            }
        }
    }
}
