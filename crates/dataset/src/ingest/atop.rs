//! ATOP, the Alliance Treaty Obligations and Provisions project (Leeds et al.), version
//! 4.01: who was in which defence pact when, 1949–2016 (layout and provenance:
//! `atop/SOURCE.md` in the raw folder).
//!
//! Reads `atop/atop-member-level*.csv`: one row per alliance × member × phase, with
//! `atopid`, `member` (a Correlates of War state code), `yrent`/`moent` and
//! `yrexit`/`moexit` (`0` = still in force at the end of ATOP's coverage), `phase` (0
//! for an alliance without phases) and the obligation flags `defense`, `offense`,
//! `neutral`, `nonagg`, `consul`. The alliance-level file is not read: the member rows
//! hold everything used here.
//!
//! What becomes of it: each defence pact an alliance `ATOP-<atopid>` (in `alliances.csv`)
//! and its members' spans memberships (in `memberships.csv`), under source
//! `atop-v<version>` (`atop-v4-01`), so that the models can ask "who was allied with
//! whom in 1975". The choices:
//!
//! - **Defence pacts only.** An alliance phase counts when at least one member
//!   undertakes a defence obligation (`defense = 1`), as in ATOP's own "defense pact"
//!   and the defence-economics literature that builds spill-ins from it (Nordhaus,
//!   Oneal & Russett 2012). Every member of such a phase is listed, including one that
//!   receives a pledge without giving one (Japan in ATOP 3375: its row has `defense = 0`,
//!   the pledge is the United States'); the membership note says which. Neutrality,
//!   non-aggression and consultation pacts are left out.
//! - **From 1949.** Memberships that ended before 1949 (SIPRI's first year) are left
//!   out; the rest keep ATOP's years, even if they began earlier (the Rio Treaty, 1947).
//! - **Years, not dates.** A member counts in every calendar year the pact was in force
//!   for it at any time (entry year to exit year). Consecutive or overlapping rows of
//!   one country in one alliance (phases; West Germany's row ending in October 1990 and
//!   unified Germany's starting then) are merged into one membership whose `basis` lists
//!   the rows. `yrexit = 0` leaves the membership open: it was in force in 2016, the
//!   last year ATOP covers.
//! - **COW codes to ISO3** through `registry/cow_states.csv` (compiled in), one row per
//!   COW state, split by years where one COW code is several fairshare entities (255
//!   Germany: unified Germany from 1990; 345: Yugoslavia to 1991, Serbia from 1992; 365:
//!   the USSR to 1991, Russia from 1992). A membership that spans such a boundary is
//!   split. West Germany (260) is DEU, as in SIPRI and fairshare's NATO list; East Germany
//!   (265) DDR; Czechoslovakia (315) CSK. COW's abbreviations are not ISO codes and
//!   several collide (COW AUS is Austria, SWZ Switzerland, SLV Slovenia, MNG Montenegro):
//!   the table maps by number and the tests check every number's abbreviation against the
//!   COW National Material Capabilities file.
//! - **Dates of record.** ATOP dates an accession by the signature of its protocol, so
//!   its NATO (3180) entry years are often a year or two before the accession years in
//!   fairshare's NATO list. `data check` compares linked alliances (see
//!   [`crate::alliances::atop_links`]) allowing for that.
//!
//! Quirks handled: `yrexit = 0` for pacts still in force; the same member in two phases
//! with the exit year of one equal to the entry year of the next; member codes outside
//! the COW state list (ATOP's 8152, in a pact of 1874) are only looked up when the row is
//! kept; the `version` column (4.01) names the release and every row must carry the same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::table::{Row, Table};
use super::{IngestError, ReaderOutput, find_file};
use crate::alliances::{atop_alliance_id, atop_links};
use crate::commitments::{Alliance, Commitments, Membership};
use crate::registry::{CountryRegistry, Source};

/// Memberships that ended before this year are left out (SIPRI's data begin in 1949).
pub use crate::alliances::ATOP_FIRST_YEAR as FIRST_YEAR;

/// The COW-to-ISO3 table, as compiled into the crate.
pub const COW_FILE: &str = "registry/cow_states.csv";
const COW_TEXT: &str = include_str!("../../registry/cow_states.csv");

/// The page every ATOP row cites (the project's data page).
pub const ATOP_URL: &str = "http://www.atopdata.org/data.html";

