//! Faceted search over a kamerzoek index: a typed [`SearchRequest`] in, [`SearchResults`] out.
//!
//! Parse, validate, execute: query text becomes a tree ([`parse`]), the tree and the filters are
//! checked against the index (unknown fields and facet values are errors that name the nearest
//! valid ones), then one pass over every matching section groups them into documents and counts
//! facets exactly. No tantivy type appears in this crate's public API.
//!
//! ```no_run
//! use kamerzoek_query::{Searcher, SearchRequest};
//! let searcher = Searcher::open(std::path::Path::new("kamerzoek-index"))?;
//! let mut request = SearchRequest::new("vrouwenopvang");
//! request.filters.ministry.push("VWS".into());
//! let results = searcher.search(&request)?;
//! println!("{} documents", results.total);
//! # Ok::<(), kamerzoek_query::QueryError>(())
//! ```
#![deny(missing_docs)]

mod atleast;
mod collect;
mod columns;
mod compile;
mod docmatch;
mod error;
mod motie;
mod ordinals;
pub mod parse;
mod request;
mod snippet;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use kamerzoek_index::{KamerIndex, StoredMeta};
use rayon::prelude::*;
use tantivy::Executor;
use tantivy::collector::Collector;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::{Facet, Field, Value};
use tantivy::{
    DocAddress, DocId, DocSet, IndexReader, SegmentOrdinal, TERMINATED, TantivyDocument,
};

pub use error::QueryError;
pub use kamerzoek_index::IndexStats;
pub use motie::{Citation, CitationStatus, MotieReport};
pub use request::{
    DEFAULT_FACET_LIMIT, FACET_NAMES, FacetCount, Filters, Grouping, Hit, SearchRequest,
    SearchResults, SectionRef, Sort,
};

/// Sections an index holds before a search runs its segments side by side on the pool. Below
/// it a segment takes tenths of a millisecond, and waking the pool's threads and waiting for
/// them cost more than the second core saved. `benches/latency.rs`, 400 queries × 3 passes,
/// facets on, alternating rounds (2-core VM), p50 / p99 on one thread against the pool: 10k
/// sections 0.12 / 0.41 ms against 0.22 / 0.52; the real corpus (34k) 0.21 / 0.61 against
/// 0.33 / 0.76; 100k 0.29 / 1.06 against 0.40 / 1.07; 1M sections in one segment (as a full
/// run leaves them) 1.33 / 8.1 against 1.44 / 8.3.
const PARALLEL_MIN_SECTIONS: u64 = 250_000;

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 220;

/// Most hits one request may ask for; deeper paging is what export tools are for.
pub const MAX_LIMIT: usize = 10_000;

/// An open index, ready to answer searches from many threads at once.
#[derive(Clone)]
pub struct Searcher {
    index: KamerIndex,
    reader: IndexReader,
    /// Decoded per-section columns, shared by clones (see `columns.rs`).
    columns: std::sync::Arc<columns::ColumnCache>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("index", &self.index.dir())
            .finish()
    }
}

/// Resolves a ministry alias (`SJenV`, `staatssecretaris Langdurige en Maatschappelijke Zorg`)
/// to its code with ingest's ministry table.
pub(crate) fn ministry_code(value: &str) -> Option<String> {
    static INGESTER: OnceLock<Option<kamerzoek_ingest::Ingester>> = OnceLock::new();
    INGESTER
        .get_or_init(|| kamerzoek_ingest::Ingester::new().ok())
        .as_ref()?
        .ministries()
        .resolve(value)
        .map(str::to_string)
}

/// A relaxed answer's sections hold at least one in this many of the query's words (a third,
/// rounded up), where any section does. On the relevance set with the motions' titles hidden a third kept
/// MRR@10 where any word had it (0.905 against 0.904; a half: 0.903; two thirds: 0.840), and a
/// 16-word query (9 words once its stop words are left out) on 1M sections answered 9,601
/// documents instead of 245,796.
const RELAX_SHARE: usize = 3;

/// Calls `each` with every term of `field`, in every segment, from `from` on and below `below`
/// (when given): a range of each segment's term dictionary.
fn each_term(
    searcher: &tantivy::Searcher,
    field: Field,
    from: &[u8],
    below: Option<&[u8]>,
    mut each: impl FnMut(&[u8]),
) -> Result<(), QueryError> {
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let range = inv.terms().range().ge(from);
        let range = match below {
            Some(b) => range.lt(b),
            None => range,
        };
        let mut stream = range
            .into_stream()
            .map_err(|e| QueryError::Index(e.to_string()))?;
        while stream.advance() {
            each(stream.key());
        }
    }
    Ok(())
}

