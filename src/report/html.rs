//! index.html: one self-contained page (inline CSS, inline SVG charts, the CJK font inlined
//! as WOFF2) that opens without a network and prints on A4. Every string that comes from a
//! member or the consortium file goes through `esc`.

use super::charts::{ChartKind, ChartSpec};
use super::summary::{
    figure_or_dash, headlines, movers, short_change, short_mom, submissions_sentence,
};
use super::{font, ReportData, KEY_INDICATORS, THEMES};
use crate::compute::Record;
use crate::render::{human, is_good};

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "YilianSC", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  color: #222b36; margin: 0; background: #f4f6f9; line-height: 1.6; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; }
header { border-bottom: 3px solid #1f5fa8; margin-bottom: 18px; }
h1 { font-size: 26px; margin: 0 0 4px; color: #12355b; }
.meta { color: #5f6b7a; font-size: 14px; margin-bottom: 10px; }
h3 { font-size: 15px; color: #12355b; margin: 14px 0 8px; }
h2 { font-size: 19px; color: #12355b; border-left: 5px solid #1f5fa8; padding-left: 10px; margin: 28px 0 12px; }
.banner { background: #fff4e5; border-left: 4px solid #d9822b; padding: 8px 12px; margin: 0 0 14px; font-weight: 600; }
p.note { color: #5f6b7a; font-size: 13px; }
ul.lead { padding-left: 20px; margin: 0; } ul.lead li { margin: 4px 0; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.card { border: 1px solid #dfe4ea; border-radius: 6px; padding: 10px 14px; break-inside: avoid; }
.card .name { color: #5f6b7a; font-size: 14px; }
.card .value { font-size: 24px; font-weight: bold; }
.card .unit { font-size: 13px; color: #5f6b7a; margin-left: 4px; }
.card .sub { font-size: 13px; color: #5f6b7a; }
.good { color: #1e7b34; } .bad { color: #c00000; } .flat { color: #5f6b7a; }
figure { margin: 0 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #eef0f3; }
svg text { font-family: "YilianSC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif !important; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-bottom: 12px; }
th, td { border: 1px solid #dfe4ea; padding: 4px 8px; }
th { background: #ddebf7; font-weight: bold; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .why { color: #9c5700; font-size: 12px; }
/* Names of members and tiers stay on one line; on A4 the figures share what is left. */
th:first-child, td:first-child { white-space: nowrap; }
tr { break-inside: avoid; }
footer { margin-top: 28px; font-size: 12px; color: #5f6b7a; }
@media print { body { background: #fff; } main { padding: 0; max-width: none; }
  h2 { break-after: avoid; } .cards { grid-template-columns: repeat(3, 1fr); }
  table { font-size: 10.5px; } th, td { padding: 3px 4px; } }
"#;

fn change_class(r: &Record, dir: crate::catalog::Direction) -> &'static str {
    let v = if r.unit == "%" { r.yoy_pp } else { r.yoy_pct };
    match v.and_then(|x| is_good(x, dir)) {
        Some(true) => "good",
        Some(false) => "bad",
        None => "flat",
    }
}

fn arrow(r: &Record) -> &'static str {
    let v = if r.unit == "%" { r.yoy_pp } else { r.yoy_pct };
    match v {
        Some(x) if x > 0.0 => "↑",
        Some(x) if x < 0.0 => "↓",
        _ => "",
    }
}

fn change_cell(data: &ReportData, r: Option<&Record>) -> String {
    let Some(r) = r else {
        return "<td class=\"n\">—</td>".into();
    };
    let class = change_class(r, data.direction(&r.indicator));
    format!(
        "<td class=\"n {class}\">{}{}</td>",
        arrow(r),
        esc(&short_change(r))
    )
}

/// The page; `svgs` are the bundle's charts as drawn.
/// `quality`: the 数据质量 rows (`quality::rows`), made once for this page and summary.md.
pub fn page(
    data: &ReportData,
    svgs: &[(ChartSpec, String)],
    quality: &[super::quality::QualityRow],
) -> String {
    let lang = data.lang;
    let mut h = String::new();
    let title = format!(
        "{} {}{}",
        data.title,
        data.period_label(),
        lang.t("医疗业务运行月报", " monthly performance report")
    );
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n@font-face {{ font-family: \"YilianSC\"; src: url(data:font/woff2;base64,{}) format(\"woff2\"); }}\n{CSS}</style>\n</head>\n<body><main>\n",
        lang.t("zh-CN", "en"),
        esc(&title),
        base64(font::FONT_WOFF2)
    ));
    h.push_str(&format!(
        "<header><h1>{}</h1><div class=\"meta\">{}{} · {}{} · {}</div></header>\n",
        esc(&title),
        lang.t("统计期间：", "Period: "),
        esc(&data.period_label()),
        lang.t("本年累计：", "Year to date: "),
        esc(&data.ytd_label()),
        esc(data.basis_label())
    ));
    if let Some(banner) = data.thin_month_banner() {
        h.push_str(&format!("<div class=\"banner\">{}</div>\n", esc(&banner)));
    }

    h.push_str(&format!(
        "<h2>{}</h2>\n<ul class=\"lead\">\n",
        lang.t("要点", "Highlights")
    ));
    for s in headlines(data) {
        h.push_str(&format!("<li>{}</li>\n", esc(&s)));
    }
    let (up, down) = movers(data);
    if !up.is_empty() {
        h.push_str(&format!(
            "<li>{}{}</li>\n",
            lang.t("增幅居前：", "Largest increases: "),
            esc(&up.join(lang.t("；", "; ")))
        ));
    }
    if !down.is_empty() {
        h.push_str(&format!(
            "<li>{}{}</li>\n",
            lang.t("降幅居前：", "Largest decreases: "),
            esc(&down.join(lang.t("；", "; ")))
        ));
    }
    h.push_str(&format!(
        "<li>{}</li>\n</ul>\n",
        esc(&submissions_sentence(data))
    ));

    h.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"cards\">\n",
        lang.t("主要指标", "Key indicators")
    ));
    for code in KEY_INDICATORS {
        let (Some(m), y) = (
            data.record(false, "consortium", code),
            data.record(true, "consortium", code),
        ) else {
            continue;
        };
        let dir = data.direction(code);
        let unit = if m.unit == "%" {
            String::new()
        } else {
            data.unit(code)
        };
        let value = human(m.value, &m.unit);
        h.push_str(&format!(
            "<div class=\"card\"><div class=\"name\">{}（{}）</div><div class=\"value\">{}<span class=\"unit\">{}</span></div><div class=\"sub\">{} <span class=\"{}\">{}{}</span> · {} {}<br>{} {} <span class=\"{}\">{}</span></div></div>\n",
            esc(&data.ind_name(code)),
            esc(&data.period_label()),
            esc(&value),
            esc(&unit),
            lang.t("同比", "YoY"),
            change_class(m, dir),
            arrow(m),
            esc(&short_change(m)),
            lang.t("环比", "MoM"),
            esc(&short_mom(m)),
            esc(&data.ytd_label()),
            esc(&y.map(|y| human(y.value, &y.unit)).unwrap_or_default()),
            y.map(|y| change_class(y, dir)).unwrap_or("flat"),
            esc(&y.map(short_change).unwrap_or_default()),
        ));
    }
    h.push_str("</div>\n");
    h.push_str(&quality_section(data, quality));

    let section = |h: &mut String, heading: &str, kinds: &[ChartKind]| {
        h.push_str(&format!("<h2>{}</h2>\n", esc(heading)));
        for (spec, svg) in svgs.iter().filter(|(s, _)| kinds.contains(&s.kind)) {
            h.push_str(&format!(
                "<figure id=\"{}\">{}</figure>\n",
                esc(&spec.file_stem()),
                strip_xml_decl(svg)
            ));
        }
    };
    section(
        &mut h,
        lang.t("月度趋势", "Monthly trends"),
        &[ChartKind::Trend],
    );
    section(
        &mut h,
        lang.t("成员单位月度趋势", "Members by month"),
        &[ChartKind::MemberTrends],
    );
    section(
        &mut h,
        lang.t("成员单位对比", "Members compared"),
        &[ChartKind::Members, ChartKind::MembersYtd],
    );
    h.push_str(&member_table(data));
    section(
        &mut h,
        lang.t(
            "手术、远程医疗与基层诊疗",
            "Surgery, remote services and primary care",
        ),
        &[
            ChartKind::Surgery,
            ChartKind::Remote,
            ChartKind::PrimaryShare,
        ],
    );
    h.push_str(&tier_table(data));
    for (zh, en, codes) in THEMES {
        h.push_str(&theme_table(data, lang.t(zh, en), codes));
    }
    h.push_str(&set_sections(data));
    h.push_str(&since_joined_table(data));
    section(
        &mut h,
        lang.t("数据报送情况", "Submissions"),
        &[ChartKind::Completeness],
    );
    h.push_str(&format!(
        "<footer>{}<br>{}</footer>\n</main></body></html>\n",
        lang.t(
            "比率指标均由汇总后的分子、分母重新计算；“覆盖单位”为参与计算的成员单位数/应报单位数。由 yilian 生成，完整表格见 report.xlsx。",
            "Ratios are recomputed from summed numerators and denominators; coverage is members included / members reporting the item. Generated by yilian; full tables in report.xlsx."
        ),
        esc(&data.colophon())
    ));
    h
}

/// A theme's member table (分级诊疗, 资源下沉): the month and the year to date with its YoY,
/// for the members that report the items, and the consortium's total; nothing when none does.
fn theme_table(data: &ReportData, heading: &str, codes: &[&str]) -> String {
    let rows = data.theme_rows(codes);
    if rows.is_empty() {
        return String::new();
    }
    let lang = data.lang;
    let mut h = format!(
        "<h2>{}</h2>\n<table><thead><tr><th rowspan=\"2\">{}</th>",
        esc(heading),
        lang.t("成员单位", "Member")
    );
    for c in codes {
        h.push_str(&format!(
            "<th colspan=\"3\">{}（{}）</th>",
            esc(&data.ind_name(c)),
            esc(&data.unit(c))
        ));
    }
    h.push_str("</tr><tr>");
    for _ in codes {
        h.push_str(&format!(
            "<th>{}</th><th>{}</th><th>{}</th>",
            esc(&data.period_label()),
            esc(&data.ytd_label()),
            lang.t("累计同比", "YTD YoY")
        ));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (name, figures) in &rows {
        h.push_str(&format!("<tr><td>{}</td>", esc(name)));
        for (m, y) in figures {
            h.push_str(&format!(
                "<td class=\"n\">{}</td><td class=\"n\">{}</td>{}",
                esc(&figure_or_dash(*m)),
                esc(&figure_or_dash(*y)),
                change_cell(data, y.filter(|r| r.value.is_some()))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// 托管前后对比: each member in its second year, its first twelve member months against the
/// twelve before joining, on the key indicators it reports.
fn since_joined_table(data: &ReportData) -> String {
    if data.since_joined.is_empty() {
        return String::new();
    }
    let [heading, head @ ..] = data.since_joined_headers();
    let mut h = format!("<h2>{}</h2>\n<table><thead><tr>", esc(heading));
    for c in head {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (m, r) in data.since_joined_rows() {
        h.push_str(&format!(
                "<tr><td>{}（{}）</td><td>{}（{}）</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>\n",
                esc(&m.name),
                esc(&data.joined_label(&m.id)),
                esc(&data.ind_name(&r.indicator)),
                esc(&data.unit(&r.indicator)),
                esc(&human(r.value, &r.unit)),
                esc(&human(r.prior_value, &r.unit)),
                change_cell(data, Some(r))
            ));
    }
    h.push_str("</tbody></table>\n");
    h
}

/// 指标体系: a section per set the data fill in part (sets.rs): the source and the items
/// with no data, the figures with 同比 and 达标, then the misses.
fn set_sections(data: &ReportData) -> String {
    let lang = data.lang;
    let mut h = String::new();
    for s in &data.sets {
        h.push_str(&format!("<h2>{}</h2>\n", esc(&s.heading(lang))));
        for n in s.note(data) {
            h.push_str(&format!("<p class=\"note\">{}</p>\n", esc(&n)));
        }
        h.push_str(&html_table(&s.table(data, false)));
        let misses = s.misses_table(data, false, false);
        if !misses.rows.is_empty() {
            h.push_str(&format!(
                "<h3>{}</h3>\n",
                esc(lang.t("未达标指标", "Figures missing their target"))
            ));
            h.push_str(&html_table(&misses));
        } else if s.has_targets() {
            h.push_str(&format!(
                "<p>{}</p>\n",
                esc(lang.t(
                    "设有目标值的指标均已达标。",
                    "Every figure with a target meets it."
                ))
            ));
        }
    }
    h
}

/// A typed table as HTML: figures right-aligned, tones as the report's colours.
fn html_table(t: &crate::export::Table) -> String {
    use crate::export::Tone;
    let mut h = String::from("<table><thead><tr>");
    for c in t.shown_headers() {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (i, row) in t.rows.iter().enumerate() {
        h.push_str("<tr>");
        for (c, v) in row.iter().enumerate() {
            let mut class = Vec::new();
            if t.right.get(c).copied().unwrap_or(false) {
                class.push("n");
            }
            match t.style(i, c).tone {
                Tone::Good => class.push("good"),
                Tone::Bad => class.push("bad"),
                Tone::Plain => {}
            }
            if class.is_empty() {
                h.push_str(&format!("<td>{}</td>", esc(&v.text())));
            } else {
                h.push_str(&format!(
                    "<td class=\"{}\">{}</td>",
                    class.join(" "),
                    esc(&v.text())
                ));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// Plotters writes an XML declaration, which has no place inside HTML.
fn strip_xml_decl(svg: &str) -> &str {
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest
            .find("?>")
            .map(|i| rest[i + 2..].trim_start())
            .unwrap_or(svg),
        None => svg,
    }
}

fn member_table(data: &ReportData) -> String {
    let lang = data.lang;
    let codes = [
        "discharges",
        "outpatient_visits",
        "inpatient_surgeries",
        "remote_services",
    ];
    let mut h = format!(
        "<table><thead><tr><th>{}</th><th>{}</th>",
        lang.t("成员单位", "Member"),
        lang.t("层级", "Tier")
    );
    for c in codes {
        h.push_str(&format!(
            "<th>{}<br>{}</th><th>{}</th>",
            esc(&data.ind_name(c)),
            esc(&data.ytd_label()),
            lang.t("同比", "YoY")
        ));
    }
    h.push_str("</tr></thead><tbody>\n");
    for m in &data.members {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>",
            esc(&m.name),
            esc(&m.tier.map(|t| data.tier_name(t.code())).unwrap_or_default())
        ));
        for c in codes {
            let r = data.record(true, &m.id, c);
            // A figure built on a value `check` flags is marked and explained in 数据质量.
            let mark = match data.flagged(true, &m.id, c) {
                Some(f) => format!(
                    "<sup title=\"{}\">*</sup>",
                    esc(&format!("{} {}", f.period, f.item_name))
                ),
                None => String::new(),
            };
            let shown = match r.filter(|r| r.value.is_some()) {
                Some(r) => esc(&human(r.value, &r.unit)),
                None => match undefined_why(data, &m.id, c) {
                    Some(why) => format!("<span class=\"why\">{}</span>", esc(&why)),
                    None => "—".into(),
                },
            };
            h.push_str(&format!(
                "<td class=\"n\">{shown}{mark}</td>{}",
                change_cell(data, r.filter(|r| r.value.is_some()))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// Why a member's 1-N月 figure is undefined: the months it did not send (`8月未报送`), else
/// the months it left an item of the figure blank (`8月空缺`).
fn undefined_why(data: &ReportData, member: &str, code: &str) -> Option<String> {
    let lang = data.lang;
    let months = |ps: &[crate::model::period::Period]| -> String {
        match lang {
            crate::report::Lang::Zh => {
                ps.iter()
                    .map(|p| p.month().to_string())
                    .collect::<Vec<_>>()
                    .join("、")
                    + "月"
            }
            crate::report::Lang::En => ps
                .iter()
                .map(|p| crate::report::month_en(p.month()))
                .collect::<Vec<_>>()
                .join(", "),
        }
    };
    let year = data.period.year();
    let (_, row) = data.grid.iter().find(|(m, _)| m.id == member)?;
    let missing: Vec<crate::model::period::Period> = data
        .grid_months
        .iter()
        .zip(row)
        .filter(|(p, s)| p.year() == year && **s == super::Submission::Missing)
        .map(|(p, _)| *p)
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "{}{}",
            months(&missing),
            lang.t("未报送", " not sent")
        ));
    }
    let def = data.def(code)?;
    let mut parts = Vec::new();
    for op in &def.operands {
        if let Some(ps) = data.blanks.get(&(member.to_string(), op.clone())) {
            // A figure of one item says only the months; a sum names the blank item.
            let name = if def.operands.len() > 1 {
                data.ind_name(op)
            } else {
                String::new()
            };
            parts.push(match lang {
                crate::report::Lang::Zh => format!("{}{name}空缺", months(ps)),
                crate::report::Lang::En if name.is_empty() => format!("{} blank", months(ps)),
                crate::report::Lang::En => format!("{name} blank in {}", months(ps)),
            });
        }
    }
    (!parts.is_empty()).then(|| parts.join(lang.t("；", "; ")))
}

fn tier_table(data: &ReportData) -> String {
    let lang = data.lang;
    let codes = [
        "outpatient_visits",
        "discharges",
        "bed_occupancy",
        "avg_los",
        "grade34_share",
        "remote_services",
    ];
    let mut h = format!(
        "<h2>{}</h2><table><thead><tr><th>{}</th>",
        esc(&format!(
            "{}{}",
            lang.t("分层级指标 · ", "By tier · "),
            data.ytd_label()
        )),
        lang.t("层级", "Tier")
    );
    for c in codes {
        h.push_str(&format!(
            "<th>{}</th><th>{}</th>",
            esc(&data.ind_name(c)),
            lang.t("同比", "YoY")
        ));
    }
    h.push_str("</tr></thead><tbody>\n");
    for t in crate::model::Tier::ALL {
        h.push_str(&format!("<tr><td>{}</td>", esc(&data.tier_name(t.code()))));
        for c in codes {
            let r = data.record(true, t.code(), c).filter(|r| r.value.is_some());
            h.push_str(&format!(
                "<td class=\"n\">{}</td>{}",
                esc(&r
                    .map(|r| human(r.value, &r.unit))
                    .unwrap_or_else(|| "—".into())),
                change_cell(data, r)
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    if let Some(note) = data.membership_note() {
        h.push_str(&format!("<p class=\"note\">{}</p>\n", esc(&note)));
    }
    h
}

/// 数据质量: the year to date's errors and warnings, one row per member and kind of problem.
fn quality_section(data: &ReportData, rows: &[super::quality::QualityRow]) -> String {
    let lang = data.lang;
    let mut h = format!(
        "<h2>{}</h2>\n<p>{}</p>\n",
        lang.t("数据质量", "Data quality"),
        esc(&super::quality::sentence(data, rows))
    );
    if rows.is_empty() {
        return h;
    }
    h.push_str("<table class=\"quality\"><thead><tr>");
    for c in super::quality::headers(lang) {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>\n");
    for r in rows {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(super::quality::severity_label(lang, r.severity)),
            esc(&r.member),
            esc(&r.months.join(lang.t("、", ", "))),
            esc(&r.items),
            esc(&r.values),
            esc(&r.problem),
            esc(&r.place)
        ));
    }
    h.push_str("</tbody></table>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(
            esc("<script>alert(1)</script>&\"'"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"
        );
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(strip_xml_decl("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
    }
}
