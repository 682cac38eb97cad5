//! Test helpers shared by kamerzoek's crates: finding the real documents in `../shared/`.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

/// The real-document folder `shared/` beside the checkout, found from `CARGO_MANIFEST_DIR`
/// upwards, or from `KAMERZOEK_SHARED` when set.
///
/// Returns `None` (after printing why) when it is absent and `CI` is not `true`: tests that need
/// it then skip. Under CI it is always present, so its absence is a failure there.
///
/// # Panics
/// When the folder is missing and the environment variable `CI` is `true`.
pub fn shared_dir(manifest_dir: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("KAMERZOEK_SHARED")
        .map(PathBuf::from)
        .or_else(|| find_upwards(Path::new(manifest_dir)));
    match candidate {
        Some(dir) if dir.join("seeds").is_dir() => Some(dir),
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("../shared/ not found beside the checkout (required under CI=true)");
            }
            eprintln!("skipping: ../shared/ (real documents) not found beside the checkout");
            None
        }
    }
}

/// The paths of the entries of `dir`, sorted (none when it cannot be read), so that a test
/// sampling a large folder takes the same files on every machine.
pub fn sorted_paths(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("..").join("shared"))
        .find(|dir| dir.join("seeds").is_dir())
}

/// A paragraph of a generated .docx: text (with `{fn:TEXT}` for a footnote cited there) and an
/// optional paragraph style id (`Kop1` is a heading).
pub struct DocxParagraph<'a> {
    /// Paragraph text; `{fn:…}` places a footnote.
    pub text: &'a str,
    /// Style id, `Kop1` or `Kop2` for headings.
    pub style: Option<&'a str>,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Builds a minimal but well-formed Word document (document.xml, styles.xml, footnotes.xml),
/// as Word writes them: runs, footnote references by id, heading styles named `heading N`.
pub fn docx(paragraphs: &[DocxParagraph]) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::new();
    let mut notes = String::from(
        r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#,
    );
    let mut next_id = 1;
    for p in paragraphs {
        body.push_str("<w:p>");
        if let Some(style) = p.style {
            body.push_str(&format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#));
        }
        let mut rest = p.text;
        while let Some(start) = rest.find("{fn:") {
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
            body.push_str(&format!(
                r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                xml_escape(&rest[..start])
            ));
            body.push_str(&format!(
                r#"<w:r><w:rPr><w:rStyle w:val="Voetnootmarkering"/></w:rPr><w:footnoteReference w:id="{next_id}"/></w:r>"#
            ));
            notes.push_str(&format!(
                r#"<w:footnote w:id="{next_id}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p></w:footnote>"#,
                xml_escape(&rest[start + 4..end])
            ));
            next_id += 1;
            rest = rest.get(end + 1..).unwrap_or("");
        }
        body.push_str(&format!(
            r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            xml_escape(rest)
        ));
    }
    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#),
        ),
        (
            "word/styles.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {NS}><w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Kop2"><w:name w:val="heading 2"/><w:basedOn w:val="Kop1"/></w:style></w:styles>"#),
        ),
        (
            "word/footnotes.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>{notes}</w:footnotes>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        zip.start_file(name, options)
            .unwrap_or_else(|e| panic!("zip {name}: {e}"));
        zip.write_all(content.as_bytes())
            .unwrap_or_else(|e| panic!("zip {name}: {e}"));
    }
    zip.finish()
        .unwrap_or_else(|e| panic!("zip: {e}"))
        .into_inner()
}

/// A line of text placed on a generated PDF page: x and y from the top-left (points), font
/// size, text (Latin-1 characters).
pub type PdfText<'a> = (f64, f64, f64, &'a str);

/// Builds a PDF (A4 pages, Helvetica, WinAnsi) with correct cross-reference offsets. A page
/// without text is what a scan looks like to a text extractor.
pub fn pdf(pages: &[Vec<PdfText>]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (i, page) in pages.iter().enumerate() {
        let mut content: Vec<u8> = Vec::new();
        for (x, y, size, text) in page {
            content
                .extend_from_slice(format!("BT /F1 {size} Tf {x} {} Td (", 842.0 - y).as_bytes());
            for c in text.chars() {
                match c {
                    '(' | ')' | '\\' => {
                        content.push(b'\\');
                        content.push(c as u8);
                    }
                    c if (c as u32) < 256 => content.push(c as u32 as u8),
                    _ => content.push(b'?'),
                }
            }
            content.extend_from_slice(b") Tj ET\n");
        }
        if page.is_empty() {
            // A scan: an image-like operation and no text.
            content.extend_from_slice(b"q 595 0 0 842 0 0 cm Q\n");
        }
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(&content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
