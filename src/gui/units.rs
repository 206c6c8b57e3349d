//! Unit counters: a coloured counter per unit with its NATO symbol and size, bars for
//! strength and fuel, stacks fanned out, the selected unit ringed. Counters keep a readable
//! size on screen when the map is zoomed out.

use bevy::prelude::*;

use crate::gui::camera::MainCamera;
use crate::gui::geom::{COUNTER, Geom};
use crate::gui::state::{Overlay, Screen, Ui};
use crate::model::*;
use crate::scenario::load::refill_t;
use crate::scenario::spawn::Rules;

pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            add_counters,
            place_counters,
            size_marks,
            strength_marks,
            draw_symbols,
        )
            .chain()
            .in_set(CountersPlaced)
            .run_if(in_state(Screen::Playing)),
    );
}

/// The division counters' systems: the formation counters of the theatre zoom come after.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountersPlaced;

/// Whether a division's counter is large enough on screen at this zoom to read its symbol
/// and size mark (19 pixels wide); farther out the map shows formations
/// ([`crate::gui::formations`]).
pub fn readable(camera_scale: f32) -> bool {
    COUNTER.x * counter_scale(camera_scale) / camera_scale >= 19.0
}

/// Marks a unit that has its counter.
#[derive(Component)]
pub struct Counter;

/// The size-mark label on a counter.
#[derive(Component)]
struct SizeMark;

/// The strength figure on a counter (men, in thousands), shown zoomed in.
#[derive(Component)]
struct StrengthMark;

/// Whether a counter is large enough on screen at this zoom (30 pixels wide) for its
/// strength figure.
fn figures_readable(camera_scale: f32) -> bool {
    COUNTER.x * counter_scale(camera_scale) / camera_scale >= 30.0
}

/// A strength in men as a counter prints it: "91k", "8.5k", "600".
pub fn men_short(men: u32) -> String {
    match men {
        0..1_000 => men.to_string(),
        1_000..10_000 => {
            let k = (f64::from(men) / 100.0).round() / 10.0;
            if k.fract() == 0.0 {
                format!("{k:.0}k")
            } else {
                format!("{k:.1}k")
            }
        }
        _ => format!("{}k", (f64::from(men) / 1000.0).round()),
    }
}

/// The ink that reads on a counter's colour: white on dark (the Soviet red, the Mongolian
/// blue), black on light (the Japanese yellow, Manchukuo's and Mengjiang's pale colours).
pub fn ink_on(fill: Color) -> Color {
    let l = fill.to_srgba();
    if 0.299 * l.red + 0.587 * l.green + 0.114 * l.blue < 0.5 {
        Color::WHITE
    } else {
        Color::BLACK
    }
}

pub fn side_colour(a: &Allegiance) -> Color {
    match a.nation {
        Nation::Soviet => Color::srgb(0.80, 0.22, 0.18),
        Nation::Mongolian => Color::srgb(0.30, 0.45, 0.85),
        Nation::Japanese => Color::srgb(0.93, 0.80, 0.38),
        Nation::Manchukuo => Color::srgb(0.78, 0.80, 0.58),
        Nation::Mengjiang => Color::srgb(0.70, 0.70, 0.70),
    }
}

/// The NATO size mark: XXXX army group, XXX corps, XX division, X brigade.
pub fn size_mark(k: UnitKind) -> &'static str {
    match k {
        UnitKind::TankCorps | UnitKind::MechanizedCorps => "XXX",
        UnitKind::RifleDivision
        | UnitKind::MotorRifleDivision
        | UnitKind::TankDivision
        | UnitKind::CavalryDivision
        | UnitKind::ArtilleryDivision
        | UnitKind::InfantryDivision => "XX",
        UnitKind::SupportGroup => "XXXX",
        _ => "X",
    }
}

/// How much larger than its map size a counter is drawn at this zoom, so that it stays
/// about 16 pixels wide when the whole theatre is on screen.
pub fn counter_scale(camera_scale: f32) -> f32 {
    (camera_scale * 0.75).max(1.0)
}

