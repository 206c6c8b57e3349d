//! The game window: title and side choice, the hex map drawn with bevy_ecs_tilemap, unit
//! counters, orders by mouse and keyboard, panels in egui, overlays, saves, the debrief, the
//! replay viewer, and screenshots for tests. It draws the model and writes orders; it owns no rules.

mod actions;
mod camera;
mod formations;
mod geom;
mod hud;
mod ink;
mod input;
mod lines;
mod map;
mod overlay;
mod queries;
mod replay;
mod screens;
mod session;
mod shot;
mod state;
mod tiles;
mod units;
mod widgets;

use std::process::ExitCode;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_ecs_tilemap::prelude::TilemapPlugin;
use bevy_egui::EguiPlugin;

use crate::gui::state::{Launch, Mode, Screen, Ui};
use crate::launch::PlayArgs;

pub fn run(args: PlayArgs) -> ExitCode {
    let parsed = if args.replay.is_some() {
        Some(Mode::Replay)
    } else {
        Mode::parse(&args.side)
    };
    let Some(mode) = parsed else {
        eprintln!(
            "error: --side {}: expected soviet, japanese, hotseat or watch",
            args.side
        );
        return ExitCode::FAILURE;
    };
    // A script that starts with `title` shows the title screen (for its screenshot).
    let title_shot = args
        .script
        .as_deref()
        .is_some_and(|s| s.trim_start().starts_with("title"));
    let skip_title = !title_shot
        && (args.screenshot.is_some()
            || args.load.is_some()
            || args.replay.is_some()
            || args.script.is_some()
            || args.pbem.is_some());
    // By e-mail the player plays their own side; the other side's phases arrive as turns.
    let mode = args.pbem.as_ref().map_or(mode, |p| Mode::Play(p.key.side));
    let launch = Launch {
        pbem: args.pbem,
        scenario: args.scenario,
        mode,
        load: args.load,
        replay: args.replay,
        screenshot: args.screenshot,
        frames: args.frames,
        frame_times: args.frame_times,
        script: args.script,
        what_ifs: args.what_ifs,
        skip_title,
    };
    let report = launch.script.as_deref().and_then(shot::report_path);
    let mut app = App::new();
    if let Some(p) = report {
        app.insert_resource(shot::ReportTo(p));
    }
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "August Storm — Manchuria, August 1945".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(ImagePlugin::default_linear()),
    )
    .add_plugins((EguiPlugin::default(), TilemapPlugin))
    .add_plugins(crate::rules::plugin)
    .init_state::<Screen>()
    .insert_resource(launch)
    .init_resource::<Ui>()
    .insert_resource(ClearColor(Color::srgb(0.10, 0.12, 0.16)))
    .add_systems(Update, fill_screen)
    .add_plugins((
        session::plugin,
        map::plugin,
        units::plugin,
        formations::plugin,
        input::plugin,
        screens::plugin,
        replay::plugin,
        shot::plugin,
    ));
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(_) => ExitCode::FAILURE,
    }
}

/// Opens the window over the whole screen it is on (maximised where a window manager does
/// that): a wargame's map wants every pixel. Once, as soon as the screen is known.
fn fill_screen(
    mut done: Local<bool>,
    monitors: Query<&bevy::window::Monitor, With<bevy::window::PrimaryMonitor>>,
    mut windows: Query<&mut Window, With<bevy::window::PrimaryWindow>>,
) {
    if *done {
        return;
    }
    let (Ok(m), Ok(mut w)) = (monitors.single(), windows.single_mut()) else {
        return;
    };
    *done = true;
    let sf = m.scale_factor as f32;
    w.resolution
        .set(m.physical_width as f32 / sf, m.physical_height as f32 / sf);
    w.position = bevy::window::WindowPosition::At(m.physical_position);
    w.set_maximized(true);
}
