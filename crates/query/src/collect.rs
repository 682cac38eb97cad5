//! One pass over every matching section: groups sections into documents, keeps each document's
//! best section, and counts facet values per distinct document.
//!
//! Facets count documents, not sections, over the whole result set (no cap): the sections of a
//! document are written in one batch and so live, contiguous, in one segment. A document is
//! therefore one run of consecutive matches, which needs neither a hash map nor a per-document
//! allocation, and its document-level facets (everything but the section kind, which
//! `convert.rs` writes identically on every section) are counted once, at its first match.
//!
//! Facet values stay segment-local ordinals until the harvest. On a searcher's first search of an
//! index version the harvest resolves the values that occurred into one byte arena per segment
//! and [`top_values`] adds them up in one sorted merge; from the second search on, the
//! version's global numbering (`ordinals.rs`) turns them into global ordinals and the merge is
//! a sum over an array. Either way no string is built for a value that is not returned.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};

use crate::columns::{ColumnCache, NO_KIND, SegmentColumns};
use crate::ordinals::{GlobalFacet, GlobalFacets};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The document-level facets, in the order [`SegmentColumns`] decodes them.
pub(crate) const DOC_FACETS: &[&str] = &["ministry", "topic", "motion", "type", "year"];

/// The facet field that differs per section; all others are document-level.
pub(crate) const SECTION_FACET: &str = "section";

thread_local! {
    /// Zeroed count arrays (and touched lists) of earlier searches on this thread. A segment's
    /// motion facet has hundreds of thousands of values at a million sections; a fresh zeroed
    /// array per search and segment cost more in page faults than the counting itself.
    static COUNTERS: std::cell::RefCell<Vec<(Vec<u32>, Vec<u32>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Counts by ordinal, over `0..len`. The array comes from the thread's pool and goes back
/// zeroed, and the counter notes each ordinal it first counts: a search that touches a few
/// hundred of a facet's values then neither clears nor scans all of them. At 100k sections
/// clearing and scanning whole arrays was a fifth of the instructions that facet counting adds
/// to a search (cachegrind of `benches/latency.rs`).
pub(crate) struct Counter {
    counts: Vec<u32>,
    touched: Vec<u32>,
    len: usize,
}

impl Counter {
    /// A counter of `len` ordinals, all zero.
    pub(crate) fn new(len: usize) -> Counter {
        let (mut counts, mut touched) = COUNTERS.with(|p| p.borrow_mut().pop()).unwrap_or_default();
        // Pooled arrays are all zero (see `into_counts`), so only a longer one needs filling.
        if counts.len() < len {
            counts.resize(len, 0);
        }
        touched.clear();
        Counter {
            counts,
            touched,
            len,
        }
    }

    /// Adds `by` to `ord`'s count; an ordinal out of range is ignored.
    #[inline]
    pub(crate) fn add(&mut self, ord: usize, by: u32) {
        if ord < self.len && by > 0 {
            let c = &mut self.counts[ord];
            if *c == 0 {
                self.touched.push(ord as u32);
            }
            *c += by;
        }
    }

    /// The (ordinal, count) of every ordinal counted, in ordinal order; the array goes back to
    /// the pool zeroed.
    pub(crate) fn into_counts(mut self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.touched.len());
        // Sorting the touched ordinals beats a scan of the array unless most were touched.
        if self.touched.len() * 16 < self.len {
            self.touched.sort_unstable();
            for &o in &self.touched {
                let c = &mut self.counts[o as usize];
                out.push((o, *c));
                *c = 0;
            }
        } else {
            for (o, c) in self.counts[..self.len].iter_mut().enumerate() {
                if *c > 0 {
                    out.push((o as u32, *c));
                    *c = 0;
                }
            }
        }
        COUNTERS.with(|p| {
            let mut pool = p.borrow_mut();
            // Enough for every facet of a many-segment index; more would only hold memory.
            if pool.len() < 64 {
                pool.push((
                    std::mem::take(&mut self.counts),
                    std::mem::take(&mut self.touched),
                ));
            }
        });
        out
    }
}

/// A matching document in one segment: its best section and the range of its matches.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocGroup {
    pub key: u64,
    pub segment: SegmentOrdinal,
    /// Best (weighted) section score and that section.
    pub score: Score,
    pub best: DocId,
    /// First and last matching section (the document's sections are contiguous).
    pub first: DocId,
    pub last: DocId,
    pub matching: u64,
    /// Days since the epoch, `i64::MIN` when undated.
    pub date: i64,
}

