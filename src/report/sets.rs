//! 指标体系: a report section per named indicator set (三级国考, 二级国考, 医共体监测) that the
//! consortium's data fill in part: each item's month and year-to-date figure with its 同比,
//! 目标值 and 达标 mark for the consortium and the tiers the system assesses, the items no
//! member reported listed as 未上报 (never 0), and the figures that miss their target.

use super::summary::short_change;
use super::{Lang, ReportData};
use crate::catalog::{Direction, Set};
use crate::compute::{apply_targets, Def, Record};
use crate::config::Consortium;
use crate::export::xlsx::value_style;
use crate::export::{NumStyle, Style, Table, Tone, Value};
use crate::model::Tier;
use crate::render::{human, met_text, met_tone, rounded, tone};
use std::collections::{HashMap, HashSet};

/// One set's section, computed once from the report's month and year-to-date records.
#[derive(Clone, Debug)]
pub struct SetSection {
    pub set: Set,
    /// Per entity shown (the consortium, then each of the set's tiers with a figure), each
    /// item in the set's order: its month and year-to-date records, targets applied.
    pub rows: Vec<SetRow>,
    /// Items of the set no member reported the figures of (未上报).
    pub unreported: Vec<String>,
    /// Figures of the set's items that miss their target, every scope and both windows.
    pub misses: Vec<Record>,
}

#[derive(Clone, Debug)]
pub struct SetRow {
    pub scope: String,
    pub entity: String,
    pub code: String,
    pub month: Option<Record>,
    pub ytd: Option<Record>,
    /// No member of the entity reported what the item is made of (未上报).
    pub unreported: bool,
}

/// The items of `set` that were not reported in `records`: an item is reported only when
/// every part it needs (the numerator and the denominator of a ratio, the items of a sum)
/// has a figure somewhere. Such an item is not 0: its records say nothing.
pub fn unreported<'a>(
    set: &Set,
    defs: &[Def],
    records: impl IntoIterator<Item = &'a Record>,
) -> Vec<String> {
    let reported: HashSet<&str> = records
        .into_iter()
        .filter(|r| r.value.is_some())
        .map(|r| r.indicator.as_str())
        .collect();
    set.items
        .iter()
        .filter(|code| {
            defs.iter().find(|d| &d.code == *code).is_some_and(|d| {
                let groups = d.operand_groups();
                groups.is_empty()
                    || groups
                        .iter()
                        .any(|g| !g.iter().any(|x| reported.contains(x.as_str())))
            })
        })
        .cloned()
        .collect()
}

/// Empties the figures of each entity's records of the set's items that entity did not
/// report (`unreported` over its own records: a hospital that never sends 预约诊疗人次 has no
/// 预约诊疗率, not 0%), and returns the items no entity reported. `records` must hold the
/// items the set's indicators are made of.
pub fn blank_unreported(set: &Set, defs: &[Def], records: &mut [Record]) -> Vec<String> {
    let (nowhere, silent) = silent_items(set, defs, &records.iter().collect::<Vec<_>>());
    clear_silent(records, &silent);
    nowhere
}

/// (scope, entity) → the set's items that entity did not report.
type Silent = HashMap<(String, String), Vec<String>>;

/// The set's items no record reports, and each entity's (`unreported` over its own records),
/// read without a copy of the records.
fn silent_items(set: &Set, defs: &[Def], records: &[&Record]) -> (Vec<String>, Silent) {
    let nowhere = unreported(set, defs, records.iter().copied());
    let mut by_entity: HashMap<(&str, &str), Vec<&Record>> = HashMap::new();
    for r in records {
        by_entity
            .entry((r.scope, r.entity.as_str()))
            .or_default()
            .push(r);
    }
    let silent = by_entity
        .into_iter()
        .map(|((scope, entity), own)| {
            let items = unreported(set, defs, own);
            ((scope.to_string(), entity.to_string()), items)
        })
        .collect();
    (nowhere, silent)
}

