//! Deterministic monthly figures of the sample consortium.
//!
//! Everything here is a pure function of (member, month): a keyed SplitMix64 gives the noise,
//! so changing one member never shifts another member's numbers, and `truth()` can be
//! recomputed without writing any file.

use std::collections::{BTreeMap, BTreeSet};

/// A calendar month.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub(crate) struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub const fn new(year: i32, month: u32) -> Period {
        Period { year, month }
    }
    /// Months since 2024-01 (negative for 2023).
    pub fn index(self) -> i32 {
        (self.year - 2024) * 12 + self.month as i32 - 1
    }
    pub fn from_index(i: i32) -> Period {
        let y = 2024 + i.div_euclid(12);
        let m = i.rem_euclid(12) as u32 + 1;
        Period::new(y, m)
    }
    pub fn add(self, n: i32) -> Period {
        Period::from_index(self.index() + n)
    }
    pub fn days(self) -> u32 {
        match self.month {
            2 => {
                let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
                if leap {
                    29
                } else {
                    28
                }
            }
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
    /// `2024-03`
    pub fn ym(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
    /// `2024年3月`
    pub fn cn(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
    /// `2024年03月`
    pub fn cn2(self) -> String {
        format!("{}年{:02}月", self.year, self.month)
    }
    /// `202403`
    pub fn compact(self) -> String {
        format!("{}{:02}", self.year, self.month)
    }
}

pub(crate) const FIRST: Period = Period::new(2024, 1);
pub(crate) const LAST: Period = Period::new(2025, 12);

/// The 24 months of the sample.
pub(crate) fn sample_periods() -> Vec<Period> {
    (FIRST.index()..=LAST.index())
        .map(Period::from_index)
        .collect()
}

/// SplitMix64: tiny, well mixed, and fully reproducible.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator keyed by text, so each (member, month, item) draws its own stream.
    pub fn keyed(parts: &[&str]) -> Rng {
        // FNV-1a over the parts with a separator byte.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for p in parts {
            for b in p.bytes().chain(std::iter::once(0x1f)) {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        Rng(h)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [-1, 1).
    pub fn sym(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
}

/// 1 ± amp, keyed by member, month and what is being drawn.
fn jitter(id: &str, p: Period, key: &str, amp: f64) -> f64 {
    1.0 + Rng::keyed(&[id, &p.ym(), key]).sym() * amp
}

/// How an item adds up over months ("over time" column of domain.md).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Agg {
    Sum,
    Avg,
    Last,
}

/// code, 中文 name, unit, over-time rule: the base metrics of domain.md, in its order.
pub(crate) const METRICS: &[(&str, &str, &str, Agg)] = &[
    ("outpatient_visits", "门急诊人次", "人次", Agg::Sum),
    ("emergency_visits", "急诊人次", "人次", Agg::Sum),
    ("admissions", "入院人次", "人次", Agg::Sum),
    ("discharges", "出院人次", "人次", Agg::Sum),
    ("open_beds", "实际开放床位数", "张", Agg::Avg),
    ("open_bed_days", "实际开放总床日数", "床日", Agg::Sum),
    ("occupied_bed_days", "实际占用总床日数", "床日", Agg::Sum),
    (
        "discharged_bed_days",
        "出院者占用总床日数",
        "床日",
        Agg::Sum,
    ),
    ("inpatient_surgeries", "住院手术例数", "台次", Agg::Sum),
    ("surgeries_grade1", "一级手术例数", "台次", Agg::Sum),
    ("surgeries_grade2", "二级手术例数", "台次", Agg::Sum),
    ("surgeries_grade3", "三级手术例数", "台次", Agg::Sum),
    ("surgeries_grade4", "四级手术例数", "台次", Agg::Sum),
    ("mis_surgeries", "微创手术例数", "台次", Agg::Sum),
    ("day_surgeries", "日间手术例数", "台次", Agg::Sum),
    ("remote_imaging", "远程影像诊断报告数", "例", Agg::Sum),
    ("remote_ecg", "远程心电诊断报告数", "例", Agg::Sum),
    ("remote_ultrasound", "远程超声例数", "例", Agg::Sum),
    ("remote_consults", "远程会诊例数", "例", Agg::Sum),
    ("referrals_up", "上转患者人次", "人次", Agg::Sum),
    ("referrals_down", "下转患者人次", "人次", Agg::Sum),
    ("expert_visits", "下沉专家坐诊人次", "人次", Agg::Sum),
    ("staff_trained", "进修培训人次", "人次", Agg::Sum),
    ("new_techniques", "新技术新项目数", "项", Agg::Sum),
    ("medical_revenue", "医疗收入", "万元", Agg::Sum),
    (
        "family_doctor_contracts",
        "家庭医生签约人数",
        "人",
        Agg::Last,
    ),
    // The 国考 items the county people's hospital reports (issue 13).
    ("elective_surgeries", "择期手术台次", "台次", Agg::Sum),
    ("appointment_visits", "预约诊疗人次", "人次", Agg::Sum),
    ("antibiotic_ddds", "抗菌药物累计DDD数", "DDD", Agg::Sum),
    ("outpatient_revenue", "门诊收入", "万元", Agg::Sum),
    ("inpatient_revenue", "住院收入", "万元", Agg::Sum),
    ("drug_revenue", "药品收入", "万元", Agg::Sum),
    ("material_revenue", "卫生材料收入", "万元", Agg::Sum),
    ("service_revenue", "医疗服务收入", "万元", Agg::Sum),
    ("insurance_revenue", "医保收入", "万元", Agg::Sum),
    ("physicians", "执业医师数", "人", Agg::Last),
    ("nurses", "注册护士数", "人", Agg::Last),
];

pub(crate) fn agg_of(code: &str) -> Agg {
    METRICS
        .iter()
        .find(|m| m.0 == code)
        .map(|m| m.3)
        .unwrap_or(Agg::Sum)
}

fn metric_rank(code: &str) -> usize {
    METRICS
        .iter()
        .position(|m| m.0 == code)
        .unwrap_or(usize::MAX)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Lead,
    County,
    Maternal,
    Township,
    Community,
    Village,
}

/// Base levels at 2024-01 (before seasonality) and yearly growth.
pub(crate) struct Profile {
    pub id: &'static str,
    pub kind: Kind,
    visits: f64,
    er_share: f64,
    /// open beds in 2023, 2024, 2025
    beds: [f64; 3],
    occ: f64,
    occ_range: (f64, f64),
    los: f64,
    surg_rate: f64,
    grades: [f64; 4],
    mis: f64,
    day: f64,
    revenue: f64,
    growth: f64,
    ref_up: f64,
    ref_down: f64,
    experts: f64,
    trained: f64,
    newtech: f64,
    fd: f64,
}

// Real tertiary wards run above 100% with extra beds, but occupied > open is also the planted
// `occupied_exceeds_open` fault, so the lead stays just under 100% to keep that fault unique.
const TERTIARY_OCC: (f64, f64) = (0.90, 0.995);
const SECONDARY_OCC: (f64, f64) = (0.75, 0.90);
const PRIMARY_OCC: (f64, f64) = (0.45, 0.70);
const TERTIARY_GRADES: [f64; 4] = [0.10, 0.28, 0.36, 0.22];
const SECONDARY_GRADES: [f64; 4] = [0.24, 0.42, 0.26, 0.06];
const PRIMARY_GRADES: [f64; 4] = [0.60, 0.38, 0.0, 0.0];

/// Profiles in consortium order.
pub(crate) const PROFILES: &[Profile] = &[
    Profile {
        id: "lead",
        kind: Kind::Lead,
        visits: 232_000.0,
        er_share: 0.085,
        beds: [2000.0, 2100.0, 2200.0],
        occ: 0.96,
        occ_range: TERTIARY_OCC,
        los: 8.2,
        surg_rate: 0.40,
        grades: TERTIARY_GRADES,
        mis: 0.30,
        day: 0.12,
        revenue: 26_500.0,
        growth: 0.06,
        ref_up: 0.0,
        ref_down: 260.0,
        experts: 0.0,
        trained: 46.0,
        newtech: 5.0,
        fd: 0.0,
    },
    Profile {
        id: "county_peoples",
        kind: Kind::County,
        visits: 61_000.0,
        er_share: 0.10,
        beds: [720.0, 750.0, 780.0],
        occ: 0.84,
        occ_range: SECONDARY_OCC,
        los: 7.5,
        surg_rate: 0.30,
        grades: SECONDARY_GRADES,
        mis: 0.20,
        day: 0.06,
        revenue: 4_300.0,
        growth: 0.07,
        ref_up: 118.0,
        ref_down: 86.0,
        experts: 72.0,
        trained: 12.0,
        newtech: 2.0,
        fd: 0.0,
    },
    Profile {
        id: "county_tcm",
        kind: Kind::County,
        visits: 38_500.0,
        er_share: 0.07,
        beds: [400.0, 450.0, 450.0],
        occ: 0.81,
        occ_range: SECONDARY_OCC,
        los: 8.0,
        surg_rate: 0.28,
        grades: SECONDARY_GRADES,
        mis: 0.15,
        day: 0.04,
        revenue: 2_150.0,
        growth: 0.06,
        ref_up: 64.0,
        ref_down: 38.0,
        experts: 48.0,
        trained: 8.0,
        newtech: 1.5,
        fd: 0.0,
    },
    Profile {
        id: "maternal",
        kind: Kind::Maternal,
        visits: 15_200.0,
        er_share: 0.05,
        beds: [110.0, 110.0, 120.0],
        occ: 0.72,
        occ_range: (0.55, 0.85),
        los: 5.0,
        surg_rate: 0.34,
        grades: [0.20, 0.52, 0.24, 0.01],
        mis: 0.18,
        day: 0.05,
        revenue: 660.0,
        growth: 0.05,
        ref_up: 24.0,
        ref_down: 10.0,
        experts: 20.0,
        trained: 4.0,
        newtech: 0.8,
        fd: 0.0,
    },
    Profile {
        id: "dasha",
        kind: Kind::Township,
        visits: 8_600.0,
        er_share: 0.0,
        beds: [80.0, 80.0, 80.0],
        occ: 0.62,
        occ_range: PRIMARY_OCC,
        los: 6.0,
        surg_rate: 0.10,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 320.0,
        growth: 0.08,
        ref_up: 42.0,
        ref_down: 0.0,
        experts: 46.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 15_200.0,
    },
    Profile {
        id: "shimen",
        kind: Kind::Township,
        visits: 4_200.0,
        er_share: 0.0,
        beds: [40.0, 40.0, 40.0],
        occ: 0.53,
        occ_range: PRIMARY_OCC,
        los: 5.8,
        surg_rate: 0.08,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 130.0,
        growth: 0.05,
        ref_up: 22.0,
        ref_down: 0.0,
        experts: 24.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 7_100.0,
    },
    Profile {
        id: "longquan",
        kind: Kind::Township,
        visits: 6_100.0,
        er_share: 0.0,
        beds: [60.0, 60.0, 60.0],
        occ: 0.58,
        occ_range: PRIMARY_OCC,
        los: 6.2,
        surg_rate: 0.10,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 210.0,
        growth: 0.06,
        ref_up: 31.0,
        ref_down: 0.0,
        experts: 30.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 9_800.0,
    },
    Profile {
        id: "qingshan",
        kind: Kind::Township,
        visits: 3_050.0,
        er_share: 0.0,
        beds: [30.0, 30.0, 30.0],
        occ: 0.50,
        occ_range: PRIMARY_OCC,
        los: 6.0,
        surg_rate: 0.09,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 96.0,
        growth: 0.03,
        ref_up: 15.0,
        ref_down: 0.0,
        experts: 4.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 5_200.0,
    },
    Profile {
        id: "chengguan",
        kind: Kind::Community,
        visits: 9_100.0,
        er_share: 0.0,
        beds: [30.0, 30.0, 30.0],
        occ: 0.56,
        occ_range: PRIMARY_OCC,
        los: 7.0,
        surg_rate: 0.05,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 240.0,
        growth: 0.07,
        ref_up: 33.0,
        ref_down: 0.0,
        experts: 36.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 12_300.0,
    },
    Profile {
        id: "xinhua",
        kind: Kind::Community,
        visits: 7_000.0,
        er_share: 0.0,
        beds: [20.0, 20.0, 20.0],
        occ: 0.48,
        occ_range: PRIMARY_OCC,
        los: 7.5,
        surg_rate: 0.0,
        grades: PRIMARY_GRADES,
        mis: 0.0,
        day: 0.0,
        revenue: 160.0,
        growth: 0.05,
        ref_up: 26.0,
        ref_down: 0.0,
        experts: 28.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 9_500.0,
    },
    Profile {
        id: "hongxing",
        kind: Kind::Village,
        visits: 380.0,
        er_share: 0.0,
        beds: [0.0, 0.0, 0.0],
        occ: 0.0,
        occ_range: (0.0, 0.0),
        los: 0.0,
        surg_rate: 0.0,
        grades: [0.0; 4],
        mis: 0.0,
        day: 0.0,
        revenue: 0.0,
        growth: 0.06,
        ref_up: 6.0,
        ref_down: 0.0,
        experts: 0.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 650.0,
    },
    Profile {
        id: "shiqiao",
        kind: Kind::Village,
        visits: 290.0,
        er_share: 0.0,
        beds: [0.0, 0.0, 0.0],
        occ: 0.0,
        occ_range: (0.0, 0.0),
        los: 0.0,
        surg_rate: 0.0,
        grades: [0.0; 4],
        mis: 0.0,
        day: 0.0,
        revenue: 0.0,
        growth: 0.05,
        ref_up: 4.0,
        ref_down: 0.0,
        experts: 0.0,
        trained: 0.0,
        newtech: 0.0,
        fd: 480.0,
    },
];

pub(crate) fn profile(id: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| p.id == id)
}

/// Outpatient seasonality: winter peak.
const VISIT_SEASON: [f64; 12] = [
    1.14, 0.99, 1.03, 0.98, 0.96, 0.94, 0.97, 0.98, 0.96, 0.93, 1.02, 1.10,
];
/// Inpatient seasonality: February dip around the Spring Festival.
const INPATIENT_SEASON: [f64; 12] = [
    1.00, 0.82, 1.04, 1.01, 1.00, 0.99, 1.02, 1.02, 0.99, 0.96, 1.01, 1.03,
];

/// The month county_tcm adds 50 beds on the 16th: open_bed_days is not beds × days.
pub(crate) const BED_CHANGE: (&str, Period, f64, f64, u32) =
    ("county_tcm", Period::new(2024, 5), 400.0, 450.0, 16);

/// The 托管 effect: qingshan grows about 20% in the year after joining (2025-01).
fn qingshan_boost(p: &Profile, per: Period) -> f64 {
    if p.id == "qingshan" && per.year >= 2025 {
        1.12 + 0.16 * (per.month as f64 - 1.0) / 11.0
    } else {
        1.0
    }
}

fn round(v: f64) -> f64 {
    v.round().max(0.0)
}

/// Every figure the member's operations produce in a month, reported or not, before faults.
fn base_values(p: &Profile, per: Period) -> BTreeMap<&'static str, f64> {
    let id = p.id;
    let t = per.index() as f64 / 12.0;
    let mi = (per.month - 1) as usize;
    let grow = (1.0 + p.growth).powf(t);
    let boost = qingshan_boost(p, per);
    let mut v = BTreeMap::new();

    let visits =
        round(p.visits * grow * VISIT_SEASON[mi] * boost * jitter(id, per, "visits", 0.03));
    v.insert("outpatient_visits", visits);
    if p.er_share > 0.0 {
        // Emergency visits peak harder in winter.
        let winter = 1.0 + (VISIT_SEASON[mi] - 1.0) * 0.5;
        v.insert(
            "emergency_visits",
            round(visits * p.er_share * winter * jitter(id, per, "er", 0.05)),
        );
    }

    if p.beds[0] > 0.0 {
        let yi = (per.year - 2023).clamp(0, 2) as usize;
        let days = per.days() as f64;
        let (beds, obd) = if id == BED_CHANGE.0 && per == BED_CHANGE.1 {
            let (_, _, before, after, from_day) = BED_CHANGE;
            let before_days = (from_day - 1) as f64;
            (after, before * before_days + after * (days - before_days))
        } else if id == BED_CHANGE.0 && per < BED_CHANGE.1 {
            (BED_CHANGE.2, BED_CHANGE.2 * days)
        } else {
            (p.beds[yi], p.beds[yi] * days)
        };
        let dis_season = INPATIENT_SEASON[mi];
        let occ_season = 1.0 - (1.0 - dis_season) * 0.5;
        let qocc = 1.0 + (boost - 1.0) * 0.9;
        let (lo, hi) = p.occ_range;
        let occ = (p.occ * (1.0 + 0.02 * t) * occ_season * qocc * jitter(id, per, "occ", 0.025))
            .clamp(lo - 0.08, hi);
        let occupied = round(obd * occ);
        let los = p.los * 0.97f64.powf(t) * jitter(id, per, "los", 0.02);
        let discharges = round(occupied / los * dis_season / occ_season);
        v.insert("open_beds", beds);
        v.insert("open_bed_days", obd);
        v.insert("occupied_bed_days", occupied);
        v.insert(
            "admissions",
            round(discharges * 1.004 * jitter(id, per, "adm", 0.025)),
        );
        v.insert("discharges", discharges);
        v.insert(
            "discharged_bed_days",
            round(discharges * los * jitter(id, per, "dbd", 0.03)),
        );
        if p.surg_rate > 0.0 {
            let surg = round(discharges * p.surg_rate * jitter(id, per, "surg", 0.04));
            let mut g = [0.0; 4];
            for (i, share) in p.grades.iter().enumerate() {
                g[i] = round(surg * share * jitter(id, per, &format!("g{}", i + 1), 0.05));
            }
            let excess = g.iter().sum::<f64>() - surg;
            if excess > 0.0 {
                g[1] = (g[1] - excess).max(0.0);
            }
            v.insert("inpatient_surgeries", surg);
            v.insert("surgeries_grade1", g[0]);
            v.insert("surgeries_grade2", g[1]);
            v.insert("surgeries_grade3", g[2]);
            v.insert("surgeries_grade4", g[3]);
            v.insert(
                "mis_surgeries",
                round(surg * p.mis * jitter(id, per, "mis", 0.05)),
            );
            v.insert(
                "day_surgeries",
                round(surg * p.day * jitter(id, per, "day", 0.08)),
            );
        }
    }

    if p.revenue > 0.0 {
        let season = (VISIT_SEASON[mi] + INPATIENT_SEASON[mi]) / 2.0;
        let rev = p.revenue
            * (1.0 + p.growth + 0.01).powf(t)
            * season
            * boost
            * jitter(id, per, "rev", 0.03);
        v.insert("medical_revenue", (rev * 100.0).round() / 100.0);
    }
    if p.id == "county_peoples" {
        national_items(&mut v, id, per, t);
    }
    if p.kind == Kind::Lead {
        // The remote centres grow faster than the hospital.
        let g = 1.15f64.powf(t);
        let s = 1.0 + (VISIT_SEASON[mi] - 1.0) * 0.6;
        v.insert(
            "remote_imaging",
            round(4_300.0 * g * s * jitter(id, per, "rimg", 0.05)),
        );
        v.insert(
            "remote_ecg",
            round(2_950.0 * g * s * jitter(id, per, "recg", 0.05)),
        );
        v.insert(
            "remote_ultrasound",
            round(380.0 * g * s * jitter(id, per, "rus", 0.08)),
        );
        v.insert(
            "remote_consults",
            round(72.0 * g * jitter(id, per, "rcon", 0.2)),
        );
    }
    if p.ref_up > 0.0 {
        let q = 1.0 + (boost - 1.0) * 1.5;
        v.insert(
            "referrals_up",
            round(p.ref_up * grow * VISIT_SEASON[mi] * q * jitter(id, per, "up", 0.12)),
        );
    }
    if p.ref_down > 0.0 {
        v.insert(
            "referrals_down",
            round(p.ref_down * grow * jitter(id, per, "down", 0.1)),
        );
    }
    if p.experts > 0.0 {
        // After joining, the lead sends experts to qingshan every week.
        let e = if boost > 1.0 { 38.0 * boost } else { p.experts };
        v.insert("expert_visits", round(e * jitter(id, per, "exp", 0.12)));
    }
    if p.trained > 0.0 {
        let feb = if per.month == 2 { 0.5 } else { 1.0 };
        v.insert(
            "staff_trained",
            round(p.trained * feb * jitter(id, per, "train", 0.2)),
        );
    }
    if p.newtech > 0.0 {
        v.insert(
            "new_techniques",
            round(p.newtech * jitter(id, per, "tech", 0.7)),
        );
    }
    if p.fd > 0.0 {
        // A stock: contracts in force at month end, growing slowly (faster after 托管).
        let extra = if boost > 1.0 {
            1.0 + 0.015 * per.month as f64
        } else {
            1.0
        };
        v.insert(
            "family_doctor_contracts",
            round(p.fd * 1.05f64.powf(t) * extra * jitter(id, per, "fd", 0.002)),
        );
    }
    v
}

/// The finance, workforce and 国考 items of a county hospital: revenue split the way its
/// finance office reports it, staff as month-end stocks, elective surgeries covering the day
/// surgeries, appointments among the non-emergency visits, antibiotics per patient-day.
fn national_items(v: &mut BTreeMap<&'static str, f64>, id: &str, per: Period, t: f64) {
    let get = |v: &BTreeMap<&'static str, f64>, c: &str| v.get(c).copied().unwrap_or(0.0);
    let money = |x: f64| (x * 100.0).round() / 100.0;
    let rev = get(v, "medical_revenue");
    let outpatient = money(rev * 0.36 * jitter(id, per, "orev", 0.03));
    v.insert("outpatient_revenue", outpatient);
    v.insert("inpatient_revenue", money(rev - outpatient));
    v.insert(
        "drug_revenue",
        money(rev * 0.27 * jitter(id, per, "drug", 0.04)),
    );
    v.insert(
        "material_revenue",
        money(rev * 0.17 * jitter(id, per, "mat", 0.05)),
    );
    v.insert(
        "service_revenue",
        money(rev * (0.30 + 0.01 * t) * jitter(id, per, "svc", 0.03)),
    );
    v.insert(
        "insurance_revenue",
        money(rev * 0.58 * jitter(id, per, "ins", 0.03)),
    );
    // Staff change a few at a time: hires in the year's step, no monthly noise.
    let physicians = round(212.0 * 1.03f64.powf(t.floor()) + (per.month / 4) as f64);
    v.insert("physicians", physicians);
    v.insert("nurses", round(physicians * (1.38 + 0.02 * t.floor())));
    let day = get(v, "day_surgeries");
    let elective = round(get(v, "inpatient_surgeries") * 0.62 * jitter(id, per, "elec", 0.04));
    v.insert("elective_surgeries", elective.max(day));
    let clinic = get(v, "outpatient_visits") - get(v, "emergency_visits");
    v.insert(
        "appointment_visits",
        round(clinic * (0.38 + 0.04 * t) * jitter(id, per, "appt", 0.04)),
    );
    v.insert(
        "antibiotic_ddds",
        round(get(v, "discharged_bed_days") * 0.42 * jitter(id, per, "ddd", 0.05)),
    );
}

/// Items the member writes figures for in that month (its service range; tier-dependent for
/// maternal, which became secondary in 2025).
pub(crate) fn reported_items(p: &Profile, per: Period) -> Vec<&'static str> {
    let beds = [
        "admissions",
        "discharges",
        "open_beds",
        "open_bed_days",
        "occupied_bed_days",
        "discharged_bed_days",
    ];
    let surg_all = [
        "inpatient_surgeries",
        "surgeries_grade1",
        "surgeries_grade2",
        "surgeries_grade3",
        "surgeries_grade4",
        "mis_surgeries",
        "day_surgeries",
    ];
    let mut items: Vec<&'static str> = vec!["outpatient_visits"];
    match p.kind {
        Kind::Lead => {
            items.push("emergency_visits");
            items.extend(beds);
            items.extend(surg_all);
            items.extend([
                "remote_imaging",
                "remote_ecg",
                "remote_ultrasound",
                "remote_consults",
                "referrals_down",
                "staff_trained",
                "new_techniques",
                "medical_revenue",
            ]);
        }
        Kind::County => {
            items.push("emergency_visits");
            items.extend(beds);
            items.extend(surg_all);
            items.extend([
                "referrals_up",
                "referrals_down",
                "expert_visits",
                "staff_trained",
                "new_techniques",
                "medical_revenue",
            ]);
            if p.id == "county_peoples" {
                items.extend([
                    "elective_surgeries",
                    "appointment_visits",
                    "antibiotic_ddds",
                    "outpatient_revenue",
                    "inpatient_revenue",
                    "drug_revenue",
                    "material_revenue",
                    "service_revenue",
                    "insurance_revenue",
                    "physicians",
                    "nurses",
                ]);
            }
        }
        Kind::Maternal => {
            items.push("emergency_visits");
            items.extend(beds);
            items.extend([
                "inpatient_surgeries",
                "surgeries_grade1",
                "surgeries_grade2",
                "surgeries_grade3",
                "referrals_up",
                "expert_visits",
                "medical_revenue",
            ]);
            if per.year >= 2025 {
                items.extend([
                    "surgeries_grade4",
                    "mis_surgeries",
                    "day_surgeries",
                    "referrals_down",
                    "staff_trained",
                    "new_techniques",
                ]);
            }
        }
        Kind::Township => {
            items.extend(&beds[1..]);
            items.extend([
                "inpatient_surgeries",
                "surgeries_grade1",
                "surgeries_grade2",
            ]);
            // The county summary has a 三级 column townships fill with 0; qingshan's own
            // 2024 history has no such item.
            if !(p.id == "qingshan" && per.year < 2025) {
                items.push("surgeries_grade3");
            }
            items.extend([
                "referrals_up",
                "expert_visits",
                "family_doctor_contracts",
                "medical_revenue",
            ]);
        }
        Kind::Community => {
            items.extend(beds);
            if p.surg_rate > 0.0 {
                items.extend([
                    "inpatient_surgeries",
                    "surgeries_grade1",
                    "surgeries_grade2",
                ]);
            }
            items.extend([
                "referrals_up",
                "expert_visits",
                "family_doctor_contracts",
                "medical_revenue",
            ]);
        }
        Kind::Village => {
            items.extend(["referrals_up", "family_doctor_contracts"]);
        }
    }
    items.sort_by_key(|c| metric_rank(c));
    items
}

// ---- deliberate faults (all in the 2024-01..2025-12 window) ----

pub(crate) const BLANK_ITEM: (&str, Period, &str) =
    ("county_peoples", Period::new(2024, 7), "surgeries_grade4");
pub(crate) const OUTLIER: (&str, Period, &str) =
    ("county_tcm", Period::new(2025, 10), "outpatient_visits");
pub(crate) const OCCUPIED_FAULT: (&str, Period) = ("dasha", Period::new(2024, 11));
pub(crate) const GRADE34_FAULT: (&str, Period) = ("longquan", Period::new(2025, 3));
pub(crate) const MISSING_SUBMISSION: (&str, Period) = ("shimen", Period::new(2025, 8));
pub(crate) const CORRECTION: (&str, Period) = ("county_peoples", Period::new(2025, 6));
pub(crate) const LATE: (&str, Period, (i32, u32, u32)) =
    ("county_peoples", Period::new(2025, 4), (2025, 5, 20));
pub(crate) const SUM_ROW_FAULT: Period = Period::new(2024, 9);
pub(crate) const QINGSHAN_JOINED: Period = Period::new(2025, 1);

/// What a member wrote in the month column of one file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Figures {
    /// Reported numbers (faults included, as written).
    pub vals: BTreeMap<&'static str, f64>,
    /// Items the member normally reports but left blank this month.
    pub blank: BTreeSet<&'static str>,
}

