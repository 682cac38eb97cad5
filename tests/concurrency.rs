//! Searches keep answering while another process indexes and commits; a second writer on the
//! same index gets a clear error.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{kamerzoek, run, s, temp_dir, write_synthetic_letters};

#[test]
fn searches_answer_during_indexing_and_second_writer_is_refused() {
    let dir = temp_dir("concurrency");
    let docs = dir.join("docs");
    write_synthetic_letters(&docs, 3000);
    let index = dir.join("index");
    // A first small commit so the index exists before searching.
    let seed_docs = dir.join("seed");
    write_synthetic_letters(&seed_docs, 5);
    assert_eq!(
        run(&["index", s(&seed_docs), "--index", s(&index)])
            .status
            .code(),
        Some(0)
    );

    let mut writer = kamerzoek()
        .args([
            "index",
            s(&docs),
            "--index",
            s(&index),
            "--batch-size",
            "100",
            "--commit-secs",
            "0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // A second writer while the first runs: refused, index untouched.
    let second = run(&["index", s(&seed_docs), "--index", s(&index)]);
    let first_still_running = writer.try_wait().unwrap().is_none();
    if first_still_running {
        assert_eq!(second.status.code(), Some(2));
        let err = String::from_utf8_lossy(&second.stderr);
        assert!(
            err.contains("another kamerzoek process is writing"),
            "{err}"
        );
    }

    // Searches during the run: always answer, totals never go down.
    let mut last = 0;
    let mut answered = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while writer.try_wait().unwrap().is_none() && Instant::now() < deadline {
        let out = run(&[
            "search",
            "voortgang",
            "--index",
            s(&index),
            "--format",
            "json",
            "--limit",
            "3",
        ]);
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let total = r["total"].as_u64().unwrap();
        assert!(total >= last, "total went down: {last} → {total}");
        let facet_sum: u64 = r["facets"]["type"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert_eq!(
            facet_sum, total,
            "facets and total from one consistent snapshot"
        );
        last = total;
        answered += 1;
    }
    let status = writer.wait().unwrap();
    assert!(status.success());
    assert!(answered > 0);
    let out = run(&[
        "search",
        "voortgang",
        "--index",
        s(&index),
        "--format",
        "json",
        "--limit",
        "0",
    ]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["total"].as_u64().unwrap(), 3005);
}
