//! Assembling a [`Document`] from cleaned text or parsed XML: metadata, sections, references,
//! ministries.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::{self, FN_CLOSE, FN_OPEN};
use crate::config::{MinistryTable, Patterns};
use crate::document::{DocType, Document, Footnote, Reference, Section, SectionKind, Submitter};
use crate::refs;
use crate::sections::{self, RawSection};
use crate::xml::KamerstukXml;

/// Untitled bodies are cut into parts of about this many words.
const PART_WORDS: usize = 350;

static DUTCH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:Den Haag|'s[- ]?Gravenhage|Voorgesteld|Vastgesteld|Ontvangen|Datum)\s*[,:]?\s*(\d{1,2})\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+((?:1[89]|20)\d{2})")
        .unwrap_or_else(|_| unreachable!())
});
static ANY_DUTCH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(\d{1,2})\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+((?:1[89]|20)\d{2})(?-u:\b)")
        .unwrap_or_else(|_| unreachable!())
});
/// The head of a published Kamerstuk: `28345   Aanpak huiselijk geweld` / `Nr. 285 Brief van …`.
static KST_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?P<dossier>\d{2}\s?\d{3}(?:[- ](?:[IVXL]{1,6}[AB]?|\d{1,3}))?)\s*(?:\n\s*)?(?P<title>[^\n]{3,200})?\n(?:[^\n]*\n){0,2}?\s*Nr\.\s*(?P<nr>\d{1,5}|[A-Z]{1,2})(?-u:\b)(?P<rest>[^\n]*)(?:\n\s*(?P<next>[^\n]{3,200}))?")
        .unwrap_or_else(|_| unreachable!())
});
/// [`KST_HEAD`] without the bounds on the title and next lines. Bounded repetitions of a
/// Unicode class make a large NFA, and the capture engine paid for it on every Kamerstuk head
/// (a sixth of all regex time in parsing); see [`kst_head`] for why the answers stay the same.
static KST_HEAD_UNBOUNDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?P<dossier>\d{2}\s?\d{3}(?:[- ](?:[IVXL]{1,6}[AB]?|\d{1,3}))?)\s*(?:\n\s*)?(?P<title>[^\n]{3,})?\n(?:[^\n]*\n){0,2}?\s*Nr\.\s*(?P<nr>\d{1,5}|[A-Z]{1,2})(?-u:\b)(?P<rest>[^\n]*)(?:\n\s*(?P<next>[^\n]{3,}))?")
        .unwrap_or_else(|_| unreachable!())
});
/// The longest title and next line [`KST_HEAD`] takes, in characters.
const KST_LINE_MAX: usize = 200;

/// [`KST_HEAD`]'s captures, found with [`KST_HEAD_UNBOUNDED`]: every match of the bounded
/// regex is one of the unbounded one, tried in the same order, so when the unbounded match's
/// title is within the bound it is the bounded regex's match too, and only its `next` line may
/// run longer (it is cut by the caller: [`kst_next_line`]). A longer title (rare) asks the
/// bounded regex itself.
fn kst_head(head: &str) -> Option<regex::Captures<'_>> {
    let c = KST_HEAD_UNBOUNDED.captures(head)?;
    if c.name("title")
        .is_some_and(|t| t.as_str().chars().count() > KST_LINE_MAX)
    {
        return KST_HEAD.captures(head);
    }
    Some(c)
}

/// The `next` line of a Kamerstuk head, at most [`KST_LINE_MAX`] characters, as [`KST_HEAD`]
/// takes it.
fn kst_next_line(c: &regex::Captures<'_>) -> Option<String> {
    c.name("next")
        .map(|n| n.as_str().chars().take(KST_LINE_MAX).collect())
}

