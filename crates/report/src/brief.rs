//! The alliance briefs (`fairshare report NAME`): documents assembled from engine results.
//!
//! Every figure in a brief comes from the dataset or an engine call made here (metrics:
//! compliance, claims, gap paths, host-nation support, fair shares; models: the
//! exploitation test; scenario: seeded Monte Carlo runs of the built-in scenarios). The
//! text around the figures is fixed wording; no number is typed into it. Same dataset,
//! seed and path count: same bytes.

use std::collections::BTreeMap;

use fairshare_dataset::{Dataset, Filter, Flag, Measure, YearBasis};
use fairshare_metrics::claims::{Verdict, check_claims, parse_claims};
use fairshare_metrics::hns::{Demand, HnsOptions, hns_ledger};
use fairshare_metrics::share::fair_share;
use fairshare_metrics::{TargetRule, assess_alliance, assess_countries, gap_path, latest_year};
use fairshare_models::data::exploitation_data;
use fairshare_models::exploitation::exploitation_series;
use fairshare_models::nash;
use fairshare_scenario::{COMBINED, Results, RunOptions};

use crate::charts::data::{event_markers, series_from_observations, source_ref, sources_of};
use crate::charts::scenario::fan_chart;
use crate::charts::{Bar, BarChart, Chart, Meta, ReferenceLine, TimeSeriesChart, ValueAxis};
use crate::doc::{Block, Document};

/// The claims file `fairshare claims check claims/diplomat-2024.toml` reads, compiled in.
pub const DIPLOMAT_CLAIMS: &str = include_str!("../../../claims/diplomat-2024.toml");

/// The briefs, by name.
pub const NAMES: [&str; 3] = ["japan-us", "nato", "korea-us"];

/// How the scenario bands are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
    pub paths: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: fairshare_scenario::DEFAULT_SEED,
            paths: 2_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report `{0}`: valid names are japan-us, nato, korea-us")]
    UnknownName(String),
    #[error("{0}")]
    Engine(String),
}

fn engine<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> ReportError + '_ {
    move |e| ReportError::Engine(format!("{what}: {e}"))
}

/// NATO's 2% guideline and the codes of every country with a NATO membership row: the
/// NATO sections of the briefs all start from these.
fn nato_2pct(ds: &Dataset) -> Result<(TargetRule, Vec<String>), ReportError> {
    let rule = TargetRule::parse(ds.commitments(), "nato-2pct").map_err(engine("nato-2pct"))?;
    let mut members: Vec<String> = ds
        .commitments()
        .memberships
        .iter()
        .filter(|m| m.alliance == "NATO")
        .map(|m| m.country.clone())
        .collect();
    members.sort();
    members.dedup();
    Ok((rule, members))
}

/// The latest year SIPRI's shares cover the members, or an error naming what is missing.
fn latest_sipri_year(
    ds: &Dataset,
    rule: &TargetRule,
    members: &[String],
) -> Result<i32, ReportError> {
    let codes: Vec<&str> = members.iter().map(String::as_str).collect();
    latest_year(ds, &codes, rule, "sipri").ok_or_else(|| {
        ReportError::Engine("no SIPRI share of GDP for any NATO member in the dataset".into())
    })
}

/// Build brief `name` from the dataset.
pub fn build(ds: &Dataset, name: &str, opts: &Options) -> Result<Document, ReportError> {
    let mut b = Brief {
        ds,
        name: name.to_string(),
        opts: *opts,
        blocks: Vec::new(),
    };
    let (title, subtitle) = match name {
        "japan-us" => {
            b.freshness();
            b.standing(
                &["JPN", "KOR", "USA"],
                "Where Japan, South Korea and the NATO allies stand",
            )?;
            b.claims()?;
            b.japan_paths()?;
            b.scenarios(
                "scenarios",
                "Monte Carlo bands: Japan's plan, the bring-forward option, 3.5% and 5% by 2035",
                "JPN",
                &[
                    "japan-plan-fy2027",
                    "japan-bring-forward-2024",
                    "japan-us-demand-3.5pct-2035",
                    "japan-5pct-2035",
                ],
            )?;
            b.hns(&[("JPN", "8e9USD"), ("KOR", "10e9USD")])?;
            b.models("US-treaty-allies")?;
            b.since(&["JPN", "KOR", "USA", "NATO"])?;
            (
                "Japan, the United States and the fair share",
                "A data brief on The Diplomat's 2024 questions about a second Trump term and the Japan–US alliance",
            )
        }
        "nato" => {
            b.freshness();
            b.standing(
                &["USA", "DEU", "POL", "GBR", "FRA"],
                "Where the NATO allies stand",
            )?;
            b.nato_counts()?;
            b.nato_shares()?;
            b.models("NATO")?;
            b.since(&["NATO", "USA"])?;
            (
                "NATO: who meets the targets, and who carries the burden",
                "Compliance with the 2% guideline over time, and shares of the alliance's spending against shares of its GDP",
            )
        }
        "korea-us" => {
            b.freshness();
            b.standing(
                &["KOR", "JPN", "USA"],
                "Where South Korea, Japan and the NATO allies stand",
            )?;
            b.hns(&[("KOR", "10e9USD")])?;
            b.since(&["KOR", "USA"])?;
            b.scenarios(
                "scenarios",
                "Monte Carlo bands: a $10 billion support demand and a troop withdrawal",
                "KOR",
                &["korea-hns-10bn", "korea-withdrawal"],
            )?;
            (
                "Korea, the United States and the cost of the alliance",
                "Korea's defence burden, its support for US forces, and what the reported demands would mean",
            )
        }
        other => return Err(ReportError::UnknownName(other.to_string())),
    };
    Ok(Document {
        title: title.to_string(),
        subtitle: subtitle.to_string(),
        blocks: b.blocks,
    })
}