impl DocGroup {
    /// A document's first matching section.
    fn start(key: u64, segment: SegmentOrdinal, score: Score, doc: DocId, date: i64) -> DocGroup {
        DocGroup {
            key,
            segment,
            score,
            best: doc,
            first: doc,
            last: doc,
            matching: 1,
            date,
        }
    }

    /// A further matching section of the same document.
    fn add(&mut self, doc: DocId, score: Score) {
        self.matching += 1;
        self.last = doc;
        // Strictly better only: on equal scores the earlier section stays best.
        if score > self.score {
            self.score = score;
            self.best = doc;
        }
    }
}

/// The values of one facet field that occurred in one segment, sorted by their encoded bytes
/// (the order of the facet dictionary), with document counts.
#[derive(Debug, Default)]
pub(crate) struct FacetValues {
    arena: Vec<u8>,
    /// (start, end) into `arena`, and the count.
    entries: Vec<(u32, u32, u64)>,
}

impl FacetValues {
    fn bytes(&self, i: usize) -> &[u8] {
        let (a, b, _) = self.entries[i];
        &self.arena[a as usize..b as usize]
    }
}

/// One segment's counts of one facet field.
#[derive(Debug)]
pub(crate) enum SegmentFacet {
    /// The values, resolved to their bytes.
    Values(FacetValues),
    /// (global ordinal, count) for the values that occurred, in global order.
    Global(Vec<(u32, u32)>),
}

pub(crate) struct Fruit {
    /// Per segment: merging them into one list copied megabytes for a common word.
    pub groups: Vec<Vec<DocGroup>>,
    /// Every matching section with its weighted score (section grouping only).
    pub sections_scored: Vec<(Score, SegmentOrdinal, DocId)>,
    /// Per facet name (in collector order), per segment.
    pub facets: Vec<Vec<SegmentFacet>>,
    pub sections: u64,
}

pub(crate) struct GroupCollector {
    pub facets: Vec<&'static str>,
    /// The searcher's decoded columns of earlier searches.
    pub cache: Arc<ColumnCache>,
    /// Keep every matching section with its score (section grouping).
    pub keep_sections: bool,
    /// The index version's global facet numbering, once the cache has it.
    pub globals: Option<Arc<GlobalFacets>>,
}

pub(crate) struct SegmentGroups {
    segment: SegmentOrdinal,
    keep_sections: bool,
    doc_key: Column<u64>,
    weight: Column<u64>,
    date: Option<Column<tantivy::DateTime>>,
    /// The segment's decoded columns, when the cache has them.
    cols: Option<Arc<SegmentColumns>>,
    /// Document-level facets: slot, reader, counts by ordinal, and the facet's place in
    /// [`DOC_FACETS`] (the order of [`SegmentColumns::run_facet`]). The reader is `None` when
    /// neither counting (decoded columns) nor the harvest (a global numbering) needs it:
    /// opening one decodes its column's headers, on every search.
    doc_facets: Vec<(usize, Option<FacetReader>, Counter, usize)>,
    /// The section facet, if counted: its slot, reader, counts, and the ordinals the current
    /// document already counted.
    section_facet: Option<(usize, Option<FacetReader>, Counter, Vec<u64>)>,
    slots: usize,
    names: Vec<&'static str>,
    globals: Option<Arc<GlobalFacets>>,
    /// Scratch buffer for one section's ordinals.
    ords: Vec<u64>,
    groups: Vec<DocGroup>,
    sections_scored: Vec<(Score, SegmentOrdinal, DocId)>,
    sections: u64,
}

