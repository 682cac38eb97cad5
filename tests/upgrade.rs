//! An index made by another version of the parser or analysis: its documents keep the older
//! terms until their files are read again, which `stats` and every search say, until an
//! indexing run has covered every indexed file.

use std::path::Path;

use crate::util::{hit_ids, run, run_json, s, temp_dir};

fn parser_current(index: &Path) -> bool {
    run_json(&["stats", "--index", s(index), "--format", "json"], 0)["parser_current"]
        .as_bool()
        .expect("parser_current")
}

/// Copies the project's own sample documents into `dir`.
fn copy_corpus(dir: &Path) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for e in std::fs::read_dir(corpus).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn an_index_of_another_parser_is_reported_until_every_file_is_read_again() {
    let root = temp_dir("upgrade");
    let (a, b, index) = (root.join("a"), root.join("b"), root.join("index"));
    for d in [&a, &b] {
        std::fs::create_dir_all(d).unwrap();
        copy_corpus(d);
    }
    let index_run = |dirs: &[&Path]| {
        let mut args = vec!["index", "--index", s(&index)];
        args.extend(dirs.iter().map(|d| s(d)));
        let out = run(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    index_run(&[&a, &b]);
    assert!(parser_current(&index));
    let search = || run(&["search", "--index", s(&index), "opvang", "--format", "json"]);
    let quiet = search();
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("another version"));

    // As an older kamerzoek leaves it (an index of before the record holds no file at all).
    std::fs::write(index.join("kamerzoek-parser"), "0123456789abcdef\n").unwrap();
    assert!(!parser_current(&index));
    let noted = search();
    assert!(noted.status.success());
    let stderr = String::from_utf8_lossy(&noted.stderr);
    assert!(
        stderr.contains("another version of kamerzoek's parser"),
        "{stderr}"
    );
    // The answer itself is unchanged (stdout is for scripts).
    let ids = |out: &std::process::Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        hit_ids(&v).into_iter().map(String::from).collect()
    };
    assert!(!ids(&quiet).is_empty());
    assert_eq!(ids(&noted), ids(&quiet));

    // A run over one of the two folders reads only its files: the other's stay as they were.
    index_run(&[&a]);
    assert!(!parser_current(&index));
    // A run over every indexed file makes the index current.
    index_run(&[&a, &b]);
    assert!(parser_current(&index));
    std::fs::remove_file(index.join("kamerzoek-parser")).unwrap();
    assert!(!parser_current(&index));
    let _ = std::fs::remove_dir_all(&root);
}
