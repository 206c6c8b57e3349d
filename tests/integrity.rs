//! A save holds against a player who edits it: the whole file is hashed with BLAKE3, the
//! data files it was played from are named with their hashes, and a save recomputed by hand
//! is still played again from its seed and orders.

use std::path::Path;

use august_storm::rules::save::{load_game, save_game};
use august_storm::scenario::save::SaveFile;

use crate::common;
use common::{fixture, root};

/// The fixture scenario with its own copy of every file it is played from.
fn copy_of_the_fixture(dir: &Path) -> std::path::PathBuf {
    for f in ["tiny.ron", "tiny_map.ron", "tiny_logistics.ron"] {
        std::fs::copy(fixture(f), dir.join(f)).unwrap();
    }
    std::fs::copy(root().join("scenarios/rules.ron"), dir.join("rules.ron")).unwrap();
    let text = std::fs::read_to_string(dir.join("tiny.ron"))
        .unwrap()
        .replace("../../scenarios/rules.ron", "rules.ron");
    std::fs::write(dir.join("tiny.ron"), text).unwrap();
    dir.join("tiny.ron")
}

fn saved_game(dir: &Path) -> std::path::PathBuf {
    let scenario = copy_of_the_fixture(dir);
    let mut g = common::game_of(&scenario, Some(5));
    g.run_until_turn(3);
    let save = dir.join("game.ron");
    save_game(&mut g, &save).unwrap();
    save
}

fn refusal(save: &Path) -> String {
    load_game(save).err().expect("refused")[0].message.clone()
}

#[test]
fn a_save_names_every_file_it_was_played_from_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_game(dir.path());
    let s: SaveFile = ron::from_str(&std::fs::read_to_string(&save).unwrap()).unwrap();
    let roles: Vec<(&str, &str)> = s
        .inputs
        .iter()
        .map(|i| (i.role.as_str(), i.file.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("scenario", "tiny.ron"),
            ("map", "tiny_map.ron"),
            ("rules", "rules.ron"),
            ("logistics", "tiny_logistics.ron"),
        ]
    );
    assert!(s.inputs.iter().all(|i| i.blake3.len() == 64));
    assert!(s.checksum.starts_with("blake3:"));
    assert!(load_game(&save).is_ok());
}

#[test]
fn a_save_whose_rules_file_changed_since_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_game(dir.path());
    let rules = dir.path().join("rules.ron");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, format!("// edited\n{text}")).unwrap();
    assert_eq!(
        refusal(&save),
        "the rules file rules.ron has changed since this game was started: this save would no longer give the game it records"
    );
}

#[test]
fn a_save_whose_state_was_edited_anywhere_is_refused_by_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_game(dir.path());
    let text = std::fs::read_to_string(&save).unwrap();
    for (from, to) in [
        ("finished: false", "finished: true"),
        ("turn: 3", "turn: 2"),
    ] {
        std::fs::write(&save, text.replacen(from, to, 1)).unwrap();
        assert!(
            refusal(&save).starts_with(
                "this save was changed after the game wrote it: its contents no longer match its checksum"
            ),
            "{from}"
        );
    }
}

#[test]
fn a_save_whose_checksum_a_forger_recomputed_is_still_refused_by_its_replay() {
    let dir = tempfile::tempdir().unwrap();
    let save = saved_game(dir.path());
    let text = std::fs::read_to_string(&save).unwrap();
    let seed = text
        .lines()
        .find(|l| l.trim_start().starts_with("seed:"))
        .unwrap();
    std::fs::write(
        &save,
        common::restamp(&text.replacen(seed, "  seed: 6,", 1)),
    )
    .unwrap();
    let m = refusal(&save);
    assert!(
        m.starts_with("this save is not what its own orders give"),
        "{m}"
    );
}
