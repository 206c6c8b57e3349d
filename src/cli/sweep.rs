//! `august-storm sweep`: a Latin hypercube of a sweep file's inputs, each point run with its
//! seeds AI against AI on every core, the inputs written beside the outcomes in `runs.csv`,
//! and the sensitivity (PRCC, tornado plots) and scenario discovery (PRIM boxes) reported;
//! shards merged as a batch's are.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::batch::{Prepared, seeds};
use super::print_diagnostics;
use crate::model::Side;
use crate::model::time::iso_local;
use crate::report::batch::{AdvanceTracker, Seeds, run_row};
use crate::report::outputs::{Inputs, contents, open_out_dir};
use crate::report::sensitivity::latin_hypercube;
use crate::report::sweep::{
    InputInfo, SweepManifest, SweepRow, analyse, discovery_svg, read_rows, slug, to_text,
    tornado_svg, write_rows,
};
use crate::scenario::save::write_atomically;
use crate::scenario::spawn::GameSetup;
use crate::scenario::sweep::{Sweep, load_sweep};

pub struct SweepArgs {
    pub file: PathBuf,
    /// (K, M), 1-based: this shard runs the runs r with r % M == K - 1.
    pub shard: Option<(u64, u64)>,
    pub out: PathBuf,
    pub progress: bool,
    /// Replace what `out` holds when it is not this sweep.
    pub force: bool,
}

/// The design and what this directory will hold, before any run.
pub fn manifest(sweep: &Sweep, runs: Seeds, digest: String) -> SweepManifest {
    let f = &sweep.file;
    let unit = latin_hypercube(f.points as usize, sweep.inputs.len(), f.design_seed);
    let design = unit
        .iter()
        .map(|p| {
            sweep
                .inputs
                .iter()
                .zip(p)
                .map(|(i, u)| i.value_at(*u))
                .collect()
        })
        .collect();
    let mut outcomes = f.outcomes.clone();
    for q in &f.questions {
        if !outcomes.contains(&q.outcome) {
            outcomes.push(q.outcome.clone());
        }
    }
    SweepManifest {
        sweep_file: sweep.path.display().to_string(),
        scenario: sweep.scenario_name.clone(),
        what_ifs: f.what_ifs.clone(),
        inputs_digest: digest,
        start: iso_local(sweep.start),
        design_seed: f.design_seed,
        seed_start: f.seed_start,
        seeds_per_point: f.seeds,
        inputs: sweep
            .inputs
            .iter()
            .map(|i| InputInfo {
                def: i.def.clone(),
                kind: i.kind,
            })
            .collect(),
        outcomes,
        questions: f.questions.clone(),
        design,
        runs,
        analysis: None,
    }
}

/// One design point's scenario, loaded when its first run starts and let go after its last.
struct Slot {
    prepared: Option<Arc<Prepared>>,
    left: u64,
}

/// Plays one run and measures its outcomes. Stops at the last turn any outcome needs.
fn run_one(sweep: &Sweep, p: &Prepared, seed: u64) -> Vec<f64> {
    let mut game = p.game(seed);
    let mut advance = AdvanceTracker::new(&mut game);
    let limit = sweep.turns_needed();
    let ai = Side::BOTH;
    let mut played = 0;
    while !game.calendar().finished && limit.is_none_or(|l| played < l) {
        let turn = game.calendar().turn;
        super::simulate::play(&mut game, &[], &ai, turn + 1);
        advance.sample(&mut game);
        played += 1;
    }
    let row = run_row(
        &mut game,
        seed,
        &sweep.places,
        &[],
        &[],
        &sweep.turn_ends,
        &[],
        advance,
    );
    sweep
        .outcomes
        .iter()
        .map(|m| crate::report::sweep::measure(m, &row, sweep.start))
        .collect()
}

/// The files a sweep or a merge writes besides its plots.
const FILES: [&str; 2] = ["sweep.json", "runs.csv"];

/// Every file a sweep or merge writes in its directory: the table, the manifest, a tornado
/// plot per outcome and a discovery plot per question.
fn output_names(m: &SweepManifest) -> Vec<String> {
    let mut names: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    names.extend(
        m.outcomes
            .iter()
            .map(|o| format!("tornado_{}.svg", slug(&o.label()))),
    );
    names.extend((1..=m.questions.len()).map(|q| format!("discovery_{q}.svg")));
    names
}

