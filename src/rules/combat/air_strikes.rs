//! Suicide air attacks on armour by the side that has them.

use bevy::prelude::*;
use rand::RngExt;

use super::odds::*;
use crate::model::logistics::CurrentWeather;
use crate::model::*;
use crate::rules::movement::snapshot;
use crate::scenario::spawn::Rules;

/// Suicide air attacks: the side that has them sends its remaining combat aircraft, a few a
/// phase, against the enemy's armour within reach of its air armies, in flying weather. Each
/// aircraft is spent; each may destroy a tank.
pub fn strike_armour(world: &mut World) {
    let Some(r) = world.resource::<Rules>().0.air_strikes.clone() else {
        return;
    };
    let cal = world.resource::<Calendar>().clone();
    if cal.active != r.side
        || (in_surprise(world) && r.side == world.resource::<Rules>().0.combat.surprised)
        || crate::rules::ceasefire::hq_heard(world)
        || r.aircraft_per_attack == 0
    {
        return;
    }
    let spent = world
        .get_resource::<AirStrikesSpent>()
        .map_or(0, |s| s.aircraft);
    let days = cal.turn_hours as f64 / 24.0;
    let mut left = r
        .aircraft
        .saturating_sub(spent)
        .min((r.sorties_per_day as f64 * days).round() as u32);
    if left == 0 {
        return;
    }
    let units = snapshot(world);
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let oob = world.resource::<OrderOfBattle>();
    let bases: Vec<LatLon> = oob
        .formations
        .iter()
        .filter(|f| f.side == r.side && f.kind == FormationKind::AirArmy)
        .map(|f| map.center(f.hq))
        .collect();
    let mut targets: Vec<(u32, UnitId, Hex)> = units
        .into_iter()
        .filter(|u| u.side != r.side && u.strength.tanks > 0)
        .filter(|u| {
            let at = map.center(u.hex);
            let flying = rules
                .weather
                .get(&weather.at(map, u.hex))
                .map_or(1.0, |e| e.flying);
            flying > 0.0 && bases.iter().any(|b| b.distance_km(at) <= r.range_km)
        })
        .map(|u| (u.strength.tanks, u.id, u.hex))
        .collect();
    // The strongest armour first.
    targets.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut events = Vec::new();
    let mut used = 0;
    for (tanks, unit, at) in targets {
        if left == 0 {
            break;
        }
        let aircraft = left.min(r.aircraft_per_attack);
        left -= aircraft;
        used += aircraft;
        let mut hits = 0;
        {
            let mut rng = world.resource_mut::<GameRng>();
            for _ in 0..aircraft {
                if rng.0.random::<f64>() < r.hit_chance {
                    hits += 1;
                }
            }
        }
        let lost = hits.min(tanks);
        let mut q = world.query::<(&UnitId, &mut Strength)>();
        for (id, mut s) in q.iter_mut(world) {
            if *id == unit {
                s.tanks -= lost.min(s.tanks);
            }
        }
        events.push(GameEvent::SuicideAttack {
            unit,
            at,
            aircraft,
            tanks_lost: lost,
        });
    }
    world.insert_resource(AirStrikesSpent {
        aircraft: spent + used,
    });
    crate::rules::log_events(world, events);
}
