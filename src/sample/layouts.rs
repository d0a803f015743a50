//! The files of the sample: which member sends what, in which layout and format, and the facts
//! (member, month, item, value) each file carries so the truth is read off what was written.

use super::grid::{csv_field, t, Cell, Enc, Sheet, Style};
use super::model::{
    figures, figures_variant, lead_departments, lead_unmapped, sample_periods, submit_date,
    transpose_typo, ytd, Figures, Period, Rng, CORRECTION, DEPT_COLUMNS, MISSING_SUBMISSION,
    QINGSHAN_JOINED, SUM_ROW_FAULT,
};

/// What ends up on disk for one planned file.
pub(crate) enum Body {
    Xlsx(Vec<Sheet>),
    Ods(Vec<Sheet>),
    /// BIFF8 bytes made by scripts/make_xls_fixtures.py from `sheets`.
    Xls {
        sheets: Vec<Sheet>,
        asset: &'static str,
        bytes: &'static [u8],
    },
    /// CSV or HTML text and the encoding it is saved in.
    Text(String, Enc),
}

#[derive(Clone, Debug)]
pub(crate) struct Fact {
    pub member: &'static str,
    pub period: Period,
    pub code: &'static str,
    pub value: f64,
    /// true: a value of the 去年同月 column (period is then the month it describes).
    pub prior: bool,
}

pub(crate) struct Planned {
    /// Path relative to the sample directory, '/'-separated.
    pub rel: String,
    pub body: Body,
    pub facts: Vec<Fact>,
}

// ---------------------------------------------------------------- number text

#[derive(Clone, Copy, Debug)]
enum TextStyle {
    Plain,
    Comma,
    FullWidth,
    Padded,
}

fn with_commas(v: f64) -> String {
    let s = super::grid::fmt_num(v);
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s.as_str(), ""),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out + frac
}

pub(crate) fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn text_num(v: f64, style: TextStyle) -> String {
    let plain = super::grid::fmt_num(v);
    match style {
        TextStyle::Plain => plain,
        TextStyle::Comma => with_commas(v),
        TextStyle::FullWidth if !plain.contains('.') => full_width(&plain),
        TextStyle::FullWidth => with_commas(v),
        TextStyle::Padded => format!(" {} ", plain),
    }
}

/// A number cell, or now and then the same number typed as text.
fn value_cell(v: f64, rng: &mut Rng, rate: f64, styles: &[TextStyle]) -> Cell {
    if !styles.is_empty() && rng.unit() < rate {
        let s = styles[rng.below(styles.len() as u64) as usize];
        Cell::Text(text_num(v, s))
    } else {
        Cell::Num(v)
    }
}

fn col_letter(c: usize) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

#[derive(Clone, Copy)]
enum DateFmt {
    Iso,
    Cn,
    Cn2,
    Slash,
}

fn fmt_date(d: (i32, u32, u32), f: DateFmt) -> String {
    let (y, m, dd) = d;
    match f {
        DateFmt::Iso => format!("{y}-{m:02}-{dd:02}"),
        DateFmt::Cn => format!("{y}年{m}月{dd}日"),
        DateFmt::Cn2 => format!("{y}年{m:02}月{dd:02}日"),
        DateFmt::Slash => format!("{y}/{m}/{dd}"),
    }
}

// ---------------------------------------------------------------- vertical form

