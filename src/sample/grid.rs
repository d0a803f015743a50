//! A format-neutral cell grid and the writers that turn it into .xlsx, .ods, .csv, HTML and the
//! JSON read by scripts/make_xls_fixtures.py.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Num(f64),
    Text(String),
    /// Excel formula text and its cached result (written as the plain value where the format
    /// cannot carry a cached result: .ods, .xls, CSV, HTML).
    Formula(String, f64),
}

pub(crate) fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Style {
    Normal,
    Title,
    Header,
}

#[derive(Clone, Debug)]
pub(crate) struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub styles: Vec<Style>,
    /// (first_row, first_col, last_row, last_col), inclusive; the text sits in the first cell.
    pub merges: Vec<(u32, u16, u32, u16)>,
    pub widths: Vec<f64>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            rows: Vec::new(),
            styles: Vec::new(),
            merges: Vec::new(),
            widths: Vec::new(),
        }
    }
    /// Appends a row and returns its 0-based index.
    pub fn push(&mut self, style: Style, cells: Vec<Cell>) -> u32 {
        self.rows.push(cells);
        self.styles.push(style);
        (self.rows.len() - 1) as u32
    }
    pub fn merge(&mut self, r1: u32, c1: u16, r2: u32, c2: u16) {
        self.merges.push((r1, c1, r2, c2));
    }
    pub fn ncols(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }
    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Cell::Empty)
    }
    fn merge_at(&self, r: u32, c: u16) -> Option<(u32, u16, u32, u16)> {
        self.merges.iter().copied().find(|m| m.0 == r && m.1 == c)
    }
    fn covered(&self, r: u32, c: u16) -> bool {
        self.merges
            .iter()
            .any(|m| r >= m.0 && r <= m.2 && c >= m.1 && c <= m.3 && !(r == m.0 && c == m.1))
    }
}

/// Integers without a decimal point, everything else with 2 decimals (万元, %).
pub(crate) fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{:.2}", v)
    }
}

/// What a cell shows as text (CSV, HTML, ODS text:p).
pub(crate) fn display(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Num(v) | Cell::Formula(_, v) => fmt_num(*v),
        Cell::Text(s) => s.clone(),
    }
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(ch),
        }
    }
    o
}

// ---------------------------------------------------------------- xlsx

pub(crate) fn write_xlsx(path: &Path, sheets: &[Sheet]) -> Result<()> {
    use rust_xlsxwriter::{
        DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook,
    };
    let mut wb = Workbook::new();
    // A fixed creation date keeps the files byte-for-byte reproducible.
    let created = ExcelDateTime::from_ymd(2024, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let plain = Format::new();
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sh.name)?;
        for (i, w) in sh.widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w)?;
        }
        for (r, row) in sh.rows.iter().enumerate() {
            let fmt = match sh.styles.get(r).copied().unwrap_or(Style::Normal) {
                Style::Normal => &plain,
                Style::Title => &title,
                Style::Header => &header,
            };
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if sh.covered(r, c) {
                    continue;
                }
                if let Some(m) = sh.merge_at(r, c) {
                    ws.merge_range(m.0, m.1, m.2, m.3, &display(cell), fmt)?;
                    continue;
                }
                match cell {
                    Cell::Empty => {}
                    Cell::Num(v) => {
                        ws.write_number_with_format(r, c, *v, fmt)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, c, s, fmt)?;
                    }
                    Cell::Formula(f, v) => {
                        let fo = Formula::new(f.as_str()).set_result(fmt_num(*v));
                        ws.write_formula_with_format(r, c, fo, fmt)?;
                    }
                }
            }
        }
    }
    wb.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

// ---------------------------------------------------------------- ods

