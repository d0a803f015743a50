//! `styles.xml`, only what makes a number a date: each cell format's number format class,
//! with calamine's own date detection, so a cell is a date here exactly when it is one there.

use super::xml::{Ev, Xml};

/// Each `cellXfs/xf`'s number format class. Fonts, fills and borders are stepped over with the
/// same end conditions calamine's parsers use, so the same elements are seen.
pub(super) fn styles(x: &mut Xml<'_>, formats: &mut Vec<CellFormat>) -> Option<()> {
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
pub(super) enum CellFormat {
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

#[cfg(test)]
mod tests {
    use super::*;

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
