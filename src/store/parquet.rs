//! Writes the store's Parquet files from Arrow arrays built here, through polars' own Arrow
//! and Parquet crates.
//!
//! Why not a DataFrame and polars' `ParquetWriter`: that writer dictionary-encodes each
//! text column by hashing every row again, and building the frame copies every text into
//! every row. Here each text column is built as a dictionary from the start (a submission's
//! file name, a sheet's member, a row's item are looked up once per run of equal values),
//! and the dictionary goes to the file as it is. The file is the same to a reader: the
//! Arrow schema says String (Utf8View), the pages are dictionary-encoded, zstd-compressed,
//! with min/max statistics, as polars writes them.

use crate::i18n::{Msg, SaidContext};
use crate::model::Fast;
use crate::said;
use anyhow::Result;
use polars::prelude::PlSmallStr;
use polars_arrow::array::{
    Array, DictionaryArray, MutableBinaryViewArray, PrimitiveArray, Utf8ViewArray,
};
use polars_arrow::bitmap::MutableBitmap;
use polars_arrow::datatypes::{ArrowDataType, ArrowSchema, Field, IntegerType};
use polars_parquet::write::{
    array_to_columns, compress, fallible_streaming_iterator, to_parquet_schema, CompressedPage,
    CompressionOptions, DynIter, DynStreamingIterator, Encoding, FileWriter, StatisticsOptions,
    Version, WriteOptions,
};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

/// Rows per row group, at least (a row group holds whole submissions): polars' default.
const ROW_GROUP_ROWS: usize = 512 * 512;

/// One column of a row group, ready to encode.
pub(super) struct Column {
    array: Box<dyn Array>,
    encoding: Encoding,
}

impl Column {
    pub fn int64(values: Vec<i64>) -> Column {
        Column {
            array: PrimitiveArray::from_vec(values).boxed(),
            encoding: Encoding::RleDictionary,
        }
    }

    pub fn float64(values: Vec<Option<f64>>) -> Column {
        Column {
            array: PrimitiveArray::from(values).boxed(),
            encoding: Encoding::Plain,
        }
    }
}

/// The Arrow type of a documented column type (`String`, `Int64`, `Float64`, `?` = nullable).
pub(super) fn arrow_type(ty: &str) -> ArrowDataType {
    match ty.trim_end_matches('?') {
        "Int64" => ArrowDataType::Int64,
        "Float64" => ArrowDataType::Float64,
        _ => ArrowDataType::Utf8View,
    }
}

