//! Checking published numeric claims against the dataset: "Japan's defense budget
//! represented only 1.1 percent of its GDP" (The Diplomat, 2024, citing SIPRI's April
//! 2023 fact sheet).
//!
//! A claims file is TOML, one `[[claim]]` table per claim:
//!
//! ```toml
//! [[claim]]
//! id = "japan-2022"                        # optional; defaults to claim-N
//! quote = "Japan's defense budget represented only 1.1 percent of its GDP"
//! country = "Japan"                        # a code or a name
//! measure = "milex_gdp"
//! year = 2022
//! value = 1.1                              # as stated
//! decimals = 1                             # the rounding it was stated with
//! source = "SIPRI"                         # the publisher cited
//! vintage = "SIPRI fact sheet, April 2023" # the release cited, in words
//! released = "2023-04"                     # optional: the cited release's date, YYYY[-MM[-DD]]
//! # optional: definition (default: the cited publisher's, e.g. sipri), year_basis
//! # (default calendar), scale (1e9 when the value is in billions)
//! ```
//!
//! `kind = "target"` claims a spending target (`alliance` or `country`, `value` in % of
//! GDP, optional `by_year`, `year_basis`, `target` id) and is checked against the targets
//! registry; `kind = "date"` claims when something happened (`event`, `date`) and is
//! checked only where a registry holds the date (`target`: when it was agreed).
//!
//! Verdicts, for a value claim:
//! - `matches`: the current value of the cited definition rounds to the claim at its
//!   stated precision (or, failing that, another definition's current value does: the
//!   verdict says which);
//! - `revised`: the current value does not round to it, but a figure the cited release
//!   printed does (`data/earlier_figures.csv`): both are shown;
//! - `contradicted`: the dataset has figures for the cell and none supports the claim;
//! - `not checkable`: no figure for the cell (the explanation says what is missing).
//!
//! Rounding is half away from zero at the claim's decimals, as a fact sheet prints:
//! 1.08 supports "1.1", 1.01 does not.

use std::ops::Range;

use fairshare_dataset::{Dataset, EarlierFigure, Flags, Measure, Target, YearBasis};
use serde::Deserialize;
use toml::Spanned;

/// A claims file that cannot be read: where, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsFileError {
    pub line: usize,
    pub column: usize,
    /// The field at fault, where it can be named.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ClaimsFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, ", field '{field}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ClaimsFileError {}

/// What a claim says.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimKind {
    /// A value of a measure for a country and year.
    Value {
        country: String,
        measure: Measure,
        year: i32,
        year_basis: YearBasis,
        definition: String,
    },
    /// A spending target: its threshold (percent of GDP) and year.
    Target {
        target: Option<String>,
        alliance: Option<String>,
        country: Option<String>,
        by_year: Option<i32>,
        year_basis: Option<YearBasis>,
    },
    /// When something happened.
    Date {
        event: String,
        date: String,
        target: Option<String>,
    },
}

/// One claim, read and checked for vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    /// Line of its `[[claim]]` header.
    pub line: usize,
    pub quote: String,
    pub kind: ClaimKind,
    /// As stated (1.1 for "1.1 percent"; 46.0 with scale 1e9 for "$46.0 billion").
    pub value: Option<f64>,
    pub decimals: i32,
    /// What the stated value is in (1 for percent and full units, 1e9 for billions).
    pub scale: f64,
    /// The publisher and release cited.
    pub source: String,
    pub vintage: String,
    pub released: Option<String>,
}

impl Claim {
    /// The stated value in full units.
    pub fn full_value(&self) -> Option<f64> {
        self.value.map(|v| v * self.scale)
    }

    /// True if `value` (full units), rounded as the claim was, equals the claim.
    pub fn supported_by(&self, value: f64) -> bool {
        self.value
            .is_some_and(|c| crate::rounding::rounds_to(value / self.scale, c, self.decimals))
    }
}

/// The four verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Matches,
    Revised,
    Contradicted,
    NotCheckable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Matches => "matches",
            Verdict::Revised => "revised",
            Verdict::Contradicted => "contradicted",
            Verdict::NotCheckable => "not checkable",
        }
    }
}

/// A current figure the check compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub value: f64,
    pub definition: String,
    pub source: String,
    pub vintage: String,
    pub flags: Flags,
}

