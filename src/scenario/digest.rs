//! Fingerprints (BLAKE3) of the files a game is played from: the scenario, its map and map
//! layers, rules, logistics, plan and what-ifs. A save and a game by e-mail carry them, so
//! that a file changed since is named rather than silently giving another game.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::diag::{SourceText, parse_ron};
use super::load::read_source;
use super::schema::{MapFile, ScenarioFile};
use super::whatif::what_if_path;

/// One file a game depends on, by what it is, where it is (as the scenario names it) and the
/// BLAKE3 hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputDigest {
    /// `scenario`, `map`, `map layer`, `rules`, `logistics`, `plan` or `what-if`.
    pub role: String,
    /// The file, relative to the scenario's folder (the scenario itself by its file name).
    pub file: String,
    pub blake3: String,
}

/// The BLAKE3 hash of some bytes, as 64 hexadecimal digits.
pub fn blake3_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// What a data file is to the scenario that uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Scenario,
    Map,
    MapLayer,
    Rules,
    Logistics,
    Plan,
    /// The file of the named what-if.
    WhatIf(String),
}

impl Role {
    /// The role as a save and a game by e-mail record it: `scenario`, `map`, `map layer`,
    /// `rules`, `logistics`, `plan` or `what-if`.
    pub fn tag(&self) -> &'static str {
        match self {
            Role::Scenario => "scenario",
            Role::Map => "map",
            Role::MapLayer => "map layer",
            Role::Rules => "rules",
            Role::Logistics => "logistics",
            Role::Plan => "plan",
            Role::WhatIf(_) => "what-if",
        }
    }

    /// The role in a sentence: "the scenario's rules file".
    pub fn describe(&self) -> String {
        match self {
            Role::Scenario => "the scenario".into(),
            Role::Map => "the scenario's map file".into(),
            Role::MapLayer => "a layer of the scenario's map".into(),
            Role::Rules => "the scenario's rules file".into(),
            Role::Logistics => "the scenario's logistics file".into(),
            Role::Plan => "the scenario's plan file".into(),
            Role::WhatIf(w) => format!("the file of the what-if {w}"),
        }
    }
}

/// One file a game of a scenario is played from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub role: Role,
    pub path: PathBuf,
    /// The file as the scenario names it: relative to the scenario's folder, the scenario
    /// itself by its file name.
    pub shown: String,
}

/// The files a game of `scenario` with these what-ifs is played from, as far as they can be
/// found: the scenario, its map and map layers, rules, logistics, plan and the what-ifs'
/// files, in that order. The scenario and the map are read to find the files they name;
/// the first of them that cannot be read or parsed is the problem given beside the list
/// (what it names is then missing from the list, the what-ifs never are).
pub fn scenario_files(scenario: &Path, what_ifs: &[String]) -> (Vec<DataFile>, Option<String>) {
    let dir = scenario.parent().unwrap_or(Path::new(""));
    let mut files = Vec::new();
    let mut problem = None;
    let mut add =
        |role: Role, path: PathBuf, shown: String| files.push(DataFile { role, path, shown });
    let name = scenario.file_name().map_or_else(
        || scenario.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    add(Role::Scenario, scenario.to_path_buf(), name);
    match read_parsed::<ScenarioFile>(scenario) {
        Err(e) => problem = Some(e),
        Ok(file) => {
            let map_path = dir.join(&file.map);
            add(Role::Map, map_path.clone(), file.map.clone());
            match read_parsed::<MapFile>(&map_path) {
                Err(e) => problem = Some(e),
                Ok(map) => {
                    let map_dir = map_path.parent().unwrap_or(Path::new(""));
                    for layer in &map.layers {
                        let p = map_dir.join(layer);
                        add(Role::MapLayer, p.clone(), relative_to(dir, &p));
                    }
                }
            }
            add(Role::Rules, dir.join(&file.rules), file.rules.clone());
            add(
                Role::Logistics,
                dir.join(&file.logistics),
                file.logistics.clone(),
            );
            if let Some(plan) = &file.plan {
                add(Role::Plan, dir.join(plan), plan.clone());
            }
        }
    }
    for w in what_ifs {
        let p = what_if_path(scenario, w);
        add(Role::WhatIf(w.clone()), p.clone(), relative_to(dir, &p));
    }
    (files, problem)
}

/// Every file a game of `scenario` with these what-ifs is played from, with its hash.
pub fn input_digests(scenario: &Path, what_ifs: &[String]) -> Result<Vec<InputDigest>, String> {
    let (files, problem) = scenario_files(scenario, what_ifs);
    if let Some(p) = problem {
        return Err(p);
    }
    files
        .into_iter()
        .map(|f| {
            Ok(InputDigest {
                role: f.role.tag().into(),
                blake3: blake3_hex(read(&f.path)?.text.as_bytes()),
                file: f.shown,
            })
        })
        .collect()
}

/// A data file through the loader's own reader: only ordinary files, no larger than data
/// files may be (a game file from someone else may name any path).
fn read(p: &Path) -> Result<SourceText, String> {
    read_source(p).map_err(|d| format!("{}: {}", p.display(), d.message))
}

fn read_parsed<T: serde::de::DeserializeOwned>(p: &Path) -> Result<T, String> {
    let src = read(p)?;
    parse_ron(&src).map_err(|d| format!("{}: {}", p.display(), d.message))
}

/// `p` as seen from `dir` where it lies inside it, else as it is.
fn relative_to(dir: &Path, p: &Path) -> String {
    let shown: PathBuf = p
        .strip_prefix(dir)
        .map_or_else(|_| p.to_path_buf(), Path::to_path_buf);
    shown.to_string_lossy().replace('\\', "/")
}

/// The first file whose hash differs between what a game was started from and what is on
/// disk now, in words; `None` when every file is as it was.
pub fn changed_input(saved: &[InputDigest], now: &[InputDigest]) -> Option<String> {
    for s in saved {
        match now.iter().find(|n| n.role == s.role && n.file == s.file) {
            Some(n) if n.blake3 == s.blake3 => {}
            Some(_) => {
                return Some(format!(
                    "the {} file {} has changed since this game was started",
                    s.role, s.file
                ));
            }
            None => {
                return Some(format!(
                    "the game was started with the {} file {}, which the scenario no longer uses",
                    s.role, s.file
                ));
            }
        }
    }
    now.iter()
        .find(|n| !saved.iter().any(|s| s.role == n.role && s.file == n.file))
        .map(|n| {
            format!(
                "the scenario now also uses the {} file {}, which the game was not started with",
                n.role, n.file
            )
        })
}
