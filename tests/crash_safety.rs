//! Saves survive crashes: a process killed with SIGKILL at random moments while it saves
//! over and over always leaves a save that loads.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use august_storm::cli::simulate::play;
use august_storm::model::Side;
use august_storm::rules::save::{load_game, save_game};
use common::*;

const TRIALS: u64 = 100;
const CHILD_ENV: &str = "AUGUST_STORM_SAVE_LOOP";

/// The child: plays the fixture game turn by turn, saving after every phase, for ever (a new
/// seed each time the campaign ends), so that nearly all its time is spent inside
/// `save_game`. Runs only when the parent test starts it.
#[test]
#[ignore = "started by saves_killed_mid_write_leave_the_previous_save_whole"]
fn save_loop_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let path = Path::new(&path);
    for seed in 0.. {
        let mut g = game_of(&fixture("tiny.ron"), Some(seed));
        while !g.calendar().finished {
            let turn = g.calendar().turn;
            play(&mut g, &[], &[Side::Soviet, Side::Japanese], turn + 1);
            save_game(&mut g, path).expect("saves");
        }
    }
}

/// The child test's full name in this test binary: its module's path without the crate's
/// name (`crash_safety::save_loop_child`, as the harness names it).
fn child_test_name() -> String {
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    if module.is_empty() {
        "save_loop_child".into()
    } else {
        format!("{module}::save_loop_child")
    }
}

/// Leftover temporary files beside the save, from writers killed before their rename.
fn leftovers(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".tmp-"))
        .collect()
}

#[test]
fn saves_killed_mid_write_leave_the_previous_save_whole() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("game.ron");
    let mut mid_write = 0;
    // A fixed linear congruential sequence: random-looking delays, the same every run.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for trial in 0..TRIALS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", &child_test_name(), "--ignored", "--nocapture"])
            .env(CHILD_ENV, &save)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The first trial waits for a first save; later ones already have one to lose.
        let t0 = Instant::now();
        while !save.exists() {
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "the child never saved"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // Up to 300 ms: past the child's start-up (a few tens of ms) into its save loop.
        std::thread::sleep(Duration::from_micros((x >> 33) % 300_000));
        child.kill().unwrap(); // SIGKILL: no destructors, no flushing.
        child.wait().unwrap();
        let stale = leftovers(dir.path());
        if !stale.is_empty() {
            mid_write += 1;
        }
        if let Err(d) = load_game(&save) {
            panic!("trial {trial}: the save does not load after a kill: {d:#?}");
        }
        for p in stale {
            std::fs::remove_file(p).unwrap();
        }
    }
    eprintln!("{TRIALS} kills, {mid_write} of them with a temporary file half written");
}
