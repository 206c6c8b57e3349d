//! Writing a file atomically: a temporary file beside it, flushed to disk, then renamed over
//! the old one, so that a crash mid-write leaves the previous file whole. Saves, reports and
//! every other output go through it.

use std::io::Write;
use std::path::Path;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // The rename would replace a device or a pipe (as root, `--save /dev/null` would put a
    // plain file in place of /dev/null): only ordinary files are written over.
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(std::io::Error::other(format!(
            "{} is not an ordinary file; saves and reports are written only to ordinary files",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the save path has no file name"))?;
    // The process and a count of its writes: two threads of one process writing the same
    // file at once (a batch's workers, tests run side by side) each have their own.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{n}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut f = std::fs::File::create(&tmp)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        // A full disk or a failed rename must not leave the half-written temporary file
        // beside the one it was to replace.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
