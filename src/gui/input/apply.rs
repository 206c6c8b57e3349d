//! The actions of clicks, keys and scripts turned into orders through the rules' own
//! validation, saves and loads.

use bevy::prelude::*;

use crate::gui::actions::{SAVE_DIR, UiAction};
use crate::gui::input::turns::{end_of_phase, send_pbem_turn};
use crate::gui::queries::approach;
use crate::gui::session::save_world;
use crate::gui::state::toast;
use crate::gui::state::{Launch, Mode, Started, Ui};
use crate::model::*;
use crate::rules::orders::submit;
/// Turns UI actions into orders, through the same validation as every other order.
pub fn apply_actions(world: &mut World) {
    if world.get_resource::<Started>().is_none() {
        return;
    }
    let actions: Vec<UiAction> = world.resource_mut::<Messages<UiAction>>().drain().collect();
    for a in actions {
        if !may_apply(world, &a) {
            continue;
        }
        if !apply(world, a) {
            // The game on screen was replaced: what was asked of the old one is dropped.
            return;
        }
    }
}

/// Whether the action may be carried out now; if not, why, said to the player where it is
/// not plain (the other side's phase, or a game watched again).
fn may_apply(world: &mut World, a: &UiAction) -> bool {
    let side = world.resource::<Calendar>().active;
    let mode = world.resource::<Launch>().mode;
    // Watching a game again, a unit may be looked at, but nothing ordered or saved.
    let allowed = if mode == Mode::Replay {
        matches!(a, UiAction::Select(_) | UiAction::SelectNamed(_))
    } else {
        mode.human(side) || matches!(a, UiAction::Save | UiAction::Load)
    };
    if !allowed {
        return false;
    }
    let gives_orders = matches!(
        a,
        UiAction::OrderTo(_)
            | UiAction::ConfirmAttack
            | UiAction::Undo
            | UiAction::Airlift { .. }
            | UiAction::ForwardDetachment
            | UiAction::Order(_)
            | UiAction::EndTurn
    );
    if matches!(a, UiAction::Load) && world.resource::<Launch>().pbem.is_some() {
        toast(
            world,
            "a game by e-mail is opened from its game file (play --pbem), not from the quick save",
        );
        return false;
    }
    if gives_orders
        && world
            .resource::<Launch>()
            .pbem
            .as_ref()
            .is_some_and(|w| w.sent())
    {
        toast(
            world,
            "your turn is sent: the game goes on when the other player's turn arrives (play --pbem ... --open THEIR-TURN.ron)",
        );
        return false;
    }
    true
}

/// Carries out one action; false when it replaced the game on screen (a load).
fn apply(world: &mut World, a: UiAction) -> bool {
    let side = world.resource::<Calendar>().active;
    let units = crate::rules::movement::snapshot(world);
    match a {
        UiAction::Select(h) => select(world, &units, side, h),
        UiAction::SelectNamed(n) => {
            let id = units.iter().find(|u| u.name == n).map(|u| u.id);
            world.resource_mut::<Ui>().selected = id;
            if id.is_none() {
                toast(world, format!("no unit named {n}"));
            }
        }
        UiAction::OrderTo(h) => order_to(world, &units, side, h),
        UiAction::ConfirmAttack => confirm_attack(world),
        UiAction::Undo => {
            if let Some(sel) = world.resource::<Ui>().selected {
                match submit(world, Order::Hold { unit: sel }) {
                    Ok(()) => toast(world, "orders cancelled: the unit holds"),
                    Err(e) => toast(world, e.to_string()),
                }
                world.resource_mut::<Ui>().planned_key = None;
            }
        }
        UiAction::Airlift { fleet, base, tons } => airlift(world, fleet, base, tons),
        UiAction::ForwardDetachment => forward_detachment(world),
        UiAction::Order(o) => match submit(world, o) {
            Ok(()) => toast(world, "ordered: it happens when you end the turn"),
            Err(e) => toast(world, e.to_string()),
        },
        UiAction::EndTurn if world.resource::<Launch>().pbem.is_some() => {
            send_pbem_turn(world);
        }
        UiAction::EndTurn => end_turn(world, side),
        UiAction::Save => save(world),
        UiAction::Load => return load(world),
    }
    true
}

