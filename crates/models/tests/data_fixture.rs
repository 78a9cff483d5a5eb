//! Data assembly on a small dataset written here: who is allied with whom, the spill-in
//! without the country itself, rivals (a predecessor's figures, a rival without data
//! dropped, a year without a rival's figure), lag-only rows, one real-GDP source per
//! country; the Nash inputs and the exploitation cross-sections with their N.

use fairshare_dataset::alliances::{Alliance, Membership};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{
    Commitments, Dataset, Flags, Measure, Observation, RawDataset, Source, SourceRegistry, Unit,
    YearBasis,
};
use fairshare_models::data::{self, PanelRow};
use fairshare_models::spec;

fn source(id: &str, vintage: &str) -> Source {
    Source {
        id: id.into(),
        publisher: "Test".into(),
        title: "Test".into(),
        file: "test.csv".into(),
        vintage: vintage.into(),
        released: "2025".into(),
        url: "https://example.org".into(),
        licence: "CC BY 4.0".into(),
        citation: "Test".into(),
        rank: 10,
        note: String::new(),
    }
}

fn obs(country: &str, year: i32, measure: Measure, definition: &str, value: f64) -> Observation {
    let (unit, source, vintage) = match (measure, definition) {
        (Measure::MilexUsdConstant, _) => (Unit::UsdConstant2023, "sipri-t", "SIPRI T"),
        (Measure::MilexUsdCurrent, _) => (Unit::UsdCurrent, "sipri-t", "SIPRI T"),
        (Measure::MilexGdp, _) => (Unit::PctGdp, "sipri-t", "SIPRI T"),
        (Measure::GdpLcuConstant, "wb") => (Unit::LcuConstant, "wb-t", "WB T"),
        (Measure::GdpLcuConstant, _) => (Unit::LcuConstant, "imf-t", "IMF T"),
        (Measure::GdpUsd, "wb") => (Unit::UsdCurrent, "wb-t", "WB T"),
        (Measure::GdpUsd, _) => (Unit::UsdCurrent, "imf-t", "IMF T"),
        _ => unreachable!("not used"),
    };
    Observation {
        country: country.into(),
        year,
        year_basis: YearBasis::Calendar,
        measure,
        definition: definition.into(),
        value: Some(value),
        unit,
        source: source.into(),
        vintage: vintage.into(),
        flags: Flags::EMPTY,
        notes: String::new(),
    }
}

fn member(alliance: &str, country: &str, from: i32) -> Membership {
    Membership {
        alliance: alliance.into(),
        country: country.into(),
        from_year: from,
        to_year: None,
        suspended_from: None,
        basis: "treaty".into(),
        note: String::new(),
        source: "reg-t".into(),
        source_url: "https://example.org".into(),
    }
}

fn alliance(id: &str, partner: &str) -> Alliance {
    Alliance {
        id: id.into(),
        name: id.into(),
        partner: partner.into(),
        description: String::new(),
        source: "reg-t".into(),
        source_url: "https://example.org".into(),
    }
}

