//! Rendering tables for people and scripts: one `Table` value, written as a terminal table,
//! CSV, JSON, JSON Lines or Markdown. Colour only on a terminal and never with NO_COLOR.
//! CSV is UTF-8, with a byte-order mark if asked (Excel on Chinese Windows reads a CSV
//! without one as GBK), or GBK for tools that read nothing else (docs/output.md).
//!
//! Text a member sent stays text wherever it lands: CSV text cells starting with a formula
//! character get a leading `'` (`neutralise_csv`), everything printed for people shows
//! control and bidirectional characters as escapes (`escape_terminal`), Markdown escapes
//! HTML and its own syntax (`md_escape`). Each is one function, applied where text is
//! written, never to what the store holds.

use crate::model::fmt_thousands;
use anyhow::Result;
use clap::ValueEnum;
use std::borrow::Cow;
use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// JSON Lines: one object per line, for streaming consumers.
    Jsonl,
    Md,
}

/// The character encoding of CSV output.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize,
)]
pub enum Encoding {
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gbk")]
    #[serde(rename = "gbk", alias = "GBK")]
    Gbk,
}

/// The CSV bytes asked for, the command line before the consortium file's `[output]`:
/// (byte-order mark, encoding). `bom` is `Some` when `--bom` or `--no-bom` was given;
/// `csv` says whether the output is CSV (the choices apply to nothing else). A BOM is
/// UTF-8's, so the file's default is dropped under GBK and the flag refused with it.
pub fn csv_bytes(
    bom: Option<bool>,
    encoding: Option<Encoding>,
    default_bom: bool,
    default_encoding: Encoding,
    csv: bool,
) -> Result<(bool, Encoding)> {
    if !csv {
        if bom == Some(true) || encoding.is_some() {
            anyhow::bail!("--bom and --encoding apply to --format csv only (JSON and Markdown are always UTF-8 without a byte-order mark)");
        }
        return Ok((false, Encoding::Utf8));
    }
    let encoding = encoding.unwrap_or(default_encoding);
    if encoding == Encoding::Gbk && bom == Some(true) {
        anyhow::bail!("--bom writes a UTF-8 byte-order mark, which GBK text has none of: drop --bom, or use --encoding utf-8");
    }
    Ok((
        encoding == Encoding::Utf8 && bom.unwrap_or(default_bom),
        encoding,
    ))
}

/// What a column holds, so that text can be neutralised without touching numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// Names, items, file names, messages: a cell starting with a formula character is
    /// neutralised in CSV.
    #[default]
    Text,
    /// Figures formatted by the program (`fmt_num`, `render::plain`, counts): never touched,
    /// so `-3.5` stays a number.
    Number,
    /// A figure or a description of what was found (`check`'s `value`): a plain decimal
    /// number is left as it is, anything else is treated as text.
    Mixed,
}

/// How tables are written; the command line sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// CSV text exactly as stored, for pipelines: no leading `'` on text that starts with a
    /// formula character (`--csv-raw`).
    pub csv_raw: bool,
    /// The text goes to a terminal (standard output is one and no file was asked for): CSV
    /// cells are shown like the terminal table shows them, so control sequences in a name
    /// do not act on the screen. Files and pipes get the text as stored.
    pub terminal: bool,
    /// CSV starts with the UTF-8 byte-order mark (`--bom`, `[output] bom`).
    pub bom: bool,
    /// CSV's character encoding (`--encoding`, `[output] encoding`).
    pub encoding: Encoding,
}

impl WriteOptions {
    /// Options of a command whose output goes to a file (`to_file`) or standard output.
    pub fn new(csv_raw: bool, to_file: bool) -> WriteOptions {
        WriteOptions {
            csv_raw,
            terminal: !to_file && std::io::stdout().is_terminal(),
            bom: false,
            encoding: Encoding::Utf8,
        }
    }

    /// With the CSV bytes chosen by `csv_bytes`.
    pub fn with_bytes(self, (bom, encoding): (bool, Encoding)) -> WriteOptions {
        WriteOptions {
            bom,
            encoding,
            ..self
        }
    }
}

