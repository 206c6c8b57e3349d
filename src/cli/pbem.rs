//! `pbem new`, `join`, `turn` and `open`: a game by e-mail from the command line, each
//! player with their own key file and their own copy of the game.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::outputs::{Inputs, check_outputs};
use super::print_diagnostics;
use crate::model::{Allegiance, EventLog, GameEvent, Map, Side, UnitId, UnitName};
use crate::pbem::{self, KeyFile, Record, WindowGame};
use crate::rules::Game;
use crate::scenario::diag::{Diagnostic, parse_ron};
use crate::scenario::load::read_source;
use crate::scenario::save::write_atomically;

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

enum Fail {
    Refused(String),
    Diagnostics(Vec<Diagnostic>),
}

impl From<String> for Fail {
    fn from(m: String) -> Self {
        Fail::Refused(m)
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Fail> {
    let src = read_source(path).map_err(|d| Fail::Diagnostics(vec![d]))?;
    parse_ron(&src).map_err(|d| Fail::Diagnostics(vec![d]))
}

fn to_ron<T: serde::Serialize>(v: &T) -> Result<String, String> {
    ron::ser::to_string_pretty(
        v,
        ron::ser::PrettyConfig::default().indentor(" ".to_string()),
    )
    .map_err(|e| e.to_string())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    write_atomically(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a new key file, never over an existing file, readable by its owner only.
fn write_key(path: &Path, key: &KeyFile) -> Result<(), String> {
    use std::io::Write;
    let text = to_ron(key)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "--key {}: that file exists already; a key file is made once for each game and never replaced: name a new file",
                path.display()
            )
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
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

/// Opens a received turn file over the player's copy of the game, once it is checked.
fn open_turn(turn: &Path, key: &Path, game: &Path, scenario: Option<&Path>) -> Result<(), Fail> {
    let k: KeyFile = read(key)?;
    let mine: Record = read(game)?;
    let received: Record = read(turn)?;
    let spath = pbem::scenario_path(&mine, scenario)?;
    let mut inputs = Inputs::default();
    inputs.add(turn, "the turn file you received");
    inputs.add(key, "your key file");
    inputs.add_scenario(&spath, &[]);
    check_outputs(&inputs, &[("--game", game)])?;
    pbem::accept_received(&mine, &received, &k)?;
    let before = if mine.turns.len() >= 2 {
        let mut g = pbem::play_record(&mine, &spath, Some(&k))?.game;
        g.world_mut().resource::<EventLog>().events.len()
    } else {
        0
    };
    let mut played = pbem::play_record(&received, &spath, Some(&k))?;
    write(game, &to_ron(&received)?)?;
    println!(
        "Checked: {} turns, every one signed by its side and following the one before; {} played again from the start, the same game on both sides.",
        received.turns.len(),
        match played.resolved {
            1 => "1 phase".to_string(),
            n => format!("{n} phases"),
        }
    );
    let lines = since(&mut played.game, before, k.side);
    if lines.is_empty() {
        println!("Nothing your side saw happen since your last turn.");
    } else {
        println!(
            "Since your last turn (as the {} side saw it):",
            k.side.name()
        );
        for l in lines {
            println!("  {l}");
        }
    }
    println!("{}", pbem::whose_move(&played, &k));
    Ok(())
}

/// A new game by e-mail: the first player's key file (never written over an existing file)
/// and the game file to send; what to do next, in words.
pub fn new_game_files(
    scenario: &Path,
    what_ifs: &[String],
    side: Side,
    key: &Path,
    out: &Path,
) -> Result<String, String> {
    let mut inputs = Inputs::default();
    inputs.add_scenario(scenario, what_ifs);
    check_outputs(&inputs, &[("--key", key), ("--out", out)])?;
    let named = scenario.display().to_string().replace('\\', "/");
    let (k, record) = pbem::open_game(scenario, &named, what_ifs, side)?;
    write_key(key, &k)?;
    write(out, &to_ron(&record)?)?;
    Ok(format!(
        "A new game of {} by e-mail: you play the {} side.\nYour key is in {} (keep it; never send it). Send {} to the other player, who accepts it with\n  august-storm pbem join {} --key THEIR-KEY.ron --out GAME.ron",
        scenario.display(),
        side.name(),
        key.display(),
        out.display(),
        out.display()
    ))
}

fn fail_text(f: Fail) -> String {
    match f {
        Fail::Refused(m) => m,
        Fail::Diagnostics(d) => crate::scenario::diag::to_text(&d),
    }
}

/// A game by e-mail ready for the window: a received turn opened first where one is named
/// (checked and played again, as `pbem open` does), then the player's copy played to now.
pub fn window_game(
    game: PathBuf,
    key: PathBuf,
    open: Option<PathBuf>,
    send: PathBuf,
) -> Result<WindowGame, String> {
    if let Some(t) = &open {
        open_turn(t, &key, &game, None).map_err(fail_text)?;
    }
    let k: KeyFile = read(&key).map_err(fail_text)?;
    let record: Record = read(&game).map_err(fail_text)?;
    let scenario = pbem::scenario_path(&record, None)?;
    let mut inputs = Inputs::default();
    inputs.add(&key, "your key file");
    inputs.add(&game, "your copy of the game");
    if let Some(t) = &open {
        inputs.add(t, "the turn file you received");
    }
    inputs.add_scenario(&scenario, &[]);
    check_outputs(&inputs, &[("--send", &send)])?;
    let w = WindowGame {
        game,
        send,
        key: k,
        record,
        scenario,
    };
    w.play()?;
    Ok(w)
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

/// What the side saw happen from event `from` on: battles, captures, surrenders, the
/// cease-fire, one line each, with enemy units it never observed left unnamed.
fn since(game: &mut Game, from: usize, side: Side) -> Vec<String> {
    let world = game.world_mut();
    let mut q = world.query::<(&UnitId, &UnitName, &Allegiance)>();
    let units: BTreeMap<UnitId, (String, Side)> = q
        .iter(world)
        .map(|(i, n, a)| (*i, (n.0.clone(), a.side)))
        .collect();
    let world = game.world();
    let map = world.resource::<Map>();
    let name = |u: &UnitId| match units.get(u) {
        Some((n, s)) if crate::rules::fog::knows(world, side, *u, *s) => n.clone(),
        Some(_) => "an enemy unit".into(),
        None => "a unit".into(),
    };
    let list = |us: &[UnitId]| us.iter().map(&name).collect::<Vec<_>>().join(", ");
    let place_at = |h: crate::model::Hex| {
        map.places
            .iter()
            .find(|p| p.hex == h)
            .map_or_else(|| format!("hex {h}"), |p| p.name.clone())
    };
    world
        .resource::<EventLog>()
        .events
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let text = match &e.event {
                GameEvent::Battle {
                    target,
                    attackers,
                    defenders,
                    result,
                    ..
                } => format!(
                    "battle at {}: {} attacked {}: {result}",
                    place_at(*target),
                    list(attackers),
                    list(defenders)
                ),
                GameEvent::PlaceCaptured { name: n, to, .. } => {
                    format!("{n} taken by the {} side", to.name())
                }
                GameEvent::UnitSurrendered { unit, men, .. } => format!(
                    "{} surrendered ({} men)",
                    name(unit),
                    crate::report::words::thousands(*men)
                ),
                GameEvent::CeasefireReached { formation } => {
                    format!("the cease-fire order reached {formation}")
                }
                GameEvent::CampaignEnded => "the campaign is over".into(),
                _ => return None,
            };
            Some(format!(
                "{} · {text}",
                crate::report::words::short_date(&e.time)
            ))
        })
        .collect()
}
