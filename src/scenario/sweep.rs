//! The sweep format (`SweepFile`): which figures of a scenario and its rules, logistics and
//! plan files vary over which ranges, how many design points and seeds, which outcomes are
//! measured and which questions scenario discovery answers. Loading checks every input
//! against the files it changes, both ends of its range through the loader's own checks, so
//! that a design no run could take is refused at the sweep file's line before any run.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::diag::{Diagnostic, Severity, SourceText, closest, figure, parse_ron};
use super::fieldpath::{Change, FieldPath, FigureKind, apply};
use super::load::{Overlay, Scenario, load_scenario, load_scenario_overlaid, read_source};
use super::measures::{MAX_RUNS, NUMBERS, TANK_ARMY, axes, turn_ended_by};
use super::schema::{LogisticsFile, PlanFile, RulesFile, ScenarioFile};
use crate::model::time::{display_local, parse_local};

/// Most inputs one sweep varies: PRCC needs more runs than inputs, and a tornado plot of
/// more than this is unreadable.
pub const MAX_INPUTS: usize = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// The scenario, relative to the sweep file.
    pub scenario: String,
    /// What-ifs applied to every run before the inputs.
    #[serde(default)]
    pub what_ifs: Vec<String>,
    /// Design points of the Latin hypercube.
    pub points: u64,
    /// Seeds run at each point: seed_start, seed_start + 1, ...
    pub seeds: u64,
    #[serde(default = "first_seed")]
    pub seed_start: u64,
    /// Seed of the design: the same seed gives the same points.
    pub design_seed: u64,
    pub inputs: Vec<InputDef>,
    pub outcomes: Vec<Outcome>,
    /// Scenario discovery: for each, which ranges of the inputs make it likely.
    #[serde(default)]
    pub questions: Vec<Question>,
}

fn first_seed() -> u64 {
    1
}

fn set() -> Change {
    Change::Set
}

/// One continuous input (written `Input(...)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Input")]
pub struct InputDef {
    /// A short name, for the table, the plots and the summary.
    pub name: String,
    /// Which of the scenario's files holds the figures.
    pub file: DataFile,
    /// Paths of the figures it sets (see the README's "Sensitivity analysis"); several
    /// paths move together.
    pub fields: Vec<String>,
    #[serde(default = "set")]
    pub change: Change,
    pub low: f64,
    pub high: f64,
}

/// The files of a scenario an input may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DataFile {
    Scenario,
    Rules,
    Logistics,
    Plan,
}

impl DataFile {
    pub fn describe(self) -> &'static str {
        match self {
            DataFile::Scenario => "the scenario file",
            DataFile::Rules => "the rules file",
            DataFile::Logistics => "the logistics file",
            DataFile::Plan => "the plan file",
        }
    }
}

/// What a run is measured by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// When the Soviets first took a key place (never: after every date).
    Captured(String),
    /// How far the tank army had come by a local time, km.
    TankArmyKm(String),
    /// The tank army's fuel on hand by a local time, in refills.
    TankArmyRefills(String),
    /// How deep a front stood by a local time, km.
    FrontKm { front: String, at: String },
    /// A total of the run, by its `runs.csv` column in a batch: `soviet_killed`,
    /// `fuel_airlifted_t`, ...
    Total(String),
}

/// A question for scenario discovery: which inputs make this likely?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub outcome: Outcome,
    pub when: Condition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// A capture later than this local time, or none.
    After(String),
    /// A capture by this local time.
    Before(String),
    Above(f64),
    Below(f64),
}

/// An outcome resolved against the scenario: where in a run's row it is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// The place's column.
    Captured(usize),
    /// The turn's position.
    TankArmyKm(usize),
    TankArmyRefills(usize),
    FrontKm(usize, usize),
    Total(&'static str),
}

impl Outcome {
    /// The column of `runs.csv`.
    pub fn label(&self) -> String {
        match self {
            Outcome::Captured(p) => format!("captured:{p}"),
            Outcome::TankArmyKm(at) => format!("tank_army_km:{at}"),
            Outcome::TankArmyRefills(at) => format!("tank_army_refills:{at}"),
            Outcome::FrontKm { front, at } => format!("advance_km:{front}:{at}"),
            Outcome::Total(n) => n.clone(),
        }
    }

