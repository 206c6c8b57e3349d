//! Landings from the sea: a fleet embarks troops at its port and puts them ashore on a coast
//! at their side's next phase; a defended beach is stormed with the fleet's guns behind them.

use bevy::prelude::*;

use super::combat::{Support, fight};
use super::movement::UnitView;
use super::{ResolveTurn, TurnPhase};
use crate::model::intel::AtSea;
use crate::model::logistics::*;
use crate::model::*;
use crate::scenario::load::coastal;
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (land_from_sea, embark_landings)
            .chain()
            .before(super::combat::resolve_attacks)
            .in_set(TurnPhase::Combat),
    );
}

/// Whether the unit is at sea.
pub fn at_sea(world: &World, unit: UnitId) -> bool {
    world
        .get_resource::<Landings>()
        .is_some_and(|l| l.at_sea.iter().any(|f| f.unit == unit))
}

/// What a fleet brings to a landing against a defended beach: its guns, and the hazard of
/// coming ashore under fire.
pub fn landing_support(world: &World, fleet: FormationId) -> Support {
    let rules = &world.resource::<Rules>().0;
    let Some(sr) = rules.sea_landing.as_ref() else {
        return Support::default();
    };
    let guns = world
        .resource::<SeaTransport>()
        .fleets
        .iter()
        .find(|f| f.formation == fleet)
        .map_or(0, |f| f.gunfire_guns);
    Support {
        from_sea: true,
        attack_factor: sr.landing_attack,
        gunfire: guns as f64 * rules.combat.value_per_gun * sr.gunfire_per_gun,
        flotilla: None,
    }
}

/// Men of the fleet already embarked by orders this turn, besides `unit`.
fn embarked(world: &World, fleet: FormationId, unit: UnitId) -> u32 {
    let Some(mut q) = world.try_query::<(&UnitId, &Strength)>() else {
        return 0;
    };
    let mut men = |id: UnitId| {
        q.iter(world)
            .find(|(i, _)| **i == id)
            .map_or(0, |(_, s)| s.men)
    };
    world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter_map(|o| match o {
            Order::SeaLanding {
                fleet: f, unit: u, ..
            } if *f == fleet && *u != unit => Some(men(*u)),
            _ => None,
        })
        .sum()
}

/// Checks a landing from the sea, with `also_men` of the fleet's lift spoken for besides the
/// orders already given.
pub fn validate_sea_landing(
    world: &World,
    u: &UnitView,
    order: &Order,
    also_men: u32,
) -> Result<(), OrderRejected> {
    let Order::SeaLanding {
        fleet,
        port,
        target,
        ..
    } = order
    else {
        unreachable!("only sea landings come here")
    };
    let cal = world.resource::<Calendar>();
    let map = world.resource::<Map>();
    if world.resource::<Rules>().0.sea_landing.is_none() {
        return Err(OrderRejected::SeaLandingsDisabled);
    }
    let name = world
        .resource::<OrderOfBattle>()
        .formations
        .get(fleet.0 as usize)
        .map_or_else(|| format!("formation #{}", fleet.0), |f| f.name.clone());
    let fleets = &world.resource::<SeaTransport>().fleets;
    let Some(lift) = fleets
        .iter()
        .find(|f| f.formation == *fleet && f.side == cal.active)
    else {
        return Err(OrderRejected::NotAFleet { name });
    };
    let ports = || {
        lift.ports
            .iter()
            .map(|b| map.place(*b).name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let port_name = map
        .places
        .get(port.0 as usize)
        .map_or_else(|| format!("place #{}", port.0), |p| p.name.clone());
    if !lift.ports.contains(port) {
        return Err(OrderRejected::NotAPort {
            fleet: name,
            port: port_name,
            ports: ports(),
        });
    }
    let port_place = map.place(*port);
    if world.resource::<Control>().owner[port.0 as usize] != Some(cal.active) {
        return Err(OrderRejected::BaseLost { base: port_name });
    }
    if u.hex.distance(port_place.hex) > 1 {
        return Err(OrderRejected::NotAtBase {
            unit: u.name.clone(),
            base: port_name,
        });
    }
    if !map.contains(*target) {
        return Err(OrderRejected::OffMap { at: *target });
    }
    if !coastal(map, *target) {
        return Err(OrderRejected::NotCoastal { at: *target });
    }
    if *target == u.hex {
        return Err(OrderRejected::AlreadyThere {
            unit: u.name.clone(),
            at: *target,
        });
    }
    let distance = port_place.at.distance_km(map.center(*target));
    if distance > lift.range_km {
        return Err(OrderRejected::SeaOutOfRange {
            at: *target,
            fleet: name,
            port: port_name,
            distance,
            range: lift.range_km,
        });
    }
    let available = lift
        .men_per_turn
        .saturating_sub(embarked(world, *fleet, u.id) + also_men);
    if u.strength.men > available {
        return Err(OrderRejected::SeaLiftCapacity {
            fleet: name,
            unit: u.name.clone(),
            requested: u.strength.men,
            available,
        });
    }
    Ok(())
}

/// Embarks the troops ordered to sea this phase; they land at their side's next phase.
pub fn embark_landings(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let orders: Vec<(FormationId, PlaceId, UnitId, Hex)> = world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter_map(|o| match o {
            Order::SeaLanding {
                fleet,
                port,
                unit,
                target,
            } => Some((*fleet, *port, *unit, *target)),
            _ => None,
        })
        .collect();
    if orders.is_empty() {
        return;
    }
    let mut landings = world
        .get_resource::<Landings>()
        .cloned()
        .unwrap_or_default();
    let mut events = Vec::new();
    for (fleet, port, unit, target) in orders {
        landings.at_sea.push(AtSea {
            unit,
            fleet,
            target,
            side: cal.active,
            lands_turn: cal.turn + 1,
        });
        events.push(GameEvent::SeaLandingSailed { unit, port, target });
    }
    world.insert_resource(landings);
    super::log_events(world, events);
}

/// Puts ashore the troops due this phase: on an empty beach they land; on a defended one they
/// storm it with the fleet's guns, and if thrown back they re-embark for their port.
pub fn land_from_sea(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let Some(mut landings) = world.get_resource::<Landings>().cloned() else {
        return;
    };
    let (due, later): (Vec<AtSea>, Vec<AtSea>) = landings
        .at_sea
        .iter()
        .partition(|f| f.side == cal.active && f.lands_turn <= cal.turn);
    if due.is_empty() {
        return;
    }
    landings.at_sea = later;
    world.insert_resource(landings);
    for f in due {
        let mut q = world.query_filtered::<(&UnitId, &Allegiance, &Position), InField>();
        let alive = q.iter(world).any(|(id, _, _)| *id == f.unit);
        if !alive {
            continue;
        }
        let defended = q
            .iter(world)
            .any(|(_, a, p)| a.side != f.side && p.0 == f.target);
        let landed = if defended {
            let support = landing_support(world, f.fleet);
            fight(world, &[f.unit], f.target, support);
            let mut q = world.query::<(&UnitId, &Position)>();
            q.iter(world)
                .any(|(id, p)| *id == f.unit && p.0 == f.target)
        } else {
            let mut q = world.query::<(&UnitId, &mut Position)>();
            for (id, mut p) in q.iter_mut(world) {
                if *id == f.unit {
                    p.0 = f.target;
                }
            }
            true
        };
        let event = if landed {
            GameEvent::SeaLandingMade {
                unit: f.unit,
                at: f.target,
            }
        } else {
            GameEvent::SeaLandingRepulsed {
                unit: f.unit,
                at: f.target,
            }
        };
        super::log_events(world, vec![event]);
    }
}
