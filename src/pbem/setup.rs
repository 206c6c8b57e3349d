//! Games by e-mail on disk, for the `pbem` command and the window alike: the key and game
//! files of a new game, a received turn opened over the player's copy once it is checked
//! (with what the player's side saw happen since), and a game made ready for the window.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{KeyFile, Record, WindowGame};
use crate::model::{Allegiance, EventLog, GameEvent, Map, Side, UnitId, UnitName};
use crate::report::outputs::{Inputs, check_outputs};
use crate::rules::Game;
use crate::scenario::diag::{Diagnostic, parse_ron};
use crate::scenario::load::read_source;
use crate::scenario::save::write_atomically;

/// Why a step of a game by e-mail stopped: a refusal in words, or the problems found in a
/// file, each with its place.
pub enum Fail {
    Refused(String),
    Diagnostics(Vec<Diagnostic>),
}

impl From<String> for Fail {
    fn from(m: String) -> Self {
        Fail::Refused(m)
    }
}

/// A file of a game by e-mail (key, game or turn file), read and parsed.
pub fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Fail> {
    let src = read_source(path).map_err(|d| Fail::Diagnostics(vec![d]))?;
    parse_ron(&src).map_err(|d| Fail::Diagnostics(vec![d]))
}

/// A key, game or turn file's text.
pub fn to_ron<T: serde::Serialize>(v: &T) -> Result<String, String> {
    ron::ser::to_string_pretty(
        v,
        ron::ser::PrettyConfig::default().indentor(" ".to_string()),
    )
    .map_err(|e| e.to_string())
}

/// Writes a game or turn file whole or not at all.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    write_atomically(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a new key file, never over an existing file, readable by its owner only.
pub fn write_key(path: &Path, key: &KeyFile) -> Result<(), String> {
    use std::io::Write;
    let text = to_ron(key)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "--key {}: that file exists already; a key file is made once for each game and never replaced: name a new file",
                path.display()
            )
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

impl Fail {
    /// The refusal or the problems, as text.
    pub fn text(self) -> String {
        match self {
            Fail::Refused(m) => m,
            Fail::Diagnostics(d) => crate::scenario::diag::to_text(&d),
        }
    }
}

/// A new game by e-mail: the first player's key file (never written over an existing file)
/// and the game file to send; what to do next, in words.
pub fn new_game_files(
    scenario: &Path,
    what_ifs: &[String],
    side: Side,
    key: &Path,
    out: &Path,
) -> Result<String, String> {
    let mut inputs = Inputs::default();
    inputs.add_scenario(scenario, what_ifs);
    check_outputs(&inputs, &[("--key", key), ("--out", out)])?;
    let named = scenario.display().to_string().replace('\\', "/");
    let (k, record) = super::open_game(scenario, &named, what_ifs, side)?;
    write_key(key, &k)?;
    write(out, &to_ron(&record)?)?;
    Ok(format!(
        "A new game of {} by e-mail: you play the {} side.\nYour key is in {} (keep it; never send it). Send {} to the other player, who accepts it with\n  august-storm pbem join {} --key THEIR-KEY.ron --out GAME.ron",
        scenario.display(),
        side.name(),
        key.display(),
        out.display(),
        out.display()
    ))
}

/// Opens a received turn file over the player's copy of the game, once it is checked.
pub fn open_turn(
    turn: &Path,
    key: &Path,
    game: &Path,
    scenario: Option<&Path>,
) -> Result<(), Fail> {
    let k: KeyFile = read(key)?;
    let mine: Record = read(game)?;
    let received: Record = read(turn)?;
    let spath = super::scenario_path(&mine, scenario)?;
    let mut inputs = Inputs::default();
    inputs.add(turn, "the turn file you received");
    inputs.add(key, "your key file");
    inputs.add_scenario(&spath, &[]);
    check_outputs(&inputs, &[("--game", game)])?;
    super::accept_received(&mine, &received, &k)?;
    let before = if mine.turns.len() >= 2 {
        let mut g = super::play_record(&mine, &spath, Some(&k))?.game;
        g.world_mut().resource::<EventLog>().events.len()
    } else {
        0
    };
    let mut played = super::play_record(&received, &spath, Some(&k))?;
    write(game, &to_ron(&received)?)?;
    println!(
        "Checked: {} turns, every one signed by its side and following the one before; {} played again from the start, the same game on both sides.",
        received.turns.len(),
        match played.resolved {
            1 => "1 phase".to_string(),
            n => format!("{n} phases"),
        }
    );
    let lines = since(&mut played.game, before, k.side);
    if lines.is_empty() {
        println!("Nothing your side saw happen since your last turn.");
    } else {
        println!(
            "Since your last turn (as the {} side saw it):",
            k.side.name()
        );
        for l in lines {
            println!("  {l}");
        }
    }
    println!("{}", super::whose_move(&played, &k));
    Ok(())
}

