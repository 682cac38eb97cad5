//! Dutch text analysis for tantivy: tokenization that keeps keys (`29279-890`, `2024D38217`,
//! `regio's`), lowercasing, diacritic folding, Dutch stop words, a light stemmer, compound
//! splitting that adds the parts of a compound at the compound's position, and separable verbs
//! written apart (`op te nemen`) added whole (`opnemen`) at the infinitive's position.
//!
//! Two analyzers share one pipeline: [`INDEX_TOKENIZER`] adds compound parts and joined verbs
//! (so `opvang` finds `vrouwenopvang`, `opnemen` finds `op te nemen`), [`QUERY_TOKENIZER`] does
//! not (so `vrouwenopvang` matches the whole word).
//!
//! ```
//! let analysis = kamerzoek_analysis::DutchAnalysis::load()?;
//! let texts: Vec<String> = analysis.analyze("Vrouwenopvang en moties").into_iter().map(|t| t.text).collect();
//! assert!(texts.contains(&"opvang".to_string()));
//! assert_eq!(analysis.analyze_query("moties")[0].text, analysis.analyze_query("motie")[0].text);
//! # Ok::<(), kamerzoek_analysis::AnalysisError>(())
//! ```
#![deny(missing_docs)]

mod compound;
// Outside the tests only `build.rs` makes entries from frequencies (the shipped dictionary).
#[cfg_attr(not(test), allow(dead_code))]
mod lexicon_entries;
mod stem;
mod tokenizer;

use std::sync::Arc;

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

pub use tokenizer::{DutchTokenizer, KeywordTokenizer};

/// Name of the index-time analyzer (with compound parts).
pub const INDEX_TOKENIZER: &str = "nl_index";
/// Name of the query-time analyzer (no compound parts).
pub const QUERY_TOKENIZER: &str = "nl_query";
/// Name of the keyword analyzer: the whole value as one lowercased, folded token (ids, keys).
pub const KEYWORD_TOKENIZER: &str = "nl_keyword";

const STOPWORDS: (&str, &str) = (
    "index-schema/analysis/stopwords.txt",
    include_str!("../../../index-schema/analysis/stopwords.txt"),
);
const OVERRIDES: (&str, &str) = (
    "index-schema/analysis/stem-overrides.tsv",
    include_str!("../../../index-schema/analysis/stem-overrides.tsv"),
);
const NO_SPLIT: (&str, &str) = (
    "index-schema/analysis/no-split.txt",
    include_str!("../../../index-schema/analysis/no-split.txt"),
);
const PARTICLES: (&str, &str) = (
    "index-schema/analysis/separable-particles.txt",
    include_str!("../../../index-schema/analysis/separable-particles.txt"),
);
const LEXICON: (&str, &str) = (
    "index-schema/analysis/lexicon.tsv",
    include_str!("../../../index-schema/analysis/lexicon.tsv"),
);
const LEXICON_SPLITS: (&str, &str) = (
    "index-schema/analysis/lexicon-splits.tsv",
    include_str!("../../../index-schema/analysis/lexicon-splits.tsv"),
);

/// A data file under `index-schema/analysis/` is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct AnalysisError {
    /// The data file.
    pub file: String,
    /// 1-based line, or 0 when the file as a whole is at fault.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// One token as the index would store it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The term.
    pub text: String,
    /// Token position (compound parts share their compound's position).
    pub position: usize,
    /// Byte offset of the first character in the input.
    pub offset_from: usize,
    /// Byte offset after the last character.
    pub offset_to: usize,
    /// A part of a compound, added beside the whole word.
    pub compound_part: bool,
    /// A separable verb joined from its particle, `te` and infinitive (`op te nemen` →
    /// `opnemen`), added beside the infinitive; its offsets span all three words.
    pub separable_verb: bool,
}

