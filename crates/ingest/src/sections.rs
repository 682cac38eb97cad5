//! Splitting cleaned lines into sections: beslisnota headings (OCR-broken ones included),
//! Kamerbrief headings, motion parts, and long bodies cut at paragraph boundaries.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::paragraphs;
use crate::config::Patterns;
use crate::document::{DocType, SectionKind};

/// A section before its text is joined into paragraphs.
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    pub kind: SectionKind,
    pub heading: Option<String>,
    pub number: Option<String>,
    pub lines: Vec<String>,
}

impl RawSection {
    fn new(kind: SectionKind, heading: Option<String>, number: Option<String>) -> RawSection {
        RawSection {
            kind,
            heading,
            number,
            lines: Vec::new(),
        }
    }
}

/// `4, Toelichting`, `ji. _ Fraudetoets`, `f._ Juridische aspecten`, ` 1. Aanleiding`.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s\-_.]*(?:(?P<num>\d{1,2})\s*[.,)]|(?P<let>[a-z]{1,2})\s*[.,)])[\s_.\-]*(?P<head>\S.*?)\s*$")
        .unwrap_or_else(|_| unreachable!())
});
static KAMERBRIEF_NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<num>\d{1,2})[.)]?\s+(?P<head>\p{Lu}.*)$").unwrap_or_else(|_| unreachable!())
});
static SENTENCE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}{2}\. \p{Lu}").unwrap_or_else(|_| unreachable!()));
/// `a) Titel voorstel`: a lettered item under a numbered heading (BNC-fiches).
static LETTER_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][.)]\s+\p{Lu}").unwrap_or_else(|_| unreachable!()));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[·•▪\-–*]").unwrap_or_else(|_| unreachable!()));

/// Whether `line` matches [`KAMERBRIEF_NUMBERED`]: asked of every line of a letter, and most
/// lines do not start with the digit it needs (`\d`, any Unicode digit: `is_numeric` admits
/// those and more), which is cheaper to see than to run the regex.
fn is_numbered(line: &str) -> bool {
    line.starts_with(char::is_numeric) && KAMERBRIEF_NUMBERED.is_match(line)
}

fn clean_heading(h: &str) -> String {
    crate::clean::collapse(h.trim_matches(|c: char| c == '_' || c == '-' || c.is_whitespace()))
}

/// Splits a beslisnota into its fixed sections and the Toelichting's lettered sub-items.
pub(crate) fn beslisnota(lines: &[String], p: &Patterns) -> Vec<RawSection> {
    let mut out = vec![RawSection::new(SectionKind::Preamble, None, None)];
    let mut in_items = false;
    for line in lines {
        let trimmed = line.trim();
        let mut matched = None;
        if trimmed.len() <= 90 {
            let (num, letter, head) = match NUMBERED.captures(trimmed) {
                Some(c) => (
                    c.name("num").map(|m| m.as_str().to_string()),
                    c.name("let").map(|m| {
                        m.as_str()
                            .chars()
                            .last()
                            .map(String::from)
                            .unwrap_or_default()
                    }),
                    clean_heading(&c["head"]),
                ),
                None => (None, None, clean_heading(trimmed)),
            };
            for (name, re) in &p.beslisnota {
                if !re.is_match(&head) {
                    continue;
                }
                let kind = match name.as_str() {
                    "aanleiding" => SectionKind::Aanleiding,
                    "geadviseerd_besluit" => SectionKind::GeadviseerdBesluit,
                    "kernpunten" => SectionKind::Kernpunten,
                    "toelichting" => SectionKind::Toelichting,
                    "niet_openbaar" => SectionKind::NietOpenbaar,
                    _ if letter.is_some() && in_items => SectionKind::ToelichtingItem,
                    _ => continue,
                };
                // A bare word heading must stand alone; a numbered one may not be a sub-item.
                if kind != SectionKind::ToelichtingItem && letter.is_some() {
                    continue;
                }
                matched = Some((kind, head.clone(), num.clone().or(letter.clone())));
                break;
            }
            // Lettered items with a heading the list does not know (`c. Arbeidsmarkteffecten …`).
            if matched.is_none()
                && in_items
                && let Some(l) = &letter
                && head.split_whitespace().count() <= 9
                && head.chars().next().is_some_and(char::is_uppercase)
                && !head.ends_with(['.', ',', ';'])
            {
                matched = Some((SectionKind::ToelichtingItem, head.clone(), Some(l.clone())));
            }
        }
        match matched {
            Some((kind, head, number)) => {
                if matches!(kind, SectionKind::Toelichting | SectionKind::NietOpenbaar) {
                    in_items = true;
                }
                if kind == SectionKind::NietOpenbaar {
                    // Its own lettered items stay inside it.
                    in_items = false;
                }
                out.push(RawSection::new(kind, Some(head), number));
            }
            None => {
                if let Some(last) = out.last_mut() {
                    last.lines.push(line.clone());
                }
            }
        }
    }
    out
}

