//! World Bank GDP in current US$ and population, as repackaged by DataHub/Datopian's
//! "core" datasets in `datahub_worldbank/` (`gdp.csv` from `datasets/gdp`,
//! `population.csv` from `datasets/population`). Layout and spot checks:
//! `datahub_worldbank/SOURCE.md`.
//!
//! The numbers are the World Bank's World Development Indicators (CC BY 4.0; DataHub's
//! repackaging is ODC-PDDL): NY.GDP.MKTP.CD -> `gdp_usd` (current US$) and SP.POP.TOTL
//! -> `population` (persons), definition `wb`.
//!
//! Layout: tidy long format `Country Name,Country Code,Year,Value` (ISO3 codes plus the
//! World Bank's aggregate codes), one row per country-year, no empty values in the
//! copies read, CRLF (gdp) or LF (population) line ends. Columns are found by name.
//!
//! The files carry no release date, so the vintage names what the file itself shows:
//! the last data year ("WDI via DataHub, data to 2023"); a newer download with newer
//! data gets a new vintage. The copies this reader was checked against are DataHub's
//! automated snapshots of March 2026 (gdp: datapackage last_updated 2026-02-24, data to
//! 2023; population: data to 2024), i.e. WDI as of early 2026 but GDP still at the
//! pre-March-2025 WDI revision (USA 2023 US$27.361 tn where the 2025-03-24 WDI GDP file
//! has US$27.72 tn).

use std::collections::BTreeSet;
use std::path::Path;

use super::wdi::{LineIndex, wb_definition};
use super::{IngestError, ReaderOutput, read_bytes};
use crate::model::{Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Source};

/// One DataHub file and what its values become.
#[derive(Debug, Clone, Copy)]
pub struct Series {
    /// The file name in `datahub_worldbank/`.
    pub file: &'static str,
    /// The World Bank indicator code the file repackages.
    pub code: &'static str,
    /// The World Bank's indicator name.
    pub name: &'static str,
    pub measure: Measure,
    pub unit: Unit,
    pub source_id: &'static str,
    /// DataHub's dataset (github.com/datasets/<name>).
    pub dataset: &'static str,
}

/// The files `data build` reads, in output order.
pub const SERIES: &[Series] = &[
    Series {
        file: "gdp.csv",
        code: "NY.GDP.MKTP.CD",
        name: "GDP (current US$)",
        measure: Measure::GdpUsd,
        unit: Unit::UsdCurrent,
        source_id: "wb-datahub-gdp-usd",
        dataset: "gdp",
    },
    Series {
        file: "population.csv",
        code: "SP.POP.TOTL",
        name: "Population, total",
        measure: Measure::Population,
        unit: Unit::Persons,
        source_id: "wb-datahub-population",
        dataset: "population",
    },
];

/// The spec of one file by the World Bank indicator it holds (`SP.POP.TOTL`).
pub fn series(code: &str) -> Option<&'static Series> {
    SERIES.iter().find(|s| s.code == code)
}

/// Read both DataHub files under `raw_root/datahub_worldbank`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("datahub_worldbank");
    let mut out = ReaderOutput {
        definitions: vec![wb_definition()],
        ..ReaderOutput::default()
    };
    for series in SERIES {
        out.extend(read_file(&dir.join(series.file), series, countries)?);
    }
    Ok(out)
}