/// Every value a facet field holds in the index, as paths (`/VWS`).
pub(crate) fn facet_values(
    searcher: &tantivy::Searcher,
    field: Field,
) -> Result<BTreeSet<String>, QueryError> {
    let mut out = BTreeSet::new();
    each_term(searcher, field, b"", None, |key| {
        if let Ok(f) = Facet::from_encoded(key.to_vec())
            && !f.is_root()
        {
            out.insert(f.to_path_string());
        }
    })?;
    Ok(out)
}

/// The next path segment under `facet` of every value the field holds below it (`/29279` →
/// `890`, `891`, …), sorted and unique: a range of the term dictionary, not a scan.
pub(crate) fn facet_children(
    searcher: &tantivy::Searcher,
    field: Field,
    facet: &Facet,
) -> Result<BTreeSet<String>, QueryError> {
    // Facet terms are their path segments joined by a 0 byte.
    let prefix = format!("{}\u{0}", facet.encoded_str());
    let end = format!("{}\u{1}", facet.encoded_str());
    let mut out = BTreeSet::new();
    each_term(
        searcher,
        field,
        prefix.as_bytes(),
        Some(end.as_bytes()),
        |key| {
            let child = key[prefix.len()..]
                .split(|&b| b == 0)
                .next()
                .unwrap_or_default();
            out.insert(String::from_utf8_lossy(child).into_owned());
        },
    )?;
    Ok(out)
}

impl Searcher {
    /// Opens the index in `dir` for searching.
    ///
    /// # Errors
    /// [`QueryError::Index`] when there is no (compatible) index.
    pub fn open(dir: &Path) -> Result<Searcher, QueryError> {
        let index = KamerIndex::open(dir)?;
        Searcher::from_index(index)
    }

    /// Wraps an already open index.
    ///
    /// # Errors
    /// [`QueryError::Index`] when the segments cannot be opened.
    pub fn from_index(index: KamerIndex) -> Result<Searcher, QueryError> {
        let reader = index.reader()?;
        Ok(Searcher {
            index,
            reader,
            columns: Default::default(),
        })
    }

    /// The open index.
    pub fn index(&self) -> &KamerIndex {
        &self.index
    }

    /// Picks up the latest commit now (readers also follow commits on their own, shortly after).
    ///
    /// # Errors
    /// When the new segments cannot be opened.
    pub fn reload(&self) -> Result<(), QueryError> {
        self.reader.reload()?;
        Ok(())
    }

