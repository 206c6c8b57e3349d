//! Dates and events told in a line each, for the log, the since-your-last-turn window and
//! the replay viewer.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::model::*;
use crate::report::words;

/// "1945-08-13T00:01+09:00" -> "13 Aug 1945, 00:01".
pub fn date(iso: &str) -> String {
    time::parse_local(iso).map_or_else(
        || iso.to_string(),
        |t| t.format("%-d %b %Y, %H:%M").to_string(),
    )
}

/// An event in plain words, and where it happened; `None` for events the log leaves out.
pub fn describe(
    map: &Map,
    names: &BTreeMap<UnitId, String>,
    e: &LoggedEvent,
) -> Option<(String, Option<Hex>)> {
    let n = |u: &UnitId| {
        names
            .get(u)
            .cloned()
            .unwrap_or_else(|| "a unit".to_string())
    };
    Some(match &e.event {
        GameEvent::UnitMoved {
            unit,
            to,
            km,
            fuel_used_t,
            ..
        } => (
            format!(
                "{} marched {km:.0} km ({fuel_used_t:.0} t of fuel)",
                n(unit)
            ),
            Some(*to),
        ),
        GameEvent::PlaceCaptured { name, by, to, .. } => (
            format!("{name} taken by {} ({to})", n(by)),
            map.place_named(name).map(|p| p.hex),
        ),
        GameEvent::WorksFallen { name, to, .. } => (
            format!("{name}'s works fall to the {to} side: the last of the garrison is gone"),
            map.place_named(name).map(|p| p.hex),
        ),
        GameEvent::Battle {
            target,
            result,
            odds,
            attacker_losses,
            defender_losses,
            ..
        } => (
            format!(
                "Battle at {}: {result} at {odds:.1} : 1; attackers lost {} killed, defenders {}",
                crate::rules::orders::describe_hex(map, *target),
                words::thousands(attacker_losses.killed),
                words::thousands(defender_losses.killed)
            ),
            Some(*target),
        ),
        GameEvent::UnitSurrendered {
            unit,
            men,
            at,
            reason,
        } => (
            format!(
                "{} surrendered ({} men, {reason})",
                n(unit),
                words::thousands(*men)
            ),
            Some(*at),
        ),
        GameEvent::PrisonersTaken { unit, men, by, at } => (
            format!(
                "{} took {} men of {} prisoner",
                n(by),
                words::thousands(*men),
                n(unit)
            ),
            Some(*at),
        ),
        GameEvent::AirliftDelivered {
            unit, tons, base, ..
        } => (
            format!("{tons:.0} t flown from {base} to {}", n(unit)),
            None,
        ),
        GameEvent::FuelExhausted { unit, at } => {
            (format!("{} ran out of fuel", n(unit)), Some(*at))
        }
        GameEvent::FuelHandedOver { from, to, tons } => (
            format!("{} handed {tons:.0} t of fuel to {}", n(from), n(to)),
            None,
        ),
        GameEvent::SupplyCut { unit, at } => {
            (format!("{} is cut off from supply", n(unit)), Some(*at))
        }
        GameEvent::OrderRejected { order, reason, .. } => {
            (format!("Refused: {order}: {reason}"), None)
        }
        GameEvent::CeasefireReached { formation } => {
            (format!("The cease-fire order reached {formation}"), None)
        }
        GameEvent::DepotCaptured {
            depot, by, fuel_t, ..
        } => (
            format!(
                "{depot} captured by the {by} side ({} t of fuel)",
                words::amount(*fuel_t)
            ),
            None,
        ),
        GameEvent::UnitRetreated { unit, to, .. } => (format!("{} fell back", n(unit)), Some(*to)),
        GameEvent::CampaignEnded => ("The campaign is over".into(), None),
        _ => return None,
    })
}

/// The report of what happened since a side last ended its phase (from event `from` on):
/// battles, places and depots that changed hands, surrenders, one line each, with its place.
pub fn since_your_turn(
    map: &Map,
    names: &BTreeMap<UnitId, String>,
    events: &[LoggedEvent],
    from: usize,
) -> Vec<(String, Option<Hex>)> {
    events
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                GameEvent::Battle { .. }
                    | GameEvent::PlaceCaptured { .. }
                    | GameEvent::WorksFallen { .. }
                    | GameEvent::DepotCaptured { .. }
                    | GameEvent::UnitSurrendered { .. }
                    | GameEvent::PrisonersTaken { .. }
                    | GameEvent::CeasefireReached { .. }
            )
        })
        .filter_map(|e| {
            describe(map, names, e)
                .map(|(t, at)| (format!("{} · {t}", words::short_date(&e.time)), at))
        })
        .collect()
}

/// The text with its first letter in capitals.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
