//! Shared by the fuzz targets: the readers take a path, so each input is written to a
//! file of this process's own under the temp folder (a tmpfs on most CI runners).

use std::path::PathBuf;

/// Write `bytes` to this process's scratch file named `name` and return its path.
pub fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fairshare-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the fuzz scratch folder");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the fuzz input");
    path
}
