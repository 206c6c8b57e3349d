//! Shards merged into one batch, and two batches compared place by place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{
    OUTPUTS, Previous, file_in, previous_batch, read_batch, write_manifest, write_outputs,
};
use crate::report::batch::{MAX_RUNS, Manifest, RunRow, RunsWriter, Seeds};
use crate::report::compare;
use crate::report::outputs::{Inputs, open_out_dir};
use crate::scenario::save::write_atomically;

/// Merges shard directories into one, as if their seeds had been run in one batch.
/// `out` must not be one of them; where it holds anything but this same merge, it is
/// refused unless `force`.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<Manifest, String> {
    let mut merged: Option<Manifest> = None;
    let mut rows: BTreeMap<u64, (RunRow, &Path)> = BTreeMap::new();
    let mut inputs = Inputs::default();
    for dir in dirs {
        inputs.add(dir, format!("the batch directory {}", dir.display()));
        for name in OUTPUTS {
            inputs.add(
                &dir.join(name),
                format!("a file of the batch {}", dir.display()),
            );
        }
    }
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
    if rows.len() as u64 > MAX_RUNS {
        return Err(format!(
            "cannot merge: together the directories hold {} runs; a batch holds at most {MAX_RUNS}",
            rows.len()
        ));
    }
    // A batch runs consecutive seeds, so its shards together must too: a gap is a shard left
    // out, or shards of different batches (other seed ranges or run counts).
    if let (Some(first), Some(last)) = (rows.keys().next(), rows.keys().next_back()) {
        let missing: Vec<u64> = (*first..=*last).filter(|s| !rows.contains_key(s)).collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
            return Err(format!(
                "cannot merge: the directories hold seeds {first} to {last} but not {}{}; a batch runs consecutive seeds, so a shard is missing or the shards are of different batches",
                shown.join(", "),
                if missing.len() > 10 {
                    format!(" (and {} more)", missing.len() - 10)
                } else {
                    String::new()
                }
            ));
        }
    }
    m.seeds = Seeds::from_ascending(rows.keys().copied());
    let _lock = open_out_dir(out, &inputs, OUTPUTS)?;
    match previous_batch(out, &m) {
        Previous::Nothing => {}
        // The same merge again: the same files.
        Previous::Same(_) => {}
        Previous::Other(what) if force => {
            eprintln!("replacing {what} in {} (--force)", out.display());
        }
        Previous::Other(what) => {
            return Err(format!(
                "{} already holds {what}; nothing was written: choose another --out, or add --force to replace what it holds",
                out.display()
            ));
        }
    }
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

pub fn run_merge(dirs: &[PathBuf], out: &Path, force: bool) -> ExitCode {
    match merge(dirs, out, force) {
        Ok(m) => {
            println!(
                "{} runs from {} director{} merged into {}",
                m.seeds.len(),
                dirs.len(),
                if dirs.len() == 1 { "y" } else { "ies" },
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
