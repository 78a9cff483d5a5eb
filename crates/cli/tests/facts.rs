//! End-to-end tests of the fact commands on the committed dataset: published figures,
//! provenance, formats, and every bad input exiting 2 with one clear line.

mod common;

use common::{fails_with_2, fairshare, json};
use predicates::prelude::*;
use serde_json::Value;

fn one(args: &[&str]) -> Value {
    let v = json(args);
    let arr = v.as_array().expect("array");
    assert_eq!(arr.len(), 1, "expected one record for {args:?}: {v:#}");
    arr[0].clone()
}

fn value(rec: &Value) -> f64 {
    rec["value"].as_f64().expect("numeric value")
}

fn flags(rec: &Value) -> Vec<String> {
    rec["flags"]
        .as_array()
        .expect("flags array")
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn japan_2022_burden_is_sipri_2025s_1_01_percent() {
    let rec = one(&[
        "show",
        "JPN",
        "--measure",
        "milex_gdp",
        "--from",
        "2022",
        "--to",
        "2022",
        "--format",
        "json",
    ]);
    assert!((value(&rec) - 1.0099).abs() < 1e-4, "{rec}");
    assert_eq!(format!("{:.2}", value(&rec)), "1.01");
    assert_eq!(rec["unit"], "pct_gdp");
    assert_eq!(rec["definition"], "sipri");
    assert_eq!(rec["source"], "sipri-milex-2025");
    assert_eq!(rec["vintage"], "SIPRI 2025");
    assert_eq!(rec["year_basis"], "calendar");
    assert_eq!(rec["country"], "JPN");
    assert!(flags(&rec).is_empty());
}

#[test]
fn published_sipri_figures() {
    // SIPRI 2025 release (source: sipri_milex/SOURCE.md spot checks).
    let cases = [
        ("JPN", "milex_gdp", 2023, 1.14, 0.005),
        ("JPN", "milex_gdp", 2024, 1.37, 0.005),
        ("KOR", "milex_gdp", 2022, 2.58, 0.005),
        ("KOR", "milex_gdp", 2024, 2.56, 0.005),
        ("USA", "milex_gdp", 2014, 3.68, 0.005),
        ("USA", "milex_gdp", 2024, 3.42, 0.005),
        ("USA", "milex_usd_current", 2024, 997_309e6, 1e6),
        ("JPN", "milex_usd_current", 2024, 55_274e6, 1e6),
        ("KOR", "milex_usd_current", 2024, 47_571e6, 1e6),
    ];
    for (c, m, y, want, tol) in cases {
        let ys = y.to_string();
        let rec = one(&[
            "show",
            c,
            "--measure",
            m,
            "--definition",
            "sipri",
            "--from",
            &ys,
            "--to",
            &ys,
            "--format",
            "json",
        ]);
        assert!(
            (value(&rec) - want).abs() <= tol,
            "{c} {m} {y}: {} vs {want}",
            value(&rec)
        );
        assert_eq!(rec["source"], "sipri-milex-2025");
    }
}

#[test]
fn sipri_estimates_and_uncertain_figures_are_flagged() {
    // Blue cell N11 on "Share of GDP" (Libya 1960) and red cell X25 (Congo, Republic 1970).
    let libya = one(&[
        "show",
        "Libya",
        "--measure",
        "milex_gdp",
        "--from",
        "1960",
        "--to",
        "1960",
        "--format",
        "json",
    ]);
    assert!(flags(&libya).contains(&"estimate".to_string()), "{libya}");
    let congo = one(&[
        "show",
        "COG",
        "--measure",
        "milex_gdp",
        "--from",
        "1970",
        "--to",
        "1970",
        "--format",
        "json",
    ]);
    assert!(flags(&congo).contains(&"uncertain".to_string()), "{congo}");
    // SIPRI's "xxx": the state did not exist; a null with the reason, never a zero.
    let csk = one(&[
        "show",
        "Czechoslovakia",
        "--measure",
        "milex_gdp",
        "--from",
        "1995",
        "--to",
        "1995",
        "--format",
        "json",
    ]);
    assert!(csk["value"].is_null());
    assert_eq!(flags(&csk), vec!["not_independent".to_string()]);
    // SIPRI's "...": no data, also a null with its reason.
    let svn = one(&[
        "show",
        "Slovenia",
        "--measure",
        "milex_gdp",
        "--from",
        "1960",
        "--to",
        "1960",
        "--format",
        "json",
    ]);
    assert!(svn["value"].is_null());
    assert_eq!(flags(&svn), vec!["no_data".to_string()]);
}

#[test]
fn world_series_comes_from_the_world_banks_republication_of_sipri() {
    let v = json(&[
        "show",
        "WLD",
        "--measure",
        "milex_gdp",
        "--definition",
        "sipri",
        "--format",
        "json",
    ]);
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 30, "world series has {} years", rows.len());
    let y2022 = rows.iter().find(|r| r["year"] == 2022).unwrap();
    assert_eq!(format!("{:.2}", value(y2022)), "2.22");
    assert_eq!(y2022["source"], "wb-wdi-milex-gdp");
    assert_eq!(y2022["definition"], "sipri");
    let y2024 = rows.iter().find(|r| r["year"] == 2024).unwrap();
    assert_eq!(format!("{:.2}", value(y2024)), "2.47");
}

