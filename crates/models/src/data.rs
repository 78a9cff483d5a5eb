//! From the dataset to the engines' inputs: who was in an alliance in a year, their
//! incomes and spending for the Nash model, the cross-sections of the exploitation test,
//! and the panel of the demand regression. Pure functions over a [`Dataset`]; every
//! number keeps its source and vintage ([`Sourced`]) so outputs can cite them.
//!
//! # Which series
//!
//! | what | measure (definition) | why |
//! |---|---|---|
//! | income for Nash and the exploitation test | GDP, current US$: World Bank WDI (`gdp_usd`, `wb`) where it has the year, else IMF WEO (`gdp_usd`, `imf_weo`) | the World Bank's series runs from 1960; the WEO adds the latest year (2024) and is the one SIPRI uses |
//! | spending for Nash | SIPRI military expenditure, current US$ (`milex_usd_current`, `sipri`) | same prices and exchange rates as the income |
//! | burden for the exploitation test | SIPRI military expenditure, % of GDP (`milex_gdp`, `sipri`; SIPRI's workbook before the World Bank's copy) | the measure the classic tests rank |
//! | `ln_milex` | ln SIPRI military expenditure, constant 2023 US$ (`milex_usd_constant`) | real spending in one unit across countries, so allies' spending can be summed |
//! | `ln_gdp` | ln real GDP at constant local prices: IMF WEO (`gdp_lcu_constant`, `imf_weo`) for a country if it has the series, else the World Bank's (`wb`); one source per country, never mixed | see below |
//! | `ln_spill` | ln of the sum of `milex_usd_constant` over the country's allies that year, itself excluded | Murdoch & Sandler's spill-in |
//! | `ln_threat` | ln of the sum of `milex_usd_constant` over the country's named rivals | the threat term |
//!
//! **Real GDP.** The regression has country fixed effects, so `ln Y_it = ln y_it + ln c_i`
//! for any country-specific unit or base year `c_i`: the level is absorbed and only the
//! within-country growth identifies the income elasticity. GDP at constant local prices is
//! therefore the right series, and it is the one national accounts publish. Converting it
//! to US$ at current exchange rates would put exchange-rate swings into "income"; GDP
//! implied by SIPRI's spending and share (M ÷ share) would make income a function of the
//! dependent variable. A country's series is never spliced from two publishers, because
//! their base years differ (a level jump that the fixed effect cannot absorb).
//!
//! **Allies.** With `allies = "registry"`, a country's allies in year *t* are the other
//! members of each sample alliance it belongs to; an alliance with a partner (the United
//! States for `US-treaty-allies`) allies each member with the partner only, and the
//! partner with every member (Japan and Australia are not allies through it). A suspended
//! member (New Zealand from 1986) is not an ally. With `allies = "atop"`, they are the
//! other members of every ATOP defence pact the country was in that year (data to 2016).
//! Allies with no SIPRI figure for the year are left out of the sum and reported.
//!
//! **Rivals.** Each country's rivals come from the specification. A rival the dataset has
//! no spending for in any sample year (North Korea: SIPRI publishes none) is dropped and
//! reported. Russia before 1992 takes the USSR's figures (SIPRI's `SUN`, 1988–1990), and
//! likewise Czechia (Czechoslovakia, `CSK`) and Serbia (Yugoslavia, `YUG`); in a year
//! where a remaining rival has no figure (Russia/USSR in 1991) the country's THREAT is
//! missing rather than a sum with a hole, and the row is dropped and counted.
//!
//! **Sample.** The rows are the country-years in which the country is an active member (or
//! the partner) of a sample alliance, `from..=to`. Each country also gets the years just
//! before its first sample year as lag-only rows, so that `L.ln_milex` exists for the first
//! year (a country that joined in 1999 uses its 1998 spending as the lag).

use std::collections::{BTreeMap, BTreeSet};

use fairshare_dataset::alliances::{MemberStatus, is_atop};
use fairshare_dataset::{Dataset, Filter, Measure, Obs, YearBasis};
use serde::Serialize;
use thiserror::Error;

use crate::exploitation::CrossSection;
use crate::panel::{Panel, PanelError, PanelFit, fit};
use crate::spec::{AllySource, DemandSpec, SpecError};

