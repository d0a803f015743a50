//! The typed table and its writers for the terminal, CSV, JSON, JSON Lines and Markdown.

use super::{escape_terminal, md_escape, neutralise_csv, Encoding, Format, Kind, WriteOptions};
use crate::i18n::Msg;
use crate::model::num::{fmt_plain, push_plain};
use anyhow::Result;
use std::borrow::Cow;
use std::io::{IsTerminal, Write};

/// One cell: empty (undefined, never 0), text, or a number. Numbers stay numbers in JSON and
/// xlsx; CSV and the terminal show them in plain decimals (`fmt_plain`).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Num(f64),
}

impl Value {
    /// An optional figure: `None` (and a non-finite value) is empty.
    pub fn num(v: Option<f64>) -> Value {
        match v {
            Some(x) if x.is_finite() => Value::Num(x),
            _ => Value::Null,
        }
    }

    /// `text()` appended to `buf`, without a string of its own for a number.
    pub fn push_text(&self, buf: &mut String) {
        match self {
            Value::Null => {}
            Value::Text(s) => buf.push_str(s),
            Value::Int(n) => {
                use std::fmt::Write;
                let _ = write!(buf, "{n}");
            }
            Value::Num(x) => push_plain(*x, buf),
        }
    }

    /// The text scripts and terminals get: empty for `Null`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Null => Cow::Borrowed(""),
            Value::Text(s) => Cow::Borrowed(s),
            Value::Int(n) => Cow::Owned(n.to_string()),
            Value::Num(x) => Cow::Owned(fmt_plain(*x)),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Int(n) => (*n).into(),
            Value::Num(x) => (*x).into(),
        }
    }
}

impl From<String> for Value {
    /// Text; the empty string is an empty cell.
    fn from(s: String) -> Value {
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(s)
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::from(s.to_string())
    }
}

/// Whether a change is good or bad news (coloured on a terminal and in xlsx).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Plain,
    Good,
    Bad,
}

/// How people see a number in a workbook (the terminal and CSV show the cell's text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NumStyle {
    #[default]
    General,
    /// `12,345`
    Int,
    /// `1,234.56`
    Dec,
    /// `85.2%` of a figure already in percent
    Pct,
    /// `↑+5.1%` / `↓-5.1%`
    ChangePct,
    /// `+0.5pp`
    ChangePp,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub num: NumStyle,
    pub tone: Tone,
}

