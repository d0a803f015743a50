//! consortium.toml: the members, their names and tiers over time, and user extensions.

use crate::catalog::{Catalog, Direction, Indicator, Metric};
use crate::i18n::{Msg, SaidContext};
use crate::model::{Period, Tier};
use crate::said;
use crate::text::normalize_label;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Tier history: month from which each tier applies.
    #[serde(default)]
    pub tiers: Option<BTreeMap<Period, Tier>>,
    pub joined: Period,
    #[serde(default)]
    pub left: Option<Period>,
}

impl Member {
    /// The member's tier in a given month (tier history if given).
    pub fn tier_at(&self, p: Period) -> Option<Tier> {
        match &self.tiers {
            Some(h) => h
                .range(..=p)
                .next_back()
                .map(|(_, t)| *t)
                .or_else(|| h.values().next().copied()),
            None => self.tier,
        }
    }
    /// Whether the member belonged to the consortium in month p.
    pub fn is_member_at(&self, p: Period) -> bool {
        p >= self.joined && self.left.is_none_or(|l| p <= l)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
pub struct ConsortiumFile {
    #[serde(default)]
    pub name: String,
    /// Day of the following month by which a month's submission is due.
    #[serde(default)]
    pub deadline_day: Option<u32>,
    #[serde(default)]
    pub members: Vec<Member>,
    /// The consortium's own reported items, used like the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Extra header texts per metric code.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// User-defined derived indicators (formulas over codes).
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Thresholds of `yilian check` (all optional; see docs/check.md).
    #[serde(default, skip_serializing_if = "CheckSettings::is_default")]
    pub check: CheckSettings,
    /// User rules for `yilian check`: comparisons over metric codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<UserRule>,
    /// `[report]`: how the monthly report chooses its highlights.
    #[serde(default, skip_serializing_if = "ReportSettings::is_default")]
    pub report: ReportSettings,
    /// `[[population]]`: reference denominators per member (常住人口, 重点人群) from a month on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub population: Vec<Population>,
    /// `population_file = "population.csv"`: more population entries in a CSV (or xlsx) table,
    /// relative to the consortium file's folder (columns member, kind, value, from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_file: Option<PathBuf>,
    /// `[[targets]]`: 目标值 per indicator, optionally per tier or member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// `[output]`: the bytes of CSV output (docs/output.md).
    #[serde(default, skip_serializing_if = "OutputSettings::is_default")]
    pub output: OutputSettings,
}

/// `[[population]]`: a member's reference denominators, not monthly figures, in force from
/// `from` until the member's next entry. They stand for the items `residents` (常住人口数 /
/// 服务人口数) and `key_population` (重点人群人数) in every month a member sent none itself.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Population {
    pub member: String,
    pub from: Period,
    #[serde(default)]
    pub residents: Option<f64>,
    #[serde(default)]
    pub key_population: Option<f64>,
}

impl ConsortiumFile {
    /// The reference value of `item` (`residents` or `key_population`) in force for a member
    /// in month `p`: its latest entry from `p` or before that gives the item.
    pub fn population_at(&self, member: &str, item: &str, p: Period) -> Option<f64> {
        self.population
            .iter()
            .filter(|x| x.member == member && x.from <= p)
            .filter_map(|x| {
                let v = match item {
                    "residents" => x.residents,
                    "key_population" => x.key_population,
                    _ => None,
                }?;
                Some((x.from, v))
            })
            .max_by_key(|(from, _)| *from)
            .map(|(_, v)| v)
    }
}

/// `[[targets]]`: a 目标值 for an indicator (or a reported item). Without `member` or `tier`
/// it applies to every entity; a member's own target wins over its tier's, which wins over
/// the general one. `window` limits it to one window (a monthly count is not a YTD target).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub indicator: String,
    pub value: f64,
    /// higher: met when the value is at least the target; lower: at most [default: the
    /// indicator's direction].
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub member: Option<String>,
    /// month | ytd | quarter | year [default: every window].
    #[serde(default)]
    pub window: Option<String>,
}

/// `[output]` in consortium.toml: defaults of `--bom` and `--encoding` for CSV output.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OutputSettings {
    /// Start CSV with the UTF-8 byte-order mark, so Excel on Chinese Windows reads it as UTF-8.
    pub bom: bool,
    /// `utf-8` or `gbk`.
    pub encoding: crate::export::Encoding,
}

