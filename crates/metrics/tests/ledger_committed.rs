//! The ledger engines on the committed dataset (`data/`): host-nation support, troops,
//! burden shares, the decomposition identity and the article's claims. Expected figures
//! come from the publishers' files (SOURCE.md spot checks) or are recomputed here from the
//! dataset's own observations.

use std::path::PathBuf;
use std::sync::OnceLock;

use fairshare_dataset::{Dataset, Flag, Measure, YearBasis};
use fairshare_metrics::claims::{Verdict, check_claims, parse_claims};
use fairshare_metrics::decompose::{Deflator, RateChoice, decompose};
use fairshare_metrics::hns::{Demand, HnsOptions, SupportKind, hns_ledger};
use fairshare_metrics::share::fair_share;

fn ds() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
        Dataset::load_dir(&dir).expect("the committed dataset loads")
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn korea_2026_and_japans_fy2022_26_average() {
    let korea = ds()
        .get(
            "KOR",
            Measure::HnsLcu,
            "national:kr-sma",
            YearBasis::Calendar,
            2026,
        )
        .unwrap();
    assert_eq!(korea.value(), Some(1.5192e12));
    let sma = ds()
        .commitments()
        .plans
        .iter()
        .find(|p| p.id == "jp-sma-fy2022-26")
        .unwrap();
    assert_eq!(sma.amount, 1.0551e12);
    let average = sma.amount / f64::from(sma.years());
    assert_eq!(average, 211.02e9);
    assert_eq!((average / 1e8).round() / 10.0, 211.0); // "¥211.0 billion a year"

    let ledger = hns_ledger(ds(), "JPN", &HnsOptions::default()).unwrap();
    let fy2024: Vec<_> = ledger.years.iter().filter(|y| y.year == 2024).collect();
    assert_eq!(fy2024.len(), 1);
    assert_eq!(fy2024[0].kind, SupportKind::AgreementAverage);
    assert_eq!(fy2024[0].hns_lcu, Some(211.02e9));
    assert!(fy2024[0].flags.contains(Flag::Plan));
    // Years without a figure are present, with none.
    let fy2005 = ledger.years.iter().find(|y| y.year == 2005).unwrap();
    assert_eq!((fy2005.kind, fy2005.hns_lcu), (SupportKind::NoFigure, None));
}

#[test]
fn troops_japan_and_korea_2024() {
    let troops = |c: &str, y: i32| {
        ds().get(c, Measure::UsTroops, "dmdc", YearBasis::Calendar, y)
            .and_then(|o| o.value())
            .unwrap()
    };
    assert_eq!(troops("JPN", 2024).round(), 52_754.0);
    assert_eq!(troops("KOR", 2024), 23_592.0);
    let kor = ds()
        .get("KOR", Measure::UsTroops, "dmdc", YearBasis::Calendar, 2024)
        .unwrap();
    assert!(kor.notes()[0].text.contains("rotation"));
    let jpn15 = ds()
        .get("JPN", Measure::UsTroops, "dmdc", YearBasis::Calendar, 2015)
        .unwrap();
    assert!(jpn15.flags().contains(Flag::Glitch));
}

#[test]
fn an_8_billion_demand_on_japan_and_10_billion_on_korea() {
    let ledger = |c: &str, d: &str| {
        hns_ledger(
            ds(),
            c,
            &HnsOptions {
                demand: Some(Demand::parse(d).unwrap()),
                ..HnsOptions::default()
            },
        )
        .unwrap()
    };
    let japan = ledger("JPN", "8e9USD");
    let h = japan.headline.unwrap();
    let s = &japan.years[h.support];
    assert_eq!(s.year, 2026);
    let rate = s.rate.as_ref().unwrap().lcu_per_usd;
    let multiple = s.demand.as_ref().unwrap().multiple.unwrap();
    assert!(close(multiple, 8e9 * rate / 211.02e9));
    assert!(multiple > 5.0 && multiple < 6.0, "{multiple}");
    // FY2024, at 3/4 of 2024's rate and 1/4 of 2025's: about 5.7 times.
    let fy24 = japan.years.iter().find(|y| y.year == 2024).unwrap();
    let m24 = fy24.demand.as_ref().unwrap().multiple.unwrap();
    assert!((m24 - 5.72).abs() < 0.01, "{m24}");

    let korea = ledger("KOR", "10e9USD");
    let s = &korea.years[korea.headline.unwrap().support];
    assert_eq!((s.year, s.hns_lcu), (2026, Some(1.5192e12)));
    let m = s.demand.as_ref().unwrap().multiple.unwrap();
    assert!(m > 9.0 && m < 10.5, "{m}");
}

