//! The log on the right while a game is played: the turn's events newest first, as the
//! side viewing reads them; a click on a line centres the map on it.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::egui;

use super::view::View;
use crate::gui::lines::{date, describe};
use crate::gui::state::Mode;
use crate::model::*;

pub fn game_log(ui: &mut egui::Ui, world: &World, view: &View, centre: &mut Option<Hex>) {
    let (launch, ui_state, units, names) = (&view.launch, &view.ui_state, &view.units, &view.names);
    ui.heading("Log")
        .on_hover_text("Newest first; click a line to centre the map on it");
    egui::ScrollArea::vertical().show(ui, |ui| {
        let map = world.resource::<Map>();
        let events = &world.resource::<EventLog>().events;
        let viewer = ui_state.viewer;
        let side_of: BTreeMap<UnitId, Side> = units.iter().map(|u| (u.id, u.side)).collect();
        let own = |u: &UnitId| viewer.is_none_or(|v| side_of.get(u) == Some(&v));
        // A player reads of his own units' marches, supply and fuel, not the enemy's.
        // Watching both sides, the marches would flood the log: it keeps to
        // battles, captures and crises.
        let watching = launch.mode == Mode::Watch;
        let shown = events.iter().rev().filter(|e| match &e.event {
            GameEvent::UnitMoved { .. } if watching => false,
            GameEvent::UnitMoved { unit, .. }
            | GameEvent::SupplyCut { unit, .. }
            | GameEvent::FuelExhausted { unit, .. }
            | GameEvent::AirliftDelivered { unit, .. }
            | GameEvent::FuelHandedOver { to: unit, .. } => own(unit),
            GameEvent::OrderRejected { side, .. } => viewer.is_none_or(|v| v == *side),
            _ => true,
        });
        for e in shown
            .filter_map(|e| describe(map, names, e).map(|d| (e.time.clone(), d)))
            .take(300)
        {
            let (t, (text, at)) = e;
            let r = ui.add(
                egui::Label::new(format!("{} · {text}", date(&t))).sense(egui::Sense::click()),
            );
            if r.clicked() {
                *centre = at;
            }
        }
    });
}
