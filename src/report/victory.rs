//! Victory: each side's objectives judged against the game (met, failed or still open), scored
//! by weight, and the level of victory the share met earns, as the scenario defines them.

use serde::Serialize;

use super::words::{short_date, thousands};
use crate::model::time::{iso_local, parse_local};
use crate::model::*;
use crate::scenario::schema::{Goal, Objective};
use crate::scenario::spawn::{BriefingRes, VictoryRes};
use bevy::prelude::World;

/// Where an objective stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Met,
    Failed,
    /// Its time has not come yet.
    Open,
}

impl Status {
    /// The word players read.
    pub fn word(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Failed => "failed",
            Status::Open => "open",
        }
    }
}

/// One objective judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub side: Side,
    pub text: String,
    pub weight: u32,
    pub status: Status,
    /// What happened, in words.
    pub outcome: String,
    /// The side whose hidden figure the outcome tells (the enemy's losses), if any.
    #[serde(skip)]
    pub reveals: Option<Side>,
}

/// A side's standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideVictory {
    pub side: Side,
    /// Weight of the objectives met, of all the side's objectives.
    pub met_weight: u32,
    pub total_weight: u32,
    /// The level the share met earns now (at the end of a game: the verdict).
    pub level: String,
    /// True once every objective of the side is decided.
    pub decided: bool,
    pub objectives: Vec<Judged>,
}

/// Both sides' standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Victory {
    pub sides: Vec<SideVictory>,
}

/// Every objective of the scenario for both sides: the briefing's, then the victory
/// conditions'.
pub fn objectives(world: &World) -> Vec<Objective> {
    let mut all: Vec<Objective> = world
        .get_resource::<BriefingRes>()
        .and_then(|b| b.0.as_ref())
        .map(|b| b.objectives.clone())
        .unwrap_or_default();
    if let Some(v) = world
        .get_resource::<VictoryRes>()
        .and_then(|v| v.0.as_ref())
    {
        all.extend(v.objectives.iter().cloned());
    }
    all
}

/// The standing of both sides, if the scenario has objectives.
pub fn victory_in(world: &World) -> Option<Victory> {
    let objectives = objectives(world);
    if objectives.is_empty() {
        return None;
    }
    let levels = world
        .get_resource::<VictoryRes>()
        .and_then(|v| v.0.as_ref())
        .map(|v| v.levels.clone())
        .unwrap_or_default();
    let sides = Side::BOTH
        .into_iter()
        .filter_map(|side| {
            let judged: Vec<Judged> = objectives
                .iter()
                .filter(|o| o.side == side)
                .map(|o| judge(world, o))
                .collect();
            if judged.is_empty() {
                return None;
            }
            let total_weight: u32 = judged.iter().map(|j| j.weight).sum();
            let met_weight: u32 = judged
                .iter()
                .filter(|j| j.status == Status::Met)
                .map(|j| j.weight)
                .sum();
            let share = if total_weight == 0 {
                0.0
            } else {
                met_weight as f64 / total_weight as f64
            };
            let level = levels
                .iter()
                .find(|l| share + 1e-9 >= l.share)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| format!("{met_weight} of {total_weight} objectives met"));
            Some(SideVictory {
                side,
                met_weight,
                total_weight,
                level,
                decided: judged.iter().all(|j| j.status != Status::Open),
                objectives: judged,
            })
        })
        .collect();
    Some(Victory { sides })
}

/// Local time the game has reached: the end of the last turn played.
fn reached(world: &World) -> String {
    let cal = world.resource::<Calendar>();
    if cal.finished {
        iso_local(cal.end.min(cal.time_of_turn(cal.turn + 1)))
    } else {
        iso_local(cal.now())
    }
}

fn finished(world: &World) -> bool {
    world.resource::<Calendar>().finished
}

/// A deadline as the event log writes times, or None if it does not parse (`check` refuses
/// such a file, so this is only a guard).
fn deadline(at: &str) -> Option<String> {
    parse_local(at).map(iso_local)
}

