//! Integrity and size checks of zip archives (xlsx, xlsb, ods) before a reader trusts them.
//!
//! A zip entry carries a CRC-32 of its content and its inflated size. The zip crate checks the
//! CRC only when an entry is read to its very end, and calamine stops reading a part at the
//! closing tag it looks for, so a changed figure in a stored part would pass. The one-pass
//! xlsx reader checks each part it inflates itself; before the calamine path, `verify` inflates
//! every entry once into a small buffer, checking its CRC, while the zip crate refuses output
//! past the declared size (a declared size can lie, so both are counted).

use super::{ReadError, MAX_INFLATED_BYTES, MAX_PARTS, MAX_PART_BYTES, MAX_SHARED_STRINGS};
use crate::i18n::{Msg, Text};
use crate::said;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// An archive read in place.
pub(super) type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// What the central directory declares: number of parts, and each part's and the total
/// inflated size, against the limits. An archive the zip crate cannot open passes here: the
/// reader then reports it as unreadable.
pub(super) fn check_declared(bytes: &[u8]) -> Result<(), ReadError> {
    match open(bytes) {
        Some(mut zip) => check_declared_in(&mut zip),
        None => Ok(()),
    }
}

/// The archive of `bytes`, read in place; None when the zip crate cannot open it.
pub(super) fn open(bytes: &[u8]) -> Option<Zip<'_>> {
    ZipArchive::new(Cursor::new(bytes)).ok()
}

/// `check_declared` of an archive already opened (the xlsx reader opens it once for both).
pub(super) fn check_declared_in(zip: &mut Zip<'_>) -> Result<(), ReadError> {
    if zip.len() > MAX_PARTS {
        return Err(ReadError::OverLimit {
            sheet: None,
            what: said!(Msg::ReadPartsOver, n = zip.len()),
            limit: said!(Msg::ReadPartsLimit, max = MAX_PARTS),
        });
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else {
            continue;
        };
        let size = f.size();
        if size > MAX_PART_BYTES {
            let name = f
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| format!("entry {i}"));
            return Err(ReadError::OverLimit {
                sheet: None,
                what: said!(Msg::ReadPartDeclares, name = name, size = size),
                limit: said!(Msg::ReadPartBytesLimit, max = MAX_PART_BYTES),
            });
        }
        total = total.saturating_add(size);
        if total > MAX_INFLATED_BYTES {
            return Err(ReadError::OverLimit {
                sheet: None,
                what: said!(Msg::ReadInflatedOver, total = total),
                limit: said!(Msg::ReadInflatedLimit, max = MAX_INFLATED_BYTES),
            });
        }
    }
    Ok(())
}

/// Inflates every entry once (after `check_declared`), refusing one whose CRC or size does not
/// match what the archive says, and an xlsx shared strings part holding more strings than
/// `MAX_SHARED_STRINGS` (calamine keeps each in its own `String`). Memory stays at one small
/// buffer.
pub(super) fn verify(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let name = match zip.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => format!("entry {i}"),
        };
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            // Encrypted or of an unknown method: the reader says what it cannot read.
            Err(_) => continue,
        };
        if f.is_dir() {
            continue;
        }
        let declared = f.size();
        let mut read = 0u64;
        let mut strings = name
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml")
            .then(StringCount::default);
        loop {
            match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    read += n as u64;
                    if let Some(count) = &mut strings {
                        count.add(&buf[..n]);
                        if count.n > MAX_SHARED_STRINGS {
                            return Err(ReadError::OverLimit {
                                sheet: None,
                                what: said!(
                                    Msg::ReadSharedStringsOver,
                                    name = name,
                                    max = MAX_SHARED_STRINGS
                                ),
                                limit: said!(Msg::ReadSharedStringsLimit, max = MAX_SHARED_STRINGS),
                            });
                        }
                    }
                }
                Err(e) => return Err(damage(&name, &e)),
            }
        }
        if read != declared {
            return Err(ReadError::Damaged {
                part: name.into(),
                why: said!(Msg::DamageInflatesTo, read = read, declared = declared),
            });
        }
    }
    Ok(())
}

