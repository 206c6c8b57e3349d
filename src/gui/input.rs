//! Input: the camera (pan and zoom), clicks and keys turned into UI actions, and the actions
//! turned into orders through the rules' own validation. Test scripts feed the same actions.

use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;
use bevy_egui::egui;
use bevy_egui::input::EguiWantsInput;

use super::map::{Geom, Started};
use super::{Launch, Mode, Overlay, Screen, Ui};
use crate::model::*;
use crate::rules::orders::submit;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<UiAction>()
        .add_systems(OnEnter(Screen::Playing), spawn_camera)
        .add_systems(
            Update,
            (
                fit_viewport,
                pointer_gate,
                camera_controls,
                mouse_actions,
                key_actions,
                apply_actions,
                update_view,
                ai_phase,
            )
                .chain()
                .run_if(in_state(Screen::Playing)),
        );
}

/// What a click or key means, before it becomes an order.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum UiAction {
    /// Select the top unit of the side to move in a hex.
    Select(Hex),
    /// Select a unit by name.
    SelectNamed(String),
    /// Order the selected unit to the hex: a march, or an attack if the enemy holds it.
    OrderTo(Hex),
    /// Commit the attack being prepared.
    ConfirmAttack,
    /// Cancel the selected unit's orders this turn (undo).
    Undo,
    /// Fly fuel to the selected unit.
    Airlift {
        fleet: FormationId,
        base: PlaceId,
        tons: f64,
    },
    /// The units beside the selected one hand it their fuel.
    ForwardDetachment,
    /// An order built by a panel (an air landing), submitted as it is.
    Order(Order),
    EndTurn,
    Save,
    Load,
}

#[derive(Component)]
pub struct MainCamera;

/// The zoom at which the whole theatre fits the map's part of the window.
pub fn fit_scale(geom: &Geom, window: &Window, margins: [f32; 3]) -> f32 {
    let e = geom.extent();
    let w = (window.width() - margins[0] - margins[1]).max(200.0);
    let h = (window.height() - margins[2]).max(200.0);
    (e.x / w).max(e.y / h) * 1.02
}

/// The camera that draws egui over everything, on its own so that the map's camera can be
/// confined to the space between the panels.
pub(super) fn spawn_ui_camera(
    mut commands: Commands,
    mut settings: ResMut<bevy_egui::EguiGlobalSettings>,
) {
    settings.auto_create_primary_context = false;
    commands.spawn((
        bevy_egui::PrimaryEguiContext,
        Camera2d,
        bevy::camera::visibility::RenderLayers::none(),
        Camera {
            order: 1,
            clear_color: ClearColorConfig::None,
            ..default()
        },
    ));
}

fn spawn_camera(
    mut commands: Commands,
    existing: Query<(), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    windows: Query<&Window>,
    ui: Res<Ui>,
) {
    if !existing.is_empty() {
        return;
    }
    // The whole theatre on screen at the start.
    let scale = match (geom, windows.single()) {
        (Some(g), Ok(w)) => fit_scale(&g, w, ui.margins),
        _ => 4.0,
    };
    commands.spawn((
        Camera2d,
        MainCamera,
        Camera {
            order: 0,
            ..default()
        },
        Projection::Orthographic(OrthographicProjection {
            scale,
            ..OrthographicProjection::default_2d()
        }),
        Transform::from_xyz(0.0, 0.0, 0.0),
    ));
}

/// Confines the map's camera to the space the panels leave.
fn fit_viewport(
    ui: Res<Ui>,
    windows: Query<&Window>,
    mut cam: Query<&mut Camera, With<MainCamera>>,
) {
    let (Ok(w), Ok(mut c)) = (windows.single(), cam.single_mut()) else {
        return;
    };
    let sf = w.scale_factor();
    let [l, r, t] = ui.margins.map(|m| (m * sf).round().max(0.0) as u32);
    let (pw, ph) = (w.physical_width(), w.physical_height());
    if pw <= l + r + 16 || ph <= t + 16 {
        return;
    }
    let vp = bevy::camera::Viewport {
        physical_position: UVec2::new(l, t),
        physical_size: UVec2::new(pw - l - r, ph - t),
        ..default()
    };
    let now = c
        .viewport
        .as_ref()
        .map(|v| (v.physical_position, v.physical_size));
    if now != Some((vp.physical_position, vp.physical_size)) {
        c.viewport = Some(vp);
    }
}

