//! The scenarios a folder holds, as their own files name and describe them: what the title
//! screen offers ([`scenarios_in`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::diag::parse_ron;
use super::load::read_source;
use crate::model::time::parse_local;

/// A scenario file found in a folder: its path and the name and description it gives itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEntry {
    pub path: PathBuf,
    pub name: String,
    pub description: String,
}

/// What is read of a scenario file to list it; the rest of the file is skipped.
#[derive(Deserialize)]
#[serde(rename = "ScenarioFile")]
struct Header {
    name: String,
    description: String,
    start: String,
    end: String,
}

/// Every scenario file directly in `dir` (the other data files beside them, maps, rules,
/// logistics, plans, calibration, are not scenarios and are left out, as is any file that
/// does not read): the longest campaigns first, so that a campaign comes before the smaller
/// scenarios cut from it, then by name.
pub fn scenarios_in(dir: &Path) -> Vec<ScenarioEntry> {
    let mut found: Vec<(i64, ScenarioEntry)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .filter_map(|path| {
            let src = read_source(&path).ok()?;
            if !src.text.contains("ScenarioFile") {
                return None;
            }
            let h: Header = parse_ron(&src).ok()?;
            let hours = match (parse_local(&h.start), parse_local(&h.end)) {
                (Some(a), Some(b)) => (b - a).num_hours(),
                _ => 0,
            };
            Some((
                hours,
                ScenarioEntry {
                    path,
                    name: h.name,
                    description: h.description,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    found.into_iter().map(|(_, e)| e).collect()
}
