//! The engine on fixtures whose answers are computed by hand, events that must or must
//! not happen, branch mixtures, and determinism across thread counts.

mod common;

use common::*;
use fairshare_dataset::registry::builtin_countries;
use fairshare_scenario::{
    Inputs, ResolvedProbability, ResolvedTarget, RunError, RunOptions, TargetKind, parse, resolve,
    run,
};

/// GDP 100, real growth 2%, inflation 1%, no shocks; spending 1% of GDP rising linearly
/// to 2% by the third year.
const FIXTURE: &str = r#"
name = "fixture"
horizon = [2025, 2027]
definition = "sipri"
countries = ["JPN"]

[economy.JPN]
growth = { path = 2.0, shock = { sd = 0 } }
inflation = { path = 1.0, shock = { sd = 0 } }
exchange_rate = { path = "hold", shock = { sd = 0 } }

[policy.JPN]
rule = "share_by_year"
share = 2.0
by = 2027

[[targets]]
id = "1.5pct"
share = 1.5

[[targets]]
id = "fixed-1.7"
amount_lcu = 1.7
"#;

#[test]
fn hand_computed_deterministic_path() {
    let inputs = inputs_with("JPN", baseline(2024, 2027, 100.0, 1.0, 100.0, 0.0, 0.0));
    let results = run_text(FIXTURE, &inputs, 64, 1);

    // By hand: Y₁ = 100 × 1.02 × 1.01 = 103.02; Y₂ = 103.02 × 1.0302 = 106.131204;
    // Y₃ = 106.131204 × 1.0302 = 109.3363663608. Shares 4/3, 5/3, 2 percent.
    let gdp = [103.02, 106.131204, 109.3363663608];
    let share = [1.0 + 1.0 / 3.0, 1.0 + 2.0 / 3.0, 2.0];
    // The engine's own order of operations, to compare to the last bit.
    let mut y = 100.0_f64;
    let mut cumulative = 0.0;
    for (t, year) in (2025..=2027).enumerate() {
        y = y * (1.0 + 2.0 / 100.0) * (1.0 + 1.0 / 100.0);
        assert!((y - gdp[t]).abs() < 1e-9, "{year}: {y}");
        let s = if t == 2 {
            2.0
        } else {
            1.0 + (2.0 - 1.0) * ((t + 1) as f64 / 3.0)
        };
        assert!((s - share[t]).abs() < 1e-15);
        let spending = s * y / 100.0;
        let extra = spending - 1.0 * y / 100.0;
        cumulative += extra;

        for (measure, expected) in [
            ("gdp_lcu", y),
            ("exchange_rate", 100.0),
            ("milex_lcu", spending),
            ("milex_usd_current", spending / 100.0),
            ("milex_gdp", spending / y * 100.0),
            ("milex_extra_lcu", extra),
            ("milex_extra_usd", extra / 100.0),
            ("milex_extra_cumulative_lcu", cumulative),
        ] {
            let r = record(&results, "combined", "JPN", measure, year);
            for q in [r.q05, r.q25, r.q50, r.q75, r.q95, r.value, r.mean] {
                assert_eq!(q, expected, "{measure} {year}");
            }
        }
        let r = record(&results, "combined", "JPN", "milex_lcu", year);
        assert_eq!(r.cumulative_extra_lcu, cumulative);
        // Shares 1.33, 1.67, 2.0 against 1.5%; spending 1.374, 1.769, 2.187 against 1.7.
        assert_eq!(r.p_target_met["1.5pct"], if t == 0 { 0.0 } else { 1.0 });
        assert_eq!(r.p_target_met["fixed-1.7"], if t == 0 { 0.0 } else { 1.0 });
        assert_eq!(r.unit, "lcu");
        assert_eq!(r.definition, "sipri");
        assert_eq!(r.flags, vec!["projection"]);
    }
    // Decimal check of the hand computation: 2% of 109.3363663608.
    let last = record(&results, "combined", "JPN", "milex_lcu", 2027);
    assert!((last.q50 - 2.186727327216).abs() < 1e-12);
    assert_eq!(results.paths, 64);
    assert_eq!(results.branches.len(), 1);
    assert_eq!(results.branches[0].name, "combined");
}

