//! The debrief: the outcome, the advance against history, losses and the calibration facts.

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::gui::lines::date;
use crate::gui::queries::{advance_from_log, calibration_facts};
use crate::gui::widgets::{note, root};
use crate::model::*;
use crate::report::batch::{CalibrationFact, Check};
use crate::report::words;

/// The marks of a fact or objective met and missed: glyphs the window's fonts hold (a cross
/// they lack would show as an empty box, which reads as "not yet" rather than "missed").
const MET: &str = "✔";
const MISSED: &str = "✖";

pub fn debrief(world: &mut World) {
    let mut state = bevy::ecs::system::SystemState::<EguiContexts>::new(world);
    let ctx = {
        let Ok(mut contexts) = state.get_mut(world) else {
            return;
        };
        match contexts.ctx_mut() {
            Ok(c) => c.clone(),
            Err(_) => return,
        }
    };
    let report = crate::report::campaign_report_in(world);
    let facts = calibration_facts(world);
    let advance = advance_from_log(world);
    let soviet_armies: Vec<String> = world
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .filter(|f| matches!(f.kind, FormationKind::TankArmy))
        .map(|f| f.name.clone())
        .collect();
    let by_email = world.resource::<crate::gui::state::Launch>().pbem.is_some();
    let mut choice = None;
    let mut controls = Vec::new();
    let mut screen = root(&ctx);
    // The buttons stay in sight below whatever the debrief's length.
    egui::Panel::bottom("debrief buttons").show(&mut screen, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            // A game by e-mail is played from its files, not again from here.
            if !by_email {
                let r = ui
                    .button("Play again")
                    .on_hover_text("the same scenario from its start, the same sides");
                note(&mut controls, "debrief play again", &r);
                if r.clicked() {
                    choice = Some(After::PlayAgain);
                }
            }
            let r = ui.button("Title screen");
            note(&mut controls, "debrief title", &r);
            if r.clicked() {
                choice = Some(After::Title);
            }
            let r = ui.button("Quit");
            note(&mut controls, "debrief quit", &r);
            if r.clicked() {
                choice = Some(After::Quit);
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(&mut screen, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(format!("Debrief — {}", report.scenario));
            ui.label(format!(
                "From {} to {}",
                date(&report.start),
                date(&report.end)
            ));
            ui.columns(2, |cols| {
                let ui = &mut cols[0];
                key_places(ui, &report, &facts);
                ui.add_space(10.0);
                losses(ui, &report);
                ui.add_space(6.0);
                tank_army(ui, world, &report, &facts, &advance.1);
                ui.add_space(6.0);
                documented_and_victory(ui, &report, &facts);

                let ui = &mut cols[1];
                charts(ui, &report, &facts, &advance, &soviet_armies);
            });
        });
    });
    state.apply(world);
    world.resource_mut::<crate::gui::state::Ui>().controls = controls;
    match choice {
        Some(After::PlayAgain) => crate::gui::session::play_again(world),
        Some(After::Title) => crate::gui::session::to_title(world),
        Some(After::Quit) => {
            world.write_message(AppExit::Success);
        }
        None => {}
    }
}

/// What the debrief's buttons lead to.
enum After {
    PlayAgain,
    Title,
    Quit,
}

/// The key places: when each was taken in this game, and in 1945.
fn key_places(
    ui: &mut egui::Ui,
    report: &crate::report::CampaignReport,
    facts: &[CalibrationFact],
) {
    ui.strong("Key places: taken in this game, and in 1945");
    egui::Grid::new("caps").striped(true).show(ui, |ui| {
        ui.strong("Place");
        ui.strong("This game");
        ui.strong("1945");
        ui.end_row();
        for f in facts {
            let Check::Captured {
                place, not_after, ..
            } = &f.check
            else {
                continue;
            };
            let taken = report
                .places
                .iter()
                .find(|p| p.name == *place)
                .and_then(|p| p.captured.clone());
            let on_time = taken.as_deref().is_some_and(|t| t <= not_after.as_str());
            ui.label(place);
            let txt = taken.as_deref().map_or("not taken".into(), date);
            ui.colored_label(
                if on_time {
                    egui::Color32::LIGHT_GREEN
                } else {
                    egui::Color32::from_rgb(230, 150, 60)
                },
                txt,
            );
            ui.label(&f.historical).on_hover_text(&f.source);
            ui.end_row();
        }
    });
}

