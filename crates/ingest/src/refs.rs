//! Citation extraction: Kamerstukken, moties with their submitters, toezeggingen, Aanhangsel
//! Handelingen and TK document numbers, each normalised to an officielebekendmakingen key.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Patterns;
use crate::document::{Reference, ReferenceKind, Submitter};

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("built-in pattern {p}: {e}"))
}

/// `Kamerstuk(ken) [I|II], [vergaderjaar,] DOSSIER[-TOEV | TOEV], nr. N` and `Kamerstuk 28345-288`.
/// OCR variants (`gamerstukken`, `Karnerstukken`) are folded before matching.
/// Historical (Staten-Generaal Digitaal) forms: `zitting` for vergaderjaar, a two-digit second
/// year (`1993/94`), an em dash between the years, `nr.` without the comma before it
/// (`19 622 nr. 1`, `22 300 XIV nr. 24`), and a comma before the roman numeral
/// (`22 300, XII, nr. 1`, `20 800, V, 102`), which then must be followed by a number.
static KAMERSTUK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?-u:\b)[Kk]amerstuk(?:ken)?
        (?:\s+(?P<kamer>II|I|Eerste\s+Kamer|Tweede\s+Kamer)(?-u:\b))?
        \s*,?\s*
        (?:(?:(?:vergaderjaar|zitting)\s+)?(?P<vj>(?:19|20)\d{2})\s*[-–—/]\s*(?P<vj2>(?:19|20)?\d{2})\s*,?\s*)?
        (?P<dossier>\d{2}\s?\d{3})
        (?:
            [-–](?P<toev_num>\d{1,3})(?-u:\b)(?:\s*,\s*nr\.?\s*(?P<nr_after_toev>\d{1,5}))?(?:[-–](?P<nr_dash2>\d{1,5}))?
          | \s+(?P<toev_rom>[IVXL]{1,6}[AB]?)(?-u:\b)(?:(?:\s*,\s*(?:nr\.?\s*)?|\s+nr\.?\s*)(?P<nr_rom>\d{1,5}|[A-Z]{1,2})(?-u:\b))?
          | \s*,\s*(?P<toev_rom2>[IVXL]{1,6}[AB]?)\s*,\s*(?:nr\.?\s*)?(?P<nr_rom2>\d{1,5})(?-u:\b)
          | (?:\s*,\s*|\s+)(?:nr\.?|nummer)\s*(?P<nr>\d{1,5}|[A-Z]{1,2}(?-u:\b))
          | [-–](?P<nr_dash>\d{1,5})(?-u:\b)
        )?
    ")
});

/// Dossiers numbered before 10 000 (up to the 1970s): `kamerstuk zitting 1954—1955, 4009, nr. 3`,
/// `kamerstuk 9300, nr. 12`. Only with `, nr.` after the number, so that a year (`Kamerstukken
/// II, 2024-2025, 2024D44989`) is never read as a dossier.
static KAMERSTUK_4: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?-u:\b)[Kk]amerstuk(?:ken)?
        (?:\s+(?P<kamer>II|I|Eerste\s+Kamer|Tweede\s+Kamer)(?-u:\b))?
        \s*,?\s*
        (?:(?:(?:vergaderjaar|zitting)\s+)?(?P<vj>(?:19|20)\d{2})\s*[-–—/]\s*(?P<vj2>(?:19|20)?\d{2})\s*,\s*)?
        (?P<dossier>[1-9]\d{3})\s*,\s*nr\.?\s*(?P<nr>\d{1,5})(?-u:\b)
    ")
});

