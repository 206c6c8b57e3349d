//! Fog of war: what each side's units, reconnaissance aircraft and agents observe, the
//! intelligence picture kept from it turn by turn, and the queries the GUI, the AI and the
//! reports read a side's view through.

use bevy::prelude::*;

use super::{ResolveTurn, TurnPhase};
use crate::model::intel::{Belief, Sighting, side_index};
use crate::model::logistics::{CurrentWeather, Weather};
use crate::model::*;
use crate::scenario::schema::{FogRules, Location};
use crate::scenario::spawn::{Plans, Rules};
use crate::scenario::whatif::Switches;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ReconCover>();
    app.add_systems(ResolveTurn, update_intel.in_set(TurnPhase::Intel));
}

/// The cells that air reconnaissance covers in each kind of weather, for a set of air
/// headquarters and reach: the same discs are asked about at every update of either side's
/// picture, and they change only when an air army's strength or reach does. The latest few
/// sets are kept, by exactly what they were worked out from.
#[derive(Resource, Default)]
pub struct ReconCover(std::sync::Mutex<Vec<(CoverKey, std::sync::Arc<[Vec<bool>; 3]>)>>);

/// The headquarters (latitude, longitude) and each weather's reach in km.
type CoverKey = (Vec<(f64, f64)>, [f64; 3]);

/// Sets of discs kept in [`ReconCover`].
const COVERS_KEPT: usize = 4;

/// Whether the fog is in force: the rules define it and no what-if turned it off.
pub fn fog_on(world: &World) -> bool {
    world.resource::<Rules>().0.fog.is_some()
        && world
            .resource::<Switches>()
            .on(crate::scenario::whatif::Switch::Fog)
}

struct Seen {
    id: UnitId,
    side: Side,
    kind: UnitKind,
    hex: Hex,
    strength: Strength,
}

fn units(world: &World) -> Vec<Seen> {
    let Some(mut q) =
        world.try_query_filtered::<(&UnitId, &Allegiance, &Kind, &Position, &Strength), InField>()
    else {
        return Vec::new();
    };
    let mut v: Vec<Seen> = q
        .iter(world)
        .map(|(id, a, k, p, s)| Seen {
            id: *id,
            side: a.side,
            kind: k.0,
            hex: p.0,
            strength: *s,
        })
        .collect();
    v.sort_by_key(|s| s.id);
    v
}

/// Every map cell the viewer observes now, by cell index.
pub fn observed(world: &World, viewer: Side) -> Vec<bool> {
    let map = world.resource::<Map>();
    let Some(fog) = world.resource::<Rules>().0.fog.clone() else {
        return vec![true; map.cells.len()];
    };
    if !world
        .resource::<Switches>()
        .on(crate::scenario::whatif::Switch::Fog)
    {
        return vec![true; map.cells.len()];
    }
    let mut seen = vec![false; map.cells.len()];
    let all = units(world);
    for u in all.iter().filter(|u| u.side == viewer) {
        let radius = sight(&fog, u.kind, map.cell(u.hex).map(|c| c.terrain));
        for h in u.hex.within(radius) {
            if let Some(i) = map.index(h) {
                seen[i] = true;
            }
        }
    }
    air_reconnaissance(world, &fog, viewer, &mut seen);
    // Agents report what stands in the enemy's towns.
    if let Some(&min_value) = fog.agents.get(&viewer) {
        let control = world.resource::<Control>();
        for p in &map.places {
            if p.value >= min_value
                && control.owner[p.id.0 as usize] == Some(viewer.enemy())
                && let Some(i) = map.index(p.hex)
            {
                seen[i] = true;
            }
        }
    }
    seen
}

fn sight(fog: &FogRules, kind: UnitKind, terrain: Option<map::TerrainKind>) -> u32 {
    let base = fog
        .sight_hexes
        .get(&kind)
        .copied()
        .unwrap_or(fog.default_sight_hexes) as i32;
    let bonus = terrain
        .and_then(|t| fog.terrain_sight.get(&t).copied())
        .unwrap_or(0);
    // A unit always sees the hexes beside it: it is in contact there.
    (base + bonus).max(1) as u32
}

