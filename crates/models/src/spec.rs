//! Specifications of the demand-for-military-expenditure regression: a small TOML file a
//! person can read and edit (`models/*.toml`), turned into a checked [`DemandSpec`].
//!
//! ```toml
//! name = "demand-nato-us-allies-1990"
//! description = "NATO members and US treaty allies, 1990-2024"
//!
//! [sample]
//! alliances = ["NATO", "US-treaty-allies"]  # countries: members (and partners) each year
//! from = 1990
//! to = 2024
//! exclude = []                             # countries to leave out
//! allies = "registry"                      # whose spending is SPILL: "registry" or "atop"
//!
//! [model]
//! dependent = "ln_milex"
//! regressors = ["ln_gdp", "ln_spill", "ln_threat"]
//! lagged_dependent = true
//! year_effects = false
//! covariance = "clustered"                 # "clustered", "conventional", "driscoll-kraay"
//!
//! [rivals]
//! default = ["RUS"]
//! JPN = ["CHN", "RUS", "PRK"]
//! ```
//!
//! Variables ([`VARIABLES`]): `ln_milex` (log military expenditure, SIPRI, constant 2023
//! US$), `ln_gdp` (log real GDP, constant local currency), `ln_spill` (log of the allies'
//! summed military expenditure, the country itself excluded) and `ln_threat` (log of the
//! named rivals' summed military expenditure); see [`crate::data`] for how each is built.
//!
//! `allies = "registry"` takes allies from fairshare's alliances (those in `alliances`);
//! `"atop"` from every ATOP defence pact the country was in (1949–2016, so `to` must be
//! 2016 or earlier). Rivals are listed per country (ISO3 or a name the dataset knows);
//! `default` applies to every country not listed.
//!
//! Errors name the file, the line and column, and the field: a syntax error, an unknown
//! field or variable, a bad covariance, a reversed year range. Errors that need the data
//! (an unknown alliance or rival, too few observations, perfect collinearity) are raised by
//! [`crate::data::assemble_panel`] and [`SpecError::at`] with the same form.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use crate::panel::{Covariance, PanelSpec};

/// The variables a specification can use.
pub const VARIABLES: [&str; 4] = ["ln_milex", "ln_gdp", "ln_spill", "ln_threat"];

/// A specification that cannot be used, with where in the file the problem is.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct SpecError {
    /// The file as the user named it (or `built-in <name>`).
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The field the problem is in (`model.regressors`, `rivals.JPN`), or `syntax`.
    pub field: String,
    pub message: String,
}

/// Whose spending counts as a country's spill-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllySource {
    /// The alliances of `sample.alliances` (fairshare's registries): NATO members are
    /// each other's allies; in an alliance with a partner (US-treaty-allies) each member
    /// is allied with the partner and the partner with every member.
    Registry,
    /// Every ATOP defence pact the country was in that year (data to 2016).
    Atop,
}

impl AllySource {
    pub fn as_str(self) -> &'static str {
        match self {
            AllySource::Registry => "registry",
            AllySource::Atop => "atop",
        }
    }
}

/// Where each part of the specification is in its file, for errors found later.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spans {
    pub alliances: Vec<Range<usize>>,
    pub from: Range<usize>,
    pub to: Range<usize>,
    pub exclude: Vec<Range<usize>>,
    pub regressors: Range<usize>,
    pub rivals: BTreeMap<String, (Range<usize>, Vec<Range<usize>>)>,
    pub rivals_table: Range<usize>,
}

/// A checked specification.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandSpec {
    pub name: String,
    pub description: String,
    /// Registry alliances whose members (and partners) form the sample, as written.
    pub alliances: Vec<String>,
    pub from: i32,
    pub to: i32,
    pub exclude: Vec<String>,
    pub allies: AllySource,
    pub dependent: String,
    pub regressors: Vec<String>,
    pub lagged_dependent: bool,
    pub year_effects: bool,
    pub covariance: Covariance,
    /// Rivals by country code as written (`default` for everyone else).
    pub rivals: BTreeMap<String, Vec<String>>,
    /// The file name for messages.
    pub file: String,
    /// The file's text (for line numbers of errors raised later).
    pub text: String,
    pub spans: Spans,
}

impl DemandSpec {
    /// The regression itself.
    pub fn panel_spec(&self) -> PanelSpec {
        let regressors: Vec<&str> = self.regressors.iter().map(String::as_str).collect();
        PanelSpec::new(&self.dependent, &regressors)
            .lagged_dependent(self.lagged_dependent)
            .year_effects(self.year_effects)
            .covariance(self.covariance)
            .group_label("country")
    }

