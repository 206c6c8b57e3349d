//! Screenshots and input scripts for tests and the README: replay UI actions through the same
//! path clicks take, render some frames, save what the window shows, and exit.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};

use super::input::UiAction;
use super::map::Started;
use super::{Launch, Screen};
use crate::model::Hex;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        drive.run_if(in_state(Screen::Playing).or_else(in_state(Screen::Debrief))),
    );
}

/// Parses a script: `select:NAME;move:COL,ROW;attack:COL,ROW;confirm;end;overlay:supply`.
pub fn parse_script(s: &str) -> Vec<UiAction> {
    s.split(';')
        .filter_map(|step| {
            let step = step.trim();
            let (verb, arg) = step.split_once(':').unwrap_or((step, ""));
            let hex = || {
                let (c, r) = arg.split_once(',')?;
                Some(Hex::from_offset(
                    c.trim().parse().ok()?,
                    r.trim().parse().ok()?,
                ))
            };
            match verb {
                "select" => Some(UiAction::SelectNamed(arg.to_string())),
                "click" => hex().map(UiAction::Select),
                "move" | "attack" => hex().map(UiAction::OrderTo),
                "confirm" => Some(UiAction::ConfirmAttack),
                "end" => Some(UiAction::EndTurn),
                "save" => Some(UiAction::Save),
                _ => None,
            }
        })
        .collect()
}

#[derive(Default)]
struct Progress {
    frames: u32,
    script_done: bool,
    shot_at: Option<u32>,
}

fn drive(
    mut p: Local<Progress>,
    launch: Res<Launch>,
    started: Option<Res<Started>>,
    mut actions: MessageWriter<UiAction>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
    mut ui: ResMut<super::Ui>,
) {
    if started.is_none() {
        return;
    }
    p.frames += 1;
    if !p.script_done && p.frames > 3 {
        if let Some(s) = &launch.script {
            for a in parse_script(s) {
                if let UiAction::SelectNamed(_) = &a {
                    ui.toast = None;
                }
                actions.write(a);
            }
            if s.contains("overlay:supply") {
                ui.overlay = super::Overlay::Supply;
            }
        }
        p.script_done = true;
    }
    let Some(path) = &launch.screenshot else {
        return;
    };
    if p.shot_at.is_none() && p.frames >= launch.frames {
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path.clone()));
        p.shot_at = Some(p.frames);
    }
    if p.shot_at.is_some_and(|f| p.frames > f + 5) {
        exit.write(AppExit::Success);
    }
}
