//! Turns Dutch parliamentary documents (OCR'd beslisnota's, Word-exported Kamerbrieven, published
//! Kamerstukken, officielebekendmakingen motion XML) into structured [`Document`]s: metadata,
//! sections, references and ministries.
//!
//! ```
//! let ingester = kamerzoek_ingest::Ingester::new()?;
//! let text = "Tweede Kamer der Staten-Generaal\nDe Kamer,\ngehoord de beraadslaging,\n\
//!             constaterende dat de vrouwenopvang vol zit;\n\
//!             verzoekt de regering de opvang uit te breiden (Kamerstuk 28345-288),\n\
//!             en gaat over tot de orde van de dag.";
//! let doc = ingester.parse_bytes("motie.txt", text.as_bytes())?;
//! assert_eq!(doc.doc_type, kamerzoek_ingest::DocType::Motie);
//! assert_eq!(doc.references[0].key.as_deref(), Some("28345-288"));
//! # Ok::<(), kamerzoek_ingest::IngestError>(())
//! ```
#![deny(missing_docs)]

mod build;
mod clean;
mod config;
mod decode;
mod document;
mod error;
mod formats;
mod refs;
mod sections;
mod xml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::{Ministry, MinistryTable};
pub use document::{
    DocType, Document, Footnote, Reference, ReferenceKind, Section, SectionKind, Submitter,
};
pub use error::{ErrorKind, IngestError};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads a file to parse, refusing one larger than [`MAX_FILE_BYTES`] before reading it (a
/// stray disk image in a folder of letters must not take the machine's memory).
///
/// # Errors
/// [`ErrorKind::Io`] naming the file: unreadable, or over the limit.
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let err = |e: std::io::Error| IngestError::new(path, ErrorKind::Io(e.to_string()));
    let too_large = |len: u64| {
        IngestError::new(
            path,
            ErrorKind::Io(format!(
                "file of {} MB exceeds the {} MB limit",
                len >> 20,
                MAX_FILE_BYTES >> 20
            )),
        )
    };
    // One `statx`, of the open file: `fs::metadata` and then `fs::read` (which asks the open
    // file again) made two of the three per file of an indexing run.
    let file = std::fs::File::open(path).map_err(err)?;
    let len = file.metadata().map_err(err)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // Through `take`, which asks for no size again, and stops a file that grows past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parses files with the data from `index-schema/ingest/` loaded once.
#[derive(Debug, Clone)]
pub struct Ingester {
    ministries: MinistryTable,
    patterns: config::Patterns,
}

impl Ingester {
    /// Loads and validates the embedded ministry list and patterns.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] naming the data file and what is wrong in it.
    pub fn new() -> Result<Ingester, IngestError> {
        let (ministries, patterns) = config::load()?;
        Ok(Ingester {
            ministries,
            patterns,
        })
    }

    /// The ministry code list.
    pub fn ministries(&self) -> &MinistryTable {
        &self.ministries
    }

    /// Reads and parses one file.
    ///
    /// # Errors
    /// An [`IngestError`] naming the file: unreadable, empty, binary, malformed XML, ...
    pub fn parse_file(&self, path: &Path) -> Result<Document, IngestError> {
        let bytes = read_file(path)?;
        self.parse_bytes(&path.to_string_lossy(), &bytes)
    }

    /// Parses the bytes of a file named `source` (text, Kamerstuk XML, PDF or .docx, detected
    /// from the content, not the name).
    ///
    /// # Errors
    /// An [`IngestError`] naming `source`.
    pub fn parse_bytes(&self, source: &str, bytes: &[u8]) -> Result<Document, IngestError> {
        let err = |k| IngestError::new(source, k);
        let id = Path::new(source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| source.to_string());
        if formats::is_binary_document(bytes) {
            let layout = formats::read(bytes, &self.patterns).map_err(err)?;
            let mut doc =
                build::from_text(id, source, &layout.text, &self.ministries, &self.patterns);
            if doc.sections.iter().all(|s| s.text.trim().is_empty()) && doc.title.is_none() {
                return Err(err(ErrorKind::NoText));
            }
            // The letterhead names the sending ministry when the text itself did not.
            if doc.ministries.is_empty()
                && let Some(head) = &layout.letterhead
            {
                doc.ministries = self.ministries.find_all(head);
                doc.ministries_mentioned
                    .retain(|m| !doc.ministries.contains(m));
            }
            if doc.kenmerk.is_none() {
                doc.kenmerk = layout.kenmerk;
            }
            doc.pages = layout.pages;
            doc.warnings.splice(0..0, layout.warnings);
            return Ok(doc);
        }
        let (text, warning) = decode::decode(bytes).map_err(err)?;
        let trimmed = text.trim_start();
        let mut doc = if trimmed.starts_with("<?xml")
            || trimmed.starts_with("<officiele-publicatie")
            || trimmed.starts_with('<') && source.ends_with(".xml")
        {
            let x = xml::parse(&text).map_err(err)?;
            build::from_xml(id, source, x, &self.ministries, &self.patterns)
        } else {
            build::from_text(id, source, &text, &self.ministries, &self.patterns)
        };
        if doc.sections.iter().all(|s| s.text.trim().is_empty()) && doc.title.is_none() {
            return Err(err(ErrorKind::NoText));
        }
        if let Some(w) = warning {
            doc.warnings.insert(0, w);
        }
        Ok(doc)
    }

    /// Parses many files in parallel; results come back in the order of `paths`.
    pub fn parse_paths(&self, paths: &[PathBuf]) -> Vec<Result<Document, IngestError>> {
        paths.par_iter().map(|p| self.parse_file(p)).collect()
    }
}

/// Walks files and folders (sorted, deterministic; symlinks followed without looping; hidden
/// files skipped), returning the files and the errors met while walking.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(e) if e.file_type().is_dir() => {}
                // Opening a socket fails and a FIFO blocks until a writer comes: say so rather
                // than drop it silently or hang.
                Ok(e) => errors.push(IngestError::new(
                    e.path(),
                    ErrorKind::Io(format!("not a regular file ({})", kind_of(e.file_type()))),
                )),
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    };
                    errors.push(IngestError::new(path, ErrorKind::Io(reason)));
                }
            }
        }
    }
    (files, errors)
}

/// What a walked entry is that is neither a file nor a folder.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_socket() {
            return "socket";
        }
        if t.is_fifo() {
            return "named pipe";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    let _ = t;
    "special file"
}
