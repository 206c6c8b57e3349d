//! The overlays: the data worked out for the side viewing, painted on the overlay tiles
//! and drawn over the map.

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use crate::gui::geom::Geom;
use crate::gui::ink::haul_colour;
use crate::gui::overlay::OverlayData;
use crate::gui::state::{Overlay, Started, Ui};
use crate::model::logistics::*;
use crate::model::*;
use crate::scenario::spawn::Rules;

/// The tilemap of the overlay layer.
#[derive(Component)]
pub struct OverlayLayer;

/// A tile of the overlay layer, with the index of its cell.
#[derive(Component)]
pub struct OverlayTile(pub usize);

/// Tints the overlay layer for the overlay shown; hides it for the others.
pub fn paint_overlay(
    ui: Res<Ui>,
    data: Res<OverlayData>,
    mut last: Local<Option<(Overlay, (u32, Option<Side>))>>,
    mut tiles: Query<(&OverlayTile, &mut TileColor, &mut TileVisible)>,
) {
    let key = (ui.overlay, data.turn);
    if *last == Some(key) {
        return;
    }
    *last = Some(key);
    let zoc: std::collections::BTreeSet<usize> = data.zoc_index.iter().copied().collect();
    for (t, mut col, mut vis) in &mut tiles {
        let c = match ui.overlay {
            Overlay::Supply => data
                .haul
                .get(t.0)
                .and_then(|v| haul_colour(*v, data.owned.get(t.0).copied().unwrap_or(false))),
            Overlay::Zoc => zoc
                .contains(&t.0)
                .then(|| Color::srgba(0.9, 0.1, 0.1, 0.45)),
            Overlay::Fog => (data.observed.get(t.0) == Some(&false))
                .then(|| Color::srgba(0.05, 0.05, 0.12, 0.45)),
            _ => None,
        };
        vis.0 = c.is_some();
        if let Some(c) = c {
            col.0 = c;
        }
    }
}

/// The overlay chosen with the function keys.
pub fn draw_overlay(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    map: Option<Res<Map>>,
    geom: Option<Res<Geom>>,
    air: Option<Res<AirTransport>>,
    control: Option<Res<Control>>,
    data: Res<OverlayData>,
) {
    let (Some(map), Some(geom)) = (map, geom) else {
        return;
    };
    match ui.overlay {
        Overlay::Airlift => {
            let (Some(air), Some(control)) = (air, control) else {
                return;
            };
            let px_per_km = geom.grid.x / map.hex_km() as f32;
            for f in air
                .fleets
                .iter()
                .filter(|f| ui.viewer.is_none_or(|v| v == f.side) && f.aircraft > 0)
            {
                let col = if f.side == Side::Soviet {
                    Color::srgb(0.2, 0.4, 1.0)
                } else {
                    Color::srgb(0.9, 0.7, 0.0)
                };
                for b in &f.bases {
                    if control.owner[b.0 as usize] != Some(f.side) {
                        continue;
                    }
                    let c = geom.center(map.place(*b).hex);
                    gizmos.circle_2d(
                        Isometry2d::from_translation(c),
                        f.range_km as f32 * px_per_km,
                        col,
                    );
                    gizmos.circle_2d(Isometry2d::from_translation(c), 9.0, col);
                    gizmos.circle_2d(Isometry2d::from_translation(c), 11.0, col);
                }
            }
        }
        Overlay::Fog => {
            // Enemy units seen before and not now, fading with the age of the report.
            for k in &data.last_known {
                let fresh = (1.0 - k.age_hours as f32 / 96.0).clamp(0.25, 1.0);
                let c = geom.center(k.hex);
                let col = Color::srgba(1.0, 0.85, 0.2, fresh);
                gizmos.rect_2d(
                    Isometry2d::from_translation(c),
                    crate::gui::geom::COUNTER,
                    col,
                );
                gizmos.line_2d(c + Vec2::new(-8.0, -5.0), c + Vec2::new(8.0, 5.0), col);
            }
        }
        Overlay::Control => {
            let Some(control) = control else { return };
            for pl in &map.places {
                let col = match control.owner[pl.id.0 as usize] {
                    Some(Side::Soviet) => Color::srgba(0.9, 0.1, 0.1, 0.9),
                    Some(Side::Japanese) => Color::srgba(1.0, 0.85, 0.1, 0.9),
                    None => Color::srgba(1.0, 1.0, 1.0, 0.9),
                };
                let c = geom.center(pl.hex);
                for r in [12.0, 14.0, 16.0] {
                    gizmos.circle_2d(Isometry2d::from_translation(c), r, col);
                }
            }
        }
        _ => {}
    }
}

/// Recomputes the overlay data for the side viewing (the human's; the side to move when the
/// AI plays both).
pub fn refresh_overlays(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let cal = world.resource::<Calendar>().clone();
    let side = world.resource::<Ui>().viewer.unwrap_or(cal.active);
    let key = (cal.turn, Some(side));
    if world
        .get_resource::<OverlayData>()
        .is_some_and(|d| d.turn == key)
    {
        return;
    }
    let units = crate::rules::movement::snapshot(world);
    let map = world.resource::<Map>().clone();
    let rules = world.resource::<Rules>().0.clone();
    let occ = crate::rules::movement::Occupancy::new(&map, &rules, &units);
    let repair = crate::rules::supply::repair_turns(&rules, cal.turn_hours);
    let points = crate::rules::supply::supply_points(
        &map,
        world.resource::<Depots>(),
        world.resource::<RailCaptures>(),
        &occ,
        side,
        cal.turn,
        repair,
    );
    let field = crate::rules::supply::haul_field(
        &map,
        &rules,
        world.resource::<CurrentWeather>(),
        &occ,
        side,
        &points,
    );
    let owned = (0..map.cells.len())
        .map(|i| map.initial_owner(map.hex_of_index(i)) == Some(side))
        .collect();
    let fog = crate::rules::fog::fog_on(world);
    let (visible, observed, known) = if fog {
        (
            Some(
                crate::rules::fog::visible_enemies(world, side)
                    .into_iter()
                    .map(|(u, _)| u)
                    .collect::<std::collections::BTreeSet<UnitId>>(),
            ),
            crate::rules::fog::observed(world, side),
            crate::rules::fog::last_known(world, side),
        )
    } else {
        (None, Vec::new(), Vec::new())
    };
    let estimates = known.iter().map(|k| (k.unit, (k.men, k.tanks))).collect();
    let last_known = known.into_iter().filter(|k| !k.visible).collect();
    // Zones of control only of the enemy the viewer sees: under fog an unseen unit's zone
    // would tell where it stands.
    let zoc_index = match &visible {
        Some(seen) => {
            let shown: Vec<_> = units
                .iter()
                .filter(|u| u.side == side || seen.contains(&u.id))
                .cloned()
                .collect();
            let occ = crate::rules::movement::Occupancy::new(&map, &rules, &shown);
            (0..map.cells.len())
                .filter(|i| occ.enemy_zoc(&map, map.hex_of_index(*i), side))
                .collect()
        }
        None => (0..map.cells.len())
            .filter(|i| occ.enemy_zoc(&map, map.hex_of_index(*i), side))
            .collect(),
    };
    world.insert_resource(OverlayData {
        visible,
        observed,
        last_known,
        estimates,
        turn: key,
        haul: field.into_iter().map(|x| x.map(|(km, _)| km)).collect(),
        owned,
        zoc_index,
    });
}
