//! Clicks, the wheel and hovering over the panels reach the panels and never the map under
//! them, in every way the game can be started (the title's Start and its quick-save button,
//! `--load`, `--script`, F9), driven by real X events (xdotool) into the window under Xvfb.
//!
//! The window reports what it shows through `--script report:FILE` (the selected unit,
//! where each panel control was drawn, the zoom); the test waits for that file to say what a
//! click should have done. Needs `xvfb-run` and `xdotool`; where either is missing the tests
//! say so and pass, unless AUGUST_STORM_GUI_TEST=require.
#![cfg(feature = "gui")]

mod window;

use std::path::{Path, PathBuf};
use std::process::Command;

use august_storm::model::{Order, Side};
use serde_json::Value;
use window::{Game, ONE_WINDOW, centre_of, control, root};

/// A corps of the tank army standing on open ground on 11 August, where transports can land.
const UNIT: &str = "9th Guards Mechanized Corps";

fn have(tool: &str) -> bool {
    window::have(tool, "the window input tests are")
}

impl Game {
    /// `play` of the historical campaign with these arguments in `dir`.
    fn start(dir: &Path, args: &[&str]) -> Game {
        Game::start_scenario(dir, &root().join("scenarios/august_storm_1945.ron"), args)
    }

    /// As `start`, with another scenario.
    fn start_scenario(dir: &Path, scenario: &Path, args: &[&str]) -> Game {
        let mut all: Vec<&std::ffi::OsStr> = vec!["--scenario".as_ref(), scenario.as_os_str()];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        Game::play(dir, &all)
    }
}

fn selected(r: &Value) -> Option<&str> {
    r.get("selected").and_then(Value::as_str)
}

/// A save of the historical campaign at noon on 11 August (turn 6), when the tank army's
/// corps are in reach of the transport fleets; written as `saves/quicksave.ron`.
fn save_on_11_august(dir: &Path) -> PathBuf {
    let mut game = august_storm::cli::simulate::new_game(
        &root().join("scenarios/august_storm_1945.ron"),
        Some(1),
        &[],
    )
    .expect("the scenario loads");
    august_storm::cli::simulate::play(&mut game, &[], &[Side::Soviet, Side::Japanese], 6);
    let path = dir.join("saves/quicksave.ron");
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("saves/ is made");
    august_storm::rules::save::save_game(&mut game, &path).expect("the save is written");
    path
}

fn script() -> String {
    format!("select:{UNIT};report:report.json")
}

