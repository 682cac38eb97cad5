//! One indexing run: walk, parse in parallel, skip unchanged files, replace changed ones, commit.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kamerzoek_ingest::{Document, Ingester};
use rayon::prelude::*;
use tantivy::indexer::UserOperation;

use crate::convert::{content_hash, section_documents};
use crate::{IndexError, KamerIndex};

/// Settings of an indexing run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Memory budget of the tantivy writer in bytes (shared by its threads).
    pub memory_budget: usize,
    /// Files parsed per batch; a commit may follow each batch.
    pub batch_size: usize,
    /// Commit at least this often, so an interruption loses little work.
    pub commit_interval: Duration,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            memory_budget: 256 << 20,
            batch_size: 512,
            commit_interval: Duration::from_secs(10),
        }
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedFile {
    /// The file (or folder) path.
    pub path: String,
    /// The reason, in words.
    pub reason: String,
}

/// A file that was indexed with a warning (a beslisnota without a Kernpunten heading, an
/// encoding guessed): indexed all the same, but worth a look.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocWarning {
    /// The file path.
    pub path: String,
    /// The warning, in words.
    pub warning: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IndexSummary {
    /// Files found under the given paths; documents read, when [`IndexSummary::documents_input`].
    pub files: usize,
    /// The run read parsed documents (JSON lines, [`index_documents`]), not files.
    pub documents_input: bool,
    /// Documents newly indexed or replaced in this run.
    pub indexed: usize,
    /// Of those, documents that replaced an older version of the same file.
    pub replaced: usize,
    /// Files already indexed with the same content.
    pub unchanged: usize,
    /// Sections written in this run.
    pub sections: usize,
    /// Bytes of the files parsed in this run.
    pub bytes: u64,
    /// Files (or folders) skipped, with reasons.
    pub skipped: Vec<SkippedFile>,
    /// Warnings of the files indexed in this run, in file order.
    pub warnings: Vec<DocWarning>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Commits made.
    pub commits: usize,
}

impl IndexSummary {
    /// Throughput over the bytes parsed, in MB/s.
    pub fn mb_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Progress reported after each batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Files handled so far.
    pub done: usize,
    /// Files in all; 0 where that is not known beforehand (documents read from JSON lines).
    pub total: usize,
}

enum Outcome {
    /// A file indexed before with the same content, by the same parser.
    Unchanged(String),
    /// A parsed file, converted: the Delete of its old version (if the last commit holds one)
    /// and the Add of each section.
    Parsed {
        source: String,
        bytes: u64,
        replaced: bool,
        ops: Vec<UserOperation>,
        warnings: Vec<DocWarning>,
    },
    Failed(SkippedFile),
}

/// Gives a document without metadata topics the model's topic, if it is confident; returns
/// whether it did.
fn infer_topics(index: &KamerIndex, doc: &mut Document) -> bool {
    if !doc.topics.is_empty() {
        return false;
    }
    let Some(model) = index.topic_model() else {
        return false;
    };
    // The sections as if joined by newlines (no word spans two of them).
    let texts: Vec<&str> = doc.sections.iter().map(|s| s.text.as_str()).collect();
    match model
        .predict_texts(doc.title.as_deref().unwrap_or(""), &texts)
        .into_iter()
        .next()
    {
        Some(guess) => {
            doc.topics.push(guess.topic);
            true
        }
        None => false,
    }
}

/// Reads, parses and converts one file (on a rayon thread).
fn prepare(
    index: &KamerIndex,
    ingester: &Ingester,
    known: &HashMap<String, u64>,
    parents: &HashMap<&Path, PathBuf>,
    path: &Path,
) -> Outcome {
    let source = source_key(path, parents);
    let bytes = match kamerzoek_ingest::read_file(path) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Failed(SkippedFile {
                path: path.display().to_string(),
                reason: e.kind().to_string(),
            });
        }
    };
    let hash = content_hash(&bytes);
    if known.get(&source) == Some(&hash) {
        return Outcome::Unchanged(source);
    }
    match ingester.parse_bytes(&path.to_string_lossy(), &bytes) {
        Ok(doc) => convert(
            index,
            known,
            doc,
            source,
            hash,
            bytes.len(),
            &path.display(),
        ),
        Err(e) => Outcome::Failed(SkippedFile {
            path: path.display().to_string(),
            reason: e.kind().to_string(),
        }),
    }
}

