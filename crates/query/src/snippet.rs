//! Snippets: the fragment of a section's text that holds most of the query's terms, with the
//! matched words (or compound parts) wrapped in `<em>`…`</em>`.
//!
//! tantivy's snippet generator runs the field's analyzer over the whole text, and the Dutch
//! analyzer with its compound lattice made that most of a query's time. Here a word is only
//! analysed when it contains one of the [`DutchAnalysis::surface_needles`] of a query term,
//! which rules out almost every word with a substring test; the words that remain go through
//! the real analyzer, so what is highlighted is exactly what matched.

use std::collections::HashMap;

use kamerzoek_analysis::DutchAnalysis;

/// The query's terms for one field, ready to highlight texts.
pub(crate) struct Highlighter {
    analysis: DutchAnalysis,
    /// Term → (index, weight).
    terms: HashMap<String, (usize, f32)>,
    needles: Vec<String>,
}

/// A matched stretch of text: byte range, the term's index and weight.
#[derive(Debug, Clone, Copy)]
struct Match {
    from: usize,
    to: usize,
    term: usize,
    weight: f32,
}

impl Highlighter {
    /// `terms`: the analysed query terms of the field with their weights (rarer terms weigh more).
    pub fn new(analysis: &DutchAnalysis, terms: Vec<(String, f32)>) -> Highlighter {
        let mut needles: Vec<String> = terms
            .iter()
            .flat_map(|(t, _)| analysis.surface_needles(t))
            .collect();
        needles.sort();
        needles.dedup();
        let terms = terms
            .into_iter()
            .enumerate()
            .map(|(i, (t, w))| (t, (i, w)))
            .collect();
        Highlighter {
            analysis: analysis.clone(),
            terms,
            needles,
        }
    }

