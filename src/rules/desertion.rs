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
pub fn desert(
    rules: Res<Rules>,
    cal: Res<Calendar>,
    mut rng: ResMut<GameRng>,
    mut log: ResMut<EventLog>,
    mut commands: Commands,
    mut units: Query<
        (
            Entity,
            &UnitId,
            &Allegiance,
            &Position,
            &mut Strength,
            &Readiness,
        ),
        InField,
    >,
) {
    let Some(d) = &rules.0.desertion else {
        return;
    };
    let mut all: Vec<(Entity, UnitId, Allegiance, Hex, u32, f64)> = units
        .iter()
        .map(|(e, id, a, p, s, r)| (e, *id, *a, p.0, s.men, r.0))
        .collect();
    all.sort_by_key(|r| r.1);
    let days = cal.turn_hours as f64 / 24.0;
    let mut events = Vec::new();
    for &(entity, unit, a, at, men, readiness) in &all {
        if a.side != cal.active || !d.nations.contains(&a.nation) {
            continue;
        }
        let near = all
            .iter()
            .any(|e| e.2.side != a.side && e.3.distance(at) <= d.near_hexes);
        let daily = d.daily_chance
            * if near { d.near_factor } else { 1.0 }
            * (1.0 + d.low_readiness_factor * (1.0 - readiness.clamp(0.0, 1.0)));
        let chance = 1.0 - (1.0 - daily.clamp(0.0, 1.0)).powf(days);
        if rng.0.random::<f64>() >= chance {
            continue;
        }
        let mutiny = rng.0.random::<f64>() < d.mutiny_share;
        let lost = if mutiny {
            men
        } else {
            ((men as f64 * d.desert_share).round() as u32).clamp(1, men)
        };
        if let Ok((.., mut s, _)) = units.get_mut(entity) {
            s.men -= lost.min(s.men);
            if s.men == 0 {
                commands.entity(entity).insert(OutOfAction);
            }
        }
        // TODO(design): mutineers who went over to the enemy (the guard at Hsinking) could
        // join the other side; here they simply leave the war.
        events.push(if mutiny {
            GameEvent::UnitMutinied {
                unit,
                at,
                men: lost,
            }
        } else {
            GameEvent::UnitDeserted {
                unit,
                at,
                men: lost,
            }
        });
    }
    super::log_at(&mut log, &cal, events);
}