static SGD_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Tweede Kamer,\s*vergaderjaar\s*(\d{4})\s*-\s*(\d)\s*(\d{3}),\s*(\d{2}\s?\d{3}(?:[- ](?:[IVXL]{1,6}[AB]?|\d{1,3}))?),\s*nr\.\s*(\d{1,5})")
        .unwrap_or_else(|_| unreachable!())
});
static VERGADERJAAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)vergaderjaar\s+((?:1[89]|20)\d{2})\s*[-–]\s*((?:1[89]|20)\d{2})")
        .unwrap_or_else(|_| unreachable!())
});
static SENDER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)(?-u:\b)(?:brief|nota)\s+van\s+de\s+(?:minister|staatssecretaris|ministers|staatssecretarissen)[^\n]*(?:\n[^\n]+){0,3}")
        .unwrap_or_else(|_| unreachable!())
});
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:De|de)\s+(?:minister|staatssecretaris|Minister|Staatssecretaris)(?-u:\b)[^\n]{0,120}$").unwrap_or_else(|_| unreachable!())
});
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*Aan\s+(?:de\s+)?(?P<who>[^\n]{3,120})").unwrap_or_else(|_| unreachable!())
});
static OWNER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)financi[eëé]+le en personele gevolgen\s+(\w+)")
        .unwrap_or_else(|_| unreachable!())
});

fn month(m: &str) -> u32 {
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    .iter()
    .position(|x| x.eq_ignore_ascii_case(m))
    .map(|i| i as u32 + 1)
    .unwrap_or(1)
}

fn iso(c: &regex::Captures) -> String {
    format!(
        "{}-{:02}-{:02}",
        &c[3],
        month(&c[2]),
        c[1].parse::<u32>().unwrap_or(1)
    )
}

/// `21 300 V` → `21300-V`, `19 637` → `19637`, `21 501-33` → `21501-33`.
pub(crate) fn dossier_key(d: &str) -> String {
    let d = d.trim();
    let (num, rest) = match d.find(|c: char| c == '-' || c.is_alphabetic()) {
        Some(i) => (&d[..i], d[i..].trim_start_matches('-').trim()),
        None => (d, ""),
    };
    let num: String = num.chars().filter(|c| c.is_ascii_digit()).collect();
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    if rest.is_empty() {
        num
    } else {
        format!("{num}-{rest}")
    }
}

fn chapter_of(dossier: &str) -> Option<&str> {
    dossier
        .split('-')
        .nth(1)
        .filter(|t| t.chars().all(|c| "IVXLAB".contains(c)))
}

/// Builds sections from raw sections, moving footnote markers out of the text into each
/// section's footnotes.
fn to_sections(
    raw: Vec<(SectionKind, Option<String>, Option<String>, String)>,
    footnotes: &std::collections::BTreeMap<String, String>,
) -> Vec<Section> {
    let mut used = std::collections::BTreeSet::new();
    let mut out: Vec<Section> = raw
        .into_iter()
        .map(|(kind, heading, number, text)| {
            let mut fns = Vec::new();
            let mut marks: Vec<usize> = Vec::new();
            // Most sections cite no footnote: their text is kept as it is, not copied.
            let clean_text = if text.contains(FN_OPEN) {
                let mut clean_text = String::with_capacity(text.len());
                let mut rest = text.as_str();
                while let Some(at) = rest.find(FN_OPEN) {
                    clean_text.push_str(&rest[..at]);
                    let after = &rest[at + FN_OPEN.len_utf8()..];
                    // The number runs to the closing marker (or the end, if it is missing).
                    let (n, tail) = match after.find(FN_CLOSE) {
                        Some(end) => (&after[..end], &after[end + FN_CLOSE.len_utf8()..]),
                        None => (after, ""),
                    };
                    if let Some(t) = footnotes.get(n) {
                        used.insert(n.to_string());
                        marks.push(clean_text.len());
                        fns.push(Footnote {
                            number: n.to_string(),
                            text: t.clone(),
                            cited_in: String::new(),
                        });
                    }
                    rest = tail;
                }
                clean_text.push_str(rest);
                clean_text
            } else {
                text
            };
            // The citing sentence is read from the final text, markers removed.
            for (f, at) in fns.iter_mut().zip(marks) {
                let at = at.saturating_sub(1).min(clean_text.len());
                f.cited_in = refs::sentence_around(&clean_text, at, at);
            }
            Section {
                kind,
                heading,
                number,
                text: clean_text,
                footnotes: fns,
            }
        })
        .collect();
    let orphans: Vec<String> = footnotes
        .iter()
        .filter(|(n, _)| !used.contains(*n))
        .map(|(n, t)| format!("{n} {t}"))
        .collect();
    if !orphans.is_empty() {
        out.push(Section {
            kind: SectionKind::Footnotes,
            heading: Some("Voetnoten".into()),
            number: None,
            text: orphans.join("\n\n"),
            footnotes: Vec::new(),
        });
    }
    out
}

