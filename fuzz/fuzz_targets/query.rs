//! Arbitrary UTF-8 as a search: the query parser must never fail or panic, and a real search
//! (compile against the schema, execute, collect facets, make snippets) over a small index of
//! the bundled `corpus/` must return results or a typed `QueryError`, never panic or hang.
//! The input format (query line, then `c:value` filter lines) is described in the included file,
//! which the query crate's `tests/fuzz_regressions.rs` shares.
#![no_main]

#[path = "../../crates/query/tests/support/fuzz_input.rs"]
mod fuzz_input;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kamerzoek_query::Searcher;
use libfuzzer_sys::fuzz_target;

/// Indexes `corpus/` once per process into a fresh temporary folder.
fn searcher() -> &'static Searcher {
    static SEARCHER: OnceLock<Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_stale_indexes(&tmp);
        let dir = tmp.join(format!("kamerzoek-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        fuzz_input::corpus_searcher(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), &dir)
    })
}

/// Removes indexes left by earlier fuzz processes that have exited (libFuzzer ends with
/// `exit`, so a process cannot clean up after itself).
fn remove_stale_indexes(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("kamerzoek-fuzz-")
            && !PathBuf::from("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        fuzz_input::run(searcher(), text);
    }
});
