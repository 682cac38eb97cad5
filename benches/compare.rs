//! kamerzoek against SQLite FTS5 and Xapian: the same documents, the same queries, one run.
//!
//! ```text
//! cargo bench --bench compare -- [--corpus PATH]... [--scale 10000,100000] [--work DIR]
//!                                [--out FILE.md] [--repeat 3] [--peers-max-sections N]
//!                                [--no-real] [--reuse] [--generate-only]
//! cargo test --bench compare      # smoke: a tiny corpus, every engine, checks its own results
//! ```
//!
//! Per corpus: kamerzoek indexes the files (`kamerzoek index`, timed from outside, peak RSS
//! polled from /proc), `kamerzoek parse --format jsonl` hands the identical text to
//! `benches/peers.py` (FTS5 and Xapian, timed inside Python), then every engine runs
//! `benches/queries.jsonl` (latency, facets off and on, batch throughput on 1 and 2 threads)
//! and the relevance set `benches/relevance/` (scored by `benches/relevance/eval.py`).
//! The markdown report (with ratios) goes to stdout and `--out`; raw figures to `WORK/*.json`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kamerzoek::{SearchRequest, Searcher};
use serde_json::{Value, json};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const PYTHON: &str = "/usr/bin/python3";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn benches() -> PathBuf {
    root().join("benches")
}

/// The CLI under test: cargo's build of it, or `KAMERZOEK_BENCH_BIN` (a copy that a concurrent
/// `cargo build` cannot replace halfway through a long run).
fn kamerzoek() -> Command {
    let bin = std::env::var_os("KAMERZOEK_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_kamerzoek").into());
    let mut c = Command::new(bin);
    c.env_remove("KAMERZOEK_INDEX").env("NO_COLOR", "1");
    c
}

struct Opts {
    corpus: Vec<PathBuf>,
    scale: Vec<usize>,
    work: PathBuf,
    out: Option<PathBuf>,
    repeat: usize,
    batch_repeat: usize,
    /// Extra rounds of indexing with kamerzoek and FTS5 in turn, after the main run: one run
    /// each is at the mercy of a noisy machine, so the throughput floor is judged on the
    /// median of these.
    index_runs: usize,
    peers_max_sections: usize,
    smoke: bool,
    real: bool,
    /// Reuse `WORK/NAME/result.json` from an earlier run instead of measuring that corpus again
    /// (to render one report over runs made in several sittings).
    reuse: bool,
    /// Only write the scale corpora (outside the measurement lock), measure nothing.
    generate_only: bool,
}

fn parse_args() -> Opts {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let mut o = Opts {
        corpus: Vec::new(),
        scale: Vec::new(),
        work: target.join(if smoke {
            "compare-smoke"
        } else {
            "compare-work"
        }),
        out: None,
        repeat: if smoke { 1 } else { 3 },
        batch_repeat: if smoke { 1 } else { 2 },
        index_runs: if smoke { 1 } else { 5 },
        peers_max_sections: usize::MAX,
        smoke,
        real: true,
        reuse: false,
        generate_only: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--corpus" => o.corpus.push(PathBuf::from(val())),
            "--scale" => {
                o.scale = val()
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.replace('_', "").parse().expect("--scale N,N"))
                    .collect()
            }
            "--work" => o.work = PathBuf::from(val()),
            "--out" => o.out = Some(PathBuf::from(val())),
            "--repeat" => o.repeat = val().parse().expect("--repeat N"),
            "--batch-repeat" => o.batch_repeat = val().parse().expect("--batch-repeat N"),
            "--index-runs" => o.index_runs = val().parse().expect("--index-runs N"),
            "--peers-max-sections" => o.peers_max_sections = val().parse().expect("N"),
            "--no-real" => o.real = false,
            "--reuse" => o.reuse = true,
            "--generate-only" => o.generate_only = true,
            _ => {} // --bench and libtest flags
        }
    }
    if o.corpus.is_empty() {
        o.corpus
            .push(root().join("..").join("shared").join("corpus"));
    }
    o
}

fn main() {
    let o = parse_args();
    if let Err(e) = run(&o) {
        eprintln!("compare: {e}");
        if o.smoke && !e.to_string().starts_with("smoke checks") {
            println!("0 passed, 1 failed");
        }
        std::process::exit(1);
    }
}

