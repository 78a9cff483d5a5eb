//! A small dataset with round numbers, for tests whose answers are computed by hand.
//!
//! - NATO: USA (1949), DEU (1955), ISL (1949, no figures at all), FIN (2023, SIPRI has
//!   no figure for 2024), SWE (2024). SIPRI 2024 shares: USA 3.42, DEU 1.9, SWE
//!   1.9977173881016819 (the real 2025 release's Sweden), FIN no data.
//! - DEU SIPRI 2024 spending: €85.5 bn, US$90 bn; NATO reading 2.12% (estimate) and an
//!   equipment share of 28.7%; USA equipment share 15%, NATO spending US$900 bn.
//! - JPN: SIPRI 2024 share 1.0%; IMF WEO GDP ¥100 tn (2024, actual), ¥110 tn and
//!   ¥121 tn (2025-26, projections; WEO ends in 2026 here), US$1.0, 1.0 and 1.1 tn;
//!   2026 real growth 2% and GDP deflator 100 -> 105 (5% inflation), so fairshare
//!   extrapolates nominal GDP at 1.02 x 1.05 - 1 = 7.1% a year after 2026.
//! - JPN national: security-related expenditures FY2025 ¥9.93 tn (initial budget) and
//!   ¥11.0 tn (with the supplementary budget); target 2% of FY2022 GDP ¥560 tn by FY2027.
//! - US-treaty-allies: JPN, NZL (suspended from 1986); partner USA.

use fairshare_dataset::registry::{Definition, Source, SourceRegistry, builtin_countries};
use fairshare_dataset::{
    Alliance, Commitments, Dataset, Flag, Flags, Measure, Membership, Observation, RawDataset,
    Target, Unit, YearBasis,
};

fn source(id: &str, vintage: &str) -> Source {
    Source {
        id: id.into(),
        publisher: format!("{id} publisher"),
        title: format!("{id} title"),
        file: format!("{id}.xlsx"),
        vintage: vintage.into(),
        released: "2025".into(),
        url: "https://example.org".into(),
        licence: "CC BY 4.0".into(),
        citation: format!("{id} citation"),
        rank: 1,
        note: String::new(),
    }
}

fn vintage_of(source: &str) -> &'static str {
    match source {
        "sipri" => "SIPRI test",
        "nato" => "NATO test",
        "imf" => "WEO test",
        "japan" => "Japan test",
        _ => "registry test",
    }
}

/// One observation; `definition` also picks the source.
pub fn obs(
    country: &str,
    measure: Measure,
    definition: &str,
    year: i32,
    value: Option<f64>,
    flags: &[Flag],
) -> Observation {
    let source = match definition {
        "sipri" => "sipri",
        "nato" => "nato",
        "imf_weo" => "imf",
        _ => "japan",
    };
    Observation {
        country: country.into(),
        year,
        year_basis: if definition.starts_with("national:") {
            YearBasis::FY_APR
        } else {
            YearBasis::Calendar
        },
        measure,
        definition: definition.into(),
        value,
        unit: measure.allowed_units()[0],
        source: source.into(),
        vintage: vintage_of(source).into(),
        flags: flags.iter().copied().collect::<Flags>(),
        notes: String::new(),
    }
}

fn member(alliance: &str, country: &str, from: i32, suspended: Option<i32>) -> Membership {
    Membership {
        alliance: alliance.into(),
        country: country.into(),
        from_year: from,
        to_year: None,
        suspended_from: suspended,
        basis: "test".into(),
        note: String::new(),
        source: "reg".into(),
        source_url: "https://example.org/members".into(),
    }
}

fn target(
    id: &str,
    alias: &str,
    measure: Option<Measure>,
    threshold: f64,
    unit: Unit,
    by: i32,
) -> Target {
    Target {
        id: id.into(),
        aliases: alias.into(),
        name: format!("{id} name"),
        alliance: "NATO".into(),
        country: String::new(),
        measure,
        threshold,
        unit,
        by_year: by,
        year_basis: YearBasis::Calendar,
        definition: "nato".into(),
        fixed_gdp_lcu: None,
        fixed_gdp_year: None,
        stated_amount_lcu: None,
        agreed: "2014-09-05".into(),
        agreed_at: "Wales".into(),
        description: if measure.is_none() {
            "Related spending. Listed, not evaluated: no dataset in fairshare measures it.".into()
        } else {
            String::new()
        },
        flags: Flags::EMPTY,
        source: "reg".into(),
        source_url: "https://example.org/targets".into(),
    }
}

