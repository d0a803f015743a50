//! `Engine::run_series` against figures computed by hand, and against `run` month by month.
//!
//! Fixture: a (secondary) and b (primary) members since 2019, c (primary) joined 2025-02.
//! discharges (sum):   2024-01 02 03 12 | 2025-01 02 03
//!   a                   100 110 120 90 |     130 140 150
//!   b                    10  20  30 40 |      50   -  60   (b sent nothing for 2025-02)
//!   c                     -   -   -  - |       -   5   7   (not a member in 2025-01)
//! bed days (occupied / open): 2024-02 a 270/300 b 60/100; 2024-03 a 150/300 b 50/100;
//! 2025-02 a 240/300; 2025-03 a 0/0 and b 0/0 (occupancy undefined, never 0 or NaN).
#[cfg(test)]
mod tests {
    use super::super::{base_frame, Engine, Record, Request, Scope, Window};
    use crate::config::Consortium;
    use crate::model::period::Period;

    /// c, a primary member joining in 2025-02, beside a and b.
    const MEMBER_C: &str = r#"
[[members]]
id = "c"
name = "丙卫生院"
tier = "primary"
joined = "2025-02"
"#;

    fn p(s: &str) -> Period {
        Period::parse_strict(s).unwrap()
    }

    fn fixture() -> (Consortium, polars::prelude::DataFrame) {
        let c = Consortium::two_members(MEMBER_C);
        let mut rows = Vec::new();
        let mut put = |m: &str, month: &str, x: &str, v: f64| {
            rows.push((m.to_string(), p(month).index(), x.to_string(), v, false))
        };
        for (month, a, b) in [
            ("2024-01", 100.0, Some(10.0)),
            ("2024-02", 110.0, Some(20.0)),
            ("2024-03", 120.0, Some(30.0)),
            ("2024-12", 90.0, Some(40.0)),
            ("2025-01", 130.0, Some(50.0)),
            ("2025-02", 140.0, None),
            ("2025-03", 150.0, Some(60.0)),
        ] {
            put("a", month, "discharges", a);
            if let Some(b) = b {
                put("b", month, "discharges", b);
            }
        }
        put("c", "2025-02", "discharges", 5.0);
        put("c", "2025-03", "discharges", 7.0);
        for (m, month, occupied, open) in [
            ("a", "2024-02", 270.0, 300.0),
            ("b", "2024-02", 60.0, 100.0),
            ("a", "2024-03", 150.0, 300.0),
            ("b", "2024-03", 50.0, 100.0),
            ("a", "2025-02", 240.0, 300.0),
            ("a", "2025-03", 0.0, 0.0),
            ("b", "2025-03", 0.0, 0.0),
        ] {
            put(m, month, "occupied_bed_days", occupied);
            put(m, month, "open_bed_days", open);
        }
        (c, base_frame(rows).unwrap())
    }

    fn request(scopes: Vec<Scope>) -> Request {
        Request {
            period: p("2025-03"),
            window: Window::Month,
            scopes,
            like_for_like: false,
            indicators: Some(vec!["discharges".into(), "bed_occupancy".into()]),
        }
    }

