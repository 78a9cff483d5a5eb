//! Shared helpers for the end-to-end tests: run the binary, find the raw folder.

#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// The `fairshare` binary, with a clean environment for reproducible output.
pub fn fairshare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairshare"));
    cmd.env_remove("FAIRSHARE_DATA").env("NO_COLOR", "1");
    cmd
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The publisher files, if this machine has them: `$FAIRSHARE_RAW`, else the shared
/// folder beside the checkout. Tests that need them say so and skip when absent.
pub fn raw_dir(test: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("FAIRSHARE_RAW")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data/raw"));
    if candidate.join("sipri_milex").is_dir() {
        Some(candidate)
    } else {
        eprintln!("raw files absent: skipped {test}");
        None
    }
}

/// Run and parse JSON stdout.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = fairshare().args(args).output().expect("run fairshare");
    assert!(
        out.status.success(),
        "fairshare {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Run expecting failure with exit code 2; returns stderr, asserted to be one line.
pub fn fails_with_2(args: &[&str]) -> String {
    let out = fairshare().args(args).output().expect("run fairshare");
    assert_eq!(
        out.status.code(),
        Some(2),
        "fairshare {args:?}: expected exit 2, got {:?}; stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "panic: {err}");
    err
}
