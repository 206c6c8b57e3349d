//! The airlift: transport aviation flying fuel or ammunition from its bases to units that
//! have outrun their lorries, limited by aircraft, range, landing grounds and weather.

use bevy::prelude::*;

use super::movement::{UnitView, round_to};
use super::{ResolveTurn, TurnPhase};
use crate::model::logistics::*;
use crate::model::map::TerrainKind;
use crate::model::*;
use crate::scenario::schema::RulesFile;
use crate::scenario::spawn::Rules;
use crate::scenario::whatif::Switches;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(ResolveTurn, deliver_airlift.in_set(TurnPhase::Airlift));
}

/// Ground a transport can land on without an airfield (the rules' `landing_terrain`).
pub fn landing_ground(rules: &RulesFile, t: TerrainKind) -> bool {
    rules.landing_terrain.contains(&t)
}

/// Where transports can land what is flown to a unit of `side` at `hex`: in its own hex when
/// that is landing terrain, else at an airfield of its side in that hex or next to it (the
/// lowest such hex), whose lorries bring the load over. None: nowhere. The one test of
/// landing ground, for the rules, the AI, the window and `explain`.
pub fn landing_near(
    map: &Map,
    rules: &RulesFile,
    control: &Control,
    side: Side,
    hex: Hex,
) -> Option<Hex> {
    if map
        .cell(hex)
        .is_some_and(|c| landing_ground(rules, c.terrain))
    {
        return Some(hex);
    }
    let airfield = |h: &Hex| {
        map.cell(*h).and_then(|c| c.place).is_some_and(|p| {
            // Not an airfield whose works' garrison still holds out beside it.
            map.place(p).airfield
                && control.owner[p.0 as usize] == Some(side)
                && !control.besieged.contains(&p)
        })
    };
    std::iter::once(hex)
        .filter(airfield)
        .chain({
            let mut ring: Vec<Hex> = hex.neighbors().into_iter().filter(airfield).collect();
            ring.sort();
            ring
        })
        .next()
}

/// How much of its sorties transport aviation flies in this weather (0: grounded).
pub fn flying(rules: &RulesFile, w: Weather) -> f64 {
    rules.weather.get(&w).map_or(1.0, |e| e.flying)
}

/// Tons a fleet flies in a turn of `turn_hours` when `weather_factor` of its sorties can fly:
/// whole sorties, each with its payload. The one reckoning of an air fleet's lift, for the
/// rules, the AI, the window and `explain`.
pub fn turn_lift_t(fleet: &AirFleet, turn_hours: u32, weather_factor: f64) -> f64 {
    let sorties =
        fleet.aircraft as f64 * fleet.sorties_per_day * turn_hours as f64 / 24.0 * weather_factor;
    sorties.floor() * fleet.payload_t
}

/// Tons a fleet can still fly this turn, given the weather at the base and the landing
/// ground and what is already booked on it.
pub fn capacity_left(
    rules: &RulesFile,
    fleet: &AirFleet,
    fleet_index: usize,
    booked: &AirliftBooked,
    turn_hours: u32,
    weather_factor: f64,
) -> f64 {
    let _ = rules;
    (turn_lift_t(fleet, turn_hours, weather_factor)
        - booked.tons.get(&fleet_index).copied().unwrap_or(0.0))
    .max(0.0)
}