/// With the unit selected and its panel drawn: hovering, clicking and turning the wheel over
/// the panels and the Explain window work those and leave the map (and the selection) alone.
fn the_panels_take_their_input(game: &mut Game, airlift: bool) {
    let r = game.wait_for("the unit's panel is drawn", |r| {
        selected(r) == Some(UNIT) && control(r, "explain").is_some()
    });
    // The pointer on the map hovers a hex there ...
    let map = r["map"].as_array().expect("the map's rectangle");
    let m: Vec<f64> = map.iter().filter_map(Value::as_f64).collect();
    game.point_at([(m[0] + m[2]) / 2.0, (m[1] + m[3]) / 2.0]);
    game.wait_for("the pointer is on the map", |r| {
        r["pointer_on_map"] == true && r["hovered"] == true
    });
    // ... and over the panel it hovers nothing under the panel: no march preview there.
    let explain = control(&r, "explain").expect("the Explain button");
    game.point_at(centre_of(explain));
    let r = game.wait_for("the pointer is over the panel", |r| {
        r["pointer_on_map"] == false
    });
    assert_eq!(r["hovered"], false, "the panel hovers the map under it");
    assert_eq!(
        r["preview"], false,
        "the panel drives a march preview under it"
    );

    // The Explain button opens the window and the unit stays selected.
    game.click_at(centre_of(explain));
    let r = game.wait_for("the Explain button takes the click", |r| {
        r["explain"] == true && control(r, "explain window").is_some()
    });
    assert_eq!(selected(&r), Some(UNIT), "the click deselected the unit");
    let zoom = r["zoom"].as_f64().expect("the zoom");

    // The wheel over the Explain window scrolls it, not the map behind it. (What comes next
    // is seen only after the wheel's events, which arrive first.)
    let window = control(&r, "explain window").expect("the Explain window");
    let at = centre_of(window);
    game.point_at(at);
    // The pointer rests over the window (as a hand does before turning the wheel).
    game.wait_for("the pointer is over the Explain window", |r| {
        r["pointer_on_map"] == false
            && r["pointer"] == serde_json::json!([at[0].round(), at[1].round()])
    });
    game.wheel_at(at);

    if airlift {
        // The slider takes the click where it is pressed, not the map under it.
        let slider = control(&r, "airlift slider")
            .unwrap_or_else(|| panic!("no airlift slider; the window reported {r}"));
        let before = r["airlift_tons"].as_f64().unwrap_or_default();
        // Near the left end of its rail, away from where its handle stands.
        game.click_at([slider[0] + 12.0, (slider[1] + slider[3]) / 2.0]);
        let r = game.wait_for("the airlift slider takes the click", |r| {
            r["airlift_tons"].as_f64() != Some(before)
        });
        assert_eq!(
            selected(&r),
            Some(UNIT),
            "the slider's click deselected the unit"
        );
        // The first base's button orders the flight (or says why not): it took the click.
        let button = control(&r, "airlift 1").expect("an airlift button");
        game.click_at(centre_of(button));
        let r = game.wait_for("the airlift button takes the click", |r| {
            r["toast"].is_string()
        });
        assert_eq!(
            selected(&r),
            Some(UNIT),
            "the button's click deselected the unit"
        );
    } else {
        // Close the Explain window with its button: a click whose effect shows.
        game.click_at(centre_of(explain));
        game.wait_for("the Explain button takes the second click", |r| {
            r["explain"] == false
        });
    }
    let r = game.report().expect("a report");
    assert_eq!(
        r["zoom"].as_f64(),
        Some(zoom),
        "the wheel over the Explain window zoomed the map"
    );
    assert_eq!(selected(&r), Some(UNIT));
}

/// The save written at the end holds the flight the panel's button ordered.
fn the_save_holds_the_airlift(game: &mut Game) {
    let save = game.dir.join("saves/quicksave.ron");
    let _ = std::fs::remove_file(&save);
    game.key("F5");
    let text = game.wait_until("the game is saved", || std::fs::read_to_string(&save).ok());
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    assert!(
        saved
            .orders
            .entries
            .iter()
            .any(|e| matches!(e.order, Order::Airlift { .. })),
        "the airlift button's order is not in the save"
    );
}

#[test]
fn after_load_clicks_on_the_panel_work_the_panel_not_the_map() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--script",
            &script(),
        ],
    );
    the_panels_take_their_input(&mut game, true);
    the_save_holds_the_airlift(&mut game);
}

#[test]
fn after_a_script_clicks_on_the_panel_work_the_panel_not_the_map() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = Game::start(dir.path(), &["--side", "soviet", "--script", &script()]);
    the_panels_take_their_input(&mut game, false);
}

#[test]
fn from_the_title_clicks_on_the_panel_work_the_panel_not_the_map() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--script",
            &format!("title;{}", script()),
        ],
    );
    let r = game.wait_for("the title's Start button", |r| {
        r["screen"] == "Title" && control(r, "start").is_some()
    });
    game.click_at(centre_of(control(&r, "start").expect("Start")));
    the_panels_take_their_input(&mut game, false);
}

