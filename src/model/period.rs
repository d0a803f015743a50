//! Months: the unit of every submission. Parsing of the many ways members write them.

use crate::text::static_regex;
use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::LazyLock;

/// A calendar month, stored as months since year 0 so that ordering and arithmetic are trivial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period(i32);

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return None;
        }
        Some(Period(year * 12 + month as i32 - 1))
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    pub fn month(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }
    pub fn index(self) -> i32 {
        self.0
    }
    pub fn from_index(i: i32) -> Period {
        Period(i)
    }
    pub fn add_months(self, n: i32) -> Period {
        Period(self.0 + n)
    }
    /// `first..=last` in runs of `n` months (the last may be shorter), in order: what the
    /// store is read in when a range's rows would be too many to hold at once.
    pub fn runs(first: Period, last: Period, n: i32) -> Vec<(Period, Period)> {
        let mut runs = Vec::new();
        let mut at = first;
        while at <= last {
            let end = at.add_months(n.max(1) - 1).min(last);
            runs.push((at, end));
            at = end.add_months(1);
        }
        runs
    }
    pub fn days(self) -> u32 {
        match self.month() {
            2 if is_leap(self.year()) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
    /// Strict `YYYY-MM`, as used in config files and on the command line.
    pub fn parse_strict(s: &str) -> Option<Period> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        Period::new(y.parse().ok()?, m.parse().ok()?)
    }
    /// Finds a month in free text: `2024年3月`, `2024年03月`, `2024-03`, `2024.03`, `2024/3`,
    /// `202403`. Returns the first unambiguous match.
    pub fn find_in_text(s: &str) -> Option<Period> {
        static YM: LazyLock<Regex> = LazyLock::new(|| {
            static_regex(
                r"(?:^|[^0-9])((?:19|20|21)\d{2})\s*(?:年|[-./_])\s*(\d{1,2})(?:\s*月|[^0-9]|$)",
            )
        });
        static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
            static_regex(r"(?:^|[^0-9])((?:19|20|21)\d{2})(0[1-9]|1[0-2])(?:[^0-9]|$)")
        });
        // Every pattern needs digits; most texts searched (item names) have none.
        if !s
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            return None;
        }
        let s = crate::text::halfwidth_text(s);
        for caps in YM.captures_iter(&s) {
            if let (Ok(y), Ok(m)) = (caps[1].parse(), caps[2].parse()) {
                if let Some(p) = Period::new(y, m) {
                    return Some(p);
                }
            }
        }
        let caps = COMPACT.captures(&s)?;
        Period::new(caps[1].parse().ok()?, caps[2].parse().ok()?)
    }
    /// Excel stores dates as day serials; a cell formatted `2024年3月` may come back as one.
    pub fn from_excel_serial(serial: f64) -> Option<Period> {
        // Plausible range: 1990-01-01 (32874) .. 2100-01-01 (73051).
        if !(32874.0..73051.0).contains(&serial) {
            return None;
        }
        let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
        let d = base.checked_add_days(chrono::Days::new(serial.floor() as u64))?;
        use chrono::Datelike;
        Period::new(d.year(), d.month())
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse_strict(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a month; expected YYYY-MM"))
        })
    }
}

impl Period {
    /// A month as users type it on the command line: the whole text must be one month, in
    /// one of `2025-12`, `2025-1`, `2025年12月`, `202512`, `2025/12`, `2025.12` (full-width
    /// digits too). Unlike [`Period::find_in_text`], nothing around the month is allowed.
    pub fn parse_user(s: &str) -> Option<Period> {
        static FORMS: LazyLock<Regex> = LazyLock::new(|| {
            static_regex(r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月?|[-/.]\s*(\d{1,2})|(\d{2}))$")
        });
        let t = crate::text::to_halfwidth(s.trim());
        let caps = FORMS.captures(&t)?;
        let month = caps.get(2).or(caps.get(3)).or(caps.get(4))?.as_str();
        Period::new(caps[1].parse().ok()?, month.parse().ok()?)
    }
}

