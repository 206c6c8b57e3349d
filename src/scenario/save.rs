//! Saved games: the scenario reference, seed, RNG state, calendar, every unit's state and
//! the logs, as RON; written to a temporary file and renamed, so a crash mid-save leaves the
//! previous save whole.

use std::io::Write;
use std::path::Path;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::diag::{Diagnostic, Severity, parse_ron};
use super::load::{load_scenario, read_source};
use super::spawn::GameSetup;
use super::whatif::{Switches, apply, find_what_if};
use crate::model::*;
use crate::rules::Game;

/// The save format this build writes. Older formats are refused with their version.
/// Version 2 added a checksum; version 3 made it a BLAKE3 hash of the whole save, added the
/// hashes of the data files the game is played from and the dice fixed for its phases.
pub const SAVE_FORMAT_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFile {
    pub format_version: u32,
    /// BLAKE3 of the whole save (see [`SaveFile::digest`]).
    pub checksum: String,
    pub setup: GameSetup,
    /// The files the game is played from, with their hashes: a save whose scenario, map,
    /// rules, logistics, plan or what-if file has changed since is refused, naming the file.
    pub inputs: Vec<super::digest::InputDigest>,
    /// The dice fixed for each phase (a game by e-mail); empty in a game of one seed.
    #[serde(default)]
    pub dice: PhaseDice,
    pub calendar: Calendar,
    pub rng: GameRng,
    pub switches: Switches,
    pub control: Control,
    pub units: Vec<UnitState>,
    pub pending: PendingOrders,
    pub orders: OrderLog,
    pub events: EventLog,
    pub depots: crate::model::logistics::Depots,
    pub rail: crate::model::logistics::RailCaptures,
    pub ledger: crate::model::logistics::FuelLedger,
    pub airlift_booked: crate::model::logistics::AirliftBooked,
    pub timeline: Timeline,
    pub ceasefire: CeasefireState,
    /// Each side's picture of the enemy (fog of war).
    #[serde(default)]
    pub intel: Intel,
    /// Detachments in the air.
    #[serde(default)]
    pub landings: Landings,
    /// Aircraft spent on suicide attacks.
    #[serde(default)]
    pub air_strikes_spent: AirStrikesSpent,
}

/// The changing part of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitState {
    pub id: UnitId,
    pub name: String,
    pub at: Hex,
    pub strength: Strength,
    pub stocks: Stocks,
    pub capacity: Capacity,
    pub supply: SupplyState,
    pub readiness: f64,
    pub destination: Option<Hex>,
}

/// The state of a game as a save.
pub fn to_save(game: &mut Game) -> SaveFile {
    let mut save = world_state(game.world_mut());
    // The files as they are now; a game whose files cannot be read has none listed, and
    // its save is refused on load, naming the file.
    save.inputs =
        super::digest::input_digests(Path::new(&save.setup.scenario), &save.setup.what_ifs)
            .unwrap_or_default();
    save.checksum = save.digest();
    save
}

/// The state of the game in a world as a save, its checksum made.
pub fn world_to_save(world: &mut World) -> SaveFile {
    let mut save = world_state(world);
    save.checksum = save.digest();
    save
}