/// GDP in current US$: the definitions tried, in order.
pub const GDP_USD_PREFERENCE: [&str; 2] = ["wb", "imf_weo"];
/// Real GDP (constant local prices): the definitions tried per country, in order.
pub const REAL_GDP_PREFERENCE: [&str; 2] = ["imf_weo", "wb"];
/// Successor states whose rival spending before `until` is the predecessor's.
pub const PREDECESSORS: [(&str, &str, i32); 3] = [
    ("RUS", "SUN", 1991),
    ("CZE", "CSK", 1992),
    ("SRB", "YUG", 1991),
];

/// Why inputs could not be assembled.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    #[error("{0}")]
    Dataset(String),

    #[error("{alliance} had no members in {year}")]
    NoMembers { alliance: String, year: i32 },

    #[error(
        "no member of {alliance} has both GDP and military expenditure in {year}{}",
        hint_years(.years)
    )]
    NoData {
        alliance: String,
        year: i32,
        years: Option<(i32, i32)>,
    },
}

fn hint_years(years: &Option<(i32, i32)>) -> String {
    match years {
        Some((a, b)) => format!(" (the data cover {a}-{b})"),
        None => String::new(),
    }
}

/// A value with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced {
    pub value: f64,
    pub source: String,
    pub vintage: String,
    pub flags: Vec<String>,
}

impl Sourced {
    fn from_obs(o: &Obs) -> Option<Sourced> {
        Some(Sourced {
            value: o.value()?,
            source: o.source_id().to_string(),
            vintage: o.vintage().to_string(),
            flags: o.flags().names().into_iter().map(String::from).collect(),
        })
    }
}

/// One measure and definition, calendar years, the preferred source per cell.
pub struct Series<'a> {
    cells: BTreeMap<(&'a str, i32), Obs<'a>>,
}

impl<'a> Series<'a> {
    pub fn load(ds: &'a Dataset, measure: Measure, definition: &str) -> Series<'a> {
        let filter = Filter {
            measures: vec![measure],
            definitions: vec![definition.to_string()],
            year_bases: vec![YearBasis::Calendar],
            ..Filter::default()
        };
        let cells = ds
            .select_preferred(&filter)
            .into_iter()
            .filter(|o| o.value().is_some())
            .map(|o| ((o.country_code(), o.year()), o))
            .collect();
        Series { cells }
    }

    pub fn get(&self, country: &str, year: i32) -> Option<Sourced> {
        self.cells.get(&(country, year)).and_then(Sourced::from_obs)
    }

    pub fn value(&self, country: &str, year: i32) -> Option<f64> {
        self.cells.get(&(country, year)).and_then(|o| o.value())
    }

    /// Whether the country has any value in `from..=to`.
    pub fn covers_any(&self, country: &str, from: i32, to: i32) -> bool {
        self.cells
            .range((country, from)..=(country, to))
            .next()
            .is_some()
    }

    /// First and last year with any value.
    pub fn years(&self) -> Option<(i32, i32)> {
        let years = self.cells.keys().map(|(_, y)| *y);
        Some((years.clone().min()?, years.max()?))
    }
}

/// GDP in current US$, by [`GDP_USD_PREFERENCE`].
pub struct GdpUsd<'a> {
    series: Vec<Series<'a>>,
}

impl<'a> GdpUsd<'a> {
    pub fn load(ds: &'a Dataset) -> GdpUsd<'a> {
        GdpUsd {
            series: GDP_USD_PREFERENCE
                .iter()
                .map(|d| Series::load(ds, Measure::GdpUsd, d))
                .collect(),
        }
    }

    pub fn get(&self, country: &str, year: i32) -> Option<Sourced> {
        self.series.iter().find_map(|s| s.get(country, year))
    }
}

/// A country missing from a computation, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    pub country: String,
    pub reason: String,
}

/// The players of an alliance in a year: the active members and the partner (if any), by
/// country code. Suspended members are not players.
pub fn alliance_players(
    ds: &Dataset,
    alliance: &str,
    year: i32,
) -> Result<(String, Vec<String>), DataError> {
    let c = ds.commitments();
    let a = c
        .alliance(alliance)
        .map_err(|e| DataError::Dataset(e.to_string()))?;
    let mut players: BTreeSet<String> = c
        .members_in(&a.id, year)
        .into_iter()
        .filter(|(_, s)| *s == MemberStatus::Active)
        .map(|(m, _)| m.country.clone())
        .collect();
    if players.is_empty() {
        return Err(DataError::NoMembers {
            alliance: a.id.clone(),
            year,
        });
    }
    if !a.partner.is_empty() {
        players.insert(a.partner.clone());
    }
    Ok((a.id.clone(), players.into_iter().collect()))
}