/// Decides, before any map input is read, whether the pointer is over the map. The panels
/// are laid out in a background layer, which egui's own "pointer over egui" test does not
/// count (bevy_egui's root area is the whole window), so that test alone let clicks, the wheel
/// and hovering over a panel through to the map under it. Here the pointer is on the map only
/// inside the space the panels leave, outside every egui window and menu, and while no egui
/// control holds the pointer (a slider dragged off its panel). The test uses the pointer's
/// position now, not egui's from the last frame, so the first click over a panel is caught too.
fn pointer_gate(
    windows: Query<&Window>,
    mut contexts: bevy_egui::EguiContexts,
    egui: Res<EguiWantsInput>,
    mut ui: ResMut<Ui>,
) {
    let on_map = (|| {
        let w = windows.single().ok()?;
        let p = w.cursor_position()?;
        let [l, r, t] = ui.margins;
        if p.x < l || p.x >= w.width() - r || p.y < t {
            return Some(false);
        }
        if egui.is_using_pointer() || egui.is_popup_open() {
            return Some(false);
        }
        let ctx = contexts.ctx_mut().ok()?;
        let at = egui::pos2(p.x, p.y) / ctx.zoom_factor();
        let over_window = ctx
            .layer_id_at(at)
            .is_some_and(|layer| layer.order != egui::Order::Background);
        Some(!over_window)
    })()
    .unwrap_or(false);
    if ui.pointer_on_map != on_map {
        ui.pointer_on_map = on_map;
    }
}

#[allow(clippy::too_many_arguments)]
fn camera_controls(
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    scroll: Res<AccumulatedMouseScroll>,
    motion: Res<AccumulatedMouseMotion>,
    egui: Res<EguiWantsInput>,
    time: Res<Time>,
    mut cam: Query<(&Camera, &GlobalTransform, &mut Transform, &mut Projection), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    windows: Query<&Window>,
    ui: Res<Ui>,
    launch: Res<Launch>,
) {
    let Ok((camera, global, mut t, mut proj)) = cam.single_mut() else {
        return;
    };
    let Projection::Orthographic(o) = proj.as_mut() else {
        return;
    };
    if !egui.wants_keyboard_input() {
        let mut d = Vec2::ZERO;
        // Watching a game again, the left and right arrows step through its phases.
        let (left, right) = if launch.mode == Mode::Replay {
            (vec![KeyCode::KeyA], vec![KeyCode::KeyD])
        } else {
            (
                vec![KeyCode::ArrowLeft, KeyCode::KeyA],
                vec![KeyCode::ArrowRight, KeyCode::KeyD],
            )
        };
        if keys.any_pressed(left) {
            d.x -= 1.0;
        }
        if keys.any_pressed(right) {
            d.x += 1.0;
        }
        if keys.any_pressed([KeyCode::ArrowUp, KeyCode::KeyW]) {
            d.y += 1.0;
        }
        if keys.any_pressed([KeyCode::ArrowDown, KeyCode::KeyS]) {
            d.y -= 1.0;
        }
        t.translation += (d * 600.0 * o.scale * time.delta_secs()).extend(0.0);
        let ctrl = keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]);
        if !ctrl && (keys.just_pressed(KeyCode::Equal) || keys.just_pressed(KeyCode::NumpadAdd)) {
            o.scale = (o.scale / 1.25).max(0.3);
        }
        if !ctrl
            && (keys.just_pressed(KeyCode::Minus) || keys.just_pressed(KeyCode::NumpadSubtract))
        {
            o.scale = (o.scale * 1.25).min(8.0);
        }
        // Home: the whole theatre.
        // Ctrl+Home is the replay viewer's start, not the whole theatre.
        if keys.just_pressed(KeyCode::Home)
            && !ctrl
            && let (Some(g), Ok(w)) = (geom.as_ref(), windows.single())
        {
            o.scale = fit_scale(g, w, ui.margins);
            t.translation = Vec3::ZERO;
        }
    }
    if ui.pointer_on_map {
        if scroll.delta.y != 0.0 {
            let before = o.scale;
            o.scale = (o.scale * (1.0 - scroll.delta.y.signum() * 0.12)).clamp(0.3, 8.0);
            // About the cursor: the point under it stays under it.
            if let Some(at) = windows
                .single()
                .ok()
                .and_then(|w| w.cursor_position())
                .and_then(|p| camera.viewport_to_world_2d(global, p).ok())
            {
                let k = o.scale / before;
                let c = t.translation.truncate();
                let moved = at + (c - at) * k;
                t.translation.x = moved.x;
                t.translation.y = moved.y;
            }
        }
        if buttons.pressed(MouseButton::Middle) {
            t.translation += Vec3::new(-motion.delta.x, motion.delta.y, 0.0) * o.scale;
        }
    }
}

