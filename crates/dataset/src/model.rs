//! The observation model: what one number is, and everything that travels with it.
//!
//! A value never leaves the dataset layer bare. Each carries its measure (what is
//! measured), its unit, its definition (what is counted), its source and vintage
//! (who published it, which release), the year and the kind of year it refers to,
//! and flags (estimate, uncertain, projection, ...).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: an enum with a stable string id per variant,
/// a one-line description, `FromStr`/`Display`, and the list of all ids.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = ($id:literal, $desc:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[repr(u8)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The stable id used in files, flags and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $id ),+ }
            }

            /// One line saying what this is, for help texts and `sources`.
            pub fn description(self) -> &'static str {
                match self { $( $name::$variant => $desc ),+ }
            }

            /// All ids, comma-separated, for error messages.
            pub fn valid_list() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }

            #[allow(dead_code)]
            pub(crate) fn from_code(code: u8) -> Option<$name> {
                Self::ALL.get(code as usize).copied()
            }
        }

        impl FromStr for $name {
            type Err = UnknownTerm;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| UnknownTerm {
                        kind: stringify!($name),
                        given: s.to_string(),
                        valid: Self::valid_list(),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A word that is not in one of the closed vocabularies (measure, unit, flag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {} '{given}': valid ones are {valid}", kind_word(kind))]
pub struct UnknownTerm {
    pub kind: &'static str,
    pub given: String,
    pub valid: String,
}

fn kind_word(kind: &str) -> &'static str {
    match kind {
        "Measure" => "measure",
        "Unit" => "unit",
        "Flag" => "flag",
        _ => "term",
    }
}

vocabulary! {
    /// What is measured. Names are a contract with users (DESIGN.md): extend, never rename.
    pub enum Measure {
        MilexGdp = ("milex_gdp", "military expenditure as a share of GDP"),
        MilexUsdCurrent = ("milex_usd_current", "military expenditure in US$ at current prices and exchange rates"),
        MilexUsdConstant = ("milex_usd_constant", "military expenditure in US$ at constant prices and exchange rates"),
        MilexLcu = ("milex_lcu", "military expenditure in local currency at current prices"),
        MilexPerCapita = ("milex_per_capita", "military expenditure per person, current US$"),
        MilexGovShare = ("milex_gov_share", "military expenditure as a share of general government expenditure"),
        MilexEquipmentShare = ("milex_equipment_share", "share of defence expenditure spent on major equipment incl. related R&D"),
        MilexRealChange = ("milex_real_change", "annual real change in military expenditure"),
        MilPersonnel = ("mil_personnel", "military personnel"),
        GdpLcu = ("gdp_lcu", "gross domestic product in local currency at current prices"),
        GdpLcuConstant = ("gdp_lcu_constant", "gross domestic product in local currency at constant prices"),
        GdpUsd = ("gdp_usd", "gross domestic product in US$ at current prices"),
        GdpRealGrowth = ("gdp_real_growth", "real GDP growth, annual percent change"),
        GdpDeflator = ("gdp_deflator", "GDP deflator, index"),
        Inflation = ("inflation", "consumer price inflation, annual average percent change"),
        ExchangeRate = ("exchange_rate", "local currency units per US$, annual average"),
        Population = ("population", "population, persons"),
        GovExpenditureLcu = ("gov_expenditure_lcu", "general government total expenditure, local currency"),
        GovExpenditureGdp = ("gov_expenditure_gdp", "general government total expenditure as a share of GDP"),
        UsTroops = ("us_troops", "US active-duty military personnel stationed in the country"),
        HnsLcu = ("hns_lcu", "host-nation support paid toward stationed US forces, local currency"),
        HnsUsd = ("hns_usd", "host-nation support paid toward stationed US forces, US$"),
    }
}

vocabulary! {
    /// The unit a value is expressed in. Money is always in full units (not millions).
    pub enum Unit {
        PctGdp = ("pct_gdp", "percent of GDP"),
        PctGovSpending = ("pct_gov_spending", "percent of general government expenditure"),
        PctMilex = ("pct_milex", "percent of defence expenditure"),
        PctChange = ("pct_change", "percent change on the previous year"),
        UsdCurrent = ("usd_current", "US$ at current prices and exchange rates"),
        UsdConstant2023 = ("usd_constant_2023", "US$ at constant 2023 prices and exchange rates"),
        UsdConstant2015 = ("usd_constant_2015", "US$ at constant 2015 prices and exchange rates"),
        UsdPerCapita = ("usd_per_capita", "current US$ per person"),
        Lcu = ("lcu", "local currency units at current prices"),
        LcuConstant = ("lcu_constant", "local currency units at constant prices (publisher's base year)"),
        LcuPerUsd = ("lcu_per_usd", "local currency units per US$"),
        Persons = ("persons", "persons"),
        Index = ("index", "index number"),
    }
}

impl Measure {
    /// The units a value of this measure may carry; `data check` enforces it.
    pub fn allowed_units(self) -> &'static [Unit] {
        use Measure::*;
        match self {
            MilexGdp | GovExpenditureGdp => &[Unit::PctGdp],
            MilexUsdCurrent | GdpUsd | HnsUsd => &[Unit::UsdCurrent],
            MilexUsdConstant => &[Unit::UsdConstant2023, Unit::UsdConstant2015],
            MilexLcu | GdpLcu | GovExpenditureLcu | HnsLcu => &[Unit::Lcu],
            MilexPerCapita => &[Unit::UsdPerCapita],
            MilexGovShare => &[Unit::PctGovSpending],
            MilexEquipmentShare => &[Unit::PctMilex],
            MilexRealChange | GdpRealGrowth | Inflation => &[Unit::PctChange],
            MilPersonnel | Population | UsTroops => &[Unit::Persons],
            GdpLcuConstant => &[Unit::LcuConstant],
            GdpDeflator => &[Unit::Index],
            ExchangeRate => &[Unit::LcuPerUsd],
        }
    }

    /// True for the military shares that must lie in 0-100 percent. (General
    /// government expenditure can exceed GDP in aid-financed micro-states, so it is
    /// not bounded here.)
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Measure::MilexGdp | Measure::MilexGovShare | Measure::MilexEquipmentShare
        )
    }
}

