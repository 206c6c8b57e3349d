//! One run boiled down to its row: captures, losses, logistics and the followed formation's
//! advance and fuel, turn by turn.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::model::time::parse_local;
use crate::model::*;
use crate::rules::Game;
use bevy::prelude::World;

/// One run, boiled down to what the table, the summary and the plots need.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub seed: u64,
    /// When each place followed (manifest order) was first taken from the side that held it
    /// at the start, or None.
    pub captured: Vec<Option<NaiveDateTime>>,
    /// When the works of each place of the manifest's `works` were first taken, or None.
    pub works_taken: Vec<Option<NaiveDateTime>>,
    /// When each span of the climate (the manifest's `weather`) began and ended in this run,
    /// as its seed drew it; None where it did not come.
    pub weather: Vec<Option<(NaiveDateTime, NaiveDateTime)>>,
    pub soviet_killed: u64,
    pub soviet_wounded: u64,
    pub soviet_tanks: u64,
    pub japanese_killed: u64,
    pub japanese_wounded: u64,
    /// Men of the Japanese side taken prisoner, of every nation.
    pub japanese_prisoners: u64,
    /// Of them, men of the Japanese army, as the sources count prisoners.
    pub japanese_army_prisoners: u64,
    /// Men who laid down their arms where no Soviet troops reached them.
    pub japanese_unreached: u64,
    /// Men who deserted or mutinied.
    pub japanese_deserted: u64,
    /// Units still fighting at the end that never heard the order to cease fire.
    pub japanese_holding_out: u64,
    pub fuel_consumed_t: f64,
    pub fuel_airlifted_t: f64,
    pub airlift_sorties: u64,
    /// The tank army's fuel on hand at the end of each turn, in refills.
    pub tank_army_refills: Vec<f64>,
    /// How far the tank army has come at the end of each turn, km: the furthest any of its
    /// units stands from where that unit started, as the sources give its daily advance.
    pub tank_army_km: Vec<f64>,
    /// Per front (manifest order), the depth of its deepest unit at the end of each turn, km.
    pub advance_km: Vec<Vec<f64>>,
    /// Per formation or unit the manifest's `marches` names, in its order: how far it has
    /// come and its fuel, at the end of each turn.
    pub marches: Vec<March>,
}

/// One formation's (or unit's) march through a run, turn by turn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct March {
    /// The furthest any of its units stands from where that unit started, km.
    pub km: Vec<f64>,
    /// Its fuel on hand in refills, from the timeline (army-level formations only; empty
    /// for the others).
    pub refills: Vec<f64>,
}

/// Follows one game's fronts turn by turn: which front each unit belongs to, and how deep it
/// stands.
pub struct AdvanceTracker {
    field: crate::report::depth::DepthFields,
    fronts: BTreeMap<UnitId, usize>,
    /// The side of each front.
    sides: Vec<Side>,
    series: Vec<Vec<f64>>,
    /// The tank army's march.
    tank_army: Marching,
    /// Per formation or unit followed by name ([`AdvanceTracker::following`]), its march.
    marches: Vec<Marching>,
}

/// The units of one formation (or one unit) and where each started, and how far the
/// furthest of them had come at every sample, km.
#[derive(Default)]
struct Marching {
    start: BTreeMap<UnitId, Hex>,
    km: Vec<f64>,
}

/// The rule by which a formation or unit of the name is followed: a formation's units are
/// those under it at any level; a name that is no formation's is a unit's. The returned test
/// takes a unit's name and its parent.
fn member_of<'a>(oob: &'a OrderOfBattle, name: &'a str) -> impl Fn(&str, FormationId) -> bool + 'a {
    let formation = oob.formations.iter().find(|f| f.name == name).map(|f| f.id);
    move |unit, parent| match formation {
        Some(f) => oob.chain(parent).any(|x| x.id == f),
        None => unit == name,
    }
}

/// A march that begins now: the units of the formation or unit `name` ([`member_of`]; none
/// where it is None) and where each stands.
fn start_march(world: &mut World, name: Option<&str>) -> Marching {
    let mut q = world.query::<(&UnitId, &UnitName, &Parent, &Position)>();
    let oob = world.resource::<OrderOfBattle>();
    let start = match name {
        Some(name) => {
            let member = member_of(oob, name);
            q.iter(world)
                .filter(|(_, n, p, _)| member(&n.0, p.0))
                .map(|(id, _, _, pos)| (*id, pos.0))
                .collect()
        }
        None => BTreeMap::new(),
    };
    Marching {
        start,
        km: Vec::new(),
    }
}

/// The places followed and fronts of a freshly spawned game, and the end of each of its turns.
pub fn batch_axes(game: &Game) -> (Vec<String>, Vec<String>, Vec<String>) {
    crate::scenario::measures::axes(game.world())
}

