//! Compound splitting on lindera's lattice: the corpus lexicon becomes a lindera prefix
//! dictionary (word cost = per-part penalty − log frequency), Dutch linking elements (-s-, -en-,
//! -e-, -er-) are entries of their own that the connection matrix allows only between two
//! parts, and lindera's N-best Viterbi gives the cheapest segmentation that is not the whole
//! word.
//!
//! The shipped lexicon's dictionary is built at compile time (`build.rs`, from the same entries
//! as [`crate::lexicon_entries`] makes at run time) and loaded from its bytes: building it took
//! 90 million instructions, which a cold search paid whenever it highlighted a compound part
//! (median 16 → 12 ms over a hundred cold searches, 34 → 16 ms for `jeugdzorg`). A dictionary
//! of another word list (the tests') is built in memory, on a thread of its own; the first
//! split waits for it.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use lindera_dictionary::dictionary::character_definition::{
    CategoryData, CategoryId, CharacterDefinition, LookupTable,
};
use lindera_dictionary::dictionary::connection_cost_matrix::ConnectionCostMatrix;
use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;
use lindera_dictionary::dictionary::unknown_dictionary::UnknownDictionary;
use lindera_dictionary::mode::Mode;
use lindera_dictionary::nbest::NBestGenerator;
use lindera_dictionary::viterbi::{Lattice, LexType, WordEntry, WordId};

#[cfg(test)]
use crate::lexicon_entries::raw_entries;
use crate::lexicon_entries::{BOS_EOS, LINK, RawEntry, WORD, part_allowed};

/// A lexicon word is split only when the mean log-frequency of its parts exceeds its own by at
/// least this much (Koehn & Knight's criterion, with some slack): `centraal` (223) is not
/// `cent` (261) + `raal` (6), while `kindermishandeling` (82) is `kind` (277) + `mishandeling`
/// (11).
const MIN_GAIN: f64 = -0.5;
/// Words shorter than this are never split.
const MIN_WORD: usize = 7;
/// Cost of a connection that must not occur (a link at either end, two links in a row), and of
/// an unknown character: higher than any real segmentation of a word can cost.
const FORBIDDEN: i16 = 20_000;
/// Segmentations examined per word: the whole word (when it is in the lexicon) and the best
/// split come first; a third guards against ties.
const NBEST: usize = 3;

/// Lindera's dictionary parts, built from the lexicon.
struct Lexicon {
    prefix: PrefixDictionary,
    matrix: ConnectionCostMatrix,
    chars: CharacterDefinition,
    unknown: UnknownDictionary,
    /// Word id → is a linking element.
    is_link: Vec<bool>,
}

/// The lexicon, built once by whichever thread asks first (the loader's background thread,
/// normally); a thread that asks while it is being built waits for it.
struct LazyLexicon {
    built: OnceLock<Result<Lexicon, BuildError>>,
    /// The entries to build from, taken by the build; `None` for the shipped lexicon's.
    entries: Mutex<Option<Vec<RawEntry>>>,
}

impl LazyLexicon {
    fn get(&self) -> Result<&Lexicon, &BuildError> {
        self.built
            .get_or_init(|| {
                let entries = self
                    .entries
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take();
                entries.map_or_else(Lexicon::shipped, Lexicon::build)
            })
            .as_ref()
    }
}

impl std::fmt::Debug for LazyLexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.built.get() {
            Some(Ok(lex)) => write!(f, "Lexicon({} entries)", lex.is_link.len()),
            Some(Err(e)) => write!(f, "Lexicon(failed: {e})"),
            None => write!(f, "Lexicon(building)"),
        }
    }
}

impl Lexicon {
    fn build(raw: Vec<RawEntry>) -> Result<Lexicon, BuildError> {
        let (entries, is_link) = crate::lexicon_entries::word_entry_map(raw);
        let prefix = PrefixDictionary::from_word_entry_map(&entries).map_err(|e| e.to_string())?;
        Lexicon::with_prefix(prefix, is_link)
    }