/// The outcome for one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub claim: Claim,
    pub verdict: Verdict,
    /// The current figure the verdict rests on (the cited definition's, or the one that
    /// supports the claim).
    pub current: Option<Found>,
    /// The earlier figure shown beside it (the cited release's, where registered).
    pub earlier: Option<EarlierFigure>,
    /// The registered target compared with, for a target or date claim.
    pub target: Option<Target>,
    /// One sentence saying why.
    pub explanation: String,
}

/// The TOML shape of a file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    claim: Vec<Spanned<ClaimShape>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimShape {
    id: Option<String>,
    kind: Option<Spanned<String>>,
    quote: Option<String>,
    country: Option<Spanned<String>>,
    alliance: Option<Spanned<String>>,
    measure: Option<Spanned<String>>,
    year: Option<Spanned<i32>>,
    year_basis: Option<Spanned<String>>,
    definition: Option<Spanned<String>>,
    value: Option<Spanned<f64>>,
    decimals: Option<Spanned<i32>>,
    scale: Option<Spanned<f64>>,
    source: Option<String>,
    vintage: Option<String>,
    released: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    by_year: Option<i32>,
    event: Option<String>,
    date: Option<Spanned<String>>,
}

/// Line and column (1-based) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// The key on the line of `offset` (`value = "x"` -> `value`), to name a field that the
/// TOML reader's message does not.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