impl OutputSettings {
    pub fn is_default(&self) -> bool {
        *self == OutputSettings::default()
    }
}

/// `[report]` in consortium.toml.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// A member's change enters 增幅居前/降幅居前 only when its prior is at least this large, so
    /// that a clinic's 7 → 13 operations does not headline the month.
    pub min_prior: f64,
    /// 编制单位 in the report's footer [default: the consortium's name].
    pub compiled_by: Option<String>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            min_prior: 50.0,
            compiled_by: None,
        }
    }
}

impl ReportSettings {
    pub fn is_default(&self) -> bool {
        *self == ReportSettings::default()
    }
}

/// `[check]` in consortium.toml. Every field has a default, so the section may be absent.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Open bed-days may differ from open beds × days in month by this fraction.
    pub open_bed_days_tolerance: f64,
    /// Allowed range of discharged bed-days / occupied bed-days in one month.
    pub discharged_bed_days_ratio: [f64; 2],
    /// Robust score (deviation / spread) above which a value is an outlier.
    pub history_threshold: f64,
    /// Months of the member's own history (of the last 12) needed before judging a value.
    pub history_min_months: usize,
    /// Smallest spread assumed, as a fraction of the median: ordinary months vary this much.
    pub history_min_spread: f64,
    /// Judge lateness by the ingest time when a sheet states no 填报日期 (off: only stated dates).
    pub late_from_ingested_at: bool,
    /// Plausibility ranges per tier; a field left out keeps the built-in range.
    pub tiers: BTreeMap<Tier, TierRanges>,
    /// Severity per rule name: error | warning | info | off.
    pub severity: BTreeMap<String, String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            open_bed_days_tolerance: 0.05,
            discharged_bed_days_ratio: [0.6, 1.5],
            history_threshold: 5.0,
            history_min_months: 6,
            history_min_spread: 0.10,
            late_from_ingested_at: false,
            tiers: BTreeMap::new(),
            severity: BTreeMap::new(),
        }
    }
}

impl CheckSettings {
    pub fn is_default(&self) -> bool {
        *self == CheckSettings::default()
    }
}

/// `[check.tiers.<tier>]`: [min, max] of monthly indicators.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct TierRanges {
    /// 病床使用率, %.
    pub occupancy: Option<[f64; 2]>,
    /// 平均住院日, days.
    pub avg_los: Option<[f64; 2]>,
    /// 病床周转次数 in one month.
    pub bed_turnover: Option<[f64; 2]>,
}

/// `[[rules]]`: `rule = "remote_imaging <= outpatient_visits"`, checked on every member-month.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UserRule {
    /// Short name shown in findings [default: the rule text].
    #[serde(default)]
    pub name: Option<String>,
    pub rule: String,
    #[serde(default = "default_rule_severity")]
    pub severity: crate::model::Severity,
    #[serde(default)]
    pub message: Option<String>,
}

fn default_rule_severity() -> crate::model::Severity {
    crate::model::Severity::Warning
}

/// The loaded consortium: members, the catalog with user extensions, and where it came from.
#[derive(Clone, Debug)]
pub struct Consortium {
    pub file: ConsortiumFile,
    pub path: Option<PathBuf>,
    pub catalog: Catalog,
    names: HashMap<String, usize>,
    /// Member id → position in `file.members`: `member(id)` is asked per stored value.
    ids: HashMap<String, usize>,
}

impl Consortium {
    pub fn load(path: &Path) -> Result<Consortium> {
        let text = std::fs::read_to_string(path)
            .said(|| said!(Msg::CannotReadConsortium, path = path.display()))?;
        let file: ConsortiumFile =
            toml::from_str(&text).said(|| said!(Msg::InvalidConsortium, path = path.display()))?;
        let file = with_population_file(file, path)?;
        Consortium::from_file(file, Some(path.to_path_buf()))
    }