fn run(o: &Opts) -> Res<()> {
    std::fs::create_dir_all(&o.work)?;
    let queries = read_queries(&benches().join("queries.jsonl"))?;
    let relevance = benches().join("relevance").join("queries.tsv");
    let qrels = benches().join("relevance").join("qrels.txt");
    if o.smoke {
        return smoke(o, &queries, &relevance, &qrels);
    }
    if o.generate_only {
        for &sections in &o.scale {
            eprintln!(
                "compare: corpus for {sections} sections in {}",
                generate(o, sections)?.display()
            );
        }
        return Ok(());
    }
    let mut report = String::new();
    report.push_str(&machine());
    let mut rows = Vec::new();
    if o.real {
        let r = compare(
            o,
            "real",
            &o.corpus,
            &queries,
            Some((&relevance, &qrels)),
            true,
            true,
        )?;
        report.push_str(&render(&r, true));
        rows.push(r);
        // The same relevance set with the "over ..." titles hidden from every engine.
        let hidden = hide_titles(o)?;
        let r = compare(
            o,
            "real-titles-hidden",
            &hidden,
            &queries,
            Some((&relevance, &qrels)),
            true,
            false,
        )?;
        report.push_str(&render_relevance(&r));
    }
    for &sections in &o.scale {
        let dir = generate(o, sections)?;
        let name = format!("gen-{sections}");
        let peers = sections <= o.peers_max_sections;
        let r = compare(o, &name, &[dir], &queries, None, peers, true)?;
        report.push_str(&render(&r, false));
        rows.push(r);
    }
    if rows.len() > 1 {
        report.push_str(&growth(&rows));
    }
    println!("{report}");
    if let Some(out) = &o.out {
        std::fs::write(out, &report)?;
    }
    std::fs::write(
        o.work.join("all.json"),
        serde_json::to_string_pretty(&rows)?,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// One corpus through every engine

fn compare(
    o: &Opts,
    name: &str,
    paths: &[PathBuf],
    queries: &[String],
    relevance: Option<(&Path, &Path)>,
    peers: bool,
    timing: bool,
) -> Res<Value> {
    let work = o.work.join(name);
    if o.reuse
        && let Ok(text) = std::fs::read_to_string(work.join("result.json"))
    {
        eprintln!(
            "compare[{name}]: reusing {}",
            work.join("result.json").display()
        );
        return Ok(serde_json::from_str(&text)?);
    }
    std::fs::create_dir_all(&work)?;
    eprintln!("compare[{name}]: indexing with kamerzoek");
    let mut kz = kamerzoek_index(paths, false, &work.join("kz-index"))?;
    eprintln!("compare[{name}]: {} sections; querying", kz["sections"]);
    let kz_run = relevance.map(|_| work.join("kamerzoek.run"));
    measure_kamerzoek(
        o,
        &work.join("kz-index"),
        queries,
        relevance.map(|r| r.0),
        kz_run.as_deref(),
        timing,
        &mut kz,
    )?;

    let mut result = json!({ "corpus": name, "paths": paths, "kamerzoek": kz });
    if peers {
        eprintln!("compare[{name}]: extracting text for the peers");
        let docs = work.join("docs.jsonl");
        let parse_seconds = extract_text(paths, &docs)?;
        let qfile = work.join("queries.jsonl");
        write_queries(&qfile, queries)?;
        eprintln!("compare[{name}]: peers");
        let mut cmd = Command::new(PYTHON);
        cmd.arg(benches().join("peers.py"))
            .arg("all")
            .arg("--docs")
            .arg(&docs)
            .arg("--work")
            .arg(&work)
            .arg("--queries")
            .arg(&qfile)
            .args(["--source-bytes", &kz["source_bytes"].to_string()])
            .args(["--repeat", &(if timing { o.repeat } else { 0 }).to_string()])
            .args(["--batch-repeat", &o.batch_repeat.to_string()]);
        if let Some((rq, _)) = relevance {
            cmd.arg("--relevance").arg(rq);
        }
        let out = cmd.stderr(Stdio::inherit()).output()?;
        if !out.status.success() {
            return Err(format!("peers.py failed: {}", out.status).into());
        }
        let p: Value = serde_json::from_slice(&out.stdout)?;
        result["peers"] = p["engines"].clone();
        // The peers index text kamerzoek already extracted; their rate with that step included
        // (kamerzoek's own index time always includes parsing the files).
        result["parse_seconds"] = json!(parse_seconds);
        let mb = f(&kz["source_bytes"]) / 1e6;
        if let Some(engines) = result["peers"].as_object_mut() {
            for e in engines.values_mut() {
                let secs = f(&e["seconds"]) + parse_seconds;
                e["mb_per_s_with_parse"] = json!(mb / secs);
            }
        }
        result["versions"] =
            json!({ "xapian": p["xapian_version"], "sqlite": p["sqlite_version"] });
        if timing && o.index_runs > 0 {
            result["index_side_by_side"] = index_side_by_side(o, name, paths, &work, &docs)?;
        }
    }
    if let (Some((rq, qrels)), Some(kz_run)) = (relevance, kz_run) {
        let mut cmd = Command::new(PYTHON);
        cmd.arg(benches().join("relevance").join("eval.py"))
            .arg(qrels)
            .arg(rq)
            .arg(&kz_run);
        if let Some(engines) = result["peers"].as_object() {
            for e in engines.values() {
                if let Some(runs) = e["runs"].as_object() {
                    cmd.args(runs.values().filter_map(Value::as_str));
                }
            }
        }
        let out = cmd.output()?;
        if !out.status.success() {
            return Err(format!("eval.py failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        result["relevance"] = serde_json::from_slice(&out.stdout)?;
    }
    std::fs::write(
        work.join("result.json"),
        serde_json::to_string_pretty(&result)?,
    )?;
    Ok(result)
}

/// Writes the text the peers index (`kamerzoek parse --format jsonl` of `paths`) to `out`;
/// returns the seconds the extraction took.
fn extract_text(paths: &[PathBuf], out: &Path) -> Res<f64> {
    let file = std::fs::File::create(out)?;
    let started = Instant::now();
    let status = kamerzoek()
        .arg("parse")
        .args(paths)
        .args(["--format", "jsonl"])
        .stdout(file)
        .stderr(Stdio::null())
        .status()?;
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!("kamerzoek parse failed: {status}").into());
    }
    Ok(started.elapsed().as_secs_f64())
}

/// `o.index_runs` rounds, each into a fresh index: kamerzoek indexing the files, then the text
/// extraction the peers need (`kamerzoek parse`, timed), then kamerzoek indexing that text
/// (`index --documents`, the same input as FTS5's), then FTS5 indexing it twice (timed inside
/// Python around its inserts, as in the main run: Python's own start, 0.1–0.2 s here, is no cost
/// of FTS5's): without journal and syncs, as in the main run, and durable, with SQLite's
/// defaults (kamerzoek syncs every commit, so that an interrupted run keeps the last one), the
/// two in turns of order. The engines meet the same moments of a noisy machine.
fn index_side_by_side(
    o: &Opts,
    name: &str,
    paths: &[PathBuf],
    work: &Path,
    docs: &Path,
) -> Res<Value> {
    eprintln!(
        "compare[{name}]: {} rounds of kamerzoek, the peers' text extraction and FTS5 in turn",
        o.index_runs
    );
    let (mut kz, mut fts5, mut extract) = (Vec::new(), Vec::new(), Vec::new());
    let (mut kz_text, mut fts5_durable) = (Vec::new(), Vec::new());
    // kamerzoek's own timer of the run (`run.seconds`: from taking the writer to the last
    // commit), which leaves out what FTS5's Python timer leaves out too: the process start, the
    // index folder's creation and the exit.
    let mut kz_text_internal = Vec::new();
    let db = work.join("fts5-rounds.db");
    let extracted = work.join("docs-rounds.jsonl");
    let main_text = std::fs::read(docs)?;
    for round in 0..o.index_runs {
        kz.push(f(&kamerzoek_index(
            paths,
            false,
            &work.join("kz-index-rounds"),
        )?["seconds"]));
        extract.push(extract_text(paths, &extracted)?);
        if std::fs::read(&extracted)? != main_text {
            return Err("kamerzoek parse wrote other text than in the main run".into());
        }
        let from_text = kamerzoek_index(
            std::slice::from_ref(&extracted),
            true,
            &work.join("kz-index-rounds"),
        )?;
        if from_text["skipped"] != 0 {
            return Err("kamerzoek index --documents skipped lines of its own parse".into());
        }
        kz_text.push(f(&from_text["seconds"]));
        kz_text_internal.push(f(&from_text["seconds_internal"]));
        if round % 2 == 0 {
            fts5.push(fts5_index_seconds(&extracted, &db, false)?);
            fts5_durable.push(fts5_index_seconds(&extracted, &db, true)?);
        } else {
            fts5_durable.push(fts5_index_seconds(&extracted, &db, true)?);
            fts5.push(fts5_index_seconds(&extracted, &db, false)?);
        }
    }
    let _ = std::fs::remove_dir_all(work.join("kz-index-rounds"));
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(&extracted);
    let median = |xs: &[f64]| {
        let mut v = xs.to_vec();
        pct(&mut v, 50.0)
    };
    let pipeline: Vec<f64> = extract.iter().zip(&fts5).map(|(a, b)| a + b).collect();
    Ok(json!({
        "rounds": o.index_runs,
        "kamerzoek_seconds": kz,
        "fts5_seconds": fts5,
        "extract_seconds": extract,
        "kamerzoek_documents_seconds": kz_text,
        "kamerzoek_median": median(&kz),
        "kamerzoek_documents_median": median(&kz_text),
        "kamerzoek_documents_internal_seconds": kz_text_internal,
        "kamerzoek_documents_internal_median": median(&kz_text_internal),
        "fts5_median": median(&fts5),
        "fts5_durable_seconds": fts5_durable,
        "fts5_durable_median": median(&fts5_durable),
        "extract_median": median(&extract),
        "fts5_pipeline_median": median(&pipeline),
    }))
}

/// FTS5 indexing `docs` into a fresh database `db`, timed inside Python around its inserts
/// (Python's own start, 0.1–0.2 s here, is no cost of FTS5's); `durable`: with SQLite's default
/// journal and syncs, as kamerzoek syncs its commits, instead of neither.
fn fts5_index_seconds(docs: &Path, db: &Path, durable: bool) -> Res<f64> {
    let _ = std::fs::remove_file(db);
    let out = Command::new(PYTHON)
        .arg(benches().join("peers.py"))
        .args(["index", "--engine", "fts5", "--docs"])
        .arg(docs)
        .arg("--db")
        .arg(db)
        .args(durable.then_some("--durable"))
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!("peers.py index failed: {}", out.status).into());
    }
    let v: Value = serde_json::from_slice(&out.stdout)?;
    let _ = std::fs::remove_file(db);
    Ok(f(&v["seconds"]))
}

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = match e.metadata() {
                Ok(m) => m,
                Err(_) => continue,
            };
            n += if m.is_dir() {
                dir_size(&e.path())
            } else {
                m.len()
            };
        }
    }
    n
}