/// A text column built as a dictionary: distinct texts once, and a key per row.
pub(super) struct Dict<'a> {
    keys: Vec<u32>,
    validity: Option<MutableBitmap>,
    /// Distinct texts: a static prefix (`total:`, `unmapped:`, mostly none) and a text.
    values: Vec<(&'static str, &'a str)>,
    index: HashMap<&'a str, u32, Fast>,
    /// Texts with a prefix, kept apart so that the common lookup hashes a plain text.
    prefixed: HashMap<(&'static str, &'a str), u32, Fast>,
    /// The last few texts looked up, compared by address: rows share their submission's texts
    /// (one allocation for a member, an item's rows, a static `basis`), so most rows stop
    /// here without hashing; a text of its own (a cell, a raw figure) is hashed (comparing
    /// it with the last text first cost more than it saved).
    recent: [Option<(&'a str, u32)>; RECENT],
    next: usize,
    /// Of the texts found by their text: for each key, the key found after it last time,
    /// and the last key found. Forms of one template give their cells in the same order,
    /// file after file: a cell's text is its predecessor's follower, checked, not hashed.
    follow: Vec<u32>,
    found: Option<u32>,
}

const RECENT: usize = 4;
const NO_KEY: u32 = u32::MAX;

impl<'a> Dict<'a> {
    pub fn with_capacity(rows: usize) -> Dict<'a> {
        Dict {
            keys: Vec::with_capacity(rows),
            validity: None,
            values: Vec::new(),
            index: HashMap::default(),
            prefixed: HashMap::default(),
            recent: [None; RECENT],
            next: 0,
            follow: Vec::new(),
            found: None,
        }
    }

    fn key_of(&mut self, v: &'a str) -> u32 {
        if let Some((_, k)) = self
            .recent
            .iter()
            .flatten()
            .find(|(l, _)| std::ptr::eq(*l, v))
        {
            return *k;
        }
        let guess = self
            .found
            .and_then(|f| self.follow.get(f as usize).copied())
            .filter(|&g| {
                g != NO_KEY && {
                    let (prefix, text) = self.values[g as usize];
                    prefix.is_empty() && text == v
                }
            });
        let k = match guess {
            Some(g) => g,
            None => {
                let values = &mut self.values;
                let k = *self.index.entry(v).or_insert_with(|| {
                    values.push(("", v));
                    (values.len() - 1) as u32
                });
                if let Some(f) = self.found {
                    if self.follow.len() <= f as usize {
                        self.follow.resize(f as usize + 1, NO_KEY);
                    }
                    self.follow[f as usize] = k;
                }
                k
            }
        };
        self.found = Some(k);
        self.recent[self.next] = Some((v, k));
        self.next = (self.next + 1) % RECENT;
        k
    }

    fn key_of_parts(&mut self, (prefix, text): (&'static str, &'a str)) -> u32 {
        if prefix.is_empty() {
            return self.key_of(text);
        }
        let values = &mut self.values;
        *self.prefixed.entry((prefix, text)).or_insert_with(|| {
            values.push((prefix, text));
            (values.len() - 1) as u32
        })
    }

    /// `n` rows holding `prefix` followed by `text`, without making that text.
    pub fn push_parts_n(&mut self, parts: (&'static str, &'a str), n: usize) {
        let k = self.key_of_parts(parts);
        self.push_key(k, n);
    }

    /// `n` rows holding `v` (None: null).
    pub fn push_n(&mut self, v: Option<&'a str>, n: usize) {
        match v {
            Some(v) => {
                let k = self.key_of(v);
                self.push_key(k, n);
            }
            None => {
                self.validity_from_here().extend_constant(n, false);
                self.keys.extend(std::iter::repeat_n(0, n));
            }
        }
    }

    fn push_key(&mut self, k: u32, n: usize) {
        self.keys.extend(std::iter::repeat_n(k, n));
        if let Some(b) = &mut self.validity {
            b.extend_constant(n, true);
        }
    }

    pub fn push(&mut self, v: &'a str) {
        self.push_n(Some(v), 1)
    }

    /// The validity bitmap, created (all valid so far) on the first null.
    fn validity_from_here(&mut self) -> &mut MutableBitmap {
        let (len, capacity) = (self.keys.len(), self.keys.capacity());
        self.validity.get_or_insert_with(|| {
            let mut b = MutableBitmap::with_capacity(capacity);
            b.extend_constant(len, true);
            b
        })
    }

    /// Appends the rows of `other`, built from the following rows on another thread.
    pub fn append(&mut self, other: Dict<'a>) {
        let remap: Vec<u32> = other.values.iter().map(|v| self.key_of_parts(*v)).collect();
        match &other.validity {
            Some(theirs) => {
                let mine = self.validity_from_here();
                mine.extend_from_slice(theirs.as_slice(), 0, theirs.len());
            }
            None => {
                if let Some(mine) = &mut self.validity {
                    mine.extend_constant(other.keys.len(), true);
                }
            }
        }
        // A null's key is 0 whatever it maps to: only the keys of valid rows are read.
        let remapped = other
            .keys
            .iter()
            .map(|&k| remap.get(k as usize).copied().unwrap_or(0));
        self.keys.extend(remapped);
    }

    pub fn finish(self) -> Result<Column> {
        let Dict {
            keys,
            validity,
            values,
            ..
        } = self;
        let validity = validity.map(|b| b.freeze());
        let texts: Vec<Cow<str>> = values
            .iter()
            .map(|(p, t)| match p.is_empty() {
                true => Cow::Borrowed(*t),
                false => Cow::Owned(format!("{p}{t}")),
            })
            .collect();
        // Nearly all distinct (the raw text of each figure): a dictionary only adds size,
        // so the texts are written plainly, as polars does past the same threshold.
        if keys.len() > 128 && values.len() * 4 > keys.len() * 3 {
            let plain = MutableBinaryViewArray::<str>::from_iterator(keys.iter().enumerate().map(
                |(i, &k)| {
                    let valid = validity.as_ref().is_none_or(|b| b.get_bit(i));
                    valid.then(|| texts[k as usize].as_ref())
                },
            ));
            let plain: Utf8ViewArray = plain.into();
            return Ok(Column {
                array: plain.boxed(),
                encoding: Encoding::Plain,
            });
        }
        // A column of nulls still needs one value for its keys to point at.
        let texts: Utf8ViewArray = if texts.is_empty() {
            MutableBinaryViewArray::<str>::from_values_iter([""].into_iter()).into()
        } else {
            MutableBinaryViewArray::<str>::from_values_iter(texts.iter()).into()
        };
        let keys = PrimitiveArray::new(ArrowDataType::UInt32, keys.into(), validity);
        let dtype = ArrowDataType::Dictionary(
            IntegerType::UInt32,
            Box::new(ArrowDataType::Utf8View),
            false,
        );
        let array = DictionaryArray::try_new(dtype, keys, texts.boxed())?;
        Ok(Column {
            array: array.boxed(),
            encoding: Encoding::RleDictionary,
        })
    }
}

