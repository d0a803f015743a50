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

use super::workbook::keep_cell;
use super::{Cell, Format, Merge, ReadError, Sheet, Workbook};
use flate2::{Decompress, FlushDecompress, Status};
use std::cell::RefCell;
use std::io::Cursor;
use zip::{CompressionMethod, ZipArchive};

/// A part larger than this is left to calamine, which streams it instead of inflating it whole.
const MAX_PART: u64 = 64 << 20;

/// `Some(Err)` for a sheet refused as too large or a damaged part (a checksum or size that does
/// not match: calamine would read the same bytes); `None` = let calamine read the file.
pub(crate) fn read(bytes: &[u8]) -> Option<Result<Workbook, ReadError>> {
    thread_local!(static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::new()));
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            let out = read_with(bytes, &mut s);
            if !matches!(out, Some(Ok(_))) {
                // Whatever was half parsed (or found damaged) must not be taken for the next
                // file's.
                *s = Scratch::new();
            }
            s.shrink();
            out
        }
        Err(_) => read_with(bytes, &mut Scratch::new()),
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
    cells: Vec<(usize, usize, Cell)>,
}

/// What the workbook-level parts say, owned so it outlives their buffers.
struct Meta {
    /// Paths of the workbook rels and workbook parts (from the package rels).
    book_rels: String,
    book: String,
    /// Sheet names and part paths in workbook order, chart and dialog sheets included.
    sheets: Vec<(String, String)>,
    /// `<workbookPr date1904="1"/>`: date serials count from 1904-01-01.
    epoch_1904: bool,
    /// Where calamine reads shared strings and styles, and where the rels put them.
    strings_at: (String, RelTarget),
    styles_at: (String, RelTarget),
}

enum RelTarget {
    None,
    One(String),
    Several,
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
        if self.cells.capacity() * std::mem::size_of::<(usize, usize, Cell)>() > KEEP {
            self.cells = Vec::new();
        }
    }
}

