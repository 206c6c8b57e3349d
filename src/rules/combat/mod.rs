//! Combat: attacks resolved from men, tanks, guns and air support, with terrain, rivers,
//! fortification, ammunition, readiness, surprise and weather; losses, retreat, rout and
//! surrender of the surrounded.

mod air_strikes;
mod battle;
mod odds;

use bevy::prelude::*;

pub use air_strikes::strike_armour;
pub use battle::{Support, fight, resolve_attacks, validate_attack};
pub use odds::{
    Odds, OddsFactor, air_superiority, base_value, ground_defence, in_contact, in_surprise, odds,
    odds_explained,
};

use super::{ResolveTurn, TurnPhase};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        ResolveTurn,
        (resolve_attacks, strike_armour)
            .chain()
            .in_set(TurnPhase::Combat),
    );
}
