//! The package rels, the workbook rels and `workbook.xml`: where the workbook and its parts
//! are, the sheet names and parts in order, and the date system. What calamine's
//! `Xlsx::new` reads before any sheet, read the same way.

use super::package::RelTarget;
use super::xml::{Ev, Xml};

/// What the workbook-level parts say, owned so it outlives their buffers.
pub(super) struct Meta {
    /// Paths of the workbook rels and workbook parts (from the package rels).
    pub(super) book_rels: String,
    pub(super) book: String,
    /// Sheet names and part paths in workbook order, chart and dialog sheets included.
    pub(super) sheets: Vec<(String, String)>,
    /// `<workbookPr date1904="1"/>`: date serials count from 1904-01-01.
    pub(super) epoch_1904: bool,
    /// Where calamine reads shared strings and styles, and where the rels put them.
    pub(super) strings_at: (String, RelTarget),
    pub(super) styles_at: (String, RelTarget),
}

pub(super) fn meta(package_rels: &[u8], book_rels: &[u8], book: &[u8]) -> Option<Meta> {
    let (xl, book_name) = office_document(package_rels)?;
    let rels = relationships(book_rels)?;
    let (sheets, epoch_1904) = sheet_list(&mut Xml::new(book)?, &rels, &xl)?;
    // calamine finds a sheet's part by its name: with two sheets of one name it reads the
    // first twice.
    for (i, (name, _)) in sheets.iter().enumerate() {
        if sheets[..i].iter().any(|(n, _)| n == name) {
            return None;
        }
    }
    // calamine reads `sharedStrings.xml` and `styles.xml` next to the workbook by name; the
    // rels say where they really are.
    let at = |suffix: &str, fixed: &str| {
        let mut named = rels.iter().filter(|r| r.typ.ends_with(suffix));
        let target = match (named.next(), named.next()) {
            (None, _) => RelTarget::None,
            (Some(r), None) => RelTarget::One(target_path(&xl, r.target)),
            _ => RelTarget::Several,
        };
        (format!("{xl}{fixed}"), target)
    };
    Some(Meta {
        book_rels: format!("{xl}_rels/{book_name}.rels"),
        book: format!("{xl}{book_name}"),
        strings_at: at("/sharedStrings", "sharedStrings.xml"),
        styles_at: at("/styles", "styles.xml"),
        sheets,
        epoch_1904,
    })
}

struct Rel<'a> {
    id: &'a str,
    target: &'a str,
    typ: &'a str,
}

/// The workbook's folder and file name from `_rels/.rels`, as calamine takes them.
pub(super) fn office_document(part: &[u8]) -> Option<(String, String)> {
    let mut x = Xml::new(part)?;
    x.until(|e| matches!(e, Ev::Start(q) if q.local == "Relationships"))?;
    let mut target = None;
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "Relationship" => {
                let office = x
                    .attr("Type")
                    .is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if let (true, Some(t)) = (office, x.attr("Target")) {
                    target = Some(quick_xml::escape::unescape(t).ok()?.into_owned());
                }
            }
            Ev::End(q) if q.local == "Relationships" => break,
            Ev::Eof => return None,
            _ => {}
        }
    }
    let target = target?;
    let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    Some((
        dir.strip_prefix('/').unwrap_or(dir).to_string(),
        name.to_string(),
    ))
}

/// The workbook rels. calamine keeps them in a map by id, so a later duplicate id wins.
fn relationships(part: &[u8]) -> Option<Vec<Rel<'_>>> {
    let mut x = Xml::new(part)?;
    let mut rels = Vec::new();
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "Relationship" => {
                if let Some(id) = x.attr("Id") {
                    rels.push(Rel {
                        id,
                        target: x.attr("Target").unwrap_or(""),
                        typ: x.attr("Type").unwrap_or(""),
                    });
                }
            }
            Ev::End(q) if q.local == "Relationships" => return Some(rels),
            Ev::Eof => return None,
            _ => {}
        }
    }
}

/// A rels target as calamine resolves it (raw attribute; no `..` handling).
fn target_path(xl: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{xl}{target}"),
    }
}

/// Sheet names and part paths in workbook order, chart and dialog sheets included (their
/// parts have no `<sheetData>` and are skipped when read, as calamine does), and whether the
/// workbook uses the 1904 date system.
fn sheet_list(
    x: &mut Xml<'_>,
    rels: &[Rel<'_>],
    xl: &str,
) -> Option<(Vec<(String, String)>, bool)> {
    let mut sheets = Vec::new();
    let mut epoch_1904 = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                // As calamine reads it; `<x15:workbookPr>` in `<extLst>` has no `date1904`.
                "workbookPr" => {
                    if let Some(v) = x.attr("date1904") {
                        epoch_1904 = v == "1" || v == "true";
                    }
                }
                "sheet" => {
                    let (mut name, mut rel_id) = ("", "");
                    for &(k, v) in &x.attrs {
                        match k {
                            "name" => name = v,
                            "state" if !matches!(v, "visible" | "hidden" | "veryHidden") => {
                                return None
                            }
                            "state" => {}
                            k if k == "id" || k.ends_with(":id") => rel_id = v,
                            _ => {}
                        }
                    }
                    let name = quick_xml::escape::unescape(name).ok()?.into_owned();
                    let rel = rels.iter().rev().find(|r| r.id == rel_id)?;
                    if !matches!(
                        rel.typ.rsplit('/').next(),
                        Some("worksheet" | "chartsheet" | "dialogsheet")
                    ) {
                        return None;
                    }
                    sheets.push((name, target_path(xl, rel.target)));
                }
                // calamine reads a defined name's text up to its end tag; nothing inside counts.
                "definedName" if x.attr("name").is_some() => loop {
                    match x.next()? {
                        Ev::End(e) if e.q == q.q => break,
                        Ev::Eof => return None,
                        _ => {}
                    }
                },
                _ => {}
            },
            Ev::End(q) if q.local == "workbook" => return Some((sheets, epoch_1904)),
            Ev::Eof => return None,
            _ => {}
        }
    }
}
