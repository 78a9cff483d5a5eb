//! Parquet: the observations table in one file, typed columns (strings as UTF-8
//! `STRING`, integers as `INT64`, values as `DOUBLE`, booleans), snappy-compressed,
//! with dictionary encoding for the repeated codes. The registries travel in the
//! file's key-value metadata as JSON (`fairshare.sources`, `fairshare.definitions`,
//! ...), beside `fairshare.readme`, `fairshare.vintages` and `fairshare.licences` (one
//! source a line) and `fairshare.fields` (column descriptions): `pyarrow.parquet.read_metadata(path).metadata`,
//! DuckDB's `parquet_kv_metadata()` and polars' `read_parquet_metadata` show them.
//!
//! Written with the `parquet` crate's column writer (no Arrow), so the schema is
//! declared here: required columns are `REQUIRED`, the others `OPTIONAL`.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use serde_json::{Map, Value};

use crate::about;
use crate::atomic;
use crate::error::ExportError;
use crate::selection::Selection;
use crate::table::{Column, Table, Values};

/// Rows per row group: large enough for good compression, small enough that a
/// reader filtering on statistics can skip some.
const ROW_GROUP: usize = 65_536;

pub fn write(sel: &Selection, tables: &[Table], out: &Path) -> Result<(), ExportError> {
    let (data, metadata) = tables
        .split_first()
        .ok_or_else(|| ExportError::encode("parquet", "no tables"))?;
    let mut kv = vec![
        KeyValue::new("fairshare.readme".into(), about::readme_text(sel, tables)),
        KeyValue::new("fairshare.selection".into(), sel.description.clone()),
        KeyValue::new(
            "fairshare.vintages".into(),
            sel.cited_sources()
                .iter()
                .map(|s| format!("{}: {}", s.id, s.vintage))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        KeyValue::new(
            "fairshare.licences".into(),
            sel.cited_sources()
                .iter()
                .map(|s| format!("{}: {}", s.id, s.licence))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        KeyValue::new("fairshare.fields".into(), fields_json(data)),
        KeyValue::new("fairshare.primary_key".into(), data.primary_key.join(",")),
    ];
    for t in metadata {
        kv.push(KeyValue::new(
            format!("fairshare.{}", t.name),
            t.records().to_string(),
        ));
    }
    atomic::write_file(out, |tmp| write_table(data, kv, tmp))
}

/// Each column's description, by name.
fn fields_json(t: &Table) -> String {
    let mut m = Map::new();
    for c in &t.columns {
        m.insert(
            c.field.name.into(),
            Value::from(c.field.description.clone()),
        );
    }
    Value::Object(m).to_string()
}

fn schema(t: &Table) -> Result<Type, ExportError> {
    let fail = |e: parquet::errors::ParquetError| ExportError::encode("parquet", e);
    let fields = t
        .columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.values {
                Values::Text(_) => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                Values::Integer(_) => (PhysicalType::INT64, None),
                Values::Number(_) => (PhysicalType::DOUBLE, None),
                Values::Boolean(_) => (PhysicalType::BOOLEAN, None),
            };
            let repetition = if c.field.required {
                Repetition::REQUIRED
            } else {
                Repetition::OPTIONAL
            };
            Type::primitive_type_builder(c.field.name, physical)
                .with_logical_type(logical)
                .with_repetition(repetition)
                .build()
                .map(Arc::new)
                .map_err(fail)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder(t.name)
        .with_fields(fields)
        .build()
        .map_err(fail)
}

fn write_table(t: &Table, kv: Vec<KeyValue>, path: &Path) -> Result<(), ExportError> {
    let fail = |e: parquet::errors::ParquetError| ExportError::encode("parquet", e);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(kv))
        .build();
    let file = File::create(path).map_err(|e| ExportError::io(path, e))?;
    let mut writer =
        SerializedFileWriter::new(file, Arc::new(schema(t)?), Arc::new(props)).map_err(fail)?;
    let rows = t.len();
    // An empty table still gets one (empty) row group, so readers see its schema.
    let groups: Vec<std::ops::Range<usize>> = (0..rows.max(1))
        .step_by(ROW_GROUP)
        .map(|start| start..(start + ROW_GROUP).min(rows))
        .collect();
    for range in groups {
        let mut group = writer.next_row_group().map_err(fail)?;
        let mut columns = t.columns.iter();
        while let Some(mut col) = group.next_column().map_err(fail)? {
            let column = columns
                .next()
                .ok_or_else(|| ExportError::encode("parquet", "schema has more columns"))?;
            write_column(&mut col, column, range.clone()).map_err(fail)?;
            col.close().map_err(fail)?;
        }
        group.close().map_err(fail)?;
    }
    writer.close().map_err(fail)?;
    Ok(())
}

/// Values and definition levels (1 present, 0 missing) for the rows in `range`;
/// a required column takes no levels.
fn write_column(
    col: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    column: &Column,
    range: std::ops::Range<usize>,
) -> parquet::errors::Result<()> {
    fn split<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
        let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
        let present = values.iter().filter_map(|v| v.clone()).collect();
        (present, levels)
    }
    let required = column.field.required;
    let levels = |l: &[i16]| (!required).then_some(l.to_vec());
    match &column.values {
        Values::Text(v) => {
            let (present, defs) = split(&v[range]);
            let present: Vec<ByteArray> = present
                .iter()
                .map(|s| ByteArray::from(s.as_ref()))
                .collect();
            col.typed::<ByteArrayType>()
                .write_batch(&present, levels(&defs).as_deref(), None)?;
        }
        Values::Integer(v) => {
            let (present, defs) = split(&v[range]);
            col.typed::<Int64Type>()
                .write_batch(&present, levels(&defs).as_deref(), None)?;
        }
        Values::Number(v) => {
            let (present, defs) = split(&v[range]);
            col.typed::<DoubleType>()
                .write_batch(&present, levels(&defs).as_deref(), None)?;
        }
        Values::Boolean(v) => {
            let (present, defs) = split(&v[range]);
            col.typed::<BoolType>()
                .write_batch(&present, levels(&defs).as_deref(), None)?;
        }
    }
    Ok(())
}
