//! HTML tables, as hospital information systems export them under a `.xls` name.

use super::{Cell, Merge, ReadError, Sheet, MAX_CELLS, MAX_COLS, MAX_MERGES, MAX_ROWS};
use crate::model::cell_ref;
use crate::text::static_regex;
use regex::Regex;
use std::sync::LazyLock;

pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with('<')
        && (head.contains("<table") || head.contains("<html") || head.contains("<!doctype"))
}

/// Every `<table>` becomes a sheet; colspan/rowspan become merged regions with the value in
/// the top-left cell, as in a workbook. Tolerant of the unclosed `<td>`/`<tr>` that HIS
/// exports are full of: a new cell or row closes the previous one. The limits are checked
/// as each cell is added, so a huge table is refused before it is collected. The whole text
/// at once (the readers feed `Tables` piece by piece).
#[cfg(test)]
pub fn parse_tables(text: &str) -> Result<Vec<Sheet>, ReadError> {
    let mut scanner = Tables::default();
    let mut buf = text.to_string();
    scanner.feed(&mut buf)?;
    Ok(scanner.finish())
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?is)<(/?)(table|tr|td|th)\b([^>]*)>"));

/// The tables of an HTML document read piece by piece (`feed`), so the document is never
/// held whole: only the text not yet consumed — an unfinished tag, or the text of the cell
/// still open — stays in the buffer between pieces.
#[derive(Default)]
pub struct Tables {
    sheets: Vec<Sheet>,
    t: TableBuilder,
    in_table: bool,
    /// The cell being read: (colspan, rowspan, where its text starts in the buffer).
    cell: Option<(usize, usize, usize)>,
    /// Where in the buffer to look for the next tag (the text before holds none).
    from: usize,
}