/// A citation without the word Kamerstuk: `29279, nr. 891`, `21501-33, nr. 1104`, `36 725 XVI, C`.
static BARE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?-u:\b)(?P<dossier>\d{2}\s?\d{3})
        (?:
            [-–](?P<toev_num>\d{1,3})\s*,\s*nr\.?\s*(?P<nr_t>\d{1,5})
          | \s+(?P<toev_rom>[IVXL]{1,6}[AB]?)\s*,\s*(?:nr\.?\s*)?(?P<nr_rom>\d{1,5}|[A-Z]{1,2})(?-u:\b)
          | \s*,\s*nr\.?\s*(?P<nr>\d{1,5})
        )
      | \((?P<pdossier>\d{2}\s?\d{3})\s?[-–]\s?(?P<pnr>\d{1,5})\)
    ")
});

/// `motie van het lid X`, `motie van de leden X (P) en Y (Q)`, `motie-X`, `motie X c.s.`.
static MOTIE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?-u:\b)(?:[Gg]ewijzigde\s+)?[Mm]oties?
        (?:\s+van\s+(?:het\s+(?:voormalig\s+)?(?:Kamer)?lid|de\s+(?:Kamer)?leden|lid|leden))?
        [\s-]+
        (?P<names>
            (?:(?:[Vv]an|[Dd]er|[Dd]e|[Dd]en|[Tt]er|[Tt]en|in\s+'t|'t)\s+)*[A-Z][\p{L}'’-]+[®\d]*
            (?:\s*\([\p{L}][\p{L}\-]*(?:\s[\p{L}\-]+)?\d{0,2}\))?
            (?:\s*(?:,|(?-u:\b)en(?-u:\b))\s*(?:(?:[Vv]an|[Dd]er|[Dd]e|[Dd]en|[Tt]er|[Tt]en|in\s+'t|'t)\s+)*[A-Z][\p{L}'’-]+[®\d]*(?:\s*\([\p{L}][\p{L}\-]*(?:\s[\p{L}\-]+)?\d{0,2}\))?)*
            (?:\s+c\.s\.\d*)?
        )
    ")
});

static SUBMITTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<name>(?:(?:[Vv]an|[Dd]er|[Dd]e|[Dd]en|[Tt]er|[Tt]en|in 't|'t)\s+)*[A-Z][\p{L}'’-]+)[®\d]*(?:\s*\((?P<party>[^)]{1,20})\))?",
    )
});

/// A TK document number, with the vergaderjaar when it is cited as a Kamerstuk
/// (`Kamerstukken II, 2024-2025, 2024D44989`).
static TK_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?:(?-u:\b)[Kk]amerstuk(?:ken)?(?:\s+II)?\s*,?\s*
           (?P<vj>(?:19|20)\d{2})\s*[-–/]\s*(?P<vj2>(?:19|20)?\d{2})\s*,\s*)?
        (?-u:\b)(?P<doc>20\d{2}D\d{5})(?-u:\b)
    ")
});

static AANHANGSEL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?x)
        (?-u:\b)Aanhangsel\s+(?:van\s+de\s+)?Handelingen\s*(?P<kamer>II|I)?\s*,?\s*
        (?:(?P<vj>(?:19|20)\d{2})\s*[-–/]\s*(?P<vj2>(?:19|20)?\d{2})\s*,?\s*)?
        (?:nr\.?\s*)?(?P<nr>\d{1,5})
    ")
});

static TOEZEGGING: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)[Tt]oezegging(?:en)?(?-u:\b)"));
/// A toezegging's number in the Kamer's registry (`TZ202502-041`).
static TZ_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)TZ\d{6}-\d{2,4}(?-u:\b)"));

fn normalize_dossier(d: &str) -> String {
    d.chars().filter(|c| !c.is_whitespace()).collect()
}

fn kamer(s: Option<&str>) -> Option<String> {
    match s?.split_whitespace().next()? {
        "I" | "Eerste" => Some("I".into()),
        "II" | "Tweede" => Some("II".into()),
        _ => None,
    }
}

