//! A small strict XML tokenizer over one inflated part: it accepts a subset of what quick-xml
//! accepts and, on that subset, yields the events quick-xml would with calamine's settings.
//! Anything outside the subset gives `None`, and the file goes to calamine.

/// An element name: qualified, and quick-xml's local name (after the first `:`), which is
/// what calamine matches on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Name<'a> {
    pub(super) q: &'a str,
    pub(super) local: &'a str,
}

/// Events as quick-xml reports them with calamine's settings (empty elements expanded into a
/// start and an end, text untrimmed, a reference as its own event).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Ev<'a> {
    /// The attributes are in `Xml::attrs` until the next event.
    Start(Name<'a>),
    End(Name<'a>),
    /// Raw text up to the next `<` or `&`.
    Text(&'a str),
    /// A resolved entity or character reference.
    Ref(char),
    Eof,
}

/// Every method returns `None` for input outside the accepted subset: well-formed UTF-8 XML
/// with matching tags, double- or single-quoted attributes separated by whitespace, no
/// duplicate attributes, predefined entities and character references only, and no comments,
/// CDATA, DTDs or processing instructions after the prolog.
pub(super) struct Xml<'a> {
    s: &'a str,
    pos: usize,
    open: Vec<Name<'a>>,
    pub(super) attrs: Vec<(&'a str, &'a str)>,
    /// The start of an empty element was reported; its end is due.
    close_empty: bool,
    root_done: bool,
}

const NAME: u8 = 1;
const WS: u8 = 2;

/// Byte classes, looked up once per byte in the scanning loops.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') {
            t[i] = NAME;
        } else if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            t[i] = WS;
        }
        i += 1;
    }
    t
};

fn is_ws(b: u8) -> bool {
    CLASS[b as usize] == WS
}

fn is_name(b: u8) -> bool {
    CLASS[b as usize] == NAME
}

/// Equality for the few-byte names and keys compared here, inlined rather than a `bcmp` call.
#[inline]
fn eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

impl<'a> Xml<'a> {
    pub(super) fn new(part: &'a [u8]) -> Option<Xml<'a>> {
        let s = std::str::from_utf8(part).ok()?;
        // quick-xml drops a UTF-8 byte order mark.
        let s = s.strip_prefix('\u{feff}').unwrap_or(s);
        let mut x = Xml {
            s,
            pos: 0,
            open: Vec::with_capacity(16),
            attrs: Vec::with_capacity(8),
            close_empty: false,
            root_done: false,
        };
        x.prolog()?;
        Some(x)
    }

    /// Steps over whitespace and `<?...?>` before the root. A declared encoding other than
    /// UTF-8 would make quick-xml decode the bytes differently.
    fn prolog(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            let rest = &self.s[self.pos..];
            if !rest.starts_with("<?") {
                return Some(());
            }
            let end = rest[2..].find("?>")? + 2;
            if rest[2..end].starts_with("xml") && rest.as_bytes().get(5).is_some_and(|&c| is_ws(c))
            {
                let stop = self.parse_attrs(self.pos + 5)?;
                if stop != self.pos + end {
                    return None;
                }
                if let Some(enc) = self.attr("encoding") {
                    if !enc.eq_ignore_ascii_case("utf-8") {
                        return None;
                    }
                }
            }
            self.pos += end + 2;
        }
    }

    fn skip_ws(&mut self) {
        let b = self.s.as_bytes();
        while self.pos < b.len() && is_ws(b[self.pos]) {
            self.pos += 1;
        }
    }

