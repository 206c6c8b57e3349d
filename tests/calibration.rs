//! The historical scenario against its documented facts, on twenty seeds, cheap enough
//! for every `cargo test` (the README's table is the 50-seed batch); and prisoners counted
//! only where Soviet troops came to take them.

use crate::common;

use august_storm::cli::batch::{BatchArgs, run_batch};
use august_storm::cli::simulate::play;
use august_storm::model::*;
use august_storm::report::batch::Summary;
use august_storm::report::campaign_report;
use common::*;

/// Twenty seeds: the Japanese killed and the tank army's fuel on 13 August lie near the
/// edges of their documented ranges, and with the weather drawn per game, five or ten seeds'
/// median strays across an edge that fifty seeds' does not.
#[test]
fn twenty_seeds_of_the_historical_scenario_meet_every_documented_fact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    run_batch(&BatchArgs {
        scenario: historical(),
        runs: 20,
        seed_start: 1,
        what_ifs: vec![],
        shard: None,
        out: out.clone(),
        calibration: None,
        places: None,
        progress: false,
        force: false,
    })
    .expect("the batch runs");
    let summary: Summary =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let facts =
        august_storm::report::batch::load_calibration(&root().join("scenarios/calibration.ron"))
            .expect("the calibration file loads");
    assert_eq!(summary.calibration.len(), facts.len());
    let missed: Vec<String> = summary
        .calibration
        .iter()
        .filter(|r| !r.within_tolerance)
        .map(|r| {
            format!(
                "{}: history {}, simulated median {}",
                r.event, r.historical, r.simulated_median
            )
        })
        .collect();
    assert!(
        missed.is_empty(),
        "outside tolerance:\n{}",
        missed.join("\n")
    );
}

/// The summary of a batch of the historical scenario's seeds 1 and 2 in `out`, checked
/// against `calibration` (the scenario's own file when None).
fn two_runs(out: &std::path::Path, calibration: Option<std::path::PathBuf>) -> Summary {
    run_batch(&BatchArgs {
        scenario: historical(),
        runs: 2,
        seed_start: 1,
        what_ifs: vec![],
        shard: None,
        out: out.to_path_buf(),
        calibration,
        places: None,
        progress: false,
        force: false,
    })
    .expect("the batch runs");
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// A capture's floor counts: the same runs meet a fact whose earliest date lies before their
/// median capture, and miss it when the floor lies after.
#[test]
fn a_capture_before_the_facts_earliest_date_misses_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = two_runs(&dir.path().join("plain"), None);
    let place = "Mukden";
    let median = first.places[place]
        .median
        .clone()
        .expect("both runs take Mukden");
    let taken = august_storm::model::time::parse_local(&median[..16]).expect("a local time");
    let local = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    for (floor, holds) in [
        (taken - chrono::Duration::hours(12), true),
        (taken + chrono::Duration::hours(1), false),
    ] {
        let file = dir.path().join("facts.ron");
        std::fs::write(
            &file,
            format!(
                r#"CalibrationFile(facts: [(event: "taken", historical: "test",
    check: Captured(place: "{place}", not_before: Some("{}"), not_after: "1945-09-02T24:00"),
    source: "test")])"#,
                local(floor)
            ),
        )
        .unwrap();
        let out = dir.path().join(format!("b{holds}"));
        let s = two_runs(&out, Some(file));
        assert_eq!(s.calibration.len(), 1);
        assert_eq!(
            s.calibration[0].within_tolerance,
            holds,
            "{place} taken {median}, floor {}",
            local(floor)
        );
    }
}

/// A region's works "hold" at a time when in at least half the runs they had not fallen by
/// then: held the hour before they fell in both runs, not held the hour after (a works that
/// never falls counts as held).
#[test]
fn works_held_until_a_time_is_judged_by_the_runs_whose_works_still_stood() {
    let dir = tempfile::tempdir().unwrap();
    let first = two_runs(&dir.path().join("plain"), None);
    let place = "Aihui";
    let works = &first.works[place];
    assert_eq!(
        works.captured_fraction, 1.0,
        "both runs take {place}'s works"
    );
    let at = |t: &str| august_storm::model::time::parse_local(&t[..16]).expect("a local time");
    let (p10, p90) = (
        at(works.p10.as_deref().expect("a first fall")),
        at(works.p90.as_deref().expect("a last fall")),
    );
    let local = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    for (until, holds) in [
        (p10 - chrono::Duration::hours(1), true),
        (p90 + chrono::Duration::hours(1), false),
    ] {
        let file = dir.path().join("facts.ron");
        std::fs::write(
            &file,
            format!(
                r#"CalibrationFile(facts: [(event: "holds", historical: "test",
    check: WorksHeld(place: "{place}", until: "{}"),
    source: "test")])"#,
                local(until)
            ),
        )
        .unwrap();
        let s = two_runs(&dir.path().join(format!("b{holds}")), Some(file));
        assert_eq!(
            s.calibration[0].within_tolerance,
            holds,
            "{place}'s works fell between {p10} and {p90}; held until {}?",
            local(until)
        );
    }
}

