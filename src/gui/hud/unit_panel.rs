//! The unit panel: the selected unit's strength, stocks, orders, attack odds, airlift and
//! fuel transfers.

use bevy::prelude::*;
use bevy_egui::egui;

use crate::gui::actions::UiAction;
use crate::gui::state::{Launch, Mode};
use crate::gui::widgets::{bar, note};
use crate::model::*;
use crate::report::words;
use crate::rules::movement::UnitView;

use super::view::{Changes, View};

/// The selected unit: who and what it is, its stocks and supply, and (for the side viewing)
/// its orders this turn: airlift, fuel from the units beside it, landings, the attack
/// prepared and the march the mouse points at.
pub fn unit_panel(ui: &mut egui::Ui, world: &World, view: &View, ch: &mut Changes) {
    let (ui_state, units) = (&view.ui_state, &view.units);
    let Some(u) = view.selected.as_ref() else {
        ui.heading("No unit selected");
        if world.resource::<Launch>().mode == Mode::Replay {
            ui.label("Click a counter to see the unit as it stood at the end of this phase. Left and right arrows step through the phases, Space plays; H lists every key.");
        } else {
            ui.label("Left-click a counter to select it. Right-click a hex to march there, or an enemy hex to prepare an attack. H lists every key.");
        }
        return;
    };
    let own = ui_state.viewer.is_none_or(|v| v == u.side);
    let e = world
        .iter_entities()
        .find(|e| e.get::<UnitId>() == Some(&u.id));
    let full = e
        .as_ref()
        .and_then(|e| e.get::<FullStrength>())
        .map(|f| f.0);
    let parent = e.as_ref().and_then(|e| e.get::<Parent>()).map(|p| p.0);
    let supply = e.as_ref().and_then(|e| e.get::<SupplyState>()).cloned();
    let stocks = e.as_ref().and_then(|e| e.get::<Stocks>()).copied();
    let cap = e.as_ref().and_then(|e| e.get::<Capacity>()).copied();
    if !identity(ui, world, view, u, own, full, parent) {
        return;
    }
    stocks_and_supply(ui, world, view, u, own, stocks, cap, supply.as_ref());
    let ui_mut = &mut ch.ui;
    // Other units in the same hex: a click selects one.
    let stack: Vec<&UnitView> = units
        .iter()
        .filter(|o| o.hex == u.hex && o.id != u.id && (o.side == u.side || !own))
        .collect();
    if !stack.is_empty() {
        ui.separator();
        ui.label(format!("Also in this hex ({}):", stack.len()));
        for o in stack {
            if ui.link(&o.name).on_hover_text("Select this unit").clicked() {
                ui_mut.selected = Some(o.id);
            }
        }
    }
    if !own {
        return;
    }
    // Watching a game again, a unit's logistics can be explained, but nothing ordered.
    let watching = world.resource::<Launch>().mode == Mode::Replay;
    ui.separator();
    if let (Some(why), false) = (&view.no_orders, watching) {
        ui.label(egui::RichText::new(why).color(egui::Color32::from_rgb(255, 200, 120)));
    }
    ui.horizontal(|ui| {
        if !watching {
            let undo = ui
                .button("Hold / undo")
                .on_hover_text("Cancel this turn's orders for the unit (U)");
            note(&mut ui_mut.controls, "undo", &undo);
            if undo.clicked() {
                ch.actions.push(UiAction::Undo);
            }
        }
        let explain = ui
            .button("Explain")
            .on_hover_text("Where its fuel and ammunition come from, and what limits them (E)");
        note(&mut ui_mut.controls, "explain", &explain);
        if explain.clicked() {
            ui_mut.explain = !ui_mut.explain;
        }
    });
    if watching {
        return;
    }
    airlift(ui, world, view, ch);
    forward_detachment(ui, world, view, ch, u, own, stocks, cap);
    landings(ui, view, ch);
    attack(ui, world, view, ch);
    march_preview(ui, world, view, u);
}

