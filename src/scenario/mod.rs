//! Scenarios: the RON formats, loading with diagnostics, cross-reference checks, what-if
//! overlays, spawning into a world, and saved games.

pub mod diag;
pub mod load;
pub mod map_build;
pub mod notes;
pub mod orders;
pub mod ranges;
pub mod save;
pub mod save_check;
pub mod schema;
pub mod spawn;
pub mod whatif;

pub use diag::{Diagnostic, Severity};
pub use load::{Scenario, ScenarioUnit, check_file, load_scenario};