/// Headers, what each column holds, and rows of typed cells with their styles.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub kinds: Vec<Kind>,
    pub rows: Vec<Vec<Value>>,
    /// Per row: the styles of its cells (empty = all plain).
    pub styles: Vec<Vec<Style>>,
    /// Columns right-aligned on the terminal (figures for people).
    pub right: Vec<bool>,
    /// The headers people read (terminal, Markdown) when they differ from the keys scripts
    /// read (CSV, JSON): the column names in the interface language.
    pub labels: Option<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        Table {
            kinds: vec![Kind::Text; headers.len()],
            right: vec![false; headers.len()],
            headers,
            rows: vec![],
            styles: vec![],
            labels: None,
        }
    }

    /// Headers for people in `lang` (`crate::i18n::column`); the keys stay for scripts.
    pub fn labelled(mut self, lang: crate::i18n::Lang) -> Table {
        let labels = self
            .headers
            .iter()
            .map(|h| crate::i18n::column(h, lang).unwrap_or(h).to_string())
            .collect();
        self.labels = Some(labels);
        self
    }

    /// The headers a person reads.
    pub fn shown_headers(&self) -> &[String] {
        self.labels.as_deref().unwrap_or(&self.headers)
    }

    /// Marks the named columns as holding `kind`.
    pub fn with_kind(mut self, columns: &[&str], kind: Kind) -> Table {
        for (h, k) in self.headers.iter().zip(self.kinds.iter_mut()) {
            if columns.contains(&h.as_str()) {
                *k = kind;
            }
        }
        self
    }

    /// Right-aligns the columns from `first` on (on the terminal).
    pub fn right_from(mut self, first: usize) -> Table {
        for (i, r) in self.right.iter_mut().enumerate() {
            *r = i >= first;
        }
        self
    }

    /// A row of text cells (an empty string is an empty cell).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row.into_iter().map(Value::from).collect());
        self.styles.push(Vec::new());
    }

    /// A row of typed cells.
    pub fn push_values(&mut self, row: Vec<Value>) {
        self.rows.push(row);
        self.styles.push(Vec::new());
    }

    /// A row of typed cells with their styles.
    pub fn push_styled(&mut self, row: Vec<(Value, Style)>) {
        let (cells, styles) = row.into_iter().unzip();
        self.rows.push(cells);
        self.styles.push(styles);
    }

    pub fn kind(&self, column: usize) -> Kind {
        self.kinds.get(column).copied().unwrap_or_default()
    }

    pub fn style(&self, row: usize, column: usize) -> Style {
        self.styles
            .get(row)
            .and_then(|s| s.get(column))
            .copied()
            .unwrap_or_default()
    }

    /// Writes with the default options (CSV text neutralised).
    pub fn write(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        self.write_with(format, WriteOptions::default(), out)
    }

    /// Every format escapes what it must: the terminal table shows control and bidirectional
    /// characters visibly, CSV neutralises formulas (unless `csv_raw`), Markdown escapes
    /// HTML and its own syntax; JSON is escaped by serde.
    pub fn write_with(
        &self,
        format: Format,
        opts: WriteOptions,
        out: &mut dyn Write,
    ) -> Result<()> {
        match format {
            Format::Table => Terminal {
                colour: super::use_colour(std::io::stdout().is_terminal()),
            }
            .export(self, out),
            Format::Csv => Csv(opts).export(self, out),
            Format::Json => Json.export(self, out),
            Format::Jsonl => JsonLines.export(self, out),
            Format::Md => Markdown.export(self, out),
            Format::Xlsx => anyhow::bail!(crate::said!(Msg::XlsxNeedsOutput)),
        }
    }

    /// The rows as JSON objects keyed by header, in column order; an empty cell is null,
    /// numbers are numbers.
    pub fn json_records(&self) -> Vec<serde_json::Value> {
        self.rows
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    self.headers
                        .iter()
                        .zip(r)
                        .map(|(h, v)| (h.clone(), v.json()))
                        .collect(),
                )
            })
            .collect()
    }

    /// Refuses a table with a character GBK has no code for, naming it and its place, rather
    /// than letting it become `?` or an HTML escape in the file.
    fn check_gbk(&self) -> Result<()> {
        let cells = self
            .headers
            .iter()
            .enumerate()
            .map(|(c, h)| (0, c, h))
            .map(|(r, c, h)| (r, c, Cow::Borrowed(h.as_str())))
            .chain(self.rows.iter().enumerate().flat_map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(move |(c, v)| (r + 1, c, v.text()))
            }));
        for (row, column, text) in cells {
            if !encoding_rs::GBK.encode(&text).2 {
                continue;
            }
            let bad = text
                .chars()
                .find(|ch| encoding_rs::GBK.encode(ch.encode_utf8(&mut [0; 4])).2)
                .unwrap_or('\u{fffd}');
            let header = self.headers.get(column).map_or("", String::as_str);
            let place = if row == 0 {
                crate::said!(Msg::GbkHeader, column = escape_terminal(header))
            } else {
                crate::said!(
                    Msg::GbkPlace,
                    row = row,
                    column = escape_terminal(header),
                    text = escape_terminal(&text)
                )
            };
            anyhow::bail!(crate::said!(
                Msg::NoGbkCode,
                ch = escape_terminal(&bad.to_string()),
                code = format!("{:04X}", bad as u32),
                place => place
            ));
        }
        Ok(())
    }
}

/// Writes a table in one format.
pub trait Exporter {
    fn export(&self, table: &Table, out: &mut dyn Write) -> Result<()>;
}

/// A table for people; coloured by tone when `colour`.
pub struct Terminal {
    pub colour: bool,
}
/// CSV for scripts and spreadsheets; text neutralised unless `csv_raw`.
pub struct Csv(pub WriteOptions);
pub struct Json;
/// JSON Lines: one row per line.
pub struct JsonLines;
pub struct Markdown;

impl Exporter for Terminal {
    fn export(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        use comfy_table::{Cell, CellAlignment, Color};
        let mut table = comfy_table::Table::new();
        table.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
        if !self.colour {
            table.force_no_tty();
        }
        table.set_header(t.shown_headers().iter().map(|h| escape_terminal(h)));
        for (i, r) in t.rows.iter().enumerate() {
            let cells = r.iter().enumerate().map(|(c, v)| {
                let mut cell = Cell::new(escape_terminal(&v.text()));
                if t.right.get(c).copied().unwrap_or(false) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                if self.colour {
                    match t.style(i, c).tone {
                        Tone::Good => cell = cell.fg(Color::Green),
                        Tone::Bad => cell = cell.fg(Color::Red),
                        Tone::Plain => {}
                    }
                }
                cell
            });
            table.add_row(cells.collect::<Vec<_>>());
        }
        writeln!(out, "{table}")?;
        Ok(())
    }
}

