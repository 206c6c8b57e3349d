//! The effect of a what-if, place by place and quantity by quantity: two batches' capture
//! times and their losses, fuel and the like side by side, the shift in the median, and a
//! Mann–Whitney test of whether it exceeds run-to-run noise, each median and share with its
//! 95 % interval, and how many runs would detect the shift seen.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::batch::{Manifest, RunRow, capture_times, nearest_rank};
use super::stats::{
    Interval, quantile_interval, rank_test_can_tell, runs_to_detect, sample_sd, wilson,
};
use crate::model::time::iso_local;

/// |z| above this is a shift larger than run-to-run noise (two-sided, 5%).
pub const Z_CRITICAL: f64 = 1.96;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceEffect {
    pub place: String,
    pub captured_fraction_a: f64,
    pub captured_fraction_b: f64,
    /// Wilson 95 % intervals of the two shares.
    pub captured_fraction_a_95: Option<Interval>,
    pub captured_fraction_b_95: Option<Interval>,
    /// Median capture time over the runs that captured the place.
    pub median_a: Option<String>,
    pub median_b: Option<String>,
    /// Exact 95 % intervals of the two medians (None where too few runs took the place).
    pub median_a_95: Option<(String, String)>,
    pub median_b_95: Option<(String, String)>,
    /// Median B minus median A, hours (positive: B took the place later).
    pub difference_hours: Option<f64>,
    /// The Mann–Whitney statistic as a normal deviate, ties corrected; a run that never
    /// captured the place counts as later than every run that did.
    pub z: f64,
    pub significant: bool,
}

/// One number of the runs (a `runs.csv` column, or one derived from them) in both batches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantityEffect {
    pub quantity: String,
    pub median_a: f64,
    pub median_b: f64,
    /// Exact 95 % intervals of the two medians (None for batches under six runs).
    pub median_a_95: Option<Interval>,
    pub median_b_95: Option<Interval>,
    /// Median B over median A (None when A's median is 0).
    pub ratio: Option<f64>,
    /// The Mann–Whitney statistic as a normal deviate (positive: B larger).
    pub z: f64,
    pub significant: bool,
    /// Runs a batch would need to detect the shift of the medians seen here (5 %, 80 % power),
    /// for a quantity with the batches' spread; None where they agree.
    pub runs_to_detect: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub runs_a: usize,
    pub runs_b: usize,
    /// False where the batches are too small for any shift to be told from noise (one run
    /// against six, three against three): nothing is then called beyond noise.
    pub can_tell: bool,
    pub places: Vec<PlaceEffect>,
    pub quantities: Vec<QuantityEffect>,
}

/// Numbers worked out from a run's row for the comparison, beside the `runs.csv` columns:
/// what the issue of a what-if is usually judged by.
pub const DERIVED: [&str; 2] = ["japanese_killed_per_prisoner", "places_taken_after_august"];

/// A derived number of a run (see [`DERIVED`]); `september` is the first instant of
/// September in the campaign's year.
fn derived(r: &RunRow, name: &str, september: NaiveDateTime) -> f64 {
    match name {
        // Per man taken prisoner by Soviet troops, of every nation of the side.
        "japanese_killed_per_prisoner" => {
            r.japanese_killed as f64 / (r.japanese_prisoners as f64).max(1.0)
        }
        // Places followed that the Soviet side took only in September, or never.
        "places_taken_after_august" => r
            .captured
            .iter()
            .filter(|t| t.is_none_or(|t| t >= september))
            .count() as f64,
        _ => f64::NAN,
    }
}

fn quantity_effect(name: &str, a: &[f64], b: &[f64]) -> QuantityEffect {
    let sorted = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v
    };
    let (sa, sb) = (sorted(a), sorted(b));
    let median = |v: &[f64]| nearest_rank(v, 0.5).unwrap_or(0.0);
    // Mann–Whitney ranks only order, so the numbers are compared at a thousandth's precision.
    let ints = |v: &[f64]| {
        v.iter()
            .map(|x| (x * 1000.0).round() as i64)
            .collect::<Vec<_>>()
    };
    let (ma, mb) = (median(&sa), median(&sb));
    let z = mann_whitney_z(&ints(a), &ints(b));
    // The spread of the pooled runs about their own batch's median stands for the quantity's
    // run-to-run spread.
    let spread = match (sample_sd(a), sample_sd(b)) {
        (Some(x), Some(y)) => Some(((x * x + y * y) / 2.0).sqrt()),
        (x, y) => x.or(y),
    };
    QuantityEffect {
        quantity: name.into(),
        median_a: ma,
        median_b: mb,
        median_a_95: quantile_interval(&sa, 0.5),
        median_b_95: quantile_interval(&sb, 0.5),
        ratio: (ma != 0.0).then(|| mb / ma),
        z,
        significant: rank_test_can_tell(a.len(), b.len()) && z.abs() > Z_CRITICAL,
        runs_to_detect: spread.and_then(|sd| runs_to_detect(mb - ma, sd)),
    }
}