impl Collector for GroupCollector {
    type Fruit = Fruit;
    type Child = SegmentGroups;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentGroups> {
        let ff = reader.fast_fields();
        let cols = self.cache.get(reader, DOC_FACETS)?;
        let mut doc_facets = Vec::new();
        let mut section_facet = None;
        for (slot, name) in self.facets.iter().enumerate() {
            let global = self.globals.as_ref().and_then(|g| g.get(name));
            let known_len = cols
                .as_ref()
                .zip(global)
                .and_then(|(c, _)| c.facet_len(name));
            let (reader, len) = match known_len {
                Some(len) => (None, len),
                None => {
                    let fr = reader.facet_reader(name)?;
                    let len = fr.num_facets();
                    (Some(fr), len)
                }
            };
            let counts = Counter::new(len);
            if *name == SECTION_FACET {
                section_facet = Some((slot, reader, counts, Vec::new()));
            } else {
                let at = DOC_FACETS.iter().position(|n| n == name).unwrap_or(0);
                doc_facets.push((slot, reader, counts, at));
            }
        }
        Ok(SegmentGroups {
            cols,
            segment,
            keep_sections: self.keep_sections,
            doc_key: ff.u64("doc_key")?,
            weight: ff.u64("weight")?,
            date: ff.date("date").ok(),
            doc_facets,
            section_facet,
            slots: self.facets.len(),
            names: self.facets.clone(),
            globals: self.globals.clone(),
            ords: Vec::new(),
            groups: Vec::new(),
            sections_scored: Vec::new(),
            sections: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut out = Fruit {
            groups: Vec::new(),
            sections_scored: Vec::new(),
            facets: (0..self.facets.len()).map(|_| Vec::new()).collect(),
            sections: 0,
        };
        for fr in fruits {
            out.groups.extend(fr.groups);
            out.sections_scored.extend(fr.sections_scored);
            out.sections += fr.sections;
            for (slot, values) in fr.facets.into_iter().enumerate() {
                out.facets[slot].extend(values);
            }
        }
        Ok(out)
    }
}

impl SegmentGroups {
    /// [`SegmentCollector::collect`] on decoded columns: the same groups and counts.
    fn collect_decoded(&mut self, cols: &SegmentColumns, doc: DocId, score: Score) {
        self.sections += 1;
        let d = doc as usize;
        let run = cols.run_of[d];
        let score = score * (Score::from(cols.weight[d]) / 1000.0);
        if self.keep_sections {
            self.sections_scored.push((score, self.segment, doc));
        }
        let key = cols.run_key[run as usize];
        match self.groups.last_mut() {
            Some(g) if g.key == key => g.add(doc, score),
            _ => {
                self.groups.push(DocGroup::start(
                    key,
                    self.segment,
                    score,
                    doc,
                    cols.run_date[run as usize],
                ));
                let r = run as usize;
                for (_, _, counts, at) in &mut self.doc_facets {
                    for &ord in cols.run_facet(r, *at) {
                        counts.add(ord as usize, 1);
                    }
                }
                if let Some((_, _, _, seen)) = &mut self.section_facet {
                    seen.clear();
                }
            }
        }
        if let Some((_, _, counts, seen)) = &mut self.section_facet {
            let kind = cols.section_kind[d];
            if kind != NO_KIND && !seen.contains(&u64::from(kind)) {
                seen.push(u64::from(kind));
                counts.add(kind as usize, 1);
            }
        }
    }
}

impl SegmentCollector for SegmentGroups {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Taken and put back rather than cloned: an atomic count per match is measurable.
        if let Some(cols) = self.cols.take() {
            self.collect_decoded(&cols, doc, score);
            self.cols = Some(cols);
            return;
        }
        self.sections += 1;
        let key = self.doc_key.first(doc).unwrap_or(u64::MAX);
        let weight = self.weight.first(doc).unwrap_or(1000) as Score / 1000.0;
        let score = score * weight;
        if self.keep_sections {
            self.sections_scored.push((score, self.segment, doc));
        }
        let same_doc = self.groups.last().is_some_and(|g| g.key == key);
        if same_doc {
            self.groups
                .last_mut()
                .expect("checked above")
                .add(doc, score);
        } else {
            let date = self
                .date
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs() / 86_400)
                .unwrap_or(i64::MIN);
            self.groups
                .push(DocGroup::start(key, self.segment, score, doc, date));
            let buf = &mut self.ords;
            for (_, reader, counts, _) in &mut self.doc_facets {
                // A value written twice on a section still counts its document once.
                buf.clear();
                buf.extend(reader.iter().flat_map(|r| r.facet_ords(doc)));
                buf.sort_unstable();
                buf.dedup();
                for &ord in buf.iter() {
                    counts.add(ord as usize, 1);
                }
            }
            if let Some((_, _, _, seen)) = &mut self.section_facet {
                seen.clear();
            }
        }
        if let Some((_, reader, counts, seen)) = &mut self.section_facet {
            for ord in reader.iter().flat_map(|r| r.facet_ords(doc)) {
                if !seen.contains(&ord) {
                    seen.push(ord);
                    counts.add(ord as usize, 1);
                }
            }
        }
    }

