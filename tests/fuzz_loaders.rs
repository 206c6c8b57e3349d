//! Fuzzing the loaders: scenarios, saves (read and restored), orders files and what-ifs.
//! Every file of the corpus in tests/fuzz_corpus loads or is refused with a diagnostic, never
//! a panic; whatever loads is then explained unit by unit and played on for a few turns, so a
//! hostile value that slips through a loader and panics the rules later is caught too. Every
//! number and time of a real save is set to extremes, one at a time; and ignored tests mutate
//! the corpus for as long as FUZZ_SECS says, looking for new panics.
//!
//! The coverage-guided fuzz targets are in `fuzz/` (cargo-fuzz with libFuzzer, on a nightly
//! compiler: `cargo +nightly fuzz run scenario`, `save`, `orders`, `whatif`); whatever they
//! find that panicked is kept in tests/fuzz_corpus, so this test replays it on stable. The
//! mutation harness here is a coarser fuzzer that needs no nightly nor instrumented build:
//!
//! ```sh
//! FUZZ_SECS=600 cargo test --release --no-default-features --test engine -- \
//!     --ignored --nocapture fuzz_the_scenario_loader
//! ```
//!
//! A panic writes its input to tests/fuzz_corpus/<target>/crash-<hash>.ron and fails; inputs
//! that give a diagnostic never seen before are written to FUZZ_KEEP, when set, as
//! candidates for the corpus.

use crate::common;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use august_storm::cli::explain::explain_named;
use august_storm::cli::simulate::{OrdersFile, play};
use august_storm::model::Side;
use august_storm::rules::Game;
use august_storm::rules::save::{load_game_text, to_save};
use august_storm::scenario::Diagnostic;
use august_storm::scenario::diag::{SourceText, parse_ron};
use august_storm::scenario::load::{load_scenario, load_scenario_text};
use august_storm::scenario::save::SaveFile;
use august_storm::scenario::spawn::GameSetup;
use august_storm::scenario::whatif::{Switches, WhatIf, apply};
use common::*;

/// Which loader a corpus feeds.
#[derive(Clone, Copy)]
enum Target {
    Scenario,
    Save,
    Orders,
    WhatIf,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Scenario => "scenario",
            Target::Save => "save",
            Target::Orders => "orders",
            Target::WhatIf => "whatif",
        }
    }

    fn corpus(self) -> PathBuf {
        root().join("tests/fuzz_corpus").join(self.name())
    }

    /// Runs the loader on `text`; `Ok` holds the first diagnostic's message, or "loaded".
    fn run(self, text: &str) -> Result<String, String> {
        let text = text.to_string();
        let out = catch_unwind(AssertUnwindSafe(|| match self {
            // As if the text were the fixture scenario, so its map and rules are found.
            Target::Scenario => load_scenario_text(&fixture("tiny.ron"), text).map(|s| {
                let setup = GameSetup {
                    scenario: fixture("tiny.ron").display().to_string(),
                    scenario_name: s.file.name.clone(),
                    seed: s.file.seed,
                    what_ifs: Vec::new(),
                };
                play_on(Game::new(&s, setup, Switches::default()), &[]);
            }),
            Target::Save => {
                load_game_text(Path::new("fuzzed_save.ron"), text).map(|g| play_on(g, &[]))
            }
            // Orders are given to the fixture game, turn by turn, the Soviet side's by the
            // file and the Japanese side's by the AI, as `simulate --orders` gives them.
            Target::Orders => {
                parse_ron::<OrdersFile>(&SourceText::new(Path::new("fuzzed_orders.ron"), text))
                    .map(|o| play_on(tiny_game(), &o.orders))
                    .map_err(|d| vec![d])
            }
            Target::WhatIf => {
                parse_ron::<WhatIf>(&SourceText::new(Path::new("fuzzed_what_if.ron"), text))
                    .map_err(|d| vec![d])
                    .and_then(|w| {
                        let mut s = load_scenario(&fixture("tiny.ron"))?;
                        let mut switches = Switches::default();
                        apply(&mut s, &w, &mut switches).map_err(|m| {
                            vec![Diagnostic {
                                severity: august_storm::scenario::Severity::Error,
                                file: PathBuf::from("fuzzed_what_if.ron"),
                                line: 0,
                                col: 0,
                                message: m,
                                hint: None,
                                snippet: None,
                            }]
                        })?;
                        let setup = GameSetup {
                            scenario: fixture("tiny.ron").display().to_string(),
                            scenario_name: s.file.name.clone(),
                            seed: s.file.seed,
                            what_ifs: vec![w.name.clone()],
                        };
                        play_on(Game::new(&s, setup, switches), &[]);
                        Ok(())
                    })
            }
        }));
        match out {
            Ok(Ok(())) => Ok("loaded".into()),
            Ok(Err(d)) => Ok(first_message(&d)),
            Err(p) => Err(p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".into())),
        }
    }
}