/// One item row of a vertical form: label as the member writes it, unit, metric code.
/// Codes starting with `=` are derived indicators (病床使用率, 平均住院日); `@` is the lead's
/// unmapped 医技检查人次.
type VRow = (&'static str, &'static str, &'static str);

const COUNTY_PEOPLES_ROWS: &[VRow] = &[
    ("门急诊诊疗人次", "人次", "outpatient_visits"),
    ("  其中：急诊人次", "人次", "emergency_visits"),
    ("入院人数", "人次", "admissions"),
    ("出院人数", "人次", "discharges"),
    ("实际开放床位数", "张", "open_beds"),
    ("实际开放总床日数", "床日", "open_bed_days"),
    ("实际占用总床日数", "床日", "occupied_bed_days"),
    ("出院者占用总床日数", "床日", "discharged_bed_days"),
    ("病床使用率", "%", "=bed_occupancy"),
    ("平均住院日", "日", "=avg_los"),
    ("住院手术台次", "台次", "inpatient_surgeries"),
    ("其中：一级手术", "台次", "surgeries_grade1"),
    ("其中：二级手术", "台次", "surgeries_grade2"),
    ("  其中：三级手术", "台次", "surgeries_grade3"),
    ("#四级手术", "台次", "surgeries_grade4"),
    ("微创手术例数", "台次", "mis_surgeries"),
    ("日间手术例数", "台次", "day_surgeries"),
    ("出院患者择期手术台次", "台次", "elective_surgeries"),
    ("预约诊疗人次", "人次", "appointment_visits"),
    ("抗菌药物累计DDD数", "DDD", "antibiotic_ddds"),
    ("上转患者人次", "人次", "referrals_up"),
    ("下转患者人次", "人次", "referrals_down"),
    ("下沉专家坐诊人次", "人次", "expert_visits"),
    ("进修培训人次", "人次", "staff_trained"),
    ("新技术新项目数", "项", "new_techniques"),
    ("医疗收入（万元）", "万元", "medical_revenue"),
    ("其中：门诊收入", "万元", "outpatient_revenue"),
    ("其中：住院收入", "万元", "inpatient_revenue"),
    ("药品收入", "万元", "drug_revenue"),
    ("卫生材料收入", "万元", "material_revenue"),
    ("医疗服务收入", "万元", "service_revenue"),
    ("医保基金收入", "万元", "insurance_revenue"),
    ("执业（助理）医师数", "人", "physicians"),
    ("注册护士数", "人", "nurses"),
];

const COUNTY_TCM_ROWS: &[VRow] = &[
    ("门急诊人次", "人次", "outpatient_visits"),
    ("急诊量", "人次", "emergency_visits"),
    ("入院人次", "人次", "admissions"),
    ("出院患者人次", "人次", "discharges"),
    ("开放床位数", "张", "open_beds"),
    ("开放总床日数", "床日", "open_bed_days"),
    ("占用总床日数", "床日", "occupied_bed_days"),
    ("出院患者占用总床日数", "床日", "discharged_bed_days"),
    ("病床使用率(%)", "%", "=bed_occupancy"),
    ("出院者平均住院日", "天", "=avg_los"),
    ("出院患者手术台次", "台次", "inpatient_surgeries"),
    ("其中:一级手术例数", "台次", "surgeries_grade1"),
    ("其中:二级手术例数", "台次", "surgeries_grade2"),
    ("其中:三级手术例数", "台次", "surgeries_grade3"),
    ("其中:四级手术例数", "台次", "surgeries_grade4"),
    ("微创手术", "台次", "mis_surgeries"),
    ("日间手术", "台次", "day_surgeries"),
    ("向上转诊人次", "人次", "referrals_up"),
    ("向下转诊人次", "人次", "referrals_down"),
    ("专家下沉坐诊人次", "人次", "expert_visits"),
    ("进修人数", "人", "staff_trained"),
    ("新技术新项目", "项", "new_techniques"),
    ("医疗总收入(万元)", "万元", "medical_revenue"),
];

const MATERNAL_ROWS: &[VRow] = &[
    ("门急诊诊疗人次", "人次", "outpatient_visits"),
    ("急诊人次", "人次", "emergency_visits"),
    ("入院人数", "人次", "admissions"),
    ("出院人次", "人次", "discharges"),
    ("实际开放床位", "张", "open_beds"),
    ("实际开放总床日数", "床日", "open_bed_days"),
    ("实际占用总床日数", "床日", "occupied_bed_days"),
    ("出院者占用总床日数", "床日", "discharged_bed_days"),
    ("病床使用率", "%", "=bed_occupancy"),
    ("住院手术人次", "人次", "inpatient_surgeries"),
    ("一级手术例数", "台次", "surgeries_grade1"),
    ("二级手术例数", "台次", "surgeries_grade2"),
    ("三级手术例数", "台次", "surgeries_grade3"),
    ("四级手术例数", "台次", "surgeries_grade4"),
    ("微创手术例数", "台次", "mis_surgeries"),
    ("日间手术例数", "台次", "day_surgeries"),
    ("上转人次", "人次", "referrals_up"),
    ("下转人次", "人次", "referrals_down"),
    ("专家坐诊人次", "人次", "expert_visits"),
    ("进修人次", "人次", "staff_trained"),
    ("新技术新项目数", "项", "new_techniques"),
    ("医疗收入", "万元", "medical_revenue"),
];

const CHENGGUAN_ROWS: &[VRow] = &[
    ("门急诊人次", "人次", "outpatient_visits"),
    ("入院人次", "人次", "admissions"),
    ("出院人次", "人次", "discharges"),
    ("实际开放床位数", "张", "open_beds"),
    ("实际开放总床日数", "床日", "open_bed_days"),
    ("实际占用总床日数", "床日", "occupied_bed_days"),
    ("出院者占用总床日数", "床日", "discharged_bed_days"),
    ("病床使用率", "%", "=bed_occupancy"),
    ("住院手术例数", "台次", "inpatient_surgeries"),
    ("其中：一级手术", "台次", "surgeries_grade1"),
    ("其中：二级手术", "台次", "surgeries_grade2"),
    ("微创手术", "台次", "mis_surgeries"),
    ("日间手术", "台次", "day_surgeries"),
    ("上转人次", "人次", "referrals_up"),
    ("下沉专家坐诊人次", "人次", "expert_visits"),
    ("家庭医生签约人数", "人", "family_doctor_contracts"),
    ("医疗收入(万元)", "万元", "medical_revenue"),
];

const XINHUA_ROWS: &[VRow] = &[
    ("门诊急诊人次", "人次", "outpatient_visits"),
    ("入院人数", "人次", "admissions"),
    ("出院人数", "人次", "discharges"),
    ("开放床位", "张", "open_beds"),
    ("开放总床日数", "床日", "open_bed_days"),
    ("占用总床日数", "床日", "occupied_bed_days"),
    ("出院患者占用总床日数", "床日", "discharged_bed_days"),
    ("平均住院日", "日", "=avg_los"),
    ("向上转诊人次", "人次", "referrals_up"),
    ("专家坐诊人次", "人次", "expert_visits"),
    ("家庭医生签约居民数", "人", "family_doctor_contracts"),
    ("医疗总收入(万元)", "万元", "medical_revenue"),
];

const LEAD_REMOTE_ROWS: &[VRow] = &[
    ("远程影像诊断报告数", "例", "remote_imaging"),
    ("远程心电诊断", "例", "remote_ecg"),
    ("远程超声", "例", "remote_ultrasound"),
    ("远程会诊例数", "例", "remote_consults"),
    ("医技检查人次", "人次", "@unmapped"),
    ("下转患者人次", "人次", "referrals_down"),
    ("进修培训人次", "人次", "staff_trained"),
    ("新技术新项目", "项", "new_techniques"),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Label,
    Unit,
    Month,
    Prior,
    Yoy,
    Ytd,
    PriorYtd,
}

const FULL_COLS: &[(&str, Col)] = &[
    ("指标名称", Col::Label),
    ("单位", Col::Unit),
    ("本月", Col::Month),
    ("去年同月", Col::Prior),
    ("同比增减(%)", Col::Yoy),
    ("本年累计", Col::Ytd),
    ("去年同期累计", Col::PriorYtd),
];

const HIS_COLS: &[(&str, Col)] = &[
    ("项目", Col::Label),
    ("单位", Col::Unit),
    ("本月数", Col::Month),
    ("去年同月数", Col::Prior),
    ("同比(%)", Col::Yoy),
    ("本年累计", Col::Ytd),
    ("去年同期累计", Col::PriorYtd),
];

const SHORT_COLS: &[(&str, Col)] = &[
    ("指标名称", Col::Label),
    ("单位", Col::Unit),
    ("本月", Col::Month),
    ("本年累计", Col::Ytd),
];

/// A row above the header and its merges as (first_col, last_col).
type HeadRow = (Vec<Cell>, Vec<(u16, u16)>);

struct VForm {
    member: &'static str,
    period: Period,
    /// The first, wrong version of a corrected submission.
    original: bool,
    sheet: &'static str,
    /// Rows above the header: cells and, per row, merges as (first_col, last_col).
    head: Vec<HeadRow>,
    cols: &'static [(&'static str, Col)],
    rows: &'static [VRow],
    /// Written in every value cell of an item the member does not report (cycled per row).
    none_marks: &'static [&'static str],
    text_rate: f64,
    text_styles: &'static [TextStyle],
    /// 同比 as a formula with a cached value where both operands are numbers.
    formulas: bool,
    footer: Vec<String>,
    widths: Vec<f64>,
}

