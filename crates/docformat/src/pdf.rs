//! PDF: glyphs with their positions (from pdf-extract) laid out into lines, the letterhead's
//! margin column, and footnotes.
//!
//! Rijksoverheid letters put a narrow column on the right of every page (ministry, address,
//! `Kenmerk`, `Datum`, `Pagina 2 van 7`); text exports glue it into body lines. Here each line is
//! cut where the horizontal gap is wider than a column gap, and pieces that start in the right
//! part of the page go to [`Page::margin`].

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{
    Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform,
};

use crate::{Extracted, Format, FormatError, Page};

/// The margin column starts right of this share of the page width.
const MARGIN_START: f64 = 0.70;
/// A word this far (in em) from the one before it may start the margin column.
const MARGIN_GAP_EM: f64 = 0.8;
/// Line starts at one x, counted over the document, that make it the margin column's edge.
const MARGIN_MIN_LINES: usize = 4;
/// A horizontal gap wider than this many em separates columns (or table cells).
const COLUMN_GAP_EM: f64 = 2.0;
/// A gap wider than this many em between glyphs is a space.
const SPACE_EM: f64 = 0.2;
/// Text smaller than this share of the page's body size is footnote-sized (Rijkshuisstijl:
/// 9 pt body, 8 pt footnotes as pdf-extract reports them).
const SMALL_TEXT: f64 = 0.95;
/// A line pitch this many times the page's usual pitch is a paragraph break.
const PARAGRAPH_PITCH: f64 = 1.4;

/// Form XObjects drawn inside each other deeper than this are refused: pdf-extract draws them by
/// recursion, so a form that draws itself (or a very long chain) would overflow the stack and
/// abort the whole process. Letters nest two or three deep at most.
const MAX_FORM_DEPTH: usize = 16;

/// Marks a raised number (a footnote cue) until the page's footnotes are known.
const RAISED_OPEN: char = '\u{E010}';
const RAISED_CLOSE: char = '\u{E011}';

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    /// Baseline, measured from the top of the page.
    y: f64,
    /// Advance in points.
    w: f64,
    size: f64,
    text: String,
}

