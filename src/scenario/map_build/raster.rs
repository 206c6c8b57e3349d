//! Rasterising the map file's geographic features (polygons and polylines in lat/lon) into
//! the hex grid: the grid on the projection, each cell's ground and country, the rivers,
//! railways, roads and passes on hex edges, the fortified regions and the places.

use std::collections::BTreeSet;

use crate::model::geo::{Km2, LatLon, Projection, bbox, point_in_polygon, segments_cross};
use crate::model::hex::{Hex, Layout};
use crate::model::ids::PlaceId;
use crate::model::map::{Cell, Country, Edge, FortifiedRegion, Map, NamedLine, Place};
use crate::scenario::schema::{BoundsDef, MapFile, TerrainKind};

/// Builds the grid: the projected rectangle that covers the bounds, each hex painted from
/// the features.
pub fn rasterise(f: &MapFile) -> Map {
    let proj = Projection::lambert(
        f.projection.standard_parallels,
        LatLon::new(f.projection.origin.0, f.projection.origin.1),
    );
    let mut map = empty_grid(f, proj, extent(&proj, &f.bounds));
    paint_cells(&mut map, f);
    draw_rivers(&mut map, f);
    draw_routes(&mut map, f);
    fortify(&mut map, f);
    place_places(&mut map, f);
    map
}

/// The projected extent of the bounds (x from, x to, y from, y to): its outline sampled, as
/// the edges curve under the cone.
fn extent(proj: &Projection, b: &BoundsDef) -> (f64, f64, f64, f64) {
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
    (xmin, xmax, ymin, ymax)
}

/// The rectangle of hexes that covers the extent, every cell still blank, with the map's
/// countries, fortified regions and named lines.
fn empty_grid(
    f: &MapFile,
    proj: Projection,
    (xmin, xmax, ymin, ymax): (f64, f64, f64, f64),
) -> Map {
    let spacing = f.hex_km;
    let layout = Layout {
        spacing_km: spacing,
        origin: Km2 { x: xmin, y: ymin },
    };
    let cols = ((xmax - xmin) / spacing).ceil() as i32 + 1;
    let rows = ((ymax - ymin) / (spacing * 3f64.sqrt() / 2.0)).ceil() as i32 + 1;
    Map {
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
    }
}

/// Each cell's ground (the last area that covers its centre) and country (none on water).
fn paint_cells(map: &mut Map, f: &MapFile) {
    let (proj, layout, rows, cols) = (map.projection, map.layout, map.rows, map.cols);
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
}

/// Each river on the hex edges it crosses (the larger river where two cross one edge).
fn draw_rivers(map: &mut Map, f: &MapFile) {
    let (proj, layout) = (map.projection, map.layout);
    for (ri, r) in f.rivers.iter().enumerate() {
        for w in r.line.windows(2) {
            let (a, b) = (proj.forward(ll(w[0])), proj.forward(ll(w[1])));
            for h in hexes_near_segment(map, a, b) {
                for dir in 0..6 {
                    let n = h.neighbor(dir);
                    if !map.contains(n) {
                        continue;
                    }
                    if segments_cross(layout.center(h), layout.center(n), a, b) {
                        set_edge(map, h, n, |e| {
                            e.river = Some(e.river.map_or(r.class, |c| c.max(r.class)))
                        });
                        map.rivers[ri].crossings.insert((h.min(n), h.max(n)));
                    }
                }
            }
        }
    }
}

/// Railways and roads along the hex edges they follow (the better road where two do), and
/// the passes.
fn draw_routes(map: &mut Map, f: &MapFile) {
    for r in &f.railways {
        for (x, y) in line_steps(map, &r.line) {
            set_edge(map, x, y, |e| e.rail = Some(r.gauge));
        }
    }
    for r in &f.roads {
        for (x, y) in line_steps(map, &r.line) {
            set_edge(map, x, y, |e| {
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
}

/// Each fortified region's works in the hexes within its radius (the strongest where two
/// overlap).
fn fortify(map: &mut Map, f: &MapFile) {
    let spacing = f.hex_km;
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
