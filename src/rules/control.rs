//! Control of places: a place changes hands when a side's unit stands in it and no enemy
//! does; and the end of a side's phase, which turns the calendar.

use bevy::prelude::*;

use super::{ResolveTurn, TurnPhase};
use crate::model::*;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (capture_places, super::supply::capture_depots)
            .chain()
            .in_set(TurnPhase::Victory),
    );
    app.add_systems(
        ResolveTurn,
        (record_timeline, end_phase, super::weather::update_weather)
            .chain()
            .in_set(TurnPhase::Report),
    );
}

/// Every place where the side to move stands alone changes hands to it.
///
/// A town taken by storm while the garrison held the works of its hex (`Control::besieged`,
/// see the battle) is the exception: its holder keeps it while he stands beside the works,
/// so the garrison cannot walk back into its streets; and when the last of the garrison has
/// gone, starved, surrendered or broken out, the works fall to him.
pub fn capture_places(
    map: Res<Map>,
    cal: Res<Calendar>,
    mut control: ResMut<Control>,
    mut log: ResMut<EventLog>,
    units: Query<(&UnitId, &Allegiance, &Position), InField>,
) {
    let mut present: Vec<(UnitId, Side, Hex)> =
        units.iter().map(|(id, a, p)| (*id, a.side, p.0)).collect();
    present.sort_by_key(|(id, _, _)| *id);
    let now = time::iso_local(cal.now());
    let mut events = Vec::new();
    for place in &map.places {
        let i = place.id.0 as usize;
        let here = || present.iter().filter(|(_, _, h)| *h == place.hex);
        if control.besieged.contains(&place.id)
            && let Some(holder) = control.owner[i]
        {
            if here().all(|(_, side, _)| *side == holder) {
                control.besieged.retain(|p| *p != place.id);
                events.push(GameEvent::WorksFallen {
                    place: place.id,
                    name: place.name.clone(),
                    to: holder,
                });
                continue;
            }
            let beside = present
                .iter()
                .any(|(_, side, h)| *side == holder && h.distance(place.hex) == 1);
            if beside {
                continue;
            }
        }
        let mut taker = None;
        let mut contested = false;
        for (id, side, _) in here() {
            if *side == cal.active {
                taker.get_or_insert(*id);
            } else {
                contested = true;
            }
        }
        let Some(by) = taker else { continue };
        if contested || control.owner[i] == Some(cal.active) {
            continue;
        }
        let from = control.change_hands(place, cal.active, &now);
        control.besieged.retain(|p| *p != place.id);
        events.push(GameEvent::PlaceCaptured {
            place: place.id,
            name: place.name.clone(),
            by,
            from,
            to: cal.active,
            works_hold: false,
        });
    }
    super::log_at(&mut log, &cal, events);
}

/// At the end of each full turn, notes every army-level formation's fuel, men and tanks.
/// The fuel is that of its fighting units: a support group (the rear services, which stay at
/// their base) holds the base's stocks, not fuel the troops carry, and the sources' "the
/// corps were down to a quarter of a refill" speak of the troops.
pub fn record_timeline(
    cal: Res<Calendar>,
    oob: Res<OrderOfBattle>,
    rules: Res<crate::scenario::spawn::Rules>,
    mut timeline: ResMut<Timeline>,
    units: Query<(&UnitId, &Parent, &Kind, &Strength, &Stocks)>,
) {
    if !cal.last_phase() {
        return;
    }
    let time = time::iso_local(cal.time_of_turn(cal.turn + 1));
    let mut sums: std::collections::BTreeMap<FormationId, (f64, f64, u64, u64)> =
        Default::default();
    // Summed in id order: floating-point sums depend on their order, and the query's order
    // is not the same after a save is restored, which made a resumed game's timeline differ
    // from the straight run's in the last digit.
    let mut rows: Vec<_> = units.iter().collect();
    rows.sort_by_key(|(id, ..)| **id);
    for (_, p, k, s, st) in rows {
        let fighting = k.0 != UnitKind::SupportGroup;
        let refill = crate::scenario::load::refill_t(&rules.0, s.tanks, s.vehicles);
        for f in oob.chain(p.0).filter(|f| f.kind.is_army_level()) {
            let e = sums.entry(f.id).or_default();
            if fighting {
                e.0 += st.fuel_t;
                e.1 += refill;
            }
            e.2 += s.men as u64;
            e.3 += s.tanks as u64;
        }
    }
    for (f, (fuel, refill, men, tanks)) in sums {
        timeline.rows.push(TimelineRow {
            time: time.clone(),
            formation: oob.get(f).name.clone(),
            fuel_t: crate::rules::movement::round_to(fuel, 1),
            refills: if refill > 0.0 {
                crate::rules::movement::round_to(fuel / refill, 3)
            } else {
                0.0
            },
            men,
            tanks,
        });
    }
}

/// Closes the side's phase: the other side moves next; after both, the clock advances.
pub fn end_phase(
    mut cal: ResMut<Calendar>,
    mut log: ResMut<EventLog>,
    mut pending: ResMut<PendingOrders>,
) {
    pending.orders.clear();
    let ended = GameEvent::PhaseEnded {
        turn: cal.turn,
        side: cal.active,
    };
    super::log_at(&mut log, &cal, [ended]);
    if !cal.last_phase() {
        cal.active = cal.second();
        return;
    }
    cal.active = cal.first;
    if cal.turn >= cal.turns() {
        cal.finished = true;
        super::log_at(&mut log, &cal, [GameEvent::CampaignEnded]);
    } else {
        cal.turn += 1;
    }
}
