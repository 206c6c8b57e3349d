//! Hostile and careless saves and `explain` calls: a save naming what its scenario lacks is
//! refused at its line before anything is restored, `explain` reads its file as every other
//! command does and plays the campaign to the turn asked, and a save finds its scenario
//! wherever the pair is moved.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// A scratch copy of the scenarios folder, as the issue's reporter set it up.
struct Scratch {
    _dir: tempfile::TempDir,
    scenarios: PathBuf,
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    copy_dir(&root().join("scenarios"), &scenarios);
    Scratch {
        _dir: dir,
        scenarios,
    }
}

/// How many places the teaching scenario's map has (the saves below are of that scenario):
/// the refusals name the count, which grows as the map does.
fn places_on_the_map() -> usize {
    let game = game_of(&root().join("scenarios/across_the_khingan.ron"), None);
    game.world()
        .resource::<august_storm::model::Map>()
        .places
        .len()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

/// Runs the game's command line in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts the command was refused, not crashed, and returns what it said.
fn refused(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "exit status; stderr: {}",
        stderr(o)
    );
    stderr(o)
}

/// The reporter's save: Across the Khingan played by the AI to 11 August.
fn mid_save(s: &Scratch) -> PathBuf {
    let o = run_in(
        &s.scenarios,
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-11",
            "--save",
            "mid.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    s.scenarios.join("mid.ron")
}

/// Writes `mid.ron` with its first `from` replaced by `to`, as `name`.
fn edited(s: &Scratch, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    assert!(text.contains(from), "the save has {from}");
    let p = s.scenarios.join(name);
    std::fs::write(&p, common::restamp(&text.replacen(from, to, 1))).unwrap();
    p
}

/// The 1-based line of the first occurrence of `needle` in a file.
fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .expect("the needle is in the file")
        + 1
}

#[test]
fn a_save_whose_depot_names_a_place_beyond_the_map_is_refused_at_that_line() {
    let s = scratch();
    mid_save(&s);
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    let at = text.find("place: Some((").expect("a depot has a place");
    let end = at + text[at..].find("))").unwrap() + 2;
    let mut t = text.clone();
    t.replace_range(at..end, "place: Some((99999))");
    let p = s.scenarios.join("depot.ron");
    std::fs::write(&p, common::restamp(&t)).unwrap();
    let before = std::fs::read(&p).unwrap();
    let o = run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "depot.ron"],
    );
    let e = refused(&o);
    let n = places_on_the_map();
    let said = format!(
        "error: the save's depots, entry 1 (Borzya railhead), place names place #99999, but its scenario has only {n} places (#0 to #{})",
        n - 1
    );
    assert!(e.contains(&said), "{e}");
    let line = line_of(&p, "Some((99999))");
    assert!(e.contains(&format!("depot.ron:{line}:")), "{e}");
    assert_eq!(std::fs::read(&p).unwrap(), before, "the save is untouched");
}

#[test]
fn a_save_at_turn_4294967295_is_refused_by_load_and_by_explain() {
    let s = scratch();
    mid_save(&s);
    let p = edited(&s, "late.ron", "turn: 4,", "turn: 4294967295,");
    let line = line_of(&p, "turn: 4294967295");
    for args in [
        &["simulate", "across_the_khingan.ron", "--load", "late.ron"][..],
        &["explain", "late.ron", "--unit", "5th Guards Tank Corps"][..],
    ] {
        let e = refused(&run_in(&s.scenarios, args));
        assert!(
            e.contains("error: the save is at turn 4294967295; its campaign has turns 1 to 16"),
            "{e}"
        );
        assert!(e.contains(&format!("late.ron:{line}:3")), "{e}");
    }
}

