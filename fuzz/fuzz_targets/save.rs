//! Coverage-guided fuzzing of the save loader. Each input is loaded twice: as it is (so the
//! version check, the parser and the checksum see it), and, when it parses as a save, again
//! with its checksum made to match, so the checking and restoring of hostile state (ids,
//! counts, turns, dates, stocks, positions, the order log) is reached too and not stopped at
//! the checksum. A save that loads is explained unit by unit and played on for two turns, so
//! a value the checks let through and the rules trip over later is a crash too.
#![no_main]

use std::path::Path;
use std::sync::Once;

use august_storm::cli::explain::explain_named;
use august_storm::cli::simulate::play;
use august_storm::model::Side;
use august_storm::rules::Game;
use august_storm::scenario::save::SaveFile;
use august_storm::rules::save::load_game_text;
use libfuzzer_sys::fuzz_target;

fn init() {
    static ONCE: Once = Once::new();
    // Saves name their scenario relative to the repository's root.
    ONCE.call_once(|| {
        std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
    });
}

/// What `explain` and `simulate --load` do with a loaded game.
fn play_on(mut game: Game) {
    for (_, name) in game.unit_names() {
        let _ = explain_named(&mut game, &name);
    }
    let until = game.calendar().turn.saturating_add(2);
    play(&mut game, &[], &[Side::Soviet, Side::Japanese], until);
}

fuzz_target!(|data: &[u8]| {
    init();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzzed_save.ron");
    if let Ok(g) = load_game_text(path, text.to_string()) {
        play_on(g);
    }
    if let Ok(mut save) = ron::from_str::<SaveFile>(text) {
        save.checksum = save.digest();
        if let Ok(fixed) = ron::ser::to_string(&save)
            && let Ok(g) = load_game_text(path, fixed)
        {
            play_on(g);
        }
    }
});