impl Figures {
    pub fn get(&self, code: &str) -> Option<f64> {
        self.vals.get(code).copied()
    }
}

/// Swap two digits of an integer, as a tired clerk does; falls back to +1000.
pub(crate) fn transpose_typo(v: f64) -> f64 {
    let s = format!("{}", v.round() as i64);
    let b: Vec<char> = s.chars().collect();
    for i in 1..b.len().saturating_sub(1) {
        if b[i] != b[i + 1] {
            let mut c = b.clone();
            c.swap(i, i + 1);
            let t: String = c.into_iter().collect();
            if let Ok(n) = t.parse::<i64>() {
                return n as f64;
            }
        }
    }
    v + 1000.0
}

/// Figures as the member reported them for the month (the corrected version where a correction
/// exists), or None when nothing was submitted. Works for 2023 too (prior-year columns).
pub(crate) fn figures(id: &str, per: Period) -> Option<Figures> {
    figures_variant(id, per, false)
}

/// `original = true` gives the first, wrong version of the corrected submission.
pub(crate) fn figures_variant(id: &str, per: Period, original: bool) -> Option<Figures> {
    let p = profile(id)?;
    if id == MISSING_SUBMISSION.0 && per == MISSING_SUBMISSION.1 {
        return None;
    }
    let base = base_values(p, per);
    let mut f = Figures::default();
    for code in reported_items(p, per) {
        if let Some(v) = base.get(code) {
            f.vals.insert(code, *v);
        }
    }
    if id == BLANK_ITEM.0 && per == BLANK_ITEM.1 {
        f.vals.remove(BLANK_ITEM.2);
        f.blank.insert(BLANK_ITEM.2);
    }
    if id == OUTLIER.0 && per == OUTLIER.1 {
        if let Some(v) = f.vals.get_mut(OUTLIER.2) {
            *v *= 10.0;
        }
    }
    if id == OCCUPIED_FAULT.0 && per == OCCUPIED_FAULT.1 {
        // A typo of +1000 that pushes occupied bed days past the open bed days.
        let open = f.get("open_bed_days").unwrap_or(0.0);
        if let Some(v) = f.vals.get_mut("occupied_bed_days") {
            *v = (*v + 1000.0).max(open + 88.0);
        }
    }
    if id == GRADE34_FAULT.0 && per == GRADE34_FAULT.1 {
        let total = f.get("inpatient_surgeries").unwrap_or(0.0);
        f.vals.insert("surgeries_grade3", total + 6.0);
    }
    if original && id == CORRECTION.0 && per == CORRECTION.1 {
        if let Some(v) = f.vals.get_mut("discharges") {
            *v = transpose_typo(*v);
        }
    }
    Some(f)
}

