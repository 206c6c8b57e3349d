//! Hostile and careless figures: `check` refuses every file that would break a run, with
//! file, line and column, and the same checks guard every load, so a bad figure never
//! reaches a game.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use august_storm::rules::check_file;
use august_storm::scenario::Diagnostic;
use august_storm::scenario::load::load_scenario;
use common::*;

/// A copy of the shipped `scenarios/` folder, to edit without touching the real one.
struct Copy {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Copy {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("scenarios");
        copy_dir(&common::root().join("scenarios"), &root);
        Copy { _dir: dir, root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Replaces `from` (which must be there) with `to` in a file; returns the new text.
    fn edit(&self, rel: &str, from: &str, to: &str) -> String {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        let text = text.replacen(from, to, 1);
        std::fs::write(&p, &text).unwrap();
        text
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, text).unwrap();
        p
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}"))
        + 1
}

/// The one error of `d`, which must say `message` and point at `file`, at the line that
/// holds `at`.
fn the_error<'a>(
    d: &'a [Diagnostic],
    file: &Path,
    text: &str,
    message: &str,
    at: &str,
) -> &'a Diagnostic {
    let errors: Vec<&Diagnostic> = d.iter().filter(|x| x.is_error()).collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{}", show(d));
    let e = errors[0];
    assert!(
        e.message.contains(message),
        "{:?} lacks {message:?}",
        e.message
    );
    assert!(
        e.file.ends_with(file.file_name().unwrap()),
        "{} is not {}",
        e.file.display(),
        file.display()
    );
    assert_eq!(e.line, line_of(text, at), "wrong line for {:?}", e.message);
    assert!(e.col > 0);
    e
}

fn show(d: &[Diagnostic]) -> String {
    d.iter().map(|x| x.to_string()).collect()
}

fn simulate(args: &[&str], cwd: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .current_dir(cwd)
        .arg("simulate")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn every_shipped_data_file_passes_check_with_no_errors_orders_included() {
    let mut files = Vec::new();
    let mut stack = vec![root().join("scenarios")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "ron") {
                files.push(p);
            }
        }
    }
    assert!(
        files
            .iter()
            .any(|f| f.parent().unwrap().ends_with("orders"))
    );
    for f in files {
        let d = check_file(&f);
        assert!(
            !d.iter().any(Diagnostic::is_error),
            "{}:\n{}",
            f.display(),
            show(&d)
        );
    }
}

#[test]
fn a_killed_share_above_one_is_refused_at_its_figure() {
    let c = Copy::new();
    let text = c.edit(
        "rules.ron",
        "killed_share: { Soviet: 0.33",
        "killed_share: { Soviet: 5.0",
    );
    let d = check_file(&c.path("rules.ron"));
    the_error(
        &d,
        &c.path("rules.ron"),
        &text,
        "combat.killed_share.Soviet is 5, expected 0 to 1",
        "killed_share: { Soviet: 5.0",
    );
}

#[test]
fn a_negative_speed_is_refused_and_the_scenario_using_it_does_not_load() {
    let c = Copy::new();
    let text = c.edit(
        "rules.ron",
        "tracked: Some(70.0)),",
        "tracked: Some(-70.0)),",
    );
    let d = check_file(&c.path("rules.ron"));
    let e = the_error(
        &d,
        &c.path("rules.ron"),
        &text,
        "march_km_per_12h.tracked is -70, expected more than 0",
        "tracked: Some(-70.0)",
    );
    // The column is the figure's own.
    let line = text.lines().nth(e.line - 1).unwrap();
    assert_eq!(&line[e.col - 1..e.col + 4], "-70.0");
    // One validation: loading for a run refuses it the same way.
    let Err(err) = load_scenario(&c.path("august_storm_1945.ron")) else {
        panic!("the scenario loaded with a negative speed");
    };
    assert!(
        err.iter()
            .any(|x| x.message == e.message && x.line == e.line),
        "{}",
        show(&err)
    );
}

#[test]
fn a_speed_that_is_not_a_number_is_refused() {
    let c = Copy::new();
    let text = c.edit("rules.ron", "foot: Some(16.0)", "foot: Some(NaN)");
    let d = check_file(&c.path("rules.ron"));
    the_error(
        &d,
        &c.path("rules.ron"),
        &text,
        "march_km_per_12h.foot is not a number",
        "foot: Some(NaN)",
    );
}

