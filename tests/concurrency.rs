//! Searches keep answering while another process indexes and commits; a second writer on the
//! same index gets a clear error.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{kamerzoek, run, s, temp_dir, write_synthetic_letters};

/// Waits until `index` holds more than `seed` documents, i.e. the running `writer` has made its
/// first commit.
fn wait_for_first_commit(index: &std::path::Path, seed: u64, writer: &mut std::process::Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            writer.try_wait().unwrap().is_none(),
            "the writer ended before its first commit was seen"
        );
        assert!(Instant::now() < deadline, "no commit within 60 s");
        let st = run(&["stats", "--index", s(index), "--format", "json"]);
        let v: Value = serde_json::from_slice(&st.stdout).unwrap();
        if v["documents"].as_u64().unwrap() > seed {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// An index of `seed` letters, and a writer adding `n` more in commits of 100.
fn index_while_writing(name: &str, n: usize) -> (std::path::PathBuf, std::process::Child) {
    let dir = temp_dir(name);
    let docs = dir.join("docs");
    write_synthetic_letters(&docs, n);
    let index = dir.join("index");
    let seed_docs = dir.join("seed");
    write_synthetic_letters(&seed_docs, 5);
    assert_eq!(
        run(&["index", s(&seed_docs), "--index", s(&index)])
            .status
            .code(),
        Some(0)
    );
    let writer = kamerzoek()
        .args(["index", s(&docs), "--index", s(&index)])
        .args(["--batch-size", "100", "--commit-secs", "0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    (index, writer)
}

#[test]
fn searches_answer_during_indexing_and_second_writer_is_refused() {
    let (index, mut writer) = index_while_writing("concurrency", 3000);
    let seed_docs = index.with_file_name("seed");
    // The first writer holds the lock from its start to its exit; once it has committed and is
    // still running after the second writer gave up, the second met a held lock for sure.
    wait_for_first_commit(&index, 5, &mut writer);
    let second = run(&["index", s(&seed_docs), "--index", s(&index)]);
    assert!(
        writer.try_wait().unwrap().is_none(),
        "the first writer ended before the second had tried: make the folder larger"
    );
    assert_eq!(second.status.code(), Some(2));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("another kamerzoek process is writing"),
        "{err}"
    );

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

#[test]
fn library_searcher_follows_commits_of_another_process() {
    let (index, mut writer) = index_while_writing("concurrency-lib", 3000);
    // Opened before the writer's first commit: it must pick up every later one on reload.
    let searcher = kamerzoek::Searcher::open(&index).unwrap();
    let mut request = kamerzoek::SearchRequest::new("voortgang");
    request.limit = 3;
    let mut totals = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = writer.try_wait().unwrap().is_some();
        searcher.reload().unwrap();
        let r = searcher.search(&request).unwrap();
        let facet_sum: u64 = r.facets["type"].iter().map(|c| c.count).sum();
        assert_eq!(facet_sum, r.total, "facets and total from one snapshot");
        assert!(!r.hits.is_empty());
        if let Some(&last) = totals.last() {
            assert!(r.total >= last, "total went down: {last} → {}", r.total);
        }
        totals.push(r.total);
        if done || Instant::now() > deadline {
            break;
        }
    }
    assert!(writer.wait().unwrap().success());
    searcher.reload().unwrap();
    assert_eq!(searcher.search(&request).unwrap().total, 3005);
    // Not vacuous: some searches saw the index half-written.
    assert!(
        totals.iter().any(|t| *t > 5 && *t < 3005),
        "no search saw a commit in between: {totals:?}"
    );
}