    fn harvest(self) -> Fruit {
        let mut facets: Vec<Vec<SegmentFacet>> = (0..self.slots).map(|_| Vec::new()).collect();
        let section = self
            .section_facet
            .map(|(slot, reader, counts, _)| (slot, reader, counts));
        let doc_facets = self
            .doc_facets
            .into_iter()
            .map(|(slot, reader, counts, _)| (slot, reader, counts));
        for (slot, reader, counts) in doc_facets.chain(section) {
            let counted = counts.into_counts();
            if let Some(global) = self.globals.as_ref().and_then(|g| g.get(self.names[slot])) {
                let seg = self.segment as usize;
                let hits = counted
                    .iter()
                    .map(|&(ord, c)| (global.global(seg, ord as usize), c))
                    .collect();
                facets[slot].push(SegmentFacet::Global(hits));
                continue;
            }
            let mut values = FacetValues {
                arena: Vec::new(),
                entries: Vec::with_capacity(counted.len()),
            };
            // Without a global numbering the reader was opened (see `for_segment`).
            if let Some(reader) = reader {
                let ords: Vec<u64> = counted.iter().map(|&(ord, _)| u64::from(ord)).collect();
                // One sorted pass over the facet dictionary: looking each ordinal up on its own
                // decompresses its dictionary block again, which cost hundreds of milliseconds
                // for a common word's thousands of motion values.
                let mut at = 0;
                let _ = reader.facet_dict().sorted_ords_to_term_cb(&ords, |bytes| {
                    let start = values.arena.len() as u32;
                    values.arena.extend_from_slice(bytes);
                    values.entries.push((
                        start,
                        values.arena.len() as u32,
                        u64::from(counted[at].1),
                    ));
                    at += 1;
                });
            }
            facets[slot].push(SegmentFacet::Values(values));
        }
        Fruit {
            groups: vec![self.groups],
            sections_scored: self.sections_scored,
            facets,
            sections: self.sections,
        }
    }
}

/// A facet value (its encoded bytes) and its document count.
pub(crate) struct MergedValue<'a> {
    pub bytes: &'a [u8],
    pub count: u64,
}

