//! `august-storm explain`: the game brought to the turn asked for, and the account of one
//! unit's or formation's logistics (`report::explain`) printed.

use std::path::PathBuf;
use std::process::ExitCode;

use super::print_diagnostics;
use super::simulate::{load_orders_for, new_game, parse_ai, play};
use crate::model::OrderOfBattle;
use crate::report::explain::{explain, explain_formation};
use crate::rules::Game;
use crate::rules::save::load_game_text;
use crate::scenario::load::read_source;

pub struct Args {
    pub file: PathBuf,
    pub unit: String,
    pub turn: Option<u32>,
    pub orders: Option<PathBuf>,
    pub what_ifs: Vec<String>,
    pub seed: Option<u64>,
    /// Which sides the AI commands while the game is brought to `turn`, as for `simulate`.
    pub ai: Option<String>,
}

pub fn run(a: Args) -> ExitCode {
    match bring_to_turn(&a) {
        Ok(mut game) => match explain_named(&mut game, &a.unit) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(m) => {
                eprintln!("error: {m}");
                ExitCode::FAILURE
            }
        },
        Err(Refusal::Diagnostics(d)) => {
            print_diagnostics(&d);
            ExitCode::FAILURE
        }
        Err(Refusal::Message(m)) => {
            eprintln!("error: {m}");
            ExitCode::FAILURE
        }
    }
}

/// Why `explain` stops before it explains.
pub enum Refusal {
    Diagnostics(Vec<crate::scenario::Diagnostic>),
    Message(String),
}

impl From<Vec<crate::scenario::Diagnostic>> for Refusal {
    fn from(d: Vec<crate::scenario::Diagnostic>) -> Self {
        Refusal::Diagnostics(d)
    }
}

/// The game `explain` speaks of: the scenario or save, brought to the start of `--turn` the
/// way `simulate` plays it (the AI for the sides `--ai` names, the orders file for the rest).
pub fn bring_to_turn(a: &Args) -> Result<Game, Refusal> {
    // The file goes through the loaders' own reading, which refuses devices, pipes and
    // oversized files before reading a byte of them.
    let src = read_source(&a.file).map_err(|d| vec![d])?;
    let is_save = src.key(0, "format_version").is_some();
    let mut game = if is_save {
        // A save is a game already under way: its seed and what-ifs are part of it.
        if a.seed.is_some() || !a.what_ifs.is_empty() {
            return Err(Refusal::Message(format!(
                "{} is a saved game, whose seed and what-ifs were fixed when it began; --seed and --what-if apply only when explaining a scenario from its start",
                a.file.display()
            )));
        }
        load_game_text(&a.file, src.text)?
    } else {
        new_game(&a.file, a.seed, &a.what_ifs)?
    };
    if a.orders.is_some() && a.turn.is_none() {
        return Err(Refusal::Message(
            "--orders are given turn by turn while the game is played: name the turn to explain with --turn".into(),
        ));
    }
    if a.ai.is_some() && a.turn.is_none() {
        return Err(Refusal::Message(
            "--ai says who commands while the game is played: name the turn to explain with --turn"
                .into(),
        ));
    }
    let Some(turn) = a.turn else {
        return Ok(game);
    };
    let cal = game.calendar();
    let last = cal.turns();
    if turn == 0 || turn > last {
        return Err(Refusal::Message(format!(
            "--turn {turn}: the campaign has turns 1 to {last} ({} hours each)",
            cal.turn_hours
        )));
    }
    if turn < cal.turn {
        return Err(Refusal::Message(format!(
            "the game is already at turn {}; --turn {turn} lies in its past (explain the scenario to replay it from the start)",
            cal.turn
        )));
    }
    let orders = match &a.orders {
        Some(p) => load_orders_for(p, &game)?.orders,
        None => Vec::new(),
    };
    let ai = parse_ai(a.ai.as_deref(), a.orders.is_some()).map_err(Refusal::Message)?;
    play(&mut game, &orders, &ai, turn);
    let cal = game.calendar();
    if cal.turn < turn {
        return Err(Refusal::Message(format!(
            "the campaign ended at turn {}, before turn {turn}",
            cal.turn
        )));
    }
    Ok(game)
}

/// The explanation of a unit or formation named `name`, or why there is none.
pub fn explain_named(game: &mut Game, name: &str) -> Result<String, String> {
    // A formation: explain each of its units, after a summary of the whole.
    let formation = game
        .world()
        .resource::<OrderOfBattle>()
        .formations
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.id);
    if let Some(f) = formation {
        return Ok(explain_formation(game, f));
    }
    let Some(id) = game.unit_id(name) else {
        let names = game.unit_names();
        let hint = crate::scenario::diag::closest(name, names.iter().map(|(_, n)| n.as_str()));
        return Err(format!(
            "there is no unit named \"{name}\"{}",
            hint.map_or(String::new(), |h| format!("; did you mean \"{h}\"?"))
        ));
    };
    Ok(explain(game, id))
}
