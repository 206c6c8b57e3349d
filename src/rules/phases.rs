//! The phases of a saved game for watching it again: the state at every phase boundary,
//! rebuilt by replaying the save's orders through the rules, the events of each phase and
//! the moments worth stopping at (battles, captures, fuel crises, airlifts, surrenders).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use bevy::prelude::*;

use super::Game;
use crate::model::*;
use crate::rules::save::world_state;
use crate::scenario::Diagnostic;
use crate::scenario::save::SaveFile;
use crate::scenario::spawn::Rules;

/// A unit whose fuel falls below this many refills in a phase is in a fuel crisis: it can
/// march about a quarter of a day's move before it stops.
pub const FUEL_CRISIS_REFILLS: f64 = 0.25;

/// The kinds of moment a viewer can stop at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MomentKind {
    Battle,
    Capture,
    FuelCrisis,
    Airlift,
    Surrender,
}

impl MomentKind {
    pub const ALL: [MomentKind; 5] = [
        MomentKind::Battle,
        MomentKind::Capture,
        MomentKind::FuelCrisis,
        MomentKind::Airlift,
        MomentKind::Surrender,
    ];

    /// The kind as a reader names it, in the plural ("battles").
    pub fn plural(self) -> &'static str {
        match self {
            MomentKind::Battle => "battles",
            MomentKind::Capture => "captures",
            MomentKind::FuelCrisis => "fuel crises",
            MomentKind::Airlift => "airlifts",
            MomentKind::Surrender => "surrenders",
        }
    }
}

/// Something worth stopping at, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub kind: MomentKind,
    pub text: String,
    /// Where it happened, to centre the map on.
    pub at: Option<Hex>,
    /// The side it concerns (whose unit ran short, who took the place), where one does.
    pub side: Option<Side>,
}

/// One phase boundary: the state of the game after a side's phase was resolved (or the
/// start, before any order).
#[derive(Debug, Clone)]
pub struct Phase {
    /// The turn of the phase just resolved; 0 for the start.
    pub turn: u32,
    /// The side whose phase it was; `None` for the start.
    pub side: Option<Side>,
    /// Local time of the turn (ISO 8601).
    pub time: String,
    /// This phase's events, as indices into the whole game's event log.
    pub events: Range<usize>,
    /// How many of the game's orders had been given by the end of the phase.
    pub orders: usize,
    pub moments: Vec<Moment>,
    /// The state, without the logs (kept once for the whole game, not once a phase).
    state: SaveFile,
}

impl Phase {
    /// "Turn 5, Soviet phase, 11 Aug 1945, 00:01", or "Start, ..." for the first.
    pub fn label(&self) -> String {
        let date = crate::model::time::parse_local(&self.time).map_or_else(
            || self.time.clone(),
            |t| t.format("%-d %b %Y, %H:%M").to_string(),
        );
        match self.side {
            None => format!("Before the first move, {date}"),
            Some(s) => format!("Turn {}, {} phase, {date}", self.turn, s.name()),
        }
    }
}

/// Every phase of a game, from the start to where its save stands. Each phase keeps the
/// state without the logs, which are kept once (a phase points into them): the 101 phases of
/// the whole historical campaign add about 20 MB to the replay that checks the save.
#[derive(Debug, Clone)]
pub struct Phases {
    pub phases: Vec<Phase>,
    pub events: EventLog,
    pub orders: OrderLog,
    /// Every unit's name (the log names units by id).
    pub names: BTreeMap<UnitId, String>,
    /// Each unit's side.
    pub sides: BTreeMap<UnitId, Side>,
    /// The formation the scenario follows (its `followed_formation`), by name.
    pub followed: Option<String>,
}

impl Phases {
    /// Loads a save, replaying it phase by phase (the checks of [`crate::rules::save::load_game`]
    /// all made) and keeping each phase; returns the game as saved too.
    pub fn load(path: &Path) -> Result<(Game, Phases), Vec<Diagnostic>> {
        let mut rec = Recorder::default();
        let game = crate::rules::save::load_game_phases(path, &mut |g| rec.boundary(g))?;
        Ok((game, rec.finish()))
    }