    /// The shipped lexicon's dictionary, as `build.rs` made it.
    fn shipped() -> Result<Lexicon, BuildError> {
        let prefix = PrefixDictionary::load(
            &include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.trie"))[..],
            &include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.valsidx"))[..],
            &include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.vals"))[..],
            Vec::new(),
            Vec::new(),
        )
        .map_err(|e| e.to_string())?;
        let is_link = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.links"))
            .iter()
            .map(|&b| b == 1)
            .collect();
        Lexicon::with_prefix(prefix, is_link)
    }

    fn with_prefix(prefix: PrefixDictionary, is_link: Vec<bool>) -> Result<Lexicon, BuildError> {
        let matrix = ConnectionCostMatrix::load(connection_matrix()).map_err(|e| e.to_string())?;
        // One character category for everything, invoked everywhere with one-character unknown
        // words: the lattice always has a path, and any path through an unknown is too costly to
        // count as a split.
        let chars = CharacterDefinition::new(
            vec![CategoryData {
                invoke: true,
                group: false,
                length: 1,
            }],
            vec!["DEFAULT".to_string()],
            LookupTable::from_fn(vec![0], &|_, out| out.push(CategoryId(0))),
        );
        let unknown = UnknownDictionary {
            category_references: vec![vec![0]],
            costs: vec![WordEntry::new(
                WordId::new(LexType::Unknown, 0),
                FORBIDDEN,
                WORD,
                WORD,
            )],
            words_idx_data: vec![0],
            words_data: 0u32.to_le_bytes().to_vec(),
        };
        Ok(Lexicon {
            prefix,
            matrix,
            chars,
            unknown,
            is_link,
        })
    }
}

/// The lexicon lattice and the splitting rules.
#[derive(Debug)]
pub(crate) struct Splitter {
    lexicon: Arc<LazyLexicon>,
    /// The lexicon's words, borrowed from the embedded file: 25,000 words copied into strings,
    /// twice (here and in `parts`), were most of the 6–9 ms a start spent preparing the splitter.
    freq: FxHashMap<&'static str, u64>,
    protected: FxHashSet<String>,
    /// The words that may be parts: a split needs one as a prefix and one as a suffix, and
    /// checking that first spares the lattice for most words (it costs microseconds a word).
    parts: FxHashSet<&'static str>,
    /// The parts of every lexicon word that splits, as the lattice makes them
    /// (`lexicon-splits.tsv`): a lexicon word not here does not split. Given to the splitters
    /// that index ([`Splitter::know_lexicon_splits`]); until then, and in a search, which
    /// splits a handful of words, the lattice splits every word.
    known: OnceLock<KnownSplits>,
}

/// Each lexicon word that splits, with its parts as char ranges.
pub(crate) type KnownSplits = FxHashMap<&'static str, Vec<(usize, usize)>>;

/// Why a lexicon cannot become a lindera dictionary.
pub(crate) type BuildError = String;

impl Splitter {
    /// A splitter of the shipped lexicon (`freq` read from `lexicon.tsv`), with the dictionary
    /// `build.rs` made of it; `no_prefix` words never become parts, `protected` words are never
    /// split.
    pub fn shipped(
        freq: FxHashMap<&'static str, u64>,
        protected: FxHashSet<String>,
        no_prefix: FxHashSet<String>,
    ) -> Splitter {
        Splitter::with_lexicon(freq, protected, &no_prefix, None)
    }

    /// Whether `word` is in the lexicon.
    pub fn is_lexicon_word(&self, word: &str) -> bool {
        self.freq.contains_key(word)
    }

    /// From now on the lexicon's words split as `known` says (which must be what the lattice
    /// makes of them: the shipped lexicon's `lexicon-splits.tsv`); only the first call counts.
    pub fn know_lexicon_splits(&self, known: KnownSplits) {
        let _ = self.known.set(known);
    }

