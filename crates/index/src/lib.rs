//! The kamerzoek tantivy index: its schema (from `index-schema/schema.toml`), Dutch analysis
//! registration, and writing parsed documents as one tantivy document per section.
//!
//! Indexing is resumable: every file's content hash is stored, so a re-run skips what the last
//! commit already holds and replaces what changed; commits happen periodically, so an interrupted
//! run loses at most the work since the last commit.
#![deny(missing_docs)]

mod convert;
mod directory;
mod error;
mod merge;
mod run;
mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use directory::DeferredSyncDirectory;
use kamerzoek_analysis::DutchAnalysis;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, META_LOCK};
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use convert::{StoredMeta, StoredRef, parse_iso_date, stable_hash};
pub use error::IndexError;
pub use run::{
    DocWarning, IndexOptions, IndexSummary, Progress, SkippedFile, index_documents, index_paths,
};
pub use schema::{FieldDef, FieldKind, Fields, SCHEMA_TOML, SchemaDef};

/// The file beside tantivy's own that records which schema version built the index.
const VERSION_FILE: &str = "kamerzoek-schema-version";
/// Holds the fingerprint of the parser and analysis that read every document of the index
/// (see [`KamerIndex::parser_is_current`]); written by an indexing run.
const PARSER_FILE: &str = "kamerzoek-parser";

/// An open kamerzoek index.
#[derive(Clone)]
pub struct KamerIndex {
    dir: PathBuf,
    index: Index,
    def: SchemaDef,
    fields: Fields,
    analysis: DutchAnalysis,
    /// Loaded on first use (indexing), shared by the clones: a search never needs it.
    topics: std::sync::Arc<std::sync::OnceLock<Option<kamerzoek_topics::TopicModel>>>,
}

impl std::fmt::Debug for KamerIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KamerIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The indexing threads tantivy's writer runs at most (`MAX_NUM_THREAD` of its `index_writer`),
/// one per core below that.
const TANTIVY_MAX_THREADS: usize = 8;

