//! Order validation: every order, from a click, the AI or a file, is checked here and
//! either accepted or refused with a reason the player can read.

use bevy::prelude::*;

use super::ResolveTurn;
use super::movement::{Occupancy, find_route, plan_march, snapshot, stacking_points};
use crate::model::*;
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, take_orders);
}

/// An order refused, as a message for whoever sent it (the GUI shows the reason).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct OrderRefused {
    pub order: Order,
    pub reason: OrderRejected,
}

impl Message for Order {}

/// Reads the orders written as messages (by the GUI), validates them, and resolves the turn
/// when the side to move ends it.
pub fn take_orders(world: &mut World) {
    let orders: Vec<Order> = world.resource_mut::<Messages<Order>>().drain().collect();
    for order in orders {
        if let Err(reason) = submit(world, order.clone()) {
            world.write_message(OrderRefused { order, reason });
        }
    }
}

/// Validates an order and, if it is good, takes it: a unit's order waits for the end of the
/// phase; `EndTurn` resolves the phase at once.
pub fn submit(world: &mut World, order: Order) -> Result<(), OrderRejected> {
    let side = world.resource::<Calendar>().active;
    if let Err(reason) = validate(world, &order) {
        let cal = world.resource::<Calendar>();
        let entry = LoggedEvent {
            turn: cal.turn,
            time: time::iso_local(cal.now()),
            event: GameEvent::OrderRejected {
                side,
                order: describe(world, &order),
                reason: reason.to_string(),
            },
        };
        world.resource_mut::<EventLog>().events.push(entry);
        return Err(reason);
    }
    let turn = world.resource::<Calendar>().turn;
    world
        .resource_mut::<OrderLog>()
        .entries
        .push(OrderLogEntry {
            turn,
            side,
            order: order.clone(),
        });
    match order {
        Order::EndTurn => world.run_schedule(ResolveTurn),
        Order::Hold { unit } => {
            let mut p = world.resource_mut::<PendingOrders>();
            p.orders.retain(|o| o.unit() != Some(unit));
            p.orders.push(order);
        }
        _ => world.resource_mut::<PendingOrders>().orders.push(order),
    }
    Ok(())
}

/// An order in words, for the event log.
pub fn describe(world: &mut World, order: &Order) -> String {
    let name = |world: &mut World, id: UnitId| {
        let mut q = world.query::<(&UnitId, &UnitName)>();
        q.iter(world)
            .find(|(i, _)| **i == id)
            .map_or_else(|| format!("unit #{}", id.0), |(_, n)| n.0.clone())
    };
    match order {
        Order::Move { unit, path } => format!(
            "move {} to {}",
            name(world, *unit),
            path.last().map_or("nowhere".into(), |h| h.to_string())
        ),
        Order::MoveTo { unit, to } => {
            let n = name(world, *unit);
            format!(
                "march {n} toward {}",
                describe_hex(world.resource::<Map>(), *to)
            )
        }
        Order::Hold { unit } => format!("hold {}", name(world, *unit)),
        Order::Airlift {
            to, tons, cargo, ..
        } => format!("airlift {tons:.0} t of {cargo:?} to {}", name(world, *to)).to_lowercase(),
        Order::AirLanding { unit, place, .. } => {
            let n = name(world, *unit);
            format!(
                "fly {n} into {}",
                world
                    .resource::<Map>()
                    .places
                    .get(place.0 as usize)
                    .map_or_else(|| format!("place #{}", place.0), |p| p.name.clone())
            )
        }
        Order::SeaLanding { unit, target, .. } => {
            let n = name(world, *unit);
            format!(
                "land {n} from the sea at {}",
                describe_hex(world.resource::<Map>(), *target)
            )
        }
        Order::Attack { units, target } => {
            let names: Vec<String> = units.iter().map(|u| name(world, *u)).collect();
            format!(
                "attack {} with {}",
                describe_hex(world.resource::<Map>(), *target),
                names.join(", ")
            )
        }
        Order::EndTurn => "end turn".into(),
    }
}

/// A hex in words: "Hailar (hex 41,75)" where a place stands, else "hex 41,75".
pub fn describe_hex(map: &Map, h: Hex) -> String {
    match map.cell(h).and_then(|c| c.place) {
        Some(p) => format!("{} ({h})", map.place(p).name),
        None => h.to_string(),
    }
}

