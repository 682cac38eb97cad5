//! PDF and .docx through ingest: the real PDFs in `../shared/corpus/pdf/`, generated .docx and
//! PDF samples, scans.

use kamerzoek_ingest::{Document, ErrorKind, Ingester, SectionKind};
use kamerzoek_testutil::{DocxParagraph, docx, pdf};

fn headings(doc: &Document) -> Vec<String> {
    doc.sections
        .iter()
        .filter(|s| s.kind != SectionKind::Preamble)
        .map(|s| format!("{:?} {}", s.kind, s.heading.as_deref().unwrap_or("")))
        .collect()
}

/// Reference keys in order of first appearance.
fn keys(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in doc.references.iter().filter_map(|r| r.key.clone()) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn pdf_files() -> Option<Vec<std::path::PathBuf>> {
    let shared = kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR"))?;
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus/pdf"))
        .expect("../shared/corpus/pdf")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "the six real PDFs");
    Some(files)
}

/// A PDF and its text export (the body text in the export conventions) give the same section
/// headings and reference keys: the PDF path adds metadata from the layout, nothing else.
#[test]
fn pdf_and_its_text_export_give_the_same_sections_and_references() {
    let Some(files) = pdf_files() else { return };
    let ingester = Ingester::new().unwrap();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let from_pdf = ingester
            .parse_bytes(&path.to_string_lossy(), &bytes)
            .unwrap();
        let export = kamerzoek_docformat::extract(&bytes).unwrap().body_text();
        let from_text = ingester
            .parse_bytes("export.txt", export.as_bytes())
            .unwrap();
        assert_eq!(
            headings(&from_pdf),
            headings(&from_text),
            "{}",
            path.display()
        );
        assert_eq!(keys(&from_pdf), keys(&from_text), "{}", path.display());
        assert!(from_pdf.pages.is_some_and(|p| p > 0));
    }
}

/// Against an outside extractor's text (poppler's `pdftotext`, when installed; CI installs
/// it): the PDF and that text export cite the same Kamerstukken.
#[test]
fn pdf_and_pdftotext_text_cite_the_same_kamerstukken() {
    let Some(files) = pdf_files() else { return };
    let probe = std::process::Command::new("pdftotext").arg("-v").output();
    if probe.is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("pdftotext (poppler-utils) is required under CI; .ci/install installs it");
        }
        eprintln!("skipping: pdftotext not installed");
        return;
    }
    let ingester = Ingester::new().unwrap();
    let mut total = 0;
    for path in files {
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let from_text = ingester
            .parse_bytes("pdftotext.txt", text.as_bytes())
            .unwrap();
        let from_pdf = ingester.parse_file(&path).unwrap();
        let mut a = keys(&from_pdf);
        let mut b = keys(&from_text);
        a.sort();
        b.sort();
        assert_eq!(a, b, "{}", path.display());
        total += a.len();
    }
    assert!(total >= 14, "{total} Kamerstuk keys in the six PDFs");
}

#[test]
fn real_kamerbrief_pdf_metadata_from_the_layout() {
    let Some(files) = pdf_files() else { return };
    let path = files
        .iter()
        .find(|p| p.ends_with("Kamerbrief_emissie_luchtvaart.pdf"))
        .unwrap();
    let doc = Ingester::new().unwrap().parse_file(path).unwrap();
    assert_eq!(doc.pages, Some(9));
    assert_eq!(doc.kenmerk.as_deref(), Some("IENW/BSK-2022/268034"));
    assert_eq!(doc.date.as_deref(), Some("2022-12-22"));
    assert_eq!(doc.title.as_deref(), Some("Emissies door de luchtvaart"));
    assert_eq!(doc.ministries, vec!["IenW"]);
    // Margin text never reaches the body.
    for s in &doc.sections {
        assert!(!s.text.contains("Pagina"), "{}", s.text);
        assert!(!s.text.contains("Rijnstraat"), "{}", s.text);
    }
    // Footnotes are lifted from the page bottom and attached where they are cited.
    let cited: Vec<_> = doc.sections.iter().flat_map(|s| &s.footnotes).collect();
    assert!(cited.len() >= 10, "{} footnotes", cited.len());
    assert!(keys(&doc).contains(&"29665-432".to_string()));
}

