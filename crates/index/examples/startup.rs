//! What a start costs before the first file is read: loading the Dutch analysis (on the
//! caller's thread; the compound dictionary builds on a thread of its own), the topic model,
//! the ingest patterns, and creating an index.
//!
//! `cargo run --release -p kamerzoek-index --example startup`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let analysis = kamerzoek_analysis::DutchAnalysis::load()?;
    println!("analysis        {:6.1} ms", ms(t));
    let t = Instant::now();
    analysis.prepare_compound_splitting()?;
    println!("compound prep   {:6.1} ms", ms(t));
    let t = Instant::now();
    kamerzoek_topics::TopicModel::load()?;
    println!("topic model     {:6.1} ms", ms(t));
    let t = Instant::now();
    kamerzoek_ingest::Ingester::new()?;
    println!("ingester        {:6.1} ms", ms(t));
    let dir = std::env::temp_dir().join(format!("kamerzoek-startup-{}", std::process::id()));
    let t = Instant::now();
    kamerzoek_index::KamerIndex::open_or_create(&dir)?;
    // The analysis is loaded once per process, so this is tantivy's part and the topic model.
    println!("index create    {:6.1} ms", ms(t));
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
