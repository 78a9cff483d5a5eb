//! The bad-input catalogue: one table of inputs a user can get wrong, each run through
//! the built binary. Every row must end with exit code 2, no panic, and a single line
//! on stderr that names the offending input. `docs/errors.md` lists every class by its
//! id with the message a user sees; a second test keeps the two in step.

mod common;

use std::fs;
use std::path::Path;

use common::{raw_dir, repo_root};

/// What a row runs: the arguments, given a scratch folder to write files into.
type Setup = fn(&Path) -> Option<Vec<String>>;

struct Class {
    /// Stable id, listed in docs/errors.md.
    id: &'static str,
    setup: Setup,
    /// Every one of these must appear in the message (the offending input).
    names: &'static [&'static str],
}

fn s(args: &[&str]) -> Option<Vec<String>> {
    Some(args.iter().map(|a| a.to_string()).collect())
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn scenario_run(dir: &Path, text: impl AsRef<[u8]>) -> Option<Vec<String>> {
    let f = write(dir, "bad.toml", text);
    Some(vec![
        "scenario".into(),
        "run".into(),
        f,
        "--paths".into(),
        "200".into(),
    ])
}

fn claims_check(dir: &Path, text: impl AsRef<[u8]>) -> Option<Vec<String>> {
    let f = write(dir, "bad-claims.toml", text);
    Some(vec!["claims".into(), "check".into(), f])
}

/// A valid scenario, to be damaged one field at a time.
const SCENARIO: &str = "name = \"t\"\ntitle = \"t\"\nhorizon = [2025, 2030]\n\
definition = \"sipri\"\ncountries = [\"KOR\"]\n\n[response.KOR]\nrule = \"elasticity\"\n\
elasticity = 1.0\n\n[[events]]\nid = \"w\"\nkind = \"withdrawal\"\ncountry = \"KOR\"\n\
year = 2028\nfraction = 1.0\nreplacement_pct_gdp = 0.5\nprobability = 0.2\n";

/// A valid claims file, to be damaged one field at a time.
const CLAIM: &str = "[[claim]]\nid = \"c\"\nquote = \"q\"\ncountry = \"Japan\"\n\
measure = \"milex_gdp\"\nyear = 2022\nvalue = 1.1\ndecimals = 1\nsource = \"SIPRI\"\n";

/// Deeply nested TOML: 100,000 open arrays.
fn nested_toml(key: &str) -> String {
    format!("{key} = {}{}\n", "[".repeat(100_000), "]".repeat(100_000))
}

/// A copy of the publisher files with symlinks for every folder but `publisher`, which
/// is copied so that `damage` can change it. None when the raw files are absent.
fn raw_copy(dir: &Path, publisher: &str, damage: impl Fn(&Path)) -> Option<Vec<String>> {
    let raw = raw_dir("bad_inputs publisher row")?;
    let copy = dir.join("raw");
    fs::create_dir_all(&copy).unwrap();
    for e in fs::read_dir(&raw).unwrap().flatten() {
        let name = e.file_name();
        let to = copy.join(&name);
        if name == publisher {
            fs::create_dir_all(&to).unwrap();
            for f in fs::read_dir(e.path()).unwrap().flatten() {
                fs::copy(f.path(), to.join(f.file_name())).unwrap();
            }
        } else {
            std::os::unix::fs::symlink(e.path(), &to).unwrap();
        }
    }
    damage(&copy.join(publisher));
    let out = dir.join("out");
    Some(vec![
        "data".into(),
        "build".into(),
        "--quiet".into(),
        "--raw".into(),
        copy.to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
    ])
}

const SIPRI: &str = "SIPRI-Milex-data-1949-2024_2.xlsx";

fn sipri(dir: &Path, damage: impl Fn(&[u8]) -> Vec<u8>) -> Option<Vec<String>> {
    raw_copy(dir, "sipri_milex", |d| {
        let p = d.join(SIPRI);
        let bytes = fs::read(&p).unwrap();
        fs::write(&p, damage(&bytes)).unwrap();
    })
}

/// Rewrite one member of a zip (an xlsx) with `edit` applied to its text.
fn rezip(bytes: &[u8], member: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == member {
            data = edit(&String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn edit_text(path: &Path, edit: impl Fn(&str) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, edit(&text)).unwrap();
}

/// The CSV `text` without the column `name`, header and rows alike.
fn drop_column(text: &str, name: &str) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut drop = None;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let at = *drop.get_or_insert_with(|| rec.iter().position(|h| h == name).unwrap());
        let kept: Vec<&str> = rec
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, f)| f)
            .collect();
        out.write_record(kept).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

/// A copy of the committed dataset with one observation file damaged.
fn dataset_copy(dir: &Path, damage: impl Fn(&Path)) -> Option<Vec<String>> {
    let from = repo_root().join("data");
    let to = dir.join("data");
    copy_tree(&from, &to);
    damage(&to.join("observations/sipri-milex-2025.csv"));
    Some(vec![
        "--data".into(),
        to.to_string_lossy().into_owned(),
        "show".into(),
        "JPN".into(),
    ])
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn catalogue() -> Vec<Class> {
    vec![
        // ---- command-line arguments
        Class {
            id: "cli-unknown-country",
            setup: |_| s(&["show", "Narnia"]),
            names: &["Narnia"],
        },
        Class {
            id: "cli-ambiguous-country",
            setup: |_| s(&["show", "Korea"]),
            names: &["Korea", "KOR", "PRK"],
        },
        Class {
            id: "cli-reversed-years",
            setup: |_| s(&["show", "JPN", "--from", "2020", "--to", "2010"]),
            names: &["2020", "2010"],
        },
        Class {
            id: "cli-year-out-of-range",
            setup: |_| s(&["show", "JPN", "--from", "1700"]),
            names: &["1700"],
        },
        Class {
            id: "cli-year-not-a-number",
            setup: |_| s(&["show", "JPN", "--from", "twenty"]),
            names: &["twenty", "--from"],
        },
        Class {
            id: "cli-demand-nan",
            setup: |_| s(&["hns", "JPN", "--demand", "NaNUSD"]),
            names: &["NaNUSD"],
        },
        Class {
            id: "cli-demand-infinite",
            setup: |_| s(&["hns", "JPN", "--demand", "infUSD"]),
            names: &["infUSD"],
        },
        Class {
            id: "cli-demand-negative",
            setup: |_| s(&["hns", "JPN", "--demand=-8e9USD"]),
            names: &["-8e9USD"],
        },
        Class {
            id: "cli-demand-wrong-currency",
            setup: |_| s(&["hns", "JPN", "--demand", "8e9EUR"]),
            names: &["EUR", "JPY"],
        },
        Class {
            id: "cli-unknown-format",
            setup: |_| s(&["show", "JPN", "--format", "yaml"]),
            names: &["yaml", "--format"],
        },
        Class {
            id: "cli-unknown-target",
            setup: |_| s(&["gap", "JPN", "--target", "nato-9pct"]),
            names: &["nato-9pct"],
        },
        Class {
            id: "cli-unknown-alliance",
            setup: |_| s(&["alliances", "WARSAW-PACT"]),
            names: &["WARSAW-PACT"],
        },
        Class {
            id: "cli-paths-10-billion",
            setup: |_| {
                s(&[
                    "scenario",
                    "run",
                    "korea-withdrawal",
                    "--paths",
                    "10000000000",
                ])
            },
            names: &["--paths", "10000000000"],
        },
        Class {
            id: "cli-paths-zero",
            setup: |_| s(&["scenario", "run", "korea-withdrawal", "--paths", "0"]),
            names: &["--paths", "0"],
        },
        Class {
            id: "cli-missing-data-dir",
            setup: |_| s(&["--data", "/nonexistent/fairshare-data", "show", "JPN"]),
            names: &["/nonexistent/fairshare-data"],
        },
        // ---- scenario files
        Class {
            id: "scenario-missing-file",
            setup: |_| s(&["scenario", "run", "/nonexistent/what-if.toml"]),
            names: &["/nonexistent/what-if.toml"],
        },
        Class {
            id: "scenario-empty-file",
            setup: |d| scenario_run(d, ""),
            names: &["bad.toml"],
        },
        Class {
            id: "scenario-binary-garbage",
            setup: |d| scenario_run(d, [0xffu8, 0xfe, 0x00, 0x9c, 0x80, 0x01, 0xc3]),
            names: &["bad.toml"],
        },
        Class {
            id: "scenario-probability-1.5",
            setup: |d| {
                scenario_run(
                    d,
                    SCENARIO.replace("probability = 0.2", "probability = 1.5"),
                )
            },
            names: &["bad.toml", "probability", "1.5"],
        },
        Class {
            id: "scenario-year-beyond-horizon",
            setup: |d| scenario_run(d, SCENARIO.replace("year = 2028", "year = 2099")),
            names: &["bad.toml", "2099"],
        },
        Class {
            id: "scenario-reversed-horizon",
            setup: |d| {
                scenario_run(
                    d,
                    SCENARIO.replace("horizon = [2025, 2030]", "horizon = [2030, 2025]"),
                )
            },
            names: &["bad.toml", "horizon"],
        },
        Class {
            id: "scenario-unknown-country",
            setup: |d| {
                scenario_run(
                    d,
                    SCENARIO.replace("countries = [\"KOR\"]", "countries = [\"XYZ\"]"),
                )
            },
            names: &["bad.toml", "XYZ"],
        },
        Class {
            id: "scenario-nan",
            setup: |d| scenario_run(d, SCENARIO.replace("elasticity = 1.0", "elasticity = nan")),
            names: &["bad.toml", "elasticity"],
        },
        Class {
            id: "scenario-paths-10-billion",
            setup: |d| {
                let f = write(
                    d,
                    "bad.toml",
                    format!("{SCENARIO}\n[run]\npaths = 10000000000\n"),
                );
                s(&["scenario", "run", &f])
            },
            names: &["bad.toml", "paths", "10000000000"],
        },
        Class {
            id: "scenario-duplicate-key",
            setup: |d| {
                scenario_run(
                    d,
                    SCENARIO.replace("fraction = 1.0", "fraction = 1.0\nfraction = 0.5"),
                )
            },
            names: &["bad.toml", "fraction"],
        },
        Class {
            id: "scenario-deeply-nested",
            setup: |d| scenario_run(d, nested_toml("horizon")),
            names: &["bad.toml"],
        },
        // ---- claims files
        Class {
            id: "claims-empty-file",
            setup: |d| claims_check(d, ""),
            names: &["bad-claims.toml"],
        },
        Class {
            id: "claims-binary-garbage",
            setup: |d| claims_check(d, [0x00u8, 0xff, 0x13, 0x37, 0xc0]),
            names: &["bad-claims.toml"],
        },
        Class {
            id: "claims-unknown-country",
            setup: |d| claims_check(d, CLAIM.replace("\"Japan\"", "\"Atlantis\"")),
            names: &["bad-claims.toml", "Atlantis"],
        },
        Class {
            id: "claims-ambiguous-country",
            setup: |d| claims_check(d, CLAIM.replace("\"Japan\"", "\"Korea\"")),
            names: &["bad-claims.toml", "Korea", "KOR", "PRK"],
        },
        Class {
            id: "claims-value-not-a-number",
            setup: |d| claims_check(d, CLAIM.replace("value = 1.1", "value = nan")),
            names: &["bad-claims.toml", "value"],
        },
        Class {
            id: "claims-duplicate-key",
            setup: |d| claims_check(d, CLAIM.replace("year = 2022", "year = 2022\nyear = 2023")),
            names: &["bad-claims.toml", "year"],
        },
        Class {
            id: "claims-deeply-nested",
            setup: |d| claims_check(d, nested_toml("claim")),
            names: &["bad-claims.toml"],
        },
        // ---- publisher files (data build)
        Class {
            id: "publisher-truncated-xlsx",
            setup: |d| sipri(d, |b| b[..b.len() / 2].to_vec()),
            names: &[SIPRI],
        },
        Class {
            id: "publisher-binary-garbage",
            setup: |d| sipri(d, |b| b.iter().map(|x| x.wrapping_mul(31) ^ 0x5a).collect()),
            names: &[SIPRI],
        },
        Class {
            id: "publisher-empty-file",
            setup: |d| sipri(d, |_| Vec::new()),
            names: &[SIPRI],
        },
        Class {
            id: "publisher-sheet-renamed",
            setup: |d| {
                sipri(d, |b| {
                    rezip(b, "xl/workbook.xml", |t| {
                        t.replace("name=\"Constant (", "name=\"Real (")
                    })
                })
            },
            names: &[SIPRI, "Constant"],
        },
        Class {
            id: "publisher-csv-missing-column",
            setup: |d| {
                raw_copy(d, "japan_defense_budget", |p| {
                    edit_text(&p.join("japan_defense_budget.csv"), |t| {
                        drop_column(t, "amount_yen")
                    })
                })
            },
            names: &["japan_defense_budget.csv", "amount_yen"],
        },
        Class {
            id: "publisher-header-row-moved",
            setup: |d| {
                raw_copy(d, "host_nation_support", |p| {
                    edit_text(&p.join("korea_sma_by_year.csv"), |t| {
                        format!("Special Measures Agreement amounts, won\n\n{t}")
                    })
                })
            },
            names: &["korea_sma_by_year.csv"],
        },
        Class {
            id: "publisher-duplicate-key",
            setup: |d| {
                raw_copy(d, "host_nation_support", |p| {
                    edit_text(&p.join("korea_sma_by_year.csv"), |t| {
                        let row = t.lines().nth(2).unwrap().to_string();
                        format!("{t}{row}\n")
                    })
                })
            },
            names: &["korea_sma_by_year.csv", "2009"],
        },
        Class {
            id: "publisher-missing-folder",
            setup: |d| {
                s(&[
                    "data",
                    "build",
                    "--raw",
                    &d.join("nowhere").to_string_lossy(),
                    "--out",
                    &d.join("out").to_string_lossy(),
                ])
            },
            names: &["nowhere"],
        },
        // ---- the committed dataset (--data DIR)
        Class {
            id: "dataset-truncated-file",
            setup: |d| {
                dataset_copy(d, |p| {
                    let b = fs::read(p).unwrap();
                    fs::write(p, &b[..b.len() / 3]).unwrap();
                })
            },
            names: &["sipri-milex-2025.csv", "checksum"],
        },
        Class {
            id: "dataset-corrupted-byte",
            setup: |d| {
                dataset_copy(d, |p| {
                    let mut b = fs::read(p).unwrap();
                    let i = b.len() / 2;
                    b[i] = if b[i] == b'1' { b'2' } else { b'1' };
                    fs::write(p, b).unwrap();
                })
            },
            names: &["sipri-milex-2025.csv", "checksum"],
        },
    ]
}

#[test]
fn every_bad_input_is_refused_with_exit_2_and_one_line_naming_it() {
    // Rows run two at a time (most of the time is `data build` reading workbooks).
    let classes = catalogue();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(class) = classes.get(i) else { break };
                    let outcome = run_class(class);
                    results.lock().unwrap().push((i, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let mut failures = Vec::new();
    let mut ran = 0;
    for (_, outcome) in results {
        match outcome {
            None => {}
            Some(Ok(())) => ran += 1,
            Some(Err(e)) => {
                ran += 1;
                failures.push(e);
            }
        }
    }
    assert!(ran >= 25, "only {ran} classes ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Run one row: None when skipped (no raw files), else whether it held.
fn run_class(class: &Class) -> Option<Result<(), String>> {
    {
        let tmp = tempfile::tempdir().unwrap();
        let args = (class.setup)(tmp.path())?;
        let out = common::fairshare()
            .args(&args)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .expect("run fairshare");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        // `cargo test -- --nocapture` prints the table docs/errors.md quotes.
        println!("| `{}` | {} |", class.id, stderr.trim().replace('|', "\\|"));
        let mut wrong = Vec::new();
        if stderr.contains("panicked") || out.status.code() == Some(101) {
            wrong.push("panicked".to_string());
        }
        if out.status.code() != Some(2) {
            wrong.push(format!("exit {:?}, not 2", out.status.code()));
        }
        if lines.len() != 1 {
            wrong.push(format!("{} lines on stderr", lines.len()));
        }
        for name in class.names {
            if !stderr.contains(name) {
                wrong.push(format!("does not name '{name}'"));
            }
        }
        if !wrong.is_empty() {
            return Some(Err(format!(
                "{}: {} -- stderr: {}",
                class.id,
                wrong.join("; "),
                stderr.chars().take(400).collect::<String>()
            )));
        }
        Some(Ok(()))
    }
}

#[test]
fn docs_errors_md_lists_every_class() {
    let doc = fs::read_to_string(repo_root().join("docs/errors.md")).unwrap();
    let ids: Vec<&str> = catalogue().iter().map(|c| c.id).collect();
    assert!(ids.len() >= 25);
    let missing: Vec<&&str> = ids
        .iter()
        .filter(|id| !doc.contains(&format!("`{id}`")))
        .collect();
    assert!(missing.is_empty(), "docs/errors.md lacks {missing:?}");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate class ids");
}
