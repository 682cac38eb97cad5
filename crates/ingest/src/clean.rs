//! Text clean-up: Word markers, footnotes, page and margin furniture, hyphenation, paragraphs.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Patterns;

/// Marks the place a footnote is cited, inside cleaned text: `\u{E000}N\u{E001}`.
pub(crate) const FN_OPEN: char = '\u{E000}';
pub(crate) const FN_CLOSE: char = '\u{E001}';

static WORD_FOOTNOTE_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)[ \t]*\[(\d{1,3}):\s*(.*?)\][ \t]*(\n?)").unwrap_or_else(|_| unreachable!())
});
static WORD_FOOTNOTE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[footnoteRef:(\d{1,3})\]").unwrap_or_else(|_| unreachable!()));
static WORD_BOOKMARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[bookmark:[^\]\n]*\]").unwrap_or_else(|_| unreachable!()));
static OCR_FOOTNOTE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,2})\s+((?:Kamerstuk|Kamerstukken|gamerstukken|Aanhangsel|Handelingen|https?://|www\.|Zie |Brief |Motie |Matie |Zoals |Het |De |Dit |In |Op |Dat |Een |Deze |Bijlage|Rapport|Onderzoek|Wet |Stcrt|Staatscourant|Stb\.).*)$")
        .unwrap_or_else(|_| unreachable!())
});
/// A footnote that starts with an author or title rather than a keyword: a number, a capital,
/// and a year, `nr.` or a web address somewhere in the line.
static OCR_FOOTNOTE_CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,2})\s+(\p{Lu}.*(?:(?-u:\b)(?:19|20)\d{2}(?-u:\b)|(?-u:\b)nr\.|https?://|www\.).*)$")
        .unwrap_or_else(|_| unreachable!())
});
static GLUED_FOOTNOTE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Ll}.,;:)’”®])(\d{1,2})(\s|$|[.,;:])").unwrap_or_else(|_| unreachable!())
});
static MARGIN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:Kenmerk|Datum|Ons kenmerk)\s*$").unwrap_or_else(|_| unreachable!())
});
static LEADING_MARGIN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:Kenmerk|Datum)\s+(?:[a-z]\.|\d+\.)").unwrap_or_else(|_| unreachable!())
});

/// The result of cleaning a text's lines.
#[derive(Debug, Default)]
pub(crate) struct Cleaned {
    /// Lines without furniture; empty strings are blank lines; `\x0c` page breaks dropped.
    pub lines: Vec<String>,
    /// Footnote number → text.
    pub footnotes: BTreeMap<String, String>,
    /// Removed furniture, in order.
    pub furniture: Vec<String>,
    /// First kenmerk found in the margin.
    pub kenmerk: Option<String>,
    /// First `Datum …` found in the margin.
    pub datum: Option<String>,
}