fn derived(code: &str, get: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    let (num, den, scale) = match code {
        "=bed_occupancy" => ("occupied_bed_days", "open_bed_days", 100.0),
        "=avg_los" => ("discharged_bed_days", "discharges", 1.0),
        _ => return None,
    };
    let (n, d) = (get(num)?, get(den)?);
    if d == 0.0 {
        return None;
    }
    Some((n / d * scale * 100.0).round() / 100.0)
}

fn yoy(cur: Option<f64>, prior: Option<f64>) -> Option<f64> {
    match (cur, prior) {
        (Some(c), Some(p)) if p != 0.0 => Some(((c - p) / p * 100.0 * 100.0).round() / 100.0),
        _ => None,
    }
}

/// Builds a vertical form (月报表) and the facts it carries.
fn vertical(v: &VForm) -> (Sheet, Vec<Fact>) {
    let per = v.period;
    let prev = per.add(-12);
    let cur_f = figures_variant(v.member, per, v.original).unwrap_or_default();
    let prior_f = figures(v.member, prev).unwrap_or_default();
    let get_cur = |c: &str| cur_f.get(c);
    let get_prior = |c: &str| prior_f.get(c);
    let get_ytd = |c: &str| ytd(v.member, per, c, v.original);
    let get_pytd = |c: &str| ytd(v.member, prev, c, false);
    let mut rng = Rng::keyed(&[
        v.member,
        &per.ym(),
        "text",
        if v.original { "o" } else { "" },
    ]);

    let mut sh = Sheet::new(v.sheet);
    sh.widths = v.widths.clone();
    let ncols = v.cols.len() as u16;
    for (i, (cells, merges)) in v.head.iter().enumerate() {
        let style = if i == 0 { Style::Title } else { Style::Normal };
        let r = sh.push(style, cells.clone());
        for (c1, c2) in merges {
            sh.merge(r, *c1, r, (*c2).min(ncols - 1));
        }
    }
    sh.push(Style::Header, v.cols.iter().map(|(h, _)| t(*h)).collect());
    let mcol = v.cols.iter().position(|c| c.1 == Col::Month).unwrap_or(2);
    let pcol = v.cols.iter().position(|c| c.1 == Col::Prior);

    let mut facts = Vec::new();
    let mut none_i = 0;
    for (label, unit, code) in v.rows {
        let r = sh.rows.len();
        let is_derived = code.starts_with('=');
        let unmapped = *code == "@unmapped";
        let (cur, prior, y, py) = if is_derived {
            (
                derived(code, &get_cur),
                derived(code, &get_prior),
                derived(code, &|c| get_ytd(c)),
                derived(code, &|c| get_pytd(c)),
            )
        } else if unmapped {
            let y: f64 = (1..=per.month)
                .map(|m| lead_unmapped(Period::new(per.year, m)))
                .sum();
            (Some(lead_unmapped(per)), None, Some(y), None)
        } else {
            (
                get_cur(code),
                get_prior(code),
                get_ytd(code),
                get_pytd(code),
            )
        };
        let blank = !is_derived && !unmapped && cur_f.blank.contains(*code);
        let reported = cur.is_some() || blank;
        let mark = if v.none_marks.is_empty() {
            "-"
        } else {
            v.none_marks[none_i % v.none_marks.len()]
        };
        if !reported {
            none_i += 1;
        }
        let mut row = Vec::new();
        let mut month_is_num = false;
        let mut prior_is_num = false;
        for (_, col) in v.cols {
            let cell = match col {
                Col::Label => t(*label),
                Col::Unit => t(*unit),
                Col::Month => match cur {
                    Some(x) if is_derived => Cell::Num(x),
                    Some(x) => {
                        let c = value_cell(x, &mut rng, v.text_rate, v.text_styles);
                        month_is_num = matches!(c, Cell::Num(_));
                        c
                    }
                    None if blank => Cell::Empty,
                    None => t(mark),
                },
                Col::Prior => match prior {
                    Some(x) => {
                        prior_is_num = true;
                        Cell::Num(x)
                    }
                    None if reported => Cell::Empty,
                    None => t(mark),
                },
                Col::Yoy => match yoy(cur, prior) {
                    Some(x) => Cell::Num(x),
                    None if reported => Cell::Empty,
                    None => t(mark),
                },
                Col::Ytd => match y {
                    Some(x) => Cell::Num(x),
                    None if reported => Cell::Empty,
                    None => t(mark),
                },
                Col::PriorYtd => match py {
                    Some(x) => Cell::Num(x),
                    None if reported => Cell::Empty,
                    None => t(mark),
                },
            };
            row.push(cell);
        }
        // 同比 as a live formula only where Excel could evaluate it to the cached value.
        if let (true, Some(pc), Some(yc)) = (
            v.formulas && month_is_num && prior_is_num,
            pcol,
            v.cols.iter().position(|c| c.1 == Col::Yoy),
        ) {
            if let Cell::Num(x) = row[yc] {
                let (m, p, rr) = (col_letter(mcol), col_letter(pc), r + 1);
                row[yc] = Cell::Formula(format!("=ROUND(({m}{rr}-{p}{rr})/{p}{rr}*100,2)"), x);
            }
        }
        sh.push(Style::Normal, row);
        if !is_derived && !unmapped {
            if let Some(x) = cur {
                facts.push(Fact {
                    member: v.member,
                    period: per,
                    code,
                    value: x,
                    prior: false,
                });
            }
            if let (Some(x), Some(_)) = (prior, pcol) {
                facts.push(Fact {
                    member: v.member,
                    period: prev,
                    code,
                    value: x,
                    prior: true,
                });
            }
        }
    }
    for line in &v.footer {
        sh.push(Style::Normal, vec![t(line.as_str())]);
    }
    (sh, facts)
}

fn title_row(text: &str) -> HeadRow {
    (vec![t(text)], vec![(0, 30)])
}

const VWIDTHS: [f64; 7] = [24.0, 8.0, 12.0, 12.0, 12.0, 12.0, 14.0];

// ---------------------------------------------------------------- members

