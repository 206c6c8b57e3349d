//! Building the world from a scenario: resources for the map, calendar, RNG and logs, and one
//! entity per unit. What the rules make of that first state is set by the rules' start-up.

use bevy::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::load::Scenario;
use super::schema::RulesFile;
use super::whatif::Switches;
use crate::model::*;

/// The rules file as a resource.
#[derive(Resource, Debug, Clone)]
pub struct Rules(pub RulesFile);

/// The plans of both sides, for the AI commanders.
#[derive(Resource, Debug, Clone, Default)]
pub struct Plans(pub crate::scenario::schema::PlanFile);

/// The scenario's briefing, kept in the world for the debrief.
#[derive(Resource, Debug, Clone, Default)]
pub struct BriefingRes(pub Option<crate::scenario::schema::Briefing>);

/// The scenario's victory conditions (with the briefing's objectives, they decide who won).
#[derive(Resource, Debug, Clone, Default)]
pub struct VictoryRes(pub Option<crate::scenario::schema::VictoryDef>);

/// What the game was started from: enough to rebuild it.
#[derive(Resource, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GameSetup {
    /// Path of the scenario file as given.
    pub scenario: String,
    pub scenario_name: String,
    pub seed: u64,
    pub what_ifs: Vec<String>,
}

/// Inserts the scenario's resources and spawns its units into `world`. The state the rules
/// derive from them (the weather of the hour, each side's first picture of the enemy) is
/// theirs to set: a game starts through `rules::game::start`, which calls this first.
pub fn spawn(world: &mut World, scenario: &Scenario, setup: GameSetup, switches: Switches) {
    let map = scenario.map.clone();
    let owner: Vec<Option<Side>> = map.places.iter().map(|p| p.initial_owner).collect();
    let first_taken = vec![None; owner.len()];
    world.insert_resource(Control {
        owner,
        first_taken,
        legacy_first_soviet: None,
        besieged: Vec::new(),
    });
    world.insert_resource(map);
    world.insert_resource(Rules(scenario.rules.clone()));
    world.insert_resource(OrderOfBattle {
        formations: scenario.formations.clone(),
    });
    world.insert_resource(Calendar::new(
        scenario.start,
        scenario.end,
        scenario.file.turn_hours,
        scenario.moves_first(),
    ));
    world.insert_resource(Followed(scenario.followed_formation()));
    world.insert_resource(GameRng(ChaCha8Rng::seed_from_u64(setup.seed)));
    world.insert_resource(PhaseDice::default());
    world.insert_resource(EventLog::default());
    world.insert_resource(Timeline::default());
    world.insert_resource(CeasefireState::default());
    world.insert_resource(AwaitingCaptors::default());
    world.insert_resource(Plans(scenario.plan.clone().unwrap_or_default()));
    if let Some(c) = &scenario.ceasefire {
        world.insert_resource(c.clone());
    }
    world.insert_resource(BriefingRes(scenario.file.briefing.clone()));
    world.insert_resource(VictoryRes(scenario.file.victory.clone()));
    world.insert_resource(PendingOrders::default());
    world.insert_resource(OrderLog::default());
    world.insert_resource(crate::model::logistics::Depots {
        depots: scenario.logistics.depots.clone(),
    });
    world.insert_resource(crate::model::logistics::TruckPools {
        pools: scenario.logistics.pools.clone(),
    });
    world.insert_resource(crate::model::logistics::AirTransport {
        fleets: scenario.logistics.fleets.clone(),
    });
    world.insert_resource(crate::model::logistics::SeaTransport {
        fleets: scenario.logistics.sea_lift.clone(),
    });
    world.insert_resource(crate::model::logistics::RiverFlotillas {
        flotillas: scenario.logistics.flotillas.clone(),
    });
    let climate = if switches.on(crate::scenario::whatif::Switch::ScheduledWeather) {
        scenario.logistics.weather.clone()
    } else {
        Vec::new()
    };
    world.insert_resource(crate::model::logistics::WeatherClimate { spans: climate });
    // This game's own weather is drawn from the climate by the rules' start-up.
    world.insert_resource(crate::model::logistics::WeatherSchedule::default());
    world.insert_resource(crate::model::logistics::CurrentWeather::default());
    world.insert_resource(crate::model::logistics::RailCaptures::default());
    world.insert_resource(crate::model::logistics::FuelLedger::default());
    world.insert_resource(crate::model::logistics::AirliftBooked::default());
    world.insert_resource(switches);
    world.insert_resource(setup);
    // Known before any unit leaves the field, so that a query of the units in it (also one
    // made through a shared borrow of the world) finds the filter's component.
    world.register_component::<OutOfAction>();
    spawn_units(world, scenario);
    world.insert_resource(Landings::default());
    world.insert_resource(AirStrikesSpent::default());
}

/// One entity per unit of the scenario, in its order: the unit's id is its position.
fn spawn_units(world: &mut World, scenario: &Scenario) {
    for (i, u) in scenario.units.iter().enumerate() {
        let d = &u.def;
        let c = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
        let mut e = world.spawn((
            UnitId(i as u32),
            UnitName(d.name.clone()),
            Allegiance {
                side: d.side,
                nation: d.nation,
            },
            Kind(d.kind),
            Parent(u.parent),
            Position(u.hex),
            Strength {
                men: c(d.men),
                tanks: c(d.tanks),
                guns: c(d.guns),
                mrl: c(d.mrl),
                vehicles: c(d.vehicles),
            },
            Stocks {
                fuel_t: u.fuel_t,
                ammo_t: u.ammo_t,
                food_t: u.food_t,
            },
            u.capacity,
            SupplyState::default(),
            FullStrength(Strength {
                men: c(d.men),
                tanks: c(d.tanks),
                guns: c(d.guns),
                mrl: c(d.mrl),
                vehicles: c(d.vehicles),
            }),
            Readiness(d.readiness),
            Provenance {
                source: d.source.clone(),
                estimated: d.estimated,
            },
        ));
        // A unit the scenario gives no men is out of the fight from the start.
        if d.men <= 0 {
            e.insert(OutOfAction);
        }
    }
}
