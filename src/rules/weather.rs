//! Weather: which hexes are under rain or downpour at the current time, from the scenario's
//! schedule.

use bevy::prelude::*;

use crate::model::geo::point_in_polygon;
use crate::model::logistics::{CurrentWeather, Weather, WeatherSchedule};
use crate::model::{Calendar, Map};

/// Recomputes the weather of every hex for the calendar's current time.
pub fn update_weather(
    map: Res<Map>,
    cal: Res<Calendar>,
    schedule: Res<WeatherSchedule>,
    mut now: ResMut<CurrentWeather>,
) {
    *now = weather_at_time(&map, &schedule, cal.now());
}

/// The same, for code that holds the world.
pub fn refresh_weather(world: &mut World) {
    let w = weather_at_time(
        world.resource::<Map>(),
        world.resource::<WeatherSchedule>(),
        world.resource::<Calendar>().now(),
    );
    world.insert_resource(w);
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
    CurrentWeather { cells }
}
