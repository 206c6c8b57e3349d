//! The engine's integration tests, one module per file beside this one, linked into one test
//! binary: each test binary links the whole game with bevy, and one binary instead of dozens
//! saves minutes of linking and gigabytes of disk. The window's tests (`gui*.rs`) keep binaries
//! of their own, so that they run after one another and never beside the engine's heavy tests.
//!
//! One file's tests: `cargo test --test engine golden::`.

mod common;

mod ai_rules;
mod batch;
mod build_deps;
mod calibration;
mod combat;
mod confidence;
mod crash_safety;
mod determinism;
mod determinism_ai;
mod fog_and_landings;
mod fuel_transfer;
mod fuzz_loaders;
mod golden;
mod hostile_check;
mod hostile_explain_save;
mod hostile_outputs;
mod integrity;
mod layers;
mod logistics;
mod malformed;
mod movement;
mod one_model;
mod pbem;
mod properties;
mod replay;
mod replay_viewer;
mod resume;
mod scenario_files;
mod scenarios;
mod schedule;
mod sea_and_river;
mod side_view;
mod sweep;
mod teaching_lesson;
mod untrusted_orders;
mod victory;
mod weather;
mod what_ifs;
