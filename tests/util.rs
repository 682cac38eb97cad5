//! Running the binary and finding the real documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The real-document folder, or `None` (skip) outside CI.
pub fn shared() -> Option<PathBuf> {
    kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test.
pub fn kamerzoek() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kamerzoek"));
    c.env_remove("KAMERZOEK_INDEX").env("NO_COLOR", "1");
    c
}

/// Runs the binary with `args`, returning its output.
pub fn run(args: &[&str]) -> Output {
    kamerzoek().args(args).output().expect("run kamerzoek")
}

/// Runs and parses stdout as JSON, asserting the exit code.
pub fn run_json(args: &[&str], code: i32) -> serde_json::Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "kamerzoek {args:?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A fresh temporary folder under the target dir, removed first if it exists.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `doc_id` of each hit of a `search --format json` answer, in order.
pub fn hit_ids(answer: &serde_json::Value) -> Vec<&str> {
    answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["doc_id"].as_str().expect("doc_id"))
        .collect()
}

/// Each line of `stdout` (JSON lines: `batch`, `search --format jsonl`) as JSON.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes `n` synthetic Kamerbrief-like text files (deterministic) into `dir`, so tests that
/// need many files do not depend on `../shared`.
pub fn write_synthetic_letters(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let topics = [
        "vrouwenopvang",
        "stikstof",
        "jeugdzorg",
        "woningbouw",
        "femicide",
        "asielopvang",
    ];
    for i in 0..n {
        let topic = topics[i % topics.len()];
        let mut text = format!(
            "Tweede Kamer der Staten-Generaal\n\nDatum {} maart 2025\nBetreft Voortgang {topic} nummer {i}\n\n",
            1 + i % 28
        );
        for p in 0..(1 + i % 4) {
            text.push_str(&format!(
                "{}. Stand van zaken {topic} deel {p}\n\nIn deze paragraaf beschrijf ik de voortgang van de aanpak van {topic}. \
                 Met de motie van het lid Temmink (Kamerstuk 28345-{}) is gevraagd om extra inzet; \
                 de gemeenten werken hieraan in regio {i}.\n\n",
                p + 1,
                200 + i % 50
            ));
        }
        std::fs::write(dir.join(format!("brief-{i:05}.txt")), text).unwrap();
    }
}
