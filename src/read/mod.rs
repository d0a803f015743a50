//! Stage 1: bytes -> cell grids. The reader is chosen by the file's first bytes, not its
//! extension: hospital information systems often export an HTML table or a CSV named `.xls`.

mod archive;
mod biff;
mod html;
mod text;
mod workbook;
mod xlsx;

use crate::i18n::{Msg, Text};
use crate::model::cell_ref;
use crate::said;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Limits. Every reader refuses a file beyond these before (or while) allocating for it, so a
// hostile or broken file is rejected within seconds and bounded memory, with its own message,
// and the other files of the run go on. A monthly report is far below each of them.

/// Rows of one sheet (up to its last non-empty row).
pub const MAX_ROWS: usize = 100_000;
/// Columns of one sheet (up to its last non-empty column; a CSV row counts the same way).
pub const MAX_COLS: usize = 1_000;
/// Cells of one sheet: the rectangle from A1 to the last non-empty row and column, and also
/// the non-empty cells a reader collects (a sheet repeating one cell address is refused too).
pub const MAX_CELLS: usize = 4_000_000;
/// Merged ranges of one sheet (after dropping exact repeats of one range).
pub const MAX_MERGES: usize = 10_000;
/// Inflated size of one part (file) inside an xlsx, xlsb or ods archive: what the archive
/// declares, and what actually comes out while inflating, since a declared size can lie.
pub const MAX_PART_BYTES: u64 = 256 << 20;
/// Inflated size of all parts of one archive together.
pub const MAX_INFLATED_BYTES: u64 = 512 << 20;
/// Parts in one archive.
pub const MAX_PARTS: usize = 10_000;
/// Shared strings of one xlsx (the distinct texts of all its sheets).
pub const MAX_SHARED_STRINGS: usize = 4_000_000;
/// Sheets (or HTML tables) of one workbook. A consortium's workbook with a sheet per member
/// has a few hundred; each sheet costs a pass of every later stage however empty it is.
pub const MAX_SHEETS: usize = 1_000;

/// 24 bytes (texts are boxed `str`, without a `String`'s capacity): a sheet holds millions.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    /// Always finite: a number cell holding NaN or an infinity is `NotFinite`.
    Number(f64),
    Text(Box<str>),
    /// A date-formatted number cell, with its workbook's epoch.
    Date(ExcelDate),
    Bool(bool),
    /// An Excel error value as written (`#DIV/0!`, `#SPILL!`, `#CALC!`, …).
    Error(Box<str>),
    /// A number cell holding NaN or an infinity (`NaN`, `INF`, `1e309`), as Rust prints it
    /// (`NaN`, `inf`, `-inf`). No spreadsheet program saves one: the figure is unknown.
    NotFinite(Box<str>),
    /// A formula whose result was never saved (openpyxl and some generators write them): the
    /// formula text, without the `=`. What the cell would show is unknown.
    Formula(Box<str>),
}

/// An Excel date serial and the epoch it counts from: workbooks saved with the 1904 date
/// system (Excel for Mac, some WPS settings) count days from 1904-01-01, so the same serial is
/// 1,462 days later than in the 1900 system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExcelDate {
    pub serial: f64,
    pub epoch_1904: bool,
}

impl ExcelDate {
    pub fn new(serial: f64, epoch_1904: bool) -> ExcelDate {
        ExcelDate { serial, epoch_1904 }
    }

    /// The serial in the 1900 system: days since 1899-12-30 (Excel's 1900 system counts a
    /// 1900-02-29 that never was, so serials from 61 on, all real dates, are days since then).
    pub fn serial_1900(&self) -> f64 {
        if self.epoch_1904 {
            self.serial + 1462.0
        } else {
            self.serial
        }
    }

    /// The calendar day (time of day dropped), `None` before 1900-03-01 or past 9999.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        let s = self.serial_1900();
        if !(61.0..2_958_466.0).contains(&s) {
            return None;
        }
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
            .checked_add_days(chrono::Days::new(s.floor() as u64))
    }
}

impl Cell {
    /// A number cell read from a file: NaN and the infinities are kept apart.
    pub fn number(v: f64) -> Cell {
        if v.is_finite() {
            Cell::Number(v)
        } else {
            Cell::NotFinite(v.to_string().into())
        }
    }

