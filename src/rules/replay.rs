//! Replays: a game rebuilt from its scenario, seed, what-ifs and order log, and compared with
//! a saved state, so that a save edited by hand is caught with the first place it departs
//! from what its own orders give.

use serde_json::Value;

use super::Game;
use crate::model::*;
use crate::rules::save::world_state;
use crate::scenario::save::SaveFile;

/// Where a saved game departs from its replay.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// The phase, where one can be named (`turn 5, Japanese`), else the end of the replay.
    pub phase: String,
    /// What differs, as a path into the save (`units[12] "5th Guards Tank Corps".stocks.fuel_t`).
    pub field: String,
    pub saved: String,
    pub replayed: String,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} is {} in the save but {} when its orders are played again",
            self.phase, self.field, self.saved, self.replayed
        )
    }
}

/// Plays `fresh` (a new game of the save's scenario, seed and what-ifs) through the save's
/// order log and compares the result with the save. Rejected orders leave no trace in the
/// order log, only in the event log, so those events are set aside in the comparison.
pub fn replay_against(fresh: Game, saved: &SaveFile) -> Result<Game, Divergence> {
    replay_observed(fresh, saved, &mut |_| {})
}

/// [`replay_against`], showing the game to `at_boundary` before the first order and after
/// every end of a phase: the replay viewer keeps what it needs of each phase from there,
/// so that a save is played through once, not once for checking and once for viewing.
pub fn replay_observed(
    mut fresh: Game,
    saved: &SaveFile,
    at_boundary: &mut dyn FnMut(&mut Game),
) -> Result<Game, Divergence> {
    at_boundary(&mut fresh);
    for (i, entry) in saved.orders.entries.iter().enumerate() {
        let cal = fresh.calendar().clone();
        if cal.finished || cal.turn != entry.turn || cal.active != entry.side {
            return Err(Divergence {
                phase: format!("turn {}, {}", entry.turn, entry.side.name()),
                field: format!("orders[{i}]"),
                saved: format!(
                    "an order of the {} side at turn {}",
                    entry.side.name(),
                    entry.turn
                ),
                replayed: if cal.finished {
                    "the campaign already over".into()
                } else {
                    format!(
                        "the {} side to move at turn {}",
                        cal.active.name(),
                        cal.turn
                    )
                },
            });
        }
        if let Err(reason) = fresh.submit(entry.order.clone()) {
            return Err(Divergence {
                phase: format!("turn {}, {}", entry.turn, entry.side.name()),
                field: format!("orders[{i}]"),
                saved: "an order the game took".into(),
                replayed: format!("refused: {reason}"),
            });
        }
        if entry.order == Order::EndTurn {
            at_boundary(&mut fresh);
        }
    }
    let replayed = world_state(fresh.world_mut());
    compare(saved, &replayed)?;
    Ok(fresh)
}

fn without_refusals(events: &EventLog) -> Vec<&LoggedEvent> {
    events
        .events
        .iter()
        .filter(|e| !matches!(e.event, GameEvent::OrderRejected { .. }))
        .collect()
}

/// The first difference between a save and its replay.
pub fn compare(saved: &SaveFile, replayed: &SaveFile) -> Result<(), Divergence> {
    // The event log first: its first difference names the phase where the games parted.
    let (a, b) = (
        without_refusals(&saved.events),
        without_refusals(&replayed.events),
    );
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            return Err(Divergence {
                phase: format!(
                    "turn {}, {}",
                    x.turn,
                    crate::model::time::display_iso(&x.time)
                ),
                field: "the event log".into(),
                saved: format!("{:?}", x.event),
                replayed: format!("{:?}", y.event),
            });
        }
    }
    if a.len() != b.len() {
        let (phase, saved, replayed) = if a.len() > b.len() {
            let x = a[b.len()];
            (x.turn, format!("{:?}", x.event), "nothing more".to_string())
        } else {
            let y = b[a.len()];
            (y.turn, "nothing more".to_string(), format!("{:?}", y.event))
        };
        return Err(Divergence {
            phase: format!("turn {phase}"),
            field: "the event log".into(),
            saved,
            replayed,
        });
    }
    let end = format!(
        "turn {}, {}",
        saved.calendar.turn,
        saved.calendar.active.name()
    );
    let (mut s, mut r) = match (serde_json::to_value(saved), serde_json::to_value(replayed)) {
        (Ok(s), Ok(r)) => (s, r),
        // Not every save field has a JSON form: compare the RON texts line by line instead.
        _ => return compare_text(saved, replayed, end),
    };
    for v in [&mut s, &mut r] {
        if let Value::Object(m) = v {
            // What says where the game came from, not what state it is in.
            m.remove("checksum");
            m.remove("inputs");
            m.remove("events");
            if let Some(Value::Object(setup)) = m.get_mut("setup") {
                setup.remove("scenario");
            }
        }
    }
    let names: Vec<String> = saved.units.iter().map(|u| u.name.clone()).collect();
    match first_difference(&s, &r, String::new(), &names) {
        None => Ok(()),
        Some((field, a, b)) => Err(Divergence {
            phase: end,
            field,
            saved: a,
            replayed: b,
        }),
    }
}

fn first_difference(
    a: &Value,
    b: &Value,
    path: String,
    unit_names: &[String],
) -> Option<(String, String, String)> {
    if a == b {
        return None;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, p, unit_names) {
                            return Some(d);
                        }
                    }
                    None => return Some((p, short(va), "absent".into())),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| (format!("{path}.{k}"), "absent".into(), short(&y[k])))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                let p = if path == "units" {
                    format!(
                        "units[{i}] \"{}\"",
                        unit_names.get(i).map_or("?", String::as_str)
                    )
                } else {
                    format!("{path}[{i}]")
                };
                if let Some(d) = first_difference(va, vb, p, unit_names) {
                    return Some(d);
                }
            }
            Some((
                format!("{path} (length)"),
                x.len().to_string(),
                y.len().to_string(),
            ))
        }
        _ => Some((path, short(a), short(b))),
    }
}

/// A value short enough for a message.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

fn compare_text(saved: &SaveFile, replayed: &SaveFile, phase: String) -> Result<(), Divergence> {
    let text = |f: &SaveFile| {
        let mut f = f.clone();
        f.checksum.clear();
        f.inputs.clear();
        f.setup.scenario.clear();
        f.events = EventLog::default();
        ron::ser::to_string_pretty(&f, ron::ser::PrettyConfig::default()).unwrap_or_default()
    };
    let (a, b) = (text(saved), text(replayed));
    match a.lines().zip(b.lines()).find(|(x, y)| x != y) {
        None if a == b => Ok(()),
        None => Err(Divergence {
            phase,
            field: "the save's length".into(),
            saved: a.lines().count().to_string(),
            replayed: b.lines().count().to_string(),
        }),
        Some((x, y)) => Err(Divergence {
            phase,
            field: "a line of the save".into(),
            saved: x.trim().to_string(),
            replayed: y.trim().to_string(),
        }),
    }
}
