//! The shape every format writes: a table of typed columns with descriptions, keys
//! and indexes. Each writer (CSV + Data Package, Parquet, SQLite, xlsx) reads tables
//! only through this model, so a new table reaches every format without touching them.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// A column's type, as Frictionless names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
}

impl FieldType {
    /// The Frictionless Table Schema type.
    pub fn frictionless(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
        }
    }

    /// The SQLite column type (booleans are 0/1 integers there).
    pub fn sqlite(self) -> &'static str {
        match self {
            FieldType::String => "TEXT",
            FieldType::Integer | FieldType::Boolean => "INTEGER",
            FieldType::Number => "REAL",
        }
    }
}

/// What a column holds, for the people and programs reading the export.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub description: String,
    /// Every row has a value.
    pub required: bool,
    /// The closed list of values, where there is one.
    pub allowed: Vec<String>,
    /// Copied from another table for convenience (a country's name, a currency):
    /// flat files carry it, the normalized database leaves it to a join.
    pub derived: bool,
}

impl Field {
    pub fn new(name: &'static str, description: impl Into<String>) -> Field {
        Field {
            name,
            description: description.into(),
            required: false,
            allowed: Vec::new(),
            derived: false,
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn allowed<S: Into<String>>(mut self, values: impl IntoIterator<Item = S>) -> Field {
        self.allowed = values.into_iter().map(Into::into).collect();
        self
    }

    pub fn derived(mut self) -> Field {
        self.derived = true;
        self
    }
}

/// A column's values; `None` is a missing value (empty in CSV, NULL elsewhere).
#[derive(Debug, Clone, PartialEq)]
pub enum Values<'a> {
    Text(Vec<Option<Cow<'a, str>>>),
    Integer(Vec<Option<i64>>),
    Number(Vec<Option<f64>>),
    Boolean(Vec<Option<bool>>),
}

/// One column: its field description and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Column<'a> {
    pub field: Field,
    pub values: Values<'a>,
}

impl<'a> Column<'a> {
    /// Text values; an empty string is a missing value.
    pub fn text<S: Into<Cow<'a, str>>>(field: Field, values: impl IntoIterator<Item = S>) -> Self {
        let values = values
            .into_iter()
            .map(|s| {
                let s: Cow<'a, str> = s.into();
                (!s.is_empty()).then_some(s)
            })
            .collect();
        Column {
            field,
            values: Values::Text(values),
        }
    }

    pub fn integer(field: Field, values: impl IntoIterator<Item = i64>) -> Self {
        Column {
            field,
            values: Values::Integer(values.into_iter().map(Some).collect()),
        }
    }

    pub fn number(field: Field, values: impl IntoIterator<Item = Option<f64>>) -> Self {
        Column {
            field,
            values: Values::Number(values.into_iter().collect()),
        }
    }

    pub fn boolean(field: Field, values: impl IntoIterator<Item = bool>) -> Self {
        Column {
            field,
            values: Values::Boolean(values.into_iter().map(Some).collect()),
        }
    }

    pub fn field_type(&self) -> FieldType {
        match self.values {
            Values::Text(_) => FieldType::String,
            Values::Integer(_) => FieldType::Integer,
            Values::Number(_) => FieldType::Number,
            Values::Boolean(_) => FieldType::Boolean,
        }
    }

    pub fn len(&self) -> usize {
        match &self.values {
            Values::Text(v) => v.len(),
            Values::Integer(v) => v.len(),
            Values::Number(v) => v.len(),
            Values::Boolean(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn cell(&self, row: usize) -> Cell<'_> {
        match &self.values {
            Values::Text(v) => v[row].as_deref().map_or(Cell::Null, Cell::Text),
            Values::Integer(v) => v[row].map_or(Cell::Null, Cell::Integer),
            Values::Number(v) => v[row].map_or(Cell::Null, Cell::Number),
            Values::Boolean(v) => v[row].map_or(Cell::Null, Cell::Boolean),
        }
    }
}

/// One value of a table, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'t> {
    Null,
    Text(&'t str),
    Integer(i64),
    Number(f64),
    Boolean(bool),
}

impl<'t> Cell<'t> {
    /// The value as JSON (numbers at full precision; never NaN).
    pub fn to_json(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::from(s),
            Cell::Integer(i) => Value::from(i),
            Cell::Number(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
            Cell::Boolean(b) => Value::from(b),
        }
    }

    /// The value as CSV text: empty for missing, shortest round-trip decimal for numbers.
    pub fn to_csv(self) -> Cow<'t, str> {
        match self {
            Cell::Null => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Integer(i) => Cow::Owned(i.to_string()),
            Cell::Number(x) => Cow::Owned(x.to_string()),
            Cell::Boolean(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        }
    }
}

/// Rows of `fields` refer to rows of `table` with the same values in `reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub table: &'static str,
    pub reference: Vec<&'static str>,
}

impl ForeignKey {
    pub fn new(field: &'static str, table: &'static str, reference: &'static str) -> Self {
        ForeignKey {
            fields: vec![field],
            table,
            reference: vec![reference],
        }
    }
}

/// A table of the export: the observations, or one registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<'a> {
    /// File, table and sheet name: lowercase, no spaces.
    pub name: &'static str,
    pub title: &'static str,
    pub description: String,
    pub columns: Vec<Column<'a>>,
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Column lists worth an index in a database, beyond the primary key.
    pub indexes: Vec<Vec<&'static str>>,
}

impl Table<'_> {
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn column(&self, name: &str) -> Option<&Column<'_>> {
        self.columns.iter().find(|c| c.field.name == name)
    }

    /// One row as a JSON object, in column order.
    pub fn record(&self, row: usize) -> Map<String, Value> {
        self.columns
            .iter()
            .map(|c| (c.field.name.to_string(), c.cell(row).to_json()))
            .collect()
    }

    /// Every row as JSON objects.
    pub fn records(&self) -> Value {
        Value::Array(
            (0..self.len())
                .map(|r| Value::Object(self.record(r)))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_missing_and_cells_render_for_csv_and_json() {
        let c = Column::text(Field::new("a", "x"), ["JPN", ""]);
        assert_eq!(c.cell(0), Cell::Text("JPN"));
        assert_eq!(c.cell(1), Cell::Null);
        let share = 1.0099439539165744_f64;
        assert_eq!(Cell::Number(share).to_csv().parse::<f64>().unwrap(), share);
        assert_eq!(Cell::Number(726000000.0).to_csv(), "726000000");
        assert_eq!(Cell::Number(1e-7).to_csv(), "0.0000001");
        assert_eq!(Cell::Boolean(true).to_csv(), "true");
        assert_eq!(Cell::Null.to_json(), Value::Null);
        assert_eq!(Cell::Number(2.5).to_json(), Value::from(2.5));
    }
}