/// One row of the COW-to-ISO3 table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CowState {
    /// COW state number (`ccode`).
    pub cow: u32,
    /// COW's three-letter abbreviation (`stateabb`), not an ISO code.
    pub stateabb: String,
    /// The fairshare code; empty where fairshare has none (states gone before 1949).
    pub iso3: String,
    /// Years this row applies to; `None` at either end means unbounded.
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub note: String,
}

impl CowState {
    fn covers(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f) && self.to_year.is_none_or(|t| year <= t)
    }
}

/// The COW state codes and the fairshare code each stands for, year by year.
#[derive(Debug, Clone)]
pub struct CowMap {
    states: Vec<CowState>,
}

/// A piece of a span of years under one mapping row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment<'a> {
    pub from_year: i32,
    pub to_year: Option<i32>,
    pub state: &'a CowState,
}

impl CowMap {
    /// The table compiled into the crate, checked against the country registry.
    pub fn builtin(countries: &CountryRegistry) -> Result<CowMap, IngestError> {
        CowMap::parse(Path::new(COW_FILE), COW_TEXT.as_bytes(), countries)
    }

    /// Parse a table in the layout `cow,stateabb,iso3,from_year,to_year,note`; every
    /// `iso3` must be in `countries`, and one code's rows must not overlap in years.
    pub fn parse(
        path: &Path,
        bytes: &[u8],
        countries: &CountryRegistry,
    ) -> Result<CowMap, IngestError> {
        let table = Table::parse(path, bytes)?;
        let [cow_col, abb_col, iso_col, from_col, to_col, note_col] =
            table.columns(&["cow", "stateabb", "iso3", "from_year", "to_year", "note"])?[..]
        else {
            unreachable!("columns returns one position per name")
        };
        let mut states: Vec<CowState> = Vec::new();
        for row in table.rows() {
            let cow = whole(&row, cow_col, "cow")?;
            let iso3 = row.get(iso_col).to_string();
            if !iso3.is_empty() && countries.get(&iso3).is_none() {
                return Err(row.error(format!(
                    "iso3 '{iso3}' for COW {cow} is not in the country registry"
                )));
            }
            let state = CowState {
                cow,
                stateabb: row.text(abb_col, "stateabb")?.to_string(),
                iso3,
                from_year: row.opt_year(from_col, "from_year")?,
                to_year: row.opt_year(to_col, "to_year")?,
                note: row.get(note_col).to_string(),
            };
            if let (Some(f), Some(t)) = (state.from_year, state.to_year)
                && t < f
            {
                return Err(row.error(format!("to_year {t} is before from_year {f}")));
            }
            if let Some(other) = states.iter().find(|o| {
                o.cow == cow
                    && o.from_year.unwrap_or(i32::MIN) <= state.to_year.unwrap_or(i32::MAX)
                    && state.from_year.unwrap_or(i32::MIN) <= o.to_year.unwrap_or(i32::MAX)
            }) {
                return Err(row.error(format!(
                    "COW {cow} overlaps its row from {:?}: a code's rows must cover \
                     separate years",
                    other.from_year
                )));
            }
            states.push(state);
        }
        states.sort_by_key(|s| (s.cow, s.from_year));
        Ok(CowMap { states })
    }

    pub fn states(&self) -> &[CowState] {
        &self.states
    }

    /// The rows of one COW code, in year order (empty if the code is unknown).
    pub fn rows_of(&self, cow: u32) -> impl Iterator<Item = &CowState> {
        self.states.iter().filter(move |s| s.cow == cow)
    }

    /// The fairshare code of a COW state in a year (`None`: unknown code, or no
    /// fairshare entity for it then).
    pub fn iso3(&self, cow: u32, year: i32) -> Option<&str> {
        self.rows_of(cow)
            .find(|s| s.covers(year))
            .map(|s| s.iso3.as_str())
            .filter(|c| !c.is_empty())
    }

    /// Split the span `from..=to` (open-ended with `None`) of COW state `cow` by mapping
    /// row. `None` if the code is unknown or a year of the span has no row.
    pub fn segments(&self, cow: u32, from: i32, to: Option<i32>) -> Option<Vec<Segment<'_>>> {
        let mut out = Vec::new();
        let mut year = from;
        loop {
            let state = self.rows_of(cow).find(|s| s.covers(year))?;
            let end = match (state.to_year, to) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (Some(a), None) => Some(a),
                (None, b) => b,
            };
            out.push(Segment {
                from_year: year,
                to_year: end,
                state,
            });
            match end {
                Some(e) if to.is_none_or(|t| e < t) => year = e + 1,
                _ => return Some(out),
            }
        }
    }
}