fn lead_file(per: Period) -> Planned {
    let f = figures("lead", per).unwrap_or_default();
    let depts = lead_departments(per, &f);
    let date = fmt_date(submit_date("lead", per, ""), DateFmt::Iso);
    let mut sh = Sheet::new("科室明细");
    let ncols = DEPT_COLUMNS.len() + 1;
    sh.widths = std::iter::once(14.0)
        .chain(std::iter::repeat_n(12.0, ncols - 1))
        .collect();
    let r = sh.push(
        Style::Title,
        vec![t(format!("示例市第一人民医院{}科室运营数据", per.cn()))],
    );
    sh.merge(r, 0, r, (ncols - 1) as u16);
    let mut info = vec![Cell::Empty; ncols];
    info[0] = t("填报单位：示例市第一人民医院");
    info[ncols - 3] = t(format!("统计期间：{}", per.cn()));
    sh.push(Style::Normal, info);
    sh.push(
        Style::Header,
        std::iter::once(t("科室"))
            .chain(DEPT_COLUMNS.iter().map(|c| t(c.1)))
            .collect(),
    );
    let first = sh.rows.len();
    let mut rng = Rng::keyed(&["lead", &per.ym(), "text"]);
    let mut text_cols = vec![false; ncols];
    for d in &depts {
        let mut row = vec![t(d.name)];
        for (ci, (code, _)) in DEPT_COLUMNS.iter().enumerate() {
            let cell = match d.vals.get(code).copied().flatten() {
                Some(x) => value_cell(x, &mut rng, 0.03, &[TextStyle::Plain, TextStyle::Comma]),
                None => Cell::Empty,
            };
            if matches!(cell, Cell::Text(_)) {
                text_cols[ci + 1] = true;
            }
            row.push(cell);
        }
        sh.push(Style::Normal, row);
    }
    let last = sh.rows.len();
    // 合计: SUM, or SUMPRODUCT(--range) where a column holds numbers typed as text (SUM would
    // skip them and Excel's recalculation would disagree with the cached total).
    let mut total = vec![t("合计")];
    for (ci, (code, _)) in DEPT_COLUMNS.iter().enumerate() {
        let x = f.get(code).unwrap_or(0.0);
        let l = col_letter(ci + 1);
        let range = format!("{l}{}:{l}{}", first + 1, last);
        let formula = if text_cols[ci + 1] {
            format!("=SUMPRODUCT(--{range})")
        } else {
            format!("=SUM({range})")
        };
        total.push(Cell::Formula(formula, x));
    }
    sh.push(Style::Normal, total);
    sh.push(Style::Normal, vec![t("注：数据来源于医院HIS系统")]);
    sh.push(
        Style::Normal,
        vec![t(
            "填表人：陈晓明    审核人：刘建华    联系电话：0755-8812345",
        )],
    );
    sh.push(Style::Normal, vec![t(format!("填报日期：{date}"))]);

    let mut facts: Vec<Fact> = DEPT_COLUMNS
        .iter()
        .filter_map(|(code, _)| {
            f.get(code).map(|x| Fact {
                member: "lead",
                period: per,
                code,
                value: x,
                prior: false,
            })
        })
        .collect();

    let form = VForm {
        member: "lead",
        period: per,
        original: false,
        sheet: "远程医疗及协作",
        head: vec![
            title_row("示例市第一人民医院远程医疗及协作工作量统计"),
            (vec![t("填报单位：示例市第一人民医院")], vec![]),
            (vec![t(format!("统计期间：{}", per.cn()))], vec![]),
        ],
        cols: SHORT_COLS,
        rows: LEAD_REMOTE_ROWS,
        none_marks: &["-"],
        text_rate: 0.0,
        text_styles: &[],
        formulas: false,
        footer: vec![format!("填报日期：{date}")],
        widths: vec![24.0, 8.0, 12.0, 12.0],
    };
    let (remote, rf) = vertical(&form);
    facts.extend(rf);
    Planned {
        rel: format!("{}/市一院_{}科室运营数据.xlsx", per.ym(), per.cn()),
        body: Body::Xlsx(vec![sh, remote]),
        facts,
    }
}

fn county_peoples_form(per: Period, original: bool, corrected: bool) -> VForm {
    let name = if per.year >= 2025 && !(original || corrected) {
        "县人民医院"
    } else {
        "示例县人民医院"
    };
    let mut head = vec![title_row("示例医联体成员单位医疗业务月报表")];
    if per.month % 2 == 1 {
        let mut row = vec![Cell::Empty; 5];
        row[0] = t(format!("填报单位：{name}"));
        row[4] = t(format!("统计期间：{}", per.cn()));
        head.push((row, vec![]));
    } else {
        head.push((vec![t(format!("填报单位：{name}"))], vec![]));
        head.push((vec![t(format!("统计期间：{}", per.ym()))], vec![]));
    }
    let base = submit_date("county_peoples", per, "");
    let date = if corrected {
        (base.0, base.1, base.2 + 3)
    } else {
        base
    };
    let mut footer = vec!["填表人：张三    审核人：李四    联系电话：0755-1234567".to_string()];
    if corrected {
        footer.push("备注：本表为更正版，更正出院人数。".to_string());
    }
    footer.push(format!("填报日期：{}", fmt_date(date, DateFmt::Iso)));
    VForm {
        member: "county_peoples",
        period: per,
        original,
        sheet: "月报表",
        head,
        cols: FULL_COLS,
        rows: COUNTY_PEOPLES_ROWS,
        none_marks: &["-"],
        text_rate: 0.15,
        text_styles: &[TextStyle::Comma, TextStyle::FullWidth, TextStyle::Padded],
        formulas: true,
        footer,
        widths: VWIDTHS.to_vec(),
    }
}

fn county_peoples_files(per: Period) -> Vec<Planned> {
    let is_corr = per == CORRECTION.1;
    let (sh, facts) = vertical(&county_peoples_form(per, is_corr, false));
    let mut out = vec![Planned {
        rel: format!(
            "{}/示例县人民医院_{}医疗业务月报表.xlsx",
            per.ym(),
            per.cn()
        ),
        body: Body::Xlsx(vec![sh]),
        facts,
    }];
    if is_corr {
        let (sh, facts) = vertical(&county_peoples_form(per, false, true));
        out.push(Planned {
            rel: format!(
                "{}/示例县人民医院_{}医疗业务月报表_更正版.xlsx",
                per.add(1).ym(),
                per.cn()
            ),
            body: Body::Xlsx(vec![sh]),
            facts,
        });
    }
    out
}