fn ends_with_punct(s: &str) -> bool {
    // A footnote cue after the full stop (`aangeboden.[footnoteRef:1]`) still ends a sentence.
    let mut t = s.trim_end();
    while t.ends_with(crate::clean::FN_CLOSE) {
        t = t[..t.rfind(crate::clean::FN_OPEN).unwrap_or(0)].trim_end();
    }
    t.ends_with(['.', ',', ';', ':', '!', '?'])
}

fn ends_with_function_word(s: &str) -> bool {
    let last = s.split_whitespace().last().unwrap_or("").to_lowercase();
    matches!(
        last.as_str(),
        "de" | "het"
            | "een"
            | "van"
            | "en"
            | "of"
            | "is"
            | "in"
            | "op"
            | "te"
            | "met"
            | "voor"
            | "om"
            | "dat"
            | "die"
            | "aan"
            | "bij"
            | "door"
            | "naar"
            | "tot"
            | "zijn"
            | "wordt"
            | "worden"
            | "hebben"
            | "heeft"
            | "ook"
            | "als"
            | "ons"
            | "onze"
            | "hun"
            | "deze"
            | "dit"
            | "wij"
            | "we"
            | "er"
    )
}

/// Headings of a letter or other Kamerstuk: short standalone lines that do not end a sentence.
pub(crate) fn headings(lines: &[String]) -> Vec<RawSection> {
    let mut out = vec![RawSection::new(SectionKind::Preamble, None, None)];
    let mut seen_body = false;
    // Whether the last non-blank line was taken as a heading.
    let mut after_heading = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let prev = if i == 0 { "" } else { lines[i - 1].trim() };
        let next = lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or("");
        // Counted up to 15: what follows asks only for 1 to 14, at least 6 or at least 8.
        let words = crate::clean::word_count_upto(t, 15);
        // A numbered heading set off by a blank line need not be shorter than what follows.
        let numbered = is_numbered(t);
        let numbered_alone = numbered && lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
        // `2. Essentie voorstel`: numbered with a full stop, a heading even before any body text.
        let numbered_dot = numbered
            && t.trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(". ");
        let is_heading = !t.is_empty()
            && (seen_body || numbered_dot)
            && (1..=14).contains(&words)
            && t.chars().count() <= 110
            && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            && !ends_with_punct(t)
            && !BULLET.is_match(t)
            && !t.contains(crate::clean::FN_OPEN)
            // A citation on its own line (a footnote in a text export) is no heading.
            && !t.contains(", nr. ")
            && (prev.is_empty() || ends_with_punct(prev))
            && (numbered_alone
                || (numbered_dot && !is_numbered(next))
                || next.chars().count() > t.chars().count())
            // Two sentences on one line are a paragraph's first line, not a heading.
            && !SENTENCE_BREAK.is_match(t)
            // Right under a heading, a long line is the first line of its text.
            && !(after_heading && words >= 8)
            // A hard-wrapped paragraph's first line runs on into a lowercase next line.
            && (!next.chars().next().is_some_and(char::is_lowercase) || LETTER_ITEM.is_match(next))
            && !ends_with_function_word(t)
            && !t.starts_with("Hoogachtend")
            && !t.starts_with("De minister")
            && !t.starts_with("De staatssecretaris");
        if !t.is_empty() {
            after_heading = is_heading;
        }
        if is_heading {
            let (number, head) = match KAMERBRIEF_NUMBERED.captures(t) {
                Some(c) => (Some(c["num"].to_string()), c["head"].to_string()),
                None => (None, t.to_string()),
            };
            out.push(RawSection::new(
                SectionKind::Heading,
                Some(crate::clean::collapse(&head)),
                number,
            ));
            continue;
        }
        if ends_with_punct(t) && words >= 6 {
            seen_body = true;
        }
        if let Some(last) = out.last_mut() {
            last.lines.push(line.clone());
        }
    }
    out
}

