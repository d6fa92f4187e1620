//! The sample site `duben init` writes: every file of the repository's
//! `init/` folder, embedded in the binary, and the code that copies them into
//! a new site folder. It never overwrites a file that is already there.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One file of the sample site.
pub struct SampleFile {
    /// Relative to the new site's folder, with `/` separators.
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! sample_files {
    ($($path:literal),* $(,)?) => {
        &[$(SampleFile { path: $path, text: include_str!(concat!("../../init/", $path)) }),*]
    };
}

/// Every file of the sample site. A unit test keeps this list and `init/` in step.
pub const FILES: &[SampleFile] = sample_files![
    ".github/actions/install-duben/action.yml",
    ".github/workflows/check.yml",
    ".github/workflows/pages.yml",
    ".gitignore",
    "README.md",
    "content/glossary.toml",
    "content/pages/about.md",
    "content/reading-with-notes/article.toml",
    "content/reading-with-notes/notes.toml",
    "content/reading-with-notes/text.md",
    "content/timeline.toml",
    "site.toml",
];

/// What `create` did, file by file (paths relative to the site folder).
#[derive(Debug, Default)]
pub struct Created {
    pub written: Vec<PathBuf>,
    /// Files that were already there and were left as they are.
    pub kept: Vec<PathBuf>,
}

/// Writes the sample site into `dir` (created if missing), keeping every file
/// that already exists.
pub fn create(dir: &Path) -> io::Result<Created> {
    let mut created = Created::default();
    for file in FILES {
        let relative = PathBuf::from(file.path);
        let target = dir.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        // create_new: an existing file is never truncated, even if it appears
        // between a check and the write.
        match fs::OpenOptions::new().write(true).create_new(true).open(&target) {
            Ok(mut out) => {
                out.write_all(text_for_site(file).as_bytes())?;
                created.written.push(relative);
            }
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => created.kept.push(relative),
            Err(error) => return Err(error),
        }
    }
    Ok(created)
}

/// True when `dir` does not exist or holds nothing.
pub fn is_empty_or_missing(dir: &Path) -> io::Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(error),
    }
}

/// The workflows install duben from the repository variable `DUBEN_GIT`; when
/// this build of duben knows its own repository, that becomes the default, so
/// a new site publishes without any setting.
fn text_for_site(file: &SampleFile) -> Cow<'static, str> {
    let repository = option_env!("CARGO_PKG_REPOSITORY").unwrap_or("");
    if !file.path.starts_with(".github/") || repository.is_empty() {
        return Cow::Borrowed(file.text);
    }
    let with_default = format!("${{{{ vars.DUBEN_GIT || '{repository}' }}}}");
    Cow::Owned(file.text.replace("${{ vars.DUBEN_GIT }}", &with_default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_init_folder_is_embedded() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("init");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|f| f.path).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn existing_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("README.md"), "mine").unwrap();
        let created = create(dir.path()).unwrap();
        assert_eq!(created.kept, [PathBuf::from("README.md")]);
        assert_eq!(created.written.len(), FILES.len() - 1);
        assert_eq!(fs::read_to_string(dir.path().join("README.md")).unwrap(), "mine");
    }
}
