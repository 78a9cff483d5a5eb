//! # fairshare-embedded
//!
//! The committed dataset under `data/`, compiled into the binary by `build.rs` in the
//! compact form of [`Dataset::encode`]. Loading it takes milliseconds, so `fairshare show
//! JPN` is not dominated by reading data.
//!
//! Not for reading other datasets: use [`Dataset::load_dir`] for a directory.
//!
//! ```no_run
//! let ds = fairshare_embedded::dataset().expect("the committed dataset is valid");
//! assert!(ds.countries().get("JPN").is_some());
//! ```

use std::sync::OnceLock;

use fairshare_dataset::{Dataset, DatasetError};

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dataset.bin"));
static BUILD_ERROR: &str = include_str!(concat!(env!("OUT_DIR"), "/dataset.err"));

/// The embedded dataset, decoded once per process.
pub fn dataset() -> Result<&'static Dataset, DatasetError> {
    static DATASET: OnceLock<Result<Dataset, String>> = OnceLock::new();
    let loaded = DATASET.get_or_init(|| {
        if !BUILD_ERROR.is_empty() {
            return Err(format!(
                "the committed dataset could not be compiled in: {BUILD_ERROR} \
                 (run `fairshare data check --data data` for a report, or `fairshare data build` to regenerate it)"
            ));
        }
        Dataset::decode(BYTES).map_err(|e| e.to_string())
    });
    loaded
        .as_ref()
        .map_err(|m| DatasetError::invalid("data/", m.clone()))
}

/// Size of the embedded compact form, in bytes (for `--version` and benchmarks).
pub fn embedded_size() -> usize {
    BYTES.len()
}
