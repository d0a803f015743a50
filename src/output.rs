//! Rendering tables for people and scripts: one `Table` value, written as a terminal table,
//! CSV, JSON or Markdown. Colour only on a terminal and never with NO_COLOR.

use anyhow::Result;
use clap::ValueEnum;
use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
}

/// A plain table: headers and rows of display strings (empty string = undefined).
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: vec![],
        }
    }
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        match format {
            Format::Table => {
                let mut t = comfy_table::Table::new();
                t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
                if !std::io::stdout().is_terminal() {
                    t.force_no_tty();
                }
                t.set_header(&self.headers);
                for r in &self.rows {
                    t.add_row(r);
                }
                writeln!(out, "{t}")?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(&self.headers)?;
                for r in &self.rows {
                    w.write_record(r)?;
                }
                w.flush()?;
            }
            Format::Json => {
                let records: Vec<serde_json::Map<String, serde_json::Value>> = self
                    .rows
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
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &records)?;
                writeln!(out)?;
            }
            Format::Md => {
                let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                writeln!(
                    out,
                    "| {} |",
                    self.headers
                        .iter()
                        .map(|h| esc(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
                writeln!(out, "|{}", "---|".repeat(self.headers.len()))?;
                for r in &self.rows {
                    writeln!(
                        out,
                        "| {} |",
                        r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// A number as plain text: integers without a decimal point, others in shortest form.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // By hand: ingest formats every figure it stores (its `raw` lineage).
        let n = v as i64;
        let mut s = String::with_capacity(16);
        if n < 0 {
            s.push('-');
        }
        push_decimal(&mut s, n.unsigned_abs());
        s
    } else {
        format!("{v}")
    }
}

/// Appends `n` in decimal, without the formatting machinery (hot in ingest).
pub fn push_decimal(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| d as char));
}

/// Thousands separators for people (`12,345`, `1,234.5`).
pub fn fmt_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map(|(a, b)| (a.to_string(), Some(b.to_string())))
        .unwrap_or((s.clone(), None));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
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
    fn fmt_num_integers_and_fractions() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(1234.0), "1234");
        assert_eq!(fmt_num(-56.0), "-56");
        assert_eq!(fmt_num(999_999_999_999_999.0), "999999999999999");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(1e15), "1000000000000000");
    }

    #[test]
    fn numbers() {
        assert_eq!(fmt_num(1234.0), "1234");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_thousands(1234567.0, 0), "1,234,567");
        assert_eq!(fmt_thousands(-1234.56, 1), "-1,234.6");
        assert_eq!(fmt_thousands(999.0, 0), "999");
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
