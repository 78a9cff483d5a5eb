//! The event registry: dated events that explain turns in the series (a summit
//! pledge, an election, a budget), so charts can mark them and reports can score what
//! followed.
//!
//! Hand-curated in `registry/events.csv` (compiled into the crate; `data build`
//! copies it to `data/events.csv`). The first events are those of The Diplomat's 2024
//! article on a second Trump term and the Japan–US alliance (its copy is in
//! `../shared/context/`) and what followed. Each row cites a source: the page a raw
//! folder file (`../shared/data/raw/*/*.csv`) names for the fact, or the article
//! itself, referenced as `shared/context/<file>` because the project holds no URL for it.
//! Where no raw file documents an event, `note` says so and names the best reference.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DatasetError;
use crate::registry::{CountryRegistry, read_rows, write_rows};

/// File name inside a dataset directory.
pub const FILE: &str = "events.csv";

/// How precisely an event's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// `YYYY-MM-DD`
    Day,
    /// `YYYY-MM`: reported as "in June 2025".
    Month,
    /// `YYYY`: known only by year.
    Year,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

impl fmt::Display for DatePrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date known to a day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl EventDate {
    /// `2024-02-10`, `2025-06` or `2024`; anything else (or an impossible day) is refused.
    pub fn parse(text: &str) -> Result<EventDate, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, digits: usize, what: &str| -> Result<u32, String> {
            if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "date '{text}': the {what} must be {digits} digits (YYYY-MM-DD, YYYY-MM or YYYY)"
                ));
            }
            s.parse::<u32>().map_err(|e| format!("date '{text}': {e}"))
        };
        let year = number(parts[0], 4, "year")? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(number(m, 2, "month")?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => Some(number(d, 2, "day")?),
            None => None,
        };
        if parts.len() > 3 {
            return Err(format!(
                "date '{text}': expected YYYY-MM-DD, YYYY-MM or YYYY"
            ));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("date '{text}': month {m} does not exist"));
        }
        if let (Some(m), Some(d)) = (month, day)
            && (d < 1 || d > days_in_month(year, m))
        {
            return Err(format!(
                "date '{text}': day {d} does not exist in that month"
            ));
        }
        Ok(EventDate { year, month, day })
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// The date as a decimal year at the middle of the period it names, for placing
    /// the event on a time axis: 10 Feb 2024 is 2024.11, June 2025 is 2025.46, a
    /// year-precision date its mid-year.
    pub fn decimal_year(&self) -> f64 {
        let y = self.year as f64;
        let year_days = if is_leap(self.year) { 366.0 } else { 365.0 };
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let before: u32 = (1..m).map(|k| days_in_month(self.year, k)).sum();
                y + (before as f64 + d as f64 - 0.5) / year_days
            }
            (Some(m), None) => y + (m as f64 - 0.5) / 12.0,
            _ => y + 0.5,
        }
    }

    /// For people: "10 Feb 2024", "Jun 2025", "2024".
    pub fn display(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One dated event, as a row of `events.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Stable lowercase-hyphenated id: `nato-hague-5pct-2025`.
    pub id: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precise as the source allows.
    pub date: String,
    /// Must agree with the form of `date`; a column of its own so a spreadsheet
    /// reader sees it.
    pub precision: DatePrecision,
    /// Short enough to label a chart marker (at most [`MAX_TITLE_CHARS`]).
    pub title: String,
    /// One sentence: what happened, in fairshare's words.
    pub description: String,
    /// Codes in the country registry (ISO3 or aggregates such as `NATO`), `;`-separated
    /// in the file.
    #[serde(with = "semicolon_list")]
    pub countries: Vec<String>,
    /// Who reported it, as a citation: "Yomiuri Shimbun (The Japan News), 29 Nov 2025".
    pub source: String,
    /// The page cited (`https://...`), or `shared/context/<file>` for the article
    /// the project keeps without a URL.
    pub source_url: String,
    /// Caveats: what the source does and does not show.
    pub note: String,
}

/// Longest title a chart label takes.
pub const MAX_TITLE_CHARS: usize = 40;

impl Event {
    /// The parsed date (validated when the dataset is loaded).
    pub fn event_date(&self) -> Result<EventDate, String> {
        EventDate::parse(&self.date)
    }

    /// True if the event names this country or aggregate code.
    pub fn concerns(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c == code)
    }

    /// True where `source_url` is a web page (a report links it; a `shared/` reference
    /// is cited as text).
    pub fn has_web_source(&self) -> bool {
        self.source_url.starts_with("https://") || self.source_url.starts_with("http://")
    }
}

