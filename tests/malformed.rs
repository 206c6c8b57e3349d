//! Malformed scenarios, maps, rules and saves: each gives its own clear error, with file,
//! line and column, and nothing panics.

use crate::common;

use std::path::{Path, PathBuf};

use august_storm::cli::simulate::load_orders;
use august_storm::rules::check_file;
use august_storm::rules::save::{load_game_text, save_game};
use august_storm::scenario::Diagnostic;
use august_storm::scenario::load::{MAX_FILE_BYTES, load_scenario_text};
use august_storm::scenario::save::write_atomically;
use common::*;

/// Writes the fixture scenario, changed by `edit`, into a temporary folder (with the map and
/// rules paths made absolute) and checks it.
fn check_scenario_edit(edit: impl Fn(String) -> String) -> (Vec<Diagnostic>, String) {
    let base = std::fs::read_to_string(fixture("tiny.ron")).unwrap();
    let base = base
        .replace(
            "map: \"tiny_map.ron\"",
            &format!("map: {:?}", fixture("tiny_map.ron").display().to_string()),
        )
        .replace(
            "logistics: \"tiny_logistics.ron\"",
            &format!(
                "logistics: {:?}",
                fixture("tiny_logistics.ron").display().to_string()
            ),
        )
        .replace(
            "rules: \"../../scenarios/rules.ron\"",
            &format!(
                "rules: {:?}",
                root().join("scenarios/rules.ron").display().to_string()
            ),
        );
    let text = edit(base);
    (check_text("scenario.ron", &text), text)
}

fn check_map_edit(edit: impl Fn(String) -> String) -> (Vec<Diagnostic>, String) {
    let text = edit(std::fs::read_to_string(fixture("tiny_map.ron")).unwrap());
    (check_text("maps/map.ron", &text), text)
}

fn check_text(name: &str, text: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    let d = check_file(&path);
    // Keep the folder alive until checked.
    drop(dir);
    d
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

/// Asserts exactly one error, that its message contains `message`, and that it points at
/// the line holding `at` (when given).
fn assert_one_error(d: &[Diagnostic], text: &str, message: &str, at: Option<&str>) {
    let errors: Vec<&Diagnostic> = d.iter().filter(|x| x.is_error()).collect();
    assert_eq!(errors.len(), 1, "expected one error, got: {d:#?}");
    let e = errors[0];
    assert!(
        e.message.contains(message),
        "message {:?} lacks {message:?}",
        e.message
    );
    if let Some(at) = at {
        assert_eq!(e.line, line_of(text, at), "wrong line for {:?}", e.message);
        assert!(e.col > 0);
    }
    let shown = e.to_string();
    assert!(
        shown.contains(&format!(":{}:{}", e.line, e.col)) || e.line == 0,
        "{shown}"
    );
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let (d, text) = check_scenario_edit(|s| s.replace("turn_hours: 12,", "turn_hours: 12"));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].line >= line_of(&text, "turn_hours: 12"));
    assert!(
        d[0].message.to_lowercase().contains("expected"),
        "{}",
        d[0].message
    );
}

#[test]
fn an_unknown_field_is_named_with_the_fields_expected() {
    let (d, text) = check_scenario_edit(|s| s.replacen("men: 10000,", "menn: 10000,", 1));
    assert_one_error(&d, &text, "menn", Some("menn: 10000"));
}

#[test]
fn an_unknown_unit_kind_lists_the_known_ones() {
    let (d, text) = check_scenario_edit(|s| s.replacen("kind: TankCorps", "kind: TankCorpse", 1));
    assert_one_error(&d, &text, "TankCorpse", Some("TankCorpse"));
    assert!(
        d[0].message.contains("TankCorps"),
        "the message lists the valid kinds: {}",
        d[0].message
    );
}

#[test]
fn a_missing_field_is_named() {
    let (d, _) = check_scenario_edit(|s| s.replace("    seed: 7,\n", ""));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("seed"), "{}", d[0].message);
}