/// Parse a claims file, checking its vocabulary (countries, measures, definitions,
/// targets) against the dataset.
pub fn parse_claims(text: &str, ds: &Dataset) -> Result<Vec<Claim>, ClaimsFileError> {
    let at = |span: Range<usize>, field: Option<&str>, message: String| {
        let (line, column) = position(text, span.start);
        ClaimsFileError {
            line,
            column,
            field: field.map(str::to_string),
            message,
        }
    };
    let file: FileShape = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        // "missing field `value`" names its field; other messages name the key on the line.
        let field = message
            .split('`')
            .nth(1)
            .filter(|_| message.contains("field"))
            .map(str::to_string)
            .or_else(|| key_on_line(text, span.start));
        at(span, field.as_deref(), message)
    })?;
    if file.claim.is_empty() {
        return Err(ClaimsFileError {
            line: 1,
            column: 1,
            field: None,
            message: "no [[claim]] tables".to_string(),
        });
    }
    let mut out = Vec::new();
    for (n, spanned) in file.claim.into_iter().enumerate() {
        let span = spanned.span();
        let c = spanned.into_inner();
        let (line, _) = position(text, span.start);
        let missing = |field: &str| {
            at(
                span.clone(),
                Some(field),
                format!("claim {} has no {field}", n + 1),
            )
        };
        let term = |s: &Spanned<String>, field: &str, e: String| at(s.span(), Some(field), e);
        let kind = c
            .kind
            .as_ref()
            .map(|k| k.get_ref().to_ascii_lowercase())
            .unwrap_or_else(|| "value".to_string());
        let country = match &c.country {
            Some(s) => Some(
                ds.countries()
                    .resolve(s.get_ref())
                    .map_err(|e| term(s, "country", e.to_string()))?
                    .code
                    .clone(),
            ),
            None => None,
        };
        let year_basis = match &c.year_basis {
            Some(s) => Some(
                s.get_ref()
                    .parse::<YearBasis>()
                    .map_err(|e| term(s, "year_basis", e.to_string()))?,
            ),
            None => None,
        };
        let target = match &c.target {
            Some(s) => Some(
                ds.commitments()
                    .target(s.get_ref())
                    .map_err(|e| term(s, "target", e.to_string()))?
                    .id
                    .clone(),
            ),
            None => None,
        };
        let decimals = match &c.decimals {
            Some(d) if (0..=12).contains(d.get_ref()) => *d.get_ref(),
            Some(d) => {
                return Err(at(
                    d.span(),
                    Some("decimals"),
                    format!("decimals {} is not 0-12", d.get_ref()),
                ));
            }
            None if kind == "date" => 0,
            None => return Err(missing("decimals")),
        };
        let scale = match &c.scale {
            Some(s) if *s.get_ref() > 0.0 && s.get_ref().is_finite() => *s.get_ref(),
            Some(s) => {
                return Err(at(
                    s.span(),
                    Some("scale"),
                    "scale must be a positive number (1e9 for billions)".to_string(),
                ));
            }
            None => 1.0,
        };
        if let Some(r) = &c.released {
            let ok = r.get_ref().len() >= 4
                && r.get_ref()
                    .get(..4)
                    .is_some_and(|y| y.parse::<i32>().is_ok())
                && r.get_ref()
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '-');
            if !ok {
                return Err(term(
                    r,
                    "released",
                    format!("released '{}' is not a date like 2023-04", r.get_ref()),
                ));
            }
        }
        if let Some(v) = &c.value
            && !v.get_ref().is_finite()
        {
            return Err(at(
                v.span(),
                Some("value"),
                format!("value {} is not a number a source could print", v.get_ref()),
            ));
        }
        let value = c.value.as_ref().map(|v| *v.get_ref());
        let claim_kind = match kind.as_str() {
            "value" => {
                let country = country.ok_or_else(|| missing("country"))?;
                let m = c.measure.as_ref().ok_or_else(|| missing("measure"))?;
                let measure: Measure =
                    m.get_ref()
                        .parse()
                        .map_err(|e: fairshare_dataset::model::UnknownTerm| {
                            term(m, "measure", e.to_string())
                        })?;
                let year = *c.year.as_ref().ok_or_else(|| missing("year"))?.get_ref();
                if value.is_none() {
                    return Err(missing("value"));
                }
                let definition = match &c.definition {
                    Some(d) => ds
                        .resolve_definition(d.get_ref())
                        .map_err(|e| term(d, "definition", e.to_string()))?
                        .id
                        .clone(),
                    None => {
                        let cited = c.source.as_deref().unwrap_or("").trim();
                        definition_of_publisher(ds, cited).ok_or_else(|| {
                            at(
                                span.clone(),
                                Some("definition"),
                                format!(
                                    "claim {} cites '{cited}', which is not a definition \
                                     fairshare knows; add definition = \"sipri\" (or nato, \
                                     wb, imf_weo, national:...)",
                                    n + 1
                                ),
                            )
                        })?
                    }
                };
                ClaimKind::Value {
                    country,
                    measure,
                    year,
                    year_basis: year_basis.unwrap_or(YearBasis::Calendar),
                    definition,
                }
            }
            "target" => {
                if value.is_none() {
                    return Err(missing("value"));
                }
                let alliance = match &c.alliance {
                    Some(a) => Some(
                        ds.commitments()
                            .alliance(a.get_ref())
                            .map_err(|e| term(a, "alliance", e.to_string()))?
                            .id
                            .clone(),
                    ),
                    None => None,
                };
                if alliance.is_none() && country.is_none() && target.is_none() {
                    return Err(missing("alliance, country or target"));
                }
                ClaimKind::Target {
                    target,
                    alliance,
                    country,
                    by_year: c.by_year,
                    year_basis,
                }
            }
            "date" => {
                let date = c.date.as_ref().ok_or_else(|| missing("date"))?;
                ClaimKind::Date {
                    event: c.event.clone().ok_or_else(|| missing("event"))?,
                    date: date.get_ref().clone(),
                    target,
                }
            }
            other => {
                let k = c
                    .kind
                    .as_ref()
                    .expect("a kind other than the default was given");
                return Err(term(
                    k,
                    "kind",
                    format!("kind '{other}' is not value, target or date"),
                ));
            }
        };
        out.push(Claim {
            id: c.id.unwrap_or_else(|| format!("claim-{}", n + 1)),
            line,
            quote: c.quote.unwrap_or_default(),
            kind: claim_kind,
            value,
            decimals,
            scale,
            source: c.source.unwrap_or_default(),
            vintage: c.vintage.unwrap_or_default(),
            released: c.released.map(|r| r.into_inner()),
        });
    }
    Ok(out)
}

/// The definition a publisher's name stands for ("SIPRI" -> `sipri`, "IMF" ->
/// `imf_weo`, "World Bank" -> `wb`), if the dataset has it.
fn definition_of_publisher(ds: &Dataset, cited: &str) -> Option<String> {
    let lower = cited.to_ascii_lowercase();
    let id = if lower.starts_with("sipri") {
        "sipri"
    } else if lower.starts_with("nato") {
        "nato"
    } else if lower.starts_with("imf") {
        "imf_weo"
    } else if lower.starts_with("world bank") || lower == "wb" {
        "wb"
    } else {
        cited
    };
    ds.resolve_definition(id).ok().map(|d| d.id.clone())
}

