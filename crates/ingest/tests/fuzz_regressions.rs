//! Inputs found by the fuzz targets `ingest_text`, `ingest_xml` and `pdf` (`fuzz/`), plus hand-made
//! nasty ones: each file in `tests/fuzz-regressions/` goes through `Ingester::parse_bytes` under
//! its own name (the extension picks text or XML, as the targets' `fuzz.txt` / `fuzz.xml` do) and
//! must return a document or a typed error, without panicking and without taking seconds.
//! A new crash input is a new file here; its name says what it guards.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use kamerzoek_ingest::Ingester;

/// Far above what any of these inputs needs even unoptimised; a slow input (the fuzzers run with
/// a 10 s timeout) shows up here as a failure rather than as a hang.
const MAX_TIME: Duration = Duration::from_secs(5);

#[test]
fn fuzz_regressions_parse_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "regression inputs missing in {}",
        dir.display()
    );
    let ingester = Ingester::new().unwrap();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        // Printed first, so a crash that cannot be caught (stack overflow) still names its input.
        eprintln!("{name}");
        let started = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| ingester.parse_bytes(&name, &bytes))) {
            Ok(Ok(doc)) => eprintln!("  ok: {} sections", doc.sections.len()),
            Ok(Err(e)) => eprintln!("  error: {e}"),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
        let took = started.elapsed();
        if took > MAX_TIME {
            failures.push(format!("{name}: took {took:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
