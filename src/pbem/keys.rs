//! The keys and the dice: each player's signing key and secret root, the hash chain
//! that commits to every phase's secret, and the signature of a turn.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::model::{Calendar, Side, hex_string as hex, parse_hex32};
use crate::scenario::digest::blake3_hex;

use super::*;

/// One step of the dice chain.
pub(super) fn chain_step(x: &[u8; 32]) -> [u8; 32] {
    blake3::derive_key("august-storm 1945 dice chain", x)
}

/// The secret of phase `p` from a chain of `len` links grown from `root`: link `len` is the
/// root, link 0 the commitment.
pub(super) fn secret_at(root: &[u8; 32], len: u32, p: u32) -> [u8; 32] {
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
pub(super) fn phase_key(game: &str, p: u32, soviet: &[u8; 32], japanese: &[u8; 32]) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("august-storm 1945 phase dice");
    h.update(game.as_bytes());
    h.update(&p.to_le_bytes());
    h.update(soviet);
    h.update(japanese);
    *h.finalize().as_bytes()
}

impl SignedTurn {
    /// The bytes a signature covers.
    pub(super) fn signed_bytes(&self) -> Vec<u8> {
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

    pub(super) fn sign(mut self, key: &SigningKey) -> Self {
        self.signature = hex(&key.sign(&self.signed_bytes()).to_bytes());
        self
    }

    pub(super) fn verify(&self, public_key: &str) -> Result<(), ()> {
        let pk = parse_hex32(public_key).ok_or(())?;
        let vk = VerifyingKey::from_bytes(&pk).map_err(|_| ())?;
        let sig = parse_hex64(&self.signature).ok_or(())?;
        vk.verify(&self.signed_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| ())
    }
}

pub(super) fn parse_hex64(s: &str) -> Option<[u8; 64]> {
    if s.len() != 128 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 64];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

pub(super) fn random32() -> [u8; 32] {
    rand::random()
}

impl KeyFile {
    pub(super) fn signing(&self) -> Result<SigningKey, Refusal> {
        parse_hex32(&self.signing_key)
            .map(|b| SigningKey::from_bytes(&b))
            .ok_or_else(|| "the key file's signing key is not 64 hexadecimal digits".into())
    }

    pub(super) fn root(&self) -> Result<[u8; 32], Refusal> {
        parse_hex32(&self.dice_root)
            .ok_or_else(|| "the key file's dice root is not 64 hexadecimal digits".into())
    }

    pub(super) fn public_key(&self) -> Result<String, Refusal> {
        Ok(hex(self.signing()?.verifying_key().as_bytes()))
    }

    pub(super) fn new(game: &str, side: Side) -> Self {
        KeyFile {
            game: game.into(),
            side,
            signing_key: hex(&random32()),
            dice_root: hex(&random32()),
        }
    }
}
