//! Sensitivity statistics for a sweep: the Latin hypercube design, partial rank correlation
//! coefficients (PRCC) with Fisher-z 95 % intervals, and PRIM boxes for scenario discovery.
//! Pure functions of their inputs: the same design and outcomes give the same numbers.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::stats::Z_95;

/// A Latin hypercube of `points` points in `dims` dimensions, each coordinate in [0, 1):
/// each dimension is cut into `points` equal strata, each stratum holds exactly one point
/// (at a random place inside it), and the strata are matched across dimensions by
/// independent random permutations. The same seed gives the same design.
pub fn latin_hypercube(points: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let columns: Vec<Vec<f64>> = (0..dims)
        .map(|_| {
            let mut strata: Vec<usize> = (0..points).collect();
            // Fisher–Yates, written out so that the design does not hang on a library's
            // choice of shuffle.
            for i in (1..points).rev() {
                let j = rng.random_range(0..=i);
                strata.swap(i, j);
            }
            strata
                .into_iter()
                .map(|s| (s as f64 + rng.random::<f64>()) / points as f64)
                .collect()
        })
        .collect();
    (0..points)
        .map(|p| columns.iter().map(|c| c[p]).collect())
        .collect()
}

/// Ranks from 1, ties sharing the mean of their ranks. Infinities (an outcome that never
/// happened) rank above every finite value, tied among themselves.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// The residuals of `y` after least squares on `xs` (with an intercept). Solved by
/// Gram–Schmidt on the columns, so collinear columns are dropped rather than blowing up.
fn residuals(y: &[f64], xs: &[&[f64]]) -> Vec<f64> {
    let n = y.len();
    let mut basis: Vec<Vec<f64>> = vec![vec![1.0 / (n as f64).sqrt(); n]];
    for x in xs {
        let mut v = x.to_vec();
        for b in &basis {
            let dot: f64 = v.iter().zip(b).map(|(a, c)| a * c).sum();
            for (vi, bi) in v.iter_mut().zip(b) {
                *vi -= dot * bi;
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        let scale = x.iter().map(|a| a * a).sum::<f64>().sqrt().max(1.0);
        if norm > 1e-9 * scale {
            basis.push(v.into_iter().map(|a| a / norm).collect());
        }
    }
    let mut r = y.to_vec();
    for b in &basis {
        let dot: f64 = r.iter().zip(b).map(|(a, c)| a * c).sum();
        for (ri, bi) in r.iter_mut().zip(b) {
            *ri -= dot * bi;
        }
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    let scale = (saa * sbb).sqrt();
    // Residuals of a perfectly explained variable are rounding noise, not a signal.
    if scale <= 1e-9 * n * n {
        return None;
    }
    Some((sab / scale).clamp(-1.0, 1.0))
}

/// One input's partial rank correlation with an outcome and its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prcc {
    pub prcc: f64,
    pub low_95: f64,
    pub high_95: f64,
}

impl Prcc {
    /// Whether the interval leaves out 0: the input's effect is beyond noise.
    pub fn beyond_noise(&self) -> bool {
        self.low_95 > 0.0 || self.high_95 < 0.0
    }
}

/// The PRCC of each input (columns of `inputs`, one value per run) with `outcome`: both
/// rank-transformed, the other inputs' ranks regressed out of each, the residuals
/// correlated. The interval is Fisher's z ± 1.96 / sqrt(n − 3 − p), p the other inputs.
/// None for an input where it is undefined: the outcome (or the input) does not vary once
/// the others are accounted for, or there are too few runs (n − 3 − p < 1).
pub fn prcc(inputs: &[Vec<f64>], outcome: &[f64]) -> Vec<Option<Prcc>> {
    let n = outcome.len();
    let p = inputs.len().saturating_sub(1);
    let ry = ranks(outcome);
    let rx: Vec<Vec<f64>> = inputs.iter().map(|x| ranks(x)).collect();
    (0..inputs.len())
        .map(|j| {
            if n < 4 + p {
                return None;
            }
            let others: Vec<&[f64]> = rx
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != j)
                .map(|(_, x)| x.as_slice())
                .collect();
            let ex = residuals(&rx[j], &others);
            let ey = residuals(&ry, &others);
            let r = pearson(&ex, &ey)?;
            let se = 1.0 / ((n - 3 - p) as f64).sqrt();
            let z = r.clamp(-0.999_999, 0.999_999).atanh();
            Some(Prcc {
                prcc: r,
                low_95: (z - Z_95 * se).tanh(),
                high_95: (z + Z_95 * se).tanh(),
            })
        })
        .collect()
}

/// One side of a box restricted: the input's values must lie above `low` (inclusive) or
/// below `high` (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limit {
    /// The input's position in the design.
    pub input: usize,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A box of input ranges found by PRIM, with how often the outcome holds in and out of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrimBox {
    /// The restricted inputs only; every other input may take any value.
    pub limits: Vec<Limit>,
    /// Runs inside the box, and how many of them the outcome holds in.
    pub inside: usize,
    pub inside_hits: usize,
    /// Runs outside, and how many of them it holds in.
    pub outside: usize,
    pub outside_hits: usize,
}

impl PrimBox {
    pub fn density(&self) -> f64 {
        self.inside_hits as f64 / self.inside.max(1) as f64
    }
    pub fn outside_density(&self) -> f64 {
        self.outside_hits as f64 / self.outside.max(1) as f64
    }
    /// The share of all runs where the outcome holds that the box catches.
    pub fn coverage(&self) -> f64 {
        self.inside_hits as f64 / (self.inside_hits + self.outside_hits).max(1) as f64
    }
}

/// How PRIM peels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimSettings {
    /// The share of the runs in the box peeled off at each step.
    pub alpha: f64,
    /// The smallest share of all runs a box may hold.
    pub min_support: f64,
    /// At most this many inputs restricted.
    pub max_inputs: usize,
}

