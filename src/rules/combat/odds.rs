//! The odds of an attack: each side's combat value, and every factor that multiplies it
//! (ground, fortification, river, air superiority, ammunition, readiness, surprise, weather),
//! with the account of them that the attack preview shows.

use bevy::prelude::*;

use crate::model::logistics::{CurrentWeather, Weather};
use crate::model::*;
use crate::rules::movement::UnitView;
use crate::scenario::schema::{CombatRules, RulesFile};
use crate::scenario::spawn::Rules;
use crate::scenario::whatif::Switches;

/// A unit's combat value before terrain and circumstance.
pub fn base_value(c: &CombatRules, s: &Strength, readiness: f64) -> f64 {
    value_with_tanks(c, s, readiness, 1.0)
}

/// A unit's combat value with its tanks counted at `tank_share` of their worth (against
/// permanent works).
fn value_with_tanks(c: &CombatRules, s: &Strength, readiness: f64, tank_share: f64) -> f64 {
    let raw = s.men as f64 / 1000.0 * c.value_per_1000_men
        + s.tanks as f64 * c.value_per_tank * tank_share
        + s.guns as f64 * c.value_per_gun
        + s.mrl as f64 * c.value_per_mrl;
    let mut v = raw * (c.readiness_floor + (1.0 - c.readiness_floor) * readiness.clamp(0.0, 1.0));
    if readiness < c.low_readiness {
        v *= c.low_readiness_factor;
    }
    v
}

/// How much the ground multiplies a defence: its terrain, a town, its fortification.
pub fn ground_defence(c: &CombatRules, cell: &crate::model::map::Cell) -> f64 {
    let mut d = c.terrain_defence.get(&cell.terrain).copied().unwrap_or(1.0);
    if cell.place.is_some() {
        d *= c.place_defence;
    }
    d * (1.0 + c.fort_defence_per_level * cell.fort_level as f64)
}

/// Whether the surprised side's commanders are still away.
pub fn in_surprise(world: &World) -> bool {
    let cal = world.resource::<Calendar>();
    let rules = &world.resource::<Rules>().0;
    world
        .resource::<Switches>()
        .on(crate::scenario::whatif::Switch::Surprise)
        && ((cal.now() - cal.start).num_minutes() as f64) < rules.combat.surprise_hours * 60.0
}

/// Whether a unit takes orders: always, except that in the surprise a unit of the surprised
/// side is in touch with its command only with the rules' `surprise_contact` chance, drawn
/// for each unit and turn from the game's seed (not from the game's random stream, so that
/// asking changes nothing: the window, the AI and the rules all get the same answer).
pub fn in_contact(world: &World, unit: UnitId, side: Side) -> bool {
    let c = &world.resource::<Rules>().0.combat;
    if side != c.surprised || !in_surprise(world) {
        return true;
    }
    let seed = world.resource::<crate::scenario::spawn::GameSetup>().seed;
    let turn = world.resource::<Calendar>().turn;
    contact_draw(seed, turn, unit) < c.surprise_contact
}

/// A uniform draw in [0, 1) fixed by the seed, the turn and the unit.
fn contact_draw(seed: u64, turn: u32, unit: UnitId) -> f64 {
    crate::rules::dice::keyed_uniform(&[seed, turn as u64, unit.0 as u64])
}

/// Whether a side has air superiority (by the combat aircraft of its air armies).
pub fn air_superiority(oob: &OrderOfBattle, rules: &RulesFile, side: Side) -> bool {
    let planes = |s: Side| -> f64 {
        oob.formations
            .iter()
            .filter(|f| f.side == s)
            .map(|f| (f.aircraft.saturating_sub(f.transport_aircraft)) as f64)
            .sum()
    };
    planes(side) > rules.combat.air_superiority_ratio * planes(side.enemy()).max(1.0)
}

/// The odds of an attack, with what went into them, for the attack order, the AI and the
/// GUI's preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Odds {
    pub attack: f64,
    pub defence: f64,
    pub ratio: f64,
    /// How many times better the odds would be against the town alone, without the
    /// permanent works of its hex (their fortification and their check on armour) and
    /// against the share of the garrison that defends it (`works_town_share`): the odds of
    /// taking the town while the garrison holds the works. 1 where there are none.
    pub without_works: f64,
}

#[allow(clippy::too_many_arguments)]
pub fn odds(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
) -> Odds {
    odds_noting(
        rules,
        map,
        weather,
        oob,
        attackers,
        defenders,
        target,
        surprise,
        |_| {},
    )
}