#[test]
fn from_the_titles_quick_save_clicks_on_the_panel_work_the_panel_not_the_map() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    save_on_11_august(dir.path());
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--script",
            &format!("title;{}", script()),
        ],
    );
    let r = game.wait_for("the title's quick-save button", |r| {
        r["screen"] == "Title" && control(r, "Load the quick save").is_some()
    });
    game.click_at(centre_of(
        control(&r, "Load the quick save").expect("the quick-save button"),
    ));
    the_panels_take_their_input(&mut game, true);
    the_save_holds_the_airlift(&mut game);
}

#[test]
fn after_f9_clicks_on_the_panel_work_the_panel_not_the_map() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    save_on_11_august(dir.path());
    let mut game = Game::start(dir.path(), &["--side", "soviet", "--script", &script()]);
    game.wait_for("the script has run", |r| {
        r["script_done"] == true && selected(r) == Some(UNIT)
    });
    // Keys go to the window under the pointer.
    game.point_at([640.0, 360.0]);
    game.key("F9");
    let r = game.wait_for("the quick save is loaded", |r| {
        r["toast"].as_str().is_some_and(|t| t.starts_with("loaded"))
            && selected(r).is_none()
            && r["unit_on_screen"].is_array()
    });
    // A click on the unit's counter selects it: clicks on the map still reach the map.
    let at: Vec<f64> = r["unit_on_screen"]
        .as_array()
        .expect("where the unit is")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    // Clicks on one hex go through its stack, one unit a click.
    for n in 1..=8 {
        game.click_at([at[0], at[1]]);
        let r = game.wait_for("a click on the counter selects a unit", |r| {
            r["clicks"].as_u64() == Some(n)
        });
        if selected(&r) == Some(UNIT) {
            break;
        }
    }
    the_panels_take_their_input(&mut game, true);
    the_save_holds_the_airlift(&mut game);
}

#[test]
fn a_second_right_click_replaces_the_march_instead_of_being_refused() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let shot = dir.path().join("orders.png");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_august-storm"))
        .arg("play")
        .arg("--scenario")
        .arg(root().join("scenarios/august_storm_1945.ron"))
        .args(["--side", "soviet", "--load"])
        .arg(&save)
        .args(["--frames", "3", "--screenshot"])
        .arg(&shot)
        .arg("--script")
        .arg(format!("select:{UNIT};move:45,46;move:47,49;save"))
        .current_dir(dir.path())
        .env("XDG_RUNTIME_DIR", dir.path())
        .status()
        .expect("xvfb-run starts");
    assert!(status.success(), "play failed: {status}");
    let text = std::fs::read_to_string(&save).expect("the script's save was written");
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    let unit = saved
        .units
        .iter()
        .find(|u| u.name == UNIT)
        .map(|u| u.id)
        .expect("the unit is in the save");
    let turn = saved.calendar.turn;
    // Its last march order this turn is the second one, given after its first was taken back.
    let last = saved
        .orders
        .entries
        .iter()
        .filter(|e| e.turn == turn && e.order.unit() == Some(unit))
        .map(|e| &e.order)
        .next_back();
    assert_eq!(
        last,
        Some(&Order::MoveTo {
            unit,
            to: august_storm::model::Hex::from_offset(47, 49)
        }),
        "the second right-click did not replace the march"
    );
    let refused = saved.events.events.iter().any(|e| {
        e.turn == turn
            && matches!(
                e.event,
                august_storm::model::GameEvent::OrderRejected { .. }
            )
    });
    assert!(!refused, "the second right-click was refused");
}

