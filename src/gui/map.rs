//! The map: starting the game in the window's world, the tilemap of terrain, rivers,
//! railways, roads, borders, places and fortified regions, and the overlays.

use bevy::prelude::*;
use bevy_ecs_tilemap::prelude::*;

use super::{Launch, Overlay, Screen, Ui};
use crate::model::logistics::*;
use crate::model::map::{Gauge, RiverClass, RoadClass};
use crate::model::*;
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<OverlayData>()
        .add_systems(OnEnter(Screen::Playing), (start_game, spawn_map).chain())
        .add_systems(
            Update,
            (refresh_overlays, draw_features, draw_overlay)
                .chain()
                .run_if(in_state(Screen::Playing)),
        );
}

/// Marks that a game has been spawned into this world.
#[derive(Resource)]
pub struct Started;

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

/// Spawns the scenario (or the saved game) into this world, once.
pub fn start_game(world: &mut World) {
    if world.get_resource::<Started>().is_some() {
        return;
    }
    let launch = world.resource::<Launch>().clone();
    let result = match &launch.load {
        Some(p) => crate::scenario::save::load_into(world, p),
        None => crate::cli::simulate::prepare(&launch.scenario, None, &[]).map(|(s, setup, sw)| {
            crate::scenario::spawn::spawn(world, &s, setup, sw);
        }),
    };
    if let Err(d) = result {
        for x in &d {
            eprintln!("{x}");
        }
        world.write_message(AppExit::error());
        return;
    }
    world.insert_resource(Started);
}

fn spawn_map(
    mut commands: Commands,
    map: Option<Res<Map>>,
    mut images: ResMut<Assets<Image>>,
    mut ui: ResMut<Ui>,
) {
    let Some(map) = map else { return };
    let texture = images.add(super::tiles::atlas());
    let size = TilemapSize {
        x: map.cols as u32,
        y: map.rows as u32,
    };
    let tile = TilemapTileSize {
        x: super::tiles::TILE_W as f32,
        y: super::tiles::TILE_H as f32,
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
                texture_index: TileTextureIndex(super::tiles::index_of(map.cells[i].terrain)),
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
        let big = matches!(
            p.kind,
            crate::model::map::PlaceKind::City | crate::model::map::PlaceKind::Port
        );
        commands.spawn((
            Text2d::new(p.name.clone()),
            TextFont {
                font_size: FontSize::Px(if big { 13.0 } else { 10.0 }),
                ..default()
            },
            TextColor(Color::srgb(0.08, 0.08, 0.1)),
            Transform::from_xyz(at.x, at.y + 14.0, 5.0),
            PlaceLabel,
        ));
    }
    commands.insert_resource(geom);
    ui.overlay = Overlay::None;
}

#[derive(Component)]
pub struct PlaceLabel;

/// Rivers, railways, roads, borders, places and fortified regions, drawn over the tiles.
fn draw_features(
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
                    RiverClass::Minor => Color::srgb(0.35, 0.55, 0.85),
                    RiverClass::Major => Color::srgb(0.2, 0.45, 0.9),
                    RiverClass::Great => Color::srgb(0.1, 0.3, 0.85),
                };
                gizmos.line_2d(p, q, w);
                if r == RiverClass::Great {
                    gizmos.line_2d(p + Vec2::ONE, q + Vec2::ONE, w);
                }
            }
            if let Some(g) = e.rail {
                let c = if g == Gauge::Broad {
                    Color::srgb(0.45, 0.05, 0.05)
                } else {
                    Color::srgb(0.12, 0.12, 0.12)
                };
                gizmos.line_2d(a, b, c);
            } else if let Some(r) = e.road {
                let c = if r == RoadClass::Main {
                    Color::srgb(0.75, 0.3, 0.1)
                } else {
                    Color::srgb(0.55, 0.4, 0.25)
                };
                gizmos.line_2d(a, b, c.with_alpha(0.8));
            }
            if cell.country != other.country && cell.country.is_some() && other.country.is_some() {
                let (p, q) = edge_line(h, dir);
                gizmos.line_2d(p, q, Color::srgb(0.75, 0.1, 0.6));
            }
        }
        if cell.fort_level > 0 {
            let c = geom.center(h);
            let s = 4.0 + cell.fort_level as f32;
            gizmos.rect_2d(
                Isometry2d::from_translation(c),
                Vec2::splat(s * 2.0),
                Color::srgb(0.15, 0.15, 0.15),
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
        let col = match owner {
            Some(Side::Soviet) => Color::srgb(0.8, 0.1, 0.1),
            Some(Side::Japanese) => Color::srgb(0.95, 0.85, 0.2),
            None => Color::WHITE,
        };
        gizmos.circle_2d(Isometry2d::from_translation(c), 5.0, col);
        gizmos.circle_2d(Isometry2d::from_translation(c), 3.0, Color::BLACK);
    }
}

/// The overlay chosen with the function keys.
fn draw_overlay(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    map: Option<Res<Map>>,
    geom: Option<Res<Geom>>,
    world_bits: Res<OverlayData>,
) {
    let (Some(map), Some(geom)) = (map, geom) else {
        return;
    };
    match ui.overlay {
        Overlay::Supply => {
            for (i, v) in world_bits.haul.iter().enumerate() {
                let h = map.hex_of_index(i);
                let c = geom.center(h);
                let col = match v {
                    None => Color::srgba(0.6, 0.0, 0.0, 0.5),
                    Some(km) if *km < 100.0 => Color::srgba(0.0, 0.7, 0.0, 0.45),
                    Some(km) if *km < 300.0 => Color::srgba(0.7, 0.8, 0.0, 0.45),
                    Some(_) => Color::srgba(0.9, 0.5, 0.0, 0.45),
                };
                if v.is_some() || map.initial_owner(h).is_some() {
                    gizmos.circle_2d(Isometry2d::from_translation(c), 6.0, col);
                }
            }
        }
        Overlay::Zoc => {
            for h in &world_bits.zoc {
                gizmos.circle_2d(
                    Isometry2d::from_translation(geom.center(*h)),
                    8.0,
                    Color::srgba(0.9, 0.1, 0.1, 0.6),
                );
            }
        }
        _ => {}
    }
}

/// What the overlays show, recomputed when the turn changes.
#[derive(Resource, Default)]
pub struct OverlayData {
    pub turn: (u32, Option<Side>),
    pub haul: Vec<Option<f64>>,
    pub zoc: Vec<Hex>,
}

/// Recomputes the overlay data for the side viewing (the side to move).
pub fn refresh_overlays(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let cal = world.resource::<Calendar>().clone();
    let key = (cal.turn, Some(cal.active));
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
    let side = cal.active;
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
    let zoc = map
        .hexes()
        .filter(|h| occ.enemy_zoc(&map, *h, side))
        .collect();
    world.insert_resource(OverlayData {
        turn: key,
        haul: field.into_iter().map(|x| x.map(|(km, _)| km)).collect(),
        zoc,
    });
}