    /// Replays `fresh` (a new game of the save's scenario, seed and what-ifs) through the
    /// save's orders, keeping every phase; fails where the save departs from its replay.
    pub fn record(
        fresh: Game,
        saved: &SaveFile,
    ) -> Result<(Game, Phases), super::replay::Divergence> {
        let mut rec = Recorder::default();
        let game = super::replay::replay_observed(fresh, saved, &mut |g| rec.boundary(g))?;
        Ok((game, rec.finish()))
    }

    pub fn len(&self) -> usize {
        self.phases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phases.is_empty()
    }

    /// The game as it stood at phase `k`, as a save (logs up to that phase).
    pub fn save_at(&self, k: usize) -> SaveFile {
        let p = &self.phases[k.min(self.phases.len() - 1)];
        let mut s = p.state.clone();
        s.events.events = self.events.events[..p.events.end].to_vec();
        s.orders.entries = self.orders.entries[..p.orders].to_vec();
        s.checksum = s.digest();
        s
    }

    /// Puts phase `k` into a world spawned from the same scenario (the window's).
    pub fn show(&self, world: &mut World, k: usize) -> Result<(), String> {
        crate::rules::save::restore(world, self.save_at(k))
    }

    /// The events of phase `k`.
    pub fn events_of(&self, k: usize) -> &[LoggedEvent] {
        self.phases
            .get(k)
            .map_or(&[], |p| &self.events.events[p.events.clone()])
    }

    /// The phase in which event `i` of the whole log happened.
    pub fn phase_of_event(&self, i: usize) -> Option<usize> {
        self.phases.iter().position(|p| p.events.contains(&i))
    }

    /// The phase of a turn and side (the turn's first phase reached when no side is named).
    pub fn phase_of(&self, turn: u32, side: Option<Side>) -> Option<usize> {
        self.phases
            .iter()
            .position(|p| p.turn == turn && p.side.is_some() && (side.is_none() || p.side == side))
    }

    /// The nearest phase after (`forward`) or before `from` that has a moment of one of
    /// `kinds`.
    pub fn next_moment(&self, from: usize, forward: bool, kinds: &[MomentKind]) -> Option<usize> {
        let has = |k: usize| {
            self.phases[k]
                .moments
                .iter()
                .any(|m| kinds.contains(&m.kind))
        };
        if forward {
            (from + 1..self.phases.len()).find(|k| has(*k))
        } else {
            (0..from.min(self.phases.len())).rev().find(|k| has(*k))
        }
    }

    /// The marches of phase `k`: each unit's path, from where it stood.
    pub fn trails(&self, k: usize) -> Vec<(UnitId, Vec<Hex>)> {
        let mut out: BTreeMap<UnitId, Vec<Hex>> = BTreeMap::new();
        for e in self.events_of(k) {
            if let GameEvent::UnitMoved {
                unit, from, path, ..
            } = &e.event
            {
                let t = out.entry(*unit).or_insert_with(|| vec![*from]);
                if t.last() != Some(from) {
                    t.push(*from);
                }
                t.extend(path.iter().copied());
            }
        }
        out.into_iter().filter(|(_, p)| p.len() > 1).collect()
    }

    /// The battles of phase `k`: where, and who won.
    pub fn battles(&self, k: usize) -> Vec<(Hex, BattleResult)> {
        self.events_of(k)
            .iter()
            .filter_map(|e| match &e.event {
                GameEvent::Battle { target, result, .. } => Some((*target, *result)),
                _ => None,
            })
            .collect()
    }

    /// A formation's fuel on hand in refills at the end of each turn it has a row for.
    pub fn fuel_of(&self, formation: &str) -> Vec<(String, f64)> {
        let last = self.phases.last().map(|p| &p.state.timeline.rows);
        last.into_iter()
            .flatten()
            .filter(|r| r.formation == formation)
            .map(|r| (r.time.clone(), r.refills))
            .collect()
    }

