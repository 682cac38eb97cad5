//! Index real documents with the binary, then check search, facets, batch and motie against a
//! brute-force count over the same documents as `kamerzoek parse` sees them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{hit_ids, json_lines, kamerzoek, run, run_json, s, shared, temp_dir};

struct Fixture {
    index: PathBuf,
    docs: Vec<Value>,
}

/// The files indexed: all seeds, a slice of motions (with and without metadata) and of SGD texts.
fn files(shared: &std::path::Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut take = |dir: &str, n: usize, step: usize| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(shared.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        out.extend(v.into_iter().step_by(step).take(n));
    };
    take("seeds", 100, 1);
    take("corpus/moties", 400, 17);
    take("corpus/sgd", 120, 37);
    out
}

fn fixture() -> Option<&'static Fixture> {
    static F: OnceLock<Option<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let shared = shared()?;
        // One fixture per test process: `cargo test` builds it once for every test, and
        // cargo-nextest, which runs each test in a process of its own and several at a time,
        // one per process instead of several in one folder at once.
        // (Those of test processes that have ended are removed.)
        remove_ended_fixtures();
        let dir = temp_dir(&format!("search-fixture-{}", std::process::id()));
        let list = dir.join("files");
        std::fs::create_dir_all(&list).unwrap();
        // Symlinks keep the file set explicit while indexing one folder.
        for f in files(&shared) {
            std::os::unix::fs::symlink(&f, list.join(f.file_name().unwrap())).unwrap();
        }
        let index = dir.join("index");
        let out = run(&["index", s(&list), "--index", s(&index), "--format", "json"]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "index failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let parsed = run(&["parse", s(&list), "--format", "jsonl"]);
        let docs = String::from_utf8(parsed.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        Some(Fixture { index, docs })
    })
    .as_ref()
}

