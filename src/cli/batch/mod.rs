//! `august-storm batch`, `merge` and `compare`: seeded AI-against-AI campaigns on every core
//! streamed to a runs table, summarised against the calibration facts and plotted; shards
//! merged and two batches compared place by place in [`merge`].

mod merge;

pub use merge::{compare_dirs, merge, run_compare, run_merge};

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::print_diagnostics;
use crate::model::Side;
use crate::report::batch::{
    AdvanceTracker, MAX_RUNS, Manifest, RunRow, RunsScan, RunsWriter, Seeds, batch_axes,
    load_calibration_for, read_runs, run_row, scan_runs, summarise,
};
use crate::report::outputs::{Inputs, contents, open_out_dir};
use crate::report::plots;
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
    /// The places to follow (`--places`): None, every place the Soviet side did not hold;
    /// `key`, the key places; or names separated by commas.
    pub places: Option<String>,
    pub progress: bool,
    /// Replace whatever `out` holds, where it is not this batch (which is resumed).
    pub force: bool,
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
    let ai = Side::BOTH;
    while !game.calendar().finished {
        let turn = game.calendar().turn;
        super::simulate::play(game, &[], &ai, turn + 1);
        each_turn(game);
    }
}

/// One seeded run, boiled down to its row. Depends on nothing but the seed.
pub fn run_one(p: &Prepared, m: &Manifest, seed: u64) -> RunRow {
    let mut game = p.game(seed);
    let mut advance = AdvanceTracker::new(&mut game).following(game.world_mut(), &m.marches);
    play_campaign(&mut game, |g| advance.sample(g));
    run_row(
        &mut game,
        seed,
        &m.places,
        &m.works,
        &m.weather,
        &m.turn_ends,
        &m.marches,
        advance,
    )
}

