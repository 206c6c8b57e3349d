//! The game window, in a real window under Xvfb with software Vulkan: the historical scenario
//! opens, a few orders go through the same input path a click takes (select a unit, march it,
//! end the turn, save), and the screenshots show the map, counters and panels while the save
//! shows that the orders reached the model.
//!
//! Needs `xvfb-run` and a Vulkan driver (mesa-vulkan-drivers); `.ci/run` installs both. Where
//! `xvfb-run` is missing the test says so and passes, unless AUGUST_STORM_GUI_TEST=require.
#![cfg(feature = "gui")]

mod window;

use std::path::{Path, PathBuf};
use std::process::Command;

use august_storm::model::{Hex, Order};
use august_storm::rules::save::load_game;
use window::root;

fn have_xvfb() -> bool {
    window::have("xvfb-run", "the window tests are")
}

/// Runs `play` in a fresh working directory (where it writes `saves/`) and returns that
/// directory and the screenshot's path.
fn play(dir: &Path, shot: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(shot);
    let scenario = root().join("scenarios/august_storm_1945.ron");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_august-storm"))
        .arg("play")
        .arg("--scenario")
        .arg(&scenario)
        .arg("--screenshot")
        .arg(&out)
        .args(args)
        .current_dir(dir)
        .env("XDG_RUNTIME_DIR", dir)
        .status()
        .expect("xvfb-run starts");
    assert!(status.success(), "play {args:?} failed: {status}");
    assert!(out.exists(), "no screenshot at {}", out.display());
    out
}

/// The screenshot as RGB rows.
fn pixels(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("the screenshot opens"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let step = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .chunks(step)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

/// How many distinct colours a rectangle of the frame holds (coarsely quantised).
fn colours_in(img: &(u32, u32, Vec<[u8; 3]>), x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let (w, _, px) = img;
    let mut set = std::collections::BTreeSet::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let p = px[(y * w + x) as usize];
            set.insert([p[0] >> 3, p[1] >> 3, p[2] >> 3]);
        }
    }
    set.len()
}

#[test]
fn the_window_draws_the_map_and_takes_orders_by_the_click_path() {
    if !have_xvfb() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Select the spearhead, march it east, end the turn, then save.
    let shot = play(
        dir.path(),
        "turn.png",
        &[
            "--side",
            "soviet",
            "--frames",
            "8",
            "--script",
            "select:5th Guards Tank Corps;move:38,70;end;select:5th Guards Tank Corps;save;zoom:1.3;centre:Hailar;overlay:supply",
        ],
    );
    let img = pixels(&shot);
    assert_eq!((img.0, img.1), (1280, 720));
    // The map (the middle), the unit panel (left) and the log (right) are all drawn: none is
    // blank or a single colour.
    let map = colours_in(&img, 400, 100, 900, 600);
    let left = colours_in(&img, 0, 30, 280, 300);
    let right = colours_in(&img, 1010, 30, 1270, 300);
    let top = colours_in(&img, 0, 0, 1280, 20);
    assert!(map > 40, "the map area has {map} colours");
    assert!(left > 4, "the unit panel has {left} colours");
    assert!(right > 4, "the log panel has {right} colours");
    assert!(top > 4, "the top bar has {top} colours");

    // The orders reached the model: the save holds the march order and the unit moved.
    let save = dir.path().join("saves/quicksave.ron");
    assert!(save.exists(), "the script's save was not written");
    let text = std::fs::read_to_string(&save).expect("the save reads");
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    let unit = saved
        .units
        .iter()
        .find(|u| u.name == "5th Guards Tank Corps")
        .expect("the unit is in the save");
    assert!(
        saved.orders.entries.iter().any(|e| e.order
            == Order::MoveTo {
                unit: unit.id,
                to: Hex::from_offset(38, 70)
            }),
        "the march order is not in the order log"
    );
    assert_eq!(saved.calendar.turn, 2, "the turn was ended once");
    let mut fresh = august_storm::cli::simulate::new_game(
        &root().join("scenarios/august_storm_1945.ron"),
        None,
        &[],
    )
    .expect("the scenario loads");
    let id = fresh
        .unit_id("5th Guards Tank Corps")
        .expect("the unit exists");
    assert_ne!(
        Some(unit.at),
        fresh.position(id),
        "the unit still stands where it started"
    );
    load_game(&save).expect("the window's save loads in the headless engine");
}

