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

/// A cell's value. `Cell` (texts as boxed `str`, 24 bytes) is what readers produce and tests
/// write; a sheet stores its cells in one arena and hands out `CellRef`s, which borrow their
/// text from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<S = Box<str>> {
    Empty,
    /// Always finite: a number cell holding NaN or an infinity is `NotFinite`.
    Number(f64),
    Text(S),
    /// A date-formatted number cell, with its workbook's epoch.
    Date(ExcelDate),
    Bool(bool),
    /// An Excel error value as written (`#DIV/0!`, `#SPILL!`, `#CALC!`, …).
    Error(S),
    /// A number cell holding NaN or an infinity (`NaN`, `INF`, `1e309`), as Rust prints it
    /// (`NaN`, `inf`, `-inf`). No spreadsheet program saves one: the figure is unknown.
    NotFinite(S),
    /// A formula whose result was never saved (openpyxl and some generators write them): the
    /// formula text, without the `=`. What the cell would show is unknown.
    Formula(S),
}

/// A cell of a `Sheet`, its text borrowed from the sheet.
pub type CellRef<'a> = Cell<&'a str>;

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
        self.view().text()
    }
}

impl<S> Cell<S> {
    /// The same cell, its text (if any) held as `f` makes it.
    pub fn map_text<T>(self, f: impl FnOnce(S) -> T) -> Cell<T> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Number(v) => Cell::Number(v),
            Cell::Text(s) => Cell::Text(f(s)),
            Cell::Date(d) => Cell::Date(d),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Error(s) => Cell::Error(f(s)),
            Cell::NotFinite(s) => Cell::NotFinite(f(s)),
            Cell::Formula(s) => Cell::Formula(f(s)),
        }
    }

    /// The same cell, its text (if any) borrowed as `f` finds it.
    pub fn map_ref<'a, T>(&'a self, f: impl FnOnce(&'a S) -> T) -> Cell<T> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Number(v) => Cell::Number(*v),
            Cell::Text(s) => Cell::Text(f(s)),
            Cell::Date(d) => Cell::Date(*d),
            Cell::Bool(b) => Cell::Bool(*b),
            Cell::Error(s) => Cell::Error(f(s)),
            Cell::NotFinite(s) => Cell::NotFinite(f(s)),
            Cell::Formula(s) => Cell::Formula(f(s)),
        }
    }
}

impl<S: AsRef<str>> Cell<S> {
    /// The same cell, its text borrowed.
    pub fn view(&self) -> CellRef<'_> {
        self.map_ref(|s| s.as_ref())
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.as_ref().trim().is_empty(),
            _ => false,
        }
    }
    /// The cell as a user would read it, for messages and lineage.
    pub fn display(&self) -> crate::model::Short {
        use crate::model::{short_num, Short};
        match self {
            Cell::Empty => Short::default(),
            Cell::Number(v) => short_num(*v),
            // As Excel shows a date cell; a serial outside the calendar stays a number.
            Cell::Date(d) => match d.date() {
                Some(day) => compact_str::format_compact!("{}", day.format("%Y-%m-%d")),
                None => short_num(d.serial),
            },
            Cell::Text(s) => Short::from(s.as_ref()),
            Cell::Bool(b) => Short::from(if *b { "true" } else { "false" }),
            Cell::Error(e) | Cell::NotFinite(e) => Short::from(e.as_ref()),
            Cell::Formula(f) => compact_str::format_compact!("={}", f.as_ref()),
        }
    }
}

impl<'a> CellRef<'a> {
    /// The text of a text cell, borrowed from the sheet (not from this value).
    pub fn text(&self) -> Option<&'a str> {
        match *self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
    /// The cell with its own copy of the text.
    pub fn owned(&self) -> Cell {
        match *self {
            Cell::Empty => Cell::Empty,
            Cell::Number(v) => Cell::Number(v),
            Cell::Text(s) => Cell::Text(s.into()),
            Cell::Date(d) => Cell::Date(d),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Error(s) => Cell::Error(s.into()),
            Cell::NotFinite(s) => Cell::NotFinite(s.into()),
            Cell::Formula(s) => Cell::Formula(s.into()),
        }
    }
}

