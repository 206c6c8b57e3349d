//! Small pieces of egui shared by every screen: the full-window root, a meter, and the
//! record of where a control was drawn (for `--script report:FILE`).

use bevy::prelude::*;
use bevy_egui::egui;

/// Notes where a control was drawn, in window pixels, for `--script report:FILE`.
pub fn note(controls: &mut Vec<(String, [f32; 4])>, name: &str, r: &egui::Response) {
    let z = r.ctx.zoom_factor();
    let rect = r.rect;
    controls.push((
        name.to_string(),
        [
            rect.min.x * z,
            rect.min.y * z,
            rect.max.x * z,
            rect.max.y * z,
        ],
    ));
}

/// A Ui covering the whole window, for panels to be laid out in.
pub fn root(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

pub fn bar(
    ui: &mut egui::Ui,
    label: &str,
    frac: f64,
    text: String,
    colour: egui::Color32,
    tip: &str,
) {
    ui.horizontal(|ui| {
        ui.add_sized([70.0, 16.0], egui::Label::new(label));
        ui.add(
            egui::ProgressBar::new(frac.clamp(0.0, 1.0) as f32)
                .desired_width(190.0)
                .fill(colour)
                .text(text),
        )
        .on_hover_text(tip);
    });
}