/// The kinds of a beslisnota's own headings that a letter's heading of the same wording takes
/// too: a Kamerbrief with a `Kernpunten` or `Aanleiding` heading is found by
/// `--section kernpunten` like a beslisnota. (The Toelichting's sub-items are left out: their
/// patterns, `Communicatie…`, `Risico…`, are ordinary letter headings.)
const LETTER_HEADING_KINDS: [(&str, SectionKind); 4] = [
    ("aanleiding", SectionKind::Aanleiding),
    ("geadviseerd_besluit", SectionKind::GeadviseerdBesluit),
    ("kernpunten", SectionKind::Kernpunten),
    ("toelichting", SectionKind::Toelichting),
];

/// Gives each [`SectionKind::Heading`] section whose heading is one of a beslisnota's own
/// (`Kernpunten`, `Aanleiding`, `Geadviseerd besluit`, `Toelichting`) that kind. Done after
/// [`finish`], so a long one is cut into parts like any other heading's text.
pub(crate) fn name_letter_headings(
    sections: &mut [(SectionKind, Option<String>, Option<String>, String)],
    p: &Patterns,
) {
    for s in sections.iter_mut().filter(|s| s.0 == SectionKind::Heading) {
        let Some(head) = s.1.as_deref() else {
            continue;
        };
        let named = p.beslisnota.iter().find_map(|(name, re)| {
            LETTER_HEADING_KINDS
                .iter()
                .find(|(n, _)| n == name)
                .filter(|_| re.is_match(head))
                .map(|(_, kind)| *kind)
        });
        if let Some(kind) = named {
            s.0 = kind;
        }
    }
}

/// Whether a motion's paragraph is its dictum, "en gaat over tot de orde van de dag", which
/// closes the motion's text (the signatures follow).
pub(crate) fn is_dictum(para: &str) -> bool {
    para.trim_start()
        .get(..35)
        .is_some_and(|p| p.eq_ignore_ascii_case("en gaat over tot de orde van de dag"))
}

/// A motion in text form: preamble, overwegingen (constaterende/overwegende …), verzoek.
pub(crate) fn motie_paragraphs(paras: &[String]) -> Vec<(SectionKind, String)> {
    let mut out: Vec<(SectionKind, String)> = Vec::new();
    let mut kind = SectionKind::Preamble;
    for para in paras {
        let lower = para.trim_start().to_lowercase();
        if lower.starts_with("constaterende")
            || lower.starts_with("overwegende")
            || lower.starts_with("van mening")
            || lower.starts_with("van oordeel")
            || lower.starts_with("spreekt uit")
            || lower.starts_with("gelet op")
            || lower.starts_with("erkennende")
            || lower.starts_with("voorts constaterende")
            || lower.starts_with("tevens overwegende")
        {
            kind = SectionKind::Overwegingen;
        } else if lower.starts_with("verzoekt")
            || lower.starts_with("roept de regering op")
            || lower.starts_with("roept het kabinet op")
            || lower.starts_with("draagt de regering op")
            || lower.starts_with("draagt het kabinet op")
        {
            kind = SectionKind::Verzoek;
        } else if is_dictum(&lower) {
            kind = SectionKind::Body;
            continue;
        }
        match out.last_mut() {
            Some((k, text)) if *k == kind => {
                text.push_str("\n\n");
                text.push_str(para);
            }
            _ => out.push((kind, para.clone())),
        }
    }
    out
}