fn county_tcm_form(per: Period) -> VForm {
    let name = if per.year >= 2025 {
        "县中医院"
    } else {
        "示例县中医医院"
    };
    let date = submit_date("county_tcm", per, "");
    VForm {
        member: "county_tcm",
        period: per,
        original: false,
        sheet: "月报",
        head: vec![
            title_row("示例医联体"),
            (vec![t("成员单位医疗业务月报表")], vec![(0, 6)]),
            (vec![t(format!("填报单位：{name}"))], vec![(0, 2)]),
        ],
        cols: FULL_COLS,
        rows: COUNTY_TCM_ROWS,
        none_marks: &["-"],
        text_rate: 0.05,
        text_styles: &[TextStyle::Plain],
        formulas: per.year < 2025,
        footer: vec![
            "填表人：孙明    审核人：周丽    联系电话：0755-2345678".to_string(),
            format!("填报日期：{}", fmt_date(date, DateFmt::Cn)),
        ],
        widths: VWIDTHS.to_vec(),
    }
}

/// BIFF8 files made by scripts/make_xls_fixtures.py (see its header to regenerate).
const XLS_ASSETS: [(&str, &[u8]); 12] = [
    (
        "county_tcm_2025-01.xls",
        include_bytes!("xls/county_tcm_2025-01.xls"),
    ),
    (
        "county_tcm_2025-02.xls",
        include_bytes!("xls/county_tcm_2025-02.xls"),
    ),
    (
        "county_tcm_2025-03.xls",
        include_bytes!("xls/county_tcm_2025-03.xls"),
    ),
    (
        "county_tcm_2025-04.xls",
        include_bytes!("xls/county_tcm_2025-04.xls"),
    ),
    (
        "county_tcm_2025-05.xls",
        include_bytes!("xls/county_tcm_2025-05.xls"),
    ),
    (
        "county_tcm_2025-06.xls",
        include_bytes!("xls/county_tcm_2025-06.xls"),
    ),
    (
        "county_tcm_2025-07.xls",
        include_bytes!("xls/county_tcm_2025-07.xls"),
    ),
    (
        "county_tcm_2025-08.xls",
        include_bytes!("xls/county_tcm_2025-08.xls"),
    ),
    (
        "county_tcm_2025-09.xls",
        include_bytes!("xls/county_tcm_2025-09.xls"),
    ),
    (
        "county_tcm_2025-10.xls",
        include_bytes!("xls/county_tcm_2025-10.xls"),
    ),
    (
        "county_tcm_2025-11.xls",
        include_bytes!("xls/county_tcm_2025-11.xls"),
    ),
    (
        "county_tcm_2025-12.xls",
        include_bytes!("xls/county_tcm_2025-12.xls"),
    ),
];

fn county_tcm_file(per: Period) -> Planned {
    let (sh, facts) = vertical(&county_tcm_form(per));
    if per.year >= 2025 {
        let (asset, bytes) = XLS_ASSETS[(per.month - 1) as usize];
        Planned {
            rel: format!("{}/县中医院{}报表.xls", per.ym(), per.cn2()),
            body: Body::Xls {
                sheets: vec![sh],
                asset,
                bytes,
            },
            facts,
        }
    } else {
        Planned {
            rel: format!("{}/县中医院{}报表.xlsx", per.ym(), per.cn2()),
            body: Body::Xlsx(vec![sh]),
            facts,
        }
    }
}

fn maternal_file(per: Period) -> Planned {
    let date = submit_date("maternal", per, "");
    let mut info = vec![Cell::Empty; 5];
    info[0] = t("填报单位：县妇幼");
    info[4] = t(format!("报表月份：{}", per.ym()));
    let form = VForm {
        member: "maternal",
        period: per,
        original: false,
        sheet: "医疗业务月报",
        head: vec![title_row("示例县妇幼保健院医疗业务月报"), (info, vec![])],
        cols: FULL_COLS,
        rows: MATERNAL_ROWS,
        none_marks: &["—"],
        text_rate: 0.05,
        text_styles: &[TextStyle::Padded, TextStyle::Plain],
        formulas: false,
        footer: vec![
            "填表人：吴芳    审核人：郑强    联系电话：0755-3456789".to_string(),
            format!("填报日期：{}", fmt_date(date, DateFmt::Slash)),
        ],
        widths: VWIDTHS.to_vec(),
    };
    let (sh, facts) = vertical(&form);
    Planned {
        rel: format!("{}/示例县妇幼保健院医疗业务月报_{}.ods", per.ym(), per.ym()),
        body: Body::Ods(vec![sh]),
        facts,
    }
}

fn chengguan_file(per: Period) -> Planned {
    let name = if per.year >= 2025 {
        "城关社区"
    } else {
        "城关社区卫生服务中心"
    };
    let date = submit_date("chengguan", per, "");
    let form = VForm {
        member: "chengguan",
        period: per,
        original: false,
        sheet: "Sheet1",
        head: vec![
            title_row("示例医联体成员单位医疗业务月报表"),
            (vec![t(format!("填报单位：{name}"))], vec![]),
            (vec![t(format!("统计期间：{}", per.cn()))], vec![]),
        ],
        cols: FULL_COLS,
        rows: CHENGGUAN_ROWS,
        none_marks: &["-", "无"],
        text_rate: 0.12,
        text_styles: &[TextStyle::Comma],
        formulas: false,
        footer: vec![
            "填表人：王五    审核人：赵六    联系电话：0755-7654321".to_string(),
            format!("填报日期：{}", fmt_date(date, DateFmt::Cn2)),
        ],
        widths: VWIDTHS.to_vec(),
    };
    let (sh, facts) = vertical(&form);
    Planned {
        rel: format!("{}/城关社区卫生服务中心_{}月报.csv", per.ym(), per.cn()),
        body: Body::Text(super::grid::csv_text(&sh), Enc::Gbk),
        facts,
    }
}

