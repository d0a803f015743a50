//! The zip package: finding a part as calamine would (ASCII-case-insensitive names, `\` read
//! as `/`, an ambiguous name refused) and inflating it straight from the archive bytes with one
//! reused inflater, checking its size and CRC. Kept apart so the XML modules above see only
//! byte slices, and a damaged part is reported once, here.

use crate::i18n::Msg;
use crate::read::archive::Zip;
use crate::read::ReadError;
use flate2::{Decompress, FlushDecompress, Status};
use zip::CompressionMethod;

/// A part larger than this is left to calamine, which streams it instead of inflating it whole.
const MAX_PART: u64 = 64 << 20;

/// Where the rels put a part that calamine reads at a fixed path.
pub(super) enum RelTarget {
    None,
    One(String),
    Several,
}

/// One workbook's archive, read in place; the first damaged part found is kept for the
/// caller to report.
pub(super) struct Package<'a> {
    bytes: &'a [u8],
    zip: Zip<'a>,
    /// Every raw entry name is UTF-8, so it is its own decoded name.
    utf8: bool,
    /// A part inflated here did not match its CRC or declared size.
    pub(super) damage: Option<ReadError>,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8], zip: Zip<'a>) -> Option<Package<'a>> {
        let utf8 = zip.file_names_raw().all(|n| std::str::from_utf8(n).is_ok());
        // calamine indexes every entry name first and fails on one it cannot decode.
        if !utf8 && zip.file_names().any(|n| n.is_err()) {
            return None;
        }
        Some(Package {
            bytes,
            zip,
            utf8,
            damage: None,
        })
    }

    /// The entry calamine would open for `path`: names compared ASCII-case-insensitively with
    /// `\` read as `/`. `Some(None)` = absent; `None` = ambiguous.
    fn find(&self, path: &str) -> Option<Option<usize>> {
        if path.contains('\\') {
            return None;
        }
        let mut found = None;
        let mut see = |i: usize, name: &[u8]| {
            let same = name.len() == path.len()
                && name.iter().zip(path.bytes()).all(|(&a, b)| {
                    let a = if a == b'\\' { b'/' } else { a };
                    a.eq_ignore_ascii_case(&b)
                });
            match (same, found) {
                (true, Some(_)) => None,
                (true, None) => {
                    found = Some(i);
                    Some(())
                }
                (false, _) => Some(()),
            }
        };
        if self.utf8 {
            for (i, name) in self.zip.file_names_raw().enumerate() {
                see(i, name)?;
            }
        } else {
            for (i, name) in self.zip.file_names().enumerate() {
                see(i, name.ok()?.as_bytes())?;
            }
        }
        Some(found)
    }

    /// Inflates `path` into `out`; `Some(false)` when there is no such part.
    pub(super) fn read(
        &mut self,
        path: &str,
        out: &mut Vec<u8>,
        d: &mut Decompress,
    ) -> Option<bool> {
        match self.find(path)? {
            Some(i) => self.inflate(i, out, d).map(|()| true),
            None => Some(false),
        }
    }

    /// Like `read` into a memo, but a missing part is refused. `Some(true)` = newly inflated.
    pub(super) fn read_memo(
        &mut self,
        path: &str,
        memo: &mut Memo,
        d: &mut Decompress,
    ) -> Option<bool> {
        let i = self.find(path)??;
        self.inflate_memo(i, memo, d)
    }

    /// The part calamine reads at a fixed path, when the rels name the same part (or there is
    /// neither). `Some(None)` = no such part.
    pub(super) fn agreed(&self, (fixed, target): &(String, RelTarget)) -> Option<Option<usize>> {
        let at_fixed = self.find(fixed)?;
        let agree = match target {
            RelTarget::None => at_fixed.is_none(),
            RelTarget::One(path) => self.find(path)? == at_fixed,
            RelTarget::Several => false,
        };
        agree.then_some(at_fixed)
    }

    /// Records that the entry's content does not match its record, and gives `None`.
    fn damaged(&mut self, index: usize, why: Msg) -> Option<()> {
        let part = match self.zip.name_for_index(index) {
            Some(Ok(name)) => name.into_owned(),
            _ => format!("entry {index}"),
        };
        self.damage = Some(ReadError::Damaged {
            part: part.into(),
            why: crate::said!(why),
        });
        None
    }

    fn entry(&mut self, index: usize) -> Option<Entry<'a>> {
        let f = self.zip.by_index_raw(index).ok()?;
        if f.encrypted() || f.size() > MAX_PART {
            return None;
        }
        let start = usize::try_from(f.data_start()?).ok()?;
        let packed = usize::try_from(f.compressed_size()).ok()?;
        Some(Entry {
            deflated: match f.compression() {
                CompressionMethod::Stored => false,
                CompressionMethod::Deflated => true,
                _ => return None,
            },
            crc: f.crc32(),
            size: usize::try_from(f.size()).ok()?,
            stored: self.bytes.get(start..start.checked_add(packed)?)?,
        })
    }

    pub(super) fn inflate(
        &mut self,
        index: usize,
        out: &mut Vec<u8>,
        d: &mut Decompress,
    ) -> Option<()> {
        match self.entry(index)?.inflate(out, d) {
            Ok(()) => Some(()),
            Err(why) => self.damaged(index, why),
        }
    }

    /// Reuses the memo when the entry's stored bytes, method, size and CRC are the ones it was
    /// inflated (and checked) from. `Some(true)` = newly inflated.
    pub(super) fn inflate_memo(
        &mut self,
        index: usize,
        memo: &mut Memo,
        d: &mut Decompress,
    ) -> Option<bool> {
        let e = self.entry(index)?;
        let key = (e.deflated, e.crc, e.size);
        if memo.key == Some(key) && memo.stored == e.stored {
            return Some(false);
        }
        memo.key = None;
        if let Err(why) = e.inflate(&mut memo.data, d) {
            return self.damaged(index, why).map(|()| false);
        }
        memo.stored.clear();
        memo.stored.extend_from_slice(e.stored);
        memo.key = Some(key);
        Some(true)
    }
}

