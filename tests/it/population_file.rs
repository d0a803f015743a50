//! `population_file` in consortium.toml (issue 13): 常住人口/服务人口 and 重点人群 per member from a
//! CSV beside the file, used like inline `[[population]]` entries (the value in force for the
//! window); a bad row is an error naming the file, line and column. Rates computed by hand.

use crate::indicators::{close, f, Case};

const MEMBERS: &str = r#"
name = "人口医联体"
[[members]]
id = "k"
name = "乙县人民医院"
tier = "secondary"
joined = "2019-01"

[[members]]
id = "z"
name = "丙镇卫生院"
aliases = ["丙镇"]
tier = "primary"
joined = "2019-01"

[[population]]
member = "k"
from = "2019-01"
residents = 60000
"#;

fn case() -> Case {
    let c = Case::with_config(
        MEMBERS,
        &[
            ("丙镇卫生院", "2025-02", "家庭医生签约人数", 12000.0),
            ("丙镇卫生院", "2025-03", "家庭医生签约人数", 12600.0),
            ("丙镇卫生院", "2025-03", "重点人群签约人数", 6300.0),
            ("乙县人民医院", "2025-03", "家庭医生签约人数", 15000.0),
        ],
    );
    // The file names the table relative to its own folder.
    let config = format!("population_file = \"ref/pop.csv\"\n{MEMBERS}");
    std::fs::write(c.path().join("consortium.toml"), config).unwrap();
    std::fs::create_dir(c.path().join("ref")).unwrap();
    c
}

fn write_pop(c: &Case, text: &str) {
    std::fs::write(c.path().join("ref/pop.csv"), text).unwrap();
}

/// Runs from another folder than the consortium file's, in `lang`.
fn run(c: &Case, lang: &str, args: &[&str]) -> std::process::Output {
    c.cmd()
        .current_dir(c.path().join("inbox"))
        .env("YILIAN_LANG", lang)
        .args(args)
        .args(["--config", "../consortium.toml"])
        .output()
        .unwrap()
}

#[test]
fn rates_use_the_population_of_the_file_in_force_for_the_window() {
    let c = case();
    write_pop(
        &c,
        "\u{feff}成员单位,类别,数值,起始月份\n\
         丙镇卫生院,常住人口,40000,2024-01\n\
         z,重点人群,\"10,000\",2024-01-01\n\
         \n\
         丙镇,服务人口,45000,2025年3月\n",
    );
    let v = |period: &str, e: &str, i: &str| {
        let out = run(
            &c,
            "en",
            &["indicators", "--period", period, "--format", "json"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let recs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let r = recs
            .iter()
            .find(|r| r["entity"] == e && r["indicator"] == i)
            .unwrap()
            .clone();
        f(&r, "value")
    };
    // February: the 40000 from 2024-01; March: the 45000 (服务人口) from 2025-03.
    assert!(close(
        v("2025-02", "z", "family_doctor_contract_rate"),
        12000.0 / 40000.0 * 100.0
    ));
    assert!(close(
        v("2025-03", "z", "family_doctor_contract_rate"),
        12600.0 / 45000.0 * 100.0
    ));
    assert!(close(
        v("2025-03", "z", "key_population_contract_rate"),
        6300.0 / 10000.0 * 100.0
    ));
    // With k's inline 60000: (12600 + 15000) / (45000 + 60000).
    assert!(close(
        v("2025-03", "consortium", "family_doctor_contract_rate"),
        27600.0 / 105000.0 * 100.0
    ));
}

#[test]
fn a_bad_row_names_the_file_line_and_column() {
    let c = case();
    let head = "成员单位,类别,数值,起始月份\n";
    let ok = "丙镇卫生院,常住人口,40000,2024-01\n";
    for (body, want) in [
        (
            format!("{ok}丙镇卫生院,重点人群,-5,2024-01\n"),
            "pop.csv line 3, column `数值`: `-5` is not a number of people",
        ),
        (
            format!("丁村卫生室,常住人口,800,2024-01\n{ok}"),
            "pop.csv line 2, column `成员单位`: no member has the id or name `丁村卫生室`",
        ),
        (
            format!("{ok}丙镇卫生院,流动人口,800,2024-01\n"),
            "pop.csv line 3, column `类别`: `流动人口` is not a population kind",
        ),
        (
            format!("{ok}丙镇卫生院,重点人群,800,2025-03-15\n"),
            "pop.csv line 3, column `起始月份`: `2025-03-15` is not the month",
        ),
        (
            format!("{ok}z,服务人口,41000,2024-01\n"),
            "pop.csv line 3, column `成员单位`: z's 常住人口 from 2024-01 is given twice (also ",
        ),
        (
            "k,常住人口,61000,2019-01\n".to_string(),
            "is given twice (also [[population]] #1)",
        ),
    ] {
        write_pop(&c, &format!("{head}{body}"));
        let out = run(&c, "en", &["catalog"]);
        assert_eq!(out.status.code(), Some(1), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{body}\n{err}");
    }
    write_pop(&c, "成员单位,类别,人数\n丙镇卫生院,常住人口,40000\n");
    let err = String::from_utf8_lossy(&run(&c, "en", &["catalog"]).stderr).into_owned();
    assert!(
        err.contains("pop.csv: the header (line 1) has no `from` column"),
        "{err}"
    );
    // In Chinese for a Chinese reader.
    write_pop(&c, &format!("{head}{ok}丙镇卫生院,重点人群,很多,2024-01\n"));
    let err = String::from_utf8_lossy(&run(&c, "zh", &["catalog"]).stderr).into_owned();
    assert!(
        err.contains("pop.csv 第 3 行“数值”列：“很多”不是人数"),
        "{err}"
    );
    // A file that is not there is named.
    std::fs::remove_file(c.path().join("ref/pop.csv")).unwrap();
    let err = String::from_utf8_lossy(&run(&c, "en", &["catalog"]).stderr).into_owned();
    assert!(
        err.contains("cannot read the population file") && err.contains("pop.csv"),
        "{err}"
    );
}
