//! One-pass .xlsx reader, the fast path in front of calamine.
//!
//! calamine's `Xlsx::new` parses every style (fonts, fills, borders, theme colours) and the
//! calamine path then reads each sheet twice (cells, then `<mergeCells>`). Here only the parts a
//! cell grid needs are inflated, each is scanned once by a small strict XML tokenizer, and every
//! loop follows calamine 0.38 event for event (the same element matching by local name, the
//! same attribute reads, the same value rules), so the `Workbook` is the one the calamine path
//! gives. The tokenizer accepts a subset of what quick-xml accepts and, on that subset, yields
//! the events quick-xml would. Anything else — comments, CDATA, DTDs, a declared encoding other
//! than UTF-8, unknown entities, mismatched tags, unusual attribute syntax, cell types or
//! numbers, parts not where calamine looks — gives `None`, and the caller falls back to calamine,
//! which also owns the error messages for broken files.
//!
//! The modules follow the parts of the package, lowest first: `xml` (the tokenizer),
//! `package` (finding and inflating parts), `book` (package and workbook rels, the sheet
//! list), `styles` (which cell formats are dates), `strings` (shared strings and rich text),
//! `refs` (cell references), `cell` (one cell's value), `sheet` (a worksheet's cells and
//! merges). This file holds the entry point and the per-thread buffers reused across files.
//! The helpers called per event or per cell across these modules (`Xml::next`,
//! `Xml::plain_child`, `raw_value`, `row_col`, `Strings::get`) are `#[inline]`, so a release
//! build can inline them into the sheet loop whatever codegen unit each module lands in.

mod book;
mod cell;
mod package;
mod refs;
mod sheet;
mod strings;
mod styles;
mod xml;

use crate::read::archive::Zip;
use crate::read::{Format, ReadError, Sheet, Workbook};
use book::Meta;
use cell::Context;
use flate2::Decompress;
use package::{Memo, Package};
use std::cell::RefCell;
use strings::Strings;
use styles::CellFormat;
use xml::Xml;

/// `Some(Err)` for a sheet refused as too large or a damaged part (a checksum or size that does
/// not match: calamine would read the same bytes); `None` = let calamine read the file.
pub(super) fn read(bytes: &[u8], zip: Zip<'_>) -> Option<Result<Workbook, ReadError>> {
    thread_local!(static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new()));
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            let out = read_with(bytes, zip, &mut s);
            if !matches!(out, Some(Ok(_))) {
                // Whatever was half parsed (or found damaged) must not be taken for the next
                // file's.
                *s = Scratch::new();
            }
            s.shrink();
            out
        }
        Err(_) => read_with(bytes, zip, &mut Scratch::new()),
    })
}

/// Per-thread state across files: a month of forms is thousands of small workbooks of one
/// template, whose package rels, workbook rels, workbook and styles parts are byte-identical.
/// Those are inflated and parsed once and kept while their stored bytes stay the same.
struct Scratch {
    inflater: Decompress,
    package_rels: Memo,
    book_rels: Memo,
    book: Memo,
    styles: Memo,
    /// From the first three memos.
    meta: Option<Meta>,
    /// From `styles` (empty when there is no styles part).
    formats: Vec<CellFormat>,
    /// Shared strings, then each sheet.
    part: Vec<u8>,
    strings: Strings,
    text: String,
    cells: Vec<(usize, usize, cell::XCell)>,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            inflater: Decompress::new(false),
            package_rels: Memo::default(),
            book_rels: Memo::default(),
            book: Memo::default(),
            styles: Memo::default(),
            meta: None,
            formats: Vec::new(),
            part: Vec::new(),
            strings: Strings::default(),
            text: String::new(),
            cells: Vec::new(),
        }
    }

    /// One huge workbook must not pin its buffers to the thread for good.
    fn shrink(&mut self) {
        const KEEP: usize = 4 << 20;
        // A dropped memo is inflated and parsed afresh by the next file.
        for memo in [
            &mut self.package_rels,
            &mut self.book_rels,
            &mut self.book,
            &mut self.styles,
        ] {
            if memo.data.capacity() + memo.stored.capacity() > KEEP {
                *memo = Memo::default();
            }
        }
        if self.part.capacity() > KEEP {
            self.part = Vec::new();
        }
        if self.strings.text.capacity() > KEEP {
            self.strings = Strings::default();
        }
        if self.cells.capacity() * std::mem::size_of::<(usize, usize, cell::XCell)>() > KEEP {
            self.cells = Vec::new();
        }
    }
}

