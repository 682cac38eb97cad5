//! Inputs found by the `query` fuzz target (`fuzz/`), plus hand-made nasty ones: each file in
//! `tests/fuzz-regressions/` is parsed and searched against an index of the bundled `corpus/`
//! exactly as the target does (`support/fuzz_input.rs`), and must give results or a typed
//! `QueryError` without panicking and without taking seconds. A new crash input is a new file
//! here; its name says what it guards.

#[path = "support/fuzz_input.rs"]
mod fuzz_input;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// Far above what any of these inputs needs even unoptimised; a slow input (the fuzzer runs with
/// a 10 s timeout) shows up here as a failure rather than as a hang.
const MAX_TIME: Duration = Duration::from_secs(5);

#[test]
fn fuzz_regressions_search_without_panic() {
    let failures = run_dir("tests/fuzz-regressions", 6);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The fix for `exclude-phrase-*` (tantivy's `Exclude` probing a phrase scorer out of order)
/// must still exclude: the sections `opvang -"huiselijk geweld"` finds are those `opvang` finds
/// minus those holding the phrase.
#[test]
fn negated_phrase_still_excludes() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index_dir = std::env::temp_dir().join(format!(
        "kamerzoek-query-negated-phrase-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&index_dir);
    let searcher = fuzz_input::corpus_searcher(&manifest.join("../.."), &index_dir);
    let sections = |q: &str| -> BTreeSet<(String, u64)> {
        let mut req = kamerzoek_query::SearchRequest::new(q);
        req.group = kamerzoek_query::Grouping::Section;
        req.limit = 1000;
        let r = searcher.search(&req).unwrap();
        assert!(
            r.hits.len() as u64 == r.total,
            "{q}: more sections than one page"
        );
        r.hits
            .into_iter()
            .map(|h| (h.source, h.section.index))
            .collect()
    };
    let all = sections("opvang");
    let phrase = sections("\"huiselijk geweld\"");
    let without = sections("opvang -\"huiselijk geweld\"");
    let with: BTreeSet<_> = all.intersection(&phrase).cloned().collect();
    assert!(
        !with.is_empty() && with.len() < all.len(),
        "corpus no longer tells them apart: {} of {}",
        with.len(),
        all.len()
    );
    assert_eq!(without, all.difference(&phrase).cloned().collect());
    drop(searcher);
    let _ = std::fs::remove_dir_all(&index_dir);
}

/// Runs every file in `sub` as the target does; returns what panicked or was slow.
fn run_dir(sub: &str, at_least: usize) -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join(sub);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= at_least,
        "regression inputs missing in {}",
        dir.display()
    );

    let index_dir = std::env::temp_dir().join(format!(
        "kamerzoek-query-fuzz-regressions-{}-{}",
        std::process::id(),
        sub.replace('/', "-")
    ));
    let _ = std::fs::remove_dir_all(&index_dir);
    let searcher = fuzz_input::corpus_searcher(&manifest.join("../.."), &index_dir);

    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The target skips input that is not UTF-8, so every kept input is UTF-8.
        let text = std::fs::read_to_string(path).unwrap();
        // Printed first, so a crash that cannot be caught (stack overflow) still names its input.
        eprintln!("{name}");
        let started = Instant::now();
        if catch_unwind(AssertUnwindSafe(|| fuzz_input::run(&searcher, &text))).is_err() {
            failures.push(format!("{name}: panicked"));
        }
        let took = started.elapsed();
        if took > MAX_TIME {
            failures.push(format!("{name}: took {took:?}"));
        }
    }
    drop(searcher);
    let _ = std::fs::remove_dir_all(&index_dir);
    failures
}
