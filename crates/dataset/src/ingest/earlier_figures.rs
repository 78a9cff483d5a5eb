//! What earlier releases printed: fairshare's own small registry
//! `crates/dataset/registry/earlier_figures.csv` (compiled into the binary; fairshare
//! does not hold the earlier workbooks), turned into `data/earlier_figures.csv`
//! ([`crate::earlier`]).
//!
//! Columns: `country,measure,year,year_basis,definition,value,unit,precision,release,
//! vintage,publication,recorded_by,flags,note,source_url`. One row per figure as the
//! release printed it, in full units and percent, with the step it was printed to
//! (`precision`: 0.01 for 1.08%) and the page that records it. Seeded with SIPRI's
//! April 2023 figures for 2022 (the ten largest spenders' shares of GDP and US$
//! totals, as Nippon.com tabulated them from SIPRI's data; the world's 2.2% of GDP and
//! US$2.24 trillion, as reported on the day) and the April 2022 fact sheet's world
//! burden (SIPRI's own catalogue record). `sipri_milex/SOURCE.md` agrees: "older SIPRI
//! releases showed USA 2022 ≈ 3.5% and Japan ≈ 1.1%".
//!
//! Users extend it by adding rows that cite a page; `data build` checks each row (known
//! country, measure, unit, a value printed to its precision, a release date, a page).

use std::path::Path;

use super::table::{Row, Table};
use super::{IngestError, ReaderOutput};
use crate::commitments::Commitments;
use crate::earlier::EarlierFigure;
use crate::model::{Flags, Measure, Unit, YearBasis};
use crate::registry::{CountryRegistry, Source};

pub const SOURCE_ID: &str = "earlier-figures";

/// The registry file, as compiled into the crate.
pub const REGISTRY_FILE: &str = "registry/earlier_figures.csv";
const REGISTRY_TEXT: &str = include_str!("../../registry/earlier_figures.csv");

/// The registry from the built-in file (`raw_root` is not used: the table is
/// fairshare's own).
pub fn read(_raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    parse(
        Path::new(REGISTRY_FILE),
        REGISTRY_TEXT.as_bytes(),
        countries,
    )
}

/// Parse a table in the registry's layout; `path` names it in errors.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let table = Table::parse(path, bytes)?;
    let cols = table.columns(&[
        "country",
        "measure",
        "year",
        "year_basis",
        "definition",
        "value",
        "unit",
        "precision",
        "release",
        "vintage",
        "publication",
        "recorded_by",
        "flags",
        "note",
        "source_url",
    ])?;
    let mut figures: Vec<EarlierFigure> = Vec::new();
    for row in table.rows() {
        let figure = figure(&row, &cols, countries)?;
        if figures.iter().any(|f| {
            f.is_for(
                &figure.country,
                figure.measure,
                &figure.definition,
                figure.year_basis,
                figure.year,
            ) && f.release == figure.release
        }) {
            return Err(row.error(format!(
                "a second {} {} {} figure for the {} release",
                figure.country, figure.measure, figure.year, figure.release
            )));
        }
        figures.push(figure);
    }
    let latest = figures
        .iter()
        .map(|f| f.release.as_str())
        .max()
        .unwrap_or_default()
        .to_string();
    let source = Source {
        id: SOURCE_ID.to_string(),
        publisher: "fairshare, compiled from the pages each row cites".to_string(),
        title: "Figures as earlier publisher releases printed them (for checking claims)"
            .to_string(),
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        vintage: format!("compiled list, releases to {latest}"),
        released: "not applicable (fairshare's own registry)".to_string(),
        url: "https://www.sipri.org/databases/milex".to_string(),
        licence: "Facts (published figures) with the page recording each; cite the publisher's \
                  release and that page"
            .to_string(),
        citation: "The publisher's earlier release as named in each row (e.g. SIPRI Military \
                   Expenditure Database, April 2023), as recorded by the page in source_url."
            .to_string(),
        rank: 1,
        note: "Not data: no engine reads these rows as observations. fairshare claims check \
               uses them to tell a claim that an earlier release supported (revised) from one \
               no release supported (contradicted)."
            .to_string(),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            earlier_figures: figures,
            ..Commitments::default()
        },
        ..ReaderOutput::default()
    })
}

