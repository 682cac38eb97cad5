//! Where an indexing run's CPU time goes, one phase at a time on one thread: reading the
//! files, parsing them, inferring topics, and running the index analyzer over the titles,
//! headings and section texts, with its word cache cold and then warm. Not a benchmark of the run (which overlaps the phases on all cores); a guide to
//! which phase to make cheaper.
//!
//! `cargo run --release -p kamerzoek-index --example phases -- ../shared/corpus`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kamerzoek_index::KamerIndex;
use kamerzoek_ingest::Ingester;
use tantivy::tokenizer::TokenStream;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let dir = std::env::temp_dir().join(format!("kamerzoek-phases-{}", std::process::id()));
    let started = Instant::now();
    let index = KamerIndex::open_or_create(&dir)?;
    let ingester = Ingester::new()?;
    let load = started.elapsed();
    let (files, _) = kamerzoek_ingest::collect_files(&paths);
    let (mut read, mut parse, mut topics) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut bytes = 0usize;
    let mut analyzer = index.analysis().index_analyzer();
    let mut docs = Vec::new();
    for path in &files {
        let t = Instant::now();
        let Ok(data) = std::fs::read(path) else {
            continue;
        };
        bytes += data.len();
        read += t.elapsed();
        let t = Instant::now();
        let Ok(doc) = ingester.parse_bytes(&path.to_string_lossy(), &data) else {
            continue;
        };
        parse += t.elapsed();
        let t = Instant::now();
        if let Some(model) = index.topic_model() {
            let texts: Vec<&str> = doc.sections.iter().map(|s| s.text.as_str()).collect();
            std::hint::black_box(model.predict_texts(doc.title.as_deref().unwrap_or(""), &texts));
        }
        topics += t.elapsed();
        docs.push(doc);
    }
    // The titles, headings and section texts through the index analyzer; returns the tokens.
    let mut analyse_all = || {
        let mut tokens = 0usize;
        for doc in &docs {
            for (i, s) in doc.sections.iter().enumerate() {
                let title = if i == 0 { doc.title.as_deref() } else { None };
                for text in [title, s.heading.as_deref(), Some(s.text.as_str())]
                    .into_iter()
                    .flatten()
                {
                    let mut stream = analyzer.token_stream(text);
                    while stream.advance() {
                        tokens += 1;
                    }
                }
            }
        }
        tokens
    };
    // First with the word cache cold.
    let t = Instant::now();
    let tokens = analyse_all();
    let analyse = t.elapsed();
    // Again, with every word's analysis cached: the cost per token of the analyzer itself (the
    // fastest of five passes: the machine is noisy).
    let mut warm = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        analyse_all();
        warm = warm.min(t.elapsed());
    }
    let sections: usize = docs.iter().map(|d| d.sections.len()).sum();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "files {} bytes {} sections {sections} tokens {tokens}",
        files.len(),
        bytes
    );
    for (name, d) in [
        ("load", load),
        ("read", read),
        ("parse", parse),
        ("topics", topics),
        ("analyse", analyse),
        ("warm", warm),
    ] {
        println!("{name:8} {:8.3} s", d.as_secs_f64());
    }
    Ok(())
}
