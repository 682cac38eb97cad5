//! Opens an index, runs one faceted search and prints hits and facet counts.
//!
//! ```text
//! cargo run --example search -- kamerzoek-index vrouwenopvang VWS
//! ```

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "kamerzoek-index".into()));
    let query = args.next().unwrap_or_else(|| "opvang".into());
    let searcher = kamerzoek::Searcher::open(&dir)?;
    let mut request = kamerzoek::SearchRequest::new(query);
    if let Some(ministry) = args.next() {
        request.filters.ministry.push(ministry);
    }
    let results = searcher.search(&request)?;
    println!(
        "{} documents ({} sections)",
        results.total, results.total_sections
    );
    for hit in &results.hits {
        println!(
            "{:>7.2}  {}  {}  [{}] {}",
            hit.score,
            hit.date.as_deref().unwrap_or("----------"),
            hit.doc_id,
            hit.section.kind,
            hit.title.as_deref().unwrap_or("")
        );
    }
    for (name, counts) in &results.facets {
        let top: Vec<String> = counts
            .iter()
            .take(5)
            .map(|c| format!("{} ({})", c.value, c.count))
            .collect();
        println!("{name}: {}", top.join(", "));
    }
    Ok(())
}
