//! The query language: text → tree, without an index.
//!
//! Plain words never fail: `van Dijk`, `motie 29279-890`, stray quotes or brackets all parse.
//! Syntax: `"phrases"`, `AND`/`OR`/`NOT`, `+must`, `-mustnot`, `field:word`, `field:"phrase"`,
//! `prefix*`, `fuzzy~` / `fuzzy~2`, `(groups)`, `date:[2024-01-01 TO 2024-12-31]`, `date:>=2024`.
//! Adjacent terms are all required; `OR` binds tighter than the implicit AND, so
//! `vrouwenopvang OR blijf femicide` means `(vrouwenopvang OR blijf) AND femicide`.
//! Groups nest at most [`MAX_DEPTH`] deep; brackets beyond that are ignored (with their closing
//! partners), so the groups inside merge into the deepest allowed one.

/// Whether a clause must, should or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Required.
    Must,
    /// Optional (inside an OR group).
    Should,
    /// Excluded.
    MustNot,
}

/// A leaf of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    /// One word (may analyse into several tokens).
    Word(String),
    /// A quoted phrase.
    Phrase(String),
    /// A word ending in `*`.
    Prefix(String),
    /// A word ending in `~` or `~N`.
    Fuzzy(String, u8),
    /// A range `[a TO b]`, `>a`, `>=a`, `<b`, `<=b`; bounds as written.
    Range {
        /// Lower bound, inclusive.
        lower: Option<String>,
        /// Upper bound, inclusive.
        upper: Option<String>,
    },
}

/// A node of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A leaf, optionally scoped to a field, with its character position in the query.
    Leaf {
        /// The field name before `:`, if any.
        field: Option<String>,
        /// What to match.
        leaf: Leaf,
        /// Character offset of the leaf in the query text.
        pos: usize,
    },
    /// A boolean combination.
    Bool(Vec<(Occur, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Open,
    Close,
    Plus,
    Minus,
}

/// Deepest nesting of `(groups)` the parser builds.
///
/// Parsing, simplifying and compiling recurse once per level, so unbounded nesting overflowed the
/// stack: the fuzz regression `deep-parens` (5,000 `(`) aborted a search on a 2 MB thread.
pub const MAX_DEPTH: usize = 32;

fn lex(q: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Open groups that became tokens, and `(` dropped beyond MAX_DEPTH whose `)` is still due.
    let (mut depth, mut dropped) = (0usize, 0usize);
    let char_pos = |byte: usize| q[..byte].chars().count();
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            // An unbalanced quote runs to the end of the query: a phrase, not an error.
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !matches!(chars[j].1, '"' | '“' | '”') {
                j += 1;
            }
            let end_b = chars.get(j).map(|x| x.0).unwrap_or(q.len());
            let text = q[chars.get(start).map(|x| x.0).unwrap_or(q.len())..end_b].to_string();
            out.push((Tok::Quoted(text), char_pos(b)));
            i = j + 1;
        } else if c == '(' {
            if depth < MAX_DEPTH {
                depth += 1;
                out.push((Tok::Open, char_pos(b)));
            } else {
                dropped += 1;
            }
            i += 1;
        } else if c == ')' {
            if dropped > 0 {
                dropped -= 1;
            } else {
                depth = depth.saturating_sub(1);
                out.push((Tok::Close, char_pos(b)));
            }
            i += 1;
        } else if (c == '+' || c == '-')
            && chars.get(i + 1).is_some_and(|n| !n.1.is_whitespace())
            && (i == 0 || chars[i - 1].1.is_whitespace() || chars[i - 1].1 == '(')
        {
            out.push((if c == '+' { Tok::Plus } else { Tok::Minus }, char_pos(b)));
            i += 1;
        } else {
            let start = i;
            let mut depth = 0usize;
            while i < chars.len() {
                let ch = chars[i].1;
                if ch == '[' {
                    depth += 1;
                } else if ch == ']' {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && (ch.is_whitespace() || ch == '(' || ch == ')') {
                    break;
                } else if depth == 0 && ch == '"' && i > start && chars[i - 1].1 == ':' {
                    // field:"phrase" — the quoted part belongs to this word.
                    let mut j = i + 1;
                    while j < chars.len() && chars[j].1 != '"' {
                        j += 1;
                    }
                    i = (j + 1).min(chars.len());
                    break;
                }
                i += 1;
            }
            let end_b = chars.get(i).map(|x| x.0).unwrap_or(q.len());
            out.push((Tok::Word(q[chars[start].0..end_b].to_string()), char_pos(b)));
        }
    }
    out
}

/// Parses query text into a tree. Never fails: what cannot be read as syntax is read as words.
///
/// ```
/// use kamerzoek_query::parse::{parse, Node, Leaf};
/// let tree = parse("kernpunten:opvang");
/// assert_eq!(tree, Node::Leaf {
///     field: Some("kernpunten".into()),
///     leaf: Leaf::Word("opvang".into()),
///     pos: 0,
/// });
/// ```
pub fn parse(q: &str) -> Node {
    let toks = lex(q);
    let mut p = Parser { toks, i: 0 };
    let node = p.sequence(false);
    simplify(node)
}

