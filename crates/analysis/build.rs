//! Builds the compound lattice's prefix dictionary from the shipped lexicon at compile time.
//!
//! Building it (a double-array trie over 25,000 words) took 90 million instructions at every
//! start of a process that splits a word, and a search splits words when it highlights a
//! compound part: a cold `kamerzoek search` spent half its time on it. Loading the built bytes
//! takes nothing. The crate checks the
//! data files again when it loads them, with file and line in its errors; this script only
//! needs them well-formed enough to read, and stops the build naming the line when they are not.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/lexicon_entries.rs"]
mod lexicon_entries;

use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;

/// The lines that hold data, as the crate reads them: trimmed, without blanks and `#` comments.
fn data_lines(path: &Path) -> Vec<(usize, String)> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=src/lexicon_entries.rs");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let data = manifest.join("../../index-schema/analysis");

    // Stop words and the `prefix`/`suffix` lines of no-split.txt are never parts.
    let mut no_prefix: HashSet<String> = data_lines(&data.join("stopwords.txt"))
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    for (_, l) in data_lines(&data.join("no-split.txt")) {
        if let Some(("prefix" | "suffix", w)) = l.split_once(' ') {
            no_prefix.insert(w.trim().to_string());
        }
    }
    let lexicon = data.join("lexicon.tsv");
    let mut freq: Vec<(String, u64)> = Vec::new();
    for (n, l) in data_lines(&lexicon) {
        let parsed = l
            .split_once('\t')
            .and_then(|(w, f)| Some((w.to_string(), f.trim().parse::<u64>().ok()?)));
        match parsed {
            Some(entry) => freq.push(entry),
            None => panic!("{}:{n}: expected `word<TAB>count`", lexicon.display()),
        }
    }

    let raw = lexicon_entries::raw_entries(freq.iter().map(|(w, f)| (w.as_str(), *f)), &no_prefix);
    let (map, is_link) = lexicon_entries::word_entry_map(raw);
    let (trie, vals_idx) = PrefixDictionary::serialize_trie(&map)
        .unwrap_or_else(|e| panic!("{}: no lattice dictionary: {e}", lexicon.display()));
    // `WordEntry`'s own serialization (lindera's `dict.vals`): id, cost, left and right id.
    let mut vals = Vec::with_capacity(map.len() * 10);
    for entry in map.values().flatten() {
        vals.extend_from_slice(&entry.word_id().id().to_le_bytes());
        vals.extend_from_slice(&entry.word_cost().to_le_bytes());
        vals.extend_from_slice(&(entry.left_id() as u16).to_le_bytes());
        vals.extend_from_slice(&(entry.right_id() as u16).to_le_bytes());
    }
    let links: Vec<u8> = is_link.iter().map(|&l| u8::from(l)).collect();

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    for (name, bytes) in [
        ("lexicon.trie", &trie),
        ("lexicon.valsidx", &vals_idx),
        ("lexicon.vals", &vals),
        ("lexicon.links", &links),
    ] {
        std::fs::write(out.join(name), bytes)
            .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    }
}
