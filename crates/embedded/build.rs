//! Compile the committed dataset (`data/*.csv`) into the compact form the binary
//! embeds, so a fact query never pays for parsing CSV.
//!
//! A missing or invalid dataset does not stop the build: the binary must still run
//! `fairshare data build` to repair it. Instead the error text is embedded and every
//! command that needs data refuses with it.

use std::path::{Path, PathBuf};

use fairshare_dataset::{Dataset, RawDataset};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let data = manifest.join("../../data");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    watch(&data);
    let (bytes, error) = match RawDataset::read_dir(&data).and_then(Dataset::from_raw) {
        Ok(ds) => (ds.encode(), String::new()),
        Err(e) => {
            println!("cargo:warning=committed dataset not embedded: {e}");
            (Vec::new(), e.to_string())
        }
    };
    std::fs::write(out.join("dataset.bin"), bytes).expect("write OUT_DIR/dataset.bin");
    std::fs::write(out.join("dataset.err"), error).expect("write OUT_DIR/dataset.err");
}

fn watch(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                watch(&p);
            } else {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
}
