//! duben (读本): a static-site generator for annotated Chinese readings.
//!
//! The pipeline runs one way: `content` loads site.toml and content/ with source
//! spans, `resolve` ties anchors, terms and events together and collects every
//! diagnostic, `render` turns the resolved site into pages, `output` writes them
//! atomically. Each command in `cmd` is a thin composition of those stages.

pub mod bidi;
pub mod chars;
pub mod cmd;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod init;
pub mod linkcheck;
pub mod markdown;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod repository;
pub mod resolve;
pub mod serve;
pub mod words;

use std::path::PathBuf;

/// Exit status for content errors (usage errors are clap's 2).
pub const EXIT_CONTENT_ERRORS: u8 = 1;

/// The site folder a command works on: `--root`, or the current directory.
pub fn site_root(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}
