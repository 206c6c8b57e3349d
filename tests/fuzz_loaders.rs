//! Fuzzing the scenario and save loaders: every file of the corpus in tests/fuzz_corpus loads
//! or is refused with a diagnostic, never a panic; and two ignored tests mutate the corpus for
//! as long as FUZZ_SECS says, looking for new panics.
//!
//! The coverage-guided fuzz targets are in `fuzz/` (cargo-fuzz with libFuzzer, on a nightly
//! compiler: `cargo +nightly fuzz run scenario`, `cargo +nightly fuzz run save`); whatever they
//! find that panicked is kept in tests/fuzz_corpus, so this test replays it on stable. The
//! mutation harness here is a coarser fuzzer that needs no nightly nor instrumented build:
//!
//! ```sh
//! FUZZ_SECS=600 cargo test --release --no-default-features --test fuzz_loaders -- \
//!     --ignored --nocapture fuzz_the_scenario_loader
//! ```
//!
//! A panic writes its input to tests/fuzz_corpus/<target>/crash-<hash>.ron and fails; inputs
//! that give a diagnostic never seen before are written to FUZZ_KEEP, when set, as
//! candidates for the corpus.

mod common;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use august_storm::scenario::Diagnostic;
use august_storm::scenario::load::load_scenario_text;
use august_storm::scenario::save::{SaveFile, load_game_text};
use common::*;

/// Which loader a corpus feeds.
#[derive(Clone, Copy)]
enum Target {
    Scenario,
    Save,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Scenario => "scenario",
            Target::Save => "save",
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
            Target::Scenario => load_scenario_text(&fixture("tiny.ron"), text).map(|_| ()),
            Target::Save => load_game_text(Path::new("fuzzed_save.ron"), text).map(|_| ()),
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
