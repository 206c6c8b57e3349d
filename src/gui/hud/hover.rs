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
    // The formations' counters first (they stand over the hex), then the place, then the
    // units in it.
    formations
        .into_iter()
        .chain(hover_place(world, view))
        .chain(here)
        .collect()
}

/// The place in the hovered hex, in words: who holds it and, where it has permanent works,
/// who holds those. A town can be taken while its garrison still holds the works of its hex
/// (the town then stands besieged, and the works fall only when the garrison is gone).
pub fn hover_place(world: &World, view: &View) -> Option<String> {
    let h = view.ui_state.hovered?;
    let map = world.get_resource::<crate::model::map::Map>()?;
    let control = world.get_resource::<crate::model::Control>()?;
    let rules = world.get_resource::<crate::scenario::spawn::Rules>()?;
    let cell = map.cell(h)?;
    let place = map.place(cell.place?);
    let held = control.owner.get(place.id.0 as usize).copied().flatten();
    let works = rules.0.combat.permanent_works(cell.fort_level);
    Some(place_line(
        &place.name,
        held,
        works,
        control.besieged.contains(&place.id),
    ))
}

/// A place in words, as the hover box gives it: see [`hover_place`].
pub fn place_line(
    name: &str,
    held: Option<crate::model::Side>,
    works: bool,
    besieged: bool,
) -> String {
    let Some(side) = held else {
        return format!("{name}: held by neither side");
    };
    let other = side.enemy();
    match (works, besieged) {
        (_, true) => format!(
            "{name}: the town in {side} hands; its works still held by the {other} garrison \
             (besieged: they fall when the garrison is gone)"
        ),
        (true, false) => format!("{name}: {side}-held, with permanent works"),
        (false, _) => format!("{name}: {side}-held"),
    }
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
