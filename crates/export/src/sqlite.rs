//! SQLite: a normalized database, one table per [`Table`] with its primary key,
//! foreign keys (`REFERENCES`, enforced while writing), `CHECK`s for closed
//! vocabularies and indexes; a `README` table (topic, text); and a view
//! `observations_full` that joins back what the normalized `observations` table
//! leaves to the registries (country name, currency). Each column's description is
//! a comment in its `CREATE TABLE`, so `.schema observations` in `sqlite3` documents it.

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, ToSql};

use crate::about;
use crate::atomic;
use crate::error::ExportError;
use crate::selection::Selection;
use crate::table::{Cell, Column, FieldType, Table};
use crate::tables::CURRENCY_UNITS;

pub fn write(sel: &Selection, tables: &[Table], out: &Path) -> Result<(), ExportError> {
    atomic::write_file(out, |tmp| {
        build(sel, tables, tmp).map_err(|e| classify(e, out))
    })
}

/// Failures to open or write the file are the location's (exit 2); anything else
/// is a bug in the statements below.
fn classify(e: rusqlite::Error, out: &Path) -> ExportError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && matches!(
            f.code,
            ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
        )
    {
        // SQLite's own message names our temporary file: give its reason only.
        return ExportError::io(out, std::io::Error::other(f.to_string()));
    }
    ExportError::encode("sqlite", e)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Columns a normalized table stores (not those copied from other tables).
fn stored<'t, 'a>(t: &'t Table<'a>) -> impl Iterator<Item = &'t Column<'a>> {
    t.columns.iter().filter(|c| !c.field.derived)
}

fn create_table(t: &Table) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    for c in stored(t) {
        let f = &c.field;
        let name = quote(f.name);
        let mut line = format!("{name} {}", c.field_type().sqlite());
        if f.required {
            line.push_str(" NOT NULL");
        }
        if c.field_type() == FieldType::Boolean {
            line.push_str(&format!(" CHECK ({name} IN (0, 1))"));
        }
        if !f.allowed.is_empty() {
            let list: Vec<String> = f.allowed.iter().map(|v| literal(v)).collect();
            line.push_str(&format!(" CHECK ({name} IN ({}))", list.join(", ")));
        }
        if let Some(fk) = t
            .foreign_keys
            .iter()
            .find(|fk| fk.fields.len() == 1 && fk.fields[0] == f.name)
        {
            line.push_str(&format!(
                " REFERENCES {}({})",
                quote(fk.table),
                quote(fk.reference[0])
            ));
        }
        lines.push((line, f.description.replace('\n', " ")));
    }
    let mut constraints = Vec::new();
    if !t.primary_key.is_empty() {
        let key: Vec<String> = t.primary_key.iter().map(|k| quote(k)).collect();
        constraints.push(format!("PRIMARY KEY ({})", key.join(", ")));
    }
    for fk in t.foreign_keys.iter().filter(|fk| fk.fields.len() > 1) {
        let own: Vec<String> = fk.fields.iter().map(|k| quote(k)).collect();
        let theirs: Vec<String> = fk.reference.iter().map(|k| quote(k)).collect();
        constraints.push(format!(
            "FOREIGN KEY ({}) REFERENCES {}({})",
            own.join(", "),
            quote(fk.table),
            theirs.join(", ")
        ));
    }
    let mut sql = format!(
        "-- {}: {}\nCREATE TABLE {} (\n",
        t.title,
        t.description.replace('\n', " "),
        quote(t.name)
    );
    let n = lines.len() + constraints.len();
    let mut i = 0;
    for (line, comment) in &lines {
        i += 1;
        let comma = if i < n { "," } else { "" };
        sql.push_str(&format!("  {line}{comma} -- {comment}\n"));
    }
    for c in &constraints {
        i += 1;
        let comma = if i < n { "," } else { "" };
        sql.push_str(&format!("  {c}{comma}\n"));
    }
    sql.push_str(");\n");
    sql
}

struct Sql<'t>(Cell<'t>);

