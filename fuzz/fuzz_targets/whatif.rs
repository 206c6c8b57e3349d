//! Coverage-guided fuzzing of what-ifs: any text, read as a what-if, is refused with a
//! diagnostic, or applied to the fixture scenario and the game spawned from it explained
//! unit by unit and played for two turns by the AI; a panic is a crash.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use august_storm::cli::explain::explain_named;
use august_storm::cli::simulate::play;
use august_storm::model::Side;
use august_storm::rules::Game;
use august_storm::scenario::diag::{SourceText, parse_ron};
use august_storm::scenario::load::{Scenario, load_scenario};
use august_storm::scenario::spawn::GameSetup;
use august_storm::scenario::whatif::{Switches, WhatIf, apply};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| {
        let p = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/tiny.ron"
        ));
        load_scenario(&p).expect("the fixture loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = SourceText::new(Path::new("fuzzed_what_if.ron"), text.to_string());
    let Ok(w) = parse_ron::<WhatIf>(&src) else {
        return;
    };
    let mut scenario = fixture().clone();
    let mut switches = Switches::default();
    if apply(&mut scenario, &w, &mut switches).is_err() {
        return;
    }
    let setup = GameSetup {
        scenario: scenario.path.display().to_string(),
        scenario_name: scenario.file.name.clone(),
        seed: scenario.file.seed,
        what_ifs: vec![w.name.clone()],
    };
    let mut game = Game::new(&scenario, setup, switches);
    for (_, name) in game.unit_names() {
        let _ = explain_named(&mut game, &name);
    }
    play(&mut game, &[], &[Side::Soviet, Side::Japanese], 3);
});
