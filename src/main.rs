//! The `kamerzoek` command: argument parsing and printing only.

mod print;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kamerzoek::index::{IndexOptions, KamerIndex};
use kamerzoek::ingest::Ingester;
use kamerzoek::{Filters, Grouping, SearchRequest, Searcher, Sort};

/// Full-text search for Dutch parliamentary correspondence.
///
/// Exit codes: 0 success (search: at least one hit), 1 nothing found or some files skipped,
/// 2 error.
#[derive(Parser)]
#[command(name = "kamerzoek", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files or folders and print the structured documents.
    Parse {
        /// Files or folders (walked recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = DocFormat::Json)]
        format: DocFormat,
    },
    /// Show the tokens the index would store for a text.
    Analyze {
        /// The text to analyse.
        text: String,
        /// Analyse as a query (no compound parts).
        #[arg(long)]
        query: bool,
        #[arg(long, value_enum, default_value_t = OutFormat::Human)]
        format: OutFormat,
    },
    /// Index files or folders (re-running skips unchanged files and replaces changed ones).
    Index {
        /// Files or folders (walked recursively); with --documents, JSON-lines files of parsed
        /// documents (`-`: standard input).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The paths hold parsed documents, one JSON object per line, as `kamerzoek parse
        /// --format jsonl` writes them; each document's `source` is its key.
        #[arg(long)]
        documents: bool,
        #[command(flatten)]
        index: IndexArg,
        /// Writer memory budget in MB.
        #[arg(long, default_value_t = 256)]
        memory_mb: usize,
        /// Commit at least every this many seconds.
        #[arg(long, default_value_t = 10)]
        commit_secs: u64,
        /// Files parsed per batch (a commit may follow each batch).
        #[arg(long, default_value_t = 512)]
        batch_size: usize,
        #[arg(long, value_enum, default_value_t = OutFormat::Human)]
        format: OutFormat,
    },
    /// Search with filters and facets.
    Search {
        /// Query text: words, "phrases", AND/OR/NOT, +/-, field:word, prefix*, fuzzy~,
        /// date:[2024-01-01 TO 2024-12-31].
        #[arg(default_value = "")]
        query: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        index: IndexArg,
        #[arg(long, value_enum, default_value_t = SearchFormat::Human)]
        format: SearchFormat,
        /// Hits returned.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Hits skipped.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// One hit per document (with its best sections) or per section.
        #[arg(long, value_enum, default_value_t = GroupArg::Document)]
        group: GroupArg,
        /// Skip facet counts.
        #[arg(long)]
        no_facets: bool,
        /// Values listed per facet, most frequent first (0: all; counts are exact either way).
        #[arg(long, default_value_t = kamerzoek::DEFAULT_FACET_LIMIT)]
        facet_limit: usize,
        /// Every word required, always: no answer of documents holding some of the words when
        /// none holds them all.
        #[arg(long)]
        no_relax: bool,
    },
    /// Run JSON-lines requests (one per line: id, query, filters) and print JSON-lines results
    /// in input order.
    Batch {
        /// Request file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        #[command(flatten)]
        index: IndexArg,
    },
    /// Every document and section that cites a motion, oldest first.
    Motie {
        /// Kamerstuk key (`29279-890`) or dossier (`29279`).
        key: String,
        #[command(flatten)]
        index: IndexArg,
        #[arg(long, value_enum, default_value_t = OutFormat::Human)]
        format: OutFormat,
    },
    /// Counts of what an index holds.
    Stats {
        #[command(flatten)]
        index: IndexArg,
        #[arg(long, value_enum, default_value_t = OutFormat::Human)]
        format: OutFormat,
    },
}

#[derive(Args)]
struct IndexArg {
    /// Index folder.
    #[arg(
        long = "index",
        env = "KAMERZOEK_INDEX",
        default_value = "kamerzoek-index"
    )]
    dir: PathBuf,
}

