//! Batch analysis: results depend only on the seeds (not on threads or shards), the runs
//! table and the summary agree, and a batch compared with itself shows no effect.

use crate::common;

use std::path::{Path, PathBuf};

use august_storm::cli::batch::{
    BatchArgs, compare_dirs, merge, parse_shard, read_batch, run_batch, seeds,
};
use august_storm::report::batch::{Summary, nearest_rank};
use august_storm::report::compare::mann_whitney_z;
use common::*;

fn args(scenario: PathBuf, runs: u64, shard: Option<(u64, u64)>, out: &Path) -> BatchArgs {
    BatchArgs {
        scenario,
        runs,
        seed_start: 11,
        what_ifs: vec![],
        shard,
        out: out.to_path_buf(),
        calibration: None,
        places: None,
        progress: false,
        force: false,
    }
}

fn on_threads(threads: usize, a: &BatchArgs) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    pool.install(|| run_batch(a)).expect("the batch runs");
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const OUTPUTS: [&str; 6] = [
    "runs.csv",
    "batch.json",
    "summary.json",
    "captures.svg",
    "advance.svg",
    "tank_army_fuel.svg",
];

fn assert_same_files(a: &Path, b: &Path) {
    for f in OUTPUTS {
        assert_eq!(read(a, f), read(b, f), "{f} differs");
    }
}

#[test]
fn a_batch_gives_the_same_files_on_one_thread_and_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    // The teaching scenario: the AI has a plan, so units move and the series are not empty.
    let scenario = root().join("scenarios/across_the_khingan.ron");
    on_threads(1, &args(scenario.clone(), 3, None, &one));
    on_threads(2, &args(scenario, 3, None, &two));
    assert_same_files(&one, &two);
    let (_, rows) = read_batch(&one).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.seed).collect::<Vec<_>>(),
        [11, 12, 13]
    );
    assert!(rows[0].advance_km[0].iter().any(|km| *km > 0.0));
}

#[test]
fn shards_merged_give_the_files_of_the_unsharded_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let tiny = fixture("tiny.ron");
    on_threads(2, &args(tiny.clone(), 5, None, &d("all")));
    on_threads(2, &args(tiny.clone(), 5, Some((1, 2)), &d("s1")));
    on_threads(1, &args(tiny.clone(), 5, Some((2, 2)), &d("s2")));
    let seeds = |n: &str| {
        read_batch(&d(n))
            .unwrap()
            .0
            .seeds
            .iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(seeds("s1"), [11, 13, 15]);
    assert_eq!(seeds("s2"), [12, 14]);
    merge(&[d("s2"), d("s1")], &d("merged"), false).expect("shards merge");
    assert_same_files(&d("all"), &d("merged"));
}

#[test]
fn merge_refuses_overlapping_seeds_and_different_what_ifs() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let tiny = fixture("tiny.ron");
    on_threads(1, &args(tiny.clone(), 2, None, &d("a")));
    on_threads(1, &args(tiny.clone(), 2, Some((1, 2)), &d("b")));
    let e = merge(&[d("a"), d("b")], &d("m"), false).unwrap_err();
    assert!(e.contains("seed 11 is in both"), "{e}");
    let mut w = args(tiny, 2, None, &d("w"));
    w.seed_start = 100;
    on_threads(1, &w);
    // The fixture has no what-ifs folder: the merge check is the one under test, so forge
    // the manifest of a what-if batch from a plain one.
    let manifest = read(&d("w"), "batch.json").replace(
        "\"what_ifs\": []",
        "\"what_ifs\": [\n    \"no_airlift\"\n  ]",
    );
    std::fs::write(d("w").join("batch.json"), manifest).unwrap();
    let e = merge(&[d("a"), d("w")], &d("m"), false).unwrap_err();
    assert!(e.contains("different what-ifs"), "{e}");
}