/// 1989-1993. NATO: USA, GBR, DEU, ISL (spends nothing), POL from 1992 (spends in 1991
/// before it joins); US-treaty-allies: JPN with the USA as partner. Rivals: the USSR
/// to 1990 and Russia from 1992 (neither in 1991), China; North Korea without data.
fn dataset() -> Dataset {
    use Measure::*;
    let mut o = Vec::new();
    let milex: &[(&str, [Option<f64>; 5])] = &[
        (
            "USA",
            [
                Some(100.0),
                Some(101.0),
                Some(102.0),
                Some(103.0),
                Some(104.0),
            ],
        ),
        (
            "GBR",
            [Some(10.0), Some(11.0), Some(12.0), Some(13.0), Some(14.0)],
        ),
        (
            "DEU",
            [Some(8.0), Some(9.0), Some(9.5), Some(10.0), Some(10.5)],
        ),
        (
            "ISL",
            [Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)],
        ),
        ("POL", [None, None, Some(3.0), Some(3.5), Some(4.0)]),
        (
            "JPN",
            [Some(5.0), Some(5.5), Some(6.0), Some(6.5), Some(7.0)],
        ),
        ("SUN", [Some(30.0), Some(29.0), None, None, None]),
        ("RUS", [None, None, None, Some(20.0), Some(21.0)]),
        (
            "CHN",
            [Some(7.0), Some(8.0), Some(9.0), Some(10.0), Some(11.0)],
        ),
    ];
    for (c, values) in milex {
        for (k, v) in values.iter().enumerate() {
            if let Some(v) = v {
                o.push(obs(c, 1989 + k as i32, MilexUsdConstant, "sipri", *v));
            }
        }
    }
    for (k, year) in (1989..=1993).enumerate() {
        let g = 1.0 + 0.01 * k as f64;
        for (c, def, level) in [
            ("USA", "imf_weo", 1000.0),
            ("GBR", "imf_weo", 200.0),
            ("DEU", "imf_weo", 300.0),
            ("DEU", "wb", 290.0),
            ("ISL", "imf_weo", 5.0),
            ("POL", "wb", 50.0),
            ("JPN", "imf_weo", 40_000.0),
        ] {
            // DEU's WEO series starts in 1992: the World Bank's covers the sample too,
            // but a country keeps its first source with any year in the sample.
            if c == "DEU" && def == "imf_weo" && year < 1992 {
                continue;
            }
            o.push(obs(c, year, GdpLcuConstant, def, level * g));
        }
    }
    // Nash and exploitation inputs for 1990.
    for (c, gdp_def, gdp, spend, burden) in [
        ("USA", "wb", 5000.0, 300.0, Some(6.0)),
        ("GBR", "wb", 1000.0, 40.0, Some(4.0)),
        ("DEU", "imf_weo", 1500.0, 42.0, None),
        ("ISL", "wb", 6.0, 0.0, None),
    ] {
        o.push(obs(c, 1990, GdpUsd, gdp_def, gdp));
        o.push(obs(c, 1990, MilexUsdCurrent, "sipri", spend));
        if let Some(b) = burden {
            o.push(obs(c, 1990, MilexGdp, "sipri", b));
        }
    }
    let raw = RawDataset {
        countries: builtin_countries(),
        sources: SourceRegistry::new(vec![
            source("sipri-t", "SIPRI T"),
            source("wb-t", "WB T"),
            source("imf-t", "IMF T"),
            source("reg-t", "REG T"),
        ])
        .unwrap(),
        definitions: Vec::new(),
        notes: Vec::new(),
        commitments: Commitments {
            alliances: vec![alliance("NATO", ""), alliance("US-treaty-allies", "USA")],
            memberships: vec![
                member("NATO", "USA", 1949),
                member("NATO", "GBR", 1949),
                member("NATO", "DEU", 1955),
                member("NATO", "ISL", 1949),
                member("NATO", "POL", 1992),
                member("US-treaty-allies", "JPN", 1960),
            ],
            ..Commitments::default()
        },
        observations: o,
        origin: Vec::new(),
        events: Vec::new(),
    };
    Dataset::from_raw(raw).unwrap()
}

const SPEC: &str = r#"
name = "fixture"
[sample]
alliances = ["NATO", "US-treaty-allies"]
from = 1990
to = 1993
[model]
dependent = "ln_milex"
regressors = ["ln_gdp", "ln_spill", "ln_threat"]
[rivals]
default = ["RUS"]
USA = ["RUS", "CHN"]
JPN = ["CHN", "PRK"]
"#;