/// Who the unit is, in whose chain of command, and its strength against its full one (under
/// fog, what the viewer's staff believes); false when nothing of it is known.
fn identity(
    ui: &mut egui::Ui,
    world: &World,
    view: &View,
    u: &UnitView,
    own: bool,
    full: Option<Strength>,
    parent: Option<FormationId>,
) -> bool {
    let ui_state = &view.ui_state;
    let map = world.resource::<Map>();
    ui.heading(&u.name);
    ui.label(format!(
        "{} {} · {} side",
        crate::gui::units::size_mark(u.kind),
        u.kind,
        u.side
    ));
    if let Some(p) = parent {
        let oob = world.resource::<OrderOfBattle>();
        let chain: Vec<&str> = oob.chain(p).map(|f| f.name.as_str()).collect();
        ui.label(chain.join(" › "))
            .on_hover_text("Chain of command, from its formation up");
    }
    ui.label(format!(
        "At {}",
        crate::rules::orders::describe_hex(map, u.hex)
    ));
    // Under fog an enemy unit shows what the viewer's intelligence estimates of it, and
    // nothing of its guns or readiness.
    let fogged = !own && ui_state.visible.is_some();
    let mut shown = u.strength;
    if fogged {
        let est = world
            .get_resource::<crate::gui::overlay::OverlayData>()
            .and_then(|d| d.estimates.get(&u.id).copied());
        ui.label(egui::RichText::new("Enemy unit: figures are what your staff believes").italics());
        match est {
            Some((men, tanks)) => {
                shown.men = men;
                shown.tanks = tanks;
            }
            None => {
                ui.label("Its strength is not known.");
                return false;
            }
        }
    }
    ui.separator();
    let f = full.unwrap_or(u.strength);
    let ratio = |a: u32, b: u32| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    bar(
        ui,
        "Men",
        ratio(shown.men, f.men),
        format!(
            "{} of {}",
            words::thousands(shown.men),
            words::thousands(f.men)
        ),
        egui::Color32::from_rgb(40, 140, 40),
        "Men on hand against the unit's strength at the start",
    );
    if f.tanks > 0 {
        bar(
            ui,
            "Tanks",
            ratio(shown.tanks, f.tanks),
            format!(
                "{} of {}",
                words::thousands(shown.tanks),
                words::thousands(f.tanks)
            ),
            egui::Color32::from_rgb(90, 110, 60),
            "Tanks and self-propelled guns in running order",
        );
    }
    if f.guns > 0 && !fogged {
        bar(
            ui,
            "Guns",
            ratio(u.strength.guns, f.guns),
            format!(
                "{} of {}",
                words::thousands(u.strength.guns),
                words::thousands(f.guns)
            ),
            egui::Color32::from_rgb(100, 100, 100),
            "Guns and mortars",
        );
    }
    if !fogged {
        bar(
            ui,
            "Readiness",
            u.readiness,
            format!("{:.0}%", u.readiness * 100.0),
            egui::Color32::from_rgb(60, 100, 160),
            "Training, equipment, cohesion and alertness: it scales combat value and movement",
        );
    }
    true
}

/// Its stocks against what it can carry, its supply, and where it marches.
fn stocks_and_supply(
    ui: &mut egui::Ui,
    world: &World,
    _view: &View,
    u: &UnitView,
    own: bool,
    stocks: Option<Stocks>,
    cap: Option<Capacity>,
    supply: Option<&SupplyState>,
) {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    if own && let (Some(s), Some(c)) = (stocks, cap) {
        for (label, have, room, colour, tip) in [
            (
                "Fuel",
                s.fuel_t,
                c.fuel_t,
                egui::Color32::from_rgb(210, 130, 0),
                "Fuel on hand against what the unit's own transport can carry",
            ),
            (
                "Ammunition",
                s.ammo_t,
                c.ammo_t,
                egui::Color32::from_rgb(160, 60, 60),
                "Ammunition on hand: attacks short of it lose strength",
            ),
            (
                "Food",
                s.food_t,
                c.food_t,
                egui::Color32::from_rgb(120, 120, 60),
                "Food: without it men weaken day by day",
            ),
        ] {
            if room > 0.0 {
                bar(
                    ui,
                    label,
                    have / room,
                    format!("{have:.0} of {room:.0} t"),
                    colour,
                    tip,
                );
            }
        }
    }
    if own && let Some(s) = &supply {
        ui.label(match (&s.depot, s.haul_km) {
            (Some(d), _) if s.turns_besieged > 0 => format!(
                "Besieged for {} turns: lives on {d}, cut off from its command",
                s.turns_besieged
            ),
            (Some(d), Some(h)) => format!("Supplied from {d}, {h:.0} km of lorry haul"),
            (Some(d), None) => format!("Supplied from {d}"),
            _ if cal.turn <= 1 && s.turns_cut == 0 => "Supply is traced at the first supply phase".into(),
            _ => format!("Cut off from supply for {} turns", s.turns_cut),
        })
        .on_hover_text("Lorries carry from the railhead or depot; the longer the haul, the less arrives (E explains)");
    }
    if let Some(d) = u.destination {
        ui.label(format!(
            "Marching to {}",
            crate::rules::orders::describe_hex(map, d)
        ));
    }
}

