//! Play by e-mail: a whole game between two processes with their own files, and every turn a
//! cheating or careless player could send refused with its reason.

use std::path::{Path, PathBuf};
use std::process::Command;

use august_storm::model::{Order, Side};
use august_storm::pbem::{self, Body, KeyFile, Record};
use august_storm::rules::Game;

use crate::common;
use common::{fixture, root};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_august-storm"));
    c.current_dir(root());
    c
}

fn run(args: &[&str]) -> (bool, String) {
    let out = bin().args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn ok(args: &[&str]) -> String {
    let (ok, text) = run(args);
    assert!(ok, "{args:?} failed:\n{text}");
    text
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// "Sends" a file: copies it into the other player's folder.
fn mail(from: &Path, to_dir: &Path, name: &str) -> PathBuf {
    let to = to_dir.join(name);
    std::fs::copy(from, &to).unwrap();
    to
}

#[test]
fn a_whole_game_is_played_by_e_mail_between_two_processes_with_their_own_files() {
    let soviet = tempfile::tempdir().unwrap();
    let japanese = tempfile::tempdir().unwrap();
    let (sd, jd) = (soviet.path(), japanese.path());
    let orders = sd.join("orders.ron");
    std::fs::write(
        &orders,
        r#"OrdersFile(orders: [(turn: 1, unit: "Test Tank Corps", order: MoveTo(Place("Easttown")))])"#,
    )
    .unwrap();
    let (skey, sgame) = (sd.join("key.ron"), sd.join("game.ron"));
    let (jkey, jgame) = (jd.join("key.ron"), jd.join("game.ron"));
    ok(&[
        "pbem",
        "new",
        s(&fixture("tiny.ron")),
        "--side",
        "soviet",
        "--key",
        s(&skey),
        "--out",
        s(&sgame),
    ]);
    let invite = mail(&sgame, jd, "invite.ron");
    let joined = ok(&[
        "pbem",
        "join",
        s(&invite),
        "--key",
        s(&jkey),
        "--out",
        s(&jgame),
    ]);
    assert!(joined.contains("play the Japanese side"), "{joined}");
    let back = mail(&jgame, sd, "received.ron");
    let opened = ok(&[
        "pbem",
        "open",
        s(&back),
        "--key",
        s(&skey),
        "--game",
        s(&sgame),
    ]);
    assert!(
        opened.contains("Your move: the Soviet phase of game turn 1"),
        "{opened}"
    );
    // Each side in turn: give orders, send the turn, the other opens it.
    let mut phases = 0;
    let mut saw_battle = false;
    loop {
        let (key, game, dir, other_key, other_game, other_dir) = if phases % 2 == 0 {
            (&skey, &sgame, sd, &jkey, &jgame, jd)
        } else {
            (&jkey, &jgame, jd, &skey, &sgame, sd)
        };
        let out = dir.join("turn.ron");
        let mut args = vec!["pbem", "turn", "--key", s(key), "--game", s(game), "--out"];
        args.push(s(&out));
        if phases % 2 == 0 {
            args.extend(["--orders", s(&orders)]);
        } else {
            args.push("--ai");
        }
        let said = ok(&args);
        assert!(said.contains("are signed and in"), "{said}");
        let received = mail(&out, other_dir, "received.ron");
        let opened = ok(&[
            "pbem",
            "open",
            s(&received),
            "--key",
            s(other_key),
            "--game",
            s(other_game),
        ]);
        saw_battle |= opened.contains("battle at");
        phases += 1;
        if opened.contains("The campaign is over") {
            // The player who saw the end sends the secrets the other still lacks.
            assert!(
                opened.contains("Send the other player your closing turn"),
                "{opened}"
            );
            let close = other_dir.join("close.ron");
            let said = ok(&[
                "pbem",
                "turn",
                "--key",
                s(other_key),
                "--game",
                s(other_game),
                "--out",
                s(&close),
            ]);
            assert!(said.contains("Your closing turn is signed"), "{said}");
            let received = mail(&close, dir, "received.ron");
            let opened = ok(&[
                "pbem",
                "open",
                s(&received),
                "--key",
                s(key),
                "--game",
                s(game),
            ]);
            assert!(opened.contains("The campaign is over."), "{opened}");
            let (again, text) = run(&[
                "pbem",
                "turn",
                "--key",
                s(key),
                "--game",
                s(game),
                "--out",
                s(&out),
            ]);
            assert!(!again);
            assert!(
                text.contains("the campaign is over: there are no more turns to play"),
                "{text}"
            );
            break;
        }
        assert!(phases < 40, "the campaign never ended:\n{opened}");
    }
    assert_eq!(phases, 12, "six turns of two phases each");
    assert!(saw_battle, "the tank corps reaches Easttown and fights");
    // Both players hold the same record, and it plays to the same game for each.
    let a = std::fs::read_to_string(&sgame).unwrap();
    let b = std::fs::read_to_string(&jgame).unwrap();
    assert_eq!(a, b);
    let record: Record = ron::from_str(&a).unwrap();
    let keys = [read_key(&skey), read_key(&jkey)];
    let mut states = keys.iter().map(|k| {
        let mut p = pbem::play_record(&record, &fixture("tiny.ron"), Some(k)).unwrap();
        assert!(p.game.calendar().finished);
        pbem::state_hash(&mut p.game)
    });
    assert_eq!(states.next(), states.next());
}

fn read_key(p: &Path) -> KeyFile {
    ron::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

// ---- The same game in memory, for the refusals ----

struct Table {
    soviet: KeyFile,
    japanese: KeyFile,
    record: Record,
}

fn scenario() -> PathBuf {
    fixture("tiny.ron")
}

fn table() -> Table {
    let (soviet, opened) = pbem::open_game(&scenario(), "tiny.ron", &[], Side::Soviet).unwrap();
    let (japanese, record) = pbem::join_game(&opened, &scenario()).unwrap();
    Table {
        soviet,
        japanese,
        record,
    }
}

fn march_on_easttown(g: &mut Game) -> Result<(), String> {
    let unit = g.unit_id("Test Tank Corps").unwrap();
    let to = common::place_hex(g, "Easttown");
    g.submit(Order::MoveTo { unit, to })
        .map_err(|e| e.to_string())
}

fn nothing(_: &mut Game) -> Result<(), String> {
    Ok(())
}

impl Table {
    /// The Soviet phase of turn 1 ordered: the record the Japanese player receives.
    fn soviet_moves(&self) -> Record {
        pbem::next_turn(&self.record, &scenario(), &self.soviet, march_on_easttown)
            .unwrap()
            .0
    }
}

fn refusal(r: Result<impl Sized, String>) -> String {
    match r {
        Ok(_) => panic!("accepted"),
        Err(m) => m,
    }
}

#[test]
fn a_turn_is_refused_from_the_side_whose_phase_it_is_not() {
    let t = table();
    let m = refusal(pbem::next_turn(
        &t.record,
        &scenario(),
        &t.japanese,
        nothing,
    ));
    assert_eq!(
        m,
        "it is the Soviet side's phase of game turn 1, not yours: you play the Japanese side"
    );
}

#[test]
fn a_turn_signed_with_the_other_players_key_is_refused() {
    let t = table();
    let mut r = t.soviet_moves();
    // The Japanese player writes a Soviet turn of their own choosing and signs it.
    let last = r.turns.pop().unwrap();
    r.turns.push(last.signed_by(&t.japanese).unwrap());
    let m = refusal(pbem::play_record(&r, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert_eq!(
        m,
        "turn 2 is not signed by the Soviet player's key: it was changed after it was signed, or made by someone else"
    );
}

#[test]
fn a_turn_edited_after_it_was_signed_is_refused() {
    let t = table();
    let mut r = t.soviet_moves();
    if let Body::Orders { orders, .. } = &mut r.turns[2].body {
        orders.clear();
    }
    let m = refusal(pbem::play_record(&r, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert!(
        m.starts_with("turn 2 is not signed by the Soviet player's key"),
        "{m}"
    );
}

#[test]
fn a_turn_that_skips_one_is_refused_as_out_of_order() {
    let t = table();
    let r = t.soviet_moves();
    let (r, _) = pbem::next_turn(&r, &scenario(), &t.japanese, nothing).unwrap();
    let (mut r, _) = pbem::next_turn(&r, &scenario(), &t.soviet, nothing).unwrap();
    // The Japanese turn 3 left out: turn 4 no longer follows the turn before it.
    r.turns.remove(3);
    for (i, turn) in r.turns.iter_mut().enumerate().skip(3) {
        turn.number = i as u32;
    }
    let m = refusal(pbem::play_record(&r, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert_eq!(
        m,
        "turn 3 does not follow turn 2: it names another turn before it (a turn edited, left out or sent twice)"
    );
}

#[test]
fn a_turn_opened_twice_is_refused_as_nothing_new() {
    let t = table();
    let r = t.soviet_moves();
    let mut mine = t.record.clone();
    pbem::accept_received(&mine, &r, &t.japanese).unwrap();
    mine = r.clone();
    let m = refusal(pbem::accept_received(&mine, &r, &t.japanese));
    assert_eq!(
        m,
        "this turn file holds nothing new: its last turn, 2, is already in your game (a turn opened twice, or an old one sent again)"
    );
}

#[test]
fn a_player_cannot_reroll_by_sending_another_version_of_a_turn_already_opened() {
    let t = table();
    let first = t.soviet_moves();
    // The Japanese player has opened the Soviet turn; the Soviet player then sends another
    // version of the same phase, hoping for other dice.
    let other = pbem::next_turn(&t.record, &scenario(), &t.soviet, nothing)
        .unwrap()
        .0;
    let m = refusal(pbem::accept_received(&first, &other, &t.japanese));
    assert_eq!(
        m,
        "this turn file does not continue your game: it holds other turns than yours"
    );
    // The dice would have been the same anyway: they were fixed at the start.
    let d = |r: &Record| {
        let p = pbem::play_record(r, &scenario(), Some(&t.japanese)).unwrap();
        p.game
            .world()
            .resource::<august_storm::model::PhaseDice>()
            .keys[0]
            .clone()
    };
    assert_eq!(d(&first), d(&other));
}

impl Table {
    fn soviet_game(&self) -> Game {
        pbem::play_record(&self.record, &scenario(), Some(&self.soviet))
            .unwrap()
            .game
    }
}

#[test]
fn a_turn_of_another_game_is_refused() {
    let t = table();
    let u = table();
    let mine = t.record.clone();
    let theirs = u.soviet_moves();
    let m = refusal(pbem::accept_received(&mine, &theirs, &t.japanese));
    assert!(
        m.starts_with("this turn file belongs to another game (game "),
        "{m}"
    );
    let m = refusal(pbem::play_record(&theirs, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert!(m.starts_with("your key file is for another game"), "{m}");
}

#[test]
fn a_dice_secret_that_does_not_match_its_commitment_is_refused_even_when_signed() {
    let t = table();
    let mut r = t.soviet_moves();
    let mut last = r.turns.pop().unwrap();
    if let Body::Orders { reveals, .. } = &mut last.body {
        reveals[0].secret = "00".repeat(32);
    }
    r.turns.push(last.signed_by(&t.soviet).unwrap());
    let m = refusal(pbem::play_record(&r, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert_eq!(
        m,
        "turn 2: the Soviet side's dice secret for phase 1 does not match what that player committed to at the start: the dice were tampered with"
    );
}

#[test]
fn an_order_the_rules_refuse_is_refused_even_when_signed() {
    let t = table();
    let mut r = t.soviet_moves();
    let mut last = r.turns.pop().unwrap();
    let enemy = {
        let mut g = t.soviet_game();
        g.unit_id("Test Infantry Division").unwrap()
    };
    if let Body::Orders { orders, .. } = &mut last.body {
        orders.push(Order::Hold { unit: enemy });
    }
    r.turns.push(last.signed_by(&t.soviet).unwrap());
    let m = refusal(pbem::play_record(&r, &scenario(), Some(&t.japanese)).map(|_| ()));
    assert!(
        m.starts_with("turn 2: order 2 of the Soviet side is refused by the rules: Test Infantry Division belongs to the Japanese side"),
        "{m}"
    );
}

#[test]
fn a_game_whose_data_files_differ_between_the_players_is_refused_naming_the_file() {
    let t = table();
    let dir = tempfile::tempdir().unwrap();
    for f in ["tiny.ron", "tiny_map.ron", "tiny_logistics.ron"] {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    let text = std::fs::read_to_string(fixture("tiny.ron"))
        .unwrap()
        .replace(
            "../../scenarios/rules.ron",
            &root().join("scenarios/rules.ron").display().to_string(),
        );
    std::fs::write(dir.path().join("tiny.ron"), text).unwrap();
    let m = refusal(
        pbem::play_record(&t.record, &dir.path().join("tiny.ron"), Some(&t.japanese)).map(|_| ()),
    );
    assert!(
        m.starts_with("the scenario file tiny.ron has changed since this game was started"),
        "{m}"
    );
}

#[test]
fn neither_player_alone_decides_the_dice_of_a_phase() {
    // The same Soviet player and orders against two different Japanese players: the dice of
    // the phase differ, so the Soviet player could not have known them in advance.
    let (soviet, opened) = pbem::open_game(&scenario(), "tiny.ron", &[], Side::Soviet).unwrap();
    let keys: Vec<String> = (0..2)
        .map(|_| {
            let (japanese, record) = pbem::join_game(&opened, &scenario()).unwrap();
            let (r, _) = pbem::next_turn(&record, &scenario(), &soviet, march_on_easttown).unwrap();
            let p = pbem::play_record(&r, &scenario(), Some(&japanese)).unwrap();
            let dice = p.game.world().resource::<august_storm::model::PhaseDice>();
            assert_eq!(p.resolved, 1);
            dice.keys[0].key.clone()
        })
        .collect();
    assert_ne!(keys[0], keys[1]);
    // And the Soviet player, holding only their own secret, cannot play their phase yet.
    let (japanese, record) = pbem::join_game(&opened, &scenario()).unwrap();
    let (r, _) = pbem::next_turn(&record, &scenario(), &soviet, march_on_easttown).unwrap();
    let p = pbem::play_record(&r, &scenario(), Some(&soviet)).unwrap();
    assert_eq!((p.resolved, p.waiting), (0, Some(1)));
    let _ = japanese;
}

#[test]
fn a_turn_file_carries_orders_and_hashes_but_no_unit_of_either_side() {
    let t = table();
    let r = t.soviet_moves();
    let text = ron::ser::to_string_pretty(&r, Default::default()).unwrap();
    for hidden in [
        "Test Infantry Division",
        "Paper Brigade",
        "Test Rifle Division",
    ] {
        assert!(!text.contains(hidden), "{hidden} is in the turn file");
    }
    for state in ["strength", "stocks", "fuel_t", "readiness"] {
        assert!(!text.contains(state), "{state} is in the turn file");
    }
}

#[test]
fn a_key_file_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.ron");
    std::fs::write(&key, "precious").unwrap();
    let (okay, text) = run(&[
        "pbem",
        "new",
        s(&fixture("tiny.ron")),
        "--side",
        "soviet",
        "--key",
        s(&key),
        "--out",
        s(&dir.path().join("game.ron")),
    ]);
    assert!(!okay);
    assert!(
        text.contains(
            "that file exists already; a key file is made once for each game and never replaced"
        ),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&key).unwrap(), "precious");
    assert!(!dir.path().join("game.ron").exists());
}

#[test]
fn a_turn_is_not_written_over_the_file_it_was_received_in() {
    let dir = tempfile::tempdir().unwrap();
    let (key, game) = (dir.path().join("key.ron"), dir.path().join("game.ron"));
    ok(&[
        "pbem",
        "new",
        s(&fixture("tiny.ron")),
        "--side",
        "soviet",
        "--key",
        s(&key),
        "--out",
        s(&game),
    ]);
    let before = std::fs::read_to_string(&game).unwrap();
    let (okay, text) = run(&[
        "pbem",
        "open",
        s(&game),
        "--key",
        s(&key),
        "--game",
        s(&game),
    ]);
    assert!(!okay);
    assert!(text.contains("--game"), "{text}");
    assert_eq!(std::fs::read_to_string(&game).unwrap(), before);
}

#[test]
fn a_game_by_e_mail_saved_is_played_again_identically_with_its_dice() {
    let t = table();
    let r = t.soviet_moves();
    let (r, _) = pbem::next_turn(&r, &scenario(), &t.japanese, nothing).unwrap();
    let mut p = pbem::play_record(&r, &scenario(), Some(&t.soviet)).unwrap();
    assert_eq!(p.resolved, 2);
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("game.ron");
    august_storm::rules::save::save_game(&mut p.game, &save).unwrap();
    let mut loaded = august_storm::rules::save::load_game(&save).unwrap();
    assert_eq!(pbem::state_hash(&mut loaded), pbem::state_hash(&mut p.game));
    // Without the dice of its phases the same orders give another game, and it is refused.
    let text = std::fs::read_to_string(&save).unwrap();
    let mut edited: august_storm::scenario::save::SaveFile = ron::from_str(&text).unwrap();
    edited.dice.keys.clear();
    edited.checksum = edited.digest();
    std::fs::write(&save, ron::to_string(&edited).unwrap()).unwrap();
    let refused = august_storm::rules::save::load_game(&save)
        .err()
        .expect("refused");
    assert!(
        refused[0]
            .message
            .starts_with("this save is not what its own orders give"),
        "{}",
        refused[0].message
    );
}

#[test]
fn an_opening_naming_a_device_as_its_scenario_is_refused_without_reading_it() {
    let (maker, mut opened) = pbem::open_game(&scenario(), "tiny.ron", &[], Side::Soviet).unwrap();
    let first = opened.turns.pop().unwrap();
    let mut forged = first.clone();
    if let Body::Open { scenario, .. } = &mut forged.body {
        *scenario = "/dev/zero".into();
    }
    opened.turns.push(forged.signed_by(&maker).unwrap());
    let path = pbem::scenario_path(&opened, None).unwrap();
    let m = refusal(pbem::join_game(&opened, &path).map(|_| ()));
    assert!(m.contains("it is not an ordinary file"), "{m}");
}