/// Empties the figures of each record of an item its entity did not report (`silent`).
fn clear_silent(records: &mut [Record], silent: &Silent) {
    let silent: HashMap<(&str, &str), &Vec<String>> = silent
        .iter()
        .map(|((scope, entity), items)| ((scope.as_str(), entity.as_str()), items))
        .collect();
    for r in records {
        let quiet = silent
            .get(&(r.scope, r.entity.as_str()))
            .is_some_and(|items| items.contains(&r.indicator));
        if quiet {
            r.value = None;
            r.prior_value = None;
            r.yoy_pct = None;
            r.yoy_pp = None;
            r.mom_pct = None;
            r.change = None;
            r.met = None;
        }
    }
}

/// Records of the tiers and the consortium by (entity, item), the first of each as a scan
/// in order finds it: a bureau's members are most of the records.
fn above_members(recs: &[Record]) -> HashMap<(&str, &str), usize> {
    let mut at = HashMap::new();
    for (i, r) in recs.iter().enumerate() {
        if r.scope != "member" {
            at.entry((r.entity.as_str(), r.indicator.as_str()))
                .or_insert(i);
        }
    }
    at
}

/// The sections of the consortium's sets, in catalog order; a set none of whose items was
/// reported has none.
pub fn sections(
    consortium: &Consortium,
    defs: &[Def],
    month: &[Record],
    ytd: &[Record],
) -> Vec<SetSection> {
    let mut out = Vec::new();
    for set in &consortium.catalog.sets {
        // The set's items and the items they are made of, both windows: the year to date
        // holds the month, so an item an entity sent in no month of it is unreported there.
        let mut needed: HashSet<&str> = set.items.iter().map(String::as_str).collect();
        let parts: Vec<String> = defs
            .iter()
            .filter(|d| set.items.contains(&d.code))
            .flat_map(|d| d.operand_groups().into_iter().flatten())
            .collect();
        needed.extend(parts.iter().map(String::as_str));
        let read: Vec<&Record> = month
            .iter()
            .chain(ytd)
            .filter(|r| needed.contains(r.indicator.as_str()))
            .collect();
        let (silent, by_entity) = silent_items(set, defs, &read);
        if silent.len() == set.items.len() {
            continue;
        }
        // Only the set's own items are copied (their parts were needed to tell what was
        // reported, not shown): a bureau's sets are hundreds of thousands of records,
        // copied once each into lists of their final size (grown by doubling, then split
        // into two more, they were moved three times onto fresh pages).
        let (m, y): (Vec<&Record>, Vec<&Record>) = read
            .into_iter()
            .filter(|r| set.items.contains(&r.indicator))
            .partition(|r| r.window == "month");
        let copy = |v: Vec<&Record>| -> Vec<Record> { v.into_iter().cloned().collect() };
        let (mut m, mut y) = (copy(m), copy(y));
        for part in [&mut m, &mut y] {
            clear_silent(part, &by_entity);
            apply_targets(part, consortium);
        }
        let (m_at, y_at) = (above_members(&m), above_members(&y));
        let find = |recs: &[Record], at: &HashMap<(&str, &str), usize>, entity, code| {
            at.get(&(entity, code)).map(|&i| recs[i].clone())
        };
        let has_figure = |entity: &str| {
            m.iter()
                .chain(&y)
                .any(|r| r.scope == "tier" && r.entity == entity && r.value.is_some())
        };
        let mut entities = vec![("consortium", "consortium")];
        for t in &set.tiers {
            if has_figure(t.code()) {
                entities.push(("tier", t.code()));
            }
        }
        let mut rows = Vec::new();
        for (scope, entity) in entities {
            for code in &set.items {
                rows.push(SetRow {
                    scope: scope.to_string(),
                    entity: entity.to_string(),
                    code: code.clone(),
                    month: find(&m, &m_at, entity, code.as_str()),
                    ytd: find(&y, &y_at, entity, code.as_str()),
                    unreported: by_entity
                        .get(&(scope.to_string(), entity.to_string()))
                        .is_none_or(|s| s.contains(code)),
                });
            }
        }
        // Misses in the set's order, the consortium first, then tiers, then members in the
        // consortium's order; the month before the year to date.
        let rank = |r: &Record| {
            let item = set.items.iter().position(|c| *c == r.indicator);
            let (scope, entity) = match r.scope {
                "consortium" => (0, Some(0)),
                "tier" => (1, Tier::ALL.iter().position(|t| t.code() == r.entity)),
                _ => (2, consortium.member_rank(&r.entity)),
            };
            (item, scope, entity, r.window != "month")
        };
        // A system that assesses some tiers (国考: the hospitals of its grade) lists the misses
        // of those tiers and their members; the consortium's always.
        let assessed = |r: &Record| match r.scope {
            _ if set.tiers.is_empty() => true,
            "consortium" => true,
            "tier" => set.tiers.iter().any(|t| t.code() == r.entity),
            _ => consortium
                .member(&r.entity)
                .zip(crate::model::Period::parse_strict(&r.period))
                .and_then(|(x, p)| x.tier_at(p))
                .is_some_and(|t| set.tiers.contains(&t)),
        };
        let mut misses: Vec<Record> = m
            .iter()
            .chain(&y)
            .filter(|r| r.met == Some(false) && assessed(r))
            .cloned()
            .collect();
        misses.sort_by_key(|r| rank(r));
        out.push(SetSection {
            set: set.clone(),
            rows,
            unreported: silent,
            misses,
        });
    }
    out
}