#[test]
fn a_finished_game_opens_on_the_debrief() {
    if !have_xvfb() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Play the teaching scenario to its end headless, AI against AI, and open the save.
    let mut game = august_storm::cli::simulate::new_game(
        &root().join("scenarios/across_the_khingan.ron"),
        None,
        &[],
    )
    .expect("the scenario loads");
    use august_storm::model::Side;
    august_storm::cli::simulate::play(&mut game, &[], &[Side::Soviet, Side::Japanese], u32::MAX);
    assert!(game.calendar().finished);
    let save = dir.path().join("end.ron");
    august_storm::rules::save::save_game(&mut game, &save).expect("the save is written");
    let shot = play(
        dir.path(),
        "debrief.png",
        &[
            "--side",
            "watch",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--frames",
            "6",
        ],
    );
    let img = pixels(&shot);
    // Tables and charts: many colours, over the whole width (no map, no side panels).
    let left = colours_in(&img, 0, 0, 640, 720);
    let right = colours_in(&img, 640, 0, 1280, 720);
    assert!(left > 8, "the debrief's tables have {left} colours");
    assert!(right > 8, "the debrief's charts have {right} colours");
}

#[test]
fn ending_a_hotseat_turn_hides_the_map() {
    if !have_xvfb() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Hotseat: ending the Soviet turn hides the map behind the hand-over screen.
    let shot = play(
        dir.path(),
        "handover.png",
        &["--side", "hotseat", "--frames", "4", "--script", "end"],
    );
    let img = pixels(&shot);
    // The map is hidden: the middle of the screen is the panel's plain background with a few
    // words, not the many colours of the map.
    let middle = colours_in(&img, 300, 300, 1000, 700);
    assert!(
        middle < 30,
        "the map shows through the hand-over screen ({middle} colours)"
    );
    let words = colours_in(&img, 300, 150, 1000, 300);
    assert!(words > 2, "the hand-over screen has no text");
}

#[test]
fn the_forward_detachment_button_hands_it_the_fuel_of_the_units_beside_it() {
    if !have_xvfb() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The historical campaign played headless to the morning of 12 August, when the tank
    // army's corps are running dry side by side; then the button, from the window.
    let mut game = august_storm::cli::simulate::new_game(
        &root().join("scenarios/august_storm_1945.ron"),
        Some(1),
        &[],
    )
    .expect("the scenario loads");
    use august_storm::model::Side;
    const TURN: u32 = 8;
    august_storm::cli::simulate::play(&mut game, &[], &[Side::Soviet, Side::Japanese], TURN);
    assert_eq!(game.calendar().turn, TURN);
    let start = dir.path().join("start.ron");
    august_storm::rules::save::save_game(&mut game, &start).expect("the save is written");
    play(
        dir.path(),
        "fuel.png",
        &[
            "--side",
            "soviet",
            "--load",
            start.to_str().expect("a UTF-8 path"),
            "--frames",
            "4",
            "--script",
            "select:5th Guards Tank Corps;fuel;save",
        ],
    );
    let save = dir.path().join("saves/quicksave.ron");
    let text = std::fs::read_to_string(&save).expect("the script's save was written");
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    let lead = saved
        .units
        .iter()
        .find(|u| u.name == "5th Guards Tank Corps")
        .map(|u| u.id)
        .expect("the unit is in the save");
    let handed: f64 = saved
        .orders
        .entries
        .iter()
        .filter(|e| e.turn == TURN)
        .filter_map(|e| match e.order {
            Order::TransferFuel { from, to, tons } if to == lead && from != lead => Some(tons),
            _ => None,
        })
        .sum();
    assert!(handed > 0.0, "the button ordered no fuel handed over");
}

/// `play --frame-times`: a scripted pan and zoom over the theatre (`tour:N`) is timed frame by
/// frame, the warm-up left out, and the figures written as JSON; the screenshot's path is
/// not needed, the window closes by itself. Only that it measures is checked here: the
/// figures themselves go in the README's benchmarks (benches/frames.sh).
#[test]
fn a_scripted_tour_writes_its_frame_times() {
    if !have_xvfb() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("frames.json");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_august-storm"))
        .arg("play")
        .arg("--scenario")
        .arg(root().join("scenarios/august_storm_1945.ron"))
        .args(["--side", "soviet", "--script", "tour:50", "--frame-times"])
        .arg(&out)
        .current_dir(dir.path())
        .env("XDG_RUNTIME_DIR", dir.path())
        .status()
        .expect("xvfb-run starts");
    assert!(status.success(), "play --frame-times failed: {status}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the frame times")).unwrap();
    // 50 frames, of which the first 30 warm up.
    assert_eq!(v["frames"], 20, "{v}");
    assert_eq!(v["frame_ms"].as_array().unwrap().len(), 20);
    assert_eq!(v["window"][0], 1280);
    let (median, p95) = (
        v["median_ms"].as_f64().unwrap(),
        v["p95_ms"].as_f64().unwrap(),
    );
    assert!(median > 0.0 && p95 >= median, "{v}");

    // The output is refused where it would write over what the window reads.
    let scenario = dir.path().join("copy.ron");
    std::fs::copy(root().join("scenarios/august_storm_1945.ron"), &scenario).unwrap();
    let before = std::fs::read(&scenario).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_august-storm"))
        .arg("play")
        .arg("--scenario")
        .arg(&scenario)
        .args(["--script", "tour:5", "--frame-times"])
        .arg(&scenario)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--frame-times") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(std::fs::read(&scenario).unwrap(), before);
}
