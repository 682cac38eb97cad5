//! Trains the topic model on the motions that carry `OVERHEID.category` metadata and evaluates it
//! on held-out motions with their metadata removed (so only the body speaks, as for documents
//! without metadata).
//!
//! ```text
//! cargo run --release -p kamerzoek-topics --example train -- ../shared/corpus/moties index-schema/topics/model.tsv
//! ```

use kamerzoek_ingest::{Document, Ingester};
use kamerzoek_topics::Trainer;
use rayon::prelude::*;

const THRESHOLD: f32 = 0.5;

fn body(d: &Document) -> String {
    d.sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("motions folder");
    let out = args.next().expect("model output path");
    let ingester = Ingester::new().expect("ingest data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    // (with metadata, without metadata) for every labelled motion.
    let labelled: Vec<(String, Document, Document)> = files
        .par_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            if !text.contains("OVERHEID.category") {
                return None;
            }
            let full = ingester
                .parse_bytes(&p.to_string_lossy(), text.as_bytes())
                .ok()?;
            let start = text.find("<metadata>")?;
            let end = text.find("</metadata>")? + "</metadata>".len();
            let hidden = format!("{}{}", &text[..start], &text[end..]);
            let bare = ingester
                .parse_bytes(&p.to_string_lossy(), hidden.as_bytes())
                .ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, full, bare))
        })
        .collect();
    // Deterministic 80/20 split by a hash of the file name.
    let held_out = |name: &str| {
        name.bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
            % 5
            == 0
    };
    let mut trainer = Trainer::default();
    for (name, full, _) in &labelled {
        if !held_out(name) {
            let topics: Vec<&str> = full.topics.iter().map(String::as_str).collect();
            trainer.add(full.title.as_deref().unwrap_or(""), &body(full), &topics);
        }
    }
    let model = trainer.finish(0.0);
    let (mut n, mut top1, mut covered, mut covered_ok) = (0, 0, 0, 0);
    for (name, full, bare) in &labelled {
        if !held_out(name) {
            continue;
        }
        n += 1;
        let truth: Vec<String> = full
            .topics
            .iter()
            .filter_map(|t| t.trim_start_matches('/').split('/').next())
            .map(|t| format!("/{t}"))
            .collect();
        let guess = model.predict(bare.title.as_deref().unwrap_or(""), &body(bare));
        let Some(g) = guess.first() else { continue };
        let ok = truth.contains(&g.topic);
        top1 += usize::from(ok);
        if g.confidence >= THRESHOLD {
            covered += 1;
            covered_ok += usize::from(ok);
        }
    }
    println!(
        "held-out motions (metadata hidden): {n}; top-1 accuracy {:.1}% ({top1}/{n}); at confidence >= {THRESHOLD}: coverage {:.1}% ({covered}/{n}), accuracy {:.1}% ({covered_ok}/{covered})",
        100.0 * top1 as f64 / n.max(1) as f64,
        100.0 * covered as f64 / n.max(1) as f64,
        100.0 * covered_ok as f64 / covered.max(1) as f64
    );
    // The shipped model is trained on every labelled motion.
    let mut all = Trainer::default();
    for (_, full, _) in &labelled {
        let topics: Vec<&str> = full.topics.iter().map(String::as_str).collect();
        all.add(full.title.as_deref().unwrap_or(""), &body(full), &topics);
    }
    std::fs::write(&out, all.finish(THRESHOLD).to_tsv()).expect("write model");
    println!("wrote {out} from {} labelled motions", labelled.len());
}
