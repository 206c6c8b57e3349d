//! A record checked turn by turn and played again from its scenario, with the dice both
//! players fixed.

use std::path::Path;

use crate::model::{Order, PhaseDice, PhaseKey, Side, hex_string as hex, parse_hex32};
use crate::rules::Game;
use crate::scenario::digest::{blake3_hex, changed_input, input_digests};
use crate::scenario::spawn::GameSetup;

use super::*;

/// A record played again: the game as far as it can be played, and what is next.
pub struct Played {
    pub game: Game,
    /// The phases played.
    pub resolved: u32,
    /// The phase whose orders are in the record but whose dice wait for the other player's
    /// secret (only when the record's last turn is the reader's own).
    pub waiting: Option<u32>,
    /// The campaign is over, and the reader still owes the other player the secrets that
    /// let them play it to its end: a closing turn is to be sent.
    pub owes_close: bool,
    /// What the record says of the players, as checked: the next turn is built on it.
    pub(super) players: Players,
}

/// Everything about a record that needs no replay: format, signatures, the chain of hashes,
/// the order of sides and phases, the revealed secrets against the commitments, and the data
/// files against the opening's hashes. Returns the two public keys and commitments.
pub(super) fn check_record(r: &Record, scenario_path: &Path) -> Result<Players, Refusal> {
    if r.format_version != RECORD_FORMAT_VERSION {
        return Err(format!(
            "this game file is format version {}; this build of August Storm reads version {RECORD_FORMAT_VERSION}",
            r.format_version
        ));
    }
    let o = opening(r)?;
    let first = &r.turns[0];
    if first.verify(o.key).is_err() {
        return Err("turn 0 (the opening) is not signed by the key it names: it was changed after it was signed".into());
    }
    let now = input_digests(scenario_path, o.what_ifs)?;
    if let Some(changed) = changed_input(o.inputs, &now) {
        return Err(format!(
            "{changed}: both players must play from the same files (the opening lists each with its hash)"
        ));
    }
    let cal = scenario_calendar(scenario_path, o.what_ifs)?;
    let mut players = Players {
        game: first.game.clone(),
        keys: [String::new(), String::new()],
        commits: [String::new(), String::new()],
        secrets: [Vec::new(), Vec::new()],
        chain: chain_length(&cal),
    };
    players.keys[idx(o.side)] = o.key.to_string();
    players.commits[idx(o.side)] = o.commit.to_string();
    for (i, t) in r.turns.iter().enumerate().skip(1) {
        let n = i as u32;
        let what = format!("turn {n}");
        if t.game != players.game {
            return Err(format!(
                "{what} belongs to another game (game {}, not {})",
                short_id(&t.game),
                short_id(&players.game)
            ));
        }
        if t.number != n {
            return Err(format!(
                "{what} is numbered {}: turns must follow each other without a gap or a repeat",
                t.number
            ));
        }
        if t.previous != r.turns[i - 1].hash() {
            return Err(format!(
                "{what} does not follow turn {}: it names another turn before it (a turn edited, left out or sent twice)",
                n - 1
            ));
        }
        match &t.body {
            Body::Open { .. } => {
                return Err(format!(
                    "{what} opens a game, but this game is already open"
                ));
            }
            Body::Join {
                public_key,
                dice_commit,
            } => {
                if n != 1 {
                    return Err(format!("{what} accepts the game, which only turn 1 may do"));
                }
                if t.side == o.side {
                    return Err(format!(
                        "{what} accepts the game for the {} side, which the opening player already holds",
                        side_name(t.side)
                    ));
                }
                if t.verify(public_key).is_err() {
                    return Err(format!(
                        "{what} (the acceptance) is not signed by the key it names: it was changed after it was signed"
                    ));
                }
                players.keys[idx(t.side)] = public_key.clone();
                players.commits[idx(t.side)] = dice_commit.clone();
            }
            Body::Orders { turn, reveals, .. } => {
                if n < 2 {
                    return Err(format!(
                        "{what} gives orders before the second player has accepted the game"
                    ));
                }
                let p = n - 1;
                let (pturn, pside) = cal.phase_of(p);
                if *turn != pturn || t.side != pside {
                    return Err(format!(
                        "{what} gives the {} side's orders for game turn {turn}, but it is the {} side's phase of game turn {pturn}",
                        side_name(t.side),
                        side_name(pside)
                    ));
                }
                if t.verify(&players.keys[idx(t.side)]).is_err() {
                    return Err(format!(
                        "{what} is not signed by the {} player's key: it was changed after it was signed, or made by someone else",
                        side_name(t.side)
                    ));
                }
                players.take_reveals(t.side, p, reveals, &what)?;
            }
            Body::Close { reveals, .. } => {
                if n < 3 || i + 1 != r.turns.len() {
                    return Err(format!(
                        "{what} closes the game, which only its last turn, after the last phase, may do"
                    ));
                }
                if t.side == r.turns[i - 1].side {
                    return Err(format!(
                        "{what} closes the game for the {} side, which ordered the last phase itself",
                        side_name(t.side)
                    ));
                }
                if t.verify(&players.keys[idx(t.side)]).is_err() {
                    return Err(format!(
                        "{what} is not signed by the {} player's key: it was changed after it was signed, or made by someone else",
                        side_name(t.side)
                    ));
                }
                players.take_reveals(t.side, n - 2, reveals, &what)?;
            }
        }
    }
    Ok(players)
}