#[test]
fn a_save_with_turns_of_zero_hours_is_refused_rather_than_hanging() {
    let s = scratch();
    mid_save(&s);
    edited(&s, "zero.ron", "turn_hours: 12,", "turn_hours: 0,");
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "zero.ron"],
    ));
    assert!(
        e.contains("error: the save's turns are 0 hours long; its scenario's are 12 hours"),
        "{e}"
    );
}

#[test]
fn a_save_with_fuel_that_is_not_a_number_or_negative_is_refused() {
    let s = scratch();
    mid_save(&s);
    for (name, value, shown) in [("nan.ron", "NaN", "NaN"), ("neg.ron", "-5.0", "-5")] {
        let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
        let at = text.find("fuel_t: ").unwrap();
        let end = at + text[at..].find(',').unwrap();
        let mut t = text.clone();
        t.replace_range(at..end, &format!("fuel_t: {value}"));
        std::fs::write(s.scenarios.join(name), common::restamp(&t)).unwrap();
        let e = refused(&run_in(
            &s.scenarios,
            &["simulate", "across_the_khingan.ron", "--load", name],
        ));
        assert!(
            e.contains(&format!(
                "error: the save's units, entry 1 (5th Guards Tank Corps), stocks, fuel t is {shown}; it must be a number from 0 up to a billion"
            )),
            "{e}"
        );
    }
}

#[test]
fn a_save_naming_a_unit_its_scenario_lacks_in_its_event_log_is_refused() {
    let s = scratch();
    mid_save(&s);
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    // The first event about a unit: point it at a unit that does not exist.
    let events = text.find("events: (").unwrap();
    let at = events
        + text[events..]
            .find("unit: (")
            .expect("an event names a unit");
    let end = at + text[at..].find(')').unwrap();
    let mut t = text.clone();
    t.replace_range(at..end, "unit: (4000000");
    std::fs::write(s.scenarios.join("ghost.ron"), common::restamp(&t)).unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &["explain", "ghost.ron", "--unit", "5th Guards Tank Corps"],
    ));
    assert!(e.contains("error: the save's event log, entry "), "{e}");
    assert!(
        e.contains("names unit #4000000, but its scenario has only"),
        "{e}"
    );
}

#[test]
fn a_save_with_a_unit_stronger_than_it_began_is_refused() {
    let s = scratch();
    mid_save(&s);
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    let at = text.find("men: ").unwrap();
    let end = at + text[at..].find(',').unwrap();
    let mut t = text.clone();
    t.replace_range(at..end, "men: 4000000000");
    std::fs::write(s.scenarios.join("strong.ron"), common::restamp(&t)).unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "strong.ron"],
    ));
    assert!(
        e.contains("men in the save; it began the campaign with"),
        "{e}"
    );
}

#[test]
fn a_save_whose_random_generator_was_set_past_its_end_is_refused() {
    let s = scratch();
    mid_save(&s);
    edited(
        &s,
        "rng.ron",
        "word_pos_high: 0,",
        "word_pos_high: 18446744073709551615,",
    );
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "rng.ron"],
    ));
    assert!(
        e.contains(
            "the RNG position is beyond the end of its stream: word_pos_high must be less than 16"
        ),
        "{e}"
    );
}

#[test]
fn a_save_missing_capture_dates_is_refused_rather_than_read_past_its_end() {
    let s = scratch();
    mid_save(&s);
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    let at = text.find("first_taken: [").unwrap() + "first_taken: [".len();
    let end = at + text[at..].find(']').unwrap();
    let mut t = text.clone();
    t.replace_range(at..end, "");
    std::fs::write(s.scenarios.join("dates.ron"), common::restamp(&t)).unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "dates.ron"],
    ));
    let said = format!(
        "error: the save gives capture dates for 0 places; its map has {}",
        places_on_the_map()
    );
    assert!(e.contains(&said), "{e}");
}

