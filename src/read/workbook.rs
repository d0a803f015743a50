//! Binary workbooks through calamine. xlsx/xlsb are read cell by cell so a stray far-away
//! cell is refused before anything large is allocated.

use super::{archive, keep_cell, Cell, Format, Merge, ReadError, Sheet, Workbook};
use crate::i18n::{Msg, Text};
use crate::said;
use crate::text::static_regex;
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsb, Xlsx};
use std::io::Cursor;

fn merge(d: &Dimensions) -> Merge {
    Merge {
        r0: d.start.0 as usize,
        c0: d.start.1 as usize,
        r1: d.end.0 as usize,
        c1: d.end.1 as usize,
    }
}

/// How a workbook's cells are to be read.
#[derive(Clone, Copy, Default)]
struct Reading {
    /// The workbook uses the 1904 date system (calamine's `has_1904_epoch`).
    epoch_1904: bool,
    /// Error cells were rewritten as `ERROR_MARK`-prefixed text (see `error_cells_as_text`).
    marked_errors: bool,
}

/// Prefixed to an error value rewritten as text: U+FDD0 is a noncharacter, reserved for a
/// program's internal use, never in text a person typed.
const ERROR_MARK: char = '\u{FDD0}';

fn from_ref(v: &DataRef<'_>, how: Reading) -> Cell {
    match v {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::number(*f),
        DataRef::String(s) => text_cell(s, how),
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => Cell::date(d.as_f64(), how.epoch_1904),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.as_str().into()),
        DataRef::Error(e) => Cell::Error(e.to_string().into()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(v: &Data, how: Reading) -> Cell {
    match v {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::number(*f),
        Data::String(s) => text_cell(s, how),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::date(d.as_f64(), how.epoch_1904),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Error(e.to_string().into()),
        Data::Empty => Cell::Empty,
    }
}

fn text_cell(s: &str, how: Reading) -> Cell {
    match s.strip_prefix(ERROR_MARK) {
        // `<c t="e"><v></v></c>`: nothing, as the one-pass reader reads it.
        Some("") if how.marked_errors => Cell::Empty,
        Some(e) if how.marked_errors => Cell::Error(e.into()),
        _ => Cell::Text(s.into()),
    }
}

fn unreadable<E: std::error::Error + 'static>(e: E) -> ReadError {
    let msg = e.to_string();
    if msg.to_ascii_lowercase().contains("password") {
        return ReadError::Encrypted;
    }
    // calamine's own words for an English reader; for a Chinese one what the archive's error
    // means when it is known, else those words.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            let zh = crate::i18n::io_error(io);
            return ReadError::Unreadable(Text::Own(msg, Box::new(zh)));
        }
        if let Some(z) = c.downcast_ref::<zip::result::ZipError>() {
            use zip::result::ZipError as Z;
            let zh = match z {
                Z::InvalidArchive(_) => said!(Msg::ArchiveInvalid),
                Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => {
                    said!(Msg::ArchiveUnsupported)
                }
                Z::FileNotFound => said!(Msg::ArchivePartMissing),
                Z::Io(io) => crate::i18n::io_error(io),
                _ => break,
            };
            return ReadError::Unreadable(Text::Own(msg, Box::new(zh)));
        }
        cause = c.source();
    }
    ReadError::Unreadable(msg.into())
}

type Streamed = Vec<(usize, usize, Cell)>;

/// calamine asserts on some damaged files (a fuzzed, truncated .xls trips an assertion in its
/// record reader): a panic there is an unreadable file, not a failure of the run.
fn guarded(read: impl FnOnce() -> Result<Workbook, ReadError>) -> Result<Workbook, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ReadError::Unreadable(said!(
            Msg::ReaderStopped,
            what = what
        )))
    })
}

/// Collects a sheet's non-empty cells from a streaming reader.
fn stream_cells<'a>(
    sheet: &str,
    how: Reading,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, ReadError>,
) -> Result<Streamed, ReadError> {
    let mut cells = Vec::new();
    while let Some(cell) = next()? {
        let (r, c) = cell.get_position();
        keep_cell(
            sheet,
            &mut cells,
            r as usize,
            c as usize,
            from_ref(cell.get_value(), how),
        )?;
    }
    Ok(cells)
}

/// Failures of one calamine xlsx read.
enum XlsxFailure {
    Read(ReadError),
    /// calamine knows only the seven classic error values and refuses the file at any other
    /// (`#SPILL!`, `#CALC!`, …).
    ErrorValue(String),
}

fn xlsx_failure(e: calamine::XlsxError) -> XlsxFailure {
    match e {
        calamine::XlsxError::CellError(v) => XlsxFailure::ErrorValue(v),
        e => XlsxFailure::Read(unreadable(e)),
    }
}

pub(super) fn read_xlsx_calamine(bytes: &[u8]) -> Result<Workbook, ReadError> {
    guarded(|| read_xlsx_calamine_unguarded(bytes))
}

