//! What the event log says of a unit's fuel, for its account's "Fuel" section.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{date, t};
use crate::model::*;

/// What the event log says of the unit's fuel: marches day by day, deliveries by lorry and
/// by air, fuel handed over, halts, and what limited its deliveries.
#[derive(Default)]
pub(super) struct FuelHistory {
    km: f64,
    burned: f64,
    /// Per local day: km marched and fuel burned.
    days: BTreeMap<String, (f64, f64)>,
    trucked: f64,
    flown: f64,
    sorties: u32,
    /// Fuel handed over by other units (positive) or given away (negative).
    handed: f64,
    halts: Vec<String>,
    /// What limited a delivery, and on how many turns.
    pub(super) limits: BTreeMap<String, u32>,
}

impl FuelHistory {
    pub(super) fn of(events: &[LoggedEvent], id: UnitId) -> FuelHistory {
        let mut h = FuelHistory::default();
        for ev in events {
            match &ev.event {
                GameEvent::UnitMoved {
                    unit,
                    km: k,
                    fuel_used_t,
                    ..
                } if *unit == id => {
                    h.km += k;
                    h.burned += fuel_used_t;
                    let day = ev.time.get(..10).unwrap_or(&ev.time);
                    let e = h.days.entry(day.to_string()).or_default();
                    e.0 += k;
                    e.1 += fuel_used_t;
                }
                GameEvent::SupplyDelivered {
                    unit,
                    fuel_t,
                    limited_by,
                    ..
                } if *unit == id => {
                    h.trucked += fuel_t;
                    if *limited_by != SupplyLimit::Nothing {
                        *h.limits.entry(format!("{limited_by:?}")).or_default() += 1;
                    }
                }
                GameEvent::AirliftDelivered {
                    unit,
                    tons,
                    sorties: s,
                    cargo: Cargo::Fuel,
                    ..
                } if *unit == id => {
                    h.flown += tons;
                    h.sorties += s;
                }
                GameEvent::FuelHandedOver { from, to, tons } if *from == id || *to == id => {
                    h.handed += if *to == id { *tons } else { -*tons };
                }
                GameEvent::FuelExhausted { unit, .. } if *unit == id => h
                    .halts
                    .push(format!("its tanks ran dry on {}", date(&ev.time))),
                GameEvent::UnitHalted {
                    unit,
                    reason: HaltReason::OutOfFuel,
                    ..
                } if *unit == id => h
                    .halts
                    .push(format!("it sat without fuel on {}", date(&ev.time))),
                _ => {}
            }
        }
        h.halts.dedup();
        h
    }

    /// The marches, halts and deliveries, in the "Fuel" section.
    pub(super) fn write(&self, out: &mut String) {
        if self.km > 0.0 {
            let _ = writeln!(
                out,
                "  Its marches so far covered {:.0} km and burned {}:",
                self.km,
                t(self.burned)
            );
            for (day, (k, f)) in &self.days {
                let _ = writeln!(
                    out,
                    "    {}: {k:.0} km, {}",
                    date(&format!("{day}T")).trim_end(),
                    t(*f)
                );
            }
        } else {
            let _ = writeln!(out, "  It has not marched yet.");
        }
        for h in self.halts.iter().take(6) {
            let _ = writeln!(out, "  Halted: {h}.");
        }
        let _ = writeln!(
            out,
            "  Lorries have brought it {} of fuel, and aircraft {} in {} sorties.",
            t(self.trucked),
            t(self.flown),
            self.sorties
        );
        if self.handed > 0.0 {
            let _ = writeln!(
                out,
                "  Other units have handed it {} of theirs.",
                t(self.handed)
            );
        } else if self.handed < 0.0 {
            let _ = writeln!(
                out,
                "  It has handed {} of its own to other units.",
                t(-self.handed)
            );
        }
    }
}
