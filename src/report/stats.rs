//! How sure a batch's figures are: exact distribution-free intervals for medians and
//! quantiles (from order statistics), Wilson intervals for shares, the smallest batches in
//! which a rank test can tell anything, and how many runs would detect a shift.

use serde::Serialize;

/// A two-sided 95 % interval.
pub const CONFIDENCE: f64 = 0.95;
/// The normal deviate of a two-sided 95 % interval.
pub const Z_95: f64 = 1.959_963_984_540_054;
/// The normal deviate of 80 % power, one-sided.
pub const Z_POWER_80: f64 = 0.841_621_233_572_914_3;

/// A figure with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// log C(n, k), by log-gamma-free summation.
fn ln_choose(n: u64, k: u64) -> f64 {
    let k = k.min(n - k);
    (0..k)
        .map(|i| ((n - i) as f64).ln() - ((i + 1) as f64).ln())
        .sum()
}

/// log C(n, k) for every k from 0 to n, by log-gamma-free summation: C(n, k) as the product
/// of (n - i) / (i + 1) for i below min(k, n - k), summed in logs one term after another, so
/// that the whole table costs n steps (a batch may hold thousands of runs).
fn ln_choose_all(n: u64) -> Vec<f64> {
    let half = n / 2;
    let mut partial = Vec::with_capacity(half as usize + 1);
    // As `Iterator::sum` adds floats: from -0.0, one term after another.
    let mut acc = -0.0f64;
    partial.push(acc);
    for i in 0..half {
        acc += ((n - i) as f64).ln() - ((i + 1) as f64).ln();
        partial.push(acc);
    }
    (0..=n).map(|k| partial[k.min(n - k) as usize]).collect()
}

/// P(X <= k) for X ~ Binomial(n, p), for every k below n (at n and above it is 1), each the
/// sum of the probabilities of 0 to k, added in that order.
pub fn binomial_cdfs(n: u64, p: f64) -> Vec<f64> {
    let (lp, lq) = (p.ln(), (1.0 - p).ln());
    let ln_choose = ln_choose_all(n);
    let mut acc = -0.0f64;
    (0..n)
        .map(|i| {
            acc += (ln_choose[i as usize] + i as f64 * lp + (n - i) as f64 * lq).exp();
            acc.min(1.0)
        })
        .collect()
}

/// P(X <= k) for X ~ Binomial(n, p).
pub fn binomial_cdf(n: u64, p: f64, k: u64) -> f64 {
    if k >= n {
        return 1.0;
    }
    binomial_cdfs(n, p)[k as usize]
}

/// The ranks (1-based, into the sorted sample) of an exact distribution-free 95 % interval for
/// the `q` quantile of a sample of `n`: the widest-tailed pair of order statistics whose
/// coverage is at least 95 %, by the binomial distribution of how many values fall below the
/// quantile. None when `n` is too small for any pair to reach 95 % (n < 6 for the median).
pub fn quantile_interval_ranks(n: usize, q: f64) -> Option<(usize, usize)> {
    if n == 0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let n64 = n as u64;
    let alpha = 1.0 - CONFIDENCE;
    let cdfs = binomial_cdfs(n64, q);
    let binomial_cdf = |_: u64, _: f64, k: u64| {
        if k >= n64 { 1.0 } else { cdfs[k as usize] }
    };
    // Largest l with P(B <= l - 1) <= alpha/2, smallest u with P(B >= u) <= alpha/2, where
    // B ~ Binomial(n, q) counts the values below the quantile.
    let mut l = 0usize;
    for r in 1..=n {
        if binomial_cdf(n64, q, r as u64 - 1) <= alpha / 2.0 {
            l = r;
        } else {
            break;
        }
    }
    let mut u = 0usize;
    for r in (1..=n).rev() {
        if 1.0 - binomial_cdf(n64, q, r as u64 - 1) <= alpha / 2.0 {
            u = r;
        } else {
            break;
        }
    }
    (l >= 1 && u >= 1 && l <= u).then_some((l, u))
}

/// An exact 95 % interval for the `q` quantile of `sorted` (ascending), or None when the
/// sample is too small to give one.
pub fn quantile_interval(sorted: &[f64], q: f64) -> Option<Interval> {
    let (l, u) = quantile_interval_ranks(sorted.len(), q)?;
    Some(Interval {
        low: sorted[l - 1],
        high: sorted[u - 1],
    })
}

/// The Wilson 95 % interval for a share of `k` in `n`.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n == 0 || k > n {
        return None;
    }
    let (n, p, z) = (n as f64, k as f64 / n as f64, Z_95);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Whether a two-sided rank test on batches of `a` and `b` runs can reach 5 % at all: the
