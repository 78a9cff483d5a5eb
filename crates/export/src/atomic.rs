//! Writing outputs atomically: everything goes to a temporary file or folder beside
//! the target and is renamed into place when complete, so an error or an interrupt
//! never leaves a partial output nor spoils an earlier one.
//!
//! The target is checked first, with messages that say what to do instead: a folder
//! where a file is needed (or the reverse), a parent folder that does not exist, a
//! non-empty folder that is not an earlier fairshare export (never replaced).

use std::fs;
use std::path::{Path, PathBuf};

use fairshare_dataset::DatasetError;

use crate::error::ExportError;

/// The Data Package name that marks a folder as a fairshare CSV export.
pub const PACKAGE_NAME: &str = "fairshare";

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn check_parent(path: &Path) -> Result<(), ExportError> {
    let parent = parent_of(path);
    if parent.is_dir() {
        Ok(())
    } else if parent.exists() {
        Err(ExportError::Target(format!(
            "cannot write {}: {} is not a folder",
            path.display(),
            parent.display()
        )))
    } else {
        Err(ExportError::Target(format!(
            "cannot write {}: folder {} does not exist (create it first)",
            path.display(),
            parent.display()
        )))
    }
}

/// A one-file output: not an existing folder, in a folder that exists.
pub fn check_file_target(path: &Path) -> Result<(), ExportError> {
    if path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/') {
        return Err(ExportError::Target(format!(
            "--out {} is a folder; this format writes one file: give a file path such as {}",
            path.display(),
            path.join("fairshare.<ext>").display()
        )));
    }
    check_parent(path)
}

/// A folder output: not an existing file, and if it exists, empty or an earlier export.
pub fn check_folder_target(path: &Path) -> Result<(), ExportError> {
    if path.exists() && !path.is_dir() {
        return Err(ExportError::Target(format!(
            "--out {} is a file; csv export writes a folder (CSV files and datapackage.json): give a folder path",
            path.display()
        )));
    }
    if path.is_dir() && !is_empty_dir(path)? && !is_fairshare_export(path) {
        return Err(ExportError::Target(format!(
            "refusing to replace {}: the folder is not empty and is not an earlier fairshare export (no datapackage.json named '{PACKAGE_NAME}'); give a new or empty folder",
            path.display()
        )));
    }
    check_parent(path)
}

fn is_empty_dir(path: &Path) -> Result<bool, ExportError> {
    let mut entries = fs::read_dir(path).map_err(|e| ExportError::io(path, e))?;
    Ok(entries.next().is_none())
}

fn is_fairshare_export(dir: &Path) -> bool {
    fs::read(dir.join("datapackage.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v["name"] == PACKAGE_NAME)
}

/// Write one file: `write` fills a temporary path beside `path`, which then replaces it.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ExportError::Target(format!("--out {} names no file", path.display())))?;
    let tmp = parent_of(path).join(format!(".{name}.tmp-{}", std::process::id()));
    let cleanup = |tmp: &Path| {
        let _ = fs::remove_file(tmp);
    };
    cleanup(&tmp);
    if let Err(e) = write(&tmp) {
        cleanup(&tmp);
        // Name the path the user gave, not our temporary one.
        return Err(match e {
            ExportError::Io { source, .. } => ExportError::io(path, source),
            other => other,
        });
    }
    fs::rename(&tmp, path).map_err(|e| {
        cleanup(&tmp);
        ExportError::io(path, e)
    })
}

/// Write a folder of files (relative path, contents) as one replacement of `dir`.
pub fn write_folder(dir: &Path, files: &[(String, String)]) -> Result<(), ExportError> {
    fairshare_dataset::dataset::write_tree_atomically(dir, files).map_err(|e| match e {
        DatasetError::Io { source, .. } => ExportError::io(dir, source),
        other => ExportError::Target(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.parquet");
        fs::write(&out, "old").unwrap();
        let err = write_file(&out, |tmp| {
            fs::write(tmp, "partial").unwrap();
            Err(ExportError::encode("parquet", "boom"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("boom"));
        assert_eq!(fs::read_to_string(&out).unwrap(), "old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.parquet")]);

        write_file(&out, |tmp| {
            fs::write(tmp, "new").map_err(|e| ExportError::io(tmp, e))
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "new");
    }

    #[test]
    fn targets_are_checked_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        fs::write(&file, "x").unwrap();
        let err = check_folder_target(&file).unwrap_err().to_string();
        assert!(err.contains("is a file"), "{err}");
        let err = check_file_target(dir.path()).unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        let err = check_file_target(&dir.path().join("nope/x.sqlite"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not exist"), "{err}");
        let err = check_file_target(&file.join("x.sqlite"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a folder"), "{err}");

        // A user's folder is never replaced; an earlier export is.
        let err = check_folder_target(dir.path()).unwrap_err().to_string();
        assert!(err.contains("refusing to replace"), "{err}");
        let export = dir.path().join("exp");
        fs::create_dir(&export).unwrap();
        check_folder_target(&export).unwrap();
        fs::write(export.join("datapackage.json"), r#"{"name": "fairshare"}"#).unwrap();
        check_folder_target(&export).unwrap();
        fs::write(export.join("datapackage.json"), r#"{"name": "other"}"#).unwrap();
        assert!(check_folder_target(&export).is_err());
    }
}