#[test]
fn the_summary_medians_are_the_nearest_rank_medians_of_the_csv_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    on_threads(
        2,
        &args(
            root().join("scenarios/across_the_khingan.ron"),
            3,
            None,
            &out,
        ),
    );
    let summary: Summary = serde_json::from_str(&read(&out, "summary.json")).unwrap();
    assert_eq!(summary.runs, 3);
    let mut csv = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    let column = |name: &str| -> Vec<f64> {
        let k = header.iter().position(|h| h == name).unwrap();
        let mut v: Vec<f64> = records.iter().map(|r| r[k].parse().unwrap()).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let airlifted = column("fuel_airlifted_t");
    assert_eq!(
        summary.logistics.fuel_airlifted_t.median,
        nearest_rank(&airlifted, 0.5).unwrap()
    );
    assert_eq!(
        summary.losses.soviet["killed"].p90,
        nearest_rank(&column("soviet_killed"), 0.9).unwrap()
    );
    // The calibration file beside the scenario was read, one result per fact.
    let facts =
        august_storm::report::batch::load_calibration(&root().join("scenarios/calibration.ron"))
            .expect("the calibration file loads");
    assert_eq!(summary.calibration.len(), facts.len());
    for (r, f) in summary.calibration.iter().zip(&facts) {
        assert_eq!(r.event, f.event);
    }
}

#[test]
fn a_batch_compared_with_itself_shows_no_effect_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    on_threads(
        2,
        &args(
            root().join("scenarios/across_the_khingan.ron"),
            2,
            None,
            &out,
        ),
    );
    let c = compare_dirs(&out, &out).unwrap();
    assert!(!c.places.is_empty());
    for p in &c.places {
        assert!(!p.significant, "{}", p.place);
        assert_eq!(p.z, 0.0);
        assert!(p.difference_hours.is_none_or(|h| h == 0.0));
    }
    assert!(
        c.quantities.len() >= 10,
        "every runs.csv number and the derived ones"
    );
    for q in &c.quantities {
        assert!(!q.significant, "{}", q.quantity);
        assert_eq!(q.median_a, q.median_b, "{}", q.quantity);
    }
}

#[test]
fn mann_whitney_sees_a_clear_shift_and_not_a_tie() {
    let early = [0, 60, 120, 180, 240, 300, 360, 420];
    let late: Vec<i64> = early.iter().map(|m| m + 10_000).collect();
    assert!(mann_whitney_z(&early, &late) > 1.96);
    assert!(mann_whitney_z(&late, &early) < -1.96);
    assert_eq!(mann_whitney_z(&early, &early), 0.0);
    assert_eq!(mann_whitney_z(&[i64::MAX; 3], &[i64::MAX; 4]), 0.0);
}

#[test]
fn shards_split_the_seeds_by_remainder() {
    assert_eq!(parse_shard("2/3"), Ok((2, 3)));
    assert!(parse_shard("0/3").is_err());
    assert!(parse_shard("4/3").is_err());
    let list = |s: august_storm::report::batch::Seeds| s.iter().collect::<Vec<_>>();
    assert_eq!(list(seeds(7, 10, Some((2, 3))).unwrap()), [11, 14]);
    assert_eq!(list(seeds(3, 10, None).unwrap()), [10, 11, 12]);
}

#[test]
fn the_nearest_rank_quantile_is_an_observed_value() {
    let v = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(nearest_rank(&v, 0.5), Some(2.0));
    assert_eq!(nearest_rank(&v, 0.1), Some(1.0));
    assert_eq!(nearest_rank(&v, 0.9), Some(4.0));
    assert_eq!(nearest_rank::<f64>(&[], 0.5), None);
}