/// most extreme ordering of the runs has probability 2 / C(a + b, a), which must fall below
/// 0.05. One run against six, or three against three, can never tell anything.
pub fn rank_test_can_tell(a: usize, b: usize) -> bool {
    if a == 0 || b == 0 {
        return false;
    }
    let ln_orderings = ln_choose((a + b) as u64, a as u64);
    (2.0f64).ln() - ln_orderings < (1.0 - CONFIDENCE).ln()
}

/// The standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + erf(x / std::f64::consts::SQRT_2))
}

/// erf, Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    if x >= 0.0 { y } else { -y }
}

/// Runs per batch (two batches of equal size) for a Mann–Whitney test at 5 % to detect,
/// with 80 % power, a shift of `shift` in a quantity whose run-to-run standard deviation is
/// `sd` (Noether's formula, for a normal quantity: P(X < Y) = Φ(shift / (sd √2))). None when
/// the shift is zero or the spread unknown.
pub fn runs_to_detect(shift: f64, sd: f64) -> Option<u64> {
    if !(shift.is_finite() && sd.is_finite()) || shift == 0.0 || sd <= 0.0 {
        return None;
    }
    let p = normal_cdf(shift.abs() / (sd * std::f64::consts::SQRT_2));
    let total = (Z_95 + Z_POWER_80).powi(2) / (3.0 * (p - 0.5).powi(2));
    Some(((total / 2.0).ceil() as u64).max(2))
}

/// The sample standard deviation (n − 1), or None below two values.
pub fn sample_sd(v: &[f64]) -> Option<f64> {
    if v.len() < 2 {
        return None;
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let ss: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
    Some((ss / (v.len() - 1) as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_median_interval_uses_the_textbook_order_statistics() {
        // n = 10: the 2nd and 9th values (coverage 97.9 %); n = 20: the 6th and 15th.
        assert_eq!(quantile_interval_ranks(10, 0.5), Some((2, 9)));
        assert_eq!(quantile_interval_ranks(20, 0.5), Some((6, 15)));
        // Five runs cannot give a 95 % interval for the median.
        assert_eq!(quantile_interval_ranks(5, 0.5), None);
        assert_eq!(quantile_interval_ranks(6, 0.5), Some((1, 6)));
    }

    #[test]
    fn median_and_quantile_intervals_cover_the_true_value_at_least_95_times_in_100() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (q, n) in [(0.5, 15usize), (0.5, 50), (0.1, 60), (0.9, 40)] {
            // Exponential(1): the q quantile is -ln(1 - q).
            let truth = -(1.0f64 - q).ln();
            let trials = 2000;
            let mut covered = 0;
            for _ in 0..trials {
                let mut v: Vec<f64> = (0..n).map(|_| -(1.0 - rng.random::<f64>()).ln()).collect();
                v.sort_by(f64::total_cmp);
                let i = quantile_interval(&v, q).expect("large enough");
                if i.low <= truth && truth <= i.high {
                    covered += 1;
                }
            }
            let share = covered as f64 / trials as f64;
            // Exact intervals are conservative: at least 95 % less sampling noise.
            assert!(share >= 0.935, "q {q}, n {n}: covered {share}");
        }
    }

    #[test]
    fn wilson_intervals_cover_a_known_share_about_95_times_in_100() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (p, n) in [(0.5, 20u64), (0.1, 50), (0.9, 30), (0.02, 200)] {
            let trials = 2000;
            let mut covered = 0;
            for _ in 0..trials {
                let k = (0..n).filter(|_| rng.random::<f64>() < p).count() as u64;
                let i = wilson(k, n).unwrap();
                if i.low <= p && p <= i.high {
                    covered += 1;
                }
            }
            let share = covered as f64 / trials as f64;
            assert!(
                (0.91..=0.99).contains(&share),
                "p {p}, n {n}: covered {share}"
            );
        }
        let none = wilson(0, 10).unwrap();
        assert_eq!(none.low, 0.0);
        assert!(none.high > 0.25 && none.high < 0.35, "{none:?}");
    }

    #[test]
    fn a_rank_test_cannot_tell_anything_from_one_run_against_six() {
        assert!(!rank_test_can_tell(6, 1));
        assert!(!rank_test_can_tell(3, 3));
        assert!(rank_test_can_tell(4, 4));
        assert!(rank_test_can_tell(20, 20));
        assert!(!rank_test_can_tell(0, 50));
    }

    #[test]
    fn the_runs_needed_grow_as_the_shift_shrinks() {
        // One standard deviation: about 17 runs a batch (t-test: 16; Mann–Whitney a little more).
        let one = runs_to_detect(1.0, 1.0).unwrap();
        assert!((15..=20).contains(&one), "{one}");
        let half = runs_to_detect(0.5, 1.0).unwrap();
        assert!((60..=75).contains(&half), "{half}");
        assert_eq!(runs_to_detect(0.0, 1.0), None);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    }
}
