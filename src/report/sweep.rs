//! A sweep's files and findings: the manifest (`sweep.json`: the design and what was run),
//! the runs table (`runs.csv`: each run's inputs beside its outcomes), the analysis (each
//! input's PRCC with each outcome, and for each question the PRIM box that makes it likely),
//! the summary in words, and the tornado and discovery plots.

use std::io::{Read, Write};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::batch::Seeds;
use super::sensitivity::{Prcc, PrimBox, PrimSettings, prcc, prim};
use super::stats::wilson;
use super::svg::{DASHES, Marker, Page, text_width};
use crate::model::time::{display_local, iso_local, parse_local};
use crate::scenario::fieldpath::FigureKind;
use crate::scenario::sweep::{InputDef, Measure, Outcome, Question, show_value};

/// The value of a measure in a run: hours from `start` for a capture (infinite when
/// never), else the figure.
pub fn measure(m: &Measure, row: &super::batch::RunRow, start: NaiveDateTime) -> f64 {
    match m {
        Measure::Captured(i) => {
            row.captured[*i].map_or(f64::INFINITY, |t| (t - start).num_minutes() as f64 / 60.0)
        }
        Measure::TankArmyKm(t) => row.tank_army_km.get(*t).copied().unwrap_or(f64::NAN),
        Measure::TankArmyRefills(t) => row.tank_army_refills.get(*t).copied().unwrap_or(f64::NAN),
        Measure::FrontKm(f, t) => row.advance_km[*f].get(*t).copied().unwrap_or(f64::NAN),
        Measure::Total(n) => row.number(n).unwrap_or(f64::NAN),
    }
}

/// An input as the manifest keeps it: what the file said, and the kind of figure it sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    pub def: InputDef,
    pub kind: FigureKind,
}

/// What a sweep ran, so that shards can be told apart and merged, and the analysis redone
/// from the directory alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    /// The sweep file as given on the command line.
    pub sweep_file: String,
    /// The scenario's name.
    pub scenario: String,
    pub what_ifs: Vec<String>,
    /// A digest of the sweep file, the scenario's files and the version.
    pub inputs_digest: String,
    /// Local time of the campaign's start: capture times are counted from it.
    pub start: String,
    pub design_seed: u64,
    pub seed_start: u64,
    pub seeds_per_point: u64,
    pub inputs: Vec<InputInfo>,
    /// Every outcome measured, questions' own included: the outcome columns of runs.csv.
    pub outcomes: Vec<Outcome>,
    pub questions: Vec<Question>,
    /// Each design point's input values, in input order.
    pub design: Vec<Vec<f64>>,
    /// The runs this directory holds, by number: run r is point r / seeds_per_point with
    /// seed seed_start + r % seeds_per_point.
    pub runs: Seeds,
    /// The findings, from the runs this directory holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

impl SweepManifest {
    pub fn total_runs(&self) -> u64 {
        self.design.len() as u64 * self.seeds_per_point
    }

    pub fn point_of(&self, run: u64) -> usize {
        (run / self.seeds_per_point) as usize
    }

    pub fn seed_of(&self, run: u64) -> u64 {
        self.seed_start + run % self.seeds_per_point
    }

    fn start_time(&self) -> NaiveDateTime {
        parse_local(&self.start).unwrap_or_default()
    }

    /// Whether `other` is a shard of the same sweep (the runs aside), or why not.
    pub fn same_sweep(&self, other: &SweepManifest) -> Result<(), String> {
        if self.inputs_digest != other.inputs_digest {
            return Err("they ran different sweep files or scenario files (the digests of their inputs differ)".into());
        }
        let strip = |m: &SweepManifest| SweepManifest {
            sweep_file: String::new(),
            runs: Seeds::default(),
            analysis: None,
            ..m.clone()
        };
        if strip(self) != strip(other) {
            return Err("their designs differ".into());
        }
        Ok(())
    }

    fn show(&self, input: usize, v: f64) -> String {
        let i = &self.inputs[input];
        show_value(&i.def, i.kind, v)
    }
}

/// One run: its number and each outcome's value (a capture in hours from the start,
/// infinite when never).
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    pub run: u64,
    pub outcomes: Vec<f64>,
}