/// Read `raw_root/atop/atop-member-level*.csv` with the built-in COW table.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("atop");
    let path = find_file(&dir, "atop-member-level", ".csv")?;
    let cow = CowMap::builtin(countries)?;
    read_members(&path, &cow)
}

/// Obligation flags of one member row, in ATOP's order.
const OBLIGATIONS: [(&str, &str); 5] = [
    ("defense", "defence"),
    ("offense", "offence"),
    ("neutral", "neutrality"),
    ("nonagg", "non-aggression"),
    ("consul", "consultation"),
];

/// One member-level row, as read.
struct MemberRow {
    line: u64,
    atopid: u32,
    cow: u32,
    phase: u32,
    entry: (i32, u32),
    exit: Option<(i32, u32)>,
    obligations: [bool; 5],
}

/// A piece of one country's membership: one member row (or the part of it under one
/// fairshare code).
struct Piece {
    cow: u32,
    stateabb: String,
    phase: u32,
    from: i32,
    to: Option<i32>,
    entry: (i32, u32),
    exit: Option<(i32, u32)>,
    defence: bool,
}

/// Parse the member-level file: defence pacts in force from 1949, as alliances and
/// memberships (see the module docs).
pub fn read_members(path: &Path, cow: &CowMap) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let mut names = vec![
        "atopid", "member", "yrent", "moent", "yrexit", "moexit", "phase", "version",
    ];
    names.extend(OBLIGATIONS.iter().map(|(c, _)| *c));
    let cols = table.columns(&names)?;
    let [
        id_col,
        member_col,
        yrent_col,
        moent_col,
        yrexit_col,
        moexit_col,
        phase_col,
        version_col,
    ] = cols[..8]
    else {
        unreachable!("columns returns one position per name")
    };
    let obligation_cols = &cols[8..];

    let mut version: Option<(String, u64)> = None;
    let mut rows: Vec<MemberRow> = Vec::new();
    let mut last_year = 0;
    for row in table.rows() {
        let v = row.text(version_col, "version")?;
        match &version {
            None => version = Some((v.to_string(), row.line)),
            Some((first, line)) if first != v => {
                return Err(row.error(format!(
                    "version '{v}' differs from '{first}' on line {line}: one file, one release"
                )));
            }
            Some(_) => {}
        }
        let entry = (
            row.year(yrent_col, "yrent")?,
            month(&row, moent_col, "moent")?,
        );
        let exit = match whole(&row, yrexit_col, "yrexit")? {
            0 => None,
            _ => Some((
                row.year(yrexit_col, "yrexit")?,
                month(&row, moexit_col, "moexit")?,
            )),
        };
        if let Some(x) = exit
            && x < entry
        {
            return Err(row.error(format!(
                "yrexit/moexit {}-{:02} is before yrent/moent {}-{:02}",
                x.0, x.1, entry.0, entry.1
            )));
        }
        let mut obligations = [false; 5];
        for (k, &col) in obligation_cols.iter().enumerate() {
            obligations[k] = match whole(&row, col, OBLIGATIONS[k].0)? {
                0 => false,
                1 => true,
                other => {
                    return Err(
                        row.error(format!("{} is {other}: expected 0 or 1", OBLIGATIONS[k].0))
                    );
                }
            };
        }
        last_year = last_year.max(entry.0).max(exit.map_or(0, |x| x.0));
        rows.push(MemberRow {
            line: row.line,
            atopid: whole(&row, id_col, "atopid")?,
            cow: whole(&row, member_col, "member")?,
            phase: whole(&row, phase_col, "phase")?,
            entry,
            exit,
            obligations,
        });
    }
    let (version, _) = version.ok_or_else(|| IngestError::format(path, "no data rows"))?;

    // A phase is a defence pact when any member undertakes a defence obligation in it.
    let defence_phases: BTreeSet<(u32, u32)> = rows
        .iter()
        .filter(|r| r.obligations[0])
        .map(|r| (r.atopid, r.phase))
        .collect();

    // Pieces of each (alliance, country), in file order; obligations by alliance.
    let mut pieces: BTreeMap<(u32, String), Vec<Piece>> = BTreeMap::new();
    let mut obligations: BTreeMap<u32, [bool; 5]> = BTreeMap::new();
    let mut first_seen: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut kept_rows = 0;
    for r in &rows {
        let in_force_from_1949 = r.exit.is_none_or(|(y, _)| y >= FIRST_YEAR);
        if !defence_phases.contains(&(r.atopid, r.phase)) || !in_force_from_1949 {
            continue;
        }
        kept_rows += 1;
        let to = r.exit.map(|(y, _)| y);
        let segments = cow.segments(r.cow, r.entry.0, to).ok_or_else(|| {
            IngestError::format(
                path,
                format!(
                    "line {}: member {} of ATOP {} ({}-{}) is not a COW state code in {COW_FILE} \
                     for every year of its membership",
                    r.line,
                    r.cow,
                    r.atopid,
                    r.entry.0,
                    to.map_or("in force".to_string(), |t| t.to_string())
                ),
            )
        })?;
        let flags = obligations.entry(r.atopid).or_default();
        for (k, on) in r.obligations.iter().enumerate() {
            flags[k] |= on;
        }
        for s in segments {
            if s.state.iso3.is_empty() {
                if s.to_year.is_some_and(|t| t < FIRST_YEAR) {
                    continue;
                }
                return Err(IngestError::format(
                    path,
                    format!(
                        "line {}: COW {} ({}) in ATOP {} has no fairshare code in {COW_FILE} \
                         for {}: add one",
                        r.line, r.cow, s.state.stateabb, r.atopid, s.from_year
                    ),
                ));
            }
            let members = first_seen.entry(r.atopid).or_default();
            if !members.contains(&s.state.iso3) {
                members.push(s.state.iso3.clone());
            }
            pieces
                .entry((r.atopid, s.state.iso3.clone()))
                .or_default()
                .push(Piece {
                    cow: r.cow,
                    stateabb: s.state.stateabb.clone(),
                    phase: r.phase,
                    from: s.from_year,
                    to: s.to_year,
                    entry: r.entry,
                    exit: r.exit,
                    defence: r.obligations[0],
                });
        }
    }

    let source_id = format!("atop-v{}", version.replace('.', "-"));
    let links = atop_links();
    let mut memberships = Vec::new();
    for ((atopid, iso3), mut list) in pieces {
        list.sort_by_key(|p| (p.from, p.to.unwrap_or(i32::MAX)));
        // Merge pieces that overlap or follow on directly.
        let mut groups: Vec<Vec<Piece>> = Vec::new();
        for p in list {
            match groups.last_mut() {
                Some(g) if g.iter().any(|q| q.to.is_none_or(|t| p.from <= t + 1)) => g.push(p),
                _ => groups.push(vec![p]),
            }
        }
        for g in groups {
            let from_year = g.iter().map(|p| p.from).min().unwrap_or(FIRST_YEAR);
            let to_year = if g.iter().any(|p| p.to.is_none()) {
                None
            } else {
                g.iter().filter_map(|p| p.to).max()
            };
            let pledges = g.iter().any(|p| p.defence);
            memberships.push(Membership {
                alliance: atop_alliance_id(atopid),
                country: iso3.clone(),
                from_year,
                to_year,
                suspended_from: None,
                basis: basis(atopid, &g, last_year),
                note: if pledges {
                    "Undertakes a defence obligation in this pact.".to_string()
                } else {
                    "Undertakes no defence obligation of its own in this pact: it receives \
                     the others' pledge (asymmetric)."
                        .to_string()
                },
                source: source_id.clone(),
                source_url: ATOP_URL.to_string(),
            });
        }
    }

    let mut alliances = Vec::new();
    for (atopid, members) in &first_seen {
        let linked: Vec<_> = links.iter().filter(|l| l.atopid == *atopid).collect();
        let flags = obligations.get(atopid).copied().unwrap_or_default();
        let obligations_text: Vec<&str> = OBLIGATIONS
            .iter()
            .zip(flags)
            .filter(|(_, on)| *on)
            .map(|((_, word), _)| *word)
            .collect();
        let rows_of = || {
            memberships
                .iter()
                .filter(|m| m.alliance == atop_alliance_id(*atopid))
        };
        let first = rows_of().map(|m| m.from_year).min().unwrap_or(FIRST_YEAR);
        let end = if rows_of().any(|m| m.to_year.is_none()) {
            format!("in force in {last_year}, the last year ATOP covers")
        } else {
            let last = rows_of().filter_map(|m| m.to_year).max().unwrap_or(first);
            format!("ended by {last}")
        };
        let name = match linked.first() {
            Some(l) => format!("ATOP {atopid}: {}", l.name),
            None => {
                let shown: Vec<&str> = members.iter().take(6).map(String::as_str).collect();
                let more = match members.len().saturating_sub(6) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                format!("ATOP {atopid}: defence pact of {}{more}", shown.join(", "))
            }
        };
        let mut description = format!(
            "Alliance {atopid} of ATOP v{version}, a defence pact from {first}, {end} \
             (obligations in its defence phases: {}); {} members. Years as ATOP dates them \
             (entry by signature).",
            obligations_text.join(", "),
            members.len()
        );
        if linked.iter().any(|l| l.country.is_empty()) {
            let whole: Vec<&str> = linked
                .iter()
                .filter(|l| l.country.is_empty())
                .map(|l| l.alliance.as_str())
                .collect();
            description.push_str(&format!(
                " fairshare's alliance {} is this treaty.",
                whole.join(", ")
            ));
        }
        let by_country: Vec<&str> = linked
            .iter()
            .filter(|l| !l.country.is_empty())
            .map(|l| l.country.as_str())
            .collect();
        if let Some(l) = linked.iter().find(|l| !l.country.is_empty()) {
            description.push_str(&format!(
                " It is the treaty of {} in fairshare's alliance {}.",
                by_country.join(" and "),
                l.alliance
            ));
        }
        alliances.push(Alliance {
            id: atop_alliance_id(*atopid),
            name,
            partner: String::new(),
            description,
            source: source_id.clone(),
            source_url: ATOP_URL.to_string(),
        });
    }

    let source = Source {
        id: source_id,
        publisher: "Alliance Treaty Obligations and Provisions (ATOP) project, Brett Ashley \
                    Leeds et al."
            .to_string(),
        title: format!(
            "ATOP version {version}, member-level data (alliance x member x phase, 1815-{last_year})"
        ),
        file: table.file_name(),
        vintage: format!("ATOP {version}"),
        released: format!("not stated in the file (version {version}; data to {last_year})"),
        url: ATOP_URL.to_string(),
        licence: "Free for research use with citation (ATOP terms of use)".to_string(),
        citation: format!(
            "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. \
             Long (2002), \"Alliance Treaty Obligations and Provisions, 1815-1944\", \
             International Interactions 28: 237-260; ATOP data version {version}, \
             www.atopdata.org."
        ),
        rank: 1,
        note: format!(
            "Defence pacts only (a phase counts when a member undertakes a defence \
             obligation); memberships in force in {FIRST_YEAR} or later; COW state codes \
             mapped to fairshare codes by {COW_FILE}; a country's consecutive rows in one \
             alliance merged. {} alliances, {} memberships from {kept_rows} of the file's {} \
             rows.",
            alliances.len(),
            memberships.len(),
            rows.len()
        ),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            alliances,
            memberships,
            ..Commitments::default()
        },
        ..ReaderOutput::default()
    })
}