fn xinhua_file(per: Period) -> Planned {
    let date = submit_date("xinhua", per, "");
    let mut info = vec![Cell::Empty; 5];
    info[0] = t("填报单位：新华社区卫生服务中心");
    info[4] = t(format!(
        "统计期间：{}-01至{}-{:02}",
        per.ym(),
        per.ym(),
        per.days()
    ));
    let html = per.year < 2025;
    let form = VForm {
        member: "xinhua",
        period: per,
        original: false,
        sheet: "新华社区卫生服务中心业务数据月报",
        head: vec![
            title_row("新华社区卫生服务中心业务数据月报"),
            (info, vec![(0, 3), (4, 6)]),
        ],
        cols: HIS_COLS,
        rows: XINHUA_ROWS,
        none_marks: &["-"],
        text_rate: if html { 0.0 } else { 0.1 },
        text_styles: &[TextStyle::Comma],
        formulas: false,
        footer: vec![
            "填表人：钱红    审核人：孙伟    联系电话：0755-4567890".to_string(),
            format!("填报日期：{}", fmt_date(date, DateFmt::Iso)),
        ],
        widths: VWIDTHS.to_vec(),
    };
    let (sh, facts) = vertical(&form);
    let body = if html {
        Body::Text(super::grid::html_text(&sh), Enc::Utf8)
    } else {
        Body::Text(super::grid::csv_text(&sh), Enc::Gb18030)
    };
    Planned {
        rel: format!("{}/新华社区_HIS导出_{}.xls", per.ym(), per.compact()),
        body,
        facts,
    }
}

// ---------------------------------------------------------------- township summary

/// Metric of each column of the county summary after 序号 and 单位名称.
pub(crate) const SUMMARY_CODES: [&str; 16] = [
    "outpatient_visits",
    "discharges",
    "open_beds",
    "open_bed_days",
    "occupied_bed_days",
    "discharged_bed_days",
    "inpatient_surgeries",
    "surgeries_grade1",
    "surgeries_grade2",
    "surgeries_grade3",
    "surgeries_grade4",
    "referrals_up",
    "referrals_down",
    "expert_visits",
    "family_doctor_contracts",
    "medical_revenue",
];

fn summary_name(id: &str, per: Period) -> &'static str {
    match id {
        "dasha" if per.year == 2024 && (4..=8).contains(&per.month) => "大沙卫生院",
        "dasha" if per.year == 2025 && per.month.is_multiple_of(3) => "大沙镇卫生院",
        "dasha" => "大沙镇中心卫生院",
        "shimen" => "石门乡卫生院",
        "longquan" => "龙泉镇卫生院",
        _ => "青山镇卫生院",
    }
}

/// The summary goes out as .ods in these two months.
fn summary_is_ods(per: Period) -> bool {
    per == Period::new(2025, 4) || per == Period::new(2025, 5)
}

fn summary_file(per: Period) -> Planned {
    let ods = summary_is_ods(per);
    let mut sh = Sheet::new("汇总表");
    let ncols = 2 + SUMMARY_CODES.len();
    sh.widths = vec![6.0, 18.0];
    sh.widths
        .extend(std::iter::repeat_n(11.0, SUMMARY_CODES.len()));
    let r = sh.push(Style::Title, vec![t("示例县基层医疗卫生机构业务量汇总表")]);
    sh.merge(r, 0, r, (ncols - 1) as u16);
    let r = sh.push(Style::Normal, vec![t(per.cn())]);
    sh.merge(r, 0, r, 3);

    // Two-row header: 手术例数 and 转诊 span sub-columns, the rest span both rows.
    let top = [
        "序号",
        "单位名称",
        "门急诊人次",
        "出院人次",
        "实际开放床位数",
        "实际开放总床日数",
        "实际占用总床日数",
        "出院者占用总床日数",
        "手术例数",
        "",
        "",
        "",
        "",
        "转诊",
        "",
        "下沉专家坐诊人次",
        "家庭医生签约人数",
        "医疗收入(万元)",
    ];
    let h1 = sh.push(
        Style::Header,
        top.iter()
            .map(|s| if s.is_empty() { Cell::Empty } else { t(*s) })
            .collect(),
    );
    let mut sub = vec![Cell::Empty; ncols];
    // `手术例数 | 住院` reads 住院手术例数; a bare 合计 there would be the member's 手术例数.
    for (i, s) in ["住院", "一级", "二级", "三级", "四级"].iter().enumerate() {
        sub[8 + i] = t(*s);
    }
    sub[13] = t("上转人次");
    sub[14] = t("下转人次");
    let h2 = sh.push(Style::Header, sub);
    for c in 0..ncols as u16 {
        if !(8..=14).contains(&c) {
            sh.merge(h1, c, h2, c);
        }
    }
    sh.merge(h1, 8, h1, 12);
    sh.merge(h1, 13, h1, 14);

    let mut members = vec!["dasha", "shimen", "longquan"];
    if per >= QINGSHAN_JOINED {
        members.push("qingshan");
    }
    let mut facts = Vec::new();
    let mut sums: Vec<Option<f64>> = vec![None; SUMMARY_CODES.len()];
    let first = sh.rows.len();
    let formulas = !ods && per.month.is_multiple_of(2) && per != SUM_ROW_FAULT;
    let mut rng = Rng::keyed(&["summary", &per.ym(), "text"]);
    let mut seq = 0;
    for id in members {
        if id == MISSING_SUBMISSION.0 && per == MISSING_SUBMISSION.1 {
            continue;
        }
        let Some(f) = figures(id, per) else { continue };
        seq += 1;
        let mut row = vec![Cell::Num(seq as f64), t(summary_name(id, per))];
        for (i, code) in SUMMARY_CODES.iter().enumerate() {
            let cell = match f.get(code) {
                Some(x) => {
                    facts.push(Fact {
                        member: id,
                        period: per,
                        code,
                        value: x,
                        prior: false,
                    });
                    sums[i] = Some(sums[i].unwrap_or(0.0) + x);
                    let rate = if formulas { 0.0 } else { 0.04 };
                    value_cell(x, &mut rng, rate, &[TextStyle::Comma])
                }
                None if f.blank.contains(code) => Cell::Empty,
                None => t("-"),
            };
            row.push(cell);
        }
        sh.push(Style::Normal, row);
    }
    let last = sh.rows.len();
    let mut total = vec![Cell::Empty, t("合计")];
    for (i, s) in sums.iter().enumerate() {
        let cell = match s {
            Some(x) => {
                let x = (x * 100.0).round() / 100.0;
                if per == SUM_ROW_FAULT && i == 0 {
                    Cell::Num(transpose_typo(x))
                } else if formulas {
                    let l = col_letter(i + 2);
                    Cell::Formula(format!("=SUM({l}{}:{l}{})", first + 1, last), x)
                } else {
                    Cell::Num(x)
                }
            }
            None => t("-"),
        };
        total.push(cell);
    }
    sh.push(Style::Normal, total);
    let date = submit_date("county_bureau", per, "");
    sh.push(
        Style::Normal,
        vec![t(format!("制表日期：{}", fmt_date(date, DateFmt::Iso)))],
    );
    let ext = if ods { "ods" } else { "xlsx" };
    Planned {
        rel: format!("{}/{}基层医疗机构业务量汇总表.{ext}", per.ym(), per.cn()),
        body: if ods {
            Body::Ods(vec![sh])
        } else {
            Body::Xlsx(vec![sh])
        },
        facts,
    }
}

