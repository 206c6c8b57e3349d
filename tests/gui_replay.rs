//! The replay viewer in a real window under Xvfb, driven by real X events (xdotool): the
//! step button and the timeline move through the phases and the map changes with them, the
//! view selector fogs the map as a side saw it, playing stops at a teacher's note and shows
//! it, a note pinned in the window is written beside the save (never over it), and the title
//! screen opens a save in the viewer.
//!
//! The window reports what it shows through `--script report:FILE`; the tests wait for that
//! file to say what a click should have done. Needs `xvfb-run` and `xdotool`; where either is
//! missing the tests say so and pass, unless AUGUST_STORM_GUI_TEST=require.
#![cfg(feature = "gui")]

mod window;

use std::path::{Path, PathBuf};

use august_storm::model::Side;
use august_storm::scenario::notes::{Note, NotesFile, load_notes_of, save_notes};
use serde_json::Value;
use window::{Game, ONE_WINDOW, centre_of, control, root};

/// The note the fixture pins to turn 1, Japanese phase (phase 2).
const NOTE: &str = "The Kwantung Army wakes up";

fn have(tool: &str) -> bool {
    window::have(tool, "the replay viewer's window tests are")
}

/// The historical campaign played by the AI to the morning of 10 August (turn 3), saved as
/// `saves/game.ron` with a teacher's note on turn 1, Japanese phase.
fn saved_game(dir: &Path) -> PathBuf {
    let mut game = august_storm::cli::simulate::new_game(
        &root().join("scenarios/august_storm_1945.ron"),
        Some(1),
        &[],
    )
    .expect("the scenario loads");
    august_storm::cli::simulate::play(&mut game, &[], &[Side::Soviet, Side::Japanese], 3);
    let path = dir.join("saves/game.ron");
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("saves/ is made");
    august_storm::rules::save::save_game(&mut game, &path).expect("the save is written");
    let mut notes = NotesFile::default();
    notes.pin(Note {
        turn: 1,
        side: Some(Side::Japanese),
        title: NOTE.into(),
        text: "Its units are still on standing orders.".into(),
    });
    save_notes(&path, &notes).expect("the notes are written");
    path
}

impl Game {
    /// `play` with these arguments in `dir`.
    fn start(dir: &Path, args: &[&str]) -> Game {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        Game::play(dir, &args)
    }

    fn click(&mut self, control_name: &str) {
        let r = self.wait_for(&format!("the control {control_name} is drawn"), |r| {
            control(r, control_name).is_some()
        });
        self.click_at(centre_of(control(&r, control_name).expect("drawn")));
    }
}

fn phase(r: &Value) -> Option<u64> {
    r["replay"]["phase"].as_u64()
}

fn open_viewer(dir: &Path) -> Game {
    let save = saved_game(dir);
    Game::start(
        dir,
        &[
            "--replay",
            save.to_str().expect("a path in words"),
            "--script",
            "report:report.json",
        ],
    )
}

#[test]
fn the_step_button_and_the_timeline_move_through_the_phases_and_the_map_with_them() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = open_viewer(dir.path());
    let start = game.wait_for("the viewer shows the start", |r| {
        phase(r) == Some(0) && control(r, "replay step").is_some()
    });
    assert_eq!(start["replay"]["phases"], 5, "the start and turns 1 and 2");
    game.click("replay step");
    let one = game.wait_for("one phase on", |r| phase(r) == Some(1));
    assert_ne!(
        one["counters_digest"], start["counters_digest"],
        "the Soviet marches of the first night moved counters on the map"
    );
    assert!(
        one["replay"]["label"]
            .as_str()
            .is_some_and(|l| l.starts_with("Turn 1, Soviet phase, 9 Aug 1945")),
        "{}",
        one["replay"]["label"]
    );
    // A click near the right end of the timeline goes to the last phase.
    let t = control(&one, "replay timeline").expect("the timeline is drawn");
    game.click_at([t[2] - 3.0, (t[1] + t[3]) / 2.0]);
    let last = game.wait_for("the last phase", |r| phase(r) == Some(4));
    assert_ne!(last["counters_digest"], one["counters_digest"]);
    // The left arrow steps back one phase.
    game.point_at([640.0, 400.0]);
    game.key("Left");
    game.wait_for("one phase back", |r| phase(r) == Some(3));
    // The Japanese view hides the Soviet units the Japanese had not seen.
    let all = game.report().expect("a report");
    game.click("view Japanese view");
    // The fog is worked out in the frames after the click: the map shows fewer counters.
    let everything = all["counters_shown"].as_u64().expect("a count");
    game.wait_for("the Japanese view hides unseen Soviet units", |r| {
        r["replay"]["view"] == "Japanese"
            && r["counters_shown"]
                .as_u64()
                .is_some_and(|n| n > 0 && n < everything)
    });
    game.click("view Everything");
    game.wait_for("everything again", |r| {
        r["replay"]["view"].is_null() && r["counters_shown"] == all["counters_shown"]
    });
    // The start button goes to the start, Next to the first phase with a capture (the kind
    // ticked at the start).
    let (_, phases) = august_storm::rules::phases::Phases::load(&dir.path().join("saves/game.ron"))
        .expect("the save loads");
    let capture = phases
        .next_moment(0, true, &[august_storm::rules::phases::MomentKind::Capture])
        .expect("a place is taken by the morning of 10 August");
    game.click("replay start");
    game.wait_for("the start", |r| phase(r) == Some(0));
    game.click("replay next moment");
    game.wait_for("the phase of the capture", |r| {
        phase(r) == Some(capture as u64)
    });
}

