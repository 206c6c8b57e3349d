//! Loading the rules file, and the figures every load derives from it (a refill's and an
//! ammunition load's tonnage).

use std::path::Path;

use crate::scenario::diag::{Diagnostic, Severity, SourceText, parse_ron};
use crate::scenario::ranges::check_ranges;
use crate::scenario::schema::{RulesFile, TerrainKind, UnitKind, Weather};

use super::read_source;

pub fn load_rules(path: &Path) -> Result<RulesFile, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_rules_source(&src)
}

/// [`load_rules`] from text already read.
pub fn load_rules_source(src: &SourceText) -> Result<RulesFile, Vec<Diagnostic>> {
    let rules: RulesFile = parse_ron(src).map_err(|d| vec![d])?;
    let mut d = Vec::new();
    for kind in ALL_UNIT_KINDS {
        if !rules.unit_kinds.contains_key(kind) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "unit_kinds"),
                format!("unit_kinds has no entry for {kind:?}"),
            ));
        }
    }
    for t in &TerrainKind::ALL {
        if !rules.terrain_cost.contains_key(t) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "terrain_cost"),
                format!("terrain_cost has no entry for {t:?}"),
            ));
        }
    }
    d.extend(check_ranges(src, &rules));
    for w in ALL_WEATHER {
        if !rules.weather.contains_key(w) {
            d.push(src.at_offset(
                Severity::Error,
                src.key(0, "weather"),
                format!("weather has no entry for {w:?}"),
            ));
        }
    }
    let sp = &rules.supply;
    let share = sp.rail_share_fuel + sp.rail_share_ammo + sp.rail_share_food;
    if (share - 1.0).abs() > 1e-6 {
        d.push(src.at_path(
            Severity::Error,
            "supply.rail_share_fuel",
            format!(
                "the rail shares of fuel, ammunition and food add up to {}, not 1.0",
                crate::scenario::diag::figure(share)
            ),
        ));
    }
    if d.is_empty() { Ok(rules) } else { Err(d) }
}

pub const ALL_UNIT_KINDS: &[UnitKind] = &[
    UnitKind::RifleDivision,
    UnitKind::MotorRifleDivision,
    UnitKind::TankDivision,
    UnitKind::TankCorps,
    UnitKind::MechanizedCorps,
    UnitKind::TankBrigade,
    UnitKind::MotorRifleBrigade,
    UnitKind::RifleBrigade,
    UnitKind::CavalryDivision,
    UnitKind::ArtilleryDivision,
    UnitKind::ArtilleryBrigade,
    UnitKind::AntiTankBrigade,
    UnitKind::FortifiedRegionGarrison,
    UnitKind::NavalInfantryBrigade,
    UnitKind::SupportGroup,
    UnitKind::InfantryDivision,
    UnitKind::IndependentMixedBrigade,
    UnitKind::IndependentTankBrigade,
    UnitKind::BorderGarrison,
    UnitKind::CavalryBrigade,
    UnitKind::AirborneDetachment,
];

pub const ALL_WEATHER: &[Weather] = &[Weather::Rain, Weather::Downpour];

/// Tons of one refill of fuel for a unit's tanks and vehicles.
pub fn refill_t(rules: &RulesFile, tanks: u32, vehicles: u32) -> f64 {
    tanks as f64 * rules.vehicles.tank_refill_t + vehicles as f64 * rules.vehicles.vehicle_refill_t
}

/// Tons of one combat load of ammunition.
pub fn ammo_load_t(rules: &RulesFile, men: u32, guns: u32, mrl: u32, tanks: u32) -> f64 {
    let v = &rules.vehicles;
    guns as f64 * v.ammo_t_per_gun
        + mrl as f64 * v.ammo_t_per_mrl
        + tanks as f64 * v.ammo_t_per_tank
        + men as f64 / 1000.0 * v.ammo_t_per_1000_men
}