/// Year-to-date value of one item over months 1..=per.month of per.year, by its over-time rule.
/// None when the item was not reported in any of those months.
pub(crate) fn ytd(id: &str, per: Period, code: &str, original: bool) -> Option<f64> {
    let mut vals = Vec::new();
    for m in 1..=per.month {
        let q = Period::new(per.year, m);
        let f = if q == per {
            figures_variant(id, q, original)
        } else {
            figures(id, q)
        };
        if let Some(v) = f.and_then(|f| f.get(code)) {
            vals.push(v);
        }
    }
    if vals.is_empty() {
        return None;
    }
    Some(match agg_of(code) {
        // Rounded to the cent: sums of 万元 figures pick up float noise.
        Agg::Sum => (vals.iter().sum::<f64>() * 100.0).round() / 100.0,
        Agg::Avg => (vals.iter().sum::<f64>() / vals.len() as f64).round(),
        Agg::Last => *vals.last().unwrap_or(&0.0),
    })
}

/// One department row of the lead's 科室明细 (None = blank cell).
pub(crate) struct Dept {
    pub name: &'static str,
    pub vals: BTreeMap<&'static str, Option<f64>>,
}

/// name, clinic visits, beds, admissions, surgeries, revenue (relative weights).
const DEPTS: &[(&str, f64, f64, f64, f64, f64)] = &[
    ("内科", 0.16, 0.14, 0.15, 0.0, 0.12),
    ("外科", 0.08, 0.13, 0.12, 0.24, 0.14),
    ("妇产科", 0.09, 0.08, 0.09, 0.16, 0.08),
    ("儿科", 0.10, 0.06, 0.07, 0.01, 0.05),
    ("骨科", 0.06, 0.09, 0.08, 0.18, 0.10),
    ("神经内科", 0.06, 0.09, 0.08, 0.0, 0.08),
    ("心血管内科", 0.07, 0.09, 0.09, 0.05, 0.12),
    ("眼科", 0.05, 0.03, 0.05, 0.12, 0.04),
    ("耳鼻喉科", 0.04, 0.03, 0.03, 0.08, 0.03),
    ("口腔科", 0.05, 0.01, 0.01, 0.03, 0.02),
    ("皮肤科", 0.05, 0.0, 0.0, 0.02, 0.01),
    ("中医科", 0.07, 0.04, 0.03, 0.0, 0.03),
    ("康复医学科", 0.03, 0.06, 0.03, 0.0, 0.03),
    ("急诊科", 0.0, 0.02, 0.04, 0.02, 0.05),
    ("重症医学科", 0.0, 0.03, 0.01, 0.0, 0.07),
];

