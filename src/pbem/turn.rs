//! The next turn of a side, a received turn taken in, and what the reader is shown.

use std::path::{Path, PathBuf};

use crate::model::Order;
use crate::rules::Game;

use super::*;

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
pub(super) fn close_turn(
    r: &Record,
    key: &KeyFile,
    mut played: Played,
) -> Result<(Record, Game), Refusal> {
    let body = Body::Close {
        reveals: played.players.reveals_up_to(key, phases_ordered(r))?,
        resolved: played.resolved,
        state: state_hash(&mut played.game),
    };
    Ok((sign_next(r, &played.players, key, body)?, played.game))
}

/// The record with one more turn of the key's side, saying `body`, signed.
pub(super) fn sign_next(
    r: &Record,
    players: &Players,
    key: &KeyFile,
    body: Body,
) -> Result<Record, Refusal> {
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
