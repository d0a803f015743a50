//! The monthly report: figures gathered once from the engine and the store, then written as
//! charts (plotters, SVG and PNG), an Excel workbook, a Markdown summary and one HTML page.

pub mod charts;
pub mod font;
pub mod html;
pub mod png;
pub mod quality;
pub mod sets;
pub mod summary;
pub mod xlsx;

use crate::catalog::Direction;
use crate::compute::{Engine, Record, Request, Scope, Window};
use crate::config::Consortium;
use crate::i18n::{Msg, SaidContext};
use crate::model::period::Period;
use crate::model::Tier;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::Result;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Language of titles, labels and sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Which members a tier or consortium change compares (同比/环比). Totals are always the full
/// total; only the changes differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChangeBasis {
    /// 可比口径: members with figures for the item in both windows, in the same tier.
    #[default]
    Comparable,
    /// 全口径: every member in each window; a change whose prior covers fewer members than the
    /// current is not published.
    All,
}

/// The comparable-basis figures behind a tier or consortium change.
#[derive(Clone, Copy, Debug, Default)]
pub struct Comparable {
    pub value: Option<f64>,
    pub prior_value: Option<f64>,
    /// Members in both windows.
    pub covered: u32,
}

/// The indicators of the trend charts and the headline cards.
pub const KEY_INDICATORS: [&str; 6] = [
    "discharges",
    "outpatient_visits",
    "bed_turnover",
    "bed_occupancy",
    "grade34_share",
    "remote_services",
];
pub const GRADES: [&str; 4] = [
    "surgeries_grade1",
    "surgeries_grade2",
    "surgeries_grade3",
    "surgeries_grade4",
];
pub const REMOTE: [&str; 4] = [
    "remote_imaging",
    "remote_ecg",
    "remote_ultrasound",
    "remote_consults",
];

#[derive(Clone, Debug)]
pub struct DefInfo {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub direction: Direction,
    /// Reported items it is computed from: a finding on one of them flags the figure.
    pub operands: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct MemberInfo {
    pub id: String,
    pub name: String,
    pub tier: Option<Tier>,
}

/// A member-month in the completeness grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Submission {
    OnTime,
    Late,
    Missing,
    /// Not a member that month: nothing was due.
    NotDue,
    /// Submitted, but no sheet states a 填报日期 (and there is a deadline): timeliness unknown,
    /// as `check` says too.
    Undated,
}

/// Monthly values of one entity and indicator: this year (None after the period) and the
/// same months of last year.
#[derive(Clone, Debug, Default)]
pub struct Trend {
    pub this_year: [Option<f64>; 12],
    pub last_year: [Option<f64>; 12],
}

/// Everything the report shows, computed once.
pub struct ReportData {
    pub title: String,
    pub period: Period,
    pub lang: Lang,
    /// Shared with the thread that writes the workbook's tidy sheet from them (`Side`).
    pub month: std::sync::Arc<Vec<Record>>,
    pub ytd: std::sync::Arc<Vec<Record>>,
    /// The basis of every tier and consortium change in `month` and `ytd` (already applied
    /// there, so every output shows the same change for the same figure).
    pub basis: ChangeBasis,
    /// (ytd, entity, indicator) → the comparable figures behind a tier or consortium change.
    pub comparable: HashMap<(bool, String, String), Comparable>,
    pub defs: Vec<DefInfo>,
    pub members: Vec<MemberInfo>,
    /// (entity, indicator) → trend; entity `consortium` or a member id.
    pub trends: HashMap<(String, String), Trend>,
    /// The twelve months ending with the period.
    pub grid_months: Vec<Period>,
    /// Per member (in consortium order), one status per grid month.
    pub grid: Vec<(MemberInfo, Vec<Submission>)>,
    pub deadline_day: Option<u32>,
    /// Errors and warnings of `check` for the months of the year to date: the 数据质量 section,
    /// and figures built on a flagged value never headline the month.
    pub findings: Vec<crate::check::Finding>,
    /// Smallest prior for a member's change to be a highlight (`[report] min_prior`).
    pub min_prior: f64,
    /// Joins, departures and tier moves inside the compared windows (the same months of last
    /// year to this month): they move tier and consortium totals without any hospital's work
    /// changing, so the report says so under the figures they affect.
    pub membership_changes: Vec<(Period, String)>,
    /// (member, item) → months of the year to date sent with this item blank (quality.rs).
    pub blanks: HashMap<(String, String), Vec<Period>>,
    /// 托管前后对比: members in their second year after joining, with their first twelve
    /// member months against the twelve before (the engine's since-joined comparison).
    pub since_joined: Vec<(MemberInfo, Vec<Record>)>,
    /// Each member's `joined` month.
    pub joined: HashMap<String, Period>,
    /// 编制单位: `[report] compiled_by`, else the consortium's name.
    pub compiled_by: String,
    /// 数据截至: when the newest submission of the months reported on was stored.
    pub data_as_of: Option<String>,
    /// 指标体系: a section per named indicator set the data fill in part (sets.rs).
    pub sets: Vec<sets::SetSection>,
    /// `record`'s index: (ytd, entity, indicator) → position, and the lengths of `month`
    /// and `ytd` it was built for. The tables ask for every member and item; a scan of the
    /// records each time was most of a 500-member report's time.
    record_index: (RecordIndex, [usize; 2]),
    /// `findings`' positions per member, and the length of `findings` it was built for:
    /// `flagged` is asked for every member and item.
    finding_index: (HashMap<String, Vec<usize>>, usize),
    /// `members`' positions by id: every member's chart bar and table row asks for its
    /// name, a scan of 2,000 members each time.
    member_index: HashMap<String, usize>,
}

