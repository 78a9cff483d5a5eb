//! `prepare` on the committed dataset: the central path reproduces the IMF WEO's nominal
//! GDP, the shocks are sized from history, registry targets and host-nation support are
//! looked up, and the poll-derived probability follows the stated method.

use fairshare_dataset::{Measure, YearBasis};
use fairshare_scenario::{TargetKind, builtin, parse, prepare, sample_sd};

fn scenario(name: &str) -> fairshare_scenario::Scenario {
    let ds = fairshare_embedded::dataset().unwrap();
    let b = builtin::get(name).unwrap();
    parse(b.text, b.file, ds.countries()).unwrap()
}

#[test]
fn central_path_reproduces_weo_nominal_gdp() {
    let ds = fairshare_embedded::dataset().unwrap();
    let s = scenario("japan-plan-fy2027");
    let inputs = prepare(ds, &s).unwrap();
    let jpn = &inputs.baselines["JPN"];
    assert_eq!(jpn.base_year, 2024);
    assert_eq!(jpn.year_basis, YearBasis::Calendar);
    let weo = |y: i32| {
        ds.get("JPN", Measure::GdpLcu, "imf_weo", YearBasis::Calendar, y)
            .and_then(|o| o.value())
            .unwrap()
    };
    assert_eq!(jpn.gdp_lcu, weo(2024));
    // SIPRI's 2024 share of GDP, as published.
    let sipri = ds
        .get("JPN", Measure::MilexGdp, "sipri", YearBasis::Calendar, 2024)
        .and_then(|o| o.value())
        .unwrap();
    assert_eq!(jpn.milex_gdp, sipri);
    let mut gdp = jpn.gdp_lcu;
    for y in &jpn.years {
        gdp *= (1.0 + y.gdp_real_growth / 100.0) * (1.0 + y.inflation / 100.0);
        if y.year <= 2030 {
            assert!((gdp / weo(y.year) - 1.0).abs() < 1e-12, "{}: {gdp}", y.year);
        }
        assert!(y.exchange_rate > 50.0 && y.exchange_rate < 300.0, "{y:?}");
    }
    let last = jpn.years.last().unwrap();
    assert!(last.flags.contains(fairshare_dataset::Flag::Extrapolated));
    let vol = jpn.volatility.as_ref().unwrap();
    assert!(
        vol.gdp_real_growth > 0.5 && vol.gdp_real_growth < 5.0,
        "{vol:?}"
    );
    assert!(
        vol.exchange_rate > 3.0 && vol.exchange_rate < 20.0,
        "{vol:?}"
    );
    assert!(vol.method.contains("2000-2024"));
    // The national target is a fixed yen amount: 2% of FY2022 GDP (¥560 tn).
    match inputs.targets["japan-2pct-fy2027"].kind {
        TargetKind::AmountLcu(a) => assert!((a - 11.2e12).abs() < 1.0, "{a}"),
        other => panic!("{other:?}"),
    }
    // Japan's host-nation support: the FY2022-26 SMA's annual average (¥1,055.1 bn / 5).
    assert!((jpn.hns_lcu.unwrap() - 211.02e9).abs() < 1e3);
}

#[test]
fn korea_pays_the_2026_sma_now() {
    let ds = fairshare_embedded::dataset().unwrap();
    let inputs = prepare(ds, &scenario("korea-hns-10bn")).unwrap();
    assert_eq!(inputs.baselines["KOR"].hns_lcu, Some(1.5192e12));
}

#[test]
fn election_probability_is_phi_of_the_mean_margin() {
    let ds = fairshare_embedded::dataset().unwrap();
    let s = scenario("election-2024");
    let inputs = prepare(ds, &s).unwrap();
    let p = &inputs.branch_probabilities["trump"];
    let (_, spec) = s.poll_branches().next().unwrap();
    let q = fairshare_scenario::polls::questions(ds.polls(), spec);
    assert!(q.len() > 50, "{}", q.len());
    let (margin, _) =
        fairshare_scenario::polls::mean_margin(&q, "Trump", "Biden", spec.weighting).unwrap();
    assert!(
        margin > 0.0,
        "Trump led the national polls of Jan-Feb 2024: {margin}"
    );
    let expected = fairshare_scenario::polls::normal_cdf(margin / 3.9);
    assert!((p.probability - expected).abs() < 1e-15);
}

#[test]
fn sample_sd_is_the_n_minus_1_estimator() {
    assert_eq!(sample_sd(&[1.0, 2.0]), None);
    let sd = sample_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
    assert!((sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
}
