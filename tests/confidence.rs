//! How sure a batch's figures are: the summary gives each median and share its 95 % interval,
//! and `compare` refuses batches of different scenarios and calls nothing beyond noise where
//! the batches are too small to tell.

use crate::common;

use std::path::Path;

use august_storm::cli::batch::{BatchArgs, compare_dirs, run_batch};
use common::*;

fn batch(scenario: &Path, runs: u64, seed_start: u64, out: &Path) {
    run_batch(&BatchArgs {
        scenario: scenario.to_path_buf(),
        runs,
        seed_start,
        what_ifs: vec![],
        shard: None,
        out: out.to_path_buf(),
        calibration: None,
        places: None,
        progress: false,
        force: false,
    })
    .expect("the batch runs");
}

#[test]
fn batches_of_different_scenarios_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    batch(&fixture("tiny.ron"), 1, 1, &a);
    batch(&root().join("scenarios/across_the_khingan.ron"), 1, 1, &b);
    let e = compare_dirs(&a, &b).unwrap_err();
    assert!(e.contains("different scenarios"), "{e}");
}

#[test]
fn six_runs_against_one_are_too_few_to_call_anything_beyond_noise() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("six"), dir.path().join("one"));
    batch(&fixture("tiny.ron"), 6, 1, &a);
    batch(&fixture("tiny.ron"), 1, 40, &b);
    let c = compare_dirs(&a, &b).unwrap();
    assert!(!c.can_tell);
    assert!(c.places.iter().all(|p| !p.significant));
    assert!(c.quantities.iter().all(|q| !q.significant));
    let text = august_storm::report::compare::to_text(&c);
    assert!(
        text.contains("too few for any shift to be told from noise"),
        "{text}"
    );
}

#[test]
fn the_summary_gives_every_median_and_share_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    batch(&fixture("tiny.ron"), 8, 1, &out);
    let summary: august_storm::report::batch::Summary =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let killed = &summary.losses.soviet["killed"];
    let [low, high] = killed.median_95.expect("eight runs give a median interval");
    assert!(low <= killed.median && killed.median <= high, "{killed:?}");
    // Eight runs are too few for an interval of p10 or p90.
    assert_eq!(killed.p10_95, None);
    for (name, p) in &summary.places {
        let [low, high] = p.captured_fraction_95.expect("a share's interval");
        assert!(
            low <= p.captured_fraction && p.captured_fraction <= high,
            "{name}: {p:?}"
        );
    }
}

#[test]
fn merge_refuses_a_missing_shard_and_shards_of_different_batches_naming_the_missing_seeds() {
    use august_storm::cli::batch::merge;
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let shard = |runs: u64, k: u64, m: u64, out: &Path| {
        run_batch(&BatchArgs {
            scenario: fixture("tiny.ron"),
            runs,
            seed_start: 1,
            what_ifs: vec![],
            shard: Some((k, m)),
            out: out.to_path_buf(),
            calibration: None,
            places: None,
            progress: false,
            force: false,
        })
        .expect("the shard runs");
    };
    shard(4, 1, 2, &d("a1"));
    shard(6, 2, 3, &d("b2"));
    let e = merge(&[d("a1")], &d("m1"), false).unwrap_err();
    assert!(e.contains("but not 2"), "{e}");
    let e = merge(&[d("a1"), d("b2")], &d("m2"), false).unwrap_err();
    assert!(e.contains("but not 4"), "{e}");
    assert!(!d("m1").exists() && !d("m2").exists());
}

/// The binomial distribution behind every order-statistic interval is worked out in one pass
/// (a batch of a thousand runs summed it term by term for every rank before, and took
/// minutes): each P(X <= k) is the same number the sum of its terms gives.
#[test]
fn the_binomial_cdf_in_one_pass_is_the_sum_of_its_terms() {
    use august_storm::report::stats::{binomial_cdf, binomial_cdfs};
    let ln_choose = |n: u64, k: u64| -> f64 {
        let k = k.min(n - k);
        (0..k)
            .map(|i| ((n - i) as f64).ln() - ((i + 1) as f64).ln())
            .sum()
    };
    for n in [1u64, 2, 5, 6, 29, 50, 201] {
        for p in [0.1, 0.5, 0.9] {
            let all = binomial_cdfs(n, p);
            assert_eq!(all.len() as u64, n);
            for k in 0..n {
                let direct = (0..=k)
                    .map(|i| {
                        (ln_choose(n, i) + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln())
                            .exp()
                    })
                    .sum::<f64>()
                    .min(1.0);
                assert_eq!(
                    all[k as usize].to_bits(),
                    direct.to_bits(),
                    "n {n}, p {p}, k {k}"
                );
                assert_eq!(binomial_cdf(n, p, k).to_bits(), direct.to_bits());
            }
            assert_eq!(binomial_cdf(n, p, n), 1.0);
        }
    }
}
