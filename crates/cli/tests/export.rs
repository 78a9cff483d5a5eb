//! End-to-end tests of `export`, `completions` and `man` on the committed dataset:
//! what each format holds (read back with Rust readers; the independent Python
//! readers are in tests/python/), atomic replacement, and every bad input exiting 2
//! with one clear line.

mod common;

use std::fs;
use std::path::Path;

use common::{fails_with_2, fairshare};
use predicates::prelude::*;

fn export(args: &[&str], out: &Path) {
    fairshare()
        .arg("export")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn csv_export_is_a_data_package_of_the_selection() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("allies");
    fairshare()
        .args([
            "export",
            "csv",
            "JPN",
            "Korea, South",
            "--measure",
            "milex_gdp",
        ])
        .args(["--from", "2014", "--to", "2024", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "from 2 sources (countries JPN, KOR; measures milex_gdp; years 2014-2024)",
        ));
    let mut header = csv::Reader::from_path(out.join("observations.csv")).unwrap();
    let header: Vec<String> = header.headers().unwrap().iter().map(String::from).collect();
    for base in [
        "country",
        "measure",
        "year",
        "year_basis",
        "value",
        "unit",
        "definition",
        "source",
        "vintage",
        "flags",
    ] {
        assert!(header.contains(&base.to_string()), "{base} in {header:?}");
    }
    let rows = csv_rows(&out.join("observations.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Japan 2022: SIPRI's 1.01% from its workbook (preferred) and the World Bank's copy.
    let jp22: Vec<_> = rows
        .iter()
        .filter(|r| &r[col("country")] == "JPN" && &r[col("year")] == "2022")
        .collect();
    let sipri = jp22
        .iter()
        .find(|r| &r[col("source")] == "sipri-milex-2025")
        .unwrap();
    assert_eq!(&sipri[col("preferred")], "true");
    assert_eq!(&sipri[col("vintage")], "SIPRI 2025");
    let v: f64 = sipri[col("value")].parse().unwrap();
    assert!((v - 1.0099).abs() < 1e-4, "{v}");
    assert!(
        jp22.iter()
            .any(|r| &r[col("source")] == "wb-wdi-milex-gdp" && &r[col("preferred")] == "false")
    );
    assert!(rows.iter().all(|r| &r[col("measure")] == "milex_gdp"));

    let package: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(package["name"], "fairshare");
    assert_eq!(package["profile"], "tabular-data-package");
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for t in [
        "observations",
        "sources",
        "countries",
        "definitions",
        "notes",
    ] {
        assert!(names.contains(&t), "{t} in {names:?}");
        assert!(out.join(format!("{t}.csv")).is_file());
    }
    // The observations' two sources, and those of the registries exported whole
    // beside them (alliances, memberships, targets, plans); each with licence and citation.
    let sources = package["sources"].as_array().unwrap();
    for id in ["sipri-milex-2025", "wb-wdi-milex-gdp", "nato-members"] {
        assert!(sources.iter().any(|s| s["id"] == id), "{id}");
    }
    assert!(!sources.iter().any(|s| s["id"] == "imf-weo-2025-04"));
    assert!(sources.iter().all(|s| s["licence"].is_string()
        && s["citation"].is_string()
        && s["vintage"].is_string()));
    for t in ["alliances", "memberships", "targets", "plans"] {
        assert!(names.contains(&t), "{t} in {names:?}");
    }
}

#[test]
fn sqlite_export_is_normalized_with_readme_and_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.sqlite");
    export(&["sqlite", "POL", "--definition", "nato"], &out);
    let db = rusqlite::Connection::open(&out).unwrap();
    let count: i64 = db
        .query_row("SELECT count(*) FROM observations", [], |r| r.get(0))
        .unwrap();
    assert!(count > 50, "{count}");
    let (value, vintage): (f64, String) = db
        .query_row(
            "SELECT value, vintage FROM observations_full WHERE country = 'POL' \
             AND measure = 'milex_gdp' AND year = 2024",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!((value - 4.12).abs() < 0.01, "{value}");
    assert_eq!(vintage, "NATO June 2024");
    let about: String = db
        .query_row(
            "SELECT text FROM README WHERE topic = 'selection'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        about.starts_with("Countries POL; definitions nato"),
        "{about}"
    );
    let indexes: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(indexes >= 3, "{indexes}");
    let violations: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
}

#[test]
fn parquet_and_xlsx_exports_are_deterministic_and_replace_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    for ext in ["parquet", "xlsx", "sqlite"] {
        let a = tmp.path().join(format!("a.{ext}"));
        let b = tmp.path().join(format!("b.{ext}"));
        export(&[ext, "JPN", "--from", "2020"], &a);
        export(&[ext, "JPN", "--from", "2020"], &b);
        assert!(
            fs::read(&a).unwrap() == fs::read(&b).unwrap(),
            "{ext}: two exports of the same selection differ"
        );
        // A second export replaces the first; a failing one leaves it untouched.
        export(&[ext, "KOR", "--from", "2020"], &a);
        assert!(fs::read(&a).unwrap() != fs::read(&b).unwrap());
        let before = fs::read(&a).unwrap();
        let err = fails_with_2(&[
            "export",
            ext,
            "JPN",
            "--measure",
            "hns_usd",
            "--out",
            a.to_str().unwrap(),
        ]);
        assert!(err.contains("nothing to export"), "{err}");
        assert_eq!(fs::read(&a).unwrap(), before);
    }
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn csv_export_replaces_an_earlier_export_but_never_a_users_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("exp");
    export(&["csv", "JPN"], &out);
    export(&["csv", "KOR"], &out);
    let rows = csv_rows(&out.join("observations.csv"));
    assert!(rows.iter().all(|r| &r[0] == "KOR"));

    let mine = tmp.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("thesis.docx"), "years of work").unwrap();
    let err = fails_with_2(&["export", "csv", "JPN", "--out", mine.to_str().unwrap()]);
    assert!(err.contains("refusing to replace"), "{err}");
    assert_eq!(
        fs::read_to_string(mine.join("thesis.docx")).unwrap(),
        "years of work"
    );
}