impl SetSection {
    /// The set's name in the report's language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.set.name_en.is_empty() => &self.set.name_en,
            _ => &self.set.name,
        }
    }

    /// A short name for the workbook's tab.
    pub fn short(&self, lang: Lang) -> &str {
        let short = match lang {
            Lang::Zh => &self.set.short,
            Lang::En => &self.set.short_en,
        };
        if short.is_empty() {
            self.name(lang)
        } else {
            short
        }
    }

    pub fn heading(&self, lang: Lang) -> String {
        format!(
            "{}{}",
            lang.t("指标体系：", "Indicator set: "),
            self.name(lang)
        )
    }

    /// Under the heading: the source, what the marks judge, and the items with no data.
    pub fn note(&self, data: &ReportData) -> Vec<String> {
        let lang = data.lang;
        let mut out = Vec::new();
        if !self.set.source.is_empty() {
            out.push(format!(
                "{}{}",
                lang.t("依据：", "Source: "),
                self.set.source
            ));
        }
        let n = self.set.items.len();
        if self.unreported.is_empty() {
            out.push(match lang {
                Lang::Zh => format!("本体系 {n} 项指标均有数据。"),
                Lang::En => format!("All {n} indicators of the set have data."),
            });
        } else {
            let names: Vec<String> = self.unreported.iter().map(|c| data.ind_name(c)).collect();
            out.push(match lang {
                Lang::Zh => format!(
                    "本体系 {n} 项指标中，{} 项无成员单位上报数据（未上报，不按 0 计）：{}。",
                    names.len(),
                    names.join("、")
                ),
                Lang::En => format!(
                    "{} of the set's {n} indicators have no data from any member (not reported, not counted as 0): {}.",
                    names.len(),
                    names.join("; ")
                ),
            });
        }
        // The consortium's figures that leave members out (a blank this month, or revenue
        // and staff a member never sends): say how many they cover, so no one reads the
        // county hospital's 门诊次均费用 as the consortium's without knowing it.
        let partial: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.scope == "consortium")
            .filter_map(|r| r.month.as_ref())
            .filter(|x| x.value.is_some() && x.covered < x.members)
            .map(|x| match lang {
                Lang::Zh => format!(
                    "{}（{} 家中 {} 家）",
                    data.ind_name(&x.indicator),
                    x.members,
                    x.covered
                ),
                Lang::En => format!(
                    "{} ({} of {} members)",
                    data.ind_name(&x.indicator),
                    x.covered,
                    x.members
                ),
            })
            .collect();
        if !partial.is_empty() {
            out.push(match lang {
                Lang::Zh => format!(
                    "下列指标的医联体本月数据仅包含报送了所需数据的成员单位（当月漏报，或从未报送收入、人员数的单位，不计入分子和分母）：{}。",
                    partial.join("、")
                ),
                Lang::En => format!(
                    "This month's consortium figures below count only the members that sent what they need (a blank this month, or revenue or staff never sent, leaves a member out of numerator and denominator): {}.",
                    partial.join("; ")
                ),
            });
        }
        if self.has_targets() {
            out.push(
                lang.t(
                    "目标值取自 consortium.toml 的 [[targets]]；达标情况按指标方向判断（越高越好的不低于目标值，越低越好的不高于目标值）。",
                    "Targets come from [[targets]] in consortium.toml; a figure meets its target by the indicator's direction (at least the target when higher is better, at most when lower is).",
                )
                .to_string(),
            );
        }
        out
    }

    /// Whether any figure of the section has a target (the table then has 目标值 and 达标).
    pub fn has_targets(&self) -> bool {
        self.rows.iter().any(|r| {
            r.month.as_ref().is_some_and(|x| x.target.is_some())
                || r.ytd.as_ref().is_some_and(|x| x.target.is_some())
        })
    }

    /// The section's table: one row per entity and item. `typed` keeps figures as numbers
    /// (the workbook); otherwise they are written as people read them (HTML, Markdown).
    pub fn table(&self, data: &ReportData, typed: bool) -> Table {
        let lang = data.lang;
        let targets = self.has_targets();
        let ytd_label = data.ytd_label();
        let period_label = data.period_label();
        let mut headers = vec![
            lang.t("范围", "Scope").to_string(),
            lang.t("指标", "Indicator").to_string(),
            period_label,
            lang.t("同比", "YoY").to_string(),
            ytd_label,
            lang.t("累计同比", "YTD YoY").to_string(),
        ];
        if targets {
            headers.push(lang.t("目标值", "Target").to_string());
            headers.push(lang.t("达标情况", "Met").to_string());
        }
        let mut t = Table::new(headers).right_from(2);
        for row in &self.rows {
            let dir = data.direction(&row.code);
            let unit = data.def(&row.code).map(|d| d.unit.as_str()).unwrap_or("");
            let mut cells = vec![
                plain(Value::Text(entity_label(data, &row.scope, &row.entity))),
                plain(Value::Text(format!(
                    "{}{}",
                    data.ind_name(&row.code),
                    unit_suffix(data, &row.code)
                ))),
            ];
            if row.unreported {
                cells.push(plain(Value::Text(
                    lang.t("未上报", "not reported").to_string(),
                )));
                cells.extend((cells.len()..t.headers.len()).map(|_| plain(Value::Null)));
                t.push_styled(cells);
                continue;
            }
            for r in [&row.month, &row.ytd] {
                cells.push(figure(r.as_ref(), unit, typed));
                cells.push(change(r.as_ref(), dir, typed));
            }
            if targets {
                cells.push(target_cell(data, row, unit, typed));
                cells.push(verdict_cell(lang, row));
            }
            t.push_styled(cells);
        }
        t
    }

    /// 未达标: each figure below (or above) its target: who, which indicator and window, the
    /// figure, the target and the gap. `with_set` adds the set's name in front (the
    /// workbook's one sheet of misses).
    pub fn misses_table(&self, data: &ReportData, typed: bool, with_set: bool) -> Table {
        let lang = data.lang;
        let mut headers = Vec::new();
        if with_set {
            headers.push(lang.t("指标体系", "Indicator set").to_string());
        }
        headers.extend(
            [
                lang.t("单位/层级", "Member or tier"),
                lang.t("指标", "Indicator"),
                lang.t("期间", "Period"),
                lang.t("实际值", "Value"),
                lang.t("目标值", "Target"),
                lang.t("差距", "Gap"),
            ]
            .map(String::from),
        );
        let first_figure = headers.len() - 3;
        let mut t = Table::new(headers).right_from(first_figure);
        for r in &self.misses {
            let (Some(v), Some(target)) = (r.value, r.target) else {
                continue;
            };
            let mut cells = Vec::new();
            if with_set {
                cells.push(plain(Value::Text(self.short(lang).to_string())));
            }
            cells.push(plain(Value::Text(entity_label(data, r.scope, &r.entity))));
            cells.push(plain(Value::Text(format!(
                "{}{}",
                data.ind_name(&r.indicator),
                unit_suffix(data, &r.indicator)
            ))));
            cells.push(plain(Value::Text(if r.window == "month" {
                data.period_label()
            } else {
                data.ytd_label()
            })));
            cells.push(figure(Some(r), &r.unit, typed));
            cells.push(number(target, &r.unit, typed));
            let gap = v - target;
            let bad = Style {
                tone: Tone::Bad,
                ..Style::default()
            };
            cells.push(if typed {
                (
                    Value::Num(gap),
                    Style {
                        num: NumStyle::Dec,
                        ..bad
                    },
                )
            } else {
                (Value::Text(gap_text(lang, gap, &r.unit)), bad)
            });
            t.push_styled(cells);
        }
        t
    }
}

