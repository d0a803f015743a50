//! `yilian sample --consortia N DIR`: a bureau sample. DIR/bureau.toml and N consortia, one
//! folder each (consortium.toml and inbox/), of different sizes and spreadsheet templates
//! (a wide 汇总表 per month as CSV, one tidy CSV per year, a 月报表 form per member and month
//! as xlsx), 2024-01..2025-12. 示例县中医医院 belongs to the first two consortia (it sends the
//! same figures to both); 河口镇卫生院 moves from the second to the third in 2025-01. The
//! third consortium states 填报日期 and a deadline, one of its members is late in 2025-12 and
//! one sends nothing that month.

use crate::catalog::Catalog;
use crate::i18n::{Msg, SaidContext};
use crate::model::period::Period;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// (id, name, tier, joined, left); `left` empty when still a member.
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SHARED: Spec = ("county_tcm", "示例县中医医院", "secondary", "2019-01", "");

fn consortium_specs(i: usize) -> (String, String, Template, Vec<Spec>) {
    match i {
        0 => (
            "yigongti".into(),
            "示例县医共体".into(),
            Template::Wide,
            vec![
                (
                    "county_peoples",
                    "示例县人民医院",
                    "secondary",
                    "2019-01",
                    "",
                ),
                SHARED,
                ("dasha", "大沙镇中心卫生院", "primary", "2019-01", ""),
                ("qingshan", "青山镇卫生院", "primary", "2019-01", ""),
                ("baisha", "白沙乡卫生院", "primary", "2019-01", ""),
                ("shuikou", "水口镇卫生院", "primary", "2019-01", ""),
                ("lianhua", "莲花乡卫生院", "primary", "2019-01", ""),
                ("shiqiao", "石桥镇卫生院", "primary", "2024-07", ""),
            ],
        ),
        1 => (
            "zhuanke".into(),
            "示例市心血管专科联盟".into(),
            Template::Tidy,
            vec![
                (
                    "city_first",
                    "示例市第一人民医院",
                    "tertiary",
                    "2019-01",
                    "",
                ),
                ("tcm", "示例县中医医院", "secondary", "2022-01", ""),
                (
                    "north_county",
                    "示例北县人民医院",
                    "secondary",
                    "2019-01",
                    "",
                ),
                ("hekou", "河口镇卫生院", "primary", "2019-01", "2024-12"),
            ],
        ),
        2 => (
            "jituan".into(),
            "示例城市医疗集团".into(),
            Template::Form,
            vec![
                (
                    "city_second",
                    "示例市第二人民医院",
                    "tertiary",
                    "2019-01",
                    "",
                ),
                ("east_chc", "东城社区卫生服务中心", "primary", "2019-01", ""),
                ("west_chc", "西城社区卫生服务中心", "primary", "2019-01", ""),
                ("hekou", "河口镇卫生院", "primary", "2025-01", ""),
            ],
        ),
        _ => {
            let n = i + 1;
            let mut members = vec![];
            // Names owned by the sample: leaked &'static str for a handful of short strings.
            let lead: &'static str = Box::leak(format!("示例第{n}县人民医院").into_boxed_str());
            members.push(("lead", lead, "secondary", "2019-01", ""));
            for (k, town) in ["东", "南", "西", "北", "中"]
                .iter()
                .enumerate()
                .take(2 + i % 3)
            {
                let name: &'static str =
                    Box::leak(format!("示例第{n}县{town}镇卫生院").into_boxed_str());
                let id: &'static str = Box::leak(format!("town{}", k + 1).into_boxed_str());
                members.push((id, name, "primary", "2019-01", ""));
            }
            (
                format!("county{n}"),
                format!("示例第{n}县医共体"),
                [Template::Wide, Template::Tidy, Template::Form][i % 3],
                members,
            )
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Template {
    Wide,
    Tidy,
    Form,
}

const METRICS: &[&str] = &[
    "outpatient_visits",
    "emergency_visits",
    "admissions",
    "discharges",
    "open_beds",
    "open_bed_days",
    "occupied_bed_days",
    "discharged_bed_days",
    "inpatient_surgeries",
    "surgeries_grade3",
    "surgeries_grade4",
    "referrals_up",
    "referrals_down",
    "remote_imaging",
];

/// A member's figures for a month: size by tier, a seasonal swing, a yearly growth of its
/// own; every consistency rule of `check` holds.
fn figures(id: &str, tier: &str, p: Period) -> Vec<(&'static str, f64)> {
    let seed = id
        .bytes()
        .fold(7u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32));
    let scale = match tier {
        "tertiary" => 30.0,
        "secondary" => 10.0,
        _ => 1.5,
    } * (0.8 + (seed % 40) as f64 / 100.0);
    let growth = 1.0 + ((seed / 40) % 12) as f64 / 100.0 - 0.03;
    let years = (p.year() - 2024) as f64 + (p.month() as f64 - 1.0) / 12.0;
    let season = 1.0 + 0.08 * ((p.month() as f64 - 1.0) / 12.0 * std::f64::consts::TAU).cos();
    let f = scale * growth.powf(years) * season;
    let days = p.days() as f64;
    let beds = (scale * 20.0).round();
    // Occupancy drifts by up to ±2 points a year, each member its own way.
    let drift = ((seed / 480) % 5) as f64 / 100.0 - 0.02;
    let occupancy =
        0.70 + (seed % 20) as f64 / 100.0 + 0.03 * (season - 1.0) / 0.08 + drift * years;
    let occupied = (beds * days * occupancy.min(0.98)).round();
    let discharges = (f * 95.0).round();
    let surgeries = (discharges * 0.3).round();
    let g3 = (surgeries * 0.35).round();
    let g4 = if tier == "primary" {
        0.0
    } else {
        (surgeries * 0.12).round()
    };
    vec![
        ("outpatient_visits", (f * 1800.0).round()),
        ("emergency_visits", (f * 160.0).round()),
        ("admissions", (f * 97.0).round()),
        ("discharges", discharges),
        ("open_beds", beds),
        ("open_bed_days", beds * days),
        ("occupied_bed_days", occupied),
        ("discharged_bed_days", (occupied * 0.97).round()),
        ("inpatient_surgeries", surgeries),
        ("surgeries_grade3", g3),
        ("surgeries_grade4", g4),
        ("referrals_up", (f * 6.0).round()),
        ("referrals_down", (f * 4.0).round()),
        ("remote_imaging", (f * 12.0).round()),
    ]
}

fn months() -> Vec<Period> {
    let first = 2024 * 12;
    (first..first + 24).map(Period::from_index).collect()
}

fn is_member(s: &Spec, p: Period) -> bool {
    let parse = |t: &str| Period::parse_strict(t).map(|x| x.index());
    let joined = parse(s.3).unwrap_or(i32::MIN);
    let left = if s.4.is_empty() { None } else { parse(s.4) };
    p.index() >= joined && left.is_none_or(|l| p.index() <= l)
}

pub struct BureauSummary {
    pub files: Vec<PathBuf>,
    pub consortia: usize,
    pub first: String,
    pub last: String,
}

/// Writes the bureau sample into `dir`.
pub fn write_bureau_sample(dir: &Path, n: usize) -> Result<BureauSummary> {
    std::fs::create_dir_all(dir).said(|| crate::said!(Msg::CannotCreate, path = dir.display()))?;
    let cat = Catalog::builtin();
    let name_of = |code: &str| {
        cat.metric(code)
            .map_or(code.to_string(), |m| m.name.clone())
    };
    let mut files = Vec::new();
    let mut bureau = String::from(
        "# 示例卫健局：各医联体并列（docs/bureau.md）\nname = \"示例市卫生健康委员会\"\n\n",
    );
    for i in 0..n {
        let (id, name, template, members) = consortium_specs(i);
        let cdir = dir.join(&id);
        let inbox = cdir.join("inbox");
        std::fs::create_dir_all(&inbox)?;
        let _ = writeln!(bureau, "[[consortia]]\nid = \"{id}\"\nconfig = \"{id}\"\n");
        let mut toml = format!("name = \"{name}\"\n");
        if template == Template::Form {
            toml.push_str("deadline_day = 10\n");
        }
        for m in &members {
            let _ = write!(
                toml,
                "\n[[members]]\nid = \"{}\"\nname = \"{}\"\ntier = \"{}\"\njoined = \"{}\"\n",
                m.0, m.1, m.2, m.3
            );
            if !m.4.is_empty() {
                let _ = writeln!(toml, "left = \"{}\"", m.4);
            }
        }
        let path = cdir.join("consortium.toml");
        crate::export::write_file(&path, toml)?;
        files.push(path);
        let ps = months();
        match template {
            Template::Wide => {
                for &p in &ps {
                    let mut csv = format!(
                        "{name}成员单位医疗业务汇总表\n统计期间：{}年{}月\n序号,单位名称",
                        p.year(),
                        p.month()
                    );
                    for code in METRICS {
                        let _ = write!(csv, ",{}", name_of(code));
                    }
                    csv.push('\n');
                    for (k, m) in members.iter().filter(|m| is_member(m, p)).enumerate() {
                        let _ = write!(csv, "{},{}", k + 1, m.1);
                        for (_, v) in figures(m.1, m.2, p) {
                            let _ = write!(csv, ",{v}");
                        }
                        csv.push('\n');
                    }
                    let path = inbox.join(format!("{}年{:02}月汇总表.csv", p.year(), p.month()));
                    crate::export::write_file(&path, csv)?;
                    files.push(path);
                }
            }
            Template::Tidy => {
                for year in [2024, 2025] {
                    let mut csv = String::from("单位名称,月份,指标,数值\n");
                    for &p in ps.iter().filter(|p| p.year() == year) {
                        for m in members.iter().filter(|m| is_member(m, p)) {
                            for (code, v) in figures(m.1, m.2, p) {
                                let _ = writeln!(csv, "{},{p},{},{v}", m.1, name_of(code));
                            }
                        }
                    }
                    let path = inbox.join(format!("{name}{year}年数据.csv"));
                    crate::export::write_file(&path, csv)?;
                    files.push(path);
                }
            }
            Template::Form => {
                let last = *ps.last().context("24 months")?;
                for &p in &ps {
                    for (k, m) in members.iter().filter(|m| is_member(m, p)).enumerate() {
                        // The second member sends nothing for the last month; the third
                        // sends it after the deadline.
                        if p == last && k == 1 {
                            continue;
                        }
                        let day = if p == last && k == 2 {
                            15
                        } else {
                            5 + (k as u32 % 4)
                        };
                        let path =
                            inbox.join(format!("{}_{}年{:02}月.xlsx", m.1, p.year(), p.month()));
                        write_form(&path, m, p, day, &name_of)?;
                        files.push(path);
                    }
                }
            }
        }
    }
    let bureau_path = dir.join("bureau.toml");
    bureau.push_str(
        "# 区域目标（达标）\n[targets.bed_occupancy]\nmin = 78.0\n\n[targets.avg_los]\nmax = 9.0\n",
    );
    crate::export::write_file(&bureau_path, bureau)?;
    files.push(bureau_path);
    Ok(BureauSummary {
        files,
        consortia: n,
        first: "2024-01".into(),
        last: "2025-12".into(),
    })
}

/// A 月报表 form: 填报单位, 统计期间 and 填报日期 above 指标名称 | 单位 | 本月.
fn write_form(
    path: &Path,
    m: &Spec,
    p: Period,
    day: u32,
    name_of: &dyn Fn(&str) -> String,
) -> Result<()> {
    let cat = Catalog::builtin();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "医疗业务月报表")?;
    ws.write_string(1, 0, format!("填报单位：{}", m.1))?;
    ws.write_string(1, 2, format!("统计期间：{}年{}月", p.year(), p.month()))?;
    let next = p.add_months(1);
    ws.write_string(
        2,
        0,
        format!("填报日期：{}年{}月{}日", next.year(), next.month(), day),
    )?;
    ws.write_string(3, 0, "指标名称")?;
    ws.write_string(3, 1, "单位")?;
    ws.write_string(3, 2, "本月")?;
    for (r, (code, v)) in figures(m.1, m.2, p).into_iter().enumerate() {
        let row = 4 + r as u32;
        ws.write_string(row, 0, name_of(code))?;
        ws.write_string(row, 1, cat.metric(code).map_or("", |x| x.unit.as_str()))?;
        ws.write_number(row, 2, v)?;
    }
    wb.save(path)
        .said(|| crate::said!(Msg::CannotWrite, path = path.display()))?;
    Ok(())
}
