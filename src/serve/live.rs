//! The state `serve` shares between the watcher and the server: the last
//! build's outcome, where the last good output is, and a channel that tells
//! every open page about each new outcome. It does not watch or serve.

use std::path::PathBuf;
use std::sync::{Mutex, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::content;
use crate::diagnostics::Format;
use crate::pipeline::{self, BuildOptions};

/// What the last build did, as the pages are told.
#[derive(Clone, Debug)]
pub enum Outcome {
    Built {
        pages: usize,
        millis: u128,
        /// Which open pages this build changed.
        reload: Reload,
    },
    /// Every diagnostic as plain text, each with file:line:column.
    Failed { report: String },
}

/// Which open pages a build changed, by the article folder they are in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reload {
    All,
    /// A preview: only these articles' pages are new.
    Only(Vec<String>),
    /// The rebuild after a preview: these articles' pages are as the
    /// preview showed them.
    AllBut(Vec<String>),
}

pub struct Live {
    options: BuildOptions,
    /// The last good output; before the first good build, where it will be.
    output_dir: RwLock<PathBuf>,
    outcome: RwLock<Outcome>,
    outcomes: broadcast::Sender<Outcome>,
    /// The files saved since the last good build, which that build's pages
    /// do not show yet; `None` until a build has succeeded (nothing can be
    /// kept before).
    since_good: Mutex<Option<pipeline::Previous>>,
    /// What the last good build loaded, to preview the next save from.
    warm: Mutex<Option<pipeline::Warm>>,
}

impl Live {
    pub fn new(options: BuildOptions) -> Live {
        let output_dir = expected_output_dir(&options);
        let (outcomes, _) = broadcast::channel(16);
        Live {
            options,
            output_dir: RwLock::new(output_dir),
            outcome: RwLock::new(Outcome::Built {
                pages: 0,
                millis: 0,
                reload: Reload::All,
            }),
            outcomes,
            since_good: Mutex::new(None),
            warm: Mutex::new(None),
        }
    }

    pub fn root(&self) -> &std::path::Path {
        &self.options.root
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output_dir.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Outcome> {
        self.outcomes.subscribe()
    }

    /// Builds the site and tells every open page. A failed build leaves the
    /// last good output in place, so it goes on being served.
    pub fn rebuild(&self) {
        self.rebuild_after(&[]);
    }

    /// Rebuilds after `changed` (paths relative to the site root) were
    /// saved: the pages of articles none of them touched are kept from the
    /// last good build. A save inside articles' folders is shown first, by
    /// a preview of those articles' pages alone, then the whole site is
    /// rebuilt.
    pub fn rebuild_after(&self, changed: &[PathBuf]) {
        let started = Instant::now();
        let previous = {
            let mut since_good = self.since_good.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(previous) = since_good.as_mut() {
                previous.changed.extend(changed.iter().cloned());
            }
            since_good.clone()
        };
        let mut warm = self.warm.lock().unwrap_or_else(|e| e.into_inner());
        let previewed = match (warm.as_ref(), previous.as_ref()) {
            (Some(warm), Some(previous)) => self.preview(warm, previous, started),
            _ => None,
        };
        // A bug that panics in one build must not stop the preview: it is
        // shown in the pages like an error, and the next save tries again.
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::build_warm(&self.options, previous.as_ref())
        }));
        let Ok(built) = built else {
            let report = "duben stopped with an internal error while building (a bug: please report it with the site that causes it); the last good version is served\n".to_owned();
            eprint!("{report}");
            self.tell(Outcome::Failed { report });
            return;
        };
        let outcome = match built {
            Ok((built, kept)) => {
                *warm = Some(kept);
                eprint!("{}", built.report.render(Format::Human, false));
                let millis = started.elapsed().as_millis();
                match built.kept_articles {
                    0 => eprintln!("built {} pages in {millis} ms", built.pages),
                    kept => eprintln!(
                        "built {} pages in {millis} ms (the pages of {kept} unchanged articles kept)",
                        built.pages
                    ),
                }
                *self.since_good.lock().unwrap_or_else(|e| e.into_inner()) = Some(pipeline::Previous::default());
                *self.output_dir.write().unwrap_or_else(|e| e.into_inner()) = built.output_dir;
                Outcome::Built {
                    pages: built.pages,
                    millis,
                    reload: previewed.map_or(Reload::All, |shown| Reload::AllBut(shown.articles)),
                }
            }
            Err(failed) => {
                let report = failed.render(Format::Human, false);
                eprint!("{report}");
                eprintln!("the site has errors: the pages show them, and the last good version is served");
                Outcome::Failed { report }
            }
        };
        self.tell(outcome);
    }

    /// Shows the saved articles' pages, if `pipeline::preview` can, and
    /// tells the pages that show them.
    fn preview(
        &self,
        warm: &pipeline::Warm,
        previous: &pipeline::Previous,
        started: Instant,
    ) -> Option<pipeline::Previewed> {
        let previewed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::preview(warm, &self.options.root, &previous.changed)
        }))
        .ok()
        .flatten()?;
        let millis = started.elapsed().as_millis();
        eprintln!(
            "showed {} in {millis} ms; rebuilding the rest of the site",
            previewed.articles.join(", ")
        );
        self.tell(Outcome::Built {
            pages: previewed.files,
            millis,
            reload: Reload::Only(previewed.articles.clone()),
        });
        Some(previewed)
    }

    fn tell(&self, outcome: Outcome) {
        *self.outcome.write().unwrap_or_else(|e| e.into_inner()) = outcome.clone();
        // No page open is not an error.
        let _ = self.outcomes.send(outcome);
    }
}

/// Where `build` writes when it succeeds: --output, else site.toml's
/// `output_dir` (read even from a site with errors), else `public`. Until a
/// build succeeds nothing vouches for that folder, so one that holds the
/// site's own sources is never served.
fn expected_output_dir(options: &BuildOptions) -> PathBuf {
    let configured = match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(content::site::config_only(&options.root).output_dir),
    };
    if configured.join(content::site::FILE).exists() || configured == options.root {
        options.root.join("public")
    } else {
        configured
    }
}
