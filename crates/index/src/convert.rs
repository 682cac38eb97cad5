//! Turns a parsed [`Document`] into the tantivy documents of its sections.

use kamerzoek_ingest::{Document, Reference, ReferenceKind, Section, SectionKind};
use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{DateTime, TantivyDocument};

use crate::schema::{Fields, SchemaDef};

/// Document-level metadata stored with every section and returned with hits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredMeta {
    /// Document type name.
    pub doc_type: String,
    /// Title.
    pub title: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Kenmerk.
    pub kenmerk: Option<String>,
    /// Vergaderjaar.
    pub vergaderjaar: Option<String>,
    /// Own Kamerstuk key.
    pub kamerstuk: Option<String>,
    /// Dossier title.
    pub dossier_title: Option<String>,
    /// Sending ministries.
    pub ministries: Vec<String>,
    /// Ministries mentioned.
    pub ministries_mentioned: Vec<String>,
    /// Topics (metadata or inferred).
    pub topics: Vec<String>,
    /// The topics were inferred from the text, not given by metadata.
    #[serde(default)]
    pub topics_inferred: bool,
    /// Own and cited Kamerstuk keys, sorted, unique.
    pub motions: Vec<String>,
    /// Submitters as `Name (Party)`.
    pub submitters: Vec<String>,
    /// Number of sections of the document.
    pub sections: usize,
}

/// A citation as stored with its section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRef {
    /// Reference kind (`kamerstuk`, `motie`, ...).
    pub kind: String,
    /// Normalised key, if any.
    pub key: Option<String>,
    /// The citation as written.
    pub raw: String,
    /// The sentence around it.
    pub sentence: String,
}

/// A stable 64-bit hash (FNV-1a): used for document keys on disk (of a source path, a few dozen
/// bytes; contents are hashed with XXH3), so it must not change between Rust versions as
/// `DefaultHasher` may.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fingerprint of the code and data that turn a file into sections (see `build.rs`).
pub(crate) const PARSER_FINGERPRINT: u64 =
    match u64::from_str_radix(env!("KAMERZOEK_PARSER_FINGERPRINT"), 16) {
        Ok(v) => v,
        Err(_) => panic!("build.rs writes the fingerprint in hex"),
    };

