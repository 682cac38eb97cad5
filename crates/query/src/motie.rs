//! `motie KEY`: every document and section that cites a motion, oldest first, with what each
//! says about it (settled, progress, or merely cited), and the motion's own text if indexed.

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::compile::Compiler;
use crate::{QueryError, Searcher, text_of};

const STATUS_TOML: &str = include_str!("../../../index-schema/query/motie-status.toml");

/// What a citing document says about the motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationStatus {
    /// Declares the motion done ("Daarmee is de motie … afgedaan").
    Settled,
    /// Reports how it is being carried out.
    Progress,
    /// Names it without either.
    Cited,
}

/// One citing section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    /// Citing document's identifier.
    pub doc_id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its type.
    pub doc_type: String,
    /// Its date.
    pub date: Option<String>,
    /// Its source path.
    pub source: String,
    /// Section kind.
    pub section_kind: String,
    /// Section heading.
    pub section_heading: Option<String>,
    /// The key as cited.
    pub key: String,
    /// The citation as written.
    pub raw: String,
    /// The sentence that cites it.
    pub sentence: String,
    /// Settled, progress or cited.
    pub status: CitationStatus,
}

/// The motion's own document, when indexed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MotionText {
    /// Identifier (the key).
    pub doc_id: String,
    /// Title.
    pub title: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// Submitters.
    pub submitters: Vec<String>,
    /// Sections as (kind, text), in order.
    pub sections: Vec<(String, String)>,
}

/// The answer to `motie KEY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MotieReport {
    /// The key asked for.
    pub key: String,
    /// The motion itself, if indexed.
    pub motion: Option<MotionText>,
    /// Citing sections, oldest document first.
    pub citations: Vec<Citation>,
    /// Documents that declare the motion settled.
    pub settled_by: Vec<String>,
}

#[derive(Deserialize)]
struct StatusFile {
    status: Vec<StatusDef>,
}

#[derive(Deserialize)]
struct StatusDef {
    name: String,
    patterns: Vec<String>,
}

struct StatusRules(Vec<(CitationStatus, Vec<Regex>)>);

fn rules() -> Result<&'static StatusRules, QueryError> {
    static RULES: std::sync::OnceLock<Result<StatusRules, String>> = std::sync::OnceLock::new();
    RULES
        .get_or_init(|| {
            let file: StatusFile = toml::from_str(STATUS_TOML)
                .map_err(|e| format!("index-schema/query/motie-status.toml: {e}"))?;
            let mut out = Vec::new();
            for s in file.status {
                let status = match s.name.as_str() {
                    "settled" => CitationStatus::Settled,
                    "progress" => CitationStatus::Progress,
                    other => {
                        return Err(format!(
                            "index-schema/query/motie-status.toml: unknown status `{other}`"
                        ));
                    }
                };
                let mut res = Vec::new();
                for p in s.patterns {
                    res.push(
                        RegexBuilder::new(&p)
                            .case_insensitive(true)
                            .build()
                            .map_err(|e| {
                                format!("index-schema/query/motie-status.toml: `{p}`: {e}")
                            })?,
                    );
                }
                out.push((status, res));
            }
            Ok(StatusRules(out))
        })
        .as_ref()
        .map_err(|e| QueryError::Index(e.clone()))
}

fn classify(rules: &StatusRules, sentence: &str, after: &str) -> CitationStatus {
    for text in [sentence, after] {
        for (status, res) in &rules.0 {
            if res.iter().any(|r| r.is_match(text)) {
                return *status;
            }
        }
    }
    CitationStatus::Cited
}

fn key_matches(asked: &str, cited: &str) -> bool {
    cited == asked
        || cited
            .strip_prefix(asked)
            .is_some_and(|rest| rest.starts_with('-'))
}

