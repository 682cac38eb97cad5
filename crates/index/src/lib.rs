//! kamerzoek index
