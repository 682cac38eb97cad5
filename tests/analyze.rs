//! Every line of `../shared/eval/analysis-dev.tsv` through `kamerzoek analyze`.

use std::collections::BTreeSet;

use crate::util::{run_json, shared};

fn tokens(text: &str, query: bool) -> BTreeSet<String> {
    let mut args = vec!["analyze", text, "--format", "json"];
    if query {
        args.push("--query");
    }
    run_json(&args, 0)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn analysis_dev_set_passes_through_the_cli() {
    let Some(shared) = shared() else { return };
    let tsv = std::fs::read_to_string(shared.join("eval/analysis-dev.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (n, line) in tsv.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [check, a, b] = cols[..] else {
            panic!("analysis-dev.tsv line {}: expected 3 columns", n + 1)
        };
        checked += 1;
        let ok = match check {
            // Same term: the query forms are equal.
            "same" => tokens(a, true) == tokens(b, true),
            "apart" => tokens(a, true).is_disjoint(&tokens(b, true)),
            // A query for the part matches a text holding only the compound.
            "split" => tokens(b, true).is_subset(&tokens(a, false)),
            "whole" => tokens(b, true).is_disjoint(&tokens(a, false)),
            other => panic!("analysis-dev.tsv line {}: unknown check {other}", n + 1),
        };
        if !ok {
            failures.push(format!("line {}: {line}", n + 1));
        }
    }
    assert!(checked >= 35, "only {checked} checks read");
    assert!(
        failures.is_empty(),
        "failing checks:\n{}",
        failures.join("\n")
    );
}

#[test]
fn analyze_keeps_keys_and_offsets() {
    let toks = run_json(
        &[
            "analyze",
            "Kamerstuk 29279-890 en 2024D38217",
            "--format",
            "json",
        ],
        0,
    );
    let arr = toks.as_array().unwrap();
    let texts: Vec<&str> = arr.iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("29279")), "{texts:?}");
    assert!(texts.contains(&"2024d38217"), "{texts:?}");
    for t in arr {
        assert!(t["offset_from"].as_u64().unwrap() <= t["offset_to"].as_u64().unwrap());
    }
}
