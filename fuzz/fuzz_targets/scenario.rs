//! Coverage-guided fuzzing of the scenario loader: any text, read as if it were the fixture
//! scenario (so its map, rules and logistics files are found), loads or is refused with a
//! diagnostic; one that loads is spawned, explained unit by unit as `explain` does, and
//! played for a turn. A panic, a stack overflow or an out-of-memory is a crash.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use august_storm::cli::explain::explain_named;
use august_storm::cli::simulate::play;
use august_storm::model::Side;
use august_storm::rules::Game;
use august_storm::scenario::spawn::GameSetup;
use august_storm::scenario::whatif::Switches;
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
    let Ok(s) = august_storm::scenario::load::load_scenario_text(fixture(), text.to_string())
    else {
        return;
    };
    let setup = GameSetup {
        scenario: fixture().display().to_string(),
        scenario_name: s.file.name.clone(),
        seed: s.file.seed,
        what_ifs: Vec::new(),
    };
    let mut game = Game::new(&s, setup, Switches::default());
    for (_, name) in game.unit_names() {
        let _ = explain_named(&mut game, &name);
    }
    play(&mut game, &[], &[Side::Soviet, Side::Japanese], 2);
});