fn read_with(bytes: &[u8], s: &mut Scratch) -> Option<Result<Workbook, ReadError>> {
    let mut zip = Package::open(bytes)?;
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
            let (xl, book) = office_document(&s.package_rels.data)?;
            (format!("{xl}_rels/{book}.rels"), format!("{xl}{book}"))
        }
    };
    fresh |= zip.read_memo(&book_rels_path, &mut s.book_rels, d)?;
    fresh |= zip.read_memo(&book_path, &mut s.book, d)?;
    if fresh || s.meta.is_none() {
        s.meta = None;
        s.meta = Some(meta(&s.package_rels.data, &s.book_rels.data, &s.book.data)?);
    }
    let meta = s.meta.as_ref()?;

    match zip.agreed(&meta.styles_at)? {
        Some(i) => {
            if zip.inflate_memo(i, &mut s.styles, d)? {
                s.formats.clear();
                styles(&mut Xml::new(&s.styles.data)?, &mut s.formats)?;
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
        shared_strings(&mut Xml::new(&s.part)?, &mut s.strings, &mut s.text)?;
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
        match worksheet(
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
        match Sheet::from_cells(name.clone(), s.cells.drain(..), merges) {
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

fn meta(package_rels: &[u8], book_rels: &[u8], book: &[u8]) -> Option<Meta> {
    let (xl, book_name) = office_document(package_rels)?;
    let rels = relationships(book_rels)?;
    let (sheets, epoch_1904) = sheet_list(&mut Xml::new(book)?, &rels, &xl)?;
    // calamine finds a sheet's part by its name: with two sheets of one name it reads the
    // first twice.
    for (i, (name, _)) in sheets.iter().enumerate() {
        if sheets[..i].iter().any(|(n, _)| n == name) {
            return None;
        }
    }
    // calamine reads `sharedStrings.xml` and `styles.xml` next to the workbook by name; the
    // rels say where they really are.
    let at = |suffix: &str, fixed: &str| {
        let mut named = rels.iter().filter(|r| r.typ.ends_with(suffix));
        let target = match (named.next(), named.next()) {
            (None, _) => RelTarget::None,
            (Some(r), None) => RelTarget::One(target_path(&xl, r.target)),
            _ => RelTarget::Several,
        };
        (format!("{xl}{fixed}"), target)
    };
    Some(Meta {
        book_rels: format!("{xl}_rels/{book_name}.rels"),
        book: format!("{xl}{book_name}"),
        strings_at: at("/sharedStrings", "sharedStrings.xml"),
        styles_at: at("/styles", "styles.xml"),
        sheets,
        epoch_1904,
    })
}

// ---------------------------------------------------------------------------------------------
// The zip package.

struct Package<'a> {
    bytes: &'a [u8],
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Every raw entry name is UTF-8, so it is its own decoded name.
    utf8: bool,
    /// A part inflated here did not match its CRC or declared size.
    damage: Option<ReadError>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Option<Package<'a>> {
        let zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let utf8 = zip.file_names_raw().all(|n| std::str::from_utf8(n).is_ok());
        // calamine indexes every entry name first and fails on one it cannot decode.
        if !utf8 && zip.file_names().any(|n| n.is_err()) {
            return None;
        }
        Some(Package {
            bytes,
            zip,
            utf8,
            damage: None,
        })
    }

    /// The entry calamine would open for `path`: names compared ASCII-case-insensitively with
    /// `\` read as `/`. `Some(None)` = absent; `None` = ambiguous.
    fn find(&self, path: &str) -> Option<Option<usize>> {
        if path.contains('\\') {
            return None;
        }
        let mut found = None;
        let mut see = |i: usize, name: &[u8]| {
            let same = name.len() == path.len()
                && name.iter().zip(path.bytes()).all(|(&a, b)| {
                    let a = if a == b'\\' { b'/' } else { a };
                    a.eq_ignore_ascii_case(&b)
                });
            match (same, found) {
                (true, Some(_)) => None,
                (true, None) => {
                    found = Some(i);
                    Some(())
                }
                (false, _) => Some(()),
            }
        };
        if self.utf8 {
            for (i, name) in self.zip.file_names_raw().enumerate() {
                see(i, name)?;
            }
        } else {
            for (i, name) in self.zip.file_names().enumerate() {
                see(i, name.ok()?.as_bytes())?;
            }
        }
        Some(found)
    }

    /// Inflates `path` into `out`; `Some(false)` when there is no such part.
    fn read(&mut self, path: &str, out: &mut Vec<u8>, d: &mut Decompress) -> Option<bool> {
        match self.find(path)? {
            Some(i) => self.inflate(i, out, d).map(|()| true),
            None => Some(false),
        }
    }

    /// Like `read` into a memo, but a missing part is refused. `Some(true)` = newly inflated.
    fn read_memo(&mut self, path: &str, memo: &mut Memo, d: &mut Decompress) -> Option<bool> {
        let i = self.find(path)??;
        self.inflate_memo(i, memo, d)
    }

    /// The part calamine reads at a fixed path, when the rels name the same part (or there is
    /// neither). `Some(None)` = no such part.
    fn agreed(&self, (fixed, target): &(String, RelTarget)) -> Option<Option<usize>> {
        let at_fixed = self.find(fixed)?;
        let agree = match target {
            RelTarget::None => at_fixed.is_none(),
            RelTarget::One(path) => self.find(path)? == at_fixed,
            RelTarget::Several => false,
        };
        agree.then_some(at_fixed)
    }

    /// Records that the entry's content does not match its record, and gives `None`.
    fn damaged(&mut self, index: usize, why: &'static str) -> Option<()> {
        let part = match self.zip.name_for_index(index) {
            Some(Ok(name)) => name.into_owned(),
            _ => format!("entry {index}"),
        };
        self.damage = Some(ReadError::Damaged {
            part,
            why: why.to_string(),
        });
        None
    }

    fn entry(&mut self, index: usize) -> Option<Entry<'a>> {
        let f = self.zip.by_index_raw(index).ok()?;
        if f.encrypted() || f.size() > MAX_PART {
            return None;
        }
        let start = usize::try_from(f.data_start()?).ok()?;
        let packed = usize::try_from(f.compressed_size()).ok()?;
        Some(Entry {
            deflated: match f.compression() {
                CompressionMethod::Stored => false,
                CompressionMethod::Deflated => true,
                _ => return None,
            },
            crc: f.crc32(),
            size: usize::try_from(f.size()).ok()?,
            stored: self.bytes.get(start..start.checked_add(packed)?)?,
        })
    }

    fn inflate(&mut self, index: usize, out: &mut Vec<u8>, d: &mut Decompress) -> Option<()> {
        match self.entry(index)?.inflate(out, d) {
            Ok(()) => Some(()),
            Err(why) => self.damaged(index, why),
        }
    }

    /// Reuses the memo when the entry's stored bytes, method, size and CRC are the ones it was
    /// inflated (and checked) from. `Some(true)` = newly inflated.
    fn inflate_memo(&mut self, index: usize, memo: &mut Memo, d: &mut Decompress) -> Option<bool> {
        let e = self.entry(index)?;
        let key = (e.deflated, e.crc, e.size);
        if memo.key == Some(key) && memo.stored == e.stored {
            return Some(false);
        }
        memo.key = None;
        if let Err(why) = e.inflate(&mut memo.data, d) {
            return self.damaged(index, why).map(|()| false);
        }
        memo.stored.clear();
        memo.stored.extend_from_slice(e.stored);
        memo.key = Some(key);
        Some(true)
    }
}

/// An archive entry's stored bytes and what its central directory record says of them.
struct Entry<'a> {
    deflated: bool,
    crc: u32,
    size: usize,
    stored: &'a [u8],
}

impl Entry<'_> {
    /// Inflates straight from the archive bytes with a reused inflater, checking size and
    /// CRC. The output never grows past the declared size (already within the limits), so a
    /// part that would inflate further is stopped there. `Err` says how the part is damaged.
    fn inflate(&self, out: &mut Vec<u8>, d: &mut Decompress) -> Result<(), &'static str> {
        out.clear();
        if self.deflated {
            out.reserve_exact(self.size);
            d.reset(false);
            // decompress_vec writes into the spare capacity only (at least the declared size).
            let room = out.capacity();
            match d.decompress_vec(self.stored, out, FlushDecompress::Finish) {
                Ok(Status::StreamEnd) if out.len() == self.size => {}
                Ok(Status::StreamEnd) if out.len() < self.size => {
                    return Err("the part inflates to fewer bytes than the archive declares")
                }
                Ok(Status::StreamEnd) => {
                    return Err("the part inflates to more bytes than the archive declares")
                }
                Ok(_) if out.len() == room => {
                    return Err("the part inflates to more bytes than the archive declares")
                }
                _ => return Err("broken or truncated compressed data"),
            }
        } else if self.stored.len() == self.size {
            out.extend_from_slice(self.stored);
        } else {
            return Err("the stored part's size does not match what the archive declares");
        }
        if crc32fast::hash(out) == self.crc {
            Ok(())
        } else {
            Err("zip checksum mismatch")
        }
    }
}

/// A part inflated earlier, with the stored bytes and record it came from (`key` is `None`
/// while `data` is not a checked inflation of `stored`).
#[derive(Default)]
struct Memo {
    data: Vec<u8>,
    stored: Vec<u8>,
    key: Option<(bool, u32, usize)>,
}

// ---------------------------------------------------------------------------------------------
// Package and workbook parts.

struct Rel<'a> {
    id: &'a str,
    target: &'a str,
    typ: &'a str,
}

/// The workbook's folder and file name from `_rels/.rels`, as calamine takes them.
fn office_document(part: &[u8]) -> Option<(String, String)> {
    let mut x = Xml::new(part)?;
    x.until(|e| matches!(e, Ev::Start(q) if q.local == "Relationships"))?;
    let mut target = None;
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "Relationship" => {
                let office = x
                    .attr("Type")
                    .is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if let (true, Some(t)) = (office, x.attr("Target")) {
                    target = Some(quick_xml::escape::unescape(t).ok()?.into_owned());
                }
            }
            Ev::End(q) if q.local == "Relationships" => break,
            Ev::Eof => return None,
            _ => {}
        }
    }
    let target = target?;
    let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    Some((
        dir.strip_prefix('/').unwrap_or(dir).to_string(),
        name.to_string(),
    ))
}

