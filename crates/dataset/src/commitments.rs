//! Commitments: the registries that say who is allied with whom and what they
//! promised to spend. Four small tables beside the observations in `data/`:
//!
//! - `alliances.csv` and `memberships.csv` ([`crate::alliances`]): NATO with accession
//!   years; the US treaty allies with their treaties (and New Zealand's suspension);
//! - `targets.csv` ([`crate::targets`]): NATO's Wales and Hague targets and Japan's
//!   2%-by-FY2027 target, with the raw files' names as aliases;
//! - `plans.csv`: budgeted multi-year programmes (Japan's ¥43 trillion FY2023-27 Defense
//!   Buildup Program) and agreements (Japan's host-nation-support Special Measures
//!   Agreements, ¥1,055.1 billion over FY2022-26);
//! - `earlier_figures.csv` ([`crate::earlier`]): what earlier releases of a publisher
//!   printed (SIPRI's April 2023 figures), kept apart from the data for checking claims;
//! - `polls.csv` ([`crate::polls`]): national head-to-head polls of the 2024 US election
//!   (FiveThirtyEight), which scenario branches can take their probability from.
//!
//! Every row names its source (an id in `sources.csv`) and the page it was compiled
//! from (`source_url`), because these tables are compiled by hand from many pages.

use serde::{Deserialize, Serialize};

pub use crate::alliances::{Alliance, MemberStatus, Membership};
pub use crate::earlier::EarlierFigure;
pub use crate::polls::Poll;
pub use crate::targets::{Plan, Target};

use crate::error::DatasetError;
use crate::registry::{CountryRegistry, Definition, SourceRegistry, read_rows, write_rows};

/// File names inside a dataset directory.
pub mod files {
    pub const ALLIANCES: &str = "alliances.csv";
    pub const MEMBERSHIPS: &str = "memberships.csv";
    pub const TARGETS: &str = "targets.csv";
    pub const PLANS: &str = "plans.csv";
    pub const EARLIER_FIGURES: &str = "earlier_figures.csv";
    pub const POLLS: &str = crate::polls::FILE;
}

/// The alliances, memberships, targets and plans of a dataset, and the figures earlier
/// releases printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Commitments {
    pub alliances: Vec<Alliance>,
    pub memberships: Vec<Membership>,
    pub targets: Vec<Target>,
    pub plans: Vec<Plan>,
    pub earlier_figures: Vec<EarlierFigure>,
    pub polls: Vec<Poll>,
}

impl Commitments {
    pub fn extend(&mut self, other: Commitments) {
        self.alliances.extend(other.alliances);
        self.memberships.extend(other.memberships);
        self.targets.extend(other.targets);
        self.plans.extend(other.plans);
        self.earlier_figures.extend(other.earlier_figures);
        self.polls.extend(other.polls);
    }

    pub fn is_empty(&self) -> bool {
        self.alliances.is_empty()
            && self.memberships.is_empty()
            && self.targets.is_empty()
            && self.plans.is_empty()
            && self.earlier_figures.is_empty()
            && self.polls.is_empty()
    }

    /// Put every table in registry order (deterministic files and lookups).
    pub fn sort(&mut self) {
        crate::alliances::sort(&mut self.alliances, &mut self.memberships);
        crate::targets::sort(&mut self.targets, &mut self.plans);
        crate::earlier::sort(&mut self.earlier_figures);
        crate::polls::sort(&mut self.polls);
    }

    /// An alliance id as typed (`nato`); unknown ones list the valid ids.
    pub fn alliance(&self, input: &str) -> Result<&Alliance, DatasetError> {
        crate::alliances::resolve_alliance(&self.alliances, input)
    }

    /// A target id or alias as typed (`nato-2pct`, `wales_2pct`).
    pub fn target(&self, input: &str) -> Result<&Target, DatasetError> {
        crate::targets::resolve_target(&self.targets, input)
    }

    /// The members of an alliance in a year, by country code, with their standing.
    pub fn members_in(&self, alliance: &str, year: i32) -> Vec<(&Membership, MemberStatus)> {
        crate::alliances::members_in(&self.memberships, alliance, year)
    }

    /// Every membership row of one country (all alliances, all years).
    pub fn memberships_of<'a>(&'a self, country: &'a str) -> impl Iterator<Item = &'a Membership> {
        self.memberships
            .iter()
            .filter(move |m| m.country == country)
    }

    /// The plans of one country.
    pub fn plans_of<'a>(&'a self, country: &'a str) -> impl Iterator<Item = &'a Plan> {
        self.plans.iter().filter(move |p| p.country == country)
    }

