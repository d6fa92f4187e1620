//! Faults at the file system, with the real binary: a build killed with
//! SIGKILL at several points leaves the previous output or the new one, whole,
//! and the next build clears what it left; a full disk and a read-only
//! output parent are plain errors that leave the previous output intact; a
//! read-only previous output is replaced, and nothing is left beside it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{duben, read_tree};

/// A site large enough that a debug build takes a good fraction of a
/// second: `articles` articles of `paragraphs` paragraphs, with terms.
fn large_site(root: &Path, articles: usize, paragraphs: usize, word: &str) {
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("site.toml"), "title = \"读本\"\ntitle_en = \"Reader\"\n").unwrap();
    let mut glossary = String::new();
    for t in 0..20 {
        glossary.push_str(&format!(
            "[[term]]\nid = \"t{t}\"\nzh = \"术语{t}号\"\ndefinition = \"Term {t}.\"\n\n"
        ));
    }
    fs::write(root.join("content/glossary.toml"), glossary).unwrap();
    for a in 0..articles {
        let dir = root.join(format!("content/a{a:03}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("article.toml"), format!("title = \"文章{a}\"\n")).unwrap();
        let text: String = (0..paragraphs)
            .map(|p| format!("第{p}段{word}，提到术语{}号和中美关系的历史。\n\n", p % 20))
            .collect();
        fs::write(dir.join("text.md"), text).unwrap();
    }
}

fn binary() -> PathBuf {
    PathBuf::from(duben().get_program())
}

fn staging_left(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".duben-"))
        .collect()
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    Command::new(binary())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_killed_build_leaves_an_output_whole_and_the_next_build_clears_up() {
    let work = tempfile::tempdir().unwrap();
    let (old_site, new_site) = (work.path().join("old"), work.path().join("new"));
    large_site(&old_site, 60, 40, "旧");
    large_site(&new_site, 60, 40, "新");
    // What a complete build of each gives, for comparison.
    let reference = work.path().join("reference");
    fs::create_dir_all(&reference).unwrap();
    assert!(build(&old_site, &reference.join("old")).status.success());
    assert!(build(&new_site, &reference.join("new")).status.success());
    let old_tree = read_tree(&reference.join("old"));
    let new_tree = read_tree(&reference.join("new"));
    assert_ne!(old_tree, new_tree);

    let parent = work.path().join("site-out");
    fs::create_dir_all(&parent).unwrap();
    let out = parent.join("public");
    // How long a whole build takes here, to spread the kills over it.
    let started = Instant::now();
    assert!(build(&new_site, &out).status.success());
    let whole = started.elapsed();
    let mut outcomes = Vec::new();
    for step in 0..8u32 {
        assert!(build(&old_site, &out).status.success(), "the previous output");
        let mut child = Command::new(binary())
            .args(["build", "--root"])
            .arg(&new_site)
            .arg("--output")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * step / 7);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let tree = out.exists().then(|| read_tree(&out));
        let outcome = match tree {
            Some(t) if t == old_tree => "previous",
            Some(t) if t == new_tree => "new",
            Some(_) => panic!("step {step}: the output is neither the previous nor the new one, whole"),
            // Killed between the two renames of the swap: the previous
            // output waits whole beside it, and the next build puts it back.
            None => {
                let aside: Vec<PathBuf> = staging_left(&parent)
                    .into_iter()
                    .filter(|n| n.ends_with(".old"))
                    .map(|n| parent.join(n).join("output"))
                    .collect();
                assert_eq!(aside.len(), 1, "step {step}: no output and none aside");
                assert_eq!(read_tree(&aside[0]), old_tree);
                "swapping"
            }
        };
        outcomes.push((step, outcome, status.success()));
        // The next build clears what the killed one left.
        assert!(build(&new_site, &out).status.success());
        assert_eq!(read_tree(&out), new_tree);
        assert_eq!(
            staging_left(&parent),
            Vec::<String>::new(),
            "step {step}: staging left behind"
        );
    }
    eprintln!("kills over a {whole:?} build: {outcomes:?}");
    assert!(
        outcomes.iter().any(|(_, o, _)| *o == "previous"),
        "at least one kill fell during the build: {outcomes:?}"
    );
}

