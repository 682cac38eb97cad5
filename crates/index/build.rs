//! Fingerprints what decides a file's indexed sections: the parsing, analysis and topic code
//! and the data files under `index-schema/`. The fingerprint is mixed into every document's
//! content hash, so that after an upgrade a re-run of `kamerzoek index` reads every file again
//! instead of keeping sections an older parser made from the same bytes.

use std::path::{Path, PathBuf};

/// What is read, relative to this crate. The query side (`crates/query`,
/// `index-schema/query`) and this crate's writer and merge code change no stored section.
const INPUTS: &[&str] = &[
    "../ingest/src",
    "../docformat/src",
    "../analysis/src",
    "../topics/src",
    "src/convert.rs",
    "../../index-schema/schema.toml",
    "../../index-schema/ingest",
    "../../index-schema/analysis",
    "../../index-schema/topics",
];

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // FNV-1a over each file's path (as listed) and bytes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for input in INPUTS {
        let path = manifest.join(input);
        println!("cargo:rerun-if-changed={}", path.display());
        let mut found = Vec::new();
        files(&path, &mut found);
        for f in found {
            let rel = f.strip_prefix(&manifest).unwrap_or(&f);
            eat(rel.to_string_lossy().as_bytes());
            eat(&std::fs::read(&f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display())));
        }
    }
    println!("cargo:rustc-env=KAMERZOEK_PARSER_FINGERPRINT={h:016x}");
}