#[test]
fn a_sight_beyond_the_limit_is_refused() {
    let c = Copy::new();
    let text = c.edit(
        "rules.ron",
        "default_sight_hexes: 1,",
        "default_sight_hexes: 100000,",
    );
    let d = check_file(&c.path("rules.ron"));
    the_error(
        &d,
        &c.path("rules.ron"),
        &text,
        "fog.default_sight_hexes is 100000, expected 0 to 20",
        "default_sight_hexes",
    );
}

#[test]
fn a_campaign_of_eight_thousand_years_is_refused() {
    let c = Copy::new();
    let text = c.edit(
        "across_the_khingan.ron",
        "end: \"1945-08-17T00:00\"",
        "end: \"9999-12-31T23:59\"",
    );
    let d = check_file(&c.path("across_the_khingan.ron"));
    the_error(
        &d,
        &c.path("across_the_khingan.ron"),
        &text,
        "a scenario is limited to 366 days",
        "9999-12-31",
    );
}

#[test]
fn a_continent_of_small_hexes_is_refused_before_it_is_built() {
    let c = Copy::new();
    c.edit(
        "maps/manchuria.ron",
        "bounds: (south: 37.5, north: 53.5, west: 111.0, east: 136.0),",
        "bounds: (south: -79.0, north: 79.0, west: 111.0, east: 136.0),",
    );
    let text = c.edit("maps/manchuria.ron", "hex_km: 20.0", "hex_km: 5.0");
    let d = check_file(&c.path("maps/manchuria.ron"));
    assert!(
        d.iter()
            .any(|x| x.message.contains("a map is limited to 250000")
                && x.line == line_of(&text, "bounds:")),
        "{}",
        show(&d)
    );
}

const WHAT_IF: &str = r#"WhatIf(
    name: "hostile",
    summary: "s",
    rationale: "r",
    source: "test",
    changes: [
        CHANGE,
    ],
)
"#;

fn what_if(c: &Copy, change: &str) -> (PathBuf, String) {
    let text = WHAT_IF.replace("CHANGE", change);
    (c.write("what_ifs/hostile.ron", &text), text)
}

#[test]
fn a_unit_moved_into_the_sea_by_a_what_if_is_refused_at_its_line() {
    let c = Copy::new();
    let (p, text) = what_if(
        &c,
        r#"MoveUnit(unit: "5th Guards Tank Corps", to: Coord(39.0, 124.0))"#,
    );
    let d = check_file(&p);
    let e = the_error(
        &d,
        &p,
        &text,
        "5th Guards Tank Corps would stand in",
        "MoveUnit",
    );
    assert!(e.message.contains("Sea"), "{}", e.message);
}

#[test]
fn a_unit_moved_off_the_map_by_a_what_if_is_refused_and_simulate_says_where() {
    let c = Copy::new();
    let (p, text) = what_if(
        &c,
        r#"MoveUnit(unit: "5th Guards Tank Corps", to: Coord(10.0, 10.0))"#,
    );
    let d = check_file(&p);
    the_error(
        &d,
        &p,
        &text,
        "the coordinate (10, 10) is off the map",
        "MoveUnit",
    );
    let (ok, out) = simulate(
        &[
            "august_storm_1945.ron",
            "--what-if",
            "hostile",
            "--until",
            "1945-08-09T12:00",
        ],
        &c.root,
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("off the map") && out.contains("hostile.ron:7:"),
        "{out}"
    );
}

#[test]
fn a_ghost_unit_in_a_what_if_is_refused_at_its_line() {
    let c = Copy::new();
    let (p, text) = what_if(
        &c,
        r#"MoveUnit(unit: "99th Ghost Army", to: Place("Hailar"))"#,
    );
    let d = check_file(&p);
    the_error(
        &d,
        &p,
        &text,
        "no unit named \"99th Ghost Army\"",
        "MoveUnit",
    );
}

#[test]
fn a_huge_fuel_factor_is_refused_and_printed_readably() {
    let c = Copy::new();
    let (p, text) = what_if(&c, "Fuel(side: Soviet, factor: 1e308)");
    let d = check_file(&p);
    let e = the_error(
        &d,
        &p,
        &text,
        "changes[0].factor is 1.000e308, expected 0 to 100",
        "Fuel(",
    );
    assert!(!e.message.contains("00000000"), "{}", e.message);
}

#[test]
fn a_fuel_factor_that_is_not_a_number_is_refused() {
    let c = Copy::new();
    let (p, text) = what_if(&c, "Fuel(side: Soviet, factor: NaN)");
    the_error(&check_file(&p), &p, &text, "is not a number", "Fuel(");
}

