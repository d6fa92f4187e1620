//! The importer over arbitrary text: never a panic, and what it writes is an
//! article.toml that parses and a text.md that loads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(imported) = duben::import::import(raw) else {
        return;
    };
    let _ = imported.paragraphs();
    let _ = imported.headings().count();
    let _ = imported.page_header_lines();
    let files = duben::import::write::render(&imported);
    if let Err(e) = files.article_toml.parse::<toml::Table>() {
        panic!("article.toml does not parse: {e}\n{}", files.article_toml);
    }
    let _ = duben::markdown::to_html(&files.text_md);
});
