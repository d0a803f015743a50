//! The report's 数据质量 section: the errors and warnings `check` finds in the months of the
//! year to date, one row per member and kind of problem (repeats collapsed with their months).

use super::{Lang, ReportData};
use crate::check::{rule_name_zh, Finding};
use crate::model::period::Period;
use crate::model::{Fast, Severity};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// One member's findings of one rule.
pub struct QualityRow {
    pub severity: Severity,
    pub member: String,
    pub months: Vec<String>,
    pub items: String,
    pub values: String,
    pub problem: String,
    pub place: String,
}

/// Submissions themselves (missing, late) are said in the report's submission sentence.
fn is_submission_rule(rule: &str) -> bool {
    matches!(rule, "missing_submission" | "late_submission")
}

pub fn rows(data: &ReportData) -> Vec<QualityRow> {
    let mut groups: Vec<(&Finding, Vec<&Finding>)> = Vec::new();
    for f in data
        .findings
        .iter()
        .filter(|f| !is_submission_rule(&f.rule))
    {
        match groups
            .iter_mut()
            .find(|(first, _)| first.member == f.member && first.rule == f.rule)
        {
            Some((_, all)) => all.push(f),
            None => groups.push((f, vec![f])),
        }
    }
    groups
        .into_iter()
        .map(|(first, all)| {
            let mut months: Vec<String> = all.iter().map(|f| f.period.clone()).collect();
            months.dedup();
            let mut items: Vec<&str> = Vec::new();
            for f in &all {
                let name = if f.item_name.is_empty() {
                    &f.item
                } else {
                    &f.item_name
                };
                if !items.contains(&name.as_str()) {
                    items.push(name);
                }
            }
            let values: Vec<String> = all
                .iter()
                .take(3)
                .map(|f| named(data, &f.value))
                .filter(|v| !v.is_empty())
                .collect();
            let more = all.len().saturating_sub(3);
            // The reader's sentence with the figures when the members' list has one (one
            // finding); the rule's short name over several.
            let problem = match data.lang {
                Lang::Zh if all.len() == 1 && !first.message_zh.is_empty() => {
                    first.message_zh.clone()
                }
                Lang::Zh => rule_name_zh(&first.rule)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("审核规则 {}", first.rule)),
                Lang::En => first.message.clone(),
            };
            let place = [&first.file, &first.sheet, &named(data, &first.cell)]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            QualityRow {
                severity: first.severity,
                member: if first.member_name.is_empty() {
                    first.member.clone()
                } else {
                    first.member_name.clone()
                },
                months,
                items: items.join(data.lang.t("、", ", ")),
                values: if more > 0 {
                    format!(
                        "{}{}",
                        values.join(data.lang.t("；", "; ")),
                        match data.lang {
                            Lang::Zh => format!(" 等 {} 处", all.len()),
                            Lang::En => format!(" and {more} more"),
                        }
                    )
                } else {
                    values.join(data.lang.t("；", "; "))
                },
                problem,
                place,
            }
        })
        .collect()
}

/// The sentence above the table.
pub fn sentence(data: &ReportData, rows: &[QualityRow]) -> String {
    let count = |s: Severity| rows.iter().filter(|r| r.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    match data.lang {
        Lang::Zh if rows.is_empty() => format!("{}各月数据未发现错误或警告。", data.ytd_label()),
        Lang::Zh => format!(
            "{}共有错误 {e} 项、警告 {w} 项（同一单位同类问题合并为一项）。涉及的数值已标注“*”，不参与增幅、降幅排名，请相关单位核实后重报。",
            data.ytd_label()
        ),
        Lang::En if rows.is_empty() => {
            format!("No errors or warnings in the months of {}.", data.ytd_label())
        }
        Lang::En => format!(
            "{}: {e} errors and {w} warnings (one line per member and kind of problem). The figures they touch are marked *, left out of the largest increases and decreases, and should be confirmed by the members.",
            data.ytd_label()
        ),
    }
}

pub fn severity_label(lang: Lang, s: Severity) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => s.as_str(),
    }
}

pub fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => ["级别", "成员单位", "月份", "指标", "数值", "问题", "位置"],
        Lang::En => [
            "Severity", "Member", "Months", "Item", "Value", "Problem", "Where",
        ],
    }
}

/// (member, item) → the months of the window the member sent but left this item blank in,
/// while reporting it in another month of the window: why a member's 1-N月 figure is
/// undefined when every month arrived (`8月空缺`). An item never reported in the window is a
/// service the member does not provide, not a blank. Made of the window's base figures of
/// the month column in use (`add` each, then `finish`).
#[derive(Default)]
pub struct BlankItems {
    // member → months sent (any figure); (member, item) → months with a figure. Keyed by
    // the store's shared texts: a year of a bureau's figures is half a million rows.
    sent: HashMap<Arc<str>, BTreeSet<Period>, Fast>,
    has: HashMap<(Arc<str>, Arc<str>), BTreeSet<Period>, Fast>,
    /// The (member, month) `sent` holds last: a submission's figures come together.
    last: Option<(Arc<str>, Period)>,
}

impl BlankItems {
    /// A figure in use: `member`'s base figure of `metric`, month column, month `p`.
    pub fn add(&mut self, member: &Arc<str>, metric: &Arc<str>, p: Period) {
        if self
            .last
            .as_ref()
            .is_none_or(|(m, q)| *q != p || m != member)
        {
            self.sent.entry(Arc::clone(member)).or_default().insert(p);
            self.last = Some((Arc::clone(member), p));
        }
        self.has
            .entry((Arc::clone(member), Arc::clone(metric)))
            .or_default()
            .insert(p);
    }

    /// (member, item) → the months it was blank in, for the items with such a month.
    pub fn finish(self) -> HashMap<(String, String), Vec<Period>> {
        let mut out = HashMap::new();
        for ((m, x), with) in self.has {
            let blank: Vec<_> = self
                .sent
                .get(&m)
                .map(|s| s.difference(&with).copied().collect())
                .unwrap_or_default();
            if !blank.is_empty() {
                out.insert((m.to_string(), x.to_string()), blank);
            }
        }
        out
    }
}

/// `surgeries_grade3=25; inpatient_surgeries=19` and `L7 (surgeries_grade3)` as a reader
/// reads them: item codes replaced by the items' names in the report's language.
fn named(data: &ReportData, text: &str) -> String {
    let mut out = text.to_string();
    // Longest codes first, so that `surgeries_grade3` is not cut by `surgeries`.
    let mut codes: Vec<&str> = data.defs.iter().map(|d| d.code.as_str()).collect();
    codes.sort_by_key(|c| std::cmp::Reverse(c.len()));
    for code in codes {
        if out.contains(code) {
            out = out.replace(code, &data.ind_name(code));
        }
    }
    out
}
