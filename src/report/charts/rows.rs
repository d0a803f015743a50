//! Data preparation for the list charts: which members get a bar, in which order, and what
//! is summed or cut. Kept apart from drawing because `ChartSpec::size` needs the row count
//! before anything is drawn.

use crate::report::{Lang, ReportData, GRADES};

/// Bars of the member comparison: (name, value, record), largest first; beyond `TOP`
/// members, counts of the rest are summed into one bar (ratios cannot be, and are cut).
const TOP: usize = 15;

pub(super) type Bar<'a> = (String, f64, Option<&'a crate::compute::Record>);

pub(super) fn member_bars<'a>(
    data: &'a ReportData,
    ytd: bool,
    code: &str,
) -> (Vec<Bar<'a>>, usize) {
    let mut rows: Vec<Bar> = data
        .member_records(ytd, code)
        .into_iter()
        .filter_map(|r| r.value.map(|v| (data.member_name(&r.entity), v, Some(r))))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    if rows.len() <= TOP {
        return (rows, 0);
    }
    let rest: Vec<Bar> = rows.split_off(TOP - 1);
    let unit = data.def(code).map(|d| d.unit.as_str()).unwrap_or("");
    if matches!(unit, "%" | "次" | "日" | "倍") {
        return (rows, rest.len());
    }
    let n = rest.len();
    let sum = rest.iter().map(|r| r.1).sum();
    let label = match data.lang {
        Lang::Zh => format!("其他{n}家"),
        Lang::En => format!("{n} others"),
    };
    rows.push((label, sum, None));
    (rows, 0)
}

/// Members with surgeries this year: (name, [grade counts], total), largest first.
pub(super) fn surgery_rows(data: &ReportData) -> Vec<(String, [f64; 4], f64)> {
    let mut rows: Vec<(String, [f64; 4], f64)> = data
        .members
        .iter()
        .filter_map(|m| {
            let mut g = [0.0; 4];
            for (i, code) in GRADES.iter().enumerate() {
                g[i] = data.record(true, &m.id, code)?.value?;
            }
            let total: f64 = g.iter().sum();
            (total > 0.0).then(|| (m.name.clone(), g, total))
        })
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    rows.truncate(TOP);
    rows
}
