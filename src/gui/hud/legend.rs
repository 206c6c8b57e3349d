//! What the colours of the overlay shown mean, in the map's lower left corner.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::gui::state::{Overlay, Ui};

/// What the colours of the overlay shown mean, in the map's lower left corner.
pub fn legend(ctx: &egui::Context, ui_state: &Ui, replay: bool) {
    let c = |r: f32, g: f32, b: f32| {
        egui::Color32::from_rgb((r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
    };
    let mut rows: Vec<(egui::Color32, &str)> = match ui_state.overlay {
        Overlay::None => Vec::new(),
        Overlay::Supply => {
            // The overlay's own colours, opaque, so the key cannot drift from the map.
            let haul = |km: Option<f64>| {
                let col = crate::gui::ink::haul_colour(km, true)
                    .map(|c| c.to_srgba())
                    .unwrap_or(bevy::color::Srgba::BLACK);
                c(col.red, col.green, col.blue)
            };
            vec![
                (
                    haul(Some(50.0)),
                    "under 100 km of lorry haul from a railhead or depot",
                ),
                (haul(Some(150.0)), "100–250 km: lorries deliver less"),
                (haul(Some(300.0)), "250–400 km: little arrives"),
                (haul(Some(500.0)), "beyond 400 km"),
                (haul(None), "your ground no lorry reaches"),
                (
                    c(0.0, 0.0, 0.0),
                    "black corner on a counter: the unit is out of supply",
                ),
            ]
        }
        Overlay::Fuel => vec![
            (c(0.0, 1.0, 0.0), "ring: full tanks (two refills)"),
            (c(1.0, 0.0, 0.0), "ring: empty; the amber bar is fuel"),
        ],
        Overlay::Readiness => vec![
            (c(0.0, 1.0, 0.1), "ring: fully ready"),
            (c(1.0, 0.0, 0.1), "ring: barely trained or shaken"),
        ],
        Overlay::Airlift => vec![(
            c(0.2, 0.4, 1.0),
            "circles: reach of transport aircraft from each base you hold",
        )],
        Overlay::Zoc => vec![(
            c(0.9, 0.1, 0.1),
            "enemy zone of control: a march halts on entering",
        )],
        Overlay::Fog => vec![
            (
                c(0.3, 0.3, 0.4),
                "shaded: ground none of your units, aircraft or agents sees",
            ),
            (
                c(1.0, 0.85, 0.2),
                "outlines: enemy last seen there (fainter the older)",
            ),
        ],
        Overlay::Control => vec![
            (c(0.9, 0.1, 0.1), "held by the Soviets"),
            (c(1.0, 0.85, 0.1), "held by the Japanese"),
        ],
    };
    if replay {
        rows.push((c(0.95, 0.95, 0.95), "trail: a Soviet march in this phase"));
        rows.push((c(1.0, 0.55, 0.0), "trail: a Japanese march in this phase"));
        rows.push((c(1.0, 0.15, 0.1), "rings: a battle fought in this phase"));
    }
    if rows.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::new("legend"))
        .anchor(
            egui::Align2::LEFT_BOTTOM,
            [ui_state.margins[0] / ctx.zoom_factor() + 8.0, -8.0],
        )
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                for (col, text) in rows {
                    ui.horizontal(|ui| {
                        ui.colored_label(col, "■");
                        ui.label(text);
                    });
                }
            });
        });
}