    /// The formations the timeline follows, in the order it lists them.
    pub fn formations(&self) -> Vec<String> {
        let mut seen = Vec::new();
        for r in self
            .phases
            .last()
            .iter()
            .flat_map(|p| &p.state.timeline.rows)
        {
            if !seen.contains(&r.formation) {
                seen.push(r.formation.clone());
            }
        }
        seen
    }
}

/// Collects the phases as the replay reaches each boundary.
#[derive(Default)]
struct Recorder {
    phases: Vec<Phase>,
    /// Each unit's fuel in refills at the last boundary.
    fuel: BTreeMap<UnitId, f64>,
    events: EventLog,
    orders: OrderLog,
    names: BTreeMap<UnitId, String>,
    sides: BTreeMap<UnitId, Side>,
    followed: Option<String>,
}

impl Recorder {
    fn boundary(&mut self, game: &mut Game) {
        let world = game.world_mut();
        if self.phases.is_empty() {
            self.followed = world
                .resource::<Followed>()
                .name(world.resource::<OrderOfBattle>())
                .map(str::to_string);
        }
        // Without its checksum: `save_at` makes it, with the phase's events.
        let mut state = world_state(world);
        let log = std::mem::take(&mut state.events);
        let orders = std::mem::take(&mut state.orders);
        let start = self.phases.last().map_or(0, |p| p.events.end);
        let new = log.events.get(start..).unwrap_or_default();
        let ended = new.iter().rev().find_map(|e| match e.event {
            GameEvent::PhaseEnded { turn, side } => Some((turn, side)),
            _ => None,
        });
        let cal = world.resource::<Calendar>();
        let (turn, side, time) = match ended {
            Some((t, s)) => (t, Some(s), time::iso_local(cal.time_of_turn(t))),
            None => (0, None, time::iso_local(cal.now())),
        };
        if self.names.is_empty() {
            let mut q = world.query::<(&UnitId, &UnitName, &Allegiance)>();
            for (i, n, a) in q.iter(world) {
                self.names.insert(*i, n.0.clone());
                self.sides.insert(*i, a.side);
            }
        }
        let mut moments = self.moments(world, new);
        // Fuel crises: a unit out of fuel (its event), or one whose fuel fell below a
        // quarter of a refill in this phase.
        let rules = world.resource::<Rules>().0.clone();
        let exhausted: Vec<UnitId> = new
            .iter()
            .filter_map(|e| match e.event {
                GameEvent::FuelExhausted { unit, .. } => Some(unit),
                _ => None,
            })
            .collect();
        for u in &state.units {
            let refill =
                crate::scenario::load::refill_t(&rules, u.strength.tanks, u.strength.vehicles);
            if refill <= 0.0 || u.strength.men == 0 {
                continue;
            }
            let now = u.stocks.fuel_t / refill;
            let before = self.fuel.insert(u.id, now);
            let fell =
                before.is_some_and(|b| b >= FUEL_CRISIS_REFILLS) && now < FUEL_CRISIS_REFILLS;
            let name = self.names.get(&u.id).cloned().unwrap_or_default();
            if exhausted.contains(&u.id) {
                moments.push(Moment {
                    kind: MomentKind::FuelCrisis,
                    text: format!("{name} ran out of fuel"),
                    at: Some(u.at),
                    side: self.sides.get(&u.id).copied(),
                });
            } else if fell {
                moments.push(Moment {
                    kind: MomentKind::FuelCrisis,
                    text: format!(
                        "{name} is down to {now:.2} of a refill of fuel ({} t)",
                        // A cavalry unit's few lorries: tenths of a ton, not "0 t".
                        if u.stocks.fuel_t < 10.0 {
                            format!("{:.1}", u.stocks.fuel_t)
                        } else {
                            crate::model::words::amount(u.stocks.fuel_t)
                        }
                    ),
                    at: Some(u.at),
                    side: self.sides.get(&u.id).copied(),
                });
            }
        }
        self.phases.push(Phase {
            turn,
            side,
            time,
            events: start..log.events.len(),
            orders: orders.entries.len(),
            moments,
            state,
        });
        self.events = log;
        self.orders = orders;
    }

