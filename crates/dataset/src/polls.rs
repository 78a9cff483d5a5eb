//! National head-to-head polls of the 2024 US presidential election:
//! `data/polls.csv`, one row per poll question.
//!
//! Scenario branches can take their probability from these polls (`from_polls` in a
//! scenario file; the method is in the scenario crate). The rows come from
//! FiveThirtyEight's poll files (`polls_538/`, CC BY 4.0) through the ingest reader
//! [`crate::ingest::polls_538`]: national two-way questions between Donald Trump and the
//! Democratic candidate (Joe Biden until his withdrawal on 21 July 2024, then Kamala
//! Harris), with the pollster, dates, population and sample size as 538 published them.
//! They are registry rows, not observations: a poll is an opinion measured on dates, not
//! a country-year value.

use serde::{Deserialize, Serialize};

/// File name inside a dataset directory.
pub const FILE: &str = "polls.csv";

/// One poll question: a national two-way race as a pollster asked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poll {
    /// 538's ids: one poll can ask several questions (likely voters, registered voters).
    pub poll_id: u64,
    pub question_id: u64,
    pub pollster: String,
    /// 538's pollster rating (0-3), when it has one.
    pub numeric_grade: Option<f64>,
    /// Field dates, `YYYY-MM-DD`.
    pub start_date: String,
    pub end_date: String,
    /// `lv` likely voters, `rv` registered voters, `a` adults, `v` voters.
    pub population: String,
    pub sample_size: Option<u32>,
    /// The two candidates and their support, percent.
    pub dem_candidate: String,
    pub dem_pct: f64,
    pub rep_candidate: String,
    pub rep_pct: f64,
    /// The fairshare source id (`polls-538-2024`) and the publisher file the row came from.
    pub source: String,
    pub source_file: String,
}

impl Poll {
    /// How much a population tells about the electorate: likely voters first.
    pub fn population_rank(&self) -> u8 {
        match self.population.as_str() {
            "lv" => 0,
            "rv" => 1,
            "v" => 2,
            "a" => 3,
            _ => 4,
        }
    }

    /// Support for `candidate` (matched on the surname, case-insensitively), if one of the two.
    pub fn pct_of(&self, candidate: &str) -> Option<f64> {
        let wanted = candidate.trim().to_lowercase();
        let is = |name: &str| {
            let name = name.to_lowercase();
            !wanted.is_empty()
                && (name == wanted || name.split_whitespace().last() == Some(wanted.as_str()))
        };
        if is(&self.dem_candidate) {
            Some(self.dem_pct)
        } else if is(&self.rep_candidate) {
            Some(self.rep_pct)
        } else {
            None
        }
    }
}

/// Registry order: by end date, then poll and question id.
pub(crate) fn sort(polls: &mut [Poll]) {
    polls.sort_by(|a, b| {
        (&a.end_date, a.poll_id, a.question_id).cmp(&(&b.end_date, b.poll_id, b.question_id))
    });
}

/// What would make a probability wrong: percentages outside 0-100, dates that are not
/// `YYYY-MM-DD`, a question listed twice.
pub(crate) fn problems(polls: &[Poll]) -> Vec<String> {
    let mut out = Vec::new();
    let date_ok = |d: &str| {
        d.len() == 10
            && d.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    let mut seen = std::collections::BTreeSet::new();
    for p in polls {
        let what = format!("poll {} question {}", p.poll_id, p.question_id);
        for pct in [p.dem_pct, p.rep_pct] {
            if !(0.0..=100.0).contains(&pct) {
                out.push(format!("{what}: support {pct} is outside 0-100"));
            }
        }
        if !date_ok(&p.start_date) || !date_ok(&p.end_date) || p.start_date > p.end_date {
            out.push(format!(
                "{what}: dates {}..{} are not YYYY-MM-DD in order",
                p.start_date, p.end_date
            ));
        }
        if !seen.insert((p.poll_id, p.question_id)) {
            out.push(format!("{what}: listed twice"));
        }
    }
    out
}
