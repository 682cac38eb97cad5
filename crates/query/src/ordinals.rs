//! Facet values numbered once across all segments of an index version, so that adding up a
//! query's facet counts over segments is array arithmetic instead of a merge of strings.
//!
//! tantivy numbers facet values per segment. Without a shared numbering, every value a query
//! counted must be looked up in each segment's facet dictionary and merged by its bytes: at a
//! million sections a common word counts a few hundred thousand motion values, and that lookup
//! and merge was a third of the query's time. The numbering is built from the dictionaries in
//! one sorted merge (global ordinals follow the encoded byte order, as segment ordinals do), and
//! is valid for as long as the index version's set of segments is.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::SegmentReader;
use tantivy::index::SegmentId;

/// One facet field's values over all segments.
#[derive(Debug, Default)]
pub(crate) struct GlobalFacet {
    arena: Vec<u8>,
    /// Value `g` is `arena[ends[g - 1]..ends[g]]` (from 0 for the first).
    ends: Vec<u32>,
    /// Per segment, in the searcher's order: segment ordinal → global ordinal.
    seg_to_global: Vec<Vec<u32>>,
    /// Whether value `g` has a parent (`29279/890` under dossier `29279`).
    nested: Vec<bool>,
}

impl GlobalFacet {
    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The encoded bytes of global value `g`.
    pub fn bytes(&self, g: u32) -> &[u8] {
        let g = g as usize;
        let start = if g == 0 { 0 } else { self.ends[g - 1] as usize };
        &self.arena[start..self.ends[g] as usize]
    }

    /// Whether global value `g` has a parent.
    pub fn is_nested(&self, g: u32) -> bool {
        self.nested[g as usize]
    }

    /// Segment `segment`'s ordinal `ord` as a global ordinal.
    pub fn global(&self, segment: usize, ord: usize) -> u32 {
        self.seg_to_global[segment][ord]
    }

    fn build(readers: &[SegmentReader], field: &str) -> tantivy::Result<GlobalFacet> {
        // Each segment's values in dictionary (= byte) order.
        let mut lists: Vec<(Vec<u8>, Vec<u32>)> = Vec::with_capacity(readers.len());
        for reader in readers {
            let facet = reader.facet_reader(field)?;
            let mut stream = facet.facet_dict().stream()?;
            let (mut arena, mut ends) = (Vec::new(), Vec::with_capacity(facet.num_facets()));
            while stream.advance() {
                arena.extend_from_slice(stream.key());
                ends.push(arena.len() as u32);
            }
            lists.push((arena, ends));
        }
        let value = |s: usize, i: usize| -> &[u8] {
            let (arena, ends) = &lists[s];
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            &arena[start..ends[i] as usize]
        };
        let mut out = GlobalFacet {
            seg_to_global: lists.iter().map(|(_, e)| vec![0; e.len()]).collect(),
            ..GlobalFacet::default()
        };
        let mut heap: BinaryHeap<Reverse<(&[u8], usize, usize)>> = (0..lists.len())
            .filter(|&s| !lists[s].1.is_empty())
            .map(|s| Reverse((value(s, 0), s, 0)))
            .collect();
        while let Some(Reverse((bytes, s, i))) = heap.pop() {
            let last = out.ends.len().checked_sub(1);
            let g = match last {
                Some(g) if out.bytes(g as u32) == bytes => g,
                _ => {
                    // Facet paths are encoded with 0 between their segments.
                    out.nested.push(bytes.contains(&0));
                    out.arena.extend_from_slice(bytes);
                    out.ends.push(out.arena.len() as u32);
                    out.ends.len() - 1
                }
            };
            out.seg_to_global[s][i] = g as u32;
            if i + 1 < lists[s].1.len() {
                heap.push(Reverse((value(s, i + 1), s, i + 1)));
            }
        }
        Ok(out)
    }
}

/// The global numbering of the facet fields of one index version.
#[derive(Debug)]
pub(crate) struct GlobalFacets {
    /// The segments it was built from, in the searcher's order.
    segments: Vec<SegmentId>,
    fields: Vec<(&'static str, GlobalFacet)>,
}

impl GlobalFacets {
    /// Numbers `fields` over `readers` (a searcher's segments, in its order).
    pub fn build(readers: &[SegmentReader], fields: &[&'static str]) -> tantivy::Result<Self> {
        Ok(GlobalFacets {
            segments: readers.iter().map(SegmentReader::segment_id).collect(),
            fields: fields
                .iter()
                .map(|f| GlobalFacet::build(readers, f).map(|g| (*f, g)))
                .collect::<tantivy::Result<_>>()?,
        })
    }

    /// Whether this numbering belongs to the version whose segments are `segments`.
    pub fn is_for(&self, segments: &[SegmentId], fields: &[&'static str]) -> bool {
        self.segments == segments && fields.iter().all(|f| self.get(f).is_some())
    }

    /// The numbering of one field.
    pub fn get(&self, field: &str) -> Option<&GlobalFacet> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, g)| g)
    }
}