/// The options polars' `ParquetWriter` uses by default, with zstd.
fn options() -> WriteOptions {
    WriteOptions {
        statistics: StatisticsOptions::default(),
        version: Version::V1,
        compression: CompressionOptions::Zstd(None),
        data_page_size: None,
    }
}

/// Splits pieces (`sizes` rows each, of `periods`, in period order) into row groups of
/// whole pieces: a new group at each period, and once a group holds ROW_GROUP_ROWS rows.
pub(super) fn row_groups(sizes: &[usize], periods: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sizes.len() {
        if i == sizes.len() || periods.get(i) != periods.get(start) {
            out.extend(
                runs_of_rows(&sizes[start..i], ROW_GROUP_ROWS)
                    .into_iter()
                    .map(|r| r.start + start..r.end + start),
            );
            start = i;
        }
    }
    if out.is_empty() {
        out.push(0..sizes.len());
    }
    out
}

/// Splits `sizes` (rows per submission) into runs of whole submissions, each closed once it
/// holds `rows` rows or more.
pub(super) fn runs_of_rows(sizes: &[usize], rows: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut held) = (0, 0);
    for (i, n) in sizes.iter().enumerate() {
        held += n;
        if held >= rows {
            out.push(start..i + 1);
            (start, held) = (i + 1, 0);
        }
    }
    if start < sizes.len() || out.is_empty() {
        out.push(start..sizes.len());
    }
    out
}

