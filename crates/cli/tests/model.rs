//! End-to-end tests of `fairshare model nash | exploitation | fit` on the committed
//! dataset: the textbook Nash fixture as exact JSON, the alliance mode and its what-ifs,
//! the NATO exploitation series, the demand regression's tables, and bad input exiting 2
//! with one clear line (file:line for specification files).

mod common;

use common::{fails_with_2, fairshare, json};
use serde_json::Value;

fn stdout(args: &[&str]) -> String {
    let out = fairshare().args(args).output().expect("run fairshare");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn nash_fixture_is_exact_json() {
    let text = stdout(&[
        "model",
        "nash",
        "--incomes",
        "100,80,20",
        "--weight",
        "0.5",
        "--format",
        "json",
    ]);
    assert_eq!(
        text,
        "{\"total\": 60, \"contributions\": [40, 20, 0], \"contributors\": [true, true, false]}\n"
    );
    let value: Value = serde_json::from_str(&text).unwrap();
    let expected: Value = serde_json::from_str(
        r#"{"total": 60, "contributions": [40, 20, 0], "contributors": [true, true, false]}"#,
    )
    .unwrap();
    assert_eq!(value, expected);

    let table = stdout(&["model", "nash", "--incomes", "100,80,20", "--weight", "0.5"]);
    assert!(
        table.contains("total 60 at price 1; 2 of 3 allies contribute"),
        "{table}"
    );

    // Corner solutions in input order; per-ally weights.
    let v = json(&[
        "model",
        "nash",
        "--incomes",
        "20,100,80",
        "--weight",
        "0.5,0.5,0.5",
        "--format",
        "json",
    ]);
    assert_eq!(v["contributions"], serde_json::json!([0, 40, 20]));
    assert_eq!(v["contributors"], serde_json::json!([false, true, true]));

    // What-if: without the richest ally the second pays everything.
    let v = json(&[
        "model",
        "nash",
        "--incomes",
        "100,80,20",
        "--weight",
        "0.5",
        "--remove",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(v["scenario"]["total"], 40);
    assert_eq!(
        v["scenario"]["contributions"],
        serde_json::json!([0, 40, 0])
    );
    assert_eq!(v["change"]["kind"], "remove");
}

#[test]
fn nash_on_nato_2024_with_the_us_removed() {
    let v = json(&[
        "model",
        "nash",
        "--alliance",
        "NATO",
        "--year",
        "2024",
        "--remove",
        "USA",
        "--format",
        "json",
    ]);
    assert_eq!(v["alliance"], "NATO");
    assert_eq!(v["year"], 2024);
    let members = v["members"].as_array().unwrap();
    assert_eq!(members.len(), 32);
    let usa = members.iter().find(|m| m["country"] == "USA").unwrap();
    assert_eq!(usa["scenario_role"], "removed");
    assert_eq!(usa["milex_source"], "sipri-milex-2025");
    // Observed spending is the calibrated equilibrium.
    for m in members {
        let (q, s) = (
            m["equilibrium_usd"].as_f64().unwrap(),
            m["milex_usd"].as_f64().unwrap(),
        );
        assert!((q - s).abs() < 1e-3, "{m}");
    }
    let total = v["total"].as_f64().unwrap();
    assert!(v["what_if"]["total"].as_f64().unwrap() < total);
    let ids: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["imf-weo-2025-04", "sipri-milex-2025"]);
    assert_eq!(v["sources"][1]["vintage"], "SIPRI 2025");

    let table = stdout(&[
        "model",
        "nash",
        "--alliance",
        "NATO",
        "--year",
        "2024",
        "--scale",
        "USA=0.5",
    ]);
    assert!(table.contains("NATO 2024 as a Nash equilibrium"), "{table}");
    assert!(
        table.contains("With USA providing 0.500 times its contribution (held fixed)"),
        "{table}"
    );
    assert!(
        table.contains("ISL spends nothing: a corner solution"),
        "{table}"
    );
    assert!(table.contains("source sipri-milex-2025:"), "{table}");

    // With no arguments: NATO in the latest year.
    let table = stdout(&["model", "nash"]);
    assert!(table.contains("NATO 2024 as a Nash equilibrium"), "{table}");
}

#[test]
fn exploitation_series_for_nato() {
    let rows = json(&[
        "model",
        "exploitation",
        "--alliance",
        "NATO",
        "--from",
        "1960",
        "--to",
        "2024",
        "--format",
        "json",
    ]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 65);
    let year = |y: i64| rows.iter().find(|r| r["year"] == y).unwrap();
    let r1964 = year(1964);
    assert_eq!(r1964["n"], 14);
    assert_eq!(r1964["members"].as_array().unwrap().len(), 14);
    assert_eq!(r1964["left_out"], serde_json::json!(["ISL"]));
    assert_eq!(r1964["p_method"], "t_approximation");
    assert_eq!(r1964["significant_5pct"], true);
    assert!(r1964["rho"].as_f64().unwrap() > 0.5);
    assert_eq!(year(1995)["significant_5pct"], false);
    assert_eq!(year(2024)["n"], 31);
    assert_eq!(
        year(2024)["vintages"],
        serde_json::json!(["IMF WEO April 2025", "SIPRI 2025"])
    );

    let table = stdout(&[
        "model",
        "exploitation",
        "--alliance",
        "NATO",
        "--from",
        "1960",
        "--to",
        "2024",
    ]);
    assert!(
        table.contains("1960s: 6 of 10 years significantly positive (exploitation)"),
        "{table}"
    );
    assert!(
        table.contains("1990s: 0 of 10 years significantly positive"),
        "{table}"
    );
    assert!(table.contains("source wb-datahub-gdp-usd:"), "{table}");

    // Small N: exact permutation p-values.
    let rows = json(&[
        "model",
        "exploitation",
        "--alliance",
        "US-treaty-allies",
        "--year",
        "2024",
        "--format",
        "json",
    ]);
    assert_eq!(rows[0]["n"], 6);
    assert_eq!(rows[0]["p_method"], "exact_permutation");
}

#[test]
fn fit_prints_a_summary_and_the_coefficient_table() {
    let text = stdout(&["model", "fit"]);
    for needle in [
        "Demand for military expenditure: demand-nato-us-allies-1990",
        "957 country-years, 36 countries",
        "cluster-robust by country (G = 36)",
        "L.ln_milex ",
        "Long-run elasticities b/(1-l), delta-method standard errors",
        "Nickell bias",
        "Rival dropped for lack of data: PRK (listed for JPN, KOR)",
        "Year effects are off",
        "source sipri-milex-2025:",
        "R² (within)",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    let rows = json(&["model", "fit", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    let terms: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["term"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        terms,
        vec![
            ("L.ln_milex", "short_run"),
            ("ln_gdp", "short_run"),
            ("ln_spill", "short_run"),
            ("ln_threat", "short_run"),
            ("ln_gdp", "long_run"),
            ("ln_spill", "long_run"),
            ("ln_threat", "long_run"),
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r["se_kind"] == "cluster_robust_country" && r["nobs"] == 957)
    );
    let csv = stdout(&["model", "fit", "--format", "csv"]);
    assert!(csv.starts_with("spec,term,kind,estimate,std_error,se_kind,t,p_value,ci_low,ci_high,nobs,groups,r2_within,sources,vintages\n"), "{csv}");
    assert_eq!(csv.lines().count(), 8);
}

#[test]
fn fit_exports_its_panel() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.csv");
    stdout(&[
        "model",
        "fit",
        "--format",
        "csv",
        "--export-panel",
        path.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat\n"));
    assert!(text.contains("\nJPN,1989,0,"));
    assert!(text.contains("\nJPN,1990,1,"));
}

#[test]
fn bad_model_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let builtin =
        std::fs::read_to_string(common::repo_root().join("models/demand-nato-us-allies-1990.toml"))
            .unwrap();
    let write = |name: &str, from: &str, to: &str| {
        assert!(builtin.contains(from), "{from}");
        let path = dir.path().join(name);
        std::fs::write(&path, builtin.replacen(from, to, 1)).unwrap();
        path.to_str().unwrap().to_string()
    };
    let unknown_variable = write(
        "v.toml",
        "\"ln_gdp\", \"ln_spill\"",
        "\"ln_income\", \"ln_spill\"",
    );
    let unknown_rival = write("r.toml", "AUS = [\"CHN\"]", "AUS = [\"CHN\", \"XYZ\"]");
    let too_few = write("f.toml", "from = 1990", "from = 2024");
    let no_rival_data = write("k.toml", "KOR = [\"PRK\", \"CHN\"]", "KOR = [\"PRK\"]");
    let collinear = write("c.toml", "year_effects = false", "year_effects = true");
    let collinear = {
        // Everyone's rival is Russia: THREAT is common to all countries in a year.
        let text = std::fs::read_to_string(&collinear).unwrap();
        let text: String = text
            .lines()
            .filter(|l| {
                ![
                    "USA =", "GRC =", "TUR =", "JPN =", "KOR =", "AUS =", "PHL =", "THA =",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&collinear, text).unwrap();
        collinear
    };
    let syntax = write("s.toml", "from = 1990", "from = 1990x");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["model", "fit", "--spec", &unknown_variable],
            format!("{unknown_variable}:27:15: model.regressors: unknown variable 'ln_income'"),
        ),
        (
            vec!["model", "fit", "--spec", &unknown_rival],
            format!("{unknown_rival}:47:15: rivals.AUS: rival: unknown country 'XYZ'"),
        ),
        (
            vec!["model", "fit", "--spec", &too_few],
            format!("{too_few}:17:8: sample: too few observations"),
        ),
        (
            vec!["model", "fit", "--spec", &no_rival_data],
            format!(
                "{no_rival_data}:46:1: rivals.KOR: none of KOR's rivals (PRK) has spending data"
            ),
        ),
        (
            vec!["model", "fit", "--spec", &collinear],
            format!(
                "{collinear}:27:14: model.regressors: perfect collinearity among ln_threat and the year effects"
            ),
        ),
        (
            vec!["model", "fit", "--spec", &syntax],
            format!("{syntax}:17:8: syntax:"),
        ),
        (
            vec!["model", "fit", "--spec", "no-such-spec"],
            "no such file, and not a built-in specification".into(),
        ),
        (
            vec!["model", "nash", "--incomes", "100,x"],
            "--incomes: 'x' is not a number".into(),
        ),
        (
            vec!["model", "nash", "--incomes", "100,80"],
            "--incomes needs --weight".into(),
        ),
        (
            vec!["model", "nash", "--incomes", "100,80", "--weight", "1.5"],
            "weight of ally 1 is 1.5".into(),
        ),
        (
            vec![
                "model",
                "nash",
                "--incomes",
                "100,80",
                "--weight",
                "0.5,0.5,0.5",
            ],
            "weights has 3 values but there are 2 incomes".into(),
        ),
        (
            vec![
                "model",
                "nash",
                "--incomes",
                "100,80",
                "--weight",
                "0.5",
                "--remove",
                "3",
            ],
            "'3' is not an ally".into(),
        ),
        (
            vec![
                "model",
                "nash",
                "--alliance",
                "NATO",
                "--year",
                "2024",
                "--remove",
                "JPN",
            ],
            "JPN (Japan) is not a member of NATO in 2024".into(),
        ),
        (
            vec![
                "model",
                "nash",
                "--alliance",
                "NATO",
                "--year",
                "2024",
                "--scale",
                "USA",
            ],
            "expected MEMBER=FACTOR".into(),
        ),
        (
            vec!["model", "nash", "--alliance", "SEATO"],
            "unknown alliance 'SEATO'".into(),
        ),
        (
            vec!["model", "nash", "--alliance", "NATO", "--year", "1940"],
            "NATO had no members in 1940".into(),
        ),
        (
            vec![
                "model",
                "exploitation",
                "--alliance",
                "NATO",
                "--from",
                "2000",
                "--to",
                "1990",
            ],
            "the range is reversed".into(),
        ),
    ];
    for (args, expected) in cases {
        let err = fails_with_2(&args);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(
            err.contains(&expected),
            "{args:?}: expected '{expected}' in {err}"
        );
    }
}
