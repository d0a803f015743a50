//! The interface language: the same commands run with a Chinese locale and with `LANG=C`,
//! each message checked in its language, the exit codes and machine output the same. The
//! locale is set on the child process only.

use crate::common::*;
use serde_json::{json, Value};

pub(crate) const ZH: &str = "zh_CN.UTF-8";
pub(crate) const C: &str = "C";

/// `yilian ARGS` with only `LANG` set among the locale variables.
pub(crate) fn run(ws: &Workspace, lang: &str, args: &[&str]) -> (i32, String, String) {
    let out = ws
        .yilian()
        .env_remove("YILIAN_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// 示例县人民医院's 月报表 for 2024-03: three monthly figures (出院, 门急诊, 入院), three
/// 本年累计 figures, and one item the catalog does not know (one warning).
pub(crate) fn form(discharges: i64, discharges_ytd: i64, admissions: Option<i64>) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        ["填报单位：示例县人民医院", null, "统计期间：2024年3月", null],
        ["指标名称", "单位", "本月", "本年累计"],
        ["出院人数", "人次", discharges, discharges_ytd],
        ["门急诊人次", "人次", 45678, 120000],
        ["入院人数", "人次", admissions, 900],
        ["某某未知指标", "人次", 5, null]
    ]}]})
}

/// One good file and one that is not a spreadsheet at all.
fn inbox() -> Workspace {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.put("坏文件.xlsx", b"this is not a workbook");
    ws
}

pub(crate) fn assert_has(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "`{p}` missing in:\n{text}");
    }
}

pub(crate) fn assert_lacks(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(!text.contains(p), "`{p}` in:\n{text}");
    }
}

#[test]
fn ingest_summarises_in_the_locale_language() {
    let zh = inbox();
    let (code, out, err) = run(&zh, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "one file rejected: {err}");
    assert_has(
        &out,
        &[
            "共 2 个文件：已入库 1 个，未改动 0 个，拒收 1 个；成员单位 1 家，1 个月（2024-03），\
             月度数值 3 个（另有累计或上年同期数 3 个），警告 1 条 → ",
            "被拒收的文件未入库；请修正（或请成员单位修正）后重新运行 ingest",
        ],
    );
    assert_has(
        &err,
        &[
            "错误：inbox/坏文件.xlsx：",
            "警告：inbox/县医院_2024年3月.xlsx：",
        ],
    );
    assert_lacks(&out, &["stored", "rejected", "file"]);
    assert_lacks(&err, &["error:", "warning:"]);

    let en = inbox();
    let (code, out, err) = run(&en, C, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &out,
        &[
            "2 files: 1 stored, 0 unchanged, 1 rejected; 1 member, 1 month (2024-03), \
             3 monthly values (and 3 year-to-date or prior-year), 1 warning → ",
            "rejected files were not stored; fix them (or ask the member to) and run ingest again",
        ],
    );
    assert_has(
        &err,
        &[
            "error: inbox/坏文件.xlsx: ",
            "warning: inbox/县医院_2024年3月.xlsx: ",
        ],
    );
    assert_lacks(&out, &["已入库", "拒收"]);

    // Again: the good file is unchanged and its warning not repeated.
    let (code, out, err) = run(&zh, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &out,
        &[
            "共 2 个文件：已入库 0 个，未改动 1 个，拒收 1 个",
            "1 个文件自上次入库以来未改动，未重复入库；其警告不再重复显示（加 -v 可列出）",
        ],
    );
    let (_, out, _) = run(&en, C, &["ingest", "inbox"]);
    assert_has(
        &out,
        &["1 file unchanged since the last ingest, not stored again; its warning is not repeated (-v lists it)"],
    );
}