/// One ally's income and spending for the Nash model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NashMember {
    pub country: String,
    pub name: String,
    /// GDP, current US$.
    pub income: Sourced,
    /// SIPRI military expenditure, current US$.
    pub spending: Sourced,
}

/// The Nash model's inputs for an alliance and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NashData {
    pub alliance: String,
    pub year: i32,
    /// Players with both figures, by country code.
    pub members: Vec<NashMember>,
    /// Players left out for want of data.
    pub missing: Vec<Missing>,
}

impl NashData {
    pub fn incomes(&self) -> Vec<f64> {
        self.members.iter().map(|m| m.income.value).collect()
    }
    pub fn spending(&self) -> Vec<f64> {
        self.members.iter().map(|m| m.spending.value).collect()
    }
    /// Source ids cited, sorted, once each.
    pub fn sources(&self) -> Vec<String> {
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for m in &self.members {
            ids.insert(m.income.source.clone());
            ids.insert(m.spending.source.clone());
        }
        ids.into_iter().collect()
    }
}

/// Incomes (GDP, current US$) and spending (SIPRI, current US$) of an alliance's players.
pub fn nash_data(ds: &Dataset, alliance: &str, year: i32) -> Result<NashData, DataError> {
    let (id, players) = alliance_players(ds, alliance, year)?;
    let gdp = GdpUsd::load(ds);
    let milex = Series::load(ds, Measure::MilexUsdCurrent, "sipri");
    let mut members = Vec::new();
    let mut missing = Vec::new();
    for code in players {
        let name = ds
            .countries()
            .get(&code)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| code.clone());
        match (gdp.get(&code, year), milex.get(&code, year)) {
            (Some(income), Some(spending)) if income.value > 0.0 => members.push(NashMember {
                country: code,
                name,
                income,
                spending,
            }),
            (income, spending) => missing.push(Missing {
                country: code,
                reason: missing_reason(&[
                    ("GDP (current US$)", income.is_some()),
                    (
                        "SIPRI military expenditure (current US$)",
                        spending.is_some(),
                    ),
                ]),
            }),
        }
    }
    if members.is_empty() {
        return Err(DataError::NoData {
            alliance: id,
            year,
            years: milex.years(),
        });
    }
    Ok(NashData {
        alliance: id,
        year,
        members,
        missing,
    })
}

fn missing_reason(parts: &[(&str, bool)]) -> String {
    let lacking: Vec<&str> = parts
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    format!("no {} for the year", lacking.join(" and no "))
}

/// One member in one year of the exploitation test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExploitationMember {
    pub country: String,
    /// GDP, current US$.
    pub gdp: Sourced,
    /// SIPRI military expenditure, % of GDP.
    pub burden: Sourced,
}

/// One year's cross-section of an alliance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExploitationYearData {
    pub year: i32,
    /// Members with both figures (N of the test), by country code.
    pub members: Vec<ExploitationMember>,
    pub missing: Vec<Missing>,
}

impl ExploitationYearData {
    pub fn cross_section(&self) -> CrossSection {
        CrossSection {
            year: self.year,
            gdp: self.members.iter().map(|m| m.gdp.value).collect(),
            burden_pct_gdp: self.members.iter().map(|m| m.burden.value).collect(),
        }
    }
}