#[test]
fn a_read_only_output_parent_is_a_clear_error() {
    let work = tempfile::tempdir().unwrap();
    let site = common::scratch_copy("ok-clean");
    let parent = work.path().join("ro");
    fs::create_dir_all(&parent).unwrap();
    let mut permissions = fs::metadata(&parent).unwrap().permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(0o555);
    }
    #[cfg(not(unix))]
    permissions.set_readonly(true);
    fs::set_permissions(&parent, permissions).unwrap();
    // Root is not stopped by permissions: then a read-only mount stands in.
    let mounted = if fs::write(parent.join("probe"), "").is_ok() {
        fs::remove_file(parent.join("probe")).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs"])
            .arg(&parent)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!(
                "SKIPPED a_read_only_output_parent_is_a_clear_error: running as root, and no read-only tmpfs could be mounted"
            );
            return;
        }
        true
    } else {
        false
    };
    let out = parent.join("public");
    let result = build(site.path(), &out);
    if mounted {
        let _ = Command::new("umount").arg(&parent).status();
    }
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains(&parent.display().to_string()),
        "names the folder: {stderr}"
    );
    assert!(
        stderr.contains("read-only") || stderr.contains("ermission denied"),
        "says why: {stderr}"
    );
    assert!(stderr.contains("help:"), "says what to do: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_full_disk_is_reported_plainly_and_the_previous_output_stays() {
    let work = tempfile::tempdir().unwrap();
    let disk = work.path().join("disk");
    fs::create_dir_all(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "SKIPPED a_full_disk_is_reported_plainly_and_the_previous_output_stays: \
             mounting a small tmpfs needs root (CAP_SYS_ADMIN), which this run does not have"
        );
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let small = common::scratch_copy("ok-clean");
    let out = disk.join("public");
    assert!(build(small.path(), &out).status.success(), "a small site fits");
    let previous = read_tree(&out);
    let large = work.path().join("large");
    large_site(&large, 40, 100, "大");
    let result = build(&large, &out);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("no space"), "says so plainly: {stderr}");
    assert!(stderr.contains(&disk.display().to_string()), "names the path: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(read_tree(&out), previous, "the previous output is intact");
    assert_eq!(staging_left(&disk), Vec::<String>::new(), "the failed build cleared up");
}

/// `duben build` of `site` into `site/public`, run as user 65534 where
/// `unprivileged` (permissions stop no root), else as the current user.
#[cfg(unix)]
fn build_as(unprivileged: bool, site: &Path) -> std::process::Output {
    run_as(unprivileged, &["build", "--root"], site)
}

/// The clean fixture copied into `work/site` and built once: the site and
/// its output folder.
#[cfg(unix)]
fn built_copy(work: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let site = work.join("site");
    common::copy_tree(&common::fixture("ok-clean"), &site);
    assert!(build_as(false, &site).status.success());
    let public = site.join("public");
    (site, public)
}

/// A build of `site` (as user 65534 where `unprivileged`) that replaces its
/// output without a warning and leaves nothing beside it.
#[cfg(unix)]
fn build_replaces_cleanly(unprivileged: bool, site: &Path) {
    let result = build_as(unprivileged, site);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
    assert_eq!(
        staging_left(site),
        Vec::<String>::new(),
        "nothing is left beside the output"
    );
}

/// Sets `path`'s permission bits.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// `duben ARGS site`, run as user 65534 where `unprivileged`.
#[cfg(unix)]
fn run_as(unprivileged: bool, args: &[&str], site: &Path) -> std::process::Output {
    let mut command = match unprivileged {
        true => {
            let mut setpriv = Command::new("setpriv");
            setpriv
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(binary());
            setpriv
        }
        false => Command::new(binary()),
    };
    command.args(args).arg(site).output().unwrap()
}

/// Whether the tests of permissions under `work` must run the binary as
/// user 65534: as root, where permissions stop nothing, `work` is handed to
/// that user; `None` (said loudly) when it cannot run the binary. `probe`
/// is a folder made read-only: writing into it tells root apart.
#[cfg(unix)]
fn unprivileged_needed(work: &Path, probe: &Path, test: &str) -> Option<bool> {
    let root = fs::write(probe.join("probe"), "").is_ok();
    if !root {
        return Some(false);
    }
    fs::remove_file(probe.join("probe")).unwrap();
    for entry in walkdir::WalkDir::new(work).into_iter().filter_map(Result::ok) {
        std::os::unix::fs::chown(entry.path(), Some(65534), Some(65534)).unwrap();
    }
    let runs = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(binary())
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !runs {
        eprintln!("SKIPPED {test}: running as root, and the binary cannot be run as user 65534 with setpriv");
        return None;
    }
    Some(true)
}

/// A previous output made read-only (by its user, or restored so from a
/// cache) is replaced like any other, and the build leaves nothing beside
/// it: the previous output it moved aside used to stay, whole, at every
/// such build. As root, where permissions stop nothing, the builds run as
/// user 65534 (with setpriv), the site being theirs.
#[cfg(unix)]
#[test]
fn a_read_only_previous_output_is_replaced_and_nothing_is_left_beside_it() {
    let work = tempfile::tempdir().unwrap();
    let (site, public) = built_copy(work.path());
    for folder in [public.join("essay"), public.clone()] {
        set_mode(&folder, 0o555);
    }
    let Some(root) = unprivileged_needed(
        work.path(),
        &public,
        "a_read_only_previous_output_is_replaced_and_nothing_is_left_beside_it",
    ) else {
        return;
    };
    for _ in 0..2 {
        build_replaces_cleanly(root, &site);
        assert!(public.join("essay/index.html").is_file());
    }
}

