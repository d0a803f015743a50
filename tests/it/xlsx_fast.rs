//! The one-pass xlsx reader against the calamine path: the same `Workbook` for every sample
//! and fixture, for workbooks written here (by rust_xlsxwriter, and by hand for XML it cannot
//! produce), and for a few hundred generated sheets; a fallback wherever it is unsure.

use crate::common::ooxml::*;
use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Formula};
use std::path::{Path, PathBuf};
use yilian::read::{read_bytes, xlsx_readers, Cell, Merge, ReadError, Sheet};

/// The fast path declines and `read_bytes` gives calamine's answer.
fn falls_back(bytes: &[u8]) {
    assert!(
        xlsx_readers::fast(bytes).is_none(),
        "the fast path should decline"
    );
    match (read_bytes(bytes), xlsx_readers::calamine(bytes)) {
        (Ok(a), Ok(b)) => assert_eq!(grid(&a), grid(&b)),
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("read_bytes {a:?} but calamine {b:?}"),
    }
}

/// Hand-checked cells.
fn expect(sheet: &Sheet, cells: &[(usize, usize, Cell)]) {
    for (r, c, want) in cells {
        assert_eq!(sheet.get(*r, *c), want, "{} at ({r}, {c})", sheet.name);
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn xlsx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            xlsx_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            out.push(path);
        }
    }
}

#[test]
fn every_sample_and_fixture_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    xlsx_files(&root.join("sample-data"), &mut files);
    xlsx_files(&root.join("tests/fixtures"), &mut files);
    let mut zips = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        // tests/fixtures/encrypted.xlsx is an OLE container, not a zip: read_bytes never sends
        // it to the xlsx readers.
        if !bytes.starts_with(b"PK") {
            continue;
        }
        zips += 1;
        let wb = agree(&bytes);
        assert!(!wb.sheets.is_empty(), "{}", path.display());
        assert_eq!(grid(&read_bytes(&bytes).unwrap()), grid(&wb));
    }
    assert!(zips >= 80, "only {zips} xlsx files found");
}

// ---------------------------------------------------------------------------------------------
// Written by rust_xlsxwriter.

#[test]
fn dates_formulas_merges_and_text_from_rust_xlsxwriter() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("月报表").unwrap();
    let title = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 6, "示例医联体月报表", &title)
        .unwrap();
    ws.merge_range(1, 0, 2, 1, "two rows", &Format::new())
        .unwrap();
    let month = Format::new().set_num_format("yyyy\"年\"m\"月\"");
    let march = ExcelDateTime::from_ymd(2025, 3, 1).unwrap();
    ws.write_datetime_with_format(3, 0, &march, &month).unwrap();
    ws.write_number_with_format(3, 1, 45717.5, &Format::new().set_num_format_index(22))
        .unwrap();
    ws.write_number_with_format(3, 2, 1.25, &Format::new().set_num_format("[h]:mm"))
        .unwrap();
    ws.write_number_with_format(3, 3, 0.645, &Format::new().set_num_format("0.0%"))
        .unwrap();
    // CJK built-in date ids.
    ws.write_number_with_format(3, 4, 45000.0, &Format::new().set_num_format_index(57))
        .unwrap();
    ws.write_number_with_format(3, 5, 45000.0, &Format::new().set_num_format_index(31))
        .unwrap();
    ws.write_number(4, 0, 42.0).unwrap();
    ws.write_formula(4, 1, Formula::new("=A5*2").set_result("84"))
        .unwrap();
    ws.write_formula(4, 2, Formula::new("=\"a\"&\"b\"").set_result("ab"))
        .unwrap();
    ws.write_boolean(4, 3, true).unwrap();
    ws.write_string(5, 0, "  padded  ").unwrap();
    ws.write_string(5, 1, "line1\r\nline2\ttab").unwrap();
    ws.write_string(5, 2, "<&>\"'").unwrap();
    ws.write_string(5, 3, "_x000D_ literal").unwrap();
    ws.write_string(5, 4, "   ").unwrap();
    ws.write_string(5, 5, "😀 emoji").unwrap();
    let bold = Format::new().set_bold();
    let plain = Format::new();
    ws.write_rich_string(6, 0, &[(&plain, "rich "), (&bold, "text")])
        .unwrap();
    ws.write_blank(7, 0, &title).unwrap();
    ws.write_number(2000, 200, 1.0).unwrap();

    let other = wb.add_worksheet();
    other.set_name("A&B \"q\" x'q").unwrap();
    other.set_hidden(true);
    other.write_string(0, 0, "hidden").unwrap();
    wb.add_worksheet().set_name("empty").unwrap();
    let chart_sheet = wb.add_chartsheet();
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("'月报表'!$A$5:$A$5");
    chart_sheet.insert_chart(0, 0, &chart).unwrap();

    let bytes = wb.save_to_buffer().unwrap();
    let read = agree(&bytes);
    let names: Vec<&str> = read.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["月报表", "A&B \"q\" x'q", "empty"]);
    let s = &read.sheets[0];
    assert_eq!(
        s.merges[0],
        Merge {
            r0: 0,
            c0: 0,
            r1: 0,
            c1: 6
        }
    );
    assert_eq!(
        s.merges[1],
        Merge {
            r0: 1,
            c0: 0,
            r1: 2,
            c1: 1
        }
    );
    #[rustfmt::skip]
    expect(s, &[
        (0, 0, text("示例医联体月报表")),
        (3, 0, Cell::date(45717.0, false)), (3, 1, Cell::date(45717.5, false)), (3, 2, Cell::date(1.25, false)),
        (3, 3, Cell::Number(0.645)), (3, 4, Cell::date(45000.0, false)), (3, 5, Cell::date(45000.0, false)),
        (4, 1, Cell::Number(84.0)), (4, 2, text("ab")), (4, 3, Cell::Bool(true)),
        (5, 0, text("  padded  ")), (5, 1, text("line1\r\nline2\ttab")), (5, 2, text("<&>\"'")),
        (5, 3, text("_x000D_ literal")), (5, 4, Cell::Empty), (6, 0, text("rich text")),
        (2000, 200, Cell::Number(1.0)),
    ]);
    assert_eq!(read.sheets[2].height(), 0);
}