/// The workbook rels. calamine keeps them in a map by id, so a later duplicate id wins.
fn relationships(part: &[u8]) -> Option<Vec<Rel<'_>>> {
    let mut x = Xml::new(part)?;
    let mut rels = Vec::new();
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "Relationship" => {
                if let Some(id) = x.attr("Id") {
                    rels.push(Rel {
                        id,
                        target: x.attr("Target").unwrap_or(""),
                        typ: x.attr("Type").unwrap_or(""),
                    });
                }
            }
            Ev::End(q) if q.local == "Relationships" => return Some(rels),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// A rels target as calamine resolves it (raw attribute; no `..` handling).
fn target_path(xl: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{xl}{target}"),
    }
}

/// Sheet names and part paths in workbook order, chart and dialog sheets included (their
/// parts have no `<sheetData>` and are skipped when read, as calamine does), and whether the
/// workbook uses the 1904 date system.
fn sheet_list(
    x: &mut Xml<'_>,
    rels: &[Rel<'_>],
    xl: &str,
) -> Option<(Vec<(String, String)>, bool)> {
    let mut sheets = Vec::new();
    let mut epoch_1904 = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                // As calamine reads it; `<x15:workbookPr>` in `<extLst>` has no `date1904`.
                "workbookPr" => {
                    if let Some(v) = x.attr("date1904") {
                        epoch_1904 = v == "1" || v == "true";
                    }
                }
                "sheet" => {
                    let (mut name, mut rel_id) = ("", "");
                    for &(k, v) in &x.attrs {
                        match k {
                            "name" => name = v,
                            "state" if !matches!(v, "visible" | "hidden" | "veryHidden") => {
                                return None
                            }
                            "state" => {}
                            k if k == "id" || k.ends_with(":id") => rel_id = v,
                            _ => {}
                        }
                    }
                    let name = quick_xml::escape::unescape(name).ok()?.into_owned();
                    let rel = rels.iter().rev().find(|r| r.id == rel_id)?;
                    if !matches!(
                        rel.typ.rsplit('/').next(),
                        Some("worksheet" | "chartsheet" | "dialogsheet")
                    ) {
                        return None;
                    }
                    sheets.push((name, target_path(xl, rel.target)));
                }
                // calamine reads a defined name's text up to its end tag; nothing inside counts.
                "definedName" if x.attr("name").is_some() => loop {
                    match x.next()? {
                        Ev::End(e) if e.q == q.q => break,
                        Ev::Eof => return None,
                        _ => {}
                    }
                },
                _ => {}
            },
            Ev::End(q) if q.local == "workbook" => return Some((sheets, epoch_1904)),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Styles: only what makes a number a date.

/// Each `cellXfs/xf`'s number format class. Fonts, fills and borders are stepped over with the
/// same end conditions calamine's parsers use, so the same elements are seen.
fn styles(x: &mut Xml<'_>, formats: &mut Vec<CellFormat>) -> Option<()> {
    let mut custom: Vec<(&str, CellFormat)> = Vec::new();
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "numFmts" => loop {
                    match x.next()? {
                        Ev::Start(q) if q.local == "numFmt" => {
                            if let (Some(id), Some(code)) =
                                (x.attr("numFmtId"), x.attr("formatCode"))
                            {
                                let code = quick_xml::escape::unescape(code).ok()?;
                                custom.push((id, detect_custom_number_format(&code)));
                            }
                        }
                        Ev::End(q) if q.local == "numFmts" => break,
                        Ev::Eof => return None,
                        _ => {}
                    }
                },
                "fonts" => x.items("fonts", "font")?,
                "fills" => x.items("fills", "fill")?,
                "borders" => loop {
                    match x.next()? {
                        Ev::Start(q) if q.local == "border" => loop {
                            match x.next()? {
                                Ev::Start(q) => {
                                    let side = q.local;
                                    if matches!(
                                        side,
                                        "left" | "right" | "top" | "bottom" | "diagonal"
                                    ) {
                                        x.until_end(side)?;
                                    }
                                }
                                Ev::End(q) if q.local == "border" => break,
                                Ev::Eof => return None,
                                _ => {}
                            }
                        },
                        Ev::End(q) if q.local == "borders" => break,
                        Ev::Eof => return None,
                        _ => {}
                    }
                },
                "cellXfs" => loop {
                    match x.next()? {
                        Ev::Start(q) if q.local == "xf" => {
                            // Keyed by the raw id text, and a later numFmt of the same id wins.
                            formats.push(match x.attr("numFmtId") {
                                None => CellFormat::Other,
                                Some(id) => match custom.iter().rev().find(|(k, _)| *k == id) {
                                    Some(&(_, f)) => f,
                                    None => builtin_format_by_id(id),
                                },
                            });
                            x.until_end("xf")?;
                        }
                        Ev::End(q) if q.local == "cellXfs" => break,
                        Ev::Eof => return None,
                        _ => {}
                    }
                },
                _ => {}
            },
            Ev::End(q) if q.local == "styleSheet" => return Some(()),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CellFormat {
    Other,
    DateTime,
    TimeDelta,
}

// `detect_custom_number_format` and `builtin_format_by_id` are calamine 0.38's (src/formats.rs,
// MIT), copied because calamine keeps them private: a cell is a date exactly when it is one there.

fn detect_custom_number_format(format: &str) -> CellFormat {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return CellFormat::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime
            }
            _ => {
                if hms && s.eq_ignore_ascii_case(&prev) {
                    // ok ...
                } else {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

fn builtin_format_by_id(id: &str) -> CellFormat {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            CellFormat::DateTime
        }
        // East Asian built-in dates and times.
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => CellFormat::DateTime,
        "46" => CellFormat::TimeDelta,
        _ => CellFormat::Other,
    }
}

// ---------------------------------------------------------------------------------------------
// Shared strings and rich text.

/// All shared strings in one buffer: one allocation per workbook, not one per string.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

fn shared_strings(x: &mut Xml<'_>, strings: &mut Strings, scratch: &mut String) -> Option<()> {
    x.until(|e| matches!(e, Ev::Start(q) if q.local == "sst"))?;
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "si" => {
                match x.plain_child("t") {
                    // What rich_text does with one plain <t>.
                    Some(t) => push_unescaped(&mut strings.text, t.trim_matches(XML_WS)),
                    None => rich_text(x, q, &mut strings.text, scratch)?,
                }
                strings.ends.push(strings.text.len());
                // calamine's path refuses the file, after checking every part.
                if strings.ends.len() > super::MAX_SHARED_STRINGS {
                    return None;
                }
            }
            Ev::End(q) if q.local == "sst" => return Some(()),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// What calamine trims from `<t>` text without `xml:space="preserve"`.
const XML_WS: [char; 4] = [' ', '\t', '\r', '\n'];

/// calamine's `read_string`: every `<t>` up to `closing` (rich text runs included, phonetic
/// `<rPh>` runs left out), each trimmed of ASCII whitespace unless `xml:space="preserve"`, then
/// `_xHHHH_`-unescaped, appended to `out`.
fn rich_text(
    x: &mut Xml<'_>,
    closing: Name<'_>,
    out: &mut String,
    scratch: &mut String,
) -> Option<()> {
    let mut phonetic = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "rPh" => phonetic = true,
                "t" if !phonetic => {
                    let preserve = x.attr("xml:space") == Some("preserve");
                    scratch.clear();
                    x.text(scratch)?;
                    let t = if preserve {
                        scratch.as_str()
                    } else {
                        scratch.trim_matches(XML_WS)
                    };
                    push_unescaped(out, t);
                }
                _ => {}
            },
            Ev::End(q) if q.q == closing.q => return Some(()),
            Ev::End(q) if q.local == "rPh" => phonetic = false,
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// calamine's `unescape_xml`, appending: Excel writes a character XML cannot hold as
/// `_xHHHH_` (a UTF-16 unit; surrogate pairs as two escapes; a literal `_x` as `_x005F_x`).
fn push_unescaped(out: &mut String, s: &str) {
    let mut copied = 0;
    let mut from = 0;
    while let Some((at, unit)) = find_xml_escape(s, from) {
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match parse_xml_escape(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    let cp =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => char::REPLACEMENT_CHARACTER,
            },
            0xDC00..=0xDFFF => char::REPLACEMENT_CHARACTER,
            _ => char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        out.push(c);
        copied = next;
        from = next;
    }
    out.push_str(&s[copied..]);
}

fn find_xml_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(off) = s.get(from..)?.find('_') {
        let at = from + off;
        if let Some(unit) = parse_xml_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn parse_xml_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + 7)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

// ---------------------------------------------------------------------------------------------
// Worksheets.

struct Context<'a> {
    sheet: &'a str,
    strings: &'a Strings,
    formats: &'a [CellFormat],
    epoch_1904: bool,
}

/// Cells (in document order, through `keep_cell`) and merges of one sheet part, in one pass.
/// `Ok(false)`: no `<sheetData>`, i.e. a chart or dialog sheet, which calamine reports as not a
/// worksheet.
fn worksheet(
    x: &mut Xml<'_>,
    ctx: &Context<'_>,
    text: &mut String,
    cells: &mut Vec<(usize, usize, Cell)>,
    merges: &mut Vec<Merge>,
) -> Option<Result<bool, ReadError>> {
    // calamine's merge scan takes the first <mergeCells> anywhere; this pass only looks after
    // </sheetData>, so one earlier is refused.
    let mut root = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "dimension" => {
                    dimension(x.attr("ref")?)?;
                }
                "sheetData" => break,
                "mergeCells" => return None,
                _ => root = true,
            },
            Ev::Eof => return root.then_some(Ok(false)),
            _ => {}
        }
    }

    // Positions as calamine counts them: a cell's `r` wins; without it, the row's `r` (or the
    // previous row + 1) and one past the previous cell.
    let (mut row, mut col) = (0u32, 0u32);
    // The last `<f>` text of the current cell, reused from cell to cell.
    let mut formula = String::new();
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "row" => {
                    if let Some(r) = x.attr("r") {
                        row = row_col(r)?.0;
                    }
                }
                "c" => {
                    let (mut at, mut style, mut typ) = (None, None, None);
                    for &(k, v) in &x.attrs {
                        match k {
                            "r" => at = Some(v),
                            "s" => style = Some(v),
                            "t" => typ = Some(v),
                            _ => {}
                        }
                    }
                    let (r, c) = match at {
                        Some(a) => {
                            let rc = cell_pos(a)?;
                            col = rc.1;
                            rc
                        }
                        None => (row, col),
                    };
                    let mut value = Cell::Empty;
                    // Only for the types whose <v> calamine reads raw.
                    let raw = matches!(typ, None | Some("n" | "s" | "b" | "e"));
                    if let Some(v) = if raw { x.plain_child("v") } else { None } {
                        // `<v>text</v></c>`: what the loop below would do, without the events.
                        raw_value(v, style, typ, ctx, &mut value)?;
                    } else {
                        // The formula, when the cell has one (as calamine's
                        // `next_cell_with_formula` reads it: the last `<f>`).
                        let mut has_formula = false;
                        loop {
                            match x.next()? {
                                // The last value child wins, as in calamine.
                                Ev::Start(child) if child.local == "f" => {
                                    formula.clear();
                                    x.text(&mut formula)?;
                                    has_formula = true;
                                }
                                Ev::Start(child) => {
                                    cell_value(x, child, style, typ, ctx, text, &mut value)?
                                }
                                Ev::End(e) if e.local == "c" => break,
                                Ev::Eof => return None,
                                _ => {}
                            }
                        }
                        // No value: the result was never saved (a `str` formula's empty result
                        // is an empty text, not this).
                        if has_formula && value == Cell::Empty {
                            // A shared formula's other cells carry no text; calamine writes it
                            // out from the first cell, so those are left to it.
                            if formula.is_empty() {
                                return None;
                            }
                            value = Cell::Formula(formula.clone());
                        }
                    }
                    col = col.checked_add(1)?;
                    if let Err(e) = keep_cell(ctx.sheet, cells, r as usize, c as usize, value) {
                        return Some(Err(e));
                    }
                }
                "mergeCells" => return None,
                _ => {}
            },
            Ev::End(q) => match q.local {
                "row" => {
                    row = row.checked_add(1)?;
                    col = 0;
                }
                "sheetData" => break,
                _ => {}
            },
            Ev::Eof => return None,
            _ => {}
        }
    }

    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "mergeCells" => break,
            Ev::Eof => return Some(Ok(true)),
            _ => {}
        }
    }
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "mergeCell" => {
                if let Some(r) = x.attr("ref") {
                    let ((r0, c0), (r1, c1)) = dimension(r)?;
                    merges.push(Merge {
                        r0: r0 as usize,
                        c0: c0 as usize,
                        r1: r1 as usize,
                        c1: c1 as usize,
                    });
                }
            }
            // calamine reads no further.
            Ev::End(q) if q.local == "mergeCells" => return Some(Ok(true)),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// An Excel error value: `#` and a short name of capitals, `/`, `_`, `0` and a final `!` or
