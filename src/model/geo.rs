//! Geography: latitude/longitude, the Lambert conformal conic projection and distances on the ground.

use serde::{Deserialize, Serialize};

/// Mean Earth radius, km.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// A point on the ground in decimal degrees (north, east).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// Great-circle distance, km (haversine).
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// A point on the projected plane, km east (`x`) and north (`y`) of the projection's origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Km2 {
    pub x: f64,
    pub y: f64,
}

/// Lambert conformal conic projection on a sphere.
///
/// Chosen because the theatre spans 16 degrees of latitude: with standard parallels at
/// 40 °N and 50 °N the scale error stays under 3% everywhere between 37.5 °N and 53.5 °N, so
/// a hex is the same size on the ground in Korea and on the Amur, and the hex grid's
/// distances are honest kilometres.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    n: f64,
    f: f64,
    rho0: f64,
    lon0: f64,
}

impl Projection {
    /// `parallels` are the two standard parallels and `origin` the point that maps to (0, 0).
    pub fn lambert(parallels: (f64, f64), origin: LatLon) -> Self {
        let (p1, p2) = (parallels.0.to_radians(), parallels.1.to_radians());
        let t = |p: f64| (std::f64::consts::FRAC_PI_4 + p / 2.0).tan();
        let n = if (p1 - p2).abs() < 1e-9 {
            p1.sin()
        } else {
            (p1.cos() / p2.cos()).ln() / (t(p2) / t(p1)).ln()
        };
        let f = p1.cos() * t(p1).powf(n) / n;
        let rho0 = EARTH_RADIUS_KM * f / t(origin.lat.to_radians()).powf(n);
        Self {
            n,
            f,
            rho0,
            lon0: origin.lon,
        }
    }

    pub fn forward(&self, p: LatLon) -> Km2 {
        let t = (std::f64::consts::FRAC_PI_4 + p.lat.to_radians() / 2.0).tan();
        let rho = EARTH_RADIUS_KM * self.f / t.powf(self.n);
        let theta = self.n * (p.lon - self.lon0).to_radians();
        Km2 {
            x: rho * theta.sin(),
            y: self.rho0 - rho * theta.cos(),
        }
    }

    pub fn inverse(&self, k: Km2) -> LatLon {
        let dy = self.rho0 - k.y;
        let rho = self.n.signum() * (k.x * k.x + dy * dy).sqrt();
        let theta = (self.n.signum() * k.x).atan2(self.n.signum() * dy);
        let lat = 2.0 * ((EARTH_RADIUS_KM * self.f / rho).powf(1.0 / self.n)).atan()
            - std::f64::consts::FRAC_PI_2;
        LatLon {
            lat: lat.to_degrees(),
            lon: self.lon0 + (theta / self.n).to_degrees(),
        }
    }
}

/// Whether `p` lies inside the polygon `poly` (points in lat/lon; even-odd rule).
///
/// Treating degrees as planar coordinates is accurate enough for outlines drawn to a few
/// kilometres: the polygons are small next to the Earth's curvature.
pub fn point_in_polygon(p: LatLon, poly: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let n = poly.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (yi, xi) = poly[i];
        let (yj, xj) = poly[j];
        if (yi > p.lat) != (yj > p.lat) {
            let x_cross = xi + (p.lat - yi) / (yj - yi) * (xj - xi);
            if p.lon < x_cross {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Bounding box of a polygon in (lat, lon): `(min_lat, max_lat, min_lon, max_lon)`.
pub fn bbox(poly: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    poly.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), &(lat, lon)| (a.min(lat), b.max(lat), c.min(lon), d.max(lon)),
    )
}

/// Whether the segments `a1–a2` and `b1–b2` on the plane cross.
pub fn segments_cross(a1: Km2, a2: Km2, b1: Km2, b2: Km2) -> bool {
    fn orient(p: Km2, q: Km2, r: Km2) -> f64 {
        (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
    }
    let d1 = orient(b1, b2, a1);
    let d2 = orient(b1, b2, a2);
    let d3 = orient(a1, a2, b1);
    let d4 = orient(a1, a2, b2);
    ((d1 > 0.0) != (d2 > 0.0)) && ((d3 > 0.0) != (d4 > 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_round_trips_across_the_theatre() {
        let p = Projection::lambert((40.0, 50.0), LatLon::new(45.5, 123.5));
        for &(lat, lon) in &[
            (37.5, 111.0),
            (53.5, 136.0),
            (49.21, 119.73),
            (39.03, 125.75),
        ] {
            let back = p.inverse(p.forward(LatLon::new(lat, lon)));
            assert!((back.lat - lat).abs() < 1e-9 && (back.lon - lon).abs() < 1e-9);
        }
    }

    #[test]
    fn projected_distances_match_the_ground_within_three_percent() {
        let p = Projection::lambert((40.0, 50.0), LatLon::new(45.5, 123.5));
        for &(a, b) in &[
            ((49.21, 119.73), (47.35, 123.92)),
            ((38.81, 121.26), (41.80, 123.43)),
            ((52.03, 113.5), (50.39, 116.52)),
        ] {
            let (a, b) = (LatLon::new(a.0, a.1), LatLon::new(b.0, b.1));
            let (pa, pb) = (p.forward(a), p.forward(b));
            let planar = ((pa.x - pb.x).powi(2) + (pa.y - pb.y).powi(2)).sqrt();
            let ground = a.distance_km(b);
            assert!((planar / ground - 1.0).abs() < 0.03, "{planar} vs {ground}");
        }
    }
}
