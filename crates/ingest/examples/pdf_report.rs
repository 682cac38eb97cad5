//! Per PDF or .docx: pages, sections, references found, and parse time per page (median of
//! repeated runs, the whole ingest path: layout, cleaning, sections, references).
//!
//! `cargo run --release -p kamerzoek-ingest --example pdf_report -- ../shared/corpus/pdf/*.pdf`
use std::time::Instant;

fn main() {
    let ingester = kamerzoek_ingest::Ingester::new().expect("embedded data files load");
    println!(
        "| file | pages | sections | headings | references | Kamerstuk keys | footnotes | ms/page |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let mut times = Vec::new();
        let mut doc = None;
        for _ in 0..15 {
            let t = Instant::now();
            let d = ingester.parse_bytes(&path, &bytes);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            doc = Some(d);
        }
        times.sort_by(f64::total_cmp);
        let name = std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        match doc.expect("ran") {
            Ok(d) => {
                let pages = d.pages.unwrap_or(1);
                let mut keys: Vec<_> = d.references.iter().filter_map(|r| r.key.clone()).collect();
                keys.sort();
                keys.dedup();
                let headings = d
                    .sections
                    .iter()
                    .filter(|s| s.heading.is_some())
                    .map(|s| s.heading.clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                let notes: usize = d.sections.iter().map(|s| s.footnotes.len()).sum();
                println!(
                    "| {name} | {pages} | {} | {headings} | {} | {} | {notes} | {:.2} |",
                    d.sections.len(),
                    d.references.len(),
                    keys.len(),
                    times[times.len() / 2] / pages as f64
                );
            }
            Err(e) => println!("| {name} | error: {e} |"),
        }
    }
}
