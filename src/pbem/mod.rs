//! Play by e-mail: a game kept as a record of signed turns that both players verify by
//! playing it again, with dice neither player can foresee or choose.
//!
//! - Each player makes a key pair for the game (ed25519). The opening turn holds the first
//!   player's public key, the acceptance the second's; every later turn is signed by the side
//!   whose phase it orders and names the BLAKE3 hash of the turn before it. A turn from the
//!   wrong side, out of order, sent twice, edited, or from another game is refused.
//! - Dice by commit and reveal: each player draws a secret root and publishes, at the start,
//!   the end of a hash chain grown from it. The secret of phase `i` is the chain's `i`-th link
//!   from that end, so each revealed secret is checked against the one before it and none can
//!   be chosen after the start. A phase's dice come from both players' secrets for it. The
//!   side that moves reveals its secret with its orders, so neither knows the dice before the
//!   orders of the phase are fixed.
//! - A turn file is the whole record so far; it carries orders, revealed secrets and hashes of
//!   the state, never the state itself, so it holds no unit the receiver may not see. The
//!   receiver rebuilds the state by playing the record again from the scenario, and is shown
//!   only what its side sees.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::model::{Calendar, Order, PhaseDice, PhaseKey, Side, hex_string as hex, parse_hex32};
use crate::rules::Game;
use crate::scenario::digest::{InputDigest, blake3_hex, changed_input, input_digests};
use crate::scenario::spawn::GameSetup;

pub mod setup;

/// The record format this build writes and reads.
pub const RECORD_FORMAT_VERSION: u32 = 1;

/// A game by e-mail so far: every turn, signed. A turn file sent to the other player is a
/// record; each player keeps the latest one as their copy of the game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format_version: u32,
    pub turns: Vec<SignedTurn>,
}

/// One turn of the record: what it says, who says it, and the signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedTurn {
    /// 0 for the opening, 1 for the acceptance, then one a phase.
    pub number: u32,
    /// The game's id, drawn at random when it was opened.
    pub game: String,
    /// The side that signs it.
    pub side: Side,
    /// BLAKE3 of the turn before it (empty for the opening).
    pub previous: String,
    pub body: Body,
    /// ed25519 signature of everything above, by the key of `side`.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Body {
    /// The game as the first player set it up.
    Open {
        /// The scenario, as the first player named it (the receiver may name its own copy).
        scenario: String,
        scenario_name: String,
        what_ifs: Vec<String>,
        /// The data files with their hashes: both players must play from the same ones.
        inputs: Vec<InputDigest>,
        public_key: String,
        /// The end of this player's dice chain.
        dice_commit: String,
    },
    /// The second player's acceptance.
    Join {
        public_key: String,
        dice_commit: String,
    },
    /// A side's orders for its phase.
    Orders {
        turn: u32,
        /// The orders, as the rules took them; the phase ends after the last.
        orders: Vec<Order>,
        /// The signer's dice secrets revealed with this turn, by phase number.
        reveals: Vec<Reveal>,
        /// How many phases the signer had played when it wrote this turn, and the hash of
        /// the game's state then: both players must have the same game.
        resolved: u32,
        state: String,
    },
    /// After the last phase: the secrets still owed, so that the other player can play the
    /// campaign to its end too.
    Close {
        reveals: Vec<Reveal>,
        resolved: u32,
        state: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    pub phase: u32,
    pub secret: String,
}

/// A player's private key file: keep it, never send it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    pub game: String,
    pub side: Side,
    /// The ed25519 signing key.
    pub signing_key: String,
    /// The root of the dice chain.
    pub dice_root: String,
}

/// Why a record or a turn is refused, in words.
pub type Refusal = String;

fn side_name(s: Side) -> &'static str {
    s.name()
}

fn other(s: Side) -> Side {
    match s {
        Side::Soviet => Side::Japanese,
        Side::Japanese => Side::Soviet,
    }
}

/// One step of the dice chain.
fn chain_step(x: &[u8; 32]) -> [u8; 32] {
    blake3::derive_key("august-storm 1945 dice chain", x)
}

