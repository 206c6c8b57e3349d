//! The range every number of the data files must lie in, declared beside each schema struct,
//! and the one check that applies them for `check` and for every load.
//!
//! Each struct lists its numeric fields with their ranges ([`Ranged`]); the checker walks
//! the loaded value, and a figure out of range becomes a diagnostic at the figure itself,
//! found by its path in the text ([`SourceText::locate`]). So a share is between 0 and 1,
//! a speed or a capacity is more than zero and finite, wherever it is written.

use super::diag::{Diagnostic, Severity, SourceText, figure};

/// Largest figure any count, stock or distance may have: far above anything real, low
/// enough that sums and products of figures stay finite and exact to the ton.
pub const MAX_FIGURE: f64 = 1e9;

/// Where a figure must lie: from `lo` (excluded when `lo_open`) to `hi`, finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub lo_open: bool,
    pub hi: f64,
    /// What the range means, for the message ("a share", "a speed").
    pub what: &'static str,
}

/// A share or chance: 0 to 1.
pub const SHARE: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 1.0,
    what: "a share",
};
/// A speed, capacity, distance or rate that must be there: more than zero.
pub const POSITIVE: Range = Range {
    lo: 0.0,
    lo_open: true,
    hi: MAX_FIGURE,
    what: "",
};
/// A stock, count or distance that may be nothing: zero or more.
pub const NON_NEGATIVE: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: MAX_FIGURE,
    what: "",
};
/// A multiple of some other figure (a cost, a defence bonus): more than zero, at most 100.
pub const MULTIPLE: Range = Range {
    lo: 0.0,
    lo_open: true,
    hi: 100.0,
    what: "a multiple",
};
/// A multiple that may be zero (0 = none at all, as flying in a downpour).
pub const FACTOR: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 100.0,
    what: "a multiple",
};

/// Any other range.
pub const fn between(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: false,
        hi,
        what: "",
    }
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite()
            && (if self.lo_open {
                v > self.lo
            } else {
                v >= self.lo
            })
            && v <= self.hi
    }

    /// The range in words: "0 to 1", "more than 0".
    pub fn describe(&self) -> String {
        let (lo, hi) = (figure(self.lo), figure(self.hi));
        let core = match (self.lo_open, self.hi >= MAX_FIGURE) {
            (true, true) => format!("more than {lo}"),
            (false, true) => format!("{lo} or more"),
            (true, false) => format!("more than {lo} and at most {hi}"),
            (false, false) => format!("{lo} to {hi}"),
        };
        if self.what.is_empty() {
            core
        } else {
            format!("{core} ({})", self.what)
        }
    }
}

/// A number field as the checker reads it; `None` is a figure left out (an `Option`).
pub trait Figure {
    fn value(&self) -> Option<f64>;
}

macro_rules! figure_as_f64 {
    ($($t:ty),*) => { $(impl Figure for $t { fn value(&self) -> Option<f64> { Some(*self as f64) } })* };
}
figure_as_f64!(f64, f32, u8, u32, u64, i32, i64);

impl<T: Figure> Figure for Option<T> {
    fn value(&self) -> Option<f64> {
        self.as_ref().and_then(Figure::value)
    }
}

/// A schema struct whose numbers have ranges.
pub trait Ranged {
    fn ranges(&self, c: &mut Checker);
}

/// Lists fields with their ranges: `fields!(c, self; men: NON_NEGATIVE, readiness: SHARE)`.
#[macro_export]
macro_rules! range_fields {
    ($c:ident, $s:ident; $($f:ident: $r:expr),* $(,)?) => {
        $( $c.num(stringify!($f), &$s.$f, $r); )*
    };
}
pub use range_fields as fields;

/// A figure out of its range: where (the path in the file) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfRange {
    pub path: String,
    pub message: String,
}

/// Walks a value, collecting figures out of range.
#[derive(Debug, Default)]
pub struct Checker {
    prefix: String,
    pub problems: Vec<OutOfRange>,
}

impl Checker {
    fn path(&self, field: &str) -> String {
        if self.prefix.is_empty() {
            field.to_string()
        } else if field.starts_with('[') {
            format!("{}{field}", self.prefix)
        } else {
            format!("{}.{field}", self.prefix)
        }
    }

    /// A figure and its range.
    pub fn num(&mut self, field: &str, v: &dyn Figure, r: Range) {
        if let Some(x) = v.value()
            && !r.contains(x)
        {
            self.problem(
                field,
                format!("is {}, expected {}", figure(x), r.describe()),
            );
        }
    }

    /// A problem with a field that is not a plain range (a sum, an order of two figures).
    pub fn problem(&mut self, field: &str, message: String) {
        let path = self.path(field);
        self.problems.push(OutOfRange {
            message: format!("{path} {message}"),
            path,
        });
    }

    /// A nested struct.
    pub fn sub(&mut self, field: &str, v: &dyn Ranged) {
        let outer = std::mem::take(&mut self.prefix);
        self.prefix = if outer.is_empty() {
            field.to_string()
        } else if field.starts_with('[') {
            format!("{outer}{field}")
        } else {
            format!("{outer}.{field}")
        };
        v.ranges(self);
        self.prefix = outer;
    }

    /// A list of structs.
    pub fn list<T: Ranged>(&mut self, field: &str, v: &[T]) {
        for (i, x) in v.iter().enumerate() {
            self.sub(&format!("{field}[{i}]"), x);
        }
    }

    /// A map of figures keyed by kind, every one in the same range.
    pub fn map<K: std::fmt::Debug, V: Figure>(
        &mut self,
        field: &str,
        m: &std::collections::BTreeMap<K, V>,
        r: Range,
    ) {
        for (k, v) in m {
            self.num(&format!("{field}.{k:?}"), v, r);
        }
    }

    /// A map of structs keyed by kind.
    pub fn map_of<K: std::fmt::Debug, V: Ranged>(
        &mut self,
        field: &str,
        m: &std::collections::BTreeMap<K, V>,
    ) {
        for (k, v) in m {
            self.sub(&format!("{field}.{k:?}"), v);
        }
    }
}

/// Most figures out of range reported one by one; each is found by a walk over the text,
/// so a hostile file with a million bad figures is summed up rather than walked a million
/// times.
pub const MAX_REPORTED: usize = 50;

/// Every figure of `v` out of its range, as diagnostics at the figure in `src`.
pub fn check_ranges(src: &SourceText, v: &dyn Ranged) -> Vec<Diagnostic> {
    let mut c = Checker::default();
    v.ranges(&mut c);
    let more = c.problems.len().saturating_sub(MAX_REPORTED);
    let mut d: Vec<Diagnostic> = c
        .problems
        .into_iter()
        .take(MAX_REPORTED)
        .map(|p| src.at_path(Severity::Error, &p.path, p.message))
        .collect();
    if more > 0 {
        d.push(src.at_offset(
            Severity::Error,
            None,
            format!("and {more} more figures out of range"),
        ));
    }
    d
}

// ---------------------------------------------------------------------------------------------
// The ranges of each schema struct
// ---------------------------------------------------------------------------------------------

use super::schema::*;

/// Greatest sight of a unit, hexes: beyond the width of any theatre this game maps, and
/// what keeps the fog's work per turn bounded.
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
            surrender_readiness: SHARE,
            destroyed_below: SHARE,
            ceasefire_relay_hours: hours,
            ceasefire_cut_off_daily_chance: SHARE,
            ceasefire_surrender_hours: hours,
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