/// A minimal but valid OpenDocument spreadsheet: stored `mimetype` first, a manifest, and
/// content.xml. Formulas are written as their cached values.
pub(crate) fn write_ods(path: &Path, sheets: &[Sheet]) -> Result<()> {
    use zip::write::SimpleFileOptions;
    // Stored entries need no compression feature of the zip crate, and the fixed
    // timestamp keeps the bytes reproducible.
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut z = zip::ZipWriter::new(file);
    z.start_file("mimetype", opts)?;
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    z.start_file("META-INF/manifest.xml", opts)?;
    z.write_all(ODS_MANIFEST.as_bytes())?;
    z.start_file("content.xml", opts)?;
    z.write_all(ods_content(sheets).as_bytes())?;
    z.start_file("styles.xml", opts)?;
    z.write_all(ODS_STYLES.as_bytes())?;
    z.finish()?;
    Ok(())
}

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

const ODS_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2"><office:styles/></office:document-styles>
"#;

fn ods_content(sheets: &[Sheet]) -> String {
    let mut o = String::new();
    o.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    o.push_str(concat!(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        r#" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0""#,
        r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#,
        r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        r#" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#,
        r#" office:version="1.2">"#
    ));
    o.push_str("<office:body><office:spreadsheet>");
    for sh in sheets {
        let ncols = sh.ncols().max(1);
        o.push_str(&format!(
            r#"<table:table table:name="{}"><table:table-column table:number-columns-repeated="{}"/>"#,
            xml_escape(&sh.name),
            ncols
        ));
        for (r, row) in sh.rows.iter().enumerate() {
            o.push_str("<table:table-row>");
            for (c, cell) in row.iter().enumerate() {
                let (ru, cu) = (r as u32, c as u16);
                if sh.covered(ru, cu) {
                    o.push_str("<table:covered-table-cell/>");
                    continue;
                }
                let span = match sh.merge_at(ru, cu) {
                    Some(m) => format!(
                        r#" table:number-columns-spanned="{}" table:number-rows-spanned="{}""#,
                        m.3 - m.1 + 1,
                        m.2 - m.0 + 1
                    ),
                    None => String::new(),
                };
                match cell {
                    Cell::Empty => {
                        o.push_str(&format!("<table:table-cell{}/>", span));
                    }
                    Cell::Num(v) | Cell::Formula(_, v) => o.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{}"{}><text:p>{}</text:p></table:table-cell>"#,
                        v,
                        span,
                        fmt_num(*v)
                    )),
                    Cell::Text(s) => o.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"{}><text:p>{}</text:p></table:table-cell>"#,
                        span,
                        odf_text(s)
                    )),
                }
            }
            // Rows that are shorter than a merge above still need their covered cells.
            for c in row.len()..ncols {
                if sh.covered(r as u32, c as u16) {
                    o.push_str("<table:covered-table-cell/>");
                }
            }
            o.push_str("</table:table-row>");
        }
        o.push_str("</table:table>");
    }
    o.push_str("</office:spreadsheet></office:body></office:document-content>");
    o
}

