//! The cell grid every locating step reads: labels with merged regions filled.

use crate::read::{Cell, Sheet};
use crate::text::normalize_label;

/// A sheet with merged regions filled for reading labels: a label merged over several
/// columns (or rows) is seen in each of them, numbers are not copied. Labels borrow from the
/// sheet, and their catalog keys are normalised once, when first asked for.
pub struct Grid<'a> {
    pub sheet: &'a Sheet,
    pub height: usize,
    pub width: usize,
    /// Row-major, `height × width`: the trimmed, non-empty text at each cell and the index
    /// of the cell it comes from (itself, or the top-left cell of its merged region).
    labels: Vec<Option<(&'a str, u32)>>,
    keys: Vec<std::cell::OnceCell<String>>,
    /// Row-major: the cell lies in a merged region spanning more than one column (filled
    /// once here; asked for every column of every header candidate row).
    hmerged: Vec<bool>,
}

impl<'a> Grid<'a> {
    pub fn new(sheet: &'a Sheet) -> Grid<'a> {
        let height = sheet.rows.len();
        let width = sheet.width();
        let text = |c: &'a Cell| c.text().map(str::trim).filter(|s| !s.is_empty());
        let mut labels: Vec<Option<(&'a str, u32)>> = Vec::with_capacity(height * width);
        for row in &sheet.rows {
            let at = labels.len();
            labels.extend(
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| text(cell).map(|t| (t, (at + c) as u32))),
            );
            labels.extend(std::iter::repeat_n(None, width - row.len()));
        }
        let mut hmerged = vec![false; labels.len()];
        for m in &sheet.merges {
            if m.c1 > m.c0 && m.r0 < height && m.c0 < width {
                for r in m.r0..=m.r1.min(height.saturating_sub(1)) {
                    for c in m.c0..=m.c1.min(width.saturating_sub(1)) {
                        hmerged[r * width + c] = true;
                    }
                }
            }
            let Some(top) = text(sheet.get(m.r0, m.c0)) else {
                continue;
            };
            let src = (m.r0 * width + m.c0) as u32;
            for r in m.r0..=m.r1.min(height.saturating_sub(1)) {
                for c in m.c0..=m.c1.min(width.saturating_sub(1)) {
                    labels[r * width + c].get_or_insert((top, src));
                }
            }
        }
        let keys = std::iter::repeat_with(std::cell::OnceCell::new)
            .take(labels.len())
            .collect();
        Grid {
            sheet,
            height,
            width,
            labels,
            keys,
            hmerged,
        }
    }
    pub fn cell(&self, r: usize, c: usize) -> &'a Cell {
        self.sheet.get(r, c)
    }
    fn at(&self, r: usize, c: usize) -> Option<(&'a str, u32)> {
        if r < self.height && c < self.width {
            self.labels[r * self.width + c]
        } else {
            None
        }
    }
    /// The text at (r, c), merged regions filled; None for numbers and blanks.
    pub fn label(&self, r: usize, c: usize) -> Option<&'a str> {
        self.at(r, c).map(|(t, _)| t)
    }
    /// The label at (r, c) normalised for catalog matching (`normalize_label`), computed
    /// once per cell (once per merged region).
    pub fn key(&self, r: usize, c: usize) -> Option<&str> {
        let (label, src) = self.at(r, c)?;
        Some(self.keys[src as usize].get_or_init(|| normalize_label(label)))
    }
    /// Whether (r, c) lies in a merged region spanning more than one column.
    pub fn in_horizontal_merge(&self, r: usize, c: usize) -> bool {
        r < self.height && c < self.width && self.hmerged[r * self.width + c]
    }
}