#[test]
fn nato_2024_shares_sum_to_the_whole() {
    let s = fair_share(ds(), "NATO", 2024, "sipri", false).unwrap();
    assert_eq!(s.members[0].country, "USA");
    let sum = |f: fn(&fairshare_metrics::share::MemberShare) -> Option<f64>| -> f64 {
        s.members.iter().filter_map(f).sum()
    };
    assert!(close(sum(|m| m.share_of_milex), 100.0));
    assert!(close(sum(|m| m.share_of_gdp), 100.0));
    let usa = &s.members[0];
    assert!(usa.ratio.unwrap() > 1.2 && usa.share_of_milex.unwrap() > 60.0);
}

#[test]
fn japan_2012_2024_decomposes_exactly() {
    for (deflator, rate) in [
        (Deflator::Imf, RateChoice::WorldBank),
        (Deflator::Imf, RateChoice::Spending),
        (Deflator::Imf, RateChoice::Imf),
    ] {
        let d = decompose(ds(), "JPN", 2012, 2024, "sipri", deflator, rate).unwrap();
        assert!(
            (d.real * d.inflation * d.exchange_rate / d.total - 1.0).abs() < 1e-12,
            "{deflator:?} {rate:?}"
        );
        // The yen figure rose, the dollar figure fell, the yen lost about half its value.
        assert!(d.nominal_lcu > 1.7 && d.total < 1.0 && d.exchange_rate < 0.55);
    }
    let own = decompose(
        ds(),
        "JPN",
        2012,
        2024,
        "sipri",
        Deflator::Imf,
        RateChoice::Spending,
    )
    .unwrap();
    assert!(close(
        own.total,
        own.to.usd_published.unwrap() / own.from.usd_published.unwrap()
    ));
    assert_eq!((own.to.usd_published.unwrap() / 1e6).round(), 55_274.0);
    // The World Bank's deflator ends in 2023.
    let wb = decompose(
        ds(),
        "JPN",
        2012,
        2023,
        "sipri",
        Deflator::WorldBank,
        RateChoice::WorldBank,
    )
    .unwrap();
    assert!((wb.real * wb.inflation * wb.exchange_rate / wb.total - 1.0).abs() < 1e-12);
}

#[test]
fn the_articles_claims() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../claims/diplomat-2024.toml"
    ))
    .unwrap();
    let claims = parse_claims(&text, ds()).unwrap();
    let checks = check_claims(ds(), &claims);
    let verdicts: Vec<(&str, Verdict)> = checks
        .iter()
        .map(|c| (c.claim.id.as_str(), c.verdict))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            ("world-burden-2022", Verdict::Matches),
            ("japan-burden-2022", Verdict::Revised),
            ("nato-2pct-standard", Verdict::Matches),
            ("japan-2pct-fy2027", Verdict::Matches),
            ("abe-assassinated", Verdict::NotCheckable),
        ]
    );
    // Revised: both figures shown.
    let japan = &checks[1];
    assert_eq!(japan.earlier.as_ref().unwrap().value, 1.08);
    assert_eq!(japan.current.as_ref().unwrap().source, "sipri-milex-2025");
    assert!(japan.current.as_ref().unwrap().value < 1.05);
}
