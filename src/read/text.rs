//! CSV and other delimited text, in UTF-8 (with or without BOM), UTF-16, GBK or GB18030.

use super::{Cell, ReadError, Sheet, MAX_CELLS, MAX_COLS, MAX_ROWS};
use crate::model::cell_ref;
use std::borrow::Cow;

/// Decodes text without being told the encoding: BOMs first, then strict UTF-8, then
/// GB18030 (a superset of GBK). Anything else is refused rather than guessed. UTF-8 text is
/// borrowed, not copied.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (Cow::Borrowed(s), "UTF-8 (BOM)"))
            .map_err(|e| ReadError::Undecodable {
                offset: e.valid_up_to() + 3,
            });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (s, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(ReadError::Undecodable { offset: 2 });
        }
        return Ok((s, "UTF-16"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(utf8_err) => {
            let decoded =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
            match decoded {
                Some(s) => {
                    // Four-byte sequences exist only in GB18030, not GBK.
                    let four_byte = has_gb18030_four_byte(bytes);
                    Ok((s, if four_byte { "GB18030" } else { "GBK" }))
                }
                None => Err(ReadError::Undecodable {
                    offset: first_gb_error(bytes).unwrap_or(utf8_err.valid_up_to()),
                }),
            }
        }
    }
}

fn has_gb18030_four_byte(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 {
            i += 1;
        } else if i + 1 < b.len() && (0x30..=0x39).contains(&b[i + 1]) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

fn first_gb_error(bytes: &[u8]) -> Option<usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    let mut consumed = 0;
    loop {
        let (res, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut out, true);
        consumed += read;
        match res {
            encoding_rs::DecoderResult::Malformed(bad, _) => {
                return Some(consumed.saturating_sub(bad as usize))
            }
            encoding_rs::DecoderResult::InputEmpty => return None,
            // Reserving by the input length alone never grows a buffer already that long, and
            // the decoder asks for its worst case: a one-byte file looped here forever.
            encoding_rs::DecoderResult::OutputFull => out.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - consumed)
                    .unwrap_or(16)
                    .max(16),
            ),
        }
    }
}

/// Splits delimited text into a grid, one record at a time: each row is allocated once at the
/// width of its last non-empty field, blank rows only when a filled one follows, and the
/// limits are checked before a row is kept (one long row must not widen the whole grid).
/// The delimiter is the one of `,` `\t` `;` that gives the most consistent column count over
/// the first lines.
pub fn parse_delimited(text: &str) -> Result<Sheet, ReadError> {
    const NAME: &str = "csv";
    let delim = sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let (mut r, mut width, mut cells) = (0usize, 0usize, 0usize);
    // Byte records: no UTF-8 check per field (the text is UTF-8 already) and no error for a
    // stray quote, whose text is kept as the field.
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Not expected from bytes in memory; said rather than cutting the table short.
            Err(e) => return Err(ReadError::Unreadable(format!("CSV record {}: {e}", r + 1))),
        }
        let filled = record.iter().rposition(|f| !is_blank(f)).map(|c| c + 1);
        if let Some(w) = filled {
            let too_large = |c: usize| ReadError::TooLarge {
                sheet: NAME.into(),
                cell: cell_ref(r, c),
                rows: r + 1,
                cols: c + 1,
            };
            if r >= MAX_ROWS || w > MAX_COLS {
                return Err(too_large(w - 1));
            }
            width = width.max(w);
            cells += w;
            if (r + 1).saturating_mul(width) > MAX_CELLS || cells > MAX_CELLS {
                return Err(too_large(width - 1));
            }
            rows.resize_with(r, Vec::new);
            let mut row = Vec::with_capacity(w);
            row.extend(record.iter().take(w).map(to_cell));
            rows.push(row);
        }
        r += 1;
    }
    Ok(Sheet {
        name: NAME.into(),
        rows,
        merges: vec![],
    })
}

fn is_blank(field: &[u8]) -> bool {
    match std::str::from_utf8(field) {
        Ok(s) => s.trim().is_empty(),
        Err(_) => false,
    }
}

fn to_cell(field: &[u8]) -> Cell {
    // Fields split at ASCII delimiters of UTF-8 text are UTF-8; lossy only to avoid a panic.
    let s = String::from_utf8_lossy(field);
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';'] {
        let score: usize = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count().min(50))
            .sum();
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let s = "填报单位：大沙镇中心卫生院,本月\n出院人数,12\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        let text = |(t, e): (Cow<'_, str>, &'static str)| (t.into_owned(), e);
        assert_eq!(text(decode(&gbk).unwrap()), (s.to_string(), "GBK"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(text(decode(&bom).unwrap()), (s.to_string(), "UTF-8 (BOM)"));
        assert_eq!(decode(s.as_bytes()).unwrap().1, "UTF-8");
        // A character outside GBK (𠀀, U+20000) needs GB18030's four-byte form.
        let rare = "单位,𠀀卫生室\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(rare);
        assert_eq!(text(decode(&gb).unwrap()), (rare.to_string(), "GB18030"));
        // A lone lead byte (a GBK file cut after one byte) is refused, not looped on.
        assert_eq!(
            decode(b"\xBB").unwrap_err(),
            ReadError::Undecodable { offset: 0 }
        );
        // 0xFF is valid in neither.
        assert!(matches!(
            decode(b"ab\xFF\xFFcd").unwrap_err(),
            ReadError::Undecodable { .. }
        ));
    }

    #[test]
    fn tab_and_semicolon_delimiters() {
        let s = parse_delimited("指标\t本月\n出院人数\t1,234\n").unwrap();
        assert_eq!(s.rows[1][1], Cell::Text("1,234".into()));
        let s = parse_delimited("a;b;c\n1;2;3\n").unwrap();
        assert_eq!(s.rows[1].len(), 3);
    }
}
