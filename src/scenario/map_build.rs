//! Rasterising the map file's geographic features (polygons and polylines in lat/lon) into
//! the hex grid, after checking them.

use std::collections::BTreeSet;

use super::diag::{Diagnostic, Severity, SourceText};
use super::schema::{BoundsDef, MapFile, MapLayer, TerrainKind};
use crate::model::geo::{Km2, LatLon, Projection, bbox, point_in_polygon, segments_cross};
use crate::model::hex::{Hex, Layout};
use crate::model::ids::PlaceId;
use crate::model::map::{Cell, Country, Edge, FortifiedRegion, Map, NamedLine, Place};

/// Most hexes a map may have: some twenty times the historical map's.
pub const MAX_MAP_HEXES: u32 = 250_000;

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

fn check_map(f: &MapFile, src: &SourceText) -> Vec<Diagnostic> {
    let mut d = super::ranges::check_ranges(src, f);
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
                super::diag::figure(f.hex_km),
                super::diag::figure(hexes.round())
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
    for (i, p) in f.passes.iter().enumerate() {
        check_points(&mut d, "passes", i, &p.name, &[p.at], 1);
    }
    let mut seen = BTreeSet::new();
    for (i, p) in f.places.iter().enumerate() {
        check_points(&mut d, "places", i, &p.name, &[p.at], 1);
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
        check_points(&mut d, "fortified_regions", i, &r.name, &[r.at], 1);
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
    d
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

/// Builds the grid: the projected rectangle that covers the bounds, each hex painted from
/// the features.
pub fn rasterise(f: &MapFile) -> Map {
    let proj = Projection::lambert(
        f.projection.standard_parallels,
        LatLon::new(f.projection.origin.0, f.projection.origin.1),
    );
    // The projected extent of the bounds: sample its outline (the edges curve under the cone).
    let b = &f.bounds;
    let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for i in 0..=100 {
        let t = i as f64 / 100.0;
        for p in [
            LatLon::new(b.south, b.west + t * (b.east - b.west)),
            LatLon::new(b.north, b.west + t * (b.east - b.west)),
            LatLon::new(b.south + t * (b.north - b.south), b.west),
            LatLon::new(b.south + t * (b.north - b.south), b.east),
        ] {
            let k = proj.forward(p);
            xmin = xmin.min(k.x);
            xmax = xmax.max(k.x);
            ymin = ymin.min(k.y);
            ymax = ymax.max(k.y);
        }
    }
    let spacing = f.hex_km;
    let layout = Layout {
        spacing_km: spacing,
        origin: Km2 { x: xmin, y: ymin },
    };
    let cols = ((xmax - xmin) / spacing).ceil() as i32 + 1;
    let rows = ((ymax - ymin) / (spacing * 3f64.sqrt() / 2.0)).ceil() as i32 + 1;
    let mut map = Map {
        name: f.name.clone(),
        projection: proj,
        layout,
        cols,
        rows,
        cells: Vec::with_capacity((cols * rows) as usize),
        centers: Default::default(),
        countries: f
            .countries
            .iter()
            .map(|c| Country {
                name: c.name.clone(),
                owner: c.owner,
            })
            .collect(),
        places: Vec::new(),
        forts: f
            .fortified_regions
            .iter()
            .map(|r| FortifiedRegion {
                name: r.name.clone(),
                at: LatLon::new(r.at.0, r.at.1),
                radius_km: r.radius_km,
                level: r.level,
                firing_points: r.firing_points,
                source: r.source.clone(),
            })
            .collect(),
        rivers: f
            .rivers
            .iter()
            .map(|r| NamedLine {
                name: r.name.clone(),
                crossings: Default::default(),
            })
            .collect(),
        railways: f
            .railways
            .iter()
            .map(|r| NamedLine {
                name: r.name.clone(),
                crossings: Default::default(),
            })
            .collect(),
        roads: f
            .roads
            .iter()
            .map(|r| NamedLine {
                name: r.name.clone(),
                crossings: Default::default(),
            })
            .collect(),
    };
    let area_boxes: Vec<_> = f.areas.iter().map(|a| bbox(&a.polygon)).collect();
    let country_boxes: Vec<_> = f.countries.iter().map(|a| bbox(&a.polygon)).collect();
    let inside = |p: LatLon, bb: &(f64, f64, f64, f64), poly: &[(f64, f64)]| {
        p.lat >= bb.0
            && p.lat <= bb.1
            && p.lon >= bb.2
            && p.lon <= bb.3
            && point_in_polygon(p, poly)
    };
    for row in 0..rows {
        for col in 0..cols {
            let h = Hex::from_offset(col, row);
            let c = proj.inverse(layout.center(h));
            let mut terrain = f.base_terrain;
            for (a, bb) in f.areas.iter().zip(&area_boxes) {
                if inside(c, bb, &a.polygon) {
                    terrain = a.terrain;
                }
            }
            let water = matches!(terrain, TerrainKind::Sea | TerrainKind::Lake);
            let country = if water {
                None
            } else {
                f.countries
                    .iter()
                    .zip(&country_boxes)
                    .position(|(k, bb)| inside(c, bb, &k.polygon))
                    .map(|i| i as u8)
            };
            map.cells.push(Cell {
                terrain,
                country,
                pass: false,
                fort_level: 0,
                fort: None,
                place: None,
                edges: [Edge::default(); 6],
            });
        }
    }
    for (ri, r) in f.rivers.iter().enumerate() {
        for w in r.line.windows(2) {
            let (a, b) = (proj.forward(ll(w[0])), proj.forward(ll(w[1])));
            for h in hexes_near_segment(&map, a, b) {
                for dir in 0..6 {
                    let n = h.neighbor(dir);
                    if !map.contains(n) {
                        continue;
                    }
                    if segments_cross(layout.center(h), layout.center(n), a, b) {
                        set_edge(&mut map, h, n, |e| {
                            e.river = Some(e.river.map_or(r.class, |c| c.max(r.class)))
                        });
                        map.rivers[ri].crossings.insert((h.min(n), h.max(n)));
                    }
                }
            }
        }
    }
    for r in &f.railways {
        for (x, y) in line_steps(&map, &r.line) {
            set_edge(&mut map, x, y, |e| e.rail = Some(r.gauge));
        }
    }
    for r in &f.roads {
        for (x, y) in line_steps(&map, &r.line) {
            set_edge(&mut map, x, y, |e| {
                e.road = Some(e.road.map_or(r.class, |c| c.min(r.class)))
            });
        }
    }
    for p in &f.passes {
        let h = map.hex_at(ll(p.at));
        if let Some(i) = map.index(h) {
            map.cells[i].pass = true;
        }
    }
    for (fi, r) in f.fortified_regions.iter().enumerate() {
        let centre = ll(r.at);
        let reach = (r.radius_km / spacing).ceil() as i32 + 1;
        let ch = map.hex_at(centre);
        for dq in -reach..=reach {
            for dr in -reach..=reach {
                let h = Hex::new(ch.q + dq, ch.r + dr);
                let Some(i) = map.index(h) else { continue };
                if h == ch || map.center(h).distance_km(centre) <= r.radius_km {
                    let cell = &mut map.cells[i];
                    if r.level > cell.fort_level {
                        cell.fort_level = r.level;
                        cell.fort = Some(fi as u16);
                    }
                }
            }
        }
    }
    place_places(&mut map, f);
    map
}

fn ll(p: (f64, f64)) -> LatLon {
    LatLon::new(p.0, p.1)
}

fn set_edge(map: &mut Map, a: Hex, b: Hex, f: impl Fn(&mut Edge)) {
    if let (Some(da), Some(ia), Some(ib)) = (a.direction_to(b), map.index(a), map.index(b)) {
        f(&mut map.cells[ia].edges[da]);
        f(&mut map.cells[ib].edges[(da + 3) % 6]);
    }
}

/// Hexes within reach of a segment (every hex a point of the segment falls in, and their
/// neighbours), for testing which hex edges it crosses.
fn hexes_near_segment(map: &Map, a: Km2, b: Km2) -> Vec<Hex> {
    let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let steps = (len / (map.hex_km() / 4.0)).ceil().max(1.0) as usize;
    let mut set = BTreeSet::new();
    for i in 0..=steps {
        let t = i as f64 / steps as f64;
        let h = map.layout.hex_at(Km2 {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        });
        set.insert(h);
        set.extend(h.neighbors());
    }
    set.into_iter().filter(|h| map.contains(*h)).collect()
}

/// The chain of neighbouring hexes a polyline runs through, as consecutive pairs.
fn line_steps(map: &Map, line: &[(f64, f64)]) -> Vec<(Hex, Hex)> {
    let mut hexes: Vec<Hex> = Vec::new();
    for w in line.windows(2) {
        let (a, b) = (
            map.projection.forward(ll(w[0])),
            map.projection.forward(ll(w[1])),
        );
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let steps = (len / (map.hex_km() / 8.0)).ceil().max(1.0) as usize;
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            let h = map.layout.hex_at(Km2 {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            });
            if hexes.last() != Some(&h) {
                hexes.push(h);
            }
        }
    }
    let mut pairs = Vec::new();
    for w in hexes.windows(2) {
        let (x, y) = (w[0], w[1]);
        if x.distance(y) == 1 {
            pairs.push((x, y));
        } else {
            // The line clipped a corner between two samples: go through a shared neighbour.
            if let Some(m) = x.neighbors().into_iter().find(|n| n.distance(y) == 1) {
                pairs.push((x, m));
                pairs.push((m, y));
            }
        }
    }
    pairs.retain(|(x, y)| map.contains(*x) && map.contains(*y));
    pairs
}

/// Puts each place in the hex that contains it; where two places fall in one hex (Heihe and
/// Blagoveshchensk face each other across the Amur) or the hex lies across a border from the
/// place, the later place takes the nearest free land hex of its own country.
fn place_places(map: &mut Map, f: &MapFile) {
    for (i, p) in f.places.iter().enumerate() {
        let at = ll(p.at);
        let country = f
            .countries
            .iter()
            .position(|c| point_in_polygon(at, &c.polygon))
            .map(|i| i as u8);
        let home = map.hex_at(at);
        let fits = |map: &Map, h: Hex| {
            map.cell(h).is_some_and(|c| {
                c.place.is_none()
                    && !matches!(c.terrain, TerrainKind::Sea | TerrainKind::Lake)
                    && (country.is_none() || c.country == country)
            })
        };
        let mut chosen = home;
        if !fits(map, home) {
            let mut candidates: Vec<Hex> = home
                .neighbors()
                .into_iter()
                .filter(|h| fits(map, *h))
                .collect();
            candidates.sort_by(|a, b| {
                let da = map.center(*a).distance_km(at);
                let db = map.center(*b).distance_km(at);
                da.total_cmp(&db).then(a.cmp(b))
            });
            if let Some(h) = candidates.first() {
                chosen = *h;
            }
        }
        let id = PlaceId(i as u32);
        if let Some(ix) = map.index(chosen)
            && map.cells[ix].place.is_none()
        {
            map.cells[ix].place = Some(id);
        }
        let initial_owner = country.and_then(|c| f.countries[c as usize].owner);
        map.places.push(Place {
            id,
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            at,
            hex: chosen,
            kind: p.kind,
            airfield: p.airfield,
            value: p.value,
            initial_owner,
            source: p.source.clone(),
        });
    }
}

fn check_places_on_land(f: &MapFile, map: &Map, src: &SourceText) -> Vec<Diagnostic> {
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
