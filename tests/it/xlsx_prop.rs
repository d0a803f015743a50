//! Property test of the one-pass xlsx reader: random workbooks, each written twice — by
//! rust_xlsxwriter, and as raw XML parts for what it cannot write (the 1904 date system, error
//! values, inline strings, formulas without a saved result, whitespace as other writers leave
//! it) — are read by the one-pass reader and by the calamine path. The two must give the same
//! cell grid, cell for cell, on every sheet, and both must give what was written.
//!
//! 64 cases by default (a few seconds in a debug build); more with `PROPTEST_CASES=5000`.
//! proptest shrinks a failure to a small workbook and prints it.

use crate::common::ooxml::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use yilian::read::{xlsx_readers, Cell, Merge, Workbook};

// ---------------------------------------------------------------------------------------------
// The model: what is written, and what a reader must hand over for it.

/// Number formats: numFmtId (custom codes from 176 on) and whether calamine takes the cell for a
/// date (built-in date ids, and codes with date or elapsed-time parts).
struct Style {
    id: u32,
    code: Option<&'static str>,
    date: bool,
}

#[rustfmt::skip]
const STYLES: [Style; 10] = [
    Style { id: 0, code: None, date: false },
    Style { id: 14, code: None, date: true },
    Style { id: 22, code: None, date: true },
    Style { id: 176, code: Some("yyyy\"年\"m\"月\""), date: true },
    Style { id: 177, code: Some("[h]:mm"), date: true },
    Style { id: 58, code: None, date: true },
    Style { id: 178, code: Some("0.00"), date: false },
    Style { id: 10, code: None, date: false },
    Style { id: 179, code: Some("#,##0.00\"元\""), date: false },
    Style { id: 180, code: Some("yyyy/m/d h:mm"), date: true },
];

/// Every error value Excel writes, old and new (calamine knows the first eight).
const ERRORS: [&str; 15] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
];

/// The error values rust_xlsxwriter saves as `t="e"`; it saves the others as text.
const XLSXWRITER_ERRORS: [&str; 8] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
];

const FORMULAS: [&str; 5] = [
    "SUM(A1:A2)",
    "B2*2",
    "IF(A1>0,\"是\",\"否\")",
    "VLOOKUP(B2,'月报表'!A:B,2,FALSE)",
    "1/0",
];

/// Pieces of text: CJK, full-width and XML-special characters, whitespace, an Excel escape
/// (`_x000D_` is a carriage return when read), an emoji.
const PIECES: [&str; 26] = [
    "a",
    "Z",
    "0",
    "9",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "医",
    "院",
    "出院人数",
    "漢字",
    "（",
    "）",
    "：",
    "\u{3000}",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "#",
    "-",
    "_x000D_",
    "😀",
];

const SHEET_NAMES: [&str; 6] = [
    "月报表",
    "Sheet",
    "数据 & 指标",
    "O'Brien",
    "表<1>",
    "二〇二四年",
];

/// How a number is spelled in `<v>`: as Rust prints it (`100000000000000000000`,
/// `0.0000001`), in the shortest exponent form (`1e20`, `1e-7`), or as Excel does (`1E+20`).
#[derive(Clone, Copy, Debug)]
enum Spelling {
    Plain,
    Short,
    Excel,
}