/// References of all sections, footnotes attributed to the section that cites them.
fn references(sections: &[Section], p: &Patterns) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        let text = refs::fold_ocr(&s.text, p);
        refs::extract(&text, i, &mut out);
        for f in &s.footnotes {
            let t = refs::fold_ocr(&f.text, p);
            let before = out.len();
            refs::extract(&t, i, &mut out);
            // A citation in a footnote is about the sentence that cites the footnote.
            for r in &mut out[before..] {
                if !f.cited_in.is_empty() {
                    r.sentence = format!("{} [{}: {}]", f.cited_in, f.number, r.sentence);
                }
            }
        }
    }
    out
}

/// Text without footnote markers.
fn strip_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut skipping = false;
    for c in s.chars() {
        match c {
            FN_OPEN => skipping = true,
            FN_CLOSE => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}

/// An all-capitals line in sentence case; other text unchanged.
fn sentence_case(s: &str) -> String {
    if s.chars()
        .filter(|c| c.is_alphabetic())
        .any(char::is_lowercase)
    {
        return s.to_string();
    }
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// At most `n` characters, cut at a word boundary.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => cut,
    }
}

fn title_case_names(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            if matches!(
                lower.as_str(),
                "van"
                    | "der"
                    | "de"
                    | "den"
                    | "het"
                    | "lid"
                    | "leden"
                    | "en"
                    | "motie"
                    | "gewijzigde"
                    | "c.s."
                    | "c.s"
            ) {
                lower
            } else {
                // Each part of a double name is capitalised (Nijhof-Leeuw).
                lower
                    .split('-')
                    .map(|p| {
                        let mut c = p.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect::<String>())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("-")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A document from plain text (also PDF/.docx text after extraction).
pub(crate) fn from_text(
    id: String,
    source: &str,
    text: &str,
    m: &MinistryTable,
    p: &Patterns,
) -> Document {
    let cleaned = clean::clean(text, p);
    let joined = cleaned.lines.join("\n");
    let doc_type = sections::detect_type(&joined);
    let mut warnings = Vec::new();

    let raw: Vec<RawSection> = match doc_type {
        DocType::Beslisnota => sections::beslisnota(&cleaned.lines, p),
        _ => sections::headings(&cleaned.lines),
    };
    let mut finished = if doc_type == DocType::Motie {
        let text = clean::paragraphs(&cleaned.lines);
        let paras: Vec<String> = text.split("\n\n").map(String::from).collect();
        sections::motie_paragraphs(&paras)
            .into_iter()
            .map(|(k, t)| (k, None, None, t))
            .collect()
    } else {
        sections::finish(raw, PART_WORDS)
    };
    sections::name_letter_headings(&mut finished, p);
    if doc_type == DocType::Beslisnota && !finished.iter().any(|s| s.0 == SectionKind::Kernpunten) {
        warnings.push("beslisnota without a Kernpunten heading".to_string());
    }
    let sections = to_sections(finished, &cleaned.footnotes);
    let references = references(&sections, p);

    // Own Kamerstuk key and title from a published head or an SGD footer.
    let mut kamerstuk = None;
    let mut title = None;
    let mut dossier_title = None;
    // The regexes need a word that most texts lack; looking for it first spares running their
    // capture engines over every text (a tenth of parsing time on the SGD corpus).
    let mut vergaderjaar = contains_ascii_ci(&joined, "vergaderjaar")
        .then(|| VERGADERJAAR.captures(&joined))
        .flatten()
        .map(|c| format!("{}-{}", &c[1], &c[2]));
    let head: String = joined.chars().take(1500).collect();
    if let Some(c) = head.contains("Nr.").then(|| kst_head(&head)).flatten() {
        let d = dossier_key(&c["dossier"]);
        kamerstuk = Some(format!("{d}-{}", &c["nr"]));
        dossier_title = c
            .name("title")
            .map(|t| clean::collapse(t.as_str()))
            .filter(|t| !t.starts_with("Nr."));
        // The stuk's own title stands after `Nr. N` on the same line or the next one
        // (`BRIEF VAN DE MINISTER …`, `VERSLAG VAN EEN MONDELING OVERLEG …`).
        let rest = clean::collapse(&c["rest"]);
        let stuk = if rest.is_empty() {
            kst_next_line(&c)
                .map(|n| clean::collapse(&n))
                .unwrap_or_default()
        } else {
            rest
        };
        if !stuk.is_empty() {
            title = Some(sentence_case(&stuk));
        }
    } else if let Some(c) = SGD_FOOTER.captures(&joined) {
        kamerstuk = Some(format!("{}-{}", dossier_key(&c[4]), &c[5]));
        vergaderjaar.get_or_insert_with(|| format!("{}-{}{}", &c[1], &c[2], &c[3]));
    }
    if title.is_none() {
        title = match doc_type {
            DocType::Beslisnota => cleaned
                .lines
                .iter()
                .position(|l| l.contains("TER BESLISSING") || l.trim() == "nota")
                .and_then(|i| {
                    let t: Vec<String> = cleaned.lines[i..(i + 4).min(cleaned.lines.len())]
                        .iter()
                        .map(|l| l.replace("TER BESLISSING", "").trim().to_string())
                        .filter(|l| {
                            !l.is_empty() && l != "nota" && !l.starts_with(char::is_numeric)
                        })
                        .take(2)
                        .collect();
                    (!t.is_empty()).then(|| clean::collapse(&t.join(" ")))
                }),
            _ => None,
        };
    }
    if title.is_none() {
        // A letter's subject: `Betreft` and its value, wrapped over lines up to a blank line.
        title = cleaned
            .lines
            .iter()
            .take(80)
            .position(|l| {
                let t = l.trim_start();
                t.starts_with("Betreft") && t["Betreft".len()..].starts_with([' ', '\t', ':'])
            })
            .map(|i| {
                let mut parts = vec![
                    cleaned.lines[i].trim_start()["Betreft".len()..]
                        .trim_start_matches([' ', '\t', ':'])
                        .to_string(),
                ];
                parts.extend(
                    cleaned.lines[i + 1..]
                        .iter()
                        .take(3)
                        .take_while(|l| {
                            !l.trim().is_empty() && !l.trim_start().starts_with("Geachte")
                        })
                        .cloned(),
                );
                shorten(&clean::collapse(&strip_markers(&parts.join(" "))), 200)
            })
            .filter(|t| !t.is_empty());
    }
    if title.is_none() {
        // The first substantial line that is not an address or a salutation.
        title = cleaned
            .lines
            .iter()
            .map(|l| l.trim())
            .find(|l| l.split_whitespace().count() >= 3 && !l.starts_with("Geachte"))
            .map(|l| {
                // The first sentence, without footnote markers.
                let plain = strip_markers(l);
                let first = plain
                    .split_inclusive(". ")
                    .next()
                    .unwrap_or(&plain)
                    .to_string();
                shorten(&clean::collapse(&first), 160)
            });
    }
    if title.as_deref().is_some_and(|t| t.starts_with("Betreft")) {
        title = title.map(|t| t.trim_start_matches("Betreft").trim().to_string());
    }

    let date = DUTCH_DATE
        .captures(text)
        .map(|c| iso(&c))
        .or_else(|| {
            cleaned
                .datum
                .as_deref()
                .and_then(|d| ANY_DUTCH_DATE.captures(d))
                .map(|c| iso(&c))
        })
        .or_else(|| {
            // A beslisnota's head cites other letters' dates; only its margin date counts.
            (doc_type != DocType::Beslisnota)
                .then(|| ANY_DUTCH_DATE.captures(&head).map(|c| iso(&c)))
                .flatten()
        });

    // Senders: the letter's own "Brief van de …", its signature, a beslisnota's addressee.
    let mut ministries: Vec<String> = Vec::new();
    let add = |v: Vec<String>, into: &mut Vec<String>| {
        for c in v {
            if !into.contains(&c) {
                into.push(c);
            }
        }
    };
    if let Some(s) = SENDER_LINE.find(&head) {
        // The sender phrase runs (over blank OCR lines) up to the addressing.
        let rest = &head[s.start()..];
        let end = rest.find("Aan de").unwrap_or(rest.len().min(400));
        let end = (0..=end)
            .rev()
            .find(|i| rest.is_char_boundary(*i))
            .unwrap_or(0);
        add(m.find_all(&rest[..end]), &mut ministries);
        if title
            .as_deref()
            .is_some_and(|t| t.len() < 60 && t.to_lowercase().starts_with("brief van"))
        {
            title = Some(sentence_case(&clean::collapse(&rest[..end])));
        }
    }
    if doc_type == DocType::Beslisnota {
        if let Some(c) = OWNER_HEADING.captures(&joined)
            && let Some(code) = m.resolve(&c[1])
        {
            add(vec![code.to_string()], &mut ministries);
        }
        if let Some(c) = ADDRESSEE.captures(&head) {
            add(m.find_all(&c["who"]), &mut ministries);
        }
    }
    if matches!(doc_type, DocType::Kamerbrief | DocType::Kamerstuk) && ministries.is_empty() {
        for col in signature_columns(&cleaned.lines) {
            add(m.find_all(&col), &mut ministries);
        }
    }
    if let Some(k) = &kamerstuk
        && let Some(ch) = chapter_of(k)
        && let Some(code) = m.by_chapter(ch)
        && ministries.is_empty()
    {
        ministries.push(code.to_string());
    }
    let mentioned: Vec<String> = m
        .find_all(&joined)
        .into_iter()
        .filter(|c| !ministries.contains(c))
        .collect();

    if !cleaned.furniture.is_empty() && cleaned.kenmerk.is_none() && doc_type == DocType::Beslisnota
    {
        warnings.push("no kenmerk found in the margin".to_string());
    }
    let submitters = if doc_type == DocType::Motie {
        motie_submitters_from_text(&joined)
    } else {
        Vec::new()
    };

    Document {
        id: kamerstuk.clone().unwrap_or(id),
        source: source.to_string(),
        doc_type,
        title,
        date,
        kenmerk: cleaned.kenmerk,
        vergaderjaar,
        kamerstuk,
        dossier_title,
        submitters,
        ministries,
        ministries_mentioned: mentioned,
        topics: Vec::new(),
        sections,
        references,
        warnings,
        pages: None,
    }
}

/// The gap between two signature columns (compiled once: this runs for every letter).
static SIGNATURE_COLUMN_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\t+|\s{3,}").unwrap_or_else(|_| unreachable!()));

/// The signature block after `Hoogachtend`, read column by column: Word exports put several
/// signatories side by side, separated by tabs, each wrapped over several lines.
fn signature_columns(lines: &[String]) -> Vec<String> {
    let start = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with("Hoogachtend"))
        .map(|i| i + 1);
    let block: Vec<&String> = match start {
        Some(s) => lines[s..].iter().take(12).collect(),
        None => lines.iter().rev().take(8).rev().collect(),
    };
    let splitter = &*SIGNATURE_COLUMN_GAP;
    let mut cols: Vec<String> = Vec::new();
    for line in block {
        if !SIGNATURE.is_match(line)
            && !line.trim_start().starts_with(|c: char| c.is_lowercase())
            && cols.is_empty()
        {
            continue;
        }
        for (i, part) in splitter
            .split(line.trim())
            .filter(|p| !p.trim().is_empty())
            .enumerate()
        {
            if cols.len() <= i {
                cols.push(String::new());
            }
            cols[i].push(' ');
            cols[i].push_str(part.trim());
        }
    }
    cols
}

static MOTIE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        // `{2,}` and a cut at 200 characters below rather than `{2,200}`: the bounded
        // repetition made the lazy DFA rebuild its states over and over (3 % of indexing).
        r"(?i)(?-u:\b)(?:gewijzigde\s+)?motie\s+van\s+(?:het\s+lid|de\s+leden)\s+(?P<names>[^\n]{2,})",
    )
    .unwrap_or_else(|_| unreachable!())
});

