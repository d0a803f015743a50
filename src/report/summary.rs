//! Headline sentences the way consortium reports state them, generated from the figures, and
//! the Markdown summary.

use super::{Lang, ReportData, KEY_INDICATORS};
use crate::compute::Record;
use crate::export::md_escape;
use crate::render::{human, signed};

/// `同比增长 23.83%` / `同比提高 2.1 个百分点` / `同比缩短 0.30 日`; empty without a prior.
pub fn change_phrase(lang: Lang, r: &Record) -> String {
    let up_down = |v: f64, up: &'static str, down: &'static str| if v >= 0.0 { up } else { down };
    match lang {
        Lang::Zh => {
            if r.unit == "%" {
                return match r.yoy_pp {
                    Some(pp) if pp.abs() < 0.05 => "与上年同期持平".into(),
                    Some(pp) => format!(
                        "同比{} {:.1} 个百分点",
                        up_down(pp, "提高", "下降"),
                        pp.abs()
                    ),
                    None => String::new(),
                };
            }
            // Lengths of stay and other averages read better as an absolute change.
            if r.unit == "日" {
                return match r.change {
                    Some(c) => format!("同比{} {:.2} 日", up_down(c, "延长", "缩短"), c.abs()),
                    None => String::new(),
                };
            }
            match r.yoy_pct {
                Some(p) if p.abs() < 0.005 => "与上年同期持平".into(),
                Some(p) => format!("同比{} {:.2}%", up_down(p, "增长", "下降"), p.abs()),
                None => String::new(),
            }
        }
        Lang::En => {
            if r.unit == "%" {
                return match r.yoy_pp {
                    Some(pp) => format!("{pp:+.1} pp year on year"),
                    None => String::new(),
                };
            }
            if r.unit == "日" {
                return match r.change {
                    Some(c) => format!("{c:+.2} days year on year"),
                    None => String::new(),
                };
            }
            match r.yoy_pct {
                Some(p) => format!("{p:+.2}% year on year"),
                None => String::new(),
            }
        }
    }
}

/// `出院 12,345 人次，同比增长 23.83%`
fn clause(data: &ReportData, r: &Record) -> String {
    let mut name = data.ind_name(&r.indicator);
    // `出院人次 12,345 人次` reads twice: reports say `出院 12,345 人次`.
    if data.lang == Lang::Zh && r.unit != "%" {
        for suffix in ["人次", "例数", "报告数"] {
            if let Some(s) = name.strip_suffix(suffix) {
                name = s.to_string();
                break;
            }
        }
    }
    let value = human(r.value, &r.unit);
    let unit = match r.unit.as_str() {
        "%" => String::new(),
        _ => format!(" {}", data.unit(&r.indicator)),
    };
    let value = if r.unit == "%" {
        value.trim_end_matches('%').to_string() + "%"
    } else {
        value
    };
    let ch = change_phrase(data.lang, r);
    let sep = data.lang.t("，", ", ");
    let is = data.lang.t(" ", " ");
    if ch.is_empty() {
        format!("{name}{is}{value}{unit}")
    } else {
        format!("{name}{is}{value}{unit}{sep}{ch}")
    }
}