impl KamerIndex {
    /// Opens the index in `dir`, creating it (and the folder) when absent.
    ///
    /// # Errors
    /// When the folder cannot be created, holds an index of another schema version, or the
    /// schema or analysis data are invalid.
    pub fn open_or_create(dir: &Path) -> Result<KamerIndex, IndexError> {
        if dir.join("meta.json").exists() {
            return KamerIndex::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let def = SchemaDef::load()?;
        let schema = def.compile();
        let directory = DeferredSyncDirectory::open(dir).map_err(io_err(dir))?;
        let index = Index::open_or_create(directory, schema)?;
        std::fs::write(dir.join(VERSION_FILE), def.version.to_string()).map_err(io_err(dir))?;
        KamerIndex::wrap(dir, index, def)
    }

    /// Opens an existing index.
    ///
    /// # Errors
    /// [`IndexError::NotAnIndex`] when `dir` holds none; [`IndexError::SchemaVersion`] when it
    /// was built by an incompatible kamerzoek.
    pub fn open(dir: &Path) -> Result<KamerIndex, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::NotAnIndex(dir.to_path_buf()));
        }
        let def = SchemaDef::load()?;
        let found: u64 = std::fs::read_to_string(dir.join(VERSION_FILE))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let directory = DeferredSyncDirectory::open(dir).map_err(io_err(dir))?;
        let index = Index::open(directory)?;
        if found != def.version || !same_schema(&index.schema(), &def.compile()) {
            return Err(IndexError::SchemaVersion {
                path: dir.to_path_buf(),
                found,
                expected: def.version,
            });
        }
        KamerIndex::wrap(dir, index, def)
    }

    fn wrap(dir: &Path, mut index: Index, def: SchemaDef) -> Result<KamerIndex, IndexError> {
        // tantivy compresses each segment's stored fields on a thread of its own, by default. Its
        // writer runs one indexing thread per core (up to 8): where no core is spare, that thread
        // only preempts the indexing threads, block by block. On 2 cores, compressing in the
        // indexing thread cut a 10k-section run's context switches from 2,050–2,360 to 500–620
        // and its CPU time by 6 % (`perf stat`, side by side). (The setting is public but
        // `#[doc(hidden)]` in tantivy 0.27: check it on an upgrade.)
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        index.settings_mut().docstore_compress_dedicated_thread = cores > TANTIVY_MAX_THREADS;
        // What only indexing needs (the compound lexicon, the topic model: tens of milliseconds
        // each) is loaded by `writer` (or on first use), so that a search does not wait for it.
        let analysis = DutchAnalysis::load().map_err(|e| IndexError::Analysis(e.to_string()))?;
        analysis.register(index.tokenizers());
        let fields = Fields::resolve(&index.schema())?;
        Ok(KamerIndex {
            dir: dir.to_path_buf(),
            index,
            def,
            fields,
            analysis,
            topics: Default::default(),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying tantivy index (for the query crate).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// The schema definition the index was opened with.
    pub fn schema_def(&self) -> &SchemaDef {
        &self.def
    }

    /// Resolved field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The Dutch analysis registered on this index.
    pub fn analysis(&self) -> &DutchAnalysis {
        &self.analysis
    }

    /// The model that infers topics for documents without metadata topics.
    ///
    /// Loaded from the embedded data on the first call (or by [`KamerIndex::writer`]); `None`
    /// when that data does not load: the model is an aid for documents without metadata, and
    /// an index works without it.
    pub fn topic_model(&self) -> Option<&kamerzoek_topics::TopicModel> {
        self.topics
            .get_or_init(|| kamerzoek_topics::TopicModel::load().ok())
            .as_ref()
    }

    /// A reader that follows commits made by other processes.
    ///
    /// # Errors
    /// When tantivy cannot open the segments.
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// Takes the index's single writer with a memory budget in bytes.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another process (or writer) holds the lock;
    /// [`IndexError::Analysis`] when the compound lexicon is malformed.
    pub fn writer(&self, memory_budget: usize) -> Result<IndexWriter<TantivyDocument>, IndexError> {
        // What indexing needs and a search does not, side by side: the topic model, and the
        // compound lexicon (checked here; its dictionary then builds in the background).
        std::thread::scope(|scope| {
            scope.spawn(|| self.topic_model());
            self.analysis.prepare_compound_splitting()
        })
        .map_err(|e| IndexError::Analysis(e.to_string()))?;
        match self.index.writer(memory_budget) {
            Ok(w) => {
                w.set_merge_policy(Box::new(merge::CappedMergePolicy::new(
                    merge::MAX_MERGE_SECTIONS,
                )));
                Ok(w)
            }
            Err(tantivy::TantivyError::LockFailure(..)) => {
                Err(IndexError::Locked(self.dir.clone()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The segment files in the folder that the last commit (`meta.json`) does not name: what
    /// an interrupted run left, or what tantivy left after its last clean-up, such as the
    /// output of a merge it abandoned because a commit meanwhile dropped one of the merged
    /// segments (all its documents deleted). Cheap: one folder listing and `meta.json`.
    fn stray_segment_files(&self) -> Vec<PathBuf> {
        let (Ok(metas), Ok(entries)) = (self.index.load_metas(), std::fs::read_dir(&self.dir))
        else {
            return Vec::new();
        };
        let named = metas.list_segment_files();
        entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| directory::is_segment_file(name) && !named.contains(Path::new(name)))
            .map(PathBuf::from)
            .collect()
    }

    /// Removes the segment files that the last commit does not name; nothing when there are
    /// none (the usual case: a folder listing, no lock) or when another writer has taken the
    /// index meanwhile (its own clean-up will).
    ///
    /// Not through tantivy's garbage collection: that keeps every segment some object in this
    /// process still refers to, and the thread that ran an abandoned merge lets go of the
    /// merge's output only after the writer has stopped waiting for it (a race the end-to-end
    /// SIGKILL test lost now and then). Once the writer is gone, nothing in this process
    /// writes to a segment the last commit does not name.
    pub(crate) fn remove_stray_segment_files(&self) -> Result<(), IndexError> {
        if self.stray_segment_files().is_empty() {
            return Ok(());
        }
        let directory = self.index.directory();
        // The writer lock: no commit can name a segment meanwhile. The meta lock: no reader is
        // between reading an older `meta.json` and opening the segments it named.
        let _writer = match directory.acquire_lock(&INDEX_WRITER_LOCK) {
            Ok(lock) => lock,
            Err(LockError::LockBusy) => return Ok(()),
            Err(LockError::IoError(e)) => {
                return Err(IndexError::Io {
                    path: self.dir.join(&INDEX_WRITER_LOCK.filepath),
                    source: std::io::Error::new(e.kind(), e.to_string()),
                });
            }
        };
        let _meta = directory
            .acquire_lock(&META_LOCK)
            .map_err(|e| tantivy::TantivyError::LockFailure(e, None))?;
        for file in self.stray_segment_files() {
            let path = self.dir.join(file);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io_err(&path)(e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether every document in the index was read by this build's parser and analysis (the
    /// fingerprint of their code and data that `build.rs` computes). After an upgrade that
    /// parses or analyses differently it is `false` until `kamerzoek index` has read every
    /// indexed file again: until then older documents keep the terms the older analysis gave
    /// them, and a query may miss some of them.
    pub fn parser_is_current(&self) -> bool {
        std::fs::read_to_string(self.dir.join(PARSER_FILE))
            .ok()
            .and_then(|s| u64::from_str_radix(s.trim(), 16).ok())
            == Some(convert::PARSER_FINGERPRINT)
    }

    /// Records that every document was read by this build's parser.
    pub(crate) fn record_parser_current(&self) -> Result<(), IndexError> {
        std::fs::write(
            self.dir.join(PARSER_FILE),
            format!("{:016x}\n", convert::PARSER_FINGERPRINT),
        )
        .map_err(io_err(&self.dir))
    }

    /// The content hash of every indexed source, as of the last commit.
    ///
    /// # Errors
    /// When the fast fields cannot be read.
    pub fn indexed_sources(&self) -> Result<HashMap<String, u64>, IndexError> {
        let searcher = self.reader()?.searcher();
        let mut out = HashMap::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let hashes = ff.u64("content_hash")?;
            let index = ff.u64("section_index")?;
            let Some(sources) = ff.str("source")? else {
                continue;
            };
            let mut buf = String::new();
            for doc in seg.doc_ids_alive() {
                if index.first(doc) != Some(0) {
                    continue;
                }
                let (Some(h), Some(ord)) = (hashes.first(doc), sources.term_ords(doc).next())
                else {
                    continue;
                };
                buf.clear();
                if sources
                    .ord_to_str(ord, &mut buf)
                    .map_err(io_err(&self.dir))?
                {
                    out.insert(buf.clone(), h);
                }
            }
        }
        Ok(out)
    }

    /// Counts of what the index holds.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let searcher = self.reader()?.searcher();
        let mut per_type: std::collections::BTreeMap<String, u64> = Default::default();
        let mut documents = 0;
        for seg in searcher.segment_readers() {
            let index = seg.fast_fields().u64("section_index")?;
            let types = seg.facet_reader("type")?;
            let mut names: HashMap<u64, String> = HashMap::new();
            for doc in seg.doc_ids_alive() {
                if index.first(doc) != Some(0) {
                    continue;
                }
                documents += 1;
                for ord in types.facet_ords(doc) {
                    let name = match names.get(&ord) {
                        Some(n) => n.clone(),
                        None => {
                            let mut f = tantivy::schema::Facet::root();
                            types.facet_from_ord(ord, &mut f)?;
                            let n = f.to_path().join("/");
                            names.insert(ord, n.clone());
                            n
                        }
                    };
                    *per_type.entry(name).or_default() += 1;
                }
            }
        }
        let mut size_bytes = 0;
        if let Ok(rd) = std::fs::read_dir(&self.dir) {
            for e in rd.flatten() {
                size_bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
        let last_commit = std::fs::metadata(self.dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        Ok(IndexStats {
            documents,
            sections: searcher.num_docs(),
            per_type,
            size_bytes,
            segments: searcher.segment_readers().len(),
            last_commit_unix: last_commit,
            parser_current: self.parser_is_current(),
        })
    }

    /// The term that deletes every section of one source.
    pub(crate) fn source_term(&self, source: &str) -> Term {
        Term::from_field_text(self.fields.source, source)
    }
}

/// Counts describing an index.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexStats {
    /// Documents (files) indexed.
    pub documents: u64,
    /// Sections (tantivy documents).
    pub sections: u64,
    /// Documents per document type.
    pub per_type: std::collections::BTreeMap<String, u64>,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Number of segments.
    pub segments: usize,
    /// Time of the last commit, seconds since the Unix epoch.
    pub last_commit_unix: Option<u64>,
    /// Whether every document was read by this build's parser and analysis
    /// ([`KamerIndex::parser_is_current`]).
    pub parser_current: bool,
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use tantivy::directory::TerminatingWrite;
    use tantivy::index::SegmentComponent;

    use super::*;

    /// The output of a merge that tantivy abandoned, while the merge's thread still refers to it
    /// (so tantivy's own clean-up keeps it): gone once no other writer holds the index.
    #[test]
    fn segment_files_no_commit_names_go_though_this_process_still_refers_to_them() {
        let dir = directory::tests::scratch("stray");
        let index = KamerIndex::open_or_create(&dir).unwrap();
        let segment = index.index.new_segment();
        let mut file = segment.open_write(SegmentComponent::Store).unwrap();
        file.write_all(b"a merged segment").unwrap();
        file.terminate().unwrap();
        let store = dir.join(segment.meta().relative_path(SegmentComponent::Store));
        assert!(store.exists() && !index.stray_segment_files().is_empty());

        // Another writer holds the index: its own clean-up is left to it.
        let other_writer = index
            .index
            .directory()
            .acquire_lock(&INDEX_WRITER_LOCK)
            .unwrap();
        index.remove_stray_segment_files().unwrap();
        assert!(store.exists());
        drop(other_writer);

        index.remove_stray_segment_files().unwrap();
        assert!(!store.exists() && index.stray_segment_files().is_empty());
        assert_eq!(index.stats().unwrap().sections, 0, "the index still opens");
        drop(segment);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