/// The hex under the mouse, if any.
fn cursor_hex(
    windows: &Query<&Window>,
    cam: &Query<(&Camera, &GlobalTransform), With<MainCamera>>,
    geom: &Geom,
) -> Option<Hex> {
    let w = windows.single().ok()?;
    let p = w.cursor_position()?;
    let (c, gt) = cam.single().ok()?;
    let world = c.viewport_to_world_2d(gt, p).ok()?;
    geom.hex_at(world)
}

fn mouse_actions(
    buttons: Res<ButtonInput<MouseButton>>,
    windows: Query<&Window>,
    cam: Query<(&Camera, &GlobalTransform), With<MainCamera>>,
    geom: Option<Res<Geom>>,
    mut ui: ResMut<Ui>,
    mut out: MessageWriter<UiAction>,
) {
    let Some(geom) = geom else { return };
    let hex = cursor_hex(&windows, &cam, &geom);
    // With no pointer in the window (a test's script), the hovered hex is left as set.
    let pointer = windows
        .single()
        .ok()
        .and_then(|w| w.cursor_position())
        .is_some();
    // Over a panel or window the map under it is not hovered: no march preview behind it.
    let hex = hex.filter(|_| ui.pointer_on_map);
    if pointer && !ui.hover_pinned && ui.hovered != hex {
        ui.hovered = hex;
    }
    if !ui.pointer_on_map {
        return;
    }
    let Some(h) = hex else { return };
    if buttons.just_pressed(MouseButton::Left) {
        ui.map_clicks += 1;
        out.write(UiAction::Select(h));
    }
    if buttons.just_pressed(MouseButton::Right) {
        out.write(UiAction::OrderTo(h));
    }
}