/// `2024-2025` from `2024`, `2025` or `2024`, `25`; `None` when a two-digit second year is not
/// the year after the first (then the text is no vergaderjaar).
fn vergaderjaar(a: Option<&str>, b: Option<&str>) -> Option<String> {
    let (a, b) = (a?, b?);
    if b.len() == 2 {
        // `1993/94`, and `1999/00` across a century.
        let next = a.parse::<u32>().ok()? + 1;
        return (next % 100 == b.parse::<u32>().ok()?).then(|| format!("{a}-{next}"));
    }
    Some(format!("{a}-{b}"))
}

/// Builds key and dossier from the captured parts.
fn key_from(c: &regex::Captures) -> (Option<String>, Option<String>) {
    if let (Some(d), Some(n)) = (c.name("pdossier"), c.name("pnr")) {
        let d = normalize_dossier(d.as_str());
        return (Some(format!("{d}-{}", n.as_str())), Some(d));
    }
    let dossier = normalize_dossier(&c["dossier"]);
    let g = |n: &str| c.name(n).map(|m| m.as_str().to_string());
    if let Some(t) = g("toev_num") {
        let dossier = format!("{dossier}-{t}");
        let nr = g("nr_after_toev")
            .or_else(|| g("nr_dash2"))
            .or_else(|| g("nr_t"));
        return match nr {
            Some(n) => (Some(format!("{dossier}-{n}")), Some(dossier)),
            // `Kamerstuk 28345-288`: a dossier and its number, not a toevoeging.
            None => {
                let base = normalize_dossier(&c["dossier"]);
                (Some(format!("{base}-{t}")), Some(base))
            }
        };
    }
    if let (Some(t), Some(n)) = (g("toev_rom2"), g("nr_rom2")) {
        let dossier = format!("{dossier}-{t}");
        return (Some(format!("{dossier}-{n}")), Some(dossier));
    }
    if let Some(t) = g("toev_rom") {
        let dossier = format!("{dossier}-{t}");
        return match g("nr_rom") {
            Some(n) => (Some(format!("{dossier}-{n}")), Some(dossier)),
            None => (None, Some(dossier)),
        };
    }
    if let Some(n) = g("nr").or_else(|| g("nr_dash")) {
        return (Some(format!("{dossier}-{n}")), Some(dossier));
    }
    (None, Some(dossier))
}

/// Folds known OCR variants of `Kamerstuk(ken)` and `Motie` (`p.ocr_kamerstukken`,
/// `p.ocr_motie`) so that the patterns match them. A text holding none (nearly every one, as
/// `p.ocr_any` sees in one pass) is returned as it is.
pub(crate) fn fold_ocr<'a>(text: &'a str, p: &Patterns) -> Cow<'a, str> {
    if !p.ocr_any.is_match(text) {
        return Cow::Borrowed(text);
    }
    let mut t = text.to_string();
    // Search first rather than copy the text per variant.
    for (variants, to) in [
        (&p.ocr_kamerstukken, "Kamerstukken"),
        (&p.ocr_motie, "Motie"),
    ] {
        for v in variants {
            if t.contains(v.as_str()) {
                t = t.replace(v.as_str(), to);
            }
        }
    }
    Cow::Owned(t)
}

/// The sentence around `start..end` in `text` (at most ~400 characters).
pub(crate) fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let bytes = text.as_bytes();
    let mut s = start;
    while s > 0 && start - s < 300 {
        let prev = bytes[s - 1];
        if prev == b'\n'
            || ((prev == b' ')
                && s >= 2
                && matches!(bytes[s - 2], b'.' | b'!' | b'?' | b';')
                && !abbreviation_before(text, s - 2))
        {
            break;
        }
        s -= 1;
    }
    let mut e = end;
    while e < bytes.len() && e - end < 300 {
        let b = bytes[e];
        if b == b'\n' {
            break;
        }
        if matches!(b, b'.' | b'!' | b'?' | b';')
            && (e + 1 == bytes.len() || bytes[e + 1] == b' ' || bytes[e + 1] == b'\n')
            && !abbreviation_before(text, e)
        {
            e += 1;
            break;
        }
        e += 1;
    }
    while s < text.len() && !text.is_char_boundary(s) {
        s += 1;
    }
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    crate::clean::collapse(&text[s..e.min(text.len())])
}