/// Peak resident set of a running process, from /proc (kB → MB).
fn vm_hwm(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `kamerzoek index` of `paths` into a fresh `dir`, timed from outside; `documents`: the paths
/// are parsed documents (`index --documents`).
fn kamerzoek_index(paths: &[PathBuf], documents: bool, dir: &Path) -> Res<Value> {
    let _ = std::fs::remove_dir_all(dir);
    // The summary goes to a file: a pipe that nobody reads while the child runs would stop a
    // child whose summary (warnings, skipped files) outgrows the pipe's buffer.
    let summary_path = dir.with_extension("summary.json");
    let summary = std::fs::File::create(&summary_path)?;
    let started = Instant::now();
    let mut child = kamerzoek()
        .arg("index")
        .args(documents.then_some("--documents"))
        .args(paths)
        .arg("--index")
        .arg(dir)
        .args(["--format", "json"])
        .stdout(summary)
        .stderr(Stdio::null())
        .spawn()?;
    // The peak RSS is polled on a thread of its own while this one waits for the child: a
    // poll loop here would round the run's time up to its next poll (20 ms, a tenth of a run
    // at 10k sections), where FTS5's time is taken inside Python to the microsecond.
    let pid = child.id();
    let running = std::sync::atomic::AtomicBool::new(true);
    let (status, seconds, peak) = std::thread::scope(|scope| {
        let poller = scope.spawn(|| {
            let mut peak: f64 = 0.0;
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some(h) = vm_hwm(pid) {
                    peak = peak.max(h);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        let status = child.wait();
        let seconds = started.elapsed().as_secs_f64();
        running.store(false, std::sync::atomic::Ordering::Relaxed);
        (status, seconds, poller.join().unwrap_or(0.0))
    });
    let status = status?;
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!("kamerzoek index failed: {status}").into());
    }
    let v: Value = serde_json::from_slice(&std::fs::read(&summary_path)?)?;
    let _ = std::fs::remove_file(&summary_path);
    let bytes = v["run"]["bytes"].as_u64().unwrap_or(0);
    Ok(json!({
        "documents": v["index"]["documents"],
        "sections": v["index"]["sections"],
        "skipped": v["run"]["skipped"].as_array().map(|a| a.len()).unwrap_or(0),
        "source_bytes": bytes,
        "seconds": seconds,
        "seconds_internal": v["run"]["seconds"],
        "mb_per_s": bytes as f64 / 1e6 / seconds,
        // kamerzoek's own time always includes parsing the files.
        "mb_per_s_with_parse": bytes as f64 / 1e6 / seconds,
        "index_bytes": dir_size(dir),
        "peak_rss_mb": peak,
        // Each commit writes a segment per indexing thread, and the commit interval is in
        // seconds: the layout the queries run on depends on how fast the machine indexed.
        "segments": segment_count(dir),
    }))
}

/// Segments of the tantivy index in `dir`, from its `meta.json`.
fn segment_count(dir: &Path) -> Option<usize> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).ok()?).ok()?;
    meta["segments"].as_array().map(Vec::len)
}

