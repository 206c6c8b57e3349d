//! The end of a phase: the AI's phases, the turn of a game by e-mail sent, and what the
//! side viewing sees afterwards.

use bevy::prelude::*;

use crate::gui::actions::SAVE_DIR;
use crate::gui::queries::approach;
use crate::gui::session::save_world;
use crate::gui::state::toast;
use crate::gui::state::{Launch, Mode, Screen, Started, Ui};
use crate::model::*;
use crate::rules::orders::submit;

/// After a side ends its phase: autosave, hand over in hotseat, debrief at the end.
pub fn end_of_phase(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    if cal.active == cal.first {
        let _ = save_world(world, &std::path::Path::new(SAVE_DIR).join("autosave.ron"));
    }
    world.resource_mut::<Ui>().selected = None;
    if cal.finished {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Debrief);
        return;
    }
    let launch = world.resource::<Launch>();
    if launch.mode == Mode::Hotseat {
        world
            .resource_mut::<NextState<Screen>>()
            .set(Screen::Handover);
    }
}

/// Ends the player's phase of a game by e-mail: the orders given in the window this phase are
/// signed and written to the turn file to send; the phase itself is played when the other
/// player's secret for its dice arrives with their turn.
pub fn send_pbem_turn(world: &mut World) {
    let cal = world.resource::<Calendar>().clone();
    let orders: Vec<Order> = world
        .resource::<crate::model::OrderLog>()
        .entries
        .iter()
        .filter(|e| e.turn == cal.turn && e.side == cal.active && e.order != Order::EndTurn)
        .map(|e| e.order.clone())
        .collect();
    let Some(mut w) = world.resource::<Launch>().pbem.clone() else {
        return;
    };
    match w.send_turn(&orders) {
        Ok(msg) => {
            println!("{msg}");
            toast(
                world,
                format!("Turn sent: {msg}. You can close the window."),
            );
            world.resource_mut::<Launch>().pbem = Some(w);
        }
        Err(e) => toast(world, e),
    }
}

/// The AI plays the sides no human commands.
pub fn ai_phase(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let cal = world.resource::<Calendar>().clone();
    let launch = world.resource::<Launch>();
    // By e-mail the other side's phases are the other player's: they arrive as turn files.
    if cal.finished
        || launch.mode.human(cal.active)
        || launch.pbem.is_some()
        || launch.mode == Mode::Replay
    {
        return;
    }
    // Watching: one phase a second, so the moves can be followed (at once for screenshots);
    // held while paused, one phase at a time when stepped.
    if launch.mode == Mode::Watch && launch.screenshot.is_none() {
        let now = world.resource::<Time>().elapsed_secs_f64();
        let mut last = world.resource_mut::<Ui>();
        if last.step {
            last.step = false;
        } else if last.paused || now - last.last_ai_phase < 1.0 {
            return;
        }
        last.last_ai_phase = now;
    }
    let orders = crate::ai::plan_orders(world);
    for o in orders {
        let _ = submit(world, o);
    }
    let _ = submit(world, Order::EndTurn);
    end_of_phase(world);
}

/// Whose eyes the map shows, and the march preview of the selected unit to the hex under the
/// mouse (recomputed only when one of them changes).
pub fn update_view(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let side = world.resource::<Calendar>().active;
    let viewer = match world.resource::<Launch>().mode {
        Mode::Play(s) => Some(s),
        Mode::Hotseat => Some(side),
        Mode::Watch => None,
        Mode::Replay => world
            .get_resource::<crate::gui::replay::viewer::Replay>()
            .and_then(|r| r.view),
    };
    let visible = viewer.and_then(|_| {
        world
            .resource::<crate::gui::overlay::OverlayData>()
            .visible
            .clone()
    });
    let ui = world.resource::<Ui>();
    let want = match (ui.selected, ui.hovered) {
        (Some(u), Some(h)) => Some((u, h)),
        _ => None,
    };
    let have = ui.preview.as_ref().map(|(u, h, _)| (*u, *h));
    let turn = world.resource::<Calendar>().turn;
    let stale = want != have || world.resource::<Ui>().preview_turn != turn;
    let preview = if stale {
        Some(want.and_then(|(u, h)| {
            let units = crate::rules::movement::snapshot(world);
            let own = units
                .iter()
                .find(|x| x.id == u)
                .is_some_and(|x| Some(x.side) == viewer || viewer.is_none() && x.side == side);
            if !own {
                return None;
            }
            let visible = world.resource::<Ui>().visible.clone();
            let enemy = units.iter().any(|x| {
                x.hex == h && x.side != side && visible.as_ref().is_none_or(|v| v.contains(&x.id))
            });
            if enemy {
                // Beside it: no march when it can attack from where it stands; otherwise the
                // march to the nearest hex beside it, as a right-click would order.
                let here = units.iter().find(|x| x.id == u)?.hex;
                if here.distance(h) <= 1 {
                    return None;
                }
                return approach(world, u, h).map(|(_, p)| (u, h, p));
            }
            crate::rules::preview::preview_march(world, u, h).map(|p| (u, h, p))
        }))
    } else {
        None
    };
    // The marches ordered this turn, each drawn until the turn ends.
    let key = (turn, world.resource::<PendingOrders>().orders.len());
    let planned = if world.resource::<Ui>().planned_key != Some(key) {
        let orders: Vec<(UnitId, Hex)> = world
            .resource::<PendingOrders>()
            .orders
            .iter()
            .filter_map(|o| match o {
                Order::MoveTo { unit, to } => Some((*unit, *to)),
                _ => None,
            })
            .collect();
        let units = crate::rules::movement::snapshot(world);
        let mut v = Vec::new();
        for (u, to) in orders {
            let mine = units
                .iter()
                .find(|x| x.id == u)
                .is_some_and(|x| viewer.is_none_or(|s| s == x.side));
            if mine && let Some(p) = crate::rules::preview::preview_march(world, u, to) {
                v.push((u, to, p));
            }
        }
        Some(v)
    } else {
        None
    };
    let mut ui = world.resource_mut::<Ui>();
    if let Some(p) = planned {
        ui.planned = p;
        ui.planned_key = Some(key);
    }
    if ui.viewer != viewer {
        ui.viewer = viewer;
    }
    if ui.visible != visible {
        ui.visible = visible;
    }
    if let Some(p) = preview {
        ui.preview = p;
        ui.preview_turn = turn;
    }
}
