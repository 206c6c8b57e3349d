//! `august-storm batch`, `merge` and `compare`: seeded AI-against-AI campaigns on every core
//! streamed to a runs table, summarised against the calibration facts and plotted; shards
//! merged; two batches compared place by place.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::print_diagnostics;
use crate::model::Side;
use crate::report::batch::{
    AdvanceTracker, Manifest, RunRow, RunsWriter, batch_axes, load_calibration, read_runs, run_row,
    summarise,
};
use crate::report::{compare, plots};
use crate::rules::Game;
use crate::scenario::save::write_atomically;
use crate::scenario::spawn::GameSetup;
use crate::scenario::whatif::Switches;
use crate::scenario::{Diagnostic, Scenario};

pub struct BatchArgs {
    pub scenario: PathBuf,
    pub runs: u64,
    pub seed_start: u64,
    pub what_ifs: Vec<String>,
    /// (K, M), 1-based: this shard runs the seeds s with (s - seed_start) % M == K - 1.
    pub shard: Option<(u64, u64)>,
    pub out: PathBuf,
    /// Calibration facts; None: `calibration.ron` beside the scenario, if there is one.
    pub calibration: Option<PathBuf>,
    pub progress: bool,
}

/// A scenario loaded once with its what-ifs applied, ready to be spawned for any seed.
/// Loading and rasterising the map is done once per batch, not once per run.
pub struct Prepared {
    pub scenario: Scenario,
    pub switches: Switches,
    pub setup: GameSetup,
}

impl Prepared {
    pub fn load(scenario: &Path, what_ifs: &[String]) -> Result<Self, Vec<Diagnostic>> {
        let (scenario, setup, switches) = super::simulate::prepare(scenario, None, what_ifs)?;
        Ok(Self {
            scenario,
            switches,
            setup,
        })
    }

    /// A new game with this seed: the same as `simulate --seed`.
    pub fn game(&self, seed: u64) -> Game {
        let setup = GameSetup {
            seed,
            ..self.setup.clone()
        };
        Game::new(&self.scenario, setup, self.switches.clone())
    }
}

/// Plays one campaign AI against AI to the end, one full turn at a time, calling `each_turn`
/// after each (the same moves as `simulate::play` with `until_turn = u32::MAX`).
pub fn play_campaign(game: &mut Game, mut each_turn: impl FnMut(&mut Game)) {
    let ai = [Side::Soviet, Side::Japanese];
    while !game.calendar().finished {
        let turn = game.calendar().turn;
        super::simulate::play(game, &[], &ai, turn + 1);
        each_turn(game);
    }
}

/// One seeded run, boiled down to its row. Depends on nothing but the seed.
pub fn run_one(p: &Prepared, m: &Manifest, seed: u64) -> RunRow {
    let mut game = p.game(seed);
    let mut advance = AdvanceTracker::new(&mut game);
    play_campaign(&mut game, |g| advance.sample(g));
    run_row(&mut game, seed, &m.places, &m.turn_ends, advance)
}

/// The seeds of a batch or of one of its shards, ascending.
pub fn seeds(runs: u64, seed_start: u64, shard: Option<(u64, u64)>) -> Vec<u64> {
    (seed_start..seed_start + runs)
        .filter(|s| shard.is_none_or(|(k, m)| (s - seed_start) % m == k - 1))
        .collect()
}

/// `K/M` with 1 <= K <= M.
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("--shard {s}: expected K/M with 1 <= K <= M, e.g. 2/8");
    let (k, m) = s.split_once('/').ok_or_else(bad)?;
    let (k, m): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        m.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > m {
        return Err(bad());
    }
    Ok((k, m))
}