#[derive(Clone, Debug)]
enum Value {
    /// A shared (or inline) string; `preserve` sets `xml:space="preserve"` on its `<t>`.
    Text {
        s: String,
        shared: bool,
        preserve: bool,
    },
    /// Rich text runs (alternately plain and bold), shared or inline.
    Rich {
        runs: Vec<String>,
        shared: bool,
    },
    /// A number in a style of `STYLES`.
    Number(f64, usize, Spelling),
    Bool(bool),
    Error(&'static str),
    /// A formula with its saved result.
    Formula(&'static str, Cached),
    /// A formula whose result was never saved (raw XML only: rust_xlsxwriter always saves one).
    Uncached(&'static str),
    /// A styled cell without a value.
    Blank(usize),
    /// `<v></v>`.
    EmptyElement,
}

#[derive(Clone, Debug)]
enum Cached {
    Number(f64, usize, Spelling),
    /// Always starts with `x`: rust_xlsxwriter saves a result that reads as a number, a
    /// boolean or an error value as such.
    Text(String),
    Error(&'static str),
    Bool(bool),
}

#[derive(Clone, Debug)]
struct SheetSpec {
    name: String,
    cells: BTreeMap<(u32, u16), Value>,
    /// `(r0, c0, r1, c1)`, not overlapping, each more than one cell.
    merges: Vec<(u32, u16, u32, u16)>,
}

#[derive(Clone, Debug)]
struct Book {
    epoch_1904: bool,
    sheets: Vec<SheetSpec>,
    /// Raw XML only: non-ASCII characters as character references (`&#x533B;`).
    char_refs: bool,
    /// Raw XML only: a cell right after the previous one (or first in its row) without its
    /// `r` attribute, as some generators write them.
    implicit_refs: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Writer {
    RustXlsxWriter,
    RawXml,
}

/// What a reader must give for `v`; `None` where the writers' and readers' whitespace and
/// escape rules decide (the two readers are still compared there).
fn expected(v: &Value, w: Writer, epoch_1904: bool) -> Option<Cell> {
    let number = |n: f64, style: usize| {
        if STYLES[style].date {
            Cell::date(n, epoch_1904)
        } else {
            Cell::Number(n)
        }
    };
    // rust_xlsxwriter escapes what XML would change (`xml:space`, `_x000D_` for CR, `_x005F_`).
    let exact = |s: &str| {
        Some(if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        })
    };
    // Raw XML: CRLF reads as LF; `_x000D_` is unescaped; text without `xml:space="preserve"`
    // may lose its outer whitespace. A blank text is no cell either way.
    let raw = |s: &str, preserve: bool| {
        if s.contains("_x") {
            return None;
        }
        let s = s.replace("\r\n", "\n");
        if s.trim().is_empty() {
            Some(Cell::Empty)
        } else if preserve || s.trim() == s {
            Some(Cell::Text(s.into()))
        } else {
            None
        }
    };
    let error = |e: &str| match w {
        Writer::RustXlsxWriter if !XLSXWRITER_ERRORS.contains(&e) => Cell::Text(e.into()),
        _ => Cell::Error(e.into()),
    };
    match v {
        Value::Text { s, preserve, .. } => match w {
            Writer::RustXlsxWriter => exact(s),
            Writer::RawXml => raw(s, *preserve),
        },
        Value::Rich { runs, .. } => match w {
            // rust_xlsxwriter does not escape `_x000D_` in rich text runs (as it does in plain
            // strings): Excel, too, reads it as a CR there.
            Writer::RustXlsxWriter if runs.concat().contains("_x") => None,
            Writer::RustXlsxWriter => exact(&runs.concat()),
            Writer::RawXml => raw(&runs.concat(), true),
        },
        Value::Number(n, style, _) => Some(number(*n, *style)),
        Value::Bool(b) => Some(Cell::Bool(*b)),
        Value::Error(e) => Some(error(e)),
        Value::Formula(_, cached) => match cached {
            Cached::Number(n, style, _) => Some(number(*n, *style)),
            // A `<v>` never carries `xml:space`, from either writer.
            Cached::Text(s) if s.contains('\r') => None,
            Cached::Text(s) => raw(s, false),
            Cached::Error(e) => Some(error(e)),
            Cached::Bool(b) => Some(Cell::Bool(*b)),
        },
        Value::Uncached(f) => Some(match w {
            Writer::RustXlsxWriter => Cell::Empty,
            Writer::RawXml => Cell::Formula((*f).into()),
        }),
        Value::Blank(_) | Value::EmptyElement => Some(Cell::Empty),
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies.

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&PIECES[..]), 0..6).prop_map(|v| v.concat())
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![
        Just(Spelling::Plain),
        Just(Spelling::Short),
        Just(Spelling::Excel)
    ]
}

/// Integers, decimals, negatives, huge and tiny numbers, and date serials with a time of day.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i64..1000).prop_map(|i| i as f64),
        (-999_999_999_999_999i64..999_999_999_999_999).prop_map(|i| i as f64),
        (-10_000_000i64..10_000_000, 1i32..8).prop_map(|(m, k)| m as f64 / 10f64.powi(k)),
        (1u32..80_000, 0u32..1440).prop_map(|(d, m)| f64::from(d) + f64::from(m) / 1440.0),
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
    ]
}

fn style() -> impl Strategy<Value = usize> {
    0..STYLES.len()
}

fn cached() -> impl Strategy<Value = Cached> {
    prop_oneof![
        (number(), style(), spelling()).prop_map(|(n, s, sp)| Cached::Number(n, s, sp)),
        text().prop_map(|s| Cached::Text(format!("x{s}"))),
        prop::sample::select(&ERRORS[..]).prop_map(Cached::Error),
        any::<bool>().prop_map(Cached::Bool),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (text(), any::<bool>(), any::<bool>())
            .prop_map(|(s, shared, preserve)| Value::Text { s, shared, preserve }),
        1 => (prop::collection::vec(text().prop_filter("a run has text", |s| !s.is_empty()), 1..4), any::<bool>())
            .prop_map(|(runs, shared)| Value::Rich { runs, shared }),
        4 => (number(), style(), spelling()).prop_map(|(n, s, sp)| Value::Number(n, s, sp)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => prop::sample::select(&ERRORS[..]).prop_map(Value::Error),
        2 => (prop::sample::select(&FORMULAS[..]), cached()).prop_map(|(f, c)| Value::Formula(f, c)),
        1 => prop::sample::select(&FORMULAS[..]).prop_map(Value::Uncached),
        1 => style().prop_map(Value::Blank),
        1 => Just(Value::EmptyElement),
    ]
}

fn sheet() -> impl Strategy<Value = SheetSpec> {
    let cell = ((0u32..20, 0u16..8), value());
    let rect = (0u32..18, 0u16..7, 0u32..3, 0u16..3);
    (
        prop::sample::select(&SHEET_NAMES[..]),
        prop::collection::vec(cell, 0..25),
        prop::collection::vec(rect, 0..3),
    )
        .prop_map(|(name, cells, rects)| {
            let mut merges: Vec<(u32, u16, u32, u16)> = Vec::new();
            for (r0, c0, dr, dc) in rects {
                let m = (r0, c0, r0 + dr, c0 + dc);
                let overlaps = merges
                    .iter()
                    .any(|o| m.0 <= o.2 && o.0 <= m.2 && m.1 <= o.3 && o.1 <= m.3);
                if dr + u32::from(dc) > 0 && !overlaps {
                    merges.push(m);
                }
            }
            // rust_xlsxwriter blanks a merged range but its first cell.
            let covered = |&(r, c): &(u32, u16)| {
                merges.iter().any(|m| {
                    (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (r, c) != (m.0, m.1)
                })
            };
            let cells = cells.into_iter().filter(|(at, _)| !covered(at)).collect();
            SheetSpec {
                name: name.to_string(),
                cells,
                merges,
            }
        })
}

fn book() -> impl Strategy<Value = Book> {
    (
        any::<bool>(),
        prop::collection::vec(sheet(), 1..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(epoch_1904, mut sheets, char_refs, implicit_refs)| {
            // Sheet names are unique.
            for (i, s) in sheets.iter_mut().enumerate() {
                s.name = format!("{}{}", s.name, i + 1);
            }
            Book {
                epoch_1904,
                sheets,
                char_refs,
                implicit_refs,
            }
        })
}

// ---------------------------------------------------------------------------------------------
// Writers.

fn spell(n: f64, s: Spelling) -> String {
    match s {
        Spelling::Plain => format!("{n}"),
        Spelling::Short => format!("{n:?}"),
        Spelling::Excel => {
            let e = format!("{n:E}");
            match e.split_once('E') {
                Some((m, x)) if !x.starts_with('-') => format!("{m}E+{x}"),
                _ => e,
            }
        }
    }
}

/// XML text or attribute value; with `refs`, non-ASCII characters as character references.
fn esc(s: &str, refs: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\'' if refs => out += "&apos;",
            ch if refs && !ch.is_ascii() => out += &format!("&#x{:X};", u32::from(ch)),
            ch => out.push(ch),
        }
    }
    out
}

fn t(s: &str, preserve: bool, refs: bool) -> String {
    let space = if preserve {
        " xml:space=\"preserve\""
    } else {
        ""
    };
    format!("<t{space}>{}</t>", esc(s, refs))
}

fn rich(runs: &[String], refs: bool) -> String {
    runs.iter()
        .enumerate()
        .map(|(i, r)| {
            let bold = if i % 2 == 1 { "<rPr><b/></rPr>" } else { "" };
            format!("<r>{bold}{}</r>", t(r, true, refs))
        })
        .collect()
}

fn col_name(c: u16) -> char {
    (b'A' + c as u8) as char
}

/// The workbook as Excel lays it out, one XML part at a time.
fn raw_xml(book: &Book) -> Vec<u8> {
    let mut sst: Vec<String> = Vec::new();
    let mut sst_index: HashMap<String, usize> = HashMap::new();
    let mut shared = |si: String| -> usize {
        let n = sst_index.len();
        *sst_index.entry(si.clone()).or_insert_with(|| {
            sst.push(si);
            n
        })
    };
    let esc = |s: &str| esc(s, book.char_refs);
    let mut sheets = Vec::new();
    for sh in &book.sheets {
        let mut data = String::new();
        let mut row = None;
        let mut next_col = 0;
        for (&(r, c), v) in &sh.cells {
            if row != Some(r) {
                if row.is_some() {
                    data += "</row>";
                }
                data += &format!("<row r=\"{}\">", r + 1);
                row = Some(r);
                next_col = 0;
            }
            let at = if book.implicit_refs && c == next_col {
                String::new()
            } else {
                format!(" r=\"{}{}\"", col_name(c), r + 1)
            };
            next_col = c + 1;
            let string = |si: String, is_shared: bool, shared: &mut dyn FnMut(String) -> usize| {
                if is_shared {
                    format!("<c{at} t=\"s\"><v>{}</v></c>", shared(si))
                } else {
                    format!("<c{at} t=\"inlineStr\"><is>{si}</is></c>")
                }
            };
            data += &match v {
                Value::Text {
                    s,
                    shared: sh,
                    preserve,
                } => string(t(s, *preserve, book.char_refs), *sh, &mut shared),
                Value::Rich { runs, shared: sh } => {
                    string(rich(runs, book.char_refs), *sh, &mut shared)
                }
                Value::Number(n, st, sp) => {
                    format!("<c{at} s=\"{st}\"><v>{}</v></c>", spell(*n, *sp))
                }
                Value::Bool(b) => format!("<c{at} t=\"b\"><v>{}</v></c>", u8::from(*b)),
                Value::Error(e) => format!("<c{at} t=\"e\"><v>{e}</v></c>"),
                Value::Formula(f, cached) => {
                    let f = esc(f);
                    match cached {
                        Cached::Number(n, st, sp) => {
                            format!("<c{at} s=\"{st}\"><f>{f}</f><v>{}</v></c>", spell(*n, *sp))
                        }
                        Cached::Text(s) => {
                            format!("<c{at} t=\"str\"><f>{f}</f><v>{}</v></c>", esc(s))
                        }
                        Cached::Error(e) => {
                            format!("<c{at} t=\"e\"><f>{f}</f><v>{e}</v></c>")
                        }
                        Cached::Bool(b) => {
                            format!("<c{at} t=\"b\"><f>{f}</f><v>{}</v></c>", u8::from(*b))
                        }
                    }
                }
                Value::Uncached(f) => format!("<c{at}><f>{}</f></c>", esc(f)),
                Value::Blank(st) => format!("<c{at} s=\"{st}\"/>"),
                Value::EmptyElement => format!("<c{at}><v></v></c>"),
            };
        }
        if row.is_some() {
            data += "</row>";
        }
        let mut after = String::new();
        if !sh.merges.is_empty() {
            after += &format!("<mergeCells count=\"{}\">", sh.merges.len());
            for &(r0, c0, r1, c1) in &sh.merges {
                after += &format!(
                    "<mergeCell ref=\"{}{}:{}{}\"/>",
                    col_name(c0),
                    r0 + 1,
                    col_name(c1),
                    r1 + 1
                );
            }
            after += "</mergeCells>";
        }
        sheets.push((esc(&sh.name), sheet_xml(&data, &after)));
    }
    let custom: Vec<(u32, String)> = STYLES
        .iter()
        .filter_map(|s| s.code.map(|c| (s.id, esc(c))))
        .collect();
    let custom: Vec<(u32, &str)> = custom.iter().map(|(id, c)| (*id, c.as_str())).collect();
    let ids: Vec<u32> = STYLES.iter().map(|s| s.id).collect();
    let styles = styles_xml(&custom, &ids);
    let items: Vec<&str> = sst.iter().map(String::as_str).collect();
    let sst = (!items.is_empty()).then(|| sst_xml(&items));
    let names: Vec<(&str, String)> = sheets
        .iter()
        .map(|(n, x)| (n.as_str(), x.clone()))
        .collect();
    let pr = if book.epoch_1904 {
        "<workbookPr date1904=\"1\"/>"
    } else {
        ""
    };
    book_with(&names, sst, Some(styles), pr)
}

fn format(style: usize) -> rust_xlsxwriter::Format {
    let s = &STYLES[style];
    match s.code {
        Some(code) => rust_xlsxwriter::Format::new().set_num_format(code),
        None => rust_xlsxwriter::Format::new().set_num_format_index(s.id as u8),
    }
}

fn rust_xlsxwriter(book: &Book) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Formula};
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = Format::new().set_bold();
    let plain = Format::new();
    for sh in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sh.name).unwrap();
        for &(r0, c0, r1, c1) in &sh.merges {
            ws.merge_range(r0, c0, r1, c1, "", &plain).unwrap();
        }
        for (&(r, c), v) in &sh.cells {
            let number = |ws: &mut rust_xlsxwriter::Worksheet, n: f64, st: usize| {
                if st == 0 {
                    ws.write_number(r, c, n).map(|_| ())
                } else {
                    ws.write_number_with_format(r, c, n, &format(st))
                        .map(|_| ())
                }
            };
            let formula =
                |ws: &mut rust_xlsxwriter::Worksheet, f: &str, result: String, st: usize| {
                    let f = Formula::new(format!("={f}")).set_result(result);
                    if st == 0 {
                        ws.write_formula(r, c, f).map(|_| ())
                    } else {
                        ws.write_formula_with_format(r, c, f, &format(st))
                            .map(|_| ())
                    }
                };
            match v {
                Value::Text { s, .. } => ws.write_string(r, c, s).map(|_| ()),
                Value::Rich { runs, .. } => {
                    let segments: Vec<(&Format, &str)> = runs
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (if i % 2 == 1 { &bold } else { &plain }, s.as_str()))
                        .collect();
                    ws.write_rich_string(r, c, &segments).map(|_| ())
                }
                Value::Number(n, st, _) => number(ws, *n, *st),
                Value::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                Value::Error(e) => formula(ws, "NA()", e.to_string(), 0),
                Value::Formula(f, cached) => match cached {
                    Cached::Number(n, st, _) => formula(ws, f, format!("{n}"), *st),
                    Cached::Text(s) => formula(ws, f, s.clone(), 0),
                    Cached::Error(e) => formula(ws, f, e.to_string(), 0),
                    Cached::Bool(b) => formula(ws, f, if *b { "TRUE" } else { "FALSE" }.into(), 0),
                },
                Value::Uncached(_) | Value::EmptyElement => Ok(()),
                Value::Blank(st) => ws.write_blank(r, c, &format(*st)).map(|_| ()),
            }
            .unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    if book.epoch_1904 {
        with_1904(&bytes)
    } else {
        bytes
    }
}

