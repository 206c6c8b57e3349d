//! Watching a saved game again: the viewer's phases are the game replayed to each phase,
//! each side's view is fogged as that side saw it then, teachers' notes beside the save are
//! read strictly and never written over the save, and `replay --notes` writes the commented
//! timeline for a class without writing over what it reads.

use std::path::{Path, PathBuf};
use std::process::Command;

use august_storm::cli::simulate::{new_game, play};
use august_storm::model::*;
use august_storm::rules::phases::{MomentKind, Phases};
use august_storm::rules::save::{save_game, world_to_save};
use august_storm::scenario::notes::{
    Note, NotesFile, load_notes, load_notes_of, notes_path, save_notes,
};

fn campaign() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/august_storm_1945.ron")
}

/// The historical campaign played by the AI to noon on 11 August (turn 6), saved in `dir`.
fn saved_campaign(dir: &Path) -> PathBuf {
    let mut g = new_game(&campaign(), Some(3), &[]).expect("the campaign loads");
    play(&mut g, &[], &[Side::Soviet, Side::Japanese], 6);
    let path = dir.join("game.ron");
    save_game(&mut g, &path).expect("the save is written");
    path
}

fn note(turn: u32, side: Option<Side>, title: &str) -> Note {
    Note {
        turn,
        side,
        title: title.into(),
        text: format!("What to look at: {title}."),
    }
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .args(args)
        .output()
        .expect("the game runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_phase_of_the_viewer_is_the_game_replayed_to_that_phase() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let (_, phases) = Phases::load(&save).unwrap_or_else(|d| panic!("{d:#?}"));
    // Turns 1 to 5, both sides, and the start.
    assert_eq!(phases.len(), 11);
    assert_eq!(phases.phases[0].side, None);
    assert_eq!(
        (phases.phases[1].turn, phases.phases[1].side),
        (1, Some(Side::Soviet))
    );
    assert_eq!(
        (phases.phases[10].turn, phases.phases[10].side),
        (5, Some(Side::Japanese))
    );
    // The same game played again order by order, compared at every end of a phase.
    let mut fresh = new_game(&campaign(), Some(3), &[]).unwrap();
    let orders = phases.orders.entries.clone();
    let mut k = 0;
    assert_eq!(
        world_to_save(fresh.world_mut()),
        phases.save_at(0),
        "the start"
    );
    for entry in orders {
        let end = entry.order == Order::EndTurn;
        fresh.submit(entry.order).expect("a logged order is taken");
        if end {
            k += 1;
            assert_eq!(
                world_to_save(fresh.world_mut()),
                phases.save_at(k),
                "phase {k}"
            );
        }
    }
    assert_eq!(k, phases.len() - 1);
}

#[test]
fn a_phase_shown_in_a_world_of_the_same_scenario_is_that_phase() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let (_, phases) = Phases::load(&save).unwrap();
    let mut shown = new_game(&campaign(), Some(3), &[]).unwrap();
    // Forward, back and forward again: each phase is the same wherever the viewer came from.
    for k in [7, 2, 9, 2] {
        phases.show(shown.world_mut(), k).unwrap();
        assert_eq!(world_to_save(shown.world_mut()), phases.save_at(k));
    }
}

#[test]
fn each_sides_view_of_a_phase_shows_only_what_that_side_saw_then() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let (_, phases) = Phases::load(&save).unwrap();
    let mut shown = new_game(&campaign(), Some(3), &[]).unwrap();
    let k = 4;
    phases.show(shown.world_mut(), k).unwrap();
    let soviets = phases
        .sides
        .values()
        .filter(|s| **s == Side::Soviet)
        .count();
    let japanese_see = august_storm::rules::fog::visible_enemies(shown.world(), Side::Japanese);
    assert!(
        !japanese_see.is_empty() && japanese_see.len() < soviets,
        "the Japanese side sees {} of {soviets} Soviet units on 11 August",
        japanese_see.len()
    );
    // And what it sees is what the game as played then showed it.
    let mut replayed = new_game(&campaign(), Some(3), &[]).unwrap();
    for entry in &phases.orders.entries[..phases.phases[k].orders] {
        replayed.submit(entry.order.clone()).unwrap();
    }
    assert_eq!(
        august_storm::rules::fog::visible_enemies(replayed.world(), Side::Japanese),
        japanese_see
    );
}

