//! `Game`: a scenario spawned into a bevy world with the rules, driven by orders. The CLI,
//! the AI, the tests and the GUI all play through it.

use bevy::prelude::*;

use crate::model::*;
use crate::scenario::Scenario;
use crate::scenario::spawn::{GameSetup, spawn};
use crate::scenario::whatif::Switches;

/// Puts a scenario into `world` and sets the rules' first state on it: this game's weather
/// (drawn from the climate by the seed) and that of the opening hour, and each side's first
/// picture of the enemy (from its plan). Every new game and every rebuilt one starts here,
/// so they start alike.
pub fn start(world: &mut World, scenario: &Scenario, setup: GameSetup, switches: Switches) {
    // What the rules worked out about another game's ground (the window's world holds one
    // game after another) is forgotten: this game's map and rules are worked out afresh.
    world.insert_resource(super::movement::Going::default());
    world.insert_resource(super::fog::ReconCover::default());
    spawn(world, scenario, setup, switches);
    super::weather::draw_weather(world);
    super::weather::refresh_weather(world);
    super::fog::initial_intel(world);
}

pub struct Game {
    pub app: App,
}

impl Game {
    /// A new game of `scenario` with the given setup.
    pub fn new(scenario: &Scenario, setup: GameSetup, switches: Switches) -> Self {
        let mut app = App::new();
        app.add_plugins(super::plugin);
        start(app.world_mut(), scenario, setup, switches);
        Self { app }
    }

    pub fn world(&self) -> &World {
        self.app.world()
    }

    pub fn world_mut(&mut self) -> &mut World {
        self.app.world_mut()
    }

    /// Validates and takes an order (resolving the phase on `EndTurn`).
    pub fn submit(&mut self, order: Order) -> Result<(), OrderRejected> {
        super::orders::submit(self.world_mut(), order)
    }

    pub fn calendar(&self) -> &Calendar {
        self.world().resource::<Calendar>()
    }

    pub fn events(&self) -> &[LoggedEvent] {
        &self.world().resource::<EventLog>().events
    }

    /// A unit's id by its name (exact, or ignoring case).
    pub fn unit_id(&mut self, name: &str) -> Option<UnitId> {
        let mut q = self.world_mut().query::<(&UnitId, &UnitName)>();
        let all: Vec<(UnitId, String)> = q
            .iter(self.world())
            .map(|(i, n)| (*i, n.0.clone()))
            .collect();
        all.iter()
            .find(|(_, n)| n == name)
            .or_else(|| all.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)))
            .map(|(i, _)| *i)
    }

    /// Every unit's name, id order.
    pub fn unit_names(&mut self) -> Vec<(UnitId, String)> {
        let mut q = self.world_mut().query::<(&UnitId, &UnitName)>();
        let mut v: Vec<(UnitId, String)> = q
            .iter(self.world())
            .map(|(i, n)| (*i, n.0.clone()))
            .collect();
        v.sort();
        v
    }

    /// A unit's entity.
    pub fn entity(&mut self, id: UnitId) -> Option<Entity> {
        self.world().resource::<super::index::UnitIndex>().get(id)
    }

    pub fn position(&mut self, id: UnitId) -> Option<Hex> {
        let e = self.entity(id)?;
        self.world().get::<Position>(e).map(|p| p.0)
    }

    /// Ends phases (each side's orders already given) until the given turn has begun or the
    /// campaign is over.
    pub fn run_until_turn(&mut self, turn: u32) {
        while !self.calendar().finished && self.calendar().turn < turn {
            self.submit(Order::EndTurn)
                .expect("ending a turn is always allowed");
        }
    }

    /// Ends phases until the campaign is over.
    pub fn run_to_end(&mut self) {
        while !self.calendar().finished {
            self.submit(Order::EndTurn)
                .expect("ending a turn is always allowed");
        }
    }
}
