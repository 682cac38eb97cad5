//! kamerzoek query