#[test]
fn the_viewer_finds_the_phases_of_battles_and_captures_and_each_events_phase() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let (_, phases) = Phases::load(&save).unwrap();
    let first = phases
        .next_moment(0, true, &[MomentKind::Capture])
        .expect("a place is taken in the first days");
    assert!(
        phases.phases[first]
            .moments
            .iter()
            .any(|m| m.kind == MomentKind::Capture && m.text.contains("taken by"))
    );
    assert!(
        phases.phases[1..first]
            .iter()
            .all(|p| p.moments.iter().all(|m| m.kind != MomentKind::Capture))
    );
    assert_eq!(
        phases.next_moment(first, false, &[MomentKind::Capture]),
        None
    );
    // Every event belongs to exactly the phase whose range holds it.
    for k in 0..phases.len() {
        for i in phases.phases[k].events.clone() {
            assert_eq!(phases.phase_of_event(i), Some(k));
        }
    }
    // A phase's battles are its battle events; its trails start where the units stood.
    let b = phases
        .next_moment(0, true, &[MomentKind::Battle])
        .expect("a battle is fought in the first days");
    assert!(!phases.battles(b).is_empty());
    assert!(phases.trails(1).iter().all(|(_, t)| t.len() >= 2));
    assert_eq!(phases.phase_of(2, Some(Side::Japanese)), Some(4));
    assert_eq!(phases.phase_of(2, None), Some(3));
}