/// Each year's members (and partner) with GDP and burden, `from..=to`. A year without
/// members is returned empty (the test reports it as skipped).
pub fn exploitation_data(
    ds: &Dataset,
    alliance: &str,
    from: i32,
    to: i32,
) -> Result<Vec<ExploitationYearData>, DataError> {
    let c = ds.commitments();
    c.alliance(alliance)
        .map_err(|e| DataError::Dataset(e.to_string()))?;
    let gdp = GdpUsd::load(ds);
    let burden = Series::load(ds, Measure::MilexGdp, "sipri");
    let mut out = Vec::new();
    for year in from..=to {
        let players = match alliance_players(ds, alliance, year) {
            Ok((_, p)) => p,
            Err(DataError::NoMembers { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut members = Vec::new();
        let mut missing = Vec::new();
        for code in players {
            match (gdp.get(&code, year), burden.get(&code, year)) {
                (Some(g), Some(b)) => members.push(ExploitationMember {
                    country: code,
                    gdp: g,
                    burden: b,
                }),
                (g, b) => missing.push(Missing {
                    country: code,
                    reason: missing_reason(&[
                        ("GDP (current US$)", g.is_some()),
                        ("SIPRI burden (% of GDP)", b.is_some()),
                    ]),
                }),
            }
        }
        out.push(ExploitationYearData {
            year,
            members,
            missing,
        });
    }
    Ok(out)
}

/// One row of the assembled panel (logs; `NaN` where missing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    pub country: String,
    pub year: i32,
    /// False for a lag-only row (the year before the country's first sample year).
    pub in_sample: bool,
    pub ln_milex: f64,
    pub ln_gdp: f64,
    pub ln_spill: f64,
    pub ln_threat: f64,
}

impl PanelRow {
    pub fn variable(&self, name: &str) -> f64 {
        match name {
            "ln_milex" => self.ln_milex,
            "ln_gdp" => self.ln_gdp,
            "ln_spill" => self.ln_spill,
            "ln_threat" => self.ln_threat,
            _ => f64::NAN,
        }
    }
}

/// A rival dropped from a country's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RivalDropped {
    pub country: String,
    pub rival: String,
    pub reason: String,
}

/// What went into the panel and what was left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PanelReport {
    /// Countries with at least one sample row.
    pub countries: Vec<String>,
    /// Country -> the real-GDP source used (`imf_weo` or `wb`).
    pub real_gdp_source: BTreeMap<String, String>,
    /// Country -> rivals used (after drops).
    pub rivals: BTreeMap<String, Vec<String>>,
    pub rivals_dropped: Vec<RivalDropped>,
    /// Predecessor figures used for rivals ("RUS before 1992: SUN").
    pub predecessors_used: Vec<String>,
    /// In-sample rows with each variable missing, by variable.
    pub missing_rows: BTreeMap<String, usize>,
    /// Examples of missing cells per variable ("DEU 1991"), at most five each.
    pub missing_examples: BTreeMap<String, Vec<String>>,
    /// Allies left out of a spill-in sum for want of data: ally -> years.
    pub allies_without_data: BTreeMap<String, Vec<i32>>,
    /// Source ids of every series used.
    pub sources: Vec<String>,
}

/// The assembled panel and its report.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelData {
    pub rows: Vec<PanelRow>,
    pub panel: Panel,
    pub report: PanelReport,
}

impl PanelData {
    /// The panel as CSV (`country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat`;
    /// empty cells where missing; full precision), for a peer program.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("country,year,in_sample,ln_milex,ln_gdp,ln_spill,ln_threat\n");
        let cell = |v: f64| {
            if v.is_finite() {
                format!("{v:?}")
            } else {
                String::new()
            }
        };
        for r in &self.rows {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                r.country,
                r.year,
                u8::from(r.in_sample),
                cell(r.ln_milex),
                cell(r.ln_gdp),
                cell(r.ln_spill),
                cell(r.ln_threat)
            ));
        }
        out
    }
}

/// The allies of each country in each year, by [`AllySource`].
struct Allies {
    /// (country, year) -> allies, excluding the country itself.
    map: BTreeMap<(String, i32), BTreeSet<String>>,
}

impl Allies {
    fn build(
        ds: &Dataset,
        spec: &DemandSpec,
        alliance_ids: &[String],
        from: i32,
        to: i32,
    ) -> Allies {
        let c = ds.commitments();
        let mut map: BTreeMap<(String, i32), BTreeSet<String>> = BTreeMap::new();
        let mut link = |a: &str, b: &str, year: i32| {
            if a != b {
                map.entry((a.to_string(), year))
                    .or_default()
                    .insert(b.to_string());
            }
        };
        for year in from..=to {
            let groups: Vec<(Vec<String>, String)> = match spec.allies {
                AllySource::Registry => alliance_ids
                    .iter()
                    .filter_map(|id| c.alliance(id).ok())
                    .map(|a| (active_members(ds, &a.id, year), a.partner.clone()))
                    .collect(),
                AllySource::Atop => c
                    .alliances
                    .iter()
                    .filter(|a| is_atop(&a.id))
                    .map(|a| (active_members(ds, &a.id, year), String::new()))
                    .filter(|(m, _)| !m.is_empty())
                    .collect(),
            };
            for (members, partner) in groups {
                if partner.is_empty() {
                    for a in &members {
                        for b in &members {
                            link(a, b, year);
                        }
                    }
                } else if !members.is_empty() {
                    for m in &members {
                        link(m, &partner, year);
                        link(&partner, m, year);
                    }
                }
            }
        }
        Allies { map }
    }

