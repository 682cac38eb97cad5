//! PDF and .docx: text and layout from `kamerzoek-docformat`, read with the same section and
//! reference extraction as text. What the layout adds: the margin column's `Kenmerk` and
//! `Datum` (as the furniture lines a text export would carry) and the letterhead ministry.

use kamerzoek_docformat::{Format, FormatError};

use crate::config::Patterns;
use crate::error::ErrorKind;

/// Text to parse, plus what only the layout shows.
pub(crate) struct FromLayout {
    /// Body text.
    pub text: String,
    /// The letter's own reference from the margin (`Kenmerk` / `Ons kenmerk`).
    pub kenmerk: Option<String>,
    /// The letterhead (`Ministerie van Infrastructuur en Waterstaat`), when there is one.
    pub letterhead: Option<String>,
    /// Pages, for a PDF.
    pub pages: Option<usize>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// True when the bytes are a PDF or a zip (a possible .docx) rather than text.
pub(crate) fn is_binary_document(bytes: &[u8]) -> bool {
    match kamerzoek_docformat::sniff(bytes) {
        // `%PDF-` quoted inside a text file is still text.
        Some(Format::Pdf) => bytes.starts_with(b"%PDF-") || std::str::from_utf8(bytes).is_err(),
        Some(Format::Docx) => true,
        None => false,
    }
}

pub(crate) fn read(bytes: &[u8], p: &Patterns) -> Result<FromLayout, ErrorKind> {
    let x = kamerzoek_docformat::extract(bytes).map_err(|e| match e {
        FormatError::NoTextLayer { pages } => ErrorKind::Scanned { pages },
        e => ErrorKind::Extract(e.to_string()),
    })?;
    let (labels, letterhead) = x
        .pages
        .first()
        .map(|page| margin(&page.margin, p))
        .unwrap_or_default();
    let kenmerk = labels.iter().find_map(|(label, value)| {
        matches!(label.to_lowercase().as_str(), "kenmerk" | "ons kenmerk").then(|| value.clone())
    });
    Ok(FromLayout {
        text: x.body_text(),
        kenmerk,
        letterhead,
        pages: (x.format == Format::Pdf).then_some(x.pages.len()),
        warnings: x.warnings,
    })
}

/// Pairs each margin label with its value on the next line, and reads the letterhead: the
/// lines above the first label or address line (`Rijnstraat 8`, `Postbus 20901`).
#[allow(clippy::type_complexity)]
fn margin(lines: &[String], p: &Patterns) -> (Vec<(String, String)>, Option<String>) {
    let is_label = |l: &str| {
        p.margin_labels
            .iter()
            .any(|m| m == &l.trim().to_lowercase())
    };
    let mut labels = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if is_label(line)
            && let Some(value) = lines.get(i + 1).filter(|v| !is_label(v))
        {
            labels.push((line.trim().to_string(), value.trim().to_string()));
        }
    }
    let head: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .take_while(|l| !is_label(l) && !l.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let letterhead = (!head.is_empty()).then(|| head.join(" "));
    (labels, letterhead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_labels_and_letterhead() {
        let (_, p) = crate::config::load().unwrap();
        let lines: Vec<String> = [
            "Ministerie van",
            "Infrastructuur en",
            "Waterstaat",
            "Rijnstraat 8",
            "Kenmerk",
            "IENW/BSK-2023/33017",
            "Bijlage(n)",
            "4",
        ]
        .map(String::from)
        .to_vec();
        let (labels, head) = margin(&lines, &p);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            labels,
            vec![
                pair("Kenmerk", "IENW/BSK-2023/33017"),
                pair("Bijlage(n)", "4")
            ]
        );
        assert_eq!(
            head.as_deref(),
            Some("Ministerie van Infrastructuur en Waterstaat")
        );
    }

    #[test]
    fn pdf_marker_in_text_is_text() {
        assert!(!is_binary_document(b"Zie bijlage %PDF-1.4 in de tekst."));
        assert!(is_binary_document(b"%PDF-1.4\n"));
    }
}
