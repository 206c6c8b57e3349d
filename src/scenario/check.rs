//! Checking one data file of any kind: what kind it is (from the type name it opens with,
//! or its folder), and the checks a run would make of it, against the scenarios beside it
//! where it belongs to one.

use std::path::{Path, PathBuf};

use super::diag::{Diagnostic, SourceText, parse_ron};
use super::load::{
    PlanNames, Scenario, check_plan, load_map, load_rules, load_scenario, read_source,
};
use super::ranges::check_ranges;
use super::schema::{LogisticsFile, MapLayer, PlanFile, ScenarioFile};

/// What kind of data file a path holds, from the type name it opens with, or its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Scenario,
    Map,
    MapLayer,
    Rules,
    WhatIf,
    Logistics,
    Plan,
    /// Documented facts a batch is checked against (`scenarios/calibration.ron`).
    Calibration,
    /// Orders for `simulate --orders` (`scenarios/orders/`).
    Orders,
    /// A saved game.
    Save,
    /// A sensitivity sweep.
    Sweep,
    /// Teachers' notes on a saved game (`NAME.notes.ron` beside `NAME.ron`).
    Notes,
}

pub fn file_kind(path: &Path, text: &str) -> FileKind {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .unwrap_or("");
    let named = [
        ("MapFile", FileKind::Map),
        ("MapLayer", FileKind::MapLayer),
        ("RulesFile", FileKind::Rules),
        ("WhatIf", FileKind::WhatIf),
        ("LogisticsFile", FileKind::Logistics),
        ("PlanFile", FileKind::Plan),
        ("CalibrationFile", FileKind::Calibration),
        ("OrdersFile", FileKind::Orders),
        ("SaveFile", FileKind::Save),
        ("SweepFile", FileKind::Sweep),
        ("ScenarioFile", FileKind::Scenario),
        ("NotesFile", FileKind::Notes),
    ];
    if let Some((_, k)) = named.iter().find(|(n, _)| first.starts_with(n)) {
        return *k;
    }
    if super::notes::is_notes_path(path) {
        return FileKind::Notes;
    }
    // The game writes saves without the type name; they open with their format version.
    let head: String = text.chars().take(400).collect();
    let in_folder = |name: &str| path.components().any(|c| c.as_os_str() == name);
    if first.starts_with('(') && head.contains("format_version") {
        FileKind::Save
    } else if first.starts_with('(') && head.contains("orders") && !head.contains("formations") {
        FileKind::Orders
    } else if in_folder("maps") {
        FileKind::Map
    } else if in_folder("what_ifs") {
        FileKind::WhatIf
    } else if in_folder("orders") {
        FileKind::Orders
    } else if in_folder("sweeps") {
        FileKind::Sweep
    } else if path.file_stem().is_some_and(|s| s == "rules") {
        FileKind::Rules
    } else {
        FileKind::Scenario
    }
}

/// The scenarios a data file beside them may belong to: the scenario files in its folder,
/// or, for a file in a subfolder (`what_ifs/`, `orders/`), in the folder above.
fn scenarios_near(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
            .filter(|p| {
                read_source(p).is_ok_and(|s| {
                    s.text.contains("ScenarioFile") && file_kind(p, &s.text) == FileKind::Scenario
                })
            })
            .collect();
        v.sort();
        v
    };
    let here = list(dir);
    if here.is_empty() {
        dir.parent().map(list).unwrap_or_default()
    } else {
        here
    }
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The scenarios near `path` that load, with their files.
fn loaded_near(path: &Path) -> Vec<Scenario> {
    scenarios_near(path)
        .iter()
        .filter(|p| !same_file(p, path))
        .filter_map(|p| load_scenario(p).ok())
        .collect()
}

/// Checks a file against each scenario that may use it; it passes when one takes it
/// without an error, else the problems with the scenario that found fewest are reported.
fn against_any(
    own: Vec<Diagnostic>,
    scenarios: &[Scenario],
    check: impl Fn(&Scenario) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if own.iter().any(Diagnostic::is_error) || scenarios.is_empty() {
        return own;
    }
    let mut best: Option<Vec<Diagnostic>> = None;
    for s in scenarios {
        let d = check(s);
        let errors = d.iter().filter(|x| x.is_error()).count();
        if errors == 0 {
            return own.into_iter().chain(d).collect();
        }
        if best
            .as_ref()
            .is_none_or(|b| errors < b.iter().filter(|x| x.is_error()).count())
        {
            let name = s.path.display().to_string();
            best = Some(
                d.into_iter()
                    .map(|mut x| {
                        if x.hint.is_none() {
                            x.hint = Some(format!("checked against the scenario {name}"));
                        }
                        x
                    })
                    .collect(),
            );
        }
    }
    own.into_iter().chain(best.unwrap_or_default()).collect()
}