    /// In words, for plots and the summary.
    pub fn words(&self) -> String {
        let when = |at: &str| parse_local(at).map_or(at.to_string(), display_local);
        match self {
            Outcome::Captured(p) => format!("{p}'s capture"),
            Outcome::TankArmyKm(at) => format!("the tank army's advance by {} (km)", when(at)),
            Outcome::TankArmyRefills(at) => {
                format!("the tank army's fuel on hand at {} (refills)", when(at))
            }
            Outcome::FrontKm { front, at } => format!("{front}'s depth by {} (km)", when(at)),
            Outcome::Total(n) => n.replace('_', " ").replace(" t", " (t)"),
        }
    }

    fn is_time(&self) -> bool {
        matches!(self, Outcome::Captured(_))
    }
}

impl Question {
    /// The question in words: "Mukden taken after 25 Aug, 00:00 or never".
    pub fn words(&self) -> String {
        let when = |at: &str| parse_local(at).map_or(at.to_string(), display_local);
        let what = match &self.outcome {
            Outcome::Captured(p) => p.clone(),
            o => o.words(),
        };
        match &self.when {
            Condition::After(t) => format!("{what} is taken after {} or never", when(t)),
            Condition::Before(t) => format!("{what} is taken by {}", when(t)),
            Condition::Above(v) => format!("{what} is above {}", figure(*v)),
            Condition::Below(v) => format!("{what} is below {}", figure(*v)),
        }
    }

    /// Whether a measured value (hours from the start for a capture, infinite for never)
    /// answers yes.
    pub fn holds(&self, value: f64, start: NaiveDateTime) -> bool {
        let hours =
            |t: &str| parse_local(t).map_or(f64::NAN, |t| (t - start).num_minutes() as f64 / 60.0);
        match &self.when {
            Condition::After(t) => value > hours(t),
            Condition::Before(t) => value <= hours(t),
            Condition::Above(v) => value > *v,
            Condition::Below(v) => value < *v,
        }
    }
}

impl Measure {
    /// The turns a run must play for this measure; None: the whole campaign.
    pub fn turns_needed(&self) -> Option<u32> {
        match self {
            Measure::TankArmyKm(t) | Measure::TankArmyRefills(t) | Measure::FrontKm(_, t) => {
                Some(*t as u32 + 1)
            }
            _ => None,
        }
    }
}

/// An input, its paths found in the file it changes.
#[derive(Debug, Clone)]
pub struct Input {
    pub def: InputDef,
    pub kind: FigureKind,
    pointers: Vec<String>,
}

impl Input {
    /// A value of the input as the summary writes it.
    pub fn show(&self, v: f64) -> String {
        show_value(&self.def, self.kind, v)
    }

    /// The value a design coordinate u in [0, 1) stands for: a count set directly is
    /// rounded, so that runs.csv shows what the run was given.
    pub fn value_at(&self, u: f64) -> f64 {
        let v = self.def.low + u * (self.def.high - self.def.low);
        if self.kind == FigureKind::Whole && self.def.change == Change::Set {
            v.round()
        } else {
            v
        }
    }
}

/// A value of an input as the summary and the plots write it: `118`, `0.62`, `×0.8`, `+12 h`.
pub fn show_value(def: &InputDef, kind: FigureKind, v: f64) -> String {
    let v = if kind == FigureKind::Whole && def.change == Change::Set {
        v.round()
    } else {
        v
    };
    let s = if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    match (def.change, kind) {
        (Change::Shift, FigureKind::Date) => {
            format!("{}{s} h", if v > 0.0 { "+" } else { "" })
        }
        (Change::Scale, _) => format!("×{s}"),
        _ => s,
    }
}

/// One of the scenario's files as the inputs see it.
#[derive(Debug, Clone)]
struct Base {
    kind: DataFile,
    path: PathBuf,
    value: Value,
}

/// A sweep, checked and ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub path: PathBuf,
    pub file: SweepFile,
    pub scenario_path: PathBuf,
    /// The scenario's name.
    pub scenario_name: String,
    pub inputs: Vec<Input>,
    pub outcomes: Vec<Measure>,
    /// The measure of each question's outcome, and its position among `outcomes`.
    pub questions: Vec<usize>,
    /// The key places, fronts and turn ends of the base scenario.
    pub places: Vec<String>,
    pub fronts: Vec<String>,
    pub turn_ends: Vec<String>,
    pub start: NaiveDateTime,
    bases: Vec<Base>,
}