#[test]
fn nato_2024_estimate_for_poland_is_flagged() {
    let rec = one(&[
        "show",
        "POL",
        "--measure",
        "milex_gdp",
        "--definition",
        "nato",
        "--from",
        "2024",
        "--to",
        "2024",
        "--format",
        "json",
    ]);
    assert!((value(&rec) - 4.12).abs() < 0.005, "{rec}");
    assert_eq!(flags(&rec), vec!["estimate".to_string()]);
    assert_eq!(rec["source"], "nato-defexp-2024-06");
    assert_eq!(rec["vintage"], "NATO June 2024");
    let usa = one(&[
        "show",
        "USA",
        "--measure",
        "milex_gdp",
        "--definition",
        "nato",
        "--from",
        "2014",
        "--to",
        "2014",
        "--format",
        "json",
    ]);
    assert_eq!(format!("{:.2}", value(&usa)), "3.71");
}

#[test]
fn imf_weo_gdp_runs_to_2030_with_projections_flagged() {
    let v = json(&[
        "show",
        "JPN",
        "--measure",
        "gdp_lcu",
        "--definition",
        "imf_weo",
        "--format",
        "json",
    ]);
    let rows = v.as_array().unwrap();
    let last = rows.last().unwrap();
    assert_eq!(last["year"], 2030);
    assert!((value(last) - 706_485e9).abs() < 1e9);
    assert!(flags(last).contains(&"projection".to_string()));
    let y2022 = rows.iter().find(|r| r["year"] == 2022).unwrap();
    assert!((value(y2022) - 560_464e9).abs() < 1e9);
    let y2024 = rows.iter().find(|r| r["year"] == 2024).unwrap();
    assert!(flags(y2024).is_empty(), "2024 is an outturn: {y2024}");
    assert!(
        rows.iter()
            .filter(|r| r["year"].as_i64().unwrap() > 2024)
            .all(|r| flags(r).contains(&"projection".to_string()))
    );
}

#[test]
fn world_bank_and_datahub_figures() {
    let pop = one(&[
        "show",
        "JPN",
        "--measure",
        "population",
        "--definition",
        "wb",
        "--from",
        "2024",
        "--to",
        "2024",
        "--format",
        "json",
    ]);
    assert_eq!(value(&pop), 123_975_371.0);
    let fx = one(&[
        "show",
        "JPN",
        "--measure",
        "exchange_rate",
        "--from",
        "2023",
        "--to",
        "2023",
        "--format",
        "json",
    ]);
    assert!((value(&fx) - 140.49).abs() < 0.01);
    assert_eq!(fx["unit"], "lcu_per_usd");
}

#[test]
fn show_japan_prints_three_headline_measures_with_units_and_sources() {
    fairshare()
        .args(["show", "Japan", "--from", "2014"])
        .assert()
        .success()
        .stdout(predicate::str::contains("milex_gdp"))
        .stdout(predicate::str::contains("milex_usd_current"))
        .stdout(predicate::str::contains("milex_lcu"))
        .stdout(predicate::str::contains("pct_gdp"))
        .stdout(predicate::str::contains("usd_current"))
        .stdout(predicate::str::contains("sipri-milex-2025"))
        .stdout(predicate::str::contains("SIPRI 2025"));
    let v = json(&["show", "Japan", "--from", "2014", "--format", "json"]);
    let measures: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["measure"].as_str().unwrap())
        .collect();
    assert_eq!(
        measures.into_iter().collect::<Vec<_>>(),
        vec!["milex_gdp", "milex_lcu", "milex_usd_current"]
    );
    // Japan's April-March fiscal years stay apart from calendar years.
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["year_basis"] == "fy_apr")
    );
}