mod semicolon_list {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(list: &[String], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&list.join(";"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let text = String::deserialize(d)?;
        Ok(text
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect())
    }
}

/// Events in registry order: by date, then id.
pub fn sort(events: &mut [Event]) {
    events.sort_by(|a, b| {
        let key = |e: &Event| (e.event_date().ok(), e.id.clone());
        key(a).cmp(&key(b))
    });
}

/// Every problem with the events, as (event id or row, message); empty when valid.
pub fn problems(events: &[Event], countries: &CountryRegistry) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, e) in events.iter().enumerate() {
        let at = if e.id.is_empty() {
            format!("{FILE} row {}", i + 2)
        } else {
            format!("{FILE} event {}", e.id)
        };
        let mut bad = |m: String| out.push((at.clone(), m));
        if e.id.is_empty()
            || !e
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        {
            bad(format!(
                "id '{}' must be lowercase letters, digits and hyphens",
                e.id
            ));
        }
        if !seen.insert(e.id.as_str()) {
            bad(format!("id '{}' appears twice", e.id));
        }
        match e.event_date() {
            Err(m) => bad(m),
            Ok(d) if d.precision() != e.precision => bad(format!(
                "date '{}' has {} precision but the precision column says {}",
                e.date,
                d.precision(),
                e.precision
            )),
            Ok(_) => {}
        }
        if e.title.trim().is_empty() {
            bad("no title".into());
        } else if e.title.chars().count() > MAX_TITLE_CHARS {
            bad(format!(
                "title '{}' is longer than {MAX_TITLE_CHARS} characters (charts label markers with it)",
                e.title
            ));
        }
        if e.description.trim().is_empty() {
            bad("no description".into());
        }
        if e.countries.is_empty() {
            bad("no countries: name at least one code (ISO3 or an aggregate such as NATO)".into());
        }
        for c in &e.countries {
            if countries.get(c).is_none() {
                bad(format!("country code '{c}' is not in countries.csv"));
            }
        }
        if e.source.trim().is_empty() {
            bad("no source".into());
        }
        let url = e.source_url.trim();
        let web = (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 10;
        let shared = url.starts_with("shared/") && url.len() > "shared/".len();
        if !(web || shared) {
            bad(format!(
                "source_url '{url}' must be a web address (https://...) or a shared/ reference"
            ));
        }
    }
    out
}

/// Refuse invalid events with the first problem (loading a dataset).
pub fn validate(events: &[Event], countries: &CountryRegistry) -> Result<(), DatasetError> {
    match problems(events, countries).into_iter().next() {
        Some((at, message)) => Err(DatasetError::invalid(at, message)),
        None => Ok(()),
    }
}

pub(crate) fn from_csv(text: &str) -> Result<Vec<Event>, DatasetError> {
    read_rows(text, FILE)
}

pub(crate) fn to_csv(events: &[Event]) -> Result<String, DatasetError> {
    let mut sorted = events.to_vec();
    sort(&mut sorted);
    write_rows(&sorted, FILE)
}

/// The events fairshare ships with (`registry/events.csv`); `data build` copies them
/// into `data/events.csv`.
pub fn builtin_events() -> Vec<Event> {
    let mut events = from_csv(include_str!("../registry/events.csv"))
        .expect("the built-in event registry parses (tested)");
    sort(&mut events);
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    #[test]
    fn builtin_events_are_valid_and_sorted() {
        let events = builtin_events();
        let found = problems(&events, &builtin_countries());
        assert!(found.is_empty(), "{found:?}");
        assert!(events.len() >= 9);
        let dates: Vec<EventDate> = events.iter().map(|e| e.event_date().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        let hague = events
            .iter()
            .find(|e| e.id == "nato-hague-5pct-2025")
            .unwrap();
        assert_eq!(hague.date, "2025-06-25");
        assert!(hague.concerns("NATO"));
    }

    #[test]
    fn dates_parse_with_their_precision_and_place_on_a_time_axis() {
        let d = EventDate::parse("2024-02-10").unwrap();
        assert_eq!(d.precision(), DatePrecision::Day);
        assert_eq!(d.display(), "10 Feb 2024");
        assert!((d.decimal_year() - (2024.0 + 40.5 / 366.0)).abs() < 1e-12);
        let m = EventDate::parse("2025-06").unwrap();
        assert_eq!(m.precision(), DatePrecision::Month);
        assert!((m.decimal_year() - (2025.0 + 5.5 / 12.0)).abs() < 1e-12);
        assert_eq!(m.to_string(), "2025-06");
        assert_eq!(EventDate::parse("2024").unwrap().decimal_year(), 2024.5);
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "2024-13",
            "24-02-10",
            "2024/02/10",
            "",
            "2024-2-1",
        ] {
            assert!(EventDate::parse(bad).is_err(), "{bad}");
        }
        assert!(EventDate::parse("2024-02-29").is_ok());
    }

    #[test]
    fn each_fault_is_reported() {
        let countries = builtin_countries();
        let good = builtin_events()[0].clone();
        type Inject = fn(&mut Event);
        let faults: Vec<(&str, Inject)> = vec![
            ("lowercase letters", |e| e.id = "Bad Id".into()),
            ("does not exist", |e| e.date = "2024-02-31".into()),
            ("precision column", |e| e.precision = DatePrecision::Month),
            ("longer than", |e| e.title = "x".repeat(41)),
            ("no description", |e| e.description = " ".into()),
            ("not in countries.csv", |e| e.countries = vec!["XYZ".into()]),
            ("no countries", |e| e.countries.clear()),
            ("no source", |e| e.source.clear()),
            ("web address", |e| e.source_url.clear()),
            ("web address", |e| e.source_url = "www.example.org".into()),
        ];
        for (want, inject) in faults {
            let mut e = good.clone();
            inject(&mut e);
            let found = problems(&[e], &countries);
            assert!(
                found.iter().any(|(_, m)| m.contains(want)),
                "{want}: {found:?}"
            );
        }
        let dup = problems(&[good.clone(), good], &countries);
        assert!(dup.iter().any(|(_, m)| m.contains("appears twice")));
    }

    #[test]
    fn csv_round_trips() {
        let events = builtin_events();
        let text = to_csv(&events).unwrap();
        assert!(
            text.starts_with(
                "id,date,precision,title,description,countries,source,source_url,note\n"
            )
        );
        assert_eq!(from_csv(&text).unwrap(), events);
    }
}
