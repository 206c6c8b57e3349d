//! The analysis of a sweep: each input's PRCC with each outcome, the PRIM box of each
//! question, and the findings in words.

use serde::{Deserialize, Serialize};

use crate::report::sensitivity::{Prcc, PrimBox, PrimSettings, prcc, prim};
use crate::report::stats::wilson;
use crate::scenario::sweep::{Outcome, Question};

use super::*;

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
pub(super) fn input_columns(m: &SweepManifest, rows: &[SweepRow]) -> Vec<Vec<f64>> {
    (0..m.inputs.len())
        .map(|j| {
            rows.iter()
                .map(|r| m.design[m.point_of(r.run)][j])
                .collect()
        })
        .collect()
}

pub(super) fn percent(share: f64) -> String {
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

pub(super) fn discover(
    m: &SweepManifest,
    q: &Question,
    x: &[Vec<f64>],
    hits: &[bool],
) -> Discovery {
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
