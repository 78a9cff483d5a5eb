//! The worked example in `scenarios/README.md` parses, so the documentation stays valid.

use fairshare_dataset::registry::builtin_countries;
use fairshare_scenario::{BranchProbability, TargetKind, parse};

#[test]
fn worked_example_parses() {
    let readme = include_str!("../../../scenarios/README.md");
    let start = readme.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + readme[start..].find("```").expect("the block ends");
    let scenario = parse(
        &readme[start..end],
        "scenarios/README.md",
        &builtin_countries(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.name, "example-japan-election-2024");
    assert_eq!(
        (scenario.base_year, scenario.first_year, scenario.last_year),
        (2024, 2025, 2035)
    );
    assert_eq!(scenario.branches.len(), 2);
    assert!(matches!(
        scenario.branches[0].probability,
        BranchProbability::FromPolls(_)
    ));
    assert_eq!(scenario.branches[0].events.len(), 2);
    assert_eq!(
        scenario
            .registry_targets()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["japan-2pct-fy2027"]
    );
    assert!(matches!(scenario.targets[1].kind, TargetKind::Share(s) if s == 3.5));
}
