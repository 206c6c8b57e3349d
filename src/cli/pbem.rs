//! `pbem new`, `join`, `turn` and `open`: a game by e-mail from the command line, each
//! player with their own key file and their own copy of the game.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::print_diagnostics;
use crate::model::Side;
use crate::pbem::setup::{
    Fail, new_game_files, open_turn, read, to_ron, window_game, write, write_key,
};
use crate::pbem::{self, KeyFile, Record, WindowGame};
use crate::report::outputs::{Inputs, check_outputs};
use crate::rules::Game;

#[derive(Subcommand, Debug)]
pub enum PbemCommand {
    /// Open a new game by e-mail: make your key file and the game file to send to the other
    /// player.
    New {
        scenario: PathBuf,
        /// The side you play: soviet or japanese.
        #[arg(long)]
        side: String,
        /// Apply a what-if overlay by name (repeatable).
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
        /// Your key file, made now: keep it, never send it.
        #[arg(long, value_name = "KEY.ron")]
        key: PathBuf,
        /// The game file to send (also your own copy of the game).
        #[arg(long, value_name = "GAME.ron")]
        out: PathBuf,
    },
    /// Accept a game you were sent: make your key file and the game file to send back.
    Join {
        /// The game file you received.
        game: PathBuf,
        /// Your key file, made now: keep it, never send it.
        #[arg(long, value_name = "KEY.ron")]
        key: PathBuf,
        /// The game file to send back (also your own copy of the game).
        #[arg(long, value_name = "GAME.ron")]
        out: PathBuf,
        /// Your copy of the scenario, if not where the other player keeps theirs.
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Open a turn file the other player sent: check it, play the whole game again, show
    /// what your side saw happen, and keep it as your copy of the game.
    Open {
        /// The turn file you received.
        turn: PathBuf,
        #[arg(long, value_name = "KEY.ron")]
        key: PathBuf,
        /// Your copy of the game, replaced by the received one once it is checked.
        #[arg(long, value_name = "GAME.ron")]
        game: PathBuf,
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Give your orders for your phase and write the turn file to send.
    Turn {
        #[arg(long, value_name = "KEY.ron")]
        key: PathBuf,
        /// Your copy of the game; the new turn is added to it.
        #[arg(long, value_name = "GAME.ron")]
        game: PathBuf,
        /// Your orders (the orders file format of `simulate`; the current turn's are given).
        #[arg(long, value_name = "FILE", conflicts_with = "ai")]
        orders: Option<PathBuf>,
        /// Let the computer give your side's orders for this phase.
        #[arg(long)]
        ai: bool,
        /// The turn file to send.
        #[arg(long, value_name = "TURN.ron")]
        out: PathBuf,
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
}

pub fn run(c: PbemCommand) -> ExitCode {
    match go(c) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Refused(m)) => {
            eprintln!("error: {m}");
            ExitCode::FAILURE
        }
        Err(Fail::Diagnostics(d)) => {
            print_diagnostics(&d);
            ExitCode::FAILURE
        }
    }
}

fn parse_side(s: &str) -> Result<Side, String> {
    match s.to_ascii_lowercase().as_str() {
        "soviet" => Ok(Side::Soviet),
        "japanese" => Ok(Side::Japanese),
        other => Err(format!("--side {other}: expected soviet or japanese")),
    }
}

fn go(c: PbemCommand) -> Result<(), Fail> {
    match c {
        PbemCommand::New {
            scenario,
            side,
            what_if,
            key,
            out,
        } => {
            let side = parse_side(&side)?;
            println!("{}", new_game_files(&scenario, &what_if, side, &key, &out)?);
            Ok(())
        }
        PbemCommand::Join {
            game,
            key,
            out,
            scenario,
        } => {
            let opened: Record = read(&game)?;
            let spath = pbem::scenario_path(&opened, scenario.as_deref())?;
            let mut inputs = Inputs::default();
            inputs.add(&game, "the game file you received");
            inputs.add_scenario(&spath, &[]);
            check_outputs(&inputs, &[("--key", &key), ("--out", &out)])?;
            let (k, record) = pbem::join_game(&opened, &spath)?;
            write_key(&key, &k)?;
            write(&out, &to_ron(&record)?)?;
            println!(
                "You accept the game and play the {} side. Your key is in {} (keep it; never send it).",
                k.side.name(),
                key.display()
            );
            if k.side == Side::Soviet {
                println!(
                    "The Soviet side moves first: give your orders with\n  august-storm pbem turn --key {} --game {} --orders ORDERS.ron --out TURN.ron\nand send TURN.ron.",
                    key.display(),
                    out.display()
                );
            } else {
                println!("Send {} back to the other player.", out.display());
            }
            Ok(())
        }
        PbemCommand::Open {
            turn,
            key,
            game,
            scenario,
        } => open_turn(&turn, &key, &game, scenario.as_deref()),
        PbemCommand::Turn {
            key,
            game,
            orders,
            ai,
            out,
            scenario,
        } => {
            let k: KeyFile = read(&key)?;
            let mine: Record = read(&game)?;
            let spath = pbem::scenario_path(&mine, scenario.as_deref())?;
            let mut inputs = Inputs::default();
            inputs.add(&key, "your key file");
            if let Some(o) = &orders {
                inputs.add(o, "the orders file");
            }
            inputs.add_scenario(&spath, &[]);
            check_outputs(&inputs, &[("--game", &game), ("--out", &out)])?;
            let mut refused_diags = None;
            let (record, _) = pbem::next_turn(&mine, &spath, &k, |g: &mut Game| {
                if orders.is_none() && !ai {
                    return Err(
                        "give your orders with --orders FILE, or let the computer give them with --ai"
                            .into(),
                    );
                }
                if ai {
                    for o in crate::ai::plan_orders(g.world_mut()) {
                        // The AI's orders go through the rules; one refused is left out.
                        let _ = g.submit(o);
                    }
                    return Ok(());
                }
                let path = orders.as_deref().unwrap_or(Path::new(""));
                let f = match super::simulate::load_orders_for(path, g) {
                    Ok(f) => f,
                    Err(d) => {
                        refused_diags = Some(d);
                        return Err("the orders file was refused".into());
                    }
                };
                let turn = g.calendar().turn;
                let refused = super::simulate::give_orders(g, &f.orders, turn);
                if refused > 0 {
                    return Err(format!(
                        "{refused} of your orders for this turn were refused (reasons above); nothing was written: mend the orders file and give the turn again"
                    ));
                }
                Ok(())
            })
            .map_err(|m| match refused_diags.take() {
                Some(d) => Fail::Diagnostics(d),
                None => Fail::Refused(m),
            })?;
            let text = to_ron(&record)?;
            write(&out, &text)?;
            write(&game, &text)?;
            let Some(pbem::SignedTurn {
                body: pbem::Body::Orders { orders, turn, .. },
                ..
            }) = record.turns.last()
            else {
                println!(
                    "The campaign is over. Your closing turn is signed and in {}: send it to the other player, so that they see the end too.",
                    out.display()
                );
                return Ok(());
            };
            println!(
                "Your {} orders for game turn {turn} are signed and in {}: send it to the other player.",
                orders.len(),
                out.display()
            );
            Ok(())
        }
    }
}

/// `window_game` for `play --pbem`: errors printed, ending the command.
pub fn prepare_window(
    game: PathBuf,
    key: PathBuf,
    open: Option<PathBuf>,
    send: PathBuf,
) -> Result<WindowGame, ExitCode> {
    window_game(game, key, open, send).map_err(|m| {
        eprintln!("error: {m}");
        ExitCode::FAILURE
    })
}