fn plain(v: Value) -> (Value, Style) {
    (v, Style::default())
}

/// `（%）` after an indicator's name, as the report's other tables write it.
fn unit_suffix(data: &ReportData, code: &str) -> String {
    let unit = data.unit(code);
    if unit.is_empty() {
        String::new()
    } else {
        format!(
            "{}{unit}{}",
            data.lang.t("（", " ("),
            data.lang.t("）", ")")
        )
    }
}

fn entity_label(data: &ReportData, scope: &str, entity: &str) -> String {
    match scope {
        "consortium" => data.lang.t("医联体", "Consortium").to_string(),
        "tier" => data.tier_name(entity),
        _ => data.member_name(entity),
    }
}

fn number(v: f64, unit: &str, typed: bool) -> (Value, Style) {
    if typed {
        let style = Style {
            num: value_style(unit, v),
            ..Style::default()
        };
        (Value::Num(v), style)
    } else {
        plain(Value::Text(human(Some(v), unit)))
    }
}

/// A figure, `—` (or an empty cell in the workbook) without one.
fn figure(r: Option<&Record>, unit: &str, typed: bool) -> (Value, Style) {
    match r.and_then(|r| r.value) {
        Some(v) => number(v, unit, typed),
        None if typed => plain(Value::Null),
        None => plain(Value::Text("—".into())),
    }
}

