//! At least `k` of `n` clauses, counted a clause at a time.
//!
//! A relaxed search (no section holds every word) asks for the sections holding a third of a
//! query's words. tantivy's minimum-should-match scorer keeps the clauses in a binary heap and
//! pops every posting of every clause through it: on a 1M-section index a query of eleven
//! content words spent 40 % of its time in the heap. Here each clause is walked on its own, in
//! doc order, adding to a count and a score per section of the segment; the sections with `k`
//! or more are then handed out in order. The set and the scores are the same (a section's
//! score is the sum of its clauses' scores, added in clause order); the cost is two arrays the
//! size of the segment for the length of one query.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Sections that match at least `k` of the clauses, scored by the sum of those they match.
#[derive(Debug)]
pub(crate) struct AtLeast {
    clauses: Vec<Box<dyn Query>>,
    k: usize,
}

impl AtLeast {
    /// At least `k` (1 or more) of `clauses`.
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>, k: usize) -> AtLeast {
        AtLeast {
            clauses,
            k: k.max(1),
        }
    }
}

impl Clone for AtLeast {
    fn clone(&self) -> Self {
        AtLeast {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            k: self.k,
        }
    }
}

impl Query for AtLeast {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|c| c.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AtLeastWeight { weights, k: self.k }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for c in &self.clauses {
            c.query_terms(visitor);
        }
    }
}

struct AtLeastWeight {
    weights: Vec<Box<dyn Weight>>,
    k: usize,
}

impl Weight for AtLeastWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max_doc = reader.max_doc() as usize;
        // u16: a query has at most a few hundred clauses (the compiler's limit).
        let mut counts = vec![0u16; max_doc];
        let mut scores = vec![0.0 as Score; max_doc];
        for w in &self.weights {
            let mut s = w.scorer(reader, boost)?;
            let mut doc = s.doc();
            while doc != TERMINATED {
                let d = doc as usize;
                counts[d] += 1;
                scores[d] += s.score();
                doc = s.advance();
            }
        }
        let k = u16::try_from(self.k).unwrap_or(u16::MAX);
        let hits: Vec<(DocId, Score)> = counts
            .iter()
            .zip(&scores)
            .enumerate()
            .filter(|(_, (c, _))| **c >= k)
            .map(|(d, (_, s))| (d as DocId, *s))
            .collect();
        Ok(Box::new(AtLeastScorer { hits, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        crate::docmatch::explain_sum(
            self,
            &self.weights,
            reader,
            doc,
            "at least k of the clauses; the sum of those it matches",
        )
    }
}

struct AtLeastScorer {
    /// The matching sections in doc order, with their scores.
    hits: Vec<(DocId, Score)>,
    at: usize,
}

impl DocSet for AtLeastScorer {
    fn advance(&mut self) -> DocId {
        if self.at < self.hits.len() {
            self.at += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at += self.hits[self.at..].partition_point(|(d, _)| *d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.hits.get(self.at).map_or(TERMINATED, |(d, _)| *d)
    }

    fn size_hint(&self) -> u32 {
        (self.hits.len() - self.at.min(self.hits.len())) as u32
    }
}

impl Scorer for AtLeastScorer {
    fn score(&mut self) -> Score {
        self.hits.get(self.at).map_or(0.0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, doc};

    /// The same sections and scores as tantivy's own minimum-should-match, on every `k`.
    #[test]
    fn matches_tantivys_minimum_should_match() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let tag = b.add_text_field("tag", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer(15_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e"];
        // Every subset of the words, some twice, in two segments.
        for round in 0..2 {
            for mask in 0u32..32 {
                let text: Vec<&str> = (0..5)
                    .filter(|i| mask & (1 << i) != 0)
                    .flat_map(|i| std::iter::repeat_n(words[i], 1 + (mask as usize + i) % 3))
                    .collect();
                w.add_document(doc!(body => text.join(" "), tag => format!("{round}-{mask}")))
                    .unwrap();
            }
            w.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let clauses = || -> Vec<Box<dyn Query>> {
            ["a", "b", "c", "d", "e"]
                .iter()
                .map(|t| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(body, t),
                        IndexRecordOption::WithFreqs,
                    ))
                })
                .collect()
        };
        for k in 1..=5 {
            let ours = AtLeast::new(clauses(), k);
            let theirs = BooleanQuery::with_minimum_required_clauses(
                clauses().into_iter().map(|q| (Occur::Should, q)).collect(),
                k,
            );
            let top = TopDocs::with_limit(100).order_by_score();
            let a = searcher.search(&ours, &top).unwrap();
            let b = searcher.search(&theirs, &top).unwrap();
            assert_eq!(a.len(), b.len(), "k = {k}");
            let expected = (0..=5)
                .filter(|&m| m >= k)
                .map(|m| binomial(5, m))
                .sum::<usize>();
            assert_eq!(
                searcher.search(&ours, &Count).unwrap(),
                2 * expected,
                "k = {k}"
            );
            let by_doc = |v: Vec<(Score, tantivy::DocAddress)>| {
                let mut v: Vec<_> = v.into_iter().map(|(s, d)| (d, s)).collect();
                v.sort_by_key(|(d, _)| *d);
                v
            };
            for ((da, sa), (db, sb)) in by_doc(a).into_iter().zip(by_doc(b)) {
                assert_eq!(da, db, "k = {k}");
                assert!((sa - sb).abs() < 1e-4, "k = {k}: {sa} vs {sb}");
                // The explanation gives the score searched.
                let e = ours.explain(&searcher, da).unwrap();
                assert!((e.value() - sa).abs() < 1e-6, "k = {k}");
            }
            // A section with fewer than k of the words has no explanation.
            if k > 1 {
                let few = searcher
                    .search(
                        &AtLeast::new(clauses(), 1),
                        &TopDocs::with_limit(1000).order_by_score(),
                    )
                    .unwrap()
                    .into_iter()
                    .map(|(_, d)| d)
                    .find(|d| ours.explain(&searcher, *d).is_err());
                assert!(few.is_some(), "k = {k}");
            }
            // Seeking lands on the next match, as in an intersection with a filter.
            let filtered = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(AtLeast::new(clauses(), k)) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(tag, "1-31"),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]);
            assert_eq!(searcher.search(&filtered, &Count).unwrap(), 1, "k = {k}");
        }
    }

    fn binomial(n: usize, k: usize) -> usize {
        (1..=k).fold(1, |acc, i| acc * (n + 1 - i) / i)
    }
}
