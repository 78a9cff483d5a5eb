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
//! - Earlier figures: SIPRI's "2023 release" printed Japan 2023 at 0.87% (now 0.8%).
//! - Exchange rates: World Bank JPN 2023 ¥140 and KOR 2020 ₩1,200 per US$; otherwise
//!   IMF-implied. IMF WEO US$ GDP 2024: USA $29 tn, DEU $4.5 tn (no local-currency GDP).
//! - Host-nation support: JPN FY2020 budget ¥190 bn, the FY2022-26 agreement ¥1,055.1 bn
//!   (¥211.02 bn a year); SIPRI FY2023 budget ¥6 tn; US troops 50,000 (2023) and 52,754
//!   (2024). KOR SMA 2022 ₩1.24 tn, 2025 ₩1.4 tn (approximate), 2026 ₩1.5192 tn; IMF WEO
//!   GDP ₩2,400 / 2,500 / 2,600 tn and $1.6 / 1.9 / 2.0 tn in 2024-26.
//! - Decomposition, KOR: SIPRI ₩50 tn (2020) and ₩60 tn (2024), US$42 bn and US$40 bn;
//!   IMF GDP deflator 100 and 110.

use fairshare_dataset::registry::{Definition, Source, SourceRegistry, builtin_countries};
use fairshare_dataset::{
    Alliance, Commitments, Dataset, EarlierFigure, Flag, Flags, Measure, Membership, Observation,
    Plan, RawDataset, Target, Unit, YearBasis,
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
        "wb" => "wb",
        "dmdc" => "troops",
        d if d.starts_with("national:jp-hns") || d == "national:kr-sma" => "hns",
        _ => "japan",
    };
    Observation {
        country: country.into(),
        year,
        year_basis: if definition.starts_with("national:") && definition != "national:kr-sma" {
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
    let mut observations = observations;
    observations.extend(ledger_observations());
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
            [
                "sipri", "nato", "imf", "japan", "reg", "wb", "hns", "troops",
            ]
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
            "wb",
            "dmdc",
            "national:jp-hns-budget",
            "national:jp-hns-sma",
            "national:kr-sma",
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
            plans: vec![Plan {
                id: "jp-sma-fy2022-26".into(),
                country: "JPN".into(),
                name: "Host-nation support, Special Measures Agreement FY2022-2026".into(),
                from_year: 2022,
                to_year: 2026,
                year_basis: YearBasis::FY_APR,
                measure: Measure::HnsLcu,
                definition: "national:jp-hns-sma".into(),
                amount: 1.0551e12,
                unit: Unit::Lcu,
                flags: Flags::EMPTY.with(Flag::Plan),
                note: String::new(),
                source: "hns".into(),
                source_url: "https://example.org/sma".into(),
            }],
            earlier_figures: vec![EarlierFigure {
                country: "JPN".into(),
                measure: Measure::MilexGdp,
                year: 2023,
                year_basis: YearBasis::Calendar,
                definition: "sipri".into(),
                value: 0.87,
                unit: Unit::PctGdp,
                precision: 0.01,
                release: "2023-04-24".into(),
                vintage: "SIPRI 2023".into(),
                publication: "test fact sheet".into(),
                recorded_by: String::new(),
                flags: Flags::EMPTY,
                note: String::new(),
                source: "reg".into(),
                source_url: "https://example.org/earlier".into(),
            }],
            polls: Vec::new(),
        },
        observations,
        origin: Vec::new(),
        events: Vec::new(),
    }
}

/// Host-nation support, troops, rates and the decomposition inputs (see the module doc).
fn ledger_observations() -> Vec<Observation> {
    use Measure::*;
    let p = [Flag::Projection];
    let mut sipri_fy = obs("JPN", MilexLcu, "sipri", 2023, Some(6e12), &[]);
    sipri_fy.year_basis = YearBasis::FY_APR;
    vec![
        obs("JPN", ExchangeRate, "wb", 2023, Some(140.0), &[]),
        obs("KOR", ExchangeRate, "wb", 2020, Some(1200.0), &[]),
        obs("USA", GdpUsd, "imf_weo", 2024, Some(29e12), &[]),
        obs("DEU", GdpUsd, "imf_weo", 2024, Some(4.5e12), &[]),
        obs(
            "JPN",
            HnsLcu,
            "national:jp-hns-budget",
            2020,
            Some(190e9),
            &[Flag::Budget],
        ),
        sipri_fy,
        obs("JPN", UsTroops, "dmdc", 2023, Some(50_000.0), &[]),
        obs("JPN", UsTroops, "dmdc", 2024, Some(52_754.0), &[]),
        obs(
            "KOR",
            HnsLcu,
            "national:kr-sma",
            2022,
            Some(1.24e12),
            &[Flag::Plan, Flag::Approximate],
        ),
        obs(
            "KOR",
            HnsLcu,
            "national:kr-sma",
            2025,
            Some(1.4e12),
            &[Flag::Plan, Flag::Approximate],
        ),
        obs(
            "KOR",
            HnsLcu,
            "national:kr-sma",
            2026,
            Some(1.5192e12),
            &[Flag::Plan],
        ),
        obs("KOR", GdpLcu, "imf_weo", 2024, Some(2400e12), &[]),
        obs("KOR", GdpLcu, "imf_weo", 2025, Some(2500e12), &p),
        obs("KOR", GdpLcu, "imf_weo", 2026, Some(2600e12), &p),
        obs("KOR", GdpUsd, "imf_weo", 2024, Some(1.6e12), &[]),
        obs("KOR", GdpUsd, "imf_weo", 2025, Some(1.9e12), &p),
        obs("KOR", GdpUsd, "imf_weo", 2026, Some(2e12), &p),
        obs("KOR", MilexLcu, "sipri", 2020, Some(50e12), &[]),
        obs("KOR", MilexLcu, "sipri", 2024, Some(60e12), &[]),
        obs("KOR", MilexUsdCurrent, "sipri", 2020, Some(42e9), &[]),
        obs("KOR", MilexUsdCurrent, "sipri", 2024, Some(40e9), &[]),
        obs("KOR", GdpDeflator, "imf_weo", 2020, Some(100.0), &[]),
        obs("KOR", GdpDeflator, "imf_weo", 2024, Some(110.0), &[]),
        obs("KOR", UsTroops, "dmdc", 2024, Some(23_592.0), &[]),
    ]
}

pub fn dataset() -> Dataset {
    Dataset::from_raw(raw()).expect("the fixture is valid")
}

/// Relative closeness for hand-computed answers.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}