#[test]
fn verbose_ingest_names_each_file_status_in_the_language() {
    let ws = inbox();
    let (_, out, _) = run(&ws, ZH, &["ingest", "-v", "inbox"]);
    let status = |name: &str| {
        out.lines()
            .find(|l| l.contains(name))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(status("县医院_2024年3月.xlsx"), "已入库", "{out}");
    assert_eq!(status("坏文件.xlsx"), "拒收", "{out}");
    assert_has(&out, &["月度数值 3 个 2024-03"]);
}

#[test]
fn the_json_summary_is_the_same_in_both_languages() {
    let json_of = |lang: &str| {
        let ws = inbox();
        let (code, out, _) = run(&ws, lang, &["ingest", "--format", "json", "inbox"]);
        let root = ws.path().display().to_string();
        (code, out.replace(&root, "WS"))
    };
    let (zh, en) = (json_of(ZH), json_of(C));
    assert_eq!(zh.0, 3);
    assert_eq!(zh, en);
    let v: Value = serde_json::from_str(&zh.1).unwrap();
    assert_eq!(
        (v["stored"].as_u64(), v["rejected"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_correction_is_listed_in_the_language() {
    for (lang, head, changed, blank, discharges) in [
        (
            ZH,
            "更正：inbox/县医院_2024年3月.xlsx：示例县人民医院 county_peoples 2024-03\
             （原报送：县医院_2024年3月.xlsx）：",
            "7 个数值中有 3 个变动",
            "  入院人数（admissions）：300 → （空白）",
            "  出院人数（discharges）：1234 → 1250\n  出院人数（discharges，累计）：3000 → 3016\n",
        ),
        (
            C,
            "correction: inbox/县医院_2024年3月.xlsx: 示例县人民医院 county_peoples 2024-03 \
             (earlier: 县医院_2024年3月.xlsx): ",
            "3 of 7 values changed",
            "  入院人数 (admissions): 300 → (blank)",
            "  出院人数 (discharges): 1234 → 1250\n  出院人数 (discharges, ytd): 3000 → 3016\n",
        ),
    ] {
        let ws = Workspace::new();
        ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
        ws.ingest(&["inbox"]);
        // Resent: 出院 1234 → 1250, its 累计 3000 → 3016, 入院 left blank; 门急诊 and its
        // 累计, 入院's 累计 and the unknown item the same: 3 of 7 changed.
        ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1250, 3016, None)));
        let (code, out, err) = run(&ws, lang, &["ingest", "inbox"]);
        assert_eq!(code, 0, "{err}");
        assert_has(
            &out,
            &[
                &format!("{head}{changed}\n"),
                discharges,
                &format!("{blank}\n"),
            ],
        );
    }
}

#[test]
fn unknown_names_are_refused_with_a_suggestion_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let args = [
        "indicators",
        "--period",
        "2024-03",
        "--indicator",
        "dischargs",
    ];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian：错误：未知指标“dischargs”；是否指 `discharges`？"
    );
    let (code, _, err) = run(&ws, C, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian: error: unknown indicator `dischargs`; did you mean `discharges`?"
    );

    let args = ["indicators", "--since-joined", "shimn"];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &["yilian：错误：未知成员单位“shimn”；是否指 石门乡卫生院 (shimen)"],
    );
    let (code, _, err) = run(&ws, C, &args);
    assert_eq!(code, 1);
    assert_has(
        &err,
        &["yilian: error: unknown member `shimn`; did you mean 石门乡卫生院 (shimen)"],
    );
}

#[test]
fn errors_before_any_work_are_in_the_language() {
    let ws = Workspace::new();
    let args = ["ingest", "--lock-timeout", "NaN", "inbox"];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian：错误：--lock-timeout 应为秒数（0 或以上），实际为 NaN"
    );
    let (code, _, err) = run(&ws, C, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian: error: --lock-timeout takes a number of seconds, 0 or more (got NaN)"
    );
}

