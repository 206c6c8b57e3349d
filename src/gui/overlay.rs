//! What the overlays show, worked out from the world for the side viewing: read by the
//! map, the counters, the panels and the input.

use bevy::prelude::*;

use crate::model::*;

/// What the overlays show, recomputed when the turn changes.
#[derive(Resource, Default)]
pub struct OverlayData {
    pub turn: (u32, Option<Side>),
    /// Lorry haul in km from the nearest supply point, per cell.
    pub haul: Vec<Option<f64>>,
    /// Whether the viewing side held the cell at the start (where no supply shows red).
    pub owned: Vec<bool>,
    pub zoc_index: Vec<usize>,
    /// Enemy units the viewer sees now; `None` without fog of war.
    pub visible: Option<std::collections::BTreeSet<UnitId>>,
    /// Cells the viewer sees now (empty without fog).
    pub observed: Vec<bool>,
    /// Enemy units seen before and not now: where, and how long ago.
    pub last_known: Vec<crate::model::intel::KnownUnit>,
    /// What the viewer's intelligence believes of each enemy unit it knows: men and tanks,
    /// as estimated when last seen. Empty without fog.
    pub estimates: std::collections::BTreeMap<UnitId, (u32, u32)>,
}
