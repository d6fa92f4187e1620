//! Write: puts the rendered files on disk all at once. Files go into a
//! temporary folder beside the output, which is swapped in only when complete,
//! so a failed build leaves the previous output untouched. The guard refuses
//! output folders that hold the site's own sources or someone else's files.
//! What a killed build leaves beside the output is cleared by the next one,
//! and what a running build owns is never touched (see `Staging`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::OutputFile;

/// A file every duben output has; a non-empty folder without it is not ours
/// to replace.
const MARKER: &str = ".nojekyll";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write into {path}: it holds the site's sources ({what})")]
    HoldsSources { path: PathBuf, what: &'static str },
    #[error("refusing to replace {path}: it is not empty and was not written by duben (no {MARKER} in it)")]
    NotOurs { path: PathBuf },
    #[error("{path} exists and is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("cannot write {path}: {}", crate::diagnostics::plain_io(source))]
    Io { path: PathBuf, source: io::Error },
    /// Not a failure: the new output is in place, and only the previous
    /// one, moved aside, is still there.
    #[error(
        "the new output is in place, but the previous one, moved aside to {path}, cannot be removed: {}",
        crate::diagnostics::plain_io(source)
    )]
    LeftBehind { path: PathBuf, source: io::Error },
}

impl OutputError {
    pub fn help(&self) -> &'static str {
        match self {
            OutputError::HoldsSources { .. } => "choose an output folder of its own, such as `public` (the default)",
            OutputError::NotOurs { .. } => "empty or delete that folder yourself, or pass another --output",
            OutputError::NotAFolder { .. } => "pass --output with a folder path",
            OutputError::LeftBehind { .. } => {
                "delete that folder yourself: it holds only the previous output (the next build tries again)"
            }
            OutputError::Io { source, .. } => match source.kind() {
                io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                    "free some space on that disk, or pass --output with a folder on another one; the previous output is unchanged"
                }
                io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
                    "build into a folder you may write to (--output), or change the permissions of the output folder and its parent"
                }
                _ => "check the permissions and free space of the output folder's parent",
            },
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an output folder that would overwrite sources: the site root, any
/// folder above it, or a folder holding `site.toml` or `content/`.
pub fn guard(site_root: &Path, output: &Path) -> Result<(), OutputError> {
    let root = fs::canonicalize(site_root).unwrap_or_else(|_| site_root.to_path_buf());
    let out = absolute(output);
    if root.starts_with(&out) {
        return Err(OutputError::HoldsSources {
            path: output.to_path_buf(),
            what: "the site folder itself",
        });
    }
    for (name, what) in [
        ("site.toml", "site.toml"),
        ("content", "content/"),
        ("Cargo.toml", "Cargo.toml"),
    ] {
        if out.join(name).exists() {
            return Err(OutputError::HoldsSources {
                path: output.to_path_buf(),
                what,
            });
        }
    }
    for source in ["content", "templates", "static", "src"] {
        if out.starts_with(root.join(source)) {
            return Err(OutputError::HoldsSources {
                path: output.to_path_buf(),
                what: "a source folder",
            });
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(OutputError::NotAFolder {
                path: output.to_path_buf(),
            });
        }
        let empty = fs::read_dir(&out).map_err(io_error(output))?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(OutputError::NotOurs {
                path: output.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// The absolute form of a path that may not exist yet: its deepest existing
/// ancestor canonicalised, the rest appended.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

/// What every staging folder's name starts with.
const STAGING_PREFIX: &str = ".duben-build-";
/// The lock file beside a staging folder: `<staging>.lock`. It is created
/// and locked before the folder, and removed only after it, so a staging
/// folder whose lock nobody holds belongs to a build that was killed.
const LOCK_SUFFIX: &str = ".lock";
/// Where the previous output waits while the new one is moved in:
/// `<staging>.old/output`.
const OLD_SUFFIX: &str = ".old";

/// A temporary folder beside the output that pages are written into while
/// they are rendered (from any thread), and that replaces the output in one
/// step when the build is complete. Dropped without `commit`, it removes
/// itself, so a failed build leaves the previous output as it was.
///
/// A build killed outright (SIGKILL, power cut) cannot clean up after
/// itself: the next build into the same parent folder removes what such a
/// build left (`sweep`), and never what a build still running owns, which it
/// tells by the lock that build holds on its lock file.
pub struct Staging {
    dir: PathBuf,
    lock_path: PathBuf,
    /// Held, exclusively locked, for as long as the staging folder exists.
    _lock: fs::File,
    output: PathBuf,
    parent: PathBuf,
}

impl Staging {
    pub fn new(site_root: &Path, output: &Path) -> Result<Staging, OutputError> {
        guard(site_root, output)?;
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        sweep(&parent);
        let (lock, lock_path) = claim(&parent, output)?;
        let dir = staging_of(&lock_path);
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Staging {
            dir,
            lock_path,
            _lock: lock,
            output: output.to_path_buf(),
            parent,
        })
    }

    /// The folder the pages are written into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (its folders are created as needed).
    pub fn write(&self, file: &OutputFile) -> Result<(), OutputError> {
        let path = self.dir.join(&file.path);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(io_error(folder))?;
        }
        fs::write(&path, &file.bytes).map_err(io_error(&path))
    }

    /// Takes the folder `relative` of the output in place over as it is:
    /// every file under it is hard-linked into the new output (copied where
    /// the system cannot link), so a rebuild that knows these pages did not
    /// change neither renders nor writes them. The new output must not
    /// write into a folder it adopted: a write would go through the link
    /// into the output being served.
    pub fn adopt(&self, relative: &Path) -> Result<(), OutputError> {
        adopt_tree(&self.output.join(relative), &self.dir.join(relative))
    }

    /// Swaps the finished folder in for the output: in one step where the
    /// system can exchange two folders, so that a server reading the output
    /// meanwhile finds every file, old or new; else by two renames. Once
    /// the new output is in place the build has not failed: a previous
    /// output that cannot be removed is returned, for a warning.
    pub fn commit(self) -> Result<Option<OutputError>, OutputError> {
        let output = &self.output;
        if !output.exists() {
            return fs::rename(&self.dir, output).map(|()| None).map_err(io_error(output));
        }
        if swap(&self.dir, output) {
            // The new site is in place; the previous one is where it was
            // built.
            return Ok(left_behind(&self.dir));
        }
        let old = old_of(&self.dir);
        fs::create_dir(&old).map_err(io_error(&self.parent))?;
        let old_output = old.join("output");
        fs::rename(output, &old_output).map_err(io_error(output))?;
        // Killed here, the previous output waits in `old`, and the next
        // build's sweep puts it back.
        if let Err(error) = fs::rename(&self.dir, output) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&old_output, output);
            return Err(OutputError::Io {
                path: output.to_path_buf(),
                source: error,
            });
        }
        Ok(left_behind(&old))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = remove_tree(&self.dir);
        let old = old_of(&self.dir);
        if old.join("output").exists() && !self.output.exists() {
            let _ = fs::rename(old.join("output"), &self.output);
        }
        let _ = remove_tree(&old);
        // Last, while still locked: once the lock file is gone, nothing of
        // this build is left. A folder that could not be removed keeps it,
        // unlocked when this process ends, for the next build's sweep.
        if !self.dir.exists() && !old.exists() {
            let _ = fs::remove_file(&self.lock_path);
        }
    }
}