/// The 16 columns of the department sheet, in order.
pub(crate) const DEPT_COLUMNS: &[(&str, &str)] = &[
    ("outpatient_visits", "门急诊人次"),
    ("emergency_visits", "急诊人次"),
    ("admissions", "入院人次"),
    ("discharges", "出院人次"),
    ("open_beds", "实际开放床位数"),
    ("open_bed_days", "实际开放总床日数"),
    ("occupied_bed_days", "实际占用总床日数"),
    ("discharged_bed_days", "出院者占用总床日数"),
    ("inpatient_surgeries", "住院手术例数"),
    ("surgeries_grade1", "一级手术"),
    ("surgeries_grade2", "二级手术"),
    ("surgeries_grade3", "三级手术"),
    ("surgeries_grade4", "四级手术"),
    ("mis_surgeries", "微创手术"),
    ("day_surgeries", "日间手术"),
    ("medical_revenue", "医疗收入（万元）"),
];

/// Largest-remainder split of an integer total by weights: the parts add up exactly.
pub(crate) fn partition(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if total <= 0 || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let raw: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<i64> = raw.iter().map(|r| r.floor() as i64).collect();
    let mut rem = total - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        let fa = raw[a] - raw[a].floor();
        let fb = raw[b] - raw[b].floor();
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut i = 0;
    while rem > 0 && !order.is_empty() {
        out[order[i % order.len()]] += 1;
        rem -= 1;
        i += 1;
    }
    out
}

