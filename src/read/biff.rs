//! Extent of the sheets of an .xls before calamine reads it.
//!
//! calamine builds each xls sheet as one dense rectangle from its first to its last cell
//! record, and reserves room for the rectangle a DIMENSIONS record claims, all sheets at once
//! when the workbook is opened. A cell record at a far position in a 7 KB file asks for
//! gigabytes (a fuzzed file reached 22 GB), and a DIMENSIONS record whose end is before its
//! start makes it reserve petabytes, which aborts the process. This pass reads the compound
//! file's `Workbook` stream and each cell record's position, and refuses what the limits
//! would refuse anyway, before anything is allocated for it. Anything it does not understand
//! is left to calamine, which reports broken files itself.

use super::{ReadError, MAX_CELLS, MAX_COLS, MAX_ROWS};
use crate::i18n::Msg;
use crate::model::cell_ref;
use crate::said;

/// The largest sheet BIFF8 can describe (65,536 rows × 256 columns).
const BIFF8_CELLS: u64 = 65_536 * 256;

pub(super) fn check(bytes: &[u8]) -> Result<(), ReadError> {
    match workbook_stream(bytes) {
        Ok(Some(stream)) => scan(&stream),
        // Not understood here: calamine reports it.
        Ok(None) => Ok(()),
        Err(why) => Err(ReadError::Damaged {
            part: said!(Msg::PartCompoundFile),
            why: said!(why),
        }),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// The sectors of a chain as calamine follows it: to END_OF_CHAIN, or until `len` bytes are
/// covered. calamine follows a loop until memory runs out and indexes the table with whatever
/// the chain says, so both are refused here. `Ok(None)`: the chain ends on a special value,
/// on which calamine stops with an error of its own.
fn follow(
    first: u32,
    table: &[u32],
    sector_size: usize,
    len: usize,
) -> Result<Option<Vec<u32>>, Msg> {
    let mut out = Vec::new();
    let mut n = first;
    while n != END_OF_CHAIN {
        if out.len().saturating_mul(sector_size) >= len {
            break;
        }
        if n >= 0xFFFF_FFFA {
            return Ok(None);
        }
        if out.len() >= table.len() {
            return Err(Msg::DamageChainLoops);
        }
        out.push(n);
        n = *table.get(n as usize).ok_or(Msg::DamageChainPast)?;
    }
    Ok(Some(out))
}

/// The `Workbook` (or BIFF5 `Book`) stream of a compound file, after checking every chain
/// calamine will follow (directory, mini stream, mini FAT, this stream).
fn workbook_stream(b: &[u8]) -> Result<Option<Vec<u8>>, Msg> {
    let Some(shift) = u16_at(b, 0x1E) else {
        return Ok(None);
    };
    if !(9..=12).contains(&shift) {
        return Ok(None);
    }
    let ss = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(ss)?;
        b.get(start..start.checked_add(ss)?)
    };
    let header = |at: usize| u32_at(b, at).ok_or(Msg::DamageHeaderShort);
    // The FAT, from the header's 109 DIFAT entries and the DIFAT sector chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(b, 0x4C + 4 * i))
        .filter(|&s| s < 0xFFFF_FFFA)
        .collect();
    let mut difat = header(0x44)?;
    let mut guard = 0;
    while difat < 0xFFFF_FFFA && guard <= b.len() / ss {
        let Some(s) = sector(difat) else {
            return Ok(None);
        };
        let per = ss / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .filter_map(|i| u32_at(s, 4 * i))
                .filter(|&x| x < 0xFFFF_FFFA),
        );
        difat = u32_at(s, 4 * per).unwrap_or(END_OF_CHAIN);
        guard += 1;
    }
    let mut fat = Vec::new();
    for &n in &fat_sectors {
        let Some(s) = sector(n) else {
            return Ok(None);
        };
        fat.extend((0..ss / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let read = |chain: &[u32]| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for &n in chain {
            out.extend_from_slice(sector(n)?);
        }
        Some(out)
    };
    let Some(dir_chain) = follow(header(0x30)?, &fat, ss, usize::MAX)? else {
        return Ok(None);
    };
    let Some(dir) = read(&dir_chain) else {
        return Ok(None);
    };
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let Some(root) = entries.first() else {
        return Ok(None);
    };
    let size_of = |e: &[u8]| u32_at(e, 120).unwrap_or(0) as usize;
    let start_of = |e: &[u8]| u32_at(e, 116).unwrap_or(END_OF_CHAIN);
    let name_of = |e: &[u8]| -> String {
        let len = (u16_at(e, 64).unwrap_or(0) as usize).min(64) / 2;
        let units: Vec<u16> = (0..len.saturating_sub(1))
            .filter_map(|i| u16_at(e, 2 * i))
            .collect();
        String::from_utf16_lossy(&units)
    };
    // The mini stream and mini FAT, read by calamine whenever the header lists a mini FAT.
    let mini_fat_sectors = header(0x40)? as usize;
    let mut mini = None;
    if mini_fat_sectors > 0 {
        let (Some(stream), Some(table)) = (
            follow(start_of(root), &fat, ss, size_of(root))?,
            follow(header(0x3C)?, &fat, ss, mini_fat_sectors.saturating_mul(ss))?,
        ) else {
            return Ok(None);
        };
        let (Some(stream), Some(table)) = (read(&stream), read(&table)) else {
            return Ok(None);
        };
        let table: Vec<u32> = (0..table.len() / 4)
            .filter_map(|i| u32_at(&table, 4 * i))
            .collect();
        mini = Some((stream, table));
    }
    let Some(entry) = entries
        .iter()
        .find(|e| e[66] == 2 && name_of(e).eq_ignore_ascii_case("Workbook"))
        .or_else(|| {
            entries
                .iter()
                .find(|e| e[66] == 2 && name_of(e).eq_ignore_ascii_case("Book"))
        })
    else {
        return Ok(None);
    };
    let size = size_of(entry);
    let mut data = if size < 4096 {
        // In the mini stream: 64-byte sectors inside the root entry's stream.
        let Some((stream, table)) = &mini else {
            return Ok(None);
        };
        let Some(chain) = follow(start_of(entry), table, 64, size)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for n in chain {
            let at = n as usize * 64;
            let Some(s) = stream.get(at..at + 64) else {
                return Ok(None);
            };
            out.extend_from_slice(s);
        }
        out
    } else {
        let Some(chain) = follow(start_of(entry), &fat, ss, size)? else {
            return Ok(None);
        };
        let Some(out) = read(&chain) else {
            return Ok(None);
        };
        out
    };
    data.truncate(size);
    Ok(Some(data))
}

/// Cell records and DIMENSIONS of every sheet substream.
fn scan(s: &[u8]) -> Result<(), ReadError> {
    let mut pos = 0usize;
    // BOUNDSHEET records name each sheet by the position of its BOF.
    let mut names: Vec<(u32, String)> = Vec::new();
    let mut sheet = String::new();
    // Per substream: the far corner of the cell records (exclusive).
    let (mut rows, mut cols) = (0usize, 0usize);
    let too_large = |sheet: &str, r: usize, c: usize| ReadError::TooLarge {
        sheet: sheet.to_string(),
        cell: cell_ref(r, c),
        rows: r + 1,
        cols: c + 1,
    };
    while let (Some(typ), Some(len)) = (u16_at(s, pos), u16_at(s, pos + 2)) {
        let Some(data) = s.get(pos + 4..pos + 4 + len as usize) else {
            return Ok(());
        };
        let record_at = pos;
        pos += 4 + len as usize;
        let at = |r: u16, c: u16| (r as usize, c as usize);
        let cell = match typ {
            // Encrypted from here on: calamine says so.
            0x002F => return Ok(()),
            0x0085 => {
                if let (Some(at), Some(&cch)) = (u32_at(data, 0), data.get(6)) {
                    names.push((at, sheet_name(data, cch as usize)));
                    // calamine reads every sheet when it opens the workbook.
                    super::check_sheet_count(names.len())?;
                }
                None
            }
            // BOF: a new substream.
            0x0809 => {
                sheet = names
                    .iter()
                    .find(|(at, _)| *at as usize == record_at)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| format!("at byte {record_at}"));
                (rows, cols) = (0, 0);
                None
            }
            0x0200 => {
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (
                        u16_at(data, 0).map(u32::from),
                        u16_at(data, 2).map(u32::from),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) else {
                    continue;
                };
                // As calamine reads it (a first column past 0xFF, or after the last, is 0).
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                // calamine subtracts start from end: an end before the start would wrap.
                let area = if rl >= 1 && cl >= 1 {
                    let r = (u64::from(rl) - 1).checked_sub(u64::from(rf));
                    let c = (u64::from(cl) - 1).checked_sub(u64::from(cf));
                    r.zip(c).map(|(r, c)| (r + 1) * (c + 1))
                } else {
                    Some(1)
                };
                match area {
                    Some(a) if a <= BIFF8_CELLS => None,
                    _ => {
                        return Err(ReadError::Damaged {
                            part: said!(Msg::PartSheet, sheet = sheet),
                            why: said!(Msg::DamageDimensions, rf = rf, rl = rl, cf = cf, cl = cl),
                        })
                    }
                }
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                u16_at(data, 0).zip(u16_at(data, 2)).map(|(r, c)| at(r, c))
            }
            // MULRK: row, first column, ..., last column.
            0x00BD if data.len() >= 6 => u16_at(data, 0)
                .zip(u16_at(data, data.len() - 2))
                .map(|(r, c)| at(r, c)),
            _ => None,
        };
        if let Some((r, c)) = cell {
            if r >= MAX_ROWS || c >= MAX_COLS {
                return Err(too_large(&sheet, r, c));
            }
            rows = rows.max(r + 1);
            cols = cols.max(c + 1);
            if rows * cols > MAX_CELLS {
                return Err(too_large(&sheet, rows - 1, cols - 1));
            }
        }
    }
    Ok(())
}

/// A BOUNDSHEET name (BIFF8 ShortXLUnicodeString at byte 6; BIFF5: bytes), for messages.
fn sheet_name(data: &[u8], cch: usize) -> String {
    match data.get(7) {
        Some(&1) if data.len() >= 8 + 2 * cch => {
            let units: Vec<u16> = (0..cch).filter_map(|i| u16_at(data, 8 + 2 * i)).collect();
            String::from_utf16_lossy(&units)
        }
        Some(&0) if data.len() >= 8 + cch => data[8..8 + cch].iter().map(|&b| b as char).collect(),
        _ => String::from_utf8_lossy(data.get(7..7 + cch).unwrap_or_default()).into_owned(),
    }
}