fn file_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Runs a batch on the current rayon pool (every core unless the caller installs a smaller
/// one) and writes `runs.csv`, `batch.json`, `summary.json` and the plots to `args.out`.
/// Rows are written in seed order as soon as every earlier seed has finished.
pub fn run_batch(args: &BatchArgs) -> Result<Manifest, String> {
    let text = |d: Vec<Diagnostic>| {
        print_diagnostics(&d);
        format!("{} does not load (problems above)", args.scenario.display())
    };
    let prepared = Prepared::load(&args.scenario, &args.what_ifs).map_err(text)?;
    let calibration_file = args.calibration.clone().unwrap_or_else(|| {
        args.scenario
            .parent()
            .unwrap_or(Path::new("."))
            .join("calibration.ron")
    });
    let calibration = if args.calibration.is_some() || calibration_file.exists() {
        load_calibration(&calibration_file).map_err(|d| {
            print_diagnostics(&d);
            format!(
                "{} does not load (problems above)",
                calibration_file.display()
            )
        })?
    } else {
        Vec::new()
    };
    let (places, fronts, turn_ends) = batch_axes(&prepared.game(args.seed_start));
    let seeds = seeds(args.runs, args.seed_start, args.shard);
    let manifest = Manifest {
        scenario: prepared.setup.scenario_name.clone(),
        scenario_file: args.scenario.display().to_string(),
        what_ifs: args.what_ifs.clone(),
        places,
        fronts,
        turn_ends,
        calibration,
        seeds: seeds.clone(),
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    write_manifest(&args.out, &manifest)?;
    let csv_path = file_in(&args.out, "runs.csv");
    let file =
        File::create(&csv_path).map_err(|e| format!("cannot write {}: {e}", csv_path.display()))?;
    let mut writer = RunsWriter::new(BufWriter::new(file), &manifest)
        .map_err(|e| format!("cannot write {}: {e}", csv_path.display()))?;

    let bar = if args.progress {
        ProgressBar::with_draw_target(Some(seeds.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {elapsed} elapsed, about {eta} left",
        )
        .expect("the template is valid"),
    );

    let (tx, rx) = mpsc::channel::<RunRow>();
    let next = AtomicUsize::new(0);
    let written = std::thread::scope(|scope| {
        let order = &seeds;
        let bar = &bar;
        // The writer puts rows back in seed order. Workers take seeds one at a time from a
        // shared counter, so at most one row per worker waits here: memory stays flat
        // however many runs there are.
        let writer_thread = scope.spawn(move || -> Result<usize, String> {
            let mut waiting: BTreeMap<u64, RunRow> = BTreeMap::new();
            let mut due = 0;
            for row in rx {
                waiting.insert(row.seed, row);
                while let Some(row) = order.get(due).and_then(|s| waiting.remove(s)) {
                    writer
                        .write(&row)
                        .map_err(|e| format!("cannot write runs.csv: {e}"))?;
                    due += 1;
                    bar.inc(1);
                }
            }
            Ok(due)
        });
        rayon::broadcast(|_| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&seed) = seeds.get(i) else { break };
                if tx.send(run_one(&prepared, &manifest, seed)).is_err() {
                    break;
                }
            }
        });
        drop(tx);
        writer_thread.join().expect("the writer does not panic")
    })?;
    bar.finish_and_clear();
    if written != seeds.len() {
        return Err(format!(
            "only {written} of {} runs were written",
            seeds.len()
        ));
    }
    write_outputs(&args.out)?;
    Ok(manifest)
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), String> {
    let path = file_in(dir, "batch.json");
    let text = serde_json::to_string_pretty(m).expect("manifests serialise");
    write_atomically(&path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads a batch directory's manifest and rows.
pub fn read_batch(dir: &Path) -> Result<(Manifest, Vec<RunRow>), String> {
    let mpath = file_in(dir, "batch.json");
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        format!(
            "cannot read {}: {e} (is it a batch directory?)",
            mpath.display()
        )
    })?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", mpath.display()))?;
    let cpath = file_in(dir, "runs.csv");
    let file = File::open(&cpath).map_err(|e| format!("cannot read {}: {e}", cpath.display()))?;
    let rows = read_runs(file, &m).map_err(|e| format!("{}: {e}", cpath.display()))?;
    let seeds: Vec<u64> = rows.iter().map(|r| r.seed).collect();
    if seeds != m.seeds {
        return Err(format!(
            "{} holds {} runs but batch.json lists {} seeds (was the batch stopped half-way?)",
            cpath.display(),
            rows.len(),
            m.seeds.len()
        ));
    }
    Ok((m, rows))
}

