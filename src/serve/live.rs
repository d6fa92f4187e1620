//! The state `serve` shares between the watcher and the server: the last
//! build's outcome, where the last good output is, and a channel that tells
//! every open page about each new outcome. It does not watch or serve.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
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

/// How a rebuild builds: `pipeline::build_unless`, or in tests a stand-in.
type Builder = fn(
    &BuildOptions,
    Option<&pipeline::Previous>,
    &(dyn Fn() -> bool + Sync),
) -> Result<(pipeline::Built, pipeline::Warm), pipeline::Halt>;

pub struct Live {
    options: BuildOptions,
    build: Builder,
    /// The last good output; before the first good build, where it will be.
    output_dir: RwLock<PathBuf>,
    outcome: RwLock<Outcome>,
    outcomes: broadcast::Sender<Outcome>,
    /// The files saved since the last good build, which that build's pages
    /// do not show yet; `None` until a build has succeeded (nothing can be
    /// kept before).
    since_good: Mutex<Option<pipeline::Previous>>,
    /// What the last good build loaded, to preview the next save from.
    warm: RwLock<Option<Arc<pipeline::Warm>>>,
    /// The articles previewed since the last good build began.
    previewed: Mutex<BTreeSet<String>>,
    /// Saves not built yet, and the signal that there are some.
    saves: Mutex<Vec<PathBuf>>,
    saved: Condvar,
    /// Set by each save: a build running gives way to the newer content.
    newer_save: AtomicBool,
    /// Previews run on threads of their own: on the global pool their
    /// parallel parts would queue behind the rebuild's.
    preview_threads: Option<rayon::ThreadPool>,
    /// When the last preview was shown.
    previewed_at: Mutex<Option<Instant>>,
}

/// How long the rebuild after a preview waits, so that the browser loads the
/// previewed page with both cores rather than beside the rebuild: measured
/// on 1000 articles, its DOMContentLoaded came 130 ms after the reload began
/// alone and 300 ms beside the rebuild.
const LET_THE_PAGE_LOAD: std::time::Duration = std::time::Duration::from_millis(250);

impl Live {
    pub fn new(options: BuildOptions) -> Live {
        Live::building_with(options, pipeline::build_unless)
    }

