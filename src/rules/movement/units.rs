//! What the movement rules read of a unit ([`UnitView`], [`snapshot`]) and the figures its kind
//! and mobility give: stacking, how it moves now, its allowance and its fuel burn.

use bevy::prelude::*;

use crate::model::*;
use crate::scenario::schema::{KindDef, Mobility, RulesFile};

/// What the movement rules need to know about one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    pub id: UnitId,
    pub name: String,
    pub side: Side,
    pub kind: UnitKind,
    pub hex: Hex,
    pub strength: Strength,
    pub fuel_t: f64,
    pub readiness: f64,
    pub destination: Option<Hex>,
}

/// Every unit in the field, sorted by id: a stable order, whatever the ECS's iteration
/// order is.
pub fn snapshot(world: &mut World) -> Vec<UnitView> {
    let mut q = world.query_filtered::<(
        &UnitId,
        &UnitName,
        &Allegiance,
        &Kind,
        &Position,
        &Strength,
        &Stocks,
        &Readiness,
        Option<&Destination>,
    ), InField>();
    views(q.iter(world))
}

/// What a [`UnitView`] is read from: a unit's components, as a query of them yields them.
pub type ViewParts<'a> = (
    &'a UnitId,
    &'a UnitName,
    &'a Allegiance,
    &'a Kind,
    &'a Position,
    &'a Strength,
    &'a Stocks,
    &'a Readiness,
    Option<&'a Destination>,
);

/// `rows` as views, sorted by id: [`snapshot`] for systems that hold their own query (of the
/// units [`InField`]).
pub fn views<'a>(rows: impl Iterator<Item = ViewParts<'a>>) -> Vec<UnitView> {
    let mut v: Vec<UnitView> = rows
        .map(|(id, n, a, k, p, s, st, r, d)| UnitView {
            id: *id,
            name: n.0.clone(),
            side: a.side,
            kind: k.0,
            hex: p.0,
            strength: *s,
            fuel_t: st.fuel_t,
            readiness: r.0,
            destination: d.map(|d| d.0),
        })
        .collect();
    v.sort_by_key(|u| u.id);
    v
}

pub fn kind_def(rules: &RulesFile, kind: UnitKind) -> KindDef {
    rules.unit_kinds.get(&kind).copied().unwrap_or(KindDef {
        mobility: Mobility::Foot,
        stacking: 1,
        marches_without_fuel: true,
    })
}

pub fn stacking_points(rules: &RulesFile, kind: UnitKind) -> u32 {
    kind_def(rules, kind).stacking
}

/// How the unit moves now: its own means, or on foot when its vehicles have no fuel; `None`
/// when it cannot move at all.
pub fn effective_mobility(rules: &RulesFile, u: &UnitView) -> Option<Mobility> {
    let k = kind_def(rules, u.kind);
    let needs_fuel = matches!(k.mobility, Mobility::Motorised | Mobility::Tracked);
    if needs_fuel && u.fuel_t <= 1e-6 && burn_t_per_km(rules, &u.strength) > 0.0 {
        k.marches_without_fuel.then_some(Mobility::Foot)
    } else {
        Some(k.mobility)
    }
}

/// Movement allowance for one turn, km of movement cost.
pub fn allowance_km(rules: &RulesFile, mobility: Mobility, turn_hours: u32) -> f64 {
    rules.march_km_per_12h.get(mobility).unwrap_or(0.0) * turn_hours as f64 / 12.0
}

/// Fuel a unit's tanks and vehicles burn per km of movement cost, t.
pub fn burn_t_per_km(rules: &RulesFile, s: &Strength) -> f64 {
    let v = &rules.vehicles;
    (s.tanks as f64 * v.tank_refill_t * v.tank_refills_per_100km
        + s.vehicles as f64 * v.vehicle_refill_t * v.vehicle_refills_per_100km)
        / 100.0
}

/// Rounds to `digits` decimals, so reports and logs carry no floating-point noise.
pub fn round_to(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}
