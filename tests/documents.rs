//! `index --documents`: documents parsed before (by `kamerzoek parse --format jsonl` or a tool
//! of the user's) are indexed as they are, into the same index a run over the files makes.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use crate::util::{kamerzoek, run, run_json, s, shared, temp_dir};

/// `kamerzoek parse --format jsonl` of `paths`, as bytes.
fn parse_jsonl(paths: &[&Path]) -> Vec<u8> {
    let mut args = vec!["parse", "--format", "jsonl"];
    args.extend(paths.iter().map(|p| s(p)));
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The answer of `search` without its timing, which differs from run to run, and its exit
/// code (1: no hits).
fn answer(index: &Path, query: &str) -> (Option<i32>, serde_json::Value) {
    let out = run(&[
        "search",
        "--index",
        s(index),
        query,
        "--format",
        "json",
        "--limit",
        "50",
    ]);
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v.as_object_mut().unwrap().remove("took_ms");
    (out.status.code(), v)
}

/// Hits of `query` in `index`.
fn total(index: &Path, query: &str) -> u64 {
    answer(index, query).1["total_documents"].as_u64().unwrap()
}

/// Indexing the parsed documents gives the index that indexing the files gives: the same hits,
/// scores, snippets and facet counts.
fn same_index_from_documents(files: &Path, root: &Path, queries: &[&str]) {
    let docs = root.join("docs.jsonl");
    std::fs::write(&docs, parse_jsonl(&[files])).unwrap();
    let (from_files, from_docs) = (root.join("from-files"), root.join("from-docs"));
    let a = run_json(
        &[
            "index",
            s(files),
            "--index",
            s(&from_files),
            "--format",
            "json",
        ],
        0,
    );
    let b = run_json(
        &[
            "index",
            "--documents",
            s(&docs),
            "--index",
            s(&from_docs),
            "--format",
            "json",
        ],
        0,
    );
    assert!(b["run"]["documents_input"].as_bool().unwrap());
    for key in ["indexed", "sections"] {
        assert_eq!(a["run"][key], b["run"][key], "{key}");
    }
    assert_eq!(a["index"]["per_type"], b["index"]["per_type"]);
    assert!(b["index"]["parser_current"].as_bool().unwrap());
    for q in queries {
        assert_eq!(answer(&from_files, q), answer(&from_docs, q), "query {q:?}");
    }
}

#[test]
fn documents_index_as_their_files_do() {
    let root = temp_dir("documents-corpus");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    same_index_from_documents(
        &corpus,
        &root,
        &[
            "opvang",
            "jeugdzorg",
            "\"huiselijk geweld\"",
            "motie",
            "kernpunten stalking",
            "",
        ],
    );
}

#[test]
fn documents_index_as_their_files_do_on_the_real_motions() {
    let Some(shared) = shared() else { return };
    let root = temp_dir("documents-motions");
    // A slice of the real motions, enough for facets and ties to be exercised.
    let some = root.join("moties");
    std::fs::create_dir_all(&some).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(shared.join("corpus/moties"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names.iter().step_by(25) {
        std::fs::copy(p, some.join(p.file_name().unwrap())).unwrap();
    }
    same_index_from_documents(
        &some,
        &root,
        &[
            "stikstof",
            "verzoekt de regering",
            "woningbouw starters",
            "29279-890",
        ],
    );
}

#[test]
fn a_bad_line_is_reported_by_file_and_line_and_the_rest_is_indexed() {
    let root = temp_dir("documents-bad");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let parsed = String::from_utf8(parse_jsonl(&[&corpus])).unwrap();
    let lines: Vec<&str> = parsed.lines().collect();
    assert!(lines.len() >= 3);
    let mut text = String::new();
    text.push_str(lines[0]);
    text.push('\n');
    text.push_str("{\"id\": \"x\", \"doc_type\": \"motie\"}\n"); // line 2: no source
    text.push('\n'); // line 3: blank, ignored
    text.push_str("{not json\n"); // line 4
    for l in &lines[1..] {
        text.push_str(l);
        text.push('\n');
    }
    let docs = root.join("docs.jsonl");
    std::fs::write(&docs, &text).unwrap();
    let index = root.join("index");
    let missing = root.join("missing.jsonl");
    let out = run(&[
        "index",
        "--documents",
        s(&docs),
        s(&missing),
        "--index",
        s(&index),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a run with skipped input exits 1"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["run"]["indexed"].as_u64().unwrap() as usize, lines.len());
    let skipped: Vec<(String, String)> = v["run"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["path"].as_str().unwrap().to_string(),
                x["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    let d = s(&docs);
    assert_eq!(skipped[0].0, format!("{d}:2"));
    assert!(
        skipped[0].1.contains("missing field `source`"),
        "{}",
        skipped[0].1
    );
    assert_eq!(skipped[1].0, format!("{d}:4"));
    assert!(skipped[1].1.contains("column 2"), "{}", skipped[1].1);
    assert_eq!(skipped[2].0, s(&missing));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("skipped {d}:4: not a kamerzoek document")),
        "{stderr}"
    );

    // Run again, the file with Windows line ends: every document is unchanged; the bad lines
    // are reported again.
    std::fs::write(&docs, text.replace('\n', "\r\n")).unwrap();
    let again = run_json(
        &[
            "index",
            "--documents",
            s(&docs),
            "--index",
            s(&index),
            "--format",
            "json",
        ],
        1,
    );
    assert_eq!(again["run"]["indexed"], 0);
    assert_eq!(
        again["run"]["unchanged"].as_u64().unwrap() as usize,
        lines.len()
    );
}

#[test]
fn documents_from_standard_input_replace_their_older_versions() {
    let root = temp_dir("documents-stdin");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index = root.join("index");
    run_json(
        &[
            "index",
            s(&corpus),
            "--index",
            s(&index),
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(total(&index, "zeldzaamwoordxyz"), 0);

    // One document, edited by another tool: a word added to its first section.
    let parsed =
        String::from_utf8(parse_jsonl(&[&corpus.join("kamerbrief-vrouwenopvang.txt")])).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(parsed.trim()).unwrap();
    let text = doc["sections"][0]["text"].as_str().unwrap().to_string();
    doc["sections"][0]["text"] = format!("{text} zeldzaamwoordxyz").into();
    // Its source as the file run keyed it, so the edit replaces the file's version.
    doc["source"] = std::fs::canonicalize(corpus.join("kamerbrief-vrouwenopvang.txt"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
        .into();
    let mut child = kamerzoek()
        .args([
            "index",
            "--documents",
            "-",
            "--index",
            s(&index),
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{doc}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["run"]["replaced"], 1);
    // Replaced, not added beside the file's version.
    let stats = run_json(&["stats", "--index", s(&index), "--format", "json"], 0);
    assert_eq!(stats["documents"], v["index"]["documents"]);
    assert_eq!(stats["documents"].as_u64(), Some(5));
    assert_eq!(total(&index, "zeldzaamwoordxyz"), 1);
}
