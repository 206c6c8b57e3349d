//! The theatre zoom's counters. Zoomed out too far to read a division's counter, the map
//! shows formations instead of a pile of small boxes: one counter for each army (tank army,
//! cavalry-mechanised group; or, for a unit in no army, the formation it stands under) at
//! each place where its units stand together, with the formation's size mark, its arm's
//! symbol and its strength in thousands of men. Zoomed in, the divisions come back.
//!
//! Under fog the viewer's side sees only the enemy units its intelligence shows, at its
//! estimate of their strength, so a formation counter of the enemy tells no more than the
//! division counters would.

use std::collections::BTreeMap;

use bevy::prelude::*;

use crate::gui::camera::{MainCamera, camera_scale};
use crate::gui::geom::Geom;
use crate::gui::state::{Screen, Ui};
use crate::gui::units::{ink_on, men_short, readable, side_colour};
use crate::model::*;

pub fn plugin(app: &mut App) {
    app.init_resource::<TheatreCounters>().add_systems(
        Update,
        (gather, respawn, draw)
            .chain()
            .after(crate::gui::units::CountersPlaced)
            .run_if(in_state(Screen::Playing)),
    );
}

/// Units of one formation stand together when their counters would overlap on screen: at
/// most this many hexes apart at this zoom (at least 2, at most 12).
pub fn together(geom: &Geom, camera_scale: f32) -> u32 {
    let hex = (geom.center(Hex::from_offset(1, 0)) - geom.center(Hex::from_offset(0, 0))).length();
    let hex_px = hex / camera_scale.max(0.01);
    let counter_px = FORMATION_COUNTER.x * SCREEN;
    ((0.9 * counter_px / hex_px.max(0.01)).ceil() as u32).clamp(2, 12)
}

/// A formation counter's size, in the same units as a division's
/// [`COUNTER`](crate::gui::geom::COUNTER).
pub const FORMATION_COUNTER: Vec2 = Vec2::new(32.0, 22.0);

/// Units of one formation standing together, as one counter shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub formation: FormationId,
    pub kind: FormationKind,
    pub name: String,
    pub nation: Nation,
    pub side: Side,
    /// Where its counter stands: the hex of the unit nearest all the others.
    pub hex: Hex,
    pub units: Vec<UnitId>,
    /// Men and tanks, as the viewer knows them (the enemy's by estimate).
    pub men: u32,
    pub tanks: u32,
    /// The viewer's own units only: how many of them no depot reaches, and their fuel on
    /// hand against one refill for all of them, t (nothing of the enemy's is known).
    pub cut_off: usize,
    pub fuel_t: f64,
    pub refill_t: f64,
    /// Where its counter is drawn on the map (world units): on its hex, shifted down and
    /// right for each counter already there.
    pub at: Vec2,
}

/// What the map shows at this zoom: formation counters (`on`) and which.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct TheatreCounters {
    pub on: bool,
    pub clusters: Vec<Cluster>,
    /// The counters' scale on the map at this zoom ([`formation_scale`]).
    pub scale: f32,
}

impl TheatreCounters {
    /// The formation counters drawn over a point of the map (world units), the top first.
    pub fn under(&self, p: Vec2) -> impl Iterator<Item = &Cluster> {
        let half = FORMATION_COUNTER * self.scale / 2.0;
        self.clusters
            .iter()
            .rev()
            .filter(move |c| self.on && (p - c.at).abs().cmple(half).all())
    }
}

/// The formation a unit is shown as: the first army, tank army or group in its chain of
/// command, or else the formation it stands directly under.
pub fn shown_as(oob: &OrderOfBattle, parent: FormationId) -> FormationId {
    oob.chain(parent)
        .find(|f| {
            matches!(
                f.kind,
                FormationKind::Army | FormationKind::TankArmy | FormationKind::Group
            )
        })
        .map_or(parent, |f| f.id)
}

