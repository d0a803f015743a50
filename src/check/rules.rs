//! The rules over member-months of values in use.

use super::data::{months_in, Held, MemberPast, Month, HISTORY_MONTHS};
use super::{CompiledRule, Data, Finding, Rec, Shown};
use crate::catalog::formula::{Ast, Op};
use crate::config::{Consortium, TierRanges};
use crate::model::fmt_num;
use crate::model::period::Period;
use crate::model::{Fast, Severity, Tier};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

fn targets_of<'a>(
    data: &'a Data,
    targets: &'a BTreeSet<Period>,
) -> impl Iterator<Item = (&'a Arc<str>, Period, &'a Month)> + 'a {
    data.base
        .iter()
        .filter(|((_, p), _)| targets.contains(p))
        .map(|((m, p), v)| (m, *p, v))
}

fn val<'a>(v: &'a Month, code: &str) -> Option<(f64, &'a Rec)> {
    let r = v.get(code)?;
    r.value.map(|x| (x, &**r))
}

fn n(v: f64) -> String {
    fmt_num((v * 100.0).round() / 100.0)
}

/// `Rec::shown` for a Chinese reader.
fn shown_zh(r: &Rec) -> String {
    shown_zh_text(&r.shown())
}

fn shown_zh_text(s: &str) -> String {
    match s {
        "(blank)" => "空白".into(),
        "(absent)" => "无".into(),
        s => match s.strip_suffix(" (no figure)") {
            Some(raw) => format!("{raw}（非数字）"),
            None => s.to_string(),
        },
    }
}

/// A parts-versus-total rule: its name, the items, the total, and how they are said in
/// English and in Chinese (the parts, the total).
struct PartsRule<'a> {
    rule: &'a str,
    parts: &'a [&'a str],
    total: &'a str,
    what: &'a str,
    zh: (&'a str, &'a str),
}

/// Parts ≤ total. Parts left blank or never reported add nothing: the reported parts alone
/// already exceeding the total is a fault whatever the blank ones hold.
fn parts_le_total(
    out: &mut Vec<Finding>,
    member: &str,
    p: Period,
    v: &Month,
    r: PartsRule,
    name: &dyn Fn(&str) -> String,
) -> bool {
    let PartsRule {
        rule,
        parts,
        total,
        what,
        zh,
    } = r;
    let Some((t, tr)) = val(v, total) else {
        return false;
    };
    let present: Vec<(&str, f64, &Rec)> = parts
        .iter()
        .filter_map(|c| val(v, c).map(|(x, r)| (*c, x, r)))
        .collect();
    if present.is_empty() {
        return false;
    }
    let sum: f64 = present.iter().map(|x| x.1).sum();
    if sum <= t + 1e-9 {
        return false;
    }
    let mut refs: Vec<(&str, &Rec)> = present.iter().map(|(c, _, r)| (*c, *r)).collect();
    refs.push((total, tr));
    let absent: Vec<&str> = parts
        .iter()
        .filter(|c| !present.iter().any(|x| x.0 == **c))
        .copied()
        .collect();
    let absent_zh = if absent.is_empty() {
        String::new()
    } else {
        format!(
            "（{}未填报）",
            absent
                .iter()
                .map(|c| name(c))
                .collect::<Vec<_>>()
                .join("、")
        )
    };
    let absent = if absent.is_empty() {
        String::new()
    } else {
        format!(" ({} not reported)", absent.join(", "))
    };
    out.push(
        Finding::about(
            Severity::Error,
            rule,
            member,
            p,
            &refs,
            format!(
                "{what} {} exceed {total} {}{absent}: a part cannot be larger than the whole",
                n(sum),
                n(t)
            ),
        )
        .zh(format!(
            "{}（{}）大于{}（{}），部分不能大于总数{absent_zh}，请核对后重报",
            zh.0,
            n(sum),
            zh.1,
            n(t)
        )),
    );
    true
}

