//! The debrief of a teaching scenario: its objectives met or missed, and the player's fuel
//! picture set against the documented figures of 1945.

use serde::Serialize;

use crate::model::time::{iso_local, parse_local};
use crate::model::*;
use crate::rules::Game;
use crate::scenario::schema::Goal;
use crate::scenario::spawn::BriefingRes;
use bevy::prelude::World;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Debrief {
    pub objectives: Vec<ObjectiveResult>,
    pub fuel_against_history: Vec<FuelComparison>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ObjectiveResult {
    pub text: String,
    pub met: bool,
    /// What happened, in words.
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FuelComparison {
    pub time: String,
    pub formation: String,
    /// Refills on hand in 1945.
    pub historical: f64,
    /// Refills on hand in this game (the end of the turn nearest that time), if reached.
    pub simulated: Option<f64>,
    pub note: String,
}

/// The debrief, if the scenario has a briefing.
pub fn debrief(game: &Game) -> Option<Debrief> {
    debrief_in(game.world())
}

/// The debrief of a game held in any world (the window's too).
pub fn debrief_in(world: &World) -> Option<Debrief> {
    let briefing = world.get_resource::<BriefingRes>()?.0.clone()?;
    let timeline = &world.resource::<Timeline>().rows;
    let control = world.resource::<Control>();
    let map = world.resource::<Map>();
    let ledger = world.resource::<logistics::FuelLedger>();
    let events = &world.resource::<EventLog>().events;
    let refills_at = |formation: &str, at: &str| -> Option<f64> {
        let t = parse_local(at)?;
        timeline
            .iter()
            .filter(|r| r.formation == formation)
            .filter_map(|r| parse_local(&r.time).map(|rt| (rt, r.refills)))
            .filter(|(rt, _)| *rt <= t)
            .max_by_key(|(rt, _)| *rt)
            .map(|(_, r)| r)
    };
    let objectives = briefing
        .objectives
        .iter()
        .map(|o| match &o.goal {
            Goal::Capture { places, by } => {
                let deadline = parse_local(by).map(iso_local).unwrap_or_default();
                let mut lines = Vec::new();
                let mut met = true;
                for p in places {
                    let when = map
                        .place_named(p)
                        .and_then(|pl| control.first_soviet[pl.id.0 as usize].clone());
                    match when {
                        Some(w) if w <= deadline => lines.push(format!(
                            "{p} taken {}",
                            crate::report::words::short_date(&w)
                        )),
                        Some(w) => {
                            met = false;
                            lines.push(format!(
                                "{p} taken late, {}",
                                crate::report::words::short_date(&w)
                            ))
                        }
                        None => {
                            met = false;
                            lines.push(format!("{p} not taken"))
                        }
                    }
                }
                ObjectiveResult {
                    text: o.text.clone(),
                    met,
                    outcome: lines.join("; "),
                }
            }
            Goal::KeepFuel {
                formation,
                refills,
                on,
            } => match refills_at(formation, on) {
                Some(r) => ObjectiveResult {
                    text: o.text.clone(),
                    met: r >= *refills,
                    outcome: format!("{formation} had {r:.2} of a refill"),
                },
                None => ObjectiveResult {
                    text: o.text.clone(),
                    met: false,
                    outcome: "the game did not reach that date".into(),
                },
            },
            Goal::Airlift { tons, by } => {
                let deadline = parse_local(by).map(iso_local).unwrap_or_default();
                let flown: f64 = events
                    .iter()
                    .filter(|e| e.time <= deadline)
                    .filter_map(|e| match &e.event {
                        GameEvent::AirliftDelivered {
                            tons,
                            cargo: Cargo::Fuel,
                            unit,
                            ..
                        } if side_of(world, *unit) == Some(Side::Soviet) => Some(*tons),
                        _ => None,
                    })
                    .sum();
                let _ = ledger;
                ObjectiveResult {
                    text: o.text.clone(),
                    met: flown >= *tons,
                    outcome: format!("{flown:.0} t of fuel flown in"),
                }
            }
        })
        .collect();
    let fuel_against_history = briefing
        .history
        .iter()
        .map(|h| FuelComparison {
            time: parse_local(&h.time)
                .map(iso_local)
                .unwrap_or_else(|| h.time.clone()),
            formation: h.formation.clone(),
            historical: h.refills,
            simulated: refills_at(&h.formation, &h.time),
            note: h.note.clone(),
        })
        .collect();
    Some(Debrief {
        objectives,
        fuel_against_history,
    })
}

fn side_of(world: &World, unit: UnitId) -> Option<Side> {
    world
        .iter_entities()
        .find(|e| e.get::<UnitId>() == Some(&unit))
        .and_then(|e| e.get::<Allegiance>().map(|a| a.side))
}

/// The debrief in words.
pub fn to_text(d: &Debrief) -> String {
    let mut s = String::from("\nDebrief\n");
    for o in &d.objectives {
        s.push_str(&format!(
            "  [{}] {}\n        {}\n",
            if o.met { "met" } else { "missed" },
            o.text,
            o.outcome
        ));
    }
    s.push_str("  Fuel on hand against 1945 (refills):\n");
    for f in &d.fuel_against_history {
        s.push_str(&format!(
            "    {}  {}: 1945 {:.2}, your game {}\n        {}\n",
            &f.time[..16],
            f.formation,
            f.historical,
            f.simulated
                .map_or("not reached".into(), |x| format!("{x:.2}")),
            f.note
        ));
    }
    s
}
