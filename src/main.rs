//! The `august-storm` binary: see `august-storm --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing to a pipe that closed (`| head`) would panic. Like
    // every Unix tool, end quietly instead.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    august_storm::cli::run(august_storm::cli::Cli::parse())
}
