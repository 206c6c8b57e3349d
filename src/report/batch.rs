//! Batch statistics: one compact row per seeded run, the runs table (`runs.csv`), the
//! manifest that says what was run, and the summary against the calibration facts.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::model::time::{iso_local, parse_local};
use crate::model::*;
use crate::rules::Game;
use bevy::prelude::World;

pub use crate::scenario::calibration::{
    CalibrationFact, CalibrationFile, Check, load_calibration, load_calibration_for,
};
pub use crate::scenario::measures::{KEY_PLACE_VALUE, MAX_RUNS, NUMBERS, turn_ended_by};

/// What a batch ran, written beside its rows so that `merge` can tell shards of the same
/// batch from strangers, and so that the summary and plots can be redrawn from the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    pub what_ifs: Vec<String>,
    /// The places followed, in map order: the capture columns of `runs.csv`.
    pub places: Vec<String>,
    /// The Soviet fronts, in order-of-battle order: the advance columns of `runs.csv`.
    pub fronts: Vec<String>,
    /// Local time at the end of each turn: the time axis of the per-turn series.
    pub turn_ends: Vec<String>,
    /// The formation whose advance and fuel the batch follows (the scenario's
    /// `followed_formation`); absent where it follows none, and in manifests of earlier
    /// versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed: Option<String>,
    pub calibration: Vec<CalibrationFact>,
    /// A digest of the contents of the files the batch read (scenario, map, rules,
    /// logistics, plan, what-ifs, calibration) and of the version; absent in manifests of
    /// earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs_digest: Option<String>,
    /// The seeds this directory holds, ascending.
    pub seeds: Seeds,
}

/// A set of seeds, ascending, kept as arithmetic runs (a batch is one run, a shard one
/// run with a step, a merge of shards one run again): a batch of many seeds takes a line
/// of `batch.json`, not a line a seed. `batch.json` files that list every seed, as earlier
/// versions wrote them, are read too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<SeedEntry>", into = "Vec<SeedEntry>")]
pub struct Seeds {
    runs: Vec<SeedRun>,
}

/// `count` seeds: `first`, `first + step`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRun {
    pub first: u64,
    pub count: u64,
    pub step: u64,
}