/// (ytd, entity, indicator) → position in `month` or `ytd`.
type RecordIndex = HashMap<(bool, String, String), usize>;

/// One item's month and year-to-date records of one entity.
pub type MonthAndYtd<'a> = (Option<&'a Record>, Option<&'a Record>);

/// The report's thematic member tables: (Chinese heading, English heading, items), each shown
/// when some member reports its items.
pub const THEMES: [(&str, &str, &[&str]); 2] = [
    (
        "分级诊疗（双向转诊）",
        "Two-way referrals",
        &["referrals_up", "referrals_down", "referrals_down_share"],
    ),
    (
        "资源下沉",
        "Resources sent to members",
        &["expert_visits", "staff_trained", "new_techniques"],
    ),
];

/// The months `ReportData::gather` reads figures of: the report's calendar year and the
/// year before (each month of the trend charts against a year earlier and the month before;
/// the month and 1-N月 windows lie inside), and the 托管前后对比 months of the members
/// whose comparison the report shows.
pub fn months_read(consortium: &Consortium, period: Period) -> BTreeSet<Period> {
    let mut m: BTreeSet<Period> = (1..=12u32)
        .flat_map(|i| Period::new(period.year(), i))
        .flat_map(|p| crate::compute::months_read(Window::Month, p))
        .collect();
    m.extend(crate::compute::months_read(Window::Ytd, period));
    for mem in consortium.members() {
        if since_joined_shown(mem.joined, period) {
            m.extend(crate::compute::months_since_joined(mem.joined));
        }
    }
    m
}

/// What a thread of the report's returned; its panic goes on in the caller.
pub fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    resumed(h.join())
}

/// A joined thread's result; its panic goes on in the caller.
fn resumed<T>(r: std::thread::Result<T>) -> T {
    r.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// What the report says of the submissions themselves (completeness, blank items, the
/// year's check): read from the store's rows with their lineage, nothing of the engine's, so
/// it can be read beside the figures and indicators.
pub struct Received {
    grid_months: Vec<Period>,
    grid: Vec<(MemberInfo, Vec<Submission>)>,
    blanks: HashMap<(String, String), Vec<Period>>,
    findings: Vec<crate::check::Finding>,
    data_as_of: Option<String>,
}

impl Received {
    pub fn gather(consortium: &Consortium, store: &Store, period: Period) -> Result<Received> {
        let t0 = std::time::Instant::now();
        let grid_months: Vec<Period> = (0..12).rev().map(|i| period.add_months(-i)).collect();
        let ytd_months: Vec<Period> = (1..=period.month())
            .filter_map(|m| Period::new(period.year(), m))
            .collect();
        // The check reads the year's months with their lineage: the completeness grid's
        // dates and the blank items of those months are taken from its rows, not read again.
        let mut dates = SentDates::new();
        let mut blanks = quality::BlankItems::default();
        let mut seen = |s: crate::check::Seen<'_>| {
            if s.again {
                (dates, blanks) = Default::default();
            }
            // A submission's rows come together: its member, month and date are noted once
            // for the run of rows that share them, not once a row (half a million a year).
            let mut last: Option<&crate::store::Stored> = None;
            for r in s.rows.iter().filter(|r| s.months.contains(&r.period)) {
                if r.kind != Kind::Base || r.basis != Basis::Month || r.value.is_none() {
                    continue;
                }
                let same = last.is_some_and(|l| {
                    l.period == r.period && l.member == r.member && l.submitted_on == r.submitted_on
                });
                if !same {
                    note_sent(&mut dates, &r.member, r.period, r.submitted_on.as_deref());
                    last = Some(r);
                }
                if let (true, Some(metric)) = (r.in_use, &r.metric) {
                    blanks.add(&r.member, metric, r.period);
                }
            }
        };
        // The months whose findings an earlier report kept (`check::cache`) are not checked
        // again, nor read: their findings, dates and blank items come from the entries.
        let mut kept = crate::check::cache::Months::open(consortium, store, &ytd_months);
        let (mut findings, said) = kept.take_found();
        let cached: Vec<Period> = said.iter().map(|(p, _)| *p).collect();
        let to_check: Vec<Period> = ytd_months
            .iter()
            .filter(|p| !cached.contains(p))
            .copied()
            .collect();
        if !to_check.is_empty() {
            let checked = crate::check::run_months_seen(
                consortium,
                store,
                Some(to_check.clone()),
                &mut seen,
            )?
            .findings;
            kept.keep(&to_check, &checked, |p| {
                let (items, figures) = blanks.of_month(p);
                // By member: the entry is the same for the same rows (`dates` is a hash map).
                let mut sent: Vec<(String, Option<String>)> = dates
                    .iter()
                    .filter(|((_, q), _)| *q == p)
                    .map(|((m, _), d)| (m.clone(), d.clone()))
                    .collect();
                sent.sort_unstable();
                crate::check::cache::Said {
                    sent,
                    items,
                    figures,
                }
            });
            findings.extend(checked);
        }
        if !cached.is_empty() {
            // In the check's order (stable: a month's findings are in it already).
            findings.sort_by(|a, b| crate::check::finding_order(consortium, a, b));
        }
        // The kept months' submissions, as the check's rows would have given them.
        for (p, s) in said {
            for (m, d) in &s.sent {
                note_sent(&mut dates, m, p, d.as_deref());
            }
            for (m, x) in s.pairs() {
                blanks.add(&m, &x, p);
            }
        }
        findings.retain(|f| f.severity != crate::model::Severity::Info);
        log::debug!(
            "report: {} months' findings kept, {} checked",
            cached.len(),
            to_check.len()
        );
        stage("check", t0);
        let blanks = blanks.finish();
        // The grid's months of the year before.
        let earlier: Vec<Period> = grid_months
            .iter()
            .filter(|p| !ytd_months.contains(p))
            .copied()
            .collect();
        sent_dates(store, &earlier, &mut dates)?;
        let grid = completeness(consortium, &grid_months, &dates);
        stage("completeness grid, blank items", t0);
        // The newest of the months' submissions.
        let from = Period::new(period.year() - 1, 1).unwrap_or(period);
        let data_as_of =
            store.last_ingested(&crate::store::Filter::all().period_range(from, period))?;
        stage("data as of", t0);
        Ok(Received {
            grid_months,
            grid,
            blanks,
            findings,
            data_as_of,
        })
    }
}

