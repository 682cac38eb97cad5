//! The structured form of one parsed document: the contract between ingest and the index.

use serde::{Deserialize, Serialize};

/// What kind of parliamentary document a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// A decision memo to a minister or staatssecretaris (published under the Woo).
    Beslisnota,
    /// A minister's letter to the Kamer (draft or published).
    Kamerbrief,
    /// A motion, including a gewijzigde motie.
    Motie,
    /// Any other Kamerstuk (verslag, memorie van toelichting, ...).
    Kamerstuk,
    /// Nothing recognisable.
    Unknown,
}

impl DocType {
    /// The snake_case name used in JSON, facets and CLI filters.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Beslisnota => "beslisnota",
            DocType::Kamerbrief => "kamerbrief",
            DocType::Motie => "motie",
            DocType::Kamerstuk => "kamerstuk",
            DocType::Unknown => "unknown",
        }
    }
}

/// One parsed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier: the Kamerstuk key when the document is one (`29279-890`), else the
    /// file stem.
    pub id: String,
    /// The path the document was read from, as given.
    pub source: String,
    /// The document's kind.
    pub doc_type: DocType,
    /// Title or onderwerp.
    pub title: Option<String>,
    /// Date of the document, ISO 8601 (`2025-11-11`).
    pub date: Option<String>,
    /// The sender's reference (`4132817-1084052-DMO`).
    pub kenmerk: Option<String>,
    /// Parliamentary year (`2024-2025`).
    pub vergaderjaar: Option<String>,
    /// The document's own Kamerstuk key when it is one (`36600-XVI-12`).
    pub kamerstuk: Option<String>,
    /// Dossier title (`Aanpak huiselijk geweld`).
    pub dossier_title: Option<String>,
    /// Submitters (indieners) of a motion, in order.
    pub submitters: Vec<Submitter>,
    /// Ministries that sent (or are addressed by) the document, by code (`VWS`).
    pub ministries: Vec<String>,
    /// Ministries merely mentioned in the text, by code.
    pub ministries_mentioned: Vec<String>,
    /// Topics from metadata (Taxonomie Beleidsagenda), as paths `/Zorg en gezondheid/...`.
    pub topics: Vec<String>,
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Every citation found in the body.
    pub references: Vec<Reference>,
    /// Non-fatal problems met while parsing (encoding guessed, heading not found, ...).
    pub warnings: Vec<String>,
    /// Number of pages, for a PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

/// A submitter of a motion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitter {
    /// Surname as written (`Temmink`).
    pub name: String,
    /// Party when given (`SP`).
    pub party: Option<String>,
}

/// The kind of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Text before the first recognised heading (addressing, title block).
    Preamble,
    /// Beslisnota: Aanleiding (also a letter's heading of that name).
    Aanleiding,
    /// Beslisnota: Geadviseerd besluit (also a letter's heading of that name).
    GeadviseerdBesluit,
    /// Beslisnota: Kernpunten (also a letter's heading of that name).
    Kernpunten,
    /// Beslisnota: Toelichting, its own intro text (also a letter's heading of that name).
    Toelichting,
    /// Beslisnota: one lettered sub-item of the Toelichting (Draagvlak politiek, Fraudetoets, ...).
    ToelichtingItem,
    /// Beslisnota: Niet openbaar / informatie die niet openbaar gemaakt kan worden.
    NietOpenbaar,
    /// A heading of a Kamerbrief or other Kamerstuk.
    Heading,
    /// Motion: the constaterende/overwegende part.
    Overwegingen,
    /// Motion: verzoekt de regering ...
    Verzoek,
    /// Footnotes collected at the end.
    Footnotes,
    /// Body text without a recognised heading.
    Body,
}

impl SectionKind {
    /// The snake_case name used in JSON, facets and CLI filters.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Aanleiding => "aanleiding",
            SectionKind::GeadviseerdBesluit => "geadviseerd_besluit",
            SectionKind::Kernpunten => "kernpunten",
            SectionKind::Toelichting => "toelichting",
            SectionKind::ToelichtingItem => "toelichting_item",
            SectionKind::NietOpenbaar => "niet_openbaar",
            SectionKind::Heading => "heading",
            SectionKind::Overwegingen => "overwegingen",
            SectionKind::Verzoek => "verzoek",
            SectionKind::Footnotes => "footnotes",
            SectionKind::Body => "body",
        }
    }
}

/// One section of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// What the section is.
    pub kind: SectionKind,
    /// The heading as cleaned (`Fraudetoets`), if any.
    pub heading: Option<String>,
    /// The heading's number or letter (`4`, `i`, `7`), if any.
    pub number: Option<String>,
    /// Cleaned body text, paragraphs separated by a blank line.
    pub text: String,
    /// Footnotes cited in this section, in order of citation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<Footnote>,
}

/// A footnote, attached to the section that cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footnote {
    /// Its number as printed.
    pub number: String,
    /// Its text.
    pub text: String,
    /// The sentence of the section text that cites it.
    #[serde(default)]
    pub cited_in: String,
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// A Kamerstuk citation (`Kamerstukken II, 2024-2025, 29279, nr. 890`).
    Kamerstuk,
    /// A motion named as such (`motie van het lid X`), with or without a Kamerstuk key.
    Motie,
    /// A commitment (`toezegging`) reference.
    Toezegging,
    /// Aanhangsel Handelingen (answers to written questions).
    AanhangselHandelingen,
    /// A TK document number (`2024D38217`).
    TkDocument,
}

/// One citation found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// What is cited.
    pub kind: ReferenceKind,
    /// Normalised key: `DOSSIER[-TOEVOEGING]-ONDERNUMMER` for Kamerstukken, the number itself
    /// for TK documents and Aanhangsel entries; `None` when the text names no number.
    pub key: Option<String>,
    /// The dossier part of the key (`29279`, `21501-33`, `36725-XVI`).
    pub dossier: Option<String>,
    /// Vergaderjaar when given.
    pub vergaderjaar: Option<String>,
    /// `I` (Eerste Kamer) or `II` (Tweede Kamer) when given.
    pub kamer: Option<String>,
    /// Submitters of a cited motion, when named.
    pub submitters: Vec<Submitter>,
    /// The text as it stood in the document.
    pub raw: String,
    /// The sentence around the citation.
    pub sentence: String,
    /// Index into [`Document::sections`] of the section it stands in.
    pub section: usize,
}
