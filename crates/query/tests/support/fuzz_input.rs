//! How the `query` fuzz target (`fuzz/fuzz_targets/query.rs`) reads its input and runs it; that
//! target includes this file, so `tests/fuzz_regressions.rs` runs exactly what the fuzzer ran.
//!
//! Input: the first line is the query text. Each further line `c:value` adds a filter or option,
//! so the filter compiler is fuzzed too: `m` ministry, `k` motion, `t` topic, `d` type,
//! `s` section, `y` year, `f` from, `o` to, `M` also runs the `motie` report for `value`,
//! `g` groups by section, `S` sorts by date (`S:` newest first, `S:x` oldest first),
//! `l` / `p` set limit / offset (capped at 50).

use std::path::Path;

use kamerzoek_index::{IndexOptions, KamerIndex, index_paths};
use kamerzoek_ingest::Ingester;
use kamerzoek_query::{Grouping, SearchRequest, Searcher, Sort, parse};

/// Indexes the workspace's `corpus/` into `dir` (created; should be empty) and opens it.
///
/// # Panics
/// When indexing fails or indexes nothing: the harness itself is broken then.
pub fn corpus_searcher(workspace: &Path, dir: &Path) -> Searcher {
    let index = KamerIndex::open_or_create(dir).expect("create index");
    let ingester = Ingester::new().expect("ingest data");
    let options = IndexOptions {
        memory_budget: 32 << 20,
        ..IndexOptions::default()
    };
    let corpus = workspace.join("corpus");
    let summary = index_paths(&index, &ingester, &[corpus], &options, &|_| {}).expect("index");
    assert!(summary.indexed > 0, "nothing indexed from corpus/");
    Searcher::from_index(index).expect("open searcher")
}

/// Parses `text` alone, then runs it as a request (and any `M:` motie reports) against
/// `searcher`. Errors are fine; panics are what the fuzzer looks for.
pub fn run(searcher: &Searcher, text: &str) {
    // The parser alone, on the whole input (newlines included).
    let _ = parse::parse(text);

    let mut lines = text.split('\n');
    let mut req = SearchRequest::new(lines.next().unwrap_or(""));
    let mut motie = Vec::new();
    for line in lines {
        let Some((c, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.to_string();
        let f = &mut req.filters;
        match c {
            "m" => f.ministry.push(v),
            "k" => f.motion.push(v),
            "t" => f.topic.push(v),
            "d" => f.doc_type.push(v),
            "s" => f.section.push(v),
            "y" => f.year.extend(v.parse::<u32>().ok()),
            "f" => f.from = Some(v),
            "o" => f.to = Some(v),
            "M" => motie.push(v),
            "g" => req.group = Grouping::Section,
            "S" => {
                req.sort = if v.is_empty() {
                    Sort::Date
                } else {
                    Sort::DateAsc
                }
            }
            "l" => req.limit = v.parse::<usize>().unwrap_or(10).min(50),
            "p" => req.offset = v.parse::<usize>().unwrap_or(0).min(50),
            _ => {}
        }
    }
    let _ = searcher.search(&req);
    for key in motie {
        let _ = searcher.motie(&key);
    }
}