#[test]
fn notes_pinned_in_the_viewer_are_saved_beside_the_save_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let before = std::fs::read(&save).unwrap();
    let mut notes = NotesFile::default();
    notes.pin(note(3, Some(Side::Soviet), "Over the Khingan"));
    notes.pin(note(1, None, "The first night"));
    // Pinning again at the same phase edits the note; an empty one removes it.
    notes.pin(note(3, Some(Side::Soviet), "Over the Greater Khingan"));
    notes.pin(note(4, None, "to be removed"));
    notes.pin(Note {
        turn: 4,
        side: None,
        title: String::new(),
        text: String::new(),
    });
    let path = save_notes(&save, &notes).unwrap();
    assert_eq!(path, dir.path().join("game.notes.ron"));
    assert_eq!(path, notes_path(&save));
    assert_eq!(
        std::fs::read(&save).unwrap(),
        before,
        "the save is untouched"
    );
    let back = load_notes_of(&save, Some(6)).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(back, notes);
    assert_eq!(
        back.notes.iter().map(|n| n.turn).collect::<Vec<_>>(),
        [1, 3]
    );
    assert_eq!(back.notes[1].title, "Over the Greater Khingan");
    assert_eq!(back.shown_at(1, Side::Soviet, true).len(), 1);
    assert!(back.shown_at(1, Side::Japanese, false).is_empty());
    // `check` knows a notes file.
    let (ok, out, err) = run(&["check", path.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    // And `replay` checks the notes beside the save with it.
    let (ok, out, err) = run(&["replay", save.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("game.notes.ron: 2 teacher's notes"), "{out}");
    std::fs::write(
        &path,
        "NotesFile(notes: [(turn: 9, title: \"Late\", text: \"\")])",
    )
    .unwrap();
    let (ok, _, err) = run(&["replay", save.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("reaches only turn 6"), "{err}");
}

#[test]
fn notes_are_never_written_over_the_save_or_a_file_not_named_for_notes() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("game.ron");
    std::fs::write(&save, "the save").unwrap();
    let notes = NotesFile::default();
    let e = august_storm::scenario::notes::write_notes(&save, &save, &notes).unwrap_err();
    assert!(e.to_string().contains("NAME.notes.ron"), "{e}");
    let other = dir.path().join("other.ron");
    assert!(august_storm::scenario::notes::write_notes(&other, &save, &notes).is_err());
    assert_eq!(std::fs::read_to_string(&save).unwrap(), "the save");
    assert!(!other.exists());
}

#[test]
fn a_bad_notes_file_is_refused_with_the_line_and_column_of_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("game.notes.ron");
    let cases: [(&str, &str, usize); 5] = [
        (
            "NotesFile(notes: [\n  (turn: 2, side: Some(Soviet), title: \"A\", txet: \"b\"),\n])",
            "txet",
            2,
        ),
        (
            "NotesFile(notes: [\n  (turn: 0, title: \"A\", text: \"b\"),\n])",
            "turn 0",
            2,
        ),
        (
            "NotesFile(notes: [\n  (turn: 2, title: \"\", text: \"b\"),\n])",
            "no title",
            2,
        ),
        (
            "NotesFile(notes: [\n  (turn: 2, title: \"A\", text: \"b\"),\n  (turn: 2, title: \"B\", text: \"c\"),\n])",
            "same turn",
            3,
        ),
        (
            "NotesFile(notes: [\n  (turn: 40, title: \"A\", text: \"b\"),\n])",
            "reaches only turn 6",
            2,
        ),
    ];
    for (text, says, line) in cases {
        std::fs::write(&path, text).unwrap();
        let d = load_notes(&path, Some(6)).expect_err(text);
        assert!(d[0].message.contains(says), "{says}: {}", d[0].message);
        assert_eq!(d[0].line, line, "{says}");
        assert!(d[0].col > 0);
        assert_eq!(d[0].file, path);
    }
    // `check` reports it, against the turns of the save beside it.
    saved_campaign(dir.path());
    let (ok, _, err) = run(&["check", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("reaches only turn 6"), "{err}");
    assert!(err.contains("game.notes.ron:2:"), "{err}");
}

#[test]
fn the_commented_timeline_has_each_turns_events_and_the_teachers_notes_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let (_, phases) = Phases::load(&save).unwrap();
    let capture_turn =
        phases.phases[phases.next_moment(0, true, &[MomentKind::Capture]).unwrap()].turn;
    let mut notes = NotesFile::default();
    notes.pin(Note {
        turn: capture_turn,
        side: Some(Side::Soviet),
        title: "The first towns fall".into(),
        text: "Ask the class: why <here> & why now?".into(),
    });
    save_notes(&save, &notes).unwrap();
    let s = save.to_str().unwrap();
    let txt = dir.path().join("class.txt");
    let (ok, out, err) = run(&["replay", s, "--notes", txt.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("5 turns, 1 teacher's note"), "{out}");
    let text = std::fs::read_to_string(&txt).unwrap();
    let turn = text
        .split(&format!("Turn {capture_turn}: "))
        .nth(1)
        .expect("the turn of the first capture has its section");
    let turn = turn.split("\nTurn ").next().unwrap();
    assert!(
        turn.contains("NOTE (Soviet phase): The first towns fall"),
        "{turn}"
    );
    assert!(turn.contains("Captured (Soviet phase): "), "{turn}");
    assert!(text.contains("Turn 1: Thursday 9 August 1945, 00:01"));
    assert!(text.contains("Battle ("), "{text}");

    let html = dir.path().join("class.html");
    let (ok, _, err) = run(&["replay", s, "--notes", html.to_str().unwrap()]);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg"), "the tank army's fuel is charted");
    assert!(page.contains("6th Guards Tank Army"));
    assert!(
        page.contains("why &lt;here&gt; &amp; why now?"),
        "the note is escaped"
    );
    assert!(
        !page.contains("<script"),
        "one page, nothing fetched or run"
    );

    let md = dir.path().join("class.md");
    let (ok, _, _) = run(&["replay", s, "--notes", md.to_str().unwrap()]);
    assert!(ok);
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("> **Note (Soviet phase): The first towns fall**")
    );
}

#[test]
fn the_timeline_is_never_written_over_what_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_campaign(dir.path());
    let before = std::fs::read(&save).unwrap();
    let s = save.to_str().unwrap();
    // The save under another name (a link), and a format that is none of the three.
    let link = dir.path().join("class.txt");
    std::os::unix::fs::symlink(&save, &link).unwrap();
    let (ok, _, err) = run(&["replay", s, "--notes", link.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("that is the save"), "{err}");
    let (ok, _, err) = run(&["replay", s, "--notes", s]);
    assert!(!ok);
    assert!(err.contains(".txt, .md or .html"), "{err}");
    assert_eq!(std::fs::read(&save).unwrap(), before);
}

#[test]
fn a_notes_file_cut_short_or_garbled_anywhere_is_refused_with_a_place_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("game.notes.ron");
    let mut notes = NotesFile::default();
    notes.pin(note(2, Some(Side::Soviet), "Über den Chingan — «Хинган»"));
    notes.pin(note(3, None, "Second"));
    august_storm::scenario::notes::write_notes(&path, &dir.path().join("game.ron"), &notes)
        .unwrap();
    let whole = std::fs::read_to_string(&path).unwrap();
    assert_eq!(load_notes(&path, None).unwrap(), notes);
    for (i, _) in whole.char_indices().skip(1) {
        for text in [
            whole[..i].to_string(),
            format!("{}){}", &whole[..i], &whole[i..]),
        ] {
            std::fs::write(&path, &text).unwrap();
            if let Err(d) = load_notes(&path, None) {
                assert!(!d.is_empty() && d.iter().all(|x| x.file == path), "{text}");
            }
        }
    }
}