/// The names of the climate's spans of weather, in its order, for the manifest's `weather`:
/// a name written twice is told apart by its place in the list (`Rain (3)`).
pub fn weather_axes(world: &World) -> Vec<String> {
    let Some(climate) = world.get_resource::<crate::model::logistics::WeatherClimate>() else {
        return Vec::new();
    };
    let names: Vec<&str> = climate.spans.iter().map(|c| c.span.name.as_str()).collect();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                format!("{n} ({})", i + 1)
            } else {
                n.to_string()
            }
        })
        .collect()
}

/// When each span of the climate began and ended in this game, in the climate's order (None
/// where the seed's draw did not bring it): the game's weather drawn again from its seed,
/// as the game drew it at its start.
pub fn drawn_spans(world: &World) -> Vec<Option<(NaiveDateTime, NaiveDateTime)>> {
    use crate::model::logistics::WeatherClimate;
    let (Some(climate), Some(setup)) = (
        world.get_resource::<WeatherClimate>(),
        world.get_resource::<crate::scenario::spawn::GameSetup>(),
    ) else {
        return Vec::new();
    };
    crate::rules::weather::drawn_by_climate(&climate.spans, setup.seed)
        .into_iter()
        .map(|s| s.map(|s| (s.from, s.to)))
        .collect()
}

impl AdvanceTracker {
    /// Notes which front each Soviet unit belongs to.
    pub fn new(game: &mut Game) -> Self {
        Self::in_world(game.world_mut())
    }

    /// [`AdvanceTracker::new`] for a game held in any world (the window's too).
    pub fn in_world(world: &mut World) -> Self {
        let fronts = crate::report::depth::front_units(world);
        let followed = world
            .resource::<Followed>()
            .name(world.resource::<OrderOfBattle>())
            .map(str::to_string);
        Self {
            field: crate::report::depth::DepthFields::new(world.resource::<Map>()),
            series: vec![Vec::new(); fronts.names.len()],
            sides: fronts.sides,
            fronts: fronts.of_unit,
            tank_army: start_march(world, followed.as_deref()),
            marches: Vec::new(),
        }
    }

    /// Also follows the march of each formation or unit of `names` (by [`member_of`]).
    pub fn following(mut self, world: &mut World, names: &[String]) -> Self {
        self.marches = names
            .iter()
            .map(|name| start_march(world, Some(name)))
            .collect();
        self
    }

    /// Adds each front's depth now: how far its deepest unit stands beyond the ground the
    /// side held at the start ([`crate::report::depth`]). Forward detachments are what the sources
    /// measure depth by.
    pub fn sample(&mut self, game: &mut Game) {
        self.sample_world(game.world_mut());
    }

    /// [`AdvanceTracker::sample`] for a game held in any world.
    pub fn sample_world(&mut self, world: &mut World) {
        let mut deepest = vec![0.0f64; self.series.len()];
        let mut marching: Vec<&mut Marching> = std::iter::once(&mut self.tank_army)
            .chain(&mut self.marches)
            .collect();
        let mut furthest = vec![0.0f64; marching.len()];
        let mut q = world.query_filtered::<(&UnitId, &Position), InField>();
        let map = world.resource::<Map>();
        for (id, pos) in q.iter(world) {
            if let Some(front) = self.fronts.get(id) {
                let km = self.field.km(map, self.sides[*front], pos.0);
                deepest[*front] = deepest[*front].max(km);
            }
            for (m, km) in marching.iter().zip(&mut furthest) {
                if let Some(start) = m.start.get(id) {
                    *km = km.max(map.center(*start).distance_km(map.center(pos.0)));
                }
            }
        }
        for (s, d) in self.series.iter_mut().zip(deepest) {
            s.push(crate::rules::movement::round_to(d, 1));
        }
        for (m, km) in marching.iter_mut().zip(furthest) {
            m.km.push(crate::rules::movement::round_to(km, 1));
        }
    }
}

impl AdvanceTracker {
    /// Each front's depth in km at every sample so far, fronts in order of battle order.
    pub fn series(&self) -> &[Vec<f64>] {
        &self.series
    }

    /// How far the tank army had come at every sample so far, km.
    pub fn tank_army_km(&self) -> &[f64] {
        &self.tank_army.km
    }
}

/// How far the tank army had come at the end of each turn, rebuilt from the event log as the
/// batch measures it: the furthest any of its units stood from where it started, km.
pub fn tank_army_from_log(world: &World) -> Vec<f64> {
    let oob = world.resource::<OrderOfBattle>();
    match world.resource::<Followed>().name(oob) {
        Some(name) => march_from_log(world, name),
        None => march_of(world, |_, _| false),
    }
}

/// How far a formation (its units at every level under it) or a unit of that name had come
/// at the end of each turn, rebuilt from the event log as [`AdvanceTracker::following`]
/// measures it, km.
pub fn march_from_log(world: &World, name: &str) -> Vec<f64> {
    march_of(world, member_of(world.resource::<OrderOfBattle>(), name))
}

