//! `data check`: the guard rails on a dataset directory.
//!
//! Works on the [`RawDataset`] (what the files say), so every fault is reported with
//! its file and row instead of stopping at the first. Errors make the check fail;
//! warnings are faults with a known explanation (a documented GDP revision).
//!
//! The consistency check compares SIPRI's share of GDP with SIPRI's own local-currency
//! spending divided by GDP in local currency from the World Bank or the IMF. SIPRI
//! computes its share from IMF GDP of the vintage it had; later GDP revisions move
//! the ratio, so the check allows 5% (relative) and accepts the closer of the two GDP
//! sources.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::dataset::RawDataset;
use crate::model::{Flag, Measure, Observation, YearBasis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One fault found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// Short id of the check: `duplicate-key`, `share-range`, ...
    pub check: &'static str,
    /// Where: "observations/x.csv row 12", or a registry file.
    pub location: String,
    pub message: String,
}

/// What the check found, and what it looked at.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub observations: usize,
    /// Cells compared by the SIPRI share-versus-ratio check.
    pub consistency_compared: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// A GDP revision that explains a gap between SIPRI's share and a later GDP vintage.
struct KnownRevision {
    country: &'static str,
    from_year: i32,
    why: &'static str,
}

/// Documented GDP revisions: the gap is reported as a warning, not an error.
const KNOWN_REVISIONS: &[KnownRevision] = &[KnownRevision {
    country: "KOR",
    from_year: 2000,
    why: "Bank of Korea's 2024 benchmark revision of GDP (base year 2020) raised nominal GDP; \
          SIPRI's 2025 share and the IMF's April 2025 GDP sit on different vintages",
}];

/// Published shares above 100% that are real, not a unit error.
const KNOWN_SHARES_ABOVE_100: &[(&str, i32, &str)] = &[(
    "KWT",
    1991,
    "Kuwait's war-related spending in 1991 (including its contributions toward the Gulf War \
     coalition), in a year its GDP collapsed after the Iraqi invasion",
)];

/// Largest relative gap tolerated between SIPRI's share and spending ÷ GDP.
pub const CONSISTENCY_TOLERANCE: f64 = 0.05;

/// Check a dataset directory: its manifest (truncated or edited files) and its contents.
pub fn check_dir(dir: &std::path::Path) -> Result<Report, crate::DatasetError> {
    let problems = crate::dataset::verify_manifest(dir)?;
    let raw = RawDataset::read_dir_unverified(dir)?;
    let mut report = check(&raw);
    let manifest: Vec<Finding> = problems
        .into_iter()
        .map(|p| Finding {
            severity: Severity::Error,
            check: "manifest",
            location: crate::dataset::files::MANIFEST.to_string(),
            message: p,
        })
        .collect();
    report.findings.splice(0..0, manifest);
    Ok(report)
}

