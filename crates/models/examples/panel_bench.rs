//! The Rust half of `bench/panel_vs_statsmodels.sh`: writes a synthetic panel as CSV, fits it
//! with each kind of standard error, times the clustered fit, and writes the results as JSON
//! for the Python half to compare.
//!
//! ```text
//! cargo run --release -p fairshare-models --example panel_bench -- OUT_DIR [GROUPS YEARS REPEATS]
//! ```
//!
//! Writes `OUT_DIR/panel.csv` (group,year,y,x1..x4) and `OUT_DIR/rust.json`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::error::Error;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use fairshare_models::panel::{Covariance, PanelSpec, fit};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        return Err("usage: panel_bench OUT_DIR [GROUPS YEARS REPEATS]".into());
    };
    let number = |i: usize, default: usize| -> Result<usize, Box<dyn Error>> {
        Ok(match args.get(i) {
            Some(s) => s.parse()?,
            None => default,
        })
    };
    let (groups, years, repeats) = (number(1, 60)?, number(2, 36)?, number(3, 200)?);

    // Realistic shape: 60 countries × 36 years (35 with a lag), 4 regressors + the lag.
    let beta = [0.6, -0.2, 0.15, 0.3];
    let data = support::generate(groups, years, &beta, Some(0.5), 0.1, 2024);
    let mut csv = String::from("group,year,y,x1,x2,x3,x4\n");
    for i in 0..data.y.len() {
        write!(csv, "{},{},{:?}", data.groups[i], data.times[i], data.y[i])?;
        for column in &data.x {
            write!(csv, ",{:?}", column[i])?;
        }
        csv.push('\n');
    }
    std::fs::write(format!("{out}/panel.csv"), csv)?;

    let panel = data.panel();
    let spec = PanelSpec::new("y", &["x1", "x2", "x3", "x4"])
        .lagged_dependent(true)
        .group_label("country");
    let conventional = fit(&panel, &spec.clone().covariance(Covariance::Conventional))?;
    let clustered = fit(
        &panel,
        &spec.clone().covariance(Covariance::ClusteredByGroup),
    )?;
    let driscoll_kraay = fit(
        &panel,
        &spec
            .clone()
            .covariance(Covariance::DriscollKraay { bandwidth: None }),
    )?;

    // Time the whole fit from the long panel: sort, lag, demean, QR, clustered covariance.
    let clustered_spec = spec.covariance(Covariance::ClusteredByGroup);
    let mut seconds: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            black_box(fit(black_box(&panel), black_box(&clustered_spec)).ok());
            start.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];

    let report = serde_json::json!({
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
        "rust: {} rows, {} groups; clustered fit median {:.1} µs over {} runs",
        clustered.sample.nobs,
        clustered.sample.groups,
        median * 1e6,
        repeats
    );
    Ok(())
}
