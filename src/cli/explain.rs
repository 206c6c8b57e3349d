//! `august-storm explain`: one unit's logistics in words and numbers — where its fuel and
//! ammunition come from, how far, what carries them and what limits them, what its moves
//! burned, the airlift, days of fuel left, and what would change it.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::print_diagnostics;
use super::simulate::{load_orders_for, new_game, parse_ai, play};
use crate::model::logistics::*;
use crate::model::*;
use crate::rules::Game;
use crate::rules::movement::{Occupancy, allowance_km, burn_t_per_km, kind_def, snapshot};
use crate::rules::save::load_game_text;
use crate::rules::supply::{haul_field, pool_for, pool_ton_km, repair_turns, supply_points};
use crate::scenario::load::{opposite, read_source, refill_t};
use crate::scenario::spawn::Rules;
use bevy::prelude::{Entity, World};

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

fn t(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0} t")
    } else {
        format!("{x:.1} t")
    }
}

fn date(iso: &str) -> String {
    // "1945-08-13T00:01+09:00" -> "13 Aug 00:01"
    crate::model::time::parse_local(iso)
        .map_or_else(|| iso.to_string(), |t| t.format("%-d %b %H:%M").to_string())
}

/// A formation's units, their fuel in sum, then each unit's explanation.
pub fn explain_formation(game: &mut Game, f: FormationId) -> String {
    let world = game.world_mut();
    let oob = world.resource::<OrderOfBattle>().clone();
    let rules = world.resource::<Rules>().0.clone();
    let mut q = world.query::<(&UnitId, &UnitName, &Parent, &Strength, &Stocks)>();
    let mut members: Vec<(UnitId, String, Strength, Stocks)> = q
        .iter(world)
        .filter(|(_, _, p, _, _)| oob.chain(p.0).any(|x| x.id == f))
        .map(|(i, n, _, s, st)| (*i, n.0.clone(), *s, *st))
        .collect();
    members.sort_by_key(|m| m.0);
    let name = &oob.get(f).name;
    let mut out = String::new();
    let (fuel, refill): (f64, f64) = members
        .iter()
        .map(|(_, _, s, st)| (st.fuel_t, refill_t(&rules, s.tanks, s.vehicles)))
        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    let _ = writeln!(
        out,
        "{name}: {} units, {} of fuel on hand, {:.2} of a refill across the formation.",
        members.len(),
        t(fuel),
        if refill > 0.0 { fuel / refill } else { 0.0 }
    );
    for (_, n, s, st) in &members {
        let r = refill_t(&rules, s.tanks, s.vehicles);
        let _ = writeln!(
            out,
            "  {n:<44} {:>8} fuel  {:>5.2} refill",
            t(st.fuel_t),
            if r > 0.0 { st.fuel_t / r } else { 0.0 }
        );
    }
    for (id, ..) in members {
        let _ = writeln!(out, "\n{}", "—".repeat(60));
        out.push_str(&explain(game, id));
    }
    out
}

/// The explanation, as text.
pub fn explain(game: &mut Game, id: UnitId) -> String {
    explain_in(game.world_mut(), id).unwrap_or_default()
}

