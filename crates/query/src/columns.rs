//! The per-section columns the collector reads for every match, decoded once per segment into
//! plain arrays for a searcher that answers many queries.
//!
//! tantivy's columns are compressed (bitpacked, blockwise linear) and its multi-valued facet
//! columns go through an index per read; at a million sections a common word reads them for
//! most of the index, and that decoding was most of the query's time. A segment's files never
//! change, so its decoded columns stay valid for as long as the segment exists. A segment is
//! decoded on the second search that touches it, so a one-off command-line search does not pay
//! for a pass over the whole index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::ordinals::GlobalFacets;

/// No section kind (or a document without sections).
pub(crate) const NO_KIND: u32 = u32::MAX;

/// Decoded columns of one segment. A *run* is a document: its sections are consecutive.
#[derive(Debug)]
pub(crate) struct SegmentColumns {
    /// Section → run.
    pub run_of: Vec<u32>,
    pub run_key: Vec<u64>,
    /// Days since the epoch, `i64::MIN` when undated.
    pub run_date: Vec<i64>,
    /// Section weight ×1000.
    pub weight: Vec<u16>,
    /// Section → ordinal of its kind in the section facet, [`NO_KIND`] when none.
    pub section_kind: Vec<u32>,
    /// Document-level facet ordinals of all facets together, run after run: run `r` is
    /// `facet_ords[facet_start[r]..facet_start[r + 1]]`, which holds first one end per facet
    /// (in the order `build` was given them, relative to the end of these ends), then each
    /// facet's ordinals in turn. Counting a new document then reads one or two cache lines,
    /// where an ends array and an ordinals array per facet cost two misses each.
    facet_start: Vec<u32>,
    facet_ords: Vec<u32>,
    /// How many facets each run holds.
    facet_count: usize,
    /// Distinct values (ordinals) of each facet decoded here and of the section facet.
    facet_lens: Vec<(&'static str, usize)>,
}

impl SegmentColumns {
    /// The ordinals of facet `at` (its place in `build`'s list of facets) of run `r`.
    #[inline]
    pub fn run_facet(&self, r: usize, at: usize) -> &[u32] {
        let region =
            &self.facet_ords[self.facet_start[r] as usize..self.facet_start[r + 1] as usize];
        let (ends, ords) = region.split_at(self.facet_count);
        let from = if at == 0 { 0 } else { ends[at - 1] as usize };
        &ords[from..ends[at] as usize]
    }

    /// How many distinct values `facet` has in this segment, if it is one decoded here.
    pub fn facet_len(&self, facet: &str) -> Option<usize> {
        self.facet_lens
            .iter()
            .find(|(name, _)| *name == facet)
            .map(|(_, n)| *n)
    }