#[test]
fn playing_stops_at_a_teachers_note_and_shows_it() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = open_viewer(dir.path());
    game.click("replay step");
    let r = game.wait_for("phase 1", |r| phase(r) == Some(1));
    assert_eq!(r["replay"]["notes_shown"], serde_json::json!([]));
    assert!(control(&r, "teacher's note").is_none());
    game.click("replay play");
    let r = game.wait_for("play holds at the note", |r| {
        phase(r) == Some(2) && r["replay"]["playing"] == false
    });
    assert_eq!(r["replay"]["notes_shown"], serde_json::json!([NOTE]));
    assert!(
        control(&r, "teacher's note").is_some(),
        "the note's window is drawn"
    );
}

#[test]
fn a_note_pinned_in_the_window_is_saved_beside_the_save_and_shown() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = open_viewer(dir.path());
    let save = dir.path().join("saves/game.ron");
    let before = std::fs::read(&save).expect("the save");
    for k in 1..=3 {
        game.click("replay step");
        game.wait_for("one phase on", |r| phase(r) == Some(k));
    }
    game.click("note title");
    game.xdotool(&["windowfocus", "--sync", &game.window]);
    game.xdotool(&["type", "--delay", "40", "Through the passes"]);
    game.wait_for("the title typed", |r| {
        r["replay"]["draft_title"] == "Through the passes"
    });
    game.click("pin note");
    let r = game.wait_for("the note pinned", |r| {
        r["replay"]["notes_shown"] == serde_json::json!(["Through the passes"])
    });
    assert!(
        r["replay"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("game.notes.ron")),
        "{}",
        r["replay"]["message"]
    );
    let notes = load_notes_of(&save, Some(3)).expect("the notes read back");
    assert_eq!(notes.notes.len(), 2);
    assert_eq!(notes.notes[1].turn, 2);
    assert_eq!(notes.notes[1].side, Some(Side::Soviet));
    assert_eq!(notes.notes[1].title, "Through the passes");
    assert_eq!(std::fs::read(&save).expect("the save"), before);
}

#[test]
fn the_title_screen_opens_a_save_in_the_viewer() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    saved_game(dir.path());
    let mut game = Game::start(dir.path(), &["--script", "title;report:report.json"]);
    game.wait_for("the title screen", |r| r["screen"] == "Title");
    game.click("Watch game.ron");
    let r = game.wait_for("the viewer", |r| {
        r["screen"] == "Playing" && phase(r) == Some(0)
    });
    assert_eq!(r["replay"]["phases"], 5);
    assert!(control(&r, "end turn").is_none(), "nobody gives orders");
}

#[test]
fn a_save_whose_notes_are_in_error_goes_back_to_the_title_with_the_reason() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = saved_game(dir.path());
    let notes = august_storm::scenario::notes::notes_path(&save);
    std::fs::write(
        &notes,
        "NotesFile(notes: [\n  (turn: 0, title: \"A\", text: \"b\"),\n])",
    )
    .expect("the notes are written");
    let mut game = Game::start(dir.path(), &["--script", "title;report:report.json"]);
    game.wait_for("the title screen", |r| r["screen"] == "Title");
    game.click("Watch game.ron");
    let r = game.wait_for("the title screen again, with the reason", |r| {
        r["screen"] == "Title" && r["toast"].as_str().is_some_and(|t| t.contains("turn 0"))
    });
    assert!(
        r["toast"]
            .as_str()
            .is_some_and(|t| t.contains("game.notes.ron:2:")),
        "{}",
        r["toast"]
    );
    assert_eq!(
        std::fs::read_to_string(&notes).expect("the notes"),
        "NotesFile(notes: [\n  (turn: 0, title: \"A\", text: \"b\"),\n])",
        "the notes in error are left as they were"
    );
}
