//! End-to-end tests of `hns`, `share`, `decompose` and `claims check` on the committed
//! dataset: the figures the issue names, the record fields, the stated scope and rates,
//! and every bad input exiting 2 with one clear line.

mod common;

use common::{fails_with_2, fairshare, json, repo_root};
use serde_json::Value;

fn records(args: &[&str]) -> Vec<Value> {
    json(args).as_array().expect("an array of records").clone()
}

fn table(args: &[&str]) -> String {
    let out = fairshare().args(args).output().expect("run fairshare");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn f(rec: &Value, field: &str) -> f64 {
    rec[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {rec}"))
}

fn one_line(err: &str) {
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn hns_japan_json_has_the_ledger_fields_and_scope() {
    let recs = records(&["hns", "Japan", "--demand", "8e9USD", "--format", "json"]);
    for r in &recs {
        for field in [
            "country",
            "measure",
            "year",
            "year_basis",
            "value",
            "unit",
            "definition",
            "source",
            "vintage",
            "flags",
            "hns_lcu",
            "hns_usd",
            "us_troops",
            "hns_per_troop_usd",
            "scope",
            "exchange_rate",
            "demand_multiple",
        ] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
        assert!(
            r["scope"]
                .as_str()
                .unwrap()
                .contains("excludes the US-forces realignment, SACO and base-land costs")
        );
        assert_eq!(r["year_basis"], "fy_apr");
    }
    // FY2022-26: the agreement's average, ¥211.02 bn, flagged plan.
    let fy24 = recs.iter().find(|r| r["year"] == 2024).unwrap();
    assert_eq!(f(fy24, "hns_lcu"), 211.02e9);
    assert_eq!(fy24["kind"], "agreement_average");
    assert_eq!(fy24["agreement"], "jp-sma-fy2022-26");
    assert!(
        fy24["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("plan"))
    );
    assert_eq!(f(fy24, "us_troops"), 52_753.75);
    let usd = f(fy24, "hns_usd");
    assert!((f(fy24, "hns_lcu") / f(fy24, "lcu_per_usd") - usd).abs() < 1e-3);
    assert!((usd / f(fy24, "us_troops") - f(fy24, "hns_per_troop_usd")).abs() < 1e-6);
    assert!((f(fy24, "demand_multiple") - 5.72).abs() < 0.01);
    assert_eq!(
        fy24["exchange_rate"],
        "9/12 imf-implied 2024 + 3/12 imf-implied 2025"
    );
    // A year without a figure is null, not interpolated.
    let fy2005 = recs.iter().find(|r| r["year"] == 2005).unwrap();
    assert_eq!(fy2005["value"], Value::Null);
    assert_eq!(fy2005["kind"], "no_figure");
    // FY1999 has two bases: budget and settled outlays.
    let fy1999: Vec<&Value> = recs.iter().filter(|r| r["year"] == 1999).collect();
    assert_eq!(fy1999.len(), 2);
}

#[test]
fn hns_tables_state_scope_rates_and_the_demand_headline() {
    let text = table(&["hns", "Japan", "--demand", "8e9USD"]);
    assert!(text.contains("scope: SMA cost-sharing"), "{text}");
    assert!(text.contains("demand US$ 8.000 bn a year against FY2026 support of JPY 211.020 bn"));
    assert!(text.contains("x the support"));
    assert!(text.contains("of the FY2024 defence budget (sipri"));
    assert!(text.contains("troop counts flagged glitch"));
    assert!(text.contains("flag spliced:"));
    assert!(text.contains("source troopdata-reports:"));

    let fy24 = table(&["hns", "Japan", "--demand", "8e9USD", "--year", "2024"]);
    assert!(
        fy24.contains("against FY2024 support of JPY 211.020 bn"),
        "{fy24}"
    );
    assert!(fy24.contains("= 5.72 x the support"));
    let korea = table(&["hns", "South Korea", "--demand", "10e9 USD"]);
    assert!(
        korea.contains("against 2026 support of KRW 1.519 tn"),
        "{korea}"
    );
    assert!(korea.contains("excludes units on rotation"));
    let recs = records(&["hns", "KOR", "--format", "json"]);
    let y2026 = recs.iter().find(|r| r["year"] == 2026).unwrap();
    assert_eq!(f(y2026, "hns_lcu"), 1.5192e12);
    assert_eq!(y2026["year_basis"], "calendar");
    let y2024 = recs.iter().find(|r| r["year"] == 2024).unwrap();
    assert_eq!(y2024["hns_lcu"], Value::Null);
    assert_eq!(f(y2024, "us_troops"), 23_592.0);
    // A demand in won needs no exchange rate; the national budget can be chosen.
    let won = records(&["hns", "KOR", "--demand", "1.5192e12KRW", "--format", "json"]);
    let y2026 = won.iter().find(|r| r["year"] == 2026).unwrap();
    assert_eq!(f(y2026, "demand_multiple"), 1.0);
    let modb = records(&[
        "hns",
        "Japan",
        "--budget",
        "national:jp-mod",
        "--from",
        "2021",
        "--format",
        "json",
    ]);
    assert!(
        modb.iter()
            .all(|r| r["budget_definition"] == "national:jp-mod")
    );
    assert!(f(&modb[0], "share_of_budget") > 3.0);
}

#[test]
fn hns_bad_input_exits_2_with_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["hns", "Japan", "--demand", "8e9"],
            "--demand: demand '8e9' has no currency: write an amount and a currency code, e.g. 8e9USD",
        ),
        (
            &["hns", "Japan", "--demand", "8e9EUR"],
            "demand in EUR: the currency must be USD or Japan's JPY",
        ),
        (
            &["hns", "Japan", "--demand", "8e9DOLLARS"],
            "unknown currency 'DOLLARS'",
        ),
        (
            &["hns", "Germany"],
            "no host-nation support data for Germany (DEU): fairshare has it for JPN (Japan), KOR (South Korea)",
        ),
        (
            &["hns", "Japan", "--budget", "nato"],
            "definition nato has no defence budget (milex_lcu) for JPN on fy_apr years",
        ),
        (&["hns", "Japn"], "unknown country 'Japn'"),
        (
            &["hns", "Japan", "--demand", "8e9USD", "--year", "2030"],
            "no support figure with an exchange rate for JPN in 2030 (support figures: 1978-2026)",
        ),
    ];
    for (args, expected) in cases {
        let err = fails_with_2(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        one_line(&err);
    }
}

#[test]
fn share_nato_2024_and_its_errors() {
    let recs = records(&[
        "share",
        "--alliance",
        "NATO",
        "--year",
        "2024",
        "--format",
        "json",
    ]);
    assert_eq!(recs.len(), 32);
    assert_eq!(recs[0]["country"], "USA");
    assert_eq!(recs[0]["measure"], "fair_share_ratio");
    let total: f64 = recs
        .iter()
        .filter_map(|r| r["share_of_milex"].as_f64())
        .sum();
    assert!((total - 100.0).abs() < 1e-9);
    let usa = &recs[0];
    assert!((f(usa, "ratio") - f(usa, "share_of_milex") / f(usa, "share_of_gdp")).abs() < 1e-12);
    let text = table(&["share", "--alliance", "nato", "--year", "2024"]);
    assert!(text.contains("NATO 2024: 32 members counted"), "{text}");
    assert!(text.contains("Olson & Zeckhauser"));
    let nato = table(&["share", "--year", "2024", "--definition", "nato"]);
    assert!(nato.contains("nato spending, nato GDP"), "{nato}");
    let asia = table(&[
        "share",
        "--alliance",
        "US-treaty-allies",
        "--year",
        "2024",
        "--include-partner",
    ]);
    assert!(asia.contains("NZL (suspended)"), "{asia}");
    for (args, expected) in [
        (
            &["share", "--year", "2024", "--definition", "wb"][..],
            "definition wb publishes no spending in US$ (milex_usd_current): use nato, sipri",
        ),
        (
            &["share", "--alliance", "SEATO", "--year", "2024"][..],
            "unknown alliance 'SEATO'",
        ),
        (&["share", "--year", "1800"][..], "--from 1800 is outside"),
    ] {
        let err = fails_with_2(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        one_line(&err);
    }
}

#[test]
fn decompose_japan_multiplies_back_exactly() {
    let recs = records(&[
        "decompose",
        "Japan",
        "--from",
        "2012",
        "--to",
        "2024",
        "--format",
        "json",
    ]);
    let factor = |name: &str| {
        f(
            recs.iter().find(|r| r["component"] == name).unwrap(),
            "factor",
        )
    };
    let product = factor("real") * factor("inflation") * factor("exchange_rate");
    assert!((product / factor("total") - 1.0).abs() < 1e-12);
    assert!(factor("total") < 1.0 && factor("exchange_rate") < 0.55 && factor("real") > 1.4);
    let log_changes: f64 = recs[1..].iter().map(|r| f(r, "log_change")).sum();
    assert!((log_changes - f(&recs[0], "log_change")).abs() < 1e-9);
    let text = table(&["decompose", "Japan", "--from", "2012", "--to", "2024"]);
    assert!(
        text.contains("deflator: GDP deflator, IMF WEO (NGDP_D)"),
        "{text}"
    );
    assert!(
        text.contains("2012 79.790 (wb 2012) -> 2024 151.366 (imf-implied 2024); flags spliced")
    );
    assert!(text.contains("the publisher's own US$ figures: US$ 60.012 bn -> US$ 55.274 bn"));
    for (args, expected) in [
        (
            &["decompose", "Japan", "--from", "2024", "--to", "2012"][..],
            "--from 2024 is after --to 2012",
        ),
        (
            &[
                "decompose",
                "Japan",
                "--from",
                "2012",
                "--to",
                "2024",
                "--deflator",
                "wb",
            ][..],
            "no World Bank GDP deflator for JPN 2024",
        ),
        (
            &["decompose", "Iceland", "--from", "1990", "--to", "2024"][..],
            "no sipri spending in local currency (milex_lcu) for ISL 1990",
        ),
    ] {
        let err = fails_with_2(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        one_line(&err);
    }
}

#[test]
fn claims_check_the_diplomat_article() {
    let file = repo_root().join("claims/diplomat-2024.toml");
    let file = file.to_str().unwrap();
    let recs = records(&["claims", "check", file, "--format", "json"]);
    let verdicts: Vec<(&str, &str)> = recs
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            ("world-burden-2022", "matches"),
            ("japan-burden-2022", "revised"),
            ("nato-2pct-standard", "matches"),
            ("japan-2pct-fy2027", "matches"),
            ("abe-assassinated", "not checkable"),
        ]
    );
    let japan = &recs[1];
    assert_eq!(f(japan, "earlier"), 1.08);
    assert_eq!(japan["earlier_vintage"], "SIPRI 2023 (2023-04-24)");
    assert!(f(japan, "current") < 1.05);
    assert_eq!(japan["source"], "sipri-milex-2025");
    let text = table(&["claims", "check", file]);
    assert!(
        text.contains("5 claims: 3 matches, 1 revised, 0 contradicted, 1 not checkable"),
        "{text}"
    );
    assert!(text.contains("recorded by Nippon.com"));
}

#[test]
fn claims_verdict_contradicted_and_malformed_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let wrong = write(
        "wrong.toml",
        "[[claim]]\ncountry = \"Japan\"\nmeasure = \"milex_gdp\"\nyear = 2022\nvalue = 1.5\n\
         decimals = 1\nsource = \"SIPRI\"\n",
    );
    let recs = records(&["claims", "check", &wrong, "--format", "json"]);
    assert_eq!(recs[0]["verdict"], "contradicted");
    let bad = write(
        "bad.toml",
        "[[claim]]\ncountry = \"Japan\"\nmeasure = \"milex_gdp\"\nyear = 2022\nvalue = \"1.1\"\n\
         decimals = 1\nsource = \"SIPRI\"\n",
    );
    let err = fails_with_2(&["claims", "check", &bad]);
    assert!(
        err.contains(
            "bad.toml: line 5, column 9, field 'value': invalid type: string \"1.1\", expected f64"
        ),
        "{err}"
    );
    one_line(&err);
    let no_decimals = write(
        "nodec.toml",
        "# a comment\n[[claim]]\ncountry = \"Japan\"\nmeasure = \"milex_gdp\"\nyear = 2022\nvalue = 1.1\n",
    );
    let err = fails_with_2(&["claims", "check", &no_decimals]);
    assert!(
        err.contains("nodec.toml: line 2, column 1, field 'decimals': claim 1 has no decimals"),
        "{err}"
    );
    let err = fails_with_2(&["claims", "check", "no-such-file.toml"]);
    assert!(err.contains("no-such-file.toml: cannot read"), "{err}");
    one_line(&err);
}

#[test]
fn troops_and_earlier_figures_are_in_the_dataset() {
    let recs = records(&[
        "show",
        "Japan",
        "--measure",
        "us_troops",
        "--from",
        "2024",
        "--to",
        "2024",
        "--format",
        "json",
    ]);
    assert_eq!(f(&recs[0], "value"), 52_753.75);
    assert_eq!(recs[0]["definition"], "dmdc");
    let text = table(&["explain", "KOR", "us_troops", "2024"]);
    assert!(text.contains("rotation"), "{text}");
    let sources = records(&["sources", "--format", "json"]);
    for id in [
        "hns-japan-fy",
        "hns-japan-sma",
        "hns-korea-sma",
        "troopdata-reports",
        "earlier-figures",
    ] {
        assert!(sources.iter().any(|s| s["id"] == id), "{id}");
    }
}
