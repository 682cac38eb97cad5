use std::time::Instant;
fn main() {
    let a = kamerzoek_analysis::DutchAnalysis::load().unwrap();
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let words: Vec<&str> = text.lines().collect();
    let t = Instant::now();
    let mut n = 0;
    for w in &words {
        if !a.compound_parts(w).is_empty() {
            n += 1;
        }
    }
    let d = t.elapsed();
    println!(
        "{} words, {} split, {:.2} us/word",
        words.len(),
        n,
        d.as_secs_f64() * 1e6 / words.len() as f64
    );
}
