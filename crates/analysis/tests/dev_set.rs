//! Checks every line of the shared analysis development set (`../shared/eval/analysis-dev.tsv`):
//! `same A B`, `apart A B`, `split COMPOUND PART`, `whole WORD PART`.

use std::collections::HashSet;

use kamerzoek_analysis::DutchAnalysis;

fn texts(tokens: Vec<kamerzoek_analysis::AnalyzedToken>) -> Vec<String> {
    tokens.into_iter().map(|t| t.text).collect()
}

/// The failure of one check, or `None` when it holds.
fn check(a: &DutchAnalysis, kind: &str, x: &str, y: &str) -> Option<String> {
    let qx = texts(a.analyze_query(x));
    let qy = texts(a.analyze_query(y));
    let ix: HashSet<String> = texts(a.analyze(x)).into_iter().collect();
    let ok = match kind {
        "same" => qx == qy && !qx.is_empty(),
        "apart" => qx.iter().all(|t| !qy.contains(t)),
        "split" => !qy.is_empty() && qy.iter().all(|t| ix.contains(t)),
        "whole" => qy.iter().all(|t| !ix.contains(t)),
        other => return Some(format!("unknown check `{other}`")),
    };
    (!ok).then(|| format!("{kind} {x} {y}: query {qx:?} / {qy:?}, index {ix:?}"))
}

#[test]
fn every_dev_line_holds() {
    let Some(shared) = kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let path = shared.join("eval/analysis-dev.tsv");
    let text = std::fs::read_to_string(&path).expect("analysis-dev.tsv is readable");
    let a = DutchAnalysis::load().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, x, y] = fields[..] else {
            panic!(
                "{}:{}: expected three tab-separated fields",
                path.display(),
                n + 1
            );
        };
        checked += 1;
        if let Some(f) = check(&a, kind, x, y) {
            failures.push(format!("line {}: {f}", n + 1));
        }
    }
    assert!(checked > 0, "no checks in {}", path.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checks_can_fail() {
    // Guards the checker itself: each kind rejects an obviously wrong pair.
    let a = DutchAnalysis::load().unwrap();
    for (kind, x, y) in [
        ("same", "motie", "gemeente"),
        ("apart", "motie", "moties"),
        ("split", "beleid", "opvang"),
        ("whole", "vrouwenopvang", "opvang"),
    ] {
        assert!(check(&a, kind, x, y).is_some(), "{kind} {x} {y} passed");
    }
}
