//! The indicator catalog: base metrics members report and derived indicators computed from
//! them, and the named indicator sets of the official systems. Built-in definitions live in
//! `catalog.toml` (embedded); users add reported items, aliases and indicators in
//! consortium.toml.

pub mod formula;

use crate::i18n::Msg;
use crate::model::Fast;
use crate::said;
use crate::text::normalize_label;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

const BUILTIN: &str = include_str!("catalog.toml");

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OverTime {
    Sum,
    Average,
    Last,
}

impl OverTime {
    pub fn as_str(self) -> &'static str {
        match self {
            OverTime::Sum => "sum",
            OverTime::Average => "average",
            OverTime::Last => "last",
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
    #[default]
    Neutral,
}

/// A stock (beds, staff, contracts: a level at a date) or a flow (visits, revenue: a count
/// over the month). Stocks combine over months by average or last value, flows by sum.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Stock,
    Flow,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Stock => "stock",
            Kind::Flow => "flow",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub unit: String,
    pub over_time: OverTime,
    /// stock | flow [default: flow for `sum`, stock otherwise].
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// 口径: what is counted, as the source document defines it.
    #[serde(default)]
    pub definition: String,
    /// The document the definition follows.
    #[serde(default)]
    pub source: String,
    /// What it means when a member never reports the item (see `NeverReported`).
    #[serde(default, skip_serializing_if = "NeverReported::is_default")]
    pub never_reported: NeverReported,
}

/// What a member that never reports an item tells us. For a service (day surgery, remote
/// ECG) it does not provide it: it adds nothing. Revenue and staff are not services: every
/// institution with visits has revenue and doctors, so a member that never sends them has
/// figures we do not know: a ratio over them (门诊次均费用, 医护比) leaves that member out of
/// numerator and denominator and says how many members it covers, rather than counting
/// its visits against no revenue.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NeverReported {
    #[default]
    NotProvided,
    Unknown,
}

impl NeverReported {
    fn is_default(&self) -> bool {
        *self == NeverReported::NotProvided
    }
}

impl Metric {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(match self.over_time {
            OverTime::Sum => Kind::Flow,
            _ => Kind::Stock,
        })
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub unit: String,
    pub expr: String,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// 口径: the official definition the formula follows, and where it differs.
    #[serde(default)]
    pub definition: String,
    /// The document the definition follows.
    #[serde(default)]
    pub source: String,
}

/// A named indicator set of an official system (`indicators --set gk3`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Set {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub source: String,
    /// A short name for tabs and headings (三级国考) [default: the name].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_en: String,
    /// The tiers the system assesses (三级国考: tertiary hospitals): the report shows their
    /// figures beside the consortium's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<crate::model::Tier>,
    /// Indicator and metric codes, in the order the document lists them.
    pub items: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    metric: Vec<Metric>,
    indicator: Vec<Indicator>,
    set: Vec<Set>,
}

/// What a label in a spreadsheet refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Metric(usize),
    Indicator(usize),
}

#[derive(Clone, Debug)]
pub struct Catalog {
    pub metrics: Vec<Metric>,
    pub indicators: Vec<Indicator>,
    pub sets: Vec<Set>,
    /// Every label a cell of a form is looked up in (foldhash: SipHash's cost was a fiftieth
    /// of an ingest).
    lookup: HashMap<String, Target, Fast>,
}

impl Catalog {
    pub fn builtin() -> Catalog {
        // The embedded file is part of the binary and covered by tests: failing here is a
        // build defect, not a user error.
        let file: CatalogFile = toml::from_str(BUILTIN).expect("embedded catalog.toml is valid");
        let mut cat = Catalog::from_parts(file.metric, file.indicator)
            .unwrap_or_else(|e| panic!("embedded catalog.toml is inconsistent: {e:#}"));
        cat.sets = file.set;
        cat
    }

