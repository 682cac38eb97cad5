//! Bytes to text: UTF-8, or Windows-1252/Latin-1 with a warning; binary input refused.

use crate::error::ErrorKind;

/// Decodes file bytes to text, returning the text and an optional warning.
///
/// # Errors
/// [`ErrorKind::Empty`] for no bytes, [`ErrorKind::Binary`] for NUL bytes or many control
/// characters.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, Option<String>), ErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ErrorKind::Empty);
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let nul = sample.iter().filter(|b| **b == 0).count();
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if nul > 0 || control * 20 > sample.len() {
        return Err(ErrorKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), None)),
        Err(e) => {
            // Mostly UTF-8 with a few bad bytes is a damaged UTF-8 file, not Latin-1.
            let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
            let bad = text.matches('\u{FFFD}').count();
            if bad * 1000 < bytes.len() && bad < 8 {
                return Ok((
                    text.into_owned(),
                    Some(format!(
                        "invalid UTF-8 at byte {} ({bad} bytes replaced)",
                        e.valid_up_to()
                    )),
                ));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((
                text.into_owned(),
                Some("not UTF-8: decoded as Windows-1252/Latin-1".to_string()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode(b"").unwrap_err(), ErrorKind::Empty);
        assert_eq!(decode(b"  \n").unwrap_err(), ErrorKind::Empty);
        assert_eq!(decode(b"ab\0cd").unwrap_err(), ErrorKind::Binary);
        let (t, w) = decode(b"co\xf6rdinatie en financi\xeble").unwrap();
        assert_eq!(t, "coördinatie en financiële");
        assert!(w.unwrap().contains("Windows-1252"));
        let (t, w) = decode("coördinatie".as_bytes()).unwrap();
        assert_eq!(t, "coördinatie");
        assert!(w.is_none());
        let mut long = "coördinatie ".repeat(200).into_bytes();
        long.insert(500, 0xff);
        let (_, w) = decode(&long).unwrap();
        assert!(w.unwrap().contains("invalid UTF-8 at byte"));
    }
}