/// The loaded data shared by all analyzers.
#[derive(Debug)]
pub(crate) struct Data {
    pub stopwords: rustc_hash::FxHashSet<String>,
    pub overrides: stem::Overrides,
    /// Particles of separable verbs (`separable-particles.txt`): `op te nemen` is also
    /// indexed as `opnemen`.
    pub particles: rustc_hash::FxHashSet<String>,
    /// The compound splitter, made from the lexicon the first time a word is split or
    /// [`DutchAnalysis::prepare_compound_splitting`] asks for it: reading the 25,000-word
    /// lexicon and building its lattice is most of the analysis's start-up, and a search only
    /// splits words when it highlights a compound part.
    splitter: std::sync::OnceLock<Result<compound::Splitter, AnalysisError>>,
    /// Word analyses shared by every analyzer cloned from this data: without parts, with parts.
    pub shared: [tokenizer::SharedCache; 2],
    /// Tells this data's word caches from those of other data a thread has used (an address
    /// could be reused once the data is dropped; a number from a counter is not).
    pub id: u64,
}

impl Data {
    /// The compound splitter, made on first use; `None` when the lexicon is invalid (which
    /// [`DutchAnalysis::prepare_compound_splitting`] reports): then nothing splits.
    pub fn splitter(&self) -> Option<&compound::Splitter> {
        self.splitter_result().as_ref().ok()
    }

    fn splitter_result(&self) -> &Result<compound::Splitter, AnalysisError> {
        self.splitter.get_or_init(|| splitter(&self.stopwords))
    }
}

/// Dutch analysis: the data loaded once, analyzers made from it cheaply.
#[derive(Debug, Clone)]
pub struct DutchAnalysis {
    data: Arc<Data>,
}

fn lines(file: &(&str, &str)) -> impl Iterator<Item = (usize, &'static str)> + use<> {
    let text: &'static str = match file.0 {
        f if f == STOPWORDS.0 => STOPWORDS.1,
        f if f == OVERRIDES.0 => OVERRIDES.1,
        f if f == NO_SPLIT.0 => NO_SPLIT.1,
        f if f == PARTICLES.0 => PARTICLES.1,
        f if f == LEXICON_SPLITS.0 => LEXICON_SPLITS.1,
        _ => LEXICON.1,
    };
    data_lines(text)
}

/// The numbered lines of a data file that hold data: trimmed, without blanks and `#` comments.
fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, &'static str)> + use<> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn err(file: &str, line: usize, message: impl Into<String>) -> AnalysisError {
    AnalysisError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// The words never split and the words never parts (`no-split.txt`; a stop word is never a