/// The state of the game in a world, without the checksum: for comparing states and for
/// callers that change the save before making its checksum (hashing a whole save costs a
/// serialisation of it).
pub fn world_state(world: &mut World) -> SaveFile {
    let mut q = world.query::<(
        &UnitId,
        &UnitName,
        &Position,
        &Strength,
        (&Stocks, &Capacity, &SupplyState),
        &Readiness,
        Option<&Destination>,
    )>();
    let mut units: Vec<UnitState> = q
        .iter(world)
        .map(|(id, n, p, s, (st, cap, sup), r, d)| UnitState {
            id: *id,
            name: n.0.clone(),
            at: p.0,
            strength: *s,
            stocks: *st,
            capacity: *cap,
            supply: sup.clone(),
            readiness: r.0,
            destination: d.map(|d| d.0),
        })
        .collect();
    units.sort_by_key(|u| u.id);
    SaveFile {
        format_version: SAVE_FORMAT_VERSION,
        checksum: String::new(),
        setup: world.resource::<GameSetup>().clone(),
        inputs: Vec::new(),
        dice: world
            .get_resource::<PhaseDice>()
            .cloned()
            .unwrap_or_default(),
        calendar: world.resource::<Calendar>().clone(),
        rng: world.resource::<GameRng>().clone(),
        switches: world.resource::<Switches>().clone(),
        control: world.resource::<Control>().clone(),
        units,
        pending: world.resource::<PendingOrders>().clone(),
        orders: world.resource::<OrderLog>().clone(),
        events: world.resource::<EventLog>().clone(),
        depots: world.resource::<crate::model::logistics::Depots>().clone(),
        rail: world
            .resource::<crate::model::logistics::RailCaptures>()
            .clone(),
        ledger: world
            .resource::<crate::model::logistics::FuelLedger>()
            .clone(),
        airlift_booked: world
            .resource::<crate::model::logistics::AirliftBooked>()
            .clone(),
        timeline: world.resource::<Timeline>().clone(),
        ceasefire: world.resource::<CeasefireState>().clone(),
        intel: world.get_resource::<Intel>().cloned().unwrap_or_default(),
        landings: world
            .get_resource::<Landings>()
            .cloned()
            .unwrap_or_default(),
        air_strikes_spent: world
            .get_resource::<AirStrikesSpent>()
            .cloned()
            .unwrap_or_default(),
    }
}

impl SaveFile {
    /// BLAKE3 of the whole save but its checksum, in its compact RON form (so that the
    /// layout of the file does not matter, every value does). It catches a save damaged or
    /// edited by hand. A hash anyone can recompute is no signature: what stops a forger is
    /// that a save is played again from its seed and orders when it is loaded, and, between
    /// two players, the signed turns of a game by e-mail.
    pub fn digest(&self) -> String {
        let mut canonical = self.clone();
        canonical.checksum.clear();
        let text = ron::to_string(&canonical).unwrap_or_default();
        format!("blake3:{}", super::digest::blake3_hex(text.as_bytes()))
    }
}

/// Writes the game to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the old save.
pub fn save_game(game: &mut Game, path: &Path) -> std::io::Result<()> {
    save_world(game.world_mut(), path)
}

/// Writes the game held in a world (a `Game`'s, or the window's) to `path` as `save_game`
/// does: with the hashes of its data files, the scenario named relative to the save, and
/// the checksum made last.
pub fn save_world(world: &mut World, path: &Path) -> std::io::Result<()> {
    let mut save = world_state(world);
    save.inputs =
        super::digest::input_digests(Path::new(&save.setup.scenario), &save.setup.what_ifs)
            .map_err(std::io::Error::other)?;
    save.setup.scenario = scenario_relative_to(path, Path::new(&save.setup.scenario));
    save.checksum = save.digest();
    let text = ron::ser::to_string_pretty(
        &save,
        ron::ser::PrettyConfig::default().indentor(" ".to_string()),
    )
    .map_err(std::io::Error::other)?;
    write_atomically(path, text.as_bytes())
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // The rename would replace a device or a pipe (as root, `--save /dev/null` would put a
    // plain file in place of /dev/null): only ordinary files are written over.
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(std::io::Error::other(format!(
            "{} is not an ordinary file; saves and reports are written only to ordinary files",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the save path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut f = std::fs::File::create(&tmp)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        // A full disk or a failed rename must not leave the half-written temporary file
        // beside the one it was to replace.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Loads a saved game: the scenario it names, with its what-ifs, then the saved state.
pub fn load_game(path: &Path) -> Result<Game, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_game_source(src)
}

/// Loads a saved game from text already in memory, as if read from `path`; the fuzz harness
/// feeds it without touching the disk.
pub fn load_game_text(path: &Path, text: String) -> Result<Game, Vec<Diagnostic>> {
    if text.len() as u64 > super::load::MAX_FILE_BYTES {
        return Err(vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            line: 0,
            col: 0,
            message: format!(
                "the file is {} bytes; data files are limited to {} bytes",
                text.len(),
                super::load::MAX_FILE_BYTES
            ),
            hint: None,
            snippet: None,
        }]);
    }
    load_game_source(super::diag::SourceText::new(path, text))
}

fn load_game_source(src: super::diag::SourceText) -> Result<Game, Vec<Diagnostic>> {
    load_game_observed(src, &mut |_| {})
}

/// Loads a saved game as [`load_game`] does, showing the replayed game to `at_boundary` at
/// the start and after every phase (see [`crate::rules::replay::replay_observed`]).
pub fn load_game_phases(
    path: &Path,
    at_boundary: &mut dyn FnMut(&mut Game),
) -> Result<Game, Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    load_game_observed(src, at_boundary)
}

