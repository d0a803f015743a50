//! `yilian sample DIR`: a realistic, deterministic sample consortium.
//!
//! Writes consortium.toml, README.md and 24 months (2024-01..2025-12) of the spreadsheets the
//! member hospitals send, in the layouts of domain.md (vertical form, wide summary, department
//! detail, tidy table, months as columns, a two-row form header, a sheet per member; see
//! docs/layouts.md) and every file format (.xlsx, .xls, .ods, .csv in UTF-8 with
//! BOM, GBK and GB18030, an HTML table named .xls). The figures come from a seeded model (see
//! `model`), and every file records the facts it carries, so `truth()` is read off exactly what
//! was written.

mod bureau;
mod grid;
mod layouts;
mod model;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use bureau::{write_bureau_sample, BureauSummary};
use layouts::{Body, Fact};
use model::{
    figures, figures_variant, lead_unmapped, sample_periods, Period, BED_CHANGE, BLANK_ITEM,
    CORRECTION, GRADE34_FAULT, LATE, MISSING_SUBMISSION, OCCUPIED_FAULT, OUTLIER, SUM_ROW_FAULT,
};

pub struct SampleSummary {
    pub files: Vec<PathBuf>,
    pub members: usize,
    pub periods: Vec<String>,
}

pub struct TruthValue {
    pub member: String,
    /// "YYYY-MM"
    pub period: String,
    /// metric code from domain.md
    pub metric: String,
    pub value: f64,
}

pub struct Fault {
    /// "sum_row_mismatch", "unmapped_item", "correction", "grade34_exceeds_total",
    /// "occupied_exceeds_open", "outlier", "missing_submission", "late_submission",
    /// "missing_value"
    pub kind: &'static str,
    /// member id; empty for a fault of the township summary's 合计 row (not a member)
    pub member: String,
    /// "YYYY-MM": the month the figures describe
    pub period: String,
    pub detail: String,
}

/// id, name, aliases, tier (or tier history as TOML inline table), joined.
const MEMBERS: &[(&str, &str, &[&str], &str, &str)] = &[
    (
        "lead",
        "示例市第一人民医院",
        &["市一院", "第一人民医院"],
        "tertiary",
        "2019-01",
    ),
    (
        "county_peoples",
        "示例县人民医院",
        &["县人民医院", "县医院"],
        "secondary",
        "2019-01",
    ),
    (
        "county_tcm",
        "示例县中医医院",
        &["县中医院"],
        "secondary",
        "2019-01",
    ),
    (
        "maternal",
        "示例县妇幼保健院",
        &["县妇幼"],
        "{ \"2019-01\" = \"primary\", \"2025-01\" = \"secondary\" }",
        "2019-01",
    ),
    (
        "dasha",
        "大沙镇中心卫生院",
        &["大沙卫生院", "大沙镇卫生院"],
        "primary",
        "2019-06",
    ),
    ("shimen", "石门乡卫生院", &[], "primary", "2019-06"),
    ("longquan", "龙泉镇卫生院", &[], "primary", "2020-01"),
    ("qingshan", "青山镇卫生院", &[], "primary", "2025-01"),
    (
        "chengguan",
        "城关社区卫生服务中心",
        &["城关社区"],
        "primary",
        "2019-01",
    ),
    (
        "xinhua",
        "新华社区卫生服务中心",
        &["新华社区"],
        "primary",
        "2020-03",
    ),
    (
        "hongxing",
        "红星村卫生室",
        &["红星村"],
        "village",
        "2021-01",
    ),
    ("shiqiao", "石桥村卫生室", &["石桥村"], "village", "2021-01"),
];

fn member_rank(id: &str) -> usize {
    MEMBERS.iter().position(|m| m.0 == id).unwrap_or(usize::MAX)
}

fn metric_rank(code: &str) -> usize {
    model::METRICS
        .iter()
        .position(|m| m.0 == code)
        .unwrap_or(usize::MAX)
}

