//! Bytes to text: UTF-8, or Windows-1252/Latin-1 with a warning; binary input refused.

use std::borrow::Cow;

use crate::error::ErrorKind;

/// Decodes file bytes to text, returning the text and an optional warning. Valid UTF-8 (nearly
/// every file) is borrowed, not copied.
///
/// # Errors
/// [`ErrorKind::Empty`] for no bytes, [`ErrorKind::Binary`] for NUL bytes or many control
/// characters.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), ErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ErrorKind::Empty);
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    // Written so that the compiler vectorizes them: the filtered counts they replace were 2 %
    // of an indexing run's instructions.
    let nul = sample.contains(&0);
    // Counted in bytes, 255 at a time, so that each lane of the vector is one byte.
    let control: usize = sample
        .chunks(255)
        .map(|chunk| {
            let count: u8 = chunk
                .iter()
                .map(|&b| {
                    u8::from((b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c))
                })
                .fold(0u8, u8::wrapping_add);
            usize::from(count)
        })
        .sum();
    if nul || control * 20 > sample.len() {
        return Err(ErrorKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), None)),
        Err(e) => {
            let scan = scan_utf8(bytes);
            // No UTF-8 beyond ASCII, and every stray byte reads as a Windows-1252 letter or mark
            // where text has one: a Latin-1/Windows-1252 file, however few accents it has (a
            // 20 KB letter with one `ë` is not "mostly UTF-8").
            let single_byte = scan.multibyte_chars == 0 && scan.all_plausible_1252;
            // Otherwise mostly UTF-8 with a few bad bytes is a damaged UTF-8 file, not Latin-1.
            if !single_byte && scan.invalid_bytes * 1000 < bytes.len() && scan.invalid_bytes < 8 {
                let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
                let bad = text.matches('\u{FFFD}').count();
                return Ok((
                    Cow::Owned(text.into_owned()),
                    Some(format!(
                        "invalid UTF-8 at byte {} ({bad} bytes replaced)",
                        e.valid_up_to()
                    )),
                ));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((
                Cow::Owned(text.into_owned()),
                Some("not UTF-8: decoded as Windows-1252/Latin-1".to_string()),
            ))
        }
    }
}

/// What a pass over not-quite-UTF-8 bytes found.
struct Utf8Scan {
    /// Valid UTF-8 characters of two or more bytes.
    multibyte_chars: usize,
    /// Bytes in invalid sequences.
    invalid_bytes: usize,
    /// Whether every invalid byte reads as plausible Windows-1252 text where it stands.
    all_plausible_1252: bool,
}

fn scan_utf8(bytes: &[u8]) -> Utf8Scan {
    let mut scan = Utf8Scan {
        multibyte_chars: 0,
        invalid_bytes: 0,
        all_plausible_1252: true,
    };
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, 0),
            Err(e) => (
                std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
                // A sequence cut off by the end of the file counts whole.
                e.error_len().unwrap_or(rest.len() - e.valid_up_to()),
            ),
        };
        scan.multibyte_chars += valid.chars().filter(|c| c.len_utf8() > 1).count();
        let start = at + valid.len();
        // Latin-1 `ë”` is C3-like lead plus continuation: judge each byte of a bad sequence.
        for i in start..start + bad {
            scan.invalid_bytes += 1;
            scan.all_plausible_1252 &= plausible_1252(bytes, i);
        }
        if bad == 0 {
            break;
        }
        at = start + bad;
    }
    scan
}

/// Whether the high byte at `i` reads, in Windows-1252, as what a Dutch text has there: an
/// accented letter beside another letter, or a quote, dash, euro sign, ellipsis and the like.
fn plausible_1252(bytes: &[u8], i: usize) -> bool {
    let letter_at = |j: Option<usize>| {
        j.and_then(|j| bytes.get(j)).is_some_and(|&n| {
            n.is_ascii_alphanumeric() || (n >= 0xC0 && !matches!(n, 0xD7 | 0xF7 | 0xFF))
        })
    };
    match bytes[i] {
        // ÿ does not occur in Dutch and 0xFF is the classic stray byte of damage; × and ÷ are
        // no letters.
        0xFF | 0xD7 | 0xF7 => false,
        0xC0..=0xFE => letter_at(i.checked_sub(1)) || letter_at(Some(i + 1)),
        // € ‚ „ … † ‡ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ™ š › œ ž Ÿ.
        0x80
        | 0x82
        | 0x84..=0x87
        | 0x89..=0x8C
        | 0x8E
        | 0x91..=0x97
        | 0x99..=0x9C
        | 0x9E
        | 0x9F => true,
        // No-break space, § ° « » © ® ± ² ³ · ½ and the like.
        0xA0..=0xBF => true,
        // Unassigned in Windows-1252 (0x81 0x8D 0x8F 0x90 0x9D), or ƒ ˆ ˜: not prose.
        _ => false,
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

    #[test]
    fn a_long_latin1_letter_with_few_accents_is_latin1() {
        let para = "De gemeenten werken aan meer plekken in de opvang en informeren de Kamer. ";
        let mut text = para.repeat(20_000 / para.len()).into_bytes();
        for (at, word) in [
            (18_000, &b" \xe9\xe9n "[..]),
            (9_000, b" financi\xeble "),
            (100, b" co\xf6rdinatie "),
        ] {
            text.splice(at..at, word.iter().copied());
        }
        let (t, w) = decode(&text).unwrap();
        assert!(t.contains(" coördinatie ") && t.contains(" financiële ") && t.contains(" één "));
        assert!(!t.contains('\u{FFFD}'));
        assert!(w.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn windows_1252_marks_decode_as_such() {
        // Seven marks in 9 KB: fewer than the old "few bad bytes means damaged UTF-8" cut-off.
        let mut text =
            b"Geachte voorzitter,\n\nDe kosten van \x80 2,5 miljoen zijn \x93structureel\x94 \
            gedekt \x96 zie de \x91Voortgangsbrief\x92\x85\n\n"
                .to_vec();
        text.extend("De gemeenten breiden de opvang uit. ".repeat(250).bytes());
        let (t, w) = decode(&text).unwrap();
        assert!(
            t.contains("van € 2,5 miljoen zijn “structureel” gedekt – zie de ‘Voortgangsbrief’…")
        );
        assert!(w.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        // One ö of a UTF-8 letter lost its second byte: C3 before `r`.
        let mut bytes = "De coördinatie van de opvang. ".repeat(100).into_bytes();
        let at = 1500
            + bytes[1500..]
                .windows(2)
                .position(|w| w == [0xC3, 0xB6])
                .unwrap();
        bytes.remove(at + 1);
        let (t, w) = decode(&bytes).unwrap();
        assert_eq!(t.matches('\u{FFFD}').count(), 1);
        assert_eq!(t.matches("coördinatie").count(), 99);
        assert!(w.unwrap().contains("invalid UTF-8 at byte"));
        // A stray byte in ASCII text is damage too, not a Latin-1 ÿ.
        let mut ascii = "Geachte voorzitter, de opvang wordt uitgebreid. "
            .repeat(50)
            .into_bytes();
        ascii.insert(700, 0xff);
        let (t, w) = decode(&ascii).unwrap();
        assert!(t.contains('\u{FFFD}'));
        assert!(w.unwrap().contains("invalid UTF-8 at byte"));
    }
}
