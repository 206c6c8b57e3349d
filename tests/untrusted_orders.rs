//! Orders from outside are untrusted: an orders file given to `simulate` that moves an enemy
//! unit, moves a unit twice, asks for fuel a unit lacks or names a unit that does not exist
//! has each of those orders refused with its reason, and the good orders still go through.

use crate::common;

use std::process::Command;

use august_storm::rules::save::load_game;
use common::*;

const ORDERS: &str = r#"OrdersFile(orders: [
    (turn: 1, unit: "Test Tank Corps", order: MoveTo(Place("Passtown"))),
    (turn: 1, unit: "Test Tank Corps", order: MoveTo(Coord(45.9, 120.2))),
    (turn: 1, unit: "Dry Tank Brigade", order: MoveTo(Place("Passtown"))),
    (turn: 1, unit: "No Such Unit", order: Hold),
    (turn: 3, unit: "Test Infantry Division", order: MoveTo(Coord(45.3, 121.1))),
    (turn: 1, unit: "Test Rifle Division", order: MoveTo(Coord(45.9, 120.2))),
])
"#;

#[test]
fn bad_orders_in_a_file_are_refused_with_reasons_and_the_good_ones_are_carried_out() {
    let dir = tempfile::tempdir().unwrap();
    let orders = dir.path().join("orders.ron");
    std::fs::write(&orders, ORDERS).unwrap();
    let save = dir.path().join("game.ron");
    let out = Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .current_dir(root())
        .args(["simulate", "tests/fixtures/tiny.ron", "--seed", "3"])
        .args(["--ai", "japanese", "--until", "1945-08-11T00:00"])
        .arg("--orders")
        .arg(&orders)
        .arg("--save")
        .arg(&save)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for reason in [
        "order for Test Tank Corps rejected: Test Tank Corps already has orders this turn",
        "order for Dry Tank Brigade rejected: Dry Tank Brigade has no fuel",
        "turn 1: no unit is named \"No Such Unit\"; order skipped",
        "turn 3: Test Infantry Division is a Japanese unit and the AI commands the Japanese side; order skipped",
    ] {
        assert!(
            stderr.contains(reason),
            "stderr lacks {reason:?}:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.lines().count(),
        4,
        "one line per refused order:\n{stderr}"
    );
    assert!(
        stdout.contains("4 orders were rejected"),
        "stdout: {stdout}"
    );

    // The good orders were carried out: both marched, from where the scenario put them.
    let mut fresh = tiny_game();
    let mut played = load_game(&save).unwrap_or_else(|d| panic!("{d:#?}"));
    for name in ["Test Tank Corps", "Test Rifle Division"] {
        let (a, b) = (id(&mut fresh, name), id(&mut played, name));
        assert_ne!(fresh.position(a), played.position(b), "{name} did not move");
    }
    let dry = id(&mut played, "Dry Tank Brigade");
    assert_eq!(
        fresh.position(dry),
        played.position(dry),
        "Dry Tank Brigade moved"
    );
}
