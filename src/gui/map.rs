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
    let result = match (&launch.replay, &launch.pbem, &launch.load) {
        (Some(p), _, _) => super::replay::open(world, p),
        (None, Some(w), _) => match w.play() {
            Ok(mut played) => {
                // Whose move it is, said once the map is up.
                let now = world.resource::<Time>().elapsed_secs_f64();
                world.resource_mut::<super::Ui>().toast = Some((
                    format!(
                        "A game by e-mail. {}",
                        crate::pbem::whose_move(&played, &w.key)
                    ),
                    now + 12.0,
                ));
                crate::rules::save::game_into(world, &mut played.game, &w.game)
            }
            Err(m) => {
                eprintln!("error: {m}");
                world.write_message(AppExit::error());
                return;
            }
        },
        (None, None, Some(p)) => crate::rules::save::load_into(world, p),
        (None, None, None) => {
            crate::scenario::prepare_game(&launch.scenario, None, &launch.what_ifs).map(
                |(s, setup, sw)| {
                    crate::rules::game::start(world, &s, setup, sw);
                },
            )
        }
    };
    if let Err(d) = result {
        for x in &d {
            eprintln!("{x}");
        }
        // A save chosen on the title screen to watch that does not open (edited by hand,
        // its notes file in error) sends the player back there with the reason.
        if launch.replay.is_some() && !launch.skip_title {
            let reason = d
                .iter()
                .find(|x| x.is_error())
                .map(|x| x.to_string())
                .unwrap_or_default();
            let now = world.resource::<Time>().elapsed_secs_f64();
            world.resource_mut::<Ui>().toast = Some((reason, now + 60.0));
            let mut l = world.resource_mut::<Launch>();
            l.replay = None;
            l.mode = super::Mode::Play(Side::Soviet);
            world.resource_mut::<NextState<Screen>>().set(Screen::Title);
            return;
        }
        world.write_message(AppExit::error());
        return;
    }
    world.insert_resource(objective_places(world));
    world.insert_resource(Started);
    // A new game of a scenario with a briefing opens on it (not a game resumed, watched
    // again or driven by a script).
    let fresh = world.resource::<Calendar>().turn == 1
        && world.resource::<EventLog>().events.is_empty()
        && launch.script.is_none()
        && launch.screenshot.is_none()
        && launch.replay.is_none();
    if fresh
        && world
            .get_resource::<crate::scenario::spawn::BriefingRes>()
            .is_some_and(|b| b.0.is_some())
    {
        world.resource_mut::<Ui>().briefing = true;
    }
    // A finished game opens on its debrief (watched again, on its first phase).
    if world.resource::<Calendar>().finished && launch.replay.is_none() {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Debrief);
    }
}

