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
    let bad: &[(&str, &[u8])] = &[
        ("empty.txt", b""),
        (
            "binary.bin",
            &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255, 254],
        ),
        (
            "truncated.xml",
            b"<?xml version=\"1.0\"?><officiele-publicatie><kamerstuk><dossier>",
        ),
    ];
    for (name, bytes) in bad {
        std::fs::write(docs.join(name), bytes).unwrap();
    }
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
    assert_eq!(summary["index"]["documents"].as_u64(), Some(4), "{summary}");
}
