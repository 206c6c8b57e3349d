//! The colours of the lines on the map, shared by the drawing and the map key, and of the
//! lorry-haul overlay.

use bevy::prelude::Color;

pub const MINOR_RIVER: [f32; 3] = [0.35, 0.55, 0.85];
pub const MAJOR_RIVER: [f32; 3] = [0.2, 0.45, 0.9];
pub const GREAT_RIVER: [f32; 3] = [0.1, 0.3, 0.85];
pub const BROAD_RAIL: [f32; 3] = [0.45, 0.05, 0.05];
pub const STANDARD_RAIL: [f32; 3] = [0.12, 0.12, 0.12];
pub const MAIN_ROAD: [f32; 3] = [0.75, 0.3, 0.1];
pub const TRACK: [f32; 3] = [0.55, 0.4, 0.25];
pub const BORDER: [f32; 3] = [0.75, 0.1, 0.6];
pub const FORT: [f32; 3] = [0.15, 0.15, 0.15];
pub const ENEMY_TRAIL: [f32; 3] = [1.0, 0.55, 0.0];
pub const BATTLE: [f32; 3] = [1.0, 0.15, 0.1];
pub const OBJECTIVE: [f32; 3] = [1.0, 0.8, 0.1];
pub const SOVIET_PLACE: [f32; 3] = [0.8, 0.1, 0.1];
pub const JAPANESE_PLACE: [f32; 3] = [0.95, 0.85, 0.2];

/// The colour of a place held by `side` (white: by neither), for its dot on the map and,
/// round a besieged town, the square of the works its garrison still holds.
pub fn side_colour(side: Option<crate::model::Side>) -> Color {
    match side {
        Some(crate::model::Side::Soviet) => rgb(SOVIET_PLACE),
        Some(crate::model::Side::Japanese) => rgb(JAPANESE_PLACE),
        None => Color::WHITE,
    }
}

pub fn rgb(c: [f32; 3]) -> Color {
    Color::srgb(c[0], c[1], c[2])
}

/// What each line means, for the key.
pub const KEY: [([f32; 3], &str); 13] = [
    (BROAD_RAIL, "railway, Soviet broad gauge"),
    (STANDARD_RAIL, "railway, standard gauge (Manchuria, Korea)"),
    (MAIN_ROAD, "main road"),
    (TRACK, "track"),
    (MINOR_RIVER, "river"),
    (MAJOR_RIVER, "major river (a defence line)"),
    (
        GREAT_RIVER,
        "great river, drawn double (Amur, Ussuri, Sungari)",
    ),
    (BORDER, "frontier"),
    (FORT, "square on a hex: fortified region (larger, stronger)"),
    (
        JAPANESE_PLACE,
        "yellow or red square round a town: its works still held by that side's \
         garrison while the other holds the town (besieged)",
    ),
    (ENEMY_TRAIL, "since your last turn: an enemy march you see"),
    (BATTLE, "since your last turn: a battle (red burst)"),
    (
        OBJECTIVE,
        "gold ring with spokes: a place your objectives name (top bar: their state)",
    ),
];

/// The colour of a hex in the supply overlay: a scale of its own, light cyan near a railhead
/// or depot through blue and violet to magenta as the lorry haul lengthens, and near-black
/// where no lorry reaches ground the side holds, so that no band can be taken for the
/// greens, yellows and browns of the ground under it. The bands also darken in turn, so the
/// overlay still reads printed in grey.
pub fn haul_colour(haul: Option<f64>, owned: bool) -> Option<Color> {
    match haul {
        Some(km) if km < 100.0 => Some(Color::srgba(0.35, 0.9, 1.0, 0.55)),
        Some(km) if km < 250.0 => Some(Color::srgba(0.2, 0.45, 1.0, 0.6)),
        Some(km) if km < 400.0 => Some(Color::srgba(0.5, 0.15, 0.85, 0.65)),
        Some(_) => Some(Color::srgba(0.75, 0.0, 0.55, 0.7)),
        None if owned => Some(Color::srgba(0.05, 0.0, 0.05, 0.72)),
        None => None,
    }
}
