//! Data loaded from `index-schema/ingest/`: ministry aliases and text patterns.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::error::{ErrorKind, IngestError};

const MINISTRIES_FILE: &str = "index-schema/ingest/ministries.toml";
const MINISTRIES_TOML: &str = include_str!("../../../index-schema/ingest/ministries.toml");
const PATTERNS_FILE: &str = "index-schema/ingest/patterns.toml";
const PATTERNS_TOML: &str = include_str!("../../../index-schema/ingest/patterns.toml");

fn config_err(file: &str, message: impl Into<String>) -> IngestError {
    IngestError::new(
        file,
        ErrorKind::Config {
            file: file.to_string(),
            message: message.into(),
        },
    )
}

/// One ministry of the code list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ministry {
    /// Short code (`VWS`).
    pub code: String,
    /// Full name.
    pub name: String,
    /// Names and abbreviations used in documents.
    pub aliases: Vec<String>,
    /// Begroting chapters (`XVI`).
    #[serde(default)]
    pub chapters: Vec<String>,
    /// No longer exists.
    #[serde(default)]
    pub historic: bool,
}

#[derive(Deserialize)]
struct MinistryFile {
    ministry: Vec<Ministry>,
}

/// The ministry code list with alias resolution.
#[derive(Debug, Clone)]
pub struct MinistryTable {
    ministries: Vec<Ministry>,
    /// Full names (and long aliases) found anywhere in text, longest first.
    names: Regex,
    /// Abbreviations (case-sensitive, whole words).
    abbreviations: Regex,
}

fn is_abbreviation(alias: &str) -> bool {
    !alias.contains(' ')
        && alias.chars().count() <= 8
        && alias.chars().filter(|c| c.is_uppercase()).count() >= 2
}