pub fn consistency(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) {
    let s = &consortium.file.check;
    let name = |c: &str| {
        consortium
            .catalog
            .metric(c)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| c.to_string())
    };
    for (m, p, v) in targets_of(data, targets) {
        let total = "inpatient_surgeries";
        // 3+4 > total implies 1-4 > total: report the narrower fault only.
        let g34 = parts_le_total(
            out,
            m,
            p,
            v,
            PartsRule {
                rule: "grade34_le_surgeries",
                parts: &["surgeries_grade3", "surgeries_grade4"],
                total,
                what: "grade 3 + grade 4 surgeries",
                zh: ("三、四级手术台次", "手术总台次"),
            },
            &name,
        );
        if !g34 {
            parts_le_total(
                out,
                m,
                p,
                v,
                PartsRule {
                    rule: "grades_le_surgeries",
                    parts: &[
                        "surgeries_grade1",
                        "surgeries_grade2",
                        "surgeries_grade3",
                        "surgeries_grade4",
                    ],
                    total,
                    what: "grade 1-4 surgeries",
                    zh: ("一至四级手术台次之和", "手术总台次"),
                },
                &name,
            );
        }
        parts_le_total(
            out,
            m,
            p,
            v,
            PartsRule {
                rule: "mis_le_surgeries",
                parts: &["mis_surgeries"],
                total,
                what: "MIS surgeries",
                zh: ("微创手术台次", "手术总台次"),
            },
            &name,
        );
        parts_le_total(
            out,
            m,
            p,
            v,
            PartsRule {
                rule: "day_le_surgeries",
                parts: &["day_surgeries"],
                total,
                what: "day surgeries",
                zh: ("日间手术台次", "手术总台次"),
            },
            &name,
        );
        // Occupied above open bed-days happens with extra beds (临时加床): the official 病床使用率
        // may exceed 100%, so this is a warning to confirm, not a part larger than its whole.
        if let (Some((occ, or)), Some((open, obr))) =
            (val(v, "occupied_bed_days"), val(v, "open_bed_days"))
        {
            if occ > open + 1e-9 {
                out.push(
                    Finding::about(
                        Severity::Warning,
                        "occupied_le_open",
                        m,
                        p,
                        &[("occupied_bed_days", or), ("open_bed_days", obr)],
                        format!(
                            "occupied bed-days {} exceed open_bed_days {}: confirm the extra beds (临时加床) or correct the figures",
                            n(occ),
                            n(open)
                        ),
                    )
                    .zh(format!(
                        "实际占用总床日数（{}）大于实际开放总床日数（{}），如为临时加床请确认，否则请核对后重报",
                        n(occ),
                        n(open)
                    )),
                );
            }
        }

        // Open bed-days ≈ beds × days; a mid-month change of beds puts them between last
        // month's beds × days and this month's.
        if let (Some((obd, obr)), Some((beds, br))) = (val(v, "open_bed_days"), val(v, "open_beds"))
        {
            let days = p.days() as f64;
            let expect = beds * days;
            let tol = s.open_bed_days_tolerance * expect.max(1.0);
            let near = (obd - expect).abs() <= tol;
            let between = data
                .get(m, p.add_months(-1), "open_beds")
                .map(|(prev, _)| {
                    let (lo, hi) = (prev.min(beds) * days, prev.max(beds) * days);
                    obd >= lo - tol && obd <= hi + tol
                })
                .unwrap_or(false);
            if !near && !between {
                out.push(Finding::about(
                    Severity::Warning,
                    "open_bed_days_vs_beds",
                    m,
                    p,
                    &[("open_bed_days", obr), ("open_beds", br)],
                    format!(
                        "open bed-days {} differ from open beds {} × {} days = {} by {:.1}% (tolerance {}%)",
                        n(obd),
                        n(beds),
                        days,
                        n(expect),
                        (obd - expect) / expect.max(1.0) * 100.0,
                        n(s.open_bed_days_tolerance * 100.0)
                    ),
                )
                .zh(format!(
                    "实际开放总床日数（{}）与开放床位数（{}）× 本月天数（{}）= {} 相差 {:.1}%（允许 {}%），请核对床位数或床日数",
                    n(obd),
                    n(beds),
                    days,
                    n(expect),
                    (obd - expect) / expect.max(1.0) * 100.0,
                    n(s.open_bed_days_tolerance * 100.0)
                )));
            }
        }

        if let (Some((dbd, dr)), Some((obd, or))) =
            (val(v, "discharged_bed_days"), val(v, "occupied_bed_days"))
        {
            if obd > 0.0 {
                let ratio = dbd / obd;
                let [lo, hi] = s.discharged_bed_days_ratio;
                if ratio < lo || ratio > hi {
                    out.push(Finding::about(
                        Severity::Warning,
                        "discharged_vs_occupied_bed_days",
                        m,
                        p,
                        &[("discharged_bed_days", dr), ("occupied_bed_days", or)],
                        format!(
                            "discharged bed-days are {:.2}× occupied bed-days; expected {lo}-{hi}× (the stays of this month's discharges against this month's bed use)",
                            ratio
                        ),
                    )
                    .zh(format!(
                        "出院者占用总床日数（{}）是实际占用总床日数（{}）的 {:.2} 倍，通常应在 {lo}–{hi} 倍之间，请核对",
                        n(dbd),
                        n(obd),
                        ratio
                    )));
                }
            }
        }
    }
}

