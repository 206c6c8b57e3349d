//! Loading a sweep file: its design checked, its scenario loaded, each input's fields found
//! in the file it changes, its outcomes among what a run measures, its questions, and both
//! ends of each range through the loader's own checks, every problem at its line.

use std::path::Path;

use super::{
    Base, Condition, DataFile, Input, MAX_INPUTS, Measure, Outcome, Sweep, SweepFile, typed_value,
};
use crate::model::time::parse_local;
use crate::scenario::diag::{Diagnostic, Severity, closest, figure, parse_ron};
use crate::scenario::fieldpath::{Change, FieldPath, FigureKind};
use crate::scenario::load::{Scenario, load_scenario, read_source};
use crate::scenario::measures::{MAX_RUNS, NUMBERS, axes, turn_ended_by};
use crate::scenario::schema::{LogisticsFile, PlanFile, RulesFile, ScenarioFile};

/// Loads and checks a sweep file: its format, its scenario, each input's paths and both
/// ends of each range through the loader, the outcomes and the questions. Every problem is
/// reported at its line in the sweep file.
pub fn load_sweep(path: &Path) -> Result<Sweep, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    let file: SweepFile = parse_ron(&src).map_err(|d| vec![d])?;
    let err = |at: &str, msg: String| src.at_path(Severity::Error, at, msg);
    let mut diags = Vec::new();
    check_design(&file, &err, &mut diags);
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
    check_what_ifs(&file, &scenario_path, &err, &mut diags);
    let bases = read_bases(&file, &scenario_path, &scenario, &err, &mut diags);
    let inputs = find_inputs(&file, &bases, &err, &mut diags);
    let (places, fronts, turn_ends) = axes_of(&file, &scenario_path, &scenario);
    let (outcomes, measures) = find_measures(
        &file,
        &scenario,
        (&places, &fronts, &turn_ends),
        &err,
        &mut diags,
    );
    check_questions(&file, &err, &mut diags);
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
    check_range_ends(&sweep, &err, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(sweep)
    }
}

/// The design's own figures: points, seeds, the seed range, the number of inputs, each
/// input's name, range and fields, and at least one outcome.
fn check_design(
    file: &SweepFile,
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) {
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
}

/// Each what-if the sweep applies is one the scenario has.
fn check_what_ifs(
    file: &SweepFile,
    scenario_path: &Path,
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, w) in file.what_ifs.iter().enumerate() {
        if let Err(d) = crate::scenario::whatif::find_what_if(scenario_path, w) {
            let why = d.first().map_or(String::new(), |x| x.message.clone());
            diags.push(err(
                &format!("what_ifs[{i}]"),
                format!("the what-if \"{w}\" cannot be used: {why}"),
            ));
        }
    }
}

/// The files the inputs change, as the loader parses them.
fn read_bases(
    file: &SweepFile,
    scenario_path: &Path,
    scenario: &Scenario,
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Base> {
    // The files, as the loader parses them.
    let sdir = scenario_path.parent().unwrap_or(Path::new("."));
    let mut bases = Vec::new();
    let mut kinds: Vec<DataFile> = file.inputs.iter().map(|i| i.file).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let p = match kind {
            DataFile::Scenario => Some(scenario_path.to_path_buf()),
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
    bases
}

/// Each input's fields found in the file it changes, with the kind of figure they hold.
fn find_inputs(
    file: &SweepFile,
    bases: &[Base],
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Input> {
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
    inputs
}

/// The places, fronts and turn ends a run follows: from the scenario put in a world as
/// a run starts from it (the rules' first state is not needed for them).
fn axes_of(
    file: &SweepFile,
    scenario_path: &Path,
    scenario: &Scenario,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut world = bevy::prelude::World::new();
    crate::scenario::spawn::spawn(
        &mut world,
        scenario,
        crate::scenario::spawn::GameSetup {
            scenario: scenario_path.display().to_string(),
            scenario_name: scenario.file.name.clone(),
            seed: file.seed_start,
            what_ifs: Vec::new(),
        },
        Default::default(),
    );
    axes(&world)
}

/// The outcomes (those the questions ask about added) as measures of a run; an outcome no
/// run measures is a problem.
fn find_measures(
    file: &SweepFile,
    scenario: &Scenario,
    (places, fronts, turn_ends): (&[String], &[String], &[String]),
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Outcome>, Vec<Measure>) {
    let follows = scenario.followed_formation().is_some();
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
        let t = turn_ended_by(turn_ends, at);
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
                        format!("\"{p}\" is not one of the places a run follows"),
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
                if !follows {
                    diags.push(err(
                        &at,
                        "the scenario follows no formation: name one as its followed_formation"
                            .into(),
                    ));
                }
                let t = turn_at(when, &at, diags);
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
                let t = turn_at(when, &at, diags);
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
    (outcomes, measures)
}

/// Each question asks about a capture with a date, about a figure with a number.
fn check_questions(
    file: &SweepFile,
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) {
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
}

/// Both ends of each range, one input at a time (the others at their base), through every
/// check of the loader: a design point out of range is refused here, before any run.
fn check_range_ends(
    sweep: &Sweep,
    err: &dyn Fn(&str, String) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) {
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
}
