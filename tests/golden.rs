//! Outcomes that a refactor must not change: the JSON reports of 20 seeds of the historical
//! campaign and of the teaching scenario, AI against AI, are held as BLAKE3 hashes in
//! `tests/golden/reports.ron`. A change of the rules, the AI or the data that changes an
//! outcome on purpose regenerates them in its own commit, with the reason:
//! `AUGUST_STORM_BLESS=1 cargo test --test engine golden::`.

use crate::common;

use std::path::Path;

use august_storm::cli::simulate::play;
use august_storm::model::Side;
use august_storm::report::campaign_report;
use common::*;

const SCENARIOS: [&str; 2] = ["august_storm_1945.ron", "across_the_khingan.ron"];
const SEEDS: u64 = 20;

/// One campaign's report as `simulate --report` writes it.
fn report_text(scenario: &Path, seed: u64) -> String {
    let mut game = game_of(scenario, Some(seed));
    play(&mut game, &[], &[Side::Soviet, Side::Japanese], u32::MAX);
    serde_json::to_string_pretty(&campaign_report(&mut game)).expect("reports serialise")
}

/// `(scenario, seed, hash, bytes)` of every report, in a fixed order.
fn fresh() -> Vec<(String, u64, String, usize)> {
    let jobs: Vec<(&str, u64)> = SCENARIOS
        .iter()
        .flat_map(|s| (1..=SEEDS).map(move |seed| (*s, seed)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let out = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(name, seed)) = jobs.get(i) else {
                        break;
                    };
                    let text = report_text(&root().join("scenarios").join(name), seed);
                    let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
                    if std::env::var_os("AUGUST_STORM_GOLDEN_KEEP").is_some() {
                        let dir = root().join("target/golden");
                        std::fs::create_dir_all(&dir).expect("target/golden");
                        std::fs::write(dir.join(format!("{name}.{seed}.json")), &text)
                            .expect("the report is kept");
                    }
                    out.lock()
                        .unwrap()
                        .push((i, (name.to_string(), seed, hash, text.len())));
                }
            });
        }
    });
    let mut v = out.into_inner().unwrap();
    v.sort_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn twenty_seeds_of_each_shipped_scenario_report_exactly_what_they_reported_before() {
    let path = root().join("tests/golden/reports.ron");
    let now = fresh();
    if std::env::var_os("AUGUST_STORM_BLESS").is_some() {
        let mut text = String::from(
            "// The JSON reports of `simulate SCENARIO --seed N --report FILE` (AI against AI):\n\
             // scenario, seed, BLAKE3 of the report, its length in bytes. Regenerated only by a\n\
             // commit that changes outcomes on purpose: AUGUST_STORM_BLESS=1 cargo test --test engine golden::\n[\n",
        );
        for (s, seed, h, n) in &now {
            text += &format!("    ({s:?}, {seed}, {h:?}, {n}),\n");
        }
        text += "]\n";
        std::fs::write(&path, text).expect("the golden file is written");
        return;
    }
    let golden: Vec<(String, u64, String, usize)> =
        ron::from_str(&std::fs::read_to_string(&path).expect("tests/golden/reports.ron"))
            .expect("the golden file parses");
    assert_eq!(
        golden.len(),
        now.len(),
        "the golden file holds every scenario and seed"
    );
    let changed: Vec<String> = golden
        .iter()
        .zip(&now)
        .filter(|(g, n)| g != n)
        .map(|(g, n)| format!("{} seed {}: {} bytes before, {} now", g.0, g.1, g.3, n.3))
        .collect();
    assert!(
        changed.is_empty(),
        "outcomes changed:\n  {}\nIf the change is deliberate, regenerate in its own commit with \
         AUGUST_STORM_BLESS=1 cargo test --test engine golden::; AUGUST_STORM_GOLDEN_KEEP=1 keeps the new \
         reports in target/golden to compare with `simulate --report` of the previous build.",
        changed.join("\n  ")
    );
}
