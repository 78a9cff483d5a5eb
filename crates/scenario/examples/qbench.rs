use fairshare_scenario::stream::{Purpose, path_rng};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use std::time::Instant;
fn main() {
    for _ in 0..3 {
        let t = Instant::now();
        let mut rng = path_rng(1, 1, Purpose::Economy);
        let mut s = 0.0;
        for _ in 0..33_000_000 {
            let z: f64 = StandardNormal.sample(&mut rng);
            s += z;
        }
        let a = t.elapsed();
        let t = Instant::now();
        let mut x = 0u64;
        for _ in 0..33_000_000 {
            x ^= rng.next_u64();
        }
        let b = t.elapsed();
        let t = Instant::now();
        let mut e = 0.0;
        for i in 0..11_000_000 {
            e += ((i as f64) * 1e-9).exp();
        }
        println!(
            "33M normals {:?} 33M u64 {:?} 11M exp {:?} {s} {x} {e}",
            a,
            b,
            t.elapsed()
        );
    }
}
