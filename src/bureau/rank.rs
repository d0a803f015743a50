//! 排名: consortia ranked on an indicator by value or by change, direction-aware, ties
//! sharing a rank (1, 2, 2, 4), undefined values unranked and listed last.

use crate::catalog::Direction;
use crate::compute::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The figure itself, over every member (全口径).
    Value,
    /// The year-on-year change on the comparable basis (可比口径): percentage points for a
    /// percentage, else percent.
    Change,
}

/// The change a ranking by change compares: pp for a percentage, % otherwise.
pub fn change_of(r: &Record) -> Option<f64> {
    if r.unit == "%" {
        r.yoy_pp
    } else {
        r.yoy_pct
    }
}

pub fn key(r: &Record, by: By) -> Option<f64> {
    match by {
        By::Value => r.value,
        By::Change => change_of(r),
    }
    .filter(|v| v.is_finite())
}

/// Competition ranks: 1 + the number of defined values strictly better. Better is larger,
/// except for an indicator where lower is better; a neutral one ranks larger first. Values
/// equal to six decimals tie (the figures are ratios of sums, so float noise must not split
/// two equal results).
pub fn ranks(values: &[Option<f64>], direction: Direction) -> Vec<Option<u32>> {
    let rounded: Vec<Option<i64>> = values
        .iter()
        .map(|v| v.map(|x| (x * 1e6).round() as i64))
        .collect();
    let better = |a: i64, b: i64| match direction {
        Direction::Lower => a < b,
        Direction::Higher | Direction::Neutral => a > b,
    };
    rounded
        .iter()
        .map(|v| {
            let v = (*v)?;
            let ahead = rounded.iter().flatten().filter(|&&o| better(o, v)).count();
            Some(ahead as u32 + 1)
        })
        .collect()
}

/// The records of one indicator with their ranks, best first, unranked last (in input order).
/// Records with their rank (`None`: undefined, not ranked).
pub type Ranked = Vec<(Record, Option<u32>)>;

pub fn ranked(records: Vec<Record>, by: By, direction: Direction) -> Ranked {
    let values: Vec<Option<f64>> = records.iter().map(|r| key(r, by)).collect();
    let r = ranks(&values, direction);
    let mut out: Vec<(usize, Record, Option<u32>)> = records
        .into_iter()
        .zip(r)
        .enumerate()
        .map(|(i, (rec, k))| (i, rec, k))
        .collect();
    out.sort_by_key(|(i, _, k)| (k.is_none(), k.unwrap_or(0), *i));
    out.into_iter().map(|(_, rec, k)| (rec, k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_is_skipped() {
        let v = [Some(3.0), Some(5.0), None, Some(5.0), Some(1.0)];
        assert_eq!(
            ranks(&v, Direction::Higher),
            vec![Some(3), Some(1), None, Some(1), Some(4)]
        );
        assert_eq!(
            ranks(&v, Direction::Lower),
            vec![Some(2), Some(3), None, Some(3), Some(1)]
        );
        // 0.1 + 0.2 and 0.3 are one value.
        assert_eq!(
            ranks(&[Some(0.1 + 0.2), Some(0.3)], Direction::Higher),
            vec![Some(1), Some(1)]
        );
    }
}
