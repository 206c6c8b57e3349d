//! Movement: the cost of every step by terrain, road, river and mobility; zones of control,
//! stacking and fuel; route finding for standing orders; and the march itself.

mod cost;
mod execute;
mod going;
mod march;
mod occupancy;
mod route;
mod units;

use bevy::prelude::*;

pub use cost::{Step, StepTable, step_cost};
pub use execute::execute_moves;
pub use going::{Going, Ground};
pub use march::{MarchPlan, plan_march};
pub use occupancy::Occupancy;
pub use route::find_route;
pub use units::*;

use super::TurnPhase;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Going>();
    app.add_systems(
        super::ResolveTurn,
        execute_moves.in_set(TurnPhase::Movement),
    );
}