fn load_game_observed(
    src: super::diag::SourceText,
    at_boundary: &mut dyn FnMut(&mut Game),
) -> Result<Game, Vec<Diagnostic>> {
    let path = src.path.clone();
    let path = path.as_path();
    let whole = |msg: String, hint: Option<String>| Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line: 0,
        col: 0,
        message: msg,
        hint,
        snippet: None,
    };
    // Read the version first, so an old or new format is named rather than misparsed.
    if let Some(v) = src.key(0, "format_version") {
        let rest = &src.text[v..];
        let num: String = rest
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = num.parse::<u32>()
            && n != SAVE_FORMAT_VERSION
        {
            return Err(vec![whole(
                format!(
                    "this save is format version {n}; this build of August Storm reads version {SAVE_FORMAT_VERSION}"
                ),
                Some(if n > SAVE_FORMAT_VERSION {
                    "it was written by a newer version: update the game".into()
                } else {
                    "it was written by an older version, which this build cannot migrate".into()
                }),
            )]);
        }
    }
    let save: SaveFile = parse_ron(&src).map_err(|d| vec![d])?;
    let digest = save.digest();
    if save.checksum != digest {
        return Err(vec![whole(
            format!(
                "this save was changed after the game wrote it: its contents no longer match its checksum (written {}, now {digest})",
                save.checksum
            ),
            Some("a save is checked whole, so that a damaged or hand-edited file is not played: use the file exactly as the game wrote it, or start a new game".into()),
        )]);
    }
    let scenario_path = scenario_of(path, &save.setup.scenario);
    let mut scenario = load_scenario(&scenario_path).map_err(|mut d| {
        d.insert(
            0,
            whole(
                format!(
                    "the save's scenario {} does not load",
                    scenario_path.display()
                ),
                None,
            ),
        );
        d
    })?;
    if scenario.file.name != save.setup.scenario_name {
        return Err(vec![whole(
            format!(
                "this is a save of \"{}\", but its scenario file {} now holds \"{}\"",
                save.setup.scenario_name,
                scenario_path.display(),
                scenario.file.name
            ),
            Some("put the save beside the scenario it was made from".into()),
        )]);
    }
    let now = super::digest::input_digests(&scenario_path, &save.setup.what_ifs)
        .map_err(|m| vec![whole(m, None)])?;
    if let Some(changed) = super::digest::changed_input(&save.inputs, &now) {
        return Err(vec![whole(
            format!("{changed}: this save would no longer give the game it records"),
            Some("load it with the files it was played with (the save lists each with its hash), or start a new game".into()),
        )]);
    }
    let mut switches = Switches::default();
    for w in &save.setup.what_ifs {
        let wf = find_what_if(&scenario_path, w)?;
        apply(&mut scenario, &wf, &mut switches).map_err(|m| vec![whole(m, None)])?;
    }
    // The game holds the scenario's path as found from here, so that it can be reloaded.
    let mut setup = save.setup.clone();
    setup.scenario = scenario_path.display().to_string();
    let mut save = save;
    save.setup.scenario = setup.scenario.clone();
    let mut game = Game::new(&scenario, setup.clone(), switches.clone());
    let mut fresh = Game::new(&scenario, setup, switches);
    // The dice fixed for each phase are an input of the game, as its orders are.
    fresh.world_mut().insert_resource(save.dice.clone());
    // Every index, count, turn and time is checked before anything is restored: a save
    // edited by hand must be refused with its line, never panic the game later.
    let bounds = super::save_check::Bounds::of(game.world_mut());
    let problems = super::save_check::check(&save, &bounds, &src);
    if !problems.is_empty() {
        return Err(problems);
    }
    let saved = save.clone();
    restore(game.world_mut(), save).map_err(|m| {
        vec![whole(
            m,
            Some("the save does not match its scenario: was the scenario edited since?".into()),
        )]
    })?;
    // The game is played again from its seed and orders: a save whose state is not what its
    // own orders give (a unit's fuel, a place's owner or the dice edited by hand) is refused
    // with the first difference, so an edited save can no longer change a game.
    if let Err(d) = crate::rules::replay::replay_observed(fresh, &saved, at_boundary) {
        return Err(vec![whole(
            format!("this save is not what its own orders give: {d}"),
            Some("the game is played again from the save's scenario, seed and orders when it is loaded; a save edited by hand, or one whose scenario or rules files were edited since, is refused. Ask for the file exactly as the game wrote it, or start a new game".into()),
        )]);
    }
    Ok(game)
}