/// A click on a hex selects a unit there: own units first; a second click on the same hex
/// goes through the stack.
fn select(world: &mut World, units: &[crate::rules::movement::UnitView], side: Side, h: Hex) {
    // Own units first; a second click on the same hex goes through the stack.
    let visible = world.resource::<Ui>().visible.clone();
    let viewer = world.resource::<Ui>().viewer;
    let mut here: Vec<&crate::rules::movement::UnitView> = units
        .iter()
        .filter(|u| u.hex == h)
        .filter(|u| Some(u.side) == viewer || visible.as_ref().is_none_or(|v| v.contains(&u.id)))
        .collect();
    here.sort_by_key(|u| (u.side != side, u.id));
    let current = world.resource::<Ui>().selected;
    let next = match current.and_then(|c| here.iter().position(|u| u.id == c)) {
        Some(i) => here.get((i + 1) % here.len()).map(|u| u.id),
        None => here.first().map(|u| u.id),
    };
    let mut ui = world.resource_mut::<Ui>();
    ui.selected = next;
    ui.attack = None;
    ui.preview = None;
}

/// A right-click: prepare an attack on an enemy beside the selected unit, or march there
/// (next to an enemy out of reach).
fn order_to(world: &mut World, units: &[crate::rules::movement::UnitView], side: Side, h: Hex) {
    let Some(sel) = world.resource::<Ui>().selected else {
        return;
    };
    let Some(u) = units.iter().find(|u| u.id == sel).cloned() else {
        return;
    };
    if u.side != side {
        return;
    }
    // Only the enemy the player can see counts: an unseen one is not given away.
    let visible = world.resource::<Ui>().visible.clone();
    let enemy_at = |x: Hex| {
        units.iter().any(|e| {
            e.hex == x && e.side != side && visible.as_ref().is_none_or(|v| v.contains(&e.id))
        })
    };
    let mut to = h;
    if enemy_at(h) {
        if u.hex.distance(h) == 1 {
            // Prepare an attack with every unit of ours beside the target.
            let group: Vec<_> = units
                .iter()
                .filter(|x| x.side == side && x.hex.distance(h) == 1)
                .cloned()
                .collect();
            let (odds, factors) = crate::gui::queries::preview_odds(world, &group, h);
            let mut ui = world.resource_mut::<Ui>();
            ui.attack = Some((h, group.iter().map(|u| u.id).collect(), odds.ratio));
            ui.attack_breakdown = Some((odds.attack, odds.defence, factors));
            return;
        }
        // Out of reach: march to the nearest hex beside it that it can reach.
        match approach(world, sel, h) {
            Some((beside, _)) => to = beside,
            None => {
                toast(world, "no hex beside that enemy can be reached");
                return;
            }
        }
    }
    march(world, &u, to, h);
}

/// Orders the unit's march to `to` (for a click on `h`), replacing the march it had.
fn march(world: &mut World, u: &crate::rules::movement::UnitView, to: Hex, h: Hex) {
    let sel = u.id;
    let order = Order::MoveTo { unit: sel, to };
    // A new right-click replaces the unit's march: the old one is cancelled, and
    // put back if the new one is refused.
    let earlier: Vec<Order> = world
        .resource::<PendingOrders>()
        .orders
        .iter()
        .filter(|o| o.unit() == Some(sel))
        .cloned()
        .collect();
    // Ask the rules about a replacement only once the old march is taken back,
    // so that no "already ordered" refusal is logged for it.
    let replaced = earlier
        .iter()
        .any(|o| !matches!(o, Order::Hold { .. } | Order::TransferFuel { .. }));
    if replaced {
        let _ = submit(world, Order::Hold { unit: sel });
        // Fuel handed over this turn stays handed over.
        for o in earlier
            .iter()
            .filter(|o| matches!(o, Order::TransferFuel { .. }))
        {
            let _ = submit(world, o.clone());
        }
    }
    let r = submit(world, order).map(|()| replaced);
    if r.is_err() && replaced {
        let _ = submit(world, Order::Hold { unit: sel });
        for o in earlier {
            let _ = submit(world, o);
        }
    }
    let map = world.resource::<Map>();
    let place = crate::rules::orders::describe_hex(map, to);
    let target = crate::rules::orders::describe_hex(map, h);
    match r {
        Ok(replaced) => {
            let beside = if to != h {
                format!(" beside the enemy at {target}")
            } else {
                String::new()
            };
            let again = if replaced {
                " (its earlier march cancelled)"
            } else {
                ""
            };
            toast(
                world,
                format!("{} marches to {place}{beside}{again}", u.name),
            );
            world.resource_mut::<Ui>().planned_key = None;
        }
        Err(e) => toast(world, e.to_string()),
    }
}