/// The query read as *any* of its words, for a search in which no document holds them all:
/// `None` unless it is two or more plain words or phrases typed without operators (`AND`,
/// `OR`, `NOT`, `+`, `-`), groups or field scopes, whose meaning is then the user's.
///
/// ```
/// use kamerzoek_query::parse::{any_word, parse};
/// assert!(any_word("veilige opvangplaatsen slachtoffers").is_some());
/// assert!(any_word("veilige AND opvangplaatsen").is_none());
/// assert!(any_word("title:opvang slachtoffers").is_none());
/// assert!(any_word("opvang").is_none());
/// ```
pub fn any_word(q: &str) -> Option<Node> {
    let operator = |t: &Tok| match t {
        Tok::Plus | Tok::Minus | Tok::Open | Tok::Close => true,
        Tok::Word(w) => matches!(w.as_str(), "AND" | "OR" | "NOT"),
        Tok::Quoted(_) => false,
    };
    if lex(q).iter().any(|(t, _)| operator(t)) {
        return None;
    }
    let Node::Bool(clauses) = parse(q) else {
        return None;
    };
    let plain = |(o, n): &(Occur, Node)| {
        *o == Occur::Must
            && matches!(
                n,
                Node::Leaf {
                    field: None,
                    leaf: Leaf::Word(_) | Leaf::Phrase(_),
                    ..
                }
            )
    };
    if clauses.len() < 2 || !clauses.iter().all(plain) {
        return None;
    }
    Some(Node::Bool(
        clauses
            .into_iter()
            .map(|(_, n)| (Occur::Should, n))
            .collect(),
    ))
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
}

impl Parser {
    /// sequence := (occur? or_group)*
    fn sequence(&mut self, nested: bool) -> Node {
        let mut clauses: Vec<(Occur, Node)> = Vec::new();
        while self.i < self.toks.len() {
            if self.toks[self.i].0 == Tok::Close {
                self.i += 1;
                if nested {
                    break;
                }
                continue; // a stray `)` is ignored
            }
            let mut occur = Occur::Must;
            match &self.toks[self.i].0 {
                Tok::Plus => {
                    self.i += 1;
                }
                Tok::Minus => {
                    occur = Occur::MustNot;
                    self.i += 1;
                }
                Tok::Word(w) if w == "NOT" && self.i + 1 < self.toks.len() => {
                    occur = Occur::MustNot;
                    self.i += 1;
                }
                Tok::Word(w) if w == "AND" || w == "OR" => {
                    // A dangling operator is read as nothing.
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            let Some(first) = self.operand() else {
                continue;
            };
            let mut alternatives = vec![first];
            while self.peek_word("OR") && self.i + 1 < self.toks.len() {
                self.i += 1;
                if let Some(next) = self.operand() {
                    alternatives.push(next);
                }
            }
            let node = if alternatives.len() == 1 {
                alternatives.pop().unwrap_or(Node::Bool(Vec::new()))
            } else {
                Node::Bool(
                    alternatives
                        .into_iter()
                        .map(|n| (Occur::Should, n))
                        .collect(),
                )
            };
            clauses.push((occur, node));
            if self.peek_word("AND") {
                self.i += 1;
            }
        }
        Node::Bool(clauses)
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.toks.get(self.i), Some((Tok::Word(x), _)) if x == w)
    }

    fn operand(&mut self) -> Option<Node> {
        let (tok, pos) = self.toks.get(self.i)?.clone();
        self.i += 1;
        match tok {
            Tok::Open => Some(self.sequence(true)),
            Tok::Quoted(text) => Some(Node::Leaf {
                field: None,
                leaf: Leaf::Phrase(text),
                pos,
            }),
            Tok::Word(w) => Some(word_leaf(&w, pos)),
            Tok::Plus | Tok::Minus => self.operand(),
            Tok::Close => None,
        }
    }
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

fn word_leaf(w: &str, pos: usize) -> Node {
    let (field, value) = match w.split_once(':') {
        Some((f, v)) if is_field_name(f) && !v.is_empty() => (Some(f.to_lowercase()), v),
        _ => (None, w),
    };
    let leaf = if let Some(inner) = value.strip_prefix('"') {
        Leaf::Phrase(inner.trim_end_matches('"').to_string())
    } else if let Some(range) = parse_range(value) {
        range
    } else if let Some(p) = value
        .strip_suffix('*')
        .filter(|p| !p.is_empty() && !p.contains('*'))
    {
        Leaf::Prefix(p.to_string())
    } else if let Some((word, dist)) = value.rsplit_once('~').filter(|(w, _)| !w.is_empty()) {
        let d = if dist.is_empty() {
            1
        } else {
            dist.parse::<u8>().unwrap_or(1).clamp(1, 2)
        };
        Leaf::Fuzzy(word.to_string(), d)
    } else {
        Leaf::Word(value.to_string())
    };
    Node::Leaf { field, leaf, pos }
}

fn parse_range(v: &str) -> Option<Leaf> {
    if let Some(inner) = v.strip_prefix('[').or_else(|| v.strip_prefix('{')) {
        let inner = inner.trim_end_matches([']', '}']);
        let (lo, hi) = inner.split_once(" TO ")?;
        let bound = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s != "*").then(|| s.to_string())
        };
        return Some(Leaf::Range {
            lower: bound(lo),
            upper: bound(hi),
        });
    }
    for (op, lower) in [(">=", true), ("<=", false), (">", true), ("<", false)] {
        if let Some(rest) = v.strip_prefix(op).filter(|r| !r.is_empty()) {
            return Some(if lower {
                Leaf::Range {
                    lower: Some(rest.to_string()),
                    upper: None,
                }
            } else {
                Leaf::Range {
                    lower: None,
                    upper: Some(rest.to_string()),
                }
            });
        }
    }
    None
}