#[test]
fn hovering_an_enemy_under_fog_tells_only_what_intelligence_estimates() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let text = std::fs::read_to_string(&save).expect("the save reads");
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    // The garrison of Hailar's works, in sight of the Soviet spearheads on 11 August.
    let garrison = saved
        .units
        .iter()
        .find(|u| u.name == "80th Independent Mixed Brigade")
        .expect("the brigade is in the save");
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--script",
            &{
                let (c, r) = garrison.at.to_offset();
                format!("hover:{c},{r};report:report.json")
            },
        ],
    );
    let r = game.wait_for("the hover box names the brigade", |r| {
        r["hover_text"].as_array().is_some_and(|l| {
            l.iter().any(|x| {
                x.as_str()
                    .is_some_and(|t| t.starts_with("80th Independent Mixed Brigade"))
            })
        })
    });
    let line = r["hover_text"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .find(|t| t.starts_with("80th Independent Mixed Brigade"))
        })
        .expect("the brigade's line")
        .to_string();
    assert!(
        line.contains("by our estimate") || line.contains("strength unknown"),
        "the hover box gives the enemy's strength as fact: {line}"
    );
}

#[test]
fn a_right_click_on_an_enemy_out_of_reach_marches_next_to_it() {
    if !have("xvfb-run") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_august-storm"))
        .arg("play")
        .arg("--scenario")
        .arg(root().join("scenarios/august_storm_1945.ron"))
        .args(["--side", "soviet", "--load"])
        .arg(&save)
        .args(["--frames", "3", "--screenshot"])
        .arg(dir.path().join("beside.png"))
        .arg("--script")
        // Hailar, its works held by the 80th Independent Mixed Brigade, far behind the corps
        // on 11 August.
        .arg(format!("select:{UNIT};move:Hailar;save"))
        .current_dir(dir.path())
        .env("XDG_RUNTIME_DIR", dir.path())
        .status()
        .expect("xvfb-run starts");
    assert!(status.success(), "play failed: {status}");
    let text = std::fs::read_to_string(&save).expect("the script's save was written");
    let saved: august_storm::scenario::save::SaveFile =
        ron::from_str(&text).expect("the save parses");
    let unit = saved
        .units
        .iter()
        .find(|u| u.name == UNIT)
        .map(|u| u.id)
        .expect("the unit is in the save");
    let hailar = saved
        .units
        .iter()
        .find(|u| u.name == "80th Independent Mixed Brigade")
        .map(|u| u.at)
        .expect("the garrison is in the save");
    let to = saved
        .orders
        .entries
        .iter()
        .filter(|e| e.turn == saved.calendar.turn)
        .find_map(|e| match e.order {
            Order::MoveTo { unit: u, to } if u == unit => Some(to),
            _ => None,
        })
        .expect("the right-click ordered no march");
    assert_eq!(
        to.distance(hailar),
        1,
        "the march does not end beside the enemy"
    );
}

#[test]
fn every_march_ordered_stays_on_the_map_until_the_turn_ends() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--script",
            &format!(
                "select:{UNIT};move:45,46;select:5th Guards Tank Corps;move:46,52;report:report.json"
            ),
        ],
    );
    // Both marches drawn, each with its turns, and the last one confirmed in words.
    let r = game.wait_for("both marches are drawn", |r| {
        r["script_done"] == true && r["planned"].as_array().is_some_and(|p| p.len() == 2)
    });
    assert!(
        r["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("5th Guards Tank Corps marches to")),
        "the order is not confirmed: {}",
        r["toast"]
    );
    assert!(
        r["planned"]
            .as_array()
            .expect("the marches")
            .iter()
            .all(|p| p["turns"].as_u64().is_some_and(|t| t >= 1)),
        "a march is drawn without its turns"
    );
    // The turn ends: the marches are carried out and no longer drawn.
    game.point_at([640.0, 360.0]);
    game.key("Return");
    game.wait_for("the marches are cleared when the turn ends", |r| {
        r["planned"].as_array().is_some_and(|p| p.is_empty())
    });
}

#[test]
fn after_the_enemys_phase_the_player_reads_what_happened_since_his_turn() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--script",
            "end;report:report.json",
        ],
    );
    // Noon on 11 August ends: the places taken then are in the report, dated in words.
    let r = game.wait_for("the report since the last turn", |r| {
        r["since_your_turn"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    });
    let lines: Vec<&str> = r["since_your_turn"]
        .as_array()
        .expect("the lines")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        lines.iter().all(|l| l.starts_with("11 Aug, 12:01 · ")),
        "the report's lines: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains(" taken by ")),
        "no place that changed hands in: {lines:?}"
    );
}