#[test]
fn a_unit_placed_off_the_map_is_refused() {
    let (d, text) =
        check_scenario_edit(|s| s.replace("at: Coord(45.3, 120.1)", "at: Coord(30.0, 100.0)"));
    assert_one_error(&d, &text, "off the map", Some("Coord(30.0, 100.0)"));
}

#[test]
fn a_unit_in_an_unknown_place_gets_a_did_you_mean() {
    let (d, text) = check_scenario_edit(|s| {
        s.replacen("at: Place(\"Westtown\"),\n", "at: Place(\"Westown\"),\n", 1)
    });
    assert_one_error(
        &d,
        &text,
        "no place named \"Westown\"",
        Some("Place(\"Westown\")"),
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean \"Westtown\"?"));
}

#[test]
fn a_negative_strength_is_refused() {
    let (d, text) = check_scenario_edit(|s| s.replace("men: 7000,", "men: -7000,"));
    assert_one_error(
        &d,
        &text,
        "men: -7000; a strength cannot be negative",
        Some("men: -7000"),
    );
}

#[test]
fn duplicate_unit_names_are_refused() {
    let (d, text) =
        check_scenario_edit(|s| s.replace("\"Dry Tank Brigade\"", "\"Test Tank Corps\""));
    assert_one_error(
        &d,
        &text,
        "the unit name \"Test Tank Corps\" is used twice",
        None,
    );
    assert_eq!(
        d[0].line,
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.contains("name: \"Test Tank Corps\""))
            .nth(1)
            .unwrap()
            .0
            + 1
    );
}

#[test]
fn an_unknown_parent_formation_gets_a_did_you_mean() {
    let (d, text) = check_scenario_edit(|s| {
        s.replacen(
            "parent: \"Red Front\", kind: TankCorps",
            "parent: \"Red Frnt\", kind: TankCorps",
            1,
        )
    });
    assert_one_error(
        &d,
        &text,
        "no formation named \"Red Frnt\"",
        Some("Red Frnt"),
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean \"Red Front\"?"));
}

#[test]
fn a_unit_serving_under_the_other_side_is_refused() {
    let (d, text) = check_scenario_edit(|s| {
        s.replacen(
            "parent: \"Red Front\", kind: TankCorps",
            "parent: \"Blue Army\", kind: TankCorps",
            1,
        )
    });
    assert_one_error(
        &d,
        &text,
        "cannot serve under Blue Army",
        Some("parent: \"Blue Army\", kind: TankCorps"),
    );
}

#[test]
fn readiness_above_one_is_refused() {
    let (d, text) = check_scenario_edit(|s| s.replace("readiness: 0.95", "readiness: 1.5"));
    assert_one_error(
        &d,
        &text,
        "readiness 1.5, expected 0.0 to 1.0",
        Some("readiness: 1.5"),
    );
}

#[test]
fn turns_longer_than_twelve_hours_are_refused() {
    let (d, text) = check_scenario_edit(|s| s.replace("turn_hours: 12,", "turn_hours: 24,"));
    assert_one_error(
        &d,
        &text,
        "turn_hours is 24, expected 1 to 12",
        Some("turn_hours: 24"),
    );
}

#[test]
fn a_start_that_is_not_a_date_is_refused() {
    let (d, text) = check_scenario_edit(|s| s.replace("\"1945-08-09T00:01\"", "\"9 August 1945\""));
    assert_one_error(
        &d,
        &text,
        "start \"9 August 1945\" is not a date and time",
        Some("9 August 1945"),
    );
}

#[test]
fn a_missing_map_file_is_named() {
    let (d, text) = check_scenario_edit(|s| {
        let i = s.find("map: ").unwrap();
        let j = s[i..].find(",\n").unwrap();
        format!("{}map: \"no_such_map.ron\"{}", &s[..i], &s[i + j..])
    });
    assert_one_error(&d, &text, "does not exist", Some("no_such_map.ron"));
}

