//! Checks a parsed query and the filters against the index, then builds the tantivy query.

use std::ops::Bound;

use kamerzoek_index::{Fields, KamerIndex, parse_iso_date};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery,
    EnableScoring, Explanation, FuzzyTermQuery, Occur as TOccur, PhraseQuery, Query, RangeQuery,
    RegexQuery, Scorer, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term};

use crate::atleast::AtLeast;
use crate::docmatch::{Clause, DocConjunction};
use crate::error::nearest;
use crate::parse::{Leaf, Node, Occur};
use crate::{Filters, QueryError};

/// Limits that keep one query from running for minutes.
const MAX_LEAVES: usize = 256;
const MIN_PREFIX_CHARS: usize = 3;
const MIN_FUZZY_CHARS: usize = 4;

/// Section kinds usable as a field scope (`kernpunten:opvang`).
pub const SECTION_KINDS: &[&str] = &[
    "preamble",
    "aanleiding",
    "geadviseerd_besluit",
    "kernpunten",
    "toelichting",
    "toelichting_item",
    "niet_openbaar",
    "heading",
    "overwegingen",
    "verzoek",
    "footnotes",
    "body",
];

/// Field scopes a query may use, besides the section kinds.
const SCOPES: &[&str] = &[
    "title",
    "heading",
    "body",
    "submitters",
    "indiener",
    "ministry",
    "ministerie",
    "type",
    "topic",
    "motion",
    "motie",
    "kamerstuk",
    "year",
    "jaar",
    "date",
    "datum",
    "section",
    "id",
];

pub(crate) struct Compiler<'a> {
    pub index: &'a KamerIndex,
    pub searcher: &'a Searcher,
    leaves: usize,
    /// In a query of alternatives only (the any-word reading of a query,
    /// [`crate::parse::any_word`]), how many a section must hold: `None`, one; `Some(d)`, a
    /// `d`-th of them, rounded up.
    pub min_should_share: Option<usize>,
}

fn f(index: &KamerIndex) -> &Fields {
    index.fields()
}

impl<'a> Compiler<'a> {
    pub fn new(index: &'a KamerIndex, searcher: &'a Searcher) -> Self {
        Compiler {
            index,
            searcher,
            leaves: 0,
            min_should_share: None,
        }
    }