#[test]
fn a_far_away_cell_is_refused_before_allocating() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(0, 0, 1.0).unwrap();
    ws.write_number(1_048_575, 16_383, 2.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let fast = xlsx_readers::fast(&bytes).expect("the fast path fell back");
    let err = fast.unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge { cell, .. } if cell == "XFD1048576"),
        "{err}"
    );
    assert_eq!(Err(err), xlsx_readers::calamine(&bytes).map(|_| ()));

    // Within the row limit but past the cell budget, refused when the grid is sized.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(99_999, 0, 1.0).unwrap();
    ws.write_number(0, 999, 1.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = xlsx_readers::fast(&bytes).unwrap().unwrap_err();
    assert!(matches!(err, ReadError::TooLarge { .. }));
    assert_eq!(Err(err), xlsx_readers::calamine(&bytes).map(|_| ()));
}

// ---------------------------------------------------------------------------------------------
// Written by hand: XML rust_xlsxwriter does not produce.

#[test]
fn shared_and_inline_strings_as_calamine_reads_them() {
    let sst = [
        "<t>plain</t>",
        // Rich text runs concatenate; the phonetic run is not text.
        "<r><rPr><b/></rPr><t>漢</t></r><r><t xml:space=\"preserve\"> 字 </t></r><rPh sb=\"0\" eb=\"1\"><t>カン</t></rPh><phoneticPr fontId=\"1\"/>",
        "<t>  trimmed\r\n</t>",
        "<t xml:space=\"preserve\">  kept  </t>",
        "<t>a_x000D_b&amp;&lt;c&gt;&#x4E2D;&#25991;&quot;&apos;</t>",
        "<t/>",
        "<t>line1\r\nline2\rline3</t>",
        "<t>_x005F_x000D_</t>",
    ];
    let data = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>\
                <c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c>\
                <c r=\"G1\" t=\"s\"><v>6</v></c><c r=\"H1\" t=\"s\"><v>007</v></c></row>\
                <row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>inline &amp; more</t></is></c>\
                <c r=\"B2\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r><rPh><t>x</t></rPh></is></c>\
                <c r=\"C2\" t=\"inlineStr\"><v>ignored</v></c>\
                <c r=\"D2\" t=\"str\"><f>A1&amp;\"x\"</f><v>str_x000D_value &amp; more</v></c>\
                <c r=\"E2\" t=\"d\"><v>2025-03-01T00:00:00</v></c></row>";
    let wb = agree(&one_sheet(data, "", &sst, None));
    #[rustfmt::skip]
    expect(&wb.sheets[0], &[
        (0, 0, text("plain")), (0, 1, text("漢 字 ")), (0, 2, text("trimmed")),
        (0, 3, text("  kept  ")), (0, 4, text("a\rb&<c>中文\"'")), (0, 5, Cell::Empty),
        (0, 6, text("line1\nline2\nline3")), (0, 7, text("_x000D_")),
        (1, 0, text("inline & more")), (1, 1, text("inline")), (1, 2, Cell::Empty),
        (1, 3, text("str\rvalue & more")), (1, 4, text("2025-03-01T00:00:00")),
    ]);
}

