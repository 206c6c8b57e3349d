//! The ranges of the scenario's, logistics', plan's and map's figures, and of a point on
//! the globe.

use crate::scenario::schema::*;

use super::{Checker, MULTIPLE, NON_NEGATIVE, POSITIVE, Range, Ranged, SHARE, between, fields};

/// A point on the globe: latitude and longitude in degrees.
pub struct Point(pub f64, pub f64);

impl Ranged for Point {
    fn ranges(&self, c: &mut Checker) {
        c.num(
            "0",
            &self.0,
            Range {
                what: "degrees of latitude",
                ..between(-90.0, 90.0)
            },
        );
        c.num(
            "1",
            &self.1,
            Range {
                what: "degrees of longitude",
                ..between(-180.0, 180.0)
            },
        );
    }
}

impl Ranged for Location {
    fn ranges(&self, c: &mut Checker) {
        if let Location::Coord(lat, lon) = self {
            Point(*lat, *lon).ranges(c);
        }
    }
}

impl Ranged for LogisticsFile {
    fn ranges(&self, c: &mut Checker) {
        c.list("depots", &self.depots);
        c.list("truck_pools", &self.truck_pools);
        c.list("air_transport", &self.air_transport);
        c.list("sea_lift", &self.sea_lift);
        c.list("river_flotillas", &self.river_flotillas);
        for (i, w) in self.weather.iter().enumerate() {
            for (j, p) in w.region.iter().enumerate() {
                c.sub(&format!("weather[{i}].region[{j}]"), &Point(p.0, p.1));
            }
        }
        c.list("weather", &self.weather);
    }
}

impl Ranged for WeatherDef {
    fn ranges(&self, c: &mut Checker) {
        // A season's onset or length known no better than to within a month is no
        // climatology the scenario can stand on.
        let hours = Range {
            what: "hours",
            ..between(0.0, 30.0 * 24.0)
        };
        fields!(c, self;
            onset_spread_hours: hours,
            length_spread_hours: hours,
            chance: SHARE,
        );
    }
}

impl Ranged for DepotDef {
    fn ranges(&self, c: &mut Checker) {
        c.sub("at", &self.at);
        fields!(c, self;
            fuel_t: NON_NEGATIVE,
            ammo_t: NON_NEGATIVE,
            food_t: NON_NEGATIVE,
            rail_t_per_day: NON_NEGATIVE,
        );
    }
}

impl Ranged for TruckPoolDef {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self; trucks: NON_NEGATIVE);
    }
}

impl Ranged for AirTransportDef {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            payload_t: Range { hi: 100.0, what: "tons", ..POSITIVE },
            sorties_per_day: Range { hi: 24.0, what: "sorties", ..POSITIVE },
            range_km: Range { hi: 10_000.0, what: "km", ..POSITIVE },
        );
    }
}

impl Ranged for SeaLiftDef {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            men_per_turn: POSITIVE,
            range_km: Range { hi: 10_000.0, what: "km", ..POSITIVE },
            gunfire_guns: NON_NEGATIVE,
        );
    }
}

impl Ranged for RiverFlotillaDef {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            men_per_turn: NON_NEGATIVE,
            crossing_km: between(0.0, 1000.0),
            river_defence_factor: SHARE,
        );
    }
}

impl Ranged for PlanFile {
    fn ranges(&self, c: &mut Checker) {
        c.sub("soviet", &self.soviet);
        c.sub("japanese", &self.japanese);
    }
}

impl Ranged for SidePlan {
    fn ranges(&self, c: &mut Checker) {
        let odds = Range {
            what: "odds",
            ..MULTIPLE
        };
        fields!(c, self;
            attack_odds: odds,
            barred_attack_odds: odds,
            barred_detour: odds,
            fall_back_odds: odds,
            storm_fort_odds: odds,
        );
        if let Some(f) = &self.forward_detachments {
            let refills = Range {
                what: "refills",
                ..between(0.0, 100.0)
            };
            c.num(
                "forward_detachments.below_refills",
                &f.below_refills,
                refills,
            );
            c.num("forward_detachments.fill_refills", &f.fill_refills, refills);
        }
        c.list("believed_enemy", &self.believed_enemy);
        for (i, a) in self.axes.iter().enumerate() {
            if a.abreast == 0 || a.abreast > a.objectives.len().max(1) {
                c.problem(
                    &format!("axes[{i}].abreast"),
                    format!(
                        "is {}, expected 1 to the axis's {} objectives",
                        a.abreast,
                        a.objectives.len()
                    ),
                );
            }
        }
    }
}

impl Ranged for BelievedEnemy {
    fn ranges(&self, c: &mut Checker) {
        c.sub("at", &self.at);
        fields!(c, self; men: NON_NEGATIVE);
    }
}

impl Ranged for ScenarioFile {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self; turn_hours: Range { what: "hours", ..between(1.0, 12.0) });
        for (i, f) in self.formations.iter().enumerate() {
            c.sub(&format!("formations[{i}].hq"), &f.hq);
        }
        for (i, u) in self.units.iter().enumerate() {
            c.sub(&format!("units[{i}].at"), &u.at);
        }
        for (i, d) in self.combat_shares.iter().enumerate() {
            c.num(&format!("combat_shares[{i}].share"), &d.share, SHARE);
        }
        let objectives = self
            .briefing
            .iter()
            .flat_map(|b| {
                b.objectives
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (format!("briefing.objectives[{i}]"), o))
            })
            .chain(self.victory.iter().flat_map(|v| {
                v.objectives
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (format!("victory.objectives[{i}]"), o))
            }));
        for (at, o) in objectives {
            let at = format!("{at}.goal");
            match &o.goal {
                Goal::KeepFuel { refills, .. } => {
                    c.num(&format!("{at}.refills"), refills, between(0.0, 100.0))
                }
                Goal::Airlift { tons, .. } => c.num(&format!("{at}.tons"), tons, NON_NEGATIVE),
                Goal::Capture { .. }
                | Goal::Hold { .. }
                | Goal::LimitLosses { .. }
                | Goal::InflictLosses { .. }
                | Goal::SaveForces { .. } => {}
            }
        }
        if let Some(v) = &self.victory {
            for (i, l) in v.levels.iter().enumerate() {
                c.num(
                    &format!("victory.levels[{i}].share"),
                    &l.share,
                    between(0.0, 1.0),
                );
            }
        }
        if let Some(b) = &self.briefing {
            for (i, h) in b.history.iter().enumerate() {
                c.num(
                    &format!("briefing.history[{i}].refills"),
                    &h.refills,
                    between(0.0, 100.0),
                );
            }
        }
    }
}

impl Ranged for MapFile {
    fn ranges(&self, c: &mut Checker) {
        // The grid's own figures (hex size, bounds, projection, fortification levels) are
        // checked with the grid in `map_build`, which also bounds its size.
        for (i, r) in self.railways.iter().enumerate() {
            c.num(
                &format!("railways[{i}].capacity_t_per_day"),
                &r.capacity_t_per_day,
                NON_NEGATIVE,
            );
        }
        for (i, p) in self.places.iter().enumerate() {
            c.num(&format!("places[{i}].value"), &p.value, between(0.0, 1e6));
        }
        for (i, f) in self.fortified_regions.iter().enumerate() {
            c.num(
                &format!("fortified_regions[{i}].firing_points"),
                &f.firing_points,
                NON_NEGATIVE,
            );
        }
    }
}
