//! Reading a scenario file: TOML into serde types that keep byte spans, then the checks
//! TOML cannot express (probabilities in 0–1, branch probabilities summing to 1, years
//! inside the horizon, known country codes, the fields each rule needs). Every error
//! points at the line and column of the offending key or value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use fairshare_dataset::CountryRegistry;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use crate::error::{ScenarioError, SourceText};
use crate::spec::*;

/// At most this many events in one file (each path records which happened in 64 bits).
pub const MAX_EVENTS: usize = 64;
/// Longest horizon accepted, in years.
pub const MAX_HORIZON_YEARS: i32 = 100;
/// At most this many branches (each path records its branch in a byte).
pub const MAX_BRANCHES: usize = 64;
/// Branch probabilities may miss 1 by this much (decimal fractions in a file).
const PROBABILITY_SUM_TOLERANCE: f64 = 1e-9;
/// The name of the mixture of all branches in results; a branch may not take it.
pub const COMBINED: &str = "combined";

/// Parse and validate a scenario file.
///
/// `file` is only used in messages; `countries` is the registry that country codes are
/// checked against (the CLI passes the dataset's).
///
/// ```
/// let text = r#"
/// name = "japan-3.5pct-2035"
/// horizon = [2025, 2035]
/// definition = "sipri"
/// countries = ["JPN"]
/// [policy.JPN]
/// rule = "share_by_year"
/// share = 3.5
/// by = 2035
/// "#;
/// let countries = fairshare_dataset::registry::builtin_countries();
/// let scenario = fairshare_scenario::parse(text, "japan.toml", &countries).unwrap();
/// assert_eq!(scenario.base_year, 2024);
/// ```
pub fn parse(
    text: &str,
    file: &str,
    countries: &CountryRegistry,
) -> Result<Scenario, ScenarioError> {
    let source = SourceText {
        file: file.to_string(),
        text: text.to_string(),
    };
    let raw: RawScenario = toml::from_str(text).map_err(|e| toml_error(&source, &e))?;
    Checker {
        source: &source,
        registry: countries,
        first: 0,
        last: 0,
        codes: Vec::new(),
    }
    .scenario(raw)
}

/// A TOML or serde error, placed. A missing key has no span of its own: name it under the
/// table that lacks it.
fn toml_error(source: &SourceText, e: &toml::de::Error) -> ScenarioError {
    let message = plain_words(e.message());
    let span = e.span();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (missing, &span) {
        (Some(key), Some(s)) => {
            let whole_document =
                s.start == 0 && (s.end == 0 || s.end >= source.text.trim_end().len());
            let parent = if whole_document {
                String::new()
            } else {
                crate::error::field_at(&source.text, s.start)
            };
            let field = if parent.is_empty() {
                key.to_string()
            } else {
                format!("{parent}.{key}")
            };
            source.error(span.clone(), Some(&field), message)
        }
        _ => source.error(span, None, message),
    }
}

/// serde's type names are for programmers; say what a person should write.
fn plain_words(message: &str) -> String {
    message
        .replace("expected i32", "expected a whole number")
        .replace("expected u64", "expected a whole number of at least 0")
        .replace("expected f64", "expected a number")
        .replace("expected a string", "expected a quoted string")
}

