//! `yilian check`: wrong, late and missing submissions, each finding naming the member, month,
//! item, file, sheet, cell and value, and why. Rules (documented in docs/check.md):
//!
//! - consistency (`rules::consistency`): surgery sub-counts ≤ total, occupied ≤ open bed-days,
//!   open bed-days ≈ beds × days, discharged vs occupied bed-days; `sumrows`: 合计 rows;
//! - plausibility per tier: occupancy, length of stay, bed turnover;
//! - history: robust outliers against the member's own months, items that went missing;
//! - completeness and timeliness (`completeness`), a member × month matrix;
//! - user rules from `[[rules]]` in consortium.toml;
//! - information: unmapped items, corrections.

pub mod cache;
mod completeness;
mod data;
mod rules;
mod sumrows;
pub mod xlsx;

pub use completeness::{
    matrix as completeness_matrix, notes as completeness_notes, Cell as MatrixCell, Status,
};
pub use data::{month_parts, Data, History, Rec, Shown};

use crate::config::Consortium;
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::model::Severity;
use crate::said;
use crate::store::Store;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One problem, with everything a member needs to find and fix it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Rule name (stable; usable in `[check.severity]`).
    pub rule: String,
    /// Member id; empty for a summary sheet's 合计 row, which is no member's.
    pub member: String,
    pub member_name: String,
    /// YYYY-MM
    pub period: String,
    /// Metric code(s), comma-separated.
    pub item: String,
    pub item_name: String,
    /// The value(s) as found, `code=value` when several.
    pub value: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub message: String,
    /// The same, in Chinese, for the member who must fix the form (退回修改清单, report).
    #[serde(skip)]
    pub message_zh: String,
    /// Items this finding is about, to avoid reporting one fault under several rules.
    #[serde(skip)]
    pub involves: Vec<String>,
}

impl Finding {
    /// A finding about values of one member-month; the place is read off the records.
    pub fn about(
        severity: Severity,
        rule: &str,
        member: &str,
        period: Period,
        parts: &[(&str, &Rec)],
        message: String,
    ) -> Finding {
        let uniq = |f: &dyn Fn(&Rec) -> String| {
            let mut seen: Vec<String> = Vec::new();
            for (_, r) in parts {
                let v = f(r);
                if !v.is_empty() && !seen.contains(&v) {
                    seen.push(v);
                }
            }
            seen.join("; ")
        };
        let value = if parts.len() == 1 {
            parts[0].1.shown()
        } else {
            parts
                .iter()
                .map(|(c, r)| format!("{c}={}", r.shown()))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let cell = if parts.len() == 1 {
            parts[0].1.cell.to_string()
        } else {
            parts
                .iter()
                .map(|(c, r)| format!("{} ({c})", r.cell))
                .collect::<Vec<_>>()
                .join("; ")
        };
        Finding {
            severity,
            rule: rule.to_string(),
            member: member.to_string(),
            member_name: String::new(),
            period: period.to_string(),
            item: parts.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", "),
            item_name: String::new(),
            value,
            file: uniq(&|r| r.source_file.to_string()),
            sheet: uniq(&|r| r.sheet.to_string()),
            cell,
            message,
            message_zh: String::new(),
            involves: parts.iter().map(|(c, _)| c.to_string()).collect(),
        }
    }

    /// A finding with no stored value to point at (a missing submission).
    pub fn bare(
        severity: Severity,
        rule: &str,
        member: &str,
        period: Period,
        message: String,
    ) -> Finding {
        Finding {
            severity,
            rule: rule.to_string(),
            member: member.to_string(),
            member_name: String::new(),
            period: period.to_string(),
            item: String::new(),
            item_name: String::new(),
            value: String::new(),
            file: String::new(),
            sheet: String::new(),
            cell: String::new(),
            message,
            message_zh: String::new(),
            involves: vec![],
        }
    }