/// rust_xlsxwriter cannot write a 1904 workbook: its `<workbookPr>` is given the flag.
fn with_1904(bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        if name == "xl/workbook.xml" {
            assert!(xml.contains("<workbookPr "), "{xml}");
            xml = xml.replacen("<workbookPr ", "<workbookPr date1904=\"1\" ", 1);
        }
        parts.push((name, xml));
    }
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, x)| (n.as_str(), x.clone())).collect();
    zip(&parts, false)
}

// ---------------------------------------------------------------------------------------------
// The property.

/// The one-pass reader answers (it must not decline what Excel-like writers produce), gives
/// the calamine path's grid, and both give the model's cells and merges.
fn check(book: &Book, w: Writer, bytes: &[u8]) -> Result<(), TestCaseError> {
    let fast: Workbook = match xlsx_readers::fast(bytes) {
        Some(Ok(wb)) => wb,
        Some(Err(e)) => {
            return Err(TestCaseError::fail(format!(
                "{w:?}: the fast path failed: {e}"
            )))
        }
        None => {
            return Err(TestCaseError::fail(format!(
                "{w:?}: the fast path declined"
            )))
        }
    };
    let slow = xlsx_readers::calamine(bytes)
        .map_err(|e| TestCaseError::fail(format!("{w:?}: calamine failed: {e}")))?;
    prop_assert_eq!(
        grid(&fast),
        grid(&slow),
        "{:?}: one-pass reader vs calamine",
        w
    );

    let names: Vec<&str> = fast.sheets.iter().map(|s| s.name.as_str()).collect();
    let want: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    prop_assert_eq!(names, want, "{:?}: sheet names", w);
    for (spec, sheet) in book.sheets.iter().zip(&fast.sheets) {
        for (&(r, c), v) in &spec.cells {
            if let Some(want) = expected(v, w, book.epoch_1904) {
                let got = sheet.get(r as usize, c as usize);
                prop_assert_eq!(
                    got,
                    &want,
                    "{:?}: {} {}{} from {:?}",
                    w,
                    spec.name,
                    col_name(c),
                    r + 1,
                    v
                );
            }
        }
        // Nothing read that was not written.
        for (r, row) in sheet.to_rows().iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                prop_assert!(
                    cell.is_empty() || spec.cells.contains_key(&(r as u32, c as u16)),
                    "{:?}: {} ({r}, {c}) holds {:?}, nothing was written there",
                    w,
                    spec.name,
                    cell
                );
            }
        }
        let mut merges = sheet.merges.clone();
        merges.sort_by_key(|m| (m.r0, m.c0));
        let mut want: Vec<Merge> = spec
            .merges
            .iter()
            .map(|&(r0, c0, r1, c1)| Merge {
                r0: r0 as usize,
                c0: c0 as usize,
                r1: r1 as usize,
                c1: c1 as usize,
            })
            .collect();
        want.sort_by_key(|m| (m.r0, m.c0));
        prop_assert_eq!(merges, want, "{:?}: {} merges", w, spec.name);
    }
    Ok(())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn one_pass_reader_reads_random_workbooks_as_calamine_does(book in book()) {
        check(&book, Writer::RustXlsxWriter, &rust_xlsxwriter(&book))?;
        check(&book, Writer::RawXml, &raw_xml(&book))?;
    }
}
