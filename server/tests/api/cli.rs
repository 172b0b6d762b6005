//! The `onewindow` binary's catalog commands, run as an administrator would.

use std::process::Command;

use crate::helpers::DEMO;

fn onewindow(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_onewindow"))
        .args(args)
        .env("ONEWINDOW_DATA_DIR", dir.join("data"))
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "error")
        .output()
        .expect("run onewindow")
}

#[test]
fn import_catalog_reports_problems_with_paths_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut file: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    file["items"][3]["materials"][1]["quantity"] = 0.into();
    file["items"][0]["code"] = "这不是编码".into();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();

    let out = onewindow(dir.path(), &["import-catalog", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("items[3].materials[1].quantity: 份数须为 1–99"),
        "{stderr}"
    );
    assert!(
        stderr.contains("items[0].code: 实施编码只能使用大写字母、数字、- 和 _"),
        "{stderr}"
    );
    assert!(stderr.contains("未导入任何内容"), "{stderr}");

    let export = dir.path().join("out.json");
    let out = onewindow(dir.path(), &["export-catalog", export.to_str().unwrap()]);
    assert!(out.status.success());
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    assert_eq!(
        exported["items"].as_array().unwrap().len(),
        0,
        "nothing was imported"
    );
}

#[test]
fn import_then_export_then_import_round_trips_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.json");
    std::fs::write(&demo, DEMO).unwrap();
    let out = onewindow(dir.path(), &["import-catalog", demo.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("事项：新增 21"));

    let export = dir.path().join("export.json");
    assert!(
        onewindow(dir.path(), &["export-catalog", export.to_str().unwrap()])
            .status
            .success()
    );
    let out = onewindow(dir.path(), &["import-catalog", export.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("事项：新增 0，更新 0，未变 21"), "{stdout}");

    // The shipped demo file is kept in the canonical form that export writes.
    assert_eq!(
        std::fs::read_to_string(&export).unwrap(),
        DEMO,
        "catalog/demo.json is not canonical: re-export it"
    );
}

#[test]
fn a_missing_file_and_malformed_json_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = onewindow(dir.path(), &["import-catalog", "/no/such/file.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法读取目录文件"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format_version\": 1,,}").unwrap();
    let out = onewindow(dir.path(), &["import-catalog", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 1 行"));
}
