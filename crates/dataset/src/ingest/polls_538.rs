//! FiveThirtyEight's 2024 national presidential polls (`polls_538/`; layout in its
//! SOURCE.md), into the polls registry (`data/polls.csv`, [`crate::polls`]).
//!
//! The reader takes `national_h2h_2024_derived.csv`, the folder's one-row-per-question
//! extract of 538's `president_polls.csv` and forecast poll list: national two-way
//! questions only (Biden–Trump, then Harris–Trump), with the columns
//! `source_file,poll_id,question_id,pollster,numeric_grade,start_date,end_date,population,
//! sample_size,dem_candidate,dem_pct,trump_pct`. Each row is checked (ids are integers,
//! dates `YYYY-MM-DD` in order, support a percentage) and kept as published: choosing one
//! question per poll and averaging is the scenario method's job, not the reader's.

use std::path::Path;

use super::table::Table;
use super::{IngestError, ReaderOutput, find_file};
use crate::commitments::Commitments;
use crate::polls::Poll;
use crate::registry::{CountryRegistry, Source};

pub const SOURCE_ID: &str = "polls-538-2024";

/// Read the folder under the raw root.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("polls_538");
    read_file(&find_file(&dir, "national_h2h_2024", ".csv")?, countries)
}

/// Read one file in the derived layout.
pub fn read_file(path: &Path, _countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [
        file_col,
        poll_col,
        question_col,
        pollster_col,
        grade_col,
        start_col,
        end_col,
        population_col,
        sample_col,
        dem_col,
        dem_pct_col,
        trump_pct_col,
    ] = table.columns(&[
        "source_file",
        "poll_id",
        "question_id",
        "pollster",
        "numeric_grade",
        "start_date",
        "end_date",
        "population",
        "sample_size",
        "dem_candidate",
        "dem_pct",
        "trump_pct",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let mut polls = Vec::new();
    let mut first = String::new();
    let mut last = String::new();
    for row in table.rows() {
        let id = |col: usize, what: &str| -> Result<u64, IngestError> {
            let cell = row.get(col);
            cell.parse::<u64>()
                .map_err(|_| row.error(format!("{what} '{cell}' is not a whole number")))
        };
        let pct = |col: usize, what: &str| -> Result<f64, IngestError> {
            let v = row.number(col, what)?;
            if (0.0..=100.0).contains(&v) {
                Ok(v)
            } else {
                Err(row.error(format!("{what} {v} is not a percentage (0-100)")))
            }
        };
        let date = |col: usize, what: &str| -> Result<String, IngestError> {
            let cell = row.text(col, what)?;
            crate::events::EventDate::parse(cell)
                .ok()
                .filter(|d| d.day.is_some())
                .map(|_| cell.to_string())
                .ok_or_else(|| row.error(format!("{what} '{cell}' is not a date (YYYY-MM-DD)")))
        };
        // 538's forecast poll list writes a missing rating as `NA`.
        let grade = match row.get(grade_col) {
            "" | "NA" => None,
            g => Some(
                row.number(grade_col, "numeric_grade")
                    .map_err(|_| row.error(format!("numeric_grade '{g}' is not a number")))?,
            ),
        };
        let sample_size = match row.get(sample_col) {
            "" => None,
            s => Some(
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 1.0 && *v <= 1e7 && v.fract() == 0.0)
                    .map(|v| v as u32)
                    .ok_or_else(|| row.error(format!("sample_size '{s}' is not a count")))?,
            ),
        };
        let start_date = date(start_col, "start_date")?;
        let end_date = date(end_col, "end_date")?;
        if start_date > end_date {
            return Err(row.error(format!(
                "start_date {start_date} is after end_date {end_date}"
            )));
        }
        if first.is_empty() || end_date < first {
            first = end_date.clone();
        }
        if end_date > last {
            last = end_date.clone();
        }
        polls.push(Poll {
            poll_id: id(poll_col, "poll_id")?,
            question_id: id(question_col, "question_id")?,
            pollster: row.text(pollster_col, "pollster")?.to_string(),
            numeric_grade: grade,
            start_date,
            end_date,
            population: row.text(population_col, "population")?.to_ascii_lowercase(),
            sample_size,
            dem_candidate: row.text(dem_col, "dem_candidate")?.to_string(),
            dem_pct: pct(dem_pct_col, "dem_pct")?,
            rep_candidate: "Donald Trump".to_string(),
            rep_pct: pct(trump_pct_col, "trump_pct")?,
            source: SOURCE_ID.to_string(),
            source_file: row.text(file_col, "source_file")?.to_string(),
        });
    }
    if let Some(problem) = crate::polls::problems(&polls).into_iter().next() {
        return Err(IngestError::format(path, problem));
    }
    crate::polls::sort(&mut polls);
    let source = Source {
        id: SOURCE_ID.to_string(),
        publisher: "FiveThirtyEight / ABC News".to_string(),
        title: "2024 US presidential general-election polls, national two-way questions \
                (president_polls.csv to 31 Jul 2024; forecast poll list to 4 Nov 2024)"
            .to_string(),
        file: table.file_name(),
        vintage: format!("538 polls, end dates {first} to {last}"),
        released: "2024-07-31 (president_polls.csv); 2024-11-04 (poll_list.csv)".to_string(),
        url: "https://projects.fivethirtyeight.com/polls/data/president_polls.csv".to_string(),
        licence: "CC BY 4.0; cite FiveThirtyEight".to_string(),
        citation: format!(
            "FiveThirtyEight, 2024 presidential general-election polls (national two-way \
             questions, end dates {first} to {last}), CC BY 4.0."
        ),
        rank: 1,
        note: "One row per poll question as 538 published it; a poll may ask the question of \
               several populations (lv, rv, a). National polls measure the popular vote, not \
               the electoral college."
            .to_string(),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            polls,
            ..Default::default()
        },
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("national_h2h_2024_derived.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const HEADER: &str = "source_file,poll_id,question_id,pollster,numeric_grade,start_date,end_date,population,sample_size,dem_candidate,dem_pct,trump_pct\n";

    #[test]
    fn reads_questions_as_published() {
        let (_d, path) = write(&format!(
            "{HEADER}president_polls_2024-07-31.csv,85001,170001,Emerson College,2.9,2024-02-13,2024-02-14,rv,1225,Joe Biden,43.5,45.6\n\
             president_polls_2024-07-31.csv,85001,170002,Emerson College,2.9,2024-02-13,2024-02-14,lv,1000,Joe Biden,44.0,46.0\n\
             poll_list_2024-11-04.csv,84001,169001,Ipsos,NA,2024-01-03,2024-01-05,a,,Joe Biden,40.0,38.0\n"
        ));
        let out = read_file(&path, &builtin_countries()).unwrap();
        let polls = &out.commitments.polls;
        assert_eq!(polls.len(), 3);
        // Sorted by end date.
        assert_eq!(polls[0].pollster, "Ipsos");
        assert_eq!(polls[0].numeric_grade, None);
        assert_eq!(polls[0].sample_size, None);
        assert_eq!(polls[1].population, "rv");
        assert_eq!(polls[1].sample_size, Some(1225));
        assert_eq!(polls[1].pct_of("Trump"), Some(45.6));
        assert_eq!(polls[1].pct_of("Biden"), Some(43.5));
        assert_eq!(polls[1].pct_of("Harris"), None);
        assert!(out.sources[0].vintage.contains("2024-01-05 to 2024-02-14"));
    }

    #[test]
    fn bad_rows_name_the_line_and_the_problem() {
        for (row, expected) in [
            (
                "x.csv,1,2,P,,2024-02-13,2024-02-14,lv,100,Joe Biden,143.5,45.6",
                "line 2: dem_pct 143.5",
            ),
            (
                "x.csv,1,2,P,,2024-02-15,2024-02-14,lv,100,Joe Biden,43.5,45.6",
                "start_date 2024-02-15 is after",
            ),
            (
                "x.csv,1,2,P,,2024-02-13,2024-02-30,lv,100,Joe Biden,43.5,45.6",
                "end_date '2024-02-30'",
            ),
            (
                "x.csv,one,2,P,,2024-02-13,2024-02-14,lv,100,Joe Biden,43.5,45.6",
                "poll_id 'one'",
            ),
            (
                "x.csv,1,2,P,,2024-02-13,2024-02-14,lv,-5,Joe Biden,43.5,45.6",
                "sample_size '-5'",
            ),
        ] {
            let (_d, path) = write(&format!("{HEADER}{row}\n"));
            let err = read_file(&path, &builtin_countries())
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{err}");
        }
        let (_d, path) = write("source_file,poll_id\nx,1\n");
        let err = read_file(&path, &builtin_countries())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no 'question_id' column"), "{err}");
        let (_d, path) = write(&format!(
            "{HEADER}x.csv,1,2,P,,2024-02-13,2024-02-14,lv,100,Joe Biden,43.5,45.6\nx.csv,1,2,P,,2024-02-13,2024-02-14,lv,100,Joe Biden,43.5,45.6\n"
        ));
        let err = read_file(&path, &builtin_countries())
            .unwrap_err()
            .to_string();
        assert!(err.contains("listed twice"), "{err}");
    }
}
