//! Assemble the built-in demand panel from the committed dataset, fit it, and print a
//! summary (a development aid; `fairshare model fit` is the user's command).
//!
//! ```text
//! cargo run --release -p fairshare-models --example real_panel -- [DATA_DIR] [SPEC]
//! ```

use std::error::Error;
use std::path::PathBuf;

use fairshare_dataset::Dataset;
use fairshare_models::{data, panel, spec};

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data_dir = args.first().map(PathBuf::from).unwrap_or(root.join("data"));
    let spec_path = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or(root.join("models/demand-nato-us-allies-1990.toml"));
    let ds = Dataset::load_dir(&data_dir)?;
    let text = std::fs::read_to_string(&spec_path)?;
    let spec = spec::parse(&spec_path.display().to_string(), &text)?;
    let pd = data::assemble_panel(&ds, &spec)?;
    println!("{:#?}", pd.report);
    let fit = panel::fit(&pd.panel, &spec.panel_spec())?;
    for c in fit.coefficients.iter().chain(&fit.long_run) {
        println!(
            "{:<12} {:>10.4} ({:.4}) p={:.3}",
            c.name, c.estimate, c.std_error, c.p_value
        );
    }
    println!("{:?} r2w={:.3}", fit.sample, fit.r2_within);
    for n in &fit.notes {
        println!("{n}");
    }
    Ok(())
}