/// Built-in plausibility ranges per tier (monthly figures); `[check.tiers.X]` overrides.
pub fn default_ranges(tier: Tier) -> TierRanges {
    match tier {
        Tier::Tertiary => TierRanges {
            occupancy: Some([60.0, 110.0]),
            avg_los: Some([4.0, 15.0]),
            bed_turnover: Some([1.5, 6.0]),
        },
        Tier::Secondary => TierRanges {
            occupancy: Some([50.0, 110.0]),
            avg_los: Some([3.0, 15.0]),
            bed_turnover: Some([1.0, 8.0]),
        },
        Tier::Primary => TierRanges {
            occupancy: Some([20.0, 110.0]),
            avg_los: Some([2.0, 15.0]),
            bed_turnover: Some([0.3, 8.0]),
        },
        // Village clinics have no beds.
        Tier::Village => TierRanges::default(),
    }
}

fn ranges(consortium: &Consortium, tier: Tier) -> TierRanges {
    let d = default_ranges(tier);
    match consortium.file.check.tiers.get(&tier) {
        Some(u) => TierRanges {
            occupancy: u.occupancy.or(d.occupancy),
            avg_los: u.avg_los.or(d.avg_los),
            bed_turnover: u.bed_turnover.or(d.bed_turnover),
        },
        None => d,
    }
}

