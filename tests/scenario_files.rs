//! A scenario's data files are listed by one piece of code, for the hashes a save carries and
//! for the files a command reads; the digest of a command's inputs does not depend on the
//! order they were named in.

use crate::common;

use std::path::Path;

use august_storm::report::outputs::Inputs;
use august_storm::scenario::digest::{Role, input_digests, scenario_files};
use common::root;

fn copy_of_scenarios() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&root().join("scenarios"), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn the_historical_scenario_lists_its_map_layers_rules_logistics_plan_and_what_ifs() {
    let what_if = "no_ceasefire".to_string();
    let (files, problem) = scenario_files(
        &root().join("scenarios/august_storm_1945.ron"),
        std::slice::from_ref(&what_if),
    );
    assert_eq!(problem, None);
    let roles: Vec<&str> = files.iter().map(|f| f.role.tag()).collect();
    assert_eq!(
        roles,
        [
            "scenario",
            "map",
            "map layer",
            "map layer",
            "rules",
            "logistics",
            "plan",
            "what-if"
        ]
    );
    assert_eq!(files[7].role, Role::WhatIf(what_if));
    assert!(files.iter().all(|f| f.path.is_file()), "{files:?}");
}

#[test]
fn a_save_hashes_exactly_the_files_the_list_names_in_its_order() {
    let scenario = root().join("scenarios/august_storm_1945.ron");
    let (files, _) = scenario_files(&scenario, &[]);
    let digests = input_digests(&scenario, &[]).expect("every file reads");
    let listed: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.role.tag(), f.shown.as_str()))
        .collect();
    let hashed: Vec<(&str, &str)> = digests
        .iter()
        .map(|d| (d.role.as_str(), d.file.as_str()))
        .collect();
    assert_eq!(listed, hashed);
}

#[test]
fn a_scenario_that_does_not_parse_still_lists_itself_and_its_what_ifs() {
    let dir = copy_of_scenarios();
    let scenario = dir.path().join("august_storm_1945.ron");
    std::fs::write(&scenario, "ScenarioFile(").unwrap();
    let (files, problem) = scenario_files(&scenario, &["no_ceasefire".to_string()]);
    assert!(problem.is_some());
    let roles: Vec<&str> = files.iter().map(|f| f.role.tag()).collect();
    assert_eq!(roles, ["scenario", "what-if"]);
    assert!(input_digests(&scenario, &[]).is_err());
}

#[test]
fn the_inputs_digest_is_the_same_whatever_the_order_the_files_were_named_in() {
    let dir = copy_of_scenarios();
    let scenario = dir.path().join("august_storm_1945.ron");
    let calibration = dir.path().join("calibration.ron");
    let mut first = Inputs::default();
    first.add(&calibration, "the calibration file");
    first.add_scenario(&scenario, &[]);
    let mut second = Inputs::default();
    second.add_scenario(&scenario, &[]);
    second.add(&calibration, "the calibration file");
    let before = first.digest();
    assert_eq!(before, second.digest());

    // A file edited since is another input.
    let rules = dir.path().join("rules.ron");
    let mut text = std::fs::read_to_string(&rules).unwrap();
    text.push_str("\n// edited\n");
    std::fs::write(&rules, text).unwrap();
    let mut edited = Inputs::default();
    edited.add_scenario(&scenario, &[]);
    edited.add(&calibration, "the calibration file");
    assert_ne!(before, edited.digest());
}
