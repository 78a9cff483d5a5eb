//! End-to-end tests of `data build` and `data check`: the committed dataset is
//! reproduced byte-for-byte from the publisher files, a bad publisher file leaves
//! `data/` untouched, and injected faults are caught.

mod common;

use std::fs;
use std::path::Path;

use common::{fails_with_2, fairshare, raw_dir, repo_root};
use predicates::prelude::*;

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn data_build_reproduces_the_committed_dataset_byte_for_byte() {
    let Some(raw) = raw_dir("data_build_reproduces_the_committed_dataset_byte_for_byte") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    // Not --quiet: with stderr a pipe, the summary prints but no progress bar does.
    let done = fairshare()
        .args(["data", "build", "--raw"])
        .arg(&raw)
        .arg("--out")
        .arg(&out)
        .env_remove("NO_COLOR")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert!(stderr.contains("observations"), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "progress bar or colour drawn into a pipe: {stderr:?}"
    );
    let built = files_under(&out);
    let committed = files_under(&repo_root().join("data"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&committed));
    for ((name, a), (_, b)) in built.iter().zip(&committed) {
        assert!(
            a == b,
            "{name} differs from the committed file: run `fairshare data build`"
        );
    }
}

#[test]
fn a_missing_raw_folder_is_a_clear_error() {
    let err = fails_with_2(&[
        "data",
        "build",
        "--raw",
        "/nonexistent/raw",
        "--out",
        "/tmp/never",
    ]);
    assert!(err.contains("/nonexistent/raw"), "{err}");
    assert!(!Path::new("/tmp/never").exists());
}

#[test]
fn a_corrupt_publisher_file_leaves_the_previous_dataset_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let raw = tmp.path().join("raw");
    fs::create_dir_all(raw.join("sipri_milex")).unwrap();
    // A zip signature followed by garbage: what a truncated download looks like.
    fs::write(
        raw.join("sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx"),
        b"PK\x03\x04 this is not a workbook",
    )
    .unwrap();
    let out = tmp.path().join("data");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("countries.csv"), "previous dataset").unwrap();
    let err = fairshare()
        .args(["data", "build", "--quiet", "--raw"])
        .arg(&raw)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("SIPRI-Milex-data-1949-2024_2.xlsx"), "{err}");
    assert!(err.contains("not a readable xlsx workbook"), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("countries.csv")).unwrap(),
        "previous dataset"
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        2,
        "no temporary folders left behind"
    );
}

/// Copy the committed dataset, let `inject` damage it, run `data check --data`.
fn check_with_fault(inject: impl Fn(&Path)) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("data");
    for (rel, bytes) in files_under(&repo_root().join("data")) {
        let p = copy.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    inject(&copy);
    let out = fairshare()
        .args(["data", "check", "--format", "csv", "--data"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the fault was not caught");
    String::from_utf8(out.stdout).unwrap()
}

fn edit_sipri(dir: &Path, edit: impl Fn(&str) -> String) {
    let p = dir.join("observations/sipri-milex-2025.csv");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, edit(&text)).unwrap();
}

const JPN_2022: &str = "JPN,2022,calendar,milex_gdp,sipri,1.0099439539165744,";

#[test]
fn data_check_catches_each_injected_fault() {
    // A duplicate key.
    let report = check_with_fault(|d| {
        edit_sipri(d, |t| {
            let line = t
                .lines()
                .find(|l| l.starts_with(JPN_2022))
                .unwrap()
                .to_string();
            format!("{t}{line}\n")
        })
    });
    assert!(report.contains("duplicate-key"), "{report}");

    // A share of GDP outside 0-100 (a fraction misread as a percent, times 100).
    let report = check_with_fault(|d| {
        edit_sipri(d, |t| {
            t.replace(
                JPN_2022,
                "JPN,2022,calendar,milex_gdp,sipri,100.99439539165744,",
            )
        })
    });
    assert!(report.contains("share-range"), "{report}");

    // A share that disagrees with spending / GDP: 1.5% instead of 1.01%.
    let report = check_with_fault(|d| {
        edit_sipri(d, |t| {
            t.replace(JPN_2022, "JPN,2022,calendar,milex_gdp,sipri,1.5,")
        })
    });
    assert!(report.contains("sipri-share-vs-ratio"), "{report}");
    assert!(report.contains("JPN 2022"), "{report}");

    // An unknown country code.
    let report = check_with_fault(|d| {
        edit_sipri(d, |t| {
            t.replace(
                JPN_2022,
                "JPX,2022,calendar,milex_gdp,sipri,1.0099439539165744,",
            )
        })
    });
    assert!(report.contains("unknown-country"), "{report}");

    // A unit that does not belong to the measure.
    let report = check_with_fault(|d| {
        edit_sipri(d, |t| {
            t.replacen(
                ",pct_gdp,,sipri-milex-2025,SIPRI 2025,56;",
                ",usd_current,,sipri-milex-2025,SIPRI 2025,56;",
                1,
            )
        })
    });
    assert!(report.contains("unit"), "{report}");

    // A vintage missing from the sources registry.
    let report = check_with_fault(|d| edit_sipri(d, |t| t.replacen("SIPRI 2025", "SIPRI 2019", 1)));
    assert!(report.contains("vintage"), "{report}");

    // A source missing from the registry.
    let report = check_with_fault(|d| {
        let p = d.join("sources.csv");
        let text = fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("nato-defexp-2024-06,"))
            .collect();
        fs::write(&p, kept.join("\n") + "\n").unwrap();
    });
    assert!(report.contains("unknown-source"), "{report}");
}