vocabulary! {
    /// A qualifier the publisher (or fairshare) attaches to a value.
    pub enum Flag {
        Estimate = ("estimate", "the publisher's estimate (SIPRI blue figures; NATO 'e' years)"),
        Uncertain = ("uncertain", "highly uncertain data (SIPRI red figures)"),
        Projection = ("projection", "a forecast, not an outturn (IMF WEO years after 'Estimates Start After')"),
        Extrapolated = ("extrapolated", "extended by fairshare beyond the publisher's horizon"),
        Approximate = ("approximate", "a rounded figure as reported (e.g. 'about 1.24 trillion won')"),
        NoData = ("no_data", "the publisher has no figure for this cell (SIPRI '...')"),
        NotIndependent = ("not_independent", "the state did not exist or was not independent (SIPRI 'xxx')"),
        Glitch = ("glitch", "a known artefact in the publisher's series, kept as published"),
        Plan = ("plan", "a planned or budgeted amount, not spending"),
        Budget = ("budget", "an adopted budget (initial or supplementary), not actual outlays"),
    }
}

/// A set of [`Flag`]s, stored as a bit set; prints and parses as `a;b;c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Flags(u16);

impl Flags {
    pub const EMPTY: Flags = Flags(0);

    pub fn with(mut self, flag: Flag) -> Flags {
        self.0 |= 1 << (flag as u8);
        self
    }

    pub fn insert(&mut self, flag: Flag) {
        self.0 |= 1 << (flag as u8);
    }

    /// The flags of both sets.
    pub fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    pub fn contains(self, flag: Flag) -> bool {
        self.0 & (1 << (flag as u8)) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.iter().copied().filter(move |f| self.contains(*f))
    }

    /// The flag ids, in declaration order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Flag::as_str).collect()
    }

    pub(crate) fn bits(self) -> u16 {
        self.0
    }

    pub(crate) fn from_bits(bits: u16) -> Flags {
        Flags(bits)
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(";"))
    }
}

impl FromStr for Flags {
    type Err = UnknownTerm;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut flags = Flags::EMPTY;
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            flags.insert(part.parse()?);
        }
        Ok(flags)
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<T: IntoIterator<Item = Flag>>(iter: T) -> Self {
        let mut flags = Flags::EMPTY;
        for f in iter {
            flags.insert(f);
        }
        flags
    }
}

