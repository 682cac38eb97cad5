//! Words required in the *document*, hits in its sections.
//!
//! The index holds one tantivy document per section, so a plain conjunction asks for every word
//! in one section: a motion whose overwegingen say `begroting` and whose verzoek says `extra`
//! did not match `begroting extra`. [`DocConjunction`] matches the sections of every document
//! that holds each clause in at least one of its sections, and scores each such section by the
//! clauses it holds itself. A document's sections are contiguous in its segment (they are added
//! in one batch, and merges keep the order), so a section's document starts at
//! `doc id − section_index`; the scorer leapfrogs on that start as an intersection does on doc
//! ids: every clause seeks to the furthest document any clause stands in.

use tantivy::columnar::{Column, ColumnIndex};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Every clause in some section of the document; the matching sections are those holding at
/// least one clause.
#[derive(Debug)]
pub(crate) struct DocConjunction {
    clauses: Vec<Clause>,
}

/// A clause of a [`DocConjunction`]: what the document must hold, and what makes a section one
/// of its hits.
#[derive(Debug)]
pub(crate) struct Clause {
    /// Held by the document when one of its sections matches it.
    pub(crate) required: Box<dyn Query>,
    /// Where `required` also matches what every section of a document carries (a Kamerstuk key
    /// matches every section of the motion itself, a dossier every section of its motions),
    /// what a section must match itself to be a hit: the key written or
    /// cited in it. Without it, every section of the motion was a hit of `29279-890 opvang`, its
    /// preamble too. A document none of whose sections holds a clause this way (a query of keys
    /// only) has the sections `required` matches as its hits. `None`: `required` itself.
    pub(crate) in_section: Option<Box<dyn Query>>,
}

impl Clone for Clause {
    fn clone(&self) -> Self {
        Clause {
            required: self.required.box_clone(),
            in_section: self.in_section.as_ref().map(|q| q.box_clone()),
        }
    }
}

impl DocConjunction {
    /// The conjunction of `clauses` (at least one) over documents.
    pub(crate) fn new(clauses: Vec<Clause>) -> DocConjunction {
        DocConjunction { clauses }
    }
}

impl Clone for DocConjunction {
    fn clone(&self) -> Self {
        DocConjunction {
            clauses: self.clauses.clone(),
        }
    }
}

impl Query for DocConjunction {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|c| c.required.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let in_section = self
            .clauses
            .iter()
            .map(|c| c.in_section.as_ref().map(|q| q.weight(scoring)).transpose())
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(DocConjunctionWeight {
            weights,
            in_section,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for c in &self.clauses {
            c.required.query_terms(visitor);
        }
    }
}

struct DocConjunctionWeight {
    weights: Vec<Box<dyn Weight>>,
    in_section: Vec<Option<Box<dyn Weight>>>,
}

impl Weight for DocConjunctionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let clauses = self
            .weights
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let in_section = self
            .in_section
            .iter()
            .map(|w| w.as_ref().map(|w| w.scorer(reader, boost)).transpose())
            .collect::<tantivy::Result<Vec<_>>>()?;
        let section_index = reader.fast_fields().u64("section_index")?;
        Ok(Box::new(DocConjunctionScorer::new(
            clauses,
            in_section,
            section_index,
            reader.max_doc(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_sum(
            self,
            &self.weights,
            reader,
            doc,
            "every clause in the document; the sum of those in this section",
        )
    }
}

/// The explanation of a section's score under `weight`, a combination of `clauses`: the score
/// its scorer gives, with each clause's explanation where the clause matches.
pub(crate) fn explain_sum(
    weight: &dyn Weight,
    clauses: &[Box<dyn Weight>],
    reader: &SegmentReader,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.seek(doc) != doc {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match: {what}"
        )));
    }
    let mut e = Explanation::new(what, scorer.score());
    for w in clauses {
        if let Ok(c) = w.explain(reader, doc) {
            e.add_detail(c);
        }
    }
    Ok(e)
}

struct DocConjunctionScorer {
    clauses: Vec<Box<dyn Scorer>>,
    /// Each clause's [`Clause::in_section`], moved forward as the sections are collected.
    in_section: Vec<Option<Box<dyn Scorer>>>,
    /// The first section of the document each clause stands in (TERMINATED when it is done).
    starts: Vec<DocId>,
    section_index: Column<u64>,
    /// Every section has its index, so the column's values are read by doc id directly.
    dense: bool,
    max_doc: DocId,
    /// The matching sections of the current document, with their scores, and where we are.
    sections: Vec<(DocId, Score)>,
    /// Whether each section of the current document holds a clause itself (see
    /// [`Clause::in_section`]), while they are collected.
    held: Vec<bool>,
    at: usize,
    doc: DocId,
}

