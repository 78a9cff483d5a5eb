//! The workbook readers (SIPRI, IMF WEO, NATO's tables) on arbitrary bytes. The first
//! byte picks the reader; the rest is the file.
#![no_main]

use std::sync::OnceLock;

use fairshare_dataset::CountryRegistry;
use fairshare_dataset::ingest::{nato_defexp, sipri, weo};
use libfuzzer_sys::fuzz_target;

fn countries() -> &'static CountryRegistry {
    static C: OnceLock<CountryRegistry> = OnceLock::new();
    C.get_or_init(fairshare_dataset::registry::builtin_countries)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    let path = fairshare_fuzz::scratch("input.xlsx", file);
    let c = countries();
    let result = match which % 3 {
        0 => sipri::read_workbook(&path, c),
        1 => weo::read_file(&path, c),
        _ => nato_defexp::read_file(&path, c),
    };
    if let Err(e) = result {
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "multi-line error: {msg}");
    }
});
