//! Shared helpers for publisher workbooks: open with a clear error, fetch a sheet.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use super::IngestError;

pub type Workbook = Xlsx<BufReader<File>>;

/// Open an xlsx workbook; a missing, truncated or non-xlsx file is a clear error.
pub fn open(path: &Path) -> Result<Workbook, IngestError> {
    if !path.is_file() {
        return Err(IngestError::Missing {
            path: path.to_path_buf(),
            hint: String::new(),
        });
    }
    calamine::open_workbook::<Workbook, _>(path).map_err(|e| IngestError::NotWorkbook {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// One sheet's cells; a missing sheet names the sheets that are there.
pub fn sheet(wb: &mut Workbook, path: &Path, name: &str) -> Result<Range<Data>, IngestError> {
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == name) {
        return Err(IngestError::layout(
            path,
            name,
            format!("sheet not found; the workbook has: {}", names.join(", ")),
        ));
    }
    wb.worksheet_range(name)
        .map_err(|e| IngestError::layout(path, name, format!("cannot read: {e}")))
}

/// A cell as text, trimmed ("" for empty).
pub fn text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// A cell as a number, if it holds one.
pub fn number(cell: Option<&Data>) -> Option<f64> {
    match cell {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}
