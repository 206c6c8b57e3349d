//! The `august-storm` binary: see `august-storm --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    august_storm::cli::run(august_storm::cli::Cli::parse())
}
