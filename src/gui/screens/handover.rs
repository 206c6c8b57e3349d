//! The hand-over between hotseat players: the map hidden until the next one is ready.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::gui::lines::{date, since_your_turn};
use crate::gui::state::{Screen, Ui};
use crate::gui::widgets::root;
use crate::model::*;

pub fn handover(
    mut contexts: EguiContexts,
    cal: Option<Res<Calendar>>,
    mut next: ResMut<NextState<Screen>>,
    ui_state: Res<Ui>,
    log: Option<Res<EventLog>>,
    map: Option<Res<Map>>,
    units: Query<(&UnitId, &UnitName)>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let side = cal.as_ref().map(|c| c.active).unwrap_or(Side::Soviet);
    // The same report the player reads on the map, before the map is shown.
    let since = match (
        &log,
        &map,
        ui_state.since[crate::model::intel::side_index(side)],
    ) {
        (Some(log), Some(map), Some(from)) => {
            let names: BTreeMap<UnitId, String> =
                units.iter().map(|(i, n)| (*i, n.0.clone())).collect();
            since_your_turn(map, &names, &log.events, from)
        }
        _ => Vec::new(),
    };
    egui::CentralPanel::default().show(&mut root(ctx), |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(200.0);
            ui.heading(format!("Hand over to the {side} player"));
            ui.label("The map is hidden so that neither side sees the other's orders.");
            if let Some(c) = &cal {
                ui.label(date(&time::iso_local(c.now())));
            }
            if ui
                .button(format!("I am the {side} player: show the map"))
                .clicked()
            {
                next.set(Screen::Playing);
            }
            if !since.is_empty() {
                ui.add_space(16.0);
                ui.strong("Since your last turn");
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (text, _) in &since {
                            ui.label(text);
                        }
                    });
            }
        });
    });
    Ok(())
}
