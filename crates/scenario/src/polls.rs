//! A branch probability from national head-to-head polls (`from_polls` in a scenario).
//!
//! The method, stated in every result it produces:
//!
//! 1. the polls whose **end date** falls in the window (inclusive) and that asked the
//!    head-to-head between the two named candidates;
//! 2. **one question per poll**: where a poll asked several populations, likely voters
//!    first, then registered voters, voters, adults (then the lowest question id);
//! 3. the margin `candidate − opponent` in points, averaged **simply** or **weighted by
//!    sample size** (polls without a sample size are left out of a weighted average and
//!    counted in the method text);
//! 4. P(candidate wins the national vote) = Φ(margin / σ), σ a historical national
//!    polling error in points ([`DEFAULT_POLLING_ERROR_PP`], cited), unless the file
//!    gives `polling_error_pp`.
//!
//! It is a national popular-vote margin: it says nothing about the electoral college.

use fairshare_dataset::polls::Poll;

use crate::spec::{PollSpec, PollWeighting};

/// The spread of the national margin, percentage points: the AAPOR Task Force on 2020
/// Pre-Election Polling (2021) found that national presidential polls in the last two
/// weeks overstated the Biden–Trump margin by 3.9 points, the largest national error in
/// 40 years. Taking the worst recent final-poll error as one standard deviation is a
/// stated choice; polls eight to ten months out err more than final polls, so
/// probabilities from early polls are, if anything, too confident.
pub const DEFAULT_POLLING_ERROR_PP: f64 = 3.9;

/// Where [`DEFAULT_POLLING_ERROR_PP`] comes from.
pub const POLLING_ERROR_CITATION: &str = "AAPOR Task Force on 2020 Pre-Election Polling, \
    'An Evaluation of the 2020 General Election Polls' (July 2021): national polls overstated \
    the Biden-Trump margin by 3.9 points, the largest error in 40 years \
    (https://www-archive.aapor.org/Education-Resources/Reports/2020-Pre-Election-Polling-An-Evaluation-of-the-202.aspx)";

/// What the polls say, and how it was worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct PollEstimate {
    /// P(candidate wins the national popular vote), 0-1.
    pub probability: f64,
    /// Mean margin candidate − opponent, points.
    pub margin: f64,
    /// σ used, points.
    pub sigma: f64,
    /// Polls (one question each) in the average.
    pub polls: usize,
    /// One line for the results' notes.
    pub method: String,
}

/// Why no probability could be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PollError(pub String);

/// The questions the method averages: one per poll in the window, with both candidates.
pub fn questions<'a>(polls: &'a [Poll], spec: &PollSpec) -> Vec<&'a Poll> {
    let (from, to) = (&spec.window.0, &spec.window.1);
    let mut chosen: std::collections::BTreeMap<u64, &Poll> = Default::default();
    for p in polls {
        if p.end_date.as_str() < from.as_str() || p.end_date.as_str() > to.as_str() {
            continue;
        }
        if p.pct_of(&spec.candidate).is_none() || p.pct_of(&spec.opponent).is_none() {
            continue;
        }
        chosen
            .entry(p.poll_id)
            .and_modify(|best| {
                if (p.population_rank(), p.question_id) < (best.population_rank(), best.question_id)
                {
                    *best = p;
                }
            })
            .or_insert(p);
    }
    chosen.into_values().collect()
}

/// Mean margin `candidate − opponent` over the questions, and how many were used.
pub fn mean_margin(
    questions: &[&Poll],
    candidate: &str,
    opponent: &str,
    weighting: PollWeighting,
) -> Option<(f64, usize)> {
    let mut sum = 0.0;
    let mut weight = 0.0;
    let mut used = 0;
    for p in questions {
        let margin = p.pct_of(candidate)? - p.pct_of(opponent)?;
        let w = match weighting {
            PollWeighting::Simple => 1.0,
            PollWeighting::Sample => match p.sample_size {
                Some(n) if n > 0 => f64::from(n),
                _ => continue,
            },
        };
        sum += w * margin;
        weight += w;
        used += 1;
    }
    (used > 0 && weight > 0.0).then(|| (sum / weight, used))
}

