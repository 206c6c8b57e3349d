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

/// Every file a game of `scenario` with these what-ifs is played from, with its hash.
pub fn input_digests(scenario: &Path, what_ifs: &[String]) -> Result<Vec<InputDigest>, String> {
    let dir = scenario.parent().unwrap_or(Path::new(""));
    // Through the loader's own reader: only ordinary files, no larger than data files may
    // be (a game file from someone else may name any path).
    let text = |p: &Path| -> Result<(Vec<u8>, String), String> {
        let src = read_source(p).map_err(|d| format!("{}: {}", p.display(), d.message))?;
        Ok((src.text.clone().into_bytes(), src.text))
    };
    let read = |p: &Path| text(p).map(|(b, _)| b);
    let mut out = Vec::new();
    let mut push = |role: &str, file: String, bytes: &[u8]| {
        out.push(InputDigest {
            role: role.into(),
            file,
            blake3: blake3_hex(bytes),
        })
    };
    let (bytes, s) = text(scenario)?;
    let file: ScenarioFile = parse(scenario, s)?;
    let name = scenario.file_name().map_or_else(
        || scenario.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    push("scenario", name, &bytes);
    let map_path = dir.join(&file.map);
    let (bytes, s) = text(&map_path)?;
    push("map", file.map.clone(), &bytes);
    let map: MapFile = parse(&map_path, s)?;
    let map_dir = map_path.parent().unwrap_or(Path::new(""));
    for layer in &map.layers {
        let p = map_dir.join(layer);
        let shown = relative_to(dir, &p);
        push("map layer", shown, &read(&p)?);
    }
    push("rules", file.rules.clone(), &read(&dir.join(&file.rules))?);
    push(
        "logistics",
        file.logistics.clone(),
        &read(&dir.join(&file.logistics))?,
    );
    if let Some(plan) = &file.plan {
        push("plan", plan.clone(), &read(&dir.join(plan))?);
    }
    for w in what_ifs {
        let p = what_if_path(scenario, w);
        push("what-if", relative_to(dir, &p), &read(&p)?);
    }
    Ok(out)
}

fn parse<T: serde::de::DeserializeOwned>(p: &Path, text: String) -> Result<T, String> {
    parse_ron(&SourceText::new(p, text)).map_err(|d| format!("{}: {}", p.display(), d.message))
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