    pub fn from_file(file: ConsortiumFile, path: Option<PathBuf>) -> Result<Consortium> {
        let catalog = Catalog::with_user(&file.aliases, &file.metrics, &file.indicators)?;
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (i, m) in file.members.iter().enumerate() {
            if m.tier.is_none() && m.tiers.as_ref().is_none_or(|t| t.is_empty()) {
                bail!(said!(Msg::MemberNoTier, id = m.id));
            }
            if ids.insert(m.id.clone(), i).is_some() {
                bail!(said!(Msg::MemberIdTwice, id = m.id));
            }
            for label in [&m.id, &m.name].into_iter().chain(m.aliases.iter()) {
                let key = normalize_label(label);
                if let Some(&j) = names.get(&key) {
                    if j != i {
                        bail!(said!(
                            Msg::MemberNameTwice,
                            label = label,
                            first = file.members[j].id,
                            second = m.id
                        ));
                    }
                }
                names.insert(key, i);
            }
        }
        // Check user formulas now, so a typo is reported by every command, not only later.
        for ind in &file.indicators {
            crate::catalog::formula::resolve(&ind.expr, &catalog)
                .map_err(|e| said!(Msg::UserIndicatorBad, code = ind.code, why => e.text()))?;
        }
        check_targets(&file, &catalog)?;
        for (i, x) in file.population.iter().enumerate() {
            if !file.members.iter().any(|m| m.id == x.member) {
                bail!(said!(Msg::PopulationNoMember, n = i + 1, member = x.member));
            }
            let values = [x.residents, x.key_population];
            if values.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
                bail!(said!(Msg::PopulationNotCount, n = i + 1, member = x.member));
            }
            if values.iter().all(Option::is_none) {
                bail!(said!(Msg::PopulationNoValue, n = i + 1, member = x.member));
            }
        }
        Ok(Consortium {
            file,
            path,
            catalog,
            names,
            ids,
        })
    }

    /// The target of an indicator for an entity of a window: (target, direction). `tier` is
    /// the member's tier in the period for a member, the tier itself for a tier, None for the
    /// consortium. The most specific target wins: member, then tier, then general.
    pub fn target(
        &self,
        indicator: &str,
        window: &str,
        member: Option<&str>,
        tier: Option<Tier>,
    ) -> Option<(f64, Direction)> {
        let fits = |t: &&Target| {
            t.indicator == indicator && t.window.as_deref().is_none_or(|w| w == window)
        };
        let all = || self.file.targets.iter().filter(fits);
        let found = all()
            .find(|t| member.is_some() && t.member.as_deref() == member)
            .or_else(|| all().find(|t| t.member.is_none() && tier.is_some() && t.tier == tier))
            .or_else(|| all().find(|t| t.member.is_none() && t.tier.is_none()))?;
        let direction = found.direction.or_else(|| self.direction_of(indicator))?;
        Some((found.value, direction))
    }

    fn direction_of(&self, code: &str) -> Option<Direction> {
        let cat = &self.catalog;
        cat.metric(code).map(|m| m.direction).or_else(|| {
            cat.indicators
                .iter()
                .find(|i| i.code == code)
                .map(|i| i.direction)
        })
    }

    pub fn members(&self) -> &[Member] {
        &self.file.members
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.member_rank(id).map(|i| &self.file.members[i])
    }

    /// A member's position in the consortium's order (the order reports list members in).
    pub fn member_rank(&self, id: &str) -> Option<usize> {
        let &i = self.ids.get(id)?;
        if self.file.members.get(i).is_some_and(|m| m.id == id) {
            Some(i)
        } else {
            // `file` is public: its members were reordered since; look them through.
            self.file.members.iter().position(|m| m.id == id)
        }
    }

    /// Resolves a name as written in a spreadsheet (`填报单位：…`, a member column, a file name).
    pub fn find_member(&self, name: &str) -> Option<&Member> {
        let key = normalize_label(name);
        self.names.get(&key).map(|&i| &self.file.members[i])
    }

    /// A member whose name or alias occurs inside a longer text such as a file name
    /// (`市一院_2024年3月科室运营数据.xlsx`); the longest match wins.
    pub fn find_member_in_text(&self, text: &str) -> Option<&Member> {
        let key = normalize_label(text);
        self.names
            .iter()
            // At least two characters (`nth(1)`, not a full count: this runs for every name on
            // every sheet, and a bureau's consortium has thousands).
            .filter(|(name, _)| name.chars().nth(1).is_some() && key.contains(name.as_str()))
            .max_by_key(|(name, _)| name.len())
            .map(|(_, &i)| &self.file.members[i])
    }

    /// Up to three member names closest to an unknown name, for error messages.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let key = normalize_label(name);
        let mut scored: Vec<(f64, &Member)> = self
            .file
            .members
            .iter()
            .map(|m| {
                let best = [&m.name]
                    .into_iter()
                    .chain(m.aliases.iter())
                    .fold(0.0f64, |acc, n| {
                        acc.max(strsim::normalized_levenshtein(&key, &normalize_label(n)))
                    });
                (best, m)
            })
            .filter(|(s, _)| *s > 0.3)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(3)
            .map(|(_, m)| format!("{} ({})", m.name, m.id))
            .collect()
    }

    /// Adds a member found in a file when the user asked for `--add-unknown-members`.
    pub fn add_unknown(&mut self, name: &str, first_seen: Period) -> Member {
        let n = self.file.members.len() + 1;
        let m = Member {
            id: format!("new{n:03}"),
            name: tidy_name(name),
            aliases: vec![],
            tier: Some(Tier::Primary),
            tiers: None,
            joined: first_seen,
            left: None,
        };
        self.names
            .insert(normalize_label(name), self.file.members.len());
        self.ids.insert(m.id.clone(), self.file.members.len());
        self.file.members.push(m.clone());
        m
    }
}