    /// Counts of what the index holds.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn stats(&self) -> Result<IndexStats, QueryError> {
        Ok(self.index.stats()?)
    }

    /// Answers many requests in parallel; results come back in input order.
    pub fn search_batch(
        &self,
        requests: &[SearchRequest],
    ) -> Vec<Result<SearchResults, QueryError>> {
        // The requests already keep every core busy; each searches its segments in turn.
        let single = Executor::single_thread();
        requests
            .par_iter()
            .map(|r| self.search_with(r, &single))
            .collect()
    }

    /// Answers one request, searching the index's segments in parallel.
    ///
    /// # Errors
    /// [`QueryError`] saying where and why the request is wrong (unknown field or facet value
    /// with the nearest valid ones, bad date, too expensive a query) or that the index failed.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, QueryError> {
        // Inside a rayon task (a batch, or a caller's own parallel loop) the cores are busy
        // already, and waiting on another pool from a worker makes rayon run further tasks on
        // this stack meanwhile: nested searches until the stack overflows.
        // A small index, or one segment, is searched on this thread alone: handing segments to
        // the pool and waiting for them cost more than it saved (see `PARALLEL_MIN_SECTIONS`).
        match self.segment_executor() {
            Some(executor) if rayon::current_thread_index().is_none() && self.worth_parallel() => {
                self.search_with(req, executor)
            }
            _ => self.search_with(req, &Executor::single_thread()),
        }
    }

    /// Whether the index is large enough, and split into segments, for a search to run them
    /// side by side.
    fn worth_parallel(&self) -> bool {
        let searcher = self.reader.searcher();
        searcher.segment_readers().len() >= 2 && searcher.num_docs() >= PARALLEL_MIN_SECTIONS
    }

    /// The thread pool that searches segments side by side, made on first use; `None` on a
    /// machine with one core.
    fn segment_executor(&self) -> Option<&Executor> {
        static POOL: OnceLock<Option<Executor>> = OnceLock::new();
        POOL.get_or_init(|| {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            if n < 2 {
                return None;
            }
            Executor::multi_thread(n, "kamerzoek-search-").ok()
        })
        .as_ref()
    }

    fn search_with(
        &self,
        req: &SearchRequest,
        executor: &Executor,
    ) -> Result<SearchResults, QueryError> {
        let started = Instant::now();
        if req.limit > MAX_LIMIT || req.offset > MAX_LIMIT * 10 {
            return Err(QueryError::InvalidRequest(format!(
                "limit must be at most {MAX_LIMIT} (and offset at most {})",
                MAX_LIMIT * 10
            )));
        }
        if req.query.chars().count() > 10_000 {
            return Err(QueryError::TooExpensive {
                pos: 10_000,
                reason: "query longer than 10,000 characters".into(),
            });
        }
        let searcher = self.reader.searcher();
        let tree = parse::parse(&req.query);
        let query = compile::Compiler::new(&self.index, &searcher).compile(&tree, &req.filters)?;

        let globals = if req.facets {
            self.columns
                .globals(searcher.segment_readers(), FACET_NAMES)?
        } else {
            None
        };
        let collector = collect::GroupCollector {
            facets: if req.facets {
                FACET_NAMES.to_vec()
            } else {
                Vec::new()
            },
            keep_sections: req.group == Grouping::Section,
            cache: self.columns.clone(),
            globals,
        };
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.columns.retain(&live);
        // One weight for the segment pass and for re-scoring the page's further sections.
        let run = |query: &dyn Query| -> Result<_, QueryError> {
            let weight = query.weight(EnableScoring::enabled_from_searcher(&searcher))?;
            let fruits = executor.map(
                |(ord, reader)| {
                    collector.collect_segment(weight.as_ref(), ord as SegmentOrdinal, reader)
                },
                searcher.segment_readers().iter().enumerate(),
            )?;
            let fruit = collector.merge_fruits(fruits)?;
            Ok((weight, fruit))
        };
        let (mut weight, mut fruit) = run(query.as_ref())?;
        let mut query = query;
        let mut relaxed = false;
        if fruit.groups.iter().all(Vec::is_empty)
            && req.relax
            && let Some(any) = parse::any_word(&req.query)
        {
            // Sections holding a third of the words first: one common word of a long query
            // says little, and an answer of nearly the whole index counts facets of nothing in
            // particular. Then any one word, where no section holds a third.
            let words = match &any {
                parse::Node::Bool(clauses) => clauses.len(),
                parse::Node::Leaf { .. } => 1,
            };
            let shares: &[Option<usize>] = if words.div_ceil(RELAX_SHARE) > 1 {
                &[Some(RELAX_SHARE), None]
            } else {
                &[None]
            };
            for &share in shares {
                let mut compiler = compile::Compiler::new(&self.index, &searcher);
                compiler.min_should_share = share;
                let q = compiler.compile(&any, &req.filters)?;
                (weight, fruit) = run(q.as_ref())?;
                query = q;
                relaxed = !fruit.groups.iter().all(Vec::is_empty);
                if relaxed {
                    break;
                }
            }
        }
        let total_documents = fruit.groups.iter().map(Vec::len).sum::<usize>() as u64;
        let total_sections = fruit.sections;

        // Ties are broken by document key and address, so equal queries give equal pages.
        let tiebreak = |a: &Candidate, b: &Candidate| a.key.cmp(&b.key).then(a.addr.cmp(&b.addr));
        let undated_last = |d: i64| if d == i64::MIN { i64::MAX } else { d };
        let order = |a: &Candidate, b: &Candidate| match req.sort {
            Sort::Relevance => b.score.total_cmp(&a.score).then_with(|| tiebreak(a, b)),
            Sort::Date => b
                .date
                .cmp(&a.date)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| tiebreak(a, b)),
            Sort::DateAsc => undated_last(a.date)
                .cmp(&undated_last(b.date))
                .then(b.score.total_cmp(&a.score))
                .then_with(|| tiebreak(a, b)),
        };
        // Candidates: documents, or every matching section.
        // Only the requested page is ordered: the order is total, so the first `offset + limit`
        // under it, sorted, are the page that sorting everything would give.
        let want = req.offset + req.limit;
        let cands: Vec<Candidate> = match req.group {
            Grouping::Document => first_k(
                fruit.groups.iter().flatten().map(|g| Candidate {
                    score: g.score,
                    date: g.date,
                    key: g.key,
                    addr: DocAddress::new(g.segment, g.best),
                    group: Some(*g),
                }),
                want,
                order,
            ),
            Grouping::Section => {
                let dates: HashMap<u64, (i64, u64)> = fruit
                    .groups
                    .iter()
                    .flatten()
                    .map(|g| {
                        (
                            (u64::from(g.segment) << 32) | u64::from(g.first),
                            (g.date, g.key),
                        )
                    })
                    .collect();
                // Sections arrive in document order, so each belongs to the last group
                // that started at or before it in its segment.
                let mut starts: Vec<(SegmentOrdinal, DocId)> = fruit
                    .groups
                    .iter()
                    .flatten()
                    .map(|g| (g.segment, g.first))
                    .collect();
                starts.sort_unstable();
                let sections = fruit.sections_scored.iter().map(|&(score, seg, doc)| {
                    let i = starts.partition_point(|s| *s <= (seg, doc)) - 1;
                    let (s_seg, s_first) = starts[i];
                    let (date, key) = dates[&((u64::from(s_seg) << 32) | u64::from(s_first))];
                    Candidate {
                        score,
                        date,
                        key,
                        addr: DocAddress::new(seg, doc),
                        group: None,
                    }
                });
                first_k(sections, want, order)
            }
        };
        let page: Vec<_> = cands.into_iter().skip(req.offset).collect();

        let snippets = if page.is_empty() {
            None
        } else {
            Some(self.highlighter(&searcher, &*query)?)
        };
        // The further sections of a document hit are scored again: the collector keeps only
        // each document's best one, which spares a list per matching document.
        let extra = req.sections_per_hit.max(1) - 1;
        let mut hits = Vec::with_capacity(page.len());
        for Candidate {
            score, addr, group, ..
        } in page
        {
            // The best section's stored fields serve both its reference and the hit's metadata.
            let doc: TantivyDocument = searcher.doc(addr)?;
            let best = self.section_ref(&searcher, addr, &doc, score, snippets.as_ref())?;
            let meta = self.meta(&doc);
            let mut more_sections = Vec::new();
            if let Some(g) = group
                && g.matching > 1
                && extra > 0
            {
                for (s, a) in more_sections_of(&searcher, weight.as_ref(), &g, extra)? {
                    let d: TantivyDocument = searcher.doc(a)?;
                    more_sections.push(self.section_ref(&searcher, a, &d, s, snippets.as_ref())?);
                }
            }
            hits.push(Hit {
                doc_id: text_of(&doc, self.index.fields().doc_id).unwrap_or_default(),
                kamerstuk: meta.kamerstuk.clone(),
                title: meta.title.clone(),
                doc_type: meta.doc_type.clone(),
                date: meta.date.clone(),
                ministries: meta.ministries.clone(),
                topics: meta.topics.clone(),
                topics_inferred: meta.topics_inferred,
                motions: meta.motions.clone(),
                submitters: meta.submitters.clone(),
                snippet: best.snippet.clone(),
                score,
                section: best,
                source: text_of(&doc, self.index.fields().source).unwrap_or_default(),
                more_sections,
                matching_sections: group.map_or(1, |g| g.matching),
            });
        }

        let mut facets = BTreeMap::new();
        let mut facet_values = BTreeMap::new();
        for (slot, name) in collector.facets.iter().enumerate() {
            let global = collector.globals.as_ref().and_then(|g| g.get(name));
            // The motion field holds both levels; dossiers are reported as their own facet
            // so that `21501-33` (a dossier) and `21501-33` (dossier 21501, nr. 33) differ.
            let split = *name == "motion";
            let levels = collect::top_values(&fruit.facets[slot], global, split, req.facet_limit);
            for (level, (distinct, values)) in levels.iter().enumerate() {
                let out_name = match (split, level) {
                    (true, 0) => "dossier",
                    _ => name,
                };
                facet_values.insert(out_name.to_string(), *distinct);
                let list: Vec<FacetCount> = values
                    .iter()
                    .filter_map(|v| {
                        Some(FacetCount {
                            value: display_encoded(out_name, v.bytes)?,
                            count: v.count,
                        })
                    })
                    .collect();
                if !list.is_empty() {
                    facets.insert(out_name.to_string(), list);
                }
            }
        }
        Ok(SearchResults {
            total: match req.group {
                Grouping::Document => total_documents,
                Grouping::Section => total_sections,
            },
            total_documents,
            total_sections,
            hits,
            facets,
            facet_values,
            relaxed,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The query's body terms, weighted by rarity, for the page's snippets.
    fn highlighter(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Result<snippet::Highlighter, QueryError> {
        let body = self.index.fields().body;
        let mut terms: Vec<tantivy::Term> = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == body && !terms.contains(term) {
                terms.push(term.clone());
            }
        });
        let docs = searcher.num_docs() as f32;
        let mut weighted = Vec::with_capacity(terms.len());
        for t in terms {
            if let Some(text) = t.value().as_str() {
                let df = searcher.doc_freq(&t)? as f32;
                weighted.push((text.to_string(), (1.0 + docs / (df + 1.0)).ln()));
            }
        }
        Ok(snippet::Highlighter::new(self.index.analysis(), weighted))
    }

    fn meta(&self, doc: &TantivyDocument) -> StoredMeta {
        text_of(doc, self.index.fields().meta)
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default()
    }

    fn section_ref(
        &self,
        searcher: &tantivy::Searcher,
        addr: DocAddress,
        doc: &TantivyDocument,
        score: f32,
        snippets: Option<&snippet::Highlighter>,
    ) -> Result<SectionRef, QueryError> {
        let f = self.index.fields();
        let body = text_of(doc, f.body).unwrap_or_default();
        let snippet = snippets
            .map(|h| h.snippet(&body, SNIPPET_CHARS))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| lead(&body, SNIPPET_CHARS));
        let kinds = searcher
            .segment_reader(addr.segment_ord)
            .facet_reader("section")?;
        let mut kind = Facet::root();
        if let Some(ord) = kinds.facet_ords(addr.doc_id).next() {
            kinds.facet_from_ord(ord, &mut kind)?;
        }
        Ok(SectionRef {
            kind: kind
                .to_path()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            heading: text_of(doc, f.heading),
            number: text_of(doc, f.section_number),
            index: doc
                .get_first(f.section_index)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            score,
            snippet,
        })
    }
}