impl SeedRun {
    fn last(&self) -> u64 {
        self.first + (self.count - 1) * self.step
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum SeedEntry {
    Seed(u64),
    Run(SeedRun),
}

impl TryFrom<Vec<SeedEntry>> for Seeds {
    type Error = String;
    fn try_from(entries: Vec<SeedEntry>) -> Result<Self, String> {
        let mut seeds = Seeds::default();
        let mut total: u64 = 0;
        for e in entries {
            let run = match e {
                SeedEntry::Seed(s) => SeedRun {
                    first: s,
                    count: 1,
                    step: 1,
                },
                SeedEntry::Run(r) => r,
            };
            if run.count == 0 || run.step == 0 {
                return Err("a run of seeds has a count or step of 0".into());
            }
            let last = (run.count - 1)
                .checked_mul(run.step)
                .and_then(|d| run.first.checked_add(d))
                .ok_or("a run of seeds goes beyond the largest seed")?;
            if seeds.last().is_some_and(|l| run.first <= l) {
                return Err(format!(
                    "the seeds are not in ascending order (seed {} after seed {})",
                    run.first,
                    seeds.last().unwrap_or_default()
                ));
            }
            total = total.saturating_add(run.count);
            if total > MAX_RUNS {
                return Err(format!(
                    "more than {MAX_RUNS} seeds are listed; a batch holds at most {MAX_RUNS} runs"
                ));
            }
            if run.count == 1 {
                seeds.push(run.first);
            } else {
                debug_assert!(last > run.first);
                seeds.runs.push(run);
            }
        }
        Ok(seeds)
    }
}

impl From<Seeds> for Vec<SeedEntry> {
    fn from(s: Seeds) -> Self {
        s.runs.into_iter().map(SeedEntry::Run).collect()
    }
}

impl Seeds {
    /// `count` seeds from `first` in steps of `step`, or None when there are none or the
    /// last would be beyond the largest seed.
    pub fn stride(first: u64, count: u64, step: u64) -> Option<Self> {
        if count == 0 || step == 0 {
            return None;
        }
        first.checked_add((count - 1).checked_mul(step)?)?;
        let step = if count == 1 { 1 } else { step };
        Some(Self {
            runs: vec![SeedRun { first, count, step }],
        })
    }

    /// Seeds given in ascending order.
    pub fn from_ascending(seeds: impl IntoIterator<Item = u64>) -> Self {
        let mut s = Self::default();
        for seed in seeds {
            s.push(seed);
        }
        s
    }

    /// Adds a seed larger than every seed so far.
    fn push(&mut self, seed: u64) {
        if let Some(r) = self.runs.last_mut() {
            if r.count == 1 && seed > r.first {
                r.step = seed - r.first;
                r.count = 2;
                return;
            }
            if r.last().checked_add(r.step) == Some(seed) {
                r.count += 1;
                return;
            }
        }
        self.runs.push(SeedRun {
            first: seed,
            count: 1,
            step: 1,
        });
    }

    pub fn len(&self) -> u64 {
        self.runs.iter().map(|r| r.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn first(&self) -> Option<u64> {
        self.runs.first().map(|r| r.first)
    }

    pub fn last(&self) -> Option<u64> {
        self.runs.last().map(SeedRun::last)
    }

    /// The i-th seed (0-based), ascending.
    pub fn nth(&self, mut i: u64) -> Option<u64> {
        for r in &self.runs {
            if i < r.count {
                return Some(r.first + i * r.step);
            }
            i -= r.count;
        }
        None
    }

    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.runs
            .iter()
            .flat_map(|r| (0..r.count).map(move |i| r.first + i * r.step))
    }

    /// Whether both hold the same seeds, however their runs were written down.
    pub fn same_as(&self, other: &Seeds) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }

    /// The seeds in words, for messages: "seeds 11 to 15", "3 seeds from 11 to 15".
    pub fn describe(&self) -> String {
        match (self.runs.as_slice(), self.first(), self.last()) {
            (_, None, _) | (_, _, None) => "no seeds".into(),
            ([r], Some(a), _) if r.count == 1 => format!("seed {a}"),
            ([r], Some(a), Some(b)) if r.step == 1 => format!("seeds {a} to {b}"),
            ([r], Some(a), Some(b)) => {
                format!("{} seeds from {a} to {b} in steps of {}", r.count, r.step)
            }
            (_, Some(a), Some(b)) => format!("{} seeds from {a} to {b}", self.len()),
        }
    }
}

impl Manifest {
    /// Whether two manifests describe the same batch (whatever seeds each holds).
    pub fn same_batch(&self, other: &Manifest) -> Result<(), String> {
        let differs = |what: &str, a: String, b: String| {
            Err(format!("they ran different {what}: {a} and {b}"))
        };
        if self.scenario != other.scenario {
            return differs("scenarios", self.scenario.clone(), other.scenario.clone());
        }
        if self.what_ifs != other.what_ifs {
            return differs(
                "what-ifs",
                format!("[{}]", self.what_ifs.join(", ")),
                format!("[{}]", other.what_ifs.join(", ")),
            );
        }
        if self.places != other.places || self.fronts != other.fronts {
            return Err(
                "their places or fronts differ (a different map, scenario or --places)".into(),
            );
        }
        if self.turn_ends != other.turn_ends {
            return Err("their calendars differ".into());
        }
        if self.calibration != other.calibration {
            return Err("they were checked against different calibration files".into());
        }
        if let (Some(a), Some(b)) = (&self.inputs_digest, &other.inputs_digest)
            && a != b
        {
            return Err(
                "they were run from different versions of the scenario's files or of the game"
                    .into(),
            );
        }
        Ok(())
    }
}

/// One run, boiled down to what the table, the summary and the plots need.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub seed: u64,
    /// First Soviet control of each key place (manifest order), or None.
    pub captured: Vec<Option<NaiveDateTime>>,
    pub soviet_killed: u64,
    pub soviet_wounded: u64,
    pub soviet_tanks: u64,
    pub japanese_killed: u64,
    pub japanese_wounded: u64,
    /// Men of the Japanese side taken prisoner, of every nation.
    pub japanese_prisoners: u64,
    /// Of them, men of the Japanese army, as the sources count prisoners.
    pub japanese_army_prisoners: u64,
    /// Men who laid down their arms where no Soviet troops reached them.
    pub japanese_unreached: u64,
    /// Men who deserted or mutinied.
    pub japanese_deserted: u64,
    /// Units still fighting at the end that never heard the order to cease fire.
    pub japanese_holding_out: u64,
    pub fuel_consumed_t: f64,
    pub fuel_airlifted_t: f64,
    pub airlift_sorties: u64,
    /// The tank army's fuel on hand at the end of each turn, in refills.
    pub tank_army_refills: Vec<f64>,
    /// How far the tank army has come at the end of each turn, km: the furthest any of its
    /// units stands from where that unit started, as the sources give its daily advance.
    pub tank_army_km: Vec<f64>,
    /// Per front (manifest order), the depth of its deepest unit at the end of each turn, km.
    pub advance_km: Vec<Vec<f64>>,
}

/// Follows one game's fronts turn by turn: where each Soviet unit started, and which front
/// it belongs to.
pub struct AdvanceTracker {
    field: super::depth::DepthField,
    fronts: BTreeMap<UnitId, usize>,
    series: Vec<Vec<f64>>,
    /// The tank army's units and where each started.
    tank_army: BTreeMap<UnitId, Hex>,
    tank_army_km: Vec<f64>,
}

/// The places followed and fronts of a freshly spawned game, and the end of each of its turns.
pub fn batch_axes(game: &Game) -> (Vec<String>, Vec<String>, Vec<String>) {
    crate::scenario::measures::axes(game.world())
}

impl AdvanceTracker {
    /// Notes which front each Soviet unit belongs to.
    pub fn new(game: &mut Game) -> Self {
        Self::in_world(game.world_mut())
    }

