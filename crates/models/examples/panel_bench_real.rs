//! The Rust half of `bench/panel_vs_statsmodels.sh --real`: assembles the demand panel of
//! a specification from the committed dataset, writes it as CSV, fits it with each kind of
//! standard error, times the clustered fit, and writes the results as JSON for the Python
//! half to compare.
//!
//! ```text
//! cargo run --release -p fairshare-models --example panel_bench_real -- OUT_DIR [SPEC] [REPEATS]
//! ```
//!
//! `SPEC` is a built-in name or a TOML file [default: demand-nato-us-allies-1990]. Writes
//! `OUT_DIR/panel.csv` (country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat; rows
//! with in_sample = 0 only supply the lag) and `OUT_DIR/rust.json`.

use std::error::Error;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use fairshare_dataset::Dataset;
use fairshare_models::panel::{Covariance, fit};
use fairshare_models::{data, spec};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        return Err("usage: panel_bench_real OUT_DIR [SPEC] [REPEATS]".into());
    };
    let name = args
        .get(1)
        .map(String::as_str)
        .unwrap_or(spec::DEFAULT_SPEC);
    let repeats: usize = match args.get(2) {
        Some(s) => s.parse()?,
        None => 200,
    };
    let spec = match spec::builtin(name) {
        Some(parsed) => parsed?,
        None => spec::parse(name, &std::fs::read_to_string(name)?)?,
    };
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let ds = Dataset::load_dir(&root.join("data"))?;
    let pd = data::assemble_panel(&ds, &spec)?;
    std::fs::write(format!("{out}/panel.csv"), pd.to_csv())?;

    let base = spec.panel_spec();
    let conventional = fit(
        &pd.panel,
        &base.clone().covariance(Covariance::Conventional),
    )?;
    let clustered = fit(
        &pd.panel,
        &base.clone().covariance(Covariance::ClusteredByGroup),
    )?;
    let driscoll_kraay = fit(
        &pd.panel,
        &base
            .clone()
            .covariance(Covariance::DriscollKraay { bandwidth: None }),
    )?;

    // Time the whole fit from the long panel: sort, lag, demean, QR, clustered covariance.
    let clustered_spec = base.covariance(Covariance::ClusteredByGroup);
    let mut seconds: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            black_box(fit(black_box(&pd.panel), black_box(&clustered_spec)).ok());
            start.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];

    let report = serde_json::json!({
        "spec": spec.name,
        "dependent": spec.dependent,
        "conventional": conventional,
        "clustered": clustered,
        "driscoll_kraay": driscoll_kraay,
        "timing": { "median_seconds": median, "repeats": repeats },
    });
    std::fs::write(
        format!("{out}/rust.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    println!(
        "rust: {} ({}): {} rows, {} countries; clustered fit median {:.1} µs over {} runs",
        spec.name,
        spec.describe(),
        clustered.sample.nobs,
        clustered.sample.groups,
        median * 1e6,
        repeats
    );
    Ok(())
}
