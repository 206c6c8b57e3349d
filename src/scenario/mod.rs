//! Scenarios: the RON formats (map, scenario, rules, plan, logistics, what-ifs, orders,
//! calibration, sweeps, notes and the save format), loading them with diagnostics and
//! cross-reference checks, what a batch measures, and spawning a scenario into a world.
//! Nothing here runs the rules: playing, saving and restoring a game are `rules`'.

pub mod calibration;
pub mod catalogue;
pub mod check;
pub mod diag;
pub mod digest;
pub mod fieldpath;
pub mod load;
pub mod map_build;
pub mod measures;
pub mod notes;
pub mod orders;
pub mod ranges;
pub mod save;
pub mod schema;
pub mod spawn;
pub mod sweep;
pub mod whatif;

pub use diag::{Diagnostic, Severity};
pub use load::{Scenario, ScenarioUnit, load_scenario};

/// Loads a scenario and applies what-ifs: everything a new game is spawned from.
pub fn prepare_game(
    scenario: &std::path::Path,
    seed: Option<u64>,
    what_ifs: &[String],
) -> Result<(Scenario, spawn::GameSetup, whatif::Switches), Vec<Diagnostic>> {
    let mut s = load_scenario(scenario)?;
    let mut switches = whatif::Switches::default();
    for w in what_ifs {
        let wf = whatif::find_what_if(scenario, w)?;
        whatif::apply_checked(&mut s, &wf, &mut switches)?;
    }
    let setup = spawn::GameSetup {
        scenario: scenario.display().to_string(),
        scenario_name: s.file.name.clone(),
        seed: seed.unwrap_or(s.file.seed),
        what_ifs: what_ifs.to_vec(),
    };
    Ok((s, setup, switches))
}
