//! The indicator catalog: base metrics members report and derived indicators computed from
//! them. Built-in definitions live in `catalog.toml` (embedded); users add aliases and
//! indicators in consortium.toml.

pub mod formula;

use crate::text::normalize_label;
use anyhow::{bail, Context, Result};
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

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Metric {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub over_time: OverTime,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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
}

#[derive(Deserialize)]
struct CatalogFile {
    metric: Vec<Metric>,
    indicator: Vec<Indicator>,
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
    lookup: HashMap<String, Target>,
}

impl Catalog {
    pub fn builtin() -> Catalog {
        // The embedded file is part of the binary and covered by tests: failing here is a
        // build defect, not a user error.
        let file: CatalogFile = toml::from_str(BUILTIN).expect("embedded catalog.toml is valid");
        Catalog::from_parts(file.metric, file.indicator)
            .unwrap_or_else(|e| panic!("embedded catalog.toml is inconsistent: {e:#}"))
    }

    /// The built-in catalog extended with a consortium's own aliases and indicators.
    pub fn with_user(
        aliases: &BTreeMap<String, Vec<String>>,
        indicators: &[Indicator],
    ) -> Result<Catalog> {
        let mut cat = Catalog::builtin();
        let mut metrics = std::mem::take(&mut cat.metrics);
        let mut inds = std::mem::take(&mut cat.indicators);
        for (code, extra) in aliases {
            if let Some(m) = metrics.iter_mut().find(|m| &m.code == code) {
                m.aliases.extend(extra.iter().cloned());
            } else if let Some(i) = inds.iter_mut().find(|i| &i.code == code) {
                i.aliases.extend(extra.iter().cloned());
            } else {
                bail!(
                    "[aliases] names `{code}`, which is not a metric or indicator code; \
                     run `yilian catalog` to list the codes"
                );
            }
        }
        for ind in indicators {
            if metrics.iter().any(|m| m.code == ind.code) || inds.iter().any(|i| i.code == ind.code)
            {
                bail!(
                    "[[indicators]] `{}` reuses a built-in code; choose another code",
                    ind.code
                );
            }
            inds.push(ind.clone());
        }
        Catalog::from_parts(metrics, inds)
    }

    fn from_parts(metrics: Vec<Metric>, indicators: Vec<Indicator>) -> Result<Catalog> {
        let mut lookup = HashMap::new();
        let mut add = |label: &str, t: Target, owner: &str| -> Result<()> {
            let key = normalize_label(label);
            if key.is_empty() {
                return Ok(());
            }
            if let Some(prev) = lookup.insert(key.clone(), t) {
                if prev != t {
                    bail!("alias `{label}` of `{owner}` is already used by another item");
                }
            }
            Ok(())
        };
        for (i, m) in metrics.iter().enumerate() {
            for label in [&m.code, &m.name].into_iter().chain(m.aliases.iter()) {
                add(label, Target::Metric(i), &m.code)
                    .with_context(|| format!("metric {}", m.code))?;
            }
        }
        for (i, ind) in indicators.iter().enumerate() {
            for label in [&ind.code, &ind.name].into_iter().chain(ind.aliases.iter()) {
                add(label, Target::Indicator(i), &ind.code)
                    .with_context(|| format!("indicator {}", ind.code))?;
            }
        }
        Ok(Catalog {
            metrics,
            indicators,
            lookup,
        })
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
            ("总诊疗人次", "outpatient_visits"),
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
    fn user_aliases_extend_the_catalog_and_typos_are_errors() {
        let mut aliases = BTreeMap::new();
        aliases.insert("discharges".to_string(), vec!["出院总量".to_string()]);
        let cat = Catalog::with_user(&aliases, &[]).unwrap();
        assert_eq!(
            cat.target_code(cat.lookup("出院总量").unwrap()),
            "discharges"
        );

        let mut bad = BTreeMap::new();
        bad.insert("dischrges".to_string(), vec!["x".to_string()]);
        let err = Catalog::with_user(&bad, &[]).unwrap_err().to_string();
        assert!(err.contains("dischrges"), "{err}");
    }
}