/// Read one DataHub long-format file: its source and observations.
pub fn read_file(
    path: &Path,
    series: &Series,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let bytes = read_bytes(path)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let lines = LineIndex::new(body);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let header = rdr
        .headers()
        .map_err(|e| IngestError::format(path, lines.csv_problem(&e)))?
        .clone();
    let column = |name: &str| -> Result<usize, IngestError> {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            IngestError::format(
                path,
                format!(
                    "line 1: the header has no '{name}' column (expected Country Name,Country \
                     Code,Year,Value); found {}",
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            )
        })
    };
    let code_col = column("Country Code")?;
    let year_col = column("Year")?;
    let value_col = column("Value")?;
    let name_col = header.iter().position(|h| h.trim() == "Country Name");

    let mut observations = Vec::new();
    let mut seen = BTreeSet::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| IngestError::format(path, lines.csv_problem(&e)))?;
        let line = lines.line_of(&rec);
        let get = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
        let code = get(code_col);
        let country = countries.get(code).ok_or_else(|| {
            IngestError::format(
                path,
                format!(
                    "line {line}: country code '{code}' ({}) is not in the country registry; \
                     add it to registry/countries.csv",
                    name_col.map(get).unwrap_or("")
                ),
            )
        })?;
        let year: i32 = get(year_col).parse().map_err(|_| {
            IngestError::format(
                path,
                format!("line {line}: Year '{}' is not a year", get(year_col)),
            )
        })?;
        if !seen.insert((code.to_string(), year)) {
            return Err(IngestError::format(
                path,
                format!("line {line}: a second value for {code} {year}"),
            ));
        }
        let cell = get(value_col);
        if cell.is_empty() {
            continue;
        }
        let value: f64 = cell.parse().map_err(|_| {
            IngestError::format(
                path,
                format!("line {line} ({code} {year}): Value '{cell}' is not a number"),
            )
        })?;
        observations.push(Observation {
            country: country.code.clone(),
            year,
            year_basis: YearBasis::Calendar,
            measure: series.measure,
            definition: "wb".to_string(),
            value: Some(value),
            unit: series.unit,
            source: series.source_id.to_string(),
            vintage: String::new(),
            flags: Flags::EMPTY,
            notes: String::new(),
        });
    }
    let last_year = observations
        .iter()
        .map(|o| o.year)
        .max()
        .ok_or_else(|| IngestError::format(path, "no data rows after the header (line 1)"))?;
    let vintage = format!("WDI via DataHub, data to {last_year}");
    for o in &mut observations {
        o.vintage.clone_from(&vintage);
    }

    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = Source {
        id: series.source_id.to_string(),
        publisher: "The World Bank (World Development Indicators), repackaged by DataHub/Datopian"
            .to_string(),
        title: format!(
            "{} ({}), World Development Indicators; DataHub core dataset '{}'",
            series.name, series.code, series.dataset
        ),
        file,
        vintage,
        released: "not stated in the file".to_string(),
        url: format!("https://github.com/datasets/{}", series.dataset),
        licence: "CC BY 4.0 (World Bank data; DataHub's repackaging ODC-PDDL-1.0)".to_string(),
        citation: format!(
            "The World Bank, World Development Indicators, {} ({}), CC BY 4.0; via DataHub \
             (datahub.io/core/{}).",
            series.name, series.code, series.dataset
        ),
        rank: 10,
        note: format!(
            "DataHub's tidy copy of the World Bank series; values as published. The file carries \
             no release date, so the vintage names its last data year ({last_year}). Checked \
             against DataHub's March 2026 snapshot (WDI as of early 2026; GDP data end at 2023)."
        ),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: Vec::new(),
        notes: Vec::new(),
        observations,
        ..ReaderOutput::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_the_datahub_layout_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "population.csv",
            "Country Name,Country Code,Year,Value\n\
             Japan,JPN,2023,124516650\n\
             Japan,JPN,2024,123975371\n\
             World,WLD,2024,8141808945\n",
        );
        let out = read_file(&path, series("SP.POP.TOTL").unwrap(), &builtin_countries()).unwrap();
        let got: Vec<(&str, i32, Option<f64>)> = out
            .observations
            .iter()
            .map(|o| (o.country.as_str(), o.year, o.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("JPN", 2023, Some(124_516_650.0)),
                ("JPN", 2024, Some(123_975_371.0)),
                ("WLD", 2024, Some(8_141_808_945.0)),
            ]
        );
        for o in &out.observations {
            assert_eq!(o.measure, Measure::Population);
            assert_eq!(o.unit, Unit::Persons);
            assert_eq!(o.definition, "wb");
            assert_eq!(o.source, "wb-datahub-population");
            assert_eq!(o.vintage, "WDI via DataHub, data to 2024");
        }
        assert_eq!(out.sources[0].vintage, "WDI via DataHub, data to 2024");
        assert_eq!(out.sources[0].file, "population.csv");
    }

    #[test]
    fn gdp_with_crlf_and_fractional_dollars() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "gdp.csv",
            "Country Name,Country Code,Year,Value\r\n\
             Afghanistan,AFG,2000,3521418059.923445\r\n\
             United States,USA,2023,27360935000000.0\r\n",
        );
        let out = read_file(
            &path,
            series("NY.GDP.MKTP.CD").unwrap(),
            &builtin_countries(),
        )
        .unwrap();
        assert_eq!(out.observations.len(), 2);
        assert_eq!(out.observations[0].value, Some(3_521_418_059.923445));
        assert_eq!(out.observations[1].value, Some(27_360_935_000_000.0));
        assert_eq!(out.observations[1].measure, Measure::GdpUsd);
        assert_eq!(out.observations[1].unit, Unit::UsdCurrent);
        assert_eq!(out.observations[1].vintage, "WDI via DataHub, data to 2023");
    }

    #[test]
    fn errors_name_the_file_line_and_expectation() {
        let dir = tempfile::tempdir().unwrap();
        let reg = builtin_countries();
        let pop = series("SP.POP.TOTL").unwrap();
        let path = write(
            dir.path(),
            "population.csv",
            "Country Name,Year,Value\nJapan,2024,1\n",
        );
        let msg = read_file(&path, pop, &reg).unwrap_err().to_string();
        assert!(
            msg.contains("population.csv: line 1: the header has no 'Country Code'"),
            "{msg}"
        );

        let path = write(
            dir.path(),
            "population.csv",
            "Country Name,Country Code,Year,Value\nJapan,JPN,2024,1\nNowhere,XXY,2024,2\n",
        );
        let msg = read_file(&path, pop, &reg).unwrap_err().to_string();
        assert!(
            msg.contains("line 3: country code 'XXY' (Nowhere)"),
            "{msg}"
        );

        let path = write(
            dir.path(),
            "population.csv",
            "Country Name,Country Code,Year,Value\nJapan,JPN,2024,1\nJapan,JPN,2024,2\n",
        );
        let msg = read_file(&path, pop, &reg).unwrap_err().to_string();
        assert!(msg.contains("line 3: a second value for JPN 2024"), "{msg}");

        let path = write(
            dir.path(),
            "population.csv",
            "Country Name,Country Code,Year,Value\nJapan,JPN,2024,lots\n",
        );
        let msg = read_file(&path, pop, &reg).unwrap_err().to_string();
        assert!(
            msg.contains("line 2 (JPN 2024): Value 'lots' is not a number"),
            "{msg}"
        );

        let err = read_file(&dir.path().join("gdp.csv"), pop, &reg).unwrap_err();
        assert!(matches!(err, IngestError::Missing { .. }), "{err}");
    }

    #[test]
    fn real_files_match_the_published_spot_checks() {
        let raw = std::env::var_os("FAIRSHARE_RAW")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/data/raw"
                ))
                .to_path_buf()
            });
        if !raw.join("datahub_worldbank").is_dir() {
            println!(
                "raw files absent: skipped datahub real_files_match_the_published_spot_checks"
            );
            return;
        }
        let out = read(&raw, &builtin_countries()).unwrap();
        let value = |source: &str, country: &str, year: i32| {
            out.observations
                .iter()
                .find(|o| o.source == source && o.country == country && o.year == year)
                .and_then(|o| o.value)
                .unwrap_or_else(|| panic!("no {source} value for {country} {year}"))
        };
        assert_eq!(value("wb-datahub-population", "JPN", 2024), 123_975_371.0);
        assert_eq!(value("wb-datahub-population", "KOR", 2024), 51_751_065.0);
        assert_eq!(value("wb-datahub-population", "WLD", 2024), 8_141_808_945.0);
        let usa = value("wb-datahub-gdp-usd", "USA", 2023);
        assert!((usa / 1e12 - 27.361).abs() < 0.001, "{usa}");
        let jpn = value("wb-datahub-gdp-usd", "JPN", 2022);
        assert!((jpn / 1e12 - 4.256).abs() < 0.001, "{jpn}");
        let vintages: Vec<&str> = out.sources.iter().map(|s| s.vintage.as_str()).collect();
        assert_eq!(
            vintages,
            [
                "WDI via DataHub, data to 2023",
                "WDI via DataHub, data to 2024"
            ]
        );
    }
}