/// What the record says about each player: public key, dice commitment, revealed secrets.
pub(super) struct Players {
    pub(super) game: String,
    pub(super) keys: [String; 2],
    pub(super) commits: [String; 2],
    /// Revealed secrets by side, phase 1 first.
    pub(super) secrets: [Vec<[u8; 32]>; 2],
    pub(super) chain: u32,
}

pub(super) fn idx(s: Side) -> usize {
    match s {
        Side::Soviet => 0,
        Side::Japanese => 1,
    }
}

pub(super) fn short_id(g: &str) -> &str {
    g.get(..8).unwrap_or(g)
}

impl Players {
    /// A side's orders for phase `p` reveal its secrets for every phase up to `p` it had not
    /// revealed yet, in order, each the hash-chain predecessor of the one before.
    pub(super) fn take_reveals(
        &mut self,
        side: Side,
        p: u32,
        reveals: &[Reveal],
        what: &str,
    ) -> Result<(), Refusal> {
        let have = self.secrets[idx(side)].len() as u32;
        let expected: Vec<u32> = (have + 1..=p).collect();
        let got: Vec<u32> = reveals.iter().map(|r| r.phase).collect();
        if got != expected {
            return Err(format!(
                "{what} reveals the {} side's dice secrets for phases {:?}; with its orders for phase {p} it must reveal those for phases {:?}",
                side_name(side),
                got,
                expected
            ));
        }
        if p > self.chain {
            return Err(format!(
                "{what} is for phase {p}, after the last phase of the campaign ({})",
                self.chain
            ));
        }
        for r in reveals {
            let Some(x) = parse_hex32(&r.secret) else {
                return Err(format!(
                    "{what}: the secret for phase {} is not 64 hexadecimal digits",
                    r.phase
                ));
            };
            let before = match self.secrets[idx(side)].last() {
                Some(b) => *b,
                None => parse_hex32(&self.commits[idx(side)]).unwrap_or_default(),
            };
            if chain_step(&x) != before {
                return Err(format!(
                    "{what}: the {} side's dice secret for phase {} does not match what that player committed to at the start: the dice were tampered with",
                    side_name(side),
                    r.phase
                ));
            }
            self.secrets[idx(side)].push(x);
        }
        Ok(())
    }

    /// The key's side's secrets not yet revealed, for every phase up to `p`.
    pub(super) fn reveals_up_to(&self, key: &KeyFile, p: u32) -> Result<Vec<Reveal>, Refusal> {
        let root = key.root()?;
        let have = self.secrets[idx(key.side)].len() as u32;
        Ok((have + 1..=p)
            .map(|q| Reveal {
                phase: q,
                secret: hex(&secret_at(&root, self.chain, q)),
            })
            .collect())
    }

    pub(super) fn secret(&self, side: Side, p: u32) -> Option<[u8; 32]> {
        self.secrets[idx(side)].get(p as usize - 1).copied()
    }
}

/// The hash of a game's state as both players must have it (where each keeps its scenario
/// does not count).
pub fn state_hash(game: &mut Game) -> String {
    // The files are checked once, against the opening's hashes; here only the state counts.
    let mut s = crate::rules::save::world_state(game.world_mut());
    s.setup.scenario.clear();
    blake3_hex(ron::to_string(&s).unwrap_or_default().as_bytes())
}

