//! The query string, decoded strictly: `a=1&b=x+y` into ordered pairs. What a lenient
//! decoder would pass on silently is refused with a message naming the parameter: a
//! malformed percent escape, bytes that are not UTF-8, control characters (NUL, line
//! breaks) and too many parameters.

/// Most parameters one request may carry (the widest endpoint takes seven).
pub const MAX_PAIRS: usize = 32;

/// Decode `query` (without the `?`) into (name, value) pairs, in order. Empty pieces
/// (`a=1&&b=2`, a trailing `&`) are skipped; a piece without `=` has an empty value.
pub fn parse(query: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        if pairs.len() == MAX_PAIRS {
            return Err(format!(
                "more than {MAX_PAIRS} query parameters; no endpoint takes that many"
            ));
        }
        let (raw_name, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = decode(raw_name).map_err(|e| format!("query parameter name: {e}"))?;
        let value = decode(raw_value).map_err(|e| format!("parameter {}: {e}", shown(&name)))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// `+` is a space and `%XX` a byte; the bytes must be UTF-8 without control characters.
fn decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let (h, l) = match (b.get(i + 1), b.get(i + 2)) {
                    (Some(&h), Some(&l)) => (hex(h), hex(l)),
                    _ => (None, None),
                };
                let (Some(h), Some(l)) = (h, l) else {
                    let end = (i + 3).min(b.len());
                    return Err(format!(
                        "malformed percent escape {:?} (write % as %25)",
                        String::from_utf8_lossy(&b[i..end])
                    ));
                };
                out.push(h * 16 + l);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    let text = String::from_utf8(out).map_err(|_| "not valid UTF-8 once decoded".to_string())?;
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "contains the control character U+{:04X}; values are names and numbers",
            c as u32
        ));
    }
    Ok(text)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A name as it may appear in a message: at most 40 characters.
fn shown(name: &str) -> String {
    let cut: String = name.chars().take(40).collect();
    if cut.len() < name.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(q: &str) -> Vec<(String, String)> {
        parse(q).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn decodes_pairs_in_order() {
        assert_eq!(
            ok("country=JPN,KOR&from=2000&to=2024"),
            vec![
                ("country".into(), "JPN,KOR".into()),
                ("from".into(), "2000".into()),
                ("to".into(), "2024".into())
            ]
        );
        assert_eq!(
            ok("q=South+Korea&x=%E6%97%A5%E6%9C%AC"),
            vec![
                ("q".into(), "South Korea".into()),
                ("x".into(), "日本".into())
            ]
        );
        assert_eq!(
            ok("a&&b=&"),
            vec![("a".into(), "".into()), ("b".into(), "".into())]
        );
        assert_eq!(ok("a=1=2"), vec![("a".into(), "1=2".into())]);
        assert!(ok("").is_empty());
    }

    #[test]
    fn refuses_what_a_lenient_decoder_would_pass() {
        for (q, needle) in [
            (
                "country=JP%00N",
                "parameter \"country\": contains the control character U+0000",
            ),
            ("country=%0d%0aSet-Cookie:x", "U+000D"),
            ("country=%FF%FE", "parameter \"country\": not valid UTF-8"),
            ("country=%G1", "malformed percent escape \"%G1\""),
            ("country=JPN%", "malformed percent escape \"%\""),
            ("country=JPN%4", "malformed percent escape \"%4\""),
            ("%ZZ=1", "query parameter name: malformed"),
        ] {
            let e = parse(q).unwrap_err();
            assert!(e.contains(needle), "{q}: {e}");
            assert!(!e.contains('\n'));
        }
        let many = vec!["a=1"; MAX_PAIRS + 1].join("&");
        assert!(parse(&many).unwrap_err().contains("more than 32"));
        assert_eq!(
            parse(&vec!["a=1"; MAX_PAIRS].join("&")).unwrap().len(),
            MAX_PAIRS
        );
    }

    #[test]
    fn a_long_name_is_cut_in_messages() {
        let q = format!("{}=%FF", "n".repeat(1000));
        let e = parse(&q).unwrap_err();
        assert!(e.len() < 120, "{e}");
    }
}