/// The header of a sweep's runs.csv.
pub fn csv_header(m: &SweepManifest) -> Vec<String> {
    let mut h = vec!["run".to_string(), "point".into(), "seed".into()];
    h.extend(m.inputs.iter().map(|i| i.def.name.clone()));
    h.extend(m.outcomes.iter().map(Outcome::label));
    h
}

fn outcome_text(m: &SweepManifest, k: usize, v: f64) -> String {
    if matches!(m.outcomes[k], Outcome::Captured(_)) {
        if v.is_infinite() {
            "never".into()
        } else {
            iso_local(m.start_time() + chrono::Duration::minutes((v * 60.0).round() as i64))
        }
    } else {
        v.to_string()
    }
}

/// Writes rows to a runs.csv (the header first when `header`).
pub fn write_rows(
    out: impl Write,
    m: &SweepManifest,
    rows: &[SweepRow],
    header: bool,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if header {
        w.write_record(csv_header(m))?;
    }
    for r in rows {
        let point = m.point_of(r.run);
        let mut rec = vec![
            r.run.to_string(),
            point.to_string(),
            m.seed_of(r.run).to_string(),
        ];
        rec.extend(m.design[point].iter().map(f64::to_string));
        rec.extend(
            r.outcomes
                .iter()
                .enumerate()
                .map(|(k, v)| outcome_text(m, k, *v)),
        );
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}

/// Reads a runs.csv written for `m`, checking its header and every row's run and inputs.
pub fn read_rows(input: impl Read, m: &SweepManifest) -> Result<Vec<SweepRow>, String> {
    let mut r = csv::Reader::from_reader(input);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    if header != csv_header(m) {
        return Err("its columns are not those of this sweep".into());
    }
    let start = m.start_time();
    let mut rows = Vec::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        let bad = |what: &str| format!("row {}: {what}", line + 1);
        let run: u64 = rec[0].parse().map_err(|_| bad("the run is not a number"))?;
        if run >= m.total_runs() {
            return Err(bad("the run is not one of the design's"));
        }
        let first = 3 + m.inputs.len();
        let mut outcomes = Vec::new();
        for (k, o) in m.outcomes.iter().enumerate() {
            let t = &rec[first + k];
            let v = match o {
                Outcome::Captured(_) if t == "never" => f64::INFINITY,
                Outcome::Captured(_) => parse_local(t)
                    .map(|x| (x - start).num_minutes() as f64 / 60.0)
                    .ok_or_else(|| bad("a capture time is not a date"))?,
                _ => t.parse().map_err(|_| bad("an outcome is not a number"))?,
            };
            outcomes.push(v);
        }
        rows.push(SweepRow { run, outcomes });
    }
    Ok(rows)
}

/// One input's PRCC with one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEffect {
    pub input: String,
    /// None where it is undefined (the outcome does not vary, or too few runs).
    pub prcc: Option<Prcc>,
}

/// Every input's effect on one outcome, strongest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    pub outcome: String,
    pub words: String,
    /// Runs in which the outcome was measured.
    pub runs: usize,
    pub effects: Vec<InputEffect>,
}

/// A restriction of a box in the units of its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxLimit {
    pub input: String,
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
}

/// What scenario discovery found for one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    pub question: String,
    /// Runs in which it holds, of all runs.
    pub holds: usize,
    pub runs: usize,
    /// The PRIM box, where one was found.
    pub limits: Vec<BoxLimit>,
    pub inside: usize,
    pub inside_holds: usize,
    pub outside: usize,
    pub outside_holds: usize,
    /// Wilson 95 % intervals of the shares inside and outside.
    pub inside_share_95: Option<[f64; 2]>,
    pub outside_share_95: Option<[f64; 2]>,
    /// The finding in a sentence.
    pub words: String,
    #[serde(skip)]
    pub prim: Option<PrimBox>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub runs: usize,
    pub sensitivity: Vec<Sensitivity>,
    pub discovery: Vec<Discovery>,
}

/// The input columns of the rows: each run's values.
fn input_columns(m: &SweepManifest, rows: &[SweepRow]) -> Vec<Vec<f64>> {
    (0..m.inputs.len())
        .map(|j| {
            rows.iter()
                .map(|r| m.design[m.point_of(r.run)][j])
                .collect()
        })
        .collect()
}

fn percent(share: f64) -> String {
    format!("{:.0} %", 100.0 * share)
}

