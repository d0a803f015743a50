//! One cell's value from its type, style and raw text, as calamine's `read_value`/`read_v`
//! read it: shared-string lookups, booleans, error values, numbers and the date formats.

use super::strings::{push_unescaped, rich_text, Strings};
use super::styles::CellFormat;
use super::xml::{Ev, Name, Xml};
use crate::read::Cell;

/// A cell's text while its sheet is read: a shared string by its index (most texts of a form:
/// not copied out of the table, only into the sheet), or a text of its own.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum XText {
    Shared(usize),
    Own(Box<str>),
}

impl XText {
    pub(super) fn get<'a>(&'a self, strings: &'a Strings) -> &'a str {
        match self {
            // Checked when the cell was read; the table is not changed while its sheets are.
            XText::Shared(i) => strings.get(*i).unwrap_or_default(),
            XText::Own(s) => s,
        }
    }
}

/// A sheet's cell as read, before its text is looked up.
pub(super) type XCell = Cell<XText>;

impl XCell {
    /// The cell with its text looked up in the workbook's `strings`.
    pub(super) fn view_with<'a>(&'a self, strings: &'a Strings) -> crate::read::CellRef<'a> {
        self.map_ref(|t| t.get(strings))
    }
}

/// A text of the cell's own.
pub(super) fn own(s: impl Into<Box<str>>) -> XText {
    XText::Own(s.into())
}

pub(super) struct Context<'a> {
    pub(super) sheet: &'a str,
    pub(super) strings: &'a Strings,
    pub(super) formats: &'a [CellFormat],
    pub(super) epoch_1904: bool,
}

/// An Excel error value: `#` and a short name of capitals, `/`, `_`, `0` and a final `!` or
/// `?` (`#DIV/0!`, `#N/A`, `#SPILL!`, `#GETTING_DATA`, …). Excel adds new ones (`#CALC!`,
/// `#FIELD!`, `#BUSY!` since 2019), so the form is checked, not a list.
fn is_error_value(v: &str) -> bool {
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
pub(super) fn cell_value(
    x: &mut Xml<'_>,
    child: Name<'_>,
    style: Option<&str>,
    typ: Option<&str>,
    ctx: &Context<'_>,
    text: &mut String,
    out: &mut XCell,
) -> Option<()> {
    *out = match child.local {
        "is" => {
            let mut s = String::new();
            rich_text(x, child, &mut s, text)?;
            Cell::Text(own(s))
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
                        Cell::Text(own(s))
                    }
                    // ISO date text: calamine's DateTimeIso, which the calamine path keeps as text.
                    "d" => Cell::Text(own(text.as_str())),
                    _ => return None,
                }
            }
        },
        _ => return None,
    };
    Some(())
}

#[inline]
pub(super) fn raw_value(
    v: &str,
    style: Option<&str>,
    typ: Option<&str>,
    ctx: &Context<'_>,
    out: &mut XCell,
) -> Option<()> {
    *out = match typ {
        Some("s") => {
            let i = digits(v)?;
            ctx.strings.get(i)?;
            Cell::Text(XText::Shared(i))
        }
        Some("b") => match v.trim() {
            "" => Cell::Empty,
            t if t == "0" || t.eq_ignore_ascii_case("false") => Cell::Bool(false),
            t if t == "1" || t.eq_ignore_ascii_case("true") => Cell::Bool(true),
            _ => return None,
        },
        // Read by the calamine path too (see `workbook::read_xlsx_calamine`).
        Some("e") if is_error_value(v) => Cell::Error(own(v)),
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
                        *out = Cell::number(n).map_text(own);
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
                Some(CellFormat::DateTime | CellFormat::TimeDelta) => {
                    Cell::date(n, ctx.epoch_1904).map_text(own)
                }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
