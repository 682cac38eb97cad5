//! Human and CSV renderings of results; JSON goes straight through serde.

use std::io::{Result, Write};
use std::path::Path;

use kamerzoek::analysis::AnalyzedToken;
use kamerzoek::index::{IndexStats, IndexSummary};
use kamerzoek::{CitationStatus, Document, MotieReport, SearchResults};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const TITLE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("{code}{s}{RESET}")
    } else {
        s.to_string()
    }
}

/// Snippet markers become colour on a terminal, `[…]` elsewhere.
fn snippet(s: &str, color: bool) -> String {
    if color {
        s.replace("<em>", MATCH).replace("</em>", RESET)
    } else {
        s.replace("<em>", "[").replace("</em>", "]")
    }
}

pub fn tokens(out: &mut impl Write, tokens: &[AnalyzedToken]) -> Result<()> {
    for t in tokens {
        writeln!(
            out,
            "{:>3}  {:<24} {}..{}{}",
            t.position,
            t.text,
            t.offset_from,
            t.offset_to,
            if t.compound_part {
                "  (compound part)"
            } else if t.separable_verb {
                "  (separable verb)"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

pub fn results(out: &mut impl Write, r: &SearchResults, color: bool) -> Result<()> {
    writeln!(
        out,
        "{} documents, {} sections ({:.1} ms)",
        r.total_documents, r.total_sections, r.took_ms
    )?;
    if r.relaxed {
        writeln!(
            out,
            "(no document holds every word: these hold some of them, best first; --no-relax for none)"
        )?;
    }
    for hit in &r.hits {
        writeln!(out)?;
        let title = hit.title.as_deref().unwrap_or("(untitled)");
        writeln!(
            out,
            "{}  {}",
            paint(color, BOLD, &hit.doc_id),
            paint(color, TITLE, title)
        )?;
        let mut meta = vec![hit.doc_type.clone()];
        if let Some(d) = &hit.date {
            meta.push(d.clone());
        }
        if !hit.ministries.is_empty() {
            meta.push(hit.ministries.join(", "));
        }
        if !hit.submitters.is_empty() {
            meta.push(hit.submitters.join(", "));
        }
        meta.push(format!("score {:.2}", hit.score));
        writeln!(out, "  {}", paint(color, DIM, &meta.join(" · ")))?;
        for s in std::iter::once(&hit.section).chain(&hit.more_sections) {
            let heading = match (&s.number, &s.heading) {
                (Some(n), Some(h)) => format!("{} {n}. {h}", s.kind),
                (None, Some(h)) => format!("{} {h}", s.kind),
                _ => s.kind.clone(),
            };
            writeln!(out, "  § {}", paint(color, BOLD, &heading))?;
            writeln!(out, "    {}", snippet(&s.snippet, color))?;
        }
        writeln!(out, "  {}", paint(color, DIM, &hit.source))?;
    }
    if !r.facets.is_empty() {
        writeln!(out)?;
        for (name, counts) in &r.facets {
            if counts.is_empty() {
                continue;
            }
            let top: Vec<String> = counts
                .iter()
                .take(8)
                .map(|c| format!("{} ({})", c.value, c.count))
                .collect();
            let more = if counts.len() > 8 {
                format!(", … {} more", counts.len() - 8)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{}: {}{more}",
                paint(color, BOLD, name),
                top.join(", ")
            )?;
        }
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(out: &mut impl Write, r: &SearchResults) -> Result<()> {
    writeln!(
        out,
        "doc_id,kamerstuk,title,doc_type,date,ministries,topics,motions,section_kind,section_heading,score,snippet,source"
    )?;
    for h in &r.hits {
        let row = [
            h.doc_id.clone(),
            h.kamerstuk.clone().unwrap_or_default(),
            h.title.clone().unwrap_or_default(),
            h.doc_type.clone(),
            h.date.clone().unwrap_or_default(),
            h.ministries.join(";"),
            h.topics.join(";"),
            h.motions.join(";"),
            h.section.kind.clone(),
            h.section.heading.clone().unwrap_or_default(),
            format!("{:.4}", h.score),
            h.snippet.replace("<em>", "").replace("</em>", ""),
            h.source.clone(),
        ];
        let line: Vec<String> = row.iter().map(|s| csv_field(s)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

pub fn motie(out: &mut impl Write, r: &MotieReport, color: bool) -> Result<()> {
    writeln!(out, "{}", paint(color, BOLD, &format!("motie {}", r.key)))?;
    match &r.motion {
        Some(m) => {
            writeln!(out, "  {}", m.title.as_deref().unwrap_or("(untitled)"))?;
            writeln!(
                out,
                "  {} · {}",
                m.date.as_deref().unwrap_or("undated"),
                m.submitters.join(", ")
            )?;
            for (kind, text) in &m.sections {
                if kind == "verzoek" {
                    writeln!(
                        out,
                        "  verzoek: {}",
                        text.split_whitespace().collect::<Vec<_>>().join(" ")
                    )?;
                }
            }
        }
        None => writeln!(out, "  (the motion itself is not in this index)")?,
    }
    writeln!(out, "\n{} citing sections", r.citations.len())?;
    for c in &r.citations {
        let status = match c.status {
            CitationStatus::Settled => paint(color, MATCH, "SETTLED "),
            CitationStatus::Progress => paint(color, TITLE, "progress"),
            CitationStatus::Cited => "cited   ".to_string(),
        };
        writeln!(
            out,
            "\n{}  {}  {}  {}",
            c.date.as_deref().unwrap_or("undated   "),
            status,
            paint(color, BOLD, &c.doc_id),
            c.title.as_deref().unwrap_or("")
        )?;
        let heading = c.section_heading.as_deref().unwrap_or("");
        writeln!(out, "  § {} {heading}", c.section_kind)?;
        writeln!(
            out,
            "  “{}”",
            c.sentence.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
    }
    if !r.settled_by.is_empty() {
        writeln!(out, "\nsettled by: {}", r.settled_by.join(", "))?;
    }
    Ok(())
}

/// Said when an index holds documents read by another version of the parser or analysis.
pub const STALE_PARSER_NOTE: &str = "some documents in this index were read by another \
    version of kamerzoek's parser or analysis, and some words may not match them; \
    `kamerzoek index` on the index's folders reads them again";

pub fn stats(out: &mut impl Write, dir: &Path, s: &IndexStats) -> Result<()> {
    writeln!(out, "index      {}", dir.display())?;
    writeln!(out, "documents  {}", s.documents)?;
    writeln!(out, "sections   {}", s.sections)?;
    for (t, n) in &s.per_type {
        writeln!(out, "  {t:<12} {n}")?;
    }
    writeln!(out, "size       {}", human_bytes(s.size_bytes))?;
    writeln!(out, "segments   {}", s.segments)?;
    if let Some(t) = s.last_commit_unix {
        writeln!(out, "committed  {t} (unix seconds)")?;
    }
    if s.parser_current {
        writeln!(out, "parser     current")?;
    } else {
        writeln!(out, "parser     out of date: {STALE_PARSER_NOTE}")?;
    }
    Ok(())
}

pub fn summary(out: &mut impl Write, s: &IndexSummary, st: &IndexStats) -> Result<()> {
    writeln!(
        out,
        "{} {}: {} indexed ({} replaced), {} unchanged, {} skipped; {} sections written",
        s.files,
        if s.documents_input {
            "documents"
        } else {
            "files"
        },
        s.indexed,
        s.replaced,
        s.unchanged,
        s.skipped.len(),
        s.sections
    )?;
    if !s.warnings.is_empty() {
        writeln!(
            out,
            "{} warning(s), listed above (indexed all the same)",
            s.warnings.len()
        )?;
    }
    writeln!(
        out,
        "{:.1} s, {:.2} MB/s, {} commits; index now {} documents, {} sections, {}",
        s.seconds,
        s.mb_per_s(),
        s.commits,
        st.documents,
        st.sections,
        human_bytes(st.size_bytes)
    )
}

fn human_bytes(b: u64) -> String {
    match b {
        0..1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        _ => format!("{:.2} GB", b as f64 / 1e9),
    }
}

pub fn progress(done: usize, total: usize) {
    if total == 0 {
        // Documents read from a stream: how many there are is known only at its end.
        eprint!("\r{done} documents");
        return;
    }
    let width = 40;
    let filled = (done * width)
        .checked_div(total)
        .unwrap_or(width)
        .min(width);
    eprint!(
        "\r[{}{}] {done}/{total}",
        "#".repeat(filled),
        " ".repeat(width - filled)
    );
}

pub fn document(out: &mut impl Write, d: &Document) -> Result<()> {
    writeln!(out, "== {} ({})", d.id, d.doc_type.as_str())?;
    writeln!(out, "source:     {}", d.source)?;
    for (k, v) in [
        ("title", &d.title),
        ("date", &d.date),
        ("kenmerk", &d.kenmerk),
        ("kamerstuk", &d.kamerstuk),
        ("vergaderjaar", &d.vergaderjaar),
    ] {
        if let Some(v) = v {
            writeln!(out, "{k:<11} {v}")?;
        }
    }
    if let Some(pages) = d.pages {
        writeln!(out, "pages       {pages}")?;
    }
    if !d.ministries.is_empty() {
        writeln!(out, "ministries: {}", d.ministries.join(", "))?;
    }
    if !d.ministries_mentioned.is_empty() {
        writeln!(out, "mentioned:  {}", d.ministries_mentioned.join(", "))?;
    }
    for s in &d.submitters {
        writeln!(
            out,
            "indiener:   {} {}",
            s.name,
            s.party.as_deref().unwrap_or("")
        )?;
    }
    for (i, s) in d.sections.iter().enumerate() {
        let head = [s.number.as_deref(), s.heading.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let words = s.text.split_whitespace().count();
        writeln!(
            out,
            "  [{i}] {:<20} {head}  ({words} words)",
            s.kind.as_str()
        )?;
    }
    for r in &d.references {
        writeln!(
            out,
            "  ref {:<10} {:<16} {}",
            format!("{:?}", r.kind).to_lowercase(),
            r.key.as_deref().unwrap_or("-"),
            r.raw
        )?;
    }
    for w in &d.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    writeln!(out)
}
