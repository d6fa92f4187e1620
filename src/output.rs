//! Write: puts the rendered files on disk all at once. Files go into a
//! temporary folder beside the output, which is swapped in only when complete,
//! so a failed build leaves the previous output untouched. The guard refuses
//! output folders that hold the site's own sources or someone else's files.

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
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl OutputError {
    pub fn help(&self) -> &'static str {
        match self {
            OutputError::HoldsSources { .. } => "choose an output folder of its own, such as `public` (the default)",
            OutputError::NotOurs { .. } => "empty or delete that folder yourself, or pass another --output",
            OutputError::NotAFolder { .. } => "pass --output with a folder path",
            OutputError::Io { .. } => "check the permissions and free space of the output folder's parent",
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

/// A temporary folder beside the output that pages are written into while
/// they are rendered (from any thread), and that replaces the output in one
/// step when the build is complete. Dropped without `commit`, it removes
/// itself, so a failed build leaves the previous output as it was.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
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
        let dir = tempfile::Builder::new()
            .prefix(".duben-build-")
            .tempdir_in(&parent)
            .map_err(io_error(&parent))?;
        Ok(Staging {
            dir: Some(dir),
            output: output.to_path_buf(),
            parent,
        })
    }

    /// Writes one file (its folders are created as needed).
    pub fn write(&self, file: &OutputFile) -> Result<(), OutputError> {
        let dir = self
            .dir
            .as_ref()
            .expect("a staging folder is written only before it is committed");
        let path = dir.path().join(&file.path);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(io_error(folder))?;
        }
        fs::write(&path, &file.bytes).map_err(io_error(&path))
    }

    /// Swaps the finished folder in for the output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let staged = self.dir.take().expect("committed once").keep();
        let output = &self.output;
        if !output.exists() {
            return fs::rename(&staged, output).map_err(io_error(output));
        }
        let old = tempfile::Builder::new()
            .prefix(".duben-old-")
            .tempdir_in(&self.parent)
            .map_err(io_error(&self.parent))?
            .keep();
        let old_output = old.join("output");
        fs::rename(output, &old_output).map_err(io_error(output))?;
        if let Err(error) = fs::rename(&staged, output) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&old_output, output);
            let _ = fs::remove_dir_all(&staged);
            let _ = fs::remove_dir_all(&old);
            return Err(OutputError::Io {
                path: output.to_path_buf(),
                source: error,
            });
        }
        fs::remove_dir_all(&old).map_err(io_error(&old))
    }
}

/// Writes `files` into `output`, replacing what was there in one step.
#[cfg(test)]
pub fn write_site(site_root: &Path, output: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::new(site_root, output)?;
    files.iter().try_for_each(|file| staging.write(file))?;
    staging.commit()
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
}