    /// The files, sorted, as (file name, CSV text).
    pub(crate) fn render(&self) -> Result<Vec<(String, String)>, DatasetError> {
        let mut c = self.clone();
        c.sort();
        Ok(vec![
            (
                files::ALLIANCES.to_string(),
                write_rows(&c.alliances, files::ALLIANCES)?,
            ),
            (
                files::MEMBERSHIPS.to_string(),
                write_rows(&c.memberships, files::MEMBERSHIPS)?,
            ),
            (
                files::TARGETS.to_string(),
                write_rows(&c.targets, files::TARGETS)?,
            ),
            (
                files::PLANS.to_string(),
                write_rows(&c.plans, files::PLANS)?,
            ),
            (
                files::EARLIER_FIGURES.to_string(),
                write_rows(&c.earlier_figures, files::EARLIER_FIGURES)?,
            ),
            (
                files::POLLS.to_string(),
                write_rows(&c.polls, files::POLLS)?,
            ),
        ])
    }

    /// Read the files with `read` (which names the file in its error).
    pub(crate) fn read_with(
        read: impl Fn(&str) -> Result<String, DatasetError>,
    ) -> Result<Commitments, DatasetError> {
        Ok(Commitments {
            alliances: read_rows(&read(files::ALLIANCES)?, files::ALLIANCES)?,
            memberships: read_rows(&read(files::MEMBERSHIPS)?, files::MEMBERSHIPS)?,
            targets: read_rows(&read(files::TARGETS)?, files::TARGETS)?,
            plans: read_rows(&read(files::PLANS)?, files::PLANS)?,
            earlier_figures: read_rows(&read(files::EARLIER_FIGURES)?, files::EARLIER_FIGURES)?,
            polls: read_rows(&read(files::POLLS)?, files::POLLS)?,
        })
    }

    /// Refuse what would make answers wrong: a membership of an unknown alliance or
    /// country, a row citing a source that is not registered, two targets answering to
    /// one name. (`data check` reports these and the softer faults row by row.)
    pub(crate) fn validate(
        &self,
        countries: &CountryRegistry,
        sources: &SourceRegistry,
        definitions: &[Definition],
    ) -> Result<(), DatasetError> {
        let source = |file: &str, what: String, id: &str| -> Result<(), DatasetError> {
            if sources.get(id).is_none() {
                return Err(DatasetError::invalid(
                    file,
                    format!("{what} cites source '{id}', which is not in sources.csv"),
                ));
            }
            Ok(())
        };
        let country = |file: &str, what: String, code: &str| -> Result<(), DatasetError> {
            if countries.get(code).is_none() {
                return Err(DatasetError::invalid(
                    file,
                    format!("{what}: unknown country code '{code}'"),
                ));
            }
            Ok(())
        };
        for a in &self.alliances {
            source(files::ALLIANCES, format!("alliance {}", a.id), &a.source)?;
            if !a.partner.is_empty() {
                country(files::ALLIANCES, format!("alliance {}", a.id), &a.partner)?;
            }
        }
        for m in &self.memberships {
            let what = format!(
                "membership {} {} from {}",
                m.alliance, m.country, m.from_year
            );
            if !self.alliances.iter().any(|a| a.id == m.alliance) {
                return Err(DatasetError::invalid(
                    files::MEMBERSHIPS,
                    format!("{what}: alliance '{}' is not in alliances.csv", m.alliance),
                ));
            }
            country(files::MEMBERSHIPS, what.clone(), &m.country)?;
            source(files::MEMBERSHIPS, what, &m.source)?;
        }
        crate::targets::check_unique(&self.targets)?;
        for t in &self.targets {
            source(files::TARGETS, format!("target {}", t.id), &t.source)?;
            if !t.country.is_empty() {
                country(files::TARGETS, format!("target {}", t.id), &t.country)?;
            }
            if !definitions.iter().any(|d| d.id == t.definition) {
                return Err(DatasetError::invalid(
                    files::TARGETS,
                    format!(
                        "target {}: definition '{}' is not in definitions.csv",
                        t.id, t.definition
                    ),
                ));
            }
        }
        for p in &self.plans {
            source(files::PLANS, format!("plan {}", p.id), &p.source)?;
            country(files::PLANS, format!("plan {}", p.id), &p.country)?;
        }
        for f in &self.earlier_figures {
            let what = format!(
                "earlier figure {} {} {} ({})",
                f.country, f.measure, f.year, f.vintage
            );
            source(files::EARLIER_FIGURES, what.clone(), &f.source)?;
            country(files::EARLIER_FIGURES, what.clone(), &f.country)?;
            if !definitions.iter().any(|d| d.id == f.definition) {
                return Err(DatasetError::invalid(
                    files::EARLIER_FIGURES,
                    format!(
                        "{what}: definition '{}' is not in definitions.csv",
                        f.definition
                    ),
                ));
            }
        }
        for p in &self.polls {
            source(
                files::POLLS,
                format!("poll {} question {}", p.poll_id, p.question_id),
                &p.source,
            )?;
        }
        if let Some(problem) = crate::polls::problems(&self.polls).into_iter().next() {
            return Err(DatasetError::invalid(files::POLLS, problem));
        }
        Ok(())
    }
}