#[test]
fn a_save_naming_a_besieged_place_beyond_the_map_is_refused() {
    let s = scratch();
    mid_save(&s);
    let text = std::fs::read_to_string(s.scenarios.join("mid.ron")).unwrap();
    let at = text.find("first_taken: [").unwrap();
    let end = at + text[at..].find(']').unwrap() + 1;
    let mut t = text.clone();
    t.insert_str(end, ", besieged: [(999)]");
    std::fs::write(s.scenarios.join("siege.ron"), common::restamp(&t)).unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "across_the_khingan.ron", "--load", "siege.ron"],
    ));
    let said = format!(
        "names place #999; its map has {} places",
        places_on_the_map()
    );
    assert!(e.contains(&said), "{e}");
}

#[test]
fn the_game_s_own_saves_load_at_the_start_the_middle_and_the_end_of_a_campaign() {
    let s = scratch();
    for until in [None, Some("1945-08-09T12:00"), Some("1945-08-13")] {
        let mut args = vec!["simulate", "across_the_khingan.ron", "--save", "own.ron"];
        if let Some(u) = until {
            args.extend(["--until", u]);
        }
        let o = run_in(&s.scenarios, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run_in(
            &s.scenarios,
            &["simulate", "across_the_khingan.ron", "--load", "own.ron"],
        );
        assert!(o.status.success(), "{until:?}: {}", stderr(&o));
    }
}

#[test]
fn a_save_stores_its_scenario_relative_to_itself_and_loads_from_anywhere() {
    let s = scratch();
    std::fs::create_dir_all(s.scenarios.join("saves")).unwrap();
    let o = run_in(
        &s.scenarios,
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-10",
            "--save",
            "saves/game.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(s.scenarios.join("saves/game.ron")).unwrap();
    assert!(
        text.contains("scenario: \"../across_the_khingan.ron\""),
        "{}",
        &text[..300]
    );
    // From the folder above, and from the saves folder itself.
    let parent = s.scenarios.parent().unwrap();
    let o = run_in(
        parent,
        &[
            "simulate",
            "scenarios/across_the_khingan.ron",
            "--load",
            "scenarios/saves/game.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(
        &s.scenarios.join("saves"),
        &["explain", "game.ron", "--unit", "5th Guards Tank Corps"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_old_save_naming_its_scenario_from_where_it_was_made_still_loads() {
    let s = scratch();
    std::fs::create_dir_all(s.scenarios.join("saves")).unwrap();
    run_in(
        &s.scenarios,
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-10",
            "--save",
            "saves/game.ron",
        ],
    );
    // As the game wrote it before: the path as given on the command line.
    let p = s.scenarios.join("saves/game.ron");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        "\"../across_the_khingan.ron\"",
        "\"across_the_khingan.ron\"",
        1,
    );
    std::fs::write(&p, common::restamp(&text)).unwrap();
    let o = run_in(
        &s.scenarios,
        &[
            "simulate",
            "across_the_khingan.ron",
            "--load",
            "saves/game.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn load_refuses_a_scenario_that_does_not_exist_or_is_not_the_save_s() {
    let s = scratch();
    mid_save(&s);
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "x", "--load", "mid.ron"],
    ));
    assert!(
        e.contains("error: there is no scenario x: with --load, name the save's own scenario, across_the_khingan.ron"),
        "{e}"
    );
    let e = refused(&run_in(
        &s.scenarios,
        &["simulate", "august_storm_1945.ron", "--load", "mid.ron"],
    ));
    assert!(
        e.contains("error: mid.ron was saved from the scenario across_the_khingan.ron, not august_storm_1945.ron"),
        "{e}"
    );
}

#[test]
fn a_what_if_putting_a_unit_off_the_map_is_refused_not_explained() {
    let s = scratch();
    std::fs::write(
        s.scenarios.join("what_ifs/offmap.ron"),
        r#"WhatIf(name: "offmap", summary: "s", rationale: "r", source: "test",
  changes: [MoveUnit(unit: "117th Division", to: Coord(10.0, 10.0))])"#,
    )
    .unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &[
            "explain",
            "across_the_khingan.ron",
            "--what-if",
            "offmap",
            "--unit",
            "117th Division",
        ],
    ));
    assert!(
        e.contains("error: the coordinate (10, 10) is off the map"),
        "{e}"
    );
    assert!(e.contains("offmap.ron:2:50"), "{e}");
}

