//! The command line: `check`, `info`, `simulate`, `explain`, `replay`, `batch`, `play` and the rest.
//! A command that opens the window (`play`, `replay --window`) leaves that to the binary.

mod args;
pub mod batch;
pub mod bench;
pub mod explain;
pub mod info;
mod mapview;
pub mod pbem;
pub mod replay_notes;
pub mod shard;
pub mod simulate;
pub mod sweep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::launch::{Next, PlayArgs};
use crate::scenario::Diagnostic;
pub use args::{Cli, Command};

/// Runs the command, or says to open the window.
pub fn run(cli: Cli) -> Next {
    match cli.command {
        Some(Command::Check { files }) => check(&files).into(),
        Some(Command::Info {
            scenario,
            json,
            units,
        }) => info::run(&scenario, json, units).into(),
        Some(Command::Simulate {
            scenario,
            seed,
            what_if,
            until,
            orders,
            report,
            save,
            load,
            ai,
            side,
            omniscient: _,
        }) => simulate::run(simulate::Args {
            side,
            ai,
            scenario,
            seed,
            what_ifs: what_if,
            until,
            orders,
            report,
            save,
            load,
        })
        .into(),
        Some(Command::WhatIfs { scenario }) => what_ifs(&scenario).into(),
        Some(Command::Explain {
            file,
            unit,
            turn,
            orders,
            ai,
            what_if,
            seed,
        }) => explain::run(explain::Args {
            file,
            unit,
            turn,
            orders,
            what_ifs: what_if,
            seed,
            ai,
        })
        .into(),
        Some(Command::Map { map }) => mapview::run(&map).into(),
        Some(Command::Replay {
            save, window: true, ..
        }) => Next::Window(Box::new(PlayArgs {
            scenario: PathBuf::from("scenarios/august_storm_1945.ron"),
            side: "watch".into(),
            load: None,
            replay: Some(save),
            screenshot: None,
            frames: 30,
            frame_times: None,
            script: None,
            what_ifs: Vec::new(),
            pbem: None,
        })),
        Some(Command::Replay {
            save,
            notes: Some(out),
            ..
        }) => replay_notes::run(&save, &out).into(),
        Some(Command::Pbem { command }) => pbem::run(command).into(),
        Some(Command::Replay { save, .. }) => replay_check(&save).into(),
        Some(Command::Batch {
            scenario,
            runs,
            seed_start,
            what_if,
            shard,
            shard_index_env,
            shards,
            calibration,
            places,
            out,
            force,
        }) => {
            let request = shard::ShardRequest {
                shard,
                index_env: shard_index_env,
                shards,
            };
            let shard = match shard::resolve(&request, |k| std::env::var(k).ok()) {
                Ok(s) => s,
                Err(m) => {
                    eprintln!("error: {m}");
                    return ExitCode::FAILURE.into();
                }
            };
            batch::run(batch::BatchArgs {
                scenario,
                runs,
                seed_start,
                what_ifs: what_if,
                shard,
                out,
                calibration,
                places,
                progress: true,
                force,
            })
            .into()
        }
        Some(Command::Sweep {
            file,
            shard,
            shard_index_env,
            shards,
            out,
            force,
        }) => {
            let request = shard::ShardRequest {
                shard,
                index_env: shard_index_env,
                shards,
            };
            let shard = match shard::resolve(&request, |k| std::env::var(k).ok()) {
                Ok(s) => s,
                Err(m) => {
                    eprintln!("error: {m}");
                    return ExitCode::FAILURE.into();
                }
            };
            sweep::run(sweep::SweepArgs {
                file,
                shard,
                out,
                progress: true,
                force,
            })
            .into()
        }
        Some(Command::Merge { dirs, out, force }) => {
            if dirs.first().is_some_and(|d| sweep::is_sweep_dir(d)) {
                sweep::run_merge(&dirs, &out, force)
            } else {
                batch::run_merge(&dirs, &out, force)
            }
            .into()
        }
        Some(Command::Compare { a, b, json }) => batch::run_compare(&a, &b, json).into(),
        Some(Command::Bench {
            scenario,
            runs,
            what_if,
        }) => bench::run(&scenario, runs, &what_if).into(),
        Some(Command::Play {
            scenario,
            side,
            load,
            replay,
            screenshot,
            frames,
            frame_times,
            script,
            what_if,
            pbem,
            key,
            open,
            send,
        }) => {
            // What the window reads, so that neither --screenshot nor --frame-times writes
            // over it.
            let mut inputs = crate::report::outputs::Inputs::default();
            inputs.add_scenario(&scenario, &what_if);
            for (p, role) in [
                (&load, "the save to continue"),
                (&replay, "the save to watch"),
            ] {
                if let Some(p) = p {
                    inputs.add(p, role);
                }
            }
            let outputs: Vec<(&str, &Path)> = [
                ("--screenshot", &screenshot),
                ("--frame-times", &frame_times),
            ]
            .into_iter()
            .filter_map(|(flag, p)| Some((flag, p.as_deref()?)))
            .collect();
            if let Err(e) = crate::report::outputs::check_outputs(&inputs, &outputs) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE.into();
            }
            let pbem = match (pbem, key) {
                (Some(game), Some(key)) => {
                    let send = send
                        .unwrap_or_else(|| game.parent().unwrap_or(Path::new("")).join("turn.ron"));
                    match pbem::prepare_window(game, key, open, send) {
                        Ok(p) => Some(p),
                        Err(code) => return Next::Exit(code),
                    }
                }
                _ => None,
            };
            Next::Window(Box::new(PlayArgs {
                scenario,
                side,
                load,
                replay,
                screenshot,
                frames,
                frame_times,
                script,
                what_ifs: what_if,
                pbem,
            }))
        }
        None => Next::Window(Box::new(PlayArgs {
            scenario: PathBuf::from("scenarios/august_storm_1945.ron"),
            side: "soviet".into(),
            load: None,
            replay: None,
            screenshot: None,
            frames: 30,
            frame_times: None,
            script: None,
            what_ifs: Vec::new(),
            pbem: None,
        })),
    }
}