/// Removes the previous output, moved aside to `previous` once the new one
/// is in place; what cannot be removed is said (as a warning), not failed.
fn left_behind(previous: &Path) -> Option<OutputError> {
    remove_tree(previous).err().map(|source| OutputError::LeftBehind {
        path: previous.to_path_buf(),
        source,
    })
}

/// Removes a folder of duben's (a staging folder, or the previous output it
/// replaced) with all it holds. Folders in it that are read-only (an output
/// someone made read-only, or restored from a read-only cache) would stop
/// the removal half-way and leave the folder behind at every build: they
/// are made writable first, since the whole folder is being thrown away.
/// A path that is a symbolic link is only unlinked, never looked into:
/// the names come from listing a folder that others may write to (a
/// committed `.duben-build-x` link, a shared `/tmp`), and what a link
/// points to is not duben's.
fn remove_tree(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Ok(metadata) if !metadata.is_dir() => return fs::remove_file(path),
        _ => {}
    }
    match fs::remove_dir_all(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(_) => {
            make_folders_writable(path);
            fs::remove_dir_all(path)
        }
        done => done,
    }
}

/// Gives the owner full rights on the folder `path` and every folder in
/// it, each before it is listed (a folder its owner may not read hides
/// what is in it); links are not followed. Best effort: `remove_tree`
/// reports what still cannot go.
fn make_folders_writable(path: &Path) {
    let Ok(metadata) = fs::symlink_metadata(path) else {
        return;
    };
    if !metadata.is_dir() {
        return;
    }
    let mut permissions = metadata.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(permissions.mode() | 0o700);
    }
    #[cfg(not(unix))]
    permissions.set_readonly(false);
    let _ = fs::set_permissions(path, permissions);
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        // The entry's own type: a link to a folder is not a folder here.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            make_folders_writable(&entry.path());
        }
    }
}