    /// The built-in catalog extended with a consortium's own reported items (`[[metrics]]`),
    /// aliases and indicators. A user item or alias that a built-in item already uses is an
    /// error naming both: silently reading a column as the other item would misfile figures.
    pub fn with_user(
        aliases: &BTreeMap<String, Vec<String>>,
        user_metrics: &[Metric],
        indicators: &[Indicator],
    ) -> Result<Catalog> {
        let builtin = Catalog::builtin();
        let mut cat = builtin.clone();
        let sets = std::mem::take(&mut cat.sets);
        let mut metrics = std::mem::take(&mut cat.metrics);
        let mut inds = std::mem::take(&mut cat.indicators);
        for m in user_metrics {
            let code_ok = !m.code.is_empty()
                && m.code
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && m.code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !code_ok {
                bail!(said!(Msg::MetricBadCode, code = m.code));
            }
            if formula::BUILTINS.contains(&m.code.as_str()) {
                bail!(said!(Msg::MetricBuiltinName, code = m.code));
            }
            if let (Some(Kind::Stock), OverTime::Sum)
            | (Some(Kind::Flow), OverTime::Average | OverTime::Last) = (m.kind, m.over_time)
            {
                bail!(said!(
                    Msg::MetricStockFlow,
                    code = m.code,
                    kind = m.kind().as_str(),
                    over = m.over_time.as_str()
                ));
            }
            let labels = [&m.code, &m.name].into_iter().chain(m.aliases.iter());
            for label in labels {
                if let Some(t) = builtin.lookup.get(&normalize_label(label)) {
                    let (code, name) = builtin.describe(*t);
                    bail!(said!(
                        Msg::MetricClash,
                        code = m.code,
                        label = label,
                        builtin = code,
                        name = name
                    ));
                }
            }
            if metrics[..].iter().any(|o| o.code == m.code) {
                bail!(said!(Msg::MetricTwice, code = m.code));
            }
            metrics.push(m.clone());
        }
        for (code, extra) in aliases {
            if let Some(m) = metrics.iter_mut().find(|m| &m.code == code) {
                m.aliases.extend(extra.iter().cloned());
            } else if let Some(i) = inds.iter_mut().find(|i| &i.code == code) {
                i.aliases.extend(extra.iter().cloned());
            } else {
                bail!(said!(Msg::AliasUnknownCode, code = code));
            }
        }
        for ind in indicators {
            if metrics.iter().any(|m| m.code == ind.code)
                || inds.iter().any(|i| i.code == ind.code)
                || formula::BUILTINS.contains(&ind.code.as_str())
            {
                bail!(said!(Msg::IndicatorReusesCode, code = ind.code));
            }
            inds.push(ind.clone());
        }
        let mut cat = Catalog::from_parts(metrics, inds)?;
        cat.sets = sets;
        Ok(cat)
    }

