//! `serve`'s rebuilds keep the pages of articles no saved file touched
//! (`pipeline::build_after`). After every edit of a series, the output such
//! a rebuild leaves must be byte for byte the output of a full build of the
//! same content, and the rebuild must have kept what it could. Before each
//! rebuild, `pipeline::preview` shows the saved articles: the files it
//! writes must be those the full build writes for them.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{read_tree, scratch_copy};
use duben::pipeline::{self, BuildOptions, Previous};
use duben::repository::RepositoryFlags;

/// The course fixture, built with a base URL (so the sitemap lists every
/// page) and a repository (so pages link to their sources' lines).
fn options(root: &Path, output: PathBuf) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output),
        base_url: Some("https://example.org/course".to_owned()),
        drafts: false,
        repository: RepositoryFlags {
            repository: Some("owner/course".to_owned()),
            branch: None,
        },
    }
}

/// One edit of the series: the files it writes, how many of the course's
/// four articles a rebuild after it may keep, and which articles a preview
/// shows first (none when a file outside the articles' folders is saved).
struct Edit {
    what: &'static str,
    writes: Vec<(&'static str, String)>,
    kept: usize,
    previewed: &'static [&'static str],
}

fn appended(root: &Path, file: &str, more: &str) -> String {
    fs::read_to_string(root.join(file)).unwrap() + more
}

fn replaced(root: &Path, file: &str, from: &str, to: &str) -> String {
    let text = fs::read_to_string(root.join(file)).unwrap();
    assert!(text.contains(from), "{file} holds `{from}`");
    text.replace(from, to)
}

#[test]
fn rebuilds_after_a_series_of_edits_equal_full_builds() {
    let site = scratch_copy("course");
    let root = site.path();
    let outputs = tempfile::tempdir().unwrap();
    let served = outputs.path().join("served");
    let fresh = outputs.path().join("fresh");
    let (_, mut warm) = pipeline::build_warm(&options(root, served.clone()), None).expect("the course builds");

    let edits = [
        Edit {
            what: "a paragraph with a term and an event's quote moves the event",
            writes: vec![(
                "content/tea/text.md",
                replaced(
                    root,
                    "content/tea/text.md",
                    "城市里有不少茶馆。",
                    "春节前后，年轻人也爱去茶馆。\n\n城市里有不少茶馆。",
                ),
            )],
            kept: 3,
            previewed: &["tea"],
        },
        Edit {
            what: "a note added to another reading",
            writes: vec![(
                "content/spring-festival/notes.toml",
                appended(
                    root,
                    "content/spring-festival/notes.toml",
                    "\n[[note]]\nanchor = { paragraph = 1 }\nkind = \"commentary\"\nbody = \"\"\"A note added while serving, with a [link](https://example.org/).\"\"\"\n",
                ),
            )],
            kept: 3,
            previewed: &["spring-festival"],
        },
        Edit {
            what: "two readings at once, one losing its only term",
            writes: vec![
                (
                    "content/libraries/text.md",
                    "门口有人排队。\n\n中午大家去吃饭，然后回来继续学习。\n".to_owned(),
                ),
                (
                    "content/city-parks/text.md",
                    appended(root, "content/city-parks/text.md", "\n公园里也有人喝绿茶。\n"),
                ),
            ],
            kept: 2,
            previewed: &["city-parks", "libraries"],
        },
        Edit {
            what: "the glossary: every page may change",
            writes: vec![(
                "content/glossary.toml",
                appended(
                    root,
                    "content/glossary.toml",
                    "\n[[term]]\nid = \"queue\"\nzh = \"排队\"\npinyin = \"páiduì\"\nen = \"to queue\"\ndefinition = \"To stand in line.\"\n",
                ),
            )],
            kept: 0,
            previewed: &[],
        },
        Edit {
            what: "a reading saved after the glossary changed: its preview shows the new term and its card",
            writes: vec![(
                "content/libraries/text.md",
                appended(root, "content/libraries/text.md", "\n排队的人越来越多。\n"),
            )],
            kept: 3,
            previewed: &["libraries"],
        },
        Edit {
            what: "a reading's title, shown on its neighbours' pages",
            writes: vec![(
                "content/tea/article.toml",
                replaced(root, "content/tea/article.toml", "title = \"", "title = \"新"),
            )],
            kept: 0,
            previewed: &[],
        },
    ];
    for edit in edits {
        let mut changed = BTreeSet::new();
        for (file, text) in &edit.writes {
            fs::write(root.join(file), text).unwrap();
            changed.insert(PathBuf::from(file));
        }
        let previewed = pipeline::preview(&warm, root, &changed);
        let shown: Vec<&str> = previewed.iter().flat_map(|p| &p.articles).map(String::as_str).collect();
        assert_eq!(shown, edit.previewed, "{}: articles previewed", edit.what);
        let preview = read_tree(&served);
        let previous = Previous { changed };
        let (rebuilt, kept) =
            pipeline::build_warm(&options(root, served.clone()), Some(&previous)).unwrap_or_else(|report| {
                panic!(
                    "{}: {}",
                    edit.what,
                    report.render(duben::diagnostics::Format::Human, false)
                )
            });
        warm = kept;
        assert_eq!(rebuilt.kept_articles, edit.kept, "{}: articles kept", edit.what);
        pipeline::build(&options(root, fresh.clone())).expect("a full build");
        let (incremental, full) = (read_tree(&served), read_tree(&fresh));
        for slug in edit.previewed {
            let folder: Vec<(&PathBuf, &Vec<u8>)> = full.iter().filter(|(path, _)| path.starts_with(slug)).collect();
            for (path, bytes) in &folder {
                assert!(
                    preview.get(*path) == Some(*bytes),
                    "{}: the preview's {} differs from a full build's",
                    edit.what,
                    path.display()
                );
            }
        }
        if let Some(previewed) = &previewed {
            let in_folders = full
                .keys()
                .filter(|path| edit.previewed.iter().any(|slug| path.starts_with(slug)))
                .count();
            assert_eq!(
                previewed.files, in_folders,
                "{}: the preview wrote every file of its folders",
                edit.what
            );
        }
        let paths = |tree: &std::collections::BTreeMap<PathBuf, Vec<u8>>| tree.keys().cloned().collect::<Vec<_>>();
        assert_eq!(paths(&incremental), paths(&full), "{}: the same files", edit.what);
        for (path, bytes) in &full {
            assert!(
                incremental[path] == *bytes,
                "{}: {} differs from a full build's",
                edit.what,
                path.display()
            );
        }
    }
}