fn add_counters(
    mut commands: Commands,
    new: Query<(Entity, &Allegiance, &Kind), (With<UnitId>, Without<Counter>)>,
) {
    for (e, a, k) in &new {
        commands
            .entity(e)
            .insert((
                Counter,
                Sprite::from_color(side_colour(a), COUNTER),
                Transform::from_xyz(0.0, 0.0, 10.0),
            ))
            .with_children(|c| {
                c.spawn((
                    Text2d::new(size_mark(k.0)),
                    TextFont {
                        font_size: FontSize::Px(8.0),
                        ..default()
                    },
                    TextColor(Color::BLACK),
                    Transform::from_xyz(0.0, 5.2, 1.0).with_scale(Vec3::splat(0.7)),
                    SizeMark,
                ));
                c.spawn((
                    Text2d::new(""),
                    TextFont {
                        font_size: FontSize::Px(8.0),
                        ..default()
                    },
                    TextColor(ink_on(side_colour(a))),
                    Transform::from_xyz(0.0, -5.2, 1.0).with_scale(Vec3::splat(0.65)),
                    Visibility::Hidden,
                    StrengthMark,
                ));
            });
    }
}

/// Puts counters on their hexes; several in one hex fan out so each can be seen.
#[allow(clippy::type_complexity)]
fn place_counters(
    geom: Option<Res<Geom>>,
    ui: Res<Ui>,
    cam: Query<&Projection, With<MainCamera>>,
    mut q: Query<
        (
            &UnitId,
            &Allegiance,
            &Position,
            Has<OutOfAction>,
            &mut Transform,
            &mut Visibility,
        ),
        With<Counter>,
    >,
) {
    let Some(geom) = geom else { return };
    let scale = match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    };
    let k = counter_scale(scale);
    // Farther out, the formation counters stand for the divisions.
    let divisions = readable(scale);
    let mut stacks: std::collections::BTreeMap<Hex, u32> = Default::default();
    let mut rows: Vec<_> = q.iter_mut().collect();
    rows.sort_by_key(|r| *r.0);
    for (id, a, pos, gone, mut t, mut v) in rows {
        let seen = ui
            .visible
            .as_ref()
            .is_none_or(|vis| Some(a.side) == ui.viewer || vis.contains(id));
        if gone || !seen || !divisions {
            *v = Visibility::Hidden;
            // Still where the unit is (what the script's report gives a test to click, and
            // where the counter shows again when zoomed in).
            t.translation = geom.center(pos.0).extend(10.0);
            continue;
        }
        *v = Visibility::Inherited;
        let n = stacks.entry(pos.0).or_default();
        let fan = Vec2::new(3.0, -3.0) * *n as f32 * k;
        t.translation = (geom.center(pos.0) + fan).extend(10.0 + *n as f32 * 0.1);
        t.scale = Vec3::splat(k);
        *n += 1;
    }
}

/// Size marks only where the counters are large enough on screen to read them.
fn size_marks(
    cam: Query<&Projection, With<MainCamera>>,
    mut q: Query<&mut Visibility, With<SizeMark>>,
) {
    let s = match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    };
    let want = if readable(s) {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut v in &mut q {
        if *v != want {
            *v = want;
        }
    }
}

/// Each counter's strength in thousands of men, zoomed in far enough to read it: the
/// enemy's as the viewer's intelligence estimates it (its full strength where there is no
/// estimate, as its bar shows).
#[allow(clippy::type_complexity)]
fn strength_marks(
    ui: Res<Ui>,
    cam: Query<&Projection, With<MainCamera>>,
    overlay: Option<Res<crate::gui::overlay::OverlayData>>,
    counters: Query<(&UnitId, &Allegiance, &Strength, &FullStrength, &Children), With<Counter>>,
    mut marks: Query<(&mut Text2d, &mut Visibility), With<StrengthMark>>,
) {
    let s = match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    };
    let shown = figures_readable(s);
    let known = overlay.as_deref().map(|d| &d.estimates);
    for (id, a, st, full, children) in &counters {
        let enemy = ui.viewer.is_some_and(|v| v != a.side) && ui.visible.is_some();
        let men = match (enemy, known.and_then(|k| k.get(id))) {
            (true, Some((men, _))) => *men,
            (true, None) => full.0.men,
            (false, _) => st.men,
        };
        for c in children.iter() {
            let Ok((mut text, mut v)) = marks.get_mut(c) else {
                continue;
            };
            let want = if shown {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            };
            if *v != want {
                *v = want;
            }
            if shown {
                let figure = men_short(men);
                if text.0 != figure {
                    text.0 = figure;
                }
            }
        }
    }
}