    /// Sets the Chinese text (every built-in rule gives one).
    pub fn zh(mut self, text: String) -> Finding {
        self.message_zh = text;
        self
    }

    /// The text for a Chinese reader (`zh`) or an English one; the English one when a
    /// rule gave no Chinese text.
    pub fn message_for(&self, zh: bool) -> &str {
        if zh && !self.message_zh.is_empty() {
            &self.message_zh
        } else {
            &self.message
        }
    }
}

/// What a built-in rule finds, in a few Chinese words, as a quality office writes it to a
/// member: the 退回修改清单 and the report's 数据质量 section share it.
pub fn rule_name_zh(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "grade34_le_surgeries" => "三、四级手术台次大于手术总台次",
        "grades_le_surgeries" => "各级手术台次之和大于手术总台次",
        "mis_le_surgeries" => "微创手术台次大于手术总台次",
        "day_le_surgeries" => "日间手术台次大于手术总台次",
        "occupied_le_open" => "实际占用总床日数大于实际开放总床日数",
        "open_bed_days_vs_beds" => "实际开放总床日数与开放床位数不符",
        "discharged_vs_occupied_bed_days" => "出院者占用总床日数与实际占用总床日数不符",
        "sum_row" => "合计行与各行之和不符",
        "occupancy_range" => "病床使用率超出合理范围",
        "avg_los_range" => "平均住院日超出合理范围",
        "bed_turnover_range" => "病床周转次数超出合理范围",
        "history_outlier" => "与本单位历史数据相差悬殊，疑似录入错误",
        "item_missing" => "上月已填报，本月空缺",
        "missing_submission" => "未报送",
        "late_submission" => "逾期报送",
        "unmapped_item" => "报表中有未能识别的指标项",
        "correction" => "更正报送",
        _ => return None,
    })
}

/// What `check` found: findings and the completeness matrix.
#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub periods: Vec<String>,
    pub completeness: Vec<MatrixCell>,
    /// Things the user should know about how the check ran (no deadline set, …).
    pub notes: Vec<Text>,
}

impl Report {
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
}

/// A user rule, parsed and checked against the catalog.
pub struct CompiledRule {
    pub name: String,
    pub text: String,
    pub severity: Severity,
    pub message: Option<String>,
    pub ast: crate::catalog::formula::Ast,
}

/// Parses every `[[rules]]` entry; a typo is an error naming the rule, never a silent pass.
pub fn compile_rules(consortium: &Consortium) -> Result<Vec<CompiledRule>> {
    let mut out = Vec::new();
    for (i, r) in consortium.file.rules.iter().enumerate() {
        let name = r.name.clone().unwrap_or_else(|| r.rule.trim().to_string());
        let ast = match crate::catalog::formula::resolve(&r.rule, &consortium.catalog) {
            Ok(a) => a,
            Err(e) => bail!(crate::said!(
                Msg::RuleInvalid,
                n = i + 1,
                name = name,
                why => e.text()
            )),
        };
        // Rules are judged per member-month; the consortium-only share has no such value, so
        // a rule on it would never fire: refuse it rather than pass silently.
        let mut vars = std::collections::BTreeSet::new();
        ast.vars(&mut vars);
        if let Some(share) = ["primary_visit_share", "primary_total_visit_share"]
            .into_iter()
            .find(|s| vars.contains(*s))
        {
            bail!(crate::said!(
                Msg::RuleOnShare,
                n = i + 1,
                name = name,
                share = share
            ));
        }
        if !ast.is_comparison() {
            bail!(crate::said!(Msg::RuleNotComparison, n = i + 1, name = name));
        }
        out.push(CompiledRule {
            name,
            text: r.rule.trim().to_string(),
            severity: r.severity,
            message: r.message.clone(),
            ast,
        });
    }
    Ok(out)
}

