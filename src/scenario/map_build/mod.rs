//! Building the hex map from a map file: its features checked, rasterised into the hex grid,
//! and its places checked on the grid.

mod check;
mod raster;

use crate::model::map::Map;
use crate::scenario::diag::{Diagnostic, SourceText};
use crate::scenario::schema::MapFile;

pub use check::check_layer;
use check::{check_map, check_places_on_land};
pub use raster::rasterise;

/// Most hexes a map may have: some twenty times the historical map's.
pub const MAX_MAP_HEXES: u32 = 250_000;

/// Checks the map file and reports every problem; then builds the hex map.
pub fn build_map(
    file: &MapFile,
    src: &SourceText,
) -> Result<(Map, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = check_map(file, src);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let map = rasterise(file);
    diags.extend(check_places_on_land(file, &map, src));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((map, diags))
}