impl Default for PrimSettings {
    fn default() -> Self {
        Self {
            alpha: 0.05,
            min_support: 0.1,
            max_inputs: 3,
        }
    }
}

fn in_box(inputs: &[Vec<f64>], limits: &[(f64, f64)], run: usize) -> bool {
    limits
        .iter()
        .enumerate()
        .all(|(j, (lo, hi))| inputs[j][run] >= *lo && inputs[j][run] <= *hi)
}

fn tally(inputs: &[Vec<f64>], hits: &[bool], limits: &[(f64, f64)]) -> (usize, usize) {
    tally_in(inputs, hits, limits, None)
}

/// Runs in the box and hits among them, of the runs `only` marks (all where None).
fn tally_in(
    inputs: &[Vec<f64>],
    hits: &[bool],
    limits: &[(f64, f64)],
    only: Option<&[bool]>,
) -> (usize, usize) {
    let mut n = 0;
    let mut k = 0;
    for (run, hit) in hits.iter().enumerate() {
        if only.is_none_or(|o| o[run]) && in_box(inputs, limits, run) {
            n += 1;
            k += usize::from(*hit);
        }
    }
    (n, k)
}

/// PRIM (Friedman and Fisher's patient rule induction), with a test set against
/// over-fitting. The runs are split in two by design point (alternate values of the first
/// input, so that a point's seeds stay together). On the first half, from the whole input
/// space, the `alpha` share of the runs at the low or high end of whichever input raises the
/// share of hits most is peeled off, until the box would hold fewer than `min_support` of
/// them. Of the boxes on the way, the one with the highest share of hits in the second half
/// is kept (the larger where two tie); then each restriction that does not pay on the second
/// half (dropping it lowers the share of hits there by less than 2 points) is dropped, the
/// least useful first, and at most `max_inputs` kept. The box's figures are then counted
/// over all runs. None when the outcome holds in no run, or in all of them, or no box
/// holds up on the second half.
pub fn prim(inputs: &[Vec<f64>], hits: &[bool], s: PrimSettings) -> Option<PrimBox> {
    let n = hits.len();
    let total_hits = hits.iter().filter(|h| **h).count();
    if n == 0 || total_hits == 0 || total_hits == n || inputs.is_empty() {
        return None;
    }
    let full: Vec<(f64, f64)> = inputs.iter().map(|x| span(x)).collect();
    let mut distinct: Vec<f64> = inputs[0].clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let train: Vec<bool> = inputs[0]
        .iter()
        .map(|v| distinct.partition_point(|d| d < v) % 2 == 0)
        .collect();
    let test: Vec<bool> = train.iter().map(|t| !t).collect();
    let n_train = train.iter().filter(|t| **t).count();
    let n_test = n - n_train;
    let min_train = ((s.min_support * n_train as f64).ceil() as usize).max(1);
    let min_test = ((s.min_support * n_test as f64).ceil() as usize).max(1);
    let density = |limits: &[(f64, f64)], set: &[bool]| {
        let (m, h) = tally_in(inputs, hits, limits, Some(set));
        (m, h as f64 / m.max(1) as f64)
    };
    let mut limits = full.clone();
    let mut path: Vec<Vec<(f64, f64)>> = vec![limits.clone()];
    let mut here = density(&limits, &train).1;
    loop {
        let inside: Vec<usize> = (0..n)
            .filter(|&r| train[r] && in_box(inputs, &limits, r))
            .collect();
        let peel = ((s.alpha * inside.len() as f64).ceil() as usize).max(1);
        let mut best: Option<(f64, usize, Vec<(f64, f64)>)> = None;
        for j in 0..inputs.len() {
            let mut vals: Vec<f64> = inside.iter().map(|&r| inputs[j][r]).collect();
            vals.sort_by(f64::total_cmp);
            vals.dedup();
            if vals.len() < 2 {
                continue;
            }
            // The new bound leaves out at least `peel` runs: all runs at or beyond the
            // peeled value (runs sharing a value go together).
            for low_end in [true, false] {
                let mut cand = limits.clone();
                let mut cut = 0;
                let mut k = 0;
                while cut < peel && k + 1 < vals.len() {
                    let v = if low_end {
                        vals[k]
                    } else {
                        vals[vals.len() - 1 - k]
                    };
                    cut += inside.iter().filter(|&&r| inputs[j][r] == v).count();
                    k += 1;
                }
                // The bound sits halfway to the next value, so that runs of the other half
                // between two of this half's values fall on the side they are nearer.
                if low_end {
                    cand[j].0 = (vals[k - 1] + vals[k]) / 2.0;
                } else {
                    cand[j].1 = (vals[vals.len() - k] + vals[vals.len() - 1 - k]) / 2.0;
                }
                let (m, d) = density(&cand, &train);
                if m < min_train {
                    continue;
                }
                // Ties go to the peel that keeps more runs, then to the first input.
                if best
                    .as_ref()
                    .is_none_or(|(bd, bm, _)| d > *bd + 1e-12 || (d > *bd - 1e-12 && m > *bm))
                {
                    best = Some((d, m, cand));
                }
            }
        }
        let Some((d, _, cand)) = best else { break };
        if d <= here + 1e-12 {
            break;
        }
        here = d;
        limits = cand;
        path.push(limits.clone());
    }
    // The box that holds up best on the runs it was not found on.
    let mut chosen: Option<(f64, Vec<(f64, f64)>)> = None;
    for b in &path {
        let (m, d) = density(b, &test);
        if m >= min_test && chosen.as_ref().is_none_or(|(cd, _)| d > *cd + 1e-12) {
            chosen = Some((d, b.clone()));
        }
    }
    let (_, mut limits) = chosen?;
    loop {
        let d = density(&limits, &test).1;
        let restricted: Vec<usize> = (0..inputs.len())
            .filter(|&j| limits[j] != full[j])
            .collect();
        let mut weakest: Option<(f64, usize)> = None;
        for &j in &restricted {
            let mut relaxed = limits.clone();
            relaxed[j] = full[j];
            let loss = d - density(&relaxed, &test).1;
            if weakest.is_none_or(|(l, _)| loss < l) {
                weakest = Some((loss, j));
            }
        }
        match weakest {
            Some((loss, j)) if loss < 0.02 || restricted.len() > s.max_inputs => {
                limits[j] = full[j];
            }
            _ => break,
        }
    }
    let (inside, inside_hits) = tally(inputs, hits, &limits);
    let box_limits = (0..inputs.len())
        .filter(|&j| limits[j] != full[j])
        .map(|j| Limit {
            input: j,
            low: (limits[j].0 > full[j].0).then_some(limits[j].0),
            high: (limits[j].1 < full[j].1).then_some(limits[j].1),
        })
        .collect::<Vec<_>>();
    if box_limits.is_empty() {
        return None;
    }
    Some(PrimBox {
        limits: box_limits,
        inside,
        inside_hits,
        outside: n - inside,
        outside_hits: total_hits - inside_hits,
    })
}

