//! The registry readers on the real hand-compiled files (`nato/`,
//! `japan_defense_budget/`) and the built-in US treaty table, against the facts in
//! their SOURCE.md (skipped where the raw folder is absent).

use std::path::PathBuf;

use fairshare_dataset::ingest::{japan_budget, nato_registry, us_treaties};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Flag, MemberStatus, YearBasis};

fn raw_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("FAIRSHARE_RAW") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/raw"
        )),
    };
    if dir.join("nato").is_dir() && dir.join("japan_defense_budget").is_dir() {
        Some(dir)
    } else {
        eprintln!("raw files absent: skipped {test}");
        None
    }
}

#[test]
fn nato_has_32_members_in_2024_and_five_targets() {
    let Some(raw) = raw_dir("nato_has_32_members_in_2024_and_five_targets") else {
        return;
    };
    let out = nato_registry::read(&raw, &builtin_countries()).unwrap();
    let c = &out.commitments;
    let members = |y| c.members_in("NATO", y).len();
    assert_eq!(members(2024), 32);
    assert_eq!(members(2023), 31); // Finland in, Sweden not yet
    assert_eq!(members(1949), 12);
    assert_eq!(members(1982), 16);
    let year_of = |code: &str| {
        c.memberships
            .iter()
            .find(|m| m.country == code)
            .map(|m| m.from_year)
    };
    assert_eq!(year_of("USA"), Some(1949));
    assert_eq!(year_of("DEU"), Some(1955));
    assert_eq!(year_of("ESP"), Some(1982));
    assert_eq!(year_of("FIN"), Some(2023));
    assert_eq!(year_of("SWE"), Some(2024));
    assert!(
        c.memberships
            .iter()
            .all(|m| m.source_url.starts_with("http"))
    );

    let ids: Vec<&str> = c.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "nato-2pct",
            "nato-equipment-20pct",
            "nato-core-3.5pct-2035",
            "nato-related-1.5pct-2035",
            "nato-5pct-2035"
        ]
    );
    let t = c.target("wales_2pct").unwrap();
    assert_eq!(
        (t.threshold, t.by_year, t.agreed.as_str()),
        (2.0, 2024, "2014-09-05")
    );
    let t = c.target("hague_total_5pct").unwrap();
    assert_eq!(
        (t.threshold, t.by_year, t.agreed.as_str()),
        (5.0, 2035, "2025-06-25")
    );
    assert_eq!(c.target("hague_core_3_5pct").unwrap().threshold, 3.5);
    assert_eq!(
        out.sources
            .iter()
            .map(|s| s.vintage.as_str())
            .collect::<Vec<_>>(),
        vec![
            "compiled list, accessions to 2024",
            "compiled list, targets agreed to 2025-06-25"
        ]
    );
}

#[test]
fn japan_series_plan_and_fixed_target_from_the_real_file() {
    let Some(raw) = raw_dir("japan_series_plan_and_fixed_target_from_the_real_file") else {
        return;
    };
    let out = japan_budget::read(&raw, &builtin_countries()).unwrap();
    let value = |def: &str, fy: i32| {
        out.observations
            .iter()
            .find(|o| o.definition == def && o.year == fy)
            .unwrap_or_else(|| panic!("no {def} FY{fy}"))
    };
    assert_eq!(value("national:jp-mod", 2023).value, Some(6.8219e12));
    assert_eq!(value("national:jp-mod", 2025).value, Some(8.7005e12));
    assert_eq!(value("national:jp-security", 2025).value, Some(9.93e12));
    let supp = value("national:jp-security-supp", 2025);
    assert_eq!(supp.value, Some(11e12));
    assert!(supp.flags.contains(Flag::Approximate) && supp.flags.contains(Flag::Budget));
    assert!(value("national:jp-mod", 2026).flags.contains(Flag::Plan));
    assert!(
        out.observations
            .iter()
            .all(|o| o.year_basis == YearBasis::FY_APR)
    );
    assert_eq!(out.observations.len(), 9);

    let plan = &out.commitments.plans[0];
    assert_eq!(
        (plan.from_year, plan.to_year, plan.amount),
        (2023, 2027, 43e12)
    );
    let t = &out.commitments.targets[0];
    assert_eq!(t.id, "japan-2pct-fy2027");
    assert_eq!(
        (t.fixed_gdp_lcu, t.fixed_gdp_year),
        (Some(560e12), Some(2022))
    );
    assert_eq!(t.fixed_amount_lcu(), Some(11.2e12));
    assert_eq!(t.stated_amount_lcu, Some(11e12));
    assert!(t.source_url.contains("clearing.mod.go.jp"));
}

#[test]
fn us_treaty_allies_suspend_new_zealand_from_1986() {
    let out = us_treaties::read(&PathBuf::from("unused"), &builtin_countries()).unwrap();
    let status = |code: &str, year: i32| {
        out.commitments
            .members_in("US-treaty-allies", year)
            .into_iter()
            .find(|(m, _)| m.country == code)
            .map(|(_, s)| s)
    };
    assert_eq!(status("NZL", 1985), Some(MemberStatus::Active));
    assert_eq!(status("NZL", 1986), Some(MemberStatus::Suspended));
    assert_eq!(status("KOR", 1952), None);
    assert_eq!(status("KOR", 1953), Some(MemberStatus::Active));
    assert_eq!(status("THA", 1962), Some(MemberStatus::Active));
    assert_eq!(status("USA", 2024), None);
}
