//! Query latency on an existing index, in-process: the figures `compare` reports, without
//! indexing first, so that a change to the query path can be measured on a large index in
//! seconds.
//!
//! ```text
//! cargo bench --bench latency -- --index DIR [--queries benches/queries.jsonl] [--repeat 3]
//!                                [--facets on|off|both] [--facet-limit 50] [--dump FILE]
//!                                [--batch ROUNDS] [--relax]
//! ```
//!
//! The queries are timed with every word required, as `compare` times them; `--relax` times
//! kamerzoek's default instead (a query no document holds entirely is answered with the
//! sections holding a third of its words), as for `benches/long-queries.jsonl`
//! (`benches/make_long_queries.py`: 40 motion requests of 15–49 words, most answered relaxed).
//!
//! `--batch` also times `search_batch` over the queries (each five times) on 1 and 2 threads,
//! facets off and on, in ROUNDS alternating rounds, and prints each setting's median q/s.
//!
//! `--dump` writes the answers of the last timed pass as JSON lines (the `batch` format), to
//! compare a change's answers with `kamerzoek batch`'s.
//!
//! Prints p50, p90, p99 and max per facet setting, and the slowest queries. Without `--bench`
//! (as `cargo test` runs it) it does nothing.

use std::path::PathBuf;
use std::time::Instant;

use kamerzoek::{SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        return Ok(());
    }
    let mut index = None;
    let mut queries = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/queries.jsonl");
    let mut repeat = 3;
    let mut facets = "both".to_string();
    let mut facet_limit = kamerzoek::DEFAULT_FACET_LIMIT;
    let mut dump: Option<PathBuf> = None;
    let mut batch_rounds = 0usize;
    let mut relax = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--index" => index = it.next().map(PathBuf::from),
            "--queries" => queries = it.next().map(PathBuf::from).ok_or("--queries FILE")?,
            "--repeat" => repeat = it.next().ok_or("--repeat N")?.parse()?,
            "--facets" => facets = it.next().ok_or("--facets on|off|both")?.clone(),
            "--facet-limit" => facet_limit = it.next().ok_or("--facet-limit N")?.parse()?,
            "--dump" => dump = it.next().map(PathBuf::from),
            "--batch" => batch_rounds = it.next().ok_or("--batch ROUNDS")?.parse()?,
            "--relax" => relax = true,
            _ => {}
        }
    }
    let index = index.ok_or("--index DIR is required")?;
    let searcher = Searcher::open(&index)?;
    let mut requests: Vec<SearchRequest> = Vec::new();
    for line in std::fs::read_to_string(&queries)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        // Every word required, as `compare` times them (its fallback figures aside), unless
        // `--relax`.
        requests.push(SearchRequest {
            relax,
            ..SearchRequest::new(v["query"].as_str().unwrap_or_default())
        });
    }
    let settings: Vec<bool> = match facets.as_str() {
        "on" => vec![true],
        "off" => vec![false],
        _ => vec![true, false],
    };
    for with_facets in settings {
        let reqs: Vec<SearchRequest> = requests
            .iter()
            .map(|r| SearchRequest {
                facets: with_facets,
                facet_limit,
                ..r.clone()
            })
            .collect();
        // One warm-up pass, then the timed ones.
        let mut relaxed = 0;
        for r in &reqs {
            relaxed += usize::from(searcher.search(r)?.relaxed);
        }
        if relax {
            println!("{relaxed} of {} answers relaxed", reqs.len());
        }
        let mut times: Vec<(f64, usize)> = Vec::new();
        let mut answers = Vec::new();
        for pass in 0..repeat {
            answers.clear();
            for (i, r) in reqs.iter().enumerate() {
                let t = Instant::now();
                let answer = searcher.search(r)?;
                times.push((t.elapsed().as_secs_f64() * 1000.0, i));
                if pass + 1 == repeat && dump.is_some() {
                    answers.push(answer);
                }
            }
        }
        if let Some(path) = &dump {
            let mut out = String::new();
            for a in &answers {
                out.push_str(&serde_json::to_string(a)?);
                out.push('\n');
            }
            std::fs::write(path, out)?;
        }
        let mut ms: Vec<f64> = times.iter().map(|t| t.0).collect();
        ms.sort_by(f64::total_cmp);
        let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "facets {}: {} searches, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean {:.2} ms",
            if with_facets { "on " } else { "off" },
            ms.len(),
            q(0.5),
            q(0.9),
            q(0.99),
            ms[ms.len() - 1],
            ms.iter().sum::<f64>() / ms.len() as f64
        );
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (t, i) in times.iter().take(6) {
            println!("  {t:8.2} ms  {:?}", reqs[*i].query);
        }
    }
    if batch_rounds > 0 {
        batch(&searcher, &requests, facet_limit, batch_rounds)?;
    }
    Ok(())
}

/// Median q/s of `search_batch` per thread count and facet setting, over alternating rounds
/// (side by side, so the machine's drift hits every setting alike).
fn batch(
    searcher: &Searcher,
    requests: &[SearchRequest],
    facet_limit: usize,
    rounds: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let pools = [1usize, 2].map(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build());
    let mut qps: Vec<Vec<f64>> = vec![Vec::new(); 4];
    for _ in 0..rounds {
        for (t, pool) in pools.iter().enumerate() {
            let pool = pool.as_ref().map_err(|e| e.to_string())?;
            for facets in [false, true] {
                let reqs: Vec<SearchRequest> = (0..5)
                    .flat_map(|_| requests.iter())
                    .map(|r| SearchRequest {
                        facets,
                        facet_limit,
                        ..r.clone()
                    })
                    .collect();
                let started = Instant::now();
                let answers = pool.install(|| searcher.search_batch(&reqs));
                let secs = started.elapsed().as_secs_f64();
                if let Some(Err(e)) = answers.iter().find(|a| a.is_err()) {
                    return Err(e.to_string().into());
                }
                qps[t * 2 + usize::from(facets)].push(reqs.len() as f64 / secs);
            }
        }
    }
    for (i, mut v) in qps.into_iter().enumerate() {
        v.sort_by(f64::total_cmp);
        println!(
            "batch {} thread(s), facets {}: median {:.0} q/s (min {:.0}, max {:.0}, {} rounds)",
            i / 2 + 1,
            if i % 2 == 1 { "on " } else { "off" },
            v[v.len() / 2],
            v[0],
            v[v.len() - 1],
            v.len()
        );
    }
    Ok(())
}
