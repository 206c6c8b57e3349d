//! What the panels read of the game each frame, gathered once before any is drawn, and what
//! they change.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::gui::actions::UiAction;
use crate::gui::queries::{airlift_options, fuel_room, landing_options, victory_standing};
use crate::gui::state::{Launch, Ui};
use crate::model::*;

/// What the panels read of the game this frame, gathered once before any is drawn.
pub struct View {
    pub cal: Calendar,
    pub launch: Launch,
    pub standing: Option<crate::report::victory::Victory>,
    /// The player's choices as they stood when the frame began.
    pub ui_state: Ui,
    pub units: Vec<crate::rules::movement::UnitView>,
    /// Every unit's name, the surrendered and destroyed too: the log names them.
    pub names: BTreeMap<UnitId, String>,
    pub selected: Option<crate::rules::movement::UnitView>,
    pub lift: Vec<crate::gui::queries::LiftOption>,
    pub room: f64,
    pub landings: Vec<(String, Order)>,
    pub explain: Option<String>,
    /// The selected unit's orders this turn, in words: the panel confirms each one.
    pub orders: Vec<String>,
    /// Why the selected unit takes no orders now, if it does not: out of touch with its
    /// command in the surprise, or it has heard the order to cease fire.
    pub no_orders: Option<String>,
}

/// What the panels change: the player's choices, the actions for the input to carry out,
/// and the hex to centre the map on.
pub struct Changes {
    pub ui: Ui,
    pub actions: Vec<UiAction>,
    pub centre: Option<Hex>,
}

impl View {
    pub fn gather(world: &mut World) -> View {
        let cal = world.resource::<Calendar>().clone();
        let launch = world.resource::<Launch>().clone();
        let standing = victory_standing(world);
        let ui_state = world.resource::<Ui>().clone();
        let units = crate::rules::movement::snapshot(world);
        // Every unit's name, the surrendered and destroyed too: the log names them.
        let names: BTreeMap<UnitId, String> = world
            .query::<(&UnitId, &UnitName)>()
            .iter(world)
            .map(|(i, n)| (*i, n.0.clone()))
            .collect();
        let selected = ui_state
            .selected
            .and_then(|s| units.iter().find(|u| u.id == s))
            .cloned();
        let lift = match &selected {
            Some(u) if Some(u.side) == ui_state.viewer || ui_state.viewer.is_none() => {
                airlift_options(world, u.id)
            }
            _ => Vec::new(),
        };
        let room = selected.as_ref().map_or(0.0, |u| fuel_room(world, u.id));
        let landings = match &selected {
            Some(u) if Some(u.side) == ui_state.viewer || ui_state.viewer.is_none() => {
                landing_options(world, u.id)
            }
            _ => Vec::new(),
        };
        let explain = match (&selected, ui_state.explain) {
            (Some(u), true) => crate::report::explain::explain_in(world, u.id),
            _ => None,
        };
        // The selected unit's orders this turn, in words: the panel confirms each one.
        let orders: Vec<String> = match &selected {
            Some(u) => {
                let mine: Vec<Order> = world
                    .resource::<PendingOrders>()
                    .orders
                    .iter()
                    .filter(|o| match o {
                        Order::Attack { units, .. } => units.contains(&u.id),
                        o => o.unit() == Some(u.id) && !matches!(o, Order::Hold { .. }),
                    })
                    .cloned()
                    .collect();
                mine.iter()
                    .map(|o| crate::rules::orders::describe(world, o))
                    .collect()
            }
            None => Vec::new(),
        };
        let no_orders = selected.as_ref().and_then(|u| {
            if !crate::rules::combat::in_contact(world, u.id, u.side) {
                Some(format!(
                    "{} this turn.",
                    OrderRejected::OutOfContact {
                        unit: u.name.clone()
                    }
                ))
            } else {
                crate::rules::ceasefire::refuse_if_ceased(world, u.id, &u.name)
                    .err()
                    .map(|e| format!("{e}."))
            }
        });
        View {
            cal,
            launch,
            standing,
            ui_state,
            units,
            names,
            selected,
            lift,
            room,
            landings,
            explain,
            orders,
            no_orders,
        }
    }
}
