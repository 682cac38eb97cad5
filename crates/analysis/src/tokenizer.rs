//! The tantivy tokenizer: one pass that splits, folds, drops stop words, stems and adds
//! compound parts.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::{AnalyzedToken, Data};

/// Lowercases and removes diacritics, one character for one character (so character offsets
/// of the folded word map back onto the original).
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .collect()
}

fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        '’' | '‘' => '\'',
        other => other,
    }
}

/// A word's stem and its compound parts (char ranges of the folded word, stemmed text).
type Analysis = (String, Vec<(usize, usize, String)>);

/// Entries kept per tokenizer before the cache is cleared (words follow Zipf's law, so a
/// modest cache catches most of them).
const CACHE_LIMIT: usize = 100_000;

/// Word analyses shared by all clones of a tokenizer. tantivy clones the registered analyzer
/// for every query and every snippet generator, so a per-clone cache alone starts cold on each
/// search and the compound lattice runs again for every word of every snippet.
#[derive(Debug, Default)]
pub(crate) struct SharedCache(std::sync::RwLock<std::collections::HashMap<String, Arc<Analysis>>>);

impl SharedCache {
    fn get(&self, word: &str) -> Option<Arc<Analysis>> {
        self.0.read().ok()?.get(word).cloned()
    }

    fn insert(&self, word: &str, analysis: &Arc<Analysis>) {
        if let Ok(mut map) = self.0.write() {
            if map.len() >= 4 * CACHE_LIMIT {
                map.clear();
            }
            map.insert(word.to_string(), analysis.clone());
        }
    }
}

/// The Dutch tokenizer; `parts` adds compound parts (index side).
#[derive(Clone)]
pub struct DutchTokenizer {
    data: Arc<Data>,
    parts: bool,
    /// Stemming and the compound lattice per distinct word are the costly steps; each tantivy
    /// indexing thread has its own tokenizer clone, so the cache needs no lock.
    cache: std::collections::HashMap<String, Arc<Analysis>>,
}

impl DutchTokenizer {
    pub(crate) fn new(data: Arc<Data>, parts: bool) -> DutchTokenizer {
        DutchTokenizer {
            data,
            parts,
            cache: std::collections::HashMap::new(),
        }
    }