    fn of(&self, country: &str, year: i32) -> Option<&BTreeSet<String>> {
        self.map.get(&(country.to_string(), year))
    }
}

fn active_members(ds: &Dataset, alliance: &str, year: i32) -> Vec<String> {
    ds.commitments()
        .members_in(alliance, year)
        .into_iter()
        .filter(|(_, s)| *s == MemberStatus::Active)
        .map(|(m, _)| m.country.clone())
        .collect()
}

/// Build the panel a specification asks for (see the module docs). Errors that need the
/// data (an unknown alliance, country or rival; a country whose rivals all lack data;
/// ATOP allies past ATOP's coverage) point into the specification file.
pub fn assemble_panel(ds: &Dataset, spec: &DemandSpec) -> Result<PanelData, SpecError> {
    let c = ds.commitments();
    // Sample alliances, resolved.
    let mut alliance_ids = Vec::new();
    for (i, name) in spec.alliances.iter().enumerate() {
        let a = c.alliance(name).map_err(|e| {
            spec.error_at(&spec.spans.alliances[i], "sample.alliances", e.to_string())
        })?;
        alliance_ids.push(a.id.clone());
    }
    let mut exclude = BTreeSet::new();
    for (i, name) in spec.exclude.iter().enumerate() {
        let country = ds
            .countries()
            .resolve(name)
            .map_err(|e| spec.error_at(&spec.spans.exclude[i], "sample.exclude", e.to_string()))?;
        exclude.insert(country.code.clone());
    }
    if spec.allies == AllySource::Atop {
        let last = c
            .memberships
            .iter()
            .filter(|m| is_atop(&m.alliance))
            .flat_map(|m| [Some(m.from_year), m.to_year])
            .flatten()
            .max();
        match last {
            None => {
                return Err(spec.error_at(
                    &spec.spans.to,
                    "sample.allies",
                    "allies = \"atop\" but the dataset holds no ATOP memberships (rebuild it with the atop/ folder)",
                ));
            }
            Some(last) if spec.to > last => {
                return Err(spec.error_at(
                    &spec.spans.to,
                    "sample.to",
                    format!("allies = \"atop\": ATOP's memberships end in {last}, so to must be {last} or earlier"),
                ));
            }
            Some(_) => {}
        }
    }

    // Sample country-years.
    let mut in_sample: BTreeSet<(String, i32)> = BTreeSet::new();
    for year in spec.from..=spec.to {
        for id in &alliance_ids {
            if let Ok((_, players)) = alliance_players(ds, id, year) {
                for p in players.into_iter().filter(|p| !exclude.contains(p)) {
                    in_sample.insert((p, year));
                }
            }
        }
    }
    let countries: BTreeSet<String> = in_sample.iter().map(|(c, _)| c.clone()).collect();
    if countries.is_empty() {
        return Err(spec.error_at(
            &spec.spans.from,
            "sample",
            format!(
                "no country is a member of {} in {}-{}",
                spec.alliances.join(", "),
                spec.from,
                spec.to
            ),
        ));
    }

    let milex = Series::load(ds, Measure::MilexUsdConstant, "sipri");
    let mut sources: BTreeSet<String> = BTreeSet::new();
    let mut note_source = |o: Option<Sourced>| {
        if let Some(s) = o {
            sources.insert(s.source);
        }
    };

    // Real GDP: one source per country.
    let real_gdp: Vec<Series> = REAL_GDP_PREFERENCE
        .iter()
        .map(|d| Series::load(ds, Measure::GdpLcuConstant, d))
        .collect();
    let mut real_gdp_source = BTreeMap::new();
    let gdp_of: BTreeMap<String, Option<usize>> = countries
        .iter()
        .map(|code| {
            let k = real_gdp
                .iter()
                .position(|s| s.covers_any(code, spec.from, spec.to));
            if let Some(k) = k {
                real_gdp_source.insert(code.clone(), REAL_GDP_PREFERENCE[k].to_string());
            }
            (code.clone(), k)
        })
        .collect();

    // Rivals: resolve, drop those without data, keep the rest.
    let uses_threat = spec.uses("ln_threat");
    let mut rivals_used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rivals_dropped = Vec::new();
    let mut predecessors_used = BTreeSet::new();
    if uses_threat {
        for (key, list) in &spec.rivals {
            let (key_span, spans) = &spec.spans.rivals[key];
            if key != "default" {
                ds.countries().resolve(key).map_err(|e| {
                    spec.error_at(key_span, &format!("rivals.{key}"), e.to_string())
                })?;
            }
            for (i, r) in list.iter().enumerate() {
                ds.countries().resolve(r).map_err(|e| {
                    spec.error_at(&spans[i], &format!("rivals.{key}"), format!("rival: {e}"))
                })?;
            }
        }
        for code in &countries {
            let Some((key, list)) = spec.rivals_of(code) else {
                return Err(spec.error_at(
                    &spec.spans.rivals_table,
                    "rivals",
                    format!("no rivals for {code}: list them under [rivals] or give a default"),
                ));
            };
            let mut used = Vec::new();
            for r in list {
                let rival = ds
                    .countries()
                    .resolve(r)
                    .map(|c| c.code.clone())
                    .unwrap_or_else(|_| r.clone());
                if rival == *code {
                    rivals_dropped.push(RivalDropped {
                        country: code.clone(),
                        rival: rival.clone(),
                        reason: "is the country itself".into(),
                    });
                    continue;
                }
                let has_data =
                    (spec.from..=spec.to).any(|y| rival_value(&milex, &rival, y).is_some());
                if has_data {
                    used.push(rival);
                } else {
                    rivals_dropped.push(RivalDropped {
                        country: code.clone(),
                        rival: rival.clone(),
                        reason: format!(
                            "no SIPRI military expenditure (constant US$) in {}-{}",
                            spec.from, spec.to
                        ),
                    });
                }
            }
            if used.is_empty() {
                let span = spec
                    .spans
                    .rivals
                    .get(key)
                    .map(|(k, _)| k.clone())
                    .unwrap_or_default();
                return Err(spec.error_at(
                    &span,
                    &format!("rivals.{key}"),
                    format!(
                        "none of {code}'s rivals ({}) has spending data in {}-{}: THREAT cannot \
                         be built; name a rival with SIPRI data",
                        list.join(", "),
                        spec.from,
                        spec.to
                    ),
                ));
            }
            rivals_used.insert(code.clone(), used);
        }
    }

    let allies = if spec.uses("ln_spill") {
        Some(Allies::build(ds, spec, &alliance_ids, spec.from, spec.to))
    } else {
        None
    };

    // Rows: every sample year of each country, plus lag-only years before each run.
    let mut rows = Vec::new();
    let mut missing_rows: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing_examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut allies_without_data: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    let ln = |v: Option<f64>| v.filter(|x| *x > 0.0).map_or(f64::NAN, f64::ln);
    for code in &countries {
        for year in (spec.from - 1)..=spec.to {
            let sample = in_sample.contains(&(code.clone(), year));
            let lag_only = !sample && in_sample.contains(&(code.clone(), year + 1));
            if !sample && !lag_only {
                continue;
            }
            let m = milex.get(code, year);
            let ln_milex = ln(m.as_ref().map(|s| s.value));
            note_source(m);
            let mut row = PanelRow {
                country: code.clone(),
                year,
                in_sample: sample,
                ln_milex,
                ln_gdp: f64::NAN,
                ln_spill: f64::NAN,
                ln_threat: f64::NAN,
            };
            if sample {
                if let Some(k) = gdp_of[code] {
                    let g = real_gdp[k].get(code, year);
                    row.ln_gdp = ln(g.as_ref().map(|s| s.value));
                    note_source(g);
                }
                if let Some(allies) = &allies {
                    let mut sum = 0.0;
                    let mut any = false;
                    for ally in allies.of(code, year).into_iter().flatten() {
                        match milex.value(ally, year) {
                            Some(v) => {
                                sum += v;
                                any = true;
                            }
                            None => allies_without_data
                                .entry(ally.clone())
                                .or_default()
                                .push(year),
                        }
                    }
                    if any {
                        row.ln_spill = sum.ln();
                    }
                }
                if let Some(list) = rivals_used.get(code) {
                    let mut sum = 0.0;
                    let mut complete = true;
                    for r in list {
                        match rival_value(&milex, r, year) {
                            Some((v, via)) => {
                                sum += v;
                                if let Some(p) = via {
                                    predecessors_used.insert(format!(
                                        "{r} before {}: {p}'s figures",
                                        PREDECESSORS
                                            .iter()
                                            .find(|(s, _, _)| s == r)
                                            .map_or(year, |(_, _, u)| u + 1)
                                    ));
                                }
                            }
                            None => complete = false,
                        }
                    }
                    if complete {
                        row.ln_threat = sum.ln();
                    }
                }
                for v in std::iter::once(spec.dependent.as_str())
                    .chain(spec.regressors.iter().map(String::as_str))
                {
                    if row.variable(v).is_nan() {
                        *missing_rows.entry(v.to_string()).or_default() += 1;
                        let examples = missing_examples.entry(v.to_string()).or_default();
                        if examples.len() < 5 {
                            examples.push(format!("{code} {year}"));
                        }
                    }
                }
            }
            rows.push(row);
        }
    }
    for y in allies_without_data.values_mut() {
        y.sort_unstable();
        y.dedup();
    }
    let sources_list: Vec<String> = {
        let mut s = sources;
        if spec.allies == AllySource::Atop
            && let Some(m) = c.memberships.iter().find(|m| is_atop(&m.alliance))
        {
            s.insert(m.source.clone());
        }
        s.into_iter().collect()
    };

    let panel = build_panel(&rows).map_err(|e| {
        spec.error_at(
            &spec.spans.from,
            "sample",
            format!("cannot build the panel: {e}"),
        )
    })?;
    Ok(PanelData {
        rows,
        panel,
        report: PanelReport {
            countries: countries.into_iter().collect(),
            real_gdp_source,
            rivals: rivals_used,
            rivals_dropped,
            predecessors_used: predecessors_used.into_iter().collect(),
            missing_rows,
            missing_examples,
            allies_without_data,
            sources: sources_list,
        },
    })
}