/// 同比: percentage points for a rate, percent otherwise, toned by the direction.
fn change(r: Option<&Record>, dir: Direction, typed: bool) -> (Value, Style) {
    let Some(r) = r.filter(|r| r.value.is_some()) else {
        return figure(None, "", typed);
    };
    let (v, pp) = if r.unit == "%" {
        (r.yoy_pp, true)
    } else {
        (r.yoy_pct, false)
    };
    let style = |num| Style {
        num,
        tone: tone(v, dir),
    };
    match (typed, v) {
        (true, Some(x)) => (
            Value::Num(x),
            style(if pp {
                NumStyle::ChangePp
            } else {
                NumStyle::ChangePct
            }),
        ),
        (true, None) => plain(Value::Null),
        // A change written as 0.0pp / 0.00% is no change to the reader: no colour either.
        (false, _) => (
            Value::Text(short_change(r)),
            Style {
                num: NumStyle::General,
                tone: tone(v.map(|x| rounded(x, if pp { 1 } else { 2 })), dir),
            },
        ),
    }
}

/// The target: one figure when both windows have the same (or only one has one), else each
/// window's.
fn target_cell(data: &ReportData, row: &SetRow, unit: &str, typed: bool) -> (Value, Style) {
    let m = row.month.as_ref().and_then(|r| r.target);
    let y = row.ytd.as_ref().and_then(|r| r.target);
    match (m, y) {
        (Some(a), Some(b)) if a != b => plain(Value::Text(format!(
            "{} {}{}{} {}",
            data.lang.t("本月", "month"),
            human(Some(a), unit),
            data.lang.t("；", "; "),
            data.lang.t("累计", "YTD"),
            human(Some(b), unit)
        ))),
        (Some(x), _) | (None, Some(x)) => number(x, unit, typed),
        (None, None) => plain(Value::Null),
    }
}