/// Turns raw sections into (kind, heading, number, text), dropping empty preambles and cutting
/// long untitled bodies into parts of about `max_words` at paragraph boundaries, so that a hit
/// points at the passage that matched rather than a whole 30-page verslag.
pub(crate) fn finish(
    raw: Vec<RawSection>,
    max_words: usize,
) -> Vec<(SectionKind, Option<String>, Option<String>, String)> {
    let mut out = Vec::new();
    for s in raw {
        let text = paragraphs(&s.lines);
        if text.is_empty() && s.heading.is_none() {
            continue;
        }
        let limit = max_words * 3 / 2;
        let long = crate::clean::word_count_upto(&text, limit + 1) > limit;
        if long
            && matches!(
                s.kind,
                SectionKind::Body | SectionKind::Preamble | SectionKind::Heading
            )
        {
            let mut part = String::new();
            let mut words = 0;
            for para in text.split("\n\n") {
                let n = crate::clean::word_count(para);
                if words > 0 && words + n > max_words {
                    out.push((
                        s.kind,
                        s.heading.clone(),
                        s.number.clone(),
                        std::mem::take(&mut part),
                    ));
                    words = 0;
                }
                if !part.is_empty() {
                    part.push_str("\n\n");
                }
                part.push_str(para);
                words += n;
            }
            if !part.is_empty() {
                out.push((s.kind, s.heading.clone(), s.number.clone(), part));
            }
        } else {
            out.push((s.kind, s.heading, s.number, text));
        }
    }
    out
}

/// The wording [`detect_type`] looks for, matched without regard to (ASCII) case.
const TYPE_CUES: &[&str] = &[
    "geadviseerd besluit",
    "ter beslissing",
    "nota",
    "kernpunten",
    "aanleiding",
    "verzoekt de regering",
    "verzoekt het presidium",
    "spreekt uit",
    "roept de regering op",
    "gehoord de beraadslaging",
    "de kamer,",
    "geachte voorzitter",
    "hoogachtend",
    "brief van de minister",
    "brief van de staatssecretaris",
    "aan de voorzitter van de tweede kamer",
    "staten-generaal",
    "staten generaal",
    "vergaderjaar",
    "kamerstuk",
];

/// The first characters of a text, where a letter's or Kamerstuk's head wording must be.
const TYPE_HEAD_CHARS: usize = 3000;

static TYPE_SCAN: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(TYPE_CUES)
        .unwrap_or_else(|_| unreachable!())
});

