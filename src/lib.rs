//! kamerzoek