impl Glyph {
    fn is_space(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Collects one page's glyphs.
#[derive(Default)]
struct Collector {
    width: f64,
    left: f64,
    top: f64,
    glyphs: Vec<Glyph>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.width = (media_box.urx - media_box.llx).abs().max(1.0);
        self.left = media_box.llx.min(media_box.urx);
        self.top = media_box.ury.max(media_box.lly);
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // Rotated text (vertical margin labels, watermarks) is not part of the reading order.
        if trm.m12.abs() > 0.01 * trm.m11.abs() || trm.m21.abs() > 0.01 * trm.m22.abs() {
            return Ok(());
        }
        let size = (font_size * trm.m11 * font_size * trm.m22).abs().sqrt();
        if !size.is_finite() || size <= 0.0 || text.is_empty() {
            return Ok(());
        }
        let (x, y) = (trm.m31 - self.left, self.top - trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        let w = width * size;
        self.glyphs.push(Glyph {
            x,
            y,
            w: if w.is_finite() { w.max(0.0) } else { 0.0 },
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Removes the embedded TrueType programs (`FontFile2`) from the font descriptors. pdf-extract
/// decompresses a TrueType font's program every time it meets the font, on every page, and
/// throws it away unread (it takes glyph widths and the ToUnicode map from the font dictionary);
/// for a letter set in embedded TrueType fonts that was most of the extraction time. The text
/// extracted is the same. (Type 1 and CFF programs are read, for their encodings, and stay.)
fn drop_truetype_programs(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        dict.remove(b"FontFile2");
        // A font may carry its descriptor inline rather than as an object of its own.
        if let Ok(Object::Dictionary(inner)) = dict.get_mut(b"FontDescriptor") {
            inner.remove(b"FontFile2");
        }
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".to_string())
}

pub(crate) fn extract(bytes: &[u8]) -> Result<Extracted, FormatError> {
    // pdf-extract and lopdf still panic on some damaged files; a panic is one unreadable file
    // (or page), not the end of an index run.
    let mut doc = catch_unwind(|| Document::load_mem(bytes))
        .map_err(|p| FormatError::Pdf(panic_message(p.as_ref())))?
        .map_err(|e| FormatError::Pdf(e.to_string()))?;
    if doc.is_encrypted() {
        // Many published PDFs are "encrypted" with an empty user password.
        let opened = catch_unwind(AssertUnwindSafe(|| doc.decrypt(""))).is_ok_and(|r| r.is_ok());
        if !opened {
            return Err(FormatError::Encrypted);
        }
    }
    drop_truetype_programs(&mut doc);
    let pages = doc.get_pages();
    let numbers: Vec<u32> = pages.keys().copied().collect();
    if numbers.is_empty() {
        return Err(FormatError::Pdf("no pages".to_string()));
    }
    let mut collected = Vec::with_capacity(numbers.len());
    let mut warnings = Vec::new();
    let mut empty = Vec::new();
    for n in &numbers {
        if let Some(why) = pages.get(n).and_then(|id| unsafe_page(&doc, *id)) {
            warnings.push(format!("page {n} could not be read: {why}"));
            collected.push((*n, 0.0, Vec::new()));
            continue;
        }
        let mut collector = Collector::default();
        let run = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, *n)
        }));
        match run {
            Ok(Ok(())) => {}
            Ok(Err(e)) => warnings.push(format!("page {n} could not be read: {e}")),
            Err(p) => warnings.push(format!(
                "page {n} could not be read: {}",
                panic_message(p.as_ref())
            )),
        }
        if collector.glyphs.iter().all(Glyph::is_space) {
            empty.push(n.to_string());
        }
        collected.push((*n, collector.width, lines(collector.glyphs)));
    }
    let edge = margin_edge(&collected);
    let pages = collected
        .into_iter()
        .map(|(n, width, lines)| layout(n, lines, width, edge))
        .collect();
    let extracted = Extracted {
        format: Format::Pdf,
        pages,
        warnings,
    };
    if extracted.text_chars() == 0 {
        if !extracted.warnings.is_empty() {
            // Not a scan: the pages could not be read.
            return Err(FormatError::Pdf(extracted.warnings.join("; ")));
        }
        return Err(FormatError::NoTextLayer {
            pages: numbers.len(),
        });
    }
    let mut extracted = extracted;
    if !empty.is_empty() {
        extracted.warnings.push(format!(
            "page(s) {} without a text layer (scanned?)",
            empty.join(", ")
        ));
    }
    Ok(extracted)
}

/// Why pdf-extract must not be run on a page, if it must not: two of its walks do not end on
/// damaged files (found by the `pdf` fuzz target). Inherited attributes are looked up through
/// `/Parent` without a bound (a loop there never ends), and form XObjects are drawn by recursion
/// (a form that draws itself overflows the stack, which no `catch_unwind` can stop). Both are
/// checked here first, with explicit stacks, so a bad page costs a warning, not the process.
fn unsafe_page(doc: &Document, page: ObjectId) -> Option<String> {
    let dict = doc.get_dictionary(page).ok()?;
    // The chain as `get_inherited` walks it. It stops at the first node whose value has the
    // right type, so a loop only matters when no node before the repeat has one.
    let mut chain = vec![dict];
    let mut seen = HashSet::from([page]);
    let mut looped = false;
    let mut node = dict;
    while let Ok(parent) = node.get(b"Parent").and_then(Object::as_reference) {
        if !seen.insert(parent) {
            looped = true;
            break;
        }
        let Ok(d) = doc.get_dictionary(parent) else {
            break;
        };
        chain.push(d);
        node = d;
    }
    let resources = chain.iter().find_map(|d| {
        d.get(b"Resources")
            .ok()
            .and_then(|o| deref(doc, o).as_dict().ok())
    });
    let media_box = chain.iter().find_map(|d| {
        d.get(b"MediaBox")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok())
    });
    if looped && (resources.is_none() || media_box.is_none()) {
        return Some("its /Parent chain loops".to_string());
    }
    form_nesting(doc, page, resources?)
}

/// One step of dereferencing, as pdf-extract does it (`maybe_deref`, without its panic).
fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// The names a content stream draws with `Do`, decoded as pdf-extract decodes them.
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(content) = pdf_extract::content::Content::decode(content) else {
        return Vec::new();
    };
    content
        .operations
        .into_iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| Some(op.operands.first()?.as_name().ok()?.to_vec()))
        .collect()
}