/// Why a period typed on the command line was refused (the command layer says it in the
/// reader's language; `Display` is English).
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodError {
    /// A quarter where a month is needed.
    QuarterForMonth(String),
    NotAMonth(String),
    NotMonthOrQuarter(String),
}

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodError::QuarterForMonth(s) => write!(
                f,
                "`{s}` is a quarter, and this command takes a month: write it as 2025-12 \
                 (quarters go to `yilian indicators --period 2025Q4`)"
            ),
            PeriodError::NotAMonth(s) => write!(
                f,
                "`{s}` is not a month; write it as 2025-03 (also accepted: 2025-3, 2025年3月, 202503, 2025/03, 2025.03)"
            ),
            PeriodError::NotMonthOrQuarter(s) => write!(
                f,
                "`{s}` is not a month or a quarter; write 2025-03 or 2025Q1 (also accepted: \
                 2025-3, 2025年3月, 202503, 2025/03, 2025.03; 2025-Q1, 2025年第一季度, 2025年1季度)"
            ),
        }
    }
}

impl std::error::Error for PeriodError {}

impl std::str::FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, PeriodError> {
        Period::parse_user(s).ok_or_else(|| {
            if Quarter::parse_user(s).is_some() {
                PeriodError::QuarterForMonth(s.to_string())
            } else {
                PeriodError::NotAMonth(s.to_string())
            }
        })
    }
}

/// A calendar quarter (一季度 = January to March).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    /// A quarter as users write it: `2025Q4`, `2025-Q4`, `2025 q4`, `2025年第四季度`,
    /// `2025年第4季度`, `2025年四季度`, `2025年Q4` (full-width digits too).
    pub fn parse_user(s: &str) -> Option<Quarter> {
        static FORMS: LazyLock<Regex> = LazyLock::new(|| {
            static_regex(
                r"^(\d{4})\s*(?:年)?\s*(?:[-_/.]?\s*[Qq]\s*([1-4])|第?\s*([1-4一二三四])\s*季度?)$",
            )
        });
        let t = crate::text::to_halfwidth(s.trim());
        let caps = FORMS.captures(&t)?;
        let q = match caps.get(2).or(caps.get(3))?.as_str() {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            _ => 4,
        };
        let year = caps[1].parse().ok()?;
        Period::new(year, 1)?;
        Some(Quarter { year, q })
    }

    pub fn first_month(self) -> Period {
        Period((self.year * 12) + (self.q as i32 - 1) * 3)
    }

    pub fn last_month(self) -> Period {
        self.first_month().add_months(2)
    }

    pub fn contains(self, p: Period) -> bool {
        (self.first_month()..=self.last_month()).contains(&p)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

/// What `--period` names where a window can be a quarter: a month, or a whole quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthOrQuarter {
    Month(Period),
    Quarter(Quarter),
}