#[test]
fn bad_export_inputs_exit_2_with_a_clear_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("taken.txt");
    fs::write(&file, "x").unwrap();
    let file = file.to_str().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["export", "json", "--all", "--out", "x"],
            "invalid value 'json'",
        ),
        (vec!["export", "csv", "--all"], "--out <PATH>"),
        (
            vec!["export", "parquet", "--out", "x.parquet"],
            "say what to export",
        ),
        (
            vec!["export", "csv", "--all", "--out", file],
            "is a file; csv export writes a folder",
        ),
        (
            vec!["export", "parquet", "--all", "--out", dir],
            "is a folder; this format writes one file",
        ),
        (
            vec![
                "export",
                "sqlite",
                "JPN",
                "--out",
                "/nonexistent-dir/x.sqlite",
            ],
            "folder /nonexistent-dir does not exist",
        ),
        (
            vec!["export", "xlsx", "JPN", "--out", "/proc/self/x.xlsx"],
            "cannot write /proc/self/x.xlsx:",
        ),
        (
            vec!["export", "csv", "JPN", "--out", "/proc/self/fairshare-csv"],
            "cannot write /proc/self/fairshare-csv:",
        ),
        (
            vec!["export", "csv", "Japn", "--out", "x"],
            "did you mean JPN (Japan)?",
        ),
        (
            vec!["export", "csv", "JPN", "--all", "--out", "x"],
            "cannot be used with",
        ),
        (
            vec!["export", "--format", "parquet", "--all", "--out", "x"],
            "export takes its file format as the first argument",
        ),
        (
            vec!["export", "csv", "--format", "json", "--all", "--out", "x"],
            "export takes its file format as the first argument",
        ),
    ];
    for (args, want) in cases {
        let err = fails_with_2(&args);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains(".tmp-"), "names our temporary file: {err}");
    }
    // Each format's own writer, refused by the location, not by a check before it.
    for (format, out) in [
        ("parquet", "/proc/self/x.parquet"),
        ("sqlite", "/proc/self/x.sqlite"),
    ] {
        let err = fails_with_2(&["export", format, "JPN", "--out", out]);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&format!("cannot write {out}:")), "{err}");
        assert!(!err.contains(".tmp-"), "names our temporary file: {err}");
    }
    assert!(!Path::new("x").exists(), "a failed export left ./x behind");
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    for (shell, marker) in [
        ("bash", "_fairshare()"),
        ("zsh", "#compdef fairshare"),
        ("fish", "complete -c fairshare"),
    ] {
        fairshare()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker))
            .stdout(predicate::str::contains("export"))
            .stdout(predicate::str::contains("parquet"));
    }
    // Bash completes the export formats after `fairshare export `.
    let bin = env!("CARGO_BIN_EXE_fairshare");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <({bin} completions bash); COMP_WORDS=(fairshare export ''); COMP_CWORD=2; \
             COMP_LINE='fairshare export '; COMP_POINT=${{#COMP_LINE}}; \
             _fairshare fairshare '' export; echo \"${{COMPREPLY[@]}}\""
        ))
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    for format in ["csv", "parquet", "sqlite", "xlsx", "--all", "--out"] {
        assert!(
            offered.split_whitespace().any(|w| w == format),
            "{format} not offered: {offered}"
        );
    }
    fairshare()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH fairshare 1"))
        .stdout(predicate::str::contains("fairshare export parquet"));
    let tmp = tempfile::tempdir().unwrap();
    fairshare()
        .args(["man", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    for page in [
        "fairshare.1",
        "fairshare-export.1",
        "fairshare-data-build.1",
    ] {
        let text = fs::read_to_string(tmp.path().join(page)).unwrap();
        assert!(text.contains("Examples:"), "{page} has no examples");
    }
}

#[test]
fn help_is_plain_text_when_piped_or_with_no_color() {
    // Piped (as here), clap must not colour the help.
    fairshare()
        .args(["export", "--help"])
        .env_remove("NO_COLOR")
        .assert()
        .success()
        .stdout(predicate::str::contains('\u{1b}').not());
    // On a terminal (script(1) gives one), colour only without NO_COLOR.
    if which("script").is_none() {
        eprintln!("script(1) absent: skipped the terminal half of help_is_plain_text");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_fairshare");
    let on_tty = |no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &format!("{bin} show --help"), "/dev/null"])
            .env("TERM", "xterm-256color");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_tty(false);
    assert!(coloured.contains("Examples:"), "{coloured}");
    assert!(
        coloured.contains('\u{1b}'),
        "no colour on a terminal at all?"
    );
    assert!(!on_tty(true).contains('\u{1b}'), "NO_COLOR ignored");
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}