    /// A date-formatted number cell read from a file.
    pub fn date(serial: f64, epoch_1904: bool) -> Cell {
        if serial.is_finite() {
            Cell::Date(ExcelDate::new(serial, epoch_1904))
        } else {
            Cell::NotFinite(serial.to_string().into())
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
    /// The cell as a user would read it, for messages and lineage.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(v) => crate::model::fmt_num(*v),
            // As Excel shows a date cell; a serial outside the calendar stays a number.
            Cell::Date(d) => match d.date() {
                Some(day) => day.format("%Y-%m-%d").to_string(),
                None => crate::model::fmt_num(d.serial),
            },
            Cell::Text(s) => s.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) | Cell::NotFinite(e) => e.to_string(),
            Cell::Formula(f) => format!("={f}"),
        }
    }
}

/// A merged region, inclusive, zero-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Merge {
    pub r0: usize,
    pub c0: usize,
    pub r1: usize,
    pub c1: usize,
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    /// Dense grid from A1; rows may have different lengths.
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
}

impl Sheet {
    pub fn get(&self, r: usize, c: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&EMPTY)
    }
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }
    pub fn is_blank(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Cell::is_empty))
    }
    /// Builds a grid from sparse cells, refusing absurd extents before allocating.
    pub fn from_cells(
        name: String,
        cells: impl IntoIterator<Item = (usize, usize, Cell)>,
        merges: Vec<Merge>,
    ) -> Result<Sheet, ReadError> {
        let mut items: Vec<(usize, usize, Cell)> = Vec::new();
        let (mut max_r, mut max_c) = (0usize, 0usize);
        for (r, c, cell) in cells {
            if cell.is_empty() {
                continue;
            }
            max_r = max_r.max(r);
            max_c = max_c.max(c);
            if r >= MAX_ROWS || c >= MAX_COLS {
                return Err(ReadError::TooLarge {
                    sheet: name,
                    cell: cell_ref(r, c),
                    rows: r + 1,
                    cols: c + 1,
                });
            }
            if items.len() == MAX_CELLS {
                return Err(too_many_cells(&name));
            }
            items.push((r, c, cell));
        }
        if !items.is_empty() && (max_r + 1).saturating_mul(max_c + 1) > MAX_CELLS {
            return Err(ReadError::TooLarge {
                sheet: name,
                cell: cell_ref(max_r, max_c),
                rows: max_r + 1,
                cols: max_c + 1,
            });
        }
        // Each row allocated once at its final width.
        let mut widths = vec![0usize; if items.is_empty() { 0 } else { max_r + 1 }];
        for &(r, c, _) in &items {
            widths[r] = widths[r].max(c + 1);
        }
        let mut rows: Vec<Vec<Cell>> = widths.iter().map(|&w| vec![Cell::Empty; w]).collect();
        for (r, c, cell) in items {
            rows[r][c] = cell;
        }
        let merges = check_merges(&name, merges, rows.len(), max_c + 1)?;
        Ok(Sheet { name, rows, merges })
    }
}

/// Drops exact repeats of a merged range (they say nothing more, and every later stage pays
/// for each one) and refuses more distinct ranges than `MAX_MERGES`, or ranges overlapping so
/// much that together they cover more than `MAX_CELLS` cells of the `height × width` grid
/// (ranges that do not overlap never do: filling each merged label costs its area).
fn check_merges(
    sheet: &str,
    mut merges: Vec<Merge>,
    height: usize,
    width: usize,
) -> Result<Vec<Merge>, ReadError> {
    if merges.len() > 1 {
        let mut seen = std::collections::HashSet::with_capacity(merges.len().min(MAX_MERGES + 1));
        merges.retain(|m| seen.insert(*m));
    }
    if merges.len() > MAX_MERGES {
        return Err(ReadError::OverLimit {
            sheet: Some(sheet.to_string()),
            what: format!(
                "sheet `{sheet}` has {} different merged ranges",
                merges.len()
            ),
            limit: format!("{MAX_MERGES} merged ranges per sheet"),
        });
    }
    let covered = merges
        .iter()
        .filter(|m| m.r0 < height && m.c0 < width && m.r1 >= m.r0 && m.c1 >= m.c0)
        .map(|m| (m.r1.min(height - 1) - m.r0 + 1) * (m.c1.min(width - 1) - m.c0 + 1))
        .fold(0usize, usize::saturating_add);
    if covered > MAX_CELLS {
        return Err(ReadError::OverLimit {
            sheet: Some(sheet.to_string()),
            what: format!(
                "sheet `{sheet}` has overlapping merged ranges covering {covered} cells together"
            ),
            limit: format!("{MAX_CELLS} cells per sheet"),
        });
    }
    Ok(merges)
}

