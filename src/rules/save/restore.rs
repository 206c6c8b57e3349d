//! Restoring a save's state into a world spawned from its scenario, and the orders waiting
//! for the end of the turn given again through the rules' own checks.

use std::path::Path;

use bevy::prelude::*;

use crate::model::*;
use crate::rules::Game;
use crate::scenario::diag::{Diagnostic, Severity};
use crate::scenario::load::load_scenario;
use crate::scenario::save::SaveFile;
use crate::scenario::spawn::GameSetup;
use crate::scenario::whatif::{Switches, apply, find_what_if};

use super::world_state;

/// Puts a game (loaded, or played from a record) into a world that has the rules but no game
/// yet; `source` names where it came from in messages.
pub fn game_into(world: &mut World, game: &mut Game, source: &Path) -> Result<(), Vec<Diagnostic>> {
    let save = world_state(game.world_mut());
    spawn_like(world, game, source)?;
    restore(world, save).map_err(|m| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: source.to_path_buf(),
            line: 0,
            col: 0,
            message: m,
            hint: None,
            snippet: None,
        }]
    })
}

/// Spawns the scenario of a loaded game (with its what-ifs) into a world that has the rules
/// but no game yet, as it stood at the start: a state of the game is restored into it next.
pub fn spawn_like(world: &mut World, game: &Game, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let setup = game.world().resource::<GameSetup>().clone();
    // `load_game` set the scenario path to one that resolves from here.
    let mut scenario = load_scenario(Path::new(&setup.scenario))?;
    let switches = game.world().resource::<Switches>().clone();
    for w in &setup.what_ifs {
        let wf = find_what_if(Path::new(&setup.scenario), w)?;
        let mut s = Switches::default();
        apply(&mut scenario, &wf, &mut s).map_err(|m| {
            vec![Diagnostic {
                severity: Severity::Error,
                file: path.to_path_buf(),
                line: 0,
                col: 0,
                message: m,
                hint: None,
                snippet: None,
            }]
        })?;
    }
    crate::rules::game::start(world, &scenario, setup, switches);
    Ok(())
}

/// Puts a save's state into a freshly spawned game of the same scenario.
pub fn restore(world: &mut World, save: SaveFile) -> Result<(), String> {
    let mut q = world.query::<(Entity, &UnitId, &UnitName)>();
    let entities: Vec<(Entity, UnitId, String)> = q
        .iter(world)
        .map(|(e, i, n)| (e, *i, n.0.clone()))
        .collect();
    if entities.len() != save.units.len() {
        return Err(format!(
            "the save has {} units; the scenario has {}",
            save.units.len(),
            entities.len()
        ));
    }
    let map = world.resource::<Map>();
    let control = save.control;
    if control.owner.len() != map.places.len()
        || control.first_taken.len() != map.places.len()
        || control
            .besieged
            .iter()
            .any(|p| p.0 as usize >= map.places.len())
    {
        return Err("the save's places do not match the map".into());
    }
    for u in &save.units {
        if !map.contains(u.at) {
            return Err(format!("{} stands off the map at {}", u.name, u.at));
        }
    }
    for u in save.units {
        let Some((e, _, name)) = entities.iter().find(|(_, i, _)| *i == u.id) else {
            return Err(format!(
                "the save names unit #{} which the scenario lacks",
                u.id.0
            ));
        };
        if *name != u.name {
            return Err(format!(
                "unit #{} is {} in the scenario but {} in the save",
                u.id.0, name, u.name
            ));
        }
        let mut em = world.entity_mut(*e);
        em.insert((
            Position(u.at),
            u.strength,
            u.stocks,
            u.capacity,
            u.supply,
            Readiness(u.readiness),
        ));
        match u.destination {
            Some(d) => {
                em.insert(Destination(d));
            }
            None => {
                em.remove::<Destination>();
            }
        }
        // In or out of the field by its men; a world shown again at an earlier phase (the
        // replay) has units back in it.
        if u.strength.men > 0 {
            em.remove::<OutOfAction>();
        } else {
            em.insert(OutOfAction);
        }
    }
    world.insert_resource(save.calendar);
    world.insert_resource(save.rng);
    world.insert_resource(save.dice);
    world.insert_resource(save.switches);
    world.insert_resource(control);
    world.insert_resource(save.pending);
    world.insert_resource(save.orders);
    world.insert_resource(save.events);
    if save.depots.depots.len()
        != world
            .resource::<crate::model::logistics::Depots>()
            .depots
            .len()
    {
        return Err("the save's depots do not match the scenario's logistics".into());
    }
    world.insert_resource(save.depots);
    world.insert_resource(save.rail);
    world.insert_resource(save.ledger);
    world.insert_resource(save.airlift_booked);
    world.insert_resource(save.timeline);
    world.insert_resource(save.ceasefire);
    world.insert_resource(save.awaiting_captors);
    world.insert_resource(save.intel);
    world.insert_resource(save.landings);
    world.insert_resource(save.air_strikes_spent);
    crate::rules::weather::refresh_weather(world);
    revalidate_pending(world)
}

/// Gives the orders waiting for the end of the turn again, through the rules' own checks, as
/// the side to move gave them: an order no player could have given (a unit marched off the
/// map, an airlift from a base its air army lacks) is refused here, not tripped over when the
/// turn is resolved. The order log already holds them, so they are not logged twice.
fn revalidate_pending(world: &mut World) -> Result<(), String> {
    let pending = std::mem::take(&mut world.resource_mut::<PendingOrders>().orders);
    // Airlift bookings are made by the orders themselves, so they are made again with them.
    world
        .resource_mut::<crate::model::logistics::AirliftBooked>()
        .tons
        .clear();
    let logged = world.resource::<OrderLog>().entries.len();
    let events = world.resource::<EventLog>().events.len();
    for (i, order) in pending.into_iter().enumerate() {
        if order == Order::EndTurn {
            return Err(format!(
                "order {} waiting for the end of the turn is an end of the turn itself",
                i + 1
            ));
        }
        if let Err(r) = crate::rules::orders::submit(world, order) {
            return Err(format!(
                "order {} waiting for the end of the turn could not have been given: {r}",
                i + 1
            ));
        }
    }
    world.resource_mut::<OrderLog>().entries.truncate(logged);
    world.resource_mut::<EventLog>().events.truncate(events);
    Ok(())
}