#[test]
fn a_truncated_dataset_file_is_refused_not_misread() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("data");
    for (rel, bytes) in files_under(&repo_root().join("data")) {
        let p = copy.join(&rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let keep = if rel.ends_with("sipri-milex-2025.csv") {
            bytes.len() / 2
        } else {
            bytes.len()
        };
        fs::write(p, &bytes[..keep]).unwrap();
    }
    fairshare()
        .args(["show", "JPN", "--data"])
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sipri-milex-2025.csv"));
}

/// A raw folder whose publisher folders link to the real ones, except `broken`,
/// which holds only the files `write` puts there.
fn raw_with_one_broken(raw: &Path, broken: &str, write: impl Fn(&Path)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for e in fs::read_dir(raw).unwrap().flatten() {
        let name = e.file_name();
        let target = tmp.path().join(&name);
        if name == broken {
            fs::create_dir_all(&target).unwrap();
            write(&target);
        } else {
            std::os::unix::fs::symlink(e.path(), target).unwrap();
        }
    }
    tmp
}

fn build_fails_naming(raw: &Path, expected: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let data = out.path().join("data");
    let result = fairshare()
        .args(["data", "build", "--quiet", "--raw"])
        .arg(raw)
        .arg("--out")
        .arg(&data)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected '{e}' in: {err}");
    }
    assert!(!data.exists(), "nothing written on failure");
}

#[test]
fn a_wdi_file_without_its_preamble_is_refused() {
    let Some(raw) = raw_dir("a_wdi_file_without_its_preamble_is_refused") else {
        return;
    };
    let tmp = raw_with_one_broken(&raw, "worldbank_wdi", |dir| {
        for e in fs::read_dir(raw.join("worldbank_wdi")).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = fs::read_to_string(e.path()).unwrap_or_default();
            let text = if name.starts_with("API_MS.MIL") {
                // Drop the "Data Source" / "Last Updated Date" preamble.
                text.lines().skip(4).collect::<Vec<_>>().join("\n")
            } else {
                text
            };
            fs::write(dir.join(&name), text).unwrap();
        }
    });
    build_fails_naming(tmp.path(), &["API_MS.MIL.XPND.GD.ZS"]);
}

#[test]
fn a_weo_file_without_its_subject_code_column_is_refused() {
    let Some(raw) = raw_dir("a_weo_file_without_its_subject_code_column_is_refused") else {
        return;
    };
    let tmp = raw_with_one_broken(&raw, "imf_weo", |dir| {
        // The IMF's own layout (tab-separated text named .xls), missing its subject codes.
        let text = "WEO Country Code\tISO\tCountry\tSubject Descriptor\tUnits\tScale\t2023\t2024\tEstimates Start After\n\
                    158\tJPN\tJapan\tGross domestic product, current prices\tNational currency\tBillions\t591,913\t609,433\t2024\n";
        fs::write(dir.join("WEOApr2025all.xls"), text).unwrap();
    });
    build_fails_naming(tmp.path(), &["WEOApr2025all.xls", "WEO Subject Code"]);
}

/// `data build` killed with SIGKILL while it writes: the previous dataset at --out is
/// still there, byte for byte (the new tree is written beside it and swapped in).
#[test]
fn a_build_killed_mid_write_leaves_the_previous_dataset_intact() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let Some(raw) = raw_dir("a_build_killed_mid_write_leaves_the_previous_dataset_intact") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("data");
    // The previous dataset: the committed one with a README edited by hand, so that it
    // differs from what the build writes and a completed build would show.
    for (rel, bytes) in files_under(&repo_root().join("data")) {
        let p = out.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    fs::write(out.join("README.md"), "previous dataset, edited by hand\n").unwrap();
    let before = files_under(&out);

    let mut killed_mid_write = false;
    for _attempt in 0..3 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fairshare"))
            .args(["data", "build", "--quiet", "--raw"])
            .arg(&raw)
            .arg("--out")
            .arg(&out)
            .spawn()
            .unwrap();
        // Wait for the temporary tree beside --out to hold a file: writing has started.
        let started = Instant::now();
        let writing = loop {
            let partial = fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".data.tmp-"))
                .any(|e| fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_some()));
            if partial {
                break true;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(600) {
                break false;
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let after = files_under(&out);
        if writing && status.signal() == Some(9) {
            killed_mid_write = true;
            assert!(
                after == before,
                "the previous dataset changed after a build was killed mid-write"
            );
            // The killed build left its partial tree behind; the next build clears it
            // away and completes.
            let leftovers = || -> Vec<String> {
                fs::read_dir(tmp.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with(".data.tmp-") || n.starts_with(".data.old-"))
                    .collect()
            };
            assert!(
                !leftovers().is_empty(),
                "the kill left no partial tree to clean up"
            );
            let ok = std::process::Command::new(env!("CARGO_BIN_EXE_fairshare"))
                .args(["data", "build", "--quiet", "--raw"])
                .arg(&raw)
                .arg("--out")
                .arg(&out)
                .status()
                .unwrap();
            assert!(ok.success());
            assert_eq!(
                leftovers(),
                Vec::<String>::new(),
                "stale temporary trees remain"
            );
            break;
        }
        // The build finished before the kill landed: the new dataset is whole; put the
        // previous one back and try again.
        assert!(status.success(), "build failed: {status}");
        fs::remove_dir_all(&out).unwrap();
        for (rel, bytes) in &before {
            let p = out.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
    }
    assert!(
        killed_mid_write,
        "never caught the build while it was writing"
    );
}