fn figure(
    row: &Row,
    cols: &[usize],
    countries: &CountryRegistry,
) -> Result<EarlierFigure, IngestError> {
    let term = |i: usize, what: &str| -> Result<&str, IngestError> { row.text(cols[i], what) };
    let code = term(0, "country")?;
    let country = countries
        .get(code)
        .ok_or_else(|| row.error(format!("country '{code}' is not in the country registry")))?;
    let measure: Measure = term(1, "measure")?
        .parse()
        .map_err(|e| row.error(format!("{e}")))?;
    let year_basis: YearBasis = term(3, "year_basis")?
        .parse()
        .map_err(|e| row.error(format!("{e}")))?;
    let unit: Unit = term(6, "unit")?
        .parse()
        .map_err(|e| row.error(format!("{e}")))?;
    if !measure.allowed_units().contains(&unit) {
        return Err(row.error(format!("unit {unit} does not belong to measure {measure}")));
    }
    let value = row.number(cols[5], "value")?;
    let precision = row.number(cols[7], "precision")?;
    if precision <= 0.0 {
        return Err(row.error(format!("precision {precision} is not positive")));
    }
    // A printed figure is a whole number of its steps (1.08 at 0.01).
    let steps = value / precision;
    if (steps - steps.round()).abs() > 1e-6 {
        return Err(row.error(format!(
            "value {value} is not printed to its precision {precision}"
        )));
    }
    let release = term(8, "release")?;
    let date_like = release.len() >= 7
        && release.get(..4).is_some_and(|y| y.parse::<i32>().is_ok())
        && release.as_bytes().get(4) == Some(&b'-');
    if !date_like {
        return Err(row.error(format!(
            "release '{release}' is not a date like 2023-04 or 2023-04-24"
        )));
    }
    let flags: Flags = row
        .get(cols[12])
        .parse()
        .map_err(|e| row.error(format!("{e}")))?;
    Ok(EarlierFigure {
        country: country.code.clone(),
        measure,
        year: row.year(cols[2], "year")?,
        year_basis,
        definition: term(4, "definition")?.to_string(),
        value,
        unit,
        precision,
        release: release.to_string(),
        vintage: term(9, "vintage")?.to_string(),
        publication: term(10, "publication")?.to_string(),
        recorded_by: row.get(cols[11]).to_string(),
        flags,
        note: row.get(cols[13]).to_string(),
        source: SOURCE_ID.to_string(),
        source_url: term(14, "source_url")?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    const HEADER: &str = "country,measure,year,year_basis,definition,value,unit,precision,\
release,vintage,publication,recorded_by,flags,note,source_url\n";

    fn parse_text(body: &str) -> Result<ReaderOutput, IngestError> {
        parse(
            Path::new("earlier_figures.csv"),
            format!("{HEADER}{body}").as_bytes(),
            &builtin_countries(),
        )
    }

    #[test]
    fn the_built_in_registry_holds_sipris_april_2023_japan_figure() {
        let out = read(Path::new("unused"), &builtin_countries()).unwrap();
        let figures = &out.commitments.earlier_figures;
        let japan = figures
            .iter()
            .find(|f| f.is_for("JPN", Measure::MilexGdp, "sipri", YearBasis::Calendar, 2022))
            .unwrap();
        assert_eq!(
            (japan.value, japan.precision, japan.release.as_str()),
            (1.08, 0.01, "2023-04-24")
        );
        assert_eq!(japan.vintage, "SIPRI 2023");
        assert!(japan.source_url.starts_with("https://www.nippon.com/"));
        let world = figures
            .iter()
            .find(|f| f.country == "WLD" && f.year == 2022 && f.measure == Measure::MilexGdp)
            .unwrap();
        assert_eq!((world.value, world.precision), (2.2, 0.1));
        assert_eq!(
            out.sources[0].vintage,
            "compiled list, releases to 2023-04-24"
        );
        assert_eq!(figures.len(), 25);
    }

    #[test]
    fn bad_rows_name_the_line() {
        let good = "JPN,milex_gdp,2022,calendar,sipri,1.08,pct_gdp,0.01,2023-04-24,SIPRI 2023,\
                    Fact sheet,,,,https://example.org\n";
        assert!(parse_text(good).is_ok());
        let cases = [
            (
                good.replace("1.08", "1.085"),
                "line 2: value 1.085 is not printed to its precision 0.01",
            ),
            (
                good.replace("JPN", "XXX"),
                "line 2: country 'XXX' is not in the country registry",
            ),
            (
                good.replace(",pct_gdp,", ",usd_current,"),
                "line 2: unit usd_current does not belong to measure milex_gdp",
            ),
            (
                good.replace("2023-04-24", "April 2023"),
                "line 2: release 'April 2023' is not a date",
            ),
            (
                good.replace(",https://example.org", ","),
                "line 2: source_url is empty",
            ),
            (
                format!("{good}{good}"),
                "line 3: a second JPN milex_gdp 2022 figure for the 2023-04-24 release",
            ),
            (
                good.replace(",,,,https", ",,blue,,https"),
                "line 2: unknown flag 'blue'",
            ),
        ];
        for (body, expected) in cases {
            let err = parse_text(&body).unwrap_err().to_string();
            assert!(err.starts_with("earlier_figures.csv: "), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
    }
}