#[test]
fn number_types_formulas_and_date_styles() {
    let styles = styles_xml(
        &[
            (176, "yyyy&quot;年&quot;m&quot;月&quot;"),
            (177, "0.00_ ;[Red]\\-0.00\\ "),
            (178, "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"),
            (179, "[h]:mm:ss"),
            (180, "#,##0.00&quot;元&quot;"),
        ],
        &[0, 176, 177, 178, 179, 180, 14, 22, 58, 10, 46],
    );
    let mut data = String::from("<row r=\"1\">");
    for (i, s) in (0..=11).enumerate() {
        data += &format!(
            "<c r=\"{}1\" s=\"{s}\"><v>45717.25</v></c>",
            (b'A' + i as u8) as char
        );
    }
    data += "</row><row r=\"2\"><c r=\"A2\"><f>SUM(A1:B1)</f><v>91434.5</v></c>\
             <c r=\"B2\"><f t=\"shared\" ref=\"B2:C2\" si=\"0\">A1*2</f><v>2</v></c>\
             <c r=\"C2\"><f t=\"shared\" si=\"0\"/><v>3.5E-2</v></c>\
             <c r=\"D2\"><v>1</v><f>stale</f></c>\
             <c r=\"E2\" t=\"b\"><v>0</v></c><c r=\"F2\" t=\"b\"><v>true</v></c>\
             <c r=\"G2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"H2\" t=\"e\"><v>#N/A</v></c>\
             <c r=\"I2\" t=\"n\"><v>-0</v></c><c r=\"J2\"><v>1.7976931348623157E308</v></c>\
             <c r=\"K2\"><v>0.30000000000000004</v></c><c r=\"L2\"><v>123456789012345678901234567890</v></c>\
             <c r=\"M2\" s=\"1\"/><c r=\"N2\"><v></v></c><c r=\"O2\" t=\"s\"><v></v></c></row>";
    let wb = agree(&one_sheet(&data, "", &[], Some(styles)));
    let s = &wb.sheets[0];
    let kinds: Vec<&str> = (0..12)
        .map(|c| match s.get(0, c) {
            Cell::Date(_) => "date",
            Cell::Number(_) => "num",
            _ => "?",
        })
        .collect();
    // s=11 is past cellXfs: no format, a number (as in calamine).
    assert_eq!(
        kinds,
        [
            "num", "date", "num", "date", "date", "num", "date", "date", "date", "num", "date",
            "num"
        ]
    );
    #[rustfmt::skip]
    expect(s, &[
        // D2 `<v>1</v><f>stale</f>`: the saved value stands, whatever the order of the children.
        (1, 0, Cell::Number(91434.5)), (1, 2, Cell::Number(0.035)), (1, 3, Cell::Number(1.0)),
        (1, 4, Cell::Bool(false)), (1, 5, Cell::Bool(true)),
        (1, 6, Cell::Error("#DIV/0!".into())), (1, 7, Cell::Error("#N/A".into())),
    ]);
}

#[test]
fn positions_without_references_count_as_calamine_counts() {
    let data = "<row><c><v>1</v></c><c><v>2</v></c></row>\
                <row r=\"4\"><c><v>3</v></c><c r=\"D4\"><v>4</v></c><c><v>5</v></c></row>\
                <row><c r=\"B5\"><v>6</v></c><c/><c><v>7</v></c></row>\
                <row r=\"B7\" spans=\"1:3\"><c><v>8</v></c></row>";
    let wb = agree(&one_sheet(data, "", &[], None));
    #[rustfmt::skip]
    expect(&wb.sheets[0], &[
        (0, 1, Cell::Number(2.0)), (3, 0, Cell::Number(3.0)), (3, 4, Cell::Number(5.0)),
        (4, 3, Cell::Number(7.0)), (6, 0, Cell::Number(8.0)),
    ]);
}