/// A rival's spending in a year, with the predecessor code when its figures were used.
fn rival_value(milex: &Series, rival: &str, year: i32) -> Option<(f64, Option<&'static str>)> {
    if let Some(v) = milex.value(rival, year) {
        return Some((v, None));
    }
    PREDECESSORS
        .iter()
        .find(|(successor, _, until)| *successor == rival && year <= *until)
        .and_then(|(_, predecessor, _)| {
            milex
                .value(predecessor, year)
                .map(|v| (v, Some(*predecessor)))
        })
}

/// The engine's panel from assembled rows: the four variables, lag-only rows marked.
pub fn build_panel(rows: &[PanelRow]) -> Result<Panel, PanelError> {
    let groups = rows.iter().map(|r| r.country.clone()).collect();
    let times = rows.iter().map(|r| r.year).collect();
    let mut panel = Panel::new(groups, times)?;
    for name in crate::spec::VARIABLES {
        panel.add_variable(name, rows.iter().map(|r| r.variable(name)).collect())?;
    }
    panel.set_lag_only(rows.iter().map(|r| !r.in_sample).collect())?;
    Ok(panel)
}

/// Assemble a specification's panel and fit it; a fitting error (too few observations,
/// perfect collinearity, a variable with no variation within countries) points at the part
/// of the specification it is about.
pub fn fit_spec(ds: &Dataset, spec: &DemandSpec) -> Result<(PanelData, PanelFit), SpecError> {
    let pd = assemble_panel(ds, spec)?;
    let fitted = fit(&pd.panel, &spec.panel_spec()).map_err(|e| {
        let (span, field) = match &e {
            PanelError::Collinear { .. } | PanelError::NoWithinVariation { .. } => {
                (&spec.spans.regressors, "model.regressors")
            }
            _ => (&spec.spans.from, "sample"),
        };
        spec.error_at(span, field, e.to_string())
    })?;
    Ok((pd, fitted))
}