/// A plain table: headers and rows of display strings (empty string = undefined), and what
/// each column holds (missing kinds are text).
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub kinds: Vec<Kind>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        Table {
            kinds: vec![Kind::Text; headers.len()],
            headers,
            rows: vec![],
        }
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

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn kind(&self, column: usize) -> Kind {
        self.kinds.get(column).copied().unwrap_or_default()
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
            Format::Table => {
                let mut t = comfy_table::Table::new();
                t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
                if !std::io::stdout().is_terminal() {
                    t.force_no_tty();
                }
                t.set_header(self.headers.iter().map(|h| escape_terminal(h)));
                for r in &self.rows {
                    t.add_row(r.iter().map(|c| escape_terminal(c)));
                }
                writeln!(out, "{t}")?;
            }
            Format::Csv => {
                if opts.encoding == Encoding::Gbk {
                    self.check_gbk()?;
                }
                let mut buf = Vec::new();
                let mut w = csv::Writer::from_writer(&mut buf);
                w.write_record(&self.headers)?;
                for r in &self.rows {
                    for (i, c) in r.iter().enumerate() {
                        let c = if opts.csv_raw {
                            Cow::Borrowed(c.as_str())
                        } else {
                            neutralise_csv(c, self.kind(i))
                        };
                        if opts.terminal {
                            w.write_field(escape_terminal(&c).as_bytes())?;
                        } else {
                            w.write_field(c.as_bytes())?;
                        }
                    }
                    w.write_record(None::<&[u8]>)?;
                }
                w.flush()?;
                drop(w);
                match opts.encoding {
                    Encoding::Utf8 => {
                        if opts.bom {
                            out.write_all(b"\xEF\xBB\xBF")?;
                        }
                        out.write_all(&buf)?;
                    }
                    Encoding::Gbk => {
                        let text = String::from_utf8(buf)?;
                        let (bytes, _, lost) = encoding_rs::GBK.encode(&text);
                        // check_gbk found every cell encodable; the escapes added are ASCII.
                        anyhow::ensure!(!lost, "the CSV text has a character GBK cannot encode");
                        out.write_all(&bytes)?;
                    }
                }
            }
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.records())?;
                writeln!(out)?;
            }
            Format::Jsonl => {
                for r in self.records() {
                    serde_json::to_writer(&mut *out, &r)?;
                    writeln!(out)?;
                }
            }
            Format::Md => {
                fn row(cells: &[String]) -> String {
                    cells
                        .iter()
                        .map(|c| md_escape(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                }
                writeln!(out, "| {} |", row(&self.headers))?;
                writeln!(out, "|{}", "---|".repeat(self.headers.len()))?;
                for r in &self.rows {
                    writeln!(out, "| {} |", row(r))?;
                }
            }
        }
        Ok(())
    }
}

impl Table {
    /// The rows as JSON objects keyed by header; an empty cell is null.
    fn records(&self) -> Vec<serde_json::Map<String, serde_json::Value>> {
        self.rows
            .iter()
            .map(|r| {
                self.headers
                    .iter()
                    .zip(r)
                    .map(|(h, v)| {
                        (
                            h.clone(),
                            if v.is_empty() {
                                serde_json::Value::Null
                            } else {
                                serde_json::Value::String(v.clone())
                            },
                        )
                    })
                    .collect()
            })
            .collect()
    }

