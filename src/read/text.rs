//! CSV and other delimited text, in UTF-8 (with or without BOM), UTF-16, GBK or GB18030.

use super::{Cell, ReadError, Sheet};

/// Decodes text without being told the encoding: BOMs first, then strict UTF-8, then
/// GB18030 (a superset of GBK). Anything else is refused rather than guessed.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 (BOM)"))
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
        return Ok((s.into_owned(), "UTF-16"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(utf8_err) => {
            let decoded =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
            match decoded {
                Some(s) => {
                    // Four-byte sequences exist only in GB18030, not GBK.
                    let four_byte = has_gb18030_four_byte(bytes);
                    Ok((s.into_owned(), if four_byte { "GB18030" } else { "GBK" }))
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
            encoding_rs::DecoderResult::OutputFull => out.reserve(bytes.len()),
        }
    }
}

/// Splits delimited text into a grid. The delimiter is the one of `,` `\t` `;` that gives
/// the most consistent column count over the first lines.
pub fn parse_delimited(text: &str) -> Sheet {
    let delim = sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        // A malformed quote makes csv return an error for that record only; keep its text.
        match rec {
            Ok(r) => rows.push(r.iter().map(to_cell).collect()),
            Err(_) => rows.push(vec![]),
        }
    }
    Sheet {
        name: "csv".into(),
        rows,
        merges: vec![],
    }
}

fn to_cell(s: &str) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
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
        assert_eq!(decode(&gbk).unwrap(), (s.to_string(), "GBK"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).unwrap(), (s.to_string(), "UTF-8 (BOM)"));
        assert_eq!(decode(s.as_bytes()).unwrap().1, "UTF-8");
        // A character outside GBK (𠀀, U+20000) needs GB18030's four-byte form.
        let rare = "单位,𠀀卫生室\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(rare);
        assert_eq!(decode(&gb).unwrap(), (rare.to_string(), "GB18030"));
        // 0xFF is valid in neither.
        assert!(matches!(
            decode(b"ab\xFF\xFFcd").unwrap_err(),
            ReadError::Undecodable { .. }
        ));
    }

    #[test]
    fn tab_and_semicolon_delimiters() {
        let s = parse_delimited("指标\t本月\n出院人数\t1,234\n");
        assert_eq!(s.rows[1][1], Cell::Text("1,234".into()));
        let s = parse_delimited("a;b;c\n1;2;3\n");
        assert_eq!(s.rows[1].len(), 3);
    }
}
