//! End-to-end tests: the real `kamerzoek` binary on real files.

mod util;

mod analyze;
mod bad_input;
mod concurrency;
mod documents;
mod first_use;
mod formats;
mod interrupt;
mod search;
mod upgrade;
