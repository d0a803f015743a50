//! Cell references in the A1 form every message uses.

/// `C7`-style reference for zero-based row and column.
pub fn cell_ref(r: usize, c: usize) -> String {
    short_ref(r, c).into()
}

/// `cell_ref` held inline: the reference of every stored value.
pub fn short_ref(r: usize, c: usize) -> super::Short {
    // Built by hand: this runs for every stored value.
    let mut col = [0u8; 4];
    let mut i = col.len();
    let mut n = c + 1;
    while n > 0 && i > 0 {
        i -= 1;
        col[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let mut s = super::Short::default();
    s.extend(col[i..].iter().map(|&b| b as char));
    crate::model::num::push_decimal(&mut s, r as u64 + 1);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 2), "C7");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1048575, 16383), "XFD1048576");
    }
}
