//! Workbooks: the styles every sheet shares (title, header, number formats, the colours of
//! good and bad changes), CJK column widths, safe sheet names, and a typed table written as
//! a sheet. Text is always written with `write_string`, never as a formula, whatever a
//! member typed.

use super::table::{NumStyle, Table, Tone, Value};
use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::collections::BTreeSet;

pub const GREEN: Color = Color::RGB(0x1E7B34);
pub const RED: Color = Color::RGB(0xC00000);
pub const AMBER: Color = Color::RGB(0x9C5700);
const HEADER_FILL: Color = Color::RGB(0xDDEBF7);

/// A new workbook, as every workbook yilian writes is made: zip level 2. A bureau's
/// report.xlsx (2,000 members, 200 MB of XML) spends most of its writing compressing, on one
/// thread, at the end of the report: level 3 (as Excel 365 writes) took about 1 s less than
/// rust_xlsxwriter's default 6 for 14% more bytes; level 2 (zlib's fast strategy instead of
/// the medium one) 0.2 s less again for 6% more (42 items: 37.3 → 39.4 MB, the workbook's
/// writing 1.48 → 1.25 s). Level 1 would save 0.2 s more for 46% more bytes.
pub fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(2);
    wb
}

/// Column width for CJK text: rust_xlsxwriter's autofit counts characters, but a Chinese
/// character is two columns wide.
pub fn text_width(s: &str) -> f64 {
    crate::text::display_width(s) as f64 * 1.1 + 2.0
}

/// Excel sheet names: at most 31 characters, none of []:*?/\ , unique. Control characters
/// become `_` too: the name is an XML attribute, where they make the workbook unreadable
/// (rust_xlsxwriter escapes them in cells, not there); bidirectional controls likewise, so
/// a tab's name reads as typed.
pub fn sheet_name(name: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || super::is_unsafe_char(c) {
                '_'
            } else {
                c
            }
        })
        .take(28)
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let mut candidate = if clean.is_empty() {
        "sheet".to_string()
    } else {
        clean
    };
    let mut k = 2;
    while used.contains(&candidate.to_lowercase()) {
        candidate = format!("{}~{k}", candidate.chars().take(26).collect::<String>());
        k += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

/// How a figure of this unit is shown: percent, two decimals for ratios, days and money,
/// whole numbers for counts.
pub fn value_style(unit: &str, v: f64) -> NumStyle {
    if unit == "%" {
        NumStyle::Pct
    } else if v.fract() != 0.0 || matches!(unit, "次" | "日" | "倍" | "万元") {
        NumStyle::Dec
    } else {
        NumStyle::Int
    }
}

/// The formats of every workbook yilian writes, built once per workbook.
#[derive(Clone)]
pub struct Styles {
    pub title: Format,
    pub header: Format,
    numbers: Vec<Format>,
}

const NUM_STYLES: [NumStyle; 6] = [
    NumStyle::General,
    NumStyle::Int,
    NumStyle::Dec,
    NumStyle::Pct,
    NumStyle::ChangePct,
    NumStyle::ChangePp,
];
const TONES: [Tone; 3] = [Tone::Plain, Tone::Good, Tone::Bad];

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let mut numbers = Vec::new();
        for n in NUM_STYLES {
            for t in TONES {
                // ↑/↓ come from the number format, so the cell keeps the plain figure.
                let mut f = match n {
                    NumStyle::General => Format::new(),
                    NumStyle::Int => Format::new().set_num_format("#,##0"),
                    NumStyle::Dec => Format::new().set_num_format("#,##0.00"),
                    NumStyle::Pct => Format::new().set_num_format("0.0\"%\""),
                    NumStyle::ChangePct => {
                        Format::new().set_num_format("\"↑\"+0.0\"%\";\"↓\"-0.0\"%\";0.0\"%\"")
                    }
                    NumStyle::ChangePp => {
                        Format::new().set_num_format("\"↑\"+0.0\"pp\";\"↓\"-0.0\"pp\";0.0\"pp\"")
                    }
                };
                match t {
                    Tone::Good => f = f.set_font_color(GREEN),
                    Tone::Bad => f = f.set_font_color(RED),
                    Tone::Plain => {}
                }
                numbers.push(f);
            }
        }
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color(HEADER_FILL)
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            numbers,
        }
    }

    /// Every format of these styles numbered in the workbook now, in this order: sheets
    /// filled on several threads at once (report.xlsx) then get the same numbers every run
    /// (a format is otherwise numbered where it is first used).
    pub fn register(&self, wb: &mut Workbook) {
        for f in [&self.title, &self.header].into_iter().chain(&self.numbers) {
            wb.register_format(f);
        }
    }

    /// The format of a number cell.
    pub fn number(&self, style: NumStyle, tone: Tone) -> &Format {
        let n = NUM_STYLES.iter().position(|&s| s == style).unwrap_or(0);
        let t = TONES.iter().position(|&s| s == tone).unwrap_or(0);
        &self.numbers[n * TONES.len() + t]
    }

    /// A figure of `unit` (see `value_style`).
    pub fn value(&self, unit: &str, v: f64) -> &Format {
        self.number(value_style(unit, v), Tone::Plain)
    }

    /// A change in percent or percentage points, green when good news, red when bad.
    pub fn change(&self, good: Option<bool>, pp: bool) -> &Format {
        let tone = match good {
            Some(true) => Tone::Good,
            Some(false) => Tone::Bad,
            None => Tone::Plain,
        };
        let style = if pp {
            NumStyle::ChangePp
        } else {
            NumStyle::ChangePct
        };
        self.number(style, tone)
    }
}