impl DocConjunctionScorer {
    fn new(
        clauses: Vec<Box<dyn Scorer>>,
        in_section: Vec<Option<Box<dyn Scorer>>>,
        section_index: Column<u64>,
        max_doc: DocId,
    ) -> Self {
        let dense = matches!(section_index.index, ColumnIndex::Full);
        let mut s = DocConjunctionScorer {
            starts: vec![0; clauses.len()],
            clauses,
            in_section,
            held: Vec::new(),
            section_index,
            dense,
            max_doc,
            sections: Vec::new(),
            at: 0,
            doc: TERMINATED,
        };
        for i in 0..s.clauses.len() {
            s.refresh(i);
        }
        s.next_document();
        s
    }

    /// The first section of the document that section `doc` belongs to.
    fn start_of(&self, doc: DocId) -> DocId {
        let i = if self.dense {
            self.section_index.values.get_val(doc)
        } else {
            self.section_index.first(doc).unwrap_or(0)
        };
        doc.saturating_sub(u32::try_from(i).unwrap_or(u32::MAX))
    }

    /// Notes where clause `i` now stands.
    fn refresh(&mut self, i: usize) {
        let d = self.clauses[i].doc();
        self.starts[i] = if d == TERMINATED {
            TERMINATED
        } else {
            self.start_of(d)
        };
    }

    /// Moves to the next document (from the clauses' positions on) that holds every clause,
    /// collecting its matching sections; `doc` is TERMINATED when there is none.
    fn next_document(&mut self) {
        self.sections.clear();
        self.at = 0;
        self.doc = TERMINATED;
        if self.clauses.is_empty() {
            return;
        }
        'documents: loop {
            // The latest document any clause stands in: no document before it holds them all.
            let start = self.starts.iter().copied().max().unwrap_or(TERMINATED);
            if start == TERMINATED {
                return;
            }
            for i in 0..self.clauses.len() {
                if self.starts[i] < start {
                    self.clauses[i].seek(start);
                    self.refresh(i);
                }
                if self.starts[i] != start {
                    continue 'documents;
                }
            }
            // Every clause stands in the document starting at `start`: its sections, in order,
            // each scored by the clauses it holds.
            self.held.clear();
            loop {
                let mut next = TERMINATED;
                for (c, s) in self.clauses.iter().zip(&self.starts) {
                    if *s == start {
                        next = next.min(c.doc());
                    }
                }
                if next == TERMINATED {
                    break;
                }
                let mut score = 0.0;
                let mut held = false;
                for i in 0..self.clauses.len() {
                    if self.starts[i] == start && self.clauses[i].doc() == next {
                        score += self.clauses[i].score();
                        held |= match &mut self.in_section[i] {
                            None => true,
                            Some(own) => {
                                if own.doc() < next {
                                    own.seek(next);
                                }
                                own.doc() == next
                            }
                        };
                        self.clauses[i].advance();
                        self.refresh(i);
                    }
                }
                self.sections.push((next, score));
                self.held.push(held);
            }
            if self.held.contains(&true) {
                let mut held = self.held.iter();
                self.sections.retain(|_| held.next() == Some(&true));
            }
            self.doc = self.sections[0].0;
            return;
        }
    }
}

impl DocSet for DocConjunctionScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        if self.at < self.sections.len() {
            self.doc = self.sections[self.at].0;
        } else {
            self.next_document();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if self.sections.last().is_some_and(|(d, _)| *d >= target) {
            while self.sections[self.at].0 < target {
                self.at += 1;
            }
            self.doc = self.sections[self.at].0;
            return self.doc;
        }
        if target >= self.max_doc {
            self.sections.clear();
            self.doc = TERMINATED;
            return self.doc;
        }
        // Past this document: every clause to the start of the target's document at least.
        let start = self.start_of(target);
        for i in 0..self.clauses.len() {
            if self.clauses[i].doc() < start {
                self.clauses[i].seek(start);
                self.refresh(i);
            }
        }
        self.next_document();
        while self.doc < target {
            self.advance();
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(|c| c.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for DocConjunctionScorer {
    fn score(&mut self) -> Score {
        self.sections.get(self.at).map_or(0.0, |(_, s)| *s)
    }
}
