//! The fitted demand model as an ally-response rule, on one ally: how its spending would
//! respond, year by year, if the United States' spending dropped out of its spill-in,
//! with the coefficient uncertainty carried into seeded Monte Carlo draws (what a scenario
//! engine would do per path).
//!
//! ```text
//! cargo run --release -p fairshare-models --example ally_response -- [COUNTRY] [SHARE] [PATHS] [SEED]
//! ```
//!
//! COUNTRY defaults to DEU; SHARE (default 1) is the part of the US spending withdrawn
//! from the ally's spill-in, from the base year (the built-in specification's last year)
//! on, for ten years.

use std::error::Error;
use std::path::PathBuf;

use fairshare_dataset::{Dataset, Measure, YearBasis};
use fairshare_models::response::{ResponseRule, Shock, spill_in_shock};
use fairshare_models::{data, spec};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let country = args.first().map(String::as_str).unwrap_or("DEU");
    let share: f64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1.0);
    let paths: usize = args
        .get(2)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let seed: u64 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(2024);

    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let ds = Dataset::load_dir(&root.join("data"))?;
    let s = spec::builtin(spec::DEFAULT_SPEC).expect("built in")?;
    let (pd, fit) = data::fit_spec(&ds, &s)?;
    let rule = ResponseRule::from_fit(&fit)?;
    let year = s.to;
    let row = pd
        .rows
        .iter()
        .find(|r| r.country == country && r.year == year && r.in_sample)
        .ok_or(format!("{country} is not in the sample in {year}"))?;
    let spill = row.ln_spill.exp();
    let us = ds
        .get(
            "USA",
            Measure::MilexUsdConstant,
            "sipri",
            YearBasis::Calendar,
            year,
        )
        .and_then(|o| o.value())
        .ok_or("no US spending")?;
    let shock = Shock {
        ln_spill: spill_in_shock(spill, share * us)?,
        ..Shock::default()
    };
    let horizon = 10;
    let shocks = vec![shock; horizon];
    println!(
        "{country} {year}: spill-in US$ {:.0} bn (constant 2023), of which the US {:.0} bn; \
         {:.0}% of the US part withdrawn: dln SPILL = {:.3}",
        spill / 1e9,
        us / 1e9,
        share * 100.0,
        shock.ln_spill
    );
    let central = rule.central();
    println!(
        "central: lambda {:.4}, spill-in {:.4}; long run x{:.3}",
        central.lambda,
        central.spill_in,
        central.long_run(&shock).unwrap_or(f64::NAN)
    );
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut by_year: Vec<Vec<f64>> = (0..horizon).map(|_| Vec::with_capacity(paths)).collect();
    for _ in 0..paths {
        let e = rule.draw(&mut rng);
        for (t, m) in e.respond(&shocks).into_iter().enumerate() {
            by_year[t].push(m);
        }
    }
    let path = central.respond(&shocks);
    println!("year  central  p05    p50    p95   (spending relative to the baseline)");
    for (t, draws) in by_year.iter_mut().enumerate() {
        draws.sort_by(f64::total_cmp);
        let q = |p: f64| draws[((draws.len() - 1) as f64 * p).round() as usize];
        println!(
            "{}  {:.3}    {:.3}  {:.3}  {:.3}",
            year + 1 + t as i32,
            path[t],
            q(0.05),
            q(0.5),
            q(0.95)
        );
    }
    Ok(())
}
