//! The citation table: real citation strings and the keys ingest must extract from them.

use kamerzoek_ingest::Ingester;

#[test]
fn citation_table() {
    let ingester = Ingester::new().unwrap();
    let table = include_str!("citations.tsv");
    let mut rows = 0;
    let mut failures = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (text, expected) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("citations.tsv:{}: no tab", n + 1));
        rows += 1;
        let doc = ingester
            .parse_bytes(
                "citation.txt",
                format!("Tweede Kamer der Staten-Generaal\n\n{text}\n").as_bytes(),
            )
            .unwrap_or_else(|e| panic!("citations.tsv:{}: {e}", n + 1));
        let got: Vec<String> = doc
            .references
            .iter()
            .map(|r| r.key.clone().unwrap_or_else(|| "-".into()))
            .collect();
        let want: Vec<String> = expected
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if got != want {
            failures.push(format!(
                "line {}: {text:?}: want {want:?}, got {got:?}",
                n + 1
            ));
        }
    }
    assert!(rows >= 40, "only {rows} rows");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