    /// [`AdvanceTracker::new`] for a game held in any world (the window's too).
    pub fn in_world(world: &mut World) -> Self {
        let (names, fronts) = super::depth::front_units(world);
        let oob = world.resource::<OrderOfBattle>().clone();
        let followed = *world.resource::<Followed>();
        let mut q = world.query::<(&UnitId, &Parent, &Position)>();
        let tank_army = q
            .iter(world)
            .filter(|(_, p, _)| followed.has(&oob, p.0))
            .map(|(id, _, pos)| (*id, pos.0))
            .collect();
        Self {
            field: super::depth::DepthField::new(world.resource::<Map>(), Side::Soviet),
            fronts,
            series: vec![Vec::new(); names.len()],
            tank_army,
            tank_army_km: Vec::new(),
        }
    }

    /// Adds each front's depth now: how far its deepest unit stands beyond the ground the
    /// side held at the start ([`super::depth`]). Forward detachments are what the sources
    /// measure depth by.
    pub fn sample(&mut self, game: &mut Game) {
        self.sample_world(game.world_mut());
    }

    /// [`AdvanceTracker::sample`] for a game held in any world.
    pub fn sample_world(&mut self, world: &mut World) {
        let mut deepest = vec![0.0f64; self.series.len()];
        let mut furthest = 0.0f64;
        let mut q = world.query_filtered::<(&UnitId, &Position), InField>();
        let map = world.resource::<Map>();
        for (id, pos) in q.iter(world) {
            if let Some(front) = self.fronts.get(id) {
                deepest[*front] = deepest[*front].max(self.field.km(map, pos.0));
            }
            if let Some(start) = self.tank_army.get(id) {
                furthest = furthest.max(map.center(*start).distance_km(map.center(pos.0)));
            }
        }
        for (s, d) in self.series.iter_mut().zip(deepest) {
            s.push(crate::rules::movement::round_to(d, 1));
        }
        self.tank_army_km
            .push(crate::rules::movement::round_to(furthest, 1));
    }
}

impl AdvanceTracker {
    /// Each front's depth in km at every sample so far, fronts in order of battle order.
    pub fn series(&self) -> &[Vec<f64>] {
        &self.series
    }

