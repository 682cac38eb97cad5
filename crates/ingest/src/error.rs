//! The ingest crate's error type.

use std::path::{Path, PathBuf};

/// Why a file could not become a [`crate::Document`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading failed (missing, unreadable, a folder loop).
    #[error("{0}")]
    Io(String),
    /// The file has no content.
    #[error("empty file")]
    Empty,
    /// The file is not text (NUL bytes, control characters).
    #[error("binary file (not text, XML, PDF or .docx)")]
    Binary,
    /// The file holds only whitespace or furniture.
    #[error("no text found")]
    NoText,
    /// Malformed XML, with the position where reading stopped.
    #[error("malformed XML at byte {position}: {message}")]
    Xml {
        /// Byte offset in the file.
        position: u64,
        /// The parser's message.
        message: String,
    },
    /// Well-formed XML that is not an officielebekendmakingen Kamerstuk.
    #[error("XML of another schema (root element <{0}>, expected <officiele-publicatie>)")]
    UnknownSchema(String),
    /// A PDF without a text layer: a scan that needs OCR first.
    #[error("PDF without a text layer (a scan of {pages} page(s)): needs OCR first")]
    Scanned {
        /// Number of pages.
        pages: usize,
    },
    /// A PDF or .docx could not be read.
    #[error("{0}")]
    Extract(String),
    /// A data file under `index-schema/` is invalid.
    #[error("{file}: {message}")]
    Config {
        /// The data file.
        file: String,
        /// What is wrong, with its line where known.
        message: String,
    },
}

/// An error for one file (or folder), naming it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct IngestError {
    path: PathBuf,
    kind: ErrorKind,
}

impl IngestError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, kind: ErrorKind) -> IngestError {
        IngestError {
            path: path.into(),
            kind,
        }
    }

    /// The file or folder concerned.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}