/// Airlift: choose a base in reach and the tons.
fn airlift(ui: &mut egui::Ui, _world: &World, view: &View, ch: &mut Changes) {
    let ui_mut = &mut ch.ui;
    let actions = &mut ch.actions;
    let lift = &view.lift;
    let room = view.room;
    // Airlift: choose a base in reach and the tons.
    ui.separator();
    ui.strong("Airlift fuel").on_hover_text(
        "Transport aircraft fly fuel from a base you hold to this unit; rain grounds them",
    );
    let most = lift.iter().map(|o| o.most_t).fold(0.0, f64::max).min(room);
    if lift.is_empty() {
        ui.label("No base of yours can fly fuel to this unit now (F6 shows the transports' reach; rain grounds them, and they land only on open ground or at an airfield).");
    } else if most < 1.0 {
        ui.label(if room < 1.0 {
            "Its tanks are full (with what is already on its way): nothing to fly in."
        } else {
            "The transports' sorties this turn are all booked."
        });
    } else {
        // The slider goes no further than can be flown and the unit can take.
        ui_mut.airlift_tons = if ui_mut.airlift_tons <= 0.0 {
            most.min(50.0)
        } else {
            ui_mut.airlift_tons.clamp(1.0, most)
        };
        let slider = ui
            .add(
                egui::Slider::new(&mut ui_mut.airlift_tons, 1.0..=most)
                    .step_by(1.0)
                    .suffix(" t")
                    .text("tons"),
            )
            .on_hover_text(format!(
                "How much fuel to fly in this turn: up to {most:.0} t (what the fleets can still fly and the unit can take)"
            ));
        note(&mut ui_mut.controls, "airlift slider", &slider);
        for (i, o) in lift.iter().take(4).enumerate() {
            let tons = ui_mut.airlift_tons.min(o.most_t).min(room);
            let label = format!("Fly {tons:.0} t from {} ({:.0} km)", o.base_name, o.km);
            let b = ui
                .add_enabled(tons >= 1.0, egui::Button::new(label))
                .on_hover_text(format!(
                    "{}: up to {:.0} t more this turn from {}; range {:.0} km",
                    o.fleet_name, o.most_t, o.base_name, o.range_km
                ));
            note(&mut ui_mut.controls, &format!("airlift {}", i + 1), &b);
            if b.clicked() {
                actions.push(UiAction::Airlift {
                    fleet: o.fleet,
                    base: o.base,
                    tons,
                });
            }
        }
    }
}

/// A forward detachment: the units beside it hand it their fuel before anyone marches.
fn forward_detachment(
    ui: &mut egui::Ui,
    _world: &World,
    view: &View,
    ch: &mut Changes,
    u: &UnitView,
    own: bool,
    stocks: Option<Stocks>,
    cap: Option<Capacity>,
) {
    let actions = &mut ch.actions;
    let units = &view.units;
    // A forward detachment: the units beside it hand it their fuel before anyone marches.
    if let (true, Some(st), Some(c)) = (own, stocks, cap) {
        let room = st.fuel_room(&c);
        let orders = crate::rules::fuel_transfer::fill_from_beside(units, u, room);
        if room >= 1.0 && !orders.is_empty() {
            let total: f64 = orders
                .iter()
                .map(|o| match o {
                    Order::TransferFuel { tons, .. } => *tons,
                    _ => 0.0,
                })
                .sum();
            ui.separator();
            ui.strong("Forward detachment").on_hover_text(
                "The units in its hex and beside it hand it their fuel before anyone marches this turn: it goes on while they wait for the lorries",
            );
            let from = match orders.len() {
                1 => "the unit".to_string(),
                n => format!("{n} units"),
            };
            if ui
                .button(format!("Take {total:.0} t of fuel from {from} beside it"))
                .clicked()
            {
                actions.push(UiAction::ForwardDetachment);
            }
        }
    }
}

