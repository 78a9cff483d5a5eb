//! `fairshare serve`: the HTTP API and dashboard over the same commands and engines.
//!
//! ```text
//! $ fairshare serve --addr 127.0.0.1:8080
//! fairshare: serving http://127.0.0.1:8080/ (dashboard) and /api/openapi.json
//! ```

use clap::Args;

pub const ABOUT: &str = "Serve the JSON/CSV API and the dashboard over HTTP (read-only)";

pub const EXAMPLES: &str = "\
Examples:
  fairshare serve
      then open http://127.0.0.1:8080/ for the dashboard
  fairshare serve --addr 127.0.0.1:9000
  curl 'http://127.0.0.1:8080/api/series?country=JPN,KOR&measure=milex_gdp&from=2000'
  curl 'http://127.0.0.1:8080/api/series.csv?country=JPN&measure=milex_gdp'

Limits: GET and HEAD only; a request head sent within 10 s and under 64 KiB; URLs up to
8 KiB; 1,024 open connections (more wait); 20 s per request; 2 scenario runs at once
(more get 503) of at most 20,000 paths. Bad requests get a JSON 4xx naming the input
(docs/errors.md).";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; the server is read-only).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
}
