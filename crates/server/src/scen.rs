//! Scenario runs for the API and the explorer: a built-in scenario, a few of its main
//! parameters changed (target share and year, volatility scale, a branch's probability),
//! run by the scenario engine with bounds so one request cannot take the server down.

use std::collections::BTreeMap;

use fairshare_dataset::Dataset;
use fairshare_scenario::{BranchProbability, Policy, RampShape};
use fairshare_scenario::{Results, RunOptions, Scenario, builtin};

use crate::api::ApiError;

/// Most paths one request may ask for.
pub const MAX_PATHS: usize = 20_000;
/// Paths when the request names none (the explorer's default: fast, still smooth).
pub const DEFAULT_PATHS: usize = 2_000;
/// Longest horizon a served scenario may have (years).
pub const MAX_HORIZON: i32 = 40;

/// What a request may change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub name: String,
    pub paths: Option<usize>,
    pub seed: Option<u64>,
    /// Target share of GDP, percent, for the first country (its policy becomes a ramp).
    pub share: Option<f64>,
    /// The year that share is reached.
    pub by: Option<i32>,
    /// Multiplies every shock's standard deviation.
    pub vol: Option<f64>,
    /// Probability of the first branch.
    pub prob: Option<f64>,
}

fn num<T: std::str::FromStr>(name: &str, v: &str, what: &str) -> Result<T, ApiError> {
    v.trim()
        .parse::<T>()
        .map_err(|_| ApiError::bad(format!("parameter {name} = {v:?} is not {what}")))
}

impl Params {
    /// From query pairs; every name and value checked, ranges bounded.
    pub fn from_query(name: &str, query: &[(String, String)]) -> Result<Params, ApiError> {
        let mut p = Params {
            name: name.to_string(),
            ..Params::default()
        };
        for (k, v) in query {
            if v.trim().is_empty() {
                continue;
            }
            match k.as_str() {
                "name" => p.name = v.trim().to_string(),
                "paths" => {
                    let n: usize = num("paths", v, "a whole number")?;
                    if n == 0 || n > MAX_PATHS {
                        return Err(ApiError::bad(format!(
                            "parameter paths = {n}: expected 1 to {MAX_PATHS} (run larger ones with `fairshare scenario run`)"
                        )));
                    }
                    p.paths = Some(n);
                }
                "seed" => p.seed = Some(num("seed", v, "a whole number from 0")?),
                "share" => {
                    let s: f64 = num("share", v, "a number (percent of GDP)")?;
                    if !(0.0..=20.0).contains(&s) {
                        return Err(ApiError::bad(format!(
                            "parameter share = {s}: expected a share of GDP from 0 to 20 (percent)"
                        )));
                    }
                    p.share = Some(s);
                }
                "by" => p.by = Some(num("by", v, "a year")?),
                "vol" => {
                    let s: f64 = num("vol", v, "a number")?;
                    if !(0.0..=5.0).contains(&s) {
                        return Err(ApiError::bad(format!(
                            "parameter vol = {s}: expected a volatility scale from 0 to 5"
                        )));
                    }
                    p.vol = Some(s);
                }
                "prob" => {
                    let s: f64 = num("prob", v, "a probability")?;
                    if !(0.0..=1.0).contains(&s) {
                        return Err(ApiError::bad(format!(
                            "parameter prob = {s}: expected a probability from 0 to 1"
                        )));
                    }
                    p.prob = Some(s);
                }
                other => {
                    return Err(ApiError::bad(format!(
                        "unknown parameter {other:?}; known: name, paths, seed, share, by, vol, prob"
                    )));
                }
            }
        }
        if p.name.is_empty() {
            p.name = builtin::all()[0].name.to_string();
        }
        Ok(p)
    }

    /// Normalized, for cache keys and links.
    pub fn key(&self) -> String {
        format!("{self:?}")
    }
}

/// The built-in scenario, parsed.
pub fn scenario(ds: &Dataset, name: &str) -> Result<Scenario, ApiError> {
    let Some(b) = builtin::get(name) else {
        return Err(ApiError::bad(format!(
            "unknown scenario {name:?}; built-in: {}",
            builtin::names()
        )));
    };
    fairshare_scenario::parse(b.text, b.file, ds.countries())
        .map_err(|e| ApiError::bad(e.to_string()))
}

