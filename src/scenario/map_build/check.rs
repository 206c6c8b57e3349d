//! Checking a map file and its layers before they are rasterised (sizes, bounds, every
//! feature's points and names), and the places after (each on land).

use std::collections::BTreeSet;

use super::MAX_MAP_HEXES;
use crate::model::geo::point_in_polygon;
use crate::model::map::Map;
use crate::scenario::diag::{Diagnostic, Severity, SourceText};
use crate::scenario::schema::{BoundsDef, MapFile, MapLayer, TerrainKind};

/// Roughly how many hexes cover a box (infinite for a box that is not a box).
fn map_hexes(b: &BoundsDef, hex_km: f64) -> f64 {
    let (s, n) = (b.south.clamp(-90.0, 90.0), b.north.clamp(-90.0, 90.0));
    let widest = if s <= 0.0 && n >= 0.0 {
        1.0
    } else {
        s.abs().min(n.abs()).to_radians().cos()
    };
    let height = (n - s) * 111.0;
    let width = (b.east - b.west) * 111.0 * widest;
    let hex_area = hex_km * hex_km * 0.866;
    let v = height * width / hex_area;
    if v.is_finite() && hex_km > 0.0 {
        v.max(0.0)
    } else {
        f64::INFINITY
    }
}

pub(super) fn check_map(f: &MapFile, src: &SourceText) -> Vec<Diagnostic> {
    let mut d = crate::scenario::ranges::check_ranges(src, f);
    check_grid(&mut d, f, src);
    check_layer(
        &mut d,
        src,
        Some(&f.bounds),
        &MapLayer {
            areas: f.areas.clone(),
            countries: f.countries.clone(),
            rivers: f.rivers.clone(),
            railways: f.railways.clone(),
            roads: f.roads.clone(),
        },
    );
    check_sites(&mut d, f, src);
    d
}

/// The hex size, the bounds, the size of the grid they make, and the projection's parallels.
fn check_grid(d: &mut Vec<Diagnostic>, f: &MapFile, src: &SourceText) {
    let err = |off: Option<usize>, msg: String, hint: Option<&str>| {
        let mut x = src.at_offset(Severity::Error, off, msg);
        x.hint = hint.map(str::to_string);
        x
    };
    if !(5.0..=25.0).contains(&f.hex_km) {
        d.push(err(
            src.key(0, "hex_km"),
            format!("hex_km is {}, expected 5.0 to 25.0 km", f.hex_km),
            Some("hexes are at most 25 km across so that distances stay honest"),
        ));
    }
    let b = &f.bounds;
    if !(b.south < b.north && b.west < b.east && b.south > -80.0 && b.north < 80.0) {
        d.push(err(
            src.key(0, "bounds"),
            "bounds must have south < north and west < east, within ±80° latitude".into(),
            None,
        ));
    }
    // The grid's size from the box and the hex: a continent of 5 km hexes would take
    // gigabytes and minutes to lay out, so the map is refused before it is built.
    let hexes = map_hexes(b, f.hex_km);
    if (5.0..=25.0).contains(&f.hex_km) && hexes > MAX_MAP_HEXES as f64 {
        d.push(err(
            src.key(0, "bounds"),
            format!(
                "these bounds with {} km hexes make about {} hexes; a map is limited to {MAX_MAP_HEXES}",
                crate::scenario::diag::figure(f.hex_km),
                crate::scenario::diag::figure(hexes.round())
            ),
            Some("narrow the bounds or use larger hexes"),
        ));
    }
    let (p1, p2) = f.projection.standard_parallels;
    if !(p1 > 0.0 && p2 < 85.0 && p1 <= p2) {
        d.push(err(
            src.key(0, "standard_parallels"),
            "standard parallels must lie between 0° and 85° N, the southern one first".into(),
            None,
        ));
    }
}

/// The passes, places and fortified regions: their points near the map, the places on it
/// under names of their own, the works' levels and radii.
fn check_sites(d: &mut Vec<Diagnostic>, f: &MapFile, src: &SourceText) {
    let err = |off: Option<usize>, msg: String, hint: Option<&str>| {
        let mut x = src.at_offset(Severity::Error, off, msg);
        x.hint = hint.map(str::to_string);
        x
    };
    let b = &f.bounds;
    let in_range = |&(lat, lon): &(f64, f64)| {
        lat.is_finite()
            && lon.is_finite()
            && lat >= b.south - 10.0
            && lat <= b.north + 10.0
            && lon >= b.west - 15.0
            && lon <= b.east + 15.0
    };
    let check_points = |d: &mut Vec<Diagnostic>,
                        list: &str,
                        i: usize,
                        name: &str,
                        pts: &[(f64, f64)],
                        min: usize| {
        if pts.len() < min {
            d.push(err(
                src.entry(list, i),
                format!("{name} has {} points; at least {min} are needed", pts.len()),
                None,
            ));
        }
        if let Some(p) = pts.iter().find(|p| !in_range(p)) {
            d.push(err(
                src.entry(list, i),
                format!(
                    "{name} has the point ({}, {}), far outside the map's bounds",
                    p.0, p.1
                ),
                Some("points are (lat, lon): latitude first"),
            ));
        }
    };
    for (i, p) in f.passes.iter().enumerate() {
        check_points(d, "passes", i, &p.name, &[p.at], 1);
    }
    let mut seen = BTreeSet::new();
    for (i, p) in f.places.iter().enumerate() {
        check_points(d, "places", i, &p.name, &[p.at], 1);
        if !in_bounds(p.at, f) {
            d.push(err(
                src.field("places", i, "at"),
                format!(
                    "place {} at ({}, {}) is off the map (bounds {}–{} °N, {}–{} °E)",
                    p.name, p.at.0, p.at.1, b.south, b.north, b.west, b.east
                ),
                Some("coordinates are (lat, lon) in decimal degrees"),
            ));
        }
        for n in std::iter::once(&p.name).chain(&p.aliases) {
            if !seen.insert(n.to_lowercase()) {
                d.push(err(
                    src.entry("places", i),
                    format!("the place name or alias \"{n}\" is used twice"),
                    Some("each name must lead to one place"),
                ));
            }
        }
    }
    for (i, r) in f.fortified_regions.iter().enumerate() {
        check_points(d, "fortified_regions", i, &r.name, &[r.at], 1);
        if !(1..=5).contains(&r.level) {
            d.push(err(
                src.field("fortified_regions", i, "level"),
                format!("{} has level {}, expected 1 to 5", r.name, r.level),
                None,
            ));
        }
        if !(r.radius_km > 0.0 && r.radius_km <= 100.0) {
            d.push(err(
                src.field("fortified_regions", i, "radius_km"),
                format!(
                    "{} has radius {} km, expected more than 0 and at most 100",
                    r.name, r.radius_km
                ),
                None,
            ));
        }
    }
}

