//! Coverage-guided fuzzing of the save loader. Each input is loaded twice: as it is (so the
//! version check, the parser and the checksum see it), and, when it parses as a save, again
//! with its checksum made to match, so the restoring of hostile state (unit offsets, stocks,
//! positions, control, the order log) is reached too and not stopped at the checksum.
#![no_main]

use std::path::Path;
use std::sync::Once;

use august_storm::scenario::save::{SaveFile, load_game_text};
use libfuzzer_sys::fuzz_target;

fn init() {
    static ONCE: Once = Once::new();
    // Saves name their scenario relative to the repository's root.
    ONCE.call_once(|| {
        std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
    });
}

fuzz_target!(|data: &[u8]| {
    init();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzzed_save.ron");
    let _ = load_game_text(path, text.to_string());
    if let Ok(mut save) = ron::from_str::<SaveFile>(text) {
        save.checksum = save.digest();
        if let Ok(fixed) = ron::ser::to_string(&save) {
            let _ = load_game_text(path, fixed);
        }
    }
});
