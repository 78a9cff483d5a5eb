//! Meeting a target exactly, and as SIPRI's fact sheets print it.
//!
//! SIPRI's fact sheets print shares of GDP to one decimal, so a country at 1.998% of
//! GDP (Sweden in 2024, SIPRI 2025 release) appears as "2.0%" and is counted at 2%.
//! fairshare reports both: `meets` compares the full-precision value with the target;
//! `meets_rounded` compares the value rounded to one decimal, half away from zero.

/// Round a share to one decimal, half away from zero (1.95 -> 2.0, 1.998 -> 2.0).
pub fn round_one_decimal(share: f64) -> f64 {
    (share * 10.0).round() / 10.0
}

/// The value meets the threshold at full precision.
pub fn meets(value: f64, threshold: f64) -> bool {
    value >= threshold
}

/// The value, rounded to one decimal as a fact sheet prints it, meets the threshold.
/// (A tolerance of 1e-9 absorbs the binary representation of the rounded decimal.)
pub fn meets_rounded(value: f64, threshold: f64) -> bool {
    round_one_decimal(value) >= threshold - 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweden_2024_meets_two_percent_only_when_rounded() {
        let sweden = 1.9977173881016819; // SIPRI 2025 release, share of GDP 2024
        assert!(!meets(sweden, 2.0));
        assert!(meets_rounded(sweden, 2.0));
        assert_eq!(round_one_decimal(sweden), 2.0);
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_one_decimal() {
        assert_eq!(round_one_decimal(1.94999), 1.9);
        assert_eq!(round_one_decimal(1.95), 2.0);
        assert_eq!(round_one_decimal(3.45), 3.5);
        assert!(!meets_rounded(1.94999, 2.0));
        assert!(meets_rounded(3.45, 3.5));
        assert!(meets(2.0, 2.0) && meets_rounded(2.0, 2.0));
        assert!(!meets_rounded(3.4499, 3.5));
    }
}
