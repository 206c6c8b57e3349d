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
    /// The side that gives its orders first in every turn (the scenario's `moves_first`).
    /// Saves written before it was recorded are read with the side that always moved first
    /// then, and that side is left unwritten, so that their checksums still hold.
    #[serde(
        default = "first_before_it_was_recorded",
        skip_serializing_if = "is_first_before_it_was_recorded"
    )]
    pub first: Side,
    pub finished: bool,
}

/// The side that moved first in every scenario before the calendar recorded it.
fn first_before_it_was_recorded() -> Side {
    Side::Soviet
}

fn is_first_before_it_was_recorded(s: &Side) -> bool {
    *s == first_before_it_was_recorded()
}

impl Calendar {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime, turn_hours: u32, first: Side) -> Self {
        Self {
            start,
            end,
            turn_hours,
            turn: 1,
            active: first,
            first,
            finished: false,
        }
    }

    /// The side that gives its orders second in every turn.
    pub fn second(&self) -> Side {
        self.first.enemy()
    }

    /// Whether the phase being played is the last of its turn: when it ends, the clock moves.
    pub fn last_phase(&self) -> bool {
        self.active == self.second()
    }

    /// The phases of the campaign numbered from 1: the first side's phase of turn 1 is 1,
    /// the second side's 2, the first side's of turn 2 is 3.
    pub fn phase_number(&self, turn: u32, side: Side) -> u32 {
        turn.saturating_sub(1) * 2 + if side == self.first { 1 } else { 2 }
    }

    /// Phase number `p` ([`Calendar::phase_number`]) as its turn and side.
    pub fn phase_of(&self, p: u32) -> (u32, Side) {
        let side = if p % 2 == 1 {
            self.first
        } else {
            self.second()
        };
        (p.div_ceil(2), side)
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