impl ToSql for Sql<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Cell::Null => ValueRef::Null,
            Cell::Text(s) => ValueRef::Text(s.as_bytes()),
            Cell::Integer(i) => ValueRef::Integer(i),
            Cell::Number(x) => ValueRef::Real(x),
            Cell::Boolean(b) => ValueRef::Integer(i64::from(b)),
        }))
    }
}

/// Tables in an order where every foreign key points to a table already written.
fn in_dependency_order<'t, 'a>(tables: &'t [Table<'a>]) -> Vec<&'t Table<'a>> {
    let mut done: Vec<&Table> = Vec::new();
    let mut pending: Vec<&Table> = tables.iter().collect();
    while !pending.is_empty() {
        let ready = |t: &&Table| {
            t.foreign_keys.iter().all(|fk| {
                fk.table == t.name
                    || done.iter().any(|d| d.name == fk.table)
                    || !tables.iter().any(|x| x.name == fk.table)
            })
        };
        let (now, later): (Vec<&Table>, Vec<&Table>) = pending.into_iter().partition(ready);
        if now.is_empty() {
            // A cycle: write the rest as they come (keys are checked at commit).
            done.extend(later);
            break;
        }
        done.extend(now);
        pending = later;
    }
    done
}

fn build(sel: &Selection, tables: &[Table], path: &Path) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    // Atomicity comes from writing a temporary file and renaming it: no journal needed.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;",
    )?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "-- What this database is, how to read it, and whom to cite.\n\
         CREATE TABLE \"README\" (\n  \"topic\" TEXT PRIMARY KEY, -- about, selection, values, preferred, vintages, licences, cite, table <name>, view <name>\n  \"text\" TEXT NOT NULL\n);\n",
    )?;
    {
        let mut insert =
            tx.prepare("INSERT INTO \"README\" (\"topic\", \"text\") VALUES (?1, ?2)")?;
        for (topic, text) in about::readme(sel, tables) {
            insert.execute((topic, text))?;
        }
        insert.execute((
            "view observations_full",
            "The observations with the columns the CSV and Parquet exports carry and the \
             normalized table leaves to a join: the country's name and, for local-currency \
             units, its currency (from countries), and the source's vintage (from sources).",
        ))?;
    }
    for t in in_dependency_order(tables) {
        tx.execute_batch(&create_table(t))?;
        let columns: Vec<&Column> = stored(t).collect();
        let names: Vec<String> = columns.iter().map(|c| quote(c.field.name)).collect();
        let slots: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(t.name),
            names.join(", "),
            slots.join(", ")
        ))?;
        for row in 0..t.len() {
            insert.execute(rusqlite::params_from_iter(
                columns.iter().map(|c| Sql(c.cell(row))),
            ))?;
        }
        for index in &t.indexes {
            let cols: Vec<String> = index.iter().map(|c| quote(c)).collect();
            tx.execute_batch(&format!(
                "CREATE INDEX {} ON {} ({});",
                quote(&format!("{}_by_{}", t.name, index.join("_"))),
                quote(t.name),
                cols.join(", ")
            ))?;
        }
    }
    if let Some(obs) = tables.iter().find(|t| t.name == "observations") {
        tx.execute_batch(&observations_full(obs))?;
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)
}

/// The view that gives the normalized observations back their derived columns.
fn observations_full(obs: &Table) -> String {
    let currency_units: Vec<String> = CURRENCY_UNITS.iter().map(|u| literal(u.as_str())).collect();
    let select: Vec<String> = obs
        .columns
        .iter()
        .map(|c| match c.field.name {
            "country_name" => "c.\"name\" AS \"country_name\"".to_string(),
            "currency" => format!(
                "CASE WHEN o.\"unit\" IN ({}) THEN c.\"currency\" END AS \"currency\"",
                currency_units.join(", ")
            ),
            "vintage" => "s.\"vintage\" AS \"vintage\"".to_string(),
            name => format!("o.{}", quote(name)),
        })
        .collect();
    format!(
        "CREATE VIEW \"observations_full\" AS\nSELECT {}\nFROM \"observations\" o\n  JOIN \"countries\" c ON c.\"code\" = o.\"country\"\n  JOIN \"sources\" s ON s.\"id\" = o.\"source\";\n",
        select.join(", ")
    )
}
