//! Reports derived from the event log and the world: the JSON campaign report of `simulate`
//! and the order-of-battle summary of `info`.

pub mod batch;
pub mod class_notes;
pub mod compare;
pub mod debrief;
pub mod depth;
pub mod explain;
pub mod outputs;
pub mod plots;
pub mod sensitivity;
pub mod stats;
pub mod svg;
pub mod sweep;
pub mod victory;
/// Number and kind wording lives with the model (the rules' messages use it too).
pub use crate::model::words;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::*;
use crate::rules::Game;
use crate::scenario::Scenario;
use crate::scenario::spawn::GameSetup;
use bevy::prelude::World;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CampaignReport {
    pub scenario: String,
    pub seed: u64,
    pub what_ifs: Vec<String>,
    /// Local time the campaign started.
    pub start: String,
    /// Local time the simulation stopped.
    pub end: String,
    pub places: Vec<PlaceReport>,
    /// This game's weather, as its seed drew it from the scenario's climate.
    pub weather: Vec<WeatherReport>,
    pub control_changes: Vec<ControlChange>,
    pub losses: Losses,
    pub logistics: Logistics,
    /// Each army-level formation's fuel, men and tanks at the end of every turn.
    pub timeline: Vec<TimelineRow>,
    /// Objectives and the fuel picture against 1945, for teaching scenarios.
    pub debrief: Option<debrief::Debrief>,
    /// Each side's objectives and the level of victory they earn, where the scenario has any.
    pub victory: Option<victory::Victory>,
    pub events: Vec<LoggedEvent>,
}

/// A span of this game's weather: what fell, from when to when (local time).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WeatherReport {
    pub name: String,
    pub weather: crate::model::logistics::Weather,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceReport {
    pub name: String,
    pub initial_owner: Option<Side>,
    /// When the place was first taken from the side that held it at the start (a place no
    /// side held: first taken by either), or null.
    pub captured: Option<String>,
    /// Where the place stands in permanent works: the first time its works were taken from
    /// the side that held them at the start (with the town, or after it when the garrison
    /// held out in them), or null. Left out for other places.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub works_taken: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ControlChange {
    pub place: String,
    pub time: String,
    pub from: Option<Side>,
    pub to: Side,
    pub unit: String,
}

/// Each side's losses. In a side's view of the campaign the enemy's are unknown, and left
/// out of the JSON report.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Losses {
    #[serde(skip_serializing_if = "SovietLosses::is_unknown")]
    pub soviet: SovietLosses,
    #[serde(skip_serializing_if = "JapaneseLosses::is_unknown")]
    pub japanese: JapaneseLosses,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct SovietLosses {
    pub killed: u64,
    pub wounded: u64,
    pub tanks: u64,
    pub aircraft: u64,
    /// The viewing side does not know these figures (they are zero, not counted).
    #[serde(skip)]
    pub unknown: bool,
}

