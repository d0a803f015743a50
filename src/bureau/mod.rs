//! The bureau view (卫健局视角): several consortia side by side. bureau.toml names them
//! (`config`); `region` puts every member in one synthetic consortium, a hospital in two
//! consortia once, so compute's aggregation gives the region's totals; `rank` ranks the
//! consortia; `submissions` sets their completeness side by side; `report` writes the bundle.

pub mod config;
pub mod rank;
pub mod region;
pub mod report;
pub mod submissions;

pub use config::{scaffold, Bureau, BureauFile, Target};
pub use rank::By;
pub use region::{Engines, Loaded, Scopes, Shared};

use crate::catalog::Direction;
use crate::compute::Record;
use crate::export::{Table, Value};
use crate::render::records_table;
use std::collections::HashMap;

/// The months `bureau report` and `bureau export` read: the month, quarter and 1-N月 windows
/// with their comparisons, and the twelve months of the small multiples, each against a year
/// earlier and the month before.
pub fn report_months(
    period: crate::model::Period,
) -> std::collections::BTreeSet<crate::model::Period> {
    use crate::compute::{months_read, Window};
    let mut m = months_read(Window::Ytd, period);
    m.extend(months_read(Window::Quarter, period));
    for i in 0..12 {
        m.extend(months_read(Window::Month, period.add_months(-i)));
    }
    m
}

/// `shared_members` of a row: the hospitals counted once in the region (`region` rows) or the
/// consortium's members also in another consortium at the same time (its rows), as
/// `name (c1, c2)` joined by `；`.
pub fn shared_text(entity: &str, shared: &[Shared]) -> String {
    shared
        .iter()
        .filter(|s| entity == "region" || s.consortia.iter().any(|c| c == entity))
        .map(|s| format!("{} ({})", s.name, s.consortia.join(", ")))
        .collect::<Vec<_>>()
        .join("；")
}

/// The records for scripts: `yilian indicators`' columns, then `shared_members`.
pub fn indicators_table(records: &[Record], shared: &[Shared]) -> Table {
    let mut t = records_table(records);
    t.headers.push("shared_members".into());
    t.kinds.push(Default::default());
    t.right.push(false);
    for (row, r) in t.rows.iter_mut().zip(records) {
        row.push(Value::from(shared_text(&r.entity, shared)));
    }
    t
}

/// A ranked indicator for scripts: `yilian indicators`' columns, then `rank`, `rank_by`,
/// `target` and `target_met` (1/0, empty without a target or a value).
pub fn rank_table(
    rows: &[(Record, Option<u32>)],
    by: By,
    targets: &HashMap<String, Target>,
) -> Table {
    let records: Vec<Record> = rows.iter().map(|(r, _)| r.clone()).collect();
    let mut t = records_table(&records);
    for h in ["rank", "rank_by", "target", "target_met"] {
        t.headers.push(h.into());
        t.kinds.push(Default::default());
        t.right.push(false);
    }
    let by_text = match by {
        By::Value => "value",
        By::Change => "change",
    };
    for (row, (r, k)) in t.rows.iter_mut().zip(rows) {
        let target = targets.get(&r.indicator);
        row.push(k.map_or(Value::Null, |k| Value::Int(k.into())));
        row.push(Value::from(by_text));
        row.push(Value::from(target.map(|x| x.text()).unwrap_or_default()));
        row.push(
            target
                .and_then(|x| x.met(r.value))
                .map_or(Value::Null, |m| Value::Int(m as i64)),
        );
    }
    t
}

/// A ranked indicator for people (terminal, Markdown): 排名, the consortium, the figure ranked
/// on and its 同比, the target and 达标/未达标; an unranked consortium (undefined value) last,
/// its rank empty.
pub fn rank_people_table(
    rows: &[(Record, Option<u32>)],
    by: By,
    targets: &HashMap<String, Target>,
    directions: &HashMap<String, Direction>,
) -> Table {
    use crate::export::Style;
    use crate::render::{human, met_text, met_tone, signed_pct, signed_pp, tone};
    let mut t = Table::new([
        "排名",
        "医联体",
        "指标",
        "本期",
        "同比",
        "同比(百分点)",
        "目标",
        "达标",
    ])
    .right_from(3);
    for (r, k) in rows {
        let dir = directions.get(&r.indicator).copied().unwrap_or_default();
        let target = targets.get(&r.indicator);
        let met = target.and_then(|x| x.met(r.value));
        let plain = Style::default();
        let toned = |v| Style {
            tone: tone(v, dir),
            ..Style::default()
        };
        let name = match by {
            By::Value => format!("{}（{}）", r.indicator_name, r.unit),
            By::Change => format!("{}（{}，按同比排名）", r.indicator_name, r.unit),
        };
        t.push_styled(vec![
            (
                Value::from(k.map(|k| k.to_string()).unwrap_or_default()),
                plain,
            ),
            (Value::from(r.entity_name.as_str()), plain),
            (Value::from(name), plain),
            (Value::from(human(r.value, &r.unit)), plain),
            (Value::from(signed_pct(r.yoy_pct)), toned(r.yoy_pct)),
            (Value::from(signed_pp(r.yoy_pp)), toned(r.yoy_pp)),
            (
                Value::from(target.map(|x| x.text()).unwrap_or_default()),
                plain,
            ),
            (
                Value::from(met_text(met)),
                Style {
                    tone: met_tone(met),
                    ..Style::default()
                },
            ),
        ]);
    }
    t
}