/// Cleans raw text line by line.
pub(crate) fn clean(text: &str, p: &Patterns) -> Cleaned {
    let mut out = Cleaned::default();
    let text = text.replace("\r\n", "\n");
    let text = strip_page_headers(&text, &mut out.furniture).replace(['\r', '\x0c'], "\n");
    let text = text.replace('\u{a0}', " ");
    // Word exports carry footnote bodies inline right after the reference: lift them out.
    let mut text = WORD_BOOKMARK.replace_all(&text, "").into_owned();
    if WORD_FOOTNOTE_REF.is_match(&text) {
        let mut bodies = BTreeMap::new();
        let replaced = WORD_FOOTNOTE_BODY.replace_all(&text, |c: &regex::Captures| {
            bodies.insert(c[1].to_string(), collapse(&c[2]));
            c.get(3).map(|m| m.as_str().to_string()).unwrap_or_default()
        });
        text = WORD_FOOTNOTE_REF
            .replace_all(&replaced, |c: &regex::Captures| {
                format!("{FN_OPEN}{}{FN_CLOSE}", &c[1])
            })
            .into_owned();
        out.footnotes = bodies;
    }
    let word_export = !out.footnotes.is_empty();
    // A margin label (`Datum`) that ended a line, waiting for its value: label, lines left.
    let mut pending: Option<(&str, usize)> = None;
    let raw_lines: Vec<&str> = text.split('\n').collect();
    // The index of a margin label's value standing alone a line or two below the label.
    let mut label_value: Option<usize> = None;
    for (idx, raw) in raw_lines.iter().enumerate() {
        if label_value == Some(idx) {
            out.furniture.push(raw.trim().to_string());
            continue;
        }
        let mut line = raw.trim_end().to_string();
        for re in [&p.kenmerk, &p.datum, &p.pagina] {
            if let Some(m) = re.find(&line) {
                let found = m.as_str().trim().to_string();
                if re.as_str() == p.kenmerk.as_str() && out.kenmerk.is_none() {
                    out.kenmerk = re
                        .captures(&line)
                        .and_then(|c| c.get(1))
                        .map(|g| g.as_str().to_string());
                }
                if re.as_str() == p.datum.as_str() && out.datum.is_none() {
                    out.datum = re
                        .captures(&line)
                        .and_then(|c| c.get(1))
                        .map(|g| g.as_str().to_string());
                }
                out.furniture.push(found);
                line = re.replace_all(&line, " ").trim_end().to_string();
            }
        }
        // A value owed to a margin label a line or three above.
        if let Some((label, left)) = pending.take() {
            let (re, slot) = if label == "Datum" {
                (&p.trailing_datum, &mut out.datum)
            } else {
                (&p.trailing_kenmerk, &mut out.kenmerk)
            };
            if let Some(c) = re.captures(&line) {
                let value = c[1].to_string();
                out.furniture.push(format!("{label} {value}"));
                slot.get_or_insert(value);
                let start = c.get(0).map_or(line.len(), |m| m.start());
                line.truncate(start);
            } else if left > 1 {
                pending = Some((label, left - 1));
            }
        }
        // The two label regexes need one of their words; most lines have neither, and a regex
        // call per line costs more than looking for the words.
        let labelled = line.contains("Datum") || line.contains("enmerk");
        if let Some(m) = labelled.then(|| MARGIN_LABEL.find(&line)).flatten() {
            let label = m.as_str().trim().to_string();
            if label.ends_with("atum") || label.ends_with("enmerk") {
                pending = Some((value_label(&label), 3));
            }
            out.furniture.push(label);
            line.truncate(m.start());
        }
        if let Some(m) = labelled.then(|| LEADING_MARGIN_LABEL.find(&line)).flatten() {
            let label_end = line[..m.end()]
                .trim_end_matches(|c: char| c.is_alphanumeric() || c == '.')
                .len();
            out.furniture.push(line[..label_end].trim().to_string());
            line = line[label_end..].to_string();
        }
        // A margin label alone on its line (a text export of a letter's margin column puts the
        // label and its value apart): furniture, never a heading.
        // (`margin_labels` are lowercased. Lowercasing a character never shrinks it to less than
        // a quarter of its bytes, so a longer line is no label and is not lowercased at all.)
        let trimmed = line.trim();
        let longest = p.margin_labels.iter().map(String::len).max().unwrap_or(0);
        if trimmed.len() <= 4 * longest && {
            let lower = trimmed.to_lowercase();
            p.margin_labels.contains(&lower)
        } {
            let label = line.trim();
            if label.ends_with("atum") || label.ends_with("enmerk") {
                pending = Some((value_label(label), 3));
            }
            out.furniture.push(label.to_string());
            // Its value (`DGBI / 26844711`) when it stands alone on one of the next lines: short
            // and followed by a blank line. A value glued to body text stays in the body.
            label_value = raw_lines
                .iter()
                .enumerate()
                .skip(idx + 1)
                .take(2)
                .find(|(_, l)| !l.trim().is_empty())
                .filter(|(j, l)| {
                    l.split_whitespace().count() <= 6
                        && l.trim().chars().count() <= 40
                        && raw_lines.get(j + 1).is_none_or(|n| n.trim().is_empty())
                })
                .map(|(j, _)| j);
            continue;
        }
        let page_number = p.bare_page_number.is_match(&line) && !beside_figures(&raw_lines, idx, p);
        if page_number || p.running_header.is_match(&line) {
            out.furniture.push(line.trim().to_string());
            continue;
        }
        // Both footnote regexes start with a number (`\s*\d`; every `\d` is numeric).
        if !word_export
            && line.trim_start().starts_with(char::is_numeric)
            && let Some(c) = OCR_FOOTNOTE_LINE
                .captures(&line)
                .or_else(|| OCR_FOOTNOTE_CITATION.captures(&line))
        {
            let n = c[1].to_string();
            if let std::collections::btree_map::Entry::Vacant(e) = out.footnotes.entry(n) {
                e.insert(collapse(&c[2]));
                continue;
            }
        }
        out.lines.push(line);
    }
    if !word_export && !out.footnotes.is_empty() {
        // Published PDFs glue the footnote number to the cited word (`voorkomen.1`).
        let mut pending: Vec<String> = out.footnotes.keys().cloned().collect();
        for line in &mut out.lines {
            if pending.is_empty() {
                break;
            }
            let replaced = GLUED_FOOTNOTE_MARK.replace_all(line, |c: &regex::Captures| {
                if let Some(i) = pending.iter().position(|n| n == &c[2]) {
                    pending.remove(i);
                    format!("{}{FN_OPEN}{}{FN_CLOSE}{}", &c[1], &c[2], &c[3])
                } else {
                    c[0].to_string()
                }
            });
            *line = replaced.into_owned();
        }
    }
    out
}