/// Air armies with enough combat aircraft see around their headquarters, as far as the
/// weather over each hex lets them fly.
fn air_reconnaissance(world: &World, fog: &FogRules, viewer: Side, seen: &mut [bool]) {
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let oob = world.resource::<OrderOfBattle>();
    let hqs: Vec<LatLon> = oob
        .formations
        .iter()
        .filter(|f| {
            f.side == viewer
                && f.aircraft.saturating_sub(f.transport_aircraft) >= fog.recon_min_aircraft
                && fog.recon_min_aircraft > 0
        })
        .map(|f| map.center(f.hq))
        .collect();
    if hqs.is_empty() || fog.recon_km <= 0.0 {
        return;
    }
    const WEATHERS: [Weather; 3] = [Weather::Dry, Weather::Rain, Weather::Downpour];
    // Each weather's reach, by its flying factor.
    let reach: [f64; 3] = WEATHERS.map(|w| {
        let flying = rules.weather.get(&w).map_or(1.0, |e| e.flying);
        if flying > 0.0 {
            fog.recon_km * flying
        } else {
            0.0
        }
    });
    let cover = |key: &CoverKey| -> [Vec<bool>; 3] {
        std::array::from_fn(|k| {
            let discs: Vec<map::Disc> = if key.1[k] > 0.0 {
                hqs.iter().map(|hq| map::Disc::new(*hq, key.1[k])).collect()
            } else {
                Vec::new()
            };
            (0..map.cells.len())
                .map(|i| discs.iter().any(|d| map.in_disc(d, map.hex_of_index(i))))
                .collect()
        })
    };
    let key: CoverKey = (hqs.iter().map(|p| (p.lat, p.lon)).collect(), reach);
    let covered = match world.get_resource::<ReconCover>() {
        None => std::sync::Arc::new(cover(&key)),
        Some(cache) => {
            let mut kept = cache.0.lock().unwrap_or_else(|e| e.into_inner());
            match kept.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => c.clone(),
                None => {
                    let c = std::sync::Arc::new(cover(&key));
                    if kept.len() >= COVERS_KEPT {
                        kept.remove(0);
                    }
                    kept.push((key, c.clone()));
                    c
                }
            }
        }
    };
    for (i, s) in seen.iter_mut().enumerate() {
        if *s {
            continue;
        }
        let w = weather.cells().get(i).copied().unwrap_or(Weather::Dry);
        if let Some(k) = WEATHERS.iter().position(|x| *x == w)
            && covered[k][i]
        {
            *s = true;
        }
    }
}

fn estimate(fog: Option<&FogRules>, s: &Strength) -> (u32, u32) {
    let round = fog.map_or(1, |f| f.estimate_men_round.max(1));
    let men = ((s.men as f64 / round as f64).round() as u32).max(1) * round;
    (men, s.tanks)
}

/// Enemy units the viewer sees now, with where they stand, in id order.
pub fn visible_enemies(world: &World, viewer: Side) -> Vec<(UnitId, Hex)> {
    let map = world.resource::<Map>();
    let seen = observed(world, viewer);
    units(world)
        .into_iter()
        .filter(|u| u.side != viewer && map.index(u.hex).is_some_and(|i| seen[i]))
        .map(|u| (u.id, u.hex))
        .collect()
}

