//! 合计 rows. Ingest keeps the figures of a sheet's 合计 row as `total` values (no member's
//! own figure) beside the rows they should add up to, so the check needs only the store:
//! a summary's 合计 against the sum of its members' rows, a department sheet's 合计
//! against the sum of its departments (the member's stored figure).

use super::{Data, Finding};
use crate::config::Consortium;
use crate::model::fmt_num;
use crate::model::period::Period;
use crate::model::Severity;
use crate::store::Kind;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) {
    // The 合计 rows of the checked months: most forms have none, and then nothing is summed.
    let totals: Vec<_> = data
        .all
        .iter()
        .filter(|r| r.kind == Kind::Total && targets.contains(&r.period))
        .collect();
    if totals.is_empty() {
        return;
    }
    // Submissions in use: a superseded file's 合计 row is no longer anyone's concern.
    let mut in_use: BTreeSet<u64> = data
        .base
        .values()
        .flat_map(|v| v.values().map(|r| r.seq))
        .collect();
    in_use.extend(&data.past_seqs);
    let with_totals: BTreeSet<u64> = totals
        .iter()
        .map(|t| t.seq)
        .filter(|s| in_use.contains(s))
        .collect();
    // Sum of the rows of each (submission, sheet, metric), with the cells they came from.
    let mut sums: BTreeMap<(u64, &str, &str), (f64, Vec<&str>)> = BTreeMap::new();
    for r in data
        .all
        .iter()
        .filter(|r| r.kind == Kind::Base && with_totals.contains(&r.seq))
    {
        if let Some(v) = r.value {
            let e = sums.entry((r.seq, &*r.sheet, &*r.key)).or_default();
            e.0 += v;
            e.1.push(&r.cell);
        }
    }
    for t in totals.into_iter().filter(|t| with_totals.contains(&t.seq)) {
        let Some(stated) = t.value else { continue };
        let code = t.key.trim_start_matches("total:");
        let Some((sum, cells)) = sums.get(&(t.seq, &*t.sheet, code)) else {
            continue;
        };
        if (stated - sum).abs() <= 1e-6 * stated.abs().max(1.0) {
            continue;
        }
        let name = consortium
            .catalog
            .metric(code)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| code.to_string());
        let rows = match (cells.first(), cells.last()) {
            (Some(a), Some(b)) if cells.len() > 1 => format!(
                "{}..{}",
                a.split(':').next().unwrap_or(a),
                b.rsplit(':').next().unwrap_or(b)
            ),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        let mut f = Finding::bare(
            Severity::Warning,
            "sum_row",
            &t.member,
            t.period,
            format!(
                "合计 row says {} for `{name}` but its rows ({rows}) add up to {}; the rows are used (correct the 合计 so the sheet is consistent)",
                fmt_num(stated),
                fmt_num(*sum)
            ),
        )
        .zh(format!(
            "“{name}”合计行填报 {}，但各行（{rows}）相加为 {}；汇总时按各行数据计算，请更正合计行",
            fmt_num(stated),
            fmt_num(*sum)
        ));
        f.item = code.to_string();
        f.item_name = name;
        f.value = fmt_num(stated);
        f.file = t.source_file.to_string();
        f.sheet = t.sheet.to_string();
        f.cell = t.cell.to_string();
        f.involves = vec![code.to_string()];
        out.push(f);
    }
}
