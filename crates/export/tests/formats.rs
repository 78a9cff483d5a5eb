//! Every format written from a small dataset with the awkward cases (a missing
//! value, flags, notes, a cell published by two sources, a fiscal year, text with a
//! comma and a quote) and read back with Rust readers: csv, parquet's own record
//! reader, rusqlite, calamine. The independent Python readers check the real dataset
//! (tests/python/).

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{
    Dataset, Definition, Filter, Flag, Flags, Measure, Note, Observation, RawDataset, Source,
    SourceRegistry, YearBasis,
};
use fairshare_export::{Format, export};
use parquet::file::reader::{FileReader, SerializedFileReader};

fn source(id: &str, rank: u32) -> Source {
    Source {
        id: id.into(),
        publisher: "Stockholm International Peace Research Institute (SIPRI)".into(),
        title: "Military Expenditure Database, \"2025\" release".into(),
        file: "milex.xlsx".into(),
        vintage: format!("{id} 2025"),
        released: "2025-04-28".into(),
        url: "https://example.org/milex".into(),
        licence: "Free to use with attribution".into(),
        citation: "SIPRI, 2025.".into(),
        rank,
        note: String::new(),
    }
}

fn obs(country: &str, measure: Measure, year: i32, value: Option<f64>, src: &str) -> Observation {
    Observation {
        country: country.into(),
        year,
        year_basis: YearBasis::Calendar,
        measure,
        definition: "sipri".into(),
        value,
        unit: measure.allowed_units()[0],
        source: src.into(),
        vintage: format!("{src} 2025"),
        flags: Flags::EMPTY,
        notes: String::new(),
    }
}

fn dataset() -> Dataset {
    let mut estimate = obs(
        "JPN",
        Measure::MilexGdp,
        2022,
        Some(1.0099439539165744),
        "a",
    );
    estimate.flags = Flags::EMPTY.with(Flag::Estimate);
    estimate.notes = "56".into();
    let mut fiscal = obs("JPN", Measure::MilexLcu, 2022, Some(5.4e12), "a");
    fiscal.year_basis = YearBasis::FY_APR;
    let mut missing = obs("SUN", Measure::MilexGdp, 2022, None, "a");
    missing.flags = Flags::EMPTY.with(Flag::NotIndependent);
    let raw = RawDataset {
        countries: builtin_countries(),
        sources: SourceRegistry::new(vec![source("a", 1), source("b", 2)]).unwrap(),
        definitions: vec![Definition {
            id: "sipri".into(),
            name: "SIPRI".into(),
            description: "What SIPRI counts, \"quoted\", with commas".into(),
        }],
        notes: vec![Note {
            source: "a".into(),
            key: "56".into(),
            text: "Japan: a note".into(),
        }],
        commitments: Default::default(),
        observations: vec![
            estimate,
            obs("JPN", Measure::MilexGdp, 2022, Some(1.0100001), "b"),
            fiscal,
            obs("USA", Measure::MilexGdp, 2023, Some(3.31), "a"),
            missing,
        ],
        origin: Vec::new(),
        events: Vec::new(),
    };
    Dataset::from_raw(raw).unwrap()
}

fn all(ds: &Dataset, format: Format, out: &Path) {
    let summary = export(ds, &Filter::default(), format, out).unwrap();
    assert_eq!(summary.observations, 5);
    assert_eq!(summary.sources, vec!["a".to_string(), "b".to_string()]);
    assert_eq!(summary.selection, "the whole dataset");
}

