//! aho-corasick against daachorse (a charwise double-array Aho-Corasick
//! made for CJK dictionaries) on a site's texts, with every glossary form
//! as a pattern and leftmost-longest matching, the semantics duben's term
//! matcher needs. Both must find the same matches; the medians of build
//! and search times are printed.
//!
//!   cargo run --release --example automata -- SITE [RUNS]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind};
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind as DaaKind};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(site) = args.next().map(PathBuf::from) else {
        eprintln!("usage: automata SITE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.to_str()?.parse().ok()).unwrap_or(5);
    let loaded = duben::content::load(&site);
    let mut forms: Vec<&str> = loaded
        .site
        .terms
        .iter()
        .flat_map(|t| t.forms())
        .map(|f| f.get_ref().as_str())
        .collect();
    // daachorse refuses duplicate patterns; the matcher has each form once.
    forms.sort_unstable();
    forms.dedup();
    // The plain text of every block, as the term matcher scans it.
    let plain: Vec<String> = loaded
        .site
        .articles
        .iter()
        .map(|a| {
            a.with_document(|document| {
                document
                    .blocks
                    .iter()
                    .map(|b| b.plain_text())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        })
        .collect();
    let texts: Vec<&str> = plain.iter().map(String::as_str).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    let aho = || {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&forms)
            .expect("aho-corasick builds")
    };
    let daa = || -> CharwiseDoubleArrayAhoCorasick<u32> {
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(DaaKind::LeftmostLongest)
            .build(&forms)
            .expect("daachorse builds")
    };
    let (a, d) = (aho(), daa());
    let found_aho: Vec<(usize, usize, usize)> = texts
        .iter()
        .flat_map(|t| a.find_iter(t).map(|m| (m.start(), m.end(), m.pattern().as_usize())))
        .collect();
    let found_daa: Vec<(usize, usize, usize)> = texts
        .iter()
        .flat_map(|t| {
            d.leftmost_find_iter(t)
                .map(|m| (m.start(), m.end(), m.value() as usize))
        })
        .collect();
    assert_eq!(found_aho, found_daa, "both find the same leftmost-longest matches");

    let build_aho = median(runs, || drop(aho()));
    let build_daa = median(runs, || drop(daa()));
    let search_aho = median(runs, || {
        std::hint::black_box(texts.iter().map(|t| a.find_iter(t).count()).sum::<usize>());
    });
    let search_daa = median(runs, || {
        std::hint::black_box(texts.iter().map(|t| d.leftmost_find_iter(t).count()).sum::<usize>());
    });
    println!(
        "{} forms, {} texts, {:.1} MB, {} matches; medians of {runs} runs, one thread",
        forms.len(),
        texts.len(),
        bytes as f64 / 1e6,
        found_aho.len()
    );
    println!("| automaton | build ms | search ms | MB/s |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, build, search) in [
        ("aho-corasick", build_aho, search_aho),
        ("daachorse", build_daa, search_daa),
    ] {
        println!(
            "| {name} | {:.2} | {:.1} | {:.0} |",
            ms(build),
            ms(search),
            bytes as f64 / 1e6 / search.as_secs_f64()
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let clock = Instant::now();
            work();
            clock.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}
