//! The README's first command: `kamerzoek search` in a checkout indexes the bundled `corpus/`
//! on first use and answers.

use crate::util::{kamerzoek, temp_dir};

#[test]
fn search_indexes_the_bundled_corpus_on_first_use() {
    let dir = temp_dir("first-use");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["corpus", "index-schema"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(root.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), dir.join(sub).join(e.file_name())).unwrap();
            }
        }
    }
    let out = kamerzoek()
        .current_dir(&dir)
        .args(["search", "vrouwenopvang", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("first use"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    // The second call uses the index it built.
    let again = kamerzoek()
        .current_dir(&dir)
        .args(["search", "vrouwenopvang"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("first use"));
}