    /// The whole query: the parsed text AND the filters.
    pub fn compile(
        &mut self,
        node: &Node,
        filters: &Filters,
    ) -> Result<Box<dyn Query>, QueryError> {
        let mut must: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let text = self.text_query(node, filters)?;
        let text = match self.all_words_in_title(node)? {
            Some(bonus) => Box::new(BooleanQuery::new(vec![
                (TOccur::Must, text),
                (TOccur::Should, bonus),
            ])),
            None => text,
        };
        must.push((TOccur::Must, text));
        for (facet, values) in [
            ("ministry", &filters.ministry),
            ("motion", &filters.motion),
            ("topic", &filters.topic),
            ("type", &filters.doc_type),
            ("section", &filters.section),
        ] {
            if values.is_empty() {
                continue;
            }
            let mut any: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
            for v in values {
                any.push((TOccur::Should, self.facet_filter(facet, v)?));
            }
            must.push((TOccur::Must, Box::new(BooleanQuery::new(any))));
        }
        if !filters.year.is_empty() {
            let any = filters
                .year
                .iter()
                .map(|y| -> (TOccur, Box<dyn Query>) {
                    (
                        TOccur::Should,
                        facet_term(f(self.index).year, &[&y.to_string()]),
                    )
                })
                .collect();
            must.push((TOccur::Must, Box::new(BooleanQuery::new(any))));
        }
        if filters.from.is_some() || filters.to.is_some() {
            let q = self.date_range(
                filters.from.as_deref(),
                filters.to.as_deref(),
                "--from/--to",
            )?;
            must.push((TOccur::Must, q));
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    /// The query's text. Where it requires two or more words, phrases or prefixes in the
    /// text fields, they are required in the *document* ([`DocConjunction`]): any of its
    /// sections may hold each, and the hits are its sections that hold one. Where the query or
    /// a filter asks for sections of a kind (`--section kernpunten`, `kernpunten:opvang`), the
    /// words are required in one section, as before: "every Kernpunten section about X and Y".
    fn text_query(&mut self, node: &Node, filters: &Filters) -> Result<Box<dyn Query>, QueryError> {
        let Node::Bool(clauses) = node else {
            return self.node(node);
        };
        if !filters.section.is_empty() || names_section(node) {
            return self.node(node);
        }
        let clauses: Vec<_> = clauses.iter().filter(|(_, n)| !self.is_void(n)).collect();
        let in_document = clauses
            .iter()
            .filter(|(o, n)| *o == Occur::Must && is_text_leaf(n))
            .count();
        if in_document < 2 {
            return self.node(node);
        }
        let mut required = Vec::new();
        let mut rest: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        for (occur, n) in clauses {
            let q = self.node(n)?;
            match occur {
                Occur::Must if is_text_leaf(n) => required.push(Clause {
                    required: q,
                    in_section: self.key_in_text(n)?,
                }),
                Occur::Must => rest.push((TOccur::Must, q)),
                Occur::Should => rest.push((TOccur::Should, q)),
                Occur::MustNot => rest.push((TOccur::MustNot, Box::new(Excluded(q)))),
            }
        }
        let conjunction: Box<dyn Query> = Box::new(DocConjunction::new(required));
        if rest.is_empty() {
            return Ok(conjunction);
        }
        rest.insert(0, (TOccur::Must, conjunction));
        Ok(Box::new(BooleanQuery::new(rest)))
    }

    /// For a query of two or more plain words (or phrases), all required: the same words
    /// required in the title, weighted by `all_words_in_title_boost`, to add to the score of the
    /// sections that match them. Each word takes its best field on its own, so a short title
    /// holding one query word (`Verbetering van de haven`) otherwise outscores a motion whose
    /// longer title holds them all (`… verbetering van de kindregeling … de behoefte van …`).
    ///
    /// And, weighted by `title_phrase_boost`, the words in the title in their order, close
    /// together: of two motions whose titles hold every word (`… uitspreken voor een moratorium
    /// op diepzeemijnbouw` and `… uitspreken tegen diepzeemijnbouw`), the one that reads as the
    /// query does ranks first.
    fn all_words_in_title(&mut self, node: &Node) -> Result<Option<Box<dyn Query>>, QueryError> {
        let def = self.index.schema_def();
        let (boost, phrase_boost, slop) = (
            def.all_words_in_title_boost,
            def.title_phrase_boost,
            def.title_phrase_slop,
        );
        if boost <= 0.0 && phrase_boost <= 0.0 {
            return Ok(None);
        }
        let Node::Bool(clauses) = node else {
            return Ok(None);
        };
        let title = f(self.index).title;
        let mut all = Vec::new();
        // The words as typed, stop words included: they keep their positions in the phrase.
        let mut words = Vec::new();
        for (occur, n) in clauses {
            let void = self.is_void(n);
            match (occur, n) {
                (
                    Occur::Must,
                    Node::Leaf {
                        field: None,
                        leaf: leaf @ (Leaf::Word(w) | Leaf::Phrase(w)),
                        pos,
                    },
                ) => {
                    words.push(w.as_str());
                    if !void {
                        all.push((TOccur::Must, self.text(title, leaf, *pos)?));
                    }
                }
                // A stop word the query leaves out, however it is marked.
                _ if void => {}
                _ => return Ok(None),
            }
        }
        if all.len() < 2 {
            return Ok(None);
        }
        let mut bonus: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if boost > 0.0 {
            bonus.push((
                TOccur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), boost)),
            ));
        }
        if phrase_boost > 0.0 {
            let tokens = self.index.analysis().analyze_query(&words.join(" "));
            let first = tokens.first().map_or(0, |t| t.position);
            let terms: Vec<(usize, Term)> = tokens
                .iter()
                .map(|t| (t.position - first, Term::from_field_text(title, &t.text)))
                .collect();
            if terms.len() >= 2 {
                bonus.push((
                    TOccur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)),
                        phrase_boost,
                    )),
                ));
            }
        }
        Ok((!bonus.is_empty()).then(|| Box::new(BooleanQuery::new(bonus)) as Box<dyn Query>))
    }

    fn node(&mut self, node: &Node) -> Result<Box<dyn Query>, QueryError> {
        match node {
            Node::Bool(clauses) if clauses.is_empty() => Ok(Box::new(AllQuery)),
            Node::Bool(clauses) => {
                let mut out: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
                // A stop word (`een`, `voor`) analyses to nothing and would make a required
                // clause that matches nothing: it is left out, as the index left it out.
                let clauses: Vec<_> = clauses.iter().filter(|(_, n)| !self.is_void(n)).collect();
                if clauses.is_empty() {
                    return Ok(Box::new(EmptyQuery));
                }
                for (occur, n) in clauses {
                    let o = match occur {
                        Occur::Must => TOccur::Must,
                        Occur::Should => TOccur::Should,
                        Occur::MustNot => TOccur::MustNot,
                    };
                    let q = self.node(n)?;
                    out.push(if o == TOccur::MustNot {
                        (o, Box::new(Excluded(q)))
                    } else {
                        (o, q)
                    });
                }
                // A purely negative query means "everything except".
                if out.iter().all(|(o, _)| *o == TOccur::MustNot) {
                    out.push((TOccur::Must, Box::new(AllQuery)));
                }
                if let Some(d) = self.min_should_share
                    && out.iter().all(|(o, _)| *o == TOccur::Should)
                {
                    let k = out.len().div_ceil(d.max(1));
                    // One of them is a union and all of them a conjunction, which tantivy
                    // walks well; in between, its heap of clauses is slow (see `atleast`).
                    if k >= 2 && k < out.len() {
                        return Ok(Box::new(AtLeast::new(
                            out.into_iter().map(|(_, q)| q).collect(),
                            k,
                        )));
                    }
                    return Ok(Box::new(BooleanQuery::with_minimum_required_clauses(
                        out, k,
                    )));
                }
                Ok(Box::new(BooleanQuery::new(out)))
            }
            Node::Leaf { field, leaf, pos } => {
                self.leaves += 1;
                if self.leaves > MAX_LEAVES {
                    return Err(QueryError::TooExpensive {
                        pos: *pos,
                        reason: format!(
                            "more than {MAX_LEAVES} terms in one query; split it into several queries"
                        ),
                    });
                }
                self.leaf(field.as_deref(), leaf, *pos)
            }
        }
    }

    /// A word or phrase in the text fields that analyses to no token at all (only stop words).
    fn is_void(&self, node: &Node) -> bool {
        match node {
            Node::Leaf {
                field,
                leaf: Leaf::Word(w) | Leaf::Phrase(w),
                ..
            } => {
                matches!(
                    field.as_deref(),
                    None | Some("title" | "heading" | "body" | "submitters" | "indiener")
                ) && self.index.analysis().analyze_query(w).is_empty()
            }
            _ => false,
        }
    }

    fn leaf(
        &mut self,
        field: Option<&str>,
        leaf: &Leaf,
        pos: usize,
    ) -> Result<Box<dyn Query>, QueryError> {
        let fields = *f(self.index);
        let Some(scope) = field else {
            return self.default_fields(leaf, pos);
        };
        let value = || match leaf {
            Leaf::Word(w) | Leaf::Phrase(w) | Leaf::Prefix(w) | Leaf::Fuzzy(w, _) => w.clone(),
            Leaf::Range { .. } => String::new(),
        };
        match scope {
            "title" => self.text(fields.title, leaf, pos),
            "heading" => self.text(fields.heading, leaf, pos),
            "body" => self.text(fields.body, leaf, pos),
            "submitters" | "indiener" => self.text(fields.submitters, leaf, pos),
            "ministry" | "ministerie" => self.facet_filter("ministry", &value()),
            "type" => self.facet_filter("type", &value()),
            "topic" => self.facet_filter("topic", &value()),
            "motion" | "motie" => self.facet_filter("motion", &value()),
            "section" => self.facet_filter("section", &value()),
            "year" | "jaar" => Ok(facet_term(fields.year, &[&value()])),
            "id" | "kamerstuk" => {
                let v = value();
                Ok(Box::new(BooleanQuery::new(vec![
                    (
                        TOccur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.doc_id, &v),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    ),
                    (
                        TOccur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.kamerstuk, &v),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ])))
            }
            "date" | "datum" => match leaf {
                Leaf::Range { lower, upper } => self.date_range(
                    lower.as_deref(),
                    upper.as_deref(),
                    &format!("query position {pos}"),
                ),
                _ => {
                    let v = value();
                    self.date_range(Some(&v), Some(&v), &format!("query position {pos}"))
                }
            },
            kind if SECTION_KINDS.contains(&kind) => {
                // A section scope searches the text of sections of that kind only.
                let text = self.default_fields(leaf, pos)?;
                Ok(Box::new(BooleanQuery::new(vec![
                    (TOccur::Must, text),
                    (TOccur::Must, facet_term(fields.section, &[kind])),
                ])))
            }
            other => {
                let suggestions = if other.chars().count() >= 3 {
                    nearest(other, SCOPES.iter().chain(SECTION_KINDS).copied())
                } else {
                    Vec::new()
                };
                if suggestions.is_empty() {
                    // Not meant as a field (`Kamerstukken:` in pasted text): search it as words.
                    let word = format!("{other} {}", value());
                    self.default_fields(&Leaf::Phrase(word), pos)
                } else {
                    Err(QueryError::UnknownField {
                        pos,
                        field: other.to_string(),
                        suggestions,
                    })
                }
            }
        }
    }

    /// An unscoped leaf: the best of title, heading, body, submitters (weighted), plus a
    /// Kamerstuk key match when the word looks like one.
    fn default_fields(&mut self, leaf: &Leaf, pos: usize) -> Result<Box<dyn Query>, QueryError> {
        self.default_fields_with(leaf, pos, true)
    }

    /// For an unscoped word that is a Kamerstuk key (which matches every section of the motion it
    /// names, a dossier every section of its motions, and the sections citing them): what makes a
    /// section a hit itself (see [`Clause::in_section`]): the key written in its text, or cited
    /// in it (`Kamerstuk 29279, nr. 890`, the `cites` field).
    fn key_in_text(&mut self, node: &Node) -> Result<Option<Box<dyn Query>>, QueryError> {
        let Node::Leaf {
            field: None,
            leaf: leaf @ Leaf::Word(w),
            pos,
        } = node
        else {
            return Ok(None);
        };
        let facets = self.key_facets(w);
        if facets.is_empty() {
            return Ok(None);
        }
        let cites = f(self.index).cites;
        let mut parts: Vec<(TOccur, Box<dyn Query>)> =
            vec![(TOccur::Should, self.default_fields_with(leaf, *pos, false)?)];
        for facet in facets {
            let t = Term::from_field_text(cites, &motion_key(&facet));
            parts.push((TOccur::Should, term_query(t)));
        }
        Ok(Some(Box::new(BooleanQuery::new(parts))))
    }

    fn default_fields_with(
        &mut self,
        leaf: &Leaf,
        pos: usize,
        with_key: bool,
    ) -> Result<Box<dyn Query>, QueryError> {
        let def = self.index.schema_def();
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        for name in &def.default_fields {
            let Some(fd) = def.field(name) else { continue };
            let Ok(field) = self.index.tantivy().schema().get_field(name) else {
                continue;
            };
            let q = self.text(field, leaf, pos)?;
            let boost = fd.boost.unwrap_or(1.0);
            parts.push(if (boost - 1.0).abs() > f32::EPSILON {
                Box::new(BoostQuery::new(q, boost))
            } else {
                q
            });
        }
        if let Leaf::Word(w) = leaf
            && with_key
            && let Some(q) = self.key_query(w)?
        {
            parts.push(Box::new(BoostQuery::new(q, 2.0)));
        }
        Ok(Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, 0.2)))
    }

    /// The motion facets of the index a word means when it looks like a Kamerstuk key
    /// (`29279-890`, `29279`, `36725-XVI-C`: a dossier of 4 to 6 digits first); none otherwise.
    fn key_facets(&self, w: &str) -> Vec<Facet> {
        let first = w.split('-').next().unwrap_or_default();
        if first.len() < 4 || first.len() > 6 || !first.chars().all(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        self.motion_facets(w)
    }

    /// `29279-890`, `29279`, `36725-XVI-C` typed as a word also match the motion they name and the
    /// sections citing it, or the motions of a dossier and the sections citing one of them.
    fn key_query(&self, w: &str) -> Result<Option<Box<dyn Query>>, QueryError> {
        let facets = self.key_facets(w);
        if facets.is_empty() {
            return Ok(None);
        }
        let fields = f(self.index);
        let term = |t: Term| (TOccur::Should, term_query(t));
        // A motion: every section of the motion itself, and the sections citing it (not every
        // section of a letter that does: its hit is then the section that cites, with its
        // snippet).
        let mut parts = Vec::new();
        for fc in facets {
            let key = motion_key(&fc);
            if fc.to_path().len() >= 2 {
                parts.push(term(Term::from_field_text(fields.kamerstuk, &key)));
                parts.push(term(Term::from_field_text(fields.cites, &key)));
                continue;
            }
            // A dossier likewise: every section of its own motions (the keys under its facet)
            // and the sections citing one of them. Scored by the facet term, as when the whole
            // of every document in the facet matched, so the order among those sections stays.
            let own = crate::facet_children(self.searcher, fields.motion, &fc)?
                .into_iter()
                .map(|nr| Term::from_field_text(fields.kamerstuk, &format!("{key}-{nr}")));
            let sections: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (
                    TOccur::Should,
                    Box::new(TermSetQuery::new(own)) as Box<dyn Query>,
                ),
                term(Term::from_field_text(fields.cites, &key)),
            ]));
            parts.push((
                TOccur::Should,
                Box::new(BooleanQuery::new(vec![
                    (
                        TOccur::Must,
                        term_query(Term::from_facet(fields.motion, &fc)),
                    ),
                    (TOccur::Must, Box::new(ConstScoreQuery::new(sections, 0.0))),
                ])),
            ));
        }
        Ok(Some(Box::new(BooleanQuery::new(parts))))
    }

    /// The motion facets a user key may mean that exist in the index: `21501-33-1104` may be
    /// dossier `21501-33` number `1104`, or dossier `21501` number `33-1104`.
    pub fn motion_facets(&self, key: &str) -> Vec<Facet> {
        let key = key.trim().replace(' ', "");
        let fld = f(self.index).motion;
        let mut out = Vec::new();
        let mut candidates = vec![Facet::from_path([key.as_str()])];
        for (i, _) in key.match_indices('-') {
            candidates.push(Facet::from_path([&key[..i], &key[i + 1..]]));
        }
        for c in candidates {
            if self
                .searcher
                .doc_freq(&Term::from_facet(fld, &c))
                .unwrap_or(0)
                > 0
            {
                out.push(c);
            }
        }
        out
    }

    fn text(
        &mut self,
        field: Field,
        leaf: &Leaf,
        pos: usize,
    ) -> Result<Box<dyn Query>, QueryError> {
        let analysis = self.index.analysis();
        let is_raw = field == f(self.index).doc_id || field == f(self.index).kamerstuk;
        let tokens = |s: &str| -> Vec<(usize, String)> {
            if is_raw {
                return vec![(0, s.to_string())];
            }
            analysis
                .analyze_query(s)
                .into_iter()
                .map(|t| (t.position, t.text))
                .collect()
        };
        match leaf {
            Leaf::Word(w) | Leaf::Phrase(w) => {
                let toks = tokens(w);
                Ok(match toks.len() {
                    0 => Box::new(EmptyQuery),
                    1 => Box::new(TermQuery::new(
                        Term::from_field_text(field, &toks[0].1),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => {
                        let first = toks[0].0;
                        let terms: Vec<(usize, Term)> = toks
                            .iter()
                            .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
                            .collect();
                        if terms.iter().all(|(p, _)| *p == 0) {
                            // Tokens at one position are alternatives, not a phrase.
                            Box::new(BooleanQuery::new(
                                terms
                                    .into_iter()
                                    .map(|(_, t)| -> (TOccur, Box<dyn Query>) {
                                        (
                                            TOccur::Should,
                                            Box::new(TermQuery::new(
                                                t,
                                                IndexRecordOption::WithFreqs,
                                            )),
                                        )
                                    })
                                    .collect(),
                            ))
                        } else {
                            Box::new(PhraseQuery::new_with_offset(terms))
                        }
                    }
                })
            }
            Leaf::Prefix(p) => {
                let folded = analysis.fold(p);
                if folded.chars().count() < MIN_PREFIX_CHARS {
                    return Err(QueryError::TooExpensive {
                        pos,
                        reason: format!(
                            "prefix `{p}*` is too short: give at least {MIN_PREFIX_CHARS} letters before `*`"
                        ),
                    });
                }
                let pattern = format!("{}.*", regex_escape(&folded));
                Ok(Box::new(RegexQuery::from_pattern(&pattern, field)?))
            }
            Leaf::Fuzzy(w, d) => {
                let toks = tokens(w);
                if w.chars().count() < MIN_FUZZY_CHARS || toks.len() != 1 {
                    return Err(QueryError::TooExpensive {
                        pos,
                        reason: format!(
                            "fuzzy `{w}~` needs one word of at least {MIN_FUZZY_CHARS} letters"
                        ),
                    });
                }
                Ok(Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(field, &toks[0].1),
                    *d,
                    true,
                )))
            }
            Leaf::Range { .. } => Err(QueryError::InvalidRequest(format!(
                "query position {pos}: a range applies to `date:` only"
            ))),
        }
    }

    fn date_range(
        &self,
        lo: Option<&str>,
        hi: Option<&str>,
        place: &str,
    ) -> Result<Box<dyn Query>, QueryError> {
        let field = f(self.index).date;
        let lower = match lo {
            Some(v) => Bound::Included(Term::from_field_date(field, date_bound(v, false, place)?)),
            None => Bound::Unbounded,
        };
        let upper = match hi {
            Some(v) => Bound::Included(Term::from_field_date(field, date_bound(v, true, place)?)),
            None => Bound::Unbounded,
        };
        Ok(Box::new(RangeQuery::new(lower, upper)))
    }

    /// A filter on one facet value, checked against the values the index holds.
    pub fn facet_filter(&self, facet: &str, value: &str) -> Result<Box<dyn Query>, QueryError> {
        let fields = f(self.index);
        let (field, candidates): (Field, Vec<Facet>) = match facet {
            "ministry" => {
                let code = crate::ministry_code(value).unwrap_or_else(|| value.to_string());
                (fields.ministry, vec![Facet::from_path([code.as_str()])])
            }
            "type" => (
                fields.doc_type,
                vec![Facet::from_path([value.to_lowercase().as_str()])],
            ),
            "section" => (
                fields.section,
                vec![Facet::from_path([value.to_lowercase().as_str()])],
            ),
            "topic" => {
                let parts: Vec<&str> = value.split('/').filter(|p| !p.is_empty()).collect();
                (fields.topic, vec![Facet::from_path(parts)])
            }
            "motion" => (fields.motion, self.motion_facets(value)),
            _ => {
                return Err(QueryError::InvalidRequest(format!(
                    "unknown facet `{facet}`"
                )));
            }
        };
        let mut found: Vec<Facet> = candidates
            .into_iter()
            .filter(|c| {
                self.searcher
                    .doc_freq(&Term::from_facet(field, c))
                    .unwrap_or(0)
                    > 0
            })
            .collect();
        if found.is_empty() && facet != "motion" {
            // Case-insensitive and last-part matches (`zorg en gezondheid`, `vws`).
            let all = crate::facet_values(self.searcher, field)?;
            let v = value.trim_matches('/').to_lowercase();
            found = all
                .iter()
                .filter(|a| {
                    let s = a.trim_start_matches('/').to_lowercase();
                    s == v || s.rsplit('/').next() == Some(v.as_str())
                })
                .filter_map(|a| Facet::from_text(a).ok())
                .collect();
            if found.is_empty() {
                let names: Vec<String> = all
                    .iter()
                    .map(|a| a.trim_start_matches('/').to_string())
                    .collect();
                return Err(QueryError::UnknownValue {
                    facet: facet.to_string(),
                    value: value.to_string(),
                    suggestions: nearest(value, names.iter().map(String::as_str)),
                });
            }
        }
        if found.is_empty() {
            // A motion nobody cites is a valid question with zero answers, not an error.
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(BooleanQuery::new(
            found
                .into_iter()
                .map(|fc| -> (TOccur, Box<dyn Query>) {
                    (
                        TOccur::Should,
                        Box::new(TermQuery::new(
                            Term::from_facet(field, &fc),
                            IndexRecordOption::Basic,
                        )),
                    )
                })
                .collect(),
        )))
    }
}