/// The scenario a save names, found beside the save (saves store it relative to
/// themselves), or, for saves written before that, relative to the working directory.
pub fn scenario_of(save: &Path, named: &str) -> std::path::PathBuf {
    let named = Path::new(named);
    if named.is_absolute() {
        return named.to_path_buf();
    }
    let dir = save.parent().unwrap_or(Path::new(""));
    let beside = dir.join(named);
    if beside.exists() || !named.exists() {
        beside
    } else {
        named.to_path_buf()
    }
}

/// Checks that `given`, the scenario named beside `--load`, is the one the loaded game was
/// saved from: continuing a save under another scenario's name would mislead its reader.
pub fn check_scenario_given(game: &Game, save: &Path, given: &Path) -> Result<(), String> {
    let own = Path::new(&game.world().resource::<GameSetup>().scenario).to_path_buf();
    let Ok(g) = std::fs::canonicalize(given) else {
        return Err(format!(
            "there is no scenario {}: with --load, name the save's own scenario, {}",
            given.display(),
            own.display()
        ));
    };
    if std::fs::canonicalize(&own).is_ok_and(|o| o == g) {
        Ok(())
    } else {
        Err(format!(
            "{} was saved from the scenario {}, not {}: name that scenario with --load, or leave --load out to start {} afresh",
            save.display(),
            own.display(),
            given.display(),
            given.display()
        ))
    }
}

/// How to reach `scenario` from the folder of `save`: the path a save stores, so that the
/// save and its scenario can be moved together or loaded from any working directory.
pub fn scenario_relative_to(save: &Path, scenario: &Path) -> String {
    // `absolute` keeps `..`; resolve it by hand so the common part is found.
    fn norm(p: &Path) -> Option<Vec<std::ffi::OsString>> {
        let mut out: Vec<std::ffi::OsString> = Vec::new();
        for c in std::path::absolute(p).ok()?.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c.as_os_str().to_os_string()),
            }
        }
        Some(out)
    }
    let dir = save
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Some(from), Some(to)) = (norm(dir), norm(scenario)) else {
        return scenario.display().to_string();
    };
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    // Sharing no folder but the root (a save in /tmp of a scenario in a home folder), they
    // will not move together: the absolute path is the one that keeps working.
    if common <= 1 {
        return std::path::PathBuf::from_iter(&to)
            .to_string_lossy()
            .replace('\\', "/");
    }
    let mut rel = std::path::PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c);
    }
    // Forward slashes whatever the system, so a save made on one system loads on another.
    rel.to_string_lossy().replace('\\', "/")
}

/// Loads a saved game into a world that has the rules but no game yet (the window's).
pub fn load_into(world: &mut World, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let mut game = load_game(path)?;
    game_into(world, &mut game, path)
}

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
    crate::scenario::spawn::spawn(world, &scenario, setup, switches);
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
    if save.control.owner.len() != map.places.len() {
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
    }
    world.insert_resource(save.calendar);
    world.insert_resource(save.rng);
    world.insert_resource(save.dice);
    world.insert_resource(save.switches);
    world.insert_resource(save.control);
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