    /// Whether [`Splitter::know_lexicon_splits`] was called.
    pub fn knows_lexicon_splits(&self) -> bool {
        self.known.get().is_some()
    }

    /// A splitter of any word list, its dictionary built on a thread of its own (see the module
    /// comment); [`Splitter::ready`] waits for it and says whether the build succeeded.
    #[cfg(test)]
    pub fn new(
        freq: FxHashMap<&'static str, u64>,
        protected: FxHashSet<String>,
        no_prefix: FxHashSet<String>,
    ) -> Splitter {
        let raw = raw_entries(freq.iter().map(|(w, &f)| (*w, f)), &no_prefix);
        let splitter = Splitter::with_lexicon(freq, protected, &no_prefix, Some(raw));
        let background = splitter.lexicon.clone();
        // If the thread cannot start, the first split builds the dictionary itself.
        let _ = std::thread::Builder::new()
            .name("kamerzoek-lexicon".into())
            .spawn(move || {
                let _ = background.get();
            });
        splitter
    }

    fn with_lexicon(
        freq: FxHashMap<&'static str, u64>,
        protected: FxHashSet<String>,
        no_prefix: &FxHashSet<String>,
        entries: Option<Vec<RawEntry>>,
    ) -> Splitter {
        let mut parts = FxHashSet::default();
        parts.reserve(freq.len());
        parts.extend(
            freq.iter()
                .filter(|(w, f)| part_allowed(w, **f, no_prefix))
                .map(|(w, _)| *w),
        );
        Splitter {
            lexicon: Arc::new(LazyLexicon {
                built: OnceLock::new(),
                entries: Mutex::new(entries),
            }),
            freq,
            protected,
            parts,
            known: OnceLock::new(),
        }
    }

    /// Waits for the dictionary build; its error, if it failed.
    #[cfg(test)]
    pub fn ready(&self) -> Result<(), BuildError> {
        self.lexicon.get().map(|_| ()).map_err(Clone::clone)
    }

    /// Whether the parts (char ranges of `word`) are together more plausible than the word:
    /// a word the lexicon lacks always is.
    fn rarer_than_parts(&self, word: &str, parts: &[(usize, usize)]) -> bool {
        let Some(&whole) = self.freq.get(word) else {
            return true;
        };
        let chars: Vec<char> = word.chars().collect();
        let ln = |w: &str| self.freq.get(w).map_or(0.0, |&f| (f as f64).ln());
        let mean = parts
            .iter()
            .map(|&(a, b)| ln(&chars[a..b].iter().collect::<String>()))
            .sum::<f64>()
            / parts.len() as f64;
        mean - (whole as f64).ln() >= MIN_GAIN
    }

    /// Whether some part is a proper prefix of `word` and some part a proper suffix: every
    /// split starts and ends with a part (never a link), so a word without both has none.
    fn could_split(&self, word: &str) -> bool {
        let cuts = || word.char_indices().skip(1).map(|(i, _)| i);
        cuts().any(|i| self.parts.contains(&word[..i]))
            && cuts().any(|i| self.parts.contains(&word[i..]))
    }