/// An archive entry's stored bytes and what its central directory record says of them.
struct Entry<'a> {
    deflated: bool,
    crc: u32,
    size: usize,
    stored: &'a [u8],
}

impl Entry<'_> {
    /// Inflates straight from the archive bytes with a reused inflater, checking size and
    /// CRC. The output never grows past the declared size (already within the limits), so a
    /// part that would inflate further is stopped there. `Err` says how the part is damaged.
    fn inflate(&self, out: &mut Vec<u8>, d: &mut Decompress) -> Result<(), Msg> {
        out.clear();
        if self.deflated {
            out.reserve_exact(self.size);
            d.reset(false);
            // decompress_vec writes into the spare capacity only (at least the declared size).
            let room = out.capacity();
            match d.decompress_vec(self.stored, out, FlushDecompress::Finish) {
                Ok(Status::StreamEnd) if out.len() == self.size => {}
                Ok(Status::StreamEnd) if out.len() < self.size => {
                    return Err(Msg::DamageInflatesFewer)
                }
                Ok(Status::StreamEnd) => return Err(Msg::DamageInflatesMore),
                Ok(_) if out.len() == room => return Err(Msg::DamageInflatesMore),
                _ => return Err(Msg::DamageCompressed),
            }
        } else if self.stored.len() == self.size {
            out.extend_from_slice(self.stored);
        } else {
            return Err(Msg::DamageStoredSize);
        }
        if crc32fast::hash(out) == self.crc {
            Ok(())
        } else {
            Err(Msg::DamageChecksum)
        }
    }
}

/// A part inflated earlier, with the stored bytes and record it came from (`key` is `None`
/// while `data` is not a checked inflation of `stored`).
#[derive(Default)]
pub(super) struct Memo {
    pub(super) data: Vec<u8>,
    pub(super) stored: Vec<u8>,
    key: Option<(bool, u32, usize)>,
}