fn key_actions(
    keys: Res<ButtonInput<KeyCode>>,
    egui: Res<EguiWantsInput>,
    mut ui: ResMut<Ui>,
    mut out: MessageWriter<UiAction>,
) {
    if egui.wants_keyboard_input() {
        return;
    }
    if keys.just_pressed(KeyCode::Enter) {
        out.write(UiAction::EndTurn);
    }
    if keys.just_pressed(KeyCode::Escape) {
        ui.selected = None;
        ui.attack = None;
        ui.preview = None;
    }
    // Ctrl with + or -: larger or smaller text and panels (for projectors and 4K screens).
    if keys.any_pressed([KeyCode::ControlLeft, KeyCode::ControlRight]) {
        let s = if ui.ui_scale > 0.0 { ui.ui_scale } else { 1.0 };
        if keys.just_pressed(KeyCode::Equal) || keys.just_pressed(KeyCode::NumpadAdd) {
            ui.ui_scale = (s * 1.15).min(3.0);
        }
        if keys.just_pressed(KeyCode::Minus) || keys.just_pressed(KeyCode::NumpadSubtract) {
            ui.ui_scale = (s / 1.15).max(0.6);
        }
        return;
    }
    if keys.just_pressed(KeyCode::KeyU) || keys.just_pressed(KeyCode::Backspace) {
        out.write(UiAction::Undo);
    }
    if keys.just_pressed(KeyCode::KeyH) || keys.just_pressed(KeyCode::F1) {
        ui.help = !ui.help;
    }
    if keys.just_pressed(KeyCode::KeyB) {
        ui.briefing = !ui.briefing;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        ui.explain = !ui.explain;
    }
    if keys.just_pressed(KeyCode::Space) {
        ui.paused = !ui.paused;
    }
    if keys.just_pressed(KeyCode::KeyN) {
        ui.step = true;
    }
    if keys.just_pressed(KeyCode::Tab) {
        ui.hide_unit_panel = !ui.hide_unit_panel;
    }
    if keys.just_pressed(KeyCode::KeyL) {
        ui.hide_log = !ui.hide_log;
    }
    let overlays = [
        (KeyCode::F2, Overlay::Supply),
        (KeyCode::F3, Overlay::Fuel),
        (KeyCode::F4, Overlay::Readiness),
        (KeyCode::F7, Overlay::Zoc),
        (KeyCode::F6, Overlay::Airlift),
        (KeyCode::F8, Overlay::Control),
        (KeyCode::F10, Overlay::Fog),
    ];
    for (k, o) in overlays {
        if keys.just_pressed(k) {
            ui.overlay = if ui.overlay == o { Overlay::None } else { o };
        }
    }
    if keys.just_pressed(KeyCode::F5) {
        out.write(UiAction::Save);
    }
    if keys.just_pressed(KeyCode::F9) {
        out.write(UiAction::Load);
    }
    if keys.just_pressed(KeyCode::KeyT) {
        out.write(UiAction::ConfirmAttack);
    }
}

pub const SAVE_DIR: &str = "saves";

fn toast(world: &mut World, msg: impl Into<String>) {
    let now = world.resource::<Time>().elapsed_secs_f64();
    world.resource_mut::<Ui>().toast = Some((msg.into(), now + 6.0));
}