/// NATO symbols, bars and the selection ring, drawn each frame.
#[allow(clippy::type_complexity)]
fn draw_symbols(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    rules: Option<Res<Rules>>,
    cam: Query<&Projection, With<MainCamera>>,
    overlay: Option<Res<crate::gui::overlay::OverlayData>>,
    q: Query<
        (
            &UnitId,
            &Kind,
            &Transform,
            &Strength,
            &FullStrength,
            &Stocks,
            &Readiness,
            &Visibility,
            &Allegiance,
            &SupplyState,
        ),
        With<Counter>,
    >,
) {
    let Some(rules) = rules else { return };
    let known = overlay.as_deref().map(|d| &d.estimates);
    let cam_scale = match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    };
    for (id, kind, t, s, full, st, rd, v, a, sup) in &q {
        if *v == Visibility::Hidden {
            continue;
        }
        // An enemy counter under fog of war shows what the viewer's intelligence knows: its
        // estimated strength, nothing of its fuel or readiness.
        let enemy = ui.viewer.is_some_and(|v| v != a.side) && ui.visible.is_some();
        let shown_men = match (enemy, known.and_then(|k| k.get(id))) {
            (true, Some((men, _))) => *men,
            (true, None) => full.0.men,
            (false, _) => s.men,
        };
        let c = t.translation.truncate();
        let k = t.scale.x;
        let p = |x: f32, y: f32| c + Vec2::new(x, y) * k;
        let ink = Color::BLACK;
        // The counter's edge, and (when large enough on screen to read) the symbol.
        gizmos.rect_2d(
            Isometry2d::from_translation(c),
            COUNTER * k,
            Color::srgb(0.15, 0.1, 0.1),
        );
        let symbols = readable(cam_scale);
        // Zoomed in far enough for the strength figure, the symbol's box makes room for it.
        let (sym, box_h) = if figures_readable(cam_scale) {
            (Vec2::new(0.0, 0.0), 5.0)
        } else {
            (Vec2::new(0.0, -1.5), 8.0)
        };
        if symbols {
            gizmos.rect_2d(
                Isometry2d::from_translation(p(sym.x, sym.y)),
                Vec2::new(12.0, box_h) * k,
                ink,
            );
        }
        let (top, bottom) = (sym.y + box_h / 2.0, sym.y - box_h / 2.0);
        let (tl, tr) = (p(-6.0, top), p(6.0, top));
        let (bl, br) = (p(-6.0, bottom), p(6.0, bottom));
        use UnitKind::*;
        let infantry = matches!(
            kind.0,
            RifleDivision
                | RifleBrigade
                | InfantryDivision
                | IndependentMixedBrigade
                | NavalInfantryBrigade
                | BorderGarrison
                | FortifiedRegionGarrison
                | MotorRifleDivision
                | MotorRifleBrigade
                | SupportGroup
        );
        let armour = matches!(
            kind.0,
            TankCorps
                | MechanizedCorps
                | TankBrigade
                | TankDivision
                | IndependentTankBrigade
                | MotorRifleDivision
                | MotorRifleBrigade
        );
        let cavalry = matches!(kind.0, CavalryDivision | CavalryBrigade);
        let artillery = matches!(
            kind.0,
            ArtilleryDivision | ArtilleryBrigade | AntiTankBrigade | SupportGroup
        );
        if symbols && infantry {
            gizmos.line_2d(tl, br, ink);
            gizmos.line_2d(tr, bl, ink);
        }
        if symbols && armour {
            gizmos.ellipse_2d(
                Isometry2d::from_translation(p(sym.x, sym.y)),
                Vec2::new(4.5, 2.2) * k,
                ink,
            );
        }
        if symbols && cavalry {
            gizmos.line_2d(bl, tr, ink);
        }
        if symbols && artillery {
            gizmos.circle_2d(Isometry2d::from_translation(p(sym.x, sym.y)), 1.2 * k, ink);
        }
        if symbols && matches!(kind.0, BorderGarrison | FortifiedRegionGarrison) {
            // A fortified unit: battlements over the box.
            for i in 0..3 {
                let x = -5.0 + i as f32 * 4.0;
                gizmos.line_2d(p(x, 3.5), p(x + 2.0, 3.5), ink);
            }
        }
        // Bars along the bottom of the counter: strength (green) and fuel (amber).
        let frac = |a: f64, b: f64| {
            if b > 0.0 {
                (a / b).clamp(0.0, 1.0) as f32
            } else {
                0.0
            }
        };
        let men = frac(shown_men as f64, full.0.men as f64);
        let refill = refill_t(&rules.0, s.tanks, s.vehicles);
        let fuel = frac(st.fuel_t, refill * 2.0);
        let x0 = -COUNTER.x / 2.0 + 1.0;
        let w = COUNTER.x - 2.0;
        let bar = |gizmos: &mut Gizmos, y: f32, f: f32, col: Color| {
            gizmos.line_2d(p(x0, y), p(x0 + w, y), Color::srgba(0.0, 0.0, 0.0, 0.6));
            if f > 0.0 {
                gizmos.line_2d(p(x0, y), p(x0 + w * f, y), col);
            }
        };
        bar(
            &mut gizmos,
            -COUNTER.y / 2.0 - 1.5,
            men,
            Color::srgb(0.1, 0.75, 0.1),
        );
        if refill > 0.0 && !enemy {
            let fuel_col = if fuel < 0.15 {
                Color::srgb(1.0, 0.1, 0.0)
            } else {
                Color::srgb(1.0, 0.65, 0.0)
            };
            bar(&mut gizmos, -COUNTER.y / 2.0 - 3.5, fuel, fuel_col);
        }
        // Out of supply (no depot reaches it): a black corner, edged in white, over the
        // counter's top right, on the player's own units only (the enemy's supply is not
        // known). Black and white read on the red and the yellow counters alike.
        if !enemy && sup.depot.is_none() && a.side == ui.viewer.unwrap_or(a.side) {
            let (x, y) = (COUNTER.x / 2.0 + 0.5, COUNTER.y / 2.0 + 0.5);
            let size = 6.0;
            let steps = 12;
            for i in 0..=steps {
                let d = size * i as f32 / steps as f32;
                gizmos.line_2d(p(x - d, y), p(x, y - d), Color::BLACK);
            }
            let white = Color::WHITE;
            gizmos.line_2d(p(x - size, y), p(x, y), white);
            gizmos.line_2d(p(x, y), p(x, y - size), white);
            gizmos.line_2d(p(x, y - size), p(x - size, y), white);
        }
        let ring = |gizmos: &mut Gizmos, col: Color| {
            gizmos.rect_2d(
                Isometry2d::from_translation(c),
                (COUNTER + Vec2::splat(5.0)) * k,
                col,
            );
        };
        match ui.overlay {
            _ if enemy => {}
            Overlay::Readiness => {
                let r = rd.0 as f32;
                ring(&mut gizmos, Color::srgb(1.0 - r, r, 0.1));
            }
            Overlay::Fuel if refill > 0.0 => ring(&mut gizmos, Color::srgb(1.0 - fuel, fuel, 0.0)),
            _ => {}
        }
        if ui.selected == Some(*id) {
            gizmos.rect_2d(
                Isometry2d::from_translation(c),
                (COUNTER + Vec2::splat(8.0)) * k,
                Color::WHITE,
            );
        }
    }
}