// ---------------------------------------------------------------- tidy tables

const QINGSHAN_NAMES: &[(&str, &str)] = &[
    ("outpatient_visits", "门急诊人次"),
    ("discharges", "出院人数"),
    ("open_beds", "实际开放床位"),
    ("open_bed_days", "开放总床日数"),
    ("occupied_bed_days", "占用总床日数"),
    ("discharged_bed_days", "出院患者占用总床日数"),
    ("inpatient_surgeries", "住院手术例数"),
    ("surgeries_grade1", "一级手术"),
    ("surgeries_grade2", "二级手术"),
    ("referrals_up", "上转人次"),
    ("expert_visits", "专家坐诊人次"),
    ("family_doctor_contracts", "家庭医生签约居民数"),
    ("medical_revenue", "医疗收入(万元)"),
];

fn qingshan_history() -> Planned {
    let mut text = String::from("单位名称,月份,指标,数值\r\n");
    let mut facts = Vec::new();
    for m in 1..=12 {
        let per = Period::new(2024, m);
        let f = figures("qingshan", per).unwrap_or_default();
        for (code, name) in QINGSHAN_NAMES {
            if let Some(x) = f.get(code) {
                text.push_str(&format!(
                    "青山镇卫生院,{},{},{}\r\n",
                    per.ym(),
                    csv_field(name),
                    super::grid::fmt_num(x)
                ));
                facts.push(Fact {
                    member: "qingshan",
                    period: per,
                    code,
                    value: x,
                    prior: false,
                });
            }
        }
    }
    Planned {
        rel: format!("{}/青山镇卫生院_2024年历史数据.csv", QINGSHAN_JOINED.ym()),
        body: Body::Text(text, Enc::Utf8Bom),
        facts,
    }
}

/// The village month and cell written in full-width digits.
pub(crate) const FULL_WIDTH_CELL: (&str, Period, &str) =
    ("hongxing", Period::new(2024, 10), "outpatient_visits");

fn village_file(per: Period) -> Planned {
    let names = [
        ("outpatient_visits", "门急诊人次"),
        ("referrals_up", "上转人次"),
        ("family_doctor_contracts", "家庭医生签约人数"),
    ];
    let mut text = String::from("机构,统计月份,指标名称,数值\r\n");
    let mut facts = Vec::new();
    for (id, name) in [("hongxing", "红星村卫生室"), ("shiqiao", "石桥村卫生室")] {
        let f: Figures = figures(id, per).unwrap_or_default();
        for (code, label) in names {
            if let Some(x) = f.get(code) {
                let mut s = super::grid::fmt_num(x);
                if (id, per, code) == FULL_WIDTH_CELL {
                    s = full_width(&s);
                }
                text.push_str(&format!("{name},{},{label},{s}\r\n", per.ym()));
                facts.push(Fact {
                    member: id,
                    period: per,
                    code,
                    value: x,
                    prior: false,
                });
            }
        }
    }
    Planned {
        rel: format!("{}/村卫生室数据_{}.csv", per.ym(), per.ym()),
        body: Body::Text(text, Enc::Utf8Bom),
        facts,
    }
}

// ---------------------------------------------------------------- months as columns

/// The member and year sent as one annual workbook (年度统计表, months as columns) instead of
/// twelve monthly forms.
pub(crate) const ANNUAL: (&str, i32) = ("chengguan", 2024);

/// A combination of monthly figures by the item's over-time rule (None when no month has one).
fn combine(code: &str, vals: &[f64]) -> Option<f64> {
    let last = *vals.last()?;
    Some(match super::model::agg_of(code) {
        super::model::Agg::Sum => (vals.iter().sum::<f64>() * 100.0).round() / 100.0,
        super::model::Agg::Avg => (vals.iter().sum::<f64>() / vals.len() as f64).round(),
        super::model::Agg::Last => last,
    })
}

/// chengguan's 2024 as one sheet: `指标 | 单位 | 1月 2月 3月 一季度 … 12月 四季度 | 合计`, the
/// year in the title and the file name, no 填报日期 (an annual workbook has no month's date).
fn annual_file() -> Planned {
    let (id, year) = ANNUAL;
    let months: Vec<Option<Figures>> = (1..=12)
        .map(|m| figures(id, Period::new(year, m)))
        .collect();
    let mut sh = Sheet::new("年度统计");
    let mut header = vec![t("指标"), t("单位")];
    // (column kind) per value column: Some(month) or None for a total over `span`.
    let mut cols: Vec<(Option<u32>, (u32, u32))> = Vec::new();
    for (q, name) in ["一季度", "二季度", "三季度", "四季度"].iter().enumerate() {
        let q = q as u32;
        for m in q * 3 + 1..=q * 3 + 3 {
            header.push(t(format!("{m}月")));
            cols.push((Some(m), (m, m)));
        }
        header.push(t(*name));
        cols.push((None, (q * 3 + 1, q * 3 + 3)));
    }
    header.push(t("合计"));
    cols.push((None, (1, 12)));
    let ncols = header.len();
    sh.widths = vec![20.0, 6.0];
    sh.widths.extend(std::iter::repeat_n(9.0, ncols - 2));
    let r = sh.push(
        Style::Title,
        vec![t(format!("城关社区卫生服务中心{year}年度业务数据统计表"))],
    );
    sh.merge(r, 0, r, (ncols - 1) as u16);
    sh.push(Style::Normal, vec![t("填报单位：城关社区卫生服务中心")]);
    sh.push(Style::Header, header);
    let mut facts = Vec::new();
    for (label, unit, code) in CHENGGUAN_ROWS {
        let month_value = |m: u32| -> Option<f64> {
            let f = months[(m - 1) as usize].as_ref()?;
            if code.starts_with('=') {
                derived(code, &|c| f.get(c))
            } else {
                f.get(code)
            }
        };
        let mut row = vec![t(*label), t(*unit)];
        for (month, (a, b)) in &cols {
            let v = match month {
                Some(m) => month_value(*m),
                None if code.starts_with('=') => {
                    // A rate over a quarter or the year: from the summed bed days.
                    let sum = |c: &str| -> Option<f64> {
                        let vals: Vec<f64> = (*a..=*b)
                            .filter_map(|m| months[(m - 1) as usize].as_ref()?.get(c))
                            .collect();
                        combine(c, &vals)
                    };
                    derived(code, &sum)
                }
                None => {
                    let vals: Vec<f64> = (*a..=*b).filter_map(month_value).collect();
                    combine(code, &vals)
                }
            };
            row.push(match v {
                Some(x) => Cell::Num(x),
                None => t("-"),
            });
            if let (Some(m), Some(x), false) = (month, v, code.starts_with('=')) {
                facts.push(Fact {
                    member: id,
                    period: Period::new(year, *m),
                    code,
                    value: x,
                    prior: false,
                });
            }
        }
        sh.push(Style::Normal, row);
    }
    sh.push(
        Style::Normal,
        vec![t("填表人：王五    审核人：赵六    联系电话：0755-7654321")],
    );
    Planned {
        rel: format!("{year}-12/城关社区卫生服务中心_{year}年度统计表.xlsx"),
        body: Body::Xlsx(vec![sh]),
        facts,
    }
}

