//! `august-storm info`: the order of battle with totals beside the documented figures.

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use super::print_diagnostics;
use crate::model::{FormationKind, Side};
use crate::report::{Totals, side_totals, totals_under};
use crate::scenario::{Scenario, load_scenario};

pub fn run(path: &Path, as_json: bool, list_units: bool) -> ExitCode {
    let s = match load_scenario(path) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&d);
            return ExitCode::FAILURE;
        }
    };
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&s)).expect("JSON values serialise")
        );
    } else {
        print_text(&s, list_units);
    }
    ExitCode::SUCCESS
}

fn pct(actual: u64, documented: u64) -> Option<f64> {
    (documented > 0).then(|| (actual as f64 / documented as f64 - 1.0) * 100.0)
}

pub fn to_json(s: &Scenario) -> serde_json::Value {
    let places: Vec<_> = s
        .map
        .places
        .iter()
        .map(|p| {
            let c = s.map.center(p.hex);
            let (col, row) = p.hex.to_offset();
            json!({
                "name": p.name, "aliases": p.aliases, "lat": p.at.lat, "lon": p.at.lon,
                "hex_lat": round(c.lat, 4), "hex_lon": round(c.lon, 4),
                "hex": [col, row], "initial_owner": p.initial_owner, "airfield": p.airfield,
            })
        })
        .collect();
    let fronts: Vec<_> = s
        .formations
        .iter()
        .filter(|f| is_front(s, f.id))
        .map(|f| {
            let t = totals_under(s, f.id);
            let doc = s.file.documented_totals.iter().find(|d| d.formations == [f.name.clone()]);
            json!({
                "name": f.name, "side": f.side, "kind": f.kind, "totals": t,
                "documented": doc.map(|d| json!({"men": d.men, "guns": d.guns, "mrl": d.mrl, "tanks": d.tanks, "aircraft": d.aircraft, "source": d.source})),
                "armies": s.formations.iter().filter(|a| a.parent == Some(f.id)).map(|a| json!({"name": a.name, "kind": a.kind, "totals": totals_under(s, a.id)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let documented: Vec<_> = s
        .file
        .documented_totals
        .iter()
        .map(|d| {
            let t = documented_sum(s, &d.formations);
            json!({
                "name": d.name, "side": d.side, "formations": d.formations,
                "documented": {"men": d.men, "guns": d.guns, "mrl": d.mrl, "tanks": d.tanks, "aircraft": d.aircraft},
                "scenario": t, "source": d.source,
            })
        })
        .collect();
    let combat_shares: Vec<_> = Side::BOTH
        .iter()
        .map(|side| {
            let doc = s.file.combat_shares.iter().find(|d| d.side == *side);
            json!({
                "side": side,
                "scenario": round(combat_share(s, *side), 3),
                "documented": doc.map(|d| d.share),
                "source": doc.map(|d| d.source.clone()),
            })
        })
        .collect();
    json!({
        "scenario": s.file.name,
        "file": s.path.display().to_string(),
        "start": crate::model::time::iso_local(s.start),
        "end": crate::model::time::iso_local(s.end),
        "turn_hours": s.file.turn_hours,
        "hex_km": s.map.hex_km(),
        "map": {"name": s.map.name, "cols": s.map.cols, "rows": s.map.rows, "hexes": s.map.cells.len()},
        "sides": {"soviet": side_totals(s, Side::Soviet), "japanese": side_totals(s, Side::Japanese)},
        "fronts": fronts,
        "documented_totals": documented,
        "combat_shares": combat_shares,
        "places": places,
        "estimated_units": s.units.iter().filter(|u| u.def.estimated).count(),
    })
}

fn round(x: f64, d: i32) -> f64 {
    crate::rules::movement::round_to(x, d)
}

/// The echelon directly below a side's high command (fronts, area armies, independent armies).
fn is_front(s: &Scenario, id: crate::model::FormationId) -> bool {
    let f = &s.formations[id.0 as usize];
    match f.parent {
        None => false,
        Some(p) => {
            let parent = &s.formations[p.0 as usize];
            parent.parent.is_none()
                && parent.kind == FormationKind::HighCommand
                && !matches!(
                    f.kind,
                    FormationKind::AirArmy | FormationKind::Fleet | FormationKind::Flotilla
                )
        }
    }
}

/// The share of a side's men in combat units: every unit but the support groups (the
/// combat support, services and rear groups of the order of battle); 0 for a side with none.
pub fn combat_share(s: &Scenario, side: Side) -> f64 {
    let (mut combat, mut all) = (0u64, 0u64);
    for u in s.units.iter().filter(|u| u.def.side == side) {
        let men = u.def.men.max(0) as u64;
        all += men;
        if u.def.kind != crate::model::UnitKind::SupportGroup {
            combat += men;
        }
    }
    if all == 0 {
        0.0
    } else {
        combat as f64 / all as f64
    }
}

fn documented_sum(s: &Scenario, names: &[String]) -> Totals {
    let mut t = Totals::default();
    for n in names {
        if let Some(f) = s.formations.iter().find(|f| f.name == *n) {
            let x = totals_under(s, f.id);
            t.men += x.men;
            t.guns += x.guns;
            t.mrl += x.mrl;
            t.tanks += x.tanks;
            t.vehicles += x.vehicles;
            t.aircraft += x.aircraft;
            t.units += x.units;
        }
    }
    t
}

fn print_text(s: &Scenario, list_units: bool) {
    println!("{}", s.file.name);
    println!(
        "{} to {}, {}-hour turns; map {} × {} hexes of {} km",
        crate::model::time::iso_local(s.start),
        crate::model::time::iso_local(s.end),
        s.file.turn_hours,
        s.map.cols,
        s.map.rows,
        s.map.hex_km()
    );
    let row = |label: &str, t: &Totals| {
        println!(
            "  {label:<44} {:>9} {:>7} {:>6} {:>7} {:>8} {:>6}",
            fmt(t.men),
            fmt(t.guns),
            fmt(t.mrl),
            fmt(t.tanks),
            fmt(t.aircraft),
            t.units
        );
    };
    println!(
        "\n  {:<44} {:>9} {:>7} {:>6} {:>7} {:>8} {:>6}",
        "", "men", "guns", "MRL", "tanks", "aircraft", "units"
    );
    for side in Side::BOTH {
        println!("\n{side} side");
        row("all units", &side_totals(s, side));
        for f in s
            .formations
            .iter()
            .filter(|f| f.side == side && is_front(s, f.id))
        {
            row(&format!("{} ({})", f.name, f.kind), &totals_under(s, f.id));
            for a in s.formations.iter().filter(|a| a.parent == Some(f.id)) {
                row(&format!("  {}", a.name), &totals_under(s, a.id));
                if list_units {
                    for u in s.units.iter().filter(|u| u.parent == a.id) {
                        println!(
                            "      {:<40} {:>9} {:>7} {:>6} {:>7}  {}{}",
                            u.def.name,
                            fmt(u.def.men.max(0) as u64),
                            fmt(u.def.guns.max(0) as u64),
                            fmt(u.def.mrl.max(0) as u64),
                            fmt(u.def.tanks.max(0) as u64),
                            u.def.kind,
                            if u.def.estimated { "  (estimated)" } else { "" }
                        );
                    }
                }
            }
        }
    }
    println!("\nAgainst the documented totals");
    for d in &s.file.documented_totals {
        let t = documented_sum(s, &d.formations);
        println!("  {} [{}]", d.name, d.source);
        for (label, a, b) in [
            ("men", t.men, d.men),
            ("guns and mortars", t.guns, d.guns),
            ("rocket launchers", t.mrl, d.mrl),
            ("tanks and SPGs", t.tanks, d.tanks),
            ("aircraft", t.aircraft, d.aircraft),
        ] {
            match pct(a, b) {
                Some(p) => println!(
                    "      {label:<18} scenario {:>9}  documented {:>9}  {p:+6.1}%",
                    fmt(a),
                    fmt(b)
                ),
                None => println!(
                    "      {label:<18} scenario {:>9}  documented {:>9}",
                    fmt(a),
                    "-"
                ),
            }
        }
    }
    println!("\nMen in combat units (all but the support groups)");
    for side in Side::BOTH {
        let share = combat_share(s, side) * 100.0;
        match s.file.combat_shares.iter().find(|d| d.side == side) {
            Some(d) => println!(
                "  {:<10} scenario {share:5.1}%  documented {:5.1}%  ({})",
                side.to_string(),
                d.share * 100.0,
                d.source
            ),
            None => println!(
                "  {:<10} scenario {share:5.1}%  documented -",
                side.to_string()
            ),
        }
    }
    let est = s.units.iter().filter(|u| u.def.estimated).count();
    println!(
        "\n{} units, {} of them with estimated strength (marked in the scenario file).",
        s.units.len(),
        est
    );
}

/// 12345 → "12,345".
pub fn fmt(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
