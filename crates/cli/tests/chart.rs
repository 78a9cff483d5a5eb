//! `show --chart`: the chart of what `show` prints, written atomically as SVG or PNG.

mod common;

use common::{fails_with_2, fairshare};

#[test]
fn show_writes_an_svg_chart_of_what_it_prints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("burden.svg");
    let out = fairshare()
        .args([
            "show",
            "JPN",
            "KOR",
            "--measure",
            "milex_gdp",
            "--definition",
            "sipri",
        ])
        .args([
            "--from", "2000", "--to", "2024", "--format", "csv", "--chart",
        ])
        .arg(&path)
        .args(["--title", "Korea's burden is twice Japan's"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The table still goes to stdout.
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("country,"));
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<title id=\"chart-korea-s-burden-is-twice-japan-s-title\">Korea&apos;s burden is twice Japan&apos;s</title>"));
    assert_eq!(svg.matches("class=\"series\"").count(), 2);
    assert_eq!(svg.matches("class=\"mark\"").count(), 50);
    assert!(svg.contains("Source: SIPRI Military Expenditure Database (SIPRI 2025)."));
    assert!(svg.contains("data-key=\"JPN/milex_gdp/sipri\""));
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["burden.svg"]);
}

#[test]
fn show_writes_png_by_extension_and_refuses_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("japan.png");
    fairshare()
        .args(["show", "Japan", "--from", "2014", "--quiet", "--chart"])
        .arg(&path)
        .assert()
        .success();
    let png = std::fs::read(&path).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // 800 x 500 at 2x: width and height in the IHDR chunk.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1600);
    assert!(png.len() > 20_000);

    let bad = dir.path().join("chart.txt");
    let err = fails_with_2(&["show", "JPN", "--chart", bad.to_str().unwrap()]);
    assert!(err.contains("must end in .svg or .png"), "{err}");
    let missing = dir.path().join("no/such/dir/c.svg");
    let err = fails_with_2(&["show", "JPN", "--chart", missing.to_str().unwrap()]);
    assert!(err.contains("does not exist"), "{err}");
}