pub fn raw() -> RawDataset {
    use Measure::*;
    let p = [Flag::Projection];
    let observations = vec![
        obs("USA", MilexGdp, "sipri", 2024, Some(3.42), &[]),
        obs("USA", MilexLcu, "sipri", 2024, Some(997e9), &[]),
        obs("USA", MilexUsdCurrent, "sipri", 2024, Some(997e9), &[]),
        obs("DEU", MilexGdp, "sipri", 2024, Some(1.9), &[]),
        obs("DEU", MilexLcu, "sipri", 2024, Some(85.5e9), &[]),
        obs("DEU", MilexUsdCurrent, "sipri", 2024, Some(90e9), &[]),
        obs("SWE", MilexGdp, "sipri", 2023, Some(1.5), &[]),
        obs(
            "SWE",
            MilexGdp,
            "sipri",
            2024,
            Some(1.9977173881016819),
            &[],
        ),
        obs("FIN", MilexGdp, "sipri", 2024, None, &[Flag::NoData]),
        obs("DEU", MilexGdp, "nato", 2024, Some(2.12), &[Flag::Estimate]),
        obs(
            "DEU",
            MilexEquipmentShare,
            "nato",
            2024,
            Some(28.7),
            &[Flag::Estimate],
        ),
        obs(
            "USA",
            MilexEquipmentShare,
            "nato",
            2024,
            Some(15.0),
            &[Flag::Estimate],
        ),
        obs(
            "USA",
            MilexLcu,
            "nato",
            2024,
            Some(900e9),
            &[Flag::Estimate],
        ),
        obs(
            "USA",
            MilexUsdCurrent,
            "nato",
            2024,
            Some(900e9),
            &[Flag::Estimate],
        ),
        obs("JPN", MilexGdp, "sipri", 2023, Some(0.8), &[]),
        obs("JPN", MilexGdp, "sipri", 2024, Some(1.0), &[]),
        obs("JPN", MilexLcu, "sipri", 2024, Some(1.02e12), &[]),
        obs("JPN", GdpLcu, "imf_weo", 2023, Some(95e12), &[]),
        obs("JPN", GdpLcu, "imf_weo", 2024, Some(100e12), &[]),
        obs("JPN", GdpLcu, "imf_weo", 2025, Some(110e12), &p),
        obs("JPN", GdpLcu, "imf_weo", 2026, Some(121e12), &p),
        obs("JPN", GdpUsd, "imf_weo", 2023, Some(1e12), &[]),
        obs("JPN", GdpUsd, "imf_weo", 2024, Some(1e12), &[]),
        obs("JPN", GdpUsd, "imf_weo", 2025, Some(1e12), &p),
        obs("JPN", GdpUsd, "imf_weo", 2026, Some(1.1e12), &p),
        obs("JPN", GdpRealGrowth, "imf_weo", 2026, Some(2.0), &p),
        obs("JPN", GdpDeflator, "imf_weo", 2025, Some(100.0), &p),
        obs("JPN", GdpDeflator, "imf_weo", 2026, Some(105.0), &p),
        obs(
            "JPN",
            MilexLcu,
            "national:jp-security",
            2025,
            Some(9.93e12),
            &[Flag::Budget],
        ),
        obs(
            "JPN",
            MilexLcu,
            "national:jp-security-supp",
            2025,
            Some(11e12),
            &[Flag::Budget, Flag::Approximate],
        ),
    ];
    let definition = |id: &str| Definition {
        id: id.into(),
        name: id.into(),
        description: format!("{id} description"),
    };
    let mut japan = target(
        "japan-2pct-fy2027",
        "",
        Some(Measure::MilexGdp),
        2.0,
        Unit::PctGdp,
        2027,
    );
    japan.alliance = String::new();
    japan.country = "JPN".into();
    japan.year_basis = YearBasis::FY_APR;
    japan.definition = "national:jp-security".into();
    japan.fixed_gdp_lcu = Some(560e12);
    japan.fixed_gdp_year = Some(2022);
    japan.stated_amount_lcu = Some(11e12);
    japan.flags = Flags::EMPTY.with(Flag::Approximate);
    let alliance = |id: &str, partner: &str| Alliance {
        id: id.into(),
        name: format!("{id} name"),
        partner: partner.into(),
        description: String::new(),
        source: "reg".into(),
        source_url: "https://example.org/alliance".into(),
    };
    RawDataset {
        countries: builtin_countries(),
        sources: SourceRegistry::new(
            ["sipri", "nato", "imf", "japan", "reg"]
                .iter()
                .map(|id| source(id, vintage_of(id)))
                .collect(),
        )
        .unwrap(),
        definitions: [
            "sipri",
            "nato",
            "imf_weo",
            "national:jp-security",
            "national:jp-security-supp",
        ]
        .iter()
        .map(|d| definition(d))
        .collect(),
        notes: Vec::new(),
        commitments: Commitments {
            alliances: vec![alliance("NATO", ""), alliance("US-treaty-allies", "USA")],
            memberships: vec![
                member("NATO", "USA", 1949, None),
                member("NATO", "DEU", 1955, None),
                member("NATO", "ISL", 1949, None),
                member("NATO", "FIN", 2023, None),
                member("NATO", "SWE", 2024, None),
                member("US-treaty-allies", "JPN", 1960, None),
                member("US-treaty-allies", "NZL", 1951, Some(1986)),
            ],
            targets: vec![
                target(
                    "nato-2pct",
                    "wales_2pct",
                    Some(Measure::MilexGdp),
                    2.0,
                    Unit::PctGdp,
                    2024,
                ),
                target(
                    "nato-equipment-20pct",
                    "wales_20pct_equipment",
                    Some(Measure::MilexEquipmentShare),
                    20.0,
                    Unit::PctMilex,
                    2024,
                ),
                target(
                    "nato-related-1.5pct-2035",
                    "",
                    None,
                    1.5,
                    Unit::PctGdp,
                    2035,
                ),
                japan,
            ],
            plans: Vec::new(),
        },
        observations,
        origin: Vec::new(),
    }
}

pub fn dataset() -> Dataset {
    Dataset::from_raw(raw()).expect("the fixture is valid")
}

/// Relative closeness for hand-computed answers.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}