/// Checks one data file of any kind; returns every problem (warnings included). A file
/// that belongs to a scenario (logistics, plan, what-if, orders, calibration) is checked
/// against the scenarios beside it as well, with the checks a run makes. A saved game is
/// checked by `check_save`: loading one means playing it again, which is the rules' work
/// (`rules::check_file` passes their loader).
pub fn check_file_with(
    path: &Path,
    check_save: &dyn Fn(&Path) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let src = match read_source(path) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    match file_kind(path, &src.text) {
        FileKind::Map => load_map(path).map_or_else(|d| d, |(_, w)| w),
        FileKind::MapLayer => match parse_ron::<MapLayer>(&src) {
            Ok(l) => {
                let mut d = Vec::new();
                super::map_build::check_layer(&mut d, &src, None, &l);
                d
            }
            Err(d) => vec![d],
        },
        FileKind::Rules => load_rules(path).err().unwrap_or_default(),
        FileKind::Logistics => check_logistics_file(path, &src),
        FileKind::Plan => check_plan_file(path, &src),
        FileKind::Calibration => {
            let own = super::calibration::load_calibration_for(path, None, false)
                .err()
                .unwrap_or_default();
            against_any(own, &loaded_near(path), |s| {
                super::calibration::load_calibration_for(path, Some(s), true)
                    .err()
                    .unwrap_or_default()
            })
        }
        FileKind::WhatIf => match super::whatif::load_what_if_file(path) {
            Err(d) => d,
            Ok(w) => against_any(Vec::new(), &loaded_near(path), |s| {
                super::whatif::check_against(&w, s)
            }),
        },
        FileKind::Orders => match super::orders::read_orders(path) {
            Err(d) => d,
            Ok((f, osrc)) => against_any(Vec::new(), &loaded_near(path), |s| {
                super::orders::check_orders(
                    &osrc,
                    &f,
                    &super::orders::OrdersContext::of_scenario(s),
                )
            }),
        },
        FileKind::Save => check_save(path),
        FileKind::Sweep => super::sweep::load_sweep(path).err().unwrap_or_default(),
        FileKind::Notes => {
            // Checked against the save beside it where there is one: a note pinned past the
            // last turn it reached would never show.
            let turns = super::notes::save_of(path)
                .and_then(|s| read_source(&s).ok())
                .and_then(|s| parse_ron::<super::save::SaveFile>(&s).ok())
                .map(|s| s.calendar.turn);
            match parse_ron::<super::notes::NotesFile>(&src) {
                Ok(f) => super::notes::check_notes(&src, &f, turns),
                Err(d) => vec![d],
            }
        }
        FileKind::Scenario => load_scenario(path).map_or_else(|d| d, |s| s.warnings),
    }
}

/// A logistics file: its figures, then its cross-references (formations, places) as each
/// scenario that uses it loads; only the problems in this file are kept.
fn check_logistics_file(path: &Path, src: &SourceText) -> Vec<Diagnostic> {
    let l = match parse_ron::<LogisticsFile>(src) {
        Ok(l) => l,
        Err(d) => return vec![d],
    };
    let only_this = |d: Vec<Diagnostic>| -> Vec<Diagnostic> {
        d.into_iter().filter(|x| same_file(&x.file, path)).collect()
    };
    let mut d = check_ranges(src, &l);
    if d.is_empty() {
        // The cross-references (formations, places) as the scenarios using it load.
        for s in scenarios_near(path) {
            let uses = read_source(&s)
                .ok()
                .and_then(|x| parse_ron::<ScenarioFile>(&x).ok())
                .is_some_and(|f| {
                    same_file(
                        &s.parent().unwrap_or(Path::new(".")).join(&f.logistics),
                        path,
                    )
                });
            if uses && let Err(e) = load_scenario(&s) {
                d.extend(only_this(e));
            }
        }
    }
    d
}

/// A plan: against the names of the scenarios that use it and the map of the first, or
/// its figures alone where no scenario beside it does.
fn check_plan_file(path: &Path, src: &SourceText) -> Vec<Diagnostic> {
    let f = match parse_ron::<PlanFile>(src) {
        Ok(f) => f,
        Err(d) => return vec![d],
    };
    let mut names = PlanNames::default();
    let mut map = None;
    for s in scenarios_near(path) {
        let Some(file) = read_source(&s)
            .ok()
            .and_then(|x| parse_ron::<ScenarioFile>(&x).ok())
        else {
            continue;
        };
        let dir = s.parent().unwrap_or(Path::new("."));
        if file
            .plan
            .as_ref()
            .is_some_and(|p| same_file(&dir.join(p), path))
        {
            names.add(&file);
            if map.is_none() {
                map = load_map(&dir.join(&file.map)).ok().map(|(m, _)| m);
            }
        }
    }
    match &map {
        Some(m) => check_plan(src, &f, m, Some(&names)),
        None => check_ranges(src, &f),
    }
}