/// What a loaded game must survive: `explain` of every unit (the command's own words), then
/// two more turns played with the orders given (the AI for the sides without), then
/// `explain` again and a save of the state reached.
fn play_on(mut game: Game, orders: &[august_storm::cli::simulate::TurnOrder]) {
    let explain_all = |game: &mut Game| {
        for (_, name) in game.unit_names() {
            let _ = explain_named(game, &name);
        }
    };
    explain_all(&mut game);
    let ai = if orders.is_empty() {
        vec![Side::Soviet, Side::Japanese]
    } else {
        vec![Side::Japanese]
    };
    let until = game.calendar().turn.saturating_add(2);
    play(&mut game, orders, &ai, until);
    explain_all(&mut game);
    let _ = to_save(&mut game);
}

fn first_message(d: &[Diagnostic]) -> String {
    d.first()
        .map_or_else(|| "no diagnostic".into(), |x| x.message.clone())
}

fn corpus_files(t: Target) -> Vec<(PathBuf, String)> {
    let mut v: Vec<(PathBuf, String)> = std::fs::read_dir(t.corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    v.sort();
    v
}

fn assert_corpus_never_panics(t: Target) {
    let files = corpus_files(t);
    assert!(files.len() >= 5, "the {} corpus is nearly empty", t.name());
    let mut loaded = 0;
    for (path, text) in files {
        match t.run(&text) {
            Ok(m) => loaded += usize::from(m == "loaded"),
            Err(p) => panic!("{} panics the loader: {p}", path.display()),
        }
    }
    assert!(loaded >= 1, "the {} corpus has a file that loads", t.name());
}

#[test]
fn every_scenario_in_the_fuzz_corpus_loads_or_is_refused_without_a_panic() {
    assert_corpus_never_panics(Target::Scenario);
}

#[test]
fn every_save_in_the_fuzz_corpus_loads_or_is_refused_without_a_panic() {
    assert_corpus_never_panics(Target::Save);
}

#[test]
fn every_save_in_the_fuzz_corpus_with_its_checksum_made_to_match_is_restored_or_refused() {
    // Past the tamper check, so the restoring of each one's state is reached.
    for (path, text) in corpus_files(Target::Save) {
        let Ok(mut save) = ron::from_str::<SaveFile>(&text) else {
            continue;
        };
        save.checksum = save.digest();
        let fixed = ron::ser::to_string(&save).unwrap();
        if let Err(p) = Target::Save.run(&fixed) {
            panic!("{} panics the restoring: {p}", path.display());
        }
    }
}

#[test]
fn every_orders_file_in_the_fuzz_corpus_is_played_or_refused_without_a_panic() {
    assert_corpus_never_panics(Target::Orders);
}

#[test]
fn every_what_if_in_the_fuzz_corpus_is_applied_or_refused_without_a_panic() {
    assert_corpus_never_panics(Target::WhatIf);
}

/// A save of the fixture game after the AI has played both sides for three turns: events,
/// orders, intelligence and supply state all have something in them.
fn played_save() -> String {
    let mut g = tiny_game();
    play(&mut g, &[], &[Side::Soviet, Side::Japanese], 4);
    let save = to_save(&mut g);
    ron::ser::to_string_pretty(&save, ron::ser::PrettyConfig::default()).unwrap()
}

/// The byte ranges of the numbers in a RON text, outside strings and comments.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
            }
            c if c.is_ascii_digit() || c == b'-' => {
                let s = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b'e' | b'-')) {
                    i += 1;
                }
                out.push((s, i));
            }
            _ => i += 1,
        }
    }
    out
}

/// Sets the number or time at `range` of a save to `value`, with the checksum made to match
/// (so that the change reaches the restoring, not only the tamper check).
fn with_value(save: &str, range: (usize, usize), value: &str) -> String {
    let mut t = save.to_string();
    t.replace_range(range.0..range.1, value);
    match ron::from_str::<SaveFile>(&t) {
        Ok(s) => t.replacen(&s.checksum, &s.digest(), 1),
        Err(_) => t,
    }
}