fn read_xlsx_calamine_unguarded(bytes: &[u8]) -> Result<Workbook, ReadError> {
    archive::check_declared(bytes)?;
    archive::verify(bytes)?;
    match read_xlsx_calamine_as(bytes, false) {
        Ok(wb) => Ok(wb),
        Err(XlsxFailure::Read(e)) => Err(e),
        // An error value calamine does not know is that cell's problem, not the file's: the
        // error cells are rewritten as marked text and the copy read instead.
        Err(XlsxFailure::ErrorValue(v)) => {
            let unknown = || ReadError::Unreadable(said!(Msg::ReaderErrorValue, value = v));
            let copy = error_cells_as_text(bytes).ok_or_else(unknown)?;
            match read_xlsx_calamine_as(&copy, true) {
                Ok(wb) => Ok(wb),
                Err(XlsxFailure::Read(e)) => Err(e),
                Err(XlsxFailure::ErrorValue(_)) => Err(unknown()),
            }
        }
    }
}

/// A copy of an xlsx package whose error cells (`<c t="e">`) are text cells holding
/// `ERROR_MARK` and the error value, so calamine reads every error value; `None` if the
/// package cannot be copied.
fn error_cells_as_text(bytes: &[u8]) -> Option<Vec<u8>> {
    use regex::Regex;
    use std::io::{Read, Write};
    use std::sync::LazyLock;
    // A cell: self-closed, or up to its end tag (cells do not nest).
    static CELL: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(
            r"(?s)<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?(?:/>|>.*?</(?:[A-Za-z_][\w.-]*:)?c\s*>)",
        )
    });
    static ERROR_TYPE: LazyLock<Regex> =
        LazyLock::new(|| static_regex(r#"^(<[^>]*?\st\s*=\s*)(?:"e"|'e')"#));
    static VALUE: LazyLock<Regex> =
        LazyLock::new(|| static_regex(r"(<(?:[A-Za-z_][\w.-]*:)?v>)\s*"));
    // The copy is made in memory: past this many bytes of XML it is not made, and the file is
    // refused naming the error value. (The one-pass reader, which reads error values itself,
    // takes parts up to 64 MiB: only files it declines for another reason come here.)
    const MAX_XML: u64 = 256 << 20;
    let mut budget = MAX_XML;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let name = zip.by_index_raw(i).ok()?.name().ok()?.to_string();
        let lower = name.to_ascii_lowercase();
        if !lower.ends_with(".xml") {
            out.raw_copy_file(zip.by_index_raw(i).ok()?).ok()?;
            continue;
        }
        let mut xml = String::new();
        zip.by_index(i)
            .ok()?
            .take(budget + 1)
            .read_to_string(&mut xml)
            .ok()?;
        budget = budget.checked_sub(xml.len() as u64)?;
        let rewritten = CELL.replace_all(&xml, |c: &regex::Captures<'_>| {
            let cell = &c[0];
            match ERROR_TYPE.captures(cell) {
                Some(t) => {
                    let cell = format!("{}\"str\"{}", &t[1], &cell[t[0].len()..]);
                    VALUE
                        .replace(&cell, |v: &regex::Captures<'_>| {
                            format!("{}{ERROR_MARK}", &v[1])
                        })
                        .into_owned()
                }
                None => cell.to_string(),
            }
        });
        out.start_file(name, options).ok()?;
        out.write_all(rewritten.as_bytes()).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn read_xlsx_calamine_as(bytes: &[u8], marked_errors: bool) -> Result<Workbook, XlsxFailure> {
    let unreadable = |e| XlsxFailure::Read(unreadable(e));
    let read = |e: ReadError| XlsxFailure::Read(e);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let how = Reading {
        epoch_1904: wb.has_1904_epoch(),
        marked_errors,
    };
    super::check_sheet_count(wb.sheet_names().len()).map_err(read)?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map(|v| v.iter().map(merge).collect())
            .unwrap_or_default();
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // Chart sheets and dialog sheets are not worksheets: nothing to read there.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(xlsx_failure(e)),
        };
        // With each cell's formula: one whose result was never saved is not a blank.
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell_with_formula().map_err(xlsx_failure)? {
            let (r, c) = cell.pos;
            let value = match (from_ref(&cell.value, how), cell.formula) {
                (Cell::Empty, Some(f)) if !f.is_empty() => Cell::Formula(f.into()),
                (v, _) => v,
            };
            keep_cell(&name, &mut cells, r as usize, c as usize, value).map_err(read)?;
        }
        drop(reader);
        sheets.push(Sheet::from_cells(name, cells, merges).map_err(read)?);
    }
    Ok(Workbook {
        format: Format::Xlsx,
        encoding: None,
        sheets,
    })
}

pub(super) fn read_xlsb(bytes: &[u8]) -> Result<Workbook, ReadError> {
    guarded(|| read_xlsb_unguarded(bytes))
}

