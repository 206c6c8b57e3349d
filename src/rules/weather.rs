//! Weather: this game's spans drawn from the scenario's climate at the start, and which hexes
//! are under rain or downpour at the current time.

use bevy::prelude::*;
use chrono::Duration;

use crate::model::geo::point_in_polygon;
use crate::model::logistics::{
    ClimateSpan, CurrentWeather, Weather, WeatherClimate, WeatherSchedule, WeatherSpan,
};
use crate::model::{Calendar, Map};
use crate::scenario::spawn::GameSetup;

/// Keys the weather's draws apart from every other draw fixed by the seed.
const WEATHER_DRAWS: u64 = 0x0057_4541_5448_4552;

/// Draws this game's weather from the climate by the game's seed (so that a save, which
/// keeps the seed, rebuilds the same weather, and so does every run of a batch's seed).
pub fn draw_weather(world: &mut World) {
    let seed = world.resource::<GameSetup>().seed;
    let spans = drawn_weather(&world.resource::<WeatherClimate>().spans, seed);
    world.insert_resource(WeatherSchedule { spans });
}

/// The spans one seed draws from a climate: each comes with its chance (and only if the span
/// it follows came), its onset shifted and its length stretched by triangular draws within
/// the spreads, to the whole hour.
pub fn drawn_weather(climate: &[ClimateSpan], seed: u64) -> Vec<WeatherSpan> {
    drawn_by_climate(climate, seed)
        .into_iter()
        .flatten()
        .collect()
}

/// [`drawn_weather`] span by span of the climate: each as drawn, or None where it did not
/// come.
pub fn drawn_by_climate(climate: &[ClimateSpan], seed: u64) -> Vec<Option<WeatherSpan>> {
    // The onset's shift of each span as drawn, or None where it did not come.
    let mut shifts: Vec<Option<Duration>> = Vec::with_capacity(climate.len());
    let mut out = Vec::with_capacity(climate.len());
    for (i, c) in climate.iter().enumerate() {
        let draw = |k: u64| crate::rules::dice::keyed_uniform(&[seed, WEATHER_DRAWS, i as u64, k]);
        let triangular = |k: u64, spread: f64| spread * (draw(k) + draw(k + 1) - 1.0);
        let hours = |h: f64| Duration::hours(h.round() as i64);
        let base = match c.follows {
            Some(j) => shifts.get(j).copied().flatten(),
            None => Some(Duration::zero()),
        };
        let shift = base
            .filter(|_| draw(0) < c.chance)
            .map(|b| b + hours(triangular(1, c.onset_spread_hours)));
        shifts.push(shift);
        let Some(shift) = shift else {
            out.push(None);
            continue;
        };
        let length = c.span.to - c.span.from + hours(triangular(3, c.length_spread_hours));
        let from = c.span.from + shift;
        out.push(Some(WeatherSpan {
            from,
            to: from + length.max(Duration::hours(1)),
            ..c.span.clone()
        }));
    }
    out
}

/// Recomputes the weather of every hex for the calendar's current turn.
pub fn update_weather(
    map: Res<Map>,
    cal: Res<Calendar>,
    schedule: Res<WeatherSchedule>,
    mut now: ResMut<CurrentWeather>,
) {
    *now = weather_at_time(&map, &schedule, turn_middle(&cal));
}

/// The same, for code that holds the world.
pub fn refresh_weather(world: &mut World) {
    let w = weather_at_time(
        world.resource::<Map>(),
        world.resource::<WeatherSchedule>(),
        turn_middle(world.resource::<Calendar>()),
    );
    world.insert_resource(w);
}

/// The weather of a turn is the weather at its middle: rain that sets in during the first
/// half of a turn spoils it, rain that sets in during the second half spoils the next (so
/// that a drawn onset, which may fall at any hour, is neither advanced nor delayed on
/// average; spans that begin and end at turns' bounds come exactly as written).
fn turn_middle(cal: &Calendar) -> chrono::NaiveDateTime {
    cal.now() + Duration::minutes(cal.turn_hours as i64 * 30)
}

pub fn weather_at_time(
    map: &Map,
    schedule: &WeatherSchedule,
    t: chrono::NaiveDateTime,
) -> CurrentWeather {
    let active: Vec<_> = schedule
        .spans
        .iter()
        .filter(|s| s.from <= t && t < s.to)
        .collect();
    let cells = (0..map.cells.len())
        .map(|i| {
            if active.is_empty() {
                return Weather::Dry;
            }
            let c = map.center(map.hex_of_index(i));
            active
                .iter()
                .rev()
                .find(|s| point_in_polygon(c, &s.region))
                .map_or(Weather::Dry, |s| s.weather)
        })
        .collect();
    CurrentWeather::new(cells)
}