/// What `ReportData::gather`'s `beside` makes, on a thread of its own that may still be at it
/// when the data are gathered: the report's other work goes on meanwhile.
pub struct Side<T>(std::thread::JoinHandle<T>);

impl<T> Side<T> {
    /// What it made, once it is done (its panic goes on in the caller).
    pub fn join(self) -> T {
        resumed(self.0.join())
    }
}

/// Each member's position in `members`.
fn members_index(members: &[MemberInfo]) -> HashMap<String, usize> {
    let mut index = HashMap::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        index.entry(m.id.clone()).or_insert(i);
    }
    index
}

/// 托管前后对比 once a member's first twelve member months are complete, for the following
/// year (its second year in the consortium).
fn since_joined_shown(joined: Period, period: Period) -> bool {
    let first_year_end = joined.add_months(11);
    first_year_end <= period && period < first_year_end.add_months(12)
}

impl ReportData {
    /// Takes the engine to drop it once its figures are in: the store reads that follow
    /// (submissions, `check`) then reuse its memory instead of adding to it.
    /// `received`: the submissions' part (`Received::gather`), which the caller may have
    /// started on a thread of its own: it is asked for before the trends, which hold the
    /// most memory of the engine's work, so the two peaks do not add up.
    /// `beside`: what is made of the final month's and year's records alone (the workbook's
    /// tidy sheet), on a thread of its own that the data do not wait for (`Side`).
    #[allow(clippy::too_many_arguments)]
    pub fn gather<T: Send + 'static>(
        consortium: &Consortium,
        engine: Engine,
        period: Period,
        lang: Lang,
        basis: ChangeBasis,
        trend_member: Option<&str>,
        received: impl FnOnce() -> Result<Received>,
        beside: impl FnOnce(&[Record], &[Record], &[crate::compute::Def]) -> T + Send + 'static,
    ) -> Result<(ReportData, Side<T>)> {
        let all = vec![Scope::Consortium, Scope::Tier, Scope::Member];
        let req = |window| Request {
            period,
            window,
            scopes: all.clone(),
            like_for_like: false,
            indicators: None,
        };
        let t0 = std::time::Instant::now();
        stage("figures read", t0);
        let mut month = engine.run(&req(Window::Month))?;
        let mut ytd = engine.run(&req(Window::Ytd))?;
        let lfl = |window| Request {
            period,
            window,
            scopes: vec![Scope::Consortium, Scope::Tier],
            like_for_like: true,
            indicators: None,
        };
        let mut comparable = HashMap::new();
        for (ytd_window, recs, window) in [
            (false, &mut month, Window::Month),
            (true, &mut ytd, Window::Ytd),
        ] {
            let lfl = engine.run(&lfl(window))?;
            apply_basis(basis, ytd_window, recs, &lfl, &mut comparable);
        }
        stage("indicators", t0);
        // The records are final from here: what is made of them alone (`beside`: the
        // workbook's tidy sheet) is made on a thread of its own beside the rest.
        let (month, ytd) = (std::sync::Arc::new(month), std::sync::Arc::new(ytd));
        let side = std::thread::spawn({
            let (month, ytd, defs) = (month.clone(), ytd.clone(), engine.defs.clone());
            move || beside(&month, &ytd, &defs)
        });
        let Received {
            grid_months,
            grid,
            blanks,
            findings,
            data_as_of,
        } = received()?;
        stage("submissions", t0);
        let mut wanted: Vec<String> = KEY_INDICATORS
            .iter()
            .chain(REMOTE.iter())
            .map(|s| s.to_string())
            .collect();
        wanted.push("primary_visit_share".into());
        // Members' trends of every indicator only when a member's chart is asked for (they
        // double the work); otherwise those of the small multiples.
        let member_wanted: Vec<String> = match trend_member {
            Some(_) => wanted.clone(),
            None => charts::MEMBER_TREND_INDICATORS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        let months: Vec<Period> = (1..=12u32)
            .filter_map(|m| Period::new(period.year(), m))
            .collect();
        // Every month of the year in one pass of the engine per scope (`run_series`); a
        // trend is each month against a year earlier, no month-on-month.
        let series = |scope, indicators: &Vec<String>| {
            engine.run_series_yoy(
                &Request {
                    period,
                    window: Window::Month,
                    scopes: vec![scope],
                    like_for_like: false,
                    indicators: Some(indicators.clone()),
                },
                &months,
            )
        };
        let texts: Vec<String> = months.iter().map(Period::to_string).collect();
        // Each record into its trend where it lies (a bureau's member trends are a hundred
        // thousand records: gathered into a list per month first, they were moved onto
        // fresh pages as the lists grew).
        let mut trends: HashMap<(String, String), Trend> = HashMap::new();
        for recs in [
            series(Scope::Consortium, &wanted)?,
            series(Scope::Member, &member_wanted)?,
        ] {
            for r in recs {
                let Some(i) = texts.iter().position(|p| *p == r.period) else {
                    continue;
                };
                if trend_member.is_some_and(|m| r.scope == "member" && r.entity != m) {
                    continue;
                }
                let t = trends.entry((r.entity, r.indicator)).or_default();
                // Figures after the reported month are not part of this report.
                t.this_year[i] = if months[i] <= period { r.value } else { None };
                t.last_year[i] = r.prior_value;
            }
        }
        stage("trends", t0);
        let defs = engine
            .defs
            .iter()
            .map(|d| DefInfo {
                code: d.code.clone(),
                name: d.name.clone(),
                name_en: d.name_en.clone(),
                unit: d.unit.clone(),
                direction: d.direction,
                operands: d.operands().to_vec(),
            })
            .collect();
        let members: Vec<MemberInfo> = consortium
            .members()
            .iter()
            .map(|m| MemberInfo {
                id: m.id.clone(),
                name: m.name.clone(),
                tier: m.tier_at(period),
            })
            .collect();
        let title = if consortium.file.name.is_empty() {
            lang.t("医联体", "Medical consortium").to_string()
        } else {
            consortium.file.name.clone()
        };
        // 托管前后对比 once a member's first twelve member months are complete, for the
        // following year (its second year in the consortium).
        let mut since_joined = Vec::new();
        for m in consortium.members() {
            if since_joined_shown(m.joined, period) {
                let recs = engine.since_joined(&m.id, &None)?;
                if recs
                    .iter()
                    .any(|r| r.value.is_some() && r.prior_value.is_some())
                {
                    since_joined.push((
                        MemberInfo {
                            id: m.id.clone(),
                            name: m.name.clone(),
                            tier: m.tier_at(period),
                        },
                        recs,
                    ));
                }
            }
        }
        stage("since joined", t0);
        let sets = sets::sections(consortium, &engine.defs, &month, &ytd);
        drop(engine);
        stage("indicator sets", t0);
        let compiled_by = consortium
            .file
            .report
            .compiled_by
            .clone()
            .unwrap_or_else(|| title.clone());
        let mut index = HashMap::new();
        for (ytd, recs) in [(false, &month), (true, &ytd)] {
            for (i, r) in recs.iter().enumerate() {
                index
                    .entry((ytd, r.entity.clone(), r.indicator.clone()))
                    .or_insert(i);
            }
        }
        let (month_len, ytd_len) = (month.len(), ytd.len());
        let mut by_member: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            by_member.entry(f.member.clone()).or_default().push(i);
        }
        let findings_len = findings.len();
        let data = ReportData {
            title,
            period,
            lang,
            sets,
            month,
            ytd,
            basis,
            comparable,
            defs,
            trends,
            grid_months,
            grid,
            deadline_day: consortium.file.deadline_day,
            findings,
            min_prior: consortium.file.report.min_prior,
            membership_changes: membership_changes(consortium, period, lang),
            blanks,
            since_joined,
            joined: consortium
                .members()
                .iter()
                .map(|m| (m.id.clone(), m.joined))
                .collect(),
            compiled_by,
            data_as_of,
            record_index: (index, [month_len, ytd_len]),
            finding_index: (by_member, findings_len),
            member_index: members_index(&members),
            members,
        };
        Ok((data, Side(side)))
    }

    /// A theme's rows: each member with a figure for one of `codes` in the month or the year
    /// to date, its month and year-to-date records per code; then the consortium's.
    pub fn theme_rows(&self, codes: &[&str]) -> Vec<(String, Vec<MonthAndYtd<'_>>)> {
        let figures = |entity: &str| -> Vec<MonthAndYtd> {
            codes
                .iter()
                .map(|c| (self.record(false, entity, c), self.record(true, entity, c)))
                .collect()
        };
        let has = |rows: &[MonthAndYtd]| {
            rows.iter().any(|(m, y)| {
                m.is_some_and(|r| r.value.is_some()) || y.is_some_and(|r| r.value.is_some())
            })
        };
        let mut out: Vec<_> = self
            .members
            .iter()
            .map(|m| (m.name.clone(), figures(&m.id)))
            .filter(|(_, f)| has(f))
            .collect();
        if !out.is_empty() {
            out.push((
                self.lang.t("医联体合计", "Consortium").to_string(),
                figures("consortium"),
            ));
        }
        out
    }

    /// 托管前后对比 rows: each member in its second year with each key indicator that has both
    /// windows.
    pub fn since_joined_rows(&self) -> Vec<(&MemberInfo, &Record)> {
        self.since_joined
            .iter()
            .flat_map(|(m, recs)| recs.iter().map(move |r| (m, r)))
            .filter(|(_, r)| {
                KEY_INDICATORS.contains(&r.indicator.as_str())
                    && r.value.is_some()
                    && r.prior_value.is_some()
            })
            .collect()
    }

    /// 托管前后对比's heading and column headers, in the report's language.
    pub fn since_joined_headers(&self) -> [&'static str; 6] {
        let lang = self.lang;
        [
            lang.t("托管前后对比", "Before and after joining"),
            lang.t("成员单位（加入月份）", "Member (joined)"),
            lang.t("指标", "Indicator"),
            lang.t("加入后12个月", "12 months after joining"),
            lang.t("加入前12个月", "12 months before"),
            lang.t("变化", "Change"),
        ]
    }

    /// The month a member joined, as the report writes months.
    pub fn joined_label(&self, member: &str) -> String {
        let Some(p) = self.joined.get(member) else {
            return String::new();
        };
        match self.lang {
            Lang::Zh => format!("{}年{}月", p.year(), p.month()),
            Lang::En => format!("{} {}", month_en(p.month()), p.year()),
        }
    }

    /// The footer's facts: who compiled it, how recent the data is, the program's version.
    pub fn colophon(&self) -> String {
        let lang = self.lang;
        let mut parts = vec![format!(
            "{}{}",
            lang.t("编制单位：", "Compiled by: "),
            self.compiled_by
        )];
        if let Some(t) = &self.data_as_of {
            // Stored as RFC 3339 UTC (`2026-01-08T02:15:00Z`): date and minute are enough.
            let shown = t.replace('T', " ");
            let shown = shown.get(..16).unwrap_or(&shown);
            parts.push(format!(
                "{}{shown} UTC",
                lang.t("数据截至：", "Data as of: ")
            ));
        }
        parts.push(format!("yilian {}", env!("CARGO_PKG_VERSION")));
        parts.join(lang.t("　", " · "))
    }

    pub fn def(&self, code: &str) -> Option<&DefInfo> {
        self.defs.iter().find(|d| d.code == code)
    }

    /// An indicator's name in the report's language.
    pub fn ind_name(&self, code: &str) -> String {
        match self.def(code) {
            Some(d) if self.lang == Lang::En && !d.name_en.is_empty() => d.name_en.clone(),
            Some(d) => d.name.clone(),
            None => code.to_string(),
        }
    }

    pub fn unit(&self, code: &str) -> String {
        let u = self.def(code).map(|d| d.unit.clone()).unwrap_or_default();
        if self.lang == Lang::Zh {
            return u;
        }
        match u.as_str() {
            "人次" => "visits/patients",
            "台次" => "operations",
            "例" => "cases",
            "张" => "beds",
            "次" => "times",
            "日" => "days",
            "倍" => "ratio",
            "万元" => "10k yuan",
            "元" => "yuan",
            "床日" => "bed-days",
            "人" => "persons",
            "项" => "items",
            other => other,
        }
        .to_string()
    }

    pub fn direction(&self, code: &str) -> Direction {
        self.def(code).map(|d| d.direction).unwrap_or_default()
    }

    pub fn record<'a>(&'a self, ytd: bool, entity: &str, code: &str) -> Option<&'a Record> {
        let recs = if ytd { &self.ytd } else { &self.month };
        let (index, lens) = &self.record_index;
        if lens[ytd as usize] == recs.len() {
            let at = index.get(&(ytd, entity.to_string(), code.to_string()));
            if let Some(r) = at.and_then(|&i| recs.get(i)) {
                if r.entity == entity && r.indicator == code {
                    return Some(r);
                }
            } else if at.is_none() {
                return None;
            }
        }
        // The records were changed since `gather`: look them through.
        recs.iter()
            .find(|r| r.entity == entity && r.indicator == code)
    }

    /// The comparable figures behind a tier or consortium change, when the basis is comparable.
    pub fn comparable(&self, ytd: bool, entity: &str, code: &str) -> Option<Comparable> {
        self.comparable
            .get(&(ytd, entity.to_string(), code.to_string()))
            .copied()
    }

    /// `可比口径` / `全口径`: the basis label of page headers and sheet titles.
    pub fn basis_label(&self) -> &'static str {
        match self.basis {
            ChangeBasis::Comparable => self.lang.t("同比口径：可比口径", "Changes: like-for-like"),
            ChangeBasis::All => self.lang.t("同比口径：全口径", "Changes: all members"),
        }
    }

    /// Said once near the top of every output: what the changes compare.
    pub fn basis_note(&self) -> &'static str {
        match self.basis {
            ChangeBasis::Comparable => self.lang.t(
                "口径说明：医联体及各层级的同比、环比均按可比口径计算，即只比较两期都报送了该项数据（且层级未变）的成员单位；本月数、累计数为全口径合计。",
                "Basis: changes for the consortium and its tiers are like-for-like (可比口径): they compare only the members with figures for the item in both periods, in the same tier; the totals include every member.",
            ),
            ChangeBasis::All => self.lang.t(
                "口径说明：本报告按全口径计算同比、环比（两期各含全部报送单位）；上年同期报送单位少于本期的，不计算同比。",
                "Basis: all members (全口径) in each period; a change is not given where the prior period covers fewer members than the current one.",
            ),
        }
    }

    /// The first error or warning on a value behind a member's figure of the window (the
    /// month, or every month of the year to date).
    pub fn flagged(&self, ytd: bool, member: &str, code: &str) -> Option<&crate::check::Finding> {
        let def = self.def(code)?;
        let month = self.period.to_string();
        let hit = |f: &&crate::check::Finding| {
            f.member == member
                && (ytd || f.period == month)
                && f.involves.iter().any(|i| def.operands.contains(i))
        };
        let (index, len) = &self.finding_index;
        if *len == self.findings.len() {
            // In `findings` order, so the first is the same as a scan's.
            return index
                .get(member)?
                .iter()
                .filter_map(|&i| self.findings.get(i))
                .find(hit);
        }
        // The findings were changed since `gather`: look them through.
        self.findings.iter().find(hit)
    }

    /// Whether a value behind `entity`'s figure of month `p` is flagged (any member's, for the
    /// consortium): the charts mark that point.
    pub fn flagged_in(&self, entity: &str, code: &str, p: Period) -> bool {
        let Some(def) = self.def(code) else {
            return false;
        };
        let month = p.to_string();
        self.findings.iter().any(|f| {
            (entity == "consortium" || f.member == entity)
                && f.period == month
                && f.involves.iter().any(|i| def.operands.contains(i))
        })
    }

    pub fn member_records<'a>(&'a self, ytd: bool, code: &str) -> Vec<&'a Record> {
        let recs = if ytd { &self.ytd } else { &self.month };
        recs.iter()
            .filter(|r| r.scope == "member" && r.indicator == code)
            .collect()
    }

    pub fn member_name(&self, id: &str) -> String {
        let at = |&i: &usize| self.members.get(i).filter(|m| m.id == id);
        match self.member_index.get(id).and_then(at) {
            Some(m) => m.name.clone(),
            // `members` is public: changed since the index was built; look it through.
            None => self
                .members
                .iter()
                .find(|m| m.id == id)
                .map_or_else(|| id.to_string(), |m| m.name.clone()),
        }
    }

    /// `1-6月` / `Jan-Jun`: the year-to-date window as reports name it.
    pub fn ytd_label(&self) -> String {
        ytd_label(self.period, self.lang)
    }

    /// `2025年6月` / `June 2025`.
    pub fn period_label(&self) -> String {
        period_label(self.period, self.lang)
    }

    pub fn tier_name(&self, code: &str) -> String {
        let zh = Tier::ALL
            .iter()
            .find(|t| t.code() == code)
            .map(|t| t.name_zh())
            .unwrap_or(code);
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => match code {
                "tertiary" => "Tertiary hospitals",
                "secondary" => "Secondary hospitals",
                "primary" => "Primary care",
                "village" => "Village clinics",
                c => c,
            }
            .to_string(),
        }
    }

    /// Members with a missing submission in the reported month (only months they were due).
    pub fn missing_now(&self) -> Vec<&MemberInfo> {
        self.grid
            .iter()
            .filter(|(_, s)| s.last() == Some(&Submission::Missing))
            .map(|(m, _)| m)
            .collect()
    }

    /// A banner for the first screen when most members due this month have not sent it: the
    /// totals below are then far from complete.
    pub fn thin_month_banner(&self) -> Option<String> {
        let now: Vec<Submission> = self
            .grid
            .iter()
            .filter_map(|(_, s)| s.last().copied())
            .collect();
        let due = now.iter().filter(|s| **s != Submission::NotDue).count();
        let missing = now.iter().filter(|s| **s == Submission::Missing).count();
        if due == 0 || missing * 2 <= due {
            return None;
        }
        let sent = due - missing;
        Some(match self.lang {
            Lang::Zh => format!(
                "注意：{}应报送的 {due} 家成员单位中仅 {sent} 家已报送，以下合计数和同比不完整，请待各单位报送后再引用。",
                self.period_label()
            ),
            Lang::En => format!(
                "Caution: only {sent} of the {due} members due for {} have sent their figures; the totals and changes below are incomplete.",
                self.period_label()
            ),
        })
    }

    pub fn late_now(&self) -> Vec<&MemberInfo> {
        self.grid
            .iter()
            .filter(|(_, s)| s.last() == Some(&Submission::Late))
            .map(|(m, _)| m)
            .collect()
    }
}

