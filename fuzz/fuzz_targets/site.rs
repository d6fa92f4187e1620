//! A whole site from arbitrary files (bytes, not always UTF-8):
//! load → resolve → render must not panic, every diagnostic lies inside its
//! file, and every page parses and keeps to the allow-list.
#![no_main]

use duben_fuzz::{SiteFiles, assert_diagnostics_inside, assert_pages_safe, run, write_site};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = write_site(&SiteFiles::from_bytes(data));
    let (diagnostics, sources, pages) = run(dir.path());
    assert_diagnostics_inside(&diagnostics, &sources);
    assert_pages_safe(&pages);
});