#[test]
fn a_fronts_depth_counts_from_the_ground_it_held_at_the_start() {
    use august_storm::model::{Map, Side};
    use august_storm::report::batch::AdvanceTracker;
    use august_storm::report::depth::DepthField;
    let mut g = tiny_game();
    let map = g.world().resource::<Map>().clone();
    let field = DepthField::new(&map, Side::Soviet);
    let owner = |h| {
        map.cell(h)
            .and_then(|c| c.country)
            .and_then(|k| map.countries[k as usize].owner)
    };
    let west = place_hex(&g, "Westtown");
    assert_eq!(owner(west), Some(Side::Soviet));
    assert_eq!(field.km(&map, west), 0.0);
    // Walking east, each hex beyond the last Soviet one is one hex deeper.
    let row = west.to_offset().1;
    let east: Vec<_> = (0..map.cols)
        .map(|c| hex(c, row))
        .filter(|h| owner(*h) == Some(Side::Japanese))
        .collect();
    assert!(east.len() > 3, "the fixture has Japanese ground on the row");
    for (k, h) in east.iter().take(3).enumerate() {
        let want = (k + 1) as f64 * map.hex_km();
        assert!(
            (field.km(&map, *h) - want).abs() < 1e-9,
            "{h}: {}",
            field.km(&map, *h)
        );
    }
    // A march along its own side of the border is no depth at all; one into the enemy's
    // country is.
    let tanks = id(&mut g, "Test Tank Corps");
    let mut tracker = AdvanceTracker::new(&mut g);
    let along = (0..map.rows)
        .map(|r| hex(west.to_offset().0, r))
        .find(|h| owner(*h) == Some(Side::Soviet) && h.distance(west) >= 3)
        .expect("Soviet ground north or south of Westtown");
    place_unit(&mut g, tanks, along);
    tracker.sample(&mut g);
    place_unit(&mut g, tanks, east[2]);
    tracker.sample(&mut g);
    let front = &tracker.series()[0];
    assert_eq!(front[0], 0.0, "marching along the border");
    assert!(front[1] >= 3.0 * map.hex_km() - 0.1, "{front:?}");
}

/// The debrief rebuilds the tank army's advance from the event log (so a loaded game has its
/// whole history); it must agree with what the batch measures as the game is played.
#[test]
fn the_tank_armys_advance_from_the_log_is_the_batchs() {
    use august_storm::cli::batch::Prepared;
    use august_storm::model::Side;
    use august_storm::report::batch::{AdvanceTracker, tank_army_from_log};
    let p = Prepared::load(&historical(), &[]).expect("the scenario loads");
    let mut game = p.game(7);
    let mut tracker = AdvanceTracker::new(&mut game);
    // The first four days: the tank army's march over the Khingan.
    for turn in 1..=8 {
        august_storm::cli::simulate::play(
            &mut game,
            &[],
            &[Side::Soviet, Side::Japanese],
            turn + 1,
        );
        tracker.sample(&mut game);
    }
    let from_log = tank_army_from_log(game.world());
    let row = tracker.tank_army_km();
    assert!(row.len() == 8 && row[7] > 100.0, "{row:?}");
    // The log's series runs to the turn in hand, not yet resolved.
    assert_eq!(from_log.len(), 9);
    for (t, km) in row.iter().enumerate() {
        assert!(
            (from_log[t] - km).abs() < 0.1,
            "turn {}: log {} batch {km}",
            t + 1,
            from_log[t]
        );
    }
}

