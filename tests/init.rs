//! `duben init`: the new site builds and passes `check` at once, its reader
//! page shows the sample's marked terms, its `[repository]` section is
//! written commented out (and works uncommented), and a folder in use is
//! refused.

mod common;

use std::fs;
use std::path::Path;

use common::{duben, html, select};

/// `duben check --strict` passes on the site and `duben build` builds it.
fn checks_and_builds(site: &Path) {
    duben()
        .args(["check", "--strict", "--root"])
        .arg(site)
        .assert()
        .success();
    duben().args(["build", "--root"]).arg(site).assert().success();
}

#[test]
fn a_new_site_checks_and_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-reader");
    duben().arg("init").arg(&site).assert().success();
    for file in [
        "site.toml",
        ".gitignore",
        "README.md",
        ".github/workflows/pages.yml",
        ".github/workflows/check.yml",
        "content/glossary.toml",
        "content/timeline.toml",
        "content/pages/about.md",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }

    checks_and_builds(&site);

    let public = site.join("public");
    let reader = html(&public.join("reading-with-notes/index.html"));
    let marked = select(&reader, "a[data-term]");
    assert!(!marked.is_empty(), "the sample article marks glossary terms");
    let ids: Vec<&str> = marked.iter().filter_map(|a| a.value().attr("data-term")).collect();
    assert!(ids.contains(&"zhu-xi"), "朱熹 is marked: {ids:?}");
    assert!(public.join("glossary/index.html").is_file());
    assert!(public.join("timeline/index.html").is_file());
    assert!(public.join("about/index.html").is_file());
}

#[test]
fn a_folder_that_is_not_empty_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let refused = duben().arg("init").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains("is not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!dir.path().join("site.toml").exists(), "nothing is written");
}

#[test]
fn force_adds_the_sample_but_keeps_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("README.md"), "my own readme").unwrap();
    duben().arg("init").arg("--force").arg(dir.path()).assert().success();
    assert_eq!(
        fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "my own readme"
    );
    assert!(dir.path().join("site.toml").is_file());
}

#[test]
fn the_repository_section_is_written_commented_out_and_works_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-reader");
    duben().arg("init").arg(&site).assert().success();
    let config = site.join("site.toml");
    let text = fs::read_to_string(&config).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        !lines.iter().any(|l| l.trim() == "[repository]"),
        "no repository is set:\n{text}"
    );
    let at = lines
        .iter()
        .position(|l| *l == "# [repository]")
        .unwrap_or_else(|| panic!("the section is there, commented out:\n{text}"));
    let table: toml::Table = toml::from_str(&text).unwrap();
    assert!(!table.contains_key("repository"), "{text}");

    // Uncommented, it is a working section: the reader links into it.
    let section: Vec<&str> = lines[at..]
        .iter()
        .take_while(|l| l.starts_with("# "))
        .map(|l| &l[2..])
        .collect();
    assert!(section.iter().any(|l| l.starts_with("url = ")), "{section:?}");
    let uncommented = [&lines[..at], &section[..], &lines[at + section.len()..]].concat();
    fs::write(&config, uncommented.join("\n") + "\n").unwrap();
    checks_and_builds(&site);
    let page = fs::read_to_string(site.join("public/reading-with-notes/index.html")).unwrap();
    assert!(
        page.contains("https://github.com/owner/my-reader/edit/main/content/reading-with-notes/text.md"),
        "the reader links to its text in the repository"
    );
}