pub fn check(raw: &RawDataset) -> Report {
    let mut findings = Vec::new();
    let at = |i: usize| raw.origin_of(i);

    // Registry-level: every definition used is registered; every source has its fields.
    let definitions: HashSet<&str> = raw.definitions.iter().map(|d| d.id.as_str()).collect();
    for s in raw.sources.all() {
        for (field, value) in [
            ("publisher", &s.publisher),
            ("vintage", &s.vintage),
            ("licence", &s.licence),
            ("citation", &s.citation),
        ] {
            if value.trim().is_empty() {
                findings.push(Finding {
                    severity: Severity::Error,
                    check: "source-field",
                    location: "sources.csv".into(),
                    message: format!("source {} has no {field}", s.id),
                });
            }
        }
    }

    let mut keys: HashMap<_, usize> = HashMap::new();
    let notes: HashSet<(&str, &str)> = raw
        .notes
        .iter()
        .map(|n| (n.source.as_str(), n.key.as_str()))
        .collect();
    let mut unknown_defs: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, o) in raw.observations.iter().enumerate() {
        if let Some(first) = keys.insert(o.key(), i) {
            findings.push(Finding {
                severity: Severity::Error,
                check: "duplicate-key",
                location: at(i),
                message: format!("duplicate observation {} (first at {})", o.key(), at(first)),
            });
        }
        if raw.countries.get(&o.country).is_none() {
            findings.push(Finding {
                severity: Severity::Error,
                check: "unknown-country",
                location: at(i),
                message: format!("country code '{}' is not in countries.csv", o.country),
            });
        }
        if !o.measure.allowed_units().contains(&o.unit) {
            findings.push(Finding {
                severity: Severity::Error,
                check: "unit",
                location: at(i),
                message: format!(
                    "unit {} does not belong to measure {} (allowed: {})",
                    o.unit,
                    o.measure,
                    o.measure
                        .allowed_units()
                        .iter()
                        .map(|u| u.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        match raw.sources.get(&o.source) {
            None => findings.push(Finding {
                severity: Severity::Error,
                check: "unknown-source",
                location: at(i),
                message: format!("source '{}' is not in sources.csv", o.source),
            }),
            Some(s) if s.vintage != o.vintage => findings.push(Finding {
                severity: Severity::Error,
                check: "vintage",
                location: at(i),
                message: format!(
                    "vintage '{}' differs from source {}'s vintage '{}'",
                    o.vintage, s.id, s.vintage
                ),
            }),
            Some(_) => {}
        }
        if !definitions.contains(o.definition.as_str()) {
            *unknown_defs.entry(o.definition.as_str()).or_default() += 1;
            if unknown_defs[o.definition.as_str()] == 1 {
                findings.push(Finding {
                    severity: Severity::Error,
                    check: "unknown-definition",
                    location: at(i),
                    message: format!("definition '{}' is not in definitions.csv", o.definition),
                });
            }
        }
        match o.value {
            Some(v) if !v.is_finite() => findings.push(Finding {
                severity: Severity::Error,
                check: "value",
                location: at(i),
                message: format!("value {v} is not a finite number"),
            }),
            Some(v) if o.measure.is_share() && !(0.0..=100.0).contains(&v) => {
                let known = KNOWN_SHARES_ABOVE_100
                    .iter()
                    .find(|(c, y, _)| *c == o.country && *y == o.year && v > 100.0);
                findings.push(Finding {
                    severity: if known.is_some() { Severity::Warning } else { Severity::Error },
                    check: "share-range",
                    location: at(i),
                    message: match known {
                        Some((_, _, why)) => format!(
                            "{} {} {} = {v}: above 100 percent as published — explained: {why}",
                            o.country, o.measure, o.year
                        ),
                        None => format!(
                            "{} {} {} = {v}: a share must lie between 0 and 100 percent (a fraction read as a percent, or the reverse?)",
                            o.country, o.measure, o.year
                        ),
                    },
                })
            }
            None if !o.flags.contains(Flag::NoData) && !o.flags.contains(Flag::NotIndependent) => {
                findings.push(Finding {
                    severity: Severity::Error,
                    check: "missing-reason",
                    location: at(i),
                    message: format!(
                        "{} {} {} has no value and no reason (flag no_data or not_independent)",
                        o.country, o.measure, o.year
                    ),
                })
            }
            _ => {}
        }
        for key in o.notes.split(';').filter(|k| !k.is_empty()) {
            if !notes.contains(&(o.source.as_str(), key)) {
                findings.push(Finding {
                    severity: Severity::Warning,
                    check: "note",
                    location: at(i),
                    message: format!("note '{key}' of source {} is not in notes.csv", o.source),
                });
            }
        }
    }

    commitments(raw, &mut findings);
    let consistency_compared = consistency(raw, &mut findings);
    Report {
        findings,
        observations: raw.observations.len(),
        consistency_compared,
    }
}

/// The alliances, memberships, targets and plans: every row cites a registered source
/// and its page, names known countries, alliances and definitions, and is internally
/// consistent (years in order, a threshold that is a percentage, one name per target).
fn commitments(raw: &RawDataset, findings: &mut Vec<Finding>) {
    use crate::commitments::files;
    let c = &raw.commitments;
    let mut error = |check: &'static str, file: &str, message: String| {
        findings.push(Finding {
            severity: Severity::Error,
            check,
            location: file.to_string(),
            message,
        })
    };
    let defined = |id: &str| raw.definitions.iter().any(|d| d.id == id);
    let mut cites = |file: &str, what: &str, source: &str, url: &str| {
        if raw.sources.get(source).is_none() {
            error(
                "registry-source",
                file,
                format!("{what} cites source '{source}', which is not in sources.csv"),
            );
        }
        if url.trim().is_empty() {
            error(
                "registry-source",
                file,
                format!("{what} has no source_url (the page it was compiled from)"),
            );
        }
    };
    for a in &c.alliances {
        cites(
            files::ALLIANCES,
            &format!("alliance {}", a.id),
            &a.source,
            &a.source_url,
        );
    }
    for m in &c.memberships {
        let what = format!(
            "membership {} {} from {}",
            m.alliance, m.country, m.from_year
        );
        cites(files::MEMBERSHIPS, &what, &m.source, &m.source_url);
    }
    for t in &c.targets {
        cites(
            files::TARGETS,
            &format!("target {}", t.id),
            &t.source,
            &t.source_url,
        );
    }
    for p in &c.plans {
        cites(
            files::PLANS,
            &format!("plan {}", p.id),
            &p.source,
            &p.source_url,
        );
    }

    let country = |code: &str| raw.countries.get(code).is_some();
    for a in &c.alliances {
        if !a.partner.is_empty() && !country(&a.partner) {
            error(
                "registry-country",
                files::ALLIANCES,
                format!(
                    "alliance {}: partner '{}' is not in countries.csv",
                    a.id, a.partner
                ),
            );
        }
    }
    for (i, m) in c.memberships.iter().enumerate() {
        let what = format!(
            "membership {} {} from {}",
            m.alliance, m.country, m.from_year
        );
        let alliance = c.alliances.iter().find(|a| a.id == m.alliance);
        match alliance {
            None => error(
                "membership",
                files::MEMBERSHIPS,
                format!("{what}: alliance '{}' is not in alliances.csv", m.alliance),
            ),
            Some(a) if a.partner == m.country => error(
                "membership",
                files::MEMBERSHIPS,
                format!(
                    "{what}: {} is the partner of {}, not one of its members",
                    m.country, a.id
                ),
            ),
            Some(_) => {}
        }
        if !country(&m.country) {
            error(
                "registry-country",
                files::MEMBERSHIPS,
                format!("{what}: country '{}' is not in countries.csv", m.country),
            );
        }
        if let Some(to) = m.to_year
            && to < m.from_year
        {
            error(
                "membership",
                files::MEMBERSHIPS,
                format!("{what}: ends in {to}, before it starts"),
            );
        }
        if let Some(s) = m.suspended_from
            && (s < m.from_year || m.to_year.is_some_and(|t| s > t))
        {
            error(
                "membership",
                files::MEMBERSHIPS,
                format!("{what}: suspended_from {s} lies outside the membership's years"),
            );
        }
        let overlaps = c.memberships[..i].iter().find(|o| {
            o.alliance == m.alliance
                && o.country == m.country
                && o.from_year <= m.to_year.unwrap_or(i32::MAX)
                && m.from_year <= o.to_year.unwrap_or(i32::MAX)
        });
        if let Some(o) = overlaps {
            error(
                "membership",
                files::MEMBERSHIPS,
                format!("{what}: overlaps the row from {}", o.from_year),
            );
        }
    }

    if let Err(e) = crate::targets::check_unique(&c.targets) {
        error("target", files::TARGETS, e.to_string());
    }
    for t in &c.targets {
        let what = format!("target {}", t.id);
        if !(0.0..=100.0).contains(&t.threshold) {
            error(
                "target",
                files::TARGETS,
                format!(
                    "{what}: threshold {} is not a percentage between 0 and 100",
                    t.threshold
                ),
            );
        }
        if let Some(m) = t.measure
            && !m.allowed_units().contains(&t.unit)
        {
            error(
                "target",
                files::TARGETS,
                format!("{what}: unit {} does not belong to measure {m}", t.unit),
            );
        }
        if !defined(&t.definition) {
            error(
                "target",
                files::TARGETS,
                format!(
                    "{what}: definition '{}' is not in definitions.csv",
                    t.definition
                ),
            );
        }
        if !t.country.is_empty() && !country(&t.country) {
            error(
                "registry-country",
                files::TARGETS,
                format!("{what}: country '{}' is not in countries.csv", t.country),
            );
        }
        if !t.alliance.is_empty() && !c.alliances.iter().any(|a| a.id == t.alliance) {
            error(
                "target",
                files::TARGETS,
                format!("{what}: alliance '{}' is not in alliances.csv", t.alliance),
            );
        }
        if t.fixed_gdp_lcu.is_some_and(|g| g <= 0.0 || !g.is_finite()) {
            error(
                "target",
                files::TARGETS,
                format!("{what}: fixed_gdp_lcu must be positive"),
            );
        }
    }
    for p in &c.plans {
        let what = format!("plan {}", p.id);
        if !country(&p.country) {
            error(
                "registry-country",
                files::PLANS,
                format!("{what}: country '{}' is not in countries.csv", p.country),
            );
        }
        if p.to_year < p.from_year {
            error(
                "plan",
                files::PLANS,
                format!("{what}: ends in {}, before it starts", p.to_year),
            );
        }
        if !p.measure.allowed_units().contains(&p.unit) {
            error(
                "plan",
                files::PLANS,
                format!(
                    "{what}: unit {} does not belong to measure {}",
                    p.unit, p.measure
                ),
            );
        }
        if !defined(&p.definition) {
            error(
                "plan",
                files::PLANS,
                format!(
                    "{what}: definition '{}' is not in definitions.csv",
                    p.definition
                ),
            );
        }
        if !(p.amount.is_finite() && p.amount > 0.0) {
            error(
                "plan",
                files::PLANS,
                format!("{what}: amount {} is not positive", p.amount),
            );
        }
    }
}

/// One cell where SIPRI's share and spending ÷ GDP disagree beyond the tolerance.
struct Gap<'a> {
    index: usize,
    country: &'a str,
    year: i32,
    share: f64,
    ratio: f64,
    gdp_source: &'a str,
    /// SIPRI marks the share or the spending as an estimate or uncertain.
    sipri_flagged: bool,
    /// The two GDP sources we hold differ from each other beyond the tolerance.
    gdp_sources_disagree: Option<f64>,
}

impl Gap<'_> {
    /// How much larger SIPRI's share is than spending ÷ our GDP: SIPRI's GDP is ours ÷ this.
    fn factor(&self) -> f64 {
        self.share / self.ratio
    }
}

/// US treaty allies outside NATO (the alliance registry's members; NATO members are
/// taken from NATO's own tables in the dataset).
const US_TREATY_ALLIES: &[&str] = &["JPN", "KOR", "AUS", "NZL", "PHL", "THA", "USA"];

/// First year in which an unexplained gap is an error: from 1990, national accounts of
/// these countries are on SNA 1993/2008 bases that SIPRI's and our GDP vintages share.
const CORE_FROM_YEAR: i32 = 1990;

/// Years of one country over which the factor stays within this of the run's median
/// count as one GDP level revision.
const LEVEL_REVISION_SPREAD: f64 = 0.02;
const LEVEL_REVISION_MIN_YEARS: usize = 2;

/// SIPRI's share of GDP against SIPRI local-currency spending ÷ GDP in local currency.
///
/// A gap beyond 5% is an error unless one of these explains it (then a warning that
/// says which):
/// - a documented revision in [`KNOWN_REVISIONS`];
/// - a GDP level revision: the gap is the same factor (within 2%) for two or more
///   consecutive years, and the factor lies between 0.5 and 2 — the signature of a
///   rebased GDP series (SIPRI divided by one vintage, we hold another). A unit error
///   in ingest (a fraction read as a percent, millions as units) gives a power of ten;
///   a fiscal-year misread gives a factor that drifts with growth; neither passes;
/// - SIPRI itself marks the share or the spending as an estimate or uncertain;
/// - the World Bank's and the IMF's GDP for the cell differ from each other by more
///   than the tolerance, so there is no settled GDP to test against;
/// - the cell is outside the scope where the comparison is a test of our ingest:
///   errors are raised for NATO members and US treaty allies from 1990, the cells
///   targets, gaps and scenarios read; elsewhere SIPRI's GDP often comes from national
///   sources or vintages fairshare does not hold.
fn consistency(raw: &RawDataset, findings: &mut Vec<Finding>) -> usize {
    let calendar = |o: &&Observation| o.year_basis == YearBasis::Calendar && o.value.is_some();
    let mut spending: HashMap<(&str, i32), (f64, bool)> = HashMap::new();
    let mut gdp: HashMap<(&str, i32), Vec<(&str, f64)>> = HashMap::new();
    let mut shares: Vec<(usize, &Observation)> = Vec::new();
    let uncertain =
        |o: &Observation| o.flags.contains(Flag::Estimate) || o.flags.contains(Flag::Uncertain);
    for (i, o) in raw
        .observations
        .iter()
        .enumerate()
        .filter(|(_, o)| calendar(o))
    {
        let v = o.value.unwrap_or_default();
        match (o.measure, o.definition.as_str()) {
            (Measure::MilexLcu, "sipri") if o.source.starts_with("sipri") => {
                spending.insert((o.country.as_str(), o.year), (v, uncertain(o)));
            }
            (Measure::MilexGdp, "sipri") if o.source.starts_with("sipri") => shares.push((i, o)),
            (Measure::GdpLcu, "wb" | "imf_weo") if !o.flags.contains(Flag::Projection) => {
                gdp.entry((o.country.as_str(), o.year))
                    .or_default()
                    .push((o.source.as_str(), v));
            }
            _ => {}
        }
    }
    // The countries whose shares fairshare's targets, gaps and scenarios read: NATO
    // members (every country in NATO's tables) and the US treaty allies in Asia-Pacific.
    let mut core: HashSet<&str> = US_TREATY_ALLIES.iter().copied().collect();
    core.extend(
        raw.observations
            .iter()
            .filter(|o| o.definition == "nato")
            .map(|o| o.country.as_str()),
    );
    // And every member or partner in the alliance registries (the list above is the
    // fallback for a dataset built without them).
    core.extend(
        raw.commitments
            .memberships
            .iter()
            .map(|m| m.country.as_str()),
    );
    core.extend(
        raw.commitments
            .alliances
            .iter()
            .map(|a| a.partner.as_str())
            .filter(|p| !p.is_empty()),
    );
    let mut compared = 0;
    let mut gaps: Vec<Gap> = Vec::new();
    for (i, share) in shares {
        let key = (share.country.as_str(), share.year);
        let (Some(&(m, m_flagged)), Some(gdps)) = (spending.get(&key), gdp.get(&key)) else {
            continue;
        };
        let s = share.value.unwrap_or_default();
        if s <= 0.0 || m <= 0.0 {
            continue;
        }
        compared += 1;
        // The closer GDP source decides: SIPRI used one vintage, we hold two.
        let positive: Vec<(&str, f64)> = gdps.iter().copied().filter(|(_, g)| *g > 0.0).collect();
        let best = positive
            .iter()
            .map(|(src, g)| (*src, m / g * 100.0))
            .min_by(|a, b| ((a.1 - s).abs()).total_cmp(&(b.1 - s).abs()));
        let Some((src, ratio)) = best else { continue };
        if ratio <= 0.0 || (ratio - s).abs() / s <= CONSISTENCY_TOLERANCE {
            continue;
        }
        let gdp_sources_disagree = match positive.as_slice() {
            [(_, a), (_, b)] => {
                let d = (a - b).abs() / a.min(*b);
                (d > CONSISTENCY_TOLERANCE).then_some(d)
            }
            _ => None,
        };
        gaps.push(Gap {
            index: i,
            country: key.0,
            year: key.1,
            share: s,
            ratio,
            gdp_source: src,
            sipri_flagged: m_flagged || uncertain(share),
            gdp_sources_disagree,
        });
    }
    gaps.sort_by(|a, b| (a.country, a.year).cmp(&(b.country, b.year)));
    let level_runs = level_revision_runs(&gaps);
    for (g, run) in gaps.iter().zip(level_runs) {
        let known = KNOWN_REVISIONS
            .iter()
            .find(|k| k.country == g.country && g.year >= k.from_year);
        let explanation = if let Some(k) = known {
            Some(k.why.to_string())
        } else if let Some((from, to, factor)) = run {
            Some(format!(
                "a GDP level revision: over {from}-{to} SIPRI's share implies a GDP {:.1}% {} ours, a constant factor (rebased national accounts between SIPRI's GDP vintage and ours)",
                (1.0 / factor - 1.0).abs() * 100.0,
                if factor > 1.0 { "below" } else { "above" }
            ))
        } else if g.sipri_flagged {
            Some("SIPRI marks this share or spending as an estimate or uncertain".to_string())
        } else {
            g.gdp_sources_disagree.map(|d| {
                format!(
                    "the World Bank's and the IMF's GDP for this year differ from each other by {:.1}%",
                    d * 100.0
                )
            })
        };
        let in_scope = core.contains(g.country) && g.year >= CORE_FROM_YEAR;
        let explanation = explanation.or_else(|| {
            (!in_scope).then(|| {
                "outside the error scope (NATO members and US treaty allies from 1990): SIPRI's GDP for this country and year comes from a source or vintage fairshare does not hold".to_string()
            })
        });
        let gap = (g.ratio - g.share).abs() / g.share;
        findings.push(Finding {
            severity: if explanation.is_some() {
                Severity::Warning
            } else {
                Severity::Error
            },
            check: "sipri-share-vs-ratio",
            location: raw.origin_of(g.index),
            message: format!(
                "{} {}: SIPRI share {:.3}% vs SIPRI spending / GDP ({}) {:.3}% differ by {:.1}%{}",
                g.country,
                g.year,
                g.share,
                g.gdp_source,
                g.ratio,
                gap * 100.0,
                explanation
                    .map(|e| format!(" — explained: {e}"))
                    .unwrap_or_default()
            ),
        });
    }
    compared
}

/// For each gap (sorted by country and year), the run of consecutive years it belongs
/// to whose factor is constant within [`LEVEL_REVISION_SPREAD`], if the run is long
/// enough and the factor plausible for a GDP revision.
fn level_revision_runs(gaps: &[Gap]) -> Vec<Option<(i32, i32, f64)>> {
    let mut out = vec![None; gaps.len()];
    let mut start = 0;
    while start < gaps.len() {
        let anchor = gaps[start].factor();
        let mut end = start + 1;
        while end < gaps.len()
            && gaps[end].country == gaps[start].country
            && gaps[end].year == gaps[end - 1].year + 1
            && (gaps[end].factor() / anchor - 1.0).abs() <= LEVEL_REVISION_SPREAD
        {
            end += 1;
        }
        let plausible = (0.5..=2.0).contains(&anchor);
        if end - start >= LEVEL_REVISION_MIN_YEARS && plausible {
            for slot in &mut out[start..end] {
                *slot = Some((gaps[start].year, gaps[end - 1].year, anchor));
            }
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::tests::{obs, small};
    use crate::model::Unit;

    fn only(report: &Report, check: &str) -> Vec<Finding> {
        report
            .findings
            .iter()
            .filter(|f| f.check == check)
            .cloned()
            .collect()
    }

    #[test]
    fn a_clean_dataset_passes() {
        let report = check(&small());
        assert_eq!(report.errors(), 0, "{:?}", report.findings);
    }

    #[test]
    fn each_injected_fault_is_caught() {
        type Inject = Box<dyn Fn(&mut RawDataset)>;
        let faults: Vec<(&str, Inject)> = vec![
            (
                "duplicate-key",
                Box::new(|r| r.observations.push(r.observations[0].clone())),
            ),
            (
                "share-range",
                Box::new(|r| r.observations[0].value = Some(101.0)),
            ),
            (
                "unknown-country",
                Box::new(|r| r.observations[0].country = "XYZ".into()),
            ),
            ("unit", Box::new(|r| r.observations[0].unit = Unit::Lcu)),
            (
                "unknown-source",
                Box::new(|r| r.observations[0].source = "nope".into()),
            ),
            (
                "vintage",
                Box::new(|r| r.observations[0].vintage = "SIPRI 1999".into()),
            ),
            (
                "unknown-definition",
                Box::new(|r| r.observations[0].definition = "made-up".into()),
            ),
            (
                "missing-reason",
                Box::new(|r| r.observations[3].value = None),
            ),
            (
                "registry-source",
                Box::new(|r| r.commitments.memberships[0].source = "nope".into()),
            ),
            (
                "registry-source",
                Box::new(|r| r.commitments.targets[0].source_url = String::new()),
            ),
            (
                "registry-country",
                Box::new(|r| r.commitments.memberships[1].country = "XYZ".into()),
            ),
            (
                "membership",
                Box::new(|r| r.commitments.memberships[0].alliance = "SEATO".into()),
            ),
            (
                "membership",
                Box::new(|r| r.commitments.memberships[0].to_year = Some(1900)),
            ),
            (
                "membership",
                Box::new(|r| r.commitments.memberships[0].suspended_from = Some(1900)),
            ),
            (
                "membership",
                Box::new(|r| {
                    let again = r.commitments.memberships[0].clone();
                    r.commitments.memberships.push(again)
                }),
            ),
            (
                "membership",
                Box::new(|r| r.commitments.alliances[0].partner = "USA".into()),
            ),
            (
                "target",
                Box::new(|r| r.commitments.targets[0].threshold = 200.0),
            ),
            (
                "target",
                Box::new(|r| r.commitments.targets[1].aliases = "wales_2pct".into()),
            ),
            (
                "target",
                Box::new(|r| r.commitments.targets[0].unit = Unit::PctMilex),
            ),
            (
                "target",
                Box::new(|r| r.commitments.targets[0].definition = "made-up".into()),
            ),
            ("plan", Box::new(|r| r.commitments.plans[0].to_year = 2000)),
            ("plan", Box::new(|r| r.commitments.plans[0].amount = -1.0)),
        ];
        for (name, inject) in faults {
            let mut raw = small();
            inject(&mut raw);
            let report = check(&raw);
            let found = only(&report, name);
            assert!(
                !found.is_empty(),
                "{name} not caught: {:?}",
                report.findings
            );
            assert!(
                found.iter().all(|f| f.severity == Severity::Error),
                "{name}"
            );
        }
    }

    #[test]
    fn sipri_share_is_checked_against_spending_over_gdp() {
        let mut raw = small();
        // JPN 2022: share 1.01 %, spending 5.6e12 yen, GDP 560e12 yen -> 1.0 %: consistent.
        let mut m = obs("JPN", Measure::MilexLcu, 2022, Some(5.6e12), "a");
        m.source = "sipri-test".into();
        let mut share = raw.observations[0].clone();
        share.source = "sipri-test".into();
        share.flags = crate::model::Flags::EMPTY;
        let mut g = obs("JPN", Measure::GdpLcu, 2022, Some(560e12), "b");
        g.definition = "wb".into();
        raw.observations
            .extend([m.clone(), share.clone(), g.clone()]);
        raw.sources = crate::registry::SourceRegistry::new(vec![
            crate::dataset::tests::source("a", 1),
            crate::dataset::tests::source("b", 2),
            crate::dataset::tests::source("sipri-test", 1),
        ])
        .unwrap();
        raw.definitions.push(crate::registry::Definition {
            id: "wb".into(),
            name: "World Bank".into(),
            description: String::new(),
        });
        let report = check(&raw);
        assert_eq!(report.consistency_compared, 1);
        assert!(only(&report, "sipri-share-vs-ratio").is_empty());

        // A share read as a fraction-times-ten: 10.1 % against a ratio of 1.0 %.
        let n = raw.observations.len();
        raw.observations[n - 2].value = Some(10.1);
        let report = check(&raw);
        let found = only(&report, "sipri-share-vs-ratio");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);

        // Korea's rebasing is a known explanation: a warning, not an error.
        for o in raw.observations.iter_mut().skip(n - 3) {
            o.country = "KOR".into();
            o.year = 2024;
        }
        let report = check(&raw);
        let found = only(&report, "sipri-share-vs-ratio");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("benchmark revision"));
    }

    fn gap(country: &'static str, year: i32, factor: f64) -> Gap<'static> {
        Gap {
            index: 0,
            country,
            year,
            share: factor,
            ratio: 1.0,
            gdp_source: "wb",
            sipri_flagged: false,
            gdp_sources_disagree: None,
        }
    }

    #[test]
    fn a_constant_factor_over_consecutive_years_is_a_level_revision() {
        let gaps = vec![
            gap("DEU", 1960, 1.175),
            gap("DEU", 1961, 1.172),
            gap("DEU", 1962, 1.178),
            gap("DEU", 1964, 1.175), // a gap year breaks the run
            gap("JPN", 2022, 10.0),  // a unit error: a power of ten is no revision
            gap("JPN", 2023, 10.0),
            gap("USA", 2000, 1.2),
            gap("USA", 2001, 1.3), // drifting factor: no constant revision
        ];
        let runs = level_revision_runs(&gaps);
        assert_eq!(runs[0], Some((1960, 1962, 1.175)));
        assert_eq!(runs[2], Some((1960, 1962, 1.175)));
        assert_eq!(runs[3], None);
        assert_eq!(runs[4], None);
        assert_eq!(runs[6], None);
        assert_eq!(runs[7], None);
    }
}