/// The secret of phase `p` from a chain of `len` links grown from `root`: link `len` is the
/// root, link 0 the commitment.
fn secret_at(root: &[u8; 32], len: u32, p: u32) -> [u8; 32] {
    let mut x = *root;
    for _ in p..len {
        x = chain_step(&x);
    }
    x
}

/// The phases a game of this calendar can have, so the length of every dice chain.
pub fn chain_length(cal: &Calendar) -> u32 {
    cal.turns().saturating_mul(2)
}

/// The key of a phase's dice from both players' secrets for it.
fn phase_key(game: &str, p: u32, soviet: &[u8; 32], japanese: &[u8; 32]) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("august-storm 1945 phase dice");
    h.update(game.as_bytes());
    h.update(&p.to_le_bytes());
    h.update(soviet);
    h.update(japanese);
    *h.finalize().as_bytes()
}

impl SignedTurn {
    /// The bytes a signature covers.
    fn signed_bytes(&self) -> Vec<u8> {
        ron::to_string(&(
            self.number,
            &self.game,
            self.side,
            &self.previous,
            &self.body,
        ))
        .unwrap_or_default()
        .into_bytes()
    }

    /// BLAKE3 of the whole turn, signature included: what the next turn names.
    pub fn hash(&self) -> String {
        blake3_hex(ron::to_string(self).unwrap_or_default().as_bytes())
    }

    /// The turn signed with a player's key (the signature field replaced).
    pub fn signed_by(self, key: &KeyFile) -> Result<Self, Refusal> {
        Ok(self.sign(&key.signing()?))
    }

    fn sign(mut self, key: &SigningKey) -> Self {
        self.signature = hex(&key.sign(&self.signed_bytes()).to_bytes());
        self
    }

    fn verify(&self, public_key: &str) -> Result<(), ()> {
        let pk = parse_hex32(public_key).ok_or(())?;
        let vk = VerifyingKey::from_bytes(&pk).map_err(|_| ())?;
        let sig = parse_hex64(&self.signature).ok_or(())?;
        vk.verify(&self.signed_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| ())
    }
}

fn parse_hex64(s: &str) -> Option<[u8; 64]> {
    if s.len() != 128 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 64];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn random32() -> [u8; 32] {
    rand::random()
}

impl KeyFile {
    fn signing(&self) -> Result<SigningKey, Refusal> {
        parse_hex32(&self.signing_key)
            .map(|b| SigningKey::from_bytes(&b))
            .ok_or_else(|| "the key file's signing key is not 64 hexadecimal digits".into())
    }

    fn root(&self) -> Result<[u8; 32], Refusal> {
        parse_hex32(&self.dice_root)
            .ok_or_else(|| "the key file's dice root is not 64 hexadecimal digits".into())
    }

    fn public_key(&self) -> Result<String, Refusal> {
        Ok(hex(self.signing()?.verifying_key().as_bytes()))
    }

    fn new(game: &str, side: Side) -> Self {
        KeyFile {
            game: game.into(),
            side,
            signing_key: hex(&random32()),
            dice_root: hex(&random32()),
        }
    }
}

/// A new game: the first player's key file and the opening record to send.
pub fn open_game(
    scenario_path: &Path,
    scenario_as_named: &str,
    what_ifs: &[String],
    side: Side,
) -> Result<(KeyFile, Record), Refusal> {
    let (scenario, _, _) = crate::scenario::prepare_game(scenario_path, None, what_ifs)
        .map_err(|d| crate::scenario::diag::to_text(&d))?;
    let inputs = input_digests(scenario_path, what_ifs)?;
    let game = hex(&random32()[..16]);
    let key = KeyFile::new(&game, side);
    let cal = Calendar::new(
        scenario.start,
        scenario.end,
        scenario.file.turn_hours,
        scenario.moves_first(),
    );
    let commit = hex(&secret_at(&key.root()?, chain_length(&cal), 0));
    let turn = SignedTurn {
        number: 0,
        game: game.clone(),
        side,
        previous: String::new(),
        body: Body::Open {
            scenario: scenario_as_named.to_string(),
            scenario_name: scenario.file.name.clone(),
            what_ifs: what_ifs.to_vec(),
            inputs,
            public_key: key.public_key()?,
            dice_commit: commit,
        },
        signature: String::new(),
    }
    .sign(&key.signing()?);
    Ok((
        key,
        Record {
            format_version: RECORD_FORMAT_VERSION,
            turns: vec![turn],
        },
    ))
}

