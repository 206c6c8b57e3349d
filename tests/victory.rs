//! Victory conditions: every scenario has objectives for both sides, judged met, failed or
//! open, and a level of victory in the report; a passive side cannot win.

use crate::common;

use august_storm::cli::simulate::play;
use august_storm::model::*;
use august_storm::report::campaign_report;
use august_storm::report::victory::{SideVictory, Status, Victory, victory_in};
use august_storm::rules::check_file;
use common::*;

fn side(v: &Victory, s: Side) -> &SideVictory {
    v.sides
        .iter()
        .find(|x| x.side == s)
        .unwrap_or_else(|| panic!("no objectives for the {s:?} side"))
}

#[test]
fn every_shipped_scenario_sets_objectives_for_both_sides() {
    for name in ["august_storm_1945.ron", "across_the_khingan.ron"] {
        let g = game_of(&root().join("scenarios").join(name), None);
        let v = victory_in(g.world()).expect("objectives");
        for s in [Side::Soviet, Side::Japanese] {
            let sv = side(&v, s);
            assert!(sv.total_weight > 0, "{name}: {s:?}");
            // Nothing is decided before the first turn is played.
            assert!(!sv.decided, "{name}: {s:?} already decided");
        }
    }
}

#[test]
fn a_soviet_side_that_gives_no_orders_is_defeated() {
    let mut g = game_of(&historical(), Some(1));
    play(&mut g, &[], &[Side::Japanese], u32::MAX);
    let report = campaign_report(&mut g);
    let v = report.victory.expect("the report carries the verdict");
    let soviet = side(&v, Side::Soviet);
    assert!(soviet.decided);
    assert_eq!(soviet.level, "Defeat", "{soviet:#?}");
    let capture = soviet
        .objectives
        .iter()
        .find(|j| j.text.contains("Mukden"))
        .unwrap();
    assert_eq!(capture.status, Status::Failed);
    assert!(
        capture.outcome.contains("Mukden not taken"),
        "{}",
        capture.outcome
    );
    let japanese = side(&v, Side::Japanese);
    assert!(
        japanese.met_weight * 2 > japanese.total_weight,
        "{japanese:#?}"
    );
}

#[test]
fn objectives_are_open_until_their_time_and_decided_after_it() {
    let mut g = game_of(&root().join("scenarios/across_the_khingan.ron"), None);
    // Two days of AI against AI: the 13 August deadlines are still to come.
    play(&mut g, &[], &[Side::Soviet, Side::Japanese], 5);
    let v = victory_in(g.world()).unwrap();
    let lubei = side(&v, Side::Soviet)
        .objectives
        .iter()
        .find(|j| j.text.contains("Lubei"))
        .unwrap();
    assert_ne!(lubei.status, Status::Failed, "{lubei:?}");
    play(&mut g, &[], &[Side::Soviet, Side::Japanese], u32::MAX);
    let v = victory_in(g.world()).unwrap();
    for s in [Side::Soviet, Side::Japanese] {
        let sv = side(&v, s);
        assert!(sv.decided, "{sv:#?}");
        assert!(
            sv.objectives.iter().all(|j| j.status != Status::Open),
            "{sv:#?}"
        );
    }
    // The two sides' objectives on the central plain are mirrors: one is met, the other not.
    let plain = |s: Side| {
        side(&v, s)
            .objectives
            .iter()
            .find(|j| j.text.contains("Tongliao"))
            .unwrap()
            .status
    };
    assert_ne!(plain(Side::Soviet), plain(Side::Japanese));
}

#[test]
fn check_refuses_an_objective_on_a_place_that_is_not_on_the_map() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "across_the_khingan_logistics.ron",
        "rules.ron",
        "august_storm_1945_plan.ron",
    ] {
        std::fs::copy(root().join("scenarios").join(f), dir.path().join(f)).unwrap();
    }
    let text = std::fs::read_to_string(root().join("scenarios/across_the_khingan.ron"))
        .unwrap()
        .replace(
            "map: \"maps/manchuria.ron\"",
            &format!(
                "map: {:?}",
                root()
                    .join("scenarios/maps/manchuria.ron")
                    .display()
                    .to_string()
            ),
        )
        .replace("Hold(places: [\"Lubei\"]", "Hold(places: [\"Lubeii\"]");
    let path = dir.path().join("khingan.ron");
    std::fs::write(&path, &text).unwrap();
    let d = check_file(&path);
    let line = text.lines().position(|l| l.contains("\"Lubeii\"")).unwrap() + 1;
    let e = d
        .iter()
        .find(|x| x.message.contains("Lubeii"))
        .unwrap_or_else(|| panic!("no error for the unknown place: {d:?}"));
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("not on the map"), "{e}");
}
