//! The column names of the tables people read, by the key scripts read (CSV, JSON): a
//! Chinese reader's terminal shows `成员单位` where a script gets `member`.

use super::Lang;

const ZH: &[(&str, &str)] = &[
    ("member", "成员单位"),
    ("period", "月份"),
    ("seq", "序号"),
    ("in_use", "使用中"),
    ("source_file", "报送文件"),
    ("submitted_on", "填报日期"),
    ("ingested_at", "入库时间"),
    ("values", "数值个数"),
    ("file", "文件"),
    ("submissions", "报送序号"),
    ("bytes", "字节数"),
    ("status", "状态"),
    ("sent as", "原文件"),
    ("kind", "类别"),
    ("code", "代码"),
    ("name", "名称"),
    ("name_en", "英文名称"),
    ("unit", "单位"),
    ("aggregation", "汇总方式"),
    ("direction", "方向"),
    ("aliases", "别名"),
    ("stock_flow", "存量/流量"),
    ("definition", "口径"),
    ("source", "依据"),
    ("set", "指标集"),
    ("set_name", "指标集名称"),
];

/// The name of column `key` in `lang`; None where the key is what a reader sees (English).
pub fn column(key: &str, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Zh => ZH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_once_with_its_chinese_name() {
        for (i, (k, v)) in ZH.iter().enumerate() {
            assert!(ZH[i + 1..].iter().all(|(o, _)| o != k), "{k} twice");
            assert!(v.chars().any(|c| c > '\u{2e80}'), "{k}: {v}");
        }
        assert_eq!(column("member", Lang::Zh), Some("成员单位"));
        assert_eq!(column("member", Lang::En), None);
        assert_eq!(column("no such column", Lang::Zh), None);
    }
}