fn row<'a>(rows: &'a [PanelRow], country: &str, year: i32) -> &'a PanelRow {
    rows.iter()
        .find(|r| r.country == country && r.year == year)
        .unwrap_or_else(|| panic!("no row {country} {year}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn the_panel_sums_allies_without_the_country_and_rivals_with_their_predecessors() {
    let ds = dataset();
    let spec = spec::parse("fixture.toml", SPEC).unwrap();
    let pd = data::assemble_panel(&ds, &spec).unwrap();
    let rows = &pd.rows;

    // SPILL excludes the country itself; US treaty allies are allied with the US only,
    // and the US with every ally of both alliances.
    let spill = |c, y| row(rows, c, y).ln_spill.exp();
    assert!(close(spill("GBR", 1990), 101.0 + 9.0 + 0.0)); // USA + DEU + ISL
    assert!(close(spill("DEU", 1990), 101.0 + 11.0));
    assert!(close(spill("JPN", 1990), 101.0)); // the partner only
    assert!(close(spill("USA", 1990), 11.0 + 9.0 + 5.5)); // GBR + DEU + JPN (+ ISL 0)
    assert!(close(spill("USA", 1992), 13.0 + 10.0 + 3.5 + 6.5)); // + POL from 1992
    assert!(close(spill("GBR", 1993), 104.0 + 10.5 + 4.0));

    // THREAT: the USSR's figure for Russia in 1990; none for 1991 (the row has no THREAT);
    // North Korea dropped for Japan, which keeps China.
    let threat = |c, y| row(rows, c, y).ln_threat;
    assert!(close(threat("GBR", 1990).exp(), 29.0));
    assert!(threat("GBR", 1991).is_nan());
    assert!(close(threat("GBR", 1992).exp(), 20.0));
    assert!(close(threat("USA", 1990).exp(), 29.0 + 8.0));
    assert!(threat("USA", 1991).is_nan());
    assert!(close(threat("JPN", 1991).exp(), 9.0));
    let r = &pd.report;
    assert_eq!(r.rivals["JPN"], vec!["CHN"]);
    assert_eq!(r.rivals["USA"], vec!["RUS", "CHN"]);
    assert_eq!(r.rivals_dropped.len(), 1);
    assert_eq!(
        (
            r.rivals_dropped[0].country.as_str(),
            r.rivals_dropped[0].rival.as_str()
        ),
        ("JPN", "PRK")
    );
    assert!(
        r.rivals_dropped[0]
            .reason
            .contains("no SIPRI military expenditure")
    );
    assert_eq!(r.predecessors_used, vec!["RUS before 1992: SUN's figures"]);

    // Lag-only rows: each country's year before its first sample year.
    let lag_only: Vec<(&str, i32)> = rows
        .iter()
        .filter(|r| !r.in_sample)
        .map(|r| (r.country.as_str(), r.year))
        .collect();
    assert_eq!(
        lag_only,
        vec![
            ("DEU", 1989),
            ("GBR", 1989),
            ("ISL", 1989),
            ("JPN", 1989),
            ("POL", 1991),
            ("USA", 1989)
        ]
    );
    assert!(close(row(rows, "POL", 1991).ln_milex.exp(), 3.0));
    assert!(row(rows, "POL", 1991).ln_spill.is_nan());

    // Iceland spends nothing: no log.
    assert!(row(rows, "ISL", 1990).ln_milex.is_nan());
    assert_eq!(r.missing_rows["ln_milex"], 4);
    assert_eq!(r.missing_rows["ln_threat"], 4); // DEU, GBR, ISL, USA in 1991

    // Real GDP: one source per country (DEU keeps the WEO, which covers part of the
    // sample; POL has the World Bank's only).
    assert_eq!(r.real_gdp_source["USA"], "imf_weo");
    assert_eq!(r.real_gdp_source["POL"], "wb");
    assert_eq!(r.real_gdp_source["DEU"], "imf_weo");
    assert!(row(rows, "DEU", 1990).ln_gdp.is_nan());
    assert!(close(row(rows, "DEU", 1992).ln_gdp.exp(), 300.0 * 1.03));
    assert_eq!(r.sources, vec!["imf-t", "sipri-t", "wb-t"]);
    assert_eq!(r.countries, vec!["DEU", "GBR", "ISL", "JPN", "POL", "USA"]);

    // The engine's panel: lag-only rows give the first year its lag and are not dropped.
    let fit = fairshare_models::panel::fit(&pd.panel, &spec.panel_spec()).unwrap();
    assert_eq!(fit.sample.dropped_no_lag, 0);
    // 6 countries x 4 years minus POL 1990-91 = 22 rows; ISL 4 and 1991 THREAT (3 left) and
    // DEU's missing GDP in 1990-91 (1 more beyond 1991).
    assert_eq!(fit.sample.nobs + fit.sample.dropped_missing, 22);
    assert_eq!(fit.sample.dropped_missing, 8);

    // The CSV for a peer program.
    let csv = pd.to_csv();
    assert!(
        csv.starts_with("country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat\nDEU,1989,0,")
    );
    assert!(csv.contains("\nISL,1990,1,,"));
}

#[test]
fn allies_from_atop_need_atop_memberships() {
    let ds = dataset();
    let text = SPEC.replace("to = 1993", "to = 1993\nallies = \"atop\"");
    let spec = spec::parse("fixture.toml", &text).unwrap();
    let err = data::assemble_panel(&ds, &spec).unwrap_err();
    assert_eq!((err.line, err.field.as_str()), (6, "sample.allies"));
    assert!(err.message.contains("no ATOP memberships"), "{err}");
}

#[test]
fn nash_inputs_and_exploitation_cross_sections_name_who_is_left_out() {
    let ds = dataset();
    let d = data::nash_data(&ds, "nato", 1990).unwrap();
    let codes: Vec<&str> = d.members.iter().map(|m| m.country.as_str()).collect();
    assert_eq!(codes, vec!["DEU", "GBR", "ISL", "USA"]);
    assert_eq!(d.incomes(), vec![1500.0, 1000.0, 6.0, 5000.0]);
    assert_eq!(d.spending(), vec![42.0, 40.0, 0.0, 300.0]);
    assert_eq!(d.members[0].income.source, "imf-t"); // no World Bank figure for DEU
    assert_eq!(d.members[1].income.source, "wb-t");
    assert_eq!(d.sources(), vec!["imf-t", "sipri-t", "wb-t"]);
    assert!(d.missing.is_empty());

    // US-treaty-allies: the partner plays; JPN has no 1990 GDP in US$ here.
    let d = data::nash_data(&ds, "US-treaty-allies", 1990).unwrap();
    assert_eq!(d.members.len(), 1);
    assert_eq!(d.missing.len(), 1);
    assert_eq!(d.missing[0].country, "JPN");
    assert_eq!(
        d.missing[0].reason,
        "no GDP (current US$) and no SIPRI military expenditure (current US$) for the year"
    );

    let years = data::exploitation_data(&ds, "NATO", 1990, 1991).unwrap();
    assert_eq!(years[0].members.len(), 2); // USA, GBR: DEU and ISL have no burden
    assert_eq!(years[0].cross_section().gdp, vec![1000.0, 5000.0]);
    assert_eq!(years[0].missing.len(), 2);
    assert_eq!(years[1].members.len(), 0);

    let err = data::nash_data(&ds, "SEATO", 1990).unwrap_err().to_string();
    assert!(err.starts_with("unknown alliance 'SEATO'"), "{err}");
    let err = data::nash_data(&ds, "NATO", 1940).unwrap_err().to_string();
    assert_eq!(err, "NATO had no members in 1940");
}

/// The error of a specification that parses but fails on the data.
fn data_error(text: &str) -> fairshare_models::spec::SpecError {
    let ds = dataset();
    let spec = spec::parse("fixture.toml", text).unwrap();
    data::fit_spec(&ds, &spec).unwrap_err()
}

#[test]
fn specifications_that_fail_on_the_data_point_into_the_file() {
    // An alliance the dataset does not know.
    let e = data_error(&SPEC.replace("\"US-treaty-allies\"]", "\"SEATO\"]"));
    assert_eq!(
        (e.line, e.column, e.field.as_str()),
        (4, 22, "sample.alliances")
    );
    assert!(e.message.starts_with("unknown alliance 'SEATO'"), "{e}");

    // A rival that is not a country.
    let e = data_error(&SPEC.replace("[\"CHN\", \"PRK\"]", "[\"CHN\", \"XYZ\"]"));
    assert_eq!((e.line, e.column, e.field.as_str()), (13, 15, "rivals.JPN"));
    assert!(e.message.starts_with("rival: unknown country 'XYZ'"), "{e}");

    // Every rival of a country without data: THREAT cannot be built.
    let e = data_error(&SPEC.replace("[\"CHN\", \"PRK\"]", "[\"PRK\"]"));
    assert_eq!((e.line, e.field.as_str()), (13, "rivals.JPN"));
    assert!(
        e.message
            .contains("none of JPN's rivals (PRK) has spending data in 1990-1993"),
        "{e}"
    );

    // Too few observations: one year with a lag leaves N = G.
    let e = data_error(&SPEC.replace("from = 1990", "from = 1993"));
    assert_eq!((e.line, e.field.as_str()), (5, "sample"));
    assert!(e.message.starts_with("too few observations"), "{e}");
    assert!(e.message.contains("countries leave no residual"), "{e}");

    // Perfect collinearity: everyone's rival is Russia, so THREAT is the same for all
    // countries in a year, and year effects absorb it.
    let text = SPEC
        .replace("USA = [\"RUS\", \"CHN\"]\n", "")
        .replace("JPN = [\"CHN\", \"PRK\"]\n", "")
        .replace("[model]\n", "[model]\nyear_effects = true\n");
    let e = data_error(&text);
    assert_eq!(e.field, "model.regressors");
    // (GDP grows at the same rate everywhere in this fixture, so ln_gdp is named too.)
    assert!(
        e.message
            .starts_with("perfect collinearity among ln_gdp, ln_threat and the year effects"),
        "{e}"
    );
}
