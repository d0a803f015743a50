//! Cell-level integrity of what the readers hand over (issue 18 items 2-5, issue 12's 1904 date
//! system and newer error values): every reader path, then ingest end to end.
//!
//! Most xlsx files are written here as raw XML parts (so `date1904`, `t="e"`, `<f>` without
//! `<v>` are exactly as given), two by openpyxl (scripts/make_integrity_xlsx.py); the .xls
//! files come from scripts/make_integrity_xls.py (xlwt); the .ods files are written here.
//! Every expected date is computed by hand below.

use crate::common::*;
use serde_json::Value;
use std::io::Write;
use yilian::read::{read_bytes, xlsx_readers, Cell, ExcelDate, Format, ReadError};

// ---------------------------------------------------------------------------------------------
// Dates, by hand.
//
// 1900 system: serial n is 1899-12-30 + n days (from 1900-03-01 on). 45352 is 2024-03-01 (the
// period module's own test); 2024-03-01 -> 2025-01-05 is 30+1 (to 04-01) + 30+31+30+31+31+30
// +31+30+31 (to 2025-01-01) = 306 days, + 4 = 310: 45662 is 2025-01-05.
// 1904 system: serial n is 1904-01-01 + n days. 1899-12-30 -> 1904-01-01 is 2 days + 365 × 4
// (1900 was not a leap year) = 1462 days, so a 1904 serial is the 1900 serial + 1462:
// 43890 (1904) = 45352 (1900) = 2024-03-01, while 43890 read in the 1900 system is 1462 days
// earlier: 2020-03-01 is 1461 days before 2024-03-01 (2024-02-29 in between), so 2020-02-29.
// 43900.75 (1904) is 10 days and 18 hours after that: 2024-03-11.

const SERIAL_1904: f64 = 43890.0;