#[cfg(unix)]
#[test]
fn explain_refuses_a_device_a_pipe_and_an_oversized_file_before_reading_them() {
    let s = scratch();
    let e = refused(&run_in(
        &s.scenarios,
        &["explain", "/dev/zero", "--unit", "x"],
    ));
    assert!(
        e.contains("cannot read the file: it is not an ordinary file"),
        "{e}"
    );
    let fifo = s.scenarios.join("pipe.ron");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let e = refused(&run_in(
        &s.scenarios,
        &["explain", "pipe.ron", "--unit", "x"],
    ));
    assert!(
        e.contains("cannot read the file: it is not an ordinary file"),
        "{e}"
    );
    // A sparse gigabyte: refused by its size, not read.
    let big = s.scenarios.join("big.ron");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let e = refused(&run_in(
        &s.scenarios,
        &["explain", "big.ron", "--unit", "x"],
    ));
    assert!(
        e.contains("the file is 1073741824 bytes; data files are limited to 16777216 bytes"),
        "{e}"
    );
}

#[test]
fn explain_on_a_save_refuses_a_seed_or_a_what_if_with_the_reason() {
    let s = scratch();
    mid_save(&s);
    for extra in [&["--seed", "3"][..], &["--what-if", "dry_weather"][..]] {
        let mut args = vec!["explain", "mid.ron", "--unit", "5th Guards Tank Corps"];
        args.extend(extra);
        let e = refused(&run_in(&s.scenarios, &args));
        assert!(
            e.contains("error: mid.ron is a saved game, whose seed and what-ifs were fixed when it began; --seed and --what-if apply only when explaining a scenario from its start"),
            "{e}"
        );
    }
}

#[test]
fn explain_refuses_a_turn_outside_the_campaign_and_orders_without_a_turn() {
    let s = scratch();
    mid_save(&s);
    for file in ["mid.ron", "across_the_khingan.ron"] {
        let e = refused(&run_in(
            &s.scenarios,
            &[
                "explain",
                file,
                "--unit",
                "5th Guards Tank Corps",
                "--turn",
                "999",
            ],
        ));
        assert!(
            e.contains("error: --turn 999: the campaign has turns 1 to 16 (12 hours each)"),
            "{e}"
        );
        let e = refused(&run_in(
            &s.scenarios,
            &[
                "explain",
                file,
                "--unit",
                "5th Guards Tank Corps",
                "--orders",
                "orders/across_the_khingan.ron",
            ],
        ));
        assert!(
            e.contains("error: --orders are given turn by turn while the game is played: name the turn to explain with --turn"),
            "{e}"
        );
    }
    let e = refused(&run_in(
        &s.scenarios,
        &[
            "explain",
            "mid.ron",
            "--unit",
            "5th Guards Tank Corps",
            "--turn",
            "2",
        ],
    ));
    assert!(
        e.contains("error: the game is already at turn 4; --turn 2 lies in its past"),
        "{e}"
    );
}