    #[inline]
    pub(super) fn attr(&self, key: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(k, _)| eq(k, key)).map(|&(_, v)| v)
    }

    #[inline]
    pub(super) fn next(&mut self) -> Option<Ev<'a>> {
        if self.close_empty {
            self.close_empty = false;
            let name = self.open.pop()?;
            self.root_done = self.open.is_empty();
            return Some(Ev::End(name));
        }
        let b = self.s.as_bytes();
        if self.open.is_empty() {
            // Before the root only the prolog (already read), after it only whitespace.
            self.skip_ws();
            if self.pos == b.len() {
                return Some(Ev::Eof);
            }
            if self.root_done || b[self.pos] != b'<' {
                return None;
            }
        }
        match b.get(self.pos)? {
            b'<' => match b.get(self.pos + 1)? {
                b'/' => self.end_tag(),
                b'!' | b'?' => None,
                _ => self.start_tag(),
            },
            b'&' => {
                let from = self.pos + 1;
                let len = b[from..]
                    .iter()
                    .position(|&c| matches!(c, b';' | b'&' | b'<'))?;
                if b[from + len] != b';' {
                    return None;
                }
                let name = &self.s[from..from + len];
                self.pos = from + len + 1;
                Some(Ev::Ref(resolve_reference(name)?))
            }
            _ => {
                let from = self.pos;
                let len = b[from..]
                    .iter()
                    .position(|&c| c == b'<' || c == b'&')
                    .unwrap_or(b.len() - from);
                self.pos = from + len;
                Some(Ev::Text(&self.s[from..from + len]))
            }
        }
    }

    fn end_tag(&mut self) -> Option<Ev<'a>> {
        let name = self.open.pop()?;
        let b = self.s.as_bytes();
        let mut i = self.pos + 2;
        if !eq(self.s.get(i..i + name.q.len())?, name.q) {
            return None;
        }
        i += name.q.len();
        // quick-xml trims whitespace after the name of a closing tag.
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'>') {
            return None;
        }
        self.pos = i + 1;
        self.root_done = self.open.is_empty();
        Some(Ev::End(name))
    }

    /// `<name (ws+ key ws* = ws* quoted)* ws* /?>` in one pass. For tags of this shape the end
    /// is where quick-xml's quote-aware search puts it.
    fn start_tag(&mut self) -> Option<Ev<'a>> {
        let (s, b) = (self.s, self.s.as_bytes());
        let from = self.pos + 1;
        let mut i = from;
        let mut local = from;
        while i < b.len() && is_name(b[i]) {
            if b[i] == b':' && local == from {
                local = i + 1;
            }
            i += 1;
        }
        if i == from {
            return None;
        }
        let name = Name {
            q: &s[from..i],
            local: &s[local..i],
        };
        i = self.parse_attrs(i)?;
        let empty = match b.get(i)? {
            b'>' => false,
            b'/' if b.get(i + 1) == Some(&b'>') => true,
            _ => return None,
        };
        self.pos = i + if empty { 2 } else { 1 };
        self.open.push(name);
        self.close_empty = empty;
        Some(Ev::Start(name))
    }

    /// Attributes from byte `i` into `attrs`, returning where they stop (at `>`, `/` or `?`).
    /// Values stay raw (calamine decodes only some), but one whose entities would not decode
    /// is refused.
    fn parse_attrs(&mut self, mut i: usize) -> Option<usize> {
        let (s, b) = (self.s, self.s.as_bytes());
        self.attrs.clear();
        loop {
            let gap = i;
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if matches!(b.get(i)?, b'>' | b'/' | b'?') {
                return Some(i);
            }
            let k = i;
            while i < b.len() && is_name(b[i]) {
                i += 1;
            }
            if gap == k || k == i {
                return None;
            }
            let key = &s[k..i];
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                return None;
            }
            i += 1;
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let quote = *b.get(i)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            i += 1;
            let v = i;
            let mut entity = false;
            loop {
                match *b.get(i)? {
                    c if c == quote => break,
                    b'<' => return None,
                    b'&' => entity = true,
                    _ => {}
                }
                i += 1;
            }
            let value = &s[v..i];
            i += 1;
            if (entity && quick_xml::escape::unescape(value).is_err())
                || self.attrs.iter().any(|(k, _)| eq(k, key))
            {
                return None;
            }
            self.attrs.push((key, value));
        }
    }

    /// Text content up to the current element's end, references resolved and line ends
    /// normalised as quick-xml's `xml10_content` does. A child element is refused.
    pub(super) fn text(&mut self, out: &mut String) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Text(t) => push_xml10(out, t),
                Ev::Ref(c) => out.push(c),
                Ev::End(_) => return Some(()),
                Ev::Start(_) | Ev::Eof => return None,
            }
        }
    }

    /// Right after a start tag: when the rest of that element is exactly `<C>text</C></P>`
    /// (child `C` unprefixed, without attributes; text without markup, references or line ends
    /// to normalise), consumes it and returns the text — what the events would have carried.
    /// Otherwise nothing is consumed. Most cells and shared strings take this way.
    #[inline]
    pub(super) fn plain_child(&mut self, child: &str) -> Option<&'a str> {
        if self.close_empty {
            return None;
        }
        let parent = *self.open.last()?;
        let (s, b) = (self.s, self.s.as_bytes());
        let open = self.pos + child.len() + 2;
        if b.get(self.pos) != Some(&b'<')
            || !eq(s.get(self.pos + 1..open - 1)?, child)
            || b.get(open - 1) != Some(&b'>')
        {
            return None;
        }
        let len = b[open..]
            .iter()
            .position(|&c| matches!(c, b'<' | b'&' | b'\r'))?;
        let end = open + len;
        let close = end + child.len() + 5;
        let last = close + parent.q.len();
        if len == 0
            || s.get(end..end + 2)? != "</"
            || !eq(s.get(end + 2..close - 3)?, child)
            || s.get(close - 3..close)? != "></"
            || !eq(s.get(close..last)?, parent.q)
            || b.get(last) != Some(&b'>')
        {
            return None;
        }
        self.open.pop();
        self.root_done = self.open.is_empty();
        self.pos = last + 1;
        Some(&s[open..end])
    }

    /// Skips the rest of the current element (quick-xml's `read_to_end`).
    pub(super) fn skip_element(&mut self) -> Option<()> {
        let depth = self.open.len();
        loop {
            match self.next()? {
                Ev::End(_) if self.open.len() < depth => return Some(()),
                Ev::Eof => return None,
                _ => {}
            }
        }
    }

    /// Up to and including the first event `stop` accepts, as calamine's loops stop.
    pub(super) fn until(&mut self, stop: impl Fn(&Ev<'a>) -> bool) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Eof => return None,
                e if stop(&e) => return Some(()),
                _ => {}
            }
        }
    }

    pub(super) fn until_end(&mut self, name: &str) -> Option<()> {
        self.until(|e| matches!(e, Ev::End(q) if q.local == name))
    }

    /// A `<fonts>`/`<fills>` list: each item read to its end, the list to its end.
    pub(super) fn items(&mut self, list: &str, item: &str) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Start(q) if q.local == item => self.until_end(item)?,
                Ev::End(q) if q.local == list => return Some(()),
                Ev::Eof => return None,
                _ => {}
            }
        }
    }
}