#[test]
fn a_batch_follows_every_place_unless_told_which() {
    let prepared = august_storm::cli::batch::Prepared::load(&historical(), &[]).unwrap();
    let (all, _, _) = august_storm::report::batch::batch_axes(&prepared.game(1));
    let map = &prepared.scenario.map;
    let select = |choice: Option<&str>, needed: &[&str]| {
        august_storm::scenario::measures::select_places(map, &all, choice, needed)
    };
    // Towns and fortresses too, not only the cities, and either side's.
    assert!(all.iter().any(|p| p == "Hutou"), "{all:?}");
    assert!(all.iter().any(|p| p == "Mukden"));
    assert!(all.iter().any(|p| p == "Blagoveshchensk"));
    assert_eq!(select(None, &[]).unwrap(), all);
    let key = select(Some("key"), &[]).unwrap();
    assert!(key.len() < all.len() && key.iter().any(|p| p == "Mukden"));
    assert!(!key.iter().any(|p| p == "Hutou"));
    // A list, in map order whatever order it was given in, with the places calibration
    // needs added.
    let mukden = all.iter().position(|p| p == "Mukden").unwrap();
    let hutou = all.iter().position(|p| p == "Hutou").unwrap();
    let qiqihar = all.iter().position(|p| p == "Qiqihar").unwrap();
    let mut expect = [("Mukden", mukden), ("Hutou", hutou), ("Qiqihar", qiqihar)];
    expect.sort_by_key(|e| e.1);
    assert_eq!(
        select(Some(" Hutou, Mukden "), &["Qiqihar"]).unwrap(),
        expect.iter().map(|e| e.0.to_string()).collect::<Vec<_>>()
    );
    let e = select(Some("Mukdn"), &[]).unwrap_err();
    assert!(
        e.contains("\"Mukdn\"") && e.contains("did you mean \"Mukden\""),
        "{e}"
    );
    assert_eq!(
        select(Some("Blagoveshchensk"), &[]).unwrap(),
        vec!["Blagoveshchensk".to_string()]
    );
    assert!(select(Some(" , "), &[]).is_err());
}

/// Each seed draws its own weather from the scenario's climate, and runs.csv says what it
/// drew: for every span of the climate, when it began and ended in that run (both empty
/// where it did not come), the same as the game of that seed has, read back as written.
#[test]
fn runs_csv_gives_the_weather_each_seed_drew() {
    use august_storm::model::logistics::{WeatherClimate, WeatherSchedule};
    use august_storm::model::time::iso_local;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let scenario = root().join("scenarios/august_storm_1945.ron");
    on_threads(2, &args(scenario.clone(), 8, None, &out));
    let (manifest, rows) = read_batch(&out).expect("the batch reads back");
    let climate = game_of(&scenario, Some(11));
    let spans = &climate.world().resource::<WeatherClimate>().spans;
    assert_eq!(manifest.weather.len(), spans.len());
    assert!(manifest.weather.len() >= 2, "the climate has its spans");
    let mut csv = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name);
    let mut onsets = std::collections::BTreeSet::new();
    let mut missing = 0;
    for (rec, row) in csv.records().map(Result::unwrap).zip(&rows) {
        let seed: u64 = rec[0].parse().unwrap();
        let game = game_of(&scenario, Some(seed));
        let drawn = &game.world().resource::<WeatherSchedule>().spans;
        for (k, name) in manifest.weather.iter().enumerate() {
            let from = &rec[column(&format!("weather_from:{name}")).expect("a column")];
            let to = &rec[column(&format!("weather_to:{name}")).expect("a column")];
            match drawn.iter().find(|d| d.name == spans[k].span.name) {
                Some(d) => {
                    assert_eq!(
                        (from, to),
                        (iso_local(d.from).as_str(), iso_local(d.to).as_str()),
                        "seed {seed}: {name}"
                    );
                    assert_eq!(row.weather[k], Some((d.from, d.to)));
                    onsets.insert((k, d.from));
                }
                None => {
                    assert_eq!((from, to), ("", ""), "seed {seed}: {name} did not come");
                    assert_eq!(row.weather[k], None);
                    missing += 1;
                }
            }
        }
    }
    // The draws differ from seed to seed: more onsets than spans.
    assert!(
        onsets.len() > manifest.weather.len(),
        "every seed drew the same weather: {onsets:?} ({missing} spans missing)"
    );
    // Shards with other weather columns (another logistics file, or a batch.json written
    // before they were kept) are not one batch: merge refuses them.
    let mut other = manifest.clone();
    other.weather.pop();
    let e = manifest.same_batch(&other).unwrap_err();
    assert!(e.contains("weather"), "{e}");
}