    fn build(reader: &SegmentReader, doc_facets: &[&'static str]) -> tantivy::Result<Self> {
        let ff = reader.fast_fields();
        let doc_key = ff.u64("doc_key")?;
        let weight = ff.u64("weight")?;
        let date = ff.date("date").ok();
        let kinds = reader.facet_reader(super::collect::SECTION_FACET)?;
        let readers = doc_facets
            .iter()
            .map(|n| reader.facet_reader(n).map(|r| (*n, r)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let n = reader.max_doc() as usize;
        let mut c = SegmentColumns {
            run_of: Vec::with_capacity(n),
            run_key: Vec::new(),
            run_date: Vec::new(),
            weight: Vec::with_capacity(n),
            section_kind: Vec::with_capacity(n),
            facet_start: vec![0],
            facet_ords: Vec::new(),
            facet_count: readers.len(),
            facet_lens: readers
                .iter()
                .map(|(name, r)| (*name, r.num_facets()))
                .chain([(super::collect::SECTION_FACET, kinds.num_facets())])
                .collect(),
        };
        let mut buf: Vec<u64> = Vec::new();
        let mut run: Vec<u32> = Vec::new();
        for doc in 0..n as DocId {
            let key = doc_key.first(doc).unwrap_or(u64::MAX);
            if c.run_key.last() != Some(&key) || c.run_key.is_empty() {
                c.run_key.push(key);
                c.run_date.push(
                    date.as_ref()
                        .and_then(|d| d.first(doc))
                        .map(|d| d.into_timestamp_secs() / 86_400)
                        .unwrap_or(i64::MIN),
                );
                run.clear();
                let ends = c.facet_ords.len();
                c.facet_ords.extend(std::iter::repeat_n(0, readers.len()));
                for (i, (_, r)) in readers.iter().enumerate() {
                    // A value written twice on a section still counts its document once.
                    buf.clear();
                    buf.extend(r.facet_ords(doc));
                    buf.sort_unstable();
                    buf.dedup();
                    run.extend(buf.iter().map(|&o| o as u32));
                    c.facet_ords[ends + i] = run.len() as u32;
                }
                c.facet_ords.extend_from_slice(&run);
                c.facet_start.push(c.facet_ords.len() as u32);
            }
            c.run_of.push(c.run_key.len() as u32 - 1);
            c.weight
                .push(weight.first(doc).unwrap_or(1000).min(u64::from(u16::MAX)) as u16);
            c.section_kind
                .push(kinds.facet_ords(doc).next().map_or(NO_KIND, |o| o as u32));
        }
        Ok(c)
    }
}

/// Decoded columns of the segments in use, shared by the clones of a searcher.
#[derive(Debug, Default)]
pub(crate) struct ColumnCache {
    inner: Mutex<CacheState>,
    globals: Mutex<GlobalState>,
}

/// The global facet numbering of the newest index version searched, built on its second
/// search like the columns.
#[derive(Debug, Default)]
struct GlobalState {
    /// The version last asked for and how often.
    seen: (Vec<SegmentId>, u32),
    built: Option<Arc<GlobalFacets>>,
}

#[derive(Debug, Default)]
struct CacheState {
    /// Searches that touched a segment not decoded yet.
    seen: HashMap<SegmentId, u32>,
    columns: HashMap<SegmentId, Arc<SegmentColumns>>,
}

impl ColumnCache {
    /// The decoded columns of `reader`'s segment, decoding them if this is the second search
    /// that asks; `None` means: read tantivy's columns directly.
    pub fn get(
        &self,
        reader: &SegmentReader,
        doc_facets: &[&'static str],
    ) -> tantivy::Result<Option<Arc<SegmentColumns>>> {
        let id = reader.segment_id();
        {
            let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = state.columns.get(&id) {
                return Ok(Some(c.clone()));
            }
            let seen = state.seen.entry(id).or_insert(0);
            *seen += 1;
            if *seen < 2 {
                return Ok(None);
            }
        }
        // Decoded outside the lock: other searches go on meanwhile (two threads may decode
        // the same segment once each; the second result replaces the first).
        let built = Arc::new(SegmentColumns::build(reader, doc_facets)?);
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        state.columns.insert(id, built.clone());
        state.seen.remove(&id);
        Ok(Some(built))
    }

    /// The global numbering of `fields` over `readers` (a searcher's segments), building it if
    /// this is the second search of this index version that asks; `None`: count per segment.
    pub fn globals(
        &self,
        readers: &[SegmentReader],
        fields: &[&'static str],
    ) -> tantivy::Result<Option<Arc<GlobalFacets>>> {
        let ids: Vec<SegmentId> = readers.iter().map(SegmentReader::segment_id).collect();
        {
            let mut state = self.globals.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(g) = &state.built
                && g.is_for(&ids, fields)
            {
                return Ok(Some(g.clone()));
            }
            if state.seen.0 == ids {
                state.seen.1 += 1;
            } else {
                state.seen = (ids, 1);
            }
            if state.seen.1 < 2 {
                return Ok(None);
            }
        }
        let built = Arc::new(GlobalFacets::build(readers, fields)?);
        let mut state = self.globals.lock().unwrap_or_else(|e| e.into_inner());
        state.built = Some(built.clone());
        Ok(Some(built))
    }

    /// Forgets segments that are gone (merged or deleted), keeping `live` ones.
    pub fn retain(&self, live: &[SegmentId]) {
        let mut state = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if state.columns.len() + state.seen.len() > live.len() {
            state.columns.retain(|id, _| live.contains(id));
            state.seen.retain(|id, _| live.contains(id));
        }
    }
}