impl PartialEq<&Cell> for CellRef<'_> {
    fn eq(&self, other: &&Cell) -> bool {
        *self == other.view()
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
    pub merges: Vec<Merge>,
    /// Dense grid from A1, rows of different lengths, in one arena: row `r`'s cells are
    /// `ends[r]..ends[r + 1]` of `kinds`/`vals` (`ends[0]` is 0).
    ends: Vec<usize>,
    width: usize,
    /// Per cell, one of the `K_*` kinds (`K_LONG` set for a text kept in `long`).
    kinds: Vec<u8>,
    /// Per cell: a number's or date's bits, a bool, or where its text lies in `texts`
    /// (`start << 24 | len`; for `K_LONG`, an index into `long`).
    vals: Vec<u64>,
    /// Every text of the sheet, one after the other.
    texts: String,
    /// (start, len) of the texts of 16 MiB or more (or lying beyond 1 TiB).
    long: Vec<(usize, usize)>,
}

// A cell costs 9 bytes and its text, and no allocation of its own: a sheet holds millions.
const K_EMPTY: u8 = 0;
const K_NUMBER: u8 = 1;
const K_DATE_1900: u8 = 2;
const K_DATE_1904: u8 = 3;
const K_BOOL: u8 = 4;
const K_TEXT: u8 = 5;
const K_ERROR: u8 = 6;
const K_NOT_FINITE: u8 = 7;
const K_FORMULA: u8 = 8;
const K_LONG: u8 = 0x80;
const LEN_BITS: u32 = 24;