#[test]
fn check_counts_its_findings_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let (code, json, _) = run(&ws, C, &["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let n = |k: &str| v["summary"][k].as_u64().unwrap();
    let (errors, warnings, info) = (n("errors"), n("warnings"), n("info"));
    // Five members sent nothing for 2024-03: there is something to say.
    assert!(errors + warnings > 0, "{v:#}");

    let (zh_code, out, err) = run(&ws, ZH, &["check"]);
    assert_eq!(zh_code, code);
    assert_eq!(
        err.lines().last(),
        Some(format!("错误 {errors} 条，警告 {warnings} 条，提示 {info} 条").as_str()),
        "{err}"
    );
    assert_has(&out, &["报送情况（成员单位 × 月份）：✓ 按时"]);
    // The unknown item's finding, with its rule's Chinese text and severity.
    assert_has(
        &out,
        &["提示    county_peoples 2024-03 某某未知指标 [unmapped_item]: 指标项“某某未知指标”不在统一指标目录中"],
    );
    let (en_code, out, err) = run(&ws, C, &["check"]);
    assert_eq!(en_code, code);
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    assert_eq!(
        err.lines().last(),
        Some(
            format!(
                "{}, {}, {info} info",
                plural(errors, "error", "errors"),
                plural(warnings, "warning", "warnings")
            )
            .as_str()
        ),
        "{err}"
    );
    assert_has(
        &out,
        &[
            "submissions (member × month): ✓ on time",
            "info    county_peoples 2024-03 某某未知指标 [unmapped_item]: ",
        ],
    );
    assert_lacks(&out, &["不在统一指标目录中"]);
}

#[test]
fn report_says_what_it_wrote_in_the_language() {
    for (lang, out_dir) in [(ZH, "报告"), (C, "report")] {
        let ws = Workspace::new();
        ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
        ws.ingest(&["inbox"]);
        let (code, _, err) = run(
            &ws,
            lang,
            &["report", "--period", "2024-03", "--out", out_dir],
        );
        assert_eq!(code, 0, "{err}");
        fn count(d: &std::path::Path) -> usize {
            std::fs::read_dir(d)
                .unwrap()
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        }
        let n = count(&ws.path().join(out_dir));
        let line = err.lines().last().unwrap_or_default();
        if lang == ZH {
            assert!(
                line.starts_with(&format!("已将 {n} 个文件写入 报告，用时 ")),
                "{err}"
            );
            assert!(
                line.ends_with(" 秒（index.html、report.xlsx、summary.md、charts/）"),
                "{err}"
            );
        } else {
            assert!(
                line.starts_with(&format!("wrote {n} files into report in ")),
                "{err}"
            );
        }
    }
}

#[test]
fn help_is_in_the_locale_language_and_the_option_overrides_it() {
    let ws = Workspace::new();
    let (code, zh, _) = run(&ws, ZH, &["ingest", "--help"]);
    assert_eq!(code, 0);
    assert_has(
        &zh,
        &[
            "将成员单位的月报表（文件或文件夹）读入数据库",
            "用法：yilian ingest [选项] <PATH>...",
            "选项：",
            "--period <YYYY-MM>",
            "所有工作表一律按此月份读入",
            "[默认：table] [可选值：table、json]",
            "示例：\n  yilian ingest inbox/2025-12",
            "退出码：0 全部文件已入库",
        ],
    );
    assert_lacks(&zh, &["Usage:", "Options:", "Exit codes", "default:"]);
    let (code, en, _) = run(&ws, C, &["ingest", "--help"]);
    assert_eq!(code, 0);
    assert_has(
        &en,
        &[
            "Read members' monthly spreadsheets (files or folders) into the store",
            "Usage: yilian ingest [OPTIONS] <PATH>...",
            "Exit codes: 0 every file stored",
            "[default: table]",
        ],
    );
    assert_lacks(&en, &["用法", "退出码"]);

    // The list of subcommands, and `help SUBCOMMAND`.
    let (_, top, _) = run(&ws, ZH, &["--help"]);
    assert_has(
        &top,
        &[
            "命令：",
            "indicators   各成员单位、各级别及医联体的同比、环比指标",
        ],
    );
    let (_, sub, _) = run(&ws, ZH, &["help", "store", "verify"]);
    assert_has(
        &sub,
        &["按写入时的记录检查每个报送文件", "退出码：0 数据库完好"],
    );

    // --ui-lang over the locale, either way; YILIAN_LANG over LC_ALL over LANG.
    let (_, en, _) = run(&ws, ZH, &["--ui-lang", "en", "check", "--help"]);
    assert_has(
        &en,
        &["Find wrong, late and missing submissions", "Exit codes:"],
    );
    let (_, zh, _) = run(&ws, C, &["check", "--help", "--ui-lang=zh"]);
    assert_has(&zh, &["查找错报、迟报和漏报", "退出码："]);
    let with = |vars: &[(&str, &str)]| {
        let mut c = ws.yilian();
        c.env_remove("YILIAN_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c.args(["history", "--help"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_has(&with(&[("LC_ALL", "C"), ("LANG", ZH)]), &["Usage:"]);
    assert_has(&with(&[("LC_MESSAGES", ZH), ("LANG", C)]), &["用法："]);
    assert_has(&with(&[("YILIAN_LANG", "en"), ("LC_ALL", ZH)]), &["Usage:"]);
    assert_has(&with(&[("YILIAN_LANG", "zh"), ("LANG", C)]), &["用法："]);
    assert_has(&with(&[]), &["Usage:"]);
}

#[test]
fn completions_and_manual_pages_follow_the_language() {
    let ws = Workspace::new();
    let (code, zsh, _) = run(&ws, ZH, &["completions", "zsh"]);
    assert_eq!(code, 0);
    assert_has(&zsh, &["将成员单位的月报表", "--since-joined"]);
    let (_, zsh, _) = run(&ws, C, &["completions", "zsh"]);
    assert_has(&zsh, &["Read members"]);
    assert_lacks(&zsh, &["将成员单位的月报表"]);

    // The Chinese bash script still parses.
    let (_, bash, _) = run(&ws, ZH, &["completions", "bash"]);
    let path = ws.path().join("yilian.bash");
    std::fs::write(&path, bash).unwrap();
    let ok = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success());

    let (code, _, err) = run(&ws, ZH, &["man", "--out", "man"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.trim_end(), "已将手册页写入 man");
    let rendered = std::process::Command::new("man")
        .arg("-l")
        .arg(ws.path().join("man/yilian-ingest.1"))
        .env("MANPAGER", "cat")
        .env("LANG", "C.UTF-8")
        .env("COLUMNS", "100")
        .output()
        .expect("man (Debian's man-db)");
    assert!(rendered.status.success());
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert_has(&text, &["将成员单位的月报表", "退出码："]);
}

#[test]
fn store_verify_speaks_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    // One ingest of one file: one submission in one file.
    let (code, out, _) = run(&ws, ZH, &["store", "verify"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "数据库：",
            "完好：1 个文件，1 份报送，每个文件均完整（SHA-256 与写入时一致）",
        ],
    );
    let (code, out, _) = run(&ws, C, &["store", "verify"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "store: ",
            "sound: 1 file, 1 submission, each file whole (SHA-256 as written)",
        ],
    );
}

#[test]
#[cfg(feature = "sample")]
fn sample_says_what_it_wrote_in_the_language() {
    let ws = Workspace::new();
    let (code, out, _) = run(&ws, ZH, &["sample", "演示"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "已在 演示 生成示例医联体：consortium.toml 及 ",
            "下一步：yilian ingest 演示",
        ],
    );
    let (code, out, _) = run(&ws, C, &["sample", "demo"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "wrote a sample consortium into demo: consortium.toml and ",
            "next: yilian ingest demo",
        ],
    );
}

#[test]
fn usage_errors_are_in_the_language_with_clap_exit_code() {
    let ws = Workspace::new();
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["indicators", "--perio", "2025-12"],
            "yilian：错误：无法识别的参数 --perio；是否指 --period？",
            "error: unexpected argument '--perio' found",
        ),
        (
            // clap suggests every subcommand close enough: `init` is as near as `ingest`.
            &["ingst", "inbox"],
            "yilian：错误：没有子命令 ingst；是否指 init、ingest？",
            "error: unrecognized subcommand 'ingst'",
        ),
        (
            &["indicators", "--window", "weekly"],
            "yilian：错误：--window <WINDOW> 的值“weekly”无效；可选值：month、ytd、quarter、year",
            "error: invalid value 'weekly' for '--window <WINDOW>'",
        ),
        (
            &["ingest"],
            "yilian：错误：缺少必需的参数：<PATH>...",
            "error: the following required arguments were not provided",
        ),
    ];
    for (args, zh, en) in cases {
        let (code, _, err) = run(&ws, ZH, args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err, format!("{zh}\n用法见 --help。\n"), "{args:?}");
        let (code, _, err) = run(&ws, C, args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with(en), "{args:?}: {err}");
    }
}