/// Where the sentence that contains `from` ends.
fn sentence_end_after(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut e = from;
    while e < bytes.len() {
        if bytes[e] == b'\n' {
            return e;
        }
        if matches!(bytes[e], b'.' | b'!' | b'?' | b';')
            && (e + 1 == bytes.len() || bytes[e + 1] == b' ')
            && !abbreviation_before(text, e)
        {
            return e;
        }
        e += 1;
    }
    e
}

/// `nr.`, `c.s.`, `d.d.`, `o.a.` do not end a sentence.
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let head = &text.as_bytes()[..dot];
    let word_start = head
        .iter()
        .rposition(|b| *b == b' ' || *b == b'(' || *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let word = &text[word_start..dot];
    matches!(
        word,
        "nr" | "Nr"
            | "c.s"
            | "d.d"
            | "o.a"
            | "m.b.t"
            | "i.v.m"
            | "t.a.v"
            | "bijv"
            | "zgn"
            | "jl"
            | "vs"
            | "ca"
            | "incl"
            | "excl"
            | "art"
            | "resp"
    ) || (word.len() == 1 && word.chars().all(|c| c.is_uppercase()))
}

fn submitters(names: &str) -> Vec<Submitter> {
    let names = names.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
    let names = names.strip_suffix("c.s.").unwrap_or(names).trim();
    let mut out = Vec::new();
    for c in SUBMITTER.captures_iter(names) {
        let name = c["name"].trim().to_string();
        if matches!(
            name.as_str(),
            "Kamer" | "De" | "Het" | "Motie" | "Kamerstuk" | "Kamerstukken"
        ) {
            continue;
        }
        let mut chars = name.chars();
        let name = match chars.next() {
            Some(f) if name.starts_with("van ") || name.starts_with("de ") => {
                f.to_uppercase().chain(chars).collect()
            }
            _ => name,
        };
        out.push(Submitter {
            name,
            party: c.name("party").map(|p| p.as_str().trim().to_string()),
        });
    }
    out
}