/// The opening's fields.
struct Opening<'a> {
    scenario: &'a str,
    what_ifs: &'a [String],
    inputs: &'a [InputDigest],
    side: Side,
    key: &'a str,
    commit: &'a str,
}

fn opening(r: &Record) -> Result<Opening<'_>, Refusal> {
    let Some(t) = r.turns.first() else {
        return Err("the record holds no turns".into());
    };
    match &t.body {
        Body::Open {
            scenario,
            what_ifs,
            inputs,
            public_key,
            dice_commit,
            ..
        } if t.number == 0 => Ok(Opening {
            scenario,
            what_ifs,
            inputs,
            side: t.side,
            key: public_key,
            commit: dice_commit,
        }),
        _ => Err("the record's first turn is not the opening of a game".into()),
    }
}

/// The second player accepts the game of an opening record: their key file and the record
/// with their acceptance, to send back.
pub fn join_game(opened: &Record, scenario_path: &Path) -> Result<(KeyFile, Record), Refusal> {
    if opened.turns.len() != 1 {
        return Err(format!(
            "this record holds {} turns: only a game's opening, with its one turn, can be joined",
            opened.turns.len()
        ));
    }
    check_record(opened, scenario_path)?;
    let o = opening(opened)?;
    let first = &opened.turns[0];
    let side = other(o.side);
    let key = KeyFile::new(&first.game, side);
    let cal = scenario_calendar(scenario_path, o.what_ifs)?;
    let commit = hex(&secret_at(&key.root()?, chain_length(&cal), 0));
    let turn = SignedTurn {
        number: 1,
        game: first.game.clone(),
        side,
        previous: first.hash(),
        body: Body::Join {
            public_key: key.public_key()?,
            dice_commit: commit,
        },
        signature: String::new(),
    }
    .sign(&key.signing()?);
    let mut record = opened.clone();
    record.turns.push(turn);
    Ok((key, record))
}

fn scenario_calendar(scenario_path: &Path, what_ifs: &[String]) -> Result<Calendar, Refusal> {
    let (s, _, _) = crate::scenario::prepare_game(scenario_path, None, what_ifs)
        .map_err(|d| crate::scenario::diag::to_text(&d))?;
    Ok(Calendar::new(
        s.start,
        s.end,
        s.file.turn_hours,
        s.moves_first(),
    ))
}

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
    players: Players,
}