/// How many non-blank lines at the top of a page are looked at for a repeated page header.
const PAGE_TOP_LINES: usize = 3;

/// Whether line `idx` stands in a run of at least [`TABLE_RUN`] lines of figures
/// ([`Patterns::table_figures`]; blank lines skipped): then a bare number on it is a table cell,
/// not a page number. (Two figure lines are a Kamerstuk's head in SGD texts, `12 025` over `1`,
/// where the number is furniture as before.)
fn beside_figures(lines: &[&str], idx: usize, p: &Patterns) -> bool {
    let figures = |l: &&&str| p.table_figures.is_match(l);
    let non_blank = |l: &&&str| !l.trim().is_empty();
    let above = lines[..idx]
        .iter()
        .rev()
        .filter(non_blank)
        .take_while(figures)
        .take(TABLE_RUN - 1)
        .count();
    let below = lines[idx + 1..]
        .iter()
        .filter(non_blank)
        .take_while(figures)
        .take(TABLE_RUN - 1)
        .count();
    1 + above + below >= TABLE_RUN
}

/// Lines of figures in a row that make a table.
const TABLE_RUN: usize = 3;

/// Removes, from a text with page breaks (`\x0c`, as `pdftotext` writes them), the short lines
/// that stand among the first non-blank lines of at least two pages and half of all pages: the
/// sender block of a letter's margin column (`Directoraat-generaal` / `Bedrijfsleven &
/// Innovatie`), which the PDF path keeps out of the body from the layout and a text export puts
/// at the top of every page. They are kept as furniture.
fn strip_page_headers(text: &str, furniture: &mut Vec<String>) -> String {
    let pages: Vec<&str> = text.split('\x0c').collect();
    let filled = pages.iter().filter(|p| !p.trim().is_empty()).count();
    if filled < 2 {
        return text.to_string();
    }
    let top = |page: &str| -> Vec<String> {
        let mut t: Vec<String> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(PAGE_TOP_LINES)
            .map(String::from)
            .collect();
        t.sort();
        t.dedup();
        t
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in &pages {
        for line in top(page) {
            *counts.entry(line).or_default() += 1;
        }
    }
    // Body text does not repeat at page tops; a sentence never counts as a header.
    let repeated: Vec<String> = counts
        .into_iter()
        .filter(|(l, n)| {
            *n >= 2 && *n * 2 >= filled && l.chars().count() <= 60 && !ends_sentence(l)
        })
        .map(|(l, _)| l)
        .collect();
    if repeated.is_empty() {
        return text.to_string();
    }
    let mut out_pages = Vec::with_capacity(pages.len());
    for page in &pages {
        let mut seen = 0;
        let mut kept = Vec::new();
        for line in page.split('\n') {
            let t = line.trim();
            if !t.is_empty() && seen < PAGE_TOP_LINES {
                seen += 1;
                if repeated.iter().any(|r| r == t) {
                    furniture.push(t.to_string());
                    continue;
                }
            }
            kept.push(line);
        }
        out_pages.push(kept.join("\n"));
    }
    out_pages.join("\x0c")
}

/// Whitespace collapsed to single spaces.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    collapse_into(s, &mut out);
    out
}

