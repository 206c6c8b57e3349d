//! The hex grid: axial coordinates, neighbours, distance, and the layout that ties a hex to
//! kilometres on the projected plane.
//!
//! Hexes are pointy-topped. Axial `q` grows eastward, `r` grows northward; a map is a
//! rectangle of `cols × rows` in "odd-r" offset coordinates, so every row is a straight
//! east-west band on the ground.

use serde::{Deserialize, Serialize};

use super::geo::Km2;

/// A hex in axial coordinates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Hex {
    pub q: i32,
    pub r: i32,
}

/// The six directions, counter-clockwise from east.
pub const DIRECTIONS: [Hex; 6] = [
    Hex { q: 1, r: 0 },
    Hex { q: 1, r: -1 },
    Hex { q: 0, r: -1 },
    Hex { q: -1, r: 0 },
    Hex { q: -1, r: 1 },
    Hex { q: 0, r: 1 },
];

impl Hex {
    pub const fn new(q: i32, r: i32) -> Self {
        Self { q, r }
    }

    pub fn neighbor(self, dir: usize) -> Hex {
        let d = DIRECTIONS[dir];
        Hex::new(self.q + d.q, self.r + d.r)
    }

    pub fn neighbors(self) -> [Hex; 6] {
        std::array::from_fn(|i| self.neighbor(i))
    }

    /// Index of the direction from `self` to the adjacent `other`, if they touch.
    pub fn direction_to(self, other: Hex) -> Option<usize> {
        let d = Hex::new(other.q - self.q, other.r - self.r);
        DIRECTIONS.iter().position(|&x| x == d)
    }

    /// Distance in hex steps.
    pub fn distance(self, other: Hex) -> u32 {
        let dq = self.q - other.q;
        let dr = self.r - other.r;
        ((dq.abs() + dr.abs() + (dq + dr).abs()) / 2) as u32
    }

    /// Every hex within `radius` steps, `self` included, in axial order.
    pub fn within(self, radius: u32) -> impl Iterator<Item = Hex> {
        let n = radius as i32;
        (-n..=n).flat_map(move |dq| {
            (((-n).max(-dq - n))..=(n.min(-dq + n)))
                .map(move |dr| Hex::new(self.q + dq, self.r + dr))
        })
    }

    /// Offset column and row ("odd-r": odd rows are shoved half a hex east).
    pub fn to_offset(self) -> (i32, i32) {
        let col = self.q + (self.r - (self.r & 1)) / 2;
        (col, self.r)
    }

    pub fn from_offset(col: i32, row: i32) -> Hex {
        Hex::new(col - (row - (row & 1)) / 2, row)
    }
}

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (c, r) = self.to_offset();
        write!(f, "hex {c},{r}")
    }
}

/// Where hexes sit on the projected plane.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Centre-to-centre distance of neighbours, km.
    pub spacing_km: f64,
    /// Projected position of the centre of hex (0, 0).
    pub origin: Km2,
}

impl Layout {
    /// Centre-to-corner radius, km.
    pub fn size(&self) -> f64 {
        self.spacing_km / 3f64.sqrt()
    }

    pub fn center(&self, h: Hex) -> Km2 {
        let s = self.size();
        Km2 {
            x: self.origin.x + s * (3f64.sqrt() * h.q as f64 + 3f64.sqrt() / 2.0 * h.r as f64),
            y: self.origin.y + s * (1.5 * h.r as f64),
        }
    }

    /// The hex that contains the point `p`.
    pub fn hex_at(&self, p: Km2) -> Hex {
        let s = self.size();
        let (x, y) = (p.x - self.origin.x, p.y - self.origin.y);
        let qf = (3f64.sqrt() / 3.0 * x - y / 3.0) / s;
        let rf = (2.0 / 3.0 * y) / s;
        round_axial(qf, rf)
    }
}

fn round_axial(qf: f64, rf: f64) -> Hex {
    let sf = -qf - rf;
    let (mut q, mut r, s) = (qf.round(), rf.round(), sf.round());
    let (dq, dr, ds) = ((q - qf).abs(), (r - rf).abs(), (s - sf).abs());
    if dq > dr && dq > ds {
        q = -r - s;
    } else if dr > ds {
        r = -q - s;
    }
    Hex::new(q as i32, r as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_coordinates_round_trip() {
        for row in -3..7 {
            for col in -2..9 {
                assert_eq!(Hex::from_offset(col, row).to_offset(), (col, row));
            }
        }
    }

    #[test]
    fn a_hex_contains_its_own_centre_and_neighbours_are_one_spacing_apart() {
        let l = Layout {
            spacing_km: 20.0,
            origin: Km2 { x: -100.0, y: 50.0 },
        };
        let h = Hex::new(7, -3);
        assert_eq!(l.hex_at(l.center(h)), h);
        for n in h.neighbors() {
            let (a, b) = (l.center(h), l.center(n));
            let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
            assert!((d - 20.0).abs() < 1e-9);
            assert_eq!(h.distance(n), 1);
        }
        assert_eq!(Hex::new(0, 0).distance(Hex::new(3, -1)), 3);
    }

    #[test]
    fn within_a_radius_is_every_hex_that_near_and_no_other() {
        let c = Hex::new(4, -2);
        for radius in 0..4 {
            let all: Vec<Hex> = c.within(radius).collect();
            assert_eq!(all.len() as u32, 1 + 3 * radius * (radius + 1));
            assert!(all.iter().all(|h| h.distance(c) <= radius));
            let mut unique = all.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), all.len());
        }
    }
}
