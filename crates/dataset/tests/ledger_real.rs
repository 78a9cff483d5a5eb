//! The host-nation-support and troop readers on the real files in `host_nation_support/`
//! and `troopdata/`, against the spot checks in their SOURCE.md and the derived file of
//! yearly means (skipped where the raw folder is absent).

use std::collections::BTreeMap;
use std::path::PathBuf;

use fairshare_dataset::ingest::{host_nation_support as hns, troopdata};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Flag, Measure, YearBasis};

fn raw_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("FAIRSHARE_RAW") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/raw"
        )),
    };
    if dir.join("host_nation_support").is_dir() && dir.join("troopdata").is_dir() {
        Some(dir)
    } else {
        eprintln!("raw files absent: skipped {test}");
        None
    }
}

#[test]
fn host_nation_support_spot_checks() {
    let Some(raw) = raw_dir("host_nation_support_spot_checks") else {
        return;
    };
    let out = hns::read(&raw, &builtin_countries()).unwrap();
    let value = |country: &str, definition: &str, year: i32| {
        out.observations
            .iter()
            .find(|o| o.country == country && o.definition == definition && o.year == year)
            .and_then(|o| o.value)
    };
    // Korea 2019 = 1.0389 tn won, 2021 = 1.1833 tn, 2026 = 1.5192 tn.
    assert_eq!(value("KOR", hns::KR_SMA, 2019), Some(1.0389e12));
    assert_eq!(value("KOR", hns::KR_SMA, 2021), Some(1.1833e12));
    assert_eq!(value("KOR", hns::KR_SMA, 2026), Some(1.5192e12));
    assert_eq!(value("KOR", hns::KR_SMA, 2023), None);
    let approx: Vec<i32> = out
        .observations
        .iter()
        .filter(|o| o.country == "KOR" && o.flags.contains(Flag::Approximate))
        .map(|o| o.year)
        .collect();
    assert_eq!(approx, vec![1991, 2022, 2025]);
    // Japan's peak FY1999: ¥275.6 bn budgeted, ¥271.8 bn settled (two keys, one year).
    assert_eq!(value("JPN", hns::JP_BUDGET, 1999), Some(275.6e9));
    assert_eq!(value("JPN", hns::JP_SETTLEMENT, 1999), Some(271.775e9));
    assert!(
        out.observations
            .iter()
            .filter(|o| o.country == "JPN")
            .all(|o| o.year_basis == YearBasis::FY_APR && o.measure == Measure::HnsLcu)
    );
    // Agreements: FY2016-20 ¥189.3 bn a year, FY2022-26 ¥1,055.1 bn = ¥211.0 bn a year.
    let plan = |id: &str| {
        out.commitments
            .plans
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no plan {id}"))
    };
    let fy22 = plan("jp-sma-fy2022-26");
    assert_eq!(fy22.amount, 1.0551e12);
    assert_eq!(fy22.amount / f64::from(fy22.years()), 211.02e9);
    let fy16 = plan("jp-sma-fy2016-20");
    assert_eq!(fy16.amount / f64::from(fy16.years()), 189.3e9);
    assert!(plan("jp-sma-fy2011-15").flags.contains(Flag::Approximate));
    assert_eq!(out.commitments.plans.len(), 4);
    assert_eq!(out.sources.len(), 3);
    assert_eq!(out.definitions.len(), 4);
}

#[test]
fn troop_means_match_the_derived_file_for_all_its_rows() {
    let Some(raw) = raw_dir("troop_means_match_the_derived_file_for_all_its_rows") else {
        return;
    };
    let started = std::time::Instant::now();
    let out = troopdata::read(&raw, &builtin_countries()).unwrap();
    eprintln!(
        "troopdata reports read in {:?}: {} observations",
        started.elapsed(),
        out.observations.len()
    );
    let mine: BTreeMap<(&str, i32), f64> = out
        .observations
        .iter()
        .map(|o| ((o.country.as_str(), o.year), o.value.unwrap()))
        .collect();
    // The derived file: iso3c,year,n_reports,troops_ad_mean (rounded),...
    let text = std::fs::read_to_string(raw.join("troopdata/key_allies_troops_annual_derived.csv"))
        .unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (code, year, mean) = (
            cells[0],
            cells[1].parse::<i32>().unwrap(),
            cells[3].parse::<f64>().unwrap(),
        );
        let got = mine
            .get(&(code, year))
            .unwrap_or_else(|| panic!("no {code} {year}"));
        assert!((got - mean).abs() <= 0.5, "{code} {year}: {got} vs {mean}");
        checked += 1;
    }
    assert_eq!(checked, 360);
    // SOURCE.md spot checks.
    let round = |c: &str, y: i32| mine[&(c, y)].round();
    assert_eq!(round("JPN", 2012), 49_350.0);
    assert_eq!(round("JPN", 2019), 55_950.0);
    assert_eq!(round("JPN", 2025), 53_621.0);
    assert_eq!(mine[&("JPN", 2024)], 52_753.75);
    assert_eq!(mine[&("KOR", 2024)], 23_592.0);
    assert_eq!(round("KOR", 2014), 29_374.0);
    assert_eq!(round("DEU", 1990), 227_586.0);
    assert_eq!(round("DEU", 2024), 34_912.0);
    // Glitches flagged, not smoothed; Korea's note on every Korean figure.
    let obs = |c: &str, y: i32| {
        out.observations
            .iter()
            .find(|o| o.country == c && o.year == y)
            .unwrap()
    };
    assert_eq!(mine[&("JPN", 2015)], 58_362.5);
    for y in [1960, 1970, 1973, 2015, 2016] {
        assert!(obs("JPN", y).flags.contains(Flag::Glitch), "JPN {y}");
    }
    for y in [1974, 2014, 2017, 2024] {
        assert!(!obs("JPN", y).flags.contains(Flag::Glitch), "JPN {y}");
    }
    assert!(
        out.observations
            .iter()
            .filter(|o| o.country == "KOR")
            .all(|o| o.notes.split(';').any(|k| k == "kor-assigned"))
    );
    // South Vietnam's rows (no code, under Vietnam) are kept.
    assert!(mine[&("VNM", 1968)] > 500_000.0);
    assert_eq!(
        out.sources[0].vintage,
        "troopdata rebuild, DMDC reports to December 2025"
    );
}
