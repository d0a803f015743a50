//! Stage 6: indicators per member, tier and consortium, for a window, with year-on-year and
//! month-on-month comparisons, computed from the store: each member's window states by hand
//! from its figures indexed by member and month (`states`), the formulas over them with polars
//! (`engine`).
//!
//! The rules (domain.md):
//! - a member's figure for a window combines its months by the metric's `over_time`
//!   (sum / average / last); a metric it has never reported is a service it does not provide
//!   (NEVER: adds nothing); one it reports but left blank in a month of the window is MISSING
//!   for that window (undefined, never 0);
//! - a member counts in tier and consortium totals only for the months it was a member, in
//!   the tier it had then; its own window runs over the same months, so its row and its
//!   tier's agree (its year-earlier comparison covers the same calendar months, from its own
//!   figures, and like-for-like leaves it out unless it was a member as long in both);
//! - every indicator is evaluated on aggregated operands (ratio of sums), over the members
//!   that have all its operands (its coverage); undefined results are null.

mod base;
mod engine;
mod expr;
mod reference;
mod series_tests;
mod states;
mod types;

pub(crate) use base::Names;
pub use base::{base_frame, months_read, months_since_joined, BaseData};
pub use engine::Engine;
pub use types::{apply_targets, directions, Def, Record, Request, Scope, Window};