#[test]
fn with_the_soviet_side_passive_almost_nobody_is_taken_prisoner() {
    let mut g = game_of(&historical(), Some(1));
    play(&mut g, &[], &[Side::Japanese], u32::MAX);
    let j = campaign_report(&mut g).losses.japanese;
    // The cease-fire comes all the same and the Kwantung Army lays down its arms; only the
    // men within reach of the Soviet border posts are taken.
    assert!(
        j.surrendered_unreached > 500_000,
        "{} men surrendered unreached",
        j.surrendered_unreached
    );
    assert!(
        j.prisoners * 20 < j.surrendered_unreached,
        "{} prisoners against {} unreached",
        j.prisoners,
        j.surrendered_unreached
    );
    // The doubtful allies' desertion goes on whoever comes.
    assert!(j.deserted > 0);
    let allies: u64 = j
        .by_nation
        .iter()
        .filter(|n| n.nation != Nation::Japanese)
        .map(|n| n.deserted + n.mutinied)
        .sum();
    assert_eq!(
        allies, j.deserted,
        "only the allies desert: {:?}",
        j.by_nation
    );
}

/// A fact can follow any formation or unit by name: the batch adds its march and fuel to
/// `runs.csv`, the figures are those the debrief rebuilds from the same game's log and
/// timeline, and the fact is judged against them.
#[test]
fn a_fact_following_a_named_formation_or_unit_is_measured_as_the_debrief_measures_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("facts.ron");
    std::fs::write(
        &file,
        r#"CalibrationFile(facts: [
    (event: "brigade", historical: "test",
     check: March(of: "205th Tank Brigade", at: "1945-08-10T00:01", min_km: 0.0, max_km: 1000.0),
     source: "test"),
    (event: "army fuel", historical: "test",
     check: Fuel(of: "5th Army", at: "1945-08-13T24:00", min: 50.0, max: 60.0),
     source: "test"),
    (event: "army march", historical: "test",
     check: March(of: "5th Army", at: "1945-08-13T24:00", min_km: 0.0, max_km: 1000.0),
     source: "test")])"#,
    )
    .unwrap();
    let out = dir.path().join("b");
    run_batch(&BatchArgs {
        scenario: historical(),
        runs: 1,
        seed_start: 3,
        what_ifs: vec![],
        shard: None,
        out: out.clone(),
        calibration: Some(file),
        places: Some("key".into()),
        progress: false,
        force: false,
    })
    .expect("the batch runs");
    let mut csv = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let row = csv.records().next().unwrap().unwrap();
    let column = |name: &str| -> Vec<f64> {
        let k = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("runs.csv has no column {name}"));
        row[k]
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect()
    };
    // Each name once, however many facts name it.
    assert_eq!(
        header.iter().filter(|h| h.ends_with(":5th Army")).count(),
        2
    );
    let mut game = game_of(&historical(), Some(3));
    play(&mut game, &[], &Side::BOTH, u32::MAX);
    for name in ["205th Tank Brigade", "5th Army"] {
        let batch = column(&format!("march_km:{name}"));
        let log = august_storm::report::batch::march_from_log(game.world(), name);
        assert_eq!(batch.len(), log.len(), "{name}");
        assert!(
            batch.iter().zip(&log).all(|(a, b)| (a - b).abs() < 0.06),
            "{name}: {batch:?} against {log:?}"
        );
        assert!(batch.last().unwrap() > &20.0, "{name} marched: {batch:?}");
    }
    let refills: Vec<f64> = campaign_report(&mut game)
        .timeline
        .iter()
        .filter(|r| r.formation == "5th Army")
        .map(|r| r.refills)
        .collect();
    assert_eq!(column("refills:5th Army"), refills);
    // A unit has no timeline of its own, so no fuel.
    assert!(column("refills:205th Tank Brigade").is_empty());
    let summary: Summary =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let judged: Vec<bool> = summary
        .calibration
        .iter()
        .map(|r| r.within_tolerance)
        .collect();
    // The army's fuel is measured in refills, a fraction of the tens a 50-60 band asks.
    assert_eq!(judged, [true, false, true]);
}