pub fn month_en(m: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .get(m.saturating_sub(1) as usize)
    .copied()
    .unwrap_or("")
}

/// Each member-month with a figure of the month column (in any submission, superseded ones
/// too), and its earliest stated 填报日期.
type SentDates = HashMap<(String, Period), Option<String>>;

/// A figure of `member`'s month `p`, in a submission that states `date`.
fn note_sent(dates: &mut SentDates, member: &str, p: Period, date: Option<&str>) {
    let first = dates.entry((member.to_string(), p)).or_default();
    if let Some(d) = date {
        if first.as_deref().is_none_or(|f| d < f) {
            *first = Some(d.to_string());
        }
    }
}

/// `note_sent` of every submission of `months` with a figure, read from the store a part
/// of months at a time (`check::month_parts`).
fn sent_dates(store: &Store, months: &[Period], dates: &mut SentDates) -> Result<()> {
    for part in in_parts(months) {
        let filter = Filter::all()
            .kind(Kind::Base)
            .basis(Basis::Month)
            .periods(part)
            .reported();
        for r in store.sent(&filter)? {
            note_sent(dates, &r.member, r.period, r.submitted_on.as_deref());
        }
    }
    Ok(())
}

/// Submitted / late / missing per member and month of `months`: a month is submitted when
/// any base figure for it is stored; late when its earliest stated 填报日期 falls after
/// `deadline_day` of the following month.
fn completeness(
    consortium: &Consortium,
    months: &[Period],
    seen: &SentDates,
) -> Vec<(MemberInfo, Vec<Submission>)> {
    let deadline = consortium.file.deadline_day;
    consortium
        .members()
        .iter()
        .map(|mem| {
            let row = months
                .iter()
                .map(|&p| match seen.get(&(mem.id.clone(), p)) {
                    None if mem.is_member_at(p) => Submission::Missing,
                    None => Submission::NotDue,
                    Some(date) => match (date, deadline) {
                        (Some(d), Some(day)) => {
                            let next = p.add_months(1);
                            let due = format!("{next}-{day:02}");
                            // ISO dates compare as text.
                            if d.as_str() > due.as_str() {
                                Submission::Late
                            } else {
                                Submission::OnTime
                            }
                        }
                        (None, Some(_)) => Submission::Undated,
                        (_, None) => Submission::OnTime,
                    },
                })
                .collect();
            (
                MemberInfo {
                    id: mem.id.clone(),
                    name: mem.name.clone(),
                    tier: mem.tier_at(months.last().copied().unwrap_or(mem.joined)),
                },
                row,
            )
        })
        .collect()
}

