//! The models on the committed dataset (`data/`): the exploitation series for NATO with
//! N equal to the members that have both figures, the Nash calibration reproducing 2024,
//! and the built-in demand regression's sample and estimates.

use std::path::PathBuf;
use std::sync::OnceLock;

use fairshare_dataset::{Dataset, Measure, MemberStatus, YearBasis};
use fairshare_models::data;
use fairshare_models::exploitation::{PMethod, exploitation_series};
use fairshare_models::nash;
use fairshare_models::spec;

/// Loaded once for all tests (parsing the CSV files takes seconds in a debug build).
fn dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
        Dataset::load_dir(&dir).expect("the committed dataset loads")
    })
}

#[test]
fn nato_exploitation_series_counts_the_members_with_data() {
    let ds = dataset();
    let years = data::exploitation_data(ds, "NATO", 1960, 2024).unwrap();
    let series = exploitation_series(&years.iter().map(|y| y.cross_section()).collect::<Vec<_>>());
    let has = |code: &str, measure, def: &str, y| {
        ds.get(code, measure, def, YearBasis::Calendar, y)
            .and_then(|o| o.value())
            .is_some()
    };
    for test in &series {
        let y = test.year;
        // Independently: active members with a SIPRI burden and a GDP in US$.
        let expected = ds
            .commitments()
            .members_in("NATO", y)
            .into_iter()
            .filter(|(_, s)| *s == MemberStatus::Active)
            .filter(|(m, _)| {
                has(&m.country, Measure::MilexGdp, "sipri", y)
                    && (has(&m.country, Measure::GdpUsd, "wb", y)
                        || has(&m.country, Measure::GdpUsd, "imf_weo", y))
            })
            .count();
        assert_eq!(test.n, expected, "{y}");
        assert_eq!(test.p_method, Some(PMethod::TApproximation), "{y}");
    }
    let at = |y: i32| series.iter().find(|t| t.year == y).unwrap();
    // Olson & Zeckhauser's year: significant and positive (Iceland has no burden).
    assert_eq!(at(1964).n, 14);
    assert!(at(1964).rho.unwrap() > 0.5 && at(1964).p_value.unwrap() < 0.05);
    // Sandler & Murdoch's 1990s: never significant.
    assert!((1990..=1999).all(|y| at(y).p_value.unwrap() > 0.05));
    assert_eq!(at(2024).n, 31);
}

#[test]
fn nato_2024_calibration_reproduces_spending() {
    let ds = dataset();
    let d = data::nash_data(ds, "NATO", 2024).unwrap();
    assert_eq!(d.members.len(), 32);
    let (incomes, spending) = (d.incomes(), d.spending());
    let cal = nash::calibrate(&incomes, &spending).unwrap();
    let eq = nash::solve(&incomes, &cal.weights, 1.0).unwrap();
    for (q, m) in eq.contributions.iter().zip(&spending) {
        assert!((q - m).abs() <= 1e-9 * cal.total_spending, "{q} vs {m}");
    }
    let isl = d.members.iter().position(|m| m.country == "ISL").unwrap();
    assert!(cal.zero_spenders[isl] && !eq.contributors[isl]);
    let usa = d.members.iter().position(|m| m.country == "USA").unwrap();
    let w = nash::what_if(
        &incomes,
        &cal.weights,
        1.0,
        nash::Change::Remove { member: usa },
    )
    .unwrap();
    assert!(w.scenario.total < eq.total);
    assert!(
        (0..incomes.len())
            .filter(|&i| i != usa)
            .all(|i| w.scenario.contributions[i] >= eq.contributions[i])
    );
}

#[test]
fn built_in_demand_regression_on_the_committed_data() {
    let ds = dataset();
    let s = spec::builtin(spec::DEFAULT_SPEC).unwrap().unwrap();
    let (pd, fit) = data::fit_spec(ds, &s).unwrap();
    assert_eq!((fit.sample.nobs, fit.sample.groups), (957, 36));
    assert_eq!((fit.sample.first_year, fit.sample.last_year), (1990, 2024));
    let b = |n: &str| fit.coefficient(n).unwrap();
    for (name, estimate, se) in [
        ("L.ln_milex", 0.9350, 0.0233),
        ("ln_gdp", 0.1167, 0.0321),
        ("ln_spill", -0.1046, 0.0527),
        ("ln_threat", 0.0277, 0.0109),
    ] {
        assert!(
            (b(name).estimate - estimate).abs() < 1e-4,
            "{name}: {}",
            b(name).estimate
        );
        assert!(
            (b(name).std_error - se).abs() < 1e-4,
            "{name}: {}",
            b(name).std_error
        );
    }
    let lr = |n: &str| fit.long_run_effect(n).unwrap().estimate;
    assert!((lr("ln_gdp") - 1.796).abs() < 1e-3);
    assert!((lr("ln_spill") + 1.610).abs() < 1e-3);
    assert!((lr("ln_threat") - 0.427).abs() < 1e-3);
    let r = &pd.report;
    let dropped: Vec<(&str, &str)> = r
        .rivals_dropped
        .iter()
        .map(|d| (d.country.as_str(), d.rival.as_str()))
        .collect();
    assert_eq!(dropped, vec![("JPN", "PRK"), ("KOR", "PRK")]);
    assert_eq!(r.missing_rows["ln_milex"], 35); // Iceland, every year
    assert_eq!(r.sources, vec!["imf-weo-2025-04", "sipri-milex-2025"]);

    // The ATOP variant runs to 2016.
    let s = spec::builtin("demand-atop-1990-2016").unwrap().unwrap();
    let (pd, fit) = data::fit_spec(ds, &s).unwrap();
    assert_eq!(fit.sample.last_year, 2016);
    assert!(pd.report.sources.contains(&"atop-v4-01".to_string()));
}
