//! The account of one unit's logistics in words and numbers — where its fuel and ammunition
//! come from, how far, what carries them and what limits them, what its moves burned, the
//! airlift, days of fuel left, and what would change it — for `explain` and the window.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use bevy::prelude::{Entity, World};

mod fuel;

use super::words::thousands;
use crate::model::logistics::*;
use crate::model::map::Cell;
use crate::model::*;
use crate::rules::Game;
use crate::rules::movement::{
    Occupancy, UnitView, allowance_km, burn_t_per_km, kind_def, snapshot,
};
use crate::rules::supply::{haul_field, pool_for, pool_ton_km, repair_turns, supply_points};
use crate::scenario::load::refill_t;
use crate::scenario::schema::RulesFile;
use crate::scenario::spawn::Rules;
use fuel::FuelHistory;

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

/// What every section of the account reads: the unit, where it stands and the world's
/// resources it draws on.
struct Account<'a> {
    world: &'a World,
    u: UnitView,
    units: Vec<UnitView>,
    parent: FormationId,
    stocks: Stocks,
    cap: Capacity,
    rules: &'a RulesFile,
    map: &'a Map,
    cal: &'a Calendar,
    oob: &'a OrderOfBattle,
    weather: &'a CurrentWeather,
    depots: &'a Depots,
    pools: &'a TruckPools,
    captures: &'a RailCaptures,
    cell: &'a Cell,
    here: LatLon,
    w_now: Weather,
    /// Fuel burned per km of movement, t.
    burn: f64,
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
    let map = world.resource::<Map>();
    // Loaders keep units on the map; should one stand off it, say so rather than fail.
    let Some(cell) = map.cell(u.hex) else {
        return Some(format!("{} stands off the map, at {}.\n", u.name, u.hex));
    };
    let rules = &world.resource::<Rules>().0;
    let weather = world.resource::<CurrentWeather>();
    let a = Account {
        world,
        parent: world.get::<Parent>(e).expect("units have parents").0,
        stocks: *world.get::<Stocks>(e).expect("units have stocks"),
        cap: *world.get::<Capacity>(e).expect("units have capacity"),
        rules,
        map,
        cal: world.resource::<Calendar>(),
        oob: world.resource::<OrderOfBattle>(),
        weather,
        depots: world.resource::<Depots>(),
        pools: world.resource::<TruckPools>(),
        captures: world.resource::<RailCaptures>(),
        cell,
        here: map.center(u.hex),
        w_now: weather.at(map, u.hex),
        burn: burn_t_per_km(rules, &u.strength),
        u,
        units,
    };
    let mut out = String::new();
    who_and_where(&a, &mut out);
    fuel_on_hand(&a, &mut out);
    let history = FuelHistory::of(&world.resource::<EventLog>().events, id);
    history.write(&mut out);
    let supply = supplies(&a, &history.limits, &mut out);
    airlift(&a, &mut out);
    what_would_change(&a, &supply, &mut out);
    Some(out)
}

/// Who and where: name, kind, chain of command, place, ground and weather.
fn who_and_where(a: &Account, out: &mut String) {
    let (u, map, cal) = (&a.u, a.map, a.cal);
    let chain: Vec<&str> = a.oob.chain(a.parent).map(|f| f.name.as_str()).collect();
    let here = a.here;
    let near = map
        .places
        .iter()
        .min_by(|a, b| a.at.distance_km(here).total_cmp(&b.at.distance_km(here)))
        .map(|p| format!("{:.0} km from {}", p.at.distance_km(here), p.name))
        .unwrap_or_default();
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
        a.cell.terrain,
        a.w_now
    );
}

/// The fuel it carries, what a refill is, and how long it lasts on the march.
fn fuel_on_hand(a: &Account, out: &mut String) {
    let (u, rules, cal, stocks) = (&a.u, a.rules, a.cal, &a.stocks);
    let refill = refill_t(rules, u.strength.tanks, u.strength.vehicles);
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
        thousands(u.strength.tanks as u64),
        thousands(u.strength.vehicles as u64),
        rules.vehicles.tank_refill_t,
        rules.vehicles.vehicle_refill_t,
        t(refill)
    );
    if a.burn > 0.0 {
        let per_day = a.burn * march * 24.0 / cal.turn_hours as f64;
        let _ = writeln!(
            out,
            "  It burns {:.2} t for every km of movement (rough ground and mud count extra km). A day of full marching ({:.0} km of movement) burns {}, so its fuel lasts {:.1} days of marching.",
            a.burn,
            march * 24.0 / cal.turn_hours as f64,
            t(per_day),
            stocks.fuel_t / per_day
        );
    }
}

/// The supply network as the unit's side has it: where its lorries can load, and the haul
/// from there to the unit (`None` when no lorry reaches it).
struct Supply {
    occ: Occupancy,
    points: BTreeMap<Hex, usize>,
    reach: Option<(f64, usize)>,
}