/// `--debug`: when a stage of `command` ended, in seconds since `t0` and since the process
/// started (`since_start`: one clock for stages on threads side by side), with the memory then.
pub fn stage(command: &str, what: &str, t0: std::time::Instant) {
    log::debug!(
        "{command}: {what} done at {:.2}s ({:.3}s since the start){}",
        t0.elapsed().as_secs_f64(),
        crate::since_start(),
        memory_note()
    );
}

/// `--debug`: the process's resident memory now and at its peak, where the system says
/// (Linux `/proc/self/status`); empty elsewhere.
pub fn memory_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kb = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    match (kb("VmRSS:"), kb("VmHWM:")) {
        (Some(now), Some(peak)) => {
            format!(", {} MB resident (peak {} MB)", now / 1024, peak / 1024)
        }
        _ => String::new(),
    }
}

/// Rule names of the built-in rules, for `[check.severity]` validation.
pub const BUILTIN_RULES: &[&str] = &[
    "grade34_le_surgeries",
    "grades_le_surgeries",
    "mis_le_surgeries",
    "day_le_surgeries",
    "occupied_le_open",
    "open_bed_days_vs_beds",
    "discharged_vs_occupied_bed_days",
    "sum_row",
    "occupancy_range",
    "avg_los_range",
    "bed_turnover_range",
    "history_outlier",
    "item_missing",
    "missing_submission",
    "late_submission",
    "unmapped_item",
    "correction",
];

/// Runs every rule over the store. `period` limits the findings to one month (history still
/// reads the months before it).
pub fn run(consortium: &Consortium, store: &Store, period: Option<Period>) -> Result<Report> {
    run_months(consortium, store, period.map(|p| vec![p]))
}

/// Months checked at a time (each with the month before): at a bureau's scale, six months
/// of 42 items with their lineage are some 400 MB; every part after the first reads the
/// month before it again, and hands its figures on to the next one's history. Four, not
/// six: the report checks its year beside the figures' read, and with parts of six the
/// 42-item benchmark report peaked at up to 1,011 MB (913–936 MB with four; `check` of 36
/// months 1–2% slower, 349–369 → 319–322 MB).
const CHECK_PART_MONTHS: i32 = 4;

/// The first and last month with a row of the month column in any stored version. The
/// months with a figure (the store's summary, `Store::figure_months`) lie within them: when
/// those already span every month asked for, which is all a check of some months needs to
/// know, the store's rows are not scanned for the exact ends.
fn stored_span(store: &Store, months: Option<&[Period]>) -> Result<(Period, Period)> {
    if let (Some(months), figures) = (months, store.figure_months()?) {
        if let (Some(&a), Some(&b)) = (figures.first(), figures.last()) {
            if !months.is_empty() && months.iter().all(|p| (a..=b).contains(p)) {
                return Ok((a, b));
            }
        }
    }
    let stored = store.periods(&crate::store::Filter::all().basis(crate::store::Basis::Month))?;
    match (stored.first(), stored.last()) {
        (Some(&first), Some(&last)) => Ok((first, last)),
        _ => bail!(said!(Msg::NoFigures)),
    }
}

/// Runs every rule, with findings for these months only (all stored months when `None`).
pub fn run_months(
    consortium: &Consortium,
    store: &Store,
    months: Option<Vec<Period>>,
) -> Result<Report> {
    run_months_seen(consortium, store, months, &mut |_: Seen<'_>| {})
}

/// The rows a check read of some of its months, for a caller that needs the same rows (the
/// report's completeness grid and blank items), so the store is not read for them again.
pub struct Seen<'a> {
    /// The checked months of this part.
    pub months: &'a BTreeSet<Period>,
    /// The part's rows of the month column with their lineage, in use or superseded, in
    /// commit order; rows of months outside `months` (the month before) among them.
    pub rows: &'a [std::rc::Rc<crate::store::Stored>],
    /// The months are read again in one part (a file of several months spanned two parts):
    /// what earlier parts gave is to be forgotten.
    pub again: bool,
}