/// Checks an airlift order; on success returns the fleet index.
pub fn validate_airlift(
    world: &World,
    u: &UnitView,
    order: &Order,
) -> Result<usize, OrderRejected> {
    let Order::Airlift {
        air_army,
        base,
        cargo,
        tons,
        ..
    } = order
    else {
        unreachable!("only airlift orders come here")
    };
    let cal = world.resource::<Calendar>();
    let map = world.resource::<Map>();
    let rules = &world.resource::<Rules>().0;
    let oob = world.resource::<OrderOfBattle>();
    let fleets = &world.resource::<AirTransport>().fleets;
    let name = oob
        .formations
        .get(air_army.0 as usize)
        .map_or_else(|| format!("formation #{}", air_army.0), |f| f.name.clone());
    if !world
        .resource::<Switches>()
        .on(crate::scenario::whatif::Switch::Airlift)
    {
        return Err(OrderRejected::AirliftDisabled);
    }
    let Some(fi) = fleets
        .iter()
        .position(|f| f.formation == *air_army && f.side == cal.active && f.aircraft > 0)
    else {
        return Err(OrderRejected::NotAnAirArmy { name });
    };
    let fleet = &fleets[fi];
    if !(*tons > 0.0 && tons.is_finite()) {
        return Err(OrderRejected::BadTonnage { tons: *tons });
    }
    let Some(base_place) = map.places.get(base.0 as usize) else {
        return Err(OrderRejected::NotABase {
            air_army: name,
            base: format!("place #{}", base.0),
            bases: base_names(map, fleet),
        });
    };
    if !fleet.bases.contains(base) {
        return Err(OrderRejected::NotABase {
            air_army: name,
            base: base_place.name.clone(),
            bases: base_names(map, fleet),
        });
    }
    if world.resource::<Control>().owner[base.0 as usize] != Some(cal.active) {
        return Err(OrderRejected::BaseLost {
            base: base_place.name.clone(),
        });
    }
    let distance = base_place.at.distance_km(map.center(u.hex));
    if distance > fleet.range_km {
        return Err(OrderRejected::OutOfRange {
            unit: u.name.clone(),
            air_army: name,
            base: base_place.name.clone(),
            distance,
            range: fleet.range_km,
        });
    }
    let cell = map.cell(u.hex).expect("units stand on the map");
    let control = world.resource::<Control>();
    if landing_near(map, rules, control, cal.active, u.hex).is_none() {
        return Err(OrderRejected::NoLandingGround {
            unit: u.name.clone(),
            terrain: cell.terrain,
        });
    }
    let weather = world.resource::<CurrentWeather>();
    let (wb, wu) = (
        flying(rules, weather.at(map, base_place.hex)),
        flying(rules, weather.at(map, u.hex)),
    );
    if wb <= 0.0 || wu <= 0.0 {
        let place = if wb <= 0.0 {
            base_place.name.clone()
        } else {
            u.name.clone()
        };
        return Err(OrderRejected::Grounded {
            air_army: name,
            place,
        });
    }
    let booked = world.resource::<AirliftBooked>();
    let left = capacity_left(rules, fleet, fi, booked, cal.turn_hours, wb.min(wu));
    if *tons > left + 1e-9 {
        return Err(OrderRejected::AirliftCapacity {
            air_army: name,
            requested: *tons,
            available: left,
            sorties: (left / fleet.payload_t).floor() as u32,
        });
    }
    let depots = world.resource::<Depots>();
    let stock = depots
        .depots
        .iter()
        .filter(|d| d.hex == base_place.hex && d.side == cal.active)
        .map(|d| match cargo {
            Cargo::Fuel => d.fuel_t,
            Cargo::Ammunition => d.ammo_t,
        })
        .sum::<f64>();
    if stock < *tons {
        return Err(OrderRejected::BaseStock {
            base: base_place.name.clone(),
            cargo: match cargo {
                Cargo::Fuel => "fuel".into(),
                Cargo::Ammunition => "ammunition".into(),
            },
            requested: *tons,
            available: stock,
        });
    }
    Ok(fi)
}

fn base_names(map: &Map, fleet: &AirFleet) -> String {
    fleet
        .bases
        .iter()
        .map(|b| map.place(*b).name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Flies the airlifts ordered this phase: stores leave the base depot and land with the unit.
#[allow(clippy::too_many_arguments)]
pub fn deliver_airlift(
    cal: Res<Calendar>,
    map: Res<Map>,
    pending: Res<PendingOrders>,
    transport: Res<AirTransport>,
    index: Res<super::index::UnitIndex>,
    mut depots: ResMut<Depots>,
    mut ledger: ResMut<FuelLedger>,
    mut booked: ResMut<AirliftBooked>,
    mut log: ResMut<EventLog>,
    mut stocks: Query<&mut Stocks>,
) {
    let mut events = Vec::new();
    for o in &pending.orders {
        let Order::Airlift {
            air_army,
            base,
            to,
            cargo,
            tons,
        } = *o
        else {
            continue;
        };
        let Some(fleet) = transport.fleets.iter().find(|f| f.formation == air_army) else {
            continue;
        };
        let base_place = map.place(base);
        let mut got = 0.0;
        for d in depots
            .depots
            .iter_mut()
            .filter(|d| d.hex == base_place.hex && d.side == cal.active)
        {
            let stock = match cargo {
                Cargo::Fuel => &mut d.fuel_t,
                Cargo::Ammunition => &mut d.ammo_t,
            };
            let take = (tons - got).min(*stock).max(0.0);
            *stock -= take;
            got += take;
        }
        if let Some(mut s) = index.get(to).and_then(|e| stocks.get_mut(e).ok()) {
            match cargo {
                Cargo::Fuel => s.fuel_t += got,
                Cargo::Ammunition => s.ammo_t += got,
            }
        }
        let sorties = (got / fleet.payload_t).ceil() as u32;
        let l = ledger.side(cal.active);
        if cargo == Cargo::Fuel {
            l.airlifted_t += got;
        }
        l.sorties += sorties as u64;
        events.push(GameEvent::AirliftDelivered {
            air_army: fleet.name.clone(),
            base: base_place.name.clone(),
            unit: to,
            cargo,
            tons: round_to(got, 2),
            sorties,
        });
    }
    super::log_at(&mut log, &cal, events);
    booked.tons.clear();
}
