//! Coverage-guided fuzzing of the scenario loader: any text, read as if it were the fixture
//! scenario (so its map, rules and logistics files are found), loads or is refused with a
//! diagnostic; a panic, a stack overflow or an out-of-memory is a crash.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

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
    // The loader reads files as UTF-8 and refuses anything else before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = august_storm::scenario::load::load_scenario_text(fixture(), text.to_string());
});
