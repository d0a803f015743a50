//! The vocabulary every stage shares: periods, tiers, severities, numbers as text, cell
//! references. The bottom of the module graph: it imports nothing of the crate but `text`.

pub mod cell;
pub mod num;
pub mod period;
pub mod severity;
pub mod tier;
pub mod value;

pub use cell::cell_ref;
pub use num::{fmt_num, fmt_thousands};
pub use period::Period;
pub use severity::Severity;
pub use tier::Tier;
pub use value::{Basis, Kind};