impl Searcher {
    /// Every document and section that cites the motion `key` (`29279-890`, or a dossier).
    ///
    /// # Errors
    /// When the index cannot be read or the status rules are invalid.
    pub fn motie(&self, key: &str) -> Result<MotieReport, QueryError> {
        let rules = rules()?;
        let key = key.trim().replace(' ', "");
        let searcher = self.reader.searcher();
        let f = *self.index.fields();
        let facets = Compiler::new(&self.index, &searcher).motion_facets(&key);
        let mut report = MotieReport {
            key: key.clone(),
            motion: None,
            citations: Vec::new(),
            settled_by: Vec::new(),
        };
        if facets.is_empty() {
            return Ok(report);
        }
        let q: Box<dyn Query> = Box::new(BooleanQuery::new(
            facets
                .iter()
                .map(|fc| -> (Occur, Box<dyn Query>) {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_facet(f.motion, fc),
                            IndexRecordOption::Basic,
                        )),
                    )
                })
                .collect(),
        ));
        let mut addrs: Vec<_> = searcher
            .search(&*q, &DocSetCollector)?
            .into_iter()
            .collect();
        addrs.sort();
        let mut motion_sections: Vec<(u64, String, String)> = Vec::new();
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let meta = self.meta(&doc);
            let body = text_of(&doc, f.body).unwrap_or_default();
            let kinds = searcher
                .segment_reader(addr.segment_ord)
                .facet_reader("section")?;
            let mut kind = tantivy::schema::Facet::root();
            if let Some(ord) = kinds.facet_ords(addr.doc_id).next() {
                kinds.facet_from_ord(ord, &mut kind)?;
            }
            let kind = kind
                .to_path()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let index = doc
                .get_first(f.section_index)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            if meta.kamerstuk.as_deref() == Some(key.as_str()) {
                if report.motion.is_none() {
                    report.motion = Some(MotionText {
                        doc_id: key.clone(),
                        title: meta.title.clone(),
                        date: meta.date.clone(),
                        submitters: meta.submitters.clone(),
                        sections: Vec::new(),
                    });
                }
                motion_sections.push((index, kind, body));
                continue;
            }
            let refs: Vec<kamerzoek_index::StoredRef> = text_of(&doc, f.refs)
                .and_then(|r| serde_json::from_str(&r).ok())
                .unwrap_or_default();
            for r in refs {
                let Some(cited) = r.key.as_deref() else {
                    continue;
                };
                if !key_matches(&key, cited) {
                    continue;
                }
                let after = body
                    .find(r.sentence.as_str())
                    .map(|i| {
                        let rest = &body[i + r.sentence.len()..];
                        rest.split_inclusive('.').next().unwrap_or("").to_string()
                    })
                    .unwrap_or_default();
                let status = classify(rules, &r.sentence, &after);
                report.citations.push(Citation {
                    doc_id: text_of(&doc, f.doc_id).unwrap_or_default(),
                    title: meta.title.clone(),
                    doc_type: meta.doc_type.clone(),
                    date: meta.date.clone(),
                    source: text_of(&doc, f.source).unwrap_or_default(),
                    section_kind: kind.clone(),
                    section_heading: text_of(&doc, f.heading),
                    key: cited.to_string(),
                    raw: r.raw,
                    sentence: r.sentence,
                    status,
                });
            }
        }
        motion_sections.sort_by_key(|s| s.0);
        if let Some(m) = report.motion.as_mut() {
            m.sections = motion_sections
                .into_iter()
                .map(|(_, k, t)| (k, t))
                .collect();
        }
        // Oldest first; undated last; then by document and sentence for a stable order.
        report.citations.sort_by(|a, b| {
            let da = a.date.as_deref().unwrap_or("9999");
            let db = b.date.as_deref().unwrap_or("9999");
            da.cmp(db)
                .then_with(|| a.doc_id.cmp(&b.doc_id))
                .then_with(|| a.sentence.cmp(&b.sentence))
        });
        // A motion cited as `motie X (Kamerstuk K)` yields two references with one sentence.
        report.citations.dedup_by(|a, b| {
            a.doc_id == b.doc_id && a.section_kind == b.section_kind && a.sentence == b.sentence
        });
        let mut settled: Vec<String> = report
            .citations
            .iter()
            .filter(|c| c.status == CitationStatus::Settled)
            .map(|c| c.doc_id.clone())
            .collect();
        settled.dedup();
        report.settled_by = settled;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_rules_load_and_classify() {
        let r = rules().unwrap();
        let cases = [
            (
                "Daarmee is de motie van het lid Becker (Kamerstuk 28345-288) afgedaan.",
                CitationStatus::Settled,
            ),
            (
                "Hiermee beschouw ik de motie als afgedaan.",
                CitationStatus::Settled,
            ),
            (
                "Over de uitvoering van de motie Temmink informeer ik u voor de zomer.",
                CitationStatus::Progress,
            ),
            (
                "De motie Mutluer (Kamerstuk 36600-XVI-12) vraagt om een coördinator.",
                CitationStatus::Cited,
            ),
        ];
        for (s, want) in cases {
            assert_eq!(classify(r, s, ""), want, "{s}");
        }
        assert_eq!(
            classify(r, "De motie vraagt dit.", "Daarmee is de motie afgedaan."),
            CitationStatus::Settled
        );
    }

    #[test]
    fn keys_match_whole_parts_only() {
        assert!(key_matches("29279-890", "29279-890"));
        assert!(key_matches("29279", "29279-890"));
        assert!(!key_matches("29279-89", "29279-890"));
        assert!(!key_matches("2927", "29279-890"));
    }
}