// ---------------------------------------------------------------- a sheet per member

/// From this month the two village clinics send one workbook with a sheet per clinic (named
/// by its alias) and a 填报说明 sheet, instead of the tidy CSV.
pub(crate) const VILLAGE_WORKBOOK_FROM: Period = Period::new(2025, 1);

const VILLAGE_SHEETS: [(&str, &str); 2] = [("hongxing", "红星村"), ("shiqiao", "石桥村")];

const VILLAGE_ROWS: [(&str, &str, &str); 3] = [
    ("门急诊人次", "人次", "outpatient_visits"),
    ("上转人次", "人次", "referrals_up"),
    ("家庭医生签约人数", "人", "family_doctor_contracts"),
];

/// One clinic's sheet: a form with a two-row merged header
/// `指标名称 | 单位 | 本月 (数值, 同比增减%) | 本年累计 (数值, 同比增减%)`.
fn village_sheet(id: &'static str, sheet: &str, per: Period) -> (Sheet, Vec<Fact>) {
    let mut sh = Sheet::new(sheet);
    sh.widths = vec![18.0, 6.0, 10.0, 12.0, 10.0, 12.0];
    let r = sh.push(
        Style::Title,
        vec![t(format!("村卫生室医疗业务月报（{}）", per.cn()))],
    );
    sh.merge(r, 0, r, 5);
    let h1 = sh.push(
        Style::Header,
        vec![
            t("指标名称"),
            t("单位"),
            t("本月"),
            Cell::Empty,
            t("本年累计"),
            Cell::Empty,
        ],
    );
    let h2 = sh.push(
        Style::Header,
        vec![
            Cell::Empty,
            Cell::Empty,
            t("数值"),
            t("同比增减%"),
            t("数值"),
            t("同比增减%"),
        ],
    );
    sh.merge(h1, 0, h2, 0);
    sh.merge(h1, 1, h2, 1);
    sh.merge(h1, 2, h1, 3);
    sh.merge(h1, 4, h1, 5);
    let f = figures(id, per).unwrap_or_default();
    let prior = figures(id, per.add(-12)).unwrap_or_default();
    let mut facts = Vec::new();
    for (label, unit, code) in VILLAGE_ROWS {
        let cur = f.get(code);
        let (y, py) = (
            ytd(id, per, code, false),
            ytd(id, per.add(-12), code, false),
        );
        let num = |v: Option<f64>| v.map(Cell::Num).unwrap_or(Cell::Empty);
        let row = match cur {
            Some(x) => {
                facts.push(Fact {
                    member: id,
                    period: per,
                    code,
                    value: x,
                    prior: false,
                });
                vec![
                    t(label),
                    t(unit),
                    Cell::Num(x),
                    num(yoy(cur, prior.get(code))),
                    num(y),
                    num(yoy(y, py)),
                ]
            }
            None => vec![t(label), t(unit), t("-"), t("-"), t("-"), t("-")],
        };
        sh.push(Style::Normal, row);
    }
    (sh, facts)
}

fn village_workbook(per: Period) -> Planned {
    let mut help = Sheet::new("填报说明");
    help.widths = vec![60.0];
    for line in [
        "填报说明",
        "1. 每个村卫生室填写以本单位命名的工作表，请勿改动表头。",
        "2. 本月数值填当月发生数；本年累计填1月至本月合计；家庭医生签约人数填月末数。",
        "3. 未开展的项目填“-”，不要留空。",
        "4. 同比增减% =（本期 − 去年同期）÷ 去年同期 × 100。",
    ] {
        help.push(Style::Normal, vec![t(line)]);
    }
    let mut sheets = vec![help];
    let mut facts = Vec::new();
    for (id, name) in VILLAGE_SHEETS {
        let (sh, f) = village_sheet(id, name, per);
        sheets.push(sh);
        facts.extend(f);
    }
    Planned {
        rel: format!("{}/村卫生室月报_{}.xlsx", per.ym(), per.cn()),
        body: Body::Xlsx(sheets),
        facts,
    }
}

/// Every file of the sample, sorted by path (the order a mailbox listing gives).
pub(crate) fn plan() -> Vec<Planned> {
    let mut out = Vec::new();
    for per in sample_periods() {
        out.push(lead_file(per));
        out.extend(county_peoples_files(per));
        out.push(county_tcm_file(per));
        out.push(maternal_file(per));
        out.push(summary_file(per));
        if per.year != ANNUAL.1 {
            out.push(chengguan_file(per));
        }
        out.push(xinhua_file(per));
        if per >= VILLAGE_WORKBOOK_FROM {
            out.push(village_workbook(per));
        } else {
            out.push(village_file(per));
        }
    }
    out.push(annual_file());
    out.push(qingshan_history());
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// The JSON specs of the county_tcm 2025 .xls files, named by their asset file.
pub(crate) fn xls_specs() -> Vec<(String, String)> {
    sample_periods()
        .into_iter()
        .filter(|p| p.year >= 2025)
        .filter_map(|p| match county_tcm_file(p).body {
            Body::Xls { sheets, asset, .. } => {
                Some((asset.to_string(), super::grid::xls_json(&sheets)))
            }
            _ => None,
        })
        .collect()
}