/// `?` (`#DIV/0!`, `#N/A`, `#SPILL!`, `#GETTING_DATA`, …). Excel adds new ones (`#CALC!`,
/// `#FIELD!`, `#BUSY!` since 2019), so the form is checked, not a list.
pub(super) fn is_error_value(v: &str) -> bool {
    let Some(name) = v.strip_prefix('#') else {
        return false;
    };
    let name = name.strip_suffix(['!', '?']).unwrap_or(name);
    !name.is_empty()
        && name.len() <= 20
        && name.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || matches!(b, b'/' | b'_' | b'0'))
}

/// One child of `<c>`, as calamine's `read_value`/`read_v` read it.
fn cell_value(
    x: &mut Xml<'_>,
    child: Name<'_>,
    style: Option<&str>,
    typ: Option<&str>,
    ctx: &Context<'_>,
    text: &mut String,
    out: &mut Cell,
) -> Option<()> {
    *out = match child.local {
        "is" => {
            let mut s = String::new();
            rich_text(x, child, &mut s, text)?;
            Cell::Text(s)
        }
        "v" => match typ {
            Some("inlineStr" | "is") => {
                x.skip_element()?;
                Cell::Empty
            }
            Some("n" | "s" | "b" | "e") | None => {
                // calamine takes the first text event raw and skips the rest; anything but a
                // single plain run is left to it.
                let v = match x.next()? {
                    Ev::Text(v) => v,
                    Ev::End(_) => {
                        *out = Cell::Empty;
                        return Some(());
                    }
                    _ => return None,
                };
                if !matches!(x.next()?, Ev::End(_)) {
                    return None;
                }
                return raw_value(v, style, typ, ctx, out);
            }
            Some(t) => {
                text.clear();
                x.text(text)?;
                match t {
                    "str" => {
                        let mut s = String::with_capacity(text.len());
                        push_unescaped(&mut s, text);
                        Cell::Text(s)
                    }
                    // ISO date text: calamine's DateTimeIso, which the calamine path keeps as text.
                    "d" => Cell::Text(text.clone()),
                    _ => return None,
                }
            }
        },
        _ => return None,
    };
    Some(())
}