/// One facet field's most frequent values over all segments: per level (with `split`, values
/// without a parent first, then nested ones; else one list), the number of distinct values and
/// the first `limit` (0: all) by count, then by encoded bytes. `global` is the numbering the
/// segments' counts use, if they use one.
pub(crate) fn top_values<'a>(
    segments: &'a [SegmentFacet],
    global: Option<&'a GlobalFacet>,
    split: bool,
    limit: usize,
) -> Vec<(u64, Vec<MergedValue<'a>>)> {
    let mut values = Vec::with_capacity(segments.len());
    let mut hits = Vec::with_capacity(segments.len());
    for s in segments {
        match s {
            SegmentFacet::Values(v) => values.push(v),
            SegmentFacet::Global(h) => hits.push(h.as_slice()),
        }
    }
    match global {
        Some(global) if values.is_empty() => top_global(&hits, global, split, limit),
        _ => top_resolved(merge_values(&values), split, limit),
    }
}

/// The first `limit` of `values` (0: all) under `order`, sorted.
fn top<T>(values: &mut Vec<T>, limit: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let n = if limit == 0 {
        values.len()
    } else {
        limit.min(values.len())
    };
    if n > 0 && n < values.len() {
        values.select_nth_unstable_by(n - 1, &order);
        values.truncate(n);
    }
    values.sort_unstable_by(order);
}

/// With `split`, `values` as two levels: those without a parent, then the nested ones; else
/// one level.
fn levels<T>(values: Vec<T>, split: bool, nested: impl Fn(&T) -> bool) -> Vec<Vec<T>> {
    if split {
        let (top, below): (Vec<_>, Vec<_>) = values.into_iter().partition(|v| !nested(v));
        vec![top, below]
    } else {
        vec![values]
    }
}

/// [`top_values`] on values resolved per segment.
fn top_resolved(
    merged: Vec<MergedValue<'_>>,
    split: bool,
    limit: usize,
) -> Vec<(u64, Vec<MergedValue<'_>>)> {
    levels(merged, split, |v| v.bytes.contains(&0))
        .into_iter()
        .map(|mut values| {
            let distinct = values.len() as u64;
            top(&mut values, limit, |a, b| {
                b.count.cmp(&a.count).then_with(|| a.bytes.cmp(b.bytes))
            });
            (distinct, values)
        })
        .collect()
}