fn motie_submitters_from_text(text: &str) -> Vec<Submitter> {
    let Some(c) = MOTIE_TITLE.captures(text) else {
        return Vec::new();
    };
    let names = &c["names"];
    let names = names
        .char_indices()
        .nth(200)
        .map_or(names, |(i, _)| &names[..i]);
    let names = names.split(" over ").next().unwrap_or("");
    split_names(names)
}

/// Between two submitters' names (compiled once: this runs for every motion).
static NAME_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),|\s+en\s+").unwrap_or_else(|_| unreachable!()));

/// `KOEKKOEK EN CEDER`, `Temmink (SP) en Mutluer (GL-PvdA)`, `Van der Werf c.s.`.
fn split_names(names: &str) -> Vec<Submitter> {
    let names = names.trim().trim_end_matches(['.', ',']);
    let names = names
        .strip_suffix("c.s.")
        .or_else(|| names.strip_suffix("C.S."))
        .unwrap_or(names);
    let mut out = Vec::new();
    for part in NAME_SEPARATOR.split(names) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, party) = match part.split_once('(') {
            Some((n, p)) => (n.trim(), Some(p.trim_end_matches(')').trim().to_string())),
            None => (part, None),
        };
        let name = if name
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
        {
            title_case_names(name)
        } else {
            name.to_string()
        };
        let mut chars = name.chars();
        let name: String = chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        if !name.is_empty() && name.chars().any(char::is_alphabetic) {
            out.push(Submitter { name, party });
        }
    }
    out
}

