//! Arbitrary bytes as a `.pdf` file: `kamerzoek-docformat`'s PDF reader (pdf-extract on lopdf)
//! and ingest's layout reading must return a document or a typed error, never panic or hang.
//!
//! pdf-extract and lopdf panic on many malformed files; docformat catches those panics by design
//! (`catch_unwind` around loading, decrypting and each page) and reports them as warnings or an
//! error. libfuzzer-sys's panic hook aborts on every panic, caught or not, so this target
//! replaces it: a panic raised inside a registry crate (pdf-extract, lopdf and their
//! dependencies) is left to unwind quietly (docformat catches it; if it escaped, libfuzzer-sys
//! would still abort on it and keep the input), a panic in kamerzoek's own code aborts at once.
#![no_main]

use std::sync::{Once, OnceLock};

use kamerzoek_ingest::Ingester;
use libfuzzer_sys::fuzz_target;

fn ingester() -> &'static Ingester {
    static INGESTER: OnceLock<Ingester> = OnceLock::new();
    INGESTER.get_or_init(|| Ingester::new().expect("embedded ingest data loads"))
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map(|l| l.file()).unwrap_or("");
            if file.contains("/.cargo/registry/") {
                return;
            }
            default_hook(info);
            std::process::abort();
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    install_panic_hook();
    let _ = ingester().parse_bytes("fuzz.pdf", data);
});