#[test]
fn csv_package_round_trips() {
    let ds = dataset();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    all(&ds, Format::Csv, &out);
    let mut r = csv::Reader::from_path(out.join("observations.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let get = |row: &csv::StringRecord, name: &str| {
        row[header.iter().position(|h| h == name).unwrap()].to_string()
    };
    assert_eq!(rows.len(), 5);
    let jp: Vec<_> = rows
        .iter()
        .filter(|r| get(r, "country") == "JPN" && get(r, "measure") == "milex_gdp")
        .collect();
    assert_eq!(get(jp[0], "source"), "a");
    assert_eq!(
        get(jp[0], "value").parse::<f64>().unwrap(),
        1.0099439539165744
    );
    assert_eq!(get(jp[0], "flags"), "estimate");
    assert_eq!(get(jp[0], "notes"), "56");
    assert_eq!(get(jp[0], "preferred"), "true");
    assert_eq!(get(jp[1], "preferred"), "false");
    let fiscal = rows.iter().find(|r| get(r, "unit") == "lcu").unwrap();
    assert_eq!(get(fiscal, "year_basis"), "fy_apr");
    assert_eq!(get(fiscal, "currency"), "JPY");
    let sun = rows.iter().find(|r| get(r, "country") == "SUN").unwrap();
    assert_eq!(get(sun, "value"), "");
    assert_eq!(get(sun, "flags"), "not_independent");

    let defs = std::fs::read_to_string(out.join("definitions.csv")).unwrap();
    assert!(defs.contains("\"What SIPRI counts, \"\"quoted\"\", with commas\""));
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datapackage.json")).unwrap())
            .unwrap();
    let obs = &package["resources"][0];
    assert_eq!(obs["name"], "observations");
    assert_eq!(
        obs["bytes"].as_u64().unwrap(),
        std::fs::metadata(out.join("observations.csv"))
            .unwrap()
            .len()
    );
    assert!(obs["hash"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn parquet_round_trips_with_types_nulls_and_metadata() {
    let ds = dataset();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.parquet");
    all(&ds, Format::Parquet, &out);
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), 5);
    let kv: std::collections::HashMap<String, String> = meta
        .key_value_metadata()
        .unwrap()
        .iter()
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect();
    let sources: serde_json::Value = serde_json::from_str(&kv["fairshare.sources"]).unwrap();
    assert_eq!(sources[0]["licence"], "Free to use with attribution");
    assert!(kv["fairshare.vintages"].contains("a: a 2025"));
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let cols: Vec<String> = rows[0].get_column_iter().map(|(n, _)| n.clone()).collect();
    let at = |name: &str| cols.iter().position(|c| c == name).unwrap();
    use parquet::record::RowAccessor;
    let first = &rows[0];
    assert_eq!(first.get_string(at("country")).unwrap(), "JPN");
    assert_eq!(first.get_long(at("year")).unwrap(), 2022);
    assert_eq!(first.get_double(at("value")).unwrap(), 1.0099439539165744);
    assert!(first.get_bool(at("preferred")).unwrap());
    let sun = rows
        .iter()
        .find(|r| r.get_string(at("country")).unwrap() == "SUN")
        .unwrap();
    assert!(
        sun.get_double(at("value")).is_err(),
        "a missing value is null"
    );
}

#[test]
fn sqlite_round_trips_normalized() {
    let ds = dataset();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.sqlite");
    all(&ds, Format::Sqlite, &out);
    let db = rusqlite::Connection::open(&out).unwrap();
    let (value, vintage, currency): (Option<f64>, String, Option<String>) = db
        .query_row(
            "SELECT value, vintage, currency FROM observations_full \
             WHERE country = 'JPN' AND unit = 'lcu'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(value, Some(5.4e12));
    assert_eq!(vintage, "a 2025");
    assert_eq!(currency.as_deref(), Some("JPY"));
    let missing: Option<f64> = db
        .query_row(
            "SELECT value FROM observations WHERE country = 'SUN'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(missing, None);
    let preferred: i64 = db
        .query_row(
            "SELECT count(*) FROM observations WHERE preferred",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(preferred, 4);
    let note: String = db
        .query_row("SELECT text FROM notes WHERE key = '56'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(note, "Japan: a note");
}

#[test]
fn xlsx_is_wide_with_the_preferred_source() {
    let ds = dataset();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.xlsx");
    all(&ds, Format::Xlsx, &out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "README");
    assert!(names.contains(&"milex_gdp sipri".to_string()));
    assert!(names.contains(&"sources".to_string()));
    let sheet = wb.worksheet_range("milex_gdp sipri").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&header[..3], ["country", "country_name", "measure"]);
    assert_eq!(header.last().unwrap(), "2023");
    let col_2022 = header.iter().position(|h| h == "2022").unwrap();
    let jpn = sheet
        .rows()
        .find(|r| r[0] == Data::String("JPN".into()))
        .unwrap();
    // SIPRI's own copy (rank 1), not the republication.
    assert_eq!(jpn[col_2022], Data::Float(1.0099439539165744));
    assert_eq!(jpn[7], Data::String("a".into()));
    let sun = sheet
        .rows()
        .find(|r| r[0] == Data::String("SUN".into()))
        .unwrap();
    assert_eq!(sun[col_2022], Data::Empty);
    let lcu = wb.worksheet_range("milex_lcu sipri").unwrap();
    let row = lcu.rows().nth(1).unwrap();
    assert_eq!(row[4], Data::String("fy_apr".into()));
    assert_eq!(row[6], Data::String("JPY".into()));
}

#[test]
fn an_empty_selection_writes_nothing() {
    let ds = dataset();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.parquet");
    let none = Filter {
        measures: vec![Measure::HnsUsd],
        ..Filter::default()
    };
    let err = export(&ds, &none, Format::Parquet, &out).unwrap_err();
    assert!(err.is_user_error());
    assert_eq!(
        err.to_string(),
        "nothing to export: no observations match measures hns_usd"
    );
    assert!(!out.exists());
}