    /// How far the tank army had come at every sample so far, km.
    pub fn tank_army_km(&self) -> &[f64] {
        &self.tank_army_km
    }
}

/// How far the tank army had come at the end of each turn, rebuilt from the event log as the
/// batch measures it: the furthest any of its units stood from where it started, km.
pub fn tank_army_from_log(world: &World) -> Vec<f64> {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let oob = world.resource::<OrderOfBattle>();
    let followed = world.resource::<Followed>();
    let army: std::collections::BTreeSet<UnitId> = world
        .iter_entities()
        .filter_map(|e| Some((*e.get::<UnitId>()?, e.get::<Parent>()?.0)))
        .filter(|(_, p)| followed.has(oob, *p))
        .map(|(u, _)| u)
        .collect();
    let mut start: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let mut now: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let events = &world.resource::<EventLog>().events;
    let mut k = 0;
    let mut series = Vec::new();
    for turn in 1..=cal.turn.min(cal.turns()) {
        while k < events.len() && events[k].turn <= turn {
            if let GameEvent::UnitMoved { unit, from, to, .. } = &events[k].event
                && army.contains(unit)
            {
                start.entry(*unit).or_insert(*from);
                now.insert(*unit, *to);
            }
            k += 1;
        }
        let furthest = now
            .iter()
            .map(|(u, h)| map.center(start[u]).distance_km(map.center(*h)))
            .fold(0.0, f64::max);
        series.push(furthest);
    }
    series
}

/// The compact row of a finished game.
pub fn run_row(
    game: &mut Game,
    seed: u64,
    places: &[String],
    turn_ends: &[String],
    advance: AdvanceTracker,
) -> RunRow {
    let report = super::campaign_report(game);
    let followed = {
        let w = game.world();
        w.resource::<Followed>()
            .name(w.resource::<OrderOfBattle>())
            .map(str::to_string)
    };
    let captured = places
        .iter()
        .map(|name| {
            report
                .places
                .iter()
                .find(|p| p.name == *name)
                .and_then(|p| p.captured.as_deref())
                .and_then(parse_local)
        })
        .collect();
    // One timeline row a turn per army-level formation, in turn order; none at all where the
    // scenario has no such formation.
    let tank_army_refills = report
        .timeline
        .iter()
        .filter(|r| Some(&r.formation) == followed.as_ref())
        .map(|r| r.refills)
        .take(turn_ends.len())
        .collect();
    let l = &report.losses;
    RunRow {
        seed,
        captured,
        soviet_killed: l.soviet.killed,
        soviet_wounded: l.soviet.wounded,
        soviet_tanks: l.soviet.tanks,
        japanese_killed: l.japanese.killed,
        japanese_wounded: l.japanese.wounded,
        japanese_prisoners: l.japanese.prisoners,
        japanese_army_prisoners: l.japanese.army_prisoners,
        japanese_unreached: l.japanese.surrendered_unreached,
        japanese_deserted: l.japanese.deserted,
        japanese_holding_out: l.japanese.holding_out,
        fuel_consumed_t: report.logistics.fuel_consumed_t,
        fuel_airlifted_t: report.logistics.fuel_airlifted_t,
        airlift_sorties: report.logistics.airlift_sorties,
        tank_army_refills,
        tank_army_km: advance.tank_army_km,
        advance_km: advance.series,
    }
}

impl RunRow {
    /// A numeric column by its `runs.csv` name.
    pub fn number(&self, column: &str) -> Option<f64> {
        Some(match column {
            "soviet_killed" => self.soviet_killed as f64,
            "soviet_wounded" => self.soviet_wounded as f64,
            "soviet_tanks" => self.soviet_tanks as f64,
            "japanese_killed" => self.japanese_killed as f64,
            "japanese_wounded" => self.japanese_wounded as f64,
            "japanese_prisoners" => self.japanese_prisoners as f64,
            "japanese_army_prisoners" => self.japanese_army_prisoners as f64,
            "japanese_unreached" => self.japanese_unreached as f64,
            "japanese_deserted" => self.japanese_deserted as f64,
            "japanese_holding_out" => self.japanese_holding_out as f64,
            "fuel_consumed_t" => self.fuel_consumed_t,
            "fuel_airlifted_t" => self.fuel_airlifted_t,
            "airlift_sorties" => self.airlift_sorties as f64,
            _ => return None,
        })
    }
}

/// The header of `runs.csv`: seed, a capture column per place followed, the numbers, then the
/// per-turn series (space-separated values, one per turn).
pub fn csv_header(m: &Manifest) -> Vec<String> {
    let mut h = vec!["seed".to_string()];
    h.extend(m.places.iter().map(|p| format!("captured:{p}")));
    h.extend(NUMBERS.iter().map(|s| s.to_string()));
    h.push("tank_army_refills".into());
    h.push("tank_army_km".into());
    h.extend(m.fronts.iter().map(|f| format!("advance_km:{f}")));
    h
}

fn series_text(v: &[f64]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `runs.csv` row by row, as runs finish.
pub struct RunsWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> RunsWriter<W> {
    pub fn new(out: W, m: &Manifest) -> csv::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(csv_header(m))?;
        Ok(Self { csv })
    }

    /// Goes on writing rows after those already in `out` (a resumed batch): no header.
    pub fn append(out: W) -> Self {
        Self {
            csv: csv::Writer::from_writer(out),
        }
    }

    pub fn write(&mut self, r: &RunRow) -> csv::Result<()> {
        let mut rec = vec![r.seed.to_string()];
        rec.extend(
            r.captured
                .iter()
                .map(|c| c.map(iso_local).unwrap_or_default()),
        );
        rec.extend(NUMBERS.iter().map(|c| {
            let x = r.number(c).expect("every listed column has a number");
            x.to_string()
        }));
        rec.push(series_text(&r.tank_army_refills));
        rec.push(series_text(&r.tank_army_km));
        rec.extend(r.advance_km.iter().map(|s| series_text(s)));
        self.csv.write_record(rec)?;
        // Flushed row by row: a batch stopped half-way keeps every row it finished.
        self.csv.flush()?;
        Ok(())
    }
}

/// How far a `runs.csv` agrees with its manifest, read from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsScan {
    /// The rows read: the runs of the manifest's first `runs` seeds, in order.
    pub runs: u64,
    /// The byte just after the last of them: where a resumed batch goes on writing.
    pub end: u64,
    /// Why reading stopped before the end of the file, if it did.
    pub stop: Option<String>,
}

