//! Digest of everything an index holds, independent of segment layout and document order: per
//! field, a multiset hash of (source, section, term, positions) for the inverted index and of
//! (source, section, stored JSON) for stored documents. Two indexes of the same files must print
//! the same digests whatever the thread count or batching; used to check that indexing
//! optimisations leave the index unchanged.
//!
//! `cargo run --release -p kamerzoek-index --example digest -- /tmp/ix`

use std::collections::BTreeMap;
use std::path::PathBuf;

use kamerzoek_index::{KamerIndex, stable_hash};
use tantivy::postings::Postings;
use tantivy::schema::Value;
use tantivy::{DocSet, Document, TERMINATED, TantivyDocument};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: digest INDEX_DIR")?);
    let index = KamerIndex::open(&dir)?;
    let searcher = index.reader()?.searcher();
    let schema = index.tantivy().schema();
    // field name → (entries, wrapping sum of entry hashes)
    let mut digests: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut add = |field: &str, line: &str| {
        let e = digests.entry(field.to_string()).or_default();
        e.0 += 1;
        e.1 =
            e.1.wrapping_add(stable_hash(line.as_bytes()).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    };
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let section = ff.u64("section_index")?;
        let sources = ff.str("source")?.ok_or("no source column")?;
        let mut keys = Vec::with_capacity(seg.max_doc() as usize);
        let mut buf = String::new();
        for doc in 0..seg.max_doc() {
            buf.clear();
            if let Some(ord) = sources.term_ords(doc).next() {
                sources.ord_to_str(ord, &mut buf)?;
            }
            keys.push(format!("{buf}#{}", section.first(doc).unwrap_or(u64::MAX)));
        }
        let alive = |doc: u32| seg.alive_bitset().is_none_or(|b| b.is_alive(doc));
        for (field, entry) in schema.fields() {
            let Some(option) = entry.field_type().get_index_record_option() else {
                continue;
            };
            let inverted = seg.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            let mut positions = Vec::new();
            while stream.advance() {
                let term = format!("{:?}", stream.key());
                let mut postings = inverted.read_postings_from_terminfo(stream.value(), option)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive(doc) {
                        positions.clear();
                        if option.has_positions() {
                            postings.positions(&mut positions);
                        }
                        let line = format!(
                            "{}\t{term}\t{}\t{positions:?}",
                            keys[doc as usize],
                            postings.term_freq()
                        );
                        add(entry.name(), &line);
                    }
                    doc = postings.advance();
                }
            }
        }
        let store = seg.get_store_reader(0)?;
        for doc in seg.doc_ids_alive() {
            let d: TantivyDocument = store.get(doc)?;
            let mut fields: Vec<String> = d
                .iter_fields_and_values()
                .map(|(f, v)| {
                    let v = tantivy::schema::OwnedValue::from(v.as_value());
                    format!(
                        "{}={}",
                        schema.get_field_name(f),
                        serde_json::to_string(&v).unwrap_or_default()
                    )
                })
                .collect();
            // Values of one field keep their order; fields are compared as a set of lines.
            fields.sort();
            add(
                "<stored>",
                &format!("{}\t{}", keys[doc as usize], fields.join("\u{1}")),
            );
        }
    }
    let total = digests
        .values()
        .fold(0u64, |acc, (n, h)| acc.wrapping_add(*h).wrapping_add(*n));
    for (field, (n, h)) in &digests {
        println!("{field:16} {n:>10} {h:016x}");
    }
    println!("{:16} {:>10} {total:016x}", "TOTAL", searcher.num_docs());
    Ok(())
}
