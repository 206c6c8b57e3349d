//! The checks of a save as a whole rather than of one value: its calendar is its scenario's,
//! it has as many places and units, no unit is stronger than it began, its rule switches are
//! its what-ifs' and every turn it names lies within the campaign.

use std::collections::BTreeSet;

use super::super::SaveFile;
use super::{Checker, Step};
use crate::model::time;

impl Checker<'_> {
    /// The checks that concern the save as a whole rather than one value.
    pub(super) fn specific(&mut self, save: &SaveFile) {
        self.calendar(save);
        self.sizes(save);
        self.units(save);
        self.switches_and_bookings(save);
        self.turns_named(save);
    }

    /// The campaign's turn length, dates and the turn the save is at.
    fn calendar(&mut self, save: &SaveFile) {
        let b = self.b;
        let cal = &save.calendar;
        let want = &b.calendar;
        let c = |f: &'static str| [Step::Field("calendar"), Step::Field(f)];
        if cal.turn_hours != want.turn_hours {
            self.problem(
                &c("turn_hours"),
                format!(
                    "the save's turns are {} hours long; its scenario's are {} hours",
                    cal.turn_hours, want.turn_hours
                ),
            );
        }
        if cal.start != want.start || cal.end != want.end {
            self.problem(
                &c("start"),
                format!(
                    "the save's campaign runs from {} to {}; its scenario's from {} to {}",
                    time::iso_local(cal.start),
                    time::iso_local(cal.end),
                    time::iso_local(want.start),
                    time::iso_local(want.end)
                ),
            );
        }
        if cal.first != want.first {
            self.problem(
                &c("first"),
                format!(
                    "the save's turns begin with the {} side's orders; its scenario's with the {} side's",
                    cal.first.name(),
                    want.first.name()
                ),
            );
        }
        if cal.turn == 0 || cal.turn > b.max_turn() {
            self.problem(
                &c("turn"),
                format!(
                    "the save is at turn {}; its campaign has turns 1 to {}",
                    cal.turn,
                    b.max_turn()
                ),
            );
        }
    }

    /// As many places and units as the map and the order of battle.
    fn sizes(&mut self, save: &SaveFile) {
        let b = self.b;
        let places = b.places;
        if save.control.owner.len() != places {
            self.problem(
                &[Step::Field("control"), Step::Field("owner")],
                format!(
                    "the save says who holds {} places; its map has {places}",
                    save.control.owner.len()
                ),
            );
        }
        let (taken, field) = match &save.control.legacy_first_soviet {
            Some(legacy) => (legacy, "first_soviet"),
            None => (&save.control.first_taken, "first_taken"),
        };
        if taken.len() != places {
            self.problem(
                &[Step::Field("control"), Step::Field(field)],
                format!(
                    "the save gives capture dates for {} places; its map has {places}",
                    taken.len()
                ),
            );
        }
        for (i, p) in save.control.besieged.iter().enumerate() {
            let problem = if p.0 as usize >= places {
                Some(format!("names place #{}; its map has {places} places", p.0))
            } else if save.control.owner.get(p.0 as usize) == Some(&None) {
                Some(format!("names place #{}, which nobody holds", p.0))
            } else if i > 0 && save.control.besieged[i - 1] >= *p {
                Some("is not in place order, or names a place twice".into())
            } else {
                None
            };
            if let Some(message) = problem {
                self.problem(
                    &[
                        Step::Field("control"),
                        Step::Field("besieged"),
                        Step::Entry(i),
                    ],
                    message,
                );
            }
        }
        if save.units.len() != b.units.len() {
            self.problem(
                &[Step::Field("units")],
                format!(
                    "the save has {} units; its scenario has {}",
                    save.units.len(),
                    b.units.len()
                ),
            );
        }
    }

    /// Each unit once, no stronger than it began, its readiness a share.
    fn units(&mut self, save: &SaveFile) {
        let b = self.b;
        let mut seen = BTreeSet::new();
        for (i, u) in save.units.iter().enumerate() {
            let at = |f: &'static str| [Step::Field("units"), Step::Entry(i), Step::Field(f)];
            if !seen.insert(u.id.0) {
                self.problem(
                    &at("id"),
                    format!("the save lists unit #{} twice ({})", u.id.0, u.name),
                );
            }
            if let Some(f) = b.full.get(&u.id.0) {
                let s = u.strength;
                for (what, have, most) in [
                    ("men", s.men, f.men),
                    ("tanks", s.tanks, f.tanks),
                    ("guns", s.guns, f.guns),
                    ("rocket launchers", s.mrl, f.mrl),
                    ("lorries", s.vehicles, f.vehicles),
                ] {
                    if have > most {
                        self.problem(
                            &at("strength"),
                            format!(
                                "{} has {have} {what} in the save; it began the campaign with {most}, and units are never reinforced",
                                u.name
                            ),
                        );
                    }
                }
            }
            if !(0.0..=1.0).contains(&u.readiness) {
                self.problem(
                    &at("readiness"),
                    format!(
                        "{}'s readiness is {}; readiness runs from 0 to 1",
                        u.name, u.readiness
                    ),
                );
            }
        }
    }

    /// The rule switches its what-ifs set, and airlifts booked on fleets the scenario has.
    fn switches_and_bookings(&mut self, save: &SaveFile) {
        let b = self.b;
        if save.switches != b.switches {
            self.problem(
                &[Step::Field("switches")],
                "the save's rule switches are not the ones its what-ifs set".into(),
            );
        }
        for (i, k) in save.airlift_booked.tons.keys().enumerate() {
            if *k >= b.fleets {
                self.problem(
                    &[Step::Field("airlift_booked"), Step::Field("tons"), Step::Entry(i)],
                    format!(
                        "the save books an airlift on transport fleet #{k}; its scenario has {} fleets",
                        b.fleets
                    ),
                );
            }
        }
    }

    /// Every turn the cease-fire and the captured railways name lies within the campaign.
    fn turns_named(&mut self, save: &SaveFile) {
        let max_turn = self.b.max_turn();
        let ceasefire = save
            .ceasefire
            .formations
            .values()
            .enumerate()
            .map(|(i, t)| ("formations", i, *t))
            .chain(
                save.ceasefire
                    .units
                    .values()
                    .enumerate()
                    .map(|(i, t)| ("units", i, *t)),
            );
        let mut late = Vec::new();
        for (f, i, t) in ceasefire.chain(
            save.rail
                .taken
                .values()
                .enumerate()
                .map(|(i, (_, t))| ("taken", i, *t)),
        ) {
            if t > max_turn {
                late.push((f, i, t));
            }
        }
        for (f, i, t) in late {
            let top = if f == "taken" { "rail" } else { "ceasefire" };
            self.problem(
                &[Step::Field(top), Step::Field(f), Step::Entry(i)],
                format!("the save names turn {t}; its campaign has turns 1 to {max_turn}"),
            );
        }
    }
}