// ---------------------------------------------------------------------------------------
// The file's shape, as serde reads it.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    title: Option<String>,
    description: Option<String>,
    horizon: Spanned<Vec<Spanned<i32>>>,
    definition: Spanned<String>,
    countries: Spanned<Vec<Spanned<String>>>,
    run: Option<RawRun>,
    #[serde(default)]
    economy: BTreeMap<Spanned<String>, Spanned<RawEconomy>>,
    #[serde(default)]
    policy: BTreeMap<Spanned<String>, Spanned<RawPolicy>>,
    #[serde(default)]
    response: BTreeMap<Spanned<String>, Spanned<RawResponse>>,
    #[serde(default)]
    events: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    branches: Vec<Spanned<RawBranch>>,
    #[serde(default)]
    targets: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun {
    paths: Option<Spanned<u64>>,
    seed: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEconomy {
    growth: Option<Spanned<RawSeries>>,
    inflation: Option<Spanned<RawSeries>>,
    exchange_rate: Option<Spanned<RawSeries>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    path: Option<Spanned<RawPath>>,
    shock: Option<RawShock>,
}

/// `"imf_weo"`, `"hold"`, a number (constant), or a table `{ 2025 = 0.6, 2030 = 0.5 }`.
enum RawPath {
    Named(String),
    Constant(f64),
    Table(Vec<(Spanned<String>, Spanned<f64>)>),
}

impl<'de> Deserialize<'de> for RawPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PathVisitor;
        impl<'de> Visitor<'de> for PathVisitor {
            type Value = RawPath;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#""imf_weo", "hold", a number, or a table of year = value"#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPath, E> {
                Ok(RawPath::Named(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawPath, E> {
                Ok(RawPath::Constant(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPath, E> {
                Ok(RawPath::Constant(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPath, E> {
                Ok(RawPath::Constant(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPath, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value::<Spanned<f64>>()?));
                }
                Ok(RawPath::Table(entries))
            }
        }
        deserializer.deserialize_any(PathVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShock {
    sd: Option<Spanned<f64>>,
    distribution: Option<Spanned<RawDistribution>>,
    df: Option<Spanned<f64>>,
    ar1: Option<Spanned<f64>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum RawDistribution {
    Normal,
    StudentT,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    rule: Spanned<RawRule>,
    share: Option<Spanned<f64>>,
    by: Option<Spanned<i32>>,
    path: Option<Spanned<RawRamp>>,
    rate: Option<Spanned<f64>>,
    amounts: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    after: Option<RawAfter>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum RawRule {
    HoldShare,
    ShareByYear,
    NominalGrowth,
    Budget,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawRamp {
    Linear,
    ConstantGrowth,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawAfter {
    HoldShare,
    HoldAmount,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    rule: Spanned<RawResponseRule>,
    elasticity: Option<Spanned<f64>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum RawResponseRule {
    None,
    Elasticity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: Option<Spanned<String>>,
    kind: Spanned<RawEventKind>,
    country: Spanned<String>,
    year: Spanned<i32>,
    probability: Spanned<f64>,
    share: Option<Spanned<f64>>,
    by: Option<Spanned<i32>>,
    amount_usd: Option<Spanned<f64>>,
    current_lcu: Option<Spanned<f64>>,
    fraction: Option<Spanned<f64>>,
    replacement_usd: Option<Spanned<f64>>,
    replacement_pct_gdp: Option<Spanned<f64>>,
    note: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum RawEventKind {
    DemandShare,
    DemandHns,
    Withdrawal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranch {
    name: Spanned<String>,
    description: Option<String>,
    probability: Option<Spanned<RawProbability>>,
    from_polls: Option<Spanned<RawPolls>>,
    #[serde(default)]
    events: Vec<Spanned<RawEvent>>,
}

/// A number, or `"remainder"`.
enum RawProbability {
    Number(f64),
    Word(String),
}

impl<'de> Deserialize<'de> for RawProbability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ProbabilityVisitor;
        impl<'de> Visitor<'de> for ProbabilityVisitor {
            type Value = RawProbability;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a probability between 0 and 1, or "remainder""#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawProbability, E> {
                Ok(RawProbability::Word(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawProbability, E> {
                Ok(RawProbability::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawProbability, E> {
                Ok(RawProbability::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawProbability, E> {
                Ok(RawProbability::Number(v as f64))
            }
        }
        deserializer.deserialize_any(ProbabilityVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolls {
    window: Spanned<Vec<Spanned<String>>>,
    weighting: Option<RawWeighting>,
    candidate: Spanned<String>,
    opponent: Spanned<String>,
    polling_error_pp: Option<Spanned<f64>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawWeighting {
    Simple,
    Sample,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: Spanned<String>,
    share: Option<Spanned<f64>>,
    amount_lcu: Option<Spanned<f64>>,
    country: Option<Spanned<String>>,
    note: Option<String>,
}

// ---------------------------------------------------------------------------------------
// The checks.

struct Checker<'a> {
    source: &'a SourceText,
    registry: &'a CountryRegistry,
    first: i32,
    last: i32,
    codes: Vec<String>,
}

type Checked<T> = Result<T, ScenarioError>;

impl Checker<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        self.source.error(Some(span), None, message)
    }

    /// An error about a missing field, placed at the table (or rule) that needs it.
    fn missing(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        // The span is a sibling's (the rule, the kind, the name): drop its last key.
        let sibling = crate::error::field_at(&self.source.text, span.start);
        let parent = sibling.rsplit_once('.').map_or("", |(p, _)| p);
        let field = if parent.is_empty() {
            field.to_string()
        } else {
            format!("{parent}.{field}")
        };
        self.source.error(Some(span), Some(&field), message)
    }

    fn scenario(mut self, raw: RawScenario) -> Checked<Scenario> {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.err(raw.name.span(), "expected a non-empty scenario name"));
        }
        let definition = raw.definition.get_ref().trim().to_string();
        let known = ["sipri", "nato", "wb", "imf_weo"];
        let national = definition
            .strip_prefix("national:")
            .is_some_and(|rest| !rest.is_empty());
        if !known.contains(&definition.as_str()) && !national {
            return Err(self.err(
                raw.definition.span(),
                format!(
                    "unknown definition `{definition}`: expected one of sipri, nato, wb, imf_weo, \
                     or national:<id> (e.g. national:jp-security)"
                ),
            ));
        }

        let years = raw.horizon.get_ref();
        if years.len() != 2 {
            return Err(self.err(
                raw.horizon.span(),
                format!(
                    "expected two years [first, last] (e.g. [2025, 2035]), got {} values",
                    years.len()
                ),
            ));
        }
        let (first, last) = (*years[0].get_ref(), *years[1].get_ref());
        if !(1900..=2200).contains(&first) {
            return Err(self.err(years[0].span(), "expected a year between 1900 and 2200"));
        }
        if last < first {
            return Err(self.err(
                years[1].span(),
                format!("the last year {last} is before the first year {first}"),
            ));
        }
        if last - first + 1 > MAX_HORIZON_YEARS {
            return Err(self.err(
                years[1].span(),
                format!("a horizon of at most {MAX_HORIZON_YEARS} years is supported"),
            ));
        }
        self.first = first;
        self.last = last;
        // Paths start from the year before the horizon: the latest the data can give.
        let base_year = first - 1;

        // Countries first: every later key is checked against this list.
        if raw.countries.get_ref().is_empty() {
            return Err(self.err(raw.countries.span(), "expected at least one country code"));
        }
        let mut country_spans = Vec::new();
        for code in raw.countries.get_ref() {
            let c = self.known_country(code)?;
            if self.codes.contains(&c) {
                return Err(self.err(code.span(), format!("country `{c}` is listed twice")));
            }
            self.codes.push(c);
            country_spans.push(code.span());
        }

        let mut economies = BTreeMap::new();
        for (code, economy) in raw.economy {
            let c = self.listed_country(&code)?;
            economies.insert(c, economy);
        }
        let mut policies = BTreeMap::new();
        for (code, policy) in raw.policy {
            let c = self.listed_country(&code)?;
            policies.insert(c, policy);
        }
        let mut responses = BTreeMap::new();
        for (code, response) in raw.response {
            let c = self.listed_country(&code)?;
            responses.insert(c, response);
        }

        let mut countries = Vec::new();
        for (code, span) in self.codes.clone().into_iter().zip(country_spans) {
            let economy = match economies.remove(&code) {
                Some(e) => self.economy(e)?,
                None => Economy {
                    growth: default_series(span.clone()),
                    inflation: default_series(span.clone()),
                    exchange_rate: default_series(span.clone()),
                },
            };
            let policy = match policies.remove(&code) {
                Some(p) => self.policy(p)?,
                None => Policy::HoldShare,
            };
            let response = match responses.remove(&code) {
                Some(r) => self.response(r)?,
                None => ResponseSpec::None,
            };
            countries.push(CountrySpec {
                code,
                economy,
                policy,
                response,
                span,
            });
        }

        let (paths, seed) = match raw.run {
            None => (None, None),
            Some(run) => {
                let paths = match run.paths {
                    Some(p) if *p.get_ref() == 0 => {
                        return Err(self.err(p.span(), "expected at least 1 path"));
                    }
                    Some(p) => Some(usize::try_from(*p.get_ref()).map_err(|_| {
                        self.err(p.span(), "expected a number of paths this machine can hold")
                    })?),
                    None => None,
                };
                (paths, run.seed)
            }
        };

        let mut event_ids = BTreeSet::new();
        let mut events = Vec::new();
        for (i, e) in raw.events.into_iter().enumerate() {
            events.push(self.event(e, &format!("event-{}", i + 1), &mut event_ids)?);
        }
        let branches = self.branches(raw.branches, &mut event_ids)?;
        let event_count = events.len() + branches.iter().map(|b| b.events.len()).sum::<usize>();
        if event_count > MAX_EVENTS {
            return Err(self.source.unplaced(
                "events",
                format!(
                    "at most {MAX_EVENTS} events are supported in one scenario, found {event_count}"
                ),
            ));
        }
        let targets = self.targets(raw.targets)?;

        Ok(Scenario {
            name,
            title: raw.title,
            description: raw.description,
            first_year: first,
            last_year: last,
            base_year,
            definition,
            countries,
            paths,
            seed,
            events,
            branches,
            targets,
            source: self.source.clone(),
        })
    }

    /// A country code the registry knows.
    fn known_country(&self, code: &Spanned<String>) -> Checked<String> {
        let c = code.get_ref().trim();
        if self.registry.get(c).is_some() {
            return Ok(c.to_string());
        }
        let mut hint = String::new();
        if let Ok(found) = self.registry.resolve(c) {
            hint = format!(" (did you mean {}, {}?)", found.code, found.name);
        } else {
            let suggestions = self.registry.suggest(c);
            if !suggestions.is_empty() {
                hint = format!(" (did you mean {}?)", suggestions.join(", "));
            }
        }
        Err(self.err(
            code.span(),
            format!("unknown country code `{c}`: expected an ISO3 code such as JPN{hint}"),
        ))
    }

    /// A country code that is one of the scenario's `countries`.
    fn listed_country(&self, code: &Spanned<String>) -> Checked<String> {
        let c = self.known_country(code)?;
        if !self.codes.contains(&c) {
            return Err(self.err(
                code.span(),
                format!(
                    "country `{c}` is not in `countries` ({}); add it there first",
                    self.codes.join(", ")
                ),
            ));
        }
        Ok(c)
    }

    fn year(&self, year: &Spanned<i32>) -> Checked<i32> {
        let y = *year.get_ref();
        if y < self.first || y > self.last {
            return Err(self.err(
                year.span(),
                format!(
                    "year {y} is outside the horizon {}–{}",
                    self.first, self.last
                ),
            ));
        }
        Ok(y)
    }

    fn probability(&self, p: &Spanned<f64>) -> Checked<f64> {
        let v = *p.get_ref();
        if !(0.0..=1.0).contains(&v) {
            return Err(self.err(
                p.span(),
                format!("probability {v} is outside 0–1: expected a number from 0 to 1"),
            ));
        }
        Ok(v)
    }

    fn share(&self, s: &Spanned<f64>) -> Checked<f64> {
        let v = *s.get_ref();
        if !(v > 0.0 && v <= 100.0) {
            return Err(self.err(
                s.span(),
                format!(
                    "share {v} is not a percent of GDP: expected a number above 0 and at most 100"
                ),
            ));
        }
        Ok(v)
    }

    fn positive(&self, x: &Spanned<f64>, what: &str) -> Checked<f64> {
        let v = *x.get_ref();
        if !(v > 0.0 && v.is_finite()) {
            return Err(self.err(x.span(), format!("expected {what} above 0, got {v}")));
        }
        Ok(v)
    }

    fn rate(&self, x: &Spanned<f64>) -> Checked<f64> {
        let v = *x.get_ref();
        if !(v > -100.0 && v < 1000.0) {
            return Err(self.err(
                x.span(),
                format!("rate {v}% is not usable: expected a percent above -100 and below 1000"),
            ));
        }
        Ok(v)
    }

    /// A table keyed by year, as (year, value, key span) in year order.
    fn year_table(
        &self,
        entries: Vec<(Spanned<String>, Spanned<f64>)>,
    ) -> Checked<Vec<(i32, Spanned<f64>)>> {
        let mut out: Vec<(i32, Spanned<f64>)> = Vec::new();
        for (key, value) in entries {
            let year: i32 = key.get_ref().trim().parse().map_err(|_| {
                self.err(
                    key.span(),
                    format!("`{}` is not a year: expected keys like 2025", key.get_ref()),
                )
            })?;
            let year = self.year(&Spanned::new(key.span(), year))?;
            out.push((year, value));
        }
        out.sort_by_key(|(y, _)| *y);
        Ok(out)
    }

    fn economy(&self, raw: Spanned<RawEconomy>) -> Checked<Economy> {
        let span = raw.span();
        let raw = raw.into_inner();
        let series = |s: Option<Spanned<RawSeries>>, fx: bool| -> Checked<SeriesSpec> {
            match s {
                Some(s) => self.series(s, fx),
                None => Ok(default_series(span.clone())),
            }
        };
        Ok(Economy {
            growth: series(raw.growth, false)?,
            inflation: series(raw.inflation, false)?,
            exchange_rate: series(raw.exchange_rate, true)?,
        })
    }

    fn series(&self, raw: Spanned<RawSeries>, is_fx: bool) -> Checked<SeriesSpec> {
        let span = raw.span();
        let raw = raw.into_inner();
        let path = match raw.path {
            None => PathSpec::Baseline,
            Some(p) => {
                let p_span = p.span();
                match p.into_inner() {
                    RawPath::Named(n) if n == "imf_weo" => PathSpec::Baseline,
                    RawPath::Named(n) if n == "hold" && is_fx => PathSpec::Hold,
                    RawPath::Named(n) => {
                        let expected = if is_fx {
                            r#""imf_weo", "hold", a number, or a table of year = value"#
                        } else {
                            r#""imf_weo", a number, or a table of year = value"#
                        };
                        return Err(
                            self.err(p_span, format!("unknown path `{n}`: expected {expected}"))
                        );
                    }
                    RawPath::Constant(v) => {
                        self.series_value(&Spanned::new(p_span, v), is_fx)?;
                        PathSpec::Given(vec![v; (self.last - self.first + 1) as usize])
                    }
                    RawPath::Table(entries) => {
                        let table = self.year_table(entries)?;
                        if table.first().map(|(y, _)| *y) != Some(self.first) {
                            return Err(self.err(
                                p_span,
                                format!(
                                    "a path table must start at the horizon's first year {} \
                                     (later years hold the last value given)",
                                    self.first
                                ),
                            ));
                        }
                        let mut values = Vec::new();
                        let mut current = 0.0;
                        let mut next = table.iter().peekable();
                        for year in self.first..=self.last {
                            if let Some((_, v)) = next.next_if(|(y, _)| *y == year) {
                                current = self.series_value(v, is_fx)?;
                            }
                            values.push(current);
                        }
                        PathSpec::Given(values)
                    }
                }
            }
        };
        let shock = match raw.shock {
            None => ShockSpec::default(),
            Some(s) => self.shock(s)?,
        };
        Ok(SeriesSpec { path, shock, span })
    }

    fn series_value(&self, v: &Spanned<f64>, is_fx: bool) -> Checked<f64> {
        if is_fx {
            self.positive(v, "an exchange rate (local currency per US$)")
        } else {
            self.rate(v)
        }
    }

    fn shock(&self, raw: RawShock) -> Checked<ShockSpec> {
        let sd = match raw.sd {
            Some(sd) if !(*sd.get_ref() >= 0.0 && sd.get_ref().is_finite()) => {
                return Err(self.err(
                    sd.span(),
                    format!(
                        "expected a standard deviation of 0 or more, got {}",
                        sd.get_ref()
                    ),
                ));
            }
            Some(sd) => Some(*sd.get_ref()),
            None => None,
        };
        let distribution_span = raw.distribution.as_ref().map(Spanned::span);
        let distribution = match (raw.distribution.map(Spanned::into_inner), raw.df) {
            (Some(RawDistribution::StudentT), Some(df)) => {
                let v = *df.get_ref();
                if !(v > 2.0 && v.is_finite()) {
                    return Err(self.err(
                        df.span(),
                        format!(
                            "expected degrees of freedom above 2 (so the variance exists), got {v}"
                        ),
                    ));
                }
                Distribution::StudentT { df: v }
            }
            (Some(RawDistribution::StudentT), None) => {
                return Err(self.missing(
                    distribution_span.unwrap_or_default(),
                    "df",
                    "distribution \"student_t\" needs `df` (degrees of freedom above 2)",
                ));
            }
            (_, Some(df)) => {
                return Err(self.err(
                    df.span(),
                    "`df` only applies with distribution = \"student_t\"",
                ));
            }
            _ => Distribution::Normal,
        };
        let ar1 = match raw.ar1 {
            Some(r) if !(*r.get_ref() > -1.0 && *r.get_ref() < 1.0) => {
                return Err(self.err(
                    r.span(),
                    format!(
                        "expected an AR(1) persistence strictly between -1 and 1, got {}",
                        r.get_ref()
                    ),
                ));
            }
            Some(r) => *r.get_ref(),
            None => 0.0,
        };
        Ok(ShockSpec {
            sd,
            distribution,
            ar1,
        })
    }

    fn policy(&self, raw: Spanned<RawPolicy>) -> Checked<Policy> {
        let raw = raw.into_inner();
        let rule = *raw.rule.get_ref();
        let rule_span = raw.rule.span();
        let rule_name = match rule {
            RawRule::HoldShare => "hold_share",
            RawRule::ShareByYear => "share_by_year",
            RawRule::NominalGrowth => "nominal_growth",
            RawRule::Budget => "budget",
        };
        // Fields that belong to another rule are mistakes, not silently ignored.
        let allowed: &[&str] = match rule {
            RawRule::HoldShare => &[],
            RawRule::ShareByYear => &["share", "by", "path"],
            RawRule::NominalGrowth => &["rate"],
            RawRule::Budget => &["amounts", "after"],
        };
        let present: [(&str, Option<Range<usize>>); 5] = [
            ("share", raw.share.as_ref().map(Spanned::span)),
            ("by", raw.by.as_ref().map(Spanned::span)),
            ("rate", raw.rate.as_ref().map(Spanned::span)),
            ("amounts", raw.amounts.as_ref().map(Spanned::span)),
            ("path", raw.path.as_ref().map(Spanned::span)),
        ];
        for (field, span) in present {
            if let Some(span) = span
                && !allowed.contains(&field)
            {
                return Err(self.err(
                    span,
                    format!("`{field}` does not apply to rule \"{rule_name}\""),
                ));
            }
        }
        if raw.after.is_some() && rule != RawRule::Budget {
            return Err(self.err(
                rule_span,
                format!("`after` does not apply to rule \"{rule_name}\""),
            ));
        }
        match rule {
            RawRule::HoldShare => Ok(Policy::HoldShare),
            RawRule::ShareByYear => {
                let share = raw.share.as_ref().ok_or_else(|| {
                    self.missing(
                        rule_span.clone(),
                        "share",
                        "rule \"share_by_year\" needs `share` (percent of GDP to reach)",
                    )
                })?;
                let by = raw.by.as_ref().ok_or_else(|| {
                    self.missing(
                        rule_span.clone(),
                        "by",
                        "rule \"share_by_year\" needs `by` (the year to reach it)",
                    )
                })?;
                Ok(Policy::ShareByYear {
                    share: self.share(share)?,
                    by: self.year(by)?,
                    shape: match raw.path.map(Spanned::into_inner) {
                        None | Some(RawRamp::Linear) => RampShape::Linear,
                        Some(RawRamp::ConstantGrowth) => RampShape::ConstantGrowth,
                    },
                })
            }
            RawRule::NominalGrowth => {
                let rate = raw.rate.as_ref().ok_or_else(|| {
                    self.missing(
                        rule_span.clone(),
                        "rate",
                        "rule \"nominal_growth\" needs `rate` (percent a year)",
                    )
                })?;
                Ok(Policy::NominalGrowth {
                    rate: self.rate(rate)?,
                })
            }
            RawRule::Budget => {
                let amounts = raw.amounts.ok_or_else(|| {
                    self.missing(
                        rule_span.clone(),
                        "amounts",
                        "rule \"budget\" needs `amounts` (a table of year = amount in local currency)",
                    )
                })?;
                let span = amounts.span();
                let entries = amounts.into_inner().into_iter().collect();
                let table = self.year_table(entries)?;
                let mut out = Vec::new();
                for (i, (year, amount)) in table.iter().enumerate() {
                    let expected = self.first + i as i32;
                    if *year != expected {
                        return Err(self.err(
                            span,
                            format!(
                                "budget amounts must cover consecutive years from the horizon's \
                                 first year {}: {expected} is missing",
                                self.first
                            ),
                        ));
                    }
                    out.push((*year, self.positive(amount, "a budget amount")?));
                }
                Ok(Policy::Budget {
                    amounts: out,
                    after: match raw.after {
                        None | Some(RawAfter::HoldShare) => AfterBudget::HoldShare,
                        Some(RawAfter::HoldAmount) => AfterBudget::HoldAmount,
                    },
                })
            }
        }
    }

    fn response(&self, raw: Spanned<RawResponse>) -> Checked<ResponseSpec> {
        let raw = raw.into_inner();
        match (*raw.rule.get_ref(), raw.elasticity) {
            (RawResponseRule::None, None) => Ok(ResponseSpec::None),
            (RawResponseRule::None, Some(e)) => {
                Err(self.err(e.span(), "`elasticity` does not apply to rule \"none\""))
            }
            (RawResponseRule::Elasticity, Some(e)) => {
                let v = *e.get_ref();
                if !(0.0..=5.0).contains(&v) {
                    return Err(self.err(
                        e.span(),
                        format!("expected an elasticity from 0 (ignore the US) to 5, got {v}"),
                    ));
                }
                Ok(ResponseSpec::Elasticity(v))
            }
            (RawResponseRule::Elasticity, None) => Err(self.missing(
                raw.rule.span(),
                "elasticity",
                "rule \"elasticity\" needs `elasticity` (0 = ignore the US, 1 = do what is asked)",
            )),
        }
    }

    fn event(
        &self,
        raw: Spanned<RawEvent>,
        default_id: &str,
        ids: &mut BTreeSet<String>,
    ) -> Checked<Event> {
        let raw = raw.into_inner();
        let id = match &raw.id {
            Some(id) if id.get_ref().trim().is_empty() => {
                return Err(self.err(id.span(), "expected a non-empty event id"));
            }
            Some(id) => id.get_ref().trim().to_string(),
            None => default_id.to_string(),
        };
        if !ids.insert(id.clone()) {
            let span = raw.id.as_ref().map_or(raw.kind.span(), Spanned::span);
            return Err(self.err(span, format!("event id `{id}` is used twice")));
        }
        let kind_name = match raw.kind.get_ref() {
            RawEventKind::DemandShare => "demand_share",
            RawEventKind::DemandHns => "demand_hns",
            RawEventKind::Withdrawal => "withdrawal",
        };
        let allowed: &[&str] = match raw.kind.get_ref() {
            RawEventKind::DemandShare => &["share", "by"],
            RawEventKind::DemandHns => &["amount_usd", "current_lcu"],
            RawEventKind::Withdrawal => &["fraction", "replacement_usd", "replacement_pct_gdp"],
        };
        let present = [
            ("share", raw.share.as_ref().map(Spanned::span)),
            ("by", raw.by.as_ref().map(Spanned::span)),
            ("amount_usd", raw.amount_usd.as_ref().map(Spanned::span)),
            ("current_lcu", raw.current_lcu.as_ref().map(Spanned::span)),
            ("fraction", raw.fraction.as_ref().map(Spanned::span)),
            (
                "replacement_usd",
                raw.replacement_usd.as_ref().map(Spanned::span),
            ),
            (
                "replacement_pct_gdp",
                raw.replacement_pct_gdp.as_ref().map(Spanned::span),
            ),
        ];
        for (field, span) in present {
            if let Some(span) = span
                && !allowed.contains(&field)
            {
                return Err(self.err(
                    span,
                    format!("`{field}` does not apply to kind \"{kind_name}\""),
                ));
            }
        }
        let country = self.listed_country(&raw.country)?;
        let year = self.year(&raw.year)?;
        let probability = self.probability(&raw.probability)?;
        let kind_span = raw.kind.span();
        let kind = match raw.kind.get_ref() {
            RawEventKind::DemandShare => {
                let share = raw.share.as_ref().ok_or_else(|| {
                    self.missing(
                        kind_span.clone(),
                        "share",
                        "a \"demand_share\" event needs `share` (percent of GDP demanded)",
                    )
                })?;
                let by = raw.by.as_ref().ok_or_else(|| {
                    self.missing(
                        kind_span.clone(),
                        "by",
                        "a \"demand_share\" event needs `by` (the year it is demanded by)",
                    )
                })?;
                let by_year = self.year(by)?;
                if by_year < year {
                    return Err(self.err(
                        by.span(),
                        format!("`by` ({by_year}) is before the event's `year` ({year})"),
                    ));
                }
                EventKind::DemandShare {
                    share: self.share(share)?,
                    by: by_year,
                }
            }
            RawEventKind::DemandHns => {
                let amount = raw.amount_usd.as_ref().ok_or_else(|| {
                    self.missing(
                        kind_span.clone(),
                        "amount_usd",
                        "a \"demand_hns\" event needs `amount_usd` (US$ a year)",
                    )
                })?;
                EventKind::DemandHns {
                    amount_usd: self.positive(amount, "an amount in US$")?,
                    current_lcu: match &raw.current_lcu {
                        Some(c) => Some(self.positive(c, "the current host-nation support")?),
                        None => None,
                    },
                }
            }
            RawEventKind::Withdrawal => {
                let fraction = match &raw.fraction {
                    Some(f) => {
                        let v = *f.get_ref();
                        if !(v > 0.0 && v <= 1.0) {
                            return Err(self.err(
                                f.span(),
                                format!("expected the fraction of forces withdrawn, above 0 and at most 1, got {v}"),
                            ));
                        }
                        v
                    }
                    None => 1.0,
                };
                let replacement = match (&raw.replacement_usd, &raw.replacement_pct_gdp) {
                    (Some(u), None) => {
                        Replacement::Usd(self.positive(u, "a replacement cost in US$")?)
                    }
                    (None, Some(p)) => Replacement::PctGdp(self.share(p)?),
                    (Some(_), Some(p)) => {
                        return Err(self.err(
                            p.span(),
                            "give either `replacement_usd` or `replacement_pct_gdp`, not both",
                        ));
                    }
                    (None, None) => {
                        return Err(self.missing(
                            kind_span,
                            "replacement_usd",
                            "a \"withdrawal\" event needs `replacement_usd` or `replacement_pct_gdp` \
                             (the yearly cost of replacing what the US forces provided)",
                        ));
                    }
                };
                EventKind::Withdrawal {
                    fraction,
                    replacement,
                }
            }
        };
        Ok(Event {
            id,
            kind,
            country,
            year,
            probability,
            note: raw.note,
        })
    }

    fn branches(
        &self,
        raw: Vec<Spanned<RawBranch>>,
        event_ids: &mut BTreeSet<String>,
    ) -> Checked<Vec<Branch>> {
        if let Some(extra) = raw.get(MAX_BRANCHES) {
            return Err(self.err(
                extra.span(),
                format!("at most {MAX_BRANCHES} branches are supported"),
            ));
        }
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        let mut given_sum = 0.0;
        let mut open = 0; // branches whose probability is not a number yet
        for rb in raw {
            let span = rb.span();
            let rb = rb.into_inner();
            let name = rb.name.get_ref().trim().to_string();
            if name.is_empty() || name.eq_ignore_ascii_case(COMBINED) {
                return Err(self.err(
                    rb.name.span(),
                    format!("expected a branch name other than \"\" and \"{COMBINED}\" (reserved for the mixture)"),
                ));
            }
            if !names.insert(name.clone()) {
                return Err(self.err(
                    rb.name.span(),
                    format!("branch name `{name}` is used twice"),
                ));
            }
            let probability = match (rb.probability, rb.from_polls) {
                (Some(_), Some(polls)) => {
                    return Err(self.err(
                        polls.span(),
                        "give either `probability` or `from_polls`, not both",
                    ));
                }
                (None, None) => {
                    return Err(self.missing(
                        rb.name.span(),
                        "probability",
                        "a branch needs `probability` (0–1 or \"remainder\") or `from_polls`",
                    ));
                }
                (Some(p), None) => {
                    let p_span = p.span();
                    match p.into_inner() {
                        RawProbability::Number(v) => {
                            let v = self.probability(&Spanned::new(p_span, v))?;
                            given_sum += v;
                            BranchProbability::Given(v)
                        }
                        RawProbability::Word(w) if w == "remainder" => {
                            if out
                                .iter()
                                .any(|b: &Branch| b.probability == BranchProbability::Remainder)
                            {
                                return Err(
                                    self.err(p_span, "only one branch may take the \"remainder\"")
                                );
                            }
                            open += 1;
                            BranchProbability::Remainder
                        }
                        RawProbability::Word(w) => {
                            return Err(self.err(
                                p_span,
                                format!(r#"unknown probability `{w}`: expected a number from 0 to 1 or "remainder""#),
                            ));
                        }
                    }
                }
                (None, Some(polls)) => {
                    open += 1;
                    BranchProbability::FromPolls(self.polls(polls)?)
                }
            };
            let mut events = Vec::new();
            for (i, e) in rb.events.into_iter().enumerate() {
                let default_id = format!("{name}-event-{}", i + 1);
                events.push(self.event(e, &default_id, event_ids)?);
            }
            out.push(Branch {
                name,
                description: rb.description,
                probability,
                events,
                span,
            });
        }
        if let Some(last) = out.last() {
            let span = out[0].span.start..last.span.end;
            if open == 0 && (given_sum - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                return Err(self.source.error(
                    Some(span),
                    Some("branches"),
                    format!("branch probabilities sum to {given_sum}, expected 1"),
                ));
            }
            if open > 0 && given_sum > 1.0 + PROBABILITY_SUM_TOLERANCE {
                return Err(self.source.error(
                    Some(span),
                    Some("branches"),
                    format!("the given branch probabilities already sum to {given_sum}, above 1"),
                ));
            }
        }
        Ok(out)
    }

    fn polls(&self, raw: Spanned<RawPolls>) -> Checked<PollSpec> {
        let raw = raw.into_inner();
        let window = raw.window.get_ref();
        if window.len() != 2 {
            return Err(self.err(
                raw.window.span(),
                "expected two dates [\"YYYY-MM-DD\", \"YYYY-MM-DD\"] (first and last poll end date)",
            ));
        }
        for d in window {
            if !is_date(d.get_ref()) {
                return Err(self.err(
                    d.span(),
                    format!("`{}` is not a date: expected \"YYYY-MM-DD\"", d.get_ref()),
                ));
            }
        }
        let (from, to) = (window[0].get_ref().clone(), window[1].get_ref().clone());
        if to < from {
            return Err(self.err(
                window[1].span(),
                format!("the window ends ({to}) before it starts ({from})"),
            ));
        }
        for name in [&raw.candidate, &raw.opponent] {
            if name.get_ref().trim().is_empty() {
                return Err(self.err(
                    name.span(),
                    "expected a candidate's name as the polls spell it",
                ));
            }
        }
        let polling_error_pp = match &raw.polling_error_pp {
            Some(s) => Some(self.positive(s, "a polling error in percentage points")?),
            None => None,
        };
        Ok(PollSpec {
            window: (from, to),
            weighting: match raw.weighting {
                None | Some(RawWeighting::Simple) => PollWeighting::Simple,
                Some(RawWeighting::Sample) => PollWeighting::Sample,
            },
            candidate: raw.candidate.get_ref().trim().to_string(),
            opponent: raw.opponent.get_ref().trim().to_string(),
            polling_error_pp,
        })
    }

    fn targets(&self, raw: Vec<Spanned<RawTarget>>) -> Checked<Vec<TargetSpec>> {
        let mut ids = BTreeSet::new();
        let mut out = Vec::new();
        for rt in raw {
            let span = rt.span();
            let rt = rt.into_inner();
            let id = rt.id.get_ref().trim().to_string();
            if id.is_empty() {
                return Err(self.err(rt.id.span(), "expected a non-empty target id"));
            }
            if !ids.insert(id.to_lowercase()) {
                return Err(self.err(rt.id.span(), format!("target id `{id}` is used twice")));
            }
            let country = match &rt.country {
                Some(c) => Some(self.listed_country(c)?),
                None => None,
            };
            let kind = match (&rt.share, &rt.amount_lcu) {
                (Some(_), Some(a)) => {
                    return Err(self.err(a.span(), "give either `share` or `amount_lcu`, not both"));
                }
                (Some(s), None) => TargetKind::Share(self.share(s)?),
                (None, Some(a)) => {
                    TargetKind::AmountLcu(self.positive(a, "an amount in local currency")?)
                }
                (None, None) => TargetKind::Registry,
            };
            let country = match (kind, country) {
                (TargetKind::AmountLcu(_), None) if self.codes.len() == 1 => {
                    Some(self.codes[0].clone())
                }
                (TargetKind::AmountLcu(_), None) => {
                    return Err(self.missing(
                        rt.id.span(),
                        "country",
                        "an `amount_lcu` target needs `country` (whose currency the amount is in)",
                    ));
                }
                (_, c) => c,
            };
            out.push(TargetSpec {
                id,
                kind,
                country,
                note: rt.note,
                span,
            });
        }
        Ok(out)
    }
}

fn default_series(span: Range<usize>) -> SeriesSpec {
    SeriesSpec {
        path: PathSpec::Baseline,
        shock: ShockSpec::default(),
        span,
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        parts[0].parse::<u32>(),
        parts[1].parse::<u32>(),
        parts[2].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}