#[test]
fn explain_at_a_turn_plays_the_campaign_as_simulate_does() {
    let s = scratch();
    // 13 August 00:01 is turn 9 of Across the Khingan.
    let o = run_in(
        &s.scenarios,
        &[
            "explain",
            "across_the_khingan.ron",
            "--unit",
            "5th Guards Tank Corps",
            "--turn",
            "9",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let played = stdout(&o);
    assert!(played.contains("On 13 Aug 00:01 (turn 9)"), "{played}");
    assert!(!played.contains("It has not marched yet"), "{played}");
    assert!(played.contains("Its marches so far covered"), "{played}");
    // The same as explaining the save simulate makes at that turn.
    let o = run_in(
        &s.scenarios,
        &[
            "simulate",
            "across_the_khingan.ron",
            "--until",
            "1945-08-13T00:01",
            "--save",
            "d13.ron",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(
        &s.scenarios,
        &["explain", "d13.ron", "--unit", "5th Guards Tank Corps"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), played);
}

#[test]
fn explain_at_a_turn_follows_the_seed_the_what_ifs_and_who_the_ai_commands() {
    let s = scratch();
    let at = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            "across_the_khingan.ron",
            "--unit",
            "5th Guards Tank Corps",
            "--turn",
            "5",
        ];
        args.extend(extra);
        let o = run_in(&s.scenarios, &args);
        assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
        stdout(&o)
    };
    let base = at(&[]);
    // Nobody commanding the Soviet side, the corps stays where it began.
    let idle = at(&["--ai", "japanese"]);
    assert!(idle.contains("It has not marched yet"), "{idle}");
    assert!(!base.contains("It has not marched yet"), "{base}");
    assert_ne!(at(&["--what-if", "dry_weather"]), base);
    let e = refused(&run_in(
        &s.scenarios,
        &[
            "explain",
            "across_the_khingan.ron",
            "--unit",
            "5th Guards Tank Corps",
            "--turn",
            "5",
            "--ai",
            "everyone",
        ],
    ));
    assert!(
        e.contains("error: --ai everyone: expected none, soviet, japanese or both"),
        "{e}"
    );
}

/// The fixture game with orders given and not yet carried out, saved mid-phase, as text.
fn mid_phase_save(dir: &Path) -> (String, Vec<august_storm::model::Order>) {
    use august_storm::model::{Order, PendingOrders};
    let mut g = tiny_game();
    let tank = id(&mut g, "Test Tank Corps");
    let rifle = id(&mut g, "Test Rifle Division");
    let to = place_hex(&g, "Easttown");
    g.submit(Order::MoveTo { unit: tank, to }).unwrap();
    g.submit(Order::Hold { unit: rifle }).unwrap();
    let pending = g.world().resource::<PendingOrders>().orders.clone();
    let p = dir.join("phase.ron");
    august_storm::rules::save::save_game(&mut g, &p).unwrap();
    (std::fs::read_to_string(&p).unwrap(), pending)
}

#[test]
fn a_save_made_with_orders_waiting_restores_them_as_they_were() {
    use august_storm::model::{OrderLog, PendingOrders};
    let dir = tempfile::tempdir().unwrap();
    let (text, pending) = mid_phase_save(dir.path());
    let mut g = august_storm::rules::save::load_game_text(&dir.path().join("phase.ron"), text)
        .unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(g.world().resource::<PendingOrders>().orders, pending);
    // Given again through the rules' checks, but logged once.
    assert_eq!(g.world().resource::<OrderLog>().entries.len(), 2);
    let _ = august_storm::rules::save::to_save(&mut g);
}

#[test]
fn a_save_with_a_waiting_order_no_player_could_give_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = mid_phase_save(dir.path());
    // The waiting march now leaps to a hex far from the unit, in one step.
    let mut save: august_storm::scenario::save::SaveFile = ron::from_str(&text).unwrap();
    let unit = save.pending.orders[0].unit().unwrap();
    save.pending.orders[0] = august_storm::model::Order::Move {
        unit,
        path: vec![hex(6, 7)],
    };
    save.checksum = save.digest();
    let t = ron::ser::to_string_pretty(&save, Default::default()).unwrap();
    let d = august_storm::rules::save::load_game_text(&dir.path().join("phase.ron"), t)
        .err()
        .expect("refused");
    assert!(
        d[0].message
            .starts_with("order 1 waiting for the end of the turn could not have been given: "),
        "{}",
        d[0]
    );
}
