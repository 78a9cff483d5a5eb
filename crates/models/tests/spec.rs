//! Specification files: the built-in ones parse, and each class of bad file is an error
//! naming the file, the line and column, and the field.

use fairshare_models::panel::Covariance;
use fairshare_models::spec::{self, AllySource, BUILTIN, DEFAULT_SPEC};

const GOOD: &str = r#"name = "t"
[sample]
alliances = ["NATO"]
from = 1990
to = 2000
[model]
dependent = "ln_milex"
regressors = ["ln_gdp", "ln_spill", "ln_threat"]
[rivals]
default = ["RUS"]
"#;

#[test]
fn built_in_specifications_parse() {
    assert!(BUILTIN.iter().any(|(n, _)| *n == DEFAULT_SPEC));
    for (name, _) in BUILTIN {
        let s = spec::builtin(name).unwrap().unwrap();
        assert_eq!(s.name, *name);
        assert!(s.lagged_dependent && !s.year_effects);
        assert_eq!(s.covariance, Covariance::ClusteredByGroup);
        assert_eq!(s.regressors, vec!["ln_gdp", "ln_spill", "ln_threat"]);
        assert_eq!(s.file, format!("models/{name}.toml"));
    }
    let s = spec::builtin(DEFAULT_SPEC).unwrap().unwrap();
    assert_eq!((s.from, s.to, s.allies), (1990, 2024, AllySource::Registry));
    assert_eq!(s.alliances, vec!["NATO", "US-treaty-allies"]);
    assert_eq!(s.rivals_of("JPN").unwrap().1, ["CHN", "RUS", "PRK"]);
    assert_eq!(
        s.rivals_of("FRA").unwrap(),
        ("default", &["RUS".to_string()][..])
    );
    let atop = spec::builtin("demand-atop-1990-2016").unwrap().unwrap();
    assert_eq!((atop.to, atop.allies), (2016, AllySource::Atop));
    assert!(spec::builtin("nope").is_none());
}

#[test]
fn defaults_and_options() {
    let s = spec::parse("t.toml", GOOD).unwrap();
    assert!(s.lagged_dependent);
    assert_eq!(s.covariance, Covariance::ClusteredByGroup);
    let s = spec::parse(
        "t.toml",
        &GOOD.replace(
            "[rivals]",
            "covariance = \"driscoll-kraay\"\nbandwidth = 2\n[rivals]",
        ),
    )
    .unwrap();
    assert_eq!(
        s.covariance,
        Covariance::DriscollKraay { bandwidth: Some(2) }
    );
    let p = s.panel_spec();
    assert_eq!(
        (p.dependent.as_str(), p.group_label.as_str()),
        ("ln_milex", "country")
    );
}

fn error(text: &str) -> (usize, usize, String, String) {
    let e = spec::parse("bad.toml", text).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("bad.toml:{}:{}: {}: ", e.line, e.column, e.field))
    );
    (e.line, e.column, e.field, e.message)
}

#[test]
fn each_bad_file_class_names_file_line_and_field() {
    // Unknown variable.
    let (line, col, field, msg) = error(&GOOD.replace("\"ln_gdp\", ", "\"ln_income\", "));
    assert_eq!((line, col, field.as_str()), (8, 15, "model.regressors"));
    assert_eq!(
        msg,
        "unknown variable 'ln_income': the variables are ln_milex, ln_gdp, ln_spill, ln_threat"
    );

    let (line, _, field, msg) =
        error(&GOOD.replace("dependent = \"ln_milex\"", "dependent = \"milex\""));
    assert_eq!((line, field.as_str()), (7, "model.dependent"));
    assert!(msg.starts_with("unknown variable 'milex'"));

    // The dependent variable as a regressor, and a regressor twice.
    let (_, _, _, msg) = error(&GOOD.replace("\"ln_gdp\", ", "\"ln_milex\", "));
    assert!(
        msg.starts_with("'ln_milex' is the dependent variable"),
        "{msg}"
    );
    let (_, _, _, msg) = error(&GOOD.replace("\"ln_gdp\", ", "\"ln_spill\", "));
    assert_eq!(msg, "'ln_spill' is listed twice");

    // Syntax, an unknown field, a missing field.
    let (line, _, field, msg) = error(&GOOD.replace("from = 1990", "from = 1990x"));
    assert_eq!((line, field.as_str()), (4, "syntax"));
    assert!(!msg.is_empty());
    let (line, col, field, msg) = error(&GOOD.replace("[rivals]", "lag = 2\n[rivals]"));
    assert_eq!((line, col, field.as_str()), (9, 1, "lag"));
    assert!(msg.starts_with("unknown field `lag`"), "{msg}");
    let (_, _, field, msg) = error(&GOOD.replace("to = 2000\n", ""));
    assert_eq!(field, "to");
    assert!(msg.starts_with("missing field `to`"), "{msg}");

    // Years.
    let (line, _, field, msg) = error(&GOOD.replace("to = 2000", "to = 1980"));
    assert_eq!((line, field.as_str()), (5, "sample.to"));
    assert_eq!(msg, "to 1980 is before from 1990: the range is reversed");
    let (_, _, field, _) = error(&GOOD.replace("from = 1990", "from = 19900"));
    assert_eq!(field, "sample.from");

    // Options.
    let (_, _, field, msg) = error(&GOOD.replace("[rivals]", "covariance = \"robust\"\n[rivals]"));
    assert_eq!(field, "model.covariance");
    assert!(msg.starts_with("'robust' is not a covariance"), "{msg}");
    let (_, _, field, _) = error(&GOOD.replace("[rivals]", "bandwidth = 2\n[rivals]"));
    assert_eq!(field, "model.bandwidth");
    let (_, _, field, _) = error(&GOOD.replace("to = 2000", "to = 2000\nallies = \"cow\""));
    assert_eq!(field, "sample.allies");
    let (_, _, field, msg) = error(&GOOD.replace("alliances = [\"NATO\"]", "alliances = []"));
    assert_eq!(field, "sample.alliances");
    assert!(msg.starts_with("give at least one alliance"));

    // THREAT without rivals; an empty rival list.
    let (_, _, field, msg) = error(&GOOD.replace("[rivals]\ndefault = [\"RUS\"]\n", ""));
    assert_eq!(field, "rivals");
    assert!(msg.starts_with("ln_threat needs a [rivals] table"));
    let (line, _, field, _) = error(&GOOD.replace("default = [\"RUS\"]", "default = []"));
    assert_eq!((line, field.as_str()), (10, "rivals.default"));

    // Nothing to estimate.
    let (_, _, _, msg) = error(&GOOD.replace(
        "regressors = [\"ln_gdp\", \"ln_spill\", \"ln_threat\"]",
        "regressors = []\nlagged_dependent = false",
    ));
    assert!(msg.starts_with("nothing to estimate"));
}