/// The standard normal distribution function Φ(x), from the complementary error
/// function (Numerical Recipes' `erfcc`, fractional error below 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Apply the method to `polls` for one branch.
pub fn estimate(polls: &[Poll], spec: &PollSpec) -> Result<PollEstimate, PollError> {
    if polls.is_empty() {
        return Err(PollError(
            "the dataset holds no polls (data/polls.csv is empty): rebuild it with \
             `fairshare data build`, or give the branch a `probability`"
                .into(),
        ));
    }
    let chosen = questions(polls, spec);
    let weighting_name = match spec.weighting {
        PollWeighting::Simple => "simple mean",
        PollWeighting::Sample => "sample-size-weighted mean",
    };
    let Some((margin, used)) =
        mean_margin(&chosen, &spec.candidate, &spec.opponent, spec.weighting)
    else {
        return Err(PollError(format!(
            "no national {} v {} polls end between {} and {}{}",
            spec.candidate,
            spec.opponent,
            spec.window.0,
            spec.window.1,
            if chosen.is_empty() {
                ""
            } else {
                " with a sample size (needed for weighting = \"sample\")"
            }
        )));
    };
    let sigma = spec.polling_error_pp.unwrap_or(DEFAULT_POLLING_ERROR_PP);
    if !(sigma.is_finite() && sigma > 0.0) {
        return Err(PollError(format!(
            "polling_error_pp {sigma} must be a positive number of points"
        )));
    }
    let probability = normal_cdf(margin / sigma);
    let left_out = chosen.len() - used;
    let sigma_source = if spec.polling_error_pp.is_some() {
        "given in the scenario file".to_string()
    } else {
        POLLING_ERROR_CITATION.to_string()
    };
    let method = format!(
        "P({cand} wins the national popular vote) = Phi(margin / sigma) = Phi({margin:+.2} / \
         {sigma}) = {probability:.3}: {used} national {cand} v {opp} polls ending {from} to \
         {to} (FiveThirtyEight, one question per poll, likely voters first){left}, \
         {weighting_name} of the margin {cand} - {opp} = {margin:+.2} points; sigma = {sigma} \
         points, {sigma_source}. A national margin, not the electoral college.",
        cand = spec.candidate,
        opp = spec.opponent,
        from = spec.window.0,
        to = spec.window.1,
        left = if left_out > 0 {
            format!(", {left_out} without a sample size left out")
        } else {
            String::new()
        },
    );
    Ok(PollEstimate {
        probability,
        margin,
        sigma,
        polls: used,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(id: u64, q: u64, end: &str, pop: &str, n: Option<u32>, dem: f64, rep: f64) -> Poll {
        Poll {
            poll_id: id,
            question_id: q,
            pollster: "P".into(),
            numeric_grade: None,
            start_date: "2024-01-01".into(),
            end_date: end.into(),
            population: pop.into(),
            sample_size: n,
            dem_candidate: "Joe Biden".into(),
            dem_pct: dem,
            rep_candidate: "Donald Trump".into(),
            rep_pct: rep,
            source: "polls-538-2024".into(),
            source_file: "x.csv".into(),
        }
    }

    fn spec(weighting: PollWeighting) -> PollSpec {
        PollSpec {
            window: ("2024-01-01".into(), "2024-02-29".into()),
            weighting,
            candidate: "Trump".into(),
            opponent: "Biden".into(),
            polling_error_pp: None,
        }
    }

    #[test]
    fn normal_cdf_matches_tables() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.0) - 0.841_344_746).abs() < 2e-7);
        assert!((normal_cdf(-1.959_963_985) - 0.025).abs() < 2e-8);
        assert!((normal_cdf(3.0) - 0.998_650_102).abs() < 2e-7);
        assert!(normal_cdf(-40.0) >= 0.0 && normal_cdf(40.0) <= 1.0);
    }

    #[test]
    fn one_question_per_poll_likely_voters_first_and_window_inclusive() {
        let polls = vec![
            poll(1, 10, "2024-01-01", "rv", Some(1000), 40.0, 44.0), // +4 rv
            poll(1, 11, "2024-01-01", "lv", Some(800), 40.0, 42.0),  // +2 lv: chosen
            poll(2, 20, "2024-02-29", "a", Some(2000), 45.0, 44.0),  // -1
            poll(3, 30, "2024-03-01", "lv", Some(900), 30.0, 60.0),  // outside
            poll(4, 40, "2023-12-31", "lv", Some(900), 30.0, 60.0),  // outside
        ];
        let q = questions(&polls, &spec(PollWeighting::Simple));
        assert_eq!(
            q.iter().map(|p| p.question_id).collect::<Vec<_>>(),
            [11, 20]
        );
        let (m, n) = mean_margin(&q, "Trump", "Biden", PollWeighting::Simple).unwrap();
        assert_eq!(n, 2);
        assert!((m - 0.5).abs() < 1e-12);
        // Weighted: (800*2 + 2000*-1) / 2800.
        let (w, _) = mean_margin(&q, "Trump", "Biden", PollWeighting::Sample).unwrap();
        assert!((w - (1600.0 - 2000.0) / 2800.0).abs() < 1e-12);
        let e = estimate(&polls, &spec(PollWeighting::Simple)).unwrap();
        assert!((e.probability - normal_cdf(0.5 / 3.9)).abs() < 1e-15);
        assert!(
            e.method.contains("not the electoral college"),
            "{}",
            e.method
        );
        assert!(e.method.contains("AAPOR"), "{}", e.method);
    }

    #[test]
    fn no_polls_in_window_is_an_error() {
        let polls = vec![poll(3, 30, "2024-03-01", "lv", Some(900), 30.0, 60.0)];
        let err = estimate(&polls, &spec(PollWeighting::Simple)).unwrap_err();
        assert!(
            err.0
                .contains("no national Trump v Biden polls end between"),
            "{err}"
        );
        assert!(estimate(&[], &spec(PollWeighting::Simple)).is_err());
        let mut s = spec(PollWeighting::Simple);
        s.polling_error_pp = Some(0.0);
        let polls = vec![poll(3, 30, "2024-02-01", "lv", Some(900), 30.0, 60.0)];
        assert!(estimate(&polls, &s).unwrap_err().0.contains("positive"));
    }
}