/// Counts `<si>` elements (`<si>`, `<si/>`, `<si ...>`, or with a prefix `<x:si>`) in a
/// stream of chunks; an overcount is harmless far below the limit.
#[derive(Default)]
struct StringCount {
    n: usize,
    /// The last bytes of the previous chunk, for a tag split between two.
    carry: Vec<u8>,
}

impl StringCount {
    fn add(&mut self, chunk: &[u8]) {
        let mut win = std::mem::take(&mut self.carry);
        win.extend_from_slice(chunk);
        self.n += win
            .windows(4)
            .filter(|w| {
                matches!(w[0], b'<' | b':')
                    && &w[1..3] == b"si"
                    && matches!(w[3], b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
            })
            .count();
        self.carry = win[win.len().saturating_sub(3)..].to_vec();
    }
}

/// Names what the zip crate found; its own words only when it is none of those.
fn damage(part: &str, err: &std::io::Error) -> ReadError {
    let words = err.to_string();
    let why = if words.contains("checksum") {
        said!(Msg::DamageChecksum)
    } else if words.contains("larger than its declared") {
        said!(Msg::DamageInflatesLarger)
    } else {
        said!(Msg::DamageCompressedBecause, why = words)
    };
    ReadError::Damaged {
        part: Text::from(part),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn shared_strings_are_counted_across_chunks() {
        let mut c = StringCount::default();
        for chunk in ["<sst><si><t>a</t></si><x:s", "i/><s", "i ><si", ">"] {
            c.add(chunk.as_bytes());
        }
        assert_eq!(c.n, 4);
    }

    #[test]
    fn a_changed_byte_in_a_stored_part_is_found() {
        let mut bytes = zip_of(&[("a.xml", b"<v>1234</v>")], zip::CompressionMethod::Stored);
        assert_eq!(verify(&bytes), Ok(()));
        let at = bytes.windows(4).position(|w| w == b"1234").unwrap();
        bytes[at] = b'9';
        assert_eq!(
            verify(&bytes).unwrap_err().to_string(),
            "the file is damaged (zip checksum mismatch in a.xml); ask the member to send it again"
        );
        assert_eq!(
            verify(&bytes)
                .unwrap_err()
                .text()
                .in_lang(crate::i18n::Lang::Zh),
            "文件已损坏（a.xml：校验值（CRC-32）不符：内容在保存后被改动，或在传输中损坏）；\
             请成员单位用 Excel 重新保存后再报送"
        );
    }

    /// Sets an entry's declared inflated size in its local and central headers.
    fn declare(bytes: &mut [u8], size: u32) {
        for (sig, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let i = bytes.windows(4).position(|w| w == sig).unwrap();
            bytes[i + at..i + at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }

    #[test]
    fn declared_sizes_over_the_limits_are_refused_before_inflating() {
        let mut bytes = zip_of(&[("big.xml", b"<a/>")], zip::CompressionMethod::Deflated);
        declare(&mut bytes, MAX_PART_BYTES as u32 + 1);
        let zh = check_declared(&bytes)
            .unwrap_err()
            .text()
            .in_lang(crate::i18n::Lang::Zh);
        assert!(
            zh.starts_with(&format!(
                "压缩部件 big.xml 声明解压后有 {} 字节，超过上限（每个部件解压后 {MAX_PART_BYTES} 字节）",
                MAX_PART_BYTES + 1
            )),
            "{zh}"
        );
        let err = check_declared(&bytes).unwrap_err().to_string();
        assert!(
            err.contains("big.xml")
                && err.contains(&format!("{MAX_PART_BYTES} inflated bytes per part")),
            "{err}"
        );
        // Within the limit but a lie: found while inflating.
        declare(&mut bytes, 2);
        assert_eq!(check_declared(&bytes), Ok(()));
        let err = verify(&bytes).unwrap_err().to_string();
        assert!(
            err.contains("more than the size the archive declares in big.xml"),
            "{err}"
        );
    }
}
