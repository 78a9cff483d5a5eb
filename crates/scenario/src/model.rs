//! A scenario resolved against the caller's inputs: every number known, every
//! deterministic part of a path (central rates, policy shares, demand paths) computed
//! once, so the engine's inner loop only adds shocks.

use std::sync::Arc;

use fairshare_dataset::{Flag, Flags, YearBasis};
use rand_distr::StudentT;

use crate::baseline::{AllyResponse, Baseline, Inputs};
use crate::error::ScenarioError;
use crate::parse::COMBINED;
use crate::spec::*;

/// Relative gap between the baseline's spending/GDP and its stated share above which the
/// results carry a note (they come from different publishers' GDP figures).
const SHARE_CONSISTENCY_NOTE: f64 = 0.01;

/// A runnable scenario. Built by [`resolve`]; run by [`crate::run`].
#[derive(Clone)]
pub struct Model {
    pub(crate) name: String,
    pub(crate) definition: String,
    pub(crate) base_year: i32,
    pub(crate) years: Vec<i32>,
    pub(crate) countries: Vec<CountryModel>,
    /// At least one. A scenario without branches has one, named `combined`.
    pub(crate) branches: Vec<BranchModel>,
    /// Whether the scenario declared branches (then results add the `combined` mixture).
    pub(crate) declared_branches: bool,
    /// Every event; an event's index is its bit in a path's record of what happened.
    pub(crate) events: Vec<EventModel>,
    pub(crate) targets: Vec<TargetModel>,
    pub(crate) notes: Vec<String>,
    pub(crate) default_paths: usize,
    pub(crate) default_seed: u64,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .field("years", &self.years)
            .field(
                "countries",
                &self
                    .countries
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect::<Vec<_>>(),
            )
            .field(
                "branches",
                &self
                    .branches
                    .iter()
                    .map(|b| (b.name.as_str(), b.probability))
                    .collect::<Vec<_>>(),
            )
            .field("events", &self.events.len())
            .field("targets", &self.targets.len())
            .finish()
    }
}

impl Model {
    /// Paths to run unless the caller says otherwise (the file's `[run]`, else 10,000).
    pub fn default_paths(&self) -> usize {
        self.default_paths
    }

    /// Seed unless the caller says otherwise (the file's `[run]`, else [`DEFAULT_SEED`]).
    pub fn default_seed(&self) -> u64 {
        self.default_seed
    }

    /// Roughly the bytes a run of `paths` holds at once (see `scenarios/README.md`,
    /// "Memory"): per worker thread, one chunk of simulated paths and its counters; and
    /// the values kept near the wanted ranks, about 8% of all values.
    pub fn memory_bytes(&self, paths: usize) -> u64 {
        crate::engine::Layout::new(self, paths).bytes(rayon::current_num_threads())
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The projected years.
    pub fn years(&self) -> &[i32] {
        &self.years
    }
}

#[derive(Clone)]
pub(crate) struct CountryModel {
    pub code: String,
    pub year_basis: YearBasis,
    pub base_gdp: f64,
    /// Base-year share of GDP, percent: where share rules start and what the cost
    /// baseline holds.
    pub base_share: f64,
    pub growth: SeriesModel,
    pub inflation: SeriesModel,
    /// Central exchange-rate levels per year; the shock moves the log level as a random walk.
    pub exchange_rate: SeriesModel,
    pub policy: Vec<PolicyYear>,
    pub response: Response,
    /// Per year: `projection`, plus `extrapolated` where a baseline rate was.
    pub flags: Vec<Flags>,
    /// Per year: spending is an explicit budget figure (records get `plan`).
    pub plan_year: Vec<bool>,
    pub macro_definition: String,
    pub source: String,
    pub vintage: String,
}

/// A central path and its shock.
#[derive(Clone)]
pub(crate) struct SeriesModel {
    /// Per year: the rate in percent (growth, inflation) or the level (exchange rate).
    pub central: Vec<f64>,
    /// Standard deviation of one year's shock (0 = deterministic).
    pub sd: f64,
    pub rho: f64,
    /// sd × √(1 − ρ²): the innovation that keeps each year's shock at `sd`.
    pub innovation_sd: f64,
    /// Student-t innovations and the factor scaling them to unit variance.
    pub student_t: Option<(StudentT<f64>, f64)>,
}

/// What the ally's own policy spends in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PolicyYear {
    /// Percent of that path's GDP.
    Share(f64),
    /// Local currency.
    Amount(f64),
    /// The share the previous year reached on that path.
    HoldLastShare,
}

