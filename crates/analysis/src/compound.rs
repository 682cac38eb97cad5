//! Compound splitting over a corpus lexicon: a lattice of lexicon words over the characters of
//! a word, with Dutch linking elements (-s-, -en-, -e-) between parts, solved by Viterbi for
//! the segmentation with the best summed log-frequency minus a per-part penalty.

use std::collections::{HashMap, HashSet};

/// Linking elements that may stand between two parts (`vrouw|en|opvang`, `veiligheid|s|…`).
const LINKS: &[&str] = &["s", "en", "e", "er"];
/// A part shorter than this must be very frequent (`wet|s|voorstel`).
const MIN_PART: usize = 4;
const SHORT_PART_MIN_FREQ: u64 = 2_000;
/// Words shorter than this are never split.
const MIN_WORD: usize = 7;
/// Each part costs this much log-frequency, so that fewer, longer parts win.
const PART_PENALTY: f64 = 4.0;

/// The lexicon and the splitting rules.
#[derive(Debug, Default)]
pub(crate) struct Splitter {
    freq: HashMap<String, u64>,
    protected: HashSet<String>,
    no_prefix: HashSet<String>,
    max_len: usize,
}

impl Splitter {
    pub fn new(
        freq: HashMap<String, u64>,
        protected: HashSet<String>,
        no_prefix: HashSet<String>,
    ) -> Splitter {
        let max_len = freq.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        Splitter {
            freq,
            protected,
            no_prefix,
            max_len,
        }
    }

    fn part_score(&self, part: &str) -> Option<f64> {
        // Particles (onder, voor) make derivations and suffixes (heid) are not words: neither
        // is ever a part, so voorstel stays whole inside wets|voorstel.
        if self.no_prefix.contains(part) {
            return None;
        }
        let n = part.chars().count();
        let f = *self.freq.get(part)?;
        if n < MIN_PART && (n < 3 || f < SHORT_PART_MIN_FREQ) {
            return None;
        }
        Some((f as f64).ln() - PART_PENALTY)
    }

    /// The parts of a folded, lowercase word as (char start, char end), or empty when it is not
    /// a compound. Linking elements are not part of any part.
    pub fn split(&self, word: &str) -> Vec<(usize, usize)> {
        let chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        if n < MIN_WORD || self.protected.contains(word) || !chars.iter().all(|c| c.is_alphabetic())
        {
            return Vec::new();
        }
        // Byte offset of each character, so parts are looked up as slices, not new Strings.
        let bytes: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(word.len()))
            .collect();
        let sub = |a: usize, b: usize| -> &str { &word[bytes[a]..bytes[b]] };
        // best[i] = best score of a segmentation of chars[..i] ending at a part boundary,
        // with back-pointers (part start, part end).
        let mut best: Vec<Option<(f64, usize, usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0.0, 0, 0, 0));
        for end in 1..=n {
            let lo = end.saturating_sub(self.max_len.min(n));
            for start in lo..end {
                if start == 0 && end == n {
                    continue; // the whole word is not a segmentation into parts
                }
                // The part chars[start..end] may follow a boundary at `start` directly, or after
                // a linking element that ends at `start`.
                let Some(score) = self.part_score(sub(start, end)) else {
                    continue;
                };
                let mut candidates = vec![start];
                if start > 0 {
                    for l in LINKS {
                        let ll = l.chars().count();
                        if start >= ll && sub(start - ll, start) == *l {
                            candidates.push(start - ll);
                        }
                    }
                }
                for boundary in candidates {
                    if boundary == 0 && start != 0 {
                        continue; // a word does not start with a linking element
                    }
                    let Some((prev, ..)) = best[boundary] else {
                        continue;
                    };
                    let total = prev + score;
                    if best[end].is_none_or(|(s, ..)| total > s) {
                        best[end] = Some((total, boundary, start, end));
                    }
                }
            }
        }
        let mut parts = Vec::new();
        let mut at = n;
        while at > 0 {
            let Some((_, boundary, start, end)) = best[at] else {
                return Vec::new();
            };
            parts.push((start, end));
            at = boundary;
        }
        parts.reverse();
        if parts.len() < 2 {
            return Vec::new();
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter() -> Splitter {
        let words = [
            ("vrouwen", 388),
            ("opvang", 170),
            ("kinder", 44),
            ("mishandeling", 11),
            ("wet", 12_287),
            ("voorstel", 1_337),
            ("huis", 256),
            ("verbod", 304),
            ("onder", 3_000),
            ("zoek", 50),
            ("onderzoek", 4_000),
            ("veiligheid", 846),
            ("beoordeling", 117),
            ("vrouw", 300),
            ("mis", 40),
            ("handeling", 30),
        ];
        Splitter::new(
            words.iter().map(|(w, f)| (w.to_string(), *f)).collect(),
            ["onderzoek".to_string()].into_iter().collect(),
            ["onder".to_string()].into_iter().collect(),
        )
    }

    fn parts(s: &Splitter, w: &str) -> Vec<String> {
        let c: Vec<char> = w.chars().collect();
        s.split(w)
            .into_iter()
            .map(|(a, b)| c[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn splits_compounds_with_links() {
        let s = splitter();
        assert_eq!(parts(&s, "vrouwenopvang"), vec!["vrouwen", "opvang"]);
        assert_eq!(
            parts(&s, "kindermishandeling"),
            vec!["kinder", "mishandeling"]
        );
        assert_eq!(parts(&s, "wetsvoorstel"), vec!["wet", "voorstel"]);
        assert_eq!(parts(&s, "huisverbod"), vec!["huis", "verbod"]);
        assert_eq!(
            parts(&s, "veiligheidsbeoordeling"),
            vec!["veiligheid", "beoordeling"]
        );
    }

    #[test]
    fn leaves_non_compounds() {
        let s = splitter();
        assert!(parts(&s, "onderzoek").is_empty());
        assert!(parts(&s, "mishandeling").is_empty());
        assert!(parts(&s, "opvang").is_empty());
    }
}