#[test]
fn watching_the_ai_pauses_with_space_and_steps_one_phase_with_n() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = Game::start(
        dir.path(),
        &["--side", "watch", "--script", "report:report.json"],
    );
    game.wait_for("the game is on the map", |r| r["phase"].is_string());
    game.point_at([640.0, 360.0]);
    game.key("space");
    let r = game.wait_for("the watch is paused", |r| r["paused"] == true);
    let phase = r["phase"].clone();
    game.key("n");
    let r = game.wait_for("one phase is played", |r| r["phase"] != phase);
    assert_eq!(r["paused"], true, "stepping resumed the watch");
}

#[test]
fn a_game_by_e_mail_is_played_in_the_window_and_ending_the_turn_writes_the_turn_to_send() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let scenario = root().join("scenarios/august_storm_1945.ron");
    let (soviet, opened) = august_storm::pbem::open_game(
        &scenario,
        scenario.to_str().expect("a UTF-8 path"),
        &[],
        Side::Soviet,
    )
    .expect("a game is opened");
    let (_, joined) = august_storm::pbem::join_game(&opened, &scenario).expect("and joined");
    let (game_file, key_file, turn_file) = (
        dir.path().join("game.ron"),
        dir.path().join("key.ron"),
        dir.path().join("turn.ron"),
    );
    std::fs::write(&game_file, ron::to_string(&joined).unwrap()).unwrap();
    std::fs::write(&key_file, ron::to_string(&soviet).unwrap()).unwrap();
    let mut game = Game::start(
        dir.path(),
        &[
            "--pbem",
            game_file.to_str().unwrap(),
            "--key",
            key_file.to_str().unwrap(),
            "--send",
            turn_file.to_str().unwrap(),
            "--script",
            "select:5th Guards Tank Corps;move:46,52;report:report.json",
        ],
    );
    let r = game.wait_for("the march is ordered and the End turn button drawn", |r| {
        r["script_done"] == true && control(r, "end turn").is_some()
    });
    let end = control(&r, "end turn").expect("the End turn button");
    game.click_at(centre_of(end));
    let r = game.wait_for("the turn is sent", |r| {
        r["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("Turn sent"))
    });
    assert!(
        r["toast"].as_str().unwrap().contains("turn.ron"),
        "{}",
        r["toast"]
    );
    // The turn file holds the march, signed by the Soviet player, for the other to open.
    let sent: august_storm::pbem::Record =
        ron::from_str(&std::fs::read_to_string(&turn_file).expect("the turn file")).unwrap();
    let last = sent.turns.last().expect("a turn");
    assert_eq!(last.side, Side::Soviet);
    match &last.body {
        august_storm::pbem::Body::Orders { turn, orders, .. } => {
            assert_eq!(*turn, 1);
            assert!(
                orders.iter().any(|o| matches!(o, Order::MoveTo { .. })),
                "{orders:?}"
            );
        }
        other => panic!("not an orders turn: {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&game_file).unwrap(),
        std::fs::read_to_string(&turn_file).unwrap(),
        "the player's copy is the turn sent"
    );
    // A second End turn sends nothing more: the game waits for the other player.
    game.click_at(centre_of(end));
    game.wait_for("the window says the turn is already sent", |r| {
        r["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("your turn is sent"))
    });
}

#[test]
fn a_game_by_e_mail_is_begun_and_opened_from_the_title_screen_with_real_clicks_and_typing() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = Game::start(
        dir.path(),
        &["--side", "soviet", "--script", "title;report:report.json"],
    );
    let r = game.wait_for("the title's Play by e-mail header", |r| {
        r["screen"] == "Title" && control(r, "pbem").is_some()
    });
    game.click_at(centre_of(control(&r, "pbem").expect("the header")));
    game.wait_for("the form opens", |r| control(r, "pbem new").is_some());
    // On a small screen the form runs below the fold: the wheel scrolls the title to it.
    game.point_at([640.0, 400.0]);
    game.xdotool(&["click", "--repeat", "6", "5"]);
    let r = game.wait_for("the form is scrolled into view", |r| {
        control(r, "pbem new").is_some_and(|c| c[3] < 715.0)
    });
    // A new game of the scenario and side chosen above: the key and the game file written.
    game.click_at(centre_of(
        control(&r, "pbem new").expect("New game by e-mail"),
    ));
    let (saved, key) = (
        dir.path().join("pbem/game.ron"),
        dir.path().join("pbem/key.ron"),
    );
    let text = game.wait_until("the game file is written", || {
        std::fs::read_to_string(&saved).ok()
    });
    assert!(key.exists(), "no key file");
    // Opened before the other player has accepted: refused, with the reason on the title.
    game.click_at(centre_of(control(&r, "pbem open").expect("Open")));
    let r = game.wait_for("the title says why", |r| {
        r["screen"] == "Title"
            && control(r, "pbem open").is_some()
            && r["pbem_form"]["message_ok"] == false
            && r["pbem_form"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
    });
    // The other player accepts (here by the library) and sends the file back.
    let opened: august_storm::pbem::Record = ron::from_str(&text).expect("a record");
    let (_, joined) =
        august_storm::pbem::join_game(&opened, &root().join("scenarios/august_storm_1945.ron"))
            .expect("joined");
    let back = dir.path().join("from-ben.ron");
    std::fs::write(&back, ron::to_string(&joined).unwrap()).unwrap();
    // Its name typed into the form, as a player does, and the game opened.
    let field = control(&r, "pbem received").expect("the received field");
    game.click_at(centre_of(field));
    game.xdotool(&["windowfocus", "--sync", &game.window.clone()]);
    game.xdotool(&["type", "--delay", "20", "from-ben.ron"]);
    // Every key read by the window before Open is pressed (a slow frame can still hold some).
    let r = game.wait_for("the file's name is in the field", |r| {
        r["pbem_form"]["received"] == "from-ben.ron"
    });
    game.click_at(centre_of(control(&r, "pbem open").expect("Open")));
    let r = game.wait_for("the map opens on the Soviet phase", |r| {
        r["screen"] == "Playing" && control(r, "end turn").is_some()
    });
    assert_eq!(r["phase"], "turn 1 Soviet");
    game.click_at(centre_of(control(&r, "end turn").expect("End turn")));
    game.wait_for("the turn is sent", |r| {
        r["toast"]
            .as_str()
            .is_some_and(|t| t.starts_with("Turn sent"))
    });
    let sent: august_storm::pbem::Record = ron::from_str(
        &std::fs::read_to_string(dir.path().join("pbem/turn.ron")).expect("the turn file"),
    )
    .unwrap();
    assert_eq!(sent.turns.len(), 3);
    assert_eq!(sent.turns[2].side, Side::Soviet);
}

#[test]
fn the_teaching_scenarios_briefing_is_read_and_closed_with_a_real_click_on_begin() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let teaching = root().join("scenarios/across_the_khingan.ron");
    let mut game = Game::start_scenario(
        dir.path(),
        &teaching,
        &[
            "--side",
            "soviet",
            "--script",
            "briefing;report:report.json",
        ],
    );
    let r = game.wait_for("the briefing is shown with its Begin button", |r| {
        r["briefing"] == true && control(r, "briefing begin").is_some()
    });
    // The pointer rests on Begin first, as a hand does, once the window has settled where
    // it is drawn (a window's first frame only measures it).
    let _ = r;
    let at = loop {
        let r = game.report().expect("a report");
        let at = centre_of(control(&r, "briefing begin").expect("Begin"));
        game.point_at(at);
        let r = game.wait_for("the pointer is where it was sent", |r| {
            r["pointer"] == serde_json::json!([at[0].round(), at[1].round()])
        });
        if r["pointer_on_map"] == false && control(&r, "briefing begin").map(centre_of) == Some(at)
        {
            break at;
        }
    };
    game.click_at(at);
    let r = game.wait_for("Begin closes the briefing", |r| r["briefing"] == false);
    assert_eq!(
        r["clicks"], 0,
        "the click went through the briefing to the map"
    );
    // B brings it back.
    game.key("b");
    game.wait_for("B shows the briefing again", |r| r["briefing"] == true);
}

/// At the theatre zoom the map shows armies, not a pile of divisions: the counters stand for
/// every unit the side sees, the hover box names the army and its strength; the real wheel,
/// zooming in, brings the divisions' own counters back.
#[test]
fn the_theatre_zoom_shows_armies_and_the_wheel_brings_back_their_divisions() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut game = Game::start(
        dir.path(),
        &["--side", "soviet", "--script", "report:report.json"],
    );
    let far = game.wait_for("the theatre with formation counters", |r| {
        r["script_done"] == true && r["formation_counters"].as_u64().is_some_and(|n| n > 10)
    });
    let units = far["counters_shown"].as_u64().expect("a count");
    let formations = far["formation_counters"].as_u64().expect("a count");
    assert!(
        formations * 3 < units,
        "{formations} formation counters for {units} units: no aggregation"
    );
    // The real pointer over an army's counter: the hover box names the army first. (The one
    // with the most units, wherever the panels leave it in sight.)
    let map: Vec<f64> = far["map"]
        .as_array()
        .expect("the map's rectangle")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let inside = |a: &[f64]| {
        a[0] > map[0] + 30.0 && a[0] < map[2] - 30.0 && a[1] > map[1] + 30.0 && a[1] < map[3] - 30.0
    };
    let (name, at) = far["formations"]
        .as_array()
        .expect("the formation counters")
        .iter()
        .filter_map(|f| {
            let at: Vec<f64> = f["at"]
                .as_array()?
                .iter()
                .filter_map(Value::as_f64)
                .collect();
            let (n, name) = (f["units"].as_u64()?, f["name"].as_str()?.to_string());
            (at.len() == 2 && inside(&at)).then_some((n, name, [at[0], at[1]]))
        })
        .max_by_key(|(n, _, _)| *n)
        .map(|(_, name, at)| (name, at))
        .expect("an army's counter on screen");
    game.point_at(at);
    let r = game.wait_for("the hover box names the army", |r| {
        r["hover_text"]
            .as_array()
            .and_then(|l| l.first())
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with(&format!("{name}: ")))
    });
    assert!(
        r["hover_text"][0].as_str().unwrap().contains(" men"),
        "{}",
        r["hover_text"]
    );
    // Over the map's middle, the wheel zooms in until the divisions are readable.
    let at = [(map[0] + map[2]) / 2.0, (map[1] + map[3]) / 2.0];
    let mut zoom = far["zoom"].as_f64().expect("the zoom");
    for _ in 0..6 {
        game.point_at(at);
        game.wait_for("the pointer over the map", |r| r["pointer_on_map"] == true);
        game.wheel_at(at);
        let r = game.wait_for("the wheel zooms in", |r| {
            r["zoom"].as_f64().is_some_and(|z| z < zoom)
        });
        zoom = r["zoom"].as_f64().unwrap();
        if r["formation_counters"] == 0 {
            break;
        }
    }
    let near = game.wait_for("zoomed in, the divisions' own counters", |r| {
        r["formation_counters"] == 0 && r["counters_shown"].as_u64().is_some_and(|n| n > 0)
    });
    assert!(near["zoom"].as_f64().unwrap() < far["zoom"].as_f64().unwrap());
}