/// `folder` (relative to a copy of the clean fixture), holding `file`
/// with `text`, made unreadable: `duben check` fails with an
/// `unreadable-folder` error at its path, run as user 65534 where the
/// tests run as root.
#[cfg(unix)]
fn an_unreadable_folder_is_reported(folder: &str, file: &str, text: &str, test: &str) {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    common::copy_tree(&common::fixture("ok-clean"), &site);
    let unreadable = site.join(folder);
    fs::create_dir_all(&unreadable).unwrap();
    fs::write(unreadable.join(file), text).unwrap();
    set_mode(&unreadable, 0o000);
    let Some(unprivileged) = unprivileged_needed(work.path(), &unreadable, test) else {
        return;
    };
    let result = run_as(unprivileged, &["check", "--format", "github", "--root"], &site);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(!result.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("file={folder},")) && stdout.contains("unreadable-folder"),
        "{stdout}"
    );
    assert!(!stdout.contains("panicked"), "{stdout}");
}

/// A content folder that cannot be read is an error at its path: its
/// glossary terms had been left out of the site without a word.
#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_read_is_reported_not_left_out() {
    an_unreadable_folder_is_reported(
        "content/glossary",
        "more.toml",
        "[[term]]\nid = \"more\"\nzh = \"更多\"\nen = \"more\"\n",
        "a_folder_that_cannot_be_read_is_reported_not_left_out",
    );
}

/// A theme folder that cannot be read is an error at its path too: the
/// theme's own listing had skipped it, and its files were missing from the
/// site without a word.
#[cfg(unix)]
#[test]
fn a_theme_folder_that_cannot_be_read_is_reported_not_left_out() {
    an_unreadable_folder_is_reported(
        "static/images",
        "map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "a_theme_folder_that_cannot_be_read_is_reported_not_left_out",
    );
}

/// A previous output holding a folder its owner may not even list, with a
/// read-only folder inside, is replaced whole too: each folder is opened
/// to its owner before it is listed.
#[cfg(unix)]
#[test]
fn a_previous_output_with_a_folder_nobody_may_list_is_replaced_whole() {
    let work = tempfile::tempdir().unwrap();
    let (site, public) = built_copy(work.path());
    let inner = public.join("closed/read-only");
    fs::create_dir_all(&inner).unwrap();
    fs::write(inner.join("file"), "").unwrap();
    set_mode(&inner, 0o555);
    set_mode(&public.join("closed"), 0o000);
    let Some(unprivileged) = unprivileged_needed(
        work.path(),
        &inner,
        "a_previous_output_with_a_folder_nobody_may_list_is_replaced_whole",
    ) else {
        return;
    };
    build_replaces_cleanly(unprivileged, &site);
    assert!(!public.join("closed").exists(), "the old output is gone");
}

/// A named pipe where a file should be (text.md, notes.toml, a file of
/// notes/, site.toml, a theme file) is an error at its path, and `check`
/// returns at once: a text.md pipe had been called missing, a notes.toml
/// pipe skipped without a word, and reading one would wait for a writer
/// forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_where_a_file_should_be_is_reported_at_its_path() {
    for place in [
        "content/essay/text.md",
        "content/essay/notes.toml",
        "content/essay/notes/more.toml",
        "content/glossary.toml",
        "site.toml",
        "static/extra.css",
    ] {
        let (code, stdout) = check_with_pipe_at(place);
        assert_eq!(code, Some(1), "{place}: {stdout}");
        assert!(
            stdout.contains(&format!("file={place},")) && stdout.contains("not-a-file"),
            "{place}: {stdout}"
        );
        assert!(
            !stdout.contains("no-text"),
            "{place}: a pipe is not a missing file: {stdout}"
        );
    }
}

/// Where duben reads no file of that name, a pipe is left alone, as a file
/// there would be.
#[cfg(unix)]
#[test]
fn a_named_pipe_where_no_file_is_read_is_left_alone() {
    for place in [
        "content/.hidden",
        "content/essay/notes/README",
        "content/pages/draft.txt",
    ] {
        let (code, stdout) = check_with_pipe_at(place);
        assert_eq!(code, Some(0), "{place}: {stdout}");
        assert!(!stdout.contains("not-a-file"), "{place}: {stdout}");
    }
}

/// `duben check --format github` of the clean fixture with a named pipe at
/// `place`: its exit code and output, once it has ended (it must not wait
/// on the pipe).
#[cfg(unix)]
fn check_with_pipe_at(place: &str) -> (Option<i32>, String) {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    common::copy_tree(&common::fixture("ok-clean"), &site);
    let pipe = site.join(place);
    fs::create_dir_all(pipe.parent().unwrap()).unwrap();
    let _ = fs::remove_file(&pipe);
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success(), "mkfifo {place}");
    let mut child = Command::new(binary())
        .args(["check", "--format", "github", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 60 {
            child.kill().unwrap();
            panic!("check waited on the pipe at {place}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let result = child.wait_with_output().unwrap();
    (
        result.status.code(),
        String::from_utf8_lossy(&result.stdout).into_owned(),
    )
}
