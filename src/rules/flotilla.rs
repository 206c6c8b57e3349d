//! River flotillas: their boats ferry their side's troops across the rivers they sail, at a
//! cost in movement well below an unaided crossing, and their guns blunt a river line's
//! defence against an attack across it.

use bevy::prelude::*;

use crate::model::logistics::RiverFlotillas;
use crate::model::*;

/// Whether a flotilla of `side` sails the river on the edge between two neighbouring hexes;
/// its index if so.
pub fn flotilla_at(world: &World, side: Side, a: Hex, b: Hex) -> Option<usize> {
    let key = (a.min(b), a.max(b));
    world
        .get_resource::<RiverFlotillas>()?
        .flotillas
        .iter()
        .position(|f| f.side == side && f.crossings.contains(&key))
}

/// The multiple of the river's defence bonus when a flotilla of the attackers' side sails
/// the river every attacker crosses to reach `target`.
pub fn supporting_attack(world: &mut World, attackers: &[UnitId], target: Hex) -> Option<f64> {
    let side = world.resource::<Calendar>().active;
    let mut q = world.query::<(&UnitId, &Position)>();
    let hexes: Vec<Hex> = q
        .iter(world)
        .filter(|(id, _)| attackers.contains(id))
        .map(|(_, p)| p.0)
        .collect();
    let flotillas = world.get_resource::<RiverFlotillas>()?;
    let mut factor = None;
    for h in hexes {
        let i = flotilla_at(world, side, h, target)?;
        factor = Some(flotillas.flotillas[i].river_defence_factor);
    }
    factor
}