    /// The battles, captures, airlifts and surrenders among a phase's events, in words.
    fn moments(&self, world: &World, events: &[LoggedEvent]) -> Vec<Moment> {
        let map = world.resource::<Map>();
        let n = |u: &UnitId| {
            self.names
                .get(u)
                .cloned()
                .unwrap_or_else(|| "a unit".into())
        };
        let side = |u: &UnitId| self.sides.get(u).copied();
        let mut out = Vec::new();
        for e in events {
            let m = match &e.event {
                GameEvent::Battle {
                    target,
                    attackers,
                    defenders,
                    odds,
                    result,
                    attacker_losses,
                    defender_losses,
                } => Moment {
                    kind: MomentKind::Battle,
                    text: format!(
                        "Battle at {}: {} attacked {} at {odds:.1} to 1 — {}; the attackers lost {} men, the defenders {}",
                        super::orders::describe_hex(map, *target),
                        names_list(attackers.iter().map(n)),
                        names_list(defenders.iter().map(n)),
                        result_words(*result),
                        crate::model::words::thousands(
                            attacker_losses.killed + attacker_losses.wounded
                        ),
                        crate::model::words::thousands(
                            defender_losses.killed + defender_losses.wounded
                        ),
                    ),
                    at: Some(*target),
                    side: attackers.first().and_then(side),
                },
                GameEvent::PlaceCaptured { name, by, to, .. } => Moment {
                    kind: MomentKind::Capture,
                    text: format!("{name} taken by {} ({} side)", n(by), to.name()),
                    at: map.place_named(name).map(|p| p.hex),
                    side: Some(*to),
                },
                GameEvent::WorksFallen { name, to, .. } => Moment {
                    kind: MomentKind::Capture,
                    text: format!("{name}'s works fall to the {} side", to.name()),
                    at: map.place_named(name).map(|p| p.hex),
                    side: Some(*to),
                },
                GameEvent::AirliftDelivered {
                    air_army,
                    base,
                    unit,
                    cargo,
                    tons,
                    sorties,
                } => Moment {
                    kind: MomentKind::Airlift,
                    text: format!(
                        "{air_army} flew {tons:.0} t of {} from {base} to {} in {sorties} sorties",
                        match cargo {
                            Cargo::Fuel => "fuel",
                            Cargo::Ammunition => "ammunition",
                        },
                        n(unit)
                    ),
                    at: None,
                    side: side(unit),
                },
                GameEvent::UnitSurrendered {
                    unit,
                    at,
                    men,
                    reason,
                } => Moment {
                    kind: MomentKind::Surrender,
                    text: format!(
                        "{} surrendered with {} men ({})",
                        n(unit),
                        crate::model::words::thousands(*men),
                        match reason {
                            SurrenderReason::Surrounded => "beaten while surrounded",
                            SurrenderReason::CutOff => "cut off and starving",
                            SurrenderReason::Ceasefire => "obeying the cease-fire",
                        }
                    ),
                    at: Some(*at),
                    side: side(unit),
                },
                _ => continue,
            };
            out.push(m);
        }
        out
    }

    fn finish(self) -> Phases {
        Phases {
            phases: self.phases,
            events: self.events,
            orders: self.orders,
            names: self.names,
            sides: self.sides,
            followed: self.followed,
        }
    }
}

/// "A", "A and B", "A, B and 3 more".
fn names_list(names: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = names.collect();
    match v.len() {
        0 => "nobody".into(),
        1 => v[0].clone(),
        2 => format!("{} and {}", v[0], v[1]),
        3 => format!("{}, {} and {}", v[0], v[1], v[2]),
        k => format!("{}, {} and {} more", v[0], v[1], k - 2),
    }
}

/// A battle's result as a sentence ends.
pub fn result_words(r: BattleResult) -> &'static str {
    match r {
        BattleResult::Repulsed => "the attack was thrown back",
        BattleResult::Held => "the defenders held, bloodied",
        BattleResult::Retreated => "the defenders fell back",
        BattleResult::Routed => "the defenders broke and fled",
        BattleResult::Overrun => "the defenders were overrun",
    }
}