    fn find<'a>(recs: &'a [Record], period: &str, entity: &str, code: &str) -> &'a Record {
        recs.iter()
            .find(|r| r.period == period && r.entity == entity && r.indicator == code)
            .unwrap_or_else(|| panic!("no record {period} {entity} {code}"))
    }

    fn close(got: Option<f64>, want: Option<f64>, what: &str) {
        match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{what}: {g} != {w}"),
            _ => assert_eq!(got, want, "{what}"),
        }
    }

    /// (value, prior, yoy %, mom %) of a record against the hand-computed ones.
    fn check(r: &Record, want: [Option<f64>; 4]) {
        let what = format!("{} {} {}", r.period, r.entity, r.indicator);
        close(r.value, want[0], &format!("{what} value"));
        close(r.prior_value, want[1], &format!("{what} prior"));
        close(r.yoy_pct, want[2], &format!("{what} yoy"));
        close(r.mom_pct, want[3], &format!("{what} mom"));
    }

    #[test]
    fn series_equals_month_by_month_runs() {
        let (c, base) = fixture();
        let e = Engine::new(&c, base).unwrap();
        let months = [p("2025-01"), p("2025-02"), p("2025-03")];
        let scopes = vec![Scope::Consortium, Scope::Tier, Scope::Member];
        let series = e.run_series(&request(scopes.clone()), &months).unwrap();
        let mut one_by_one = Vec::new();
        for &m in &months {
            let mut req = request(scopes.clone());
            req.period = m;
            one_by_one.extend(e.run(&req).unwrap());
        }
        assert_eq!(series.len(), one_by_one.len());
        assert_eq!(series, one_by_one);
    }

    #[test]
    fn records_handed_on_in_chunks_are_the_run_in_its_order() {
        let (c, base) = fixture();
        let e = Engine::new(&c, base).unwrap();
        for scopes in [
            vec![Scope::Consortium, Scope::Tier, Scope::Member],
            vec![Scope::Member],
        ] {
            let req = request(scopes);
            let whole = e.run(&req).unwrap();
            // Hand-computed elsewhere; here the whole run is the reference (several chunks
            // per scope, a chunk across scopes, one chunk for all).
            assert!(whole.len() > 3);
            for chunk in [1, 2, 3, whole.len(), 10_000] {
                let (mut got, mut sizes) = (Vec::new(), Vec::new());
                e.run_each(&req, chunk, &mut |recs| {
                    sizes.push(recs.len());
                    got.append(recs);
                    Ok(())
                })
                .unwrap();
                assert_eq!(got, whole, "chunks of {chunk}");
                // Every chunk but the last holds at least `chunk` records.
                let (last, rest) = sizes.split_last().unwrap();
                assert!(*last > 0 && rest.iter().all(|&n| n >= chunk), "{sizes:?}");
            }
        }
    }

    #[test]
    fn series_values_and_comparisons_by_hand() {
        let (c, base) = fixture();
        let e = Engine::new(&c, base).unwrap();
        let months = [p("2025-01"), p("2025-02"), p("2025-03")];
        let recs = e
            .run_series(
                &request(vec![Scope::Consortium, Scope::Tier, Scope::Member]),
                &months,
            )
            .unwrap();
        let pct = |v: f64, was: f64| Some((v - was) / was * 100.0);
        // Consortium discharges: c counts from 2025-02; b's blank 2025-02 leaves it out that month.
        let d = |m| find(&recs, m, "consortium", "discharges");
        check(
            d("2025-01"),
            [
                Some(180.0),
                Some(110.0),
                pct(180.0, 110.0),
                pct(180.0, 130.0),
            ],
        );
        check(
            d("2025-02"),
            [
                Some(145.0),
                Some(130.0),
                pct(145.0, 130.0),
                pct(145.0, 180.0),
            ],
        );
        assert_eq!((d("2025-02").members, d("2025-02").covered), (3, 2));
        check(
            d("2025-03"),
            [
                Some(217.0),
                Some(150.0),
                pct(217.0, 150.0),
                pct(217.0, 145.0),
            ],
        );
        // Member b: nothing sent for 2025-02, so no figure that month and no 环比 in March.
        let b = |m| find(&recs, m, "b", "discharges");
        check(
            b("2025-01"),
            [Some(50.0), Some(10.0), Some(400.0), Some(25.0)],
        );
        check(b("2025-02"), [None, Some(20.0), None, None]);
        check(b("2025-03"), [Some(60.0), Some(30.0), Some(100.0), None]);
        // Member c: not a member in January (an empty row), then its own months.
        let cr = |m| find(&recs, m, "c", "discharges");
        check(cr("2025-01"), [None, None, None, None]);
        assert_eq!(cr("2025-01").members, 0);
        check(cr("2025-02"), [Some(5.0), None, None, None]);
        check(cr("2025-03"), [Some(7.0), None, None, Some(40.0)]);
        // Tiers: primary is b (and c from February), secondary is a.
        check(
            find(&recs, "2025-03", "primary", "discharges"),
            [Some(67.0), Some(30.0), pct(67.0, 30.0), Some(1240.0)],
        );
        check(
            find(&recs, "2025-02", "secondary", "discharges"),
            [
                Some(140.0),
                Some(110.0),
                pct(140.0, 110.0),
                pct(140.0, 130.0),
            ],
        );
        // 病床使用率: a ratio of sums; a zero denominator is undefined, never 0 or NaN.
        let o = |m, entity| find(&recs, m, entity, "bed_occupancy");
        check(o("2025-01", "consortium"), [None, None, None, None]);
        let feb = o("2025-02", "consortium");
        check(feb, [Some(80.0), Some(82.5), pct(80.0, 82.5), None]);
        close(feb.yoy_pp, Some(-2.5), "2025-02 occupancy yoy_pp");
        assert_eq!((feb.members, feb.covered), (2, 1));
        let mar = o("2025-03", "consortium");
        check(mar, [None, Some(50.0), None, None]);
        assert_eq!((mar.yoy_pp, mar.change), (None, None));
        assert_eq!(mar.covered, 2, "both members sent their (zero) bed days");
        check(o("2025-03", "a"), [None, Some(50.0), None, None]);
        check(
            o("2025-02", "a"),
            [Some(80.0), Some(90.0), pct(80.0, 90.0), None],
        );
        for r in &recs {
            for v in [
                r.value,
                r.prior_value,
                r.yoy_pct,
                r.yoy_pp,
                r.mom_pct,
                r.change,
            ] {
                assert!(v.is_none_or(f64::is_finite), "{r:?}");
            }
        }
    }

    #[test]
    fn a_trend_series_has_the_year_earlier_and_no_month_on_month() {
        let (c, base) = fixture();
        let e = Engine::new(&c, base).unwrap();
        let months = [p("2025-01"), p("2025-02"), p("2025-03")];
        let scopes = vec![Scope::Consortium, Scope::Member];
        let recs = e.run_series_yoy(&request(scopes.clone()), &months).unwrap();
        let pct = |v: f64, was: f64| Some((v - was) / was * 100.0);
        // By hand, as above: consortium discharges 180 against 110 in January, 217 against
        // 150 in March; member b 60 against 30 in March.
        check(
            find(&recs, "2025-01", "consortium", "discharges"),
            [Some(180.0), Some(110.0), pct(180.0, 110.0), None],
        );
        check(
            find(&recs, "2025-03", "consortium", "discharges"),
            [Some(217.0), Some(150.0), pct(217.0, 150.0), None],
        );
        check(
            find(&recs, "2025-03", "b", "discharges"),
            [Some(60.0), Some(30.0), Some(100.0), None],
        );
        // Every record is the full series' with its month-on-month left out.
        let full = e.run_series(&request(scopes), &months).unwrap();
        assert_eq!(recs.len(), full.len());
        assert!(full.iter().any(|r| r.mom_pct.is_some()));
        for (a, mut b) in recs.into_iter().zip(full) {
            assert_eq!(a.mom_pct, None, "{a:?}");
            b.mom_pct = None;
            assert_eq!(a, b);
        }
    }
}
