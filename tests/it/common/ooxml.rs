//! Hand-written xlsx packages (the XML parts as Excel lays them out, for what rust_xlsxwriter
//! cannot write: the 1904 date system, error values, cached formula results, odd markup) and
//! the one-pass reader checked against the calamine path.

use std::io::Write;
use yilian::read::{xlsx_readers, Cell, Merge, Workbook};

pub type Grid = Vec<(String, Vec<Vec<Cell>>, Vec<Merge>)>;

pub fn grid(wb: &Workbook) -> Grid {
    assert_eq!(wb.format, yilian::read::Format::Xlsx);
    assert_eq!(wb.encoding, None);
    wb.sheets
        .iter()
        .map(|s| (s.name.clone(), s.to_rows(), s.merges.clone()))
        .collect()
}

/// The fast path reads `bytes` itself and gives what calamine gives.
pub fn agree(bytes: &[u8]) -> Workbook {
    let fast = xlsx_readers::fast(bytes)
        .expect("the fast path fell back")
        .expect("the fast path failed");
    let slow = xlsx_readers::calamine(bytes).expect("calamine failed");
    assert_eq!(grid(&fast), grid(&slow));
    fast
}

pub const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

pub fn zip(parts: &[(&str, String)], stored: bool) -> Vec<u8> {
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, xml) in parts {
        w.start_file(*path, options).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn package_rels(target: &str) -> String {
    format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"{target}\"/></Relationships>"
    )
}

/// `(id, type, target)`.
pub fn book_rels(rels: &[(&str, &str, &str)]) -> String {
    let mut x = format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (id, typ, target) in rels {
        x += &format!("<Relationship Id=\"{id}\" Type=\"{REL}/{typ}\" Target=\"{target}\"/>");
    }
    x + "</Relationships>"
}

/// `(name, rel id)`.
pub fn workbook_xml(sheets: &[(&str, &str)], pr: &str) -> String {
    let mut x = format!("{DECL}<workbook xmlns=\"{NS}\" xmlns:r=\"{REL}\">{pr}<sheets>");
    for (i, (name, id)) in sheets.iter().enumerate() {
        x += &format!(
            "<sheet name=\"{name}\" sheetId=\"{}\" r:id=\"{id}\"/>",
            i + 1
        );
    }
    x + "</sheets></workbook>"
}

pub fn sheet_xml(data: &str, after: &str) -> String {
    format!("{DECL}<worksheet xmlns=\"{NS}\" xmlns:r=\"{REL}\"><sheetData>{data}</sheetData>{after}</worksheet>")
}

pub fn sst_xml(items: &[&str]) -> String {
    let mut x = format!(
        "{DECL}<sst xmlns=\"{NS}\" count=\"{0}\" uniqueCount=\"{0}\">",
        items.len()
    );
    for i in items {
        x += &format!("<si>{i}</si>");
    }
    x + "</sst>"
}

pub fn styles_xml(num_fmts: &[(u32, &str)], xf_fmt_ids: &[u32]) -> String {
    let mut x = format!("{DECL}<styleSheet xmlns=\"{NS}\">");
    if !num_fmts.is_empty() {
        x += &format!("<numFmts count=\"{}\">", num_fmts.len());
        for (id, code) in num_fmts {
            x += &format!("<numFmt numFmtId=\"{id}\" formatCode=\"{code}\"/>");
        }
        x += "</numFmts>";
    }
    x += "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"宋体\"/></font></fonts>\
          <fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>\
          <borders count=\"1\"><border><left style=\"thin\"><color auto=\"1\"/></left><right/><top/><bottom/><diagonal/></border></borders>\
          <cellStyleXfs count=\"1\"><xf numFmtId=\"14\" fontId=\"0\"/></cellStyleXfs>";
    x += &format!("<cellXfs count=\"{}\">", xf_fmt_ids.len());
    for id in xf_fmt_ids {
        x += &format!("<xf numFmtId=\"{id}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"><alignment horizontal=\"center\"/></xf>");
    }
    x + "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"常规\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
}

/// A workbook of worksheets `(name, sheet part xml)` with optional shared strings and styles,
/// laid out as Excel does.
pub fn book(sheets: &[(&str, String)], sst: Option<String>, styles: Option<String>) -> Vec<u8> {
    book_with(sheets, sst, styles, "")
}

/// `book` with `pr` inside `<workbook>` before `<sheets>` (`<workbookPr date1904="1"/>`).
pub fn book_with(
    sheets: &[(&str, String)],
    sst: Option<String>,
    styles: Option<String>,
    pr: &str,
) -> Vec<u8> {
    let mut rels = Vec::new();
    let mut listed = Vec::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    for (i, (name, xml)) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml.clone()));
        listed.push((*name, format!("rId{}", i + 1)));
    }
    let targets: Vec<String> = (1..=sheets.len())
        .map(|i| format!("worksheets/sheet{i}.xml"))
        .collect();
    for (i, t) in targets.iter().enumerate() {
        rels.push((listed[i].1.as_str(), "worksheet", t.as_str()));
    }
    if let Some(sst) = sst {
        rels.push(("rIdS", "sharedStrings", "sharedStrings.xml"));
        parts.push(("xl/sharedStrings.xml".into(), sst));
    }
    if let Some(styles) = styles {
        rels.push(("rIdT", "styles", "styles.xml"));
        parts.push(("xl/styles.xml".into(), styles));
    }
    let list: Vec<(&str, &str)> = listed.iter().map(|(n, id)| (*n, id.as_str())).collect();
    let mut all: Vec<(&str, String)> = vec![
        ("_rels/.rels", package_rels("xl/workbook.xml")),
        ("xl/workbook.xml", workbook_xml(&list, pr)),
        ("xl/_rels/workbook.xml.rels", book_rels(&rels)),
    ];
    all.extend(parts.iter().map(|(p, x)| (p.as_str(), x.clone())));
    zip(&all, false)
}

pub fn one_sheet(data: &str, after: &str, sst: &[&str], styles: Option<String>) -> Vec<u8> {
    let sst = (!sst.is_empty()).then(|| sst_xml(sst));
    book(&[("Sheet1", sheet_xml(data, after))], sst, styles)
}