/// Refuses a directory that holds anything but this same sweep (or merge), unless `force`.
fn check_previous(out: &Path, m: &SweepManifest, force: bool) -> Result<(), String> {
    let names = contents(out);
    if names.is_empty() {
        return Ok(());
    }
    let old = std::fs::read_to_string(out.join("sweep.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<SweepManifest>(&t).ok());
    let what = match old {
        Some(old) => match old.same_sweep(m) {
            Ok(()) if old.runs == m.runs => return Ok(()),
            Ok(()) => "this sweep with other runs (another shard)".to_string(),
            Err(e) => format!("another sweep ({e})"),
        },
        None => format!(
            "{} file{} that are not a sweep's ({}{})",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            if names.len() > 3 { ", ..." } else { "" }
        ),
    };
    if force {
        eprintln!("replacing {what} in {} (--force)", out.display());
        return Ok(());
    }
    Err(format!(
        "{} already holds {what}; nothing was written: choose another --out, or add --force to replace what it holds",
        out.display()
    ))
}

/// Runs a sweep (or one shard of it) on the current rayon pool and writes its files.
pub fn run_sweep(args: &SweepArgs) -> Result<SweepManifest, String> {
    let sweep = load_sweep(&args.file).map_err(|d| {
        print_diagnostics(&d);
        format!("{} does not load (problems above)", args.file.display())
    })?;
    let total = sweep.file.points * sweep.file.seeds;
    let runs = seeds(total, 0, args.shard).map_err(|e| e.replace("--runs", "the sweep's"))?;
    let mut inputs = Inputs::default();
    inputs.add(&args.file, "the sweep file");
    inputs.add_scenario(&sweep.scenario_path, &sweep.file.what_ifs);
    let mut m = manifest(&sweep, runs, inputs.digest());
    let _lock = open_out_dir(
        &args.out,
        &inputs,
        output_names(&m).iter().map(String::as_str),
    )?;
    check_previous(&args.out, &m, args.force)?;

    let per_point = m.seeds_per_point;
    let mut left = vec![0u64; m.design.len()];
    for r in m.runs.iter() {
        left[(r / per_point) as usize] += 1;
    }
    let slots: Vec<Mutex<Slot>> = left
        .into_iter()
        .map(|left| {
            Mutex::new(Slot {
                prepared: None,
                left,
            })
        })
        .collect();
    let setup = GameSetup {
        scenario: sweep.scenario_path.display().to_string(),
        scenario_name: String::new(),
        seed: 0,
        what_ifs: sweep.file.what_ifs.clone(),
    };
    let bar = if args.progress {
        ProgressBar::with_draw_target(Some(m.runs.len()), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {elapsed} elapsed, about {eta} left",
        )
        .expect("the template is valid"),
    );
    let (tx, rx) = mpsc::channel::<Result<SweepRow, String>>();
    let next = AtomicU64::new(0);
    let rows = std::thread::scope(|scope| {
        let order = &m.runs;
        let bar = &bar;
        // Rows come back in any order; they are kept in run order.
        let collector = scope.spawn(move || -> Result<Vec<SweepRow>, String> {
            let mut got: BTreeMap<u64, SweepRow> = BTreeMap::new();
            for row in rx {
                let row = row?;
                got.insert(row.run, row);
                bar.inc(1);
            }
            let _ = order;
            Ok(got.into_values().collect())
        });
        rayon::broadcast(|_| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(run) = m.runs.nth(i) else { break };
                let point = (run / per_point) as usize;
                let prepared = {
                    let mut slot = slots[point].lock().expect("no worker panics");
                    match &slot.prepared {
                        Some(p) => Ok(p.clone()),
                        None => match sweep.prepared_at(&m.design[point]) {
                            Ok((scenario, switches)) => {
                                let p = Arc::new(Prepared {
                                    setup: GameSetup {
                                        scenario_name: scenario.file.name.clone(),
                                        ..setup.clone()
                                    },
                                    scenario,
                                    switches,
                                });
                                slot.prepared = Some(p.clone());
                                Ok(p)
                            }
                            Err(d) => Err(format!(
                                "design point {point} does not load: {}",
                                d.iter()
                                    .filter(|x| x.is_error())
                                    .map(|x| x.message.clone())
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            )),
                        },
                    }
                };
                let row = prepared.map(|p| SweepRow {
                    run,
                    outcomes: run_one(&sweep, &p, m.seed_of(run)),
                });
                {
                    let mut slot = slots[point].lock().expect("no worker panics");
                    slot.left -= 1;
                    if slot.left == 0 {
                        slot.prepared = None;
                    }
                }
                let failed = row.is_err();
                if tx.send(row).is_err() || failed {
                    break;
                }
            }
        });
        drop(tx);
        collector.join().expect("the collector does not panic")
    })?;
    bar.finish_and_clear();
    write_dir(&args.out, &mut m, &rows)?;
    Ok(m)
}

/// Writes runs.csv, the analysis into sweep.json, and the plots. A sweep and a merge both
/// end here, so the same runs give the same files however they were run.
fn write_dir(dir: &Path, m: &mut SweepManifest, rows: &[SweepRow]) -> Result<(), String> {
    let csv_path = dir.join("runs.csv");
    let cannot = |p: &Path, e: &dyn std::fmt::Display| format!("cannot write {}: {e}", p.display());
    let mut buf = Vec::new();
    write_rows(&mut buf, m, rows, true).map_err(|e| cannot(&csv_path, &e))?;
    write_atomically(&csv_path, &buf).map_err(|e| cannot(&csv_path, &e))?;
    let analysis = analyse(m, rows);
    let mut files = Vec::new();
    for (k, o) in m.outcomes.iter().enumerate() {
        files.push((
            format!("tornado_{}.svg", slug(&o.label())),
            tornado_svg(m, &analysis, k),
        ));
    }
    for q in 0..m.questions.len() {
        files.push((
            format!("discovery_{}.svg", q + 1),
            discovery_svg(m, rows, &analysis, q),
        ));
    }
    m.analysis = Some(analysis);
    files.push((
        "sweep.json".into(),
        serde_json::to_string_pretty(&m).expect("manifests serialise") + "\n",
    ));
    for (name, text) in files {
        let path = dir.join(&name);
        write_atomically(&path, text.as_bytes()).map_err(|e| cannot(&path, &e))?;
    }
    Ok(())
}