/// The file's `population_file` entries added to its `[[population]]`: one row per member,
/// kind (常住人口/服务人口 → residents, 重点人群 → key_population), value and the month it holds
/// from. A row that cannot be read as that is an error naming the file, line and column; so
/// is the same member, kind and month given twice (in the file or inline).
fn with_population_file(mut file: ConsortiumFile, config: &Path) -> Result<ConsortiumFile> {
    use crate::i18n::Msg;
    use crate::read::Cell;
    use crate::said;
    let Some(name) = file.population_file.clone() else {
        return Ok(file);
    };
    let path = config.parent().unwrap_or(Path::new("")).join(name);
    let shown = path.display().to_string();
    let unreadable =
        |why: crate::i18n::Text| said!(Msg::PopulationFileUnreadable, path = shown, why => why);
    let bytes = std::fs::read(&path).map_err(|e| unreadable(e.to_string().into()))?;
    let book = crate::read::read_bytes(&bytes).map_err(|e| unreadable(e.text()))?;
    // A population file is small: its rows as owned cells.
    let rows: Vec<Vec<Cell>> = book.sheets.first().map(|s| s.to_rows()).unwrap_or_default();
    let Some(head) = rows.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
        return Err(unreadable(said!(Msg::EverySheetEmpty)).into());
    };
    const COLUMNS: [(&str, &[&str]); 4] = [
        (
            "member",
            &["member", "成员单位", "单位", "单位名称", "机构名称", "id"],
        ),
        ("kind", &["kind", "类别", "人口类别", "类型", "项目"]),
        ("value", &["value", "数值", "人数", "人口数"]),
        (
            "from",
            &[
                "from",
                "from-date",
                "from_date",
                "起始月份",
                "起始日期",
                "起始时间",
                "生效月份",
            ],
        ),
    ];
    let mut at = [0usize; 4];
    for (k, (key, names)) in COLUMNS.iter().enumerate() {
        at[k] = rows[head]
            .iter()
            .position(|c| {
                let text = normalize_label(&c.display());
                names.iter().any(|n| normalize_label(n) == text)
            })
            .ok_or_else(|| {
                said!(
                    Msg::PopulationFileNoColumn,
                    path = shown,
                    line = head + 1,
                    column = key
                )
            })?;
    }
    let header = |k: usize| rows[head][at[k]].display();
    // Inline entries first, so a row repeating one names it.
    let mut seen: HashMap<(String, &'static str, Period), String> = HashMap::new();
    for (i, x) in file.population.iter().enumerate() {
        for (item, v) in [
            ("residents", x.residents),
            ("key_population", x.key_population),
        ] {
            if v.is_some() {
                seen.insert(
                    (x.member.clone(), item, x.from),
                    format!("[[population]] #{}", i + 1),
                );
            }
        }
    }
    let mut added = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(head + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let line = r + 1;
        let cell = |k: usize| row.get(at[k]).cloned().unwrap_or(Cell::Empty);
        let bad = |k: usize, problem: crate::i18n::Text| said!(Msg::PopulationFileCell, path = shown, line = line, column = header(k), problem => problem);
        let text = |k: usize| cell(k).display().trim().to_string();
        let member = {
            let t = text(0);
            let key = normalize_label(&t);
            file.members
                .iter()
                .find(|m| {
                    m.id == t
                        || [&m.name]
                            .into_iter()
                            .chain(&m.aliases)
                            .any(|n| normalize_label(n) == key)
                })
                .map(|m| m.id.clone())
                .ok_or_else(|| bad(0, said!(Msg::PopulationUnknownMember, text = t)))?
        };
        let item = match normalize_label(&text(1)).as_str() {
            "residents" | "常住人口" | "常住人口数" | "服务人口" | "服务人口数" => {
                "residents"
            }
            "key_population" | "重点人群" | "重点人群人数" => "key_population",
            _ => return Err(bad(1, said!(Msg::PopulationUnknownKind, text = text(1))).into()),
        };
        let value = match cell(2) {
            Cell::Number(v) => Some(v),
            Cell::Text(t) => t.trim().replace([',', '，'], "").parse::<f64>().ok(),
            _ => None,
        }
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| bad(2, said!(Msg::PopulationBadValue, text = text(2))))?;
        let from = population_month(&cell(3))
            .ok_or_else(|| bad(3, said!(Msg::PopulationBadFrom, text = text(3))))?;
        if let Some(other) = seen.get(&(member.clone(), item, from)) {
            let kind = if item == "residents" {
                "常住人口"
            } else {
                "重点人群"
            };
            let twice = said!(
                Msg::PopulationTwice,
                member = member,
                kind = kind,
                from = from,
                other = other
            );
            return Err(bad(0, twice).into());
        }
        seen.insert((member.clone(), item, from), format!("{shown} line {line}"));
        let (residents, key_population) = match item {
            "residents" => (Some(value), None),
            _ => (None, Some(value)),
        };
        added.push(Population {
            member,
            from,
            residents,
            key_population,
        });
    }
    file.population.extend(added);
    Ok(file)
}

