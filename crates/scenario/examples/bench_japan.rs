//! Benchmark: the built-in `japan-us-demand-3.5pct-2035` scenario (Japan's 2%-by-2027
//! plan, and the reported US request of June 2025 for 3.5% of GDP by 2035, which Japan
//! meets), 1,000,000 paths × 11 years, prepared from the embedded dataset exactly as
//! `fairshare scenario run` prepares it: IMF WEO April 2025 growth, inflation and implied
//! yen rate, SIPRI's 2024 share, shocks sized by Japan's 2000–2024 historical volatility.
//! Run by `bench/japan.sh`, which compares it with a vectorised numpy implementation of
//! the same model; see `bench/README.md`.
//!
//! Prints one JSON object: the engine's times, the floor (drawing the same number of
//! normals with the same generator and per-path streams, nothing else), the prepared
//! baseline (so numpy runs the same numbers), and a few result cells for the numpy side
//! to check it ran the same model.

use std::hint::black_box;
use std::time::Instant;

use fairshare_scenario::stream::{Purpose, path_rng};
use fairshare_scenario::{RunOptions, builtin, parse, prepare, resolve, run};
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// The built-in scenario the benchmark runs.
const SCENARIO: &str = "japan-us-demand-3.5pct-2035";

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

    let ds = fairshare_embedded::dataset().expect("the embedded dataset");
    let file = builtin::get(SCENARIO).expect("built-in scenario");
    let scenario = parse(file.text, file.file, ds.countries()).expect("bench scenario");
    let inputs = prepare(ds, &scenario).expect("prepared from the dataset");
    let baseline = &inputs.baselines["JPN"];
    let volatility = baseline
        .volatility
        .as_ref()
        .expect("Japan's historical volatility");
    let list = |f: &dyn Fn(&fairshare_scenario::BaselineYear) -> f64| {
        baseline
            .years
            .iter()
            .map(|y| format!("{:e}", f(y)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let baseline_json = format!(
        "{{\"base_year\": {}, \"gdp_lcu\": {:e}, \"milex_gdp\": {:e}, \"exchange_rate\": {:e}, \
         \"years\": [{}], \"growth\": [{}], \"inflation\": [{}], \"rate\": [{}], \
         \"sd_growth\": {:e}, \"sd_inflation\": {:e}, \"sd_fx\": {:e}, \
         \"source\": \"{}\", \"vintage\": \"{}\"}}",
        baseline.base_year,
        baseline.gdp_lcu,
        baseline.milex_gdp,
        baseline.exchange_rate,
        list(&|y| f64::from(y.year)),
        list(&|y| y.gdp_real_growth),
        list(&|y| y.inflation),
        list(&|y| y.exchange_rate),
        volatility.gdp_real_growth,
        volatility.inflation,
        volatility.exchange_rate,
        baseline.source,
        baseline.vintage,
    );
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
         \"scenario\": \"{SCENARIO}\", \"baseline\": {baseline_json}, \"records\": {}, \"cells\": {{\"gdp_lcu_2035\": {}, \"milex_usd_current_2035\": {}, \
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