/// Both sides' losses, and the fuel burned and flown.
fn losses(ui: &mut egui::Ui, report: &crate::report::CampaignReport) {
    ui.strong("Losses");
    let l = &report.losses;
    egui::Grid::new("losses").striped(true).show(ui, |ui| {
        ui.label("");
        ui.strong("Killed");
        ui.strong("Wounded");
        ui.strong("Tanks");
        ui.strong("Prisoners");
        ui.end_row();
        ui.label("Soviet");
        ui.label(words::thousands(l.soviet.killed));
        ui.label(words::thousands(l.soviet.wounded));
        ui.label(words::thousands(l.soviet.tanks));
        ui.label("—");
        ui.end_row();
        ui.label("Japanese");
        ui.label(words::thousands(l.japanese.killed));
        ui.label(words::thousands(l.japanese.wounded));
        ui.label(words::thousands(l.japanese.tanks));
        ui.label(words::thousands(l.japanese.prisoners));
        ui.end_row();
    });
    if l.japanese.prisoners + l.japanese.surrendered_unreached + l.japanese.deserted > 0 {
        // The sources count the Japanese army's prisoners; the allies' men mostly went home.
        ui.label(format!(
            "Of the prisoners, {} of the Japanese army. {} men laid down their arms where no \
             Soviet troops reached them; {} deserted or mutinied.",
            words::thousands(l.japanese.army_prisoners),
            words::thousands(l.japanese.surrendered_unreached),
            words::thousands(l.japanese.deserted)
        ));
    }
    ui.add_space(6.0);
    ui.label(format!(
        "Soviet fuel burned {} t; {} t airlifted in {} sorties.",
        words::amount(report.logistics.fuel_consumed_t),
        words::amount(report.logistics.fuel_airlifted_t),
        words::thousands(report.logistics.airlift_sorties)
    ));
}

/// The marches and fuel of the tank army and of the formations the facts name, against the
/// documented ones of 1945.
fn tank_army(
    ui: &mut egui::Ui,
    world: &World,
    report: &crate::report::CampaignReport,
    facts: &[CalibrationFact],
    adv_times: &[String],
) {
    ui.strong("Marches and fuel against 1945");
    let army_km = crate::report::batch::tank_army_from_log(world);
    let followed = world
        .resource::<Followed>()
        .name(world.resource::<OrderOfBattle>());
    let army_refills = followed
        .map(|name| report.refills_of(name))
        .unwrap_or_default();
    for f in facts {
        let named;
        let (at, min, max, series, unit) = match &f.check {
            Check::TankArmyAdvance { at, min_km, max_km } => (at, *min_km, *max_km, &army_km, "km"),
            Check::TankArmyFuel { at, min, max } => (at, *min, *max, &army_refills, "refills"),
            Check::March {
                of,
                at,
                min_km,
                max_km,
            } => {
                named = crate::report::batch::march_from_log(world, of);
                (at, *min_km, *max_km, &named, "km")
            }
            Check::Fuel { of, at, min, max } => {
                named = report.refills_of(of);
                (at, *min, *max, &named, "refills")
            }
            _ => continue,
        };
        let value =
            crate::report::batch::turn_ended_by(adv_times, at).and_then(|t| series.get(t).copied());
        let text = match value {
            Some(v) => format!(
                "{} {}: {} — this game {v:.1} {unit}",
                if (min..=max).contains(&v) {
                    MET
                } else {
                    MISSED
                },
                f.event,
                f.historical
            ),
            None => format!("· {}: {} — not reached yet", f.event, f.historical),
        };
        ui.label(text).on_hover_text(&f.source);
    }
}

/// What 1945 documents, and the victory conditions met.
fn documented_and_victory(
    ui: &mut egui::Ui,
    report: &crate::report::CampaignReport,
    facts: &[CalibrationFact],
) {
    ui.strong("Documented in 1945");
    for f in facts
        .iter()
        .filter(|f| matches!(f.check, Check::Quantity { .. }))
    {
        ui.label(format!("{}: {}", f.event, f.historical))
            .on_hover_text(&f.source);
    }
    if let Some(v) = &report.victory {
        ui.add_space(10.0);
        ui.strong("Victory");
        ui.label("Each side is judged against its own objectives, not against the other's: both may fall short.");
        for sv in &v.sides {
            ui.label(format!(
                "{}: {} — {} of {} objective weight met",
                sv.side, sv.level, sv.met_weight, sv.total_weight
            ));
            for j in &sv.objectives {
                ui.label(format!(
                    "   {} {} — {}",
                    match j.status {
                        crate::report::victory::Status::Met => MET,
                        crate::report::victory::Status::Failed => MISSED,
                        crate::report::victory::Status::Open => "·",
                    },
                    j.text,
                    j.outcome
                ));
            }
        }
    }
}

