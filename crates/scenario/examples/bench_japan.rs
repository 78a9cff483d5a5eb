//! Benchmark: Japan reaching 3.5% of GDP by 2035, 1,000,000 paths × 11 years, with GDP
//! growth, inflation and exchange-rate shocks plus the spending rule. Run by
//! `bench/japan.sh`, which compares it with a vectorised numpy implementation of the
//! same model; see `bench/README.md`.
//!
//! Prints one JSON object: the engine's times, the floor (drawing the same number of
//! normals with the same generator and per-path streams, nothing else), and a few
//! result cells for the numpy side to check it ran the same model.
//!
//! The baseline is synthetic and Japan-like (GDP ¥609.4 tn in 2024, defence 1.4% of GDP,
//! 151.5 ¥/$, growth 0.6%, inflation 2%); the shock sizes are illustrative, not estimates.

use std::hint::black_box;
use std::time::Instant;

use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Flag, Flags, YearBasis};
use fairshare_scenario::stream::{Purpose, path_rng};
use fairshare_scenario::{
    Baseline, BaselineYear, Inputs, RunOptions, Volatility, parse, resolve, run,
};
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// The scenario, as a user would write it. numpy's side mirrors these numbers.
const SCENARIO: &str = r#"
name = "bench-japan-3.5pct-2035"
horizon = [2025, 2035]
definition = "sipri"
countries = ["JPN"]

[economy.JPN]
growth = { path = "imf_weo", shock = { sd = 1.5 } }
inflation = { path = "imf_weo", shock = { sd = 1.0 } }
exchange_rate = { path = "hold", shock = { sd = 8.0 } }

[policy.JPN]
rule = "share_by_year"
share = 3.5
by = 2035

[[targets]]
id = "2pct"
share = 2.0

[[targets]]
id = "3.5pct"
share = 3.5
"#;

/// CPU seconds this process has used (user + system, all threads), from /proc on Linux;
/// None elsewhere. Less sensitive than wall time to other work on a shared machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

fn main() {
    let mut args = std::env::args().skip(1);
    let paths: usize = args.next().map_or(1_000_000, |a| a.parse().expect("paths"));
    let repeats: usize = args.next().map_or(5, |a| a.parse().expect("repeats"));
    let seed = 20_240_222;

    let scenario = parse(SCENARIO, "bench_japan", &builtin_countries()).expect("bench scenario");
    let years = (2025..=2035)
        .map(|year| BaselineYear {
            year,
            gdp_real_growth: 0.6,
            inflation: 2.0,
            exchange_rate: 151.5,
            flags: Flags::EMPTY.with(Flag::Projection),
        })
        .collect();
    let baseline = Baseline {
        year_basis: YearBasis::Calendar,
        base_year: 2024,
        gdp_lcu: 609.4e12,
        milex_lcu: 609.4e12 * 1.4 / 100.0,
        milex_gdp: 1.4,
        exchange_rate: 151.5,
        hns_lcu: None,
        years,
        volatility: Some(Volatility {
            gdp_real_growth: 1.5,
            inflation: 1.0,
            exchange_rate: 8.0,
            method: "illustrative".into(),
        }),
        macro_definition: "imf_weo".into(),
        source: "synthetic".into(),
        vintage: "synthetic".into(),
        notes: vec![],
    };
    let mut inputs = Inputs::default();
    inputs.baselines.insert("JPN".into(), baseline);
    let model = resolve(&scenario, &inputs).expect("bench model");
    let options = RunOptions {
        paths,
        seed,
        progress: None,
    };

    let mut engine = Vec::new();
    let mut results = None;
    let cpu_start = cpu_seconds();
    for _ in 0..repeats {
        let start = Instant::now();
        let r = run(&model, &options).expect("bench run");
        engine.push(start.elapsed().as_secs_f64());
        results = Some(black_box(r));
    }
    let engine_cpu = cpu_seconds()
        .zip(cpu_start)
        .map(|(b, a)| (b - a) / repeats as f64);
    let results = results.expect("at least one repeat");

    // The floor: the same number of standard normals (3 series × 11 years per path),
    // from the same generator and per-path streams, in parallel, summed so none is
    // optimised away.
    let normals_per_path = 3 * model.years().len();
    let mut floor = Vec::new();
    let cpu_start = cpu_seconds();
    for _ in 0..repeats {
        let start = Instant::now();
        let sums: Vec<f64> = (0..paths)
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| {
                let mut rng = path_rng(seed, i as u64, Purpose::Economy);
                let mut sum = 0.0;
                for _ in 0..normals_per_path {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    sum += z;
                }
                sum
            })
            .collect();
        floor.push(start.elapsed().as_secs_f64());
        black_box(sums);
    }
    let floor_cpu = cpu_seconds()
        .zip(cpu_start)
        .map(|(b, a)| (b - a) / repeats as f64);
    let json_or_null = |v: Option<f64>| v.map_or("null".to_string(), |v| format!("{v:.3}"));

    let cell = |measure: &str, year: i32| {
        results
            .records
            .iter()
            .find(|r| r.measure == measure && r.year == year)
            .map(|r| {
                format!(
                    "{{\"q05\": {:e}, \"q50\": {:e}, \"q95\": {:e}, \"mean\": {:e}, \"p_2pct\": {}}}",
                    r.q05, r.q50, r.q95, r.mean, r.p_target_met["2pct"]
                )
            })
            .expect("cell")
    };
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{{\"paths\": {paths}, \"years\": {}, \"threads\": {}, \"normals\": {}, \
         \"engine_min_s\": {:.4}, \"engine_median_s\": {:.4}, \"floor_min_s\": {:.4}, \"floor_median_s\": {:.4}, \
         \"engine_cpu_s\": {}, \"floor_cpu_s\": {}, \
         \"records\": {}, \"cells\": {{\"gdp_lcu_2035\": {}, \"milex_usd_current_2035\": {}, \
         \"milex_extra_cumulative_lcu_2035\": {}, \"milex_gdp_2030\": {}}}}}",
        model.years().len(),
        rayon::current_num_threads(),
        paths * normals_per_path,
        min(&engine),
        median(&engine),
        min(&floor),
        median(&floor),
        json_or_null(engine_cpu),
        json_or_null(floor_cpu),
        results.records.len(),
        cell("gdp_lcu", 2035),
        cell("milex_usd_current", 2035),
        cell("milex_extra_cumulative_lcu", 2035),
        cell("milex_gdp", 2030),
    );
}