#[test]
fn overstacked_units_at_the_start_are_listed() {
    let (d, text) = check_scenario_edit(|s| {
        s.replace("Coord(45.3, 120.1)", "Place(\"Westtown\")")
            .replace("Coord(45.7, 120.1)", "Place(\"Westtown\")")
    });
    // 3 + 2 + 1 = 6 points is the limit: add one more by making the brigade a corps.
    assert!(d.iter().all(|x| !x.is_error()), "{d:#?}");
    let (d, text2) = check_scenario_edit(|s| {
        s.replace("Coord(45.3, 120.1)", "Place(\"Westtown\")")
            .replace("Coord(45.7, 120.1)", "Place(\"Westtown\")")
            .replace("kind: TankBrigade", "kind: MechanizedCorps")
    });
    let _ = text;
    assert_one_error(
        &d,
        &text2,
        "make 8 stacking points, over the limit of 6",
        None,
    );
    assert!(
        d[0].message
            .contains("Test Tank Corps, Test Rifle Division, Dry Tank Brigade"),
        "{}",
        d[0].message
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let (d, _) = check_scenario_edit(|s| {
        s.replace("men: 7000,", "men: -7000,")
            .replace("readiness: 0.95", "readiness: 1.5")
            .replace("at: Coord(45.7, 120.1)", "at: Place(\"Nowhere\")")
    });
    assert_eq!(d.iter().filter(|x| x.is_error()).count(), 3, "{d:#?}");
}

#[test]
fn a_place_in_the_sea_or_a_lake_is_refused() {
    let (d, text) = check_map_edit(|s| {
        s.replace(
            "at: (45.5, 121.35), kind: City",
            "at: (45.05, 121.4), kind: City",
        )
    });
    assert_one_error(
        &d,
        &text,
        "place Easttown falls in a Lake area",
        Some("at: (45.05, 121.4)"),
    );
}

#[test]
fn a_polygon_of_two_points_is_refused() {
    let (d, text) = check_map_edit(|s| {
        s.replace(
            "polygon: [(44.5, 121.25), (45.15, 121.25), (45.15, 122.0), (44.5, 122.0)]",
            "polygon: [(44.5, 121.25), (45.15, 121.25)]",
        )
    });
    assert_one_error(
        &d,
        &text,
        "Pond has 2 points; at least 3 are needed",
        Some("name: \"Pond\""),
    );
}

#[test]
fn swapped_latitude_and_longitude_get_a_hint() {
    let (d, text) = check_map_edit(|s| s.replace("at: (45.5, 120.65)", "at: (120.65, 45.5)"));
    assert_one_error(&d, &text, "far outside the map's bounds", Some("Test pass"));
    assert_eq!(
        d[0].hint.as_deref(),
        Some("points are (lat, lon): latitude first")
    );
}

#[test]
fn a_fortification_level_out_of_range_is_refused() {
    let (d, text) = check_map_edit(|s| s.replace("level: 4,", "level: 9,"));
    assert_one_error(&d, &text, "has level 9, expected 1 to 5", Some("level: 9"));
}

#[test]
fn hexes_wider_than_twenty_five_km_are_refused() {
    let (d, text) = check_map_edit(|s| s.replace("hex_km: 20.0", "hex_km: 50.0"));
    assert_one_error(
        &d,
        &text,
        "hex_km is 50, expected 5.0 to 25.0 km",
        Some("hex_km: 50.0"),
    );
}

#[test]
fn a_place_name_used_twice_is_refused() {
    let (d, text) =
        check_map_edit(|s| s.replace("aliases: [\"Zapad\"]", "aliases: [\"Easttown\"]"));
    assert_one_error(&d, &text, "\"Easttown\" is used twice", None);
}

#[test]
fn a_rules_file_missing_a_unit_kind_says_which() {
    let text = std::fs::read_to_string(root().join("scenarios/rules.ron"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("CavalryBrigade:"))
        .collect::<Vec<_>>()
        .join("\n");
    let d = check_text("rules.ron", &text);
    assert_one_error(
        &d,
        &text,
        "unit_kinds has no entry for CavalryBrigade",
        Some("unit_kinds: {"),
    );
}

#[test]
fn a_file_that_is_not_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p: PathBuf = dir.path().join("scenario.ron");
    std::fs::write(&p, [0x53, 0x63, 0xff, 0xfe, 0x00]).unwrap();
    let d = check_file(&p);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("not UTF-8"), "{}", d[0].message);
}