/// `replay SAVE`: the save played again from its seed and orders (which loading it does),
/// and the teacher's notes beside it checked.
fn replay_check(save: &Path) -> ExitCode {
    match crate::rules::save::load_game(save) {
        Ok(g) => {
            let orders = g.world().resource::<crate::model::OrderLog>().entries.len();
            let cal = g.calendar().clone();
            println!(
                "identical: {orders} orders played again from the seed to turn {} ({} to move) give exactly the state {} holds",
                cal.turn,
                cal.active.name(),
                save.display()
            );
            // The teacher's notes beside it are checked too: the viewer would refuse them.
            let notes = crate::scenario::notes::notes_path(save);
            if notes.exists() {
                match crate::scenario::notes::load_notes(&notes, Some(cal.turn)) {
                    Ok(n) => println!(
                        "{}: {} teacher's note{}, each on a turn the save reached",
                        notes.display(),
                        n.notes.len(),
                        if n.notes.len() == 1 { "" } else { "s" }
                    ),
                    Err(d) => {
                        print_diagnostics(&d);
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&d);
            ExitCode::FAILURE
        }
    }
}

/// Prints diagnostics to stderr; returns the number of errors.
pub fn print_diagnostics(diags: &[Diagnostic]) -> usize {
    for d in diags {
        eprintln!("{d}");
    }
    diags.iter().filter(|d| d.is_error()).count()
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut errors = 0;
    let mut warnings = 0;
    for f in files {
        let diags = crate::rules::check_file(f);
        let e = print_diagnostics(&diags);
        errors += e;
        warnings += diags.len() - e;
        if e == 0 {
            println!("{}: ok", f.display());
        }
    }
    println!(
        "{} file{} checked: {errors} error{}, {warnings} warning{}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn what_ifs(scenario: &Path) -> ExitCode {
    let list = crate::scenario::whatif::list_what_ifs(scenario);
    if list.is_empty() {
        println!(
            "no what-ifs found in {}",
            crate::scenario::whatif::what_if_dir(scenario).display()
        );
        return ExitCode::SUCCESS;
    }
    let mut bad = 0;
    for (path, w) in list {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match w {
            Ok(w) => println!("{stem:<16} {}", w.summary),
            Err(d) => {
                bad += print_diagnostics(&d);
            }
        }
    }
    if bad > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
