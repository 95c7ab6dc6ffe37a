//! The projections' products, `x · Wᵀ`, computed straight from the weights
//! as stored (rows of `W` along the input dimension), without repacking
//! them on every call.
//!
//! A query is about twenty tokens: each weight is used twenty times, so a
//! general matrix library, which copies ("packs") both operands into its own
//! layout before multiplying, spends a third of the query repacking weights
//! it reads once. Here the weights stay where they are: blocks of four
//! weight rows meet blocks of up to four activation rows in sixteen AVX-512
//! accumulators; the rows of `W` are shared among the threads, and the
//! activations are taken 64 rows at a time so that they stay in the core's
//! cache while the weights stream past.
//!
//! Only for few rows: with hundreds (a batch of documents) the general
//! library's packing pays for itself, and the caller uses it — as it does
//! on a CPU without AVX-512, where [`product`] declines.

#[cfg(target_arch = "x86_64")]
use rayon::prelude::*;

/// Activation rows taken together, so that they stay in cache.
#[cfg(target_arch = "x86_64")]
const ROWS_PER_TILE: usize = 64;

/// `x · Wᵀ` for `x` of `m × k` and `w` of `n × k` (both row-major): the
/// `m × n` product, row-major; `None` on a CPU without AVX-512 or for a
/// `k` that is not a multiple of 16.
pub(crate) fn product(x: &[f32], w: &[f32], n: usize, k: usize) -> Option<Vec<f32>> {
    #[cfg(target_arch = "x86_64")]
    if k > 0 && k.is_multiple_of(16) && std::arch::is_x86_feature_detected!("avx512f") {
        return Some(with_avx512(x, w, n, k));
    }
    let _ = (x, w, n, k);
    None
}

