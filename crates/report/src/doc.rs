//! A report as a list of blocks, rendered two ways from the same blocks: Markdown (charts
//! referenced as `charts/NAME.svg`) and a self-contained HTML page (charts inline, CSS
//! inline, print CSS, no external references). Pure: no I/O, no clock.

use crate::charts::Chart;

/// One block of a report.
#[derive(Debug, Clone)]
pub enum Block {
    /// Level 2 heading with an anchor id.
    Section {
        id: String,
        title: String,
    },
    /// Level 3 heading.
    Subsection(String),
    Paragraph(String),
    /// A bulleted list.
    List(Vec<String>),
    /// Header row, then rows; columns after the first are right-aligned when `numeric`.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// A chart, written as `charts/{file}.svg`.
    Figure {
        file: String,
        chart: Box<Chart>,
    },
    /// A labelled caveat box.
    Note(String),
    /// The sources a section rests on.
    Sources(Vec<String>),
}

/// A rendered-ready report.
#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<Block>,
}

/// Remove the scheme of any web address so that the HTML holds no fetchable reference
/// (sources are cited by publisher, title and release).
pub fn no_urls(s: &str) -> String {
    s.replace("https://", "").replace("http://", "")
}

fn md_escape_cell(s: &str) -> String {
    no_urls(s).replace('|', "\\|").replace('\n', " ")
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in no_urls(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

impl Document {
    /// The charts as (`charts/NAME.svg`, SVG text), in order.
    pub fn charts(&self) -> Vec<(String, String)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Figure { file, chart } => {
                    Some((format!("charts/{file}.svg"), chart.to_svg()))
                }
                _ => None,
            })
            .collect()
    }

    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# {}\n\n_{}_\n",
            no_urls(&self.title),
            no_urls(&self.subtitle)
        );
        for b in &self.blocks {
            out.push('\n');
            match b {
                Block::Section { title, .. } => out.push_str(&format!("## {}\n", no_urls(title))),
                Block::Subsection(t) => out.push_str(&format!("### {}\n", no_urls(t))),
                Block::Paragraph(t) => out.push_str(&format!("{}\n", no_urls(t))),
                Block::List(items) => {
                    for i in items {
                        out.push_str(&format!("- {}\n", no_urls(i)));
                    }
                }
                Block::Table {
                    head,
                    rows,
                    numeric,
                } => {
                    out.push_str(&format!(
                        "| {} |\n",
                        head.iter()
                            .map(|h| md_escape_cell(h))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ));
                    out.push_str(&format!(
                        "|{}|\n",
                        (0..head.len())
                            .map(|i| if numeric.get(i).copied().unwrap_or(false) {
                                "---:"
                            } else {
                                "---"
                            })
                            .collect::<Vec<_>>()
                            .join("|")
                    ));
                    for r in rows {
                        out.push_str(&format!(
                            "| {} |\n",
                            r.iter()
                                .map(|c| md_escape_cell(c))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        ));
                    }
                }
                Block::Figure { file, chart } => {
                    out.push_str(&format!(
                        "![{}](charts/{file}.svg)\n",
                        md_escape_cell(&chart.meta().title)
                    ));
                }
                Block::Note(t) => out.push_str(&format!("> **Caveat.** {}\n", no_urls(t))),
                Block::Sources(s) => {
                    out.push_str(&format!("*Sources:* {}\n", no_urls(&s.join("; "))));
                }
            }
        }
        out
    }

    pub fn to_html(&self) -> String {
        let mut body = String::new();
        let toc: Vec<(String, String)> = self
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Section { id, title } => Some((id.clone(), title.clone())),
                _ => None,
            })
            .collect();
        body.push_str(&format!(
            "<header><h1>{}</h1><p class=\"sub\">{}</p></header>\n",
            html_escape(&self.title),
            html_escape(&self.subtitle)
        ));
        if !toc.is_empty() {
            body.push_str("<nav><ol>");
            for (id, t) in &toc {
                body.push_str(&format!(
                    "<li><a href=\"#{}\">{}</a></li>",
                    html_escape(id),
                    html_escape(t)
                ));
            }
            body.push_str("</ol></nav>\n");
        }
        let mut open = false;
        for b in &self.blocks {
            match b {
                Block::Section { id, title } => {
                    if open {
                        body.push_str("</section>\n");
                    }
                    body.push_str(&format!(
                        "<section id=\"{}\"><h2>{}</h2>\n",
                        html_escape(id),
                        html_escape(title)
                    ));
                    open = true;
                }
                Block::Subsection(t) => body.push_str(&format!("<h3>{}</h3>\n", html_escape(t))),
                Block::Paragraph(t) => body.push_str(&format!("<p>{}</p>\n", html_escape(t))),
                Block::List(items) => {
                    body.push_str("<ul>");
                    for i in items {
                        body.push_str(&format!("<li>{}</li>", html_escape(i)));
                    }
                    body.push_str("</ul>\n");
                }
                Block::Table {
                    head,
                    rows,
                    numeric,
                } => {
                    let class = |i: usize| {
                        if numeric.get(i).copied().unwrap_or(false) {
                            " class=\"num\""
                        } else {
                            ""
                        }
                    };
                    body.push_str("<div class=\"tw\"><table><thead><tr>");
                    for (i, h) in head.iter().enumerate() {
                        body.push_str(&format!("<th{}>{}</th>", class(i), html_escape(h)));
                    }
                    body.push_str("</tr></thead><tbody>");
                    for r in rows {
                        body.push_str("<tr>");
                        for (i, c) in r.iter().enumerate() {
                            body.push_str(&format!("<td{}>{}</td>", class(i), html_escape(c)));
                        }
                        body.push_str("</tr>");
                    }
                    body.push_str("</tbody></table></div>\n");
                }
                Block::Figure { file, chart } => {
                    body.push_str(&format!(
                        "<figure id=\"fig-{}\">{}</figure>\n",
                        html_escape(file),
                        inline_svg(&chart.to_svg())
                    ));
                }
                Block::Note(t) => body.push_str(&format!(
                    "<aside class=\"note\"><strong>Caveat.</strong> {}</aside>\n",
                    html_escape(t)
                )),
                Block::Sources(s) => body.push_str(&format!(
                    "<p class=\"sources\"><strong>Sources:</strong> {}</p>\n",
                    html_escape(&s.join("; "))
                )),
            }
        }
        if open {
            body.push_str("</section>\n");
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
            html_escape(&self.title),
            CSS,
            body
        )
    }
}

/// An SVG for inline use in HTML: namespace declarations (web addresses, though never
/// fetched) are dropped, as HTML needs none for inline SVG.
fn inline_svg(svg: &str) -> String {
    let svg = svg
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .unwrap_or(svg)
        .trim_start();
    svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "")
}

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --accent: #0b5cad; --bg-note: #fff8e5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 64px; }
header h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; }
header .sub { color: var(--muted); margin: 0 0 20px; }
nav { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); margin: 0 0 24px; padding: 8px 0; }
nav ol { margin: 0; padding-left: 22px; columns: 2; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; }
section { margin: 0 0 36px; }
h2 { font-size: 22px; margin: 32px 0 10px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 22px 0 6px; }
p, ul { margin: 0 0 12px; }
figure { margin: 16px 0 20px; }
figure svg { width: 100%; height: auto; display: block; }
.tw { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { background: var(--bg-note); border-left: 4px solid #d4a72c; padding: 8px 12px; margin: 12px 0; font-size: 14px; }
.sources { color: var(--muted); font-size: 13px; border-top: 1px dotted var(--rule); padding-top: 6px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, .note { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 16mm 14mm; }
}
"#;