/// The error for a sheet holding more non-empty cells than `MAX_CELLS`.
fn too_many_cells(sheet: &str) -> ReadError {
    ReadError::OverLimit {
        sheet: Some(sheet.to_string()),
        what: format!("sheet `{sheet}` has more than {MAX_CELLS} filled cells"),
        limit: format!("{MAX_CELLS} cells per sheet"),
    }
}

/// Refuses a workbook listing more than `MAX_SHEETS` sheets, before any of them is read.
pub(crate) fn check_sheet_count(n: usize) -> Result<(), ReadError> {
    if n > MAX_SHEETS {
        return Err(ReadError::OverLimit {
            sheet: None,
            what: format!("the workbook has {n} sheets"),
            limit: format!("{MAX_SHEETS} sheets per workbook"),
        });
    }
    Ok(())
}

/// Keeps a streamed cell unless it is empty, refusing a cell beyond the limits as soon as it is
/// seen: a bomb must not be collected first. Shared by both xlsx readers and xlsb.
fn keep_cell(
    sheet: &str,
    cells: &mut Vec<(usize, usize, Cell)>,
    r: usize,
    c: usize,
    v: Cell,
) -> Result<(), ReadError> {
    if v.is_empty() {
        return Ok(());
    }
    if r >= MAX_ROWS || c >= MAX_COLS {
        return Err(ReadError::TooLarge {
            sheet: sheet.to_string(),
            cell: cell_ref(r, c),
            rows: r + 1,
            cols: c + 1,
        });
    }
    if cells.len() >= MAX_CELLS {
        return Err(too_many_cells(sheet));
    }
    cells.push((r, c, v));
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Workbook {
    pub format: Format,
    /// Text encoding for csv/html (`UTF-8`, `UTF-8 (BOM)`, `GBK`, `GB18030`, `UTF-16`).
    pub encoding: Option<&'static str>,
    pub sheets: Vec<Sheet>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    Empty,
    Encrypted,
    NotSpreadsheet(String),
    Unreadable(String),
    Undecodable {
        offset: usize,
    },
    TooLarge {
        sheet: String,
        cell: String,
        rows: usize,
        cols: usize,
    },
    /// A part of the archive does not match its checksum or its declared size.
    Damaged {
        part: String,
        why: String,
    },
    /// Over one of the limits above: `what` says what was found, `limit` which limit.
    OverLimit {
        sheet: Option<String>,
        what: String,
        limit: String,
    },
}

impl ReadError {
    /// The sheet the error is about, if it is about one.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            ReadError::TooLarge { sheet, .. } => Some(sheet),
            ReadError::OverLimit { sheet, .. } => sheet.as_deref(),
            _ => None,
        }
    }
}

impl ReadError {
    /// What a user reads, in either language (`Display` is its English).
    pub fn text(&self) -> Text {
        match self {
            ReadError::Empty => said!(Msg::FileEmpty),
            ReadError::Encrypted => said!(Msg::FileEncrypted),
            ReadError::NotSpreadsheet(what) => said!(Msg::NotSpreadsheet, what = what),
            ReadError::Unreadable(why) => said!(Msg::UnreadableWorkbook, why = why),
            ReadError::Undecodable { offset } => said!(Msg::UndecodableText, offset = offset),
            ReadError::TooLarge {
                sheet,
                cell,
                rows,
                cols,
            } => said!(
                Msg::SheetTooLarge,
                sheet = sheet,
                cell = cell,
                rows = rows,
                cols = cols,
                max_rows = MAX_ROWS,
                max_cols = MAX_COLS
            ),
            ReadError::Damaged { part, why } => said!(Msg::FileDamaged, why = why, part = part),
            ReadError::OverLimit { what, limit, .. } => {
                said!(Msg::OverLimit, what = what, limit = limit)
            }
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text().fmt(f)
    }
}

impl std::error::Error for ReadError {}

/// Reads any supported file from its bytes.
pub fn read_bytes(bytes: &[u8]) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&CFB) {
        // An encrypted .xlsx is an OLE container holding an `EncryptedPackage` stream.
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(ReadError::Encrypted);
        }
        return workbook::read_xls(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return if find(bytes, b"xl/workbook.bin") {
            workbook::read_xlsb(bytes)
        } else if find(bytes, b"xl/workbook.xml") || find(bytes, b"xl/_rels") {
            read_xlsx(bytes)
        } else if find(bytes, b"opendocument.spreadsheet") || find(bytes, b"content.xml") {
            workbook::read_ods(bytes)
        } else if find(bytes, b"word/") {
            Err(ReadError::NotSpreadsheet("a Word document".into()))
        } else {
            Err(ReadError::NotSpreadsheet(
                "a zip archive without a workbook inside".into(),
            ))
        };
    }
    if let Some(kind) = known_binary(bytes) {
        return Err(ReadError::NotSpreadsheet(kind.into()));
    }
    let (decoded, encoding) = text::decode(bytes)?;
    if decoded.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if html::looks_like_html(&decoded) {
        let sheets = html::parse_tables(&decoded)?;
        if sheets.is_empty() {
            return Err(ReadError::NotSpreadsheet(
                "an HTML page without a table".into(),
            ));
        }
        return Ok(Workbook {
            format: Format::Html,
            encoding: Some(encoding),
            sheets,
        });
    }
    // The whole text: a NUL or control character anywhere means binary data, not a table.
    // Bytes first (every control character but U+0080..U+009F is one ASCII byte in UTF-8),
    // then chars only when a C1 lead byte (0xC2) is present.
    if decoded
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t') || b == 0x7F)
        || (decoded.as_bytes().contains(&0xC2)
            && decoded.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)))
    {
        return Err(ReadError::NotSpreadsheet("binary data".into()));
    }
    let sheet = text::parse_delimited(&decoded)?;
    Ok(Workbook {
        format: Format::Csv,
        encoding: Some(encoding),
        sheets: vec![sheet],
    })
}