/// Turns UI actions into orders, through the same validation as every other order.
pub fn apply_actions(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let actions: Vec<UiAction> = world.resource_mut::<Messages<UiAction>>().drain().collect();
    for a in actions {
        let side = world.resource::<Calendar>().active;
        let mode = world.resource::<Launch>().mode;
        // Watching a game again, a unit may be looked at, but nothing ordered or saved.
        let allowed = if mode == Mode::Replay {
            matches!(a, UiAction::Select(_) | UiAction::SelectNamed(_))
        } else {
            mode.human(side) || matches!(a, UiAction::Save | UiAction::Load)
        };
        if !allowed {
            continue;
        }
        let gives_orders = matches!(
            a,
            UiAction::OrderTo(_)
                | UiAction::ConfirmAttack
                | UiAction::Undo
                | UiAction::Airlift { .. }
                | UiAction::ForwardDetachment
                | UiAction::Order(_)
                | UiAction::EndTurn
        );
        if matches!(a, UiAction::Load) && world.resource::<Launch>().pbem.is_some() {
            toast(
                world,
                "a game by e-mail is opened from its game file (play --pbem), not from the quick save",
            );
            continue;
        }
        if gives_orders
            && world
                .resource::<Launch>()
                .pbem
                .as_ref()
                .is_some_and(|w| w.sent())
        {
            toast(
                world,
                "your turn is sent: the game goes on when the other player's turn arrives (play --pbem ... --open THEIR-TURN.ron)",
            );
            continue;
        }
        let units = crate::rules::movement::snapshot(world);
        match a {
            UiAction::Select(h) => {
                // Own units first; a second click on the same hex goes through the stack.
                let visible = world.resource::<Ui>().visible.clone();
                let viewer = world.resource::<Ui>().viewer;
                let mut here: Vec<&crate::rules::movement::UnitView> = units
                    .iter()
                    .filter(|u| u.hex == h)
                    .filter(|u| {
                        Some(u.side) == viewer || visible.as_ref().is_none_or(|v| v.contains(&u.id))
                    })
                    .collect();
                here.sort_by_key(|u| (u.side != side, u.id));
                let current = world.resource::<Ui>().selected;
                let next = match current.and_then(|c| here.iter().position(|u| u.id == c)) {
                    Some(i) => here.get((i + 1) % here.len()).map(|u| u.id),
                    None => here.first().map(|u| u.id),
                };
                let mut ui = world.resource_mut::<Ui>();
                ui.selected = next;
                ui.attack = None;
                ui.preview = None;
            }
            UiAction::SelectNamed(n) => {
                let id = units.iter().find(|u| u.name == n).map(|u| u.id);
                world.resource_mut::<Ui>().selected = id;
                if id.is_none() {
                    toast(world, format!("no unit named {n}"));
                }
            }
            UiAction::OrderTo(h) => {
                let Some(sel) = world.resource::<Ui>().selected else {
                    continue;
                };
                let Some(u) = units.iter().find(|u| u.id == sel).cloned() else {
                    continue;
                };
                if u.side != side {
                    continue;
                }
                // Only the enemy the player can see counts: an unseen one is not given away.
                let visible = world.resource::<Ui>().visible.clone();
                let enemy_at = |x: Hex| {
                    units.iter().any(|e| {
                        e.hex == x
                            && e.side != side
                            && visible.as_ref().is_none_or(|v| v.contains(&e.id))
                    })
                };
                let mut to = h;
                if enemy_at(h) {
                    if u.hex.distance(h) == 1 {
                        // Prepare an attack with every unit of ours beside the target.
                        let group: Vec<_> = units
                            .iter()
                            .filter(|x| x.side == side && x.hex.distance(h) == 1)
                            .cloned()
                            .collect();
                        let (odds, factors) = super::panels::preview_odds(world, &group, h);
                        let mut ui = world.resource_mut::<Ui>();
                        ui.attack = Some((h, group.iter().map(|u| u.id).collect(), odds.ratio));
                        ui.attack_breakdown = Some((odds.attack, odds.defence, factors));
                        continue;
                    }
                    // Out of reach: march to the nearest hex beside it that it can reach.
                    match approach(world, sel, h) {
                        Some((beside, _)) => to = beside,
                        None => {
                            toast(world, "no hex beside that enemy can be reached");
                            continue;
                        }
                    }
                }
                let order = Order::MoveTo { unit: sel, to };
                // A new right-click replaces the unit's march: the old one is cancelled, and
                // put back if the new one is refused.
                let earlier: Vec<Order> = world
                    .resource::<PendingOrders>()
                    .orders
                    .iter()
                    .filter(|o| o.unit() == Some(sel))
                    .cloned()
                    .collect();
                // Ask the rules about a replacement only once the old march is taken back,
                // so that no "already ordered" refusal is logged for it.
                let replaced = earlier
                    .iter()
                    .any(|o| !matches!(o, Order::Hold { .. } | Order::TransferFuel { .. }));
                if replaced {
                    let _ = submit(world, Order::Hold { unit: sel });
                    // Fuel handed over this turn stays handed over.
                    for o in earlier
                        .iter()
                        .filter(|o| matches!(o, Order::TransferFuel { .. }))
                    {
                        let _ = submit(world, o.clone());
                    }
                }
                let r = submit(world, order).map(|()| replaced);
                if r.is_err() && replaced {
                    let _ = submit(world, Order::Hold { unit: sel });
                    for o in earlier {
                        let _ = submit(world, o);
                    }
                }
                let map = world.resource::<Map>();
                let place = crate::rules::orders::describe_hex(map, to);
                let target = crate::rules::orders::describe_hex(map, h);
                match r {
                    Ok(replaced) => {
                        let beside = if to != h {
                            format!(" beside the enemy at {target}")
                        } else {
                            String::new()
                        };
                        let again = if replaced {
                            " (its earlier march cancelled)"
                        } else {
                            ""
                        };
                        toast(
                            world,
                            format!("{} marches to {place}{beside}{again}", u.name),
                        );
                        world.resource_mut::<Ui>().planned_key = None;
                    }
                    Err(e) => toast(world, e.to_string()),
                }
            }
            UiAction::ConfirmAttack => {
                let Some((t, group, _)) = world.resource::<Ui>().attack.clone() else {
                    continue;
                };
                match submit(
                    world,
                    Order::Attack {
                        units: group,
                        target: t,
                    },
                ) {
                    Ok(()) => toast(world, "attack ordered: it is fought when you end the turn"),
                    Err(e) => toast(world, e.to_string()),
                }
                world.resource_mut::<Ui>().attack = None;
            }
            UiAction::Undo => {
                if let Some(sel) = world.resource::<Ui>().selected {
                    match submit(world, Order::Hold { unit: sel }) {
                        Ok(()) => toast(world, "orders cancelled: the unit holds"),
                        Err(e) => toast(world, e.to_string()),
                    }
                    world.resource_mut::<Ui>().planned_key = None;
                }
            }
            UiAction::Airlift { fleet, base, tons } => {
                let Some(sel) = world.resource::<Ui>().selected else {
                    continue;
                };
                let o = Order::Airlift {
                    air_army: fleet,
                    base,
                    to: sel,
                    cargo: Cargo::Fuel,
                    tons,
                };
                match submit(world, o) {
                    Err(e) => toast(world, e.to_string()),
                    Ok(()) => toast(
                        world,
                        format!("{tons:.0} t of fuel will be flown in when you end the turn"),
                    ),
                }
            }
            UiAction::ForwardDetachment => {
                let Some(sel) = world.resource::<Ui>().selected else {
                    continue;
                };
                let units = crate::rules::movement::snapshot(world);
                let Some(u) = units.iter().find(|u| u.id == sel) else {
                    continue;
                };
                let room = crate::rules::fuel_transfer::fuel_and_room(world, sel)
                    .map_or(0.0, |(_, room)| room);
                let orders = crate::rules::fuel_transfer::fill_from_beside(&units, u, room);
                let mut tons = 0.0;
                let mut refused = None;
                for o in orders {
                    let t = match &o {
                        Order::TransferFuel { tons, .. } => *tons,
                        _ => 0.0,
                    };
                    match submit(world, o) {
                        Ok(()) => tons += t,
                        Err(e) => refused = Some(e.to_string()),
                    }
                }
                match refused {
                    Some(e) => toast(world, e),
                    None if tons > 0.0 => toast(
                        world,
                        format!("{tons:.0} t of fuel will change hands before the marches"),
                    ),
                    None => toast(world, "no unit beside it has fuel to give"),
                }
            }
            UiAction::Order(o) => match submit(world, o) {
                Ok(()) => toast(world, "ordered: it happens when you end the turn"),
                Err(e) => toast(world, e.to_string()),
            },
            UiAction::EndTurn if world.resource::<Launch>().pbem.is_some() => {
                send_pbem_turn(world);
            }
            UiAction::EndTurn => {
                // What happens from here on is what the player reads at the next turn.
                let n = world.resource::<EventLog>().events.len();
                {
                    let mut ui = world.resource_mut::<Ui>();
                    ui.since[crate::model::intel::side_index(side)] = Some(n);
                    ui.show_since = true;
                }
                let _ = submit(world, Order::EndTurn);
                end_of_phase(world);
            }
            UiAction::Save => {
                let path = std::path::Path::new(SAVE_DIR).join("quicksave.ron");
                match save_world(world, &path) {
                    Ok(()) => toast(world, format!("saved to {}", path.display())),
                    Err(e) => toast(world, format!("could not save: {e}")),
                }
            }
            UiAction::Load => {
                let path = std::path::Path::new(SAVE_DIR).join("quicksave.ron");
                if !path.exists() {
                    toast(
                        world,
                        format!("no save at {} yet: F5 saves", path.display()),
                    );
                    continue;
                }
                // Check the save before touching the game on screen: a bad file loses nothing.
                if let Err(d) = crate::rules::save::load_game(&path) {
                    let first = d.first().map(|d| d.message.clone()).unwrap_or_default();
                    toast(world, format!("could not load {}: {first}", path.display()));
                    continue;
                }
                super::map::reload(world, path.clone());
                toast(world, format!("loaded {}", path.display()));
                return;
            }
        }
    }
}

