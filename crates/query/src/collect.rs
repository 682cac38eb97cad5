//! One pass over every matching section: groups sections into documents, keeps each document's
//! best sections, and counts facet values per distinct document.
//!
//! Facets count documents, not sections, over the whole result set (no cap): the sections of a
//! document are written in one batch and so live, contiguous, in one segment; counting a
//! document's values once per segment is therefore exact.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A matching document: its best sections and how many sections matched.
#[derive(Debug, Clone)]
pub(crate) struct DocGroup {
    pub key: u64,
    /// Best sections, best first: (score, address).
    pub best: Vec<(Score, DocAddress)>,
    pub matching: u64,
    /// Days since the epoch, `i64::MIN` when undated.
    pub date: i64,
}

pub(crate) struct Fruit {
    pub groups: Vec<DocGroup>,
    /// facet name → value → documents.
    pub facets: HashMap<&'static str, HashMap<String, u64>>,
    pub sections: u64,
}

pub(crate) struct GroupCollector {
    pub facets: Vec<&'static str>,
    pub keep: usize,
}

pub(crate) struct SegmentGroups {
    segment: SegmentOrdinal,
    keep: usize,
    doc_key: Column<u64>,
    weight: Column<u64>,
    date: Option<Column<tantivy::DateTime>>,
    readers: Vec<(&'static str, FacetReader, Vec<u64>)>,
    groups: HashMap<u64, DocGroup>,
    /// Facet ords already counted for the current document (per facet), so a value is
    /// counted once per document even when several sections carry it.
    seen: Vec<Vec<u64>>,
    current: Option<u64>,
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
        let mut readers = Vec::new();
        for name in &self.facets {
            let fr = reader.facet_reader(name)?;
            let n = fr.num_facets();
            readers.push((*name, fr, vec![0u64; n]));
        }
        Ok(SegmentGroups {
            segment,
            keep: self.keep.max(1),
            doc_key: ff.u64("doc_key")?,
            weight: ff.u64("weight")?,
            date: ff.date("date").ok(),
            seen: vec![Vec::new(); readers.len()],
            readers,
            groups: HashMap::new(),
            current: None,
            sections: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut out = Fruit {
            groups: Vec::new(),
            facets: HashMap::new(),
            sections: 0,
        };
        for fr in fruits {
            out.groups.extend(fr.groups);
            out.sections += fr.sections;
            for (name, counts) in fr.facets {
                let target = out.facets.entry(name).or_default();
                for (v, c) in counts {
                    *target.entry(v).or_default() += c;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentGroups {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.sections += 1;
        let key = self.doc_key.first(doc).unwrap_or(u64::MAX);
        let weight = self.weight.first(doc).unwrap_or(1000) as Score / 1000.0;
        let score = score * weight;
        let new_doc = self.current != Some(key);
        if new_doc {
            self.current = Some(key);
            for s in &mut self.seen {
                s.clear();
            }
        }
        // Document-level facets are the same on every section; section kinds differ, so every
        // section's values are checked against what this document already counted.
        for (i, (_, reader, counts)) in self.readers.iter_mut().enumerate() {
            for ord in reader.facet_ords(doc) {
                if !self.seen[i].contains(&ord) {
                    self.seen[i].push(ord);
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        let date = self
            .date
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs() / 86_400)
            .unwrap_or(i64::MIN);
        let keep = self.keep;
        let addr = DocAddress::new(self.segment, doc);
        let g = self.groups.entry(key).or_insert_with(|| DocGroup {
            key,
            best: Vec::with_capacity(keep),
            matching: 0,
            date,
        });
        g.matching += 1;
        let at = g.best.partition_point(|(s, _)| *s >= score);
        if at < keep {
            g.best.insert(at, (score, addr));
            g.best.truncate(keep);
        }
    }

    fn harvest(self) -> Fruit {
        let mut facets: HashMap<&'static str, HashMap<String, u64>> = HashMap::new();
        for (name, reader, counts) in &self.readers {
            let target = facets.entry(name).or_default();
            // One sorted pass over the facet dictionary: looking each ordinal up on its own
            // decompresses its dictionary block again (a fresh zstd context every time), which
            // cost hundreds of milliseconds for a common word's thousands of motion values.
            let ords: Vec<u64> = counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(ord, _)| ord as u64)
                .collect();
            let mut at = 0;
            let _ = reader.facet_dict().sorted_ords_to_term_cb(&ords, |bytes| {
                let c = counts[ords[at] as usize];
                at += 1;
                if let Ok(facet) = Facet::from_encoded(bytes.to_vec()) {
                    *target.entry(facet.to_path_string()).or_default() += c;
                }
            });
        }
        Fruit {
            groups: self.groups.into_values().collect(),
            facets,
            sections: self.sections,
        }
    }
}