/// Reads `runs.csv` line by line (no field of it holds a line break), checking the header
/// against the manifest and each row's seed against the next seed the manifest lists, and
/// hands each good row to `each`. Stops at the first line that is not the next run (cut
/// short, unreadable, another seed) and says why. An error: the header is not this
/// manifest's.
pub fn scan_runs(
    mut input: impl BufRead,
    m: &Manifest,
    mut each: impl FnMut(RunRow),
) -> Result<RunsScan, String> {
    let header = csv_header(m);
    let mut line = Vec::new();
    let mut end = input
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())? as u64;
    if !line.ends_with(b"\n") || record(&line)? != header {
        return Err("its columns do not match batch.json".into());
    }
    let mut expected = m.seeds.iter();
    let mut runs = 0;
    let mut number = 1;
    let stop = loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())? as u64;
        number += 1;
        if n == 0 {
            break None;
        }
        if !line.ends_with(b"\n") {
            break Some(format!(
                "line {number} is cut short (the batch was stopped while writing it)"
            ));
        }
        let row = match record(&line).and_then(|rec| parse_row(&rec, &header, m, number)) {
            Ok(r) => r,
            Err(e) => break Some(e),
        };
        match expected.next() {
            Some(s) if s == row.seed => {}
            Some(s) => {
                break Some(format!(
                    "line {number} is the run of seed {}, but batch.json lists seed {s} next",
                    row.seed
                ));
            }
            None => {
                break Some(format!(
                    "line {number} is the run of seed {}, beyond the {} seeds batch.json lists",
                    row.seed,
                    m.seeds.len()
                ));
            }
        }
        each(row);
        runs += 1;
        end += n;
    };
    Ok(RunsScan { runs, end, stop })
}