#[test]
fn a_missing_file_is_refused_not_panicked_on() {
    let d = check_file(Path::new("/nonexistent/scenario.ron"));
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("cannot read the file"),
        "{}",
        d[0].message
    );
}

#[test]
fn deeply_nested_input_is_an_error_not_a_stack_overflow() {
    let text = format!(
        "ScenarioFile(name: {}{})",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let d = check_text("scenario.ron", &text);
    assert_eq!(d.len(), 1);
    assert!(d[0].is_error());
    assert_eq!(
        d[0].message,
        "brackets nested 65 levels deep; data files are limited to 64 levels"
    );
    assert_eq!((d[0].line, d[0].col), (1, 83));
}

#[test]
fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
    let deep = "[".repeat(200);
    let text = format!(
        "// {deep}\n/* {deep} /* nested */ */\nScenarioFile(name: \"{deep}\\\"{deep}\", bogus: 1)"
    );
    let d = check_text("scenario.ron", &text);
    assert_eq!(d.len(), 1);
    assert!(!d[0].message.contains("nested"), "{}", d[0].message);
}

#[test]
fn a_device_named_as_a_data_file_is_refused_without_reading_it() {
    // /dev/zero never ends: reading it whole would fill the memory.
    let d = check_file(Path::new("/dev/zero"));
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "cannot read the file: it is not an ordinary file"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = check_file(dir.path());
    assert_eq!(
        d[0].message,
        "cannot read the file: it is not an ordinary file"
    );
}

#[test]
fn an_empty_file_is_refused() {
    let d = check_text("scenario.ron", "");
    assert_eq!(d.len(), 1);
    assert!(d[0].is_error());
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("scenario.ron");
    // Sparse: the limit is checked on the length, so no 16 MiB is written.
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let d = check_file(&p);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        format!("the file is 16777217 bytes; data files are limited to 16777216 bytes")
    );
}

#[test]
fn text_over_the_size_limit_is_refused_before_it_is_parsed() {
    let text = " ".repeat(MAX_FILE_BYTES as usize + 1);
    let d = load_scenario_text(&fixture("tiny.ron"), text)
        .err()
        .unwrap();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message
            .contains("data files are limited to 16777216 bytes")
    );
    let d = load_game_text(
        Path::new("save.ron"),
        " ".repeat(MAX_FILE_BYTES as usize + 1),
    )
    .err()
    .unwrap();
    assert!(
        d[0].message
            .contains("data files are limited to 16777216 bytes")
    );
}

#[test]
fn hostile_nesting_is_refused_by_the_depth_limit_before_parsing() {
    // Refused at the 65th level, before the parser sees it: nothing recurses on, whatever
    // the schema would have allowed there.
    let text = format!("ScenarioFile(name: {}", "(".repeat(100_000));
    let d = load_scenario_text(&fixture("tiny.ron"), text)
        .err()
        .unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "brackets nested 65 levels deep; data files are limited to 64 levels"
    );
    assert_eq!((d[0].line, d[0].col), (1, 83));
    let d = load_game_text(
        Path::new("save.ron"),
        "SaveFile(units: ".to_string() + &"[".repeat(100_000),
    )
    .err()
    .unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "brackets nested 65 levels deep; data files are limited to 64 levels"
    );
    assert_eq!((d[0].line, d[0].col), (1, 80));
}

