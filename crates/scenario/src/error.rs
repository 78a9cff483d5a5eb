//! Errors: a scenario file that cannot be used, and a run that cannot finish.
//!
//! A [`ScenarioError`] always names the file, the line and column, the field (as a
//! dotted key path such as `branches[1].probability`) and what was expected, so the
//! person editing the file can go straight to the spot.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Something wrong with a scenario file, found while parsing it or while resolving it
/// against the caller's baseline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file name as the caller gave it to [`crate::parse`].
    pub file: String,
    /// 1-based line of the offending key or value (0 when the problem has no place in
    /// the file, e.g. a baseline the caller did not provide).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Dotted key path of the field (`economy.JPN.growth.shock.ar1`), or empty.
    pub field: String,
    /// What was wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        if !self.field.is_empty() {
            write!(f, "`{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// The text of a scenario file and its name, kept so that errors found later (when the
/// caller resolves the scenario against a baseline) still point into the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceText {
    pub file: String,
    pub text: String,
}

impl SourceText {
    /// An error at a byte span of the file. The field is the key path at that span,
    /// unless `field` names it (for a missing key, which has no span of its own).
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> ScenarioError {
        let (line, column) = match &span {
            Some(s) => line_column(&self.text, s.start),
            None => (0, 0),
        };
        let field = match (field, &span) {
            (Some(f), _) => f.to_string(),
            (None, Some(s)) => field_at(&self.text, s.start),
            (None, None) => String::new(),
        };
        ScenarioError {
            file: self.file.clone(),
            line,
            column,
            field,
            message: message.into(),
        }
    }

    /// An error with no place in the file.
    pub fn unplaced(&self, field: &str, message: impl Into<String>) -> ScenarioError {
        self.error(None, Some(field), message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The dotted key path of the innermost key or value whose span holds `offset`
/// (`branches[0].events[2].probability`). Empty when the text does not parse or the
/// offset is outside every key.
pub(crate) fn field_at(text: &str, offset: usize) -> String {
    let Ok(doc) = DeTable::parse(text) else {
        return key_on_line(text, offset);
    };
    let mut path = String::new();
    walk_table(doc.get_ref(), offset, &mut path);
    path
}

/// For text that does not parse: the bare key that starts the offset's line (`deep` in
/// `deep = [[[...`), or nothing.
fn key_on_line(text: &str, offset: usize) -> String {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let Some((key, _)) = line.split_once('=') else {
        return String::new();
    };
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if bare { key.to_string() } else { String::new() }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn walk_table(table: &DeTable<'_>, offset: usize, path: &mut String) {
    for (key, value) in table.iter() {
        if key.span().contains(&offset) {
            push_key(path, key.get_ref());
            return;
        }
        if covers(value, offset) {
            push_key(path, key.get_ref());
            walk_value(value, offset, path);
            return;
        }
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut String) {
    match value.get_ref() {
        DeValue::Table(table) => walk_table(table, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if covers(item, offset) {
                    path.push_str(&format!("[{i}]"));
                    walk_value(item, offset, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Whether a value's span, or for a table any of its keys or values, holds the offset.
/// Tables built from `[header]` sections span only their header, so look inside too.
fn covers(value: &Spanned<DeValue<'_>>, offset: usize) -> bool {
    if value.span().contains(&offset) {
        return true;
    }
    match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .any(|(k, v)| k.span().contains(&offset) || covers(v, offset)),
        DeValue::Array(items) => items.iter().any(|item| covers(item, offset)),
        _ => false,
    }
}

/// Why a run could not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("the number of paths must be at least 1 (got {0})")]
    NoPaths(usize),
    #[error(
        "{paths} paths would need about {gib:.1} GiB of memory (more than the \
         {limit_gib:.0} GiB limit); use fewer paths"
    )]
    TooLarge {
        paths: usize,
        gib: f64,
        limit_gib: f64,
    },
    #[error(
        "path {path} produced a non-finite {measure} for {country} in {year} \
         (check the scenario's rates and shares)"
    )]
    NonFinite {
        path: usize,
        country: String,
        measure: &'static str,
        year: i32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "a = 1\nname = \"¥x\"\nb = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        let b = text.find("b =").unwrap();
        assert_eq!(line_column(text, b), (3, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_column(text, x), (2, 10));
    }

    #[test]
    fn field_paths_follow_tables_and_arrays() {
        let text = "name = \"x\"\n[economy.JPN.growth]\nshock = { sd = 1.0, ar1 = 2.0 }\n\
                    [[branches]]\nname = \"a\"\n[[branches]]\nname = \"b\"\nprobability = 3\n";
        let at = |needle: &str| field_at(text, text.find(needle).unwrap());
        assert_eq!(at("2.0"), "economy.JPN.growth.shock.ar1");
        assert_eq!(at("3\n"), "branches[1].probability");
        assert_eq!(at("\"b\""), "branches[1].name");
        assert_eq!(at("name = \"x\""), "name");
    }

    #[test]
    fn unparseable_text_still_names_the_key_on_the_line() {
        let text = "name = \"x\"\ndeep = [[[1\n";
        assert_eq!(field_at(text, text.find("[[[").unwrap()), "deep");
        assert_eq!(field_at("=== garbage", 2), "");
    }
}