fn consortium_toml() -> String {
    let mut s = String::from(
        "# Sample consortium written by `yilian sample`.\n\
         name = \"示例医联体\"\n\
         # Submissions are due by this day of the following month.\n\
         deadline_day = 10\n",
    );
    for (id, name, aliases, tier, joined) in MEMBERS {
        s.push_str("\n[[members]]\n");
        s.push_str(&format!("id = \"{id}\"\nname = \"{name}\"\n"));
        let a: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
        s.push_str(&format!("aliases = [{}]\n", a.join(", ")));
        if tier.starts_with('{') {
            s.push_str(&format!("tiers = {tier}\n"));
        } else {
            s.push_str(&format!("tier = \"{tier}\"\n"));
        }
        s.push_str(&format!("joined = \"{joined}\"\n"));
    }
    s.push_str(POPULATION);
    s
}

/// Reference denominators of the primary members (签约率): not monthly figures, each from the
/// month it holds; dasha's was revised by the 2025 census count.
const POPULATION: &str = "
# 常住人口 and 重点人群 of the primary members, from the month each count holds (签约率).
[[population]]
member = \"dasha\"
from = \"2019-06\"
residents = 38000
key_population = 9500

[[population]]
member = \"dasha\"
from = \"2025-01\"
residents = 38600
key_population = 9800

[[population]]
member = \"shimen\"
from = \"2019-06\"
residents = 21000
key_population = 5600

[[population]]
member = \"longquan\"
from = \"2020-01\"
residents = 27000
key_population = 7000

[[population]]
member = \"qingshan\"
from = \"2025-01\"
residents = 24000
key_population = 6100

[[population]]
member = \"chengguan\"
from = \"2019-01\"
residents = 52000
key_population = 12800

[[population]]
member = \"xinhua\"
from = \"2020-03\"
residents = 46000
key_population = 11000
";

/// Writes consortium.toml, README.md (describing layouts, formats and the deliberate faults)
/// and all spreadsheets into dir (created if missing).
pub fn write_sample(dir: &Path) -> Result<SampleSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut files = Vec::new();
    let toml_path = dir.join("consortium.toml");
    crate::export::write_file(&toml_path, consortium_toml())?;
    files.push(toml_path);
    let plan = layouts::plan();
    let readme = dir.join("README.md");
    crate::export::write_file(&readme, readme_text(&plan))?;
    files.push(readme);
    for p in &plan {
        let path = dir.join(&p.rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        match &p.body {
            Body::Xlsx(sheets) => grid::write_xlsx(&path, sheets)?,
            Body::Ods(sheets) => grid::write_ods(&path, sheets)?,
            Body::Xls { bytes, .. } => crate::export::write_file(&path, bytes)?,
            Body::Text(text, enc) => crate::export::write_file(&path, grid::encode(text, *enc)?)?,
        }
        files.push(path);
    }
    Ok(SampleSummary {
        files,
        members: MEMBERS.len(),
        periods: sample_periods().iter().map(|p| p.ym()).collect(),
    })
}

fn collect(prior: bool) -> Vec<TruthValue> {
    // Later files (by path) win: the correction in 2025-07/ replaces the 2025-06 original.
    let mut map: BTreeMap<(usize, Period, usize), Fact> = BTreeMap::new();
    for p in layouts::plan() {
        for f in p.facts {
            if f.prior == prior {
                map.insert((member_rank(f.member), f.period, metric_rank(f.code)), f);
            }
        }
    }
    map.into_values()
        .map(|f| TruthValue {
            member: f.member.to_string(),
            period: f.period.ym(),
            metric: f.code.to_string(),
            value: f.value,
        })
        .collect()
}

/// The effective base values a correct ingest must store for the month column (本月) of every
/// file: one row per member, month and metric that was reported (blank/"-"/"无" cells are not
/// in the truth). Where a correction file exists, the corrected value. The lead's figures are
/// the sums of its departments. Includes qingshan's 2024 history (sent on joining).
pub fn truth() -> Vec<TruthValue> {
    collect(false)
}

