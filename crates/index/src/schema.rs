//! Loads `index-schema/schema.toml` and compiles it into a tantivy schema.

use std::collections::BTreeMap;

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::IndexError;

/// The schema file, embedded so that a binary works without the source tree.
pub const SCHEMA_TOML: &str = include_str!("../../../index-schema/schema.toml");

/// The kind of a schema field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Analysed or raw text.
    Text,
    /// Hierarchical facet.
    Facet,
    /// Unsigned integer.
    U64,
    /// Date, day precision.
    Date,
}

/// One field as declared in the schema file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Field name, also its name in queries (`title:`).
    pub name: String,
    /// Field kind.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Tokenizer of a text field.
    pub tokenizer: Option<String>,
    /// Returned with hits.
    #[serde(default)]
    pub stored: bool,
    /// Columnar (sorting, grouping).
    #[serde(default)]
    pub fast: bool,
    /// Searchable (numbers and dates; text and facets always are unless tokenizer is `none`).
    #[serde(default)]
    pub indexed: bool,
    /// Weight in the default query.
    pub boost: Option<f32>,
}

/// The parsed, validated schema file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaDef {
    /// Schema version; an index built with another version is refused.
    pub version: u64,
    /// Text fields searched by a query without field scope.
    pub default_fields: Vec<String>,
    /// Fields in order.
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
    /// Ranking prior per section kind.
    pub section_weights: BTreeMap<String, f32>,
    /// Extra weight of a document whose title holds every word of a query of two or more words
    /// (0: none); see `index-schema/schema.toml`.
    #[serde(default)]
    pub all_words_in_title_boost: f32,
    /// Extra weight of a document whose title holds the words of such a query in their order,
    /// at most `title_phrase_slop` positions apart in all (0: none).
    #[serde(default)]
    pub title_phrase_boost: f32,
    /// The positions that may lie between a query's words for `title_phrase_boost` (a word
    /// swapped with its neighbour costs 2).
    #[serde(default)]
    pub title_phrase_slop: u32,
}

/// Fields the code relies on, with the kind each must have.
const REQUIRED: &[(&str, FieldKind)] = &[
    ("doc_key", FieldKind::U64),
    ("source", FieldKind::Text),
    ("content_hash", FieldKind::U64),
    ("doc_id", FieldKind::Text),
    ("kamerstuk", FieldKind::Text),
    ("title", FieldKind::Text),
    ("heading", FieldKind::Text),
    ("body", FieldKind::Text),
    ("submitters", FieldKind::Text),
    ("section_index", FieldKind::U64),
    ("section_number", FieldKind::Text),
    ("section", FieldKind::Facet),
    ("type", FieldKind::Facet),
    ("ministry", FieldKind::Facet),
    ("topic", FieldKind::Facet),
    ("motion", FieldKind::Facet),
    ("year", FieldKind::Facet),
    ("date", FieldKind::Date),
    ("weight", FieldKind::U64),
    ("meta", FieldKind::Text),
    ("refs", FieldKind::Text),
];

const TOKENIZERS: &[&str] = &[
    kamerzoek_analysis::INDEX_TOKENIZER,
    kamerzoek_analysis::QUERY_TOKENIZER,
    "raw",
    "none",
];

impl SchemaDef {
    /// Parses and validates the embedded schema file.
    ///
    /// # Errors
    /// [`IndexError::Schema`] naming the problem (TOML position, unknown tokenizer, missing field).
    pub fn load() -> Result<SchemaDef, IndexError> {
        SchemaDef::parse(SCHEMA_TOML)
    }

    /// Parses and validates schema text.
    ///
    /// # Errors
    /// [`IndexError::Schema`] naming the problem.
    pub fn parse(text: &str) -> Result<SchemaDef, IndexError> {
        let def: SchemaDef = toml::from_str(text).map_err(|e| IndexError::Schema(e.to_string()))?;
        def.validate()?;
        Ok(def)
    }