/// part either: planten is not plan|ten).
fn split_rules(
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<(rustc_hash::FxHashSet<String>, rustc_hash::FxHashSet<String>), AnalysisError> {
    let (mut protected, mut no_prefix) =
        <(rustc_hash::FxHashSet<_>, rustc_hash::FxHashSet<_>)>::default();
    for (n, l) in lines(&NO_SPLIT) {
        match l.split_once(' ') {
            Some(("word", w)) => protected.insert(w.trim().to_string()),
            Some(("prefix" | "suffix", w)) => no_prefix.insert(w.trim().to_string()),
            _ => {
                return Err(err(
                    NO_SPLIT.0,
                    n,
                    "expected `word X`, `prefix X` or `suffix X`",
                ));
            }
        };
    }
    no_prefix.extend(stopwords.iter().cloned());
    Ok((protected, no_prefix))
}

/// Reads the lexicon and makes the compound splitter (with the lattice dictionary `build.rs`
/// made of the same lexicon).
fn splitter(
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<compound::Splitter, AnalysisError> {
    let (freq, protected, no_prefix) = splitter_inputs(stopwords)?;
    Ok(compound::Splitter::shipped(freq, protected, no_prefix))
}

/// The parts of each lexicon word that splits (`lexicon-splits.tsv`: the word, its parts as
/// char ranges, their text), as the lattice makes them: an index run then splits the lexicon's
/// words, a good half of the words it splits, without the lattice.
fn lexicon_splits(splitter: &compound::Splitter) -> Result<compound::KnownSplits, AnalysisError> {
    parse_lexicon_splits(splitter, LEXICON_SPLITS.0, LEXICON_SPLITS.1)
}

/// [`lexicon_splits`] of the text of `file`.
fn parse_lexicon_splits(
    splitter: &compound::Splitter,
    file: &str,
    text: &'static str,
) -> Result<compound::KnownSplits, AnalysisError> {
    let mut known = compound::KnownSplits::default();
    known.reserve(text.len() / 40);
    for (n, l) in data_lines(text) {
        let bad = |message: &str| err(file, n, message);
        let mut columns = l.split('\t');
        let (Some(word), Some(ranges), Some(texts), None) = (
            columns.next(),
            columns.next(),
            columns.next(),
            columns.next(),
        ) else {
            return Err(bad("expected `word<TAB>ranges<TAB>parts`"));
        };
        if !splitter.is_lexicon_word(word) {
            return Err(bad("not a word of lexicon.tsv"));
        }
        // Char index → byte offset (one past the end included), without allocating for the
        // ASCII words that most are.
        let offsets: Option<Vec<usize>> = (!word.is_ascii()).then(|| {
            let mut o: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
            o.push(word.len());
            o
        });
        let byte = |c: usize| offsets.as_ref().map_or(c, |o| o[c]);
        let chars = offsets.as_ref().map_or(word.len(), |o| o.len() - 1);
        let mut parts = Vec::with_capacity(2);
        let mut texts = texts.split(' ');
        for range in ranges.split(' ') {
            let parsed = range
                .split_once('-')
                .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
            let Some((a, b)) = parsed.filter(|&(a, b)| {
                a < b && b <= chars && parts.last().is_none_or(|&(_, end)| end <= a)
            }) else {
                return Err(bad(
                    "expected ascending char ranges `start-end` within the word",
                ));
            };
            if texts.next() != Some(&word[byte(a)..byte(b)]) {
                return Err(bad("the parts are not the word's text at the ranges"));
            }
            parts.push((a, b));
        }
        if texts.next().is_some() || parts.len() < 2 {
            return Err(bad(
                "the parts are not the word's text at the ranges, or fewer than two",
            ));
        }
        if known.insert(word, parts).is_some() {
            return Err(bad("the word is listed twice"));
        }
    }
    Ok(known)
}

/// What a splitter is made of: the lexicon's word frequencies, the words never split and the
/// words never parts.
type SplitterInputs = (
    rustc_hash::FxHashMap<&'static str, u64>,
    rustc_hash::FxHashSet<String>,
    rustc_hash::FxHashSet<String>,
);

fn splitter_inputs(
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<SplitterInputs, AnalysisError> {
    let (protected, no_prefix) = split_rules(stopwords)?;
    let mut freq = rustc_hash::FxHashMap::default();
    freq.reserve(LEXICON.1.len() / 12);
    for (n, l) in lines(&LEXICON) {
        let parsed = l
            .split_once('\t')
            .and_then(|(w, f)| Some((w, f.trim().parse::<u64>().ok()?)));
        let Some((w, f)) = parsed else {
            return Err(err(LEXICON.0, n, "expected `word<TAB>count`"));
        };
        // The lattice dictionary cannot hold these; checked here because it is built later,
        // on a thread of its own.
        if w.is_empty() || w.contains('\0') {
            return Err(err(LEXICON.0, n, "the word is empty or holds a NUL"));
        }
        freq.insert(w, f);
    }
    Ok((freq, protected, no_prefix))
}

impl DutchAnalysis {
    /// Loads and validates the embedded data (stop words, stemmer overrides, split rules); the
    /// compound lexicon is read when first needed (see
    /// [`DutchAnalysis::prepare_compound_splitting`]).
    ///
    /// # Errors
    /// An [`AnalysisError`] naming the file and line of a malformed entry.
    pub fn load() -> Result<DutchAnalysis, AnalysisError> {
        static LOADED: std::sync::OnceLock<Result<DutchAnalysis, AnalysisError>> =
            std::sync::OnceLock::new();
        LOADED.get_or_init(Self::load_uncached).clone()
    }

    fn load_uncached() -> Result<DutchAnalysis, AnalysisError> {
        let mut stopwords = rustc_hash::FxHashSet::default();
        for (n, l) in lines(&STOPWORDS) {
            if l.contains(char::is_whitespace) || l != tokenizer::fold(l) {
                return Err(err(
                    STOPWORDS.0,
                    n,
                    format!("`{l}` must be one folded lowercase word"),
                ));
            }
            stopwords.insert(l.to_string());
        }
        let mut overrides = stem::Overrides::default();
        for (n, l) in lines(&OVERRIDES) {
            let Some((w, s)) = l.split_once('\t') else {
                return Err(err(OVERRIDES.0, n, "expected `word<TAB>stem`"));
            };
            let (w, s) = (w.trim(), s.trim());
            let s = if s == "-" { w } else { s };
            if let Some(tail) = w.strip_prefix('*') {
                let len = tail.chars().count();
                if !s.starts_with('*')
                    || !(stem::SUFFIX_RULE_MIN..=stem::SUFFIX_RULE_MAX).contains(&len)
                {
                    return Err(err(
                        OVERRIDES.0,
                        n,
                        format!(
                            "a suffix rule is `*ending<TAB>*replacement`, the ending {}-{} letters",
                            stem::SUFFIX_RULE_MIN,
                            stem::SUFFIX_RULE_MAX
                        ),
                    ));
                }
            }
            overrides.insert(w, s);
        }
        let mut particles = rustc_hash::FxHashSet::default();
        for (n, l) in lines(&PARTICLES) {
            if l.contains(char::is_whitespace) || l != tokenizer::fold(l) || l == "te" {
                return Err(err(
                    PARTICLES.0,
                    n,
                    format!("`{l}` must be one folded lowercase word other than `te`"),
                ));
            }
            if !particles.insert(l.to_string()) {
                return Err(err(PARTICLES.0, n, format!("`{l}` is listed twice")));
            }
        }
        // The split rules are checked now (a few hundred lines); the lexicon when first needed.
        split_rules(&stopwords)?;
        Ok(DutchAnalysis {
            data: Arc::new(Data {
                stopwords,
                overrides,
                particles,
                splitter: std::sync::OnceLock::new(),
                shared: Default::default(),
                id: tokenizer::next_data_id(),
            }),
        })
    }

    /// Reads the compound lexicon and starts building its lattice dictionary on a thread of
    /// its own, unless done already. Indexing calls this before its first document, so that the
    /// lexicon is checked at the start and the dictionary is ready when the first compound
    /// comes; without the call the first split does it, on the thread that splits. A search
    /// splits words only to highlight compound parts, so it does not pay for the lexicon at
    /// start. It also reads the lexicon words' parts (`lexicon-splits.tsv`), so that indexing
    /// splits them without the lattice (a search splits too few words to gain from it).
    ///
    /// ```
    /// let a = kamerzoek_analysis::DutchAnalysis::load()?;
    /// a.prepare_compound_splitting()?;
    /// assert_eq!(a.compound_parts("jeugdzorg"), vec!["jeugd", "zorg"]);
    /// # Ok::<(), kamerzoek_analysis::AnalysisError>(())
    /// ```
    ///
    /// # Errors
    /// An [`AnalysisError`] naming the line of `lexicon.tsv` or `lexicon-splits.tsv` that is
    /// malformed.
    pub fn prepare_compound_splitting(&self) -> Result<(), AnalysisError> {
        let splitter = self.data.splitter_result().as_ref().map_err(Clone::clone)?;
        if !splitter.knows_lexicon_splits() {
            splitter.know_lexicon_splits(lexicon_splits(splitter)?);
        }
        Ok(())
    }

    /// The index-time analyzer (whole words and compound parts).
    pub fn index_analyzer(&self) -> TextAnalyzer {
        TextAnalyzer::from(DutchTokenizer::new(self.data.clone(), true))
    }

    /// The query-time analyzer (whole words only).
    pub fn query_analyzer(&self) -> TextAnalyzer {
        TextAnalyzer::from(DutchTokenizer::new(self.data.clone(), false))
    }

    /// The keyword analyzer: the trimmed value, lowercased and folded, as one token.
    pub fn keyword_analyzer(&self) -> TextAnalyzer {
        TextAnalyzer::from(KeywordTokenizer::default())
    }

    /// Registers the analyzers under [`INDEX_TOKENIZER`], [`QUERY_TOKENIZER`] and
    /// [`KEYWORD_TOKENIZER`].
    pub fn register(&self, manager: &TokenizerManager) {
        manager.register(INDEX_TOKENIZER, self.index_analyzer());
        manager.register(QUERY_TOKENIZER, self.query_analyzer());
        manager.register(KEYWORD_TOKENIZER, self.keyword_analyzer());
    }

    /// The tokens the index stores for `text`.
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        DutchTokenizer::new(self.data.clone(), true).tokens(text)
    }

    /// The tokens a query for `text` looks up.
    pub fn analyze_query(&self, text: &str) -> Vec<AnalyzedToken> {
        DutchTokenizer::new(self.data.clone(), false).tokens(text)
    }

    /// Lowercases and removes diacritics as the analyzers do (`Coördinatie` → `coordinatie`),
    /// one character for one character.
    ///
    /// ```
    /// let a = kamerzoek_analysis::DutchAnalysis::load()?;
    /// assert_eq!(a.fold("Coördinatie"), "coordinatie");
    /// # Ok::<(), kamerzoek_analysis::AnalysisError>(())
    /// ```
    pub fn fold(&self, text: &str) -> String {
        tokenizer::fold(text)
    }

    /// Folded strings of which at least one occurs in every word whose analysis yields
    /// `term`, whole or as a compound part: the start of the term (stemming changes at most
    /// the last two letters) and the irregular forms the overrides map onto it
    /// (`steden` for `stad`). A highlighter checks these before analysing a word at all.
    ///
    /// ```
    /// let a = kamerzoek_analysis::DutchAnalysis::load()?;
    /// let needles = a.surface_needles("stad");
    /// assert!(needles.iter().any(|n| "binnensteden".contains(n.as_str())));
    /// assert!(a.surface_needles("brief").iter().any(|n| "kamerbrieven".contains(n.as_str())));
    /// # Ok::<(), kamerzoek_analysis::AnalysisError>(())
    /// ```
    pub fn surface_needles(&self, term: &str) -> Vec<String> {
        let chars: Vec<char> = term.chars().collect();
        // The stemmer rewrites at most the last two letters (brieven → brief, jaren → jaar).
        let keep = if chars.len() >= 5 {
            chars.len() - 2
        } else {
            chars.len().min(2)
        };
        let mut out: Vec<String> = vec![chars[..keep].iter().collect()];
        for (ending, replacement) in self.data.overrides.suffixes() {
            // A suffix rule (`*leden` → `*lid`): kamerlid is written kamerleden.
            if let Some(head) = term.strip_suffix(replacement) {
                out.push(format!("{head}{ending}"));
            }
        }
        for (word, stem) in self.data.overrides.words() {
            if stem == term {
                out.push(word.to_string());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The folded parts of a compound (`vrouwenopvang` → `vrouwen`, `opvang`), empty when the
    /// word is not one.
    pub fn compound_parts(&self, word: &str) -> Vec<String> {
        let folded = tokenizer::fold(&word.to_lowercase());
        let chars: Vec<char> = folded.chars().collect();
        self.data
            .splitter()
            .map(|s| s.split(&folded))
            .unwrap_or_default()
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: Vec<AnalyzedToken>) -> Vec<String> {
        v.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn keys_and_folding() {
        let a = DutchAnalysis::load().unwrap();
        let t = texts(a.analyze_query("Kamerstuk 29279-890, 2024D38217 en regio's; Coördinatie"));
        assert!(t.contains(&"29279-890".to_string()), "{t:?}");
        assert!(t.contains(&"2024d38217".to_string()), "{t:?}");
        assert!(t.contains(&"regio".to_string()), "{t:?}");
        assert!(
            t.contains(&texts(a.analyze_query("coordinatie"))[0]),
            "{t:?}"
        );
        assert!(!t.contains(&"en".to_string()), "stop word kept: {t:?}");
    }

    #[test]
    fn the_shipped_lexicon_builds_a_lattice_dictionary() {
        // Built on a thread of its own at load; a failure would only show as no compound
        // ever splitting, so it is checked here.
        let a = DutchAnalysis::load().unwrap();
        a.prepare_compound_splitting().unwrap();
        a.data.splitter().unwrap().ready().unwrap();
    }

    #[test]
    fn only_an_analysis_with_parts_reads_the_lexicon() {
        // A fresh load: the process-wide one is shared with the other tests.
        let a = DutchAnalysis::load_uncached().unwrap();
        assert_eq!(a.analyze_query("Vrouwenopvang en kamerbrieven").len(), 2);
        assert!(
            a.data.splitter.get().is_none(),
            "a query analysis read the lexicon"
        );
        assert!(texts(a.analyze("vrouwenopvang")).contains(&"opvang".to_string()));
        assert!(a.data.splitter.get().is_some());
    }

    /// `build.rs` made the shipped dictionary from the data files; one built here from what the
    /// crate reads of them must split every lexicon word, and compounds of them, the same way
    /// (the shipped splitter takes the lexicon words' parts from `lexicon-splits.tsv`, so this
    /// also checks that file against the lattice, word by word).
    #[test]
    fn the_compiled_dictionary_is_the_lexicons() {
        let a = DutchAnalysis::load_uncached().unwrap();
        let (freq, protected, no_prefix) = splitter_inputs(&a.data.stopwords).unwrap();
        let mut words: Vec<String> = freq.keys().map(|w| w.to_string()).collect();
        words.sort();
        let built = compound::Splitter::new(freq, protected, no_prefix);
        built.ready().unwrap();
        a.prepare_compound_splitting().unwrap();
        let shipped = a.data.splitter().unwrap();
        assert!(shipped.knows_lexicon_splits());
        shipped.ready().unwrap();
        let compounds: Vec<String> = words
            .iter()
            .step_by(97)
            .zip(words.iter().skip(13).step_by(89))
            .map(|(x, y)| format!("{x}s{y}"))
            .collect();
        let mut split = 0;
        for w in words.iter().chain(&compounds) {
            let parts = shipped.split(w);
            split += usize::from(!parts.is_empty());
            assert_eq!(parts, built.split(w), "{w}");
        }
        assert!(split > 1_000, "only {split} words split");
    }

    const LEXICON_SPLITS_HEADER: &str = "\
# The parts of each word of lexicon.tsv that the compound lattice splits: the word, the parts as
# char ranges, the parts. A lexicon word not listed does not split; a run splits the lexicon's
# words from this list instead of the lattice. Written by a test, never by hand, after a change
# to lexicon.tsv, no-split.txt, stopwords.txt or the splitting rules:
#   UPDATE_GOLDEN=1 cargo test -p kamerzoek-analysis lexicon_splits
# (without UPDATE_GOLDEN the same test fails while this file is stale).
";

    /// `lexicon-splits.tsv` is what the lattice makes of every lexicon word.
    #[test]
    fn lexicon_splits_are_the_lattices() {
        use std::fmt::Write;
        let a = DutchAnalysis::load_uncached().unwrap();
        let (freq, protected, no_prefix) = splitter_inputs(&a.data.stopwords).unwrap();
        let mut words: Vec<&str> = freq.keys().copied().collect();
        words.sort_unstable();
        // Made from the word list, without the file: the lattice splits every word.
        let lattice = compound::Splitter::new(freq, protected, no_prefix);
        lattice.ready().unwrap();
        let mut text = LEXICON_SPLITS_HEADER.to_string();
        for w in words {
            let parts = lattice.split(w);
            if parts.is_empty() {
                continue;
            }
            let chars: Vec<char> = w.chars().collect();
            let ranges: Vec<String> = parts.iter().map(|(a, b)| format!("{a}-{b}")).collect();
            let texts: Vec<String> = parts
                .iter()
                .map(|&(a, b)| chars[a..b].iter().collect())
                .collect();
            writeln!(text, "{w}\t{}\t{}", ranges.join(" "), texts.join(" ")).unwrap();
        }
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
            std::fs::write(format!("{path}{}", LEXICON_SPLITS.0), &text).unwrap();
            return;
        }
        let first_difference = text
            .lines()
            .zip(LEXICON_SPLITS.1.lines())
            .position(|(made, shipped)| made != shipped)
            .unwrap_or(text.lines().count().min(LEXICON_SPLITS.1.lines().count()));
        assert!(
            text == LEXICON_SPLITS.1,
            "{}:{}: stale (UPDATE_GOLDEN=1 cargo test -p kamerzoek-analysis lexicon_splits \
             writes it again; then review the diff)",
            LEXICON_SPLITS.0,
            first_difference + 1
        );
    }

    /// Each way `lexicon-splits.tsv` can be malformed is an error naming its line.
    #[test]
    fn a_malformed_lexicon_split_names_its_line() {
        let a = DutchAnalysis::load_uncached().unwrap();
        let splitter = a.data.splitter().unwrap();
        assert!(lexicon_splits(splitter).unwrap().len() > 1_000);
        for (line, why) in [
            ("jeugdzorg\t0-5 5-9", "expected"),
            ("jeugdzorgx\t0-5 5-10\tjeugd zorgx", "not a word"),
            ("jeugdzorg\t0-5 4-9\tjeugd dzorg", "ascending"),
            ("jeugdzorg\t0-5 5-10\tjeugd zorg", "ascending"),
            ("jeugdzorg\t0-5 5-9\tjeugd zorgen", "not the word's text"),
            ("jeugdzorg\t0-5 5-9\tjeugd zorg zorg", "not the word's text"),
            ("jeugdzorg\t0-9\tjeugdzorg", "fewer than two"),
        ] {
            let e = parse_lexicon_splits(splitter, LEXICON_SPLITS.0, line).unwrap_err();
            assert_eq!((e.line, e.file.as_str()), (1, LEXICON_SPLITS.0), "{line}");
            assert!(e.message.contains(why), "{line}: {}", e.message);
        }
        let twice = "jeugdzorg\t0-5 5-9\tjeugd zorg\njeugdzorg\t0-5 5-9\tjeugd zorg";
        let e = parse_lexicon_splits(splitter, LEXICON_SPLITS.0, twice).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "the word is listed twice")
        );
    }

    #[test]
    fn compound_parts_share_the_position() {
        let a = DutchAnalysis::load().unwrap();
        let toks = a.analyze("de vrouwenopvang");
        let whole = toks.iter().find(|t| !t.compound_part).unwrap();
        let part = toks.iter().find(|t| t.text == "opvang").unwrap();
        assert!(part.compound_part);
        assert_eq!(part.position, whole.position);
        assert_eq!(
            &"de vrouwenopvang"[part.offset_from..part.offset_to],
            "opvang"
        );
        assert_eq!(a.compound_parts("Vrouwenopvang"), vec!["vrouwen", "opvang"]);
        assert!(
            a.analyze_query("vrouwenopvang")
                .iter()
                .all(|t| !t.compound_part)
        );
    }

    #[test]
    fn separable_verbs_written_apart_are_also_indexed_whole() {
        let a = DutchAnalysis::load().unwrap();
        let text = "verzoekt de regering dit op te nemen en Op te Heffen";
        let toks = a.analyze(text);
        let joined: Vec<&AnalyzedToken> = toks.iter().filter(|t| t.separable_verb).collect();
        assert_eq!(joined.len(), 2, "{toks:?}");
        assert_eq!(joined[0].text, texts(a.analyze_query("opnemen"))[0]);
        assert_eq!(
            &text[joined[0].offset_from..joined[0].offset_to],
            "op te nemen"
        );
        let nemen = toks
            .iter()
            .find(|t| t.text == texts(a.analyze_query("nemen"))[0]);
        assert_eq!(Some(joined[0].position), nemen.map(|t| t.position));
        assert_eq!(joined[1].text, texts(a.analyze_query("opheffen"))[0]);
        assert!(!joined[0].compound_part);
        // Not a particle (`om te`: "in order to"), not adjacent, not an infinitive, a stop
        // word as the verb, and the query side: nothing joined.
        for text in [
            "om te komen",
            "op hem te nemen",
            "op te hoge kosten",
            "op te zijn",
            "aan te",
            "te nemen",
        ] {
            assert!(!a.analyze(text).iter().any(|t| t.separable_verb), "{text}");
        }
        assert!(
            !a.analyze_query("op te nemen")
                .iter()
                .any(|t| t.separable_verb)
        );
    }

    /// Frequent corpus words through the whole query pipeline: inflections meet, unrelated
    /// words stay apart, and (index side) common non-compounds are not split.
    #[test]
    fn frequent_corpus_words() {
        let a = DutchAnalysis::load().unwrap();
        let q = |w: &str| texts(a.analyze_query(w));
        let same = [
            ("kind", "kinderen"),
            ("minister", "ministers"),
            ("brief", "brieven"),
            ("regering", "regeringen"),
            ("onderzoek", "onderzoeken"),
            ("gemeente", "gemeenten"),
            ("jaar", "jaren"),
            ("vraag", "vragen"),
            ("wet", "wetten"),
            ("stad", "steden"),
            ("mogelijkheid", "mogelijkheden"),
            ("kamerlid", "kamerleden"),
        ];
        for (x, y) in same {
            assert_eq!(q(x), q(y), "{x} / {y}");
        }
        let apart = [
            ("geweld", "wel"),
            ("gebied", "bieden"),
            ("beleid", "leiden"),
            ("regering", "regel"),
            ("proces", "proef"),
            ("kind", "kinder"),
        ];
        for (x, y) in apart {
            assert_ne!(q(x), q(y), "{x} / {y}");
        }
        for word in [
            "geweld",
            "gemeente",
            "beleid",
            "onderzoek",
            "regering",
            "ministers",
            "brieven",
            "kinderen",
            "voorstel",
            "betreft",
            "verantwoordelijkheid",
            "waardering",
            "centraal",
            "internationaal",
        ] {
            assert!(
                a.compound_parts(word).is_empty(),
                "{word}: {:?}",
                a.compound_parts(word)
            );
        }
        for (word, parts) in [
            ("jeugdzorg", vec!["jeugd", "zorg"]),
            ("kamerstukken", vec!["kamer", "stukken"]),
            ("actieplan", vec!["actie", "plan"]),
        ] {
            assert_eq!(a.compound_parts(word), parts, "{word}");
        }
    }
}