/// Values the members wrote in a 去年同月 column (vertical forms of county_peoples,
/// county_tcm, maternal, chengguan and xinhua). `period` is the month the value describes,
/// i.e. one year before the month of the file that carries it (2023-01..2024-12).
pub fn truth_prior_year() -> Vec<TruthValue> {
    collect(true)
}

fn fault(kind: &'static str, member: &str, period: Period, detail: String) -> Fault {
    Fault {
        kind,
        member: member.to_string(),
        period: period.ym(),
        detail,
    }
}

/// The deliberate faults of the sample (for tests of `check`); also listed in README.md.
pub fn deliberate_faults() -> Vec<Fault> {
    let get = |id: &str, p: Period, c: &str| figures(id, p).and_then(|f| f.get(c)).unwrap_or(0.0);
    let mut v = Vec::new();
    for p in sample_periods() {
        v.push(fault(
            "unmapped_item",
            "lead",
            p,
            format!(
                "sheet 远程医疗及协作, row 医技检查人次 = {}: not a metric, keep as unmapped and warn",
                lead_unmapped(p)
            ),
        ));
    }
    let p = SUM_ROW_FAULT;
    let sum: f64 = ["dasha", "shimen", "longquan"]
        .iter()
        .map(|id| get(id, p, "outpatient_visits"))
        .sum();
    v.push(fault(
        "sum_row_mismatch",
        "",
        p,
        format!(
            "{}基层医疗机构业务量汇总表.xlsx: 合计 门急诊人次 = {} but the member rows add up to {} (typo in the 合计 row)",
            p.cn(),
            model::transpose_typo(sum),
            sum
        ),
    ));
    let (id, p) = CORRECTION;
    let orig = figures_variant(id, p, true)
        .and_then(|f| f.get("discharges"))
        .unwrap_or(0.0);
    v.push(fault(
        "correction",
        id,
        p,
        format!(
            "sent twice: {}/示例县人民医院_{}医疗业务月报表.xlsx with 出院人数 = {orig}, then {}/示例县人民医院_{}医疗业务月报表_更正版.xlsx with 出院人数 = {} (the corrected value counts)",
            p.ym(),
            p.cn(),
            p.add(1).ym(),
            p.cn(),
            get(id, p, "discharges")
        ),
    ));
    let (id, p) = GRADE34_FAULT;
    v.push(fault(
        "grade34_exceeds_total",
        id,
        p,
        format!(
            "三级手术 {} + 四级手术 (not reported) > 住院手术例数 {}",
            get(id, p, "surgeries_grade3"),
            get(id, p, "inpatient_surgeries")
        ),
    ));
    let (id, p) = OCCUPIED_FAULT;
    v.push(fault(
        "occupied_exceeds_open",
        id,
        p,
        format!(
            "实际占用总床日数 {} > 实际开放总床日数 {}",
            get(id, p, "occupied_bed_days"),
            get(id, p, "open_bed_days")
        ),
    ));
    let (id, p, code) = OUTLIER;
    v.push(fault(
        "outlier",
        id,
        p,
        format!(
            "{code} = {} is about 10× the usual level (typo: an extra digit)",
            get(id, p, code)
        ),
    ));
    let (id, p) = MISSING_SUBMISSION;
    v.push(fault(
        "missing_submission",
        id,
        p,
        format!(
            "no row for 石门乡卫生院 in {}基层医疗机构业务量汇总表.xlsx",
            p.cn()
        ),
    ));
    let (id, p, (y, m, d)) = LATE;
    v.push(fault(
        "late_submission",
        id,
        p,
        format!("填报日期 {y}-{m:02}-{d:02}, after the deadline (the 10th of the following month)"),
    ));
    let (id, p, code) = BLANK_ITEM;
    v.push(fault(
        "missing_value",
        id,
        p,
        format!(
            "#四级手术 ({code}) left blank: missing, not zero (grade 3+4 undefined this month)"
        ),
    ));
    v
}