/// 排名总表: one row per consortium, for each indicator its value, rank and 达标 mark.
pub fn league_table(
    records: &[Record],
    codes: &[String],
    by: By,
    directions: &HashMap<String, Direction>,
    targets: &HashMap<String, Target>,
) -> Table {
    let mut entities: Vec<(String, String)> = Vec::new();
    for r in records {
        if !entities.iter().any(|e| e.0 == r.entity) {
            entities.push((r.entity.clone(), r.entity_name.clone()));
        }
    }
    let mut headers = vec!["entity".to_string(), "entity_name".to_string()];
    // (code → rank per entity)
    let mut ranks: HashMap<&str, HashMap<String, Option<u32>>> = HashMap::new();
    for code in codes {
        let of: Vec<Record> = records
            .iter()
            .filter(|r| &r.indicator == code)
            .cloned()
            .collect();
        let dir = directions.get(code).copied().unwrap_or_default();
        let ranked = rank::ranked(of, by, dir);
        ranks.insert(
            code.as_str(),
            ranked.into_iter().map(|(r, k)| (r.entity, k)).collect(),
        );
        headers.push(code.clone());
        headers.push(format!("{code}_rank"));
        if targets.contains_key(code) {
            headers.push(format!("{code}_target_met"));
        }
    }
    let mut t = Table::new(headers);
    for (entity, name) in &entities {
        let mut row = vec![Value::from(entity.as_str()), Value::from(name.as_str())];
        for code in codes {
            let r = records
                .iter()
                .find(|r| &r.entity == entity && &r.indicator == code);
            row.push(Value::num(r.and_then(|r| rank::key(r, by))));
            let k = ranks
                .get(code.as_str())
                .and_then(|m| m.get(entity))
                .copied()
                .flatten();
            row.push(k.map_or(Value::Null, |k| Value::Int(k.into())));
            if let Some(target) = targets.get(code) {
                row.push(
                    target
                        .met(r.and_then(|r| r.value))
                        .map_or(Value::Null, |m| Value::Int(m as i64)),
                );
            }
        }
        t.push_values(row);
    }
    t
}

/// 报送情况 side by side, one row per consortium and month.
pub fn submissions_table(rows: &[submissions::Row]) -> Table {
    let mut t = Table::new([
        "period",
        "consortium",
        "consortium_name",
        "due",
        "received",
        "on_time",
        "late",
        "undated",
        "missing",
        "lost",
        "completeness_pct",
        "timeliness_pct",
        "missing_members",
        "late_members",
    ]);
    for r in rows {
        let names = |s: crate::check::Status| {
            r.cells
                .iter()
                .filter(|c| c.status == s)
                .map(|c| c.member.clone())
                .collect::<Vec<_>>()
                .join(",")
        };
        t.push_values(vec![
            Value::Text(r.period.to_string()),
            Value::from(r.consortium.as_str()),
            Value::from(r.name.as_str()),
            Value::Int(r.due.into()),
            Value::Int(r.received().into()),
            Value::Int(r.on_time.into()),
            Value::Int(r.late.into()),
            Value::Int(r.undated.into()),
            Value::Int(r.missing.into()),
            Value::Int(r.lost.into()),
            Value::num(r.completeness_pct()),
            Value::num(r.timeliness_pct()),
            Value::from(names(crate::check::Status::Missing)),
            Value::from(names(crate::check::Status::Late)),
        ]);
    }
    t
}

/// The bureau's default set for ranks and the league table: the 医共体 monitoring indicators
/// the built-in catalog has (volume, efficiency, surgery mix, 分级诊疗, remote services).
pub const MONITORING: &[&str] = &[
    "outpatient_visits",
    "discharges",
    "bed_occupancy",
    "avg_los",
    "grade34_share",
    "primary_visit_share",
    "referrals_down_share",
    "remote_services",
];