/// The prepared attack, ordered.
fn confirm_attack(world: &mut World) {
    let Some((t, group, _)) = world.resource::<Ui>().attack.clone() else {
        return;
    };
    match submit(
        world,
        Order::Attack {
            units: group,
            target: t,
        },
    ) {
        Ok(()) => toast(world, "attack ordered: it is fought when you end the turn"),
        Err(e) => toast(world, e.to_string()),
    }
    world.resource_mut::<Ui>().attack = None;
}

/// Fuel flown to the selected unit.
fn airlift(world: &mut World, fleet: FormationId, base: PlaceId, tons: f64) {
    let Some(sel) = world.resource::<Ui>().selected else {
        return;
    };
    let o = Order::Airlift {
        air_army: fleet,
        base,
        to: sel,
        cargo: Cargo::Fuel,
        tons,
    };
    match submit(world, o) {
        Err(e) => toast(world, e.to_string()),
        Ok(()) => toast(
            world,
            format!("{tons:.0} t of fuel will be flown in when you end the turn"),
        ),
    }
}

/// The selected unit filled up from the units beside it.
fn forward_detachment(world: &mut World) {
    let Some(sel) = world.resource::<Ui>().selected else {
        return;
    };
    let units = crate::rules::movement::snapshot(world);
    let Some(u) = units.iter().find(|u| u.id == sel) else {
        return;
    };
    let room = crate::rules::fuel_transfer::fuel_and_room(world, sel).map_or(0.0, |(_, room)| room);
    let orders = crate::rules::fuel_transfer::fill_from_beside(&units, u, room);
    let mut tons = 0.0;
    let mut refused = None;
    for o in orders {
        let t = match &o {
            Order::TransferFuel { tons, .. } => *tons,
            _ => 0.0,
        };
        match submit(world, o) {
            Ok(()) => tons += t,
            Err(e) => refused = Some(e.to_string()),
        }
    }
    match refused {
        Some(e) => toast(world, e),
        None if tons > 0.0 => toast(
            world,
            format!("{tons:.0} t of fuel will change hands before the marches"),
        ),
        None => toast(world, "no unit beside it has fuel to give"),
    }
}

/// The player's phase ended; what happens from here on is what the player reads at the next
/// turn.
fn end_turn(world: &mut World, side: Side) {
    // What happens from here on is what the player reads at the next turn.
    let n = world.resource::<EventLog>().events.len();
    {
        let mut ui = world.resource_mut::<Ui>();
        ui.since[crate::model::intel::side_index(side)] = Some(n);
        ui.show_since = true;
    }
    let _ = submit(world, Order::EndTurn);
    end_of_phase(world);
}

/// The quick save written.
fn save(world: &mut World) {
    let path = std::path::Path::new(SAVE_DIR).join("quicksave.ron");
    match save_world(world, &path) {
        Ok(()) => toast(world, format!("saved to {}", path.display())),
        Err(e) => toast(world, format!("could not save: {e}")),
    }
}

/// The quick save loaded in place of the game on screen; false once it is.
fn load(world: &mut World) -> bool {
    let path = std::path::Path::new(SAVE_DIR).join("quicksave.ron");
    if !path.exists() {
        toast(
            world,
            format!("no save at {} yet: F5 saves", path.display()),
        );
        return true;
    }
    // Check the save before touching the game on screen: a bad file loses nothing.
    if let Err(d) = crate::rules::save::load_game(&path) {
        let first = d.first().map(|d| d.message.clone()).unwrap_or_default();
        toast(world, format!("could not load {}: {first}", path.display()));
        return true;
    }
    crate::gui::session::reload(world, path.clone());
    toast(world, format!("loaded {}", path.display()));
    false
}
