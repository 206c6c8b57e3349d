//! The cease-fire and surrender: the order passes from the high command down the chain of
//! command, a relay at each echelon; units cut off hear it only by chance, and some are
//! beyond any envoy's reach until they are relieved; units that hear
//! it lay down their arms a while later. Units cut off and starving surrender on their own.
//! Laying down arms is not yet captivity: the men wait where they gave up until enemy troops
//! come near enough to take them prisoner; those never reached surrendered unreached.

use bevy::prelude::*;
use rand::RngExt;

use super::{ResolveTurn, TurnPhase};
use crate::model::*;
use crate::scenario::spawn::Rules;
use crate::scenario::whatif::Switches;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (spread_ceasefire, surrender, take_prisoners)
            .chain()
            .in_set(TurnPhase::Surrender),
    );
}

/// Whether the order to cease fire has reached the high command it goes out from: from
/// then on its air arm stops its attacks; its units stop as each hears it.
pub fn hq_heard(world: &World) -> bool {
    switched_on(world)
        && world.get_resource::<CeasefireSchedule>().is_some_and(|c| {
            world
                .resource::<CeasefireState>()
                .formations
                .contains_key(&c.hq)
        })
}

/// The units that have heard the order to cease fire (none without the cease-fire): the AI
/// gives them no more attacks or marches (nor do the rules take them from a player:
/// [`refuse_if_ceased`]), and they lay down their arms a while later.
pub fn ceased(world: &World) -> std::collections::BTreeSet<UnitId> {
    ceased_in(
        world.resource::<Switches>(),
        world.resource::<CeasefireState>(),
    )
}

/// [`ceased`] for a system that holds the switches and the cease-fire's state.
pub fn ceased_in(
    switches: &Switches,
    state: &CeasefireState,
) -> std::collections::BTreeSet<UnitId> {
    if !on(switches) {
        return Default::default();
    }
    state.units.keys().copied().collect()
}

/// Refuses a march or an attack by a unit that has heard the order to cease fire: it holds
/// where it stands until it lays down its arms (a player may still hand over its fuel, or
/// give it a Hold order).
pub fn refuse_if_ceased(world: &World, unit: UnitId, name: &str) -> Result<(), OrderRejected> {
    if !switched_on(world) {
        return Ok(());
    }
    let state = world.resource::<CeasefireState>();
    if !state.units.contains_key(&unit) {
        return Ok(());
    }
    let cal = world.resource::<Calendar>();
    let when = match state.surrender_at.get(&unit) {
        Some(t) if *t > cal.turn => format!(
            "on {}",
            crate::model::time::display_local(cal.time_of_turn(*t))
        ),
        _ => "this turn".into(),
    };
    Err(OrderRejected::CeasedFire {
        unit: name.to_string(),
        when,
    })
}

/// Whether the game has a cease-fire at all (the what-if `no_ceasefire` switches it off).
fn switched_on(world: &World) -> bool {
    on(world.resource::<Switches>())
}

/// [`switched_on`] for a system that holds the switches.
fn on(switches: &Switches) -> bool {
    switches.on(crate::scenario::whatif::Switch::Ceasefire)
}

/// Whether the broadcast has been made.
pub fn broadcast_made(world: &World) -> bool {
    switched_on(world)
        && world
            .get_resource::<CeasefireSchedule>()
            .is_some_and(|c| world.resource::<Calendar>().now() >= c.broadcast)
}

fn turns(hours: f64, turn_hours: u32) -> u32 {
    (hours / turn_hours as f64).ceil() as u32
}

/// A delay of `hours` on average, drawn log-normal with `sigma` and rounded to the nearest
/// turn (so that the turns too average `hours`); at 0, `hours` in whole turns, none drawn.
fn drawn_turns(rng: &mut GameRng, hours: f64, sigma: f64, turn_hours: u32) -> u32 {
    if sigma <= 0.0 {
        return turns(hours, turn_hours);
    }
    let z = super::dice::standard_normal(rng);
    // The mean of exp(σz) is exp(σ²/2): divided out, the delays average `hours`.
    (hours * (sigma * z - sigma * sigma / 2.0).exp() / turn_hours as f64).round() as u32
}