#[test]
fn merges_in_the_same_pass_including_single_cells() {
    let data = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>title</t></is></c></row>";
    let after = "<mergeCells count=\"3\"><mergeCell ref=\"A1:G1\"/><mergeCell ref=\"B2\"/><mergeCell ref=\"c3:d5\"/></mergeCells>\
                 <pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>\
                 <extLst><ext uri=\"{x}\" xmlns:x14=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main\"><x14:foo a=\"1\"/></ext></extLst>";
    let wb = agree(&one_sheet(data, after, &[], None));
    assert_eq!(
        wb.sheets[0].merges,
        [
            Merge {
                r0: 0,
                c0: 0,
                r1: 0,
                c1: 6
            },
            Merge {
                r0: 1,
                c0: 1,
                r1: 1,
                c1: 1
            },
            Merge {
                r0: 2,
                c0: 2,
                r1: 4,
                c1: 3
            },
        ]
    );
}

#[test]
fn excel_style_markup_prefixes_and_whitespace() {
    // As Excel writes it: namespaced attributes, dimension, views, cols, spans; plus a
    // prefixed (strict-style) sheet and pretty-printed XML with CRLF.
    let excel = format!(
        "{DECL}<worksheet xmlns=\"{NS}\" xmlns:r=\"{REL}\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
         xmlns:x14ac=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac\" mc:Ignorable=\"x14ac\">\
         <dimension ref=\"A1:C2\"/><sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><selection activeCell=\"A1\" sqref=\"A1\"/></sheetView></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"13.5\" x14ac:dyDescent=\"0.15\"/><cols><col min=\"1\" max=\"1\" width=\"9\" customWidth=\"1\"/></cols>\
         <sheetData><row r=\"1\" spans=\"1:3\" x14ac:dyDescent=\"0.15\"><c r=\"A1\" s=\"1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"2\"><v>45717</v></c></row>\
         <row r=\"2\" spans=\"1:3\" ht=\"14.25\" customHeight=\"1\" x14ac:dyDescent=\"0.15\"><c r=\"C2\" s=\"1\"><v>12.5</v></c></row></sheetData>\
         <phoneticPr fontId=\"1\" type=\"noConversion\"/><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>\
         <pageSetup paperSize=\"9\" orientation=\"portrait\" r:id=\"rId1\"/></worksheet>"
    );
    let prefixed = format!(
        "{DECL}<x:worksheet xmlns:x=\"{NS}\">\r\n  <x:sheetData>\r\n    <x:row r=\"1\">\r\n      <x:c r=\"A1\" t=\"s\">\r\n        <x:v>0</x:v>\r\n      </x:c>\r\n\
         <x:c r=\"B1\" s='2'><x:v>45717</x:v></x:c>\r\n    </x:row>\r\n  </x:sheetData>\r\n\
         <x:mergeCells count=\"1\">\r\n <x:mergeCell ref=\"A1:B1\" />\r\n</x:mergeCells>\r\n</x:worksheet>\r\n"
    );
    let styles = styles_xml(&[(176, "yyyy/m/d")], &[0, 0, 176]);
    let bytes = book(
        &[("Excel", excel), ("前缀", prefixed)],
        Some(sst_xml(&["<t>指标</t>"])),
        Some(styles),
    );
    let wb = agree(&bytes);
    assert_eq!(wb.sheets[0].get(0, 1), &Cell::date(45717.0, false));
    assert_eq!(wb.sheets[1].get(0, 0), &Cell::Text("指标".into()));
    assert_eq!(wb.sheets[1].get(0, 1), &Cell::date(45717.0, false));
    assert_eq!(
        wb.sheets[1].merges,
        [Merge {
            r0: 0,
            c0: 0,
            r1: 0,
            c1: 1
        }]
    );
}