/// The `basis` text of a merged membership: the ATOP rows behind it.
fn basis(atopid: u32, pieces: &[Piece], last_year: i32) -> String {
    let rows: Vec<String> = pieces
        .iter()
        .map(|p| {
            let phase = if p.phase == 0 {
                String::new()
            } else {
                format!(" phase {}", p.phase)
            };
            let exit = match p.exit {
                Some((y, m)) => format!("{y}-{m:02}"),
                None => format!("in force in {last_year}"),
            };
            format!(
                "COW {} {}{phase} {}-{:02} to {exit}",
                p.cow, p.stateabb, p.entry.0, p.entry.1
            )
        })
        .collect();
    format!("ATOP {atopid}: {}", rows.join("; "))
}

/// A whole number cell.
fn whole(row: &Row, col: usize, what: &str) -> Result<u32, IngestError> {
    let cell = row.get(col);
    cell.parse::<u32>()
        .map_err(|_| row.error(format!("{what} '{cell}' is not a whole number")))
}

/// A month, 1-12 (ATOP writes 0 when the month is unknown; kept as 0).
fn month(row: &Row, col: usize, what: &str) -> Result<u32, IngestError> {
    let m = whole(row, col, what)?;
    if m > 12 {
        return Err(row.error(format!("{what} {m} is not a month")));
    }
    Ok(m)
}
