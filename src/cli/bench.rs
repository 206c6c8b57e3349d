//! `august-storm bench`: whole campaigns AI against AI on every core, timed per campaign and
//! per turn, with throughput and peak memory.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

use super::batch::{Prepared, play_campaign};
use super::print_diagnostics;
use crate::report::batch::spread;

/// Wall times of one campaign.
struct Timed {
    campaign_s: f64,
    turns_s: Vec<f64>,
}

fn timed_campaign(p: &Prepared, seed: u64) -> Timed {
    let started = Instant::now();
    let mut game = p.game(seed);
    let mut turn_started = Instant::now();
    let mut turns_s = Vec::new();
    play_campaign(&mut game, |_| {
        turns_s.push(turn_started.elapsed().as_secs_f64());
        turn_started = Instant::now();
    });
    Timed {
        campaign_s: started.elapsed().as_secs_f64(),
        turns_s,
    }
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux only).
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn run(scenario: &Path, runs: u64, what_ifs: &[String]) -> ExitCode {
    let load_started = Instant::now();
    let p = match Prepared::load(scenario, what_ifs) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return ExitCode::FAILURE;
        }
    };
    let load_s = load_started.elapsed().as_secs_f64();
    let threads = rayon::current_num_threads();
    let started = Instant::now();
    // Seeds 1..=runs, the same as `batch --runs N`, so the two can be compared.
    let timed: Vec<Timed> = (1..=runs)
        .into_par_iter()
        .map(|seed| timed_campaign(&p, seed))
        .collect();
    let wall_s = started.elapsed().as_secs_f64();
    let campaigns = spread(timed.iter().map(|t| t.campaign_s));
    let turns = spread(timed.iter().flat_map(|t| t.turns_s.iter().copied()));
    let turn_count = timed.first().map(|t| t.turns_s.len()).unwrap_or(0);
    println!(
        "{}: {runs} campaigns AI against AI ({turn_count} turns each), {threads} threads",
        p.setup.scenario_name
    );
    println!("  loading the scenario:  {:.3} s", load_s);
    if let (Some(c), Some(t)) = (campaigns, turns) {
        println!(
            "  wall time a campaign:  median {:.2} s (p10 {:.2} s, p90 {:.2} s)",
            c.median, c.p10, c.p90
        );
        println!(
            "  wall time a turn:      median {:.1} ms (p10 {:.1} ms, p90 {:.1} ms)",
            t.median * 1e3,
            t.p10 * 1e3,
            t.p90 * 1e3
        );
    }
    println!(
        "  throughput:            {:.3} campaigns/s on all cores ({runs} in {wall_s:.1} s)",
        runs as f64 / wall_s
    );
    match peak_memory_kib() {
        Some(k) => println!("  peak memory (VmHWM):   {:.0} MiB", k as f64 / 1024.0),
        None => println!("  peak memory (VmHWM):   not available on this system"),
    }
    ExitCode::SUCCESS
}
