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

/// With `BENCH_ITEMS=all`, the items the national indicator systems add (revenue, staff,
/// day and elective surgery, appointments, antibiotics, public health, mutual recognition),
/// so the benchmark's indicators have the larger catalog's figures to compute. Sub-items
/// stay within their totals (no check warnings).
#[allow(dead_code)] // bench_scale only; bench_ingest includes this file too
pub const NATIONAL_ITEMS: &[(&str, &str, f64)] = &[
    ("门诊收入", "万元", 100.0),
    ("住院收入", "万元", 150.0),
    ("药品收入", "万元", 70.0),
    ("卫生材料收入", "万元", 40.0),
    ("医疗服务收入", "万元", 80.0),
    ("医保收入", "万元", 150.0),
    ("总诊疗人次", "人次", 4500.0),
    ("中医类诊疗人次", "人次", 400.0),
    ("预约诊疗人次", "人次", 1500.0),
    ("择期手术台次", "台次", 15.0),
    ("日间手术例数", "台次", 3.0),
    ("微创手术例数", "台次", 5.0),
    ("执业医师数", "人", 30.0),
    ("注册护士数", "人", 40.0),
    ("抗菌药物累计DDD数", "DDD", 400.0),
    ("下转患者人次", "人次", 10.0),
    ("远程影像诊断报告数", "例", 20.0),
    ("远程心电诊断报告数", "例", 15.0),
    ("高血压患者管理人数", "人", 800.0),
    ("高血压患者规范管理人数", "人", 600.0),
    ("糖尿病患者管理人数", "人", 300.0),
    ("糖尿病患者规范管理人数", "人", 220.0),
    ("检查检验人次", "人次", 2000.0),
    ("检查检验结果互认人次", "人次", 300.0),
];