    fn matches(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        if self.terms.is_empty() {
            return out;
        }
        let mut folded = String::new();
        // The two chunks before this one: a separable verb written apart (`op te nemen`)
        // matches its joined form (`opnemen`) across three chunks.
        let mut two_back: Option<(usize, &str)> = None;
        let mut one_back: Option<(usize, &str)> = None;
        for (start, chunk) in chunks(text) {
            if let (Some((from, particle)), Some((_, "te"))) = (two_back, one_back) {
                self.push_separable(text, from, particle, start + chunk.len(), &mut out);
            }
            (two_back, one_back) = (one_back, Some((start, chunk)));
            folded.clear();
            if chunk.is_ascii() {
                folded.extend(chunk.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                folded.push_str(&self.analysis.fold(chunk));
            }
            if !self.needles.iter().any(|n| folded.contains(n.as_str())) {
                continue;
            }
            // Whole words first: where a whole word matches, its parts cannot add a match (the
            // outer stretch is kept), so the compound lattice is needed only for a word that
            // holds a needle and does not match whole. That spares most snippets the lattice,
            // and a cold search the building of its dictionary.
            let before = out.len();
            let unmatched = self.push_matches(start, self.analysis.analyze_query(chunk), &mut out);
            let parts_needed = unmatched.iter().any(|&(from, to)| {
                let word = &chunk[from..to];
                let word = if word.is_ascii() {
                    word.to_ascii_lowercase()
                } else {
                    self.analysis.fold(word)
                };
                self.needles.iter().any(|n| word.contains(n.as_str()))
            });
            if parts_needed {
                out.truncate(before);
                self.push_matches(start, self.analysis.analyze(chunk), &mut out);
            }
        }
        // A compound and its part can both match; keep the outer stretch only.
        out.sort_by(|a, b| a.from.cmp(&b.from).then(b.to.cmp(&a.to)));
        let mut kept: Vec<Match> = Vec::with_capacity(out.len());
        for m in out {
            match kept.last() {
                Some(last) if m.from < last.to => {}
                _ => kept.push(m),
            }
        }
        kept
    }

    /// Adds the separable verb of `text[from..to]` (`particle te infinitive`), if its joined
    /// form holds a needle and is a query term.
    fn push_separable(
        &self,
        text: &str,
        from: usize,
        particle: &str,
        to: usize,
        out: &mut Vec<Match>,
    ) {
        let verb = text[from..to]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let joined = self.analysis.fold(&format!("{particle}{verb}"));
        if !self.needles.iter().any(|n| joined.contains(n.as_str())) {
            return;
        }
        let tokens = self.analysis.analyze(&text[from..to]);
        self.push_matches(
            from,
            tokens.into_iter().filter(|t| t.separable_verb).collect(),
            out,
        );
    }

    /// Adds the tokens (of a chunk starting at byte `start`) that are query terms to `out`;
    /// returns the byte ranges, within the chunk, of the tokens that are not.
    fn push_matches(
        &self,
        start: usize,
        tokens: Vec<kamerzoek_analysis::AnalyzedToken>,
        out: &mut Vec<Match>,
    ) -> Vec<(usize, usize)> {
        let mut unmatched = Vec::new();
        for tok in tokens {
            match self.terms.get(&tok.text) {
                Some(&(term, weight)) => out.push(Match {
                    from: start + tok.offset_from,
                    to: start + tok.offset_to,
                    term,
                    weight,
                }),
                None => unmatched.push((tok.offset_from, tok.offset_to)),
            }
        }
        unmatched
    }

    /// The best fragment of at most `max_chars` characters, highlighted, whitespace collapsed;
    /// empty when no query term occurs in `text`.
    pub fn snippet(&self, text: &str, max_chars: usize) -> String {
        let matches = self.matches(text);
        if matches.is_empty() {
            return String::new();
        }
        // The window (starting at a match) with the most weight: each distinct term counts
        // fully, repeats a little, so a fragment with every term beats one with one term often.
        let (mut best, mut best_score, mut best_end) = (0, f32::MIN, 0);
        let mut seen: Vec<usize> = Vec::new();
        for i in 0..matches.len() {
            seen.clear();
            let mut score = 0.0;
            let mut j = i;
            while j < matches.len() && char_len(&text[matches[i].from..matches[j].to]) <= max_chars
            {
                let m = matches[j];
                if seen.contains(&m.term) {
                    score += m.weight * 0.1;
                } else {
                    seen.push(m.term);
                    score += m.weight;
                }
                j += 1;
            }
            if score > best_score {
                (best, best_score, best_end) = (i, score, j.max(i + 1));
            }
        }
        let first = matches[best];
        let last = matches[best_end - 1];
        let span = char_len(&text[first.from..last.to]);
        // Some context before the first match, the rest after: from the text's start when the
        // match is early, else from a sentence start in reach, else from a word.
        let room = max_chars.saturating_sub(span);
        let mut start = back_chars(text, first.from, room / 3);
        if char_len(&text[..first.from]) <= room * 2 / 3 {
            start = 0;
        } else if let Some(i) = text[start..first.from].find(['.', ';', ':', '?', '!']) {
            start += i + 1;
        } else {
            start = text[start..first.from]
                .find(char::is_whitespace)
                .map_or(first.from, |i| start + i);
        }
        let mut end = forward_chars(text, start, max_chars).max(last.to);
        if end < text.len() {
            end = text[last.to..end]
                .rfind(char::is_whitespace)
                .map_or(last.to, |i| last.to + i);
        }
        let mut out = String::with_capacity(end - start + 32);
        let mut at = start;
        for m in &matches {
            if m.from < start || m.to > end {
                continue;
            }
            out.push_str(&text[at..m.from]);
            out.push_str("<em>");
            out.push_str(&text[m.from..m.to]);
            out.push_str("</em>");
            at = m.to;
        }
        out.push_str(&text[at..end]);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Whitespace-separated chunks with their byte offsets.
fn chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .filter(|c| !c.is_empty())
        .map(move |c| (c.as_ptr() as usize - text.as_ptr() as usize, c))
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(terms: &[&str]) -> Highlighter {
        let a = DutchAnalysis::load().unwrap();
        let terms = terms
            .iter()
            .map(|t| (a.analyze_query(t)[0].text.clone(), 1.0))
            .collect();
        Highlighter::new(&a, terms)
    }

    #[test]
    fn compound_parts_and_inflections_are_highlighted() {
        let h = hl(&["opvang", "motie"]);
        let s = h.snippet(
            "De Vrouwenopvang zit vol. Twee moties vragen om meer opvangplekken in de regio.",
            220,
        );
        assert_eq!(
            s,
            "De Vrouwen<em>opvang</em> zit vol. Twee <em>moties</em> vragen om meer \
             <em>opvang</em>plekken in de regio."
        );
    }

    #[test]
    fn a_separable_verb_written_apart_is_highlighted_whole() {
        let h = hl(&["opnemen", "basispakket"]);
        let s = h.snippet(
            "verzoekt de regering de tandarts in het basispakket op te nemen, en gaat over",
            220,
        );
        assert!(s.contains("<em>op te nemen</em>,"), "{s}");
        assert!(s.contains("<em>basispakket</em>"), "{s}");
        // `om te` is no separable verb, and a particle elsewhere is left alone.
        let h = hl(&["omkomen"]);
        assert_eq!(h.snippet("om te komen tot een besluit", 220), "");
    }

    #[test]
    fn irregular_forms_and_diacritics() {
        let h = hl(&["stad", "coördinatie"]);
        let s = h.snippet("In de binnensteden ontbreekt Coördinatie.", 220);
        assert!(s.contains("binnen<em>steden</em>"), "{s}");
        assert!(s.contains("<em>Coördinatie</em>"), "{s}");
    }

    #[test]
    fn the_fragment_with_every_term_wins_and_is_cut_on_words() {
        let h = hl(&["stikstof", "boeren"]);
        let filler = "woord ".repeat(60);
        let text = format!("stikstof {filler} hier gaat het om stikstof en boeren samen {filler}");
        let s = h.snippet(&text, 80);
        assert!(s.contains("<em>stikstof</em> en <em>boeren</em>"), "{s}");
        assert!(s.chars().count() <= 80 + 2 * 9, "{s}");
        assert!(s.starts_with("woord") || s.starts_with("hier"), "{s}");
        assert!(!s.ends_with("woor"), "{s}");
    }

    #[test]
    fn no_term_no_snippet() {
        let h = hl(&["stikstof"]);
        assert_eq!(h.snippet("Niets hierover.", 220), "");
        assert_eq!(hl(&[]).snippet("Niets.", 220), "");
    }
}
