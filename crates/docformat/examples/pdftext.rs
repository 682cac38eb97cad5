//! Prints what kamerzoek-docformat reads from PDF or .docx files: body text, margin, footnotes.
//!
//! `cargo run -p kamerzoek-docformat --example pdftext -- FILE...`
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let t = std::time::Instant::now();
        match kamerzoek_docformat::extract(&bytes) {
            Ok(x) => {
                println!(
                    "== {path}: {} pages, {:?}, {:.1} ms",
                    x.pages.len(),
                    x.warnings,
                    t.elapsed().as_secs_f64() * 1e3
                );
                for p in &x.pages {
                    println!("-- page {} margin: {:?}", p.number, p.margin);
                }
                print!("{}", x.body_text());
            }
            Err(e) => println!("== {path}: {e}"),
        }
    }
}
