//! The ranges of the rules file's figures: movement costs, unit kinds, vehicles, supply,
//! combat, weather effects and the optional rules.

use crate::scenario::schema::*;

use super::{
    Checker, FACTOR, MULTIPLE, NON_NEGATIVE, OPEN_SHARE, POSITIVE, Range, Ranged, SHARE, between,
    fields,
};

pub const MAX_SIGHT_HEXES: f64 = 20.0;

/// A figure of each mobility class, each in `r` where given (`None` is impassable).
struct Mobilities<'a>(&'a PerMobility, Range);

impl Ranged for Mobilities<'_> {
    fn ranges(&self, c: &mut Checker) {
        let (p, r) = (self.0, self.1);
        fields!(c, p; foot: r, horse: r, motorised: r, tracked: r);
    }
}

impl Ranged for RulesFile {
    fn ranges(&self, c: &mut Checker) {
        // A march of more than 1,000 km in 12 hours is no march at all.
        let speed = Range {
            hi: 1000.0,
            what: "km per 12 hours",
            ..POSITIVE
        };
        c.sub(
            "march_km_per_12h",
            &Mobilities(&self.march_km_per_12h, speed),
        );
        for (k, v) in &self.terrain_cost {
            c.sub(&format!("terrain_cost.{k:?}"), &Mobilities(v, MULTIPLE));
        }
        for (k, v) in &self.road_cost {
            c.sub(&format!("road_cost.{k:?}"), &Mobilities(v, MULTIPLE));
        }
        c.sub("rail_bed_cost", &Mobilities(&self.rail_bed_cost, MULTIPLE));
        c.map("road_terrain_factor", &self.road_terrain_factor, MULTIPLE);
        c.sub("pass_cost", &Mobilities(&self.pass_cost, MULTIPLE));
        for (k, v) in &self.river_crossing {
            if let Crossing::Km(km) = v {
                c.num(&format!("river_crossing.{k:?}.0"), km, between(0.0, 1000.0));
            }
        }
        fields!(c, self;
            pass_road_factor: MULTIPLE,
            bridged_crossing_km: between(0.0, 1000.0),
            stacking_limit: between(1.0, 1000.0),
            zoc_min_readiness: SHARE,
        );
        c.map_of("unit_kinds", &self.unit_kinds);
        c.sub("vehicles", &self.vehicles);
        c.sub("supply", &self.supply);
        c.sub("combat", &self.combat);
        for (k, v) in &self.weather {
            c.sub(&format!("weather.{k:?}"), v);
        }
        if let Some(f) = &self.fog {
            c.sub("fog", f);
        }
        if let Some(x) = &self.air_landing {
            c.sub("air_landing", x);
        }
        if let Some(x) = &self.desertion {
            c.sub("desertion", x);
        }
        if let Some(x) = &self.air_strikes {
            c.sub("air_strikes", x);
        }
        if let Some(x) = &self.sea_landing {
            c.sub("sea_landing", x);
        }
    }
}

impl Ranged for KindDef {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self; stacking: between(0.0, 100.0));
    }
}

impl Ranged for VehicleDef {
    fn ranges(&self, c: &mut Checker) {
        let tons = Range {
            hi: 100.0,
            what: "tons",
            ..POSITIVE
        };
        let refills = Range {
            hi: 100.0,
            what: "refills per 100 km",
            ..POSITIVE
        };
        let load = Range {
            hi: 1000.0,
            what: "tons",
            ..NON_NEGATIVE
        };
        fields!(c, self;
            tank_refill_t: tons,
            vehicle_refill_t: tons,
            tank_refills_per_100km: refills,
            vehicle_refills_per_100km: refills,
            ammo_t_per_gun: load,
            ammo_t_per_mrl: load,
            ammo_t_per_tank: load,
            ammo_t_per_1000_men: load,
        );
    }
}

impl Ranged for SupplyRules {
    fn ranges(&self, c: &mut Checker) {
        let days = between(0.0, 365.0);
        let km = Range {
            hi: 10_000.0,
            what: "km",
            ..POSITIVE
        };
        fields!(c, self;
            food_t_per_1000_men_day: between(0.0, 1000.0),
            food_days_carried: days,
            rail_share_fuel: SHARE,
            rail_share_ammo: SHARE,
            rail_share_food: SHARE,
            truck_capacity_t: Range { hi: 100.0, what: "tons", ..POSITIVE },
            truck_speed_km_h: Range { hi: 200.0, what: "km/h", ..POSITIVE },
            truck_hours_per_day: Range { hi: 24.0, what: "hours", ..POSITIVE },
            max_haul_km: km,
            local_haul_km: Range { lo_open: false, ..km },
            rail_repair_days: days,
            hunger_readiness_per_day: SHARE,
            hunger_men_per_day: SHARE,
        );
    }
}