fn text_of<T: Serialize + DeserializeOwned>(v: &Value) -> Result<String, String> {
    let t: T = serde_json::from_value(v.clone()).map_err(|e| {
        let e = e.to_string();
        // serde's "invalid value: integer `-3`, expected u32" in plain words.
        if e.contains("expected u") {
            format!("the value does not fit the field, which holds a count of 0 or more ({e})")
        } else {
            e
        }
    })?;
    ron::ser::to_string(&t).map_err(|e| e.to_string())
}

fn typed_value<T: Serialize + DeserializeOwned>(src: &SourceText) -> Result<Value, Diagnostic> {
    let t: T = parse_ron(src)?;
    serde_json::to_value(&t).map_err(|e| src.at_offset(Severity::Error, None, e.to_string()))
}

impl Sweep {
    /// The files of one design point, in memory: each changed file with every input's
    /// value set in it.
    pub fn overlay(&self, values: &[f64]) -> Result<Overlay, String> {
        let mut bases = self.bases.clone();
        for (input, v) in self.inputs.iter().zip(values) {
            let base = bases
                .iter_mut()
                .find(|b| b.kind == input.def.file)
                .ok_or_else(|| {
                    format!(
                        "the scenario has no {}",
                        input.def.file.describe().trim_start_matches("the ")
                    )
                })?;
            apply(&mut base.value, &input.pointers, input.def.change, *v)
                .map_err(|e| format!("{}: {e}", input.def.name))?;
        }
        let mut overlay = Overlay::default();
        for b in bases {
            // Only the files an input changes are read from memory.
            if !self.inputs.iter().any(|i| i.def.file == b.kind) {
                continue;
            }
            let text = match b.kind {
                DataFile::Scenario => text_of::<ScenarioFile>(&b.value),
                DataFile::Rules => text_of::<RulesFile>(&b.value),
                DataFile::Logistics => text_of::<LogisticsFile>(&b.value),
                DataFile::Plan => text_of::<PlanFile>(&b.value),
            }
            .map_err(|e| format!("{} cannot take the values: {e}", b.kind.describe()))?;
            overlay.0.insert(b.path, text);
        }
        Ok(overlay)
    }

    /// The scenario at one design point, loaded and checked as any scenario is.
    pub fn scenario_at(&self, values: &[f64]) -> Result<Scenario, Vec<Diagnostic>> {
        let overlay = self.overlay(values).map_err(|m| {
            vec![Diagnostic {
                severity: Severity::Error,
                file: self.path.clone(),
                line: 0,
                col: 0,
                message: m,
                hint: None,
                snippet: None,
            }]
        })?;
        load_scenario_overlaid(&self.scenario_path, &overlay)
    }

    /// The scenario at one design point with the sweep's what-ifs applied: what a run of
    /// that point is spawned from.
    pub fn prepared_at(
        &self,
        values: &[f64],
    ) -> Result<(Scenario, super::whatif::Switches), Vec<Diagnostic>> {
        let mut s = self.scenario_at(values)?;
        let mut switches = super::whatif::Switches::default();
        for w in &self.file.what_ifs {
            let wf = super::whatif::find_what_if(&self.scenario_path, w)?;
            super::whatif::apply_checked(&mut s, &wf, &mut switches)?;
        }
        Ok((s, switches))
    }

    /// The inputs' values at their base (every input where the files have it, for the
    /// checks of one input at a time): the base file's figure for Set, 1 for Scale, 0 for
    /// Shift.
    fn neutral(&self, i: usize) -> Option<f64> {
        let input = &self.inputs[i];
        match input.def.change {
            Change::Scale => Some(1.0),
            Change::Shift => Some(0.0),
            Change::Set => {
                let base = self.bases.iter().find(|b| b.kind == input.def.file)?;
                base.value.pointer(input.pointers.first()?)?.as_f64()
            }
        }
    }

    /// The turns every run must play; None: the whole campaign.
    pub fn turns_needed(&self) -> Option<u32> {
        self.outcomes
            .iter()
            .map(Measure::turns_needed)
            .try_fold(0, |a, t| t.map(|t| a.max(t)))
    }
}