/// Reads and converts one line of a documents file (on a rayon thread): a [`Document`] as
/// `kamerzoek parse --format jsonl` writes it, keyed by its `source`.
fn prepare_document(
    index: &KamerIndex,
    known: &HashMap<String, u64>,
    at: &str,
    line: &[u8],
) -> Outcome {
    let failed = |reason: String| {
        Outcome::Failed(SkippedFile {
            path: at.to_string(),
            reason,
        })
    };
    let doc: Document = match serde_json::from_slice(line) {
        Ok(doc) => doc,
        Err(e) => {
            // serde names the line of the JSON text, always 1 here: the file's line is `at`.
            let reason = e.to_string();
            let reason = reason.rsplit_once(" at line ").map_or(&*reason, |(r, _)| r);
            return failed(format!(
                "not a kamerzoek document: {reason} (column {})",
                e.column()
            ));
        }
    };
    if doc.source.trim().is_empty() {
        return failed("the document's `source` is empty (it is the document's key)".to_string());
    }
    let hash = content_hash(line);
    if known.get(&doc.source) == Some(&hash) {
        return Outcome::Unchanged(doc.source);
    }
    let source = doc.source.clone();
    let warn_at = format!("{at} ({source})");
    convert(index, known, doc, source, hash, line.len(), &warn_at)
}

/// Turns a parsed document into the writer's operations (on a rayon thread): its topic, where
/// the model is confident and the metadata gives none, and its sections.
fn convert(
    index: &KamerIndex,
    known: &HashMap<String, u64>,
    mut doc: Document,
    source: String,
    hash: u64,
    bytes: usize,
    warn_at: &dyn std::fmt::Display,
) -> Outcome {
    let inferred = infer_topics(index, &mut doc);
    let docs = section_documents(
        &doc,
        &source,
        hash,
        index.fields(),
        index.schema_def(),
        inferred,
    );
    // Delete and add in one batch: the sections of a document land in one segment (the facet
    // counter relies on that) and a reader never sees both versions. A file new to the index
    // needs no Delete: each one held a BM25 weight (1 KB) until the commit, 28 MB of the 138 MB
    // heap peak when indexing the real corpus into a new index. (The writer adds one for a file
    // met twice in a run.)
    let replaced = known.contains_key(&source);
    let mut ops = Vec::with_capacity(docs.len() + 1);
    if replaced {
        ops.push(UserOperation::Delete(index.source_term(&source)));
    }
    ops.extend(docs.into_iter().map(UserOperation::Add));
    Outcome::Parsed {
        source,
        bytes: bytes as u64,
        replaced,
        ops,
        warnings: doc
            .warnings
            .into_iter()
            .map(|warning| DocWarning {
                path: warn_at.to_string(),
                warning,
            })
            .collect(),
    }
}