    /// The parts of a folded, lowercase word as (char start, char end), or empty when it is not
    /// a compound. Linking elements are not part of any part.
    pub fn split(&self, word: &str) -> Vec<(usize, usize)> {
        let n = word.chars().count();
        if n < MIN_WORD
            || n >= u16::MAX as usize
            || self.protected.contains(word)
            || !word.chars().all(char::is_alphabetic)
        {
            return Vec::new();
        }
        if let Some(known) = self.known.get()
            && self.is_lexicon_word(word)
        {
            return known.get(word).cloned().unwrap_or_default();
        }
        if !self.could_split(word) {
            return Vec::new();
        }
        thread_local! {
            static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
        }
        // A failed build was reported by `ready` at load; without a dictionary nothing splits.
        let Ok(lex) = self.lexicon.get() else {
            return Vec::new();
        };
        // Byte offset → char index, for the (byte start, word id) pairs lindera returns.
        let char_at = |byte: usize| word[..byte].chars().count();
        // The first valid segmentation that is more plausible than the word, in N-best order.
        // The paths are generated one at a time, so a path that settles the word spares
        // generating the ones after it.
        LATTICE.with_borrow_mut(|lattice| {
            lattice.set_text_nbest(
                &lex.prefix,
                &None,
                &lex.chars,
                &lex.unknown,
                &lex.matrix,
                word,
                &Mode::Normal,
                None,
                false,
            );
            let mut generator = NBestGenerator::new(lattice);
            for (path, _) in std::iter::from_fn(|| generator.next()).take(NBEST) {
                let link = |i: usize| lex.is_link.get(path[i].1.id() as usize).copied();
                // N-best goes on past the forbidden connections, so they are checked here: a
                // path through an unknown character, starting or ending in a link, or with two
                // links in a row is no segmentation into parts.
                let valid = path.iter().all(|(_, id)| !id.is_unknown())
                    && link(0) == Some(false)
                    && link(path.len() - 1) == Some(false)
                    && (1..path.len())
                        .all(|i| !(link(i - 1) == Some(true) && link(i) == Some(true)));
                if !valid {
                    continue;
                }
                let mut parts = Vec::new();
                for (i, (start, _)) in path.iter().enumerate() {
                    if link(i) != Some(false) {
                        continue;
                    }
                    let end = path.get(i + 1).map_or(word.len(), |next| next.0);
                    parts.push((char_at(*start), char_at(end)));
                }
                if parts.len() >= 2 && self.rarer_than_parts(word, &parts) {
                    return parts;
                }
            }
            Vec::new()
        })
    }
}

/// The connection matrix in lindera's binary layout (marker −1, forward size, backward size,
/// then cost[prev right id + next left id × forward size]): links only between two parts.
fn connection_matrix() -> Vec<u8> {
    const N: u16 = 3;
    let cost = |prev: u16, next: u16| -> i16 {
        match (prev, next) {
            (BOS_EOS, LINK) | (LINK, BOS_EOS) | (LINK, LINK) => FORBIDDEN,
            _ => 0,
        }
    };
    let mut bytes = Vec::new();
    for v in [-1i16, N as i16, N as i16] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    for next in 0..N {
        for prev in 0..N {
            bytes.extend_from_slice(&cost(prev, next).to_le_bytes());
        }
    }
    bytes
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
            ("wetsvoorstel", 5_000),
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
            ("cent", 261),
            ("raal", 6),
            ("centraal", 223),
        ];
        let s = Splitter::new(
            words.iter().copied().collect(),
            ["onderzoek".to_string()].into_iter().collect(),
            ["onder".to_string()].into_iter().collect(),
        );
        s.ready().unwrap();
        s
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
        let table: &[(&str, &[&str])] = &[
            ("vrouwenopvang", &["vrouwen", "opvang"]),
            ("kindermishandeling", &["kinder", "mishandeling"]),
            // In the lexicon as a whole word, still split.
            ("wetsvoorstel", &["wet", "voorstel"]),
            ("huisverbod", &["huis", "verbod"]),
            ("veiligheidsbeoordeling", &["veiligheid", "beoordeling"]),
            ("huisverbodsvoorstel", &["huis", "verbod", "voorstel"]),
        ];
        for (word, expected) in table {
            assert_eq!(parts(&s, word), *expected, "{word}");
        }
    }

    #[test]
    fn leaves_non_compounds() {
        let s = splitter();
        // protected; too short; a particle is no part; an unknown remainder; a link at the end;
        // parts much rarer than the word; a link at the start.
        for word in [
            "onderzoek",
            "opvang",
            "onderhuis",
            "mishandeling",
            "huisverbodx",
            "vrouwenopvangen",
            "centraal",
            "svrouwenopvang",
        ] {
            assert!(parts(&s, word).is_empty(), "{word}: {:?}", parts(&s, word));
        }
    }
}
