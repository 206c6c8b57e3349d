//! A digest of the engine's source (everything under `src/` but the window, and the locked
//! dependencies), for the batch manifest: a batch run by one build of the rules is not resumed
//! by another, whose runs would not be comparable. Source, not binary, so that shards built on
//! different machines from the same source agree.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p != Path::new("src/gui") {
                files(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    all.push(PathBuf::from("Cargo.lock"));
    all.sort();
    // FNV-1a, 64 bits, over each file's path (with `/` separators) and contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for f in &all {
        let name: Vec<String> = f
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        feed(name.join("/").as_bytes());
        feed(&[0]);
        feed(&std::fs::read(f).unwrap_or_default());
        feed(&[0]);
    }
    println!("cargo:rustc-env=AUGUST_STORM_SOURCE_DIGEST={h:016x}");
}
