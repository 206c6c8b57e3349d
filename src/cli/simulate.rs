//! `august-storm simulate`: run a scenario headless, turn by turn, with orders from a file,
//! and write the JSON report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::print_diagnostics;
use crate::model::time::{iso_local, parse_local};
use crate::model::{LatLon, Order, Side};
use crate::report::outputs::Inputs;
use crate::rules::Game;
use crate::rules::save;
use crate::scenario::diag::Diagnostic;
use crate::scenario::schema::Location;
use crate::scenario::spawn::GameSetup;
use crate::scenario::whatif::Switches;

pub struct Args {
    /// Report as this side knows the campaign (`None`: everything).
    pub side: Option<String>,
    pub ai: Option<String>,
    pub scenario: PathBuf,
    pub seed: Option<u64>,
    pub what_ifs: Vec<String>,
    pub until: Option<String>,
    pub orders: Option<PathBuf>,
    pub report: Option<PathBuf>,
    pub save: Option<PathBuf>,
    pub load: Option<PathBuf>,
}

pub use crate::scenario::orders::{OrdersFile, TurnOrder, UnitOrder};

/// Builds a new game from a scenario, seed and what-ifs.
pub fn new_game(
    scenario: &Path,
    seed: Option<u64>,
    what_ifs: &[String],
) -> Result<Game, Vec<Diagnostic>> {
    let (s, setup, switches) = prepare(scenario, seed, what_ifs)?;
    Ok(Game::new(&s, setup, switches))
}

/// Loads a scenario and applies what-ifs: everything a new game is spawned from.
pub fn prepare(
    scenario: &Path,
    seed: Option<u64>,
    what_ifs: &[String],
) -> Result<(crate::scenario::Scenario, GameSetup, Switches), Vec<Diagnostic>> {
    crate::scenario::prepare_game(scenario, seed, what_ifs)
}

/// Reads an orders file, checking everything that does not need the game (syntax, turns
/// from 1, figures in range).
pub fn load_orders(path: &Path) -> Result<OrdersFile, Vec<Diagnostic>> {
    crate::scenario::orders::read_orders(path).map(|(f, _)| f)
}

/// Reads an orders file and checks every order against the game it is for: each unit,
/// place and air army it names, and each turn within the campaign.
pub fn load_orders_for(path: &Path, game: &Game) -> Result<OrdersFile, Vec<Diagnostic>> {
    use crate::scenario::orders::{OrdersContext, check_orders, read_orders};
    let (f, src) = read_orders(path)?;
    let d = check_orders(&src, &f, &OrdersContext::of_world(game.world()));
    if d.is_empty() { Ok(f) } else { Err(d) }
}