impl PolicyYear {
    /// Whether spending can be recomputed from the year's GDP alone (no path memory).
    pub fn is_stateless(self) -> bool {
        !matches!(self, PolicyYear::HoldLastShare)
    }
}

#[derive(Clone)]
pub(crate) enum Response {
    None,
    Elasticity(f64),
    Model(Arc<dyn AllyResponse>),
}

#[derive(Clone)]
pub(crate) struct BranchModel {
    pub name: String,
    pub probability: f64,
    pub method: String,
    /// Indices into [`Model::events`] of the events that can happen in this branch
    /// (the scenario-wide ones and its own).
    pub events: Vec<usize>,
}

#[derive(Clone)]
pub(crate) struct EventModel {
    pub id: String,
    pub kind: &'static str,
    pub country: usize,
    pub year: i32,
    /// Index of the first year it applies in.
    pub start: usize,
    pub probability: f64,
    /// The branch that carries it; `None` = every branch.
    pub branch: Option<usize>,
    pub effect: EventEffect,
    pub note: Option<String>,
}

#[derive(Clone)]
pub(crate) enum EventEffect {
    /// Demanded share of GDP per year, percent (linear from the base share to the demand).
    DemandShare(Vec<f64>),
    /// US$ a year demanded, against what is paid now (local currency).
    Hns { amount_usd: f64, current_lcu: f64 },
    /// Fraction withdrawn times the full replacement cost.
    Withdrawal {
        fraction: f64,
        replacement: Replacement,
    },
}

#[derive(Clone)]
pub(crate) struct TargetModel {
    pub id: String,
    pub threshold: Threshold,
    /// Indices of the countries it applies to.
    pub countries: Vec<usize>,
    pub note: Option<String>,
}

/// What meeting a target takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Threshold {
    /// At least this share of GDP, percent.
    Share(f64),
    /// At least this much spending, local currency.
    AmountLcu(f64),
}