/// What a sheet says that cannot be stored as written: each reason in the reader's language,
/// with the sheet and the cell; the JSON keeps the English text for scripts.
#[test]
fn a_sheet_problem_is_said_in_the_language() {
    let sheet = |member: &str, discharges: &str, visits: &str| {
        json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
            [format!("填报单位：{member}"), null, "统计期间：2024年3月"],
            ["指标名称", "单位", "本月"],
            ["出院人数", "人次", discharges],
            ["门急诊人次", "人次", visits],
            ["某某未知指标", "人次", 5]
        ]}]})
    };
    let ws = Workspace::new();
    ws.put("a.xlsx", &xlsx(&sheet("示例县人民医院", "约1200", "4.5万")));
    ws.put("b.xlsx", &xlsx(&sheet("不存在医院", "1200", "45000")));
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "错误：inbox/a.xlsx：工作表“月报表” C3：“出院人数”应填数值，实际为“约1200”：这是约数；请填写准确数字",
            "错误：inbox/b.xlsx：工作表“月报表” A1：未知成员单位“不存在医院”",
            "请在 consortium.toml 中添加该单位（或别名），或加 --add-unknown-members",
        ],
    );
    assert_lacks(&err, &["expected a number", "unknown member", "sheet `"]);

    let ws = Workspace::new();
    ws.put("a.xlsx", &xlsx(&sheet("示例县人民医院", "1200", "4.5万")));
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &err,
        &[
            "警告：inbox/a.xlsx：工作表“月报表” C4：“门急诊人次”的“4.5万”按 45000 人次读入；如非此意，请更正该单元格",
            "警告：inbox/a.xlsx：工作表“月报表” A5：项目“某某未知指标”不对应任何指标，已作为未识别项目保留",
        ],
    );

    let ws = Workspace::new();
    ws.put("a.xlsx", &xlsx(&sheet("示例县人民医院", "约1200", "45000")));
    let (_, out, err) = run(&ws, ZH, &["ingest", "inbox", "--format", "json"]);
    assert_has(
        &out,
        &["expected a number for `出院人数`, found `约1200`: an approximate figure; write the exact number"],
    );
    let (_, _, err_en) = run(&ws, C, &["ingest", "inbox"]);
    assert_has(
        &err_en,
        &["error: inbox/a.xlsx: sheet `月报表` C3: expected a number for `出院人数`, found `约1200`: an approximate figure; write the exact number"],
    );
    drop(err);
}

