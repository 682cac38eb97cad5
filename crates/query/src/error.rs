//! The query crate's error type.

/// A request that cannot be answered, with where and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// A `field:` the index does not have.
    #[error("query position {pos}: unknown field `{field}`{}", did_you_mean(.suggestions))]
    UnknownField {
        /// Character position in the query.
        pos: usize,
        /// The field as written.
        field: String,
        /// The nearest valid field names.
        suggestions: Vec<String>,
    },
    /// A filter or facet value the index does not hold.
    #[error("unknown {facet} `{value}`{}", did_you_mean(.suggestions))]
    UnknownValue {
        /// The facet (`ministry`, `type`, ...).
        facet: String,
        /// The value as given.
        value: String,
        /// The nearest valid values.
        suggestions: Vec<String>,
    },
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("{place}: `{value}` is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")]
    InvalidDate {
        /// Where it stood (`--from`, `query position 12`).
        place: String,
        /// The value as given.
        value: String,
    },
    /// A query that would be too expensive to run, refused up front.
    #[error("query position {pos}: {reason}")]
    TooExpensive {
        /// Character position in the query.
        pos: usize,
        /// Why, and what to do instead.
        reason: String,
    },
    /// A request field out of range (`limit` too large, ...).
    #[error("{0}")]
    InvalidRequest(String),
    /// The index could not be read.
    #[error("index: {0}")]
    Index(String),
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(
            "; did you mean {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl From<tantivy::TantivyError> for QueryError {
    fn from(e: tantivy::TantivyError) -> Self {
        QueryError::Index(e.to_string())
    }
}

impl From<kamerzoek_index::IndexError> for QueryError {
    fn from(e: kamerzoek_index::IndexError) -> Self {
        QueryError::Index(e.to_string())
    }
}

/// Levenshtein distance on characters, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidates nearest to `value` (case-insensitive), at most three, closest first.
pub(crate) fn nearest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let v = value.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let d = if v.chars().count() >= 3 && (cl.starts_with(&v) || v.starts_with(&cl)) {
                0
            } else {
                edit_distance(&v, &cl)
            };
            (d, c)
        })
        .filter(|(d, c)| *d <= (c.chars().count() / 2).max(2))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("titel", "title"), 2);
        assert_eq!(
            nearest("titel", ["title", "body", "heading"]),
            vec!["title"]
        );
        assert_eq!(nearest("VWZ", ["VWS", "JenV", "OCW"]), vec!["VWS"]);
        assert!(nearest("xyzzy", ["VWS"]).is_empty());
        let e = QueryError::UnknownField {
            pos: 3,
            field: "titel".into(),
            suggestions: vec!["title".into()],
        };
        assert_eq!(
            e.to_string(),
            "query position 3: unknown field `titel`; did you mean `title`?"
        );
    }
}