/// Writes `summary.json` and the plots from the directory's manifest and rows. Both a batch
/// and a merge end here, so the same seeds give the same files however they were run.
pub fn write_outputs(dir: &Path) -> Result<(), String> {
    let (m, rows) = read_batch(dir)?;
    let summary = summarise(&m, &rows);
    let files = [
        (
            "summary.json",
            serde_json::to_string_pretty(&summary).expect("summaries serialise") + "\n",
        ),
        ("captures.svg", plots::captures_svg(&m, &rows)),
        ("advance.svg", plots::advance_svg(&m, &rows)),
        ("tank_army_fuel.svg", plots::fuel_svg(&m, &rows)),
    ];
    for (name, text) in files {
        let path = file_in(dir, name);
        write_atomically(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Merges shard directories into one, as if their seeds had been run in one batch.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Manifest, String> {
    let mut merged: Option<Manifest> = None;
    let mut rows: BTreeMap<u64, (RunRow, &Path)> = BTreeMap::new();
    for dir in dirs {
        let (m, shard_rows) = read_batch(dir)?;
        match &merged {
            None => merged = Some(m.clone()),
            Some(first) => first.same_batch(&m).map_err(|e| {
                format!(
                    "cannot merge {} with {}: {e}",
                    dirs[0].display(),
                    dir.display()
                )
            })?,
        }
        for r in shard_rows {
            if let Some((_, other)) = rows.get(&r.seed) {
                return Err(format!(
                    "cannot merge: seed {} is in both {} and {}",
                    r.seed,
                    other.display(),
                    dir.display()
                ));
            }
            rows.insert(r.seed, (r, dir));
        }
    }
    let mut m = merged.ok_or("nothing to merge: name at least one batch directory")?;
    m.seeds = rows.keys().copied().collect();
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut buf = Vec::new();
    {
        let mut w = RunsWriter::new(&mut buf, &m).map_err(|e| e.to_string())?;
        for (r, _) in rows.values() {
            w.write(r).map_err(|e| e.to_string())?;
        }
    }
    let csv_path = file_in(out, "runs.csv");
    write_atomically(&csv_path, &buf)
        .map_err(|e| format!("cannot write {}: {e}", csv_path.display()))?;
    write_manifest(out, &m)?;
    write_outputs(out)?;
    Ok(m)
}

pub fn run(args: BatchArgs) -> ExitCode {
    let started = std::time::Instant::now();
    match run_batch(&args) {
        Ok(m) => {
            println!(
                "{} runs of {} in {:.1} s on {} threads; written to {}",
                m.seeds.len(),
                m.scenario,
                started.elapsed().as_secs_f64(),
                rayon::current_num_threads(),
                args.out.display()
            );
            print_calibration(&args.out);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_calibration(dir: &Path) {
    let Ok((m, rows)) = read_batch(dir) else {
        return;
    };
    for c in summarise(&m, &rows).calibration {
        println!(
            "  {} {:<48} history {:<26} simulated median {}",
            if c.within_tolerance { "ok  " } else { "MISS" },
            c.event,
            c.historical,
            c.simulated_median
        );
    }
}

pub fn run_merge(dirs: &[PathBuf], out: &Path) -> ExitCode {
    match merge(dirs, out) {
        Ok(m) => {
            println!(
                "{} runs from {} directories merged into {}",
                m.seeds.len(),
                dirs.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The comparison of batch B against batch A.
pub fn compare_dirs(a: &Path, b: &Path) -> Result<compare::Comparison, String> {
    let (ma, ra) = read_batch(a)?;
    let (mb, rb) = read_batch(b)?;
    let name = |dir: &Path, m: &Manifest| {
        if m.what_ifs.is_empty() {
            format!("{} (historical)", dir.display())
        } else {
            format!("{} (what-ifs: {})", dir.display(), m.what_ifs.join(", "))
        }
    };
    compare::compare((&name(a, &ma), &ma, &ra), (&name(b, &mb), &mb, &rb))
}

pub fn run_compare(a: &Path, b: &Path, json: bool) -> ExitCode {
    match compare_dirs(a, b) {
        Ok(c) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&c).expect("comparisons serialise")
                );
            } else {
                print!("{}", compare::to_text(&c));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
