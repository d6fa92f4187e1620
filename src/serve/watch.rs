//! Turns saves into rebuilds: watches `site.toml`, `content/`, `templates/`
//! and `static/`, waits for a burst of events to settle, and rebuilds once.
//! Events elsewhere (the output folder, editors' swap files) are ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use super::live::Live;
use crate::content::site;

/// Long enough to gather an editor's write-rename-chmod into one rebuild,
/// short enough that the page reloads well within 100 ms of the save.
const SETTLE: Duration = Duration::from_millis(30);

/// The folders whose changes change the site (site.toml is the one file).
const WATCHED_FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How often the fallback watcher looks at the files.
const POLL_EVERY: Duration = Duration::from_millis(50);

/// Starts watching; rebuilds run on their own thread, one at a time, for as
/// long as the process lives, each giving way to a newer save.
pub fn start(live: Arc<Live>) -> anyhow::Result<()> {
    // Events name canonical paths; compare against the canonical root.
    let root = live.root().canonicalize()?;
    let (events, batches) = mpsc::channel::<DebounceEventResult>();
    match new_debouncer(SETTLE, None, events.clone()) {
        Ok(watcher) => run(watcher, root, batches, live),
        // The system's file-event handles can run out (Linux allows 128 per
        // user); looking at the files every 50 ms still reloads, a bit later.
        Err(error) => {
            eprintln!("warning: file events are unavailable ({error}); looking for changes every 50 ms instead");
            // Contents, not only times: the poller keeps write times in whole
            // seconds, and two saves often fall in the same second.
            let config = notify::Config::default()
                .with_poll_interval(POLL_EVERY)
                .with_compare_contents(true);
            let watcher =
                new_debouncer_opt::<_, PollWatcher, _>(SETTLE, None, events, RecommendedCache::new(), config)?;
            run(watcher, root, batches, live)
        }
    }
}

fn run<W: Watcher + Send + 'static>(
    mut watcher: Debouncer<W, RecommendedCache>,
    root: PathBuf,
    batches: mpsc::Receiver<DebounceEventResult>,
    live: Arc<Live>,
) -> anyhow::Result<()> {
    // Not recursive: the root also holds the output folder, which every build rewrites.
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    let mut folders = WatchedFolders::default();
    folders.update(&mut watcher, &root, &[]);
    // Rebuilds run on a thread of their own, so that saves are seen (and a
    // build already out of date gives way) while one runs.
    let builder = Arc::clone(&live);
    std::thread::Builder::new()
        .name("duben rebuild".into())
        .spawn(move || builder.rebuild_forever())?;
    std::thread::Builder::new().name("duben watch".into()).spawn(move || {
        while let Ok(batch) = batches.recv() {
            let mut changed = Vec::new();
            collect(batch, &mut changed);
            // Gather whatever else arrived meanwhile into the same rebuild.
            while let Ok(more) = batches.try_recv() {
                collect(more, &mut changed);
            }
            if !changed.iter().any(|path| changes_the_site(&root, path)) {
                continue;
            }
            folders.update(&mut watcher, &root, &changed);
            let relative: Vec<PathBuf> = changed
                .iter()
                .filter_map(|path| path.strip_prefix(&root).ok())
                .map(Path::to_path_buf)
                .collect();
            live.saved(relative);
        }
    })?;
    Ok(())
}

fn collect(batch: DebounceEventResult, changed: &mut Vec<PathBuf>) {
    match batch {
        Ok(events) => changed.extend(events.into_iter().filter(is_a_change).flat_map(|e| e.event.paths)),
        Err(errors) => {
            for error in errors {
                eprintln!("warning: watching files: {error}");
            }
        }
    }
}

/// Reading a file (the build does) is not a change; a new write time is
/// (the polling watcher reports every save that way).
fn is_a_change(event: &DebouncedEvent) -> bool {
    !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// site.toml, or a file under one of the watched folders that is not an
/// editor's temporary file.
fn changes_the_site(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = relative.components().next() else {
        return false;
    };
    let first = first.as_os_str();
    if relative.components().count() == 1 {
        // A folder appearing or going counts; other files in the root do not.
        return first == site::FILE || WATCHED_FOLDERS.iter().any(|f| first == *f);
    }
    WATCHED_FOLDERS.iter().any(|f| first == *f) && !is_editor_scratch(relative)
}

/// Swap, backup and probe files editors write beside the real one.
fn is_editor_scratch(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp") || name == "4913"
}

/// Which watched folders have a recursive watch; a folder created or
/// recreated after `serve` started gets one at the next change.
#[derive(Default)]
struct WatchedFolders(BTreeSet<&'static str>);

impl WatchedFolders {
    fn update<W: Watcher>(&mut self, watcher: &mut Debouncer<W, RecommendedCache>, root: &Path, changed: &[PathBuf]) {
        for folder in WATCHED_FOLDERS {
            let path = root.join(folder);
            if changed.contains(&path) {
                // Removed or replaced: its old watch is gone with it.
                self.0.remove(folder);
            }
            if !self.0.contains(folder) && path.is_dir() {
                match watcher.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.0.insert(folder);
                    }
                    Err(error) => eprintln!("warning: cannot watch {}: {error}", path.display()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_of_the_site_count() {
        let root = Path::new("/site");
        for path in [
            "site.toml",
            "content/a/text.md",
            "templates/base.html",
            "static/x.css",
            "content",
        ] {
            assert!(changes_the_site(root, &root.join(path)), "{path}");
        }
        for path in [
            "public/index.html",
            "public",
            "README.md",
            "content/a/.text.md.swp",
            "content/a/text.md~",
            "content/a/4913",
            "/elsewhere/site.toml",
        ] {
            assert!(!changes_the_site(root, &root.join(path)), "{path}");
        }
    }
}