struct Brief<'a> {
    ds: &'a Dataset,
    /// The brief's name, prefixing its chart files (briefs share `DIR/charts/`).
    name: String,
    opts: Options,
    blocks: Vec<Block>,
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

fn opt_pct(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "—".into())
}

/// Money in words: "8.00 bn US$", "1.42 tn JPY".
pub fn money(v: f64, currency: &str) -> String {
    let a = v.abs();
    if a >= 1e12 {
        format!("{:.2} tn {currency}", v / 1e12)
    } else if a >= 1e9 {
        format!("{:.2} bn {currency}", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} m {currency}", v / 1e6)
    } else {
        format!("{v:.0} {currency}")
    }
}

fn opt_money(v: Option<f64>, currency: &str) -> String {
    v.map(|v| money(v, currency)).unwrap_or_else(|| "—".into())
}

fn period(year: i32, basis: YearBasis) -> String {
    if basis == YearBasis::Calendar {
        year.to_string()
    } else {
        format!("FY{year}")
    }
}

impl<'a> Brief<'a> {
    fn name(&self, code: &str) -> String {
        self.ds
            .countries()
            .get(code)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// "SIPRI, SIPRI Military Expenditure Database (SIPRI 2025)".
    fn source(&self, id: &str) -> String {
        match self.ds.sources().get(id) {
            Some(s) => format!("{}, {} ({})", s.publisher, s.title, s.vintage),
            None => id.to_string(),
        }
    }

    fn sources(&self, ids: &[String]) -> Vec<String> {
        let mut ids: Vec<String> = ids.to_vec();
        ids.sort();
        ids.dedup();
        ids.iter().map(|i| self.source(i)).collect()
    }

    fn section(&mut self, id: &str, title: &str) {
        self.blocks.push(Block::Section {
            id: id.into(),
            title: title.into(),
        });
    }

    fn para(&mut self, t: impl Into<String>) {
        self.blocks.push(Block::Paragraph(t.into()));
    }

    fn figure(&mut self, file: &str, chart: Chart) {
        self.blocks.push(Block::Figure {
            file: format!("{}-{file}", self.name),
            chart: Box::new(chart),
        });
    }

    /// Data freshness: each source's release and the last year it has data for.
    fn freshness(&mut self) {
        let mut last: BTreeMap<&str, (Option<i32>, Option<i32>)> = BTreeMap::new();
        for o in self.ds.iter() {
            if o.value().is_none() {
                continue;
            }
            let e = last.entry(o.source_id()).or_default();
            let f = o.flags();
            let slot = if f.contains(Flag::Projection) {
                &mut e.1
            } else {
                &mut e.0
            };
            *slot = Some(slot.map_or(o.year(), |y: i32| y.max(o.year())));
        }
        let mut items: Vec<String> = Vec::new();
        for s in self.ds.sources().all() {
            let Some((actual, projected)) = last.get(s.id.as_str()) else {
                continue;
            };
            // "SIPRI Military Expenditure Database", not the subtitle after a colon.
            let title = s.title.split(':').next().unwrap_or(&s.title).trim();
            let mut t = format!("{title} — {}", s.vintage);
            if let Some(y) = actual {
                t.push_str(&format!(": data to {y}"));
            }
            if let Some(y) = projected {
                t.push_str(&format!(", projections to {y}"));
            }
            if !items.contains(&t) {
                items.push(t);
            }
        }
        self.section("freshness", "Data freshness");
        self.para(format!(
            "This brief reads {} observations from {} releases. Scenario bands use seed {} and {} paths; the same dataset, seed and paths give the same document, byte for byte.",
            self.ds.len(),
            items.len(),
            self.opts.seed,
            self.opts.paths
        ));
        self.blocks.push(Block::List(items));
        self.blocks.push(Block::Sources(vec![
            "fairshare sources registry (data/sources.csv): publisher, release and file of every observation".into(),
        ]));
    }

    /// Shares of GDP by definition, latest year; the trend; NATO compliance bars.
    fn standing(&mut self, codes: &[&str], title: &str) -> Result<(), ReportError> {
        let ds = self.ds;
        let names: Vec<String> = codes.iter().map(|c| self.name(c)).collect();
        self.section("standing", title);
        // Latest value per country, definition and year basis.
        let obs = ds.select_preferred(&Filter {
            countries: codes.iter().map(|c| c.to_string()).collect(),
            measures: vec![Measure::MilexGdp],
            ..Filter::default()
        });
        let mut latest: Vec<fairshare_dataset::Obs> = Vec::new();
        for o in &obs {
            if o.value().is_none() {
                continue;
            }
            match latest.iter_mut().find(|l| {
                l.country_code() == o.country_code()
                    && l.definition() == o.definition()
                    && l.year_basis() == o.year_basis()
            }) {
                Some(l) if o.year() > l.year() => *l = *o,
                Some(_) => {}
                None => latest.push(*o),
            }
        }
        latest.sort_by_key(|o| {
            (
                codes.iter().position(|c| *c == o.country_code()),
                o.definition().to_string(),
            )
        });
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        for o in &latest {
            rows.push(vec![
                self.name(o.country_code()),
                crate::charts::data::definition_label(o.definition()),
                period(o.year(), o.year_basis()),
                pct(o.value().unwrap_or(f64::NAN)),
                o.vintage().to_string(),
                o.flags().names().join(", "),
            ]);
            ids.push(o.source_id().to_string());
        }
        self.para(
            "Military expenditure as a share of GDP, latest year by each definition: SIPRI's (calendar years, its own GDP figures), NATO's (NATO's definition of defence expenditure, in its annual tables) and national readings where the dataset holds them.",
        );
        self.blocks.push(Block::Table {
            head: vec![
                "Country".into(),
                "Definition".into(),
                "Year".into(),
                "% of GDP".into(),
                "Release".into(),
                "Flags".into(),
            ],
            rows,
            numeric: vec![false, false, false, true, false, false],
        });

        // Trend (SIPRI).
        let trend = ds.select_preferred(&Filter {
            countries: codes.iter().map(|c| c.to_string()).collect(),
            measures: vec![Measure::MilexGdp],
            definitions: vec!["sipri".into()],
            from: Some(2000),
            ..Filter::default()
        });
        if !trend.is_empty() {
            let series = series_from_observations(&trend);
            let first = trend.iter().map(|o| o.year()).min().unwrap_or(2000);
            let last = trend.iter().map(|o| o.year()).max().unwrap_or(2000);
            let mut meta = Meta::new(format!(
                "Military burden of {}, {first}–{last}",
                join_and(&names)
            ))
            .subtitle("Military expenditure, % of GDP (SIPRI definition)")
            .id("trend");
            meta.sources = sources_of(&trend);
            let rule2 =
                TargetRule::parse(ds.commitments(), "nato-2pct").map_err(engine("nato-2pct"))?;
            let chart = TimeSeriesChart {
                meta,
                y: ValueAxis::percent_of_gdp(),
                series,
                events: event_markers(ds.events(), codes),
                references: vec![ReferenceLine {
                    value: rule2.threshold,
                    label: rule2.name.clone(),
                }],
                ..TimeSeriesChart::default()
            };
            self.figure("trend", Chart::TimeSeries(chart));
            ids.extend(trend.iter().map(|o| o.source_id().to_string()));
        }

        // NATO compliance bars.
        let (rule, members) = nato_2pct(ds)?;
        let member_codes: Vec<&str> = members.iter().map(String::as_str).collect();
        let mut counts = Vec::new();
        for def in ["sipri", "nato"] {
            let Some(year) = latest_year(ds, &member_codes, &rule, def) else {
                continue;
            };
            let a =
                assess_alliance(ds, "NATO", &rule, def, year).map_err(engine("NATO compliance"))?;
            counts.push(format!(
                "{} definition, {}: {} meet {} exactly; {} when rounded to one decimal",
                crate::charts::data::definition_label(def),
                year,
                a.count.text(),
                rule.name,
                a.count.meeting_rounded
            ));
            for r in &a.rows {
                if let Some(s) = &r.source {
                    ids.push(s.clone());
                }
            }
            if def == "sipri" {
                let bars: Vec<Bar> = a
                    .rows
                    .iter()
                    .filter(|r| r.status == fairshare_dataset::MemberStatus::Active)
                    .map(|r| Bar {
                        key: r.country.clone(),
                        label: self.name(&r.country),
                        value: r.value,
                        period: year.to_string(),
                        flags: r.flags.names().iter().map(|s| s.to_string()).collect(),
                        highlight: codes.contains(&r.country.as_str()),
                    })
                    .collect();
                let mut meta = Meta::new(format!(
                    "NATO allies against 2% of GDP in {year}: {} of {} with data meet it",
                    a.count.meeting, a.count.with_data
                ))
                .subtitle(format!(
                    "Military expenditure, % of GDP, {year} (SIPRI definition)"
                ))
                .id("nato-compliance");
                let mut srcs: Vec<String> =
                    a.rows.iter().filter_map(|r| r.source.clone()).collect();
                srcs.sort();
                srcs.dedup();
                meta.sources = srcs
                    .iter()
                    .filter_map(|s| ds.sources().get(s))
                    .map(source_ref)
                    .collect();
                let chart = BarChart {
                    meta,
                    x: ValueAxis::percent_of_gdp(),
                    target: Some(ReferenceLine {
                        value: rule.threshold,
                        label: rule.name.clone(),
                    }),
                    bars,
                    keep_order: false,
                };
                self.figure("nato-compliance", Chart::Bars(chart));
            }
        }
        self.blocks.push(Block::List(counts));
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// The Diplomat's claims, checked.
    fn claims(&mut self) -> Result<(), ReportError> {
        let ds = self.ds;
        let claims =
            parse_claims(DIPLOMAT_CLAIMS, ds).map_err(engine("claims/diplomat-2024.toml"))?;
        let checks = check_claims(ds, &claims);
        self.section(
            "claims",
            "The Diplomat's 2024 claims, checked against the data",
        );
        let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &checks {
            *tally.entry(c.verdict.as_str()).or_default() += 1;
        }
        self.para(format!(
            "The article's {} numeric claims (claims/diplomat-2024.toml, the file `fairshare claims check` reads): {}.",
            checks.len(),
            tally
                .iter()
                .map(|(v, n)| format!("{n} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        for c in &checks {
            let claimed = c
                .claim
                .value
                .map(|v| format!("{v:.*}", c.claim.decimals.max(0) as usize))
                .unwrap_or_else(|| "—".into());
            let current = c
                .current
                .as_ref()
                .map(|f| format!("{:.2} ({}, {})", f.value, f.definition, f.vintage))
                .unwrap_or_else(|| "—".into());
            if let Some(f) = &c.current {
                ids.push(f.source.clone());
            }
            let verdict = match c.verdict {
                Verdict::Matches => "matches",
                Verdict::Revised => "revised",
                Verdict::Contradicted => "contradicted",
                Verdict::NotCheckable => "not checkable",
            };
            rows.push(vec![
                format!("“{}”", c.claim.quote),
                claimed,
                current,
                verdict.to_string(),
                c.explanation.clone(),
            ]);
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Claim".into(),
                "Stated".into(),
                "Current figure".into(),
                "Verdict".into(),
                "Why".into(),
            ],
            rows,
            numeric: vec![false, true, false, false, false],
        });
        let mut sources = vec!["The Diplomat, Takahashi Kosuke, “What Trump's Re-election Could Mean for the Japan-US Alliance” (2024)".to_string()];
        sources.extend(self.sources(&ids));
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// Host-nation support, US troops and what the reported demands mean.
    fn hns(&mut self, demands: &[(&str, &str)]) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section(
            "hns",
            "Host-nation support, US troops and the reported demands",
        );
        self.para("Each reported demand is set against the host's latest support figure, its defence budget (SIPRI definition), its GDP (IMF WEO) and the US troops stationed there (DMDC), as `fairshare hns COUNTRY --demand AMOUNT` computes it.");
        let mut bases = Vec::new();
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        for (code, demand) in demands {
            let d = Demand::parse(demand).map_err(engine(demand))?;
            let ledger = hns_ledger(
                ds,
                code,
                &HnsOptions {
                    demand: Some(d.clone()),
                    ..HnsOptions::default()
                },
            )
            .map_err(engine("host-nation support"))?;
            let Some(h) = ledger.headline else { continue };
            let s = &ledger.years[h.support];
            let cur = &ledger.currency;
            let dy = s.demand.as_ref();
            let at = |i: Option<usize>| i.map(|i| &ledger.years[i]);
            let budget = at(h.budget);
            let gdp = at(h.gdp);
            let troops = at(h.troops);
            for y in [Some(s), budget, gdp, troops].into_iter().flatten() {
                if let Some(src) = &y.source {
                    ids.push(src.clone());
                }
                if let Some(src) = &y.budget_source {
                    ids.push(src.clone());
                }
            }
            bases.push(format!(
                "{} {}: {}",
                self.name(code),
                period(s.year, ledger.year_basis),
                s.basis
            ));
            rows.push(vec![
                self.name(code),
                money(d.amount, &d.currency),
                format!(
                    "{} ({})",
                    opt_money(s.hns_lcu, cur),
                    period(s.year, ledger.year_basis)
                ),
                opt_money(s.hns_usd, "US$"),
                dy.and_then(|x| x.multiple)
                    .map(|m| format!("{m:.2}×"))
                    .unwrap_or_else(|| "—".into()),
                budget
                    .and_then(|b| b.demand.as_ref())
                    .and_then(|x| x.share_of_budget)
                    .map(pct)
                    .unwrap_or_else(|| "—".into()),
                gdp.and_then(|b| b.demand.as_ref())
                    .and_then(|x| x.share_of_gdp)
                    .map(pct)
                    .unwrap_or_else(|| "—".into()),
                troops
                    .and_then(|t| t.us_troops.map(|n| format!("{n:.0} ({})", t.troops_year)))
                    .unwrap_or_else(|| "—".into()),
                troops
                    .and_then(|t| t.demand.as_ref())
                    .and_then(|x| x.per_troop_usd)
                    .map(|v| format!("{v:.0} US$"))
                    .unwrap_or_else(|| "—".into()),
            ]);
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Host".into(),
                "Demand a year".into(),
                "Latest support".into(),
                "Support, US$".into(),
                "Demand ÷ support".into(),
                "% of defence budget".into(),
                "% of GDP".into(),
                "US troops".into(),
                "Demand per troop".into(),
            ],
            rows,
            numeric: vec![false, true, true, true, true, true, true, true, true],
        });
        self.blocks.push(Block::List(bases));
        self.blocks.push(Block::Note("Support figures differ in scope between hosts (Japan's counts its budget for US forces; Korea's is the Special Measures Agreement contribution), so the multiples compare each host with itself, not the two hosts with each other.".into()));
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// How allies respond: the exploitation test (with caveats).
    fn models(&mut self, nash_alliance: &str) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section("models", "How allies respond to US spending and threat");
        let (rule, members) = nato_2pct(ds)?;
        let to = latest_sipri_year(ds, &rule, &members)?;
        let years = exploitation_data(ds, "NATO", 1960, to).map_err(engine("exploitation data"))?;
        let sections: Vec<_> = years.iter().map(|y| y.cross_section()).collect();
        let series = exploitation_series(&sections);
        let mut decades: BTreeMap<i32, (usize, usize, usize)> = BTreeMap::new();
        let mut ids = Vec::new();
        for (t, input) in series.iter().zip(&years) {
            for m in &input.members {
                ids.push(m.gdp.source.clone());
                ids.push(m.burden.source.clone());
            }
            if let (Some(rho), Some(p)) = (t.rho, t.p_value) {
                let d = decades.entry(t.year.div_euclid(10) * 10).or_default();
                d.0 += 1;
                if p < 0.05 && rho > 0.0 {
                    d.1 += 1;
                }
                if p < 0.05 && rho < 0.0 {
                    d.2 += 1;
                }
            }
        }
        self.para("The exploitation hypothesis (Olson & Zeckhauser 1966): in an alliance, larger members carry a larger share of the common defence. The test is Spearman's rank correlation between NATO members' GDP and their military burden, year by year (`fairshare model exploitation --alliance NATO`).");
        let rows = decades
            .iter()
            .map(|(d, (n, pos, neg))| {
                vec![
                    format!("{d}s"),
                    n.to_string(),
                    pos.to_string(),
                    neg.to_string(),
                ]
            })
            .collect();
        self.blocks.push(Block::Table {
            head: vec![
                "Decade".into(),
                "Years tested".into(),
                "Significant, larger pay more".into(),
                "Significant, smaller pay more".into(),
            ],
            rows,
            numeric: vec![false, true, true, true],
        });
        self.blocks.push(Block::Note("A rank correlation is descriptive: it does not control for threat or for private benefits of defence. The panel fit (`fairshare model fit`), which estimates allies' response to US spending and to threat, depends on its specification and is not repeated in this brief (see docs/models.md).".into()));
        self.nash(nash_alliance, to, &mut ids)?;
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// The public-good game calibrated on one year's spending: what each member would
    /// provide if the United States left (`fairshare model nash --remove USA`).
    fn nash(
        &mut self,
        alliance: &str,
        year: i32,
        ids: &mut Vec<String>,
    ) -> Result<(), ReportError> {
        let ds = self.ds;
        let Ok(d) = fairshare_models::data::nash_data(ds, alliance, year) else {
            return Ok(());
        };
        let Some(us) = d.members.iter().position(|m| m.country == "USA") else {
            return Ok(());
        };
        let incomes = d.incomes();
        let spending = d.spending();
        let calibration =
            nash::calibrate(&incomes, &spending).map_err(engine("Nash calibration"))?;
        let w = nash::what_if(
            &incomes,
            &calibration.weights,
            1.0,
            nash::Change::Remove { member: us },
        )
        .map_err(engine("Nash what-if"))?;
        ids.extend(d.sources());
        self.blocks.push(Block::Subsection(format!(
            "If the United States left: the contribution game, {alliance} {year}"
        )));
        self.para(format!(
            "A pure public-good game (`fairshare model nash --alliance {alliance} --year {year} --remove USA`): each member's taste for defence is calibrated so that the equilibrium reproduces its {year} spending; then the United States leaves and the others play again. Total: {} with the United States, {} without it.",
            money(w.baseline.total, "US$"),
            money(w.scenario.total, "US$")
        ));
        let rows = d
            .members
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != us)
            .map(|(i, m)| {
                let (b, s) = (w.baseline.contributions[i], w.scenario.contributions[i]);
                vec![
                    m.name.clone(),
                    money(m.spending.value, "US$"),
                    money(b, "US$"),
                    money(s, "US$"),
                    if b > 0.0 {
                        format!("{:+.0}%", 100.0 * (s - b) / b)
                    } else {
                        "—".into()
                    },
                ]
            })
            .collect();
        self.blocks.push(Block::Table {
            head: vec![
                "Member".into(),
                format!("Spending {year}"),
                "Equilibrium with the US".into(),
                "Without the US".into(),
                "Change".into(),
            ],
            rows,
            numeric: vec![false, true, true, true, true],
        });
        self.blocks.push(Block::Note("The game treats defence as a pure public good shared by all members, ignores threat and private benefits, and is calibrated on a single year: it shows the direction of free-riding incentives, not a forecast.".into()));
        Ok(())
    }

    /// Events since the article, with what the data say about them.
    fn since(&mut self, codes: &[&str]) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section("since", "What happened since the article");
        let mut rows = Vec::new();
        for e in ds.events() {
            if !e.date.starts_with("2024")
                && !e.date.starts_with("2025")
                && !e.date.starts_with("2026")
            {
                continue;
            }
            if !e.countries.iter().any(|c| codes.contains(&c.as_str())) {
                continue;
            }
            rows.push(vec![
                e.date.clone(),
                e.title.clone(),
                e.description.clone(),
                e.source.clone(),
            ]);
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Date".into(),
                "Event".into(),
                "What happened".into(),
                "Reported by".into(),
            ],
            rows,
            numeric: vec![false, false, false, false],
        });
        // Japan's national 2% against its plan, scored from the commitments registry.
        if codes.contains(&"JPN") {
            let rule = TargetRule::parse(ds.commitments(), "japan-2pct-fy2027")
                .map_err(engine("japan-2pct-fy2027"))?;
            let mut lines = Vec::new();
            let mut ids = Vec::new();
            for def in rule.national_definitions(ds) {
                let Some(year) = latest_year(ds, &["JPN"], &rule, &def) else {
                    continue;
                };
                let a = assess_countries(ds, &["JPN"], &rule, &def, year)
                    .map_err(engine("Japan's 2%"))?;
                for r in &a.rows {
                    let Some(v) = r.value else { continue };
                    if let Some(s) = &r.source {
                        ids.push(s.clone());
                    }
                    let ahead = rule.by_year.map(|by| by - year).unwrap_or(0);
                    let verdict = match (r.meets, r.meets_rounded) {
                        (Some(true), _) => "meets it".to_string(),
                        (_, Some(true)) => format!(
                            "rounds to it ({} to one decimal)",
                            pct(fairshare_metrics::rounding::round_one_decimal(v))
                        ),
                        _ => "does not meet it yet".to_string(),
                    };
                    let timing = if r.meets_rounded == Some(true) && ahead > 0 {
                        format!(
                            ", {ahead} year{} ahead of the FY{} deadline",
                            if ahead == 1 { "" } else { "s" },
                            year + ahead
                        )
                    } else {
                        String::new()
                    };
                    lines.push(format!(
                        "{} {}: {} of FY2022 GDP by the national reading ({}; flags: {}) against {} — {}{}",
                        self.name("JPN"),
                        period(year, r.year_basis),
                        pct(v),
                        crate::charts::data::definition_label(&def),
                        if r.flags.is_empty() { "none".to_string() } else { r.flags.names().join(", ") },
                        rule.name,
                        verdict,
                        timing
                    ));
                }
            }
            if !lines.is_empty() {
                self.blocks
                    .push(Block::Subsection("Japan's 2% goal, scored".into()));
                self.blocks.push(Block::List(lines));
                let mut sources = self.sources(&ids);
                sources.push(
                    "fairshare events registry (data/events.csv), each row citing its report"
                        .into(),
                );
                self.blocks.push(Block::Sources(sources));
                return Ok(());
            }
        }
        self.blocks.push(Block::Sources(vec![
            "fairshare events registry (data/events.csv), each row citing its report".into(),
        ]));
        Ok(())
    }

    /// Japan's cost paths to 2% (plan), 3.5% and 5% by 2035.
    fn japan_paths(&mut self) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section(
            "paths",
            "Japan's 2% plan, 3.5% and 5% by 2035: what they cost",
        );
        self.para("Spending paths from the latest actual share to each target, rising in equal steps of the share (`fairshare gap Japan --target ...`); the money is the extra spending over holding the base share, summed over the path.");
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        let cases: Vec<(String, String)> = {
            let plan = TargetRule::parse(ds.commitments(), "japan-2pct-fy2027")
                .map_err(engine("japan-2pct-fy2027"))?;
            let mut v: Vec<(String, String)> = plan
                .national_definitions(ds)
                .into_iter()
                .map(|d| ("japan-2pct-fy2027".to_string(), d))
                .collect();
            v.push(("nato-core-3.5pct-2035".into(), "sipri".into()));
            v.push(("nato-5pct-2035".into(), "sipri".into()));
            v
        };
        let mut names: Vec<String> = Vec::new();
        for (target, def) in &cases {
            let rule = TargetRule::parse(ds.commitments(), target).map_err(engine(target))?;
            let p = match gap_path(ds, "JPN", &rule, def, None, None) {
                Ok(p) => p,
                Err(_) => continue,
            };
            ids.push(p.base_source.clone());
            if let Some(s) = &p.gdp_source {
                ids.push(s.clone());
            }
            let last = p.years.last();
            let named = format!("{}: {}", rule.id, rule.name);
            if !names.contains(&named) {
                names.push(named);
            }
            rows.push(vec![
                rule.id.clone(),
                crate::charts::data::definition_label(def),
                format!(
                    "{} in {}",
                    pct(p.base_share),
                    period(p.base_year, p.year_basis)
                ),
                period(p.by, p.year_basis),
                last.map(|y| money(y.required_lcu, &p.currency))
                    .unwrap_or_else(|| "—".into()),
                last.and_then(|y| y.required_usd)
                    .map(|v| money(v, "US$"))
                    .unwrap_or_else(|| "—".into()),
                money(p.cumulative_extra_lcu, &p.currency),
            ]);
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Target".into(),
                "Reading".into(),
                "Base".into(),
                "By".into(),
                "Spending in the target year".into(),
                "In US$".into(),
                "Extra over the path".into(),
            ],
            rows,
            numeric: vec![false, false, true, false, true, true, true],
        });
        self.blocks.push(Block::List(names));
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// Built-in scenarios run with the brief's seed and paths: fan of the share of GDP
    /// and a table of the last year's bands.
    fn scenarios(
        &mut self,
        id: &str,
        title: &str,
        country: &str,
        names: &[&str],
    ) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section(id, title);
        self.para(format!(
            "Each built-in scenario (`fairshare scenario run NAME`) run over {} seeded paths (seed {}). The policy fixes the share of GDP, so the charts show what it costs in current US dollars, where growth, inflation and the exchange rate move: bands are the 5th–95th and 25th–75th percentiles of the paths, the dashed line the median.",
            self.opts.paths, self.opts.seed
        ));
        let mut rows = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        for name in names {
            let results = run_builtin(ds, name, &self.opts)?;
            for r in results.records.iter().filter(|r| r.country == country) {
                for id in r.source.split([';', ',']) {
                    let id = id.trim().to_string();
                    if !id.is_empty() && !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            if let Some(mut fan) = fan_chart(ds, &results, COMBINED, country, "milex_usd_current") {
                fan.meta.id = format!("fan-{name}");
                self.figure(&format!("fan-{name}"), Chart::Fan(fan));
            }
            let last_of = |measure: &str| {
                results
                    .records
                    .iter()
                    .rfind(|r| r.branch == COMBINED && r.country == country && r.measure == measure)
            };
            let last = last_of("milex_gdp");
            let usd = last_of("milex_usd_current");
            if let Some(r) = last {
                let p = r
                    .p_target_met
                    .iter()
                    .map(|(k, v)| format!("{k}: {:.0}%", v * 100.0))
                    .collect::<Vec<_>>()
                    .join("; ");
                rows.push(vec![
                    name.to_string(),
                    period(r.year, r.year_basis.parse().unwrap_or(YearBasis::Calendar)),
                    pct(r.q50),
                    format!("{}–{}", pct(r.q05), pct(r.q95)),
                    usd.map(|u| {
                        format!(
                            "{} ({}–{})",
                            money(u.q50, "US$"),
                            money(u.q05, "US$"),
                            money(u.q95, "US$")
                        )
                    })
                    .unwrap_or_else(|| "—".into()),
                    if p.is_empty() { "—".into() } else { p },
                    money(
                        r.cumulative_extra_lcu,
                        &ds.countries()
                            .get(country)
                            .map(|c| c.currency.clone())
                            .unwrap_or_default(),
                    ),
                ]);
            }
            for n in &results.notes {
                if !notes.contains(n) {
                    notes.push(n.clone());
                }
            }
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Scenario".into(),
                "Year".into(),
                "Median % of GDP".into(),
                "90% band".into(),
                "Spending, US$: median (90% band)".into(),
                "Probability of meeting targets".into(),
                "Mean extra spending to date".into(),
            ],
            rows,
            numeric: vec![false, false, true, true, true, false, true],
        });
        self.blocks.push(Block::Subsection(
            "Method notes from the scenario engine".into(),
        ));
        self.blocks.push(Block::List(notes));
        let mut sources = self.sources(&ids);
        sources.push(
            "fairshare built-in scenarios (scenarios/*.toml), each citing its sources".into(),
        );
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// NATO: counts meeting 2% by year, by definition.
    fn nato_counts(&mut self) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section("counts", "How many allies meet 2%, year by year");
        let (rule, members) = nato_2pct(ds)?;
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        let last = latest_sipri_year(ds, &rule, &members)?;
        for year in 2014..=last {
            let mut row = vec![year.to_string()];
            for def in ["sipri", "nato"] {
                match assess_alliance(ds, "NATO", &rule, def, year) {
                    Ok(a) if a.count.with_data > 0 => {
                        ids.extend(a.rows.iter().filter_map(|r| r.source.clone()));
                        row.push(a.count.text());
                    }
                    _ => row.push("—".into()),
                }
            }
            rows.push(row);
        }
        self.blocks.push(Block::Table {
            head: vec![
                "Year".into(),
                "SIPRI definition".into(),
                "NATO definition".into(),
            ],
            rows,
            numeric: vec![false, true, true],
        });
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }

    /// NATO: shares of spending against shares of GDP.
    fn nato_shares(&mut self) -> Result<(), ReportError> {
        let ds = self.ds;
        self.section("shares", "Burden shares: spending share against GDP share");
        let (rule, members) = nato_2pct(ds)?;
        let year = latest_sipri_year(ds, &rule, &members)?;
        let f = fair_share(ds, "NATO", year, "sipri", false).map_err(engine("fair share"))?;
        self.para(format!(
            "NATO {year}: members counted {} of {}, alliance burden {} of GDP. A ratio above 1 means a member's share of the alliance's military spending exceeds its share of the alliance's GDP (`fairshare share --alliance NATO --year {year}`).",
            f.counted(),
            f.members.len(),
            pct(f.alliance_burden)
        ));
        let mut ms: Vec<_> = f.members.iter().filter(|m| m.counted()).collect();
        ms.sort_by(|a, b| {
            b.ratio
                .partial_cmp(&a.ratio)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.country.cmp(&b.country))
        });
        let mut ids = Vec::new();
        let rows = ms
            .iter()
            .map(|m| {
                ids.extend(m.milex_source.clone());
                ids.extend(m.gdp_source.clone());
                vec![
                    self.name(&m.country),
                    opt_pct(m.share_of_milex),
                    opt_pct(m.share_of_gdp),
                    m.ratio
                        .map(|r| format!("{r:.2}"))
                        .unwrap_or_else(|| "—".into()),
                    opt_pct(m.burden),
                ]
            })
            .collect();
        self.blocks.push(Block::Table {
            head: vec![
                "Member".into(),
                "Share of spending".into(),
                "Share of GDP".into(),
                "Ratio".into(),
                "Burden, % of GDP".into(),
            ],
            rows,
            numeric: vec![false, true, true, true, true],
        });
        let sources = self.sources(&ids);
        self.blocks.push(Block::Sources(sources));
        Ok(())
    }
}

/// Run a built-in scenario with the brief's seed and paths.
pub fn run_builtin(ds: &Dataset, name: &str, opts: &Options) -> Result<Results, ReportError> {
    let b = fairshare_scenario::builtin::get(name)
        .ok_or_else(|| ReportError::Engine(format!("no built-in scenario {name}")))?;
    let scenario =
        fairshare_scenario::parse(b.text, b.file, ds.countries()).map_err(engine(b.file))?;
    let inputs = fairshare_scenario::prepare(ds, &scenario).map_err(engine(b.file))?;
    let model = fairshare_scenario::resolve(&scenario, &inputs).map_err(engine(b.file))?;
    fairshare_scenario::run(
        &model,
        &RunOptions {
            paths: opts.paths,
            seed: opts.seed,
            progress: None,
        },
    )
    .map_err(engine(b.file))
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
