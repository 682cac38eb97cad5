//! Golden files: the parsed JSON of real documents, reviewed by eye when it changes.
//! `UPDATE_GOLDEN=1 cargo test -p kamerzoek-ingest --test golden` rewrites them.

use std::path::{Path, PathBuf};

use kamerzoek_ingest::Ingester;

/// Seeds, motions with and without `<meta>` metadata, and Staten-Generaal Digitaal letters.
const FILES: &[&str] = &[
    "seeds/000_dea1f24836619e72.txt",
    "seeds/001_4f8785284c245a02.txt",
    "seeds/002_40c0d830b55332d7.txt",
    "seeds/003_ba9e62ed45d099e6.txt",
    "seeds/004_fa45cf4307ee0479.txt",
    // with metadata
    "corpus/moties/kst-19637-3403.xml",
    "corpus/moties/kst-29279-958.xml",
    // without metadata
    "corpus/moties/kst-29279-891.xml",
    "corpus/moties/kst-19637-3185.xml",
    "corpus/moties/kst-29279-890.xml",
    "corpus/moties/kst-21501-33-1104.xml",
    // a verzoek with lists inside an `<al-groep>`, the signature after it
    "corpus/moties/kst-26643-1290.xml",
    // SGD: a letter, a verslag, a nota van verbetering
    "corpus/sgd/sgd-0000038537.txt",
    "corpus/sgd/sgd-0000038518.txt",
    "corpus/sgd/sgd-0000038315.txt",
    // PDF: Kamerbrieven with the Rijkshuisstijl margin column, BNC-fiches
    "corpus/pdf/Kamerbrief_1pag.pdf",
    "corpus/pdf/Kamerbrief_circulaire_economie.pdf",
    "corpus/pdf/Kamerbrief_emissie_luchtvaart.pdf",
    "corpus/pdf/Kamerbrief_innovatie_missie.pdf",
    "corpus/pdf/Fiche_1pag.pdf",
    "corpus/pdf/BNC_Fiche.pdf",
];

fn golden_path(file: &str) -> PathBuf {
    let name = file
        .replace('/', "__")
        .replace(".txt", "")
        .replace(".xml", "")
        .replace(".pdf", "");
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"))
}

#[test]
fn parsed_documents_match_golden_files() {
    let Some(shared) = kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let ingester = Ingester::new().unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for file in FILES {
        let path = shared.join(file);
        if !path.exists() {
            mismatches.push(format!("{file}: missing from ../shared"));
            continue;
        }
        let mut doc = ingester.parse_file(&path).unwrap_or_else(|e| panic!("{e}"));
        // The path depends on the checkout; the golden file records it relative to ../shared.
        doc.source = format!("shared/{file}");
        let json = serde_json::to_string_pretty(&doc).unwrap() + "\n";
        let golden = golden_path(file);
        if update {
            std::fs::write(&golden, &json).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == json => {}
            Ok(_) => mismatches.push(format!(
                "{file}: differs from {} (UPDATE_GOLDEN=1 to rewrite, then review the diff)",
                golden.display()
            )),
            Err(_) => mismatches.push(format!("{file}: no golden file {}", golden.display())),
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
