//! Numbers as text: the plain form stored as lineage and written to CSV, and the grouped
//! form people read.

/// A number as plain text: integers without a decimal point, others in shortest form.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // By hand: ingest formats every figure it stores (its `raw` lineage).
        let n = v as i64;
        let mut s = String::with_capacity(16);
        if n < 0 {
            s.push('-');
        }
        push_decimal(&mut s, n.unsigned_abs());
        s
    } else {
        format!("{v}")
    }
}

/// Appends `n` in decimal, without the formatting machinery (hot in ingest).
pub fn push_decimal(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| d as char));
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
        let _ = write!(buf, "{}", x.round() as i64);
    } else {
        let start = buf.len();
        let _ = write!(buf, "{x:.6}");
        while buf.len() > start && buf.ends_with('0') {
            buf.pop();
        }
        if buf.len() > start && buf.ends_with('.') {
            buf.pop();
        }
    }
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