/// Combine a parsed scenario with the caller's inputs into a runnable [`Model`].
///
/// Errors point into the scenario file where the problem has a place there (a branch
/// whose poll probability is missing, a target id the registry does not know).
pub fn resolve(scenario: &Scenario, inputs: &Inputs) -> Result<Model, ScenarioError> {
    let years: Vec<i32> = scenario.years().collect();
    let mut notes = vec![format!(
        "Cost baseline: each path's spending if the base-year ({}) share of GDP were held on \
         that path's GDP; `milex_extra_*` and `cumulative_extra_lcu` are the policy's cost over it.",
        scenario.base_year
    )];

    let mut countries = Vec::new();
    for spec in &scenario.countries {
        let baseline = inputs.baselines.get(&spec.code).ok_or_else(|| {
            scenario.error_at(
                &spec.span,
                format!(
                    "no baseline for `{}`: the caller must provide its base-year GDP, spending \
                     and exchange rate",
                    spec.code
                ),
            )
        })?;
        countries.push(country_model(
            scenario, spec, baseline, inputs, &years, &mut notes,
        )?);
    }

    let mut events = Vec::new();
    let mut add_event = |event: &Event, branch: Option<usize>| -> Result<usize, ScenarioError> {
        let country = scenario
            .countries
            .iter()
            .position(|c| c.code == event.country)
            .expect("parse checked event countries against `countries`");
        let cm = &countries[country];
        let start = (event.year - scenario.first_year) as usize;
        let effect = match &event.kind {
            EventKind::DemandShare { share, by } => {
                let n = (*by - scenario.base_year) as f64;
                let path = years
                    .iter()
                    .map(|&y| {
                        if y >= *by {
                            *share
                        } else {
                            let k = (y - scenario.base_year) as f64;
                            cm.base_share + (share - cm.base_share) * (k / n)
                        }
                    })
                    .collect();
                EventEffect::DemandShare(path)
            }
            EventKind::DemandHns {
                amount_usd,
                current_lcu,
            } => {
                let current = current_lcu
                    .or_else(|| inputs.baselines.get(&event.country).and_then(|b| b.hns_lcu))
                    .ok_or_else(|| {
                        scenario.error_unplaced(
                            &format!("events.{}.current_lcu", event.id),
                            format!(
                                "event `{}` needs the host-nation support {} pays now: give \
                                 `current_lcu` or a baseline with it",
                                event.id, event.country
                            ),
                        )
                    })?;
                EventEffect::Hns {
                    amount_usd: *amount_usd,
                    current_lcu: current,
                }
            }
            EventKind::Withdrawal {
                fraction,
                replacement,
            } => EventEffect::Withdrawal {
                fraction: *fraction,
                replacement: *replacement,
            },
        };
        events.push(EventModel {
            id: event.id.clone(),
            kind: event.kind.id(),
            country,
            year: event.year,
            start,
            probability: event.probability,
            branch,
            effect,
            note: event.note.clone(),
        });
        Ok(events.len() - 1)
    };

    let mut shared = Vec::new();
    for e in &scenario.events {
        shared.push(add_event(e, None)?);
    }
    let mut branches = Vec::new();
    for (b, spec) in scenario.branches.iter().enumerate() {
        let mut own = shared.clone();
        for e in &spec.events {
            own.push(add_event(e, Some(b))?);
        }
        let (probability, method) = match &spec.probability {
            BranchProbability::Given(p) => (*p, "given in the scenario file".to_string()),
            BranchProbability::Remainder => (f64::NAN, "one minus the other branches".to_string()),
            BranchProbability::FromPolls(_) => {
                let resolved = inputs.branch_probabilities.get(&spec.name).ok_or_else(|| {
                    scenario.error_at(
                        &spec.span,
                        format!(
                            "branch `{}` takes its probability from polls, but none was resolved \
                             for it",
                            spec.name
                        ),
                    )
                })?;
                if !(0.0..=1.0).contains(&resolved.probability) {
                    return Err(scenario.error_at(
                        &spec.span,
                        format!(
                            "the probability resolved from polls for branch `{}` is {}, outside 0–1",
                            spec.name, resolved.probability
                        ),
                    ));
                }
                (resolved.probability, resolved.method.clone())
            }
        };
        branches.push(BranchModel {
            name: spec.name.clone(),
            probability,
            method,
            events: own,
        });
    }
    if !branches.is_empty() {
        let known: f64 = branches
            .iter()
            .filter(|b| !b.probability.is_nan())
            .map(|b| b.probability)
            .sum();
        let span = scenario.branches[0].span.start
            ..scenario.branches[scenario.branches.len() - 1].span.end;
        if let Some(rest) = branches.iter_mut().find(|b| b.probability.is_nan()) {
            if known > 1.0 + 1e-9 {
                return Err(scenario.error_at(
                    &span,
                    format!(
                        "the branch probabilities sum to {known} before the remainder, above 1"
                    ),
                ));
            }
            rest.probability = (1.0 - known).max(0.0);
        } else if (known - 1.0).abs() > 1e-9 {
            return Err(scenario.error_at(
                &span,
                format!("branch probabilities sum to {known} once resolved, expected 1"),
            ));
        }
    } else {
        branches.push(BranchModel {
            name: COMBINED.to_string(),
            probability: 1.0,
            method: "the only branch".to_string(),
            events: shared.clone(),
        });
    }

    let mut targets = Vec::new();
    for t in &scenario.targets {
        let (kind, country, note) = match t.kind {
            TargetKind::Registry => {
                let r = inputs.targets.get(&t.id.to_lowercase()).ok_or_else(|| {
                    let mut known: Vec<&str> = inputs.targets.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    scenario.error_at(
                        &t.span,
                        format!(
                            "unknown target `{}`: expected a registry id ({}) or give `share` or \
                             `amount_lcu`",
                            t.id,
                            if known.is_empty() {
                                "none provided".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    )
                })?;
                (
                    r.kind,
                    t.country.clone().or(r.country.clone()),
                    Some(r.note.clone()),
                )
            }
            kind => (kind, t.country.clone(), t.note.clone()),
        };
        let threshold = match kind {
            TargetKind::Share(v) => Threshold::Share(v),
            TargetKind::AmountLcu(v) => Threshold::AmountLcu(v),
            TargetKind::Registry => {
                return Err(scenario.error_at(
                    &t.span,
                    format!("target `{}` resolved to another registry reference", t.id),
                ));
            }
        };
        let indices: Vec<usize> = match (&kind, &country) {
            (_, Some(c)) => match scenario.countries.iter().position(|s| &s.code == c) {
                Some(i) => vec![i],
                None => {
                    return Err(scenario.error_at(
                        &t.span,
                        format!(
                            "target `{}` is for `{c}`, which is not in `countries`",
                            t.id
                        ),
                    ));
                }
            },
            (TargetKind::AmountLcu(_), None) => {
                return Err(scenario.error_at(
                    &t.span,
                    format!("target `{}` is an amount but names no country", t.id),
                ));
            }
            (_, None) => (0..scenario.countries.len()).collect(),
        };
        if let TargetKind::AmountLcu(amount) = kind {
            notes.push(format!(
                "Target `{}` is a fixed amount ({amount} in {}'s currency), not a share of GDP: \
                 whether it is met depends on the spending path, whose local-currency bands come \
                 from the GDP-relative rule applied to projected GDP.",
                t.id, scenario.countries[indices[0]].code
            ));
        }
        targets.push(TargetModel {
            id: t.id.clone(),
            threshold,
            countries: indices,
            note,
        });
    }

    Ok(Model {
        name: scenario.name.clone(),
        definition: scenario.definition.clone(),
        base_year: scenario.base_year,
        years,
        countries,
        declared_branches: !scenario.branches.is_empty(),
        branches,
        events,
        targets,
        notes,
        default_paths: scenario.paths.unwrap_or(DEFAULT_PATHS),
        default_seed: scenario.seed.unwrap_or(DEFAULT_SEED),
    })
}

fn country_model(
    scenario: &Scenario,
    spec: &CountrySpec,
    baseline: &Baseline,
    inputs: &Inputs,
    years: &[i32],
    notes: &mut Vec<String>,
) -> Result<CountryModel, ScenarioError> {
    let code = &spec.code;
    let bad =
        |what: &str| scenario.error_at(&spec.span, format!("the baseline for `{code}` has {what}"));
    if baseline.base_year != scenario.base_year {
        return Err(bad(&format!(
            "base year {}, but the scenario's is {}",
            baseline.base_year, scenario.base_year
        )));
    }
    for (what, v) in [
        ("GDP", baseline.gdp_lcu),
        ("defence spending", baseline.milex_lcu),
        ("a share of GDP", baseline.milex_gdp),
        ("an exchange rate", baseline.exchange_rate),
    ] {
        if !(v > 0.0 && v.is_finite()) {
            return Err(bad(&format!("{what} of {v}; expected a number above 0")));
        }
    }
    let implied = baseline.milex_lcu / baseline.gdp_lcu * 100.0;
    if ((implied - baseline.milex_gdp) / baseline.milex_gdp).abs() > SHARE_CONSISTENCY_NOTE {
        notes.push(format!(
            "{code}: base-year spending / GDP is {implied:.3}% but the stated share is {:.3}% \
             (different GDP figures); share rules start from the stated share, amount rules \
             from the stated spending.",
            baseline.milex_gdp
        ));
    }
    notes.extend(baseline.notes.iter().map(|n| format!("{code}: {n}")));

    let uses_baseline_years = [
        &spec.economy.growth,
        &spec.economy.inflation,
        &spec.economy.exchange_rate,
    ]
    .iter()
    .any(|s| s.path == PathSpec::Baseline);
    if uses_baseline_years {
        let covered = baseline.years.len() >= years.len()
            && baseline.years.iter().zip(years).all(|(b, y)| b.year == *y);
        if !covered {
            return Err(bad(&format!(
                "no central path for every horizon year {}–{} (a series says \"imf_weo\")",
                scenario.first_year, scenario.last_year
            )));
        }
    }

    let mut flags = vec![Flags::EMPTY.with(Flag::Projection); years.len()];
    let series = |s: &SeriesSpec,
                  from_baseline: fn(&crate::baseline::BaselineYear) -> f64,
                  hold: f64,
                  historical: Option<f64>,
                  name: &str,
                  flags: &mut Vec<Flags>|
     -> Result<SeriesModel, ScenarioError> {
        let central = match &s.path {
            PathSpec::Baseline => {
                for (i, f) in flags.iter_mut().enumerate() {
                    if baseline.years[i].flags.contains(Flag::Extrapolated) {
                        f.insert(Flag::Extrapolated);
                    }
                }
                baseline.years[..years.len()]
                    .iter()
                    .map(from_baseline)
                    .collect()
            }
            PathSpec::Hold => vec![hold; years.len()],
            PathSpec::Given(v) => v.clone(),
        };
        if let Some(bad_value) = central.iter().find(|v| !v.is_finite()) {
            return Err(scenario.error_at(
                &s.span,
                format!("the central {name} path for `{code}` has a non-finite value {bad_value}"),
            ));
        }
        let sd = match (s.shock.sd, historical) {
            (Some(sd), _) => sd,
            (None, Some(h)) if h >= 0.0 && h.is_finite() => h,
            _ => {
                return Err(scenario.error_at(
                    &s.span,
                    format!(
                        "the {name} shock for `{code}` has no `sd` and the baseline gives no \
                         historical volatility: set `shock.sd`"
                    ),
                ));
            }
        };
        let rho = s.shock.ar1;
        let student_t = match s.shock.distribution {
            Distribution::Normal => None,
            Distribution::StudentT { df } => Some((
                StudentT::new(df).map_err(|e| {
                    scenario.error_at(&s.span, format!("Student-t with df = {df}: {e}"))
                })?,
                ((df - 2.0) / df).sqrt(),
            )),
        };
        Ok(SeriesModel {
            central,
            sd,
            rho,
            innovation_sd: sd * (1.0 - rho * rho).sqrt(),
            student_t,
        })
    };
    let vol = baseline.volatility.as_ref();
    let growth = series(
        &spec.economy.growth,
        |y| y.gdp_real_growth,
        0.0,
        vol.map(|v| v.gdp_real_growth),
        "real growth",
        &mut flags,
    )?;
    let inflation = series(
        &spec.economy.inflation,
        |y| y.inflation,
        0.0,
        vol.map(|v| v.inflation),
        "inflation",
        &mut flags,
    )?;
    let exchange_rate = series(
        &spec.economy.exchange_rate,
        |y| y.exchange_rate,
        baseline.exchange_rate,
        vol.map(|v| v.exchange_rate),
        "exchange rate",
        &mut flags,
    )?;
    if let Some(v) = vol {
        let drawn_historical = [
            &spec.economy.growth,
            &spec.economy.inflation,
            &spec.economy.exchange_rate,
        ]
        .iter()
        .any(|s| s.shock.sd.is_none());
        if drawn_historical {
            notes.push(format!(
                "{code}: shock sizes from historical volatility: {}",
                v.method
            ));
        }
    }

    let s0 = baseline.milex_gdp;
    let mut plan_year = vec![false; years.len()];
    let policy = match &spec.policy {
        Policy::HoldShare => vec![PolicyYear::Share(s0); years.len()],
        Policy::ShareByYear { share, by, shape } => {
            let n = (*by - scenario.base_year) as f64;
            years
                .iter()
                .map(|&y| {
                    if y >= *by {
                        return PolicyYear::Share(*share);
                    }
                    let k = (y - scenario.base_year) as f64;
                    PolicyYear::Share(match shape {
                        RampShape::Linear => s0 + (share - s0) * (k / n),
                        RampShape::ConstantGrowth => s0 * (share / s0).powf(k / n),
                    })
                })
                .collect()
        }
        Policy::NominalGrowth { rate } => years
            .iter()
            .map(|&y| {
                let k = y - scenario.base_year;
                PolicyYear::Amount(baseline.milex_lcu * (1.0 + rate / 100.0).powi(k))
            })
            .collect(),
        Policy::Budget { amounts, after } => years
            .iter()
            .enumerate()
            .map(|(i, _)| match amounts.get(i) {
                Some((_, a)) => {
                    plan_year[i] = true;
                    PolicyYear::Amount(*a)
                }
                None => match after {
                    AfterBudget::HoldShare => PolicyYear::HoldLastShare,
                    AfterBudget::HoldAmount => {
                        PolicyYear::Amount(amounts.last().map_or(baseline.milex_lcu, |(_, a)| *a))
                    }
                },
            })
            .collect(),
    };

    let response = match inputs.responses.get(code) {
        Some(model) => {
            notes.push(format!(
                "{code} responds to US posture by: {}",
                model.describe()
            ));
            Response::Model(model.clone())
        }
        None => match spec.response {
            ResponseSpec::None => Response::None,
            ResponseSpec::Elasticity(e) => {
                notes.push(format!(
                    "{code} responds to US posture with an elasticity of {e} (a placeholder set in \
                     the scenario, not an estimate): spending = policy × (demand / policy)^{e}."
                ));
                Response::Elasticity(e)
            }
        },
    };

    Ok(CountryModel {
        code: code.clone(),
        year_basis: baseline.year_basis,
        base_gdp: baseline.gdp_lcu,
        base_share: s0,
        growth,
        inflation,
        exchange_rate,
        policy,
        response,
        flags,
        plan_year,
        macro_definition: baseline.macro_definition.clone(),
        source: baseline.source.clone(),
        vintage: baseline.vintage.clone(),
    })
}