/// The smallest and largest of `x`: the starting box spans the values seen.
fn span(x: &[f64]) -> (f64, f64) {
    x.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_puts_one_point_in_each_stratum_of_each_input() {
        let d = latin_hypercube(20, 3, 42);
        for dim in 0..3 {
            let mut strata: Vec<usize> = d.iter().map(|p| (p[dim] * 20.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..20).collect::<Vec<_>>());
        }
        assert_eq!(d, latin_hypercube(20, 3, 42));
        assert_ne!(d, latin_hypercube(20, 3, 43));
    }

    #[test]
    fn ties_share_their_mean_rank_and_never_ranks_last() {
        assert_eq!(
            ranks(&[3.0, 1.0, f64::INFINITY, 3.0, f64::INFINITY]),
            vec![2.5, 1.0, 4.5, 2.5, 4.5]
        );
    }

    /// y = 3·x1 − x2 + noise; x3 plays no part.
    fn synthetic(n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let d = latin_hypercube(n, 3, 7);
        let mut rng = ChaCha8Rng::seed_from_u64(99);
        let cols: Vec<Vec<f64>> = (0..3).map(|j| d.iter().map(|p| p[j]).collect()).collect();
        let y = (0..n)
            .map(|i| 3.0 * cols[0][i] - cols[1][i] + 0.3 * (rng.random::<f64>() - 0.5))
            .collect();
        (cols, y)
    }

    #[test]
    fn prcc_recovers_a_known_dependence_its_signs_and_an_irrelevant_input() {
        let (x, y) = synthetic(200);
        let p = prcc(&x, &y);
        let [a, b, c] = [p[0].unwrap(), p[1].unwrap(), p[2].unwrap()];
        assert!(a.prcc > 0.9 && a.beyond_noise(), "{a:?}");
        assert!(b.prcc < -0.5 && b.beyond_noise(), "{b:?}");
        assert!(c.prcc.abs() < 0.2 && !c.beyond_noise(), "{c:?}");
        assert!(a.prcc.abs() > b.prcc.abs());
        assert!(a.low_95 < a.prcc && a.prcc < a.high_95);
    }

    #[test]
    fn prcc_is_undefined_for_a_constant_outcome_or_too_few_runs() {
        let (x, _) = synthetic(50);
        assert!(prcc(&x, &[1.0; 50]).iter().all(Option::is_none));
        let few: Vec<Vec<f64>> = x.iter().map(|c| c[..5].to_vec()).collect();
        assert!(
            prcc(&few, &[1.0, 2.0, 3.0, 4.0, 5.0])
                .iter()
                .all(Option::is_none)
        );
    }

    #[test]
    fn prim_finds_the_box_where_an_outcome_is_likely_and_drops_inputs_that_do_not_matter() {
        // y > 1.5 needs x1 high and x2 low; x3 is irrelevant.
        let (x, y) = synthetic(400);
        let hits: Vec<bool> = y.iter().map(|v| *v > 1.5).collect();
        let b = prim(&x, &hits, PrimSettings::default()).expect("a box");
        assert!(b.limits.iter().all(|l| l.input != 2), "{b:?}");
        let x1 = b
            .limits
            .iter()
            .find(|l| l.input == 0)
            .expect("x1 restricted");
        assert!(
            x1.low.is_some_and(|v| v > 0.4) && x1.high.is_none(),
            "{b:?}"
        );
        assert!(b.density() > 0.8, "{b:?}");
        assert!(b.outside_density() < 0.2, "{b:?}");
        assert!(b.inside as f64 >= 0.1 * 400.0);
        assert_eq!(b.inside + b.outside, 400);
    }

    #[test]
    fn prim_has_nothing_to_say_when_the_outcome_always_or_never_holds() {
        let (x, _) = synthetic(40);
        assert!(prim(&x, &[false; 40], PrimSettings::default()).is_none());
        assert!(prim(&x, &[true; 40], PrimSettings::default()).is_none());
    }
}
