//! Dutch text analysis for tantivy: tokenization, folding, stemming and compound splitting.
#![deny(missing_docs)]