pub fn run(a: Args) -> ExitCode {
    let mut game = match &a.load {
        Some(p) => crate::rules::save::load_game(p),
        None => new_game(&a.scenario, a.seed, &a.what_ifs),
    }
    .unwrap_or_else(|d| {
        print_diagnostics(&d);
        std::process::exit(1)
    });
    if let Some(p) = &a.load
        && let Err(m) = save::check_scenario_given(&game, p, &a.scenario)
    {
        eprintln!("error: {m}");
        return ExitCode::FAILURE;
    }
    let orders = match &a.orders {
        Some(p) => match load_orders_for(p, &game) {
            Ok(o) => o.orders,
            Err(d) => {
                print_diagnostics(&d);
                return ExitCode::FAILURE;
            }
        },
        None => Vec::new(),
    };
    let until_turn = match &a.until {
        None => u32::MAX,
        Some(u) => match parse_local(u) {
            Some(t) => game.calendar().turn_at(t),
            None => {
                eprintln!(
                    "error: --until \"{u}\" is not a date; write it as 1945-08-15 or 1945-08-15T12:00"
                );
                return ExitCode::FAILURE;
            }
        },
    };
    let ai = match parse_ai(a.ai.as_deref(), a.orders.is_some()) {
        Ok(s) => s,
        Err(m) => {
            eprintln!("error: {m}");
            return ExitCode::FAILURE;
        }
    };
    let view = match a.side.as_deref() {
        None => None,
        Some("soviet") => Some(Side::Soviet),
        Some("japanese") => Some(Side::Japanese),
        Some(s) => {
            eprintln!("error: --side {s}: expected soviet or japanese");
            return ExitCode::FAILURE;
        }
    };
    // Checked before the campaign is played, so that a refused run wastes no time and
    // writes nothing.
    if let Err(m) = check_outputs(&a, &game) {
        eprintln!("error: {m}");
        return ExitCode::FAILURE;
    }
    let rejected = play(&mut game, &orders, &ai, until_turn);
    let mut report = crate::report::campaign_report(&mut game);
    if let Some(side) = view {
        crate::report::view_for(&mut report, game.world(), side);
    }
    let cal = game.calendar();
    let played = if cal.finished { cal.turn } else { cal.turn - 1 };
    let turns = if played == 1 { "turn" } else { "turns" };
    println!(
        "{}: seed {}, {} to {} ({played} {turns} of {} hours)",
        report.scenario, report.seed, report.start, report.end, cal.turn_hours
    );
    if !report.what_ifs.is_empty() {
        println!("what-ifs: {}", report.what_ifs.join(", "));
    }
    let captures: Vec<_> = report
        .control_changes
        .iter()
        .map(|c| format!("{} ({}, {})", c.place, &c.time[..16], c.unit))
        .collect();
    println!(
        "{} places changed hands{}",
        captures.len(),
        if captures.is_empty() {
            String::new()
        } else {
            format!(": {}", captures.join("; "))
        }
    );
    println!("fuel burned: {:.1} t", report.logistics.fuel_consumed_t);
    if let Some(d) = &report.debrief {
        print!("{}", crate::report::debrief::to_text(d));
    }
    if let Some(v) = &report.victory {
        print!("{}", crate::report::victory::to_text(v));
    }
    if rejected > 0 {
        println!("{rejected} orders were rejected (reasons above and in the report's events)");
    }
    if let Some(path) = &a.report {
        let text = serde_json::to_string_pretty(&report).expect("reports serialise");
        if let Err(e) = crate::scenario::save::write_atomically(path, text.as_bytes()) {
            eprintln!("error: cannot write the report to {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("report written to {}", path.display());
    }
    if let Some(path) = &a.save {
        if let Err(e) = save::save_game(&mut game, path) {
            eprintln!("error: cannot save to {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("game saved to {}", path.display());
    }
    ExitCode::SUCCESS
}

/// Refuses a `--report` or `--save` that would write over a file the run reads (the
/// scenario and its files, the what-ifs, the orders, the save it continues) or over the
/// other output.
fn check_outputs(a: &Args, game: &Game) -> Result<(), String> {
    let mut inputs = Inputs::default();
    match &a.load {
        Some(p) => {
            inputs.add(p, "the saved game this run continues");
            let setup = game.world().resource::<GameSetup>();
            inputs.add_scenario(Path::new(&setup.scenario), &setup.what_ifs);
            inputs.add(&a.scenario, "the scenario named on the command line");
        }
        None => inputs.add_scenario(&a.scenario, &a.what_ifs),
    }
    if let Some(o) = &a.orders {
        inputs.add(o, "the orders file");
    }
    let outputs: Vec<(&str, &Path)> = [("--report", &a.report), ("--save", &a.save)]
        .into_iter()
        .filter_map(|(flag, p)| Some((flag, p.as_deref()?)))
        .collect();
    crate::report::outputs::check_outputs(&inputs, &outputs)
}

/// Which sides the AI commands.
pub fn parse_ai(s: Option<&str>, have_orders: bool) -> Result<Vec<Side>, String> {
    match s.unwrap_or(if have_orders { "none" } else { "both" }) {
        "none" => Ok(vec![]),
        "soviet" => Ok(vec![Side::Soviet]),
        "japanese" => Ok(vec![Side::Japanese]),
        "both" => Ok(Side::BOTH.to_vec()),
        other => Err(format!(
            "--ai {other}: expected none, soviet, japanese or both"
        )),
    }
}

/// Plays turns: the orders file's orders for each turn, then the AI's for the sides it
/// commands, until `until_turn` begins or the campaign ends. Returns the orders rejected
/// (from the file; the AI's go through the same validation and are counted in the log).
pub fn play(game: &mut Game, orders: &[TurnOrder], ai: &[Side], until_turn: u32) -> usize {
    let mut rejected = 0;
    while !game.calendar().finished && game.calendar().turn < until_turn {
        let turn = game.calendar().turn;
        if ai.contains(&game.calendar().active) {
            // The file speaks for the player: an order in it for a unit the AI commands would
            // let the player move the enemy.
            rejected += refuse_orders_for_the_ai(game, orders, turn);
            crate::ai::play_phase(game);
        } else {
            rejected += give_orders(game, orders, turn);
            game.submit(Order::EndTurn)
                .expect("ending a turn is always allowed");
        }
    }
    rejected
}

/// Refuses, with a reason, the orders of this turn for units of the side the AI commands.
fn refuse_orders_for_the_ai(game: &mut Game, orders: &[TurnOrder], turn: u32) -> usize {
    let side = game.calendar().active;
    let mut rejected = 0;
    for o in orders.iter().filter(|o| o.turn == turn) {
        let Some(e) = game.unit_id(&o.unit).and_then(|id| game.entity(id)) else {
            continue;
        };
        if game
            .world()
            .get::<crate::model::Allegiance>(e)
            .map(|a| a.side)
            == Some(side)
        {
            eprintln!(
                "turn {turn}: {} is a {side:?} unit and the AI commands the {side:?} side; order skipped",
                o.unit
            );
            rejected += 1;
        }
    }
    rejected
}

/// Gives each turn's orders and ends both sides' phases, until `until_turn` begins or the
/// campaign ends. Returns how many orders were rejected; each is reported and skipped, and
/// nothing else in the turn is lost.
pub fn play_orders(game: &mut Game, orders: &[TurnOrder], until_turn: u32) -> usize {
    play(game, orders, &[], until_turn)
}

/// Gives the side to move the orders of this turn from an orders file. Returns how many were
/// rejected; each is reported with its reason and skipped.
pub fn give_orders(game: &mut Game, orders: &[TurnOrder], turn: u32) -> usize {
    let mut rejected = 0;
    let side = game.calendar().active;
    for o in orders.iter().filter(|o| o.turn == turn) {
        let Some(id) = game.unit_id(&o.unit) else {
            if side == Side::Soviet {
                eprintln!(
                    "turn {turn}: no unit is named \"{}\"; order skipped",
                    o.unit
                );
                rejected += 1;
            }
            continue;
        };
        let e = game.entity(id).expect("ids have entities");
        let unit_side = game
            .world()
            .get::<crate::model::Allegiance>(e)
            .expect("units have sides")
            .side;
        if unit_side != side {
            continue;
        }
        let order = match &o.order {
            UnitOrder::Hold => Order::Hold { unit: id },
            UnitOrder::GiveFuel { to, tons } => {
                let Some(to) = game.unit_id(to) else {
                    eprintln!(
                        "turn {turn}: {}: no unit is named \"{to}\"; order skipped",
                        o.unit
                    );
                    rejected += 1;
                    continue;
                };
                Order::TransferFuel {
                    from: id,
                    to,
                    tons: *tons,
                }
            }
            UnitOrder::Airlift {
                air_army,
                base,
                cargo,
                tons,
            } => {
                let world = game.world();
                let oob = world.resource::<crate::model::OrderOfBattle>();
                let map = world.resource::<crate::model::Map>();
                let (Some(f), Some(b)) = (
                    oob.formations.iter().find(|f| f.name == *air_army),
                    map.place_named(base),
                ) else {
                    eprintln!(
                        "turn {turn}: {}: no air army \"{air_army}\" or no place \"{base}\"; order skipped",
                        o.unit
                    );
                    rejected += 1;
                    continue;
                };
                Order::Airlift {
                    air_army: f.id,
                    base: b.id,
                    to: id,
                    cargo: *cargo,
                    tons: *tons,
                }
            }
            UnitOrder::MoveTo(loc) => {
                let map = game.world().resource::<crate::model::Map>();
                let to = match loc {
                    Location::Place(p) => match map.place_named(p) {
                        Some(p) => p.hex,
                        None => {
                            eprintln!(
                                "turn {turn}: {}: there is no place named \"{p}\"; order skipped",
                                o.unit
                            );
                            rejected += 1;
                            continue;
                        }
                    },
                    Location::Coord(lat, lon) => map.hex_at(LatLon::new(*lat, *lon)),
                };
                Order::MoveTo { unit: id, to }
            }
        };
        if let Err(r) = game.submit(order) {
            eprintln!(
                "turn {turn} ({}): order for {} rejected: {r}",
                iso_local(game.calendar().now()),
                o.unit
            );
            rejected += 1;
        }
    }
    rejected
}
