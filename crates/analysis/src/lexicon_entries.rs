//! The entries of the compound lattice's dictionary, made from the lexicon's word frequencies.
//!
//! Shared, through `#[path]`, by the crate and its build script: the build script turns the
//! shipped lexicon into the dictionary's bytes at compile time, the crate makes dictionaries of
//! other word lists (its tests) at run time, and both must make the same entries.

use std::collections::{BTreeMap, HashSet};

use lindera_dictionary::viterbi::{LexType, WordEntry, WordId};

/// Linking elements that may stand between two parts (`vrouw|en|opvang`, `veiligheid|s|…`).
pub(crate) const LINKS: &[&str] = &["s", "en", "e", "er"];
/// A part shorter than this must be very frequent (`wet|s|voorstel`).
pub(crate) const MIN_PART: usize = 4;
pub(crate) const SHORT_PART_MIN_FREQ: u64 = 2_000;
/// Each part costs this much log-frequency, so that fewer, longer parts win.
pub(crate) const PART_PENALTY: f64 = 4.0;
/// Lattice costs are i16: log-frequencies are scaled by this before rounding.
pub(crate) const SCALE: f64 = 100.0;
/// Context ids of the connection matrix.
pub(crate) const BOS_EOS: u16 = 0;
pub(crate) const WORD: u16 = 1;
pub(crate) const LINK: u16 = 2;

/// A dictionary entry before the build: surface, cost, context id (`WORD` or `LINK`).
pub(crate) type RawEntry = (String, i16, u16);

/// Whether a lexicon word may be a part of a compound. Particles (onder, voor) make derivations
/// and suffixes (heid) are not words: neither is ever a part, so voorstel stays whole inside
/// wets|voorstel.
pub(crate) fn part_allowed<H: std::hash::BuildHasher>(
    word: &str,
    f: u64,
    no_prefix: &HashSet<String, H>,
) -> bool {
    // Run for each of the lexicon's 25,000 words at every start: ASCII needs no char count.
    let n = if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    };
    !no_prefix.contains(word) && (n >= MIN_PART || n == 3 && f >= SHORT_PART_MIN_FREQ)
}

/// The entries of the words that may be parts (word cost = per-part penalty − log frequency)
/// and of the linking elements.
pub(crate) fn raw_entries<'a, H: std::hash::BuildHasher>(
    freq: impl Iterator<Item = (&'a str, u64)>,
    no_prefix: &HashSet<String, H>,
) -> Vec<RawEntry> {
    let mut raw: Vec<RawEntry> = Vec::new();
    for (word, f) in freq {
        if part_allowed(word, f, no_prefix) {
            let cost = ((PART_PENALTY - (f as f64).ln()) * SCALE).round();
            raw.push((
                word.to_string(),
                cost.clamp(-30_000.0, 30_000.0) as i16,
                WORD,
            ));
        }
    }
    for link in LINKS {
        raw.push((link.to_string(), 0, LINK));
    }
    raw
}

/// The entries by surface, word ids in sorted order, and whether each word id is a link.
pub(crate) fn word_entry_map(
    mut raw: Vec<RawEntry>,
) -> (BTreeMap<String, Vec<WordEntry>>, Vec<bool>) {
    // Sorted first: the map is then built in one pass, and word ids follow the surfaces.
    raw.sort();
    let mut is_link = Vec::with_capacity(raw.len());
    let mut entries: Vec<(String, Vec<WordEntry>)> = Vec::with_capacity(raw.len());
    for (surface, cost, class) in raw {
        let id = WordId::new(LexType::System, is_link.len() as u32);
        is_link.push(class == LINK);
        let entry = WordEntry::new(id, cost, class, class);
        match entries.last_mut() {
            Some((last, list)) if *last == surface => list.push(entry),
            _ => entries.push((surface, vec![entry])),
        }
    }
    (entries.into_iter().collect(), is_link)
}