/// The headline paragraph: the year to date, then the month, remote services and the holes.
pub fn headlines(data: &ReportData) -> Vec<String> {
    let lang = data.lang;
    let mut out = Vec::new();
    let pick = |ytd: bool, codes: &[&str]| -> Vec<String> {
        codes
            .iter()
            .filter_map(|c| data.record(ytd, "consortium", c))
            .filter(|r| r.value.is_some())
            .map(|r| clause(data, r))
            .collect()
    };
    let main = [
        "discharges",
        "outpatient_visits",
        "inpatient_surgeries",
        "grade34_share",
        "avg_los",
    ];
    let ytd = pick(true, &main);
    if !ytd.is_empty() {
        out.push(match lang {
            Lang::Zh => format!("{}{}{}。", data.ytd_label(), data.title, ytd.join("；")),
            Lang::En => format!("{}, {}: {}.", data.ytd_label(), data.title, ytd.join("; ")),
        });
    }
    let month = pick(
        false,
        &[
            "discharges",
            "outpatient_visits",
            "bed_occupancy",
            "bed_turnover",
        ],
    );
    if !month.is_empty() {
        out.push(match lang {
            Lang::Zh => format!("{}当月{}。", data.period_label(), month.join("；")),
            Lang::En => format!("In {}: {}.", data.period_label(), month.join("; ")),
        });
    }
    let remote = pick(
        true,
        &["remote_services", "referrals_down", "expert_visits"],
    );
    if !remote.is_empty() {
        out.push(match lang {
            Lang::Zh => format!("{}累计{}。", data.ytd_label(), remote.join("；")),
            Lang::En => format!("{} in total: {}.", data.ytd_label(), remote.join("; ")),
        });
    }
    if !out.is_empty() {
        out.push(data.basis_note().to_string());
    }
    out
}

/// Members whose year-to-date figures moved most: (up, down), three each.
pub fn movers(data: &ReportData) -> (Vec<String>, Vec<String>) {
    let mut all: Vec<(&Record, f64)> = data
        .ytd
        .iter()
        .filter(|r| r.scope == "member")
        .filter(|r| {
            [
                "discharges",
                "outpatient_visits",
                "inpatient_surgeries",
                "remote_services",
            ]
            .contains(&r.indicator.as_str())
        })
        // Tiny bases make huge percentages that mean nothing; a figure built on a value
        // `check` flags is a question for the member, not news.
        .filter(|r| r.prior_value.is_some_and(|p| p >= data.min_prior))
        .filter(|r| data.flagged(true, &r.entity, &r.indicator).is_none())
        .filter_map(|r| r.yoy_pct.map(|p| (r, p)))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    let fmt = |(r, p): &(&Record, f64)| {
        format!(
            "{}{}{} {:+.1}%",
            data.member_name(&r.entity),
            data.lang.t("", " "),
            data.ind_name(&r.indicator),
            p
        )
    };
    let up: Vec<String> = all.iter().filter(|x| x.1 > 0.0).take(3).map(fmt).collect();
    let down: Vec<String> = all
        .iter()
        .rev()
        .filter(|x| x.1 < 0.0)
        .take(3)
        .map(fmt)
        .collect();
    (up, down)
}

/// `本月未报送：…；逾期报送：…。`; members whose form states no 填报日期 are named too: "on
/// time" is only said of what a date shows.
pub fn submissions_sentence(data: &ReportData) -> String {
    let lang = data.lang;
    let names = |v: Vec<&super::MemberInfo>| {
        v.iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    let missing = names(data.missing_now());
    let late = names(data.late_now());
    let undated = names(
        data.grid
            .iter()
            .filter(|(_, s)| s.last() == Some(&super::Submission::Undated))
            .map(|(m, _)| m)
            .collect(),
    );
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "{}{missing}",
            lang.t("本月未报送：", "Missing this month: ")
        ));
    }
    if !late.is_empty() {
        parts.push(format!("{}{late}", lang.t("逾期报送：", "Late: ")));
    }
    match (parts.is_empty(), undated.is_empty(), lang) {
        (true, true, _) => lang
            .t(
                "本月各成员单位均已按时报送。",
                "Every member submitted on time this month.",
            )
            .to_string(),
        (true, false, super::Lang::Zh) => format!(
            "本月各成员单位均已报送，其中{undated}未注明填报日期，无法判断是否按时。"
        ),
        (true, false, super::Lang::En) => format!(
            "Every member submitted this month; {undated} stated no submission date (填报日期), so whether on time is unknown."
        ),
        (false, _, _) => {
            if !undated.is_empty() {
                parts.push(format!(
                    "{}{undated}",
                    lang.t(
                        "未注明填报日期（无法判断是否按时）：",
                        "No submission date stated (timeliness unknown): "
                    )
                ));
            }
            parts.join(lang.t("；", "; ")) + lang.t("。", ".")
        }
    }
}

