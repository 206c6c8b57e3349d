//! Save and resume, AI against AI: a campaign saved at any turn, loaded and played on gives
//! the same report, byte for byte, as the campaign played straight through.

use crate::common;

use august_storm::cli::simulate::play;
use august_storm::model::*;
use august_storm::report::campaign_report;
use august_storm::rules::Game;
use august_storm::rules::save::{load_game, save_game};
use common::*;

const BOTH: [Side; 2] = [Side::Soviet, Side::Japanese];

fn report_json(g: &mut Game) -> String {
    serde_json::to_string_pretty(&campaign_report(g)).unwrap()
}

/// Plays `scenario` with `seed` straight through, and again saved and resumed at each of
/// `cuts` (turns), and asserts every resumed report equals the straight one.
fn resumes_exactly(scenario: &std::path::Path, seed: u64, cuts: &[u32]) {
    let mut straight = game_of(scenario, Some(seed));
    play(&mut straight, &[], &BOTH, u32::MAX);
    let expected = report_json(&mut straight);
    let dir = tempfile::tempdir().unwrap();
    for &cut in cuts {
        let mut g = game_of(scenario, Some(seed));
        play(&mut g, &[], &BOTH, cut);
        let path = dir.path().join(format!("cut{cut}.ron"));
        save_game(&mut g, &path).unwrap();
        drop(g);
        let mut resumed = load_game(&path).unwrap_or_else(|d| panic!("{d:#?}"));
        play(&mut resumed, &[], &BOTH, u32::MAX);
        let got = report_json(&mut resumed);
        if got != expected {
            let line = expected
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{} seed {seed} resumed at turn {cut} differs from the straight run at report line {}: {:?} against {:?}",
                scenario.display(),
                line + 1,
                got.lines().nth(line),
                expected.lines().nth(line)
            );
        }
    }
}

#[test]
fn the_historical_campaign_resumed_on_15_august_ends_as_played_straight_through() {
    // Seed 7 once drifted here: the timeline summed fuel in the query's order, which a
    // restored world does not keep.
    for seed in [7, 42] {
        resumes_exactly(&historical(), seed, &[13]);
    }
}

#[test]
fn the_historical_campaign_resumed_amid_the_surrender_ends_as_played_straight_through() {
    // On 21 August men who laid down their arms still wait for Soviet troops to take them:
    // the save keeps them.
    let mut g = game_of(&historical(), Some(42));
    play(&mut g, &[], &BOTH, 24);
    assert!(!g.world().resource::<AwaitingCaptors>().is_empty());
    resumes_exactly(&historical(), 42, &[24]);
}

#[test]
fn the_teaching_scenario_resumed_at_either_of_two_turns_ends_as_played_straight_through() {
    let scenario = root().join("scenarios/across_the_khingan.ron");
    for seed in 1..=3 {
        resumes_exactly(&scenario, seed, &[3, 10]);
    }
}

#[test]
fn the_fixture_resumed_at_three_turns_ends_as_played_straight_through_for_a_hundred_seeds() {
    // The fixture's battles at the ridge and the town go differently with each seed; every
    // one of them, cut anywhere, resumes exactly.
    for seed in 1..=100 {
        resumes_exactly(&fixture("tiny.ron"), seed, &[2, 4, 6]);
    }
}

/// A save written when the game kept the first Soviet hold of each place (`first_soviet`,
/// the Soviet side's own places at the start time) still loads, its checksum and replay
/// holding; it then says when each place was first taken from its first holder, so the
/// Soviet side's own places were never taken, and saved again it is of the present kind.
#[test]
fn a_save_of_the_older_kind_loads_with_its_places_taken_as_now_counted() {
    let old = root().join("tests/fuzz_corpus/save/turn4_ai.ron");
    let text = std::fs::read_to_string(&old).unwrap();
    assert!(
        text.contains("first_soviet: [\n   Some(\"1945-08-09T00:01+09:00\")"),
        "not the older kind"
    );
    // Run from the repository root, as the save names its scenario from there.
    let mut game =
        august_storm::rules::save::load_game_text(&old, text).unwrap_or_else(|d| panic!("{d:#?}"));
    let world = game.world();
    let map = world.resource::<Map>();
    let control = world.resource::<Control>();
    assert_eq!(control.first_taken.len(), map.places.len());
    assert!(control.legacy_first_soviet.is_none());
    for p in &map.places {
        if p.initial_owner == Some(Side::Soviet) {
            assert_eq!(control.first_taken[p.id.0 as usize], None, "{}", p.name);
        }
    }
    let report = campaign_report(&mut game);
    assert!(
        report.places.iter().all(|p| p.captured.is_none()),
        "{:?}",
        report.places
    );
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.ron");
    save_game(&mut game, &again).unwrap();
    let written = std::fs::read_to_string(&again).unwrap();
    assert!(written.contains("first_taken: [") && !written.contains("first_soviet"));
}