    /// Refuses a table with a character GBK has no code for, naming it and its place, rather
    /// than letting it become `?` or an HTML escape in the file.
    fn check_gbk(&self) -> Result<()> {
        let cells =
            self.headers
                .iter()
                .enumerate()
                .map(|(c, h)| (0, c, h))
                .chain(
                    self.rows.iter().enumerate().flat_map(|(r, row)| {
                        row.iter().enumerate().map(move |(c, v)| (r + 1, c, v))
                    }),
                );
        for (row, column, text) in cells {
            if !encoding_rs::GBK.encode(text).2 {
                continue;
            }
            let bad = text
                .chars()
                .find(|ch| encoding_rs::GBK.encode(ch.encode_utf8(&mut [0; 4])).2)
                .unwrap_or('\u{fffd}');
            let header = self.headers.get(column).map_or("", String::as_str);
            let place = if row == 0 {
                format!("the header `{}`", escape_terminal(header))
            } else {
                format!(
                    "row {row} (after the header), column `{}`: `{}`",
                    escape_terminal(header),
                    escape_terminal(text)
                )
            };
            anyhow::bail!(
                "`{}` (U+{:04X}) in {place} has no GBK code: write UTF-8 instead (--encoding utf-8, with --bom for Excel)",
                escape_terminal(&bad.to_string()),
                bad as u32
            );
        }
        Ok(())
    }
}

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'` (the OWASP advice for CSV injection). Number columns
/// are never touched; in a mixed column a plain decimal number is left as it is (a
/// spreadsheet reads it as that number, not as a formula).
pub fn neutralise_csv(s: &str, kind: Kind) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let keep = match kind {
        Kind::Number => true,
        Kind::Mixed => is_plain_number(s),
        Kind::Text => false,
    };
    if risky && !keep {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `-12`, `+3.5`, `-1.5e3`: a finite decimal number and nothing else (`inf`, `NaN` and
/// `-1+2` are text).
fn is_plain_number(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Whether a character would act on a terminal or reorder the text around it rather than
/// show: C0 and C1 controls (ESC starts ANSI and OSC sequences), DEL, line and paragraph
/// separators, and the bidirectional marks, embeddings, overrides and isolates.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal or a log: control and bidirectional characters are shown as escapes
/// (`\n`, `\t`, `\r`, `\u{1b}`, `\u{202e}`) instead of acting, so a file or member name can
/// neither colour, retitle or clear the terminal, nor forge a line, nor reverse what follows.
/// Everything printed for people goes through this at the point it is printed.
pub fn escape_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text for a Markdown document (a table cell or a line): what the terminal would act on is
/// shown as escapes, `<`, `>` and `&` become entities (no raw HTML passes through), and ASCII
/// punctuation with a meaning in Markdown (`|` included, which ends a table cell) is
/// backslash-escaped, so a member's name is shown, never interpreted.
pub fn md_escape(s: &str) -> String {
    let visible = escape_terminal(s);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if "\\`*_[]|#!(){}~".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A count with its noun in the right number: `1 warning`, `2 warnings`, `0 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        fmt_thousands(n as f64, 0),
        if n == 1 { one } else { many }
    )
}

/// Whether to use colour and progress bars on stream `is_tty`.
pub fn use_colour(is_tty: bool) -> bool {
    is_tty
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_columns_are_neutralised_numbers_are_not() {
        for risky in ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-"] {
            assert_eq!(neutralise_csv(risky, Kind::Text), format!("'{risky}"));
        }
        for safe in ["", "出院人次", "a=1", " =1", "'=1", "１"] {
            assert_eq!(neutralise_csv(safe, Kind::Text), safe);
        }
        // By column type: a number column is never touched, a text one always is.
        assert_eq!(neutralise_csv("-3.5", Kind::Number), "-3.5");
        assert_eq!(neutralise_csv("-3.5", Kind::Text), "'-3.5");
        // A mixed column keeps plain numbers only.
        for n in ["-3.5", "+2", "-1e5", "-0.25E-3", "-.5"] {
            assert_eq!(neutralise_csv(n, Kind::Mixed), n);
        }
        for t in ["-1+2", "-inf", "-NaN", "=1", "@x", "-", "--1"] {
            assert_eq!(neutralise_csv(t, Kind::Mixed), format!("'{t}"));
        }
    }

    #[test]
    fn csv_writer_uses_the_column_kinds_and_the_raw_option() {
        let mut t = Table::new(["name", "value"]).with_kind(&["value"], Kind::Number);
        t.push(vec!["=HYPERLINK(\"http://x\",\"y\")".into(), "-3.5".into()]);
        t.push(vec!["@cmd".into(), "-0".into()]);
        let mut buf = Vec::new();
        t.write(Format::Csv, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name,value\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5\n'@cmd,-0\n"
        );
        let mut buf = Vec::new();
        let raw = WriteOptions {
            csv_raw: true,
            terminal: false,
            ..Default::default()
        };
        t.write_with(Format::Csv, raw, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name,value\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5\n@cmd,-0\n"
        );
        // On a terminal, CSV shows control characters as the terminal table does.
        let mut t = Table::new(["name"]);
        t.push(vec!["=a\u{1b}]0;x\u{7}".into()]);
        let mut buf = Vec::new();
        let terminal = WriteOptions {
            csv_raw: false,
            terminal: true,
            ..Default::default()
        };
        t.write_with(Format::Csv, terminal, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "name\n'=a\\u{1b}]0;x\\u{7}\n"
        );
    }

    #[test]
    fn terminal_text_shows_controls_and_bidi_as_escapes() {
        assert!(matches!(
            escape_terminal("示例县人民医院 a\\b"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_terminal("a\u{1b}]0;pwned\u{7}b\u{1b}[31mred\n\r\tz\u{7f}\u{9b}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[31mred\\n\\r\\tz\\u{7f}\\u{9b}"
        );
        for (c, shown) in [
            ('\u{202a}', "\\u{202a}"),
            ('\u{202e}', "\\u{202e}"),
            ('\u{2066}', "\\u{2066}"),
            ('\u{2069}', "\\u{2069}"),
            ('\u{200e}', "\\u{200e}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{61c}', "\\u{61c}"),
            ('\u{2028}', "\\u{2028}"),
        ] {
            assert_eq!(escape_terminal(&format!("x{c}y")), format!("x{shown}y"));
        }
        // Ideographic space, full-width forms and CJK are text.
        assert_eq!(escape_terminal("（一）\u{3000}出院"), "（一）\u{3000}出院");
    }

    #[test]
    fn markdown_shows_html_and_markup_as_text() {
        assert_eq!(
            md_escape("<script>alert(1)</script> & a|b"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; a\\|b"
        );
        assert_eq!(
            md_escape("**x** [y](z) #1 `c`"),
            "\\*\\*x\\*\\* \\[y\\]\\(z\\) \\#1 \\`c\\`"
        );
        // A line break would end the table row: shown as an escape, like the terminal does.
        assert_eq!(md_escape("a\nb\u{202e}"), "a\\\\nb\\\\u\\{202e\\}");
        assert_eq!(md_escape("出院人次（人次）"), "出院人次（人次）");
    }

    #[test]
    fn csv_bytes_command_line_before_the_consortium_file() {
        use Encoding::*;
        // (--bom/--no-bom, --encoding, file bom, file encoding) → (bom, encoding)
        assert_eq!(
            csv_bytes(None, None, false, Utf8, true).unwrap(),
            (false, Utf8)
        );
        assert_eq!(
            csv_bytes(None, None, true, Utf8, true).unwrap(),
            (true, Utf8)
        );
        assert_eq!(
            csv_bytes(Some(false), None, true, Utf8, true).unwrap(),
            (false, Utf8)
        );
        assert_eq!(
            csv_bytes(Some(true), None, false, Utf8, true).unwrap(),
            (true, Utf8)
        );
        assert_eq!(
            csv_bytes(None, None, true, Gbk, true).unwrap(),
            (false, Gbk)
        );
        assert_eq!(
            csv_bytes(None, Some(Utf8), true, Gbk, true).unwrap(),
            (true, Utf8)
        );
        assert!(csv_bytes(Some(true), Some(Gbk), false, Utf8, true).is_err());
        // Not CSV: the file's defaults are not used, the flags are refused.
        assert_eq!(
            csv_bytes(None, None, true, Gbk, false).unwrap(),
            (false, Utf8)
        );
        assert!(csv_bytes(Some(true), None, false, Utf8, false).is_err());
        assert!(csv_bytes(None, Some(Gbk), false, Utf8, false).is_err());
    }

    #[test]
    fn csv_in_gbk_or_with_a_bom_and_jsonl() {
        let mut t = Table::new(["指标", "v"]);
        t.push(vec!["出院人次".into(), "1".into()]);
        let gbk = WriteOptions {
            encoding: Encoding::Gbk,
            ..Default::default()
        };
        let mut buf = Vec::new();
        t.write_with(Format::Csv, gbk, &mut buf).unwrap();
        assert_eq!(
            buf,
            b"\xD6\xB8\xB1\xEA,v\n\xB3\xF6\xD4\xBA\xC8\xCB\xB4\xCE,1\n"
        );
        let bom = WriteOptions {
            bom: true,
            ..Default::default()
        };
        let mut buf = Vec::new();
        t.write_with(Format::Csv, bom, &mut buf).unwrap();
        assert_eq!(buf, "\u{feff}指标,v\n出院人次,1\n".as_bytes());
        t.push(vec!["x\u{20000}".into(), "2".into()]);
        let err = t.write_with(Format::Csv, gbk, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`\u{20000}` (U+20000) in row 2 (after the header), column `指标`: `x\u{20000}` has no GBK code: write UTF-8 instead (--encoding utf-8, with --bom for Excel)"
        );
        let mut buf = Vec::new();
        t.write(Format::Jsonl, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["v"], "2");
    }

    #[test]
    fn csv_json_md_agree_on_content() {
        let mut t = Table::new(["code", "名称"]);
        t.push(vec!["a|b".into(), "出院人次".into()]);
        t.push(vec!["c".into(), String::new()]);
        let mut buf = Vec::new();
        t.write(Format::Csv, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "code,名称\na|b,出院人次\nc,\n"
        );
        let mut buf = Vec::new();
        t.write(Format::Json, &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v[1]["名称"], serde_json::Value::Null);
        let mut buf = Vec::new();
        t.write(Format::Md, &mut buf).unwrap();
        assert!(String::from_utf8(buf).unwrap().contains("a\\|b"));
    }
}
