//! Weather as a climatology: each game draws its own onset, length and coming of every span
//! from its seed, within the spreads the logistics file gives, and keeps it across a save.

use crate::common;

use chrono::{Duration, NaiveDateTime};

use august_storm::model::logistics::{ClimateSpan, Weather, WeatherSchedule, WeatherSpan};
use august_storm::rules::save::{load_game, save_game};
use august_storm::rules::weather::drawn_weather;
use common::*;

fn t(s: &str) -> NaiveDateTime {
    august_storm::model::time::parse_local(s).unwrap()
}

fn span(name: &str, from: &str, to: &str) -> WeatherSpan {
    WeatherSpan {
        name: name.into(),
        region: vec![(40.0, 120.0), (40.0, 121.0), (41.0, 121.0)],
        from: t(from),
        to: t(to),
        weather: Weather::Rain,
    }
}

fn climate(span: WeatherSpan, onset: f64, length: f64, chance: f64) -> ClimateSpan {
    ClimateSpan {
        span,
        onset_spread_hours: onset,
        length_spread_hours: length,
        chance,
        follows: None,
    }
}

/// The weather of the historical scenario as the game of a seed drew it.
fn historical_weather(seed: u64) -> WeatherSchedule {
    game_of(&historical(), Some(seed))
        .world()
        .resource::<WeatherSchedule>()
        .clone()
}

#[test]
fn a_span_without_spreads_comes_as_written_in_every_game() {
    let c = [climate(
        span("rains", "1945-08-11T00:00", "1945-08-21T00:00"),
        0.0,
        0.0,
        1.0,
    )];
    for seed in 0..20 {
        assert_eq!(drawn_weather(&c, seed), vec![c[0].span.clone()]);
    }
}

#[test]
fn each_seed_draws_its_own_onset_and_length_within_the_spreads_and_the_same_one_every_time() {
    let c = [climate(
        span("rains", "1945-08-11T00:00", "1945-08-21T00:00"),
        24.0,
        72.0,
        1.0,
    )];
    let (mut onsets, mut lengths) = (Vec::new(), Vec::new());
    for seed in 0..400 {
        let w = drawn_weather(&c, seed);
        assert_eq!(w, drawn_weather(&c, seed), "seed {seed} draws twice alike");
        assert_eq!(w.len(), 1);
        let shift = (w[0].from - c[0].span.from).num_hours();
        let length = (w[0].to - w[0].from).num_hours();
        assert!((-24..=24).contains(&shift), "onset shifted by {shift} h");
        assert!((240 - 72..=240 + 72).contains(&length), "{length} h long");
        assert_eq!(w[0].name, "rains");
        onsets.push(shift);
        lengths.push(length);
    }
    // Triangular: most often near the figure written, seldom at the edges, both ways.
    let near = onsets.iter().filter(|s| s.abs() <= 12).count();
    assert!(
        (250..=350).contains(&near),
        "{near} of 400 onsets within half the spread (expected about 300)"
    );
    assert!(onsets.iter().any(|s| *s < -12) && onsets.iter().any(|s| *s > 12));
    let mean = lengths.iter().sum::<i64>() as f64 / lengths.len() as f64;
    assert!((mean - 240.0).abs() < 6.0, "mean length {mean} h");
    let distinct: std::collections::BTreeSet<_> = onsets.iter().collect();
    assert!(
        distinct.len() > 30,
        "only {} distinct onsets",
        distinct.len()
    );
}

#[test]
fn a_span_comes_with_its_chance_and_one_that_follows_comes_only_with_the_span_it_follows() {
    let rains = climate(
        span("rains", "1945-08-11T00:00", "1945-08-21T00:00"),
        24.0,
        0.0,
        0.5,
    );
    let mut storms = climate(
        span("storms", "1945-08-11T00:00", "1945-08-12T12:00"),
        0.0,
        0.0,
        1.0,
    );
    storms.follows = Some(0);
    let never = climate(
        span("never", "1945-08-15T00:00", "1945-08-16T00:00"),
        0.0,
        0.0,
        0.0,
    );
    let c = [rains, storms, never];
    let mut came = 0;
    for seed in 0..400 {
        let w = drawn_weather(&c, seed);
        assert!(
            w.iter().all(|s| s.name != "never"),
            "a span of chance 0 came"
        );
        let r = w.iter().find(|s| s.name == "rains");
        let s = w.iter().find(|s| s.name == "storms");
        assert_eq!(r.is_some(), s.is_some(), "seed {seed}: {w:?}");
        if let (Some(r), Some(s)) = (r, s) {
            came += 1;
            // The storms' onset moves with the rains' (they have no spread of their own).
            assert_eq!(s.from, r.from, "seed {seed}");
            assert_eq!(s.to - s.from, Duration::hours(36));
        }
    }
    assert!((160..=240).contains(&came), "rains came in {came} of 400");
}

#[test]
fn the_historical_rains_start_about_11_august_on_different_days_and_the_east_sometimes_stays_dry() {
    let (mut onsets, mut east) = (std::collections::BTreeSet::new(), 0);
    let seeds = 0..40;
    for seed in seeds.clone() {
        let w = historical_weather(seed);
        let rains = w
            .spans
            .iter()
            .find(|s| s.name.starts_with("Rains on the Khingan"))
            .expect("the rains come in every game");
        assert!(
            rains.from >= t("1945-08-10T00:00") && rains.from <= t("1945-08-12T00:00"),
            "seed {seed}: rains from {}",
            rains.from
        );
        onsets.insert(rains.from);
        if let Some(s) = w.spans.iter().find(|s| s.name.starts_with("Storms")) {
            assert!((s.from - rains.from).num_hours().abs() <= 12, "seed {seed}");
        }
        east += w
            .spans
            .iter()
            .filter(|s| s.name.contains("east Manchuria"))
            .count();
    }
    assert!(
        onsets.len() >= 10,
        "{} distinct onsets in 40 games",
        onsets.len()
    );
    assert!(
        (20..40).contains(&east),
        "the east's rains came in {east} of 40 games (chance 0.75)"
    );
    // The what-if without the rains keeps every game dry.
    let dry = august_storm::cli::simulate::new_game(
        &historical(),
        Some(3),
        &[root()
            .join("scenarios/what_ifs/dry_weather.ron")
            .to_string_lossy()
            .into_owned()],
    )
    .unwrap();
    assert!(dry.world().resource::<WeatherSchedule>().spans.is_empty());
}

#[test]
fn a_saved_game_keeps_the_weather_its_seed_drew() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("weather.ron");
    let mut g = game_of(&historical(), Some(11));
    g.run_until_turn(2);
    let drawn = g.world().resource::<WeatherSchedule>().clone();
    assert_ne!(drawn, historical_weather(12), "two seeds drew alike");
    save_game(&mut g, &path).unwrap();
    let resumed = load_game(&path).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(*resumed.world().resource::<WeatherSchedule>(), drawn);
}