#[test]
fn a_start_that_is_not_a_date_or_comes_after_the_end_is_refused() {
    let c = Copy::new();
    let (p, text) = what_if(&c, r#"Start("tomorrow")"#);
    the_error(
        &check_file(&p),
        &p,
        &text,
        "start \"tomorrow\" is not a date",
        "Start(",
    );
    let (p, text) = what_if(&c, r#"Start("1946-01-01T00:00")"#);
    the_error(
        &check_file(&p),
        &p,
        &text,
        "is not before the campaign's end",
        "Start(",
    );
    let (ok, out) = simulate(&["august_storm_1945.ron", "--what-if", "hostile"], &c.root);
    assert!(!ok, "{out}");
}

#[test]
fn an_unknown_field_inside_a_what_if_change_is_refused() {
    let c = Copy::new();
    let (p, text) = what_if(&c, "Fuel(side: Soviet, factor: 1.0, extra: 2.0)");
    the_error(&check_file(&p), &p, &text, "extra", "Fuel(");
}

#[test]
fn a_plan_naming_an_unknown_formation_or_zero_odds_is_refused() {
    let c = Copy::new();
    let plan = "august_storm_1945_plan.ron";
    let text = c.edit(
        plan,
        "(formations: [\"25th Army\"]",
        "(formations: [\"25th Armee\"]",
    );
    let d = check_file(&c.path(plan));
    let e = the_error(
        &d,
        &c.path(plan),
        &text,
        "the plan names a formation \"25th Armee\"",
        "25th Armee",
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean \"25th Army\"?"));
    let c = Copy::new();
    let text = c.edit(plan, "attack_odds: 1.5,", "attack_odds: 0.0,");
    let d = check_file(&c.path(plan));
    the_error(
        &d,
        &c.path(plan),
        &text,
        "soviet.attack_odds is 0, expected more than 0",
        "attack_odds: 0.0",
    );
    let c = Copy::new();
    let text = c.edit(plan, "attack_odds: 1.5,", "attack_odds: NaN,");
    the_error(
        &check_file(&c.path(plan)),
        &c.path(plan),
        &text,
        "is not a number",
        "attack_odds: NaN",
    );
    // More objectives abreast than the axis has, or none, is refused at the figure.
    for n in ["0", "11"] {
        let c = Copy::new();
        let text = c.edit(plan, "abreast: 2,", &format!("abreast: {n},"));
        the_error(
            &check_file(&c.path(plan)),
            &c.path(plan),
            &text,
            &format!("soviet.axes[0].abreast is {n}, expected 1 to the axis's 10 objectives"),
            &format!("abreast: {n}"),
        );
    }
}

#[test]
fn a_calibration_naming_an_unknown_place_or_a_nan_is_refused_before_any_batch() {
    let c = Copy::new();
    let cal = "calibration.ron";
    let text = c.edit(
        cal,
        "Captured(place: \"Hailar\"",
        "Captured(place: \"Hailarr\"",
    );
    let d = check_file(&c.path(cal));
    the_error(
        &d,
        &c.path(cal),
        &text,
        "no place named \"Hailarr\"",
        "Hailarr",
    );
    let c = Copy::new();
    let text = c.edit(cal, "min: 0.0, max: 0.5", "min: NaN, max: 0.5");
    the_error(
        &check_file(&c.path(cal)),
        &c.path(cal),
        &text,
        "is not a number",
        "min: NaN",
    );
}

/// A fact that follows a formation's march names one the order of battle has, and fuel is followed only where the timeline records it.
#[test]
fn a_calibration_following_an_unknown_formation_or_a_units_fuel_is_refused() {
    let c = Copy::new();
    let cal = "calibration.ron";
    let text = c.edit(cal, "March(of: \"5th Army\"", "March(of: \"5th Armee\"");
    let d = check_file(&c.path(cal));
    the_error(
        &d,
        &c.path(cal),
        &text,
        "the order of battle has no formation or unit named \"5th Armee\"",
        "\"5th Armee\"",
    );
    let c = Copy::new();
    let text = c.edit(
        cal,
        "March(of: \"5th Army\", at: \"1945-08-11T12:01\", min_km: 60.0, max_km: 100.0)",
        "Fuel(of: \"5th Guards Tank Corps\", at: \"1945-08-11T12:01\", min: 0.0, max: 1.0)",
    );
    the_error(
        &check_file(&c.path(cal)),
        &c.path(cal),
        &text,
        "\"5th Guards Tank Corps\" is a unit; fuel is followed for fronts, area armies, armies and groups",
        "\"5th Guards Tank Corps\"",
    );
}

#[test]
fn a_truck_pool_naming_an_unknown_formation_points_at_its_own_line() {
    let c = Copy::new();
    let l = "across_the_khingan_logistics.ron";
    let text = c.edit(
        l,
        "(formation: \"39th Army\", trucks: 700",
        "(formation: \"99th Army\", trucks: 700",
    );
    let d = check_file(&c.path(l));
    let e = the_error(
        &d,
        &c.path(l),
        &text,
        "there is no formation named \"99th Army\"",
        "99th Army",
    );
    assert_eq!(e.line, 27);
}

#[test]
fn an_air_transport_figure_out_of_range_points_at_its_own_line() {
    let c = Copy::new();
    let l = "across_the_khingan_logistics.ron";
    let text = c.edit(l, "payload_t: 1.29", "payload_t: -1.29");
    let d = check_file(&c.path(l));
    let e = the_error(
        &d,
        &c.path(l),
        &text,
        "air_transport[0].payload_t is -1.29",
        "payload_t: -1.29",
    );
    assert_eq!(e.line, 32);
}

const ORDERS: &str = r#"OrdersFile(orders: [
    ORDER,
])
"#;

