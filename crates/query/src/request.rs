//! The typed request and result of a search; serde-friendly, no tantivy types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which facets [`SearchResults::facets`] counts.
pub const FACET_NAMES: &[&str] = &["ministry", "topic", "motion", "type", "year", "section"];

/// Values returned per facet unless a request says otherwise.
pub const DEFAULT_FACET_LIMIT: usize = 50;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best score first.
    #[default]
    Relevance,
    /// Newest first (documents without a date last).
    Date,
    /// Oldest first (`dateasc`, or `date-asc` as on the command line).
    #[serde(alias = "date-asc")]
    DateAsc,
}

/// Whether hits are documents (with their best sections) or single sections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One hit per document, carrying its best sections.
    #[default]
    Document,
    /// One hit per section.
    Section,
}

/// Filters; each is repeatable (values OR'ed), different filters are AND'ed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    /// Ministry codes or aliases (`VWS`, `SJenV`).
    pub ministry: Vec<String>,
    /// Kamerstuk keys (`29279-890`) or whole dossiers (`29279`).
    pub motion: Vec<String>,
    /// Topic paths or their last part (`/Zorg en gezondheid`, `Zorg en gezondheid`).
    pub topic: Vec<String>,
    /// Document types (`motie`, `beslisnota`, ...).
    #[serde(rename = "type")]
    pub doc_type: Vec<String>,
    /// Section kinds (`kernpunten`, `verzoek`, ...).
    pub section: Vec<String>,
    /// Years (`2025`).
    pub year: Vec<u32>,
    /// From this date, inclusive (`2024-01-01` or `2024`).
    pub from: Option<String>,
    /// Up to this date, inclusive.
    pub to: Option<String>,
}

/// One search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchRequest {
    /// Query text in the query language (see [`crate::parse`]); empty matches everything.
    pub query: String,
    /// Filters.
    #[serde(flatten)]
    pub filters: Filters,
    /// Order of hits.
    pub sort: Sort,
    /// Maximum hits returned.
    pub limit: usize,
    /// Hits skipped (paging).
    pub offset: usize,
    /// Count facets over the whole result set.
    pub facets: bool,
    /// Values returned per facet, most frequent first (`0`: all). Counts are exact either
    /// way; [`SearchResults::facet_values`] says how many values each facet has.
    pub facet_limit: usize,
    /// Documents or sections.
    pub group: Grouping,
    /// Sections shown per document hit.
    pub sections_per_hit: usize,
    /// When no document holds every word of a query of two or more plain words or phrases
    /// (typed without operators, fields or groups), answer with the documents that have a
    /// section holding at least a third of them (rounded up; any one, where no section holds
    /// that many), best first, and say so in [`SearchResults::relaxed`]. On by default: a
    /// half-remembered title (`motie over voldoende veilige opvangplaatsen voor slachtoffers`)
    /// finds the motion whose text holds most of its words.
    pub relax: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            facets: true,
            facet_limit: DEFAULT_FACET_LIMIT,
            group: Grouping::Document,
            sections_per_hit: 3,
            relax: true,
        }
    }
}

impl SearchRequest {
    /// A request for `query` with default settings.
    ///
    /// ```
    /// let r = kamerzoek_query::SearchRequest::new("vrouwenopvang");
    /// assert_eq!(r.limit, 10);
    /// ```
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }
}

/// The section a hit points at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRef {
    /// Section kind (`kernpunten`).
    pub kind: String,
    /// Heading, if any.
    pub heading: Option<String>,
    /// Heading number or letter.
    pub number: Option<String>,
    /// Position of the section in its document.
    pub index: u64,
    /// Score of this section.
    pub score: f32,
    /// Text around the matches, matched terms wrapped in `<em>`…`</em>`.
    pub snippet: String,
}

/// One hit: a document with its best section(s), or one section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document identifier (its Kamerstuk key or file stem).
    pub doc_id: String,
    /// The document's own Kamerstuk key when it is one.
    pub kamerstuk: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Document type.
    pub doc_type: String,
    /// ISO date.
    pub date: Option<String>,
    /// Sending ministries.
    pub ministries: Vec<String>,
    /// Topics.
    pub topics: Vec<String>,
    /// The topics were inferred from the text (no metadata topic).
    pub topics_inferred: bool,
    /// Own and cited Kamerstuk keys.
    pub motions: Vec<String>,
    /// Submitters (`Name (Party)`).
    pub submitters: Vec<String>,
    /// The best section.
    pub section: SectionRef,
    /// Score (of the best section).
    pub score: f32,
    /// Snippet of the best section.
    pub snippet: String,
    /// Path of the source file.
    pub source: String,
    /// Further matching sections of the document (document grouping only), best first.
    pub more_sections: Vec<SectionRef>,
    /// Number of matching sections in the document.
    pub matching_sections: u64,
}

/// One facet value and the number of matching documents that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value (`VWS`, `/Zorg en gezondheid`, `29279-890`, `29279`).
    pub value: String,
    /// Matching documents with that value.
    pub count: u64,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Matching documents (document grouping) or sections (section grouping).
    pub total: u64,
    /// Matching documents.
    pub total_documents: u64,
    /// Matching sections.
    pub total_sections: u64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facet counts over the whole result set, counting documents; sorted by count, then value
    /// (path segment by segment: a dossier before its numbers); the first
    /// [`SearchRequest::facet_limit`] values of each.
    /// Names: `ministry`, `topic`, `motion` (Kamerstuk keys), `dossier`, `type`, `year`,
    /// `section` (documents with a matching section of that kind).
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// How many distinct values each counted facet has in the whole result set (more than
    /// `facets` lists when the limit cut it).
    #[serde(default)]
    pub facet_values: BTreeMap<String, u64>,
    /// No document held every word, so the hits hold some of them ([`SearchRequest::relax`]).
    #[serde(default)]
    pub relaxed: bool,
    /// Milliseconds spent.
    pub took_ms: f64,
}
