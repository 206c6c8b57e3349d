//! Fuel handed from unit to unit: main bodies give theirs to a forward detachment so that it,
//! at least, can go on when the lorries and the airlift cannot keep the whole force moving.
//! The transfers ordered in a phase are made before anyone marches.

use bevy::prelude::*;

use super::movement::{UnitView, round_to};
use super::{ResolveTurn, TurnPhase};
use crate::model::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(ResolveTurn, hand_over_fuel.in_set(TurnPhase::Orders));
}

/// Tons of fuel a unit gains (or, negative, gives) by the transfers ordered so far this phase.
pub fn pending_change(pending: &PendingOrders, unit: UnitId) -> f64 {
    pending
        .orders
        .iter()
        .map(|o| match o {
            Order::TransferFuel { from, to, tons } if *to == unit && *from != unit => *tons,
            Order::TransferFuel { from, to, tons } if *from == unit && *to != unit => -tons,
            _ => 0.0,
        })
        .sum()
}

/// The hand-overs that give `taker` up to `want` tons from `givers`, the fullest first.
pub fn fill_from(mut givers: Vec<&UnitView>, taker: UnitId, want: f64) -> Vec<Order> {
    givers.sort_by(|a, b| b.fuel_t.total_cmp(&a.fuel_t).then(a.id.cmp(&b.id)));
    let mut want = want;
    let mut orders = Vec::new();
    for g in givers {
        if want <= 1e-6 {
            break;
        }
        let tons = g.fuel_t.min(want);
        want -= tons;
        orders.push(Order::TransferFuel {
            from: g.id,
            to: taker,
            tons,
        });
    }
    orders
}

/// The hand-overs that fill `taker` (with `room` tons of room) from its side's units in its
/// hex and beside it, the fullest first: what the window's "forward detachment" button
/// orders.
pub fn fill_from_beside(units: &[UnitView], taker: &UnitView, room: f64) -> Vec<Order> {
    let givers = units
        .iter()
        .filter(|x| {
            x.side == taker.side
                && x.id != taker.id
                && x.hex.distance(taker.hex) <= 1
                && x.fuel_t > 0.05
        })
        .collect();
    fill_from(givers, taker.id, room)
}

/// Fuel held and room for more, in tons, of a unit now.
pub fn fuel_and_room(world: &World, unit: UnitId) -> Option<(f64, f64)> {
    let e = world.resource::<super::index::UnitIndex>().get(unit)?;
    let (s, c) = (world.get::<Stocks>(e)?, world.get::<Capacity>(e)?);
    Some((s.fuel_t, s.fuel_room(c)))
}

/// Checks a `TransferFuel` order given to `from` (already checked to be the side's own unit,
/// on the ground and in contact with its commanders) to hand `tons` to unit `to_id`, which
/// is `to` in the phase's view of the units (`None`: no such unit), with the phase's orders
/// so far `pending`.
pub fn validate_transfer(
    world: &mut World,
    from: &UnitView,
    to_id: UnitId,
    to: Option<&UnitView>,
    tons: f64,
    pending: &PendingOrders,
) -> Result<(), OrderRejected> {
    if !(tons.is_finite() && tons > 0.0) {
        return Err(OrderRejected::BadFuelTonnage { tons });
    }
    if to_id == from.id {
        return Err(OrderRejected::FuelToItself {
            unit: from.name.clone(),
        });
    }
    let Some(to) = to else {
        return Err(OrderRejected::UnknownUnit(to_id.0));
    };
    if to.side != from.side {
        return Err(OrderRejected::NotYourUnit {
            unit: to.name.clone(),
            owner: to.side,
            active: from.side,
        });
    }
    if super::landings::in_flight(world, to_id) {
        return Err(OrderRejected::InFlight {
            unit: to.name.clone(),
        });
    }
    if super::sea_landings::at_sea(world, to_id) {
        return Err(OrderRejected::AtSea {
            unit: to.name.clone(),
        });
    }
    if to.hex.distance(from.hex) > 1 {
        return Err(OrderRejected::TooFarToHandOver {
            from: from.name.clone(),
            to: to.name.clone(),
        });
    }
    let (has, _) = fuel_and_room(world, from.id).unwrap_or((0.0, 0.0));
    let has = has + pending_change(pending, from.id);
    if tons > has + 1e-6 {
        return Err(OrderRejected::NotEnoughFuelToGive {
            unit: from.name.clone(),
            has: has.max(0.0),
            asked: tons,
        });
    }
    let (_, room) = fuel_and_room(world, to_id).unwrap_or((0.0, 0.0));
    let room = room - pending_change(pending, to_id);
    if tons > room + 1e-6 {
        return Err(OrderRejected::NoRoomForFuel {
            unit: to.name.clone(),
            room: room.max(0.0),
            asked: tons,
        });
    }
    Ok(())
}

/// Makes the phase's fuel transfers, in the order given, each no larger than the giver holds
/// and the taker has room for.
pub fn hand_over_fuel(
    cal: Res<Calendar>,
    pending: Res<PendingOrders>,
    index: Res<super::index::UnitIndex>,
    mut log: ResMut<EventLog>,
    mut units: Query<(&mut Stocks, &Capacity)>,
) {
    let mut events = Vec::new();
    for o in &pending.orders {
        let Order::TransferFuel { from, to, tons } = *o else {
            continue;
        };
        let (Some(giver), Some(taker)) = (index.get(from), index.get(to)) else {
            continue;
        };
        let Ok([(mut gives, _), (mut takes, room)]) = units.get_many_mut([giver, taker]) else {
            continue;
        };
        let t = tons.min(gives.fuel_t).min(takes.fuel_room(room)).max(0.0);
        if t <= 0.0 {
            continue;
        }
        gives.fuel_t -= t;
        takes.fuel_t += t;
        events.push(GameEvent::FuelHandedOver {
            from,
            to,
            tons: round_to(t, 2),
        });
    }
    super::log_at(&mut log, &cal, events);
}