/// A document from officielebekendmakingen XML.
pub(crate) fn from_xml(
    id: String,
    source: &str,
    x: KamerstukXml,
    m: &MinistryTable,
    p: &Patterns,
) -> Document {
    let dossier = x
        .meta("OVERHEIDop.dossiernummer")
        .map(dossier_key)
        .or_else(|| x.dossiers.first().map(|d| dossier_key(d)));
    let nr = x
        .meta("OVERHEIDop.ondernummer")
        .map(str::to_string)
        .or(x.ondernummer.clone());
    let kamerstuk = match (&dossier, &nr) {
        (Some(d), Some(n)) => Some(format!("{d}-{}", n.trim())),
        _ => None,
    };
    let stuk_title = x.stuk_title.clone().unwrap_or_default();
    let is_motie = stuk_title.to_lowercase().contains("motie")
        || x.metas("DC.type")
            .iter()
            .any(|t| t.eq_ignore_ascii_case("motie"));
    let doc_type = if is_motie {
        DocType::Motie
    } else {
        DocType::Kamerstuk
    };
    let title = x
        .meta("OVERHEIDop.documenttitel")
        .map(str::to_string)
        .or_else(|| {
            (!stuk_title.is_empty())
                .then(|| title_case_names(&stuk_title))
                .map(|t| {
                    let mut c = t.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
        });
    let date = x
        .isodate
        .clone()
        .or_else(|| x.meta("DCTERMS.issued").map(str::to_string))
        .or_else(|| x.meta("DCTERMS.available").map(str::to_string));
    let vergaderjaar = x
        .meta("OVERHEIDop.vergaderjaar")
        .map(str::to_string)
        .or(x.vergaderjaar.clone());

    // Submitters: signatures in the body keep their order and spelling; the metadata (initials +
    // surname) is the fallback; the title gives parties when it names them.
    let mut submitters: Vec<Submitter> = x
        .signatures
        .iter()
        .map(|s| Submitter {
            name: s.clone(),
            party: None,
        })
        .collect();
    if submitters.is_empty() {
        submitters = x
            .metas("OVERHEIDop.indiener")
            .iter()
            .map(|s| Submitter {
                name: s
                    .rsplit_once(". ")
                    .map(|(_, n)| n)
                    .unwrap_or(s)
                    .trim()
                    .to_string(),
                party: None,
            })
            .collect();
    }
    if submitters.is_empty() {
        submitters = split_names(
            stuk_title
                .split_once(" VAN HET LID ")
                .or_else(|| stuk_title.split_once(" VAN DE LEDEN "))
                .map(|x| x.1)
                .unwrap_or(""),
        );
    }
    let from_title = title
        .as_deref()
        .map(motie_submitters_from_text)
        .unwrap_or_default();
    for s in &mut submitters {
        if let Some(t) = from_title
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(&s.name))
        {
            s.party = t.party.clone();
        }
    }

    let raw: Vec<(SectionKind, Option<String>, Option<String>, String)> = if is_motie {
        sections::motie_paragraphs(&x.paragraphs)
            .into_iter()
            .map(|(k, t)| (k, None, None, t))
            .collect()
    } else {
        sections::finish(
            vec![RawSection {
                kind: SectionKind::Body,
                heading: None,
                number: None,
                lines: x
                    .paragraphs
                    .iter()
                    .flat_map(|p| [p.clone(), String::new()])
                    .collect(),
            }],
            PART_WORDS,
        )
    };
    let sections = to_sections(raw, &Default::default());
    let references: Vec<Reference> = references(&sections, p)
        .into_iter()
        .filter(|r| r.key.is_none() || r.key != kamerstuk)
        .collect();
    let topics: Vec<String> = x
        .metas("OVERHEID.category")
        .iter()
        .map(|c| {
            format!(
                "/{}",
                c.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            )
        })
        .filter(|t| t.len() > 1)
        .fold(Vec::new(), |mut v, t| {
            if !v.contains(&t) {
                v.push(t);
            }
            v
        });
    let ministries: Vec<String> = dossier
        .as_deref()
        .and_then(chapter_of)
        .and_then(|c| m.by_chapter(c))
        .map(|c| vec![c.to_string()])
        .unwrap_or_default();
    let body: String = x.paragraphs.join("\n");
    let mentioned = m
        .find_all(&body)
        .into_iter()
        .filter(|c| !ministries.contains(c))
        .collect();
    let mut warnings = Vec::new();
    if kamerstuk.is_none() {
        warnings.push("no dossier or ondernummer found".into());
    }
    Document {
        id: kamerstuk.clone().unwrap_or(id),
        source: source.to_string(),
        doc_type,
        title,
        date,
        kenmerk: None,
        vergaderjaar,
        kamerstuk,
        dossier_title: x
            .meta("OVERHEIDop.dossiertitel")
            .map(str::to_string)
            .or(x.dossier_title.clone()),
        submitters,
        ministries,
        ministries_mentioned: mentioned,
        topics,
        sections,
        references,
        warnings,
        pages: None,
    }
}

/// Whether `needle` (ASCII) occurs in `hay` regardless of ASCII case: what `(?i)` means for a
/// word without k or s, whose case folding is ASCII-only.
fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every group as the bounded regex gives it (`next` cut to the bound, as the caller does).
    fn kst_groups(c: &regex::Captures<'_>) -> Vec<Option<String>> {
        let mut out: Vec<Option<String>> = ["dossier", "title", "nr", "rest"]
            .iter()
            .map(|g| c.name(g).map(|m| m.as_str().to_string()))
            .collect();
        out.push(kst_next_line(c));
        out
    }

    #[test]
    fn kst_head_answers_as_the_bounded_regex() {
        let long = "lang ".repeat(50);
        let mut heads: Vec<String> = vec![
            "28345   Aanpak huiselijk geweld\nNr. 285 BRIEF VAN DE STAATSSECRETARISSEN\n".into(),
            format!("28345 {long}\nNr. 285\n{long}\n"),
            format!("28345\n{long}\n\nNr. 12\nBrief van de minister {long}"),
            format!("28345\nAb\n{long}\nx\nNr. 3 rest\n  \n  {long}"),
            format!("36 725 XVI\n{}\nNr. AB\n", "é".repeat(200)),
            format!("36 725 XVI\n{}\nNr. AB\n", "é".repeat(201)),
            format!("29279 {long}\n21 300 V Kort\nNr. 7 en verder\nvolgende regel {long}"),
            "geen kop\nNr. 5\n".into(),
        ];
        if let Some(shared) = kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR")) {
            for path in kamerzoek_testutil::sorted_paths(&shared.join("corpus/sgd"))
                .into_iter()
                .take(400)
            {
                if let Ok(text) = std::fs::read_to_string(path) {
                    heads.push(text.chars().take(1500).collect());
                }
            }
        }
        for head in &heads {
            let want = KST_HEAD.captures(head).map(|c| kst_groups(&c));
            let got = kst_head(head).map(|c| kst_groups(&c));
            assert_eq!(got, want, "{}", &head[..head.len().min(120)]);
        }
    }

    #[test]
    fn dossier_keys() {
        assert_eq!(dossier_key("19 637"), "19637");
        assert_eq!(dossier_key("21 300 V"), "21300-V");
        assert_eq!(dossier_key("21 501-33"), "21501-33");
        assert_eq!(dossier_key("36600 XVI"), "36600-XVI");
    }

    #[test]
    fn names() {
        let s = split_names("KOEKKOEK EN CEDER");
        assert_eq!(
            s.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(),
            vec!["Koekkoek", "Ceder"]
        );
        let s = split_names("Temmink (SP) en Mutluer (GL-PvdA)");
        assert_eq!(s[1].party.as_deref(), Some("GL-PvdA"));
        let s = split_names("VAN DER WERF");
        assert_eq!(s[0].name, "Van der werf".replace("werf", "Werf"));
    }
}
