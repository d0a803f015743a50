//! Shared strings and rich text: every `<t>` run as calamine joins, trims and `_xHHHH_`-
//! unescapes it, into one buffer per workbook.

use super::xml::{Ev, Name, Xml};

/// All shared strings in one buffer: one allocation per workbook, not one per string.
#[derive(Default)]
pub(super) struct Strings {
    pub(super) text: String,
    ends: Vec<usize>,
}

impl Strings {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

pub(super) fn shared_strings(
    x: &mut Xml<'_>,
    strings: &mut Strings,
    scratch: &mut String,
) -> Option<()> {
    x.until(|e| matches!(e, Ev::Start(q) if q.local == "sst"))?;
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "si" => {
                match x.plain_child("t") {
                    // What rich_text does with one plain <t>.
                    Some(t) => push_unescaped(&mut strings.text, t.trim_matches(XML_WS)),
                    None => rich_text(x, q, &mut strings.text, scratch)?,
                }
                strings.ends.push(strings.text.len());
                // calamine's path refuses the file, after checking every part.
                if strings.ends.len() > crate::read::MAX_SHARED_STRINGS {
                    return None;
                }
            }
            Ev::End(q) if q.local == "sst" => return Some(()),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// What calamine trims from `<t>` text without `xml:space="preserve"`.
const XML_WS: [char; 4] = [' ', '\t', '\r', '\n'];

/// calamine's `read_string`: every `<t>` up to `closing` (rich text runs included, phonetic
/// `<rPh>` runs left out), each trimmed of ASCII whitespace unless `xml:space="preserve"`, then
/// `_xHHHH_`-unescaped, appended to `out`.
pub(super) fn rich_text(
    x: &mut Xml<'_>,
    closing: Name<'_>,
    out: &mut String,
    scratch: &mut String,
) -> Option<()> {
    let mut phonetic = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "rPh" => phonetic = true,
                "t" if !phonetic => {
                    let preserve = x.attr("xml:space") == Some("preserve");
                    scratch.clear();
                    x.text(scratch)?;
                    let t = if preserve {
                        scratch.as_str()
                    } else {
                        scratch.trim_matches(XML_WS)
                    };
                    push_unescaped(out, t);
                }
                _ => {}
            },
            Ev::End(q) if q.q == closing.q => return Some(()),
            Ev::End(q) if q.local == "rPh" => phonetic = false,
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// calamine's `unescape_xml`, appending: Excel writes a character XML cannot hold as
/// `_xHHHH_` (a UTF-16 unit; surrogate pairs as two escapes; a literal `_x` as `_x005F_x`).
pub(super) fn push_unescaped(out: &mut String, s: &str) {
    let mut copied = 0;
    let mut from = 0;
    while let Some((at, unit)) = find_xml_escape(s, from) {
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match parse_xml_escape(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    let cp =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => char::REPLACEMENT_CHARACTER,
            },
            0xDC00..=0xDFFF => char::REPLACEMENT_CHARACTER,
            _ => char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        out.push(c);
        copied = next;
        from = next;
    }
    out.push_str(&s[copied..]);
}

fn find_xml_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(off) = s.get(from..)?.find('_') {
        let at = from + off;
        if let Some(unit) = parse_xml_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn parse_xml_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + 7)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes() {
        let mut s = String::new();
        push_unescaped(
            &mut s,
            "a_x000D_b_x005F_x000D__xD83D__xDE00__xD800_z_x00G0_",
        );
        assert_eq!(s, "a\rb_x000D_\u{1F600}\u{FFFD}z_x00G0_");
    }
}