/// `run_months`, handing each part's rows to `see` as it checks them.
pub fn run_months_seen(
    consortium: &Consortium,
    store: &Store,
    months: Option<Vec<Period>>,
    see: &mut dyn FnMut(Seen<'_>),
) -> Result<Report> {
    let user_rules = compile_rules(consortium)?;
    let settings = &consortium.file.check;
    let mut overrides: BTreeMap<String, Option<Severity>> = BTreeMap::new();
    for (rule, sev) in &settings.severity {
        let known =
            BUILTIN_RULES.contains(&rule.as_str()) || user_rules.iter().any(|r| &r.name == rule);
        if !known {
            bail!(crate::said!(
                Msg::SeverityUnknownRule,
                rule = rule,
                rules = BUILTIN_RULES.join(", ")
            ));
        }
        let s = match sev.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "off" => None,
            other => bail!(crate::said!(
                Msg::SeverityBadLevel,
                rule = rule,
                level = other
            )),
        };
        overrides.insert(rule.clone(), s);
    }
    // The first and last month stored (any version, as `Data::span` would give them), then
    // only the months the checks of the targets look at are read.
    let (first, last) = stored_span(store, months.as_deref())?;
    let mut notes = Vec::new();
    for &p in months.iter().flatten() {
        if p < first || p > last {
            notes.push(said!(
                Msg::NothingToCheck,
                first = first,
                last = last,
                period = p
            ));
        }
    }
    let targets: BTreeSet<Period> = match months {
        Some(months) => months.into_iter().collect(),
        None => (first.index()..=last.index())
            .map(Period::from_index)
            .collect(),
    };
    let t0 = std::time::Instant::now();
    // A few months at a time, each part handing its figures on as the next one's history:
    // the months with their lineage are what a check holds, and a whole store's of them
    // took gigabytes at a bureau's scale.
    let mut parts: Vec<BTreeSet<Period>> = match (targets.first(), targets.last()) {
        (Some(&a), Some(&b)) => Period::runs(a, b, CHECK_PART_MONTHS)
            .into_iter()
            .map(|(a, b)| targets.range(a..=b).copied().collect::<BTreeSet<_>>())
            .filter(|part| !part.is_empty())
            .collect(),
        _ => vec![],
    };
    let (mut findings, mut completeness, mut lost_notes, mut undated);
    let mut again = false;
    loop {
        (findings, completeness, lost_notes, undated) = (Vec::new(), Vec::new(), Vec::new(), 0);
        let mut spanned = false;
        let mut carried = None;
        let mut seen: BTreeSet<u64> = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            let (Some(&a), Some(&b)) = (part.first(), part.last()) else {
                continue;
            };
            let history = carried.take().map_or(History::Read, History::Carried);
            let mut data = Data::load(store, Some((a, b)), history)?;
            log::debug!(
                "check: {a}..{b}: read {} rows with lineage, history of {} members in {:.2}s{}",
                data.all.len(),
                data.past.len(),
                t0.elapsed().as_secs_f64(),
                memory_note()
            );
            let seqs = data.seqs_from(a);
            if parts.len() > 1 && !seen.is_disjoint(&seqs) {
                spanned = true;
                break;
            }
            seen.extend(seqs);
            see(Seen {
                months: part,
                rows: &data.all,
                again: std::mem::take(&mut again),
            });
            let far = rules::history_far(consortium, &data, part);
            data.read_earlier(store, &far.wants)?;
            apply_rules(consortium, &user_rules, &data, part, &far, &mut findings);
            let (cells, lost, n) = completeness::matrix(consortium, &data, part, &mut findings);
            completeness.extend(cells);
            lost_notes.extend(lost);
            undated += n;
            // The last part's history is nobody's.
            if i + 1 < parts.len() {
                carried = data.carry();
            }
        }
        if !spanned {
            break;
        }
        // A submission of months in two parts (a file of several months) is checked with
        // all its rows at once, as the rules see it: the months again, in one part.
        parts = vec![targets.clone()];
        again = true;
    }
    // Member by member, then month by month, whatever the parts.
    let rank: HashMap<&str, usize> = consortium
        .members()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    completeness.sort_by(|x, y| {
        (rank.get(x.member.as_str()), &x.period).cmp(&(rank.get(y.member.as_str()), &y.period))
    });
    notes.extend(completeness::notes(consortium, lost_notes, undated));

    for f in &mut findings {
        if let Some(s) = overrides.get(&f.rule) {
            match s {
                Some(s) => f.severity = *s,
                None => f.severity = Severity::Info, // marked below and dropped
            }
        }
        if let Some(m) = consortium.member(&f.member) {
            f.member_name = m.name.clone();
        }
        if f.item_name.is_empty() && !f.involves.is_empty() {
            f.item_name = f
                .involves
                .iter()
                .map(|c| {
                    consortium
                        .catalog
                        .metric(c)
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| c.clone())
                })
                .collect::<Vec<_>>()
                .join("、");
        }
    }
    findings.retain(|f| !matches!(overrides.get(&f.rule), Some(None)));
    log::debug!(
        "check: {} findings in {:.2}s{}",
        findings.len(),
        t0.elapsed().as_secs_f64(),
        memory_note()
    );
    findings.sort_by(|a, b| finding_order(consortium, a, b));
    Ok(Report {
        findings,
        periods: targets.iter().map(|p| p.to_string()).collect(),
        completeness,
        notes,
    })
}

