//! Searches from many threads at once: inside a caller's rayon loop, through `search_batch`,
//! and on plain threads, with the same answers as one search at a time.

// Only its index builder is used here; the fuzz input runner is the other test's.
#[allow(dead_code)]
#[path = "support/fuzz_input.rs"]
mod fuzz_input;

use std::path::Path;

use kamerzoek_query::{Grouping, SearchRequest};
use rayon::prelude::*;

/// A search inside a rayon task must not wait on the segment pool from the worker: rayon then
/// runs further tasks on the waiting worker's stack, and 2,000 batch lines overflowed it.
#[test]
fn nested_and_parallel_searches_agree_with_sequential_ones() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index_dir =
        std::env::temp_dir().join(format!("kamerzoek-query-parallel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&index_dir);
    let searcher = fuzz_input::corpus_searcher(&manifest.join("../.."), &index_dir);
    let queries = [
        "opvang",
        "vrouwenopvang",
        "motie",
        "geweld",
        "regering",
        "stalking",
    ];
    let requests: Vec<SearchRequest> = (0..3000)
        .map(|i| {
            let mut r = SearchRequest::new(queries[i % queries.len()]);
            if i % 2 == 1 {
                r.group = Grouping::Section;
            }
            r
        })
        .collect();
    let key = |r: &kamerzoek_query::SearchResults| {
        (
            r.total,
            r.hits.iter().map(|h| h.doc_id.clone()).collect::<Vec<_>>(),
            r.facets.clone(),
        )
    };
    let sequential: Vec<_> = requests
        .iter()
        .take(queries.len() * 2)
        .map(|r| key(&searcher.search(r).unwrap()))
        .collect();
    let nested: Vec<_> = requests
        .par_iter()
        .map(|r| key(&searcher.search(r).unwrap()))
        .collect();
    let batch: Vec<_> = searcher
        .search_batch(&requests)
        .into_iter()
        .map(|r| key(&r.unwrap()))
        .collect();
    for (i, got) in nested.iter().chain(batch.iter()).enumerate() {
        let i = i % requests.len();
        assert_eq!(got, &sequential[i % sequential.len()], "request {i}");
    }
    let _ = std::fs::remove_dir_all(&index_dir);
}
