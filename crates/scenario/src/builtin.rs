//! The built-in scenarios: the files in `scenarios/`, compiled into the binary so that
//! `fairshare scenario run NAME` works from any directory. Each answers a question of
//! The Diplomat's 2024 article on a second Trump term and the Japan–US alliance, or of
//! what followed it, and cites the sources of its numbers in comments.

/// One built-in scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// The scenario's `name` and file stem.
    pub name: &'static str,
    /// `scenarios/NAME.toml`, for messages.
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! builtins {
    ($($name:literal),+ $(,)?) => {
        &[$(Builtin {
            name: $name,
            file: concat!("scenarios/", $name, ".toml"),
            text: include_str!(concat!("../../../scenarios/", $name, ".toml")),
        }),+]
    };
}

const ALL: &[Builtin] = builtins!(
    "japan-plan-fy2027",
    "japan-bring-forward-2024",
    "japan-us-demand-3.5pct-2035",
    "japan-5pct-2035",
    "korea-hns-10bn",
    "korea-withdrawal",
    "election-2024",
);

/// Every built-in scenario, in the order `scenario list` shows them.
pub fn all() -> &'static [Builtin] {
    ALL
}

/// A built-in scenario by name (case-insensitive; a trailing `.toml` is ignored).
pub fn get(name: &str) -> Option<&'static Builtin> {
    let wanted = name.trim();
    let wanted = wanted.strip_suffix(".toml").unwrap_or(wanted);
    ALL.iter().find(|b| b.name.eq_ignore_ascii_case(wanted))
}

/// The names, comma-separated, for error messages.
pub fn names() -> String {
    ALL.iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use fairshare_dataset::registry::builtin_countries;

    #[test]
    fn every_builtin_parses_and_is_named_after_its_file() {
        for b in all() {
            let s = crate::parse(b.text, b.file, &builtin_countries())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.name, b.name);
            assert!(s.title.is_some(), "{} has no title", b.name);
            // Sources in comments.
            assert!(b.text.contains("# Source"), "{} cites no source", b.name);
        }
        assert_eq!(get("JAPAN-5PCT-2035.toml").unwrap().name, "japan-5pct-2035");
        assert!(get("nope").is_none());
    }
}
