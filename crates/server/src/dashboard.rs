//! The dashboard: server-rendered pages (readable without JavaScript) whose charts
//! are the chart module's SVGs, with SVG, PNG and CSV downloads. The view state is
//! the query string, so a link reproduces the view. Figures come from the commands
//! and engines; this module only lays them out.

use std::fmt::Write as _;

use axum::body::Bytes;
use fairshare_commands::cmd::show;
use fairshare_commands::context::FilterArgs;
use fairshare_dataset::{Dataset, Measure, Unit};
use fairshare_metrics::{TargetRule, compliance};
use fairshare_report::charts::data::{axis_for, source_ref};
use fairshare_report::charts::scenario::fan_chart;
use fairshare_report::charts::{Bar, BarChart, Meta, ReferenceLine};
use fairshare_scenario::{COMBINED, Results};

use crate::api::ApiError;
use crate::scen;

/// HTML-escape text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Percent-encode a query value.
pub fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// A query string from pairs, empty values left out.
pub fn qs(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn only(query: &[(String, String)], known: &[&str]) -> Result<(), ApiError> {
    for (k, _) in query {
        if !known.contains(&k.as_str()) {
            return Err(ApiError::bad(format!(
                "unknown parameter {k:?}; known: {}",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn year(query: &[(String, String)], name: &str) -> Result<Option<i32>, ApiError> {
    get(query, name)
        .map(|v| {
            v.parse::<i32>()
                .map_err(|_| ApiError::bad(format!("parameter {name} = {v:?} is not a year")))
        })
        .transpose()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t} · fairshare</title><link rel=\"stylesheet\" href=\"/static/style.css\">\
<link rel=\"icon\" href=\"data:,\"></head><body>\
<nav><a href=\"/\">fairshare</a> <a href=\"/country\">Country</a> <a href=\"/alliance\">Alliance</a> \
<a href=\"/scenario\">Scenario explorer</a> <a href=\"/api/openapi.json\">API</a></nav>\
<main>{body}</main><script src=\"/static/app.js\" defer></script></body></html>\n",
        t = esc(title)
    )
}

/// A chart figure: the inline SVG and its download links.
fn figure(id: &str, svg: &str, chart_path: &str, csv_href: &str, query: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{id}\" data-chart=\"{chart_path}\">\
<div class=\"svg\">{svg}</div><figcaption class=\"downloads\">Download: \
<a class=\"dl-svg\" href=\"{chart_path}.svg?{q}\">SVG</a> · \
<a class=\"dl-png\" href=\"{chart_path}.png?{q}\">PNG</a> · \
<a class=\"dl-csv\" href=\"{csv_href}?{q}\">CSV</a></figcaption></figure>",
        q = esc(query)
    )
}

fn no_chart(id: &str, message: &str) -> String {
    format!(
        "<figure class=\"chart\" id=\"{id}\"><p class=\"empty\">{}</p></figure>",
        esc(message)
    )
}

pub fn index(ds: &Dataset) -> String {
    let body = format!(
        "<h1>fairshare</h1><p>Alliance burden-sharing with sourced numbers: {} observations, \
every value with its unit, definition, source and vintage.</p><ul>\
<li><a href=\"/country?country=JPN&amp;measure=milex_gdp\">Japan's military burden by definition</a>, with host-nation support and US troops</li>\
<li><a href=\"/country?country=KOR&amp;measure=milex_gdp\">South Korea</a></li>\
<li><a href=\"/alliance?alliance=NATO\">NATO: who meets 2%</a></li>\
<li><a href=\"/scenario\">Scenario explorer</a>: built-in what-ifs, run in your browser's request</li>\
<li><a href=\"/api/openapi.json\">The JSON/CSV API</a> (OpenAPI)</li></ul>",
        ds.len()
    );
    page("fairshare", &body)
}

// ---------------------------------------------------------------- country

/// The country page's state.
pub struct CountryView {
    pub country: String,
    pub measure: String,
    pub definition: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl CountryView {
    pub fn from_query(query: &[(String, String)]) -> Result<CountryView, ApiError> {
        only(query, &["country", "measure", "definition", "from", "to"])?;
        Ok(CountryView {
            country: get(query, "country").unwrap_or("JPN").to_string(),
            measure: get(query, "measure").unwrap_or("milex_gdp").to_string(),
            definition: get(query, "definition").unwrap_or("").to_string(),
            from: year(query, "from")?,
            to: year(query, "to")?,
        })
    }

    fn query_for(&self, measure: &str, definition: &str) -> String {
        qs(&[
            ("country", self.country.clone()),
            ("measure", measure.to_string()),
            ("definition", definition.to_string()),
            ("from", self.from.map(|y| y.to_string()).unwrap_or_default()),
            ("to", self.to.map(|y| y.to_string()).unwrap_or_default()),
        ])
    }

    pub fn query(&self) -> String {
        self.query_for(&self.measure, &self.definition)
    }
}

/// The series chart of a selection (the CLI's `show --chart`), as SVG; `None` when the
/// selection is valid but has no observations.
pub fn series_svg(
    ds: &Dataset,
    country: &str,
    measure: &str,
    definition: &str,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Option<String>, ApiError> {
    let filter = FilterArgs {
        measure: vec![measure.to_string()],
        definition: if definition.is_empty() {
            vec![]
        } else {
            vec![definition.to_string()]
        },
        from,
        to,
    };
    let (_, _, measures, obs) = show::select(ds, &[country.to_string()], &filter)?;
    if obs.is_empty() {
        return Ok(None);
    }
    let (svg, _) = fairshare_commands::chart::time_series_svg(ds, &obs, &measures, None)?;
    Ok(Some(svg))
}

pub fn country_page(ds: &Dataset, v: &CountryView) -> Result<String, ApiError> {
    let main = series_svg(ds, &v.country, &v.measure, &v.definition, v.from, v.to)?;
    let c = ds
        .countries()
        .resolve(&v.country)
        .map_err(|e| ApiError::bad(e.to_string()))?;
    let mut body = format!("<h1>{} ({})</h1>", esc(&c.name), esc(&c.code));
    // The form works without JavaScript (GET); app.js redraws in place and keeps the URL.
    let _ = write!(
        body,
        "<form class=\"controls\" method=\"get\" action=\"/country\" data-page=\"country\">\
<label>Country <input name=\"country\" value=\"{}\" size=\"8\"></label> \
<label>Measure <select name=\"measure\">",
        esc(&v.country)
    );
    for m in [
        Measure::MilexGdp,
        Measure::MilexUsdCurrent,
        Measure::MilexUsdConstant,
        Measure::MilexLcu,
        Measure::MilexPerCapita,
        Measure::MilexGovShare,
        Measure::HnsLcu,
        Measure::UsTroops,
    ] {
        let _ = write!(
            body,
            "<option value=\"{0}\"{1}>{0}</option>",
            m.as_str(),
            if m.as_str() == v.measure {
                " selected"
            } else {
                ""
            }
        );
    }
    body.push_str("</select></label> <label>Definition <select name=\"definition\"><option value=\"\">all</option>");
    let mut defs: Vec<&str> = ds.definitions().iter().map(|d| d.id.as_str()).collect();
    defs.sort();
    for d in defs {
        let _ = write!(
            body,
            "<option value=\"{0}\"{1}>{0}</option>",
            esc(d),
            if d == v.definition { " selected" } else { "" }
        );
    }
    let _ = write!(
        body,
        "</select></label> <label>From <input name=\"from\" type=\"number\" value=\"{}\" size=\"5\"></label> \
<label>To <input name=\"to\" type=\"number\" value=\"{}\" size=\"5\"></label> \
<button type=\"submit\">Show</button></form>",
        v.from.map(|y| y.to_string()).unwrap_or_default(),
        v.to.map(|y| y.to_string()).unwrap_or_default()
    );
    match main {
        Some(svg) => body.push_str(&figure(
            "main-chart",
            &svg,
            "/chart/series",
            "/api/series.csv",
            &v.query(),
        )),
        None => body.push_str(&no_chart(
            "main-chart",
            &format!(
                "No {} data for {} in this selection{}.",
                v.measure,
                c.name,
                if v.definition.is_empty() {
                    String::new()
                } else {
                    format!(" (definition {})", v.definition)
                }
            ),
        )),
    }
    body.push_str("<h2>Host-nation support and US troops</h2>");
    for (id, m) in [("hns-chart", "hns_lcu"), ("troops-chart", "us_troops")] {
        let q = v.query_for(m, "");
        match series_svg(ds, &v.country, m, "", v.from, v.to) {
            Ok(Some(svg)) => {
                body.push_str(&figure(id, &svg, "/chart/series", "/api/series.csv", &q))
            }
            _ => body.push_str(&no_chart(id, &format!("No {m} data for {}.", c.name))),
        }
    }
    Ok(page(&c.name, &body))
}

// ---------------------------------------------------------------- alliance

pub struct AllianceView {
    pub alliance: String,
    pub target: String,
    pub year: Option<i32>,
    pub definition: String,
}

impl AllianceView {
    pub fn from_query(query: &[(String, String)]) -> Result<AllianceView, ApiError> {
        only(query, &["alliance", "target", "year", "definition"])?;
        Ok(AllianceView {
            alliance: get(query, "alliance").unwrap_or("NATO").to_string(),
            target: get(query, "target").unwrap_or("nato-2pct").to_string(),
            year: year(query, "year")?,
            definition: get(query, "definition").unwrap_or("sipri").to_string(),
        })
    }

    pub fn query(&self) -> String {
        qs(&[
            ("alliance", self.alliance.clone()),
            ("target", self.target.clone()),
            ("year", self.year.map(|y| y.to_string()).unwrap_or_default()),
            ("definition", self.definition.clone()),
        ])
    }
}

fn assess(
    ds: &Dataset,
    v: &AllianceView,
    year: Option<i32>,
) -> Result<compliance::Assessment, ApiError> {
    let rule =
        TargetRule::parse(ds.commitments(), &v.target).map_err(|e| ApiError::bad(e.to_string()))?;
    let def = ds
        .resolve_definition(&v.definition)
        .map_err(|e| ApiError::bad(e.to_string()))?
        .id
        .clone();
    let alliance = ds
        .commitments()
        .alliance(&v.alliance)
        .map_err(|e| ApiError::bad(e.to_string()))?;
    let year = match year {
        Some(y) => y,
        None => {
            let members: Vec<&str> = ds
                .commitments()
                .members_in(&alliance.id, 2024)
                .into_iter()
                .map(|(m, _)| m.country.as_str())
                .collect();
            compliance::latest_year(ds, &members, &rule, &def)
                .ok_or_else(|| ApiError::bad(format!("no {def} data for {}", alliance.id)))?
        }
    };
    compliance::assess_alliance(ds, &alliance.id, &rule, &def, year)
        .map_err(|e| ApiError::bad(e.to_string()))
}

/// The compliance bars of one alliance, target and year.
pub fn compliance_svg(ds: &Dataset, v: &AllianceView) -> Result<String, ApiError> {
    let a = assess(ds, v, v.year)?;
    let mut sources: Vec<_> = Vec::new();
    for r in &a.rows {
        if let Some(s) = r.source.as_deref().and_then(|id| ds.sources().get(id)) {
            let s = source_ref(s);
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    let bars = a
        .rows
        .iter()
        .map(|r| {
            let name = ds
                .countries()
                .get(&r.country)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| r.country.clone());
            let mut b = Bar::new(r.country.clone(), name, r.value);
            b.period = a.year.to_string();
            b.flags = r.flags.names().into_iter().map(String::from).collect();
            b
        })
        .collect();
    let max = a
        .rows
        .iter()
        .filter_map(|r| r.value)
        .fold(a.target.threshold, f64::max);
    let mut meta = Meta::new(format!(
        "{} {}: {} meet {}",
        a.alliance.clone().unwrap_or_default(),
        a.year,
        a.count.text(),
        a.target.name
    ));
    meta.subtitle = format!(
        "Military expenditure, % of GDP ({} definition), {}",
        a.definition, a.year
    );
    meta.sources = sources;
    let chart = BarChart {
        meta,
        x: axis_for(Unit::PctGdp, "", max),
        target: a.rows.first().map(|r| ReferenceLine {
            value: r.target,
            label: a.target.name.clone(),
        }),
        bars,
        keep_order: false,
    };
    Ok(chart.to_svg())
}

/// Rows of the compliance chart as CSV (the `targets` command's records).
pub fn compliance_csv(ds: &'static Dataset, v: &AllianceView) -> Result<String, ApiError> {
    let mut args = vec![
        "targets".to_string(),
        format!("--alliance={}", v.alliance),
        format!("--target={}", v.target),
        format!("--definition={}", v.definition),
    ];
    if let Some(y) = v.year {
        args.push(format!("--year={y}"));
    }
    let recs = fairshare_commands::run_records(ds, &args)?;
    Ok(crate::api::Answer::from_records(recs).csv())
}

/// Members meeting the target per year, from the compliance engine's counts.
pub fn counts(ds: &Dataset, v: &AllianceView) -> Result<Vec<(i32, compliance::Count)>, ApiError> {
    let last = assess(ds, v, v.year)?.year;
    let mut out = Vec::new();
    for y in (last - 14).max(1990)..=last {
        if let Ok(a) = assess(ds, v, Some(y)) {
            out.push((y, a.count));
        }
    }
    Ok(out)
}

pub fn counts_csv(rows: &[(i32, compliance::Count)], v: &AllianceView) -> String {
    let mut s = String::from(
        "alliance,target,definition,year,members,with_data,meeting,meeting_rounded,suspended\n",
    );
    for (y, c) in rows {
        let _ = writeln!(
            s,
            "{},{},{},{y},{},{},{},{},{}",
            v.alliance,
            v.target,
            v.definition,
            c.members,
            c.with_data,
            c.meeting,
            c.meeting_rounded,
            c.suspended
        );
    }
    s
}

pub fn alliance_page(ds: &Dataset, v: &AllianceView) -> Result<String, ApiError> {
    let svg = compliance_svg(ds, v)?;
    let rows = counts(ds, v)?;
    let mut body = format!("<h1>{}: {}</h1>", esc(&v.alliance), esc(&v.target));
    let _ = write!(
        body,
        "<form class=\"controls\" method=\"get\" action=\"/alliance\" data-page=\"alliance\">\
<label>Alliance <input name=\"alliance\" value=\"{}\" size=\"8\"></label> \
<label>Target <input name=\"target\" value=\"{}\" size=\"14\"></label> \
<label>Year <input name=\"year\" type=\"number\" value=\"{}\" size=\"5\"></label> \
<label>Definition <select name=\"definition\">",
        esc(&v.alliance),
        esc(&v.target),
        v.year.map(|y| y.to_string()).unwrap_or_default()
    );
    for d in ["sipri", "nato", "wb"] {
        let _ = write!(
            body,
            "<option value=\"{d}\"{}>{d}</option>",
            if d == v.definition { " selected" } else { "" }
        );
    }
    body.push_str("</select></label> <button type=\"submit\">Show</button></form>");
    body.push_str(&figure(
        "main-chart",
        &svg,
        "/chart/compliance",
        "/chart/compliance.csv",
        &v.query(),
    ));
    let _ = write!(
        body,
        "<h2>Members meeting the target, by year</h2><table id=\"counts\"><thead><tr><th>year</th>\
<th>meeting</th><th>with data</th><th>members</th></tr></thead><tbody>"
    );
    for (y, c) in &rows {
        let _ = write!(
            body,
            "<tr><td>{y}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            c.meeting, c.with_data, c.members
        );
    }
    let _ = write!(
        body,
        "</tbody></table><p class=\"downloads\"><a class=\"dl-csv\" href=\"/chart/counts.csv?{}\">CSV</a> \
({} definition; source: see the chart's footer)</p>",
        esc(&v.query()),
        esc(&v.definition)
    );
    Ok(page(&v.alliance, &body))
}

// ---------------------------------------------------------------- scenario

pub fn scenario_query(p: &scen::Params) -> String {
    let f = |o: Option<f64>| o.map(|x| x.to_string()).unwrap_or_default();
    qs(&[
        ("name", p.name.clone()),
        ("share", f(p.share)),
        ("by", p.by.map(|y| y.to_string()).unwrap_or_default()),
        ("vol", f(p.vol)),
        ("prob", f(p.prob)),
        ("paths", p.paths.map(|n| n.to_string()).unwrap_or_default()),
        ("seed", p.seed.map(|n| n.to_string()).unwrap_or_default()),
    ])
}

/// The fan of the first country's defence spending share of GDP (the mixture of branches).
pub fn fan_svg(
    ds: &Dataset,
    results: &Results,
    scenario: &fairshare_scenario::Scenario,
) -> Result<String, ApiError> {
    let country = scenario
        .countries
        .first()
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let branch = if results.branches.iter().any(|b| b.name == COMBINED) {
        COMBINED.to_string()
    } else {
        results
            .branches
            .first()
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    fan_chart(ds, results, &branch, &country, "milex_gdp")
        .map(|c| c.to_svg())
        .ok_or_else(|| ApiError::bad(format!("the run has no milex_gdp records for {country}")))
}

pub fn scenario_page(
    ds: &Dataset,
    p: &scen::Params,
    results: &Results,
    svg: &str,
) -> Result<String, ApiError> {
    let s = scen::scenario(ds, &p.name)?;
    let mut body = format!(
        "<h1>Scenario explorer</h1><p>{}</p>",
        esc(s.title.as_deref().unwrap_or(&s.name))
    );
    let _ = write!(
        body,
        "<form class=\"controls\" method=\"get\" action=\"/scenario\" data-page=\"scenario\">\
<label>Scenario <select name=\"name\">"
    );
    for b in fairshare_scenario::builtin::all() {
        let _ = write!(
            body,
            "<option value=\"{0}\"{1}>{0}</option>",
            esc(b.name),
            if b.name == p.name { " selected" } else { "" }
        );
    }
    let f = |o: Option<f64>| o.map(|x| x.to_string()).unwrap_or_default();
    // Placeholders show what the scenario file says when a field is left empty.
    let (default_share, default_by) = match s.countries.first().map(|c| &c.policy) {
        Some(fairshare_scenario::Policy::ShareByYear { share, by, .. }) => {
            (share.to_string(), by.to_string())
        }
        _ => (String::new(), String::new()),
    };
    let default_prob = results
        .branches
        .first()
        .filter(|_| !s.branches.is_empty())
        .map(|b| format!("{:.2}", b.probability))
        .unwrap_or_default();
    let _ = write!(
        body,
        "</select></label> \
<label>Target share (% GDP) <input name=\"share\" type=\"number\" step=\"0.1\" min=\"0\" max=\"20\" value=\"{}\" placeholder=\"{}\" size=\"5\"></label> \
<label>by year <input name=\"by\" type=\"number\" min=\"{}\" max=\"{}\" value=\"{}\" placeholder=\"{}\" size=\"5\"></label> \
<label>Volatility × <input name=\"vol\" type=\"number\" step=\"0.1\" min=\"0\" max=\"5\" value=\"{}\" placeholder=\"1\" size=\"4\"></label> \
<label>First branch probability <input name=\"prob\" type=\"number\" step=\"0.05\" min=\"0\" max=\"1\" value=\"{}\" placeholder=\"{}\" size=\"4\"{}></label> \
<label>Paths <input name=\"paths\" type=\"number\" min=\"1\" max=\"{}\" value=\"{}\" placeholder=\"{}\" size=\"6\"></label> \
<label>Seed <input name=\"seed\" type=\"number\" min=\"0\" value=\"{}\" placeholder=\"{}\" size=\"6\"></label> \
<button type=\"submit\">Run</button></form>",
        f(p.share),
        default_share,
        s.first_year,
        s.last_year,
        p.by.map(|y| y.to_string()).unwrap_or_default(),
        default_by,
        f(p.vol),
        f(p.prob),
        default_prob,
        if s.branches.is_empty() {
            " disabled"
        } else {
            ""
        },
        scen::MAX_PATHS,
        p.paths.map(|n| n.to_string()).unwrap_or_default(),
        scen::DEFAULT_PATHS,
        p.seed.map(|n| n.to_string()).unwrap_or_default(),
        results.seed
    );
    body.push_str(&figure(
        "main-chart",
        svg,
        "/chart/fan",
        "/chart/fan.csv",
        &scenario_query(p),
    ));
    let _ = write!(
        body,
        "<p>{} paths, seed {}, definition {}. Branches: {}</p>",
        results.paths,
        results.seed,
        esc(&results.definition),
        esc(&results
            .branches
            .iter()
            .map(|b| format!("{} ({:.2})", b.name, b.probability))
            .collect::<Vec<_>>()
            .join(", "))
    );
    body.push_str("<table id=\"quantiles\"><thead><tr><th>branch</th><th>country</th><th>year</th><th>measure</th><th>q05</th><th>q50</th><th>q95</th><th>unit</th><th>source</th></tr></thead><tbody>");
    for r in results.records.iter().filter(|r| {
        r.measure == "milex_gdp" && (r.branch == COMBINED || results.branches.len() == 1)
    }) {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.branch),
            esc(&r.country),
            r.year,
            esc(&r.measure),
            r.q05,
            r.q50,
            r.q95,
            esc(&r.unit),
            esc(&r.source)
        );
    }
    body.push_str("</tbody></table>");
    Ok(page("Scenario explorer", &body))
}

pub fn bytes(s: String) -> Bytes {
    Bytes::from(s)
}