#[test]
fn nominal_growth_and_budget_rules() {
    let text = r#"
name = "rules"
horizon = [2025, 2028]
definition = "national:jp-security"
countries = ["JPN", "KOR"]

[economy.JPN]
growth = { path = 1.0, shock = { sd = 0 } }
inflation = { path = 0.0, shock = { sd = 0 } }
exchange_rate = { path = { 2025 = 150, 2027 = 140 }, shock = { sd = 0 } }

[economy.KOR]
growth = { path = 0.0, shock = { sd = 0 } }
inflation = { path = 0.0, shock = { sd = 0 } }
exchange_rate = { path = "hold", shock = { sd = 0 } }

[policy.JPN]
rule = "budget"
amounts = { 2025 = 8.0, 2026 = 9.0 }

[policy.KOR]
rule = "nominal_growth"
rate = 10
"#;
    let mut inputs = inputs_with("JPN", baseline(2024, 2028, 400.0, 1.5, 150.0, 0.0, 0.0));
    inputs.baselines.insert(
        "KOR".into(),
        baseline(2024, 2028, 2000.0, 2.5, 1300.0, 0.0, 0.0),
    );
    let results = run_text(text, &inputs, 10, 3);

    let jpn = |m: &str, y: i32| record(&results, "combined", "JPN", m, y).q50;
    assert_eq!(jpn("milex_lcu", 2025), 8.0);
    assert_eq!(jpn("milex_lcu", 2026), 9.0);
    // After the budget: hold the share the last budget year reached.
    let share_2026 = 9.0 / (400.0 * 1.01 * 1.01) * 100.0;
    let gdp_2027 = 400.0 * 1.01 * 1.01 * 1.01;
    assert_eq!(jpn("milex_lcu", 2027), share_2026 * gdp_2027 / 100.0);
    // The exchange-rate path steps: 150 in 2025-26, 140 from 2027.
    assert_eq!(jpn("exchange_rate", 2026), 150.0);
    assert_eq!(jpn("exchange_rate", 2028), 140.0);
    assert_eq!(jpn("milex_usd_current", 2026), 9.0 / 150.0);
    let plan = record(&results, "combined", "JPN", "milex_lcu", 2026);
    assert_eq!(plan.flags, vec!["projection", "plan"]);
    assert_eq!(plan.definition, "national:jp-security");

    let kor = |y: i32| record(&results, "combined", "KOR", "milex_lcu", y).q50;
    assert_eq!(kor(2025), 50.0 * 1.1);
    assert_eq!(kor(2028), 50.0 * 1.1_f64.powi(4));
}

const EVENTS: &str = r#"
name = "events"
horizon = [2025, 2030]
definition = "sipri"
countries = ["JPN", "KOR"]

[response.JPN]
rule = "elasticity"
elasticity = 1.0

[response.KOR]
rule = "elasticity"
elasticity = 0.5

[[events]]
id = "never"
kind = "withdrawal"
country = "KOR"
year = 2026
probability = 0.0
replacement_pct_gdp = 1.0

[[branches]]
name = "demanding"
probability = 0.3
[[branches.events]]
id = "demand-3.5"
kind = "demand_share"
country = "JPN"
year = 2026
probability = 1.0
share = 3.5
by = 2030
[[branches.events]]
id = "hns"
kind = "demand_hns"
country = "KOR"
year = 2027
probability = 1.0
amount_usd = 10e9
current_lcu = 1.5e12

[[branches]]
name = "quiet"
probability = "remainder"
"#;