#[test]
fn workbook_parts_found_where_calamine_finds_them() {
    let sheet = sheet_xml(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>1</v></c></row>",
        "",
    );
    let sst = sst_xml(&["<t>x</t>"]);
    let styles = styles_xml(&[], &[0, 14]);
    // Absolute targets, a chartsheet and a dialogsheet, date1904, a hidden sheet with an
    // escaped name, defined names, mixed-case part names, stored (uncompressed) entries.
    let chart = format!("{DECL}<chartsheet xmlns=\"{NS}\" xmlns:r=\"{REL}\"><sheetPr/><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews><drawing r:id=\"rId1\"/></chartsheet>");
    let dialog = format!("{DECL}<dialogsheet xmlns=\"{NS}\"><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews></dialogsheet>");
    let workbook = format!(
        "{DECL}<workbook xmlns=\"{NS}\" xmlns:r=\"{REL}\"><workbookPr date1904=\"1\"/><bookViews><workbookView/></bookViews><sheets>\
         <sheet name=\"图表\" sheetId=\"3\" r:id=\"rId3\"/><sheet name=\"数据&amp;&lt;1&gt;\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>\
         <sheet name=\"对话\" sheetId=\"4\" r:id=\"rId4\"/><sheet name=\"二\" sheetId=\"2\" r:id=\"rId2\"/></sheets>\
         <definedNames><definedName name=\"_xlnm.Print_Area\" localSheetId=\"0\">'数据'!$A$1:$B$1</definedName></definedNames>\
         <calcPr calcId=\"191029\"/></workbook>"
    );
    let rels = book_rels(&[
        ("rId1", "worksheet", "/xl/worksheets/Sheet1.xml"),
        ("rId2", "worksheet", "worksheets/sheet2.xml"),
        ("rId3", "chartsheet", "chartsheets/sheet1.xml"),
        ("rId4", "dialogsheet", "dialogsheets/sheet1.xml"),
        ("rId5", "theme", "theme/theme1.xml"),
        ("rId6", "styles", "styles.xml"),
        ("rId7", "sharedStrings", "/xl/sharedStrings.xml"),
    ]);
    for stored in [false, true] {
        let bytes = zip(
            &[
                ("[Content_Types].xml", String::from("<Types/>")),
                ("_rels/.rels", package_rels("/xl/workbook.xml")),
                ("xl/workbook.xml", workbook.clone()),
                ("xl/_rels/workbook.xml.rels", rels.clone()),
                ("xl/worksheets/sheet1.xml", sheet.clone()),
                ("XL/Worksheets/Sheet2.xml", sheet.clone()),
                ("xl/chartsheets/sheet1.xml", chart.clone()),
                ("xl/dialogsheets/sheet1.xml", dialog.clone()),
                ("xl/sharedStrings.xml", sst.clone()),
                ("xl/Styles.xml", styles.clone()),
            ],
            stored,
        );
        let wb = agree(&bytes);
        let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["数据&<1>", "二"]);
        // date1904 changes the epoch, not the serial: serial 1 is 1904-01-02.
        assert_eq!(wb.sheets[1].get(0, 1), &Cell::date(1.0, true));
        assert_eq!(wb.sheets[1].get(0, 1).display(), "1904-01-02");
        assert_eq!(grid(&read_bytes(&bytes).unwrap()), grid(&wb));
    }
}

#[test]
fn parts_kept_from_one_workbook_never_leak_into_the_next() {
    // Byte-identical rels and workbook parts, different styles (and, once, different sheet
    // names): read in turns on one thread, each must still be read as itself.
    let data = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>45717</v></c></row>";
    let dated = one_sheet(data, "", &[], Some(styles_xml(&[], &[0, 14])));
    let plain = one_sheet(data, "", &[], Some(styles_xml(&[], &[0, 0])));
    let unstyled = one_sheet(data, "", &[], None);
    let renamed = book(
        &[("改名", sheet_xml(data, ""))],
        None,
        Some(styles_xml(&[], &[0, 14])),
    );
    let broken = one_sheet("<!-- declined -->", "", &[], Some(styles_xml(&[], &[0, 0])));
    for _ in 0..2 {
        for (bytes, name, cell) in [
            (&dated, "Sheet1", Cell::date(45717.0, false)),
            (&plain, "Sheet1", Cell::Number(45717.0)),
            (&dated, "Sheet1", Cell::date(45717.0, false)),
            (&unstyled, "Sheet1", Cell::Number(45717.0)),
            (&renamed, "改名", Cell::date(45717.0, false)),
            (&dated, "Sheet1", Cell::date(45717.0, false)),
        ] {
            let wb = agree(bytes);
            assert_eq!(wb.sheets[0].name, name);
            assert_eq!(wb.sheets[0].get(0, 0), &cell);
        }
        falls_back(&broken);
    }
}