/// The content of a form as pdf-extract draws it.
fn form_content(stream: &pdf_extract::Stream) -> Vec<u8> {
    stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone())
}

/// Where a walk over forms starts, and how much it reads.
#[derive(Clone, Copy)]
enum Walk {
    /// Every form the resources list, whether drawn or not: cheap, reads no content, but
    /// flags a form that only lists itself (common in real letters).
    Listed,
    /// Only what the content streams draw with `Do`; run when `Listed` flags something.
    Drawn(ObjectId),
}

/// The forms drawn from a stream (`None`: the page) with `res` in force, each with the resources
/// it draws with: its own `/Resources`, or its caller's when it has none (pdf-extract's rule).
fn forms<'a>(
    doc: &'a Document,
    walk: Walk,
    from: Option<ObjectId>,
    res: &'a Dictionary,
) -> Vec<(ObjectId, &'a Dictionary)> {
    let Some(xobjects) = res
        .get(b"XObject")
        .ok()
        .and_then(|o| deref(doc, o).as_dict().ok())
    else {
        return Vec::new();
    };
    let names: Vec<Vec<u8>> = match (walk, from) {
        (Walk::Listed, _) => xobjects.iter().map(|(k, _)| k.clone()).collect(),
        (Walk::Drawn(page), None) => drawn_names(&doc.get_page_content(page).unwrap_or_default()),
        (Walk::Drawn(_), Some(id)) => match doc.get_object(id).and_then(Object::as_stream) {
            Ok(stream) => drawn_names(&form_content(stream)),
            Err(_) => Vec::new(),
        },
    };
    names
        .iter()
        .filter_map(|name| {
            let id = xobjects.get(name).ok()?.as_reference().ok()?;
            let stream = doc.get_object(id).ok()?.as_stream().ok()?;
            let own = stream
                .dict
                .get(b"Resources")
                .ok()
                .and_then(|o| deref(doc, o).as_dict().ok());
            Some((id, own.unwrap_or(res)))
        })
        .collect()
}

/// Checks the forms a page draws: cheaply over what its resources list, and when that finds a
/// loop or a deep chain, again over what the content streams really draw.
fn form_nesting(doc: &Document, page: ObjectId, resources: &Dictionary) -> Option<String> {
    // Nothing listed loops or nests deep: nothing drawn can.
    walk_forms(doc, Walk::Listed, resources)?;
    walk_forms(doc, Walk::Drawn(page), resources)
}

/// Depth-first over (form, resources in force) with an explicit stack: a state met again on the
/// current path is a form that (indirectly) draws itself.
fn walk_forms(doc: &Document, walk: Walk, resources: &Dictionary) -> Option<String> {
    let key = |id: ObjectId, res: &Dictionary| (id, std::ptr::from_ref(res) as usize);
    let mut on_path = HashSet::new();
    let mut done = HashSet::new();
    let mut stack = vec![(None, forms(doc, walk, None, resources))];
    while let Some((_, pending)) = stack.last_mut() {
        if let Some((id, res)) = pending.pop() {
            let k = key(id, res);
            if on_path.contains(&k) {
                return Some(format!("form XObject {} {} R draws itself", id.0, id.1));
            }
            if done.contains(&k) {
                continue;
            }
            if stack.len() > MAX_FORM_DEPTH {
                return Some(format!(
                    "form XObjects nested more than {MAX_FORM_DEPTH} deep"
                ));
            }
            on_path.insert(k);
            stack.push((Some(k), forms(doc, walk, Some(id), res)));
        } else if let Some((Some(k), _)) = stack.pop() {
            on_path.remove(&k);
            done.insert(k);
        }
    }
    None
}

