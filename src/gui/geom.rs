//! The tilemap's geometry: hexes to positions in the world and back, and the size of a
//! unit's counter there.

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use crate::model::*;

/// The tilemap's geometry, to turn hexes into screen positions and back.
#[derive(Resource, Clone, Copy)]
pub struct Geom {
    pub size: TilemapSize,
    pub grid: TilemapGridSize,
    pub tile: TilemapTileSize,
    pub kind: TilemapType,
    pub anchor: TilemapAnchor,
}

impl Geom {
    pub fn center(&self, h: Hex) -> Vec2 {
        let (c, r) = h.to_offset();
        TilePos {
            x: c.max(0) as u32,
            y: r.max(0) as u32,
        }
        .center_in_world(&self.size, &self.grid, &self.tile, &self.kind, &self.anchor)
    }

    pub fn hex_at(&self, p: Vec2) -> Option<Hex> {
        TilePos::from_world_pos(
            &p,
            &self.size,
            &self.grid,
            &self.tile,
            &self.kind,
            &self.anchor,
        )
        .map(|t| Hex::from_offset(t.x as i32, t.y as i32))
    }

    /// World size of the whole map.
    pub fn extent(&self) -> Vec2 {
        Vec2::new(
            self.size.x as f32 * self.grid.x,
            self.size.y as f32 * self.grid.y * 0.75,
        )
    }
}

pub const COUNTER: Vec2 = Vec2::new(22.0, 15.0);
