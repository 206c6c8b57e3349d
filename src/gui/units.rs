//! Unit counters: a coloured counter per unit with its NATO symbol and size, bars for
//! strength and fuel, stacks fanned out, the selected unit ringed.

use bevy::prelude::*;

use super::map::Geom;
use super::{Overlay, Screen, Ui};
use crate::model::*;
use crate::scenario::load::refill_t;
use crate::scenario::spawn::Rules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (add_counters, place_counters, draw_symbols)
            .chain()
            .run_if(in_state(Screen::Playing)),
    );
}

/// Marks a unit that has its counter.
#[derive(Component)]
pub struct Counter;

pub const COUNTER: Vec2 = Vec2::new(22.0, 15.0);

pub fn side_colour(a: &Allegiance) -> Color {
    match a.nation {
        Nation::Soviet => Color::srgb(0.72, 0.16, 0.14),
        Nation::Mongolian => Color::srgb(0.25, 0.35, 0.75),
        Nation::Japanese => Color::srgb(0.86, 0.74, 0.32),
        Nation::Manchukuo => Color::srgb(0.7, 0.72, 0.5),
        Nation::Mengjiang => Color::srgb(0.62, 0.62, 0.62),
    }
}

fn size_mark(k: UnitKind) -> &'static str {
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
                        font_size: FontSize::Px(7.0),
                        ..default()
                    },
                    TextColor(Color::BLACK),
                    Transform::from_xyz(0.0, COUNTER.y / 2.0 + 4.0, 1.0),
                ));
            });
    }
}

/// Puts counters on their hexes; several in one hex fan out so each can be seen.
fn place_counters(
    geom: Option<Res<Geom>>,
    mut q: Query<
        (
            &UnitId,
            &Position,
            &Strength,
            &mut Transform,
            &mut Visibility,
        ),
        With<Counter>,
    >,
) {
    let Some(geom) = geom else { return };
    let mut stacks: std::collections::BTreeMap<Hex, u32> = Default::default();
    let mut rows: Vec<_> = q.iter_mut().collect();
    rows.sort_by_key(|r| *r.0);
    for (_, pos, s, mut t, mut v) in rows {
        if s.men == 0 {
            *v = Visibility::Hidden;
            continue;
        }
        *v = Visibility::Inherited;
        let n = stacks.entry(pos.0).or_default();
        let c = geom.center(pos.0) + Vec2::new(*n as f32 * 3.0, -(*n as f32) * 3.0);
        t.translation = c.extend(10.0 + *n as f32 * 0.1);
        *n += 1;
    }
}

/// NATO symbols, bars and the selection ring, drawn each frame.
fn draw_symbols(
    mut gizmos: Gizmos,
    ui: Res<Ui>,
    rules: Option<Res<Rules>>,
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
        ),
        With<Counter>,
    >,
) {
    let Some(rules) = rules else { return };
    for (id, k, t, s, full, st, rd, v) in &q {
        if *v == Visibility::Hidden {
            continue;
        }
        let c = t.translation.truncate();
        let box_ = Vec2::new(12.0, 8.0);
        let ink = Color::BLACK;
        gizmos.rect_2d(Isometry2d::from_translation(c), box_, ink);
        let (tl, br) = (c + Vec2::new(-6.0, 4.0), c + Vec2::new(6.0, -4.0));
        let (tr, bl) = (c + Vec2::new(6.0, 4.0), c + Vec2::new(-6.0, -4.0));
        use UnitKind::*;
        let infantry = matches!(
            k.0,
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
            k.0,
            TankCorps
                | MechanizedCorps
                | TankBrigade
                | TankDivision
                | IndependentTankBrigade
                | MotorRifleDivision
                | MotorRifleBrigade
        );
        let cavalry = matches!(k.0, CavalryDivision | CavalryBrigade);
        let artillery = matches!(
            k.0,
            ArtilleryDivision | ArtilleryBrigade | AntiTankBrigade | SupportGroup
        );
        if infantry {
            gizmos.line_2d(tl, br, ink);
            gizmos.line_2d(tr, bl, ink);
        }
        if armour {
            gizmos.ellipse_2d(Isometry2d::from_translation(c), Vec2::new(4.5, 2.2), ink);
        }
        if cavalry {
            gizmos.line_2d(bl, tr, ink);
        }
        if artillery {
            gizmos.circle_2d(Isometry2d::from_translation(c), 1.2, ink);
        }
        if matches!(k.0, BorderGarrison | FortifiedRegionGarrison) {
            gizmos.line_2d(tl + Vec2::Y * 2.0, tr + Vec2::Y * 2.0, ink);
        }
        // Bars: strength (green) and fuel (amber) under the counter.
        let w = super::units::COUNTER.x;
        let y0 = c.y - super::units::COUNTER.y / 2.0 - 2.0;
        let frac = |a: f64, b: f64| {
            if b > 0.0 {
                (a / b).clamp(0.0, 1.0) as f32
            } else {
                0.0
            }
        };
        let men = frac(s.men as f64, full.0.men as f64);
        let refill = refill_t(&rules.0, s.tanks, s.vehicles);
        let fuel = frac(st.fuel_t, refill * 2.0);
        let x0 = c.x - w / 2.0;
        gizmos.line_2d(
            Vec2::new(x0, y0),
            Vec2::new(x0 + w * men, y0),
            Color::srgb(0.1, 0.6, 0.1),
        );
        if refill > 0.0 {
            let fuel_col = match ui.overlay {
                Overlay::Fuel if fuel < 0.15 => Color::srgb(1.0, 0.0, 0.0),
                _ => Color::srgb(0.95, 0.6, 0.0),
            };
            gizmos.line_2d(
                Vec2::new(x0, y0 - 2.0),
                Vec2::new(x0 + w * fuel, y0 - 2.0),
                fuel_col,
            );
        }
        match ui.overlay {
            Overlay::Readiness => {
                let r = rd.0 as f32;
                gizmos.circle_2d(
                    Isometry2d::from_translation(c),
                    12.0,
                    Color::srgb(1.0 - r, r, 0.1),
                );
            }
            Overlay::Fuel if refill > 0.0 => {
                gizmos.circle_2d(
                    Isometry2d::from_translation(c),
                    12.0,
                    Color::srgb(1.0 - fuel, fuel, 0.0),
                );
            }
            _ => {}
        }
        if ui.selected == Some(*id) {
            gizmos.rect_2d(
                Isometry2d::from_translation(c),
                super::units::COUNTER + Vec2::splat(6.0),
                Color::WHITE,
            );
        }
    }
}