/// The order of a check's findings: member by member (as consortium.toml lists them), then
/// month, severity, rule and item.
pub fn finding_order(consortium: &Consortium, a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let rank = |id: &str| consortium.member_rank(id).unwrap_or(usize::MAX);
    (rank(&a.member), &a.period, a.severity, &a.rule, &a.item).cmp(&(
        rank(&b.member),
        &b.period,
        b.severity,
        &b.rule,
        &b.item,
    ))
}

/// Every rule but completeness over the months `targets` of `data`, into `out`.
fn apply_rules(
    consortium: &Consortium,
    user_rules: &[CompiledRule],
    data: &Data,
    targets: &BTreeSet<Period>,
    far: &rules::Far,
    out: &mut Vec<Finding>,
) {
    let mut cons = Vec::new();
    rules::consistency(consortium, data, targets, &mut cons);
    let values_of = |fs: &[&Finding]| -> BTreeSet<(String, String, String)> {
        fs.iter()
            .flat_map(|f| {
                f.involves
                    .iter()
                    .map(|i| (f.member.clone(), f.period.clone(), i.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let errors_at = values_of(
        &cons
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect::<Vec<_>>(),
    );
    // Occupied above open bed-days is a warning (临时加床 is allowed), but the value it
    // questions is as good as reported: no outlier finding on top of it.
    let inconsistent_at = values_of(
        &cons
            .iter()
            .filter(|f| f.severity == Severity::Error || f.rule == "occupied_le_open")
            .collect::<Vec<_>>(),
    );
    let involved = |f: &Finding, at: &BTreeSet<(String, String, String)>| {
        f.involves
            .iter()
            .any(|i| at.contains(&(f.member.clone(), f.period.clone(), i.clone())))
    };
    let (errors, mut warnings): (Vec<Finding>, Vec<Finding>) = cons
        .into_iter()
        .partition(|f| f.severity == Severity::Error);
    out.extend(errors);
    warnings.retain(|f| !involved(f, &errors_at));
    out.extend(warnings);
    let mut derived = Vec::new();
    rules::plausibility(consortium, data, targets, &mut derived);
    rules::history(consortium, data, targets, far, &mut derived);
    // A value already reported as inconsistent is not reported again as implausible or odd.
    derived.retain(|f| !involved(f, &inconsistent_at));
    out.extend(derived);
    rules::item_missing(data, targets, out);
    rules::user(user_rules, consortium, data, targets, out);
    sumrows::check(consortium, data, targets, out);
    rules::information(data, targets, out);
}
