//! The map's camera: the marker of the camera that shows the map, the zoom that fits the
//! theatre between the panels, and the zoom now.

use bevy::prelude::*;

use crate::gui::geom::Geom;

#[derive(Component)]
pub struct MainCamera;

/// The zoom at which the whole theatre fits the map's part of the window.
pub fn fit_scale(geom: &Geom, window: &Window, margins: [f32; 3]) -> f32 {
    let e = geom.extent();
    let w = (window.width() - margins[0] - margins[1]).max(200.0);
    let h = (window.height() - margins[2]).max(200.0);
    (e.x / w).max(e.y / h) * 1.02
}

pub fn camera_scale(cam: &Query<&Projection, With<crate::gui::camera::MainCamera>>) -> f32 {
    match cam.single() {
        Ok(Projection::Orthographic(o)) => o.scale,
        _ => 1.0,
    }
}
