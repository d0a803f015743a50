//! Cell references in the A1 form every message uses.

/// `C7`-style reference for zero-based row and column.
pub fn cell_ref(r: usize, c: usize) -> String {
    short_ref(r, c).into()
}

/// `cell_ref` held inline: the reference of every stored value.
pub fn short_ref(r: usize, c: usize) -> super::Short {
    // Built by hand on the stack, then copied once: this runs for every stored value.
    let mut buf = [0u8; 24];
    let mut i = 4;
    let mut n = c + 1;
    while n > 0 && i > 0 {
        i -= 1;
        buf[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let start = i;
    let mut j = 4;
    let mut digits = [0u8; 20];
    for d in super::num::decimal_digits(&mut digits, r as u64 + 1) {
        buf[j] = *d;
        j += 1;
    }
    // Letters and digits only: always UTF-8.
    super::Short::new(std::str::from_utf8(&buf[start..j]).unwrap_or_default())
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
