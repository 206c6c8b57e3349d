//! What a command reads and where it may write: an output that is one of the command's
//! inputs (or another of its outputs) is refused before anything is written, and a batch
//! directory is locked while a batch or a merge writes it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A file a command reads, and what it is to the command (for the message).
struct Input {
    path: PathBuf,
    role: String,
}

/// Every file a command reads.
#[derive(Default)]
pub struct Inputs(Vec<Input>);

impl Inputs {
    pub fn add(&mut self, path: &Path, role: impl Into<String>) {
        self.0.push(Input {
            path: path.to_path_buf(),
            role: role.into(),
        });
    }

    /// The scenario, every file it names (map and map layers, rules, logistics, plan) and
    /// the files of the what-ifs applied to it, as a save lists them. A file that does not
    /// parse names nothing: the command has refused it already.
    pub fn add_scenario(&mut self, scenario: &Path, what_ifs: &[String]) {
        for f in crate::scenario::digest::scenario_files(scenario, what_ifs).0 {
            self.add(&f.path, f.role.describe());
        }
    }

    /// A digest of the inputs' contents (not their paths, so that shards run on different
    /// machines agree) and of the engine's source: a batch whose scenario, rules or what-ifs
    /// were edited since it ran, or that was run by another build of the engine, is not the
    /// same batch, and is not resumed.
    pub fn digest(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for b in bytes {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        feed(env!("CARGO_PKG_VERSION").as_bytes());
        // And the engine's source (build.rs): another build of the rules makes other runs.
        feed(env!("AUGUST_STORM_SOURCE_DIGEST").as_bytes());
        // Each file's hash, sorted: the same files give the same digest whatever the order
        // they were named in.
        let mut files: Vec<String> = self
            .0
            .iter()
            .map(|i| match std::fs::read(&i.path) {
                Ok(bytes) => crate::scenario::digest::blake3_hex(&bytes),
                Err(_) => "missing".into(),
            })
            .collect();
        files.sort();
        for f in &files {
            feed(f.as_bytes());
        }
        format!("fnv1a64:{h:016x}")
    }

    /// Refuses an output that is one of the inputs, naming which.
    pub fn check(&self, flag: &str, output: &Path) -> Result<(), String> {
        for i in &self.0 {
            if same_file(output, &i.path) {
                let also = if lexically_same(output, &i.path) {
                    String::new()
                } else {
                    format!(" ({})", i.path.display())
                };
                return Err(format!(
                    "{flag} {}: that is {}{also}, which this command reads; nothing was written: write somewhere else",
                    output.display(),
                    i.role
                ));
            }
        }
        Ok(())
    }
}

/// Refuses outputs that are inputs, or that are the same file as each other (the second
/// would replace the first). `outputs` are (flag, path).
pub fn check_outputs(inputs: &Inputs, outputs: &[(&str, &Path)]) -> Result<(), String> {
    for (k, (flag, path)) in outputs.iter().enumerate() {
        inputs.check(flag, path)?;
        if let Some((other, _)) = outputs[..k].iter().find(|(_, p)| same_file(p, path)) {
            return Err(format!(
                "{other} and {flag} name the same file, {}: the one would replace the other; nothing was written: name two different files",
                path.display()
            ));
        }
    }
    Ok(())
}

fn lexically_same(a: &Path, b: &Path) -> bool {
    let keep = |c: &std::path::Component| !matches!(c, std::path::Component::CurDir);
    a.components().filter(keep).eq(b.components().filter(keep))
}

/// Whether two paths name the same file: the same device and inode where both exist (so
/// that symbolic and hard links are caught), else the same resolved path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The path with its links resolved; for a file that does not exist yet, its folder's.
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let name = p.file_name()?;
    let parent = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match std::fs::canonicalize(parent) {
        Ok(d) => Some(d.join(name)),
        Err(_) => std::path::absolute(p).ok(),
    }
}

/// The lock file in a batch directory. It is left in place after the batch: removing it
/// could let a batch that opened it just before lock a file no later batch sees.
pub const LOCK_FILE: &str = ".batch.lock";

/// A batch directory locked against other batches and merges; the lock goes with the
/// value, and the system lets it go when the process ends however it ends, so a batch
/// that was killed leaves no lock behind.
pub struct DirLock {
    _file: Option<File>,
}

/// Creates and locks an output directory, after checking that neither it nor any of the
/// files `names` to be written in it (nor its lock) is one of the inputs: what a batch, a
/// sweep and a merge write into.
pub fn open_out_dir<'a>(
    out: &Path,
    inputs: &Inputs,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<DirLock, String> {
    if out.exists() && !out.is_dir() {
        return Err(format!(
            "--out {}: that is a file, not a directory; nothing was written: name a directory",
            out.display()
        ));
    }
    inputs.check("--out", out)?;
    for name in names.into_iter().chain([LOCK_FILE]) {
        inputs.check("--out", &out.join(name))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    lock_dir(out)
}

/// Locks a batch directory (which must exist), or says which process holds it.
pub fn lock_dir(dir: &Path) -> Result<DirLock, String> {
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot lock {}: {e}", dir.display()))?;
    match file.try_lock() {
        Ok(()) => {
            // The process id, for the message another batch gives.
            let _ = file.set_len(0);
            let _ = write!(file, "{}", std::process::id());
            let _ = file.flush();
            Ok(DirLock { _file: Some(file) })
        }
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let who = match pid.trim() {
                "" => String::new(),
                p => format!(" (process {p})"),
            };
            Err(format!(
                "another batch or merge{who} is writing to {}; wait for it to finish, or choose another --out",
                dir.display()
            ))
        }
        // A file system without locks (some network shares) still gets its batch.
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
            Ok(DirLock { _file: None })
        }
        Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", dir.display())),
    }
}

/// The entries of a directory other than its lock file, sorted; empty where it does not
/// exist.
pub fn contents(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != LOCK_FILE)
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_of_no_files_is_that_of_the_version_and_the_engines_source() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in env!("CARGO_PKG_VERSION")
            .bytes()
            .chain(env!("AUGUST_STORM_SOURCE_DIGEST").bytes())
        {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        assert_eq!(Inputs::default().digest(), format!("fnv1a64:{h:016x}"));
        assert_eq!(env!("AUGUST_STORM_SOURCE_DIGEST").len(), 16);
    }
}
