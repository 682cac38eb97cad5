//! .docx: paragraphs from `word/document.xml`, headings from `word/styles.xml`, footnotes from
//! `word/footnotes.xml` marked where they are cited.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::{Extracted, Format, FormatError, Page};

/// A part larger than this (uncompressed) is refused: a zip bomb, not a letter.
const MAX_PART_BYTES: u64 = 64 << 20;

fn err(e: impl std::fmt::Display) -> FormatError {
    FormatError::Docx(e.to_string())
}

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, FormatError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(err(format!("{name}: {e}"))),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(err(format!(
            "{name}: {} MB uncompressed exceeds the {} MB limit",
            file.size() >> 20,
            MAX_PART_BYTES >> 20
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(format!("{name}: {e}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| err(format!("{name}: not UTF-8 ({e})")))
}

pub(crate) fn extract(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(err)?;
    let document = read_part(&mut zip, "word/document.xml")?
        .ok_or_else(|| err("no word/document.xml: a zip, but not a Word document"))?;
    let headings = match read_part(&mut zip, "word/styles.xml")? {
        Some(s) => heading_styles(&s)?,
        None => HashSet::new(),
    };
    let notes = match read_part(&mut zip, "word/footnotes.xml")? {
        Some(s) => footnotes(&s)?,
        None => HashMap::new(),
    };
    let (body, footnotes) = body(&document, &headings, &notes)?;
    Ok(Extracted {
        format: Format::Docx,
        pages: vec![Page {
            number: 1,
            body,
            footnotes,
            margin: Vec::new(),
        }],
        warnings: Vec::new(),
    })
}

/// The value of the attribute `w:val` (or any prefix) of an element.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
}

fn xml_err(reader: &Reader<&[u8]>, part: &str, e: impl std::fmt::Display) -> FormatError {
    err(format!("{part} at byte {}: {e}", reader.buffer_position()))
}

/// Style ids that are headings: named `heading N`/`Kop N`/`Title`, with an outline level, or
/// based on such a style.
fn heading_styles(xml: &str) -> Result<HashSet<String>, FormatError> {
    let mut reader = Reader::from_str(xml);
    let mut based_on: HashMap<String, String> = HashMap::new();
    let mut headings = HashSet::new();
    let mut current: Option<String> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(&reader, "word/styles.xml", e))?;
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => current = attr(&e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "val")) {
                        let n = name.to_lowercase();
                        if n.starts_with("heading") || n.starts_with("kop") || n == "title" {
                            headings.insert(id.clone());
                        }
                    }
                }
                "outlineLvl" => {
                    if let Some(id) = &current
                        && attr(&e, "val").and_then(|v| v.parse::<u8>().ok()) < Some(9)
                    {
                        headings.insert(id.clone());
                    }
                }
                "basedOn" => {
                    if let (Some(id), Some(base)) = (&current, attr(&e, "val")) {
                        based_on.insert(id.clone(), base);
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    // Inherit along basedOn chains (bounded: a cycle must not loop).
    for _ in 0..8 {
        let more: Vec<String> = based_on
            .iter()
            .filter(|(id, base)| headings.contains(*base) && !headings.contains(*id))
            .map(|(id, _)| id.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        headings.extend(more);
    }
    Ok(headings)
}

/// Footnote id → text.
fn footnotes(xml: &str) -> Result<HashMap<String, String>, FormatError> {
    let mut reader = Reader::from_str(xml);
    let mut out = HashMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(&reader, "word/footnotes.xml", e))?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "footnote" => current = attr(&e, "id").map(|id| (id, String::new())),
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "tab" => {
                if let Some((_, t)) = &mut current {
                    t.push(' ');
                }
            }
            Event::Text(t) if in_text => {
                if let Some((_, s)) = &mut current {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some((_, s)) = &mut current {
                    s.push_str(&entity(&r));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if let Some((_, s)) = &mut current {
                        s.push(' ');
                    }
                }
                "footnote" => {
                    if let Some((id, text)) = current.take() {
                        let text = collapse(&text);
                        if !text.is_empty() {
                            out.insert(id, text);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The text an entity reference stands for (`&amp;`, `&#233;`); an unknown entity is dropped.
fn entity(r: &BytesRef) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => quick_xml::escape::resolve_predefined_entity(r)
            .unwrap_or_default()
            .to_string(),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    heading: bool,
    list: bool,
}

/// Body lines (a blank line after each paragraph; table rows as tab-separated cells) and the
/// footnotes in citation order, numbered as Word displays them.
#[allow(clippy::type_complexity)]
fn body(
    xml: &str,
    headings: &HashSet<String>,
    notes: &HashMap<String, String>,
) -> Result<(Vec<String>, Vec<(String, String)>), FormatError> {
    let mut reader = Reader::from_str(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut cited: Vec<(String, String)> = Vec::new();
    let mut paras: Vec<Para> = Vec::new();
    // Open tables: rows of cells; only the outermost table lays out, inner ones flow into a cell.
    let mut cells: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut stack: Vec<String> = Vec::new();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(&reader, "word/document.xml", e))?;
        // Text boxes repeat their content in a VML fallback; read it once.
        let skipping = stack.iter().any(|s| s == "Fallback" || s == "del");
        match ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                match name.as_str() {
                    "p" if !skipping => paras.push(Para::default()),
                    "tbl" => table_depth += 1,
                    "tr" if table_depth == 1 => cells.clear(),
                    "tc" if table_depth == 1 => cells.push(String::new()),
                    _ => {}
                }
                stack.push(name);
            }
            Event::Empty(e) if !skipping => {
                let in_run = stack.iter().any(|s| s == "r");
                match e.local_name().as_ref() {
                    "pStyle" => {
                        if let Some(p) = paras.last_mut() {
                            p.heading = attr(&e, "val").is_some_and(|v| headings.contains(&v));
                        }
                    }
                    "outlineLvl" => {
                        if let Some(p) = paras.last_mut() {
                            p.heading =
                                attr(&e, "val").and_then(|v| v.parse::<u8>().ok()) < Some(9);
                        }
                    }
                    "numPr" | "numId" => {
                        if let Some(p) = paras.last_mut() {
                            p.list = true;
                        }
                    }
                    "tab" if in_run => {
                        if let Some(p) = paras.last_mut() {
                            p.text.push('\t');
                        }
                    }
                    "br" | "cr" if in_run => {
                        if let Some(p) = paras.last_mut() {
                            p.text.push(' ');
                        }
                    }
                    "footnoteReference" => {
                        if let (Some(p), Some(id)) = (paras.last_mut(), attr(&e, "id")) {
                            let n = (cited.len() + 1).to_string();
                            p.text.push_str(&format!("[footnoteRef:{n}]"));
                            cited.push((n, notes.get(&id).cloned().unwrap_or_default()));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if !skipping && stack.last().is_some_and(|s| s == "t") => {
                if let Some(p) = paras.last_mut() {
                    p.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if !skipping && stack.last().is_some_and(|s| s == "t") => {
                if let Some(p) = paras.last_mut() {
                    p.text.push_str(&entity(&r));
                }
            }
            Event::End(e) => {
                stack.pop();
                match e.local_name().as_ref() {
                    "p" if !skipping => {
                        let Some(p) = paras.pop() else { continue };
                        let text = p.text.split(' ').filter(|w| !w.is_empty());
                        let text = text.collect::<Vec<_>>().join(" ");
                        let text = text.trim().to_string();
                        if text.is_empty() {
                            continue;
                        }
                        if table_depth > 0 {
                            if let Some(cell) = cells.last_mut() {
                                if !cell.is_empty() {
                                    cell.push(' ');
                                }
                                cell.push_str(&text.replace('\t', " "));
                            }
                            continue;
                        }
                        let line = if p.list && !p.heading {
                            format!("· {text}")
                        } else {
                            text
                        };
                        if p.heading && lines.last().is_some_and(|l| !l.is_empty()) {
                            lines.push(String::new());
                        }
                        lines.push(line);
                        lines.push(String::new());
                    }
                    "tr" if table_depth == 1 => {
                        let row: Vec<&str> = cells
                            .iter()
                            .map(|c| c.trim())
                            .filter(|c| !c.is_empty())
                            .collect();
                        if !row.is_empty() {
                            lines.push(row.join("\t"));
                        }
                    }
                    "tbl" => {
                        table_depth = table_depth.saturating_sub(1);
                        if table_depth == 0 {
                            lines.push(String::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    Ok((lines, cited))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_footnotes_tables() {
        let styles = r#"<w:styles xmlns:w="w"><w:style w:styleId="Kop1"><w:name w:val="heading 1"/></w:style>
            <w:style w:styleId="Eigen"><w:name w:val="Eigen kop"/><w:basedOn w:val="Kop1"/></w:style></w:styles>"#;
        let notes = r#"<w:footnotes xmlns:w="w"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
            <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Kamerstukken II, 2024-2025, 29279, nr. 890.</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let doc = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Eigen"/></w:pPr><w:r><w:t>Landelijk expertisepunt</w:t></w:r></w:p>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">Zie de motie </w:t></w:r><w:r><w:t>Becker &amp; Van der Werf.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>
            <w:p><w:r><w:delText>weg</w:delText></w:r><w:del><w:r><w:t>ook weg</w:t></w:r></w:del></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>De minister</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>De staatssecretaris</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        let h = heading_styles(styles).unwrap();
        assert!(h.contains("Kop1") && h.contains("Eigen"));
        let n = footnotes(notes).unwrap();
        assert_eq!(n.len(), 1);
        let (lines, cited) = body(doc, &h, &n).unwrap();
        assert_eq!(
            lines,
            vec![
                "Landelijk expertisepunt",
                "",
                "Zie de motie Becker & Van der Werf.[footnoteRef:1]",
                "",
                "De minister\tDe staatssecretaris",
            ]
        );
        assert_eq!(
            cited,
            vec![(
                "1".to_string(),
                "Kamerstukken II, 2024-2025, 29279, nr. 890.".to_string()
            )]
        );
    }

    #[test]
    fn not_a_word_document() {
        assert!(matches!(
            extract(b"PK\x03\x04garbage"),
            Err(FormatError::Docx(_))
        ));
    }
}
