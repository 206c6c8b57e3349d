//! The hex tiles, drawn for this project at start-up: one pointy-topped hex per terrain,
//! with a pattern a player can read at a glance (dots of sand, trees, peaks, reeds, waves).

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

use crate::model::map::TerrainKind;

/// Pixel size of one tile (pointy hex: width × height).
pub const TILE_W: u32 = 32;
pub const TILE_H: u32 = 37;

/// The terrain tiles, in the order of the tile atlas.
pub const TERRAINS: [TerrainKind; 10] = TerrainKind::ALL;

/// The white hex that overlays tint.
pub const OVERLAY_TILE: u32 = TERRAINS.len() as u32;

pub fn index_of(t: TerrainKind) -> u32 {
    TERRAINS.iter().position(|x| *x == t).unwrap_or(0) as u32
}

pub fn colour(t: TerrainKind) -> [u8; 3] {
    match t {
        TerrainKind::Steppe => [196, 202, 132],
        TerrainKind::SandDesert => [228, 208, 150],
        TerrainKind::Farmland => [158, 196, 108],
        TerrainKind::Hills => [176, 160, 110],
        TerrainKind::ForestedHills => [92, 136, 78],
        TerrainKind::Mountains => [146, 118, 96],
        TerrainKind::Taiga => [58, 100, 70],
        TerrainKind::Marsh => [118, 160, 150],
        TerrainKind::Lake => [96, 140, 200],
        TerrainKind::Sea => [56, 86, 150],
    }
}

/// Whether pixel (x, y) of a tile lies inside the pointy hex.
fn inside(x: f32, y: f32) -> bool {
    let (w, h) = (TILE_W as f32, TILE_H as f32);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let (dx, dy) = ((x - cx).abs(), (y - cy).abs());
    let r = h / 2.0;
    dx <= w / 2.0 && dy <= r - dx * (r / 2.0) / (w / 2.0)
}

/// The tile atlas: the ten terrains side by side, with their marks (`detailed`) or plain, for
/// far zooms where marks would shimmer.
pub fn atlas(detailed: bool) -> Image {
    // The terrains, then one white hex that overlays tint.
    let (w, h) = (TILE_W * (TERRAINS.len() as u32 + 1), TILE_H);
    let mut data = vec![0u8; (w * h * 4) as usize];
    for (i, t) in TERRAINS.iter().map(Some).chain([None]).enumerate() {
        let Some(t) = t else {
            for y in 0..TILE_H {
                for x in 0..TILE_W {
                    if inside(x as f32 + 0.5, y as f32 + 0.5) {
                        let o = (((y * w) + i as u32 * TILE_W + x) * 4) as usize;
                        data[o..o + 4].copy_from_slice(&[255, 255, 255, 255]);
                    }
                }
            }
            continue;
        };
        let base = colour(*t);
        for y in 0..TILE_H {
            for x in 0..TILE_W {
                let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
                if !inside(fx, fy) {
                    continue;
                }
                let edge = !inside(fx + 1.2, fy)
                    || !inside(fx - 1.2, fy)
                    || !inside(fx, fy + 1.2)
                    || !inside(fx, fy - 1.2);
                let mut c = base;
                let shade = |c: [u8; 3], k: f32| c.map(|v| (v as f32 * k).clamp(0.0, 255.0) as u8);
                if detailed && pattern(*t, x, y) {
                    c = shade(c, 0.8);
                }
                if detailed && edge {
                    c = shade(c, 0.9);
                }
                let o = (((y * w) + i as u32 * TILE_W + x) * 4) as usize;
                data[o..o + 4].copy_from_slice(&[c[0], c[1], c[2], 255]);
            }
        }
    }
    Image::new(
        Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    )
}

/// Terrain marks, on a fixed lattice so neighbouring tiles join up.
fn pattern(t: TerrainKind, x: u32, y: u32) -> bool {
    match t {
        TerrainKind::SandDesert => (x * 7 + y * 13).is_multiple_of(11),
        TerrainKind::Farmland => y.is_multiple_of(6) && !x.is_multiple_of(3),
        TerrainKind::Hills => ((x as i32 - 16).abs() + (y as i32 - 22).abs() * 2) == 8,
        TerrainKind::ForestedHills | TerrainKind::Taiga => {
            let (px, py) = (x % 8, y % 9);
            (2..=6).contains(&py) && (px as i32 - 4).abs() <= (py as i32 - 2) / 2
        }
        TerrainKind::Mountains => {
            let px = x % 12;
            let py = y % 12;
            py >= 3 && (px as i32 - 6).abs() == (py as i32 - 3)
        }
        TerrainKind::Marsh => y.is_multiple_of(5) && !(x / 2).is_multiple_of(3),
        TerrainKind::Lake | TerrainKind::Sea => y.is_multiple_of(7) && (x + y) % 5 < 2,
        TerrainKind::Steppe => (x * 5 + y * 3).is_multiple_of(29),
    }
}