/// Where the unit can land from the air.
fn landings(ui: &mut egui::Ui, view: &View, ch: &mut Changes) {
    let actions = &mut ch.actions;
    let landings = &view.landings;
    if !landings.is_empty() {
        ui.separator();
        ui.strong("Landings").on_hover_text(
            "Fly this detachment into a city or airfield in reach (a garrison that has not heard the cease-fire destroys it), or ship it from its port to a place on the coast in reach (a defended beach is fought for, with the fleet's guns)",
        );
        ui.horizontal_wrapped(|ui| {
            for (name, o) in landings {
                if ui.button(format!("Land at {name}")).clicked() {
                    actions.push(UiAction::Order(o.clone()));
                }
            }
        });
    }
}

/// The attack prepared on the hex right-clicked: the odds and what made them.
fn attack(ui: &mut egui::Ui, world: &World, view: &View, ch: &mut Changes) {
    let ui_state = &view.ui_state;
    let actions = &mut ch.actions;
    let map = world.resource::<Map>();
    let units = &view.units;
    if let Some((t, group, odds)) = &ui_state.attack {
        ui.separator();
        ui.heading("Attack");
        ui.label(format!(
            "Target: {}",
            crate::rules::orders::describe_hex(map, *t)
        ));
        let attackers: Vec<&str> = group
            .iter()
            .filter_map(|g| units.iter().find(|x| x.id == *g))
            .map(|x| x.name.as_str())
            .collect();
        ui.label(format!("With: {}", attackers.join(", ")));
        ui.label(egui::RichText::new(format!("Odds {odds:.1} : 1")).strong());
        // What made them: each side's strength (readiness and ammunition counted in it) and
        // every factor of ground, weather, air and river.
        if let Some((attack, defence, factors)) = &ui_state.attack_breakdown {
            let line = |ui: &mut egui::Ui, attack_side: bool, total: f64| {
                let mut parts = vec![format!(
                    "{} {} = strength",
                    if attack_side { "Attack" } else { "Defence" },
                    words::amount(total)
                )];
                parts.extend(
                    factors
                        .iter()
                        .filter(|f| f.attack == attack_side)
                        .map(|f| format!("{} {:.2}", f.what, f.times)),
                );
                ui.label(parts.join(" × "));
            };
            line(ui, true, *attack);
            line(ui, false, *defence);
        }
        let expect = if *odds < 1.0 {
            "likely repulsed with heavy losses"
        } else if *odds < 2.5 {
            "the defenders likely hold"
        } else if *odds < 5.0 {
            "the defenders likely fall back"
        } else {
            "the defenders likely break"
        };
        ui.label(format!("Expected: {expect}"));
        if ui
            .button("Attack (T)")
            .on_hover_text("Commit: it is fought when you end the turn")
            .clicked()
        {
            actions.push(UiAction::ConfirmAttack);
        }
    }
}

/// The march the mouse points at, last: it comes and goes with the pointer, and nothing
/// below it may move when it does.
fn march_preview(ui: &mut egui::Ui, world: &World, view: &View, u: &UnitView) {
    let ui_state = &view.ui_state;
    let map = world.resource::<Map>();
    // The march the mouse points at, last: it comes and goes with the pointer, and nothing
    // below it may move when it does.
    ui.separator();
    if let Some((pid, to, p)) = &ui_state.preview
        && *pid == u.id
    {
        ui.strong(format!(
            "March to {}",
            crate::rules::orders::describe_hex(map, *to)
        ));
        let turns = p.legs.len();
        let mut text = if p.arrives {
            format!(
                "arrives in {turns} turn{}",
                if turns == 1 { "" } else { "s" }
            )
        } else {
            match p.stall {
                Some(crate::model::events::HaltReason::OutOfFuel) => {
                    format!("runs dry after {turns} turns, short of the goal")
                }
                Some(r) => format!("stalls after {turns} turns ({r})"),
                None => format!("not there within {turns} turns"),
            }
        };
        text += &format!(
            ", {:.0} km, burns {:.0} t of fuel (holds {:.0} t)",
            p.km, p.fuel_t, p.fuel_on_hand_t
        );
        ui.label(text);
        if !p.zoc.is_empty() {
            ui.colored_label(
                egui::Color32::from_rgb(220, 80, 60),
                format!(
                    "Passes {} hex(es) of enemy zones of control: the march halts on entering one",
                    p.zoc.len()
                ),
            );
        }
        ui.separator();
    }
}