/// [`product`] once AVX-512 is known to be there.
#[cfg(target_arch = "x86_64")]
fn with_avx512(x: &[f32], w: &[f32], n: usize, k: usize) -> Vec<f32> {
    assert!(x.len().is_multiple_of(k), "activations of {k} columns");
    assert_eq!(w.len(), n * k, "a weight matrix of {n} × {k}");
    let m = x.len() / k;
    if m == 0 || n == 0 {
        return Vec::new();
    }
    // Columns in chunks, a few per thread, each chunk's block of the
    // product computed whole and then put in place.
    let threads = rayon::current_num_threads().max(1);
    let chunk = n.div_ceil(threads * 4).next_multiple_of(4).max(16);
    let blocks: Vec<(usize, Vec<f32>)> = (0..n)
        .step_by(chunk)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|n0| {
            let cols = chunk.min(n - n0);
            let mut out = vec![0f32; m * cols];
            // SAFETY: the caller found AVX-512F and k a multiple of 16.
            unsafe { avx512::block(x, m, &w[n0 * k..(n0 + cols) * k], k, &mut out) };
            (n0, out)
        })
        .collect();
    let mut out = vec![0f32; m * n];
    for (n0, block) in blocks {
        let cols = block.len() / m;
        for (row, part) in out.chunks_exact_mut(n).zip(block.chunks_exact(cols)) {
            row[n0..n0 + cols].copy_from_slice(part);
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::ROWS_PER_TILE;
    use std::arch::x86_64::*;

    /// `x · wᵀ` (`x` of `m` rows, `w` of `cols` rows, both of `k`) into
    /// `out` (`m × cols`).
    ///
    /// # Safety
    /// The CPU has AVX-512F and `k` is a multiple of 16.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn block(x: &[f32], m: usize, w: &[f32], k: usize, out: &mut [f32]) {
        let cols = w.len() / k;
        assert!(
            k.is_multiple_of(16)
                && x.len() >= m * k
                && w.len() == cols * k
                && out.len() >= m * cols
        );
        for t0 in (0..m).step_by(ROWS_PER_TILE) {
            let t1 = (t0 + ROWS_PER_TILE).min(m);
            let mut j = 0;
            while j < cols {
                let nb = (cols - j).min(4);
                let mut i = t0;
                while i < t1 {
                    let mb = (t1 - i).min(4);
                    // SAFETY: rows i .. i + mb of x and j .. j + nb of w
                    // are inside the slices (asserted above).
                    unsafe {
                        let xp = x.as_ptr().add(i * k);
                        let wp = w.as_ptr().add(j * k);
                        let op = out.as_mut_ptr().add(i * cols + j);
                        match (mb, nb) {
                            (4, 4) => tile::<4, 4>(xp, wp, k, op, cols),
                            (3, 4) => tile::<3, 4>(xp, wp, k, op, cols),
                            (2, 4) => tile::<2, 4>(xp, wp, k, op, cols),
                            (1, 4) => tile::<1, 4>(xp, wp, k, op, cols),
                            (_, _) => {
                                for a in 0..mb {
                                    for b in 0..nb {
                                        tile::<1, 1>(
                                            xp.add(a * k),
                                            wp.add(b * k),
                                            k,
                                            op.add(a * cols + b),
                                            cols,
                                        );
                                    }
                                }
                            }
                        }
                    }
                    i += mb;
                }
                j += nb;
            }
        }
    }

    /// `MB` activation rows times `NB` weight rows, each a dot product of
    /// `k` in sixteen lanes, written at `out` (rows `ld` apart).
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn tile<const MB: usize, const NB: usize>(
        x: *const f32,
        w: *const f32,
        k: usize,
        out: *mut f32,
        ld: usize,
    ) {
        let mut acc = [[_mm512_setzero_ps(); NB]; MB];
        let mut c = 0;
        while c < k {
            let mut wv = [_mm512_setzero_ps(); NB];
            for (b, v) in wv.iter_mut().enumerate() {
                // SAFETY: row b of the tile, lanes c .. c + 16 < k.
                *v = unsafe { _mm512_loadu_ps(w.add(b * k + c)) };
            }
            for (a, row) in acc.iter_mut().enumerate() {
                // SAFETY: row a of the tile, lanes c .. c + 16 < k.
                let xv = unsafe { _mm512_loadu_ps(x.add(a * k + c)) };
                for (s, v) in row.iter_mut().zip(&wv) {
                    *s = _mm512_fmadd_ps(xv, *v, *s);
                }
            }
            c += 16;
        }
        for (a, row) in acc.iter().enumerate() {
            for (b, s) in row.iter().enumerate() {
                // SAFETY: the caller's out holds this tile.
                unsafe { *out.add(a * ld + b) = _mm512_reduce_add_ps(*s) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f32], w: &[f32], n: usize, k: usize) -> Vec<f32> {
        x.chunks_exact(k)
            .flat_map(|r| {
                (0..n).map(move |j| {
                    r.iter()
                        .zip(&w[j * k..(j + 1) * k])
                        .map(|(a, b)| f64::from(*a) * f64::from(*b))
                        .sum::<f64>() as f32
                })
            })
            .collect()
    }

    fn numbers(len: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s % 2001) as f32 / 1000.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn products_match_the_plain_sums_for_every_shape_of_tile() {
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        // Rows and columns that leave every kind of remainder.
        for (m, n, k) in [
            (1, 4, 16),
            (3, 7, 32),
            (5, 18, 48),
            (70, 37, 64),
            (131, 20, 16),
        ] {
            let x = numbers(m * k, 7 + m as u32);
            let w = numbers(n * k, 11 + n as u32);
            let want = naive(&x, &w, n, k);
            let Some(got) = product(&x, &w, n, k) else {
                assert!(!avx512, "declined with AVX-512");
                continue;
            };
            assert_eq!(got.len(), m * n);
            for (g, e) in got.iter().zip(&want) {
                assert!((g - e).abs() < 1e-4, "{m}×{n}×{k}: {g} against {e}");
            }
        }
        assert!(product(&numbers(21, 1), &numbers(42, 2), 2, 21).is_none());
        if avx512 {
            assert_eq!(product(&[], &numbers(64, 3), 4, 16), Some(Vec::new()));
        }
    }
}