/// Check every claim.
pub fn check_claims(ds: &Dataset, claims: &[Claim]) -> Vec<Check> {
    claims.iter().map(|c| check_claim(ds, c)).collect()
}

/// Check one claim.
pub fn check_claim(ds: &Dataset, claim: &Claim) -> Check {
    match &claim.kind {
        ClaimKind::Value {
            country,
            measure,
            year,
            year_basis,
            definition,
        } => check_value(ds, claim, country, *measure, *year, *year_basis, definition),
        ClaimKind::Target {
            target,
            alliance,
            country,
            by_year,
            year_basis,
        } => check_target(
            ds,
            claim,
            target.as_deref(),
            alliance.as_deref(),
            country.as_deref(),
            *by_year,
            *year_basis,
        ),
        ClaimKind::Date {
            event,
            date,
            target,
        } => check_date(ds, claim, event, date, target.as_deref()),
    }
}

fn stated(claim: &Claim) -> String {
    match claim.value {
        Some(v) => format!("{v:.*}", claim.decimals.max(0) as usize),
        None => String::new(),
    }
}

/// A value in the claim's units, to a few more decimals than it was stated with.
fn shown(claim: &Claim, value: f64) -> String {
    format!(
        "{:.*}",
        (claim.decimals + 2).max(0) as usize,
        value / claim.scale
    )
}

#[allow(clippy::too_many_arguments)]
fn check_value(
    ds: &Dataset,
    claim: &Claim,
    country: &str,
    measure: Measure,
    year: i32,
    basis: YearBasis,
    definition: &str,
) -> Check {
    let found = |o: fairshare_dataset::Obs| -> Option<Found> {
        Some(Found {
            value: o.value()?,
            definition: o.definition().to_string(),
            source: o.source_id().to_string(),
            vintage: o.vintage().to_string(),
            flags: o.flags(),
        })
    };
    let current = ds
        .get(country, measure, definition, basis, year)
        .and_then(found);
    // The cited publisher's earlier releases for this cell; the cited one if named.
    let earlier: Vec<&EarlierFigure> = ds
        .commitments()
        .earlier_figures
        .iter()
        .filter(|f| f.is_for(country, measure, definition, basis, year))
        .filter(|f| {
            claim
                .released
                .as_deref()
                .is_none_or(|r| f.release.starts_with(r))
        })
        .collect();
    let supporting_earlier = earlier
        .iter()
        .find(|f| claim.supported_by(f.value))
        .copied();
    let cell = format!("{country} {measure} {year} ({definition})");
    let check = |verdict, current: Option<Found>, earlier: Option<&EarlierFigure>, text| Check {
        claim: claim.clone(),
        verdict,
        current,
        earlier: earlier.cloned(),
        target: None,
        explanation: text,
    };

    if let Some(cur) = &current
        && claim.supported_by(cur.value)
    {
        let text = format!(
            "{} {} gives {}, which rounds to the claimed {}",
            cur.source,
            cur.vintage,
            shown(claim, cur.value),
            stated(claim)
        );
        return check(Verdict::Matches, current, supporting_earlier, text);
    }
    if let Some(f) = supporting_earlier {
        let text = match &current {
            Some(cur) => format!(
                "{} ({}) printed {}, which rounds to the claimed {}; the current {} ({}) gives \
                 {}: revised",
                f.vintage,
                f.release,
                shown(claim, f.value),
                stated(claim),
                cur.vintage,
                cur.source,
                shown(claim, cur.value)
            ),
            None => format!(
                "{} ({}) printed {}, as claimed, but fairshare has no current figure for {cell}",
                f.vintage,
                f.release,
                shown(claim, f.value)
            ),
        };
        let verdict = if current.is_some() {
            Verdict::Revised
        } else {
            Verdict::NotCheckable
        };
        return check(verdict, current, Some(f), text);
    }
    // Another definition's current figure.
    let others: Vec<Found> = ds
        .explain(country, measure, year)
        .observations
        .into_iter()
        .filter(|o| o.year_basis() == basis && o.definition() != definition)
        .filter_map(found)
        .collect();
    if let Some(other) = others.iter().find(|o| claim.supported_by(o.value)) {
        let text = format!(
            "the cited {definition} figure does not support it{}, but {} ({} {}) gives {}, \
             which rounds to the claimed {}",
            current
                .as_ref()
                .map(|c| format!(" ({})", shown(claim, c.value)))
                .unwrap_or_default(),
            other.definition,
            other.source,
            other.vintage,
            shown(claim, other.value),
            stated(claim)
        );
        return check(Verdict::Matches, Some(other.clone()), None, text);
    }
    let cited_earlier = earlier.first().copied();
    match (&current, cited_earlier, others.first()) {
        (None, None, None) => check(
            Verdict::NotCheckable,
            None,
            None,
            format!("fairshare has no figure for {cell}, current or earlier"),
        ),
        _ => {
            let mut parts = Vec::new();
            if let Some(c) = &current {
                parts.push(format!(
                    "{} {} gives {}",
                    c.source,
                    c.vintage,
                    shown(claim, c.value)
                ));
            }
            if let Some(f) = cited_earlier {
                parts.push(format!(
                    "{} ({}) printed {}",
                    f.vintage,
                    f.release,
                    shown(claim, f.value)
                ));
            }
            for o in &others {
                parts.push(format!("{} gives {}", o.definition, shown(claim, o.value)));
            }
            check(
                Verdict::Contradicted,
                current.clone(),
                cited_earlier,
                format!(
                    "no release or definition supports {}: {}",
                    stated(claim),
                    parts.join("; ")
                ),
            )
        }
    }
}

