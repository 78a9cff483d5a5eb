//! Small CSV tables with a header row, read by column name: the hand-compiled files
//! (`nato/`, `japan_defense_budget/`) and fairshare's own registry files. Every error
//! names the file, the line and what was expected.

use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::wdi::LineIndex;
use super::{IngestError, read_bytes};

/// A parsed table: its header and its rows with their line numbers.
pub struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<(u64, StringRecord)>,
}

/// One row, with the columns resolved by [`Table::columns`].
pub struct Row<'a> {
    pub line: u64,
    record: &'a StringRecord,
    path: &'a Path,
}

impl Table {
    /// Read and parse a file.
    pub fn read(path: &Path) -> Result<Table, IngestError> {
        let bytes = read_bytes(path)?;
        Table::parse(path, &bytes)
    }

    /// Parse CSV text; `path` names the file in errors.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if std::str::from_utf8(body).is_err() {
            return Err(IngestError::format(
                path,
                "not UTF-8 text (expected a CSV file)",
            ));
        }
        let lines = LineIndex::new(body);
        let mut rdr = csv::ReaderBuilder::new().from_reader(body);
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| IngestError::format(path, lines.csv_problem(&e)))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| match e.kind() {
                // A row wider or narrower than the header: most often the header is not on
                // line 1 (a title line above it) or a column was cut from the header only.
                csv::ErrorKind::UnequalLengths {
                    pos: Some(pos),
                    expected_len,
                    len,
                } => IngestError::format(
                    path,
                    format!(
                        "line {}: {len} fields where the header on line 1 has {expected_len} \
                         ({}); the header row must be the first line, as wide as every row",
                        lines.line_at(pos.byte()),
                        header_preview(&header)
                    ),
                ),
                _ => IngestError::format(path, lines.csv_problem(&e)),
            })?;
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push((lines.line_of(&rec), rec));
        }
        if rows.is_empty() {
            return Err(IngestError::format(
                path,
                "no data rows after the header (line 1)",
            ));
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// The positions of the named columns, in the order asked; a missing one is an
    /// error that lists the expected header.
    pub fn columns(&self, names: &[&str]) -> Result<Vec<usize>, IngestError> {
        names
            .iter()
            .map(|name| {
                self.header.iter().position(|h| h == name).ok_or_else(|| {
                    IngestError::format(
                        &self.path,
                        format!(
                            "line 1: the header has no '{name}' column (expected {}); found {}",
                            names.join(","),
                            self.header.join(",")
                        ),
                    )
                })
            })
            .collect()
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, record)| Row {
            line: *line,
            record,
            path: &self.path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name, for `Source::file`.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl Row<'_> {
    /// A cell, trimmed ("" past the end of a short row).
    pub fn get(&self, col: usize) -> &str {
        self.record.get(col).map(str::trim).unwrap_or("")
    }

    /// An error about this row.
    pub fn error(&self, message: impl std::fmt::Display) -> IngestError {
        IngestError::format(self.path, format!("line {}: {message}", self.line))
    }

    /// A required, non-empty cell.
    pub fn text(&self, col: usize, what: &str) -> Result<&str, IngestError> {
        match self.get(col) {
            "" => Err(self.error(format!("{what} is empty"))),
            s => Ok(s),
        }
    }

    /// A year (e.g. `1949`).
    pub fn year(&self, col: usize, what: &str) -> Result<i32, IngestError> {
        let cell = self.get(col);
        cell.parse::<i32>()
            .ok()
            .filter(|y| (1800..=2200).contains(y))
            .ok_or_else(|| self.error(format!("{what} '{cell}' is not a year")))
    }

    /// An optional year: empty is `None`.
    pub fn opt_year(&self, col: usize, what: &str) -> Result<Option<i32>, IngestError> {
        if self.get(col).is_empty() {
            Ok(None)
        } else {
            self.year(col, what).map(Some)
        }
    }

    /// A finite number.
    pub fn number(&self, col: usize, what: &str) -> Result<f64, IngestError> {
        let cell = self.get(col);
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.error(format!("{what} '{cell}' is not a number")))
    }

    /// A positive amount the file gives twice, in hundred millions (億: `amount_100m_yen`)
    /// and in full units (`amount_yen`): the full one, checked against the other.
    pub fn checked_amount(
        &self,
        hundred_million_col: usize,
        full_col: usize,
        hundred_million_name: &str,
        full_name: &str,
    ) -> Result<f64, IngestError> {
        let full = self.number(full_col, full_name)?;
        let oku = self.number(hundred_million_col, hundred_million_name)?;
        if (oku * 1e8 - full).abs() > 0.5 {
            return Err(self.error(format!(
                "{full_name} {full} is not {hundred_million_name} {oku} x 100 million"
            )));
        }
        if full <= 0.0 {
            return Err(self.error(format!("{full_name} {full} is not a positive amount")));
        }
        Ok(full)
    }
}

