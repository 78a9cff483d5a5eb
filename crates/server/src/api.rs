//! The JSON/CSV API: each endpoint is a read-only fairshare command, its query
//! parameters mapped onto that command's arguments, so the records and the error
//! messages are the CLI's own. The table of endpoints also writes `/api/openapi.json`.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use fairshare_commands::error::CliError;
use fairshare_commands::output::{Records, render_csv};

/// How a query parameter reaches the command: as a positional argument or a flag.
#[derive(Clone, Copy)]
pub enum Arg {
    /// The next positional argument (required).
    Positional,
    /// An optional positional argument.
    OptionalPositional,
    /// `--flag=value`.
    Flag(&'static str),
    /// `--flag=value`, and the parameter is required.
    RequiredFlag(&'static str),
}

/// One query parameter of an endpoint.
pub struct Param {
    pub name: &'static str,
    pub arg: Arg,
    pub description: &'static str,
    /// "string" or "integer" in the OpenAPI document.
    pub kind: &'static str,
}

/// One command endpoint.
pub struct Endpoint {
    pub path: &'static str,
    pub command: &'static [&'static str],
    pub summary: &'static str,
    pub params: &'static [Param],
}

const fn p(name: &'static str, arg: Arg, kind: &'static str, description: &'static str) -> Param {
    Param {
        name,
        arg,
        description,
        kind,
    }
}

use Arg::{Flag, OptionalPositional, Positional, RequiredFlag};

pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/api/series",
        command: &["show"],
        summary: "Values of one or more countries with unit, definition, source and vintage (as `fairshare show`)",
        params: &[
            p(
                "country",
                Positional,
                "string",
                "Countries, comma-separated: ISO3 codes or names (JPN,KOR)",
            ),
            p(
                "measure",
                Flag("--measure"),
                "string",
                "Measures, comma-separated (milex_gdp, milex_usd_current, ...)",
            ),
            p(
                "definition",
                Flag("--definition"),
                "string",
                "Definitions, comma-separated (sipri, nato, wb, imf_weo, ...)",
            ),
            p("from", Flag("--from"), "integer", "First year"),
            p("to", Flag("--to"), "integer", "Last year"),
        ],
    },
    Endpoint {
        path: "/api/explain",
        command: &["explain"],
        summary: "Every published value of one cell and why they differ (as `fairshare explain`)",
        params: &[
            p(
                "country",
                Positional,
                "string",
                "Country: ISO3 code or name",
            ),
            p("measure", Positional, "string", "Measure, e.g. milex_gdp"),
            p("year", Positional, "integer", "Year"),
        ],
    },
    Endpoint {
        path: "/api/sources",
        command: &["sources"],
        summary: "The sources the dataset cites, with vintages and licences",
        params: &[],
    },
    Endpoint {
        path: "/api/countries",
        command: &["countries"],
        summary: "Countries and aggregates the dataset knows",
        params: &[],
    },
    Endpoint {
        path: "/api/targets",
        command: &["targets"],
        summary: "Compliance with spending targets (as `fairshare targets`)",
        params: &[
            p(
                "alliance",
                Flag("--alliance"),
                "string",
                "Alliance, e.g. NATO",
            ),
            p(
                "target",
                Flag("--target"),
                "string",
                "Target id or rule, e.g. nato-2pct or 2%gdp",
            ),
            p("year", Flag("--year"), "integer", "Year"),
            p(
                "definition",
                Flag("--definition"),
                "string",
                "Definition of spending",
            ),
        ],
    },
    Endpoint {
        path: "/api/gap",
        command: &["gap"],
        summary: "The path from today's spending to a target (as `fairshare gap`)",
        params: &[
            p("country", Positional, "string", "Country"),
            p(
                "target",
                RequiredFlag("--target"),
                "string",
                "Target id or rule, e.g. japan-2pct-fy2027",
            ),
            p(
                "by",
                Flag("--by"),
                "integer",
                "Year the target is to be met",
            ),
            p("from", Flag("--from"), "integer", "Base year"),
            p(
                "definition",
                Flag("--definition"),
                "string",
                "Definition of spending",
            ),
        ],
    },
    Endpoint {
        path: "/api/hns",
        command: &["hns"],
        summary: "Host-nation support ledger (as `fairshare hns`)",
        params: &[
            p("country", Positional, "string", "Host country"),
            p(
                "demand",
                Flag("--demand"),
                "string",
                "A demanded amount, e.g. 8e9USD",
            ),
            p("budget", Flag("--budget"), "string", "Budget definition"),
            p("from", Flag("--from"), "integer", "First year"),
            p("to", Flag("--to"), "integer", "Last year"),
            p("year", Flag("--year"), "integer", "Year of the headline"),
        ],
    },
    Endpoint {
        path: "/api/alliances",
        command: &["alliances"],
        summary: "Alliances and their members (as `fairshare alliances`)",
        params: &[
            p(
                "alliance",
                OptionalPositional,
                "string",
                "Alliance id, e.g. NATO",
            ),
            p("year", Flag("--year"), "integer", "Membership in this year"),
        ],
    },
    Endpoint {
        path: "/api/models/exploitation",
        command: &["model", "exploitation"],
        summary: "Olson-Zeckhauser exploitation test: do larger allies carry more? (as `fairshare model exploitation`)",
        params: &[
            p(
                "alliance",
                Flag("--alliance"),
                "string",
                "Alliance (default NATO)",
            ),
            p("from", Flag("--from"), "integer", "First year"),
            p("to", Flag("--to"), "integer", "Last year"),
            p(
                "year",
                Flag("--year"),
                "integer",
                "One year (instead of from/to)",
            ),
        ],
    },
    Endpoint {
        path: "/api/models/nash",
        command: &["model", "nash"],
        summary: "An alliance's spending read as a public-good Nash equilibrium, and a what-if (as `fairshare model nash --alliance`)",
        params: &[
            p(
                "alliance",
                Flag("--alliance"),
                "string",
                "Alliance (NATO, US-treaty-allies; default NATO)",
            ),
            p(
                "year",
                Flag("--year"),
                "integer",
                "Year (default: the latest with spending data)",
            ),
            p(
                "remove",
                Flag("--remove"),
                "string",
                "What if this member left (a country)",
            ),
            p(
                "scale",
                Flag("--scale"),
                "string",
                "What if this member provided FACTOR times its contribution: MEMBER=FACTOR, e.g. USA=0.5",
            ),
            p(
                "scale_income",
                Flag("--scale-income"),
                "string",
                "What if this member's income were FACTOR times as large: MEMBER=FACTOR",
            ),
        ],
    },
    Endpoint {
        path: "/api/models/fit",
        command: &["model", "fit"],
        summary: "The demand-for-military-spending panel model, default specification (as `fairshare model fit`)",
        params: &[],
    },
];