/// The month a population holds from: `2025-03` (or as typed on the command line: 2025年3月,
/// 202503), or a date on the 1st of a month, typed or a spreadsheet date.
fn population_month(cell: &crate::read::Cell) -> Option<Period> {
    use crate::read::Cell;
    use chrono::Datelike;
    let date = match cell {
        Cell::Date(d) => d.date()?,
        Cell::Number(v) if v.fract() == 0.0 => return Period::parse_user(&format!("{v}")),
        Cell::Text(t) => {
            let t = t.trim();
            if let Some(p) = Period::parse_user(t) {
                return Some(p);
            }
            ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
                .iter()
                .find_map(|f| chrono::NaiveDate::parse_from_str(t, f).ok())?
        }
        _ => return None,
    };
    (date.day() == 1).then(|| Period::new(date.year(), date.month()))?
}

/// Every `[[targets]]` entry names a known indicator, member and window and has a direction.
fn check_targets(file: &ConsortiumFile, catalog: &Catalog) -> Result<()> {
    for (i, t) in file.targets.iter().enumerate() {
        let n = i + 1;
        let direction = match catalog.metric(&t.indicator) {
            Some(m) => m.direction,
            None => match catalog.indicators.iter().find(|x| x.code == t.indicator) {
                Some(x) => x.direction,
                None => {
                    let hint = match catalog.suggest(&t.indicator) {
                        Some(c) => said!(Msg::TargetDidYouMean, code = c),
                        None => said!(Msg::TargetCatalogLists),
                    };
                    bail!(said!(
                        Msg::TargetUnknown,
                        n = n,
                        code = t.indicator,
                        hint => hint
                    ));
                }
            },
        };
        if t.direction.unwrap_or(direction) == Direction::Neutral {
            bail!(said!(Msg::TargetNoDirection, n = n, code = t.indicator));
        }
        if let Some(m) = &t.member {
            if !file.members.iter().any(|x| &x.id == m) {
                bail!(said!(
                    Msg::TargetUnknownMember,
                    n = n,
                    code = t.indicator,
                    member = m
                ));
            }
        }
        if t.member.is_some() && t.tier.is_some() {
            bail!(said!(Msg::TargetMemberAndTier, n = n, code = t.indicator));
        }
        if let Some(w) = &t.window {
            if !["month", "ytd", "quarter", "year"].contains(&w.as_str()) {
                bail!(said!(
                    Msg::TargetBadWindow,
                    n = n,
                    code = t.indicator,
                    window = w
                ));
            }
        }
        if !t.value.is_finite() {
            bail!(said!(Msg::TargetNotNumber, n = n, code = t.indicator));
        }
    }
    Ok(())
}

/// A name found in a file, as a new member's name: without the gaps typed between its
/// characters (`白 沙 乡 卫 生 院`) and without a trailing seal note (`（盖章）`).
pub fn tidy_name(name: &str) -> String {
    let mut n: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .collect();
    for seal in ["（盖章）", "(盖章)", "（公章）", "(公章)", "（章）", "(章)"] {
        if let Some(stem) = n.strip_suffix(seal) {
            n = stem.to_string();
        }
    }
    n
}

