//! Order validation: every order, from a click, the AI or a file, is checked here and
//! either accepted or refused with a reason the player can read.

use bevy::prelude::*;

use super::ResolveTurn;
use super::movement::{Occupancy, UnitView, find_route, plan_march, snapshot, stacking_points};
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
        } => format!(
            "airlift {tons:.0} t of {} to {}",
            format!("{cargo:?}").to_lowercase(),
            name(world, *to)
        ),
        Order::TransferFuel { from, to, tons } => {
            let (from, to) = (name(world, *from), name(world, *to));
            format!("hand {tons:.0} t of fuel from {from} to {to}")
        }
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
    refresh_phase_view(world);
    let Some(u) = world.resource::<PhaseView>().unit(unit_id).cloned() else {
        return Err(OrderRejected::UnknownUnit(unit_id.0));
    };
    if u.side != cal.active {
        return Err(OrderRejected::NotYourUnit {
            unit: u.name.clone(),
            owner: u.side,
            active: cal.active,
        });
    }
    // In the first hours the surprised side's commanders are away: its units out of touch
    // keep to their standing orders.
    if !super::combat::in_contact(world, unit_id, u.side) {
        return Err(OrderRejected::OutOfContact { unit: u.name });
    }
    if super::landings::in_flight(world, unit_id) {
        return Err(OrderRejected::InFlight { unit: u.name });
    }
    if super::sea_landings::at_sea(world, unit_id) {
        return Err(OrderRejected::AtSea { unit: u.name });
    }
    // A march or a landing: refused to a unit that has ceased fire, and to one already
    // given either this phase.
    let marches = matches!(
        order,
        Order::Move { .. }
            | Order::MoveTo { .. }
            | Order::AirLanding { .. }
            | Order::SeaLanding { .. }
    );
    if marches {
        super::ceasefire::refuse_if_ceased(world, unit_id, &u.name)?;
    }
    let pending = world.resource::<PendingOrders>().clone();
    if marches
        && pending.orders.iter().any(|o| {
            o.unit() == Some(unit_id)
                && !matches!(o, Order::Hold { .. } | Order::TransferFuel { .. })
        })
    {
        return Err(OrderRejected::AlreadyOrdered { unit: u.name });
    }
    match order {
        Order::Move { .. } | Order::MoveTo { .. } => {
            // The fuel handed to or by the unit this phase changes hands before it marches.
            let mut u = u;
            u.fuel_t =
                (u.fuel_t + super::fuel_transfer::pending_change(&pending, unit_id)).max(0.0);
            world.resource_scope(|world, mut view: Mut<PhaseView>| {
                // The unit's own counter leaves the ground it marches from.
                let map = world.resource::<Map>();
                let rules = &world.resource::<Rules>().0;
                view.occ.remove(map, rules, &u, u.hex);
                let r = validate_march(world, &view.occ, &u, order);
                view.occ.add(map, rules, &u, u.hex);
                r
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
        Order::TransferFuel { to, tons, .. } => {
            let taker = world.resource::<PhaseView>().unit(*to).cloned();
            super::fuel_transfer::validate_transfer(world, &u, *to, taker.as_ref(), *tons, &pending)
        }
        Order::Hold { .. } | Order::Attack { .. } | Order::EndTurn => Ok(()),
    }
}

/// The phase's view of the units, for checking orders: where they stand, and the occupancy
/// of the map once the marches already ordered this phase are carried out. Units change when
/// a phase is resolved (or when a tool or test moves them by hand), not while orders are
/// given, so the view is kept between orders, built afresh when any unit has changed since,
/// and brought up to date as marches are ordered or taken back. Building it for every order
/// made the cost of a phase grow with the square of the number of units.
#[derive(Resource)]
pub struct PhaseView {
    /// The turn, the side to move and the number of units the view was built for.
    key: (u32, Side, usize),
    /// The world's change tick when the view was built: a unit component changed later
    /// makes it stale.
    built: bevy::ecs::change_detection::Tick,
    /// Sorted by id.
    units: Vec<UnitView>,
    /// Where each unit (as in `units`) will stand after the marches in `moves`.
    planned: Vec<Hex>,
    /// The `Move` orders applied to `occ`, in the order they were given.
    moves: Vec<(UnitId, Hex)>,
    occ: Occupancy,
}

impl PhaseView {
    fn unit(&self, id: UnitId) -> Option<&UnitView> {
        self.units
            .binary_search_by_key(&id, |u| u.id)
            .ok()
            .map(|i| &self.units[i])
    }

    fn build(world: &mut World, key: (u32, Side, usize)) -> PhaseView {
        let units = snapshot(world);
        let map = world.resource::<Map>();
        let rules = &world.resource::<Rules>().0;
        let occ = Occupancy::sharing(&super::movement::Going::of(world), map, rules, &units)
            .with_ferries(world.get_resource::<crate::model::logistics::RiverFlotillas>());
        // Changes from now on carry a later tick than the one the view records.
        let built = world.increment_change_tick();
        PhaseView {
            key,
            built,
            planned: units.iter().map(|u| u.hex).collect(),
            units,
            moves: Vec::new(),
            occ,
        }
    }
}

/// Brings the [`PhaseView`] up to date with the phase and the marches ordered in it.
fn refresh_phase_view(world: &mut World) {
    let cal = world.resource::<Calendar>();
    let (turn, active) = (cal.turn, cal.active);
    let now = world.read_change_tick();
    let built = world.get_resource::<PhaseView>().map(|v| v.built);
    let mut count = 0;
    let mut changed = false;
    let mut q = world.query::<(
        Ref<Position>,
        Ref<Strength>,
        Ref<Stocks>,
        Ref<Readiness>,
        Ref<Allegiance>,
        Ref<Kind>,
    )>();
    for (p, s, st, r, a, k) in q.iter(world) {
        count += 1;
        if let Some(built) = built {
            changed |= [
                p.last_changed(),
                s.last_changed(),
                st.last_changed(),
                r.last_changed(),
                a.last_changed(),
                k.last_changed(),
            ]
            .into_iter()
            .any(|t| t.is_newer_than(built, now));
        }
    }
    let key = (turn, active, count);
    let moves: Vec<(UnitId, Hex)> = world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter_map(|o| match o {
            Order::Move { unit, path } => path.last().map(|end| (*unit, *end)),
            _ => None,
        })
        .collect();
    let stale = world
        .get_resource::<PhaseView>()
        .is_none_or(|v| changed || v.key != key || !moves.starts_with(&v.moves));
    if stale {
        let view = PhaseView::build(world, key);
        world.insert_resource(view);
    }
    world.resource_scope(|world, mut view: Mut<PhaseView>| {
        let map = world.resource::<Map>();
        let rules = &world.resource::<Rules>().0;
        let PhaseView {
            units,
            planned,
            moves: applied,
            occ,
            ..
        } = &mut *view;
        for &(id, end) in &moves[applied.len()..] {
            if let Ok(i) = units.binary_search_by_key(&id, |u| u.id) {
                occ.remove(map, rules, &units[i], planned[i]);
                occ.add(map, rules, &units[i], end);
                planned[i] = end;
            }
        }
        *applied = moves;
    });
    // Debug builds (the tests) check the view kept between orders against one built afresh,
    // so that a change to the units outside a phase's resolution cannot go unseen.
    #[cfg(debug_assertions)]
    {
        let mut again = PhaseView::build(world, key);
        let view = world.resource::<PhaseView>();
        let map = world.resource::<Map>();
        let rules = &world.resource::<Rules>().0;
        for (i, h) in view.planned.iter().enumerate() {
            let u = again.units[i].clone();
            again.occ.remove(map, rules, &u, u.hex);
            again.occ.add(map, rules, &u, *h);
        }
        assert!(
            view.units == again.units && view.occ.same_ground(&again.occ),
            "the phase's view of the units is out of date"
        );
    }
}

/// Checks a `Move` or `MoveTo` of `u` against `occ`, the occupancy without the unit itself.
fn validate_march(
    world: &World,
    occ: &Occupancy,
    u: &UnitView,
    order: &Order,
) -> Result<(), OrderRejected> {
    let cal = world.resource::<Calendar>();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let u = u.clone();
    match order {
        Order::Move { path, .. } => {
            if path.is_empty() {
                return Err(OrderRejected::EmptyPath { unit: u.name });
            }
            let weather = world.resource::<crate::model::logistics::CurrentWeather>();
            let plan = plan_march(map, rules, weather, occ, &u, path, cal.turn_hours);
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
            find_route(map, rules, weather, occ, &u, *to, cal.turn_hours)
                .map(|_| ())
                .ok_or_else(|| OrderRejected::NoRoute {
                    unit: u.name,
                    to: *to,
                    place: describe_hex(map, *to),
                })
        }
        _ => Ok(()),
    }
}