/// One unit as the theatre zoom counts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seen {
    pub formation: FormationId,
    pub hex: Hex,
    pub id: UnitId,
    pub men: u32,
    pub tanks: u32,
    /// Of the viewer's own units: out of supply, fuel on hand and one refill, t.
    pub cut_off: bool,
    pub fuel_t: f64,
    pub refill_t: f64,
}

/// Groups the units into clusters: the units of a formation that are linked by steps of at
/// most `together` hexes make one; each stands on the hex of its unit with the least total
/// distance to the others (ties to the lower id). In order of formation, then of their
/// first unit's id, so that the same units always give the same counters.
pub fn clusters(oob: &OrderOfBattle, seen: &[Seen], together: u32) -> Vec<Cluster> {
    let mut by_formation: BTreeMap<FormationId, Vec<Seen>> = BTreeMap::new();
    for s in seen {
        by_formation.entry(s.formation).or_default().push(*s);
    }
    let mut out = Vec::new();
    for (fid, mut members) in by_formation {
        members.sort_by_key(|s| s.id);
        // Single linkage: each unit joins the group of the first unit close enough.
        let mut group: Vec<usize> = (0..members.len()).collect();
        fn root(g: &mut [usize], mut i: usize) -> usize {
            while g[i] != i {
                g[i] = g[g[i]];
                i = g[i];
            }
            i
        }
        for i in 0..members.len() {
            for j in 0..i {
                if members[i].hex.distance(members[j].hex) <= together {
                    let (a, b) = (root(&mut group, i), root(&mut group, j));
                    group[a.max(b)] = a.min(b);
                }
            }
        }
        let mut parts: BTreeMap<usize, Vec<Seen>> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            let r = root(&mut group, i);
            parts.entry(r).or_default().push(*m);
        }
        let f = oob.get(fid);
        for part in parts.into_values() {
            let medoid = part
                .iter()
                .min_by_key(|a| {
                    let d: u32 = part.iter().map(|b| a.hex.distance(b.hex)).sum();
                    (d, a.id)
                })
                .expect("a cluster has a unit");
            out.push(Cluster {
                at: Vec2::ZERO,
                formation: fid,
                kind: f.kind,
                name: f.name.clone(),
                nation: f.nation,
                side: f.side,
                hex: medoid.hex,
                units: part.iter().map(|s| s.id).collect(),
                men: part.iter().map(|s| s.men).sum(),
                tanks: part.iter().map(|s| s.tanks).sum(),
                cut_off: part.iter().filter(|s| s.cut_off).count(),
                fuel_t: part.iter().map(|s| s.fuel_t).sum(),
                refill_t: part.iter().map(|s| s.refill_t).sum(),
            });
        }
    }
    out
}

/// The NATO size mark of a formation: XXXXX front, XXXX army, XXX corps.
pub fn formation_mark(k: FormationKind) -> &'static str {
    match k {
        FormationKind::HighCommand | FormationKind::Front | FormationKind::AreaArmy => "XXXXX",
        FormationKind::Army
        | FormationKind::TankArmy
        | FormationKind::Group
        | FormationKind::AirArmy
        | FormationKind::Fleet => "XXXX",
        FormationKind::Corps | FormationKind::Flotilla => "XXX",
    }
}

