//! `fairshare scenario`: built-in scenarios run on the committed dataset, outputs are
//! deterministic across thread counts, `--out` writes the tables and fan charts, and a
//! malformed file gets one line naming file, line, column and field.

mod common;

use common::{fails_with_2, fairshare, json};

fn run_bytes(args: &[&str], threads: &str) -> Vec<u8> {
    let out = fairshare()
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn every_builtin_scenario_runs_on_the_committed_dataset() {
    let list = json(&["scenario", "list", "--format", "json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 7, "{names:?}");
    for name in names {
        let v = json(&[
            "scenario", "run", name, "--paths", "500", "--format", "json",
        ]);
        assert_eq!(v["scenario"], name);
        assert_eq!(v["paths"], 500);
        let records = v["records"].as_array().unwrap();
        assert!(!records.is_empty(), "{name}");
        for r in records {
            for k in ["q05", "q25", "q50", "q75", "q95"] {
                assert!(r[k].as_f64().unwrap().is_finite(), "{name} {r}");
            }
            assert!(r["unit"].is_string() && r["source"].is_string() && r["vintage"].is_string());
        }
    }
}

#[test]
fn bring_forward_answers_in_yen_and_dollars_with_bands() {
    let v = json(&[
        "scenario",
        "run",
        "japan-bring-forward-2024",
        "--format",
        "json",
    ]);
    assert_eq!(v["seed"], 20240222);
    assert_eq!(v["paths"], 10000);
    assert_eq!(v["base_year"], 2024);
    let rec = |measure: &str, year: i64| {
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["branch"] == "combined" && r["measure"] == measure && r["year"] == year)
            .unwrap_or_else(|| panic!("{measure} {year}"))
            .clone()
    };
    // 2% of Japan's 2025 GDP (IMF WEO: about ¥625 tn) is about ¥12.5 tn; SIPRI's 2024
    // share (1.37%) held on the same GDP is lower, so the extra is about ¥3.8 tn.
    let lcu = rec("milex_lcu", 2025);
    let q50 = lcu["q50"].as_f64().unwrap();
    assert!((11.5e12..13.0e12).contains(&q50), "{q50}");
    assert_eq!(lcu["unit"], "lcu");
    let extra = rec("milex_extra_lcu", 2025);
    let e = extra["q50"].as_f64().unwrap();
    assert!((3.0e12..5.0e12).contains(&e), "{e}");
    let usd = rec("milex_extra_usd", 2025);
    assert!(usd["q05"].as_f64().unwrap() < usd["q95"].as_f64().unwrap());
    assert_eq!(rec("milex_gdp", 2030)["p_target_met"]["2pct"], 1.0);
    // Bands widen with the horizon.
    let width = |r: &serde_json::Value| r["q95"].as_f64().unwrap() - r["q05"].as_f64().unwrap();
    assert!(width(&rec("milex_lcu", 2035)) > width(&rec("milex_lcu", 2025)));
    let table = String::from_utf8(run_bytes(
        &[
            "scenario",
            "run",
            "japan-bring-forward-2024",
            "--paths",
            "1000",
        ],
        "2",
    ))
    .unwrap();
    assert!(table.contains("JPY") && table.contains("US$"), "{table}");
    assert!(
        table.contains("sources: sipri-milex-2025; imf-weo-2025-04"),
        "{table}"
    );
}

#[test]
fn election_branch_probability_comes_from_the_polls() {
    let v = json(&[
        "scenario",
        "run",
        "election-2024",
        "--paths",
        "1000",
        "--format",
        "json",
    ]);
    let trump = v["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "trump")
        .unwrap();
    let p = trump["probability"].as_f64().unwrap();
    assert!((0.5..0.95).contains(&p), "{p}");
    let method = trump["method"].as_str().unwrap();
    assert!(
        method.contains("national Trump v Biden polls ending 2024-01-01 to 2024-02-29"),
        "{method}"
    );
    assert!(method.contains("not the electoral college"), "{method}");
    let biden = v["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "biden")
        .unwrap();
    assert!((biden["probability"].as_f64().unwrap() + p - 1.0).abs() < 1e-12);
}

#[test]
fn same_seed_same_bytes_on_one_or_two_threads() {
    for format in ["json", "csv"] {
        let args = [
            "scenario",
            "run",
            "election-2024",
            "--paths",
            "3000",
            "--seed",
            "99",
            "--format",
            format,
        ];
        assert_eq!(run_bytes(&args, "1"), run_bytes(&args, "2"), "{format}");
    }
    let a = run_bytes(
        &[
            "scenario",
            "run",
            "korea-withdrawal",
            "--paths",
            "2000",
            "--seed",
            "1",
            "--format",
            "json",
        ],
        "2",
    );
    let b = run_bytes(
        &[
            "scenario",
            "run",
            "korea-withdrawal",
            "--paths",
            "2000",
            "--seed",
            "2",
            "--format",
            "json",
        ],
        "2",
    );
    assert_ne!(a, b, "a different seed draws different paths");
}

#[test]
fn out_writes_tables_and_fan_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let stdout = run_bytes(
        &[
            "scenario",
            "run",
            "japan-5pct-2035",
            "--paths",
            "800",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
        "2",
    );
    assert!(!stdout.is_empty());
    let csv = std::fs::read_to_string(out.join("quantiles.csv")).unwrap();
    assert!(csv.starts_with("branch,country,measure,year,year_basis,unit,value,mean,q05,q25,q50,q75,q95,p_target_met,cumulative_extra_lcu"));
    let parsed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("quantiles.json")).unwrap())
            .unwrap();
    assert_eq!(parsed["scenario"], "japan-5pct-2035");
    let svg = std::fs::read_to_string(out.join("fan-JPN-milex_lcu.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(
        svg.contains("SIPRI 2025"),
        "footer cites the source and vintage"
    );
    assert!(svg.contains("90% of paths"), "the title states the finding");
    assert!(out.join("fan-JPN-milex_gdp.svg").exists());
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn malformed_files_and_arguments_get_one_line_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "prob.toml",
            "name = \"x\"\nhorizon = [2025, 2030]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n[[events]]\nkind = \"withdrawal\"\ncountry = \"JPN\"\nyear = 2026\nprobability = 1.5\nreplacement_pct_gdp = 1.0\n",
            "prob.toml:9:15: `events[0].probability`",
        ),
        (
            "year.toml",
            "name = \"x\"\nhorizon = [2025, 2030]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n[policy.JPN]\nrule = \"share_by_year\"\nshare = 2.0\nby = 2040\n",
            "year.toml:8:6: `policy.JPN.by`",
        ),
        (
            "country.toml",
            "name = \"x\"\nhorizon = [2025, 2030]\ndefinition = \"sipri\"\ncountries = [\"JPN\", \"XYZ\"]\n",
            "country.toml:4:21: `countries[1]`: unknown country code `XYZ`",
        ),
        (
            "syntax.toml",
            "name = \"x\"\nhorizon = [2025,",
            "syntax.toml:2:",
        ),
        (
            "far.toml",
            "name = \"x\"\nhorizon = [2025, 2040]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n",
            "far.toml: `horizon`: the horizon ends in 2040",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = fails_with_2(&["scenario", "run", path.to_str().unwrap(), "--paths", "10"]);
        assert!(err.contains(expected), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    for (args, expected) in [
        (
            vec!["scenario", "run", "no-such-scenario"],
            "unknown scenario `no-such-scenario`",
        ),
        (
            vec!["scenario", "run", "election-2024", "--paths", "10000000000"],
            "--paths 10000000000",
        ),
        (
            vec!["scenario", "run", "election-2024", "--paths", "0"],
            "--paths 0",
        ),
        (
            vec!["scenario", "run", "election-2024", "--seed", "-1"],
            "--seed -1",
        ),
        (
            vec!["scenario", "show", "nope.toml"],
            "unknown scenario `nope.toml`",
        ),
    ] {
        let err = fails_with_2(&args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
