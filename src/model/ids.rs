//! Stable identifiers. `Entity` ids change across save and load; these do not.

use bevy::prelude::Component;
use serde::{Deserialize, Serialize};

/// A unit of manoeuvre, numbered in scenario order.
#[derive(
    Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct UnitId(pub u32);

/// A named place, numbered in map order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PlaceId(pub u32);

/// A command echelon (front, army, corps HQ, air army), numbered in scenario order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FormationId(pub u32);