pub fn plausibility(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) {
    for (m, p, v) in targets_of(data, targets) {
        let Some(tier) = consortium.member(m).and_then(|x| x.tier_at(p)) else {
            continue;
        };
        let r = ranges(consortium, tier);
        let mut judge = |rule: &str,
                         what: (&str, &str),
                         x: f64,
                         range: Option<[f64; 2]>,
                         parts: &[(&str, &Rec)]| {
            let Some([lo, hi]) = range else { return };
            if x < lo || x > hi {
                out.push(
                    Finding::about(
                        Severity::Warning,
                        rule,
                        m,
                        p,
                        parts,
                        format!(
                            "{} {} is outside the usual range {lo}-{hi} for a {} member ({})",
                            what.0,
                            n(x),
                            tier,
                            tier.name_zh()
                        ),
                    )
                    .zh(format!(
                        "{}为 {}，超出{}的合理范围 {lo}–{hi}，请核对相关数据",
                        what.1,
                        n(x),
                        tier.name_zh()
                    )),
                );
            }
        };
        if let (Some((occ, or)), Some((open, obr))) =
            (val(v, "occupied_bed_days"), val(v, "open_bed_days"))
        {
            if open > 0.0 {
                judge(
                    "occupancy_range",
                    ("bed occupancy (%)", "病床使用率（%）"),
                    occ / open * 100.0,
                    r.occupancy,
                    &[("occupied_bed_days", or), ("open_bed_days", obr)],
                );
            }
        }
        if let (Some((dbd, dr)), Some((dis, disr))) =
            (val(v, "discharged_bed_days"), val(v, "discharges"))
        {
            if dis > 0.0 {
                judge(
                    "avg_los_range",
                    ("average length of stay (days)", "平均住院日（天）"),
                    dbd / dis,
                    r.avg_los,
                    &[("discharged_bed_days", dr), ("discharges", disr)],
                );
            }
        }
        if let Some((dis, disr)) = val(v, "discharges") {
            let beds = match (val(v, "open_bed_days"), val(v, "open_beds")) {
                (Some((obd, r)), _) => Some((obd / p.days() as f64, "open_bed_days", r)),
                (None, Some((b, r))) => Some((b, "open_beds", r)),
                _ => None,
            };
            if let Some((beds, code, br)) = beds {
                if beds > 0.0 {
                    judge(
                        "bed_turnover_range",
                        ("bed turnover (times this month)", "病床周转次数（本月）"),
                        dis / beds,
                        r.bed_turnover,
                        &[("discharges", disr), (code, br)],
                    );
                }
            }
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let k = v.len();
    if k == 0 {
        return 0.0;
    }
    if k % 2 == 1 {
        v[k / 2]
    } else {
        (v[k / 2 - 1] + v[k / 2]) / 2.0
    }
}

/// A value far from the member's own previous 12 months (median/MAD score), unless the same
/// month last year explains it (seasonality: a February dip, a winter peak). Only the
/// (member, item)s `far` found far from their recent months are judged again: no other can
/// be reported, and the older months read since (`Data::read_earlier`) are theirs alone.
pub fn history(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    far: &Far,
    out: &mut Vec<Finding>,
) {
    if far.pairs.is_empty() {
        return;
    }
    history_pass(
        consortium,
        data,
        targets,
        Some(&far.pairs),
        &mut Pass::Judge(out),
    );
}

/// The (member, item)s with a value of `targets` far from its recent months: the only ones
/// `history` can report, judged once the older months they need are read.
#[derive(Default)]
pub struct Far {
    pub pairs: BTreeSet<(Arc<str>, Arc<str>)>,
    /// Those whose judging needs figures older than the check read (`Data::read_earlier`):
    /// a value far from its recent months, with a month last year, is scaled by the year's
    /// growth, the 12 months before against the 12 before those. Few values are far, so
    /// those older months are read for them alone.
    pub wants: BTreeSet<(Arc<str>, Arc<str>)>,
}

/// The history rule's first pass over every value of `targets` (see `Far`).
pub fn history_far(consortium: &Consortium, data: &Data, targets: &BTreeSet<Period>) -> Far {
    let mut far = Far::default();
    let held = data.held_from();
    history_pass(
        consortium,
        data,
        targets,
        None,
        &mut Pass::Far(&mut far, held),
    );
    far
}

/// What a pass of the history rule does with a value far from its recent months.
enum Pass<'a> {
    /// Judge it against last year's month, and report it.
    Judge(&'a mut Vec<Finding>),
    /// List its (member, item), and among `wants` when that needs months before the one
    /// every figure is held from.
    Far(&'a mut Far, Option<Period>),
}

/// An item's code and its values in use by month, in month order.
type CodeMonths<'a> = (&'a Arc<str>, Vec<(Period, &'a Held)>);

fn history_pass(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    only: Option<&BTreeSet<(Arc<str>, Arc<str>)>>,
    pass: &mut Pass,
) {
    let members: Option<BTreeSet<&str>> = only.map(|o| o.iter().map(|(m, _)| &**m).collect());
    // One member at a time (`base` is in member order): code → month → record of the
    // months with their lineage; the months before are looked up in `past`.
    let mut rows = data.base.iter().peekable();
    // A member's codes in code order, each with its months in order (`base` is in
    // member-month order): a list, not a tree, found by where the month before had the
    // code (every month lists the same codes); the lists are used again member after
    // member (a tree and a list per member and code were most of the rule's time).
    let mut codes: Vec<CodeMonths> = Vec::new();
    let mut spare: Vec<Vec<(Period, &Held)>> = Vec::new();
    while let Some(((m, _), _)) = rows.peek() {
        let m: &Arc<str> = m;
        let wanted = members.as_ref().is_none_or(|s| s.contains(&**m));
        spare.extend(codes.drain(..).map(|(_, mut v)| {
            v.clear();
            v
        }));
        while let Some(((_, p), v)) = rows.next_if(|((x, _), _)| x == m) {
            if !wanted {
                continue;
            }
            let mut at = 0;
            for (code, r) in v.iter().filter(|(_, r)| r.value.is_some()) {
                if only.is_some_and(|o| !o.contains(&(Arc::clone(m), Arc::clone(code)))) {
                    continue;
                }
                at = match codes.get(at) {
                    Some((c, _)) if Arc::ptr_eq(c, code) || c == &code => at,
                    _ => match codes.binary_search_by(|(c, _)| (***c).cmp(&**code)) {
                        Ok(i) => i,
                        Err(i) => {
                            codes.insert(i, (code, spare.pop().unwrap_or_default()));
                            i
                        }
                    },
                };
                codes[at].1.push((*p, r));
                at += 1;
            }
        }
        if !codes.is_empty() {
            member_history(consortium, m, &codes, data.past.get(m), targets, pass);
        }
    }
}

fn member_history(
    consortium: &Consortium,
    m: &Arc<str>,
    codes: &[CodeMonths],
    past: Option<&MemberPast>,
    targets: &BTreeSet<Period>,
    pass: &mut Pass,
) {
    let s = &consortium.file.check;
    let joined = consortium.member(m).map(|x| x.joined);
    let (Some(&first), Some(&last)) = (targets.first(), targets.last()) else {
        return;
    };
    // The months a judged value looks back at: up to two years before the first target.
    let lo = first.add_months(-2 * 12);
    // A code's figures of `lo..=last` by month: its rows', else its earlier months'.
    let mut by_month: Vec<Option<f64>> = Vec::new();
    for (code, lineage) in codes {
        if !months_in(lineage, first, last)
            .iter()
            .any(|(p, _)| targets.contains(p))
        {
            continue;
        }
        by_month.clear();
        by_month.resize((last.index() - lo.index() + 1) as usize, None);
        let slot = |q: &Period| (q.index() - lo.index()) as usize;
        if let Some(e) = past.and_then(|p| p.get(&***code)) {
            for &(q, v) in e.range(lo, last) {
                by_month[slot(&q)] = Some(v);
            }
        }
        for (q, r) in months_in(lineage, lo, last) {
            by_month[slot(q)] = r.value;
        }
        for &(p, r) in months_in(lineage, first, last)
            .iter()
            .filter(|(p, _)| targets.contains(p))
        {
            let Some(x) = r.value else { continue };
            // Months before joining (托管) are another regime: experts start coming, care
            // moves. Judge a month against months on its own side of the joining month.
            let value_at = |q: Period| -> Option<f64> {
                if joined.is_some_and(|j| (q >= j) != (p >= j)) || q < lo {
                    return None;
                }
                by_month.get(slot(&q)).copied().flatten()
            };
            // Every value of the months judged passes here: twelve on the stack, no list.
            let (mut recent, mut count) = ([0.0; 12], 0);
            for v in (1..=12).filter_map(|k| value_at(p.add_months(-k))) {
                recent[count] = v;
                count += 1;
            }
            if count < s.history_min_months {
                continue;
            }
            let recent = &mut recent[..count];
            let med = median(recent);
            let mut dev = [0.0; 12];
            for (d, v) in dev.iter_mut().zip(recent.iter()) {
                *d = (v - med).abs();
            }
            let mad = 1.4826 * median(&mut dev[..count]);
            // Counts vary at least like Poisson noise, and months at least by min_spread.
            let spread = mad
                .max(s.history_min_spread * med.abs())
                .max(2.0 * med.abs().max(1.0).sqrt());
            let z = (x - med) / spread;
            if z.abs() <= s.history_threshold {
                continue;
            }
            // Same month last year, scaled by the year-on-year trend of recent months.
            let last_year = value_at(p.add_months(-12));
            let out = match pass {
                Pass::Judge(out) => out,
                Pass::Far(far, held) => {
                    let pair = (Arc::clone(m), Arc::clone(code));
                    if last_year.is_some()
                        && held.is_some_and(|h| p.add_months(-HISTORY_MONTHS) < h)
                    {
                        far.wants.insert(pair.clone());
                    }
                    far.pairs.insert(pair);
                    continue;
                }
            };
            let seasonal = last_year.map(|ly| {
                let mut yoy: Vec<f64> = (1..=12)
                    .filter_map(|k| {
                        let a = value_at(p.add_months(-k))?;
                        let b = value_at(p.add_months(-k - 12))?;
                        (b > 0.0).then_some(a / b)
                    })
                    .collect();
                let trend = if yoy.len() >= 3 {
                    median(&mut yoy)
                } else {
                    1.0
                };
                ly * trend
            });
            if let Some(exp) = seasonal {
                if ((x - exp) / spread).abs() <= s.history_threshold {
                    continue;
                }
            }
            let ratio = if med.abs() > 0.0 {
                format!(" ({:.1}×)", x / med)
            } else {
                String::new()
            };
            let last_year_en = last_year
                .map(|ly| format!(", same month last year {}", n(ly)))
                .unwrap_or_default();
            let ratio_zh = if med.abs() > 0.0 {
                format!("（为其 {:.1} 倍）", x / med)
            } else {
                String::new()
            };
            let last_year_zh = last_year
                .map(|ly| format!("，去年同月为 {}", n(ly)))
                .unwrap_or_default();
            out.push(Finding::about(
                    Severity::Warning,
                    "history_outlier",
                    m,
                    p,
                    &[(code, r)],
                    format!(
                        "{} is far from this member's previous months: median {}{ratio}, score {:.1} > {}{last_year_en}; a typo or a unit slip?",
                        n(x),
                        n(med),
                        z,
                        s.history_threshold
                    ),
                )
                .zh(format!(
                    "本月填报 {}，与本单位此前各月（中位数 {}）相差悬殊{ratio_zh}{last_year_zh}，请核对是否录入错误或计量单位有误",
                    n(x),
                    n(med)
                )));
        }
    }
}

/// An item the member reported last month and leaves blank (or out) now: missing, not zero.
pub fn item_missing(data: &Data, targets: &BTreeSet<Period>, out: &mut Vec<Finding>) {
    for (m, p, v) in targets_of(data, targets) {
        let Some(prev) = data.month(m, p.add_months(-1)) else {
            continue;
        };
        // Any file of this month to point at when the item is absent altogether.
        let Some(any) = v.values().next() else {
            continue;
        };
        for (code, pr) in prev.iter() {
            if pr.value.is_none() {
                continue;
            }
            match v.get(code) {
                Some(r) if r.value.is_some() => {}
                Some(r) => out.push(Finding::about(
                    Severity::Warning,
                    "item_missing",
                    m,
                    p,
                    &[(code, r)],
                    format!(
                        "left blank, but reported last month ({}): missing, not zero; please fill it in",
                        pr.shown()
                    ),
                )
                .zh(format!(
                    "本项未填，上月填报为 {}；空缺不等于 0，请补填",
                    shown_zh(pr)
                ))),
                None => {
                    let mut f = Finding::about(
                        Severity::Warning,
                        "item_missing",
                        m,
                        p,
                        &[(code, any)],
                        format!(
                            "not in this month's submission, but reported last month ({}, {}): missing, not zero",
                            pr.shown(),
                            pr.source_file
                        ),
                    )
                    .zh(format!(
                        "本月报表中没有本项，上月填报为 {}；空缺不等于 0，请补报",
                        shown_zh(pr)
                    ));
                    f.value = String::new();
                    f.cell = String::new();
                    out.push(f);
                }
            }
        }
    }
}

fn eval(ast: &Ast, get: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    Some(match ast {
        Ast::Num(x) => *x,
        Ast::Var(v) => get(v)?,
        Ast::Neg(a) => -eval(a, get)?,
        Ast::Bin(op, a, b) => {
            let (a, b) = (eval(a, get)?, eval(b, get)?);
            let t = |c: bool| if c { 1.0 } else { 0.0 };
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                // Undefined, not infinite: the rule is not judged.
                Op::Div if b == 0.0 => return None,
                Op::Div => a / b,
                Op::Lt => t(a < b),
                Op::Le => t(a <= b + 1e-9),
                Op::Gt => t(a > b),
                Op::Ge => t(a + 1e-9 >= b),
                Op::Eq => t((a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)),
                Op::Ne => t((a - b).abs() > 1e-9 * a.abs().max(b.abs()).max(1.0)),
            }
        }
    })
}

/// User rules: judged where every code in them is reported; a blank leaves the rule unjudged.
pub fn user(
    rules: &[CompiledRule],
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) {
    let _ = consortium;
    for (m, p, v) in targets_of(data, targets) {
        let get = |code: &str| -> Option<f64> {
            match code {
                "days" => Some(p.days() as f64),
                "avg_open_beds" => match val(v, "open_bed_days") {
                    Some((obd, _)) => Some(obd / p.days() as f64),
                    None => val(v, "open_beds").map(|x| x.0),
                },
                _ => val(v, code).map(|x| x.0),
            }
        };
        for rule in rules {
            let Some(holds) = eval(&rule.ast, &get) else {
                continue;
            };
            if holds != 0.0 {
                continue;
            }
            let mut vars = BTreeSet::new();
            rule.ast.vars(&mut vars);
            let parts: Vec<(&str, &Rec)> = vars
                .iter()
                .filter_map(|c| v.get(c.as_str()).map(|r| (c.as_str(), &**r)))
                .collect();
            // Both sides of a comparison, evaluated once, for both languages.
            let both = match &rule.ast {
                Ast::Bin(_, a, b) => eval(a, &get).zip(eval(b, &get)),
                _ => None,
            };
            let sides = both.map_or(String::new(), |(a, b)| format!(" ({} vs {})", n(a), n(b)));
            let why = match &rule.message {
                Some(msg) => format!("{msg} [rule `{}` fails{sides}]", rule.text),
                None => format!("rule `{}` fails{sides}", rule.text),
            };
            let sides_zh = both.map_or(String::new(), |(a, b)| {
                format!("（左边 {}，右边 {}）", n(a), n(b))
            });
            let why_zh = match &rule.message {
                Some(msg) => format!("{msg}（审核规则 {} 不成立{sides_zh}）", rule.text),
                None => format!("不符合审核规则 {}{sides_zh}，请核对", rule.text),
            };
            out.push(Finding::about(rule.severity, &rule.name, m, p, &parts, why).zh(why_zh));
        }
    }
}

/// Unmapped items (kept, not used) and corrections (which file replaced which values).
pub fn information(data: &Data, targets: &BTreeSet<Period>, out: &mut Vec<Finding>) {
    for r in data.unmapped.iter().filter(|r| targets.contains(&r.period)) {
        let mut f = Finding::about(
            Severity::Info,
            "unmapped_item",
            &r.member,
            r.period,
            &[(&r.item, r)],
            format!(
                "item `{}` matches no metric: stored but not used (add it under [aliases] in consortium.toml if it is one)",
                r.item.trim()
            ),
        )
        .zh(format!(
            "指标项“{}”不在统一指标目录中，本次未采用；如为应报指标，请按统一表样的指标名称填写",
            r.item.trim()
        ));
        f.involves.clear();
        f.item_name = r.item.trim().to_string();
        out.push(f);
    }
    let base = || {
        data.all
            .iter()
            .filter(|r| r.kind == crate::store::Kind::Base && targets.contains(&r.period))
    };
    // Which member-months more than one submission holds: most have one, found by a hash
    // without a name copied or a row gathered (a bureau's year is half a million rows).
    let mut seqs: HashMap<(&str, Period), (u64, bool), Fast> = HashMap::default();
    for r in base() {
        seqs.entry((&*r.member, r.period))
            .and_modify(|(first, more)| *more |= *first != r.seq)
            .or_insert((r.seq, false));
    }
    // Their submissions' base values, in commit order.
    let mut subs: BTreeMap<(&str, Period), BTreeMap<u64, Vec<&Rec>>> = BTreeMap::new();
    for r in base().filter(|r| seqs.get(&(&*r.member, r.period)).is_some_and(|s| s.1)) {
        subs.entry((&*r.member, r.period))
            .or_default()
            .entry(r.seq)
            .or_default()
            .push(r);
    }
    for ((m, p), by_seq) in subs {
        if by_seq.len() < 2 {
            continue;
        }
        let (Some(first), Some(last)) = (by_seq.values().next(), by_seq.values().next_back())
        else {
            continue;
        };
        let mut changed: Vec<(&str, String, &Rec)> = Vec::new();
        for r in last {
            let before = first.iter().find(|o| o.key == r.key);
            let differs = match before {
                Some(o) => o.value != r.value,
                None => true,
            };
            if differs {
                let was = before
                    .map(|o| o.shown())
                    .unwrap_or_else(|| "(absent)".into());
                changed.push((&r.key, was, r));
            }
        }
        let (Some(f0), Some(l0)) = (first.first(), last.first()) else {
            continue;
        };
        let what_zh = if changed.is_empty() {
            "数值均未改变".to_string()
        } else {
            changed
                .iter()
                .map(|(_, was, r)| {
                    format!("{} {} → {}", r.item.trim(), shown_zh_text(was), shown_zh(r))
                })
                .collect::<Vec<_>>()
                .join("，")
        };
        let what = if changed.is_empty() {
            "no value changed".to_string()
        } else {
            changed
                .iter()
                .map(|(c, was, r)| format!("{c} {was} → {}", r.shown()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let parts: Vec<(&str, &Rec)> = changed.iter().map(|(c, _, r)| (*c, *r)).collect();
        let mut f = if parts.is_empty() {
            Finding::about(
                Severity::Info,
                "correction",
                m,
                p,
                &[("", l0)],
                String::new(),
            )
        } else {
            Finding::about(Severity::Info, "correction", m, p, &parts, String::new())
        };
        f.message = format!(
            "corrected: {} replaces {} ({} submissions); {what}",
            l0.source_file,
            f0.source_file,
            by_seq.len()
        );
        f.message_zh = format!(
            "已收到更正：{} 替代 {}（共 {} 次报送）；{what_zh}",
            l0.source_file,
            f0.source_file,
            by_seq.len()
        );
        out.push(f);
    }
}