/// Which twelve months a year label means.
///
/// Fiscal years are named by the calendar year they start in, as SIPRI does:
/// Japan's FY2024 (`fy_apr`) runs April 2024 - March 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum YearBasis {
    /// January - December.
    Calendar,
    /// A fiscal year starting in the given month (2 = February ... 12 = December).
    Fiscal(u8),
    /// A publisher's transitional period of other than twelve months (a change of fiscal year).
    Transitional,
    /// A fiscal-year pattern the publisher describes only in a footnote.
    Irregular,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl YearBasis {
    /// Japan's and Korea's-style April-March fiscal year.
    pub const FY_APR: YearBasis = YearBasis::Fiscal(4);

    /// The basis of a fiscal year starting in `month` (1-12); January is the calendar year.
    pub fn starting_in(month: u8) -> Option<YearBasis> {
        match month {
            1 => Some(YearBasis::Calendar),
            2..=12 => Some(YearBasis::Fiscal(month)),
            _ => None,
        }
    }

    pub fn as_string(self) -> String {
        match self {
            YearBasis::Calendar => "calendar".to_string(),
            YearBasis::Fiscal(m) => format!("fy_{}", MONTHS[(m as usize).clamp(1, 12) - 1]),
            YearBasis::Transitional => "transitional".to_string(),
            YearBasis::Irregular => "irregular".to_string(),
        }
    }

    /// Words for a reader: "April-March fiscal year".
    pub fn describe(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self {
            YearBasis::Calendar => "calendar year".to_string(),
            YearBasis::Fiscal(m) => {
                let start = (m as usize).clamp(1, 12) - 1;
                let end = (start + 11) % 12;
                format!(
                    "{}-{} fiscal year, named by the year it starts in",
                    NAMES[start], NAMES[end]
                )
            }
            YearBasis::Transitional => "transitional fiscal period (not twelve months)".to_string(),
            YearBasis::Irregular => {
                "irregular fiscal years (see the publisher's footnote)".to_string()
            }
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            YearBasis::Calendar => 1,
            YearBasis::Fiscal(m) => m,
            YearBasis::Transitional => 20,
            YearBasis::Irregular => 21,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<YearBasis> {
        match code {
            1 => Some(YearBasis::Calendar),
            2..=12 => Some(YearBasis::Fiscal(code)),
            20 => Some(YearBasis::Transitional),
            21 => Some(YearBasis::Irregular),
            _ => None,
        }
    }
}

impl fmt::Display for YearBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl FromStr for YearBasis {
    type Err = UnknownTerm;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let parsed = match t.as_str() {
            "calendar" => Some(YearBasis::Calendar),
            "transitional" => Some(YearBasis::Transitional),
            "irregular" => Some(YearBasis::Irregular),
            _ => t
                .strip_prefix("fy_")
                .and_then(|m| MONTHS.iter().position(|x| *x == m))
                .and_then(|i| YearBasis::starting_in(i as u8 + 1)),
        };
        parsed.ok_or_else(|| UnknownTerm {
            kind: "YearBasis",
            given: s.to_string(),
            valid: "calendar, fy_feb ... fy_dec, transitional, irregular".to_string(),
        })
    }
}

/// One published number with everything needed to cite it. The owned form, used by
/// the ingest readers; the dataset stores observations compactly and hands out
/// [`crate::Obs`] views.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// ISO3 code, or an aggregate code such as `WLD` (see the country registry).
    pub country: String,
    pub year: i32,
    pub year_basis: YearBasis,
    pub measure: Measure,
    /// What is counted: `sipri`, `nato`, `wb`, `imf_weo`, `national:jp-mod`, ...
    pub definition: String,
    /// `None` where the publisher has no figure (the reason is in `flags`).
    pub value: Option<f64>,
    pub unit: Unit,
    /// Source id in the sources registry.
    pub source: String,
    /// The release, e.g. "SIPRI 2025".
    pub vintage: String,
    pub flags: Flags,
    /// Keys into the notes registry for this source, separated by `;` (may be empty).
    pub notes: String,
}

impl Observation {
    /// The identity of a cell: no two observations share it.
    pub fn key(&self) -> ObservationKey {
        ObservationKey {
            country: self.country.clone(),
            measure: self.measure,
            definition: self.definition.clone(),
            source: self.source.clone(),
            year_basis: self.year_basis,
            year: self.year,
        }
    }
}

/// The key of an observation: entity, measure, definition, source, year and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObservationKey {
    pub country: String,
    pub measure: Measure,
    pub definition: String,
    pub source: String,
    pub year_basis: YearBasis,
    pub year: i32,
}

impl fmt::Display for ObservationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} ({}, {}, {})",
            self.country, self.measure, self.year, self.year_basis, self.definition, self.source
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_through_their_ids() {
        for m in Measure::ALL {
            assert_eq!(m.as_str().parse::<Measure>().unwrap(), *m);
            assert_eq!(Measure::from_code(*m as u8), Some(*m));
        }
        for u in Unit::ALL {
            assert_eq!(u.as_str().parse::<Unit>().unwrap(), *u);
        }
        assert_eq!("MILEX_GDP".parse::<Measure>().unwrap(), Measure::MilexGdp);
    }

    #[test]
    fn unknown_measure_lists_the_valid_ones() {
        let err = "milex_pct".parse::<Measure>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("unknown measure 'milex_pct'"), "{msg}");
        assert!(msg.contains("milex_gdp"), "{msg}");
    }

    #[test]
    fn flags_print_and_parse_in_a_stable_order() {
        let f = Flags::EMPTY.with(Flag::Uncertain).with(Flag::Estimate);
        assert_eq!(f.to_string(), "estimate;uncertain");
        assert_eq!("uncertain;estimate".parse::<Flags>().unwrap(), f);
        assert_eq!("".parse::<Flags>().unwrap(), Flags::EMPTY);
        assert!("blue".parse::<Flags>().is_err());
    }

    #[test]
    fn year_basis_names_fiscal_years_by_start_month() {
        assert_eq!(YearBasis::FY_APR.to_string(), "fy_apr");
        assert_eq!("fy_apr".parse::<YearBasis>().unwrap(), YearBasis::Fiscal(4));
        assert_eq!("fy_jan".parse::<YearBasis>().unwrap(), YearBasis::Calendar);
        assert_eq!(
            YearBasis::FY_APR.describe(),
            "April-March fiscal year, named by the year it starts in"
        );
        for code in 0..=30u8 {
            if let Some(b) = YearBasis::from_code(code) {
                assert_eq!(b.code(), code);
                assert_eq!(b.to_string().parse::<YearBasis>().unwrap(), b);
            }
        }
    }
}