impl Sheet {
    /// A sheet without rows, to be filled with `new_row` and `push`.
    pub(crate) fn empty(name: String) -> Sheet {
        Sheet {
            name,
            merges: vec![],
            ends: vec![0],
            width: 0,
            kinds: vec![],
            vals: vec![],
            texts: String::new(),
            long: vec![],
        }
    }
    /// Starts a new (empty) last row.
    pub(crate) fn new_row(&mut self) {
        self.ends.push(self.kinds.len());
    }
    /// Appends a cell to the last row.
    pub(crate) fn push(&mut self, cell: CellRef<'_>) {
        let (kind, val) = match cell {
            Cell::Empty => (K_EMPTY, 0),
            Cell::Number(v) => (K_NUMBER, v.to_bits()),
            Cell::Date(d) if d.epoch_1904 => (K_DATE_1904, d.serial.to_bits()),
            Cell::Date(d) => (K_DATE_1900, d.serial.to_bits()),
            Cell::Bool(b) => (K_BOOL, b as u64),
            Cell::Text(s) => self.push_text(K_TEXT, s),
            Cell::Error(s) => self.push_text(K_ERROR, s),
            Cell::NotFinite(s) => self.push_text(K_NOT_FINITE, s),
            Cell::Formula(s) => self.push_text(K_FORMULA, s),
        };
        self.kinds.push(kind);
        self.vals.push(val);
        let n = self.ends.len();
        self.ends[n - 1] = self.kinds.len();
        self.width = self.width.max(self.kinds.len() - self.ends[n - 2]);
    }
    fn push_text(&mut self, kind: u8, s: &str) -> (u8, u64) {
        let start = self.texts.len();
        self.texts.push_str(s);
        let (start, len) = (start as u64, s.len() as u64);
        if len < 1 << LEN_BITS && start < 1 << (64 - LEN_BITS) {
            (kind, start << LEN_BITS | len)
        } else {
            self.long.push((start as usize, len as usize));
            (kind | K_LONG, (self.long.len() - 1) as u64)
        }
    }
    fn cell_at(&self, i: usize) -> CellRef<'_> {
        let (kind, v) = (self.kinds[i], self.vals[i]);
        let text = || {
            let (start, len) = if kind & K_LONG != 0 {
                self.long[v as usize]
            } else {
                (
                    (v >> LEN_BITS) as usize,
                    (v & ((1 << LEN_BITS) - 1)) as usize,
                )
            };
            &self.texts[start..start + len]
        };
        match kind & !K_LONG {
            K_NUMBER => Cell::Number(f64::from_bits(v)),
            K_DATE_1900 => Cell::Date(ExcelDate::new(f64::from_bits(v), false)),
            K_DATE_1904 => Cell::Date(ExcelDate::new(f64::from_bits(v), true)),
            K_BOOL => Cell::Bool(v != 0),
            K_TEXT => Cell::Text(text()),
            K_ERROR => Cell::Error(text()),
            K_NOT_FINITE => Cell::NotFinite(text()),
            K_FORMULA => Cell::Formula(text()),
            _ => Cell::Empty,
        }
    }

    pub fn get(&self, r: usize, c: usize) -> CellRef<'_> {
        match self.ends.get(r..r + 2) {
            Some(&[start, end]) if start + c < end => self.cell_at(start + c),
            _ => Cell::Empty,
        }
    }
    /// Rows, up to the last one holding a cell.
    pub fn height(&self) -> usize {
        self.ends.len() - 1
    }
    /// Cells of row `r` (0 past the last row).
    pub fn row_len(&self, r: usize) -> usize {
        match self.ends.get(r..r + 2) {
            Some(&[start, end]) => end - start,
            _ => 0,
        }
    }
    /// The longest row's length.
    pub fn width(&self) -> usize {
        self.width
    }
    pub fn is_blank(&self) -> bool {
        (0..self.kinds.len()).all(|i| self.cell_at(i).is_empty())
    }
    /// The grid as rows of owned cells (tests, comparisons, small reference files such as a
    /// population file; costs what the arena saves).
    pub fn to_rows(&self) -> Vec<Vec<Cell>> {
        (0..self.height())
            .map(|r| {
                (0..self.row_len(r))
                    .map(|c| self.get(r, c).owned())
                    .collect()
            })
            .collect()
    }
    /// Builds a grid from sparse cells, refusing absurd extents before allocating. Of cells
    /// given twice at one address, the last one is kept.
    pub fn from_cells<S: AsRef<str>>(
        name: String,
        cells: impl IntoIterator<Item = (usize, usize, Cell<S>)>,
        merges: Vec<Merge>,
    ) -> Result<Sheet, ReadError> {
        let mut items: Vec<(usize, usize, Cell<S>)> = Vec::new();
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
        // Readers give cells in reading order almost always; a stable sort otherwise keeps the
        // last of repeated addresses last.
        if !items.is_sorted_by_key(|&(r, c, _)| (r, c)) {
            items.sort_by_key(|&(r, c, _)| (r, c));
        }
        let mut sheet = Sheet::empty(name);
        let mut items = items.into_iter().peekable();
        while let Some((r, c, cell)) = items.next() {
            if items.peek().is_some_and(|&(r2, c2, _)| (r2, c2) == (r, c)) {
                continue;
            }
            while sheet.height() <= r {
                sheet.new_row();
            }
            while sheet.row_len(r) < c {
                sheet.push(Cell::Empty);
            }
            sheet.push(cell.view());
        }
        let height = sheet.height();
        sheet.merges = check_merges(&sheet.name, merges, height, max_c + 1)?;
        Ok(sheet)
    }

    /// Heap bytes held by the grid (the arena's capacity), for the memory test.
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        self.ends.capacity() * 8
            + self.kinds.capacity()
            + self.vals.capacity() * 8
            + self.texts.capacity()
            + self.long.capacity() * 16
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
            what: said!(Msg::ReadMergesOver, sheet = sheet, n = merges.len()),
            limit: said!(Msg::ReadMergesLimit, max = MAX_MERGES),
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
            what: said!(Msg::ReadMergesCover, sheet = sheet, covered = covered),
            limit: said!(Msg::ReadCellsLimit, max = MAX_CELLS),
        });
    }
    Ok(merges)
}

/// The error for a sheet holding more non-empty cells than `MAX_CELLS`.
fn too_many_cells(sheet: &str) -> ReadError {
    ReadError::OverLimit {
        sheet: Some(sheet.to_string()),
        what: said!(Msg::ReadCellsOver, sheet = sheet, max = MAX_CELLS),
        limit: said!(Msg::ReadCellsLimit, max = MAX_CELLS),
    }
}

/// Refuses a workbook listing more than `MAX_SHEETS` sheets, before any of them is read.
pub(crate) fn check_sheet_count(n: usize) -> Result<(), ReadError> {
    if n > MAX_SHEETS {
        return Err(ReadError::OverLimit {
            sheet: None,
            what: said!(Msg::ReadSheetsOver, n = n),
            limit: said!(Msg::ReadSheetsLimit, max = MAX_SHEETS),
        });
    }
    Ok(())
}