/// An API answer: records (one shape for JSON and CSV) and provenance lines.
pub struct Answer {
    pub rows: Vec<Map<String, Value>>,
    pub notes: Vec<String>,
}

impl Answer {
    pub fn from_records(records: Vec<Records>) -> Answer {
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        for r in records {
            rows.extend(r.rows);
            notes.extend(r.footer);
        }
        Answer { rows, notes }
    }

    pub fn json(&self) -> String {
        let v = json!({"records": self.rows, "notes": self.notes});
        let mut s = serde_json::to_string(&v).expect("JSON values always serialize");
        s.push('\n');
        s
    }

    pub fn csv(&self) -> String {
        render_csv(&self.rows)
    }
}

/// JSON or CSV, from a `.csv` suffix or the Accept header.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Wire {
    Json,
    Csv,
}

impl Wire {
    pub fn negotiate(path: &str, headers: &HeaderMap) -> Wire {
        if path.ends_with(".csv") {
            return Wire::Csv;
        }
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains("text/csv") && !accept.contains("application/json") {
            Wire::Csv
        } else {
            Wire::Json
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Wire::Json => "application/json",
            Wire::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A 4xx/5xx answer: `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl From<CliError> for ApiError {
    fn from(e: CliError) -> Self {
        let status = if e.code == 2 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        // CLI messages name flags ("--from 3000 is outside ..."); the API's parameters
        // are the same words without dashes. Only flag names are rewritten, never input.
        let mut message = e.message;
        for flag in FLAG_NAMES {
            // The parameter is the flag's name with `_` for `-` (scale-income: scale_income).
            let param = flag.replace('-', "_");
            for after in [' ', '=', ':'] {
                message = message.replace(&format!("--{flag}{after}"), &format!("{param}{after}"));
            }
        }
        ApiError::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.message}).to_string();
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = self.status;
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    }
}

/// Flags the endpoints pass, named in CLI messages.
const FLAG_NAMES: &[&str] = &[
    "from",
    "to",
    "year",
    "by",
    "measure",
    "definition",
    "target",
    "alliance",
    "demand",
    "budget",
    "remove",
    "scale-income",
    "scale",
];

/// The longest value a query parameter may have.
const MAX_VALUE: usize = 200;

/// Query parameters → the command's argument list, every parameter checked by name.
pub fn arguments(ep: &Endpoint, query: &[(String, String)]) -> Result<Vec<String>, ApiError> {
    for (k, _) in query {
        if !ep.params.iter().any(|p| p.name == k) {
            let known: Vec<&str> = ep.params.iter().map(|p| p.name).collect();
            return Err(ApiError::bad(if known.is_empty() {
                format!("unknown parameter {k:?}: {} takes none", ep.path)
            } else {
                format!(
                    "unknown parameter {k:?} for {}; known: {}",
                    ep.path,
                    known.join(", ")
                )
            }));
        }
    }
    let mut args: Vec<String> = ep.command.iter().map(|s| s.to_string()).collect();
    let mut flags = Vec::new();
    for param in ep.params {
        let values: Vec<&str> = query
            .iter()
            .filter(|(k, _)| k == param.name)
            .map(|(_, v)| v.as_str())
            .collect();
        if values.len() > 1 {
            return Err(ApiError::bad(format!(
                "parameter {} is given {} times; give it once (lists are comma-separated)",
                param.name,
                values.len()
            )));
        }
        let value = values.first().map(|v| v.trim());
        if let Some(v) = value {
            if v.len() > MAX_VALUE {
                return Err(ApiError::bad(format!(
                    "parameter {} is {} characters long; at most {MAX_VALUE}",
                    param.name,
                    v.len()
                )));
            }
            if v.is_empty() {
                return Err(ApiError::bad(format!("parameter {} is empty", param.name)));
            }
            if param.kind == "integer" && v.parse::<i64>().is_err() {
                return Err(ApiError::bad(format!(
                    "parameter {} = {v:?} is not a whole number",
                    param.name
                )));
            }
        }
        match (param.arg, value) {
            (Arg::Positional | Arg::RequiredFlag(_), None) => {
                return Err(ApiError::bad(format!(
                    "parameter {} is required: {}",
                    param.name, param.description
                )));
            }
            (Arg::Positional | Arg::OptionalPositional, Some(v)) => {
                if v.starts_with('-') && param.kind != "integer" {
                    return Err(ApiError::bad(format!(
                        "parameter {} = {v:?} is not a valid {}",
                        param.name, param.name
                    )));
                }
                args.push(v.to_string());
            }
            (Arg::Flag(flag) | Arg::RequiredFlag(flag), Some(v)) => {
                flags.push(format!("{flag}={v}"))
            }
            (_, None) => {}
        }
    }
    // Positionals may be negative years: end option parsing only when every flag is
    // already placed before them.
    let n = ep.command.len();
    let positionals: Vec<String> = args.split_off(n);
    args.extend(flags);
    if !positionals.is_empty() {
        args.push("--".to_string());
        args.extend(positionals);
    }
    Ok(args)
}