/// Replaces one file of a finished output in place: it is written beside
/// its old version and renamed over it, so that a server never reads half a
/// page, and a file that a later build hard-linked (`Staging::adopt`) is
/// never changed through the link. `serve` shows a saved article this way
/// before the whole site is rebuilt.
pub fn replace_file(output: &Path, file: &OutputFile) -> Result<(), OutputError> {
    let path = output.join(&file.path);
    let folder = path.parent().unwrap_or(output);
    fs::create_dir_all(folder).map_err(io_error(folder))?;
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let beside = folder.join(format!(".{name}.duben-new"));
    fs::write(&beside, &file.bytes).map_err(io_error(&beside))?;
    fs::rename(&beside, &path).map_err(|error| {
        let _ = fs::remove_file(&beside);
        OutputError::Io { path, source: error }
    })
}

/// Exchanges two folders in one step, where the system can (Linux 3.15+,
/// on most file systems); false where it cannot, and nothing changed.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn swap(_: &Path, _: &Path) -> bool {
    false
}

fn staging_of(lock_path: &Path) -> PathBuf {
    let name = lock_path.file_name().unwrap_or_default().to_string_lossy();
    lock_path.with_file_name(name.trim_end_matches(LOCK_SUFFIX))
}

fn old_of(staging: &Path) -> PathBuf {
    let mut name = staging.file_name().unwrap_or_default().to_os_string();
    name.push(OLD_SUFFIX);
    staging.with_file_name(name)
}

/// Creates and locks a new lock file in `parent`, holding the output's name
/// (so that a sweep can put a previous output back). A sweep that found the
/// file in the moment between its creation and its locking may have removed
/// it: then it is made again.
fn claim(parent: &Path, output: &Path) -> Result<(fs::File, PathBuf), OutputError> {
    loop {
        let (mut file, path) = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .suffix(LOCK_SUFFIX)
            .tempfile_in(parent)
            .map_err(io_error(parent))?
            .keep()
            .map_err(|e| OutputError::Io {
                path: parent.to_path_buf(),
                source: e.error,
            })?;
        file.lock().map_err(io_error(&path))?;
        if !path.exists() {
            continue;
        }
        use std::io::Write as _;
        let name = output.file_name().unwrap_or_default().to_string_lossy();
        file.write_all(name.as_bytes()).map_err(io_error(&path))?;
        return Ok((file, path));
    }
}

/// Removes what killed builds left in `parent`: every staging folder whose
/// lock file nobody holds, and the lock file itself. A previous output that a
/// build killed in mid-swap had moved aside is put back first. What a running
/// build owns is locked, and left alone. Best effort: a folder that cannot be
/// removed now is tried again by the next build.
pub fn sweep(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    // Only what a build makes: folders and lock files (a link named like a
    // staging folder is unlinked with it, never followed: `remove_tree`).
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir() || t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(STAGING_PREFIX))
        .collect();
    names.sort();
    for name in &names {
        let Some(base) = name.strip_suffix(LOCK_SUFFIX) else {
            sweep_unlocked(parent, name, &names);
            continue;
        };
        let lock_path = parent.join(name);
        let Ok(mut lock) = fs::OpenOptions::new().read(true).write(true).open(&lock_path) else {
            continue;
        };
        match lock.try_lock() {
            Ok(()) => {}
            Err(_) => continue, // a running build holds it
        }
        let staging = parent.join(base);
        let old_output = old_of(&staging).join("output");
        let mut output_name = String::new();
        let _ = std::io::Read::read_to_string(&mut lock, &mut output_name);
        if !output_name.is_empty() && !output_name.contains(['/', '\\']) && old_output.is_dir() {
            let output = parent.join(&output_name);
            if !output.exists() {
                let _ = fs::rename(&old_output, &output);
            }
        }
        let removed = remove_tree(&staging).is_ok() && remove_tree(&old_of(&staging)).is_ok();
        if removed {
            let _ = fs::remove_file(&lock_path);
        }
    }
}