fn read_with(bytes: &[u8], zip: Zip<'_>, s: &mut Scratch) -> Option<Result<Workbook, ReadError>> {
    let mut zip = Package::open(bytes, zip)?;
    let out = read_parts(&mut zip, s);
    match zip.damage.take() {
        Some(e) => Some(Err(e)),
        None => out,
    }
}

fn read_parts(zip: &mut Package<'_>, s: &mut Scratch) -> Option<Result<Workbook, ReadError>> {
    let d = &mut s.inflater;
    // calamine requires the package rels and takes the workbook's folder from them.
    let mut fresh = zip.read_memo("_rels/.rels", &mut s.package_rels, d)?;
    let (book_rels_path, book_path) = match (&s.meta, fresh) {
        (Some(m), false) => (m.book_rels.clone(), m.book.clone()),
        _ => {
            let (xl, book) = book::office_document(&s.package_rels.data)?;
            (format!("{xl}_rels/{book}.rels"), format!("{xl}{book}"))
        }
    };
    fresh |= zip.read_memo(&book_rels_path, &mut s.book_rels, d)?;
    fresh |= zip.read_memo(&book_path, &mut s.book, d)?;
    if fresh || s.meta.is_none() {
        s.meta = None;
        s.meta = Some(book::meta(
            &s.package_rels.data,
            &s.book_rels.data,
            &s.book.data,
        )?);
    }
    let meta = s.meta.as_ref()?;

    match zip.agreed(&meta.styles_at)? {
        Some(i) => {
            if zip.inflate_memo(i, &mut s.styles, d)? {
                s.formats.clear();
                styles::styles(&mut Xml::new(&s.styles.data)?, &mut s.formats)?;
            }
        }
        None => {
            s.styles = Memo::default();
            s.formats.clear();
        }
    }
    s.strings.clear();
    if let Some(i) = zip.agreed(&meta.strings_at)? {
        zip.inflate(i, &mut s.part, d)?;
        strings::shared_strings(&mut Xml::new(&s.part)?, &mut s.strings, &mut s.text)?;
    }

    if let Err(e) = crate::read::check_sheet_count(meta.sheets.len()) {
        return Some(Err(e));
    }
    let mut sheets = Vec::with_capacity(meta.sheets.len());
    for (name, path) in &meta.sheets {
        if !zip.read(path, &mut s.part, d)? {
            return None;
        }
        let ctx = Context {
            sheet: name,
            strings: &s.strings,
            formats: &s.formats,
            epoch_1904: meta.epoch_1904,
        };
        s.cells.clear();
        let mut merges = Vec::new();
        match sheet::worksheet(
            &mut Xml::new(&s.part)?,
            &ctx,
            &mut s.text,
            &mut s.cells,
            &mut merges,
        )? {
            Ok(true) => {}
            // A chart or dialog sheet: the calamine path skips it too.
            Ok(false) => continue,
            Err(e) => return Some(Err(e)),
        }
        let strings = &s.strings;
        let cells = s
            .cells
            .iter()
            .map(|(r, c, v)| (*r, *c, v.view_with(strings)));
        match Sheet::from_cells(name.clone(), cells, merges) {
            Ok(sheet) => sheets.push(sheet),
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(Workbook {
        format: Format::Xlsx,
        encoding: None,
        sheets,
    }))
}