    fn analyse_word(&mut self, folded: &str) -> Arc<Analysis> {
        if let Some(a) = self.cache.get(folded) {
            return a.clone();
        }
        let shared = &self.data.shared[usize::from(self.parts)];
        if let Some(a) = shared.get(folded) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            self.cache.insert(folded.to_string(), a.clone());
            return a;
        }
        let whole = crate::stem::stem(folded, &self.data.overrides);
        let mut parts = Vec::new();
        if self.parts {
            let fchars: Vec<char> = folded.chars().collect();
            for (a, b) in self.data.splitter.split(folded) {
                let part: String = fchars[a..b].iter().collect();
                let stemmed = crate::stem::stem(&part, &self.data.overrides);
                if stemmed != whole {
                    parts.push((a, b, stemmed));
                }
            }
        }
        let analysis = Arc::new((whole, parts));
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(folded.to_string(), analysis.clone());
        self.data.shared[usize::from(self.parts)].insert(folded, &analysis);
        analysis
    }

    /// Raw words with byte offsets: letters and digits, joined by an inner `-` between digits
    /// (`29279-890`), an inner `'` before letters (`regio's`), or a letter-digit change
    /// (`2024D38217`).
    fn words(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (b, c) = chars[i];
            if c.is_alphanumeric() {
                if start.is_none() {
                    start = Some(b);
                }
            } else if let Some(s) = start {
                let prev = chars[i - 1].1;
                let next = chars.get(i + 1).map(|x| x.1);
                let joins = match c {
                    '-' | '/' => {
                        prev.is_ascii_digit()
                            && next.is_some_and(|n| n.is_ascii_alphanumeric())
                            && text[s..b]
                                .chars()
                                .all(|x| x.is_ascii_digit() || x == '-' || x.is_ascii_uppercase())
                    }
                    '\'' | '’' => {
                        prev.is_alphabetic()
                            && next.is_some_and(|n| n.is_alphabetic())
                            && chars.get(i + 2).is_none_or(|x| !x.1.is_alphabetic())
                    }
                    _ => false,
                };
                if !joins {
                    out.push((s, b));
                    start = None;
                }
            }
            i += 1;
        }
        if let Some(s) = start {
            out.push((s, text.len()));
        }
        out
    }

    pub(crate) fn tokens(&mut self, text: &str) -> Vec<AnalyzedToken> {
        let mut out = Vec::new();
        let mut position = 0;
        for (from, to) in Self::words(text) {
            let raw = &text[from..to];
            let folded = fold(raw);
            if self.data.stopwords.contains(&folded) {
                position += 1;
                continue;
            }
            let analysis = self.analyse_word(&folded);
            let (whole, parts) = &*analysis;
            out.push(AnalyzedToken {
                text: whole.clone(),
                position,
                offset_from: from,
                offset_to: to,
                compound_part: false,
            });
            if !parts.is_empty() {
                // Folding maps one character to one, so part character ranges map back onto
                // the original text's byte offsets.
                let offsets: Vec<usize> = raw
                    .char_indices()
                    .map(|(i, _)| from + i)
                    .chain(std::iter::once(to))
                    .collect();
                for (a, b, stemmed) in parts {
                    if let (Some(&f), Some(&t)) = (offsets.get(*a), offsets.get(*b)) {
                        out.push(AnalyzedToken {
                            text: stemmed.clone(),
                            position,
                            offset_from: f,
                            offset_to: t,
                            compound_part: true,
                        });
                    }
                }
            }
            position += 1;
        }
        out
    }
}

/// The tokens of one text, handed to tantivy one by one.
pub struct DutchTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for DutchTokenizer {
    type TokenStream<'a> = DutchTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> DutchTokenStream {
        let tokens = self
            .tokens(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.offset_from,
                offset_to: t.offset_to,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        DutchTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for DutchTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Lowercases and folds the whole (trimmed) value into one token, so keys such as
/// `Kamerstuk 29279-890` or `2024D38217` match exactly, whatever their case or accents.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeywordTokenizer;

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = DutchTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> DutchTokenStream {
        let trimmed = text.trim();
        let tokens = if trimmed.is_empty() {
            Vec::new()
        } else {
            let from = text.len() - text.trim_start().len();
            vec![Token {
                offset_from: from,
                offset_to: from + trimmed.len(),
                position: 0,
                text: fold(trimmed),
                position_length: 1,
            }]
        };
        DutchTokenStream { tokens, index: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_is_one_folded_token() {
        let cases = [
            (
                "  Kamerstuk 29279-890 ",
                Some(("kamerstuk 29279-890", 2, 21)),
            ),
            ("2024D38217", Some(("2024d38217", 0, 10))),
            ("Coördinatie", Some(("coordinatie", 0, 12))),
            ("   ", None),
        ];
        for (input, expected) in cases {
            let mut t = KeywordTokenizer;
            let mut stream = t.token_stream(input);
            let got = stream.advance().then(|| {
                let tok = stream.token();
                (tok.text.clone(), tok.offset_from, tok.offset_to)
            });
            assert_eq!(
                got,
                expected.map(|(s, a, b)| (s.to_string(), a, b)),
                "{input:?}"
            );
            assert!(!stream.advance(), "{input:?}: more than one token");
        }
    }

    #[test]
    fn words_keep_keys() {
        let t = "Kamerstuk 29279-890, regio's en 2024D38217 zorg- en";
        let w: Vec<&str> = DutchTokenizer::words(t)
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect();
        assert_eq!(
            w,
            vec![
                "Kamerstuk",
                "29279-890",
                "regio's",
                "en",
                "2024D38217",
                "zorg",
                "en"
            ]
        );
    }
}
