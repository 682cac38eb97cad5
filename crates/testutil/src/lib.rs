//! Test helpers shared by kamerzoek's crates: finding the real documents in `../shared/`.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

/// The real-document folder `shared/` beside the checkout, found from `CARGO_MANIFEST_DIR`
/// upwards, or from `KAMERZOEK_SHARED` when set.
///
/// Returns `None` (after printing why) when it is absent and `CI` is not `true`: tests that need
/// it then skip. Under CI it is always present, so its absence is a failure there.
///
/// # Panics
/// When the folder is missing and the environment variable `CI` is `true`.
pub fn shared_dir(manifest_dir: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("KAMERZOEK_SHARED")
        .map(PathBuf::from)
        .or_else(|| find_upwards(Path::new(manifest_dir)));
    match candidate {
        Some(dir) if dir.join("seeds").is_dir() => Some(dir),
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("../shared/ not found beside the checkout (required under CI=true)");
            }
            eprintln!("skipping: ../shared/ (real documents) not found beside the checkout");
            None
        }
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("..").join("shared"))
        .find(|dir| dir.join("seeds").is_dir())
}
