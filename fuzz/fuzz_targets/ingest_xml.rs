//! Arbitrary bytes as a `.xml` document (officielebekendmakingen motion XML): the XML reader and
//! the XML-to-document builder must return a document or a typed error, never panic or hang.
#![no_main]

use std::sync::OnceLock;

use kamerzoek_ingest::Ingester;
use libfuzzer_sys::fuzz_target;

fn ingester() -> &'static Ingester {
    static INGESTER: OnceLock<Ingester> = OnceLock::new();
    INGESTER.get_or_init(|| Ingester::new().expect("embedded ingest data loads"))
}

fuzz_target!(|data: &[u8]| {
    let _ = ingester().parse_bytes("fuzz.xml", data);
});