fn events_inputs() -> Inputs {
    let mut inputs = inputs_with("JPN", japan(2030));
    inputs.baselines.insert(
        "KOR".into(),
        baseline(2024, 2030, 2550e12, 2.6, 1360.0, 2.0, 2.0),
    );
    inputs
}

#[test]
fn certain_events_always_happen_and_impossible_ones_never() {
    let results = run_text(EVENTS, &events_inputs(), 4000, 11);
    let occurred = |branch: &str, id: &str| {
        results
            .events
            .iter()
            .find(|e| e.branch == branch && e.id == id)
            .map(|e| e.occurred)
    };
    assert_eq!(occurred("demanding", "demand-3.5"), Some(1.0));
    assert_eq!(occurred("demanding", "hns"), Some(1.0));
    assert_eq!(occurred("demanding", "never"), Some(0.0));
    assert_eq!(occurred("quiet", "never"), Some(0.0));
    assert_eq!(
        occurred("quiet", "demand-3.5"),
        None,
        "not an event of this branch"
    );
    // In the mixture, the branch's certain event happens on the paths that drew it.
    let mixed = occurred("combined", "demand-3.5").unwrap();
    assert!((mixed - 0.3).abs() < 0.03, "{mixed}");
    assert_eq!(results.branches[1].probability, 0.7);

    // Elasticity 1 and a certain demand: Japan's share follows the demanded path
    // (linear from 1.4% in 2024 to 3.5% in 2030) from 2026, on every path.
    for (year, expected) in [(2026, 1.4 + 2.1 * (2.0 / 6.0)), (2030, 3.5)] {
        let r = record(&results, "demanding", "JPN", "milex_gdp", year);
        assert!(
            (r.q05 - expected).abs() < 1e-9 && (r.q95 - expected).abs() < 1e-9,
            "{year}: {r:?}"
        );
    }
    // Before the demand, and in the quiet branch, Japan holds 1.4%.
    let r = record(&results, "demanding", "JPN", "milex_gdp", 2025);
    assert!((r.q50 - 1.4).abs() < 1e-9);
    let r = record(&results, "quiet", "JPN", "milex_gdp", 2030);
    assert!((r.q05 - 1.4).abs() < 1e-9 && (r.q95 - 1.4).abs() < 1e-9);
    // The impossible withdrawal never moves Korea's spending in the quiet branch.
    let r = record(&results, "quiet", "KOR", "milex_gdp", 2030);
    assert!((r.q05 - 2.6).abs() < 1e-9 && (r.q95 - 2.6).abs() < 1e-9);
    // Korea's elasticity 0.5 to a $10bn HNS demand raises spending, less than asked.
    let r = record(&results, "demanding", "KOR", "milex_extra_usd", 2028);
    assert!(r.q50 > 0.0 && r.q50 < 10e9 - 1.5e12 / 1360.0, "{r:?}");
    // GDP does not depend on the branch: common random numbers.
    let a = record(&results, "demanding", "JPN", "gdp_lcu", 2030);
    let b = record(&results, "quiet", "JPN", "gdp_lcu", 2030);
    assert_eq!((a.q05, a.q50, a.q95), (b.q05, b.q50, b.q95));
}

/// The same seed gives the same bytes with 1 and 2 threads; large enough to use the
/// bracketed quantile selection (over 32,768 paths) and the branch mixture.
#[test]
fn same_bytes_on_one_and_two_threads() {
    let text = EVENTS.replace(
        "[response.JPN]",
        "[economy.JPN.exchange_rate.shock]\ndistribution = \"student_t\"\ndf = 5\nar1 = 0.4\n\n[response.JPN]",
    );
    let scenario = parse(&text, "events.toml", &builtin_countries()).unwrap();
    let model = resolve(&scenario, &events_inputs()).unwrap();
    let json = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let results = pool
            .install(|| {
                run(
                    &model,
                    &RunOptions {
                        paths: 40_000,
                        seed: 20240222,
                        progress: None,
                    },
                )
            })
            .unwrap();
        serde_json::to_string(&results).unwrap()
    };
    let one = json(1);
    assert_eq!(one, json(2));
    assert!(
        one.starts_with(r#"{"scenario":"events","seed":20240222,"paths":40000,"#),
        "{}",
        &one[..80]
    );
    assert!(!one.contains("NaN") && !one.contains("null,\"q"));
}

