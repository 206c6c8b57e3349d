//! The game window. Compiled only with the `gui` feature.


use std::process::ExitCode;

/// Opens the game window on a scenario.
pub fn run(_args: crate::cli::PlayArgs) -> ExitCode {
    eprintln!(
        "the game window is not built yet; use the headless commands (`august-storm --help`)"
    );
    ExitCode::FAILURE
}
