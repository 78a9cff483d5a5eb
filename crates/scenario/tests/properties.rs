//! Property tests: whatever the assumptions, quantiles are ordered, probabilities lie in
//! 0–1, zero volatility reproduces the deterministic path exactly, and events with
//! probability 1 always happen while those with probability 0 never do.

mod common;

use common::*;
use fairshare_scenario::quantile::{PROBABILITIES, quantile_sorted, quantiles};
use proptest::prelude::*;

#[allow(clippy::too_many_arguments)] // one argument per varied assumption
fn scenario(
    growth_sd: f64,
    fx_sd: f64,
    ar1: f64,
    student_df: Option<f64>,
    share: f64,
    by: i32,
    shape: &str,
    event_probability: f64,
    elasticity: f64,
) -> String {
    let distribution = match student_df {
        Some(df) => format!("distribution = \"student_t\"\ndf = {df:?}\n"),
        None => String::new(),
    };
    format!(
        r#"
name = "prop"
horizon = [2025, 2035]
definition = "sipri"
countries = ["JPN"]

[economy.JPN.growth.shock]
sd = {growth_sd:?}
ar1 = {ar1:?}
{distribution}
[economy.JPN.exchange_rate.shock]
sd = {fx_sd:?}

[policy.JPN]
rule = "share_by_year"
share = {share:?}
by = {by}
path = "{shape}"

[response.JPN]
rule = "elasticity"
elasticity = {elasticity:?}

[[branches]]
name = "a"
probability = 0.5
[[branches.events]]
id = "demand"
kind = "demand_share"
country = "JPN"
year = 2026
probability = {event_probability:?}
share = 5.0
by = 2035

[[branches]]
name = "b"
probability = 0.5

[[targets]]
id = "2pct"
share = 2.0

[[targets]]
id = "yen"
amount_lcu = 11e12
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn quantiles_are_ordered_and_probabilities_in_0_1(
        growth_sd in 0.0..4.0f64,
        fx_sd in 0.0..15.0f64,
        ar1 in -0.9..0.9f64,
        df in proptest::option::of(2.5..30.0f64),
        share in 0.5..8.0f64,
        by in 2025..=2035i32,
        constant_growth in any::<bool>(),
        event_probability in 0.0..=1.0f64,
        elasticity in 0.0..2.0f64,
        seed in any::<u64>(),
    ) {
        let shape = if constant_growth { "constant_growth" } else { "linear" };
        let text = scenario(growth_sd, fx_sd, ar1, df, share, by, shape, event_probability, elasticity);
        let results = run_text(&text, &inputs_with("JPN", japan(2035)), 300, seed);
        for r in &results.records {
            prop_assert!(r.q05 <= r.q25 && r.q25 <= r.q50 && r.q50 <= r.q75 && r.q75 <= r.q95, "{r:?}");
            prop_assert!(r.q05.is_finite() && r.q95.is_finite() && r.mean.is_finite());
            for p in r.p_target_met.values() {
                prop_assert!((0.0..=1.0).contains(p));
            }
        }
        for e in &results.events {
            prop_assert!((0.0..=1.0).contains(&e.occurred));
        }
        let total: f64 = results.branches.iter().map(|b| b.probability).sum();
        prop_assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn zero_volatility_gives_the_deterministic_path_exactly(
        growth in -5.0..8.0f64,
        inflation in -2.0..10.0f64,
        gdp in 1e3..1e15f64,
        base_share in 0.3..5.0f64,
        target in 0.3..10.0f64,
        by in 2025..=2035i32,
        constant_growth in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let shape = if constant_growth { "constant_growth" } else { "linear" };
        let text = format!(
            r#"
name = "det"
horizon = [2025, 2035]
definition = "sipri"
countries = ["JPN"]
[economy.JPN]
growth = {{ shock = {{ sd = 0 }} }}
inflation = {{ shock = {{ sd = 0 }} }}
exchange_rate = {{ shock = {{ sd = 0 }} }}
[policy.JPN]
rule = "share_by_year"
share = {target:?}
by = {by}
path = "{shape}"
"#
        );
        let inputs = inputs_with("JPN", baseline(2024, 2035, gdp, base_share, 120.0, growth, inflation));
        let results = run_text(&text, &inputs, 50, seed);
        let mut y = gdp;
        let mut cumulative = 0.0;
        for (k, year) in (2025..=2035).enumerate() {
            y = y * (1.0 + growth / 100.0) * (1.0 + inflation / 100.0);
            let (kf, n) = ((k + 1) as f64, (by - 2024) as f64);
            let s = if year >= by {
                target
            } else if constant_growth {
                base_share * (target / base_share).powf(kf / n)
            } else {
                base_share + (target - base_share) * (kf / n)
            };
            let spending = s * y / 100.0;
            cumulative += spending - base_share * y / 100.0;
            for (measure, expected) in [
                ("gdp_lcu", y),
                ("milex_lcu", spending),
                ("milex_usd_current", spending / 120.0),
                ("milex_extra_cumulative_lcu", cumulative),
            ] {
                let r = record(&results, "combined", "JPN", measure, year);
                prop_assert_eq!(r.q05, expected, "{} {}", measure, year);
                prop_assert_eq!(r.q50, expected);
                prop_assert_eq!(r.q95, expected);
            }
        }
    }

    #[test]
    fn certain_events_happen_and_impossible_ones_do_not(
        certain in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let p = if certain { 1.0 } else { 0.0 };
        let text = scenario(1.0, 5.0, 0.0, None, 1.4, 2035, "linear", p, 1.0);
        let results = run_text(&text, &inputs_with("JPN", japan(2035)), 200, seed);
        let event = results.events.iter().find(|e| e.branch == "a" && e.id == "demand").unwrap();
        prop_assert_eq!(event.occurred, p);
        // With elasticity 1 a demand of 5% by 2035 that happens is met in full;
        // one that does not leaves Japan at its policy share (1.4% held).
        let r = record(&results, "a", "JPN", "milex_gdp", 2035);
        let expected = if certain { 5.0 } else { 1.4 };
        prop_assert!((r.q05 - expected).abs() < 1e-9 && (r.q95 - expected).abs() < 1e-9, "{:?}", r);
    }
}

proptest! {
    #[test]
    fn type_7_quantiles_are_ordered_and_match_sorting(
        values in proptest::collection::vec(-1e12..1e12f64, 1..400),
    ) {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let q = quantiles(&mut values.clone(), &PROBABILITIES);
        for w in q.windows(2) {
            prop_assert!(w[0] <= w[1], "{q:?}");
        }
        for (p, v) in PROBABILITIES.iter().zip(&q) {
            prop_assert_eq!(*v, quantile_sorted(&sorted, *p));
            prop_assert!(*v >= sorted[0] && *v <= sorted[sorted.len() - 1]);
        }
    }
}