fn raw_value(
    v: &str,
    style: Option<&str>,
    typ: Option<&str>,
    ctx: &Context<'_>,
    out: &mut Cell,
) -> Option<()> {
    *out = match typ {
        Some("s") => Cell::Text(ctx.strings.get(digits(v)?)?.to_string()),
        Some("b") => match v.trim() {
            "" => Cell::Empty,
            t if t == "0" || t.eq_ignore_ascii_case("false") => Cell::Bool(false),
            t if t == "1" || t.eq_ignore_ascii_case("true") => Cell::Bool(true),
            _ => return None,
        },
        // Read by the calamine path too (see `workbook::read_xlsx_calamine`).
        Some("e") if is_error_value(v) => Cell::Error(v.to_string()),
        Some("e") => return None,
        // calamine reads an empty `<v>` as nothing.
        _ if v.is_empty() => Cell::Empty,
        _ => {
            // NaN, INF, 1e309: kept apart as not finite, whatever the format (calamine's
            // parser reads the same spellings as Rust's).
            let n = match number(v) {
                Some(n) => n,
                None => match v.parse::<f64>() {
                    Ok(n) if !n.is_finite() => {
                        *out = Cell::number(n);
                        return Some(());
                    }
                    _ => return None,
                },
            };
            // No `s`: General. An `s` past the cellXfs list: no format, also a plain number.
            let format = match style {
                Some(s) => ctx.formats.get(digits(s)?).copied(),
                None => Some(CellFormat::Other),
            };
            match format {
                Some(CellFormat::DateTime | CellFormat::TimeDelta) => Cell::date(n, ctx.epoch_1904),
                _ => Cell::Number(n),
            }
        }
    };
    Some(())
}

