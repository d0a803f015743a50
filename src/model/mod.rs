//! The vocabulary every stage shares: periods, tiers, severities, numbers as text, cell
//! references. The bottom of the module graph: it imports nothing of the crate but `text`.

pub mod cell;
pub mod num;
pub mod period;
pub mod severity;
pub mod tier;
pub mod value;

pub use cell::{cell_ref, short_ref};
pub use num::{fmt_num, fmt_thousands, short_num};
pub use period::Period;
pub use severity::Severity;
pub use tier::Tier;

/// The hasher of maps keyed by the texts and numbers of millions of rows: polars' own
/// (foldhash, already built), several times faster than the standard SipHash on short keys.
/// Not for keys a user could choose to collide (none of these maps faces a network).
pub type Fast = foldhash::fast::FixedState;
pub use value::{Basis, Kind};

/// A short text held inline up to 24 bytes (a cell reference, a figure as written): ingest
/// makes two per stored value, and an allocation each was a tenth of its time.
pub type Short = compact_str::CompactString;
