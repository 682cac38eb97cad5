//! A segment searched in ranges on several threads gives the answers it gives searched whole:
//! the same totals, pages, scores, further sections and facet counts.

#[allow(dead_code)]
#[path = "support/fuzz_input.rs"]
mod fuzz_input;

use std::path::Path;

use kamerzoek_query::{Grouping, SearchRequest, SearchResults, Searcher};

fn answer(r: &SearchResults) -> String {
    let hits: Vec<_> = r
        .hits
        .iter()
        .map(|h| {
            let more: Vec<_> = h
                .more_sections
                .iter()
                .map(|s| (s.index, s.score, s.snippet.clone()))
                .collect();
            (
                h.doc_id.clone(),
                h.section.index,
                h.score,
                h.matching_sections,
                more,
            )
        })
        .collect();
    format!(
        "{} {} {} {hits:?} {:?} {:?}",
        r.total, r.total_documents, r.total_sections, r.facets, r.facet_values
    )
}

#[test]
fn ranges_of_a_segment_answer_as_the_whole_segment() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("kamerzoek-query-split-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let whole = fuzz_input::corpus_searcher(&manifest.join("../.."), &dir);
    let index = kamerzoek_index::KamerIndex::open(&dir).unwrap();
    // Every segment is cut into ranges, once its columns are decoded (on its second search).
    let split = Searcher::from_index(index).unwrap().split_segments_above(1);
    for _ in 0..2 {
        split.search(&SearchRequest::new("de")).unwrap();
    }
    for q in [
        "opvang",
        "vrouwenopvang",
        "motie",
        "geweld",
        "regering",
        "kamer",
        "de",
    ] {
        for group in [Grouping::Document, Grouping::Section] {
            let mut req = SearchRequest::new(q);
            req.group = group;
            req.facet_limit = 0;
            req.sections_per_hit = 3;
            let a = answer(&whole.search(&req).unwrap());
            let b = answer(&split.search(&req).unwrap());
            assert_eq!(a, b, "{q} {group:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