/// Reads a sweep directory's manifest and rows.
pub fn read_sweep(dir: &Path) -> Result<(SweepManifest, Vec<SweepRow>), String> {
    let mpath = dir.join("sweep.json");
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        format!(
            "cannot read {}: {e} (is it a sweep directory?)",
            mpath.display()
        )
    })?;
    let m: SweepManifest =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", mpath.display()))?;
    let cpath = dir.join("runs.csv");
    let file = File::open(&cpath).map_err(|e| format!("cannot read {}: {e}", cpath.display()))?;
    let rows = read_rows(file, &m).map_err(|e| format!("{}: {e}", cpath.display()))?;
    let held: Vec<u64> = rows.iter().map(|r| r.run).collect();
    if !Seeds::from_ascending(held.iter().copied()).same_as(&m.runs) {
        return Err(format!(
            "{}: its runs are not the {} sweep.json says it holds",
            cpath.display(),
            m.runs.describe()
        ));
    }
    Ok((m, rows))
}

/// Whether a directory holds a sweep (rather than a batch), for `merge`.
pub fn is_sweep_dir(dir: &Path) -> bool {
    dir.join("sweep.json").is_file()
}

/// Merges shards of one sweep into `out`, as if it had been run unsharded.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<SweepManifest, String> {
    let mut inputs = Inputs::default();
    for dir in dirs {
        inputs.add(dir, format!("the sweep directory {}", dir.display()));
        for name in FILES {
            inputs.add(
                &dir.join(name),
                format!("a file of the sweep {}", dir.display()),
            );
        }
    }
    let mut merged: Option<SweepManifest> = None;
    let mut rows: BTreeMap<u64, (SweepRow, &Path)> = BTreeMap::new();
    for dir in dirs {
        let (m, shard_rows) = read_sweep(dir)?;
        match &merged {
            None => merged = Some(m),
            Some(first) => first.same_sweep(&m).map_err(|e| {
                format!(
                    "cannot merge {} with {}: {e}",
                    dirs[0].display(),
                    dir.display()
                )
            })?,
        }
        for r in shard_rows {
            if let Some((_, other)) = rows.get(&r.run) {
                return Err(format!(
                    "cannot merge: run {} is in both {} and {}",
                    r.run,
                    other.display(),
                    dir.display()
                ));
            }
            rows.insert(r.run, (r, dir));
        }
    }
    let mut m = merged.ok_or("nothing to merge: name at least one sweep directory")?;
    let missing: Vec<u64> = (0..m.total_runs())
        .filter(|r| !rows.contains_key(r))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
        return Err(format!(
            "cannot merge: the sweep has {} runs and the directories lack runs {}{}; a shard is missing",
            m.total_runs(),
            shown.join(", "),
            if missing.len() > 10 {
                format!(" (and {} more)", missing.len() - 10)
            } else {
                String::new()
            }
        ));
    }
    m.runs = Seeds::from_ascending(rows.keys().copied());
    m.analysis = None;
    let _lock = open_out_dir(out, &inputs, output_names(&m).iter().map(String::as_str))?;
    check_previous(out, &m, force)?;
    let rows: Vec<SweepRow> = rows.into_values().map(|(r, _)| r).collect();
    write_dir(out, &mut m, &rows)?;
    Ok(m)
}

pub fn run(args: SweepArgs) -> ExitCode {
    let started = std::time::Instant::now();
    match run_sweep(&args) {
        Ok(m) => {
            println!(
                "{} runs ({} points × {} seeds{}) of {} in {:.1} s on {} threads; written to {}",
                m.runs.len(),
                m.design.len(),
                m.seeds_per_point,
                if m.runs.len() < m.total_runs() {
                    format!(", this shard's {}", m.runs.describe())
                } else {
                    String::new()
                },
                m.scenario,
                started.elapsed().as_secs_f64(),
                rayon::current_num_threads(),
                args.out.display()
            );
            if let Some(a) = &m.analysis {
                print!("{}", to_text(&m, a));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn run_merge(dirs: &[PathBuf], out: &Path, force: bool) -> ExitCode {
    match merge(dirs, out, force) {
        Ok(m) => {
            println!(
                "{} runs of the sweep from {} director{} merged into {}",
                m.runs.len(),
                dirs.len(),
                if dirs.len() == 1 { "y" } else { "ies" },
                out.display()
            );
            if let Some(a) = &m.analysis {
                print!("{}", to_text(&m, a));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