/// A fresh save of the fixture game, as text.
fn fixture_save() -> String {
    let mut g = tiny_game();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("game.ron");
    save_game(&mut g, &p).unwrap();
    std::fs::read_to_string(&p).unwrap()
}

fn load_save_text(text: String) -> Vec<Diagnostic> {
    load_game_text(Path::new("save.ron"), text)
        .err()
        .expect("refused")
}

#[test]
fn a_save_whose_seed_was_edited_is_reported_as_edited() {
    let text = fixture_save();
    let seed = text
        .lines()
        .find(|l| l.trim_start().starts_with("seed:"))
        .unwrap();
    let d = load_save_text(text.replacen(seed, "seed: 12345,", 1));
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.starts_with(
            "this save was changed after the game wrote it: its contents no longer match its checksum (written blake3:"
        ),
        "{}",
        d[0].message
    );
}

#[test]
fn a_what_if_naming_a_switch_that_does_not_exist_is_refused_where_it_names_it() {
    let base = std::fs::read_to_string(root().join("scenarios/what_ifs/no_airlift.ron")).unwrap();
    let text = base.replace("\"airlift\"", "\"airlfit\"");
    assert_ne!(text, base);
    let d = check_text("what_ifs/no_airlift.ron", &text);
    assert_one_error(
        &d,
        &text,
        "no rule switch named \"airlfit\"",
        Some("airlfit"),
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean \"airlift\"?"));
}

#[test]
fn a_save_with_an_added_what_if_is_reported_as_edited() {
    let text = fixture_save().replacen("what_ifs: []", "what_ifs: [\"no_airlift\"]", 1);
    let d = load_save_text(text);
    assert!(
        d[0].message
            .contains("this save was changed after the game wrote it"),
        "{}",
        d[0].message
    );
}

#[test]
fn a_save_without_its_checksum_is_refused() {
    let text = fixture_save();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("checksum:"))
        .unwrap();
    let d = load_save_text(text.replacen(line, "", 1));
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("checksum"), "{}", d[0].message);
}

#[test]
fn a_version_2_save_is_refused_with_its_version() {
    let text = fixture_save().replacen("format_version: 3", "format_version: 2", 1);
    let d = load_save_text(text);
    assert_eq!(
        d[0].message,
        "this save is format version 2; this build of August Storm reads version 3"
    );
}

#[test]
fn a_scenario_given_as_a_save_is_refused() {
    let text = std::fs::read_to_string(fixture("tiny.ron")).unwrap();
    let d = load_save_text(text);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("SaveFile"), "{}", d[0].message);
}

#[test]
fn an_orders_file_with_an_unknown_order_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("orders.ron");
    std::fs::write(
        &p,
        "OrdersFile(orders: [(turn: 1, unit: \"Test Tank Corps\", order: Teleport)])",
    )
    .unwrap();
    let d = load_orders(&p).err().unwrap();
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("Teleport"), "{}", d[0].message);
    assert_eq!((d[0].line, d[0].col > 1), (1, true));
}

#[test]
fn an_orders_file_with_a_negative_turn_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("orders.ron");
    std::fs::write(
        &p,
        "OrdersFile(orders: [(turn: -1, unit: \"X\", order: Hold)])",
    )
    .unwrap();
    let d = load_orders(&p).err().unwrap();
    assert_eq!(d.len(), 1);
    assert!(
        d[0].hint.as_deref().unwrap_or("").contains("whole numbers"),
        "{d:?}"
    );
}

#[test]
fn a_save_over_something_that_is_not_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = write_atomically(dir.path(), b"x").expect_err("refused");
    assert!(
        e.to_string().ends_with(
            "is not an ordinary file; saves and reports are written only to ordinary files"
        ),
        "{e}"
    );
    assert!(dir.path().is_dir(), "the folder is still there");
}