/// [`top_values`] on global ordinals: counts summed by ordinal, ranked on integers (global
/// order is byte order), and only the values returned looked up.
fn top_global<'a>(
    segments: &[&[(u32, u32)]],
    global: &'a GlobalFacet,
    split: bool,
    limit: usize,
) -> Vec<(u64, Vec<MergedValue<'a>>)> {
    let summed: Vec<(u32, u32)> = match segments {
        [] => Vec::new(),
        [one] => one.to_vec(),
        _ => {
            let mut sums = Counter::new(global.len());
            for seg in segments {
                for &(g, c) in *seg {
                    sums.add(g as usize, c);
                }
            }
            sums.into_counts()
        }
    };
    levels(summed, split, |(g, _)| global.is_nested(*g))
        .into_iter()
        .map(|mut values| {
            let distinct = values.len() as u64;
            top(&mut values, limit, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let values = values
                .into_iter()
                .map(|(g, count)| MergedValue {
                    bytes: global.bytes(g),
                    count: u64::from(count),
                })
                .collect();
            (distinct, values)
        })
        .collect()
}

/// A merge of the segments' sorted lists of resolved values.
fn merge_values<'a>(segments: &[&'a FacetValues]) -> Vec<MergedValue<'a>> {
    let mut out: Vec<MergedValue<'_>> = Vec::new();
    match segments {
        [] => {}
        [one] => {
            out.extend((0..one.entries.len()).map(|i| MergedValue {
                bytes: one.bytes(i),
                count: one.entries[i].2,
            }));
        }
        _ => {
            // A k-way merge on the segments' heads, smallest encoded value first.
            let mut heap: BinaryHeap<Reverse<(&[u8], usize, usize)>> = segments
                .iter()
                .enumerate()
                .filter(|(_, fv)| !fv.entries.is_empty())
                .map(|(s, fv)| Reverse((fv.bytes(0), s, 0)))
                .collect();
            while let Some(Reverse((bytes, s, i))) = heap.pop() {
                let count = segments[s].entries[i].2;
                match out.last_mut() {
                    Some(last) if last.bytes == bytes => last.count += count,
                    _ => out.push(MergedValue { bytes, count }),
                }
                if i + 1 < segments[s].entries.len() {
                    heap.push(Reverse((segments[s].bytes(i + 1), s, i + 1)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(items: &[(&str, u64)]) -> FacetValues {
        let mut fv = FacetValues::default();
        for (s, c) in items {
            let start = fv.arena.len() as u32;
            fv.arena.extend_from_slice(s.as_bytes());
            fv.entries.push((start, fv.arena.len() as u32, *c));
        }
        fv
    }

    #[test]
    fn counter_gives_counts_in_ordinal_order_and_leaves_its_array_zeroed() {
        // Few touched ordinals (sorted list) and most of them (scan): the same answer.
        for (len, ords) in [(1000, vec![7, 3, 7, 999, 0]), (4, vec![3, 1, 3, 0, 2, 9])] {
            let mut c = Counter::new(len);
            for &o in &ords {
                c.add(o, 1);
            }
            c.add(1, 0);
            let mut want: Vec<(u32, u32)> = Vec::new();
            let mut sorted: Vec<usize> = ords.iter().copied().filter(|&o| o < len).collect();
            sorted.sort_unstable();
            for o in sorted {
                match want.last_mut() {
                    Some((last, n)) if *last as usize == o => *n += 1,
                    _ => want.push((o as u32, 1)),
                }
            }
            assert_eq!(c.into_counts(), want);
            // The pooled array comes back zeroed: a new counter sees none of the old counts.
            let mut again = Counter::new(len);
            again.add(2, 5);
            assert_eq!(again.into_counts(), vec![(2, 5)]);
        }
    }

    #[test]
    fn merge_adds_up_equal_values_then_ranks_by_count_and_bytes() {
        let segs = [
            values(&[("a", 1), ("c", 2), ("d", 1)]),
            values(&[("b", 5), ("c", 3)]),
            values(&[]),
            values(&[("d", 4), ("e", 1)]),
        ]
        .map(SegmentFacet::Values);
        let levels = top_values(&segs, None, false, 0);
        assert_eq!(levels.len(), 1);
        assert_eq!(levels[0].0, 5);
        let got: Vec<(String, u64)> = levels[0]
            .1
            .iter()
            .map(|v| (String::from_utf8(v.bytes.to_vec()).unwrap(), v.count))
            .collect();
        let want: Vec<(String, u64)> = [("b", 5), ("c", 5), ("d", 5), ("a", 1), ("e", 1)]
            .iter()
            .map(|(s, c)| (s.to_string(), *c))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn split_levels_count_distinct_values_before_the_limit() {
        let segs = [
            values(&[("1", 1), ("1\u{0}2", 1), ("1\u{0}3", 2)]),
            values(&[("1\u{0}3", 1), ("4", 2), ("4\u{0}5", 1)]),
        ]
        .map(SegmentFacet::Values);
        let levels = top_values(&segs, None, true, 1);
        type Shown<'a> = Vec<(&'a [u8], u64)>;
        let shown: Vec<(u64, Shown<'_>)> = levels
            .iter()
            .map(|(n, v)| (*n, v.iter().map(|v| (v.bytes, v.count)).collect()))
            .collect();
        assert_eq!(
            shown,
            vec![(2, vec![(&b"4"[..], 2)]), (3, vec![(&b"1\x003"[..], 3)]),]
        );
    }
}