/// The box in words: "transports at most 118 and rains begin at least +12 h".
pub fn box_words(m: &SweepManifest, limits: &[BoxLimit]) -> String {
    let part = |l: &BoxLimit| {
        let j = m
            .inputs
            .iter()
            .position(|i| i.def.name == l.input)
            .unwrap_or(0);
        match (l.at_least, l.at_most) {
            (Some(a), Some(b)) => {
                format!("{} between {} and {}", l.input, m.show(j, a), m.show(j, b))
            }
            (Some(a), None) => format!("{} at least {}", l.input, m.show(j, a)),
            (None, Some(b)) => format!("{} at most {}", l.input, m.show(j, b)),
            (None, None) => l.input.clone(),
        }
    };
    let parts: Vec<String> = limits.iter().map(part).collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

/// PRCC of every input with every outcome, and a PRIM box for every question.
pub fn analyse(m: &SweepManifest, rows: &[SweepRow]) -> Analysis {
    let x = input_columns(m, rows);
    let sensitivity = m
        .outcomes
        .iter()
        .enumerate()
        .map(|(k, o)| {
            // A run where the outcome could not be measured is left out of its PRCC.
            let keep: Vec<usize> = (0..rows.len())
                .filter(|&r| !rows[r].outcomes[k].is_nan())
                .collect();
            let y: Vec<f64> = keep.iter().map(|&r| rows[r].outcomes[k]).collect();
            let xs: Vec<Vec<f64>> = x
                .iter()
                .map(|c| keep.iter().map(|&r| c[r]).collect())
                .collect();
            let p = prcc(&xs, &y);
            let mut effects: Vec<InputEffect> = m
                .inputs
                .iter()
                .zip(p)
                .map(|(i, prcc)| InputEffect {
                    input: i.def.name.clone(),
                    prcc,
                })
                .collect();
            effects.sort_by(|a, b| {
                let s = |e: &InputEffect| e.prcc.map_or(-1.0, |p| p.prcc.abs());
                s(b).total_cmp(&s(a))
            });
            Sensitivity {
                outcome: o.label(),
                words: o.words(),
                runs: y.len(),
                effects,
            }
        })
        .collect();
    let start = m.start_time();
    let discovery = m
        .questions
        .iter()
        .map(|q| {
            let k = m.outcomes.iter().position(|o| *o == q.outcome).unwrap_or(0);
            let hits: Vec<bool> = rows.iter().map(|r| q.holds(r.outcomes[k], start)).collect();
            discover(m, q, &x, &hits)
        })
        .collect();
    Analysis {
        runs: rows.len(),
        sensitivity,
        discovery,
    }
}

fn discover(m: &SweepManifest, q: &Question, x: &[Vec<f64>], hits: &[bool]) -> Discovery {
    let holds = hits.iter().filter(|h| **h).count();
    let n = hits.len();
    let what = q.words();
    let b = prim(x, hits, PrimSettings::default());
    let Some(b) = b else {
        let words = if holds == 0 {
            format!("{what}: in none of the {n} runs, so no range of the inputs makes it likely")
        } else if holds == n {
            format!("{what}: in all {n} runs, whatever the inputs")
        } else {
            format!(
                "{what}: in {} of runs ({holds} of {n}), and no range of the inputs makes it much more likely",
                percent(holds as f64 / n as f64)
            )
        };
        return Discovery {
            question: what,
            holds,
            runs: n,
            limits: Vec::new(),
            inside: n,
            inside_holds: holds,
            outside: 0,
            outside_holds: 0,
            inside_share_95: None,
            outside_share_95: None,
            words,
            prim: None,
        };
    };
    let limits: Vec<BoxLimit> = b
        .limits
        .iter()
        .map(|l| BoxLimit {
            input: m.inputs[l.input].def.name.clone(),
            at_least: l.low,
            at_most: l.high,
        })
        .collect();
    let ci = |k: usize, n: usize| wilson(k as u64, n as u64).map(|i| [i.low, i.high]);
    let words = format!(
        "when {}, {what} in {} of runs ({} of {}), against {} otherwise ({} of {})",
        box_words(m, &limits),
        percent(b.density()),
        b.inside_hits,
        b.inside,
        percent(b.outside_density()),
        b.outside_hits,
        b.outside
    );
    Discovery {
        question: what,
        holds,
        runs: n,
        inside: b.inside,
        inside_holds: b.inside_hits,
        outside: b.outside,
        outside_holds: b.outside_hits,
        inside_share_95: ci(b.inside_hits, b.inside),
        outside_share_95: ci(b.outside_hits, b.outside),
        limits,
        words,
        prim: Some(b),
    }
}

/// The findings in plain words, for the terminal.
pub fn to_text(m: &SweepManifest, a: &Analysis) -> String {
    let mut s = String::new();
    for (k, o) in a.sensitivity.iter().enumerate() {
        let capture = matches!(m.outcomes[k], Outcome::Captured(_));
        s.push_str(&format!(
            "{} ({} runs): partial rank correlation of each input, with its 95 % interval\n",
            o.words, o.runs
        ));
        for e in &o.effects {
            match e.prcc {
                Some(p) => s.push_str(&format!(
                    "  {:<28} {:+.2}  [{:+.2}, {:+.2}]  {}\n",
                    e.input,
                    p.prcc,
                    p.low_95,
                    p.high_95,
                    match (p.beyond_noise(), p.prcc > 0.0, capture) {
                        (false, _, _) => "within noise",
                        (true, true, true) => "the more of it, the later",
                        (true, false, true) => "the more of it, the earlier",
                        (true, true, false) => "the more of it, the more",
                        (true, false, false) => "the more of it, the less",
                    }
                )),
                None if o.runs < m.inputs.len() + 3 => s.push_str(&format!(
                    "  {:<28} undefined: {} runs are too few for {} inputs (at least {})\n",
                    e.input,
                    o.runs,
                    m.inputs.len(),
                    m.inputs.len() + 3
                )),
                None => s.push_str(&format!(
                    "  {:<28} undefined: the outcome does not vary once the other inputs are accounted for\n",
                    e.input
                )),
            }
        }
    }
    for d in &a.discovery {
        s.push_str(&format!("Discovery: {}.\n", d.words));
    }
    s
}

const TORNADO_W: f64 = 860.0;

/// The tornado plot of one outcome: a bar per input, strongest at the top, from 0 to its
/// PRCC, with the 95 % interval as a whisker. Solid bars raise the outcome, hatched bars
/// lower it; the values are written beside them.
pub fn tornado_svg(m: &SweepManifest, a: &Analysis, k: usize) -> String {
    let o = &a.sensitivity[k];
    let mut page = Page::new(TORNADO_W);
    page.hatching();
    let later = matches!(m.outcomes[k], Outcome::Captured(_));
    let top = page.heading(
        &format!("What moves {}", o.words),
        &format!(
            "Partial rank correlation of each input over {} runs ({} points × {} seeds), with its 95 % interval",
            o.runs,
            m.design.len(),
            m.seeds_per_point
        ),
    );
    let label_w = o
        .effects
        .iter()
        .map(|e| text_width(&e.input, 12.0))
        .fold(0.0, f64::max);
    let left = 20.0 + label_w + 12.0;
    let right = 130.0;
    let plot_w = TORNADO_W - left - right;
    let x = |v: f64| left + plot_w * (v + 1.0) / 2.0;
    let row_h = 30.0;
    let bottom = top + row_h * o.effects.len() as f64;
    for t in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let dash = if t == 0.0 { "" } else { "3 3" };
        let ink = if t == 0.0 { "#000" } else { "#999" };
        page.line(x(t), top - 4.0, x(t), bottom, ink, 1.0, dash);
        page.text(
            x(t),
            bottom + 15.0,
            &format!("{t:+.1}"),
            "middle",
            11.0,
            "#000",
        );
    }
    for (i, e) in o.effects.iter().enumerate() {
        let yc = top + row_h * (i as f64 + 0.5);
        page.text(left - 10.0, yc + 4.0, &e.input, "end", 12.0, "#000");
        match e.prcc {
            Some(p) => {
                let (x0, x1) = (x(0.0), x(p.prcc));
                let fill = if p.prcc >= 0.0 { "#555" } else { "url(#hatch)" };
                page.rect(
                    x0.min(x1),
                    yc - 9.0,
                    (x1 - x0).abs(),
                    18.0,
                    fill,
                    "#000",
                    "",
                );
                page.line(x(p.low_95), yc, x(p.high_95), yc, "#000", 1.5, "");
                for w in [p.low_95, p.high_95] {
                    page.line(x(w), yc - 6.0, x(w), yc + 6.0, "#000", 1.5, "");
                }
                page.text(
                    x(1.0) + 8.0,
                    yc + 4.0,
                    &format!(
                        "{:+.2}{}",
                        p.prcc,
                        if p.beyond_noise() { "" } else { " (noise)" }
                    ),
                    "start",
                    11.0,
                    "#000",
                );
            }
            None => page.text(x(0.0) + 6.0, yc + 4.0, "undefined", "start", 11.0, "#000"),
        }
    }
    let mut notes = vec![
        "Solid bar: more of the input, more of the outcome; hatched bar: less. Whiskers: 95 % interval (Fisher z); \"(noise)\": the interval holds 0.".to_string(),
    ];
    if later {
        notes.push(
            "For a capture, more means later; a run that never took the place counts as latest."
                .into(),
        );
    }
    let end = page.footer(bottom + 24.0, &notes);
    page.finish(end)
}