/// The one-pass reader first (it checks the CRC of each part it inflates); whatever it is not
/// sure of goes through calamine, after every part is checked.
fn read_xlsx(bytes: &[u8]) -> Result<Workbook, ReadError> {
    archive::check_declared(bytes)?;
    match xlsx::read(bytes) {
        Some(out) => out,
        None => workbook::read_xlsx_calamine(bytes),
    }
}

/// Both xlsx readers, for differential tests: the one-pass fast path (`None` = it would fall
/// back) and the calamine path.
#[doc(hidden)]
pub mod xlsx_readers {
    use super::{ReadError, Workbook};
    pub fn fast(bytes: &[u8]) -> Option<Result<Workbook, ReadError>> {
        super::xlsx::read(bytes)
    }
    pub fn calamine(bytes: &[u8]) -> Result<Workbook, ReadError> {
        super::workbook::read_xlsx_calamine(bytes)
    }
}

fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    let sigs: [(&[u8], &str); 6] = [
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7z archive"),
    ];
    sigs.iter()
        .find(|(s, _)| bytes.starts_with(s))
        .map(|(_, k)| *k)
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_utf16(hay: &[u8], s: &str) -> bool {
    let needle: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    find(hay, &needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_by_content_not_extension() {
        assert_eq!(read_bytes(b"").unwrap_err(), ReadError::Empty);
        assert!(matches!(
            read_bytes(b"%PDF-1.4 ...").unwrap_err(),
            ReadError::NotSpreadsheet(_)
        ));
        let wb = read_bytes(
            "<html><body><table><tr><td>出院人数</td><td>12</td></tr></table></body></html>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(wb.format, Format::Html);
        assert_eq!(wb.sheets[0].get(0, 1), &Cell::Text("12".into()));
        let wb = read_bytes("指标,本月\n出院人数,12\n".as_bytes()).unwrap();
        assert_eq!(wb.format, Format::Csv);
        assert_eq!(wb.sheets[0].get(1, 0), &Cell::Text("出院人数".into()));
    }

    #[test]
    fn dates_in_both_epochs() {
        // 45352 (1900) = 2024-03-01; 1899-12-30 -> 1904-01-01 is 1462 days.
        let d = |serial, e| ExcelDate::new(serial, e).date().map(|d| d.to_string());
        assert_eq!(d(45352.0, false).as_deref(), Some("2024-03-01"));
        assert_eq!(d(43890.0, true).as_deref(), Some("2024-03-01"));
        assert_eq!(d(43890.0, false).as_deref(), Some("2020-02-29"));
        assert_eq!(d(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(d(3e6, false), None);
        assert_eq!(Cell::date(f64::NAN, true), Cell::NotFinite("NaN".into()));
        assert_eq!(
            Cell::number(f64::NEG_INFINITY),
            Cell::NotFinite("-inf".into())
        );
        assert_eq!(Cell::Formula("SUM(A1:A2)".into()).display(), "=SUM(A1:A2)");
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }

    #[test]
    fn sparse_cells_far_apart_are_refused_before_allocating() {
        let cells = vec![
            (0, 0, Cell::Number(1.0)),
            (1_048_575, 16_383, Cell::Number(2.0)),
        ];
        let err = Sheet::from_cells("Sheet1".into(), cells, vec![]).unwrap_err();
        assert!(err.to_string().contains("XFD1048576"), "{err}");
    }
}
