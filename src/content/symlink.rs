//! Symbolic links in a site: the one place that decides which are followed.
//! A file that is a link is read only if it points into the site; a folder
//! that is a link is never entered, wherever it points, so that a pull
//! request cannot publish (or quote in an error report) a folder of someone's
//! disk by committing a link to it. See docs/security.md.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Whether `path` (absolute, or relative to the working folder) is itself a
/// symbolic link; its target does not matter.
pub(crate) fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether the link at `root/relative` leads out of the site root. A
/// dangling link leads nowhere: reading it reports the missing file.
pub(crate) fn points_outside(root: &Path, relative: &Path) -> bool {
    match (fs::canonicalize(root.join(relative)), fs::canonicalize(root)) {
        (Ok(target), Ok(root)) => !target.starts_with(root),
        _ => false,
    }
}

/// The first folder on the way from `root` down to `relative`, `relative`
/// itself included, that is a symbolic link, as a path relative to the
/// root; none if there is none. The root itself may be a link (`/tmp` is
/// one on some systems): the site is wherever it is.
pub(crate) fn linked_folder(root: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for part in relative.components() {
        path.push(part);
        if is_link(&root.join(&path)) {
            return Some(path);
        }
    }
    None
}

/// The report for a folder that is a link, which duben skipped: an error,
/// since what the editor meant to publish is missing from the site;
/// `symlink-outside`, as for a file, where it leads out of the site.
pub(crate) fn linked_folder_report(root: &Path, folder: &Path) -> Diagnostic {
    let shown = folder.display();
    if points_outside(root, folder) {
        return Diagnostic::error(
            "symlink-outside",
            folder,
            None,
            "this folder is a symbolic link to a folder outside the site, which duben does not enter: nothing in it is read or published",
        )
        .with_help(format!(
            "copy the folder into the site in place of the link {shown} (see docs/security.md)"
        ));
    }
    Diagnostic::error(
        "symlink-folder",
        folder,
        None,
        "this folder is a symbolic link, which duben does not enter: nothing in it is read or published",
    )
    .with_help(format!(
        "move the folder it points to into {shown}, in place of the link (see docs/security.md)"
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn the_first_linked_folder_on_the_way_is_found() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("content/essay")).unwrap();
        symlink(outside.path(), site.path().join("content/essay/notes")).unwrap();
        let root = site.path();
        assert_eq!(linked_folder(root, Path::new("content/essay")), None);
        assert_eq!(
            linked_folder(root, Path::new("content/essay/notes/a.toml")),
            Some(PathBuf::from("content/essay/notes"))
        );
        assert_eq!(
            linked_folder_report(root, Path::new("content/essay/notes")).code,
            "symlink-outside"
        );
    }

    #[test]
    fn a_folder_linked_inside_the_site_is_skipped_too() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("shared")).unwrap();
        fs::create_dir_all(site.path().join("content")).unwrap();
        symlink("../shared", site.path().join("content/glossary")).unwrap();
        let folder = linked_folder(site.path(), Path::new("content/glossary/a.toml")).unwrap();
        let report = linked_folder_report(site.path(), &folder);
        assert_eq!((report.code, report.is_error()), ("symlink-folder", true));
        assert!(report.help.unwrap().contains("content/glossary"));
    }

    #[test]
    fn a_root_that_is_a_link_is_the_site() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("real/content")).unwrap();
        symlink("real", site.path().join("site")).unwrap();
        assert_eq!(linked_folder(&site.path().join("site"), Path::new("content")), None);
    }
}
