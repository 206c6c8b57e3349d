//! The default build needs nothing but Rust: no Wayland, ALSA or udev libraries at build time.

use std::process::Command;

#[test]
fn the_default_build_pulls_no_system_library_crates() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--edges", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.lines().any(|l| l.starts_with("bevy_winit")),
        "the default build should include the window (bevy_winit):\n{tree}"
    );
    for forbidden in ["wayland-sys", "alsa-sys", "libudev-sys"] {
        assert!(
            !tree.lines().any(|l| l.starts_with(forbidden)),
            "the default build pulls {forbidden}, which needs a system library at build time"
        );
    }
}
