//! The compiled tantivy schema, as JSON, must match the reviewed golden file: an unnoticed change
//! to `index-schema/schema.toml` would make existing indexes unreadable.
//! `UPDATE_GOLDEN=1 cargo test -p kamerzoek-index --test schema_golden` rewrites it.

use kamerzoek_index::SchemaDef;

#[test]
fn compiled_schema_matches_golden() {
    let def = SchemaDef::load().unwrap();
    let json = serde_json::to_string_pretty(&def.compile()).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/schema.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &json).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(
        want == json,
        "compiled schema differs from {}; if intended, bump `version` in index-schema/schema.toml and rewrite with UPDATE_GOLDEN=1",
        path.display()
    );
}