/// The debrief offers the game again and the title screen, by the real pointer: Play again
/// starts the same scenario from its first turn, and Title screen goes back to choose
/// another game.
#[test]
fn the_debrief_offers_the_game_again_and_the_title_screen() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut g = august_storm::cli::simulate::new_game(
        &root().join("scenarios/across_the_khingan.ron"),
        None,
        &[],
    )
    .expect("the scenario loads");
    august_storm::cli::simulate::play(&mut g, &[], &[Side::Soviet, Side::Japanese], u32::MAX);
    assert!(g.calendar().finished);
    let save = dir.path().join("end.ron");
    august_storm::rules::save::save_game(&mut g, &save).expect("the save is written");
    let args = [
        "--side",
        "soviet",
        "--load",
        save.to_str().expect("a UTF-8 path"),
        "--script",
        "report:report.json",
    ];
    let mut game = Game::start(dir.path(), &args);
    let r = game.wait_for("the debrief with its buttons", |r| {
        r["screen"] == "Debrief" && control(r, "debrief play again").is_some()
    });
    game.click_at(centre_of(control(&r, "debrief play again").unwrap()));
    let r = game.wait_for("the scenario again from its start", |r| {
        r["screen"] == "Playing" && r["phase"] == "turn 1 Soviet"
    });
    assert_eq!(r["selected"], Value::Null);
    drop(game);

    // A window of its own in a folder of its own (the first one's display is gone).
    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let mut game = Game::start(&again, &args);
    let r = game.wait_for("the debrief with its buttons", |r| {
        r["screen"] == "Debrief" && control(r, "debrief title").is_some()
    });
    game.click_at(centre_of(control(&r, "debrief title").unwrap()));
    game.wait_for("the title screen", |r| r["screen"] == "Title");
}

