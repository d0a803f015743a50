//! The report's 数据质量 section: the errors and warnings `check` finds in the months of the
//! year to date, one row per member and kind of problem (repeats collapsed with their months).

use super::{Lang, ReportData};
use crate::check::{rule_name_zh, Finding};
use crate::compute::Names;
use crate::model::period::Period;
use crate::model::{Fast, Severity};
use std::collections::HashMap;
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
    // In the order of each group's first finding; found by a hash of (member, rule), not by
    // looking through the groups (a bureau's year has thousands of each).
    let mut groups: Vec<(&Finding, Vec<&Finding>)> = Vec::new();
    let mut at: HashMap<(&str, &str), usize, Fast> = HashMap::default();
    for f in data
        .findings
        .iter()
        .filter(|f| !is_submission_rule(&f.rule))
    {
        match at.entry((f.member.as_str(), f.rule.as_str())) {
            std::collections::hash_map::Entry::Occupied(e) => groups[*e.get()].1.push(f),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push((f, vec![f]));
            }
        }
    }
    let named = Named::new(data);
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
                .map(|f| named.of(&f.value))
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
            let place = [&first.file, &first.sheet, &named.of(&first.cell)]
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
    // Members and items numbered as first seen: a year of a bureau's figures is a million
    // rows, each two small numbers here rather than two shared texts to count and hash.
    members: Names,
    items: Names,
    /// By member: the months it sent (any figure), in order.
    sent: Vec<Vec<Period>>,
    /// By member, by item: the months with a figure, in order (a few each: lists, not
    /// sets; by number, not hashed: a year of a bureau's figures is a million `add`s).
    has: Vec<Vec<Vec<Period>>>,
    /// The (member, month) `sent` holds last: a submission's figures come together.
    last: Option<(u32, Period)>,
}

/// Adds `p` to the ordered list `v` unless it holds it (months come mostly in order).
fn insert_sorted(v: &mut Vec<Period>, p: Period) {
    match v.last() {
        Some(&l) if l == p => {}
        Some(&l) if l < p => v.push(p),
        None => v.push(p),
        Some(_) => {
            if let Err(i) = v.binary_search(&p) {
                v.insert(i, p);
            }
        }
    }
}

impl BlankItems {
    /// A figure in use: `member`'s base figure of `metric`, month column, month `p`.
    pub fn add(&mut self, member: &Arc<str>, metric: &Arc<str>, p: Period) {
        let m = self.members.id(member);
        if self.last != Some((m, p)) {
            if self.sent.len() <= m as usize {
                self.sent.resize_with(m as usize + 1, Vec::new);
                self.has.resize_with(m as usize + 1, Vec::new);
            }
            insert_sorted(&mut self.sent[m as usize], p);
            self.last = Some((m, p));
        }
        let x = self.items.id(metric) as usize;
        let items = &mut self.has[m as usize];
        if items.len() <= x {
            items.resize_with(x + 1, Vec::new);
        }
        insert_sorted(&mut items[x], p);
    }

    /// The items with a figure in month `p`, member by member: what `add` was given of that
    /// month, as the items' names and each member's indexes into them.
    pub fn of_month(&self, p: Period) -> (Vec<String>, Vec<(String, Vec<u32>)>) {
        let items = self.items.names().iter().map(|x| x.to_string()).collect();
        let figures = self
            .has
            .iter()
            .enumerate()
            .filter_map(|(m, by_item)| {
                // In item order: the numbers come in order.
                let xs: Vec<u32> = (0..by_item.len() as u32)
                    .filter(|&x| by_item[x as usize].binary_search(&p).is_ok())
                    .collect();
                (!xs.is_empty()).then(|| (self.members.name(m as u32).to_string(), xs))
            })
            .collect();
        (items, figures)
    }

