//! The engine on the committed dataset (`data/`): NATO's 2024 counts by SIPRI's and
//! NATO's measures, Japan's gap to 2% by FY2027 in both readings, and 3.5% by 2035.
//! The expected figures are recomputed here from the dataset's own observations, so a
//! rebuild with the same publisher files must give them to the last digit.

use std::path::PathBuf;
use std::sync::OnceLock;

use fairshare_dataset::{Dataset, Measure, YearBasis};
use fairshare_metrics::fiscal::calendar_from_fiscal;
use fairshare_metrics::{TargetRule, assess_alliance, gap_path};

fn ds() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
        Dataset::load_dir(&dir).expect("the committed dataset loads")
    })
}

fn rule(id: &str) -> TargetRule {
    TargetRule::parse(ds().commitments(), id).unwrap()
}

fn value(country: &str, measure: Measure, definition: &str, basis: YearBasis, year: i32) -> f64 {
    ds().get(country, measure, definition, basis, year)
        .and_then(|o| o.value())
        .unwrap_or_else(|| panic!("no {country} {measure} {definition} {year}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn nato_2024_by_sipri_17_exactly_18_rounded() {
    let a = assess_alliance(ds(), "NATO", &rule("nato-2pct"), "sipri", 2024).unwrap();
    assert_eq!(a.count.members, 32);
    assert_eq!(a.count.with_data, 31);
    assert_eq!(a.count.text(), "17 of 31 with data (32 members)");
    assert_eq!(a.count.text_rounded(), "18 of 31 with data (32 members)");
    let row = |c: &str| a.rows.iter().find(|r| r.country == c).unwrap();
    let swe = row("SWE");
    assert_eq!(swe.value, Some(1.9977173881016819));
    assert_eq!((swe.meets, swe.meets_rounded), (Some(false), Some(true)));
    let isl = row("ISL");
    assert_eq!((isl.value, isl.meets), (None, None));
    let usa = row("USA");
    assert_eq!(usa.meets, Some(true));
    // The money gap is the definition's own spending scaled by gap / share.
    let deu = row("DEU");
    let spending = value("DEU", Measure::MilexLcu, "sipri", YearBasis::Calendar, 2024);
    assert!(close(
        deu.gap_lcu.unwrap(),
        spending * (2.0 - deu.value.unwrap()) / deu.value.unwrap()
    ));
}

#[test]
fn nato_2024_by_natos_own_tables_23() {
    let a = assess_alliance(ds(), "nato", &rule("wales_2pct"), "nato", 2024).unwrap();
    assert_eq!(a.count.text(), "23 of 31 with data (32 members)");
    assert_eq!(a.count.text_rounded(), "23 of 31 with data (32 members)");
    assert!(
        a.rows
            .iter()
            .filter(|r| r.value.is_some())
            .all(|r| r.flags.to_string().contains("estimate"))
    );
}

#[test]
fn sipri_calendar_years_are_a_quarter_and_three_quarters_of_fiscal_years() {
    for year in 2015..=2024 {
        let fy = |y| value("JPN", Measure::MilexLcu, "sipri", YearBasis::FY_APR, y);
        let cy = value("JPN", Measure::MilexLcu, "sipri", YearBasis::Calendar, year);
        let ours = calendar_from_fiscal(YearBasis::FY_APR, fy(year - 1), fy(year)).unwrap();
        assert!((ours - cy).abs() < 1.0, "{year}: {ours} vs SIPRI {cy}");
    }
}

#[test]
fn japan_2pct_by_fy2027_national_and_sipri_readings() {
    let japan = rule("japan-2pct-fy2027");
    // National: ¥9.93 tn (FY2025 initial) to 2% of ¥560 tn = ¥11.2 tn in FY2027.
    let p = gap_path(ds(), "JPN", &japan, "national:jp-security", None, None).unwrap();
    assert_eq!(
        (p.base_year, p.by, p.year_basis),
        (2025, 2027, YearBasis::FY_APR)
    );
    let last = p.years.last().unwrap();
    assert!(close(last.required_lcu, 11.2e12));
    assert!(close(last.extra_lcu, 1.27e12));
    assert!(close(p.years[1].required_lcu, 10.565e12));
    // With the FY2025 supplementary budget: ¥11.0 tn, 0.2 tn short of ¥11.2 tn.
    let p = gap_path(ds(), "JPN", &japan, "national:jp-security-supp", None, None).unwrap();
    assert!(close(p.base_share, 11.0 / 560.0 * 100.0));
    assert!(close(p.years.last().unwrap().extra_lcu, 0.2e12));
    // SIPRI: 1.371% in 2024 to 2% of the IMF's 2027 GDP.
    let p = gap_path(ds(), "JPN", &japan, "sipri", None, None).unwrap();
    let share_2024 = value("JPN", Measure::MilexGdp, "sipri", YearBasis::Calendar, 2024);
    let gdp_2027 = value("JPN", Measure::GdpLcu, "imf_weo", YearBasis::Calendar, 2027);
    assert_eq!((p.base_year, p.base_share), (2024, share_2024));
    let last = p.years.last().unwrap();
    assert!(close(last.required_lcu, 0.02 * gdp_2027));
    assert!(close(last.extra_lcu, (2.0 - share_2024) / 100.0 * gdp_2027));
    assert!((last.required_lcu / 1e12 - 13.109).abs() < 0.001);
}

#[test]
fn japan_2pct_in_2024_the_diet_proposal() {
    let p = gap_path(ds(), "JPN", &rule("2%"), "sipri", Some(2024), None).unwrap();
    let gdp_2024 = value("JPN", Measure::GdpLcu, "imf_weo", YearBasis::Calendar, 2024);
    assert_eq!(p.years.len(), 1);
    assert!(close(p.years[0].required_lcu, 0.02 * gdp_2024));
    assert_eq!(p.years[0].actual_lcu, Some(8_371_675_000_000.0));
    assert!((p.years[0].extra_lcu / 1e12 - 3.831).abs() < 0.001);
}

#[test]
fn japan_3_5pct_by_2035_holds_2030_growth_for_five_years() {
    let p = gap_path(ds(), "JPN", &rule("3.5%"), "sipri", Some(2035), None).unwrap();
    let weo = |m, y| value("JPN", m, "imf_weo", YearBasis::Calendar, y);
    let growth = (1.0 + weo(Measure::GdpRealGrowth, 2030) / 100.0)
        * (weo(Measure::GdpDeflator, 2030) / weo(Measure::GdpDeflator, 2029));
    let gdp_2035 = weo(Measure::GdpLcu, 2030) * growth.powi(5);
    let last = p.years.last().unwrap();
    assert_eq!(last.year, 2035);
    assert!(
        close(last.gdp_lcu, gdp_2035),
        "{} vs {gdp_2035}",
        last.gdp_lcu
    );
    assert!(close(last.required_lcu, 0.035 * gdp_2035));
    assert!((last.required_lcu / 1e12 - 27.968).abs() < 0.001);
    assert!(last.flags.to_string().contains("extrapolated"));
    let x = p.extrapolation.unwrap();
    assert_eq!(
        (x.from_year, x.method),
        (2030, "real growth x GDP deflator")
    );
}
