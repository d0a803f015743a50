//! CSV and other delimited text, and the text of HTML tables, in UTF-8 (with or without BOM),
//! UTF-16, GBK or GB18030, read while streaming: neither the file's bytes nor its decoded text
//! are held whole (an HTML document's text is, once), only the grid being built.

use super::{html, Cell, Format, ReadError, Sheet, Workbook, MAX_CELLS, MAX_COLS, MAX_ROWS};
use crate::model::cell_ref;
use encoding_rs::{DecoderResult, Encoding};
use std::io::{self, Read, Seek, SeekFrom};

/// Bytes read from the file at a time.
const CHUNK: usize = 64 << 10;

/// Reads a text file (anything not recognised as a binary format by its first bytes) from
/// `src`, passing every byte of it to `seen` once, in order (the caller's hash).
///
/// The encoding is found without being told: BOMs first, then strict UTF-8 (a first pass over
/// the whole file, stopping at the first byte that is not), then GB18030 (a superset of GBK).
/// Anything else is refused rather than guessed. A file that is not HTML is checked whole for
/// NUL and other control characters (binary data, not a table) as it is parsed.
pub fn read_text<R: Read + Seek>(
    mut src: R,
    seen: &mut dyn FnMut(&[u8]),
) -> Result<Workbook, ReadError> {
    let unreadable = |e: io::Error| ReadError::Unreadable(crate::i18n::io_error(&e));
    let mut head = [0u8; 3];
    let n = read_full(&mut src, &mut head).map_err(unreadable)?;
    let (encoding, skip, label) = match &head[..n] {
        [0xEF, 0xBB, 0xBF] => (encoding_rs::UTF_8, 3, "UTF-8 (BOM)"),
        [0xFF, 0xFE, ..] => (encoding_rs::UTF_16LE, 2, "UTF-16"),
        [0xFE, 0xFF, ..] => (encoding_rs::UTF_16BE, 2, "UTF-16"),
        _ => {
            src.seek(SeekFrom::Start(0)).map_err(unreadable)?;
            if is_utf8(&mut src).map_err(unreadable)? {
                (encoding_rs::UTF_8, 0, "UTF-8")
            } else {
                (encoding_rs::GB18030, 0, "GBK")
            }
        }
    };
    src.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut text = Decoded::new(src, encoding, skip, seen);
    let read = read_decoded(&mut text);
    // The first of: a byte that does not decode, text that is all blank, a control character,
    // then whatever parsing said, as when the whole text was decoded and checked first.
    let decoded = text.drain();
    let label = if label == "GBK" && text.four_byte {
        "GB18030"
    } else {
        label
    };
    decoded?;
    if !text.saw_text {
        return Err(ReadError::Empty);
    }
    if text.binary {
        return Err(ReadError::NotSpreadsheet(crate::said!(
            crate::i18n::Msg::KindBinary
        )));
    }
    let (format, sheets) = read?;
    Ok(Workbook {
        format,
        encoding: Some(label),
        sheets,
    })
}

/// Parses the decoded text as HTML tables or delimited text, by its beginning.
fn read_decoded<R: Read>(text: &mut Decoded<'_, R>) -> Result<(Format, Vec<Sheet>), ReadError> {
    // The beginning: enough to tell HTML and to choose the delimiter.
    let mut prefix = String::new();
    while !(prefix.trim_start().len() >= 8192 && filled_lines(&prefix) >= 30)
        && prefix.len() < 1 << 20
        && text.fill()?
    {
        prefix.push_str(text.chunk());
        text.consume_all();
    }
    if html::looks_like_html(&prefix) {
        // Tables read as the text is decoded: only an open cell or tag is held between pieces.
        let mut tables = html::Tables::default();
        let mut buf = prefix;
        tables.feed(&mut buf)?;
        while text.fill()? {
            buf.push_str(text.chunk());
            text.consume_all();
            tables.feed(&mut buf)?;
        }
        let sheets = tables.finish();
        if sheets.is_empty() {
            return Err(ReadError::NotSpreadsheet(crate::said!(
                crate::i18n::Msg::KindHtmlNoTable
            )));
        }
        return Ok((Format::Html, sheets));
    }
    text.check_controls = true;
    text.scan(&prefix);
    if text.binary {
        return Err(ReadError::NotSpreadsheet(crate::said!(
            crate::i18n::Msg::KindBinary
        )));
    }
    let delim = sniff_delimiter(&prefix);
    let rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(io::Cursor::new(prefix.into_bytes()).chain(text));
    Ok((Format::Csv, vec![parse_delimited(rdr)?]))
}