/// The march, turn by turn, of the units `member(name, parent)` picks.
fn march_of(world: &World, member: impl Fn(&str, FormationId) -> bool) -> Vec<f64> {
    let map = world.resource::<Map>();
    let cal = world.resource::<Calendar>();
    let army: std::collections::BTreeSet<UnitId> = world
        .iter_entities()
        .filter_map(|e| {
            Some((
                *e.get::<UnitId>()?,
                e.get::<UnitName>()?.0.as_str(),
                e.get::<Parent>()?.0,
            ))
        })
        .filter(|(_, n, p)| member(n, *p))
        .map(|(u, ..)| u)
        .collect();
    let mut start: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let mut now: BTreeMap<UnitId, Hex> = BTreeMap::new();
    let events = &world.resource::<EventLog>().events;
    let mut k = 0;
    let mut series = Vec::new();
    for turn in 1..=cal.turn.min(cal.turns()) {
        while k < events.len() && events[k].turn <= turn {
            if let GameEvent::UnitMoved { unit, from, to, .. } = &events[k].event
                && army.contains(unit)
            {
                start.entry(*unit).or_insert(*from);
                now.insert(*unit, *to);
            }
            k += 1;
        }
        let furthest = now
            .iter()
            .map(|(u, h)| map.center(start[u]).distance_km(map.center(*h)))
            .fold(0.0, f64::max);
        series.push(furthest);
    }
    series
}

/// The compact row of a finished game.
pub fn run_row(
    game: &mut Game,
    seed: u64,
    places: &[String],
    works: &[String],
    weather: &[String],
    turn_ends: &[String],
    marches: &[String],
    advance: AdvanceTracker,
) -> RunRow {
    let spans = weather.len();
    let report = crate::report::campaign_report(game);
    let followed = {
        let w = game.world();
        w.resource::<Followed>()
            .name(w.resource::<OrderOfBattle>())
            .map(str::to_string)
    };
    let time_of = |name: &String, when: fn(&crate::report::PlaceReport) -> Option<&str>| {
        report
            .places
            .iter()
            .find(|p| p.name == *name)
            .and_then(when)
            .and_then(parse_local)
    };
    let captured = places
        .iter()
        .map(|name| time_of(name, |p| p.captured.as_deref()))
        .collect();
    let works_taken = works
        .iter()
        .map(|name| time_of(name, |p| p.works_taken.as_deref()))
        .collect();
    // One timeline row a turn per army-level formation, in turn order; none at all where the
    // scenario has no such formation.
    let refills_of = |name: &str| -> Vec<f64> {
        let mut v = report.refills_of(name);
        v.truncate(turn_ends.len());
        v
    };
    let tank_army_refills = followed.as_deref().map(refills_of).unwrap_or_default();
    let marches = advance
        .marches
        .into_iter()
        .zip(marches)
        .map(|(m, name)| March {
            km: m.km,
            refills: refills_of(name),
        })
        .collect();
    let l = &report.losses;
    let mut weather = drawn_spans(game.world());
    // As many columns as the manifest has (a sweep's rows keep none).
    weather.resize(spans, None);
    RunRow {
        seed,
        captured,
        works_taken,
        weather,
        soviet_killed: l.soviet.killed,
        soviet_wounded: l.soviet.wounded,
        soviet_tanks: l.soviet.tanks,
        japanese_killed: l.japanese.killed,
        japanese_wounded: l.japanese.wounded,
        japanese_prisoners: l.japanese.prisoners,
        japanese_army_prisoners: l.japanese.army_prisoners,
        japanese_unreached: l.japanese.surrendered_unreached,
        japanese_deserted: l.japanese.deserted,
        japanese_holding_out: l.japanese.holding_out,
        fuel_consumed_t: report.logistics.fuel_consumed_t,
        fuel_airlifted_t: report.logistics.fuel_airlifted_t,
        airlift_sorties: report.logistics.airlift_sorties,
        tank_army_refills,
        tank_army_km: advance.tank_army.km,
        advance_km: advance.series,
        marches,
    }
}

impl RunRow {
    /// A numeric column by its `runs.csv` name.
    pub fn number(&self, column: &str) -> Option<f64> {
        Some(match column {
            "soviet_killed" => self.soviet_killed as f64,
            "soviet_wounded" => self.soviet_wounded as f64,
            "soviet_tanks" => self.soviet_tanks as f64,
            "japanese_killed" => self.japanese_killed as f64,
            "japanese_wounded" => self.japanese_wounded as f64,
            "japanese_prisoners" => self.japanese_prisoners as f64,
            "japanese_army_prisoners" => self.japanese_army_prisoners as f64,
            "japanese_unreached" => self.japanese_unreached as f64,
            "japanese_deserted" => self.japanese_deserted as f64,
            "japanese_holding_out" => self.japanese_holding_out as f64,
            "fuel_consumed_t" => self.fuel_consumed_t,
            "fuel_airlifted_t" => self.fuel_airlifted_t,
            "airlift_sorties" => self.airlift_sorties as f64,
            _ => return None,
        })
    }
}
