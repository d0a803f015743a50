//! Numbers as text: the plain form stored as lineage and written to CSV, and the grouped
//! form people read.

/// A number as plain text: integers without a decimal point, others in shortest form.
pub fn fmt_num(v: f64) -> String {
    short_num(v).into()
}

/// `fmt_num` held inline: ingest formats every figure it stores (its `raw` lineage).
pub fn short_num(v: f64) -> super::Short {
    let mut s = super::Short::default();
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // By hand, without the formatting machinery.
        let n = v as i64;
        if n < 0 {
            s.push('-');
        }
        let mut buf = [0u8; 20];
        let digits = decimal_digits(&mut buf, n.unsigned_abs());
        // Digits only: always UTF-8.
        s.push_str(std::str::from_utf8(digits).unwrap_or_default());
    } else {
        use std::fmt::Write;
        let _ = write!(s, "{v}");
    }
    s
}

/// Appends `n` in decimal, without the formatting machinery (hot in ingest).
pub fn push_decimal(s: &mut impl Extend<char>, n: u64) {
    s.extend(decimal_digits(&mut [0u8; 20], n).iter().map(|&d| d as char));
}

/// The decimal digits of `n`, written into the end of `buf`.
pub fn decimal_digits(buf: &mut [u8; 20], mut n: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Thousands separators for people (`12,345`, `1,234.5`).
pub fn fmt_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map(|(a, b)| (a.to_string(), Some(b.to_string())))
        .unwrap_or((s.clone(), None));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Plain decimals for scripts: integers as integers, others with up to 6 decimals (never
/// fewer than 4 kept), no thousands separators.
pub fn fmt_plain(x: f64) -> String {
    let mut s = String::new();
    push_plain(x, &mut s);
    s
}

/// `fmt_plain` appended to `buf` (a table of a bureau's records formats millions of numbers:
/// one buffer, not a string each).
pub fn push_plain(x: f64, buf: &mut String) {
    use std::fmt::Write;
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        let n = x.round() as i64;
        if n < 0 {
            buf.push('-');
        }
        push_decimal(buf, n.unsigned_abs());
        return;
    }
    let start = buf.len();
    match micro_units(x) {
        // The millionths as a whole number, written by hand: `{:.6}` was most of the time of
        // a bureau's CSV of records.
        Some(n) => {
            if x < 0.0 {
                buf.push('-');
            }
            push_decimal(buf, n / 1_000_000);
            let frac = n % 1_000_000;
            buf.push('.');
            let mut digits = [b'0'; 6];
            let mut f = frac;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (f % 10) as u8;
                f /= 10;
            }
            buf.extend(digits.iter().map(|&d| d as char));
        }
        None => {
            let _ = write!(buf, "{x:.6}");
        }
    }
    while buf.len() > start && buf.ends_with('0') {
        buf.pop();
    }
    if buf.len() > start && buf.ends_with('.') {
        buf.pop();
    }
}

/// |x| in millionths, rounded as `{:.6}` rounds x's exact value, when the product's
/// rounding error cannot change the answer; None near a half (where only the exact
/// decimal expansion tells, e.g. 1/128 = 0.0078125) and for large numbers.
fn micro_units(x: f64) -> Option<u64> {
    let y = x.abs() * 1e6;
    if y.is_nan() || y >= 1e12 {
        return None;
    }
    // y is |x|·10⁶ within an ulp or so (< 2.3e-16 relative): well away from a half, the
    // product rounds to the same whole number as the exact value does.
    let margin = y * 1e-15 + 1e-12;
    if ((y - y.floor()) - 0.5).abs() <= margin {
        return None;
    }
    Some(y.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_for_scripts() {
        assert_eq!(fmt_plain(1234.0), "1234");
        assert_eq!(fmt_plain(85.16129032), "85.16129");
        assert_eq!(fmt_plain(0.123456789), "0.123457");
        assert_eq!(fmt_plain(-2.5), "-2.5");
        assert_eq!(fmt_plain(1e7), "10000000");
        assert_eq!(fmt_plain(10.0000001), "10");
        assert_eq!(fmt_plain(0.0000001), "0");
        // Appended: the trimming stops at what the buffer held before.
        let mut buf = String::from("10");
        push_plain(0.0000001, &mut buf);
        assert_eq!(buf, "100");
        push_plain(2.50, &mut buf);
        assert_eq!(buf, "1002.5");
        push_plain(-3.0, &mut buf);
        assert_eq!(buf, "1002.5-3");
    }

    #[test]
    fn plain_decimals_are_those_of_the_exact_value() {
        // Exact halves at the seventh decimal round as `{:.6}` does (to even), not away.
        assert_eq!(fmt_plain(0.0078125), "0.007812");
        assert_eq!(fmt_plain(0.0234375), "0.023438");
        assert_eq!(fmt_plain(-0.0000004), "-0");
        assert_eq!(fmt_plain(-12.3456789), "-12.345679");
        assert_eq!(fmt_plain(1e11 + 0.25), "100000000000.25");
        // Against the formatter itself, over many values of every size.
        let mut x: f64 = 1.2345678901;
        for i in 0..60_000u32 {
            x = (x * 1.000_173 + f64::from(i % 97) * 1e-7) % 3e9;
            for v in [x, -x, x / 1e6, 1.0 / (x + 1.0), (x * 8.0).round() / 128.0] {
                let mut want = format!("{v:.6}");
                while want.ends_with('0') {
                    want.pop();
                }
                if want.ends_with('.') {
                    want.pop();
                }
                if (v - v.round()).abs() < 1e-9 {
                    continue;
                }
                assert_eq!(fmt_plain(v), want, "{v:e}");
            }
        }
    }

    #[test]
    fn fmt_num_integers_and_fractions() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(1234.0), "1234");
        assert_eq!(fmt_num(-56.0), "-56");
        assert_eq!(fmt_num(999_999_999_999_999.0), "999999999999999");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(1e15), "1000000000000000");
    }

    #[test]
    fn numbers() {
        assert_eq!(fmt_num(1234.0), "1234");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_thousands(1234567.0, 0), "1,234,567");
        assert_eq!(fmt_thousands(-1234.56, 1), "-1,234.6");
        assert_eq!(fmt_thousands(999.0, 0), "999");
    }
}