/// What `check` notes about how it ran, the matrix's header and an error that ends a run
/// (a month the store does not hold) are in the reader's language; JSON keeps English.
#[test]
fn run_notes_and_errors_are_in_the_language() {
    let ws = Workspace::new();
    // The form states no 填报日期: its timeliness cannot be judged.
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);

    let (_, out, err) = run(&ws, ZH, &["check", "--period", "2024-03"]);
    assert_has(
        &err,
        &["提示：有 1 个成员单位月份未写填报日期，不判断其是否按时"],
    );
    assert_has(&out, &["成员单位"]);
    let (_, out, err) = run(&ws, C, &["check", "--period", "2024-03"]);
    assert_has(&err, &["note: 1 member-month(s) state no 填报日期"]);
    assert_has(&out, &["member "]);
    let (_, json, _) = run(&ws, ZH, &["check", "--format", "json"]);
    assert_has(&json, &["member-month(s) state no 填报日期"]);

    let args = ["indicators", "--period", "2030-01"];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian：错误：数据库中没有任何成员单位 2030-01 的数据；已有数据为 2024-03（共 1 个月）"
    );
    let (code, _, err) = run(&ws, C, &args);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "yilian: error: no member has figures for 2030-01 in the store; it holds 2024-03 (1 month)"
    );
}

