//! SIGKILL during `kamerzoek index`, many times at different moments: the index always opens,
//! search answers, and a final re-run ends with exactly the documents and sections of a clean run.

use std::time::Instant;

use serde_json::Value;

use crate::util::{kamerzoek, run, run_json, s, temp_dir, write_synthetic_letters};

fn rewrite_third(docs: &std::path::Path, round: usize, letters: usize) {
    for i in (round % 3..letters).step_by(3) {
        let path = docs.join(format!("brief-{i:05}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let base = text
            .split(" Revisie ")
            .next()
            .unwrap()
            .trim_end()
            .to_string();
        std::fs::write(&path, format!("{base} Revisie {round}.\n")).unwrap();
    }
}

/// `kamerzoek index DOCS --index INDEX`, uninterrupted, which must succeed.
fn index_to_the_end(docs: &std::path::Path, index: &std::path::Path) {
    let out = run(&["index", s(docs), "--index", s(index)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many documents a search for `voortgang` (in every synthetic letter) finds.
fn voortgang_total(index: &std::path::Path) -> u64 {
    let out = run(&[
        "search",
        "voortgang",
        "--index",
        s(index),
        "--format",
        "json",
        "--limit",
        "1",
    ]);
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    answer["total"].as_u64().unwrap()
}

fn counts(index: &std::path::Path) -> (u64, u64) {
    let st = run_json(&["stats", "--index", s(index), "--format", "json"], 0);
    (
        st["documents"].as_u64().unwrap(),
        st["sections"].as_u64().unwrap(),
    )
}

#[test]
fn sigkill_at_random_moments_loses_nothing_committed() {
    // At least 20 kills by default; CI (CI=true) runs 8 so the suite stays within minutes.
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    let kills: usize = std::env::var("KAMERZOEK_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if in_ci { 8 } else { 20 });
    let test_started = Instant::now();
    let dir = temp_dir("interrupt");
    let docs = dir.join("docs");
    write_synthetic_letters(&docs, 1500);

    // Reference: one uninterrupted run.
    let reference = dir.join("reference");
    let started = Instant::now();
    let out = run(&[
        "index",
        s(&docs),
        "--index",
        s(&reference),
        "--batch-size",
        "50",
        "--commit-secs",
        "0",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = started.elapsed();
    let want = counts(&reference);
    assert_eq!(want.0, 1500);

    let index = dir.join("index");
    // Deterministic pseudo-random moments spread over (and a little beyond) a full run.
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut killed_mid_run = 0;
    for round in 0..kills {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64;
        // Each round changes a third of the files, so every run has work to do (and changed
        // files must replace their old versions, never duplicate them).
        rewrite_third(&docs, round, 1500);
        let delay = full.mul_f64(0.02 + fraction * 0.3);
        let mut child = kamerzoek()
            .args([
                "index",
                s(&docs),
                "--index",
                s(&index),
                "--batch-size",
                "50",
                "--commit-secs",
                "0",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();

        if !index.join("meta.json").exists() {
            continue; // killed before the first commit: nothing to check yet
        }
        // The last commit is intact: the index opens and answers, with no duplicates.
        let (docs_now, sections_now) = counts(&index);
        assert!(
            docs_now <= want.0 && sections_now <= want.1,
            "round {round}: {docs_now} docs, {sections_now} sections"
        );
        assert_eq!(
            voortgang_total(&index),
            docs_now,
            "round {round}: every letter mentions voortgang"
        );
    }
    assert!(
        killed_mid_run >= kills / 2,
        "only {killed_mid_run} of {kills} kills landed mid-run"
    );

    // A final run completes the work exactly.
    index_to_the_end(&docs, &index);
    let end = counts(&index);
    eprintln!(
        "sigkill: {kills} kills, {killed_mid_run} mid-run; after the final run {} documents, {} \
         sections (clean run: {}, {}); {:.1} s",
        end.0,
        end.1,
        want.0,
        want.1,
        test_started.elapsed().as_secs_f64()
    );
    assert_eq!(end, want);
    // Killed runs leave segment files no commit names, and so can a merge tantivy abandons;
    // every one is gone after the final run (tantivy's garbage collection, and the run's own
    // clean-up at its end).
    let on_disk = segment_files_on_disk(&index);
    let named = segment_files_named(&index);
    assert_eq!(
        on_disk,
        named,
        "segment files no commit names; the folder: {:?}; .managed.json: {}",
        folder_listing(&index),
        std::fs::read_to_string(index.join(".managed.json")).unwrap_or_default()
    );
}

/// Every file in `dir` with its size, for a failure's message.
fn folder_listing(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().ok()?.len(),
            ))
        })
        .collect();
    files.sort();
    files
}

/// The segment ids (32 hex digits) of the segment files in an index folder.
fn segment_files_on_disk(index: &std::path::Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(index)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str().map(str::to_string))
        .filter(|name| {
            name.len() > 33
                && name.as_bytes()[32] == b'.'
                && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|name| name[..32].to_string())
        .collect()
}

/// The segment ids that the index's last commit (`meta.json`) names.
fn segment_files_named(index: &std::path::Path) -> std::collections::BTreeSet<String> {
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).unwrap()).unwrap();
    meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|seg| seg["segment_id"].as_str().unwrap().replace('-', ""))
        .collect()
}

/// What a crash of the machine (not only of the process) between two commits can leave: a
/// `.managed.json` written but not yet synced (torn), and a segment file it never listed. The
/// index opens and answers, and the next commit removes the stray file.
#[test]
fn a_torn_file_list_and_a_stray_segment_file_after_a_machine_crash() {
    let dir = temp_dir("machine-crash");
    let docs = dir.join("docs");
    write_synthetic_letters(&docs, 40);
    let index = dir.join("index");
    index_to_the_end(&docs, &index);
    let want = counts(&index);

    let stray = index.join("0123456789abcdef0123456789abcdef.idx");
    std::fs::write(&stray, b"half a segment").unwrap();
    let managed = index.join(".managed.json");
    let list = std::fs::read(&managed).unwrap();
    std::fs::write(&managed, &list[..list.len() / 2]).unwrap();

    assert_eq!(counts(&index), want);
    assert_eq!(voortgang_total(&index), want.0);

    // The next run that commits collects the stray file.
    rewrite_third(&docs, 0, 40);
    index_to_the_end(&docs, &index);
    assert!(!stray.exists(), "the stray segment file is still there");
    assert_eq!(counts(&index), want);
    assert_eq!(segment_files_on_disk(&index), segment_files_named(&index));

    // A file tantivy listed for a segment no commit names (what a killed run, or a merge whose
    // clean-up the run's end outran, leaves) goes in the next run, even one with nothing to
    // commit.
    let stray = index.join("fedcba9876543210fedcba9876543210.store");
    std::fs::write(&stray, b"a merged-away segment").unwrap();
    let mut list: Vec<String> = serde_json::from_slice(&std::fs::read(&managed).unwrap()).unwrap();
    list.push("fedcba9876543210fedcba9876543210.store".into());
    std::fs::write(&managed, serde_json::to_vec(&list).unwrap()).unwrap();
    let summary = run_json(
        &["index", s(&docs), "--index", s(&index), "--format", "json"],
        0,
    );
    assert_eq!(summary["run"]["commits"].as_u64(), Some(0));
    assert!(
        !stray.exists(),
        "the listed stray segment file is still there"
    );
    assert_eq!(counts(&index), want);
}
