//! Reference denominators: the `[[population]]` figures of consortium.toml (常住人口, 重点人群),
//! which hold from a month on rather than being sent monthly, as base values of every month
//! they are in force, so rates over them (签约率) follow the ordinary rules at every scope.

use super::base::{indices, BaseColumns};
use crate::config::Consortium;
use crate::model::period::Period;
use std::collections::{BTreeSet, HashSet};

/// The items `[[population]]` gives.
const ITEMS: [&str; 2] = ["residents", "key_population"];

/// The reference values added to `base` for each month from the first to the last month it
/// holds, where the member sent no figure of its own for the item that month.
pub(super) fn add_reference(base: &mut BaseColumns, c: &Consortium, codes: &[String]) {
    let Some((lo, hi)) = base.span else {
        return;
    };
    if c.file.population.is_empty() {
        return;
    }
    let (member_ix, code_ix) = indices(c, codes);
    let items: Vec<(&str, u32)> = ITEMS
        .iter()
        .filter_map(|item| Some((*item, *code_ix.get(item)?)))
        .collect();
    let sent: HashSet<(u32, i32, u32)> = (0..base.len())
        .filter(|&i| items.iter().any(|(_, x)| *x == base.x[i]))
        .map(|i| (base.m[i], base.t[i], base.x[i]))
        .collect();
    let members: BTreeSet<&str> = c
        .file
        .population
        .iter()
        .map(|x| x.member.as_str())
        .collect();
    for m in members {
        // A member the consortium file no longer lists is left out, as its figures are.
        let Some(&mi) = member_ix.get(m) else {
            continue;
        };
        for t in lo..=hi {
            for &(item, x) in &items {
                if sent.contains(&(mi, t, x)) {
                    continue;
                }
                if let Some(v) = c.file.population_at(m, item, Period::from_index(t)) {
                    base.push(mi, t, x, v, 0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add_reference;
    use crate::compute::base::BaseColumns;
    use crate::config::Consortium;
    use crate::model::period::Period;

    #[test]
    fn reference_values_fill_the_months_held_where_none_was_sent() {
        let c = Consortium::two_members(
            r#"
[[population]]
member = "b"
from = "2025-02"
residents = 5000
[[population]]
member = "b"
from = "2025-03"
residents = 5100
"#,
        );
        let codes: Vec<String> = ["visits", "residents"].map(String::from).to_vec();
        let t = |m: &str| Period::parse_strict(m).unwrap().index();
        let mut base = BaseColumns::default();
        // b sent its own residents for 2025-03; the months held run 2025-01 to 2025-04.
        base.push(0, t("2025-01"), 0, 10.0, 0);
        base.push(1, t("2025-03"), 1, 4900.0, 0);
        base.span = Some((t("2025-01"), t("2025-04")));
        add_reference(&mut base, &c, &codes);
        let added: Vec<(u32, i32, u32, f64, i32)> = (2..base.len())
            .map(|i| (base.m[i], base.t[i], base.x[i], base.v[i], base.mr[i]))
            .collect();
        // By hand: none in force in 2025-01; 5000 in 2025-02; its own in 2025-03; 5100 from
        // 2025-03 on, so 2025-04.
        assert_eq!(
            added,
            [
                (1, t("2025-02"), 1, 5000.0, 0),
                (1, t("2025-04"), 1, 5100.0, 0)
            ]
        );
    }
}