/// Lines of `s` holding more than blanks.
fn filled_lines(s: &str) -> usize {
    s.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Whether all of `src` is UTF-8, read to its end or its first byte that is not.
fn is_utf8<R: Read>(src: &mut R) -> io::Result<bool> {
    let mut buf = vec![0u8; CHUNK + 4];
    // Bytes of a character cut by the end of the last read.
    let mut carry = 0;
    loop {
        let n = read_some(src, &mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let len = carry + n;
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

fn read_some<R: Read>(src: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match src.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn read_full<R: Read>(src: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match read_some(src, &mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The decoded text of a byte stream, a chunk at a time, checked as it goes.
struct Decoded<'s, R> {
    src: R,
    seen: &'s mut dyn FnMut(&[u8]),
    decoder: encoding_rs::Decoder,
    raw: Box<[u8]>,
    raw_pos: usize,
    raw_len: usize,
    /// Bytes of the file before the text (a BOM), those of them not read yet, and bytes
    /// given to the decoder since.
    skip: usize,
    bom_left: usize,
    decoded_bytes: usize,
    /// The end of the text was decoded.
    done: bool,
    out: String,
    out_pos: usize,
    error: Option<ReadError>,
    /// Some text is not blank.
    saw_text: bool,
    /// Whether to look for control characters, and whether one was found.
    check_controls: bool,
    binary: bool,
    /// For GB18030: whether a four-byte sequence was seen (the text is GB18030, not GBK), and
    /// whether the last byte read was a lead byte whose second byte is in the next read.
    gb: bool,
    four_byte: bool,
    lead_pending: bool,
}

impl<'s, R: Read> Decoded<'s, R> {
    fn new(
        src: R,
        encoding: &'static Encoding,
        skip: usize,
        seen: &'s mut dyn FnMut(&[u8]),
    ) -> Decoded<'s, R> {
        let decoder = encoding.new_decoder_without_bom_handling();
        let cap = decoder
            .max_utf8_buffer_length_without_replacement(CHUNK)
            .unwrap_or(CHUNK * 4);
        Decoded {
            src,
            seen,
            decoder,
            raw: vec![0u8; CHUNK].into_boxed_slice(),
            raw_pos: 0,
            raw_len: 0,
            skip,
            bom_left: skip,
            decoded_bytes: 0,
            done: false,
            out: String::with_capacity(cap),
            out_pos: 0,
            error: None,
            saw_text: false,
            check_controls: false,
            binary: false,
            gb: encoding == encoding_rs::GB18030,
            four_byte: false,
            lead_pending: false,
        }
    }

    /// The text decoded and not yet consumed.
    fn chunk(&self) -> &str {
        &self.out[self.out_pos..]
    }
    fn consume_all(&mut self) {
        self.out_pos = self.out.len();
    }

    /// Decodes the next chunk of text when the last one is consumed; false at the end.
    fn fill(&mut self) -> Result<bool, ReadError> {
        if self.out_pos < self.out.len() {
            return Ok(true);
        }
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !self.done {
            if let Err(e) = self.step() {
                self.error = Some(e.clone());
                return Err(e);
            }
        }
        let out = std::mem::take(&mut self.out);
        self.scan(&out);
        self.out = out;
        Ok(!self.out.is_empty())
    }

    /// Reads and decodes once.
    fn step(&mut self) -> Result<(), ReadError> {
        if self.raw_pos == self.raw_len {
            self.raw_pos = 0;
            self.raw_len = read_some(&mut self.src, &mut self.raw)
                .map_err(|e| ReadError::Unreadable(crate::i18n::io_error(&e)))?;
            let read = &self.raw[..self.raw_len];
            (self.seen)(read);
            if self.gb && !self.four_byte {
                self.four_byte = has_gb18030_four_byte(read, &mut self.lead_pending);
            }
            // The BOM, at the start of the first reads.
            let bom = self.bom_left.min(self.raw_len);
            self.raw_pos = bom;
            self.bom_left -= bom;
        }
        let last = self.raw_len == 0;
        let (res, n) = self.decoder.decode_to_string_without_replacement(
            &self.raw[self.raw_pos..self.raw_len],
            &mut self.out,
            last,
        );
        self.raw_pos += n;
        self.decoded_bytes += n;
        match res {
            DecoderResult::Malformed(bad, extra) => Err(ReadError::Undecodable {
                offset: (self.skip + self.decoded_bytes)
                    .saturating_sub(bad as usize + extra as usize),
            }),
            DecoderResult::InputEmpty => {
                self.done = last;
                Ok(())
            }
            DecoderResult::OutputFull => {
                if self.out.is_empty() {
                    self.out.reserve(
                        self.decoder
                            .max_utf8_buffer_length_without_replacement(self.raw_len - self.raw_pos)
                            .unwrap_or(16)
                            .max(16),
                    );
                }
                Ok(())
            }
        }
    }

    /// Notes whether decoded text is blank and, for delimited text, whether it holds a NUL or
    /// another control character. Bytes first (every control character but U+0080..U+009F is
    /// one ASCII byte in UTF-8), then chars only when a C1 lead byte (0xC2) is present.
    fn scan(&mut self, s: &str) {
        if !self.saw_text && !s.trim().is_empty() {
            self.saw_text = true;
        }
        if self.check_controls
            && !self.binary
            && (s
                .bytes()
                .any(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t') || b == 0x7F)
                || (s.as_bytes().contains(&0xC2)
                    && s.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c))))
        {
            self.binary = true;
        }
    }

    /// Decodes (and checks) the rest of the text, and reads the rest of the file (for `seen`)
    /// once a byte did not decode.
    fn drain(&mut self) -> Result<(), ReadError> {
        self.consume_all();
        let decoded = loop {
            match self.fill() {
                Ok(true) => self.consume_all(),
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        if decoded.is_err() {
            while let Ok(n) = read_some(&mut self.src, &mut self.raw) {
                if n == 0 {
                    break;
                }
                (self.seen)(&self.raw[..n]);
            }
        }
        decoded
    }
}

/// The text, for the CSV reader; stops at a control character (the caller says so).
impl<R: Read> Read for Decoded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.binary {
            return Err(io::Error::other("binary data"));
        }
        match self.fill() {
            Ok(true) if self.binary => return Err(io::Error::other("binary data")),
            Ok(true) => {}
            Ok(false) => return Ok(0),
            Err(e) => return Err(io::Error::other(e.to_string())),
        }
        let rest = &self.out.as_bytes()[self.out_pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Whether `b` holds a GB18030 four-byte sequence (a lead byte followed by a digit), given
/// whether the byte before `b` was a lead byte.
fn has_gb18030_four_byte(b: &[u8], lead_pending: &mut bool) -> bool {
    let mut i = 0;
    if std::mem::take(lead_pending) {
        match b.first() {
            None => {
                *lead_pending = true;
                return false;
            }
            Some(0x30..=0x39) => return true,
            Some(_) => i = 1,
        }
    }
    while i < b.len() {
        if b[i] < 0x80 {
            i += 1;
        } else if i + 1 == b.len() {
            *lead_pending = true;
            return false;
        } else if (0x30..=0x39).contains(&b[i + 1]) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Splits delimited text into a grid, one record at a time: each row is stored at the width
/// of its last non-empty field, blank rows only when a filled one follows, and the limits are
/// checked before a row is kept (one long row must not widen the whole grid).
fn parse_delimited<R: Read>(mut rdr: csv::Reader<R>) -> Result<Sheet, ReadError> {
    const NAME: &str = "csv";
    let mut sheet = Sheet::empty(NAME.into());
    let mut record = csv::ByteRecord::new();
    let (mut r, mut width, mut cells) = (0usize, 0usize, 0usize);
    // Byte records: no UTF-8 check per field (the text is UTF-8 already) and no error for a
    // stray quote, whose text is kept as the field.
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // A byte that does not decode or a control character: the caller says which.
            Err(e) => {
                return Err(ReadError::Unreadable(crate::said!(
                    crate::i18n::Msg::CsvRecord,
                    n = r + 1,
                    why = e
                )))
            }
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
            while sheet.height() <= r {
                sheet.new_row();
            }
            for field in record.iter().take(w) {
                // Fields split at ASCII delimiters of UTF-8 text are UTF-8; lossy only to
                // avoid a panic.
                let s = String::from_utf8_lossy(field);
                sheet.push(if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(&*s)
                });
            }
        }
        r += 1;
    }
    Ok(sheet)
}

fn is_blank(field: &[u8]) -> bool {
    match std::str::from_utf8(field) {
        Ok(s) => s.trim().is_empty(),
        Err(_) => false,
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

    fn read(bytes: &[u8]) -> Result<Workbook, ReadError> {
        let mut seen = Vec::new();
        let wb = read_text(io::Cursor::new(bytes), &mut |b| seen.extend_from_slice(b));
        assert_eq!(seen, bytes, "every byte given to `seen` once, in order");
        wb
    }

    fn rows(wb: &Workbook) -> Vec<Vec<String>> {
        let s = &wb.sheets[0];
        (0..s.height())
            .map(|r| {
                (0..s.row_len(r))
                    .map(|c| s.get(r, c).display().into())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn detects_encodings() {
        let s = "填报单位：大沙镇中心卫生院,本月\n出院人数,12\n";
        let want = vec![
            vec!["填报单位：大沙镇中心卫生院".to_string(), "本月".into()],
            vec!["出院人数".into(), "12".into()],
        ];
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        let wb = read(&gbk).unwrap();
        assert_eq!((rows(&wb), wb.encoding), (want.clone(), Some("GBK")));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        let wb = read(&bom).unwrap();
        assert_eq!(
            (rows(&wb), wb.encoding),
            (want.clone(), Some("UTF-8 (BOM)"))
        );
        assert_eq!(read(s.as_bytes()).unwrap().encoding, Some("UTF-8"));
        // UTF-16 in both byte orders, with their BOMs.
        for (bom, le) in [(b"\xFF\xFE", true), (b"\xFE\xFF", false)] {
            let mut b = bom.to_vec();
            for u in s.encode_utf16() {
                b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let wb = read(&b).unwrap();
            assert_eq!((rows(&wb), wb.encoding), (want.clone(), Some("UTF-16")));
        }
        // A character outside GBK (𠀀, U+20000) needs GB18030's four-byte form.
        let rare = "单位,𠀀卫生室\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(rare);
        let wb = read(&gb).unwrap();
        assert_eq!(
            (rows(&wb), wb.encoding),
            (
                vec![vec!["单位".to_string(), "𠀀卫生室".into()]],
                Some("GB18030")
            )
        );
        // A lone lead byte (a GBK file cut after one byte) is refused, not looped on.
        assert_eq!(
            read(b"\xBB").unwrap_err(),
            ReadError::Undecodable { offset: 0 }
        );
        // 0xFF is valid in neither: said at its offset.
        assert_eq!(
            read(b"ab\xFF\xFFcd").unwrap_err(),
            ReadError::Undecodable { offset: 2 }
        );
        // After a BOM, UTF-8 is strict; the offset counts the BOM.
        assert_eq!(
            read(b"\xEF\xBB\xBFab,\xFFc").unwrap_err(),
            ReadError::Undecodable { offset: 6 }
        );
    }

    #[test]
    fn long_gbk_text_decodes_across_reads() {
        // Characters cut by the 64 KiB reads, in both passes; a four-byte sequence far on.
        let line = "石门乡卫生院,出院人数,12\n";
        let mut s = line.repeat(3 * CHUNK / line.len());
        s.push_str("备注,𠀀\n");
        let (gb, _, _) = encoding_rs::GB18030.encode(&s);
        assert!(gb.len() > 2 * CHUNK);
        let wb = read(&gb).unwrap();
        assert_eq!(wb.encoding, Some("GB18030"));
        let got = rows(&wb);
        assert_eq!(got.len(), 3 * CHUNK / line.len() + 1);
        assert!(got[..got.len() - 1]
            .iter()
            .all(|r| r == &["石门乡卫生院", "出院人数", "12"]));
        assert_eq!(got.last().unwrap(), &["备注", "𠀀"]);
    }

    #[test]
    fn nul_and_blank_anywhere() {
        // A NUL far past the beginning, after more than any first read.
        let mut s = "a,b\n".repeat(50_000).into_bytes();
        s.extend_from_slice(b"c,\x00\n");
        assert_eq!(
            read(&s).unwrap_err(),
            ReadError::NotSpreadsheet(crate::said!(crate::i18n::Msg::KindBinary))
        );
        // Blank text (form feed included, as `trim` has it) is empty, not binary.
        assert_eq!(read(b" \n\x0C\t\n").unwrap_err(), ReadError::Empty);
        // A byte that does not decode wins over a row too wide, as when decoding came first.
        let mut s = ",".repeat(MAX_COLS + 5);
        s.push_str("x\n");
        let mut b = s.into_bytes();
        b.extend_from_slice(&b"a,b\n".repeat(40_000));
        b.extend_from_slice(b"\xEF\xBB\xBF\xFF\xFF\n");
        assert!(matches!(
            read(&b).unwrap_err(),
            ReadError::Undecodable { .. }
        ));
    }

    #[test]
    fn tab_and_semicolon_delimiters() {
        let wb = read("指标\t本月\n出院人数\t1,234\n".as_bytes()).unwrap();
        assert_eq!(wb.sheets[0].get(1, 1), Cell::Text("1,234"));
        let wb = read(b"a;b;c\n1;2;3\n").unwrap();
        assert_eq!(wb.sheets[0].row_len(1), 3);
    }
}