/// Writes row groups (each a column per entry of `columns`, in order) as one Parquet file.
pub(super) fn write<W: Write>(
    out: W,
    columns: &[(&str, &str, &str)],
    groups: Vec<Vec<Column>>,
) -> Result<()> {
    let schema: ArrowSchema = columns
        .iter()
        // Nullable throughout, as polars writes a frame's columns.
        .map(|(name, ty, _)| Field::new(PlSmallStr::from_str(name), arrow_type(ty), true))
        .collect();
    let parquet_schema = to_parquet_schema(&schema)?;
    let options = options();
    let fields = parquet_schema.fields().to_vec();
    let mut writer = FileWriter::new_with_parquet_schema(out, schema, parquet_schema, options);
    for group in groups {
        // Columns are encoded and compressed in parallel, then written in order.
        let pages = group
            .into_par_iter()
            .zip(fields.par_iter())
            .map(|(c, ty)| -> Result<Vec<CompressedPage>> {
                let mut pages = Vec::new();
                for leaf in array_to_columns(&c.array, ty.clone(), options, &[c.encoding])? {
                    for page in leaf {
                        pages.push(compress(page?, vec![], options.compression)?);
                    }
                }
                Ok(pages)
            })
            .collect::<Result<Vec<_>>>()?;
        let row_group = DynIter::new(pages.iter().map(|col| {
            Ok(DynStreamingIterator::new(
                fallible_streaming_iterator::convert(col.iter().map(Ok)),
            ))
        }));
        writer
            .write(row_group)
            .said(|| said!(Msg::StoreCannotWriteParquet))?;
    }
    writer
        .end(None)
        .said(|| said!(Msg::StoreCannotWriteParquet))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{AnyValue, DataType, ParquetReader, SerReader};

    const COLS: &[(&str, &str, &str)] = &[
        ("n", "Int64", ""),
        ("runs", "String", ""),
        ("maybe", "String?", ""),
        ("never", "String?", ""),
        ("distinct", "String", ""),
        ("x", "Float64?", ""),
    ];

    /// Rows `from..to` of a table whose every column is known without the writer.
    fn group(from: usize, to: usize) -> (Vec<Column>, Vec<String>) {
        let names: Vec<String> = (from..to).map(|i| format!("第{i}行")).collect();
        let mut runs = Dict::with_capacity(0);
        let mut maybe = Dict::with_capacity(0);
        let mut never = Dict::with_capacity(0);
        let mut distinct = Dict::with_capacity(0);
        for (i, name) in (from..to).zip(&names) {
            runs.push_n(Some(["甲", "乙", "甲"][i % 3]), 1);
            maybe.push_n((i % 4 != 0).then_some(["a", "b"][i % 2]), 1);
            never.push_n(None, 1);
            distinct.push(name);
        }
        let cols = vec![
            Column::int64((from..to).map(|i| i as i64).collect()),
            runs.finish().unwrap(),
            maybe.finish().unwrap(),
            never.finish().unwrap(),
            distinct.finish().unwrap(),
            Column::float64(
                (from..to)
                    .map(|i| (i % 5 != 0).then_some(i as f64 / 2.0))
                    .collect(),
            ),
        ];
        (cols, names)
    }

    #[test]
    fn dictionaries_plain_texts_and_nulls_read_back_as_written() {
        let (a, _) = group(0, 300);
        let (b, _) = group(300, 310);
        // Dictionaries for repeated texts, plain for the nearly-distinct column.
        assert_eq!(a[1].encoding, Encoding::RleDictionary);
        assert_eq!(a[4].encoding, Encoding::Plain);
        // Ten rows are too few to fall back to plain.
        assert_eq!(b[4].encoding, Encoding::RleDictionary);
        let mut bytes = Vec::new();
        write(&mut bytes, COLS, vec![a, b]).unwrap();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.height(), 310);
        let dtypes: Vec<DataType> = df.dtypes();
        use DataType::*;
        assert_eq!(dtypes, vec![Int64, String, String, String, String, Float64]);
        for i in [0usize, 1, 2, 3, 4, 5, 299, 300, 304, 309] {
            let row = df.get_row(i).unwrap().0;
            let text = |c: usize| match &row[c] {
                AnyValue::String(s) => Some(s.to_string()),
                AnyValue::StringOwned(s) => Some(s.to_string()),
                AnyValue::Null => None,
                other => panic!("column {c}: {other:?}"),
            };
            assert_eq!(row[0], AnyValue::Int64(i as i64));
            assert_eq!(text(1).as_deref(), Some(["甲", "乙", "甲"][i % 3]));
            let maybe = (i % 4 != 0).then(|| ["a", "b"][i % 2].to_string());
            assert_eq!(text(2), maybe, "row {i}");
            assert_eq!(text(3), None);
            assert_eq!(text(4), Some(format!("第{i}行")));
            let x = if i % 5 == 0 {
                AnyValue::Null
            } else {
                AnyValue::Float64(i as f64 / 2.0)
            };
            assert_eq!(row[5], x, "row {i}");
        }
    }

    impl Dict<'_> {
        /// Each row's text, as a reader would see it.
        fn rows(&self) -> Vec<Option<String>> {
            (0..self.keys.len())
                .map(|i| {
                    let valid = self.validity.as_ref().is_none_or(|b| b.get(i));
                    let (p, t) = self.values[self.keys[i] as usize];
                    valid.then(|| format!("{p}{t}"))
                })
                .collect()
        }
    }

    #[test]
    fn dictionaries_find_shared_texts_and_copies_alike() {
        // Texts shared by rows (one allocation each, as a submission's rows share them),
        // copies of equal texts (each its own allocation) in a repeating order, as the cells
        // of forms of one template, and more distinct texts in turn than the dictionary
        // remembers by address.
        let copies: Vec<String> = (0..40).map(|i| format!("第{}项", i % 7)).collect();
        let shared = ["month", "prior_year", "ytd", "prior_ytd", "甲", "乙"];
        let mut d = Dict::with_capacity(0);
        let mut want = Vec::new();
        for (i, c) in copies.iter().enumerate() {
            let s = shared[i % shared.len()];
            d.push(s);
            d.push(c);
            d.push(c);
            want.extend([Some(s.to_string()), Some(c.clone()), Some(c.clone())]);
        }
        // The copies again, in another order: what followed a text last time does not now.
        for c in copies.iter().rev() {
            d.push(c);
            want.push(Some(c.clone()));
        }
        assert_eq!(d.rows(), want);
        // Each distinct text once.
        assert_eq!(d.values.len(), shared.len() + 7);
    }

    #[test]
    fn dictionaries_built_in_parts_and_appended_hold_every_row() {
        // (prefix, text, null?) rows: runs, repeats, prefixed texts and nulls in places.
        let rows: Vec<(&'static str, &str, bool)> = vec![
            ("", "甲", false),
            ("", "甲", false),
            ("total:", "甲", false),
            ("", "乙", true),
            ("unmapped:", "丙", false),
            ("", "乙", false),
            ("", "甲", true),
            ("total:", "甲", false),
            ("", "丁", false),
        ];
        let expected: Vec<Option<String>> = vec![
            Some("甲".into()),
            Some("甲".into()),
            Some("total:甲".into()),
            None,
            Some("unmapped:丙".into()),
            Some("乙".into()),
            None,
            Some("total:甲".into()),
            Some("丁".into()),
        ];
        let build = |rows: &[(&'static str, &'static str, bool)]| {
            let mut d = Dict::with_capacity(rows.len());
            for &(p, t, null) in rows {
                match (null, p) {
                    (true, _) => d.push_n(None, 1),
                    (false, "") => d.push_n(Some(t), 1),
                    (false, p) => d.push_parts_n((p, t), 1),
                }
            }
            d
        };
        for cut in 0..=rows.len() {
            for second_cut in cut..=rows.len() {
                let mut d = build(&rows[..cut]);
                d.append(build(&rows[cut..second_cut]));
                d.append(build(&rows[second_cut..]));
                assert_eq!(d.rows(), expected, "parts cut at {cut} and {second_cut}");
                // Each distinct text once.
                assert_eq!(d.values.len(), 5, "parts cut at {cut} and {second_cut}");
            }
        }
    }

    #[test]
    fn a_row_group_of_no_rows_is_a_readable_empty_table() {
        let (empty, _) = group(0, 0);
        let mut bytes = Vec::new();
        write(&mut bytes, COLS, vec![empty]).unwrap();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!((df.height(), df.width()), (0, COLS.len()));
    }

    #[test]
    fn row_groups_hold_whole_pieces_of_one_period() {
        let big = ROW_GROUP_ROWS / 2;
        let one = |n: usize| vec!["2024-01"; n];
        assert_eq!(row_groups(&[3, 4], &one(2)), vec![0..2]);
        assert_eq!(row_groups(&[big, big, 1, 1], &one(4)), vec![0..2, 2..4]);
        assert_eq!(row_groups(&[big, big], &one(2)), vec![0..2]);
        assert_eq!(
            row_groups(&[ROW_GROUP_ROWS * 2, 5], &one(2)),
            vec![0..1, 1..2]
        );
        // A new row group at each period, however small.
        let p = ["2024-01", "2024-01", "2024-02", "2024-03", "2024-03"];
        assert_eq!(row_groups(&[3, 4, 5, 6, 7], &p), vec![0..2, 2..3, 3..5]);
        assert_eq!(row_groups(&[big, big, 1, 2, 3], &p), vec![0..2, 2..3, 3..5]);
        assert_eq!(row_groups(&[], &[]), vec![0..0]);
    }
}