/// `quality`: the 数据质量 rows (`quality::rows`), made once for this and index.html.
pub fn markdown(data: &ReportData, quality: &[super::quality::QualityRow]) -> String {
    let lang = data.lang;
    let mut s = String::new();
    s.push_str(&format!(
        "# {} {}{}\n\n",
        md_escape(&data.title),
        data.period_label(),
        lang.t("医疗业务运行月报", " monthly performance report")
    ));
    if let Some(banner) = data.thin_month_banner() {
        s.push_str(&format!("> **{}**\n\n", md_escape(&banner)));
    }
    s.push_str(&format!("## {}\n\n", lang.t("要点", "Highlights")));
    for h in headlines(data) {
        s.push_str(&format!("- {}\n", md_escape(&h)));
    }
    let (up, down) = movers(data);
    if !up.is_empty() {
        s.push_str(&format!(
            "- {}{}\n",
            lang.t("增幅居前：", "Largest increases: "),
            md_escape(&up.join(lang.t("；", "; ")))
        ));
    }
    if !down.is_empty() {
        s.push_str(&format!(
            "- {}{}\n",
            lang.t("降幅居前：", "Largest decreases: "),
            md_escape(&down.join(lang.t("；", "; ")))
        ));
    }
    s.push_str(&format!("- {}\n\n", md_escape(&submissions_sentence(data))));
    s.push_str(&format!(
        "## {}\n\n| {} | {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|---:|\n",
        lang.t("主要指标（医联体）", "Key indicators (consortium)"),
        lang.t("指标", "Indicator"),
        lang.t("本月", "Month"),
        lang.t("同比", "YoY"),
        lang.t("环比", "MoM"),
        data.ytd_label(),
        lang.t("累计同比", "YTD YoY"),
        lang.t("累计覆盖单位", "Coverage (year to date)"),
    ));
    for code in KEY_INDICATORS
        .iter()
        .chain(["avg_los", "primary_visit_share"].iter())
    {
        let (Some(m), Some(y)) = (
            data.record(false, "consortium", code),
            data.record(true, "consortium", code),
        ) else {
            continue;
        };
        s.push_str(&format!(
            "| {}（{}） | {} | {} | {} | {} | {} | {}/{} |\n",
            md_escape(&data.ind_name(code)),
            md_escape(&data.unit(code)),
            human(m.value, &m.unit),
            short_change(m),
            short_mom(m),
            human(y.value, &y.unit),
            short_change(y),
            y.covered,
            y.members
        ));
    }
    if let Some(note) = data.membership_note() {
        s.push_str(&format!("\n{}\n", md_escape(&note)));
    }
    for (zh, en, codes) in super::THEMES {
        let rows = data.theme_rows(codes);
        if rows.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n## {}\n\n| {} |",
            lang.t(zh, en),
            lang.t("成员单位", "Member")
        ));
        for c in codes {
            s.push_str(&format!(
                " {}（{}） {} | {} | {} |",
                md_escape(&data.ind_name(c)),
                md_escape(&data.unit(c)),
                data.period_label(),
                data.ytd_label(),
                lang.t("累计同比", "YTD YoY")
            ));
        }
        s.push_str(&format!("\n|---|{}\n", "---:|".repeat(codes.len() * 3)));
        for (name, figures) in &rows {
            s.push_str(&format!("| {} |", md_escape(name)));
            for (m, y) in figures {
                let change = y
                    .filter(|r| r.value.is_some())
                    .map_or("—".to_string(), short_change);
                s.push_str(&format!(
                    " {} | {} | {} |",
                    figure_or_dash(*m),
                    figure_or_dash(*y),
                    change
                ));
            }
            s.push('\n');
        }
    }
    s.push_str(&set_sections_md(data));
    if !data.since_joined.is_empty() {
        let [heading, head @ ..] = data.since_joined_headers();
        s.push_str(&format!(
            "\n## {heading}\n\n| {} |\n|---|---|---:|---:|---:|\n",
            head.join(" | ")
        ));
        for (m, r) in data.since_joined_rows() {
            s.push_str(&format!(
                "| {}（{}） | {}（{}） | {} | {} | {} |\n",
                md_escape(&m.name),
                md_escape(&data.joined_label(&m.id)),
                md_escape(&data.ind_name(&r.indicator)),
                md_escape(&data.unit(&r.indicator)),
                human(r.value, &r.unit),
                human(r.prior_value, &r.unit),
                short_change(r)
            ));
        }
    }
    let rows = quality;
    s.push_str(&format!(
        "\n## {}\n\n{}\n",
        lang.t("数据质量", "Data quality"),
        md_escape(&super::quality::sentence(data, rows))
    ));
    if !rows.is_empty() {
        let headers = super::quality::headers(lang);
        s.push_str(&format!(
            "\n| {} |\n|{}\n",
            headers.join(" | "),
            "---|".repeat(headers.len())
        ));
        for r in rows {
            let cells = [
                super::quality::severity_label(lang, r.severity).to_string(),
                r.member.clone(),
                r.months.join(lang.t("、", ", ")),
                r.items.clone(),
                r.values.clone(),
                r.problem.clone(),
                r.place.clone(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    s.push_str(&format!("\n## {}\n\n", lang.t("图表", "Charts")));
    for spec in super::charts::bundle_specs(data) {
        let stem = spec.file_stem();
        s.push_str(&format!("- [{stem}](charts/{stem}.png)\n"));
    }
    s.push_str(&format!(
        "\n{}\n\n{}\n",
        lang.t(
            "完整表格见 report.xlsx，网页版见 index.html。",
            "Full tables in report.xlsx; the web version is index.html."
        ),
        md_escape(&data.colophon())
    ));
    s
}

/// 指标体系 in Markdown: as the HTML page has them (sets.rs).
fn set_sections_md(data: &ReportData) -> String {
    let lang = data.lang;
    let mut s = String::new();
    let table = |t: &crate::export::Table| {
        let mut buf = Vec::new();
        // Writing into memory cannot fail.
        let _ = t.write(crate::export::Format::Md, &mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    };
    for set in &data.sets {
        s.push_str(&format!("\n## {}\n\n", md_escape(&set.heading(lang))));
        for n in set.note(data) {
            s.push_str(&format!("{}\n\n", md_escape(&n)));
        }
        s.push_str(&table(&set.table(data, false)));
        let misses = set.misses_table(data, false, false);
        if !misses.rows.is_empty() {
            s.push_str(&format!(
                "\n### {}\n\n{}",
                lang.t("未达标指标", "Figures missing their target"),
                table(&misses)
            ));
        }
    }
    s
}

/// 环比 as a card shows it: percent for counts and ratios, percentage points for rates (the
/// previous month's rate is value / (1 + mom%), the figure the engine compared with).
pub fn short_mom(r: &Record) -> String {
    match (r.unit.as_str(), r.value, r.mom_pct) {
        ("%", Some(v), Some(m)) if m > -100.0 => {
            format!("{}pp", signed(v - v / (1.0 + m / 100.0), 1))
        }
        (_, _, Some(m)) => format!("{}%", signed(m, 2)),
        _ => "—".into(),
    }
}

/// A record's figure for a table cell, `—` when there is no record or no figure.
pub fn figure_or_dash(r: Option<&Record>) -> String {
    r.and_then(|r| r.value.map(|v| human(Some(v), &r.unit)))
        .unwrap_or_else(|| "—".to_string())
}

/// `+5.36%` or `+2.1pp` for tables.
pub fn short_change(r: &Record) -> String {
    match (r.unit.as_str(), r.yoy_pp, r.yoy_pct) {
        ("%", Some(pp), _) => format!("{}pp", signed(pp, 1)),
        (_, _, Some(p)) => format!("{}%", signed(p, 2)),
        _ => "—".into(),
    }
}
