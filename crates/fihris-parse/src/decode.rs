//! Bytes → lines: rejects what is not text (empty, binary, invalid UTF-8)
//! with the line where it goes wrong.

use crate::error::{ErrorKind, ParseError};

/// Checks that `bytes` are non-empty UTF-8 text and returns them as `str`
/// (without a leading byte-order mark).
pub fn decode<'a>(bytes: &'a [u8], path: &str) -> Result<&'a str, ParseError> {
    let fail = |line: Option<u32>, kind| ParseError {
        path: path.to_owned(),
        line,
        kind,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(None, ErrorKind::Empty));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(fail(Some(line_of(bytes, pos)), ErrorKind::Binary));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        let line_start = bytes[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        fail(
            Some(line_of(bytes, pos)),
            ErrorKind::NotUtf8 {
                column: pos - line_start + 1,
            },
        )
    })?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// 1-based line number of byte offset `pos`.
fn line_of(bytes: &[u8], pos: usize) -> u32 {
    let newlines = bytes[..pos].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Splits text into lines (`\n` or `\r\n`), numbered from 1.
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .zip(1u32..)
        .map(|(l, n)| (n, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_text() {
        assert_eq!(decode(b"", "x").map_err(|e| e.kind), Err(ErrorKind::Empty));
        assert_eq!(
            decode(b" \n\t\n", "x").map_err(|e| e.kind),
            Err(ErrorKind::Empty)
        );
        let bin = decode(b"abc\n\x00def", "x").unwrap_err();
        assert_eq!((bin.kind, bin.line), (ErrorKind::Binary, Some(2)));
        let bad = decode(b"ok\nok\nab\xffc", "x").unwrap_err();
        assert_eq!(
            (bad.kind, bad.line),
            (ErrorKind::NotUtf8 { column: 3 }, Some(3))
        );
        assert_eq!(decode("\u{FEFF}نص".as_bytes(), "x"), Ok("نص"));
    }
}