/// The depth of each front's advance against the documented depths, and the tank armies'
/// fuel, as charts.
fn charts(
    ui: &mut egui::Ui,
    report: &crate::report::CampaignReport,
    facts: &[CalibrationFact],
    advance: &(Vec<String>, Vec<String>, Vec<Vec<f64>>),
    soviet_armies: &[String],
) {
    let (fronts, adv_times, adv_series) = advance;
    ui.strong("Depth of each front's advance, km (dots: documented depths)");
    let advance_facts: Vec<(String, String, f64, f64)> = facts
        .iter()
        .filter_map(|f| match &f.check {
            Check::Advance {
                front,
                at,
                min_km,
                max_km,
            } => Some((front.clone(), at.clone(), *min_km, *max_km)),
            _ => None,
        })
        .collect();
    chart(ui, adv_times, fronts, adv_series, &advance_facts);
    ui.add_space(10.0);
    ui.strong("Fuel on hand of the tank armies, in refills");
    let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut times: Vec<String> = Vec::new();
    for r in report
        .timeline
        .iter()
        .filter(|r| soviet_armies.contains(&r.formation))
    {
        if !times.contains(&r.time) {
            times.push(r.time.clone());
        }
        by.entry(r.formation.clone()).or_default().push(r.refills);
    }
    let names: Vec<String> = by.keys().cloned().collect();
    let vals: Vec<Vec<f64>> = by.into_values().collect();
    chart(ui, &times, &names, &vals, &[]);
}

/// A small line chart: one line per series over the sample times, with documented points.
pub fn chart(
    ui: &mut egui::Ui,
    times: &[String],
    names: &[String],
    series: &[Vec<f64>],
    marks: &[(String, String, f64, f64)],
) {
    let colours = [
        egui::Color32::from_rgb(230, 90, 70),
        egui::Color32::from_rgb(90, 170, 230),
        egui::Color32::from_rgb(120, 210, 110),
        egui::Color32::from_rgb(230, 190, 60),
        egui::Color32::from_rgb(200, 120, 220),
    ];
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width().min(560.0), 190.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, egui::Color32::GRAY),
        egui::StrokeKind::Inside,
    );
    let n = times.len().max(2);
    let max = series
        .iter()
        .flatten()
        .copied()
        .chain(marks.iter().map(|m| m.3))
        .fold(1.0f64, f64::max)
        * 1.05;
    let x_of = |i: f64| rect.left() + rect.width() * (i / (n - 1) as f64) as f32;
    let y_of = |v: f64| rect.bottom() - rect.height() * (v / max) as f32;
    for (k, s) in series.iter().enumerate() {
        let pts: Vec<egui::Pos2> = s
            .iter()
            .enumerate()
            .map(|(i, v)| egui::pos2(x_of(i as f64), y_of(*v)))
            .collect();
        painter.add(egui::Shape::line(
            pts,
            egui::Stroke::new(2.0, colours[k % colours.len()]),
        ));
    }
    for (front, at, lo, hi) in marks {
        let Some(k) = names.iter().position(|n| n == front) else {
            continue;
        };
        let Some(i) = times.iter().position(|t| t.as_str() >= at.as_str()) else {
            continue;
        };
        let x = x_of(i as f64);
        let c = colours[k % colours.len()];
        painter.line_segment(
            [egui::pos2(x, y_of(*lo)), egui::pos2(x, y_of(*hi))],
            egui::Stroke::new(3.0, c),
        );
        painter.circle_filled(egui::pos2(x, y_of((lo + hi) / 2.0)), 4.0, c);
    }
    painter.text(
        rect.left_top() + egui::vec2(4.0, 2.0),
        egui::Align2::LEFT_TOP,
        format!("{max:.0}"),
        egui::FontId::proportional(11.0),
        egui::Color32::GRAY,
    );
    if let (Some(a), Some(b)) = (times.first(), times.last()) {
        painter.text(
            rect.left_bottom() + egui::vec2(4.0, -2.0),
            egui::Align2::LEFT_BOTTOM,
            date(a),
            egui::FontId::proportional(11.0),
            egui::Color32::GRAY,
        );
        painter.text(
            rect.right_bottom() + egui::vec2(-4.0, -2.0),
            egui::Align2::RIGHT_BOTTOM,
            date(b),
            egui::FontId::proportional(11.0),
            egui::Color32::GRAY,
        );
    }
    ui.horizontal_wrapped(|ui| {
        for (k, name) in names.iter().enumerate() {
            ui.colored_label(colours[k % colours.len()], format!("■ {name}"));
        }
    });
}
