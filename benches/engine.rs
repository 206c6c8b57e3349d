//! Engine benchmarks (criterion): a full turn of the historical scenario, supply tracing for a
//! side, the AI's orders for a side, loading the scenario, and the scaling of a turn with the
//! number of units and the map's area.
//!
//! ```sh
//! cargo bench --no-default-features --bench engine
//! ```
//!
//! Synthetic scenarios for the scaling benchmark are made here from the historical one:
//! - **units ×k**: every unit is copied k−1 times, each copy on the nearest hexes of the
//!   map around the original (a ring outwards), with its own name, formation, stocks and
//!   strength; so the same fronts are held k times as densely.
//! - **map ×4 area**: the map's columns and rows are doubled; the new cells repeat the
//!   original terrain, rivers, roads and railways (tiled by an even number of rows and
//!   columns, so each cell's hex edges mean the same), while places, depots and units stay
//!   where they were. Everything sized by the map (occupancy, supply fields, the AI's
//!   snapshots) grows with it.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use august_storm::cli::batch::Prepared;
use august_storm::cli::simulate::play;
use august_storm::model::logistics::{CurrentWeather, Depots, RailCaptures};
use august_storm::model::{Calendar, Hex, Map, Side};
use august_storm::rules::Game;
use august_storm::rules::movement::{Occupancy, snapshot};
use august_storm::rules::supply::{haul_field, repair_turns, supply_points};
use august_storm::scenario::load::load_scenario;
use august_storm::scenario::spawn::Rules;
use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};

const BOTH: &[Side] = &[Side::Soviet, Side::Japanese];
const SEED: u64 = 1945;
/// Turns played before a turn is measured: the third turn, when the Soviet offensive is in
/// full swing on every axis and the Japanese are answering it.
const WARM_TURNS: u32 = 2;

fn historical() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/august_storm_1945.ron")
}

/// A game of `p` with `WARM_TURNS` whole turns played by the AI on both sides.
fn warmed(p: &Prepared) -> Game {
    let mut g = p.game(SEED);
    play(&mut g, &[], BOTH, 1 + WARM_TURNS);
    g
}

/// Supply tracing for the side to move, as the rules and the map overlay do it: the
/// occupancy of the map, the supply points along working track, and the lorry haul field.
fn trace_supply(game: &mut Game) -> usize {
    let world = game.world_mut();
    let units = snapshot(world);
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let cal = world.resource::<Calendar>();
    let occ = Occupancy::new(map, rules, &units);
    let points = supply_points(
        map,
        world.resource::<Depots>(),
        world.resource::<RailCaptures>(),
        &occ,
        cal.active,
        cal.turn,
        repair_turns(rules, cal.turn_hours),
    );
    let field = haul_field(
        map,
        rules,
        world.resource::<CurrentWeather>(),
        &occ,
        cal.active,
        &points,
    );
    field.iter().filter(|c| c.is_some()).count()
}

/// Each unit copied `k - 1` times onto the nearest free-ish hexes around it.
fn multiply_units(p: &mut Prepared, k: usize) {
    if k <= 1 {
        return;
    }
    let map = p.scenario.map.clone();
    let originals = p.scenario.units.clone();
    for u in &originals {
        let mut near: Vec<Hex> = Vec::new();
        let mut ring = 1;
        while near.len() < k - 1 && ring < 8 {
            near.extend(
                ring_of(u.hex, ring)
                    .into_iter()
                    .filter(|h| map.contains(*h)),
            );
            ring += 1;
        }
        for (copy, hex) in near.into_iter().take(k - 1).enumerate() {
            let mut c = u.clone();
            c.def.name = format!("{} (copy {})", u.def.name, copy + 1);
            c.hex = hex;
            p.scenario.units.push(c);
        }
    }
}

/// The hexes at distance `r` from `h`.
fn ring_of(h: Hex, r: i32) -> Vec<Hex> {
    let (c, row) = h.to_offset();
    let mut v = Vec::new();
    for dr in -r..=r {
        for dc in -r..=r {
            let n = Hex::from_offset(c + dc, row + dr);
            if n.distance(h) == r as u32 {
                v.push(n);
            }
        }
    }
    v
}

/// The map with its columns and rows doubled, the new cells repeating the original ones.
fn quadruple_map(p: &mut Prepared) {
    let m = &mut p.scenario.map;
    // Even sizes keep the offset layout's parity, so a tiled cell's edges face the same way.
    let (cols, rows) = (m.cols + m.cols % 2, m.rows + m.rows % 2);
    let mut cells = Vec::with_capacity((4 * cols * rows) as usize);
    for r in 0..2 * rows {
        for c in 0..2 * cols {
            let (oc, or) = ((c % cols).min(m.cols - 1), (r % rows).min(m.rows - 1));
            cells.push(m.cells[(or * m.cols + oc) as usize]);
        }
    }
    m.cells = cells;
    m.cols = 2 * cols;
    m.rows = 2 * rows;
    m.forget_centers();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

fn loading(c: &mut Criterion) {
    let path = historical();
    c.bench_function("load and validate the historical scenario", |b| {
        b.iter(|| black_box(load_scenario(&path).expect("the scenario loads")))
    });
}

fn full_turn(c: &mut Criterion) {
    let p = Prepared::load(&historical(), &[]).expect("the scenario loads");
    c.bench_function("one full turn, both sides, AI orders (historical)", |b| {
        b.iter_batched(
            || warmed(&p),
            |mut g| {
                let turn = g.calendar().turn;
                play(&mut g, &[], BOTH, turn + 1);
                g
            },
            BatchSize::PerIteration,
        )
    });
}

fn ai_orders(c: &mut Criterion) {
    let p = Prepared::load(&historical(), &[]).expect("the scenario loads");
    let mut g = warmed(&p);
    for side in BOTH {
        assert_eq!(g.calendar().active, *side);
        c.bench_function(&format!("AI orders for a side ({side:?})"), |b| {
            b.iter(|| black_box(august_storm::ai::plan_orders(g.world_mut())))
        });
        // On to the other side's phase.
        august_storm::ai::play_phase(&mut g);
    }
}

fn supply(c: &mut Criterion) {
    let p = Prepared::load(&historical(), &[]).expect("the scenario loads");
    let mut g = warmed(&p);
    for side in BOTH {
        assert_eq!(g.calendar().active, *side);
        c.bench_function(&format!("supply tracing for a side ({side:?})"), |b| {
            b.iter(|| black_box(trace_supply(&mut g)))
        });
        august_storm::ai::play_phase(&mut g);
    }
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling: one full turn");
    // Flat sampling: ten samples of the same few iterations, as a turn of the largest scenario
    // takes a good fraction of a second.
    group.sampling_mode(SamplingMode::Flat);
    for (units, map4) in [(1, false), (4, false), (16, false), (1, true)] {
        let mut p = Prepared::load(&historical(), &[]).expect("the scenario loads");
        multiply_units(&mut p, units);
        if map4 {
            quadruple_map(&mut p);
        }
        let label = format!(
            "{}x units ({}), {} map ({} hexes)",
            units,
            p.scenario.units.len(),
            if map4 { "4x" } else { "1x" },
            p.scenario.map.cells.len()
        );
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter_batched(
                || warmed(&p),
                |mut g| {
                    let turn = g.calendar().turn;
                    play(&mut g, &[], BOTH, turn + 1);
                    g
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = loading, full_turn, ai_orders, supply, scaling
}
criterion_main!(benches);