/// "Where its supplies come from": its lorries, the depot they load at and the haul, what
/// limited its deliveries, its ammunition and food.
fn supplies(a: &Account, limits: &BTreeMap<String, u32>, out: &mut String) -> Supply {
    let (u, rules, map, cal) = (&a.u, a.rules, a.map, a.cal);
    let _ = writeln!(out, "\nWhere its supplies come from");
    let occ = Occupancy::new(map, rules, &a.units);
    let repair = repair_turns(rules, cal.turn_hours);
    let points = supply_points(map, a.depots, a.captures, &occ, u.side, cal.turn, repair);
    let field = haul_field(map, rules, a.weather, &occ, u.side, &points);
    let reach = map.index(u.hex).and_then(|i| field[i]);
    let pool = pool_for(a.oob, a.pools, a.parent);
    lorries(a, pool, out);
    match reach {
        Some((haul, d)) => haul_from(a, pool, &points, haul, d, out),
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
    let stocks = &a.stocks;
    let _ = writeln!(
        out,
        "  Ammunition on hand: {} of {}; food: {} ({:.1} days).",
        t(stocks.ammo_t),
        t(a.cap.ammo_t),
        t(stocks.food_t),
        stocks.food_t
            / (u.strength.men.max(1) as f64 / 1000.0 * rules.supply.food_t_per_1000_men_day)
    );
    Supply { occ, points, reach }
}

/// The motor transport that serves the unit, if any formation above it has lorries.
fn lorries(a: &Account, pool: Option<usize>, out: &mut String) {
    match pool {
        Some(p) => {
            let pool = &a.pools.pools[p];
            let s = &a.rules.supply;
            let _ = writeln!(
                out,
                "  Its lorries are {}'s motor transport: {} lorries of {} t, at {} km/h for {} hours a day (lift: {} ton-km a turn, half of it driving back empty).",
                a.oob.get(pool.formation).name,
                thousands(pool.trucks as u64),
                s.truck_capacity_t,
                s.truck_speed_km_h,
                s.truck_hours_per_day,
                thousands(pool_ton_km(a.rules, pool.trucks, a.cal.turn_hours) as u64)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  No formation above it has lorries: it draws only from a depot or railway in its own hex."
            );
        }
    }
}

/// The depot `d` its lorries load at, `haul` route km away: what they can bring at that
/// distance, what it costs them, and what the depot holds.
fn haul_from(
    a: &Account,
    pool: Option<usize>,
    points: &BTreeMap<Hex, usize>,
    haul: f64,
    d: usize,
    out: &mut String,
) {
    let (u, rules, map) = (&a.u, a.rules, a.map);
    let depot = &a.depots.depots[d];
    let rail_note = if map
        .cell(u.hex)
        .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()))
        && points.contains_key(&u.hex)
    {
        " It stands on a working railway, so trains bring its supplies to its hex.".to_string()
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  The nearest place its lorries can load is served by {} ({}). The haul is {:.0} km of route — \"route km\" count mud and mountain roads as longer than the map distance.{rail_note}",
        depot.name, depot.kind, haul
    );
    let speed = rules.weather.get(&a.w_now).map_or(1.0, |e| e.truck_speed);
    if let Some(p) = pool {
        let lift = pool_ton_km(rules, a.pools.pools[p].trucks, a.cal.turn_hours) * speed
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

/// "Airlift": each of its side's transport fleets, and whether it can reach the unit.
fn airlift(a: &Account, out: &mut String) {
    let (u, rules, map, cal) = (&a.u, a.rules, a.map, a.cal);
    let _ = writeln!(out, "\nAirlift");
    let mine: Vec<&AirFleet> = a
        .world
        .resource::<AirTransport>()
        .fleets
        .iter()
        .filter(|f| f.side == u.side && f.aircraft > 0)
        .collect();
    if mine.is_empty() {
        let _ = writeln!(out, "  Its side has no transport aviation.");
    }
    let control = a.world.resource::<Control>();
    for f in mine {
        let best = f
            .bases
            .iter()
            .filter(|b| control.owner.get(b.0 as usize) == Some(&Some(u.side)))
            .map(|b| (map.place(*b), map.place(*b).at.distance_km(a.here)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let per_turn = crate::rules::airlift::turn_lift_t(f, cal.turn_hours, 1.0);
        match best {
            Some((base, d)) if d <= f.range_km => {
                let near = crate::rules::airlift::landing_near(map, rules, control, u.side, u.hex);
                let ground = match near {
                    Some(h) if h == u.hex => {
                        "it stands where transports can land (open ground or an airfield)"
                            .to_string()
                    }
                    Some(h) => format!(
                        "it stands in {}, so they land at the airfield {:.0} km away (hex {}) and its lorries fetch the load",
                        a.cell.terrain,
                        map.center(h).distance_km(a.here),
                        h
                    ),
                    None => format!(
                        "but it stands in {}: transports land only on open ground or at an airfield of its side within a hex",
                        a.cell.terrain
                    ),
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
}

/// "What would change it": dry weather, the nearest railway or enemy depot to take, halting.
fn what_would_change(a: &Account, s: &Supply, out: &mut String) {
    let (u, rules, map) = (&a.u, a.rules, a.map);
    let _ = writeln!(out, "\nWhat would change it");
    if let Some((haul, _)) = s.reach {
        let dry = CurrentWeather::dry(map.cells.len());
        if a.weather.cells().iter().any(|w| *w != Weather::Dry) {
            let dry_field = haul_field(map, rules, &dry, &s.occ, u.side, &s.points);
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
    let enemy = u.side.enemy();
    let nearest_rail = map
        .hexes()
        .filter(|h| {
            map.cell(*h)
                .is_some_and(|c| c.edges.iter().any(|e| e.rail.is_some()))
        })
        .filter(|h| !s.points.contains_key(h))
        .map(|h| (h, h.distance(u.hex)))
        .min_by_key(|(h, d)| (*d, *h));
    if let Some((h, d)) = nearest_rail {
        let held = a
            .captures
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
    if let Some(d) = a
        .depots
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
    if a.burn > 0.0 {
        let _ = writeln!(
            out,
            "  Halting saves fuel: a unit that does not march burns none, and its lorries bring it up to {} (what it can carry).",
            t(a.cap.fuel_t)
        );
    }
}