/// Decides the document type of a text from its wording.
///
/// One pass over the text finds every cue (lower-casing whole texts for a dozen `contains`
/// was a tenth of parsing time on the SGD corpus).
pub(crate) fn detect_type(text: &str) -> DocType {
    let head_end = text
        .char_indices()
        .nth(TYPE_HEAD_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let mut anywhere = [false; TYPE_CUES.len()];
    let mut in_head = [false; TYPE_CUES.len()];
    for m in TYPE_SCAN.find_overlapping_iter(text) {
        let p = m.pattern().as_usize();
        anywhere[p] = true;
        in_head[p] |= m.end() <= head_end;
    }
    let cue = |name: &str| TYPE_CUES.iter().position(|c| *c == name).unwrap_or(0);
    let lower = |name: &str| anywhere[cue(name)];
    let head_lower = |name: &str| in_head[cue(name)];
    if lower("geadviseerd besluit")
        || (head_lower("ter beslissing") && head_lower("nota"))
        || (lower("kernpunten") && lower("aanleiding"))
    {
        return DocType::Beslisnota;
    }
    // A motion has the dictum (verzoekt / spreekt uit) after "De Kamer, gehoord de
    // beraadslaging"; letters and verslagen merely cite motions.
    let dictum = lower("verzoekt de regering")
        || lower("verzoekt het presidium")
        || lower("spreekt uit")
        || lower("roept de regering op");
    let kamer = lower("gehoord de beraadslaging") || head_lower("de kamer,");
    let letter = head_lower("geachte voorzitter") || head_lower("hoogachtend");
    if dictum && kamer && !letter {
        return DocType::Motie;
    }
    if head_lower("geachte voorzitter")
        || head_lower("brief van de minister")
        || head_lower("brief van de staatssecretaris")
        || head_lower("aan de voorzitter van de tweede kamer")
    {
        return DocType::Kamerbrief;
    }
    if head_lower("staten-generaal")
        || head_lower("staten generaal")
        || head_lower("vergaderjaar")
        || head_lower("kamerstuk")
    {
        return DocType::Kamerstuk;
    }
    DocType::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn ocr_broken_beslisnota_headings() {
        let p = crate::config::load().unwrap().1;
        let raw = beslisnota(
            &lines(
                "nota\n1. Aanleiding\ntekst.\n2. Geadviseerd besluit\n-_akkoord te gaan.\n 4, Toelichting\na. Draagvlak politiek\ntekst\nf._ Juridische aspecten haalbaarheid\nn.v.t.\nji. _ Fraudetoets\nn.v.t.\n5. Informatie die niet openbaar gemaakt kan worden\na. Motivering\ntekst",
            ),
            &p,
        );
        let got: Vec<(SectionKind, Option<&str>, Option<&str>)> = raw
            .iter()
            .map(|s| (s.kind, s.heading.as_deref(), s.number.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (SectionKind::Preamble, None, None),
                (SectionKind::Aanleiding, Some("Aanleiding"), Some("1")),
                (
                    SectionKind::GeadviseerdBesluit,
                    Some("Geadviseerd besluit"),
                    Some("2")
                ),
                (SectionKind::Toelichting, Some("Toelichting"), Some("4")),
                (
                    SectionKind::ToelichtingItem,
                    Some("Draagvlak politiek"),
                    Some("a")
                ),
                (
                    SectionKind::ToelichtingItem,
                    Some("Juridische aspecten haalbaarheid"),
                    Some("f")
                ),
                (SectionKind::ToelichtingItem, Some("Fraudetoets"), Some("i")),
                (
                    SectionKind::NietOpenbaar,
                    Some("Informatie die niet openbaar gemaakt kan worden"),
                    Some("5")
                ),
            ]
        );
        assert_eq!(raw[2].lines, vec!["-_akkoord te gaan."]);
    }

    #[test]
    fn kamerbrief_headings() {
        let raw = headings(&lines(
            "Geachte voorzitter,\nIn deze brief informeer ik u over de voortgang van het beleid.\n\nLandelijk expertisepunt femicide\n\nFemicide is in de meeste gevallen huiselijk geweld met een dodelijke afloop.\n\n7. Verbetering van de strafrechtelijke aanpak\nDe aanpak wordt verbeterd door meer inzet van de politie.",
        ));
        let heads: Vec<(Option<&str>, Option<&str>)> = raw
            .iter()
            .skip(1)
            .map(|s| (s.heading.as_deref(), s.number.as_deref()))
            .collect();
        assert_eq!(
            heads,
            vec![
                (Some("Landelijk expertisepunt femicide"), None),
                (
                    Some("Verbetering van de strafrechtelijke aanpak"),
                    Some("7")
                )
            ]
        );
    }

    #[test]
    fn a_letter_heading_named_like_a_beslisnota_heading_takes_its_kind() {
        let p = crate::config::load().unwrap().1;
        let raw = headings(&lines(
            "Geachte voorzitter,\nMet deze brief informeer ik u over de aanpak van stalking.\n\nKernpunten\n\nPolitie en OM behandelen stalking met voorrang bij een risico op escalatie.\n\n2. Aanleiding\n\nDe Kamer vroeg om een brief over de aanpak en de voortgang daarvan.\n\nCommunicatie\n\nWe starten een campagne over digitale stalking en de meldingen daarvan.\n\nKernpunten van de aanpak\n\nDe aanpak kent drie pijlers en een gezamenlijke agenda met de gemeenten.",
        ));
        let mut finished = finish(raw, 400);
        name_letter_headings(&mut finished, &p);
        let got: Vec<(SectionKind, Option<&str>)> =
            finished.iter().map(|s| (s.0, s.1.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                (SectionKind::Preamble, None),
                (SectionKind::Kernpunten, Some("Kernpunten")),
                (SectionKind::Aanleiding, Some("Aanleiding")),
                // A Toelichting sub-item's wording is an ordinary heading in a letter.
                (SectionKind::Heading, Some("Communicatie")),
                // Only the heading word itself, as in a beslisnota.
                (SectionKind::Heading, Some("Kernpunten van de aanpak")),
            ]
        );
    }

    #[test]
    fn motie_parts() {
        let paras: Vec<String> = [
            "De Kamer,",
            "gehoord de beraadslaging,",
            "constaterende dat x;",
            "overwegende dat y;",
            "verzoekt de regering z,",
            "en gaat over tot de orde van de dag.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let parts = motie_paragraphs(&paras);
        let kinds: Vec<SectionKind> = parts.iter().map(|p| p.0).collect();
        assert_eq!(
            kinds,
            vec![
                SectionKind::Preamble,
                SectionKind::Overwegingen,
                SectionKind::Verzoek
            ]
        );
    }
}