/// `--debug`: when a stage of the report ended, in seconds since `t0`.
fn stage(what: &str, t0: std::time::Instant) {
    crate::check::stage("report", what, t0);
}

/// The months of `months` within each of `check::month_parts`, leaving out empty parts.
pub fn in_parts(months: &[Period]) -> Vec<Vec<Period>> {
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return vec![];
    };
    crate::check::month_parts(first, last)
        .into_iter()
        .map(|(a, b)| {
            months
                .iter()
                .copied()
                .filter(|p| a <= *p && *p <= b)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// `1-6月` / `Jan-Jun`: the year-to-date window of `period` as reports name it.
pub fn ytd_label(period: Period, lang: Lang) -> String {
    let m = period.month();
    match lang {
        Lang::Zh if m == 1 => "1月".into(),
        Lang::Zh => format!("1-{m}月"),
        Lang::En if m == 1 => "Jan".into(),
        Lang::En => format!("Jan-{}", month_en(m)),
    }
}

/// `2025年6月` / `Jun 2025`.
pub fn period_label(period: Period, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月", period.year(), period.month()),
        Lang::En => format!("{} {}", month_en(period.month()), period.year()),
    }
}

/// What `write_bundle` wrote.
pub struct Written {
    pub files: Vec<PathBuf>,
}

/// Writes the whole bundle into `out`; `workbook`: the workbook `xlsx::begin` made, `tidy` its
/// tidy sheet as `xlsx::fill_tidy` fills it beside the rest (asked for when the summary sheets
/// are filled).
pub fn write_bundle(
    data: &ReportData,
    workbook: xlsx::Book,
    tidy: impl FnOnce() -> Result<rust_xlsxwriter::Worksheet> + Send,
    out: &Path,
) -> Result<Written> {
    // The folder first: the workbook, on a thread of its own beside the rest, may be done
    // before the charts' folder is made.
    std::fs::create_dir_all(out).said(|| crate::said!(Msg::CannotCreate, path = out.display()))?;
    let xlsx_path = out.join("report.xlsx");
    let (pages, xlsx) = std::thread::scope(|s| {
        let xlsx = s.spawn(|| {
            let t0 = std::time::Instant::now();
            let r = xlsx::write(data, workbook, tidy, &xlsx_path);
            stage("report.xlsx", t0);
            r
        });
        let rest = write_pages(data, out);
        (rest, joined(xlsx))
    });
    xlsx?;
    // Listed as before: the charts, the workbook, the pages.
    let (mut files, pages) = pages?;
    files.push(xlsx_path);
    files.extend(pages);
    Ok(Written { files })
}

/// The bundle's charts, then summary.md and index.html: their paths.
fn write_pages(data: &ReportData, out: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let t0 = std::time::Instant::now();
    let charts_dir = out.join("charts");
    std::fs::create_dir_all(&charts_dir)
        .said(|| crate::said!(Msg::CannotCreate, path = charts_dir.display()))?;
    let mut files = Vec::new();
    let mut svgs = Vec::new();
    for spec in charts::bundle_specs(data) {
        let svg = charts::render_svg(data, &spec)?;
        let svg_path = charts_dir.join(format!("{}.svg", spec.file_stem()));
        crate::export::write_file(&svg_path, &svg)?;
        let png_path = charts_dir.join(format!("{}.png", spec.file_stem()));
        charts::render_png(data, &spec, &png_path)?;
        files.push(svg_path);
        files.push(png_path);
        svgs.push((spec, svg));
    }
    stage("charts", t0);
    // The 数据质量 rows once for both pages: a bureau's year has thousands of findings.
    let quality = quality::rows(data);
    let md_path = out.join("summary.md");
    crate::export::write_file(&md_path, summary::markdown(data, &quality))?;
    stage("summary.md", t0);
    let html_path = out.join("index.html");
    crate::export::write_file(&html_path, html::page(data, &svgs, &quality))?;
    stage("index.html", t0);
    Ok((files, vec![md_path, html_path]))
}

/// Puts the chosen basis into the tier and consortium records: the comparable change (and the
/// comparable figures kept aside), or on the all-member basis no change over a thinner prior.
fn apply_basis(
    basis: ChangeBasis,
    ytd: bool,
    recs: &mut [Record],
    lfl: &[Record],
    comparable: &mut HashMap<(bool, String, String), Comparable>,
) {
    let by_key: HashMap<(&str, &str), &Record> = lfl
        .iter()
        .map(|l| ((l.entity.as_str(), l.indicator.as_str()), l))
        .collect();
    for r in recs.iter_mut().filter(|r| r.scope != "member") {
        match basis {
            ChangeBasis::Comparable => {
                let l = by_key.get(&(r.entity.as_str(), r.indicator.as_str()));
                r.yoy_pct = l.and_then(|l| l.yoy_pct);
                r.yoy_pp = l.and_then(|l| l.yoy_pp);
                r.change = l.and_then(|l| l.change);
                r.mom_pct = l.and_then(|l| l.mom_pct);
                if let Some(l) = l {
                    comparable.insert(
                        (ytd, r.entity.clone(), r.indicator.clone()),
                        Comparable {
                            value: l.value,
                            prior_value: l.prior_value,
                            covered: l.covered,
                        },
                    );
                }
            }
            ChangeBasis::All => {
                if r.prior_covered < r.covered {
                    r.yoy_pct = None;
                    r.yoy_pp = None;
                    r.change = None;
                }
            }
        }
    }
}

/// `青山镇卫生院 2025-01 加入医联体` / `示例县妇幼保健院 2025-01 起由基层调整为二级`: membership
/// changes from January of last year to the period.
fn membership_changes(
    consortium: &Consortium,
    period: Period,
    lang: Lang,
) -> Vec<(Period, String)> {
    let Some(from) = Period::new(period.year() - 1, 1) else {
        return vec![];
    };
    let inside = |p: Period| from <= p && p <= period;
    let mut notes: Vec<(Period, String)> = Vec::new();
    for m in consortium.members() {
        if inside(m.joined) {
            notes.push((
                m.joined,
                match lang {
                    Lang::Zh => format!("{} {} 加入医联体", m.name, m.joined),
                    Lang::En => format!("{} joined in {}", m.name, m.joined),
                },
            ));
        }
        if let Some(left) = m.left.filter(|&l| inside(l)) {
            notes.push((
                left,
                match lang {
                    Lang::Zh => format!("{} {} 后退出医联体", m.name, left),
                    Lang::En => format!("{} left after {}", m.name, left),
                },
            ));
        }
        let Some(history) = &m.tiers else { continue };
        let mut before: Option<Tier> = None;
        for (&since, &tier) in history {
            if let Some(old) = before.filter(|&old| old != tier && inside(since)) {
                notes.push((
                    since,
                    match lang {
                        Lang::Zh => format!(
                            "{} {} 起由{}调整为{}",
                            m.name,
                            since,
                            old.name_zh(),
                            tier.name_zh()
                        ),
                        Lang::En => format!(
                            "{} moved from {} to {} in {}",
                            m.name,
                            old.code(),
                            tier.code(),
                            since
                        ),
                    },
                ));
            }
            before = Some(tier);
        }
    }
    notes.sort();
    notes
}

impl ReportData {
    /// The note under tables of tiers and the consortium, empty when membership did not change.
    pub fn membership_note(&self) -> Option<String> {
        if self.membership_changes.is_empty() {
            return None;
        }
        let notes: Vec<&str> = self
            .membership_changes
            .iter()
            .map(|(_, n)| n.as_str())
            .collect();
        Some(match self.lang {
            Lang::Zh => format!(
                "成员变动（影响层级及医联体合计的可比性）：{}。",
                notes.join("；")
            ),
            Lang::En => format!(
                "Membership changes (they move tier and consortium totals): {}.",
                notes.join("; ")
            ),
        })
    }
}