fn term_query(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

/// The key of a motion facet as the `kamerstuk` and `cites` fields hold it (`/36725-XVI/C` →
/// `36725-XVI-C`, `/29279` → `29279`).
fn motion_key(facet: &Facet) -> String {
    facet.to_path().join("-")
}

fn facet_term(field: Field, path: &[&str]) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &Facet::from_path(path.iter().copied())),
        IndexRecordOption::Basic,
    ))
}

/// An excluded clause (`-x`, `NOT x`), wrapped so tantivy may probe it out of order.
///
/// tantivy 0.27's `Exclude` asks the excluded scorer about a document before the one it stands
/// on, and `PhraseScorer::seek_danger` debug-asserts against that: `opvang -"huiselijk geweld"`
/// panicked in every build with debug assertions (found by the query fuzzer). This scorer keeps
/// `DocSet`'s default `seek_danger`, which answers such a probe from its current document.
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    // `seek_danger` is deliberately not forwarded (see `Excluded`).

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// A word, phrase, prefix or fuzzy word in the text fields (not a facet or a range).
fn is_text_leaf(node: &Node) -> bool {
    match node {
        Node::Leaf {
            field,
            leaf: Leaf::Word(_) | Leaf::Phrase(_) | Leaf::Prefix(_) | Leaf::Fuzzy(..),
            ..
        } => matches!(
            field.as_deref(),
            None | Some("title" | "heading" | "body" | "submitters" | "indiener")
        ),
        _ => false,
    }
}