/// The hex beside an enemy-held `target` that the unit reaches soonest (fewest turns, then
/// fewest km), with the march there; `None` if no hex beside it can be reached.
pub fn approach(
    world: &mut World,
    unit: UnitId,
    target: Hex,
) -> Option<(Hex, crate::rules::preview::MarchPreview)> {
    let units = crate::rules::movement::snapshot(world);
    let side = units.iter().find(|u| u.id == unit)?.side;
    let mut best: Option<(Hex, crate::rules::preview::MarchPreview)> = None;
    for n in target.neighbors() {
        if world.resource::<Map>().cell(n).is_none()
            || units.iter().any(|e| e.hex == n && e.side != side)
        {
            continue;
        }
        let Some(p) = crate::rules::preview::preview_march(world, unit, n) else {
            continue;
        };
        let key = |p: &crate::rules::preview::MarchPreview| (!p.arrives, p.legs.len(), p.km);
        if best
            .as_ref()
            .is_none_or(|(_, b)| key(&p).partial_cmp(&key(b)) == Some(std::cmp::Ordering::Less))
        {
            best = Some((n, p));
        }
    }
    best
}

/// Writes the game in this world to a save file (atomically).
pub fn save_world(world: &mut World, path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::rules::save::save_world(world, path)
}

/// After a side ends its phase: autosave, hand over in hotseat, debrief at the end.
fn end_of_phase(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    if cal.active == Side::Soviet {
        let _ = save_world(world, &std::path::Path::new(SAVE_DIR).join("autosave.ron"));
    }
    world.resource_mut::<Ui>().selected = None;
    if cal.finished {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Debrief);
        return;
    }
    let launch = world.resource::<Launch>();
    if launch.mode == Mode::Hotseat {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Handover);
    }
}

