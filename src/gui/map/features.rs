//! Rivers, railways, roads, borders, places and fortified regions, drawn over the tiles.

use bevy::prelude::*;

use crate::gui::geom::Geom;
use crate::gui::ink;
use crate::model::map::{Gauge, RiverClass, RoadClass};
use crate::model::*;

/// Rivers, railways, roads, borders, places and fortified regions, drawn over the tiles.
pub fn draw_features(
    mut gizmos: Gizmos,
    map: Option<Res<Map>>,
    geom: Option<Res<Geom>>,
    control: Option<Res<Control>>,
) {
    let (Some(map), Some(geom), Some(control)) = (map, geom, control) else {
        return;
    };
    let corner = |h: Hex, dir: usize| -> Vec2 {
        // The edge between h and its neighbour in `dir` is perpendicular to the centre line.
        let a = geom.center(h);
        let b = geom.center(h.neighbor(dir));
        let mid = (a + b) / 2.0;
        let d = (b - a).normalize_or_zero();
        let perp = Vec2::new(-d.y, d.x) * geom.tile.x / 2.0 / 3f32.sqrt();
        mid + perp
    };
    let edge_line = |h: Hex, dir: usize| -> (Vec2, Vec2) {
        let a = geom.center(h);
        let b = geom.center(h.neighbor(dir));
        let mid = (a + b) / 2.0;
        let p = corner(h, dir);
        (p, mid * 2.0 - p)
    };
    for i in 0..map.cells.len() {
        let h = map.hex_of_index(i);
        let cell = &map.cells[i];
        // Each edge once: directions 0–2.
        for dir in 0..3 {
            let n = h.neighbor(dir);
            let Some(other) = map.cell(n) else { continue };
            let e = cell.edges[dir];
            let (a, b) = (geom.center(h), geom.center(n));
            if let Some(r) = e.river {
                let (p, q) = edge_line(h, dir);
                let w = match r {
                    RiverClass::Minor => ink::rgb(ink::MINOR_RIVER),
                    RiverClass::Major => ink::rgb(ink::MAJOR_RIVER),
                    RiverClass::Great => ink::rgb(ink::GREAT_RIVER),
                };
                gizmos.line_2d(p, q, w);
                if r == RiverClass::Great {
                    gizmos.line_2d(p + Vec2::ONE, q + Vec2::ONE, w);
                }
            }
            if let Some(g) = e.rail {
                let c = if g == Gauge::Broad {
                    ink::rgb(ink::BROAD_RAIL)
                } else {
                    ink::rgb(ink::STANDARD_RAIL)
                };
                gizmos.line_2d(a, b, c);
            } else if let Some(r) = e.road {
                let c = if r == RoadClass::Main {
                    ink::rgb(ink::MAIN_ROAD)
                } else {
                    ink::rgb(ink::TRACK)
                };
                gizmos.line_2d(a, b, c.with_alpha(0.8));
            }
            if cell.country != other.country && cell.country.is_some() && other.country.is_some() {
                let (p, q) = edge_line(h, dir);
                gizmos.line_2d(p, q, ink::rgb(ink::BORDER));
            }
        }
        if cell.fort_level > 0 {
            let c = geom.center(h);
            let s = 4.0 + cell.fort_level as f32;
            gizmos.rect_2d(
                Isometry2d::from_translation(c),
                Vec2::splat(s * 2.0),
                ink::rgb(ink::FORT),
            );
        }
        if cell.pass {
            let c = geom.center(h);
            gizmos.line_2d(
                c + Vec2::new(-6.0, -4.0),
                c + Vec2::new(0.0, 5.0),
                Color::BLACK,
            );
            gizmos.line_2d(
                c + Vec2::new(0.0, 5.0),
                c + Vec2::new(6.0, -4.0),
                Color::BLACK,
            );
        }
    }
    for p in &map.places {
        let c = geom.center(p.hex);
        let owner = control.owner[p.id.0 as usize];
        // A besieged town: its works, still held by the other side's garrison, squared in
        // that side's colour round the town's dot in its holder's.
        if let Some(side) = owner
            && control.besieged.contains(&p.id)
        {
            // Wider than a counter, so that it shows round the garrison's counter too.
            let s = geom.tile.x * 0.42;
            for k in [0.0, 1.0, 2.0] {
                gizmos.rect_2d(
                    Isometry2d::from_translation(c),
                    Vec2::splat((s + k) * 2.0),
                    ink::side_colour(Some(side.enemy())),
                );
            }
        }
        gizmos.circle_2d(
            Isometry2d::from_translation(c),
            5.0,
            ink::side_colour(owner),
        );
        gizmos.circle_2d(Isometry2d::from_translation(c), 3.0, Color::BLACK);
    }
}
