//! Where a save's scenario is: stored relative to the save, so that the two can be moved
//! together and loaded from any working directory.

use std::path::Path;

/// The scenario a save names, found beside the save (saves store it relative to
/// themselves), or, for saves written before that, relative to the working directory.
pub fn scenario_of(save: &Path, named: &str) -> std::path::PathBuf {
    let named = Path::new(named);
    if named.is_absolute() {
        return named.to_path_buf();
    }
    let dir = save.parent().unwrap_or(Path::new(""));
    // `dir/../x` as `x` beside `dir`'s parent, so that the path shown, and written again
    // into the next save, is the scenario's own path, not one more `..` detour.
    let beside = lexical(&dir.join(named));
    if beside.exists() || !named.exists() {
        beside
    } else {
        named.to_path_buf()
    }
}

/// A path with its `.` left out and each `..` taking back the folder before it (where there
/// is one to take back), as the save's relative path was worked out.
fn lexical(p: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// How to reach `scenario` from the folder of `save`: the path a save stores, so that the
/// save and its scenario can be moved together or loaded from any working directory.
pub fn scenario_relative_to(save: &Path, scenario: &Path) -> String {
    // `absolute` keeps `..`; resolve it by hand so the common part is found.
    fn norm(p: &Path) -> Option<Vec<std::ffi::OsString>> {
        let mut out: Vec<std::ffi::OsString> = Vec::new();
        for c in std::path::absolute(p).ok()?.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c.as_os_str().to_os_string()),
            }
        }
        Some(out)
    }
    let dir = save
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Some(from), Some(to)) = (norm(dir), norm(scenario)) else {
        return scenario.display().to_string();
    };
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    // Sharing no folder but the root (a save in /tmp of a scenario in a home folder), they
    // will not move together: the absolute path is the one that keeps working.
    if common <= 1 {
        return std::path::PathBuf::from_iter(&to)
            .to_string_lossy()
            .replace('\\', "/");
    }
    let mut rel = std::path::PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c);
    }
    // Forward slashes whatever the system, so a save made on one system loads on another.
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_beside_the_saves_parent_is_found_by_its_own_path() {
        assert_eq!(
            lexical(Path::new("/tmp/run/../game/scenarios/./a.ron")),
            Path::new("/tmp/game/scenarios/a.ron")
        );
        // A `..` with nothing before it to take back stays.
        assert_eq!(lexical(Path::new("../a.ron")), Path::new("../a.ron"));
        let save = Path::new("/srv/runs/one/save.ron");
        let scenario = Path::new("/srv/game/scenarios/a.ron");
        let stored = scenario_relative_to(save, scenario);
        assert_eq!(stored, "../../game/scenarios/a.ron");
        assert_eq!(scenario_of(save, &stored), scenario);
    }
}