#[test]
fn a_saved_file_outside_every_article_keeps_nothing() {
    let site = scratch_copy("course");
    let root = site.path();
    let outputs = tempfile::tempdir().unwrap();
    let served = outputs.path().join("served");
    pipeline::build(&options(root, served.clone())).unwrap();
    for saved in [
        "templates/base.html",
        "static/duben.css",
        "site.toml",
        "content/pages/about.md",
        "content/tea",
    ] {
        let previous = Previous {
            changed: BTreeSet::from([PathBuf::from(saved)]),
        };
        let rebuilt = pipeline::build_after(&options(root, served.clone()), Some(&previous)).unwrap();
        assert_eq!(rebuilt.kept_articles, 0, "{saved}");
    }
}

#[test]
fn an_article_saved_with_a_mistake_is_not_previewed() {
    let site = scratch_copy("course");
    let root = site.path();
    let outputs = tempfile::tempdir().unwrap();
    let served = outputs.path().join("served");
    let (_, warm) = pipeline::build_warm(&options(root, served.clone()), None).unwrap();
    let before = read_tree(&served);
    for (file, text) in [
        (
            "content/tea/notes.toml",
            appended(
                root,
                "content/tea/notes.toml",
                "\n[[note]]\nanchor = { quote = \"不在文中的话\" }\nkind = \"commentary\"\nbody = \"x\"\n",
            ),
        ),
        ("content/tea/notes.toml", "[[note]\n".to_owned()),
        ("content/tea/text.md", "<script>alert(1)</script>\n".to_owned()),
    ] {
        let original = fs::read_to_string(root.join(file)).unwrap();
        fs::write(root.join(file), &text).unwrap();
        let changed = BTreeSet::from([PathBuf::from(file)]);
        assert!(pipeline::preview(&warm, root, &changed).is_none(), "{file}: {text}");
        assert!(read_tree(&served) == before, "{file}: nothing written");
        fs::write(root.join(file), original).unwrap();
    }
}

#[test]
fn a_build_given_up_for_a_newer_save_leaves_the_output_as_it_was() {
    let site = scratch_copy("course");
    let root = site.path();
    let outputs = tempfile::tempdir().unwrap();
    let served = outputs.path().join("served");
    pipeline::build(&options(root, served.clone())).unwrap();
    let before = read_tree(&served);
    let text = appended(root, "content/tea/text.md", "\n新的一段。\n");
    fs::write(root.join("content/tea/text.md"), text).unwrap();
    // Asked after loading, after resolving, then before each file: a save
    // arrives during loading, during resolving, or while the tenth file is
    // written.
    for asked_until_save in [0, 1, 11] {
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let superseded = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= asked_until_save;
        let halted = pipeline::build_unless(&options(root, served.clone()), None, &superseded);
        assert!(matches!(halted, Err(pipeline::Halt::Superseded)), "given up");
        assert!(read_tree(&served) == before, "the output is untouched");
        let beside: Vec<_> = fs::read_dir(outputs.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside, ["served"], "nothing is left beside the output");
    }
}