/// One line of `runs.csv` as fields.
fn record(line: &[u8]) -> Result<Vec<String>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    match rdr.records().next() {
        Some(Ok(r)) => Ok(r.iter().map(String::from).collect()),
        Some(Err(e)) => Err(e.to_string()),
        None => Ok(Vec::new()),
    }
}

/// A row of `runs.csv` (line `line` of the file).
fn parse_row(
    rec: &[String],
    header: &[String],
    m: &Manifest,
    line: usize,
) -> Result<RunRow, String> {
    if rec.len() != header.len() {
        return Err(format!(
            "line {line} has {} columns; the header has {}",
            rec.len(),
            header.len()
        ));
    }
    let np = m.places.len();
    let bad = |what: &str, v: &str| format!("line {line}: {what} \"{v}\" is not readable");
    let int =
        |k: usize| -> Result<u64, String> { rec[k].parse().map_err(|_| bad(&header[k], &rec[k])) };
    let float =
        |k: usize| -> Result<f64, String> { rec[k].parse().map_err(|_| bad(&header[k], &rec[k])) };
    let series = |k: usize| -> Result<Vec<f64>, String> {
        rec[k]
            .split_whitespace()
            .map(|x| x.parse().map_err(|_| bad(&header[k], x)))
            .collect()
    };
    let captured = (1..=np)
        .map(|k| match rec[k].as_str() {
            "" => Ok(None),
            t => parse_local(t).map(Some).ok_or_else(|| bad(&header[k], t)),
        })
        .collect::<Result<_, _>>()?;
    let n = 1 + np;
    Ok(RunRow {
        seed: int(0)?,
        captured,
        soviet_killed: int(n)?,
        soviet_wounded: int(n + 1)?,
        soviet_tanks: int(n + 2)?,
        japanese_killed: int(n + 3)?,
        japanese_wounded: int(n + 4)?,
        japanese_prisoners: int(n + 5)?,
        japanese_army_prisoners: int(n + 6)?,
        japanese_unreached: int(n + 7)?,
        japanese_deserted: int(n + 8)?,
        japanese_holding_out: int(n + 9)?,
        fuel_consumed_t: float(n + 10)?,
        fuel_airlifted_t: float(n + 11)?,
        airlift_sorties: int(n + 12)?,
        tank_army_refills: series(n + 13)?,
        tank_army_km: series(n + 14)?,
        advance_km: (0..m.fronts.len())
            .map(|f| series(n + 15 + f))
            .collect::<Result<_, _>>()?,
    })
}