/// As calamine resolves a reference: the five XML entities or a character reference.
fn resolve_reference(name: &str) -> Option<char> {
    if let Some(s) = quick_xml::escape::resolve_xml_entity(name) {
        return s.chars().next();
    }
    quick_xml::events::BytesRef::new(name)
        .resolve_char_ref()
        .ok()
        .flatten()
}

/// XML 1.0 end-of-line handling: `\r\n` and a lone `\r` become `\n`.
fn push_xml10(out: &mut String, t: &str) {
    let mut rest = t;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `<q` start, `</q` end (with `|local` when it differs), text in quotes, `&c` reference.
    fn events(xml: &str) -> Option<Vec<String>> {
        let mut x = Xml::new(xml.as_bytes())?;
        let mut out = Vec::new();
        let name = |n: Name<'_>| match n.q == n.local {
            true => n.q.to_string(),
            false => format!("{}|{}", n.q, n.local),
        };
        loop {
            out.push(match x.next()? {
                Ev::Start(n) => format!("<{}{:?}", name(n), x.attrs),
                Ev::End(n) => format!("</{}", name(n)),
                Ev::Text(t) => format!("{t:?}"),
                Ev::Ref(c) => format!("&{c}"),
                Ev::Eof => return Some(out),
            });
        }
    }

    #[test]
    fn tokenizer_matches_quick_xml_on_its_subset() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a x='1' y = \"a>b\"><b/>t&amp;&#x41;&#66;\r\n<c:d:e\tk=\"&lt;\" >u</c:d:e ></a>\n";
        assert_eq!(
            events(xml).unwrap(),
            [
                r#"<a[("x", "1"), ("y", "a>b")]"#,
                "<b[]",
                "</b",
                r#""t""#,
                "&&",
                "&A",
                "&B",
                r#""\r\n""#,
                r#"<c:d:e|d:e[("k", "&lt;")]"#,
                r#""u""#,
                "</c:d:e|d:e",
                "</a",
            ]
        );
    }

    #[test]
    fn tokenizer_refuses_what_it_does_not_know() {
        for bad in [
            "<a><!-- c --></a>",
            "<a><![CDATA[x]]></a>",
            "<!DOCTYPE a><a/>",
            "<?xml version=\"1.0\" encoding=\"GBK\"?><a/>",
            "<a></b>",
            "<a>",
            "<a/><b/>",
            "<a>&nbsp;</a>",
            "<a>&#0;</a>",
            "<a>& b</a>",
            "<a x=1/>",
            "<a x='1'y='2'/>",
            "<a x='1' x='2'/>",
            "<a x='&bogus;'/>",
            "<a><?pi x?></a>",
            "x<a/>",
        ] {
            assert!(events(bad).is_none(), "{bad}");
        }
        assert!(Xml::new(b"<a>\xff</a>").is_none());
    }

    #[test]
    fn references_and_line_ends() {
        let mut x = Xml::new("<t>a\r\nb\rc&#13;&lt;</t>".as_bytes()).unwrap();
        assert!(matches!(x.next(), Some(Ev::Start(n)) if n.q == "t"));
        let mut s = String::new();
        x.text(&mut s).unwrap();
        assert_eq!(s, "a\nb\nc\r<");
    }
}