/// Prints on A4, one page wide (landscape for wide sheets), the header rows `repeat` on every
/// page, and `footer` at the bottom left with the page number at the right. `&` is Excel's
/// footer code character, so a name holding one is doubled to print as typed.
pub fn print_setup(
    ws: &mut Worksheet,
    landscape: bool,
    repeat: Option<(u32, u32)>,
    footer: &str,
) -> Result<()> {
    const A4: u8 = 9;
    ws.set_paper_size(A4);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    let footer: String = footer
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('&', "&&");
    ws.set_footer(format!("&L{footer}&R&P / &N"));
    Ok(())
}

/// Writes `t` with its header at `first_row`: text as text, numbers as numbers in their
/// style, empty cells left empty; columns as wide as their text (CJK counted double, within
/// `min_width..=60`), the header frozen and filterable. Returns the row after the table.
pub fn write_table(
    ws: &mut Worksheet,
    first_row: u32,
    t: &Table,
    styles: &Styles,
    min_width: f64,
) -> Result<u32> {
    let mut w = TableWriter::start(ws, first_row, &t.headers, styles)?;
    w.rows(ws, t, styles)?;
    w.finish(ws, min_width)
}

/// `write_table` a part at a time, in row order, so a large sheet's rows need not all be
/// built first (and a constant-memory worksheet can be written): `start` writes the header,
/// `rows` appends each part (a `Table` with the same columns), `finish` sets the widths, the
/// frozen header and the filter.
pub struct TableWriter {
    first_row: u32,
    row: u32,
    widths: Vec<f64>,
}

impl TableWriter {
    pub fn start(
        ws: &mut Worksheet,
        first_row: u32,
        headers: &[String],
        styles: &Styles,
    ) -> Result<TableWriter> {
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(first_row, c as u16, h, &styles.header)?;
        }
        Ok(TableWriter {
            first_row,
            row: first_row,
            widths: headers.iter().map(|h| text_width(h)).collect(),
        })
    }

    pub fn rows(&mut self, ws: &mut Worksheet, t: &Table, styles: &Styles) -> Result<()> {
        for (i, r) in t.rows.iter().enumerate() {
            self.row += 1;
            let row = self.row;
            for (c, v) in r.iter().enumerate() {
                let col = c as u16;
                let style = t.style(i, c);
                match v {
                    Value::Null => continue,
                    Value::Text(s) => {
                        ws.write_string(row, col, s)?;
                    }
                    Value::Int(n) => {
                        ws.write_number_with_format(
                            row,
                            col,
                            *n as f64,
                            styles.number(style.num, style.tone),
                        )?;
                    }
                    Value::Num(x) => {
                        ws.write_number_with_format(
                            row,
                            col,
                            *x,
                            styles.number(style.num, style.tone),
                        )?;
                    }
                }
                if let (Some(w), Value::Text(s)) = (self.widths.get_mut(c), v) {
                    *w = w.max(text_width(s));
                }
            }
        }
        Ok(())
    }

    /// Returns the row after the table.
    pub fn finish(self, ws: &mut Worksheet, min_width: f64) -> Result<u32> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(c as u16, w.clamp(min_width, 60.0))?;
        }
        ws.set_freeze_panes(self.first_row + 1, 0)?;
        if !self.widths.is_empty() {
            ws.autofilter(self.first_row, 0, self.row, self.widths.len() as u16 - 1)?;
        }
        Ok(self.row + 1)
    }
}
