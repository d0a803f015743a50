//! What the benchmarks' generated forms hold: a member's vertical 月报表 (one row per item),
//! shared by `bench_ingest` and `bench_scale` (included with `#[path]`; a folder without
//! `main.rs` is not an example of its own).

/// The items of a form: label as written, unit, a typical monthly figure.
pub const ITEMS: &[(&str, &str, f64)] = &[
    ("门急诊人次", "人次", 4000.0),
    ("急诊人次", "人次", 300.0),
    ("入院人数", "人次", 150.0),
    ("出院人数", "人次", 148.0),
    ("实际开放床位数", "张", 60.0),
    ("实际开放总床日数", "床日", 1860.0),
    ("实际占用总床日数", "床日", 1200.0),
    ("出院者占用总床日数", "床日", 900.0),
    ("住院手术台次", "台次", 20.0),
    ("其中：一级手术", "台次", 10.0),
    ("其中：二级手术", "台次", 8.0),
    ("其中：三级手术", "台次", 2.0),
    ("上转人次", "人次", 12.0),
    ("下沉专家坐诊人次", "人次", 6.0),
    ("家庭医生签约人数", "人", 9000.0),
    ("医疗收入（万元）", "万元", 260.5),
    ("病床使用率", "%", 64.5),
    ("平均住院日", "日", 6.1),
];

/// The header row of the form.
pub const HEADS: [&str; 7] = [
    "指标名称",
    "单位",
    "本月",
    "去年同月",
    "同比增减(%)",
    "本年累计",
    "去年同期累计",
];