/// [`collapse`] appended to `out`, without a vector of words and a joined copy in between (it
/// runs over every section's text). The words are those of `str::split_whitespace`, found by
/// [`whitespace_at`] on bytes: decoding every character was a tenth of parsing the SGD texts.
fn collapse_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut first = true;
    while let Some((start, end)) = next_word(bytes, i) {
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(&s[start..end]);
        i = end;
    }
}

/// The number of words of `s`, as `s.split_whitespace().count()` counts them (see
/// [`collapse_into`]).
pub(crate) fn word_count(s: &str) -> usize {
    word_count_upto(s, usize::MAX)
}

/// [`word_count`], but at most `cap`: it stops counting there (a section's length is asked
/// only against a limit).
pub(crate) fn word_count_upto(s: &str, cap: usize) -> usize {
    let bytes = s.as_bytes();
    let (mut words, mut i) = (0, 0);
    while words < cap
        && let Some((_, end)) = next_word(bytes, i)
    {
        words += 1;
        i = end;
    }
    words
}

/// The byte range of the first word at or after `i` (which must be a character boundary).
#[inline(always)]
fn next_word(bytes: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let n = bytes.len();
    loop {
        if i >= n {
            return None;
        }
        match whitespace_at(bytes, i) {
            0 => break,
            w => i += w,
        }
    }
    let start = i;
    i += 1;
    while i < n && whitespace_at(bytes, i) == 0 {
        i += 1;
    }
    Some((start, i))
}

/// The length in bytes of the whitespace character (`char::is_whitespace`) that starts at
/// `bytes[i]`, or 0. A byte inside a multi-byte character is never whitespace: every
/// whitespace character outside ASCII starts with `C2`, `E1`, `E2` or `E3`, which are lead
/// bytes, so stepping through a word byte by byte finds no boundary inside a character.
#[inline(always)]
fn whitespace_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'!'..=0x7F => 0,
        b' ' | b'\t'..=b'\r' => 1,
        0xC2 | 0xE1..=0xE3 => wide_whitespace_at(bytes, i),
        _ => 0,
    }
}

/// [`whitespace_at`] for a lead byte that some whitespace character outside ASCII starts with.
#[cold]
fn wide_whitespace_at(bytes: &[u8], i: usize) -> usize {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match (bytes[i], next(1), next(2)) {
        (0xC2, 0x85 | 0xA0, _) => 2,
        (0xE1, 0x9A, 0x80)
        | (0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)
        | (0xE2, 0x81, 0x9F)
        | (0xE3, 0x80, 0x80) => 3,
        _ => 0,
    }
}

