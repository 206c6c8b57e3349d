//! Loading a map file with its layers, rasterised to hexes, with its warnings.

use std::path::Path;

use crate::model::map::Map;
use crate::scenario::diag::{Diagnostic, Severity, parse_ron};
use crate::scenario::map_build::build_map;
use crate::scenario::schema::{MapFile, MapLayer};

use super::read_source;

pub fn load_map(path: &Path) -> Result<(Map, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = read_source(path).map_err(|d| vec![d])?;
    let mut file: MapFile = parse_ron(&src).map_err(|d| vec![d])?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut diags = Vec::new();
    for (i, layer) in file.layers.clone().iter().enumerate() {
        let lpath = dir.join(layer);
        if !lpath.exists() {
            let off = src.key(0, "layers").map(|o| {
                src.text[o..]
                    .find(&format!("\"{layer}\""))
                    .map_or(o, |k| o + k)
            });
            let mut x = src.at_offset(
                Severity::Error,
                off,
                format!(
                    "the map layer {} (layer {}) does not exist",
                    lpath.display(),
                    i + 1
                ),
            );
            x.hint = Some("layer paths are relative to the map file".into());
            diags.push(x);
            continue;
        }
        let lsrc = match read_source(&lpath) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match parse_ron::<MapLayer>(&lsrc) {
            Ok(l) => {
                crate::scenario::map_build::check_layer(&mut diags, &lsrc, Some(&file.bounds), &l);
                file.areas.extend(l.areas);
                file.countries.extend(l.countries);
                file.rivers.extend(l.rivers);
                file.railways.extend(l.railways);
                file.roads.extend(l.roads);
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    build_map(&file, &src).map(|(m, mut w)| {
        w.splice(0..0, diags);
        (m, w)
    })
}
