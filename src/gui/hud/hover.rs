//! What floats over the map: the names of the units under the pointer, beside it, and the
//! message of the moment.

use bevy::prelude::*;
use bevy_egui::egui;

use super::view::View;
use crate::report::words;

/// The units in the hovered hex the viewer sees, in words (under fog, only what its
/// intelligence estimates of the enemy's).
pub fn hover_units(world: &World, view: &View) -> Vec<String> {
    let (ui_state, units) = (&view.ui_state, &view.units);
    // Names of the units under the pointer, beside it.
    let estimates = world
        .get_resource::<crate::gui::overlay::OverlayData>()
        .map(|d| d.estimates.clone())
        .unwrap_or_default();
    // At the theatre zoom, the formation counters on the hex first.
    let formations: Vec<String> = match (
        ui_state.hovered,
        world.get_resource::<crate::gui::formations::TheatreCounters>(),
        world.get_resource::<crate::gui::geom::Geom>(),
    ) {
        (Some(h), Some(t), Some(g)) => t
            .under(g.center(h))
            .map(|c| {
                let enemy =
                    ui_state.viewer.is_some_and(|v| v != c.side) && ui_state.visible.is_some();
                let units = match c.units.len() {
                    1 => "1 unit".to_string(),
                    n => format!("{n} units"),
                };
                if enemy {
                    format!(
                        "{}: {units} seen, about {} men by our estimate",
                        c.name,
                        words::thousands(c.men)
                    )
                } else {
                    format!("{}: {units}, {} men", c.name, words::thousands(c.men))
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let here: Vec<String> = match ui_state.hovered {
        None => Vec::new(),
        Some(h) => units
            .iter()
            .filter(|u| u.hex == h)
            .filter(|u| {
                Some(u.side) == ui_state.viewer
                    || ui_state.visible.as_ref().is_none_or(|v| v.contains(&u.id))
            })
            .map(|u| {
                let enemy =
                    ui_state.viewer.is_some_and(|v| v != u.side) && ui_state.visible.is_some();
                if !enemy {
                    return format!(
                        "{} ({}, {} men)",
                        u.name,
                        u.side,
                        words::thousands(u.strength.men)
                    );
                }
                // Under fog, only what the viewer's intelligence estimates.
                match estimates.get(&u.id) {
                    Some((men, _)) => format!(
                        "{} ({}, about {} men by our estimate)",
                        u.name,
                        u.side,
                        words::thousands(*men)
                    ),
                    None => format!("{} ({}, strength unknown)", u.name, u.side),
                }
            })
            .collect(),
    };
    formations.into_iter().chain(here).collect()
}

/// The names of the units under the pointer, beside it, while it is over the map.
pub fn hover_box(ctx: &egui::Context, view: &View, here: &[String]) {
    let ui_state = &view.ui_state;
    if let Some(pos) = ctx.pointer_hover_pos()
        && ui_state.pointer_on_map
        && !here.is_empty()
    {
        egui::Area::new(egui::Id::new("hover-units"))
            .fixed_pos(pos + egui::vec2(18.0, 18.0))
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    for n in here {
                        ui.label(n);
                    }
                });
            });
    }
}

/// A message for the player (an order refused, a save written), until its time is up.
pub fn toast_box(ctx: &egui::Context, world: &World, view: &View) {
    let ui_state = &view.ui_state;
    let now = world.resource::<Time>().elapsed_secs_f64();
    if let Some((msg, until)) = &ui_state.toast
        && now < *until
    {
        egui::Area::new(egui::Id::new("toast"))
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -30.0])
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new(msg).size(15.0));
                });
            });
    }
}
