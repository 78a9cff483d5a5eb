use rayon::prelude::*;
use std::time::Instant;
fn main() {
    for _ in 0..3 {
        let t = Instant::now();
        let mut v = vec![0.0f64; 22_000_000];
        v.par_chunks_mut(1 << 16)
            .for_each(|c| c.iter_mut().for_each(|x| *x = 1.0));
        let b = t.elapsed();
        drop(v);
        println!(
            "alloc+first touch 176MB {:?} total with drop {:?}",
            b,
            t.elapsed()
        );
    }
}
