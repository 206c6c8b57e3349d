//! The `august-storm` binary: see `august-storm --help`. It runs the command line and, when
//! the command asks for it, opens the game window.

use std::process::ExitCode;

use august_storm::launch::{Next, PlayArgs};
use clap::Parser;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing to a pipe that closed (`| head`) would panic. Like
    // every Unix tool, end quietly instead.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match august_storm::cli::run(august_storm::cli::Cli::parse()) {
        Next::Exit(code) => code,
        Next::Window(args) => window(*args),
    }
}

#[cfg(feature = "gui")]
fn window(args: PlayArgs) -> ExitCode {
    august_storm::gui::run(args)
}

#[cfg(not(feature = "gui"))]
fn window(_args: PlayArgs) -> ExitCode {
    eprintln!(
        "this build of august-storm has no window (it was built without the `gui` feature).\n\
         Run `cargo run --release` for the game, or use the headless commands: `august-storm --help`."
    );
    ExitCode::FAILURE
}