fn check_target(
    ds: &Dataset,
    claim: &Claim,
    target: Option<&str>,
    alliance: Option<&str>,
    country: Option<&str>,
    by_year: Option<i32>,
    basis: Option<YearBasis>,
) -> Check {
    let targets = &ds.commitments().targets;
    let candidates: Vec<&Target> = match target {
        Some(id) => targets.iter().filter(|t| t.id == id).collect(),
        None => targets
            .iter()
            .filter(|t| t.measure == Some(Measure::MilexGdp))
            .filter(|t| {
                alliance.is_some_and(|a| t.alliance.eq_ignore_ascii_case(a))
                    || country.is_some_and(|c| t.country == c)
            })
            .collect(),
    };
    let fits = |t: &Target| {
        claim.supported_by(t.threshold)
            && by_year.is_none_or(|y| t.by_year == y)
            && basis.is_none_or(|b| t.year_basis == b)
    };
    let describe = |t: &Target| {
        format!(
            "{} ({}%, by {}{})",
            t.id,
            t.threshold,
            if t.year_basis == YearBasis::Calendar {
                String::new()
            } else {
                "FY".to_string()
            },
            t.by_year
        )
    };
    let whose = alliance.or(country).or(target).unwrap_or("");
    let base = Check {
        claim: claim.clone(),
        verdict: Verdict::NotCheckable,
        current: None,
        earlier: None,
        target: None,
        explanation: String::new(),
    };
    if let Some(t) = candidates.iter().find(|t| fits(t)) {
        return Check {
            verdict: Verdict::Matches,
            target: Some((*t).clone()),
            explanation: format!(
                "the targets registry holds {}: {}; agreed {} (source {})",
                describe(t),
                t.name,
                t.agreed,
                t.source
            ),
            ..base
        };
    }
    if candidates.is_empty() {
        return Check {
            explanation: format!("the targets registry has no share-of-GDP target for {whose}"),
            ..base
        };
    }
    Check {
        verdict: Verdict::Contradicted,
        target: Some(candidates[0].clone()),
        explanation: format!(
            "the targets registry's targets for {whose} are {}; none is {}%{}",
            candidates
                .iter()
                .map(|t| describe(t))
                .collect::<Vec<_>>()
                .join(", "),
            stated(claim),
            by_year.map(|y| format!(" by {y}")).unwrap_or_default()
        ),
        ..base
    }
}