/// The account of [`explain`] for a unit of a game held in any world (the window's too);
/// `None` if no such unit exists.
pub fn explain_in(world: &mut World, id: UnitId) -> Option<String> {
    let units = snapshot(world);
    let u = units.iter().find(|u| u.id == id)?.clone();
    let e = world
        .query::<(Entity, &UnitId)>()
        .iter(world)
        .find(|(_, i)| **i == id)
        .map(|(e, _)| e)?;
    let world = &*world;
    let parent = world.get::<Parent>(e).expect("units have parents").0;
    let stocks = *world.get::<Stocks>(e).expect("units have stocks");
    let cap = *world.get::<Capacity>(e).expect("units have capacity");
    let rules = &world.resource::<Rules>().0;
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let oob = world.resource::<OrderOfBattle>();
    let weather = world.resource::<CurrentWeather>();
    let depots = world.resource::<Depots>();
    let pools = world.resource::<TruckPools>();
    let fleets = world.resource::<AirTransport>();
    let captures = world.resource::<RailCaptures>();
    let events = &world.resource::<EventLog>().events;
    let mut out = String::new();

    // Who and where.
    let chain: Vec<&str> = oob.chain(parent).map(|f| f.name.as_str()).collect();
    // Loaders keep units on the map; should one stand off it, say so rather than fail.
    let Some(cell) = map.cell(u.hex) else {
        return Some(format!("{} stands off the map, at {}.\n", u.name, u.hex));
    };
    let here = map.center(u.hex);
    let near = map
        .places
        .iter()
        .min_by(|a, b| a.at.distance_km(here).total_cmp(&b.at.distance_km(here)))
        .map(|p| format!("{:.0} km from {}", p.at.distance_km(here), p.name))
        .unwrap_or_default();
    let w_now = weather.at(map, u.hex);
    let _ = writeln!(out, "{} — {}, {} side", u.name, u.kind, u.side);
    let _ = writeln!(out, "Chain of command: {}", chain.join(" › "));
    let _ = writeln!(
        out,
        "On {} (turn {}), it stands in {} ({:.2} °N {:.2} °E), {near}, in {}; the weather there is {}.",
        date(&time::iso_local(cal.now())),
        cal.turn,
        u.hex,
        here.lat,
        here.lon,
        cell.terrain,
        w_now
    );

    // Fuel on hand.
    let refill = refill_t(rules, u.strength.tanks, u.strength.vehicles);
    let burn = burn_t_per_km(rules, &u.strength);
    let kd = kind_def(rules, u.kind);
    let march = allowance_km(rules, kd.mobility, cal.turn_hours);
    let _ = writeln!(out, "\nFuel");
    let _ = writeln!(
        out,
        "  On hand: {} of fuel, {:.2} of a refill. One refill — a full tank for each of its {} tanks and {} lorries ({} t and {} t each) — is {}.",
        t(stocks.fuel_t),
        if refill > 0.0 {
            stocks.fuel_t / refill
        } else {
            0.0
        },
        super::info::fmt(u.strength.tanks as u64),
        super::info::fmt(u.strength.vehicles as u64),
        rules.vehicles.tank_refill_t,
        rules.vehicles.vehicle_refill_t,
        t(refill)
    );
    if burn > 0.0 {
        let per_day = burn * march * 24.0 / cal.turn_hours as f64;
        let _ = writeln!(
            out,
            "  It burns {:.2} t for every km of movement (rough ground and mud count extra km). A day of full marching ({:.0} km of movement) burns {}, so its fuel lasts {:.1} days of marching.",
            burn,
            march * 24.0 / cal.turn_hours as f64,
            t(per_day),
            stocks.fuel_t / per_day
        );
    }
    let (mut km, mut burned, mut days) = (
        0.0,
        0.0,
        std::collections::BTreeMap::<String, (f64, f64)>::new(),
    );
    let (mut trucked, mut flown, mut sorties) = (0.0, 0.0, 0u32);
    // Fuel handed over by other units (positive) or given away (negative).
    let mut handed = 0.0;
    let mut halts = Vec::new();
    let mut limits = std::collections::BTreeMap::<String, u32>::new();
    for ev in events {
        match &ev.event {
            GameEvent::UnitMoved {
                unit,
                km: k,
                fuel_used_t,
                ..
            } if *unit == id => {
                km += k;
                burned += fuel_used_t;
                let day = ev.time.get(..10).unwrap_or(&ev.time);
                let e = days.entry(day.to_string()).or_default();
                e.0 += k;
                e.1 += fuel_used_t;
            }
            GameEvent::SupplyDelivered {
                unit,
                fuel_t,
                limited_by,
                ..
            } if *unit == id => {
                trucked += fuel_t;
                if *limited_by != SupplyLimit::Nothing {
                    *limits.entry(format!("{limited_by:?}")).or_default() += 1;
                }
            }
            GameEvent::AirliftDelivered {
                unit,
                tons,
                sorties: s,
                cargo: Cargo::Fuel,
                ..
            } if *unit == id => {
                flown += tons;
                sorties += s;
            }
            GameEvent::FuelHandedOver { from, to, tons } if *from == id || *to == id => {
                handed += if *to == id { *tons } else { -*tons };
            }
            GameEvent::FuelExhausted { unit, .. } if *unit == id => {
                halts.push(format!("its tanks ran dry on {}", date(&ev.time)))
            }
            GameEvent::UnitHalted {
                unit,
                reason: HaltReason::OutOfFuel,
                ..
            } if *unit == id => halts.push(format!("it sat without fuel on {}", date(&ev.time))),
            _ => {}
        }
    }
    if km > 0.0 {
        let _ = writeln!(
            out,
            "  Its marches so far covered {km:.0} km and burned {}:",
            t(burned)
        );
        for (day, (k, f)) in &days {
            let _ = writeln!(
                out,
                "    {}: {k:.0} km, {}",
                date(&format!("{day}T")).trim_end(),
                t(*f)
            );
        }
    } else {
        let _ = writeln!(out, "  It has not marched yet.");
    }
    halts.dedup();
    for h in halts.iter().take(6) {
        let _ = writeln!(out, "  Halted: {h}.");
    }
    let _ = writeln!(
        out,
        "  Lorries have brought it {} of fuel, and aircraft {} in {sorties} sorties.",
        t(trucked),
        t(flown)
    );
    if handed > 0.0 {
        let _ = writeln!(out, "  Other units have handed it {} of theirs.", t(handed));
    } else if handed < 0.0 {
        let _ = writeln!(
            out,
            "  It has handed {} of its own to other units.",
            t(-handed)
        );
    }

    // Where supplies come from.
    let _ = writeln!(out, "\nWhere its supplies come from");
    let occ = Occupancy::new(map, rules, &units);
    let repair = repair_turns(rules, cal.turn_hours);
    let points = supply_points(map, depots, captures, &occ, u.side, cal.turn, repair);
    let field = haul_field(map, rules, weather, &occ, u.side, &points);
    let reach = map.index(u.hex).and_then(|i| field[i]);
    let pool = pool_for(oob, pools, parent);
    match pool {
        Some(p) => {
            let pool = &pools.pools[p];
            let s = &rules.supply;
            let _ = writeln!(
                out,
                "  Its lorries are {}'s motor transport: {} lorries of {} t, at {} km/h for {} hours a day (lift: {} ton-km a turn, half of it driving back empty).",
                oob.get(pool.formation).name,
                super::info::fmt(pool.trucks as u64),
                s.truck_capacity_t,
                s.truck_speed_km_h,
                s.truck_hours_per_day,
                super::info::fmt(pool_ton_km(rules, pool.trucks, cal.turn_hours) as u64)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  No formation above it has lorries: it draws only from a depot or railway in its own hex."
            );
        }
    }
    match reach {
        Some((haul, d)) => {
            let depot = &depots.depots[d];
            let rail_note = if map
                .cell(u.hex)
                .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()))
                && points.contains_key(&u.hex)
            {
                " It stands on a working railway, so trains bring its supplies to its hex."
                    .to_string()
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  The nearest place its lorries can load is served by {} ({}). The haul is {:.0} km of route — \"route km\" count mud and mountain roads as longer than the map distance.{rail_note}",
                depot.name, depot.kind, haul
            );
            let speed = rules.weather.get(&w_now).map_or(1.0, |e| e.truck_speed);
            if let Some(p) = pool {
                let lift = pool_ton_km(rules, pools.pools[p].trucks, cal.turn_hours) * speed
                    / haul.max(rules.supply.local_haul_km);
                let _ = writeln!(
                    out,
                    "  At that distance its whole lorry pool can bring about {} a turn to one place{}; it shares that with the other units of its formation.",
                    t(lift),
                    if speed < 1.0 {
                        format!(" (mud cuts lorry speed to {:.0}%)", speed * 100.0)
                    } else {
                        String::new()
                    }
                );
                let truck_fuel = crate::rules::supply::truck_fuel_t(rules, 1.0, haul);
                let _ = writeln!(
                    out,
                    "  Every ton hauled that far costs the lorries {} of their own fuel.",
                    t(truck_fuel)
                );
            }
            let _ = writeln!(
                out,
                "  The depot holds {} of fuel, {} of ammunition and {} of food.",
                t(depot.fuel_t),
                t(depot.ammo_t),
                t(depot.food_t)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  No lorry can reach it: every route from a depot or working railhead is longer than {:.0} km, or runs through the enemy or the ground it covers. It is cut off and lives on what it carries.",
                rules.supply.max_haul_km
            );
        }
    }
    if !limits.is_empty() {
        let l: Vec<String> = limits
            .iter()
            .map(|(k, n)| {
                let what = match k.as_str() {
                    "TruckLift" => "the lorries could not carry enough over the distance",
                    "DepotStock" => "the depot ran short",
                    _ => "other",
                };
                format!("{what} ({n} turn{})", if *n == 1 { "" } else { "s" })
            })
            .collect();
        let _ = writeln!(out, "  What limited its deliveries: {}.", l.join("; "));
    }
    let _ = writeln!(
        out,
        "  Ammunition on hand: {} of {}; food: {} ({:.1} days).",
        t(stocks.ammo_t),
        t(cap.ammo_t),
        t(stocks.food_t),
        stocks.food_t
            / (u.strength.men.max(1) as f64 / 1000.0 * rules.supply.food_t_per_1000_men_day)
    );

    // The airlift.
    let _ = writeln!(out, "\nAirlift");
    let mine: Vec<&AirFleet> = fleets
        .fleets
        .iter()
        .filter(|f| f.side == u.side && f.aircraft > 0)
        .collect();
    if mine.is_empty() {
        let _ = writeln!(out, "  Its side has no transport aviation.");
    }
    let control = world.resource::<Control>();
    for f in mine {
        let best = f
            .bases
            .iter()
            .filter(|b| control.owner.get(b.0 as usize) == Some(&Some(u.side)))
            .map(|b| (map.place(*b), map.place(*b).at.distance_km(here)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let per_turn = (f.aircraft as f64 * f.sorties_per_day * cal.turn_hours as f64 / 24.0)
            .floor()
            * f.payload_t;
        match best {
            Some((base, d)) if d <= f.range_km => {
                let ground = if crate::rules::airlift::landing_ground(rules, cell.terrain) {
                    "it stands on open ground where transports can land".to_string()
                } else {
                    format!(
                        "but it stands in {}: transports land only on open ground or at an airfield",
                        cell.terrain
                    )
                };
                let _ = writeln!(
                    out,
                    "  {} can fly from {} ({d:.0} km away, within its {:.0} km reach) up to {} a turn with {} transports; {ground}.",
                    f.name,
                    base.name,
                    f.range_km,
                    t(per_turn),
                    f.aircraft
                );
            }
            Some((base, d)) => {
                let _ = writeln!(
                    out,
                    "  {}'s nearest base, {}, is {d:.0} km away: beyond its {:.0} km reach.",
                    f.name, base.name, f.range_km
                );
            }
            None => {
                let _ = writeln!(out, "  {} holds none of its bases.", f.name);
            }
        }
    }

    // What would change it.
    let _ = writeln!(out, "\nWhat would change it");
    if let Some((haul, _)) = reach {
        let dry = CurrentWeather {
            cells: vec![Weather::Dry; map.cells.len()],
        };
        if weather.cells.iter().any(|w| *w != Weather::Dry) {
            let dry_field = haul_field(map, rules, &dry, &occ, u.side, &points);
            if let Some((dry_haul, _)) = map.index(u.hex).and_then(|i| dry_field[i])
                && (dry_haul - haul).abs() > 0.5
            {
                let _ = writeln!(
                    out,
                    "  Dry weather: the haul would count {dry_haul:.0} km instead of {haul:.0}, and lorries would drive at full speed."
                );
            }
        }
    }
    // The nearest enemy railway or depot that would shorten the haul once taken.
    let enemy = opposite(u.side);
    let nearest_rail = map
        .hexes()
        .filter(|h| {
            map.cell(*h)
                .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()))
        })
        .filter(|h| !points.contains_key(h))
        .map(|h| (h, h.distance(u.hex)))
        .min_by_key(|(h, d)| (*d, *h));
    if let Some((h, d)) = nearest_rail {
        let held = captures
            .taken
            .get(&h)
            .map(|(s, _)| *s)
            .or(map.initial_owner(h));
        let _ = writeln!(
            out,
            "  A railway runs {} km away ({}), {}. Captured railways carry trains {:.0} days after they are taken (repair and gauge work), and bring the railhead up to the troops.",
            d * map.hex_km() as u32,
            crate::rules::orders::describe_hex(map, h),
            if held == Some(enemy) {
                "in enemy hands"
            } else {
                "not yet joined to a working line"
            },
            rules.supply.rail_repair_days
        );
    }
    if let Some(d) = depots
        .depots
        .iter()
        .filter(|d| d.side == enemy && d.fuel_t > 0.0)
        .min_by_key(|d| d.hex.distance(u.hex))
    {
        let _ = writeln!(
            out,
            "  The enemy's {} ({} of fuel) lies {} km away: its stores change hands with the place.",
            d.name,
            t(d.fuel_t),
            d.hex.distance(u.hex) * map.hex_km() as u32
        );
    }
    if burn > 0.0 {
        let _ = writeln!(
            out,
            "  Halting saves fuel: a unit that does not march burns none, and its lorries bring it up to {} (what it can carry).",
            t(cap.fuel_t)
        );
    }
    let _ = enemy;
    Some(out)
}