/// One objective judged against the game so far.
pub fn judge(world: &World, o: &Objective) -> Judged {
    let (status, outcome) = match &o.goal {
        Goal::Capture { places, by } => capture(world, o.side, places, by),
        Goal::Hold { places, until } => hold(world, o.side, places, until),
        Goal::KeepFuel {
            formation,
            refills,
            on,
        } => keep_fuel(world, formation, *refills, on),
        Goal::Airlift { tons, by } => airlift(world, o.side, *tons, by),
        Goal::LimitLosses { killed } => {
            let k = killed_of(world, o.side);
            let status = if k > *killed {
                Status::Failed
            } else if finished(world) {
                Status::Met
            } else {
                Status::Open
            };
            (status, format!("{} killed", thousands(k)))
        }
        Goal::InflictLosses { killed } => {
            let k = killed_of(world, o.side.enemy());
            let status = if k >= *killed {
                Status::Met
            } else if finished(world) {
                Status::Failed
            } else {
                Status::Open
            };
            (status, format!("{} of the enemy killed", thousands(k)))
        }
        Goal::SaveForces { men } => {
            let m = under_arms(world, o.side);
            let status = if !finished(world) {
                Status::Open
            } else if m >= *men {
                Status::Met
            } else {
                Status::Failed
            };
            (status, format!("{} men under arms", thousands(m)))
        }
    };
    Judged {
        side: o.side,
        text: o.text.clone(),
        weight: o.weight,
        status,
        outcome,
        reveals: matches!(o.goal, Goal::InflictLosses { .. }).then(|| o.side.enemy()),
    }
}

/// The first time each place came into `side`'s hands (at the start, or by capture).
fn first_taken(world: &World, side: Side, place: &str) -> Option<String> {
    let map = world.resource::<Map>();
    let p = map.place_named(place)?;
    if p.initial_owner == Some(side) {
        return Some(iso_local(world.resource::<Calendar>().start));
    }
    world
        .resource::<EventLog>()
        .events
        .iter()
        .find_map(|e| match &e.event {
            GameEvent::PlaceCaptured { place, to, .. } if *place == p.id && *to == side => {
                Some(e.time.clone())
            }
            _ => None,
        })
}

/// Who held a place at a local time: its first owner, then every capture up to then.
fn owner_at(world: &World, place: &str, at: &str) -> Option<Side> {
    let map = world.resource::<Map>();
    let p = map.place_named(place)?;
    let mut owner = p.initial_owner;
    for e in &world.resource::<EventLog>().events {
        if e.time.as_str() > at {
            break;
        }
        if let GameEvent::PlaceCaptured { place, to, .. } = &e.event
            && *place == p.id
        {
            owner = Some(*to);
        }
    }
    owner
}

fn capture(world: &World, side: Side, places: &[String], by: &str) -> (Status, String) {
    let Some(deadline) = deadline(by) else {
        return (Status::Open, format!("no such time: {by}"));
    };
    let passed = reached(world) >= deadline || finished(world);
    let mut all_in_time = true;
    let mut lines = Vec::new();
    for p in places {
        match first_taken(world, side, p) {
            Some(w) if w <= deadline => lines.push(format!("{p} taken {}", short_date(&w))),
            Some(w) => {
                all_in_time = false;
                lines.push(format!("{p} taken late, {}", short_date(&w)))
            }
            None => {
                all_in_time = false;
                lines.push(format!("{p} not taken"))
            }
        }
    }
    let status = if all_in_time {
        Status::Met
    } else if passed {
        Status::Failed
    } else {
        Status::Open
    };
    (status, lines.join("; "))
}

fn hold(world: &World, side: Side, places: &[String], until: &str) -> (Status, String) {
    let Some(deadline) = deadline(until) else {
        return (Status::Open, format!("no such time: {until}"));
    };
    let now = reached(world);
    let at = if now < deadline {
        now.clone()
    } else {
        deadline.clone()
    };
    let lost: Vec<&String> = places
        .iter()
        .filter(|p| owner_at(world, p, &at) != Some(side))
        .collect();
    let status = if !lost.is_empty() && (now >= deadline || finished(world)) {
        Status::Failed
    } else if lost.is_empty() && (now >= deadline) {
        Status::Met
    } else if finished(world) {
        // The game ended before the deadline with every place still held.
        Status::Met
    } else {
        Status::Open
    };
    let outcome = if lost.is_empty() {
        format!("held: {}", list(places.iter()))
    } else {
        format!("lost: {}", list(lost.into_iter()))
    };
    (status, outcome)
}