/// Every reference in `text` (a section's text), attributed to `section`.
pub(crate) fn extract(text: &str, section: usize, out: &mut Vec<Reference>) {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let overlaps =
        |taken: &[(usize, usize)], s: usize, e: usize| taken.iter().any(|(a, b)| s < *b && e > *a);
    let push = |out: &mut Vec<Reference>,
                kind,
                key: Option<String>,
                dossier,
                vj,
                kamer_,
                subs,
                s: usize,
                e: usize| {
        out.push(Reference {
            kind,
            key,
            dossier,
            vergaderjaar: vj,
            kamer: kamer_,
            submitters: subs,
            raw: crate::clean::collapse(&text[s..e]),
            sentence: sentence_around(text, s, e),
            section,
        });
    };
    let mut found: Vec<Reference> = Vec::new();
    for c in KAMERSTUK
        .captures_iter(text)
        .chain(KAMERSTUK_4.captures_iter(text))
    {
        let m = c.get(0).unwrap_or_else(|| unreachable!());
        if overlaps(&taken, m.start(), m.end()) {
            continue;
        }
        let (key, dossier) = key_from(&c);
        push(
            &mut found,
            ReferenceKind::Kamerstuk,
            key,
            dossier,
            vergaderjaar(
                c.name("vj").map(|m| m.as_str()),
                c.name("vj2").map(|m| m.as_str()),
            ),
            kamer(c.name("kamer").map(|m| m.as_str())),
            Vec::new(),
            m.start(),
            m.end(),
        );
        taken.push((m.start(), m.end()));
    }
    for c in BARE_KEY.captures_iter(text) {
        let m = c.get(0).unwrap_or_else(|| unreachable!());
        if overlaps(&taken, m.start(), m.end()) {
            continue;
        }
        // A date range or an amount is not a dossier: require the "nr." or roman-numeral form.
        let (key, dossier) = key_from(&c);
        push(
            &mut found,
            ReferenceKind::Kamerstuk,
            key,
            dossier,
            None,
            None,
            Vec::new(),
            m.start(),
            m.end(),
        );
        taken.push((m.start(), m.end()));
    }
    // Where each Kamerstuk citation starts, for linking a motion to the key cited after it.
    let kamerstuk_spans: Vec<(usize, Reference)> = {
        let mut v: Vec<(usize, Reference)> = found
            .iter()
            .filter_map(|r| text.find(r.raw.as_str()).map(|start| (start, r.clone())))
            .collect();
        v.sort_by_key(|(s, _)| *s);
        v
    };
    for c in MOTIE.captures_iter(text) {
        let m = c.get(0).unwrap_or_else(|| unreachable!());
        let subs = submitters(&c["names"]);
        if subs.is_empty() {
            continue;
        }
        // The motion's key is the first Kamerstuk citation after it within its sentence.
        let sentence_end = sentence_end_after(text, m.end()).min(m.end() + 250);
        let cited = kamerstuk_spans
            .iter()
            .find(|(start, _)| *start >= m.end() && *start < sentence_end)
            .map(|(_, r)| {
                (
                    r.key.clone(),
                    r.dossier.clone(),
                    r.vergaderjaar.clone(),
                    r.kamer.clone(),
                )
            });
        let (key, dossier, vj, km) = cited.unwrap_or((None, None, None, None));
        push(
            &mut found,
            ReferenceKind::Motie,
            key,
            dossier,
            vj,
            km,
            subs,
            m.start(),
            m.end(),
        );
    }
    for c in AANHANGSEL.captures_iter(text) {
        let m = c.get(0).unwrap_or_else(|| unreachable!());
        let vj = vergaderjaar(
            c.name("vj").map(|m| m.as_str()),
            c.name("vj2").map(|m| m.as_str()),
        );
        let kamer_ = kamer(c.name("kamer").map(|m| m.as_str()));
        let key = vj.as_ref().map(|v| {
            format!(
                "ah-{}-{}-{}",
                if kamer_.as_deref() == Some("I") {
                    "ek"
                } else {
                    "tk"
                },
                v.replace('-', ""),
                &c["nr"]
            )
        });
        push(
            &mut found,
            ReferenceKind::AanhangselHandelingen,
            key,
            None,
            vj,
            kamer_,
            Vec::new(),
            m.start(),
            m.end(),
        );
    }
    for c in TK_DOCUMENT.captures_iter(text) {
        // The reference is the number itself; the `Kamerstukken II, 2024-2025, ` before it only
        // gives the vergaderjaar.
        let m = c.name("doc").unwrap_or_else(|| unreachable!());
        push(
            &mut found,
            ReferenceKind::TkDocument,
            Some(m.as_str().to_string()),
            None,
            vergaderjaar(
                c.name("vj").map(|m| m.as_str()),
                c.name("vj2").map(|m| m.as_str()),
            ),
            Some("II".into()),
            Vec::new(),
            m.start(),
            m.end(),
        );
    }
    for m in TOEZEGGING.find_iter(text) {
        // Only a toezegging that is named as an item (list entry or sentence start) or numbered.
        let line_start = text[..m.start()].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let lead = text[line_start..m.start()]
            .trim_matches(|c: char| c.is_whitespace() || "-_·•".contains(c));
        let sentence_end = sentence_end_after(text, m.end());
        let tz = TZ_NUMBER
            .find(&text[m.end()..sentence_end])
            .map(|t| t.as_str().to_string());
        // Or one described as a commitment in running text: "de toezegging gedaan",
        // "De toezegging dat de Kamer ... ontvangt", "de toezeggingen om ...".
        let after = text[m.end()..].trim_start();
        let described = ["dat ", "om ", "gedaan", "van "]
            .iter()
            .any(|w| after.starts_with(w));
        if tz.is_none() && !lead.is_empty() && !described {
            continue;
        }
        push(
            &mut found,
            ReferenceKind::Toezegging,
            tz,
            None,
            None,
            None,
            Vec::new(),
            m.start(),
            m.end(),
        );
    }
    found.sort_by_key(|r| {
        text.find(r.raw.split_whitespace().next().unwrap_or(""))
            .unwrap_or(0)
    });
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_variants_are_folded_and_other_texts_borrowed() {
        let p = crate::config::load().unwrap().1;
        let fold = |t| fold_ocr(t, &p);
        assert_eq!(
            fold("15 gamerstukken 2024-2025, 29 279, nr. 891; Matie van het lid X"),
            "15 Kamerstukken 2024-2025, 29 279, nr. 891; Motie van het lid X"
        );
        assert_eq!(fold("zie Kamer-stukken II"), "zie Kamerstukken II");
        assert!(matches!(
            fold("Kamerstukken II, 29279, nr. 890"),
            Cow::Borrowed(_)
        ));
    }

    fn keys(text: &str) -> Vec<Option<String>> {
        let mut v = Vec::new();
        extract(text, 0, &mut v);
        v.into_iter()
            .filter(|r| r.kind == ReferenceKind::Kamerstuk)
            .map(|r| r.key)
            .collect()
    }

    #[test]
    fn kamerstuk_forms() {
        assert_eq!(
            keys("Kamerstukken II, 2024-2025, 29279, nr. 890"),
            vec![Some("29279-890".into())]
        );
        assert_eq!(
            keys("zie Kamerstuk 28345-288."),
            vec![Some("28345-288".into())]
        );
        assert_eq!(
            keys("Kamerstuk I 36 658, nr. 5"),
            vec![Some("36658-5".into())]
        );
        assert_eq!(
            keys("bij 36 725 XVI, C is"),
            vec![Some("36725-XVI-C".into())]
        );
        assert_eq!(
            keys("Kamerstukken 21501-33, nr. 1104"),
            vec![Some("21501-33-1104".into())]
        );
        assert_eq!(keys("(29279, nr. 891)"), vec![Some("29279-891".into())]);
        assert_eq!(
            keys("in de periode 2014-2023 waren 412 vrouwen"),
            Vec::<Option<String>>::new()
        );
    }

    #[test]
    fn motie_with_submitters_and_key() {
        let mut v = Vec::new();
        extract(
            "De motie van de leden Temmink (SP) en Mutluer (GL-PvdA) (Kamerstuk 29279, nr. 890) is afgedaan.",
            2,
            &mut v,
        );
        let m = v.iter().find(|r| r.kind == ReferenceKind::Motie).unwrap();
        assert_eq!(m.key.as_deref(), Some("29279-890"));
        assert_eq!(m.submitters.len(), 2);
        assert_eq!(m.submitters[0].party.as_deref(), Some("SP"));
        assert_eq!(m.submitters[1].name, "Mutluer");
        assert_eq!(m.section, 2);
        assert!(m.sentence.starts_with("De motie"));
    }

    #[test]
    fn other_kinds() {
        let mut v = Vec::new();
        extract(
            "Aanhangsel Handelingen II, 2024-2025, nr. 1234 en 2024D38217.\n- Toezegging van SJenV in het debat.",
            0,
            &mut v,
        );
        let kinds: Vec<_> = v.iter().map(|r| (r.kind, r.key.clone())).collect();
        assert!(
            kinds.contains(&(
                ReferenceKind::AanhangselHandelingen,
                Some("ah-tk-20242025-1234".into())
            )),
            "{kinds:?}"
        );
        assert!(kinds.contains(&(ReferenceKind::TkDocument, Some("2024D38217".into()))));
        assert!(kinds.iter().any(|k| k.0 == ReferenceKind::Toezegging));
    }
}