/// The first `k` of `items` under the total order `order`, sorted. At most `2k` items are held
/// at a time, and once `k` are, an item that does not beat the `k`-th is passed over after one
/// comparison: a common word matches hundreds of thousands of documents for a page of ten.
fn first_k<T: Copy>(
    items: impl Iterator<Item = T>,
    k: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<T> {
    if k == 0 {
        return Vec::new();
    }
    let cap = (2 * k).max(64);
    let mut buf: Vec<T> = Vec::with_capacity(cap.min(1 << 16));
    let mut worst: Option<T> = None;
    for item in items {
        if let Some(w) = &worst
            && order(&item, w).is_ge()
        {
            continue;
        }
        buf.push(item);
        if buf.len() >= cap {
            buf.select_nth_unstable_by(k - 1, &order);
            buf.truncate(k);
            worst = Some(buf[k - 1]);
        }
    }
    if buf.len() > k {
        buf.select_nth_unstable_by(k - 1, &order);
        buf.truncate(k);
    }
    buf.sort_unstable_by(order);
    buf
}

/// A hit before its stored fields are read.
#[derive(Clone, Copy)]
struct Candidate {
    score: f32,
    /// Days since the epoch; `i64::MIN` when undated.
    date: i64,
    key: u64,
    addr: DocAddress,
    /// The document's matches (document grouping).
    group: Option<collect::DocGroup>,
}

/// The best `n` matching sections of a document hit other than its best one, by weighted
/// score: its matches are re-scored over the range of sections the collector saw.
fn more_sections_of(
    searcher: &tantivy::Searcher,
    weight: &dyn Weight,
    g: &collect::DocGroup,
    n: usize,
) -> Result<Vec<(f32, DocAddress)>, QueryError> {
    let reader = searcher.segment_reader(g.segment);
    let weights = reader.fast_fields().u64("weight")?;
    let alive = reader.alive_bitset();
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut out: Vec<(f32, DocAddress)> = Vec::new();
    let mut doc = scorer.seek(g.first);
    while doc != TERMINATED && doc <= g.last {
        if doc != g.best && alive.is_none_or(|a| a.is_alive(doc)) {
            let w = weights.first(doc).unwrap_or(1000) as f32 / 1000.0;
            out.push((scorer.score() * w, DocAddress::new(g.segment, doc)));
        }
        doc = scorer.advance();
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.truncate(n);
    Ok(out)
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// [`display_facet`] of an encoded facet (path segments separated by NUL bytes), without the
/// detour through [`Facet`] where no segment needs escaping: a common word's motion facet has
/// hundreds of thousands of values when all are asked for.
fn display_encoded(name: &str, bytes: &[u8]) -> Option<String> {
    let plain = name != "topic" && !bytes.iter().any(|b| matches!(b, b'/' | b'\\'));
    if plain {
        let s = std::str::from_utf8(bytes).ok()?;
        return Some(match name {
            "motion" | "dossier" => s.replace('\0', "-"),
            _ => s.replace('\0', "/"),
        });
    }
    let facet = Facet::from_encoded(bytes.to_vec()).ok()?;
    Some(display_facet(name, &facet.to_path_string()))
}

/// The facet value as users write it: `VWS`, `motie`, `2025`, `29279-890`, topics as paths.
fn display_facet(name: &str, path: &str) -> String {
    match name {
        "topic" => path.to_string(),
        "motion" | "dossier" => path.trim_start_matches('/').replace('/', "-"),
        _ => path.trim_start_matches('/').to_string(),
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `n` characters of a text, cut at a word boundary.
fn lead(text: &str, n: usize) -> String {
    let t = collapse_ws(text);
    if t.chars().count() <= n {
        return t;
    }
    let cut: String = t.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pool now runs only on large indexes, which no other test builds: run it here on the
    /// workspace's samples, indexed in many small commits so that there are several segments.
    #[test]
    fn the_segment_pool_answers_as_one_thread_does() {
        let dir = std::env::temp_dir().join(format!("kamerzoek-query-pool-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = kamerzoek_index::KamerIndex::open_or_create(&dir).unwrap();
        let ingester = kamerzoek_ingest::Ingester::new().unwrap();
        let options = kamerzoek_index::IndexOptions {
            memory_budget: 16 << 20,
            batch_size: 4,
            commit_interval: std::time::Duration::ZERO,
        };
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        kamerzoek_index::index_paths(&index, &ingester, &[corpus], &options, &|_| {}).unwrap();
        let searcher = Searcher::from_index(index).unwrap();
        let segments = searcher.reader.searcher().segment_readers().len();
        assert!(
            segments >= 2,
            "{segments} segment(s): nothing to run side by side"
        );
        let pool = Executor::multi_thread(2, "kamerzoek-test-").unwrap();
        let key = |r: SearchResults| {
            let ids: Vec<String> = r.hits.iter().map(|h| h.doc_id.clone()).collect();
            (r.total, ids, r.facets)
        };
        for query in [
            "opvang",
            "vrouwenopvang",
            "motie",
            "geweld",
            "\"kamer gehoord\"",
        ] {
            let mut req = SearchRequest::new(query);
            for group in [Grouping::Document, Grouping::Section] {
                req.group = group;
                let one = key(searcher
                    .search_with(&req, &Executor::single_thread())
                    .unwrap());
                assert!(one.0 > 0 || query.contains('"'), "{query}: no hits");
                assert_eq!(
                    key(searcher.search_with(&req, &pool).unwrap()),
                    one,
                    "{query}"
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn first_k_is_the_head_of_the_sorted_list() {
        // A deterministic shuffle with repeats; ties broken by position, as search does.
        let items: Vec<(u32, u32)> = (0..5000u32).map(|i| ((i * 7919) % 613, i)).collect();
        let mut sorted = items.clone();
        sorted.sort();
        for k in [0, 1, 10, 63, 64, 65, 500, 4999, 5000, 9000] {
            let got = first_k(items.iter().copied(), k, |a, b| a.cmp(b));
            assert_eq!(got, sorted[..k.min(sorted.len())], "k = {k}");
        }
    }

    #[test]
    fn encoded_facets_display_as_their_paths_do() {
        for (name, path) in [
            ("motion", vec!["29279", "890"]),
            ("dossier", vec!["36725-XVI"]),
            ("motion", vec!["21501-33", "1104"]),
            ("ministry", vec!["VWS"]),
            ("topic", vec!["Zorg en gezondheid", "Organisatie en beleid"]),
            ("motion", vec!["a/b", "1"]),
        ] {
            let facet = Facet::from_path(path.iter().copied());
            assert_eq!(
                display_encoded(name, facet.encoded_str().as_bytes()),
                Some(display_facet(name, &facet.to_path_string())),
                "{name} {path:?}"
            );
        }
    }
}