/// Escaped text for a text:p. ODF collapses literal spaces, so every run of spaces becomes
/// `<text:s text:c="n"/>` to keep padded numbers and indented labels as written.
fn odf_text(s: &str) -> String {
    let mut o = String::new();
    let mut spaces = 0;
    let flush = |o: &mut String, n: usize| {
        if n > 0 {
            o.push_str(&format!(r#"<text:s text:c="{n}"/>"#));
        }
    };
    for ch in s.chars() {
        if ch == ' ' {
            spaces += 1;
            continue;
        }
        flush(&mut o, spaces);
        spaces = 0;
        o.push_str(&xml_escape(&ch.to_string()));
    }
    flush(&mut o, spaces);
    o
}

// ---------------------------------------------------------------- csv / html

/// The sheet as Excel's "save as CSV" writes it: every row padded to the used width, fields
/// quoted only when needed, CRLF line ends.
pub(crate) fn csv_text(sh: &Sheet) -> String {
    let w = sh.ncols();
    let mut o = String::new();
    for r in 0..sh.rows.len() {
        let fields: Vec<String> = (0..w).map(|c| csv_field(&display(sh.cell(r, c)))).collect();
        o.push_str(&fields.join(","));
        o.push_str("\r\n");
    }
    o
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enc {
    Utf8,
    Utf8Bom,
    Gbk,
    Gb18030,
}

pub(crate) fn encode(text: &str, enc: Enc) -> Result<Vec<u8>> {
    match enc {
        Enc::Utf8 => Ok(text.as_bytes().to_vec()),
        Enc::Utf8Bom => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            Ok(b)
        }
        Enc::Gbk | Enc::Gb18030 => {
            let e = if enc == Enc::Gbk {
                encoding_rs::GBK
            } else {
                encoding_rs::GB18030
            };
            let (bytes, _, had_errors) = e.encode(text);
            if had_errors {
                bail!("text not representable in {}", e.name());
            }
            Ok(bytes.into_owned())
        }
    }
}

/// The HTML table many HIS systems save with an .xls extension.
pub(crate) fn html_text(sh: &Sheet) -> String {
    let mut o = String::new();
    o.push_str("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\r\n<head>\r\n");
    o.push_str("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n");
    o.push_str(&format!(
        "<title>{}</title>\r\n</head>\r\n<body>\r\n",
        xml_escape(&sh.name)
    ));
    o.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\">\r\n");
    for (r, row) in sh.rows.iter().enumerate() {
        o.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let (ru, cu) = (r as u32, c as u16);
            if sh.covered(ru, cu) {
                continue;
            }
            let mut attrs = String::new();
            if let Some(m) = sh.merge_at(ru, cu) {
                if m.3 > m.1 {
                    attrs.push_str(&format!(" colspan=\"{}\"", m.3 - m.1 + 1));
                }
                if m.2 > m.0 {
                    attrs.push_str(&format!(" rowspan=\"{}\"", m.2 - m.0 + 1));
                }
            }
            if matches!(cell, Cell::Num(_) | Cell::Formula(..)) {
                attrs.push_str(" align=\"right\"");
            }
            let tag = if sh.styles.get(r) == Some(&Style::Header) {
                "th"
            } else {
                "td"
            };
            o.push_str(&format!(
                "<{tag}{attrs}>{}</{tag}>",
                xml_escape(&display(cell))
            ));
        }
        o.push_str("</tr>\r\n");
    }
    o.push_str("</table>\r\n</body>\r\n</html>\r\n");
    o
}

// ---------------------------------------------------------------- xls (JSON for xlwt)

/// JSON description read by scripts/make_xls_fixtures.py: cells, merges, widths, bold rows.
pub(crate) fn xls_json(sheets: &[Sheet]) -> String {
    use serde_json::{json, Value};
    let mut out = Vec::new();
    for sh in sheets {
        let mut cells = Vec::new();
        for (r, row) in sh.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if sh.covered(r as u32, c as u16) {
                    continue;
                }
                let v: Option<Value> = match cell {
                    Cell::Empty => None,
                    Cell::Num(v) | Cell::Formula(_, v) => Some(json!({"t": "n", "v": v})),
                    Cell::Text(s) => Some(json!({"t": "s", "v": s})),
                };
                if let Some(mut v) = v {
                    v["r"] = json!(r);
                    v["c"] = json!(c);
                    cells.push(v);
                }
            }
        }
        let bold: Vec<usize> = sh
            .styles
            .iter()
            .enumerate()
            .filter(|(_, s)| **s != Style::Normal)
            .map(|(i, _)| i)
            .collect();
        out.push(json!({
            "name": sh.name,
            "cells": cells,
            "merges": sh.merges.iter().map(|m| json!([m.0, m.1, m.2, m.3])).collect::<Vec<_>>(),
            "col_widths": sh.widths,
            "bold_rows": bold,
        }));
    }
    let doc = json!({ "sheets": out });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