#[derive(Args)]
struct FilterArgs {
    /// Ministry code or alias (repeatable).
    #[arg(long)]
    ministry: Vec<String>,
    /// Kamerstuk key or dossier (repeatable).
    #[arg(long)]
    motion: Vec<String>,
    /// Topic (repeatable).
    #[arg(long)]
    topic: Vec<String>,
    /// Document type: beslisnota, kamerbrief, motie, kamerstuk, unknown (repeatable).
    #[arg(long = "type")]
    doc_type: Vec<String>,
    /// Section kind: kernpunten, verzoek, ... (repeatable).
    #[arg(long)]
    section: Vec<String>,
    /// From date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Up to date.
    #[arg(long)]
    to: Option<String>,
    /// Year (repeatable).
    #[arg(long)]
    year: Vec<u32>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum DocFormat {
    Json,
    Jsonl,
    Human,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum OutFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum SearchFormat {
    Human,
    Json,
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
    DateAsc,
}

#[derive(Clone, Copy, ValueEnum)]
enum GroupArg {
    Document,
    Section,
}

/// mimalloc's `mi_option_purge_delay` and `mi_option_arena_eager_commit` (their places in
/// `mi_option_e`, mimalloc.h of v3), which libmimalloc-sys does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Sets mimalloc's options that must hold before its first allocation, which the Rust runtime
/// makes before `main`; the loader runs this first, from `.init_array`.
///
/// On Linux mimalloc commits its arenas eagerly, in huge pages where it can, so memory is
/// faulted in (and zeroed by the kernel) 2 MiB at a time whether or not it is used. On this VM
/// a page the host took back costs about 1 ms per MB at its first touch, which a run after a
/// pause of seconds pays in full. `index` 3 s apart, alternating, medians of 3 (2-core VM):
/// the real corpus 1.64 s wall (0.78 s system, peak RSS 283 MB) eager against 1.37 s (0.19 s,
/// 176 MB) on demand; 10k sections 0.47 against 0.33 s; 100k 2.58 against 2.45 s.
#[cfg(target_os = "linux")]
extern "C" fn set_allocator_options() {
    // SAFETY: sets a global option; no thread runs and nothing is allocated yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

fn main() -> ExitCode {
    // By default mimalloc hands memory that stays free for a second back to the kernel, and an
    // indexing run, which frees and reallocates tantivy's arenas segment after segment, then
    // faults it in again: the kernel zeroes each huge page anew (on the real corpus 220 MiB
    // purged, twice the page faults). Side by side on 2 cores, `index` of the real corpus
    // took 4.66 s wall and 8.41 s CPU with purging, 4.58 s and 8.25 s without (medians of 6
    // alternating runs); 100k sections 8.41 vs 8.31 s. The process keeps its peak memory until
    // it exits, which a command-line run costs anyway.
    // SAFETY: sets a global option before any thread starts; mimalloc reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("kamerzoek: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Parse { paths, format } => cmd_parse(&paths, format, &mut out)?,
        Command::Analyze {
            text,
            query,
            format,
        } => {
            let analysis = kamerzoek::analysis::DutchAnalysis::load()?;
            analysis.prepare_compound_splitting()?;
            let tokens = if query {
                analysis.analyze_query(&text)
            } else {
                analysis.analyze(&text)
            };
            match format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&tokens)?)?,
                OutFormat::Human => print::tokens(&mut out, &tokens)?,
            }
            ExitCode::SUCCESS
        }
        Command::Index {
            paths,
            documents,
            index,
            memory_mb,
            commit_secs,
            batch_size,
            format,
        } => {
            let options = IndexOptions {
                memory_budget: memory_mb.max(15) << 20,
                commit_interval: std::time::Duration::from_secs(commit_secs),
                batch_size: batch_size.max(1),
            };
            cmd_index(&paths, documents, &index.dir, &options, format, &mut out)?
        }
        Command::Search {
            query,
            filters,
            index,
            format,
            limit,
            offset,
            sort,
            group,
            no_facets,
            facet_limit,
            no_relax,
        } => {
            let searcher = open_searcher(&index.dir)?;
            let request = SearchRequest {
                query,
                filters: filters.into_filters(),
                sort: match sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::Date,
                    SortArg::DateAsc => Sort::DateAsc,
                },
                limit,
                offset,
                facets: !no_facets,
                facet_limit,
                group: match group {
                    GroupArg::Document => Grouping::Document,
                    GroupArg::Section => Grouping::Section,
                },
                relax: !no_relax,
                ..SearchRequest::default()
            };
            let results = searcher.search(&request)?;
            match format {
                SearchFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
                SearchFormat::Jsonl => {
                    for hit in &results.hits {
                        // Each line says what the whole answer's `relaxed` says.
                        let mut line = serde_json::to_value(hit)?;
                        line["relaxed"] = results.relaxed.into();
                        writeln!(out, "{}", serde_json::to_string(&line)?)?;
                    }
                }
                SearchFormat::Csv => print::csv(&mut out, &results)?,
                SearchFormat::Human => print::results(&mut out, &results, color)?,
            }
            if results.relaxed && matches!(format, SearchFormat::Csv) {
                eprintln!(
                    "kamerzoek: no document holds every word; the rows hold some of them (--no-relax for none)"
                );
            }
            if results.total == 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Batch { file, index } => cmd_batch(&file, &index.dir, &mut out)?,
        Command::Motie { key, index, format } => {
            let searcher = open_searcher(&index.dir)?;
            let report = searcher.motie(&key)?;
            match format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
                OutFormat::Human => print::motie(&mut out, &report, color)?,
            }
            if report.citations.is_empty() && report.motion.is_none() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Stats { index, format } => {
            let idx = KamerIndex::open(&index.dir)?;
            let stats = idx.stats()?;
            match format {
                OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
                OutFormat::Human => print::stats(&mut out, idx.dir(), &stats)?,
            }
            ExitCode::SUCCESS
        }
    };
    out.flush()?;
    Ok(code)
}