fn ymd(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---------------------------------------------------------------------------------------------
// xlsx written by hand.

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, xml) in parts {
        w.start_file(*path, options).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// One sheet `月报表` of the given rows; `s="1"` is a date format (built-in 14), `s="0"`
/// General. `pr` goes into `<workbook>` (`<workbookPr date1904="1"/>`). A comment before the
/// rows makes the one-pass reader decline, so the calamine path reads the file.
fn xlsx(pr: &str, rows: &str, calamine: bool) -> Vec<u8> {
    let comment = if calamine {
        "<!-- via calamine -->"
    } else {
        ""
    };
    let sheet = format!(
        "{DECL}<worksheet xmlns=\"{NS}\" xmlns:r=\"{REL}\"><sheetData>{comment}{rows}</sheetData></worksheet>"
    );
    let styles = format!(
        "{DECL}<styleSheet xmlns=\"{NS}\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
    );
    zip(&[
        (
            "_rels/.rels",
            format!(
                "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "{DECL}<workbook xmlns=\"{NS}\" xmlns:r=\"{REL}\">{pr}<sheets><sheet name=\"月报表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
                 <Relationship Id=\"rId2\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>"
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
    ])
}

const DATE1904: &str = "<workbookPr date1904=\"1\"/>";

fn s(at: &str, text: &str) -> String {
    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// A cell with the given attributes and inner XML.
fn c(at: &str, attrs: &str, inner: &str) -> String {
    format!("<c r=\"{at}\"{attrs}>{inner}</c>")
}

fn n(at: &str, v: &str) -> String {
    c(at, "", &format!("<v>{v}</v>"))
}

/// The vertical monthly form of 示例县人民医院: `period` is D1's cell (after `统计期间：` in
/// C1), `discharges` C3's (出院人数), `visits` C4's (门急诊人次); `extra` more cells of row 1.
fn form_rows(period: &str, discharges: &str, visits: &str, extra: &str) -> String {
    format!(
        "<row r=\"1\">{}{}{period}{extra}</row>\
         <row r=\"2\">{}{}{}</row>\
         <row r=\"3\">{}{}{discharges}</row>\
         <row r=\"4\">{}{}{visits}</row>",
        s("A1", "填报单位：示例县人民医院"),
        s("C1", "统计期间："),
        s("A2", "指标名称"),
        s("B2", "单位"),
        s("C2", "本月"),
        s("A3", "出院人数"),
        s("B3", "人次"),
        s("A4", "门急诊人次"),
        s("B4", "人次"),
    )
}

fn text_period() -> String {
    s("D1", "2024年3月")
}

/// Both xlsx readers on `bytes` (the one-pass reader must answer), which must agree.
fn both_paths(bytes: &[u8]) -> Vec<yilian::read::Workbook> {
    let fast = xlsx_readers::fast(bytes)
        .expect("the one-pass reader declined")
        .expect("the one-pass reader failed");
    let slow = xlsx_readers::calamine(bytes).expect("calamine path failed");
    vec![fast, slow]
}

// ---------------------------------------------------------------------------------------------
// Ingest.

/// Ingests one file; (exit code, its file report, workspace).
fn ingest(name: &str, bytes: &[u8]) -> (i32, Value, Workspace) {
    let ws = Workspace::new();
    ws.put(name, bytes);
    let (code, summary) = ws.ingest(&["inbox"]);
    let report = summary["file_reports"]
        .as_array()
        .unwrap_or_else(|| panic!("{summary:#}"))
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{summary:#}"))
        .clone();
    (code, report, ws)
}

/// The file is stored with 出院人数 1234 and 门急诊人次 45678 for `period`, nothing else.
fn stored_for(name: &str, bytes: &[u8], period: &str) {
    let (code, report, ws) = ingest(name, bytes);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["status"], "stored", "{report:#}");
    let got = ws.effective();
    let key = |m: &str| format!("county_peoples|{period}|{m}|month");
    assert_eq!(got.get(&key("discharges")), Some(&Some(1234.0)), "{got:?}");
    assert_eq!(
        got.get(&key("outpatient_visits")),
        Some(&Some(45678.0)),
        "{got:?}"
    );
    assert!(
        got.keys().all(|k| k.contains(&format!("|{period}|"))),
        "only {period}: {got:?}"
    );
}

/// The file is rejected; its errors as JSON text.
fn rejected(name: &str, bytes: &[u8]) -> String {
    let (code, report, ws) = ingest(name, bytes);
    assert_eq!(code, 3, "{report:#}");
    assert_eq!(report["status"], "rejected", "{report:#}");
    assert!(ws.store_files().is_empty(), "nothing stored");
    serde_json::to_string(&report["errors"]).unwrap()
}

// ---------------------------------------------------------------------------------------------
// 1. The 1904 date system.

#[test]
fn xlsx_1904_dates_keep_their_epoch_on_both_paths() {
    let rows = format!(
        "<row r=\"1\">{}{}</row>",
        c("A1", " s=\"1\"", "<v>43890</v>"),
        c("B1", " s=\"1\"", "<v>43900.75</v>")
    );
    let bytes = xlsx(DATE1904, &rows, false);
    for wb in both_paths(&bytes) {
        let sheet = &wb.sheets[0];
        assert_eq!(
            sheet.get(0, 0),
            &Cell::Date(ExcelDate::new(SERIAL_1904, true))
        );
        let Cell::Date(d) = sheet.get(0, 0) else {
            unreachable!()
        };
        assert_eq!(d.date(), Some(ymd(2024, 3, 1)));
        assert_eq!(d.serial_1900(), 45352.0);
        assert_eq!(sheet.get(0, 0).display(), "2024-03-01");
        assert_eq!(sheet.get(0, 1).display(), "2024-03-11");
    }
    // The same serial in a 1900 workbook is four years and a day earlier.
    let bytes = xlsx("", &rows, false);
    for wb in both_paths(&bytes) {
        assert_eq!(wb.sheets[0].get(0, 0).display(), "2020-02-29");
    }
    // `<workbookPr date1904="0"/>` and `"true"`, as calamine reads them.
    for (pr, epoch) in [
        ("<workbookPr date1904=\"0\"/>", false),
        ("<workbookPr date1904=\"true\"/>", true),
    ] {
        for wb in both_paths(&xlsx(pr, &rows, false)) {
            assert_eq!(
                wb.sheets[0].get(0, 0),
                &Cell::Date(ExcelDate::new(SERIAL_1904, epoch))
            );
        }
    }
}

#[test]
fn xlsx_1904_period_cell_is_stored_under_the_right_month() {
    let period = c("D1", " s=\"1\"", "<v>43890</v>");
    let rows = form_rows(&period, &n("C3", "1234"), &n("C4", "45678"), "");
    // One-pass reader, then the calamine path.
    stored_for("county.xlsx", &xlsx(DATE1904, &rows, false), "2024-03");
    let via_calamine = xlsx(DATE1904, &rows, true);
    assert!(xlsx_readers::fast(&via_calamine).is_none());
    stored_for("county.xlsx", &via_calamine, "2024-03");
    // Control: in a 1900 workbook the same serial is 2020-02-29.
    stored_for("county.xlsx", &xlsx("", &rows, false), "2020-02");
}

#[test]
fn openpyxl_1904_workbook_gets_its_period_and_submission_date() {
    // openpyxl stored 2024-03-01 as 43890 and 2024-04-08 as 43890 + 31 + 7 = 43928.
    let bytes = std::fs::read(fixtures().join("integrity/openpyxl_1904.xlsx")).unwrap();
    for wb in both_paths(&bytes) {
        assert_eq!(
            wb.sheets[0].get(0, 3),
            &Cell::Date(ExcelDate::new(SERIAL_1904, true))
        );
        assert_eq!(wb.sheets[0].get(0, 5).display(), "2024-04-08");
    }
    stored_for("county.xlsx", &bytes, "2024-03");
    let (_, _, ws) = ingest("county.xlsx", &bytes);
    let rows = ws.all_rows();
    let dates = rows.column("submitted_on").unwrap().str().unwrap().clone();
    assert!(rows.height() > 0);
    assert!(dates.into_iter().all(|d| d == Some("2024-04-08")));
}

#[test]
fn xls_1904_dates_keep_their_epoch() {
    let bytes = std::fs::read(fixtures().join("integrity/date1904.xls")).unwrap();
    let wb = read_bytes(&bytes).unwrap();
    assert_eq!(wb.format, Format::Xls);
    assert_eq!(
        wb.sheets[0].get(0, 3),
        &Cell::Date(ExcelDate::new(SERIAL_1904, true))
    );
    assert_eq!(wb.sheets[0].get(0, 3).display(), "2024-03-01");
    stored_for("county.xls", &bytes, "2024-03");
}

/// A minimal OpenDocument spreadsheet: `cells` is the `<table:table>` content.
fn ods(settings: &str, rows: &str) -> Vec<u8> {
    const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    let mime = "application/vnd.oasis.opendocument.spreadsheet";
    zip(&[
        ("mimetype", mime.to_string()),
        (
            "META-INF/manifest.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
                 <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"{mime}\"/>\
                 <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>"
            ),
        ),
        (
            "content.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"{OFFICE}\" xmlns:table=\"{TABLE}\" xmlns:text=\"{TEXT}\" office:version=\"1.2\">\
                 <office:body><office:spreadsheet>{settings}<table:table table:name=\"月报表\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
            ),
        ),
    ])
}

fn ods_text(t: &str) -> String {
    format!(
        "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
    )
}

fn ods_float(v: &str) -> String {
    format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>")
}

fn ods_form(period: &str, discharges: &str, visits: &str) -> String {
    let empty = "<table:table-cell/>";
    format!(
        "<table:table-row>{}{empty}{}{period}</table:table-row>\
         <table:table-row>{}{}{}</table:table-row>\
         <table:table-row>{}{}{discharges}</table:table-row>\
         <table:table-row>{}{}{visits}</table:table-row>",
        ods_text("填报单位：示例县人民医院"),
        ods_text("统计期间："),
        ods_text("指标名称"),
        ods_text("单位"),
        ods_text("本月"),
        ods_text("出院人数"),
        ods_text("人次"),
        ods_text("门急诊人次"),
        ods_text("人次"),
    )
}

#[test]
fn ods_dates_are_calendar_dates_whatever_the_null_date() {
    // An ods stores a date as the date itself (`office:date-value`); its null date (here the
    // 1904 one) only matters to serials, which it does not store for date cells.
    let settings = "<table:calculation-settings><table:null-date table:date-value=\"1904-01-01\"/></table:calculation-settings>";
    let period = "<table:table-cell office:value-type=\"date\" office:date-value=\"2024-03-01\"><text:p>2024-03-01</text:p></table:table-cell>";
    let bytes = ods(
        settings,
        &ods_form(period, &ods_float("1234"), &ods_float("45678")),
    );
    assert_eq!(read_bytes(&bytes).unwrap().format, Format::Ods);
    stored_for("county.ods", &bytes, "2024-03");
}

// ---------------------------------------------------------------------------------------------
// 2. Excel error values, old and new.

const ERRORS: [&str; 12] = [
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#GETTING_DATA",
    "#NULL!",
    "#NUM!",
    "#DIV/0!",
    "#N/A",
];

fn error_row() -> String {
    let mut row = String::from("<row r=\"1\">");
    for (i, e) in ERRORS.iter().enumerate() {
        let at = format!("{}1", (b'A' + i as u8) as char);
        // Excel writes the formula before the cached error.
        row += &c(&at, " t=\"e\"", &format!("<f>A2/0</f><v>{e}</v>"));
    }
    row + "</row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
}

#[test]
fn every_error_value_is_a_cell_of_its_own_on_every_path() {
    let check = |wb: &yilian::read::Workbook| {
        for (i, e) in ERRORS.iter().enumerate() {
            assert_eq!(wb.sheets[0].get(0, i), &Cell::Error(e.to_string().into()));
        }
        assert_eq!(wb.sheets[0].get(1, 0), &Cell::Number(1.0));
    };
    for wb in both_paths(&xlsx("", &error_row(), false)) {
        check(&wb);
    }
    // The one-pass reader declines this one: calamine, which refuses the file at `#SPILL!`,
    // reads a copy whose error cells are marked text.
    let bytes = xlsx("", &error_row(), true);
    assert!(xlsx_readers::fast(&bytes).is_none());
    check(&read_bytes(&bytes).unwrap());
    // Text typed as an error value stays text.
    let typed = format!(
        "<row r=\"1\">{}{}</row>",
        s("A1", "#SPILL!"),
        c("B1", " t=\"str\"", "<v>#CALC!</v>")
    );
    for calamine in [false, true] {
        let wb = read_bytes(&xlsx("", &typed, calamine)).unwrap();
        assert_eq!(wb.sheets[0].get(0, 0), &Cell::Text("#SPILL!".into()));
        assert_eq!(wb.sheets[0].get(0, 1), &Cell::Text("#CALC!".into()));
    }
}

#[test]
fn an_error_value_in_a_figure_names_the_cell() {
    for calamine in [false, true] {
        let rows = form_rows(
            &text_period(),
            &c("C3", " t=\"e\"", "<f>SUM(X1:X9)</f><v>#SPILL!</v>"),
            &n("C4", "45678"),
            "",
        );
        let e = rejected("county.xlsx", &xlsx("", &rows, calamine));
        assert!(
            e.contains("an Excel error value #SPILL!")
                && e.contains("出院人数")
                && e.contains("\"cell\":\"C3\"")
                && e.contains("月报表"),
            "{e}"
        );
    }
}

#[test]
fn an_error_value_in_a_cell_nobody_needs_is_ignored() {
    for calamine in [false, true] {
        let rows = form_rows(
            &text_period(),
            &n("C3", "1234"),
            &n("C4", "45678"),
            &c("H1", " t=\"e\"", "<v>#CALC!</v>"),
        );
        stored_for("county.xlsx", &xlsx("", &rows, calamine), "2024-03");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Numbers that are not finite.

#[test]
fn non_finite_numbers_are_cells_of_their_own_on_every_path() {
    let rows = format!(
        "<row r=\"1\">{}{}{}{}{}</row>",
        n("A1", "NaN"),
        n("B1", "INF"),
        n("C1", "-INF"),
        n("D1", "1e309"),
        c("E1", " s=\"1\"", "<v>1e309</v>")
    );
    let want = ["NaN", "inf", "-inf", "inf", "inf"];
    let check = |wb: &yilian::read::Workbook| {
        for (i, w) in want.iter().enumerate() {
            assert_eq!(
                wb.sheets[0].get(0, i),
                &Cell::NotFinite(w.to_string().into()),
                "{i}"
            );
        }
    };
    for wb in both_paths(&xlsx("", &rows, false)) {
        check(&wb);
    }
    check(&read_bytes(&xlsx("", &rows, true)).unwrap());
}

#[test]
fn a_non_finite_figure_names_the_cell_in_xlsx_xls_and_ods() {
    for calamine in [false, true] {
        let rows = form_rows(&text_period(), &n("C3", "1234"), &n("C4", "1e309"), "");
        let e = rejected("county.xlsx", &xlsx("", &rows, calamine));
        assert!(
            e.contains("not a finite number") && e.contains("\"cell\":\"C4\""),
            "{e}"
        );
    }
    // xlwt wrote NaN for 出院人数 (C3) and +infinity for 门急诊人次 (C4).
    let bytes = std::fs::read(fixtures().join("integrity/not_finite.xls")).unwrap();
    let e = rejected("county.xls", &bytes);
    assert!(
        e.contains("`NaN`, not a finite number")
            && e.contains("\"cell\":\"C3\"")
            && e.contains("`inf`, not a finite number")
            && e.contains("\"cell\":\"C4\""),
        "{e}"
    );
    let period = ods_text("2024年3月");
    let bytes = ods(
        "",
        &ods_form(&period, &ods_float("NaN"), &ods_float("45678")),
    );
    let e = rejected("county.ods", &bytes);
    assert!(
        e.contains("`NaN`, not a finite number") && e.contains("\"cell\":\"C3\""),
        "{e}"
    );
}

#[test]
fn csv_text_forms_of_non_finite_numbers_are_rejected() {
    let csv = "填报单位：示例县人民医院,,统计期间：2024年3月\n指标名称,单位,本月\n出院人数,人次,1e309\n门急诊人次,人次,NaN\n";
    let e = rejected("county.csv", csv.as_bytes());
    assert!(
        e.contains("`1e309`") && e.contains("\"cell\":\"C3\"") && e.contains("`NaN`"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. A formula whose result was never saved.

#[test]
fn a_formula_without_a_saved_result_is_not_a_blank() {
    // openpyxl writes `<f>…</f><v></v>`; other generators leave the `<v>` out.
    let rows = format!(
        "<row r=\"1\">{}{}{}{}</row>",
        c("A1", "", "<f>SUM(B2:B5)</f>"),
        c("B1", "", "<f>SUM(C2:C5)</f><v></v>"),
        c("C1", "", "<f>1+1</f><v>2</v>"),
        c("D1", " t=\"str\"", "<f>\"\"</f><v></v>")
    );
    for wb in both_paths(&xlsx("", &rows, false)) {
        let sh = &wb.sheets[0];
        assert_eq!(sh.get(0, 0), &Cell::Formula("SUM(B2:B5)".into()));
        assert_eq!(sh.get(0, 1), &Cell::Formula("SUM(C2:C5)".into()));
        assert_eq!(sh.get(0, 2), &Cell::Number(2.0));
        // A text formula whose saved result is the empty text: blank.
        assert_eq!(sh.get(0, 3), &Cell::Empty);
    }
    // A shared formula's other cells carry no text: calamine writes it out from the first.
    let shared = format!(
        "<row r=\"1\">{}{}</row>",
        c("A1", "", "<f t=\"shared\" ref=\"A1:B1\" si=\"0\">C1+1</f>"),
        c("B1", "", "<f t=\"shared\" si=\"0\"/>")
    );
    let bytes = xlsx("", &shared, false);
    assert!(xlsx_readers::fast(&bytes).is_none());
    let wb = read_bytes(&bytes).unwrap();
    assert_eq!(wb.sheets[0].get(0, 0), &Cell::Formula("C1+1".into()));
    assert_eq!(wb.sheets[0].get(0, 1), &Cell::Formula("D1+1".into()));
}

#[test]
fn an_openpyxl_formula_is_rejected_until_saved_by_a_spreadsheet_program() {
    // openpyxl writes `<c r="C4"><f>SUM(C6:C7)</f><v /></c>`: no result.
    let bytes = std::fs::read(fixtures().join("integrity/openpyxl_formula.xlsx")).unwrap();
    for wb in both_paths(&bytes) {
        assert_eq!(wb.sheets[0].get(3, 2), &Cell::Formula("SUM(C6:C7)".into()));
    }
    let e = rejected("county.xlsx", &bytes);
    assert!(
        e.contains("a formula (=SUM(C6:C7)) with no saved result") && e.contains("\"cell\":\"C4\""),
        "{e}"
    );
}

#[test]
fn an_unsaved_formula_in_a_figure_names_the_cell() {
    for calamine in [false, true] {
        let rows = form_rows(
            &text_period(),
            &n("C3", "1234"),
            &c("C4", "", "<f>SUM(C5:C9)</f><v></v>"),
            "",
        );
        let e = rejected("county.xlsx", &xlsx("", &rows, calamine));
        assert!(
            e.contains("a formula (=SUM(C5:C9)) with no saved result")
                && e.contains("open the file in Excel or WPS, save it")
                && e.contains("\"cell\":\"C4\""),
            "{e}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. A date typed into a count cell.

#[test]
fn a_date_in_a_count_cell_names_the_cell_and_the_date() {
    // Written by rust_xlsxwriter: 2025-01-05 in a date format where 出院人数 is expected.
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("月报表").unwrap();
    ws.write(0, 0, "填报单位：示例县人民医院").unwrap();
    ws.write(0, 2, "统计期间：2024年3月").unwrap();
    for (c, h) in ["指标名称", "单位", "本月"].iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    ws.write(2, 0, "出院人数").unwrap();
    ws.write(2, 1, "人次").unwrap();
    let date = ExcelDateTime::from_ymd(2025, 1, 5).unwrap();
    ws.write_with_format(2, 2, &date, &XFormat::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    ws.write(3, 0, "门急诊人次").unwrap();
    ws.write(3, 1, "人次").unwrap();
    ws.write(3, 2, 45678).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // The serial is 45662 (see the top of this file).
    let read = read_bytes(&bytes).unwrap();
    assert_eq!(
        read.sheets[0].get(2, 2),
        &Cell::Date(ExcelDate::new(45662.0, false))
    );
    let e = rejected("county.xlsx", &bytes);
    assert!(
        e.contains("2025-01-05, a date") && e.contains("\"cell\":\"C3\"") && !e.contains("45662"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. NUL bytes anywhere in a CSV.

#[test]
fn a_nul_byte_anywhere_in_a_csv_makes_it_binary() {
    let mut csv = String::from("指标名称,本月\n");
    while csv.len() < 200_000 {
        csv += "出院人数,1234\n";
    }
    assert!(matches!(
        read_bytes(csv.as_bytes()).unwrap().format,
        Format::Csv
    ));
    for bad in ["\0", "\u{1}", "\u{7f}", "\u{85}"] {
        let mut with = csv.clone();
        // At the start of a line well past the first 4,096 characters.
        let at = 150_000
            + csv.as_bytes()[150_000..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap()
            + 1;
        with.insert_str(at, bad);
        assert!(
            matches!(read_bytes(with.as_bytes()), Err(ReadError::NotSpreadsheet(ref w)) if w.to_string() == "binary data"),
            "{bad:?}"
        );
    }
    let e = rejected("county.csv", format!("{csv}\0").as_bytes());
    assert!(e.contains("binary data"), "{e}");
}