/// An index calamine parses with atoi (leading zeros allowed); anything else is left to it.
fn digits(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `-?d+(.d+)?([eE][+-]?d+)?`, the forms Excel writes. Both this parse and calamine's
/// fast_float are correctly rounded, so they agree; other spellings are left to calamine.
fn number(v: &str) -> Option<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    // Most values are integers; up to 15 digits they are exact in an f64.
    let int = &b[i..];
    if !int.is_empty() && int.len() <= 15 && int.iter().all(u8::is_ascii_digit) {
        let n = int.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64;
        return Some(if i == 1 { -n } else { n });
    }
    let run = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > from
    };
    if !run(&mut i) {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !run(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !run(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    v.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// calamine's `get_row_and_optional_column`: letters then digits, zero-based; overflow is
/// refused here where calamine would wrap.
fn row_col(s: &str) -> Option<(u32, Option<u32>)> {
    let b = s.as_bytes();
    let (mut i, mut col, mut row) = (0, 0u32, 0u32);
    while i < b.len() {
        let letter = match b[i] {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'a'..=b'z' => c - b'a',
            c @ b'0'..=b'9' => {
                row = u32::from(c - b'0');
                i += 1;
                break;
            }
            _ => return None,
        };
        col = col.checked_mul(26)?.checked_add(u32::from(letter) + 1)?;
        i += 1;
    }
    for &c in &b[i..] {
        if !c.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(c - b'0'))?;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)))
}

fn cell_pos(s: &str) -> Option<(u32, u32)> {
    let (r, c) = row_col(s)?;
    Some((r, c?))
}

/// `A1` or `A1:G3` (calamine's `get_dimension`). A reversed range is left to calamine, whose
/// subtraction would overflow on it.
fn dimension(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let (a, b) = match s.split_once(':') {
        Some((a, b)) if !b.contains(':') => (a, Some(b)),
        Some(_) => return None,
        None => (s, None),
    };
    let start = cell_pos(a)?;
    let end = match b {
        Some(b) => cell_pos(b)?,
        None => start,
    };
    (end.0 >= start.0 && end.1 >= start.1).then_some((start, end))
}

// ---------------------------------------------------------------------------------------------
// The tokenizer.

/// An element name: qualified, and quick-xml's local name (after the first `:`), which is
/// what calamine matches on.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Name<'a> {
    q: &'a str,
    local: &'a str,
}

/// Events as quick-xml reports them with calamine's settings (empty elements expanded into a
/// start and an end, text untrimmed, a reference as its own event).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ev<'a> {
    /// The attributes are in `Xml::attrs` until the next event.
    Start(Name<'a>),
    End(Name<'a>),
    /// Raw text up to the next `<` or `&`.
    Text(&'a str),
    /// A resolved entity or character reference.
    Ref(char),
    Eof,
}

/// Every method returns `None` for input outside the accepted subset: well-formed UTF-8 XML
/// with matching tags, double- or single-quoted attributes separated by whitespace, no
/// duplicate attributes, predefined entities and character references only, and no comments,
/// CDATA, DTDs or processing instructions after the prolog.
struct Xml<'a> {
    s: &'a str,
    pos: usize,
    open: Vec<Name<'a>>,
    attrs: Vec<(&'a str, &'a str)>,
    /// The start of an empty element was reported; its end is due.
    close_empty: bool,
    root_done: bool,
}

const NAME: u8 = 1;
const WS: u8 = 2;

/// Byte classes, looked up once per byte in the scanning loops.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') {
            t[i] = NAME;
        } else if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            t[i] = WS;
        }
        i += 1;
    }
    t
};

fn is_ws(b: u8) -> bool {
    CLASS[b as usize] == WS
}

fn is_name(b: u8) -> bool {
    CLASS[b as usize] == NAME
}

/// Equality for the few-byte names and keys compared here, inlined rather than a `bcmp` call.
#[inline]
fn eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

impl<'a> Xml<'a> {
    fn new(part: &'a [u8]) -> Option<Xml<'a>> {
        let s = std::str::from_utf8(part).ok()?;
        // quick-xml drops a UTF-8 byte order mark.
        let s = s.strip_prefix('\u{feff}').unwrap_or(s);
        let mut x = Xml {
            s,
            pos: 0,
            open: Vec::with_capacity(16),
            attrs: Vec::with_capacity(8),
            close_empty: false,
            root_done: false,
        };
        x.prolog()?;
        Some(x)
    }

    /// Steps over whitespace and `<?...?>` before the root. A declared encoding other than
    /// UTF-8 would make quick-xml decode the bytes differently.
    fn prolog(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            let rest = &self.s[self.pos..];
            if !rest.starts_with("<?") {
                return Some(());
            }
            let end = rest[2..].find("?>")? + 2;
            if rest[2..end].starts_with("xml") && rest.as_bytes().get(5).is_some_and(|&c| is_ws(c))
            {
                let stop = self.parse_attrs(self.pos + 5)?;
                if stop != self.pos + end {
                    return None;
                }
                if let Some(enc) = self.attr("encoding") {
                    if !enc.eq_ignore_ascii_case("utf-8") {
                        return None;
                    }
                }
            }
            self.pos += end + 2;
        }
    }

    fn skip_ws(&mut self) {
        let b = self.s.as_bytes();
        while self.pos < b.len() && is_ws(b[self.pos]) {
            self.pos += 1;
        }
    }