/// A staging folder with no lock file beside it was left by an earlier
/// version of duben, which took no lock; it is removed once it is an hour
/// old, long after any build that could still own it has finished.
fn sweep_unlocked(parent: &Path, name: &str, names: &[String]) {
    let base = name.strip_suffix(OLD_SUFFIX).unwrap_or(name);
    if names.iter().any(|n| n.strip_suffix(LOCK_SUFFIX) == Some(base)) {
        return;
    }
    let path = parent.join(name);
    let age = fs::symlink_metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok());
    if age.is_some_and(|age| age > std::time::Duration::from_secs(3600)) {
        let _ = remove_tree(&path);
    }
}

/// `from`'s files linked (or copied) into `to`, folders made as needed.
fn adopt_tree(from: &Path, to: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(to).map_err(io_error(to))?;
    for entry in fs::read_dir(from).map_err(io_error(from))? {
        let entry = entry.map_err(io_error(from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io_error(&source))?.is_dir() {
            adopt_tree(&source, &target)?;
        } else if fs::hard_link(&source, &target).is_err() {
            fs::copy(&source, &target).map_err(io_error(&target))?;
        }
    }
    Ok(())
}

/// Writes `files` into `output`, replacing what was there in one step.
#[cfg(test)]
pub fn write_site(site_root: &Path, output: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::new(site_root, output)?;
    files.iter().try_for_each(|file| staging.write(file))?;
    match staging.commit()? {
        Some(left) => Err(left),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_hold_sources() {
        let site = tempfile::tempdir().unwrap();
        fs::write(site.path().join("site.toml"), "title = \"t\"").unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        assert!(matches!(
            guard(site.path(), site.path()),
            Err(OutputError::HoldsSources { .. })
        ));
        assert!(matches!(
            guard(site.path(), &site.path().join("content/x")),
            Err(OutputError::HoldsSources { .. })
        ));
        assert!(guard(site.path(), &site.path().join("public")).is_ok());
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let other = site.path().join("notes");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("thesis.txt"), "precious").unwrap();
        assert!(matches!(guard(site.path(), &other), Err(OutputError::NotOurs { .. })));
    }

    #[test]
    fn replaces_previous_output_whole() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let files = |name: &str| {
            vec![
                OutputFile {
                    path: PathBuf::from(MARKER),
                    bytes: vec![],
                },
                OutputFile {
                    path: PathBuf::from(name).join("index.html"),
                    bytes: b"x".to_vec(),
                },
            ]
        };
        write_site(site.path(), &out, &files("a")).unwrap();
        write_site(site.path(), &out, &files("b")).unwrap();
        assert!(out.join("b/index.html").exists());
        assert!(!out.join("a").exists(), "stale pages do not linger");
        let leftovers: Vec<_> = fs::read_dir(site.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The staging folder `name` of a build killed while writing into
    /// `parent/public`: half written, and its lock file, which nobody holds
    /// since that build's process is gone.
    fn left_by_a_killed_build(parent: &Path, name: &str) -> PathBuf {
        let staging = parent.join(format!("{STAGING_PREFIX}{name}"));
        fs::create_dir_all(staging.join("essay")).unwrap();
        fs::write(staging.join("essay/index.html"), "<p>half").unwrap();
        fs::write(parent.join(format!("{STAGING_PREFIX}{name}{LOCK_SUFFIX}")), "public").unwrap();
        staging
    }

    fn one_page() -> Vec<OutputFile> {
        vec![OutputFile {
            path: PathBuf::from(MARKER),
            bytes: vec![],
        }]
    }

    #[test]
    fn what_a_killed_build_left_is_cleared_by_the_next() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        // A killed build: its lock file, unlocked since its process is gone,
        // its staging folder half written, and one killed in mid-swap.
        for (name, with_old) in [("aaaaaa", false), ("bbbbbb", true)] {
            let staging = left_by_a_killed_build(site.path(), name);
            if with_old {
                fs::create_dir_all(old_of(&staging).join("output")).unwrap();
                fs::write(old_of(&staging).join("output").join(MARKER), "").unwrap();
                fs::write(old_of(&staging).join("output/previous.html"), "whole").unwrap();
            }
        }
        let staging = Staging::new(site.path(), &out).unwrap();
        // The previous output a killed swap had moved aside is back.
        assert_eq!(fs::read_to_string(out.join("previous.html")).unwrap(), "whole");
        let during = names_in(site.path());
        assert_eq!(during.len(), 3, "only the output and this build's own: {during:?}");
        one_page().iter().for_each(|f| staging.write(f).unwrap());
        staging.commit().unwrap();
        assert_eq!(names_in(site.path()), vec!["public".to_owned()]);
    }

    #[test]
    fn a_running_build_keeps_what_it_owns() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let running = Staging::new(site.path(), &out).unwrap();
        running.write(&one_page()[0]).unwrap();
        // A second build meanwhile, into the same parent folder.
        let second = Staging::new(site.path(), &out).unwrap();
        assert!(
            running.path().join(MARKER).exists(),
            "the running build's folder is untouched"
        );
        one_page().iter().for_each(|f| second.write(f).unwrap());
        second.commit().unwrap();
        assert!(running.path().join(MARKER).exists());
        running.commit().unwrap();
        assert_eq!(names_in(site.path()), vec!["public".to_owned()]);
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// As root, permissions stop nothing and this passes without the
    /// folders being made writable; `tests/faults.rs` runs the binary as
    /// another user for that.
    #[cfg(unix)]
    #[test]
    fn a_read_only_previous_output_is_replaced_and_nothing_is_left() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let mut files = one_page();
        files.push(OutputFile {
            path: PathBuf::from("essay/index.html"),
            bytes: b"old".to_vec(),
        });
        write_site(site.path(), &out, &files).unwrap();
        set_mode(&out.join("essay"), 0o555);
        set_mode(&out, 0o555);
        write_site(site.path(), &out, &one_page()).unwrap();
        assert_eq!(names_in(site.path()), vec!["public".to_owned()]);
        assert_eq!(names_in(&out), vec![MARKER.to_owned()]);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_a_killed_build_left_is_cleared() {
        let site = tempfile::tempdir().unwrap();
        let staging = left_by_a_killed_build(site.path(), "cccccc");
        set_mode(&staging.join("essay"), 0o500);
        set_mode(&staging, 0o500);
        sweep(site.path());
        assert_eq!(names_in(site.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_of_a_staging_name_is_never_followed() {
        use std::os::unix::fs::PermissionsExt;
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let kept = elsewhere.path().join("kept");
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("file"), "theirs").unwrap();
        set_mode(&kept, 0o500);
        let link = site.path().join(format!("{STAGING_PREFIX}link01"));
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        fs::write(
            site.path().join(format!("{STAGING_PREFIX}link01{LOCK_SUFFIX}")),
            "public",
        )
        .unwrap();
        // With its lock file the sweep takes it for a staging folder, and
        // only unlinks it.
        sweep(site.path());
        assert!(fs::symlink_metadata(&link).is_err(), "the link is gone");
        std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
        remove_tree(&link).unwrap();
        assert!(fs::symlink_metadata(&link).is_err(), "removing it unlinks it");
        assert_eq!(fs::read_to_string(kept.join("file")).unwrap(), "theirs");
        let mode = fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o500, "nothing it points to is made writable");
        set_mode(&kept, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_removed_unlinks_the_links_in_it() {
        let old = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        fs::write(elsewhere.path().join("file"), "theirs").unwrap();
        let output = old.path().join("public");
        for folder in ["a", "b/c", "d"] {
            fs::create_dir_all(output.join(folder)).unwrap();
            fs::write(output.join(folder).join("index.html"), "ours").unwrap();
        }
        std::os::unix::fs::symlink(elsewhere.path(), output.join("top-link")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), output.join("b/c/deep-link")).unwrap();
        remove_tree(&output).unwrap();
        assert!(fs::symlink_metadata(&output).is_err(), "the folder is gone");
        assert_eq!(fs::read_to_string(elsewhere.path().join("file")).unwrap(), "theirs");
    }

    #[test]
    fn a_failed_build_leaves_nothing_beside_the_output() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        write_site(site.path(), &out, &one_page()).unwrap();
        let staging = Staging::new(site.path(), &out).unwrap();
        staging.write(&one_page()[0]).unwrap();
        drop(staging);
        assert_eq!(names_in(site.path()), vec!["public".to_owned()]);
        assert!(out.join(MARKER).exists());
    }
}
