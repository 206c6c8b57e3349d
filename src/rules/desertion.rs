//! Desertion and mutiny: troops of doubtful allies melt away, more so as the enemy nears and
//! the less ready they are; some units mutiny and dissolve.

use bevy::prelude::*;
use rand::RngExt;

use super::{ResolveTurn, TurnPhase};
use crate::model::*;
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(ResolveTurn, desert.in_set(TurnPhase::Readiness));
}

/// Each unit of the nations concerned, at its side's phase, may lose men to desertion or
/// dissolve in mutiny.
pub fn desert(world: &mut World) {
    let Some(d) = world.resource::<Rules>().0.desertion.clone() else {
        return;
    };
    let cal = world.resource::<Calendar>().clone();
    let mut q =
        world.query_filtered::<(&UnitId, &Allegiance, &Position, &Strength, &Readiness), InField>();
    let mut all: Vec<(UnitId, Allegiance, Hex, u32, f64)> = q
        .iter(world)
        .map(|(id, a, p, s, r)| (*id, *a, p.0, s.men, r.0))
        .collect();
    all.sort_by_key(|r| r.0);
    let days = cal.turn_hours as f64 / 24.0;
    let mut outcome: Vec<(UnitId, Hex, u32, bool)> = Vec::new();
    for (id, a, hex, men, readiness) in &all {
        if a.side != cal.active || !d.nations.contains(&a.nation) {
            continue;
        }
        let near = all
            .iter()
            .any(|e| e.1.side != a.side && e.2.distance(*hex) <= d.near_hexes);
        let daily = d.daily_chance
            * if near { d.near_factor } else { 1.0 }
            * (1.0 + d.low_readiness_factor * (1.0 - readiness.clamp(0.0, 1.0)));
        let chance = 1.0 - (1.0 - daily.clamp(0.0, 1.0)).powf(days);
        let mut rng = world.resource_mut::<GameRng>();
        if rng.0.random::<f64>() >= chance {
            continue;
        }
        let mutiny = rng.0.random::<f64>() < d.mutiny_share;
        let lost = if mutiny {
            *men
        } else {
            ((*men as f64 * d.desert_share).round() as u32).clamp(1, *men)
        };
        outcome.push((*id, *hex, lost, mutiny));
    }
    if outcome.is_empty() {
        return;
    }
    let mut q = world.query::<(&UnitId, &mut Strength)>();
    for (id, mut s) in q.iter_mut(world) {
        if let Some((_, _, lost, _)) = outcome.iter().find(|o| o.0 == *id) {
            s.men -= (*lost).min(s.men);
        }
    }
    super::retire_fallen(world);
    // TODO(design): mutineers who went over to the enemy (the guard at Hsinking) could join
    // the other side; here they simply leave the war.
    let events = outcome.into_iter().map(|(unit, at, men, mutiny)| {
        if mutiny {
            GameEvent::UnitMutinied { unit, at, men }
        } else {
            GameEvent::UnitDeserted { unit, at, men }
        }
    });
    super::log_events(world, events.collect::<Vec<_>>());
}
