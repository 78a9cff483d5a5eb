//! The observations an export holds, and which of them `fairshare show` would print.

use std::collections::HashSet;

use fairshare_dataset::{Dataset, Filter, Measure, Obs, Source, YearBasis};

/// The observations a filter selects, in the dataset's key order (country, measure,
/// definition, source, year basis, year), each marked preferred or not.
pub struct Selection<'a> {
    pub dataset: &'a Dataset,
    pub observations: Vec<Obs<'a>>,
    /// `preferred[i]`: observation `i` is the one `fairshare show` prints for its cell
    /// (where several sources publish the same country, measure, definition, year
    /// basis and year, the best-ranked source).
    pub preferred: Vec<bool>,
    /// The filter in words, for READMEs and messages.
    pub description: String,
}

type CellKey<'a> = (&'a str, Measure, &'a str, YearBasis, i32, &'a str);

fn key<'a>(o: &Obs<'a>) -> CellKey<'a> {
    (
        o.country_code(),
        o.measure(),
        o.definition(),
        o.year_basis(),
        o.year(),
        o.source_id(),
    )
}

impl<'a> Selection<'a> {
    pub fn new(ds: &'a Dataset, filter: &Filter) -> Selection<'a> {
        let mut observations = ds.select(filter);
        observations.sort_by(|a, b| {
            (
                a.country_code(),
                a.measure(),
                a.definition(),
                a.source_id(),
                a.year_basis(),
                a.year(),
            )
                .cmp(&(
                    b.country_code(),
                    b.measure(),
                    b.definition(),
                    b.source_id(),
                    b.year_basis(),
                    b.year(),
                ))
        });
        // The dataset's own notion of the preferred source, so the export and `show` agree.
        let preferred_keys: HashSet<CellKey> =
            ds.select_preferred(filter).iter().map(key).collect();
        let preferred = observations
            .iter()
            .map(|o| preferred_keys.contains(&key(o)))
            .collect();
        Selection {
            dataset: ds,
            observations,
            preferred,
            description: describe(filter),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The sources the selected observations cite, by id.
    pub fn sources(&self) -> Vec<&'a Source> {
        self.lookup(self.observations.iter().map(|o| o.source_id()).collect())
    }

    /// Every source an export cites: the observations' and those of the registries
    /// exported whole beside them (alliances, memberships, targets, plans).
    pub fn cited_sources(&self) -> Vec<&'a Source> {
        let c = self.dataset.commitments();
        let mut ids: Vec<&'a str> = self.observations.iter().map(|o| o.source_id()).collect();
        ids.extend(c.alliances.iter().map(|a| a.source.as_str()));
        ids.extend(c.memberships.iter().map(|m| m.source.as_str()));
        ids.extend(c.targets.iter().map(|t| t.source.as_str()));
        ids.extend(c.plans.iter().map(|p| p.source.as_str()));
        ids.extend(c.earlier_figures.iter().map(|e| e.source.as_str()));
        ids.extend(c.polls.iter().map(|p| p.source.as_str()));
        self.lookup(ids)
    }

    fn lookup(&self, mut ids: Vec<&'a str>) -> Vec<&'a Source> {
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.dataset.sources().get(id))
            .collect()
    }
}

/// "the whole dataset", or the filter's parts: "countries JPN, KOR; years 2014-2024".
pub fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    let list = |label: &str, items: Vec<String>| format!("{label} {}", items.join(", "));
    if !f.countries.is_empty() {
        parts.push(list("countries", f.countries.clone()));
    }
    if !f.measures.is_empty() {
        parts.push(list(
            "measures",
            f.measures.iter().map(|m| m.to_string()).collect(),
        ));
    }
    if !f.definitions.is_empty() {
        parts.push(list("definitions", f.definitions.clone()));
    }
    if !f.sources.is_empty() {
        parts.push(list("sources", f.sources.clone()));
    }
    if !f.year_bases.is_empty() {
        parts.push(list(
            "year bases",
            f.year_bases.iter().map(|b| b.to_string()).collect(),
        ));
    }
    match (f.from, f.to) {
        (Some(a), Some(b)) if a == b => parts.push(format!("year {a}")),
        (Some(a), Some(b)) => parts.push(format!("years {a}-{b}")),
        (Some(a), None) => parts.push(format!("years from {a}")),
        (None, Some(b)) => parts.push(format!("years to {b}")),
        (None, None) => {}
    }
    if parts.is_empty() {
        "the whole dataset".to_string()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_as_words() {
        assert_eq!(describe(&Filter::default()), "the whole dataset");
        let f = Filter {
            countries: vec!["JPN".into(), "KOR".into()],
            measures: vec![Measure::MilexGdp],
            from: Some(2014),
            to: Some(2024),
            ..Filter::default()
        };
        assert_eq!(
            describe(&f),
            "countries JPN, KOR; measures milex_gdp; years 2014-2024"
        );
    }
}