impl Ranged for CombatRules {
    fn ranges(&self, c: &mut Checker) {
        let value = between(0.0, 1000.0);
        let hours = between(0.0, 10_000.0);
        fields!(c, self;
            value_per_1000_men: value,
            value_per_tank: value,
            value_per_gun: value,
            value_per_mrl: value,
            readiness_floor: SHARE,
            low_readiness: SHARE,
            low_readiness_factor: FACTOR,
            place_defence: MULTIPLE,
            fort_defence_per_level: FACTOR,
            ammo_floor: SHARE,
            ammo_loads_attacker: between(0.0, 100.0),
            ammo_loads_defender: between(0.0, 100.0),
            air_superiority_bonus: FACTOR,
            air_superiority_ratio: MULTIPLE,
            rain_attack: MULTIPLE,
            surprise_hours: hours,
            surprise_defence: MULTIPLE,
            surprise_contact: SHARE,
            odds_sigma: between(0.0, 10.0),
            attacker_loss_at_even: SHARE,
            defender_loss_at_even: SHARE,
            max_loss: SHARE,
            tank_loss_factor: FACTOR,
            retreat_odds: MULTIPLE,
            rout_odds: MULTIPLE,
            rout_readiness: SHARE,
            attack_readiness: SHARE,
            fort_holds_level: between(0.0, 10.0),
            works_tank_share: SHARE,
            works_storm_odds: MULTIPLE,
            works_loss_share: SHARE,
            works_town_share: OPEN_SHARE,
            surrender_readiness: SHARE,
            destroyed_below: SHARE,
            ceasefire_relay_hours: hours,
            ceasefire_cut_off_daily_chance: SHARE,
            ceasefire_never_reached: SHARE,
            ceasefire_surrender_hours: hours,
            ceasefire_delay_sigma: between(0.0, 3.0),
            prisoners_accept_hexes: between(0.0, 50.0),
        );
        c.map("terrain_defence", &self.terrain_defence, MULTIPLE);
        c.map("river_defence", &self.river_defence, MULTIPLE);
        c.map("killed_share", &self.killed_share, SHARE);
    }
}

impl Ranged for WeatherEffect {
    fn ranges(&self, c: &mut Checker) {
        c.sub("ground_cost", &Mobilities(&self.ground_cost, MULTIPLE));
        fields!(c, self; main_road_cost: MULTIPLE, truck_speed: FACTOR, flying: FACTOR);
    }
}

impl Ranged for FogRules {
    fn ranges(&self, c: &mut Checker) {
        let sight = Range {
            what: "hexes",
            ..between(0.0, MAX_SIGHT_HEXES)
        };
        c.map("sight_hexes", &self.sight_hexes, sight);
        c.map(
            "terrain_sight",
            &self.terrain_sight,
            between(-MAX_SIGHT_HEXES, MAX_SIGHT_HEXES),
        );
        c.map("agents", &self.agents, NON_NEGATIVE);
        fields!(c, self;
            default_sight_hexes: sight,
            recon_km: between(0.0, 5000.0),
            recon_min_aircraft: NON_NEGATIVE,
            estimate_men_round: between(1.0, 1e6),
        );
    }
}

impl Ranged for AirLandingRules {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            max_men: NON_NEGATIVE,
            t_per_man: Range { hi: 10.0, what: "tons", ..POSITIVE },
            failed_loss: SHARE,
        );
    }
}

impl Ranged for DesertionRules {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            daily_chance: SHARE,
            near_hexes: between(0.0, MAX_SIGHT_HEXES),
            near_factor: FACTOR,
            low_readiness_factor: FACTOR,
            desert_share: SHARE,
            mutiny_share: SHARE,
        );
    }
}

impl Ranged for AirStrikeRules {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self;
            aircraft: NON_NEGATIVE,
            sorties_per_day: NON_NEGATIVE,
            aircraft_per_attack: POSITIVE,
            range_km: between(0.0, 5000.0),
            hit_chance: SHARE,
        );
    }
}

impl Ranged for SeaLandingRules {
    fn ranges(&self, c: &mut Checker) {
        fields!(c, self; landing_attack: MULTIPLE, gunfire_per_gun: FACTOR);
    }
}
