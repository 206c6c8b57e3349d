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

/// Starts the phase's random stream from its key, if it has one.
fn roll_phase_dice(cal: Res<Calendar>, dice: Option<Res<PhaseDice>>, mut rng: ResMut<GameRng>) {
    if let Some(key) = dice.and_then(|d| d.key(cal.turn, cal.active)) {
        *rng = GameRng(ChaCha8Rng::from_seed(key));
    }
}