    fn validate(&self) -> Result<(), IndexError> {
        let err = |m: String| Err(IndexError::Schema(m));
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if !seen.insert(f.name.as_str()) {
                return err(format!("field `{}` declared twice", f.name));
            }
            match (f.kind, &f.tokenizer) {
                (FieldKind::Text, None) => {
                    return err(format!("text field `{}` needs a tokenizer", f.name));
                }
                (FieldKind::Text, Some(t)) if !TOKENIZERS.contains(&t.as_str()) => {
                    return err(format!(
                        "field `{}`: unknown tokenizer `{t}` (known: {})",
                        f.name,
                        TOKENIZERS.join(", ")
                    ));
                }
                (FieldKind::Text, _) => {}
                (_, Some(_)) => {
                    return err(format!(
                        "field `{}`: only text fields take a tokenizer",
                        f.name
                    ));
                }
                _ => {}
            }
        }
        for (name, kind) in REQUIRED {
            match self.field(name) {
                None => return err(format!("required field `{name}` is missing")),
                Some(f) if f.kind != *kind => {
                    return err(format!("field `{name}` must be of type {kind:?}"));
                }
                _ => {}
            }
        }
        for name in &self.default_fields {
            match self.field(name) {
                Some(f) if f.kind == FieldKind::Text => {}
                _ => return err(format!("default field `{name}` is not a text field")),
            }
        }
        for (kind, w) in &self.section_weights {
            if !(0.0..=10.0).contains(w) {
                return err(format!("section weight of `{kind}` must be within 0..=10"));
            }
        }
        if !(0.0..=20.0).contains(&self.all_words_in_title_boost) {
            return err("all_words_in_title_boost must be within 0..=20".to_string());
        }
        if !(0.0..=20.0).contains(&self.title_phrase_boost) {
            return err("title_phrase_boost must be within 0..=20".to_string());
        }
        if self.title_phrase_slop > 16 {
            return err("title_phrase_slop must be within 0..=16".to_string());
        }
        Ok(())
    }

    /// The declared field of that name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Compiles the declared fields into a tantivy schema.
    pub fn compile(&self) -> Schema {
        let mut builder = Schema::builder();
        for f in &self.fields {
            match f.kind {
                FieldKind::Text => {
                    let mut opts = TextOptions::default();
                    let tokenizer = f.tokenizer.as_deref().unwrap_or("raw");
                    if tokenizer != "none" {
                        let record = if tokenizer == "raw" {
                            IndexRecordOption::Basic
                        } else {
                            IndexRecordOption::WithFreqsAndPositions
                        };
                        opts = opts.set_indexing_options(
                            TextFieldIndexing::default()
                                .set_tokenizer(tokenizer)
                                .set_index_option(record),
                        );
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast("raw");
                    }
                    builder.add_text_field(&f.name, opts);
                }
                FieldKind::Facet => {
                    builder.add_facet_field(&f.name, FacetOptions::default());
                }
                FieldKind::U64 => {
                    let mut opts = NumericOptions::default();
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    builder.add_u64_field(&f.name, opts);
                }
                FieldKind::Date => {
                    let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    builder.add_date_field(&f.name, opts);
                }
            }
        }
        builder.build()
    }

    /// The ranking prior of a section kind (1.0 when not listed).
    pub fn section_weight(&self, kind: &str) -> f32 {
        self.section_weights.get(kind).copied().unwrap_or(1.0)
    }
}

/// Handles of the fields the code uses, resolved once.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct Fields {
    pub doc_key: Field,
    pub source: Field,
    pub content_hash: Field,
    pub doc_id: Field,
    pub kamerstuk: Field,
    pub title: Field,
    pub heading: Field,
    pub body: Field,
    pub submitters: Field,
    pub section_index: Field,
    pub section_number: Field,
    pub section: Field,
    pub doc_type: Field,
    pub ministry: Field,
    pub topic: Field,
    pub motion: Field,
    pub year: Field,
    pub date: Field,
    pub weight: Field,
    pub meta: Field,
    pub refs: Field,
    pub cites: Field,
}

impl Fields {
    /// Resolves the required fields in a compiled schema.
    ///
    /// # Errors
    /// [`IndexError::Schema`] when a required field is absent (an index of another schema).
    pub fn resolve(schema: &Schema) -> Result<Fields, IndexError> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| IndexError::Schema(format!("index lacks field `{name}`")))
        };
        Ok(Fields {
            doc_key: get("doc_key")?,
            source: get("source")?,
            content_hash: get("content_hash")?,
            doc_id: get("doc_id")?,
            kamerstuk: get("kamerstuk")?,
            title: get("title")?,
            heading: get("heading")?,
            body: get("body")?,
            submitters: get("submitters")?,
            section_index: get("section_index")?,
            section_number: get("section_number")?,
            section: get("section")?,
            doc_type: get("type")?,
            ministry: get("ministry")?,
            topic: get("topic")?,
            motion: get("motion")?,
            year: get("year")?,
            date: get("date")?,
            weight: get("weight")?,
            meta: get("meta")?,
            refs: get("refs")?,
            cites: get("cites")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_is_valid() {
        let def = SchemaDef::load().unwrap();
        assert!(def.section_weight("kernpunten") > def.section_weight("footnotes"));
        Fields::resolve(&def.compile()).unwrap();
    }

    #[test]
    fn rejects_unknown_tokenizer_and_missing_field() {
        let bad = SCHEMA_TOML.replacen("tokenizer = \"nl_index\"", "tokenizer = \"english\"", 1);
        let e = SchemaDef::parse(&bad).unwrap_err().to_string();
        assert!(e.contains("unknown tokenizer `english`"), "{e}");
        let missing = SCHEMA_TOML.replacen("name = \"weight\"", "name = \"gewicht\"", 1);
        let e = SchemaDef::parse(&missing).unwrap_err().to_string();
        assert!(e.contains("required field `weight`"), "{e}");
        let boost = SCHEMA_TOML.replacen(
            "all_words_in_title_boost = 3.0",
            "all_words_in_title_boost = -1.0",
            1,
        );
        let e = SchemaDef::parse(&boost).unwrap_err().to_string();
        assert!(e.contains("all_words_in_title_boost"), "{e}");
        let slop = SCHEMA_TOML.replacen("title_phrase_slop = 1", "title_phrase_slop = 40", 1);
        let e = SchemaDef::parse(&slop).unwrap_err().to_string();
        assert!(e.contains("title_phrase_slop"), "{e}");
    }

    #[test]
    fn reports_toml_position() {
        let e = SchemaDef::parse("version = \n").unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
