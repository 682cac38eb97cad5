//! The analyzers inside tantivy: a RAM index written with the index analyzer and searched with
//! the query analyzer finds compounds by their parts and plurals by their singular.

use kamerzoek_analysis::{DutchAnalysis, INDEX_TOKENIZER};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, TantivyDocument, doc};

#[test]
fn parts_and_plurals_are_found() {
    let analysis = DutchAnalysis::load().unwrap();
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(INDEX_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let body = builder.add_text_field(
        "body",
        TextOptions::default().set_indexing_options(indexing),
    );
    let id = builder.add_text_field("id", STORED);
    let index = Index::create_in_ram(builder.build());
    analysis.register(index.tokenizers());
    let mut writer = index.writer(15_000_000).unwrap();
    for (i, text) in [
        ("a", "De vrouwenopvang in de regio is vol."),
        ("b", "De Kamer nam een motie aan over het beleid."),
        ("c", "Kindermishandeling en huiselijk geweld."),
        ("d", "Het onderzoek naar de gemeente."),
        (
            "e",
            "Verzoekt de regering dit in het basispakket op te nemen.",
        ),
        ("f", "Om te komen tot een besluit."),
    ] {
        writer.add_document(doc!(id => i, body => text)).unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    // Queries look words up whole: the field's tokenizer name maps to the query analyzer.
    let query_tokenizers = TokenizerManager::new();
    query_tokenizers.register(INDEX_TOKENIZER, analysis.query_analyzer());
    let parser = QueryParser::new(index.schema(), vec![body], query_tokenizers);
    let hits = |q: &str| -> Vec<String> {
        let query = parser.parse_query(q).unwrap();
        let mut ids: Vec<String> = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, address)| {
                let d: TantivyDocument = searcher.doc(address).unwrap();
                d.get_first(id)
                    .and_then(|v| v.as_str())
                    .unwrap()
                    .to_string()
            })
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(hits("opvang"), vec!["a"]);
    assert_eq!(hits("vrouwenopvang"), vec!["a"]);
    assert_eq!(hits("moties"), vec!["b"]);
    assert_eq!(hits("mishandeling"), vec!["c"]);
    // A TermQuery on the stemmed part, as the query engine may build it directly.
    let term = tantivy::Term::from_field_text(body, &analysis.analyze_query("opvang")[0].text);
    let q = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
    assert_eq!(searcher.search(&q, &tantivy::collector::Count).unwrap(), 1);
    assert_eq!(hits("\"huiselijk geweld\""), vec!["c"]);
    // A separable verb written apart (`op te nemen`) is found as one, and still as written;
    // `om te komen` ("in order to come") is not `omkomen`.
    assert_eq!(hits("opnemen"), vec!["e"]);
    assert_eq!(hits("\"op te nemen\""), vec!["e"]);
    // At the infinitive's position: a phrase with the words after it holds, one with the
    // words before it would need the particle's two positions.
    assert_eq!(hits("\"opnemen\""), vec!["e"]);
    assert!(hits("\"basispakket opnemen\"").is_empty());
    assert!(hits("omkomen").is_empty());
    assert_eq!(hits("komen"), vec!["f"]);
    // Non-compounds are not split: `zoek` and `leid` find nothing.
    assert!(hits("zoek").is_empty());
    assert!(hits("leid").is_empty());
}
