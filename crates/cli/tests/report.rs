//! `fairshare report NAME`: writes NAME.html, NAME.md and charts/*.svg; the same seed
//! gives the same bytes; unknown names and bad flags exit 2 with one line.

mod common;

use common::fairshare;

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn report_writes_html_markdown_and_charts_deterministically() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let out = fairshare()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "report", "japan-us", "--paths", "200", "--seed", "7", "--out",
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let html = String::from_utf8(read(a.path(), "japan-us.html")).unwrap();
    assert!(html.contains("<svg") && !html.contains("https://"));
    let md = String::from_utf8(read(a.path(), "japan-us.md")).unwrap();
    assert!(md.contains("](charts/japan-us-trend.svg)"));
    let mut charts: Vec<String> = std::fs::read_dir(a.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    assert!(charts.len() >= 6, "{charts:?}");
    assert!(
        charts
            .iter()
            .all(|c| c.starts_with("japan-us-") && c.ends_with(".svg"))
    );
    for rel in ["japan-us.html", "japan-us.md"]
        .into_iter()
        .map(String::from)
        .chain(charts.iter().map(|c| format!("charts/{c}")))
    {
        assert_eq!(read(a.path(), &rel), read(b.path(), &rel), "{rel} differs");
    }
}

#[test]
fn unknown_report_and_bad_flags_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            vec!["report", "japan"],
            "valid names are japan-us, nato, korea-us",
        ),
        (vec!["report", "nato", "--paths", "0"], "--paths 0"),
        (vec!["report", "nato", "--seed", "x"], "--seed x"),
    ] {
        let out = fairshare()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
    // Nothing was written for a refused name.
    assert!(!dir.path().join("out").exists());
}