    /// (member, item) → the months it was blank in, for the items with such a month.
    pub fn finish(self) -> HashMap<(String, String), Vec<Period>> {
        let mut out = HashMap::new();
        for (m, by_item) in self.has.iter().enumerate() {
            // An item the member never reported has no list (or an empty one): no blank.
            for (x, with) in by_item.iter().enumerate().filter(|(_, w)| !w.is_empty()) {
                let blank: Vec<_> = self.sent[m]
                    .iter()
                    .filter(|p| with.binary_search(p).is_err())
                    .copied()
                    .collect();
                if !blank.is_empty() {
                    let (m, x) = (self.members.name(m as u32), self.items.name(x as u32));
                    out.insert((m.to_string(), x.to_string()), blank);
                }
            }
        }
        out
    }
}

/// `surgeries_grade3=25; inpatient_surgeries=19` and `L7 (surgeries_grade3)` as a reader
/// reads them: item codes replaced by the items' names in the report's language.
struct Named<'a> {
    data: &'a ReportData,
    /// Longest first, so that `surgeries_grade3` is not cut by `surgeries`; sorted once for
    /// every text (a bureau's year names thousands).
    codes: Vec<&'a str>,
}

impl<'a> Named<'a> {
    fn new(data: &'a ReportData) -> Named<'a> {
        let mut codes: Vec<&str> = data.defs.iter().map(|d| d.code.as_str()).collect();
        codes.sort_by_key(|c| std::cmp::Reverse(c.len()));
        Named { data, codes }
    }

    fn of(&self, text: &str) -> String {
        let mut out = text.to_string();
        for code in &self.codes {
            if out.contains(code) {
                out = out.replace(code, &self.data.ind_name(code));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::BlankItems;
    use crate::model::period::Period;
    use std::collections::HashMap;
    use std::sync::Arc;

    #[test]
    fn blank_items_are_months_sent_without_the_item() {
        let p = |m| Period::new(2025, m).unwrap();
        // Texts as a store read shares them, and a copy of equal text (another read's).
        let (a, b) = (Arc::<str>::from("m1"), Arc::<str>::from("m2"));
        let (visits, beds) = (Arc::<str>::from("visits"), Arc::<str>::from("beds"));
        let a_copy = Arc::<str>::from("m1");
        let mut blanks = BlankItems::default();
        // m1 sends January (both items), February (visits only), March (beds only, its
        // member text another copy); m2 sends January and March with visits, and never
        // reports beds (a service it does not provide: no blank).
        blanks.add(&a, &visits, p(1));
        blanks.add(&a, &beds, p(1));
        blanks.add(&b, &visits, p(1));
        blanks.add(&a, &visits, p(2));
        blanks.add(&a_copy, &beds, p(3));
        blanks.add(&b, &visits, p(3));
        // A month given again, and one out of order (an earlier month's correction).
        blanks.add(&a, &visits, p(2));
        blanks.add(&a, &visits, p(1));
        // More items than the few found by address, in turn: each only in March.
        let others: Vec<Arc<str>> = (0..6).map(|i| Arc::from(format!("x{i}"))).collect();
        for x in &others {
            blanks.add(&b, x, p(3));
        }
        let key = |m: &str, x: &str| (m.to_string(), x.to_string());
        let mut want: HashMap<(String, String), Vec<Period>> = HashMap::new();
        want.insert(key("m1", "visits"), vec![p(3)]);
        want.insert(key("m1", "beds"), vec![p(2)]);
        for i in 0..6 {
            want.insert(key("m2", &format!("x{i}")), vec![p(1)]);
        }
        // What a month was given, as a report keeps it for the next (`check::cache`).
        let of = |p| -> Vec<(String, String)> {
            let (items, figures) = blanks.of_month(p);
            let mut v: Vec<(String, String)> = figures
                .into_iter()
                .flat_map(|(m, xs)| {
                    let items = &items;
                    xs.into_iter()
                        .map(move |x| (m.clone(), items[x as usize].clone()))
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(of(p(2)), [key("m1", "visits")]);
        assert_eq!(
            of(p(1)),
            [key("m1", "beds"), key("m1", "visits"), key("m2", "visits")]
        );
        assert!(of(p(4)).is_empty());
        assert_eq!(blanks.finish(), want);
    }
}
