//! The README every export carries (the SQLite `README` table, the xlsx README sheet,
//! the Parquet key-value metadata, the Data Package description): what the data is,
//! what was selected, how to read values, and whom to cite.

use crate::selection::Selection;
use crate::table::Table;

/// Topic and text, in reading order.
pub fn readme(sel: &Selection, tables: &[Table]) -> Vec<(String, String)> {
    let sources = sel.cited_sources();
    let mut out = vec![
        (
            "about".to_string(),
            format!(
                "Exported by fairshare {}: military expenditure and macroeconomic series for \
                 alliance burden-sharing, harmonized from the publishers' files (SIPRI, NATO, the \
                 World Bank, the IMF). Every value carries its unit, its definition (what is \
                 counted), its source and vintage (who published it, which release) and the \
                 publisher's qualifiers (flags).",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            "selection".to_string(),
            format!(
                "{}: {} observations from {} sources; the registries (alliances, targets, ...) \
                 whole.",
                capitalized(&sel.description),
                sel.observations.len(),
                sel.sources().len()
            ),
        ),
        (
            "values".to_string(),
            "Money is in full units (not millions or billions); shares of GDP are in percent \
             (1.01 means 1.01% of GDP). Values are at full precision. A missing value means the \
             publisher has no figure; its flags say why (no_data, not_independent). Fiscal years \
             are named by the calendar year they start in (year_basis fy_apr: April-March)."
                .to_string(),
        ),
        (
            "preferred".to_string(),
            "Where several sources publish the same series (SIPRI's workbook and the World Bank's \
             republication of SIPRI's series are both definition sipri), every copy is exported; \
             the column preferred marks the one `fairshare show` prints (the best-ranked source). \
             Different definitions (sipri, nato, imf_weo, ...) are different series, never mixed."
                .to_string(),
        ),
        (
            "vintages".to_string(),
            sources
                .iter()
                .map(|s| format!("{}: {}; released: {}", s.id, s.vintage, s.released))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "licences".to_string(),
            sources
                .iter()
                .map(|s| format!("{}: {}", s.id, s.licence))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "cite".to_string(),
            sources
                .iter()
                .map(|s| format!("{}: {}", s.id, s.citation))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    for t in tables {
        out.push((
            format!("table {}", t.name),
            format!("{} ({} rows). {}", t.title, t.len(), t.description),
        ));
    }
    out
}

/// The README as Markdown (for the Data Package description and Parquet metadata).
pub fn readme_text(sel: &Selection, tables: &[Table]) -> String {
    readme(sel, tables)
        .into_iter()
        .map(|(topic, text)| format!("## {topic}\n\n{text}\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