fn ends_sentence(s: &str) -> bool {
    let t = s
        .trim_end()
        .trim_end_matches(['"', '’', '”', ')', FN_CLOSE]);
    t.ends_with(['.', '!', '?', ':', ';']) || t.chars().last().is_some_and(|c| c.is_ascii_digit())
}

fn is_bullet(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with(['·', '•', '▪', '–', '-', '*', '\u{f0b7}']) && !t.starts_with("--")
}

/// Joins lines into paragraphs: a blank line ends a paragraph unless the sentence visibly runs
/// on (OCR puts blank lines mid-sentence); line-end hyphenation is joined (`economi-sche`) but a
/// hyphen before `en`/`of` is kept (`zorg- en veiligheidsterrein`).
pub(crate) fn paragraphs(lines: &[String]) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut blank_pending = false;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            blank_pending = true;
            continue;
        }
        let starts_lower = t.chars().next().is_some_and(|c| c.is_lowercase());
        let new_para = cur.is_empty()
            || is_bullet(t)
            || (blank_pending && (ends_sentence(&cur) || !starts_lower));
        if new_para {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
            cur.push_str(t);
        } else {
            join_line(&mut cur, t);
        }
        blank_pending = false;
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    let mut out = String::with_capacity(paras.iter().map(|p| p.len() + 2).sum());
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        collapse_into(p, &mut out);
    }
    out
}

fn join_line(cur: &mut String, next: &str) {
    let next_word = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let hyphenated = cur.ends_with('-')
        && cur[..cur.len() - 1]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
        && next.chars().next().is_some_and(|c| c.is_lowercase());
    if hyphenated && !matches!(next_word, "en" | "of" | "tot" | "noch") {
        cur.pop();
        cur.push_str(next);
    } else {
        cur.push(' ');
        cur.push_str(next);
    }
}