fn simplify(node: Node) -> Node {
    match node {
        Node::Bool(clauses) => {
            let clauses: Vec<(Occur, Node)> = clauses
                .into_iter()
                .map(|(o, n)| (o, simplify(n)))
                .filter(|(_, n)| !matches!(n, Node::Bool(c) if c.is_empty()))
                .collect();
            if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
                clauses
                    .into_iter()
                    .next()
                    .map(|(_, n)| n)
                    .unwrap_or(Node::Bool(Vec::new()))
            } else {
                Node::Bool(clauses)
            }
        }
        leaf => leaf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str, pos: usize) -> Node {
        Node::Leaf {
            field: None,
            leaf: Leaf::Word(s.into()),
            pos,
        }
    }

    #[test]
    fn plain_words_are_all_required() {
        assert_eq!(
            parse("van Dijk"),
            Node::Bool(vec![
                (Occur::Must, word("van", 0)),
                (Occur::Must, word("Dijk", 4))
            ])
        );
    }

    #[test]
    fn or_binds_tighter_than_and() {
        let Node::Bool(c) = parse("a OR b c") else {
            panic!()
        };
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].1,
            Node::Bool(vec![
                (Occur::Should, word("a", 0)),
                (Occur::Should, word("b", 5))
            ])
        );
    }

    #[test]
    fn broken_syntax_degrades_to_words() {
        // Every one of these must parse, to something non-empty.
        for q in [
            "\"vrouwen opvang",
            "(stalking",
            "stalking)",
            "OR",
            "motie 29279-890",
            "-",
            "a:",
            "[2024",
            "AND OR NOT",
            "***",
            "~",
        ] {
            let _ = parse(q);
        }
        assert_eq!(
            parse("\"vrouwen opvang"),
            Node::Leaf {
                field: None,
                leaf: Leaf::Phrase("vrouwen opvang".into()),
                pos: 0
            }
        );
        assert_eq!(
            parse("motie 29279-890"),
            Node::Bool(vec![
                (Occur::Must, word("motie", 0)),
                (Occur::Must, word("29279-890", 6)),
            ])
        );
    }

    #[test]
    fn operators_and_fields() {
        let Node::Bool(c) = parse(
            "+opvang -stalking NOT femicide title:\"huiselijk geweld\" opvang* matie~ date:[2024-01-01 TO 2024-12-31]",
        ) else {
            panic!()
        };
        assert_eq!(c[0].0, Occur::Must);
        assert_eq!(c[1].0, Occur::MustNot);
        assert_eq!(c[2].0, Occur::MustNot);
        assert_eq!(
            c[3].1,
            Node::Leaf {
                field: Some("title".into()),
                leaf: Leaf::Phrase("huiselijk geweld".into()),
                pos: 31
            }
        );
        assert!(matches!(&c[4].1, Node::Leaf { leaf: Leaf::Prefix(p), .. } if p == "opvang"));
        assert!(matches!(&c[5].1, Node::Leaf { leaf: Leaf::Fuzzy(p, 1), .. } if p == "matie"));
        assert!(matches!(
            &c[6].1,
            Node::Leaf {
                leaf: Leaf::Range {
                    lower: Some(_),
                    upper: Some(_)
                },
                ..
            }
        ));
    }

    #[test]
    fn nesting_is_capped() {
        // Beyond MAX_DEPTH the inner groups merge into the deepest one; the words all survive.
        let deep = format!("{}a b{} c", "(".repeat(5000), ")".repeat(5000));
        // The same query nested MAX_DEPTH deep, padded with spaces so positions agree.
        let pad = " ".repeat(5000 - MAX_DEPTH);
        let capped = format!(
            "{}{pad}a b{}{pad} c",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert_eq!(parse(&deep), parse(&capped));
        assert_eq!(parse(&"(".repeat(9000)), Node::Bool(Vec::new()));
    }

    #[test]
    fn positions_count_characters() {
        let Node::Bool(c) = parse("coördinatie ministerie:VWZ") else {
            panic!()
        };
        assert!(matches!(&c[1].1, Node::Leaf { pos: 12, .. }));
    }
}