/// One thing that multiplied the attack or the defence, in words, for the odds' breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct OddsFactor {
    /// On the attack's side (else the defence's).
    pub attack: bool,
    pub what: String,
    pub times: f64,
}

/// The odds with every factor that went into them, for the attack preview.
#[allow(clippy::too_many_arguments)]
pub fn odds_explained(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
) -> (Odds, Vec<OddsFactor>) {
    let mut factors = Vec::new();
    let o = odds_noting(
        rules,
        map,
        weather,
        oob,
        attackers,
        defenders,
        target,
        surprise,
        |f| factors.push(f),
    );
    (o, factors)
}

/// The odds, telling `note` each factor (a no-op for the rules and the AI).
#[allow(clippy::too_many_arguments)]
fn odds_noting(
    rules: &RulesFile,
    map: &Map,
    weather: &CurrentWeather,
    oob: &OrderOfBattle,
    attackers: &[(UnitView, f64)],
    defenders: &[UnitView],
    target: Hex,
    surprise: bool,
    mut note: impl FnMut(OddsFactor),
) -> Odds {
    let c = &rules.combat;
    let Some(side) = attackers.first().map(|(u, _)| u.side) else {
        return Odds {
            attack: 0.0,
            defence: 1.0,
            ratio: 0.0,
            without_works: 1.0,
        };
    };
    let w = weather.at(map, target);
    let flying = rules.weather.get(&w).map_or(1.0, |e| e.flying);
    let cell = map.cell(target).expect("targets are on the map");
    let attack_with = |tank_share: f64| -> f64 {
        attackers
            .iter()
            .map(|(u, ammo_frac)| {
                value_with_tanks(c, &u.strength, u.readiness, tank_share)
                    * (c.ammo_floor + (1.0 - c.ammo_floor) * ammo_frac.clamp(0.0, 1.0))
            })
            .sum()
    };
    let in_field = attack_with(1.0);
    let mut factor = |attack: bool, what: String, times: f64| {
        if (times - 1.0).abs() > 1e-9 {
            note(OddsFactor {
                attack,
                what,
                times,
            });
        }
        times
    };
    let works = c.permanent_works(cell.fort_level);
    let mut attack = if works {
        let against_works = attack_with(c.works_tank_share);
        factor(
            true,
            "tanks against permanent works".into(),
            against_works / in_field.max(1e-9),
        );
        against_works
    } else {
        in_field
    };
    let without_works = if works {
        in_field / attack.max(1e-9) * (1.0 + c.fort_defence_per_level * cell.fort_level as f64)
            / c.works_town_share
    } else {
        1.0
    };
    if air_superiority(oob, rules, side) {
        attack *= factor(
            true,
            "air superiority".into(),
            1.0 + c.air_superiority_bonus * flying,
        );
    }
    if w != Weather::Dry {
        attack *= factor(true, format!("{w}"), c.rain_attack);
    }
    let mut defence: f64 = defenders
        .iter()
        .map(|u| base_value(c, &u.strength, u.readiness))
        .sum();
    // The ground's factor is applied whole, as the rules always have (the same rounding);
    // its parts are told one by one.
    factor(
        false,
        format!("{} ground", cell.terrain),
        c.terrain_defence.get(&cell.terrain).copied().unwrap_or(1.0),
    );
    if cell.place.is_some() {
        factor(false, "a town".into(), c.place_defence);
    }
    factor(
        false,
        format!("fortification (level {})", cell.fort_level),
        1.0 + c.fort_defence_per_level * cell.fort_level as f64,
    );
    defence *= ground_defence(c, cell);
    // A river protects only if every attacker must cross it.
    let rivers: Vec<_> = attackers
        .iter()
        .map(|(u, _)| map.edge(u.hex, target).and_then(|e| e.river))
        .collect();
    if !rivers.is_empty() && rivers.iter().all(Option::is_some) {
        let least = rivers
            .iter()
            .flatten()
            .min()
            .copied()
            .expect("all are rivers");
        defence *= factor(
            false,
            "a river every attacker must cross".into(),
            c.river_defence.get(&least).copied().unwrap_or(1.0),
        );
    }
    if surprise && defenders.first().is_some_and(|d| d.side == c.surprised) {
        defence *= factor(false, "surprise".into(), c.surprise_defence);
    }
    let defence = defence.max(1e-3);
    Odds {
        attack,
        defence,
        ratio: attack / defence,
        without_works,
    }
}