/// Writes the JSON descriptions of the county_tcm 2025 .xls files into `dir`, one
/// `<asset file name>.json` each, for scripts/make_xls_fixtures.py (which turns them into
/// src/sample/xls/). `yilian sample` calls it when YILIAN_SAMPLE_XLS_SPECS names a directory.
#[doc(hidden)]
pub fn write_xls_specs(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, json) in layouts::xls_specs() {
        let path = dir.join(format!("{name}.json"));
        crate::export::write_file(&path, json)?;
    }
    Ok(())
}

fn readme_text(plan: &[layouts::Planned]) -> String {
    let mut s = String::new();
    s.push_str(
        r#"# 示例医联体 — sample data

Written by `yilian sample`. Everything here is generated by a seeded model and is
reproducible byte for byte. The figures are invented; the shapes of the files are the ones
member hospitals really send.

- `consortium.toml`: the 12 members (ids, names, aliases, tiers, joined month) and
  `deadline_day = 10` (a month's figures are due by the 10th of the following month).
- One folder per month, `2024-01/` .. `2025-12/`, like a mailbox: each month's files sit in
  the folder of the month they describe, except the correction of 2025-06, which arrived later
  and sits in `2025-07/`, and qingshan's 2024 history, sent when it joined, in `2025-01/`.

## Members and their files

| member | tier | layout | format | file name (for March 2024) |
|---|---|---|---|---|
| lead 示例市第一人民医院 | tertiary | department detail (科室明细) + vertical form on a 2nd sheet | .xlsx | `市一院_2024年3月科室运营数据.xlsx` |
| county_peoples 示例县人民医院 | secondary | vertical form | .xlsx | `示例县人民医院_2024年3月医疗业务月报表.xlsx` |
| county_tcm 示例县中医医院 | secondary | vertical form, period only in the file name | .xlsx (2024), BIFF8 .xls (2025) | `县中医院2024年03月报表.xlsx` |
| maternal 示例县妇幼保健院 | primary until 2024, secondary from 2025 | vertical form | .ods | `示例县妇幼保健院医疗业务月报_2024-03.ods` |
| dasha, shimen, longquan, qingshan | primary | wide summary (汇总表) from the county health bureau, two-row merged header | .xlsx (.ods in 2025-04 and 2025-05) | `2024年3月基层医疗机构业务量汇总表.xlsx` |
| qingshan 青山镇卫生院 | primary, joined 2025-01 | tidy table of its 2024 history | .csv UTF-8 with BOM | `2025-01/青山镇卫生院_2024年历史数据.csv` |
| chengguan 城关社区卫生服务中心 | primary | months as columns (年度统计表) for 2024, one workbook in `2024-12/`; vertical form from 2025 | .xlsx (2024), .csv GBK (2025) | `2024-12/城关社区卫生服务中心_2024年度统计表.xlsx`, `城关社区卫生服务中心_2025年3月月报.csv` |
| xinhua 新华社区卫生服务中心 | primary | vertical form (HIS export) | HTML table named .xls (2024), GB18030 CSV named .xls (2025) | `新华社区_HIS导出_202403.xls` |
| hongxing, shiqiao | village | tidy table (2024); from 2025 one workbook with a sheet per clinic (named 红星村 / 石桥村, aliases) under a two-row header, and a 填报说明 sheet | .csv UTF-8 with BOM (2024), .xlsx (2025) | `村卫生室数据_2024-03.csv`, `村卫生室月报_2025年3月.xlsx` |

## Layouts

- **Vertical form (月报表)**: title rows, `填报单位：…` (full name or an alias), the period as
  `统计期间：2024年3月`, `统计期间：2024-03`, `报表月份：2024-03`,
  `统计期间：2024-03-01至2024-03-31` or only in the file name (county_tcm), a header
  `指标名称 | 单位 | 本月 | 去年同月 | 同比增减(%) | 本年累计 | 去年同期累计` (xinhua's HIS:
  `项目 | 单位 | 本月数 | 去年同月数 | 同比(%) | 本年累计 | 去年同期累计`; the lead's second sheet:
  `指标名称 | 单位 | 本月 | 本年累计`), one row per item with varied aliases (`出院人数`,
  `其中：一级手术`, `  其中：三级手术`, `#四级手术`, `其中:二级手术例数`, `医疗收入（万元）`…),
  derived rows `病床使用率` / `平均住院日` (not base data), then a footer
  `填表人：…    审核人：…    联系电话：…` and `填报日期：…` (written as `2024-04-06`,
  `2024年4月6日`, `2024年04月06日` or `2024/4/6`). Items a member does not provide are written
  `-`, `—` or `无` in every column.
- **Department detail (科室明细)**: the lead's 15 departments and a `合计` row of formulas
  (`=SUM(…)`, or `=SUMPRODUCT(--…)` where a column holds numbers typed as text) with cached
  results; the member's figure is the sum of the departments. A second sheet
  `远程医疗及协作` is a short vertical form with the remote-centre figures.
- **Wide summary (汇总表)**: `序号 | 单位名称 | 门急诊人次 | 出院人次 | 实际开放床位数 |
  实际开放总床日数 | 实际占用总床日数 | 出院者占用总床日数 | 手术例数 (住院 一级 二级 三级 四级) |
  转诊 (上转人次 下转人次) | 下沉专家坐诊人次 | 家庭医生签约人数 | 医疗收入(万元)`, a row per township
  (`大沙卫生院` / `大沙镇卫生院` in some months), a `合计` row (formulas with cached values in
  even months, plain numbers otherwise) and `制表日期：…`. Townships write 0 for 三级 and `-`
  for 四级 and 下转.
- **Tidy tables**: `单位名称,月份,指标,数值` (qingshan) and `机构,统计月份,指标名称,数值` (villages
  in 2024).
- **Months as columns (年度统计表)**: chengguan's 2024 in one sheet, `指标 | 单位 | 1月 | 2月 |
  3月 | 一季度 | 4月 | … | 12月 | 四季度 | 合计`, the year in the title
  (`城关社区卫生服务中心2024年度业务数据统计表`) and the file name. Quarter and 合计 columns are
  totals by each item's rule (sum; average for 实际开放床位数; the last month for 家庭医生签约人数;
  病床使用率 from the summed bed days): checked against the months, never stored. No
  填报日期, so its months count as submitted, undated.
- **A sheet per member, two-row header**: the village clinics' 2025 workbooks have a
  `填报说明` sheet (skipped with a note) and a sheet per clinic named by its alias (`红星村`,
  `石桥村`, no 填报单位), each `指标名称 | 单位 | 本月 (数值, 同比增减%) | 本年累计 (数值,
  同比增减%)` with merged group headers. The 本年累计 figures are stored with basis `ytd`;
  the 同比增减% columns are the clinics' own changes: not stored, and checked at ingest
  against the clinics' 2024 figures from the tidy files (they agree).

## Messiness on purpose

- Numbers typed as text: `1,234`, full-width `１２３４`, padded ` 56 `; one village cell in
  full-width digits (hongxing 2024-10 门急诊人次).
- Formulas with cached values (同比 column of county_peoples and of county_tcm 2024, 合计 rows).
- Merged title cells, a two-row merged header, period in the file name only.
- county_tcm adds beds on 2024-05-16 (400 → 450): its open bed days that month are not
  beds × days.
- 2024-02 has 29 days.
- maternal changes tier in 2025-01 and starts reporting 四级手术, 微创, 日间, 下转, 进修 and
  新技术 then (`—` before).
- qingshan joined in 2025-01 (托管) and grows about 20% in 2025; its 2024 figures come only
  from the history file.

## Deliberate faults

These must still be stored by ingest (only the unmapped item and the 合计 mismatch are
warnings); `yilian check` should find them.

"#,
    );
    let mut unmapped = 0;
    for f in deliberate_faults() {
        if f.kind == "unmapped_item" {
            unmapped += 1;
            if unmapped > 1 {
                continue;
            }
            s.push_str(&format!(
                "- `unmapped_item`, lead, every month 2024-01..2025-12: {} (value of {})\n",
                f.detail, f.period
            ));
            continue;
        }
        let who = if f.member.is_empty() {
            "township summary 合计 row".to_string()
        } else {
            f.member.clone()
        };
        s.push_str(&format!(
            "- `{}`, {}, {}: {}\n",
            f.kind, who, f.period, f.detail
        ));
    }
    let (id, p, before, after, day) = BED_CHANGE;
    s.push_str(&format!(
        "\nNot a fault: {id} {} open beds {before} → {after} from day {day}.\n",
        p.ym()
    ));
    s.push_str(&format!("\n## Files ({})\n\n", plan.len()));
    for p in plan {
        s.push_str(&format!("- `{}`\n", p.rel));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::grid::{Cell, Enc, Sheet};
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn key(t: &TruthValue) -> (String, String, String) {
        (t.member.clone(), t.period.clone(), t.metric.clone())
    }

    #[test]
    fn consortium_toml_parses() {
        let v: toml::Value = toml::from_str(&consortium_toml()).expect("valid toml");
        assert_eq!(v["deadline_day"].as_integer(), Some(10));
        let m = v["members"].as_array().expect("members");
        assert_eq!(m.len(), 12);
        assert_eq!(m[3]["tiers"]["2025-01"].as_str(), Some("secondary"));
    }

    #[test]
    fn truth_is_plausible() {
        let tr = truth();
        let map: BTreeMap<_, f64> = tr.iter().map(|t| (key(t), t.value)).collect();
        assert_eq!(map.len(), tr.len(), "no duplicates");
        let g = |m: &str, p: &str, c: &str| map.get(&(m.into(), p.into(), c.into())).copied();
        assert!(tr.iter().all(|t| t.value >= 0.0 && t.value.is_finite()));
        // every member, every month, except shimen 2025-08; qingshan from its history
        let months: BTreeSet<_> = tr
            .iter()
            .map(|t| (t.member.clone(), t.period.clone()))
            .collect();
        assert_eq!(months.len(), 12 * 24 - 1);
        assert!(g("shimen", "2025-08", "outpatient_visits").is_none());
        assert!(g("qingshan", "2024-03", "outpatient_visits").is_some());
        assert!(g("county_peoples", "2024-07", "surgeries_grade4").is_none());
        assert!(g("county_peoples", "2024-06", "surgeries_grade4").is_some());
        assert!(g("dasha", "2024-03", "mis_surgeries").is_none());
        assert!(g("maternal", "2024-03", "mis_surgeries").is_none());
        assert!(g("maternal", "2025-03", "mis_surgeries").is_some());
        assert!(g("lead", "2024-03", "remote_imaging").is_some());
        assert!(g("hongxing", "2024-03", "open_beds").is_none());
        // the corrected value wins
        let orig = figures_variant("county_peoples", CORRECTION.1, true)
            .and_then(|f| f.get("discharges"))
            .expect("original");
        let fixed = g("county_peoples", "2025-06", "discharges").expect("corrected");
        assert_ne!(orig, fixed);
        // bed days: leap February and the mid-month bed change
        assert_eq!(g("lead", "2024-02", "open_bed_days"), Some(2100.0 * 29.0));
        let obd = g("county_tcm", "2024-05", "open_bed_days").expect("obd");
        assert_ne!(obd, 450.0 * 31.0);
        assert_eq!(obd, 400.0 * 15.0 + 450.0 * 16.0);
        // consistency rules hold except where faults were planted
        for t in &tr {
            let (m, p) = (t.member.as_str(), t.period.as_str());
            if t.metric == "inpatient_surgeries" {
                let grades: f64 = (1..=4)
                    .filter_map(|i| g(m, p, &format!("surgeries_grade{i}")))
                    .sum();
                let faulty = (m, p) == ("longquan", "2025-03");
                assert_eq!(
                    grades > t.value,
                    faulty,
                    "{m} {p} grades {grades} total {}",
                    t.value
                );
            }
            if t.metric == "occupied_bed_days" {
                let open = g(m, p, "open_bed_days").expect("open");
                assert_eq!(t.value > open, (m, p) == ("dasha", "2024-11"), "{m} {p}");
            }
        }
        // magnitudes by tier
        let d = |m: &str| g(m, "2024-03", "discharges").unwrap_or(0.0);
        assert!((5000.0..10000.0).contains(&d("lead")), "{}", d("lead"));
        assert!((1000.0..3000.0).contains(&d("county_peoples")));
        assert!((50.0..300.0).contains(&d("dasha")), "{}", d("dasha"));
        let q24 = g("qingshan", "2024-06", "outpatient_visits").unwrap_or(1.0);
        let q25 = g("qingshan", "2025-06", "outpatient_visits").unwrap_or(0.0);
        assert!(q25 / q24 > 1.12 && q25 / q24 < 1.3, "{q24} {q25}");
        assert_eq!(deliberate_faults().len(), 24 + 8);
    }

    #[test]
    fn prior_year_matches_reports() {
        let base: BTreeMap<_, f64> = truth().iter().map(|t| (key(t), t.value)).collect();
        let prior = truth_prior_year();
        assert!(prior.iter().any(|t| t.period == "2023-01"));
        let mut overlap = 0;
        for t in &prior {
            if let Some(v) = base.get(&key(t)) {
                overlap += 1;
                assert_eq!(*v, t.value, "{:?}", key(t));
            }
        }
        assert!(overlap > 100);
    }

    /// What a lenient reader makes of a cell: text numbers with commas, padding, full width.
    fn num(c: &Cell) -> Option<f64> {
        match c {
            Cell::Num(x) | Cell::Formula(_, x) => Some(*x),
            Cell::Text(s) => {
                let s: String = s
                    .chars()
                    .filter(|c| *c != ',' && *c != ' ')
                    .map(|c| match c {
                        '０'..='９' => {
                            char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c)
                        }
                        _ => c,
                    })
                    .collect();
                s.parse().ok()
            }
            Cell::Empty => None,
        }
    }

    #[test]
    fn departments_and_summaries_add_up() {
        let base: BTreeMap<_, f64> = truth().iter().map(|t| (key(t), t.value)).collect();
        let mut lead_files = 0;
        let mut summary_rows = 0;
        for p in layouts::plan() {
            let (Body::Xlsx(sheets) | Body::Ods(sheets)) = &p.body else {
                continue;
            };
            let sh = &sheets[0];
            let period = p.rel[..7].to_string();
            if sh.name == "科室明细" {
                lead_files += 1;
                let total_row = sh
                    .rows
                    .iter()
                    .position(|r| r[0] == Cell::Text("合计".into()))
                    .expect("合计");
                for (ci, (code, _)) in model::DEPT_COLUMNS.iter().enumerate() {
                    let sum: f64 = (3..total_row).filter_map(|r| num(sh.cell(r, ci + 1))).sum();
                    let want = base[&("lead".to_string(), period.clone(), code.to_string())];
                    assert!(
                        (sum - want).abs() < 1e-6,
                        "{} {code}: {sum} vs {want}",
                        p.rel
                    );
                    let cached = num(sh.cell(total_row, ci + 1)).expect("total");
                    assert!((cached - want).abs() < 1e-6, "{} {code} 合计", p.rel);
                }
            }
            if sh.name == "汇总表" {
                for r in 4..sh.rows.len() {
                    let name = match sh.cell(r, 1) {
                        Cell::Text(s) => s.clone(),
                        _ => continue,
                    };
                    let id = match name.as_str() {
                        "合计" => continue,
                        "大沙镇中心卫生院" | "大沙卫生院" | "大沙镇卫生院" => {
                            "dasha"
                        }
                        "石门乡卫生院" => "shimen",
                        "龙泉镇卫生院" => "longquan",
                        "青山镇卫生院" => "qingshan",
                        other => panic!("unknown {other}"),
                    };
                    summary_rows += 1;
                    for (i, code) in layouts::SUMMARY_CODES.iter().enumerate() {
                        let want = base.get(&(id.to_string(), period.clone(), code.to_string()));
                        assert_eq!(
                            num(sh.cell(r, i + 2)),
                            want.copied(),
                            "{} {id} {code}",
                            p.rel
                        );
                    }
                }
            }
        }
        assert_eq!(lead_files, 24);
        assert_eq!(summary_rows, 3 * 24 + 12 - 1);
    }

    fn read_all(path: &Path) -> BTreeMap<String, calamine::Range<calamine::Data>> {
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto(path).expect("opens");
        let names = wb.sheet_names().to_vec();
        names
            .into_iter()
            .map(|n| {
                let r = wb.worksheet_range(&n).expect("sheet");
                (n, r)
            })
            .collect()
    }

    fn assert_same(path: &Path, sheets: &[Sheet], hint: &str) {
        use calamine::Data;
        let got = read_all(path);
        for sh in sheets {
            let r = got
                .get(&sh.name)
                .unwrap_or_else(|| panic!("{} in {}", sh.name, path.display()));
            for (ri, row) in sh.rows.iter().enumerate() {
                for (ci, cell) in row.iter().enumerate() {
                    let v = r.get_value((ri as u32, ci as u32));
                    let ok = match (cell, v) {
                        (Cell::Empty, None | Some(Data::Empty)) => true,
                        (Cell::Empty, Some(Data::String(s))) => s.is_empty(),
                        (Cell::Num(x), Some(Data::Float(f))) => x == f,
                        (Cell::Num(x), Some(Data::Int(i))) => *x == *i as f64,
                        (Cell::Formula(_, x), Some(Data::Float(f))) => x == f,
                        (Cell::Formula(_, x), Some(Data::Int(i))) => *x == *i as f64,
                        (Cell::Text(s), Some(Data::String(g))) => s == g,
                        _ => false,
                    };
                    assert!(
                        ok,
                        "{} {}!{ri},{ci}: wrote {cell:?}, read {v:?}{hint}",
                        path.display(),
                        sh.name
                    );
                }
            }
        }
    }

    #[test]
    fn written_files_read_back() {
        let dir = std::env::temp_dir().join(format!("yilian-sample-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let summary = write_sample(&dir).expect("writes");
        assert_eq!(summary.members, 12);
        assert_eq!(summary.periods.len(), 24);
        let plan = layouts::plan();
        assert_eq!(summary.files.len(), plan.len() + 2);
        let mut total = 0u64;
        for p in &plan {
            let path = dir.join(&p.rel);
            let bytes = std::fs::read(&path).expect("file exists");
            total += bytes.len() as u64;
            match &p.body {
                Body::Xlsx(sheets) => assert_same(&path, sheets, ""),
                Body::Ods(sheets) => assert_same(&path, sheets, ""),
                // The embedded .xls must still match the model (else rerun the script).
                Body::Xls { sheets, .. } => assert_same(
                    &path,
                    sheets,
                    " (model changed: regenerate with scripts/make_xls_fixtures.py)",
                ),
                Body::Text(text, enc) => {
                    let decoded = match enc {
                        Enc::Utf8 => String::from_utf8(bytes).expect("utf-8"),
                        Enc::Utf8Bom => {
                            assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
                            String::from_utf8(bytes[3..].to_vec()).expect("utf-8")
                        }
                        Enc::Gbk => encoding_rs::GBK.decode(&bytes).0.into_owned(),
                        Enc::Gb18030 => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
                    };
                    assert_eq!(&decoded, text, "{}", p.rel);
                }
            }
        }
        assert!(total < 5_000_000, "sample is {total} bytes");
        // Deterministic: a second run writes the same bytes.
        let dir2 = dir.with_extension("again");
        let _ = std::fs::remove_dir_all(&dir2);
        write_sample(&dir2).expect("writes again");
        for p in plan
            .iter()
            .filter(|p| p.rel.ends_with(".xlsx") || p.rel.ends_with(".ods"))
            .take(6)
        {
            assert_eq!(
                std::fs::read(dir.join(&p.rel)).ok(),
                std::fs::read(dir2.join(&p.rel)).ok(),
                "{}",
                p.rel
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&dir2);
    }
}