impl Tables {
    /// Reads the complete tags of `buf` and removes from it what is consumed.
    pub fn feed(&mut self, buf: &mut String) -> Result<(), ReadError> {
        static SPAN: LazyLock<Regex> =
            LazyLock::new(|| static_regex(r#"(?i)(colspan|rowspan)\s*=\s*["']?(\d+)"#));
        let mut end = self.from;
        for cap in TAG.captures_iter(&buf[self.from..]) {
            // Group 0 is the match itself: always present.
            let m = cap.get(0).expect("group 0");
            let (m_start, m_end) = (self.from + m.start(), self.from + m.end());
            end = m_end;
            let closing = !cap[1].is_empty();
            let tag = cap[2].to_ascii_lowercase();
            if let Some((cs, rs, start)) = self.cell.take() {
                if self.in_table {
                    self.t
                        .add_cell(&buf[start..m_start], cs, rs)
                        .map_err(|e| e.error(&format!("table{}", self.sheets.len() + 1)))?;
                }
            }
            match (tag.as_str(), closing) {
                ("table", false) => {
                    self.in_table = true;
                    self.t = TableBuilder::default();
                }
                ("table", true) => {
                    if self.in_table {
                        super::check_sheet_count(self.sheets.len() + 1)?;
                        let name = format!("table{}", self.sheets.len() + 1);
                        let t = &mut self.t;
                        let mut sheet =
                            std::mem::replace(&mut t.sheet, Sheet::empty(String::new()));
                        sheet.merges = super::check_merges(
                            &name,
                            std::mem::take(&mut t.merges),
                            sheet.height(),
                            t.max_c + 1,
                        )?;
                        sheet.name = name;
                        self.sheets.push(sheet);
                    }
                    self.in_table = false;
                }
                ("tr", false) => self.t.new_row(),
                ("td" | "th", false) => {
                    let (mut cs, mut rs) = (1usize, 1usize);
                    for s in SPAN.captures_iter(&cap[3]) {
                        let n: usize = s[2].parse().unwrap_or(1).clamp(1, 1000);
                        if s[1].eq_ignore_ascii_case("colspan") {
                            cs = n;
                        } else {
                            rs = n;
                        }
                    }
                    self.cell = Some((cs, rs, m_end));
                }
                _ => {}
            }
        }
        // A tag may have begun at the last `<` and end in the next piece; the open cell's
        // text is kept whole. Everything before both is consumed.
        let next = buf[end..].rfind('<').map_or(buf.len(), |i| end + i);
        let keep = self.cell.map_or(next, |(_, _, start)| start.min(next));
        buf.drain(..keep);
        self.from = next - keep;
        if let Some((_, _, start)) = &mut self.cell {
            *start -= keep;
        }
        Ok(())
    }

    /// The tables closed by `</table>` (an unclosed one at the end is not a table).
    pub fn finish(self) -> Vec<Sheet> {
        self.sheets
    }
}

/// Which limit a table went over, before its sheet name is known here.
enum Over {
    At(usize, usize),
    Cells,
    Merges,
}

impl Over {
    fn error(self, sheet: &str) -> ReadError {
        match self {
            Over::At(r, c) => ReadError::TooLarge {
                sheet: sheet.to_string(),
                cell: cell_ref(r, c),
                rows: r + 1,
                cols: c + 1,
            },
            Over::Cells => super::too_many_cells(sheet),
            Over::Merges => ReadError::OverLimit {
                sheet: Some(sheet.to_string()),
                what: crate::said!(
                    crate::i18n::Msg::ReadHtmlMergesOver,
                    sheet = sheet,
                    max = MAX_MERGES
                ),
                limit: crate::said!(crate::i18n::Msg::ReadMergesLimit, max = MAX_MERGES),
            },
        }
    }
}

/// A table's cells come in reading order (rows, then columns, after the ones a rowspan
/// covers), so they go straight into the sheet's arena.
struct TableBuilder {
    sheet: Sheet,
    /// Filled cells, and the last column holding one.
    filled: usize,
    max_c: usize,
    merges: Vec<Merge>,
    row: Option<usize>,
    col: usize,
    /// Per column, the last row covered by a rowspan from above.
    covered: Vec<Option<usize>>,
}

impl Default for TableBuilder {
    fn default() -> TableBuilder {
        TableBuilder {
            sheet: Sheet::empty(String::new()),
            filled: 0,
            max_c: 0,
            merges: vec![],
            row: None,
            col: 0,
            covered: vec![],
        }
    }
}

impl TableBuilder {
    fn new_row(&mut self) {
        self.row = Some(self.row.map_or(0, |r| r + 1));
        self.col = 0;
    }
    fn add_cell(&mut self, inner: &str, cs: usize, rs: usize) -> Result<(), Over> {
        if self.row.is_none() {
            self.new_row();
        }
        let r = self.row.unwrap_or(0);
        while self
            .covered
            .get(self.col)
            .copied()
            .flatten()
            .is_some_and(|last| last >= r)
        {
            self.col += 1;
        }
        let c = self.col;
        let value = decode_entities(&strip_tags(inner));
        let value = value.trim();
        let spans = cs > 1 || rs > 1;
        // A span reaching past the limits would make `covered` (and later stages) that large.
        if (!value.is_empty() || spans) && (r + rs > MAX_ROWS || c + cs > MAX_COLS) {
            return Err(Over::At(r + rs - 1, c + cs - 1));
        }
        if !value.is_empty() {
            if self.filled >= MAX_CELLS {
                return Err(Over::Cells);
            }
            // The grid is dense from A1: refused as soon as it would hold too many cells.
            let max_c = self.max_c.max(c);
            if (r + 1).saturating_mul(max_c + 1) > MAX_CELLS {
                return Err(Over::At(r, max_c));
            }
            self.filled += 1;
            self.max_c = max_c;
            while self.sheet.height() <= r {
                self.sheet.new_row();
            }
            while self.sheet.row_len(r) < c {
                self.sheet.push(Cell::Empty);
            }
            self.sheet.push(Cell::Text(value));
        }
        if spans {
            if self.merges.len() >= MAX_MERGES {
                return Err(Over::Merges);
            }
            self.merges.push(Merge {
                r0: r,
                c0: c,
                r1: r + rs - 1,
                c1: c + cs - 1,
            });
        }
        if rs > 1 {
            if self.covered.len() < c + cs {
                self.covered.resize(c + cs, None);
            }
            for slot in self.covered.iter_mut().skip(c).take(cs) {
                *slot = Some(r + rs - 1);
            }
        }
        self.col += cs;
        Ok(())
    }
}

fn strip_tags(s: &str) -> String {
    static BR: LazyLock<Regex> = LazyLock::new(|| static_regex(r"(?i)<br\s*/?>"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| static_regex(r"(?s)<[^>]*>"));
    let s = BR.replace_all(s, " ");
    TAG.replace_all(&s, "").into_owned()
}

fn decode_entities(s: &str) -> String {
    static ENT: LazyLock<Regex> =
        LazyLock::new(|| static_regex(r"&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);"));
    ENT.replace_all(s, |c: &regex::Captures| {
        let e = &c[1];
        let ch = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = e.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match e {
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            }
        };
        ch.map(String::from).unwrap_or_else(|| c[0].to_string())
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document read in pieces of every size from one character up gives the tables it
    /// gives whole: tags, entities and cells cut anywhere, spans, an unclosed cell, text
    /// between tables and a `<` that begins no tag.
    #[test]
    fn pieces_of_any_size_read_as_the_whole() {
        let html = "<html><body>前言 a<b<TABLE border=1>\n<tr><td rowspan=\"2\">单位</td>\
            <td colspan=2>手术&nbsp;例数<br/>（台次）</td></tr>\n<tr><td>一级<td>二级&amp;三级\
            <tr><TH>合计</TH><td>1,234</td><td>5</td></tr></table> 中间 <table><tr>\
            <td>&#x4E00;</td><td>x<span>y</span></td></tr></table><table><tr><td>未完";
        let whole: Vec<(String, Vec<Vec<Cell>>, Vec<Merge>)> = parse_tables(html)
            .unwrap()
            .iter()
            .map(|s| (s.name.clone(), s.to_rows(), s.merges.clone()))
            .collect();
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[0].1[0][1], Cell::Text("手术 例数 （台次）".into()));
        assert_eq!(whole[1].1[0][0], Cell::Text("一".into()));
        let chars: Vec<char> = html.chars().collect();
        for size in 1..=chars.len() {
            let mut tables = Tables::default();
            let mut buf = String::new();
            for piece in chars.chunks(size) {
                buf.extend(piece);
                tables.feed(&mut buf).unwrap();
            }
            let got: Vec<(String, Vec<Vec<Cell>>, Vec<Merge>)> = tables
                .finish()
                .iter()
                .map(|s| (s.name.clone(), s.to_rows(), s.merges.clone()))
                .collect();
            assert_eq!(got, whole, "pieces of {size}");
        }
    }

    /// Between pieces only an unfinished tag or the open cell's text is held.
    #[test]
    fn what_is_read_is_let_go() {
        let mut tables = Tables::default();
        let mut buf = String::from("<table><tr><td>1</td><td>22</td></tr><tr><td>33");
        tables.feed(&mut buf).unwrap();
        assert_eq!(buf, "33");
        buf.push_str("3</td></tr><t");
        tables.feed(&mut buf).unwrap();
        assert_eq!(buf, "<t");
        buf.push_str("r><td>4</td></table>");
        tables.feed(&mut buf).unwrap();
        assert!(buf.is_empty(), "{buf}");
        let sheets = tables.finish();
        assert_eq!(sheets[0].to_rows().len(), 3);
    }

    #[test]
    fn spans_and_entities() {
        let html = r#"<html><meta charset="utf-8"><table border=1>
            <tr><td rowspan=2>单位</td><td colspan="2">手术例数</td></tr>
            <tr><td>一级</td><td>二级&nbsp;</td></tr>
            <tr><td>A&amp;B</td><td>1,234</td><td>5</td></tr>
            </table></html>"#;
        let sheets = parse_tables(html).unwrap();
        let s = &sheets[0];
        assert_eq!(s.get(0, 1), &Cell::Text("手术例数".into()));
        assert_eq!(s.get(1, 1), &Cell::Text("一级".into()));
        assert_eq!(s.get(1, 2), &Cell::Text("二级".into()));
        assert_eq!(s.get(2, 0), &Cell::Text("A&B".into()));
        assert!(s.merges.contains(&Merge {
            r0: 0,
            c0: 1,
            r1: 0,
            c1: 2
        }));
        assert!(s.merges.contains(&Merge {
            r0: 0,
            c0: 0,
            r1: 1,
            c1: 0
        }));
    }
}