/// The metadata a margin label names: its value may stand on one of the next lines.
fn value_label(label: &str) -> &'static str {
    if label.ends_with("atum") {
        "Datum"
    } else {
        "Kenmerk"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_those_of_split_whitespace() {
        // Every whitespace character of Unicode, and non-whitespace ones that share their first
        // bytes (U+0080, U+00A1, U+1681, U+200B, U+2030, U+2060, U+3001), between and around words.
        let spaces: Vec<char> = (0..=0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .chain([
                '\u{80}', '\u{a1}', '\u{1681}', '\u{200b}', '\u{2030}', '\u{2060}', '\u{3001}',
            ])
            .collect();
        for (i, &a) in spaces.iter().enumerate() {
            let b = spaces[(i * 7 + 3) % spaces.len()];
            for s in [
                format!("{a}één{b}twee{a}{a}drie{b}"),
                format!("x{a}"),
                format!("{b}y"),
                format!("{a}{b}"),
                format!("kamer{a}{b}brief"),
            ] {
                let want: Vec<&str> = s.split_whitespace().collect();
                assert_eq!(collapse(&s), want.join(" "), "{s:?}");
                assert_eq!(word_count(&s), want.len(), "{s:?}");
                assert_eq!(word_count_upto(&s, 2), want.len().min(2), "{s:?}");
            }
        }
        assert_eq!(collapse(""), "");
        assert_eq!(word_count(""), 0);
    }

    fn patterns() -> Patterns {
        crate::config::load().unwrap().1
    }

    #[test]
    fn furniture_is_removed_and_kept() {
        let c = clean(
            "De Kamer is geïnformeerd Kenmerk 4132817-1084052-DMO\nover de aanpak. Datum 11 november 2025\n\nPagina 3 van 4\n3\nVolgende alinea.",
            &patterns(),
        );
        assert_eq!(c.kenmerk.as_deref(), Some("4132817-1084052-DMO"));
        assert_eq!(c.datum.as_deref(), Some("11 november 2025"));
        assert_eq!(
            paragraphs(&c.lines),
            "De Kamer is geïnformeerd over de aanpak.\n\nVolgende alinea."
        );
        assert!(c.furniture.iter().any(|f| f.starts_with("Pagina 3")));
    }

    #[test]
    fn a_bare_number_among_figures_is_a_table_cell_not_a_page_number() {
        // Modelled on SGD's OCR'd tables (sgd-0000383485: a column of figures, one a line) and
        // its Kamerstuk heads (sgd-0000215674: `12 025` over `1`).
        let c = clean(
            "Boven-Cottica\n4\n\n3\n12 000\n— 3 300\nTotaal.\n\n7\n\nVolgende bladzijde.\nZitting 1972\n12 025\n1\nOntwerp van wet",
            &patterns(),
        );
        let kept: Vec<&str> = c.lines.iter().map(|l| l.trim()).collect();
        for cell in ["4", "3", "12 000", "— 3 300"] {
            assert!(kept.contains(&cell), "{cell} lost: {kept:?}");
        }
        // Alone between text, and under a one-line head of figures: page furniture.
        for page in ["7", "1"] {
            assert!(!kept.contains(&page), "{page} kept: {kept:?}");
            assert!(
                c.furniture.iter().any(|f| f == page),
                "{page}: {:?}",
                c.furniture
            );
        }
        assert!(kept.contains(&"12 025"));
    }

    #[test]
    fn hyphenation_and_runs_on() {
        let lines: Vec<String> = [
            "de economi-",
            "sche gevolgen voor het zorg-",
            "en veiligheidsterrein",
            "",
            "van de regio",
            "",
            "Nieuwe alinea.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            paragraphs(&lines),
            "de economische gevolgen voor het zorg- en veiligheidsterrein van de regio\n\nNieuwe alinea."
        );
    }

    #[test]
    fn word_footnotes_are_lifted_out() {
        let c = clean(
            "[bookmark: Text1]Zie de brief.[footnoteRef:5] [5:  Kamerstukken II, 2024-2025, 28345, nr. 285.\n] \nVerder.",
            &patterns(),
        );
        assert_eq!(
            c.footnotes.get("5").map(String::as_str),
            Some("Kamerstukken II, 2024-2025, 28345, nr. 285.")
        );
        let text = paragraphs(&c.lines);
        assert!(
            text.starts_with("Zie de brief.\u{E000}5\u{E001}"),
            "{text:?}"
        );
        assert!(!text.contains("bookmark"));
    }

    #[test]
    fn ocr_footnotes_attach_to_glued_numbers() {
        let c = clean(
            "willen voorkomen.1 Deze acties zijn\n\n1 Kamerstukken II, 2023-2024, 28 345, nr. 278.\n",
            &patterns(),
        );
        assert_eq!(c.footnotes.len(), 1);
        assert!(
            c.lines[0].contains("voorkomen.\u{E000}1\u{E001}"),
            "{:?}",
            c.lines
        );
    }

    #[test]
    fn page_headers_and_lone_margin_labels_of_a_text_export() {
        let page = |body: &str| {
            format!(
                "Directoraat-generaal\nBedrijfsleven & Innovatie\n\n{body}\n\nOns kenmerk\nDGBI / 26844711\n\nMeer tekst die hier doorloopt.\n"
            )
        };
        let text = [
            page("Eerste pagina."),
            page("Tweede pagina."),
            page("Derde pagina."),
        ]
        .join("\x0c");
        let c = clean(&text, &patterns());
        let body = c.lines.join("\n");
        assert!(!body.contains("Directoraat-generaal"), "{body}");
        assert!(!body.contains("Ons kenmerk"), "{body}");
        assert!(!body.contains("26844711"), "{body}");
        assert!(body.contains("Tweede pagina."), "{body}");
        assert!(c.furniture.iter().any(|f| f == "Bedrijfsleven & Innovatie"));
        // Without page breaks nothing is taken for a page header.
        let one = clean(&page("Enige pagina."), &patterns());
        assert!(one.lines.iter().any(|l| l == "Directoraat-generaal"));
    }
}