/// Passes the order down: formations first, then their units.
#[allow(clippy::too_many_arguments)]
pub fn spread_ceasefire(
    switches: Res<Switches>,
    sched: Option<Res<CeasefireSchedule>>,
    cal: Res<Calendar>,
    rules: Res<Rules>,
    oob: Res<OrderOfBattle>,
    mut state: ResMut<CeasefireState>,
    mut rng: ResMut<GameRng>,
    mut log: ResMut<EventLog>,
    units: Query<(&UnitId, &Allegiance, &Parent, &SupplyState, &Position), InField>,
) {
    if !on(&switches) {
        return;
    }
    let Some(sched) = sched else {
        return;
    };
    // The order's own clock: it spreads at the end of each full turn.
    if !cal.last_phase() || cal.time_of_turn(cal.turn + 1) <= sched.order_at_hq {
        return;
    }
    let c = &rules.0.combat;
    let state = &mut *state;
    let mut events = Vec::new();
    if let std::collections::btree_map::Entry::Vacant(e) = state.formations.entry(sched.hq) {
        e.insert(cal.turn);
        events.push(GameEvent::CeasefireReached {
            formation: oob.get(sched.hq).name.clone(),
        });
    }
    // Formations hear it a relay after their parent: each relay drawn when the parent
    // heard it, at least a turn.
    for f in &oob.formations {
        if state.formations.contains_key(&f.id) {
            continue;
        }
        let Some(&parent_heard) = f.parent.and_then(|p| state.formations.get(&p)) else {
            continue;
        };
        let due = match state.relays.get(&f.id) {
            Some(due) => *due,
            None => {
                let relay = drawn_turns(
                    &mut rng,
                    c.ceasefire_relay_hours,
                    c.ceasefire_delay_sigma,
                    cal.turn_hours,
                )
                .max(1);
                state.relays.insert(f.id, parent_heard + relay);
                parent_heard + relay
            }
        };
        if cal.turn >= due {
            state.formations.insert(f.id, cal.turn);
            events.push(GameEvent::CeasefireReached {
                formation: f.name.clone(),
            });
        }
    }
    let side = oob.get(sched.hq).side;
    let chance = 1.0 - (1.0 - c.ceasefire_cut_off_daily_chance).powf(cal.turn_hours as f64 / 24.0);
    let mut rows: Vec<(UnitId, FormationId, u32, bool)> = units
        .iter()
        .filter(|(_, a, ..)| a.side == side)
        .map(|(id, _, p, sup, at)| (*id, p.0, sup.turns_isolated(), at.0 == oob.get(p.0).hq))
        .collect();
    rows.sort_by_key(|r| r.0);
    for (id, parent, cut, with_hq) in rows {
        // A unit hears it from its formation's headquarters in the turn after it reached
        // them.
        if state.units.contains_key(&id)
            || state.formations.get(&parent).is_none_or(|t| cal.turn <= *t)
        {
            continue;
        }
        // Cut off from its command (without supply, or besieged on its own stores), a unit
        // hears the order only by chance, and only if an envoy can reach it at all (drawn the
        // first time it is cut off); a unit cut off with its formation's headquarters in its
        // hex is not cut off from them.
        let hears = cut == 0 || with_hq || {
            let reaches = match state.envoy_reaches.get(&id) {
                Some(r) => *r,
                None => {
                    let r = rng.0.random::<f64>() >= c.ceasefire_never_reached;
                    state.envoy_reaches.insert(id, r);
                    r
                }
            };
            reaches && rng.0.random::<f64>() < chance
        };
        if hears {
            state.units.insert(id, cal.turn);
            let delay = drawn_turns(
                &mut rng,
                c.ceasefire_surrender_hours,
                c.ceasefire_delay_sigma,
                cal.turn_hours,
            );
            state.surrender_at.insert(id, cal.turn + delay);
            events.push(GameEvent::CeasefireHeard { unit: id });
        }
    }
    super::log_at(&mut log, &cal, events);
}