/// The host of a URL (`https://www.nato.int/cps/...` -> `www.nato.int`).
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    // Drop a port (`www.trtworld.com:443`).
    host.split(':').next().unwrap_or(host)
}

/// The distinct hosts of a hand-compiled file's pages, in first-seen order, for the
/// source's publisher and citation text.
pub fn hosts<'a>(urls: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in urls {
        let h = host(u).trim_start_matches("www.").to_string();
        if !h.is_empty() && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// The page to name as a hand-compiled source's `url`: the first page on an official
/// government or alliance site (`*.go.jp`, `*.gov`, `nato.int`) if the file cites one,
/// else the page it cites most often. Each row keeps its own page besides.
pub fn source_page<'a>(urls: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let official = |u: &&str| {
        let h = host(u);
        h.ends_with(".go.jp") || h.ends_with(".gov") || h == "nato.int" || h.ends_with(".nato.int")
    };
    match urls.clone().into_iter().find(official) {
        Some(u) => u.to_string(),
        None => most_cited(urls),
    }
}

/// The page a hand-compiled file cites most often (the first such on a tie), for the
/// source's `url`.
pub fn most_cited<'a>(urls: impl IntoIterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for u in urls.into_iter().filter(|u| !u.is_empty()) {
        match counts.iter_mut().find(|(x, _)| *x == u) {
            Some((_, n)) => *n += 1,
            None => counts.push((u, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .iter()
        .find(|(_, n)| *n == best)
        .map(|(u, _)| u.to_string())
        .unwrap_or_default()
}

/// The header's first cells, quoted, for error messages.
fn header_preview(header: &[String]) -> String {
    let mut shown: Vec<String> = header.iter().take(4).map(|h| format!("'{h}'")).collect();
    if header.len() > 4 {
        shown.push("...".to_string());
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_by_column_name_and_names_lines_in_errors() {
        let path = Path::new("t.csv");
        let t = Table::parse(path, b"\xEF\xBB\xBFa,b\n1,x\n\n2,\n").unwrap();
        let [a, b] = t.columns(&["a", "b"]).unwrap()[..] else {
            panic!()
        };
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number(a, "a").unwrap(), 1.0);
        assert_eq!(rows[1].line, 4);
        let err = rows[1].text(b, "b").unwrap_err().to_string();
        assert_eq!(err, "t.csv: line 4: b is empty");
        let err = t.columns(&["a", "c"]).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv: line 1: the header has no 'c' column (expected a,c); found a,b"
        );
        assert!(Table::parse(path, b"a,b\n").is_err());
        assert_eq!(
            host("https://www.trtworld.com:443/article/f7"),
            "www.trtworld.com"
        );
        assert_eq!(
            hosts([
                "https://www.nato.int/x",
                "http://nato.int/y",
                "https://qazinform.com/n"
            ]),
            vec!["nato.int", "qazinform.com"]
        );
        assert_eq!(most_cited(["a", "b", "b", "a", "c"]), "a");
        assert_eq!(
            source_page([
                "https://x.com/a",
                "https://x.com/a",
                "http://www.clearing.mod.go.jp/h"
            ]),
            "http://www.clearing.mod.go.jp/h"
        );
        assert_eq!(
            source_page(["https://x.com/a", "https://y.com/b", "https://x.com/a"]),
            "https://x.com/a"
        );
        assert!(Table::parse(path, b"a,b\n1,2,3\n").is_err());
    }
}
