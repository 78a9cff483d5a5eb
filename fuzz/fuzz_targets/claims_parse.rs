//! The claims-file parser on arbitrary text, against the embedded dataset.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ds = fairshare_embedded::dataset().expect("embedded dataset");
    let text = String::from_utf8_lossy(data);
    match fairshare_metrics::claims::parse_claims(&text, ds) {
        Ok(claims) => {
            // Whatever parses must also check without panicking.
            let _ = fairshare_metrics::claims::check_claims(ds, &claims);
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "multi-line error: {msg}");
        }
    }
});
