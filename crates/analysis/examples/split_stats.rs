//! Figures for the analysis: load time, how many lexicon words split (with a sample to eyeball),
//! and analyzer throughput over a folder of text files (the SGD corpus by default).
//!
//! ```text
//! cargo run --release -p kamerzoek-analysis --example split_stats -- ../shared/corpus/sgd
//! ```

use std::time::Instant;

use kamerzoek_analysis::DutchAnalysis;

const LEXICON: &str = include_str!("../../../index-schema/analysis/lexicon.tsv");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let analysis = DutchAnalysis::load()?;
    println!("load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let words: Vec<&str> = LEXICON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(w, _)| w))
        .collect();
    let t = Instant::now();
    let split: Vec<(&str, Vec<String>)> = words
        .iter()
        .map(|w| (*w, analysis.compound_parts(w)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    println!(
        "lexicon: {} words, {} split ({:.1}%), {:.1} µs/word",
        words.len(),
        split.len(),
        100.0 * split.len() as f64 / words.len() as f64,
        t.elapsed().as_secs_f64() * 1e6 / words.len() as f64
    );
    // Every 40th split (in frequency order) as a sample.
    for (w, p) in split.iter().step_by(40).take(60) {
        println!("  {w} = {}", p.join(" + "));
    }

    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/sgd".to_string());
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.is_file() {
            texts.push(std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = Instant::now();
    let tokens: usize = texts.iter().map(|x| analysis.analyze(x).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "index analyzer: {} files, {:.1} MB, {tokens} tokens in {secs:.2} s = {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