/// Reads `runs.csv` back, checking its columns against the manifest and that it holds the
/// run of every seed the manifest lists, in order, and nothing else.
pub fn read_runs(input: impl Read, m: &Manifest) -> Result<Vec<RunRow>, String> {
    let mut rows = Vec::new();
    let scan = scan_runs(std::io::BufReader::new(input), m, |r| rows.push(r))?;
    if let Some(why) = scan.stop {
        return Err(why);
    }
    if let Some(next) = m.seeds.nth(scan.runs) {
        return Err(format!(
            "it holds {} of the {} runs batch.json lists: the runs from seed {next} on are missing (was the batch stopped half-way? the same batch command run again finishes it)",
            scan.runs,
            m.seeds.len()
        ));
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// Quantiles and the summary
// ---------------------------------------------------------------------------------------

/// The nearest-rank quantile: the smallest value with at least a share `p` of the values at
/// or below it (`sorted[ceil(p·n) − 1]`). It is always one of the observed values, so a
/// median capture time is a time some run really had, and it needs no interpolation rule.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// Median, p10 and p90, each with its exact 95 % interval (the pair of order statistics that
/// covers the true quantile at least 95 times in 100, whatever the distribution); an interval
/// is null where the batch is too small to give one (under six runs for the median, under
/// 29 for p10 and p90).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread<T> {
    pub median: T,
    pub p10: T,
    pub p90: T,
    #[serde(default)]
    pub median_95: Option<[T; 2]>,
    #[serde(default)]
    pub p10_95: Option<[T; 2]>,
    #[serde(default)]
    pub p90_95: Option<[T; 2]>,
}

/// The exact 95 % interval of the `q` quantile of `sorted`, as its two order statistics.
pub fn quantile_95<T: Copy>(sorted: &[T], q: f64) -> Option<[T; 2]> {
    let (l, u) = super::stats::quantile_interval_ranks(sorted.len(), q)?;
    Some([sorted[l - 1], sorted[u - 1]])
}

/// Median, p10 and p90 of numbers (any order), with their intervals.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread<f64>> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    Some(Spread {
        median: nearest_rank(&v, 0.5)?,
        p10: nearest_rank(&v, 0.1)?,
        p90: nearest_rank(&v, 0.9)?,
        median_95: quantile_95(&v, 0.5),
        p10_95: quantile_95(&v, 0.1),
        p90_95: quantile_95(&v, 0.9),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceSummary {
    /// Share of runs in which the place came under Soviet control.
    pub captured_fraction: f64,
    /// Its Wilson 95 % interval.
    #[serde(default)]
    pub captured_fraction_95: Option<[f64; 2]>,
    /// Quantiles of the capture time over the runs that captured it; null when none did.
    pub median: Option<String>,
    pub p10: Option<String>,
    pub p90: Option<String>,
    /// Exact 95 % intervals of those quantiles (null where too few runs took the place).
    #[serde(default)]
    pub median_95: Option<[String; 2]>,
    #[serde(default)]
    pub p10_95: Option<[String; 2]>,
    #[serde(default)]
    pub p90_95: Option<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenario: String,
    pub runs: usize,
    pub what_ifs: Vec<String>,
    pub places: BTreeMap<String, PlaceSummary>,
    pub losses: LossSummary,
    pub logistics: LogisticsSummary,
    pub calibration: Vec<CalibrationResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LossSummary {
    pub soviet: BTreeMap<String, Spread<f64>>,
    pub japanese: BTreeMap<String, Spread<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticsSummary {
    pub fuel_airlifted_t: Spread<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationResult {
    pub event: String,
    pub historical: String,
    /// A local time for dated events, a number for quantities, null when the runs give none.
    pub simulated_median: serde_json::Value,
    pub within_tolerance: bool,
}

/// Capture times of one key place (manifest index) over the runs that captured it, sorted.
pub fn capture_times(rows: &[RunRow], place: usize) -> Vec<NaiveDateTime> {
    let mut t: Vec<NaiveDateTime> = rows.iter().filter_map(|r| r.captured[place]).collect();
    t.sort();
    t
}

fn place_summary(rows: &[RunRow], place: usize) -> PlaceSummary {
    let t = capture_times(rows, place);
    let q = |p| nearest_rank(&t, p).map(iso_local);
    let q95 = |p| quantile_95(&t, p).map(|[a, b]| [iso_local(a), iso_local(b)]);
    PlaceSummary {
        captured_fraction: if rows.is_empty() {
            0.0
        } else {
            t.len() as f64 / rows.len() as f64
        },
        captured_fraction_95: super::stats::wilson(t.len() as u64, rows.len() as u64)
            .map(|i| [i.low, i.high]),
        median: q(0.5),
        p10: q(0.1),
        p90: q(0.9),
        median_95: q95(0.5),
        p10_95: q95(0.1),
        p90_95: q95(0.9),
    }
}

/// The summary of a batch's rows (numbers over all runs, times over the runs that captured).
pub fn summarise(m: &Manifest, rows: &[RunRow]) -> Summary {
    let col = |c: &str| {
        spread(rows.iter().map(|r| r.number(c).expect("a known column"))).unwrap_or(Spread {
            median: 0.0,
            p10: 0.0,
            p90: 0.0,
            median_95: None,
            p10_95: None,
            p90_95: None,
        })
    };
    let group = |cols: &[(&str, &str)]| {
        cols.iter()
            .map(|(name, c)| (name.to_string(), col(c)))
            .collect()
    };
    let places: BTreeMap<String, PlaceSummary> = m
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), place_summary(rows, i)))
        .collect();
    let calibration = m
        .calibration
        .iter()
        .map(|f| check_fact(f, m, rows, &places))
        .collect();
    Summary {
        scenario: m.scenario.clone(),
        runs: rows.len(),
        what_ifs: m.what_ifs.clone(),
        places,
        losses: LossSummary {
            soviet: group(&[
                ("killed", "soviet_killed"),
                ("wounded", "soviet_wounded"),
                ("tanks", "soviet_tanks"),
            ]),
            japanese: group(&[
                ("killed", "japanese_killed"),
                ("wounded", "japanese_wounded"),
                ("prisoners", "japanese_prisoners"),
                ("army_prisoners", "japanese_army_prisoners"),
                ("surrendered_unreached", "japanese_unreached"),
                ("deserted", "japanese_deserted"),
                ("holding_out", "japanese_holding_out"),
            ]),
        },
        logistics: LogisticsSummary {
            fuel_airlifted_t: col("fuel_airlifted_t"),
        },
        calibration,
    }
}

/// The median over the runs of a per-turn series at the turn that ended by `at`, and whether
/// it lies in [min, max].
fn series_check(
    m: &Manifest,
    rows: &[RunRow],
    at: &str,
    min: f64,
    max: f64,
    series: impl Fn(&RunRow) -> &[f64],
) -> (serde_json::Value, bool) {
    let Some(turn) = turn_ended_by(&m.turn_ends, at) else {
        return (serde_json::Value::Null, false);
    };
    match spread(rows.iter().filter_map(|r| series(r).get(turn).copied())) {
        Some(s) => (s.median.into(), s.median >= min && s.median <= max),
        None => (serde_json::Value::Null, false),
    }
}

fn check_fact(
    f: &CalibrationFact,
    m: &Manifest,
    rows: &[RunRow],
    places: &BTreeMap<String, PlaceSummary>,
) -> CalibrationResult {
    let (simulated_median, within_tolerance) = match &f.check {
        Check::Captured {
            place,
            not_before,
            not_after,
        } => match places.get(place) {
            Some(p) => {
                let median = p.median.as_deref().and_then(parse_local);
                let after = not_before.as_deref().and_then(parse_local);
                let before = parse_local(not_after);
                let ok = p.captured_fraction >= 0.5
                    && median.is_some_and(|t| {
                        after.is_none_or(|a| t >= a) && before.is_some_and(|b| t <= b)
                    });
                (p.median.clone().into(), ok)
            }
            None => (serde_json::Value::Null, false),
        },
        Check::Quantity { column, min, max } => {
            match spread(rows.iter().filter_map(|r| r.number(column))) {
                Some(s) => (
                    s.median.into(),
                    s.median >= *min && max.is_none_or(|x| s.median <= x),
                ),
                None => (serde_json::Value::Null, false),
            }
        }
        Check::TankArmyAdvance { at, min_km, max_km } => {
            series_check(m, rows, at, *min_km, *max_km, |r| &r.tank_army_km)
        }
        Check::TankArmyFuel { at, min, max } => {
            series_check(m, rows, at, *min, *max, |r| &r.tank_army_refills)
        }
        Check::Advance {
            front,
            at,
            min_km,
            max_km,
        } => {
            let front = m.fronts.iter().position(|f| f == front);
            let turn = turn_ended_by(&m.turn_ends, at);
            match (front, turn) {
                (Some(fr), Some(turn)) => {
                    match spread(
                        rows.iter()
                            .filter_map(|r| r.advance_km[fr].get(turn).copied()),
                    ) {
                        Some(s) => (s.median.into(), s.median >= *min_km && s.median <= *max_km),
                        None => (serde_json::Value::Null, false),
                    }
                }
                _ => (serde_json::Value::Null, false),
            }
        }
    };
    CalibrationResult {
        event: f.event.clone(),
        historical: f.historical.clone(),
        simulated_median,
        within_tolerance,
    }
}
