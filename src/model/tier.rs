//! The tiers of a consortium's members (三级, 二级, 基层, 村卫生室).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Tertiary,
    Secondary,
    Primary,
    Village,
}

impl Tier {
    pub const ALL: [Tier; 4] = [
        Tier::Tertiary,
        Tier::Secondary,
        Tier::Primary,
        Tier::Village,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Tier::Tertiary => "tertiary",
            Tier::Secondary => "secondary",
            Tier::Primary => "primary",
            Tier::Village => "village",
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Tier::Tertiary => "三级医院",
            Tier::Secondary => "二级医院",
            Tier::Primary => "基层医疗卫生机构",
            Tier::Village => "村卫生室",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