fn check_date(ds: &Dataset, claim: &Claim, event: &str, date: &str, target: Option<&str>) -> Check {
    let base = Check {
        claim: claim.clone(),
        verdict: Verdict::NotCheckable,
        current: None,
        earlier: None,
        target: None,
        explanation: format!(
            "fairshare's registries do not date this event ({event}); only the dates targets \
             were agreed can be checked"
        ),
    };
    let Some(t) = target.and_then(|id| ds.commitments().targets.iter().find(|t| t.id == id)) else {
        return base;
    };
    let verdict = if t.agreed.starts_with(date) {
        Verdict::Matches
    } else {
        Verdict::Contradicted
    };
    Check {
        verdict,
        target: Some(t.clone()),
        explanation: format!("the targets registry dates {} to {}", t.id, t.agreed),
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn parse(text: &str) -> Result<Vec<Claim>, ClaimsFileError> {
        parse_claims(text, &fixture::dataset())
    }

    fn verdict_of(text: &str) -> Check {
        let ds = fixture::dataset();
        let claims = parse_claims(text, &ds).unwrap();
        check_claim(&ds, &claims[0])
    }

    fn value_claim(country: &str, year: i32, value: f64, decimals: i32, extra: &str) -> String {
        format!(
            "[[claim]]\ncountry = \"{country}\"\nmeasure = \"milex_gdp\"\nyear = {year}\n\
             value = {value:?}\ndecimals = {decimals}\nsource = \"SIPRI\"\n{extra}"
        )
    }

    #[test]
    fn each_verdict_on_fixture_claims() {
        // SIPRI's current Japan 2024 is 1.0: "1.0%" matches.
        let c = verdict_of(&value_claim("Japan", 2024, 1.0, 1, ""));
        assert_eq!(c.verdict, Verdict::Matches, "{}", c.explanation);
        assert_eq!(c.current.as_ref().unwrap().value, 1.0);
        // Japan 2023 is 0.8 now; the fixture's earlier release printed 0.87 -> "0.9%".
        let c = verdict_of(&value_claim(
            "JPN",
            2023,
            0.9,
            1,
            "released = \"2023-04\"\n",
        ));
        assert_eq!(c.verdict, Verdict::Revised, "{}", c.explanation);
        assert_eq!(c.earlier.as_ref().unwrap().value, 0.87);
        assert_eq!(
            c.explanation,
            "SIPRI 2023 (2023-04-24) printed 0.870, which rounds to the claimed 0.9; the current \
             SIPRI test (sipri) gives 0.800: revised"
        );
        // "1.2%" for 2023: neither the current figure nor the earlier release says it.
        let c = verdict_of(&value_claim("JPN", 2023, 1.2, 1, ""));
        assert_eq!(c.verdict, Verdict::Contradicted);
        assert!(
            c.explanation
                .starts_with("no release or definition supports 1.2: sipri SIPRI test gives 0.800"),
            "{}",
            c.explanation
        );
        // No figure at all.
        let c = verdict_of(&value_claim("Iceland", 2024, 0.1, 1, ""));
        assert_eq!(c.verdict, Verdict::NotCheckable);
        // Another definition supports it: NATO's 2.12 for Germany rounds to 2.1.
        let c = verdict_of(&value_claim("DEU", 2024, 2.1, 1, ""));
        assert_eq!(c.verdict, Verdict::Matches);
        assert_eq!(c.current.as_ref().unwrap().definition, "nato");
        assert!(
            c.explanation
                .contains("cited sipri figure does not support it (1.900)")
        );
        // A cited release that is not the registered one does not make it revised.
        let c = verdict_of(&value_claim(
            "JPN",
            2023,
            0.9,
            1,
            "released = \"2022-04\"\n",
        ));
        assert_eq!(c.verdict, Verdict::Contradicted);
    }

    #[test]
    fn rounding_follows_the_stated_decimals_and_scale() {
        // 1.9977 rounds to "2.0" at one decimal but not to "2" at ... well, "2" too;
        // at two decimals it is "2.00" only from 1.995.
        let c = verdict_of(&value_claim("SWE", 2024, 2.0, 1, ""));
        assert_eq!(c.verdict, Verdict::Matches);
        let c = verdict_of(&value_claim("SWE", 2024, 1.99, 2, ""));
        assert_eq!(c.verdict, Verdict::Contradicted);
        // US$ in billions: Germany's $90 bn as "90 billion".
        let c = verdict_of(
            "[[claim]]\ncountry = \"Germany\"\nmeasure = \"milex_usd_current\"\nyear = 2024\n\
             value = 90.0\ndecimals = 0\nscale = 1e9\nsource = \"SIPRI\"\n",
        );
        assert_eq!(c.verdict, Verdict::Matches, "{}", c.explanation);
    }

    #[test]
    fn target_and_date_claims_use_the_targets_registry() {
        let nato = verdict_of(
            "[[claim]]\nkind = \"target\"\nalliance = \"NATO\"\nvalue = 2\ndecimals = 0\n",
        );
        assert_eq!(nato.verdict, Verdict::Matches, "{}", nato.explanation);
        assert_eq!(nato.target.as_ref().unwrap().id, "nato-2pct");
        let japan = verdict_of(
            "[[claim]]\nkind = \"target\"\ncountry = \"Japan\"\nvalue = 2\ndecimals = 0\n\
             by_year = 2027\nyear_basis = \"fy_apr\"\n",
        );
        assert_eq!(japan.verdict, Verdict::Matches);
        assert_eq!(japan.target.as_ref().unwrap().id, "japan-2pct-fy2027");
        let wrong = verdict_of(
            "[[claim]]\nkind = \"target\"\ncountry = \"Japan\"\nvalue = 2\ndecimals = 0\n\
             by_year = 2028\n",
        );
        assert_eq!(wrong.verdict, Verdict::Contradicted);
        assert_eq!(
            wrong.explanation,
            "the targets registry's targets for JPN are japan-2pct-fy2027 (2%, by FY2027); none \
             is 2% by 2028"
        );
        let none = verdict_of(
            "[[claim]]\nkind = \"target\"\ncountry = \"South Korea\"\nvalue = 3\ndecimals = 0\n",
        );
        assert_eq!(none.verdict, Verdict::NotCheckable);
        let date = verdict_of(
            "[[claim]]\nkind = \"date\"\nevent = \"Wales summit\"\ndate = \"2014-09\"\n\
             target = \"nato-2pct\"\n",
        );
        assert_eq!(date.verdict, Verdict::Matches);
        let date = verdict_of(
            "[[claim]]\nkind = \"date\"\nevent = \"Abe assassinated\"\ndate = \"2022-07\"\n",
        );
        assert_eq!(date.verdict, Verdict::NotCheckable);
    }

    #[test]
    fn fuzz_regression_released_with_a_multibyte_char_is_an_error_not_a_panic() {
        // fuzz/claims_parse found `released = "202\u{fffd}-04"`, sliced inside a character.
        let text = value_claim("Japan", 2022, 1.1, 1, "released = \"202\u{fffd}-04\"\n");
        let ds = fixture::dataset();
        let err = parse_claims(&text, &ds).unwrap_err().to_string();
        assert!(err.contains("is not a date like 2023-04"), "{err}");
    }

    #[test]
    fn malformed_files_name_line_column_and_field() {
        let err = |t: &str| parse(t).unwrap_err().to_string();
        let good = value_claim("Japan", 2024, 1.0, 1, "");
        assert!(parse(&good).is_ok());
        assert_eq!(
            err(&good.replace("value = 1.0", "value = \"one\"")),
            "line 5, column 9, field 'value': invalid type: string \"one\", expected f64"
        );
        assert_eq!(
            err(&good.replace("decimals = 1\n", "")),
            "line 1, column 1, field 'decimals': claim 1 has no decimals"
        );
        assert_eq!(
            err(&good.replace("\"milex_gdp\"", "\"milex_pct\"")),
            format!(
                "line 3, column 11, field 'measure': unknown measure 'milex_pct': valid ones are {}",
                Measure::valid_list()
            )
        );
        assert!(
            err(&good.replace("\"Japan\"", "\"Japn\""))
                .starts_with("line 2, column 11, field 'country': unknown country 'Japn'"),
        );
        assert!(
            err(&good.replace("decimals", "decimal"))
                .starts_with("line 6, column 1, field 'decimal': unknown field `decimal`"),
            "{}",
            err(&good.replace("decimals", "decimal"))
        );
        assert!(err("[[claim]\n").starts_with("line 1, column "));
        assert_eq!(err("# nothing\n"), "line 1, column 1: no [[claim]] tables");
        assert!(
            err(&good.replace("source = \"SIPRI\"", "source = \"Blog\""))
                .contains("field 'definition': claim 1 cites 'Blog'")
        );
        assert!(
            err(&format!("{good}released = \"April 2023\"\n"))
                .starts_with("line 8, column 12, field 'released'")
        );
    }
}
