//! What a stored value is (`Kind`) and which figure of its item it is (`Basis`), with the
//! text the store writes for each: the one place they are spelled.

/// What a stored value is (the `kind` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A reported metric of the catalog.
    Base,
    /// An indicator the member computed itself.
    Derived,
    /// A 合计 row: the sum a sheet states, no member's own figure.
    Total,
    /// An item no alias maps to a code.
    Unmapped,
}

/// Which figure of an item a value is (the `basis` column): this month, or one of the
/// comparison columns members fill in themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    Month,
    PriorYear,
    Ytd,
    PriorYtd,
}

/// The stored text of each kind and basis: the one place they are spelled.
const KINDS: [(Kind, &str); 4] = [
    (Kind::Base, "base"),
    (Kind::Derived, "derived"),
    (Kind::Total, "total"),
    (Kind::Unmapped, "unmapped"),
];
const BASES: [(Basis, &str); 4] = [
    (Basis::Month, "month"),
    (Basis::PriorYear, "prior_year"),
    (Basis::Ytd, "ytd"),
    (Basis::PriorYtd, "prior_ytd"),
];

impl Kind {
    pub fn as_str(self) -> &'static str {
        KINDS[self as usize].1
    }
    /// The kind a stored text names; None for a text this version does not write.
    pub fn parse(s: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.1 == s).map(|k| k.0)
    }
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        BASES[self as usize].1
    }
    /// The basis a stored text names; None for a text this version does not write.
    pub fn parse(s: &str) -> Option<Basis> {
        BASES.iter().find(|b| b.1 == s).map(|b| b.0)
    }
}
