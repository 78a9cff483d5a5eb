//! The SIPRI reader on the real 2025 release, against the spot checks in
//! `sipri_milex/SOURCE.md` (skipped where the raw folder is absent).

use std::path::PathBuf;
use std::time::Instant;

use fairshare_dataset::ingest::{self, sipri};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Flag, Measure, Observation, Unit, YearBasis};

fn raw_dir() -> PathBuf {
    match std::env::var_os("FAIRSHARE_RAW") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/raw"
        )),
    }
}

fn find<'a>(
    obs: &'a [Observation],
    country: &str,
    measure: Measure,
    basis: YearBasis,
    year: i32,
) -> &'a Observation {
    obs.iter()
        .find(|o| {
            o.country == country && o.measure == measure && o.year_basis == basis && o.year == year
        })
        .unwrap_or_else(|| panic!("no {country} {measure} {basis} {year}"))
}

fn value(obs: &[Observation], country: &str, measure: Measure, year: i32) -> f64 {
    find(obs, country, measure, YearBasis::Calendar, year)
        .value
        .unwrap_or_else(|| panic!("{country} {measure} {year} has no value"))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn real_sipri_2025_release_matches_the_published_figures() {
    let raw = raw_dir();
    if !raw.join(sipri::FOLDER).is_dir() {
        println!("raw files absent: skipped real_sipri_2025_release_matches_the_published_figures");
        return;
    }
    let countries = builtin_countries();
    let path = ingest::find_file(&raw.join(sipri::FOLDER), "SIPRI-Milex-data-", ".xlsx").unwrap();
    let started = Instant::now();
    let (out, report) = sipri::read_workbook_with_report(&path, &countries).unwrap();
    println!("read {} in {:?}", path.display(), started.elapsed());
    println!("{report:#?}");

    assert_eq!(out.sources.len(), 1);
    let source = &out.sources[0];
    assert_eq!(source.id, "sipri-milex-2025");
    assert_eq!(source.vintage, "SIPRI 2025");
    assert_eq!(source.file, "SIPRI-Milex-data-1949-2024_2.xlsx");
    assert_eq!(source.rank, 10);
    assert!(
        out.observations
            .iter()
            .all(|o| o.vintage == "SIPRI 2025" && o.definition == "sipri")
    );

    let obs = &out.observations;
    // Share of GDP, percent.
    let japan_2022 = value(obs, "JPN", Measure::MilexGdp, 2022);
    assert!(
        (japan_2022 - 1.0099439539165745).abs() < 1e-9,
        "{japan_2022}"
    );
    assert_eq!(round2(japan_2022), 1.01);
    assert_eq!(round2(value(obs, "JPN", Measure::MilexGdp, 2023)), 1.14);
    assert_eq!(round2(value(obs, "JPN", Measure::MilexGdp, 2024)), 1.37);
    assert_eq!(round2(value(obs, "KOR", Measure::MilexGdp, 2022)), 2.58);
    assert_eq!(round2(value(obs, "KOR", Measure::MilexGdp, 2024)), 2.56);
    assert_eq!(round2(value(obs, "USA", Measure::MilexGdp, 2014)), 3.68);
    assert_eq!(round2(value(obs, "USA", Measure::MilexGdp, 2022)), 3.31);
    assert_eq!(round2(value(obs, "USA", Measure::MilexGdp, 2023)), 3.30);
    assert_eq!(round2(value(obs, "USA", Measure::MilexGdp, 2024)), 3.42);
    assert_eq!(
        find(obs, "JPN", Measure::MilexGdp, YearBasis::Calendar, 2022).unit,
        Unit::PctGdp
    );

    // Current US$, full dollars (the sheet's US$ m x 1e6).
    // SOURCE.md quotes whole millions.
    let close = |got: f64, want: f64| ((got - want) / want).abs() < 1e-6;
    let millions = |got: f64| (got / 1e6).round();
    let usa = value(obs, "USA", Measure::MilexUsdCurrent, 2024);
    assert!(close(usa, 997_309e6), "{usa}");
    let jpn = value(obs, "JPN", Measure::MilexUsdCurrent, 2024);
    assert_eq!(millions(jpn), 55_274.0, "{jpn}");
    let kor = value(obs, "KOR", Measure::MilexUsdCurrent, 2024);
    assert_eq!(millions(kor), 47_571.0, "{kor}");

    // Japan's local-currency figures on the FY sheet are April-March fiscal years.
    let jp_fy = find(obs, "JPN", Measure::MilexLcu, YearBasis::FY_APR, 2024);
    assert!(jp_fy.value.is_some());
    assert!(jp_fy.notes.split(';').any(|k| k == "56"), "{}", jp_fy.notes);
    assert!(
        find(obs, "JPN", Measure::MilexLcu, YearBasis::Calendar, 2024)
            .value
            .is_some()
    );

    // A blue figure: Libya's share of GDP in 1960 (cell N11) is a SIPRI estimate,
    // and 1977 (AE11) is not.
    let libya_1960 = find(obs, "LBY", Measure::MilexGdp, YearBasis::Calendar, 1960);
    assert!(
        libya_1960.flags.contains(Flag::Estimate),
        "{:?}",
        libya_1960
    );
    assert!(
        !find(obs, "LBY", Measure::MilexGdp, YearBasis::Calendar, 1977)
            .flags
            .contains(Flag::Estimate)
    );
    // A red figure: Congo (Republic) 1970 share of GDP (X25) is highly uncertain.
    let congo_1970 = find(obs, "COG", Measure::MilexGdp, YearBasis::Calendar, 1970);
    assert!(
        congo_1970.flags.contains(Flag::Uncertain),
        "{:?}",
        congo_1970
    );

    // Counts of coloured figures on the Share of GDP sheet.
    let gdp = report
        .sheets
        .iter()
        .find(|s| s.sheet == "Share of GDP")
        .unwrap();
    assert_eq!((gdp.estimate, gdp.uncertain), (1829, 147));

    // World totals: constant 2023 US$ bn, and the 2024 current-price column.
    let world_2024 = find(
        obs,
        "WLD",
        Measure::MilexUsdCurrent,
        YearBasis::Calendar,
        2024,
    );
    assert!(close(world_2024.value.unwrap(), 2718.18371875139e9));
    assert_eq!(world_2024.unit, Unit::UsdCurrent);
    let world_const = find(
        obs,
        "WLD",
        Measure::MilexUsdConstant,
        YearBasis::Calendar,
        2024,
    );
    assert!(close(world_const.value.unwrap(), 2676.5138864674996e9));
    assert_eq!(world_const.unit, Unit::UsdConstant2023);
    let world_1991 = find(
        obs,
        "WLD",
        Measure::MilexUsdConstant,
        YearBasis::Calendar,
        1991,
    );
    assert_eq!(world_1991.value, None);
    assert!(world_1991.flags.contains(Flag::NoData));

    // Missing markers are observations without a value.
    let yemen_north = find(
        obs,
        "YAR",
        Measure::MilexPerCapita,
        YearBasis::Calendar,
        1995,
    );
    assert!(yemen_north.value.is_none() && yemen_north.flags.contains(Flag::NotIndependent));

    // The whole output assembles into a valid dataset (no duplicate keys, known codes).
    ingest::assemble(countries, out).unwrap();
}
