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

use serde::{Deserialize, Serialize};

use crate::model::{Order, Side};
use crate::scenario::digest::InputDigest;

mod keys;
mod open;
mod play;
pub mod setup;
mod turn;

pub use keys::*;
pub use open::*;
pub use play::*;
pub use turn::*;

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

pub(super) fn side_name(s: Side) -> &'static str {
    s.name()
}