/// Whether the query asks for sections of a kind anywhere (`section:kernpunten`,
/// `kernpunten:opvang`).
fn names_section(node: &Node) -> bool {
    match node {
        Node::Leaf { field, .. } => field
            .as_deref()
            .is_some_and(|f| f == "section" || SECTION_KINDS.contains(&f)),
        Node::Bool(clauses) => clauses.iter().any(|(_, n)| names_section(n)),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn date_bound(v: &str, upper: bool, place: &str) -> Result<tantivy::DateTime, QueryError> {
    let bad = || QueryError::InvalidDate {
        place: place.to_string(),
        value: v.to_string(),
    };
    let parts: Vec<&str> = v.trim().split('-').collect();
    let full = match parts.as_slice() {
        [y] if y.len() == 4 => {
            if upper {
                format!("{y}-12-31")
            } else {
                format!("{y}-01-01")
            }
        }
        [y, m] if y.len() == 4 && m.len() <= 2 => {
            let m: u32 = m.parse().map_err(|_| bad())?;
            let y: i32 = y.parse().map_err(|_| bad())?;
            if upper {
                format!("{y:04}-{m:02}-{:02}", days_in_month(y, m))
            } else {
                format!("{y:04}-{m:02}-01")
            }
        }
        [_, _, _] => v.trim().to_string(),
        _ => return Err(bad()),
    };
    parse_iso_date(&full).ok_or_else(bad)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds() {
        let lo = date_bound("2024", false, "x").unwrap();
        let hi = date_bound("2024-02", true, "x").unwrap();
        assert_eq!(lo, parse_iso_date("2024-01-01").unwrap());
        assert_eq!(hi, parse_iso_date("2024-02-29").unwrap());
        assert!(matches!(
            date_bound("gisteren", false, "--from"),
            Err(QueryError::InvalidDate { .. })
        ));
        assert!(date_bound("2024-13", true, "x").is_err());
    }

    #[test]
    fn stop_words_are_left_out_not_required() {
        let dir = std::env::temp_dir().join(format!("kz-compile-stop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = KamerIndex::open_or_create(&dir).unwrap();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let compile = |q: &str| {
            let tree = crate::parse::parse(q);
            let query = Compiler::new(&index, &searcher)
                .compile(&tree, &Filters::default())
                .unwrap();
            format!("{query:?}")
        };
        // `een` and `voor` are not indexed; required, they would match nothing.
        let q = compile("een tandartscontrole voor iedereen");
        assert!(!q.contains("EmptyQuery"), "{q}");
        assert!(q.contains("tandartscontro"), "{q}");
        // Only stop words: nothing to look for, so nothing found (not everything).
        assert!(compile("een het").contains("EmptyQuery"));
        assert!(!compile("-een").contains("AllQuery"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn escaping() {
        assert_eq!(regex_escape("a.b"), "a\\.b");
    }
}