/// A line: glyphs on one baseline, left to right.
struct Line {
    y: f64,
    size: f64,
    glyphs: Vec<Glyph>,
}

/// Groups glyphs into lines by baseline; a raised small number joins the line it belongs to.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Line> = Vec::new();
    for g in glyphs {
        match out.last_mut() {
            Some(l) if (g.y - l.y).abs() <= 0.4 * l.size.max(g.size) => {
                if g.size > l.size {
                    l.size = g.size;
                    l.y = g.y;
                }
                l.glyphs.push(g);
            }
            _ => out.push(Line {
                y: g.y,
                size: g.size,
                glyphs: vec![g],
            }),
        }
    }
    for l in &mut out {
        l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Fake bold prints each glyph twice, a hair apart.
        l.glyphs
            .dedup_by(|b, a| a.text == b.text && (b.x - a.x).abs() < 0.15 * a.size.max(b.size));
    }
    out
}

/// A piece of a line between column gaps.
struct Piece {
    text: String,
    /// Size of most of its glyphs.
    size: f64,
    /// In the margin column.
    margin: bool,
}

/// Where a word starts: the first glyph of a line, or one after a space or a gap.
fn word_starts(line: &Line) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    let mut end = f64::NEG_INFINITY;
    let mut space = true;
    for (i, g) in line.glyphs.iter().enumerate() {
        if g.is_space() {
            space = true;
            continue;
        }
        let em = g.size.max(line.size * 0.5);
        let gap = g.x - end;
        if space || gap > SPACE_EM * em {
            out.push((i, gap / em));
        }
        space = false;
        end = g.x + g.w;
    }
    out
}

/// The x where the margin column starts: the one x right of [`MARGIN_START`] at which most
/// separate words start, over the whole document (a left-aligned column repeats its edge on
/// every line; body text ends anywhere).
fn margin_edge(pages: &[(u32, f64, Vec<Line>)]) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for (_, width, lines) in pages {
        for line in lines {
            for (i, gap_em) in word_starts(line) {
                let x = line.glyphs[i].x;
                if x >= MARGIN_START * width && (gap_em.is_infinite() || gap_em > MARGIN_GAP_EM) {
                    *counts.entry((x * 2.0).round() as i64).or_default() += 1;
                }
            }
        }
    }
    let (x2, n) = counts.into_iter().max_by_key(|(x, n)| (*n, -*x))?;
    (n >= MARGIN_MIN_LINES).then(|| x2 as f64 / 2.0 - 1.0)
}

