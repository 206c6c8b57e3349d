//! The dice of a phase: where a key was fixed for it (a game by e-mail), the phase's random
//! stream starts afresh from that key before any rule rolls.

use bevy::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{ResolveTurn, TurnPhase};
use crate::model::{Calendar, GameRng, PhaseDice};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(ResolveTurn, roll_phase_dice.in_set(TurnPhase::Dice));
}

/// A standard normal draw (Box–Muller) from the game's random stream: two uniform draws.
pub fn standard_normal(rng: &mut GameRng) -> f64 {
    let u1: f64 = rng.0.random::<f64>().max(1e-12);
    let u2: f64 = rng.0.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A uniform draw in [0, 1) fixed by its keys alone (SplitMix64 steps over each in turn), not
/// taken from the game's random stream: for what must come out the same whenever and
/// however often it is asked (whether a unit is in touch with its command, a game's weather).
pub fn keyed_uniform(keys: &[u64]) -> f64 {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut keys = keys.iter();
    let first = keys.next().copied().unwrap_or(0);
    let z = keys.fold(mix(first), |z, k| mix(z ^ k));
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Starts the phase's random stream from its key, if it has one.
fn roll_phase_dice(cal: Res<Calendar>, dice: Option<Res<PhaseDice>>, mut rng: ResMut<GameRng>) {
    if let Some(key) = dice.and_then(|d| d.key(cal.turn, cal.active)) {
        *rng = GameRng(ChaCha8Rng::from_seed(key));
    }
}
