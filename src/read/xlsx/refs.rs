//! Cell references (`C7`, `A1:G3`) as calamine parses them, with overflow refused where
//! calamine would wrap. Shared by the cell positions and the merged ranges of a sheet.

/// calamine's `get_row_and_optional_column`: letters then digits, zero-based; overflow is
/// refused here where calamine would wrap.
#[inline]
pub(super) fn row_col(s: &str) -> Option<(u32, Option<u32>)> {
    let b = s.as_bytes();
    let (mut i, mut col, mut row) = (0, 0u32, 0u32);
    while i < b.len() {
        let letter = match b[i] {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'a'..=b'z' => c - b'a',
            c @ b'0'..=b'9' => {
                row = u32::from(c - b'0');
                i += 1;
                break;
            }
            _ => return None,
        };
        col = col.checked_mul(26)?.checked_add(u32::from(letter) + 1)?;
        i += 1;
    }
    for &c in &b[i..] {
        if !c.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(c - b'0'))?;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)))
}

#[inline]
pub(super) fn cell_pos(s: &str) -> Option<(u32, u32)> {
    let (r, c) = row_col(s)?;
    Some((r, c?))
}

/// `A1` or `A1:G3` (calamine's `get_dimension`). A reversed range is left to calamine, whose
/// subtraction would overflow on it.
pub(super) fn dimension(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let (a, b) = match s.split_once(':') {
        Some((a, b)) if !b.contains(':') => (a, Some(b)),
        Some(_) => return None,
        None => (s, None),
    };
    let start = cell_pos(a)?;
    let end = match b {
        Some(b) => cell_pos(b)?,
        None => start,
    };
    (end.0 >= start.0 && end.1 >= start.1).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(row_col("C7"), Some((6, Some(2))));
        assert_eq!(row_col("7"), Some((6, None)));
        assert_eq!(cell_pos("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(row_col("A0"), None);
        assert_eq!(row_col("A1B"), None);
        assert_eq!(row_col("A99999999999"), None);
        assert_eq!(dimension("B2"), Some(((1, 1), (1, 1))));
        assert_eq!(dimension("A1:G1"), Some(((0, 0), (0, 6))));
        assert_eq!(dimension("B2:A1"), None);
        assert_eq!(dimension("A1:B2:C3"), None);
    }
}
