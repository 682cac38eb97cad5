//! Compound splitting with lindera, for comparison with the built-in lattice splitter: builds a
//! lindera (MeCab-format) dictionary from `index-schema/analysis/lexicon.tsv`, segments words in
//! Decompose mode (long tokens penalised, so a compound's parts beat the whole word), and prints
//! the parts, agreement with the built-in splitter on the development words, and timings.
//!
//! ```text
//! cargo run --release -p kamerzoek-analysis --example lindera_split
//! ```

use std::borrow::Cow;
use std::time::Instant;

use lindera::dictionary::load_fs_dictionary;
use lindera::mode::{Mode, Penalty};
use lindera::segmenter::Segmenter;
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

const LEXICON: &str = include_str!("../../../index-schema/analysis/lexicon.tsv");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join("kamerzoek-lindera");
    let (src, out) = (dir.join("src"), dir.join("dict"));
    std::fs::create_dir_all(&src)?;
    std::fs::create_dir_all(&out)?;
    let entries: Vec<(&str, u64)> = LEXICON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, f)| Some((w, f.parse().ok()?)))
        .collect();
    let total: u64 = entries.iter().map(|e| e.1).sum();
    let mut csv = String::new();
    for (w, f) in &entries {
        // Word cost: -log probability, scaled into i16 like MeCab's costs.
        let cost = (-((*f as f64) / total as f64).ln() * 300.0).min(30_000.0) as i32;
        csv.push_str(&format!("{w},0,0,{cost},N,*,*,*,*,*,{w},*,*\n"));
    }
    // Linking elements as cheap morphemes of their own.
    for link in ["s", "en", "e"] {
        csv.push_str(&format!("{link},0,0,1500,LINK,*,*,*,*,*,{link},*,*\n"));
    }
    std::fs::write(src.join("lex.csv"), csv)?;
    std::fs::write(src.join("matrix.def"), "1 1\n0 0 0\n")?;
    std::fs::write(
        src.join("char.def"),
        "DEFAULT 0 1 0\nALPHA 0 1 0\n0x0061..0x007A ALPHA\n",
    )?;
    std::fs::write(
        src.join("unk.def"),
        "DEFAULT,0,0,30000,UNK,*,*,*,*,*,*,*,*\nALPHA,0,0,30000,UNK,*,*,*,*,*,*,*,*\n",
    )?;
    let t = Instant::now();
    DictionaryBuilder::new(Metadata::default()).build_dictionary(&src, &out)?;
    let build = t.elapsed();
    let t = Instant::now();
    let dictionary = load_fs_dictionary(&out)?;
    let load = t.elapsed();
    let penalty = Penalty {
        kanji_penalty_length_threshold: 2,
        kanji_penalty_length_penalty: 3000,
        other_penalty_length_threshold: 7,
        other_penalty_length_penalty: 6000,
    };
    let segmenter = Segmenter::new(Mode::Decompose(penalty), dictionary, None);
    let analysis = kamerzoek_analysis::DutchAnalysis::load()?;
    let words = [
        "vrouwenopvang",
        "kindermishandeling",
        "huwelijksdwang",
        "opvangcapaciteit",
        "veiligheidsbeoordeling",
        "partnergeweld",
        "slachtofferhulp",
        "publiekscampagne",
        "wetsvoorstel",
        "huisverbod",
        "beleid",
        "gemeente",
        "onderzoek",
        "mishandeling",
        "staatssecretaris",
        "ministerie",
        "voorstel",
        "stikstofuitstoot",
        "jeugdzorg",
    ];
    let mut agree = 0;
    for w in words {
        let toks = segmenter.segment(Cow::Borrowed(w))?;
        let parts: Vec<String> = toks
            .iter()
            .map(|t| t.surface.to_string())
            .filter(|p| !["s", "en", "e"].contains(&p.as_str()))
            .collect();
        let parts = if parts.len() < 2 { Vec::new() } else { parts };
        let ours = analysis.compound_parts(w);
        agree += usize::from(parts == ours);
        println!("{w:<24} lindera {parts:?}  built-in {ours:?}");
    }
    let sample: Vec<&str> = entries
        .iter()
        .map(|e| e.0)
        .filter(|w| w.len() >= 7)
        .take(20_000)
        .collect();
    let t = Instant::now();
    let mut n = 0;
    for w in &sample {
        n += segmenter.segment(Cow::Borrowed(w))?.len();
    }
    let lindera_time = t.elapsed();
    let t = Instant::now();
    let mut m = 0;
    for w in &sample {
        m += analysis.compound_parts(w).len();
    }
    let ours_time = t.elapsed();
    println!(
        "lexicon {} words; dictionary build {:.0} ms, load {:.0} ms; agreement on {} dev words: {agree}; {} words: lindera {:.1} ms ({n} tokens), built-in {:.1} ms ({m} parts)",
        entries.len(),
        build.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3,
        words.len(),
        sample.len(),
        lindera_time.as_secs_f64() * 1e3,
        ours_time.as_secs_f64() * 1e3
    );
    Ok(())
}