impl SovietLosses {
    fn is_unknown(&self) -> bool {
        self.unknown
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct JapaneseLosses {
    pub killed: u64,
    pub wounded: u64,
    /// Men of every nation of the side taken prisoner by Soviet troops.
    pub prisoners: u64,
    /// Of them, men of the Japanese army: the figure the sources count.
    pub army_prisoners: u64,
    /// Men who laid down their arms where no Soviet troops had reached them by the end.
    pub surrendered_unreached: u64,
    /// Men who deserted, or left in mutiny.
    pub deserted: u64,
    /// Units still under arms that never heard the order to cease fire (counted once it
    /// has reached the high command), and their men: the pockets fighting on.
    pub holding_out: u64,
    pub holding_out_men: u64,
    /// The same figures nation by nation, for the nations that had any.
    pub by_nation: Vec<NationLosses>,
    pub tanks: u64,
    pub aircraft: u64,
    /// The viewing side does not know these figures (they are zero, not counted).
    #[serde(skip)]
    pub unknown: bool,
}

impl JapaneseLosses {
    fn is_unknown(&self) -> bool {
        self.unknown
    }
}

/// What became of one nation's men besides battle: prisoners, surrendered unreached,
/// deserted and mutinied.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NationLosses {
    pub nation: Nation,
    pub prisoners: u64,
    pub surrendered_unreached: u64,
    pub deserted: u64,
    pub mutinied: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Logistics {
    pub fuel_consumed_t: f64,
    pub fuel_airlifted_t: f64,
    pub airlift_sorties: u64,
}

/// The report of a game so far, derived from its events.
impl CampaignReport {
    /// An army-level formation's fuel on hand in refills at the end of each turn, from the
    /// timeline (empty for a name it does not record).
    pub fn refills_of(&self, formation: &str) -> Vec<f64> {
        self.timeline
            .iter()
            .filter(|r| r.formation == formation)
            .map(|r| r.refills)
            .collect()
    }
}

pub fn campaign_report(game: &mut Game) -> CampaignReport {
    campaign_report_in(game.world_mut())
}

/// The report of a game held in any world (the window's too).
pub fn campaign_report_in(world: &mut World) -> CampaignReport {
    let debrief = debrief::debrief_in(world);
    let victory = victory::victory_in(world);
    let setup = world.resource::<GameSetup>().clone();
    let cal = world.resource::<Calendar>().clone();
    let map = world.resource::<Map>();
    let control = world.resource::<Control>();
    let events = world.resource::<EventLog>().events.clone();
    let combat = &world.resource::<crate::scenario::spawn::Rules>().0.combat;
    let places = map
        .places
        .iter()
        .map(|p| PlaceReport {
            name: p.name.clone(),
            initial_owner: p.initial_owner,
            captured: control.first_taken[p.id.0 as usize].clone(),
            works_taken: works_taken(map, combat, &events, p),
        })
        .collect();
    let weather = world
        .resource::<crate::model::logistics::WeatherSchedule>()
        .spans
        .iter()
        .map(|w| WeatherReport {
            name: w.name.clone(),
            weather: w.weather,
            from: time::iso_local(w.from),
            to: time::iso_local(w.to),
        })
        .collect();
    let mut q = world.query::<(&UnitId, &UnitName)>();
    let names: BTreeMap<UnitId, String> = q.iter(world).map(|(i, n)| (*i, n.0.clone())).collect();
    let mut control_changes = Vec::new();
    let mut losses = Losses::default();
    let mut qs = world.query::<(&UnitId, &Allegiance)>();
    let allegiance: BTreeMap<UnitId, Allegiance> = qs.iter(world).map(|(i, a)| (*i, *a)).collect();
    let sides: BTreeMap<UnitId, Side> = allegiance.iter().map(|(i, a)| (*i, a.side)).collect();
    // What became of the Japanese side's men besides battle, nation by nation.
    let mut nations: BTreeMap<Nation, NationLosses> = BTreeMap::new();
    let mut count = |unit: &UnitId, add: &dyn Fn(&mut NationLosses)| {
        if let Some(a) = allegiance.get(unit).filter(|a| a.side == Side::Japanese) {
            add(nations.entry(a.nation).or_insert(NationLosses {
                nation: a.nation,
                prisoners: 0,
                surrendered_unreached: 0,
                deserted: 0,
                mutinied: 0,
            }));
        }
    };
    for e in &events {
        match &e.event {
            GameEvent::Battle {
                attackers,
                attacker_losses,
                defender_losses,
                ..
            } => {
                let attacker_side = attackers.first().and_then(|a| sides.get(a)).copied();
                let (sov, jap) = match attacker_side {
                    Some(Side::Soviet) => (attacker_losses, defender_losses),
                    _ => (defender_losses, attacker_losses),
                };
                losses.soviet.killed += sov.killed as u64;
                losses.soviet.wounded += sov.wounded as u64;
                losses.soviet.tanks += sov.tanks as u64;
                losses.japanese.killed += jap.killed as u64;
                losses.japanese.wounded += jap.wounded as u64;
                losses.japanese.tanks += jap.tanks as u64;
            }
            GameEvent::PrisonersTaken { unit, men, .. } => {
                count(unit, &|n| n.prisoners += *men as u64)
            }
            GameEvent::UnitDeserted { unit, men, .. } => {
                count(unit, &|n| n.deserted += *men as u64)
            }
            GameEvent::UnitMutinied { unit, men, .. } => {
                count(unit, &|n| n.mutinied += *men as u64)
            }
            GameEvent::PlaceCaptured {
                name, by, from, to, ..
            } => control_changes.push(ControlChange {
                place: name.clone(),
                time: e.time.clone(),
                from: *from,
                to: *to,
                unit: names.get(by).cloned().unwrap_or_default(),
            }),
            _ => {}
        }
    }
    for (unit, d) in &world.resource::<AwaitingCaptors>().units {
        count(unit, &|n| n.surrendered_unreached += d.men as u64);
    }
    let j = &mut losses.japanese;
    for n in nations.values() {
        j.prisoners += n.prisoners;
        j.surrendered_unreached += n.surrendered_unreached;
        j.deserted += n.deserted + n.mutinied;
        if n.nation == Nation::Japanese {
            j.army_prisoners += n.prisoners;
        }
    }
    j.by_nation = nations.into_values().collect();
    if crate::rules::ceasefire::hq_heard(world) {
        let heard = crate::rules::ceasefire::ceased(world);
        let mut q = world.query_filtered::<(&UnitId, &Allegiance, &Strength), InField>();
        for (id, a, s) in q.iter(world) {
            if a.side == Side::Japanese && !heard.contains(id) {
                losses.japanese.holding_out += 1;
                losses.japanese.holding_out_men += s.men as u64;
            }
        }
    }
    // The omniscient report's fuel figures are the attacker's, as the batch compares them
    // with 1945.
    let logistics = side_logistics(
        &world
            .resource::<crate::model::logistics::FuelLedger>()
            .soviet,
    );
    let end = if cal.finished {
        time::iso_local(cal.end.min(cal.time_of_turn(cal.turn + 1)))
    } else {
        time::iso_local(cal.now())
    };
    CampaignReport {
        scenario: setup.scenario_name,
        seed: setup.seed,
        what_ifs: setup.what_ifs,
        start: time::iso_local(cal.start),
        end,
        places,
        weather,
        control_changes,
        losses,
        logistics,
        timeline: world.resource::<Timeline>().rows.clone(),
        debrief,
        victory,
        events,
    }
}

/// A side's fuel burned and flown in, from its ledger.
fn side_logistics(ledger: &crate::model::logistics::SideLedger) -> Logistics {
    let r = |x: f64| crate::rules::movement::round_to(x, 1);
    Logistics {
        fuel_consumed_t: r(ledger.burned_moving_t + ledger.burned_trucks_t),
        fuel_airlifted_t: r(ledger.airlifted_t),
        airlift_sorties: ledger.sorties,
    }
}

/// Sums of men and equipment.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Default)]
pub struct Totals {
    pub men: u64,
    pub guns: u64,
    pub mrl: u64,
    pub tanks: u64,
    pub vehicles: u64,
    pub aircraft: u64,
    pub units: u64,
}

/// When a place's permanent works were first taken from the side that held them at the
/// start, from the event log: taken with the town, or fallen after it (see
/// [`PlaceReport::works_taken`]).
fn works_taken(
    map: &Map,
    combat: &crate::scenario::schema::CombatRules,
    events: &[LoggedEvent],
    p: &crate::model::map::Place,
) -> Option<String> {
    let works = map
        .cell(p.hex)
        .is_some_and(|c| combat.permanent_works(c.fort_level));
    if !works {
        return None;
    }
    events.iter().find_map(|e| match &e.event {
        GameEvent::PlaceCaptured {
            place,
            to,
            works_hold: false,
            ..
        }
        | GameEvent::WorksFallen { place, to, .. }
            if *place == p.id && Some(*to) != p.initial_owner =>
        {
            Some(e.time.clone())
        }
        _ => None,
    })
}

/// Totals of every unit and air formation under `formation` (itself included).
pub fn totals_under(s: &Scenario, formation: FormationId) -> Totals {
    let under = |f: FormationId| {
        let mut cur = Some(f);
        while let Some(c) = cur {
            if c == formation {
                return true;
            }
            cur = s.formations[c.0 as usize].parent;
        }
        false
    };
    let mut t = Totals::default();
    for u in s.units.iter().filter(|u| under(u.parent)) {
        t.men += u.def.men.max(0) as u64;
        t.guns += u.def.guns.max(0) as u64;
        t.mrl += u.def.mrl.max(0) as u64;
        t.tanks += u.def.tanks.max(0) as u64;
        t.vehicles += u.def.vehicles.max(0) as u64;
        t.units += 1;
    }
    t.aircraft = s
        .formations
        .iter()
        .filter(|f| under(f.id))
        .map(|f| f.aircraft as u64)
        .sum();
    t
}

/// Totals of a whole side.
pub fn side_totals(s: &Scenario, side: Side) -> Totals {
    let mut t = Totals::default();
    for u in s.units.iter().filter(|u| u.def.side == side) {
        t.men += u.def.men.max(0) as u64;
        t.guns += u.def.guns.max(0) as u64;
        t.mrl += u.def.mrl.max(0) as u64;
        t.tanks += u.def.tanks.max(0) as u64;
        t.vehicles += u.def.vehicles.max(0) as u64;
        t.units += 1;
    }
    t.aircraft = s
        .formations
        .iter()
        .filter(|f| f.side == side)
        .map(|f| f.aircraft as u64)
        .sum();
    t
}

/// Unit ids an event names, whatever its kind: the values of its unit fields.
pub fn units_named(e: &GameEvent) -> Vec<UnitId> {
    const FIELDS: [&str; 6] = [
        "unit",
        "by",
        "attackers",
        "defenders",
        "units",
        "detachment",
    ];
    fn walk(v: &serde_json::Value, out: &mut Vec<UnitId>, under_unit_field: bool) {
        match v {
            serde_json::Value::Number(n) if under_unit_field => {
                if let Some(x) = n.as_u64().and_then(|x| u32::try_from(x).ok()) {
                    out.push(UnitId(x));
                }
            }
            serde_json::Value::Array(a) => {
                for x in a {
                    walk(x, out, under_unit_field);
                }
            }
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(x, out, FIELDS.contains(&k.as_str()));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(e) {
        walk(&v, &mut out, false);
    }
    out
}

/// The report as one side knows the campaign under fog of war: events naming an enemy unit
/// it never observed are left out, enemy formations' fuel and strength are left out of the
/// timeline, a place taken by an unseen enemy unit says so without naming it, and the
/// losses, the fuel figures and the debrief are the side's own: the enemy's are unknown.
pub fn view_for(report: &mut CampaignReport, world: &World, side: Side) {
    match side {
        Side::Soviet => {
            report.losses.japanese = JapaneseLosses {
                unknown: true,
                ..Default::default()
            }
        }
        Side::Japanese => {
            report.losses.soviet = SovietLosses {
                unknown: true,
                ..Default::default()
            }
        }
    }
    let ledger = world.resource::<crate::model::logistics::FuelLedger>();
    let own = match side {
        Side::Soviet => ledger.soviet,
        Side::Japanese => ledger.japanese,
    };
    report.logistics = side_logistics(&own);
    if let Some(d) = &mut report.debrief {
        debrief::view_for(d, world, side);
    }
    if let Some(v) = &mut report.victory {
        victory::view_for(v, side);
    }
    let mut sides: BTreeMap<UnitId, (Side, String)> = BTreeMap::new();
    for e in world.iter_entities() {
        if let (Some(id), Some(a), Some(n)) = (
            e.get::<UnitId>(),
            e.get::<Allegiance>(),
            e.get::<UnitName>(),
        ) {
            sides.insert(*id, (a.side, n.0.clone()));
        }
    }
    let known = |u: &UnitId| match sides.get(u) {
        Some((s, _)) => crate::rules::fog::knows(world, side, *u, *s),
        None => false,
    };
    report
        .events
        .retain(|e| units_named(&e.event).iter().all(&known));
    // A battle the side saw still tells it only its own losses exactly: the enemy's are left
    // at zero, unknown, as the losses section says (`unknown`).
    for e in &mut report.events {
        if let GameEvent::Battle {
            attackers,
            attacker_losses,
            defender_losses,
            ..
        } = &mut e.event
        {
            let attacking = attackers
                .first()
                .and_then(|a| sides.get(a))
                .is_some_and(|(s, _)| *s == side);
            let enemy = if attacking {
                defender_losses
            } else {
                attacker_losses
            };
            *enemy = Default::default();
        }
    }
    let names: BTreeMap<&str, UnitId> =
        sides.iter().map(|(id, (_, n))| (n.as_str(), *id)).collect();
    for c in &mut report.control_changes {
        if c.to != side && names.get(c.unit.as_str()).is_some_and(|u| !known(u)) {
            c.unit = "an unseen enemy unit".into();
        }
    }
    let oob = world.resource::<OrderOfBattle>();
    report.timeline.retain(|r| {
        oob.formations
            .iter()
            .find(|f| f.name == r.formation)
            .is_none_or(|f| f.side == side)
    });
}