#[test]
fn unsure_cases_fall_back_to_calamine() {
    let plain = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>";
    // A comment, CDATA, an unknown entity, a number calamine reads as text, a leading-space
    // number, a duplicate sheet name, mergeCells before the data, a reversed merge.
    falls_back(&one_sheet(&format!("<!-- note -->{plain}"), "", &[], None));
    falls_back(&one_sheet(plain, "", &["<t><![CDATA[x]]></t>"], None));
    falls_back(&one_sheet(
        "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&nbsp;</v></c></row>",
        "",
        &[],
        None,
    ));
    falls_back(&one_sheet(
        "<row r=\"1\"><c r=\"A1\"><v>12abc</v></c></row>",
        "",
        &[],
        None,
    ));
    falls_back(&one_sheet(
        "<row r=\"1\"><c r=\"A1\"><v> 1</v></c></row>",
        "",
        &[],
        None,
    ));
    falls_back(&book(
        &[
            ("same", sheet_xml(plain, "")),
            ("same", sheet_xml(plain, "")),
        ],
        None,
        None,
    ));
    falls_back(&book(
        &[(
            "m",
            format!("{DECL}<worksheet xmlns=\"{NS}\"><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells><sheetData>{plain}</sheetData></worksheet>"),
        )],
        None,
        None,
    ));
    // A shared string index past the table and a cell type calamine rejects: its errors.
    falls_back(&one_sheet(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>",
        "",
        &["<t>x</t>"],
        None,
    ));
    falls_back(&one_sheet(
        "<row r=\"1\"><c r=\"A1\" t=\"x\"><v>1</v></c></row>",
        "",
        &[],
        None,
    ));
    // Shared strings the rels place elsewhere: calamine does not see them.
    let bytes = zip(
        &[
            ("_rels/.rels", package_rels("xl/workbook.xml")),
            ("xl/workbook.xml", workbook_xml(&[("S", "rId1")], "")),
            (
                "xl/_rels/workbook.xml.rels",
                book_rels(&[
                    ("rId1", "worksheet", "worksheets/sheet1.xml"),
                    ("rId2", "sharedStrings", "strings/sst.xml"),
                ]),
            ),
            (
                "xl/worksheets/sheet1.xml",
                sheet_xml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", ""),
            ),
            ("xl/strings/sst.xml", sst_xml(&["<t>x</t>"])),
        ],
        false,
    );
    falls_back(&bytes);
    // Truncated: calamine's error message.
    let good = one_sheet(plain, "", &[], None);
    falls_back(&good[..good.len() / 2]);
}

// ---------------------------------------------------------------------------------------------
// Generated sheets: wherever the fast path answers, it answers as calamine does.

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