/// The seeds of a batch or of one of its shards, ascending; refused with a message when
/// there are none, too many, or the last would be beyond the largest seed.
pub fn seeds(runs: u64, seed_start: u64, shard: Option<(u64, u64)>) -> Result<Seeds, String> {
    if runs == 0 {
        return Err("--runs 0: a batch needs at least one run".into());
    }
    if runs > MAX_RUNS {
        return Err(format!(
            "--runs {runs}: a batch holds at most {MAX_RUNS} runs; run a larger study as several batches with different --seed-start values"
        ));
    }
    if seed_start.checked_add(runs - 1).is_none() {
        return Err(format!(
            "--seed-start {seed_start} with --runs {runs}: the last seed would be beyond the largest seed, {}",
            u64::MAX
        ));
    }
    let Some((k, m)) = shard else {
        return Seeds::stride(seed_start, runs, 1).ok_or_else(|| "no seeds".into());
    };
    // The seeds of shard K are seed_start + K - 1, then every M-th.
    let count = runs.saturating_sub(k - 1).div_ceil(m);
    Seeds::stride(seed_start + (k - 1), count, m).ok_or_else(|| {
        format!("--shard {k}/{m} of {runs} runs holds no seeds: there are fewer runs than shards")
    })
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
    let seeds = seeds(args.runs, args.seed_start, args.shard)?;
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
        load_calibration_for(
            &calibration_file,
            Some(&prepared.scenario),
            args.calibration.is_some(),
        )
        .map_err(|d| {
            print_diagnostics(&d);
            format!(
                "{} does not load (problems above)",
                calibration_file.display()
            )
        })?
    } else {
        Vec::new()
    };
    let first = prepared.game(args.seed_start);
    let (places, fronts, turn_ends) = batch_axes(&first);
    let weather = crate::report::batch::weather_axes(first.world());
    let needed: Vec<&str> = calibration
        .iter()
        .filter_map(|f| match &f.check {
            crate::scenario::calibration::Check::Captured { place, .. }
            | crate::scenario::calibration::Check::WorksTaken { place, .. }
            | crate::scenario::calibration::Check::WorksHeld { place, .. } => Some(place.as_str()),
            _ => None,
        })
        .collect();
    let places = crate::scenario::measures::select_places(
        &prepared.scenario.map,
        &places,
        args.places.as_deref(),
        &needed,
    )?;
    let works = crate::scenario::measures::in_works(&prepared.scenario, &places);
    let mut inputs = Inputs::default();
    inputs.add_scenario(&args.scenario, &args.what_ifs);
    if args.calibration.is_some() || calibration_file.exists() {
        inputs.add(&calibration_file, "the calibration file");
    }
    let manifest = Manifest {
        scenario: prepared.setup.scenario_name.clone(),
        scenario_file: args.scenario.display().to_string(),
        what_ifs: args.what_ifs.clone(),
        places,
        works,
        weather,
        fronts,
        turn_ends,
        followed: prepared.scenario.file.followed_formation.clone(),
        marches: crate::scenario::calibration::followed_by(&calibration, &prepared.scenario),
        calibration,
        inputs_digest: Some(inputs.digest()),
        seeds,
    };
    let seeds = &manifest.seeds;
    let _lock = open_out_dir(&args.out, &inputs, OUTPUTS)?;
    let resume = match previous_batch(&args.out, &manifest) {
        Previous::Nothing => None,
        // A runs.csv without even its header is written afresh.
        Previous::Same(scan) => Some(scan).filter(|s| s.end > 0),
        Previous::Other(what) if args.force => {
            eprintln!("replacing {what} in {} (--force)", args.out.display());
            None
        }
        Previous::Other(what) => {
            return Err(format!(
                "{} already holds {what}; nothing was written: choose another --out, or add --force to replace what it holds",
                args.out.display()
            ));
        }
    };
    write_manifest(&args.out, &manifest)?;
    let csv_path = file_in(&args.out, "runs.csv");
    let cannot = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", csv_path.display());
    let (mut writer, done) = match &resume {
        None => {
            let file = File::create(&csv_path).map_err(|e| cannot(&e))?;
            let w = RunsWriter::new(BufWriter::new(file), &manifest).map_err(|e| cannot(&e))?;
            (w, 0)
        }
        Some(scan) => {
            // Everything after the last whole run of the next seed goes: a row cut short
            // when the batch was stopped, or one written by hand.
            let mut file = OpenOptions::new()
                .write(true)
                .open(&csv_path)
                .map_err(|e| cannot(&e))?;
            file.set_len(scan.end).map_err(|e| cannot(&e))?;
            file.seek(SeekFrom::End(0)).map_err(|e| cannot(&e))?;
            if scan.runs > 0 {
                eprintln!(
                    "resuming the batch in {}: {} of its {} runs are done",
                    args.out.display(),
                    scan.runs,
                    seeds.len()
                );
            }
            (RunsWriter::append(BufWriter::new(file)), scan.runs)
        }
    };

    let bar = if args.progress {
        ProgressBar::with_draw_target(Some(seeds.len()), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_position(done);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {elapsed} elapsed, about {eta} left",
        )
        .expect("the template is valid"),
    );

    let (tx, rx) = mpsc::channel::<RunRow>();
    let next = AtomicU64::new(done);
    let written = std::thread::scope(|scope| {
        let order = seeds;
        let bar = &bar;
        // The writer puts rows back in seed order. Workers take seeds one at a time from a
        // shared counter, so at most one row per worker waits here: memory stays flat
        // however many runs there are.
        let writer_thread = scope.spawn(move || -> Result<u64, String> {
            let mut waiting: BTreeMap<u64, RunRow> = BTreeMap::new();
            let mut due = done;
            for row in rx {
                waiting.insert(row.seed, row);
                while let Some(row) = order.nth(due).and_then(|s| waiting.remove(&s)) {
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
                let Some(seed) = seeds.nth(i) else { break };
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

/// The files a batch or a merge writes in its directory.
pub const OUTPUTS: [&str; 6] = [
    "batch.json",
    "runs.csv",
    "summary.json",
    "captures.svg",
    "advance.svg",
    "tank_army_fuel.svg",
];

/// What an output directory already holds, against the batch about to be written to it.
enum Previous {
    /// Nothing (or only a lock file).
    Nothing,
    /// This very batch, with as many of its runs as are whole: it is resumed.
    Same(RunsScan),
    /// Something else, in words.
    Other(String),
}

fn previous_batch(dir: &Path, m: &Manifest) -> Previous {
    let names = contents(dir);
    if names.is_empty() {
        return Previous::Nothing;
    }
    let listed = || {
        let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        format!(
            "{} (not a batch of this scenario: {}{})",
            if names.len() == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", names.len())
            },
            shown.join(", "),
            if names.len() > 3 { ", ..." } else { "" }
        )
    };
    let Ok(text) = std::fs::read_to_string(file_in(dir, "batch.json")) else {
        return Previous::Other(listed());
    };
    let Ok(old) = serde_json::from_str::<Manifest>(&text) else {
        return Previous::Other(listed());
    };
    if let Err(e) = old.same_batch(m) {
        return Previous::Other(format!("another batch: {e}"));
    }
    if !old.seeds.same_as(&m.seeds) {
        return Previous::Other(format!(
            "another batch of this scenario: it ran {}, this one runs {}",
            old.seeds.describe(),
            m.seeds.describe()
        ));
    }
    match File::open(file_in(dir, "runs.csv")) {
        // Stopped before its first row.
        Err(_) => Previous::Same(RunsScan {
            runs: 0,
            end: 0,
            stop: None,
        }),
        Ok(f) if f.metadata().is_ok_and(|md| md.len() == 0) => Previous::Same(RunsScan {
            runs: 0,
            end: 0,
            stop: None,
        }),
        Ok(f) => match scan_runs(std::io::BufReader::new(f), m, |_| {}) {
            Ok(scan) => Previous::Same(scan),
            Err(e) => Previous::Other(format!("a batch whose runs.csv does not fit it ({e})")),
        },
    }
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