/// Units that heard the order long enough ago lay down their arms; so do units cut off,
/// starving and broken in spirit, where an enemy still fighting is in reach to give
/// themselves up to (otherwise they go on starving where they stand).
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn surrender(
    cal: Res<Calendar>,
    rules: Res<Rules>,
    switches: Res<Switches>,
    state: Res<CeasefireState>,
    mut waiting: ResMut<AwaitingCaptors>,
    mut log: ResMut<EventLog>,
    mut commands: Commands,
    mut units: Query<
        (
            Entity,
            &UnitId,
            &Allegiance,
            &Position,
            &mut Strength,
            &Stocks,
            &Readiness,
            &SupplyState,
        ),
        InField,
    >,
) {
    let c = &rules.0.combat;
    let switched = on(&switches);
    // Those that heard the order fight no more; each one's turn to lay down its arms was
    // drawn when it heard.
    let ceased = ceased_in(&switches, &state);
    // A unit gives itself up to an enemy in reach (as far as surrendered men are taken
    // prisoner from, and at least the next hex): enemy units still under arms that have not
    // ceased fire.
    let enemy_at: Vec<Hex> = units
        .iter()
        .filter(|(_, id, a, ..)| a.side != cal.active && !ceased.contains(id))
        .map(|(_, _, _, p, ..)| p.0)
        .collect();
    let in_reach = |h: Hex| {
        enemy_at
            .iter()
            .any(|e| e.distance(h) <= c.prisoners_accept_hexes.max(1))
    };
    let mut events = Vec::new();
    let mut rows: Vec<_> = units
        .iter_mut()
        .filter(|r| r.2.side == cal.active)
        .collect();
    rows.sort_by_key(|r| *r.1);
    for (entity, id, a, pos, mut s, st, rd, sup) in rows {
        let reason = if switched && state.surrender_at.get(id).is_some_and(|t| cal.turn >= *t) {
            Some(SurrenderReason::Ceasefire)
        } else if sup.turns_cut >= 4
            && st.food_t <= 1e-6
            && rd.0 < c.surrender_readiness
            && in_reach(pos.0)
        {
            Some(SurrenderReason::CutOff)
        } else {
            None
        };
        if let Some(reason) = reason {
            events.push(GameEvent::UnitSurrendered {
                unit: *id,
                at: pos.0,
                men: s.men,
                reason,
            });
            waiting.units.insert(
                *id,
                Disarmed {
                    at: pos.0,
                    men: s.men,
                    side: a.side,
                },
            );
            s.men = 0;
            commands.entity(entity).insert(OutOfAction);
        }
    }
    super::log_at(&mut log, &cal, events);
}

/// Men waiting to surrender are taken prisoner by the nearest enemy unit within reach
/// (`prisoners_accept_hexes`; the lowest id of the nearest breaks ties), at every phase.
pub fn take_prisoners(
    cal: Res<Calendar>,
    rules: Res<Rules>,
    mut waiting: ResMut<AwaitingCaptors>,
    mut log: ResMut<EventLog>,
    units: Query<(&UnitId, &Allegiance, &Position), InField>,
) {
    if waiting.is_empty() {
        return;
    }
    let reach = rules.0.combat.prisoners_accept_hexes;
    let mut captors: Vec<(UnitId, Side, Hex)> =
        units.iter().map(|(id, a, p)| (*id, a.side, p.0)).collect();
    captors.sort_by_key(|c| c.0);
    let mut events = Vec::new();
    waiting.units.retain(|unit, d| {
        let by = captors
            .iter()
            .filter(|c| c.1 != d.side)
            .map(|c| (c.2.distance(d.at), c.0))
            .filter(|(dist, _)| *dist <= reach)
            .min();
        match by {
            Some((_, by)) => {
                events.push(GameEvent::PrisonersTaken {
                    unit: *unit,
                    at: d.at,
                    men: d.men,
                    by,
                });
                false
            }
            None => true,
        }
    });
    super::log_at(&mut log, &cal, events);
}