/// Odd path counts: one path, a block and one more, just past the sorting threshold.
#[test]
fn any_path_count_runs() {
    let inputs = inputs_with("JPN", japan(2030));
    let text = "name = \"n\"\nhorizon = [2025, 2030]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n\
                [policy.JPN]\nrule = \"share_by_year\"\nshare = 2.0\nby = 2030\n";
    for paths in [1, 2, 1025, 32_769] {
        let results = run_text(text, &inputs, paths, 7);
        assert_eq!(results.records.len(), 8 * 6, "{paths}");
        for r in &results.records {
            assert!(
                r.q05 <= r.q50 && r.q50 <= r.q95 && r.q05.is_finite(),
                "{paths}: {r:?}"
            );
        }
        let share = record(&results, "combined", "JPN", "milex_gdp", 2030);
        assert!((share.q50 - 2.0).abs() < 1e-12, "{paths}");
    }
}

#[test]
fn a_different_seed_gives_different_draws() {
    let inputs = inputs_with("JPN", japan(2035));
    let text =
        "name = \"s\"\nhorizon = [2025, 2035]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n";
    let a = run_text(text, &inputs, 500, 1);
    let b = run_text(text, &inputs, 500, 2);
    let q = |r: &fairshare_scenario::Results| record(r, "combined", "JPN", "gdp_lcu", 2035).q50;
    assert_ne!(q(&a), q(&b));
    assert_eq!(q(&a), q(&run_text(text, &inputs, 500, 1)));
}

#[test]
fn progress_counts_every_path_and_bad_runs_are_refused() {
    let text =
        "name = \"p\"\nhorizon = [2025, 2026]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n";
    let scenario = parse(text, "p.toml", &builtin_countries()).unwrap();
    let model = resolve(&scenario, &inputs_with("JPN", japan(2026))).unwrap();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = |n: usize| {
        done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    };
    run(
        &model,
        &RunOptions {
            paths: 3000,
            seed: 5,
            progress: Some(&progress),
        },
    )
    .unwrap();
    assert_eq!(done.into_inner(), 3000);
    assert_eq!(
        run(
            &model,
            &RunOptions {
                paths: 0,
                ..RunOptions::default()
            }
        )
        .unwrap_err(),
        RunError::NoPaths(0)
    );
    assert!(matches!(
        run(
            &model,
            &RunOptions {
                paths: 2_000_000_000,
                ..RunOptions::default()
            }
        ),
        Err(RunError::TooLarge { .. })
    ));
}