fn point_in_range(b: Option<&BoundsDef>, &(lat, lon): &(f64, f64)) -> bool {
    let Some(b) = b else {
        return lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
    };
    lat.is_finite()
        && lon.is_finite()
        && lat >= b.south - 10.0
        && lat <= b.north + 10.0
        && lon >= b.west - 15.0
        && lon <= b.east + 15.0
}

/// Checks the feature lists of a map or of one of its layer files (against the map's bounds
/// when known).
pub fn check_layer(
    d: &mut Vec<Diagnostic>,
    src: &SourceText,
    bounds: Option<&BoundsDef>,
    layer: &MapLayer,
) {
    let mut check = |list: &str, i: usize, name: &str, pts: &[(f64, f64)], min: usize| {
        if pts.len() < min {
            d.push(src.at_offset(
                Severity::Error,
                src.entry(list, i),
                format!("{name} has {} points; at least {min} are needed", pts.len()),
            ));
        }
        if let Some(p) = pts.iter().find(|p| !point_in_range(bounds, p)) {
            let mut x = src.at_offset(
                Severity::Error,
                src.entry(list, i),
                format!(
                    "{name} has the point ({}, {}), far outside the map's bounds",
                    p.0, p.1
                ),
            );
            x.hint = Some("points are (lat, lon): latitude first".into());
            d.push(x);
        }
    };
    for (i, a) in layer.areas.iter().enumerate() {
        check("areas", i, &a.name, &a.polygon, 3);
    }
    for (i, a) in layer.countries.iter().enumerate() {
        check("countries", i, &a.name, &a.polygon, 3);
    }
    for (i, a) in layer.rivers.iter().enumerate() {
        check("rivers", i, &a.name, &a.line, 2);
    }
    for (i, a) in layer.railways.iter().enumerate() {
        check("railways", i, &a.name, &a.line, 2);
    }
    for (i, a) in layer.roads.iter().enumerate() {
        check("roads", i, &a.name, &a.line, 2);
    }
}

fn in_bounds(p: (f64, f64), f: &MapFile) -> bool {
    let b = &f.bounds;
    p.0 >= b.south && p.0 <= b.north && p.1 >= b.west && p.1 <= b.east
}

pub(super) fn check_places_on_land(f: &MapFile, map: &Map, src: &SourceText) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    for (i, p) in map.places.iter().enumerate() {
        let cell = map.cell(p.hex);
        let off = src.field("places", i, "at");
        // Terrain at the true coordinate: the last area containing it.
        let here = f
            .areas
            .iter()
            .rfind(|a| point_in_polygon(p.at, &a.polygon))
            .map_or(f.base_terrain, |a| a.terrain);
        if matches!(here, TerrainKind::Sea | TerrainKind::Lake) {
            let mut x = src.at_offset(
                Severity::Error,
                off,
                format!(
                    "place {} falls in a {here:?} area; a place must stand on land",
                    p.name
                ),
            );
            x.hint = Some("move the coordinate or redraw the water area's outline".into());
            d.push(x);
            continue;
        }
        match cell {
            None => {} // already reported as off the map
            Some(c) if matches!(c.terrain, TerrainKind::Sea | TerrainKind::Lake) => {
                d.push(src.at_offset(
                    Severity::Error,
                    off,
                    format!(
                        "place {} stands on land, but its hex {} and every free neighbour are {:?}",
                        p.name, p.hex, c.terrain
                    ),
                ));
            }
            Some(c) if c.place != Some(p.id) => {
                d.push(src.at_offset(
                    Severity::Error,
                    off,
                    format!(
                        "place {} shares its hex with {} and no free neighbouring hex is left",
                        p.name,
                        c.place.map_or("another place", |q| map.places[q.0 as usize].name.as_str())
                    ),
                ));
            }
            Some(_) => {}
        }
        if p.initial_owner.is_none() && !f.countries.is_empty() {
            d.push(src.at_offset(
                Severity::Warning,
                off,
                format!("place {} lies in no country's outline", p.name),
            ));
        }
    }
    d
}