#[test]
fn names_and_codes_resolve_alike() {
    let a = json(&[
        "show",
        "South Korea",
        "--measure",
        "milex_gdp",
        "--from",
        "2020",
        "--format",
        "json",
    ]);
    let b = json(&[
        "show",
        "KOR",
        "--measure",
        "milex_gdp",
        "--from",
        "2020",
        "--format",
        "json",
    ]);
    let c = json(&[
        "show",
        "Korea, South",
        "--measure",
        "milex_gdp",
        "--from",
        "2020",
        "--format",
        "json",
    ]);
    assert_eq!(a, b);
    assert_eq!(b, c);
}

#[test]
fn csv_has_the_base_fields_and_full_precision() {
    let out = fairshare()
        .args([
            "show",
            "JPN",
            "--measure",
            "milex_gdp",
            "--from",
            "2022",
            "--to",
            "2022",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "country,country_name,measure,year,year_basis,value,unit,definition,source,vintage,flags"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("JPN,Japan,milex_gdp,2022,calendar,1.00994395391657")
    );
}

#[test]
fn explain_shows_both_publishers_of_one_series_with_vintage_and_notes() {
    fairshare()
        .args(["explain", "JPN", "milex_gdp", "2022"])
        .assert()
        .success()
        .stdout(predicate::str::contains("SIPRI 2025"))
        .stdout(predicate::str::contains("sipri-milex-2025"))
        .stdout(predicate::str::contains("wb-wdi-milex-gdp"))
        .stdout(predicate::str::contains(
            "SIPRI-Milex-data-1949-2024_2.xlsx",
        ))
        .stdout(predicate::str::contains("Share of GDP"))
        .stdout(predicate::str::contains("One series"))
        .stdout(predicate::str::contains("SACO"));
    let v = json(&["explain", "JPN", "milex_gdp", "2022", "--format", "json"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["shown_by_default"], true);
    assert_eq!(rows[0]["same_series_as"][0], "wb-wdi-milex-gdp");
}

#[test]
fn sources_lists_every_publisher_with_licence() {
    let v = json(&["sources", "--format", "json"]);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in [
        "sipri-milex-2025",
        "wb-wdi-milex-gdp",
        "imf-weo-2025-04",
        "nato-defexp-2024-06",
        "wb-datahub-population",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    for s in v.as_array().unwrap() {
        assert!(!s["licence"].as_str().unwrap().is_empty());
        // Every source backs something: observations, or registry rows (the
        // hand-compiled alliance and target lists).
        assert!(
            s["observations"].as_u64().unwrap() + s["registry_rows"].as_u64().unwrap() > 0,
            "{s}"
        );
    }
}

#[test]
fn bad_inputs_exit_2_with_one_clear_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["show", "Japn"],
            "unknown country 'Japn': did you mean JPN (Japan)?",
        ),
        (
            &["show", "JPN", "--measure", "milex_pct"],
            "unknown measure 'milex_pct': valid ones are milex_gdp",
        ),
        (
            &["show", "JPN", "--definition", "sipry"],
            "unknown definition 'sipry': valid ones are",
        ),
        (
            &["show", "JPN", "--from", "2020", "--to", "2010"],
            "--from 2020 is after --to 2010",
        ),
        (
            &["show", "JPN", "--from", "1800"],
            "--from 1800 is outside the dataset's years",
        ),
        (
            &["explain", "JPN", "milex_pct", "2022"],
            "unknown measure 'milex_pct'",
        ),
        (
            &["explain", "Atlantis", "milex_gdp", "2022"],
            "unknown country 'Atlantis'",
        ),
        (
            &["explain", "JPN", "milex_gdp", "1900"],
            "outside the dataset's years",
        ),
        (
            &["countries", "zzzz"],
            "no country code or name contains 'zzzz'",
        ),
    ];
    for (args, expected) in cases {
        let err = fails_with_2(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: not one line: {err}"
        );
    }
}

#[test]
fn embedded_dataset_passes_data_check() {
    fairshare()
        .args(["data", "check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 errors"));
}

#[test]
fn version_names_the_dataset_vintages() {
    fairshare()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("SIPRI 2025"))
        .stdout(predicate::str::contains("IMF WEO April 2025"));
}