fn orders(c: &Copy, order: &str) -> (PathBuf, String) {
    let text = ORDERS.replace("ORDER", order);
    (c.write("orders/hostile.ron", &text), text)
}

#[test]
fn an_order_to_march_to_a_coordinate_that_is_not_a_number_is_refused() {
    let c = Copy::new();
    let (p, text) = orders(
        &c,
        r#"(turn: 1, unit: "5th Guards Tank Corps", order: MoveTo(Coord(NaN, 118.0)))"#,
    );
    let d = check_file(&p);
    the_error(&d, &p, &text, "orders[0].order.0.0 is not a number", "NaN");
    let (ok, out) = simulate(
        &["august_storm_1945.ron", "--orders", "orders/hostile.ron"],
        &c.root,
    );
    assert!(!ok && out.contains("hostile.ron:2:"), "{out}");
}

#[test]
fn orders_for_turn_zero_or_after_the_end_are_refused_not_dropped() {
    let c = Copy::new();
    let (p, text) = orders(
        &c,
        r#"(turn: 0, unit: "5th Guards Tank Corps", order: Hold)"#,
    );
    the_error(
        &check_file(&p),
        &p,
        &text,
        "orders[0].turn is 0, expected 1",
        "turn: 0",
    );
    let (p, text) = orders(
        &c,
        r#"(turn: 999, unit: "5th Guards Tank Corps", order: Hold)"#,
    );
    the_error(
        &check_file(&p),
        &p,
        &text,
        "an order for turn 999, but the campaign has",
        "turn: 999",
    );
    let (ok, out) = simulate(
        &["august_storm_1945.ron", "--orders", "orders/hostile.ron"],
        &c.root,
    );
    assert!(
        !ok && out.contains("turn 999") && out.contains("hostile.ron:2:"),
        "{out}"
    );
}

#[test]
fn an_unknown_field_inside_an_airlift_order_is_refused() {
    let c = Copy::new();
    let (p, text) = orders(
        &c,
        r#"(turn: 1, unit: "5th Guards Tank Corps", order: Airlift(air_army: "12th Air Army", base: "Choibalsan", cargo: Fuel, tons: 10.0, escort: 3))"#,
    );
    the_error(&check_file(&p), &p, &text, "escort", "Airlift");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let c = Copy::new();
    let p = c.path("what_ifs/no_airlift.ron");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("\u{feff}{text}")).unwrap();
    let d = check_file(&p);
    assert!(d.is_empty(), "{}", show(&d));
}

#[test]
fn a_very_long_line_is_echoed_only_around_the_mistake() {
    let c = Copy::new();
    let filler = "x".repeat(2_000_000);
    let text = WHAT_IF.replace(
        "CHANGE",
        &format!("Switch(name: \"{filler}\", on: true), Oops"),
    );
    let p = c.write("what_ifs/hostile.ron", &text.replace('\n', " "));
    let d = check_file(&p);
    let shown = show(&d);
    assert!(!d.is_empty());
    assert!(
        shown.len() < 2_000,
        "the error echoes {} characters",
        shown.len()
    );
}