/// Checks a record and plays it again from its scenario, as far as both players' secrets
/// allow; `reader` (the player opening it, with their key) may supply their own secret for the
/// phase the other player just ordered.
pub fn play_record(
    r: &Record,
    scenario_path: &Path,
    reader: Option<&KeyFile>,
) -> Result<Played, Refusal> {
    let players = check_record(r, scenario_path)?;
    if r.turns.len() < 2 {
        return Err("the second player has not accepted this game yet".into());
    }
    if let Some(k) = reader {
        if k.game != players.game {
            return Err(format!(
                "your key file is for another game (game {}, not {})",
                short_id(&k.game),
                short_id(&players.game)
            ));
        }
        if k.public_key()? != players.keys[idx(k.side)] {
            return Err(format!(
                "your key file does not hold the {} player's key of this game",
                side_name(k.side)
            ));
        }
    }
    let o = opening(r)?;
    let mut seed_h = blake3::Hasher::new_derive_key("august-storm 1945 game seed");
    seed_h.update(players.game.as_bytes());
    seed_h.update(players.commits[0].as_bytes());
    seed_h.update(players.commits[1].as_bytes());
    let seed_bytes = seed_h.finalize();
    let seed = u64::from_le_bytes(seed_bytes.as_bytes()[..8].try_into().unwrap_or([0; 8]));
    let (scenario, setup, switches) =
        crate::scenario::prepare_game(scenario_path, Some(seed), o.what_ifs)
            .map_err(|d| crate::scenario::diag::to_text(&d))?;
    let setup = GameSetup { seed, ..setup };
    let mut game = Game::new(&scenario, setup, switches);
    let own = |p: u32| -> Option<[u8; 32]> {
        let k = reader?;
        let root = k.root().ok()?;
        Some(secret_at(&root, players.chain, p))
    };
    let mut resolved = 0;
    let mut waiting = None;
    for (i, t) in r.turns.iter().enumerate().skip(2) {
        let what = format!("turn {i}");
        if let Body::Close {
            resolved: said,
            state,
            ..
        } = &t.body
        {
            if *said != resolved || *state != state_hash(&mut game) {
                return Err(format!(
                    "{what}: the {} player's game at its end differs from this one",
                    side_name(t.side)
                ));
            }
            if !game.calendar().finished {
                return Err(format!(
                    "{what} closes the game before the end of the campaign"
                ));
            }
            continue;
        }
        let Body::Orders {
            orders,
            resolved: said,
            state,
            ..
        } = &t.body
        else {
            continue;
        };
        let p = i as u32 - 1;
        if *said != resolved {
            return Err(format!(
                "{what} was written after {said} phases were played, but it follows {resolved}"
            ));
        }
        if *state != state_hash(&mut game) {
            return Err(format!(
                "{what}: the {} player's game differs from this one after {resolved} phases (another version of the game or of its files?)",
                side_name(t.side)
            ));
        }
        let cal = game.calendar().clone();
        if cal.finished {
            return Err(format!("{what} gives orders after the end of the campaign"));
        }
        for (k, order) in orders.iter().enumerate() {
            if *order == Order::EndTurn {
                return Err(format!(
                    "{what}: order {} ends the phase, which only the end of the turn's orders does",
                    k + 1
                ));
            }
            if let Err(reason) = game.submit(order.clone()) {
                return Err(format!(
                    "{what}: order {} of the {} side is refused by the rules: {reason}",
                    k + 1,
                    side_name(t.side)
                ));
            }
        }
        let secret = |s: Side| {
            players.secret(s, p).or_else(|| {
                (reader.map(|k| k.side) == Some(s))
                    .then(|| own(p))
                    .flatten()
            })
        };
        match (secret(Side::Soviet), secret(Side::Japanese)) {
            (Some(a), Some(b)) => {
                let (turn, side) = game.calendar().phase_of(p);
                game.world_mut()
                    .resource_mut::<PhaseDice>()
                    .keys
                    .push(PhaseKey {
                        turn,
                        side,
                        key: hex(&phase_key(&players.game, p, &a, &b)),
                    });
                game.submit(Order::EndTurn)
                    .map_err(|e| format!("{what}: the phase could not end: {e}"))?;
                resolved += 1;
            }
            _ => {
                if i + 1 != r.turns.len() {
                    return Err(format!(
                        "{what}: the dice of phase {p} wait for a secret the next turn should have revealed"
                    ));
                }
                waiting = Some(p);
            }
        }
    }
    let owes_close = match reader {
        Some(k) if game.calendar().finished && waiting.is_none() => {
            (players.secrets[idx(k.side)].len() as u32) < phases_ordered(r)
        }
        _ => false,
    };
    Ok(Played {
        game,
        resolved,
        waiting,
        owes_close,
        players,
    })
}

/// How many phases the record gives orders for.
pub(super) fn phases_ordered(r: &Record) -> u32 {
    r.turns
        .iter()
        .filter(|t| matches!(t.body, Body::Orders { .. }))
        .count() as u32
}