/// Checks an order against the rules and the state of the world. Changes nothing.
pub fn validate(world: &mut World, order: &Order) -> Result<(), OrderRejected> {
    let cal = world.resource::<Calendar>().clone();
    if cal.finished {
        return Err(OrderRejected::GameOver);
    }
    if let Order::Attack { units, target } = order {
        return super::combat::validate_attack(world, units, *target);
    }
    let Some(unit_id) = order.unit() else {
        return Ok(());
    };
    let units = snapshot(world);
    let Some(u) = units.iter().find(|u| u.id == unit_id).cloned() else {
        return Err(OrderRejected::UnknownUnit(unit_id.0));
    };
    if u.side != cal.active {
        return Err(OrderRejected::NotYourUnit {
            unit: u.name.clone(),
            owner: u.side,
            active: cal.active,
        });
    }
    // In the first hours the surprised side's commanders are away: its units keep to their
    // standing orders.
    if u.side == Side::Japanese && super::combat::in_surprise(world) {
        return Err(OrderRejected::OutOfContact { unit: u.name });
    }
    if super::landings::in_flight(world, unit_id) {
        return Err(OrderRejected::InFlight { unit: u.name });
    }
    if super::sea_landings::at_sea(world, unit_id) {
        return Err(OrderRejected::AtSea { unit: u.name });
    }
    let pending = world.resource::<PendingOrders>().clone();
    if matches!(
        order,
        Order::Move { .. }
            | Order::MoveTo { .. }
            | Order::AirLanding { .. }
            | Order::SeaLanding { .. }
    ) && pending
        .orders
        .iter()
        .any(|o| o.unit() == Some(unit_id) && !matches!(o, Order::Hold { .. }))
    {
        return Err(OrderRejected::AlreadyOrdered { unit: u.name });
    }
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    // Where the side's units will stand once the moves already ordered are carried out.
    let mut planned = units.clone();
    // By id, so that applying the orders is linear in their number, not in orders × units.
    let slot: std::collections::BTreeMap<UnitId, usize> =
        planned.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
    for o in &pending.orders {
        if let Order::Move { unit, path } = o
            && let (Some(&i), Some(end)) = (slot.get(unit), path.last())
        {
            planned[i].hex = *end;
        }
    }
    let mut occ = Occupancy::new(map, rules, &planned)
        .with_ferries(world.get_resource::<crate::model::logistics::RiverFlotillas>());
    occ.remove(map, rules, &u, u.hex);
    match order {
        Order::Move { path, .. } => {
            if path.is_empty() {
                return Err(OrderRejected::EmptyPath { unit: u.name });
            }
            let weather = world.resource::<crate::model::logistics::CurrentWeather>();
            let plan = plan_march(map, rules, weather, &occ, &u, path, cal.turn_hours);
            if let Some((_, Some(reason))) = plan.stop {
                return Err(reason);
            }
            let end = *path.last().expect("not empty");
            let points = occ.points(map, end, u.side) + stacking_points(rules, u.kind);
            if points > rules.stacking_limit {
                return Err(OrderRejected::Overstacked {
                    unit: u.name,
                    at: end,
                    points,
                    limit: rules.stacking_limit,
                });
            }
            Ok(())
        }
        Order::MoveTo { to, .. } => {
            if !map.contains(*to) {
                return Err(OrderRejected::OffMap { at: *to });
            }
            if u.hex == *to {
                return Err(OrderRejected::AlreadyThere {
                    unit: u.name,
                    at: *to,
                });
            }
            if super::movement::effective_mobility(rules, &u).is_none() {
                return Err(OrderRejected::OutOfFuel { unit: u.name });
            }
            let weather = world.resource::<crate::model::logistics::CurrentWeather>();
            find_route(map, rules, weather, &occ, &u, *to, cal.turn_hours)
                .map(|_| ())
                .ok_or_else(|| OrderRejected::NoRoute {
                    unit: u.name,
                    to: *to,
                    place: describe_hex(map, *to),
                })
        }
        Order::Airlift { tons, .. } => {
            let fi = super::airlift::validate_airlift(world, &u, order)?;
            *world
                .resource_mut::<crate::model::logistics::AirliftBooked>()
                .tons
                .entry(fi)
                .or_default() += tons;
            Ok(())
        }
        Order::AirLanding { .. } => {
            let (fi, tons) =
                super::landings::validate_air_landing(world, &u, order, &Default::default())?;
            *world
                .resource_mut::<crate::model::logistics::AirliftBooked>()
                .tons
                .entry(fi)
                .or_default() += tons;
            Ok(())
        }
        Order::SeaLanding { .. } => super::sea_landings::validate_sea_landing(world, &u, order, 0),
        Order::Hold { .. } | Order::Attack { .. } | Order::EndTurn => Ok(()),
    }
}
