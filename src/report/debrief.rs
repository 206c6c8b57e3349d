//! The debrief of a teaching scenario: its objectives met or missed, and the player's fuel
//! picture set against the documented figures of 1945.

use serde::Serialize;

use crate::model::time::{iso_local, parse_local};
use crate::model::*;
use crate::rules::Game;
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
    /// Met, failed, or still open while its time has not come.
    pub status: super::victory::Status,
    /// What happened, in words.
    pub outcome: String,
    /// The side whose own figures the outcome tells (a formation's fuel, fuel flown in);
    /// `None` when it tells only what both sides see (who holds a place). A side's view of
    /// the campaign leaves out the enemy's.
    #[serde(skip)]
    pub concerns: Option<Side>,
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
    let objectives = briefing
        .objectives
        .iter()
        .map(|o| {
            let j = super::victory::judge(world, o);
            ObjectiveResult {
                text: j.text,
                met: j.status == super::victory::Status::Met,
                status: j.status,
                outcome: j.outcome,
                concerns: concerns(world, o),
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
            simulated: super::victory::refills_at(world, &h.formation, &h.time),
            note: h.note.clone(),
        })
        .collect();
    Some(Debrief {
        objectives,
        fuel_against_history,
    })
}

/// The side of a formation, by name.
fn formation_side(world: &World, name: &str) -> Option<Side> {
    world
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.side)
}

/// The debrief as one side knows the campaign: the enemy's fuel and airlift left out.
pub fn view_for(d: &mut Debrief, world: &World, side: Side) {
    d.objectives
        .retain(|o| o.concerns.is_none_or(|s| s == side));
    d.fuel_against_history
        .retain(|f| formation_side(world, &f.formation).is_none_or(|s| s == side));
}

/// The side whose hidden figures an objective's outcome tells: a formation's fuel, a side's
/// airlift and its own losses are its own to know; the losses it inflicted are the enemy's;
/// places are seen by both.
fn concerns(world: &World, o: &crate::scenario::schema::Objective) -> Option<Side> {
    use crate::scenario::schema::Goal;
    match &o.goal {
        Goal::Capture { .. } | Goal::Hold { .. } => None,
        Goal::KeepFuel { formation, .. } => formation_side(world, formation),
        Goal::Airlift { .. } | Goal::LimitLosses { .. } | Goal::SaveForces { .. } => Some(o.side),
        Goal::InflictLosses { .. } => Some(o.side.enemy()),
    }
}

/// The debrief in words.
pub fn to_text(d: &Debrief) -> String {
    let mut s = String::from("\nDebrief\n");
    for o in &d.objectives {
        s.push_str(&format!(
            "  [{}] {}\n        {}\n",
            o.status.word(),
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
