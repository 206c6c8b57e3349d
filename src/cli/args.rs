//! The command line's words: every command with its arguments and their help, as clap reads
//! them. What each command does is in the files beside this one.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "august-storm",
    version,
    about = "August Storm: an operational wargame of the Soviet invasion of Manchuria, 9 August - 2 September 1945",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check scenario, map, rules and what-if files; list every problem with file, line and column.
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show a scenario's order of battle by side, front and army, with the documented totals.
    Info {
        scenario: PathBuf,
        /// Print a machine-readable JSON object instead.
        #[arg(long)]
        json: bool,
        /// Also list every unit.
        #[arg(long)]
        units: bool,
    },
    /// Run a scenario headless and write a JSON report.
    Simulate {
        scenario: PathBuf,
        /// Seed of the random number generator (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Apply a what-if overlay by name (repeatable); `what-ifs` lists them.
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
        /// Stop at this local date or time, e.g. 1945-08-15 or 1945-08-15T12:00.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Orders to give, turn by turn (RON; see the README).
        #[arg(long, value_name = "FILE")]
        orders: Option<PathBuf>,
        /// Write the JSON report here (default: print a summary only).
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Save the game here when the run stops.
        #[arg(long, value_name = "FILE.ron")]
        save: Option<PathBuf>,
        /// Which sides the AI commands: none, soviet, japanese or both (default: both, or
        /// none when --orders is given).
        #[arg(long, value_name = "SIDES")]
        ai: Option<String>,
        /// Continue a saved game instead of starting the scenario afresh.
        #[arg(long, value_name = "FILE.ron", conflicts_with_all = ["seed", "what_if"])]
        load: Option<PathBuf>,
        /// Report the campaign as this side knows it under fog of war: soviet or japanese.
        #[arg(long, value_name = "SIDE", conflicts_with = "omniscient")]
        side: Option<String>,
        /// Report everything, whatever either side saw (the default, for analysis).
        #[arg(long)]
        omniscient: bool,
    },
    /// Print a map file as text, one character a hex, to check it by eye.
    Map {
        #[arg(default_value = "scenarios/maps/manchuria.ron")]
        map: PathBuf,
    },
    /// Explain one unit's logistics: where its fuel comes from, how far, what limits it.
    Explain {
        /// A scenario (replayed with --orders up to --turn) or a saved game.
        file: PathBuf,
        /// The unit, by name.
        #[arg(long)]
        unit: String,
        /// Explain the unit as it stands at the start of this turn, the game played up to it
        /// as `simulate` plays it.
        #[arg(long)]
        turn: Option<u32>,
        /// Orders to give on the way to --turn, turn by turn (RON; see the README).
        #[arg(long, value_name = "FILE")]
        orders: Option<PathBuf>,
        /// Which sides the AI commands on the way to --turn: none, soviet, japanese or both
        /// (default: both, or none when --orders is given).
        #[arg(long, value_name = "SIDES")]
        ai: Option<String>,
        /// Apply a what-if overlay by name (repeatable; a scenario only).
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
        /// Seed of the random number generator (a scenario only; default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Play a save again from its scenario, seed and orders and compare it with the saved
    /// state: "identical", or the first difference (phase, unit, field, both values).
    ///
    /// With --window, watch it again phase by phase in the game window; with --notes, write
    /// its commented timeline (with the teacher's notes kept beside the save) for a class.
    Replay {
        /// The save.
        save: PathBuf,
        /// Open the replay viewer: go through every phase, seeing everything or only what
        /// either side saw, and pin teacher's notes to turns.
        #[arg(long, conflicts_with = "notes")]
        window: bool,
        /// Write the commented timeline here: .txt, .md or .html (one page, with a chart).
        #[arg(long, value_name = "OUT")]
        notes: Option<PathBuf>,
    },
    /// Play by e-mail: `new`, `join`, `turn`, `open`; each turn signed, the dice fixed by
    /// both players, the whole game played again whenever a turn is opened.
    Pbem {
        #[command(subcommand)]
        command: super::pbem::PbemCommand,
    },
    /// List the what-if overlays available for a scenario.
    WhatIfs {
        #[arg(default_value = "scenarios/august_storm_1945.ron")]
        scenario: PathBuf,
    },
    /// Run many seeded campaigns AI against AI on every core; write runs.csv, summary.json
    /// and plots to a directory.
    Batch {
        scenario: PathBuf,
        /// How many runs (seeds seed-start .. seed-start + N - 1), at most 100000.
        #[arg(long)]
        runs: u64,
        #[arg(long, default_value_t = 1)]
        seed_start: u64,
        /// Apply a what-if overlay by name (repeatable).
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
        /// Run only shard K of M (1-based): the seeds s with (s - seed-start) % M == K - 1.
        /// `slurm` reads K and M from a Slurm job array's environment.
        #[arg(long, value_name = "K/M|slurm")]
        shard: Option<String>,
        /// Read this task's shard index (counted from 0) from an environment variable, as
        /// Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX) and HyperQueue (HQ_TASK_ID) give it.
        #[arg(long, value_name = "NAME")]
        shard_index_env: Option<String>,
        /// With --shard-index-env: how many tasks share the batch.
        #[arg(long, value_name = "M")]
        shards: Option<u64>,
        /// Calibration facts to check (default: calibration.ron beside the scenario).
        #[arg(long, value_name = "FILE")]
        calibration: Option<PathBuf>,
        /// The places whose capture to follow: `key` for the cities, or names separated by
        /// commas (default: every place the Soviet side did not hold at the start). Places the
        /// calibration facts need are always followed.
        #[arg(long, value_name = "key|NAME,NAME…")]
        places: Option<String>,
        /// The directory to write. The same batch there already is resumed where it stopped;
        /// anything else there is refused unless --force.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace what --out holds when it is not this batch.
        #[arg(long)]
        force: bool,
    },
    /// Sensitivity analysis: a Latin hypercube of the inputs a sweep file names, each point
    /// run with its seeds; runs.csv, sweep.json (PRCC, discovery boxes), tornado and discovery
    /// plots.
    Sweep {
        /// The sweep file (RON; see the README's "Sensitivity analysis").
        file: PathBuf,
        /// Run only shard K of M (1-based): the runs r (counted from 0) with r % M == K - 1.
        /// `slurm` reads K and M from a Slurm job array's environment.
        #[arg(long, value_name = "K/M|slurm")]
        shard: Option<String>,
        /// Read this task's shard index (counted from 0) from an environment variable.
        #[arg(long, value_name = "NAME")]
        shard_index_env: Option<String>,
        /// With --shard-index-env: how many tasks share the sweep.
        #[arg(long, value_name = "M")]
        shards: Option<u64>,
        /// The directory to write; anything but this same sweep there is refused unless --force.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace what --out holds when it is not this sweep.
        #[arg(long)]
        force: bool,
    },
    /// Merge shards of a batch (or of a sweep) into one directory and redo its summary and plots.
    Merge {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The directory to write: not one of the shards; anything but this same merge there
        /// is refused unless --force.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace what --out holds.
        #[arg(long)]
        force: bool,
    },
    /// Compare two batches place by place: the shift in median capture dates, and whether it
    /// is beyond run-to-run noise.
    Compare {
        a: PathBuf,
        b: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Time whole campaigns AI against AI on every core: per campaign, per turn, peak memory.
    Bench {
        scenario: PathBuf,
        #[arg(long, default_value_t = 8)]
        runs: u64,
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
    },
    /// Open the game window.
    Play {
        #[arg(long, default_value = "scenarios/august_storm_1945.ron")]
        scenario: PathBuf,
        /// Who plays: soviet or japanese (against the AI), hotseat (two players), watch (AI
        /// against AI).
        #[arg(long, default_value = "soviet")]
        side: String,
        /// Continue a saved game.
        #[arg(long, value_name = "SAVE", conflicts_with = "replay")]
        load: Option<PathBuf>,
        /// Watch a saved game again in the replay viewer (as `replay SAVE --window`).
        #[arg(long, value_name = "SAVE")]
        replay: Option<PathBuf>,
        /// Render this many frames, save what the window shows to FILE.png, and exit.
        #[arg(long, value_name = "FILE.png")]
        screenshot: Option<PathBuf>,
        #[arg(long, default_value_t = 30)]
        frames: u32,
        /// Time every frame while the script runs (`tour:N` pans and zooms over the map),
        /// write the median, the 95th percentile and each frame's time to FILE.json, and exit.
        #[arg(long, value_name = "FILE.json", requires = "script")]
        frame_times: Option<PathBuf>,
        /// Clicks and keys to replay before the screenshot (for tests), e.g.
        /// "select:5th Guards Tank Corps;move:44,60;end".
        #[arg(long, value_name = "SCRIPT")]
        script: Option<String>,
        /// Apply a what-if overlay by name (repeatable); `august-storm what-ifs` lists them.
        #[arg(long = "what-if", value_name = "NAME")]
        what_if: Vec<String>,
        /// Play your phase of a game by e-mail in the window: your copy of the game (see
        /// `pbem`). Ending the turn writes the turn file to send.
        #[arg(
            long,
            value_name = "GAME.ron",
            requires = "key",
            conflicts_with = "load"
        )]
        pbem: Option<PathBuf>,
        /// With --pbem: your key file.
        #[arg(long, value_name = "KEY.ron", requires = "pbem")]
        key: Option<PathBuf>,
        /// With --pbem: first open this turn file the other player sent.
        #[arg(long, value_name = "TURN.ron", requires = "pbem")]
        open: Option<PathBuf>,
        /// With --pbem: where to write the turn file to send (default: turn.ron beside the
        /// game).
        #[arg(long, value_name = "TURN.ron", requires = "pbem")]
        send: Option<PathBuf>,
    },
}