/// The consortium file to use: `--config`, else `consortium.toml` in the current directory,
/// else one in (or above) the first input folder.
pub fn discover(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<PathBuf> {
    if let Some(p) = explicit {
        if !p.exists() {
            bail!(said!(Msg::ConsortiumMissing, path = p.display()));
        }
        return Ok(p.to_path_buf());
    }
    let cwd = PathBuf::from("consortium.toml");
    if cwd.exists() {
        return Ok(cwd);
    }
    for input in inputs {
        let mut dir = if input.is_dir() {
            Some(input.as_path())
        } else {
            input.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join("consortium.toml");
            if candidate.exists() {
                return Ok(candidate);
            }
            dir = d.parent();
        }
    }
    bail!(said!(Msg::NoConsortiumFound))
}

#[cfg(test)]
impl Consortium {
    /// Members a (secondary) and b (primary) since 2019-01, then `more` (consortium.toml
    /// text): the compute tests' consortium.
    pub fn two_members(more: &str) -> Consortium {
        let text = format!(
            r#"
name = "医联体"
[[members]]
id = "a"
name = "甲医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "b"
name = "乙卫生院"
tier = "primary"
joined = "2019-01"
{more}"#
        );
        let file: ConsortiumFile = toml::from_str(&text).unwrap();
        Consortium::from_file(file, None).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
name = "示例医联体"
[[members]]
id = "lead"
name = "示例市第一人民医院"
aliases = ["市一院", "第一人民医院"]
tier = "tertiary"
joined = "2019-01"

[[members]]
id = "maternal"
name = "示例县妇幼保健院"
tiers = { "2019-01" = "primary", "2025-01" = "secondary" }
joined = "2019-01"
left = "2025-06"
"#;

    fn load() -> Consortium {
        Consortium::from_file(toml::from_str(TOML).unwrap(), None).unwrap()
    }

    #[test]
    fn members_are_found_by_name_alias_and_inside_file_names() {
        let c = load();
        assert_eq!(c.find_member("市一院").unwrap().id, "lead");
        assert_eq!(c.find_member(" 示例市第一人民医院 ").unwrap().id, "lead");
        assert_eq!(
            c.find_member_in_text("市一院_2024年3月科室运营数据.xlsx")
                .unwrap()
                .id,
            "lead"
        );
        assert!(c.find_member("示例市第二人民医院").is_none());
        assert!(c.suggest("示例市第二人民医院")[0].contains("lead"));
    }

    #[test]
    fn names_typed_with_gaps_or_a_seal_note_find_their_member() {
        let mut c = load();
        for written in [
            "示 例 市 第 一 人 民 医 院",
            "示例市\u{3000}第一人民医院（盖章）",
            "市\u{00A0}一\u{00A0}院",
            " 市一院(公章) ",
        ] {
            assert_eq!(
                c.find_member(written).map(|m| m.id.as_str()),
                Some("lead"),
                "{written}"
            );
        }
        assert!(c.find_member("示 例 市 第 二 人 民 医 院").is_none());
        let added = c.add_unknown(
            "白 沙 乡\u{3000}卫 生 院（盖章）",
            Period::parse_strict("2025-03").unwrap(),
        );
        assert_eq!(added.name, "白沙乡卫生院");
        assert_eq!(c.find_member("白沙乡卫生院").unwrap().id, added.id);
    }

    #[test]
    fn tier_history_and_membership_follow_the_month() {
        let c = load();
        let m = c.member("maternal").unwrap();
        let p = |s: &str| Period::parse_strict(s).unwrap();
        assert_eq!(m.tier_at(p("2024-12")), Some(Tier::Primary));
        assert_eq!(m.tier_at(p("2025-01")), Some(Tier::Secondary));
        assert!(m.is_member_at(p("2025-06")));
        assert!(!m.is_member_at(p("2025-07")));
        assert!(!m.is_member_at(p("2018-12")));
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let bad = TOML.replace("\"市一院\", ", "\"示例县妇幼保健院\", ");
        let err = Consortium::from_file(toml::from_str(&bad).unwrap(), None).unwrap_err();
        assert!(err.to_string().contains("示例县妇幼保健院"), "{err}");
    }
}