/// `history`'s table speaks the reader's language; its CSV keeps the keys and values scripts
/// read, whatever the language.
#[test]
fn history_columns_are_in_the_language_for_people_only() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let (code, out, err) = run(&ws, ZH, &["history"]);
    assert_eq!(code, 0, "{err}");
    assert_has(
        &out,
        &["成员单位", "月份", "使用中", "报送文件", "数值个数", "是"],
    );
    assert_lacks(&out, &["source_file", "yes"]);
    let (_, csv, _) = run(&ws, ZH, &["history", "--format", "csv"]);
    assert!(
        csv.starts_with("member,period,seq,in_use,source_file,submitted_on,ingested_at,values"),
        "{csv}"
    );
    assert_has(&csv, &["county_peoples,2024-03,1,yes,"]);
    let (_, out, _) = run(&ws, C, &["history"]);
    assert_has(&out, &["member", "in_use", "yes"]);
}

/// A period the command line cannot read is refused with the forms it takes, in the
/// reader's language (exit 2 in both).
#[test]
fn a_refused_period_is_explained_in_the_language() {
    let ws = Workspace::new();
    let (code, _, err) = run(&ws, ZH, &["check", "--period", "2025Q4"]);
    assert_eq!(code, 2, "{err}");
    assert_has(
        &err,
        &["的值“2025Q4”无效：“2025Q4”是季度，本命令需要月份：请写作 2025-12"],
    );
    let (code, _, err) = run(&ws, ZH, &["indicators", "--period", "2025年13月"]);
    assert_eq!(code, 2, "{err}");
    assert_has(
        &err,
        &["“2025年13月”既不是月份也不是季度：请写作 2025-03 或 2025Q1"],
    );
    let (code, _, err) = run(&ws, C, &["check", "--period", "2025Q4"]);
    assert_eq!(code, 2, "{err}");
    assert_has(
        &err,
        &["`2025Q4` is a quarter, and this command takes a month"],
    );
}

/// The catalog's and `store verify`'s tables name their columns in the reader's language;
/// the catalog's Markdown (the reference page) and CSV keep the keys.
#[test]
fn catalog_and_store_columns_are_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let (_, out, _) = run(&ws, ZH, &["catalog"]);
    assert_has(&out, &["类别", "代码", "名称", "口径", "依据"]);
    assert_lacks(&out, &["name_en", "aggregation"]);
    let (_, md, _) = run(&ws, ZH, &["catalog", "--format", "md"]);
    assert_has(&md, &["| code | 名称 | 单位 |"]);
    assert_lacks(&md, &["| 代码 |"]);
    let (_, out, _) = run(&ws, ZH, &["store", "verify"]);
    assert_has(&out, &["文件", "报送序号", "状态"]);
    let (_, out, _) = run(&ws, C, &["store", "verify"]);
    assert_has(&out, &["file", "submissions", "status"]);
}

/// A file that cannot be read at all, or holds no table, is refused in the reader's language.
#[test]
fn an_unreadable_file_is_refused_in_the_language() {
    let ws = Workspace::new();
    ws.put("空.csv", b"");
    ws.put("坏文件.xlsx", b"this is not a workbook");
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "错误：inbox/空.csv：文件为空（0 字节）；请成员单位重新报送",
            "错误：inbox/坏文件.xlsx：没有可识别的表格：应有表头行",
        ],
    );
    let (_, _, err) = run(&ws, C, &["ingest", "inbox"]);
    assert_has(
        &err,
        &[
            "error: inbox/空.csv: the file is empty (0 bytes); ask the member to send it again",
            "error: inbox/坏文件.xlsx: no recognisable table: expected a header row",
        ],
    );
}

