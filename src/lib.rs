//! kamerzoek: full-text search for Dutch parliamentary correspondence (Kamerbrieven,
//! beslisnota's, Kamerstukken, moties), as a library.
//!
//! Add `kamerzoek` as a dependency to open an index built by `kamerzoek index`, search it with
//! filters and facets, and read hits. The crates behind it do one job each:
//! [`ingest`] parses files into [`Document`]s, [`index`] writes them, [`query`] answers.
//!
//! ```no_run
//! use kamerzoek::{Searcher, SearchRequest};
//!
//! let searcher = Searcher::open(std::path::Path::new("kamerzoek-index"))?;
//! let mut request = SearchRequest::new("opvang");
//! request.filters.section.push("kernpunten".into());
//! for hit in searcher.search(&request)?.hits {
//!     println!("{} {:?}: {}", hit.doc_id, hit.title, hit.snippet);
//! }
//! # Ok::<(), kamerzoek::QueryError>(())
//! ```
#![deny(missing_docs)]

pub use kamerzoek_analysis as analysis;
pub use kamerzoek_index as index;
pub use kamerzoek_ingest as ingest;
pub use kamerzoek_query as query;

pub use kamerzoek_ingest::{DocType, Document, Reference, Section, SectionKind};
pub use kamerzoek_query::{
    Citation, CitationStatus, DEFAULT_FACET_LIMIT, FacetCount, Filters, Grouping, Hit, MotieReport,
    QueryError, SearchRequest, SearchResults, Searcher, SectionRef, Sort,
};