impl FilterArgs {
    fn into_filters(self) -> Filters {
        Filters {
            ministry: self.ministry,
            motion: self.motion,
            topic: self.topic,
            doc_type: self.doc_type,
            section: self.section,
            year: self.year,
            from: self.from,
            to: self.to,
        }
    }
}

/// Opens the index; on first use of the default index inside a kamerzoek checkout, builds it
/// from the bundled `corpus/` so that a search works out of the box.
fn open_searcher(dir: &Path) -> Result<Searcher> {
    let is_default = dir == Path::new("kamerzoek-index");
    if is_default
        && !dir.join("meta.json").exists()
        && Path::new("corpus").is_dir()
        && Path::new("index-schema/schema.toml").exists()
    {
        eprintln!(
            "kamerzoek: no index yet; indexing the bundled corpus/ into kamerzoek-index (first use)"
        );
        let index = KamerIndex::open_or_create(dir)?;
        let ingester = Ingester::new()?;
        let summary = kamerzoek::index::index_paths(
            &index,
            &ingester,
            &[PathBuf::from("corpus")],
            &IndexOptions::default(),
            &|_| {},
        )?;
        eprintln!(
            "kamerzoek: indexed {} documents ({} sections)",
            summary.indexed, summary.sections
        );
    }
    let searcher =
        Searcher::open(dir).with_context(|| format!("opening index {}", dir.display()))?;
    if !searcher.index().parser_is_current() {
        eprintln!("kamerzoek: note: {}", print::STALE_PARSER_NOTE);
    }
    Ok(searcher)
}

/// Files parsed together at most: enough to keep the cores busy, few enough that a folder of any
/// size holds only this many documents in memory.
const PARSE_CHUNK: usize = 256;

fn cmd_parse(paths: &[PathBuf], format: DocFormat, out: &mut impl Write) -> Result<ExitCode> {
    let ingester = Ingester::new()?;
    let (files, walk_errors) = kamerzoek::ingest::collect_files(paths);
    let mut failed = walk_errors.len();
    for e in &walk_errors {
        eprintln!("kamerzoek: {e}");
    }
    let mut printer = DocPrinter::default();
    for chunk in files.chunks(PARSE_CHUNK) {
        for d in ingester.parse_paths(chunk) {
            match d {
                Ok(doc) => printer.print(out, format, doc)?,
                Err(e) => {
                    failed += 1;
                    eprintln!("kamerzoek: {e}");
                }
            }
        }
        out.flush()?;
    }
    printer.finish(out, format)?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints parsed documents as they come. `json` is one object when exactly one document parsed
/// and else an array, so the first document waits until a second one (or the end) says which.
#[derive(Default)]
struct DocPrinter {
    /// The first document, while it is the only one.
    first: Option<kamerzoek::ingest::Document>,
    /// Documents printed as array elements.
    printed: usize,
}

impl DocPrinter {
    fn print(
        &mut self,
        out: &mut impl Write,
        format: DocFormat,
        doc: kamerzoek::ingest::Document,
    ) -> Result<()> {
        match format {
            DocFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(&doc)?)?,
            DocFormat::Human => print::document(out, &doc)?,
            DocFormat::Json if self.printed == 0 && self.first.is_none() => self.first = Some(doc),
            DocFormat::Json => {
                if let Some(first) = self.first.take() {
                    self.element(out, &first)?;
                }
                self.element(out, &doc)?;
            }
        }
        Ok(())
    }

    /// One element of the pretty-printed array, indented as `to_string_pretty` of the whole
    /// array indents it (the array of one, without its brackets).
    fn element(&mut self, out: &mut impl Write, doc: &kamerzoek::ingest::Document) -> Result<()> {
        let one = serde_json::to_string_pretty(std::slice::from_ref(doc))?;
        let inner = one
            .strip_prefix("[\n")
            .and_then(|s| s.strip_suffix("\n]"))
            .unwrap_or(&one);
        write!(
            out,
            "{}{inner}",
            if self.printed == 0 { "[\n" } else { ",\n" }
        )?;
        self.printed += 1;
        Ok(())
    }

    fn finish(self, out: &mut impl Write, format: DocFormat) -> Result<()> {
        if format == DocFormat::Json {
            match (self.first, self.printed) {
                (Some(doc), _) => writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?,
                (None, 0) => writeln!(out, "[]")?,
                (None, _) => writeln!(out, "\n]")?,
            }
        }
        Ok(())
    }
}