#[test]
fn a_damaged_store_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let file = ws.store_files().remove(0);
    let path = ws.store().join("submissions").join(&file);
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::write(&path, &std::fs::read(&path).unwrap()[..(len / 2) as usize]).unwrap();
    let half = len / 2;
    // A command that reads refuses with exit 6, naming the file, what is wrong and what it held.
    let (code, _, err) = run(&ws, ZH, &["indicators", "--period", "2024-03"]);
    assert_eq!(code, 6, "{err}");
    assert_has(
        &err,
        &[
            "的数据库已损坏：",
            &format!("submissions/{file} 被截断（{half} 字节；写入时为 {len} 字节）：其中有第 1 号报送（来自 县医院_2024年3月.xlsx）"),
            "运行 `yilian store verify` 查看全部状态",
        ],
    );
    assert_lacks(&err, &["is damaged", "truncated", "submission 1"]);
    let (code, _, err) = run(&ws, C, &["indicators", "--period", "2024-03"]);
    assert_eq!(code, 6, "{err}");
    assert_has(
        &err,
        &[&format!(
            "submissions/{file} is truncated ({half} bytes; {len} were written): it held submission 1 (县医院_2024年3月.xlsx)"
        )],
    );
    // store verify: the status column and the damage line.
    let (code, out, _) = run(&ws, ZH, &["store", "verify"]);
    assert_eq!(code, 6);
    assert_has(&out, &["已损坏：submissions/", "被截断"]);
    assert_lacks(&out, &["DAMAGED", "truncated"]);
    // Read on the intact part: the warnings on stderr in the language.
    let (_, _, err) = run(
        &ws,
        ZH,
        &["indicators", "--period", "2024-03", "--allow-damaged-store"],
    );
    assert_has(
        &err,
        &[
            "警告：",
            "的数据库已损坏；--allow-damaged-store：以下结果不含",
        ],
    );
}

#[test]
fn the_folder_walk_says_what_it_skipped_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.put("~$县医院_2024年3月.xlsx", b"lock");
    ws.put("说明.docx", b"not a form");
    let (_, _, err) = run(&ws, ZH, &["ingest", "-v", "inbox"]);
    assert_has(
        &err,
        &[
            "Excel 临时锁定文件（复制时工作簿正打开着），不是报送文件",
            "扩展名不是表格文件；如确需读取，请在命令中直接写出该文件",
        ],
    );
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox/没有这个文件.xlsx"]);
    assert_ne!(code, 0);
    assert_has(&err, &["inbox/没有这个文件.xlsx 不存在"]);
    let (_, _, err) = run(&ws, C, &["ingest", "inbox/没有这个文件.xlsx"]);
    assert_has(&err, &["inbox/没有这个文件.xlsx does not exist"]);
}

#[test]
fn a_wrong_consortium_file_is_said_in_the_language() {
    let ws = Workspace::new();
    let toml = std::fs::read_to_string(ws.path().join("consortium.toml")).unwrap();
    std::fs::write(
        ws.path().join("consortium.toml"),
        format!("{toml}\n[[targets]]\nindicator = \"bed_ocupancy\"\nvalue = 85\n"),
    )
    .unwrap();
    let (code, _, err) = run(&ws, ZH, &["indicators", "--period", "2024-03"]);
    assert_ne!(code, 0);
    assert_has(
        &err,
        &["[[targets]] 第 1 条：`bed_ocupancy` 不是指标代码；是否指 `bed_occupancy`？"],
    );
    let (_, _, err) = run(&ws, C, &["indicators", "--period", "2024-03"]);
    assert_has(
        &err,
        &["[[targets]] #1: `bed_ocupancy` is not an indicator code; did you mean `bed_occupancy`?"],
    );
    // A file that is not TOML: the file named in Chinese, the parser's own words below it.
    std::fs::write(ws.path().join("consortium.toml"), "name = \n").unwrap();
    let (_, _, err) = run(&ws, ZH, &["indicators", "--period", "2024-03"]);
    assert_has(
        &err,
        &["不是有效的医联体配置文件（可参考 `yilian sample` 生成的示例）："],
    );
}

#[test]
fn option_and_rule_mistakes_are_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let args = [
        "indicators",
        "--period",
        "2024-03",
        "--format",
        "json",
        "--bom",
    ];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_ne!(code, 0, "{err}");
    assert_has(&err, &["--bom 和 --encoding 只用于 --format csv"]);
    let (_, _, err) = run(&ws, C, &args);
    assert_has(&err, &["--bom and --encoding apply to --format csv only"]);
    let toml = std::fs::read_to_string(ws.path().join("consortium.toml")).unwrap();
    std::fs::write(
        ws.path().join("consortium.toml"),
        format!("{toml}\n[check.severity]\nsum_row = \"loud\"\n"),
    )
    .unwrap();
    let (_, _, err) = run(&ws, ZH, &["check", "--period", "2024-03"]);
    assert_has(
        &err,
        &["[check.severity] sum_row = `loud`：请用 error、warning、info 或 off"],
    );
}
