//! The scenario parser on arbitrary text: an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use fairshare_dataset::CountryRegistry;
use libfuzzer_sys::fuzz_target;

fn countries() -> &'static CountryRegistry {
    static C: OnceLock<CountryRegistry> = OnceLock::new();
    C.get_or_init(fairshare_dataset::registry::builtin_countries)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = fairshare_scenario::parse(&text, "fuzz.toml", countries()) {
        // The message is what the user reads: it must render, on one line.
        let msg = e.to_string();
        assert!(!msg.contains('\n'), "multi-line error: {msg}");
    }
});
