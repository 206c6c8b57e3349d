//! Checking the briefing's objectives and the victory conditions: every place on the map,
//! every formation in the order of battle, every time a time, weights and shares in range.

use crate::model::map::Map;
use crate::model::time::parse_local;
use crate::scenario::diag::{Diagnostic, Severity, SourceText};
use crate::scenario::schema::{Goal, ScenarioFile};

/// The objectives of the briefing and the victory conditions: every place on the map, every
/// formation in the order of battle, every time a time, weights and shares in range.
pub(super) fn check_objectives(
    src: &SourceText,
    file: &ScenarioFile,
    map: &Map,
) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut err = |needle: &str, msg: String, hint: Option<&str>| {
        let mut x = src.at_offset(Severity::Error, src.text.find(needle), msg);
        x.hint = hint.map(str::to_string);
        d.push(x);
    };
    let objectives = file
        .briefing
        .iter()
        .flat_map(|b| &b.objectives)
        .chain(file.victory.iter().flat_map(|v| &v.objectives));
    for o in objectives {
        let text = format!("{:?}", o.text);
        let mut time = |t: &str| {
            if parse_local(t).is_none() {
                err(
                    &format!("\"{t}\""),
                    format!("the objective {text} has a time \"{t}\" that is not a date and time"),
                    Some("write local time as \"1945-08-13T00:00\""),
                );
            }
        };
        let places: &[String] = match &o.goal {
            Goal::Capture { places, by } => {
                time(by);
                places
            }
            Goal::Hold { places, until } => {
                time(until);
                places
            }
            Goal::KeepFuel { on, .. } => {
                time(on);
                &[]
            }
            Goal::Airlift { by, .. } => {
                time(by);
                &[]
            }
            _ => &[],
        };
        for p in places {
            if map.place_named(p).is_none() {
                err(
                    &format!("\"{p}\""),
                    format!("the objective {text} names a place \"{p}\" that is not on the map"),
                    None,
                );
            }
        }
        match &o.goal {
            Goal::Capture { places, .. } | Goal::Hold { places, .. } if places.is_empty() => {
                err(&text, format!("the objective {text} names no place"), None)
            }
            Goal::KeepFuel { formation, .. }
                if !file.formations.iter().any(|f| &f.name == formation) =>
            {
                err(
                    &format!("\"{formation}\""),
                    format!(
                        "the objective {text} names a formation \"{formation}\" that is not in the order of battle"
                    ),
                    None,
                );
            }
            _ => {}
        }
    }
    if let Some(v) = &file.victory {
        let mut last = f64::INFINITY;
        for l in &v.levels {
            let name = format!("{:?}", l.name);
            // The share's range is checked with every other figure's (ranges.rs).
            if l.share > last {
                err(
                    &name,
                    format!("the victory level {name} is out of order"),
                    Some("list the levels from the highest share to the lowest"),
                );
            }
            last = l.share;
        }
        if v.levels.is_empty() {
            err(
                "victory",
                "the victory conditions list no levels".into(),
                None,
            );
        }
    }
    d
}