#[test]
fn every_kind_of_number_and_time_in_a_save_set_to_an_extreme_is_refused_or_played_on() {
    // Indices, counts, turns, amounts, hexes and dates: each number, the first few times its
    // field appears, becomes each extreme in turn; so does each kind of time.
    let save = played_save();
    assert_eq!(Target::Save.run(&save), Ok("loaded".to_string()));
    let nums = numbers(&save);
    let mut per_field: std::collections::BTreeMap<String, usize> = Default::default();
    let mut cases: Vec<((usize, usize), &str)> = Vec::new();
    for &(s, e) in &nums {
        // The field a number belongs to: the last `name:` before it.
        let before = &save[..s];
        let field = before
            .rfind(':')
            .map(|c| {
                let head = before[..c].trim_end();
                let start = head
                    .rfind(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .map_or(0, |k| k + 1);
                head[start..].to_string()
            })
            .unwrap_or_default();
        let n = per_field.entry(field).or_default();
        *n += 1;
        if *n <= 2 {
            for v in ["4294967295", "99999", "-1", "0", "1e308", "NaN"] {
                cases.push(((s, e), v));
            }
        }
    }
    let mut times = BTreeSet::new();
    for (k, _) in save.match_indices("\"1945-") {
        let end = k + 1 + save[k + 1..].find('"').unwrap();
        let field: String = save[..k]
            .trim_end_matches([':', ' '])
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if times.insert(field) {
            for v in [
                "9999-12-31T23:59",
                "1945-08-09",
                "x",
                "1945-08-09T00:01+09:0",
            ] {
                cases.push(((k + 1, end), v));
            }
        }
    }
    assert!(cases.len() > 100, "{} cases", cases.len());
    let mut panics = Vec::new();
    for (range, v) in cases {
        let text = with_value(&save, range, v);
        if let Err(p) = Target::Save.run(&text) {
            let (line, _) = SourceText::new(Path::new("s"), save.clone()).line_col(range.0);
            panics.push(format!("line {line} set to {v}: {p}"));
        }
    }
    assert!(panics.is_empty(), "{}", panics.join("\n"));
}

/// A small deterministic generator (xorshift), so a run is repeatable from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens a hand-edited or hostile RON file is likely to hold.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "//",
    "/*",
    "*/",
    "-",
    "0",
    "-1",
    "4294967296",
    "18446744073709551616",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "0.0",
    "-0.0",
    "None",
    "Some(",
    "true",
    "r#\"",
    "\\u{0}",
    "é",
    "\u{feff}",
    "\n",
    " ",
    "name",
    "side",
    "Soviet",
    "Japanese",
    "Place(\"",
    "Coord(",
    "turn",
    "unit",
    "id",
    "at",
    "q",
    "r",
];