    #[inline]
    fn attr(&self, key: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(k, _)| eq(k, key)).map(|&(_, v)| v)
    }

    fn next(&mut self) -> Option<Ev<'a>> {
        if self.close_empty {
            self.close_empty = false;
            let name = self.open.pop()?;
            self.root_done = self.open.is_empty();
            return Some(Ev::End(name));
        }
        let b = self.s.as_bytes();
        if self.open.is_empty() {
            // Before the root only the prolog (already read), after it only whitespace.
            self.skip_ws();
            if self.pos == b.len() {
                return Some(Ev::Eof);
            }
            if self.root_done || b[self.pos] != b'<' {
                return None;
            }
        }
        match b.get(self.pos)? {
            b'<' => match b.get(self.pos + 1)? {
                b'/' => self.end_tag(),
                b'!' | b'?' => None,
                _ => self.start_tag(),
            },
            b'&' => {
                let from = self.pos + 1;
                let len = b[from..]
                    .iter()
                    .position(|&c| matches!(c, b';' | b'&' | b'<'))?;
                if b[from + len] != b';' {
                    return None;
                }
                let name = &self.s[from..from + len];
                self.pos = from + len + 1;
                Some(Ev::Ref(resolve_reference(name)?))
            }
            _ => {
                let from = self.pos;
                let len = b[from..]
                    .iter()
                    .position(|&c| c == b'<' || c == b'&')
                    .unwrap_or(b.len() - from);
                self.pos = from + len;
                Some(Ev::Text(&self.s[from..from + len]))
            }
        }
    }

    fn end_tag(&mut self) -> Option<Ev<'a>> {
        let name = self.open.pop()?;
        let b = self.s.as_bytes();
        let mut i = self.pos + 2;
        if !eq(self.s.get(i..i + name.q.len())?, name.q) {
            return None;
        }
        i += name.q.len();
        // quick-xml trims whitespace after the name of a closing tag.
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'>') {
            return None;
        }
        self.pos = i + 1;
        self.root_done = self.open.is_empty();
        Some(Ev::End(name))
    }

    /// `<name (ws+ key ws* = ws* quoted)* ws* /?>` in one pass. For tags of this shape the end
    /// is where quick-xml's quote-aware search puts it.
    fn start_tag(&mut self) -> Option<Ev<'a>> {
        let (s, b) = (self.s, self.s.as_bytes());
        let from = self.pos + 1;
        let mut i = from;
        let mut local = from;
        while i < b.len() && is_name(b[i]) {
            if b[i] == b':' && local == from {
                local = i + 1;
            }
            i += 1;
        }
        if i == from {
            return None;
        }
        let name = Name {
            q: &s[from..i],
            local: &s[local..i],
        };
        i = self.parse_attrs(i)?;
        let empty = match b.get(i)? {
            b'>' => false,
            b'/' if b.get(i + 1) == Some(&b'>') => true,
            _ => return None,
        };
        self.pos = i + if empty { 2 } else { 1 };
        self.open.push(name);
        self.close_empty = empty;
        Some(Ev::Start(name))
    }

    /// Attributes from byte `i` into `attrs`, returning where they stop (at `>`, `/` or `?`).
    /// Values stay raw (calamine decodes only some), but one whose entities would not decode
    /// is refused.
    fn parse_attrs(&mut self, mut i: usize) -> Option<usize> {
        let (s, b) = (self.s, self.s.as_bytes());
        self.attrs.clear();
        loop {
            let gap = i;
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if matches!(b.get(i)?, b'>' | b'/' | b'?') {
                return Some(i);
            }
            let k = i;
            while i < b.len() && is_name(b[i]) {
                i += 1;
            }
            if gap == k || k == i {
                return None;
            }
            let key = &s[k..i];
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                return None;
            }
            i += 1;
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let quote = *b.get(i)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            i += 1;
            let v = i;
            let mut entity = false;
            loop {
                match *b.get(i)? {
                    c if c == quote => break,
                    b'<' => return None,
                    b'&' => entity = true,
                    _ => {}
                }
                i += 1;
            }
            let value = &s[v..i];
            i += 1;
            if (entity && quick_xml::escape::unescape(value).is_err())
                || self.attrs.iter().any(|(k, _)| eq(k, key))
            {
                return None;
            }
            self.attrs.push((key, value));
        }
    }

    /// Text content up to the current element's end, references resolved and line ends
    /// normalised as quick-xml's `xml10_content` does. A child element is refused.
    fn text(&mut self, out: &mut String) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Text(t) => push_xml10(out, t),
                Ev::Ref(c) => out.push(c),
                Ev::End(_) => return Some(()),
                Ev::Start(_) | Ev::Eof => return None,
            }
        }
    }

    /// Right after a start tag: when the rest of that element is exactly `<C>text</C></P>`
    /// (child `C` unprefixed, without attributes; text without markup, references or line ends
    /// to normalise), consumes it and returns the text — what the events would have carried.
    /// Otherwise nothing is consumed. Most cells and shared strings take this way.
    fn plain_child(&mut self, child: &str) -> Option<&'a str> {
        if self.close_empty {
            return None;
        }
        let parent = *self.open.last()?;
        let (s, b) = (self.s, self.s.as_bytes());
        let open = self.pos + child.len() + 2;
        if b.get(self.pos) != Some(&b'<')
            || !eq(s.get(self.pos + 1..open - 1)?, child)
            || b.get(open - 1) != Some(&b'>')
        {
            return None;
        }
        let len = b[open..]
            .iter()
            .position(|&c| matches!(c, b'<' | b'&' | b'\r'))?;
        let end = open + len;
        let close = end + child.len() + 5;
        let last = close + parent.q.len();
        if len == 0
            || s.get(end..end + 2)? != "</"
            || !eq(s.get(end + 2..close - 3)?, child)
            || s.get(close - 3..close)? != "></"
            || !eq(s.get(close..last)?, parent.q)
            || b.get(last) != Some(&b'>')
        {
            return None;
        }
        self.open.pop();
        self.root_done = self.open.is_empty();
        self.pos = last + 1;
        Some(&s[open..end])
    }

    /// Skips the rest of the current element (quick-xml's `read_to_end`).
    fn skip_element(&mut self) -> Option<()> {
        let depth = self.open.len();
        loop {
            match self.next()? {
                Ev::End(_) if self.open.len() < depth => return Some(()),
                Ev::Eof => return None,
                _ => {}
            }
        }
    }

    /// Up to and including the first event `stop` accepts, as calamine's loops stop.
    fn until(&mut self, stop: impl Fn(&Ev<'a>) -> bool) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Eof => return None,
                e if stop(&e) => return Some(()),
                _ => {}
            }
        }
    }

    fn until_end(&mut self, name: &str) -> Option<()> {
        self.until(|e| matches!(e, Ev::End(q) if q.local == name))
    }

    /// A `<fonts>`/`<fills>` list: each item read to its end, the list to its end.
    fn items(&mut self, list: &str, item: &str) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Start(q) if q.local == item => self.until_end(item)?,
                Ev::End(q) if q.local == list => return Some(()),
                Ev::Eof => return None,
                _ => {}
            }
        }
    }
}

