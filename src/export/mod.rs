//! The one output layer: every table a command prints or writes (indicator records,
//! findings, history, catalog, submission matrix, store state) is a typed `Table` (text,
//! integer, decimal and empty cells; what each column holds), written by one `Exporter` per
//! format: terminal table, CSV, JSON, JSON Lines, Markdown (table.rs) and xlsx sheets
//! (xlsx.rs, with the shared styles and CJK column widths). Colour only on a terminal and
//! never with NO_COLOR. CSV is UTF-8, with a byte-order mark if asked (Excel on Chinese
//! Windows reads a CSV without one as GBK), or GBK for tools that read nothing else
//! (docs/output.md). What a member sent stays text wherever it lands (escape.rs).

use crate::model::fmt_thousands;
use anyhow::Result;
use std::io::IsTerminal;

pub mod escape;
pub mod table;
pub mod xlsx;

pub use escape::{escape_terminal, is_unsafe_char, md_escape, neutralise_csv};
pub use table::{Exporter, NumStyle, Style, Table, Tone, Value};

/// Every output format of every command; each command accepts the ones that fit it (the
/// command line lists them per command).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table for people on the terminal.
    Table,
    Csv,
    Json,
    /// JSON Lines: one object per line, for streaming consumers.
    Jsonl,
    /// A Markdown table.
    Md,
    /// An Excel workbook (written to a file).
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Table,
        Format::Csv,
        Format::Json,
        Format::Jsonl,
        Format::Md,
        Format::Xlsx,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Md => "md",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The character encoding of CSV output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
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
            anyhow::bail!(crate::said!(crate::i18n::Msg::BomCsvOnly));
        }
        return Ok((false, Encoding::Utf8));
    }
    let encoding = encoding.unwrap_or(default_encoding);
    if encoding == Encoding::Gbk && bom == Some(true) {
        anyhow::bail!(crate::said!(crate::i18n::Msg::BomWithGbk));
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
    /// The table continues one already written (a long table written a part at a time):
    /// CSV has no byte-order mark and no header row.
    pub continued: bool,
}

impl WriteOptions {
    /// Options of a command whose output goes to a file (`to_file`) or standard output.
    pub fn new(csv_raw: bool, to_file: bool) -> WriteOptions {
        WriteOptions {
            csv_raw,
            terminal: !to_file && std::io::stdout().is_terminal(),
            bom: false,
            encoding: Encoding::Utf8,
            continued: false,
        }
    }

    /// For the next part of a table written in parts.
    pub fn continued(self) -> WriteOptions {
        WriteOptions {
            continued: true,
            ..self
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

/// Writes a file of an output (a page, a chart, a summary); a failure names the file, in the
/// reader's language.
pub fn write_file(path: &std::path::Path, contents: impl AsRef<[u8]>) -> Result<()> {
    use crate::i18n::{Msg, SaidContext};
    std::fs::write(path, contents).said(|| crate::said!(Msg::CannotWrite, path = path.display()))
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
    fn a_csv_written_in_parts_is_the_csv_written_whole() {
        let mut t = Table::new(["name", "v"]);
        t.push(vec!["=a".into(), "1".into()]);
        t.push(vec!["出院人次".into(), "2".into()]);
        let mut second = Table::new(["name", "v"]);
        second.push(vec!["@b".into(), "3".into()]);
        let bom = WriteOptions {
            bom: true,
            ..Default::default()
        };
        let mut parts = Vec::new();
        t.write_with(Format::Csv, bom, &mut parts).unwrap();
        second
            .write_with(Format::Csv, bom.continued(), &mut parts)
            .unwrap();
        // By hand: one mark, one header, the formula characters neutralised in both parts.
        assert_eq!(
            String::from_utf8(parts).unwrap(),
            "\u{feff}name,v\n'=a,1\n出院人次,2\n'@b,3\n"
        );
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

    #[test]
    fn typed_cells_numbers_in_json_plain_in_csv_in_column_order() {
        let mut t = Table::new(["z_code", "count", "share", "note"]);
        t.push_values(vec![
            Value::from("a"),
            Value::Int(12),
            Value::Num(85.16129032),
            Value::Null,
        ]);
        let mut buf = Vec::new();
        t.write(Format::Jsonl, &mut buf).unwrap();
        // Numbers are JSON numbers, empty is null, keys in column order (not sorted).
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"z_code\":\"a\",\"count\":12,\"share\":85.16129032,\"note\":null}\n"
        );
        let mut buf = Vec::new();
        t.write(Format::Csv, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "z_code,count,share,note\na,12,85.16129,\n"
        );
        // A negative number is a number in a text column too: never given a `'`.
        let mut t = Table::new(["v"]);
        t.push_values(vec![Value::Num(-3.5)]);
        let mut buf = Vec::new();
        t.write(Format::Csv, &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "v\n-3.5\n");
    }
}
