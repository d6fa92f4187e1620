//! `duben check`: load + resolve (+ the theme, and with `--links` a render
//! in memory), report every diagnostic, write nothing.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::{self, Format};
use crate::{content, render, resolve};

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (holds site.toml).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// How to print problems: for people, for GitHub pull requests, or as JSON lines.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Also render the site (in memory) and check its internal links.
    #[arg(long)]
    pub links: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = crate::site_root(args.root);
    let mut loaded = content::load(&root);
    let options = resolve::Options {
        drafts: args.drafts,
        find_unused_terms: true,
    };
    let (resolved, mut found) = resolve::resolve(&loaded.site, &loaded.sources, &options);
    found.extend(std::mem::take(&mut loaded.diagnostics));
    found.extend(resolve::terms::cut_word_warnings(&resolved, &root, &mut loaded.sources));
    let theme = match render::theme::load(&root) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            loaded.sources.absorb(problems.sources);
            found.extend(problems.diagnostics);
            None
        }
    };
    // Links are checked on the site as it would be built, rendered in
    // memory from what was just resolved.
    if let Some(theme) = theme.filter(|_| args.links && !found.iter().any(|d| d.is_error())) {
        let label = Path::new(&loaded.site.config.output_dir);
        found.extend(crate::linkcheck::check_site(
            &resolved,
            &theme,
            label,
            &mut loaded.sources,
        ));
    }
    diagnostics::sort(&mut found);
    let color = args.format == Format::Human && std::io::stdout().is_terminal();
    print!("{}", diagnostics::render(&found, &loaded.sources, args.format, color));
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    if args.format == Format::Human && found.is_empty() {
        println!("no problems found");
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed {
        ExitCode::from(crate::EXIT_CONTENT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