#[test]
fn a_side_report_holds_only_what_that_side_knew() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let (ok, out) = simulate(
        &[
            "scenarios/across_the_khingan.ron",
            "--side",
            "japanese",
            "--until",
            "1945-08-10T00:00",
            "--report",
            report.to_str().unwrap(),
        ],
        &root(),
    );
    assert!(ok, "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(
        v["losses"].get("soviet").is_none(),
        "Soviet losses leak: {}",
        v["losses"]
    );
    assert!(v["losses"].get("japanese").is_some());
    let debrief = v["debrief"].to_string();
    assert!(
        !debrief.contains("6th Guards Tank Army"),
        "the enemy's fuel leaks: {debrief}"
    );
    assert!(!out.contains("6th Guards Tank Army had"), "{out}");
}

#[test]
fn a_saved_game_is_checked_as_a_save_and_a_changed_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("game.ron");
    let (ok, out) = simulate(
        &[
            "tests/fixtures/tiny.ron",
            "--until",
            "1945-08-10T00:00",
            "--save",
            save.to_str().unwrap(),
        ],
        &root(),
    );
    assert!(ok, "{out}");
    let d = check_file(&save);
    assert!(d.is_empty(), "{}", show(&d));
    let text = std::fs::read_to_string(&save).unwrap();
    std::fs::write(&save, text.replacen("seed: 7", "seed: 8", 1)).unwrap();
    let d = check_file(&save);
    assert!(
        d.iter()
            .any(|x| x.is_error() && x.message.contains("changed after the game wrote it")),
        "{}",
        show(&d)
    );
}

#[test]
fn a_file_full_of_bad_figures_is_summed_up_after_the_first_fifty() {
    let c = Copy::new();
    let order = r#"(turn: 0, unit: "5th Guards Tank Corps", order: Hold)"#;
    let many = vec![order; 5_000].join(",\n    ");
    let (p, _) = orders(&c, &many);
    let d = check_file(&p);
    assert_eq!(d.len(), 51, "{}", show(&d[..3]));
    assert!(d[50].message.contains("and 4950 more figures out of range"));
}

#[test]
fn a_documented_combat_share_above_one_is_refused_at_its_line() {
    let c = Copy::new();
    let l = "august_storm_1945.ron";
    let text = c.edit(
        l,
        "(side: Soviet, share: 0.67",
        "(side: Soviet, share: 1.67",
    );
    let d = check_file(&c.path(l));
    the_error(
        &d,
        &c.path(l),
        &text,
        "combat_shares[0].share is 1.67",
        "share: 1.67",
    );
}

#[test]
fn a_weather_span_that_follows_one_not_written_before_it_is_refused_with_the_nearest_name() {
    let c = Copy::new();
    let l = "august_storm_1945_logistics.ron";
    let text = c.edit(
        l,
        "follows: Some(\"Rains on the Khingan descent and the central plain\")",
        "follows: Some(\"Rains on the Khingan descent and the central plains\")",
    );
    let d = check_file(&c.path(l));
    let e = the_error(
        &d,
        &c.path(l),
        &text,
        "which is not a span written before it",
        "follows: Some(\"Rains on the Khingan descent and the central plains\")",
    );
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("Rains on the Khingan descent and the central plain\"")),
        "{e:?}"
    );
}

#[test]
fn a_weather_spans_chance_and_spreads_out_of_range_are_refused_at_their_figures() {
    let c = Copy::new();
    let l = "august_storm_1945_logistics.ron";
    let text = c.edit(l, "chance: 0.75", "chance: 1.5");
    let d = check_file(&c.path(l));
    the_error(
        &d,
        &c.path(l),
        &text,
        "weather[2].chance is 1.5",
        "chance: 1.5",
    );

    let c = Copy::new();
    let text = c.edit(l, "onset_spread_hours: 120.0", "onset_spread_hours: -120.0");
    let d = check_file(&c.path(l));
    the_error(
        &d,
        &c.path(l),
        &text,
        "weather[2].onset_spread_hours is -120",
        "onset_spread_hours: -120.0",
    );

    // A spread as long as the span itself would let it vanish in some games.
    let c = Copy::new();
    let text = c.edit(
        l,
        "onset_spread_hours: 12.0, length_spread_hours: 24.0,",
        "onset_spread_hours: 12.0, length_spread_hours: 36.0,",
    );
    let d = check_file(&c.path(l));
    the_error(
        &d,
        &c.path(l),
        &text,
        "length_spread_hours 36 would let a span of 36 hours vanish",
        "length_spread_hours: 36.0",
    );
}
