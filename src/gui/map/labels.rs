//! The places' names on the map: sized for the zoom, and laid out so that none overlaps
//! another, the most important first.

use bevy::prelude::*;

use crate::gui::camera::camera_scale;

/// A place's name on the map: cities and ports always, towns when zoomed in.
#[derive(Component)]
pub struct PlaceLabel {
    pub big: bool,
    pub at: Vec2,
    pub chars: usize,
    pub font: f32,
    pub value: f64,
}

/// Keeps place names the same size on screen whatever the zoom, towns only when close, and
/// never one name over another: each is put above its place, else below, right or left of
/// it, the most important first; a name with no free spot waits for a closer zoom.
pub fn scale_labels(
    cam: Query<&Projection, With<crate::gui::camera::MainCamera>>,
    mut labels: Query<(&PlaceLabel, &mut Transform, &mut Visibility)>,
    mut last: Local<Option<f32>>,
) {
    let s = camera_scale(&cam);
    if *last == Some(s) {
        return;
    }
    *last = Some(s);
    let mut all: Vec<_> = labels.iter_mut().collect();
    let wanted: Vec<LabelBox> = all
        .iter()
        .map(|(l, _, _)| LabelBox {
            at: l.at,
            size: label_size(l.chars, l.font, s.max(0.8)),
            gap: 12.0 * s.max(1.0),
            rank: (u8::from(!l.big), -l.value),
            shown: l.big || s < 1.6,
        })
        .collect();
    let placed = place_labels(&wanted);
    for ((_, t, v), spot) in all.iter_mut().zip(placed) {
        t.scale = Vec3::splat(s.max(0.8));
        let want = match spot {
            Some(c) => {
                t.translation.x = c.x;
                t.translation.y = c.y;
                Visibility::Inherited
            }
            None => Visibility::Hidden,
        };
        if **v != want {
            **v = want;
        }
    }
}

/// The size in world units of a name of `chars` characters at a font size and scale (the
/// default font's characters average a little over half their height in width).
fn label_size(chars: usize, font: f32, scale: f32) -> Vec2 {
    Vec2::new(chars as f32 * font * 0.56 + 4.0, font * 1.15) * scale
}

/// A name to place: its place's point, its size, the gap to keep from the point, its rank
/// (lower first) and whether it is shown at this zoom at all.
#[derive(Debug, Clone, PartialEq)]
struct LabelBox {
    at: Vec2,
    size: Vec2,
    gap: f32,
    rank: (u8, f64),
    shown: bool,
}

/// Where each name's centre goes, or `None` for a name hidden at this zoom or with no free
/// spot: greedily by rank, trying above, below, right and left of its place.
fn place_labels(boxes: &[LabelBox]) -> Vec<Option<Vec2>> {
    let mut order: Vec<usize> = (0..boxes.len()).filter(|&i| boxes[i].shown).collect();
    order.sort_by(|&a, &b| {
        boxes[a]
            .rank
            .partial_cmp(&boxes[b].rank)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut taken: Vec<(Vec2, Vec2)> = Vec::new();
    let mut out = vec![None; boxes.len()];
    for i in order {
        let b = &boxes[i];
        let (w, h) = (b.size.x, b.size.y);
        let spots = [
            b.at + Vec2::new(0.0, b.gap),
            b.at - Vec2::new(0.0, b.gap + h * 0.5),
            b.at + Vec2::new(b.gap + w * 0.5, 0.0),
            b.at - Vec2::new(b.gap + w * 0.5, 0.0),
        ];
        let free = |c: Vec2| {
            let (lo, hi) = (c - b.size * 0.5, c + b.size * 0.5);
            taken
                .iter()
                .all(|(l, u)| hi.x <= l.x || lo.x >= u.x || hi.y <= l.y || lo.y >= u.y)
        };
        if let Some(c) = spots.into_iter().find(|&c| free(c)) {
            taken.push((c - b.size * 0.5, c + b.size * 0.5));
            out[i] = Some(c);
        }
    }
    out
}

#[cfg(test)]
mod label_tests {
    use super::*;

    fn at(x: f32, y: f32, chars: usize, rank: u8) -> LabelBox {
        LabelBox {
            at: Vec2::new(x, y),
            size: label_size(chars, 15.0, 1.0),
            gap: 12.0,
            rank: (rank, 0.0),
            shown: true,
        }
    }

    #[test]
    fn two_places_side_by_side_get_names_that_do_not_overlap() {
        // Port Arthur and Dalian, a few hexes apart: the second name moves below its place.
        let placed = place_labels(&[at(0.0, 0.0, 11, 0), at(40.0, 0.0, 6, 1)]);
        let (a, b) = (placed[0].unwrap(), placed[1].unwrap());
        assert_eq!(a, Vec2::new(0.0, 12.0));
        assert!(b.y < 0.0, "{b}");
    }

    #[test]
    fn a_name_with_no_free_spot_waits_for_a_closer_zoom_and_the_more_important_one_stays() {
        let crowd: Vec<LabelBox> = (0..6).map(|i| at(i as f32, 0.0, 8, i as u8)).collect();
        let placed = place_labels(&crowd);
        assert!(placed[0].is_some());
        assert!(placed.iter().any(Option::is_none));
    }
}