/// Keeps a streamed cell unless it is empty, refusing a cell beyond the limits as soon as it is
/// seen: a bomb must not be collected first. Shared by the readers that stream cells.
fn keep_cell<S: AsRef<str>>(
    sheet: &str,
    cells: &mut Vec<(usize, usize, Cell<S>)>,
    r: usize,
    c: usize,
    v: Cell<S>,
) -> Result<(), ReadError> {
    let empty = v.is_empty();
    keep_cell_unless(sheet, cells, r, c, v, empty)
}

/// `keep_cell` for a cell whose text is held elsewhere (`empty`: as `Cell::is_empty` says).
fn keep_cell_unless<S>(
    sheet: &str,
    cells: &mut Vec<(usize, usize, Cell<S>)>,
    r: usize,
    c: usize,
    v: Cell<S>,
    empty: bool,
) -> Result<(), ReadError> {
    if empty {
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
    /// What the file is instead.
    NotSpreadsheet(Text),
    /// Why: a reader's own words, or what it found.
    Unreadable(Text),
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
        part: Text,
        why: Text,
    },
    /// Over one of the limits above: `what` says what was found, `limit` which limit.
    OverLimit {
        sheet: Option<String>,
        what: Text,
        limit: Text,
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
            ReadError::NotSpreadsheet(what) => said!(Msg::NotSpreadsheet, what => what.clone()),
            ReadError::Unreadable(why) => said!(Msg::UnreadableWorkbook, why => why.clone()),
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
            ReadError::Damaged { part, why } => {
                said!(Msg::FileDamaged, why => why.clone(), part => part.clone())
            }
            ReadError::OverLimit { what, limit, .. } => {
                said!(Msg::OverLimit, what => what.clone(), limit => limit.clone())
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
    if !is_binary(bytes) {
        return text::read_text(std::io::Cursor::new(bytes), &mut |_| {});
    }
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
            Err(ReadError::NotSpreadsheet(said!(Msg::KindWord)))
        } else {
            Err(ReadError::NotSpreadsheet(said!(Msg::KindZipNoWorkbook)))
        };
    }
    let kind = known_binary(bytes).unwrap_or(Msg::KindBinary);
    Err(ReadError::NotSpreadsheet(said!(kind)))
}

