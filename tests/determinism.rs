//! Determinism and saves: the same scenario, seed and orders give the same event log; a
//! game saved, loaded and continued ends exactly like one played straight through.

use crate::common;

use august_storm::cli::simulate::{TurnOrder, UnitOrder, play_orders};
use august_storm::model::*;
use august_storm::report::campaign_report;
use august_storm::rules::Game;
use august_storm::rules::save::{load_game, save_game, to_save};
use august_storm::scenario::save::SAVE_FORMAT_VERSION;
use august_storm::scenario::schema::Location;
use common::*;

fn fixture_orders() -> Vec<TurnOrder> {
    let o = |turn, unit: &str, order| TurnOrder {
        turn,
        unit: unit.into(),
        order,
    };
    vec![
        o(
            1,
            "Test Tank Corps",
            UnitOrder::MoveTo(Location::Place("Passtown".into())),
        ),
        o(
            1,
            "Test Rifle Division",
            UnitOrder::MoveTo(Location::Coord(45.9, 120.2)),
        ),
        // Japanese units take no new orders in the first 18 hours (surprise).
        o(
            3,
            "Test Infantry Division",
            UnitOrder::MoveTo(Location::Coord(45.3, 121.1)),
        ),
        o(2, "Dry Tank Brigade", UnitOrder::Hold),
        o(
            3,
            "Test Tank Corps",
            UnitOrder::MoveTo(Location::Coord(45.97, 120.1)),
        ),
    ]
}

fn played(seed: u64) -> Game {
    let mut g = game_of(&fixture("tiny.ron"), Some(seed));
    play_orders(&mut g, &fixture_orders(), u32::MAX);
    g
}

#[test]
fn the_same_seed_and_orders_give_the_same_event_log() {
    for seed in [1, 2, 3, 1945, u64::MAX] {
        let (mut a, mut b) = (played(seed), played(seed));
        assert!(a.events().len() > 10, "the game did something");
        assert_eq!(a.events(), b.events(), "seed {seed}");
        let (ra, rb) = (campaign_report(&mut a), campaign_report(&mut b));
        assert_eq!(
            serde_json::to_string(&ra).unwrap(),
            serde_json::to_string(&rb).unwrap(),
            "the JSON reports are byte-identical for seed {seed}"
        );
    }
}

#[test]
fn saving_loading_and_continuing_equals_playing_straight_through() {
    let straight = played(42);
    let dir = tempfile::tempdir().unwrap();
    for stop in 1..=6 {
        let mut g = game_of(&fixture("tiny.ron"), Some(42));
        play_orders(&mut g, &fixture_orders(), stop);
        let path = dir.path().join(format!("turn{stop}.ron"));
        save_game(&mut g, &path).unwrap();
        let mut loaded = load_game(&path).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(
            to_save(&mut loaded),
            to_save(&mut g),
            "the save round-trips at turn {stop}"
        );
        play_orders(&mut loaded, &fixture_orders(), u32::MAX);
        assert_eq!(
            loaded.events(),
            straight.events(),
            "continued from turn {stop}"
        );
    }
}

#[test]
fn a_save_of_another_format_version_is_refused_with_its_version() {
    let mut g = played(1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.ron");
    save_game(&mut g, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        &format!("format_version: {SAVE_FORMAT_VERSION}"),
        "format_version: 0",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let err = load_game(&path).err().expect("refused");
    assert!(
        err[0].message.contains("format version 0"),
        "{}",
        err[0].message
    );
}

#[test]
fn a_save_that_does_not_match_its_scenario_is_refused() {
    let mut g = played(1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ron");
    save_game(&mut g, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "\"Test Tank Corps\"",
        "\"Renamed Corps\"",
        1,
    );
    // The checksum made to match, as a forger would: the rename is still caught.
    let mut save: august_storm::scenario::save::SaveFile = ron::from_str(&text).unwrap();
    save.checksum = save.digest();
    std::fs::write(&path, ron::to_string(&save).unwrap()).unwrap();
    let err = load_game(&path).err().expect("refused");
    assert!(
        err[0].message.contains("Renamed Corps"),
        "{}",
        err[0].message
    );
}

#[test]
fn saving_over_an_old_save_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("game.ron");
    let mut a = played(1);
    save_game(&mut a, &path).unwrap();
    let mut b = game_of(&fixture("tiny.ron"), Some(9));
    save_game(&mut b, &path).unwrap();
    let mut loaded = load_game(&path).unwrap();
    assert_eq!(to_save(&mut loaded), to_save(&mut b));
    // No temporary files are left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn rejected_orders_from_a_file_are_reported_and_the_rest_of_the_turn_goes_on() {
    let mut g = game_of(&fixture("tiny.ron"), None);
    let mut orders = fixture_orders();
    orders.insert(
        0,
        TurnOrder {
            turn: 1,
            unit: "Dry Tank Brigade".into(),
            order: UnitOrder::MoveTo(Location::Place("Passtown".into())),
        },
    );
    orders.insert(
        0,
        TurnOrder {
            turn: 1,
            unit: "No Such Unit".into(),
            order: UnitOrder::Hold,
        },
    );
    let rejected = play_orders(&mut g, &orders, 2);
    assert_eq!(rejected, 2);
    let tanks = id(&mut g, "Test Tank Corps");
    assert!(
        g.events()
            .iter()
            .any(|e| matches!(&e.event, GameEvent::UnitMoved { unit, .. } if *unit == tanks))
    );
    assert!(g.events().iter().any(|e| matches!(&e.event, GameEvent::OrderRejected { reason, .. } if reason.contains("has no fuel"))));
}
