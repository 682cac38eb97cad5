//! All 7,539 real motions: how many get dossier + ondernummer + date + submitters, and, for the
//! motions that carry metadata, whether reading the body alone (metadata removed) agrees with it.
//! Prints its figures (`cargo test -p kamerzoek-ingest --test motions -- --nocapture`).

use kamerzoek_ingest::{DocType, Document, Ingester};
use rayon::prelude::*;

fn surname(s: &str) -> String {
    // Metadata gives "H.D. Heutink"; the body "Heutink".
    s.rsplit_once(". ")
        .map(|(_, n)| n)
        .unwrap_or(s)
        .trim()
        .to_lowercase()
}

#[test]
fn motion_metadata_from_body_agrees_with_metadata() {
    let Some(shared) = kamerzoek_testutil::shared_dir(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let ingester = Ingester::new().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus/moties"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    struct Row {
        full: Document,
        body_only: Option<Document>,
    }
    let rows: Vec<Row> = files
        .par_iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let full = ingester
                .parse_bytes(&p.to_string_lossy(), &bytes)
                .unwrap_or_else(|e| panic!("{e}"));
            let text = String::from_utf8_lossy(&bytes);
            let body_only = text.find("OVERHEIDop.dossiernummer").map(|_| {
                let start = text.find("<metadata>").unwrap_or(0);
                let end = text
                    .find("</metadata>")
                    .map(|i| i + "</metadata>".len())
                    .unwrap_or(start);
                let stripped = format!("{}{}", &text[..start], &text[end..]);
                ingester
                    .parse_bytes(&p.to_string_lossy(), stripped.as_bytes())
                    .unwrap_or_else(|e| panic!("{e}"))
            });
            Row { full, body_only }
        })
        .collect();
    let complete =
        |d: &Document| d.kamerstuk.is_some() && d.date.is_some() && !d.submitters.is_empty();
    let total = rows.len();
    let motions = rows
        .iter()
        .filter(|r| r.full.doc_type == DocType::Motie)
        .count();
    let all_fields = rows.iter().filter(|r| complete(&r.full)).count();
    let with_meta: Vec<&Row> = rows.iter().filter(|r| r.body_only.is_some()).collect();
    let (mut key_ok, mut date_ok, mut subs_ok, mut body_complete) = (0, 0, 0, 0);
    let mut n_shown = 0;
    for r in &with_meta {
        let b = r.body_only.as_ref().unwrap_or_else(|| unreachable!());
        key_ok += usize::from(b.kamerstuk == r.full.kamerstuk);
        if b.kamerstuk != r.full.kamerstuk && n_shown < 5 {
            n_shown += 1;
            println!(
                "key differs: metadata {:?}, body {:?} ({})",
                r.full.kamerstuk, b.kamerstuk, r.full.source
            );
        }
        date_ok += usize::from(b.date == r.full.date);
        let meta_names: std::collections::BTreeSet<String> =
            r.full.submitters.iter().map(|s| surname(&s.name)).collect();
        let body_names: std::collections::BTreeSet<String> =
            b.submitters.iter().map(|s| surname(&s.name)).collect();
        subs_ok += usize::from(!body_names.is_empty() && body_names == meta_names);
        body_complete += usize::from(complete(b));
    }
    let n = with_meta.len();
    println!(
        "motions: {total} files, {motions} typed motie, {all_fields} with dossier+ondernummer+date+submitters"
    );
    let without: Vec<&Row> = rows.iter().filter(|r| r.body_only.is_none()).collect();
    println!(
        "without metadata: {}/{} with dossier+ondernummer+date+submitters",
        without.iter().filter(|r| complete(&r.full)).count(),
        without.len()
    );
    println!(
        "with metadata: {n}; body alone agrees: key {key_ok}/{n}, date {date_ok}/{n}, submitters {subs_ok}/{n}; body alone complete {body_complete}/{n}"
    );
    assert_eq!(total, 7539);
    assert!(
        all_fields * 100 >= total * 97,
        "{all_fields}/{total} complete"
    );
    assert!(key_ok * 100 >= n * 99, "key agreement {key_ok}/{n}");
    assert!(date_ok * 100 >= n * 95, "date agreement {date_ok}/{n}");
    assert!(subs_ok * 100 >= n * 85, "submitter agreement {subs_ok}/{n}");
}
