//! Coverage-guided fuzzing of orders files: any text, read as an orders file, is refused with
//! a diagnostic or given to the fixture game turn by turn (the Japanese side by the AI), as
//! `simulate --orders` and `explain --orders` give it; every order the rules refuse is
//! skipped with its reason, and a panic is a crash.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use august_storm::cli::simulate::{OrdersFile, new_game, play};
use august_storm::model::Side;
use august_storm::scenario::diag::{SourceText, parse_ron};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/tiny.ron"
        ))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = SourceText::new(Path::new("fuzzed_orders.ron"), text.to_string());
    let Ok(orders) = parse_ron::<OrdersFile>(&src) else {
        return;
    };
    let mut game = new_game(fixture(), None, &[]).expect("the fixture loads");
    play(&mut game, &orders.orders, &[Side::Japanese], 5);
});