/// A formation's fuel on hand, in refills, at the end of the last turn ending by a local
/// time; None before its first turn ends or for a time that does not parse.
pub fn refills_at(world: &World, formation: &str, at: &str) -> Option<f64> {
    let t = parse_local(at)?;
    world
        .resource::<Timeline>()
        .rows
        .iter()
        .filter(|r| r.formation == formation)
        .filter_map(|r| parse_local(&r.time).map(|rt| (rt, r.refills)))
        .filter(|(rt, _)| *rt <= t)
        .max_by_key(|(rt, _)| *rt)
        .map(|(_, r)| r)
}

fn keep_fuel(world: &World, formation: &str, refills: f64, on: &str) -> (Status, String) {
    let Some(t) = parse_local(on) else {
        return (Status::Open, format!("no such time: {on}"));
    };
    if reached(world) < iso_local(t) && !finished(world) {
        return (Status::Open, format!("{formation}: that day has not come"));
    }
    match refills_at(world, formation, on) {
        Some(r) => (
            if r >= refills {
                Status::Met
            } else {
                Status::Failed
            },
            format!("{formation} had {r:.2} of a refill"),
        ),
        None => (Status::Failed, "the game did not reach that date".into()),
    }
}

fn airlift(world: &World, side: Side, tons: f64, by: &str) -> (Status, String) {
    let Some(deadline) = deadline(by) else {
        return (Status::Open, format!("no such time: {by}"));
    };
    let sides = sides(world);
    let flown: f64 = world
        .resource::<EventLog>()
        .events
        .iter()
        .filter(|e| e.time <= deadline)
        .filter_map(|e| match &e.event {
            GameEvent::AirliftDelivered {
                tons,
                cargo: Cargo::Fuel,
                unit,
                ..
            } if sides.get(unit) == Some(&side) => Some(*tons),
            _ => None,
        })
        .sum();
    let status = if flown >= tons {
        Status::Met
    } else if reached(world) >= deadline || finished(world) {
        Status::Failed
    } else {
        Status::Open
    };
    (status, format!("{flown:.0} t of fuel flown in"))
}

/// Men of a side killed in battle so far.
pub fn killed_of(world: &World, side: Side) -> u64 {
    let sides = sides(world);
    world
        .resource::<EventLog>()
        .events
        .iter()
        .filter_map(|e| match &e.event {
            GameEvent::Battle {
                attackers,
                attacker_losses,
                defender_losses,
                ..
            } => {
                let attacking = attackers.first().and_then(|a| sides.get(a)) == Some(&side);
                Some(if attacking {
                    attacker_losses.killed as u64
                } else {
                    defender_losses.killed as u64
                })
            }
            _ => None,
        })
        .sum()
}

/// Men of a side still under arms: every unit's men (the killed and the surrendered are gone
/// from them).
fn under_arms(world: &World, side: Side) -> u64 {
    world
        .iter_entities()
        .filter(|e| e.get::<Allegiance>().map(|a| a.side) == Some(side))
        .filter_map(|e| e.get::<Strength>().map(|s| s.men as u64))
        .sum()
}

/// Every unit's side, looked up once per judgement rather than once per event.
fn sides(world: &World) -> std::collections::BTreeMap<UnitId, Side> {
    world
        .iter_entities()
        .filter_map(|e| Some((*e.get::<UnitId>()?, e.get::<Allegiance>()?.side)))
        .collect()
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    names.map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// The standing as one side knows it: its own objectives only, and where an outcome would
/// tell the enemy's exact losses, the verdict without the figure.
pub fn view_for(v: &mut Victory, side: Side) {
    v.sides.retain(|s| s.side == side);
    for s in &mut v.sides {
        for j in &mut s.objectives {
            if j.reveals.is_some_and(|s| s != side) {
                j.outcome = "the enemy's losses are known only as estimates".into();
            }
        }
    }
}

/// Both sides' standing in words.
pub fn to_text(v: &Victory) -> String {
    let mut s = String::from("\nVictory\n");
    for side in &v.sides {
        s.push_str(&format!(
            "  {}: {} ({} of {} weight met{})\n",
            side.side.name(),
            side.level,
            side.met_weight,
            side.total_weight,
            if side.decided {
                ""
            } else {
                "; not all decided yet"
            }
        ));
        for j in &side.objectives {
            s.push_str(&format!(
                "    [{}] {}\n          {}\n",
                j.status.word(),
                j.text,
                j.outcome
            ));
        }
    }
    s
}