/// The canonical path of a file: its folder's canonical path (resolved once, in `parents`) and
/// its name, unless the file is itself a symlink. `canonicalize` costs a system call per path
/// component; run for every file it took 2 % of an indexing run.
fn source_key(path: &Path, parents: &HashMap<&Path, PathBuf>) -> String {
    let quick = path
        .parent()
        .and_then(|dir| parents.get(dir))
        .zip(path.file_name())
        .filter(|_| std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink()))
        .map(|(dir, name)| dir.join(name));
    quick
        .or_else(|| std::fs::canonicalize(path).ok())
        .unwrap_or_else(|| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// The canonical path of every folder that holds one of `files`.
fn canonical_parents(files: &[PathBuf]) -> HashMap<&Path, PathBuf> {
    let mut out = HashMap::new();
    for dir in files.iter().filter_map(|f| f.parent()) {
        if !out.contains_key(dir)
            && let Ok(canonical) = std::fs::canonicalize(dir)
        {
            out.insert(dir, canonical);
        }
    }
    out
}

/// Indexes every file under `paths` into `index` and commits.
///
/// A file that fails to read or parse is recorded in [`IndexSummary::skipped`] and the run goes
/// on; only index-level failures (lock held, disk full) end it with an error, and even then the
/// last commit stays intact.
///
/// # Errors
/// [`IndexError::Locked`] when another writer holds the index, or a tantivy error while writing.
pub fn index_paths(
    index: &KamerIndex,
    ingester: &Ingester,
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexSummary, IndexError> {
    let started = Instant::now();
    let writer = index.writer(options.memory_budget)?;
    let known = index.indexed_sources()?;
    let (files, walk_errors) = kamerzoek_ingest::collect_files(paths);
    let mut summary = IndexSummary {
        files: files.len(),
        ..Default::default()
    };
    summary
        .skipped
        .extend(walk_errors.iter().map(|e| SkippedFile {
            path: e.path().display().to_string(),
            reason: e.kind().to_string(),
        }));
    let batch_size = options.batch_size.max(1);
    feed(
        index,
        writer,
        options,
        &mut summary,
        &known,
        files.len(),
        progress,
        |tx| {
            let parents = &canonical_parents(&files);
            for batch in files.chunks(batch_size) {
                let outcomes: Vec<Outcome> = batch
                    .par_iter()
                    .map(|path| prepare(index, ingester, &known, parents, path))
                    .collect();
                if tx.send(outcomes).is_err() {
                    // The writer side stopped (an error): no more batches are wanted.
                    return;
                }
            }
        },
    )?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Indexes documents already parsed: JSON lines of [`Document`]s, as `kamerzoek parse --format
/// jsonl` writes them (or another tool that writes the same shape), read from each of `paths`
/// (`-` is standard input). A document's `source` is its key, as a file's path is for
/// [`index_paths`]: a document whose line is unchanged since the last run is skipped, one whose
/// line changed replaces its older version.
///
/// A line that is not a document is recorded in [`IndexSummary::skipped`] as `path:line`, with
/// serde's reason and column, and the run goes on; [`IndexSummary::files`] counts the documents
/// read. The lines are read as they are indexed, so a documents file of any size takes the
/// memory of a few batches.
///
/// Sections are indexed as the documents give them; the analysis (stems, compound parts) is
/// this version's. As for [`index_paths`], a run after which every document of the index was
/// written or found unchanged by this version marks the index current
/// ([`KamerIndex::parser_is_current`]): a document's stored hash covers this version's
/// fingerprint, so after an upgrade the same lines are indexed again.
///
/// ```no_run
/// use kamerzoek_index::{IndexOptions, KamerIndex, index_documents};
/// # fn main() -> Result<(), kamerzoek_index::IndexError> {
/// let index = KamerIndex::open_or_create(std::path::Path::new("kamerzoek-index"))?;
/// let paths = ["docs.jsonl".into()];
/// let summary = index_documents(&index, &paths, &IndexOptions::default(), &|_| {})?;
/// println!("{} documents, {} skipped", summary.indexed, summary.skipped.len());
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// [`IndexError::Locked`] when another writer holds the index, or a tantivy error while writing.
pub fn index_documents(
    index: &KamerIndex,
    paths: &[PathBuf],
    options: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexSummary, IndexError> {
    let started = Instant::now();
    let writer = index.writer(options.memory_budget)?;
    let known = index.indexed_sources()?;
    let mut summary = IndexSummary {
        documents_input: true,
        ..Default::default()
    };
    let batch_size = options.batch_size.max(1);
    let read = std::sync::atomic::AtomicUsize::new(0);
    feed(
        index,
        writer,
        options,
        &mut summary,
        &known,
        0,
        progress,
        |tx| {
            for path in paths {
                let label = path.display().to_string();
                let mut reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
                    Box::new(std::io::stdin().lock())
                } else {
                    match std::fs::File::open(path) {
                        Ok(f) => Box::new(BufReader::with_capacity(1 << 20, f)),
                        Err(e) => {
                            let failed = Outcome::Failed(SkippedFile {
                                path: label,
                                reason: e.to_string(),
                            });
                            if tx.send(vec![failed]).is_err() {
                                return;
                            }
                            continue;
                        }
                    }
                };
                let mut line_no = 0usize;
                let mut done = false;
                while !done {
                    // (line number, line) of the next batch.
                    let mut lines: Vec<(usize, Vec<u8>)> = Vec::with_capacity(batch_size);
                    let mut failed = None;
                    while lines.len() < batch_size {
                        let mut line = Vec::new();
                        match reader.read_until(b'\n', &mut line) {
                            Ok(0) => {
                                done = true;
                                break;
                            }
                            Ok(_) => {
                                line_no += 1;
                                // The line's hash is its document's content hash: a last line
                                // without its newline, or with `\r\n`, is the same document.
                                while line.last().is_some_and(u8::is_ascii_whitespace) {
                                    line.pop();
                                }
                                if !line.is_empty() {
                                    lines.push((line_no, line));
                                }
                            }
                            Err(e) => {
                                // A read error mid-file (a disk error, a pipe that broke):
                                // what was read is indexed, the rest of this file reported.
                                failed = Some(Outcome::Failed(SkippedFile {
                                    path: format!("{label}:{}", line_no + 1),
                                    reason: format!("read error, rest of the file skipped: {e}"),
                                }));
                                done = true;
                                break;
                            }
                        }
                    }
                    read.fetch_add(lines.len(), std::sync::atomic::Ordering::Relaxed);
                    let mut outcomes: Vec<Outcome> = lines
                        .par_iter()
                        .map(|(n, line)| {
                            prepare_document(index, &known, &format!("{label}:{n}"), line)
                        })
                        .collect();
                    outcomes.extend(failed);
                    if !outcomes.is_empty() && tx.send(outcomes).is_err() {
                        return;
                    }
                }
            }
        },
    )?;
    summary.files = read.into_inner();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The writer side of a run: `produce` reads, parses and converts batch after batch on a thread
/// of its own (each batch in parallel on rayon's pool) while this thread hands the previous
/// batch to the writer, in order, and commits every `commit_interval` and at the end. The
/// channel holds one finished batch, so at most three batches are in memory. When every source
/// the index held (`known`) was read again or found unchanged, the index is marked as this
/// parser's.
#[allow(clippy::too_many_arguments)]
fn feed(
    index: &KamerIndex,
    mut writer: tantivy::IndexWriter<tantivy::TantivyDocument>,
    options: &IndexOptions,
    summary: &mut IndexSummary,
    known: &HashMap<String, u64>,
    total: usize,
    progress: &(dyn Fn(Progress) + Sync),
    produce: impl FnOnce(std::sync::mpsc::SyncSender<Vec<Outcome>>) + Send,
) -> Result<(), IndexError> {
    let was_current = index.parser_is_current();
    // Every source this run found unchanged or read again: when that is every source the index
    // held, each of its documents is now this parser's. (Not needed when they were already.)
    let collect_seen = !was_current;
    let mut last_commit = Instant::now();
    let mut dirty = false;
    // Sources added in this run: a file met twice (named by two of `paths`) replaces itself.
    let mut added: HashSet<String> = HashSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut done = 0;
    let fed: Result<(), IndexError> = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
        scope.spawn(move || produce(tx));
        for outcomes in rx {
            done += outcomes.len();
            for outcome in outcomes {
                match outcome {
                    Outcome::Unchanged(source) => {
                        summary.unchanged += 1;
                        if collect_seen {
                            seen.insert(source);
                        }
                    }
                    Outcome::Failed(s) => summary.skipped.push(s),
                    Outcome::Parsed {
                        source,
                        bytes,
                        mut ops,
                        replaced,
                        warnings,
                    } => {
                        summary.warnings.extend(warnings);
                        summary.sections += ops.len() - usize::from(replaced);
                        if collect_seen {
                            seen.insert(source.clone());
                        }
                        if !added.insert(source.clone()) && !replaced {
                            ops.insert(0, UserOperation::Delete(index.source_term(&source)));
                        }
                        summary.bytes += bytes;
                        summary.indexed += 1;
                        summary.replaced += usize::from(replaced);
                        writer.run(ops)?;
                        dirty = true;
                    }
                }
            }
            progress(crate::Progress { done, total });
            if dirty && last_commit.elapsed() >= options.commit_interval {
                writer.commit()?;
                summary.commits += 1;
                dirty = false;
                last_commit = Instant::now();
            }
        }
        Ok(())
    });
    fed?;
    if dirty {
        writer.commit()?;
        summary.commits += 1;
    }
    writer.wait_merging_threads()?;
    // The files of segments no commit names: what an interrupted run left (a run with nothing to
    // commit does not reach tantivy's clean-up), or the output of a merge tantivy abandoned
    // after its last clean-up (a commit during the merge dropped a merged segment whose
    // documents were all replaced).
    index.remove_stray_segment_files()?;
    if was_current || known.keys().all(|k| seen.contains(k)) {
        index.record_parser_current()?;
    }
    Ok(())
}
