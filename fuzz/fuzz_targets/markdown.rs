//! Markdown → HTML → term marking over arbitrary text and terms, in a site
//! that is otherwise valid: the Markdown alone holds only the elements
//! Markdown makes, and the article page keeps to the allow-list; neither
//! has an `on*` attribute or a URL outside http, https, mailto and relative.
//!
//! Input: the article text, then (after each 0x1E) a note body, then terms,
//! each its headword and aliases separated by 0x1F.
#![no_main]

use duben_fuzz::{
    MARKDOWN_ELEMENTS, SEPARATOR, SiteFiles, assert_pages_safe, markup_problems_among, run, toml_string, write_site,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split(char::from(SEPARATOR));
    let article = parts.next().unwrap_or_default();
    let note = parts.next().unwrap_or_default();
    // Markdown alone: the safety rules hold on any text.
    let html = duben::markdown::to_html(article);
    let problems = markup_problems_among(std::path::Path::new("field"), html.as_bytes(), MARKDOWN_ELEMENTS);
    assert!(problems.is_empty(), "{problems:#?}");

    let mut glossary = String::new();
    for (i, term) in parts.take(16).enumerate() {
        let mut forms = term.split('\u{1F}');
        let zh = forms.next().unwrap_or_default();
        let aliases: Vec<String> = forms.take(4).map(toml_string).collect();
        glossary.push_str(&format!(
            "[[term]]\nid = \"t{i}\"\nzh = {}\naliases = [{}]\ndefinition = {}\n\n",
            toml_string(zh),
            aliases.join(", "),
            toml_string(zh)
        ));
    }
    let files = SiteFiles {
        site_toml: b"title = \"t\"\n".to_vec(),
        article_toml: b"title = \"t\"\n".to_vec(),
        text_md: article.as_bytes().to_vec(),
        notes_toml: format!(
            "[[note]]\nkind = \"commentary\"\nanchor = {{ paragraph = 1 }}\nbody = {}\n",
            toml_string(note)
        )
        .into_bytes(),
        glossary_toml: glossary.into_bytes(),
        ..SiteFiles::default()
    };
    let dir = write_site(&files);
    let (diagnostics, _sources, pages) = run(dir.path());
    // The fixed files are valid: an error in their shape would stop every
    // build, and the pages would never be checked.
    let harness = ["toml-syntax", "missing-key", "unknown-key", "wrong-type"];
    let stale: Vec<_> = diagnostics.iter().filter(|d| harness.contains(&d.code)).collect();
    assert!(stale.is_empty(), "the target's own files are out of date: {stale:#?}");
    assert_pages_safe(&pages);
});