/// Ends the player's phase of a game by e-mail: the orders given in the window this phase are
/// signed and written to the turn file to send; the phase itself is played when the other
/// player's secret for its dice arrives with their turn.
fn send_pbem_turn(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let orders: Vec<Order> = world
        .resource::<crate::model::OrderLog>()
        .entries
        .iter()
        .filter(|e| e.turn == cal.turn && e.side == cal.active && e.order != Order::EndTurn)
        .map(|e| e.order.clone())
        .collect();
    let Some(mut w) = world.resource::<Launch>().pbem.clone() else {
        return;
    };
    match w.send_turn(&orders) {
        Ok(msg) => {
            println!("{msg}");
            toast(
                world,
                format!("Turn sent: {msg}. You can close the window."),
            );
            world.resource_mut::<Launch>().pbem = Some(w);
        }
        Err(e) => toast(world, e),
    }
}

/// The AI plays the sides no human commands.
fn ai_phase(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let cal = world.resource::<Calendar>().clone();
    let launch = world.resource::<Launch>();
    // By e-mail the other side's phases are the other player's: they arrive as turn files.
    if cal.finished
        || launch.mode.human(cal.active)
        || launch.pbem.is_some()
        || launch.mode == Mode::Replay
    {
        return;
    }
    // Watching: one phase a second, so the moves can be followed (at once for screenshots);
    // held while paused, one phase at a time when stepped.
    if launch.mode == Mode::Watch && launch.screenshot.is_none() {
        let now = world.resource::<Time>().elapsed_secs_f64();
        let mut last = world.resource_mut::<Ui>();
        if last.step {
            last.step = false;
        } else if last.paused || now - last.last_ai_phase < 1.0 {
            return;
        }
        last.last_ai_phase = now;
    }
    let orders = crate::ai::plan_orders(world);
    for o in orders {
        let _ = submit(world, o);
    }
    let _ = submit(world, Order::EndTurn);
    end_of_phase(world);
}