    fn building_with(options: BuildOptions, build: Builder) -> Live {
        let output_dir = expected_output_dir(&options);
        let (outcomes, _) = broadcast::channel(16);
        Live {
            options,
            build,
            output_dir: RwLock::new(output_dir),
            outcome: RwLock::new(Outcome::Built {
                pages: 0,
                millis: 0,
                reload: Reload::All,
            }),
            outcomes,
            since_good: Mutex::new(None),
            warm: RwLock::new(None),
            previewed: Mutex::new(BTreeSet::new()),
            saves: Mutex::new(Vec::new()),
            saved: Condvar::new(),
            newer_save: AtomicBool::new(false),
            preview_threads: rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("duben preview {i}"))
                .build()
                .ok(),
            previewed_at: Mutex::new(None),
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

    /// Takes saved files (relative to the site root): shows the saved
    /// articles at once if it can (`pipeline::preview`), tells a build
    /// running that it is out of date, and queues the files for the next
    /// rebuild of the whole site.
    pub fn saved(&self, changed: Vec<PathBuf>) {
        let started = Instant::now();
        // First, so that a build running gives way (and the preview has
        // both cores).
        self.newer_save.store(true, Ordering::Relaxed);
        let since_good = self.since_good.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let warm = self.warm.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let (Some(warm), Some(mut since_good)) = (warm, since_good) {
            let not_built = self.saves.lock().unwrap_or_else(|e| e.into_inner()).clone();
            since_good
                .changed
                .extend(not_built.into_iter().chain(changed.iter().cloned()));
            self.preview(&warm, &since_good, started);
        }
        self.saves.lock().unwrap_or_else(|e| e.into_inner()).extend(changed);
        self.saved.notify_one();
    }

    /// Rebuilds after every batch of saves, for as long as the process
    /// lives: each batch is whatever was saved since the last one started.
    pub fn rebuild_forever(&self) -> ! {
        loop {
            let changed = {
                let mut saves = self.saves.lock().unwrap_or_else(|e| e.into_inner());
                while saves.is_empty() {
                    saves = self.saved.wait(saves).unwrap_or_else(|e| e.into_inner());
                }
                self.newer_save.store(false, Ordering::Relaxed);
                std::mem::take(&mut *saves)
            };
            let previewed_at = *self.previewed_at.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(wait) = previewed_at.and_then(|at| LET_THE_PAGE_LOAD.checked_sub(at.elapsed())) {
                std::thread::sleep(wait);
            }
            self.rebuild_after(&changed);
        }
    }

    /// Builds the site and tells every open page. A failed build leaves the
    /// last good output in place, so it goes on being served.
    pub fn rebuild(&self) {
        self.rebuild_after(&[]);
    }

    /// Rebuilds after `changed` (paths relative to the site root) were
    /// saved: the pages of articles none of them touched are kept from the
    /// last good build. It gives way as soon as a newer save arrives.
    pub fn rebuild_after(&self, changed: &[PathBuf]) {
        let started = Instant::now();
        let previous = {
            let mut since_good = self.since_good.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(previous) = since_good.as_mut() {
                previous.changed.extend(changed.iter().cloned());
            }
            since_good.clone()
        };
        // A bug that panics in one build must not stop the preview: it is
        // shown in the pages like an error, and the next save tries again.
        let superseded = || self.newer_save.load(Ordering::Relaxed);
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (self.build)(&self.options, previous.as_ref(), &superseded)
        }));
        let Ok(built) = built else {
            let report = "duben stopped with an internal error while building (a bug: please report it with the site that causes it); the last good version is served\n".to_owned();
            eprint!("{report}");
            self.tell(Outcome::Failed { report });
            return;
        };
        // The last build's site, freed only once the pages are told to
        // reload: freeing it had delayed them by 40 ms at 1000x80.
        let mut last_warm = None;
        let outcome = match built {
            Ok((built, kept)) => {
                last_warm = self
                    .warm
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .replace(Arc::new(kept));
                let previewed = std::mem::take(&mut *self.previewed.lock().unwrap_or_else(|e| e.into_inner()));
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
                    reload: match previewed.is_empty() {
                        true => Reload::All,
                        false => Reload::AllBut(previewed.into_iter().collect()),
                    },
                }
            }
            Err(pipeline::Halt::Superseded) => {
                eprintln!("saved again meanwhile: building that instead");
                return;
            }
            Err(pipeline::Halt::Failed(failed)) => {
                let report = failed.render(Format::Human, false);
                eprint!("{report}");
                eprintln!("the site has errors: the pages show them, and the last good version is served");
                Outcome::Failed { report }
            }
        };
        self.tell(outcome);
        drop(last_warm);
    }

    /// Shows the saved articles' pages, if `pipeline::preview` can, and
    /// tells the pages that show them. Previews run one at a time (on the
    /// watching thread), so two never write the same file.
    fn preview(&self, warm: &pipeline::Warm, previous: &pipeline::Previous, started: Instant) {
        let run = || pipeline::preview(warm, &self.options.root, &previous.changed);
        let previewed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &self.preview_threads {
            Some(threads) => threads.install(run),
            None => run(),
        }));
        let Ok(Some(previewed)) = previewed else {
            return;
        };
        let millis = started.elapsed().as_millis();
        eprintln!(
            "showed {} in {millis} ms; rebuilding the rest of the site",
            previewed.articles.join(", ")
        );
        *self.previewed_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        self.previewed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(previewed.articles.iter().cloned());
        self.tell(Outcome::Built {
            pages: previewed.files,
            millis,
            reload: Reload::Only(previewed.articles),
        });
    }

    fn tell(&self, outcome: Outcome) {
        if let Outcome::Failed { .. } = outcome {
            // Every page shows the errors now, the previewed ones too: the
            // next good build reloads them all.
            self.previewed.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn panicking(
        _: &BuildOptions,
        _: Option<&pipeline::Previous>,
        _: &(dyn Fn() -> bool + Sync),
    ) -> Result<(pipeline::Built, pipeline::Warm), pipeline::Halt> {
        panic!("a bug in a build");
    }

    #[test]
    fn a_build_that_panics_is_shown_as_an_error_and_serving_goes_on() {
        let site = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            root: site.path().to_path_buf(),
            output: Some(site.path().join("public")),
            base_url: None,
            drafts: false,
            repository: Default::default(),
        };
        let live = Live::building_with(options, panicking);
        let mut pages = live.subscribe();
        live.rebuild();
        let Outcome::Failed { report } = live.outcome() else {
            panic!("the panic is an outcome like a failed build");
        };
        assert!(report.contains("internal error"), "{report}");
        assert!(
            matches!(pages.try_recv(), Ok(Outcome::Failed { .. })),
            "open pages are told"
        );
        // The next save tries again, and is told again.
        live.rebuild_after(&[PathBuf::from("content/a/text.md")]);
        assert!(matches!(pages.try_recv(), Ok(Outcome::Failed { .. })));
    }
}