/// Every enemy unit the viewer knows of: those in sight now, and the last sighting of those
/// it has lost sight of, with its age in hours. Id order.
pub fn last_known(world: &World, viewer: Side) -> Vec<KnownUnit> {
    let cal = world.resource::<Calendar>();
    let now_min = (cal.now() - cal.start).num_minutes();
    let fog = world.resource::<Rules>().0.fog.clone();
    let all = units(world);
    let visible = visible_enemies(world, viewer);
    let mut out: Vec<KnownUnit> = visible
        .iter()
        .filter_map(|(id, hex)| {
            let u = all.iter().find(|u| u.id == *id)?;
            let (men, tanks) = estimate(fog.as_ref(), &u.strength);
            Some(KnownUnit {
                unit: *id,
                hex: *hex,
                men,
                tanks,
                age_hours: 0.0,
                visible: true,
            })
        })
        .collect();
    let map = world.resource::<Map>();
    let seen = observed(world, viewer);
    if let Some(intel) = world.get_resource::<Intel>() {
        for (id, s) in &intel.side(viewer).known {
            // In sight now, or its old hex is in sight and it is gone from there.
            if visible.iter().any(|(v, _)| v == id) || map.index(s.hex).is_some_and(|i| seen[i]) {
                continue;
            }
            out.push(KnownUnit {
                unit: *id,
                hex: s.hex,
                men: s.men,
                tanks: s.tanks,
                age_hours: (now_min - s.minute).max(0) as f64 / 60.0,
                visible: false,
            });
        }
    }
    out.sort_by_key(|k| k.unit);
    out
}

/// Where the viewer believes enemy forces stand without having seen them.
pub fn beliefs(world: &World, viewer: Side) -> Vec<(Hex, u32)> {
    world
        .get_resource::<Intel>()
        .map(|i| {
            i.side(viewer)
                .believed
                .iter()
                .map(|b| (b.hex, b.men))
                .collect()
        })
        .unwrap_or_default()
}

/// Brings both sides' pictures up to date: sightings of what is in view now; sightings and
/// beliefs whose hex is in view but empty of them are dropped.
pub fn update_intel(world: &mut World) {
    if world.get_resource::<Intel>().is_none() {
        world.insert_resource(Intel::default());
    }
    let cal = world.resource::<Calendar>().clone();
    let minute = (cal.now() - cal.start).num_minutes();
    let fog = world.resource::<Rules>().0.fog.clone();
    let all = units(world);
    let map_len = world.resource::<Map>().cells.len();
    for viewer in Side::BOTH {
        let seen = observed(world, viewer);
        let map = world.resource::<Map>();
        let in_view = |h: Hex| map.index(h).is_some_and(|i| i < map_len && seen[i]);
        let mut side = world.resource::<Intel>().side(viewer).clone();
        side.known
            .retain(|id, s| !in_view(s.hex) || all.iter().any(|u| u.id == *id && u.hex == s.hex));
        // Units no longer in the field (surrendered, destroyed) are forgotten once seen gone.
        side.known
            .retain(|id, s| all.iter().any(|u| u.id == *id) || !in_view(s.hex));
        for u in all.iter().filter(|u| u.side != viewer && in_view(u.hex)) {
            let (men, tanks) = estimate(fog.as_ref(), &u.strength);
            side.known.insert(
                u.id,
                Sighting {
                    hex: u.hex,
                    men,
                    tanks,
                    turn: cal.turn,
                    minute,
                },
            );
        }
        side.believed.retain(|b| !in_view(b.hex));
        *world.resource_mut::<Intel>().side_mut(viewer) = side;
    }
}

/// The starting picture: each side's plan's beliefs about the enemy, then what it sees.
pub fn initial_intel(world: &mut World) {
    let plans = world.get_resource::<Plans>().cloned().unwrap_or_default();
    let map = world.resource::<Map>().clone();
    let mut intel = Intel::default();
    for (side, plan) in [
        (Side::Soviet, &plans.0.soviet),
        (Side::Japanese, &plans.0.japanese),
    ] {
        for b in &plan.believed_enemy {
            let hex = match &b.at {
                Location::Place(p) => match map.place_named(p) {
                    Some(p) => p.hex,
                    None => continue,
                },
                Location::Coord(lat, lon) => map.hex_at(LatLon::new(*lat, *lon)),
            };
            intel.sides[side_index(side)]
                .believed
                .push(Belief { hex, men: b.men });
        }
    }
    world.insert_resource(intel);
    update_intel(world);
}

/// Whether the viewer may know of this unit (its own, or an enemy in sight or remembered).
pub fn knows(world: &World, viewer: Side, unit: UnitId, unit_side: Side) -> bool {
    unit_side == viewer
        || !fog_on(world)
        || last_known(world, viewer).iter().any(|k| k.unit == unit)
}