/// A file's content hash as stored: the hash of its bytes and of the parser that read them.
/// A file whose stored hash equals this is skipped as unchanged; after an upgrade that parses
/// differently none is, so a re-run replaces every section an older parser made.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    // XXH3 (a specified algorithm, so stable across versions) at memory speed: this runs over
    // every byte of every file, where byte-at-a-time FNV-1a cost 1.8 % of an index run.
    xxhash_rust::xxh3::xxh3_64(bytes) ^ PARSER_FINGERPRINT
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` (optionally longer) into a tantivy date; `None` when malformed or outside
/// what a tantivy date holds (nanoseconds in an `i64`: 1677-09-22 to 2262-04-11).
pub fn parse_iso_date(s: &str) -> Option<DateTime> {
    let mut it = s.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Checked, not `DateTime::from_timestamp_secs`, which multiplies unchecked: the query fuzzer
    // found `date:[4048-01-01 TO 2024-12-31]` panicking (overflow checks) or, in release, wrapping
    // into a bound that matched the wrong documents.
    let nanos = days_from_civil(y, m, d)
        .checked_mul(86_400)?
        .checked_mul(1_000_000_000)?;
    Some(DateTime::from_timestamp_nanos(nanos))
}

/// Splits a Kamerstuk key into (dossier, ondernummer) using the dossier the reference carries.
fn motion_facet(key: &str, dossier: Option<&str>) -> Option<(String, String)> {
    let dossier = dossier.map(str::to_string).or_else(|| {
        // Without an explicit dossier, the ondernummer is the last dash-separated part.
        key.rsplit_once('-').map(|(d, _)| d.to_string())
    })?;
    let rest = key.strip_prefix(dossier.as_str())?.strip_prefix('-')?;
    if rest.is_empty() {
        return None;
    }
    Some((dossier, rest.to_string()))
}

/// The Kamerstuk a reference cites, as (dossier, ondernummer).
fn cited_motion(r: &Reference) -> Option<(String, String)> {
    if !matches!(r.kind, ReferenceKind::Kamerstuk | ReferenceKind::Motie) {
        return None;
    }
    motion_facet(r.key.as_deref()?, r.dossier.as_deref())
}

/// All Kamerstuk keys a document is about or cites, with their dossiers, sorted and unique.
pub fn document_motions(doc: &Document) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(own) = &doc.kamerstuk {
        out.extend(motion_facet(own, None));
    }
    out.extend(doc.references.iter().filter_map(cited_motion));
    out.sort();
    out.dedup();
    out
}

/// Builds the document-level metadata stored with each section.
pub fn stored_meta(doc: &Document, topics_inferred: bool) -> StoredMeta {
    StoredMeta {
        doc_type: doc.doc_type.as_str().to_string(),
        title: doc.title.clone(),
        date: doc.date.clone(),
        kenmerk: doc.kenmerk.clone(),
        vergaderjaar: doc.vergaderjaar.clone(),
        kamerstuk: doc.kamerstuk.clone(),
        dossier_title: doc.dossier_title.clone(),
        ministries: doc.ministries.clone(),
        ministries_mentioned: doc.ministries_mentioned.clone(),
        topics: doc.topics.clone(),
        topics_inferred,
        motions: document_motions(doc)
            .into_iter()
            .map(|(d, n)| format!("{d}-{n}"))
            .collect(),
        submitters: doc
            .submitters
            .iter()
            .map(|s| match &s.party {
                Some(p) => format!("{} ({p})", s.name),
                None => s.name.clone(),
            })
            .collect(),
        sections: doc.sections.len().max(1),
    }
}

/// The tantivy documents for all sections of `doc` (at least one, so that a document without
/// recognised sections is still found by its title and metadata).
pub fn section_documents(
    doc: &Document,
    source: &str,
    content_hash: u64,
    fields: &Fields,
    def: &SchemaDef,
    topics_inferred: bool,
) -> Vec<TantivyDocument> {
    let meta = stored_meta(doc, topics_inferred);
    let meta_json = serde_json::to_string(&meta).unwrap_or_default();
    let doc_key = stable_hash(source.as_bytes());
    let date = doc.date.as_deref().and_then(parse_iso_date);
    let year = doc
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .map(str::to_string);
    let motions = document_motions(doc);
    let fallback = [Section {
        kind: SectionKind::Body,
        heading: None,
        number: None,
        text: String::new(),
        footnotes: Vec::new(),
    }];
    let sections: &[Section] = if doc.sections.is_empty() {
        &fallback
    } else {
        &doc.sections
    };
    // Every level of a topic path is stored, so that a top-level topic counts its documents
    // exactly (the facet column keeps only the values added, not their ancestors).
    let mut topic_paths: Vec<Vec<&str>> = Vec::new();
    for t in &doc.topics {
        let parts: Vec<&str> = t.split('/').filter(|p| !p.is_empty()).collect();
        for n in 1..=parts.len() {
            topic_paths.push(parts[..n].to_vec());
        }
    }
    topic_paths.sort();
    topic_paths.dedup();
    let mut dossiers: Vec<&str> = motions.iter().map(|(d, _)| d.as_str()).collect();
    dossiers.dedup();

    sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut d = TantivyDocument::default();
            d.add_u64(fields.doc_key, doc_key);
            d.add_text(fields.source, source);
            d.add_u64(fields.content_hash, content_hash);
            d.add_text(fields.doc_id, &doc.id);
            if let Some(k) = &doc.kamerstuk {
                d.add_text(fields.kamerstuk, k);
            }
            // Title and submitters describe the document, not each section: they are indexed
            // with the first section only, so a title match does not make every section a hit.
            if i == 0
                && let Some(t) = &doc.title
            {
                d.add_text(fields.title, t);
            }
            if let Some(h) = &s.heading {
                d.add_text(fields.heading, h);
            }
            d.add_text(fields.body, &s.text);
            // Footnotes are searchable with the section that cites them.
            for f in &s.footnotes {
                d.add_text(fields.body, &f.text);
            }
            if i == 0 {
                for sub in &meta.submitters {
                    d.add_text(fields.submitters, sub);
                }
            }
            d.add_u64(fields.section_index, i as u64);
            if let Some(n) = &s.number {
                d.add_text(fields.section_number, n);
            }
            d.add_facet(fields.section, Facet::from_path([s.kind.as_str()]));
            d.add_facet(fields.doc_type, Facet::from_path([doc.doc_type.as_str()]));
            for m in &doc.ministries {
                d.add_facet(fields.ministry, Facet::from_path([m.as_str()]));
            }
            for t in &topic_paths {
                d.add_facet(fields.topic, Facet::from_path(t.iter().copied()));
            }
            // Both levels are stored explicitly so that counting distinct documents per dossier
            // is as cheap as per motion.
            for dossier in &dossiers {
                d.add_facet(fields.motion, Facet::from_path([*dossier]));
            }
            for (dossier, nr) in &motions {
                d.add_facet(
                    fields.motion,
                    Facet::from_path([dossier.as_str(), nr.as_str()]),
                );
            }
            if let Some(y) = &year {
                d.add_facet(fields.year, Facet::from_path([y.as_str()]));
            }
            if let Some(date) = date {
                d.add_date(fields.date, date);
            }
            let w = (def.section_weight(s.kind.as_str()) * 1000.0).round() as u64;
            d.add_u64(fields.weight, w);
            d.add_text(fields.meta, &meta_json);
            let section_refs: Vec<&Reference> =
                doc.references.iter().filter(|r| r.section == i).collect();
            // The keys the section cites, with their dossiers (the motion facet holds the same
            // for the whole document, and the document's own key).
            let mut cites: Vec<String> = section_refs
                .iter()
                .filter_map(|r| cited_motion(r))
                .flat_map(|(dossier, nr)| [format!("{dossier}-{nr}"), dossier])
                .collect();
            cites.sort();
            cites.dedup();
            for c in &cites {
                d.add_text(fields.cites, c);
            }
            let refs: Vec<StoredRef> = section_refs
                .iter()
                .map(|r| StoredRef {
                    kind: format!("{:?}", r.kind).to_lowercase(),
                    key: r.key.clone(),
                    raw: r.raw.clone(),
                    sentence: r.sentence.clone(),
                })
                .collect();
            if !refs.is_empty() {
                d.add_text(
                    fields.refs,
                    serde_json::to_string(&refs).unwrap_or_default(),
                );
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hash() {
        let d = parse_iso_date("2025-11-11").unwrap();
        assert_eq!(d.into_timestamp_secs(), 1_762_819_200);
        assert!(parse_iso_date("2025-13-01").is_none());
        assert!(parse_iso_date("11 november").is_none());
        // Beyond tantivy's date range: refused, not wrapped.
        assert!(parse_iso_date("4048-01-01").is_none());
        assert!(parse_iso_date("1000-01-01").is_none());
        assert!(parse_iso_date("2262-04-11").is_some());
        assert!(parse_iso_date("1814-03-30").is_some());
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(stable_hash(b"a"), stable_hash(b"b"));
    }

    #[test]
    fn a_content_hash_names_the_parser_as_well_as_the_bytes() {
        let bytes = "Geachte voorzitter,".as_bytes();
        assert_eq!(content_hash(bytes), content_hash(bytes));
        assert_ne!(content_hash(bytes), content_hash(b"Geachte voorzitter"));
        // An index written before the fingerprint (or by another parser) holds another hash
        // for the same bytes, so the file is read again.
        assert_ne!(content_hash(bytes), stable_hash(bytes));
    }

    #[test]
    fn motion_keys_split_on_their_dossier() {
        assert_eq!(
            motion_facet("21501-33-1104", Some("21501-33")),
            Some(("21501-33".into(), "1104".into()))
        );
        assert_eq!(
            motion_facet("36725-XVI-C", Some("36725-XVI")),
            Some(("36725-XVI".into(), "C".into()))
        );
        assert_eq!(
            motion_facet("29279-890", None),
            Some(("29279".into(), "890".into()))
        );
        assert_eq!(motion_facet("29279", None), None);
    }
}
