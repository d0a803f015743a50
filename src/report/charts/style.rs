//! Colours, fonts and number labels shared by every chart: this year against last year, good
//! against bad, series readable in grey print, and figures printed as the tables print them.

use crate::model::fmt_thousands;
use crate::render::is_good;
use crate::report::{font::FAMILY, Lang};
use plotters::prelude::*;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::Error::new(crate::i18n::internal(format!(
        "chart drawing failed: {e:?}"
    )))
}

// Colours: this year vs last year, good vs bad, and ordered series readable in grey print.
pub(super) const INK: RGBColor = RGBColor(0x22, 0x2b, 0x36);
pub(super) const MUTED: RGBColor = RGBColor(0x5f, 0x6b, 0x7a);
pub(super) const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xec);
pub(super) const THIS: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
pub(super) const LAST: RGBColor = RGBColor(0xa0, 0xa9, 0xb4);
pub(super) const GOOD: RGBColor = RGBColor(0x1e, 0x7b, 0x34);
pub(super) const BAD: RGBColor = RGBColor(0xc0, 0x00, 0x00);
pub(super) const GRADE_COLOURS: [RGBColor; 4] = [
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x08, 0x30, 0x6b),
];
pub(super) const REMOTE_COLOURS: [RGBColor; 4] = [
    RGBColor(0x1f, 0x5f, 0xa8),
    RGBColor(0xe0, 0x7b, 0x1a),
    RGBColor(0x2a, 0x9d, 0x5c),
    RGBColor(0x8a, 0x4f, 0xb0),
];
pub(super) const STATUS_COLOURS: [RGBColor; 5] = [
    RGBColor(0x4c, 0xaf, 0x6e), // on time
    RGBColor(0xf2, 0xb1, 0x34), // late
    RGBColor(0xd9, 0x48, 0x3b), // missing
    RGBColor(0xee, 0xf0, 0xf3), // not a member
    RGBColor(0xa8, 0xd5, 0xb5), // submitted, no 填报日期: lateness unknown
];

pub(super) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

pub(super) fn bold(size: f64) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        size,
        FontStyle::Bold,
    ))
    .color(&INK)
}

/// A number on an axis or a label: thousands separators, decimals only where they mean
/// something.
pub(super) fn num(v: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{v:.1}%"),
        "次" | "日" | "倍" => format!("{v:.2}"),
        _ if v.abs() >= 100.0 || v.fract() == 0.0 => fmt_thousands(v, 0),
        _ => fmt_thousands(v, 1),
    }
}

pub(super) fn axis_num(v: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{v:.0}%"),
        "次" | "日" | "倍" if v.abs() < 10.0 => format!("{v:.1}"),
        _ => fmt_thousands(v, 0),
    }
}

pub(super) fn yoy_text(lang: Lang, r: Option<&crate::compute::Record>) -> String {
    let Some(r) = r else { return String::new() };
    let word = lang.t("同比", "YoY ");
    match (r.unit.as_str(), r.yoy_pp, r.yoy_pct) {
        ("%", Some(pp), _) => format!("{word}{pp:+.1}{}", lang.t("个百分点", "pp")),
        (_, _, Some(p)) => format!("{word}{p:+.1}%"),
        _ => String::new(),
    }
}

pub(super) fn change_colour(v: Option<f64>, dir: crate::catalog::Direction) -> RGBColor {
    match v.and_then(|x| is_good(x, dir)) {
        Some(true) => GOOD,
        Some(false) => BAD,
        None => MUTED,
    }
}
