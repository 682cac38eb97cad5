//! Turns Dutch parliamentary documents (OCR'd beslisnota's, Word-exported Kamerbrieven, published
//! Kamerstukken, officielebekendmakingen motion XML) into structured [`Document`]s: metadata,
//! sections, references and ministries.
#![deny(missing_docs)]

mod document;

pub use document::{
    DocType, Document, Reference, ReferenceKind, Section, SectionKind, Submitter,
};
