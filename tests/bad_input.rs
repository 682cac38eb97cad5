//! A folder of bad files beside good ones: every bad file is named with a reason, every good
//! file is indexed, and the exit code says something was skipped.

use serde_json::Value;

use crate::util::{run, s, temp_dir};

const GOOD_MOTIE: &str = "Tweede Kamer der Staten-Generaal\n\
Vergaderjaar 2024–2025\n\
28345 Aanpak huiselijk geweld\n\
Nr. 999 MOTIE VAN HET LID TEMMINK\n\
Voorgesteld 12 maart 2025\n\
De Kamer,\n\
gehoord de beraadslaging,\n\
constaterende dat de vrouwenopvang structureel te weinig plekken heeft;\n\
verzoekt de regering de opvangcapaciteit uit te breiden,\n\
en gaat over tot de orde van de dag.\n\
Temmink\n";

#[test]
fn bad_files_are_reported_and_good_ones_indexed() {
    let dir = temp_dir("bad-input");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..3 {
        std::fs::write(
            docs.join(format!("good-{i}.txt")),
            GOOD_MOTIE.replace("999", &format!("99{i}")),
        )
        .unwrap();
    }
    // Latin-1 text is decoded, not skipped.
    let latin1: Vec<u8> =
        "Financi\u{eb}le gevolgen van de co\u{f6}rdinatie\n\nDe minister schrijft over opvang.\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
    std::fs::write(docs.join("latin1.txt"), latin1).unwrap();
    // Also accepted: invalid UTF-8 in the middle, a very long line, a document of only headings.
    let mut mid = "Geachte voorzitter,\n\nDe opvang wordt uitgebreid. "
        .repeat(50)
        .into_bytes();
    mid.insert(700, 0xff);
    std::fs::write(docs.join("invalid-utf8-middle.txt"), mid).unwrap();
    std::fs::write(docs.join("long-line.txt"), "opvang ".repeat(300_000)).unwrap();
    std::fs::write(
        docs.join("only-headings.txt"),
        "1. Aanleiding\n2. Geadviseerd besluit\n3. Kernpunten\n4. Toelichting\n",
    )
    .unwrap();
    let accepted = 7;
    let bad: &[(&str, &[u8])] = &[
        ("empty.txt", b""),
        ("whitespace.txt", b"  \n\t\n"),
        (
            "binary.bin",
            &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255, 254],
        ),
        ("nul-bytes.txt", b"Geachte voorzitter,\0\0\0 de opvang"),
        (
            "truncated.xml",
            b"<?xml version=\"1.0\"?><officiele-publicatie><kamerstuk><dossier>",
        ),
        (
            "malformed.xml",
            b"<?xml version=\"1.0\"?><officiele-publicatie><a></b></officiele-publicatie>",
        ),
        (
            "other-schema.xml",
            b"<?xml version=\"1.0\"?><rss><channel><title>x</title></channel></rss>",
        ),
    ];
    for (name, bytes) in bad {
        std::fs::write(docs.join(name), bytes).unwrap();
    }
    // A symlink loop and an unreadable file (root can read anything, so only when not root).
    std::os::unix::fs::symlink(&docs, docs.join("loop")).unwrap();
    let unreadable = docs.join("unreadable.txt");
    std::fs::write(&unreadable, GOOD_MOTIE).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = std::fs::read(&unreadable).is_ok();
    let index = dir.join("index");
    let out = run(&["index", s(&docs), "--index", s(&index), "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "skipped files give exit code 1: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<String> = summary["run"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap().to_string())
        .collect();
    for (name, _) in bad {
        assert!(
            skipped.iter().any(|p| p.ends_with(name)),
            "{name} not reported: {skipped:?}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("empty.txt"),
        "stderr names the file: {stderr}"
    );
    assert!(
        skipped.iter().any(|p| p.ends_with("loop")),
        "symlink loop not reported: {skipped:?}"
    );
    if !is_root {
        assert!(
            skipped.iter().any(|p| p.ends_with("unreadable.txt")),
            "{skipped:?}"
        );
    }
    let want = accepted + usize::from(is_root);
    assert_eq!(
        summary["index"]["documents"].as_u64(),
        Some(want as u64),
        "{summary}"
    );
    // Every reason is words.
    for s in summary["run"]["skipped"].as_array().unwrap() {
        assert!(!s["reason"].as_str().unwrap().is_empty());
    }
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_50_mb_text_file_is_indexed() {
    let dir = temp_dir("big-file");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let para = "De gemeenten breiden de vrouwenopvang uit en de staatssecretaris informeert de Kamer over de voortgang van de aanpak.\n\n";
    std::fs::write(docs.join("big.txt"), para.repeat(50_000_000 / para.len())).unwrap();
    let out = run(&[
        "index",
        s(&docs),
        "--index",
        s(&dir.join("index")),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["index"]["documents"], 1);
    assert!(
        summary["index"]["sections"].as_u64().unwrap() > 100,
        "a long body is cut into parts"
    );
}
