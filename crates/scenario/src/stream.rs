//! Random streams: each path draws from its own generator, seeded from (seed, path
//! index, purpose) alone, so a path's draws do not depend on which thread runs it or
//! on how many paths run before it.
//!
//! The generator is Xoshiro256++ (`rand_xoshiro`). Its 256-bit state comes from
//! `seed_from_u64` (a SplitMix64 expansion) of a 64-bit key that mixes the run's seed,
//! the path index and the purpose with the SplitMix64 finaliser, one input at a time.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every path uses.
pub type PathRng = Xoshiro256PlusPlus;

/// Purposes get separate streams, so adding an event to a scenario does not change the
/// economic shocks of any path (common random numbers across scenarios and branches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// GDP growth, inflation and exchange-rate shocks.
    Economy = 1,
    /// Which branch a path falls in, and which events happen on it.
    Events = 2,
}

/// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit key of path `path`'s stream for `purpose` under `seed`.
pub fn stream_key(seed: u64, path: u64, purpose: Purpose) -> u64 {
    splitmix64(splitmix64(splitmix64(seed) ^ path) ^ purpose as u64)
}

/// The generator for one path and purpose.
pub fn path_rng(seed: u64, path: u64, purpose: Purpose) -> PathRng {
    PathRng::seed_from_u64(stream_key(seed, path, purpose))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_path_and_purpose_and_repeat() {
        let a = path_rng(7, 0, Purpose::Economy).next_u64();
        assert_eq!(a, path_rng(7, 0, Purpose::Economy).next_u64());
        assert_ne!(a, path_rng(7, 1, Purpose::Economy).next_u64());
        assert_ne!(a, path_rng(7, 0, Purpose::Events).next_u64());
        assert_ne!(a, path_rng(8, 0, Purpose::Economy).next_u64());
    }

    #[test]
    fn splitmix_reference_value() {
        // SplitMix64 seeded with 0 yields 0xE220A8397B1DCDAF first (Vigna's reference code).
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }
}
