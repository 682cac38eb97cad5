//! PDF and .docx through the binary: real PDFs indexed and searchable, a generated .docx, and
//! a scan named in the summary with its reason.

use serde_json::Value;

use crate::util::{run, s, shared, temp_dir};

#[test]
fn pdf_and_docx_are_indexed_and_a_scan_is_reported() {
    let Some(shared) = shared() else { return };
    let dir = temp_dir("formats");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for name in ["Kamerbrief_emissie_luchtvaart.pdf", "BNC_Fiche.pdf"] {
        std::fs::copy(shared.join("corpus/pdf").join(name), docs.join(name)).unwrap();
    }
    let p = |text, style| kamerzoek_testutil::DocxParagraph { text, style };
    let letter = kamerzoek_testutil::docx(&[
        p("Geachte voorzitter,", None),
        p(
            "Met deze brief informeer ik u over de vrouwenopvang in de regio's. De capaciteit groeit.{fn:Kamerstukken II, 2024-2025, 28345, nr. 288.}",
            None,
        ),
        p("Capaciteit van de opvang", Some("Kop1")),
        p(
            "Gemeenten hebben in 2025 honderd extra plekken gerealiseerd voor slachtoffers van huiselijk geweld.",
            None,
        ),
    ]);
    std::fs::write(docs.join("concept-brief.docx"), letter).unwrap();
    std::fs::write(docs.join("scan.pdf"), kamerzoek_testutil::pdf(&[vec![]])).unwrap();

    let index = dir.join("index");
    let out = run(&["index", s(&docs), "--index", s(&index), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "the scan is skipped");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = summary["run"]["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{summary}");
    assert!(skipped[0]["path"].as_str().unwrap().ends_with("scan.pdf"));
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("without a text layer"),
        "{summary}"
    );
    assert_eq!(summary["index"]["documents"].as_u64(), Some(3), "{summary}");

    let search = |q: &str, extra: &[&str]| -> Value {
        let mut args = vec!["search", q, "--index", s(&index), "--format", "json"];
        args.extend_from_slice(extra);
        let out = run(&args);
        // Exit code 1 is "nothing found".
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Text from the PDF's body, with the letterhead ministry as a facet.
    let r = search("ultrafijn stof", &["--ministry", "IenW"]);
    assert_eq!(r["total"].as_u64(), Some(1), "{r}");
    // Margin furniture is not searchable body text.
    let r = search("Rijnstraat", &[]);
    assert_eq!(r["total"].as_u64(), Some(0), "{r}");
    // A Kamerstuk cited in a PDF footnote is a motion facet.
    let r = search("luchtvaart", &["--motion", "29665-432"]);
    assert_eq!(r["total"].as_u64(), Some(1), "{r}");
    // The .docx: its heading is a section, its footnote cites 28345-288.
    let r = search("capaciteit", &["--motion", "28345-288"]);
    assert_eq!(r["total"].as_u64(), Some(1), "{r}");
    let r = search("instantovermakingen", &[]);
    assert_eq!(r["total"].as_u64(), Some(1), "{r}");
}