/// Apply the changes, run, and return the engine's results.
pub fn run(ds: &Dataset, p: &Params) -> Result<Results, ApiError> {
    let mut s = scenario(ds, &p.name)?;
    if s.last_year - s.first_year + 1 > MAX_HORIZON {
        return Err(ApiError::bad(format!(
            "scenario {} has a horizon over {MAX_HORIZON} years; run it with `fairshare scenario run`",
            s.name
        )));
    }
    if let Some(by) = p.by
        && !(s.first_year..=s.last_year).contains(&by)
    {
        return Err(ApiError::bad(format!(
            "parameter by = {by}: outside the scenario's horizon {}-{}",
            s.first_year, s.last_year
        )));
    }
    if p.share.is_some() || p.by.is_some() {
        let Some(c) = s.countries.first_mut() else {
            return Err(ApiError::bad("the scenario has no country to change"));
        };
        let (old_share, old_by, shape) = match &c.policy {
            Policy::ShareByYear { share, by, shape } => (Some(*share), Some(*by), *shape),
            _ => (None, None, RampShape::Linear),
        };
        let share = p.share.or(old_share).ok_or_else(|| {
            ApiError::bad(format!(
                "scenario {}: {} has no target share; give share as well as by",
                s.name, c.code
            ))
        })?;
        let by = p.by.or(old_by).unwrap_or(s.last_year);
        c.policy = Policy::ShareByYear { share, by, shape };
    }
    if let Some(vol) = p.vol {
        for c in &mut s.countries {
            for spec in [
                &mut c.economy.growth,
                &mut c.economy.inflation,
                &mut c.economy.exchange_rate,
            ] {
                if let Some(sd) = spec.shock.sd.as_mut() {
                    *sd *= vol;
                }
            }
        }
    }
    if let Some(prob) = p.prob {
        let Some(first) = s.branches.first_mut() else {
            return Err(ApiError::bad(format!(
                "parameter prob: scenario {} has no branches",
                s.name
            )));
        };
        first.probability = BranchProbability::Given(prob);
        let others: Vec<usize> = (1..s.branches.len()).collect();
        if others.len() == 1 {
            s.branches[1].probability = BranchProbability::Remainder;
        }
    }
    let mut inputs =
        fairshare_scenario::prepare(ds, &s).map_err(|e| ApiError::bad(e.to_string()))?;
    if let Some(vol) = p.vol {
        for b in inputs.baselines.values_mut() {
            if let Some(v) = b.volatility.as_mut() {
                v.gdp_real_growth *= vol;
                v.inflation *= vol;
                v.exchange_rate *= vol;
            }
        }
    }
    let model =
        fairshare_scenario::resolve(&s, &inputs).map_err(|e| ApiError::bad(e.to_string()))?;
    let options = RunOptions {
        paths: p.paths.unwrap_or(DEFAULT_PATHS),
        seed: p
            .seed
            .or(s.seed)
            .unwrap_or(fairshare_scenario::DEFAULT_SEED),
        progress: None,
    };
    fairshare_scenario::run(&model, &options).map_err(|e| ApiError::bad(e.to_string()))
}

/// The built-ins with their main parameters (for the list and the explorer's form).
pub fn list(ds: &Dataset) -> Vec<BTreeMap<&'static str, serde_json::Value>> {
    let mut out = Vec::new();
    for b in builtin::all() {
        let Ok(s) = scenario(ds, b.name) else {
            continue;
        };
        let mut m = BTreeMap::new();
        m.insert("name", b.name.into());
        m.insert("title", s.title.clone().unwrap_or_default().into());
        m.insert("countries", s.country_codes().join(",").into());
        m.insert("first_year", s.first_year.into());
        m.insert("last_year", s.last_year.into());
        m.insert("definition", s.definition.clone().into());
        m.insert(
            "branches",
            s.branches
                .iter()
                .map(|b| b.name.clone())
                .collect::<Vec<_>>()
                .join(",")
                .into(),
        );
        if let Some(Policy::ShareByYear { share, by, .. }) = s.countries.first().map(|c| &c.policy)
        {
            m.insert("share", (*share).into());
            m.insert("by", (*by).into());
        }
        out.push(m);
    }
    out
}