    fn from_parts(metrics: Vec<Metric>, indicators: Vec<Indicator>) -> Result<Catalog> {
        let mut lookup: HashMap<String, Target, Fast> = HashMap::default();
        let labels = metrics
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                let l = [&m.code, &m.name].into_iter().chain(m.aliases.iter());
                l.map(move |label| (label, Target::Metric(i)))
            })
            .chain(indicators.iter().enumerate().flat_map(|(i, ind)| {
                let l = [&ind.code, &ind.name].into_iter().chain(ind.aliases.iter());
                l.map(move |label| (label, Target::Indicator(i)))
            }));
        let code = |t: Target| match t {
            Target::Metric(i) => &metrics[i].code,
            Target::Indicator(i) => &indicators[i].code,
        };
        for (label, t) in labels {
            let key = normalize_label(label);
            if key.is_empty() {
                continue;
            }
            if let Some(prev) = lookup.insert(key, t) {
                if prev != t {
                    bail!(said!(
                        Msg::AliasTwoItems,
                        label = label,
                        first = code(prev),
                        second = code(t)
                    ));
                }
            }
        }
        Ok(Catalog {
            metrics,
            indicators,
            sets: Vec::new(),
            lookup,
        })
    }

    /// Code and Chinese name of a lookup target.
    fn describe(&self, t: Target) -> (&str, &str) {
        match t {
            Target::Metric(i) => (&self.metrics[i].code, &self.metrics[i].name),
            Target::Indicator(i) => (&self.indicators[i].code, &self.indicators[i].name),
        }
    }

    /// A named set by code or name (`gk3`, `三级公立医院绩效考核`).
    pub fn set(&self, text: &str) -> Option<&Set> {
        let key = normalize_label(text);
        self.sets
            .iter()
            .find(|s| normalize_label(&s.code) == key || normalize_label(&s.name) == key)
    }

    /// Matches a header or item text (any alias, any spacing/width/unit decoration).
    pub fn lookup(&self, label: &str) -> Option<Target> {
        self.lookup_key(&normalize_label(label))
    }

    /// `lookup` for a label already normalised with `normalize_label`.
    pub fn lookup_key(&self, key: &str) -> Option<Target> {
        if key.is_empty() {
            return None;
        }
        if let Some(t) = self.lookup.get(key) {
            return Some(*t);
        }
        // Templates often append 数/数量/合计 to a name (`上转人次数`, `医疗收入合计`).
        for suffix in ["合计", "总数", "数量", "数"] {
            if let Some(stem) = key.strip_suffix(suffix) {
                if let Some(t) = self.lookup.get(stem) {
                    return Some(*t);
                }
            }
        }
        None
    }

    pub fn metric(&self, code: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.code == code)
    }

    pub fn metric_code(&self, t: Target) -> Option<&str> {
        match t {
            Target::Metric(i) => Some(&self.metrics[i].code),
            Target::Indicator(_) => None,
        }
    }

    pub fn target_code(&self, t: Target) -> &str {
        match t {
            Target::Metric(i) => &self.metrics[i].code,
            Target::Indicator(i) => &self.indicators[i].code,
        }
    }

    /// The code closest to a mistyped code or name (`dischargs`, `出院人数次`), compared with
    /// every code, name and alias; `None` when nothing is close enough to be a typo.
    pub fn suggest(&self, text: &str) -> Option<&str> {
        let typed = normalize_label(text).to_lowercase();
        let metrics = self.metrics.iter().flat_map(|m| {
            let labels = [&m.code, &m.name, &m.name_en].into_iter();
            labels.chain(m.aliases.iter()).map(|l| (m.code.as_str(), l))
        });
        let indicators = self.indicators.iter().flat_map(|i| {
            let labels = [&i.code, &i.name, &i.name_en].into_iter();
            labels.chain(i.aliases.iter()).map(|l| (i.code.as_str(), l))
        });
        metrics
            .chain(indicators)
            .map(|(code, label)| {
                let label = normalize_label(label).to_lowercase();
                (strsim::jaro_winkler(&typed, &label), code)
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, code)| code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_of_domain_md_matches_its_code() {
        let cat = Catalog::builtin();
        let cases = [
            ("门急诊诊疗人次", "outpatient_visits"),
            ("总诊疗人次", "total_visits"),
            ("诊疗人次", "total_visits"),
            ("实有床位数", "actual_beds"),
            ("开放床位数", "open_beds"),
            ("手术例数", "surgeries"),
            ("出院患者手术台次", "inpatient_surgeries"),
            ("出院患者择期手术台次", "elective_surgeries"),
            ("执业（助理）医师数", "physicians"),
            ("抗菌药物DDDs", "antibiotic_ddds"),
            ("下转住院患者人次", "referrals_down_inpatient"),
            ("出院患者总人次", "discharges"),
            ("出院人数（人）", "discharges"),
            ("实际开放床位", "open_beds"),
            ("出院患者占用总床日数", "discharged_bed_days"),
            ("其中：三级手术", "surgeries_grade3"),
            ("#四级手术", "surgeries_grade4"),
            ("住院手术台次", "inpatient_surgeries"),
            ("远程放射诊断", "remote_imaging"),
            ("向下转诊人次", "referrals_down"),
            ("医疗总收入（万元）", "medical_revenue"),
            ("家庭医生签约居民数", "family_doctor_contracts"),
            ("ＯＵＴＰＡＴＩＥＮＴ_ＶＩＳＩＴＳ", "outpatient_visits"),
        ];
        for (label, code) in cases {
            let t = cat
                .lookup(label)
                .unwrap_or_else(|| panic!("{label} unmatched"));
            assert_eq!(cat.target_code(t), code, "{label}");
        }
    }

    #[test]
    fn derived_rows_are_recognised_as_indicators() {
        let cat = Catalog::builtin();
        for label in ["病床使用率(%)", "平均住院日", "病床周转次数"] {
            assert!(
                matches!(cat.lookup(label), Some(Target::Indicator(_))),
                "{label}"
            );
        }
        assert_eq!(cat.lookup("医技检查人次"), None);
    }

    #[test]
    fn every_formula_set_item_and_official_indicator_is_sound() {
        let cat = Catalog::builtin();
        for ind in &cat.indicators {
            formula::resolve(&ind.expr, &cat)
                .unwrap_or_else(|e| panic!("indicator {}: {e}", ind.code));
        }
        assert!(["gk3", "gk2", "ygt"].iter().all(|s| cat.set(s).is_some()));
        for set in &cat.sets {
            for item in &set.items {
                let known =
                    cat.metric(item).is_some() || cat.indicators.iter().any(|i| &i.code == item);
                assert!(known, "set {} names unknown `{item}`", set.code);
            }
        }
        // Every item of a set says what it counts and after which document.
        for set in &cat.sets {
            for item in &set.items {
                let (def, source) = match cat.metric(item) {
                    Some(m) => (&m.definition, &m.source),
                    None => {
                        let i = cat.indicators.iter().find(|i| &i.code == item).unwrap();
                        (&i.definition, &i.source)
                    }
                };
                assert!(!source.is_empty(), "{item} names no source");
                assert!(!def.is_empty(), "{item} has no 口径");
            }
        }
        for m in &cat.metrics {
            let ok = match m.kind() {
                Kind::Flow => m.over_time == OverTime::Sum,
                Kind::Stock => m.over_time != OverTime::Sum,
            };
            assert!(ok, "{} is a {:?} over {:?}", m.code, m.kind(), m.over_time);
        }
    }

    fn user_metric(code: &str, aliases: &[&str], over_time: OverTime) -> Metric {
        Metric {
            code: code.into(),
            name: format!("{code} 名称"),
            name_en: String::new(),
            unit: "人".into(),
            over_time,
            kind: None,
            direction: Direction::Higher,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            definition: String::new(),
            source: String::new(),
            never_reported: Default::default(),
        }
    }

    #[test]
    fn user_metrics_join_the_catalog_and_a_clash_names_both() {
        let mine = user_metric("vaccinations", &["接种人次"], OverTime::Sum);
        let cat = Catalog::with_user(&BTreeMap::new(), &[mine], &[]).unwrap();
        let t = cat.lookup("接种人次（人次）").unwrap();
        assert_eq!(cat.target_code(t), "vaccinations");
        assert_eq!(cat.metric("vaccinations").unwrap().kind(), Kind::Flow);
        formula::resolve("vaccinations / outpatient_visits * 100", &cat).unwrap();

        let clash = user_metric("my_discharges", &["出院人数"], OverTime::Sum);
        let err = Catalog::with_user(&BTreeMap::new(), &[clash], &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("my_discharges")
                && err.contains("出院人数")
                && err.contains("`discharges`"),
            "{err}"
        );
        let code_clash = user_metric("discharges", &[], OverTime::Sum);
        let err = Catalog::with_user(&BTreeMap::new(), &[code_clash], &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("built-in item `discharges`"), "{err}");
        let mut stock = user_metric("village_doctors", &[], OverTime::Sum);
        stock.kind = Some(Kind::Stock);
        let err = Catalog::with_user(&BTreeMap::new(), &[stock], &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("village_doctors") && err.contains("stock"),
            "{err}"
        );
        let err = Catalog::with_user(
            &BTreeMap::new(),
            &[user_metric("days", &[], OverTime::Sum)],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`days`"), "{err}");
    }

    #[test]
    fn user_aliases_extend_the_catalog_and_typos_are_errors() {
        let mut aliases = BTreeMap::new();
        aliases.insert("discharges".to_string(), vec!["出院总量".to_string()]);
        let cat = Catalog::with_user(&aliases, &[], &[]).unwrap();
        assert_eq!(
            cat.target_code(cat.lookup("出院总量").unwrap()),
            "discharges"
        );

        let mut bad = BTreeMap::new();
        bad.insert("dischrges".to_string(), vec!["x".to_string()]);
        let err = Catalog::with_user(&bad, &[], &[]).unwrap_err().to_string();
        assert!(err.contains("dischrges"), "{err}");
    }
}