    /// Whether a variable enters the regression (as dependent or regressor).
    pub fn uses(&self, variable: &str) -> bool {
        self.dependent == variable || self.regressors.iter().any(|r| r == variable)
    }

    /// The rivals of a country as written: its own list, else `default`.
    pub fn rivals_of(&self, country: &str) -> Option<(&str, &[String])> {
        self.rivals
            .get_key_value(country)
            .or_else(|| self.rivals.get_key_value("default"))
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// An error at a span of this file.
    pub fn error_at(
        &self,
        span: &Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> SpecError {
        SpecError::at(&self.file, &self.text, span, field, message)
    }

    /// The specification in words, for summaries.
    pub fn describe(&self) -> String {
        format!(
            "{} of {} members{}, {}-{}; allies from {}",
            self.name,
            self.alliances.join(" and "),
            if self.exclude.is_empty() {
                String::new()
            } else {
                format!(" except {}", self.exclude.join(", "))
            },
            self.from,
            self.to,
            match self.allies {
                AllySource::Registry => "fairshare's alliance registries",
                AllySource::Atop => "ATOP defence pacts",
            }
        )
    }
}

impl SpecError {
    /// An error at byte range `span` of `text` (line and column count from 1).
    pub fn at(
        file: &str,
        text: &str,
        span: &Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> SpecError {
        let start = span.start.min(text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        SpecError {
            file: file.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    sample: RawSample,
    model: RawModel,
    #[serde(default)]
    rivals: Option<Spanned<RawRivals>>,
}

/// `[rivals]`: country (or `default`) -> rival codes, with their spans.
type RawRivals = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSample {
    alliances: Spanned<Vec<Spanned<String>>>,
    from: Spanned<i64>,
    to: Spanned<i64>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    allies: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    dependent: Spanned<String>,
    regressors: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "yes")]
    lagged_dependent: bool,
    #[serde(default)]
    year_effects: bool,
    covariance: Option<Spanned<String>>,
    bandwidth: Option<Spanned<i64>>,
}

fn yes() -> bool {
    true
}

/// Parse and check a specification; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<DemandSpec, SpecError> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        // toml's message can span lines (it quotes the source); the first line says it.
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string();
        SpecError::at(file, text, &span, &field_of(&message), message)
    })?;
    let err = |span: &Range<usize>, field: &str, message: String| {
        SpecError::at(file, text, span, field, message)
    };

    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(err(
            &raw.name.span(),
            "name",
            "the specification needs a name".into(),
        ));
    }
    let mut spans = Spans::default();
    let alliances: Vec<String> = raw
        .sample
        .alliances
        .get_ref()
        .iter()
        .map(|a| {
            spans.alliances.push(a.span());
            a.get_ref().trim().to_string()
        })
        .collect();
    if alliances.is_empty() {
        return Err(err(
            &raw.sample.alliances.span(),
            "sample.alliances",
            "give at least one alliance (e.g. [\"NATO\"])".into(),
        ));
    }
    let year = |v: &Spanned<i64>, field: &str| -> Result<i32, SpecError> {
        i32::try_from(*v.get_ref())
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| err(&v.span(), field, format!("{} is not a year", v.get_ref())))
    };
    let from = year(&raw.sample.from, "sample.from")?;
    let to = year(&raw.sample.to, "sample.to")?;
    spans.from = raw.sample.from.span();
    spans.to = raw.sample.to.span();
    if from > to {
        return Err(err(
            &spans.to,
            "sample.to",
            format!("to {to} is before from {from}: the range is reversed"),
        ));
    }
    let exclude: Vec<String> = raw
        .sample
        .exclude
        .iter()
        .map(|c| {
            spans.exclude.push(c.span());
            c.get_ref().trim().to_string()
        })
        .collect();
    let allies = match &raw.sample.allies {
        None => AllySource::Registry,
        Some(a) => match a.get_ref().as_str() {
            "registry" => AllySource::Registry,
            "atop" => AllySource::Atop,
            other => {
                return Err(err(
                    &a.span(),
                    "sample.allies",
                    format!("'{other}' is not an ally source: use \"registry\" or \"atop\""),
                ));
            }
        },
    };

    let variable = |v: &Spanned<String>, field: &str| -> Result<String, SpecError> {
        let name = v.get_ref().trim();
        if VARIABLES.contains(&name) {
            Ok(name.to_string())
        } else {
            Err(err(
                &v.span(),
                field,
                format!(
                    "unknown variable '{name}': the variables are {}",
                    VARIABLES.join(", ")
                ),
            ))
        }
    };
    let dependent = variable(&raw.model.dependent, "model.dependent")?;
    let mut regressors: Vec<String> = Vec::new();
    for r in raw.model.regressors.get_ref() {
        let name = variable(r, "model.regressors")?;
        if name == dependent {
            return Err(err(
                &r.span(),
                "model.regressors",
                format!(
                    "'{name}' is the dependent variable; with lagged_dependent = true its lag is a regressor already"
                ),
            ));
        }
        if regressors.contains(&name) {
            return Err(err(
                &r.span(),
                "model.regressors",
                format!("'{name}' is listed twice"),
            ));
        }
        regressors.push(name);
    }
    spans.regressors = raw.model.regressors.span();
    if regressors.is_empty() && !raw.model.lagged_dependent {
        return Err(err(
            &spans.regressors,
            "model.regressors",
            "nothing to estimate: give a regressor or set lagged_dependent = true".into(),
        ));
    }
    let bandwidth = match &raw.model.bandwidth {
        None => None,
        Some(b) => Some(usize::try_from(*b.get_ref()).map_err(|_| {
            err(
                &b.span(),
                "model.bandwidth",
                format!("{} is not a number of years", b.get_ref()),
            )
        })?),
    };
    let covariance = match &raw.model.covariance {
        None => Covariance::ClusteredByGroup,
        Some(c) => match c.get_ref().as_str() {
            "clustered" => Covariance::ClusteredByGroup,
            "conventional" => Covariance::Conventional,
            "driscoll-kraay" => Covariance::DriscollKraay { bandwidth },
            other => {
                return Err(err(
                    &c.span(),
                    "model.covariance",
                    format!(
                        "'{other}' is not a covariance: use \"clustered\" (by country), \
                         \"conventional\" or \"driscoll-kraay\""
                    ),
                ));
            }
        },
    };
    if let (Some(b), false) = (
        &raw.model.bandwidth,
        matches!(covariance, Covariance::DriscollKraay { .. }),
    ) {
        return Err(err(
            &b.span(),
            "model.bandwidth",
            "a bandwidth applies to covariance = \"driscoll-kraay\" only".into(),
        ));
    }

    let mut rivals = BTreeMap::new();
    if let Some(table) = &raw.rivals {
        spans.rivals_table = table.span();
        for (country, list) in table.get_ref() {
            let key = country.get_ref().trim().to_string();
            let codes: Vec<String> = list
                .iter()
                .map(|r| r.get_ref().trim().to_string())
                .collect();
            spans.rivals.insert(
                key.clone(),
                (country.span(), list.iter().map(|r| r.span()).collect()),
            );
            rivals.insert(key, codes);
        }
    }
    if dependent == "ln_threat" || regressors.iter().any(|r| r == "ln_threat") {
        if rivals.is_empty() {
            return Err(err(
                &spans.regressors,
                "rivals",
                "ln_threat needs a [rivals] table: a list per country (and a default)".into(),
            ));
        }
        if let Some((country, list)) = rivals.iter().find(|(_, l)| l.is_empty()) {
            let span = spans.rivals[country].0.clone();
            let _ = list;
            return Err(err(
                &span,
                &format!("rivals.{country}"),
                "an empty rival list: name at least one rival".into(),
            ));
        }
    }

    Ok(DemandSpec {
        name,
        description: raw.description.trim().to_string(),
        alliances,
        from,
        to,
        exclude,
        allies,
        dependent,
        regressors,
        lagged_dependent: raw.model.lagged_dependent,
        year_effects: raw.model.year_effects,
        covariance,
        rivals,
        file: file.to_string(),
        text: text.to_string(),
        spans,
    })
}

/// The field a toml or serde message is about, where it says (`unknown field `foo``).
fn field_of(message: &str) -> String {
    for marker in ["unknown field `", "missing field `", "duplicate key `"] {
        if let Some(rest) = message.split(marker).nth(1)
            && let Some(name) = rest.split('`').next()
        {
            return name.to_string();
        }
    }
    "syntax".to_string()
}

impl fmt::Display for AllySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The specifications shipped with fairshare (`models/*.toml`), by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "demand-nato-us-allies-1990",
        include_str!("../../../models/demand-nato-us-allies-1990.toml"),
    ),
    (
        "demand-atop-1990-2016",
        include_str!("../../../models/demand-atop-1990-2016.toml"),
    ),
];

/// The default specification of `fairshare model fit`.
pub const DEFAULT_SPEC: &str = "demand-nato-us-allies-1990";

/// A built-in specification by name, parsed (file name `models/<name>.toml`).
pub fn builtin(name: &str) -> Option<Result<DemandSpec, SpecError>> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| parse(&format!("models/{n}.toml"), text))
}