#[test]
fn resolve_uses_the_callers_polls_and_registry() {
    let text = r#"
name = "election"
horizon = [2025, 2035]
definition = "sipri"
countries = ["JPN"]

[[branches]]
name = "trump"
from_polls = { window = ["2024-01-01", "2024-02-29"], weighting = "sample", candidate = "Trump", opponent = "Biden" }

[[branches]]
name = "biden"
probability = "remainder"

[[targets]]
id = "NATO-2pct"

[[targets]]
id = "japan-2pct-fy2027"
"#;
    let scenario = parse(text, "election.toml", &builtin_countries()).unwrap();
    let polls: Vec<_> = scenario.poll_branches().collect();
    assert_eq!(polls.len(), 1);
    assert_eq!(
        polls[0].1.window,
        ("2024-01-01".into(), "2024-02-29".into())
    );
    assert_eq!(scenario.registry_targets().count(), 2);

    let mut inputs = inputs_with("JPN", japan(2035));
    // Without the poll probability, resolve says which branch needs it, where.
    let e = resolve(&scenario, &inputs).unwrap_err().to_string();
    assert!(e.starts_with("election.toml:7:1: "), "{e}");
    assert!(
        e.contains("branch `trump` takes its probability from polls"),
        "{e}"
    );

    inputs.branch_probabilities.insert(
        "trump".into(),
        ResolvedProbability {
            probability: 0.6,
            method: "test".into(),
        },
    );
    let e = resolve(&scenario, &inputs).unwrap_err().to_string();
    assert!(e.contains("unknown target `NATO-2pct`"), "{e}");

    inputs.targets.insert(
        "nato-2pct".into(),
        ResolvedTarget {
            kind: TargetKind::Share(2.0),
            country: None,
            note: "Wales 2014".into(),
        },
    );
    inputs.targets.insert(
        "japan-2pct-fy2027".into(),
        ResolvedTarget {
            kind: TargetKind::AmountLcu(11.0e12),
            country: Some("JPN".into()),
            note: "2% of FY2022 GDP".into(),
        },
    );
    let model = resolve(&scenario, &inputs).unwrap();
    let results = run(
        &model,
        &RunOptions {
            paths: 2000,
            seed: 9,
            progress: None,
        },
    )
    .unwrap();
    assert_eq!(results.branches[0].probability, 0.6);
    assert!((results.branches[1].probability - 0.4).abs() < 1e-15);
    assert!(results.notes.iter().any(|n| n.contains("fixed amount")));
    let r = record(&results, "combined", "JPN", "milex_lcu", 2025);
    assert!(
        r.p_target_met.contains_key("NATO-2pct")
            && r.p_target_met.contains_key("japan-2pct-fy2027")
    );
    // 1.4% of ¥609 tn is about ¥8.5 tn, short of ¥11 tn and of 2%.
    assert_eq!(r.p_target_met["japan-2pct-fy2027"], 0.0);
    assert_eq!(r.p_target_met["NATO-2pct"], 0.0);
    // 2031-2035 rates are extrapolated in the test baseline.
    assert_eq!(
        record(&results, "trump", "JPN", "gdp_lcu", 2033).flags,
        vec!["projection", "extrapolated"]
    );
}

/// A fitted response model plugs in through `AllyResponse` and replaces the file's rule.
#[test]
fn a_response_model_replaces_the_rule() {
    use fairshare_scenario::{AllyResponse, ResponseInput};
    use std::sync::Arc;

    struct HalfWay;
    impl AllyResponse for HalfWay {
        fn respond(&self, input: &ResponseInput) -> f64 {
            input.policy_lcu + 0.5 * (input.demand_lcu - input.policy_lcu)
        }
        fn describe(&self) -> String {
            "closing half the gap (test model)".into()
        }
    }

    let text = r#"
name = "fitted"
horizon = [2025, 2030]
definition = "sipri"
countries = ["JPN"]
[economy.JPN]
growth = { shock = { sd = 0 } }
inflation = { shock = { sd = 0 } }
exchange_rate = { shock = { sd = 0 } }
[[events]]
kind = "demand_share"
country = "JPN"
year = 2025
probability = 1.0
share = 3.4
by = 2025
"#;
    let mut inputs = inputs_with("JPN", japan(2030));
    inputs.responses.insert("JPN".into(), Arc::new(HalfWay));
    let results = run_text(text, &inputs, 100, 1);
    // Policy holds 1.4%; the US asks 3.4% from 2025; the model closes half: 2.4%.
    let r = record(&results, "combined", "JPN", "milex_gdp", 2027);
    assert!(
        (r.q50 - 2.4).abs() < 1e-9 && (r.q05 - 2.4).abs() < 1e-9,
        "{r:?}"
    );
    assert!(
        results
            .notes
            .iter()
            .any(|n| n.contains("closing half the gap"))
    );
}