/// A town taken while its garrison still holds the works of its hex is told apart on the map:
/// with the real pointer over it, the hover box says who holds the town and who the works.
#[test]
fn hovering_a_besieged_town_says_who_holds_the_town_and_who_the_works() {
    if !have("xvfb-run") || !have("xdotool") {
        return;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let save = save_on_11_august(dir.path());
    // Which towns stand besieged in the save: taken, their works still held.
    let saved = august_storm::rules::save::load_game(&save).expect("the save loads");
    let (name, holder) = {
        let w = saved.world();
        let map = w.resource::<august_storm::model::map::Map>();
        let control = w.resource::<august_storm::model::Control>();
        let p = *control
            .besieged
            .first()
            .expect("on 11 August some town stands besieged (seed 1)");
        (
            map.place(p).name.clone(),
            control.owner[p.0 as usize].expect("a besieged town has a holder"),
        )
    };
    let mut game = Game::start(
        dir.path(),
        &[
            "--side",
            "soviet",
            "--load",
            save.to_str().expect("a UTF-8 path"),
            "--script",
            &format!("centre:{name};zoom:0.5;report:report.json"),
        ],
    );
    let r = game.wait_for("the town in the window's centre", |r| {
        r["script_done"] == true
    });
    let w: Vec<f64> = r["window"]
        .as_array()
        .expect("the window's size")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    game.point_at([w[0] / 2.0, w[1] / 2.0]);
    let r = game.wait_for("the hover box names the town", |r| {
        r["hover_text"].as_array().is_some_and(|l| {
            l.iter().any(|x| {
                x.as_str()
                    .is_some_and(|t| t.starts_with(&format!("{name}: ")))
            })
        })
    });
    let line = r["hover_text"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .find(|t| t.starts_with(&format!("{name}: ")))
        })
        .expect("the town's line")
        .to_string();
    assert!(
        line.contains(&format!("the town in {holder} hands"))
            && line.contains(&format!(
                "works still held by the {} garrison",
                holder.enemy()
            ))
            && line.contains("besieged"),
        "the hover box does not tell the besieged town apart: {line}"
    );
}
