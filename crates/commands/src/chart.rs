//! `--chart PATH`: draw what a command printed, with the chart module of
//! `fairshare-report`, and write it atomically (a temporary file beside the target,
//! then a rename). The extension picks the format: `.svg`, or `.png` at 2x for slides.

use std::io::Write;
use std::path::Path;

use fairshare_dataset::{Dataset, Measure, Obs, YearBasis};
use fairshare_report::charts::data::{
    axis_for, default_title, definition_label, event_markers, series_from_observations, sources_of,
};
use fairshare_report::charts::{Meta, TimeSeriesChart};

use crate::context::Context;
use crate::error::CliError;

/// A line chart of `obs` (the first of `measures` that has rows) written to `path`.
pub fn write_time_series(
    ctx: &Context,
    ds: &Dataset,
    obs: &[Obs],
    measures: &[Measure],
    path: &Path,
    title: Option<&str>,
) -> Result<(), CliError> {
    let format = chart_format(path)?;
    let (svg, shown_all) = time_series_svg(ds, obs, measures, title)
        .map_err(|e| CliError::usage(format!("--chart {}: {}", path.display(), e.message)))?;
    if ctx.chatty() && !shown_all {
        eprintln!(
            "note: the chart shows the first measure only (one measure per chart; pick one with --measure)"
        );
    }
    let bytes = match format {
        ChartFormat::Svg => svg.into_bytes(),
        ChartFormat::Png => fairshare_report::charts::to_png(&svg, 2.0)
            .map_err(|e| CliError::internal(format!("cannot draw {}: {e}", path.display())))?,
    };
    write_atomically(path, &bytes)?;
    if ctx.chatty() {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The line chart of `obs` as SVG (the first of `measures` that has rows), and whether
/// every row is drawn (false when other measures were left out). The CLI's `--chart`
/// and the server's dashboard both draw through this.
pub fn time_series_svg(
    ds: &Dataset,
    obs: &[Obs],
    measures: &[Measure],
    title: Option<&str>,
) -> Result<(String, bool), CliError> {
    let Some(measure) = measures
        .iter()
        .copied()
        .find(|m| obs.iter().any(|o| o.measure() == *m))
    else {
        return Err(CliError::usage(
            "no observations to draw for this selection",
        ));
    };
    let rows: Vec<Obs> = obs
        .iter()
        .filter(|o| o.measure() == measure)
        .copied()
        .collect();
    let shown_all = rows.len() == obs.len();
    let series = series_from_observations(&rows);
    let mut countries: Vec<&str> = rows.iter().map(|o| o.country_code()).collect();
    countries.dedup();
    countries.sort();
    countries.dedup();
    let currency = match countries.as_slice() {
        [one] => ds
            .countries()
            .get(one)
            .map(|c| c.currency_label().to_string())
            .unwrap_or_default(),
        _ => "local currency".to_string(),
    };
    let max_abs = rows
        .iter()
        .filter_map(|o| o.value())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let axis = axis_for(rows[0].unit(), &currency, max_abs);
    let mut definitions: Vec<String> = rows
        .iter()
        .map(|o| definition_label(o.definition()))
        .collect();
    definitions.sort();
    definitions.dedup();
    let (first, last) = (
        rows.iter().map(|o| o.year()).min().unwrap_or_default(),
        rows.iter().map(|o| o.year()).max().unwrap_or_default(),
    );
    let mut description = measure.description().to_string();
    if let Some(c) = description.get(..1) {
        description = c.to_uppercase() + &description[1..];
    }
    let mut meta = Meta::new(
        title
            .map(String::from)
            .unwrap_or_else(|| default_title(&series, &axis)),
    )
    .subtitle(format!(
        "{description} ({} definition{}), {first}–{last}",
        definitions.join(", "),
        if definitions.len() > 1 { "s" } else { "" }
    ));
    meta.sources = sources_of(&rows);
    if rows.iter().any(|o| o.year_basis() != YearBasis::Calendar) {
        meta.notes.push(
            "FY: fiscal years, named by the year they start in and placed at their middle."
                .to_string(),
        );
    }
    let chart = TimeSeriesChart {
        meta,
        y: axis,
        series,
        events: event_markers(ds.events(), &countries),
        ..TimeSeriesChart::default()
    };
    Ok((chart.to_svg(), shown_all))
}

enum ChartFormat {
    Svg,
    Png,
}

fn chart_format(path: &Path) -> Result<ChartFormat, CliError> {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("svg") => Ok(ChartFormat::Svg),
        Some("png") => Ok(ChartFormat::Png),
        _ => Err(CliError::usage(format!(
            "--chart {}: the file name must end in .svg or .png",
            path.display()
        ))),
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory and a
/// rename, so a reader never sees half a chart and a failure leaves no file behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(CliError::usage(format!(
            "cannot write {}: directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chart".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::usage(format!(
            "cannot write {}: {e}",
            path.display()
        )));
    }
    Ok(())
}