/// Works out, each frame, whether the zoom wants formation counters and which.
#[allow(clippy::type_complexity)]
fn gather(
    ui: Res<Ui>,
    oob: Option<Res<OrderOfBattle>>,
    geom: Option<Res<Geom>>,
    cam: Query<&Projection, With<MainCamera>>,
    overlay: Option<Res<crate::gui::overlay::OverlayData>>,
    rules: Option<Res<crate::scenario::spawn::Rules>>,
    units: Query<
        (
            (&UnitId, &Parent, &Allegiance, &Position),
            (&Strength, &FullStrength, &Stocks, &SupplyState),
        ),
        InField,
    >,
    mut shown: ResMut<TheatreCounters>,
) {
    let (Some(oob), Some(geom), Some(rules)) = (oob, geom, rules) else {
        return;
    };
    let scale = camera_scale(&cam);
    let on = !readable(scale);
    let mut seen = Vec::new();
    if on {
        let known = overlay.as_deref().map(|d| &d.estimates);
        for ((id, parent, a, pos), (s, full, st, sup)) in &units {
            let enemy = ui.viewer.is_some_and(|v| v != a.side) && ui.visible.is_some();
            let visible = ui
                .visible
                .as_ref()
                .is_none_or(|vis| Some(a.side) == ui.viewer || vis.contains(id));
            if !visible {
                continue;
            }
            // The enemy's strength as the viewer's intelligence estimates it (its full
            // strength where there is no estimate, as its division counter shows).
            let (men, tanks) = match (enemy, known.and_then(|k| k.get(id))) {
                (true, Some((men, tanks))) => (*men, *tanks),
                (true, None) => (full.0.men, full.0.tanks),
                (false, _) => (s.men, s.tanks),
            };
            // What the viewer knows of its own units only (no viewer: everything).
            let own = !enemy && ui.viewer.is_none_or(|v| v == a.side);
            seen.push(Seen {
                formation: shown_as(&oob, parent.0),
                hex: pos.0,
                id: *id,
                men,
                tanks,
                cut_off: own && sup.depot.is_none(),
                fuel_t: if own { st.fuel_t } else { 0.0 },
                refill_t: if own {
                    crate::scenario::load::refill_t(&rules.0, s.tanks, s.vehicles)
                } else {
                    0.0
                },
            });
        }
    }
    let k = formation_scale(scale);
    let mut clusters = clusters(&oob, &seen, together(&geom, scale));
    let mut stacked: BTreeMap<Hex, u32> = BTreeMap::new();
    for c in &mut clusters {
        let n = stacked.entry(c.hex).or_default();
        c.at = geom.center(c.hex) + Vec2::new(4.0, -4.0) * *n as f32 * k;
        *n += 1;
    }
    let now = TheatreCounters {
        on,
        clusters,
        scale: k,
    };
    if *shown != now {
        *shown = now;
    }
}

/// How much larger than its map size a formation counter is drawn at this zoom: about 40
/// pixels wide on screen, its figures about 10 pixels high.
pub fn formation_scale(camera_scale: f32) -> f32 {
    (camera_scale * SCREEN).max(1.0)
}

/// Screen pixels per unit of [`FORMATION_COUNTER`]. The counter's figures are drawn at their
/// size on screen (scaled back by this much inside the counter), so that they are as sharp
/// as the place names.
const SCREEN: f32 = 1.35;

/// A formation counter: the index of its cluster in [`TheatreCounters`].
#[derive(Component)]
struct FormationCounter(usize);

/// Keeps one sprite, size mark and strength figure per cluster, rebuilt when the clusters
/// change (a march, a loss, the zoom crossing the line) and scaled with the zoom.
fn respawn(
    mut commands: Commands,
    shown: Res<TheatreCounters>,
    old: Query<Entity, With<FormationCounter>>,
) {
    if !shown.is_changed() {
        return;
    }
    let k = shown.scale;
    for e in &old {
        commands.entity(e).despawn();
    }
    if !shown.on {
        return;
    }
    for (i, c) in shown.clusters.iter().enumerate() {
        let (at, z) = (c.at, 12.0 + i as f32 * 0.001);
        let colour = side_colour(&Allegiance {
            side: c.side,
            nation: c.nation,
        });
        commands
            .spawn((
                FormationCounter(i),
                Sprite::from_color(colour, FORMATION_COUNTER),
                Transform::from_translation(at.extend(z)).with_scale(Vec3::splat(k)),
            ))
            .with_children(|p| {
                // The size mark above the symbol, the strength below it; sizes in pixels.
                for (text, y, px) in [
                    (formation_mark(c.kind).to_string(), 8.0, 8.0),
                    (men_short(c.men), -6.2, 12.0),
                ] {
                    p.spawn((
                        Text2d::new(text),
                        TextFont {
                            font_size: FontSize::Px(px),
                            ..default()
                        },
                        TextColor(ink_on(colour)),
                        Transform::from_xyz(0.0, y, 0.01).with_scale(Vec3::splat(1.0 / SCREEN)),
                    ));
                }
            });
    }
}