#[test]
fn generated_sheets_agree_wherever_the_fast_path_answers() {
    let strings = [
        "<t>指标</t>",
        "<t xml:space=\"preserve\"> 本月 </t>",
        "<t>a&amp;b_x000D_</t>",
        "<r><t>上</t></r><r><rPr><b/></rPr><t>转</t></r><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh>",
        "<t/>",
        "<t>  </t>",
        "<t>x\r\ny</t>",
    ];
    let numbers = [
        "0",
        "1",
        "-2.5",
        "1E-3",
        "4000",
        "0.1",
        "3.0000000000000004",
        "1e308",
        "2.2250738585072014E-308",
        "9007199254740993",
        "123456789.123456789",
        "-0",
        "5.26",
        "1.5e+2",
    ];
    let texts = [
        "a &amp; b",
        "x_x000D_y",
        "&lt;tag&gt;",
        "line\r\nend",
        "&#x1F600;",
        "plain",
    ];
    // Outside the fast path's subset (calamine decides), used in a third of the cases.
    let odd_numbers = ["+1", " 1", ".5", "1.", "abc", "1e999", "0x1", "NaN", "-INF"];
    let odd_texts = ["&#0;", "<![CDATA[x]]>", "<!-- c -->x"];
    let gaps = ["", "", "", " ", "\r\n  "];
    let mut rng = Lcg(0x5eed);
    let (mut answered, mut declined) = (0, 0);
    for case in 0..400 {
        let odd = case % 3 == 0;
        let xfs = rng.next(4);
        let styles = (rng.next(4) > 0).then(|| {
            let ids = [0u32, 14, 176, 177, 22, 46, 58, 10];
            let picked: Vec<u32> = (0..=xfs).map(|_| ids[rng.next(ids.len())]).collect();
            styles_xml(
                &[
                    (176, "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"),
                    (177, "0.0%"),
                ],
                &picked,
            )
        });
        let mut data = String::new();
        let mut row = 0;
        for _ in 0..rng.next(6) + 1 {
            row += rng.next(3) + 1;
            let gap = rng.pick(&gaps);
            data += &if rng.next(4) == 0 {
                "<row>".to_string()
            } else {
                format!("<row r=\"{row}\" spans=\"1:5\">")
            };
            let mut col = 0;
            for _ in 0..rng.next(6) {
                col += rng.next(3);
                let at = if rng.next(5) == 0 {
                    String::new()
                } else {
                    format!(" r=\"{}{row}\"", (b'A' + col as u8) as char)
                };
                let s = match rng.next(3) {
                    0 => String::new(),
                    _ => format!(" s=\"{}\"", rng.next(xfs + 2)),
                };
                let (num, text) = if odd && rng.next(6) == 0 {
                    (rng.pick(&odd_numbers), rng.pick(&odd_texts))
                } else {
                    (rng.pick(&numbers), rng.pick(&texts))
                };
                let cell = match rng.next(12) {
                    0 => format!("<c{at}{s} t=\"s\"><v>{}</v></c>", rng.next(strings.len())),
                    1 => format!("<c{at} t=\"str\"><v>{text}</v></c>"),
                    2 => format!("<c{at} t=\"inlineStr\"><is>{}</is></c>", rng.pick(&strings)),
                    3 => format!(
                        "<c{at} t=\"b\"><v>{}</v></c>",
                        rng.pick(&["0", "1", "true", "FALSE", if odd { "2" } else { " 1 " }])
                    ),
                    4 => format!(
                        "<c{at} t=\"e\"><v>{}</v></c>",
                        rng.pick(&["#N/A", "#REF!", if odd { "#SPILL!" } else { "#VALUE!" }])
                    ),
                    5 if rng.next(3) == 0 => format!("<c{at}{s}><f>SUM(A1:A2)</f></c>"),
                    5 => format!("<c{at}{s}><f>SUM(A1:A2)</f><v>{num}</v></c>"),
                    6 => format!("<c{at}{s}/>"),
                    7 => format!("<c{at} t=\"d\"><v>2025-0{}-01</v></c>", rng.next(9) + 1),
                    _ => format!(
                        "<c{at}{s}{}><v>{num}</v></c>",
                        rng.pick(&["", "", " t=\"n\""])
                    ),
                };
                data += &cell;
                data += gap;
                col += 1;
            }
            data += "</row>";
            data += gap;
        }
        if rng.next(40) == 0 {
            data += "<row r=\"200000\"><c r=\"A200000\"><v>1</v></c></row>";
        }
        let after = match rng.next(3) {
            0 => String::new(),
            _ => format!(
                "<mergeCells count=\"2\"><mergeCell ref=\"A1:{}1\"/><mergeCell ref=\"B{}\"/></mergeCells>",
                (b'A' + rng.next(6) as u8) as char,
                rng.next(9) + 1
            ),
        };
        let bytes = one_sheet(&data, &after, &strings, styles);
        match xlsx_readers::fast(&bytes) {
            None => declined += 1,
            Some(fast) => {
                answered += 1;
                match (fast, xlsx_readers::calamine(&bytes)) {
                    (Ok(a), Ok(b)) => assert_eq!(grid(&a), grid(&b), "case {case}:\n{data}"),
                    (Err(a), Err(b)) => assert_eq!(a, b, "case {case}"),
                    (a, b) => panic!("case {case}: fast {a:?}, calamine {b:?}\n{data}"),
                }
            }
        }
    }
    // Both sides must be exercised.
    assert!(
        answered > 200 && declined > 60,
        "answered {answered}, declined {declined}"
    );
}