fn pct(xs: &mut [f64], p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let k = ((p / 100.0) * (xs.len() - 1) as f64).round() as usize;
    xs[k.min(xs.len() - 1)]
}

/// A timed request: every word required, as the peers' timed queries (`and`), so kamerzoek's
/// relaxed answer to a query no document holds entirely (`relax`, its default) is timed on
/// its own ([`measure_kamerzoek`]'s "default" figures).
fn request(q: &str, facets: bool) -> SearchRequest {
    let mut r = SearchRequest::new(q);
    r.facets = facets;
    r.limit = 10;
    r.relax = false;
    r
}

fn measure_kamerzoek(
    o: &Opts,
    dir: &Path,
    queries: &[String],
    relevance: Option<&Path>,
    run_file: Option<&Path>,
    timing: bool,
    out: &mut Value,
) -> Res<()> {
    if !timing {
        let searcher = Searcher::open(dir)?;
        return relevance_run(&searcher, relevance, run_file);
    }
    // Cold: a fresh process opening the index and answering one query (median of 5 queries).
    let mut cold = Vec::new();
    for q in queries.iter().step_by((queries.len() / 5).max(1)).take(5) {
        let t = Instant::now();
        let status = kamerzoek()
            .args(["search", q, "--format", "json", "--index"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !matches!(status.code(), Some(0 | 1)) {
            return Err(format!("kamerzoek search {q:?} failed: {status}").into());
        }
        cold.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    out["cold_cli_ms"] = json!(pct(&mut cold, 50.0));

    let t = Instant::now();
    let searcher = Searcher::open(dir)?;
    searcher.search(&request(&queries[0], true))?;
    out["first_query_ms"] = json!(t.elapsed().as_secs_f64() * 1000.0);

    let mut with_hits = 0;
    for facets in [false, true] {
        for q in queries {
            searcher.search(&request(q, facets))?; // warm-up pass
        }
        let mut lat = Vec::with_capacity(queries.len() * o.repeat);
        for _ in 0..o.repeat {
            for q in queries {
                let t = Instant::now();
                let r = searcher.search(&request(q, facets))?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                if facets && !r.hits.is_empty() {
                    with_hits += 1;
                    if !r.facets.contains_key("type") {
                        return Err(format!("no facet counts for {q:?}").into());
                    }
                }
            }
        }
        let key = if facets { "facets" } else { "nofacets" };
        out[format!("mean_ms_{key}")] = json!(lat.iter().sum::<f64>() / lat.len() as f64);
        out[format!("p50_ms_{key}")] = json!(pct(&mut lat, 50.0));
        out[format!("p99_ms_{key}")] = json!(pct(&mut lat, 99.0));
    }
    // The facets-on figures above list the 50 most frequent values per facet (kamerzoek's
    // default; counts exact either way); the peers return every value, so the same with all.
    let (mut lat, _) = timed_pass(&searcher, queries, o.repeat, |q| SearchRequest {
        facet_limit: 0,
        ..request(q, true)
    })?;
    out["p50_ms_facetsall"] = json!(pct(&mut lat, 50.0));
    out["p99_ms_facetsall"] = json!(pct(&mut lat, 99.0));
    // kamerzoek's default: a query no document holds entirely is answered again with sections
    // holding a third of its words (or any one). Timed with facets on, as a user gets it.
    let (mut lat, relaxed_hits) = timed_pass(&searcher, queries, o.repeat, |q| SearchRequest {
        relax: true,
        ..request(q, true)
    })?;
    out["p50_ms_facets_relax"] = json!(pct(&mut lat, 50.0));
    out["p99_ms_facets_relax"] = json!(pct(&mut lat, 99.0));
    out["queries_with_hits_relax"] = json!(relaxed_hits);
    out["queries"] = json!(queries.len());
    out["queries_with_hits"] = json!(with_hits / o.repeat.max(1));

    // Each setting in `repeat` alternating rounds, reported as the median: one pass of a
    // second or less is at the mercy of the machine (the same binary gave 1,876 and 2,704 q/s
    // in two runs), and alternating spreads a slow spell over all settings alike.
    let pools = [1usize, 2].map(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build());
    // q/s per round, by thread count (1, 2) and facets (off, on).
    let mut rounds: [[Vec<f64>; 2]; 2] = Default::default();
    for _ in 0..o.repeat.max(1) {
        for (pool, by_facets) in pools.iter().zip(rounds.iter_mut()) {
            let pool = pool.as_ref().map_err(|e| e.to_string())?;
            for (facets, qps) in [false, true].into_iter().zip(by_facets.iter_mut()) {
                let reqs: Vec<SearchRequest> = (0..o.batch_repeat)
                    .flat_map(|_| queries.iter().map(|q| request(q, facets)))
                    .collect();
                let t = Instant::now();
                let res = pool.install(|| searcher.search_batch(&reqs));
                let secs = t.elapsed().as_secs_f64();
                if let Some(e) = res.iter().find_map(|r| r.as_ref().err()) {
                    return Err(format!("batch: {e}").into());
                }
                qps.push(reqs.len() as f64 / secs);
            }
        }
    }
    for (threads, by_facets) in [1, 2].into_iter().zip(rounds) {
        for (key, qps) in ["nofacets", "facets"].into_iter().zip(by_facets) {
            let key = format!("qps_{threads}t_{key}");
            out[&key] = json!(pct(&mut qps.clone(), 50.0));
            out[format!("{key}_rounds")] = json!(qps);
        }
    }
    out["search_rss_mb"] = json!(vm_hwm(std::process::id()));
    relevance_run(&searcher, relevance, run_file)
}

/// One warm-up pass of `make(q)` over `queries`, then `repeat` timed passes: each search's
/// milliseconds, and the queries with hits in one pass.
fn timed_pass(
    searcher: &Searcher,
    queries: &[String],
    repeat: usize,
    make: impl Fn(&str) -> SearchRequest,
) -> Res<(Vec<f64>, usize)> {
    for q in queries {
        searcher.search(&make(q))?;
    }
    let mut lat = Vec::with_capacity(queries.len() * repeat);
    let mut with_hits = 0;
    for _ in 0..repeat {
        for q in queries {
            let t = Instant::now();
            let r = searcher.search(&make(q))?;
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
            with_hits += usize::from(!r.hits.is_empty());
        }
    }
    Ok((lat, with_hits / repeat.max(1)))
}

/// Top 10 documents per relevance query, as a TREC run.
fn relevance_run(
    searcher: &Searcher,
    relevance: Option<&Path>,
    run_file: Option<&Path>,
) -> Res<()> {
    if let (Some(rel), Some(run)) = (relevance, run_file) {
        let mut w = std::io::BufWriter::new(std::fs::File::create(run)?);
        for line in std::io::BufReader::new(std::fs::File::open(rel)?).lines() {
            let line = line?;
            let Some((qid, text)) = line.split_once('\t') else {
                continue;
            };
            // As a user gets it: the default, relaxed where no document holds every word.
            let r = searcher.search(&SearchRequest {
                relax: true,
                ..request(text, false)
            })?;
            for (rank, h) in r.hits.iter().enumerate() {
                writeln!(
                    w,
                    "{qid} Q0 {} {} {} kamerzoek",
                    h.doc_id,
                    rank + 1,
                    h.score
                )?;
            }
        }
    }
    Ok(())
}

fn read_queries(p: &Path) -> Res<Vec<String>> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string(p)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)?;
        out.push(v["query"].as_str().ok_or("query without text")?.to_string());
    }
    Ok(out)
}

