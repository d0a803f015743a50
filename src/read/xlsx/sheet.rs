//! A worksheet part in one pass: the cells of `<sheetData>` in document order (positions as
//! calamine counts them), then the merged ranges of `<mergeCells>`. `Ok(false)` marks a chart
//! or dialog sheet, which has no cells.

use super::cell::{cell_value, own, raw_value, Context, XCell};
use super::refs::{cell_pos, dimension, row_col};
use super::xml::{Ev, Xml};
use crate::read::{keep_cell_unless, Cell, Merge, ReadError};

/// Cells (in document order, through `keep_cell_unless`) and merges of one sheet part, in one pass.
/// `Ok(false)`: no `<sheetData>`, i.e. a chart or dialog sheet, which calamine reports as not a
/// worksheet.
pub(super) fn worksheet(
    x: &mut Xml<'_>,
    ctx: &Context<'_>,
    text: &mut String,
    cells: &mut Vec<(usize, usize, XCell)>,
    merges: &mut Vec<Merge>,
) -> Option<Result<bool, ReadError>> {
    // calamine's merge scan takes the first <mergeCells> anywhere; this pass only looks after
    // </sheetData>, so one earlier is refused.
    let mut root = false;
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "dimension" => {
                    dimension(x.attr("ref")?)?;
                }
                "sheetData" => break,
                "mergeCells" => return None,
                _ => root = true,
            },
            Ev::Eof => return root.then_some(Ok(false)),
            _ => {}
        }
    }

    // Positions as calamine counts them: a cell's `r` wins; without it, the row's `r` (or the
    // previous row + 1) and one past the previous cell.
    let (mut row, mut col) = (0u32, 0u32);
    // The last `<f>` text of the current cell, reused from cell to cell.
    let mut formula = String::new();
    loop {
        match x.next()? {
            Ev::Start(q) => match q.local {
                "row" => {
                    if let Some(r) = x.attr("r") {
                        row = row_col(r)?.0;
                    }
                }
                "c" => {
                    let (mut at, mut style, mut typ) = (None, None, None);
                    for &(k, v) in &x.attrs {
                        match k {
                            "r" => at = Some(v),
                            "s" => style = Some(v),
                            "t" => typ = Some(v),
                            _ => {}
                        }
                    }
                    let (r, c) = match at {
                        Some(a) => {
                            let rc = cell_pos(a)?;
                            col = rc.1;
                            rc
                        }
                        None => (row, col),
                    };
                    let mut value = Cell::Empty;
                    // Only for the types whose <v> calamine reads raw.
                    let raw = matches!(typ, None | Some("n" | "s" | "b" | "e"));
                    if let Some(v) = if raw { x.plain_child("v") } else { None } {
                        // `<v>text</v></c>`: what the loop below would do, without the events.
                        raw_value(v, style, typ, ctx, &mut value)?;
                    } else {
                        // The formula, when the cell has one (as calamine's
                        // `next_cell_with_formula` reads it: the last `<f>`).
                        let mut has_formula = false;
                        loop {
                            match x.next()? {
                                // The last value child wins, as in calamine.
                                Ev::Start(child) if child.local == "f" => {
                                    formula.clear();
                                    x.text(&mut formula)?;
                                    has_formula = true;
                                }
                                Ev::Start(child) => {
                                    cell_value(x, child, style, typ, ctx, text, &mut value)?
                                }
                                Ev::End(e) if e.local == "c" => break,
                                Ev::Eof => return None,
                                _ => {}
                            }
                        }
                        // No value: the result was never saved (a `str` formula's empty result
                        // is an empty text, not this).
                        if has_formula && value == Cell::Empty {
                            // A shared formula's other cells carry no text; calamine writes it
                            // out from the first cell, so those are left to it.
                            if formula.is_empty() {
                                return None;
                            }
                            value = Cell::Formula(own(formula.as_str()));
                        }
                    }
                    col = col.checked_add(1)?;
                    let empty = value.view_with(ctx.strings).is_empty();
                    let (r, c) = (r as usize, c as usize);
                    if let Err(e) = keep_cell_unless(ctx.sheet, cells, r, c, value, empty) {
                        return Some(Err(e));
                    }
                }
                "mergeCells" => return None,
                _ => {}
            },
            Ev::End(q) => match q.local {
                "row" => {
                    row = row.checked_add(1)?;
                    col = 0;
                }
                "sheetData" => break,
                _ => {}
            },
            Ev::Eof => return None,
            _ => {}
        }
    }

    merge_cells(x, merges)?;
    Some(Ok(true))
}

/// The merged ranges of the first `<mergeCells>` after `</sheetData>` (none when there is
/// none before the end of the part).
fn merge_cells(x: &mut Xml<'_>, merges: &mut Vec<Merge>) -> Option<()> {
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "mergeCells" => break,
            Ev::Eof => return Some(()),
            _ => {}
        }
    }
    loop {
        match x.next()? {
            Ev::Start(q) if q.local == "mergeCell" => {
                if let Some(r) = x.attr("ref") {
                    let ((r0, c0), (r1, c1)) = dimension(r)?;
                    merges.push(Merge {
                        r0: r0 as usize,
                        c0: c0 as usize,
                        r1: r1 as usize,
                        c1: c1 as usize,
                    });
                }
            }
            // calamine reads no further.
            Ev::End(q) if q.local == "mergeCells" => return Some(()),
            Ev::Eof => return None,
            _ => {}
        }
    }
}