fn cmd_index(
    paths: &[PathBuf],
    documents: bool,
    dir: &Path,
    options: &IndexOptions,
    format: OutFormat,
    out: &mut impl Write,
) -> Result<ExitCode> {
    // The ingester's patterns compile (4 ms) while the index opens and the writer loads what
    // indexing needs.
    let ingester = (!documents).then(|| std::thread::spawn(Ingester::new));
    let index = KamerIndex::open_or_create(dir)?;
    let tty = std::io::stderr().is_terminal();
    let progress = |p: kamerzoek::index::Progress| {
        if tty {
            print::progress(p.done, p.total);
        }
    };
    let summary = if documents {
        kamerzoek::index::index_documents(&index, paths, options, &progress)?
    } else {
        let ingester = match ingester.map(std::thread::JoinHandle::join) {
            Some(Ok(built)) => built?,
            // The thread panicked or was never started: build it here, to report its error.
            _ => Ingester::new()?,
        };
        kamerzoek::index::index_paths(&index, &ingester, paths, options, &progress)?
    };
    if tty {
        eprintln!();
    }
    for s in &summary.skipped {
        eprintln!("kamerzoek: skipped {}: {}", s.path, s.reason);
    }
    for w in &summary.warnings {
        eprintln!("kamerzoek: warning {}: {}", w.path, w.warning);
    }
    let stats = index.stats()?;
    match format {
        OutFormat::Json => {
            let v = serde_json::json!({ "run": summary, "mb_per_s": summary.mb_per_s(), "index": stats });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Human => print::summary(out, &summary, &stats)?,
    }
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[derive(serde::Deserialize)]
struct BatchLine {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(flatten)]
    request: SearchRequest,
}

/// Requests answered together at most: enough to keep the cores busy, few enough that a batch
/// of any length holds only this many answers in memory.
const BATCH_CHUNK: usize = 256;

fn cmd_batch(file: &str, dir: &Path, out: &mut impl Write) -> Result<ExitCode> {
    let searcher = open_searcher(dir)?;
    let input: Box<dyn std::io::Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).with_context(|| format!("opening {file}"))?)
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, input);
    let mut chunk: Vec<(serde_json::Value, Result<SearchRequest, String>)> = Vec::new();
    let mut errors = 0;
    let mut line = String::new();
    for n in 1.. {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .with_context(|| format!("{file}: reading line {n}"))?;
        if read > 0 && !line.trim().is_empty() {
            chunk.push(batch_line(&line, n));
        }
        // Answered when the chunk is full, at the end, or when no further request is waiting
        // in the buffer: a script that writes one request and waits for its answer gets it.
        if read == 0 || chunk.len() >= BATCH_CHUNK || reader.buffer().is_empty() {
            errors += answer_chunk(&searcher, &chunk, out)?;
            chunk.clear();
        }
        if read == 0 {
            break;
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A batch line's id and request, or the reason it is none (naming line `n`).
fn batch_line(line: &str, n: usize) -> (serde_json::Value, Result<SearchRequest, String>) {
    match serde_json::from_str::<BatchLine>(line) {
        Ok(b) => (b.id, Ok(b.request)),
        Err(e) => {
            let id = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(serde_json::Value::Null);
            (id, Err(format!("line {n}: {e}")))
        }
    }
}

/// Searches a chunk's requests in parallel and prints every line's answer in input order;
/// returns how many were errors.
fn answer_chunk(
    searcher: &Searcher,
    chunk: &[(serde_json::Value, Result<SearchRequest, String>)],
    out: &mut impl Write,
) -> Result<usize> {
    if chunk.is_empty() {
        return Ok(0);
    }
    let requests: Vec<SearchRequest> = chunk
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().cloned())
        .collect();
    let mut answers = searcher.search_batch(&requests).into_iter();
    let mut errors = 0;
    for (id, req) in chunk {
        // `search_batch` answers each request, in order.
        let line = match req.as_ref().map(|_| answers.next()) {
            Ok(Some(Ok(res))) => serde_json::json!({
                "id": id, "total": res.total, "hits": res.hits, "facets": res.facets,
                "facet_values": res.facet_values,
                "total_documents": res.total_documents, "total_sections": res.total_sections,
                "relaxed": res.relaxed,
            }),
            Ok(Some(Err(e))) => serde_json::json!({ "id": id, "error": e.to_string() }),
            Ok(None) => serde_json::json!({ "id": id, "error": "no answer" }),
            Err(e) => serde_json::json!({ "id": id, "error": e }),
        };
        errors += usize::from(line.get("error").is_some());
        writeln!(out, "{}", serde_json::to_string(&line)?)?;
    }
    out.flush()?;
    Ok(errors)
}
