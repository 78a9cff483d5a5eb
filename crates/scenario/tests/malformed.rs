//! Each class of malformed scenario file gets one error naming the file, line, column,
//! field and what was expected.

use fairshare_dataset::registry::builtin_countries;
use fairshare_scenario::parse;

const HEAD: &str =
    "name = \"t\"\nhorizon = [2025, 2035]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n";

fn error(text: &str) -> String {
    match parse(text, "bad.toml", &builtin_countries()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn probability_outside_0_1() {
    let text = format!(
        "{HEAD}[[events]]\nkind = \"demand_share\"\ncountry = \"JPN\"\nyear = 2026\nprobability = 1.5\nshare = 3.5\nby = 2035\n"
    );
    assert_eq!(
        error(&text),
        "bad.toml:9:15: `events[0].probability`: probability 1.5 is outside 0–1: expected a number from 0 to 1"
    );
}

#[test]
fn branch_probabilities_not_summing_to_1() {
    let text = format!(
        "{HEAD}[[branches]]\nname = \"a\"\nprobability = 0.5\n[[branches]]\nname = \"b\"\nprobability = 0.4\n"
    );
    assert_eq!(
        error(&text),
        "bad.toml:5:1: `branches`: branch probabilities sum to 0.9, expected 1"
    );
}

#[test]
fn year_outside_horizon() {
    let text = format!("{HEAD}[policy.JPN]\nrule = \"share_by_year\"\nshare = 3.5\nby = 2040\n");
    assert_eq!(
        error(&text),
        "bad.toml:8:6: `policy.JPN.by`: year 2040 is outside the horizon 2025–2035"
    );
    let text = format!("{HEAD}[economy.JPN.exchange_rate]\npath = {{ 2025 = 150, 2040 = 3 }}\n");
    assert_eq!(
        error(&text),
        "bad.toml:6:22: `economy.JPN.exchange_rate.path.2040`: year 2040 is outside the horizon 2025–2035"
    );
}

#[test]
fn unknown_country_code() {
    let text = "name = \"t\"\nhorizon = [2025, 2035]\ndefinition = \"sipri\"\ncountries = [\"JPN\", \"XYZ\"]\n";
    assert_eq!(
        error(text),
        "bad.toml:4:21: `countries[1]`: unknown country code `XYZ`: expected an ISO3 code such as JPN"
    );
    let text =
        "name = \"t\"\nhorizon = [2025, 2035]\ndefinition = \"sipri\"\ncountries = [\"Japan\"]\n";
    assert_eq!(
        error(text),
        "bad.toml:4:14: `countries[0]`: unknown country code `Japan`: expected an ISO3 code such as JPN (did you mean JPN, Japan?)"
    );
    let text = format!("{HEAD}[economy.KOR.growth]\npath = 2\n");
    assert_eq!(
        error(&text),
        "bad.toml:5:10: `economy.KOR`: country `KOR` is not in `countries` (JPN); add it there first"
    );
}

#[test]
fn unknown_field() {
    let text = format!("{HEAD}[economy.JPN.growth]\nshok = {{ sd = 1 }}\n");
    assert_eq!(
        error(&text),
        "bad.toml:6:1: `economy.JPN.growth.shok`: unknown field `shok`, expected `path` or `shock`"
    );
}

#[test]
fn wrong_type() {
    let text =
        format!("{HEAD}[policy.JPN]\nrule = \"share_by_year\"\nshare = \"3.5\"\nby = 2030\n");
    assert_eq!(
        error(&text),
        "bad.toml:7:9: `policy.JPN.share`: invalid type: string \"3.5\", expected a number"
    );
    let text =
        "name = \"t\"\nhorizon = [2025.5, 2035]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n";
    assert_eq!(
        error(text),
        "bad.toml:2:12: `horizon[0]`: invalid type: floating point `2025.5`, expected a whole number"
    );
}

#[test]
fn deeply_nested_garbage() {
    let text = format!("{HEAD}deep = {}1{}\n", "[".repeat(300), "]".repeat(300));
    assert_eq!(
        error(&text),
        "bad.toml:5:88: `deep`: cannot recurse further; max recursion depth met"
    );
    // Not TOML at all: still one placed line.
    let garbage = error("\u{0}\u{1}garbage ===\n");
    assert!(garbage.starts_with("bad.toml:1:"), "{garbage}");
}

#[test]
fn missing_fields_are_named_under_their_table() {
    assert_eq!(
        error("horizon = [2025, 2035]\ndefinition = \"sipri\"\ncountries = [\"JPN\"]\n"),
        "bad.toml:1:1: `name`: missing field `name`"
    );
    assert_eq!(
        error(&format!("{HEAD}[policy.JPN]\nshare = 3\n")),
        "bad.toml:5:1: `policy.JPN.rule`: missing field `rule`"
    );
    assert_eq!(
        error(&format!(
            "{HEAD}[policy.JPN]\nrule = \"share_by_year\"\nby = 2030\n"
        )),
        "bad.toml:6:8: `policy.JPN.share`: rule \"share_by_year\" needs `share` (percent of GDP to reach)"
    );
    assert_eq!(
        error(&format!("{HEAD}[[branches]]\nname = \"a\"\n")),
        "bad.toml:6:8: `branches[0].probability`: a branch needs `probability` (0–1 or \"remainder\") or `from_polls`"
    );
}

#[test]
fn shocks_and_polls_are_checked() {
    assert_eq!(
        error(&format!(
            "{HEAD}[economy.JPN]\ngrowth = {{ shock = {{ ar1 = 1.0 }} }}\n"
        )),
        "bad.toml:6:28: `economy.JPN.growth.shock.ar1`: expected an AR(1) persistence strictly between -1 and 1, got 1"
    );
    assert_eq!(
        error(&format!(
            "{HEAD}[economy.JPN.growth.shock]\ndistribution = \"student_t\"\n"
        )),
        "bad.toml:6:16: `economy.JPN.growth.shock.df`: distribution \"student_t\" needs `df` (degrees of freedom above 2)"
    );
    assert_eq!(
        error(&format!(
            "{HEAD}[[branches]]\nname = \"a\"\nfrom_polls = {{ window = [\"2024-01-01\", \"2024-02-30\"], candidate = \"Trump\", opponent = \"Biden\" }}\n[[branches]]\nname = \"b\"\nprobability = \"remainder\"\n"
        )),
        "bad.toml:7:40: `branches[0].from_polls.window[1]`: `2024-02-30` is not a date: expected \"YYYY-MM-DD\""
    );
}

#[test]
fn duplicates_and_misplaced_fields() {
    assert_eq!(
        error(&format!(
            "{HEAD}[[targets]]\nid = \"x\"\nshare = 3.5\n[[targets]]\nid = \"X\"\nshare = 2\n"
        )),
        "bad.toml:9:6: `targets[1].id`: target id `X` is used twice"
    );
    assert_eq!(
        error(&format!(
            "{HEAD}[policy.JPN]\nrule = \"nominal_growth\"\nrate = 3\nby = 2030\n"
        )),
        "bad.toml:8:6: `policy.JPN.by`: `by` does not apply to rule \"nominal_growth\""
    );
}