fn pieces(line: &Line, width: f64, edge: Option<f64>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut end = f64::NEG_INFINITY;
    let mut raised = false;
    let mut space = false;
    let mut sizes: Vec<f64> = Vec::new();
    let close = |out: &mut Vec<Piece>, raised: &mut bool, sizes: &mut Vec<f64>| {
        if let Some(p) = out.last_mut() {
            if *raised {
                p.text.push(RAISED_CLOSE);
            }
            p.size = median(sizes);
        }
        *raised = false;
        sizes.clear();
    };
    for g in &line.glyphs {
        if g.is_space() {
            space = true;
            continue;
        }
        let em = g.size.max(line.size * 0.5);
        let gap = g.x - end;
        let word_start = out.is_empty() || space || gap > SPACE_EM * em;
        let in_margin = out.last().is_some_and(|p| p.margin);
        let margin_starts = !in_margin
            && word_start
            && match edge {
                Some(e) => g.x >= e,
                None => g.x >= MARGIN_START * width && gap > COLUMN_GAP_EM * em,
            };
        let is_raised = g.size < 0.85 * line.size
            && g.y < line.y - 0.15 * line.size
            && g.text.chars().all(|c| c.is_ascii_digit());
        if out.is_empty() || margin_starts || (gap > COLUMN_GAP_EM * em && !in_margin) {
            close(&mut out, &mut raised, &mut sizes);
            out.push(Piece {
                text: String::new(),
                size: g.size,
                margin: in_margin || margin_starts,
            });
        } else if word_start && !(is_raised && raised) {
            if raised && let Some(p) = out.last_mut() {
                p.text.push(RAISED_CLOSE);
                raised = false;
            }
            if let Some(p) = out.last_mut() {
                p.text.push(' ');
            }
        }
        space = false;
        let Some(p) = out.last_mut() else { continue };
        if is_raised != raised {
            p.text
                .push(if is_raised { RAISED_OPEN } else { RAISED_CLOSE });
            raised = is_raised;
        }
        p.text.push_str(&g.text);
        sizes.push(g.size);
        end = g.x + g.w;
    }
    close(&mut out, &mut raised, &mut sizes);
    out
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Lays one page's glyphs out into body lines, margin lines and footnotes.
fn layout(number: u32, lines: Vec<Line>, width: f64, edge: Option<f64>) -> Page {
    let mut page = Page {
        number,
        ..Page::default()
    };
    let body_edge = edge.unwrap_or(MARGIN_START * width);
    let mut sizes: Vec<f64> = lines
        .iter()
        .flat_map(|l| &l.glyphs)
        .filter(|g| g.x < body_edge && !g.is_space())
        .map(|g| (g.size * 2.0).round() / 2.0)
        .collect();
    let body_size = median(&mut sizes);
    // (baseline, size, text) of body lines.
    let mut body: Vec<(f64, f64, String)> = Vec::new();
    for line in lines {
        let mut texts = Vec::new();
        let mut size: f64 = 0.0;
        for piece in pieces(&line, width, edge) {
            if piece.margin {
                page.margin.push(plain(&piece.text));
            } else {
                size = size.max(piece.size);
                texts.push(piece.text);
            }
        }
        if !texts.is_empty() {
            body.push((line.y, size, texts.join("\t")));
        }
    }

    // Footnotes: the run of small lines at the bottom whose first line starts with a number.
    let mut start = body.len();
    while start > 0 && body[start - 1].1 < SMALL_TEXT * body_size {
        start -= 1;
    }
    while start < body.len() && leading_number(&body[start].2).is_none() {
        start += 1;
    }
    for (_, _, text) in body.drain(start..) {
        match leading_number(&text) {
            Some((n, rest)) => page.footnotes.push((n, plain(&rest))),
            None => {
                if let Some((_, t)) = page.footnotes.last_mut() {
                    t.push(' ');
                    t.push_str(&plain(&text));
                }
            }
        }
    }

    let mut pitches: Vec<f64> = body
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .filter(|p| *p > 0.0)
        .collect();
    let pitch = median(&mut pitches);
    let cited: Vec<&str> = page.footnotes.iter().map(|(n, _)| n.as_str()).collect();
    for (i, (y, _, text)) in body.iter().enumerate() {
        if i > 0 && pitch > 0.0 && y - body[i - 1].0 > PARAGRAPH_PITCH * pitch {
            page.body.push(String::new());
        }
        page.body.push(cues(text, &cited));
    }
    page
}

/// `N text` or a raised `N` followed by text at the start of a footnote line.
fn leading_number(text: &str) -> Option<(String, String)> {
    let t = text.trim_start().trim_start_matches(RAISED_OPEN);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = t[digits.len()..].trim_start_matches(RAISED_CLOSE);
    let raised = text.trim_start().starts_with(RAISED_OPEN);
    (raised || rest.starts_with([' ', '\t'])).then(|| (digits, rest.trim().to_string()))
}

/// Raised numbers that name a footnote on this page become `[footnoteRef:N]`; others are text.
fn cues(text: &str, cited: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(RAISED_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + RAISED_OPEN.len_utf8()..];
        let close = after.find(RAISED_CLOSE).unwrap_or(after.len());
        let n = &after[..close];
        if cited.contains(&n) {
            out.push_str(&format!("[footnoteRef:{n}]"));
        } else {
            out.push_str(n);
        }
        rest = after
            .get(close + RAISED_CLOSE.len_utf8()..)
            .unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn plain(text: &str) -> String {
    text.replace([RAISED_OPEN, RAISED_CLOSE], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truetype_programs_go_and_the_programs_read_for_encodings_stay() {
        let mut doc = Document::with_version("1.5");
        let program = doc.add_object(pdf_extract::Stream::new(Dictionary::new(), vec![0; 16]));
        let descriptor = |key: &str| {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"FontDescriptor".to_vec()));
            d.set(key, Object::Reference(program));
            d
        };
        let truetype = doc.add_object(descriptor("FontFile2"));
        let type1 = doc.add_object(descriptor("FontFile"));
        let cff = doc.add_object(descriptor("FontFile3"));
        let mut font = Dictionary::new();
        font.set("Subtype", Object::Name(b"TrueType".to_vec()));
        font.set(
            "FontDescriptor",
            Object::Dictionary(descriptor("FontFile2")),
        );
        let inline = doc.add_object(font);
        drop_truetype_programs(&mut doc);
        let dict = |id| doc.get_object(id).unwrap().as_dict().unwrap();
        assert!(!dict(truetype).has(b"FontFile2"));
        assert!(dict(type1).has(b"FontFile"));
        assert!(dict(cff).has(b"FontFile3"));
        let inner = dict(inline)
            .get(b"FontDescriptor")
            .unwrap()
            .as_dict()
            .unwrap();
        assert!(!inner.has(b"FontFile2"));
        assert!(inner.has(b"Type"));
    }

    fn g(x: f64, y: f64, size: f64, text: &str) -> Glyph {
        Glyph {
            x,
            y,
            w: 0.5 * size * text.chars().count() as f64,
            size,
            text: text.to_string(),
        }
    }

    /// A word as glyphs, one per character.
    fn word(x: f64, y: f64, size: f64, s: &str) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| g(x + i as f64 * 0.5 * size, y, size, &c.to_string()))
            .collect()
    }

    #[test]
    fn margin_column_footnotes_and_cues() {
        let mut gl = Vec::new();
        gl.extend(word(80.0, 100.0, 10.0, "Geachte"));
        gl.extend(word(122.0, 100.0, 10.0, "voorzitter,"));
        gl.extend(word(470.0, 100.0, 7.0, "Kenmerk"));
        gl.extend(word(80.0, 130.0, 10.0, "Zie"));
        gl.extend(word(100.0, 130.0, 10.0, "brief"));
        gl.extend(word(125.0, 126.0, 6.0, "1"));
        gl.extend(word(80.0, 142.0, 10.0, "Meer"));
        gl.extend(word(80.0, 154.0, 10.0, "Nog"));
        gl.extend(word(80.0, 780.0, 7.0, "1"));
        gl.extend(word(88.0, 780.0, 7.0, "Kamerstuk"));
        gl.extend(word(125.0, 780.0, 7.0, "28345-288"));
        gl.extend(word(80.0, 789.0, 7.0, "vervolg"));
        let page = layout(1, lines(gl), 595.0, None);
        assert_eq!(page.margin, vec!["Kenmerk"]);
        assert_eq!(
            page.body,
            vec![
                "Geachte voorzitter,",
                "",
                "Zie brief[footnoteRef:1]",
                "Meer",
                "Nog"
            ]
        );
        assert_eq!(
            page.footnotes,
            vec![("1".to_string(), "Kamerstuk 28345-288 vervolg".to_string())]
        );
    }

    #[test]
    fn raised_number_without_footnote_stays_text() {
        assert_eq!(cues("de 2\u{E010}3\u{E011} keer", &[]), "de 23 keer");
        assert_eq!(
            leading_number("\u{E010}12\u{E011}Zie"),
            Some(("12".into(), "Zie".into()))
        );
        assert_eq!(leading_number("2025 was"), None);
        assert_eq!(leading_number("Tekst"), None);
    }

    /// A PDF of the given objects (numbered from 1, object 1 the catalog) with a correct xref.
    fn pdf(objects: &[String]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        let trailer = format!("trailer\n<< /Size {} /Root 1 0 R >>\n", objects.len() + 1);
        out.extend(format!("{trailer}startxref\n{xref}\n%%EOF\n").bytes());
        out
    }

    fn stream(dict: &str, data: &str) -> String {
        format!(
            "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
            data.len()
        )
    }

    const TEXT: &str = "BT /F1 12 Tf 72 720 Td (Geachte voorzitter) Tj ET";
    const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

    /// pdf-extract looks inherited attributes up through `/Parent` without a bound: before the
    /// check this page never finished.
    #[test]
    fn parent_loop_is_refused_not_followed() {
        let bytes = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
            "<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>".into(),
            stream("", TEXT),
        ]);
        let e = extract(&bytes).unwrap_err().to_string();
        assert!(
            e.contains("page 1") && e.contains("/Parent chain loops"),
            "{e}"
        );
    }

    /// A form that draws itself overflowed the stack (the process aborted); now its page is
    /// skipped with a warning and the other pages are read.
    #[test]
    fn forms_drawing_each_other_skip_the_page_only() {
        let page = |contents: u32, xobject: &str| {
            format!(
                "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> {xobject} >> \
                 /Contents {contents} 0 R >>"
            )
        };
        let form = "/Type /XObject /Subtype /Form /BBox [0 0 612 792]";
        let bytes = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 /MediaBox [0 0 612 792] >>".into(),
            page(4, ""),
            stream("", TEXT),
            FONT.into(),
            // 6 draws 8 with its own resources; 8 has none, so it draws with 6's: itself.
            stream(
                &format!("{form} /Resources << /XObject << /A 8 0 R >> >>"),
                "/A Do",
            ),
            page(9, "/XObject << /X0 6 0 R >>"),
            stream(form, "/A Do"),
            stream("", "/X0 Do"),
        ]);
        let x = extract(&bytes).unwrap();
        assert_eq!(x.pages[0].body, vec!["Geachte voorzitter"]);
        assert!(x.pages[1].body.is_empty());
        assert_eq!(
            x.warnings,
            vec!["page 2 could not be read: form XObject 8 0 R draws itself"]
        );
    }

    /// Real letters list a form in its own resources without drawing it
    /// (`Kamerbrief_1pag.pdf`); only a form that really draws itself is refused.
    #[test]
    fn a_form_listing_itself_is_drawn() {
        let form = "/Type /XObject /Subtype /Form /BBox [0 0 612 792]";
        let bytes = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>".into(),
            "<< /Type /Page /Parent 2 0 R /Resources 6 0 R /Contents 4 0 R >>".into(),
            stream("", "/X0 Do"),
            FONT.into(),
            "<< /Font << /F1 5 0 R >> /XObject << /X0 7 0 R >> >>".into(),
            stream(&format!("{form} /Resources 6 0 R"), TEXT),
        ]);
        let x = extract(&bytes).unwrap();
        assert_eq!(x.pages[0].body, vec!["Geachte voorzitter"]);
        assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    }

    #[test]
    fn a_long_chain_of_forms_is_bounded() {
        let form = "/Type /XObject /Subtype /Form /BBox [0 0 612 792]";
        let mut objects: Vec<String> = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>".into(),
            "<< /Type /Page /Parent 2 0 R /Resources << /XObject << /N 5 0 R >> >> /Contents 4 0 R >>".into(),
            stream("", "/N Do"),
        ];
        // Forms 5, 6, …: each draws the next, 40 deep, no loop.
        for i in 5..45 {
            objects.push(stream(
                &format!("{form} /Resources << /XObject << /N {} 0 R >> >>", i + 1),
                "/N Do",
            ));
        }
        objects.push(stream(form, TEXT));
        let e = extract(&pdf(&objects)).unwrap_err().to_string();
        assert!(e.contains("nested more than 16 deep"), "{e}");
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        assert!(extract(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF").is_err());
        assert!(extract(b"%PDF-").is_err());
    }
}