/// Removes the fixture folders of test processes no longer running.
fn remove_ended_fixtures() {
    let Ok(entries) = std::fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("search-fixture-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn search(f: &Fixture, extra: &[&str]) -> Value {
    let mut args = vec!["search", "--index", s(&f.index), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "search {extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn facet_map(v: &Value, name: &str) -> BTreeMap<String, u64> {
    v["facets"][name]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["value"].as_str().unwrap().to_string(),
                        c["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Brute force: documents per facet value, straight from the parsed documents.
fn expected(docs: &[Value], name: &str) -> BTreeMap<String, u64> {
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for d in docs {
        let mut values: BTreeSet<String> = BTreeSet::new();
        match name {
            "type" => {
                values.insert(d["doc_type"].as_str().unwrap().to_string());
            }
            "ministry" => values.extend(strs(&d["ministries"])),
            "year" => {
                if let Some(y) = d["date"].as_str().and_then(|x| x.get(..4)) {
                    values.insert(y.to_string());
                }
            }
            "topic" => {
                for t in strs(&d["topics"]) {
                    let parts: Vec<&str> = t.split('/').filter(|p| !p.is_empty()).collect();
                    for n in 1..=parts.len() {
                        values.insert(format!("/{}", parts[..n].join("/")));
                    }
                }
            }
            "motion" => {
                if let Some(k) = d["kamerstuk"].as_str() {
                    values.insert(k.to_string());
                }
                for r in d["references"].as_array().unwrap() {
                    let kind = r["kind"].as_str().unwrap();
                    if (kind == "kamerstuk" || kind == "motie")
                        && let Some(k) = r["key"].as_str()
                    {
                        values.insert(k.to_string());
                    }
                }
            }
            _ => unreachable!(),
        }
        for v in values {
            *out.entry(v).or_default() += 1;
        }
    }
    out
}

#[test]
fn facet_counts_match_brute_force_over_all_documents() {
    let Some(f) = fixture() else { return };
    let all = search(f, &["--limit", "0", "--facet-limit", "0"]);
    assert_eq!(
        all["total"].as_u64().unwrap(),
        f.docs.len() as u64,
        "every parsed document is indexed"
    );
    for name in ["type", "ministry", "year", "motion"] {
        let want = expected(&f.docs, name);
        let got = facet_map(&all, name);
        assert!(!want.is_empty(), "brute force found no {name} values");
        assert_eq!(got, want, "facet `{name}`");
    }
    // Topics: metadata topics exactly, plus those inferred for documents without any, which
    // only add to the counts.
    let want = expected(&f.docs, "topic");
    let got = facet_map(&all, "topic");
    assert!(!want.is_empty());
    for (v, n) in &want {
        assert!(got.get(v).copied().unwrap_or(0) >= *n, "topic {v}: {got:?}");
    }
    let top_level = |m: &BTreeMap<String, u64>| -> u64 {
        m.iter()
            .filter(|(v, _)| v.matches('/').count() == 1)
            .map(|(_, n)| n)
            .sum()
    };
    let without_topics = f
        .docs
        .iter()
        .filter(|d| strs(&d["topics"]).is_empty())
        .count() as u64;
    let inferred = top_level(&got) - top_level(&want);
    assert!(
        inferred <= without_topics,
        "{inferred} inferred for {without_topics} documents without topics"
    );
}

#[test]
fn facet_counts_match_brute_force_under_filters() {
    let Some(f) = fixture() else { return };
    let ministry_of = |d: &Value| strs(&d["ministries"]).contains(&"VWS".to_string());
    let year_of = |d: &Value| d["date"].as_str().is_some_and(|x| x.starts_with("2024"));
    type Keep<'a> = &'a dyn Fn(&Value) -> bool;
    let cases: [(&[&str], Keep); 3] = [
        (&["--type", "motie"], &|d: &Value| d["doc_type"] == "motie"),
        (&["--ministry", "VWS"], &ministry_of),
        (&["--year", "2024"], &year_of),
    ];
    for (flags, keep) in cases {
        let subset: Vec<Value> = f.docs.iter().filter(|d| keep(d)).cloned().collect();
        assert!(
            !subset.is_empty(),
            "{flags:?}: brute force kept no document"
        );
        let mut args = vec!["--limit", "0", "--facet-limit", "0"];
        args.extend_from_slice(flags);
        let r = search(f, &args);
        assert_eq!(
            r["total"].as_u64().unwrap(),
            subset.len() as u64,
            "{flags:?}"
        );
        for name in ["type", "ministry", "year", "motion"] {
            assert_eq!(
                facet_map(&r, name),
                expected(&subset, name),
                "{flags:?}: facet `{name}`"
            );
        }
        // The default limit lists the most frequent values only, with the same counts, and
        // says how many values there are.
        let mut args = vec!["--limit", "0", "--facet-limit", "5"];
        args.extend_from_slice(flags);
        let short = search(f, &args);
        let want = expected(&subset, "motion");
        let listed = facet_map(&short, "motion");
        assert_eq!(listed.len(), want.len().min(5), "{flags:?}");
        for (v, n) in &listed {
            assert_eq!(want.get(v), Some(n), "{flags:?}: motion {v}");
        }
        let min_listed = listed.values().min().copied().unwrap_or(0);
        assert!(
            want.values().filter(|n| **n > min_listed).count() <= listed.len(),
            "{flags:?}: a more frequent motion value was left out"
        );
        assert_eq!(
            short["facet_values"]["motion"].as_u64().unwrap(),
            want.len() as u64,
            "{flags:?}: distinct motion values"
        );
    }
}

#[test]
fn facet_counts_equal_filtered_totals() {
    let Some(f) = fixture() else { return };
    for q in ["opvang", "geweld", "regering", "motie"] {
        let r = search(f, &[q, "--limit", "0"]);
        assert!(r["total"].as_u64().unwrap() > 0, "{q}: no hits");
        for (facet, flag) in [
            ("ministry", "--ministry"),
            ("type", "--type"),
            ("year", "--year"),
            ("topic", "--topic"),
        ] {
            for (value, count) in facet_map(&r, facet).into_iter().take(3) {
                let filtered = search(f, &[q, flag, &value, "--limit", "0", "--no-facets"]);
                assert_eq!(
                    filtered["total"].as_u64().unwrap(),
                    count,
                    "{q} {flag} {value}: facet count differs from filtered total"
                );
            }
        }
    }
}

#[test]
fn type_filter_counts_every_motion() {
    let Some(f) = fixture() else { return };
    let motions = f.docs.iter().filter(|d| d["doc_type"] == "motie").count() as u64;
    let r = search(f, &["--type", "motie", "--limit", "3"]);
    assert_eq!(r["total"].as_u64().unwrap(), motions);
    for h in r["hits"].as_array().unwrap() {
        assert_eq!(h["doc_type"], "motie");
        for key in [
            "doc_id",
            "title",
            "date",
            "ministries",
            "topics",
            "motions",
            "section",
            "score",
            "snippet",
            "source",
        ] {
            assert!(h.get(key).is_some(), "hit lacks `{key}`: {h}");
        }
    }
}

#[test]
fn compound_parts_are_found_and_highlighted() {
    let Some(f) = fixture() else { return };
    // A word that occurs only inside compounds in the seeds still finds them.
    let r = search(f, &["opvang", "--limit", "50"]);
    let hits = r["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().any(|h| h["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("opvang</em>")),
        "no highlighted opvang in {hits:?}"
    );
}

#[test]
fn bad_requests_name_position_and_alternatives() {
    let Some(f) = fixture() else { return };
    let out = run(&["search", "titel:geweld", "--index", s(&f.index)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("position 0") && err.contains("`title`"),
        "{err}"
    );
    let out = run(&[
        "search",
        "geweld",
        "--ministry",
        "VWZ",
        "--index",
        s(&f.index),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown ministry `VWZ`"), "{err}");
    let out = run(&["search", "o*", "--index", s(&f.index)]);
    assert_eq!(out.status.code(), Some(2), "one-letter prefix is refused");
    // Plain words never fail, whatever they contain.
    for q in [
        "van Dijk",
        "motie 29279-890",
        "\"vrouwen opvang",
        "(geweld",
        "NOT",
        "a:b:c",
    ] {
        let out = run(&["search", q, "--index", s(&f.index), "--format", "json"]);
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `kamerzoek batch -` on the fixture's index, with piped standard input and output.
fn spawn_batch(f: &Fixture) -> std::process::Child {
    kamerzoek()
        .args(["batch", "-", "--index", s(&f.index)])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn batch_answers_in_input_order_with_per_line_errors() {
    let Some(f) = fixture() else { return };
    let input = [
        r#"{"id": 1, "query": "geweld", "limit": 2}"#,
        r#"{"id": "b", "query": "opvang", "type": ["beslisnota"]}"#,
        r#"{"id": 3, "query": "x", "ministry": ["VWZ"]}"#,
        r#"not json"#,
        r#"{"id": 5, "query": "regering", "facets": false}"#,
    ]
    .join("\n");
    let mut child = spawn_batch(f);
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], 1);
    assert!(lines[0]["hits"].as_array().unwrap().len() <= 2);
    assert_eq!(lines[1]["id"], "b");
    assert!(lines[1]["total"].is_u64());
    assert_eq!(lines[2]["id"], 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("VWZ"));
    assert!(lines[3]["error"].as_str().unwrap().contains("line 4"));
    assert_eq!(lines[4]["id"], 5);
    // The same request alone gives the same answer as in the batch.
    let alone = search(f, &["geweld", "--limit", "2"]);
    assert_eq!(alone["total"], lines[0]["total"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors in a batch give exit code 1"
    );
}

#[test]
fn batch_answers_each_request_before_the_next_arrives() {
    // A script that writes a request and waits for its answer before writing the next: batch
    // must answer what it has instead of waiting for the end of its input.
    let Some(f) = fixture() else { return };
    let mut child = spawn_batch(f);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reading = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    use std::io::Write;
    for (id, query) in [(1, "geweld"), (2, "opvang")] {
        writeln!(stdin, r#"{{"id": {id}, "query": "{query}"}}"#).unwrap();
        stdin.flush().unwrap();
        let answer = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("no answer to request {id} while stdin is open: {e}"));
        let v: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(v["id"], id);
        assert!(v["total"].as_u64().unwrap() > 0, "{query}: {v}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reading.join().unwrap();
    assert!(rx.try_recv().is_err(), "one answer per request");
}

#[test]
fn motie_lists_citing_documents_oldest_first() {
    let Some(f) = fixture() else { return };
    // The most cited key among the indexed documents, by brute force.
    let counts = expected(&f.docs, "motion");
    let (key, n) = counts
        .iter()
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse((*k).clone())))
        .unwrap();
    let r = run_json(
        &["motie", key, "--index", s(&f.index), "--format", "json"],
        0,
    );
    let cites = r["citations"].as_array().unwrap();
    let citing_docs: BTreeSet<&str> = cites
        .iter()
        .map(|c| c["doc_id"].as_str().unwrap())
        .collect();
    let own = usize::from(r["motion"].is_object());
    assert!(
        citing_docs.len() + own >= (*n as usize).min(1),
        "{key}: {r}"
    );
    let dates: Vec<&str> = cites
        .iter()
        .map(|c| c["date"].as_str().unwrap_or("9999"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    for c in cites {
        assert!(!c["sentence"].as_str().unwrap().is_empty());
    }
}

#[test]
fn reindexing_changes_nothing_and_stats_agree() {
    let Some(f) = fixture() else { return };
    let before = run_json(&["stats", "--index", s(&f.index), "--format", "json"], 0);
    let list = f.index.parent().unwrap().join("files");
    let out = run(&[
        "index",
        s(&list),
        "--index",
        s(&f.index),
        "--format",
        "json",
    ]);
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["run"]["indexed"], 0, "{again}");
    let after = run_json(&["stats", "--index", s(&f.index), "--format", "json"], 0);
    assert_eq!(before["documents"], after["documents"]);
    assert_eq!(before["sections"], after["sections"]);
    assert_eq!(after["documents"].as_u64().unwrap(), f.docs.len() as u64);
}

#[test]
fn a_file_named_twice_in_one_run_is_indexed_once() {
    // A new index: no file needs deleting first, except one met a second time in the run.
    let dir = temp_dir("named-twice");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for nr in ["1", "2"] {
        std::fs::write(
            docs.join(format!("kst-36700-{nr}.xml")),
            motion_xml(
                nr,
                "Motie over de haven",
                &["De Kamer,", "verzoekt de regering,"],
            ),
        )
        .unwrap();
    }
    let index = dir.join("index");
    let twice = docs.join("kst-36700-2.xml");
    let out = run_json(
        &[
            "index",
            s(&docs),
            s(&twice),
            "--index",
            s(&index),
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(out["run"]["indexed"], 3, "{out}");
    let stats = run_json(&["stats", "--index", s(&index), "--format", "json"], 0);
    assert_eq!(stats["documents"], 2, "{stats}");
    let sections = stats["sections"].as_u64().unwrap();
    // Indexing again changes nothing.
    let again = run_json(
        &["index", s(&docs), "--index", s(&index), "--format", "json"],
        0,
    );
    assert_eq!(again["run"]["indexed"], 0, "{again}");
    let after = run_json(&["stats", "--index", s(&index), "--format", "json"], 0);
    assert_eq!(after["documents"], 2);
    assert_eq!(after["sections"].as_u64().unwrap(), sections);
}

/// A motion in the officielebekendmakingen layout, with `title` as its own title.
fn motion_xml(nr: &str, title: &str, text: &[&str]) -> String {
    let paragraphs: String = text.iter().map(|t| format!("<al>{t}</al>")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><kamerstuk>
<kamerstukkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2024-2025</tekstregel></kamerstukkop>
<dossier><dossiernummer><dossiernr>36 700</dossiernr></dossiernummer><titel>Dossier</titel></dossier>
<stuk><stuknr>Nr. <ondernummer kamer="2">{nr}</ondernummer></stuknr><titel>{title}</titel>
<datumtekst>Voorgesteld <datum isodatum="2025-03-04">4 maart 2025</datum></datumtekst>
<algemeen><vrije-tekst><tekst status="goed">{paragraphs}</tekst></vrije-tekst></algemeen>
</stuk></kamerstuk></officiele-publicatie>"#
    )
}

/// The doc ids `query` (with the search options `extra`) ranks in an index of motions 36700-1,
/// 36700-2, … with these titles and texts.
fn rank_motions(
    name: &str,
    motions: &[(&str, &[&str])],
    query: &str,
    extra: &[&str],
) -> Vec<String> {
    let index = index_motions(name, motions);
    let mut args = vec!["search", query, "--index", s(&index), "--format", "json"];
    args.extend_from_slice(extra);
    let r = run_json(&args, 0);
    hit_ids(&r).into_iter().map(String::from).collect()
}

/// An index of motions 36700-1, 36700-2, … with these titles and texts.
fn index_motions(name: &str, motions: &[(&str, &[&str])]) -> PathBuf {
    let dir = temp_dir(name);
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for (i, (title, text)) in motions.iter().enumerate() {
        let nr = (i + 1).to_string();
        std::fs::write(
            docs.join(format!("kst-36700-{nr}.xml")),
            motion_xml(&nr, title, text),
        )
        .unwrap();
    }
    let index = dir.join("index");
    run_json(
        &["index", s(&docs), "--index", s(&index), "--format", "json"],
        0,
    );
    index
}

/// Motion 36700-1 of the key and dossier tests: about the harbour's fairway, no key in its text.
const HAVEN: (&str, &[&str]) = (
    "Motie van het lid Jansen over de haven",
    &[
        "De Kamer,",
        "gehoord de beraadslaging,",
        "overwegende dat de vaargeul verzandt;",
        "verzoekt de regering de vaargeul te verdiepen,",
        "en gaat over tot de orde van de dag.",
    ],
);

#[test]
fn a_kamerstuk_key_with_words_hits_the_sections_holding_a_word_or_citing_the_key() {
    // A key matches every section of a document about or citing it (the motion facet): with
    // other words, the hits were every section of the motion, its preamble too.
    let index = index_motions(
        "key-and-word",
        &[
            HAVEN,
            (
                "Motie van het lid De Vries over de sluis",
                &[
                    "De Kamer,",
                    "gehoord de beraadslaging,",
                    "constaterende dat motie 36700-1 om een diepere vaargeul vroeg;",
                    "overwegende dat de sluis te smal is;",
                    "verzoekt de regering de sluis te verbreden,",
                    "en gaat over tot de orde van de dag.",
                ],
            ),
            (
                "Motie van het lid Bakker over de brug",
                &[
                    "De Kamer,",
                    "gehoord de beraadslaging,",
                    "gelet op Kamerstuk 36700, nr. 1;",
                    "overwegende dat de brug te laag is;",
                    "verzoekt de regering de brug te verhogen,",
                    "en gaat over tot de orde van de dag.",
                ],
            ),
        ],
    );
    let hits = |query: &str| -> Vec<(String, String)> {
        let r = run_json(
            &[
                "search",
                query,
                "--index",
                s(&index),
                "--group",
                "section",
                "--format",
                "json",
            ],
            0,
        );
        let mut out: Vec<(String, String)> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["doc_id"].as_str().unwrap().to_string(),
                    h["section"]["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    // The motion itself: only its section with the word. The motion citing it: the section
    // with the key written out.
    assert_eq!(hits("36700-1 verdiepen"), pairs(&[("36700-1", "verzoek")]));
    assert_eq!(
        hits("36700-1 vaargeul"),
        pairs(&[
            ("36700-1", "overwegingen"),
            ("36700-1", "verzoek"),
            ("36700-2", "overwegingen"),
        ])
    );
    // Cited as `Kamerstuk 36700, nr. 1`: the section citing it (the `cites` field) and the
    // section with the word.
    assert_eq!(
        hits("36700-1 verhogen"),
        pairs(&[("36700-3", "overwegingen"), ("36700-3", "verzoek")])
    );
    // One key: every section of the motion, and the sections citing it (not all of theirs).
    let motion_and_citing = pairs(&[
        ("36700-1", "overwegingen"),
        ("36700-1", "preamble"),
        ("36700-1", "verzoek"),
        ("36700-2", "overwegingen"),
        ("36700-3", "overwegingen"),
    ]);
    assert_eq!(hits("36700-1"), motion_and_citing);
    assert_eq!(
        hits("36700-3"),
        pairs(&[
            ("36700-3", "overwegingen"),
            ("36700-3", "preamble"),
            ("36700-3", "verzoek"),
        ])
    );
    // Keys only: the sections citing or naming one; a document where none does (36700-1 is
    // its own key and dossier) keeps every section, as for one key. With the dossier, the
    // same sections as the motion's key alone: the citing documents cite it in one section.
    assert_eq!(hits("36700-1 36700"), motion_and_citing);
}

#[test]
fn a_dossier_alone_hits_its_motions_and_the_sections_citing_it() {
    // A dossier matched every section of every document about or citing it (the motion
    // facet), so a letter citing one of its motions in one section hit with all of them.
    let index = index_motions(
        "dossier-alone",
        &[
            HAVEN,
            (
                "Motie van het lid De Vries over de sluis",
                &[
                    "De Kamer,",
                    "gehoord de beraadslaging,",
                    "verzoekt de regering de sluis te verbreden,",
                    "en gaat over tot de orde van de dag.",
                ],
            ),
        ],
    );
    let docs = index.parent().unwrap().join("docs");
    std::fs::write(
        docs.join("kamerbrief-sluizen.txt"),
        "Geachte voorzitter,\n\nMet deze brief informeer ik uw Kamer over de sluizen en de \
         bruggen in het land.\n\nSluizen\n\nDe motie over de sluis (Kamerstuk 36700, nr. 2) \
         vraagt om een bredere sluis. Ik laat dit onderzoeken.\n\nBruggen\n\nDe bruggen \
         worden dit jaar geschilderd en waar nodig verhoogd.\n\nHoogachtend,\n\nDe minister \
         van Infrastructuur en Waterstaat\n",
    )
    .unwrap();
    run_json(
        &["index", s(&docs), "--index", s(&index), "--format", "json"],
        0,
    );
    let r = run_json(
        &[
            "search",
            "36700",
            "--index",
            s(&index),
            "--group",
            "section",
            "--limit",
            "100",
            "--format",
            "json",
        ],
        0,
    );
    let mut hits: Vec<(&str, &str)> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["doc_id"].as_str().unwrap(),
                h["section"]["heading"].as_str().unwrap_or(""),
            )
        })
        .collect();
    hits.sort();
    assert_eq!(
        hits,
        [
            ("36700-1", ""),
            ("36700-1", ""),
            ("36700-1", ""),
            ("36700-2", ""),
            ("36700-2", ""),
            ("kamerbrief-sluizen", "Sluizen"),
        ]
    );
    // As a filter the dossier still takes whole documents.
    let r = run_json(
        &[
            "search",
            "bruggen",
            "--motion",
            "36700",
            "--index",
            s(&index),
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(hit_ids(&r), ["kamerbrief-sluizen"]);
}

#[test]
fn a_query_no_document_holds_entirely_answers_with_those_holding_most_of_it() {
    let index = index_motions(
        "relaxed",
        &[
            (
                "Motie van het lid Jansen over de haven",
                &[
                    "De Kamer,",
                    "overwegende dat de vaargeul verzandt;",
                    "verzoekt de regering de vaargeul van de haven te verdiepen,",
                ],
            ),
            (
                "Motie van het lid De Vries over de sluis",
                &["De Kamer,", "verzoekt de regering de sluis te verbreden,"],
            ),
            (
                "Motie van het lid Bakker over de brug",
                &[
                    "De Kamer,",
                    "verzoekt de regering de brug bij de haven te verhogen,",
                ],
            ),
        ],
    );
    let search = |extra: &[&str], code: i32| {
        let mut args = vec!["search", "--index", s(&index), "--format", "json"];
        args.extend_from_slice(extra);
        run_json(&args, code)
    };
    // No motion holds all three words: those holding any (a third of three), and the answer
    // says it is relaxed.
    let relaxed_ids = |r: &Value| {
        assert_eq!(r["relaxed"], true);
        let mut ids: Vec<String> = hit_ids(r).into_iter().map(String::from).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        relaxed_ids(&search(&["vaargeul haven sluis"], 0)),
        ["36700-1", "36700-2", "36700-3"]
    );
    // Of four words, a section must hold two: the brug motion holds one.
    assert_eq!(
        relaxed_ids(&search(&["vaargeul haven sluis verbreden"], 0)),
        ["36700-1", "36700-2"]
    );
    // No section holds two of these four: any one will do then.
    assert_eq!(
        relaxed_ids(&search(&["vaargeul sluis brug kade"], 0)),
        ["36700-1", "36700-2", "36700-3"]
    );
    // Line by line, each hit says so too.
    let out = run(&[
        "search",
        "vaargeul haven sluis",
        "--index",
        s(&index),
        "--format",
        "jsonl",
    ]);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["relaxed"] == true));
    // Every word held: not relaxed, and only the motion holding them.
    let r = search(&["vaargeul haven"], 0);
    assert_eq!(r["relaxed"], false);
    assert_eq!(hit_ids(&r), ["36700-1"]);
    // Asked not to, or with operators (the user's own logic), nothing is found.
    for extra in [
        &["vaargeul haven sluis", "--no-relax"][..],
        &["vaargeul AND sluis"],
        &["+vaargeul sluis"],
        &["title:haven sluis"],
    ] {
        let r = search(extra, 1);
        assert_eq!(r["total"], 0, "{extra:?}");
        assert_eq!(r["relaxed"], false, "{extra:?}");
    }
    // Batch: the same, per request.
    let out = kamerzoek()
        .args(["batch", "--index", s(&index)])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(
                b"{\"id\": 1, \"query\": \"vaargeul sluis\"}\n{\"id\": 2, \"query\": \"vaargeul sluis\", \"relax\": false}\n",
            )?;
            drop(stdin);
            child.wait_with_output()
        })
        .unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(
        (&lines[0]["relaxed"], &lines[0]["total"]),
        (&Value::Bool(true), &Value::from(2))
    );
    assert_eq!(
        (&lines[1]["relaxed"], &lines[1]["total"]),
        (&Value::Bool(false), &Value::from(0))
    );
}

#[test]
fn a_title_holding_every_word_outranks_a_short_title_holding_one() {
    let ranked = rank_motions(
        "all-words-in-title",
        &[
            // One query word in a short title, the other (as `behoeften`) in the text.
            (
                "Verbetering van de haven",
                &[
                    "De Kamer,",
                    "overwegende dat de behoeften van de scheepvaart groeien en de behoeften van de vissers ook;",
                    "verzoekt de regering de haven te verdiepen,",
                ],
            ),
            // Both words in a long title, neither in the text.
            (
                "Motie van het lid Jansen over een plan voor verbetering van de kindregeling die recht doet aan de behoefte van kinderen en hun ouders",
                &[
                    "De Kamer,",
                    "verzoekt de regering de kindregeling te herzien,",
                ],
            ),
        ],
        "behoefte verbetering",
        &[],
    );
    assert_eq!(ranked, ["36700-2", "36700-1"]);
}

#[test]
fn a_title_that_reads_as_the_query_outranks_one_that_holds_its_words_apart() {
    // Modelled on motions 32849-280 and its amended version 32849-286: both titles hold every
    // word of the query once the stop words are gone, the longer one in the query's order.
    let text: &[&str] = &[
        "De Kamer,",
        "verzoekt de regering een moratorium te steunen,",
    ];
    let ranked = rank_motions(
        "title-phrase",
        &[
            (
                "Motie van het lid Kröger c.s. over zich nadrukkelijk uitspreken voor een moratorium op diepzeemijnbouw",
                text,
            ),
            (
                "Gewijzigde motie van het lid Kröger c.s. over zich nadrukkelijk uitspreken tegen diepzeemijnbouw (t.v.v. 36700-1)",
                text,
            ),
        ],
        "zich nadrukkelijk uitspreken tegen diepzeemijnbouw",
        &[],
    );
    assert_eq!(ranked, ["36700-2", "36700-1"]);
}

#[test]
fn every_word_is_required_in_the_document_or_in_the_section_a_filter_asks_for() {
    // Modelled on motion 29689-1289, whose overwegingen say `zorg` and whose verzoek says
    // `afschaffen`: a search for both found it only when one section held both.
    let motions: &[(&str, &[&str])] = &[
        (
            "Motie van het lid Dijk over het eigen risico",
            &[
                "De Kamer,",
                "overwegende dat het eigen risico mensen van zorg doet afzien;",
                "verzoekt de regering het eigen risico te schrappen,",
            ],
        ),
        (
            "Motie van het lid Jansen over de haven",
            &[
                "De Kamer,",
                "overwegende dat de zorg voor de haven tekortschiet;",
                "verzoekt de regering de haven te verdiepen,",
            ],
        ),
        (
            "Motie van het lid De Vries over de wachtlijsten",
            &[
                "De Kamer,",
                "verzoekt de regering de wachtlijsten in de zorg te schrappen,",
            ],
        ),
    ];
    let rank = |name, query, extra: &[&str]| rank_motions(name, motions, query, extra);
    let mut both = rank("doc-and", "zorg schrappen", &[]);
    both.sort();
    assert_eq!(both, ["36700-1", "36700-3"]);
    // Asked for verzoek sections, the words must stand in one.
    assert_eq!(
        rank(
            "doc-and-section",
            "zorg schrappen",
            &["--section", "verzoek"]
        ),
        ["36700-3"]
    );
    // A phrase stays within a section; an excluded word still excludes.
    assert_eq!(
        rank("doc-and-phrase", "\"zorg te schrappen\"", &[]),
        ["36700-3"]
    );
    assert_eq!(
        rank("doc-and-not", "zorg schrappen -wachtlijsten", &[]),
        ["36700-1"]
    );
}

/// On real documents: the documents a pair of words finds are those each word finds, and their
/// hit sections are the sections either word finds in them (`--group section`, every page).
#[test]
fn a_pair_finds_the_documents_of_both_words_and_their_sections_of_either() {
    let Some(f) = fixture() else { return };
    let sections = |query: &str| -> BTreeSet<(String, u64)> {
        let v = search(f, &[query, "--group", "section", "--limit", "10000"]);
        assert_eq!(
            v["hits"].as_array().map(Vec::len),
            v["total"].as_u64().map(|n| n as usize),
            "{query}: more than one page"
        );
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["source"].as_str().unwrap().to_string(),
                    h["section"]["index"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let docs = |s: &BTreeSet<(String, u64)>| -> BTreeSet<String> {
        s.iter().map(|(d, _)| d.clone()).collect()
    };
    let mut split = 0;
    for (a, b) in [
        ("regering", "kamer"),
        ("verzoekt", "onderzoek"),
        ("zorg", "kosten"),
        ("opvang", "gemeenten"),
        ("minister", "brief"),
        ("huiselijk", "geweld"),
    ] {
        let (sa, sb) = (sections(a), sections(b));
        let pair = sections(&format!("{a} {b}"));
        let both: BTreeSet<String> = docs(&sa).intersection(&docs(&sb)).cloned().collect();
        assert_eq!(docs(&pair), both, "{a} {b}: documents");
        let expected: BTreeSet<(String, u64)> = sa
            .union(&sb)
            .filter(|(d, _)| both.contains(d))
            .cloned()
            .collect();
        assert_eq!(pair, expected, "{a} {b}: sections");
        // Documents where no one section holds both words: what a per-section AND missed.
        split += both
            .iter()
            .filter(|d| !sa.iter().any(|x| &x.0 == *d && sb.contains(x)))
            .count();
    }
    assert!(
        split > 0,
        "no document holds a pair in separate sections only"
    );
}

#[test]
fn a_letters_kernpunten_heading_is_a_kernpunten_section() {
    // The brief's question "every Kernpunten section from JenV about stalking", asked of the
    // project's own sample corpus: its stalking letter has a `Kernpunten` heading.
    let index = temp_dir("letter-kernpunten");
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let out = run(&["index", s(&corpus), "--index", s(&index)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer = run_json(
        &[
            "search",
            "stalking",
            "--ministry",
            "JenV",
            "--section",
            "kernpunten",
            "--format",
            "json",
            "--index",
            s(&index),
        ],
        0,
    );
    assert_eq!(hit_ids(&answer), ["concept-kamerbrief-stalking"]);
    let hit = &answer["hits"][0];
    assert_eq!(hit["section"]["kind"], "kernpunten");
    assert_eq!(hit["section"]["heading"], "Kernpunten");
    assert_eq!(hit["matching_sections"], 1);
}