/// Loads and checks a sweep file: its format, its scenario, each input's paths and both
/// ends of each range through the loader, the outcomes and the questions. Every problem is
/// reported at its line in the sweep file.
pub fn load_sweep(path: &Path) -> Result<Sweep, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    let file: SweepFile = parse_ron(&src).map_err(|d| vec![d])?;
    let err = |at: &str, msg: String| src.at_path(Severity::Error, at, msg);
    let mut diags = Vec::new();
    if file.points < 2 {
        diags.push(err(
            "points",
            format!("points is {}, expected at least 2", file.points),
        ));
    }
    if file.seeds == 0 {
        diags.push(err("seeds", "seeds is 0, expected at least 1".into()));
    }
    if file.points.saturating_mul(file.seeds) > MAX_RUNS {
        diags.push(err(
            "points",
            format!(
                "{} points × {} seeds is {} runs; a sweep holds at most {MAX_RUNS}",
                file.points,
                file.seeds,
                file.points.saturating_mul(file.seeds)
            ),
        ));
    }
    if file
        .seed_start
        .checked_add(file.seeds.saturating_sub(1))
        .is_none()
    {
        diags.push(err(
            "seed_start",
            "the last seed would be beyond the largest seed".into(),
        ));
    }
    if file.inputs.is_empty() || file.inputs.len() > MAX_INPUTS {
        diags.push(err(
            "inputs",
            format!("{} inputs, expected 1 to {MAX_INPUTS}", file.inputs.len()),
        ));
    }
    if file.outcomes.is_empty() && file.questions.is_empty() {
        diags.push(err(
            "outcomes",
            "no outcomes: name at least one, e.g. Captured(\"Mukden\")".into(),
        ));
    }
    for (i, input) in file.inputs.iter().enumerate() {
        if input.name.trim().is_empty() {
            diags.push(err(
                &format!("inputs[{i}].name"),
                "the name is empty".into(),
            ));
        }
        if file.inputs[..i].iter().any(|o| o.name == input.name) {
            diags.push(err(
                &format!("inputs[{i}].name"),
                format!(
                    "two inputs are named \"{}\": give each its own name",
                    input.name
                ),
            ));
        }
        if !(input.low.is_finite() && input.high.is_finite()) || input.low >= input.high {
            diags.push(err(
                &format!("inputs[{i}].low"),
                format!(
                    "the range of \"{}\" is {} to {}: expected a low end below the high end",
                    input.name,
                    figure(input.low),
                    figure(input.high)
                ),
            ));
        }
        if input.fields.is_empty() {
            diags.push(err(
                &format!("inputs[{i}].fields"),
                "no fields: name at least one path, e.g. \"formations['12th Air Army'].transport_aircraft\"".into(),
            ));
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let scenario_path = dir.join(&file.scenario);
    let scenario = match load_scenario(&scenario_path) {
        Ok(s) => s,
        Err(mut d) => {
            let mut x = err(
                "scenario",
                format!(
                    "the scenario {} does not load (problems below)",
                    scenario_path.display()
                ),
            );
            x.hint = Some("the path is relative to the sweep file".into());
            d.insert(0, x);
            diags.extend(d);
            return Err(diags);
        }
    };
    for (i, w) in file.what_ifs.iter().enumerate() {
        if let Err(d) = super::whatif::find_what_if(&scenario_path, w) {
            let why = d.first().map_or(String::new(), |x| x.message.clone());
            diags.push(err(
                &format!("what_ifs[{i}]"),
                format!("the what-if \"{w}\" cannot be used: {why}"),
            ));
        }
    }
    // The files, as the loader parses them.
    let sdir = scenario_path.parent().unwrap_or(Path::new("."));
    let mut bases = Vec::new();
    let mut kinds: Vec<DataFile> = file.inputs.iter().map(|i| i.file).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let p = match kind {
            DataFile::Scenario => Some(scenario_path.clone()),
            DataFile::Rules => Some(sdir.join(&scenario.file.rules)),
            DataFile::Logistics => Some(sdir.join(&scenario.file.logistics)),
            DataFile::Plan => scenario.file.plan.as_ref().map(|p| sdir.join(p)),
        };
        let Some(p) = p else {
            let at = file.inputs.iter().position(|i| i.file == kind).unwrap_or(0);
            diags.push(err(
                &format!("inputs[{at}].file"),
                format!(
                    "this input changes {}, but the scenario has no plan file",
                    kind.describe()
                ),
            ));
            continue;
        };
        let value = read_source(&p).and_then(|s| match kind {
            DataFile::Scenario => typed_value::<ScenarioFile>(&s),
            DataFile::Rules => typed_value::<RulesFile>(&s),
            DataFile::Logistics => typed_value::<LogisticsFile>(&s),
            DataFile::Plan => typed_value::<PlanFile>(&s),
        });
        match value {
            Ok(value) => bases.push(Base {
                kind,
                path: p,
                value,
            }),
            Err(d) => diags.push(d),
        }
    }
    let mut inputs = Vec::new();
    for (i, def) in file.inputs.iter().enumerate() {
        let Some(base) = bases.iter().find(|b| b.kind == def.file) else {
            continue;
        };
        let mut pointers = Vec::new();
        let mut kind = None;
        for (k, f) in def.fields.iter().enumerate() {
            let at = format!("inputs[{i}].fields[{k}]");
            let found = FieldPath::parse(f).and_then(|p| p.resolve(&base.value));
            match found {
                Ok((ptrs, fk)) => {
                    if kind.is_some_and(|k| (k == FigureKind::Date) != (fk == FigureKind::Date)) {
                        diags.push(err(
                            &at,
                            "the fields of one input must all be dates or all be numbers".into(),
                        ));
                    }
                    if fk == FigureKind::Date && def.change != Change::Shift {
                        let mut d = err(
                            &at,
                            format!(
                                "`{f}` is a date, which cannot be {}",
                                match def.change {
                                    Change::Set => "set to a number",
                                    _ => "scaled",
                                }
                            ),
                        );
                        d.hint = Some(
                            "sweep a date with `change: Shift`, low and high in hours (below 0: earlier)"
                                .into(),
                        );
                        diags.push(d);
                    }
                    kind = Some(match kind {
                        Some(FigureKind::Fraction) => FigureKind::Fraction,
                        _ => fk,
                    });
                    pointers.extend(ptrs);
                }
                Err(e) => {
                    let mut d = err(&at, format!("`{f}` in {}: {e}", def.file.describe()));
                    d.hint = Some(
                        "a path is fields and list selectors: formations['12th Air Army'].transport_aircraft, units[nation = Japanese].readiness, weather[*].from".into(),
                    );
                    diags.push(d);
                }
            }
        }
        if let Some(kind) = kind {
            inputs.push(Input {
                def: def.clone(),
                kind,
                pointers,
            });
        }
    }
    // The key places, fronts and turns a run follows, from the scenario put in a world as a
    // run starts from it.
    let mut world = bevy::prelude::World::new();
    super::spawn::spawn(
        &mut world,
        &scenario,
        super::spawn::GameSetup {
            scenario: scenario_path.display().to_string(),
            scenario_name: scenario.file.name.clone(),
            seed: file.seed_start,
            what_ifs: Vec::new(),
        },
        Default::default(),
    );
    let (places, fronts, turn_ends) = axes(&world);
    let has_tank_army = scenario.formations.iter().any(|f| f.name == TANK_ARMY);
    let mut outcomes: Vec<Outcome> = file.outcomes.clone();
    for q in &file.questions {
        if !outcomes.contains(&q.outcome) {
            outcomes.push(q.outcome.clone());
        }
    }
    let mut measures = Vec::new();
    let turn_at = |at: &str, path: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        if parse_local(at).is_none() {
            diags.push(err(
                path,
                format!("\"{at}\" is not a local time; write it as \"1945-08-15T12:01\""),
            ));
            return None;
        }
        let t = turn_ended_by(&turn_ends, at);
        if t.is_none() {
            diags.push(err(
                path,
                format!(
                    "no turn of the campaign has ended by {at}; the first ends at {}",
                    turn_ends.first().map_or("", String::as_str)
                ),
            ));
        }
        t
    };
    for (i, o) in outcomes.iter().enumerate() {
        // Outcomes added for a question are located at the question.
        let at = if i < file.outcomes.len() {
            format!("outcomes[{i}]")
        } else {
            let q = file
                .questions
                .iter()
                .position(|q| q.outcome == *o)
                .unwrap_or(0);
            format!("questions[{q}].outcome")
        };
        let m = match o {
            Outcome::Captured(p) => match places.iter().position(|x| x == p) {
                Some(k) => Some(Measure::Captured(k)),
                None => {
                    let mut d = err(
                        &at,
                        format!("\"{p}\" is not one of the key places a run follows"),
                    );
                    d.hint = Some(match closest(p, places.iter().map(String::as_str)) {
                        Some(c) => format!("did you mean \"{c}\"?"),
                        None => format!("the key places are: {}", places.join(", ")),
                    });
                    diags.push(d);
                    None
                }
            },
            Outcome::TankArmyKm(when) | Outcome::TankArmyRefills(when) => {
                if !has_tank_army {
                    diags.push(err(&at, format!("the scenario has no {TANK_ARMY}")));
                }
                let t = turn_at(when, &at, &mut diags);
                if matches!(o, Outcome::TankArmyKm(_)) {
                    t.map(Measure::TankArmyKm)
                } else {
                    t.map(Measure::TankArmyRefills)
                }
            }
            Outcome::FrontKm { front, at: when } => {
                let f = fronts.iter().position(|x| x == front);
                if f.is_none() {
                    let mut d = err(&at, format!("the scenario has no front \"{front}\""));
                    d.hint = Some(format!("the fronts are: {}", fronts.join(", ")));
                    diags.push(d);
                }
                let t = turn_at(when, &at, &mut diags);
                f.zip(t).map(|(f, t)| Measure::FrontKm(f, t))
            }
            Outcome::Total(n) => match NUMBERS.iter().find(|x| **x == n.as_str()) {
                Some(x) => Some(Measure::Total(x)),
                None => {
                    let mut d = err(&at, format!("there is no total named \"{n}\""));
                    d.hint = Some(match closest(n, NUMBERS) {
                        Some(c) => format!("did you mean \"{c}\"?"),
                        None => format!("the totals are: {}", NUMBERS.join(", ")),
                    });
                    diags.push(d);
                    None
                }
            },
        };
        if let Some(m) = m {
            measures.push(m);
        }
    }
    for (i, q) in file.questions.iter().enumerate() {
        let at = format!("questions[{i}].when");
        match (&q.when, q.outcome.is_time()) {
            (Condition::After(t) | Condition::Before(t), true) => {
                if parse_local(t).is_none() {
                    diags.push(err(
                        &at,
                        format!("\"{t}\" is not a local time; write it as \"1945-08-25T00:00\""),
                    ));
                }
            }
            (Condition::Above(_) | Condition::Below(_), false) => {}
            (_, true) => diags.push(err(
                &at,
                "a capture is asked about with After(\"date\") or Before(\"date\")".into(),
            )),
            (_, false) => diags.push(err(
                &at,
                "a figure is asked about with Above(number) or Below(number)".into(),
            )),
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let questions = file
        .questions
        .iter()
        .map(|q| outcomes.iter().position(|o| *o == q.outcome).unwrap_or(0))
        .collect();
    let sweep = Sweep {
        path: path.to_path_buf(),
        scenario_path,
        scenario_name: scenario.file.name.clone(),
        start: scenario.start,
        inputs,
        outcomes: measures,
        questions,
        places,
        fronts,
        turn_ends,
        bases,
        file,
    };
    // Both ends of each range, one input at a time (the others at their base), through every
    // check of the loader: a design point out of range is refused here, before any run.
    for i in 0..sweep.inputs.len() {
        let base: Vec<f64> = (0..sweep.inputs.len())
            .map(|k| sweep.neutral(k).unwrap_or(sweep.inputs[k].def.low))
            .collect();
        let def = &sweep.inputs[i].def;
        for (end, v) in [("low", def.low), ("high", def.high)] {
            let mut values = base.clone();
            values[i] = v;
            let problems: Vec<Diagnostic> = match sweep.scenario_at(&values) {
                Ok(_) => continue,
                Err(d) => d.into_iter().filter(Diagnostic::is_error).collect(),
            };
            for p in problems.into_iter().take(3) {
                let mut d = err(
                    &format!("inputs[{i}].{end}"),
                    format!(
                        "with \"{}\" at its {end} end ({}), {} is refused: {}",
                        def.name,
                        figure(v),
                        def.file.describe(),
                        p.message
                    ),
                );
                d.hint = p.hint.or(Some("narrow the range".into()));
                diags.push(d);
            }
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(sweep)
    }
}
