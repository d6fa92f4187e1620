//! `duben init`: the new site builds and passes `check` at once, its reader
//! page shows the sample's marked terms, and a folder in use is refused.

mod common;

use std::fs;

use common::{duben, html, select};

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

    duben()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .assert()
        .success();
    duben().args(["build", "--root"]).arg(&site).assert().success();

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
