//! August Storm: a turn-based operational wargame of the Soviet invasion of Manchuria,
//! 9 August – 2 September 1945.
//!
//! Layers, each importing only those to its left:
//! `model` ← `scenario` ← `rules` ← `ai` ← `report` ← `pbem` ← `launch` ← `cli`, `gui`.
//! `cli` and `gui` (the window, behind the `gui` feature) stand side by side and import
//! neither the other: `cli::run` runs a command or returns the `launch::PlayArgs` of the
//! window to open, and the binary (`main.rs`, above everything) opens it.
//! `tests/layers.rs` fails when an import runs the other way, or files import each other in a
//! circle.

// Bevy systems take what they read and write as parameters and queries as tuple types: many
// parameters and long types are how the ECS is meant to be used.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

pub mod ai;
pub mod cli;
#[cfg(feature = "gui")]
pub mod gui;
pub mod launch;
pub mod model;
pub mod pbem;
pub mod report;
pub mod rules;
pub mod scenario;