#[test]
fn generated_pdf_reads_like_text() {
    let page1 = vec![
        (72.0, 80.0, 10.0, "Geachte voorzitter,"),
        (
            72.0,
            110.0,
            10.0,
            "Met deze brief informeer ik u over de opvang van slachtoffers.",
        ),
        (72.0, 140.0, 10.0, "Landelijk expertisepunt femicide"),
        (
            72.0,
            152.0,
            10.0,
            "Zie de motie van het lid Becker (Kamerstuk 29279-890) over het",
        ),
        (
            72.0,
            164.0,
            10.0,
            "expertisepunt, dat in 2025 van start gaat.",
        ),
        (470.0, 80.0, 7.0, "Kenmerk"),
        (470.0, 90.0, 7.0, "4132817-1084052-DMO"),
        (470.0, 810.0, 7.0, "Pagina 1 van 1"),
    ];
    let bytes = pdf(&[page1]);
    let doc = Ingester::new()
        .unwrap()
        .parse_bytes("brief.pdf", &bytes)
        .unwrap();
    assert_eq!(doc.pages, Some(1));
    assert_eq!(doc.kenmerk.as_deref(), Some("4132817-1084052-DMO"));
    assert_eq!(keys(&doc), vec!["29279-890"]);
    assert_eq!(
        headings(&doc),
        vec!["Heading Landelijk expertisepunt femicide"]
    );
}

#[test]
fn scanned_pdf_is_reported_as_a_scan() {
    let bytes = pdf(&[vec![], vec![]]);
    let err = Ingester::new()
        .unwrap()
        .parse_bytes("scan.pdf", &bytes)
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Scanned { pages: 2 });
    assert!(
        err.to_string()
            .starts_with("scan.pdf: PDF without a text layer"),
        "{err}"
    );
}

#[test]
fn damaged_pdf_and_docx_are_errors_naming_the_file() {
    let ingester = Ingester::new().unwrap();
    let mut truncated = pdf(&[vec![(72.0, 80.0, 10.0, "Tekst")]]);
    truncated.truncate(200);
    for (name, bytes) in [
        ("kapot.pdf", truncated),
        ("kapot.docx", b"PK\x03\x04rest".to_vec()),
    ] {
        let err = ingester.parse_bytes(name, &bytes).unwrap_err();
        assert!(err.to_string().starts_with(name), "{err}");
    }
}

/// A Word letter: heading styles become sections, footnotes attach where they are cited, and it
/// gives what its Word text export gives.
#[test]
fn docx_sections_footnotes_and_parity_with_the_word_export() {
    let p = |text, style| DocxParagraph { text, style };
    let paragraphs = [
        p("Geachte voorzitter,", None),
        p(
            "Hierbij informeren wij u over de voortgang van de aanpak van femicide. Het plan van aanpak is in juni 2024 aangeboden.{fn:Kamerstukken II, 2023-2024, 28345, nr. 278.}",
            None,
        ),
        p("Landelijk expertisepunt femicide", Some("Kop1")),
        p(
            "Hiervoor hebben de leden Becker en Van der Werf een motie ingediend.{fn:Kamerstukken II, 2024-2025, 29279, nr. 890.} Het expertisepunt start in 2025.",
            None,
        ),
        p("Veilig Thuis", Some("Kop2")),
        p(
            "Veilig Thuis is de plek waar mensen terecht kunnen met adviesvragen over huiselijk geweld.",
            None,
        ),
    ];
    let bytes = docx(&paragraphs);
    let ingester = Ingester::new().unwrap();
    let doc = ingester.parse_bytes("brief.docx", &bytes).unwrap();
    assert_eq!(
        headings(&doc),
        vec![
            "Heading Landelijk expertisepunt femicide",
            "Heading Veilig Thuis"
        ]
    );
    assert_eq!(keys(&doc), vec!["28345-278", "29279-890"]);
    let notes: Vec<_> = doc.sections.iter().flat_map(|s| &s.footnotes).collect();
    assert_eq!(notes.len(), 2);
    assert!(notes[1].text.contains("29279, nr. 890"));
    assert_eq!(doc.pages, None);

    // The same letter as Word's text export (as the seed Kamerbrief came).
    let export = "Geachte voorzitter,\n\nHierbij informeren wij u over de voortgang van de aanpak van femicide. Het plan van aanpak is in juni 2024 aangeboden.[footnoteRef:1] [1:  Kamerstukken II, 2023-2024, 28345, nr. 278.]\n\nLandelijk expertisepunt femicide\n\nHiervoor hebben de leden Becker en Van der Werf een motie ingediend.[footnoteRef:2] Het expertisepunt start in 2025. [2:  Kamerstukken II, 2024-2025, 29279, nr. 890.]\n\nVeilig Thuis\n\nVeilig Thuis is de plek waar mensen terecht kunnen met adviesvragen over huiselijk geweld.\n";
    let from_text = ingester
        .parse_bytes("brief.txt", export.as_bytes())
        .unwrap();
    assert_eq!(headings(&doc), headings(&from_text));
    assert_eq!(keys(&doc), keys(&from_text));
}
