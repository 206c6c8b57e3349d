//! The scenario's briefing: the situation, what to watch and the player's objectives.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::gui::state::{Launch, Mode};
use crate::gui::widgets::note;
use crate::model::*;

/// The scenario's briefing: the situation, what to watch, and the player's objectives.
pub fn briefing_window(
    ctx: &egui::Context,
    world: &World,
    launch: &Launch,
    open: &mut bool,
    controls: &mut Vec<(String, [f32; 4])>,
) {
    let Some(b) = world
        .get_resource::<crate::scenario::spawn::BriefingRes>()
        .and_then(|b| b.0.clone())
    else {
        egui::Window::new("Briefing").open(open).show(ctx, |ui| {
            ui.label("This scenario has no briefing. Your objectives are in the top bar.");
        });
        return;
    };
    let viewer = match launch.mode {
        Mode::Play(s) => s,
        _ => world.resource::<Calendar>().active,
    };
    let name = world
        .resource::<crate::scenario::spawn::GameSetup>()
        .scenario_name
        .clone();
    let mut begin = false;
    egui::Window::new(format!("Briefing: {name}"))
        .default_pos([360.0, 90.0])
        .default_width(620.0)
        .open(open)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(520.0).show(ui, |ui| {
                ui.label(&b.text);
                if !b.watch.is_empty() {
                    ui.add_space(6.0);
                    ui.strong("What to watch");
                    for w in &b.watch {
                        ui.label(format!("• {w}"));
                    }
                }
                let mine: Vec<String> = crate::report::victory::objectives(world)
                    .into_iter()
                    .filter(|o| o.side == viewer)
                    .map(|o| o.text)
                    .collect();
                if !mine.is_empty() {
                    ui.add_space(6.0);
                    ui.strong(format!("Your objectives ({} side)", viewer.name()));
                    for o in mine {
                        ui.label(format!("• {o}"));
                    }
                    ui.weak("Their places are ringed in gold on the map; the top bar keeps the score.");
                }
            });
            ui.add_space(6.0);
            let b = ui.button("Begin").on_hover_text("B shows the briefing again");
            note(controls, "briefing begin", &b);
            begin = b.clicked();
        });
    if begin {
        *open = false;
    }
}