fn spawn_map(
    mut commands: Commands,
    map: Option<Res<Map>>,
    mut images: ResMut<Assets<Image>>,
    mut ui: ResMut<Ui>,
) {
    let Some(map) = map else { return };
    let atlases = Atlases {
        detailed: images.add(super::tiles::atlas(true)),
        plain: images.add(super::tiles::atlas(false)),
    };
    let texture = atlases.detailed.clone();
    let atlases_plain = atlases.plain.clone();
    commands.insert_resource(atlases);
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
                    texture_index: TileTextureIndex(super::tiles::OVERLAY_TILE),
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

/// A place's name on the map: cities and ports always, towns when zoomed in.
#[derive(Component)]
pub struct PlaceLabel {
    big: bool,
    at: Vec2,
    chars: usize,
    font: f32,
    value: f64,
}

/// The tilemap of the overlay layer.
#[derive(Component)]
pub struct OverlayLayer;

/// A tile of the overlay layer, with the index of its cell.
#[derive(Component)]
pub struct OverlayTile(usize);

/// Tints the overlay layer for the overlay shown; hides it for the others.
fn paint_overlay(
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

/// The colour of a hex in the supply overlay: a scale of its own, light cyan near a railhead
/// or depot through blue and violet to magenta as the lorry haul lengthens, and near-black
/// where no lorry reaches ground the side holds, so that no band can be taken for the
/// greens, yellows and browns of the ground under it. The bands also darken in turn, so the
/// overlay still reads printed in grey.
pub fn haul_colour(haul: Option<f64>, owned: bool) -> Option<Color> {
    match haul {
        Some(km) if km < 100.0 => Some(Color::srgba(0.35, 0.9, 1.0, 0.55)),
        Some(km) if km < 250.0 => Some(Color::srgba(0.2, 0.45, 1.0, 0.6)),
        Some(km) if km < 400.0 => Some(Color::srgba(0.5, 0.15, 0.85, 0.65)),
        Some(_) => Some(Color::srgba(0.75, 0.0, 0.55, 0.7)),
        None if owned => Some(Color::srgba(0.05, 0.0, 0.05, 0.72)),
        None => None,
    }
}

/// The tiles with terrain marks (close up) and without (far out, where marks would shimmer).
#[derive(Resource)]
pub struct Atlases {
    detailed: Handle<Image>,
    plain: Handle<Image>,
}

fn camera_scale(cam: &Query<&Projection, With<super::input::MainCamera>>) -> f32 {
    match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    }
}

/// Keeps place names the same size on screen whatever the zoom, towns only when close, and
/// never one name over another: each is put above its place, else below, right or left of
/// it, the most important first; a name with no free spot waits for a closer zoom.
fn scale_labels(
    cam: Query<&Projection, With<super::input::MainCamera>>,
    mut labels: Query<(&PlaceLabel, &mut Transform, &mut Visibility)>,
    mut last: Local<Option<f32>>,
) {
    let s = camera_scale(&cam);
    if *last == Some(s) {
        return;
    }
    *last = Some(s);
    let mut all: Vec<_> = labels.iter_mut().collect();
    let wanted: Vec<LabelBox> = all
        .iter()
        .map(|(l, _, _)| LabelBox {
            at: l.at,
            size: label_size(l.chars, l.font, s.max(0.8)),
            gap: 12.0 * s.max(1.0),
            rank: (u8::from(!l.big), -l.value),
            shown: l.big || s < 1.6,
        })
        .collect();
    let placed = place_labels(&wanted);
    for ((_, t, v), spot) in all.iter_mut().zip(placed) {
        t.scale = Vec3::splat(s.max(0.8));
        let want = match spot {
            Some(c) => {
                t.translation.x = c.x;
                t.translation.y = c.y;
                Visibility::Inherited
            }
            None => Visibility::Hidden,
        };
        if **v != want {
            **v = want;
        }
    }
}

/// The size in world units of a name of `chars` characters at a font size and scale (the
/// default font's characters average a little over half their height in width).
fn label_size(chars: usize, font: f32, scale: f32) -> Vec2 {
    Vec2::new(chars as f32 * font * 0.56 + 4.0, font * 1.15) * scale
}

/// A name to place: its place's point, its size, the gap to keep from the point, its rank
/// (lower first) and whether it is shown at this zoom at all.
#[derive(Debug, Clone, PartialEq)]
struct LabelBox {
    at: Vec2,
    size: Vec2,
    gap: f32,
    rank: (u8, f64),
    shown: bool,
}

/// Where each name's centre goes, or `None` for a name hidden at this zoom or with no free
/// spot: greedily by rank, trying above, below, right and left of its place.
fn place_labels(boxes: &[LabelBox]) -> Vec<Option<Vec2>> {
    let mut order: Vec<usize> = (0..boxes.len()).filter(|&i| boxes[i].shown).collect();
    order.sort_by(|&a, &b| {
        boxes[a]
            .rank
            .partial_cmp(&boxes[b].rank)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut taken: Vec<(Vec2, Vec2)> = Vec::new();
    let mut out = vec![None; boxes.len()];
    for i in order {
        let b = &boxes[i];
        let (w, h) = (b.size.x, b.size.y);
        let spots = [
            b.at + Vec2::new(0.0, b.gap),
            b.at - Vec2::new(0.0, b.gap + h * 0.5),
            b.at + Vec2::new(b.gap + w * 0.5, 0.0),
            b.at - Vec2::new(b.gap + w * 0.5, 0.0),
        ];
        let free = |c: Vec2| {
            let (lo, hi) = (c - b.size * 0.5, c + b.size * 0.5);
            taken
                .iter()
                .all(|(l, u)| hi.x <= l.x || lo.x >= u.x || hi.y <= l.y || lo.y >= u.y)
        };
        if let Some(c) = spots.into_iter().find(|&c| free(c)) {
            taken.push((c - b.size * 0.5, c + b.size * 0.5));
            out[i] = Some(c);
        }
    }
    out
}

#[cfg(test)]
mod label_tests {
    use super::*;

    fn at(x: f32, y: f32, chars: usize, rank: u8) -> LabelBox {
        LabelBox {
            at: Vec2::new(x, y),
            size: label_size(chars, 15.0, 1.0),
            gap: 12.0,
            rank: (rank, 0.0),
            shown: true,
        }
    }

    #[test]
    fn two_places_side_by_side_get_names_that_do_not_overlap() {
        // Port Arthur and Dalian, a few hexes apart: the second name moves below its place.
        let placed = place_labels(&[at(0.0, 0.0, 11, 0), at(40.0, 0.0, 6, 1)]);
        let (a, b) = (placed[0].unwrap(), placed[1].unwrap());
        assert_eq!(a, Vec2::new(0.0, 12.0));
        assert!(b.y < 0.0, "{b}");
    }

    #[test]
    fn a_name_with_no_free_spot_waits_for_a_closer_zoom_and_the_more_important_one_stays() {
        let crowd: Vec<LabelBox> = (0..6).map(|i| at(i as f32, 0.0, 8, i as u8)).collect();
        let placed = place_labels(&crowd);
        assert!(placed[0].is_some());
        assert!(placed.iter().any(Option::is_none));
    }
}

fn swap_atlas(
    cam: Query<&Projection, With<super::input::MainCamera>>,
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

/// The selected unit's march to the hex under the mouse: its route, where each turn ends,
/// and the enemy zones of control it crosses; and every march ordered this turn, in gold,
/// with the same rings, until the turn ends.
fn draw_preview(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<super::input::MainCamera>>,
) {
    let Some(geom) = geom else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    let gold = [Color::srgb(1.0, 0.85, 0.2), Color::srgb(1.0, 0.6, 0.1)];
    for (u, _, p) in &ui.planned {
        // The one being re-planned under the mouse is drawn by its preview.
        if ui.preview.as_ref().is_some_and(|(x, _, _)| x == u) {
            continue;
        }
        draw_march(&mut gizmos, &geom, p, k, gold);
    }
    let Some((_, _, p)) = ui.preview.as_ref() else {
        return;
    };
    draw_march(
        &mut gizmos,
        &geom,
        p,
        k,
        [Color::srgb(1.0, 1.0, 1.0), Color::srgb(0.3, 0.9, 1.0)],
    );
}

/// One march: its legs in alternating colours, a ring per turn where each turn ends, crosses
/// on the zones of control it enters, and a red ring where it would stall.
fn draw_march(
    gizmos: &mut Gizmos,
    geom: &Geom,
    p: &crate::rules::preview::MarchPreview,
    k: f32,
    colours: [Color; 2],
) {
    let mut last: Option<Vec2> = None;
    for (i, leg) in p.legs.iter().enumerate() {
        let c = colours[i % 2];
        for h in leg {
            let here = geom.center(*h);
            if let Some(a) = last {
                gizmos.line_2d(a, here, c);
                gizmos.line_2d(a + Vec2::Y * k * 0.7, here + Vec2::Y * k * 0.7, c);
            }
            last = Some(here);
        }
        // Where the turn ends: a ring, one more per turn.
        if let Some(end) = leg.last() {
            let at = geom.center(*end);
            for r in 0..=(i.min(3)) {
                gizmos.circle_2d(
                    Isometry2d::from_translation(at),
                    (5.0 + 2.5 * r as f32) * k,
                    c,
                );
            }
        }
    }
    if p.legs.is_empty() {
        return;
    }
    for h in &p.zoc {
        let c = geom.center(*h);
        let d = 5.0 * k;
        let red = Color::srgb(1.0, 0.15, 0.1);
        gizmos.line_2d(c + Vec2::new(-d, -d), c + Vec2::new(d, d), red);
        gizmos.line_2d(c + Vec2::new(-d, d), c + Vec2::new(d, -d), red);
    }
    if !p.arrives
        && let Some(end) = p.legs.last().and_then(|l| l.last())
    {
        gizmos.circle_2d(
            Isometry2d::from_translation(geom.center(*end)),
            14.0 * k,
            Color::srgb(1.0, 0.3, 0.1),
        );
    }
}

/// The places each side's objectives name (to take or to hold), for the map's marks.
#[derive(Resource, Debug, Clone, Default)]
pub struct ObjectivePlaces(pub [Vec<Hex>; 2]);

fn objective_places(world: &World) -> ObjectivePlaces {
    use crate::scenario::schema::Goal;
    let map = world.resource::<Map>();
    let mut out = ObjectivePlaces::default();
    for o in crate::report::victory::objectives(world) {
        let places = match &o.goal {
            Goal::Capture { places, .. } | Goal::Hold { places, .. } => places,
            _ => continue,
        };
        let list = &mut out.0[crate::model::intel::side_index(o.side)];
        for h in places
            .iter()
            .filter_map(|n| map.place_named(n))
            .map(|p| p.hex)
        {
            if !list.contains(&h) {
                list.push(h);
            }
        }
    }
    out
}

/// The places the player's objectives name: a gold ring with four spokes round each, so the
/// goals of the campaign are seen where they are (their state is in the top bar).
fn mark_objectives(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    places: Option<Res<ObjectivePlaces>>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<super::input::MainCamera>>,
) {
    let (Some(places), Some(geom), Some(viewer)) = (places, geom, ui.viewer) else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    let gold = ink::rgb(ink::OBJECTIVE);
    for h in &places.0[crate::model::intel::side_index(viewer)] {
        let c = geom.center(*h);
        gizmos.circle_2d(Isometry2d::from_translation(c), 11.0 * k, gold);
        gizmos.circle_2d(Isometry2d::from_translation(c), 12.0 * k, gold);
        for d in [Vec2::X, Vec2::Y, -Vec2::X, -Vec2::Y] {
            gizmos.line_2d(c + d * 12.0 * k, c + d * 17.0 * k, gold);
        }
    }
}

/// What happened since the player's last turn, on the map until they end the next one: the
/// enemy's marches the player sees now, as orange trails ending in a dot, and every battle
/// as a red burst.
fn draw_since_your_turn(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    launch: Res<Launch>,
    events: Option<Res<EventLog>>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<super::input::MainCamera>>,
    sides: Query<(&UnitId, &Allegiance)>,
) {
    let (Some(events), Some(geom), Some(viewer)) = (events, geom, ui.viewer) else {
        return;
    };
    if launch.replay.is_some() {
        return;
    }
    let Some(from) = ui.since[crate::model::intel::side_index(viewer)] else {
        return;
    };
    let k = camera_scale(&cam).max(1.0);
    let enemy_seen = |u: &UnitId| {
        sides
            .iter()
            .find(|(i, _)| *i == u)
            .is_some_and(|(_, a)| a.side != viewer)
            && ui.visible.as_ref().is_none_or(|v| v.contains(u))
    };
    let mut trails: std::collections::BTreeMap<UnitId, Vec<Hex>> = Default::default();
    let orange = ink::rgb(ink::ENEMY_TRAIL);
    let red = ink::rgb(ink::BATTLE);
    for e in events.events.get(from..).unwrap_or_default() {
        match &e.event {
            GameEvent::UnitMoved {
                unit, from, path, ..
            } if enemy_seen(unit) => {
                let t = trails.entry(*unit).or_insert_with(|| vec![*from]);
                if t.last() != Some(from) {
                    t.push(*from);
                }
                t.extend(path.iter().copied());
            }
            GameEvent::Battle { target, .. } => {
                draw_burst(&mut gizmos, geom.center(*target), k, red);
            }
            _ => {}
        }
    }
    for path in trails.values().filter(|p| p.len() > 1) {
        let points: Vec<Vec2> = path.iter().map(|h| geom.center(*h)).collect();
        draw_trail(&mut gizmos, &points, k, orange);
    }
}

/// A march drawn as a trail of three strands (so that it reads at the widest zoom too)
/// ending in a dot; `k` is the camera's scale.
pub fn draw_trail(gizmos: &mut Gizmos, points: &[Vec2], k: f32, colour: Color) {
    for w in points.windows(2) {
        for o in [-0.9, 0.0, 0.9] {
            let d = Vec2::new(o, o) * k;
            gizmos.line_2d(w[0] + d, w[1] + d, colour);
        }
    }
    if let Some(end) = points.last() {
        gizmos.circle_2d(Isometry2d::from_translation(*end), 3.0 * k, colour);
        gizmos.circle_2d(Isometry2d::from_translation(*end), 2.0 * k, colour);
    }
}

/// A battle drawn as a burst: two rings and eight rays round the hex's centre.
pub fn draw_burst(gizmos: &mut Gizmos, c: Vec2, k: f32, colour: Color) {
    for radius in [9.0, 13.0] {
        gizmos.circle_2d(Isometry2d::from_translation(c), radius * k, colour);
    }
    for i in 0..8 {
        let a = i as f32 * std::f32::consts::FRAC_PI_4;
        let d = Vec2::new(a.cos(), a.sin());
        gizmos.line_2d(c + d * 14.0 * k, c + d * 19.0 * k, colour);
    }
}

/// Replaces the game on screen with a saved one (already checked to load).
pub fn reload(world: &mut World, path: std::path::PathBuf) {
    let mut doomed: Vec<Entity> = Vec::new();
    doomed.extend(world.query_filtered::<Entity, With<UnitId>>().iter(world));
    doomed.extend(
        world
            .query_filtered::<Entity, With<PlaceLabel>>()
            .iter(world),
    );
    doomed.extend(
        world
            .query_filtered::<Entity, With<TileStorage>>()
            .iter(world),
    );
    doomed.extend(world.query_filtered::<Entity, With<TilePos>>().iter(world));
    for e in doomed {
        if let Ok(e) = world.get_entity_mut(e) {
            e.despawn();
        }
    }
    world.remove_resource::<Started>();
    world.remove_resource::<Geom>();
    world.insert_resource(OverlayData::default());
    {
        let mut ui = world.resource_mut::<Ui>();
        ui.selected = None;
        ui.attack = None;
        ui.preview = None;
        ui.planned.clear();
        ui.planned_key = None;
    }
    world.resource_mut::<Launch>().load = Some(path);
    start_game(world);
    let _ = world.run_system_cached(spawn_map);
}

/// The colours of the lines on the map, shared by the drawing and the map key.
pub mod ink {
    use bevy::prelude::Color;

    pub const MINOR_RIVER: [f32; 3] = [0.35, 0.55, 0.85];
    pub const MAJOR_RIVER: [f32; 3] = [0.2, 0.45, 0.9];
    pub const GREAT_RIVER: [f32; 3] = [0.1, 0.3, 0.85];
    pub const BROAD_RAIL: [f32; 3] = [0.45, 0.05, 0.05];
    pub const STANDARD_RAIL: [f32; 3] = [0.12, 0.12, 0.12];
    pub const MAIN_ROAD: [f32; 3] = [0.75, 0.3, 0.1];
    pub const TRACK: [f32; 3] = [0.55, 0.4, 0.25];
    pub const BORDER: [f32; 3] = [0.75, 0.1, 0.6];
    pub const FORT: [f32; 3] = [0.15, 0.15, 0.15];
    pub const ENEMY_TRAIL: [f32; 3] = [1.0, 0.55, 0.0];
    pub const BATTLE: [f32; 3] = [1.0, 0.15, 0.1];
    pub const OBJECTIVE: [f32; 3] = [1.0, 0.8, 0.1];

    pub fn rgb(c: [f32; 3]) -> Color {
        Color::srgb(c[0], c[1], c[2])
    }

    /// What each line means, for the key.
    pub const KEY: [([f32; 3], &str); 12] = [
        (BROAD_RAIL, "railway, Soviet broad gauge"),
        (STANDARD_RAIL, "railway, standard gauge (Manchuria, Korea)"),
        (MAIN_ROAD, "main road"),
        (TRACK, "track"),
        (MINOR_RIVER, "river"),
        (MAJOR_RIVER, "major river (a defence line)"),
        (
            GREAT_RIVER,
            "great river, drawn double (Amur, Ussuri, Sungari)",
        ),
        (BORDER, "frontier"),
        (FORT, "square on a hex: fortified region (larger, stronger)"),
        (ENEMY_TRAIL, "since your last turn: an enemy march you see"),
        (BATTLE, "since your last turn: a battle (red burst)"),
        (
            OBJECTIVE,
            "gold ring with spokes: a place your objectives name (top bar: their state)",
        ),
    ];
}

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
                gizmos.rect_2d(Isometry2d::from_translation(c), super::units::COUNTER, col);
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

/// What the overlays show, recomputed when the turn changes.
#[derive(Resource, Default)]
pub struct OverlayData {
    pub turn: (u32, Option<Side>),
    /// Lorry haul in km from the nearest supply point, per cell.
    pub haul: Vec<Option<f64>>,
    /// Whether the viewing side held the cell at the start (where no supply shows red).
    pub owned: Vec<bool>,
    pub zoc_index: Vec<usize>,
    /// Enemy units the viewer sees now; `None` without fog of war.
    pub visible: Option<std::collections::BTreeSet<UnitId>>,
    /// Cells the viewer sees now (empty without fog).
    pub observed: Vec<bool>,
    /// Enemy units seen before and not now: where, and how long ago.
    pub last_known: Vec<crate::model::intel::KnownUnit>,
    /// What the viewer's intelligence believes of each enemy unit it knows: men and tanks,
    /// as estimated when last seen. Empty without fog.
    pub estimates: std::collections::BTreeMap<UnitId, (u32, u32)>,
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
