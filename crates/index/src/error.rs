//! The index crate's error type.

use std::path::PathBuf;

/// An error from opening, writing or reading a kamerzoek index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// `index-schema/schema.toml` is malformed or inconsistent.
    #[error("index-schema/schema.toml: {0}")]
    Schema(String),
    /// The Dutch analysis data could not be loaded.
    #[error("Dutch analysis: {0}")]
    Analysis(String),
    /// The folder holds no kamerzoek index.
    #[error("{0}: no kamerzoek index here (create one with `kamerzoek index PATH --index DIR`)")]
    NotAnIndex(PathBuf),
    /// The index on disk was built with another schema version.
    #[error(
        "{path}: index was built with schema version {found}, this kamerzoek uses {expected}; re-index into a new folder"
    )]
    SchemaVersion {
        /// Index folder.
        path: PathBuf,
        /// Version found on disk.
        found: u64,
        /// Version this build uses.
        expected: u64,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "{0}: another kamerzoek process is writing to this index (writer lock held); wait for it to finish"
    )]
    Locked(PathBuf),
    /// A filesystem error.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An error from tantivy.
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