/// Whether a formation counter shows armour's oval: a tank army, or tanks one for every 40
/// men or more (a tank brigade has about one for 20).
fn armoured(c: &Cluster) -> bool {
    c.kind == FormationKind::TankArmy || (c.tanks > 0 && c.men / c.tanks.max(1) <= 40)
}

/// Each formation counter's frame and its arm's symbol (armour's oval, cavalry's slash for a
/// cavalry-mechanised group, infantry's cross; a group or a mixed army both), and a white
/// ring round the one that holds the selected unit.
fn draw(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    shown: Res<TheatreCounters>,
    q: Query<(&FormationCounter, &Transform)>,
) {
    if !shown.on {
        return;
    }
    for (fc, t) in &q {
        let Some(c) = shown.clusters.get(fc.0) else {
            continue;
        };
        let ink = ink_on(side_colour(&Allegiance {
            side: c.side,
            nation: c.nation,
        }));
        let (centre, k) = (t.translation.truncate(), t.scale.x);
        let p = |x: f32, y: f32| centre + Vec2::new(x, y) * k;
        gizmos.rect_2d(
            Isometry2d::from_translation(centre),
            FORMATION_COUNTER * k,
            Color::srgb(0.15, 0.1, 0.1),
        );
        // The symbol's box, between the size mark above and the strength below.
        let (w, h, y) = (16.0, 6.0, 2.0);
        gizmos.rect_2d(
            Isometry2d::from_translation(p(0.0, y)),
            Vec2::new(w, h) * k,
            ink,
        );
        let (tl, tr) = (p(-w / 2.0, y + h / 2.0), p(w / 2.0, y + h / 2.0));
        let (bl, br) = (p(-w / 2.0, y - h / 2.0), p(w / 2.0, y - h / 2.0));
        let armour = armoured(c);
        let cavalry = c.kind == FormationKind::Group;
        if !armour || cavalry {
            if cavalry {
                gizmos.line_2d(bl, tr, ink);
            } else {
                gizmos.line_2d(tl, br, ink);
                gizmos.line_2d(tr, bl, ink);
            }
        }
        if armour || cavalry {
            gizmos.ellipse_2d(
                Isometry2d::from_translation(p(0.0, y)),
                Vec2::new(5.5, 2.4) * k,
                ink,
            );
        }
        // Its fuel, as a division's counter shows it (two refills fill the bar), and a black
        // corner edged in white where any of its units is out of supply.
        if c.refill_t > 0.0 {
            let f = (c.fuel_t / (2.0 * c.refill_t)).clamp(0.0, 1.0) as f32;
            let (x0, w, y) = (
                -FORMATION_COUNTER.x / 2.0 + 1.0,
                FORMATION_COUNTER.x - 2.0,
                -FORMATION_COUNTER.y / 2.0 - 1.8,
            );
            let col = if f < 0.15 {
                Color::srgb(1.0, 0.1, 0.0)
            } else {
                Color::srgb(1.0, 0.65, 0.0)
            };
            // Three pixels thick.
            for dy in [0.0, -0.75, -1.5] {
                let y = y + dy;
                gizmos.line_2d(p(x0, y), p(x0 + w, y), Color::srgba(0.0, 0.0, 0.0, 0.6));
                if f > 0.0 {
                    gizmos.line_2d(p(x0, y), p(x0 + w * f, y), col);
                }
            }
        }
        if c.cut_off > 0 {
            let (x, y, size) = (
                FORMATION_COUNTER.x / 2.0 + 0.5,
                FORMATION_COUNTER.y / 2.0 + 0.5,
                7.0,
            );
            for i in 0..=14 {
                let d = size * i as f32 / 14.0;
                gizmos.line_2d(p(x - d, y), p(x, y - d), Color::BLACK);
            }
            gizmos.line_2d(p(x - size, y), p(x, y), Color::WHITE);
            gizmos.line_2d(p(x, y), p(x, y - size), Color::WHITE);
            gizmos.line_2d(p(x, y - size), p(x - size, y), Color::WHITE);
        }
        if ui.selected.is_some_and(|u| c.units.contains(&u)) {
            gizmos.rect_2d(
                Isometry2d::from_translation(centre),
                (FORMATION_COUNTER + Vec2::splat(5.0)) * k,
                Color::WHITE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formation(id: u32, kind: FormationKind, parent: Option<u32>) -> Formation {
        Formation {
            id: FormationId(id),
            name: format!("formation {id}"),
            side: Side::Soviet,
            nation: Nation::Soviet,
            kind,
            parent: parent.map(FormationId),
            commander: None,
            hq: Hex::from_offset(0, 0),
            aircraft: 0,
            transport_aircraft: 0,
            ships: 0,
            source: String::new(),
        }
    }

    /// A front (0) with an army (1) that has a corps (2), and a unit straight under the front.
    fn oob() -> OrderOfBattle {
        OrderOfBattle {
            formations: vec![
                formation(0, FormationKind::Front, None),
                formation(1, FormationKind::Army, Some(0)),
                formation(2, FormationKind::Corps, Some(1)),
            ],
        }
    }

    fn unit(id: u32, formation: u32, col: i32, men: u32) -> Seen {
        Seen {
            formation: FormationId(formation),
            hex: Hex::from_offset(col, 10),
            id: UnitId(id),
            men,
            tanks: 0,
            cut_off: false,
            fuel_t: 0.0,
            refill_t: 0.0,
        }
    }

    #[test]
    fn a_unit_is_shown_as_its_army_or_else_its_own_formation() {
        let o = oob();
        assert_eq!(shown_as(&o, FormationId(2)), FormationId(1));
        assert_eq!(shown_as(&o, FormationId(1)), FormationId(1));
        assert_eq!(shown_as(&o, FormationId(0)), FormationId(0));
    }

    #[test]
    fn units_of_an_army_standing_together_make_one_counter_and_apart_two() {
        // Four divisions of the army in a chain of steps of 3 hexes, a fifth 20 hexes away;
        // a unit of the front beside the first.
        let seen = [
            unit(1, 1, 10, 9_000),
            unit(2, 1, 13, 8_000),
            unit(3, 1, 16, 7_000),
            unit(4, 1, 19, 6_000),
            unit(5, 1, 40, 5_000),
            unit(6, 0, 11, 1_000),
        ];
        let c = clusters(&oob(), &seen, 4);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0].formation, FormationId(0));
        assert_eq!(c[0].units, vec![UnitId(6)]);
        let army: Vec<_> = c.iter().filter(|c| c.formation == FormationId(1)).collect();
        assert_eq!(
            army[0].units,
            vec![UnitId(1), UnitId(2), UnitId(3), UnitId(4)]
        );
        assert_eq!(army[0].men, 30_000);
        // The counter stands on a middle unit's hex, not at an end of the chain.
        assert!(
            [Hex::from_offset(13, 10), Hex::from_offset(16, 10)].contains(&army[0].hex),
            "{:?}",
            army[0].hex
        );
        assert_eq!(army[1].units, vec![UnitId(5)]);
        // The order of the units given does not change the counters.
        let mut rev = seen;
        rev.reverse();
        assert_eq!(clusters(&oob(), &rev, 4), c);
        // Far enough out that counters 21 hexes apart would overlap: one counter for the army.
        assert_eq!(clusters(&oob(), &seen, 21).len(), 2);
    }

    #[test]
    fn strengths_read_in_thousands() {
        assert_eq!(men_short(600), "600");
        assert_eq!(men_short(8_450), "8.5k");
        assert_eq!(men_short(9_000), "9k");
        assert_eq!(men_short(91_400), "91k");
        assert_eq!(formation_mark(FormationKind::TankArmy), "XXXX");
    }
}