impl std::str::FromStr for MonthOrQuarter {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, PeriodError> {
        if let Some(q) = Quarter::parse_user(s) {
            return Ok(MonthOrQuarter::Quarter(q));
        }
        Period::parse_user(s)
            .map(MonthOrQuarter::Month)
            .ok_or_else(|| PeriodError::NotMonthOrQuarter(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_as_users_write_them() {
        for s in [
            "2025Q4",
            "2025q4",
            "2025-Q4",
            "2025 Q4",
            "2025年Q4",
            "2025年第四季度",
            "2025年第4季度",
            "2025年四季度",
            "２０２５Ｑ４",
            "2025年第四季",
        ] {
            assert_eq!(
                Quarter::parse_user(s),
                Some(Quarter { year: 2025, q: 4 }),
                "{s}"
            );
        }
        for s in [
            "2025Q5",
            "2025Q0",
            "Q4",
            "2025-12",
            "2025年第五季度",
            "2025年12月",
        ] {
            assert_eq!(Quarter::parse_user(s), None, "{s}");
        }
        let q = Quarter { year: 2025, q: 2 };
        assert_eq!(q.first_month().to_string(), "2025-04");
        assert_eq!(q.last_month().to_string(), "2025-06");
        assert!(q.contains(Period::new(2025, 5).unwrap()));
        assert!(!q.contains(Period::new(2025, 7).unwrap()));
        assert_eq!(
            "2025年第一季度".parse::<MonthOrQuarter>(),
            Ok(MonthOrQuarter::Quarter(Quarter { year: 2025, q: 1 }))
        );
        assert_eq!(
            "2025-3".parse::<MonthOrQuarter>(),
            Ok(MonthOrQuarter::Month(Period::new(2025, 3).unwrap()))
        );
        assert_eq!(
            "2025Q4".parse::<Period>(),
            Err(PeriodError::QuarterForMonth("2025Q4".into()))
        );
        assert!("2025-13".parse::<MonthOrQuarter>().is_err());
    }

    fn p(s: &str) -> Option<String> {
        Period::find_in_text(s).map(|p| p.to_string())
    }

    #[test]
    fn finds_periods_in_the_forms_members_write() {
        assert_eq!(p("统计期间：2024年3月").as_deref(), Some("2024-03"));
        assert_eq!(p("2024年03月报表").as_deref(), Some("2024-03"));
        assert_eq!(p("报表月份：2024-03").as_deref(), Some("2024-03"));
        assert_eq!(p("县中医院2025.11").as_deref(), Some("2025-11"));
        assert_eq!(p("数据_202412.xlsx").as_deref(), Some("2024-12"));
        assert_eq!(p("２０２４年１２月").as_deref(), Some("2024-12"));
        assert_eq!(p("2024 年 3 月").as_deref(), Some("2024-03"));
        assert_eq!(p("2024年13月"), None);
        assert_eq!(p("电话 0755-1234567"), None);
        assert_eq!(p("12345678"), None);
    }

    #[test]
    fn strict_parse_and_arithmetic() {
        let p = Period::parse_strict("2024-02").unwrap();
        assert_eq!(p.days(), 29);
        assert_eq!(p.add_months(-2).to_string(), "2023-12");
        assert_eq!(Period::parse_strict("2023-02").unwrap().days(), 28);
        assert_eq!(Period::parse_strict("1900-02").unwrap().days(), 28);
        assert!(Period::parse_strict("2024-3x").is_none());
        assert!(Period::parse_strict("202403").is_none());
    }

    #[test]
    fn command_line_months_as_users_write_them() {
        let u = |s: &str| Period::parse_user(s).map(|p| p.to_string());
        for s in [
            "2025-12",
            "2025-1",
            "2025年12月",
            "2025年1月",
            "2025年12",
            "202512",
            "2025/12",
            "2025.12",
            "２０２５年１２月",
            " 2025-12 ",
            "2025 年 12 月",
        ] {
            let want = if s.contains("1月") || s.ends_with("-1") {
                "2025-01"
            } else {
                "2025-12"
            };
            assert_eq!(u(s).as_deref(), Some(want), "{s}");
        }
        for s in [
            "2025-13",
            "2025年13月",
            "202513",
            "20251",
            "2025",
            "25-12",
            "2025-12-01",
            "2025-12x",
            "12/2025",
            "统计期间2025-12",
            "",
        ] {
            assert_eq!(u(s), None, "{s}");
        }
        let err = "2025-13".parse::<Period>().unwrap_err().to_string();
        assert!(err.contains("2025年3月"), "{err}");
    }

    #[test]
    fn excel_serial_dates() {
        // 45352 = 2024-03-01
        assert_eq!(
            Period::from_excel_serial(45352.0).unwrap().to_string(),
            "2024-03"
        );
        assert!(Period::from_excel_serial(12.0).is_none());
    }
}
