//! The calendar: turns, the side to move, and local time (UTC+9, Manchukuo time).

use bevy::prelude::Resource;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::units::Side;

/// Local times are written with this offset in reports.
pub const LOCAL_OFFSET: &str = "+09:00";

#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub turn_hours: u32,
    /// Turns completed so far; turn 1 is the first.
    pub turn: u32,
    /// The side whose orders are being taken now.
    pub active: Side,
    pub finished: bool,
}

impl Calendar {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime, turn_hours: u32) -> Self {
        Self {
            start,
            end,
            turn_hours,
            turn: 1,
            active: Side::Soviet,
            finished: false,
        }
    }

    /// Local time at the start of the current turn.
    pub fn now(&self) -> NaiveDateTime {
        self.time_of_turn(self.turn)
    }

    /// Local time at the start of `turn`. Loaders refuse calendars whose turns run past the
    /// representable dates; should one slip through, the time saturates rather than panics.
    pub fn time_of_turn(&self, turn: u32) -> NaiveDateTime {
        let hours = i64::from(self.turn_hours) * (i64::from(turn) - 1);
        Duration::try_hours(hours)
            .and_then(|d| self.start.checked_add_signed(d))
            .unwrap_or(if hours < 0 {
                NaiveDateTime::MIN
            } else {
                NaiveDateTime::MAX
            })
    }

    /// Total number of turns from start to end (a zero turn length, refused by the loaders,
    /// counts as one hour rather than making the campaign endless).
    pub fn turns(&self) -> u32 {
        let hours = (self.end - self.start).num_minutes() as f64 / 60.0;
        (hours / self.turn_hours.max(1) as f64).ceil() as u32
    }

    /// The turn that contains a local time.
    pub fn turn_at(&self, t: NaiveDateTime) -> u32 {
        let hours = (t - self.start).num_minutes().max(0) as f64 / 60.0;
        ((hours / self.turn_hours.max(1) as f64).floor() as u32).saturating_add(1)
    }
}

/// ISO 8601 with the local offset, minute precision: `1945-08-09T00:01+09:00`.
pub fn iso_local(t: NaiveDateTime) -> String {
    format!("{}{}", t.format("%Y-%m-%dT%H:%M"), LOCAL_OFFSET)
}

/// A local time as players read it: `13 Aug, 00:01`.
pub fn display_local(t: NaiveDateTime) -> String {
    t.format("%-d %b, %H:%M").to_string()
}

/// An ISO local time from a report or the event log as players read it (`13 Aug, 00:01`);
/// text that is not a time is returned as it is.
pub fn display_iso(s: &str) -> String {
    parse_local(s).map_or_else(|| s.to_string(), display_local)
}

/// Parses `YYYY-MM-DDTHH:MM` (optionally with `:SS` or a `+09:00` suffix), or `YYYY-MM-DD`
/// (midnight). `24:00` means the end of that day.
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().trim_end_matches(LOCAL_OFFSET);
    if let Some(day) = s.strip_suffix("T24:00") {
        let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
        return d.succ_opt()?.and_hms_opt(0, 0, 0);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}
