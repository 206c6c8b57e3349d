//! The map: the tilemap of terrain (detailed or plain with the zoom) spawned for the game,
//! and the systems that draw over it.

pub mod features;
pub mod labels;
pub mod marks;
pub mod overlays;

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use crate::gui::camera::camera_scale;
use crate::gui::geom::Geom;
use crate::gui::map::features::draw_features;
use crate::gui::map::labels::{PlaceLabel, scale_labels};
use crate::gui::map::marks::{draw_preview, draw_since_your_turn, mark_objectives};
use crate::gui::map::overlays::{
    OverlayLayer, OverlayTile, draw_overlay, paint_overlay, refresh_overlays,
};
use crate::gui::overlay::OverlayData;
use crate::gui::state::{Overlay, Screen, Ui};
use crate::model::*;

pub fn plugin(app: &mut App) {
    app.init_resource::<OverlayData>().add_systems(
        Update,
        (
            refresh_overlays,
            draw_features,
            draw_overlay,
            paint_overlay,
            draw_preview,
            draw_since_your_turn,
            mark_objectives,
            scale_labels,
            swap_atlas,
        )
            .chain()
            .run_if(in_state(Screen::Playing)),
    );
}

pub fn spawn_map(
    mut commands: Commands,
    map: Option<Res<Map>>,
    mut images: ResMut<Assets<Image>>,
    mut ui: ResMut<Ui>,
) {
    let Some(map) = map else { return };
    let atlases = Atlases {
        detailed: images.add(crate::gui::tiles::atlas(true)),
        plain: images.add(crate::gui::tiles::atlas(false)),
    };
    let texture = atlases.detailed.clone();
    let atlases_plain = atlases.plain.clone();
    commands.insert_resource(atlases);
    let size = TilemapSize {
        x: map.cols as u32,
        y: map.rows as u32,
    };
    let tile = TilemapTileSize {
        x: crate::gui::tiles::TILE_W as f32,
        y: crate::gui::tiles::TILE_H as f32,
    };
    let grid = TilemapGridSize {
        x: tile.x,
        y: tile.y,
    };
    let kind = TilemapType::Hexagon(HexCoordSystem::RowOdd);
    let anchor = TilemapAnchor::Center;
    let mut storage = TileStorage::empty(size);
    let tilemap = commands.spawn_empty().id();
    for i in 0..map.cells.len() {
        let h = map.hex_of_index(i);
        let (c, r) = h.to_offset();
        let pos = TilePos {
            x: c as u32,
            y: r as u32,
        };
        let t = commands
            .spawn(TileBundle {
                position: pos,
                tilemap_id: TilemapId(tilemap),
                texture_index: TileTextureIndex(crate::gui::tiles::index_of(map.cells[i].terrain)),
                ..default()
            })
            .id();
        storage.set(&pos, t);
    }
    commands.entity(tilemap).insert(TilemapBundle {
        grid_size: grid,
        size,
        storage,
        texture: TilemapTexture::Single(texture),
        tile_size: tile,
        map_type: kind,
        anchor,
        ..default()
    });
    // The overlay layer: a white hex per cell above the terrain, tinted by the overlay shown.
    let layer = commands.spawn_empty().id();
    let mut storage = TileStorage::empty(size);
    for i in 0..map.cells.len() {
        let (c, r) = map.hex_of_index(i).to_offset();
        let pos = TilePos {
            x: c as u32,
            y: r as u32,
        };
        let t = commands
            .spawn((
                TileBundle {
                    position: pos,
                    tilemap_id: TilemapId(layer),
                    texture_index: TileTextureIndex(crate::gui::tiles::OVERLAY_TILE),
                    visible: TileVisible(false),
                    ..default()
                },
                OverlayTile(i),
            ))
            .id();
        storage.set(&pos, t);
    }
    commands.entity(layer).insert((
        TilemapBundle {
            grid_size: grid,
            size,
            storage,
            texture: TilemapTexture::Single(atlases_plain),
            tile_size: tile,
            map_type: kind,
            anchor,
            transform: Transform::from_xyz(0.0, 0.0, 1.0),
            ..default()
        },
        OverlayLayer,
    ));
    let geom = Geom {
        size,
        grid,
        tile,
        kind,
        anchor,
    };
    // Place names: cities larger, towns smaller; drawn above the counters.
    for p in &map.places {
        let at = geom.center(p.hex);
        // The places that matter most are named at every zoom, the rest close up.
        let big = p.value >= crate::report::batch::KEY_PLACE_VALUE;
        commands.spawn((
            Text2d::new(p.name.clone()),
            TextFont {
                font_size: FontSize::Px(if big { 15.0 } else { 12.0 }),
                ..default()
            },
            TextColor(Color::srgb(0.05, 0.05, 0.08)),
            bevy::sprite::Text2dShadow {
                offset: Vec2::new(1.0, -1.0),
                color: Color::srgba(1.0, 1.0, 1.0, 0.7),
            },
            Transform::from_xyz(at.x, at.y + 12.0, 30.0),
            PlaceLabel {
                big,
                at,
                chars: p.name.chars().count(),
                font: if big { 15.0 } else { 12.0 },
                value: f64::from(p.value),
            },
        ));
    }
    commands.insert_resource(geom);
    ui.overlay = Overlay::None;
}

/// The tiles with terrain marks (close up) and without (far out, where marks would shimmer).
#[derive(Resource)]
pub struct Atlases {
    detailed: Handle<Image>,
    plain: Handle<Image>,
}

pub fn swap_atlas(
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
    atlases: Option<Res<Atlases>>,
    mut maps: Query<&mut TilemapTexture>,
) {
    let Some(a) = atlases else { return };
    let want = if camera_scale(&cam) > 1.8 {
        &a.plain
    } else {
        &a.detailed
    };
    for mut t in &mut maps {
        if !matches!(&*t, TilemapTexture::Single(h) if h == want) {
            *t = TilemapTexture::Single(want.clone());
        }
    }
}
