//! The calamine floor the ingest benchmarks compare with: each workbook opened and every
//! sheet materialised by calamine alone, nothing else, on every core.

use calamine::{Reader, Xlsx};
use rayon::prelude::*;
use std::path::PathBuf;

/// Reads `files` as the floor does; the number of cells read (so nothing is optimised away).
pub fn calamine_cells(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|p| {
            let bytes = std::fs::read(p).expect("read");
            let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
            wb.worksheets()
                .iter()
                .map(|(_, r)| r.used_cells().count())
                .sum::<usize>()
        })
        .sum()
}
