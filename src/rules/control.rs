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
        (end_phase, super::weather::update_weather)
            .chain()
            .in_set(TurnPhase::Report),
    );
}

/// Every place where the side to move stands alone changes hands to it.
pub fn capture_places(
    map: Res<Map>,
    cal: Res<Calendar>,
    mut control: ResMut<Control>,
    mut log: ResMut<EventLog>,
    units: Query<(&UnitId, &Allegiance, &Position, &Strength)>,
) {
    let mut present: Vec<(UnitId, Side, Hex)> = units
        .iter()
        .filter(|(_, _, _, s)| s.men > 0)
        .map(|(id, a, p, _)| (*id, a.side, p.0))
        .collect();
    present.sort_by_key(|(id, _, _)| *id);
    let now = time::iso_local(cal.now());
    for place in &map.places {
        let i = place.id.0 as usize;
        let here = present.iter().filter(|(_, _, h)| *h == place.hex);
        let mut taker = None;
        let mut contested = false;
        for (id, side, _) in here {
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
        let from = control.owner[i];
        control.owner[i] = Some(cal.active);
        if cal.active == Side::Soviet && control.first_soviet[i].is_none() {
            control.first_soviet[i] = Some(now.clone());
        }
        log.events.push(LoggedEvent {
            turn: cal.turn,
            time: now.clone(),
            event: GameEvent::PlaceCaptured {
                place: place.id,
                name: place.name.clone(),
                by,
                from,
                to: cal.active,
            },
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
    let now = time::iso_local(cal.now());
    log.events.push(LoggedEvent {
        turn: cal.turn,
        time: now.clone(),
        event: GameEvent::PhaseEnded {
            turn: cal.turn,
            side: cal.active,
        },
    });
    match cal.active {
        Side::Soviet => cal.active = Side::Japanese,
        Side::Japanese => {
            cal.active = Side::Soviet;
            if cal.turn >= cal.turns() {
                cal.finished = true;
                log.events.push(LoggedEvent {
                    turn: cal.turn,
                    time: now,
                    event: GameEvent::CampaignEnded,
                });
            } else {
                cal.turn += 1;
            }
        }
    }
}