/// Reads a file, passing each of its bytes to `seen` once, in order (the caller's hash). A
/// text file (CSV, HTML) is read while streaming: only the grid is held, not the file's bytes
/// (nor, for CSV, its decoded text). A workbook format is read into memory whole first, as
/// its readers need. `Err` is an I/O error reading the file.
pub fn read_file(
    path: &std::path::Path,
    seen: &mut dyn FnMut(&[u8]),
) -> std::io::Result<Result<Workbook, ReadError>> {
    use std::io::{Read, Seek};
    let mut file = std::fs::File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    let mut head = Vec::with_capacity(8);
    (&mut file).take(8).read_to_end(&mut head)?;
    if head.is_empty() {
        return Ok(Err(ReadError::Empty));
    }
    if is_binary(&head) {
        let mut bytes = Vec::with_capacity(size.min(MAX_PART_BYTES as usize));
        bytes.extend_from_slice(&head);
        // Through `take`: a `File`'s own `read_to_end` asks the system for the file's size
        // and position again (two calls a file, 72,000 files a bureau's ingest).
        (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
        seen(&bytes);
        return Ok(read_bytes(&bytes));
    }
    file.rewind()?;
    Ok(text::read_text(file, seen))
}

/// The signature of an OLE compound file (xls, and an encrypted xlsx).
const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the first bytes are those of a binary format (a workbook or a known other kind),
/// not text.
fn is_binary(head: &[u8]) -> bool {
    head.starts_with(&CFB)
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || known_binary(head).is_some()
}

/// The one-pass reader first (it checks the CRC of each part it inflates); whatever it is not
/// sure of goes through calamine, after every part is checked.
fn read_xlsx(bytes: &[u8]) -> Result<Workbook, ReadError> {
    // The central directory read once, for the limits and the reader both.
    let zip = match archive::open(bytes) {
        Some(mut zip) => {
            archive::check_declared_in(&mut zip)?;
            Some(zip)
        }
        None => None,
    };
    match zip.and_then(|zip| xlsx::read(bytes, zip)) {
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
        super::xlsx::read(bytes, super::archive::open(bytes)?)
    }
    pub fn calamine(bytes: &[u8]) -> Result<Workbook, ReadError> {
        super::workbook::read_xlsx_calamine(bytes)
    }
}

fn known_binary(bytes: &[u8]) -> Option<Msg> {
    let sigs: [(&[u8], Msg); 6] = [
        (b"%PDF", Msg::KindPdf),
        (b"\x89PNG", Msg::KindPng),
        (b"\xFF\xD8\xFF", Msg::KindJpeg),
        (b"GIF8", Msg::KindGif),
        (b"Rar!", Msg::KindRar),
        (b"7z\xBC\xAF", Msg::Kind7z),
    ];
    sigs.iter()
        .find(|(s, _)| bytes.starts_with(s))
        .map(|(_, k)| *k)
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
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
        assert_eq!(Cell::Formula("SUM(A1:A2)").display(), "=SUM(A1:A2)");
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }

    #[test]
    fn sparse_cells_far_apart_are_refused_before_allocating() {
        let cells: Vec<(usize, usize, Cell)> = vec![
            (0, 0, Cell::Number(1.0)),
            (1_048_575, 16_383, Cell::Number(2.0)),
        ];
        let err = Sheet::from_cells("Sheet1".into(), cells, vec![]).unwrap_err();
        assert!(err.to_string().contains("XFD1048576"), "{err}");
    }

    #[test]
    fn a_cell_costs_its_text_and_nine_bytes() {
        // 200,000 cells of 8-byte texts, as a tidy CSV holds: no allocation per cell.
        let cells = (0..20_000)
            .flat_map(|r| (0..10).map(move |c| (r, c, Cell::Text(format!("{r:05}-{c:02}")))));
        let s = Sheet::from_cells("s".into(), cells, vec![]).unwrap();
        assert_eq!((s.height(), s.width()), (20_000, 10));
        assert_eq!(s.get(12_345, 7), Cell::Text("12345-07"));
        let per_cell = s.heap_bytes() as f64 / 200_000.0;
        // 8 bytes of text + 9 of cell, and the vectors' growth (at most double, never touched
        // beyond their length): 34 would mean the arena is gone.
        assert!(per_cell < 2.0 * 17.0 + 1.0, "{per_cell} bytes a cell");
        assert!(s.kinds.len() * 9 + s.texts.len() <= 200_000 * 17);
        // Every kind of cell comes back as it went in, a long text too.
        let long = "长".repeat((1 << LEN_BITS) / 3 + 1);
        let all = [
            Cell::Empty,
            Cell::Number(-1.5),
            Cell::Text("文本".into()),
            Cell::date(45352.0, false),
            Cell::date(43890.0, true),
            Cell::Bool(true),
            Cell::Error("#N/A".into()),
            Cell::NotFinite("inf".into()),
            Cell::Formula("SUM(A1:A2)".into()),
            Cell::Text(long.clone().into()),
            Cell::Bool(false),
        ];
        let mut s = Sheet::empty("k".into());
        s.new_row();
        s.new_row();
        for c in &all {
            s.push(c.view());
        }
        assert_eq!((s.height(), s.row_len(0), s.width()), (2, 0, all.len()));
        assert_eq!(s.to_rows()[1], all);
        assert_eq!(s.long.len(), 1);
        assert_eq!(s.get(1, 9).text().map(str::len), Some(long.len()));
        assert_eq!(s.get(0, 0), Cell::Empty);
        assert_eq!(s.get(1, all.len()), Cell::Empty);
        assert_eq!(s.get(5, 0), Cell::Empty);
    }

    #[test]
    fn repeated_addresses_keep_the_last_and_unsorted_cells_are_placed() {
        let cells: Vec<(usize, usize, Cell)> = vec![
            (2, 1, Cell::Number(3.0)),
            (0, 0, Cell::Text("a".into())),
            (2, 1, Cell::Number(4.0)),
            (0, 2, Cell::Bool(true)),
        ];
        let s = Sheet::from_cells("s".into(), cells, vec![]).unwrap();
        assert_eq!(
            s.to_rows(),
            vec![
                vec![Cell::Text("a".into()), Cell::Empty, Cell::Bool(true)],
                vec![],
                vec![Cell::Empty, Cell::Number(4.0)],
            ]
        );
    }
}