fn write_queries(p: &Path, qs: &[String]) -> Res<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(p)?);
    for (i, q) in qs.iter().enumerate() {
        writeln!(w, "{}", json!({ "id": i, "query": q }))?;
    }
    Ok(())
}

/// A copy of the motions without their `documenttitel` and `DC.title` metadata (the only places
/// the "over ..." text stands), plus the other real folders as they are. Written under the work
/// folder, never into the repository.
fn hide_titles(o: &Opts) -> Res<Vec<PathBuf>> {
    let dir = o.work.join("titles-hidden");
    let mut out = Vec::new();
    for c in &o.corpus {
        let moties = c.join("moties");
        if !moties.is_dir() {
            out.push(c.clone());
            continue;
        }
        let target = dir.join("moties");
        let _ = std::fs::remove_dir_all(&target);
        std::fs::create_dir_all(&target)?;
        for e in std::fs::read_dir(&moties)?.flatten() {
            let text = std::fs::read_to_string(e.path())?;
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| {
                    !l.contains("name=\"OVERHEIDop.documenttitel\"")
                        && !l.contains("name=\"DC.title\"")
                })
                .collect();
            std::fs::write(target.join(e.file_name()), kept.join("\n"))?;
        }
        out.push(target);
        for e in std::fs::read_dir(c)?.flatten() {
            if e.path() != moties && e.path().is_dir() {
                out.push(e.path());
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Scale corpora

/// Generates (or reuses) a corpus of about `sections` sections: the documents-per-section ratio
/// is measured first on a 400-document sample parsed by kamerzoek itself.
fn generate(o: &Opts, sections: usize) -> Res<PathBuf> {
    let gen_root = o.work.join("gen");
    std::fs::create_dir_all(&gen_root)?;
    let calib = gen_root.join("calibration");
    let ratio_file = gen_root.join("sections-per-doc");
    let ratio: f64 = match std::fs::read_to_string(&ratio_file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        Some(r) => r,
        None => {
            gen_corpus(&calib, 400, 4242, &gen_root)?;
            let out = kamerzoek()
                .arg("parse")
                .arg(&calib)
                .args(["--format", "jsonl"])
                .output()?;
            let (mut docs, mut secs) = (0usize, 0usize);
            for line in out.stdout.lines() {
                let v: Value = serde_json::from_str(&line?)?;
                docs += 1;
                secs += v["sections"]
                    .as_array()
                    .map(|a| a.len().max(1))
                    .unwrap_or(1);
            }
            if docs == 0 {
                return Err("kamerzoek parsed none of the generated documents".into());
            }
            let r = secs as f64 / docs as f64;
            std::fs::write(&ratio_file, r.to_string())?;
            r
        }
    };
    let docs = ((sections as f64 / ratio).ceil() as usize).max(1);
    let dir = gen_root.join(format!("s{sections}"));
    let marker = dir.join(".complete");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(&docs.to_string()) {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "compare: generating {docs} documents (~{sections} sections, {ratio:.2} per document)"
        );
        gen_corpus(&dir, docs, 42, &gen_root)?;
        std::fs::write(&marker, docs.to_string())?;
    }
    Ok(dir)
}

fn gen_corpus(dir: &Path, docs: usize, seed: u64, model_dir: &Path) -> Res<()> {
    let status = Command::new(PYTHON)
        .arg(benches().join("gen_corpus.py"))
        .arg("--out")
        .arg(dir)
        .args(["--docs", &docs.to_string(), "--seed", &seed.to_string()])
        .arg("--model")
        .arg(model_dir.join("gen-model.pickle"))
        .status()?;
    if !status.success() {
        return Err(format!("gen_corpus.py failed: {status}").into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Report

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("Machine: {cores} cores ({cpu}), {mem:.1} GiB RAM.\n\n")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// `a / b` as "1.23×".
fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() && b.is_finite() {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

fn render(r: &Value, relevance: bool) -> String {
    let kz = &r["kamerzoek"];
    let peers: Vec<(&str, &Value)> = ["fts5", "xapian"]
        .iter()
        .filter_map(|n| r["peers"].get(*n).map(|v| (*n, v)))
        .collect();
    let mut s = format!(
        "### Corpus `{}`: {} documents, {} sections, {:.1} MB of source files\n\n",
        r["corpus"].as_str().unwrap_or(""),
        kz["documents"],
        kz["sections"],
        f(&kz["source_bytes"]) / 1e6
    );
    s.push_str("| metric | kamerzoek |");
    for (n, _) in &peers {
        s.push_str(&format!(" {n} | kamerzoek vs {n} |"));
    }
    s.push_str("\n|---|---:|");
    for _ in &peers {
        s.push_str("---:|---:|");
    }
    s.push('\n');
    // (label, key, format, lower is better)
    let rows: &[(&str, &str, u8, bool)] = &[
        ("index time (s)", "seconds", 1, true),
        ("index MB/s (source bytes)", "mb_per_s", 2, false),
        (
            "index MB/s, peers incl. text extraction",
            "mb_per_s_with_parse",
            2,
            false,
        ),
        ("index size (MB)", "index_bytes", 3, true),
        ("peak RSS while indexing (MB)", "peak_rss_mb", 0, true),
        ("p50 latency, facets on (ms)", "p50_ms_facets", 2, true),
        ("p99 latency, facets on (ms)", "p99_ms_facets", 2, true),
        (
            "p50 latency, facets on, every value listed (ms)",
            "p50_ms_facetsall",
            2,
            true,
        ),
        (
            "p99 latency, facets on, every value listed (ms)",
            "p99_ms_facetsall",
            2,
            true,
        ),
        ("p50 latency, facets off (ms)", "p50_ms_nofacets", 2, true),
        ("p99 latency, facets off (ms)", "p99_ms_nofacets", 2, true),
        ("open + first query (ms)", "first_query_ms", 1, true),
        (
            "batch q/s, 1 thread, facets off",
            "qps_1t_nofacets",
            0,
            false,
        ),
        (
            "batch q/s, 2 threads, facets off",
            "qps_2t_nofacets",
            0,
            false,
        ),
        ("batch q/s, 1 thread, facets on", "qps_1t_facets", 0, false),
        ("batch q/s, 2 threads, facets on", "qps_2t_facets", 0, false),
        ("queries with hits", "queries_with_hits", 0, false),
    ];
    for (label, key, fmt, lower) in rows {
        let show = |v: &Value, key: &str| -> String {
            let x = f(&v[key]);
            if x.is_nan() {
                return "–".into();
            }
            match fmt {
                1 => format!("{x:.1}"),
                2 => format!("{x:.2}"),
                3 => format!("{:.1}", x / 1e6),
                _ => format!("{x:.0}"),
            }
        };
        s.push_str(&format!("| {label} | {} |", show(kz, key)));
        for (_, p) in &peers {
            // The peers always list every facet value: their facets-on figure is the one to
            // hold against kamerzoek's every-value row.
            let pkey = key.replace("facetsall", "facets");
            let (a, b) = (f(&kz[*key]), f(&p[pkey.as_str()]));
            // Ratios read "kamerzoek is N× better": peer/kamerzoek where lower is better.
            let rt = if *lower { ratio(b, a) } else { ratio(a, b) };
            s.push_str(&format!(" {} | {rt} |", show(p, &pkey)));
        }
        s.push('\n');
    }
    if let Some(n) = kz["segments"].as_u64() {
        s.push_str(&format!(
            "| index segments the queries ran on | {n} |{}\n",
            " – | |".repeat(peers.len())
        ));
    }
    if kz["p50_ms_facets_relax"].is_number() {
        s.push_str(&format!(
            "| kamerzoek's default (where no document holds every word, a third of them): p50 \
             / p99, facets on (ms); queries with hits | {:.2} / {:.2}; {} |{}\n",
            f(&kz["p50_ms_facets_relax"]),
            f(&kz["p99_ms_facets_relax"]),
            f(&kz["queries_with_hits_relax"]),
            " – | |".repeat(peers.len())
        ));
    }
    s.push_str(&format!(
        "| cold CLI call, `kamerzoek search` (ms) | {:.1} |{}\n\n",
        f(&kz["cold_cli_ms"]),
        " – | |".repeat(peers.len())
    ));
    s.push_str("Ratios: how many times better kamerzoek is (>1× = kamerzoek ahead).\n\n");
    let rounds = &r["index_side_by_side"];
    if rounds.is_object() {
        let list = |k: &str| {
            rounds[k]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| format!("{:.2}", f(x)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        };
        let (k, p) = (f(&rounds["kamerzoek_median"]), f(&rounds["fts5_median"]));
        let pipe = f(&rounds["fts5_pipeline_median"]);
        let mb = f(&kz["source_bytes"]) / 1e6;
        if rounds["kamerzoek_documents_median"].is_number() {
            let d = f(&rounds["kamerzoek_documents_median"]);
            s.push_str(&format!(
                "Index time from the same extracted text (`kamerzoek index --documents` of the \
                 `kamerzoek parse` output FTS5 indexes), in the same rounds (s): kamerzoek {}; \
                 median {d:.2} s ({:.2} MB/s of source files) against FTS5's {p:.2} s: \
                 kamerzoek vs FTS5 {}.\n\n",
                list("kamerzoek_documents_seconds"),
                mb / d,
                ratio(p, d)
            ));
            if rounds["kamerzoek_documents_internal_median"].is_number() {
                let i = f(&rounds["kamerzoek_documents_internal_median"]);
                s.push_str(&format!(
                    "The same runs by kamerzoek's own timer (`run.seconds`, from taking the \
                     writer to the last commit: without the process start, the index folder's \
                     creation and the exit, as FTS5's timer inside Python is without Python's \
                     start and exit) (s): {}; median {i:.2} s: kamerzoek vs FTS5 {}.\n\n",
                    list("kamerzoek_documents_internal_seconds"),
                    ratio(p, i)
                ));
            }
            if rounds["fts5_durable_median"].is_number() {
                let q = f(&rounds["fts5_durable_median"]);
                s.push_str(&format!(
                    "FTS5 durable (SQLite's default rollback journal and `synchronous=FULL`; \
                     kamerzoek syncs its commits likewise), in the same rounds (s): {}; median \
                     {q:.2} s ({:.2} MB/s): kamerzoek from the same text vs durable FTS5 {}, \
                     from the files {}.\n\n",
                    list("fts5_durable_seconds"),
                    mb / q,
                    ratio(q, d),
                    ratio(q, k)
                ));
            }
        }
        s.push_str(&format!(
            "Index time side by side, {} rounds of kamerzoek, the peers' text extraction and FTS5 \
             in turn (s): kamerzoek {}; FTS5 {}; extraction (`kamerzoek parse`) {}. Medians: \
             kamerzoek {k:.2} s ({:.2} MB/s), FTS5 {p:.2} s ({:.2} MB/s): kamerzoek vs FTS5 {}; \
             FTS5 with its text extraction, round by round, {pipe:.2} s ({:.2} MB/s): {}.\n\n",
            rounds["rounds"],
            list("kamerzoek_seconds"),
            list("fts5_seconds"),
            list("extract_seconds"),
            mb / k,
            mb / p,
            ratio(p, k),
            mb / pipe,
            ratio(pipe, k)
        ));
    }
    if relevance {
        s.push_str(&render_relevance(r));
    }
    s
}

fn render_relevance(r: &Value) -> String {
    let mut s = String::new();
    if r.get("relevance").is_some() {
        s.push_str(&format!(
            "Relevance on `{}` (`benches/relevance/`, top 10 documents per query; peers with \
             `and` = every word required, `or` = any word, BM25-ranked, and `and-or` = `and`, or \
             `or` where `and` finds nothing, as kamerzoek's default relaxes, which asks sections \
             for a third of the words first):\n\n",
            r["corpus"].as_str().unwrap_or("")
        ));
        s.push_str("| engine | set | queries | MRR@10 | nDCG@10 | recall@10 |\n|---|---|---:|---:|---:|---:|\n");
        if let Some(engines) = r["relevance"].as_object() {
            for (engine, sets) in engines {
                if let Some(sets) = sets.as_object() {
                    for (set, m) in sets {
                        s.push_str(&format!(
                            "| {engine} | {set} | {} | {:.3} | {:.3} | {:.3} |\n",
                            m["queries"],
                            f(&m["mrr@10"]),
                            f(&m["ndcg@10"]),
                            f(&m["recall@10"])
                        ));
                    }
                }
            }
        }
        s.push('\n');
    }
    s
}

fn growth(rows: &[Value]) -> String {
    let mut s = String::from(
        "### Growth with corpus size\n\n| corpus | sections | engine | index s | MB/s | index MB | peak RSS indexing MB | p50 facets ms | p99 facets ms | p50 no facets ms | p99 no facets ms | q/s 2 threads facets off | q/s 2 threads facets on | search RSS MB |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let k = &r["kamerzoek"];
        let mut engines = vec![("kamerzoek", k)];
        for n in ["fts5", "xapian"] {
            if let Some(p) = r["peers"].get(n) {
                engines.push((n, p));
            }
        }
        for (name, e) in engines {
            s.push_str(&format!(
                "| {} | {} | {name} | {:.1} | {:.2} | {:.1} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {} |\n",
                r["corpus"].as_str().unwrap_or(""),
                k["sections"],
                f(&e["seconds"]),
                f(&e["mb_per_s"]),
                f(&e["index_bytes"]) / 1e6,
                f(&e["peak_rss_mb"]),
                f(&e["p50_ms_facets"]),
                f(&e["p99_ms_facets"]),
                f(&e["p50_ms_nofacets"]),
                f(&e["p99_ms_nofacets"]),
                f(&e["qps_2t_nofacets"]),
                f(&e["qps_2t_facets"]),
                e.get("search_rss_mb").map(|v| format!("{:.0}", f(v))).unwrap_or_else(|| "–".into()),
            ));
        }
    }
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// Smoke (cargo test --bench compare): seconds, every engine, results checked

fn smoke(o: &Opts, queries: &[String], relevance: &Path, qrels: &Path) -> Res<()> {
    let shared = root().join("..").join("shared");
    let moties = shared.join("corpus").join("moties");
    if !moties.is_dir() {
        return Err(format!(
            "{} not found: the smoke benchmark needs ../shared",
            moties.display()
        )
        .into());
    }
    // The motions judged for the first 20 title and 20 keyword queries, plus distractors.
    let rel_text = std::fs::read_to_string(relevance)?;
    let qids: Vec<&str> = rel_text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|q| q.starts_with('T'))
        .take(20)
        .chain(
            rel_text
                .lines()
                .filter_map(|l| l.split('\t').next())
                .filter(|q| q.starts_with('K'))
                .take(20),
        )
        .collect();
    let mut files = Vec::new();
    let mut sub_q = String::new();
    let mut sub_rel = String::new();
    for line in rel_text.lines() {
        if qids.contains(&line.split('\t').next().unwrap_or("")) {
            sub_q.push_str(line);
            sub_q.push('\n');
        }
    }
    for line in std::fs::read_to_string(qrels)?.lines() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.len() >= 4 && qids.contains(&p[0]) {
            sub_rel.push_str(line);
            sub_rel.push('\n');
            files.push(moties.join(format!("kst-{}.xml", p[2])));
        }
    }
    let mut all: Vec<PathBuf> = std::fs::read_dir(&moties)?
        .flatten()
        .map(|e| e.path())
        .collect();
    all.sort();
    files.extend(all.into_iter().step_by(100));
    let sgd = shared.join("corpus").join("sgd");
    let mut s: Vec<PathBuf> = std::fs::read_dir(&sgd)?
        .flatten()
        .map(|e| e.path())
        .collect();
    s.sort();
    files.extend(s.into_iter().step_by(200));
    files.sort();
    files.dedup();
    let generated = o.work.join("generated");
    let _ = std::fs::remove_dir_all(&generated);
    gen_corpus(&generated, 60, 1, &o.work)?;
    let rq = o.work.join("relevance-queries.tsv");
    let rqrels = o.work.join("relevance-qrels.txt");
    std::fs::write(&rq, sub_q)?;
    std::fs::write(&rqrels, sub_rel)?;
    let qs: Vec<String> = queries.iter().step_by(8).cloned().collect();

    let mut paths = files.clone();
    paths.push(generated);
    let r = compare(o, "smoke", &paths, &qs, Some((&rq, &rqrels)), true, true)?;
    println!("{}", render(&r, true));

    let mut passed = 0;
    let mut failed = Vec::new();
    let mut check = |ok: bool, what: String| {
        if ok {
            passed += 1;
        } else {
            failed.push(what);
        }
    };
    let kz = &r["kamerzoek"];
    check(
        f(&kz["sections"]) >= files.len() as f64,
        format!(
            "kamerzoek indexed {} sections for {} files",
            kz["sections"],
            files.len()
        ),
    );
    for (name, e) in [
        ("kamerzoek", kz),
        ("fts5", &r["peers"]["fts5"]),
        ("xapian", &r["peers"]["xapian"]),
    ] {
        check(e.is_object(), format!("{name}: no results"));
        let hits = f(&e["queries_with_hits"]);
        check(
            hits >= qs.len() as f64 * 0.2, // a tiny corpus answers few of the full-corpus queries
            format!("{name}: only {hits} of {} queries found anything", qs.len()),
        );
        for key in [
            "p50_ms_facets",
            "p99_ms_nofacets",
            "qps_2t_facets",
            "mb_per_s",
            "index_bytes",
            "peak_rss_mb",
        ] {
            check(f(&e[key]) > 0.0, format!("{name}: {key} = {}", e[key]));
        }
        if name == "kamerzoek" {
            check(
                e["segments"].as_u64().is_some_and(|n| n >= 1),
                format!("kamerzoek: segments = {}", e["segments"]),
            );
        }
        let run = if name == "kamerzoek" {
            name.to_string()
        } else {
            format!("{name}-and")
        };
        // Each half on its own: the title queries (long, with stop words) and the keywords.
        for set in ["T", "K"] {
            let mrr = f(&r["relevance"][&run][set]["mrr@10"]);
            check(
                mrr >= 0.5,
                format!("{name}: MRR@10 {mrr} on the smoke relevance set {set}"),
            );
        }
    }
    check(
        f(&r["peers"]["fts5"]["sections"]) == f(&kz["sections"])
            && f(&r["peers"]["xapian"]["sections"]) == f(&kz["sections"]),
        format!(
            "section counts differ: kamerzoek {}, fts5 {}, xapian {}",
            kz["sections"], r["peers"]["fts5"]["sections"], r["peers"]["xapian"]["sections"]
        ),
    );
    let rounds = &r["index_side_by_side"];
    for key in [
        "kamerzoek_median",
        "kamerzoek_documents_median",
        "kamerzoek_documents_internal_median",
        "fts5_median",
        "fts5_durable_median",
    ] {
        check(
            f(&rounds[key]) > 0.0,
            format!("index rounds: {key} = {}", rounds[key]),
        );
    }
    for f in &failed {
        println!("FAILED: {f}");
    }
    println!("smoke: {passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("smoke checks failed: {}", failed.len()).into())
    }
}