impl MinistryTable {
    fn parse(text: &str) -> Result<MinistryTable, IngestError> {
        let file: MinistryFile =
            toml::from_str(text).map_err(|e| config_err(MINISTRIES_FILE, e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        let mut names: Vec<String> = Vec::new();
        let mut abbrs: Vec<String> = Vec::new();
        for m in &file.ministry {
            if !seen.insert(m.code.clone()) {
                return Err(config_err(
                    MINISTRIES_FILE,
                    format!("code `{}` listed twice", m.code),
                ));
            }
            for a in &m.aliases {
                if a.trim().is_empty() {
                    return Err(config_err(
                        MINISTRIES_FILE,
                        format!("`{}`: empty alias", m.code),
                    ));
                }
                if is_abbreviation(a) {
                    abbrs.push(regex::escape(a));
                } else if a.contains(' ') || a.contains(',') {
                    names.push(regex::escape(a).replace(' ', r"\s+"));
                }
            }
        }
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        abbrs.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let names = RegexBuilder::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", names.join("|")))
            .case_insensitive(true)
            .build()
            .map_err(|e| config_err(MINISTRIES_FILE, e.to_string()))?;
        let abbreviations = Regex::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", abbrs.join("|")))
            .map_err(|e| config_err(MINISTRIES_FILE, e.to_string()))?;
        Ok(MinistryTable {
            ministries: file.ministry,
            names,
            abbreviations,
        })
    }

    /// All ministries, in file order.
    pub fn all(&self) -> &[Ministry] {
        &self.ministries
    }

    /// The code for an alias, code or full name (case-insensitive; abbreviations exact first).
    ///
    /// ```
    /// let ingester = kamerzoek_ingest::Ingester::new().unwrap();
    /// let t = ingester.ministries();
    /// assert_eq!(t.resolve("SJenV"), Some("JenV"));
    /// assert_eq!(t.resolve("staatssecretaris Langdurige en Maatschappelijke Zorg"), Some("VWS"));
    /// assert_eq!(t.resolve("vws"), Some("VWS"));
    /// ```
    pub fn resolve(&self, alias: &str) -> Option<&str> {
        let a = alias.split_whitespace().collect::<Vec<_>>().join(" ");
        for m in &self.ministries {
            if m.code == a || m.aliases.iter().any(|x| x == &a) {
                return Some(&m.code);
            }
        }
        let lower = a.to_lowercase();
        let stripped = lower
            .trim_start_matches("ministerie van ")
            .trim_start_matches("minister van ")
            .trim_start_matches("staatssecretaris van ")
            .to_string();
        self.ministries
            .iter()
            .find(|m| {
                m.code.to_lowercase() == lower
                    || m.name.to_lowercase() == stripped
                    || m.aliases
                        .iter()
                        .any(|x| x.to_lowercase() == lower || x.to_lowercase() == stripped)
            })
            .map(|m| m.code.as_str())
    }

    /// The ministry owning a begroting chapter (`XVI` → `VWS`).
    pub fn by_chapter(&self, chapter: &str) -> Option<&str> {
        self.ministries
            .iter()
            .find(|m| !m.historic && m.chapters.iter().any(|c| c.eq_ignore_ascii_case(chapter)))
            .map(|m| m.code.as_str())
    }

    /// Every ministry named in `text` (full names and abbreviations), in order of first mention.
    pub fn find_all(&self, text: &str) -> Vec<String> {
        let mut hits: Vec<(usize, String)> = Vec::new();
        for m in self
            .names
            .find_iter(text)
            .chain(self.abbreviations.find_iter(text))
        {
            if let Some(code) = self.resolve(m.as_str()) {
                hits.push((m.start(), code.to_string()));
            }
        }
        hits.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, c) in hits {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    furniture: FurnitureDef,
    beslisnota: std::collections::BTreeMap<String, String>,
    ocr: OcrDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FurnitureDef {
    kenmerk: String,
    datum: String,
    pagina: String,
    bare_page_number: String,
    table_figures: String,
    running_header: String,
    margin_labels: Vec<String>,
    trailing_datum: String,
    trailing_kenmerk: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OcrDef {
    kamerstukken: Vec<String>,
    motie: Vec<String>,
}

/// Compiled text patterns.
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    pub kenmerk: Regex,
    pub datum: Regex,
    pub pagina: Regex,
    pub bare_page_number: Regex,
    /// A line of figures: a bare number beside one is a table cell, not a page number.
    pub table_figures: Regex,
    pub running_header: Regex,
    /// Labels of a letter's margin column, lowercase.
    pub margin_labels: Vec<String>,
    /// A margin date at the end of a line, after a `Datum` label above it.
    pub trailing_datum: Regex,
    /// A margin kenmerk at the end of a line, after a `Kenmerk` label above it.
    pub trailing_kenmerk: Regex,
    /// (section kind name, heading pattern), in file order.
    pub beslisnota: Vec<(String, Regex)>,
    pub ocr_kamerstukken: Vec<String>,
    pub ocr_motie: Vec<String>,
    /// Every OCR variant of both lists, to see in one pass whether a text holds any.
    pub ocr_any: aho_corasick::AhoCorasick,
}

impl Patterns {
    fn parse(text: &str) -> Result<Patterns, IngestError> {
        let file: PatternFile =
            toml::from_str(text).map_err(|e| config_err(PATTERNS_FILE, e.to_string()))?;
        let re = |name: &str, p: &str| {
            Regex::new(p).map_err(|e| config_err(PATTERNS_FILE, format!("pattern `{name}`: {e}")))
        };
        let mut beslisnota = Vec::new();
        for (name, p) in &file.beslisnota {
            beslisnota.push((name.clone(), re(name, p)?));
        }
        // Fixed order: specific headings before the catch-all sub-item pattern.
        beslisnota.sort_by_key(|(n, _)| usize::from(n == "toelichting_item"));
        Ok(Patterns {
            kenmerk: re("kenmerk", &file.furniture.kenmerk)?,
            datum: re("datum", &file.furniture.datum)?,
            pagina: re("pagina", &file.furniture.pagina)?,
            bare_page_number: re("bare_page_number", &file.furniture.bare_page_number)?,
            table_figures: re("table_figures", &file.furniture.table_figures)?,
            running_header: re("running_header", &file.furniture.running_header)?,
            margin_labels: file
                .furniture
                .margin_labels
                .iter()
                .map(|l| l.to_lowercase())
                .collect(),
            trailing_datum: re("trailing_datum", &file.furniture.trailing_datum)?,
            trailing_kenmerk: re("trailing_kenmerk", &file.furniture.trailing_kenmerk)?,
            beslisnota,
            // Leftmost-first: whether any variant occurs is the same under every match kind,
            // and only the leftmost kinds may use the vectorized (Teddy) searcher.
            ocr_any: aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(file.ocr.kamerstukken.iter().chain(&file.ocr.motie))
                .map_err(|e| config_err(PATTERNS_FILE, format!("[ocr] variants: {e}")))?,
            ocr_kamerstukken: file.ocr.kamerstukken,
            ocr_motie: file.ocr.motie,
        })
    }
}

/// Loads and validates the embedded data files.
pub(crate) fn load() -> Result<(MinistryTable, Patterns), IngestError> {
    Ok((
        MinistryTable::parse(MINISTRIES_TOML)?,
        Patterns::parse(PATTERNS_TOML)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_load() {
        let (m, p) = load().unwrap();
        assert_eq!(m.by_chapter("XVI"), Some("VWS"));
        assert_eq!(m.resolve("SRb"), Some("JenV"));
        assert_eq!(
            m.resolve("minister van Verkeer en Waterstaat"),
            Some("VenW")
        );
        assert!(p.beslisnota.iter().any(|(n, _)| n == "kernpunten"));
    }

    #[test]
    fn finds_ministries_in_text() {
        let (m, _) = load().unwrap();
        let found = m.find_all("Brief van de staatssecretarissen van Volksgezondheid, Welzijn en Sport, van Justitie en\nVeiligheid en van Onderwijs, Cultuur en Wetenschap; ook SZW en SRb.");
        assert_eq!(found, vec!["VWS", "JenV", "OCW", "SZW"]);
    }

    #[test]
    fn names_match_as_whole_words_across_any_whitespace() {
        let (m, _) = load().unwrap();
        // A name inside a longer word is no mention; one broken over lines, with a no-break
        // space or in capitals is.
        assert!(m.find_all("de Justitie en Veiligheidsraad").is_empty());
        assert_eq!(
            m.find_all("MINISTERIE VAN\u{a0} Justitie\n  en Veiligheid; SZW"),
            vec!["JenV", "SZW"]
        );
        // Order of mention holds across names and abbreviations.
        assert_eq!(
            m.find_all("OCW,\n\n\n  Sociale   Zaken en\tWerkgelegenheid en VWS"),
            vec!["OCW", "SZW", "VWS"]
        );
    }

    #[test]
    fn bad_data_names_the_file() {
        let e = MinistryTable::parse("[[ministry]]\ncode = 1").unwrap_err();
        assert!(e.to_string().contains("ministries.toml"), "{e}");
        let e = Patterns::parse("[furniture]\nkenmerk = '('").unwrap_err();
        assert!(e.to_string().contains("patterns.toml"), "{e}");
    }
}