fn read_xlsb_unguarded(bytes: &[u8]) -> Result<Workbook, ReadError> {
    archive::check_declared(bytes)?;
    archive::verify(bytes)?;
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(unreadable)?;
    let how = Reading {
        epoch_1904: wb.has_1904_epoch(),
        ..Reading::default()
    };
    super::check_sheet_count(wb.sheet_names().len())?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
        let cells = stream_cells(&name, how, || reader.next_cell().map_err(unreadable))?;
        drop(reader);
        sheets.push(Sheet::from_cells(name, cells, vec![])?);
    }
    Ok(Workbook {
        format: Format::Xlsb,
        encoding: None,
        sheets,
    })
}

pub(super) fn read_xls(bytes: &[u8]) -> Result<Workbook, ReadError> {
    guarded(|| read_xls_unguarded(bytes))
}

fn read_xls_unguarded(bytes: &[u8]) -> Result<Workbook, ReadError> {
    super::biff::check(bytes)?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(unreadable)?;
    let how = Reading {
        epoch_1904: wb.has_1904_epoch(),
        ..Reading::default()
    };
    super::check_sheet_count(wb.sheet_names().len())?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map(|v| v.iter().map(merge).collect())
            .unwrap_or_default();
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        sheets.push(range_to_sheet(name, &range, merges, how)?);
    }
    Ok(Workbook {
        format: Format::Xls,
        encoding: None,
        sheets,
    })
}

pub(super) fn read_ods(bytes: &[u8]) -> Result<Workbook, ReadError> {
    guarded(|| read_ods_unguarded(bytes))
}

fn read_ods_unguarded(bytes: &[u8]) -> Result<Workbook, ReadError> {
    archive::check_declared(bytes)?;
    archive::verify(bytes)?;
    ods_extent(bytes)?;
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(unreadable)?;
    super::check_sheet_count(wb.sheet_names().len())?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        // Dates are ISO text in an ods (`office:date-value`), so its null date never applies.
        let range = wb.worksheet_range(&name).map_err(unreadable)?;
        sheets.push(range_to_sheet(name, &range, vec![], Reading::default())?);
    }
    Ok(Workbook {
        format: Format::Ods,
        encoding: None,
        sheets,
    })
}

/// calamine expands ODS's repeated rows and cells (`number-rows-repeated`,
/// `number-columns-repeated`) into memory, up to 100 million cells per sheet, before we see a
/// cell: a few hundred bytes can ask for gigabytes. This pass over `content.xml` finds where
/// each table's filled cells would end, and refuses a sheet beyond the limits first. A cell
/// counts as filled when it has a value type, a formula or any content: an overestimate of
/// what calamine keeps, so nothing it would keep is let through unchecked.
fn ods_extent(bytes: &[u8]) -> Result<(), ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeats = |e: &BytesStart<'_>, key: &str| -> usize {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut buf = Vec::new();
    let mut sheet = String::new();
    // Expanded position of the current row and cell; the current row's repeat count and the
    // end of its last filled cell; the end of the table's filled rows and columns.
    let (mut r, mut c, mut row_repeats, mut row_end) = (0usize, 0usize, 1usize, 0usize);
    let (mut rows, mut cols) = (0usize, 0usize);
    loop {
        buf.clear();
        let (e, empty) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                if row_end > 0 {
                    rows = r.saturating_add(row_repeats);
                    cols = cols.max(row_end);
                }
                r = r.saturating_add(row_repeats);
                let rect = rows.saturating_mul(cols);
                if rows > super::MAX_ROWS || cols > super::MAX_COLS || rect > super::MAX_CELLS {
                    return Err(ReadError::TooLarge {
                        sheet,
                        cell: super::cell_ref(rows - 1, cols - 1),
                        rows,
                        cols,
                    });
                }
                continue;
            }
            // calamine reports a broken document itself.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => continue,
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                (r, rows, cols) = (0, 0, 0);
            }
            "table:table-row" => {
                row_repeats = repeats(&e, "table:number-rows-repeated");
                (c, row_end) = (0, 0);
                if empty {
                    r = r.saturating_add(row_repeats);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeats(&e, "table:number-columns-repeated");
                let filled = !empty
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some()
                    || e.try_get_attribute("table:formula")
                        .ok()
                        .flatten()
                        .is_some();
                c = c.saturating_add(n);
                if filled {
                    row_end = c;
                }
            }
            _ => {}
        }
    }
}

fn range_to_sheet(
    name: String,
    range: &calamine::Range<Data>,
    merges: Vec<Merge>,
    how: Reading,
) -> Result<Sheet, ReadError> {
    let cells = range
        .used_cells()
        .map(|(r, c, v)| (r, c, from_data(v, how)));
    // used_cells is relative to the range start.
    let (r0, c0) = range
        .start()
        .map(|(r, c)| (r as usize, c as usize))
        .unwrap_or((0, 0));
    Sheet::from_cells(
        name,
        cells.map(move |(r, c, v)| (r + r0, c + c0, v)),
        merges,
    )
}