const DISCOVERY_W: f64 = 860.0;

/// The discovery plot of one question: each design point placed by the two inputs of the
/// box (or the box's input and the input that moves the outcome most), marked by how many of
/// its seeds the question holds in, the box drawn dashed.
pub fn discovery_svg(m: &SweepManifest, rows: &[SweepRow], a: &Analysis, qi: usize) -> String {
    let d = &a.discovery[qi];
    let q = &m.questions[qi];
    let k = m.outcomes.iter().position(|o| *o == q.outcome).unwrap_or(0);
    let index = |name: &str| m.inputs.iter().position(|i| i.def.name == name);
    // The box's inputs, the one that moves the outcome most first; then, for a box on one
    // input, the input that moves the outcome most of the others.
    let strength = |j: usize| {
        a.sensitivity[k]
            .effects
            .iter()
            .find(|e| e.input == m.inputs[j].def.name)
            .and_then(|e| e.prcc)
            .map_or(0.0, |p| p.prcc.abs())
    };
    let mut axes: Vec<usize> = d.limits.iter().filter_map(|l| index(&l.input)).collect();
    axes.sort_by(|x, y| strength(*y).total_cmp(&strength(*x)));
    let hidden: Vec<&BoxLimit> = d
        .limits
        .iter()
        .filter(|l| index(&l.input).is_some_and(|j| !axes[..axes.len().min(2)].contains(&j)))
        .collect();
    axes.truncate(2);
    for e in &a.sensitivity[k].effects {
        if axes.len() >= 2 {
            break;
        }
        if let Some(j) = index(&e.input)
            && !axes.contains(&j)
        {
            axes.push(j);
        }
    }
    while axes.len() < 2 {
        axes.push((axes.first().copied().unwrap_or(0) + 1) % m.inputs.len().max(1));
    }
    let (xi, yi) = (axes[0], axes[1]);
    let mut page = Page::new(DISCOVERY_W);
    let subtitle = if d.limits.is_empty() {
        d.words.clone()
    } else {
        format!("{}.", capitalise(&d.words))
    };
    let top = page.heading(
        &format!("When is it likely that {}?", d.question),
        &subtitle,
    );
    let (left, right) = (90.0, 230.0);
    let plot_w = DISCOVERY_W - left - right;
    let plot_h = 380.0;
    let bottom = top + plot_h;
    let span = |j: usize| (m.inputs[j].def.low, m.inputs[j].def.high);
    let (xl, xh) = span(xi);
    let (yl, yh) = span(yi);
    let px = |v: f64| left + plot_w * (v - xl) / (xh - xl);
    let py = |v: f64| bottom - plot_h * (v - yl) / (yh - yl);
    page.rect(left, top, plot_w, plot_h, "white", "#000", "");
    for t in 0..=4 {
        let f = t as f64 / 4.0;
        let (vx, vy) = (xl + f * (xh - xl), yl + f * (yh - yl));
        page.line(px(vx), bottom, px(vx), bottom + 5.0, "#000", 1.0, "");
        page.text(
            px(vx),
            bottom + 18.0,
            &m.show(xi, vx),
            "middle",
            11.0,
            "#000",
        );
        page.line(left - 5.0, py(vy), left, py(vy), "#000", 1.0, "");
        page.text(
            left - 8.0,
            py(vy) + 4.0,
            &m.show(yi, vy),
            "end",
            11.0,
            "#000",
        );
    }
    page.text(
        left + plot_w / 2.0,
        bottom + 36.0,
        &m.inputs[xi].def.name,
        "middle",
        12.0,
        "#000",
    );
    page.text(
        20.0,
        top - 6.0,
        &m.inputs[yi].def.name,
        "start",
        12.0,
        "#000",
    );
    // The box: the restricted inputs' bounds, the others open.
    if !d.limits.is_empty() {
        let bound = |j: usize, lo: bool| {
            d.limits
                .iter()
                .find(|l| index(&l.input) == Some(j))
                .and_then(|l| if lo { l.at_least } else { l.at_most })
                .unwrap_or(if lo { span(j).0 } else { span(j).1 })
        };
        let (x0, x1) = (px(bound(xi, true)), px(bound(xi, false)));
        let (y0, y1) = (py(bound(yi, false)), py(bound(yi, true)));
        page.rect(x0, y0, x1 - x0, y1 - y0, "#eee", "#000", DASHES[1]);
    }
    // Each design point: how many of its seeds the question holds in.
    let start = m.start_time();
    let mut per_point = vec![(0usize, 0usize); m.design.len()];
    for r in rows {
        let p = m.point_of(r.run);
        per_point[p].0 += 1;
        per_point[p].1 += usize::from(q.holds(r.outcomes[k], start));
    }
    for (p, (n, h)) in per_point.iter().enumerate() {
        if *n == 0 {
            continue;
        }
        let marker = if 2 * h > *n {
            Marker::FilledCircle
        } else if *h > 0 {
            Marker::OpenCircle
        } else {
            Marker::Cross
        };
        page.marker(
            marker,
            px(m.design[p][xi]),
            py(m.design[p][yi]),
            4.0,
            "#000",
        );
    }
    let lx = left + plot_w + 20.0;
    let legend = [
        (Marker::FilledCircle, "holds in most of its seeds"),
        (Marker::OpenCircle, "holds in some"),
        (Marker::Cross, "holds in none"),
    ];
    page.text(
        lx,
        top + 12.0,
        "Each mark: a design point",
        "start",
        11.0,
        "#000",
    );
    for (i, (mk, t)) in legend.iter().enumerate() {
        let y = top + 34.0 + 20.0 * i as f64;
        page.marker(*mk, lx + 6.0, y - 4.0, 4.0, "#000");
        page.text(lx + 18.0, y, t, "start", 11.0, "#000");
    }
    if !d.limits.is_empty() {
        let y = top + 34.0 + 20.0 * 3.0;
        page.rect(lx, y - 10.0, 14.0, 10.0, "#eee", "#000", DASHES[1]);
        page.text(lx + 18.0, y, "the box", "start", 11.0, "#000");
    }
    let mut notes = Vec::new();
    if let (Some(i), Some(o)) = (d.inside_share_95, d.outside_share_95) {
        notes.push(format!(
            "95 % intervals (Wilson): inside the box {:.0}–{:.0} %, outside {:.0}–{:.0} %.",
            100.0 * i[0],
            100.0 * i[1],
            100.0 * o[0],
            100.0 * o[1]
        ));
    }
    if !hidden.is_empty() {
        let shown: Vec<BoxLimit> = hidden.into_iter().cloned().collect();
        notes.push(format!(
            "The box also holds {}, which is not drawn: a mark inside the drawn box may lie outside it.",
            box_words(m, &shown)
        ));
    }
    notes.push(format!(
        "Found by PRIM over {} runs (peeled on half the design points, checked on the other half); inputs outside the box's words are free over their whole ranges.",
        d.runs
    ));
    let end = page.footer(bottom + 48.0, &notes);
    page.finish(end)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A file name from an outcome's label: lowercase letters, digits and underscores.
pub fn slug(label: &str) -> String {
    let mut s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

/// A capture time in hours from the start, as a date.
pub fn show_capture(m: &SweepManifest, hours: f64) -> String {
    if hours.is_infinite() {
        "never".into()
    } else {
        display_local(m.start_time() + chrono::Duration::minutes((hours * 60.0).round() as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_becomes_a_file_name() {
        assert_eq!(
            slug("tank_army_km:1945-08-15T12:01"),
            "tank_army_km_1945_08_15t12_01"
        );
        assert_eq!(slug("captured:Mukden"), "captured_mukden");
    }
}