/// A game by e-mail ready for the window: a received turn opened first where one is named
/// (checked and played again, as `pbem open` does), then the player's copy played to now.
pub fn window_game(
    game: PathBuf,
    key: PathBuf,
    open: Option<PathBuf>,
    send: PathBuf,
) -> Result<WindowGame, String> {
    if let Some(t) = &open {
        open_turn(t, &key, &game, None).map_err(Fail::text)?;
    }
    let k: KeyFile = read(&key).map_err(Fail::text)?;
    let record: Record = read(&game).map_err(Fail::text)?;
    let scenario = super::scenario_path(&record, None)?;
    let mut inputs = Inputs::default();
    inputs.add(&key, "your key file");
    inputs.add(&game, "your copy of the game");
    if let Some(t) = &open {
        inputs.add(t, "the turn file you received");
    }
    inputs.add_scenario(&scenario, &[]);
    check_outputs(&inputs, &[("--send", &send)])?;
    let w = WindowGame {
        game,
        send,
        key: k,
        record,
        scenario,
    };
    w.play()?;
    Ok(w)
}

/// What the side saw happen from event `from` on: battles, captures, surrenders, the
/// cease-fire, one line each, with enemy units it never observed left unnamed.
fn since(game: &mut Game, from: usize, side: Side) -> Vec<String> {
    let world = game.world_mut();
    let mut q = world.query::<(&UnitId, &UnitName, &Allegiance)>();
    let units: BTreeMap<UnitId, (String, Side)> = q
        .iter(world)
        .map(|(i, n, a)| (*i, (n.0.clone(), a.side)))
        .collect();
    let world = game.world();
    let map = world.resource::<Map>();
    let name = |u: &UnitId| match units.get(u) {
        Some((n, s)) if crate::rules::fog::knows(world, side, *u, *s) => n.clone(),
        Some(_) => "an enemy unit".into(),
        None => "a unit".into(),
    };
    let list = |us: &[UnitId]| us.iter().map(&name).collect::<Vec<_>>().join(", ");
    let place_at = |h: crate::model::Hex| {
        map.places
            .iter()
            .find(|p| p.hex == h)
            .map_or_else(|| format!("hex {h}"), |p| p.name.clone())
    };
    world
        .resource::<EventLog>()
        .events
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let text = match &e.event {
                GameEvent::Battle {
                    target,
                    attackers,
                    defenders,
                    result,
                    ..
                } => format!(
                    "battle at {}: {} attacked {}: {result}",
                    place_at(*target),
                    list(attackers),
                    list(defenders)
                ),
                GameEvent::PlaceCaptured { name: n, to, .. } => {
                    format!("{n} taken by the {} side", to.name())
                }
                GameEvent::WorksFallen { name: n, to, .. } => {
                    format!("{n}'s works fall to the {} side", to.name())
                }
                GameEvent::UnitSurrendered { unit, men, .. } => format!(
                    "{} surrendered ({} men)",
                    name(unit),
                    crate::report::words::thousands(*men)
                ),
                GameEvent::PrisonersTaken { unit, men, by, .. } => format!(
                    "{} took {} men of {} prisoner",
                    name(by),
                    crate::report::words::thousands(*men),
                    name(unit)
                ),
                GameEvent::CeasefireReached { formation } => {
                    format!("the cease-fire order reached {formation}")
                }
                GameEvent::CampaignEnded => "the campaign is over".into(),
                _ => return None,
            };
            Some(format!(
                "{} · {text}",
                crate::report::words::short_date(&e.time)
            ))
        })
        .collect()
}