fn mutate(rng: &mut Rng, base: &str, others: &[String]) -> String {
    let mut b = base.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let n = b.len();
        let i = rng.below(n + 1);
        match rng.below(9) {
            0 if n > 0 => b[i.min(n - 1)] ^= 1 << rng.below(8),
            1 => b.truncate(i),
            2 => {
                let j = (i + rng.below(64)).min(n);
                b.drain(i..j);
            }
            3 => {
                let j = (i + rng.below(256)).min(n);
                let chunk = b[i..j].to_vec();
                b.splice(i..i, chunk);
            }
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                b.splice(i..i, t.iter().copied());
            }
            5 => {
                // Replace a number with an extreme one.
                let s = (i..n).find(|&k| b[k].is_ascii_digit());
                if let Some(s) = s {
                    let e = (s..n).find(|&k| !b[k].is_ascii_digit()).unwrap_or(n);
                    let t =
                        ["0", "-1", "99999999999999999999", "1e308", "NaN", "65535"][rng.below(6)];
                    b.splice(s..e, t.bytes());
                }
            }
            6 => {
                // Swap two stretches.
                let j = rng.below(n + 1);
                let (a, c) = (i.min(j), i.max(j));
                let len = rng.below(32).min(c - a).min(n - c);
                for k in 0..len {
                    b.swap(a + k, c + k);
                }
            }
            7 if !others.is_empty() => {
                // Splice in a stretch of another input.
                let o = others[rng.below(others.len())].as_bytes();
                let s = rng.below(o.len() + 1);
                let e = (s + rng.below(128)).min(o.len());
                b.splice(i..i, o[s..e].iter().copied());
            }
            _ => {
                // Nest deeper.
                let depth = rng.below(300);
                let open = "[".repeat(depth) + &"(".repeat(depth % 7);
                b.splice(i..i, open.bytes());
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Re-stamps a save's checksum after a mutation half the time, so mutations reach past the
/// tamper check into the restoring of the state.
fn restamp(rng: &mut Rng, text: String) -> String {
    if rng.below(2) == 0 {
        return text;
    }
    match ron::from_str::<SaveFile>(&text) {
        Ok(s) => text.replacen(&s.checksum, &s.digest(), 1),
        Err(_) => text,
    }
}

/// Mutates the corpus of `t` for FUZZ_SECS seconds (default 10).
fn fuzz(t: Target) {
    let secs: u64 = std::env::var("FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1945);
    let keep = std::env::var_os("FUZZ_KEEP").map(PathBuf::from);
    let mut pool: Vec<String> = corpus_files(t).into_iter().map(|(_, s)| s).collect();
    if let Target::Save = t {
        // A save with something in every part, so that mutations reach all of the restoring.
        pool.push(played_save());
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut rng = Rng(seed | 1);
    // Panics are caught and counted; the default hook would print each one.
    std::panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    let (mut runs, mut crashes) = (0u64, 0u64);
    while start.elapsed() < Duration::from_secs(secs) {
        let base = pool[rng.below(pool.len())].clone();
        let mut text = mutate(&mut rng, &base, &pool);
        if let Target::Save = t {
            text = restamp(&mut rng, text);
        }
        runs += 1;
        match t.run(&text) {
            Ok(msg) => {
                // A diagnostic never seen, numbers aside, stands in for new coverage.
                let shape: String = msg.chars().filter(|c| !c.is_ascii_digit()).collect();
                if seen.insert(shape) && text.len() < 200_000 {
                    if let Some(dir) = &keep {
                        std::fs::create_dir_all(dir).unwrap();
                        std::fs::write(dir.join(format!("{}-{runs}.ron", t.name())), &text)
                            .unwrap();
                    }
                    pool.push(text);
                }
            }
            Err(p) => {
                crashes += 1;
                let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
                });
                let path = t.corpus().join(format!("crash-{hash:016x}.ron"));
                std::fs::write(&path, &text).unwrap();
                eprintln!("panic: {p}\n  input written to {}", path.display());
            }
        }
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "{}: {runs} executions in {:.0} s, {} distinct diagnostics, {crashes} panics",
        t.name(),
        start.elapsed().as_secs_f64(),
        seen.len()
    );
    assert_eq!(crashes, 0, "the {} loader panicked", t.name());
}

#[test]
#[ignore = "fuzzing runs for FUZZ_SECS; run it by name"]
fn fuzz_the_scenario_loader() {
    fuzz(Target::Scenario);
}

#[test]
#[ignore = "fuzzing runs for FUZZ_SECS; run it by name"]
fn fuzz_the_save_loader() {
    fuzz(Target::Save);
}

#[test]
#[ignore = "fuzzing runs for FUZZ_SECS; run it by name"]
fn fuzz_the_orders_files() {
    fuzz(Target::Orders);
}

#[test]
#[ignore = "fuzzing runs for FUZZ_SECS; run it by name"]
fn fuzz_the_what_ifs() {
    fuzz(Target::WhatIf);
}

/// After a data file a corpus save was played from changes (a figure of `rules.ron`, say),
/// gives every save of the corpus the file's new hash, and those that still read as saves a
/// checksum to match, so that they keep reaching the loader's deeper checks:
/// `cargo test --test engine fuzz_loaders::rehash_the_save_corpus -- --ignored`.
#[test]
#[ignore = "rewrites tests/fuzz_corpus/save; run it by name after a data file changes"]
fn rehash_the_save_corpus() {
    use august_storm::scenario::digest::blake3_hex;
    use august_storm::scenario::save::SaveFile;
    let dir = common::root().join("tests/fuzz_corpus/save");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    // Old hash -> new, from every save that reads and names a file that is there.
    let mut renames = std::collections::BTreeMap::new();
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let Ok(save) = ron::from_str::<SaveFile>(&text) else {
            continue;
        };
        let base = common::root().join(&save.setup.scenario);
        let folder = base.parent().unwrap_or(Path::new(""));
        for i in &save.inputs {
            let file = if i.role == "scenario" {
                base.clone()
            } else {
                folder.join(&i.file)
            };
            if let Ok(bytes) = std::fs::read(&file) {
                let now = blake3_hex(&bytes);
                if now != i.blake3 {
                    renames.insert(i.blake3.clone(), now);
                }
            }
        }
    }
    for p in &files {
        let mut bytes = std::fs::read(p).unwrap();
        for (old, new) in &renames {
            let (old, new) = (old.as_bytes(), new.as_bytes());
            let mut at = 0;
            while let Some(k) = bytes[at..].windows(old.len()).position(|w| w == old) {
                bytes[at + k..at + k + old.len()].copy_from_slice(new);
                at += k + old.len();
            }
        }
        if let Ok(text) = String::from_utf8(bytes.clone()) {
            bytes = common::restamp(&text).into_bytes();
        }
        std::fs::write(p, bytes).unwrap();
    }
    eprintln!("{} hashes renewed in {} files", renames.len(), files.len());
}