/// Compares batch B against batch A on every place they both follow. Batches of different
/// scenarios are refused: their places and fronts are not the same thing.
pub fn compare(
    (name_a, ma, ra): (&str, &Manifest, &[RunRow]),
    (name_b, mb, rb): (&str, &Manifest, &[RunRow]),
) -> Result<Comparison, String> {
    if ma.scenario != mb.scenario {
        return Err(format!(
            "cannot compare batches of different scenarios: {name_a} ran \"{}\", {name_b} ran \"{}\"",
            ma.scenario, mb.scenario
        ));
    }
    if ra.is_empty() || rb.is_empty() {
        return Err(format!(
            "cannot compare: {} holds no runs",
            if ra.is_empty() { name_a } else { name_b }
        ));
    }
    let can_tell = rank_test_can_tell(ra.len(), rb.len());
    let places = ma
        .places
        .iter()
        .enumerate()
        .filter_map(|(ia, p)| {
            let ib = mb.places.iter().position(|q| q == p)?;
            let ta = capture_times(ra, ia);
            let tb = capture_times(rb, ib);
            let med_a = nearest_rank(&ta, 0.5);
            let med_b = nearest_rank(&tb, 0.5);
            let z = mann_whitney_z(&minutes(ra, ia), &minutes(rb, ib));
            let share =
                |t: &[NaiveDateTime], rows: &[RunRow]| t.len() as f64 / rows.len().max(1) as f64;
            let median_95 = |t: &[NaiveDateTime]| {
                let mins: Vec<f64> = t
                    .iter()
                    .map(|x| x.and_utc().timestamp() as f64 / 60.0)
                    .collect();
                quantile_interval(&mins, 0.5).and_then(|i| {
                    let at = |m: f64| {
                        chrono::DateTime::from_timestamp(m as i64 * 60, 0)
                            .map(|d| iso_local(d.naive_utc()))
                    };
                    Some((at(i.low)?, at(i.high)?))
                })
            };
            Some(PlaceEffect {
                place: p.clone(),
                captured_fraction_a: share(&ta, ra),
                captured_fraction_b: share(&tb, rb),
                captured_fraction_a_95: wilson(ta.len() as u64, ra.len() as u64),
                captured_fraction_b_95: wilson(tb.len() as u64, rb.len() as u64),
                median_a: med_a.map(iso_local),
                median_b: med_b.map(iso_local),
                median_a_95: median_95(&ta),
                median_b_95: median_95(&tb),
                difference_hours: med_a
                    .zip(med_b)
                    .map(|(a, b)| (b - a).num_minutes() as f64 / 60.0),
                z,
                significant: can_tell && z.abs() > Z_CRITICAL,
            })
        })
        .collect();
    let september = |m: &Manifest| {
        m.turn_ends
            .first()
            .and_then(|t| crate::model::time::parse_local(t))
            .and_then(|t| {
                chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&t), 9, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .unwrap_or(NaiveDateTime::MAX)
    };
    let (sa, sb) = (september(ma), september(mb));
    let quantities = super::batch::NUMBERS
        .iter()
        .map(|col| {
            let get = |rows: &[RunRow]| -> Vec<f64> {
                rows.iter().filter_map(|r| r.number(col)).collect()
            };
            quantity_effect(col, &get(ra), &get(rb))
        })
        .chain(DERIVED.iter().map(|name| {
            let a: Vec<f64> = ra.iter().map(|r| derived(r, name, sa)).collect();
            let b: Vec<f64> = rb.iter().map(|r| derived(r, name, sb)).collect();
            quantity_effect(name, &a, &b)
        }))
        .collect();
    Ok(Comparison {
        a: name_a.into(),
        b: name_b.into(),
        runs_a: ra.len(),
        runs_b: rb.len(),
        can_tell,
        places,
        quantities,
    })
}

/// Capture times as minutes, never-captured as later than anything.
fn minutes(rows: &[RunRow], place: usize) -> Vec<i64> {
    rows.iter()
        .map(|r| {
            r.captured[place]
                .map(|t| t.and_utc().timestamp() / 60)
                .unwrap_or(i64::MAX)
        })
        .collect()
}

/// The Mann–Whitney U of `a` against `b` as a normal deviate, with the tie correction; 0
/// when either sample is empty or every value is tied (no evidence of a shift).
pub fn mann_whitney_z(a: &[i64], b: &[i64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut all: Vec<(i64, bool)> = a
        .iter()
        .map(|x| (*x, true))
        .chain(b.iter().map(|x| (*x, false)))
        .collect();
    all.sort();
    let n = all.len();
    let mut rank_sum_a = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && all[j].0 == all[i].0 {
            j += 1;
        }
        // Ranks i+1 ..= j share their average.
        let avg = (i + 1 + j) as f64 / 2.0;
        rank_sum_a += avg * all[i..j].iter().filter(|x| x.1).count() as f64;
        let t = (j - i) as f64;
        tie_term += t * t * t - t;
        i = j;
    }
    let u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    let nn = n1 + n2;
    let var = n1 * n2 / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
    if var <= 0.0 {
        return 0.0;
    }
    // U counts the pairs in which A is later; flipped so that a positive z means B later,
    // matching the sign of the difference in medians.
    (n1 * n2 / 2.0 - u) / var.sqrt()
}

/// A readable table of a comparison.
pub fn to_text(c: &Comparison) -> String {
    let mut out = format!(
        "A: {} ({} runs)\nB: {} ({} runs)\n\n{:<16} {:>6} {:>6}  {:<17} {:<17} {:>12}  {:>6}  {}\n",
        c.a,
        c.runs_a,
        c.b,
        c.runs_b,
        "place",
        "A took",
        "B took",
        "median A",
        "median B",
        "B - A",
        "z",
        "beyond noise"
    );
    let short = |t: &Option<String>| {
        t.as_deref()
            .map(|s| s[..16].replace('T', " "))
            .unwrap_or_else(|| "-".into())
    };
    for p in &c.places {
        let diff = match p.difference_hours {
            Some(h) if h.abs() >= 48.0 => format!("{:+.1} d", h / 24.0),
            Some(h) => format!("{h:+.0} h"),
            None => "-".into(),
        };
        out.push_str(&format!(
            "{:<16} {:>5.0}% {:>5.0}%  {:<17} {:<17} {:>12}  {:>6.2}  {}\n",
            p.place,
            p.captured_fraction_a * 100.0,
            p.captured_fraction_b * 100.0,
            short(&p.median_a),
            short(&p.median_b),
            diff,
            p.z,
            if p.significant { "yes" } else { "no" }
        ));
    }
    out.push_str(&format!(
        "\n{:<30} {:>12} {:>12} {:>8}  {:>6}  {:<12}  {}\n",
        "quantity", "median A", "median B", "B / A", "z", "beyond noise", "runs needed"
    ));
    for q in &c.quantities {
        let num = |x: f64| {
            if x.abs() >= 100.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.3}")
            }
        };
        out.push_str(&format!(
            "{:<30} {:>12} {:>12} {:>8}  {:>6.2}  {:<12}  {}\n",
            q.quantity,
            num(q.median_a),
            num(q.median_b),
            q.ratio.map_or("-".into(), |r| format!("{r:.2}x")),
            q.z,
            if q.significant { "yes" } else { "no" },
            q.runs_to_detect.map_or("-".into(), |n| n.to_string())
        ));
    }
    out.push_str(&format!(
        "\nbeyond noise: a two-sided Mann-Whitney test at 5% (|z| > {Z_CRITICAL}); for capture times a run that never took the place counts as later than every run that did.\nruns needed: runs in each batch to detect the shift of the medians seen here, 5% test, 80% power.\n"
    ));
    if !c.can_tell {
        out.push_str(&format!(
            "\n{} runs against {} are too few for any shift to be told from noise: nothing is called beyond noise. Run more seeds.\n",
            c.runs_a, c.runs_b
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_tied_runs_against_one_are_not_called_beyond_noise() {
        // The tie correction alone would give |z| = 2.45 here.
        let q = quantity_effect("x", &[5.0; 6], &[100.0]);
        assert!(q.z.abs() > Z_CRITICAL, "{q:?}");
        assert!(!q.significant, "{q:?}");
        assert_eq!(q.median_b_95, None, "one run has no interval");
    }

    #[test]
    fn a_clear_shift_in_large_batches_is_beyond_noise_with_intervals_and_runs_needed() {
        let a: Vec<f64> = (0..30).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..30).map(|i| i as f64 + 20.0).collect();
        let q = quantity_effect("x", &a, &b);
        assert!(q.significant, "{q:?}");
        let ia = q.median_a_95.unwrap();
        assert!(ia.low < q.median_a && q.median_a < ia.high, "{ia:?}");
        // A shift of more than two standard deviations needs only a handful of runs.
        let n = q.runs_to_detect.unwrap();
        assert!((2..=10).contains(&n), "{n}");
    }
}
