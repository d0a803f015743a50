//! The cell grid every locating step reads: labels with merged regions filled.

use crate::model::Fast;
use crate::read::{CellRef, Sheet};
use crate::text::normalize_label;
use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Cells per block of the key cache: a block is allocated when one of its cells is asked for.
const BLOCK: usize = 8;

/// A sheet with merged regions filled for reading labels: a label merged over several
/// columns (or rows) is seen in each of them, numbers are not copied. Labels borrow from the
/// sheet, and their catalog keys are normalised once, when first asked for.
///
/// Nothing here is allocated per cell of the sheet: a label is the sheet's own text, looked up
/// when asked for; only the cells a merged region fills are listed, and the key cache is
/// allocated by blocks of `BLOCK` cells as they are asked for (a table of millions of cells
/// would otherwise cost more here than the sheet itself).
pub struct Grid<'a> {
    pub sheet: &'a Sheet,
    pub height: usize,
    pub width: usize,
    /// Row-major index -> the top-left cell of its merged region, for the cells of merged
    /// regions without text of their own.
    filled: HashMap<u32, u32, Fast>,
    /// Row-major indexes of the cells lying in a merged region spanning more than one column
    /// (asked for every column of every header candidate row).
    hmerged: HashSet<u32, Fast>,
    /// Normalised keys by source cell, in blocks of `BLOCK` row-major cells.
    keys: Vec<OnceCell<KeyBlock>>,
}

/// `BLOCK` cells' normalised keys, each computed when first asked for.
type KeyBlock = Box<[OnceCell<Arc<str>>; BLOCK]>;

/// Labels normalised on this thread, by label: the forms of a run repeat their template's
/// labels, file after file. Bounded: emptied when it holds `KNOWN_MAX` labels.
const KNOWN_MAX: usize = 4096;
thread_local! {
    static KNOWN: RefCell<HashMap<Box<str>, Arc<str>, Fast>> = RefCell::new(HashMap::default());
}

/// `normalize_label`, remembered per label on this thread.
fn normalized(label: &str) -> Arc<str> {
    KNOWN.with_borrow_mut(|known| {
        if let Some(k) = known.get(label) {
            return k.clone();
        }
        let k: Arc<str> = normalize_label(label).into();
        if known.len() >= KNOWN_MAX {
            known.clear();
        }
        known.insert(label.into(), k.clone());
        k
    })
}

/// The trimmed, non-empty text of a cell.
fn text(c: CellRef<'_>) -> Option<&str> {
    c.text().map(str::trim).filter(|s| !s.is_empty())
}

impl<'a> Grid<'a> {
    pub fn new(sheet: &'a Sheet) -> Grid<'a> {
        let height = sheet.height();
        let width = sheet.width();
        let (mut filled, mut hmerged) = (HashMap::default(), HashSet::default());
        for m in &sheet.merges {
            if m.r0 >= height || m.c0 >= width {
                continue;
            }
            let rows = m.r0..=m.r1.min(height - 1);
            let cols = m.c0..=m.c1.min(width - 1);
            if m.c1 > m.c0 {
                for r in rows.clone() {
                    hmerged.extend(cols.clone().map(|c| (r * width + c) as u32));
                }
            }
            if text(sheet.get(m.r0, m.c0)).is_none() {
                continue;
            }
            let src = (m.r0 * width + m.c0) as u32;
            for r in rows {
                for c in cols.clone() {
                    // A cell's own text wins; of overlapping regions, the first listed.
                    if text(sheet.get(r, c)).is_none() {
                        filled.entry((r * width + c) as u32).or_insert(src);
                    }
                }
            }
        }
        let blocks = (height * width).div_ceil(BLOCK);
        Grid {
            sheet,
            height,
            width,
            filled,
            hmerged,
            keys: std::iter::repeat_with(OnceCell::new).take(blocks).collect(),
        }
    }
    pub fn cell(&self, r: usize, c: usize) -> CellRef<'a> {
        self.sheet.get(r, c)
    }
    /// The label at (r, c) and the index of the cell it comes from (itself, or the top-left
    /// cell of its merged region).
    fn at(&self, r: usize, c: usize) -> Option<(&'a str, u32)> {
        if r >= self.height || c >= self.width {
            return None;
        }
        let i = (r * self.width + c) as u32;
        if let Some(t) = text(self.sheet.get(r, c)) {
            return Some((t, i));
        }
        if self.filled.is_empty() {
            return None;
        }
        let &src = self.filled.get(&i)?;
        let (sr, sc) = (src as usize / self.width, src as usize % self.width);
        text(self.sheet.get(sr, sc)).map(|t| (t, src))
    }
    /// The text at (r, c), merged regions filled; None for numbers and blanks.
    pub fn label(&self, r: usize, c: usize) -> Option<&'a str> {
        self.at(r, c).map(|(t, _)| t)
    }
    /// The label at (r, c) normalised for catalog matching (`normalize_label`), computed
    /// once per cell (once per merged region).
    pub fn key(&self, r: usize, c: usize) -> Option<&str> {
        let (label, src) = self.at(r, c)?;
        let src = src as usize;
        let block = self.keys[src / BLOCK]
            .get_or_init(|| Box::new(std::array::from_fn(|_| OnceCell::new())));
        Some(block[src % BLOCK].get_or_init(|| normalized(label)))
    }
    /// Whether (r, c) lies in a merged region spanning more than one column.
    pub fn in_horizontal_merge(&self, r: usize, c: usize) -> bool {
        r < self.height
            && c < self.width
            && !self.hmerged.is_empty()
            && self.hmerged.contains(&((r * self.width + c) as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::{normalized, KNOWN_MAX};
    use crate::text::normalize_label;

    #[test]
    fn remembered_keys_are_each_labels_own() {
        // More labels than are remembered, asked twice: spaced, full-width and prefixed
        // forms of one item, whose keys agree, beside labels whose keys differ.
        let labels: Vec<String> = (0..KNOWN_MAX + 100)
            .flat_map(|i| {
                [
                    format!("其中：门诊人次{i}"),
                    format!("门 诊 人 次{i}"),
                    format!("（一）门诊人次（{i}）"),
                    format!("出院人数{i}"),
                ]
            })
            .collect();
        for _ in 0..2 {
            for l in &labels {
                assert_eq!(&*normalized(l), normalize_label(l), "{l}");
            }
        }
    }
}