impl Csv {
    /// The header and rows as CSV into `out`: RFC 4180 as the csv crate writes it (a field
    /// quoted when it holds a comma, a quote or a line break, its quotes doubled; `\n` ends
    /// a record). Written here field by field into one buffer: through the csv crate, the
    /// per-field calls and the copy of each cell's text were most of a bureau's CSV time.
    fn rows(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        let opts = self.0;
        let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
        if !opts.continued {
            let mut line = Line::new(&mut buf, t.headers.len());
            for h in &t.headers {
                line.field(h);
            }
        }
        let mut number = String::new();
        for r in &t.rows {
            let mut line = Line::new(&mut buf, r.len());
            for (i, v) in r.iter().enumerate() {
                let text: &str = match v {
                    Value::Null => "",
                    Value::Text(s) => s,
                    // A number the program formatted is never touched, whatever the column.
                    Value::Int(_) | Value::Num(_) => {
                        number.clear();
                        v.push_text(&mut number);
                        line.field(&number);
                        continue;
                    }
                };
                let text = if opts.csv_raw {
                    Cow::Borrowed(text)
                } else {
                    neutralise_csv(text, t.kind(i))
                };
                match opts.terminal {
                    true => line.field(&escape_terminal(&text)),
                    false => line.field(&text),
                }
            }
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        out.write_all(&buf)?;
        Ok(())
    }
}

/// Whether a field holds a comma, a quote or a line break (bytes all below `-`: one
/// comparison rules out most bytes).
fn needs_quotes(f: &[u8]) -> bool {
    f.iter()
        .any(|&b| b < b'-' && matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// One CSV record being written into a buffer, its fields as the csv crate writes them.
struct Line<'b> {
    buf: &'b mut Vec<u8>,
    /// The record's number of fields: a lone empty field is quoted, so the record is not
    /// an empty line.
    fields: usize,
    written: usize,
}

impl<'b> Line<'b> {
    fn new(buf: &'b mut Vec<u8>, fields: usize) -> Line<'b> {
        if fields == 0 {
            buf.push(b'\n');
        }
        Line {
            buf,
            fields,
            written: 0,
        }
    }

    fn field(&mut self, f: &str) {
        let (buf, f) = (&mut *self.buf, f.as_bytes());
        if self.written > 0 {
            buf.push(b',');
        }
        self.written += 1;
        if self.fields == 1 && f.is_empty() {
            buf.extend_from_slice(b"\"\"");
        } else if needs_quotes(f) {
            buf.push(b'"');
            for &b in f {
                if b == b'"' {
                    buf.push(b'"');
                }
                buf.push(b);
            }
            buf.push(b'"');
        } else {
            buf.extend_from_slice(f);
        }
        if self.written == self.fields {
            buf.push(b'\n');
        }
    }
}

impl Exporter for Csv {
    fn export(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        match self.0.encoding {
            // Straight to the output: a bureau's table is hundreds of thousands of rows.
            Encoding::Utf8 => {
                if self.0.bom && !self.0.continued {
                    out.write_all(b"\xEF\xBB\xBF")?;
                }
                self.rows(t, out)
            }
            Encoding::Gbk => {
                t.check_gbk()?;
                let mut buf = Vec::new();
                self.rows(t, &mut buf)?;
                let text = String::from_utf8(buf)?;
                let (bytes, _, lost) = encoding_rs::GBK.encode(&text);
                // check_gbk found every cell encodable; the escapes added are ASCII.
                anyhow::ensure!(!lost, "the CSV text has a character GBK cannot encode");
                out.write_all(&bytes)?;
                Ok(())
            }
        }
    }
}

impl Exporter for Json {
    fn export(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, &t.json_records())?;
        writeln!(out)?;
        Ok(())
    }
}

impl Exporter for JsonLines {
    fn export(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        for r in t.json_records() {
            serde_json::to_writer(&mut *out, &r)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

impl Exporter for Markdown {
    fn export(&self, t: &Table, out: &mut dyn Write) -> Result<()> {
        let row = |cells: &mut dyn Iterator<Item = Cow<'_, str>>| {
            cells.map(|c| md_escape(&c)).collect::<Vec<_>>().join(" | ")
        };
        writeln!(
            out,
            "| {} |",
            row(&mut t.shown_headers().iter().map(|h| Cow::Borrowed(h.as_str())))
        )?;
        writeln!(out, "|{}", "---|".repeat(t.headers.len()))?;
        for r in &t.rows {
            writeln!(out, "| {} |", row(&mut r.iter().map(Value::text)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written CSV is byte for byte what the csv crate writes, on the fields that
    /// need quoting (commas, quotes, line breaks), empty ones and a lone empty field.
    #[test]
    fn csv_fields_are_quoted_as_the_csv_crate_quotes_them() {
        let fields = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            "\"",
            "医联体，中文",
            " spaced ",
            "'quoted'",
        ];
        let mut t = Table::new(["h,1", "h\"2", "h3"]);
        for (i, a) in fields.iter().enumerate() {
            let b = fields[(i + 3) % fields.len()];
            t.push_values(vec![
                Value::Text(a.to_string()),
                Value::Text(b.to_string()),
                Value::Num(i as f64 + 0.5),
            ]);
        }
        let mut opts = WriteOptions::new(true, true);
        opts.terminal = false;
        let mut ours = Vec::new();
        Csv(opts).export(&t, &mut ours).unwrap();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        theirs.write_record(&t.headers).unwrap();
        for r in &t.rows {
            theirs
                .write_record(r.iter().map(|v| v.text().into_owned()))
                .unwrap();
        }
        let theirs = theirs.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
        // A record of one empty field is quoted, not an empty line.
        let mut t = Table::new(["only"]);
        t.push_values(vec![Value::Null]);
        let mut ours = Vec::new();
        Csv(opts).export(&t, &mut ours).unwrap();
        assert_eq!(ours, b"only\n\"\"\n");
    }
}
