//! Air landings: detachments flown by transport aviation into an airfield or city; they land
//! at their side's next phase and take the place if its garrison has laid down its arms, or
//! are cut up if it still fights.

use bevy::prelude::*;

use super::airlift::capacity_left;
use super::movement::UnitView;
use super::{ResolveTurn, TurnPhase};
use crate::model::intel::InFlight;
use crate::model::logistics::*;
use crate::model::map::PlaceKind;
use crate::model::*;
use crate::scenario::spawn::Rules;
use crate::scenario::whatif::Switches;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (land_detachments, launch_air_landings)
            .chain()
            .before(super::airlift::deliver_airlift)
            .in_set(TurnPhase::Airlift),
    );
}

/// Transport tons a detachment needs.
pub fn lift_tons(world: &World, men: u32) -> f64 {
    world
        .resource::<Rules>()
        .0
        .air_landing
        .as_ref()
        .map_or(0.0, |r| men as f64 * r.t_per_man)
}

/// Whether the unit is in the air.
pub fn in_flight(world: &World, unit: UnitId) -> bool {
    world
        .get_resource::<Landings>()
        .is_some_and(|l| l.in_flight.iter().any(|f| f.unit == unit))
}

/// Checks an air landing, with `also_booked` tons of the fleet's lift spoken for besides
/// what is booked; on success returns the fleet index and the tons it books.
pub fn validate_air_landing(
    world: &World,
    u: &UnitView,
    order: &Order,
    also_booked: &std::collections::BTreeMap<usize, f64>,
) -> Result<(usize, f64), OrderRejected> {
    let Order::AirLanding {
        air_army,
        base,
        place,
        ..
    } = order
    else {
        unreachable!("only air landings come here")
    };
    let cal = world.resource::<Calendar>();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let Some(lr) = rules.air_landing.as_ref() else {
        return Err(OrderRejected::AirLandingsDisabled);
    };
    if !world
        .resource::<Switches>()
        .on(crate::scenario::whatif::Switch::Airlift)
    {
        return Err(OrderRejected::AirliftDisabled);
    }
    if !lr.kinds.contains(&u.kind) || u.strength.men > lr.max_men {
        return Err(OrderRejected::NotAirLandable {
            unit: u.name.clone(),
            men: u.strength.men,
            max_men: lr.max_men,
        });
    }
    let oob = world.resource::<OrderOfBattle>();
    let name = oob
        .formations
        .get(air_army.0 as usize)
        .map_or_else(|| format!("formation #{}", air_army.0), |f| f.name.clone());
    let fleets = &world.resource::<AirTransport>().fleets;
    let Some(fi) = fleets
        .iter()
        .position(|f| f.formation == *air_army && f.side == cal.active && f.aircraft > 0)
    else {
        return Err(OrderRejected::NotAnAirArmy { name });
    };
    let fleet = &fleets[fi];
    let bases = || {
        fleet
            .bases
            .iter()
            .map(|b| map.place(*b).name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(base_place) = map.places.get(base.0 as usize) else {
        return Err(OrderRejected::NotABase {
            air_army: name,
            base: format!("place #{}", base.0),
            bases: bases(),
        });
    };
    if !fleet.bases.contains(base) {
        return Err(OrderRejected::NotABase {
            air_army: name,
            base: base_place.name.clone(),
            bases: bases(),
        });
    }
    let control = world.resource::<Control>();
    if control.owner[base.0 as usize] != Some(cal.active) {
        return Err(OrderRejected::BaseLost {
            base: base_place.name.clone(),
        });
    }
    if u.hex.distance(base_place.hex) > 1 {
        return Err(OrderRejected::NotAtBase {
            unit: u.name.clone(),
            base: base_place.name.clone(),
        });
    }
    let Some(target) = map.places.get(place.0 as usize) else {
        return Err(OrderRejected::NoAirfield {
            place: format!("place #{}", place.0),
        });
    };
    if !(target.airfield || target.kind == PlaceKind::City) {
        return Err(OrderRejected::NoAirfield {
            place: target.name.clone(),
        });
    }
    if control.owner[place.0 as usize] == Some(cal.active) {
        return Err(OrderRejected::AlreadyThere {
            unit: u.name.clone(),
            at: target.hex,
        });
    }
    let distance = base_place.at.distance_km(target.at);
    if distance > fleet.range_km {
        return Err(OrderRejected::OutOfRange {
            unit: target.name.clone(),
            air_army: name,
            base: base_place.name.clone(),
            distance,
            range: fleet.range_km,
        });
    }
    let weather = world.resource::<CurrentWeather>();
    let fly = |h: Hex| {
        rules
            .weather
            .get(&weather.at(map, h))
            .map_or(1.0, |e| e.flying)
    };
    let (wb, wt) = (fly(base_place.hex), fly(target.hex));
    if wb <= 0.0 || wt <= 0.0 {
        return Err(OrderRejected::Grounded {
            air_army: name,
            place: if wb <= 0.0 {
                base_place.name.clone()
            } else {
                target.name.clone()
            },
        });
    }
    let tons = u.strength.men as f64 * lr.t_per_man;
    let left = (capacity_left(
        rules,
        fleet,
        fi,
        world.resource::<AirliftBooked>(),
        cal.turn_hours,
        wb.min(wt),
    ) - also_booked.get(&fi).copied().unwrap_or(0.0))
    .max(0.0);
    if tons > left + 1e-9 {
        return Err(OrderRejected::AirliftCapacity {
            air_army: name,
            requested: tons,
            available: left,
            sorties: (left / fleet.payload_t).floor() as u32,
        });
    }
    Ok((fi, tons))
}

/// Puts the detachments ordered this phase in the air; they land at their side's next phase.
pub fn launch_air_landings(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let orders: Vec<(UnitId, PlaceId)> = world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter_map(|o| match o {
            Order::AirLanding { unit, place, .. } => Some((*unit, *place)),
            _ => None,
        })
        .collect();
    if orders.is_empty() {
        return;
    }
    let mut events = Vec::new();
    let mut landings = world
        .get_resource::<Landings>()
        .cloned()
        .unwrap_or_default();
    for (unit, place) in orders {
        landings.in_flight.push(InFlight {
            unit,
            place,
            side: cal.active,
            lands_turn: cal.turn + 1,
        });
        events.push(GameEvent::AirLandingFlown {
            unit,
            place,
            name: world.resource::<Map>().place(place).name.clone(),
        });
    }
    world.insert_resource(landings);
    super::log_events(world, events);
}

/// Lands the detachments due this phase: a garrison that still fights cuts them up; one
/// that has heard the cease-fire lays down its arms to them; an empty place is theirs.
pub fn land_detachments(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let Some(mut landings) = world.get_resource::<Landings>().cloned() else {
        return;
    };
    let (due, later): (Vec<InFlight>, Vec<InFlight>) = landings
        .in_flight
        .iter()
        .partition(|f| f.side == cal.active && f.lands_turn <= cal.turn);
    if due.is_empty() {
        return;
    }
    landings.in_flight = later;
    world.insert_resource(landings);
    let Some(lr) = world.resource::<Rules>().0.air_landing.clone() else {
        return;
    };
    let killed_share = world
        .resource::<Rules>()
        .0
        .combat
        .killed_share
        .get(&cal.active)
        .copied()
        .unwrap_or(0.5);
    let ceased = super::ceasefire::ceased(world);
    let mut events = Vec::new();
    for f in due {
        // Those an earlier landing of this phase put out of the fight are gone.
        super::retire_fallen(world);
        let place = world.resource::<Map>().place(f.place).clone();
        let mut q = world.query_filtered::<(&UnitId, &Allegiance, &Position, &Strength), InField>();
        let mut garrison: Vec<(UnitId, u32)> = q
            .iter(world)
            .filter(|(_, a, p, _)| a.side != f.side && p.0 == place.hex)
            .map(|(id, _, _, s)| (*id, s.men))
            .collect();
        garrison.sort();
        let fighting = garrison.iter().any(|(id, _)| !ceased.contains(id));
        let mut q = world.query_filtered::<(&UnitId, &mut Strength, &mut Position), InField>();
        if fighting {
            let mut lost = 0;
            for (id, mut s, _) in q.iter_mut(world) {
                if *id == f.unit {
                    lost = ((s.men as f64 * lr.failed_loss).round() as u32).min(s.men);
                    s.men -= lost;
                }
            }
            let killed = (lost as f64 * killed_share).round() as u32;
            events.push(GameEvent::AirLandingFailed {
                unit: f.unit,
                place: f.place,
                name: place.name.clone(),
                losses: Losses {
                    killed,
                    wounded: lost - killed,
                    tanks: 0,
                    guns: 0,
                },
            });
            continue;
        }
        for (id, mut s, mut p) in q.iter_mut(world) {
            if *id == f.unit {
                p.0 = place.hex;
            } else if garrison.iter().any(|(g, _)| g == id) {
                s.men = 0;
            }
        }
        // The garrison, in id order.
        for (id, men) in &garrison {
            events.push(GameEvent::UnitSurrendered {
                unit: *id,
                at: place.hex,
                men: *men,
                reason: SurrenderReason::Ceasefire,
            });
            events.push(GameEvent::PrisonersTaken {
                unit: *id,
                at: place.hex,
                men: *men,
                by: f.unit,
            });
        }
        events.push(GameEvent::AirLandingMade {
            unit: f.unit,
            place: f.place,
            name: place.name.clone(),
        });
    }
    super::retire_fallen(world);
    super::log_events(world, events);
}
