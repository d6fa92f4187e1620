//! Size budgets of the reader page, checked on the built output (sizes are
//! deterministic, unlike times): students read on slow connections.

mod common;

use std::fs;

use common::{duben, html, select};

#[test]
fn the_reader_stays_within_its_budgets() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    duben()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&public)
        .assert()
        .success();
    let js = fs::read(public.join("static/duben.js")).unwrap();
    let css = fs::read_to_string(public.join("static/duben.css")).unwrap();
    assert!(
        js.len() <= 10 * 1024,
        "duben.js is {} bytes; the budget is 10 KB",
        js.len()
    );
    assert!(
        css.len() <= 20 * 1024,
        "duben.css is {} bytes; the budget is 20 KB",
        css.len()
    );
    assert!(!css.contains("@font-face"), "no web fonts");
    assert!(
        !css.contains("url(http") && !css.contains("url(//"),
        "no resources from elsewhere"
    );

    let reader = html(&public.join("yao-2019/index.html"));
    assert!(select(&reader, "img").is_empty(), "no images the text does not need");
    // The reader's own behaviour, and the course's (progress, the search
    // box's `/` key), each in its file so a site can override one alone.
    let scripts: Vec<_> = select(&reader, "script[src]");
    assert_eq!(
        scripts.len(),
        4,
        "duben.js, course.js, duben-reader.js and lookup.js (words.js loads on first use)"
    );
    within_budget(&public, "duben-reader.js", 20);
    let styles: Vec<_> = select(&reader, "link[rel=stylesheet]");
    assert_eq!(
        styles.len(),
        3,
        "duben.css, course.css and duben-reader.css (the reader's own)"
    );
    let home = html(&public.join("index.html"));
    assert!(
        select(&home, "link[href*='duben-reader.css']").is_empty(),
        "only reader pages load the reader's stylesheet"
    );
    within_budget(&public, "duben-reader.css", 8);
    let course_js = fs::read(public.join("static/course.js")).unwrap();
    let course_css = fs::read(public.join("static/course.css")).unwrap();
    assert!(
        course_js.len() <= 5 * 1024 && course_css.len() <= 6 * 1024,
        "course.js is {} bytes, course.css {}; the budgets are 5 KB and 6 KB",
        course_js.len(),
        course_css.len()
    );
}

/// Asserts that `static/<name>` in the built site is at most `kb` KB.
fn within_budget(public: &std::path::Path, name: &str, kb: usize) {
    let size = fs::metadata(public.join("static").join(name)).unwrap().len() as usize;
    assert!(size <= kb * 1024, "{name} is {size} bytes; the budget is {kb} KB");
}