/// Split the lead's monthly figures into departments; the columns add up exactly to `f`.
pub(crate) fn lead_departments(per: Period, f: &Figures) -> Vec<Dept> {
    let w = |col: usize, key: &str| -> Vec<f64> {
        DEPTS
            .iter()
            .map(|d| {
                let base = match col {
                    1 => d.1,
                    2 => d.2,
                    3 => d.3,
                    4 => d.4,
                    _ => d.5,
                };
                base * jitter("lead", per, &format!("{}-{}", d.0, key), 0.06)
            })
            .collect()
    };
    let get = |c: &str| f.get(c).unwrap_or(0.0).round() as i64;
    let n = DEPTS.len();
    let er_idx = DEPTS.iter().position(|d| d.0 == "急诊科").unwrap_or(0);
    let ped_idx = DEPTS.iter().position(|d| d.0 == "儿科").unwrap_or(0);

    let mut cols: BTreeMap<&'static str, Vec<Option<f64>>> = BTreeMap::new();
    let some = |v: Vec<i64>, weights: &[f64]| -> Vec<Option<f64>> {
        v.iter()
            .zip(weights)
            .map(|(x, w)| if *w > 0.0 { Some(*x as f64) } else { None })
            .collect()
    };

    // Emergency visits happen in 急诊科 and (paediatric emergency) 儿科 only.
    let er_total = get("emergency_visits");
    let ped_er = (er_total as f64 * 0.15).round() as i64;
    let mut er = vec![None; n];
    er[er_idx] = Some((er_total - ped_er) as f64);
    er[ped_idx] = Some(ped_er as f64);
    let clinic_w = w(1, "visits");
    let clinic = partition(get("outpatient_visits") - er_total, &clinic_w);
    let visits: Vec<Option<f64>> = (0..n)
        .map(|i| Some(clinic[i] as f64 + er[i].unwrap_or(0.0)))
        .collect();
    cols.insert("outpatient_visits", visits);
    cols.insert("emergency_visits", er);

    let bed_w = w(2, "beds");
    let beds = partition(get("open_beds"), &bed_w);
    let days = per.days() as f64;
    cols.insert("open_beds", some(beds.clone(), &bed_w));
    cols.insert(
        "open_bed_days",
        beds.iter()
            .zip(&bed_w)
            .map(|(b, wt)| {
                if *wt > 0.0 {
                    Some(*b as f64 * days)
                } else {
                    None
                }
            })
            .collect(),
    );
    let occ_w = w(2, "occ");
    let occ_w: Vec<f64> = occ_w
        .iter()
        .zip(&bed_w)
        .map(|(a, b)| if *b > 0.0 { *a } else { 0.0 })
        .collect();
    cols.insert(
        "occupied_bed_days",
        some(partition(get("occupied_bed_days"), &occ_w), &occ_w),
    );
    let adm_w = w(3, "adm");
    cols.insert(
        "admissions",
        some(partition(get("admissions"), &adm_w), &adm_w),
    );
    let dis_w = w(3, "dis");
    cols.insert(
        "discharges",
        some(partition(get("discharges"), &dis_w), &dis_w),
    );
    let dbd_w = w(3, "dbd");
    cols.insert(
        "discharged_bed_days",
        some(partition(get("discharged_bed_days"), &dbd_w), &dbd_w),
    );

    // Grades first, then the ungraded rest, so every department's grades fit in its total.
    let surg_w = w(4, "surg");
    let mut dept_total = vec![0i64; n];
    let mut graded = 0;
    for g in [
        "surgeries_grade1",
        "surgeries_grade2",
        "surgeries_grade3",
        "surgeries_grade4",
    ] {
        let gw = w(4, g);
        let gw: Vec<f64> = gw
            .iter()
            .zip(&surg_w)
            .map(|(a, b)| if *b > 0.0 { *a } else { 0.0 })
            .collect();
        let parts = partition(get(g), &gw);
        for i in 0..n {
            dept_total[i] += parts[i];
        }
        graded += get(g);
        cols.insert(g, some(parts, &surg_w));
    }
    let rest = partition(get("inpatient_surgeries") - graded, &surg_w);
    for i in 0..n {
        dept_total[i] += rest[i];
    }
    cols.insert("inpatient_surgeries", some(dept_total, &surg_w));
    cols.insert(
        "mis_surgeries",
        some(partition(get("mis_surgeries"), &surg_w), &surg_w),
    );
    cols.insert(
        "day_surgeries",
        some(partition(get("day_surgeries"), &surg_w), &surg_w),
    );

    // Revenue in cents so the departments add up to the cent.
    let rev_w = w(5, "rev");
    let cents = (f.get("medical_revenue").unwrap_or(0.0) * 100.0).round() as i64;
    cols.insert(
        "medical_revenue",
        partition(cents, &rev_w)
            .into_iter()
            .map(|c| Some(c as f64 / 100.0))
            .collect(),
    );

    DEPTS
        .iter()
        .enumerate()
        .map(|(i, d)| Dept {
            name: d.0,
            vals: cols.iter().map(|(k, v)| (*k, v[i])).collect(),
        })
        .collect()
}

/// The lead's 医技检查人次: reported on its second sheet but not a base metric.
pub(crate) fn lead_unmapped(per: Period) -> f64 {
    let t = per.index() as f64 / 12.0;
    round(
        86_000.0
            * 1.06f64.powf(t)
            * VISIT_SEASON[(per.month - 1) as usize]
            * jitter("lead", per, "yj", 0.04),
    )
}

/// Submission date (填报日期) of a member's file for `per`: 1st-10th of the next month, except the
/// deliberately late one.
pub(crate) fn submit_date(id: &str, per: Period, salt: &str) -> (i32, u32, u32) {
    if id == LATE.0 && per == LATE.1 && salt.is_empty() {
        return LATE.2;
    }
    let next = per.add(1);
    let day = 1 + Rng::keyed(&[id, &per.ym(), "submit", salt]).below(7) as u32;
    (next.year, next.month, day)
}
