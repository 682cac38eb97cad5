//! Facet counts over many segments: the first search of an index version adds up resolved
//! values per segment, later ones use the version's global numbering; both must give the same
//! counts, and a new commit must not be counted with an old version's numbering.

use std::path::{Path, PathBuf};

use kamerzoek_index::{IndexOptions, KamerIndex, index_paths};
use kamerzoek_ingest::Ingester;
use kamerzoek_query::{SearchRequest, SearchResults, Searcher};

const QUERIES: &[&str] = &["de", "motie", "opvang", "geweld", "regering", "kamer"];

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Everything facet-related a script sees.
fn facets(r: &SearchResults) -> String {
    format!("{} {:?} {:?}", r.total, r.facets, r.facet_values)
}

fn index(index: &KamerIndex, file: &Path) {
    let options = IndexOptions {
        memory_budget: 32 << 20,
        ..IndexOptions::default()
    };
    let ingester = Ingester::new().unwrap();
    let summary = index_paths(index, &ingester, &[file.to_path_buf()], &options, &|_| {}).unwrap();
    assert_eq!(summary.indexed, 1, "{}", file.display());
}

#[test]
fn global_numbering_gives_the_per_segment_counts() {
    let dir = std::env::temp_dir().join(format!("kamerzoek-facet-counts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let kamer = KamerIndex::open_or_create(&dir).unwrap();
    let files = corpus_files();
    assert!(files.len() >= 5, "corpus/ has {} files", files.len());
    // One commit per file: one segment each, with values that overlap between segments.
    let (last, first) = files.split_last().unwrap();
    for f in first {
        index(&kamer, f);
    }
    let open = || Searcher::from_index(KamerIndex::open(&dir).unwrap()).unwrap();
    let segments = kamer.tantivy().searchable_segments().unwrap().len();
    assert!(segments >= 4, "{segments} segments");
    // A searcher numbers an index version's values on its second search; a new one counts
    // per segment.
    let searcher = open();
    searcher.search(&SearchRequest::new("motie")).unwrap();
    searcher.search(&SearchRequest::new("motie")).unwrap();
    for limit in [0, 2] {
        for &q in QUERIES {
            let mut req = SearchRequest::new(q);
            req.facet_limit = limit;
            let per_segment = facets(&open().search(&req).unwrap());
            let global = facets(&searcher.search(&req).unwrap());
            assert_eq!(per_segment, global, "{q} (facet_limit {limit})");
            assert!(per_segment.contains("ministry"), "{q}: {per_segment}");
        }
    }

    // A commit of another file: the next version's counts include it, on both paths.
    let totals = |s: &Searcher| -> Vec<u64> {
        QUERIES
            .iter()
            .map(|&q| s.search(&SearchRequest::new(q)).unwrap().total_documents)
            .collect()
    };
    let before = totals(&searcher);
    index(&kamer, last);
    searcher.reload().unwrap();
    for &q in QUERIES {
        let req = SearchRequest::new(q);
        let after: Vec<String> = (0..3)
            .map(|_| facets(&searcher.search(&req).unwrap()))
            .collect();
        assert_eq!(after[0], after[2], "{q}");
        assert_eq!(facets(&open().search(&req).unwrap()), after[2], "{q}");
    }
    let after = totals(&searcher);
    assert!(
        after.iter().zip(&before).any(|(a, b)| a > b),
        "{before:?} -> {after:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