/// As calamine resolves a reference: the five XML entities or a character reference.
fn resolve_reference(name: &str) -> Option<char> {
    if let Some(s) = quick_xml::escape::resolve_xml_entity(name) {
        return s.chars().next();
    }
    quick_xml::events::BytesRef::new(name)
        .resolve_char_ref()
        .ok()
        .flatten()
}

/// XML 1.0 end-of-line handling: `\r\n` and a lone `\r` become `\n`.
fn push_xml10(out: &mut String, t: &str) {
    let mut rest = t;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `<q` start, `</q` end (with `|local` when it differs), text in quotes, `&c` reference.
    fn events(xml: &str) -> Option<Vec<String>> {
        let mut x = Xml::new(xml.as_bytes())?;
        let mut out = Vec::new();
        let name = |n: Name<'_>| match n.q == n.local {
            true => n.q.to_string(),
            false => format!("{}|{}", n.q, n.local),
        };
        loop {
            out.push(match x.next()? {
                Ev::Start(n) => format!("<{}{:?}", name(n), x.attrs),
                Ev::End(n) => format!("</{}", name(n)),
                Ev::Text(t) => format!("{t:?}"),
                Ev::Ref(c) => format!("&{c}"),
                Ev::Eof => return Some(out),
            });
        }
    }

    #[test]
    fn tokenizer_matches_quick_xml_on_its_subset() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a x='1' y = \"a>b\"><b/>t&amp;&#x41;&#66;\r\n<c:d:e\tk=\"&lt;\" >u</c:d:e ></a>\n";
        assert_eq!(
            events(xml).unwrap(),
            [
                r#"<a[("x", "1"), ("y", "a>b")]"#,
                "<b[]",
                "</b",
                r#""t""#,
                "&&",
                "&A",
                "&B",
                r#""\r\n""#,
                r#"<c:d:e|d:e[("k", "&lt;")]"#,
                r#""u""#,
                "</c:d:e|d:e",
                "</a",
            ]
        );
    }

    #[test]
    fn tokenizer_refuses_what_it_does_not_know() {
        for bad in [
            "<a><!-- c --></a>",
            "<a><![CDATA[x]]></a>",
            "<!DOCTYPE a><a/>",
            "<?xml version=\"1.0\" encoding=\"GBK\"?><a/>",
            "<a></b>",
            "<a>",
            "<a/><b/>",
            "<a>&nbsp;</a>",
            "<a>&#0;</a>",
            "<a>& b</a>",
            "<a x=1/>",
            "<a x='1'y='2'/>",
            "<a x='1' x='2'/>",
            "<a x='&bogus;'/>",
            "<a><?pi x?></a>",
            "x<a/>",
        ] {
            assert!(events(bad).is_none(), "{bad}");
        }
        assert!(Xml::new(b"<a>\xff</a>").is_none());
    }

    #[test]
    fn references_and_line_ends() {
        let mut x = Xml::new("<t>a\r\nb\rc&#13;&lt;</t>".as_bytes()).unwrap();
        assert!(matches!(x.next(), Some(Ev::Start(n)) if n.q == "t"));
        let mut s = String::new();
        x.text(&mut s).unwrap();
        assert_eq!(s, "a\nb\nc\r<");
    }

    #[test]
    fn excel_escapes() {
        let mut s = String::new();
        push_unescaped(
            &mut s,
            "a_x000D_b_x005F_x000D__xD83D__xDE00__xD800_z_x00G0_",
        );
        assert_eq!(s, "a\rb_x000D_\u{1F600}\u{FFFD}z_x00G0_");
    }

    #[test]
    fn error_values_by_form() {
        for e in [
            "#DIV/0!",
            "#N/A",
            "#NAME?",
            "#SPILL!",
            "#CALC!",
            "#GETTING_DATA",
            "#BLOCKED!",
        ] {
            assert!(is_error_value(e), "{e}");
        }
        for e in [
            "#", "#!", "#spill!", "SPILL!", "#SPILL!!", "# N/A", "#REF! ", "#0!",
        ] {
            assert!(!is_error_value(e), "{e}");
        }
    }

    #[test]
    fn cell_references() {
        assert_eq!(row_col("C7"), Some((6, Some(2))));
        assert_eq!(row_col("7"), Some((6, None)));
        assert_eq!(cell_pos("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(row_col("A0"), None);
        assert_eq!(row_col("A1B"), None);
        assert_eq!(row_col("A99999999999"), None);
        assert_eq!(dimension("B2"), Some(((1, 1), (1, 1))));
        assert_eq!(dimension("A1:G1"), Some(((0, 0), (0, 6))));
        assert_eq!(dimension("B2:A1"), None);
        assert_eq!(dimension("A1:B2:C3"), None);
    }

    #[test]
    fn numbers_excel_writes() {
        assert_eq!(number("4000"), Some(4000.0));
        assert_eq!(number("-1.5E-3"), Some(-0.0015));
        assert_eq!(number("1e+20"), Some(1e20));
        for odd in [
            "", "-", "1.", ".5", "+1", " 1", "1 ", "inf", "NaN", "0x10", "1e400", "1e",
        ] {
            assert_eq!(number(odd), None, "{odd}");
        }
    }

    #[test]
    fn date_formats_as_calamine_detects_them() {
        for (code, f) in [
            ("yyyy\"年\"m\"月\"", CellFormat::DateTime),
            ("yyyy/m/d", CellFormat::DateTime),
            ("[h]:mm:ss", CellFormat::TimeDelta),
            ("0.00_);[Red]\\(0.00\\)", CellFormat::Other),
            ("#,##0*y", CellFormat::Other),
            ("\"Y: \"0.00", CellFormat::Other),
        ] {
            assert_eq!(detect_custom_number_format(code), f, "{code}");
        }
        assert_eq!(builtin_format_by_id("14"), CellFormat::DateTime);
        assert_eq!(builtin_format_by_id("57"), CellFormat::DateTime);
        assert_eq!(builtin_format_by_id("014"), CellFormat::Other);
    }
}