/// 达标 / 未达标, naming the window when the month and the year to date differ or only one
/// has a verdict.
fn verdict_cell(lang: Lang, row: &SetRow) -> (Value, Style) {
    let m = row.month.as_ref().and_then(|r| r.met);
    let y = row.ytd.as_ref().and_then(|r| r.met);
    let word = |met: Option<bool>| match lang {
        Lang::Zh => met_text(met),
        Lang::En => match met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "",
        },
    };
    let text = match (m, y) {
        (None, None) => String::new(),
        (Some(a), Some(b)) if a == b => word(Some(a)).to_string(),
        (Some(_), Some(_)) => format!(
            "{}{}{}{}",
            lang.t("本月", "month "),
            word(m),
            lang.t("，累计", ", YTD "),
            word(y)
        ),
        (Some(_), None) => format!("{}{}", lang.t("本月", "month "), word(m)),
        (None, Some(_)) => format!("{}{}", lang.t("累计", "YTD "), word(y)),
    };
    // Any miss is a miss.
    let met = match (m, y) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (None, None) => None,
        _ => Some(true),
    };
    (
        Value::Text(text),
        Style {
            tone: met_tone(met),
            ..Style::default()
        },
    )
}

/// `+0.14 日` / `-2.30 个百分点`: how far a figure is from its target.
fn gap_text(lang: Lang, gap: f64, unit: &str) -> String {
    let sign = if gap > 0.0 { "+" } else { "" };
    if unit == "%" {
        return format!("{gap:+.2}{}", lang.t(" 个百分点", "pp"));
    }
    format!("{sign}{}", human(Some(gap), unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(unit: &str, yoy_pct: f64, yoy_pp: Option<f64>) -> Record {
        Record {
            period: "2025-12".into(),
            window: "month",
            scope: "consortium",
            entity: "consortium".into(),
            indicator: "x".into(),
            value: Some(1.0),
            prior_value: Some(1.0),
            yoy_pct: Some(yoy_pct),
            yoy_pp,
            mom_pct: None,
            change: None,
            entity_name: String::new(),
            indicator_name: String::new(),
            unit: unit.into(),
            members: 1,
            covered: 1,
            prior_covered: 1,
            prior_source: "store",
            target: None,
            met: None,
        }
    }

    /// -0.018 pp is written 0.0pp: no colour, as no change; -0.06 pp is -0.1pp, good when
    /// lower is better. A change of -0.004 % is 0.00%, uncoloured.
    #[test]
    fn a_change_shown_as_zero_has_no_colour() {
        let tone_of = |r: &Record| change(Some(r), Direction::Lower, false).1.tone;
        assert_eq!(tone_of(&record("%", -0.07, Some(-0.018))), Tone::Plain);
        assert_eq!(tone_of(&record("%", -0.2, Some(-0.06))), Tone::Good);
        assert_eq!(tone_of(&record("元", -0.004, None)), Tone::Plain);
        assert_eq!(tone_of(&record("元", 0.006, None)), Tone::Bad);
    }
}
