//! Helpers shared by the integration tests: fixture paths, copying a fixture
//! into a scratch folder, reading a built tree, parsing HTML.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn duben() -> Command {
    Command::cargo_bin("duben").expect("the duben binary is built for tests")
}

/// Copies a fixture site into a fresh temporary folder, so a test can change it.
pub fn scratch_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn html(path: &Path) -> scraper::Html {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

pub fn select<'a>(doc: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let parsed = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    doc.select(&parsed).collect()
}

pub fn text_of(element: &scraper::ElementRef) -> String {
    element.text().collect()
}

/// A fixture site copied into a scratch folder and edited there, so a test
/// states its one mistake next to its assertions instead of keeping a whole
/// copy of a site for it (mdBook's `BookTest` is the model).
pub struct SiteTest {
    dir: tempfile::TempDir,
}

impl SiteTest {
    pub fn fixture(name: &str) -> SiteTest {
        SiteTest {
            dir: scratch_copy(name),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the one occurrence of `old` in `file`; an edit that matches
    /// nowhere, or twice, is a mistake in the test.
    pub fn replace(self, file: &str, old: &str, new: &str) -> SiteTest {
        self.edit(file, |text| {
            let found = text.matches(old).count();
            assert_eq!(found, 1, "{file}: {old:?} occurs {found} times");
            *text = text.replacen(old, new, 1);
        })
    }

    pub fn edit(self, file: &str, change: impl FnOnce(&mut String)) -> SiteTest {
        let path = self.root().join(file);
        let mut text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        change(&mut text);
        fs::write(&path, text).unwrap();
        self
    }

    /// Writes a new file (or replaces one), creating its folder.
    pub fn write(self, file: &str, text: &str) -> SiteTest {
        let path = self.root().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        self
    }

    /// `duben check` in process, through the library.
    pub fn check(&self) -> duben::pipeline::Report {
        duben::pipeline::check(&duben::pipeline::CheckOptions {
            root: self.root().to_path_buf(),
            drafts: false,
            links: false,
        })
    }

    /// `check` and `build` report the same diagnostics (they read one
    /// answer, terms used included); returns them.
    pub fn assert_check_and_build_agree(&self) -> Vec<duben::diagnostics::Diagnostic> {
        let key = |d: &duben::diagnostics::Diagnostic| (d.file.clone(), d.code, d.message.clone(), d.span.clone());
        let checked = self.check().diagnostics;
        let out = tempfile::tempdir().unwrap();
        let built = match self.build(&out.path().join("public")) {
            Ok(built) => built.report.diagnostics,
            Err(report) => report.diagnostics,
        };
        assert_eq!(
            checked.iter().map(key).collect::<Vec<_>>(),
            built.iter().map(key).collect::<Vec<_>>(),
            "check and build disagree"
        );
        checked
    }

    /// `duben build` in process, into `output`.
    pub fn build(&self, output: &Path) -> Result<duben::pipeline::Built, duben::pipeline::Report> {
        duben::pipeline::build(&duben::pipeline::BuildOptions {
            root: self.root().to_path_buf(),
            output: Some(output.to_path_buf()),
            base_url: None,
            drafts: false,
            repository: Default::default(),
        })
    }
}