/// Everything about a record that needs no replay: format, signatures, the chain of hashes,
/// the order of sides and phases, the revealed secrets against the commitments, and the data
/// files against the opening's hashes. Returns the two public keys and commitments.
fn check_record(r: &Record, scenario_path: &Path) -> Result<Players, Refusal> {
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
struct Players {
    game: String,
    keys: [String; 2],
    commits: [String; 2],
    /// Revealed secrets by side, phase 1 first.
    secrets: [Vec<[u8; 32]>; 2],
    chain: u32,
}

fn idx(s: Side) -> usize {
    match s {
        Side::Soviet => 0,
        Side::Japanese => 1,
    }
}

fn short_id(g: &str) -> &str {
    g.get(..8).unwrap_or(g)
}

impl Players {
    /// A side's orders for phase `p` reveal its secrets for every phase up to `p` it had not
    /// revealed yet, in order, each the hash-chain predecessor of the one before.
    fn take_reveals(
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
    fn reveals_up_to(&self, key: &KeyFile, p: u32) -> Result<Vec<Reveal>, Refusal> {
        let root = key.root()?;
        let have = self.secrets[idx(key.side)].len() as u32;
        Ok((have + 1..=p)
            .map(|q| Reveal {
                phase: q,
                secret: hex(&secret_at(&root, self.chain, q)),
            })
            .collect())
    }

    fn secret(&self, side: Side, p: u32) -> Option<[u8; 32]> {
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
fn phases_ordered(r: &Record) -> u32 {
    r.turns
        .iter()
        .filter(|t| matches!(t.body, Body::Orders { .. }))
        .count() as u32
}

/// The next turn of the reader's side: its orders for the phase now to play, signed, with its
/// dice secrets for the phases up to it. `orders` are given to the game by `give`, which
/// returns how many the rules refused.
pub fn next_turn(
    r: &Record,
    scenario_path: &Path,
    key: &KeyFile,
    give: impl FnOnce(&mut Game) -> Result<(), Refusal>,
) -> Result<(Record, Game), Refusal> {
    let mut played = play_record(r, scenario_path, Some(key))?;
    if let Some(p) = played.waiting {
        let (turn, side) = played.game.calendar().phase_of(p);
        return Err(format!(
            "your orders for the {} phase of game turn {turn} are already in this game: wait for the other player's turn",
            side_name(side)
        ));
    }
    let cal = played.game.calendar().clone();
    if cal.finished {
        if !played.owes_close {
            return Err("the campaign is over: there are no more turns to play".into());
        }
        return close_turn(r, key, played);
    }
    if cal.active != key.side {
        return Err(format!(
            "it is the {} side's phase of game turn {}, not yours: you play the {} side",
            side_name(cal.active),
            cal.turn,
            side_name(key.side)
        ));
    }
    let p = cal.phase_number(cal.turn, cal.active);
    let state = state_hash(&mut played.game);
    let before = played
        .game
        .world()
        .resource::<crate::model::OrderLog>()
        .entries
        .len();
    give(&mut played.game)?;
    let orders: Vec<Order> = played
        .game
        .world()
        .resource::<crate::model::OrderLog>()
        .entries[before..]
        .iter()
        .map(|e| e.order.clone())
        .filter(|o| *o != Order::EndTurn)
        .collect();
    if played.game.calendar().turn != cal.turn || played.game.calendar().active != cal.active {
        return Err("the orders ended the phase themselves".into());
    }
    let reveals = played.players.reveals_up_to(key, p)?;
    let body = Body::Orders {
        turn: cal.turn,
        orders,
        reveals,
        resolved: played.resolved,
        state,
    };
    Ok((sign_next(r, &played.players, key, body)?, played.game))
}

/// The closing turn: the reader's remaining secrets, so that the other player can play the
/// last phase too.
fn close_turn(r: &Record, key: &KeyFile, mut played: Played) -> Result<(Record, Game), Refusal> {
    let body = Body::Close {
        reveals: played.players.reveals_up_to(key, phases_ordered(r))?,
        resolved: played.resolved,
        state: state_hash(&mut played.game),
    };
    Ok((sign_next(r, &played.players, key, body)?, played.game))
}

/// The record with one more turn of the key's side, saying `body`, signed.
fn sign_next(r: &Record, players: &Players, key: &KeyFile, body: Body) -> Result<Record, Refusal> {
    let last = r.turns.last().ok_or("the record holds no turns")?;
    let turn = SignedTurn {
        number: r.turns.len() as u32,
        game: players.game.clone(),
        side: key.side,
        previous: last.hash(),
        body,
        signature: String::new(),
    }
    .sign(&key.signing()?);
    let mut out = r.clone();
    out.turns.push(turn);
    Ok(out)
}

/// A record received from the other player, checked against the reader's own copy: it must
/// be that copy with the other player's new turns after it, nothing of the reader's changed.
pub fn accept_received(mine: &Record, received: &Record, key: &KeyFile) -> Result<(), Refusal> {
    let first_mine = mine.turns.first().map(|t| t.game.as_str());
    let first_recv = received.turns.first().map(|t| t.game.as_str());
    if first_mine != first_recv {
        return Err(format!(
            "this turn file belongs to another game (game {}, not {})",
            short_id(first_recv.unwrap_or("?")),
            short_id(first_mine.unwrap_or("?"))
        ));
    }
    if received.turns.len() <= mine.turns.len() {
        if mine.turns.starts_with(&received.turns) {
            return Err(format!(
                "this turn file holds nothing new: its last turn, {}, is already in your game (a turn opened twice, or an old one sent again)",
                received.turns.len().saturating_sub(1)
            ));
        }
        return Err(
            "this turn file does not continue your game: it holds other turns than yours".into(),
        );
    }
    for (i, (a, b)) in mine.turns.iter().zip(&received.turns).enumerate() {
        if a != b {
            return Err(format!(
                "turn {i} of this turn file differs from your own copy of the game: a turn already played was changed"
            ));
        }
    }
    if let Some(t) = received.turns[mine.turns.len()..]
        .iter()
        .find(|t| t.side == key.side)
    {
        return Err(format!(
            "turn {} of this turn file is signed as your own side, the {}: only the other player's turns can arrive by e-mail",
            t.number,
            side_name(key.side)
        ));
    }
    Ok(())
}

/// The scenario the record names, unless the reader names its own copy.
pub fn scenario_path(r: &Record, given: Option<&Path>) -> Result<PathBuf, Refusal> {
    match given {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(PathBuf::from(opening(r)?.scenario)),
    }
}

/// The side the reader of a record plays and whether it is their move, in words.
pub fn whose_move(played: &Played, key: &KeyFile) -> String {
    let cal = played.game.calendar();
    if cal.finished && played.owes_close {
        return "The campaign is over. Send the other player your closing turn (`pbem turn` with no orders), so that they can play the last phase too.".into();
    }
    if cal.finished {
        return "The campaign is over.".into();
    }
    if let Some(p) = played.waiting {
        let (turn, side) = cal.phase_of(p);
        return format!(
            "Your orders for the {} phase of game turn {turn} are sent: waiting for the other player's turn.",
            side_name(side)
        );
    }
    if cal.active == key.side {
        format!(
            "Your move: the {} phase of game turn {} ({}).",
            side_name(cal.active),
            cal.turn,
            crate::model::time::display_local(cal.now())
        )
    } else {
        format!(
            "The {} player's move: send them your last turn file.",
            side_name(cal.active)
        )
    }
}

/// A game by e-mail for the window: the player's copy, key and scenario, and where the turn
/// to send is written.
#[derive(Debug, Clone)]
pub struct WindowGame {
    pub game: PathBuf,
    pub send: PathBuf,
    pub key: KeyFile,
    pub record: Record,
    pub scenario: PathBuf,
}

impl WindowGame {
    /// The game as the record gives it, for the window to show.
    pub fn play(&self) -> Result<Played, String> {
        play_record(&self.record, &self.scenario, Some(&self.key))
    }

    /// Whether the player's turn for the phase now to play is already sent.
    pub fn sent(&self) -> bool {
        self.record.turns.len() > 2
            && self
                .record
                .turns
                .last()
                .is_some_and(|t| t.side == self.key.side)
    }

    /// Signs the orders the player gave in the window for this phase, writes the turn file
    /// to send and the player's copy, and says where it went.
    pub fn send_turn(&mut self, orders: &[crate::model::Order]) -> Result<String, String> {
        let (record, _) = next_turn(&self.record, &self.scenario, &self.key, |g: &mut Game| {
            for (i, o) in orders.iter().enumerate() {
                g.submit(o.clone())
                    .map_err(|e| format!("order {} was refused: {e}", i + 1))?;
            }
            Ok(())
        })?;
        let text = ron::ser::to_string_pretty(
            &record,
            ron::ser::PrettyConfig::default().indentor(" ".to_string()),
        )
        .map_err(|e| e.to_string())?;
        for p in [&self.send, &self.game] {
            crate::scenario::save::write_atomically(p, text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        self.record = record;
        Ok(format!(
            "your orders are signed and saved in {}: send it to the other player",
            self.send.display()
        ))
    }
}
