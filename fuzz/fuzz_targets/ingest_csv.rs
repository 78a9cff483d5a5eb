//! The CSV readers (World Bank WDI and DataHub, Japan's budgets and host-nation support,
//! Korea's SMA, NATO's members and targets, troopdata, FiveThirtyEight's polls, ATOP's
//! member-level file, and fairshare's own registry tables of earlier published figures
//! and US treaty allies) on arbitrary bytes. The first byte picks the reader; the rest
//! is the file.
#![no_main]

use std::sync::OnceLock;

use fairshare_dataset::CountryRegistry;
use fairshare_dataset::ingest::{
    atop, datahub, earlier_figures, host_nation_support, japan_budget, nato_registry, polls_538,
    troopdata, us_treaties, wdi,
};
use libfuzzer_sys::fuzz_target;

fn countries() -> &'static CountryRegistry {
    static C: OnceLock<CountryRegistry> = OnceLock::new();
    C.get_or_init(fairshare_dataset::registry::builtin_countries)
}

fn cow() -> &'static atop::CowMap {
    static C: OnceLock<atop::CowMap> = OnceLock::new();
    C.get_or_init(|| atop::CowMap::builtin(countries()).expect("built-in COW table"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    let path = fairshare_fuzz::scratch("input.csv", file);
    let c = countries();
    let result = match which % 14 {
        0 => wdi::read_file(&path, wdi::indicator("MS.MIL.XPND.GD.ZS").unwrap(), c),
        1 => wdi::read_file(&path, wdi::indicator("PA.NUS.FCRF").unwrap(), c),
        2 => datahub::read_file(&path, datahub::series("NY.GDP.MKTP.CD").unwrap(), c),
        3 => japan_budget::read_file(&path, c),
        4 => host_nation_support::read_japan_fiscal_years(&path, c),
        5 => host_nation_support::read_japan_agreements(&path, c),
        6 => host_nation_support::read_korea(&path, c),
        7 => nato_registry::read_members(&path, c),
        8 => troopdata::read_file(&path, c),
        9 => polls_538::read_file(&path, c),
        10 => atop::read_members(&path, cow()),
        11 => nato_registry::read_targets(&path),
        12 => earlier_figures::parse(&path, file, c),
        _ => us_treaties::parse(&path, file, c),
    };
    if let Err(e) = result {
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "multi-line error: {msg}");
    }
});