/// Whose eyes the map shows, and the march preview of the selected unit to the hex under the
/// mouse (recomputed only when one of them changes).
pub fn update_view(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let side = world.resource::<Calendar>().active;
    let viewer = match world.resource::<Launch>().mode {
        Mode::Play(s) => Some(s),
        Mode::Hotseat => Some(side),
        Mode::Watch => None,
        Mode::Replay => world
            .get_resource::<super::replay::Replay>()
            .and_then(|r| r.view),
    };
    let visible = viewer.and_then(|_| world.resource::<super::map::OverlayData>().visible.clone());
    let ui = world.resource::<Ui>();
    let want = match (ui.selected, ui.hovered) {
        (Some(u), Some(h)) => Some((u, h)),
        _ => None,
    };
    let have = ui.preview.as_ref().map(|(u, h, _)| (*u, *h));
    let turn = world.resource::<Calendar>().turn;
    let stale = want != have || world.resource::<Ui>().preview_turn != turn;
    let preview = if stale {
        Some(want.and_then(|(u, h)| {
            let units = crate::rules::movement::snapshot(world);
            let own = units
                .iter()
                .find(|x| x.id == u)
                .is_some_and(|x| Some(x.side) == viewer || viewer.is_none() && x.side == side);
            if !own {
                return None;
            }
            let visible = world.resource::<Ui>().visible.clone();
            let enemy = units.iter().any(|x| {
                x.hex == h && x.side != side && visible.as_ref().is_none_or(|v| v.contains(&x.id))
            });
            if enemy {
                // Beside it: no march when it can attack from where it stands; otherwise the
                // march to the nearest hex beside it, as a right-click would order.
                let here = units.iter().find(|x| x.id == u)?.hex;
                if here.distance(h) <= 1 {
                    return None;
                }
                return approach(world, u, h).map(|(_, p)| (u, h, p));
            }
            crate::rules::preview::preview_march(world, u, h).map(|p| (u, h, p))
        }))
    } else {
        None
    };
    // The marches ordered this turn, each drawn until the turn ends.
    let key = (turn, world.resource::<PendingOrders>().orders.len());
    let planned = if world.resource::<Ui>().planned_key != Some(key) {
        let orders: Vec<(UnitId, Hex)> = world
            .resource::<PendingOrders>()
            .orders
            .iter()
            .filter_map(|o| match o {
                Order::MoveTo { unit, to } => Some((*unit, *to)),
                _ => None,
            })
            .collect();
        let units = crate::rules::movement::snapshot(world);
        let mut v = Vec::new();
        for (u, to) in orders {
            let mine = units
                .iter()
                .find(|x| x.id == u)
                .is_some_and(|x| viewer.is_none_or(|s| s == x.side));
            if mine && let Some(p) = crate::rules::preview::preview_march(world, u, to) {
                v.push((u, to, p));
            }
        }
        Some(v)
    } else {
        None
    };
    let mut ui = world.resource_mut::<Ui>();
    if let Some(p) = planned {
        ui.planned = p;
        ui.planned_key = Some(key);
    }
    if ui.viewer != viewer {
        ui.viewer = viewer;
    }
    if ui.visible != visible {
        ui.visible = visible;
    }
    if let Some(p) = preview {
        ui.preview = p;
        ui.preview_turn = turn;
    }
}
